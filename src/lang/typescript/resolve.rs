//! TypeScript and JavaScript resolution: module specifiers to files as Node
//! and TypeScript resolve them, then names through the module graph.
//!
//! Specifiers (in this order): relative (`./x`, `../x`) with extension and
//! `index` resolution, a `.js` written for a `.ts` source included; the
//! governing tsconfig's `paths` (longest pattern first), then its
//! `baseUrl`; a workspace package's name (`@shop/kernel`,
//! `@shop/kernel/money`) through its `exports`, `main`/`module`/`types`
//! (build output mapped back to `src/`), then `src/index`/`index`. Anything
//! else is a package from the registry or a Node built-in: external.
//!
//! Names: an imported name is followed through re-exports (`export { a }
//! from`, `export * from`, import-then-export, CommonJS `module.exports =
//! require(…)`) to the file that defines it, as Python re-exports are: the
//! import edge goes to the defining file, not the barrel. A namespace import
//! (`import * as x`, a CommonJS `require` result) depends on the module
//! itself. Type-only imports are `type_use` edges, not imports (they are
//! erased by the compiler).
//!
//! Calls: the receiver's class comes from `this`, class fields (parameter
//! properties: constructor injection), parameters and locals with a type
//! annotation or a `new` initialiser, module-level singletons of the
//! defining file, imported classes and namespaces, and declared return
//! types (`Promise<T>` unwrapped, as `await` does). Unresolvable specifiers
//! are counted per file in `type_refs_unresolved` (docs/typescript.md).

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::lang::{CallKind, Expr, FileFacts, Function, FunctionKind, TypeRef};
use crate::resolve::common::{
    EdgeKind, EdgeSite, FileEdge, FileResult, ParsedFile, Resolved, SymbolCall,
};

use super::project::{join, NodeProject, Package};
use super::{TsFacts, TsImportKind};

const MAX_DEPTH: usize = 12;

/// Source extensions tried after a specifier without one, in TypeScript's
/// order (declarations before JavaScript).
const EXTENSIONS: &[&str] = &[
    ".ts", ".tsx", ".d.ts", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs",
];

/// What a `.js`-family extension may stand for in a TypeScript project.
const JS_FOR_TS: &[(&str, &[&str])] = &[
    (".js", &[".ts", ".tsx", ".d.ts"]),
    (".jsx", &[".tsx"]),
    (".mjs", &[".mts", ".d.mts"]),
    (".cjs", &[".cts", ".d.cts"]),
];

/// Build-output folders a package's `main` may point into, mapped back to
/// its sources.
const OUTPUT_DIRS: &[&str] = &["dist", "lib", "build", "out", "esm", "cjs"];

/// Names every JavaScript runtime provides: calls through them are external.
const GLOBALS: &[&str] = &[
    "console",
    "JSON",
    "Math",
    "Object",
    "Array",
    "Promise",
    "Number",
    "String",
    "Boolean",
    "Date",
    "Error",
    "RegExp",
    "Map",
    "Set",
    "WeakMap",
    "WeakSet",
    "Symbol",
    "Reflect",
    "Proxy",
    "process",
    "Buffer",
    "globalThis",
    "window",
    "document",
    "setTimeout",
    "setInterval",
    "clearTimeout",
    "clearInterval",
    "parseInt",
    "parseFloat",
    "isNaN",
    "encodeURIComponent",
    "decodeURIComponent",
    "fetch",
    "BigInt",
    "Intl",
    "require",
    "module",
    "exports",
    "__dirname",
    "structuredClone",
    "queueMicrotask",
    "setImmediate",
    "URL",
    "TextEncoder",
    "TextDecoder",
    "describe",
    "it",
    "test",
    "expect",
    "beforeEach",
    "afterEach",
    "beforeAll",
    "afterAll",
    "jest",
];

/// Types the language provides.
const BUILTIN_TYPES: &[&str] = &[
    "string",
    "number",
    "boolean",
    "any",
    "unknown",
    "void",
    "never",
    "object",
    "undefined",
    "null",
    "bigint",
    "symbol",
    "this",
    "Promise",
    "Array",
    "Record",
    "Partial",
    "Readonly",
    "Pick",
    "Omit",
    "Required",
    "ReadonlyArray",
    "Map",
    "Set",
    "Date",
    "Error",
    "Function",
];

