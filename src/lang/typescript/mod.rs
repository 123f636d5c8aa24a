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
mod framework_facts;
mod modules;
pub mod plan;
pub mod project;
mod readers;
pub mod resolve;

use std::cell::RefCell;
use std::sync::OnceLock;

use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, Parser, Query, QueryCursor};

pub use facts::{Binding, Mount, MountTarget, Router, TsExport, TsFacts, TsImport, TsImportKind};

use super::lines::{count_code_lines, C_LIKE};
use super::looks_like_sql;
use super::plan_facts::TxScope;
use super::{
    Annotation, Call, CallKind, Diagnostic, Expr, Field, FileFacts, Frontend, Function,
    FunctionKind, Language, Local, StringLit, SuperKind, TypeDecl, TypeKind, TypeRef,
};
use crate::frameworks::{self, Fact, Syntax};

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
    pub(super) fn text(&self, node: Node) -> &'a str {
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

    pub(super) fn innermost_type(&self) -> Option<u32> {
        self.scopes.iter().rev().find_map(|(_, s)| match s {
            Scope::Type(t) => Some(*t),
            Scope::Function(_) => None,
        })
    }

    pub(super) fn innermost_function(&self) -> Option<u32> {
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
    pub(super) fn current_function(&mut self) -> u32 {
        match self.scopes.last() {
            Some((_, Scope::Function(f))) => *f,
            Some((_, Scope::Type(t))) => {
                let t = *t;
                self.fields_function(t)
            }
            None => self.module_function(),
        }
    }

    pub(super) fn at_top_level(&self) -> bool {
        self.scopes.is_empty()
    }

    pub(super) fn module_function(&mut self) -> u32 {
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

    pub(super) fn fields_function(&mut self, t: u32) -> u32 {
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

    pub(super) fn declare(&mut self, name: &str) {
        if self.at_top_level() && !name.is_empty() && !self.ts.declared.iter().any(|d| d == name) {
            self.ts.declared.push(name.to_string());
        }
    }

    pub(super) fn has_child_kind(node: Node, kind: &str) -> bool {
        let mut c = node.walk();
        let found = node.children(&mut c).any(|n| n.kind() == kind);
        found
    }

    /// Decorators of a declaration: its own `decorator` children and, for
    /// a class member, the `decorator` siblings just before it (the
    /// TypeScript grammar puts method decorators there), and those of an
    /// enclosing `export` statement.
    pub(super) fn decorators(&self, node: Node) -> Vec<Annotation> {
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

    pub(super) fn decorator(&self, node: Node) -> Option<Annotation> {
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
    pub(super) fn read_args(&self, args: Node, out: &mut Vec<(String, String)>) {
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

    pub(super) fn object_props(&self, obj: Node, out: &mut Vec<(String, String)>) {
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

    pub(super) fn push_function(
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

    pub(super) fn push_type_ref(&mut self, node: Node, t: TypeRef) {
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
