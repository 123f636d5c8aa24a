//! The namespace signal: folder proximity, trusted as far as the folder
//! tree agrees with the dependency graph.
//!
//! For every folder F below the clustered units' common prefix, with
//! members M, internal structural weight e_F, member strength K_F and total
//! structural weight m, the agreement is the folder's modularity share
//! normalised to [0, 1]:
//!
//! `α_F = clamp((2·e_F / K_F − K_F / 2m) / (1 − K_F / 2m), 0, 1)`
//!
//! (the share of its members' ties that stay inside, above what a random
//! graph with the same degrees would keep). A package-by-feature folder has
//! α near 1; a layer folder (`validator/`, `controller/`), whose members
//! depend on other folders and not on each other, has α near 0. A unit's
//! home is its deepest folder with α ≥ [`ALPHA_MIN`]; units sharing a home
//! are linked in a sparse ring (each to its [`RING`] successors), with the
//! namespace term α_home (docs/metrics.md, "Seam graph").

use std::collections::{BTreeMap, HashMap};

/// Least agreement for a folder to hold its units together.
pub const ALPHA_MIN: f64 = 0.5;
/// Ring neighbours per unit inside a home folder (each unit gets 2·RING
/// namespace ties, so the folder is connected at linear cost).
const RING: usize = 2;

/// A folder's agreement with the dependency graph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Agreement {
    pub alpha: f64,
    pub members: usize,
}

/// Folders of each unit below `prefix`, outermost first (`orders`,
/// `orders/web`).
fn ancestors<'a>(id: &'a str, prefix: &str) -> Vec<&'a str> {
    let dir = super::folder(id);
    let rel_start = if prefix.is_empty() {
        0
    } else if dir.len() > prefix.len() {
        prefix.len() + 1
    } else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, c) in dir.char_indices().skip(rel_start) {
        if c == '/' {
            out.push(&dir[..i]);
        }
    }
    if dir.len() > rel_start {
        out.push(dir);
    }
    out
}

/// Agreement of every folder (full path) with two or more of `ids`.
/// `raw` holds structural weights over local indices (a < b).
pub fn agreements(
    ids: &[&str],
    prefix: &str,
    raw: &HashMap<(u32, u32), f64>,
) -> BTreeMap<String, Agreement> {
    let n = ids.len();
    let mut strength = vec![0.0; n];
    let mut total = 0.0;
    // Deterministic sums: visit pairs in key order.
    let mut pairs: Vec<(&(u32, u32), &f64)> = raw.iter().collect();
    pairs.sort_by_key(|p| *p.0);
    for (&(a, b), &w) in &pairs {
        strength[a as usize] += w;
        strength[b as usize] += w;
        total += w;
    }
    let mut members: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (u, id) in ids.iter().enumerate() {
        for f in ancestors(id, prefix) {
            members.entry(f).or_default().push(u as u32);
        }
    }
    let mut folder_of: Vec<Vec<&str>> = vec![Vec::new(); n];
    for (f, m) in &members {
        for &u in m {
            folder_of[u as usize].push(f);
        }
    }
    let mut internal: BTreeMap<&str, f64> = BTreeMap::new();
    for (&(a, b), &w) in &pairs {
        for f in &folder_of[a as usize] {
            if folder_of[b as usize].contains(f) {
                *internal.entry(f).or_default() += w;
            }
        }
    }
    members
        .into_iter()
        .filter(|(_, m)| m.len() >= 2)
        .map(|(f, m)| {
            let k: f64 = m.iter().map(|&u| strength[u as usize]).sum();
            let alpha = if k <= 0.0 || total <= 0.0 {
                0.0
            } else {
                let inside = 2.0 * internal.get(f).copied().unwrap_or(0.0) / k;
                let expected = (k / (2.0 * total)).min(1.0);
                if expected >= 1.0 {
                    0.0
                } else {
                    ((inside - expected) / (1.0 - expected)).clamp(0.0, 1.0)
                }
            };
            (
                f.to_string(),
                Agreement {
                    alpha,
                    members: m.len(),
                },
            )
        })
        .collect()
}

/// The home folder of each unit: its deepest folder with α ≥ ALPHA_MIN.
pub fn homes<'a>(
    ids: &[&'a str],
    prefix: &str,
    agree: &BTreeMap<String, Agreement>,
) -> Vec<Option<(&'a str, f64)>> {
    ids.iter()
        .map(|id| {
            ancestors(id, prefix).into_iter().rev().find_map(|f| {
                agree
                    .get(f)
                    .filter(|a| a.alpha >= ALPHA_MIN)
                    .map(|a| (f, a.alpha))
            })
        })
        .collect()
}

/// Namespace pairs (a < b, local indices) with their term α_home.
pub fn pairs(homes: &[Option<(&str, f64)>]) -> Vec<(u32, u32, f64)> {
    let mut groups: BTreeMap<&str, (f64, Vec<u32>)> = BTreeMap::new();
    for (u, h) in homes.iter().enumerate() {
        if let Some((f, a)) = h {
            groups.entry(f).or_insert((*a, Vec::new())).1.push(u as u32);
        }
    }
    let mut out: BTreeMap<(u32, u32), f64> = BTreeMap::new();
    for (alpha, m) in groups.values() {
        let len = m.len();
        for i in 0..len {
            for step in 1..=RING.min(len - 1) {
                let (a, b) = (m[i], m[(i + step) % len]);
                let k = if a < b { (a, b) } else { (b, a) };
                out.insert(k, crate::numeric::round6(*alpha));
            }
        }
    }
    out.into_iter().map(|((a, b), v)| (a, b, v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_folders_agree_and_layer_folders_do_not() {
        // orders/{A, B} call each other; web/{C, D} each call one of them.
        let ids = [
            "p/orders/A.java",
            "p/orders/B.java",
            "p/web/C.java",
            "p/web/D.java",
        ];
        let raw: HashMap<(u32, u32), f64> = [((0, 1), 2.0), ((0, 2), 1.0), ((1, 3), 1.0)]
            .into_iter()
            .collect();
        let a = agreements(&ids, "p", &raw);
        // orders: K = 3 + 3 = 6, e = 2, 2m = 8: (4/6 − 6/8) / (1 − 6/8) < 0 → 0.
        assert_eq!(a["p/orders"].alpha, 0.0);
        assert_eq!(a["p/web"].alpha, 0.0);
        let raw: HashMap<(u32, u32), f64> = [((0, 1), 3.0), ((2, 3), 3.0), ((1, 2), 1.0)]
            .into_iter()
            .collect();
        let a = agreements(&ids, "p", &raw);
        // orders: K = 3 + 4 = 7, e = 3, 2m = 14: (6/7 − 1/2) / (1/2) = 5/7.
        assert!((a["p/orders"].alpha - 5.0 / 7.0).abs() < 1e-12);
        let h = homes(&ids, "p", &a);
        assert_eq!(h[0].map(|x| x.0), Some("p/orders"));
        assert_eq!(pairs(&h).len(), 2);
    }

    #[test]
    fn ancestors_start_below_the_prefix() {
        assert_eq!(ancestors("p/a/b/X.java", "p"), vec!["p/a", "p/a/b"]);
        assert_eq!(ancestors("p/X.java", "p"), Vec::<&str>::new());
        assert_eq!(ancestors("a/X.py", ""), vec!["a"]);
    }
}
