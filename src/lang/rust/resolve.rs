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
    fn build(files: &'a [ParsedFile], rust_files: &[u32], manifests: &[(String, String)]) -> Self {
        let manifests: Vec<Manifest> = manifests
            .iter()
            .map(|(d, t)| cargo::parse_manifest(d, t))
            .collect();
        let ids: Vec<&str> = rust_files
            .iter()
            .map(|&f| files[f as usize].id.as_str())
            .collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        let targets = cargo::targets(&manifests, &sorted);
        let by_id: HashMap<&str, u32> = rust_files
            .iter()
            .map(|&f| (files[f as usize].id.as_str(), f))
            .collect();
        let mut ix = Index {
            files,
            manifests,
            targets,
            modules: Vec::new(),
            scopes: Vec::new(),
            file_module: HashMap::new(),
            inline_module: HashMap::new(),
            target_root: Vec::new(),
            lib_by_name: HashMap::new(),
            crate_map: Vec::new(),
            methods: HashMap::new(),
            traits_of: HashMap::new(),
            impl_self: HashMap::new(),
            method_names: HashSet::new(),
        };
        for t in 0..ix.targets.len() {
            let root_id = ix.targets[t].root.clone();
            let Some(&file) = by_id.get(root_id.as_str()) else {
                continue;
            };
            let m = match ix.file_module.get(&file) {
                Some(&m) => m,
                None => {
                    let m = ix.new_module(Some(t as u32), None, file, Vec::new(), false);
                    ix.file_module.insert(file, m);
                    ix.walk_file(file, m, true, &by_id);
                    m
                }
            };
            ix.target_root.push(m);
            if ix.targets[t].lib {
                ix.lib_by_name
                    .entry(ix.targets[t].name.clone())
                    .or_insert(t as u32);
            }
        }
        ix.build_crate_map();
        // Files no crate root reaches: a module path from the folders.
        for &f in rust_files {
            if ix.file_module.contains_key(&f) {
                continue;
            }
            let id = &files[f as usize].id;
            let (krate, path) = ix.guess_module(id);
            // Its parent: the module at the folder's path, if one exists,
            // so `super::` works in the orphan too.
            let parent = path.split_last().and_then(|(_, up)| {
                ix.modules
                    .iter()
                    .position(|m| m.krate == krate && m.path == up)
                    .map(|p| p as u32)
            });
            let m = ix.new_module(krate, parent, f, path, false);
            ix.file_module.insert(f, m);
            ix.walk_file(f, m, false, &by_id);
        }
        ix.fill_scopes();
        ix.register_impls(rust_files);
        ix
    }

    fn new_module(
        &mut self,
        krate: Option<u32>,
        parent: Option<u32>,
        file: u32,
        path: Vec<String>,
        test: bool,
    ) -> u32 {
        self.modules.push(Module {
            krate,
            parent,
            file,
            path,
            test,
        });
        self.scopes.push(Scope::default());
        self.modules.len() as u32 - 1
    }

    /// The crate and module path of a file no root reaches: the nearest
    /// target whose `src` folder holds it.
    fn guess_module(&self, id: &str) -> (Option<u32>, Vec<String>) {
        let mut best: Option<(usize, u32)> = None;
        for (t, target) in self.targets.iter().enumerate() {
            let d = dir_of(&target.root);
            if (d.is_empty() || id.starts_with(&format!("{d}/")))
                && best.is_none_or(|(len, _)| d.len() > len)
            {
                best = Some((d.len(), t as u32));
            }
        }
        let Some((_, t)) = best else {
            return (None, Vec::new());
        };
        let d = dir_of(&self.targets[t as usize].root);
        let rel = if d.is_empty() { id } else { &id[d.len() + 1..] };
        let mut path: Vec<String> = rel.split('/').map(str::to_string).collect();
        if let Some(last) = path.pop() {
            let stem = last.trim_end_matches(".rs");
            if stem != "mod" {
                path.push(stem.to_string());
            }
        }
        (Some(t), path)
    }

    /// Creates the modules a file declares and follows `mod m;` to files.
    fn walk_file(&mut self, file: u32, m: u32, is_root: bool, by_id: &HashMap<&str, u32>) {
        let Some(rf) = rust(&self.files[file as usize]) else {
            return;
        };
        let id = self.files[file as usize].id.as_str();
        let name = id.rsplit('/').next().unwrap_or(id);
        let mod_rs = is_root || name == "mod.rs";
        let dir = dir_of(id).to_string();
        let base = if mod_rs {
            dir.clone()
        } else {
            cargo::join(&dir, name.trim_end_matches(".rs"))
        };
        let mut inline_path: Vec<Vec<String>> = Vec::new();
        for (k, decl) in rf.mods.iter().enumerate() {
            let (parent, nest) = match decl.module {
                None => (m, Vec::new()),
                Some(p) => match self.inline_module.get(&(file, p)) {
                    Some(&pm) => (pm, inline_path[p as usize].clone()),
                    None => (m, Vec::new()),
                },
            };
            let mut path = self.modules[parent as usize].path.clone();
            path.push(decl.name.clone());
            let krate = self.modules[parent as usize].krate;
            let test = decl.test || self.modules[parent as usize].test;
            let mut my_nest = nest.clone();
            my_nest.push(decl.name.clone());
            inline_path.push(my_nest);
            if decl.inline {
                let child = self.new_module(krate, Some(parent), file, path, test);
                self.inline_module.insert((file, k as u32), child);
                self.scopes[parent as usize]
                    .items
                    .entry(decl.name.clone())
                    .or_default()
                    .push(Def::Module(child));
                continue;
            }
            let nest_dir = nest.iter().fold(base.clone(), |d, n| cargo::join(&d, n));
            let candidates: Vec<String> = match &decl.path_attr {
                Some(p) if nest.is_empty() => vec![cargo::join(&dir, p)],
                Some(p) => vec![cargo::join(&nest_dir, p)],
                None => vec![
                    cargo::join(&nest_dir, &format!("{}.rs", decl.name)),
                    cargo::join(&nest_dir, &format!("{}/mod.rs", decl.name)),
                ],
            };
            let Some(&child_file) = candidates.iter().find_map(|c| by_id.get(c.as_str())) else {
                continue;
            };
            let child = match self.file_module.get(&child_file) {
                Some(&c) => c,
                None => {
                    let c = self.new_module(krate, Some(parent), child_file, path, test);
                    self.file_module.insert(child_file, c);
                    self.walk_file(child_file, c, false, by_id);
                    c
                }
            };
            self.scopes[parent as usize]
                .items
                .entry(decl.name.clone())
                .or_default()
                .push(Def::Module(child));
        }
    }

    /// The module an element of `file` sits in (innermost inline module).
    fn module_of(&self, file: u32, inline: Option<u32>) -> Option<u32> {
        match inline {
            Some(k) => self
                .inline_module
                .get(&(file, k))
                .or_else(|| self.file_module.get(&file))
                .copied(),
            None => self.file_module.get(&file).copied(),
        }
    }

    fn fill_scopes(&mut self) {
        let files: Vec<u32> = self.file_module.keys().copied().collect();
        for f in files {
            let Some(rf) = rust(&self.files[f as usize]) else {
                continue;
            };
            for (i, item) in rf.items.iter().enumerate() {
                if let Some(m) = self.module_of(f, item.module) {
                    self.scopes[m as usize]
                        .items
                        .entry(item.name.clone())
                        .or_default()
                        .push(Def::Item(f, i as u32));
                    // `#[macro_export]` macros live at the crate root.
                    let root = self.modules[m as usize]
                        .krate
                        .and_then(|t| self.target_root.get(t as usize).copied());
                    if let (ItemKind::Macro, true, Some(r)) = (item.kind, item.public, root) {
                        if r != m {
                            self.scopes[r as usize]
                                .items
                                .entry(item.name.clone())
                                .or_default()
                                .push(Def::Item(f, i as u32));
                        }
                    }
                }
            }
            for (i, u) in rf.uses.iter().enumerate() {
                let Some(m) = self.module_of(f, u.module) else {
                    continue;
                };
                let s = &mut self.scopes[m as usize];
                match &u.name {
                    _ if u.glob => s.globs.push((f, i as u32)),
                    Some(n) if n != "_" => s.uses.entry(n.clone()).or_default().push((f, i as u32)),
                    _ => {}
                }
            }
        }
        // Deterministic candidate order whatever the hash map iteration.
        for s in &mut self.scopes {
            for v in s.items.values_mut() {
                v.sort_by_key(def_key);
                v.dedup();
            }
            for v in s.uses.values_mut() {
                v.sort_unstable();
            }
            s.globs.sort_unstable();
        }
    }

    fn register_impls(&mut self, rust_files: &[u32]) {
        let mut methods: HashMap<TypeId, HashMap<String, Vec<(u32, u32)>>> = HashMap::new();
        let mut traits_of: HashMap<TypeId, Vec<TypeId>> = HashMap::new();
        let mut impl_self = HashMap::new();
        for &f in rust_files {
            let Some(rf) = rust(&self.files[f as usize]) else {
                continue;
            };
            let mut r = Resolver::new(self);
            let mut self_of: Vec<Option<TypeId>> = Vec::with_capacity(rf.impls.len());
            for (k, imp) in rf.impls.iter().enumerate() {
                let Some(m) = self.module_of(f, imp.module) else {
                    self_of.push(None);
                    continue;
                };
                let ty = r.type_id(m, &imp.self_ty, None);
                self_of.push(ty);
                if let Some(t) = ty {
                    impl_self.insert((f, k as u32), t);
                    if let Some(tr) = &imp.trait_ {
                        if let Res::Def(Def::Item(tf, ti)) = r.resolve_path(m, tr, false) {
                            if self.item_kind((tf, ti)) == Some(ItemKind::Trait) {
                                let e = traits_of.entry(t).or_default();
                                if !e.contains(&(tf, ti)) {
                                    e.push((tf, ti));
                                }
                            }
                        }
                    }
                }
            }
            for (fi, func) in rf.fns.iter().enumerate() {
                let name = &self.files[f as usize].facts.functions[fi].name;
                let owner = match (func.impl_index, func.trait_item) {
                    (Some(k), _) => self_of.get(k as usize).copied().flatten(),
                    (None, Some(t)) => Some((f, t)),
                    _ => None,
                };
                if let Some(t) = owner {
                    methods
                        .entry(t)
                        .or_default()
                        .entry(name.clone())
                        .or_default()
                        .push((f, fi as u32));
                }
            }
        }
        self.method_names = methods.values().flat_map(|ms| ms.keys().cloned()).collect();
        self.methods = methods;
        self.traits_of = traits_of;
        self.impl_self = impl_self;
    }

    fn item_kind(&self, (f, i): TypeId) -> Option<ItemKind> {
        rust(&self.files[f as usize])?
            .items
            .get(i as usize)
            .map(|it| it.kind)
    }

    fn item_name(&self, (f, i): TypeId) -> &str {
        rust(&self.files[f as usize])
            .and_then(|r| r.items.get(i as usize))
            .map_or("", |it| it.name.as_str())
    }

    /// The crate a name refers to from module `m`: a dependency (renames
    /// followed), the package's own library, or any workspace library.
    fn crate_named(&self, m: u32, name: &str) -> Option<u32> {
        if let Some(t) = self.modules[m as usize].krate {
            if let Some(&r) = self.crate_map.get(t as usize).and_then(|c| c.get(name)) {
                return r;
            }
        }
        self.lib_by_name
            .get(name)
            .and_then(|&t| self.target_root.get(t as usize).copied())
    }

    /// A dependency of the module's package that is not a workspace crate.
    fn is_external_dep(&self, m: u32, name: &str) -> bool {
        self.modules[m as usize]
            .krate
            .and_then(|t| self.crate_map.get(t as usize))
            .is_some_and(|c| c.get(name) == Some(&None))
    }

    /// Per target: the names its package's manifest binds to crates
    /// (dependency keys, renames followed; `None` for a dependency outside
    /// the workspace) and its own library.
    fn build_crate_map(&mut self) {
        let mut maps = Vec::with_capacity(self.targets.len());
        for t in &self.targets {
            let mut map: HashMap<String, Option<u32>> = HashMap::new();
            if let Some(p) = t.package {
                let man = &self.manifests[p];
                for (key, package) in &man.deps {
                    let mut package = package.clone();
                    if man.workspace_deps.contains(key) {
                        if let Some(ws) = self
                            .manifests
                            .iter()
                            .filter(|w| !w.members.is_empty() || w.package.is_none())
                            .find_map(|w| w.deps.get(key))
                        {
                            package = ws.clone();
                        }
                    }
                    let root = self
                        .targets
                        .iter()
                        .position(|x| {
                            x.lib
                                && x.package.is_some_and(|q| {
                                    self.manifests[q].package.as_deref() == Some(&package)
                                })
                        })
                        .and_then(|x| self.target_root.get(x).copied());
                    map.insert(key.replace('-', "_"), root);
                }
                if let Some(x) = self
                    .targets
                    .iter()
                    .position(|x| x.lib && x.package == Some(p))
                {
                    map.entry(self.targets[x].name.clone())
                        .or_insert(self.target_root.get(x).copied());
                }
            }
            maps.push(map);
        }
        self.crate_map = maps;
    }

    fn logical_name(&self, f: u32) -> Option<String> {
        let m = &self.modules[*self.file_module.get(&f)? as usize];
        let krate = m
            .krate
            .map_or("?", |t| self.targets[t as usize].name.as_str());
        let mut s = krate.to_string();
        for p in &m.path {
            s.push_str("::");
            s.push_str(p);
        }
        Some(s)
    }

    fn def_file(&self, d: Def) -> u32 {
        match d {
            Def::Module(m) => self.modules[m as usize].file,
            Def::Item(f, _) => f,
        }
    }

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

