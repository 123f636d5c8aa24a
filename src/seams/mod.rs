//! Seams: from the code graph and the history to candidate services.
//!
//! 1. The seam graph over production units ([`crate::signals`]): damped
//!    structure, co-change, semantic words and domain stems ([`roles`]),
//!    ownership, and the namespace term where the folder tree agrees with
//!    the dependency graph ([`namespace`]).
//! 2. Leiden consensus over several seeds ([`crate::cluster`]), with pinned
//!    seams; the resolution searched for `--services N`, given by
//!    `--resolution`, or else chosen as the most stable of a grid.
//! 3. The shared kernel ([`kernel`]): used by many services, dependent on
//!    few, never an entity; taken out and the rest clustered again.
//! 4. Placement: data carriers follow their main user, units sharing an
//!    entity's stem follow the entity, folder descriptors their folder;
//!    units with no tie are placed by stem, folder or words; one- and
//!    two-unit services join the service they are most tied to.
//! 5. Names ([`names`]) from entity and member stems, unique.
//!
//! Invariant: deterministic for a given seed, whatever the thread count.

pub mod kernel;
pub mod names;
pub mod namespace;
pub mod roles;

use std::collections::{BTreeMap, BTreeSet};

use crate::cluster::{self, Graph, LeidenOptions, Quality};
use crate::graph::CodeGraph;
use crate::report::SignalShares;
use crate::resolve::{EdgeKind, ParsedFile};
use crate::signals::{self, SeamEdge, SignalInput, SignalWeights};

/// Options of the seams stage.
#[derive(Debug, Clone)]
pub struct SeamOptions {
    pub weights: SignalWeights,
    pub seed: u64,
    /// Number of seeded Leiden runs in the consensus.
    pub runs: usize,
    /// Target number of services (`--services`); searches γ.
    pub services: Option<usize>,
    /// Leiden resolution γ (`--resolution`); `None`: the most stable of
    /// [`RESOLUTION_GRID`].
    pub resolution: Option<f64>,
    pub include_tests: bool,
    pub max_service_size: Option<usize>,
    pub pins: Pins,
}

/// Seams fixed by the architect (`decompose.toml`, `--pin`), already
/// matched to units.
#[derive(Debug, Clone, Default)]
pub struct Pins {
    pub groups: Vec<PinGroup>,
}

#[derive(Debug, Clone)]
pub struct PinGroup {
    pub name: String,
    /// Pins its units into the shared kernel.
    pub kernel: bool,
    /// Unit indices.
    pub units: Vec<u32>,
}

/// What history contributes, indexed by unit.
#[derive(Debug, Default, Clone)]
pub struct UnitHistory {
    pub authors: Vec<BTreeSet<String>>,
    /// (a, b, Σ 1/(n−1)) over unit indices, a < b.
    pub cochange: Vec<(u32, u32, f64)>,
}

/// The inputs of [`find_seams`].
pub struct SeamInput<'a> {
    pub files: &'a [ParsedFile],
    pub graph: &'a CodeGraph,
    pub history: &'a UnitHistory,
    /// Units declaring a table-mapped type (an entity).
    pub entity: &'a [bool],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Pinned,
    Proposed,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Pinned => "pinned",
            Origin::Proposed => "proposed",
        }
    }
}

/// How a unit came to its service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Placement {
    /// Leiden put it there.
    Clustered,
    /// A seam of `decompose.toml` or `--pin`.
    Pinned,
    /// A type without behaviour, moved to its main user.
    Carrier,
    /// Shares the domain stem of an entity of that service.
    Stem,
    /// A folder descriptor (`package-info.java`).
    Descriptor,
    /// No tie: placed with the service holding most of its folder.
    Folder,
    /// No tie: placed with the service closest in identifier words.
    Words,
    /// Was a service of one or two units; joined its closest service.
    Merged,
    /// An entity no repository serves, held by the aggregate root of that
    /// service (with its stem-mates).
    Aggregate,
    /// Generated code, never clustered: joined the service whose units use
    /// it most.
    Generated,
}

