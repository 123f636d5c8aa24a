//! Type annotations and expressions: the bounded readers that turn an
//! annotation node into a [`TypeRef`] and an expression node into an [`Expr`].

use super::*;

impl Extractor<'_> {
    pub(super) fn type_ref(&mut self, node: Node) {
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
    pub(super) fn type_of(&self, node: Node) -> Option<TypeRef> {
        let inner = if node.kind() == "type" {
            node.named_child(0)?
        } else {
            node
        };
        self.type_expr(inner, 0)
    }

    pub(super) fn type_expr(&self, node: Node, depth: usize) -> Option<TypeRef> {
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

    pub(super) fn type_args(&self, node: Node, depth: usize, out: &mut Vec<TypeRef>) {
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

    pub(super) fn expr(&self, node: Node, depth: usize) -> Expr {
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
}
