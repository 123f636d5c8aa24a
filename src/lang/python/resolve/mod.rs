//! Python resolution: a module index over the detected source roots, then
//! per file, in parallel: imports, base classes, annotations and calls
//! resolved to the file that defines their target (docs/python.md).
//!
//! Source roots: the repository root and every folder that is not inside a
//! regular package (no `__init__.py` in it or above it) and under which at
//! least one absolute import of the repository resolves to a module. This
//! finds src layouts, several roots and plain Django projects without
//! configuration.
//!
//! Import edges: `import a.b.c` depends on the deepest of `a.b.c`, `a.b`, `a`
//! that is a file; parent packages' `__init__` files are not edges (Python
//! runs them, but the importer uses none of their names). `from m import n`
//! depends on the module that defines `n`, following re-exports through
//! package `__init__` files, or on the submodule `m.n`.
//!
//! `values.rs` says what names, attributes and expressions denote;
//! `plan_facts.rs` answers the plan stage's questions (route handlers, model
//! accesses); this file builds the index and resolves each file.

mod plan_facts;
mod values;

pub use plan_facts::{plan_facts, PlanFacts};

use std::collections::{BTreeSet, HashMap, VecDeque};

use crate::lang::plan_facts::DataAccess as ModelAccess;
use crate::lang::python::PyFacts;
use crate::lang::{Call, Expr, FileFacts, FunctionKind, TypeRef};
use crate::resolve::common::{EdgeKind, FileEdge, FileResult, ParsedFile, Resolved, SymbolCall};

/// Bound on re-export chains and expression typing recursion.
const MAX_DEPTH: usize = 12;

/// A module reference: a file, or a namespace package (a folder).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Module {
    File(u32),
    Namespace(String),
}

/// What a name or expression denotes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Val {
    Module(Module),
    Class(u32, u32),
    Instance(u32, u32),
    Func(u32, String),
    /// A module-level variable of a file: `(file, name)`.
    Global(u32, String),
    /// A Django manager or queryset of a model class, with the custom
    /// manager class when the model declares one (`objects = M()`).
    Manager((u32, u32), Option<(u32, u32)>),
    External,
    Unknown,
}

struct Index<'a> {
    files: &'a [ParsedFile],
    /// Folder path (`a/b`, `""` for the root) → `__init__` file.
    inits: HashMap<String, u32>,
    /// Module path without extension (`a/b/c`) → file.
    modules: HashMap<String, u32>,
    /// Folders holding Python files, at any depth.
    dirs: BTreeSet<String>,
    roots: Vec<String>,
    /// Per file: resolved bases of each type.
    bases: HashMap<(u32, u32), Vec<(u32, u32)>>,
    /// Django reverse relations: (model, related name) → related model.
    reverse: HashMap<((u32, u32), String), (u32, u32)>,
}

/// Manager and queryset methods that return one model instance.
const ONE: &[&str] = &[
    "get",
    "create",
    "first",
    "last",
    "latest",
    "earliest",
    "get_or_create_one",
];
/// Manager and queryset methods that return a queryset.
const MANY: &[&str] = &[
    "all",
    "filter",
    "exclude",
    "order_by",
    "select_related",
    "prefetch_related",
    "select_for_update",
    "distinct",
    "using",
    "annotate",
    "only",
    "defer",
];

fn join(dir: &str, rest: &str) -> String {
    match (dir.is_empty(), rest.is_empty()) {
        (true, _) => rest.to_string(),
        (_, true) => dir.to_string(),
        _ => format!("{dir}/{rest}"),
    }
}

fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn py(f: &FileFacts) -> Option<&PyFacts> {
    f.python.as_deref()
}

fn is_identifier(s: &str) -> bool {
    let mut c = s.chars();
    c.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && c.all(|c| c.is_alphanumeric() || c == '_')
}

