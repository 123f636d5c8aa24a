//! The Python frontend: tree-sitter-python plus the queries in
//! `grammars/python/`.
//!
//! Like the Java frontend, the queries say what to find and this file
//! assembles the captures into [`FileFacts`] by byte-range containment.
//! Python specifics that the shared model has no slot for (relative import
//! levels, `from` names and aliases, where an import sits, `__all__`) go to
//! [`PyFacts`]. The plan facts (model tables, routes, transaction scopes) are
//! stated in the language-neutral [`TableDecl`], [`RouteDecl`] and
//! [`TxScope`] rows; see docs/python.md for the idioms recognised.

pub mod plan;
pub mod resolve;

use crate::frameworks::{self, Fact, Method, Syntax};
use std::cell::RefCell;
use std::sync::OnceLock;

use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, Parser, Query, QueryCursor};

use super::lines::{count_code_lines, CommentSyntax};
use super::{
    Annotation, Call, CallKind, Diagnostic, Expr, Field, FileFacts, Frontend, Function,
    FunctionKind, Import, ImportKind, Language, Local, RouteDecl, StringLit, TableDecl, TxScope,
    TypeDecl, TypeKind, TypeRef,
};

pub const QUERIES: [(&str, &str); 3] = [
    (
        "definitions.scm",
        include_str!("../../../grammars/python/definitions.scm"),
    ),
    (
        "references.scm",
        include_str!("../../../grammars/python/references.scm"),
    ),
    (
        "complexity.scm",
        include_str!("../../../grammars/python/complexity.scm"),
    ),
];

const MAX_EXPR_DEPTH: usize = 48;

const HASH: CommentSyntax = CommentSyntax {
    line: &["#"],
    block: &[],
};

pub struct PythonFrontend;

/// One `import` or `from ... import` statement.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct PyImport {
    /// Dotted module as written, without the leading dots of a relative import.
    pub module: String,
    /// Number of leading dots (0 = absolute).
    pub level: u32,
    /// `from m import a as b, c`: `(a, Some(b)), (c, None)`. Empty for `import m`.
    pub names: Vec<(String, Option<String>)>,
    /// `import a.b as x`: `x`.
    pub alias: Option<String>,
    pub from: bool,
    /// `from m import *`.
    pub star: bool,
    pub line: u32,
    /// Inside a function body (executed on call, not at import).
    pub in_function: bool,
    /// Under `if TYPE_CHECKING:` (never executed at run time).
    pub type_checking: bool,
    /// Inside a `try` whose handler catches `ImportError`, or in that handler.
    pub fallback: bool,
}

/// Python facts the shared model has no slot for.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct PyFacts {
    pub imports: Vec<PyImport>,
    /// `__all__ = [...]` when stated as a literal list or tuple.
    pub all: Option<Vec<String>>,
    /// Module-level names bound by assignment, with the assigned expression.
    pub globals: Vec<(String, Expr)>,
}

fn ts_language() -> tree_sitter::Language {
    tree_sitter_python::LANGUAGE.into()
}

pub fn query() -> &'static Query {
    static QUERY: OnceLock<Query> = OnceLock::new();
    QUERY.get_or_init(|| {
        let source: String = QUERIES
            .iter()
            .map(|(_, q)| *q)
            .collect::<Vec<_>>()
            .join("\n");
        Query::new(&ts_language(), &source).expect("grammars/python/*.scm must compile")
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cap {
    Import,
    Class,
    Function,
    Decorator,
    Assign,
    With,
    For,
    Python2,
    Call,
    TypeRef,
    Branch,
    Other,
}

fn capture_kinds() -> &'static [Cap] {
    static KINDS: OnceLock<Vec<Cap>> = OnceLock::new();
    KINDS.get_or_init(|| {
        query()
            .capture_names()
            .iter()
            .map(|n| match *n {
                "import" => Cap::Import,
                "class" => Cap::Class,
                "function" => Cap::Function,
                "decorator" => Cap::Decorator,
                "assign" => Cap::Assign,
                "with" => Cap::With,
                "for" => Cap::For,
                "python2" => Cap::Python2,
                "call" => Cap::Call,
                "type_ref" => Cap::TypeRef,
                "branch" => Cap::Branch,
                _ => Cap::Other,
            })
            .collect()
    })
}

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new({
        let mut p = Parser::new();
        p.set_language(&ts_language()).expect("tree-sitter-python matches the tree-sitter ABI");
        p
    });
}

/// Decodes Python source bytes: UTF-8 (BOM stripped); else the PEP 263
/// coding cookie on line 1 or 2 when it names latin-1 / iso-8859-1 /
/// cp1252 / windows-1252; else UTF-8 with replacement. Returns the text and
/// a diagnostic when the bytes were not UTF-8.
pub fn decode(bytes: &[u8]) -> (String, Option<String>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_string(), None);
    }
    let cookie = coding_cookie(bytes);
    match cookie.as_deref() {
        Some("latin-1" | "latin1" | "iso-8859-1" | "iso8859-1" | "l1") => (
            bytes.iter().map(|&b| b as char).collect(),
            Some("decoded as latin-1 (PEP 263 coding cookie)".into()),
        ),
        Some("cp1252" | "windows-1252") => (
            bytes.iter().map(|&b| cp1252(b)).collect(),
            Some("decoded as cp1252 (PEP 263 coding cookie)".into()),
        ),
        Some(other) => (
            String::from_utf8_lossy(bytes).into_owned(),
            Some(format!(
                "coding cookie {other:?} is not supported and the file is not valid UTF-8; undecodable bytes were replaced"
            )),
        ),
        None => (
            String::from_utf8_lossy(bytes).into_owned(),
            Some("not valid UTF-8 and no PEP 263 coding cookie; undecodable bytes were replaced".into()),
        ),
    }
}

/// The encoding named by a PEP 263 cookie (`coding[:=]\s*([-\w.]+)`) on one
/// of the first two lines, lower-cased with `_` read as `-`.
fn coding_cookie(bytes: &[u8]) -> Option<String> {
    for line in bytes.split(|&b| b == b'\n').take(2) {
        let line = String::from_utf8_lossy(line);
        let t = line.trim_start();
        if !t.starts_with('#') {
            continue;
        }
        let Some(i) = t.find("coding") else { continue };
        let rest = &t[i + 6..];
        let Some(rest) = rest.strip_prefix([':', '=']) else {
            continue;
        };
        let name: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect();
        if !name.is_empty() {
            return Some(name.to_ascii_lowercase().replace('_', "-"));
        }
    }
    None
}

