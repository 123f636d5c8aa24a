//! What the plan stage needs from Python resolution: the definitions route
//! handlers name, and the model reads and writes through Django managers,
//! querysets and instances.

use super::*;
use crate::lang::plan_facts::ForeignKey;

/// Facts the plan stage needs from Python resolution: what route handlers
/// name, and which functions read or write which model through Django
/// managers, querysets and instances.
#[derive(Debug, Default)]
pub struct PlanFacts {
    /// Per queried `(file, dotted name)`: the defining `(file, symbol)`.
    pub handlers: Vec<Option<(u32, String)>>,
    pub accesses: Vec<ModelAccess>,
    /// Foreign keys of Django model relation fields, sorted.
    pub foreign_keys: Vec<ForeignKey>,
}

/// Queryset and manager methods that write.
const WRITES: &[&str] = &[
    "create",
    "update",
    "delete",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
];

/// Resolves route handlers and model accesses for the plan stage.
pub fn plan_facts(files: &[ParsedFile], roots: &[String], handlers: &[(u32, String)]) -> PlanFacts {
    let ids: Vec<u32> = (0..files.len() as u32)
        .filter(|&i| files[i as usize].language == crate::lang::Language::Python)
        .collect();
    let mut out = PlanFacts::default();
    if ids.is_empty() {
        out.handlers = vec![None; handlers.len()];
        return out;
    }
    let mut index = Index::build(files, &ids, roots);
    index.resolve_bases(&ids);
    for (file, name) in handlers {
        let cx = Scope {
            file: *file,
            func: None,
            owner: None,
        };
        // A bare module-level variable (a blueprint) is the target itself,
        // not the value it holds.
        let direct = match index.name_in(*file, name, 0) {
            Some(Val::Global(f, n)) => Some(Val::Global(f, n)),
            _ => None,
        };
        out.handlers.push(
            match direct.unwrap_or_else(|| index.type_name(&cx, name, 0)) {
                Val::Func(f, n) => Some((f, n)),
                Val::Class(f, c) => Some((f, index.facts(f).types[c as usize].path.clone())),
                Val::Global(f, n) => Some((f, n)),
                Val::Module(Module::File(f)) => Some((f, String::new())),
                _ => None,
            },
        );
    }
    let is_model = |f: u32, t: u32| {
        index
            .facts(f)
            .tables
            .iter()
            .any(|d| d.type_index == Some(t))
    };
    for &f in &ids {
        if files[f as usize].test {
            continue;
        }
        for (fi, func) in index.facts(f).functions.iter().enumerate() {
            let cx = Scope {
                file: f,
                func: Some(fi as u32),
                owner: func.owner,
            };
            for call in &func.calls {
                let Some(recv) = &call.receiver else { continue };
                let (m, write) = match index.eval(&cx, recv, 0) {
                    Val::Manager(m, _) => (m, WRITES.contains(&call.name.as_str())),
                    Val::Instance(mf, mt)
                        if matches!(call.name.as_str(), "save" | "delete" | "refresh_from_db") =>
                    {
                        ((mf, mt), call.name != "refresh_from_db")
                    }
                    _ => continue,
                };
                if !is_model(m.0, m.1) {
                    continue;
                }
                out.accesses.push(ModelAccess {
                    file: f,
                    function: fi as u32,
                    model_file: m.0,
                    model_type: m.1,
                    write,
                    line: call.line,
                });
            }
        }
    }
    out.accesses.sort();
    out.accesses.dedup();
    out.foreign_keys = model_keys(files, &ids, &index);
    out
}

/// The foreign keys of Django model relation fields (`=fk` annotations of
/// model classes): the target class resolved through the file's names
/// (else the only model class of that name), both tables from their
/// declarations. A foreign key or one-to-one field is a key from the
/// model's table (column `db_column`, else `<field>_id`) to the target's;
/// a many-to-many field without `through` is a join table (`db_table`,
/// else `<table>_<field>`) with a key to each side.
fn model_keys(files: &[ParsedFile], ids: &[u32], index: &Index) -> Vec<ForeignKey> {
    let table_of = |f: u32, t: u32| {
        index
            .facts(f)
            .tables
            .iter()
            .find(|d| d.type_index == Some(t))
            .map(|d| d.table.clone())
    };
    let mut by_name: HashMap<&str, Vec<(u32, u32)>> = HashMap::new();
    for &f in ids {
        for (t, ty) in index.facts(f).types.iter().enumerate() {
            if table_of(f, t as u32).is_some() {
                by_name
                    .entry(ty.name.as_str())
                    .or_default()
                    .push((f, t as u32));
            }
        }
    }
    let mut out = Vec::new();
    for &f in ids {
        if files[f as usize].test {
            continue;
        }
        for (t, ty) in index.facts(f).types.iter().enumerate() {
            let Some(table) = table_of(f, t as u32) else {
                continue;
            };
            for a in ty.annotations.iter().filter(|a| a.name == "=fk") {
                let get = |k: &str| a.args.iter().find(|(x, _)| x == k).map(|(_, v)| v.as_str());
                let (Some(field), Some(target)) = (get("field"), get("target")) else {
                    continue;
                };
                let cx = Scope {
                    file: f,
                    func: None,
                    owner: None,
                };
                let class = match index.type_name(&cx, target, 0) {
                    _ if target.ends_with("AUTH_USER_MODEL") => None,
                    Val::Class(g, c) => Some((g, c)),
                    _ => match by_name.get(target).map(Vec::as_slice) {
                        Some(&[one]) => Some(one),
                        _ => None,
                    },
                };
                // `settings.AUTH_USER_MODEL`: Django's user table unless the
                // project swaps it (which only its settings say).
                let references = if target.ends_with("AUTH_USER_MODEL") {
                    Some("auth_user".to_string())
                } else {
                    class.and_then(|(g, c)| table_of(g, c))
                };
                let Some(references) = references else {
                    continue;
                };
                let key = |table: &str, column: String, references: &str| ForeignKey {
                    table: table.to_string(),
                    columns: vec![column],
                    references: references.to_string(),
                    ref_columns: Vec::new(),
                    name: None,
                    file: files[f as usize].id.clone(),
                    line: a.line,
                };
                if get("kind") != Some("ManyToManyField") {
                    let column = get("db_column")
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("{field}_id"));
                    let mut k = key(&table, column, &references);
                    k.ref_columns = get("to_field").map(str::to_string).into_iter().collect();
                    out.push(k);
                    continue;
                }
                if get("through").is_some() {
                    continue;
                }
                let join = get("db_table")
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("{table}_{field}"));
                let own = ty.name.to_ascii_lowercase();
                let other = class
                    .map(|(g, c)| index.facts(g).types[c as usize].name.to_ascii_lowercase())
                    .unwrap_or_default();
                let (a_col, b_col) = if references == table {
                    (format!("from_{own}_id"), format!("to_{own}_id"))
                } else {
                    (format!("{own}_id"), format!("{other}_id"))
                };
                out.push(key(&join, a_col, &table));
                out.push(key(&join, b_col, &references));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}
