//! The TypeScript and JavaScript frontend: tree-sitter-typescript
//! (`typescript` and `tsx`) and tree-sitter-javascript, with the queries in
//! `grammars/typescript/` and `grammars/javascript/`.
//!
//! One extractor serves both languages: the queries say *what* to find and
//! use the same capture names, and this file assembles the captures, in
//! document order, into [`FileFacts`]. A stack of open scopes (classes,
//! functions) says which declaration a capture belongs to. Top-level code
//! (Express wiring, CommonJS exports) belongs to a pseudo-function
//! [`MODULE`]; field initialisers to a class's [`FIELDS`].
//!
//! Module structure (imports, re-exports, `require`, `module.exports`) goes
//! to [`TsFacts`]; `resolve.rs` turns specifiers into files (docs/typescript.md).

pub mod facts;
pub mod plan;
pub mod project;
pub mod resolve;

use std::cell::RefCell;
use std::sync::OnceLock;

use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, Parser, Query, QueryCursor};

pub use facts::{Binding, Mount, MountTarget, Router, TsExport, TsFacts, TsImport, TsImportKind};

use super::lines::{count_code_lines, C_LIKE};
use super::looks_like_sql;
use super::plan_facts::{join_path, RepositoryDecl, RouteDecl, TableAccess, TableDecl, TxScope};
use super::{
    Annotation, Call, CallKind, Diagnostic, Expr, Field, FileFacts, Frontend, Function,
    FunctionKind, Language, Local, StringLit, SuperKind, TypeDecl, TypeKind, TypeRef,
};
use crate::frameworks::{self, Fact, Method, Naming, Syntax};

/// The query sources of TypeScript (both grammars).
pub const TS_QUERIES: [(&str, &str); 3] = [
    (
        "definitions.scm",
        include_str!("../../../grammars/typescript/definitions.scm"),
    ),
    (
        "references.scm",
        include_str!("../../../grammars/typescript/references.scm"),
    ),
    (
        "complexity.scm",
        include_str!("../../../grammars/typescript/complexity.scm"),
    ),
];

/// The query sources of JavaScript.
pub const JS_QUERIES: [(&str, &str); 3] = [
    (
        "definitions.scm",
        include_str!("../../../grammars/javascript/definitions.scm"),
    ),
    (
        "references.scm",
        include_str!("../../../grammars/javascript/references.scm"),
    ),
    (
        "complexity.scm",
        include_str!("../../../grammars/javascript/complexity.scm"),
    ),
];

/// The pseudo-function holding a file's top-level code.
pub const MODULE: &str = "<module>";
/// The pseudo-function holding a class's field initialisers.
pub const FIELDS: &str = "<fields>";

/// Deeper expressions than this are not worth typing; the bound also stops
/// recursion on generated code.
const MAX_EXPR_DEPTH: usize = 48;

/// The three grammars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    TypeScript,
    Tsx,
    JavaScript,
}

impl Dialect {
    /// The grammar for a file id, by extension.
    pub fn of(path: &str) -> Dialect {
        let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
        match ext {
            "tsx" => Dialect::Tsx,
            "ts" | "mts" | "cts" => Dialect::TypeScript,
            _ => Dialect::JavaScript,
        }
    }

    fn index(self) -> usize {
        match self {
            Dialect::TypeScript => 0,
            Dialect::Tsx => 1,
            Dialect::JavaScript => 2,
        }
    }

    pub fn grammar(self) -> tree_sitter::Language {
        match self {
            Dialect::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Dialect::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Dialect::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
        }
    }

    pub fn sources(self) -> &'static [(&'static str, &'static str); 3] {
        match self {
            Dialect::JavaScript => &JS_QUERIES,
            _ => &TS_QUERIES,
        }
    }
}

/// The compiled query of a dialect, built once per process.
pub fn query(dialect: Dialect) -> &'static Query {
    static QUERIES: [OnceLock<Query>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    QUERIES[dialect.index()].get_or_init(|| {
        let source: String = dialect
            .sources()
            .iter()
            .map(|(_, q)| *q)
            .collect::<Vec<_>>()
            .join("\n");
        Query::new(&dialect.grammar(), &source)
            .expect("grammars/typescript/*.scm and grammars/javascript/*.scm must compile")
    })
}

thread_local! {
    static PARSERS: RefCell<[Option<Parser>; 3]> = const { RefCell::new([None, None, None]) };
}

fn with_parser<R>(dialect: Dialect, f: impl FnOnce(&mut Parser) -> R) -> R {
    PARSERS.with(|p| {
        let mut p = p.borrow_mut();
        let slot = &mut p[dialect.index()];
        let parser = slot.get_or_insert_with(|| {
            let mut parser = Parser::new();
            parser
                .set_language(&dialect.grammar())
                .expect("the grammar crates match the tree-sitter version");
            parser
        });
        f(parser)
    })
}

/// A bare tree-sitter parse, for the benchmark's floor.
pub fn bare_parse(path: &str, source: &str) -> bool {
    with_parser(Dialect::of(path), |p| p.parse(source, None)).is_some()
}

/// What a capture name means to the extractor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cap {
    Import,
    Export,
    Class,
    Interface,
    Enum,
    Function,
    Method,
    Signature,
    Field,
    Variable,
    Assign,
    Call,
    New,
    TypeRef,
    TypeRefValue,
    Str,
    Branch,
}

fn cap_of(name: &str) -> Option<Cap> {
    Some(match name {
        "import" => Cap::Import,
        "export" => Cap::Export,
        "type.class" => Cap::Class,
        "type.interface" => Cap::Interface,
        "type.enum" => Cap::Enum,
        "function" => Cap::Function,
        "function.method" => Cap::Method,
        "function.signature" => Cap::Signature,
        "field" => Cap::Field,
        "variable" => Cap::Variable,
        "assign" => Cap::Assign,
        "call" => Cap::Call,
        "call.new" => Cap::New,
        "type_ref" => Cap::TypeRef,
        "type_ref.value" => Cap::TypeRefValue,
        "string" => Cap::Str,
        "branch" => Cap::Branch,
        _ => return None,
    })
}

/// Every capture name of a dialect's queries, for the query test.
pub fn capture_names(dialect: Dialect) -> Vec<(&'static str, bool)> {
    query(dialect)
        .capture_names()
        .iter()
        .map(|n| (*n, cap_of(n).is_some()))
        .collect()
}

/// The frontend of TypeScript (`.ts`, `.tsx`, `.mts`, `.cts`).
pub struct TypeScriptFrontend;
/// The frontend of JavaScript (`.js`, `.jsx`, `.mjs`, `.cjs`).
pub struct JavaScriptFrontend;

impl Frontend for TypeScriptFrontend {
    fn language(&self) -> Language {
        Language::TypeScript
    }
    fn parse(&self, path: &str, source: &str) -> FileFacts {
        parse_file(Language::TypeScript, path, source)
    }
}

impl Frontend for JavaScriptFrontend {
    fn language(&self) -> Language {
        Language::JavaScript
    }
    fn parse(&self, path: &str, source: &str) -> FileFacts {
        parse_file(Language::JavaScript, path, source)
    }
}

/// Whether a file id is a declaration file (`x.d.ts`, `x.d.mts`).
pub fn is_declaration_file(id: &str) -> bool {
    let file = id.rsplit('/').next().unwrap_or(id);
    file.ends_with(".d.ts") || file.ends_with(".d.mts") || file.ends_with(".d.cts")
}

