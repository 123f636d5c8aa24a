//! C# name resolution.
//!
//! Passes: (1) every type registered by namespace-qualified name over all
//! projects at once; the parts of a `partial` type share one name and their
//! members; (2) supertypes, field, property and method return types
//! resolved in the context of the declaring file, and extension methods
//! indexed by name with their `this` parameter's type; (3) per file, in
//! parallel, usings, supertypes, type mentions and calls into edges.
//!
//! A file sees only the types of the projects its project reaches through
//! `ProjectReference`s (docs/csharp.md); a file outside every project, or a
//! repository without projects, sees every type.
//!
//! Simple names are looked up as the C# compiler does, in order: type
//! parameters; the enclosing types and their (inherited) nested types; then
//! for each enclosing namespace from the innermost out, its types, then the
//! aliases and namespace usings declared in that namespace block; at the
//! top, the file's usings and the project's `global using`s. A call's
//! receiver type comes from locals (`var` too, foreach and lambda
//! parameters over a typed collection), parameters, fields, properties
//! (inherited, of every part of a partial type), `this`, `base`, a static
//! `Type.M()`, or a called method's declared return type (`Task<T>`
//! unwrapped, as `await` does). A method missing from the receiver's
//! in-repo hierarchy is looked up among the extension methods whose `this`
//! parameter takes the receiver, then counted as declared by an external
//! base (the call still lands on the receiver's file). BCL and NuGet names
//! are external: counted, never nodes.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::lang::{CallKind, Expr, FileFacts, Function, TypeRef};
use crate::resolve::common::{
    EdgeKind, EdgeSite, FileEdge, FileResult, ParsedFile, Resolved, SymbolCall,
};

use super::project::Projects;
use super::{CsFacts, CsKind, Using, UsingKind};

const MAX_DEPTH: usize = 16;

/// Generic BCL methods whose result is the receiver's type argument 0
/// (LINQ element operators, `DbSet<T>.Find`, `Task<T>.Result`).
const ELEMENT_RETURNS: &[&str] = &[
    "First",
    "FirstOrDefault",
    "FirstAsync",
    "FirstOrDefaultAsync",
    "Single",
    "SingleOrDefault",
    "SingleAsync",
    "SingleOrDefaultAsync",
    "Last",
    "LastOrDefault",
    "Find",
    "FindAsync",
    "ElementAt",
    "ElementAtOrDefault",
    "GetValueOrDefault",
    "Result",
    "Value",
    "Current",
];

/// BCL generic methods that hand back a sequence of the same element type.
const SEQUENCE_RETURNS: &[&str] = &[
    "Where",
    "OrderBy",
    "OrderByDescending",
    "ThenBy",
    "ThenByDescending",
    "Skip",
    "Take",
    "Distinct",
    "AsQueryable",
    "AsEnumerable",
    "AsNoTracking",
    "Include",
    "ToList",
    "ToArray",
    "ToListAsync",
    "ToArrayAsync",
    "Reverse",
];

#[derive(Debug, Clone, PartialEq)]
enum RType {
    Internal(u32, Vec<RType>),
    External(String, Vec<RType>),
    Array(Box<RType>),
    Primitive,
    TypeParam,
    Unknown,
}

impl RType {
    fn internal(&self) -> Option<u32> {
        match self {
            RType::Internal(g, _) => Some(*g),
            _ => None,
        }
    }
}

struct MethodInfo {
    params: u32,
    returns: RType,
}

struct TypeInfo {
    file: u32,
    local: u32,
    fqn: String,
    name: String,
    namespace: String,
    parent: Option<u32>,
    kind: CsKind,
    nested: HashMap<String, u32>,
    supers: Vec<u32>,
    base_class: Option<u32>,
    fields: HashMap<String, RType>,
    methods: HashMap<String, Vec<MethodInfo>>,
    /// Every part of the type (itself included), primary first.
    parts: Vec<u32>,
}

struct Extension {
    class: u32,
    this_type: RType,
}

#[derive(Default)]
struct FileScope {
    project: Option<usize>,
}

struct Index<'a> {
    files: &'a [ParsedFile],
    types: Vec<TypeInfo>,
    /// Every declaration of a name, in file order (several projects may
    /// declare the same namespace and type).
    by_fqn: HashMap<String, Vec<u32>>,
    /// Every namespace declared, and each of its parents.
    namespaces: HashSet<String>,
    simple_names: HashSet<String>,
    first_type: HashMap<u32, u32>,
    scopes: HashMap<u32, FileScope>,
    projects: Projects,
    /// Per project: its global usings.
    global_usings: HashMap<Option<usize>, Vec<&'a Using>>,
    extensions: HashMap<String, Vec<Extension>>,
}

#[derive(Clone, Copy)]
struct Ctx<'f> {
    file: u32,
    ty: Option<u32>,
    /// The namespace the code sits in.
    ns: &'f str,
    type_params: &'f [String],
}

fn cs(file: &ParsedFile) -> &CsFacts {
    static EMPTY: std::sync::OnceLock<CsFacts> = std::sync::OnceLock::new();
    file.facts
        .csharp
        .as_deref()
        .unwrap_or_else(|| EMPTY.get_or_init(CsFacts::default))
}

pub(crate) fn resolve(
    files: &[ParsedFile],
    ids: &[u32],
    project_texts: &[(String, String)],
    out: &mut Resolved,
) {
    let projects = Projects::read(project_texts);
    let mut index = Index::build(files, ids, projects);
    index.resolve_supertypes(ids);
    index.resolve_members();
    crate::resolve::common::resolve_each(
        ids,
        out,
        |f| index.resolve_file(f),
        |f| index.logical_name(f),
    );
}

/// The warnings of reading the project files (shown once per run).
pub fn project_warnings(project_texts: &[(String, String)]) -> Vec<String> {
    Projects::read(project_texts).warnings
}

