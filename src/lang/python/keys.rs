//! Foreign keys a Python file states in calls, as the framework table's
//! [`Fact::ForeignKey`] rows describe them: Django migration operations
//! (`CreateModel`, `AddField`, `AlterField`) with their relation fields,
//! Alembic `op.create_table` / `op.create_foreign_key`, and SQLAlchemy Core
//! `Table(...)` with `ForeignKey` columns and `ForeignKeyConstraint`s.
//! Each becomes a neutral [`ForeignKey`] row of the file, like a key of a
//! SQL schema. Django model fields (`models.ForeignKey(Customer)` in a
//! model class) name classes, not tables: they are kept as `=fk`
//! annotations and become keys once every file is read
//! (`resolve::plan_facts::model_keys`).

use super::*;
use crate::frameworks::KeyForm;
use crate::lang::plan_facts::ForeignKey;

/// The positional and keyword arguments of a call, as nodes.
struct Args<'t> {
    positional: Vec<Node<'t>>,
    keyword: Vec<(String, Node<'t>)>,
}

impl<'t> Args<'t> {
    fn kw(&self, name: &str) -> Option<Node<'t>> {
        self.keyword
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| *v)
    }

    /// The keyword `name`, else the `i`th positional argument.
    fn get(&self, name: &str, i: usize) -> Option<Node<'t>> {
        self.kw(name).or_else(|| self.positional.get(i).copied())
    }
}

/// The last part of a callee (`models.ForeignKey` → `ForeignKey`).
fn callee_name<'a>(call: Node, src: &'a [u8]) -> Option<&'a str> {
    let f = call.child_by_field_name("function")?;
    let f = match f.kind() {
        "attribute" => f.child_by_field_name("attribute")?,
        "identifier" => f,
        _ => return None,
    };
    f.utf8_text(src).ok()
}

/// The foreign-key form a call has per the framework table, among `forms`.
fn form_of(call: Node, src: &[u8], forms: &[KeyForm]) -> Option<KeyForm> {
    if call.kind() != "call" {
        return None;
    }
    let name = callee_name(call, src)?;
    frameworks::find(Language::Python, Syntax::Call, name, |r| match r.fact {
        Fact::ForeignKey { form } if forms.contains(&form) => Some(form),
        _ => None,
    })
}

fn args_of<'t>(call: Node<'t>, src: &[u8]) -> Args<'t> {
    let mut out = Args {
        positional: Vec::new(),
        keyword: Vec::new(),
    };
    let Some(args) = call.child_by_field_name("arguments") else {
        return out;
    };
    let mut c = args.walk();
    for a in args.named_children(&mut c) {
        match a.kind() {
            "comment" => {}
            "keyword_argument" => {
                if let (Some(k), Some(v)) = (
                    a.child_by_field_name("name"),
                    a.child_by_field_name("value"),
                ) {
                    out.keyword
                        .push((k.utf8_text(src).unwrap_or("").to_string(), v));
                }
            }
            _ => out.positional.push(a),
        }
    }
    out
}

/// The named children of a list or tuple node.
fn elements(node: Node) -> Vec<Node> {
    if !matches!(node.kind(), "list" | "tuple") {
        return Vec::new();
    }
    let mut c = node.walk();
    node.named_children(&mut c)
        .filter(|n| n.kind() != "comment")
        .collect()
}

/// `"table.column"` → (table, column); a bare `"table"` has no column.
fn table_column(s: &str) -> (String, Option<String>) {
    match s.rsplit_once('.') {
        Some((t, c)) => (t.to_ascii_lowercase(), Some(c.to_string())),
        None => (s.to_ascii_lowercase(), None),
    }
}

/// The app label of a Django migration: the folder above `migrations/`;
/// elsewhere the default app label of the file.
fn migration_app(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.iter().rposition(|p| *p == "migrations") {
        Some(i) if i > 0 => parts[i - 1].to_string(),
        _ => framework_facts::app_label(path),
    }
}