/// Parses one file of either language. Never fails.
pub fn parse_file(language: Language, path: &str, source: &str) -> FileFacts {
    let dialect = match language {
        Language::JavaScript => Dialect::JavaScript,
        _ => match Dialect::of(path) {
            Dialect::JavaScript => Dialect::TypeScript,
            d => d,
        },
    };
    let mut facts = FileFacts {
        code_lines: count_code_lines(source, &C_LIKE),
        ..FileFacts::default()
    };
    let ts = TsFacts {
        declaration: is_declaration_file(path),
        ..TsFacts::default()
    };
    let Some(tree) = with_parser(dialect, |p| p.parse(source, None)) else {
        facts.diagnostics.push(Diagnostic {
            line: None,
            message: "the parser gave up on this file".into(),
        });
        facts.typescript = Some(Box::new(ts));
        return facts;
    };
    let root = tree.root_node();
    if root.has_error() {
        let (n, first) = count_errors(root);
        facts.diagnostics.push(Diagnostic {
            line: first,
            message: format!("{n} syntax error(s); the facts around them may be incomplete"),
        });
    }
    let _ = language;
    let mut x = Extractor {
        src: source.as_bytes(),
        // JavaScript consults the TypeScript rows: the same npm packages.
        language: Language::TypeScript,
        facts,
        ts,
        scopes: Vec::new(),
        last_type_ref_end: 0,
        requires_seen: Vec::new(),
        repo_fields: Vec::new(),
        model_calls: Vec::new(),
        call_start: 0,
    };
    let q = query(dialect);
    let mut cursor = QueryCursor::new();
    let mut captures = cursor.captures(q, root, source.as_bytes());
    while let Some((m, i)) = captures.next() {
        let c = m.captures()[*i];
        let Some(cap) = cap_of(q.capture_names()[c.index as usize]) else {
            continue;
        };
        x.capture(cap, c.node);
    }
    x.finish()
}

fn count_errors(root: Node) -> (u32, Option<u32>) {
    let mut n = 0;
    let mut first = None;
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.is_error() || node.is_missing() {
            n += 1;
            let line = node.start_position().row as u32 + 1;
            first = Some(first.map_or(line, |f: u32| f.min(line)));
            continue;
        }
        if node.has_error() {
            let mut c = node.walk();
            stack.extend(node.children(&mut c));
        }
    }
    (n.max(1), first)
}

#[derive(Debug, Clone, Copy)]
enum Scope {
    Type(u32),
    Function(u32),
}

struct Extractor<'a> {
    src: &'a [u8],
    language: Language,
    facts: FileFacts,
    ts: TsFacts,
    /// Open scopes with their end byte, innermost last.
    scopes: Vec<(usize, Scope)>,
    last_type_ref_end: usize,
    /// Start bytes of `require` calls already read as imports.
    requires_seen: Vec<usize>,
    /// (type or function scope, variable name, entity): fields, parameters
    /// and locals typed as a repository of an entity.
    repo_fields: Vec<(Option<u32>, Option<u32>, String, String)>,
    /// Model classes made by a call (`const Customer = sequelize.define(…)`):
    /// (start byte of the call, the type standing for the model).
    model_calls: Vec<(usize, u32)>,
    /// Start byte of the call being read.
    call_start: usize,
}

fn line(node: Node) -> u32 {
    node.start_position().row as u32 + 1
}

