//! The C# frontend: tree-sitter-c-sharp plus the queries in `grammars/csharp/`.
//!
//! Built like the Java frontend: the queries say *what* to find, this file
//! assembles the captures into [`FileFacts`] by byte-range containment, and
//! expressions are read into the small [`Expr`] shape by a bounded reader.
//! What the shared model has no slot for (usings with their kinds and
//! aliases, each type's namespace, `partial`, extension methods, `Name.X`
//! mentions that may name a type, Entity Framework mappings, attribute and
//! minimal-API routes) goes to [`CsFacts`].
//!
//! Preprocessor regions: tree-sitter-c-sharp parses the code of every
//! `#if`/`#elif`/`#else` branch, so both branches are read; the syntax
//! errors a region may cause are counted in one diagnostic, never fatal.

pub mod plan;
pub mod project;
pub mod resolve;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, Parser, Query, QueryCursor};

use super::lines::{count_code_lines, C_LIKE};
use super::looks_like_sql;
use super::{
    Annotation, Call, CallKind, Diagnostic, Expr, Field, FileFacts, Frontend, Function,
    FunctionKind, Language, Local, StringLit, SuperKind, TypeDecl, TypeKind, TypeRef,
};

/// The query sources, embedded so the binary carries its language knowledge.
pub const QUERIES: [(&str, &str); 3] = [
    (
        "definitions.scm",
        include_str!("../../../grammars/csharp/definitions.scm"),
    ),
    (
        "references.scm",
        include_str!("../../../grammars/csharp/references.scm"),
    ),
    (
        "complexity.scm",
        include_str!("../../../grammars/csharp/complexity.scm"),
    ),
];

/// Deeper expressions than this are not worth typing; the limit also bounds
/// recursion on generated code with absurd nesting.
const MAX_EXPR_DEPTH: usize = 48;

/// The name of the pseudo-function that holds top-level statements.
pub const TOP_LEVEL: &str = "<Main>";

/// C#-only facts of one file.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CsFacts {
    pub usings: Vec<Using>,
    /// Per type (indexed like `FileFacts::types`): its namespace, `""` for
    /// the global one.
    pub type_namespaces: Vec<String>,
    /// Per type: declared `partial` (its other parts may live in other files).
    pub partial: Vec<bool>,
    /// Per type: `struct`, `delegate` or `record struct` (kinds the shared
    /// [`TypeKind`] folds into class).
    pub kinds: Vec<CsKind>,
    /// Functions whose first parameter is `this T`: extension methods on T.
    pub extension_methods: Vec<u32>,
    /// `Name.Member` with `Name` a simple name: a type when no variable,
    /// parameter, field or property of that name is in scope.
    pub static_refs: Vec<StaticRef>,
    /// Every namespace the file declares, in order.
    pub namespaces: Vec<String>,
    /// Entity Framework mappings stated in this file.
    pub mappings: Vec<Mapping>,
    /// Inbound routes: attribute routes, minimal APIs, WCF operations.
    pub routes: Vec<CsRoute>,
    /// Reads and writes through a `DbSet` member: `_db.Orders.Add(o)`.
    pub set_accesses: Vec<SetAccess>,
    /// The file marks tests (xUnit, NUnit, MSTest attributes).
    pub test_attributes: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CsKind {
    Class,
    Struct,
    Interface,
    Enum,
    Record,
    Delegate,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Using {
    pub kind: UsingKind,
    /// The namespace or type named, dotted, `global::` removed.
    pub target: String,
    /// `using A = B.C;`: `A`.
    pub alias: Option<String>,
    /// `global using`: in force in every file of the project.
    pub global: bool,
    /// The namespace block the directive sits in (`""` at the top).
    pub scope: String,
    pub line: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum UsingKind {
    /// `using A.B;`
    Namespace,
    /// `using static A.B.C;`
    Static,
    /// `using X = A.B;` (a namespace or a type).
    Alias,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StaticRef {
    pub owner: Option<u32>,
    pub function: Option<u32>,
    pub name: String,
    pub line: u32,
}

/// How an entity type is mapped to a table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MappingKind {
    /// `DbSet<T> Name` on a context: T is an entity, table `Name` by default.
    Set { property: String },
    /// `[Table("x")]` on the entity type itself (`type_index`).
    Attribute,
    /// `.ToTable("x")` on `Entity<T>()`, or inside a configuration of T.
    ToTable,
    /// `IEntityTypeConfiguration<T>` / `EntityTypeConfiguration<T>`.
    Configuration,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Mapping {
    pub kind: MappingKind,
    /// The entity type as written (`None`: the declaring type itself).
    pub entity: Option<TypeRef>,
    /// The innermost type declaration it sits in.
    pub owner: Option<u32>,
    pub table: Option<String>,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CsRoute {
    pub method: String,
    pub path: String,
    /// The handler: index into `FileFacts::functions`.
    pub function: u32,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SetAccess {
    pub function: u32,
    /// The receiver of the `DbSet` member: `_db` in `_db.Orders.Add(o)`.
    pub context: Expr,
    /// The member: `Orders`.
    pub set: String,
    pub method: String,
    pub line: u32,
}

pub struct CSharpFrontend;

fn ts_language() -> tree_sitter::Language {
    tree_sitter_c_sharp::LANGUAGE.into()
}

/// The compiled query, built once per process.
pub fn query() -> &'static Query {
    static QUERY: OnceLock<Query> = OnceLock::new();
    QUERY.get_or_init(|| {
        let source: String = QUERIES
            .iter()
            .map(|(_, q)| *q)
            .collect::<Vec<_>>()
            .join("\n");
        Query::new(&ts_language(), &source).expect("grammars/csharp/*.scm must compile")
    })
}

/// A bare tree-sitter parse, for the benchmark's floor.
pub fn bare_parse(source: &str) -> bool {
    PARSER
        .with(|p| p.borrow_mut().parse(source, None))
        .is_some()
}

/// What a capture name in `grammars/csharp/*.scm` means to the extractor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cap {
    NamespaceBlock,
    NamespaceFile,
    Using,
    Type(CsKind),
    Function(FunctionKind),
    Operator,
    Property,
    Indexer,
    Field,
    Global,
    TypeParam,
    Attribute,
    Local,
    LocalForeach,
    LocalCatch,
    LocalDecl,
    LocalLambda,
    CallInvoke,
    CallNew,
    CallCtor,
    TypeRef,
    TypeRefStatic,
    Str,
    Branch,
    Other,
}

impl Cap {
    fn from_name(name: &str) -> Cap {
        match name {
            "namespace.block" => Cap::NamespaceBlock,
            "namespace.file" => Cap::NamespaceFile,
            "using" => Cap::Using,
            "type.class" => Cap::Type(CsKind::Class),
            "type.struct" => Cap::Type(CsKind::Struct),
            "type.interface" => Cap::Type(CsKind::Interface),
            "type.enum" => Cap::Type(CsKind::Enum),
            "type.record" => Cap::Type(CsKind::Record),
            "type.delegate" => Cap::Type(CsKind::Delegate),
            "function.method" => Cap::Function(FunctionKind::Method),
            "function.constructor" => Cap::Function(FunctionKind::Constructor),
            "function.operator" => Cap::Operator,
            "property" => Cap::Property,
            "indexer" => Cap::Indexer,
            "field" => Cap::Field,
            "global" => Cap::Global,
            "type_param" => Cap::TypeParam,
            "attribute" => Cap::Attribute,
            "local" => Cap::Local,
            "local.foreach" => Cap::LocalForeach,
            "local.catch" => Cap::LocalCatch,
            "local.decl" => Cap::LocalDecl,
            "local.lambda" => Cap::LocalLambda,
            "call.invoke" => Cap::CallInvoke,
            "call.new" => Cap::CallNew,
            "call.ctor" => Cap::CallCtor,
            "type_ref" => Cap::TypeRef,
            "type_ref.static" => Cap::TypeRefStatic,
            "string" => Cap::Str,
            "branch" => Cap::Branch,
            _ => Cap::Other,
        }
    }
}

fn capture_kinds() -> &'static [Cap] {
    static KINDS: OnceLock<Vec<Cap>> = OnceLock::new();
    KINDS.get_or_init(|| {
        query()
            .capture_names()
            .iter()
            .map(|n| Cap::from_name(n))
            .collect()
    })
}

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new({
        let mut p = Parser::new();
        p.set_language(&ts_language()).expect("tree-sitter-c-sharp matches the tree-sitter ABI");
        p
    });
}

impl Frontend for CSharpFrontend {
    fn language(&self) -> Language {
        Language::CSharp
    }

    fn parse(&self, _path: &str, source: &str) -> FileFacts {
        // A byte-order mark is common in Visual Studio files.
        let source = source.strip_prefix('\u{feff}').unwrap_or(source);
        let tree = PARSER.with(|p| p.borrow_mut().parse(source, None));
        let mut facts = FileFacts {
            code_lines: count_code_lines(source, &C_LIKE),
            ..FileFacts::default()
        };
        let Some(tree) = tree else {
            facts.diagnostics.push(Diagnostic {
                line: None,
                message: "the parser gave up on this file; no facts extracted".into(),
            });
            return facts;
        };
        let root = tree.root_node();
        if root.has_error() {
            facts.diagnostics.push(super::syntax_diagnostic(root, ""));
        }
        let mut facts = Extractor::new(source.as_bytes(), facts).run(root);
        plan::file_facts(&mut facts);
        facts
    }
}

/// Whether parsed facts mark test code: test attributes on a method.
pub fn marks_tests(facts: &FileFacts) -> bool {
    facts.csharp.as_ref().is_some_and(|c| c.test_attributes)
}

#[derive(Clone, Copy)]
enum Container {
    Type(u32),
    Function(u32),
}

struct Extractor<'s> {
    src: &'s [u8],
    facts: FileFacts,
    cs: CsFacts,
    /// Open containers: (end byte, node id, container).
    stack: Vec<(usize, usize, Container)>,
    /// Open block namespaces: (end byte, full name).
    namespaces: Vec<(usize, String)>,
    /// The file-scoped namespace, once declared.
    file_namespace: Option<String>,
    /// Per type, its lazily created initializer pseudo-function.
    initializers: Vec<Option<u32>>,
    /// The top-level statements' pseudo-function.
    top_level: Option<u32>,
    /// End of the last type mention taken whole.
    type_ref_until: usize,
    /// Per function: locals holding a minimal-API route group and its prefix.
    groups: HashMap<(u32, String), String>,
}

