//! The Leiden algorithm (Traag, Waltman & van Eck, "From Louvain to Leiden:
//! guaranteeing well-connected communities", Sci. Rep. 9, 5233, 2019).
//!
//! Both quality functions are optimised in one form, as in the authors' Java
//! implementation (CWTS `networkanalysis`) and in igraph:
//!
//! ```text
//! H = Σ_c [ e_c − ρ · a_c² / 2 ]        a_c = Σ_{i∈c} a_i
//! ```
//! with `e_c` the internal edge weight of community `c` and
//! - modularity: `a_i = k_i` (strength), `ρ = γ / 2m`, so `H = m · Q`;
//! - CPM: `a_i = 1` (node count), `ρ = γ`, equal to `Σ_c [e_c − γ·C(n_c, 2)]`
//!   up to the constant `γN/2`.
//!
//! Moving a node `v` (weight `a_v`) from nothing into community `C` then
//! changes `H` by `w(v, C) − ρ · a_v · a_C`, which is all that local moving and
//! refinement need. Node weights are summed on aggregation, so one code path
//! serves every level and both qualities.
//!
//! Determinism: one [`Rng`] seeded from `LeidenOptions::seed` drives every
//! random choice, the run is single-threaded, every tie is broken by a fixed
//! order, and nothing iterates a hash map.

use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};

use serde::{Deserialize, Serialize};

use super::graph::Graph;
use super::rng::Rng;

/// Which quality function Leiden maximises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quality {
    /// Newman–Girvan modularity with resolution γ (γ = 1 is classic Q).
    Modularity,
    /// Constant Potts Model: γ is a density threshold; free of the resolution
    /// limit, but γ depends on the scale of the edge weights.
    Cpm,
}

/// Options for one Leiden run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LeidenOptions {
    /// Quality function to maximise.
    pub quality: Quality,
    /// γ. Higher ⇒ more, smaller communities. Must be finite and ≥ 0.
    pub resolution: f64,
    /// Seeds the PRNG that orders visits and draws refinement merges.
    pub seed: u64,
    /// θ of the refinement phase, in units of edge weight (as in the paper,
    /// igraph and CWTS): a merge with gain ΔH is drawn with probability
    /// ∝ exp(ΔH / θ). 0 makes the refinement greedy.
    pub randomness: f64,
    /// Leiden is iterated, each iteration starting from the previous
    /// partition, until an iteration changes nothing or this many ran
    /// (0 counts as 1).
    pub max_iterations: usize,
    /// Upper bound on community size in original nodes (a pinned group larger
    /// than this stays whole, but nothing else joins it).
    pub max_community_size: Option<usize>,
}

impl Default for LeidenOptions {
    fn default() -> Self {
        LeidenOptions {
            quality: Quality::Modularity,
            resolution: 1.0,
            seed: 0,
            randomness: 0.01,
            max_iterations: 10,
            max_community_size: None,
        }
    }
}

/// Runs Leiden and returns the community of each node, numbered canonically
/// (community 0 holds node 0, the next community is the one of the smallest
/// node not yet labelled, …).
///
/// `pinned[i] = Some(g)`: all nodes with group `g` end in one community and no
/// two groups share one. Pinning is done by contracting each group into one
/// node before the run (its internal edges become a self loop, so qualities
/// are unchanged) and forbidding moves that would join two groups.
///
/// The returned communities are connected (pinned groups count as connected),
/// which the algorithm guarantees; a final split into connected components
/// enforces it even in the corner cases the guarantee does not cover.
///
/// # Panics
/// If `pinned` has the wrong length or an option is out of range.
pub fn leiden(g: &Graph, opts: &LeidenOptions, pinned: Option<&[Option<u32>]>) -> Vec<u32> {
    let mut membership = leiden_unsplit(g, opts, pinned);
    split_disconnected(g, &mut membership, pinned);
    canonicalize(&mut membership);
    membership
}