/// cp1252 differs from latin-1 only in 0x80..=0x9F.
fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '\u{20AC}', '\u{FFFD}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}',
        '\u{2021}', '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{FFFD}',
        '\u{017D}', '\u{FFFD}', '\u{FFFD}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}',
        '\u{2022}', '\u{2013}', '\u{2014}', '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}',
        '\u{0153}', '\u{FFFD}', '\u{017E}', '\u{0178}',
    ];
    if (0x80..=0x9F).contains(&b) {
        HIGH[(b - 0x80) as usize]
    } else {
        b as char
    }
}

impl Frontend for PythonFrontend {
    fn language(&self) -> Language {
        Language::Python
    }

    fn parse(&self, path: &str, source: &str) -> FileFacts {
        let tree = PARSER.with(|p| p.borrow_mut().parse(source, None));
        let mut facts = FileFacts {
            code_lines: count_code_lines(source, &HASH),
            python: Some(Box::default()),
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
            facts.diagnostics.push(syntax_diagnostic(root, source));
        }
        Extractor {
            src: source.as_bytes(),
            path,
            facts,
            py: PyFacts::default(),
            stack: Vec::new(),
            initializers: Vec::new(),
            module_init: None,
            prefixes: Vec::new(),
        }
        .run(root)
    }
}

fn syntax_diagnostic(root: Node, source: &str) -> Diagnostic {
    let mut first: Option<u32> = None;
    let mut count = 0u32;
    let mut cursor = root.walk();
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
    // Python 2 gives itself away by its print statement and `except X, e`.
    let py2 = source.lines().any(|l| {
        let t = l.trim_start();
        (t.starts_with("print ") && !t.starts_with("print ("))
            || (t.starts_with("except ") && t.contains(", ") && !t.contains('('))
    });
    Diagnostic {
        line: first,
        message: format!(
            "syntax error{} ({} error node{}){}; facts from this file may be partial",
            first.map(|l| format!(" at line {l}")).unwrap_or_default(),
            count,
            if count == 1 { "" } else { "s" },
            if py2 {
                "; this looks like Python 2 source"
            } else {
                ""
            }
        ),
    }
}

#[derive(Clone, Copy)]
enum Container {
    Type(u32),
    Function(u32),
}

struct Extractor<'s> {
    src: &'s [u8],
    path: &'s str,
    facts: FileFacts,
    py: PyFacts,
    stack: Vec<(usize, Container)>,
    initializers: Vec<Option<u32>>,
    module_init: Option<u32>,
    /// Module-level route prefixes: (variable, prefix) for
    /// `bp = Blueprint(..., url_prefix=)` and `router = APIRouter(prefix=)`.
    prefixes: Vec<(String, String)>,
}

fn line(node: Node) -> u32 {
    node.start_position().row as u32 + 1
}

fn span(node: Node) -> (u32, u32) {
    (line(node), node.end_position().row as u32 + 1)
}

fn new_function(name: &str, owner: Option<u32>, kind: FunctionKind, lines: (u32, u32)) -> Function {
    Function {
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
    }
}

/// The text of a string literal without prefix and quotes; `None` for
/// f-strings with interpolations and non-strings.
fn string_value(node: Node, src: &[u8]) -> Option<String> {
    if node.kind() != "string" {
        return None;
    }
    let mut out = String::new();
    let mut cursor = node.walk();
    for c in node.named_children(&mut cursor) {
        match c.kind() {
            "string_content" => out.push_str(c.utf8_text(src).ok()?),
            "interpolation" => return None,
            _ => {}
        }
    }
    Some(out)
}

