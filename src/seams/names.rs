//! Service names: unique, a domain word of the service's entities or stems,
//! never a role word, a number suffix or a word used all over the code base
//! (docs/metrics.md, "Services", name).

use std::collections::{BTreeMap, BTreeSet};

use crate::signals;

/// Words found in more than a quarter of the units and not concentrated in
/// one service (no service holds half of the units using it): too common to
/// name a service. The concentration test keeps domain words when there
/// are only a few domains, each a quarter of the code or more.
pub fn generic_words(service_of: &BTreeMap<u32, u32>, words: &[Vec<String>]) -> BTreeSet<String> {
    let mut df: BTreeMap<&str, (usize, BTreeMap<u32, usize>)> = BTreeMap::new();
    let n = service_of.len();
    for (&u, &c) in service_of {
        let set: BTreeSet<&str> = words[u as usize].iter().map(String::as_str).collect();
        for w in set {
            let e = df.entry(w).or_default();
            e.0 += 1;
            *e.1.entry(c).or_default() += 1;
        }
    }
    df.into_iter()
        .filter(|(_, (c, per))| {
            let top = per.values().copied().max().unwrap_or(0);
            c * 4 > n && n >= 8 && top * 2 < *c
        })
        .map(|(w, _)| w.to_string())
        .collect()
}

/// The service's top TF-IDF words, generic ones left out.
pub fn top_words(
    members: &[u32],
    vectors: &[Vec<(u32, f64)>],
    vocab: &[String],
    generic: &BTreeSet<String>,
    k: usize,
) -> Vec<String> {
    let mut sum: BTreeMap<u32, f64> = BTreeMap::new();
    for &u in members {
        for &(t, x) in &vectors[u as usize] {
            *sum.entry(t).or_default() += x;
        }
    }
    let mut ranked: Vec<(u32, f64)> = sum.into_iter().collect();
    ranked.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then(vocab[a.0 as usize].cmp(&vocab[b.0 as usize]))
    });
    ranked
        .into_iter()
        .map(|(t, _)| vocab[t as usize].clone())
        .filter(|w| !generic.contains(w))
        .take(k)
        .collect()
}

/// The vocabulary of [`signals::tfidf`]: term ids in first-seen order.
pub fn vocabulary(words: &[Vec<String>]) -> Vec<String> {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut out = Vec::new();
    for ws in words {
        for w in ws {
            if seen.insert(w.as_str()) {
                out.push(w.clone());
            }
        }
    }
    out
}

/// The folder most members live in.
pub fn dominant_package(members: &[u32], ids: &[&str]) -> String {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for &u in members {
        let dir = super::folder(ids[u as usize]);
        *count.entry(dir).or_default() += 1;
    }
    count
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(d, _)| d.to_string())
        .unwrap_or_default()
}