/// Leiden without the final connectivity split (tests check that the split
/// has nothing to do).
pub(super) fn leiden_unsplit(
    g: &Graph,
    opts: &LeidenOptions,
    pinned: Option<&[Option<u32>]>,
) -> Vec<u32> {
    assert!(
        opts.resolution.is_finite() && opts.resolution >= 0.0,
        "resolution must be finite and >= 0"
    );
    assert!(
        opts.randomness.is_finite() && opts.randomness >= 0.0,
        "randomness must be finite and >= 0"
    );
    assert!(
        opts.max_community_size != Some(0),
        "max_community_size must be >= 1"
    );
    if let Some(p) = pinned {
        assert_eq!(p.len(), g.n(), "pinned must have one entry per node");
    }
    let m = g.total_weight();
    let rho = match opts.quality {
        Quality::Modularity if m > 0.0 => opts.resolution / (2.0 * m),
        Quality::Modularity => 0.0,
        Quality::Cpm => opts.resolution,
    };
    let (base, node_of) = Level::base(g, opts.quality, pinned);
    let mut rng = Rng::new(opts.seed);
    let mut part: Vec<u32> = (0..base.n() as u32).collect();
    for _ in 0..opts.max_iterations.max(1) {
        let mut next = iterate(&base, part.clone(), rho, opts, &mut rng);
        canonicalize(&mut next);
        if next == part {
            break;
        }
        part = next;
    }
    node_of.iter().map(|&b| part[b as usize]).collect()
}

/// One level of the hierarchy: a graph plus, per node, its weight `a_i`, how
/// many original nodes it stands for, and its pinned group.
#[derive(Clone)]
struct Level<'g> {
    graph: Cow<'g, Graph>,
    weight: Vec<f64>,
    size: Vec<usize>,
    pin: Vec<Option<u32>>,
}

impl<'g> Level<'g> {
    fn n(&self) -> usize {
        self.graph.n()
    }

    /// The level Leiden starts from, with each pinned group contracted; also
    /// returns the map original node → base node.
    fn base(
        g: &'g Graph,
        quality: Quality,
        pinned: Option<&[Option<u32>]>,
    ) -> (Level<'g>, Vec<u32>) {
        let n = g.n();
        let weight = match quality {
            Quality::Modularity => (0..n).map(|i| g.strength(i)).collect(),
            Quality::Cpm => vec![1.0; n],
        };
        let mut level = Level {
            graph: Cow::Borrowed(g),
            weight,
            size: vec![1; n],
            pin: vec![None; n],
        };
        let pinned = match pinned {
            Some(p) if p.iter().any(Option::is_some) => p,
            _ => return (level, (0..n as u32).collect()),
        };
        level.pin = pinned.to_vec();
        let mut group_node: HashMap<u32, u32> = HashMap::new();
        let mut next = 0u32;
        let mut fresh = || {
            next += 1;
            next - 1
        };
        let node_of: Vec<u32> = pinned
            .iter()
            .map(|p| match p {
                None => fresh(),
                Some(grp) => *group_node.entry(*grp).or_insert_with(&mut fresh),
            })
            .collect();
        let k = node_of.iter().max().map_or(0, |&x| x as usize + 1);
        (aggregate(&level, &node_of, k), node_of)
    }
}

/// One Leiden iteration from the partition `part` of `base` (Algorithm A.1 of
/// the paper): local moving; refinement; aggregation on the refined partition
/// with the moved partition as the starting point; repeat until every
/// community is a single node of the current level.
fn iterate(
    base: &Level,
    mut part: Vec<u32>,
    rho: f64,
    opts: &LeidenOptions,
    rng: &mut Rng,
) -> Vec<u32> {
    let max_size = opts.max_community_size.unwrap_or(usize::MAX);
    let mut level: Cow<Level> = Cow::Borrowed(base);
    let mut node_of: Vec<u32> = (0..base.n() as u32).collect(); // base node → level node
    loop {
        let k = move_nodes(&level, &mut part, rho, max_size, rng);
        if k == level.n() {
            break;
        }
        let (refined, kr) = refine(&level, &part, k, rho, opts.randomness, rng);
        // If the refinement merged nothing, aggregate on the moved partition
        // (as igraph does) so that every level strictly shrinks the graph.
        let (agg, ka) = if kr < level.n() {
            (refined, kr)
        } else {
            (part.clone(), k)
        };
        let mut next_part = vec![0u32; ka];
        for (v, &c) in agg.iter().enumerate() {
            next_part[c as usize] = part[v];
        }
        for b in node_of.iter_mut() {
            *b = agg[*b as usize];
        }
        level = Cow::Owned(aggregate(&level, &agg, ka));
        part = next_part;
    }
    node_of.iter().map(|&v| part[v as usize]).collect()
}