impl Placement {
    pub fn as_str(self) -> &'static str {
        match self {
            Placement::Clustered => "clustered",
            Placement::Pinned => "pinned",
            Placement::Carrier => "carrier",
            Placement::Stem => "stem",
            Placement::Descriptor => "descriptor",
            Placement::Folder => "folder",
            Placement::Words => "words",
            Placement::Merged => "merged",
            Placement::Aggregate => "aggregate",
            Placement::Generated => "generated",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Service {
    /// Unit indices, ascending.
    pub members: Vec<u32>,
    pub name: String,
    pub words: Vec<String>,
    pub package: String,
    pub confidence: f64,
    pub signals: SignalShares,
    pub origin: Origin,
}

#[derive(Debug, Clone, Default)]
pub struct Seams {
    /// Per unit: index into `services`.
    pub service_of: Vec<Option<u32>>,
    pub kernel: Vec<bool>,
    /// Per kernel unit: why it is kernel.
    pub kernel_reason: Vec<Option<String>>,
    /// Per production unit without a service: why.
    pub unplaced_reason: Vec<Option<String>>,
    pub placement: Vec<Option<Placement>>,
    pub confidence: Vec<Option<f64>>,
    pub services: Vec<Service>,
    pub resolution: f64,
    /// The seam graph over unit indices (a < b).
    pub edges: Vec<SeamEdge>,
}

/// Resolutions tried when none is given: the consensus with the highest
/// score `Q · agreement` wins (Q: Newman modularity at γ = 1 of the
/// consensus on the seam graph; agreement: mean ARI between the seeded
/// runs), ties (within [`SCORE_TIE`]) to the smaller γ; partitions with
/// fewer than two services of [`CRUMB_MAX`] + 1 units or more do not
/// compete; if none does, γ = 1.
pub const RESOLUTION_GRID: [f64; 5] = [0.5, 0.7, 1.0, 1.4, 2.0];
const SCORE_TIE: f64 = 0.005;
/// Services of at most this many units are crumbs (merged when tied).
pub const CRUMB_MAX: usize = 2;

pub fn find_seams(input: &SeamInput, opts: &SeamOptions) -> Seams {
    let files = input.files;
    let graph = input.graph;
    let n = files.len();
    let in_scope_unit = |u: u32| opts.include_tests || !files[u as usize].test;
    let is_generated = |u: u32| crate::discover::is_generated_file(&files[u as usize]);
    let clustered: Vec<u32> = (0..n as u32)
        .filter(|&u| in_scope_unit(u) && !is_generated(u))
        .collect();
    // Generated code is never clustered (it would form services of its
    // own); it joins the service that uses it once the services exist.
    let generated: Vec<u32> = (0..n as u32)
        .filter(|&u| in_scope_unit(u) && is_generated(u))
        .collect();
    let words: Vec<Vec<String>> = files.iter().map(unit_words).collect();
    let stems: Vec<Option<String>> = files.iter().map(unit_stem).collect();
    let ids: Vec<&str> = files.iter().map(|f| f.id.as_str()).collect();

    // Pins: group per unit; kernel pins.
    let mut pin_of: Vec<Option<u32>> = vec![None; n];
    let mut pinned = vec![false; n];
    let mut seams = Seams {
        service_of: vec![None; n],
        kernel: vec![false; n],
        kernel_reason: vec![None; n],
        unplaced_reason: vec![None; n],
        placement: vec![None; n],
        confidence: vec![None; n],
        ..Seams::default()
    };
    for &u in &generated {
        seams.unplaced_reason[u as usize] = Some(GENERATED_UNUSED.into());
    }
    let in_scope: BTreeSet<u32> = clustered.iter().copied().collect();
    for (g, group) in opts.pins.groups.iter().enumerate() {
        for &u in group.units.iter().filter(|u| in_scope.contains(u)) {
            pinned[u as usize] = true;
            if group.kernel {
                seams.kernel[u as usize] = true;
                seams.kernel_reason[u as usize] =
                    Some(format!("pinned to the kernel by seam {:?}", group.name));
            } else {
                pin_of[u as usize] = Some(g as u32);
            }
        }
    }

    let (edges, home) = seam_edges(&clustered, input, &words, &stems, opts);
    seams.edges = edges.clone();
    let candidates: Vec<u32> = clustered
        .iter()
        .copied()
        .filter(|&u| !seams.kernel[u as usize])
        .collect();
    if candidates.len() < 2 {
        return seams;
    }
    // Entities and the units that share an entity's domain stem (its
    // repository, service, controller) belong to the entity's service.
    let entity_stems: BTreeSet<&str> = (0..n)
        .filter(|&u| input.entity[u])
        .filter_map(|u| stems[u].as_deref())
        .collect();
    let anchored: Vec<bool> = (0..n)
        .map(|u| {
            input.entity[u]
                || stems[u]
                    .as_deref()
                    .is_some_and(|s| entity_stems.contains(s))
        })
        .collect();
    let exempt = kernel::Exempt {
        entity: &anchored,
        pinned: &pinned,
    };

    // First pass: find services with everything in, to see who serves many.
    let (gamma, first) = cluster_units(&candidates, &edges, &pin_of, opts, None);
    let kernel = kernel::shared_kernel(&candidates, &first.membership, graph, &edges, &exempt);
    for (&u, why) in &kernel {
        seams.kernel[u as usize] = true;
        seams.kernel_reason[u as usize] = Some(why.clone());
    }
    if !kernel.is_empty() {
        let first_service: BTreeMap<u32, u32> = candidates
            .iter()
            .copied()
            .zip(first.membership.iter().copied())
            .collect();
        for (u, why) in kernel::kernel_folders(
            &in_scope,
            &seams.kernel,
            &first_service,
            files,
            graph,
            &exempt,
        ) {
            seams.kernel[u as usize] = true;
            seams.kernel_reason[u as usize] = Some(why);
        }
    }
    let rest: Vec<u32> = candidates
        .iter()
        .copied()
        .filter(|u| !seams.kernel[*u as usize])
        .collect();
    seams.resolution = crate::numeric::round6(gamma);
    if rest.len() < 2 {
        return seams;
    }
    let (gamma, result) = if kernel.is_empty() {
        (gamma, first)
    } else {
        cluster_units(&rest, &edges, &pin_of, opts, Some(gamma))
    };
    seams.resolution = crate::numeric::round6(gamma);

    let mut tied = vec![false; n];
    for e in &edges {
        tied[e.a as usize] = true;
        tied[e.b as usize] = true;
    }
    // Service per unit, as community ids; pinned groups keep theirs.
    let mut service_of: BTreeMap<u32, u32> = BTreeMap::new();
    for (&u, &c) in rest.iter().zip(&result.membership) {
        if tied[u as usize] || pin_of[u as usize].is_some() {
            service_of.insert(u, c);
            seams.placement[u as usize] = Some(if pinned[u as usize] {
                Placement::Pinned
            } else {
                Placement::Clustered
            });
        }
    }
    let movable = |u: u32| !pinned[u as usize];
    let mut adj: Vec<Vec<(u32, f64)>> = vec![Vec::new(); n];
    for e in &edges {
        adj[e.a as usize].push((e.b, e.weight));
        adj[e.b as usize].push((e.a, e.weight));
    }
    let place = Placer {
        files,
        graph,
        adj: &adj,
        stems: &stems,
        entity: input.entity,
        movable: &movable,
    };
    place.carriers(&mut service_of, &mut seams.placement);
    place.entity_stems(&mut service_of, &mut seams.placement);
    // Aggregate roots, decided once for the aggregate and split rules.
    let roots = place.roots();
    place.aggregates(roots.as_ref(), &mut service_of, &mut seams.placement);
    place.descriptors(&rest, &mut service_of, &mut seams.placement);
    let unplaced: Vec<u32> = rest
        .iter()
        .copied()
        .filter(|u| !service_of.contains_key(u))
        .collect();
    let votes = Votes::new(files, &words, &stems, &service_of);
    for u in unplaced {
        match place.untied(u, &votes) {
            Some((s, how)) => {
                service_of.insert(u, s);
                seams.placement[u as usize] = Some(how);
            }
            None => {
                seams.unplaced_reason[u as usize] =
                    Some("no tie to any unit, no folder mate or shared word in a service".into())
            }
        }
    }
    // The kernel rule once more, against the final services: a utility the
    // first pass left inside one domain's cluster can end up a service of
    // its own that every domain uses (a `Clock` and its implementation).
    if !kernel.is_empty() {
        let (units, membership): (Vec<u32>, Vec<u32>) =
            service_of.iter().map(|(&u, &c)| (u, c)).unzip();
        for (u, why) in kernel::shared_kernel(&units, &membership, graph, &edges, &exempt) {
            service_of.remove(&u);
            seams.placement[u as usize] = None;
            seams.kernel[u as usize] = true;
            seams.kernel_reason[u as usize] = Some(why);
        }
        for (u, why) in
            kernel::kernel_folders(&in_scope, &seams.kernel, &service_of, files, graph, &exempt)
        {
            service_of.remove(&u);
            seams.placement[u as usize] = None;
            seams.kernel[u as usize] = true;
            seams.kernel_reason[u as usize] = Some(why);
        }
    }
    // After the kernel took the shared supertypes (`NamedEntity`), so that
    // they no longer tie a lookup entity's service to others.
    place.satellites(&mut service_of, &mut seams.placement);
    // `--services N` is the user's count: no split adds to it.
    if opts.services.is_none() {
        place.split_roots(roots.as_ref(), &mut service_of, &mut seams.placement);
    }
    let pinned_community: BTreeSet<u32> = service_of
        .iter()
        .filter(|(&u, _)| pin_of[u as usize].is_some())
        .map(|(_, &c)| c)
        .collect();
    let stuck = place.crumbs(&mut service_of, &mut seams.placement, &pinned_community);
    // A crumb tied to no other service: a unit that the kernel uses or
    // whose type implements a kernel type, tied to nothing but the kernel,
    // is kernel (`SystemClock` for `Clock`); any other is placed like an
    // untied unit (a servlet that only calls a kernel utility).
    let mut loose = Vec::new();
    for &u in &stuck {
        if place.kernel_bound(u, &seams.kernel, &in_scope) {
            service_of.remove(&u);
            seams.placement[u as usize] = None;
            seams.kernel[u as usize] = true;
            seams.kernel_reason[u as usize] =
                Some("tied only to the kernel, which it serves or implements".into());
        } else {
            loose.push(u);
        }
    }
    if !loose.is_empty() {
        let mut others = service_of.clone();
        for u in &loose {
            others.remove(u);
        }
        let votes = Votes::new(files, &words, &stems, &others);
        for u in loose {
            if let Some((s, how)) = place.untied(u, &votes) {
                service_of.insert(u, s);
                seams.placement[u as usize] = Some(how);
            }
        }
    }

    let generated_share = attach_generated(&generated, graph, &mut service_of);
    for &u in generated_share.keys() {
        seams.placement[u as usize] = Some(Placement::Generated);
        seams.unplaced_reason[u as usize] = None;
    }
    // A generated unit the architect pinned goes where the pin says (still
    // outside the seam graph, so the figures do not change with the pin).
    let mut next = service_of.values().copied().max().map_or(0, |c| c + 1);
    let mut pin_community: BTreeMap<u32, u32> = service_of
        .iter()
        .filter_map(|(&u, &c)| Some((pin_of[u as usize]?, c)))
        .collect();
    let generated_set: BTreeSet<u32> = generated.iter().copied().collect();
    for (g, group) in opts.pins.groups.iter().enumerate() {
        for &u in group.units.iter().filter(|u| generated_set.contains(u)) {
            seams.unplaced_reason[u as usize] = None;
            if group.kernel {
                service_of.remove(&u);
                seams.placement[u as usize] = None;
                seams.kernel[u as usize] = true;
                seams.kernel_reason[u as usize] =
                    Some(format!("pinned to the kernel by seam {:?}", group.name));
                continue;
            }
            let c = *pin_community.entry(g as u32).or_insert_with(|| {
                next += 1;
                next - 1
            });
            service_of.insert(u, c);
            pin_of[u as usize] = Some(g as u32);
            pinned[u as usize] = true;
            seams.placement[u as usize] = Some(Placement::Pinned);
        }
    }

    // Number services by their smallest member, so ids are stable.
    let mut groups: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for (&u, &c) in &service_of {
        groups.entry(c).or_default().push(u);
    }
    let mut groups: Vec<Vec<u32>> = groups.into_values().collect();
    groups.sort();
    let consensus_confidence: BTreeMap<u32, f64> = rest
        .iter()
        .zip(&result.node_confidence)
        .map(|(&u, &c)| (u, c))
        .collect();
    let shared_prefix = names::common_prefix(service_of.keys().map(|&u| folder(ids[u as usize])));
    let vectors = signals::tfidf(&words);
    let vocab = names::vocabulary(&words);
    let generic = names::generic_words(&service_of, &words);
    let mut used: BTreeSet<String> = opts.pins.groups.iter().map(|g| g.name.clone()).collect();
    for (s, members) in groups.into_iter().enumerate() {
        let pin = members.iter().find_map(|&u| pin_of[u as usize]);
        let member_set: BTreeSet<u32> = members.iter().copied().collect();
        for &u in &members {
            seams.service_of[u as usize] = Some(s as u32);
            let c = match seams.placement[u as usize] {
                Some(Placement::Clustered) | Some(Placement::Pinned) => {
                    consensus_confidence.get(&u).copied().unwrap_or(1.0)
                }
                Some(Placement::Generated) => generated_share[&u],
                _ => home_share(&adj[u as usize], &member_set),
            };
            seams.confidence[u as usize] = Some(crate::numeric::round6(c));
        }
        let confidence = members
            .iter()
            .map(|&u| seams.confidence[u as usize].unwrap_or(0.0))
            .sum::<f64>()
            / members.len() as f64;
        // Generated members never name a service: their words are the
        // generator's (`OrderLineExample`), not the team's.
        let naming: Vec<u32> = members
            .iter()
            .copied()
            .filter(|&u| seams.placement[u as usize] != Some(Placement::Generated))
            .collect();
        let naming = if naming.is_empty() { &members } else { &naming };
        let top = names::top_words(naming, &vectors, &vocab, &generic, 5);
        let package = names::dominant_package(naming, &ids);
        let (name, origin) = match pin {
            Some(g) => (opts.pins.groups[g as usize].name.clone(), Origin::Pinned),
            None => {
                let member_stems: Vec<String> = naming
                    .iter()
                    .filter_map(|&u| stems[u as usize].clone())
                    .collect();
                // An entity's stem counts once per member sharing it, so
                // the aggregate the service is built around (`Cargo` with
                // its factory and repositories) names it, not a part
                // (`Leg`).
                let own: BTreeSet<&str> = naming
                    .iter()
                    .filter(|&&u| input.entity[u as usize])
                    .filter_map(|&u| stems[u as usize].as_deref())
                    .collect();
                let entity_stems: Vec<String> = member_stems
                    .iter()
                    .filter(|st| own.contains(st.as_str()))
                    .cloned()
                    .collect();
                // The home folder most members share, when the folder tree
                // agrees with the code (package by feature): its name is
                // the one the team uses.
                let mut homes: BTreeMap<&str, usize> = BTreeMap::new();
                for &u in &members {
                    if let Some(h) = &home[u as usize] {
                        // The home and its enclosing folders below the
                        // shared prefix each get the member's vote.
                        let mut f = h.as_str();
                        while f.len() > shared_prefix.len() {
                            *homes.entry(f).or_default() += 1;
                            f = folder(f);
                        }
                    }
                }
                // The deepest folder holding more than half the members.
                let home_folder = homes
                    .into_iter()
                    .filter(|&(_, c)| c * 2 > members.len())
                    .max_by(|a, b| a.0.len().cmp(&b.0.len()).then(b.0.cmp(a.0)))
                    .map(|(h, _)| h.rsplit('/').next().unwrap_or(h).to_lowercase());
                let c = names::candidates(
                    home_folder.as_deref(),
                    &entity_stems,
                    &member_stems,
                    &top,
                    &package,
                    &shared_prefix,
                    &generic,
                );
                (names::unique_name(&c, &mut used), Origin::Proposed)
            }
        };
        seams.services.push(Service {
            signals: signal_shares(&edges, &member_set, &opts.weights),
            members,
            name,
            words: top,
            package,
            confidence: crate::numeric::round6(confidence),
            origin,
        });
    }
    seams
}

/// Why a generated unit has no service.
const GENERATED_UNUSED: &str =
    "generated code: never clustered, and no unit of a service uses it or is used by it";

/// Generated units to the service whose units reference them most
/// (dependency counts into the unit, every kind, `data` included); a unit
/// nobody references joins the service it references most. Repeated until
/// nothing changes, so generated code used only by generated code (a
/// mapper's `*Example` class) follows it. Ties go to the smaller community
/// id. Returns, per attached unit, the share of its counted references
/// that tie it to that service (its confidence).
fn attach_generated(
    generated: &[u32],
    graph: &CodeGraph,
    service_of: &mut BTreeMap<u32, u32>,
) -> BTreeMap<u32, f64> {
    let wanted: BTreeSet<u32> = generated.iter().copied().collect();
    let mut incoming: BTreeMap<u32, Vec<(u32, u32)>> = BTreeMap::new();
    let mut outgoing: BTreeMap<u32, Vec<(u32, u32)>> = BTreeMap::new();
    for d in graph.dependencies.iter().filter(|d| d.from != d.to) {
        if wanted.contains(&d.to) {
            incoming.entry(d.to).or_default().push((d.from, d.count));
        }
        if wanted.contains(&d.from) {
            outgoing.entry(d.from).or_default().push((d.to, d.count));
        }
    }
    let mut share = BTreeMap::new();
    loop {
        let mut moves = Vec::new();
        for &u in generated.iter().filter(|u| !share.contains_key(*u)) {
            let votes = |list: Option<&Vec<(u32, u32)>>| {
                let mut by: BTreeMap<u32, u64> = BTreeMap::new();
                for &(v, c) in list.into_iter().flatten() {
                    if let Some(&s) = service_of.get(&v) {
                        *by.entry(s).or_default() += c as u64;
                    }
                }
                by
            };
            let mut by = votes(incoming.get(&u));
            if by.is_empty() {
                by = votes(outgoing.get(&u));
            }
            let total: u64 = by.values().sum();
            if let Some((&s, &c)) = by.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) {
                moves.push((u, s, crate::numeric::round6(c as f64 / total as f64)));
            }
        }
        if moves.is_empty() {
            break;
        }
        for (u, s, c) in moves {
            service_of.insert(u, s);
            share.insert(u, c);
        }
    }
    share
}

/// Share of a unit's seam weight (its adjacency) that ties it to `members`
/// (0 without ties).
fn home_share(adj: &[(u32, f64)], members: &BTreeSet<u32>) -> f64 {
    let (mut home, mut all) = (0.0, 0.0);
    for &(other, w) in adj {
        all += w;
        if members.contains(&other) {
            home += w;
        }
    }
    if all > 0.0 {
        home / all
    } else {
        0.0
    }
}

/// The placement rules after clustering.
struct Placer<'a> {
    files: &'a [ParsedFile],
    graph: &'a CodeGraph,
    /// Seam-graph neighbours of every unit, with weights.
    adj: &'a [Vec<(u32, f64)>],
    stems: &'a [Option<String>],
    entity: &'a [bool],
    movable: &'a dyn Fn(u32) -> bool,
}

