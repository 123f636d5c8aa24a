//! Resolution: from per-file facts to edges between files.
//!
//! A frontend sees one file; resolution sees them all. It builds a symbol
//! index over the whole repository, then turns each import, supertype, type
//! mention and call into an edge to the file that declares its target, or
//! counts it as external (JDK, third-party) or unresolved.
//!
//! This file dispatches each language's files to its resolver
//! (`src/lang/<lang>/resolve.rs`); the types they share are in
//! [`common`], re-exported here for the stages downstream.
//!
//! Invariant: resolution reads only [`FileFacts`](crate::lang::FileFacts); it never touches the disk.

pub mod common;

pub use common::{EdgeKind, EdgeSite, FileEdge, ParsedFile, ResolveStats, Resolved, SymbolCall};

use crate::lang::plan_facts::PlanFacts;
use crate::lang::{csharp, java, python, rust, typescript, Language};

/// Options of resolution.
#[derive(Debug, Clone, Default)]
pub struct ResolveOptions {
    /// Python source roots relative to the repository root (`""` for the
    /// root itself); empty: detected (docs/python.md).
    pub python_roots: Vec<String>,
    /// The `Cargo.toml` files that govern the Rust files (folder id, text),
    /// read at discovery time.
    pub cargo_manifests: Vec<(String, String)>,
    /// The `.csproj` and `.sln` files that govern the C# files (id, text),
    /// read at discovery time.
    pub dotnet_projects: Vec<(String, String)>,
    /// The `package.json`, `tsconfig*.json`, `jsconfig.json` and
    /// `pnpm-workspace.yaml` files that govern the TypeScript and
    /// JavaScript files (id, text), read at discovery time.
    pub node_manifests: Vec<(String, String)>,
}

/// Resolves every file with the default options.
pub fn resolve(files: &[ParsedFile]) -> Resolved {
    resolve_with(files, &ResolveOptions::default())
}

/// [`resolve`], with the Cargo manifests of the Rust files.
pub fn resolve_with_manifests(files: &[ParsedFile], manifests: &[(String, String)]) -> Resolved {
    resolve_with(
        files,
        &ResolveOptions {
            cargo_manifests: manifests.to_vec(),
            ..ResolveOptions::default()
        },
    )
}

/// Resolves every file; files of each language are resolved against their
/// own language's index.
pub fn resolve_with(files: &[ParsedFile], opts: &ResolveOptions) -> Resolved {
    let mut out = Resolved {
        stats: vec![ResolveStats::default(); files.len()],
        names: files.iter().map(|f| f.id.clone()).collect(),
        ..Resolved::default()
    };
    let java: Vec<u32> = (0..files.len() as u32)
        .filter(|&i| files[i as usize].language == Language::Java)
        .collect();
    if !java.is_empty() {
        java::resolve::resolve(files, &java, &mut out);
    }
    let rust: Vec<u32> = (0..files.len() as u32)
        .filter(|&i| files[i as usize].language == Language::Rust)
        .collect();
    if !rust.is_empty() {
        rust::resolve::resolve(files, &rust, &opts.cargo_manifests, &mut out);
    }
    let python: Vec<u32> = (0..files.len() as u32)
        .filter(|&i| files[i as usize].language == Language::Python)
        .collect();
    if !python.is_empty() {
        python::resolve::resolve(files, &python, &opts.python_roots, &mut out);
    }
    let csharp: Vec<u32> = (0..files.len() as u32)
        .filter(|&i| files[i as usize].language == Language::CSharp)
        .collect();
    if !csharp.is_empty() {
        csharp::resolve::resolve(files, &csharp, &opts.dotnet_projects, &mut out);
    }
    // TypeScript and JavaScript import each other: one index for both.
    let node: Vec<u32> = (0..files.len() as u32)
        .filter(|&i| {
            matches!(
                files[i as usize].language,
                Language::TypeScript | Language::JavaScript
            )
        })
        .collect();
    if !node.is_empty() {
        typescript::resolve::resolve(files, &node, &opts.node_manifests, &mut out);
    }
    out.edges.sort_unstable();
    out.sites.sort_unstable();
    out.sites.dedup();
    out.symbol_calls.sort();
    out.symbol_calls.dedup();
    out
}

/// The cross-file plan facts of every language (routes with their full
/// paths and handlers, data accesses found through other files), in the
/// neutral rows the plan stage reads: Java's, then Rust's, then Python's,
/// then C#'s, then TypeScript's and JavaScript's (mounts followed through
/// relative specifiers: the manifests are not passed here).
pub fn plan_facts(files: &[ParsedFile], python_roots: &[String]) -> PlanFacts {
    let mut out = PlanFacts {
        routes: java::plan::routes(files),
        accesses: Vec::new(),
        ..PlanFacts::default()
    };
    out.routes.extend(rust::plan::routes(files));
    let py = python::plan::python_plan(files, python_roots);
    out.routes.extend(py.routes);
    out.accesses = py.accesses;
    // Keys stated in code: Python's (model relations across files, and
    // each file's own with the model tables' declared names), then any
    // other language's own.
    out.foreign_keys = py.foreign_keys;
    out.foreign_keys.extend(
        files
            .iter()
            .filter(|f| !f.test && f.language != Language::Python)
            .flat_map(|f| f.facts.foreign_keys.iter().cloned()),
    );
    if files.iter().any(|f| f.language == Language::CSharp) {
        out.routes.extend(csharp::plan::routes(files));
        out.tables = csharp::plan::tables(files);
        out.accesses
            .extend(csharp::plan::accesses(files, &out.tables));
    }
    out.routes.extend(typescript::plan::routes(files, &[]));
    out
}