impl<'a> Index<'a> {
    fn build(files: &'a [ParsedFile], ids: &[u32], roots: &[String]) -> Index<'a> {
        let mut inits = HashMap::new();
        let mut modules = HashMap::new();
        let mut dirs = BTreeSet::new();
        // `.py` wins over a `.pyi` stub of the same module.
        let mut sorted: Vec<u32> = ids.to_vec();
        sorted.sort_by_key(|&f| (files[f as usize].id.ends_with(".py"), f));
        for &f in &sorted {
            let id = &files[f as usize].id;
            let stem = id
                .strip_suffix(".py")
                .or_else(|| id.strip_suffix(".pyi"))
                .unwrap_or(id);
            let dir = parent_dir(id);
            if stem.rsplit('/').next() == Some("__init__") {
                inits.insert(dir.to_string(), f);
            } else {
                modules.insert(stem.to_string(), f);
            }
            let mut d = dir;
            while !d.is_empty() && dirs.insert(d.to_string()) {
                d = parent_dir(d);
            }
        }
        dirs.insert(String::new());
        let mut index = Index {
            files,
            inits,
            modules,
            dirs,
            roots: Vec::new(),
            bases: HashMap::new(),
            reverse: HashMap::new(),
        };
        index.roots = if roots.is_empty() {
            index.detect_roots(ids)
        } else {
            let mut r = roots.to_vec();
            r.sort_by_key(|r| {
                (
                    std::cmp::Reverse(r.matches('/').count() + !r.is_empty() as usize),
                    r.clone(),
                )
            });
            r.dedup();
            r
        };
        index
    }

    /// The module at a folder-relative path (`a/b/c`): a file, a package's
    /// `__init__`, or a namespace package folder.
    fn at_path(&self, path: &str) -> Option<Module> {
        if let Some(&f) = self.modules.get(path) {
            return Some(Module::File(f));
        }
        if let Some(&f) = self.inits.get(path) {
            return Some(Module::File(f));
        }
        (!path.is_empty() && self.dirs.contains(path)).then(|| Module::Namespace(path.to_string()))
    }

    fn detect_roots(&self, ids: &[u32]) -> Vec<String> {
        // Folders that can hold top-level modules: not inside a regular package.
        let candidates: Vec<&String> = self
            .dirs
            .iter()
            .filter(|d| {
                let mut p = d.as_str();
                loop {
                    if self.inits.contains_key(p) {
                        return false;
                    }
                    if p.is_empty() {
                        return true;
                    }
                    p = parent_dir(p);
                }
            })
            .collect();
        let mut wanted: BTreeSet<String> = BTreeSet::new();
        for &f in ids {
            if let Some(p) = py(&self.files[f as usize].facts) {
                for i in p.imports.iter().filter(|i| i.level == 0) {
                    wanted.insert(i.module.clone());
                }
            }
        }
        let mut roots: Vec<String> = candidates
            .into_iter()
            .filter(|d| {
                d.is_empty()
                    || wanted.iter().any(|m| {
                        // A full module path, not only a first segment.
                        let path = join(d, &m.replace('.', "/"));
                        m.contains('.') && matches!(self.at_path(&path), Some(Module::File(_)))
                            || self.modules.contains_key(&path)
                            || self.inits.contains_key(&path)
                    })
            })
            .cloned()
            .collect();
        // Deepest first: a module under `src/` is `shop.x`, not `src.shop.x`.
        roots.sort_by_key(|r| {
            (
                std::cmp::Reverse(r.matches('/').count() + !r.is_empty() as usize),
                r.clone(),
            )
        });
        roots
    }

    /// An absolute dotted module.
    fn module(&self, dotted: &str) -> Option<Module> {
        if dotted.is_empty() || !dotted.split('.').all(is_identifier) {
            return None;
        }
        let rel = dotted.replace('.', "/");
        self.roots.iter().find_map(|r| self.at_path(&join(r, &rel)))
    }

    /// The module a (possibly relative) `from` / `import` names.
    fn import_base(&self, file: u32, module: &str, level: u32) -> Option<Module> {
        if level == 0 {
            return self.module(module);
        }
        let mut dir = parent_dir(&self.files[file as usize].id).to_string();
        for _ in 1..level {
            if dir.is_empty() {
                return None;
            }
            dir = parent_dir(&dir).to_string();
        }
        if module.is_empty() {
            return self
                .inits
                .get(&dir)
                .map(|&f| Module::File(f))
                .or(Some(Module::Namespace(dir)));
        }
        self.at_path(&join(&dir, &module.replace('.', "/")))
    }

    /// Module path of a module ref (for submodule lookups).
    fn module_dir(&self, m: &Module) -> Option<String> {
        match m {
            Module::Namespace(d) => Some(d.clone()),
            Module::File(f) => {
                let id = &self.files[*f as usize].id;
                let stem = id.rsplit('/').next().unwrap_or("");
                stem.starts_with("__init__.")
                    .then(|| parent_dir(id).to_string())
            }
        }
    }

    fn submodule(&self, m: &Module, name: &str) -> Option<Module> {
        let dir = self.module_dir(m)?;
        self.at_path(&join(&dir, name))
    }

    /// The dotted module name of a file under the deepest root holding it.
    fn logical_name(&self, f: u32) -> Option<String> {
        let id = &self.files[f as usize].id;
        let stem = id.strip_suffix(".py").or_else(|| id.strip_suffix(".pyi"))?;
        let stem = stem.strip_suffix("/__init__").unwrap_or(stem);
        for r in &self.roots {
            let rel = if r.is_empty() {
                Some(stem)
            } else {
                stem.strip_prefix(r.as_str())
                    .and_then(|s| s.strip_prefix('/'))
            };
            if let Some(rel) = rel {
                if !rel.is_empty() && rel.split('/').all(is_identifier) {
                    return Some(rel.replace('/', "."));
                }
            }
        }
        None
    }

    fn facts(&self, f: u32) -> &'a FileFacts {
        &self.files[f as usize].facts
    }