impl<'a> Extractor<'a> {
    fn text(&self, node: Node) -> &'a str {
        node.utf8_text(self.src).unwrap_or("")
    }

    fn capture(&mut self, cap: Cap, node: Node) {
        let start = node.start_byte();
        while self.scopes.last().is_some_and(|(end, _)| *end <= start) {
            self.scopes.pop();
        }
        match cap {
            Cap::Import => self.import(node),
            Cap::Export => self.export(node),
            Cap::Class => self.type_decl(node, TypeKind::Class),
            Cap::Interface => self.type_decl(node, TypeKind::Interface),
            Cap::Enum => self.type_decl(node, TypeKind::Enum),
            Cap::Function => self.function_decl(node),
            Cap::Method => self.method(node),
            Cap::Signature => self.signature(node),
            Cap::Field => self.field(node),
            Cap::Variable => self.variable(node),
            Cap::Assign => self.assign(node),
            Cap::Call => self.call(node),
            Cap::New => self.new_expr(node),
            Cap::TypeRef => self.type_ref(node),
            Cap::TypeRefValue => {
                if let Some(t) = self.value_type(node) {
                    self.push_type_ref(node, t);
                }
            }
            Cap::Str => self.string(node),
            Cap::Branch => self.facts.complexity += 1,
        }
    }

    fn innermost_type(&self) -> Option<u32> {
        self.scopes.iter().rev().find_map(|(_, s)| match s {
            Scope::Type(t) => Some(*t),
            Scope::Function(_) => None,
        })
    }

    fn innermost_function(&self) -> Option<u32> {
        match self.scopes.last() {
            Some((_, Scope::Function(f))) => Some(*f),
            _ => self.scopes.iter().rev().find_map(|(_, s)| match s {
                Scope::Function(f) => Some(*f),
                Scope::Type(_) => None,
            }),
        }
    }

    /// The function a statement at this point belongs to: the innermost
    /// function, a class's field initialiser, or the module's top level.
    fn current_function(&mut self) -> u32 {
        match self.scopes.last() {
            Some((_, Scope::Function(f))) => *f,
            Some((_, Scope::Type(t))) => {
                let t = *t;
                self.fields_function(t)
            }
            None => self.module_function(),
        }
    }

    fn at_top_level(&self) -> bool {
        self.scopes.is_empty()
    }

    fn module_function(&mut self) -> u32 {
        if let Some(f) = self.ts.module_function {
            return f;
        }
        let f = self.facts.functions.len() as u32;
        self.facts.functions.push(Function {
            name: MODULE.into(),
            owner: None,
            kind: FunctionKind::Initializer,
            lines: (1, 1),
            params: Vec::new(),
            returns: None,
            locals: Vec::new(),
            calls: Vec::new(),
            annotations: Vec::new(),
            is_static: true,
            type_params: Vec::new(),
        });
        self.ts.module_function = Some(f);
        f
    }

    fn fields_function(&mut self, t: u32) -> u32 {
        if let Some(i) = self
            .facts
            .functions
            .iter()
            .position(|f| f.owner == Some(t) && f.name == FIELDS)
        {
            return i as u32;
        }
        let f = self.facts.functions.len() as u32;
        let lines = self.facts.types[t as usize].lines;
        self.facts.functions.push(Function {
            name: FIELDS.into(),
            owner: Some(t),
            kind: FunctionKind::Initializer,
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

    fn declare(&mut self, name: &str) {
        if self.at_top_level() && !name.is_empty() && !self.ts.declared.iter().any(|d| d == name) {
            self.ts.declared.push(name.to_string());
        }
    }

    // ---- module structure ------------------------------------------------

    fn string_value(&self, node: Node) -> Option<String> {
        match node.kind() {
            "string" => {
                let t = self.text(node);
                Some(
                    t.get(1..t.len().saturating_sub(1))
                        .unwrap_or("")
                        .to_string(),
                )
            }
            "template_string" => {
                let t = self.text(node);
                let inner = t.get(1..t.len().saturating_sub(1)).unwrap_or("");
                (!inner.contains("${")).then(|| inner.to_string())
            }
            _ => None,
        }
    }

    fn has_child_kind(node: Node, kind: &str) -> bool {
        let mut c = node.walk();
        let found = node.children(&mut c).any(|n| n.kind() == kind);
        found
    }

    fn import(&mut self, node: Node) {
        let line = line(node);
        let type_only = Self::has_child_kind(node, "type");
        let mut c = node.walk();
        let children: Vec<Node> = node.children(&mut c).collect();
        // `import x = require('s')`.
        if let Some(req) = children
            .iter()
            .find(|n| n.kind() == "import_require_clause")
        {
            let local = req
                .named_child(0)
                .filter(|n| n.kind() == "identifier")
                .map(|n| self.text(n).to_string());
            if let Some(spec) = req
                .child_by_field_name("source")
                .and_then(|s| self.string_value(s))
            {
                self.facts.imports.push(shared_import(&spec, line));
                self.ts.imports.push(TsImport {
                    specifier: spec,
                    kind: TsImportKind::Static,
                    bindings: local
                        .into_iter()
                        .map(|l| Binding {
                            imported: "*".into(),
                            local: l,
                            type_only: false,
                        })
                        .collect(),
                    type_only,
                    line,
                });
            }
            return;
        }
        let Some(spec) = node
            .child_by_field_name("source")
            .and_then(|s| self.string_value(s))
        else {
            return;
        };
        let mut bindings = Vec::new();
        if let Some(clause) = children.iter().find(|n| n.kind() == "import_clause") {
            let mut c = clause.walk();
            for part in clause.named_children(&mut c) {
                match part.kind() {
                    "identifier" => bindings.push(Binding {
                        imported: "default".into(),
                        local: self.text(part).into(),
                        type_only: false,
                    }),
                    "namespace_import" => {
                        if let Some(id) = part.named_child(0) {
                            bindings.push(Binding {
                                imported: "*".into(),
                                local: self.text(id).into(),
                                type_only: false,
                            });
                        }
                    }
                    "named_imports" => {
                        let mut c = part.walk();
                        for spec in part.named_children(&mut c) {
                            if spec.kind() != "import_specifier" {
                                continue;
                            }
                            let Some(name) = spec.child_by_field_name("name") else {
                                continue;
                            };
                            let imported = self.name_text(name);
                            let local = spec
                                .child_by_field_name("alias")
                                .map_or_else(|| imported.clone(), |a| self.text(a).to_string());
                            bindings.push(Binding {
                                imported,
                                local,
                                type_only: Self::has_child_kind(spec, "type"),
                            });
                        }
                    }
                    _ => {}
                }
            }
        }
        self.facts.imports.push(shared_import(&spec, line));
        self.ts.imports.push(TsImport {
            specifier: spec,
            kind: TsImportKind::Static,
            bindings,
            type_only,
            line,
        });
    }

    /// An identifier or a string used as a name (`export { "a-b" as c }`).
    fn name_text(&self, node: Node) -> String {
        self.string_value(node)
            .unwrap_or_else(|| self.text(node).to_string())
    }

    fn export(&mut self, node: Node) {
        let line = line(node);
        let type_only = Self::has_child_kind(node, "type");
        let source = node
            .child_by_field_name("source")
            .and_then(|s| self.string_value(s));
        let mut c = node.walk();
        let children: Vec<Node> = node.children(&mut c).collect();
        let is_default = children.iter().any(|n| n.kind() == "default");
        if let Some(spec) = source {
            let mut bindings = Vec::new();
            if let Some(clause) = children.iter().find(|n| n.kind() == "export_clause") {
                for (name, alias, t) in self.export_specifiers(*clause) {
                    bindings.push(Binding {
                        imported: name,
                        local: alias,
                        type_only: t,
                    });
                }
            } else if let Some(ns) = children.iter().find(|n| n.kind() == "namespace_export") {
                let name = ns
                    .named_child(0)
                    .map(|n| self.name_text(n))
                    .unwrap_or_default();
                bindings.push(Binding {
                    imported: "*".into(),
                    local: name,
                    type_only: false,
                });
            } else {
                bindings.push(Binding {
                    imported: "*".into(),
                    local: "*".into(),
                    type_only: false,
                });
            }
            self.facts.imports.push(shared_import(&spec, line));
            self.ts.imports.push(TsImport {
                specifier: spec,
                kind: TsImportKind::ReExport,
                bindings,
                type_only,
                line,
            });
            return;
        }
        if let Some(clause) = children.iter().find(|n| n.kind() == "export_clause") {
            for (name, alias, _) in self.export_specifiers(*clause) {
                self.ts.exports.push(TsExport {
            commonjs: false,
                    exported: alias,
                    local: name,
                    line,
                });
            }
            return;
        }
        if let Some(decl) = node.child_by_field_name("declaration") {
            for name in self.declared_names(decl) {
                let exported = if is_default {
                    "default".to_string()
                } else {
                    name.clone()
                };
                self.ts.exports.push(TsExport {
            commonjs: false,
                    exported,
                    local: name,
                    line,
                });
            }
            return;
        }
        if is_default {
            let value = node
                .child_by_field_name("value")
                .or_else(|| children.iter().rev().find(|n| n.is_named()).copied());
            let local = value
                .map(|v| match v.kind() {
                    "identifier" => self.text(v).to_string(),
                    "class"
                    | "function_expression"
                    | "function"
                    | "class_declaration"
                    | "function_declaration" => v
                        .child_by_field_name("name")
                        .map(|n| self.text(n).to_string())
                        .unwrap_or_default(),
                    _ => String::new(),
                })
                .unwrap_or_default();
            self.ts.exports.push(TsExport {
            commonjs: false,
                exported: "default".into(),
                local,
                line,
            });
        }
    }

    fn export_specifiers(&self, clause: Node) -> Vec<(String, String, bool)> {
        let mut out = Vec::new();
        let mut c = clause.walk();
        for spec in clause.named_children(&mut c) {
            if spec.kind() != "export_specifier" {
                continue;
            }
            let Some(name) = spec.child_by_field_name("name") else {
                continue;
            };
            let name = self.name_text(name);
            let alias = spec
                .child_by_field_name("alias")
                .map_or_else(|| name.clone(), |a| self.name_text(a));
            out.push((name, alias, Self::has_child_kind(spec, "type")));
        }
        out
    }

    /// The names a declaration introduces (`export const a = 1, b = 2`).
    fn declared_names(&self, decl: Node) -> Vec<String> {
        match decl.kind() {
            "lexical_declaration" | "variable_declaration" => {
                let mut c = decl.walk();
                decl.named_children(&mut c)
                    .filter(|d| d.kind() == "variable_declarator")
                    .filter_map(|d| d.child_by_field_name("name"))
                    .filter(|n| n.kind() == "identifier")
                    .map(|n| self.text(n).to_string())
                    .collect()
            }
            _ => decl
                .child_by_field_name("name")
                .map(|n| vec![self.text(n).to_string()])
                .unwrap_or_default(),
        }
    }

    fn record_require(&mut self, call: Node, bindings: Vec<Binding>, kind: TsImportKind) -> bool {
        let Some(spec) = require_specifier(self, call) else {
            return false;
        };
        self.requires_seen.push(call.start_byte());
        let line = line(call);
        self.facts.imports.push(shared_import(&spec, line));
        self.ts.imports.push(TsImport {
            specifier: spec,
            kind,
            bindings,
            type_only: false,
            line,
        });
        true
    }

    // ---- declarations ----------------------------------------------------

    /// Decorators of a declaration: its own `decorator` children and, for
    /// a class member, the `decorator` siblings just before it (the
    /// TypeScript grammar puts method decorators there), and those of an
    /// enclosing `export` statement.
    fn decorators(&self, node: Node) -> Vec<Annotation> {
        let mut nodes = Vec::new();
        let mut c = node.walk();
        nodes.extend(node.children(&mut c).filter(|n| n.kind() == "decorator"));
        let mut prev = node.prev_sibling();
        while let Some(p) = prev {
            if p.kind() != "decorator" {
                break;
            }
            nodes.push(p);
            prev = p.prev_sibling();
        }
        if let Some(parent) = node.parent().filter(|p| p.kind() == "export_statement") {
            let mut c = parent.walk();
            nodes.extend(parent.children(&mut c).filter(|n| n.kind() == "decorator"));
        }
        nodes.sort_by_key(|n| n.start_byte());
        nodes
            .into_iter()
            .filter_map(|d| self.decorator(d))
            .collect()
    }

    fn decorator(&self, node: Node) -> Option<Annotation> {
        let inner = node.named_child(0)?;
        let (callee, args) = match inner.kind() {
            "call_expression" => (
                inner.child_by_field_name("function")?,
                inner.child_by_field_name("arguments"),
            ),
            _ => (inner, None),
        };
        let name = self.text(callee).to_string();
        let mut out = Vec::new();
        if let Some(args) = args {
            self.read_args(args, &mut out);
        }
        Some(Annotation {
            name,
            args: out,
            line: line(node),
        })
    }

    /// Call arguments as `(key, value)`: the first positional argument is
    /// `value` (strings unquoted), an object literal's string and
    /// identifier properties are keyed by their names.
    fn read_args(&self, args: Node, out: &mut Vec<(String, String)>) {
        let mut c = args.walk();
        let mut positional = 0;
        for a in args.named_children(&mut c) {
            if a.kind() == "comment" {
                continue;
            }
            if a.kind() == "object" {
                self.object_props(a, out);
            } else {
                let key = if positional == 0 {
                    "value".to_string()
                } else {
                    format!("arg{positional}")
                };
                let v = self
                    .string_value(a)
                    .unwrap_or_else(|| self.text(a).to_string());
                out.push((key, v));
            }
            positional += 1;
        }
    }

    fn object_props(&self, obj: Node, out: &mut Vec<(String, String)>) {
        let mut c = obj.walk();
        for p in obj.named_children(&mut c) {
            if p.kind() == "pair" {
                let (Some(k), Some(v)) =
                    (p.child_by_field_name("key"), p.child_by_field_name("value"))
                else {
                    continue;
                };
                let key = self.name_text(k);
                let value = self
                    .string_value(v)
                    .unwrap_or_else(|| self.text(v).to_string());
                out.push((key, value));
            } else if p.kind() == "shorthand_property_identifier" {
                let t = self.text(p).to_string();
                out.push((t.clone(), t));
            }
        }
    }

    fn type_decl(&mut self, node: Node, kind: TypeKind) {
        let Some(name_node) = node.child_by_field_name("name") else {
            return;
        };
        let name = self.text(name_node).to_string();
        let parent = self.innermost_type();
        let path = match parent {
            Some(p) => format!("{}.{name}", self.facts.types[p as usize].path),
            None => name.clone(),
        };
        let mut supertypes = Vec::new();
        let mut c = node.walk();
        for child in node.children(&mut c) {
            match child.kind() {
                "class_heritage" => {
                    let mut c2 = child.walk();
                    for h in child.named_children(&mut c2) {
                        match h.kind() {
                            "extends_clause" => {
                                if let Some(v) = h.child_by_field_name("value") {
                                    if let Some(mut t) = self.value_type(v) {
                                        if let Some(args) = h.child_by_field_name("type_arguments")
                                        {
                                            t.args = self.type_args(args);
                                        }
                                        supertypes.push((SuperKind::Extends, t));
                                    }
                                }
                            }
                            "implements_clause" => {
                                let mut c3 = h.walk();
                                for t in h.named_children(&mut c3) {
                                    if let Some(t) = self.type_of_node(t) {
                                        supertypes.push((SuperKind::Implements, t));
                                    }
                                }
                            }
                            // JavaScript: `class A extends B` has the
                            // expression directly.
                            _ => {
                                if let Some(t) = self.value_type(h) {
                                    supertypes.push((SuperKind::Extends, t));
                                }
                            }
                        }
                    }
                }
                "extends_type_clause" => {
                    let mut c2 = child.walk();
                    for t in child.named_children(&mut c2) {
                        if let Some(t) = self.type_of_node(t) {
                            supertypes.push((SuperKind::Extends, t));
                        }
                    }
                }
                _ => {}
            }
        }
        let annotations = self.decorators(node);
        let index = self.facts.types.len() as u32;
        self.declare(&name);
        self.facts.types.push(TypeDecl {
            name,
            path,
            kind,
            parent,
            lines: (line(node), node.end_position().row as u32 + 1),
            supertypes,
            fields: Vec::new(),
            annotations,
            type_params: Vec::new(),
        });
        self.scopes.push((node.end_byte(), Scope::Type(index)));
        self.type_facts(index);
    }

    /// Tables, route prefixes and repositories the framework table states
    /// about a type's decorators and supertypes.
    fn type_facts(&mut self, t: u32) {
        let ty = self.facts.types[t as usize].clone();
        let l = self.language;
        let mut table: Option<(Naming, bool)> = None;
        let mut name: Option<String> = None;
        for a in &ty.annotations {
            for row in frameworks::rows(
                l,
                Syntax::Decorator,
                a.name.rsplit('.').next().unwrap_or(&a.name),
            ) {
                match row.fact {
                    Fact::Table {
                        naming,
                        queries_name_type,
                    } => table = Some((naming, queries_name_type)),
                    Fact::TableName { args } => {
                        if let Some(v) = first_arg(a, args) {
                            name = Some(v.to_string());
                        }
                    }
                    _ => {}
                }
            }
        }
        for (_, s) in &ty.supertypes {
            let simple = s.name.rsplit('.').next().unwrap_or(&s.name);
            for row in frameworks::rows(l, Syntax::BaseType, simple) {
                match row.fact {
                    Fact::Repository { entity_arg } => {
                        if let Some(e) = s.args.get(entity_arg) {
                            let writes = frameworks::prefixes(l, row.framework, |f| match f {
                                Fact::WriteMethods { prefixes } => Some(*prefixes),
                                _ => None,
                            })
                            .unwrap_or(&[]);
                            self.facts.repositories.push(RepositoryDecl {
                                type_index: t,
                                entity: e.name.rsplit('.').next().unwrap_or(&e.name).to_string(),
                                writes,
                                line: ty.lines.0,
                            });
                        }
                    }
                    Fact::Table {
                        naming,
                        queries_name_type,
                    } => table = Some((naming, queries_name_type)),
                    _ => {}
                }
            }
        }
        if let Some((naming, queries_name_type)) = table {
            let table = name.unwrap_or_else(|| match naming {
                Naming::SnakeCase => frameworks::snake_case(&ty.name),
                _ => ty.name.to_ascii_lowercase(),
            });
            // Calls on an entity object are in-memory: TypeORM reads and
            // writes go through repositories and managers.
            self.facts.tables.push(TableDecl {
                table: table.to_ascii_lowercase(),
                type_index: Some(t),
                line: ty.lines.0,
                queries_name_type,
                reads: None,
            });
        }
    }

    fn push_function(
        &mut self,
        name: String,
        owner: Option<u32>,
        node: Node,
        kind: FunctionKind,
    ) -> u32 {
        let params = node
            .child_by_field_name("parameters")
            .map(|p| self.params(p))
            .or_else(|| {
                node.child_by_field_name("parameter")
                    .map(|p| vec![(self.text(p).to_string(), untyped(line(p)))])
            })
            .unwrap_or_default();
        let returns = node
            .child_by_field_name("return_type")
            .and_then(|r| r.named_child(0))
            .and_then(|t| self.type_of_node(t));
        let is_static = Self::has_child_kind(node, "static");
        let f = self.facts.functions.len() as u32;
        self.facts.complexity += 1;
        self.facts.functions.push(Function {
            name,
            owner,
            kind,
            lines: (line(node), node.end_position().row as u32 + 1),
            params,
            returns,
            locals: Vec::new(),
            calls: Vec::new(),
            annotations: Vec::new(),
            is_static,
            type_params: Vec::new(),
        });
        f
    }

    fn function_decl(&mut self, node: Node) {
        let Some(name) = node.child_by_field_name("name") else {
            return;
        };
        let name = self.text(name).to_string();
        self.declare(&name);
        let f = self.push_function(name, None, node, FunctionKind::Method);
        self.scopes.push((node.end_byte(), Scope::Function(f)));
    }

    fn method(&mut self, node: Node) {
        let Some(name) = node.child_by_field_name("name") else {
            return;
        };
        let name = self.name_text(name);
        let in_class = node.parent().is_some_and(|p| p.kind() == "class_body");
        let owner = if in_class {
            self.innermost_type()
        } else {
            None
        };
        let kind = if in_class && name == "constructor" {
            FunctionKind::Constructor
        } else {
            FunctionKind::Method
        };
        let f = self.push_function(name.clone(), owner, node, kind);
        self.facts.functions[f as usize].annotations = self.decorators(node);
        // Object-literal methods of `module.exports = { … }` are the
        // module's functions.
        if kind == FunctionKind::Constructor {
            if let Some(t) = owner {
                self.parameter_properties(node, t);
            }
        }
        self.scopes.push((node.end_byte(), Scope::Function(f)));
        self.function_facts(f);
    }

    /// Interface method signatures: functions without a body, so that calls
    /// typed by the interface resolve to it.
    fn signature(&mut self, node: Node) {
        let Some(owner) = self.innermost_type() else {
            return;
        };
        let Some(name) = node.child_by_field_name("name") else {
            return;
        };
        let name = self.name_text(name);
        self.push_function(name, Some(owner), node, FunctionKind::Method);
        self.facts.complexity -= 1;
    }

    /// Constructor parameters with an accessibility modifier or `readonly`
    /// are fields (TypeScript parameter properties): how NestJS injects.
    fn parameter_properties(&mut self, ctor: Node, t: u32) {
        let Some(params) = ctor.child_by_field_name("parameters") else {
            return;
        };
        let mut c = params.walk();
        for p in params.named_children(&mut c) {
            if !matches!(p.kind(), "required_parameter" | "optional_parameter") {
                continue;
            }
            let property = Self::has_child_kind(p, "accessibility_modifier")
                || Self::has_child_kind(p, "readonly");
            if !property {
                continue;
            }
            let Some(name) = p.child_by_field_name("pattern") else {
                continue;
            };
            let ty = p
                .child_by_field_name("type")
                .and_then(|t| t.named_child(0))
                .and_then(|t| self.type_of_node(t));
            if let Some(ty) = ty {
                let name = self.text(name).to_string();
                self.note_repository(Some(t), None, &name, &ty);
                self.facts.types[t as usize].fields.push(Field {
                    name,
                    ty,
                    line: line(p),
                });
            }
        }
    }

    /// Routes and transaction scopes the framework table states about a
    /// function's decorators.
    fn function_facts(&mut self, f: u32) {
        let func = self.facts.functions[f as usize].clone();
        let l = self.language;
        for a in &func.annotations {
            let simple = a.name.rsplit('.').next().unwrap_or(&a.name);
            for row in frameworks::rows(l, Syntax::Decorator, simple) {
                match row.fact {
                    Fact::Route { method, path_args } => {
                        let method = match method {
                            Method::Fixed(m) => m.to_string(),
                            Method::FromArg { default, .. } => default.to_string(),
                            Method::FromVerb => continue,
                        };
                        let prefix = self.class_prefix(func.owner);
                        let sub = first_arg(a, path_args).unwrap_or("");
                        self.facts.routes.push(RouteDecl {
                            method,
                            path: join_path(&prefix, sub),
                            function: Some(f),
                            handler: None,
                            include: None,
                            line: a.line,
                        });
                        self.ts.route_routers.push(String::new());
                    }
                    Fact::Transaction => self.facts.tx_scopes.push(TxScope {
                        function: f,
                        line: a.line,
                    }),
                    _ => {}
                }
            }
        }
    }

    fn class_prefix(&self, owner: Option<u32>) -> String {
        let Some(t) = owner else {
            return String::new();
        };
        for a in &self.facts.types[t as usize].annotations {
            let simple = a.name.rsplit('.').next().unwrap_or(&a.name);
            for row in frameworks::rows(self.language, Syntax::Decorator, simple) {
                if let Fact::RoutePrefix { path_args } = row.fact {
                    return first_arg(a, path_args).unwrap_or("").to_string();
                }
            }
        }
        String::new()
    }

    fn field(&mut self, node: Node) {
        let Some(t) = self.innermost_type() else {
            return;
        };
        let Some(name) = node
            .child_by_field_name("name")
            .or_else(|| node.child_by_field_name("property"))
        else {
            return;
        };
        let name = self.name_text(name);
        let value = node.child_by_field_name("value");
        if let Some(v) = value.filter(|v| is_function_value(*v)) {
            let f = self.push_function(name, Some(t), v, FunctionKind::Method);
            self.facts.functions[f as usize].annotations = self.decorators(node);
            self.scopes.push((v.end_byte(), Scope::Function(f)));
            self.function_facts(f);
            return;
        }
        let ty = node
            .child_by_field_name("type")
            .and_then(|t| t.named_child(0))
            .and_then(|t| self.type_of_node(t))
            .or_else(|| match value.map(|v| self.expr(v, 0)) {
                Some(Expr::New(t)) => Some(t),
                _ => None,
            });
        if let Some(ty) = ty {
            self.note_repository(Some(t), None, &name, &ty);
            self.facts.types[t as usize].fields.push(Field {
                name,
                ty,
                line: line(node),
            });
        }
    }

    fn variable(&mut self, node: Node) {
        let Some(name_node) = node.child_by_field_name("name") else {
            return;
        };
        let value = node.child_by_field_name("value");
        let top = self.at_top_level();
        // `const { a, b: c } = require('m')`.
        if name_node.kind() == "object_pattern" {
            if let Some(v) = value.filter(|v| is_require(self, *v)) {
                let bindings = self.pattern_bindings(name_node);
                self.record_require(strip_await(v), bindings, TsImportKind::Require);
            }
            if top {
                for b in self.pattern_bindings(name_node) {
                    self.declare(&b.local);
                }
            }
            return;
        }
        if name_node.kind() != "identifier" {
            return;
        }
        let name = self.text(name_node).to_string();
        self.declare(&name);
        if let Some(v) = value {
            if top && is_function_value(v) {
                let f = self.push_function(name, None, v, FunctionKind::Method);
                self.scopes.push((v.end_byte(), Scope::Function(f)));
                return;
            }
            let inner = strip_await(v);
            if is_require(self, inner) {
                let b = Binding {
                    imported: "*".into(),
                    local: name.clone(),
                    type_only: false,
                };
                self.record_require(inner, vec![b], TsImportKind::Require);
                return;
            }
            // `require('m').x`: one binding of the module's export `x`.
            if inner.kind() == "member_expression" {
                if let (Some(obj), Some(prop)) = (
                    inner.child_by_field_name("object"),
                    inner.child_by_field_name("property"),
                ) {
                    if is_require(self, obj) {
                        let b = Binding {
                            imported: self.text(prop).to_string(),
                            local: name.clone(),
                            type_only: false,
                        };
                        self.record_require(obj, vec![b], TsImportKind::Require);
                        return;
                    }
                }
            }
            self.router_variable(&name, inner);
            if top {
                self.model_variable(&name, node, inner);
            }
        }
        let ty = node
            .child_by_field_name("type")
            .and_then(|t| t.named_child(0))
            .and_then(|t| self.type_of_node(t));
        let init = value.map(|v| self.expr(v, 0));
        let f = self.current_function();
        if let Some(t) = ty.as_ref().or(match &init {
            Some(Expr::New(t)) => Some(t),
            _ => None,
        }) {
            let t = t.clone();
            self.note_repository(None, Some(f), &name, &t);
        }
        self.facts.functions[f as usize].locals.push(Local {
            name,
            ty,
            init,
            element_of_init: false,
            line: line(node),
        });
    }

    /// `const Customer = sequelize.define('customers', …)`: the variable
    /// is a model class at run time, declared here as a type so that calls
    /// on it (`Customer.findByPk`) resolve to this file and read or write
    /// its table.
    fn model_variable(&mut self, name: &str, declarator: Node, value: Node) {
        if value.kind() != "call_expression" {
            return;
        }
        let Some(callee) = value.child_by_field_name("function") else {
            return;
        };
        let text = self.text(callee);
        let last = text.rsplit('.').next().unwrap_or(text);
        let is_model = frameworks::rows(self.language, Syntax::Call, last)
            .any(|r| matches!(r.fact, Fact::TableName { .. }));
        if !is_model || self.facts.types.iter().any(|t| t.name == name) {
            return;
        }
        let t = self.facts.types.len() as u32;
        self.facts.types.push(TypeDecl {
            name: name.to_string(),
            path: name.to_string(),
            kind: TypeKind::Class,
            parent: None,
            lines: (line(declarator), declarator.end_position().row as u32 + 1),
            supertypes: Vec::new(),
            fields: Vec::new(),
            annotations: Vec::new(),
            type_params: Vec::new(),
        });
        self.model_calls.push((value.start_byte(), t));
    }

    fn pattern_bindings(&self, pattern: Node) -> Vec<Binding> {
        let mut out = Vec::new();
        let mut c = pattern.walk();
        for p in pattern.named_children(&mut c) {
            match p.kind() {
                "shorthand_property_identifier_pattern" | "shorthand_property_identifier" => {
                    let t = self.text(p).to_string();
                    out.push(Binding {
                        imported: t.clone(),
                        local: t,
                        type_only: false,
                    });
                }
                "pair_pattern" => {
                    let (Some(k), Some(v)) =
                        (p.child_by_field_name("key"), p.child_by_field_name("value"))
                    else {
                        continue;
                    };
                    if v.kind() == "identifier" {
                        out.push(Binding {
                            imported: self.name_text(k),
                            local: self.text(v).to_string(),
                            type_only: false,
                        });
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// `const app = express()`, `const router = express.Router()`,
    /// `const r = new Router({ prefix: '/x' })`: a router object, by a
    /// [`Fact::RoutePrefix`] call row.
    fn router_variable(&mut self, name: &str, value: Node) {
        let (callee, args) = match value.kind() {
            "call_expression" => (
                value.child_by_field_name("function"),
                value.child_by_field_name("arguments"),
            ),
            "new_expression" => (
                value.child_by_field_name("constructor"),
                value.child_by_field_name("arguments"),
            ),
            _ => return,
        };
        let Some(callee) = callee else { return };
        let text = self.text(callee);
        let last = text.rsplit('.').next().unwrap_or(text);
        let Some(path_args) =
            frameworks::find(self.language, Syntax::Call, last, |r| match r.fact {
                Fact::RoutePrefix { path_args } => Some(path_args),
                _ => None,
            })
        else {
            return;
        };
        let mut read = Vec::new();
        if let Some(args) = args {
            self.read_args(args, &mut read);
        }
        let prefix = path_args
            .iter()
            .find_map(|k| {
                read.iter()
                    .find(|(key, _)| key == k)
                    .map(|(_, v)| v.clone())
            })
            .unwrap_or_default();
        self.ts.routers.push(Router {
            name: name.to_string(),
            prefix,
            line: line(value),
        });
    }

    fn assign(&mut self, node: Node) {
        let (Some(left), Some(right)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("right"),
        ) else {
            return;
        };
        let target = self.text(left);
        let line = line(node);
        if target == "module.exports" || target == "exports" {
            let right = strip_assign_chain(right);
            if is_require(self, right) {
                let b = Binding {
                    imported: "*".into(),
                    local: "*".into(),
                    type_only: false,
                };
                self.record_require(right, vec![b], TsImportKind::ReExport);
                return;
            }
            match right.kind() {
                "identifier" => self.ts.exports.push(TsExport {
                    exported: "default".into(),
                    local: self.text(right).to_string(),
                    commonjs: true,
                    line,
                }),
                "object" => {
                    let mut c = right.walk();
                    for p in right.named_children(&mut c) {
                        let (exported, local) = match p.kind() {
                            "shorthand_property_identifier" => {
                                let t = self.text(p).to_string();
                                (t.clone(), t)
                            }
                            "pair" => {
                                let (Some(k), Some(v)) =
                                    (p.child_by_field_name("key"), p.child_by_field_name("value"))
                                else {
                                    continue;
                                };
                                let k = self.name_text(k);
                                let local = if v.kind() == "identifier" {
                                    self.text(v).to_string()
                                } else {
                                    k.clone()
                                };
                                (k, local)
                            }
                            "method_definition" => {
                                let Some(n) = p.child_by_field_name("name") else {
                                    continue;
                                };
                                let t = self.name_text(n);
                                (t.clone(), t)
                            }
                            _ => continue,
                        };
                        self.ts.exports.push(TsExport {
                            exported,
                            local,
                            commonjs: true,
                            line,
                        });
                    }
                }
                _ => {
                    // `module.exports = new OrderService()`, a class or a
                    // function expression: the value is kept as a module
                    // local named `module.exports`.
                    let named = right
                        .child_by_field_name("name")
                        .map(|n| self.text(n).to_string());
                    let local = match named {
                        Some(n) => n,
                        None => {
                            let init = self.expr(right, 0);
                            let f = self.current_function();
                            self.facts.functions[f as usize].locals.push(Local {
                                name: "module.exports".into(),
                                ty: None,
                                init: Some(init),
                                element_of_init: false,
                                line,
                            });
                            "module.exports".to_string()
                        }
                    };
                    self.ts.exports.push(TsExport {
                        exported: "default".into(),
                        local,
                        commonjs: true,
                        line,
                    });
                }
            }
            return;
        }
        let export_name = target
            .strip_prefix("module.exports.")
            .or_else(|| target.strip_prefix("exports."));
        if let Some(name) = export_name.filter(|n| !n.contains('.')) {
            let name = name.to_string();
            let local = if right.kind() == "identifier" {
                self.text(right).to_string()
            } else {
                name.clone()
            };
            self.ts.exports.push(TsExport {
            commonjs: false,
                exported: name.clone(),
                local,
                line,
            });
            if self.at_top_level() && is_function_value(right) {
                self.declare(&name);
                let f = self.push_function(name, None, right, FunctionKind::Method);
                self.scopes.push((right.end_byte(), Scope::Function(f)));
            }
            return;
        }
        // `this.x = …` in a method: the field's type from a typed
        // parameter or a `new` expression (simple local inference).
        if let Some(field) = target.strip_prefix("this.").filter(|f| !f.contains('.')) {
            let (Some(t), Some(f)) = (self.innermost_type(), self.innermost_function()) else {
                return;
            };
            if self.facts.types[t as usize]
                .fields
                .iter()
                .any(|x| x.name == field)
            {
                return;
            }
            let ty = match self.expr(right, 0) {
                Expr::New(t) => Some(t),
                Expr::Name(n) => self.facts.functions[f as usize]
                    .params
                    .iter()
                    .find(|(p, t)| *p == n && !t.name.is_empty())
                    .map(|(_, t)| t.clone()),
                _ => None,
            };
            if let Some(ty) = ty {
                let field = field.to_string();
                self.note_repository(Some(t), None, &field, &ty);
                self.facts.types[t as usize].fields.push(Field {
                    name: field,
                    ty,
                    line,
                });
            }
        }
    }

    // ---- references ------------------------------------------------------

    fn call(&mut self, node: Node) {
        let Some(callee) = node.child_by_field_name("function") else {
            return;
        };
        let args = node.child_by_field_name("arguments");
        let n_args = args.map_or(0, |a| a.named_child_count() as u32);
        let line = line(node);
        if callee.kind() == "import" {
            if let Some(spec) = args
                .and_then(|a| a.named_child(0))
                .and_then(|s| self.string_value(s))
            {
                self.facts.imports.push(shared_import(&spec, line));
                self.ts.imports.push(TsImport {
                    specifier: spec,
                    kind: TsImportKind::Dynamic,
                    bindings: Vec::new(),
                    type_only: false,
                    line,
                });
            }
            return;
        }
        if is_require(self, node) {
            if !self.requires_seen.contains(&node.start_byte()) {
                self.record_require(node, Vec::new(), TsImportKind::Require);
            }
            return;
        }
        let (receiver, name, kind) = match callee.kind() {
            "identifier" => (None, self.text(callee).to_string(), CallKind::Method),
            "super" => (None, "<init>".to_string(), CallKind::SuperConstructor),
            "member_expression" => {
                let (Some(obj), Some(prop)) = (
                    callee.child_by_field_name("object"),
                    callee.child_by_field_name("property"),
                ) else {
                    return;
                };
                (
                    Some(self.expr(obj, 0)),
                    self.text(prop).to_string(),
                    CallKind::Method,
                )
            }
            _ => return,
        };
        let f = self.current_function();
        self.call_start = node.start_byte();
        self.call_facts(f, receiver.as_ref(), &name, args, line);
        self.facts.functions[f as usize].calls.push(Call {
            receiver,
            name,
            kind,
            args: n_args,
            line,
            ty: None,
        });
    }

    /// Routes, mounts, transactions and repository accesses the framework
    /// table states about a call.
    fn call_facts(
        &mut self,
        f: u32,
        receiver: Option<&Expr>,
        name: &str,
        args: Option<Node>,
        line: u32,
    ) {
        let l = self.language;
        let router = match receiver {
            Some(Expr::Name(r)) if self.ts.routers.iter().any(|x| x.name == *r) => Some(r.clone()),
            _ => None,
        };
        for row in frameworks::rows(l, Syntax::Call, name) {
            match row.fact {
                Fact::Route { method, .. } => {
                    let (Some(router), Some(args)) = (router.as_ref(), args) else {
                        continue;
                    };
                    let method = match method {
                        Method::Fixed(m) => m.to_string(),
                        _ => continue,
                    };
                    let Some(path) = args.named_child(0).and_then(|a| self.string_value(a)) else {
                        continue;
                    };
                    let prefix = self
                        .ts
                        .routers
                        .iter()
                        .find(|r| r.name == *router)
                        .map(|r| r.prefix.clone())
                        .unwrap_or_default();
                    let handler = args
                        .named_child((args.named_child_count() as u32).saturating_sub(1))
                        .filter(|h| matches!(h.kind(), "identifier" | "member_expression"))
                        .map(|h| self.text(h).to_string());
                    let function = handler
                        .as_ref()
                        .and_then(|h| {
                            self.facts
                                .functions
                                .iter()
                                .position(|x| x.owner.is_none() && x.name == *h)
                        })
                        .map(|i| i as u32)
                        .or(Some(f));
                    self.facts.routes.push(RouteDecl {
                        method,
                        path: join_path(&prefix, &path),
                        function,
                        handler,
                        include: None,
                        line,
                    });
                    self.ts.route_routers.push(router.clone());
                }
                Fact::Mount { path_args } => {
                    let (Some(router), Some(args)) = (router.as_ref(), args) else {
                        continue;
                    };
                    let mut c = args.walk();
                    let all: Vec<Node> = args.named_children(&mut c).collect();
                    let mut path = None;
                    let mut target = None;
                    for a in &all {
                        if let Some(s) = self.string_value(*a) {
                            path.get_or_insert(s);
                        } else if a.kind() == "object" && !path_args.is_empty() {
                            let mut props = Vec::new();
                            self.object_props(*a, &mut props);
                            if let Some(p) = path_args
                                .iter()
                                .find_map(|k| props.iter().find(|(key, _)| key == k))
                            {
                                path = Some(p.1.clone());
                            }
                        } else if target.is_none() {
                            target = self.mount_target(*a);
                        }
                    }
                    let (Some(path), Some(target)) = (path, target) else {
                        continue;
                    };
                    let include = match &target {
                        MountTarget::Name(n) => n.clone(),
                        MountTarget::Require(s) => s.clone(),
                    };
                    self.facts.routes.push(RouteDecl {
                        method: "ANY".into(),
                        path: join_path("", &path),
                        function: Some(f),
                        handler: None,
                        include: Some(include),
                        line,
                    });
                    self.ts.route_routers.push(router.clone());
                    self.ts.mounts.push(Mount {
                        router: router.clone(),
                        path,
                        target,
                        line,
                    });
                }
                Fact::Transaction => {
                    if !self.facts.tx_scopes.iter().any(|t| t.function == f) {
                        self.facts.tx_scopes.push(TxScope { function: f, line });
                    }
                }
                Fact::TableName { args: keys } => {
                    let Some(args) = args else { continue };
                    let mut read = Vec::new();
                    self.read_args(args, &mut read);
                    let Some(table) = keys
                        .iter()
                        .find_map(|k| read.iter().find(|(key, _)| key == k))
                        .map(|(_, v)| v.clone())
                        .filter(|v| !v.is_empty() && !v.contains(['{', '(', ' ']))
                    else {
                        continue;
                    };
                    let made = self
                        .model_calls
                        .iter()
                        .find(|(start, _)| *start == self.call_start)
                        .map(|(_, t)| *t);
                    let type_index = match receiver {
                        _ if made.is_some() => made,
                        Some(Expr::Name(n)) => self
                            .facts
                            .types
                            .iter()
                            .position(|t| t.parent.is_none() && t.name == *n)
                            .map(|i| i as u32),
                        _ => None,
                    };
                    // Calls on the model (`Order.findAll()`) read or
                    // write by the framework's read patterns.
                    let reads = frameworks::prefixes(l, row.framework, |x| match x {
                        Fact::ReadMethods { prefixes } => Some(*prefixes),
                        _ => None,
                    });
                    self.facts.tables.push(TableDecl {
                        table: table.to_ascii_lowercase(),
                        type_index,
                        line,
                        queries_name_type: false,
                        reads,
                    });
                }
                _ => {}
            }
        }
        // Calls through a repository-typed field, parameter or local.
        let var = match receiver {
            Some(Expr::Field(b, n)) if **b == Expr::This => Some((true, n.clone())),
            Some(Expr::Name(n)) => Some((false, n.clone())),
            _ => None,
        };
        if let Some((this, var)) = var {
            let owner = self.facts.functions[f as usize].owner;
            let hit = self.repo_fields.iter().find(|(t, func, n, _)| {
                *n == var
                    && if this {
                        t.is_some() && *t == owner
                    } else {
                        *func == Some(f) || (t.is_none() && func.is_none())
                    }
            });
            if let Some((_, _, _, entity)) = hit {
                let entity = entity.clone();
                let framework = self.repo_framework();
                let writes = frameworks::prefixes(l, framework, |x| match x {
                    Fact::WriteMethods { prefixes } => Some(*prefixes),
                    _ => None,
                })
                .unwrap_or(&[]);
                self.facts.table_accesses.push(TableAccess {
                    target: entity,
                    of_entity: true,
                    write: frameworks::matches_prefix(writes, name),
                    function: Some(f),
                    line,
                    via: "repository".into(),
                });
            }
        }
    }

    fn repo_framework(&self) -> &'static str {
        frameworks::ROWS
            .iter()
            .find(|r| r.language == self.language && r.syntax == Syntax::MemberType)
            .map_or("", |r| r.framework)
    }

    /// A parameter, field or local typed `Repository<Order>` (a
    /// [`Syntax::MemberType`] repository row): calls through it access the
    /// entity's table.
    fn note_repository(&mut self, t: Option<u32>, f: Option<u32>, name: &str, ty: &TypeRef) {
        let simple = ty.name.rsplit('.').next().unwrap_or(&ty.name);
        let arg = frameworks::find(self.language, Syntax::MemberType, simple, |r| {
            match r.fact {
                Fact::Repository { entity_arg } => Some(entity_arg),
                _ => None,
            }
        });
        if let Some(e) = arg.and_then(|a| ty.args.get(a)) {
            let entity = e.name.rsplit('.').next().unwrap_or(&e.name).to_string();
            self.repo_fields.push((t, f, name.to_string(), entity));
        }
    }

    fn mount_target(&self, node: Node) -> Option<MountTarget> {
        match node.kind() {
            "identifier" => Some(MountTarget::Name(self.text(node).to_string())),
            "call_expression" if is_require(self, node) => {
                require_specifier(self, node).map(MountTarget::Require)
            }
            // `router.routes()` (Koa): the router itself.
            "call_expression" => {
                let callee = node.child_by_field_name("function")?;
                let obj = callee.child_by_field_name("object")?;
                (obj.kind() == "identifier").then(|| MountTarget::Name(self.text(obj).to_string()))
            }
            _ => None,
        }
    }

    fn new_expr(&mut self, node: Node) {
        let Some(ctor) = node.child_by_field_name("constructor") else {
            return;
        };
        let Some(mut ty) = self.value_type(ctor) else {
            return;
        };
        if let Some(args) = node.child_by_field_name("type_arguments") {
            ty.args = self.type_args(args);
        }
        let n_args = node
            .child_by_field_name("arguments")
            .map_or(0, |a| a.named_child_count() as u32);
        let f = self.current_function();
        let line = line(node);
        for row in frameworks::rows(
            self.language,
            Syntax::Call,
            ty.name.rsplit('.').next().unwrap_or(""),
        ) {
            if row.fact == Fact::Transaction
                && !self.facts.tx_scopes.iter().any(|t| t.function == f)
            {
                self.facts.tx_scopes.push(TxScope { function: f, line });
            }
        }
        self.facts.functions[f as usize].calls.push(Call {
            receiver: None,
            name: "<init>".into(),
            kind: CallKind::New,
            args: n_args,
            line,
            ty: Some(ty),
        });
    }

    fn type_ref(&mut self, node: Node) {
        if node.start_byte() < self.last_type_ref_end {
            return;
        }
        if let Some(t) = self.type_of_node(node) {
            self.push_type_ref(node, t);
        }
    }

    fn push_type_ref(&mut self, node: Node, t: TypeRef) {
        self.last_type_ref_end = node.end_byte();
        let owner = self.innermost_type();
        self.facts.type_refs.push((owner, t));
    }

    fn string(&mut self, node: Node) {
        let t = self.text(node);
        let inner = t.get(1..t.len().saturating_sub(1)).unwrap_or("");
        if !looks_like_sql(inner) {
            return;
        }
        let function = if self.at_top_level() {
            None
        } else {
            Some(self.current_function())
        };
        self.facts.sql.push(StringLit {
            text: inner.to_string(),
            line: line(node),
            function,
        });
    }

    // ---- readers -----------------------------------------------------------

    fn params(&self, params: Node) -> Vec<(String, TypeRef)> {
        let mut out = Vec::new();
        let mut c = params.walk();
        for p in params.named_children(&mut c) {
            match p.kind() {
                "required_parameter" | "optional_parameter" => {
                    let Some(pat) = p.child_by_field_name("pattern") else {
                        continue;
                    };
                    if pat.kind() != "identifier" {
                        continue;
                    }
                    let ty = p
                        .child_by_field_name("type")
                        .and_then(|t| t.named_child(0))
                        .and_then(|t| self.type_of_node(t))
                        .unwrap_or_else(|| untyped(line(p)));
                    out.push((self.text(pat).to_string(), ty));
                }
                "identifier" => out.push((self.text(p).to_string(), untyped(line(p)))),
                "assignment_pattern" => {
                    if let Some(l) = p
                        .child_by_field_name("left")
                        .filter(|l| l.kind() == "identifier")
                    {
                        out.push((self.text(l).to_string(), untyped(line(p))));
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn type_args(&self, args: Node) -> Vec<TypeRef> {
        let mut c = args.walk();
        args.named_children(&mut c)
            .filter_map(|a| self.type_of_node(a))
            .collect()
    }

    /// A type node as a [`TypeRef`]; `None` for literal, function and
    /// other types that name nothing.
    fn type_of_node(&self, node: Node) -> Option<TypeRef> {
        let l = line(node);
        match node.kind() {
            "type_identifier" | "identifier" | "nested_type_identifier" | "member_expression" => {
                Some(TypeRef {
                    name: self.text(node).to_string(),
                    args: Vec::new(),
                    array_dims: 0,
                    line: l,
                })
            }
            "generic_type" => {
                let name = node.child_by_field_name("name")?;
                let args = node
                    .child_by_field_name("type_arguments")
                    .map(|a| self.type_args(a))
                    .unwrap_or_default();
                Some(TypeRef {
                    name: self.text(name).to_string(),
                    args,
                    array_dims: 0,
                    line: l,
                })
            }
            "array_type" => {
                let mut t = self.type_of_node(node.named_child(0)?)?;
                t.array_dims = t.array_dims.saturating_add(1);
                Some(t)
            }
            "readonly_type" | "parenthesized_type" => self.type_of_node(node.named_child(0)?),
            "union_type" | "intersection_type" => {
                let mut c = node.walk();
                let kids: Vec<Node> = node.named_children(&mut c).collect();
                let mut named = kids.into_iter().filter_map(|k| self.type_of_node(k));
                let first = named.next()?;
                Some(first)
            }
            _ => None,
        }
    }

    /// An expression naming a class (`Base`, `ns.Base`) as a type.
    fn value_type(&self, node: Node) -> Option<TypeRef> {
        match node.kind() {
            "identifier" | "member_expression" => {
                let text = self.text(node);
                text.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.')
                    .then(|| TypeRef {
                        name: text.to_string(),
                        args: Vec::new(),
                        array_dims: 0,
                        line: line(node),
                    })
            }
            "call_expression" => None,
            _ => None,
        }
    }

    fn expr(&self, node: Node, depth: usize) -> Expr {
        if depth > MAX_EXPR_DEPTH {
            return Expr::Unknown;
        }
        match node.kind() {
            "identifier" => Expr::Name(self.text(node).to_string()),
            "this" => Expr::This,
            "super" => Expr::Super,
            "member_expression" => {
                let (Some(obj), Some(prop)) = (
                    node.child_by_field_name("object"),
                    node.child_by_field_name("property"),
                ) else {
                    return Expr::Unknown;
                };
                Expr::Field(
                    Box::new(self.expr(obj, depth + 1)),
                    self.text(prop).to_string(),
                )
            }
            "call_expression" => {
                let Some(callee) = node.child_by_field_name("function") else {
                    return Expr::Unknown;
                };
                let n = node
                    .child_by_field_name("arguments")
                    .map_or(0, |a| a.named_child_count() as u32);
                match callee.kind() {
                    "identifier" => Expr::Call(None, self.text(callee).to_string(), n),
                    "member_expression" => {
                        let (Some(obj), Some(prop)) = (
                            callee.child_by_field_name("object"),
                            callee.child_by_field_name("property"),
                        ) else {
                            return Expr::Unknown;
                        };
                        Expr::Call(
                            Some(Box::new(self.expr(obj, depth + 1))),
                            self.text(prop).to_string(),
                            n,
                        )
                    }
                    _ => Expr::Unknown,
                }
            }
            "new_expression" => node
                .child_by_field_name("constructor")
                .and_then(|c| self.value_type(c))
                .map_or(Expr::Unknown, Expr::New),
            "as_expression" | "satisfies_expression" => {
                let mut c = node.walk();
                let kids: Vec<Node> = node.named_children(&mut c).collect();
                kids.get(1)
                    .and_then(|t| self.type_of_node(*t))
                    .map_or(Expr::Unknown, Expr::Cast)
            }
            "await_expression" | "parenthesized_expression" | "non_null_expression" => node
                .named_child(0)
                .map_or(Expr::Unknown, |n| self.expr(n, depth + 1)),
            "string" | "template_string" => Expr::StringLit,
            _ => Expr::Unknown,
        }
    }

    fn finish(mut self) -> FileFacts {
        if let Some(f) = self.ts.module_function {
            let last = self.src.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
            self.facts.functions[f as usize].lines = (1, last);
        }
        for (i, t) in self.facts.types.iter().enumerate() {
            let wiring = t.annotations.iter().any(|a| {
                let simple = a.name.rsplit('.').next().unwrap_or(&a.name);
                frameworks::rows(self.language, Syntax::Decorator, simple)
                    .any(|r| r.fact == Fact::Wiring)
            });
            if wiring {
                self.ts.module_classes.push(i as u32);
            }
        }
        self.facts.namespace = None;
        self.facts.typescript = Some(Box::new(self.ts));
        self.facts
    }
}

fn untyped(line: u32) -> TypeRef {
    TypeRef {
        name: String::new(),
        args: Vec::new(),
        array_dims: 0,
        line,
    }
}

fn shared_import(spec: &str, line: u32) -> super::Import {
    super::Import {
        path: spec.to_string(),
        kind: super::ImportKind::Single,
        line,
    }
}

/// The first present argument of `keys` (all positional-first rows use
/// `value`).
fn first_arg<'a>(a: &'a Annotation, keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .find_map(|k| a.args.iter().find(|(key, _)| key == k))
        .map(|(_, v)| v.as_str())
}

fn is_function_value(node: Node) -> bool {
    matches!(
        node.kind(),
        "arrow_function" | "function_expression" | "function" | "generator_function"
    )
}

fn strip_await(node: Node) -> Node {
    let mut n = node;
    while matches!(n.kind(), "await_expression" | "parenthesized_expression") {
        match n.named_child(0) {
            Some(c) => n = c,
            None => break,
        }
    }
    n
}

/// `module.exports = exports = x`: the last value.
fn strip_assign_chain(node: Node) -> Node {
    let mut n = node;
    while n.kind() == "assignment_expression" {
        match n.child_by_field_name("right") {
            Some(r) => n = r,
            None => break,
        }
    }
    n
}

fn is_require(x: &Extractor, node: Node) -> bool {
    node.kind() == "call_expression"
        && node
            .child_by_field_name("function")
            .is_some_and(|f| f.kind() == "identifier" && x.text(f) == "require")
        && require_specifier(x, node).is_some()
}

fn require_specifier(x: &Extractor, call: Node) -> Option<String> {
    call.child_by_field_name("arguments")
        .and_then(|a| a.named_child(0))
        .and_then(|s| x.string_value(s))
}

#[cfg(test)]
mod tests;
