//! The Java frontend: tree-sitter-java plus the queries in `grammars/java/`.
//!
//! The queries say *what* to find (declarations, calls, type mentions); this
//! file only assembles the captures into [`FileFacts`]: it assigns each
//! capture to its innermost enclosing type or method by byte range, and reads
//! the few fields of a node that the facts need. Expressions are turned into
//! the small [`Expr`] shape by a bounded recursive reader, so a pathological
//! nesting depth degrades to [`Expr::Unknown`] instead of a stack overflow.
//!
//! This file holds the query set, the capture dispatch and the declarations
//! (imports, types, methods, fields, annotations); `body.rs` reads what is
//! inside method bodies (locals, calls, expressions); `tests.rs` holds the
//! unit tests.

mod body;
pub mod constants;
pub mod plan;
pub mod resolve;

use std::cell::RefCell;
use std::sync::OnceLock;

use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, Parser, Query, QueryCursor};

use super::lines::{count_code_lines, C_LIKE};
use super::looks_like_sql;
use super::{
    Annotation, Call, CallKind, Diagnostic, Expr, FileFacts, Frontend, Function, FunctionKind,
    Import, ImportKind, Language, Local, StringLit, SuperKind, TypeDecl, TypeKind, TypeRef,
};

/// The query sources, embedded so the binary carries its language knowledge.
pub const QUERIES: [(&str, &str); 3] = [
    (
        "definitions.scm",
        include_str!("../../../grammars/java/definitions.scm"),
    ),
    (
        "references.scm",
        include_str!("../../../grammars/java/references.scm"),
    ),
    (
        "complexity.scm",
        include_str!("../../../grammars/java/complexity.scm"),
    ),
];

/// Deeper expressions than this are not worth typing; the limit also bounds
/// recursion on generated code with absurd nesting.
const MAX_EXPR_DEPTH: usize = 48;

pub struct JavaFrontend;

fn ts_language() -> tree_sitter::Language {
    tree_sitter_java::LANGUAGE.into()
}

/// The compiled query, built once per process: compiling costs more than
/// parsing a typical file.
pub fn query() -> &'static Query {
    static QUERY: OnceLock<Query> = OnceLock::new();
    QUERY.get_or_init(|| {
        let source: String = QUERIES
            .iter()
            .map(|(_, q)| *q)
            .collect::<Vec<_>>()
            .join("\n");
        Query::new(&ts_language(), &source).expect("grammars/java/*.scm must compile")
    })
}

/// Field ids of the grammar, looked up once: `child_by_field_name` compares
/// strings on every call, which showed in profiles.
struct Fields {
    name: u16,
    ty: u16,
    value: u16,
    object: u16,
    parameters: u16,
    arguments: u16,
    key: u16,
    field: u16,
    element: u16,
    dimensions: u16,
    constructor: u16,
    right: u16,
}

fn fields() -> &'static Fields {
    static FIELDS: OnceLock<Fields> = OnceLock::new();
    FIELDS.get_or_init(|| {
        let lang = ts_language();
        let id = |n: &str| {
            lang.field_id_for_name(n)
                .unwrap_or_else(|| panic!("tree-sitter-java has a `{n}` field"))
                .get()
        };
        Fields {
            name: id("name"),
            ty: id("type"),
            value: id("value"),
            object: id("object"),
            parameters: id("parameters"),
            arguments: id("arguments"),
            key: id("key"),
            field: id("field"),
            element: id("element"),
            dimensions: id("dimensions"),
            constructor: id("constructor"),
            right: id("right"),
        }
    })
}

/// `node.child_by_field_name(field)` through the cached field ids.
fn child<'t>(node: Node<'t>, field: fn(&Fields) -> u16) -> Option<Node<'t>> {
    node.child_by_field_id(field(fields()))
}

