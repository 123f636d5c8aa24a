//! C#'s framework facts, read from the framework table
//! ([`crate::frameworks`]): per file ([`file_facts`], run by the frontend)
//! transaction attributes; across files, after parsing, the routes
//! ([`routes`]: attribute routing with `[controller]`/`[action]`/`[area]`
//! tokens, minimal APIs, WCF operations), the Entity Framework tables
//! ([`tables`]: `DbSet<T>` members, `[Table]`, `ToTable`, entity type
//! configurations), and the reads and writes through `DbSet` members
//! ([`accesses`]).

use std::collections::{BTreeMap, HashMap};

use crate::frameworks::{self, Fact, Method, Syntax};
use crate::lang::plan_facts::{join_path, DataAccess, TableDecl, UnitRoute, UnitTable};
use crate::lang::{Annotation, Expr, FileFacts, FunctionKind, Language, ParsedFile, TypeRef};

use super::{CsFacts, MappingKind};

/// Attributes that mark a test method: xUnit, NUnit, MSTest.
const TEST_ATTRIBUTES: &[&str] = &[
    "Fact",
    "Theory",
    "Test",
    "TestCase",
    "TestCaseSource",
    "TestMethod",
    "DataTestMethod",
    "TestFixture",
    "TestClass",
];

pub fn is_test_attribute(name: &str) -> bool {
    TEST_ATTRIBUTES.contains(&name)
}

fn fact_of<T>(
    syntax: Syntax,
    name: &str,
    pick: impl Fn(&'static frameworks::Row) -> Option<T>,
) -> Option<T> {
    frameworks::find(Language::CSharp, syntax, name, pick)
}

fn simple(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// A member type that states an entity set (`DbSet<T>`).
pub fn is_entity_set(ty: &TypeRef) -> bool {
    ty.args.len() == 1
        && fact_of(Syntax::MemberType, simple(&ty.name), |r| {
            matches!(r.fact, Fact::Table { .. }).then_some(())
        })
        .is_some()
}

/// The HTTP method of a minimal-API call (`MapGet` → `GET`).
pub fn route_call(name: &str) -> Option<&'static str> {
    fact_of(Syntax::Call, name, |r| match r.fact {
        Fact::Route {
            method: Method::Fixed(m),
            ..
        } => Some(m),
        _ => None,
    })
}

/// A call that opens a minimal-API route group (`MapGroup`).
pub fn is_route_group(name: &str) -> bool {
    fact_of(Syntax::Call, name, |r| {
        matches!(r.fact, Fact::RoutePrefix { .. }).then_some(())
    })
    .is_some()
}

/// A call that names an entity's table (`ToTable`).
pub fn is_to_table(name: &str) -> bool {
    fact_of(Syntax::Call, name, |r| {
        matches!(r.fact, Fact::TableName { .. }).then_some(())
    })
    .is_some()
}

/// A call or construction that opens a transaction scope.
pub fn opens_transaction_call(name: &str) -> bool {
    fact_of(Syntax::Call, name, |r| {
        (r.fact == Fact::Transaction).then_some(())
    })
    .is_some()
}

fn attribute_fact<T>(
    a: &Annotation,
    pick: impl Fn(&'static frameworks::Row) -> Option<T>,
) -> Option<T> {
    fact_of(Syntax::Attribute, a.simple_name(), pick)
}

fn arg<'a>(a: &'a Annotation, keys: &[&str]) -> Option<&'a str> {
    a.args
        .iter()
        .find(|(k, _)| keys.contains(&k.as_str()))
        .map(|(_, v)| v.as_str())
}

/// Adds the transaction scopes that attributes state (calls and
/// constructions were stated while reading the code).
pub fn file_facts(facts: &mut FileFacts) {
    let opens = |anns: &[Annotation]| {
        anns.iter()
            .any(|a| attribute_fact(a, |r| (r.fact == Fact::Transaction).then_some(())).is_some())
    };
    for fi in 0..facts.functions.len() {
        let func = &facts.functions[fi];
        if func.kind != FunctionKind::Method {
            continue;
        }
        let in_type = func
            .owner
            .is_some_and(|o| opens(&facts.types[o as usize].annotations));
        if (opens(&func.annotations) || in_type)
            && !facts.tx_scopes.iter().any(|t| t.function == fi as u32)
        {
            facts.tx_scopes.push(crate::lang::TxScope {
                function: fi as u32,
                line: func.lines.0,
            });
        }
    }
    facts.tx_scopes.sort_by_key(|t| t.function);
}

fn cs(file: &ParsedFile) -> Option<&CsFacts> {
    if file.language != Language::CSharp {
        return None;
    }
    file.facts.csharp.as_deref()
}