/// Where a specifier leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    File(u32),
    /// A registry package or a Node built-in.
    External,
    /// Looks like the repository's (relative, an alias, a workspace
    /// package) but no file matches.
    Unresolved,
}

pub struct Index<'a> {
    files: &'a [ParsedFile],
    by_id: HashMap<&'a str, u32>,
    project: NodeProject,
    /// Simple names of every class, interface and enum of the repository.
    type_names: HashSet<&'a str>,
    /// Per file (indexed like `files`): the local names its imports bind.
    bound: Vec<HashMap<&'a str, Bound>>,
}

fn ts(f: &FileFacts) -> Option<&TsFacts> {
    f.typescript.as_deref()
}

fn dir_of(id: &str) -> &str {
    id.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The warnings the manifests give (unreadable tsconfig or package.json).
pub fn project_warnings(manifests: &[(String, String)]) -> Vec<String> {
    NodeProject::read(manifests)
        .problems
        .into_iter()
        .map(|(id, e)| format!("{id}: not read ({e}); module resolution goes on without it"))
        .collect()
}

/// Resolves the TypeScript and JavaScript files `ids` against each other.
pub(crate) fn resolve(
    files: &[ParsedFile],
    ids: &[u32],
    manifests: &[(String, String)],
    out: &mut Resolved,
) {
    let index = Index::build(files, ids, manifests);
    crate::resolve::common::resolve_each(ids, out, |f| index.resolve_file(f), |_| None);
}

/// The first hop of every import of the TS/JS files: (from, to, erased),
/// what import-graph tools such as dependency-cruiser report (barrels not
/// followed). Sorted, duplicates removed.
pub fn module_edges(files: &[ParsedFile], manifests: &[(String, String)]) -> Vec<(u32, u32, bool)> {
    let ids: Vec<u32> = (0..files.len() as u32)
        .filter(|&i| files[i as usize].facts.typescript.is_some())
        .collect();
    let index = Index::build(files, &ids, manifests);
    let mut out = BTreeSet::new();
    for &f in &ids {
        let Some(t) = ts(&files[f as usize].facts) else {
            continue;
        };
        for imp in &t.imports {
            if let Target::File(to) = index.target(f, &imp.specifier) {
                out.insert((f, to, imp.erased()));
            }
        }
    }
    out.into_iter().collect()
}

/// What an expression's value is, as far as calls need it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ty {
    /// An instance of (or the class value of) a type of the repository.
    Class(u32, u32),
    /// A module's namespace object.
    Module(u32),
    External,
    Unknown,
}

/// What a local name of a file is bound to by its imports.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Bound {
    /// The definer's file and the name there (`*`: the module itself).
    Named(u32, String),
    External,
    Unresolved,
}

impl<'a> Index<'a> {
    pub fn build(files: &'a [ParsedFile], ids: &[u32], manifests: &[(String, String)]) -> Self {
        let by_id = ids
            .iter()
            .map(|&i| (files[i as usize].id.as_str(), i))
            .collect();
        let type_names = ids
            .iter()
            .flat_map(|&i| files[i as usize].facts.types.iter())
            .map(|t| t.name.as_str())
            .collect();
        let mut index = Index {
            files,
            by_id,
            project: NodeProject::read(manifests),
            type_names,
            bound: Vec::new(),
        };
        use rayon::prelude::*;
        let mut bound: Vec<HashMap<&'a str, Bound>> = vec![HashMap::new(); files.len()];
        let computed: Vec<(u32, HashMap<&'a str, Bound>)> =
            ids.par_iter().map(|&f| (f, index.bindings(f))).collect();
        for (f, b) in computed {
            bound[f as usize] = b;
        }
        index.bound = bound;
        index
    }

    fn facts(&self, f: u32) -> &'a FileFacts {
        &self.files[f as usize].facts
    }

    // ---- specifiers --------------------------------------------------------

    /// The file a path (without or with extension) names.
    fn candidates(&self, base: &str) -> Option<u32> {
        let base = base.trim_end_matches('/');
        if let Some(&f) = self.by_id.get(base) {
            return Some(f);
        }
        for (js, tss) in JS_FOR_TS {
            if let Some(stem) = base.strip_suffix(js) {
                for t in *tss {
                    if let Some(&f) = self.by_id.get(format!("{stem}{t}").as_str()) {
                        return Some(f);
                    }
                }
            }
        }
        for ext in EXTENSIONS {
            if let Some(&f) = self.by_id.get(format!("{base}{ext}").as_str()) {
                return Some(f);
            }
        }
        if let Some(p) = self.project.packages.iter().find(|p| p.dir == base) {
            if let Some(f) = self.package_entry(p, None) {
                return Some(f);
            }
        }
        for ext in EXTENSIONS {
            let index = if base.is_empty() {
                format!("index{ext}")
            } else {
                format!("{base}/index{ext}")
            };
            if let Some(&f) = self.by_id.get(index.as_str()) {
                return Some(f);
            }
        }
        None
    }

