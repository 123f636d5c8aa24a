//! Rust name resolution.
//!
//! 1. Crates: the targets of every Cargo package ([`super::cargo`]), each
//!    with its root file. 2. Module tree: from each root, `mod m;` is
//!    followed to `m.rs` or `m/mod.rs` (non-mod-rs layouts and `#[path]`
//!    included), inline `mod m { … }` is a module in the same file; a file
//!    no root reaches gets a module path guessed from its place under
//!    `src/`. 3. Scopes: per module, its items, child modules, `use`
//!    bindings and globs. 4. Paths are resolved as rustc does for the cases
//!    that matter here: `crate::`, `self::`, `super::`, names in scope
//!    (items, `use` bindings, globs), then the extern prelude (workspace
//!    crates through the package's dependency renames). `use` bindings are
//!    followed, so a `pub use` re-export resolves to the defining module.
//! 5. Impls: `impl [Trait for] Type` registers methods on the type;
//!    `Trait` is an inherit edge. 6. Per file, in parallel: imports,
//!    inherits, type uses and calls. A call's receiver type comes from
//!    `self`, parameters, `let x: T`, `let x = T::new()` (a callee's
//!    declared return type, `Self` and `Box`/`Arc`/`Rc`/`Option`/`Result`
//!    wrappers looked through), struct literals and struct fields.
//!
//! Code inside `#[cfg(test)]` modules is parsed but yields no edges: a test
//! module's dependencies are not the production file's.
//!
//! `index.rs` builds steps 1 to 3 and 5, `paths.rs` is step 4, `types.rs`
//! types receivers for calls; this file holds the shared types and step 6.

mod index;
mod paths;
mod types;

use std::collections::{HashMap, HashSet};

use super::cargo::{self, Manifest, Target};
use crate::lang::rust::{ItemKind, RCallKind, RExpr, RType, RustFacts, RustFn};
use crate::lang::TypeRef;
use crate::resolve::common::{EdgeKind, FileEdge, FileResult, ParsedFile, Resolved, SymbolCall};

/// Bounds recursion through `use` chains, globs and receiver typing.
const MAX_DEPTH: usize = 24;

/// Methods that return (a wrapper of) their receiver's type, so
/// `x.clone().total()` and `repo.lock().unwrap().find()` can be typed.
const PASS_THROUGH: &[&str] = &[
    "clone",
    "unwrap",
    "expect",
    "unwrap_or_default",
    "unwrap_or",
    "unwrap_or_else",
    "as_ref",
    "as_mut",
    "borrow",
    "borrow_mut",
    "lock",
    "read",
    "write",
    "to_owned",
    "as_deref",
    "as_deref_mut",
    "get_mut",
    "deref",
    "deref_mut",
];

/// Methods that view a collection as itself, for `for x in v.iter()`.
const COLLECTION_VIEWS: &[&str] = &[
    "iter",
    "iter_mut",
    "into_iter",
    "values",
    "values_mut",
    "into_values",
    "clone",
    "as_slice",
    "drain",
];

/// Wrapper types whose first type argument is the interesting type.
const WRAPPERS: &[&str] = &[
    "Box",
    "Arc",
    "Rc",
    "RefCell",
    "Cell",
    "Mutex",
    "RwLock",
    "Option",
    "Result",
    "Pin",
    "Cow",
    "MutexGuard",
    "Ref",
    "RefMut",
];

/// Names every module sees without a `use` (the std prelude and the
/// built-in roots), so an unqualified call to them is external.
const PRELUDE: &[&str] = &[
    "std",
    "core",
    "alloc",
    "Some",
    "None",
    "Ok",
    "Err",
    "Box",
    "Vec",
    "String",
    "Option",
    "Result",
    "drop",
    "Default",
    "Iterator",
    "IntoIterator",
    "From",
    "Into",
    "ToString",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Fn",
    "FnMut",
    "FnOnce",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "AsRef",
    "AsMut",
    "Drop",
    "ToOwned",
    "TryFrom",
    "TryInto",
    "Extend",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "[]",
    "bool",
    "char",
    "str",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "f32",
    "f64",
];

