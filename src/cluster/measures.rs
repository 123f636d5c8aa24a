//! Partition measures: modularity, CPM quality, adjusted Rand index.

use std::collections::HashMap;

use super::graph::Graph;
use super::leiden::canonicalize;

/// Newman modularity with resolution γ:
/// `Q = 1/(2m) Σ_ij [A_ij − γ k_i k_j / (2m)] δ(c_i, c_j)`,
/// computed as `Σ_c [ 2e_c/(2m) − γ (K_c/(2m))² ]` (`e_c` internal weight,
/// `K_c` total strength). Self loops count as `A_ii = 2w` (igraph,
/// networkx). Returns 0 for a graph without edges.
///
/// # Panics
/// If `membership.len() != g.n()`.
pub fn modularity(g: &Graph, membership: &[u32], resolution: f64) -> f64 {
    assert_eq!(
        membership.len(),
        g.n(),
        "membership must have one entry per node"
    );
    let m2 = 2.0 * g.total_weight();
    if m2 == 0.0 {
        return 0.0;
    }
    let mut labels = membership.to_vec();
    let k = canonicalize(&mut labels);
    let (mut inner, mut tot) = (vec![0.0; k], vec![0.0; k]);
    for (i, &c) in labels.iter().enumerate() {
        let c = c as usize;
        tot[c] += g.strength(i);
        inner[c] += 2.0 * g.self_loop(i);
        for (j, w) in g.neighbors(i) {
            if labels[j as usize] as usize == c {
                inner[c] += w; // seen from both ends: Σ_ij A_ij over the community
            }
        }
    }
    (0..k)
        .map(|c| inner[c] / m2 - resolution * (tot[c] / m2) * (tot[c] / m2))
        .sum()
}

/// Constant Potts Model quality `Σ_c [e_c − γ · n_c (n_c − 1) / 2]`
/// (`e_c` internal edge weight including self loops, `n_c` node count).
pub fn cpm_quality(g: &Graph, membership: &[u32], resolution: f64) -> f64 {
    assert_eq!(
        membership.len(),
        g.n(),
        "membership must have one entry per node"
    );
    let mut labels = membership.to_vec();
    let k = canonicalize(&mut labels);
    let (mut inner, mut count) = (vec![0.0; k], vec![0.0f64; k]);
    for (i, &c) in labels.iter().enumerate() {
        let c = c as usize;
        count[c] += 1.0;
        inner[c] += g.self_loop(i);
        for (j, w) in g.neighbors(i) {
            if labels[j as usize] as usize == c && (j as usize) > i {
                inner[c] += w;
            }
        }
    }
    (0..k)
        .map(|c| inner[c] - resolution * count[c] * (count[c] - 1.0) / 2.0)
        .sum()
}

/// Adjusted Rand index (Hubert & Arabie, 1985) between two labelings of the
/// same nodes: 1 for identical partitions (up to renaming), about 0 for
/// independent ones, negative for worse than chance. Pair counts are summed
/// as integers, so the result is exact and independent of hash order.
/// Degenerate cases where both partitions are trivial in the same way (all
/// together, or all apart, or fewer than two nodes) return 1.
///
/// # Panics
/// If the lengths differ.
pub fn adjusted_rand_index(a: &[u32], b: &[u32]) -> f64 {
    assert_eq!(a.len(), b.len(), "labelings must have the same length");
    fn pairs(x: u64) -> u128 {
        let x = x as u128;
        x * x.saturating_sub(1) / 2
    }
    let mut joint: HashMap<(u32, u32), u64> = HashMap::new();
    let mut ca: HashMap<u32, u64> = HashMap::new();
    let mut cb: HashMap<u32, u64> = HashMap::new();
    for (&x, &y) in a.iter().zip(b) {
        *joint.entry((x, y)).or_insert(0) += 1;
        *ca.entry(x).or_insert(0) += 1;
        *cb.entry(y).or_insert(0) += 1;
    }
    let index: u128 = joint.values().map(|&c| pairs(c)).sum();
    let sum_a: u128 = ca.values().map(|&c| pairs(c)).sum();
    let sum_b: u128 = cb.values().map(|&c| pairs(c)).sum();
    let total = pairs(a.len() as u64) as f64;
    if total == 0.0 {
        return 1.0;
    }
    let expected = sum_a as f64 * sum_b as f64 / total;
    let max = (sum_a as f64 + sum_b as f64) / 2.0;
    if max == expected {
        return 1.0;
    }
    (index as f64 - expected) / (max - expected)
}

/// Number of communities with at least `min_size` nodes.
pub fn count_communities(membership: &[u32], min_size: usize) -> usize {
    let mut labels = membership.to_vec();
    let k = canonicalize(&mut labels);
    let mut size = vec![0usize; k];
    for &c in &labels {
        size[c as usize] += 1;
    }
    size.iter().filter(|&&s| s >= min_size).count()
}
