//! Tests of the clustering module. Generators are deterministic (own PRNG);
//! figures are printed for `--nocapture` runs and asserted against bounds.

use super::leiden::leiden_unsplit;
use super::rng::Rng;
use super::*;

/// A planted-partition graph: `k` groups of sizes 10–60; every node expects
/// degree `d`, a fraction `mu` of it leaving its group (p_in per group =
/// (1−μ)d/(s−1) capped at 1, p_out = μd/(N − s̄)). Node ids are shuffled so
/// that groups are not contiguous. Returns the graph, the planted labels and
/// the realised mixing μ (mean over nodes of external / total degree).
fn planted(k: usize, d: f64, mu: f64, seed: u64) -> (Graph, Vec<u32>, f64) {
    let mut rng = Rng::new(seed);
    let sizes: Vec<usize> = (0..k).map(|_| 10 + rng.below(51) as usize).collect();
    let n: usize = sizes.iter().sum();
    let mut truth: Vec<u32> = sizes
        .iter()
        .enumerate()
        .flat_map(|(g, &s)| std::iter::repeat_n(g as u32, s))
        .collect();
    rng.shuffle(&mut truth);
    let p_out = mu * d / (n as f64 - n as f64 / k as f64);
    let p_in: Vec<f64> = sizes
        .iter()
        .map(|&s| ((1.0 - mu) * d / (s as f64 - 1.0)).min(1.0))
        .collect();
    let mut edges = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            let same = truth[i] == truth[j];
            let p = if same { p_in[truth[i] as usize] } else { p_out };
            if rng.next_f64() < p {
                edges.push((i as u32, j as u32, 1.0));
            }
        }
    }
    let g = Graph::from_edges(n, &edges);
    let mut mu_sum = 0.0;
    let mut counted = 0;
    for i in 0..n {
        let ext: f64 = g
            .neighbors(i)
            .filter(|&(j, _)| truth[j as usize] != truth[i])
            .map(|(_, w)| w)
            .sum();
        if g.strength(i) > 0.0 {
            mu_sum += ext / g.strength(i);
            counted += 1;
        }
    }
    (g, truth, mu_sum / counted as f64)
}

fn clique_edges(nodes: std::ops::Range<u32>, w: f64) -> Vec<(u32, u32, f64)> {
    let mut e = Vec::new();
    for i in nodes.clone() {
        for j in i + 1..nodes.end {
            e.push((i, j, w));
        }
    }
    e
}

/// Every community induces a connected subgraph.
fn all_connected(g: &Graph, membership: &[u32]) -> bool {
    let k = membership.iter().max().map_or(0, |&x| x as usize + 1);
    let mut size = vec![0usize; k];
    for &c in membership {
        size[c as usize] += 1;
    }
    let mut reached = vec![false; g.n()];
    let mut started = vec![false; k];
    for s in 0..g.n() {
        let c = membership[s] as usize;
        if started[c] {
            continue;
        }
        started[c] = true;
        let mut stack = vec![s];
        reached[s] = true;
        let mut count = 0;
        while let Some(v) = stack.pop() {
            count += 1;
            for (u, _) in g.neighbors(v) {
                let u = u as usize;
                if !reached[u] && membership[u] as usize == c {
                    reached[u] = true;
                    stack.push(u);
                }
            }
        }
        if count != size[c] {
            return false;
        }
    }
    true
}

