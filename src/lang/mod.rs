//! Language frontends: source text in, plain [`FileFacts`] out.
//!
//! A frontend knows one language's syntax and nothing else: it never reads
//! other files, never reads git, and never fails. A file it cannot fully
//! parse yields whatever could be read plus a [`Diagnostic`], because one bad
//! file in a five-million-line monolith must not cost the user the whole run.
//!
//! The facts are deliberately close to the source ("the receiver of this call
//! is the expression `repo.find(id)`"); turning names into files is the job of
//! [`crate::resolve`], which sees every file at once.

pub mod csharp;
pub mod java;
pub mod language;
mod lines;
pub mod plan_facts;
pub mod python;
pub mod rust;
pub mod typescript;

pub use language::Language;
pub use lines::count_code_lines;
pub use plan_facts::{RepositoryDecl, RouteDecl, TableAccess, TableDecl, TxScope};

use serde::Serialize;

/// One language's parser. Implementations are stateless and `Sync` so the
/// parse stage can run them on every worker thread.
pub trait Frontend: Sync {
    fn language(&self) -> Language;
    /// Parses one file. Never fails: syntax errors become diagnostics.
    fn parse(&self, path: &str, source: &str) -> FileFacts;
}

/// Returns the frontend for a language, if this build has one.
pub fn frontend(language: Language) -> Option<&'static dyn Frontend> {
    match language {
        Language::Java => Some(&java::JavaFrontend),
        Language::Python => Some(&python::PythonFrontend),
        Language::Rust => Some(&rust::RustFrontend),
        Language::CSharp => Some(&csharp::CSharpFrontend),
        Language::TypeScript => Some(&typescript::TypeScriptFrontend),
        Language::JavaScript => Some(&typescript::JavaScriptFrontend),
    }
}

/// One parsed file, as the resolver and the plan facts receive it.
#[derive(Debug)]
pub struct ParsedFile {
    pub id: String,
    pub language: Language,
    pub test: bool,
    pub facts: FileFacts,
}

/// Everything a frontend extracts from one file.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct FileFacts {
    /// Java package, Python module, Rust module path or the first C#
    /// namespace, when the file states it.
    pub namespace: Option<String>,
    pub imports: Vec<Import>,
    pub types: Vec<TypeDecl>,
    pub functions: Vec<Function>,
    /// Every type mentioned in the file (outermost references only), with the
    /// index of the innermost type declaration it appears in.
    pub type_refs: Vec<(Option<u32>, TypeRef)>,
    /// String literals that look like SQL, kept for the data analysis.
    pub sql: Vec<StringLit>,
    /// Model tables, routes, transaction scopes and repositories stated in
    /// language-neutral form (see [`plan_facts`]).
    pub tables: Vec<TableDecl>,
    pub routes: Vec<RouteDecl>,
    pub tx_scopes: Vec<TxScope>,
    pub repositories: Vec<RepositoryDecl>,
    /// Tables read or written through framework idioms other than SQL text
    /// (derived query names).
    pub table_accesses: Vec<TableAccess>,
    /// The file is generator output (a MyBatis Generator marker, a
    /// `@Generated` type): it carries data facts but never ranks as a
    /// service.
    pub generated: bool,
    /// Foreign keys the file states in code (Django migration operations,
    /// Alembic and SQLAlchemy Core tables), with this file as their source.
    pub foreign_keys: Vec<plan_facts::ForeignKey>,
    /// Fields initialised with a string expression (`SECTION_KEY = "/orders"`),
    /// so that mapping annotations built from constants can be evaluated.
    pub constants: Vec<Constant>,
    /// Python-only facts (relative imports, `from` names, `__all__`).
    pub python: Option<Box<python::PyFacts>>,
    /// Non-blank, non-comment lines.
    pub code_lines: u32,
    /// McCabe-style decision points plus one per function.
    pub complexity: u32,
    pub diagnostics: Vec<Diagnostic>,
    /// Rust-only facts (module declarations, `use` trees, impls, receiver
    /// facts); `None` for every other language.
    pub rust: Option<Box<rust::RustFacts>>,
    /// C#-only facts (usings, namespaces per type, partial types,
    /// extension methods, Entity Framework mappings, routes).
    #[serde(default)]
    pub csharp: Option<Box<csharp::CsFacts>>,
    /// TypeScript/JavaScript-only facts (imports and exports with their
    /// bindings, re-exports, CommonJS, routers and mounts).
    #[serde(default)]
    pub typescript: Option<Box<typescript::TsFacts>>,
}

/// A cheap filter for SQL in string literals; the data stage parses table
/// names out of what passes.
pub fn looks_like_sql(text: &str) -> bool {
    let upper = text.to_ascii_uppercase();
    let words: Vec<&str> = upper
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    (has("SELECT") && has("FROM"))
        || (has("INSERT") && has("INTO"))
        || (has("UPDATE") && has("SET"))
        || (has("DELETE") && has("FROM"))
}