/// `gain` beats `best` by more than rounding noise. The relative margin stops
/// a node from oscillating between two communities whose gains are equal in
/// exact arithmetic but differ in the last bits.
#[inline]
fn improves(gain: f64, best: f64) -> bool {
    gain > best + 1e-12 * (gain.abs() + best.abs())
}

/// Fast local moving (paper, Algorithm A.2): visit nodes from a queue that
/// starts as a random permutation; move each to the admissible community of
/// largest gain (an empty one included); after a move, queue the neighbours
/// outside the new community that are not queued yet. Only strictly improving
/// moves are made, so it terminates. Relabels `part` densely, returns the
/// number of communities.
fn move_nodes(level: &Level, part: &mut [u32], rho: f64, max_size: usize, rng: &mut Rng) -> usize {
    let g = &*level.graph;
    let n = g.n();
    let k = canonicalize(part);
    let mut cw = vec![0.0; n]; // Σ a_i per community
    let mut csize = vec![0usize; n]; // original nodes per community
    let mut cnodes = vec![0u32; n]; // level nodes per community
    let mut cpin: Vec<Option<u32>> = vec![None; n];
    let mut cpinned = vec![0u32; n];
    for (v, &c) in part.iter().enumerate() {
        let c = c as usize;
        cw[c] += level.weight[v];
        csize[c] += level.size[v];
        cnodes[c] += 1;
        if level.pin[v].is_some() {
            cpin[c] = level.pin[v];
            cpinned[c] += 1;
        }
    }
    let capped = max_size < usize::MAX;
    let mut unused: Vec<u32> = (k as u32..n as u32).rev().collect();
    let mut order: Vec<u32> = (0..n as u32).collect();
    rng.shuffle(&mut order);
    let mut queue: VecDeque<u32> = order.into();
    let mut queued = vec![true; n];
    let mut acc = vec![0.0; n];
    let mut neigh: Vec<u32> = Vec::new();

    while let Some(v) = queue.pop_front() {
        let v = v as usize;
        queued[v] = false;
        let (cur, a, s, pin) = (
            part[v] as usize,
            level.weight[v],
            level.size[v],
            level.pin[v],
        );
        cw[cur] -= a;
        csize[cur] -= s;
        cnodes[cur] -= 1;
        if pin.is_some() {
            cpinned[cur] -= 1;
            if cpinned[cur] == 0 {
                cpin[cur] = None;
            }
        }
        if cnodes[cur] == 0 {
            unused.push(cur as u32);
        }
        let (ts, ws) = g.row(v);
        for (&u, &w) in ts.iter().zip(ws) {
            let c = part[u as usize] as usize;
            if acc[c] == 0.0 {
                neigh.push(c as u32); // weights are > 0: zero means unseen
            }
            acc[c] += w;
        }
        // Staying put is the default; others must do strictly better.
        let mut best = cur;
        let mut best_gain = acc[cur] - rho * a * cw[cur];
        for &c in &neigh {
            let c = c as usize;
            // Short-circuit order keeps the pin and size tables out of the
            // cache when there are no pins or no cap.
            if c == cur
                || (capped && csize[c] + s > max_size)
                || (pin.is_some() && cpin[c].is_some_and(|q| Some(q) != pin))
            {
                continue;
            }
            let gain = acc[c] - rho * a * cw[c];
            if improves(gain, best_gain) {
                best = c;
                best_gain = gain;
            }
        }
        if cnodes[cur] > 0 && improves(0.0, best_gain) {
            best = *unused.last().expect("an empty community exists") as usize;
        }
        for &c in &neigh {
            acc[c as usize] = 0.0;
        }
        neigh.clear();

        if cnodes[best] == 0 {
            // The only empty candidates are `cur` (just vacated) and the top
            // of `unused`; both sit on top of the stack.
            debug_assert_eq!(unused.last(), Some(&(best as u32)));
            unused.pop();
        }
        cw[best] += a;
        csize[best] += s;
        cnodes[best] += 1;
        if pin.is_some() {
            cpin[best] = pin;
            cpinned[best] += 1;
        }
        if best != cur {
            part[v] = best as u32;
            for &u in ts {
                let u = u as usize;
                if !queued[u] && part[u] as usize != best {
                    queued[u] = true;
                    queue.push_back(u as u32);
                }
            }
        }
    }
    canonicalize(part)
}

