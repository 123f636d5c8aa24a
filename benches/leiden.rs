//! Leiden on a deterministic planted-partition graph with 1M edges
//! (100k nodes, 200 groups of 500, mixing μ = 0.2): times `Graph::from_edges`
//! and one `leiden` run separately, then a 4-seed `consensus`.
//!
//! Run: `cargo bench --bench leiden` (release profile; `harness = false`).
//! Budget: Leiden ≤ 5 s on the 2-core reference machine.

// The only line that differs between the scratch crate and the main crate
// (there: `use decompose::cluster;`).
use decompose::cluster;

use cluster::{
    adjusted_rand_index, consensus, count_communities, leiden, modularity, Graph, LeidenOptions,
};
use std::time::Instant;

const NODES: usize = 100_000;
const GROUPS: usize = 200;
const EDGES: usize = 1_000_000;
const MU: f64 = 0.2;
const SEED: u64 = 0x5EED_1E1D;

/// SplitMix64: enough to generate test data reproducibly without `rand`.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn below(state: &mut u64, bound: usize) -> usize {
    ((next(state) as u128 * bound as u128) >> 64) as usize
}

/// Node `i` belongs to group `i % GROUPS` (interleaved, so node ids reveal
/// nothing). Each edge draws a uniform endpoint `u`, then with probability
/// 1 − μ a partner in `u`'s group, else one in another group.
fn generate() -> (Vec<(u32, u32, f64)>, Vec<u32>) {
    let mut s = SEED;
    let per_group = NODES / GROUPS;
    let mut edges = Vec::with_capacity(EDGES);
    while edges.len() < EDGES {
        let u = below(&mut s, NODES);
        let external = ((next(&mut s) >> 11) as f64) < MU * (1u64 << 53) as f64;
        let v = if external {
            let other = (u % GROUPS + 1 + below(&mut s, GROUPS - 1)) % GROUPS;
            other + GROUPS * below(&mut s, per_group)
        } else {
            u % GROUPS + GROUPS * below(&mut s, per_group)
        };
        if u != v {
            edges.push((u as u32, v as u32, 1.0));
        }
    }
    let planted = (0..NODES).map(|i| (i % GROUPS) as u32).collect();
    (edges, planted)
}

fn main() {
    let t = Instant::now();
    let (edges, planted) = generate();
    let gen_s = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let g = Graph::from_edges(NODES, &edges);
    let build_s = t.elapsed().as_secs_f64();
    println!(
        "graph: {} nodes, {} edge draws, {} distinct edges (generated in {gen_s:.3} s)",
        g.n(),
        edges.len(),
        g.edge_count()
    );
    println!("Graph::from_edges: {build_s:.3} s");

    let opts = LeidenOptions {
        seed: 1,
        ..LeidenOptions::default()
    };
    let t = Instant::now();
    let m = leiden(&g, &opts, None);
    let leiden_s = t.elapsed().as_secs_f64();
    println!("leiden (modularity, γ=1, seed 1): {leiden_s:.3} s");
    println!(
        "  communities: {} (planted {GROUPS}); modularity {:.6} (planted {:.6}); ARI vs planted {:.6}",
        count_communities(&m, 1),
        modularity(&g, &m, 1.0),
        modularity(&g, &planted, 1.0),
        adjusted_rand_index(&m, &planted)
    );

    let seeds = [1, 2, 3, 4];
    let t = Instant::now();
    let c = consensus(&g, &opts, &seeds, None);
    let cons_s = t.elapsed().as_secs_f64();
    let min_conf = c
        .community_confidence
        .iter()
        .cloned()
        .fold(f64::INFINITY, f64::min);
    println!(
        "consensus ({} seeds, rayon {} threads): {cons_s:.3} s; agreement {:.6}; min community confidence {min_conf:.6}",
        seeds.len(),
        rayon::current_num_threads(),
        c.agreement
    );
}
