//! The code graph: units (files) and aggregated dependencies between them.
//!
//! Built on petgraph so later stages can use its algorithms (cycles,
//! condensation for DSM ordering) on the same structure the report is
//! written from. Node index `i` is unit `i`.

use petgraph::graph::{DiGraph, NodeIndex};

use crate::report::SkippedRow;
use crate::resolve::{EdgeKind, EdgeSite, FileEdge, ParsedFile, SymbolCall};

/// The structural part of an analysis: the parsed files, their graph and
/// the site of every reference, without history, clustering or a report.
/// What `check` and `trend` measure; built by `analyze::structure`.
pub struct Structure {
    pub files: Vec<ParsedFile>,
    pub graph: CodeGraph,
    pub sites: Vec<EdgeSite>,
    pub skipped: Vec<SkippedRow>,
}

/// One aggregated dependency: `count` references of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dependency {
    pub from: u32,
    pub to: u32,
    pub kind: EdgeKind,
    pub count: u32,
}

#[derive(Debug, Default)]
pub struct CodeGraph {
    pub graph: DiGraph<u32, Dependency>,
    /// Sorted by (from, to, kind).
    pub dependencies: Vec<Dependency>,
    pub symbol_calls: Vec<SymbolCall>,
}

impl CodeGraph {
    /// Aggregates per-reference edges (sorted or not) into counted
    /// dependencies over `n_units` nodes.
    pub fn build(n_units: usize, edges: &[FileEdge], symbol_calls: Vec<SymbolCall>) -> CodeGraph {
        let mut sorted: Vec<FileEdge> = edges.to_vec();
        sorted.sort_unstable();
        let mut dependencies: Vec<Dependency> = Vec::new();
        for e in sorted {
            match dependencies.last_mut() {
                Some(d) if d.from == e.from && d.to == e.to && d.kind == e.kind => d.count += 1,
                _ => dependencies.push(Dependency {
                    from: e.from,
                    to: e.to,
                    kind: e.kind,
                    count: 1,
                }),
            }
        }
        let mut graph = DiGraph::with_capacity(n_units, dependencies.len());
        for i in 0..n_units as u32 {
            graph.add_node(i);
        }
        for d in &dependencies {
            graph.add_edge(
                NodeIndex::new(d.from as usize),
                NodeIndex::new(d.to as usize),
                *d,
            );
        }
        CodeGraph {
            graph,
            dependencies,
            symbol_calls,
        }
    }

    /// Distinct units that depend on `unit` (any kind).
    pub fn fan_in(&self, unit: u32) -> u32 {
        self.distinct_neighbors(unit, petgraph::Direction::Incoming)
    }

    /// Distinct units `unit` depends on (any kind).
    pub fn fan_out(&self, unit: u32) -> u32 {
        self.distinct_neighbors(unit, petgraph::Direction::Outgoing)
    }

    fn distinct_neighbors(&self, unit: u32, dir: petgraph::Direction) -> u32 {
        let mut n: Vec<u32> = self
            .graph
            .neighbors_directed(NodeIndex::new(unit as usize), dir)
            .map(|i| i.index() as u32)
            .collect();
        n.sort_unstable();
        n.dedup();
        n.len() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregates_counts_and_fans() {
        let e = |from, to, kind| FileEdge { from, to, kind };
        let g = CodeGraph::build(
            3,
            &[
                e(0, 1, EdgeKind::Call),
                e(0, 1, EdgeKind::Call),
                e(0, 1, EdgeKind::Import),
                e(2, 1, EdgeKind::Call),
            ],
            Vec::new(),
        );
        assert_eq!(g.dependencies.len(), 3);
        assert_eq!(g.dependencies[0].count, 1);
        assert_eq!(g.dependencies[0].kind, EdgeKind::Import);
        assert_eq!(g.dependencies[1].count, 2);
        assert_eq!(g.fan_in(1), 2);
        assert_eq!(g.fan_out(0), 1);
        assert_eq!(g.fan_out(1), 0);
    }
}