impl Extractor<'_> {
    fn args<'t>(&self, call: Node<'t>) -> Args<'t> {
        args_of(call, self.src)
    }

    fn string(&self, node: Option<Node>) -> Option<String> {
        string_value(node?, self.src)
    }

    /// The strings of a list or tuple of strings.
    fn strings(&self, node: Option<Node>) -> Vec<String> {
        node.map(elements)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|n| string_value(n, self.src))
            .collect()
    }

    fn push_key(
        &mut self,
        table: &str,
        columns: Vec<String>,
        references: &str,
        ref_columns: Vec<String>,
        name: Option<String>,
        at: Node,
    ) {
        if table.is_empty() || references.is_empty() {
            return;
        }
        self.facts.foreign_keys.push(ForeignKey {
            table: table.to_ascii_lowercase(),
            columns,
            references: references.to_ascii_lowercase(),
            ref_columns,
            name,
            file: self.path.to_string(),
            line: line(at),
        });
    }

    /// A call that states foreign keys on its own (a migration operation,
    /// a table with its columns, `create_foreign_key`), per the framework
    /// table; relation fields, column keys and constraints are read inside
    /// those.
    pub(super) fn key_call(&mut self, node: Node) {
        let ops = [
            KeyForm::DjangoCreateModel,
            KeyForm::DjangoField,
            KeyForm::TableColumns,
            KeyForm::CreateForeignKey,
        ];
        let Some(form) = form_of(node, self.src, &ops) else {
            return;
        };
        let args = self.args(node);
        match form {
            KeyForm::DjangoCreateModel => self.create_model(&args),
            KeyForm::DjangoField => {
                let (Some(model), Some(field), Some(value)) = (
                    self.string(args.kw("model_name")),
                    self.string(args.kw("name")),
                    args.kw("field"),
                ) else {
                    return;
                };
                let app = migration_app(self.path);
                let table = format!("{app}_{}", model.to_ascii_lowercase());
                self.relation_key(&app, &table, &model, &field, value);
            }
            KeyForm::TableColumns => self.table_columns(&args),
            KeyForm::CreateForeignKey => {
                // `batch_op.create_foreign_key(name, referent, local,
                // remote)` names no source table: left out.
                let (Some(source), Some(referent)) = (
                    self.string(args.get("source_table", 1)),
                    self.string(args.get("referent_table", 2)),
                ) else {
                    return;
                };
                if args.kw("source_table").is_none() && args.positional.len() < 5 {
                    return;
                }
                let name = self.string(args.get("constraint_name", 0));
                let local = self.strings(args.get("local_cols", 3));
                let remote = self.strings(args.get("remote_cols", 4));
                self.push_key(&source, local, &referent, remote, name, node);
            }
            _ => {}
        }
    }

    /// `migrations.CreateModel(name=..., fields=[(name, field), ...],
    /// options={"db_table": ...})`.
    fn create_model(&mut self, args: &Args) {
        let Some(model) = self.string(args.get("name", 0)) else {
            return;
        };
        let app = migration_app(self.path);
        let db_table = args
            .kw("options")
            .and_then(|o| self.dict_string(o, "db_table"));
        let table = db_table.unwrap_or_else(|| format!("{app}_{}", model.to_ascii_lowercase()));
        for pair in args.get("fields", 1).map(elements).unwrap_or_default() {
            let items = elements(pair);
            let (Some(&name), Some(&field)) = (items.first(), items.get(1)) else {
                continue;
            };
            let Some(field_name) = string_value(name, self.src) else {
                continue;
            };
            self.relation_key(&app, &table, &model, &field_name, field);
        }
    }

    /// The string value of `key` in a dict literal.
    fn dict_string(&self, dict: Node, key: &str) -> Option<String> {
        if dict.kind() != "dictionary" {
            return None;
        }
        let mut c = dict.walk();
        let found = dict
            .named_children(&mut c)
            .filter(|p| p.kind() == "pair")
            .find(|p| {
                p.child_by_field_name("key")
                    .and_then(|k| string_value(k, self.src))
                    .as_deref()
                    == Some(key)
            })
            .and_then(|p| p.child_by_field_name("value"));
        self.string(found)
    }

    /// The table a Django relation target names, seen from app `app`:
    /// `"shop.Customer"` → `shop_customer`, `"Customer"` or `Customer` →
    /// `<app>_customer`, `settings.AUTH_USER_MODEL` → `auth_user`,
    /// `"self"` → the model's own table.
    fn django_target(&self, app: &str, own_table: &str, target: Node) -> Option<String> {
        let text = match string_value(target, self.src) {
            Some(s) => s,
            None => self.text(target).to_string(),
        };
        if text.ends_with("AUTH_USER_MODEL") {
            return Some("auth_user".into());
        }
        if text == "self" {
            return Some(own_table.to_string());
        }
        let text = text.rsplit('.').collect::<Vec<_>>();
        let model = text.first()?.to_ascii_lowercase();
        // "app.Model": the app label is the part before the model.
        let label = if string_value(target, self.src).is_some() && text.len() == 2 {
            text[1].to_ascii_lowercase()
        } else {
            app.to_string()
        };
        (!model.is_empty()).then(|| format!("{label}_{model}"))
    }

    /// The keys a Django relation field (`value`, a call) of `model`'s
    /// field `field` states: one for a foreign key or one-to-one field,
    /// the join table's two for a many-to-many field without `through`.
    fn relation_key(&mut self, app: &str, table: &str, model: &str, field: &str, value: Node) {
        let forms = [KeyForm::DjangoRelation, KeyForm::DjangoManyToMany];
        let Some(form) = form_of(value, self.src, &forms) else {
            return;
        };
        let args = self.args(value);
        let Some(target) = args.get("to", 0) else {
            return;
        };
        let Some(references) = self.django_target(app, table, target) else {
            return;
        };
        if form == KeyForm::DjangoRelation {
            let column = self
                .string(args.kw("db_column"))
                .unwrap_or_else(|| format!("{field}_id"));
            let ref_columns = self.string(args.kw("to_field")).into_iter().collect();
            self.push_key(table, vec![column], &references, ref_columns, None, value);
            return;
        }
        if args.kw("through").is_some() {
            return;
        }
        let join = self
            .string(args.kw("db_table"))
            .unwrap_or_else(|| format!("{table}_{field}"));
        let own = model.to_ascii_lowercase();
        let other = references
            .strip_prefix(&format!("{app}_"))
            .unwrap_or(&references)
            .rsplit('_')
            .next()
            .unwrap_or(&references)
            .to_string();
        // A many-to-many field to its own model: `from_` and `to_` columns.
        let (a, b) = if references == table {
            (format!("from_{own}_id"), format!("to_{own}_id"))
        } else {
            (format!("{own}_id"), format!("{other}_id"))
        };
        self.push_key(&join, vec![a], table, Vec::new(), None, value);
        self.push_key(&join, vec![b], &references, Vec::new(), None, value);
    }

    /// A declarative model's column with keys (`buyer_id =
    /// Column(Integer, ForeignKey("customers.id"))`): kept as `=colfk`
    /// annotations of the class, which become keys of its `__tablename__`
    /// once the class is read ([`Extractor::column_keys`]).
    pub(super) fn model_column(&mut self, owner: u32, field: &str, call: Node) {
        if form_of(call, self.src, &[KeyForm::ModelColumn]).is_none() {
            return;
        }
        let args = self.args(call);
        let column = self
            .string(args.positional.first().copied())
            .unwrap_or_else(|| field.to_string());
        for &k in &args.positional {
            if form_of(k, self.src, &[KeyForm::ColumnKey]).is_none() {
                continue;
            }
            let key = self.args(k);
            let Some(target) = self.string(key.get("column", 0)) else {
                continue;
            };
            let mut a = vec![
                ("column".to_string(), column.clone()),
                ("target".into(), target),
            ];
            if let Some(n) = self.string(key.kw("name")) {
                a.push(("name".into(), n));
            }
            self.facts.types[owner as usize]
                .annotations
                .push(Annotation {
                    name: "=colfk".into(),
                    args: a,
                    line: line(k),
                });
        }
    }

    /// The keys of a declarative model's columns (`=colfk`), from its
    /// table `table`.
    pub(super) fn column_keys(&mut self, owner: u32, table: &str) {
        let found: Vec<ForeignKey> = self.facts.types[owner as usize]
            .annotations
            .iter()
            .filter(|a| a.name == "=colfk")
            .filter_map(|a| {
                let get = |k: &str| a.args.iter().find(|(x, _)| x == k).map(|(_, v)| v.clone());
                let (references, ref_column) = table_column(&get("target")?);
                Some(ForeignKey {
                    table: table.to_ascii_lowercase(),
                    columns: vec![get("column")?],
                    references,
                    ref_columns: ref_column.into_iter().collect(),
                    name: get("name"),
                    file: self.path.to_string(),
                    line: a.line,
                })
            })
            .collect();
        self.facts.foreign_keys.extend(found);
    }

    /// `op.create_table("orders", sa.Column("customer_id", ...,
    /// sa.ForeignKey("customers.id")), sa.ForeignKeyConstraint([...],
    /// [...]))` and `Table("orders", metadata, ...)`.
    fn table_columns(&mut self, args: &Args) {
        let Some(table) = self.string(args.get("name", 0)) else {
            return;
        };
        for &arg in args.positional.iter().skip(1) {
            if arg.kind() != "call" {
                continue;
            }
            if form_of(arg, self.src, &[KeyForm::KeyConstraint]).is_some() {
                let a = self.args(arg);
                let columns = self.strings(a.get("columns", 0));
                let refs = self.strings(a.get("refcolumns", 1));
                let Some((references, _)) = refs.first().map(|r| table_column(r)) else {
                    continue;
                };
                let ref_columns = refs.iter().filter_map(|r| table_column(r).1).collect();
                let name = self.string(a.kw("name"));
                self.push_key(&table, columns, &references, ref_columns, name, arg);
                continue;
            }
            // A column: its name, then any `ForeignKey("table.column")`.
            let column = self.args(arg);
            let Some(name) = self.string(column.positional.first().copied()) else {
                continue;
            };
            for &k in column.positional.iter().skip(1) {
                if form_of(k, self.src, &[KeyForm::ColumnKey]).is_none() {
                    continue;
                }
                let key = self.args(k);
                let Some(target) = self.string(key.get("column", 0)) else {
                    continue;
                };
                let (references, ref_column) = table_column(&target);
                let key_name = self.string(key.kw("name"));
                self.push_key(
                    &table,
                    vec![name.clone()],
                    &references,
                    ref_column.into_iter().collect(),
                    key_name,
                    k,
                );
            }
        }
    }
}