fn last_segment(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

impl<'a> Index<'a> {
    fn facts(&self, file: u32) -> &'a FileFacts {
        &self.files[file as usize].facts
    }

    fn build(files: &'a [ParsedFile], ids: &[u32], projects: Projects) -> Self {
        let mut index = Index {
            files,
            types: Vec::new(),
            by_fqn: HashMap::new(),
            namespaces: HashSet::new(),
            simple_names: HashSet::new(),
            first_type: HashMap::new(),
            scopes: HashMap::new(),
            projects,
            global_usings: HashMap::new(),
            extensions: HashMap::new(),
        };
        let mut partial_groups: HashMap<String, Vec<u32>> = HashMap::new();
        for &f in ids {
            let file = &files[f as usize];
            let c = cs(file);
            let facts = &file.facts;
            let project = index.projects.project_of(&file.id).ok().flatten();
            index.scopes.insert(f, FileScope { project });
            for u in c.usings.iter().filter(|u| u.global) {
                index.global_usings.entry(project).or_default().push(u);
            }
            for ns in &c.namespaces {
                let mut n = ns.as_str();
                loop {
                    index.namespaces.insert(n.to_string());
                    match n.rsplit_once('.') {
                        Some((p, _)) => n = p,
                        None => break,
                    }
                }
            }
            let base = index.types.len() as u32;
            index.first_type.insert(f, base);
            for (local, decl) in facts.types.iter().enumerate() {
                let gid = index.types.len() as u32;
                let namespace = c.type_namespaces.get(local).cloned().unwrap_or_default();
                let fqn = if namespace.is_empty() {
                    decl.path.clone()
                } else {
                    format!("{namespace}.{}", decl.path)
                };
                let partial = c.partial.get(local).copied().unwrap_or(false);
                if partial {
                    partial_groups.entry(fqn.clone()).or_default().push(gid);
                }
                if !partial {
                    index.by_fqn.entry(fqn.clone()).or_default().push(gid);
                }
                index.simple_names.insert(decl.name.clone());
                let parent = decl.parent.map(|p| base + p);
                index.types.push(TypeInfo {
                    file: f,
                    local: local as u32,
                    fqn,
                    name: decl.name.clone(),
                    namespace,
                    parent,
                    kind: c.kinds.get(local).copied().unwrap_or(CsKind::Class),
                    nested: HashMap::new(),
                    supers: Vec::new(),
                    base_class: None,
                    fields: HashMap::new(),
                    methods: HashMap::new(),
                    parts: vec![gid],
                });
                if let Some(p) = parent {
                    index.types[p as usize]
                        .nested
                        .insert(decl.name.clone(), gid);
                }
            }
        }
        // The parts of a partial type: the primary part is the one in the
        // file named like the type, else the first by file; the name maps
        // to it.
        let mut groups: Vec<(String, Vec<u32>)> = partial_groups.into_iter().collect();
        groups.sort();
        for (fqn, mut parts) in groups {
            if parts.len() < 2 {
                index.by_fqn.entry(fqn).or_default().extend(parts);
                continue;
            }
            let stem = |g: u32| {
                let id = &files[index.types[g as usize].file as usize].id;
                let file = id.rsplit('/').next().unwrap_or(id);
                file.strip_suffix(".cs").unwrap_or(file).to_string()
            };
            parts.sort_by_key(|&g| (stem(g) != index.types[g as usize].name, g));
            index.by_fqn.entry(fqn).or_default().push(parts[0]);
            // Nested types of every part are members of each.
            let mut nested = HashMap::new();
            for &g in &parts {
                for (k, v) in &index.types[g as usize].nested {
                    nested.entry(k.clone()).or_insert(*v);
                }
            }
            for &g in &parts {
                index.types[g as usize].parts = parts.clone();
                index.types[g as usize].nested = nested.clone();
            }
        }
        index
    }

    fn gid(&self, file: u32, local: u32) -> u32 {
        self.first_type[&file] + local
    }

    fn decl(&self, gid: u32) -> &'a crate::lang::TypeDecl {
        let t = &self.types[gid as usize];
        &self.facts(t.file).types[t.local as usize]
    }

    fn ctx_of_type(&self, gid: u32) -> Ctx<'a> {
        let t = &self.types[gid as usize];
        let c = cs(&self.files[t.file as usize]);
        Ctx {
            file: t.file,
            ty: t.parent,
            ns: c
                .type_namespaces
                .get(t.local as usize)
                .map_or("", |s| s.as_str()),
            type_params: &self.decl(gid).type_params,
        }
    }

    /// Whether code in `file` may use type `gid` (project references).
    fn visible(&self, file: u32, gid: u32) -> bool {
        let from = self.scopes.get(&file).and_then(|s| s.project);
        let to = self
            .scopes
            .get(&self.types[gid as usize].file)
            .and_then(|s| s.project);
        match (from, to) {
            (Some(a), Some(b)) => self.projects.reach[a].contains(&b),
            _ => true,
        }
    }

    fn resolve_supertypes(&mut self, ids: &[u32]) {
        for &f in ids {
            let n = self.facts(f).types.len() as u32;
            for local in 0..n {
                let gid = self.gid(f, local);
                let decl = self.decl(gid);
                let cx = self.ctx_of_type(gid);
                let mut supers = Vec::new();
                let mut base_class = None;
                for (i, (_, r)) in decl.supertypes.iter().enumerate() {
                    if let Some(g) = self.resolve_typeref(cx, r).internal() {
                        if g != gid && !supers.contains(&g) {
                            supers.push(g);
                            // Only a class's first base may be a class.
                            if i == 0
                                && self.types[gid as usize].kind == CsKind::Class
                                && self.types[g as usize].kind == CsKind::Class
                            {
                                base_class = Some(g);
                            }
                        }
                    }
                }
                let t = &mut self.types[gid as usize];
                t.supers = supers;
                t.base_class = base_class;
            }
        }
        // A partial type's bases may be stated on any part.
        for g in 0..self.types.len() {
            let parts = self.types[g].parts.clone();
            if parts.len() < 2 {
                continue;
            }
            let base = parts
                .iter()
                .find_map(|&p| self.types[p as usize].base_class);
            if self.types[g].base_class.is_none() {
                self.types[g].base_class = base;
            }
        }
    }

    fn resolve_members(&mut self) {
        let mut extensions: HashMap<String, Vec<Extension>> = HashMap::new();
        let members: Vec<_> = (0..self.types.len() as u32)
            .map(|gid| {
                let t = &self.types[gid as usize];
                let decl = self.decl(gid);
                let cx = Ctx {
                    ty: Some(gid),
                    ..self.ctx_of_type(gid)
                };
                let fields: HashMap<String, RType> = decl
                    .fields
                    .iter()
                    .map(|fd| (fd.name.clone(), self.resolve_typeref(cx, &fd.ty)))
                    .collect();
                let mut methods: HashMap<String, Vec<MethodInfo>> = HashMap::new();
                let mut ext = Vec::new();
                let facts = self.facts(t.file);
                let c = cs(&self.files[t.file as usize]);
                for (fi, func) in facts.functions.iter().enumerate() {
                    if func.owner != Some(t.local) {
                        continue;
                    }
                    let fcx = Ctx {
                        type_params: &func.type_params,
                        ..cx
                    };
                    let returns = func
                        .returns
                        .as_ref()
                        .map(|r| self.resolve_typeref(fcx, r))
                        .unwrap_or(RType::Unknown);
                    methods
                        .entry(func.name.clone())
                        .or_default()
                        .push(MethodInfo {
                            params: func.params.len() as u32,
                            returns,
                        });
                    if c.extension_methods.contains(&(fi as u32)) {
                        if let Some((_, p0)) = func.params.first() {
                            ext.push((func.name.clone(), self.resolve_typeref(fcx, p0)));
                        }
                    }
                }
                (fields, methods, ext)
            })
            .collect();
        for (gid, (fields, methods, ext)) in members.into_iter().enumerate() {
            self.types[gid].fields = fields;
            self.types[gid].methods = methods;
            for (name, this_type) in ext {
                extensions.entry(name).or_default().push(Extension {
                    class: gid as u32,
                    this_type,
                });
            }
        }
        self.extensions = extensions;
    }

    /// Supertypes of `gid` transitively (every part of partial types),
    /// breadth first, `gid` first.
    fn hierarchy(&self, gid: u32) -> Vec<u32> {
        let mut seen: Vec<u32> = self.types[gid as usize].parts.clone();
        if let Some(i) = seen.iter().position(|&g| g == gid) {
            seen.swap(0, i);
        }
        let mut i = 0;
        while i < seen.len() && seen.len() < 256 {
            let g = seen[i] as usize;
            for &s in &self.types[g].supers {
                for &p in &self.types[s as usize].parts {
                    if !seen.contains(&p) {
                        seen.push(p);
                    }
                }
            }
            i += 1;
        }
        seen
    }

    fn member_type(&self, gid: u32, name: &str) -> Option<u32> {
        self.hierarchy(gid)
            .into_iter()
            .find_map(|g| self.types[g as usize].nested.get(name).copied())
    }

    fn is_type_param(&self, cx: Ctx, name: &str) -> bool {
        if cx.type_params.iter().any(|p| p == name) {
            return true;
        }
        let mut t = cx.ty;
        while let Some(g) = t {
            if self.decl(g).type_params.iter().any(|p| p == name) {
                return true;
            }
            t = self.types[g as usize].parent;
        }
        false
    }

    /// The declaration of `fqn` that code in the context's file can see:
    /// one in its own project first, else the first reachable one.
    fn visible_fqn(&self, cx: Ctx, fqn: &str) -> Option<u32> {
        let all = self.by_fqn.get(fqn)?;
        let own = self.scopes.get(&cx.file).and_then(|s| s.project);
        let project = |g: u32| {
            self.scopes
                .get(&self.types[g as usize].file)
                .and_then(|s| s.project)
        };
        all.iter()
            .copied()
            .find(|&g| own.is_some() && project(g) == own)
            .or_else(|| all.iter().copied().find(|&g| self.visible(cx.file, g)))
    }

    /// The usings in force at namespace level `ns` of the file: those
    /// declared in that namespace block, and at the top level the file's
    /// own plus the project's global ones.
    fn usings_at<'s>(&'s self, cx: Ctx, ns: &str) -> Vec<&'s Using> {
        let c = cs(&self.files[cx.file as usize]);
        let mut out: Vec<&Using> = c
            .usings
            .iter()
            .filter(|u| u.scope == ns && !u.global)
            .collect();
        if ns.is_empty() {
            let project = self.scopes.get(&cx.file).and_then(|s| s.project);
            if let Some(g) = self.global_usings.get(&project) {
                out.extend(g.iter().copied());
            }
            // Global usings of a file outside every project apply to itself.
            if project.is_none() {
                out.extend(c.usings.iter().filter(|u| u.global));
            }
        }
        out
    }

    /// The enclosing namespaces, innermost first, ending with the global one.
    fn levels(ns: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut n = ns;
        while !n.is_empty() {
            out.push(n);
            n = n.rsplit_once('.').map_or("", |(p, _)| p);
        }
        out.push("");
        out
    }

    /// Resolves a simple (undotted) type name in context.
    fn lookup_simple(&self, cx: Ctx, name: &str) -> Option<RType> {
        let mut t = cx.ty;
        while let Some(g) = t {
            if self.types[g as usize].name == name {
                return Some(RType::Internal(self.primary(g), Vec::new()));
            }
            if let Some(n) = self.member_type(g, name) {
                return Some(RType::Internal(n, Vec::new()));
            }
            t = self.types[g as usize].parent;
        }
        for level in Self::levels(cx.ns) {
            let fqn = if level.is_empty() {
                name.to_string()
            } else {
                format!("{level}.{name}")
            };
            if let Some(g) = self.visible_fqn(cx, &fqn) {
                return Some(RType::Internal(g, Vec::new()));
            }
            let usings = self.usings_at(cx, level);
            for u in &usings {
                if u.kind == UsingKind::Alias && u.alias.as_deref() == Some(name) {
                    return Some(match self.visible_fqn(cx, &u.target) {
                        Some(g) => RType::Internal(g, Vec::new()),
                        None => RType::External(u.target.clone(), Vec::new()),
                    });
                }
            }
            for u in &usings {
                if u.kind == UsingKind::Namespace {
                    if let Some(g) = self.visible_fqn(cx, &format!("{}.{name}", u.target)) {
                        return Some(RType::Internal(g, Vec::new()));
                    }
                }
            }
            for u in &usings {
                // `using static T;` brings T's nested types into scope.
                if u.kind == UsingKind::Static {
                    if let Some(g) = self.visible_fqn(cx, &format!("{}.{name}", u.target)) {
                        return Some(RType::Internal(g, Vec::new()));
                    }
                }
            }
        }
        None
    }

    fn primary(&self, gid: u32) -> u32 {
        self.types[gid as usize].parts[0]
    }

    /// The target of alias `name` in context, if one is declared.
    fn alias(&self, cx: Ctx, name: &str) -> Option<String> {
        for level in Self::levels(cx.ns) {
            for u in self.usings_at(cx, level) {
                if u.kind == UsingKind::Alias && u.alias.as_deref() == Some(name) {
                    return Some(u.target.clone());
                }
            }
        }
        None
    }

    /// Resolves a possibly dotted type name.
    fn lookup_name(&self, cx: Ctx, name: &str) -> RType {
        if self.is_type_param(cx, name) {
            return RType::TypeParam;
        }
        if super::is_value_keyword(name) {
            return RType::Primitive;
        }
        let all: Vec<&str> = name.split('.').collect();
        if all.len() == 1 {
            return self.lookup_simple(cx, name).unwrap_or_else(|| {
                if self.simple_names.contains(name) {
                    RType::Unknown
                } else {
                    RType::External(name.to_string(), Vec::new())
                }
            });
        }
        // `Alias.X.Y`: the alias's target, then the rest.
        let (first, rest) = (all[0], &all[1..]);
        if let Some(target) = self.alias(cx, first) {
            let full = format!("{target}.{}", rest.join("."));
            return self.qualified(cx, &full, "");
        }
        // `Type.Nested`.
        if let Some(RType::Internal(mut g, _)) = self.lookup_simple(cx, first) {
            for p in rest {
                match self.member_type(g, p) {
                    Some(n) => g = n,
                    None => return RType::Unknown,
                }
            }
            return RType::Internal(g, Vec::new());
        }
        // A namespace-qualified name, relative to each enclosing namespace.
        for level in Self::levels(cx.ns) {
            if let r @ RType::Internal(..) = self.qualified(cx, name, level) {
                return r;
            }
        }
        if self.simple_names.contains(last_segment(name)) && self.namespaces.contains(first) {
            RType::Unknown
        } else {
            RType::External(name.to_string(), Vec::new())
        }
    }

    /// `a.b.C.D` under namespace `level`: the longest prefix that names a
    /// type, then nested types.
    fn qualified(&self, cx: Ctx, name: &str, level: &str) -> RType {
        let full = if level.is_empty() {
            name.to_string()
        } else {
            format!("{level}.{name}")
        };
        let all: Vec<&str> = full.split('.').collect();
        for cut in (1..=all.len()).rev() {
            if let Some(g) = self.visible_fqn(cx, &all[..cut].join(".")) {
                let mut g = g;
                for p in &all[cut..] {
                    match self.member_type(g, p) {
                        Some(n) => g = n,
                        None => return RType::Unknown,
                    }
                }
                return RType::Internal(g, Vec::new());
            }
        }
        RType::External(full, Vec::new())
    }

    fn resolve_typeref(&self, cx: Ctx, r: &TypeRef) -> RType {
        let args = r.args.iter().map(|a| self.resolve_typeref(cx, a)).collect();
        let base = match self.lookup_name(cx, &r.name) {
            RType::Internal(g, _) => RType::Internal(g, args),
            RType::External(n, _) => RType::External(n, args),
            RType::Primitive if r.name == "string" || r.name == "object" => {
                RType::External(r.name.clone(), args)
            }
            other => other,
        };
        (0..r.array_dims).fold(base, |t, _| RType::Array(Box::new(t)))
    }

    fn find_method(&self, gid: u32, name: &str, args: u32) -> Option<(u32, &MethodInfo)> {
        let hierarchy = self.hierarchy(gid);
        let exact = hierarchy.iter().find_map(|&g| {
            self.types[g as usize]
                .methods
                .get(name)
                .and_then(|ms| ms.iter().find(|m| m.params == args).map(|m| (g, m)))
        });
        exact.or_else(|| {
            hierarchy.iter().find_map(|&g| {
                self.types[g as usize]
                    .methods
                    .get(name)
                    .and_then(|ms| ms.first())
                    .map(|m| (g, m))
            })
        })
    }

    fn find_field(&self, gid: u32, name: &str) -> Option<RType> {
        self.hierarchy(gid)
            .into_iter()
            .find_map(|g| self.types[g as usize].fields.get(name).cloned())
    }

    fn symbol(&self, gid: u32, function: &str) -> String {
        format!("{}.{function}", self.decl(gid).path)
    }

    fn logical_name(&self, file: u32) -> Option<String> {
        let facts = self.facts(file);
        let id = &self.files[file as usize].id;
        let stem = id
            .rsplit('/')
            .next()
            .and_then(|f| f.strip_suffix(".cs"))
            .unwrap_or("");
        let stem = stem.split('.').next().unwrap_or(stem);
        let top = facts
            .types
            .iter()
            .enumerate()
            .filter(|(_, t)| t.parent.is_none());
        let pick = top
            .clone()
            .find(|(_, t)| t.name == stem)
            .or_else(|| top.clone().next());
        match pick {
            Some((i, _)) => Some(self.types[self.gid(file, i as u32) as usize].fqn.clone()),
            None => facts.namespace.clone(),
        }
    }

    /// An extension method `name` callable on `receiver` from `cx`.
    fn extension_for(&self, cx: Ctx, receiver: &RType, name: &str, args: u32) -> Option<u32> {
        let candidates = self.extensions.get(name)?;
        let takes = |e: &Extension| match (&e.this_type, receiver) {
            (RType::Internal(t, _), RType::Internal(r, _)) => self.hierarchy(*r).contains(t),
            // A receiver of an external type that is not known (the result
            // of a BCL or NuGet call, `app` of `builder.Build()`): an
            // in-scope extension on an external type may take it.
            (RType::External(_, _), RType::External(r, _)) if r == "?" => true,
            (RType::External(t, _), RType::External(r, _)) => {
                let norm = |s: &str| match last_segment(s) {
                    "String" => "string".to_string(),
                    "Object" => "object".to_string(),
                    o => o.to_string(),
                };
                norm(t) == norm(r) || t == "object"
            }
            (RType::External(t, _), _) => t == "object",
            (RType::TypeParam, _) => true,
            _ => false,
        };
        let in_scope = |class: u32| {
            let ns = &self.types[class as usize].namespace;
            Self::levels(cx.ns).contains(&ns.as_str())
                || Self::levels(cx.ns).into_iter().any(|level| {
                    self.usings_at(cx, level)
                        .iter()
                        .any(|u| u.kind == UsingKind::Namespace && &u.target == ns)
                })
        };
        candidates
            .iter()
            .filter(|e| takes(e) && self.visible(cx.file, e.class) && in_scope(e.class))
            .map(|e| e.class)
            .min_by_key(|&c| {
                let params = self.types[c as usize]
                    .methods
                    .get(name)
                    .and_then(|ms| ms.first())
                    .map_or(0, |m| m.params);
                (params != args + 1, c)
            })
    }

    fn resolve_file(&self, file: u32) -> FileResult {
        let facts = self.facts(file);
        let c = cs(&self.files[file as usize]);
        let mut r = FileResult::default();
        let edge = |r: &mut FileResult, to: u32, kind: EdgeKind, line: u32| {
            if to != file {
                r.edges.push(FileEdge {
                    from: file,
                    to,
                    kind,
                });
                r.sites.push(EdgeSite {
                    from: file,
                    to,
                    kind,
                    line,
                });
            }
        };
        let type_ctx = |owner: Option<u32>| -> Ctx {
            match owner {
                Some(o) => {
                    let g = self.gid(file, o);
                    Ctx {
                        ty: Some(g),
                        ..self.ctx_of_type(g)
                    }
                }
                None => Ctx {
                    file,
                    ty: None,
                    ns: c.namespaces.first().map_or("", |s| s.as_str()),
                    type_params: &[],
                },
            }
        };

        // Supertypes, partial parts and attributes of types.
        for (local, decl) in facts.types.iter().enumerate() {
            let gid = self.gid(file, local as u32);
            for &s in &self.types[gid as usize].supers {
                edge(
                    &mut r,
                    self.types[s as usize].file,
                    EdgeKind::Inherit,
                    decl.lines.0,
                );
            }
            let primary = self.primary(gid);
            if primary != gid {
                edge(
                    &mut r,
                    self.types[primary as usize].file,
                    EdgeKind::TypeUse,
                    decl.lines.0,
                );
            }
            let cx = type_ctx(Some(local as u32));
            for a in &decl.annotations {
                if let Some(g) = self.attribute_type(cx, &a.name) {
                    edge(
                        &mut r,
                        self.types[g as usize].file,
                        EdgeKind::TypeUse,
                        a.line,
                    );
                }
            }
        }

        // Type mentions.
        for (owner, tr) in &facts.type_refs {
            let cx = type_ctx(*owner);
            let candidate = self.simple_names.contains(last_segment(&tr.name));
            self.mention(cx, tr, candidate, &mut r, &edge);
        }
        // `Name.Member` where `Name` is no variable: a type.
        for s in &c.static_refs {
            let cx = type_ctx(s.owner);
            if let Some(fi) = s.function {
                let func = &facts.functions[fi as usize];
                if func
                    .locals
                    .iter()
                    .any(|l| l.name == s.name && l.line <= s.line)
                    || func.params.iter().any(|(p, _)| p == &s.name)
                {
                    continue;
                }
            }
            if cx.ty.is_some_and(|g| self.field_in_scope(g, &s.name)) {
                continue;
            }
            if let Some(g) = self.lookup_name(cx, &s.name).internal() {
                r.stats.type_refs_internal += 1;
                edge(
                    &mut r,
                    self.types[g as usize].file,
                    EdgeKind::TypeUse,
                    s.line,
                );
            }
        }

        // Calls.
        let mut extension_hits: BTreeSet<u32> = BTreeSet::new();
        for func in &facts.functions {
            let base = type_ctx(func.owner);
            let cx = Ctx {
                type_params: &func.type_params,
                ..base
            };
            for a in &func.annotations {
                if let Some(g) = self.attribute_type(cx, &a.name) {
                    edge(
                        &mut r,
                        self.types[g as usize].file,
                        EdgeKind::TypeUse,
                        a.line,
                    );
                }
            }
            let caller = match func.owner {
                Some(o) => self.symbol(self.gid(file, o), &func.name),
                None => func.name.clone(),
            };
            for call in &func.calls {
                match self.resolve_call(cx, func, call) {
                    Target::Internal { ty, method } => {
                        r.stats.calls_internal += 1;
                        if self
                            .extensions
                            .get(&method)
                            .is_some_and(|es| es.iter().any(|e| e.class == ty))
                        {
                            extension_hits.insert(ty);
                        }
                        let to = self.types[ty as usize].file;
                        edge(&mut r, to, EdgeKind::Call, call.line);
                        if to != file {
                            r.symbol_calls.push(SymbolCall {
                                from_file: file,
                                from_symbol: caller.clone(),
                                to_file: to,
                                to_symbol: self.symbol(ty, &method),
                                line: call.line,
                            });
                        }
                    }
                    Target::External => r.stats.calls_external += 1,
                    Target::Unresolved => r.stats.calls_unresolved += 1,
                }
            }
        }
        // Usings: an edge to each in-repo type the file uses through it.
        let referenced = referenced_names(facts, c);
        for u in &c.usings {
            let cx = Ctx {
                file,
                ty: None,
                ns: &u.scope,
                type_params: &[],
            };
            match u.kind {
                UsingKind::Static => {
                    if let Some(g) = self.visible_fqn(cx, &u.target) {
                        edge(
                            &mut r,
                            self.types[g as usize].file,
                            EdgeKind::Import,
                            u.line,
                        );
                    }
                }
                UsingKind::Alias => {
                    if let Some(g) = self.visible_fqn(cx, &u.target) {
                        edge(
                            &mut r,
                            self.types[g as usize].file,
                            EdgeKind::Import,
                            u.line,
                        );
                        continue;
                    }
                    let alias = u.alias.as_deref().unwrap_or("");
                    for name in referenced
                        .qualified
                        .iter()
                        .filter_map(|(a, n)| (a == alias).then_some(n))
                    {
                        if let Some(g) = self.visible_fqn(cx, &format!("{}.{name}", u.target)) {
                            edge(
                                &mut r,
                                self.types[g as usize].file,
                                EdgeKind::Import,
                                u.line,
                            );
                        }
                    }
                }
                UsingKind::Namespace => {
                    // Extension methods called through this using.
                    for &class in &extension_hits {
                        if self.types[class as usize].namespace == u.target
                            && !Self::levels(&u.scope).contains(&u.target.as_str())
                        {
                            edge(
                                &mut r,
                                self.types[class as usize].file,
                                EdgeKind::Import,
                                u.line,
                            );
                        }
                    }
                    for name in &referenced.simple {
                        let Some(g) = self.visible_fqn(cx, &format!("{}.{name}", u.target)) else {
                            continue;
                        };
                        // Only where the name resolves through this using.
                        let ctx = type_ctx(None);
                        let ctx = Ctx {
                            ns: if u.scope.is_empty() { ctx.ns } else { &u.scope },
                            ..ctx
                        };
                        if self.lookup_simple(ctx, name).and_then(|t| t.internal()) == Some(g) {
                            edge(
                                &mut r,
                                self.types[g as usize].file,
                                EdgeKind::Import,
                                u.line,
                            );
                        }
                    }
                }
            }
        }

        r
    }

    /// Whether some base of `gid`, as written, is not in the repository.
    fn has_external_super(&self, gid: u32) -> bool {
        self.hierarchy(gid)
            .into_iter()
            .any(|g| self.decl(g).supertypes.len() > self.types[g as usize].supers.len())
    }

    fn field_in_scope(&self, gid: u32, name: &str) -> bool {
        let mut t = Some(gid);
        while let Some(g) = t {
            if self.find_field(g, name).is_some() {
                return true;
            }
            t = self.types[g as usize].parent;
        }
        false
    }

    /// A custom attribute's type: `[Audited]` is `AuditedAttribute` or `Audited`.
    fn attribute_type(&self, cx: Ctx, name: &str) -> Option<u32> {
        self.lookup_name(cx, &format!("{name}Attribute"))
            .internal()
            .or_else(|| self.lookup_name(cx, name).internal())
    }

    fn mention(
        &self,
        cx: Ctx,
        tr: &TypeRef,
        candidate: bool,
        r: &mut FileResult,
        edge: &impl Fn(&mut FileResult, u32, EdgeKind, u32),
    ) {
        match self.lookup_name(cx, &tr.name) {
            RType::Internal(g, _) => {
                r.stats.type_refs_internal += 1;
                edge(r, self.types[g as usize].file, EdgeKind::TypeUse, tr.line);
            }
            RType::Unknown if candidate => r.stats.type_refs_unresolved += 1,
            _ => {}
        }
        for a in &tr.args {
            let candidate = self.simple_names.contains(last_segment(&a.name));
            self.mention(cx, a, candidate, r, edge);
        }
    }

    fn resolve_call(&self, cx: Ctx, func: &Function, call: &crate::lang::Call) -> Target {
        let construct = |t: RType| match t {
            RType::Internal(g, _) => Target::Internal {
                ty: g,
                method: "<init>".into(),
            },
            RType::Unknown | RType::TypeParam => Target::Unresolved,
            _ => Target::External,
        };
        match call.kind {
            CallKind::New => match &call.ty {
                Some(t) => construct(self.resolve_typeref(cx, t)),
                None => Target::Unresolved,
            },
            CallKind::SuperConstructor => {
                match cx.ty.and_then(|g| self.types[g as usize].base_class) {
                    Some(s) => Target::Internal {
                        ty: s,
                        method: "<init>".into(),
                    },
                    None => Target::External,
                }
            }
            CallKind::Method | CallKind::MethodRef => {
                let receiver = match &call.receiver {
                    None => return self.unqualified_call(cx, func, &call.name, call.args),
                    Some(e) => self.expr_type(cx, func, e, call.line, 0),
                };
                self.method_on(cx, receiver, &call.name, call.args)
            }
        }
    }

    fn method_on(&self, cx: Ctx, receiver: RType, name: &str, args: u32) -> Target {
        match receiver {
            // Invoking a delegate runs whatever was subscribed, not code of
            // the file declaring the delegate type.
            RType::Internal(g, _) if self.types[g as usize].kind == CsKind::Delegate => {
                Target::External
            }
            RType::Internal(g, _) => match self.find_method(g, name, args) {
                Some((decl, _)) => Target::Internal {
                    ty: decl,
                    method: name.to_string(),
                },
                None => match self.extension_for(cx, &RType::Internal(g, Vec::new()), name, args) {
                    Some(e) => Target::Internal {
                        ty: e,
                        method: name.to_string(),
                    },
                    // Declared by an external base: the caller uses this type.
                    None => Target::Internal {
                        ty: self.primary(g),
                        method: name.to_string(),
                    },
                },
            },
            r @ (RType::External(..) | RType::Array(_) | RType::Primitive) => {
                match self.extension_for(cx, &r, name, args) {
                    Some(e) => Target::Internal {
                        ty: e,
                        method: name.to_string(),
                    },
                    None => Target::External,
                }
            }
            RType::TypeParam | RType::Unknown => Target::Unresolved,
        }
    }

    /// `M(..)` with no receiver: a method of this type or an enclosing one,
    /// a local function, or a method of a `using static` type.
    fn unqualified_call(&self, cx: Ctx, func: &Function, name: &str, args: u32) -> Target {
        let mut t = cx.ty;
        while let Some(g) = t {
            if let Some((decl, _)) = self.find_method(g, name, args) {
                return Target::Internal {
                    ty: decl,
                    method: name.to_string(),
                };
            }
            t = self.types[g as usize].parent;
        }
        // A delegate-typed local, parameter or field invoked: external code.
        if func.locals.iter().any(|l| l.name == name) || func.params.iter().any(|(p, _)| p == name)
        {
            return Target::External;
        }
        for level in Self::levels(cx.ns) {
            for u in self.usings_at(cx, level) {
                if u.kind != UsingKind::Static {
                    continue;
                }
                if let Some(g) = self.visible_fqn(cx, &u.target) {
                    if let Some((d, _)) = self.find_method(g, name, args) {
                        return Target::Internal {
                            ty: d,
                            method: name.to_string(),
                        };
                    }
                }
            }
        }
        // Inherited from an external base (`Ok()`, `View()`), a local
        // function, or a static import from outside.
        Target::External
    }

    /// A method's declared result, with `Task<T>`/`ValueTask<T>` unwrapped
    /// (receivers are typed as `await` sees them).
    fn unwrap_task(t: RType) -> RType {
        match t {
            RType::External(n, args)
                if args.len() == 1 && matches!(last_segment(&n), "Task" | "ValueTask") =>
            {
                args.into_iter().next().unwrap_or(RType::Unknown)
            }
            other => other,
        }
    }

    fn expr_type(&self, cx: Ctx, func: &Function, e: &Expr, line: u32, depth: usize) -> RType {
        if depth > MAX_DEPTH {
            return RType::Unknown;
        }
        match e {
            Expr::This => cx
                .ty
                .map_or(RType::Unknown, |g| RType::Internal(g, Vec::new())),
            Expr::Super => match cx.ty {
                Some(g) => match self.types[g as usize].base_class {
                    Some(s) => RType::Internal(s, Vec::new()),
                    None => RType::External("object".into(), Vec::new()),
                },
                None => RType::Unknown,
            },
            Expr::StringLit => RType::External("string".into(), Vec::new()),
            Expr::New(t) | Expr::Cast(t) => self.resolve_typeref(cx, t),
            Expr::Name(n) => self.name_type(cx, func, n, line, depth),
            Expr::Field(inner, f) => match self.expr_type(cx, func, inner, line, depth + 1) {
                RType::Internal(g, _) => {
                    if let Some(t) = self.find_field(g, f) {
                        return t;
                    }
                    if let Some(n) = self.member_type(g, f) {
                        return RType::Internal(n, Vec::new());
                    }
                    // A member of an external base (`DbContext.Database`).
                    if self.has_external_super(g) {
                        return RType::External("?".into(), Vec::new());
                    }
                    RType::Unknown
                }
                RType::External(n, args) => {
                    if ELEMENT_RETURNS.contains(&f.as_str()) && args.len() == 1 {
                        return args.into_iter().next().unwrap_or(RType::Unknown);
                    }
                    let _ = n;
                    RType::External("?".into(), Vec::new())
                }
                RType::Primitive | RType::Array(_) => RType::External("?".into(), Vec::new()),
                _ => match dotted(e) {
                    Some(name) => self.lookup_name(cx, &name),
                    None => RType::Unknown,
                },
            },
            Expr::Call(recv, m, args) => {
                let recv_type = match recv {
                    None => {
                        let mut t = cx.ty;
                        while let Some(g) = t {
                            if let Some((_, mi)) = self.find_method(g, m, *args) {
                                return Self::unwrap_task(mi.returns.clone());
                            }
                            t = self.types[g as usize].parent;
                        }
                        for level in Self::levels(cx.ns) {
                            for u in self.usings_at(cx, level) {
                                if u.kind != UsingKind::Static {
                                    continue;
                                }
                                if let Some(g) = self.visible_fqn(cx, &u.target) {
                                    if let Some((_, mi)) = self.find_method(g, m, *args) {
                                        return Self::unwrap_task(mi.returns.clone());
                                    }
                                }
                            }
                        }
                        return RType::Unknown;
                    }
                    Some(r) => self.expr_type(cx, func, r, line, depth + 1),
                };
                match recv_type {
                    RType::Internal(g, targs) => match self.find_method(g, m, *args) {
                        Some((_, mi)) => Self::unwrap_task(mi.returns.clone()),
                        None => {
                            match self.extension_for(cx, &RType::Internal(g, Vec::new()), m, *args)
                            {
                                Some(e) => self.ext_returns(e, m),
                                None => {
                                    let _ = targs;
                                    RType::Unknown
                                }
                            }
                        }
                    },
                    r @ RType::External(..) => {
                        if let Some(e) = self.extension_for(cx, &r, m, *args) {
                            return self.ext_returns(e, m);
                        }
                        let RType::External(name, targs) = r else {
                            unreachable!()
                        };
                        let _ = name;
                        if targs.len() == 1 && ELEMENT_RETURNS.contains(&m.as_str()) {
                            targs.into_iter().next().unwrap_or(RType::Unknown)
                        } else if targs.len() == 1 && SEQUENCE_RETURNS.contains(&m.as_str()) {
                            RType::External("IEnumerable".into(), targs)
                        } else {
                            RType::External("?".into(), Vec::new())
                        }
                    }
                    RType::Array(inner) => {
                        if ELEMENT_RETURNS.contains(&m.as_str()) {
                            *inner
                        } else {
                            RType::External("?".into(), Vec::new())
                        }
                    }
                    RType::Primitive => RType::External("?".into(), Vec::new()),
                    _ => RType::Unknown,
                }
            }
            Expr::Unknown => RType::Unknown,
        }
    }

    fn ext_returns(&self, class: u32, m: &str) -> RType {
        self.types[class as usize]
            .methods
            .get(m)
            .and_then(|ms| ms.first())
            .map_or(RType::Unknown, |mi| Self::unwrap_task(mi.returns.clone()))
    }

    fn name_type(&self, cx: Ctx, func: &Function, n: &str, line: u32, depth: usize) -> RType {
        if let Some(local) = func
            .locals
            .iter()
            .rev()
            .find(|l| l.name == n && l.line <= line)
        {
            if let Some(t) = &local.ty {
                return self.resolve_typeref(cx, t);
            }
            return match &local.init {
                Some(init) if local.element_of_init => {
                    element_type(self.expr_type(cx, func, init, local.line, depth + 1))
                }
                Some(init) => self.expr_type(cx, func, init, local.line, depth + 1),
                None => RType::Unknown,
            };
        }
        if let Some((_, t)) = func.params.iter().find(|(p, _)| p == n) {
            return self.resolve_typeref(cx, t);
        }
        let mut t = cx.ty;
        while let Some(g) = t {
            if let Some(ft) = self.find_field(g, n) {
                return ft;
            }
            t = self.types[g as usize].parent;
        }
        match self.lookup_name(cx, n) {
            RType::External(..)
                if n.starts_with(|c: char| c.is_lowercase())
                    && !matches!(n, "string" | "object") =>
            {
                RType::Unknown
            }
            other => other,
        }
    }
}

