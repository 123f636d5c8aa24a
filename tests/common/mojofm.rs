//! MoJoFM: how close a proposed decomposition is to an expert one.
//!
//! Wen & Tzerpos, "An effectiveness measure for software clustering
//! algorithms" (IWPC 2004):
//!
//! ```text
//! MoJoFM(A, B) = (1 - mno(A, B) / max mno(∀A, B)) × 100
//! ```
//!
//! where B is the expert decomposition and A the proposed one over the same
//! objects. mno(A, B) is the least number of Move and Join operations that
//! turn A into B, computed as in Wen & Tzerpos, "An optimal algorithm for
//! MoJo distance" (IWPC 2003):
//!
//! ```text
//! mno(A, B) = (n - Σ_i max_j |A_i ∩ B_j|) + (l_A - g)
//! ```
//!
//! with n the number of objects, l_A the number of A's clusters and g the
//! size of a maximum matching in the bipartite graph whose edges tag each
//! A_i with every B_j of maximal overlap |A_i ∩ B_j|. The greatest distance
//! of any partition from B is `n - g(B)`, where g(B) walks B's cluster sizes
//! in ascending order and counts one for each size that exceeds the count so
//! far (the formula of the authors' reference implementation).
//!
//! Plain functions over (object, cluster) pairs; no dependencies, so that a
//! test and an example can both include this file with `#[path]`.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

/// A partition: object → cluster name.
pub type Partition = BTreeMap<String, String>;

/// Builds a partition from (object, cluster) pairs; an object listed twice
/// is an error.
pub fn partition(pairs: &[(String, String)]) -> Result<Partition, String> {
    let mut map = Partition::new();
    for (object, cluster) in pairs {
        if let Some(old) = map.insert(object.clone(), cluster.clone()) {
            if &old != cluster {
                return Err(format!(
                    "object {object} is in two clusters: {old} and {cluster}"
                ));
            }
        }
    }
    Ok(map)
}

/// The clusters of a partition as sets of objects, keyed by cluster name.
fn clusters(p: &Partition) -> BTreeMap<&str, BTreeSet<&str>> {
    let mut out: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (object, cluster) in p {
        out.entry(cluster.as_str())
            .or_default()
            .insert(object.as_str());
    }
    out
}

/// Both partitions must hold exactly the same objects.
fn same_objects(a: &Partition, b: &Partition) -> Result<(), String> {
    let only_a: Vec<&String> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_b: Vec<&String> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    if only_a.is_empty() && only_b.is_empty() {
        return Ok(());
    }
    let show = |v: &[&String]| {
        if v.is_empty() {
            return "0".to_string();
        }
        let head: Vec<&str> = v.iter().take(5).map(|s| s.as_str()).collect();
        let more = if v.len() > 5 { ", …" } else { "" };
        format!("{} ({}{more})", v.len(), head.join(", "))
    };
    Err(format!(
        "the partitions cover different objects: {} only in the proposed one, {} only in the expert one",
        show(&only_a),
        show(&only_b)
    ))
}

/// The terms of mno(A, B): (n, Σ_i max_j |A_i ∩ B_j|, l_A, g).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MnoTerms {
    pub n: usize,
    pub sum_max_overlap: usize,
    pub l_a: usize,
    pub g: usize,
}

impl MnoTerms {
    /// Moves + joins.
    pub fn mno(&self) -> usize {
        (self.n - self.sum_max_overlap) + (self.l_a - self.g)
    }
}