impl<'i, 'a> Resolver<'i, 'a> {
    fn new(ix: &'i Index<'a>) -> Self {
        Resolver {
            ix,
            visiting: HashSet::new(),
            depth: 0,
            members: HashMap::new(),
            external_glob: HashMap::new(),
        }
    }

    fn rust(&self, f: u32) -> Option<&'a RustFacts> {
        rust(&self.ix.files[f as usize])
    }

    /// Whether a path is meant to be workspace-internal: it starts with
    /// `crate`/`self`/`super`/`Self`, a workspace crate's name, or a name
    /// bound in scope to something in the workspace.
    fn anchored(&mut self, m: u32, path: &[String]) -> bool {
        let Some(first) = path.first() else {
            return false;
        };
        match first.as_str() {
            "crate" | "self" | "super" | "Self" => true,
            "::" => path
                .get(1)
                .is_some_and(|n| self.ix.crate_named(m, n).is_some()),
            n => {
                self.ix.crate_named(m, n).is_some()
                    || matches!(self.lookup(m, n, false), Some(Res::Def(_) | Res::Assoc(..)))
            }
        }
    }

    /// Resolves a path from module `m`. `value`: the last segment names a
    /// function or constructor rather than a type or module.
    fn resolve_path(&mut self, m: u32, path: &[String], value: bool) -> Res {
        if path.is_empty() || self.depth > MAX_DEPTH {
            return Res::Unresolved;
        }
        self.depth += 1;
        let r = self.resolve_path_inner(m, path, value);
        self.depth -= 1;
        r
    }

    fn resolve_path_inner(&mut self, m: u32, path: &[String], value: bool) -> Res {
        let ix = self.ix;
        let mut i = 0;
        let mut cur: Res = match path[0].as_str() {
            "crate" => {
                i = 1;
                match ix.modules[m as usize].krate {
                    Some(t) => match ix.target_root.get(t as usize) {
                        Some(&r) => Res::Def(Def::Module(r)),
                        None => Res::Unresolved,
                    },
                    None => Res::Unresolved,
                }
            }
            "self" | "super" => {
                let mut mm = m;
                while i < path.len() && (path[i] == "self" || path[i] == "super") {
                    if path[i] == "super" {
                        match ix.modules[mm as usize].parent {
                            Some(p) => mm = p,
                            None => return Res::Unresolved,
                        }
                    }
                    i += 1;
                }
                Res::Def(Def::Module(mm))
            }
            "::" => {
                i = 2;
                match path.get(1).and_then(|n| ix.crate_named(m, n)) {
                    Some(r) => Res::Def(Def::Module(r)),
                    None => return Res::External,
                }
            }
            first => {
                i = 1;
                let last = path.len() == 1;
                match self.lookup(m, first, value && last) {
                    Some(r) => r,
                    None => match ix
                        .crate_named(m, first)
                        .or_else(|| self.extern_prelude(m, first))
                    {
                        Some(r) => Res::Def(Def::Module(r)),
                        None => {
                            if PRELUDE.contains(&first)
                                || ix.is_external_dep(m, first)
                                || self.has_external_glob(m)
                            {
                                return Res::External;
                            }
                            // An unknown first segment is an external crate
                            // when it is followed by more; alone, unknown.
                            return if last { Res::Unresolved } else { Res::External };
                        }
                    },
                }
            }
        };
        while i < path.len() {
            let seg = &path[i];
            let last = i + 1 == path.len();
            cur = match cur {
                Res::Def(Def::Module(mm)) => match self.member(mm, seg, value && last) {
                    Some(r) => r,
                    None => return Res::Unresolved,
                },
                Res::Def(Def::Item(f, it)) => match ix.item_kind((f, it)) {
                    Some(ItemKind::TypeAlias) => match self.alias_target((f, it)) {
                        Some(t) => Res::Assoc(t, seg.clone()),
                        None => return Res::External,
                    },
                    Some(_) => Res::Assoc((f, it), seg.clone()),
                    None => return Res::Unresolved,
                },
                Res::Assoc(..) => return cur,
                Res::External => return Res::External,
                Res::Unresolved => return Res::Unresolved,
            };
            i += 1;
        }
        cur
    }

    /// An `extern crate x as y;` in the crate root puts `y` in every
    /// module's extern prelude.
    fn extern_prelude(&mut self, m: u32, name: &str) -> Option<u32> {
        let t = self.ix.modules[m as usize].krate?;
        let root = *self.ix.target_root.get(t as usize)?;
        let uses = self.ix.scopes[root as usize].uses.get(name)?;
        for &(f, u) in uses {
            let ud = self.rust(f)?.uses.get(u as usize)?;
            if ud.extern_crate {
                if let Some(r) = self.ix.crate_named(root, &ud.path[0]) {
                    return Some(r);
                }
            }
        }
        None
    }

    fn has_external_glob(&mut self, m: u32) -> bool {
        if let Some(&b) = self.external_glob.get(&m) {
            return b;
        }
        let globs = self.ix.scopes[m as usize].globs.clone();
        let b = globs.iter().any(|&(f, u)| {
            let Some(ud) = self.rust(f).and_then(|r| r.uses.get(u as usize)) else {
                return false;
            };
            let Some(um) = self.ix.module_of(f, ud.module) else {
                return false;
            };
            matches!(self.resolve_path(um, &ud.path, false), Res::External)
        });
        self.external_glob.insert(m, b);
        b
    }

    /// A name in module `m`'s own scope: items, `use` bindings, globs.
    fn lookup(&mut self, m: u32, name: &str, value: bool) -> Option<Res> {
        self.member(m, name, value)
    }

    /// A name defined in or imported into module `m`.
    fn member(&mut self, m: u32, name: &str, value: bool) -> Option<Res> {
        let key = (m, name.to_string());
        if self.visiting.contains(&key) || self.depth > MAX_DEPTH {
            return None;
        }
        let ix = self.ix;
        let scope = &ix.scopes[m as usize];
        if let Some(defs) = scope.items.get(name) {
            if let Some(d) = self.pick(defs, value) {
                return Some(Res::Def(d));
            }
        }
        let memo_key = (m, name.to_string(), value);
        if let Some(r) = self.members.get(&memo_key) {
            return r.clone();
        }
        self.visiting.insert(key.clone());
        self.depth += 1;
        let mut found = None;
        if let Some(uses) = scope.uses.get(name) {
            for &(f, u) in uses {
                if let Some(r) = self.use_binding(f, u, value) {
                    found = Some(r);
                    break;
                }
            }
        }
        if found.is_none() {
            for &(f, u) in &scope.globs {
                if let Some(r) = self.glob_member(f, u, name, value) {
                    found = Some(r);
                    break;
                }
            }
        }
        self.depth -= 1;
        self.visiting.remove(&key);
        self.members.insert(memo_key, found.clone());
        found
    }

    fn pick(&self, defs: &[Def], value: bool) -> Option<Def> {
        let kind = |d: &Def| match *d {
            Def::Module(_) => None,
            Def::Item(f, i) => self.ix.item_kind((f, i)),
        };
        let rank = |d: &Def| -> u8 {
            match (kind(d), value) {
                (Some(ItemKind::Fn | ItemKind::Const | ItemKind::Static), true) => 0,
                (Some(ItemKind::Struct | ItemKind::Enum), true) => 1,
                (None, true) => 3,
                (Some(ItemKind::Macro), _) => 4,
                (None, false) => 0,
                (Some(ItemKind::Fn | ItemKind::Const | ItemKind::Static), false) => 2,
                _ => 1,
            }
        };
        defs.iter().min_by_key(|d| (rank(d), def_key(d))).copied()
    }

    /// What a `use` binding refers to.
    fn use_binding(&mut self, f: u32, u: u32, value: bool) -> Option<Res> {
        let ud = self.rust(f)?.uses.get(u as usize)?;
        let m = self.ix.module_of(f, ud.module)?;
        if ud.extern_crate {
            return Some(match self.ix.crate_named(m, &ud.path[0]) {
                Some(r) => Res::Def(Def::Module(r)),
                None => Res::External,
            });
        }
        match self.resolve_path(m, &ud.path, value) {
            Res::Unresolved => None,
            r => Some(r),
        }
    }

    /// A name found through a glob import `use p::*`.
    fn glob_member(&mut self, f: u32, u: u32, name: &str, value: bool) -> Option<Res> {
        let ud = self.rust(f)?.uses.get(u as usize)?;
        let m = self.ix.module_of(f, ud.module)?;
        match self.resolve_path(m, &ud.path, false) {
            Res::Def(Def::Module(t)) => self.member(t, name, value),
            Res::Def(Def::Item(tf, ti)) => {
                let it = self.rust(tf)?.items.get(ti as usize)?;
                it.variants
                    .iter()
                    .any(|v| v == name)
                    .then(|| Res::Assoc((tf, ti), name.to_string()))
            }
            _ => None,
        }
    }

    fn alias_target(&mut self, (f, i): TypeId) -> Option<TypeId> {
        let it = self.rust(f)?.items.get(i as usize)?;
        let m = self.ix.module_of(f, it.module)?;
        let t = it.bounds.first()?.clone();
        self.type_id(m, &t, None)
    }

    /// The workspace type a written type names, wrappers looked through.
    fn type_id(&mut self, m: u32, t: &RType, self_ty: Option<TypeId>) -> Option<TypeId> {
        if self.depth > MAX_DEPTH {
            return None;
        }
        if t.path.len() == 1 && t.path[0] == "Self" {
            return self_ty;
        }
        if let Some(last) = t.path.last() {
            if WRAPPERS.contains(&last.as_str()) && !t.args.is_empty() {
                let inner = t.args[0].clone();
                return self.type_id(m, &inner, self_ty);
            }
        }
        self.depth += 1;
        let r = self.resolve_path(m, &t.path, false);
        let out = match r {
            Res::Def(Def::Item(f, i)) => match self.ix.item_kind((f, i)) {
                Some(ItemKind::TypeAlias) => self.alias_target((f, i)),
                Some(ItemKind::Struct | ItemKind::Enum | ItemKind::Union | ItemKind::Trait) => {
                    Some((f, i))
                }
                _ => None,
            },
            _ => None,
        };
        self.depth -= 1;
        out
    }

    /// A method on a type: its impls, then default methods of the
    /// workspace traits it implements.
    fn method(&self, t: TypeId, name: &str) -> Option<(u32, u32)> {
        if let Some(v) = self.ix.methods.get(&t).and_then(|ms| ms.get(name)) {
            return v.iter().min().copied();
        }
        for tr in self.ix.traits_of.get(&t).into_iter().flatten() {
            if let Some(v) = self.ix.methods.get(tr).and_then(|ms| ms.get(name)) {
                return v.iter().min().copied();
            }
        }
        None
    }

    /// The declared return type of a function, in its own module.
    fn returns(&mut self, f: u32, fi: u32) -> Option<TypeId> {
        let rf = self.rust(f)?;
        let func = rf.fns.get(fi as usize)?;
        let ret = func.ret.as_ref()?;
        let m = self.ix.module_of(f, func.module)?;
        let self_ty = match (func.impl_index, func.trait_item) {
            (Some(k), _) => self.ix.impl_self.get(&(f, k)).copied(),
            (None, Some(t)) => Some((f, t)),
            _ => None,
        };
        self.type_id(m, ret, self_ty)
    }

    /// The workspace type of an expression, if it can be told.
    fn type_of(&mut self, cx: &FnCx, e: &RExpr, line: u32, upto: usize) -> Option<TypeId> {
        if self.depth > MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        let r = self.type_of_inner(cx, e, line, upto);
        self.depth -= 1;
        r
    }

    fn type_of_inner(&mut self, cx: &FnCx, e: &RExpr, line: u32, upto: usize) -> Option<TypeId> {
        match e {
            RExpr::Path(p) if p.len() == 1 => {
                let name = &p[0];
                if name == "self" {
                    return cx.self_ty;
                }
                let locals = &cx.func.locals[..upto.min(cx.func.locals.len())];
                let local = locals
                    .iter()
                    .enumerate()
                    .rev()
                    .find(|(_, l)| &l.name == name && l.line <= line);
                if let Some((k, l)) = local {
                    if let Some(t) = &l.ty {
                        return self.type_id(cx.module, t, cx.self_ty);
                    }
                    let init = l.init.clone()?;
                    return self.type_of(cx, &init, l.line, k);
                }
                let param = cx.func.params.iter().find(|(n, _)| n == name)?;
                self.type_id(cx.module, &param.1.clone(), cx.self_ty)
            }
            RExpr::Path(_) => None,
            RExpr::Field(base, name) => {
                let t = self.type_of(cx, base, line, upto)?;
                let it = self.rust(t.0)?.items.get(t.1 as usize)?;
                let ti = it.type_index?;
                let fld = self.ix.files[t.0 as usize].facts.types[ti as usize]
                    .fields
                    .iter()
                    .find(|f| &f.name == name)?;
                let m = self.ix.module_of(t.0, it.module)?;
                let rt = from_typeref(&fld.ty);
                self.type_id(m, &rt, Some(t))
            }
            RExpr::Call(p) => match self.call_target(cx, &RCallKind::Path(p.clone()), line, upto) {
                CallTarget::Fn(f, fi) => self.returns(f, fi),
                CallTarget::Type(t) => Some(t),
                _ => None,
            },
            RExpr::MethodCall(recv, name) => {
                let t = self.type_of(cx, recv, line, upto)?;
                match self.method(t, name) {
                    Some((f, fi)) => self.returns(f, fi),
                    None => PASS_THROUGH.contains(&name.as_str()).then_some(t),
                }
            }
            RExpr::Struct(p) => {
                if p.len() == 1 && p[0] == "Self" {
                    return cx.self_ty;
                }
                self.type_id(
                    cx.module,
                    &RType {
                        path: p.clone(),
                        args: Vec::new(),
                    },
                    cx.self_ty,
                )
            }
            RExpr::Element(coll) => {
                let (t, m, self_ty) = self.declared_type(cx, coll, line, upto)?;
                let elem = t.args.last()?.clone();
                self.type_id(m, &elem, self_ty)
            }
            RExpr::Unknown => None,
        }
    }

    /// The type of an expression as written (with its generic arguments),
    /// and the module and `Self` to read it in: for `for x in coll`.
    fn declared_type(
        &mut self,
        cx: &FnCx,
        e: &RExpr,
        line: u32,
        upto: usize,
    ) -> Option<(RType, u32, Option<TypeId>)> {
        if self.depth > MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        let r = match e {
            RExpr::Path(p) if p.len() == 1 => {
                let locals = &cx.func.locals[..upto.min(cx.func.locals.len())];
                let local = locals
                    .iter()
                    .enumerate()
                    .rev()
                    .find(|(_, l)| l.name == p[0] && l.line <= line);
                match local {
                    Some((_, l)) if l.ty.is_some() => {
                        l.ty.clone()
                            .map(|t| (strip_wrappers(&t), cx.module, cx.self_ty))
                    }
                    Some((k, l)) => match l.init.clone() {
                        Some(init) => self.declared_type(cx, &init, l.line, k),
                        None => None,
                    },
                    None => cx
                        .func
                        .params
                        .iter()
                        .find(|(n, _)| n == &p[0])
                        .map(|(_, t)| (strip_wrappers(t), cx.module, cx.self_ty)),
                }
            }
            RExpr::Field(base, name) => (|| {
                let t = self.type_of(cx, base, line, upto)?;
                let it = self.rust(t.0)?.items.get(t.1 as usize)?;
                let ti = it.type_index?;
                let fld = self.ix.files[t.0 as usize].facts.types[ti as usize]
                    .fields
                    .iter()
                    .find(|f| &f.name == name)?;
                let m = self.ix.module_of(t.0, it.module)?;
                Some((strip_wrappers(&from_typeref(&fld.ty)), m, Some(t)))
            })(),
            RExpr::MethodCall(recv, m) if COLLECTION_VIEWS.contains(&m.as_str()) => {
                self.declared_type(cx, recv, line, upto)
            }
            _ => None,
        };
        self.depth -= 1;
        r
    }

    fn assoc_target(&mut self, t: TypeId, name: &str) -> CallTarget {
        if let Some((f, fi)) = self.method(t, name) {
            return CallTarget::Fn(f, fi);
        }
        CallTarget::Type(t)
    }

    fn call_target(&mut self, cx: &FnCx, kind: &RCallKind, line: u32, upto: usize) -> CallTarget {
        match kind {
            RCallKind::Path(p) => {
                if p.first().is_some_and(|s| s == "Self") {
                    let Some(t) = cx.self_ty else {
                        return CallTarget::Unresolved;
                    };
                    return match p.get(1) {
                        Some(name) => self.assoc_target(t, name),
                        None => CallTarget::Type(t),
                    };
                }
                if p.len() == 1 && cx.func.nested_fns.contains(&p[0]) {
                    return CallTarget::Local;
                }
                if p.len() == 1
                    && (cx.func.locals.iter().any(|l| l.name == p[0])
                        || cx.func.params.iter().any(|(n, _)| n == &p[0]))
                {
                    // A closure or fn pointer held in a variable.
                    return CallTarget::External;
                }
                match self.resolve_path(cx.module, p, true) {
                    Res::Def(Def::Item(f, i)) => match self.ix.item_kind((f, i)) {
                        Some(ItemKind::Fn) => {
                            match self
                                .rust(f)
                                .and_then(|r| r.items.get(i as usize))
                                .and_then(|it| it.fn_index)
                            {
                                Some(fi) => CallTarget::Fn(f, fi),
                                None => CallTarget::Type((f, i)),
                            }
                        }
                        Some(ItemKind::Struct | ItemKind::Enum | ItemKind::Union) => {
                            CallTarget::Type((f, i))
                        }
                        Some(ItemKind::TypeAlias) => match self.alias_target((f, i)) {
                            Some(t) => CallTarget::Type(t),
                            None => CallTarget::External,
                        },
                        // A `const`/`static` holding a function pointer or
                        // closure: the call depends on its defining file.
                        Some(ItemKind::Const | ItemKind::Static) => CallTarget::Type((f, i)),
                        _ => CallTarget::Unresolved,
                    },
                    Res::Def(Def::Module(_)) => CallTarget::Unresolved,
                    Res::Assoc(t, name) => self.assoc_target(t, &name),
                    Res::External => CallTarget::External,
                    Res::Unresolved => CallTarget::Unresolved,
                }
            }
            RCallKind::Method(recv, name) => {
                match self.type_of(cx, recv, line, upto) {
                    Some(t) => match self.method(t, name) {
                        Some((f, fi)) => CallTarget::Fn(f, fi),
                        // A method of a std or derived trait (`clone`,
                        // `to_string`), or of an external trait.
                        None => CallTarget::External,
                    },
                    // No workspace type declares a method of this name, so
                    // whatever the receiver is, the callee is external.
                    None if !self.ix.method_names.contains(name) => CallTarget::External,
                    None => {
                        if self.receiver_is_external(cx, recv, line, upto) {
                            CallTarget::External
                        } else {
                            CallTarget::Unresolved
                        }
                    }
                }
            }
            RCallKind::Struct(p) => {
                // `Self { .. }` and `Self::Variant { .. }`.
                if p.first().is_some_and(|s| s == "Self") && p.len() <= 2 {
                    return cx.self_ty.map_or(CallTarget::Unresolved, CallTarget::Type);
                }
                match self.resolve_path(cx.module, p, false) {
                    Res::Def(Def::Item(f, i)) => match self.ix.item_kind((f, i)) {
                        Some(ItemKind::TypeAlias) => self
                            .alias_target((f, i))
                            .map_or(CallTarget::External, CallTarget::Type),
                        _ => CallTarget::Type((f, i)),
                    },
                    Res::Assoc(t, _) => CallTarget::Type(t),
                    Res::External => CallTarget::External,
                    _ => CallTarget::Unresolved,
                }
            }
        }
    }

    /// A receiver whose type is known to be outside the workspace: a
    /// variable, parameter or field declared with an external type, or the
    /// result of a call declared to return one.
    fn receiver_is_external(&mut self, cx: &FnCx, recv: &RExpr, line: u32, upto: usize) -> bool {
        if self.depth > MAX_DEPTH {
            return false;
        }
        self.depth += 1;
        let r = match recv {
            RExpr::Path(p) if p.len() == 1 && p[0] != "self" => {
                match self.declared_type(cx, recv, line, upto) {
                    Some((t, m, s)) => self.rtype_external(m, &t, s),
                    None => {
                        // `let s = x.y()` with an external result.
                        let init = cx
                            .func
                            .locals
                            .iter()
                            .rev()
                            .find(|l| l.name == p[0] && l.line <= line)
                            .and_then(|l| l.init.clone());
                        init.is_some_and(|i| self.receiver_is_external(cx, &i, line, upto))
                    }
                }
            }
            RExpr::Field(..) => match self.declared_type(cx, recv, line, upto) {
                Some((t, m, s)) => self.rtype_external(m, &t, s),
                None => false,
            },
            RExpr::Call(p) => match self.call_target(cx, &RCallKind::Path(p.clone()), line, upto) {
                CallTarget::External => true,
                CallTarget::Fn(f, fi) => self.returns_external(f, fi),
                _ => false,
            },
            RExpr::MethodCall(inner, name) => match self.type_of(cx, inner, line, upto) {
                Some(t) => match self.method(t, name) {
                    Some((f, fi)) => self.returns_external(f, fi),
                    None => !PASS_THROUGH.contains(&name.as_str()),
                },
                None => self.receiver_is_external(cx, inner, line, upto),
            },
            _ => false,
        };
        self.depth -= 1;
        r
    }

    /// Whether a written type is outside the workspace (std, a library).
    fn rtype_external(&mut self, m: u32, t: &RType, self_ty: Option<TypeId>) -> bool {
        let t = strip_wrappers(t);
        if t.path.is_empty() {
            return true;
        }
        if t.path == ["Self"] {
            return self_ty.is_none();
        }
        if t.path.len() == 1 && PRELUDE.contains(&t.path[0].as_str()) {
            return true;
        }
        matches!(self.resolve_path(m, &t.path, false), Res::External)
    }

    fn returns_external(&mut self, f: u32, fi: u32) -> bool {
        let Some(func) = self.rust(f).and_then(|r| r.fns.get(fi as usize)) else {
            return false;
        };
        let Some(ret) = func.ret.clone() else {
            return true;
        };
        let Some(m) = self.ix.module_of(f, func.module) else {
            return false;
        };
        let self_ty = match (func.impl_index, func.trait_item) {
            (Some(k), _) => self.ix.impl_self.get(&(f, k)).copied(),
            (None, Some(t)) => Some((f, t)),
            _ => None,
        };
        self.rtype_external(m, &ret, self_ty)
    }
}

fn strip_wrappers(t: &RType) -> RType {
    match t.path.last() {
        Some(l) if WRAPPERS.contains(&l.as_str()) && !t.args.is_empty() => {
            strip_wrappers(&t.args[0])
        }
        _ => t.clone(),
    }
}
