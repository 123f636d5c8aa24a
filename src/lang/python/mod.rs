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
//!
//! This file holds the query set, the capture dispatch, imports, classes,
//! functions, assignments and calls; `framework_facts.rs` reads routes,
//! url patterns, mounts, relations and model tables; `types.rs` reads
//! annotations and expressions; `decode.rs` turns bytes into text;
//! `tests.rs` holds the unit tests.

mod decode;
mod framework_facts;
mod keys;
pub mod plan;
pub mod resolve;
mod types;

pub use decode::decode;
pub use framework_facts::app_label;
use framework_facts::opens_transaction;

use crate::frameworks::{self, Fact, Method, Syntax};
use std::cell::RefCell;
use std::sync::OnceLock;

use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, Parser, Query, QueryCursor};

use super::lines::{count_code_lines, CommentSyntax};
use super::{
    Annotation, Call, CallKind, Diagnostic, Expr, Field, FileFacts, Frontend, Function,
    FunctionKind, Import, ImportKind, Language, Local, RouteDecl, TableDecl, TxScope, TypeDecl,
    TypeKind, TypeRef,
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

/// The syntax diagnostic, with a hint when the file looks like Python 2.
fn syntax_diagnostic(root: Node, source: &str) -> Diagnostic {
    // Python 2 gives itself away by its print statement and `except X, e`.
    let py2 = source.lines().any(|l| {
        let t = l.trim_start();
        (t.starts_with("print ") && !t.starts_with("print ("))
            || (t.starts_with("except ") && t.contains(", ") && !t.contains('('))
    });
    let note = if py2 {
        "; this looks like Python 2 source"
    } else {
        ""
    };
    super::syntax_diagnostic(root, note)
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
                        self.model_column(t, &name, r);
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
        if let Some(Expr::Name(_)) = &receiver {
            let mount = frameworks::find(Language::Python, Syntax::Call, &name, |r| match r.fact {
                Fact::Mount { path_args } => Some(path_args),
                _ => None,
            });
            if let Some(path_args) = mount {
                self.mount(node, path_args);
            }
        }
        let f = self.current_function();
        self.sql_call(node, &name, f);
        self.key_call(node);
        self.facts.functions[f as usize].calls.push(Call {
            receiver,
            name,
            kind: CallKind::Method,
            args,
            line: line(node),
            ty: None,
        });
    }
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
mod tests;