fn opts(seed: u64) -> LeidenOptions {
    LeidenOptions {
        seed,
        ..LeidenOptions::default()
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn graph_from_edges_merges_and_counts() {
    let g = Graph::from_edges(
        4,
        &[
            (0, 1, 1.0),
            (1, 0, 2.0),
            (1, 2, 0.5),
            (2, 2, 1.5),
            (2, 3, 0.0),
        ],
    );
    assert_eq!(g.n(), 4);
    assert_eq!(g.edge_count(), 2);
    assert_eq!(g.neighbors(0).collect::<Vec<_>>(), vec![(1, 3.0)]);
    assert_eq!(g.neighbors(1).collect::<Vec<_>>(), vec![(0, 3.0), (2, 0.5)]);
    assert_eq!(g.neighbors(3).count(), 0);
    assert!(close(g.self_loop(2), 1.5));
    assert!(close(g.strength(2), 0.5 + 3.0));
    assert!(close(g.total_weight(), 3.0 + 0.5 + 1.5));
    // Edge order does not matter.
    let h = Graph::from_edges(4, &[(2, 2, 1.5), (2, 1, 0.5), (1, 0, 2.0), (1, 0, 1.0)]);
    assert_eq!(g, h);
}

#[test]
#[should_panic(expected = "out of range")]
fn graph_rejects_out_of_range() {
    Graph::from_edges(2, &[(0, 2, 1.0)]);
}

#[test]
fn rng_is_deterministic_and_uniform_enough() {
    let (mut a, mut b) = (Rng::new(7), Rng::new(7));
    assert!((0..100).all(|_| a.next_u64() == b.next_u64()));
    assert_ne!(Rng::new(7).next_u64(), Rng::new(8).next_u64());
    let mut r = Rng::new(1);
    let mut hist = [0usize; 6];
    for _ in 0..60_000 {
        hist[r.below(6) as usize] += 1;
    }
    assert!(
        hist.iter().all(|&h| (9_500..10_500).contains(&h)),
        "{hist:?}"
    );
    let mut v: Vec<u32> = (0..100).collect();
    r.shuffle(&mut v);
    assert_ne!(v, (0..100).collect::<Vec<_>>());
    v.sort_unstable();
    assert_eq!(v, (0..100).collect::<Vec<_>>());
    assert!((0..1000)
        .map(|_| r.next_f64())
        .all(|x| (0.0..1.0).contains(&x)));
}

#[test]
fn modularity_hand_computed() {
    // Two triangles {0,1,2}, {3,4,5} joined by the edge 2–3: m = 7.
    let mut e = clique_edges(0..3, 1.0);
    e.extend(clique_edges(3..6, 1.0));
    e.push((2, 3, 1.0));
    let g = Graph::from_edges(6, &e);
    let split = [0, 0, 0, 1, 1, 1];
    // Q = 2 · (3/7 − (7/14)²) = 5/14.
    assert!(close(modularity(&g, &split, 1.0), 5.0 / 14.0));
    // Q(γ) = 6/7 − γ/2.
    assert!(close(modularity(&g, &split, 0.5), 17.0 / 28.0));
    // Labels are names only.
    assert!(close(modularity(&g, &[9, 9, 9, 4, 4, 4], 1.0), 5.0 / 14.0));
    let sparse = [u32::MAX, u32::MAX, u32::MAX, 7, 7, 7];
    assert!(close(modularity(&g, &sparse, 1.0), 5.0 / 14.0));
    assert_eq!(count_communities(&sparse, 3), 2);
    assert!(close(modularity(&g, &[0; 6], 1.0), 0.0));
    // Singletons: −Σ k_i² / (2m)² = −34/196.
    assert!(close(
        modularity(&g, &[0, 1, 2, 3, 4, 5], 1.0),
        -34.0 / 196.0
    ));
    // CPM: each triangle 3 − 0.5·3 = 1.5.
    assert!(close(cpm_quality(&g, &split, 0.5), 3.0));
    assert!(close(cpm_quality(&g, &[0; 6], 0.5), 7.0 - 0.5 * 15.0));
    // Leiden finds the natural split.
    assert_eq!(leiden(&g, &opts(0), None), split);

    // A self loop counts A_ii = 2w: edge 0–1 plus a loop at 0, m = 2,
    // k = (3, 1): Q({0},{1}) = 2/4 − 9/16 − 1/16 = −1/8; Q(one) = 0.
    let g = Graph::from_edges(2, &[(0, 1, 1.0), (0, 0, 1.0)]);
    assert!(close(modularity(&g, &[0, 1], 1.0), -0.125));
    assert!(close(modularity(&g, &[0, 0], 1.0), 0.0));
    // No edges: 0 by convention.
    assert_eq!(modularity(&Graph::from_edges(3, &[]), &[0, 1, 2], 1.0), 0.0);
}

#[test]
fn ari_hand_computed() {
    assert_eq!(adjusted_rand_index(&[0, 0, 1, 1, 2], &[0, 0, 1, 1, 2]), 1.0);
    assert_eq!(adjusted_rand_index(&[0, 0, 1, 1], &[5, 5, 3, 3]), 1.0);
    // scikit-learn's user-guide example: 8/33 ≈ 0.2424.
    assert!(close(
        adjusted_rand_index(&[0, 0, 0, 1, 1, 1], &[0, 0, 1, 1, 2, 2]),
        8.0 / 33.0
    ));
    // Index 1, expected 1/3, max 3/2: (2/3)/(7/6) = 4/7.
    assert!(close(
        adjusted_rand_index(&[0, 0, 1, 1], &[0, 0, 1, 2]),
        4.0 / 7.0
    ));
    // Worse than chance.
    assert!(close(
        adjusted_rand_index(&[0, 0, 1, 1], &[0, 1, 0, 1]),
        -0.5
    ));
    // All together vs all apart.
    assert!(close(
        adjusted_rand_index(&[0, 0, 0, 0], &[0, 1, 2, 3]),
        0.0
    ));
    assert_eq!(adjusted_rand_index(&[0, 1, 2], &[2, 1, 0]), 1.0);
    assert_eq!(adjusted_rand_index(&[], &[]), 1.0);
}

#[test]
fn planted_partitions_are_recovered() {
    for (i, &k) in [5usize, 8, 12, 20].iter().enumerate() {
        for (mu_target, seed) in [(0.28, 100 + i as u64), (0.1, 200 + i as u64)] {
            let (g, truth, mu) = planted(k, 12.0, mu_target, seed);
            assert!(mu <= 0.3, "realised μ {mu} too high");
            let raw = leiden_unsplit(&g, &opts(1), None);
            let m = leiden(&g, &opts(1), None);
            let ari = adjusted_rand_index(&m, &truth);
            println!(
                "planted k={k:2} n={:4} edges={:5} μ={mu:.3}: found {:2} communities, ARI {ari:.4}, Q {:.4} (planted {:.4})",
                g.n(),
                g.edge_count(),
                count_communities(&m, 1),
                modularity(&g, &m, 1.0),
                modularity(&g, &truth, 1.0)
            );
            // Leiden's guarantee, checked without the safety-net split.
            assert!(all_connected(&g, &raw), "disconnected community (k={k})");
            assert_eq!(raw, m, "the connectivity split changed something");
            assert!(ari >= 0.95, "k={k} μ={mu}: ARI {ari}");
            if mu_target <= 0.1 {
                assert_eq!(
                    ari, 1.0,
                    "k={k}: strong structure must be recovered exactly"
                );
            }
        }
    }
}

#[test]
fn cpm_recovers_planted_partition() {
    // Internal density ≈ p_in ≥ 0.2, external ≈ 0.005: any γ in between works.
    let (g, truth, _) = planted(8, 12.0, 0.1, 7);
    let o = LeidenOptions {
        quality: Quality::Cpm,
        resolution: 0.05,
        ..opts(3)
    };
    let m = leiden(&g, &o, None);
    let ari = adjusted_rand_index(&m, &truth);
    println!("CPM γ=0.05 on planted k=8: ARI {ari:.4}");
    assert_eq!(ari, 1.0);
    assert!(cpm_quality(&g, &m, 0.05) >= cpm_quality(&g, &truth, 0.05) - 1e-9);
}

#[test]
fn two_disconnected_cliques() {
    let mut e = clique_edges(0..5, 1.0);
    e.extend(clique_edges(5..12, 1.0));
    let g = Graph::from_edges(12, &e);
    let want: Vec<u32> = (0..12).map(|i| u32::from(i >= 5)).collect();
    for quality in [Quality::Modularity, Quality::Cpm] {
        for seed in 0..5 {
            let o = LeidenOptions {
                quality,
                resolution: if quality == Quality::Cpm { 0.5 } else { 1.0 },
                ..opts(seed)
            };
            assert_eq!(leiden(&g, &o, None), want);
        }
    }
    // Isolated nodes stay alone; an empty graph gives an empty answer.
    let g = Graph::from_edges(4, &[(1, 2, 1.0)]);
    assert_eq!(leiden(&g, &opts(0), None), vec![0, 1, 1, 2]);
    assert!(leiden(&Graph::from_edges(0, &[]), &opts(0), None).is_empty());
}

#[test]
fn ring_of_cliques_resolution_limit() {
    // 30 K5 cliques in a ring, neighbours joined by one edge (Fortunato &
    // Barthélemy 2007). Modularity prefers pairs of cliques (Q = 0.8879 vs
    // 0.8758 for single cliques): the resolution limit. CPM with γ = 0.5
    // separates every clique.
    let (cliques, size) = (30u32, 5u32);
    let mut e = Vec::new();
    for c in 0..cliques {
        e.extend(clique_edges(c * size..(c + 1) * size, 1.0));
        e.push((c * size, ((c + 1) % cliques) * size + 1, 1.0));
    }
    let g = Graph::from_edges((cliques * size) as usize, &e);
    let truth: Vec<u32> = (0..cliques * size).map(|i| i / size).collect();
    let pairs: Vec<u32> = (0..cliques * size).map(|i| i / (2 * size)).collect();
    assert!(close(
        modularity(&g, &truth, 1.0),
        30.0 * (10.0 / 330.0 - (22.0f64 / 660.0).powi(2))
    ));

    let cpm = LeidenOptions {
        quality: Quality::Cpm,
        resolution: 0.5,
        ..opts(4)
    };
    assert_eq!(leiden(&g, &cpm, None), truth);

    // Modularity: every community is one clique or two adjacent ones, and
    // fewer than 30. Pairing all of them is the optimum; Leiden may stop at a
    // local optimum with a few single cliques left between pairs, from which
    // no single move (of a node or of an aggregate) improves Q.
    for seed in 0..4 {
        let m = leiden(&g, &opts(seed), None);
        let k = count_communities(&m, 1);
        let q = modularity(&g, &m, 1.0);
        println!(
            "ring of 30 K5, seed {seed}: modularity finds {k} communities, Q {q:.4}; cliques {:.4}, pairs {:.4}",
            modularity(&g, &truth, 1.0),
            modularity(&g, &pairs, 1.0)
        );
        for c in 0..cliques {
            let s = (c * size) as usize;
            assert!(
                m[s..s + size as usize].iter().all(|&x| x == m[s]),
                "clique {c} split"
            );
        }
        assert!((15..30).contains(&k));
        assert_eq!(
            count_communities(&m, 2 * size as usize + 1),
            0,
            "more than two cliques merged"
        );
        assert!(q > modularity(&g, &truth, 1.0));
    }
    // With γ high enough modularity resolves the cliques too.
    let high = LeidenOptions {
        resolution: 4.0,
        ..opts(4)
    };
    assert_eq!(leiden(&g, &high, None), truth);
}

#[test]
fn determinism_and_seed_independence() {
    let (g, truth, _) = planted(12, 12.0, 0.3, 42);
    let a = leiden(&g, &opts(9), None);
    assert_eq!(a, leiden(&g, &opts(9), None));
    // Canonical numbering: community ids appear in order of first node.
    let mut next = 0;
    for &c in &a {
        assert!(c <= next);
        next = next.max(c + 1);
    }
    // Edge order does not matter.
    let mut e: Vec<(u32, u32, f64)> = (0..g.n())
        .flat_map(|i| g.neighbors(i).map(move |(j, w)| (j, i as u32, w)))
        .collect();
    Rng::new(5).shuffle(&mut e);
    let h = Graph::from_edges(
        g.n(),
        &e.iter()
            .map(|&(u, v, w)| (u, v, w / 2.0))
            .collect::<Vec<_>>(),
    );
    assert_eq!(leiden(&h, &opts(9), None), a);

    // Strong structure: every seed finds the same partition.
    let (g, truth_strong, _) = planted(12, 12.0, 0.1, 43);
    let first = leiden(&g, &opts(0), None);
    assert_eq!(adjusted_rand_index(&first, &truth_strong), 1.0);
    for seed in 1..8 {
        assert_eq!(leiden(&g, &opts(seed), None), first, "seed {seed}");
    }
    let _ = truth;
}

#[test]
fn consensus_independent_of_thread_count() {
    let (g, _, _) = planted(12, 12.0, 0.3, 44);
    let seeds: Vec<u64> = (0..6).collect();
    let run = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| consensus(&g, &opts(0), &seeds, None))
    };
    let one = run(1);
    assert_eq!(one, run(2));
    assert_eq!(one, run(3));
    assert_eq!(one.runs, 6);
}

