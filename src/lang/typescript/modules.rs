//! Module structure as the TypeScript/JavaScript frontend reads it: ESM
//! imports (default, named, namespace, `type`), exports and re-exports
//! (`export * from`, `export { a as b } from`, `export default`), CommonJS
//! `require` (bound whole, destructured, or `.x`), `module.exports` and
//! `exports.x`, into [`super::TsFacts`].

use tree_sitter::Node;

use super::{
    is_function_value, is_require, line, require_specifier, shared_import, strip_assign_chain,
    Binding, Extractor, Scope, TsExport, TsImport, TsImportKind,
};
use crate::lang::{Expr, Field, FunctionKind, Local};

impl<'a> Extractor<'a> {
    pub(super) fn string_value(&self, node: Node) -> Option<String> {
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

    pub(super) fn import(&mut self, node: Node) {
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
    pub(super) fn name_text(&self, node: Node) -> String {
        self.string_value(node)
            .unwrap_or_else(|| self.text(node).to_string())
    }

    pub(super) fn export(&mut self, node: Node) {
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

    pub(super) fn export_specifiers(&self, clause: Node) -> Vec<(String, String, bool)> {
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
    pub(super) fn declared_names(&self, decl: Node) -> Vec<String> {
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

    pub(super) fn record_require(
        &mut self,
        call: Node,
        bindings: Vec<Binding>,
        kind: TsImportKind,
    ) -> bool {
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

    pub(super) fn pattern_bindings(&self, pattern: Node) -> Vec<Binding> {
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

    pub(super) fn assign(&mut self, node: Node) {
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
}