/// The folder of a unit id (`""` at the root).
pub(crate) fn folder(id: &str) -> &str {
    id.rsplit_once('/').map_or("", |(d, _)| d)
}

fn best_vote(votes: Option<&BTreeMap<u32, usize>>) -> Option<u32> {
    votes?
        .iter()
        .filter(|(_, &c)| c > 0)
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(&s, _)| s)
}

/// What the assigned units say, counted once before untied units are
/// placed: services per folder (exact and subtree), per stem and per word.
struct Votes<'a> {
    exact: BTreeMap<&'a str, BTreeMap<u32, usize>>,
    subtree: BTreeMap<&'a str, BTreeMap<u32, usize>>,
    stem: BTreeMap<&'a str, BTreeMap<u32, usize>>,
    word: BTreeMap<&'a str, BTreeMap<u32, usize>>,
    /// Members per service.
    size: BTreeMap<u32, usize>,
    words: &'a [Vec<String>],
}

impl<'a> Votes<'a> {
    fn new(
        files: &'a [ParsedFile],
        words: &'a [Vec<String>],
        stems: &'a [Option<String>],
        service_of: &BTreeMap<u32, u32>,
    ) -> Votes<'a> {
        let mut v = Votes {
            exact: BTreeMap::new(),
            subtree: BTreeMap::new(),
            stem: BTreeMap::new(),
            word: BTreeMap::new(),
            size: BTreeMap::new(),
            words,
        };
        for (&u, &s) in service_of {
            *v.size.entry(s).or_default() += 1;
            let mut dir = folder(&files[u as usize].id);
            *v.exact.entry(dir).or_default().entry(s).or_default() += 1;
            loop {
                *v.subtree.entry(dir).or_default().entry(s).or_default() += 1;
                if dir.is_empty() {
                    break;
                }
                dir = folder(dir);
            }
            if let Some(stem) = &stems[u as usize] {
                *v.stem
                    .entry(stem.as_str())
                    .or_default()
                    .entry(s)
                    .or_default() += 1;
            }
            let set: BTreeSet<&str> = words[u as usize].iter().map(String::as_str).collect();
            for w in set {
                *v.word.entry(w).or_default().entry(s).or_default() += 1;
            }
        }
        v
    }
}