/// Candidate names of a service, best first: the home folder most of its
/// members share (a folder the dependency graph agrees with), the domain
/// stems of its entities (most members sharing the stem first), the stems of its
/// members, its top words that are folders of its dominant package, its
/// top words, then its package's folders (deepest first). Role words,
/// generic words and numbers never qualify.
pub fn candidates(
    home_folder: Option<&str>,
    entity_stems: &[String],
    member_stems: &[String],
    top: &[String],
    package: &str,
    shared_prefix: &str,
    generic: &BTreeSet<String>,
) -> Vec<String> {
    // An entity's stem is a domain noun even where many services mention
    // it (`location`): only role words disqualify it.
    let none = BTreeSet::new();
    let fits = |name: &str, generic: &BTreeSet<String>| {
        let mut w = Vec::new();
        for part in name.split('-') {
            signals::split_words(part, &mut w);
        }
        !w.is_empty()
            && w.len() == name.split('-').count()
            && w.iter()
                .all(|w| !generic.contains(w) && !crate::seams::roles::is_role_word(w))
    };
    let ok = |name: &str| fits(name, generic);
    let rank = |stems: &[String]| -> Vec<String> {
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for s in stems {
            *count.entry(s.as_str()).or_default() += 1;
        }
        let mut v: Vec<(&str, usize)> = count.into_iter().collect();
        v.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then(a.0.len().cmp(&b.0.len()))
                .then(a.0.cmp(b.0))
        });
        v.into_iter().map(|(s, _)| s.replace(' ', "-")).collect()
    };
    let rest = package
        .strip_prefix(shared_prefix)
        .unwrap_or(package)
        .trim_start_matches('/');
    let folders: Vec<String> = rest
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| s.to_lowercase())
        .collect();
    let mut out: Vec<String> = Vec::new();
    let push = |s: String, out: &mut Vec<String>| {
        if ok(&s) && !out.contains(&s) {
            out.push(s);
        }
    };
    if let Some(h) = home_folder {
        push(h.to_string(), &mut out);
    }
    for s in rank(entity_stems) {
        if fits(&s, &none) && !out.contains(&s) {
            out.push(s);
        }
    }
    for s in rank(member_stems) {
        push(s, &mut out);
    }
    for t in top {
        if folders.iter().any(|f| f == t) {
            push(t.clone(), &mut out);
        }
    }
    for t in top {
        push(t.clone(), &mut out);
    }
    for f in folders.iter().rev() {
        push(f.clone(), &mut out);
    }
    out
}

/// The first candidate not yet used; else two candidates joined; a number
/// suffix only when a service has no usable word at all.
pub fn unique_name(candidates: &[String], used: &mut BTreeSet<String>) -> String {
    let pick = candidates
        .iter()
        .find(|c| !used.contains(*c))
        .cloned()
        .or_else(|| {
            candidates.iter().enumerate().find_map(|(i, a)| {
                candidates[i + 1..]
                    .iter()
                    .map(|b| format!("{a}-{b}"))
                    .find(|n| !used.contains(n))
            })
        })
        .unwrap_or_else(|| {
            let base = candidates.first().map_or("service", String::as_str);
            std::iter::once(base.to_string())
                .chain((2..).map(|i| format!("{base}-{i}")))
                .find(|n| !used.contains(n))
                .expect("an unused suffix")
        });
    used.insert(pick.clone());
    pick
}

pub fn common_prefix<'a>(dirs: impl Iterator<Item = &'a str>) -> String {
    let mut prefix: Option<Vec<&str>> = None;
    for d in dirs {
        let parts: Vec<&str> = d.split('/').collect();
        prefix = Some(match prefix {
            None => parts,
            Some(p) => p
                .iter()
                .zip(&parts)
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| *a)
                .collect(),
        });
    }
    prefix.unwrap_or_default().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn entity_stems_name_first_and_role_words_never() {
        let c = candidates(
            None,
            &s(&["owner"]),
            &s(&["pet", "pet", "owner"]),
            &s(&["validator", "visit"]),
            "src/main/java/shop/owners",
            "src/main/java/shop",
            &BTreeSet::new(),
        );
        assert_eq!(c, s(&["owner", "pet", "visit", "owners"]));
        let c = candidates(
            Some("owners"),
            &s(&["owner"]),
            &[],
            &[],
            "",
            "",
            &BTreeSet::new(),
        );
        assert_eq!(c, s(&["owners", "owner"]));
    }

    #[test]
    fn names_are_unique_without_numbers_while_words_last() {
        let mut used = BTreeSet::new();
        assert_eq!(unique_name(&s(&["order", "line"]), &mut used), "order");
        assert_eq!(unique_name(&s(&["order", "line"]), &mut used), "line");
        assert_eq!(unique_name(&s(&["order", "line"]), &mut used), "order-line");
        assert_eq!(unique_name(&s(&["order"]), &mut used), "order-2");
        assert_eq!(unique_name(&[], &mut used), "service");
    }
}