#[test]
fn consensus_confidence() {
    // Strong structure: every pair is always together.
    let (g, truth, _) = planted(8, 12.0, 0.1, 45);
    let seeds: Vec<u64> = (0..8).collect();
    let c = consensus(&g, &opts(0), &seeds, None);
    assert_eq!(adjusted_rand_index(&c.membership, &truth), 1.0);
    assert!(c.node_confidence.iter().all(|&x| x == 1.0));
    assert!(c.community_confidence.iter().all(|&x| x == 1.0));
    assert_eq!(c.agreement, 1.0);

    // Node 12 hangs between two K6 cliques with three edges to each.
    let mut e = clique_edges(0..6, 1.0);
    e.extend(clique_edges(6..12, 1.0));
    e.extend([
        (12, 0, 1.0),
        (12, 1, 1.0),
        (12, 2, 1.0),
        (12, 6, 1.0),
        (12, 7, 1.0),
        (12, 8, 1.0),
    ]);
    let g = Graph::from_edges(13, &e);
    let seeds: Vec<u64> = (0..32).collect();
    let c = consensus(&g, &opts(0), &seeds, None);
    let x = c.node_confidence[12];
    let with_a = c.membership[12] == c.membership[0];
    println!(
        "ambiguous node: in clique {} of the chosen run, confidence {x:.3}, community confidences {:?}",
        if with_a { "A" } else { "B" },
        c.community_confidence
    );
    assert!(x > 0.0 && x < 1.0, "confidence {x}");
    // Members of the other clique always land together.
    let other = if with_a { 6 } else { 0 };
    assert_eq!(c.node_confidence[other], 1.0);
    assert_eq!(c.community_confidence[c.membership[other] as usize], 1.0);
    assert!(c.community_confidence[c.membership[12] as usize] < 1.0);
    // Community confidence is the mean of its members' node confidence.
    let k = c.membership[12];
    let members: Vec<usize> = (0..13).filter(|&i| c.membership[i] == k).collect();
    let mean = members.iter().map(|&i| c.node_confidence[i]).sum::<f64>() / members.len() as f64;
    assert!(close(mean, c.community_confidence[k as usize]));
}

