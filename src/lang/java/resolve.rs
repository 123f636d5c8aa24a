//! Java name resolution.
//!
//! Three passes: (1) register every type by fully-qualified name, across all
//! source roots at once, so Maven and Gradle multi-module layouts need no
//! configuration: a package is wherever its files say it is; (2) resolve
//! supertypes, field types and method return types in the context of the
//! file that declares them; (3) per file, in parallel, resolve imports,
//! supertypes, type mentions and calls into edges.
//!
//! Simple type names are looked up as javac does, in order: the enclosing
//! types and their (inherited) member types, single-type imports, the same
//! package, on-demand (`*`) imports, then `java.lang`. A call's receiver type
//! comes from locals (including `var` and enhanced-for variables), parameters,
//! fields (inherited and of enclosing types), `this`, `super`, a static
//! `Type.m()`, or a called method's declared return type. A method missing
//! from every in-repo type of the receiver's hierarchy is one declared by an
//! external supertype (`JpaRepository.save`, `Object.equals`): the call still
//! lands on the receiver type's file, since that is the type the caller uses.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::lang::{CallKind, Expr, FileFacts, Function, ImportKind, SuperKind, TypeKind, TypeRef};
use crate::resolve::common::{
    EdgeKind, EdgeSite, FileEdge, FileResult, ParsedFile, Resolved, SymbolCall,
};

/// Bounds the recursion when typing `var` chains and receiver expressions.
const MAX_DEPTH: usize = 16;

/// Types every Java file sees without an import.
const JAVA_LANG: &[&str] = &[
    "Object",
    "String",
    "Integer",
    "Long",
    "Short",
    "Byte",
    "Character",
    "Boolean",
    "Double",
    "Float",
    "Number",
    "Math",
    "System",
    "Thread",
    "Runnable",
    "Exception",
    "RuntimeException",
    "Error",
    "Throwable",
    "IllegalArgumentException",
    "IllegalStateException",
    "NullPointerException",
    "UnsupportedOperationException",
    "IndexOutOfBoundsException",
    "ClassCastException",
    "ArithmeticException",
    "CloneNotSupportedException",
    "InterruptedException",
    "Iterable",
    "Comparable",
    "CharSequence",
    "StringBuilder",
    "StringBuffer",
    "Enum",
    "Record",
    "Class",
    "Void",
    "Override",
    "Deprecated",
    "SuppressWarnings",
    "FunctionalInterface",
    "SafeVarargs",
    "AutoCloseable",
    "Cloneable",
    "ClassLoader",
    "Process",
    "Runtime",
    "StackTraceElement",
    "ThreadLocal",
];

/// Methods of common JDK generic types that return one of the type's
/// arguments, so `optional.orElseThrow().total()` and `list.get(0).total()`
/// can be typed. (type simple name, method, index of the type argument)
const GENERIC_RETURNS: &[(&str, &str, usize)] = &[
    ("Optional", "get", 0),
    ("Optional", "orElse", 0),
    ("Optional", "orElseThrow", 0),
    ("Optional", "orElseGet", 0),
    ("List", "get", 0),
    ("List", "getFirst", 0),
    ("List", "getLast", 0),
    ("List", "remove", 0),
    ("ArrayList", "get", 0),
    ("LinkedList", "get", 0),
    ("Deque", "peek", 0),
    ("Deque", "poll", 0),
    ("Deque", "pop", 0),
    ("Queue", "peek", 0),
    ("Queue", "poll", 0),
    ("Iterator", "next", 0),
    ("Supplier", "get", 0),
    ("Map", "get", 1),
    ("Map", "getOrDefault", 1),
    ("Map", "remove", 1),
    ("Map", "put", 1),
    ("HashMap", "get", 1),
    ("TreeMap", "get", 1),
    ("LinkedHashMap", "get", 1),
    ("ConcurrentHashMap", "get", 1),
    ("Future", "get", 0),
    ("CompletableFuture", "get", 0),
    ("CompletableFuture", "join", 0),
    ("AtomicReference", "get", 0),
];

/// A resolved type.
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
    varargs: bool,
    returns: RType,
}

