//! Metrics of units, services and the partition (docs/metrics.md gives
//! every formula with its source).
//!
//! Inputs are plain: the code graph, the seams, per-unit commit counts and
//! co-change weights. Nothing here changes an assignment; it only measures.

use std::collections::{BTreeMap, BTreeSet};

use crate::graph::CodeGraph;
use crate::numeric::round6;
use crate::resolve::EdgeKind;
use crate::seams::Seams;

/// Robert Martin's package metrics applied to one unit.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct UnitCoupling {
    /// Afferent coupling: distinct units depending on this one.
    pub ca: u32,
    /// Efferent coupling: distinct units this one depends on.
    pub ce: u32,
    /// Ce / (Ca + Ce); `None` for an isolated unit.
    pub instability: Option<f64>,
}

pub fn unit_coupling(graph: &CodeGraph, unit: u32) -> UnitCoupling {
    let ca = graph.fan_in(unit);
    let ce = graph.fan_out(unit);
    UnitCoupling {
        ca,
        ce,
        instability: (ca + ce > 0).then(|| round6(ce as f64 / (ca + ce) as f64)),
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceMetrics {
    pub cohesion: f64,
    pub coupling: u32,
    pub interface_size: u32,
    pub churn_share: f64,
    pub cochange_leakage: f64,
}

/// Where a unit sits for service-level aggregation: a service, the shared
/// kernel (`Some(None)`), or nowhere (tests, unassigned: `None`).
fn side(seams: &Seams, u: u32) -> Option<Option<u32>> {
    if seams.kernel[u as usize] {
        Some(None)
    } else {
        seams.service_of[u as usize].map(Some)
    }
}

/// Dependency references between services and the shared kernel (`None`):
/// (from, to) → (all references, call references), from ≠ to.
pub fn service_dependencies(
    graph: &CodeGraph,
    seams: &Seams,
) -> BTreeMap<(Option<u32>, Option<u32>), (u32, u32)> {
    let mut out: BTreeMap<(Option<u32>, Option<u32>), (u32, u32)> = BTreeMap::new();
    for d in &graph.dependencies {
        if let (Some(a), Some(b)) = (side(seams, d.from), side(seams, d.to)) {
            if a != b {
                let e = out.entry((a, b)).or_default();
                e.0 += d.count;
                if d.kind == EdgeKind::Call {
                    e.1 += d.count;
                }
            }
        }
    }
    out
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PartitionMetrics {
    pub modularity: f64,
    pub sm: f64,
    pub icp: f64,
    pub ifn: f64,
    pub ned: f64,
}

/// Service-level metrics. `commits[u]` is the unit's commit count;
/// `cochange` the (a, b, weight) pairs.
pub fn service_metrics(
    graph: &CodeGraph,
    seams: &Seams,
    commits: &[u32],
    cochange: &[(u32, u32, f64)],
) -> Vec<ServiceMetrics> {
    let k = seams.services.len();
    let mut out = vec![ServiceMetrics::default(); k];
    let side = |u: u32| side(seams, u);
    let mut internal = vec![0u64; k];
    let mut external = vec![0u64; k];
    for d in &graph.dependencies {
        let (Some(a), Some(b)) = (side(d.from), side(d.to)) else {
            continue;
        };
        if a == b {
            if let Some(s) = a {
                internal[s as usize] += d.count as u64;
            }
            continue;
        }
        if let Some(s) = a {
            external[s as usize] += d.count as u64;
            out[s as usize].coupling += d.count;
        }
        if let Some(s) = b {
            external[s as usize] += d.count as u64;
            out[s as usize].coupling += d.count;
        }
    }
    for s in 0..k {
        let all = internal[s] + external[s];
        out[s].cohesion = if all == 0 {
            0.0
        } else {
            round6(internal[s] as f64 / all as f64)
        };
    }

    // Interface: distinct member symbols called from outside the service.
    let mut interface: Vec<BTreeSet<(u32, &str)>> = vec![BTreeSet::new(); k];
    for c in &graph.symbol_calls {
        if let (Some(a), Some(Some(b))) = (side(c.from_file), side(c.to_file)) {
            if a != Some(b) {
                interface[b as usize].insert((c.to_file, c.to_symbol.as_str()));
            }
        }
    }
    for s in 0..k {
        out[s].interface_size = interface[s].len() as u32;
    }

    // Churn share: the service's unit changes over all clustered units'.
    let clustered: Vec<u32> = (0..seams.service_of.len() as u32)
        .filter(|&u| side(u).is_some())
        .collect();
    let total: u64 = clustered
        .iter()
        .map(|&u| commits.get(u as usize).copied().unwrap_or(0) as u64)
        .sum();
    if total > 0 {
        for (s, svc) in seams.services.iter().enumerate() {
            let c: u64 = svc
                .members
                .iter()
                .map(|&u| commits.get(u as usize).copied().unwrap_or(0) as u64)
                .sum();
            out[s].churn_share = round6(c as f64 / total as f64);
        }
    }

    // Co-change leakage: co-change weight with units outside the service
    // over all the co-change weight of its members.
    let mut inside = vec![0.0f64; k];
    let mut leak = vec![0.0f64; k];
    for &(a, b, w) in cochange {
        let (sa, sb) = (seams.service_of[a as usize], seams.service_of[b as usize]);
        for (me, other) in [(sa, sb), (sb, sa)] {
            if let Some(s) = me {
                if other == Some(s) {
                    // Counted from both sides: half each.
                    inside[s as usize] += w / 2.0;
                } else {
                    leak[s as usize] += w;
                }
            }
        }
    }
    for s in 0..k {
        let all = inside[s] + leak[s];
        out[s].cochange_leakage = if all > 0.0 {
            round6(leak[s] / all)
        } else {
            0.0
        };
    }
    out
}

/// Partition metrics over the services (kernel and unclustered units left
/// out). `modularity` is Newman's Q of the seam graph restricted to service
/// members; SM, ICP, IFN, NED follow Mono2Micro (Kalia et al., FSE 2021).
pub fn partition_metrics(graph: &CodeGraph, seams: &Seams) -> PartitionMetrics {
    let k = seams.services.len();
    if k == 0 {
        return PartitionMetrics::default();
    }
    let service = |u: u32| -> Option<u32> {
        if seams.kernel[u as usize] {
            None
        } else {
            seams.service_of[u as usize]
        }
    };
    let sizes: Vec<usize> = seams.services.iter().map(|s| s.members.len()).collect();
    let n: usize = sizes.iter().sum();

    // Structural edges: distinct ordered unit pairs with a call, inherit,
    // type_use or data dependency.
    let mut pairs: BTreeSet<(u32, u32)> = BTreeSet::new();
    let mut call_pairs: BTreeSet<(u32, u32)> = BTreeSet::new();
    let (mut calls_all, mut calls_across) = (0u64, 0u64);
    for d in &graph.dependencies {
        let (Some(a), Some(b)) = (service(d.from), service(d.to)) else {
            continue;
        };
        if d.kind != EdgeKind::Import {
            pairs.insert((d.from, d.to));
        }
        if d.kind == EdgeKind::Call {
            calls_all += d.count as u64;
            if a != b {
                calls_across += d.count as u64;
                call_pairs.insert((d.from, d.to));
            }
        }
    }
    let mut mu = vec![0u64; k];
    let mut sigma: BTreeMap<(u32, u32), u64> = BTreeMap::new();
    for &(x, y) in &pairs {
        let (a, b) = (service(x).unwrap(), service(y).unwrap());
        if a == b {
            mu[a as usize] += 1;
        } else {
            *sigma.entry((a.min(b), a.max(b))).or_default() += 1;
        }
    }
    let cohesion: f64 = (0..k)
        .map(|i| mu[i] as f64 / (sizes[i] * sizes[i]) as f64)
        .sum::<f64>()
        / k as f64;
    let coupling = if k > 1 {
        sigma
            .iter()
            .map(|(&(i, j), &s)| {
                s as f64 / (2.0 * sizes[i as usize] as f64 * sizes[j as usize] as f64)
            })
            .sum::<f64>()
            / (k * (k - 1) / 2) as f64
    } else {
        0.0
    };
    let ned_in: usize = sizes.iter().filter(|&&s| (5..=20).contains(&s)).sum();

    // Modularity of the seam graph among service members.
    let mut m2 = 0.0;
    let mut strength: BTreeMap<u32, f64> = BTreeMap::new();
    let mut inside = vec![0.0f64; k];
    for e in &seams.edges {
        let (Some(a), Some(b)) = (service(e.a), service(e.b)) else {
            continue;
        };
        m2 += 2.0 * e.weight;
        *strength.entry(e.a).or_default() += e.weight;
        *strength.entry(e.b).or_default() += e.weight;
        if a == b {
            inside[a as usize] += 2.0 * e.weight;
        }
    }
    let mut tot = vec![0.0f64; k];
    for (&u, &s) in &strength {
        tot[service(u).unwrap() as usize] += s;
    }
    let modularity = if m2 > 0.0 {
        (0..k)
            .map(|c| inside[c] / m2 - (tot[c] / m2).powi(2))
            .sum::<f64>()
    } else {
        0.0
    };

    PartitionMetrics {
        modularity: round6(modularity),
        sm: round6(cohesion - coupling),
        icp: if calls_all > 0 {
            round6(calls_across as f64 / calls_all as f64)
        } else {
            0.0
        },
        ifn: round6(call_pairs.len() as f64 / k as f64),
        ned: if n > 0 {
            round6(1.0 - ned_in as f64 / n as f64)
        } else {
            0.0
        },
    }
}