impl FileFacts {
    /// `Type.method` (nested types dotted) of function `f`, or the bare
    /// name of a free function: how resolvers and the plan name symbols.
    pub fn symbol(&self, f: usize) -> String {
        let func = &self.functions[f];
        match func.owner {
            Some(o) => format!("{}.{}", self.types[o as usize].path, func.name),
            None => func.name.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Import {
    /// The imported path as written, dotted (`com.shop.orders.Order`).
    pub path: String,
    pub kind: ImportKind,
    pub line: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ImportKind {
    /// `import a.b.C;`
    Single,
    /// `import a.b.*;`
    Wildcard,
    /// `import static a.b.C.m;`
    Static,
    /// `import static a.b.C.*;`
    StaticWildcard,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TypeKind {
    Class,
    Interface,
    Enum,
    Record,
    Annotation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SuperKind {
    Extends,
    Implements,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TypeDecl {
    pub name: String,
    /// Dotted path inside the file: `Order.Builder` for a nested type.
    pub path: String,
    pub kind: TypeKind,
    /// Index of the enclosing type declaration, for nested types.
    pub parent: Option<u32>,
    pub lines: (u32, u32),
    pub supertypes: Vec<(SuperKind, TypeRef)>,
    pub fields: Vec<Field>,
    pub annotations: Vec<Annotation>,
    pub type_params: Vec<String>,
}

/// A field whose initializer is a string literal or a `+` concatenation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Constant {
    /// Index of the declaring type.
    pub owner: u32,
    pub name: String,
    /// The initializer as written, quotes included.
    pub value: String,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Field {
    pub name: String,
    pub ty: TypeRef,
    pub line: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FunctionKind {
    Method,
    Constructor,
    /// Field initializers and static blocks of a type, gathered into one
    /// pseudo-function so that their calls have a caller.
    Initializer,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Function {
    pub name: String,
    /// Index of the declaring type.
    pub owner: Option<u32>,
    pub kind: FunctionKind,
    pub lines: (u32, u32),
    pub params: Vec<(String, TypeRef)>,
    pub returns: Option<TypeRef>,
    pub locals: Vec<Local>,
    pub calls: Vec<Call>,
    pub annotations: Vec<Annotation>,
    pub is_static: bool,
    pub type_params: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Local {
    pub name: String,
    /// `None` for `var` and untyped lambda parameters.
    pub ty: Option<TypeRef>,
    pub init: Option<Expr>,
    /// The variable of an enhanced `for`: `init` is the collection, and the
    /// variable's type is its element type.
    pub element_of_init: bool,
    pub line: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CallKind {
    /// `x.m()`, `m()`, `T.m()`, `super.m()`.
    Method,
    /// `new T(..)`.
    New,
    /// `T::m`, `x::m`, `T::new`.
    MethodRef,
    /// `super(..)` in a constructor.
    SuperConstructor,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Call {
    /// The receiver expression; `None` for an unqualified call.
    pub receiver: Option<Expr>,
    /// Method name (`<init>` for constructors).
    pub name: String,
    pub kind: CallKind,
    pub args: u32,
    pub line: u32,
    /// For `new T(..)` and `T::new`, the constructed type.
    pub ty: Option<TypeRef>,
}

/// A type as written at a use site.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TypeRef {
    /// Dotted name as written, without type arguments (`Map.Entry`).
    pub name: String,
    pub args: Vec<TypeRef>,
    pub array_dims: u8,
    pub line: u32,
}

impl TypeRef {
    pub fn is_primitive(&self) -> bool {
        self.array_dims == 0
            && matches!(
                self.name.as_str(),
                "int"
                    | "long"
                    | "short"
                    | "byte"
                    | "char"
                    | "boolean"
                    | "float"
                    | "double"
                    | "void"
            )
    }
}

/// The shape of an expression, as far as resolution needs it to type a
/// call's receiver. Anything else is [`Expr::Unknown`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Expr {
    Name(String),
    Field(Box<Expr>, String),
    Call(Option<Box<Expr>>, String, u32),
    New(TypeRef),
    Cast(TypeRef),
    This,
    Super,
    StringLit,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Annotation {
    /// Name as written (`Table`, `javax.persistence.Table`).
    pub name: String,
    /// `(key, value)`; the key of a single unnamed argument is `value`.
    /// String literal values are unquoted; other values are kept as source text.
    pub args: Vec<(String, String)>,
    pub line: u32,
}

impl Annotation {
    /// The last segment of the name: `Table` for `javax.persistence.Table`.
    pub fn simple_name(&self) -> &str {
        self.name.rsplit('.').next().unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct StringLit {
    pub text: String,
    pub line: u32,
    /// Index of the function it appears in.
    pub function: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub line: Option<u32>,
    pub message: String,
}

/// The diagnostic of a tree-sitter tree with errors: the first error's line
/// and the number of error and missing nodes, then `note` (a frontend's
/// hint, or `""`). Shared by the tree-sitter frontends (Java, Python, C#).
pub(crate) fn syntax_diagnostic(root: tree_sitter::Node, note: &str) -> Diagnostic {
    let mut first: Option<u32> = None;
    let mut count = 0u32;
    let mut cursor = root.walk();
    // An explicit stack walk: error subtrees can be deep.
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.is_error() || node.is_missing() {
            count += 1;
            let line = node.start_position().row as u32 + 1;
            first = Some(first.map_or(line, |f| f.min(line)));
            continue;
        }
        if node.has_error() {
            stack.extend(node.children(&mut cursor));
        }
    }
    Diagnostic {
        line: first,
        message: format!(
            "syntax error{} ({} error node{}){note}; facts from this file may be partial",
            first.map(|l| format!(" at line {l}")).unwrap_or_default(),
            count,
            if count == 1 { "" } else { "s" },
        ),
    }
}