/// The terms of mno(A, B); A proposed, B expert, over the same objects.
pub fn mno_terms(a: &Partition, b: &Partition) -> Result<MnoTerms, String> {
    same_objects(a, b)?;
    let a_clusters = clusters(a);
    let b_names: Vec<&str> = clusters(b).keys().copied().collect();
    let b_index: BTreeMap<&str, usize> = b_names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let mut sum_max = 0;
    // tags[i]: the B clusters of maximal overlap with A_i.
    let mut tags: Vec<Vec<usize>> = Vec::with_capacity(a_clusters.len());
    for members in a_clusters.values() {
        let mut overlap: BTreeMap<usize, usize> = BTreeMap::new();
        for m in members {
            *overlap.entry(b_index[b[*m].as_str()]).or_default() += 1;
        }
        let best = overlap.values().copied().max().unwrap_or(0);
        sum_max += best;
        tags.push(
            overlap
                .iter()
                .filter(|(_, c)| **c == best)
                .map(|(j, _)| *j)
                .collect(),
        );
    }
    Ok(MnoTerms {
        n: a.len(),
        sum_max_overlap: sum_max,
        l_a: a_clusters.len(),
        g: max_matching(&tags, b_names.len()),
    })
}

/// mno(A, B): the least number of Move and Join operations from A to B.
pub fn mno(a: &Partition, b: &Partition) -> Result<usize, String> {
    Ok(mno_terms(a, b)?.mno())
}

/// g(B) of the maximum distance: B's cluster sizes in ascending order,
/// counting one for each size greater than the count so far.
pub fn g_of_expert(b: &Partition) -> usize {
    let mut sizes: Vec<usize> = clusters(b).values().map(|c| c.len()).collect();
    sizes.sort_unstable();
    let mut g = 0;
    for s in sizes {
        if s > g {
            g += 1;
        }
    }
    g
}

/// max mno(∀A, B) = n - g(B).
pub fn max_mno(b: &Partition) -> usize {
    b.len() - g_of_expert(b)
}

/// MoJoFM(A, B) in percent; A proposed, B expert. When no partition can be
/// farther from B than zero operations (one object), every A is B: 100.
pub fn mojofm(a: &Partition, b: &Partition) -> Result<f64, String> {
    let d = mno(a, b)?;
    let max = max_mno(b);
    if max == 0 {
        return Ok(100.0);
    }
    Ok((1.0 - d as f64 / max as f64) * 100.0)
}

/// Size of a maximum matching in a bipartite graph given as adjacency
/// lists of the left side (`right` nodes on the right), by augmenting
/// paths (Kuhn). Left nodes are tried in order, so the result is exact and
/// deterministic.
fn max_matching(adj: &[Vec<usize>], right: usize) -> usize {
    fn augment(
        u: usize,
        adj: &[Vec<usize>],
        seen: &mut [bool],
        owner: &mut [Option<usize>],
    ) -> bool {
        for &v in &adj[u] {
            if seen[v] {
                continue;
            }
            seen[v] = true;
            if owner[v].is_none_or(|w| augment(w, adj, seen, owner)) {
                owner[v] = Some(u);
                return true;
            }
        }
        false
    }
    let mut owner: Vec<Option<usize>> = vec![None; right];
    let mut size = 0;
    for u in 0..adj.len() {
        let mut seen = vec![false; right];
        if augment(u, adj, &mut seen, &mut owner) {
            size += 1;
        }
    }
    size
}

/// Reads an expected-decomposition file: `path<TAB>service` lines, `#`
/// comments and blank lines ignored. Errors name the file and line.
pub fn read_expected(path: &std::path::Path) -> Result<Partition, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    parse_expected(&text, &path.display().to_string())
}

/// Parses the text of an expected-decomposition file (`name` is used in
/// error messages).
pub fn parse_expected(text: &str, name: &str) -> Result<Partition, String> {
    let mut map = Partition::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let mut fields = line.split('\t');
        let (Some(object), Some(cluster), None) = (fields.next(), fields.next(), fields.next())
        else {
            return Err(format!(
                "{name}:{}: expected `path<TAB>service`, got {line:?}",
                i + 1
            ));
        };
        if object.is_empty() || cluster.is_empty() {
            return Err(format!("{name}:{}: empty path or service", i + 1));
        }
        if map
            .insert(object.to_string(), cluster.to_string())
            .is_some()
        {
            return Err(format!("{name}:{}: {object} is listed twice", i + 1));
        }
    }
    Ok(map)
}