struct TypeInfo {
    file: u32,
    local: u32,
    fqn: String,
    name: String,
    parent: Option<u32>,
    nested: HashMap<String, u32>,
    /// In-repo supertypes, superclass first.
    supers: Vec<u32>,
    superclass: Option<u32>,
    fields: HashMap<String, RType>,
    methods: HashMap<String, Vec<MethodInfo>>,
}

#[derive(Default)]
struct FileScope {
    package: String,
    single: HashMap<String, String>,
    wildcards: Vec<String>,
    static_single: HashMap<String, Vec<String>>,
    static_wildcards: Vec<String>,
}

struct Index<'a> {
    files: &'a [ParsedFile],
    types: Vec<TypeInfo>,
    by_fqn: HashMap<String, u32>,
    by_package: HashMap<String, Vec<u32>>,
    simple_names: HashSet<String>,
    /// Per file index: first gid of its types (types are registered in order).
    first_type: HashMap<u32, u32>,
    scopes: HashMap<u32, FileScope>,
}

/// Where a name is being resolved: a file, the innermost type, and the type
/// parameters of the enclosing method.
#[derive(Clone, Copy)]
struct Ctx<'f> {
    file: u32,
    ty: Option<u32>,
    type_params: &'f [String],
}

pub(crate) fn resolve(files: &[ParsedFile], java: &[u32], out: &mut Resolved) {
    let mut index = Index::build(files, java);
    index.resolve_supertypes(java);
    index.resolve_members();

    crate::resolve::common::resolve_each(
        java,
        out,
        |f| index.resolve_file(f),
        |f| index.logical_name(f),
    );
}