    /// A package-relative target (`./dist/index.js`) or its source twin.
    fn package_file(&self, p: &Package, target: &str) -> Option<u32> {
        let path = join(&p.dir, target)?;
        if let Some(f) = self.candidates(&path) {
            return Some(f);
        }
        let rel = join("", target)?;
        let (first, rest) = rel.split_once('/')?;
        if OUTPUT_DIRS.contains(&first) {
            let rest = rest
                .strip_suffix(".d.ts")
                .or_else(|| rest.strip_suffix(".js"))
                .unwrap_or(rest);
            for src in ["src", ""] {
                let p2 = join(&p.dir, &format!("{src}/{rest}"))?;
                if let Some(f) = self.candidates(&p2) {
                    return Some(f);
                }
            }
        }
        None
    }

    fn package_entry(&self, p: &Package, sub: Option<&str>) -> Option<u32> {
        let key = match sub {
            Some(s) => format!("./{s}"),
            None => ".".to_string(),
        };
        if let Some((_, t)) = p.exports.iter().find(|(k, _)| *k == key) {
            if let Some(f) = self.package_file(p, t) {
                return Some(f);
            }
        }
        if let Some(s) = sub {
            for (k, t) in &p.exports {
                if let (Some((kp, ks)), Some((tp, ts))) = (k.split_once('*'), t.split_once('*')) {
                    if let Some(mid) = key.strip_prefix(kp).and_then(|r| r.strip_suffix(ks)) {
                        if let Some(f) = self.package_file(p, &format!("{tp}{mid}{ts}")) {
                            return Some(f);
                        }
                    }
                }
            }
            for src in ["", "src/"] {
                if let Some(f) =
                    join(&p.dir, &format!("{src}{s}")).and_then(|b| self.candidates(&b))
                {
                    return Some(f);
                }
            }
            return None;
        }
        for e in &p.entries {
            if let Some(f) = self.package_file(p, e) {
                return Some(f);
            }
        }
        for base in ["src/index", "index"] {
            if let Some(f) = join(&p.dir, base).and_then(|b| self.candidates(&b)) {
                return Some(f);
            }
        }
        None
    }

    /// Where the specifier `spec` written in file `from` leads.
    pub fn target(&self, from: u32, spec: &str) -> Target {
        let id = self.files[from as usize].id.as_str();
        let spec = spec.split(['?', '#']).next().unwrap_or(spec);
        if spec.starts_with("./") || spec.starts_with("../") || spec == "." || spec == ".." {
            return join(dir_of(id), spec)
                .and_then(|b| self.candidates(&b))
                .map_or(Target::Unresolved, Target::File);
        }
        if spec.starts_with('/') || spec.starts_with("node:") || spec.contains("://") {
            return Target::External;
        }
        if let Some(cfg) = self.project.config_for(id) {
            for (pattern, targets) in &cfg.paths {
                let matched = match pattern.split_once('*') {
                    Some((pre, post)) => spec
                        .strip_prefix(pre)
                        .and_then(|r| r.strip_suffix(post))
                        .map(Some),
                    None => (spec == pattern).then_some(None),
                };
                let Some(star) = matched else { continue };
                for t in targets {
                    let path = match star {
                        Some(s) => t.replacen('*', s, 1),
                        None => t.clone(),
                    };
                    // `~/../meta`, `@modules/.`: normalised as a path.
                    let Some(path) = join("", &path) else {
                        continue;
                    };
                    if let Some(f) = self.candidates(&path) {
                        return Target::File(f);
                    }
                }
                return Target::Unresolved;
            }
            if let Some(base) = &cfg.base_url {
                if let Some(f) = join(base, spec).and_then(|b| self.candidates(&b)) {
                    return Target::File(f);
                }
            }
        }
        let package = self
            .project
            .packages
            .iter()
            .filter(|p| p.workspace && !p.dir.is_empty())
            .filter(|p| spec == p.name || spec.starts_with(&format!("{}/", p.name)))
            .max_by_key(|p| p.name.len());
        if let Some(p) = package {
            let sub = spec.strip_prefix(&p.name).and_then(|s| s.strip_prefix('/'));
            return self
                .package_entry(p, sub)
                .map_or(Target::Unresolved, Target::File);
        }
        Target::External
    }

