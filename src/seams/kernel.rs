//! The shared kernel: what many services use and that itself depends on
//! few (docs/metrics.md, "Shared kernel").
//!
//! A unit is kernel when (a) the production units depending on it lie in at
//! least T services other than its own, or in at least T services counting
//! its own while less than half of its seam weight ties it to its own
//! service or while it is a leaf supertype (it depends on no unit, and
//! units of at least two services inherit from it: `BaseEntity`), T = min(max(3, ⌈(K − 1)/2⌉), max(2, K − 1)) for K services; (b) it depends on at
//! most [`KERNEL_MAX_OUT`] units outside the kernel (so the kernel's
//! references back into services stay bounded); (c) it is no table-mapped
//! entity (an entity belongs to exactly one service) and no pinned unit.
//! Units that something uses and whose every dependency tie is with the
//! kernel join it (a utility's private helper). A unit nothing uses is
//! never kernel, except a descriptor of a kernel folder. [`kernel_folders`]
//! then completes the folders the kernel holds most of (`common/`,
//! `model/`): their other units that depend only on the kernel and serve
//! two services or more join it. Every kernel unit carries its reason.

use std::collections::{BTreeMap, BTreeSet};

use crate::graph::CodeGraph;
use crate::resolve::{EdgeKind, ParsedFile};
use crate::signals::SeamEdge;

const KERNEL_SHARE: f64 = 0.5;
const KERNEL_MIN_SERVICES: usize = 3;
/// Most distinct non-kernel units a kernel unit may depend on.
pub const KERNEL_MAX_OUT: usize = 2;

/// What the kernel rule may not take.
pub struct Exempt<'a> {
    pub entity: &'a [bool],
    pub pinned: &'a [bool],
}

/// Kernel units among `units` (assigned to `membership`), with reasons.
pub fn shared_kernel(
    units: &[u32],
    membership: &[u32],
    graph: &CodeGraph,
    edges: &[SeamEdge],
    exempt: &Exempt,
) -> BTreeMap<u32, String> {
    let service: BTreeMap<u32, u32> = units
        .iter()
        .copied()
        .zip(membership.iter().copied())
        .collect();
    let n_services = membership.iter().collect::<BTreeSet<_>>().len();
    let threshold = (((n_services.saturating_sub(1)) as f64 * KERNEL_SHARE)
        .ceil()
        .max(KERNEL_MIN_SERVICES as f64) as usize)
        .min(n_services.saturating_sub(1).max(2));
    let mut users: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
    let mut dependents: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
    let mut targets: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
    // Services of the units that inherit from (extend, implement) a unit.
    let mut heirs: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
    for d in &graph.dependencies {
        if d.from == d.to {
            continue;
        }
        if let (Some(&sf), Some(_)) = (service.get(&d.from), service.get(&d.to)) {
            users.entry(d.to).or_default().insert(sf);
            dependents.entry(d.to).or_default().insert(d.from);
            targets.entry(d.from).or_default().insert(d.to);
            if d.kind == EdgeKind::Inherit {
                heirs.entry(d.to).or_default().insert(sf);
            }
        }
    }
    let mut weight: BTreeMap<u32, (f64, f64)> = BTreeMap::new();
    for e in edges {
        if let (Some(&sa), Some(&sb)) = (service.get(&e.a), service.get(&e.b)) {
            for u in [e.a, e.b] {
                let w = weight.entry(u).or_default();
                w.1 += e.weight;
                if sa == sb {
                    w.0 += e.weight;
                }
            }
        }
    }
    let may = |u: u32| !exempt.entity[u as usize] && !exempt.pinned[u as usize];
    let mut kernel: BTreeSet<u32> = users
        .iter()
        .filter(|(&u, services)| {
            let own = service[&u];
            let others = services.iter().filter(|&&s| s != own).count();
            let (home, all) = weight.get(&u).copied().unwrap_or((0.0, 0.0));
            may(u)
                && (others >= threshold
                    || (services.len() >= threshold
                        && (home < KERNEL_SHARE * all
                            || (!targets.contains_key(&u)
                                && heirs.get(&u).is_some_and(|h| h.len() >= 2)))))
        })
        .map(|(&u, _)| u)
        .collect();
    // Depends on few: drop candidates with too many targets outside the
    // kernel, until none has (dropping one can push another over).
    let outside = |u: u32, kernel: &BTreeSet<u32>| {
        targets
            .get(&u)
            .map_or(0, |t| t.iter().filter(|v| !kernel.contains(v)).count())
    };
    loop {
        let over: Vec<u32> = kernel
            .iter()
            .copied()
            .filter(|&u| outside(u, &kernel) > KERNEL_MAX_OUT)
            .collect();
        if over.is_empty() {
            break;
        }
        for u in over {
            kernel.remove(&u);
        }
    }
    let mut reasons: BTreeMap<u32, String> = kernel
        .iter()
        .map(|&u| {
            let n = users.get(&u).map_or(0, |s| s.len());
            (
                u,
                format!(
                    "used from {n} services; depends on {} units outside the kernel",
                    outside(u, &kernel)
                ),
            )
        })
        .collect();
    if kernel.is_empty() {
        return reasons;
    }
    // Closure: used units whose every tie is with the kernel.
    loop {
        let mut added = Vec::new();
        for &u in units {
            if kernel.contains(&u) || !may(u) {
                continue;
            }
            let Some(deps) = dependents.get(&u) else {
                continue; // nothing uses it
            };
            let outs = targets.get(&u);
            if deps
                .iter()
                .chain(outs.into_iter().flatten())
                .all(|v| kernel.contains(v))
            {
                added.push(u);
            }
        }
        if added.is_empty() {
            break;
        }
        for u in added {
            kernel.insert(u);
            reasons.insert(
                u,
                "used only by the kernel and depends only on it".to_string(),
            );
        }
    }
    reasons
}