    fn resolve_file(&self, file: u32) -> FileResult {
        let mut r = FileResult::default();
        let facts = self.facts(file);
        let edge = |r: &mut FileResult, to: u32, kind: EdgeKind| {
            if to != file {
                r.edges.push(FileEdge {
                    from: file,
                    to,
                    kind,
                });
            }
        };
        if let Some(p) = py(facts) {
            for imp in &p.imports {
                if imp.from {
                    let Some(base) = self.import_base(file, &imp.module, imp.level) else {
                        continue;
                    };
                    if imp.star || imp.names.is_empty() {
                        if let Module::File(f) = base {
                            edge(&mut r, f, EdgeKind::Import);
                        }
                        continue;
                    }
                    for (n, _) in &imp.names {
                        // A plain module's imported names are its own
                        // attributes: the edge goes to it. Only a package
                        // `__init__` is looked through to the definer.
                        if let Module::File(f) = base {
                            if self.module_dir(&base).is_none()
                                && self.name_in(f, n, 0).is_some_and(|v| v != Val::External)
                            {
                                edge(&mut r, f, EdgeKind::Import);
                                continue;
                            }
                        }
                        match self.member(&base, n, 0) {
                            Val::Class(f, _) | Val::Func(f, _) | Val::Global(f, _) => {
                                edge(&mut r, f, EdgeKind::Import)
                            }
                            Val::Module(Module::File(f)) => edge(&mut r, f, EdgeKind::Import),
                            _ => {
                                if let Module::File(f) = base {
                                    edge(&mut r, f, EdgeKind::Import);
                                }
                            }
                        }
                    }
                } else {
                    // The deepest prefix that is a file.
                    let parts: Vec<&str> = imp.module.split('.').collect();
                    for k in (1..=parts.len()).rev() {
                        if let Some(Module::File(f)) = self.module(&parts[..k].join(".")) {
                            edge(&mut r, f, EdgeKind::Import);
                            break;
                        }
                    }
                }
            }
        }
        for t in 0..facts.types.len() {
            for &(g, _) in self.bases.get(&(file, t as u32)).into_iter().flatten() {
                edge(&mut r, g, EdgeKind::Inherit);
            }
        }
        for (owner, tr) in &facts.type_refs {
            let cx = Scope {
                file,
                func: None,
                owner: *owner,
            };
            match self.type_name(&cx, &tr.name, 0) {
                Val::Class(g, _) => {
                    r.stats.type_refs_internal += 1;
                    edge(&mut r, g, EdgeKind::TypeUse);
                }
                Val::Unknown => {}
                _ => {}
            }
        }
        for (fi, func) in facts.functions.iter().enumerate() {
            let cx = Scope {
                file,
                func: Some(fi as u32),
                owner: func.owner,
            };
            let caller = facts.symbol(fi);
            for call in &func.calls {
                match self.resolve_call(&cx, call) {
                    Target::Internal(to, sym) => {
                        r.stats.calls_internal += 1;
                        edge(&mut r, to, EdgeKind::Call);
                        if to != file {
                            r.symbol_calls.push(SymbolCall {
                                from_file: file,
                                from_symbol: caller.clone(),
                                to_file: to,
                                to_symbol: sym,
                                line: call.line,
                            });
                        }
                    }
                    Target::External => r.stats.calls_external += 1,
                    Target::Unresolved => r.stats.calls_unresolved += 1,
                }
            }
        }
        r
    }