/// What a capture name in `grammars/java/*.scm` means to the extractor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cap {
    Package,
    Import,
    Type(TypeKind),
    Function(FunctionKind),
    Field,
    TypeParam,
    Annotation,
    Local,
    LocalFor,
    LocalCatch,
    LocalLambda,
    LocalPattern,
    LocalTypePattern,
    CallMethod,
    CallNew,
    CallRef,
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
            "package" => Cap::Package,
            "import" => Cap::Import,
            "type.class" => Cap::Type(TypeKind::Class),
            "type.interface" => Cap::Type(TypeKind::Interface),
            "type.enum" => Cap::Type(TypeKind::Enum),
            "type.record" => Cap::Type(TypeKind::Record),
            "type.annotation" => Cap::Type(TypeKind::Annotation),
            "function.method" => Cap::Function(FunctionKind::Method),
            "function.constructor" => Cap::Function(FunctionKind::Constructor),
            "field" => Cap::Field,
            "type_param" => Cap::TypeParam,
            "annotation" => Cap::Annotation,
            "local" | "local.resource" => Cap::Local,
            "local.for" => Cap::LocalFor,
            "local.catch" => Cap::LocalCatch,
            "local.lambda" => Cap::LocalLambda,
            "local.pattern" => Cap::LocalPattern,
            "local.type_pattern" => Cap::LocalTypePattern,
            "call.method" => Cap::CallMethod,
            "call.new" => Cap::CallNew,
            "call.ref" => Cap::CallRef,
            "call.ctor" => Cap::CallCtor,
            "type_ref" => Cap::TypeRef,
            "type_ref.static" => Cap::TypeRefStatic,
            "string" => Cap::Str,
            "branch" => Cap::Branch,
            _ => Cap::Other,
        }
    }
}

/// Capture index → meaning, computed once: matching names per capture was
/// a measurable share of extraction.
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
        p.set_language(&ts_language()).expect("tree-sitter-java matches the tree-sitter ABI");
        p
    });
}

impl Frontend for JavaFrontend {
    fn language(&self) -> Language {
        Language::Java
    }

    fn parse(&self, _path: &str, source: &str) -> FileFacts {
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
        facts.generated = crate::frameworks::has_generated_marker(Language::Java, source);
        plan::file_facts(&mut facts);
        facts
    }
}

#[derive(Clone, Copy)]
enum Container {
    Type(u32),
    Function(u32),
}

struct Extractor<'s> {
    src: &'s [u8],
    facts: FileFacts,
    /// Open containers: (end byte, node id, container).
    stack: Vec<(usize, usize, Container)>,
    /// Per type, its lazily created initializer pseudo-function.
    initializers: Vec<Option<u32>>,
    /// End of the last scoped type name taken whole.
    scoped_until: usize,
}

impl<'s> Extractor<'s> {
    fn new(src: &'s [u8], facts: FileFacts) -> Self {
        Extractor {
            src,
            facts,
            stack: Vec::new(),
            initializers: Vec::new(),
            scoped_until: 0,
        }
    }

