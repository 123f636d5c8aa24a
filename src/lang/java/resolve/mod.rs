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
//!
//! `index.rs` holds passes 1 and 2 and the name lookups, `calls.rs` the
//! receiver typing and call targets; this file runs pass 3 per file.

mod calls;
mod index;

use calls::CallTarget;

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
