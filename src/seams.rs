//! Seams: from the code graph and the history to candidate services.
//!
//! 1. The seam graph over production units ([`crate::signals`]).
//! 2. Leiden consensus over several seeds ([`crate::cluster`]), at the given
//!    resolution or searched to hit `--services N`.
//! 3. The shared kernel: units used by many services (utilities, base
//!    classes, shared value types) are taken out and the rest re-clustered,
//!    so they neither glue domains together nor get forced into one.
//! 4. Pure data carriers (types without behaviour) follow their main user.
//! 5. Names from each service's dominant package and top TF-IDF words.
//!
//! Invariant: deterministic for a given seed, whatever the thread count.

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
    /// Leiden resolution γ when no target is given.
    pub resolution: f64,
    pub include_tests: bool,
    pub max_service_size: Option<usize>,
}

/// What history contributes, indexed by unit.
#[derive(Debug, Default, Clone)]
pub struct UnitHistory {
    pub authors: Vec<BTreeSet<String>>,
    /// (a, b, Σ 1/(n−1)) over unit indices, a < b.
    pub cochange: Vec<(u32, u32, f64)>,
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
}

#[derive(Debug, Clone, Default)]
pub struct Seams {
    /// Per unit: index into `services`.
    pub service_of: Vec<Option<u32>>,
    pub kernel: Vec<bool>,
    pub confidence: Vec<Option<f64>>,
    pub services: Vec<Service>,
    pub resolution: f64,
    /// The seam graph over unit indices (a < b).
    pub edges: Vec<SeamEdge>,
}

/// A unit used by at least this share of the other services (and at least
/// [`KERNEL_MIN_SERVICES`]) is shared kernel.
const KERNEL_SHARE: f64 = 0.5;
const KERNEL_MIN_SERVICES: usize = 3;

pub fn find_seams(
    files: &[ParsedFile],
    graph: &CodeGraph,
    history: &UnitHistory,
    opts: &SeamOptions,
) -> Seams {
    let n = files.len();
    let clustered: Vec<u32> = (0..n as u32)
        .filter(|&u| opts.include_tests || !files[u as usize].test)
        .filter(|&u| {
            let f = &files[u as usize];
            !crate::discover::is_generated(&f.id, f.language)
        })
        .collect();
    let words: Vec<Vec<String>> = files.iter().map(unit_words).collect();
    let no_authors = BTreeSet::new();
    let authors: Vec<&BTreeSet<String>> = (0..n)
        .map(|u| history.authors.get(u).unwrap_or(&no_authors))
        .collect();

    let edges = seam_edges(&clustered, files, graph, history, &words, &authors, opts);
    let mut seams = Seams {
        service_of: vec![None; n],
        kernel: vec![false; n],
        confidence: vec![None; n],
        edges: edges.clone(),
        ..Seams::default()
    };
    if clustered.len() < 2 {
        return seams;
    }

    // First pass: find services with everything in, to see who serves many.
    let (gamma, first) = cluster_units(&clustered, &edges, opts);
    let kernel = shared_kernel(&clustered, &first.membership, graph, &edges);
    for &u in &kernel {
        seams.kernel[u as usize] = true;
    }
    let rest: Vec<u32> = clustered
        .iter()
        .copied()
        .filter(|u| !seams.kernel[*u as usize])
        .collect();
    if rest.len() < 2 {
        // Everything is shared kernel (or one unit is left): no services.
        seams.resolution = crate::numeric::round6(gamma);
        return seams;
    }
    let (gamma, result) = if kernel.is_empty() {
        (gamma, first)
    } else {
        cluster_units(&rest, &edges, opts)
    };
    seams.resolution = crate::numeric::round6(gamma);

    // A unit with no tie at all is no service of its own: it stays
    // unassigned (an entry point, a leftover, generated glue).
    let mut tied = vec![false; n];
    for e in &edges {
        tied[e.a as usize] = true;
        tied[e.b as usize] = true;
    }
    let mut service_of: BTreeMap<u32, u32> = rest
        .iter()
        .zip(&result.membership)
        .filter(|(&u, _)| tied[u as usize])
        .map(|(&u, &c)| (u, c))
        .collect();
    follow_main_user(files, graph, &mut service_of);
    follow_folder(files, &rest, &mut service_of);
    // The kernel rule once more, against the final services: a utility the
    // first pass left inside one domain's cluster can end up a service of
    // its own that every domain uses (a `Clock` and its implementation).
    if !kernel.is_empty() {
        let (units, membership): (Vec<u32>, Vec<u32>) =
            service_of.iter().map(|(&u, &c)| (u, c)).unzip();
        for u in shared_kernel(&units, &membership, graph, &edges) {
            service_of.remove(&u);
            seams.kernel[u as usize] = true;
        }
    }

    // Number services by their smallest member, so ids are stable.
    let mut groups: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for (&u, &c) in &service_of {
        groups.entry(c).or_default().push(u);
    }
    let mut groups: Vec<Vec<u32>> = groups.into_values().collect();
    groups.sort();
    let confidence_of: BTreeMap<u32, f64> = rest
        .iter()
        .zip(&result.node_confidence)
        .map(|(&u, &c)| (u, c))
        .collect();
    let ids: Vec<&str> = files.iter().map(|f| f.id.as_str()).collect();
    // The folder prefix all clustered production units share (`src/main/
    // java/com/shop`): names are taken from what comes after it.
    let shared_prefix = common_prefix(
        service_of
            .keys()
            .map(|&u| ids[u as usize].rsplit_once('/').map_or("", |(d, _)| d)),
    );
    let vectors = signals::tfidf(&words);
    let generic = generic_words(&service_of, &words);
    let mut used_names: BTreeSet<String> = BTreeSet::new();
    for (s, members) in groups.into_iter().enumerate() {
        for &u in &members {
            seams.service_of[u as usize] = Some(s as u32);
            seams.confidence[u as usize] = Some(crate::numeric::round6(
                confidence_of.get(&u).copied().unwrap_or(1.0),
            ));
        }
        let confidence = members
            .iter()
            .map(|u| confidence_of.get(u).copied().unwrap_or(1.0))
            .sum::<f64>()
            / members.len() as f64;
        let top = top_words(&members, &vectors, &words, &generic, 5);
        let package = dominant_package(&members, &ids);
        let name = unique_name(
            &service_name(&package, &shared_prefix, &top, &generic),
            &mut used_names,
        );
        let member_set: BTreeSet<u32> = members.iter().copied().collect();
        seams.services.push(Service {
            signals: signal_shares(&edges, &member_set, &opts.weights),
            members,
            name,
            words: top,
            package,
            confidence: crate::numeric::round6(confidence),
        });
    }
    seams
}