    fn class_symbol(&self, f: u32, c: u32, method: &str) -> String {
        format!("{}.{method}", self.facts(f).types[c as usize].path)
    }

    fn resolve_call(&self, cx: &Scope, call: &Call) -> Target {
        let ctor = |f: u32, c: u32| -> Target {
            // A constructor call runs the nearest `__init__`.
            match self.lookup_method((f, c), "__init__") {
                Some((g, t)) => Target::Internal(g, self.class_symbol(g, t, "__init__")),
                None => Target::Internal(f, self.class_symbol(f, c, "__init__")),
            }
        };
        let on_class = |v: (u32, u32)| -> Target {
            match self.lookup_method(v, &call.name) {
                Some((g, t)) => Target::Internal(g, self.class_symbol(g, t, &call.name)),
                // Inherited from an external base (Django's Model.save).
                None => Target::External,
            }
        };
        let callee = match &call.receiver {
            None => self.eval(cx, &Expr::Name(call.name.clone()), 0),
            Some(Expr::Super) => {
                let Some(owner) = cx.owner else {
                    return Target::Unresolved;
                };
                for &b in self.bases.get(&(cx.file, owner)).into_iter().flatten() {
                    if let Some((g, t)) = self.lookup_method(b, &call.name) {
                        return Target::Internal(g, self.class_symbol(g, t, &call.name));
                    }
                }
                return Target::External;
            }
            Some(recv) => match self.eval(cx, recv, 0) {
                Val::Instance(f, c) | Val::Class(f, c) => return on_class((f, c)),
                Val::Manager(_, custom) => {
                    return match custom.and_then(|c| self.lookup_method(c, &call.name)) {
                        Some((g, t)) => Target::Internal(g, self.class_symbol(g, t, &call.name)),
                        None => Target::External,
                    }
                }
                Val::Module(m) => self.member(&m, &call.name, 0),
                Val::External => return Target::External,
                _ => return Target::Unresolved,
            },
        };
        match callee {
            Val::Class(f, c) => ctor(f, c),
            Val::Func(f, n) => Target::Internal(f, n),
            Val::External => Target::External,
            Val::Module(_)
            | Val::Global(..)
            | Val::Instance(..)
            | Val::Manager(..)
            | Val::Unknown => {
                if call.receiver.is_none() && BUILTINS.contains(&call.name.as_str()) {
                    Target::External
                } else {
                    Target::Unresolved
                }
            }
        }
    }
}

/// Builtins whose unqualified calls are external without a binding.
const BUILTINS: &[&str] = &[
    "len",
    "str",
    "int",
    "float",
    "bool",
    "list",
    "dict",
    "set",
    "tuple",
    "print",
    "isinstance",
    "getattr",
    "setattr",
    "hasattr",
    "sorted",
    "sum",
    "min",
    "max",
    "range",
    "enumerate",
    "zip",
    "repr",
    "round",
    "abs",
    "any",
    "all",
    "map",
    "filter",
    "iter",
    "next",
    "type",
    "super",
    "open",
    "frozenset",
    "object",
    "format",
    "id",
    "hash",
    "vars",
    "callable",
];

struct Scope {
    file: u32,
    func: Option<u32>,
    owner: Option<u32>,
}

enum Target {
    Internal(u32, String),
    External,
    Unresolved,
}

pub(crate) fn resolve(files: &[ParsedFile], ids: &[u32], roots: &[String], out: &mut Resolved) {
    let mut index = Index::build(files, ids, roots);
    index.resolve_bases(ids);
    crate::resolve::common::resolve_each(
        ids,
        out,
        |f| index.resolve_file(f),
        |f| index.logical_name(f),
    );
}