    // ---- names ---------------------------------------------------------------

    /// The file defining export `name` of module `g`, and its name there
    /// (`*`: the module itself, `default` for an anonymous default), with
    /// re-exports followed; `None` when `g` does not export it.
    fn def_of(&self, g: u32, name: &str, depth: usize) -> Option<(u32, String)> {
        if depth > MAX_DEPTH {
            return None;
        }
        let facts = self.facts(g);
        let t = ts(facts)?;
        if let Some(e) = t.exports.iter().find(|e| e.exported == name) {
            if e.local.is_empty() {
                return Some((g, "default".into()));
            }
            return Some(
                self.local_def(g, &e.local, depth)
                    .unwrap_or((g, e.local.clone())),
            );
        }
        for imp in t
            .imports
            .iter()
            .filter(|i| i.kind == TsImportKind::ReExport)
        {
            for b in &imp.bindings {
                if b.local != name || b.local == "*" {
                    continue;
                }
                let Target::File(h) = self.target(g, &imp.specifier) else {
                    return None;
                };
                if b.imported == "*" {
                    return Some((h, "*".into()));
                }
                return Some(
                    self.def_of(h, &b.imported, depth + 1)
                        .unwrap_or((h, b.imported.clone())),
                );
            }
        }
        if t.declared.iter().any(|d| d == name) {
            return Some(
                self.local_def(g, name, depth)
                    .unwrap_or((g, name.to_string())),
            );
        }
        for imp in t
            .imports
            .iter()
            .filter(|i| i.kind == TsImportKind::ReExport)
        {
            if !imp.bindings.iter().any(|b| b.local == "*") {
                continue;
            }
            if let Target::File(h) = self.target(g, &imp.specifier) {
                if let Some(d) = self.def_of(h, name, depth + 1) {
                    return Some(d);
                }
            }
        }
        None
    }

    /// A local name of `g` that `g` itself imports: where it is defined.
    fn local_def(&self, g: u32, local: &str, depth: usize) -> Option<(u32, String)> {
        let t = ts(self.facts(g))?;
        for imp in t
            .imports
            .iter()
            .filter(|i| i.kind != TsImportKind::ReExport)
        {
            if let Some(b) = imp.bindings.iter().find(|b| b.local == local) {
                let Target::File(h) = self.target(g, &imp.specifier) else {
                    return None;
                };
                if b.imported == "*" {
                    return Some(match imp.kind {
                        TsImportKind::Require => self.require_value(h, depth + 1),
                        _ => (h, "*".into()),
                    });
                }
                return Some(
                    self.def_of(h, &b.imported, depth + 1)
                        .unwrap_or((h, b.imported.clone())),
                );
            }
        }
        None
    }

    /// What `require` of file `h` returns: its `module.exports` value when
    /// it assigns one (followed to its definer), else its namespace.
    fn require_value(&self, h: u32, depth: usize) -> (u32, String) {
        let Some(t) = ts(self.facts(h)) else {
            return (h, "*".into());
        };
        match t
            .exports
            .iter()
            .find(|e| e.commonjs && e.exported == "default")
        {
            Some(e) if e.local == "module.exports" || e.local.is_empty() => {
                (h, "module.exports".into())
            }
            Some(e) if depth <= MAX_DEPTH => self
                .local_def(h, &e.local, depth + 1)
                .unwrap_or((h, e.local.clone())),
            _ => (h, "*".into()),
        }
    }