/// Java's `package-info.java` and `module-info.java` describe their folder
/// and carry no code: on their own they cluster by name into a "package"
/// service. They go to the service holding most of their folder's units,
/// or stay unassigned.
fn follow_folder(files: &[ParsedFile], units: &[u32], service_of: &mut BTreeMap<u32, u32>) {
    let folder = |u: u32| {
        let id = files[u as usize].id.as_str();
        id.rsplit_once('/').map_or("", |(d, _)| d)
    };
    let is_descriptor = |u: u32| {
        let id = files[u as usize].id.as_str();
        let name = id.rsplit('/').next().unwrap_or(id);
        name == "package-info.java" || name == "module-info.java"
    };
    let mut votes: BTreeMap<&str, BTreeMap<u32, u32>> = BTreeMap::new();
    for (&u, &c) in service_of.iter() {
        if !is_descriptor(u) {
            *votes.entry(folder(u)).or_default().entry(c).or_default() += 1;
        }
    }
    for &u in units.iter().filter(|&&u| is_descriptor(u)) {
        // Most members, ties to the lowest service index.
        let best = votes.get(folder(u)).and_then(|v| {
            v.iter()
                .max_by_key(|&(&c, &n)| (n, std::cmp::Reverse(c)))
                .map(|(&c, _)| c)
        });
        match best {
            Some(c) => service_of.insert(u, c),
            None => service_of.remove(&u),
        };
    }
}

#[allow(clippy::too_many_arguments)]
fn seam_edges(
    clustered: &[u32],
    files: &[ParsedFile],
    graph: &CodeGraph,
    history: &UnitHistory,
    words: &[Vec<String>],
    authors: &[&BTreeSet<String>],
    opts: &SeamOptions,
) -> Vec<SeamEdge> {
    // Local indices for the clustered units.
    let mut local = vec![u32::MAX; files.len()];
    for (i, &u) in clustered.iter().enumerate() {
        local[u as usize] = i as u32;
    }
    let inside = |u: u32| local[u as usize] != u32::MAX;
    let deps: Vec<(u32, u32, EdgeKind, u32)> = graph
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
    let cochange: Vec<(u32, u32, f64)> = history
        .cochange
        .iter()
        .filter(|c| inside(c.0) && inside(c.1))
        .map(|c| (local[c.0 as usize], local[c.1 as usize], c.2))
        .collect();
    let local_words: Vec<Vec<String>> = clustered
        .iter()
        .map(|&u| words[u as usize].clone())
        .collect();
    let local_authors: Vec<BTreeSet<String>> = clustered
        .iter()
        .map(|&u| authors[u as usize].clone())
        .collect();
    let input = SignalInput {
        n: clustered.len(),
        dependencies: &deps,
        cochange: &cochange,
        words: &local_words,
        authors: &local_authors,
    };
    signals::seam_graph(&input, &opts.weights)
        .into_iter()
        .map(|e| SeamEdge {
            a: clustered[e.a as usize],
            b: clustered[e.b as usize],
            ..e
        })
        .collect()
}

