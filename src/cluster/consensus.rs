//! Leiden over several seeds, a consensus partition with confidences, and the
//! search for the resolution that yields a wanted number of communities.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::graph::Graph;
use super::leiden::{canonicalize, leiden, LeidenOptions};
use super::measures::{adjusted_rand_index, count_communities};

/// The partition chosen among several seeded runs, and how stable it is.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Consensus {
    /// Community of each node (canonical numbering, as [`leiden`]).
    pub membership: Vec<u32>,
    /// Per node: mean, over the other members of its community, of the
    /// fraction of runs that put the pair together (1.0 for a singleton).
    pub node_confidence: Vec<f64>,
    /// Per community: mean over its member pairs of the same fraction (equal
    /// to the mean of its members' `node_confidence`; 1.0 for a singleton).
    pub community_confidence: Vec<f64>,
    /// Number of runs (seeds).
    pub runs: usize,
    /// Index (into the seeds) of the run chosen as `membership`.
    pub chosen_run: usize,
    /// Mean adjusted Rand index of the chosen run against the others (1.0 for
    /// a single run): a one-number stability summary.
    pub agreement: f64,
}

/// Runs Leiden once per seed (in parallel; each run is single-threaded and
/// results are kept in seed order, so the outcome does not depend on the
/// thread count) and builds the [`Consensus`] of the runs.
///
/// # Panics
/// If `seeds` is empty, or as [`leiden`].
pub fn consensus(
    g: &Graph,
    opts: &LeidenOptions,
    seeds: &[u64],
    pinned: Option<&[Option<u32>]>,
) -> Consensus {
    assert!(!seeds.is_empty(), "consensus needs at least one seed");
    let runs: Vec<Vec<u32>> = seeds
        .par_iter()
        .map(|&seed| {
            let o = LeidenOptions {
                seed,
                ..opts.clone()
            };
            leiden(g, &o, pinned)
        })
        .collect();
    Consensus::from_partitions(&runs)
}

impl Consensus {
    /// Consensus of given partitions of the same nodes. The membership is the
    /// medoid run: the one with the highest mean adjusted Rand index against
    /// the others (ties → the earliest). It is a real optimised partition of
    /// the graph, so it keeps Leiden's guarantees (connected communities,
    /// local optimality) that a re-clustered co-assignment matrix would not.
    ///
    /// Co-assignment frequencies are counted only for pairs inside final
    /// communities, via the contingency of (final community, run community):
    /// a node's peers that run `r` put with it are `|C ∩ R_r| − 1`. That is
    /// O(n · runs), not O(n²).
    ///
    /// # Panics
    /// If `runs` is empty or the partitions differ in length.
    pub fn from_partitions(runs: &[Vec<u32>]) -> Consensus {
        assert!(!runs.is_empty(), "consensus needs at least one run");
        let r = runs.len();
        let n = runs[0].len();
        assert!(
            runs.iter().all(|p| p.len() == n),
            "partitions differ in length"
        );
        let pairs: Vec<(usize, usize)> = (0..r)
            .flat_map(|i| (i + 1..r).map(move |j| (i, j)))
            .collect();
        let aris: Vec<f64> = pairs
            .par_iter()
            .map(|&(i, j)| adjusted_rand_index(&runs[i], &runs[j]))
            .collect();
        let mut mean = vec![0.0; r];
        for (&(i, j), &a) in pairs.iter().zip(&aris) {
            mean[i] += a;
            mean[j] += a;
        }
        let mut chosen = 0;
        for i in 1..r {
            if mean[i] > mean[chosen] {
                chosen = i;
            }
        }
        let agreement = if r > 1 {
            mean[chosen] / (r - 1) as f64
        } else {
            1.0
        };

        let mut membership = runs[chosen].clone();
        let k = canonicalize(&mut membership);
        let mut size = vec![0usize; k];
        for &c in &membership {
            size[c as usize] += 1;
        }
        let mut together = vec![0u64; n];
        let mut cell: HashMap<(u32, u32), u64> = HashMap::new();
        for run in runs {
            cell.clear();
            for (&c, &rc) in membership.iter().zip(run) {
                *cell.entry((c, rc)).or_insert(0) += 1;
            }
            for (i, (&c, &rc)) in membership.iter().zip(run).enumerate() {
                together[i] += cell[&(c, rc)] - 1;
            }
        }
        let node_confidence: Vec<f64> = (0..n)
            .map(|i| {
                let s = size[membership[i] as usize];
                if s <= 1 {
                    1.0
                } else {
                    together[i] as f64 / (r as f64 * (s - 1) as f64)
                }
            })
            .collect();
        let mut community_confidence = vec![0.0; k];
        for (i, &c) in membership.iter().enumerate() {
            community_confidence[c as usize] += node_confidence[i];
        }
        for (c, conf) in community_confidence.iter_mut().enumerate() {
            *conf /= size[c] as f64;
        }
        Consensus {
            membership,
            node_confidence,
            community_confidence,
            runs: r,
            chosen_run: chosen,
            agreement,
        }
    }
}