impl<'s> Extractor<'s> {
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
                captures.push((
                    c.node.start_byte(),
                    c.node.end_byte(),
                    c.node,
                    kinds[c.index as usize],
                ));
            }
        }
        captures.sort_by_key(|&(start, end, n, _)| (start, std::cmp::Reverse(end), n.id()));
        captures.dedup_by_key(|(_, _, n, kind)| (n.id(), *kind));
        for (start, _, node, kind) in captures {
            while self.stack.last().is_some_and(|(end, _)| *end <= start) {
                self.stack.pop();
            }
            match kind {
                Cap::Import => self.import(node),
                Cap::Class => self.class(node),
                Cap::Function => self.function(node),
                Cap::Decorator => self.decorator(node),
                Cap::Assign => self.assign(node),
                Cap::With => self.with_item(node),
                Cap::For => self.for_loop(node),
                Cap::Python2 => {
                    if !self
                        .facts
                        .diagnostics
                        .iter()
                        .any(|d| d.message.contains("Python 2"))
                    {
                        self.facts.diagnostics.push(Diagnostic {
                            line: Some(line(node)),
                            message: format!(
                                "Python 2 syntax at line {} ({}); facts from this file may be partial",
                                line(node),
                                node.kind().replace('_', " ")
                            ),
                        });
                    }
                }
                Cap::Call => self.call(node),
                Cap::TypeRef => self.type_ref(node),
                Cap::Branch => self.facts.complexity += 1,
                Cap::Other => {}
            }
        }
        self.finish()
    }

    fn finish(mut self) -> FileFacts {
        self.models();
        self.facts.python = Some(Box::new(self.py));
        self.facts
    }

    fn enclosing_type(&self) -> Option<u32> {
        match self.stack.last()? {
            (_, Container::Type(t)) => Some(*t),
            _ => None,
        }
    }

    fn in_function(&self) -> bool {
        self.stack
            .iter()
            .any(|(_, c)| matches!(c, Container::Function(_)))
    }

    /// The function code at the current position belongs to: the innermost
    /// function (nested functions count as their outer function), the
    /// class-body pseudo-function, or the module pseudo-function.
    fn current_function(&mut self) -> u32 {
        if let Some(f) = self.stack.iter().find_map(|(_, c)| match c {
            Container::Function(f) => Some(*f),
            _ => None,
        }) {
            return f;
        }
        match self.stack.last().map(|(_, c)| *c) {
            Some(Container::Type(t)) => {
                if let Some(f) = self.initializers[t as usize] {
                    return f;
                }
                let lines = self.facts.types[t as usize].lines;
                let f = self.facts.functions.len() as u32;
                self.facts.functions.push(new_function(
                    "<class>",
                    Some(t),
                    FunctionKind::Initializer,
                    lines,
                ));
                self.initializers[t as usize] = Some(f);
                f
            }
            _ => {
                if let Some(f) = self.module_init {
                    return f;
                }
                let f = self.facts.functions.len() as u32;
                self.facts.functions.push(new_function(
                    "<module>",
                    None,
                    FunctionKind::Initializer,
                    (1, 1),
                ));
                self.module_init = Some(f);
                f
            }
        }
    }

    fn import(&mut self, node: Node) {
        let mut imp = PyImport {
            line: line(node),
            in_function: self.in_function(),
            ..PyImport::default()
        };
        let (type_checking, fallback) = self.import_context(node);
        imp.type_checking = type_checking;
        imp.fallback = fallback;
        let mut cursor = node.walk();
        if node.kind() == "import_from_statement" {
            imp.from = true;
            let Some(m) = node.child_by_field_name("module_name") else {
                return;
            };
            if m.kind() == "relative_import" {
                let mut c2 = m.walk();
                for part in m.named_children(&mut c2) {
                    match part.kind() {
                        "import_prefix" => {
                            imp.level = self.text(part).chars().filter(|&c| c == '.').count() as u32
                        }
                        "dotted_name" => imp.module = strip_ws(self.text(part)),
                        _ => {}
                    }
                }
            } else {
                imp.module = strip_ws(self.text(m));
            }
            for c in node.children_by_field_name("name", &mut cursor) {
                match c.kind() {
                    "dotted_name" => imp.names.push((strip_ws(self.text(c)), None)),
                    "aliased_import" => {
                        let n = c
                            .child_by_field_name("name")
                            .map(|n| strip_ws(self.text(n)));
                        let a = c
                            .child_by_field_name("alias")
                            .map(|n| self.text(n).to_string());
                        if let Some(n) = n {
                            imp.names.push((n, a));
                        }
                    }
                    _ => {}
                }
            }
            let mut c3 = node.walk();
            imp.star = node
                .named_children(&mut c3)
                .any(|c| c.kind() == "wildcard_import");
            let dots = ".".repeat(imp.level as usize);
            self.facts.imports.push(Import {
                path: format!("{dots}{}", imp.module),
                kind: if imp.star {
                    ImportKind::Wildcard
                } else {
                    ImportKind::Single
                },
                line: imp.line,
            });
            self.py.imports.push(imp);
        } else {
            for c in node.children_by_field_name("name", &mut cursor) {
                let mut one = imp.clone();
                match c.kind() {
                    "dotted_name" => one.module = strip_ws(self.text(c)),
                    "aliased_import" => {
                        let Some(n) = c.child_by_field_name("name") else {
                            continue;
                        };
                        one.module = strip_ws(self.text(n));
                        one.alias = c
                            .child_by_field_name("alias")
                            .map(|n| self.text(n).to_string());
                    }
                    _ => continue,
                }
                self.facts.imports.push(Import {
                    path: one.module.clone(),
                    kind: ImportKind::Single,
                    line: one.line,
                });
                self.py.imports.push(one);
            }
        }
    }

    /// (under `if TYPE_CHECKING:`, in a `try`/`except ImportError` pair).
    fn import_context(&self, node: Node) -> (bool, bool) {
        let (mut tc, mut fb) = (false, false);
        let mut child = node;
        let mut at = node.parent();
        while let Some(p) = at {
            match p.kind() {
                "if_statement" => {
                    let in_consequence = p
                        .child_by_field_name("consequence")
                        .is_some_and(|c| c.id() == child.id());
                    if in_consequence {
                        if let Some(cond) = p.child_by_field_name("condition") {
                            if self.text(cond).ends_with("TYPE_CHECKING") {
                                tc = true;
                            }
                        }
                    }
                }
                "try_statement" => {
                    let mut c = p.walk();
                    if p.named_children(&mut c).any(|h| {
                        h.kind() == "except_clause" && {
                            let t = self.text(h);
                            let head = t.split(':').next().unwrap_or("");
                            head.contains("ImportError") || head.contains("ModuleNotFoundError")
                        }
                    }) {
                        fb = true;
                    }
                }
                "function_definition" | "class_definition" => break,
                _ => {}
            }
            child = p;
            at = p.parent();
        }
        (tc, fb)
    }

    fn class(&mut self, node: Node) {
        let Some(name) = node.child_by_field_name("name") else {
            return;
        };
        let name = self.text(name).to_string();
        let parent = self.enclosing_type();
        let path = match parent {
            Some(p) => format!("{}.{}", self.facts.types[p as usize].path, name),
            None => name.clone(),
        };
        let mut supertypes = Vec::new();
        if let Some(args) = node.child_by_field_name("superclasses") {
            let mut c = args.walk();
            for a in args.named_children(&mut c) {
                if matches!(a.kind(), "identifier" | "attribute") {
                    supertypes.push((
                        super::SuperKind::Extends,
                        TypeRef {
                            name: strip_ws(self.text(a)),
                            args: Vec::new(),
                            array_dims: 0,
                            line: line(a),
                        },
                    ));
                }
            }
        }
        let annotations = self.decorators_of(node);
        let idx = self.facts.types.len() as u32;
        self.facts.types.push(TypeDecl {
            name,
            path,
            kind: TypeKind::Class,
            parent,
            lines: span(node),
            supertypes,
            fields: Vec::new(),
            annotations,
            type_params: Vec::new(),
        });
        self.initializers.push(None);
        self.stack.push((node.end_byte(), Container::Type(idx)));
    }

    fn decorators_of(&self, def: Node) -> Vec<Annotation> {
        let Some(p) = def.parent().filter(|p| p.kind() == "decorated_definition") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut c = p.walk();
        for d in p.named_children(&mut c) {
            if d.kind() != "decorator" {
                continue;
            }
            let Some(e) = d.named_child(0) else { continue };
            out.push(self.annotation_of(e));
        }
        out
    }

    /// `@a.b(x, k=y)` → name `a.b`, args `[("value", x), ("k", y)]`.
    fn annotation_of(&self, e: Node) -> Annotation {
        let (callee, args) = if e.kind() == "call" {
            (
                e.child_by_field_name("function").unwrap_or(e),
                e.child_by_field_name("arguments"),
            )
        } else {
            (e, None)
        };
        let mut out = Vec::new();
        if let Some(args) = args {
            let mut c = args.walk();
            let mut positional = 0;
            for a in args.named_children(&mut c) {
                if a.kind() == "keyword_argument" {
                    let k = a
                        .child_by_field_name("name")
                        .map(|n| self.text(n).to_string())
                        .unwrap_or_default();
                    let v = a
                        .child_by_field_name("value")
                        .map(|v| {
                            string_value(v, self.src).unwrap_or_else(|| strip_ws(self.text(v)))
                        })
                        .unwrap_or_default();
                    out.push((k, v));
                } else {
                    let k = if positional == 0 {
                        "value".to_string()
                    } else {
                        format!("arg{positional}")
                    };
                    positional += 1;
                    out.push((
                        k,
                        string_value(a, self.src).unwrap_or_else(|| strip_ws(self.text(a))),
                    ));
                }
            }
        }
        Annotation {
            name: strip_ws(self.text(callee)),
            args: out,
            line: line(e),
        }
    }

    fn function(&mut self, node: Node) {
        if self.in_function() {
            // A nested function is part of its outer function: its calls
            // are the outer function's calls.
            return;
        }
        let owner = self.enclosing_type();
        let name = node
            .child_by_field_name("name")
            .map(|n| self.text(n).to_string())
            .unwrap_or_default();
        let mut f = new_function(&name, owner, FunctionKind::Method, span(node));
        if let Some(ps) = node.child_by_field_name("parameters") {
            let mut c = ps.walk();
            for p in ps.named_children(&mut c) {
                let (pname, ty) = match p.kind() {
                    "typed_parameter" => (
                        p.named_child(0).map(|n| self.text(n).to_string()),
                        p.child_by_field_name("type"),
                    ),
                    "typed_default_parameter" => (
                        p.child_by_field_name("name")
                            .map(|n| self.text(n).to_string()),
                        p.child_by_field_name("type"),
                    ),
                    _ => continue,
                };
                if let (Some(n), Some(t)) = (pname, ty.and_then(|t| self.type_of(t))) {
                    f.params.push((n, t));
                }
            }
        }
        f.returns = node
            .child_by_field_name("return_type")
            .and_then(|t| self.type_of(t));
        f.annotations = self.decorators_of(node);
        f.is_static = f
            .annotations
            .iter()
            .any(|a| matches!(a.name.as_str(), "staticmethod" | "classmethod"));
        let idx = self.facts.functions.len() as u32;
        let tx = f
            .annotations
            .iter()
            .any(|a| opens_transaction(&a.name, Syntax::Decorator));
        let routes = self.routes_of(&f.annotations);
        self.facts.functions.push(f);
        if tx {
            self.facts.tx_scopes.push(TxScope {
                function: idx,
                line: line(node),
            });
        }
        for (method, path) in routes {
            self.facts.routes.push(RouteDecl {
                method,
                path,
                function: Some(idx),
                handler: None,
                include: None,
                line: line(node),
            });
        }
        self.facts.complexity += 1;
        self.stack.push((node.end_byte(), Container::Function(idx)));
    }

    /// Flask `@app.route("/p", methods=[...])`, `@bp.get("/p")`, FastAPI
    /// `@router.post("/p")`, with the prefix of a blueprint or router
    /// declared in this file.
    fn routes_of(&self, anns: &[Annotation]) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for a in anns {
            let Some((var, verb)) = a.name.rsplit_once('.') else {
                continue;
            };
            let route = frameworks::find(Language::Python, Syntax::Decorator, verb, |r| {
                match r.fact {
                    Fact::Route { method, path_args } => Some((method, path_args)),
                    _ => None,
                }
            });
            let Some((method, path_args)) = route else {
                continue;
            };
            let methods: Vec<String> = match method {
                Method::Fixed(m) => vec![m.to_string()],
                Method::FromArg { arg, default } => match a.args.iter().find(|(k, _)| k == arg) {
                    Some((_, v)) => v
                        .trim_matches(|c| c == '[' || c == ']' || c == '(' || c == ')')
                        .split(',')
                        .map(|m| {
                            m.trim()
                                .trim_matches(|c| c == '"' || c == '\'')
                                .to_ascii_uppercase()
                        })
                        .filter(|m| !m.is_empty())
                        .collect(),
                    None => vec![default.to_string()],
                },
                Method::FromVerb => continue,
            };
            let Some(path) = a
                .args
                .iter()
                .find(|(k, _)| path_args.contains(&k.as_str()))
                .map(|(_, v)| v.clone())
            else {
                continue;
            };
            if !path.starts_with('/') && !path.is_empty() {
                continue;
            }
            let prefix = self
                .prefixes
                .iter()
                .find(|(v, _)| v == var)
                .map(|(_, p)| p.as_str())
                .unwrap_or("");
            for m in methods {
                out.push((m, format!("{prefix}{path}")));
            }
        }
        out
    }

    fn decorator(&mut self, _node: Node) {
        // Read with their definition (`decorators_of`); captured so the
        // calls inside decorator arguments are not attributed elsewhere.
    }

    fn assign(&mut self, node: Node) {
        let Some(left) = node.child_by_field_name("left") else {
            return;
        };
        let right = node.child_by_field_name("right");
        let ty = node
            .child_by_field_name("type")
            .and_then(|t| self.type_of(t));
        let init = right.map(|r| self.expr(r, 0));
        let in_fn = self.in_function();
        let owner = self.enclosing_type();
        match left.kind() {
            "identifier" => {
                let name = self.text(left).to_string();
                if in_fn {
                    let f = self.current_function();
                    self.facts.functions[f as usize].locals.push(Local {
                        name,
                        ty,
                        init,
                        element_of_init: false,
                        line: line(node),
                    });
                } else if let Some(t) = owner {
                    if let Some(ty) = ty.or_else(|| init.as_ref().and_then(ctor_type)) {
                        self.facts.types[t as usize].fields.push(Field {
                            name: name.clone(),
                            ty,
                            line: line(node),
                        });
                    }
                    if let Some(r) = right.filter(|r| r.kind() == "call") {
                        self.relation(t, &name, r);
                    }
                    // String class attributes (`__tablename__`, `db_table`)
                    // kept as annotations of the class for the model rules.
                    if let Some(v) = right.and_then(|r| string_value(r, self.src)) {
                        self.facts.types[t as usize].annotations.push(Annotation {
                            name: format!("={name}"),
                            args: vec![("value".into(), v)],
                            line: line(node),
                        });
                    } else if let Some(r) = right.filter(|r| matches!(r.kind(), "true" | "false")) {
                        let v = self.text(r).to_string();
                        self.facts.types[t as usize].annotations.push(Annotation {
                            name: format!("={name}"),
                            args: vec![("value".into(), v)],
                            line: line(node),
                        });
                    }
                } else {
                    if name == "__all__" {
                        if let Some(r) = right {
                            self.py.all = Some(self.string_list(r));
                        }
                    }
                    if let Some(r) = right.filter(|r| r.kind() == "call") {
                        self.prefix_decl(&name, r);
                    }
                    if let Some(e) = init {
                        self.py.globals.push((name, e));
                    }
                }
            }
            "attribute" => {
                // self.x = Foo() / self.x: Foo = ... inside a method.
                let obj = left.child_by_field_name("object").map(|o| self.text(o));
                let attr = left.child_by_field_name("attribute").map(|a| self.text(a));
                if let (Some("self"), Some(attr), true) = (obj, attr, in_fn) {
                    let f = self.current_function();
                    if let Some(t) = self.facts.functions[f as usize].owner {
                        if let Some(ty) = ty.or_else(|| init.as_ref().and_then(ctor_type)) {
                            let fields = &mut self.facts.types[t as usize].fields;
                            if !fields.iter().any(|fd| fd.name == attr) {
                                fields.push(Field {
                                    name: attr.to_string(),
                                    ty,
                                    line: line(node),
                                });
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// `bp = Blueprint("n", __name__, url_prefix="/p")`,
    /// `router = APIRouter(prefix="/p")`.
    fn prefix_decl(&mut self, var: &str, call: Node) {
        let a = self.annotation_of(call);
        let simple = a.name.rsplit('.').next().unwrap_or("");
        if !matches!(simple, "Blueprint" | "APIRouter") {
            return;
        }
        let prefix = a
            .args
            .iter()
            .find(|(k, _)| k == "url_prefix" || k == "prefix")
            .map(|(_, v)| v.trim_end_matches('/').to_string())
            .unwrap_or_default();
        self.prefixes.push((var.to_string(), prefix));
    }

    fn string_list(&self, node: Node) -> Vec<String> {
        let mut out = Vec::new();
        let mut c = node.walk();
        for s in node.named_children(&mut c) {
            if let Some(v) = string_value(s, self.src) {
                out.push(v);
            }
        }
        out
    }

    fn with_item(&mut self, node: Node) {
        let Some(value) = node.child_by_field_name("value") else {
            return;
        };
        let (value, alias) = if value.kind() == "as_pattern" {
            let alias = value
                .child_by_field_name("alias")
                .map(|a| self.text(a).trim().to_string());
            (value.named_child(0).unwrap_or(value), alias)
        } else {
            (value, None)
        };
        if !self.in_function() {
            return;
        }
        let f = self.current_function();
        if value.kind() == "call" {
            let callee = value
                .child_by_field_name("function")
                .map(|c| strip_ws(self.text(c)))
                .unwrap_or_default();
            let opens = opens_transaction(&callee, Syntax::Call);
            if opens && !self.facts.tx_scopes.iter().any(|t| t.function == f) {
                self.facts.tx_scopes.push(TxScope {
                    function: f,
                    line: line(node),
                });
            }
        }
        if let Some(name) = alias {
            let init = Some(self.expr(value, 0));
            self.facts.functions[f as usize].locals.push(Local {
                name,
                ty: None,
                init,
                element_of_init: false,
                line: line(node),
            });
        }
    }

    fn for_loop(&mut self, node: Node) {
        if !self.in_function() {
            return;
        }
        let (Some(left), Some(right)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("right"),
        ) else {
            return;
        };
        if left.kind() != "identifier" {
            return;
        }
        let init = Some(self.expr(right, 0));
        let name = self.text(left).to_string();
        let f = self.current_function();
        self.facts.functions[f as usize].locals.push(Local {
            name,
            ty: None,
            init,
            element_of_init: true,
            line: line(node),
        });
    }

    /// Django relation fields: `x = models.ForeignKey(Target, related_name="rn")`
    /// types the field `x` by `Target` and is kept as an `=fk` annotation
    /// of the class (field, target, related name) for reverse relations.
    fn relation(&mut self, owner: u32, name: &str, call: Node) {
        let a = self.annotation_of(call);
        let simple = a.name.rsplit('.').next().unwrap_or("");
        if !matches!(simple, "ForeignKey" | "OneToOneField" | "ManyToManyField") {
            return;
        }
        let Some(target) = a
            .args
            .iter()
            .find(|(k, _)| k == "value" || k == "to")
            .map(|(_, v)| v.clone())
        else {
            return;
        };
        let class_name = self.facts.types[owner as usize].name.clone();
        let target = if target == "self" {
            class_name.clone()
        } else {
            // "app_label.Model" strings name the model class.
            match target.split_once('.') {
                Some((_, m))
                    if !target.contains('(')
                        && target.matches('.').count() == 1
                        && m.starts_with(char::is_uppercase) =>
                {
                    m.to_string()
                }
                _ => target,
            }
        };
        let related = a
            .args
            .iter()
            .find(|(k, _)| k == "related_name")
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| format!("{}_set", class_name.to_ascii_lowercase()));
        let ty = TypeRef {
            name: target.clone(),
            args: Vec::new(),
            array_dims: 0,
            line: line(call),
        };
        let t = &mut self.facts.types[owner as usize];
        if simple != "ManyToManyField" {
            if let Some(fd) = t.fields.iter_mut().find(|fd| fd.name == name) {
                fd.ty = ty;
            }
        }
        t.annotations.push(Annotation {
            name: "=fk".into(),
            args: vec![
                ("field".into(), name.to_string()),
                ("target".into(), target),
                ("related_name".into(), related),
                ("kind".into(), simple.to_string()),
            ],
            line: line(call),
        });
    }

    fn call(&mut self, node: Node) {
        let Some(callee) = node.child_by_field_name("function") else {
            return;
        };
        let args = node
            .child_by_field_name("arguments")
            .map_or(0, |a| a.named_child_count() as u32);
        let (receiver, name) = match callee.kind() {
            "identifier" if self.text(callee) == "super" => return,
            "identifier" => (None, self.text(callee).to_string()),
            "attribute" => {
                let Some(obj) = callee.child_by_field_name("object") else {
                    return;
                };
                let Some(attr) = callee.child_by_field_name("attribute") else {
                    return;
                };
                (Some(self.expr(obj, 0)), self.text(attr).to_string())
            }
            _ => return,
        };
        // Django urls.py: path("p/", view) / re_path / include("m.urls").
        if receiver.is_none() && matches!(name.as_str(), "path" | "re_path" | "url") {
            self.url_route(node);
        }
        if let Some(Expr::Name(v)) = &receiver {
            if matches!(name.as_str(), "register_blueprint" | "include_router") {
                self.mount(node, v.clone());
            }
        }
        let f = self.current_function();
        self.sql_call(node, &name, f);
        self.facts.functions[f as usize].calls.push(Call {
            receiver,
            name,
            kind: CallKind::Method,
            args,
            line: line(node),
            ty: None,
        });
    }

    /// Calls the framework table says run the SQL of their first argument
    /// (`cursor.execute("...")`) or declare a table (`Table("orders",
    /// metadata, ...)`), when that argument is a plain string.
    fn sql_call(&mut self, node: Node, name: &str, function: u32) {
        let first = node.child_by_field_name("arguments").and_then(|a| {
            let mut cursor = a.walk();
            let first = a
                .named_children(&mut cursor)
                .find(|c| c.kind() != "comment");
            first
        });
        let Some(text) = first.and_then(|n| string_value(n, self.src)) else {
            return;
        };
        let fact = frameworks::find(Language::Python, Syntax::Call, name, |r| match r.fact {
            Fact::SqlArg | Fact::Table { .. } => Some(r.fact),
            _ => None,
        });
        match fact {
            Some(Fact::SqlArg) => self.facts.sql.push(StringLit {
                text,
                line: line(node),
                function: Some(function),
            }),
            Some(Fact::Table { .. }) if !text.is_empty() => self.facts.tables.push(TableDecl {
                table: text.to_ascii_lowercase(),
                type_index: None,
                line: line(node),
                queries_name_type: false,
                reads: None,
            }),
            _ => {}
        }
    }

    fn url_route(&mut self, node: Node) {
        let Some(args) = node.child_by_field_name("arguments") else {
            return;
        };
        let mut c = args.walk();
        let pos: Vec<Node> = args
            .named_children(&mut c)
            .filter(|a| a.kind() != "keyword_argument" && a.kind() != "comment")
            .collect();
        let (Some(p), Some(&target)) = (pos.first(), pos.get(1)) else {
            return;
        };
        // A view wrapped by a decorator call (`csrf_exempt(View.as_view())`,
        // `login_required(views.x)`): the wrapped view is the handler.
        let mut target = target;
        for _ in 0..4 {
            if target.kind() != "call" {
                break;
            }
            let callee = target
                .child_by_field_name("function")
                .map(|f| strip_ws(self.text(f)))
                .unwrap_or_default();
            if callee == "include" || callee.ends_with(".include") || callee.ends_with(".as_view") {
                break;
            }
            match target
                .child_by_field_name("arguments")
                .and_then(|a| a.named_child(0))
                .filter(|a| a.kind() != "keyword_argument")
            {
                Some(inner) => target = inner,
                None => break,
            }
        }
        let Some(path) = string_value(*p, self.src) else {
            return;
        };
        let path = path
            .trim_start_matches('^')
            .trim_end_matches('$')
            .to_string();
        let mut route = RouteDecl {
            method: "ANY".into(),
            path,
            function: None,
            handler: None,
            include: None,
            line: line(node),
        };
        if target.kind() == "call" {
            let callee = target
                .child_by_field_name("function")
                .map(|f| strip_ws(self.text(f)))
                .unwrap_or_default();
            if callee == "include" || callee.ends_with(".include") {
                let first = target
                    .child_by_field_name("arguments")
                    .and_then(|a| a.named_child(0));
                match first {
                    Some(s) if s.kind() == "string" => route.include = string_value(s, self.src),
                    Some(e) => route.include = Some(strip_ws(self.text(e))),
                    None => return,
                }
            } else if let Some(obj) = callee.strip_suffix(".as_view") {
                route.handler = Some(obj.to_string());
            } else {
                return;
            }
        } else {
            route.handler = Some(strip_ws(self.text(target)));
        }
        self.facts.routes.push(route);
    }

    /// `app.register_blueprint(bp, url_prefix=)`, `app.include_router(r, prefix=)`.
    fn mount(&mut self, node: Node, _var: String) {
        let a = self.annotation_of(node);
        let Some(target) = a.args.iter().find(|(k, _)| k == "value") else {
            return;
        };
        let prefix = a
            .args
            .iter()
            .find(|(k, _)| k == "url_prefix" || k == "prefix")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        self.facts.routes.push(RouteDecl {
            method: "ANY".into(),
            path: prefix,
            function: None,
            handler: None,
            include: Some(target.1.clone()),
            line: line(node),
        });
    }

    fn type_ref(&mut self, node: Node) {
        let Some(t) = self.type_of(node) else { return };
        let owner = self.enclosing_type().or_else(|| {
            self.stack.iter().rev().find_map(|(_, c)| match c {
                Container::Function(f) => self.facts.functions[*f as usize].owner,
                Container::Type(t) => Some(*t),
            })
        });
        let mut names = Vec::new();
        collect_type_names(&t, &mut names);
        for n in names {
            self.facts.type_refs.push((
                owner,
                TypeRef {
                    name: n,
                    args: Vec::new(),
                    array_dims: 0,
                    line: t.line,
                },
            ));
        }
    }

    /// An annotation as a [`TypeRef`]: `Optional[Order]` → `Optional` with
    /// argument `Order`; string annotations (`"Order"`) are read as names.
    fn type_of(&self, node: Node) -> Option<TypeRef> {
        let inner = if node.kind() == "type" {
            node.named_child(0)?
        } else {
            node
        };
        self.type_expr(inner, 0)
    }

    fn type_expr(&self, node: Node, depth: usize) -> Option<TypeRef> {
        if depth > MAX_EXPR_DEPTH {
            return None;
        }
        let mk = |name: String, args: Vec<TypeRef>| TypeRef {
            name,
            args,
            array_dims: 0,
            line: line(node),
        };
        match node.kind() {
            "identifier" | "attribute" => Some(mk(strip_ws(self.text(node)), Vec::new())),
            "string" => {
                let v = string_value(node, self.src)?;
                let v = v.trim();
                (!v.is_empty()
                    && v.chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '.'))
                .then(|| mk(v.to_string(), Vec::new()))
            }
            "generic_type" | "subscript" => {
                let head = node.named_child(0)?;
                let mut args = Vec::new();
                let mut c = node.walk();
                for a in node.named_children(&mut c).skip(1) {
                    self.type_args(a, depth + 1, &mut args);
                }
                Some(mk(strip_ws(self.text(head)), args))
            }
            "type" => self.type_of(node),
            "binary_operator" | "union_type" => {
                let mut args = Vec::new();
                let mut c = node.walk();
                for a in node.named_children(&mut c) {
                    self.type_args(a, depth + 1, &mut args);
                }
                Some(mk("Union".into(), args))
            }
            "member_type" => Some(mk(strip_ws(self.text(node)), Vec::new())),
            _ => None,
        }
    }

    fn type_args(&self, node: Node, depth: usize, out: &mut Vec<TypeRef>) {
        match node.kind() {
            "type_parameter" | "tuple" | "expression_list" | "list" => {
                let mut c = node.walk();
                for a in node.named_children(&mut c) {
                    self.type_args(a, depth + 1, out);
                }
            }
            _ => {
                if let Some(t) = self.type_expr(node, depth) {
                    out.push(t);
                }
            }
        }
    }

    fn expr(&self, node: Node, depth: usize) -> Expr {
        if depth > MAX_EXPR_DEPTH {
            return Expr::Unknown;
        }
        match node.kind() {
            "identifier" => match self.text(node) {
                "self" | "cls" => Expr::This,
                n => Expr::Name(n.to_string()),
            },
            "attribute" => {
                let (Some(o), Some(a)) = (
                    node.child_by_field_name("object"),
                    node.child_by_field_name("attribute"),
                ) else {
                    return Expr::Unknown;
                };
                Expr::Field(Box::new(self.expr(o, depth + 1)), self.text(a).to_string())
            }
            "call" => {
                let Some(f) = node.child_by_field_name("function") else {
                    return Expr::Unknown;
                };
                let args = node
                    .child_by_field_name("arguments")
                    .map_or(0, |a| a.named_child_count() as u32);
                match f.kind() {
                    "identifier" if self.text(f) == "super" => Expr::Super,
                    "identifier" => Expr::Call(None, self.text(f).to_string(), args),
                    "attribute" => {
                        let (Some(o), Some(a)) = (
                            f.child_by_field_name("object"),
                            f.child_by_field_name("attribute"),
                        ) else {
                            return Expr::Unknown;
                        };
                        Expr::Call(
                            Some(Box::new(self.expr(o, depth + 1))),
                            self.text(a).to_string(),
                            args,
                        )
                    }
                    _ => Expr::Unknown,
                }
            }
            "string" | "concatenated_string" => Expr::StringLit,
            "parenthesized_expression" => node
                .named_child(0)
                .map_or(Expr::Unknown, |n| self.expr(n, depth + 1)),
            _ => Expr::Unknown,
        }
    }

    /// Model tables: Django `models.Model` subclasses (default table
    /// `<app_label>_<model lower>`, or `Meta.db_table`; abstract models
    /// have none) and SQLAlchemy `__tablename__`.
    fn models(&mut self) {
        let app_label = app_label(self.path);
        for (i, t) in self.facts.types.iter().enumerate() {
            if t.parent.is_some() {
                continue;
            }
            let attr = |ty: &TypeDecl, key: &str| {
                ty.annotations
                    .iter()
                    .find(|a| a.name == format!("={key}"))
                    .and_then(|a| a.args.first())
                    .map(|(_, v)| v.clone())
            };
            let meta = self
                .facts
                .types
                .iter()
                .find(|m| m.parent == Some(i as u32) && m.name == "Meta");
            if let Some(tn) = attr(t, "__tablename__") {
                self.facts.tables.push(TableDecl {
                    table: tn.to_ascii_lowercase(),
                    type_index: Some(i as u32),
                    line: t.lines.0,
                    queries_name_type: false,
                    reads: None,
                });
                continue;
            }
            let is_model = t.supertypes.iter().any(|(_, s)| {
                let simple = s.name.rsplit('.').next().unwrap_or(&s.name);
                simple == "Model" || (simple.ends_with("Model") && simple != "BaseModel")
            });
            if !is_model {
                continue;
            }
            if meta.and_then(|m| attr(m, "abstract")).as_deref() == Some("True") {
                continue;
            }
            let table = meta
                .and_then(|m| attr(m, "db_table"))
                .unwrap_or_else(|| format!("{app_label}_{}", t.name.to_ascii_lowercase()));
            self.facts.tables.push(TableDecl {
                table: table.to_ascii_lowercase(),
                type_index: Some(i as u32),
                line: t.lines.0,
                queries_name_type: false,
                reads: None,
            });
        }
    }
}

/// Django's default app label: the package holding `models.py` (or the
/// parent of a `models/` package).
pub fn app_label(path: &str) -> String {
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    if parts.last() == Some(&"models") {
        parts.pop();
    }
    parts.last().copied().unwrap_or("").to_string()
}

/// Whether the decorator or callee `name` (dotted) opens a transaction per
/// the framework table: the row's dotted name, a longer path ending in it
/// (`django.db.transaction.atomic`), or its last part alone (`atomic`).
fn opens_transaction(name: &str, syntax: Syntax) -> bool {
    frameworks::ROWS
        .iter()
        .filter(|r| r.language == Language::Python && r.syntax == syntax)
        .filter(|r| r.fact == Fact::Transaction)
        .any(|r| {
            name == r.name
                || name.ends_with(&format!(".{}", r.name))
                || Some(name) == r.name.rsplit('.').next()
        })
}

/// The class constructed by an initializer `Foo(...)` / `mod.Foo(...)`.
fn ctor_type(e: &Expr) -> Option<TypeRef> {
    let name = match e {
        Expr::Call(None, n, _) => n.clone(),
        Expr::Call(Some(r), n, _) => format!("{}.{n}", dotted(r)?),
        _ => return None,
    };
    Some(TypeRef {
        name,
        args: Vec::new(),
        array_dims: 0,
        line: 0,
    })
}

/// `a.b.c` for a chain of names.
pub fn dotted(e: &Expr) -> Option<String> {
    match e {
        Expr::Name(n) => Some(n.clone()),
        Expr::Field(b, n) => Some(format!("{}.{n}", dotted(b)?)),
        _ => None,
    }
}

fn collect_type_names(t: &TypeRef, out: &mut Vec<String>) {
    out.push(t.name.clone());
    for a in &t.args {
        collect_type_names(a, out);
    }
}

fn strip_ws(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> FileFacts {
        PythonFrontend.parse("shop/orders/models.py", src)
    }

    #[test]
    fn queries_compile() {
        assert!(query().capture_names().len() >= 9);
    }

    #[test]
    fn reads_every_import_form() {
        let f = parse(
            "import a.b.c\nimport a.b as x\nfrom ..pkg.mod import n as m, k\nfrom . import sib\nfrom m import *\n\
             from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from orders.models import Order\n\
             try:\n    import ujson as json\nexcept ImportError:\n    import json\n\
             def f():\n    import late\n",
        );
        let py = f.python.unwrap();
        let i = &py.imports;
        let modules: Vec<&str> = i.iter().map(|x| x.module.as_str()).collect();
        assert_eq!(
            modules,
            [
                "a.b.c",
                "a.b",
                "pkg.mod",
                "",
                "m",
                "typing",
                "orders.models",
                "ujson",
                "json",
                "late"
            ]
        );
        assert_eq!((i[0].from, i[0].alias.as_deref()), (false, None));
        assert_eq!(i[1].alias.as_deref(), Some("x"));
        assert_eq!(i[2].level, 2);
        assert_eq!(
            i[2].names,
            vec![
                ("n".to_string(), Some("m".to_string())),
                ("k".to_string(), None)
            ]
        );
        assert_eq!((i[3].level, i[3].names[0].0.as_str()), (1, "sib"));
        assert!(i[4].star && !i[3].star);
        let flags: Vec<(bool, bool, bool)> = i
            .iter()
            .map(|x| (x.type_checking, x.fallback, x.in_function))
            .collect();
        assert_eq!(flags[5], (false, false, false));
        assert_eq!(flags[6], (true, false, false));
        assert_eq!(flags[7], (false, true, false));
        assert_eq!(flags[8], (false, true, false));
        assert_eq!(flags[9], (false, false, true));
    }

    #[test]
    fn imports_in_functions_are_flagged() {
        let f = parse("def f():\n    import late\n    late.go()\n");
        let py = f.python.unwrap();
        assert_eq!(py.imports.len(), 1);
        assert!(py.imports[0].in_function);
        assert_eq!(f.functions[0].calls[0].name, "go");
    }

    #[test]
    fn classes_methods_calls_and_fields() {
        let f = parse(
            "class Order(models.Model, Mixin):\n    objects = OrderManager()\n    class Meta:\n        db_table = 'shop_orders'\n\
             \n    def total(self, x: Money) -> 'Money':\n        self.repo = Repo()\n        return self.helper(x) + super().total()\n",
        );
        assert_eq!(f.types.len(), 2);
        assert_eq!(f.types[1].path, "Order.Meta");
        assert_eq!(f.types[0].supertypes.len(), 2);
        assert_eq!(f.types[0].fields[0].ty.name, "OrderManager");
        assert_eq!(f.types[0].fields[1].name, "repo");
        let total = f.functions.iter().find(|x| x.name == "total").unwrap();
        assert_eq!(total.params[0].1.name, "Money");
        assert_eq!(total.returns.as_ref().unwrap().name, "Money");
        assert_eq!(total.calls.len(), 3);
        assert_eq!(
            f.tables,
            vec![TableDecl {
                table: "shop_orders".into(),
                type_index: Some(0),
                line: 1,
                queries_name_type: false,
                reads: None,
            }]
        );
    }

    #[test]
    fn default_django_table_name_and_sqlalchemy() {
        let f = parse("class LineItem(models.Model):\n    pass\nclass T(Base):\n    __tablename__ = 'Things'\n");
        let t: Vec<&str> = f.tables.iter().map(|t| t.table.as_str()).collect();
        assert_eq!(t, vec!["orders_lineitem", "things"]);
    }

    #[test]
    fn routes_and_transactions() {
        let f = parse(
            "bp = Blueprint('o', __name__, url_prefix='/orders')\n@bp.route('/<id>', methods=['GET', 'POST'])\ndef show(id):\n    pass\n\
             @transaction.atomic\ndef place():\n    pass\ndef pay():\n    with transaction.atomic():\n        pass\n\
             urlpatterns = [path('api/', include('orders.urls')), path('x/<int:pk>/', views.detail),\n\
             path('g/', csrf_exempt(GraphQLView.as_view(schema=s)))]\n",
        );
        let r: Vec<(String, String)> = f
            .routes
            .iter()
            .map(|r| (r.method.clone(), r.path.clone()))
            .collect();
        assert_eq!(
            r,
            vec![
                ("GET".into(), "/orders/<id>".into()),
                ("POST".into(), "/orders/<id>".into()),
                ("ANY".into(), "api/".into()),
                ("ANY".into(), "x/<int:pk>/".into()),
                ("ANY".into(), "g/".into()),
            ]
        );
        assert_eq!(f.routes[2].include.as_deref(), Some("orders.urls"));
        assert_eq!(f.routes[3].handler.as_deref(), Some("views.detail"));
        assert_eq!(f.routes[4].handler.as_deref(), Some("GraphQLView"));
        assert_eq!(f.tx_scopes.len(), 2);
    }

    #[test]
    fn syntax_errors_give_partial_facts_and_a_diagnostic() {
        let f = parse("import os\nprint 'hello'\ndef ok():\n    pass\nclass Half(\n");
        assert_eq!(f.python.as_ref().unwrap().imports.len(), 1);
        assert!(f.functions.iter().any(|x| x.name == "ok"));
        assert_eq!(f.diagnostics.len(), 1);
        assert!(
            f.diagnostics[0].message.contains("syntax error"),
            "{:?}",
            f.diagnostics
        );
        assert!(
            f.diagnostics[0].message.contains("Python 2"),
            "{:?}",
            f.diagnostics
        );
    }

    #[test]
    fn decodes_coding_cookies() {
        let (s, d) = decode(b"# -*- coding: latin-1 -*-\nname = '\xe9'\n");
        assert!(s.contains("'\u{e9}'"));
        assert!(d.unwrap().contains("latin-1"));
        let (s, _) = decode(b"# vim: set fileencoding=cp1252 :\nq = '\x93x\x94'\n");
        assert!(s.contains("\u{201C}x\u{201D}"));
        let (s, d) = decode(b"x = '\xff'\n");
        assert!(s.contains('\u{FFFD}'));
        assert!(d.unwrap().contains("replaced"));
        assert_eq!(
            decode(b"\xEF\xBB\xBFx = 1\n"),
            ("x = 1\n".to_string(), None)
        );
    }
}