    /// The local names of file `f` bound by its imports.
    fn bindings(&self, f: u32) -> HashMap<&'a str, Bound> {
        let mut out = HashMap::new();
        let Some(t) = ts(self.facts(f)) else {
            return out;
        };
        for imp in t
            .imports
            .iter()
            .filter(|i| i.kind != TsImportKind::ReExport)
        {
            let target = self.target(f, &imp.specifier);
            for b in &imp.bindings {
                let bound = match target {
                    Target::External => Bound::External,
                    Target::Unresolved => Bound::Unresolved,
                    Target::File(h) if b.imported == "*" => {
                        let (d, n) = match imp.kind {
                            TsImportKind::Require => self.require_value(h, 0),
                            _ => (h, "*".into()),
                        };
                        Bound::Named(d, n)
                    }
                    Target::File(h) => {
                        let (d, n) = self
                            .def_of(h, &b.imported, 0)
                            .unwrap_or((h, b.imported.clone()));
                        Bound::Named(d, n)
                    }
                };
                out.insert(b.local.as_str(), bound);
            }
        }
        out
    }

    fn top_type(&self, f: u32, name: &str) -> Option<u32> {
        self.facts(f)
            .types
            .iter()
            .position(|t| t.parent.is_none() && t.name == name)
            .map(|i| i as u32)
    }

    fn module_local(&self, f: u32, name: &str) -> Option<&'a crate::lang::Local> {
        let facts = self.facts(f);
        let m = ts(facts)?.module_function?;
        facts.functions[m as usize]
            .locals
            .iter()
            .rev()
            .find(|l| l.name == name)
    }

    /// What a name defined in file `h` as `name` is.
    fn defined(&self, h: u32, name: &str, depth: usize) -> Ty {
        if name == "*" {
            return Ty::Module(h);
        }
        if let Some(t) = self.top_type(h, name) {
            return Ty::Class(h, t);
        }
        if let Some(l) = self.module_local(h, name) {
            let cx = self.cx(h);
            let m = ts(self.facts(h))
                .and_then(|t| t.module_function)
                .unwrap_or(0);
            let func = &self.facts(h).functions[m as usize];
            return cx.local_ty(func, l, depth + 1);
        }
        Ty::Unknown
    }

    fn resolve_file(&self, f: u32) -> FileResult {
        let cx = self.cx(f);
        let mut r = FileResult::default();
        cx.imports(&mut r);
        cx.supertypes(&mut r);
        cx.type_refs(&mut r);
        cx.calls(&mut r);
        r
    }
}

struct FileCx<'i, 'a> {
    index: &'i Index<'a>,
    file: u32,
    bindings: &'i HashMap<&'a str, Bound>,
}

fn edge(r: &mut FileResult, from: u32, to: u32, kind: EdgeKind, line: u32) {
    if from == to {
        return;
    }
    r.edges.push(FileEdge { from, to, kind });
    r.sites.push(EdgeSite {
        from,
        to,
        kind,
        line,
    });
}

/// `Promise<T>`, `Observable<T>`, `T[]`: the element a call hands back.
fn unwrap_type(t: &TypeRef) -> &TypeRef {
    match t.name.as_str() {
        "Promise" | "Observable" | "Awaited" | "Readonly" | "Partial" | "Required" => {
            t.args.first().map_or(t, unwrap_type)
        }
        _ => t,
    }
}