#[test]
fn consensus_from_partitions_hand_computed() {
    // Runs: {0,1,2},{3} twice and {0,1},{2,3} once. Medoid: run 0 (ties →
    // earliest). Pairs in {0,1,2}: (0,1) 3/3, (0,2) 2/3, (1,2) 2/3.
    let runs = vec![vec![0, 0, 0, 1], vec![0, 0, 0, 1], vec![0, 0, 1, 1]];
    let c = Consensus::from_partitions(&runs);
    assert_eq!(c.membership, vec![0, 0, 0, 1]);
    assert_eq!(c.chosen_run, 0);
    let nc = &c.node_confidence;
    assert!(close(nc[0], (1.0 + 2.0 / 3.0) / 2.0));
    assert!(close(nc[2], 2.0 / 3.0));
    assert_eq!(nc[3], 1.0);
    assert!(close(
        c.community_confidence[0],
        (1.0 + 2.0 / 3.0 + 2.0 / 3.0) / 3.0
    ));
    assert_eq!(c.community_confidence[1], 1.0);
}

#[test]
fn search_resolution_reaches_target() {
    let (g, truth, _) = planted(8, 12.0, 0.25, 46);
    let seeds = [1, 2, 3];
    let start = LeidenOptions {
        resolution: 0.02,
        ..opts(0)
    };
    let (gamma, c) = search_resolution(&g, 8, 3, &start, &seeds, None);
    let ari = adjusted_rand_index(&c.membership, &truth);
    println!("search_resolution → 8: γ = {gamma:.4}, ARI {ari:.4}");
    assert_eq!(count_communities(&c.membership, 3), 8);
    assert!(ari >= 0.95);

    // Hierarchical: 4 blocks of 3 dense groups each; ask for 4, then 12.
    let mut rng = Rng::new(47);
    let n = 12 * 20;
    let mut e = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            let p = if i / 20 == j / 20 {
                0.7
            } else if i / 60 == j / 60 {
                0.12
            } else {
                0.005
            };
            if rng.next_f64() < p {
                e.push((i as u32, j as u32, 1.0));
            }
        }
    }
    let g = Graph::from_edges(n, &e);
    for (target, block) in [(4usize, 60usize), (12, 20)] {
        let (gamma, c) = search_resolution(&g, target, 2, &opts(0), &seeds, None);
        let want: Vec<u32> = (0..n).map(|i| (i / block) as u32).collect();
        let ari = adjusted_rand_index(&c.membership, &want);
        println!("hierarchical → {target}: γ = {gamma:.4}, ARI vs blocks of {block}: {ari:.4}");
        assert_eq!(count_communities(&c.membership, 2), target);
        assert!(ari >= 0.95);
    }
}