/// The entity names repositories serve, and per unit whether it is an
/// aggregate root ([`Placer::roots`]).
type Roots<'a> = (BTreeSet<&'a str>, Vec<bool>);

impl<'a> Placer<'a> {
    /// Type names of the entities a unit declares.
    fn entity_names(&self, u: u32) -> Vec<&'a str> {
        let f = &self.files[u as usize];
        f.facts
            .tables
            .iter()
            .filter_map(|t| t.type_index)
            .filter_map(|i| f.facts.types.get(i as usize))
            .map(|t| t.name.as_str())
            .collect()
    }

    /// The entity names repositories serve, and per unit whether it is an
    /// aggregate root (an entity unit one of whose entities a repository
    /// serves); `None` where the code has no repository.
    fn roots(&self) -> Option<Roots<'a>> {
        let served: BTreeSet<&str> = self
            .files
            .iter()
            .flat_map(|f| f.facts.repositories.iter().map(|r| r.entity.as_str()))
            .collect();
        if served.is_empty() {
            return None;
        }
        let root = (0..self.files.len() as u32)
            .map(|u| {
                self.entity[u as usize] && self.entity_names(u).iter().any(|n| served.contains(n))
            })
            .collect();
        Some((served, root))
    }

    /// Aggregates in packages of their own: when a service holds aggregate
    /// roots from two folders or more and each of those folders declares
    /// a repository (the team made one package per aggregate:
    /// `model/cargo/`, `model/location/`), the service is split per folder.
    /// Each folder's group is its units in the service plus the units
    /// elsewhere in the service sharing the stem of one of its entities
    /// (`LocationRepositoryJPA`); a unit two groups claim, and every other
    /// unit, stays with the largest group. A group of [`CRUMB_MAX`] units
    /// or fewer stays too.
    fn split_roots(
        &self,
        roots: Option<&Roots>,
        service_of: &mut BTreeMap<u32, u32>,
        placement: &mut [Option<Placement>],
    ) {
        let Some((_, root)) = roots else {
            return;
        };
        // Folders holding a repository: a declared one, or a repository
        // port named after one of the folder's entities.
        let entity_stems_in: BTreeSet<(&str, &str)> = (0..self.files.len())
            .filter(|&u| self.entity[u])
            .filter_map(|u| Some((folder(&self.files[u].id), self.stems[u].as_deref()?)))
            .collect();
        let repository_folders: BTreeSet<&str> = self
            .files
            .iter()
            .enumerate()
            .filter(|(u, f)| {
                let dir = folder(&f.id);
                !f.facts.repositories.is_empty()
                    || (f
                        .facts
                        .types
                        .iter()
                        .any(|t| roles::is_repository_name(&t.name))
                        && self.stems[*u]
                            .as_deref()
                            .is_some_and(|st| entity_stems_in.contains(&(dir, st))))
            })
            .map(|(_, f)| folder(&f.id))
            .collect();
        let mut members: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for (&u, &s) in service_of.iter() {
            members.entry(s).or_default().push(u);
        }
        let mut next = members.keys().next_back().map_or(0, |&s| s + 1);
        let mut moves: Vec<(u32, u32)> = Vec::new();
        for m in members.values() {
            let root_folders: BTreeSet<&str> = m
                .iter()
                .filter(|&&u| root[u as usize] && (self.movable)(u))
                .map(|&u| folder(&self.files[u as usize].id))
                .filter(|f| repository_folders.contains(f))
                .collect();
            if root_folders.len() < 2 {
                continue;
            }
            // Stems of each folder's entities.
            let mut stem_home: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
            for &u in m {
                let f = folder(&self.files[u as usize].id);
                if self.entity[u as usize] && root_folders.contains(f) {
                    if let Some(st) = self.stems[u as usize].as_deref() {
                        stem_home.entry(st).or_default().insert(f);
                    }
                }
            }
            let mut groups: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
            for &u in m.iter().filter(|&&u| (self.movable)(u)) {
                let f = folder(&self.files[u as usize].id);
                let home = if root_folders.contains(f) {
                    Some(f)
                } else {
                    self.stems[u as usize]
                        .as_deref()
                        .and_then(|st| stem_home.get(st))
                        .filter(|homes| homes.len() == 1)
                        .and_then(|homes| homes.iter().next().copied())
                };
                if let Some(h) = home {
                    groups.entry(h).or_default().push(u);
                }
            }
            let Some(largest) = groups
                .iter()
                .max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.cmp(a.0)))
                .map(|(&f, _)| f)
            else {
                continue;
            };
            for (f, g) in &groups {
                if *f == largest || g.len() <= CRUMB_MAX {
                    continue;
                }
                moves.extend(g.iter().map(|&u| (u, next)));
                next += 1;
            }
        }
        for (u, t) in moves {
            service_of.insert(u, t);
            placement[u as usize] = Some(Placement::Aggregate);
        }
    }
}