impl<'i, 'a> FileCx<'i, 'a> {
    fn facts(&self) -> &'a FileFacts {
        self.index.facts(self.file)
    }

    fn imports(&self, r: &mut FileResult) {
        let f = self.file;
        let Some(t) = ts(self.facts()) else { return };
        let mut seen: BTreeSet<(u32, EdgeKind)> = BTreeSet::new();
        for imp in &t.imports {
            let target = self.index.target(f, &imp.specifier);
            let h = match target {
                Target::File(h) => h,
                Target::External => continue,
                Target::Unresolved => {
                    r.stats.type_refs_unresolved += 1;
                    continue;
                }
            };
            let mut targets: Vec<(u32, bool)> = Vec::new();
            let named: Vec<_> = imp.bindings.iter().filter(|b| b.imported != "*").collect();
            if named.is_empty() {
                targets.push((h, imp.erased()));
            }
            for b in named {
                let d = self.index.def_of(h, &b.imported, 0).map_or(h, |(d, _)| d);
                targets.push((d, imp.type_only || b.type_only));
            }
            for (to, erased) in targets {
                let kind = if erased {
                    EdgeKind::TypeUse
                } else {
                    EdgeKind::Import
                };
                if seen.insert((to, kind)) {
                    edge(r, f, to, kind, imp.line);
                }
            }
        }
    }

    /// A type as written in this file.
    fn type_ty(&self, t: &TypeRef) -> Ty {
        let t = unwrap_type(t);
        let name = t.name.as_str();
        if name.is_empty() {
            return Ty::Unknown;
        }
        let (first, rest) = match name.split_once('.') {
            Some((a, b)) => (a, Some(b)),
            None => (name, None),
        };
        if rest.is_none() {
            if let Some(ty) = self.index.top_type(self.file, first) {
                return Ty::Class(self.file, ty);
            }
        }
        match self.bindings.get(first) {
            Some(Bound::Named(h, n)) => match rest {
                None => match self.index.top_type(*h, n) {
                    Some(ty) => Ty::Class(*h, ty),
                    None => Ty::Module(*h),
                },
                Some(member) => {
                    let start = if n == "*" {
                        Some((*h, member.to_string()))
                    } else {
                        None
                    };
                    match start.and_then(|(h, m)| self.index.def_of(h, &m, 0)) {
                        Some((d, n)) => match self.index.top_type(d, &n) {
                            Some(ty) => Ty::Class(d, ty),
                            None => Ty::Module(d),
                        },
                        None => Ty::Unknown,
                    }
                }
            },
            Some(Bound::External) => Ty::External,
            Some(Bound::Unresolved) => Ty::Unknown,
            None if BUILTIN_TYPES.contains(&first) || !self.index.type_names.contains(first) => {
                Ty::External
            }
            None => Ty::Unknown,
        }
    }

    fn supertypes(&self, r: &mut FileResult) {
        for t in &self.facts().types {
            for (_, s) in &t.supertypes {
                if let Ty::Class(h, _) | Ty::Module(h) = self.type_ty(s) {
                    edge(r, self.file, h, EdgeKind::Inherit, s.line);
                }
            }
        }
    }

    fn type_refs(&self, r: &mut FileResult) {
        fn walk(cx: &FileCx, t: &TypeRef, r: &mut FileResult) {
            match cx.type_ty(t) {
                Ty::Class(h, _) => {
                    r.stats.type_refs_internal += 1;
                    edge(r, cx.file, h, EdgeKind::TypeUse, t.line);
                }
                Ty::Unknown if cx.index.type_names.contains(t.name.as_str()) => {
                    r.stats.type_refs_unresolved += 1;
                }
                _ => {}
            }
            for a in &t.args {
                walk(cx, a, r);
            }
        }
        for (_, t) in &self.facts().type_refs {
            walk(self, t, r);
        }
    }

    /// The type of a local (annotation, else initialiser).
    fn local_ty(&self, func: &Function, l: &crate::lang::Local, depth: usize) -> Ty {
        if let Some(t) = &l.ty {
            return self.type_ty(t);
        }
        match &l.init {
            Some(e) => self.expr_ty(func, e, depth + 1),
            None => Ty::Unknown,
        }
    }

    fn name_ty(&self, func: &Function, name: &str, depth: usize) -> Ty {
        if let Some(l) = func.locals.iter().rev().find(|l| l.name == name) {
            return self.local_ty(func, l, depth);
        }
        if let Some((_, t)) = func.params.iter().find(|(p, _)| p == name) {
            return if t.name.is_empty() {
                Ty::Unknown
            } else {
                self.type_ty(t)
            };
        }
        let facts = self.facts();
        if let Some(m) = ts(facts).and_then(|t| t.module_function) {
            let module = &facts.functions[m as usize];
            if !std::ptr::eq(module, func) {
                if let Some(l) = module.locals.iter().rev().find(|l| l.name == name) {
                    return self.local_ty(module, l, depth);
                }
            }
        }
        if let Some(t) = self.index.top_type(self.file, name) {
            return Ty::Class(self.file, t);
        }
        match self.bindings.get(name) {
            Some(Bound::Named(h, n)) => self.index.defined(*h, n, depth),
            Some(Bound::External) => Ty::External,
            Some(Bound::Unresolved) => Ty::Unknown,
            None if GLOBALS.contains(&name) => Ty::External,
            None => Ty::Unknown,
        }
    }

    fn expr_ty(&self, func: &Function, e: &Expr, depth: usize) -> Ty {
        if depth > MAX_DEPTH {
            return Ty::Unknown;
        }
        match e {
            Expr::This => match func.owner {
                Some(o) => Ty::Class(self.file, o),
                None => Ty::Unknown,
            },
            Expr::Super => match func.owner {
                Some(o) => self.facts().types[o as usize]
                    .supertypes
                    .first()
                    .map_or(Ty::Unknown, |(_, s)| self.type_ty(s)),
                None => Ty::Unknown,
            },
            Expr::Name(n) => self.name_ty(func, n, depth),
            Expr::New(t) | Expr::Cast(t) => self.type_ty(t),
            Expr::StringLit => Ty::External,
            Expr::Field(recv, name) => match self.expr_ty(func, recv, depth + 1) {
                Ty::Class(h, t) => self.index.field_ty(h, t, name, depth + 1),
                Ty::Module(h) => match self.index.def_of(h, name, 0) {
                    Some((d, n)) => self.index.defined(d, &n, depth + 1),
                    None => Ty::Unknown,
                },
                Ty::External => Ty::External,
                Ty::Unknown => Ty::Unknown,
            },
            Expr::Call(recv, name, _) => {
                let target = match recv {
                    Some(recv) => match self.expr_ty(func, recv, depth + 1) {
                        Ty::Class(h, t) => self.index.method_of(h, t, name, 0),
                        Ty::Module(h) => self
                            .index
                            .def_of(h, name, 0)
                            .and_then(|(d, n)| self.index.free_function(d, &n)),
                        Ty::External => return Ty::External,
                        Ty::Unknown => return Ty::Unknown,
                    },
                    None => self
                        .callee(name)
                        .and_then(|(h, n)| self.index.free_function(h, &n)),
                };
                match target {
                    Some((h, fi)) => {
                        let func = &self.index.facts(h).functions[fi as usize];
                        match &func.returns {
                            Some(t) => self.index.cx(h).type_ty(t),
                            None => Ty::Unknown,
                        }
                    }
                    None => Ty::Unknown,
                }
            }
            Expr::Unknown => Ty::Unknown,
        }
    }

    /// An unqualified call's target function: (file, name there).
    fn callee(&self, name: &str) -> Option<(u32, String)> {
        if self.index.free_function(self.file, name).is_some() {
            return Some((self.file, name.to_string()));
        }
        match self.bindings.get(name) {
            Some(Bound::Named(h, n)) => Some((*h, n.clone())),
            _ => None,
        }
    }

    fn calls(&self, r: &mut FileResult) {
        let facts = self.facts();
        for (fi, func) in facts.functions.iter().enumerate() {
            let from_symbol = facts.symbol(fi);
            for call in &func.calls {
                let outcome = self.call_target(func, call);
                match outcome {
                    CallOutcome::Internal(h, sym) => {
                        r.stats.calls_internal += 1;
                        edge(r, self.file, h, EdgeKind::Call, call.line);
                        if let Some(sym) = sym.filter(|_| h != self.file) {
                            r.symbol_calls.push(SymbolCall {
                                from_file: self.file,
                                from_symbol: from_symbol.clone(),
                                to_file: h,
                                to_symbol: sym,
                                line: call.line,
                            });
                        }
                    }
                    CallOutcome::External => r.stats.calls_external += 1,
                    CallOutcome::Unresolved => r.stats.calls_unresolved += 1,
                }
            }
        }
    }

    fn call_target(&self, func: &Function, call: &crate::lang::Call) -> CallOutcome {
        let index = self.index;
        match call.kind {
            CallKind::New => {
                let Some(t) = &call.ty else {
                    return CallOutcome::Unresolved;
                };
                match self.type_ty(t) {
                    Ty::Class(h, ty) => {
                        let tf = index.facts(h);
                        let name = &tf.types[ty as usize].path;
                        let sym = if tf
                            .functions
                            .iter()
                            .any(|x| x.owner == Some(ty) && x.kind == FunctionKind::Constructor)
                        {
                            format!("{name}.constructor")
                        } else {
                            format!("{name}.<init>")
                        };
                        CallOutcome::Internal(h, Some(sym))
                    }
                    Ty::Module(h) => CallOutcome::Internal(h, None),
                    Ty::External => CallOutcome::External,
                    Ty::Unknown => CallOutcome::Unresolved,
                }
            }
            CallKind::SuperConstructor => match self.expr_ty(func, &Expr::Super, 0) {
                Ty::Class(h, ty) => CallOutcome::Internal(
                    h,
                    Some(format!(
                        "{}.constructor",
                        index.facts(h).types[ty as usize].path
                    )),
                ),
                Ty::External => CallOutcome::External,
                _ => CallOutcome::Unresolved,
            },
            _ => match &call.receiver {
                None => {
                    if let Some((h, n)) = self.callee(&call.name) {
                        if h == self.file {
                            return CallOutcome::Internal(h, None);
                        }
                        let sym = index
                            .free_function(h, &n)
                            .map(|(_, fi)| index.facts(h).symbol(fi as usize));
                        return CallOutcome::Internal(h, sym);
                    }
                    match self.bindings.get(call.name.as_str()) {
                        Some(Bound::External) => CallOutcome::External,
                        Some(Bound::Unresolved) => CallOutcome::Unresolved,
                        _ if GLOBALS.contains(&call.name.as_str()) => CallOutcome::External,
                        // A function of the file's own scope: a nested
                        // helper, a callback parameter.
                        _ if func.params.iter().any(|(p, _)| *p == call.name)
                            || func.locals.iter().any(|l| l.name == call.name) =>
                        {
                            CallOutcome::Internal(self.file, None)
                        }
                        _ => CallOutcome::Unresolved,
                    }
                }
                Some(recv) => match self.expr_ty(func, recv, 0) {
                    Ty::Class(h, ty) => match index.method_of(h, ty, &call.name, 0) {
                        Some((d, fi)) => {
                            CallOutcome::Internal(d, Some(index.facts(d).symbol(fi as usize)))
                        }
                        // Declared by an external base (`Repository<T>`,
                        // Sequelize's `Model`): the call still lands on the
                        // receiver's file, as `Type.method` of its surface.
                        None => CallOutcome::Internal(
                            h,
                            Some(format!(
                                "{}.{}",
                                index.facts(h).types[ty as usize].path,
                                call.name
                            )),
                        ),
                    },
                    Ty::Module(h) => match index.def_of(h, &call.name, 0) {
                        Some((d, n)) => {
                            let sym = index
                                .free_function(d, &n)
                                .map(|(_, fi)| index.facts(d).symbol(fi as usize));
                            CallOutcome::Internal(d, sym)
                        }
                        None => CallOutcome::Internal(h, None),
                    },
                    Ty::External => CallOutcome::External,
                    Ty::Unknown => CallOutcome::Unresolved,
                },
            },
        }
    }
}

