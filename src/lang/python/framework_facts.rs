//! The plan facts a Python file states through its frameworks: routes from
//! decorators, Django `path()`/`re_path()` url patterns, blueprint and router
//! prefixes and mounts, model relations, and the model tables (Django default
//! naming, `Meta.db_table`, SQLAlchemy `__tablename__`).

use super::*;
use crate::frameworks::KeyForm;

impl Extractor<'_> {
    /// Flask `@app.route("/p", methods=[...])`, `@bp.get("/p")`, FastAPI
    /// `@router.post("/p")`, with the prefix of a blueprint or router
    /// declared in this file.
    pub(super) fn routes_of(&self, anns: &[Annotation]) -> Vec<(String, String)> {
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

    /// `bp = Blueprint("n", __name__, url_prefix="/p")`,
    /// `router = APIRouter(prefix="/p")`.
    pub(super) fn prefix_decl(&mut self, var: &str, call: Node) {
        let a = self.annotation_of(call);
        let simple = a.name.rsplit('.').next().unwrap_or("");
        let Some(path_args) =
            frameworks::find(Language::Python, Syntax::Call, simple, |r| match r.fact {
                Fact::RoutePrefix { path_args } => Some(path_args),
                _ => None,
            })
        else {
            return;
        };
        let prefix = path_args
            .iter()
            .find_map(|k| a.args.iter().find(|(name, _)| name == k))
            .map(|(_, v)| v.trim_end_matches('/').to_string())
            .unwrap_or_default();
        self.prefixes.push((var.to_string(), prefix));
    }

    /// Django relation fields: `x = models.ForeignKey(Target, related_name="rn")`
    /// types the field `x` by `Target` and is kept as an `=fk` annotation
    /// of the class (field, target, related name) for reverse relations.
    pub(super) fn relation(&mut self, owner: u32, name: &str, call: Node) {
        let a = self.annotation_of(call);
        let simple = a.name.rsplit('.').next().unwrap_or("");
        let relation = frameworks::find(Language::Python, Syntax::Call, simple, |r| match r.fact {
            Fact::ForeignKey {
                form: KeyForm::DjangoRelation | KeyForm::DjangoManyToMany,
            } => Some(()),
            _ => None,
        });
        if relation.is_none() {
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
        let mut args = vec![
            ("field".into(), name.to_string()),
            ("target".into(), target),
            ("related_name".into(), related),
            ("kind".into(), simple.to_string()),
        ];
        // What names the key's column and join table (`resolve::plan_facts`).
        for k in ["db_column", "to_field", "through", "db_table"] {
            if let Some((_, v)) = a.args.iter().find(|(x, _)| x == k) {
                args.push((k.to_string(), v.clone()));
            }
        }
        t.annotations.push(Annotation {
            name: "=fk".into(),
            args,
            line: line(call),
        });
    }

    /// Calls the framework table says run the SQL of their first argument
    /// (`cursor.execute("...")`) or declare a table (`Table("orders",
    /// metadata, ...)`), when that argument is a plain string.
    pub(super) fn sql_call(&mut self, node: Node, name: &str, function: u32) {
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
            Some(Fact::SqlArg) => self.facts.sql.push(crate::lang::StringLit {
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

    pub(super) fn url_route(&mut self, node: Node) {
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
    pub(super) fn mount(&mut self, node: Node, path_args: &[&str]) {
        let a = self.annotation_of(node);
        let Some(target) = a.args.iter().find(|(k, _)| k == "value") else {
            return;
        };
        let prefix = path_args
            .iter()
            .find_map(|k| a.args.iter().find(|(name, _)| name == k))
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

    /// Model tables: Django `models.Model` subclasses (default table
    /// `<app_label>_<model lower>`, or `Meta.db_table`; abstract models
    /// have none) and SQLAlchemy `__tablename__`.
    pub(super) fn models(&mut self) {
        let app_label = app_label(self.path);
        let mut declarative = Vec::new();
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
                declarative.push((i as u32, tn));
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
        // Declarative SQLAlchemy models: their columns' keys.
        for (t, table) in declarative {
            self.column_keys(t, &table);
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
pub(super) fn opens_transaction(name: &str, syntax: Syntax) -> bool {
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