/// The kernel-folder rule: a folder whose production units (among
/// `scope`) are more than half kernel is a kernel folder (the team put its
/// shared code there). Its other units join the kernel when every
/// dependency they have (within `scope`) is on the kernel and the units
/// depending on them lie in at least two services of `service`, or when
/// they describe the folder ([`super::roles::is_descriptor`]). Repeated
/// until nothing changes; entities and pinned units never join.
pub fn kernel_folders(
    scope: &BTreeSet<u32>,
    kernel: &[bool],
    service: &BTreeMap<u32, u32>,
    files: &[ParsedFile],
    graph: &CodeGraph,
    exempt: &Exempt,
) -> BTreeMap<u32, String> {
    let folder = |u: u32| super::folder(&files[u as usize].id);
    let mut size: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for &u in scope {
        let e = size.entry(folder(u)).or_default();
        e.0 += 1;
        if kernel[u as usize] {
            e.1 += 1;
        }
    }
    let mut users: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
    let mut targets: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
    for d in &graph.dependencies {
        if d.from == d.to || !scope.contains(&d.from) || !scope.contains(&d.to) {
            continue;
        }
        targets.entry(d.from).or_default().insert(d.to);
        if let Some(&s) = service.get(&d.from) {
            users.entry(d.to).or_default().insert(s);
        }
    }
    let mut taken: BTreeSet<u32> = BTreeSet::new();
    let mut reasons = BTreeMap::new();
    loop {
        let is_kernel = |v: u32| kernel[v as usize] || taken.contains(&v);
        let mut added = Vec::new();
        for &u in scope {
            if is_kernel(u) || exempt.entity[u as usize] || exempt.pinned[u as usize] {
                continue;
            }
            let f = folder(u);
            let (n, k) = size[f];
            if 2 * k <= n {
                continue;
            }
            if !targets.get(&u).into_iter().flatten().all(|&v| is_kernel(v)) {
                continue;
            }
            let served = users.get(&u).map_or(0, BTreeSet::len);
            let descriptor = super::roles::is_descriptor(&files[u as usize]);
            if served >= 2 || descriptor {
                let why = if descriptor {
                    format!("describes folder {f}/, where {k} of {n} units are kernel")
                } else {
                    format!(
                        "in folder {f}/, where {k} of {n} units are kernel; used from {served} services; depends only on the kernel"
                    )
                };
                added.push((u, f, why));
            }
        }
        if added.is_empty() {
            return reasons;
        }
        for (u, f, why) in added {
            taken.insert(u);
            size.get_mut(f).expect("counted").1 += 1;
            reasons.insert(u, why);
        }
    }
}
