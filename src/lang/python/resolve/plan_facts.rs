//! What the plan stage needs from Python resolution: the definitions route
//! handlers name, and the model reads and writes through Django managers,
//! querysets and instances.

use super::*;

/// Facts the plan stage needs from Python resolution: what route handlers
/// name, and which functions read or write which model through Django
/// managers, querysets and instances.
#[derive(Debug, Default)]
pub struct PlanFacts {
    /// Per queried `(file, dotted name)`: the defining `(file, symbol)`.
    pub handlers: Vec<Option<(u32, String)>>,
    pub accesses: Vec<ModelAccess>,
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
    out
}
