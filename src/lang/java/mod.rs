//! The Java frontend: tree-sitter-java plus the queries in `grammars/java/`.
//!
//! The queries say *what* to find (declarations, calls, type mentions); this
//! file only assembles the captures into [`FileFacts`]: it assigns each
//! capture to its innermost enclosing type or method by byte range, and reads
//! the few fields of a node that the facts need. Expressions are turned into
//! the small [`Expr`] shape by a bounded recursive reader, so a pathological
//! nesting depth degrades to [`Expr::Unknown`] instead of a stack overflow.

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
            facts.diagnostics.push(syntax_diagnostic(root));
        }
        let mut facts = Extractor::new(source.as_bytes(), facts).run(root);
        facts.generated = crate::frameworks::has_generated_marker(Language::Java, source);
        plan::file_facts(&mut facts);
        facts
    }
}

/// Describes the first syntax error and how many there are.
fn syntax_diagnostic(root: Node) -> Diagnostic {
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
            "syntax error{} ({} error node{}); facts from this file may be partial",
            first.map(|l| format!(" at line {l}")).unwrap_or_default(),
            count,
            if count == 1 { "" } else { "s" }
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

    fn push_local(&mut self, local: Local) {
        if let Some(f) = self.current_function() {
            self.facts.functions[f as usize].locals.push(local);
        }
    }

    fn local_declaration(&mut self, node: Node) {
        let ty_node = child(node, |f| f.ty);
        let ty = ty_node
            .filter(|t| self.text(*t) != "var")
            .and_then(|t| self.type_of(t, 0));
        // try-with-resources: a resource has name/value fields directly.
        let decls: Vec<Node> = if node.kind() == "resource" {
            vec![node]
        } else {
            declarators(node)
        };
        for d in decls {
            let Some(name) = child(d, |f| f.name) else {
                continue;
            };
            let init = child(d, |f| f.value).map(|v| self.expr(v, 0));
            let local = Local {
                name: self.text(name).to_string(),
                ty: ty.clone(),
                init,
                element_of_init: false,
                line: Self::line(d),
            };
            self.push_local(local);
        }
    }

    /// A local declared by a statement with a type field and a name field:
    /// an enhanced `for` (whose `value` is the collection iterated) or an
    /// `instanceof` pattern.
    fn typed_local(&mut self, node: Node, ty_field: fn(&Fields) -> u16, iterates: bool) {
        let ty = child(node, ty_field)
            .filter(|t| self.text(*t) != "var")
            .and_then(|t| self.type_of(t, 0));
        let Some(name) = child(node, |f| f.name) else {
            return;
        };
        // For an enhanced for, the initializer is the collection, not the
        // element; resolution takes the element type from it.
        let init = if iterates {
            child(node, |f| f.value).map(|v| self.expr(v, 0))
        } else {
            None
        };
        let local = Local {
            name: self.text(name).to_string(),
            ty,
            element_of_init: init.is_some(),
            init,
            line: Self::line(node),
        };
        self.push_local(local);
    }

    fn catch_param(&mut self, node: Node) {
        let mut cursor = node.walk();
        let ty = node
            .named_children(&mut cursor)
            .find(|c| c.kind() == "catch_type")
            .and_then(|ct| {
                let mut c2 = ct.walk();
                let first = ct.named_children(&mut c2).next();
                first.and_then(|t| self.type_of(t, 0))
            });
        if let Some(name) = child(node, |f| f.name) {
            let local = Local {
                name: self.text(name).to_string(),
                ty,
                init: None,
                element_of_init: false,
                line: Self::line(node),
            };
            self.push_local(local);
        }
    }

    fn lambda_params(&mut self, node: Node) {
        let line = Self::line(node);
        let params: Vec<(String, Option<TypeRef>)> = match node.kind() {
            "identifier" => vec![(self.text(node).to_string(), None)],
            "inferred_parameters" => {
                let mut cursor = node.walk();
                node.named_children(&mut cursor)
                    .map(|n| (self.text(n).to_string(), None))
                    .collect()
            }
            "formal_parameters" => self
                .params(node)
                .into_iter()
                .map(|(n, t)| (n, Some(t)))
                .collect(),
            _ => Vec::new(),
        };
        // Untyped lambda parameters still matter: they shadow fields of the
        // same name, which must not be mistaken for the receiver's type.
        for (name, ty) in params {
            self.push_local(Local {
                name,
                ty,
                init: None,
                element_of_init: false,
                line,
            });
        }
    }

    fn type_pattern(&mut self, node: Node) {
        let mut cursor = node.walk();
        let children: Vec<Node> = node.named_children(&mut cursor).collect();
        let ty = children.first().and_then(|t| self.type_of(*t, 0));
        if let Some(name) = children.iter().rev().find(|c| c.kind() == "identifier") {
            let local = Local {
                name: self.text(*name).to_string(),
                ty,
                init: None,
                element_of_init: false,
                line: Self::line(node),
            };
            self.push_local(local);
        }
    }

    fn push_call(&mut self, call: Call) {
        if let Some(f) = self.current_function() {
            self.facts.functions[f as usize].calls.push(call);
        }
    }

    fn method_call(&mut self, node: Node) {
        let Some(name) = child(node, |f| f.name) else {
            return;
        };
        let receiver = child(node, |f| f.object).map(|o| self.expr(o, 1));
        self.table_arg(node, self.text(name));
        let call = Call {
            receiver,
            name: self.text(name).to_string(),
            kind: CallKind::Method,
            args: arg_count(node),
            line: Self::line(node),
            ty: None,
        };
        self.push_call(call);
    }

    /// A call the framework table says names a table by its first
    /// argument (jOOQ): the argument an upper-case constant (`BOOK`,
    /// `Tables.BOOK`), read as the lower-case table name.
    fn table_arg(&mut self, node: Node, name: &str) {
        let Some(write) =
            crate::frameworks::find(Language::Java, crate::frameworks::Syntax::Call, name, |r| {
                match r.fact {
                    crate::frameworks::Fact::TableArg { write } => Some(write),
                    _ => None,
                }
            })
        else {
            return;
        };
        // A static call on another type (`String.join(SEP, parts)`,
        // `LocalDate.from(X)`) is not a query; jOOQ's static entry is `DSL`.
        let static_other = child(node, |f| f.object).is_some_and(|o| {
            let t = self.text(o);
            o.kind() == "identifier"
                && t.starts_with(|c: char| c.is_ascii_uppercase())
                && t != "DSL"
        });
        if static_other {
            return;
        }
        let Some(first) = child(node, |f| f.arguments).and_then(|a| a.named_child(0)) else {
            return;
        };
        if !matches!(first.kind(), "identifier" | "field_access") {
            return;
        }
        let text = self.text(first);
        let last = text.rsplit('.').next().unwrap_or(text).trim();
        let constant = last.len() >= 2
            && last.starts_with(|c: char| c.is_ascii_uppercase())
            && last
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        if !constant {
            return;
        }
        let function = self.current_function();
        self.facts.table_accesses.push(super::TableAccess {
            target: last.to_ascii_lowercase(),
            of_entity: false,
            write,
            function,
            line: Self::line(node),
            via: "table_ref".into(),
        });
    }

    fn new_call(&mut self, node: Node) {
        let Some(ty) = child(node, |f| f.ty).and_then(|t| self.type_of(t, 0)) else {
            return;
        };
        let call = Call {
            receiver: None,
            name: "<init>".into(),
            kind: CallKind::New,
            args: arg_count(node),
            line: Self::line(node),
            ty: Some(ty),
        };
        self.push_call(call);
    }

    fn method_ref(&mut self, node: Node) {
        let mut cursor = node.walk();
        let children: Vec<Node> = node.children(&mut cursor).collect();
        let Some(target) = children.first() else {
            return;
        };
        let Some(last) = children.last() else { return };
        let (name, ty) = if last.kind() == "new" {
            ("<init>".to_string(), self.type_of(*target, 0))
        } else {
            (self.text(*last).to_string(), None)
        };
        let receiver = match target.kind() {
            "type_identifier" | "scoped_type_identifier" | "generic_type" => self
                .type_of(*target, 0)
                .map(|t| Expr::Name(t.name))
                .unwrap_or(Expr::Unknown),
            _ => self.expr(*target, 1),
        };
        let call = Call {
            receiver: Some(receiver),
            name,
            kind: CallKind::MethodRef,
            args: 0,
            line: Self::line(node),
            ty,
        };
        self.push_call(call);
    }

    fn ctor_call(&mut self, node: Node) {
        let is_super = child(node, |f| f.constructor).is_some_and(|c| c.kind() == "super");
        if !is_super {
            return;
        }
        let call = Call {
            receiver: Some(Expr::Super),
            name: "<init>".into(),
            kind: CallKind::SuperConstructor,
            args: arg_count(node),
            line: Self::line(node),
            ty: None,
        };
        self.push_call(call);
    }

    fn type_ref(&mut self, node: Node) {
        // Parts of a scoped name are covered by the whole, which comes first
        // in capture order. (Ranges, not `Node::parent`, which walks down
        // from the root on every call.)
        if node.start_byte() < self.scoped_until {
            return;
        }
        if node.kind() == "scoped_type_identifier" {
            self.scoped_until = node.end_byte();
        }
        if let Some(r) = self.type_of(node, 0) {
            let owner = self.enclosing_type();
            self.facts.type_refs.push((owner, r));
        }
    }

    fn string(&mut self, node: Node) {
        let text = unquote(self.text(node));
        if looks_like_sql(&text) {
            let function = self.current_function();
            self.facts.sql.push(StringLit {
                text,
                line: Self::line(node),
                function,
            });
        }
    }

    /// Reads a type node into a [`TypeRef`]; `None` for nodes that are not
    /// types (wildcards without bounds, for instance).
    fn type_of(&self, node: Node, depth: usize) -> Option<TypeRef> {
        if depth > MAX_EXPR_DEPTH {
            return None;
        }
        let line = Self::line(node);
        match node.kind() {
            "type_identifier"
            | "identifier"
            | "integral_type"
            | "floating_point_type"
            | "boolean_type"
            | "void_type" => Some(TypeRef {
                name: self.text(node).to_string(),
                args: Vec::new(),
                array_dims: 0,
                line,
            }),
            "scoped_type_identifier" | "scoped_identifier" => {
                // Rebuild the dotted name from the identifier parts, leaving
                // out annotations and type arguments of outer parts.
                let mut parts = Vec::new();
                collect_scoped(node, self.src, &mut parts);
                Some(TypeRef {
                    name: parts.join("."),
                    args: Vec::new(),
                    array_dims: 0,
                    line,
                })
            }
            "generic_type" => {
                let mut cursor = node.walk();
                let mut base: Option<TypeRef> = None;
                let mut args = Vec::new();
                for child in node.named_children(&mut cursor) {
                    if child.kind() == "type_arguments" {
                        let mut c2 = child.walk();
                        for a in child.named_children(&mut c2) {
                            if let Some(t) = self.type_of(a, depth + 1) {
                                args.push(t);
                            }
                        }
                    } else if base.is_none() {
                        base = self.type_of(child, depth + 1);
                    }
                }
                base.map(|b| TypeRef { args, ..b })
            }
            "array_type" => {
                let element = child(node, |f| f.element)?;
                let mut t = self.type_of(element, depth + 1)?;
                let dims = child(node, |f| f.dimensions)
                    .map(|d| self.text(d).matches('[').count() as u8)
                    .unwrap_or(1);
                t.array_dims = t.array_dims.saturating_add(dims.max(1));
                Some(t)
            }
            "wildcard" => {
                let mut cursor = node.walk();
                let bound = node
                    .named_children(&mut cursor)
                    .filter(|c| c.kind() != "annotation" && c.kind() != "marker_annotation")
                    .last();
                bound.and_then(|b| self.type_of(b, depth + 1))
            }
            "annotated_type" => {
                let mut cursor = node.walk();
                let inner = node
                    .named_children(&mut cursor)
                    .filter(|c| c.kind() != "annotation" && c.kind() != "marker_annotation")
                    .last();
                inner.and_then(|b| self.type_of(b, depth + 1))
            }
            _ => None,
        }
    }

    /// Reads an expression into the [`Expr`] shape used to type receivers.
    fn expr(&self, node: Node, depth: usize) -> Expr {
        if depth > MAX_EXPR_DEPTH {
            return Expr::Unknown;
        }
        match node.kind() {
            "identifier" => Expr::Name(self.text(node).to_string()),
            "this" => Expr::This,
            "super" => Expr::Super,
            "string_literal" | "text_block" => Expr::StringLit,
            "field_access" => {
                let object = child(node, |f| f.object);
                let field = child(node, |f| f.field);
                match (object, field) {
                    (Some(o), Some(f)) if f.kind() == "this" => {
                        // `Outer.this`: the enclosing instance.
                        let _ = o;
                        Expr::This
                    }
                    (Some(o), Some(f)) => {
                        Expr::Field(Box::new(self.expr(o, depth + 1)), self.text(f).to_string())
                    }
                    _ => Expr::Unknown,
                }
            }
            "scoped_identifier" => {
                let mut parts = Vec::new();
                collect_scoped(node, self.src, &mut parts);
                let mut it = parts.into_iter();
                let first = it.next().map(Expr::Name).unwrap_or(Expr::Unknown);
                it.fold(first, |acc, p| Expr::Field(Box::new(acc), p))
            }
            "method_invocation" => {
                let Some(name) = child(node, |f| f.name) else {
                    return Expr::Unknown;
                };
                let object = child(node, |f| f.object).map(|o| Box::new(self.expr(o, depth + 1)));
                Expr::Call(object, self.text(name).to_string(), arg_count(node))
            }
            "object_creation_expression" => child(node, |f| f.ty)
                .and_then(|t| self.type_of(t, depth + 1))
                .map(Expr::New)
                .unwrap_or(Expr::Unknown),
            "cast_expression" => child(node, |f| f.ty)
                .and_then(|t| self.type_of(t, depth + 1))
                .map(Expr::Cast)
                .unwrap_or(Expr::Unknown),
            "parenthesized_expression" => {
                let mut cursor = node.walk();
                let inner = node.named_children(&mut cursor).next();
                inner
                    .map(|i| self.expr(i, depth + 1))
                    .unwrap_or(Expr::Unknown)
            }
            _ => Expr::Unknown,
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
mod tests {
    use super::*;

    fn parse(src: &str) -> FileFacts {
        JavaFrontend.parse("T.java", src)
    }

    #[test]
    fn queries_compile_and_every_capture_is_understood() {
        let q = query();
        for name in q.capture_names() {
            assert_ne!(
                Cap::from_name(name),
                Cap::Other,
                "unhandled capture @{name}"
            );
        }
        assert!(q.capture_names().contains(&"call.method"));
    }

    #[test]
    fn declarations_imports_and_calls() {
        let f = parse(
            r#"package com.shop.orders;
import com.shop.catalog.Product;
import static com.shop.common.Money.of;
import com.shop.common.*;
@Service
@RequestMapping("/api/orders")
public class OrderService extends Base implements Api, Other<Product> {
    private final OrderRepository repo;
    private List<Product> cache = new ArrayList<>();
    public Order place(Long id, Product... ps) {
        var o = new Order(id);
        for (Product p : ps) { o.add(p.price()); }
        repo.findById(id).orElseThrow();
        items.forEach(Product::touch);
        return super.save(o);
    }
    static class Inner { void m() {} }
}
"#,
        );
        assert_eq!(f.namespace.as_deref(), Some("com.shop.orders"));
        let imports: Vec<_> = f
            .imports
            .iter()
            .map(|i| (i.path.as_str(), i.kind))
            .collect();
        assert_eq!(
            imports,
            vec![
                ("com.shop.catalog.Product", ImportKind::Single),
                ("com.shop.common.Money.of", ImportKind::Static),
                ("com.shop.common", ImportKind::Wildcard),
            ]
        );
        let t = &f.types[0];
        assert_eq!(t.name, "OrderService");
        assert_eq!(
            t.supertypes
                .iter()
                .map(|(k, r)| (*k, r.name.as_str()))
                .collect::<Vec<_>>(),
            vec![
                (SuperKind::Extends, "Base"),
                (SuperKind::Implements, "Api"),
                (SuperKind::Implements, "Other")
            ]
        );
        assert_eq!(t.annotations.len(), 2);
        assert_eq!(
            t.annotations[1].args,
            vec![("value".into(), "/api/orders".into())]
        );
        assert_eq!(f.types[1].path, "OrderService.Inner");
        assert_eq!(f.types[1].parent, Some(0));
        let fields: Vec<_> = t.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(fields, vec!["repo", "cache"]);

        let place = f.functions.iter().find(|f| f.name == "place").unwrap();
        assert_eq!(place.params.len(), 2);
        assert_eq!(place.params[1].1.array_dims, 1);
        let calls: Vec<_> = place
            .calls
            .iter()
            .map(|c| (c.name.as_str(), c.kind))
            .collect();
        assert_eq!(
            calls,
            vec![
                ("<init>", CallKind::New),
                ("add", CallKind::Method),
                ("price", CallKind::Method),
                ("orElseThrow", CallKind::Method),
                ("findById", CallKind::Method),
                ("forEach", CallKind::Method),
                ("touch", CallKind::MethodRef),
                ("save", CallKind::Method),
            ]
        );
        let locals: Vec<_> = place.locals.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(locals, vec!["o", "p"]);
        assert_eq!(
            place.locals[0].init,
            Some(Expr::New(TypeRef {
                name: "Order".into(),
                args: vec![],
                array_dims: 0,
                line: 11
            }))
        );
        // The field initializer's call lands in the initializer.
        let init = f
            .functions
            .iter()
            .find(|f| f.kind == FunctionKind::Initializer)
            .unwrap();
        assert_eq!(init.calls[0].ty.as_ref().unwrap().name, "ArrayList");
        assert!(f.diagnostics.is_empty());
    }

    #[test]
    fn syntax_error_keeps_partial_facts() {
        let f = parse(
            "package a;\nimport b.C;\npublic class A {\n  void m( {\n}\nclass B extends C {}\n",
        );
        assert_eq!(f.imports.len(), 1);
        assert!(f.types.iter().any(|t| t.name == "A"));
        assert_eq!(f.diagnostics.len(), 1);
        assert!(f.diagnostics[0].message.contains("syntax error"));
    }

    #[test]
    fn jooq_table_constants_but_not_static_calls_on_other_types() {
        let f = parse(
            "class D { void f(DSLContext dsl) { String s = String.join(SEP, xs); \
             LocalDate d = LocalDate.from(NOW); dsl.selectFrom(BOOK).fetch(); \
             DSL.deleteFrom(Tables.AUTHOR).execute(); jdbc.update(\"UPDATE t SET a = 1\"); } }",
        );
        let got: Vec<(String, bool)> = f
            .table_accesses
            .iter()
            .map(|a| (a.target.clone(), a.write))
            .collect();
        assert_eq!(
            got,
            [("book".to_string(), false), ("author".to_string(), true)]
        );
    }

    #[test]
    fn sql_strings_are_kept() {
        let f = parse("class A { void m() { jdbc.update(\"UPDATE loyalty SET p = 1\"); String s = \"hello\"; } }");
        assert_eq!(f.sql.len(), 1);
        assert_eq!(f.sql[0].text, "UPDATE loyalty SET p = 1");
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 5000;
        let src = format!(
            "class A {{ int x = {}1{}; Object o = {}y{}; }}",
            "(".repeat(depth),
            ")".repeat(depth),
            "a(".repeat(depth),
            ")".repeat(depth)
        );
        let f = parse(&src);
        assert_eq!(f.types.len(), 1);
    }
}
