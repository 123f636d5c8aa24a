//! Locals, calls and expressions inside Java method bodies: the locals a
//! receiver type can come from (declarations, `var`, enhanced `for`, catch
//! and lambda parameters, type patterns), the calls (method, constructor,
//! `new`, method references), type mentions and SQL strings, and the bounded
//! readers that turn a type or expression node into [`TypeRef`] / [`Expr`].

use super::*;

impl<'s> Extractor<'s> {
    pub(super) fn push_local(&mut self, local: Local) {
        if let Some(f) = self.current_function() {
            self.facts.functions[f as usize].locals.push(local);
        }
    }

    pub(super) fn local_declaration(&mut self, node: Node) {
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
    pub(super) fn typed_local(&mut self, node: Node, ty_field: fn(&Fields) -> u16, iterates: bool) {
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

    pub(super) fn catch_param(&mut self, node: Node) {
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

    pub(super) fn lambda_params(&mut self, node: Node) {
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

    pub(super) fn type_pattern(&mut self, node: Node) {
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

    pub(super) fn push_call(&mut self, call: Call) {
        if let Some(f) = self.current_function() {
            self.facts.functions[f as usize].calls.push(call);
        }
    }

    pub(super) fn method_call(&mut self, node: Node) {
        let Some(name) = child(node, |f| f.name) else {
            return;
        };
        let receiver = child(node, |f| f.object).map(|o| self.expr(o, 1));
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

    pub(super) fn new_call(&mut self, node: Node) {
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

    pub(super) fn method_ref(&mut self, node: Node) {
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

    pub(super) fn ctor_call(&mut self, node: Node) {
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

    pub(super) fn type_ref(&mut self, node: Node) {
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

    pub(super) fn string(&mut self, node: Node) {
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
    pub(super) fn type_of(&self, node: Node, depth: usize) -> Option<TypeRef> {
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
    pub(super) fn expr(&self, node: Node, depth: usize) -> Expr {
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
