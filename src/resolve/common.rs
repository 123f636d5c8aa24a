//! What every language's resolver shares: the parsed-file input, the edge
//! types it produces and the parallel resolve-and-gather loop
//! ([`resolve_each`]). Kept apart from the dispatcher in `resolve/mod.rs`,
//! so that the per-language resolvers under `src/lang/<lang>/` import this
//! file and the dispatcher imports them, without an import circle.

use serde::Serialize;

pub use crate::lang::ParsedFile;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    Import,
    Call,
    Inherit,
    TypeUse,
    Data,
}

impl EdgeKind {
    pub fn name(self) -> &'static str {
        match self {
            EdgeKind::Import => "import",
            EdgeKind::Call => "call",
            EdgeKind::Inherit => "inherit",
            EdgeKind::TypeUse => "type_use",
            EdgeKind::Data => "data",
        }
    }
}

/// A resolved reference from one file to another, before aggregation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileEdge {
    pub from: u32,
    pub to: u32,
    pub kind: EdgeKind,
}

/// Where one reference sits: the edge plus the line of the import, call,
/// supertype or type mention in the `from` file. Kept beside the edges (not
/// in them) so aggregation stays as it is; `check` reports these lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EdgeSite {
    pub from: u32,
    pub to: u32,
    pub kind: EdgeKind,
    pub line: u32,
}

/// A call between two symbols in different files: the interface surface of
/// any cut between them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SymbolCall {
    pub from_file: u32,
    /// `Type.method` within its file.
    pub from_symbol: String,
    pub to_file: u32,
    pub to_symbol: String,
    pub line: u32,
}

/// How well references in one file resolved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ResolveStats {
    /// Type mentions whose name is the name of a type in the repository
    /// and that resolved to one.
    pub type_refs_internal: u32,
    /// Type mentions that name a repository type but did not resolve
    /// (and were not shadowed by an explicit external import).
    pub type_refs_unresolved: u32,
    pub calls_internal: u32,
    pub calls_external: u32,
    /// Calls whose receiver type could not be determined.
    pub calls_unresolved: u32,
}

impl ResolveStats {
    pub fn add(&mut self, o: &ResolveStats) {
        self.type_refs_internal += o.type_refs_internal;
        self.type_refs_unresolved += o.type_refs_unresolved;
        self.calls_internal += o.calls_internal;
        self.calls_external += o.calls_external;
        self.calls_unresolved += o.calls_unresolved;
    }
}

/// The output of resolution for every file.
#[derive(Debug, Default)]
pub struct Resolved {
    /// One entry per reference; aggregated into counts by the graph stage.
    pub edges: Vec<FileEdge>,
    /// The line of every reference in `edges`, where the frontend knows it;
    /// sorted, duplicates removed.
    pub sites: Vec<EdgeSite>,
    pub symbol_calls: Vec<SymbolCall>,
    /// Indexed like the input files.
    pub stats: Vec<ResolveStats>,
    /// Logical name per file (Java: FQN of the primary top-level type).
    pub names: Vec<String>,
}

/// What resolving one file yields (every language's resolver).
#[derive(Default)]
pub(crate) struct FileResult {
    pub edges: Vec<FileEdge>,
    pub sites: Vec<EdgeSite>,
    pub symbol_calls: Vec<SymbolCall>,
    pub stats: ResolveStats,
}

/// Resolves `ids` in parallel and gathers the results into `out` in id
/// order (so the thread count never shows), with each file's logical name.
pub(crate) fn resolve_each(
    ids: &[u32],
    out: &mut Resolved,
    resolve_file: impl Fn(u32) -> FileResult + Sync,
    logical_name: impl Fn(u32) -> Option<String>,
) {
    use rayon::prelude::*;
    let results: Vec<(u32, FileResult)> = ids.par_iter().map(|&f| (f, resolve_file(f))).collect();
    for (f, r) in results {
        out.edges.extend(r.edges);
        out.sites.extend(r.sites);
        out.symbol_calls.extend(r.symbol_calls);
        out.stats[f as usize] = r.stats;
        if let Some(name) = logical_name(f) {
            out.names[f as usize] = name;
        }
    }
}