enum Target {
    Internal { ty: u32, method: String },
    External,
    Unresolved,
}

/// The element type of a sequence or array. The element (or lambda
/// parameter) of an external value whose type arguments are not known is
/// external too: what it calls is BCL or NuGet code.
fn element_type(t: RType) -> RType {
    match t {
        RType::Array(inner) => *inner,
        RType::External(_, args) | RType::Internal(_, args) if args.len() == 1 => {
            args.into_iter().next().unwrap_or(RType::Unknown)
        }
        RType::External(..) => RType::External("?".into(), Vec::new()),
        _ => RType::Unknown,
    }
}

fn dotted(e: &Expr) -> Option<String> {
    match e {
        Expr::Name(n) => Some(n.clone()),
        Expr::Field(inner, f) => dotted(inner).map(|d| format!("{d}.{f}")),
        _ => None,
    }
}

/// The names a file uses: simple names (first segments of type mentions,
/// receiver roots, static references) and `A.B` pairs for alias usings.
struct Referenced {
    simple: BTreeSet<String>,
    qualified: BTreeSet<(String, String)>,
}

fn referenced_names(facts: &FileFacts, c: &CsFacts) -> Referenced {
    let mut out = Referenced {
        simple: BTreeSet::new(),
        qualified: BTreeSet::new(),
    };
    fn add_type(t: &TypeRef, out: &mut Referenced) {
        let mut parts = t.name.split('.');
        let first = parts.next().unwrap_or(&t.name);
        out.simple.insert(first.to_string());
        if let Some(second) = parts.next() {
            out.qualified
                .insert((first.to_string(), second.to_string()));
        }
        for a in &t.args {
            add_type(a, out);
        }
    }
    fn root(e: &Expr, out: &mut Referenced) {
        match e {
            Expr::Name(n) => {
                out.simple.insert(n.clone());
            }
            Expr::Field(inner, f) => {
                if let Expr::Name(n) = &**inner {
                    out.qualified.insert((n.clone(), f.clone()));
                }
                root(inner, out)
            }
            Expr::Call(Some(inner), _, _) => root(inner, out),
            Expr::New(t) | Expr::Cast(t) => add_type(t, out),
            _ => {}
        }
    }
    for (_, t) in &facts.type_refs {
        add_type(t, &mut out);
    }
    for t in &facts.types {
        for (_, s) in &t.supertypes {
            add_type(s, &mut out);
        }
        for a in &t.annotations {
            out.simple.insert(format!("{}Attribute", a.name));
            out.simple.insert(a.name.clone());
        }
    }
    for s in &c.static_refs {
        out.simple.insert(s.name.clone());
    }
    for f in &facts.functions {
        for call in &f.calls {
            if let Some(e) = &call.receiver {
                root(e, &mut out);
            }
            if let Some(t) = &call.ty {
                add_type(t, &mut out);
            }
            if call.receiver.is_none() {
                out.simple.insert(call.name.clone());
            }
        }
        for l in &f.locals {
            if let Some(e) = &l.init {
                root(e, &mut out);
            }
        }
        for a in &f.annotations {
            out.simple.insert(format!("{}Attribute", a.name));
            out.simple.insert(a.name.clone());
        }
    }
    out
}