impl Placer<'_> {
    /// A type with no behaviour (no function makes a call) is a data
    /// carrier: it belongs with whoever uses it most.
    fn carriers(&self, service_of: &mut BTreeMap<u32, u32>, placement: &mut [Option<Placement>]) {
        let carriers: Vec<u32> = service_of
            .keys()
            .copied()
            .filter(|&u| (self.movable)(u))
            .filter(|&u| {
                let f = &self.files[u as usize].facts;
                !f.types.is_empty() && f.functions.iter().all(|func| func.calls.is_empty())
            })
            .collect();
        // References into each carrier, indexed once (a scan of every
        // dependency per carrier is quadratic on large trees).
        let mut incoming: BTreeMap<u32, Vec<(u32, u32)>> = BTreeMap::new();
        for u in &carriers {
            incoming.insert(*u, Vec::new());
        }
        for d in &self.graph.dependencies {
            if d.from != d.to {
                if let Some(list) = incoming.get_mut(&d.to) {
                    list.push((d.from, d.count));
                }
            }
        }
        for u in carriers {
            let mut by_service: BTreeMap<u32, u64> = BTreeMap::new();
            for &(from, count) in &incoming[&u] {
                if let Some(&s) = service_of.get(&from) {
                    *by_service.entry(s).or_default() += count as u64;
                }
            }
            let current = service_of[&u];
            let best = by_service
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(&s, &c)| (s, c));
            if let Some((s, c)) = best {
                if s != current && c > by_service.get(&current).copied().unwrap_or(0) {
                    service_of.insert(u, s);
                    placement[u as usize] = Some(Placement::Carrier);
                }
            }
        }
    }

    /// Entities anchor services: a unit whose domain stem is the stem of
    /// exactly one service's entities (`OwnerValidator`, `OwnerEditor` and
    /// `OwnerController` for the entity `Owner`) joins that service.
    fn entity_stems(
        &self,
        service_of: &mut BTreeMap<u32, u32>,
        placement: &mut [Option<Placement>],
    ) {
        let mut anchor: BTreeMap<&str, BTreeSet<u32>> = BTreeMap::new();
        for (&u, &s) in service_of.iter() {
            if self.entity[u as usize] {
                if let Some(stem) = &self.stems[u as usize] {
                    anchor.entry(stem.as_str()).or_default().insert(s);
                }
            }
        }
        let moves: Vec<(u32, u32)> = service_of
            .iter()
            .filter(|(&u, _)| (self.movable)(u) && !self.entity[u as usize])
            .filter_map(|(&u, &s)| {
                let stem = self.stems[u as usize].as_deref()?;
                let targets = anchor.get(stem)?;
                let &t = targets.iter().next()?;
                (targets.len() == 1 && t != s).then_some((u, t))
            })
            .collect();
        for (u, t) in moves {
            service_of.insert(u, t);
            placement[u as usize] = Some(Placement::Stem);
        }
    }

    /// Aggregates: where the code serves entities through repositories
    /// (some entity has one), an entity that no repository serves is
    /// reached through the entities that hold it. When the entities that
    /// depend on it and have a repository (aggregate roots) all sit in one
    /// other service, it joins that service with the units of its service
    /// that share its stem (`Pet`, `PetController` go to `Owner`, whose
    /// repository saves pets): an aggregate is one consistency boundary.
    fn aggregates(
        &self,
        roots: Option<&Roots>,
        service_of: &mut BTreeMap<u32, u32>,
        placement: &mut [Option<Placement>],
    ) {
        let Some((served, root)) = roots else {
            return;
        };
        let entity_names = |u: u32| self.entity_names(u);
        let mut holders: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
        for d in &self.graph.dependencies {
            if d.from != d.to && self.entity[d.to as usize] && root[d.from as usize] {
                if let Some(&s) = service_of.get(&d.from) {
                    holders.entry(d.to).or_default().insert(s);
                }
            }
        }
        let mut moves: Vec<(u32, u32)> = Vec::new();
        for (&e, roots) in &holders {
            let Some(&own) = service_of.get(&e) else {
                continue;
            };
            let names = entity_names(e);
            if !(self.movable)(e) || names.iter().any(|n| served.contains(n)) {
                continue;
            }
            let (Some(&t), 1) = (roots.iter().next(), roots.len()) else {
                continue;
            };
            if t == own {
                continue;
            }
            let stem = self.stems[e as usize].as_deref();
            for (&u, &s) in service_of.iter() {
                if s == own
                    && (u == e
                        || ((self.movable)(u)
                            && !self.entity[u as usize]
                            && stem.is_some()
                            && self.stems[u as usize].as_deref() == stem))
                {
                    moves.push((u, t));
                }
            }
        }
        for (u, t) in moves {
            service_of.insert(u, t);
            placement[u as usize] = Some(Placement::Aggregate);
        }
    }

    /// Reference entities: a service that is one entity domain (every
    /// member an entity or sharing the stem of one of its entities: `PetType`
    /// with its repository and formatter), whose entities are held by
    /// entities of exactly one other service and whose units are used by
    /// that service alone, joins it: a lookup table its only holder reads
    /// is part of the holder's domain, not a service to call remotely.
    fn satellites(&self, service_of: &mut BTreeMap<u32, u32>, placement: &mut [Option<Placement>]) {
        // Descriptors follow their folder later (`descriptors`).
        let mut members: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for (&u, &s) in service_of.iter() {
            if !roles::is_descriptor(&self.files[u as usize]) {
                members.entry(s).or_default().push(u);
            }
        }
        let mut users: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
        let mut holders: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
        for d in &self.graph.dependencies {
            let (Some(&sf), Some(&st)) = (service_of.get(&d.from), service_of.get(&d.to)) else {
                continue;
            };
            if sf == st {
                continue;
            }
            users.entry(st).or_default().insert(sf);
            if self.entity[d.from as usize] && self.entity[d.to as usize] {
                holders.entry(st).or_default().insert(sf);
            }
        }
        let mut moves = Vec::new();
        for (s, m) in &members {
            let stems: BTreeSet<&str> = m
                .iter()
                .filter(|&&u| self.entity[u as usize])
                .filter_map(|&u| self.stems[u as usize].as_deref())
                .collect();
            let one_domain = !stems.is_empty()
                && m.iter().all(|&u| {
                    (self.movable)(u)
                        && self.stems[u as usize]
                            .as_deref()
                            .is_some_and(|st| stems.contains(st))
                });
            let (Some(h), Some(us)) = (holders.get(s), users.get(s)) else {
                continue;
            };
            if one_domain && h.len() == 1 && h == us {
                let t = *h.iter().next().expect("one holder");
                moves.extend(m.iter().map(|&u| (u, t)));
            }
        }
        for (u, t) in moves {
            service_of.insert(u, t);
            placement[u as usize] = Some(Placement::Aggregate);
        }
    }

    /// Descriptors (`package-info.java`, a code-less `__init__.py`;
    /// [`roles::is_descriptor`]) describe their folder: they go to the
    /// service holding most of their folder's units.
    fn descriptors(
        &self,
        units: &[u32],
        service_of: &mut BTreeMap<u32, u32>,
        placement: &mut [Option<Placement>],
    ) {
        let is_descriptor = |u: u32| roles::is_descriptor(&self.files[u as usize]);
        let descriptors: BTreeSet<u32> = units
            .iter()
            .copied()
            .filter(|&u| is_descriptor(u) && (self.movable)(u))
            .collect();
        let mut exact: BTreeMap<&str, BTreeMap<u32, usize>> = BTreeMap::new();
        for (&u, &s) in service_of.iter().filter(|(u, _)| !descriptors.contains(u)) {
            *exact
                .entry(folder(&self.files[u as usize].id))
                .or_default()
                .entry(s)
                .or_default() += 1;
        }
        for &u in &descriptors {
            service_of.remove(&u);
            placement[u as usize] = None;
            if let Some(s) = best_vote(exact.get(folder(&self.files[u as usize].id))) {
                service_of.insert(u, s);
                placement[u as usize] = Some(Placement::Descriptor);
            }
        }
    }

    /// A unit with no tie (wired by a framework, a leftover): the service
    /// whose units share its stem; else its folder's service when the
    /// folder has assigned units; else the service closest in words; else
    /// the service of the nearest enclosing folder.
    fn untied(&self, u: u32, votes: &Votes) -> Option<(u32, Placement)> {
        if let Some(stem) = &self.stems[u as usize] {
            if let Some(s) = best_vote(votes.stem.get(stem.as_str())) {
                return Some((s, Placement::Stem));
            }
        }
        let mut dir = folder(&self.files[u as usize].id);
        if let Some(s) = best_vote(votes.exact.get(dir)) {
            return Some((s, Placement::Folder));
        }
        // Words: the service whose members share most of the unit's words
        // on average (Σ shared words / members).
        let mut score: BTreeMap<u32, usize> = BTreeMap::new();
        let mine: BTreeSet<&str> = votes.words[u as usize].iter().map(String::as_str).collect();
        for w in mine {
            for (&s, &c) in votes.word.get(w).into_iter().flatten() {
                *score.entry(s).or_default() += c;
            }
        }
        let best = score
            .iter()
            .filter(|(_, &c)| c > 0)
            .map(|(&s, &c)| {
                (
                    s,
                    c as f64 / votes.size.get(&s).copied().unwrap_or(1) as f64,
                )
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        if let Some((s, _)) = best {
            return Some((s, Placement::Words));
        }
        loop {
            if let Some(s) = best_vote(votes.subtree.get(dir)) {
                return Some((s, Placement::Folder));
            }
            if dir.is_empty() {
                return None;
            }
            dir = folder(dir);
        }
    }

    /// Every dependency tie of `u` (among `scope`) is with the kernel, and
    /// something uses `u` or `u` inherits from a kernel unit.
    fn kernel_bound(&self, u: u32, kernel: &[bool], scope: &BTreeSet<u32>) -> bool {
        let mut any = false;
        let mut serves = false;
        for d in &self.graph.dependencies {
            if d.from == d.to || !(d.from == u || d.to == u) {
                continue;
            }
            let other = if d.from == u { d.to } else { d.from };
            if !scope.contains(&other) {
                continue;
            }
            if !kernel[other as usize] {
                return false;
            }
            any = true;
            serves |= d.to == u || d.kind == EdgeKind::Inherit;
        }
        any && serves
    }

    /// Services of at most [`CRUMB_MAX`] units join the service their
    /// members are most tied to (seam weight), smallest first; pinned
    /// services stay. Returns the members of crumbs tied to no other
    /// service.
    fn crumbs(
        &self,
        service_of: &mut BTreeMap<u32, u32>,
        placement: &mut [Option<Placement>],
        keep: &BTreeSet<u32>,
    ) -> Vec<u32> {
        loop {
            let mut size: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
            for (&u, &s) in service_of.iter() {
                size.entry(s).or_default().push(u);
            }
            if size.len() < 2 {
                return Vec::new();
            }
            let mut crumbs: Vec<(usize, u32, u32)> = size
                .iter()
                .filter(|(s, m)| m.len() <= CRUMB_MAX && !keep.contains(s))
                .map(|(&s, m)| (m.len(), m[0], s))
                .collect();
            crumbs.sort();
            let mut merged = false;
            for &(_, _, s) in &crumbs {
                let members: BTreeSet<u32> = size[&s].iter().copied().collect();
                let mut tie: BTreeMap<u32, f64> = BTreeMap::new();
                for &u in &members {
                    for &(other, w) in &self.adj[u as usize] {
                        if let Some(&t) = service_of.get(&other).filter(|&&t| t != s) {
                            *tie.entry(t).or_default() += w;
                        }
                    }
                }
                if let Some((&t, _)) = tie
                    .iter()
                    .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
                {
                    for &u in &members {
                        service_of.insert(u, t);
                        placement[u as usize] = Some(Placement::Merged);
                    }
                    merged = true;
                    break;
                }
            }
            if !merged {
                return crumbs
                    .iter()
                    .flat_map(|&(_, _, s)| size[&s].clone())
                    .collect();
            }
        }
    }
}

/// The seam graph, and each unit's home folder (namespace agreement).
fn seam_edges(
    clustered: &[u32],
    input: &SeamInput,
    words: &[Vec<String>],
    stems: &[Option<String>],
    opts: &SeamOptions,
) -> (Vec<SeamEdge>, Vec<Option<String>>) {
    let files = input.files;
    let mut local = vec![u32::MAX; files.len()];
    for (i, &u) in clustered.iter().enumerate() {
        local[u as usize] = i as u32;
    }
    let inside = |u: u32| local[u as usize] != u32::MAX;
    let deps: Vec<(u32, u32, EdgeKind, u32)> = input
        .graph
        .dependencies
        .iter()
        .filter(|d| inside(d.from) && inside(d.to))
        .map(|d| {
            (
                local[d.from as usize],
                local[d.to as usize],
                d.kind,
                d.count,
            )
        })
        .collect();
    let cochange: Vec<(u32, u32, f64)> = input
        .history
        .cochange
        .iter()
        .filter(|c| inside(c.0) && inside(c.1))
        .map(|c| (local[c.0 as usize], local[c.1 as usize], c.2))
        .collect();
    let local_words: Vec<Vec<String>> = clustered
        .iter()
        .map(|&u| words[u as usize].clone())
        .collect();
    let no_authors = BTreeSet::new();
    let local_authors: Vec<BTreeSet<String>> = clustered
        .iter()
        .map(|&u| {
            input
                .history
                .authors
                .get(u as usize)
                .unwrap_or(&no_authors)
                .clone()
        })
        .collect();
    let local_stems: Vec<Option<String>> = clustered
        .iter()
        .map(|&u| stems[u as usize].clone())
        .collect();
    let ids: Vec<&str> = clustered
        .iter()
        .map(|&u| files[u as usize].id.as_str())
        .collect();
    let prefix = names::common_prefix(ids.iter().map(|id| folder(id)));
    let raw = signals::structural_raw(clustered.len(), &deps);
    let agree = namespace::agreements(&ids, &prefix, &raw);
    let homes = namespace::homes(&ids, &prefix, &agree);
    let ns = namespace::pairs(&homes);
    let signal_input = SignalInput {
        n: clustered.len(),
        dependencies: &deps,
        cochange: &cochange,
        words: &local_words,
        authors: &local_authors,
        stems: &local_stems,
        namespace: &ns,
    };
    let edges = signals::seam_graph(&signal_input, &opts.weights)
        .into_iter()
        .map(|e| SeamEdge {
            a: clustered[e.a as usize],
            b: clustered[e.b as usize],
            ..e
        })
        .collect();
    let mut home = vec![None; files.len()];
    for (i, h) in homes.iter().enumerate() {
        home[clustered[i] as usize] = h.map(|(f, _)| f.to_string());
    }
    (edges, home)
}

/// Runs the consensus over `units` (global indices) using the seam edges
/// among them; returns γ and the consensus in the order of `units`.
/// `fixed`: the resolution chosen by an earlier pass.
fn cluster_units(
    units: &[u32],
    edges: &[SeamEdge],
    pin_of: &[Option<u32>],
    opts: &SeamOptions,
    fixed: Option<f64>,
) -> (f64, cluster::Consensus) {
    let mut local = BTreeMap::new();
    for (i, &u) in units.iter().enumerate() {
        local.insert(u, i as u32);
    }
    let list: Vec<(u32, u32, f64)> = edges
        .iter()
        .filter_map(|e| Some((*local.get(&e.a)?, *local.get(&e.b)?, e.weight)))
        .collect();
    let g = Graph::from_edges(units.len(), &list);
    let pins: Vec<Option<u32>> = units.iter().map(|&u| pin_of[u as usize]).collect();
    let pinned = pins.iter().any(Option::is_some).then_some(pins.as_slice());
    let leiden = |gamma: f64| LeidenOptions {
        quality: Quality::Modularity,
        resolution: gamma,
        seed: opts.seed,
        max_community_size: opts.max_service_size,
        ..LeidenOptions::default()
    };
    let seeds: Vec<u64> = (0..opts.runs.max(1) as u64)
        .map(|i| opts.seed.wrapping_mul(1_000_003).wrapping_add(i))
        .collect();
    if let Some(target) = opts.services {
        let start = fixed.or(opts.resolution).unwrap_or(1.0);
        return cluster::search_resolution(
            &g,
            target,
            CRUMB_MAX + 1,
            &leiden(start),
            &seeds,
            pinned,
        );
    }
    if let Some(gamma) = fixed.or(opts.resolution) {
        return (
            gamma,
            cluster::consensus(&g, &leiden(gamma), &seeds, pinned),
        );
    }
    // The grid's best: modularity (γ = 1) of the consensus times its
    // agreement across seeds.
    let mut best: Option<(f64, f64, cluster::Consensus)> = None;
    for gamma in RESOLUTION_GRID {
        let c = cluster::consensus(&g, &leiden(gamma), &seeds, pinned);
        if cluster::count_communities(&c.membership, CRUMB_MAX + 1) < 2 {
            continue;
        }
        let score = cluster::modularity(&g, &c.membership, 1.0) * c.agreement;
        if best.as_ref().is_none_or(|b| score > b.1 + SCORE_TIE) {
            best = Some((gamma, score, c));
        }
    }
    if let Some((gamma, _, c)) = best {
        return (gamma, c);
    }
    (1.0, cluster::consensus(&g, &leiden(1.0), &seeds, pinned))
}

/// Words of a unit for the semantic signal: its declared names and its
/// path (folders and file stem).
pub fn unit_words(file: &ParsedFile) -> Vec<String> {
    let mut out = Vec::new();
    let path = file
        .id
        .rsplit_once('.')
        .map_or(file.id.as_str(), |(p, _)| p);
    for seg in path.split('/') {
        signals::split_words(seg, &mut out);
    }
    let facts = &file.facts;
    for t in &facts.types {
        signals::split_words(&t.name, &mut out);
        for f in &t.fields {
            signals::split_words(&f.name, &mut out);
        }
    }
    for f in &facts.functions {
        if f.name != "<init>" {
            signals::split_words(&f.name, &mut out);
        }
    }
    out
}

/// The domain stem of a unit: of its type named like the file (Java), else
/// of the file name; for a role module (`views.py`, `mod.rs`) of nothing.
pub fn unit_stem(file: &ParsedFile) -> Option<String> {
    let (dir, name) = file.id.rsplit_once('/').unwrap_or(("", &file.id));
    let stem = name.split('.').next().unwrap_or(name);
    roles::domain_stem(stem, file.language).or_else(|| {
        // A role module (`orders/views.py`, `orders/mod.rs`) takes the
        // stem of its package: in those languages the folder is the module
        // that names the domain.
        if !matches!(
            file.language,
            crate::lang::Language::Python | crate::lang::Language::Rust
        ) {
            return None;
        }
        dir.rsplit('/')
            .filter(|p| !p.is_empty())
            .find(|p| !roles::is_source_folder(p) && !roles::is_role_word(p))
            .and_then(|p| roles::domain_stem(p, file.language))
    })
}

/// Share of a service's internal seam weight that each signal contributes.
fn signal_shares(edges: &[SeamEdge], members: &BTreeSet<u32>, w: &SignalWeights) -> SignalShares {
    let mut s = SignalShares::default();
    for e in edges
        .iter()
        .filter(|e| members.contains(&e.a) && members.contains(&e.b))
    {
        s.structural += w.structural * e.structural;
        s.cochange += w.cochange * e.cochange;
        s.semantic += w.semantic * e.semantic;
        s.ownership += w.ownership * e.ownership;
        s.namespace += w.namespace * e.namespace;
    }
    let total = s.structural + s.cochange + s.semantic + s.ownership + s.namespace;
    if total > 0.0 {
        let r = crate::numeric::round6;
        s = SignalShares {
            structural: r(s.structural / total),
            cochange: r(s.cochange / total),
            semantic: r(s.semantic / total),
            ownership: r(s.ownership / total),
            namespace: r(s.namespace / total),
        };
    }
    s
}
