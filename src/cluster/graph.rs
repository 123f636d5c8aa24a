//! The graph the clustering works on: undirected, weighted, in compressed
//! sparse row (CSR) form. CSR keeps each node's neighbours contiguous, which is
//! what local moving and aggregation scan over and over; it also lets an
//! aggregated graph be built with one pass and no hashing.

/// Undirected weighted graph in CSR form.
///
/// Conventions (the same as igraph's and networkx's, so that modularity
/// values compare with theirs):
/// - every undirected edge `{u, v}` with `u != v` is stored in both rows;
///   parallel edges (including `(u, v)` next to `(v, u)`) are summed;
/// - a self loop of weight `w` is kept apart from the rows (`self_loop(i)`),
///   counts once in [`Graph::total_weight`] and twice in the strength
///   `k_i` (so `A_ii = 2w`);
/// - `total_weight()` is `m = Σ_i k_i / 2`.
#[derive(Clone, Debug, PartialEq)]
pub struct Graph {
    offsets: Vec<usize>,
    targets: Vec<u32>,
    weights: Vec<f64>,
    self_loops: Vec<f64>,
    strength: Vec<f64>,
    total_weight: f64,
}

impl Graph {
    /// Builds the graph from an edge list `(u, v, w)`.
    ///
    /// Rows are sorted by neighbour index, so the result (and everything
    /// computed from it) does not depend on the order of `edges` beyond the
    /// floating-point order in which parallel edges are summed.
    ///
    /// # Panics
    /// If `n` exceeds `u32::MAX`, an endpoint is `>= n`, or a weight is
    /// negative or not finite. Zero-weight edges are dropped.
    pub fn from_edges(n: usize, edges: &[(u32, u32, f64)]) -> Graph {
        assert!(n <= u32::MAX as usize, "graph too large for u32 node ids");
        let mut degree = vec![0usize; n];
        let mut self_loops = vec![0.0; n];
        for &(u, v, w) in edges {
            assert!(
                (u as usize) < n && (v as usize) < n,
                "edge ({u}, {v}) out of range for {n} nodes"
            );
            assert!(
                w.is_finite() && w >= 0.0,
                "edge ({u}, {v}) has invalid weight {w}"
            );
            if w == 0.0 {
                continue;
            }
            if u == v {
                self_loops[u as usize] += w;
            } else {
                degree[u as usize] += 1;
                degree[v as usize] += 1;
            }
        }
        // Scatter both directions into rows.
        let mut offsets = vec![0usize; n + 1];
        for i in 0..n {
            offsets[i + 1] = offsets[i] + degree[i];
        }
        let mut cursor = offsets[..n].to_vec();
        let mut row: Vec<(u32, f64)> = vec![(0, 0.0); offsets[n]];
        for &(u, v, w) in edges {
            if w == 0.0 || u == v {
                continue;
            }
            row[cursor[u as usize]] = (v, w);
            cursor[u as usize] += 1;
            row[cursor[v as usize]] = (u, w);
            cursor[v as usize] += 1;
        }
        // Sort each row (stable: parallel edges are summed in input order)
        // and merge duplicates, compacting in place.
        let mut targets = Vec::with_capacity(row.len());
        let mut weights = Vec::with_capacity(row.len());
        let mut new_offsets = vec![0usize; n + 1];
        for i in 0..n {
            let slice = &mut row[offsets[i]..offsets[i + 1]];
            slice.sort_by_key(|&(t, _)| t);
            for &(t, w) in slice.iter() {
                if targets.len() > new_offsets[i] && *targets.last().unwrap() == t {
                    *weights.last_mut().unwrap() += w;
                } else {
                    targets.push(t);
                    weights.push(w);
                }
            }
            new_offsets[i + 1] = targets.len();
        }
        Graph::from_csr(new_offsets, targets, weights, self_loops)
    }

    /// Assembles a graph from CSR parts that are already symmetric and free of
    /// duplicates (used by aggregation); computes strengths and `m`.
    pub(super) fn from_csr(
        offsets: Vec<usize>,
        targets: Vec<u32>,
        weights: Vec<f64>,
        self_loops: Vec<f64>,
    ) -> Graph {
        let n = self_loops.len();
        debug_assert_eq!(offsets.len(), n + 1);
        let strength: Vec<f64> = (0..n)
            .map(|i| weights[offsets[i]..offsets[i + 1]].iter().sum::<f64>() + 2.0 * self_loops[i])
            .collect();
        let total_weight = strength.iter().sum::<f64>() / 2.0;
        Graph {
            offsets,
            targets,
            weights,
            self_loops,
            strength,
            total_weight,
        }
    }

    /// Number of nodes.
    pub fn n(&self) -> usize {
        self.self_loops.len()
    }

    /// `m`: the sum of all edge weights, each undirected edge and each self
    /// loop counted once.
    pub fn total_weight(&self) -> f64 {
        self.total_weight
    }

    /// Number of distinct undirected edges between different nodes (self loops
    /// not counted).
    pub fn edge_count(&self) -> usize {
        self.targets.len() / 2
    }

    /// Strength (weighted degree) `k_i`, self loop counted twice.
    pub fn strength(&self, i: usize) -> f64 {
        self.strength[i]
    }

    /// Weight of the self loop at `i` (0 if none).
    pub fn self_loop(&self, i: usize) -> f64 {
        self.self_loops[i]
    }

    /// Neighbours of `i` (sorted by index for graphs from `from_edges`, self
    /// loop excluded) with the edge weights.
    pub fn neighbors(&self, i: usize) -> impl Iterator<Item = (u32, f64)> + '_ {
        let (t, w) = self.row(i);
        t.iter().copied().zip(w.iter().copied())
    }

    /// The row of `i` as parallel slices of neighbour ids and weights.
    #[inline]
    pub fn row(&self, i: usize) -> (&[u32], &[f64]) {
        let (a, b) = (self.offsets[i], self.offsets[i + 1]);
        (&self.targets[a..b], &self.weights[a..b])
    }
}
