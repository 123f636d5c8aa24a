//! Cross-file route facts of TypeScript and JavaScript: decorator routes
//! (NestJS, prefix from the controller already applied by the frontend)
//! as they are, and Express/Koa/Fastify router routes with the prefixes of
//! every `app.use('/prefix', router)` that mounts their router, across
//! files (`app.js` mounts `routes/index.js` under `/api`, which mounts
//! `routes/orders.js` under `/orders`). Mount targets are followed through
//! the file's imports and `require`s (relative specifiers and, with the
//! manifests, aliases); a router mounted nowhere is served at the root.

use std::collections::{BTreeMap, BTreeSet};

use crate::lang::plan_facts::{join_path, UnitRoute};
use crate::resolve::common::ParsedFile;

use super::resolve::{Index, Target};
use super::{MountTarget, TsImportKind};

const MAX_MOUNT_DEPTH: usize = 8;

/// A router: (file, router variable; `None`: every router of the file).
type RouterKey = (u32, Option<String>);

/// Every route of the TS/JS files with its full path.
pub fn routes(files: &[ParsedFile], manifests: &[(String, String)]) -> Vec<UnitRoute> {
    let ids: Vec<u32> = (0..files.len() as u32)
        .filter(|&i| files[i as usize].facts.typescript.is_some())
        .collect();
    if !ids
        .iter()
        .any(|&i| !files[i as usize].facts.routes.is_empty())
    {
        return Vec::new();
    }
    let index = Index::build(files, &ids, manifests);
    // Who mounts whom: child router → (parent file, parent router, path).
    let mut parents: BTreeMap<RouterKey, Vec<(u32, String, String)>> = BTreeMap::new();
    for &p in &ids {
        let Some(ts) = files[p as usize].facts.typescript.as_deref() else {
            continue;
        };
        for m in &ts.mounts {
            let child: Option<RouterKey> = match &m.target {
                MountTarget::Name(n) if ts.routers.iter().any(|r| r.name == *n) => {
                    Some((p, Some(n.clone())))
                }
                MountTarget::Name(n) => ts
                    .imports
                    .iter()
                    .filter(|i| i.kind != TsImportKind::ReExport)
                    .find(|i| i.bindings.iter().any(|b| b.local == *n))
                    .and_then(|i| match index.target(p, &i.specifier) {
                        Target::File(c) => Some((c, None)),
                        _ => None,
                    }),
                MountTarget::Require(spec) => match index.target(p, spec) {
                    Target::File(c) => Some((c, None)),
                    _ => None,
                },
            };
            if let Some(child) = child {
                parents
                    .entry(child)
                    .or_default()
                    .push((p, m.router.clone(), m.path.clone()));
            }
        }
    }
    let mut out = Vec::new();
    for &u in &ids {
        let facts = &files[u as usize].facts;
        let Some(ts) = facts.typescript.as_deref() else {
            continue;
        };
        for (i, r) in facts.routes.iter().enumerate() {
            if r.include.is_some() {
                continue;
            }
            let router = ts.route_routers.get(i).cloned().unwrap_or_default();
            let prefixes = if router.is_empty() {
                BTreeSet::from([String::new()])
            } else {
                prefixes_of(&parents, u, &router, 0)
            };
            let handler = match r.function {
                Some(f) if facts.functions[f as usize].owner.is_some() || r.handler.is_none() => {
                    facts.symbol(f as usize)
                }
                _ => r.handler.clone().unwrap_or_default(),
            };
            for p in prefixes {
                out.push(UnitRoute {
                    method: r.method.clone(),
                    path: join_path(&p, &r.path),
                    unit: u,
                    handler: handler.clone(),
                    line: r.line,
                });
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The full prefixes under which router `router` of file `u` is served.
fn prefixes_of(
    parents: &BTreeMap<RouterKey, Vec<(u32, String, String)>>,
    u: u32,
    router: &str,
    depth: usize,
) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if depth > MAX_MOUNT_DEPTH {
        out.insert(String::new());
        return out;
    }
    let mounts: Vec<&(u32, String, String)> = parents
        .get(&(u, Some(router.to_string())))
        .into_iter()
        .chain(parents.get(&(u, None)))
        .flatten()
        .filter(|(p, r, _)| !(*p == u && r == router))
        .collect();
    if mounts.is_empty() {
        out.insert(String::new());
        return out;
    }
    for (p, r, path) in mounts {
        for pre in prefixes_of(parents, *p, r, depth + 1) {
            out.insert(join_path(&pre, path));
        }
    }
    out
}