/// Searches the resolution γ at which the consensus has exactly `target`
/// communities of at least `min_size` nodes, and returns γ with that
/// consensus.
///
/// Starting from `opts.resolution` (1.0 if it is 0), γ is multiplied or
/// divided by 4 until the count brackets `target`, then the bracket is
/// bisected on log γ (at most 40 evaluations in all). Every evaluation is a
/// deterministic [`consensus`], so the search is too. The count is assumed to
/// grow with γ, which holds for both qualities until communities get smaller
/// than `min_size`; if `target` is never hit exactly, the evaluated γ whose
/// count is closest to `target` is returned (the first such one).
///
/// # Panics
/// As [`consensus`].
pub fn search_resolution(
    g: &Graph,
    target: usize,
    min_size: usize,
    opts: &LeidenOptions,
    seeds: &[u64],
    pinned: Option<&[Option<u32>]>,
) -> (f64, Consensus) {
    use std::cmp::Ordering::{Equal, Greater, Less};
    const MAX_EVALS: usize = 40;
    let mut evals = 0;
    // Closest so far: (|count − target|, γ, consensus).
    let mut best: Option<(usize, f64, Consensus)> = None;
    // Evaluates γ and keeps it if closest so far. Returns count ⋚ target,
    // whether every node is alone, and whether evaluations remain.
    let mut eval = |gamma: f64| {
        evals += 1;
        let o = LeidenOptions {
            resolution: gamma,
            ..opts.clone()
        };
        let c = consensus(g, &o, seeds, pinned);
        let count = count_communities(&c.membership, min_size);
        let all_apart = count_communities(&c.membership, 1) == g.n();
        let d = count.abs_diff(target);
        if best.as_ref().is_none_or(|b| d < b.0) {
            best = Some((d, gamma, c));
        }
        (count.cmp(&target), all_apart, evals < MAX_EVALS)
    };

    let start = if opts.resolution > 0.0 {
        opts.resolution
    } else {
        1.0
    };
    let (first, mut stuck, mut budget) = eval(start);
    // Find a bracket [lo, hi] with count(lo) < target < count(hi).
    let (mut lo, mut hi) = (start, start);
    let mut bracketed = false;
    match first {
        Equal => {}
        // Too few communities: raise γ, unless every node is already alone.
        Less => {
            while budget && !stuck {
                (lo, hi) = (hi, hi * 4.0);
                let (o, apart, more) = eval(hi);
                (stuck, budget) = (apart, more);
                match o {
                    Less => {}
                    Equal => break,
                    Greater => {
                        bracketed = true;
                        break;
                    }
                }
            }
        }
        Greater => {
            while budget {
                (lo, hi) = (lo / 4.0, lo);
                let (o, _, more) = eval(lo);
                budget = more;
                match o {
                    Greater => {}
                    Equal => break,
                    Less => {
                        bracketed = true;
                        break;
                    }
                }
            }
        }
    }
    while bracketed && budget && hi / lo > 1.0 + 1e-6 {
        let mid = (lo * hi).sqrt();
        let (o, _, more) = eval(mid);
        budget = more;
        match o {
            Equal => break,
            Less => lo = mid,
            Greater => hi = mid,
        }
    }
    let (_, gamma, c) = best.expect("at least one evaluation");
    (gamma, c)
}