/// Refinement (paper, Algorithm A.2, `RefinePartition`/`MergeNodesSubset`):
/// inside each community `S` of `part`, start from singletons and visit nodes
/// in random order; a node that is still a singleton and well connected to `S`
/// (`w(v, S−v) ≥ ρ a_v (a_S − a_v)`) joins a well-connected refined community
/// of `S` chosen at random with probability ∝ exp(ΔH/θ) among those with
/// ΔH ≥ 0 (staying alone has ΔH = 0). Refined communities grow only along
/// edges, hence are connected; the randomness lets aggregation explore
/// beyond the greedy path. Returns the dense refined labels and their count.
fn refine(
    level: &Level,
    part: &[u32],
    k: usize,
    rho: f64,
    theta: f64,
    rng: &mut Rng,
) -> (Vec<u32>, usize) {
    let g = &*level.graph;
    let n = g.n();
    let mut sub_w = vec![0.0; k];
    for v in 0..n {
        sub_w[part[v] as usize] += level.weight[v];
    }
    let mut refined: Vec<u32> = (0..n as u32).collect();
    let mut cw = level.weight.clone();
    // ext[c] = weight from refined community c to the rest of its subset S.
    let mut ext: Vec<f64> = (0..n)
        .map(|v| {
            let (ts, ws) = g.row(v);
            ts.iter()
                .zip(ws)
                .filter(|(&u, _)| part[u as usize] == part[v])
                .map(|(_, &w)| w)
                .sum()
        })
        .collect();
    let mut merged = vec![false; n]; // refined community received another node
    let mut order: Vec<u32> = (0..n as u32).collect();
    rng.shuffle(&mut order);
    let mut acc = vec![0.0; n];
    let mut neigh: Vec<usize> = Vec::new();
    let mut cands: Vec<(usize, f64)> = Vec::new();

    for &v in &order {
        let v = v as usize;
        if merged[v] {
            continue;
        }
        let (s, a) = (part[v], level.weight[v]);
        let total = sub_w[s as usize];
        if ext[v] < rho * a * (total - a) {
            continue;
        }
        cw[v] = 0.0;
        ext[v] = 0.0;
        neigh.push(v);
        let (ts, ws) = g.row(v);
        for (&u, &w) in ts.iter().zip(ws) {
            if part[u as usize] == s {
                let c = refined[u as usize] as usize;
                if acc[c] == 0.0 {
                    neigh.push(c);
                }
                acc[c] += w;
            }
        }
        let mut best = (v, 0.0);
        for &c in &neigh {
            if ext[c] >= rho * cw[c] * (total - cw[c]) {
                let gain = acc[c] - rho * a * cw[c];
                if gain >= 0.0 {
                    cands.push((c, gain));
                    if gain > best.1 {
                        best = (c, gain);
                    }
                }
            }
            acc[c] = 0.0;
        }
        neigh.clear();
        let chosen = if theta > 0.0 && cands.len() > 1 {
            // Subtracting the best gain keeps exp() finite for any θ.
            let mut total_p = 0.0;
            for cand in cands.iter_mut() {
                cand.1 = ((cand.1 - best.1) / theta).exp();
                total_p += cand.1;
            }
            let mut r = rng.next_f64() * total_p;
            let mut pick = cands[cands.len() - 1].0;
            for &(c, p) in &cands {
                if r < p {
                    pick = c;
                    break;
                }
                r -= p;
            }
            pick
        } else {
            best.0
        };
        cands.clear();

        cw[chosen] += a;
        for (&u, &w) in ts.iter().zip(ws) {
            if part[u as usize] == s {
                if refined[u as usize] as usize == chosen {
                    ext[chosen] -= w;
                } else {
                    ext[chosen] += w;
                }
            }
        }
        if chosen != v {
            refined[v] = chosen as u32;
            merged[chosen] = true;
        }
    }
    let kr = canonicalize(&mut refined);
    (refined, kr)
}