impl<'s> Extractor<'s> {
    fn new(src: &'s [u8], facts: FileFacts) -> Self {
        Extractor {
            src,
            facts,
            cs: CsFacts::default(),
            stack: Vec::new(),
            namespaces: Vec::new(),
            file_namespace: None,
            initializers: Vec::new(),
            top_level: None,
            type_ref_until: 0,
            groups: HashMap::new(),
        }
    }

    fn text(&self, node: Node) -> &'s str {
        node.utf8_text(self.src).unwrap_or("")
    }

    fn run(mut self, root: Node) -> FileFacts {
        let query = query();
        let kinds = capture_kinds();
        let mut captures: Vec<(usize, usize, Node, Cap)> = Vec::new();
        let mut cursor = QueryCursor::new();
        let mut it = cursor.matches(query, root, self.src);
        while let Some(m) = it.next() {
            for c in m.captures() {
                let kind = kinds[c.index as usize];
                captures.push((c.node.start_byte(), c.node.end_byte(), c.node, kind));
            }
        }
        // Containers before what they contain: by start, then longest first;
        // at one node, declarations before mentions (the capture order).
        captures
            .sort_by_key(|&(start, end, _, kind)| (start, std::cmp::Reverse(end), kind_rank(kind)));
        captures.dedup_by_key(|(_, _, n, kind)| (n.id(), *kind));

        for (start, _, node, kind) in captures {
            while self.stack.last().is_some_and(|(end, _, _)| *end <= start) {
                self.stack.pop();
            }
            while self.namespaces.last().is_some_and(|(end, _)| *end <= start) {
                self.namespaces.pop();
            }
            self.capture(node, kind);
        }
        let mut facts = self.facts;
        facts.namespace = self.cs.namespaces.first().cloned();
        facts.csharp = Some(Box::new(self.cs));
        facts
    }

    fn capture(&mut self, node: Node, kind: Cap) {
        match kind {
            Cap::NamespaceBlock => self.namespace(node, true),
            Cap::NamespaceFile => self.namespace(node, false),
            Cap::Using => self.using(node),
            Cap::Type(k) => self.type_decl(node, k),
            Cap::Function(k) => self.function(node, k),
            Cap::Operator => self.function(node, FunctionKind::Method),
            Cap::Property => self.property(node),
            Cap::Indexer => self.indexer(node),
            Cap::Field => self.field(node),
            Cap::Global => {
                self.top_level_function(node);
            }
            Cap::TypeParam => self.type_param(node),
            Cap::Attribute => self.attribute(node),
            Cap::Local => self.variable_declaration(node),
            Cap::LocalForeach => self.foreach(node),
            Cap::LocalCatch | Cap::LocalDecl => self.typed_local(node),
            Cap::LocalLambda => self.lambda(node),
            Cap::CallInvoke => self.invocation(node),
            Cap::CallNew => self.new_call(node),
            Cap::CallCtor => self.ctor_call(node),
            Cap::TypeRef => self.type_ref(node),
            Cap::TypeRefStatic => self.static_ref(node),
            Cap::Str => self.string(node),
            Cap::Branch => self.facts.complexity += 1,
            Cap::Other => {}
        }
    }

    fn line(node: Node) -> u32 {
        node.start_position().row as u32 + 1
    }

    fn span(node: Node) -> (u32, u32) {
        (Self::line(node), node.end_position().row as u32 + 1)
    }

    fn current_namespace(&self) -> String {
        match self.namespaces.last() {
            Some((_, n)) => n.clone(),
            None => self.file_namespace.clone().unwrap_or_default(),
        }
    }

    fn namespace(&mut self, node: Node, block: bool) {
        let Some(name) = node.child_by_field_name("name") else {
            return;
        };
        let name = strip_global(&strip_ws(self.text(name)));
        let outer = self.current_namespace();
        let full = if outer.is_empty() {
            name
        } else {
            format!("{outer}.{name}")
        };
        if !self.cs.namespaces.contains(&full) {
            self.cs.namespaces.push(full.clone());
        }
        if block {
            self.namespaces.push((node.end_byte(), full));
        } else {
            self.file_namespace = Some(full);
        }
    }

    fn using(&mut self, node: Node) {
        let mut global = false;
        let mut is_static = false;
        let mut cursor = node.walk();
        let mut target = None;
        for c in node.children(&mut cursor) {
            match c.kind() {
                "global" => global = true,
                "static" => is_static = true,
                "identifier" | "qualified_name" | "alias_qualified_name" | "generic_name" => {
                    target = Some(c)
                }
                _ => {}
            }
        }
        let alias = node
            .child_by_field_name("name")
            .map(|n| self.text(n).to_string());
        // An alias's target may be any type (`using X = A.B<C>;`).
        let target = match &alias {
            Some(a) => {
                let mut c2 = node.walk();
                let found = node
                    .named_children(&mut c2)
                    .filter(|c| self.text(*c) != a.as_str())
                    .last();
                found
            }
            None => target,
        };
        let Some(target) = target else { return };
        let target = self
            .type_of(target, 0)
            .map(|t| t.name)
            .unwrap_or_else(|| strip_global(&strip_ws(self.text(target))));
        let kind = if alias.is_some() {
            UsingKind::Alias
        } else if is_static {
            UsingKind::Static
        } else {
            UsingKind::Namespace
        };
        self.cs.usings.push(Using {
            kind,
            target,
            alias,
            global,
            scope: self.current_namespace(),
            line: Self::line(node),
        });
    }

    fn enclosing_type(&self) -> Option<u32> {
        self.stack.iter().rev().find_map(|(_, _, c)| match c {
            Container::Type(t) => Some(*t),
            Container::Function(f) => self.facts.functions[*f as usize].owner,
        })
    }

    fn new_function(
        &mut self,
        name: &str,
        owner: Option<u32>,
        kind: FunctionKind,
        lines: (u32, u32),
    ) -> u32 {
        let f = self.facts.functions.len() as u32;
        self.facts.functions.push(Function {
            name: name.into(),
            owner,
            kind,
            lines,
            params: Vec::new(),
            returns: None,
            locals: Vec::new(),
            calls: Vec::new(),
            annotations: Vec::new(),
            is_static: false,
            type_params: Vec::new(),
        });
        f
    }

    fn top_level_function(&mut self, node: Node) -> u32 {
        if let Some(f) = self.top_level {
            return f;
        }
        let f = self.new_function(TOP_LEVEL, None, FunctionKind::Method, Self::span(node));
        self.top_level = Some(f);
        f
    }

    /// The function that code at the current position belongs to: the
    /// innermost method, the initializer of the innermost type, or the
    /// top-level statements.
    fn current_function(&mut self) -> Option<u32> {
        match self.stack.last().map(|(_, _, c)| *c) {
            Some(Container::Function(f)) => Some(f),
            Some(Container::Type(t)) => {
                if let Some(f) = self.initializers[t as usize] {
                    return Some(f);
                }
                let lines = self.facts.types[t as usize].lines;
                let f = self.new_function("<init>", Some(t), FunctionKind::Initializer, lines);
                self.initializers[t as usize] = Some(f);
                Some(f)
            }
            None => self.top_level,
        }
    }

    fn type_decl(&mut self, node: Node, kind: CsKind) {
        let Some(name_node) = node.child_by_field_name("name") else {
            return;
        };
        let name = self.text(name_node).to_string();
        let parent = self.enclosing_type();
        let path = match parent {
            Some(p) => format!("{}.{}", self.facts.types[p as usize].path, name),
            None => name.clone(),
        };
        let mut supertypes = Vec::new();
        let mut type_params = Vec::new();
        let mut params = None;
        let mut is_struct = kind == CsKind::Struct;
        let mut cursor = node.walk();
        for c in node.children(&mut cursor) {
            match c.kind() {
                "base_list" => {
                    let mut c2 = c.walk();
                    for (i, t) in c.named_children(&mut c2).enumerate() {
                        let t = if t.kind() == "primary_constructor_base_type" {
                            match t.child_by_field_name("type") {
                                Some(inner) => inner,
                                None => continue,
                            }
                        } else {
                            t
                        };
                        if let Some(r) = self.type_of(t, 0) {
                            // C# does not say which base is the class; the
                            // first one of a class may be, the rest are
                            // interfaces. Resolution decides by kind.
                            let k = if i == 0 {
                                SuperKind::Extends
                            } else {
                                SuperKind::Implements
                            };
                            supertypes.push((k, r));
                        }
                    }
                }
                "type_parameter_list" => {
                    let mut c2 = c.walk();
                    for p in c.named_children(&mut c2) {
                        if let Some(n) = p.child_by_field_name("name") {
                            type_params.push(self.text(n).to_string());
                        }
                    }
                }
                "parameter_list" => params = Some(c),
                "struct" => is_struct = true,
                _ => {}
            }
        }
        let shared_kind = match kind {
            CsKind::Interface => TypeKind::Interface,
            CsKind::Enum => TypeKind::Enum,
            CsKind::Record => TypeKind::Record,
            _ => TypeKind::Class,
        };
        let idx = self.facts.types.len() as u32;
        self.facts.types.push(TypeDecl {
            name,
            path,
            kind: shared_kind,
            parent,
            lines: Self::span(node),
            supertypes,
            fields: Vec::new(),
            annotations: Vec::new(),
            type_params,
        });
        self.initializers.push(None);
        self.cs.type_namespaces.push(self.current_namespace());
        self.cs
            .partial
            .push(has_modifier(node, self.src, "partial"));
        self.cs.kinds.push(if is_struct && kind == CsKind::Record {
            CsKind::Struct
        } else {
            kind
        });
        if kind == CsKind::Delegate {
            // A delegate has no body: its signature's types are mentions.
            return;
        }
        self.stack
            .push((node.end_byte(), node.id(), Container::Type(idx)));
        // Positional record (or primary constructor) parameters are
        // properties of the type.
        if let Some(params) = params {
            let list = self.params(params);
            for (pname, ty) in &list {
                self.facts.types[idx as usize].fields.push(Field {
                    name: pname.clone(),
                    ty: ty.clone(),
                    line: ty.line,
                });
            }
            let f = self.new_function(
                "<init>",
                Some(idx),
                FunctionKind::Constructor,
                Self::span(params),
            );
            self.facts.functions[f as usize].params = list;
        }
    }

    fn function(&mut self, node: Node, kind: FunctionKind) {
        let owner = self.enclosing_type();
        let name = match kind {
            FunctionKind::Method => node
                .child_by_field_name("name")
                .map(|n| self.text(n).to_string())
                .unwrap_or_else(|| "operator".to_string()),
            _ => "<init>".to_string(),
        };
        let params = node
            .child_by_field_name("parameters")
            .map(|p| self.params(p))
            .unwrap_or_default();
        let returns = node
            .child_by_field_name("returns")
            .or_else(|| node.child_by_field_name("type"))
            .and_then(|t| self.type_of(t, 0));
        let is_static = has_modifier(node, self.src, "static");
        let mut type_params = Vec::new();
        if let Some(tp) = node.child_by_field_name("type_parameters") {
            let mut c = tp.walk();
            for p in tp.named_children(&mut c) {
                if let Some(n) = p.child_by_field_name("name") {
                    type_params.push(self.text(n).to_string());
                }
            }
        }
        let idx = self.new_function(&name, owner, kind, Self::span(node));
        let extension = is_static && first_param_is_this(node, self.src);
        let f = &mut self.facts.functions[idx as usize];
        f.params = params;
        f.returns = returns;
        f.is_static = is_static;
        f.type_params = type_params;
        if extension {
            self.cs.extension_methods.push(idx);
        }
        self.stack
            .push((node.end_byte(), node.id(), Container::Function(idx)));
        self.facts.complexity += 1;
    }

    fn params(&self, params: Node) -> Vec<(String, TypeRef)> {
        let mut out = Vec::new();
        let mut cursor = params.walk();
        for p in params.named_children(&mut cursor) {
            if p.kind() != "parameter" {
                continue;
            }
            let ty = p
                .child_by_field_name("type")
                .and_then(|t| self.type_of(t, 0));
            let name = p.child_by_field_name("name").map(|n| self.text(n));
            if let (Some(ty), Some(name)) = (ty, name) {
                out.push((name.to_string(), ty));
            }
        }
        out
    }

    /// A property or an event with accessors: a member with a type. A
    /// `DbSet<T>` property states an entity set.
    fn property(&mut self, node: Node) {
        let ty = node
            .child_by_field_name("type")
            .and_then(|t| self.type_of(t, 0));
        let name = node
            .child_by_field_name("name")
            .map(|n| self.text(n).to_string());
        let (Some(ty), Some(name)) = (ty, name) else {
            return;
        };
        if let Some(Container::Type(t)) = self.stack.last().map(|(_, _, c)| *c) {
            if plan::is_entity_set(&ty) {
                if let Some(entity) = ty.args.first() {
                    self.cs.mappings.push(Mapping {
                        kind: MappingKind::Set {
                            property: name.clone(),
                        },
                        entity: Some(entity.clone()),
                        owner: Some(t),
                        table: None,
                        line: Self::line(node),
                    });
                }
            }
            self.facts.types[t as usize].fields.push(Field {
                name,
                ty: ty.clone(),
                line: ty.line,
            });
        }
    }

    /// An indexer: a method named `this[]` for its calls and return type.
    fn indexer(&mut self, node: Node) {
        let owner = self.enclosing_type();
        let returns = node
            .child_by_field_name("type")
            .and_then(|t| self.type_of(t, 0));
        let params = node
            .child_by_field_name("parameters")
            .map(|p| self.params(p))
            .unwrap_or_default();
        let idx = self.new_function("this[]", owner, FunctionKind::Method, Self::span(node));
        self.facts.functions[idx as usize].params = params;
        self.facts.functions[idx as usize].returns = returns;
        self.stack
            .push((node.end_byte(), node.id(), Container::Function(idx)));
    }

    fn field(&mut self, node: Node) {
        let mut cursor = node.walk();
        let Some(decl) = node
            .named_children(&mut cursor)
            .find(|c| c.kind() == "variable_declaration")
        else {
            return;
        };
        let Some(ty) = decl
            .child_by_field_name("type")
            .and_then(|t| self.type_of(t, 0))
        else {
            return;
        };
        let is_const = has_modifier(node, self.src, "const");
        let Some(Container::Type(t)) = self.stack.last().map(|(_, _, c)| *c) else {
            return;
        };
        for d in declarators(decl) {
            let Some(name) = d.child_by_field_name("name") else {
                continue;
            };
            let name = self.text(name).to_string();
            if let Some(value) = declarator_value(d) {
                let stringy = ty.name == "string" || ty.name == "String";
                if (is_const || stringy) && value.kind().contains("string_literal") {
                    self.facts.constants.push(super::Constant {
                        owner: t,
                        name: name.clone(),
                        value: self.text(value).to_string(),
                    });
                }
            }
            self.facts.types[t as usize].fields.push(Field {
                name,
                ty: ty.clone(),
                line: ty.line,
            });
        }
    }

    fn type_param(&mut self, node: Node) {
        // Type and method type parameters were read with their declaration;
        // those of local functions shadow names for the enclosing method.
        let name = self.text(node).to_string();
        if let Some(Container::Function(f)) = self.stack.last().map(|(_, _, c)| *c) {
            let tps = &mut self.facts.functions[f as usize].type_params;
            if !tps.contains(&name) {
                tps.push(name);
            }
        }
    }

    fn attribute(&mut self, node: Node) {
        let Some(name) = node.child_by_field_name("name") else {
            return;
        };
        let name = strip_ws(self.text(name));
        let name = name.strip_suffix("Attribute").unwrap_or(&name).to_string();
        let mut args = Vec::new();
        let mut cursor = node.walk();
        if let Some(list) = node
            .named_children(&mut cursor)
            .find(|c| c.kind() == "attribute_argument_list")
        {
            let mut c2 = list.walk();
            for arg in list.named_children(&mut c2) {
                if arg.kind() != "attribute_argument" {
                    continue;
                }
                let key = arg
                    .child_by_field_name("name")
                    .map(|k| self.text(k).to_string());
                let mut c3 = arg.walk();
                let value = arg
                    .named_children(&mut c3)
                    .filter(|c| Some(c.id()) != arg.child_by_field_name("name").map(|n| n.id()))
                    .last();
                let Some(value) = value else { continue };
                args.push((
                    key.unwrap_or_else(|| "value".to_string()),
                    self.value_text(value),
                ));
            }
        }
        let annotation = Annotation {
            name,
            args,
            line: Self::line(node),
        };
        if plan::is_test_attribute(annotation.simple_name()) {
            self.cs.test_attributes = true;
        }
        // Kept only on the declaration it decorates (a type or a method),
        // which is then the innermost container.
        let decl = node.parent().and_then(|l| l.parent());
        let Some((_, id, container)) = self.stack.last().copied() else {
            return;
        };
        if decl.map(|d| d.id()) != Some(id) {
            return;
        }
        match container {
            Container::Type(t) => self.facts.types[t as usize].annotations.push(annotation),
            Container::Function(f) => self.facts.functions[f as usize]
                .annotations
                .push(annotation),
        }
    }

    /// An attribute or call argument: string literals unquoted, anything
    /// else as written.
    fn value_text(&self, node: Node) -> String {
        match string_value(node, self.src) {
            Some(s) => s,
            None => strip_ws(self.text(node)),
        }
    }

    fn push_local(&mut self, local: Local) {
        if let Some(f) = self.current_function() {
            self.facts.functions[f as usize].locals.push(local);
        }
    }

    fn variable_declaration(&mut self, node: Node) {
        let ty = node
            .child_by_field_name("type")
            .filter(|t| t.kind() != "implicit_type")
            .and_then(|t| self.type_of(t, 0));
        for d in declarators(node) {
            let Some(name) = d.child_by_field_name("name") else {
                continue;
            };
            let value = declarator_value(d);
            let init = value.map(|v| self.expr(v, 0));
            let name = self.text(name).to_string();
            if let (Some(v), Some(f)) = (value, self.current_function()) {
                if let Some(prefix) = self.group_prefix(v, f) {
                    self.groups.insert((f, name.clone()), prefix);
                }
            }
            self.push_local(Local {
                name,
                ty: ty.clone(),
                init,
                element_of_init: false,
                line: Self::line(d),
            });
        }
    }

    fn foreach(&mut self, node: Node) {
        let ty = node
            .child_by_field_name("type")
            .filter(|t| t.kind() != "implicit_type")
            .and_then(|t| self.type_of(t, 0));
        let Some(left) = node.child_by_field_name("left") else {
            return;
        };
        if left.kind() != "identifier" {
            return;
        }
        let init = node.child_by_field_name("right").map(|v| self.expr(v, 0));
        let local = Local {
            name: self.text(left).to_string(),
            ty,
            element_of_init: init.is_some(),
            init,
            line: Self::line(node),
        };
        self.push_local(local);
    }

    /// `catch (T e)`, `out T x`, `is T x`.
    fn typed_local(&mut self, node: Node) {
        let ty = node
            .child_by_field_name("type")
            .filter(|t| t.kind() != "implicit_type")
            .and_then(|t| self.type_of(t, 0));
        let Some(name) = node.child_by_field_name("name") else {
            return;
        };
        let local = Local {
            name: self.text(name).to_string(),
            ty,
            init: None,
            element_of_init: false,
            line: Self::line(node),
        };
        self.push_local(local);
    }

    /// Lambda parameters. An untyped one of a lambda passed to a method of
    /// a receiver (`lines.Sum(l => l.Qty)`, LINQ) takes the receiver's
    /// element type; typed ones their type.
    fn lambda(&mut self, node: Node) {
        let line = Self::line(node);
        let Some(params) = node.child_by_field_name("parameters") else {
            return;
        };
        // The receiver of the call this lambda is an argument of.
        let receiver = node
            .parent()
            .filter(|p| p.kind() == "argument")
            .and_then(|a| a.parent())
            .and_then(|l| l.parent())
            .filter(|i| i.kind() == "invocation_expression")
            .and_then(|i| i.child_by_field_name("function"))
            .filter(|f| f.kind() == "member_access_expression")
            .and_then(|f| f.child_by_field_name("expression"))
            .map(|r| self.expr(r, 0));
        let mut locals = Vec::new();
        if params.kind() == "implicit_parameter" {
            locals.push((self.text(params).to_string(), None));
        } else {
            let mut c = params.walk();
            for p in params.named_children(&mut c) {
                if p.kind() != "parameter" {
                    continue;
                }
                let Some(name) = p.child_by_field_name("name") else {
                    continue;
                };
                let ty = p
                    .child_by_field_name("type")
                    .and_then(|t| self.type_of(t, 0));
                locals.push((self.text(name).to_string(), ty));
            }
        }
        let single = locals.len() == 1;
        for (name, ty) in locals {
            let element = ty.is_none() && single && receiver.is_some();
            self.push_local(Local {
                name,
                ty,
                init: if element { receiver.clone() } else { None },
                element_of_init: element,
                line,
            });
        }
    }

    fn push_call(&mut self, call: Call) {
        if let Some(f) = self.current_function() {
            self.facts.functions[f as usize].calls.push(call);
        }
    }

    fn invocation(&mut self, node: Node) {
        let Some(function) = node.child_by_field_name("function") else {
            return;
        };
        let args = arg_count(node);
        let (receiver, name, name_node) = match function.kind() {
            "identifier" => (None, self.text(function).to_string(), Some(function)),
            "generic_name" => (None, generic_base(function, self.src), Some(function)),
            "member_access_expression" => {
                let Some(n) = function.child_by_field_name("name") else {
                    return;
                };
                let name = if n.kind() == "generic_name" {
                    generic_base(n, self.src)
                } else {
                    self.text(n).to_string()
                };
                let recv = function
                    .child_by_field_name("expression")
                    .map(|e| self.expr(e, 0))
                    .unwrap_or(Expr::Unknown);
                (Some(recv), name, Some(n))
            }
            "conditional_access_expression" => {
                // `x?.M()`: the receiver is the condition.
                let recv = function
                    .child_by_field_name("condition")
                    .map(|e| self.expr(e, 0))
                    .unwrap_or(Expr::Unknown);
                let mut c = function.walk();
                let binding = function
                    .named_children(&mut c)
                    .find(|b| b.kind() == "member_binding_expression");
                let Some(n) = binding.and_then(|b| b.child_by_field_name("name")) else {
                    return;
                };
                let name = if n.kind() == "generic_name" {
                    generic_base(n, self.src)
                } else {
                    self.text(n).to_string()
                };
                (Some(recv), name, Some(n))
            }
            _ => return,
        };
        let _ = name_node;
        let line = Self::line(node);
        let Some(f) = self.current_function() else {
            return;
        };
        self.framework_call(node, function, f, &name, receiver.as_ref(), line);
        self.facts.functions[f as usize].calls.push(Call {
            receiver,
            name,
            kind: CallKind::Method,
            args,
            line,
            ty: None,
        });
    }

    /// What a call means to the frameworks: a minimal-API route, a
    /// `ToTable` mapping, a `DbSet` access, a transaction.
    fn framework_call(
        &mut self,
        node: Node,
        function: Node,
        f: u32,
        name: &str,
        receiver: Option<&Expr>,
        line: u32,
    ) {
        if let Some(method) = plan::route_call(name) {
            let path = first_string_arg(node, self.src).unwrap_or_default();
            let prefix = function
                .child_by_field_name("expression")
                .and_then(|r| self.group_prefix(r, f))
                .unwrap_or_default();
            self.cs.routes.push(CsRoute {
                method: method.to_string(),
                path: super::plan_facts::join_path(&prefix, &path),
                function: f,
                line,
            });
        }
        if plan::is_to_table(name) {
            let table = first_string_arg(node, self.src);
            // `Entity<T>().ToTable(..)`: T; otherwise the configured type.
            let entity = function
                .child_by_field_name("expression")
                .filter(|r| r.kind() == "invocation_expression")
                .and_then(|r| r.child_by_field_name("function"))
                .and_then(|g| {
                    let g = if g.kind() == "member_access_expression" {
                        g.child_by_field_name("name")?
                    } else {
                        g
                    };
                    (g.kind() == "generic_name").then_some(g)
                })
                .and_then(|g| self.type_of(g, 0))
                .and_then(|t| t.args.into_iter().next());
            self.cs.mappings.push(Mapping {
                kind: MappingKind::ToTable,
                entity,
                owner: self.enclosing_type(),
                table,
                line,
            });
        }
        if plan::opens_transaction_call(name) {
            self.open_tx(f, line);
        }
        // `ctx.Set.Method(..)`: a candidate access through an entity set.
        if let Some(Expr::Field(ctx, set)) = receiver {
            self.cs.set_accesses.push(SetAccess {
                function: f,
                context: (**ctx).clone(),
                set: set.clone(),
                method: name.to_string(),
                line,
            });
        }
        if let Some(Expr::Name(set)) = receiver.filter(
            |r| matches!(r, Expr::Name(n) if n.starts_with(|c: char| c.is_ascii_uppercase())),
        ) {
            self.cs.set_accesses.push(SetAccess {
                function: f,
                context: Expr::This,
                set: set.clone(),
                method: name.to_string(),
                line,
            });
        }
    }

    fn open_tx(&mut self, f: u32, line: u32) {
        if self.facts.functions[f as usize].kind == FunctionKind::Method
            && !self.facts.tx_scopes.iter().any(|t| t.function == f)
        {
            self.facts
                .tx_scopes
                .push(super::TxScope { function: f, line });
        }
    }

    /// The route prefix of a minimal-API group expression: `app.MapGroup("/x")`
    /// (nested groups joined), or a local that holds one.
    fn group_prefix(&self, node: Node, f: u32) -> Option<String> {
        match node.kind() {
            "identifier" => self.groups.get(&(f, self.text(node).to_string())).cloned(),
            "invocation_expression" => {
                let function = node.child_by_field_name("function")?;
                if function.kind() != "member_access_expression" {
                    return None;
                }
                let name = function.child_by_field_name("name")?;
                if !plan::is_route_group(self.text(name)) {
                    return None;
                }
                let inner = function
                    .child_by_field_name("expression")
                    .and_then(|r| self.group_prefix(r, f))
                    .unwrap_or_default();
                let own = first_string_arg(node, self.src).unwrap_or_default();
                Some(super::plan_facts::join_path(&inner, &own))
            }
            _ => None,
        }
    }

    fn new_call(&mut self, node: Node) {
        let ty = node
            .child_by_field_name("type")
            .and_then(|t| self.type_of(t, 0));
        let line = Self::line(node);
        let Some(f) = self.current_function() else {
            return;
        };
        if let Some(t) = &ty {
            let simple = t.name.rsplit('.').next().unwrap_or(&t.name);
            if plan::opens_transaction_call(simple) {
                self.open_tx(f, line);
            }
        }
        let call = Call {
            receiver: None,
            name: "<init>".into(),
            kind: CallKind::New,
            args: arg_count(node),
            line,
            ty,
        };
        self.facts.functions[f as usize].calls.push(call);
    }

    /// `: base(..)` calls the base class's constructor; `: this(..)` one of
    /// the same type.
    fn ctor_call(&mut self, node: Node) {
        let mut cursor = node.walk();
        let is_base = node.children(&mut cursor).any(|c| c.kind() == "base");
        let call = Call {
            receiver: Some(if is_base { Expr::Super } else { Expr::This }),
            name: "<init>".into(),
            kind: CallKind::SuperConstructor,
            args: 0,
            line: Self::line(node),
            ty: None,
        };
        if is_base {
            self.push_call(call);
        }
    }

    fn type_ref(&mut self, node: Node) {
        // Parts of a mention taken whole are covered by it.
        if node.start_byte() < self.type_ref_until {
            return;
        }
        if node.kind() == "argument_list" || node.kind() == "implicit_type" {
            return;
        }
        self.type_ref_until = node.end_byte();
        if let Some(r) = self.type_of(node, 0) {
            // Keywords name no repository type (their arguments may).
            if r.args.is_empty() && (r.name == "var" || is_predefined(&r.name)) {
                return;
            }
            let owner = self.enclosing_type();
            self.facts.type_refs.push((owner, r));
        }
    }

    fn static_ref(&mut self, node: Node) {
        let name = self.text(node);
        if !name.starts_with(|c: char| c.is_ascii_uppercase()) {
            return;
        }
        let owner = self.enclosing_type();
        let function = match self.stack.last().map(|(_, _, c)| *c) {
            Some(Container::Function(f)) => Some(f),
            _ => None,
        };
        self.cs.static_refs.push(StaticRef {
            owner,
            function,
            name: name.to_string(),
            line: Self::line(node),
        });
    }

    fn string(&mut self, node: Node) {
        let Some(text) = string_value(node, self.src) else {
            return;
        };
        if looks_like_sql(&text) {
            let function = self.current_function();
            self.facts.sql.push(StringLit {
                text,
                line: Self::line(node),
                function,
            });
        }
    }

    /// Reads a type node into a [`TypeRef`].
    fn type_of(&self, node: Node, depth: usize) -> Option<TypeRef> {
        if depth > MAX_EXPR_DEPTH {
            return None;
        }
        let line = Self::line(node);
        let plain = |name: String| TypeRef {
            name,
            args: Vec::new(),
            array_dims: 0,
            line,
        };
        match node.kind() {
            "identifier" | "predefined_type" => Some(plain(self.text(node).to_string())),
            "qualified_name" | "alias_qualified_name" => {
                let mut parts = Vec::new();
                let mut args = Vec::new();
                self.collect_qualified(node, &mut parts, &mut args, depth);
                Some(TypeRef {
                    name: parts.join("."),
                    args,
                    array_dims: 0,
                    line,
                })
            }
            "generic_name" => {
                let mut cursor = node.walk();
                let mut name = None;
                let mut args = Vec::new();
                for c in node.named_children(&mut cursor) {
                    match c.kind() {
                        "identifier" => name = Some(self.text(c).to_string()),
                        "type_argument_list" => {
                            let mut c2 = c.walk();
                            for a in c.named_children(&mut c2) {
                                if let Some(t) = self.type_of(a, depth + 1) {
                                    args.push(t);
                                }
                            }
                        }
                        _ => {}
                    }
                }
                name.map(|n| TypeRef {
                    name: n,
                    args,
                    array_dims: 0,
                    line,
                })
            }
            "array_type" => {
                let inner = node.child_by_field_name("type")?;
                let mut t = self.type_of(inner, depth + 1)?;
                t.array_dims = t.array_dims.saturating_add(1);
                Some(t)
            }
            "nullable_type" | "ref_type" | "scoped_type" | "pointer_type" => {
                let inner = node.child_by_field_name("type").or_else(|| {
                    let mut c = node.walk();
                    let first = node.named_children(&mut c).next();
                    first
                })?;
                self.type_of(inner, depth + 1)
            }
            "tuple_type" => {
                let mut cursor = node.walk();
                let args = node
                    .named_children(&mut cursor)
                    .filter_map(|e| e.child_by_field_name("type"))
                    .filter_map(|t| self.type_of(t, depth + 1))
                    .collect();
                Some(TypeRef {
                    name: "ValueTuple".into(),
                    args,
                    array_dims: 0,
                    line,
                })
            }
            _ => None,
        }
    }

    fn collect_qualified(
        &self,
        node: Node,
        parts: &mut Vec<String>,
        args: &mut Vec<TypeRef>,
        depth: usize,
    ) {
        match node.kind() {
            "identifier" => parts.push(self.text(node).to_string()),
            "generic_name" => {
                if let Some(t) = self.type_of(node, depth + 1) {
                    parts.push(t.name);
                    *args = t.args;
                }
            }
            "qualified_name" => {
                if let Some(q) = node.child_by_field_name("qualifier") {
                    self.collect_qualified(q, parts, args, depth + 1);
                }
                if let Some(n) = node.child_by_field_name("name") {
                    self.collect_qualified(n, parts, args, depth + 1);
                }
            }
            "alias_qualified_name" => {
                // `global::A.B`: the alias `global` is the root namespace.
                if let Some(a) = node.child_by_field_name("alias") {
                    let alias = self.text(a);
                    if alias != "global" {
                        parts.push(alias.to_string());
                    }
                }
                if let Some(n) = node.child_by_field_name("name") {
                    self.collect_qualified(n, parts, args, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// Reads an expression into the [`Expr`] shape used to type receivers.
    fn expr(&self, node: Node, depth: usize) -> Expr {
        if depth > MAX_EXPR_DEPTH {
            return Expr::Unknown;
        }
        match node.kind() {
            "identifier" => Expr::Name(self.text(node).to_string()),
            "this" | "this_expression" => Expr::This,
            "base" | "base_expression" => Expr::Super,
            "string_literal"
            | "verbatim_string_literal"
            | "raw_string_literal"
            | "interpolated_string_expression" => Expr::StringLit,
            "predefined_type" => Expr::Name(self.text(node).to_string()),
            "generic_name" => Expr::Name(generic_base(node, self.src)),
            "member_access_expression" => {
                let object = node.child_by_field_name("expression");
                let name = node.child_by_field_name("name");
                match (object, name) {
                    (Some(o), Some(n)) => {
                        let n = if n.kind() == "generic_name" {
                            generic_base(n, self.src)
                        } else {
                            self.text(n).to_string()
                        };
                        Expr::Field(Box::new(self.expr(o, depth + 1)), n)
                    }
                    _ => Expr::Unknown,
                }
            }
            "qualified_name" => {
                let q = node.child_by_field_name("qualifier");
                let n = node.child_by_field_name("name");
                match (q, n) {
                    (Some(q), Some(n)) => {
                        Expr::Field(Box::new(self.expr(q, depth + 1)), self.text(n).to_string())
                    }
                    _ => Expr::Unknown,
                }
            }
            "invocation_expression" => {
                let Some(function) = node.child_by_field_name("function") else {
                    return Expr::Unknown;
                };
                let args = arg_count(node);
                match function.kind() {
                    "identifier" => Expr::Call(None, self.text(function).to_string(), args),
                    "generic_name" => Expr::Call(None, generic_base(function, self.src), args),
                    "member_access_expression" => {
                        let recv = function
                            .child_by_field_name("expression")
                            .map(|e| Box::new(self.expr(e, depth + 1)));
                        let name = function
                            .child_by_field_name("name")
                            .map(|n| {
                                if n.kind() == "generic_name" {
                                    generic_base(n, self.src)
                                } else {
                                    self.text(n).to_string()
                                }
                            })
                            .unwrap_or_default();
                        Expr::Call(recv, name, args)
                    }
                    _ => Expr::Unknown,
                }
            }
            "object_creation_expression" => node
                .child_by_field_name("type")
                .and_then(|t| self.type_of(t, depth + 1))
                .map(Expr::New)
                .unwrap_or(Expr::Unknown),
            "cast_expression" => node
                .child_by_field_name("type")
                .and_then(|t| self.type_of(t, depth + 1))
                .map(Expr::Cast)
                .unwrap_or(Expr::Unknown),
            "as_expression" => node
                .child_by_field_name("right")
                .and_then(|t| self.type_of(t, depth + 1))
                .map(Expr::Cast)
                .unwrap_or(Expr::Unknown),
            // `await t`, `x!`, `(x)`: the inner expression's type (a
            // `Task<T>` is unwrapped by resolution).
            "await_expression" | "postfix_unary_expression" | "parenthesized_expression" => {
                let mut cursor = node.walk();
                let inner = node.named_children(&mut cursor).next();
                inner
                    .map(|i| self.expr(i, depth + 1))
                    .unwrap_or(Expr::Unknown)
            }
            // `a ?? b`: the type of `a`.
            "binary_expression" => {
                let op = node.child_by_field_name("operator").map(|o| self.text(o));
                match (op, node.child_by_field_name("left")) {
                    (Some("??"), Some(l)) => self.expr(l, depth + 1),
                    _ => Expr::Unknown,
                }
            }
            "conditional_access_expression" => {
                let cond = node.child_by_field_name("condition");
                let mut c = node.walk();
                let binding = node
                    .named_children(&mut c)
                    .find(|b| b.kind() == "member_binding_expression");
                match (cond, binding.and_then(|b| b.child_by_field_name("name"))) {
                    (Some(cond), Some(n)) => Expr::Field(
                        Box::new(self.expr(cond, depth + 1)),
                        self.text(n).to_string(),
                    ),
                    _ => Expr::Unknown,
                }
            }
            _ => Expr::Unknown,
        }
    }
}

/// Declarations at one start byte: the declaration before any mention.
fn kind_rank(kind: Cap) -> u8 {
    match kind {
        Cap::NamespaceBlock | Cap::NamespaceFile => 0,
        Cap::Type(_) => 1,
        Cap::Function(_) | Cap::Operator | Cap::Indexer | Cap::Global => 2,
        Cap::Property | Cap::Field => 3,
        _ => 4,
    }
}

/// C#'s value-type keywords (and `void`): never a type of the repository.
pub(crate) fn is_value_keyword(name: &str) -> bool {
    matches!(
        name,
        "bool"
            | "byte"
            | "sbyte"
            | "char"
            | "decimal"
            | "double"
            | "float"
            | "int"
            | "uint"
            | "nint"
            | "nuint"
            | "long"
            | "ulong"
            | "short"
            | "ushort"
            | "void"
    )
}

/// Every predefined type keyword.
fn is_predefined(name: &str) -> bool {
    is_value_keyword(name) || matches!(name, "object" | "string" | "dynamic")
}

/// The base identifier of a generic name: `Set` of `Set<Order>`.
fn generic_base(node: Node, src: &[u8]) -> String {
    let mut cursor = node.walk();
    let found = node
        .named_children(&mut cursor)
        .find(|c| c.kind() == "identifier")
        .map(|c| c.utf8_text(src).unwrap_or("").to_string())
        .unwrap_or_default();
    found
}

fn declarators(node: Node) -> Vec<Node> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|c| c.kind() == "variable_declarator")
        .collect()
}

/// The initializer of a declarator: its last named child that is not the
/// name.
fn declarator_value(d: Node) -> Option<Node> {
    let name = d.child_by_field_name("name").map(|n| n.id());
    let mut cursor = d.walk();
    let found = d
        .named_children(&mut cursor)
        .filter(|c| Some(c.id()) != name && c.kind() != "bracketed_argument_list")
        .last();
    found
}

fn arg_count(node: Node) -> u32 {
    node.child_by_field_name("arguments")
        .map(|a| {
            let mut cursor = a.walk();
            a.named_children(&mut cursor)
                .filter(|c| c.kind() == "argument")
                .count() as u32
        })
        .unwrap_or(0)
}

/// The first argument of a call, when it is a string literal.
fn first_string_arg(node: Node, src: &[u8]) -> Option<String> {
    let args = node.child_by_field_name("arguments")?;
    let mut cursor = args.walk();
    let first = args
        .named_children(&mut cursor)
        .find(|c| c.kind() == "argument")?;
    let mut c2 = first.walk();
    let value = first.named_children(&mut c2).last()?;
    string_value(value, src)
}

/// The text of a string literal (regular, verbatim or raw), unquoted;
/// `None` for other nodes. Escapes are left as written.
fn string_value(node: Node, src: &[u8]) -> Option<String> {
    let text = node.utf8_text(src).unwrap_or("");
    match node.kind() {
        "string_literal" => Some(
            text.strip_prefix('"')
                .and_then(|t| t.strip_suffix('"'))
                .unwrap_or(text)
                .to_string(),
        ),
        "verbatim_string_literal" => Some(
            text.strip_prefix("@\"")
                .and_then(|t| t.strip_suffix('"'))
                .unwrap_or(text)
                .replace("\"\"", "\""),
        ),
        "raw_string_literal" => Some(text.trim_matches('"').trim().to_string()),
        _ => None,
    }
}

fn has_modifier(node: Node, src: &[u8], word: &str) -> bool {
    let mut cursor = node.walk();
    let found = node
        .children(&mut cursor)
        .any(|c| c.kind() == "modifier" && c.utf8_text(src).is_ok_and(|t| t == word));
    found
}

/// Whether a method's first parameter carries the `this` modifier.
fn first_param_is_this(node: Node, src: &[u8]) -> bool {
    let Some(params) = node.child_by_field_name("parameters") else {
        return false;
    };
    let mut cursor = params.walk();
    let Some(first) = params
        .named_children(&mut cursor)
        .find(|p| p.kind() == "parameter")
    else {
        return false;
    };
    let mut c2 = first.walk();
    let found = first
        .children(&mut c2)
        .any(|c| c.kind() == "modifier" && c.utf8_text(src).is_ok_and(|t| t == "this"));
    found
}

fn strip_ws(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn strip_global(s: &str) -> String {
    s.strip_prefix("global::").unwrap_or(s).to_string()
}

#[cfg(test)]
mod tests;