/// Replaces the `[controller]`, `[action]` and `[area]` tokens of a route
/// template.
fn tokens(template: &str, controller: &str, action: &str, area: Option<&str>) -> String {
    let mut t = template.replace("[controller]", controller);
    t = t.replace("[action]", action);
    if let Some(area) = area {
        t = t.replace("[area]", area);
    }
    t
}

/// Inbound routes of every C# production file.
pub fn routes(files: &[ParsedFile]) -> Vec<UnitRoute> {
    let mut out = Vec::new();
    for (u, file) in files.iter().enumerate() {
        let Some(c) = cs(file) else { continue };
        if file.test {
            continue;
        }
        let facts = &file.facts;
        for r in &c.routes {
            out.push(UnitRoute {
                method: r.method.clone(),
                path: r.path.clone(),
                unit: u as u32,
                handler: facts.symbol(r.function as usize),
                line: r.line,
            });
        }
        for (fi, func) in facts.functions.iter().enumerate() {
            let Some(owner) = func.owner else { continue };
            if func.kind != FunctionKind::Method {
                continue;
            }
            let ty = &facts.types[owner as usize];
            let controller = ty.name.strip_suffix("Controller").unwrap_or(&ty.name);
            let area = ty
                .annotations
                .iter()
                .find(|a| a.simple_name() == "Area")
                .and_then(|a| arg(a, &["value", "AreaName"]));
            let prefixes: Vec<(String, &'static str)> = ty
                .annotations
                .iter()
                .filter_map(|a| {
                    attribute_fact(a, |r| match r.fact {
                        Fact::RoutePrefix { path_args } => Some((path_args, r.framework)),
                        _ => None,
                    })
                    .map(|(keys, fw)| (arg(a, keys).unwrap_or("").to_string(), fw))
                })
                .collect();
            let wcf = prefixes.iter().find(|(_, fw)| *fw == "WCF");
            // Verbs without a template, paths with or without a verb.
            let mut verbs: Vec<&'static str> = Vec::new();
            let mut fixed: Vec<(&'static str, String)> = Vec::new();
            let mut from_verb: Vec<String> = Vec::new();
            for a in &func.annotations {
                let Some((method, keys, fw)) = attribute_fact(a, |r| match r.fact {
                    Fact::Route { method, path_args } => Some((method, path_args, r.framework)),
                    _ => None,
                }) else {
                    continue;
                };
                if fw == "WCF" {
                    // A SOAP operation: /Contract/Operation.
                    let contract = wcf
                        .map(|(n, _)| n.as_str())
                        .filter(|n| !n.is_empty())
                        .unwrap_or(&ty.name);
                    let op = arg(a, keys).unwrap_or(&func.name);
                    if let Method::Fixed(m) = method {
                        out.push(UnitRoute {
                            method: m.to_string(),
                            path: join_path(contract, op),
                            unit: u as u32,
                            handler: facts.symbol(fi),
                            line: func.lines.0,
                        });
                    }
                    continue;
                }
                let path = arg(a, keys);
                match (method, path) {
                    (Method::Fixed(m), None) => verbs.push(m),
                    (Method::Fixed(m), Some(p)) => fixed.push((m, p.to_string())),
                    (Method::FromVerb, p) => from_verb.push(p.unwrap_or("").to_string()),
                    (Method::FromArg { .. }, _) => {}
                }
            }
            let mut found: Vec<(String, String)> = Vec::new();
            for (m, p) in &fixed {
                found.push((m.to_string(), p.clone()));
            }
            for p in &from_verb {
                if verbs.is_empty() {
                    found.push(("ANY".to_string(), p.clone()));
                }
                for m in &verbs {
                    found.push((m.to_string(), p.clone()));
                }
            }
            if fixed.is_empty() && from_verb.is_empty() {
                // A verb alone on an action of a routed controller.
                let routed = prefixes.iter().any(|(_, fw)| *fw != "WCF");
                if routed {
                    for m in &verbs {
                        found.push((m.to_string(), String::new()));
                    }
                }
            }
            let web_prefixes: Vec<&str> = prefixes
                .iter()
                .filter(|(_, fw)| *fw != "WCF")
                .map(|(p, _)| p.as_str())
                .collect();
            for (method, sub) in found {
                let sub = tokens(&sub, controller, &func.name, area);
                // `/x` or `~/x` on an action overrides the controller's prefix.
                let absolute = sub.starts_with('/') || sub.starts_with("~/");
                let sub = sub.trim_start_matches('~').to_string();
                let bases: Vec<String> = if absolute || web_prefixes.is_empty() {
                    vec![String::new()]
                } else {
                    web_prefixes
                        .iter()
                        .map(|p| tokens(p, controller, &func.name, area))
                        .collect()
                };
                for base in bases {
                    out.push(UnitRoute {
                        method: method.clone(),
                        path: join_path(&base, &sub),
                        unit: u as u32,
                        handler: facts.symbol(fi),
                        line: func.lines.0,
                    });
                }
            }
        }
    }
    out
}

/// Every C# type by simple name: (file, type index, namespace).
fn types_by_name(files: &[ParsedFile]) -> HashMap<&str, Vec<(u32, u32, &str)>> {
    let mut out: HashMap<&str, Vec<(u32, u32, &str)>> = HashMap::new();
    for (u, file) in files.iter().enumerate() {
        let Some(c) = cs(file) else { continue };
        for (ti, t) in file.facts.types.iter().enumerate() {
            let ns = c.type_namespaces.get(ti).map_or("", |s| s.as_str());
            out.entry(t.name.as_str())
                .or_default()
                .push((u as u32, ti as u32, ns));
        }
    }
    out
}

/// The declaration a type named in file `from` most likely means: of the
/// types with its simple name, one in a namespace the file declares or
/// imports, else the only one.
fn find_type(
    by_name: &HashMap<&str, Vec<(u32, u32, &str)>>,
    files: &[ParsedFile],
    from: u32,
    name: &str,
) -> Option<(u32, u32)> {
    let mut candidates = by_name.get(simple(name))?.clone();
    if candidates.len() == 1 {
        return Some((candidates[0].0, candidates[0].1));
    }
    // The parts of a partial type: the one in the file named like it first.
    let stem = |f: u32| {
        let id = &files[f as usize].id;
        let file = id.rsplit('/').next().unwrap_or(id);
        file.strip_suffix(".cs").unwrap_or(file).to_string()
    };
    candidates.sort_by_key(|&(f, _, _)| (stem(f) != simple(name), f));
    let c = cs(&files[from as usize])?;
    let visible = |ns: &str| {
        c.namespaces
            .iter()
            .any(|n| n == ns || n.starts_with(&format!("{ns}.")))
            || c.usings.iter().any(|us| us.target == ns)
    };
    candidates
        .iter()
        .find(|(_, _, ns)| visible(ns))
        .or_else(|| candidates.first())
        .map(|&(f, t, _)| (f, t))
}

/// The entity type a configuration type configures: the type argument of
/// its `IEntityTypeConfiguration<T>` / `EntityTypeConfiguration<T>` base.
fn configured_entity(facts: &FileFacts, ty: u32) -> Option<&TypeRef> {
    facts.types[ty as usize]
        .supertypes
        .iter()
        .find_map(|(_, st)| {
            fact_of(Syntax::BaseType, simple(&st.name), |r| {
                matches!(r.fact, Fact::Table { .. }).then_some(())
            })?;
            st.args.first()
        })
}

/// The Entity Framework tables of every C# production file, each stated
/// in the file of its entity type (or, when that type is not in the
/// repository, in the file of the mapping).
pub fn tables(files: &[ParsedFile]) -> Vec<UnitTable> {
    let by_name = types_by_name(files);
    let reads = frameworks::prefixes(Language::CSharp, "Entity Framework", |f| match f {
        Fact::ReadMethods { prefixes } => Some(*prefixes),
        _ => None,
    });
    // (entity file, entity type) or (mapping file, name) -> (table, rank, line)
    #[derive(PartialEq, Eq, PartialOrd, Ord, Clone)]
    enum Key {
        Type(u32, u32),
        Loose(u32, String),
    }
    let mut found: BTreeMap<Key, (String, u8, u32)> = BTreeMap::new();
    let mut note = |key: Key, table: String, rank: u8, line: u32| {
        let e = found.entry(key).or_insert((table.clone(), rank, line));
        if rank > e.1 {
            *e = (table, rank, line);
        }
    };
    for (u, file) in files.iter().enumerate() {
        let Some(c) = cs(file) else { continue };
        if file.test {
            continue;
        }
        let facts = &file.facts;
        // `[Table("x")]` on a type.
        for (ti, t) in facts.types.iter().enumerate() {
            for a in &t.annotations {
                let named = attribute_fact(a, |r| match r.fact {
                    Fact::TableName { args } => Some(args),
                    _ => None,
                })
                .and_then(|keys| arg(a, keys));
                if let Some(n) = named {
                    note(
                        Key::Type(u as u32, ti as u32),
                        n.to_ascii_lowercase(),
                        2,
                        a.line,
                    );
                }
            }
        }
        for m in &c.mappings {
            let entity = match (&m.kind, &m.entity, m.owner) {
                (_, Some(e), _) => Some(e.clone()),
                (MappingKind::ToTable, None, Some(owner)) => {
                    configured_entity(facts, owner).cloned()
                }
                _ => None,
            };
            let Some(entity) = entity else { continue };
            let key = match find_type(&by_name, files, u as u32, &entity.name) {
                Some((f, t)) => Key::Type(f, t),
                None => Key::Loose(u as u32, simple(&entity.name).to_string()),
            };
            match &m.kind {
                MappingKind::Set { property } => {
                    note(key, property.to_ascii_lowercase(), 1, m.line)
                }
                MappingKind::ToTable => {
                    if let Some(t) = &m.table {
                        note(key, t.to_ascii_lowercase(), 3, m.line)
                    }
                }
                MappingKind::Attribute | MappingKind::Configuration => {}
            }
        }
        // A configuration type maps its entity even with no table named.
        for ti in 0..facts.types.len() {
            if let Some(entity) = configured_entity(facts, ti as u32) {
                let key = match find_type(&by_name, files, u as u32, &entity.name) {
                    Some((f, t)) => Key::Type(f, t),
                    None => Key::Loose(u as u32, simple(&entity.name).to_string()),
                };
                note(
                    key,
                    simple(&entity.name).to_ascii_lowercase(),
                    0,
                    facts.types[ti].lines.0,
                );
            }
        }
    }
    let mut out: Vec<UnitTable> = found
        .into_iter()
        .map(|(key, (table, _, line))| match key {
            Key::Type(f, t) => UnitTable {
                unit: f,
                decl: TableDecl {
                    table,
                    type_index: Some(t),
                    line: files[f as usize].facts.types[t as usize].lines.0,
                    queries_name_type: false,
                    reads,
                },
            },
            Key::Loose(f, _) => UnitTable {
                unit: f,
                decl: TableDecl {
                    table,
                    type_index: None,
                    line,
                    queries_name_type: false,
                    reads,
                },
            },
        })
        .collect();
    // One row per table: the first (by unit) wins.
    out.sort_by(|a, b| (a.unit, &a.decl.table).cmp(&(b.unit, &b.decl.table)));
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|t| seen.insert(t.decl.table.clone()));
    out
}

/// Reads and writes through the entity sets of a context:
/// `_db.Orders.Add(order)`, where `_db` is a field, property, parameter or
/// local typed by a context type declaring the `Orders` set, or `Orders`
/// used inside the context itself.
pub fn accesses(files: &[ParsedFile], tables: &[UnitTable]) -> Vec<DataAccess> {
    let by_name = types_by_name(files);
    let writes = frameworks::prefixes(Language::CSharp, "Entity Framework", |f| match f {
        Fact::WriteMethods { prefixes } => Some(*prefixes),
        _ => None,
    })
    .unwrap_or(&[]);
    // context type name -> set member -> entity (file, type)
    let mut sets: HashMap<String, HashMap<String, (u32, u32)>> = HashMap::new();
    for (u, file) in files.iter().enumerate() {
        let Some(c) = cs(file) else { continue };
        for m in &c.mappings {
            let (MappingKind::Set { property }, Some(e), Some(owner)) =
                (&m.kind, &m.entity, m.owner)
            else {
                continue;
            };
            if let Some(target) = find_type(&by_name, files, u as u32, &e.name) {
                let ctx = file.facts.types[owner as usize].name.clone();
                sets.entry(ctx)
                    .or_default()
                    .insert(property.clone(), target);
            }
        }
    }
    let mapped: std::collections::BTreeSet<(u32, u32)> = tables
        .iter()
        .filter_map(|t| t.decl.type_index.map(|ti| (t.unit, ti)))
        .collect();
    let mut out = Vec::new();
    for (u, file) in files.iter().enumerate() {
        let Some(c) = cs(file) else { continue };
        if file.test {
            continue;
        }
        let facts = &file.facts;
        for a in &c.set_accesses {
            let func = &facts.functions[a.function as usize];
            let owner = func.owner.map(|o| &facts.types[o as usize]);
            let context_type: Option<String> = match &a.context {
                Expr::This => owner.map(|t| t.name.clone()),
                Expr::Name(n) | Expr::Field(_, n) => {
                    let declared = func
                        .locals
                        .iter()
                        .find(|l| &l.name == n)
                        .and_then(|l| l.ty.as_ref())
                        .or_else(|| func.params.iter().find(|(p, _)| p == n).map(|(_, t)| t))
                        .or_else(|| {
                            owner
                                .and_then(|t| t.fields.iter().find(|f| &f.name == n).map(|f| &f.ty))
                        });
                    declared.map(|t| simple(&t.name).to_string())
                }
                _ => None,
            };
            let Some(ctx) = context_type else { continue };
            let Some(&(mf, mt)) = sets.get(&ctx).and_then(|s| s.get(&a.set)) else {
                continue;
            };
            if !mapped.contains(&(mf, mt)) {
                continue;
            }
            out.push(DataAccess {
                file: u as u32,
                function: a.function,
                model_file: mf,
                model_type: mt,
                write: frameworks::matches_prefix(writes, &a.method),
                line: a.line,
            });
        }
    }
    out.sort();
    out.dedup();
    out
}