/// Collapses each community of `part` (dense labels `0..k`) into one node:
/// edges between communities are summed, edges inside become the self loop,
/// node weights and sizes are summed, and the pinned group carried over.
fn aggregate(level: &Level, part: &[u32], k: usize) -> Level<'static> {
    let g = &*level.graph;
    let n = g.n();
    let mut start = vec![0usize; k + 1];
    for &c in part {
        start[c as usize + 1] += 1;
    }
    for c in 0..k {
        start[c + 1] += start[c];
    }
    let mut members = vec![0u32; n];
    let mut cursor = start.clone();
    for (v, &c) in part.iter().enumerate() {
        members[cursor[c as usize]] = v as u32;
        cursor[c as usize] += 1;
    }
    let (mut offsets, mut targets, mut weights) = (vec![0usize], Vec::new(), Vec::new());
    let mut self_loops = vec![0.0; k];
    let (mut weight, mut size, mut pin) = (vec![0.0; k], vec![0usize; k], vec![None; k]);
    let mut acc = vec![0.0; k];
    let mut neigh: Vec<u32> = Vec::new();
    for c in 0..k {
        let mut internal = 0.0;
        for &v in &members[start[c]..start[c + 1]] {
            let v = v as usize;
            weight[c] += level.weight[v];
            size[c] += level.size[v];
            pin[c] = pin[c].or(level.pin[v]);
            self_loops[c] += g.self_loop(v);
            for (u, w) in g.neighbors(v) {
                let d = part[u as usize];
                if d as usize == c {
                    internal += w;
                } else {
                    if acc[d as usize] == 0.0 {
                        neigh.push(d);
                    }
                    acc[d as usize] += w;
                }
            }
        }
        self_loops[c] += internal / 2.0; // each internal edge was seen from both ends
        for &d in &neigh {
            targets.push(d);
            weights.push(acc[d as usize]);
            acc[d as usize] = 0.0;
        }
        neigh.clear();
        offsets.push(targets.len());
    }
    Level {
        graph: Cow::Owned(Graph::from_csr(offsets, targets, weights, self_loops)),
        weight,
        size,
        pin,
    }
}

/// Splits every community into its connected components (a pinned group
/// counts as connected). Splitting a disconnected community never lowers
/// modularity or CPM, and respects pins and size caps.
fn split_disconnected(g: &Graph, membership: &mut [u32], pinned: Option<&[Option<u32>]>) {
    fn find(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            parent[x as usize] = parent[parent[x as usize] as usize];
            x = parent[x as usize];
        }
        x
    }
    fn union(parent: &mut [u32], a: u32, b: u32) {
        let (ra, rb) = (find(parent, a), find(parent, b));
        // The smaller index becomes the root: deterministic.
        if ra != rb {
            parent[ra.max(rb) as usize] = ra.min(rb);
        }
    }
    let n = g.n();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    for i in 0..n {
        for (j, _) in g.neighbors(i) {
            if (j as usize) > i && membership[i] == membership[j as usize] {
                union(&mut parent, i as u32, j);
            }
        }
    }
    if let Some(p) = pinned {
        let mut first: HashMap<u32, u32> = HashMap::new();
        for (i, grp) in p.iter().enumerate() {
            if let Some(grp) = grp {
                let f = *first.entry(*grp).or_insert(i as u32);
                union(&mut parent, f, i as u32);
            }
        }
    }
    for (i, label) in membership.iter_mut().enumerate() {
        *label = find(&mut parent, i as u32);
    }
}

/// Renumbers labels by first occurrence (so community ids are ordered by
/// their smallest node); returns the number of distinct labels. Arbitrary
/// `u32` labels are accepted (sparse ones go through a hash map, used for
/// lookups only, so the result is still deterministic).
pub(super) fn canonicalize(labels: &mut [u32]) -> usize {
    let Some(&max) = labels.iter().max() else {
        return 0;
    };
    let mut next = 0u32;
    let mut fresh = || {
        next += 1;
        next - 1
    };
    if max as usize <= 2 * labels.len() + 1024 {
        let mut map = vec![u32::MAX; max as usize + 1];
        for l in labels.iter_mut() {
            if map[*l as usize] == u32::MAX {
                map[*l as usize] = fresh();
            }
            *l = map[*l as usize];
        }
    } else {
        let mut map: HashMap<u32, u32> = HashMap::new();
        for l in labels.iter_mut() {
            *l = *map.entry(*l).or_insert_with(&mut fresh);
        }
    }
    next as usize
}