type TypeId = (u32, u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Def {
    Module(u32),
    /// (file, index into `RustFacts::items`).
    Item(u32, u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Res {
    Def(Def),
    /// An associated name on a type: method, associated fn or variant.
    Assoc(TypeId, String),
    External,
    Unresolved,
}

struct Module {
    krate: Option<u32>,
    parent: Option<u32>,
    file: u32,
    /// Path from the crate root.
    path: Vec<String>,
    test: bool,
}

#[derive(Default)]
struct Scope {
    items: HashMap<String, Vec<Def>>,
    /// Name → (file, use index).
    uses: HashMap<String, Vec<(u32, u32)>>,
    globs: Vec<(u32, u32)>,
}

struct Index<'a> {
    files: &'a [ParsedFile],
    manifests: Vec<Manifest>,
    targets: Vec<Target>,
    modules: Vec<Module>,
    scopes: Vec<Scope>,
    /// A file's own (outermost) module.
    file_module: HashMap<u32, u32>,
    /// (file, inline `ModDecl` index) → module.
    inline_module: HashMap<(u32, u32), u32>,
    target_root: Vec<u32>,
    lib_by_name: HashMap<String, u32>,
    crate_map: Vec<HashMap<String, Option<u32>>>,
    /// Methods by type: inherent and trait impls, and trait declarations.
    methods: HashMap<TypeId, HashMap<String, Vec<(u32, u32)>>>,
    /// Traits each type implements (in-workspace traits only).
    traits_of: HashMap<TypeId, Vec<TypeId>>,
    /// Per (file, impl index): the resolved self type.
    impl_self: HashMap<(u32, u32), TypeId>,
    /// Every method name declared in a workspace impl or trait.
    method_names: HashSet<String>,
}

fn rust(f: &ParsedFile) -> Option<&RustFacts> {
    f.facts.rust.as_deref()
}

pub(crate) fn resolve(
    files: &[ParsedFile],
    rust_files: &[u32],
    manifests: &[(String, String)],
    out: &mut Resolved,
) {
    let ix = Index::build(files, rust_files, manifests);
    crate::resolve::common::resolve_each(
        rust_files,
        out,
        |f| ix.resolve_file(f),
        |f| ix.logical_name(f),
    );
}

fn dir_of(id: &str) -> &str {
    id.rsplit_once('/').map_or("", |(d, _)| d)
}

impl<'a> Index<'a> {
    fn resolve_file(&self, f: u32) -> FileResult {
        let mut out = FileResult::default();
        let Some(rf) = rust(&self.files[f as usize]) else {
            return out;
        };
        let mut r = Resolver::new(self);
        let module_test = |m: Option<u32>| m.is_some_and(|m| self.modules[m as usize].test);
        let mut edge = |out: &mut FileResult, to: u32, kind: EdgeKind| {
            if to != f {
                out.edges.push(FileEdge { from: f, to, kind });
            }
        };
        // Imports.
        for u in &rf.uses {
            let m = self.module_of(f, u.module);
            let Some(m) = m else { continue };
            if u.test || module_test(Some(m)) {
                continue;
            }
            if u.extern_crate {
                if let Some(root) = self.crate_named(m, &u.path[0]) {
                    out.stats.type_refs_internal += 1;
                    edge(&mut out, self.modules[root as usize].file, EdgeKind::Import);
                }
                continue;
            }
            let res = r.resolve_path(m, &u.path, false);
            let anchored = r.anchored(m, &u.path);
            match res {
                Res::Def(d) => {
                    out.stats.type_refs_internal += 1;
                    edge(&mut out, self.def_file(d), EdgeKind::Import);
                }
                Res::Assoc(t, _) => {
                    out.stats.type_refs_internal += 1;
                    edge(&mut out, t.0, EdgeKind::Import);
                }
                Res::External => {}
                Res::Unresolved => {
                    if anchored {
                        out.stats.type_refs_unresolved += 1;
                    }
                }
            }
        }
        // Inherits: trait impls and supertraits.
        for imp in &rf.impls {
            let Some(m) = self.module_of(f, imp.module) else {
                continue;
            };
            if imp.test || module_test(Some(m)) {
                continue;
            }
            if let Some(tr) = &imp.trait_ {
                self.count_path(&mut r, &mut out, m, tr, |out, file| {
                    edge(out, file, EdgeKind::Inherit)
                });
            }
            if let Some(t) = r.type_id(m, &imp.self_ty, None) {
                out.stats.type_refs_internal += 1;
                edge(&mut out, t.0, EdgeKind::TypeUse);
            } else if r.anchored(m, &imp.self_ty.path) {
                out.stats.type_refs_unresolved += 1;
            }
        }
        for item in &rf.items {
            let Some(m) = self.module_of(f, item.module) else {
                continue;
            };
            if item.test || module_test(Some(m)) {
                continue;
            }
            match item.kind {
                ItemKind::Trait => {
                    for b in &item.bounds {
                        self.count_path(&mut r, &mut out, m, &b.path, |out, file| {
                            edge(out, file, EdgeKind::Inherit)
                        });
                    }
                }
                ItemKind::Struct => {
                    if let Some(ti) = item.type_index {
                        for fld in &self.files[f as usize].facts.types[ti as usize].fields {
                            let rt = from_typeref(&fld.ty);
                            self.type_use(&mut r, &mut out, m, &rt, &mut edge);
                        }
                    }
                }
                _ => {}
            }
        }
        // Functions: signatures, locals and calls.
        for (fi, func) in rf.fns.iter().enumerate() {
            let Some(m) = self.module_of(f, func.module) else {
                continue;
            };
            if func.test || module_test(Some(m)) {
                continue;
            }
            let self_ty = match (func.impl_index, func.trait_item) {
                (Some(k), _) => self.impl_self.get(&(f, k)).copied(),
                (None, Some(t)) => Some((f, t)),
                _ => None,
            };
            for (_, t) in &func.params {
                self.type_use(&mut r, &mut out, m, t, &mut edge);
            }
            if let Some(t) = &func.ret {
                self.type_use(&mut r, &mut out, m, t, &mut edge);
            }
            for l in &func.locals {
                if let Some(t) = &l.ty {
                    self.type_use(&mut r, &mut out, m, t, &mut edge);
                }
            }
            let from_symbol = self.symbol(f, fi as u32);
            let cx = FnCx {
                module: m,
                self_ty,
                func,
            };
            for call in &func.calls {
                let target = r.call_target(&cx, &call.kind, call.line, func.locals.len());
                // Multi-segment call paths and struct-literal paths count
                // among the workspace-internal paths (docs/metrics.md).
                let path = match &call.kind {
                    RCallKind::Path(p) if p.len() > 1 => Some(p),
                    RCallKind::Struct(p) => Some(p),
                    _ => None,
                };
                if let Some(p) = path {
                    if r.anchored(m, p) {
                        match target {
                            CallTarget::Fn(..) | CallTarget::Type(_) | CallTarget::Local => {
                                out.stats.type_refs_internal += 1
                            }
                            // Through a workspace alias or re-export to an
                            // external item: resolved, but not internal.
                            CallTarget::External => {}
                            _ => out.stats.type_refs_unresolved += 1,
                        }
                    }
                }
                match target {
                    CallTarget::Fn(tf, tfi) => {
                        out.stats.calls_internal += 1;
                        edge(&mut out, tf, EdgeKind::Call);
                        if tf != f {
                            out.symbol_calls.push(SymbolCall {
                                from_file: f,
                                from_symbol: from_symbol.clone(),
                                to_file: tf,
                                to_symbol: self.symbol(tf, tfi),
                                line: call.line,
                            });
                        }
                    }
                    CallTarget::Type(t) => {
                        out.stats.calls_internal += 1;
                        edge(&mut out, t.0, EdgeKind::Call);
                        if t.0 != f {
                            out.symbol_calls.push(SymbolCall {
                                from_file: f,
                                from_symbol: from_symbol.clone(),
                                to_file: t.0,
                                to_symbol: self.item_name(t).to_string(),
                                line: call.line,
                            });
                        }
                    }
                    CallTarget::Local => out.stats.calls_internal += 1,
                    CallTarget::External => out.stats.calls_external += 1,
                    CallTarget::Unresolved => out.stats.calls_unresolved += 1,
                }
            }
        }
        out.edges.sort_unstable();
        out
    }

    /// Resolves a path that names a trait or type and counts it in the
    /// path statistics; `on_file` receives the defining file.
    fn count_path(
        &self,
        r: &mut Resolver,
        out: &mut FileResult,
        m: u32,
        path: &[String],
        mut on_file: impl FnMut(&mut FileResult, u32),
    ) {
        match r.resolve_path(m, path, false) {
            Res::Def(d) => {
                out.stats.type_refs_internal += 1;
                on_file(out, self.def_file(d));
            }
            Res::Assoc(t, _) => {
                out.stats.type_refs_internal += 1;
                on_file(out, t.0);
            }
            Res::External => {}
            Res::Unresolved => {
                if r.anchored(m, path) {
                    out.stats.type_refs_unresolved += 1;
                }
            }
        }
    }

    /// A type mention: a type-use edge for each workspace type in it
    /// (generic arguments included).
    fn type_use(
        &self,
        r: &mut Resolver,
        out: &mut FileResult,
        m: u32,
        t: &RType,
        edge: &mut impl FnMut(&mut FileResult, u32, EdgeKind),
    ) {
        for a in &t.args {
            self.type_use(r, out, m, a, edge);
        }
        if t.path.is_empty() || t.path == ["Self"] {
            return;
        }
        if t.path.len() == 1 && PRELUDE.contains(&t.path[0].as_str()) {
            return;
        }
        match r.resolve_path(m, &t.path, false) {
            Res::Def(d @ Def::Item(..)) => {
                out.stats.type_refs_internal += 1;
                edge(out, self.def_file(d), EdgeKind::TypeUse);
            }
            Res::Def(Def::Module(_)) | Res::External => {}
            Res::Assoc(t, _) => {
                out.stats.type_refs_internal += 1;
                edge(out, t.0, EdgeKind::TypeUse);
            }
            Res::Unresolved => {
                if r.anchored(m, &t.path) {
                    out.stats.type_refs_unresolved += 1;
                }
            }
        }
    }

    /// `Type.method` for a method, `name` for a free function.
    fn symbol(&self, f: u32, fi: u32) -> String {
        let facts = &self.files[f as usize].facts;
        let name = &facts.functions[fi as usize].name;
        let owner = rust(&self.files[f as usize]).and_then(|r| {
            let func = r.fns.get(fi as usize)?;
            match (func.impl_index, func.trait_item) {
                (Some(k), _) => {
                    let imp = &r.impls[k as usize];
                    imp.self_ty.path.last().cloned()
                }
                (None, Some(t)) => r.items.get(t as usize).map(|i| i.name.clone()),
                _ => None,
            }
        });
        match owner {
            Some(o) => format!("{o}.{name}"),
            None => name.clone(),
        }
    }
}

fn def_key(d: &Def) -> (u8, u32, u32) {
    match *d {
        Def::Module(m) => (0, m, 0),
        Def::Item(f, i) => (1, f, i),
    }
}

fn from_typeref(t: &TypeRef) -> RType {
    RType {
        path: if t.name.is_empty() {
            Vec::new()
        } else {
            t.name.split("::").map(str::to_string).collect()
        },
        args: t.args.iter().map(from_typeref).collect(),
    }
}

struct FnCx<'f> {
    module: u32,
    self_ty: Option<TypeId>,
    func: &'f RustFn,
}

enum CallTarget {
    Fn(u32, u32),
    /// A function nested in the caller's body: internal, same file.
    Local,
    /// A constructor (struct literal, tuple struct, enum variant), an
    /// associated function the workspace does not declare (derived), or a
    /// `const`/`static` called as a function.
    Type(TypeId),
    External,
    Unresolved,
}

/// Path and type resolution with cycle guards; one per thread of work.
struct Resolver<'i, 'a> {
    ix: &'i Index<'a>,
    visiting: HashSet<(u32, String)>,
    depth: usize,
    /// Memo of `use`/glob lookups, (module, name, value) → result. One
    /// resolver serves one file, so results do not depend on the order in
    /// which threads pick files.
    members: HashMap<(u32, String, bool), Option<Res>>,
    external_glob: HashMap<u32, bool>,
}