impl<'a> Index<'a> {
    fn facts(&self, file: u32) -> &'a FileFacts {
        &self.files[file as usize].facts
    }

    fn build(files: &'a [ParsedFile], java: &[u32]) -> Self {
        let mut index = Index {
            files,
            types: Vec::new(),
            by_fqn: HashMap::new(),
            by_package: HashMap::new(),
            simple_names: HashSet::new(),
            first_type: HashMap::new(),
            scopes: HashMap::new(),
        };
        for &f in java {
            let facts = &files[f as usize].facts;
            let package = facts.namespace.clone().unwrap_or_default();
            let base = index.types.len() as u32;
            index.first_type.insert(f, base);
            for (local, decl) in facts.types.iter().enumerate() {
                let gid = index.types.len() as u32;
                let fqn = if package.is_empty() {
                    decl.path.clone()
                } else {
                    format!("{package}.{}", decl.path)
                };
                // The first declaration of a name wins (files are in id
                // order), so duplicates across modules resolve stably.
                index.by_fqn.entry(fqn.clone()).or_insert(gid);
                index.simple_names.insert(decl.name.clone());
                let parent = decl.parent.map(|p| base + p);
                if parent.is_none() {
                    index
                        .by_package
                        .entry(package.clone())
                        .or_default()
                        .push(gid);
                }
                index.types.push(TypeInfo {
                    file: f,
                    local: local as u32,
                    fqn,
                    name: decl.name.clone(),
                    parent,
                    nested: HashMap::new(),
                    supers: Vec::new(),
                    superclass: None,
                    fields: HashMap::new(),
                    methods: HashMap::new(),
                });
                if let Some(p) = parent {
                    index.types[p as usize]
                        .nested
                        .insert(decl.name.clone(), gid);
                }
            }
            let mut scope = FileScope {
                package,
                ..FileScope::default()
            };
            for import in &facts.imports {
                match import.kind {
                    ImportKind::Single => {
                        let simple = last_segment(&import.path).to_string();
                        scope.single.insert(simple, import.path.clone());
                    }
                    ImportKind::Wildcard => scope.wildcards.push(import.path.clone()),
                    ImportKind::Static => {
                        if let Some((ty, member)) = import.path.rsplit_once('.') {
                            scope
                                .static_single
                                .entry(member.to_string())
                                .or_default()
                                .push(ty.to_string());
                        }
                    }
                    ImportKind::StaticWildcard => scope.static_wildcards.push(import.path.clone()),
                }
            }
            index.scopes.insert(f, scope);
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

    fn resolve_supertypes(&mut self, java: &[u32]) {
        // In file order, so that a nested-type lookup through an already
        // resolved supertype works for the common cases.
        for &f in java {
            let n = self.facts(f).types.len() as u32;
            for local in 0..n {
                let gid = self.gid(f, local);
                let decl = self.decl(gid);
                let cx = Ctx {
                    file: f,
                    ty: decl.parent.map(|p| self.gid(f, p)),
                    type_params: &decl.type_params,
                };
                let mut supers = Vec::new();
                let mut superclass = None;
                for (kind, r) in &decl.supertypes {
                    if let Some(g) = self.resolve_typeref(cx, r).internal() {
                        if g != gid && !supers.contains(&g) {
                            supers.push(g);
                            if *kind == SuperKind::Extends && decl.kind == TypeKind::Class {
                                superclass = Some(g);
                            }
                        }
                    }
                }
                let t = &mut self.types[gid as usize];
                t.supers = supers;
                t.superclass = superclass;
            }
        }
    }

    fn resolve_members(&mut self) {
        let members: Vec<_> = (0..self.types.len() as u32)
            .into_par_iter()
            .map(|gid| {
                let t = &self.types[gid as usize];
                let decl = self.decl(gid);
                let cx = Ctx {
                    file: t.file,
                    ty: Some(gid),
                    type_params: &[],
                };
                let fields: HashMap<String, RType> = decl
                    .fields
                    .iter()
                    .map(|fd| (fd.name.clone(), self.resolve_typeref(cx, &fd.ty)))
                    .collect();
                let mut methods: HashMap<String, Vec<MethodInfo>> = HashMap::new();
                for func in &self.facts(t.file).functions {
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
                            varargs: func.params.last().is_some_and(|(_, t)| t.array_dims > 0),
                            returns,
                        });
                }
                (fields, methods)
            })
            .collect();
        for (gid, (fields, methods)) in members.into_iter().enumerate() {
            self.types[gid].fields = fields;
            self.types[gid].methods = methods;
        }
    }

    /// The supertypes of `gid`, transitively, breadth first, `gid` first.
    fn hierarchy(&self, gid: u32) -> Vec<u32> {
        let mut seen = vec![gid];
        let mut i = 0;
        while i < seen.len() && seen.len() < 256 {
            for &s in &self.types[seen[i] as usize].supers {
                if !seen.contains(&s) {
                    seen.push(s);
                }
            }
            i += 1;
        }
        seen
    }

    /// A member type named `name` of `gid` or of its supertypes.
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

    fn by_fqn_or_nested(&self, fqn: &str) -> Option<u32> {
        self.by_fqn.get(fqn).copied()
    }

    /// Resolves a simple (undotted) type name in context.
    fn lookup_simple(&self, cx: Ctx, name: &str) -> Option<RType> {
        let mut t = cx.ty;
        while let Some(g) = t {
            if self.types[g as usize].name == name {
                return Some(RType::Internal(g, Vec::new()));
            }
            if let Some(n) = self.member_type(g, name) {
                return Some(RType::Internal(n, Vec::new()));
            }
            t = self.types[g as usize].parent;
        }
        let scope = self.scopes.get(&cx.file)?;
        if let Some(fqn) = scope.single.get(name) {
            return Some(match self.by_fqn_or_nested(fqn) {
                Some(g) => RType::Internal(g, Vec::new()),
                None => RType::External(fqn.clone(), Vec::new()),
            });
        }
        let same_package = if scope.package.is_empty() {
            name.to_string()
        } else {
            format!("{}.{name}", scope.package)
        };
        if let Some(g) = self.by_fqn.get(&same_package) {
            return Some(RType::Internal(*g, Vec::new()));
        }
        for w in &scope.wildcards {
            if let Some(g) = self.by_fqn.get(&format!("{w}.{name}")) {
                return Some(RType::Internal(*g, Vec::new()));
            }
        }
        if JAVA_LANG.contains(&name) {
            return Some(RType::External(format!("java.lang.{name}"), Vec::new()));
        }
        // A static import can bring a member type into scope.
        if let Some(owners) = scope.static_single.get(name) {
            for o in owners {
                if let Some(g) = self.by_fqn.get(&format!("{o}.{name}")) {
                    return Some(RType::Internal(*g, Vec::new()));
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
        let mut parts = name.split('.');
        let first = parts.next().unwrap_or(name);
        let rest: Vec<&str> = parts.collect();
        if rest.is_empty() {
            return self.lookup_simple(cx, first).unwrap_or(RType::Unknown);
        }
        if let Some(r) = self.lookup_simple(cx, first) {
            return match r {
                RType::Internal(mut g, _) => {
                    for p in &rest {
                        match self.member_type(g, p) {
                            Some(n) => g = n,
                            None => return RType::Unknown,
                        }
                    }
                    RType::Internal(g, Vec::new())
                }
                RType::External(base, _) => {
                    RType::External(format!("{base}.{}", rest.join(".")), Vec::new())
                }
                other => other,
            };
        }
        // A qualified name: the longest known prefix, then member types.
        let all: Vec<&str> = name.split('.').collect();
        for cut in (1..=all.len()).rev() {
            if let Some(&g) = self.by_fqn.get(&all[..cut].join(".")) {
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
        if first.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
            RType::External(name.to_string(), Vec::new())
        } else {
            RType::Unknown
        }
    }

    fn resolve_typeref(&self, cx: Ctx, r: &TypeRef) -> RType {
        if r.is_primitive() {
            return RType::Primitive;
        }
        let args = r.args.iter().map(|a| self.resolve_typeref(cx, a)).collect();
        let base = match self.lookup_name(cx, &r.name) {
            RType::Internal(g, _) => RType::Internal(g, args),
            RType::External(n, _) => RType::External(n, args),
            other => other,
        };
        (0..r.array_dims).fold(base, |t, _| RType::Array(Box::new(t)))
    }

    /// Finds the declaration of a method by name and arity, walking the
    /// in-repo hierarchy; an arity mismatch falls back to the name alone.
    fn find_method(&self, gid: u32, name: &str, args: u32) -> Option<(u32, &MethodInfo)> {
        let hierarchy = self.hierarchy(gid);
        let exact = hierarchy.iter().find_map(|&g| {
            self.types[g as usize].methods.get(name).and_then(|ms| {
                ms.iter()
                    .find(|m| m.params == args || (m.varargs && args + 1 >= m.params))
                    .map(|m| (g, m))
            })
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
        let stem = self.files[file as usize]
            .id
            .rsplit('/')
            .next()
            .and_then(|f| f.strip_suffix(".java"))
            .unwrap_or("");
        let top = facts
            .types
            .iter()
            .enumerate()
            .filter(|(_, t)| t.parent.is_none());
        let pick = top
            .clone()
            .find(|(_, t)| t.name == stem)
            .or_else(|| top.clone().next())?;
        Some(
            self.types[self.gid(file, pick.0 as u32) as usize]
                .fqn
                .clone(),
        )
    }

    fn resolve_file(&self, file: u32) -> FileResult {
        let facts = self.facts(file);
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

        // Imports.
        let referenced = referenced_names(facts);
        let scope = &self.scopes[&file];
        for import in &facts.imports {
            match import.kind {
                ImportKind::Single => {
                    if let Some(&g) = self.by_fqn.get(&import.path) {
                        edge(
                            &mut r,
                            self.types[g as usize].file,
                            EdgeKind::Import,
                            import.line,
                        );
                    }
                }
                ImportKind::Static => {
                    let target = self.by_fqn.get(&import.path).copied().or_else(|| {
                        import
                            .path
                            .rsplit_once('.')
                            .and_then(|(ty, _)| self.by_fqn.get(ty).copied())
                    });
                    if let Some(g) = target {
                        edge(
                            &mut r,
                            self.types[g as usize].file,
                            EdgeKind::Import,
                            import.line,
                        );
                    }
                }
                ImportKind::StaticWildcard => {
                    if let Some(&g) = self.by_fqn.get(&import.path) {
                        edge(
                            &mut r,
                            self.types[g as usize].file,
                            EdgeKind::Import,
                            import.line,
                        );
                    }
                }
                ImportKind::Wildcard => {
                    if let Some(&g) = self.by_fqn.get(&import.path) {
                        // `import a.b.Outer.*`: the member types' file.
                        edge(
                            &mut r,
                            self.types[g as usize].file,
                            EdgeKind::Import,
                            import.line,
                        );
                        continue;
                    }
                    let Some(members) = self.by_package.get(&import.path) else {
                        continue;
                    };
                    for &g in members {
                        let t = &self.types[g as usize];
                        if !referenced.contains(t.name.as_str()) {
                            continue;
                        }
                        // Only if the wildcard is what the name resolves through.
                        let cx = Ctx {
                            file,
                            ty: None,
                            type_params: &[],
                        };
                        if self.lookup_simple(cx, &t.name).and_then(|x| x.internal()) == Some(g)
                            && !scope.single.contains_key(&t.name)
                        {
                            edge(&mut r, t.file, EdgeKind::Import, import.line);
                        }
                    }
                }
            }
        }

        // Supertypes and annotations of types.
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
            let cx = Ctx {
                file,
                ty: Some(gid),
                type_params: &[],
            };
            for a in &decl.annotations {
                if let Some(g) = self.lookup_name(cx, &a.name).internal() {
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
            let cx = Ctx {
                file,
                ty: owner.map(|o| self.gid(file, o)),
                type_params: &[],
            };
            // Method type parameters are not visible here; a mention of one
            // resolves to nothing and is not counted below unless a repo
            // type has the same name.
            let resolved = self.lookup_name(cx, &tr.name);
            let candidate = self.simple_names.contains(last_segment(&tr.name));
            match resolved {
                RType::Internal(g, _) => {
                    r.stats.type_refs_internal += 1;
                    edge(
                        &mut r,
                        self.types[g as usize].file,
                        EdgeKind::TypeUse,
                        tr.line,
                    );
                }
                RType::Unknown if candidate && !self.mentions_type_param(facts, &tr.name) => {
                    r.stats.type_refs_unresolved += 1
                }
                _ => {}
            }
        }

        // Calls.
        for func in &facts.functions {
            let owner = func.owner.map(|o| self.gid(file, o));
            let cx = Ctx {
                file,
                ty: owner,
                type_params: &func.type_params,
            };
            for a in &func.annotations {
                if let Some(g) = self.lookup_name(cx, &a.name).internal() {
                    edge(
                        &mut r,
                        self.types[g as usize].file,
                        EdgeKind::TypeUse,
                        a.line,
                    );
                }
            }
            let caller = match owner {
                Some(g) => self.symbol(g, &func.name),
                None => func.name.clone(),
            };
            for call in &func.calls {
                match self.resolve_call(cx, func, call) {
                    CallTarget::Internal { ty, method } => {
                        r.stats.calls_internal += 1;
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
                    CallTarget::External => r.stats.calls_external += 1,
                    CallTarget::Unresolved => r.stats.calls_unresolved += 1,
                }
            }
        }
        r
    }

    fn mentions_type_param(&self, facts: &FileFacts, name: &str) -> bool {
        facts
            .functions
            .iter()
            .any(|f| f.type_params.iter().any(|p| p == name))
    }

    fn resolve_call(&self, cx: Ctx, func: &Function, call: &crate::lang::Call) -> CallTarget {
        let construct = |t: RType| match t {
            RType::Internal(g, _) => CallTarget::Internal {
                ty: g,
                method: "<init>".into(),
            },
            RType::Unknown | RType::TypeParam => CallTarget::Unresolved,
            _ => CallTarget::External,
        };
        match call.kind {
            CallKind::New => match &call.ty {
                Some(t) => construct(self.resolve_typeref(cx, t)),
                None => CallTarget::Unresolved,
            },
            CallKind::SuperConstructor => {
                match cx.ty.and_then(|g| self.types[g as usize].superclass) {
                    Some(s) => CallTarget::Internal {
                        ty: s,
                        method: "<init>".into(),
                    },
                    None => CallTarget::External,
                }
            }
            CallKind::MethodRef if call.name == "<init>" => match &call.ty {
                Some(t) => construct(self.resolve_typeref(cx, t)),
                None => CallTarget::Unresolved,
            },
            CallKind::Method | CallKind::MethodRef => {
                let receiver = match &call.receiver {
                    None => return self.unqualified_call(cx, &call.name, call.args),
                    Some(e) => self.expr_type(cx, func, e, call.line, 0),
                };
                self.method_on(receiver, &call.name, call.args)
            }
        }
    }

    fn method_on(&self, receiver: RType, name: &str, args: u32) -> CallTarget {
        match receiver {
            RType::Internal(g, _) => match self.find_method(g, name, args) {
                Some((decl, _)) => CallTarget::Internal {
                    ty: decl,
                    method: name.to_string(),
                },
                // Declared by an external supertype (or implicit, like an
                // enum's `values()`): the caller still uses this type.
                None => CallTarget::Internal {
                    ty: g,
                    method: name.to_string(),
                },
            },
            RType::External(..) | RType::Array(_) | RType::Primitive => CallTarget::External,
            RType::TypeParam | RType::Unknown => CallTarget::Unresolved,
        }
    }

    /// `m(..)` with no receiver: a method of this type or an enclosing one,
    /// or a statically imported one.
    fn unqualified_call(&self, cx: Ctx, name: &str, args: u32) -> CallTarget {
        let mut t = cx.ty;
        while let Some(g) = t {
            if let Some((decl, _)) = self.find_method(g, name, args) {
                return CallTarget::Internal {
                    ty: decl,
                    method: name.to_string(),
                };
            }
            t = self.types[g as usize].parent;
        }
        if let Some(scope) = self.scopes.get(&cx.file) {
            for o in scope.static_single.get(name).into_iter().flatten() {
                if let Some(&g) = self.by_fqn.get(o) {
                    return CallTarget::Internal {
                        ty: self.find_method(g, name, args).map_or(g, |(d, _)| d),
                        method: name.to_string(),
                    };
                }
            }
            for o in &scope.static_wildcards {
                if let Some((d, _)) = self
                    .by_fqn
                    .get(o)
                    .and_then(|&g| self.find_method(g, name, args))
                {
                    return CallTarget::Internal {
                        ty: d,
                        method: name.to_string(),
                    };
                }
            }
        }
        // Found nowhere in the repo: inherited from an external supertype
        // (every class has at least `Object`) or statically imported from
        // outside.
        CallTarget::External
    }

    /// Whether some supertype of `gid`, as written, is not in the repo.
    fn has_external_super(&self, gid: u32) -> bool {
        self.hierarchy(gid).into_iter().any(|g| {
            let decl = self.decl(g);
            decl.supertypes.len() > self.types[g as usize].supers.len()
        })
    }

    /// The static type of an expression, as far as it can be known.
    fn expr_type(&self, cx: Ctx, func: &Function, e: &Expr, line: u32, depth: usize) -> RType {
        if depth > MAX_DEPTH {
            return RType::Unknown;
        }
        match e {
            Expr::This => cx
                .ty
                .map_or(RType::Unknown, |g| RType::Internal(g, Vec::new())),
            Expr::Super => match cx.ty {
                Some(g) => match self.types[g as usize].superclass {
                    Some(s) => RType::Internal(s, Vec::new()),
                    None if self.has_external_super(g) => RType::External("super".into(), vec![]),
                    // `super.m()` of a class with no in-repo superclass (or an
                    // interface's default method): Object's or an external one.
                    None => RType::External("java.lang.Object".into(), Vec::new()),
                },
                None => RType::Unknown,
            },
            Expr::StringLit => RType::External("java.lang.String".into(), Vec::new()),
            Expr::New(t) | Expr::Cast(t) => self.resolve_typeref(cx, t),
            Expr::Name(n) => self.name_type(cx, func, n, line, depth),
            Expr::Field(inner, f) => {
                match self.expr_type(cx, func, inner, line, depth + 1) {
                    RType::Internal(g, _) => {
                        if let Some(t) = self.find_field(g, f) {
                            return t;
                        }
                        if let Some(n) = self.member_type(g, f) {
                            return RType::Internal(n, Vec::new());
                        }
                        RType::Unknown
                    }
                    // A field of an external type is external too.
                    RType::External(..) => RType::External("?".into(), Vec::new()),
                    _ => {
                        // A package-qualified type name: `com.shop.Money`.
                        match dotted(e) {
                            Some(name) => match self.lookup_name(cx, &name) {
                                RType::Unknown => RType::Unknown,
                                t => t,
                            },
                            None => RType::Unknown,
                        }
                    }
                }
            }
            Expr::Call(recv, m, args) => {
                let recv_type = match recv {
                    None => {
                        // Return type of an unqualified call.
                        let mut t = cx.ty;
                        while let Some(g) = t {
                            if let Some((_, mi)) = self.find_method(g, m, *args) {
                                return mi.returns.clone();
                            }
                            t = self.types[g as usize].parent;
                        }
                        if let Some(scope) = self.scopes.get(&cx.file) {
                            if let Some(owners) = scope.static_single.get(m.as_str()) {
                                for o in owners {
                                    if let Some(&g) = self.by_fqn.get(o) {
                                        if let Some((_, mi)) = self.find_method(g, m, *args) {
                                            return mi.returns.clone();
                                        }
                                    }
                                }
                            }
                        }
                        return RType::Unknown;
                    }
                    Some(r) => self.expr_type(cx, func, r, line, depth + 1),
                };
                match recv_type {
                    RType::Internal(g, _) => match self.find_method(g, m, *args) {
                        Some((_, mi)) => mi.returns.clone(),
                        None => RType::Unknown,
                    },
                    // The result of an external method is external, unless
                    // a known generic method hands back a type argument.
                    // (An unknown generic could smuggle a repo type through;
                    // such calls are counted as external, a known limit.)
                    RType::External(name, targs) => {
                        let simple = last_segment(&name);
                        GENERIC_RETURNS
                            .iter()
                            .find(|(t, meth, _)| *t == simple && meth == m)
                            .and_then(|(_, _, i)| targs.get(*i).cloned())
                            .unwrap_or_else(|| RType::External("?".into(), Vec::new()))
                    }
                    RType::Array(_) | RType::Primitive => RType::External("?".into(), Vec::new()),
                    _ => RType::Unknown,
                }
            }
            Expr::Unknown => RType::Unknown,
        }
    }

    fn name_type(&self, cx: Ctx, func: &Function, n: &str, line: u32, depth: usize) -> RType {
        // The nearest declaration of a local at or before the use.
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
            RType::Unknown if n.chars().next().is_some_and(|c| c.is_lowercase()) => {
                // A lowercase name that is no variable we know: an inherited
                // field of an external superclass, or a package prefix.
                RType::Unknown
            }
            other => other,
        }
    }
}

enum CallTarget {
    Internal { ty: u32, method: String },
    External,
    Unresolved,
}

/// The element type of an iterable or array.
fn element_type(t: RType) -> RType {
    match t {
        RType::Array(inner) => *inner,
        RType::External(_, args) | RType::Internal(_, args) if args.len() == 1 => {
            args.into_iter().next().unwrap_or(RType::Unknown)
        }
        _ => RType::Unknown,
    }
}

/// `a.b.C` for an expression made only of names and field accesses.
fn dotted(e: &Expr) -> Option<String> {
    match e {
        Expr::Name(n) => Some(n.clone()),
        Expr::Field(inner, f) => dotted(inner).map(|d| format!("{d}.{f}")),
        _ => None,
    }
}

fn last_segment(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

/// Simple names a file mentions: type mentions, receiver names, annotations.
fn referenced_names(facts: &FileFacts) -> HashSet<&str> {
    let mut set = HashSet::new();
    for (_, t) in &facts.type_refs {
        set.insert(t.name.split('.').next().unwrap_or(&t.name));
    }
    fn root_name(e: &Expr) -> Option<&str> {
        match e {
            Expr::Name(n) => Some(n),
            Expr::Field(inner, _) => root_name(inner),
            Expr::Call(Some(inner), _, _) => root_name(inner),
            _ => None,
        }
    }
    for f in &facts.functions {
        for c in &f.calls {
            if let Some(n) = c.receiver.as_ref().and_then(root_name) {
                set.insert(n);
            }
        }
        for l in &f.locals {
            if let Some(n) = l.init.as_ref().and_then(root_name) {
                set.insert(n);
            }
        }
        for a in &f.annotations {
            set.insert(a.name.split('.').next().unwrap_or(&a.name));
        }
    }
    for t in &facts.types {
        for a in &t.annotations {
            set.insert(a.name.split('.').next().unwrap_or(&a.name));
        }
    }
    set
}
