//! The plan stage's reading of the language-neutral plan facts
//! ([`crate::lang::plan_facts`]) that the Python frontend states: model
//! tables, routes (Django `urls.py` with `include`, Flask blueprints,
//! FastAPI routers) and transaction scopes. Names are resolved through
//! [`crate::resolve::python::plan_facts`]; docs/python.md lists the rules.

use std::collections::{BTreeMap, BTreeSet};

use super::resolve::plan_facts;
use crate::lang::plan_facts::DataAccess as ModelAccess;
use crate::lang::plan_facts::{join_path, ForeignKey, UnitRoute as Route};
use crate::lang::Language;
use crate::lang::ParsedFile;

pub struct PythonPlan {
    pub routes: Vec<Route>,
    pub accesses: Vec<ModelAccess>,
    /// Foreign keys of Django model relation fields.
    pub foreign_keys: Vec<crate::lang::plan_facts::ForeignKey>,
}

/// The file a dotted module string names (`"orders.urls"`), by path suffix.
fn module_file(files: &[ParsedFile], module: &str) -> Option<u32> {
    let rel = module.replace('.', "/");
    let want = [format!("{rel}.py"), format!("{rel}/__init__.py")];
    let mut hits = (0..files.len() as u32).filter(|&i| {
        let id = &files[i as usize].id;
        files[i as usize].language == Language::Python
            && want
                .iter()
                .any(|w| id == w || id.ends_with(&format!("/{w}")))
    });
    let first = hits.next()?;
    // Ambiguous suffixes resolve to nothing rather than to a guess.
    hits.next().is_none().then_some(first)
}

pub fn python_plan(files: &[ParsedFile], roots: &[String]) -> PythonPlan {
    // Every dotted handler or mount target to resolve, in file scope.
    let mut queries: Vec<(u32, String)> = Vec::new();
    for (u, f) in files.iter().enumerate() {
        if f.language != Language::Python || f.test {
            continue;
        }
        for r in &f.facts.routes {
            if let Some(h) = &r.handler {
                queries.push((u as u32, h.clone()));
            }
            if let Some(i) = &r.include {
                queries.push((u as u32, i.clone()));
            }
        }
    }
    queries.sort();
    queries.dedup();
    let facts = plan_facts(files, roots, &queries);
    let resolved: BTreeMap<(u32, String), (u32, String)> = queries
        .iter()
        .cloned()
        .zip(facts.handlers)
        .filter_map(|(q, r)| Some((q, r?)))
        .collect();
    // Mounts: (including file, prefix, included file).
    let mut mounts: Vec<(u32, String, u32)> = Vec::new();
    for (u, f) in files.iter().enumerate() {
        if f.language != Language::Python || f.test {
            continue;
        }
        for r in f.facts.routes.iter() {
            let Some(inc) = &r.include else { continue };
            let target = module_file(files, inc)
                .or_else(|| resolved.get(&(u as u32, inc.clone())).map(|t| t.0));
            if let Some(t) = target {
                if t != u as u32 {
                    mounts.push((u as u32, r.path.clone(), t));
                }
            }
        }
    }
    let included: BTreeSet<u32> = mounts.iter().map(|m| m.2).collect();
    let with_routes: Vec<u32> = (0..files.len() as u32)
        .filter(|&u| {
            let f = &files[u as usize];
            f.language == Language::Python && !f.test && !f.facts.routes.is_empty()
        })
        .collect();
    let mut routes = BTreeSet::new();
    let mut stack: Vec<(u32, String, usize)> = with_routes
        .iter()
        .filter(|u| !included.contains(u))
        .map(|&u| (u, String::new(), 0))
        .collect();
    while let Some((u, prefix, depth)) = stack.pop() {
        if depth > 16 {
            continue;
        }
        let facts = &files[u as usize].facts;
        for r in &facts.routes {
            if r.include.is_some() {
                continue;
            }
            let path = join_path(&prefix, &r.path);
            if let Some(fi) = r.function {
                let handler = facts.symbol(fi as usize);
                routes.insert(Route {
                    method: r.method.clone(),
                    path,
                    unit: u,
                    handler,
                    line: r.line,
                });
            } else if let Some(h) = &r.handler {
                let (unit, handler) = resolved
                    .get(&(u, h.clone()))
                    .cloned()
                    .unwrap_or((u, h.clone()));
                // The handler's own line when it is declared elsewhere.
                let hf = &files[unit as usize].facts;
                let line = hf
                    .functions
                    .iter()
                    .find(|g| g.owner.is_none() && g.name == handler)
                    .map(|g| g.lines.0)
                    .or_else(|| {
                        hf.types
                            .iter()
                            .find(|t| t.path == handler)
                            .map(|t| t.lines.0)
                    })
                    .filter(|_| unit != u)
                    .unwrap_or(r.line);
                routes.insert(Route {
                    method: r.method.clone(),
                    path,
                    unit,
                    handler,
                    line,
                });
            }
        }
        for (from, p, to) in &mounts {
            if *from == u {
                stack.push((*to, join_path(&prefix, p), depth + 1));
            }
        }
    }
    PythonPlan {
        routes: routes.into_iter().collect(),
        accesses: facts.accesses,
        foreign_keys: keys(files, facts.foreign_keys),
    }
}

/// The keys of the model relations and those each Python file states
/// (migrations, Alembic, SQLAlchemy Core), with Django's default table
/// names (`<app label>_<model>`, what a migration's `to="app.model"` names)
/// replaced by the table the model declares (`Meta.db_table`).
fn keys(files: &[ParsedFile], model_keys: Vec<ForeignKey>) -> Vec<ForeignKey> {
    let mut declared: BTreeMap<String, String> = BTreeMap::new();
    for f in files.iter().filter(|f| f.language == Language::Python) {
        let app = super::framework_facts::app_label(&f.id);
        for d in &f.facts.tables {
            if let Some(t) = d.type_index {
                let default = format!(
                    "{app}_{}",
                    f.facts.types[t as usize].name.to_ascii_lowercase()
                );
                if default != d.table {
                    declared.insert(default, d.table.clone());
                }
            }
        }
    }
    let mut out = model_keys;
    for f in files
        .iter()
        .filter(|f| f.language == Language::Python && !f.test)
    {
        for k in &f.facts.foreign_keys {
            let mut k = k.clone();
            for t in [&mut k.table, &mut k.references] {
                if let Some(d) = declared.get(t.as_str()) {
                    *t = d.clone();
                }
            }
            out.push(k);
        }
    }
    out
}