/// Runs the consensus over `units` (global indices) using the seam edges
/// among them; returns γ and the consensus in the order of `units`.
fn cluster_units(
    units: &[u32],
    edges: &[SeamEdge],
    opts: &SeamOptions,
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
    let leiden = LeidenOptions {
        quality: Quality::Modularity,
        resolution: opts.resolution,
        seed: opts.seed,
        max_community_size: opts.max_service_size,
        ..LeidenOptions::default()
    };
    let seeds: Vec<u64> = (0..opts.runs.max(1) as u64)
        .map(|i| opts.seed.wrapping_mul(1_000_003).wrapping_add(i))
        .collect();
    match opts.services {
        Some(target) => cluster::search_resolution(&g, target, 2, &leiden, &seeds, None),
        None => (
            opts.resolution,
            cluster::consensus(&g, &leiden, &seeds, None),
        ),
    }
}

/// Units depended on by many services: a unit is kernel when the units
/// depending on it span at least `threshold` other services, or span that
/// many services counting its own while less than half of its seam weight
/// ties it to its own service (a utility the first pass happened to put
/// next to some of its users; a core entity or a domain facade is held at
/// home by its vocabulary, history and own dependencies). The closure adds units whose every dependency tie is with the kernel (a
/// utility's private helper, a kernel interface's implementation).
fn shared_kernel(
    clustered: &[u32],
    membership: &[u32],
    graph: &CodeGraph,
    edges: &[SeamEdge],
) -> Vec<u32> {
    let service: BTreeMap<u32, u32> = clustered
        .iter()
        .copied()
        .zip(membership.iter().copied())
        .collect();
    let n_services = membership.iter().collect::<BTreeSet<_>>().len();
    let threshold = ((n_services.saturating_sub(1)) as f64 * KERNEL_SHARE)
        .ceil()
        .max(KERNEL_MIN_SERVICES as f64) as usize;
    // Per unit: the services of its dependents, and the share of its seam
    // weight that ties it to its own service.
    let mut users: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
    for d in &graph.dependencies {
        if d.from == d.to {
            continue;
        }
        if let (Some(&sf), Some(_)) = (service.get(&d.from), service.get(&d.to)) {
            users.entry(d.to).or_default().insert(sf);
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
    let kernel_unit = |u: u32, services: &BTreeSet<u32>| {
        let own = service[&u];
        let others = services.iter().filter(|&&s| s != own).count();
        let (home, all) = weight.get(&u).copied().unwrap_or((0.0, 0.0));
        others >= threshold || (services.len() >= threshold && home < KERNEL_SHARE * all)
    };
    let mut kernel: BTreeSet<u32> = users
        .iter()
        .filter(|(&u, s)| kernel_unit(u, s))
        .map(|(&u, _)| u)
        .collect();
    if kernel.is_empty() {
        return Vec::new();
    }
    // Closure: repeat until stable. Dependency ties among clustered units,
    // gathered once (a scan of every dependency per unit is quadratic).
    let mut ties: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for d in &graph.dependencies {
        if d.from != d.to && service.contains_key(&d.from) && service.contains_key(&d.to) {
            ties.entry(d.from).or_default().push(d.to);
            ties.entry(d.to).or_default().push(d.from);
        }
    }
    loop {
        let mut added = false;
        for &u in clustered {
            if kernel.contains(&u) {
                continue;
            }
            if let Some(t) = ties.get(&u) {
                if t.iter().all(|v| kernel.contains(v)) {
                    kernel.insert(u);
                    added = true;
                }
            }
        }
        if !added {
            break;
        }
    }
    kernel.into_iter().collect()
}

/// A type with no behaviour (no function makes a call) is a data carrier:
/// it belongs with whoever uses it most, not where similarity put it.
fn follow_main_user(files: &[ParsedFile], graph: &CodeGraph, service_of: &mut BTreeMap<u32, u32>) {
    let carriers: Vec<u32> = service_of
        .keys()
        .copied()
        .filter(|&u| {
            let f = &files[u as usize].facts;
            !f.types.is_empty() && f.functions.iter().all(|func| func.calls.is_empty())
        })
        .collect();
    for u in carriers {
        let mut by_service: BTreeMap<u32, u64> = BTreeMap::new();
        for d in graph
            .dependencies
            .iter()
            .filter(|d| d.to == u && d.from != u)
        {
            if let Some(&s) = service_of.get(&d.from) {
                *by_service.entry(s).or_default() += d.count as u64;
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
            }
        }
    }
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

/// Words found in more than a quarter of the units (module folders such as
/// `core` or `common`, the company name) and not concentrated in one
/// service (no service holds half of the units using it): too common to
/// name a service. The concentration test keeps domain words when there
/// are only a few domains, each a quarter of the code or more.
fn generic_words(service_of: &BTreeMap<u32, u32>, words: &[Vec<String>]) -> BTreeSet<String> {
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

fn top_words(
    members: &[u32],
    vectors: &[Vec<(u32, f64)>],
    words: &[Vec<String>],
    generic: &BTreeSet<String>,
    k: usize,
) -> Vec<String> {
    // Sum the members' TF-IDF vectors; map term ids back to words.
    let mut sum: BTreeMap<u32, f64> = BTreeMap::new();
    let mut names: BTreeMap<u32, String> = BTreeMap::new();
    for &u in members {
        let v = &vectors[u as usize];
        for &(t, x) in v {
            *sum.entry(t).or_default() += x;
        }
    }
    // Term ids are assigned in first-seen order over all units; rebuild it.
    let mut vocab: BTreeMap<&str, u32> = BTreeMap::new();
    for ws in words {
        for w in ws {
            let next = vocab.len() as u32;
            vocab.entry(w.as_str()).or_insert(next);
        }
    }
    for (w, t) in vocab {
        if sum.contains_key(&t) {
            names.insert(t, w.to_string());
        }
    }
    let mut ranked: Vec<(u32, f64)> = sum.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(names[&a.0].cmp(&names[&b.0])));
    ranked
        .into_iter()
        .map(|(t, _)| names[&t].clone())
        .filter(|w| !generic.contains(w))
        .take(k)
        .collect()
}

/// The folder most members live in.
fn dominant_package(members: &[u32], ids: &[&str]) -> String {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for &u in members {
        let dir = ids[u as usize].rsplit_once('/').map_or("", |(d, _)| d);
        *count.entry(dir).or_default() += 1;
    }
    count
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(d, _)| d.to_string())
        .unwrap_or_default()
}

/// Folder names that say where code sits in a layer, not what it is about.
const LAYER_FOLDERS: &[&str] = &[
    "src",
    "main",
    "java",
    "python",
    "lib",
    "domain",
    "model",
    "models",
    "service",
    "services",
    "web",
    "api",
    "dao",
    "dto",
    "impl",
    "internal",
    "server",
    "client",
    "util",
    "utils",
    "core",
    "common",
    "shared",
    "controller",
    "controllers",
    "repository",
    "repositories",
    "entity",
];

/// A service's name: the highest-ranked of its top words that is also a
/// folder of its dominant package (`catalog` for `core/catalog/domain`);
/// else its top word; else the deepest folder that is neither a layer name
/// nor generic.
fn service_name(
    package: &str,
    shared_prefix: &str,
    top: &[String],
    generic: &BTreeSet<String>,
) -> String {
    let rest = package
        .strip_prefix(shared_prefix)
        .unwrap_or(package)
        .trim_start_matches('/');
    let folders: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let folder_words: Vec<(String, &str)> = folders
        .iter()
        .flat_map(|f| {
            let mut w = Vec::new();
            signals::split_words(f, &mut w);
            w.into_iter().map(move |w| (w, *f))
        })
        .collect();
    for t in top {
        if let Some((_, folder)) = folder_words.iter().find(|(w, _)| w == t) {
            return folder.to_lowercase();
        }
    }
    if let Some(t) = top.first() {
        return t.clone();
    }
    let useful = |f: &&&str| {
        let mut w = Vec::new();
        signals::split_words(f, &mut w);
        !w.is_empty()
            && !LAYER_FOLDERS.contains(&f.to_lowercase().as_str())
            && w.iter().all(|w| !generic.contains(w))
    };
    folders
        .iter()
        .rev()
        .find(useful)
        .map_or_else(|| "service".to_string(), |f| f.to_lowercase())
}

fn common_prefix<'a>(dirs: impl Iterator<Item = &'a str>) -> String {
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

fn unique_name(base: &str, used: &mut BTreeSet<String>) -> String {
    let mut name = base.to_string();
    let mut i = 2;
    while used.contains(&name) {
        name = format!("{base}-{i}");
        i += 1;
    }
    used.insert(name.clone());
    name
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
    }
    let total = s.structural + s.cochange + s.semantic + s.ownership;
    if total > 0.0 {
        let r = crate::numeric::round6;
        s = SignalShares {
            structural: r(s.structural / total),
            cochange: r(s.cochange / total),
            semantic: r(s.semantic / total),
            ownership: r(s.ownership / total),
        };
    }
    s
}