#[test]
fn pinned_groups_are_honoured() {
    // Two K6 cliques. Pin node 0 (clique A) with node 6 (clique B) as group 1,
    // and node 1 of clique A alone as group 2: 0 and 6 must share a
    // community, 0 and 1 must not.
    let mut e = clique_edges(0..6, 1.0);
    e.extend(clique_edges(6..12, 1.0));
    e.push((5, 11, 1.0));
    let g = Graph::from_edges(12, &e);
    let mut pins = vec![None; 12];
    pins[0] = Some(1);
    pins[6] = Some(1);
    pins[1] = Some(2);
    for seed in 0..6 {
        for quality in [Quality::Modularity, Quality::Cpm] {
            let o = LeidenOptions {
                quality,
                resolution: if quality == Quality::Cpm { 0.3 } else { 1.0 },
                ..opts(seed)
            };
            let m = leiden(&g, &o, Some(&pins));
            assert_eq!(m[0], m[6], "{m:?}");
            assert_ne!(m[0], m[1], "{m:?}");
            let raw = leiden_unsplit(&g, &o, Some(&pins));
            assert_eq!(raw.len(), 12);
        }
    }
    // A pinned group stays whole even without edges between its members.
    let g = Graph::from_edges(4, &[(0, 1, 1.0), (2, 3, 1.0)]);
    let m = leiden(&g, &opts(0), Some(&[Some(7), None, Some(7), None]));
    assert_eq!(m[0], m[2]);

    // On a planted graph, pin one node of every group with a distinct group
    // id: the planted partition must still come out (pins agree with it).
    let (g, truth, _) = planted(8, 12.0, 0.2, 48);
    let mut pins = vec![None; g.n()];
    for grp in 0..8u32 {
        let members: Vec<usize> = (0..g.n()).filter(|&i| truth[i] == grp).collect();
        pins[members[0]] = Some(grp);
        pins[members[1]] = Some(grp);
    }
    let m = leiden(&g, &opts(2), Some(&pins));
    assert_eq!(count_communities(&m, 1), 8);
    assert_eq!(adjusted_rand_index(&m, &truth), 1.0);
    // And pins that contradict it are obeyed: put groups 0 and 1 together.
    let first_of = |grp| (0..g.n()).find(|&i| truth[i] == grp).unwrap();
    let mut pins = vec![None; g.n()];
    pins[first_of(0)] = Some(0);
    pins[first_of(1)] = Some(0);
    pins[first_of(2)] = Some(1);
    let m = leiden(&g, &opts(2), Some(&pins));
    assert_eq!(m[first_of(0)], m[first_of(1)]);
    assert_ne!(m[first_of(0)], m[first_of(2)]);
}

