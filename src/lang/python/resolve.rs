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

    /// A name defined at module level in `file` (class, function, global).
    fn defined(&self, file: u32, name: &str) -> Option<Val> {
        let facts = self.facts(file);
        if let Some(t) = facts
            .types
            .iter()
            .position(|t| t.parent.is_none() && t.name == name)
        {
            return Some(Val::Class(file, t as u32));
        }
        if facts
            .functions
            .iter()
            .any(|f| f.owner.is_none() && f.kind == FunctionKind::Method && f.name == name)
        {
            return Some(Val::Func(file, name.to_string()));
        }
        if py(facts).is_some_and(|p| p.globals.iter().any(|(n, _)| n == name)) {
            return Some(Val::Global(file, name.to_string()));
        }
        None
    }

    /// What `name` denotes at module level in `file`: a definition, or an
    /// import binding followed to the defining module (re-exports), or a
    /// star import's export.
    fn name_in(&self, file: u32, name: &str, depth: usize) -> Option<Val> {
        if depth > MAX_DEPTH {
            return None;
        }
        if let Some(v) = self.defined(file, name) {
            return Some(v);
        }
        let p = py(self.facts(file))?;
        // Later bindings win, as at run time; fallbacks resolve too.
        for imp in p.imports.iter().rev() {
            if imp.in_function {
                continue;
            }
            if imp.from {
                for (n, alias) in &imp.names {
                    if alias.as_deref().unwrap_or(n) != name {
                        continue;
                    }
                    let Some(base) = self.import_base(file, &imp.module, imp.level) else {
                        return Some(Val::External);
                    };
                    return Some(self.member(&base, n, depth + 1));
                }
            } else if let Some(alias) = &imp.alias {
                if alias == name {
                    return Some(match self.module(&imp.module) {
                        Some(m) => Val::Module(m),
                        None => Val::External,
                    });
                }
            } else if imp.module.split('.').next() == Some(name) {
                return Some(match self.module(name) {
                    Some(m) => Val::Module(m),
                    None => Val::External,
                });
            }
        }
        for imp in p.imports.iter().filter(|i| i.star && !i.in_function) {
            let Some(base) = self.import_base(file, &imp.module, imp.level) else {
                continue;
            };
            let Module::File(g) = base else { continue };
            if !self.exports(g, name) {
                continue;
            }
            if let Some(v) = self.name_in(g, name, depth + 1) {
                return Some(v);
            }
        }
        None
    }

    /// Whether `from file import *` binds `name`: listed in `__all__`, or
    /// public when there is no `__all__`.
    fn exports(&self, file: u32, name: &str) -> bool {
        match py(self.facts(file)).and_then(|p| p.all.as_ref()) {
            Some(all) => all.iter().any(|n| n == name),
            None => !name.starts_with('_'),
        }
    }

    /// Attribute `name` of a module: a name it defines or re-exports, else
    /// its submodule.
    fn member(&self, m: &Module, name: &str, depth: usize) -> Val {
        if let Module::File(f) = m {
            if let Some(v) = self.name_in(*f, name, depth) {
                if v != Val::External {
                    return v;
                }
            }
        }
        match self.submodule(m, name) {
            Some(s) => Val::Module(s),
            None => Val::Unknown,
        }
    }

    /// Resolves the base classes of every class.
    fn resolve_bases(&mut self, ids: &[u32]) {
        let mut bases = HashMap::new();
        for &f in ids {
            for (t, ty) in self.facts(f).types.iter().enumerate() {
                let cx = Scope {
                    file: f,
                    func: None,
                    owner: ty.parent,
                };
                let mut out = Vec::new();
                for (_, st) in &ty.supertypes {
                    if let Val::Class(g, c) = self.type_name(&cx, &st.name, 0) {
                        out.push((g, c));
                    }
                }
                bases.insert((f, t as u32), out);
            }
        }
        let mut reverse = HashMap::new();
        for &f in ids {
            for (t, ty) in self.facts(f).types.iter().enumerate() {
                for a in ty.annotations.iter().filter(|a| a.name == "=fk") {
                    let get =
                        |k: &str| a.args.iter().find(|(x, _)| x == k).map(|(_, v)| v.as_str());
                    let (Some(target), Some(related)) = (get("target"), get("related_name")) else {
                        continue;
                    };
                    let cx = Scope {
                        file: f,
                        func: None,
                        owner: None,
                    };
                    if let Val::Class(g, c) = self.type_name(&cx, target, 0) {
                        reverse.insert(((g, c), related.to_string()), (f, t as u32));
                    }
                }
            }
        }
        self.bases = bases;
        self.reverse = reverse;
    }

    /// Finds a method (or class attribute when `attr`) in a class and its
    /// bases, breadth first (close to the MRO for single inheritance).
    fn lookup_method(&self, class: (u32, u32), name: &str) -> Option<(u32, u32)> {
        let mut queue = VecDeque::from([class]);
        let mut seen = BTreeSet::new();
        while let Some((f, t)) = queue.pop_front() {
            if !seen.insert((f, t)) || seen.len() > 64 {
                continue;
            }
            if self
                .facts(f)
                .functions
                .iter()
                .any(|g| g.owner == Some(t) && g.kind == FunctionKind::Method && g.name == name)
            {
                return Some((f, t));
            }
            queue.extend(self.bases.get(&(f, t)).into_iter().flatten().copied());
        }
        None
    }

    fn lookup_field(&self, class: (u32, u32), name: &str) -> Option<(u32, u32, &'a TypeRef)> {
        let mut queue = VecDeque::from([class]);
        let mut seen = BTreeSet::new();
        while let Some((f, t)) = queue.pop_front() {
            if !seen.insert((f, t)) || seen.len() > 64 {
                continue;
            }
            let ty = &self.facts(f).types[t as usize];
            if let Some(fd) = ty.fields.iter().find(|fd| fd.name == name) {
                return Some((f, t, &fd.ty));
            }
            queue.extend(self.bases.get(&(f, t)).into_iter().flatten().copied());
        }
        None
    }

    /// A dotted type name as written in `file`.
    fn type_name(&self, cx: &Scope, name: &str, depth: usize) -> Val {
        let mut parts = name.split('.');
        let first = parts.next().unwrap_or("");
        let mut v = self.eval(cx, &Expr::Name(first.to_string()), depth + 1);
        for p in parts {
            v = self.attr(v, p, depth + 1);
        }
        v
    }

    /// The value of an instance typed by an annotation.
    fn instance_of(&self, file: u32, ty: &TypeRef, depth: usize) -> Val {
        let cx = Scope {
            file,
            func: None,
            owner: None,
        };
        // Optional[X] / X | None: the one non-None argument.
        let t = if matches!(ty.name.as_str(), "Optional" | "typing.Optional" | "Union")
            && !ty.args.is_empty()
        {
            let real: Vec<&TypeRef> = ty.args.iter().filter(|a| a.name != "None").collect();
            if real.len() != 1 {
                return Val::Unknown;
            }
            real[0]
        } else {
            ty
        };
        match self.type_name(&cx, &t.name, depth + 1) {
            Val::Class(f, c) => Val::Instance(f, c),
            Val::External => Val::External,
            _ => Val::Unknown,
        }
    }

    fn attr(&self, v: Val, name: &str, depth: usize) -> Val {
        if depth > MAX_DEPTH {
            return Val::Unknown;
        }
        match v {
            Val::Module(m) => self.member(&m, name, depth + 1),
            Val::Class(f, c) if name == "objects" => {
                let custom = match self.lookup_field((f, c), name) {
                    Some((g, _, ty)) => match self.instance_of(g, ty, depth + 1) {
                        Val::Instance(mf, mc) => Some((mf, mc)),
                        _ => None,
                    },
                    None => None,
                };
                Val::Manager((f, c), custom)
            }
            Val::Instance(f, c) if self.reverse.contains_key(&((f, c), name.to_string())) => {
                Val::Manager(self.reverse[&((f, c), name.to_string())], None)
            }
            Val::Manager(m, custom) if MANY.contains(&name) => Val::Manager(m, custom),
            Val::Class(f, c) | Val::Instance(f, c) => {
                if let Some((g, _, ty)) = self.lookup_field((f, c), name) {
                    return self.instance_of(g, ty, depth + 1);
                }
                if let Some(n) = self
                    .facts(f)
                    .types
                    .iter()
                    .position(|x| x.parent == Some(c) && x.name == name)
                {
                    return Val::Class(f, n as u32);
                }
                Val::Unknown
            }
            Val::External => Val::External,
            _ => Val::Unknown,
        }
    }

    fn eval(&self, cx: &Scope, e: &Expr, depth: usize) -> Val {
        if depth > MAX_DEPTH {
            return Val::Unknown;
        }
        match e {
            Expr::Name(n) => {
                if let Some(fi) = cx.func {
                    let func = &self.facts(cx.file).functions[fi as usize];
                    if let Some((_, t)) = func.params.iter().find(|(p, _)| p == n) {
                        return self.instance_of(cx.file, t, depth + 1);
                    }
                    if let Some(l) = func.locals.iter().rev().find(|l| &l.name == n) {
                        if let Some(t) = &l.ty {
                            return self.instance_of(cx.file, t, depth + 1);
                        }
                        if let Some(init) = &l.init {
                            if init != e {
                                let v = self.eval(cx, init, depth + 1);
                                if l.element_of_init {
                                    // Iterating a queryset yields model instances.
                                    return match v {
                                        Val::Manager((f, c), _) => Val::Instance(f, c),
                                        _ => Val::Unknown,
                                    };
                                }
                                return v;
                            }
                        }
                        return Val::Unknown;
                    }
                    // Imports inside the function bind locally.
                    if let Some(v) = self.local_import(cx, n) {
                        return v;
                    }
                }
                match self.name_in(cx.file, n, depth + 1) {
                    Some(Val::Global(g, name)) => {
                        let expr = py(self.facts(g))
                            .and_then(|p| p.globals.iter().rev().find(|(x, _)| *x == name))
                            .map(|(_, e)| e.clone());
                        match expr {
                            Some(e) => {
                                let gcx = Scope {
                                    file: g,
                                    func: None,
                                    owner: None,
                                };
                                self.eval(&gcx, &e, depth + 1)
                            }
                            None => Val::Unknown,
                        }
                    }
                    Some(v) => v,
                    None => Val::External,
                }
            }
            Expr::This => match cx.owner {
                Some(t) => Val::Instance(cx.file, t),
                None => Val::Unknown,
            },
            Expr::Field(b, n) => {
                let v = self.eval(cx, b, depth + 1);
                self.attr(v, n, depth + 1)
            }
            Expr::Call(recv, name, _) => {
                let callee = match recv {
                    None => self.eval(cx, &Expr::Name(name.clone()), depth + 1),
                    Some(r) => {
                        let v = self.eval(cx, r, depth + 1);
                        match v {
                            Val::Manager(m, custom) => {
                                if let Some((g, t)) =
                                    custom.and_then(|c| self.lookup_method(c, name))
                                {
                                    return match self.returns(g, Some(t), name, depth) {
                                        Val::Unknown if name != "get_queryset" => {
                                            Val::Manager(m, custom)
                                        }
                                        v => v,
                                    };
                                }
                                return if ONE.contains(&name.as_str()) {
                                    Val::Instance(m.0, m.1)
                                } else if MANY.contains(&name.as_str()) {
                                    Val::Manager(m, custom)
                                } else {
                                    Val::Unknown
                                };
                            }
                            Val::Instance(f, c) | Val::Class(f, c) => {
                                return match self.lookup_method((f, c), name) {
                                    Some((g, t)) => self.returns(g, Some(t), name, depth),
                                    None => Val::Unknown,
                                };
                            }
                            v => self.attr(v, name, depth + 1),
                        }
                    }
                };
                match callee {
                    Val::Class(f, c) => Val::Instance(f, c),
                    Val::Func(f, n) => self.returns(f, None, &n, depth),
                    Val::External => Val::External,
                    _ => Val::Unknown,
                }
            }
            _ => Val::Unknown,
        }
    }

    fn returns(&self, file: u32, owner: Option<u32>, name: &str, depth: usize) -> Val {
        let f = self
            .facts(file)
            .functions
            .iter()
            .find(|f| f.owner == owner && f.name == name && f.kind == FunctionKind::Method);
        match f.and_then(|f| f.returns.as_ref()) {
            Some(t) => self.instance_of(file, t, depth + 1),
            None => Val::Unknown,
        }
    }

    fn local_import(&self, cx: &Scope, name: &str) -> Option<Val> {
        let func = &self.facts(cx.file).functions[cx.func? as usize];
        let p = py(self.facts(cx.file))?;
        for imp in p
            .imports
            .iter()
            .filter(|i| i.in_function && i.line >= func.lines.0 && i.line <= func.lines.1)
        {
            if imp.from {
                for (n, alias) in &imp.names {
                    if alias.as_deref().unwrap_or(n) == name {
                        return Some(match self.import_base(cx.file, &imp.module, imp.level) {
                            Some(b) => self.member(&b, n, 1),
                            None => Val::External,
                        });
                    }
                }
            } else {
                let bound = imp
                    .alias
                    .clone()
                    .unwrap_or_else(|| imp.module.split('.').next().unwrap_or("").to_string());
                if bound == name {
                    let m = if imp.alias.is_some() {
                        imp.module.as_str()
                    } else {
                        name
                    };
                    return Some(match self.module(m) {
                        Some(m) => Val::Module(m),
                        None => Val::External,
                    });
                }
            }
        }
        None
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

/// Facts the plan stage needs from Python resolution: what route handlers
/// name, and which functions read or write which model through Django
/// managers, querysets and instances.
#[derive(Debug, Default)]
pub struct PlanFacts {
    /// Per queried `(file, dotted name)`: the defining `(file, symbol)`.
    pub handlers: Vec<Option<(u32, String)>>,
    pub accesses: Vec<ModelAccess>,
}

/// Queryset and manager methods that write.
const WRITES: &[&str] = &[
    "create",
    "update",
    "delete",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
];

/// Resolves route handlers and model accesses for the plan stage.
pub fn plan_facts(files: &[ParsedFile], roots: &[String], handlers: &[(u32, String)]) -> PlanFacts {
    let ids: Vec<u32> = (0..files.len() as u32)
        .filter(|&i| files[i as usize].language == crate::lang::Language::Python)
        .collect();
    let mut out = PlanFacts::default();
    if ids.is_empty() {
        out.handlers = vec![None; handlers.len()];
        return out;
    }
    let mut index = Index::build(files, &ids, roots);
    index.resolve_bases(&ids);
    for (file, name) in handlers {
        let cx = Scope {
            file: *file,
            func: None,
            owner: None,
        };
        // A bare module-level variable (a blueprint) is the target itself,
        // not the value it holds.
        let direct = match index.name_in(*file, name, 0) {
            Some(Val::Global(f, n)) => Some(Val::Global(f, n)),
            _ => None,
        };
        out.handlers.push(
            match direct.unwrap_or_else(|| index.type_name(&cx, name, 0)) {
                Val::Func(f, n) => Some((f, n)),
                Val::Class(f, c) => Some((f, index.facts(f).types[c as usize].path.clone())),
                Val::Global(f, n) => Some((f, n)),
                Val::Module(Module::File(f)) => Some((f, String::new())),
                _ => None,
            },
        );
    }
    let is_model = |f: u32, t: u32| {
        index
            .facts(f)
            .tables
            .iter()
            .any(|d| d.type_index == Some(t))
    };
    for &f in &ids {
        if files[f as usize].test {
            continue;
        }
        for (fi, func) in index.facts(f).functions.iter().enumerate() {
            let cx = Scope {
                file: f,
                func: Some(fi as u32),
                owner: func.owner,
            };
            for call in &func.calls {
                let Some(recv) = &call.receiver else { continue };
                let (m, write) = match index.eval(&cx, recv, 0) {
                    Val::Manager(m, _) => (m, WRITES.contains(&call.name.as_str())),
                    Val::Instance(mf, mt)
                        if matches!(call.name.as_str(), "save" | "delete" | "refresh_from_db") =>
                    {
                        ((mf, mt), call.name != "refresh_from_db")
                    }
                    _ => continue,
                };
                if !is_model(m.0, m.1) {
                    continue;
                }
                out.accesses.push(ModelAccess {
                    file: f,
                    function: fi as u32,
                    model_file: m.0,
                    model_type: m.1,
                    write,
                    line: call.line,
                });
            }
        }
    }
    out.accesses.sort();
    out.accesses.dedup();
    out
}