enum CallOutcome {
    /// The file called and the symbol there, when known.
    Internal(u32, Option<String>),
    External,
    Unresolved,
}

impl<'a> Index<'a> {
    fn cx(&self, f: u32) -> FileCx<'_, 'a> {
        FileCx {
            index: self,
            file: f,
            bindings: &self.bound[f as usize],
        }
    }

    /// A top-level function of `f` named `name`: (file, function index).
    fn free_function(&self, f: u32, name: &str) -> Option<(u32, u32)> {
        self.facts(f)
            .functions
            .iter()
            .position(|x| x.owner.is_none() && x.name == name && x.kind == FunctionKind::Method)
            .map(|i| (f, i as u32))
    }

    /// Method `m` of type `t` of file `f`, or of its supertypes in the
    /// repository: (file, function index).
    fn method_of(&self, f: u32, t: u32, m: &str, depth: usize) -> Option<(u32, u32)> {
        if depth > MAX_DEPTH {
            return None;
        }
        let facts = self.facts(f);
        if let Some(i) = facts
            .functions
            .iter()
            .position(|x| x.owner == Some(t) && x.name == m)
        {
            return Some((f, i as u32));
        }
        let cx = self.cx(f);
        for (_, s) in &facts.types[t as usize].supertypes {
            if let Ty::Class(h, st) = cx.type_ty(s) {
                if let Some(found) = self.method_of(h, st, m, depth + 1) {
                    return Some(found);
                }
            }
        }
        None
    }

    /// The type of field `name` of type `t` of file `f` (inherited too).
    fn field_ty(&self, f: u32, t: u32, name: &str, depth: usize) -> Ty {
        if depth > MAX_DEPTH {
            return Ty::Unknown;
        }
        let facts = self.facts(f);
        let cx = self.cx(f);
        if let Some(field) = facts.types[t as usize]
            .fields
            .iter()
            .find(|x| x.name == name)
        {
            return cx.type_ty(&field.ty);
        }
        // A getter or a method used as a value: its return type.
        if let Some(func) = facts
            .functions
            .iter()
            .find(|x| x.owner == Some(t) && x.name == name)
        {
            return func.returns.as_ref().map_or(Ty::Unknown, |r| cx.type_ty(r));
        }
        for (_, s) in &facts.types[t as usize].supertypes {
            if let Ty::Class(h, st) = cx.type_ty(s) {
                let found = self.field_ty(h, st, name, depth + 1);
                if found != Ty::Unknown {
                    return found;
                }
            }
        }
        Ty::Unknown
    }
}