#[test]
fn max_community_size_is_respected() {
    let (g, truth, _) = planted(8, 12.0, 0.2, 49);
    let free = leiden(&g, &opts(1), None);
    let biggest = |m: &[u32]| {
        let mut size = vec![0usize; g.n()];
        for &c in m {
            size[c as usize] += 1;
        }
        size.into_iter().max().unwrap()
    };
    assert!(biggest(&free) > 20);
    for cap in [5usize, 12, 20] {
        let o = LeidenOptions {
            max_community_size: Some(cap),
            ..opts(1)
        };
        let m = leiden(&g, &o, None);
        println!(
            "max_community_size {cap}: largest {}, {} communities, Q {:.4} (uncapped {:.4})",
            biggest(&m),
            count_communities(&m, 1),
            modularity(&g, &m, 1.0),
            modularity(&g, &free, 1.0)
        );
        assert!(biggest(&m) <= cap);
        assert!(all_connected(&g, &m));
    }
    // A cap at least as large as every group changes nothing on strong structure.
    let (g, truth2, _) = planted(8, 12.0, 0.1, 50);
    let o = LeidenOptions {
        max_community_size: Some(60),
        ..opts(1)
    };
    assert_eq!(adjusted_rand_index(&leiden(&g, &o, None), &truth2), 1.0);
    let _ = truth;
}