    fn text(&self, node: Node) -> &'s str {
        node.utf8_text(self.src).unwrap_or("")
    }

    fn run(mut self, root: Node) -> FileFacts {
        let query = query();
        let kinds = capture_kinds();
        // (start, end, node, kind): positions read once, not in the sort.
        let mut captures: Vec<(usize, usize, Node, Cap)> = Vec::new();
        let mut cursor = QueryCursor::new();
        // `matches` rather than `captures`: the latter buffers to return
        // captures in document order, which costs more than the parse with
        // patterns that span whole declarations. We sort below instead.
        let mut it = cursor.matches(query, root, self.src);
        while let Some(m) = it.next() {
            for c in m.captures() {
                let kind = kinds[c.index as usize];
                captures.push((c.node.start_byte(), c.node.end_byte(), c.node, kind));
            }
        }
        // Containers must come before what they contain: by start, then
        // longest first.
        captures.sort_by_key(|&(start, end, _, _)| (start, std::cmp::Reverse(end)));
        captures.dedup_by_key(|(_, _, n, kind)| (n.id(), *kind));

        for (start, _, node, kind) in captures {
            while self.stack.last().is_some_and(|(end, _, _)| *end <= start) {
                self.stack.pop();
            }
            self.capture(node, kind);
        }
        self.facts
    }

    fn capture(&mut self, node: Node, kind: Cap) {
        match kind {
            Cap::Package => self.facts.namespace = Some(strip_ws(self.text(node))),
            Cap::Import => self.import(node),
            Cap::Type(k) => self.type_decl(node, k),
            Cap::Function(k) => self.function(node, k),
            Cap::Field => self.field(node),
            Cap::TypeParam => self.type_param(node),
            Cap::Annotation => self.annotation(node),
            Cap::Local => self.local_declaration(node),
            Cap::LocalFor => self.typed_local(node, |f| f.ty, true),
            Cap::LocalCatch => self.catch_param(node),
            Cap::LocalLambda => self.lambda_params(node),
            Cap::LocalPattern => self.typed_local(node, |f| f.right, false),
            Cap::LocalTypePattern => self.type_pattern(node),
            Cap::CallMethod => self.method_call(node),
            Cap::CallNew => self.new_call(node),
            Cap::CallRef => self.method_ref(node),
            Cap::CallCtor => self.ctor_call(node),
            Cap::TypeRef => self.type_ref(node),
            Cap::TypeRefStatic => {
                if self
                    .text(node)
                    .starts_with(|c: char| c.is_ascii_uppercase())
                {
                    self.type_ref(node)
                }
            }
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

    fn enclosing_type(&self) -> Option<u32> {
        self.stack.iter().rev().find_map(|(_, _, c)| match c {
            Container::Type(t) => Some(*t),
            Container::Function(f) => self.facts.functions[*f as usize].owner,
        })
    }

    /// The function that code at the current position belongs to: the
    /// innermost method, or the initializer of the innermost type.
    fn current_function(&mut self) -> Option<u32> {
        match self.stack.last().map(|(_, _, c)| *c)? {
            Container::Function(f) => Some(f),
            Container::Type(t) => {
                if let Some(f) = self.initializers[t as usize] {
                    return Some(f);
                }
                let decl = &self.facts.types[t as usize];
                let f = self.facts.functions.len() as u32;
                self.facts.functions.push(Function {
                    name: "<init>".into(),
                    owner: Some(t),
                    kind: FunctionKind::Initializer,
                    lines: decl.lines,
                    params: Vec::new(),
                    returns: None,
                    locals: Vec::new(),
                    calls: Vec::new(),
                    annotations: Vec::new(),
                    is_static: false,
                    type_params: Vec::new(),
                });
                self.initializers[t as usize] = Some(f);
                Some(f)
            }
        }
    }

    fn import(&mut self, node: Node) {
        let mut is_static = false;
        let mut wildcard = false;
        let mut path = None;
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            match child.kind() {
                "static" => is_static = true,
                "asterisk" => wildcard = true,
                "identifier" | "scoped_identifier" => path = Some(strip_ws(self.text(child))),
                _ => {}
            }
        }
        let Some(path) = path else { return };
        let kind = match (is_static, wildcard) {
            (false, false) => ImportKind::Single,
            (false, true) => ImportKind::Wildcard,
            (true, false) => ImportKind::Static,
            (true, true) => ImportKind::StaticWildcard,
        };
        self.facts.imports.push(Import {
            path,
            kind,
            line: Self::line(node),
        });
    }

    fn type_decl(&mut self, node: Node, kind: TypeKind) {
        let Some(name_node) = child(node, |f| f.name) else {
            return;
        };
        let name = self.text(name_node).to_string();
        let parent = self.enclosing_type();
        let path = match parent {
            Some(p) => format!("{}.{}", self.facts.types[p as usize].path, name),
            None => name.clone(),
        };
        let mut supertypes = Vec::new();
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            let super_kind = match child.kind() {
                "superclass" => SuperKind::Extends,
                // An interface's `extends` list names interfaces it inherits.
                "extends_interfaces" => SuperKind::Extends,
                "super_interfaces" => SuperKind::Implements,
                _ => continue,
            };
            let mut c2 = child.walk();
            for t in child.named_children(&mut c2) {
                if t.kind() == "type_list" {
                    let mut c3 = t.walk();
                    for ty in t.named_children(&mut c3) {
                        if let Some(r) = self.type_of(ty, 0) {
                            supertypes.push((super_kind, r));
                        }
                    }
                } else if let Some(r) = self.type_of(t, 0) {
                    supertypes.push((super_kind, r));
                }
            }
        }
        let idx = self.facts.types.len() as u32;
        self.facts.types.push(TypeDecl {
            name,
            path,
            kind,
            parent,
            lines: Self::span(node),
            supertypes,
            fields: Vec::new(),
            annotations: Vec::new(),
            type_params: Vec::new(),
        });
        self.initializers.push(None);
        self.stack
            .push((node.end_byte(), node.id(), Container::Type(idx)));

        // Record components are fields with accessor methods.
        if kind == TypeKind::Record {
            if let Some(params) = child(node, |f| f.parameters) {
                for (pname, ty) in self.params(params) {
                    self.facts.types[idx as usize].fields.push(super::Field {
                        name: pname.clone(),
                        ty: ty.clone(),
                        line: ty.line,
                    });
                    self.facts.functions.push(Function {
                        name: pname,
                        owner: Some(idx),
                        kind: FunctionKind::Method,
                        lines: Self::span(params),
                        params: Vec::new(),
                        returns: Some(ty),
                        locals: Vec::new(),
                        calls: Vec::new(),
                        annotations: Vec::new(),
                        is_static: false,
                        type_params: Vec::new(),
                    });
                }
            }
        }
    }

    fn function(&mut self, node: Node, kind: FunctionKind) {
        let owner = self.enclosing_type();
        let name = match kind {
            FunctionKind::Method => child(node, |f| f.name)
                .map(|n| self.text(n).to_string())
                .unwrap_or_default(),
            _ => "<init>".to_string(),
        };
        let params = match child(node, |f| f.parameters) {
            Some(p) => self.params(p),
            // A compact record constructor takes the record's components.
            None => owner
                .map(|t| {
                    self.facts.types[t as usize]
                        .fields
                        .iter()
                        .map(|f| (f.name.clone(), f.ty.clone()))
                        .collect()
                })
                .unwrap_or_default(),
        };
        let returns = child(node, |f| f.ty).and_then(|t| self.type_of(t, 0));
        let is_static = has_modifier(node, self.src, "static");
        let idx = self.facts.functions.len() as u32;
        self.facts.functions.push(Function {
            name,
            owner,
            kind,
            lines: Self::span(node),
            params,
            returns,
            locals: Vec::new(),
            calls: Vec::new(),
            annotations: Vec::new(),
            is_static,
            type_params: Vec::new(),
        });
        self.stack
            .push((node.end_byte(), node.id(), Container::Function(idx)));
        self.facts.complexity += 1;
    }

    fn params(&self, params: Node) -> Vec<(String, TypeRef)> {
        let mut out = Vec::new();
        let mut cursor = params.walk();
        for p in params.named_children(&mut cursor) {
            match p.kind() {
                "formal_parameter" => {
                    let ty = child(p, |f| f.ty).and_then(|t| self.type_of(t, 0));
                    let name = child(p, |f| f.name).map(|n| self.text(n));
                    if let (Some(ty), Some(name)) = (ty, name) {
                        out.push((name.to_string(), ty));
                    }
                }
                "spread_parameter" => {
                    let mut c2 = p.walk();
                    let mut ty = None;
                    let mut name = None;
                    for ch in p.named_children(&mut c2) {
                        match ch.kind() {
                            "variable_declarator" => {
                                name = child(ch, |f| f.name).map(|n| self.text(n))
                            }
                            "modifiers" => {}
                            _ => {
                                if ty.is_none() {
                                    ty = self.type_of(ch, 0);
                                }
                            }
                        }
                    }
                    if let (Some(mut ty), Some(name)) = (ty, name) {
                        ty.array_dims += 1;
                        out.push((name.to_string(), ty));
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn field(&mut self, node: Node) {
        let Some(ty) = child(node, |f| f.ty).and_then(|t| self.type_of(t, 0)) else {
            return;
        };
        let names: Vec<(String, Option<Node>)> = declarators(node)
            .into_iter()
            .filter_map(|d| {
                let name = child(d, |f| f.name)?;
                Some((self.text(name).to_string(), child(d, |f| f.value)))
            })
            .collect();
        match self.stack.last().map(|(_, _, c)| *c) {
            Some(Container::Type(t)) => {
                for (name, value) in &names {
                    let Some(value) = value else { continue };
                    let stringy = ty.name == "String" || ty.name == "java.lang.String";
                    let kind = value.kind();
                    if kind == "string_literal"
                        || (kind == "binary_expression"
                            && (stringy || self.text(*value).contains('"')))
                        || (stringy && matches!(kind, "identifier" | "field_access"))
                    {
                        self.facts.constants.push(super::Constant {
                            owner: t,
                            name: name.clone(),
                            value: self.text(*value).to_string(),
                        });
                    }
                }
                let fields = names.into_iter().map(|(name, _)| super::Field {
                    name,
                    ty: ty.clone(),
                    line: ty.line,
                });
                self.facts.types[t as usize].fields.extend(fields);
            }
            // A field of an anonymous class: visible as a local of the
            // enclosing method.
            _ => {
                if let Some(f) = self.current_function() {
                    for (name, value) in names {
                        let init = value.map(|v| self.expr(v, 0));
                        self.facts.functions[f as usize].locals.push(Local {
                            name,
                            ty: Some(ty.clone()),
                            init,
                            element_of_init: false,
                            line: ty.line,
                        });
                    }
                }
            }
        }
    }

    fn type_param(&mut self, node: Node) {
        let name = self.text(node).to_string();
        match self.stack.last().map(|(_, _, c)| *c) {
            Some(Container::Type(t)) => self.facts.types[t as usize].type_params.push(name),
            Some(Container::Function(f)) => self.facts.functions[f as usize].type_params.push(name),
            None => {}
        }
    }

    fn annotation(&mut self, node: Node) {
        // Only annotations on a type or method declaration are kept; the
        // declaration is the current container when its modifiers hold them.
        let Some(decl) = node
            .parent()
            .filter(|p| p.kind() == "modifiers")
            .and_then(|m| m.parent())
        else {
            return;
        };
        let Some((_, id, container)) = self.stack.last().copied() else {
            return;
        };
        if id != decl.id() {
            return;
        }
        let Some(name) = child(node, |f| f.name) else {
            return;
        };
        let mut args = Vec::new();
        if let Some(list) = child(node, |f| f.arguments) {
            let mut cursor = list.walk();
            for arg in list.named_children(&mut cursor) {
                if arg.kind() == "element_value_pair" {
                    let key = child(arg, |f| f.key).map(|k| self.text(k));
                    let value = child(arg, |f| f.value).map(|v| self.value_text(v));
                    if let (Some(k), Some(v)) = (key, value) {
                        args.push((k.to_string(), v));
                    }
                } else if arg.kind() != "comment" {
                    args.push(("value".to_string(), self.value_text(arg)));
                }
            }
        }
        let annotation = Annotation {
            name: strip_ws(self.text(name)),
            args,
            line: Self::line(node),
        };
        match container {
            Container::Type(t) => self.facts.types[t as usize].annotations.push(annotation),
            Container::Function(f) => self.facts.functions[f as usize]
                .annotations
                .push(annotation),
        }
    }

    /// An annotation value: string literals unquoted, arrays of strings
    /// joined with `,`, anything else as written.
    fn value_text(&self, node: Node) -> String {
        match node.kind() {
            "string_literal" => unquote(self.text(node)),
            "element_value_array_initializer" => {
                let mut cursor = node.walk();
                node.named_children(&mut cursor)
                    .filter(|c| c.kind() != "comment")
                    .map(|c| self.value_text(c))
                    .collect::<Vec<_>>()
                    .join(",")
            }
            _ => strip_ws(self.text(node)),
        }
    }
}

fn collect_scoped(node: Node, src: &[u8], parts: &mut Vec<String>) {
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        match child.kind() {
            "identifier" | "type_identifier" => {
                parts.push(child.utf8_text(src).unwrap_or("").to_string())
            }
            "scoped_identifier" | "scoped_type_identifier" => collect_scoped(child, src, parts),
            "generic_type" => {
                let mut c2 = child.walk();
                let base = child
                    .named_children(&mut c2)
                    .find(|c| c.kind() != "type_arguments");
                if let Some(base) = base {
                    if base.kind() == "type_identifier" {
                        parts.push(base.utf8_text(src).unwrap_or("").to_string());
                    } else {
                        collect_scoped(base, src, parts);
                    }
                }
            }
            _ => {}
        }
    }
}

fn declarators(node: Node) -> Vec<Node> {
    let mut cursor = node.walk();
    node.children_by_field_name("declarator", &mut cursor)
        .collect()
}

fn arg_count(node: Node) -> u32 {
    child(node, |f| f.arguments)
        .map(|a| {
            let mut cursor = a.walk();
            a.named_children(&mut cursor)
                .filter(|c| c.kind() != "comment")
                .count() as u32
        })
        .unwrap_or(0)
}

fn has_modifier(node: Node, src: &[u8], word: &str) -> bool {
    let mut cursor = node.walk();
    let found = node
        .children(&mut cursor)
        .find(|c| c.kind() == "modifiers")
        .is_some_and(|m| {
            let mut c2 = m.walk();
            let has = m
                .children(&mut c2)
                .any(|c| c.utf8_text(src).is_ok_and(|t| t == word));
            has
        });
    found
}

fn strip_ws(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Removes the quotes of a string literal or text block. Escapes are left as
/// written: the text is used for matching, not for display of values.
fn unquote(s: &str) -> String {
    let s = s.trim();
    if let Some(inner) = s
        .strip_prefix("\"\"\"")
        .and_then(|r| r.strip_suffix("\"\"\""))
    {
        return inner.trim().to_string();
    }
    s.strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(s)
        .to_string()
}

#[cfg(test)]
mod tests;
