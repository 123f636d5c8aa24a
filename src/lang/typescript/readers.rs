//! Bounded readers of the TypeScript/JavaScript frontend: parameters,
//! type nodes to [`TypeRef`], class-valued expressions, and expressions to
//! the small [`Expr`] shape resolution types receivers with.

use tree_sitter::Node;

use super::{line, untyped, Extractor, MAX_EXPR_DEPTH};
use crate::lang::{Expr, TypeRef};

impl<'a> Extractor<'a> {
    pub(super) fn params(&self, params: Node) -> Vec<(String, TypeRef)> {
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

    pub(super) fn type_args(&self, args: Node) -> Vec<TypeRef> {
        let mut c = args.walk();
        args.named_children(&mut c)
            .filter_map(|a| self.type_of_node(a))
            .collect()
    }

    /// A type node as a [`TypeRef`]; `None` for literal, function and
    /// other types that name nothing.
    pub(super) fn type_of_node(&self, node: Node) -> Option<TypeRef> {
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
    pub(super) fn value_type(&self, node: Node) -> Option<TypeRef> {
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

    pub(super) fn expr(&self, node: Node, depth: usize) -> Expr {
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
}