#[test]
fn karate_club_reaches_known_optimum() {
    // Zachary's karate club (1977), 34 members, 78 ties; the modularity
    // optimum is Q = 0.419790 with 4 communities (Brandes et al. 2008).
    let adjacency: [&[u32]; 34] = [
        &[1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 17, 19, 21, 31],
        &[2, 3, 7, 13, 17, 19, 21, 30],
        &[3, 7, 8, 9, 13, 27, 28, 32],
        &[7, 12, 13],
        &[6, 10],
        &[6, 10, 16],
        &[16],
        &[],
        &[30, 32, 33],
        &[33],
        &[],
        &[],
        &[],
        &[33],
        &[32, 33],
        &[32, 33],
        &[],
        &[],
        &[32, 33],
        &[33],
        &[32, 33],
        &[],
        &[32, 33],
        &[25, 27, 29, 32, 33],
        &[25, 27, 31],
        &[31],
        &[29, 33],
        &[33],
        &[31, 33],
        &[32, 33],
        &[32, 33],
        &[32, 33],
        &[33],
        &[],
    ];
    let e: Vec<(u32, u32, f64)> = adjacency
        .iter()
        .enumerate()
        .flat_map(|(i, row)| row.iter().map(move |&j| (i as u32, j, 1.0)))
        .collect();
    assert_eq!(e.len(), 78);
    let g = Graph::from_edges(34, &e);
    let mut best = f64::MIN;
    for seed in 0..8 {
        let m = leiden(&g, &opts(seed), None);
        let q = modularity(&g, &m, 1.0);
        assert!(q > 0.41, "seed {seed}: Q {q}");
        if q > best {
            best = q;
            assert_eq!(count_communities(&m, 1), 4);
        }
    }
    println!("karate club: best Q over 8 seeds {best:.6}");
    assert!((best - 0.419790).abs() < 1e-5);
}

#[test]
fn search_resolution_bisects_and_is_deterministic() {
    // Cliques of 4, 6 and 8 nodes in a chain, plus 8 cliques of 5 in a ring:
    // the count of communities (≥ 2 nodes) moves in steps as γ grows,
    // 2, 3, 4, 6, 11 (measured on a grid); 3 and 4 need the bisection.
    let mut e = clique_edges(0..4, 1.0);
    e.extend(clique_edges(4..10, 1.0));
    e.extend(clique_edges(10..18, 1.0));
    e.extend([(3, 4, 1.0), (9, 10, 1.0)]);
    for c in 0..8u32 {
        let s = 18 + 5 * c;
        e.extend(clique_edges(s..s + 5, 1.0));
        e.push((s, 18 + 5 * ((c + 1) % 8) + 1, 1.0));
    }
    let g = Graph::from_edges(58, &e);
    let seeds = [1, 2];
    for target in [2usize, 3, 4, 6, 11] {
        let start = LeidenOptions {
            resolution: 1.0,
            ..opts(0)
        };
        let (gamma, c) = search_resolution(&g, target, 2, &start, &seeds, None);
        let again = search_resolution(&g, target, 2, &start, &seeds, None);
        assert_eq!((gamma, &c), (again.0, &again.1));
        let got = count_communities(&c.membership, 2);
        println!("steps graph → {target}: γ = {gamma:.5}, {got} communities");
        assert_eq!(got, target);
    }
    // An unreachable target returns the closest count found.
    let (gamma, c) = search_resolution(&g, 5, 2, &opts(0), &seeds, None);
    let got = count_communities(&c.membership, 2);
    println!("steps graph → 5 (unreachable): γ = {gamma:.5}, {got} communities");
    assert!(got == 4 || got == 6);
}
