//! The plan stage: data ownership, endpoints, transactions, the extraction
//! score and the ordered strangler-fig plan (docs/metrics.md, "Plan").
//!
//! Plain data in (parsed facts, the code graph, the seams, per-unit hotspot
//! scores and authors, per-service metrics), plain data out (report rows).
//! Everything is read from the neutral plan rows ([`crate::lang::plan_facts`]:
//! tables, repositories, routes, transaction scopes, data accesses), SQL
//! literals and the resolved symbol calls; nothing is parsed again.
//!
//! **Invariant:** this stage names no language and no framework: what an
//! annotation, decorator or attribute means was decided by the frontends
//! through the framework table ([`crate::frameworks`]).

mod data_edges;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::discover::is_generated_file as is_generated;
use crate::frameworks::matches_prefix;
use crate::graph::CodeGraph;
use crate::lang::plan_facts::PlanFacts;
use crate::lang::{Expr, FileFacts, FunctionKind};
use crate::numeric::{rank_normalise, round6};
use crate::report::{
    CallSite, CallStep, CapEvidence, CapProfile, DataAction, DataConflict, DataSite, Dependent,
    EndpointRow, EntityRow, Extraction, ForeignKeyRow, Operation, PlanStep, TransactionRow,
};

use crate::resolve::{EdgeKind, ParsedFile};
use crate::seams::Seams;
pub use data_edges::data_edges;

/// Inputs of the plan stage.
pub struct PlanInput<'a> {
    pub files: &'a [ParsedFile],
    pub graph: &'a CodeGraph,
    pub seams: &'a Seams,
    /// Hotspot score per unit (0 without history).
    pub hotspot: &'a [f64],
    /// Authors per unit (empty without history).
    pub authors: &'a [BTreeSet<String>],
    /// Per seams service: churn share and co-change leakage.
    pub churn_share: &'a [f64],
    pub cochange_leakage: &'a [f64],
    /// Routes and data accesses resolved across files
    /// (`resolve::plan_facts`).
    pub facts: &'a PlanFacts,
    /// Whether any commit was analysed; without, the benefit is the
    /// structural proxy (docs/metrics.md, "Plan without history").
    pub history: bool,
}

pub struct PlanOutput {
    pub entities: Vec<EntityRow>,
    pub endpoints: Vec<EndpointRow>,
    pub transactions: Vec<TransactionRow>,
    /// Indexed like the seams services.
    pub extraction: Vec<Extraction>,
    pub score: Vec<f64>,
    pub foreign_keys: Vec<ForeignKeyRow>,
    /// Indexed like the seams services (docs/metrics.md, "CAP profile").
    pub cap: Vec<CapProfile>,
}

/// What decides the rank of a service (docs/metrics.md, "Rank").
pub struct RankKey<'a> {
    pub generated: bool,
    pub score: f64,
    pub benefit: f64,
    pub coupling: u32,
    pub name: &'a str,
}

/// Rank order: services of generated code last; then the higher score;
/// ties to the higher benefit, then the smaller coupling, then the name.
pub fn rank_cmp(a: &RankKey, b: &RankKey) -> std::cmp::Ordering {
    a.generated
        .cmp(&b.generated)
        .then(b.score.total_cmp(&a.score))
        .then(b.benefit.total_cmp(&a.benefit))
        .then(a.coupling.cmp(&b.coupling))
        .then(a.name.cmp(b.name))
}

/// Words of a table name that mark money or a ledger: written inside a
/// transaction, such a table asks for consistency first.
const LEDGER_WORDS: &[&str] = &[
    "account", "balance", "billing", "charge", "credit", "debit", "invoice", "ledger", "money",
    "payment", "payout", "refund", "transfer", "wallet",
];

/// Whether a table name holds a [`LEDGER_WORDS`] word (`loyalty_accounts`,
/// `PaymentLine`), plural or singular.
pub fn ledger_like(table: &str) -> bool {
    let snake = crate::frameworks::snake_case(table);
    snake
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .any(|w| {
            let w = w.to_ascii_lowercase();
            let singular = w
                .strip_suffix("es")
                .filter(|s| s.ends_with("ss") || s.ends_with('x'));
            let singular = singular.or_else(|| w.strip_suffix('s')).unwrap_or(&w);
            LEDGER_WORDS.contains(&singular) || LEDGER_WORDS.contains(&w.as_str())
        })
}

/// The CAP profile of service `name` (docs/metrics.md, "CAP profile"):
/// consistency-first when it writes a ledger-like table it owns inside a
/// transaction, or when its consistency evidence (owned tables written in
/// a transaction that no other service reads, its own transactional scopes
/// the cut splits) outweighs its availability evidence (owned tables other
/// services only read); availability-first otherwise. Saga participation
/// (another service's split scope reaching it) is listed, not counted.
fn cap_profile(name: &str, entities: &[EntityRow], transactions: &[TransactionRow]) -> CapProfile {
    let mut evidence = Vec::new();
    let mut push = |kind: &str, subject: String| {
        evidence.push(CapEvidence {
            kind: kind.into(),
            subject,
        })
    };
    for e in entities.iter().filter(|e| e.owner.as_deref() == Some(name)) {
        let read_only =
            !e.conflicts.is_empty() && e.conflicts.iter().all(|c| c.kind == "read_across");
        if e.written_in_transaction && ledger_like(&e.table) {
            push("ledger_write_in_transaction", e.table.clone());
        } else if read_only {
            push("read_across_only", e.table.clone());
        } else if e.written_in_transaction {
            push("write_in_transaction", e.table.clone());
        }
    }
    for t in transactions
        .iter()
        .filter(|t| t.saga && t.services.iter().any(|s| s == name))
    {
        let kind = if t.service.as_deref() == Some(name) {
            "split_transaction"
        } else {
            "saga_participant"
        };
        push(kind, format!("{}#{}", t.unit, t.symbol));
    }
    evidence.sort();
    evidence.dedup();
    let count = |k: &str| evidence.iter().filter(|e| e.kind == k).count();
    let consistency = count("write_in_transaction") + count("split_transaction");
    let profile =
        if count("ledger_write_in_transaction") > 0 || consistency > count("read_across_only") {
            "consistency-first"
        } else {
            "availability-first"
        };
    CapProfile {
        profile: profile.into(),
        evidence,
    }
}

type Sym = (u32, String);

struct Ctx<'a> {
    input: &'a PlanInput<'a>,
    names: Vec<String>,
}

impl Ctx<'_> {
    /// Service index of a production unit outside the kernel.
    fn svc(&self, u: u32) -> Option<u32> {
        if self.input.seams.kernel[u as usize] || self.input.files[u as usize].test {
            None
        } else {
            self.input.seams.service_of[u as usize]
        }
    }
    fn svc_name(&self, u: u32) -> Option<String> {
        self.svc(u).map(|s| self.names[s as usize].clone())
    }
    fn unit(&self, u: u32) -> &str {
        &self.input.files[u as usize].id
    }
    fn facts(&self, u: u32) -> &FileFacts {
        &self.input.files[u as usize].facts
    }
}

/// Inbound routes, as the frontends resolved them, one row per method and
/// path, sorted.
fn endpoints(cx: &Ctx) -> Vec<EndpointRow> {
    let mut out: Vec<EndpointRow> = cx
        .input
        .facts
        .routes
        .iter()
        .map(|r| EndpointRow {
            method: r.method.clone(),
            path: r.path.clone(),
            handler: r.handler.clone(),
            unit: cx.unit(r.unit).to_string(),
            line: r.line,
            service: cx.svc_name(r.unit),
        })
        .collect();
    out.sort_by(|a, b| {
        (&a.path, &a.method, &a.handler, &a.unit).cmp(&(&b.path, &b.method, &b.handler, &b.unit))
    });
    out.dedup();
    out
}

/// Tables a SQL (or JPQL) literal touches: (name, is_write), through the
/// SQL reader (a real parser, words for fragments).
pub fn sql_tables(sql: &str) -> Vec<(String, bool)> {
    crate::persistence::sql::tables(sql).tables
}

struct Data {
    rows: Vec<EntityRow>,
    /// Units that write each table through code (calls, SQL), for the
    /// transaction check.
    writer_units: BTreeMap<String, BTreeSet<u32>>,
}

/// Per unit: does it declare a table-mapped type (a model a frontend
/// stated as a table: JPA `@Entity`, Django, SQLAlchemy)? Entities anchor
/// services.
pub fn entity_units(files: &[ParsedFile], facts: &PlanFacts) -> Vec<bool> {
    let mut out = vec![false; files.len()];
    for (u, d) in facts.all_tables(files) {
        if d.type_index.is_some() {
            out[u as usize] = true;
        }
    }
    out
}

fn data(cx: &Ctx) -> Data {
    // table -> (entity type, unit)
    let mut tables: BTreeMap<String, (Option<String>, Option<u32>)> = BTreeMap::new();
    // table -> read prefixes of calls on its entity objects
    let mut entity_reads: BTreeMap<String, Option<&'static [&'static str]>> = BTreeMap::new();
    // entity type name (lower) -> table, where queries name the type
    let mut by_class: BTreeMap<String, String> = BTreeMap::new();
    for (u, d) in cx.input.facts.all_tables(cx.input.files) {
        let f = &cx.input.files[u as usize];
        if f.test {
            continue;
        }
        let entity = d.type_index.map(|i| f.facts.types[i as usize].name.clone());
        if let (true, Some(e)) = (d.queries_name_type, &entity) {
            by_class.insert(e.to_ascii_lowercase(), d.table.clone());
        }
        tables.insert(d.table.clone(), (entity, Some(u)));
        entity_reads.insert(d.table.clone(), d.reads);
    }
    let resolve_table = |name: &str| -> String {
        by_class
            .get(&name.to_ascii_lowercase())
            .cloned()
            .unwrap_or_else(|| name.to_ascii_lowercase())
    };
    let mut sites: BTreeMap<String, BTreeSet<(DataSite, u32)>> = BTreeMap::new();
    let mut sourced = |cx: &Ctx,
                       table: String,
                       u: u32,
                       symbol: String,
                       line,
                       write: bool,
                       via: &str,
                       source: Option<String>| {
        sites.entry(table).or_default().insert((
            DataSite {
                unit: cx.unit(u).to_string(),
                service: cx.svc_name(u),
                symbol,
                line,
                access: if write { "write" } else { "read" }.into(),
                via: via.into(),
                source,
            },
            u,
        ));
    };
    let mut add =
        |cx: &Ctx, table: String, u: u32, symbol: String, line, write: bool, via: &str| {
            sourced(cx, table, u, symbol, line, write, via, None)
        };
    // Entity mappings count as a write by the declaring unit.
    for (table, (entity, unit)) in &tables {
        if let (Some(e), Some(u)) = (entity, unit) {
            let line = cx
                .facts(*u)
                .types
                .iter()
                .find(|t| &t.name == e)
                .map_or(0, |t| t.lines.0);
            add(cx, table.clone(), *u, e.clone(), line, true, "entity");
        }
    }
    // Repositories: each reads and writes its entity's table.
    type Writes = &'static [&'static str];
    let mut repo_table: BTreeMap<(u32, String), (String, Writes)> = BTreeMap::new();
    let mut repo_by_name: BTreeMap<String, (String, Writes)> = BTreeMap::new();
    for (u, f) in cx.input.files.iter().enumerate() {
        if f.test {
            continue;
        }
        for r in &f.facts.repositories {
            let t = &f.facts.types[r.type_index as usize];
            let table = resolve_table(&r.entity);
            repo_table.insert((u as u32, t.path.clone()), (table.clone(), r.writes));
            repo_by_name.insert(t.name.clone(), (table.clone(), r.writes));
            add(
                cx,
                table,
                u as u32,
                t.path.clone(),
                t.lines.0,
                true,
                "repository",
            );
        }
    }
    // Calls into repositories: resolved symbol calls, plus calls on fields
    // typed by a repository (inherited methods such as `save` are external).
    let mut seen_calls: BTreeSet<(u32, u32, String)> = BTreeSet::new();
    for c in &cx.input.graph.symbol_calls {
        let (ty, method) = c.to_symbol.rsplit_once('.').unwrap_or(("", &c.to_symbol));
        if let Some((table, writes)) = repo_table.get(&(c.to_file, ty.to_string())) {
            if cx.input.files[c.from_file as usize].test {
                continue;
            }
            seen_calls.insert((c.from_file, c.line, method.to_string()));
            add(
                cx,
                table.clone(),
                c.from_file,
                c.from_symbol.clone(),
                c.line,
                matches_prefix(writes, method),
                "repository_call",
            );
        }
    }
    // Calls on entity objects from other units: getters read, mutators write.
    let entity_table: BTreeMap<(u32, String), String> = tables
        .iter()
        .filter_map(|(t, (e, u))| Some(((((*u)?), e.clone()?), t.clone())))
        .collect();
    for c in &cx.input.graph.symbol_calls {
        let (ty, method) = c.to_symbol.rsplit_once('.').unwrap_or(("", &c.to_symbol));
        let Some(table) = entity_table.get(&(c.to_file, ty.to_string())) else {
            continue;
        };
        if cx.input.files[c.from_file as usize].test || method == "<init>" {
            continue;
        }
        // Models whose accesses come from managers and querysets instead
        // state no read patterns.
        let Some(reads) = entity_reads.get(table).copied().flatten() else {
            continue;
        };
        add(
            cx,
            table.clone(),
            c.from_file,
            c.from_symbol.clone(),
            c.line,
            !matches_prefix(reads, method),
            "entity_call",
        );
    }
    for (u, f) in cx.input.files.iter().enumerate() {
        if f.test {
            continue;
        }
        let facts = &f.facts;
        for (fi, func) in facts.functions.iter().enumerate() {
            let Some(owner) = func.owner else { continue };
            let fields = &facts.types[owner as usize].fields;
            for call in &func.calls {
                let name = match &call.receiver {
                    Some(Expr::Name(n)) => n,
                    Some(Expr::Field(b, n)) if **b == Expr::This => n,
                    _ => continue,
                };
                let Some(field) = fields.iter().find(|fd| &fd.name == name) else {
                    continue;
                };
                let simple = field.ty.name.rsplit('.').next().unwrap_or(&field.ty.name);
                let Some((table, writes)) = repo_by_name.get(simple) else {
                    continue;
                };
                if seen_calls.contains(&(u as u32, call.line, call.name.clone())) {
                    continue;
                }
                add(
                    cx,
                    table.clone(),
                    u as u32,
                    facts.symbol(fi),
                    call.line,
                    matches_prefix(writes, &call.name),
                    "repository_call",
                );
            }
        }
        for lit in &facts.sql {
            let symbol = match lit.function {
                Some(fi) => facts.symbol(fi as usize),
                None => String::new(),
            };
            for (name, write) in sql_tables(&lit.text) {
                let table = resolve_table(&name);
                add(cx, table, u as u32, symbol.clone(), lit.line, write, "sql");
            }
        }
        for a in &facts.table_accesses {
            let table = if a.of_entity {
                resolve_table(&a.target)
            } else {
                a.target.to_ascii_lowercase()
            };
            let symbol = a
                .function
                .map_or_else(String::new, |fi| facts.symbol(fi as usize));
            add(cx, table, u as u32, symbol, a.line, a.write, &a.via);
        }
    }

    // Accesses found across files (managers, querysets, model instances).
    for a in &cx.input.facts.accesses {
        let Some((_, table)) = cx
            .input
            .facts
            .all_tables(cx.input.files)
            .find(|(u, d)| *u == a.model_file && d.type_index == Some(a.model_type))
        else {
            continue;
        };
        let symbol = cx.facts(a.file).symbol(a.function as usize);
        add(
            cx,
            table.table.clone(),
            a.file,
            symbol,
            a.line,
            a.write,
            "queryset",
        );
    }
    // Statements non-code files state for a unit's methods.
    for a in &cx.input.facts.statement_accesses {
        if cx.input.files[a.unit as usize].test {
            continue;
        }
        sourced(
            cx,
            a.table.clone(),
            a.unit,
            a.symbol.clone(),
            a.line,
            a.write,
            "statement",
            Some(a.source.clone()),
        );
    }
    // Tables a schema file declares are data to own even when no code
    // reaches them.
    let mut schema: BTreeMap<&str, String> = BTreeMap::new();
    for t in &cx.input.facts.schema_tables {
        schema
            .entry(&t.table)
            .or_insert_with(|| format!("{}:{}", t.file, t.line));
        sites.entry(t.table.clone()).or_default();
    }

    let mut rows = Vec::new();
    let mut writer_units: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    for (table, s) in sites {
        let (entity, decl) = tables.get(&table).cloned().unwrap_or((None, None));
        let decl_service = decl.and_then(|u| cx.svc_name(u));
        let mut writes: BTreeMap<String, u32> = BTreeMap::new();
        let mut readers: BTreeSet<String> = BTreeSet::new();
        for (site, u) in &s {
            if site.access == "write" && !matches!(site.via.as_str(), "entity" | "repository") {
                writer_units.entry(table.clone()).or_default().insert(*u);
            }
            let Some(svc) = &site.service else { continue };
            if site.access == "write" {
                *writes.entry(svc.clone()).or_default() += 1;
            } else {
                readers.insert(svc.clone());
            }
        }
        let owner = writes
            .iter()
            .max_by(|a, b| {
                a.1.cmp(b.1)
                    .then(
                        (Some(a.0) == decl_service.as_ref())
                            .cmp(&(Some(b.0) == decl_service.as_ref())),
                    )
                    .then(b.0.cmp(a.0))
            })
            .map(|(k, _)| k.clone())
            .or_else(|| decl_service.clone());
        let writers: Vec<String> = writes.keys().cloned().collect();
        let mut conflicts = Vec::new();
        for w in &writers {
            if Some(w) != owner.as_ref() {
                conflicts.push(DataConflict {
                    service: w.clone(),
                    kind: "shared_write".into(),
                });
            }
        }
        for r in &readers {
            if Some(r) != owner.as_ref() && !writes.contains_key(r) {
                conflicts.push(DataConflict {
                    service: r.clone(),
                    kind: "read_across".into(),
                });
            }
        }
        rows.push(EntityRow {
            schema: schema.get(table.as_str()).cloned(),
            table,
            entity,
            unit: decl.map(|u| cx.unit(u).to_string()),
            service: decl_service,
            owner,
            readers: readers.into_iter().collect(),
            writers,
            conflicts,
            sites: s.into_iter().map(|(site, _)| site).collect(),
            written_in_transaction: false,
            hints: Vec::new(),
        });
    }
    Data { rows, writer_units }
}

/// Symbol call graph: resolved cross-file calls plus same-type calls
/// (`helper()`, `this.helper()`), which the resolver keeps in the file.
fn call_graph(cx: &Ctx) -> BTreeMap<Sym, BTreeSet<(Sym, u32)>> {
    let mut adj: BTreeMap<Sym, BTreeSet<(Sym, u32)>> = BTreeMap::new();
    for c in &cx.input.graph.symbol_calls {
        adj.entry((c.from_file, c.from_symbol.clone()))
            .or_default()
            .insert(((c.to_file, c.to_symbol.clone()), c.line));
    }
    for (u, f) in cx.input.files.iter().enumerate() {
        let facts = &f.facts;
        for (fi, func) in facts.functions.iter().enumerate() {
            let Some(owner) = func.owner else { continue };
            for call in &func.calls {
                if !matches!(call.receiver, None | Some(Expr::This)) {
                    continue;
                }
                let target = facts
                    .functions
                    .iter()
                    .position(|g| g.owner == Some(owner) && g.name == call.name);
                if let Some(g) = target {
                    if g != fi {
                        adj.entry((u as u32, facts.symbol(fi)))
                            .or_default()
                            .insert(((u as u32, facts.symbol(g)), call.line));
                    }
                }
            }
        }
    }
    adj
}

fn transactions(
    cx: &Ctx,
    adj: &BTreeMap<Sym, BTreeSet<(Sym, u32)>>,
) -> (Vec<TransactionRow>, Vec<BTreeSet<u32>>) {
    let mut rows = Vec::new();
    let mut reached_units = Vec::new();
    let entity_units: BTreeSet<u32> = cx
        .input
        .facts
        .all_tables(cx.input.files)
        .map(|(u, _)| u)
        .collect();
    for (u, f) in cx.input.files.iter().enumerate() {
        // Generated code (Django migrations) is not a service's scope.
        if f.test || is_generated(f) {
            continue;
        }
        let facts = &f.facts;
        for (fi, func) in facts.functions.iter().enumerate() {
            if func.kind != FunctionKind::Method {
                continue;
            }
            if !facts.tx_scopes.iter().any(|t| t.function == fi as u32) {
                continue;
            }
            let start: Sym = (u as u32, facts.symbol(fi));
            let mut parent: BTreeMap<Sym, Option<Sym>> = BTreeMap::new();
            parent.insert(start.clone(), None);
            let mut queue = VecDeque::from([start.clone()]);
            let mut first_in: BTreeMap<u32, Sym> = BTreeMap::new();
            let mut units = BTreeSet::new();
            while let Some(node) = queue.pop_front() {
                units.insert(node.0);
                if let Some(s) = cx.svc(node.0) {
                    first_in.entry(s).or_insert_with(|| node.clone());
                }
                for (next, _) in adj.get(&node).into_iter().flatten() {
                    // Entities and constructed values are in-memory data,
                    // not operations of another service.
                    if next.1.ends_with(".<init>") || entity_units.contains(&next.0) {
                        continue;
                    }
                    if !parent.contains_key(next) {
                        parent.insert(next.clone(), Some(node.clone()));
                        queue.push_back(next.clone());
                    }
                }
            }
            let own = cx.svc(u as u32);
            let mut services: Vec<String> = first_in
                .keys()
                .map(|&s| cx.names[s as usize].clone())
                .collect();
            services.sort();
            let mut paths = Vec::new();
            for (s, end) in &first_in {
                if Some(*s) == own {
                    continue;
                }
                let mut path = Vec::new();
                let mut at = Some(end.clone());
                while let Some(n) = at {
                    path.push(CallStep {
                        unit: cx.unit(n.0).to_string(),
                        symbol: n.1.clone(),
                        service: cx.svc_name(n.0),
                    });
                    at = parent[&n].clone();
                }
                path.reverse();
                paths.push(path);
            }
            paths.sort_by(|a, b| {
                let key = |p: &Vec<CallStep>| p.last().and_then(|s| s.service.clone());
                key(a).cmp(&key(b))
            });
            rows.push(TransactionRow {
                unit: f.id.clone(),
                symbol: start.1.clone(),
                line: func.lines.0,
                service: cx.svc_name(u as u32),
                saga: services.len() >= 2,
                services,
                paths,
            });
            reached_units.push(units);
        }
    }
    (rows, reached_units)
}

pub fn plan(input: &PlanInput) -> PlanOutput {
    let cx = Ctx {
        input,
        names: input
            .seams
            .services
            .iter()
            .map(|s| s.name.clone())
            .collect(),
    };
    let n = cx.names.len();
    let endpoints = endpoints(&cx);
    let Data {
        rows: mut entities,
        writer_units,
    } = data(&cx);
    let adj = call_graph(&cx);
    let (transactions, reached) = transactions(&cx, &adj);
    let foreign_keys = foreign_keys(&cx, &entities);
    let crossing: BTreeSet<String> = foreign_keys
        .iter()
        .filter(|f| f.crosses)
        .flat_map(|f| [f.table.clone(), f.references.clone()])
        .collect();
    for e in &mut entities {
        let writers = writer_units.get(&e.table);
        e.written_in_transaction = reached
            .iter()
            .any(|r| writers.is_some_and(|w| w.iter().any(|u| r.contains(u))));
        let read_across = e.conflicts.iter().any(|c| c.kind == "read_across");
        e.hints.clear();
        if crossing.contains(e.table.as_str()) {
            e.hints.push("break_foreign_key".into());
        }
        if read_across {
            e.hints.push("replicated_read_model".into());
        }
        if e.written_in_transaction {
            e.hints.push("strong_consistency".into());
        }
    }

    // Cost components.
    let mut ext = vec![Extraction::default(); n];
    for c in &input.graph.symbol_calls {
        let (a, b) = (cx.svc(c.from_file), cx.svc(c.to_file));
        if input.files[c.from_file as usize].test || a == b {
            continue;
        }
        for s in [a, b].into_iter().flatten() {
            ext[s as usize].cut_calls += 1;
        }
    }
    for d in &input.graph.dependencies {
        let (a, b) = (cx.svc(d.from), cx.svc(d.to));
        if d.kind != EdgeKind::Call || input.files[d.from as usize].test || a == b {
            continue;
        }
        for s in [a, b].into_iter().flatten() {
            ext[s as usize].cut_call_weight += d.count;
        }
    }
    let ops = operations(&cx);
    for (s, o) in ops.iter().enumerate() {
        ext[s].interface_operations = o.len() as u32;
    }
    let index: BTreeMap<&str, usize> = cx
        .names
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    for e in &entities {
        let mut involved: BTreeSet<&str> = e.conflicts.iter().map(|c| c.service.as_str()).collect();
        if !involved.is_empty() {
            if let Some(o) = &e.owner {
                involved.insert(o);
            }
        }
        for s in involved {
            if let Some(&i) = index.get(s) {
                ext[i].shared_entities += 1;
            }
        }
    }
    for f in foreign_keys.iter().filter(|f| f.crosses) {
        for s in [&f.table_owner, &f.references_owner].into_iter().flatten() {
            if let Some(&i) = index.get(s.as_str()) {
                ext[i].cut_foreign_keys += 1;
            }
        }
    }
    for t in transactions.iter().filter(|t| t.saga) {
        for s in &t.services {
            if let Some(&i) = index.get(s.as_str()) {
                ext[i].split_transactions += 1;
            }
        }
    }
    let generated: Vec<bool> = input.files.iter().map(is_generated).collect();
    // Units whose figures count toward a benefit: clustered production
    // code that is not generated.
    let counted = |u: u32| cx.svc(u).is_some() && !generated[u as usize];
    let total_hot: f64 = (0..input.files.len() as u32)
        .filter(|&u| counted(u))
        .map(|u| input.hotspot[u as usize])
        .sum();
    let proxy = (!input.history).then(|| structural_benefit(&cx, &endpoints, &counted));
    let mut authors: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); n];
    for (u, a) in input.authors.iter().enumerate() {
        if let Some(s) = cx.svc(u as u32) {
            authors[s as usize].extend(a.iter().map(String::as_str));
        }
    }
    for s in 0..n {
        let members = &input.seams.services[s].members;
        let hot: f64 = members
            .iter()
            .filter(|&&u| counted(u))
            .map(|&u| input.hotspot[u as usize])
            .sum();
        let e = &mut ext[s];
        e.hotspot_share = if total_hot > 0.0 {
            round6(hot / total_hot)
        } else {
            0.0
        };
        e.cochange_leakage = input.cochange_leakage[s];
        let shared = authors[s]
            .iter()
            .filter(|a| (0..n).any(|o| o != s && authors[o].contains(*a)))
            .count();
        e.shared_authors = if authors[s].is_empty() {
            0.0
        } else {
            round6(shared as f64 / authors[s].len() as f64)
        };
        e.generated = !members.is_empty() && members.iter().all(|&u| generated[u as usize]);
        match &proxy {
            None => {
                e.benefit_basis = "history".into();
                e.benefit = round6((input.churn_share[s] + e.hotspot_share) / 2.0);
            }
            Some(p) => {
                e.benefit_basis = "structure".into();
                e.size_complexity_share = p[s].0;
                e.route_share = p[s].1;
                e.fan_in_share = p[s].2;
                e.benefit = round6((p[s].0 + p[s].1 + p[s].2) / 3.0);
            }
        }
        if e.generated {
            e.benefit = 0.0;
        }
    }
    let norm = |v: Vec<f64>| -> Vec<f64> {
        let max = v.iter().cloned().fold(0.0, f64::max);
        v.into_iter()
            .map(|x| if max > 0.0 { round6(x / max) } else { 0.0 })
            .collect()
    };
    let col = |f: fn(&Extraction) -> f64| norm(ext.iter().map(f).collect());
    let c1 = col(|e| e.cut_calls as f64);
    let c2 = col(|e| e.cut_call_weight as f64);
    let c3 = col(|e| e.interface_operations as f64);
    let c4 = col(|e| (e.shared_entities + e.cut_foreign_keys) as f64);
    let c5 = col(|e| e.split_transactions as f64);
    let mut score = Vec::with_capacity(n);
    for s in 0..n {
        let e = &mut ext[s];
        e.cut_calls_norm = c1[s];
        e.cut_call_weight_norm = c2[s];
        e.interface_operations_norm = c3[s];
        e.shared_entities_norm = c4[s];
        e.split_transactions_norm = c5[s];
        let calls = (c1[s] + c2[s]) / 2.0;
        e.cost =
            round6((calls + c3[s] + c4[s] + c5[s] + e.cochange_leakage + e.shared_authors) / 6.0);
        score.push(round6(e.benefit * (1.0 - e.cost)));
    }
    let cap = cx
        .names
        .iter()
        .map(|name| cap_profile(name, &entities, &transactions))
        .collect();
    PlanOutput {
        entities,
        endpoints,
        transactions,
        extraction: ext,
        score,
        cap,
        foreign_keys,
    }
}

/// The benefit proxy without history, per service: (size × complexity
/// share, route share, fan-in share), each over the `counted` units
/// (docs/metrics.md, "Plan without history").
fn structural_benefit(
    cx: &Ctx,
    endpoints: &[EndpointRow],
    counted: &dyn Fn(u32) -> bool,
) -> Vec<(f64, f64, f64)> {
    let n = cx.names.len();
    let files = cx.input.files;
    let units: Vec<u32> = (0..files.len() as u32).filter(|&u| counted(u)).collect();
    let lines: Vec<f64> = units
        .iter()
        .map(|&u| files[u as usize].facts.code_lines as f64)
        .collect();
    let complexity: Vec<f64> = units
        .iter()
        .map(|&u| files[u as usize].facts.complexity as f64)
        .collect();
    let (rl, rx) = (rank_normalise(&lines), rank_normalise(&complexity));
    let mut size = vec![0.0; n];
    for (k, &u) in units.iter().enumerate() {
        if let Some(s) = cx.svc(u) {
            size[s as usize] += rl[k] * rx[k];
        }
    }
    let unit_of: BTreeMap<&str, u32> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id.as_str(), i as u32))
        .collect();
    let mut routes = vec![0.0; n];
    for e in endpoints {
        let Some(&u) = unit_of.get(e.unit.as_str()) else {
            continue;
        };
        if counted(u) {
            if let Some(s) = cx.svc(u) {
                routes[s as usize] += 1.0;
            }
        }
    }
    let mut users: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); n];
    for d in &cx.input.graph.dependencies {
        if files[d.from as usize].test || !counted(d.to) {
            continue;
        }
        let Some(s) = cx.svc(d.to) else { continue };
        if cx.svc(d.from) != Some(s) {
            users[s as usize].insert(d.from);
        }
    }
    let fan_in: Vec<f64> = users.iter().map(|u| u.len() as f64).collect();
    let share = |v: &[f64]| -> Vec<f64> {
        let total: f64 = v.iter().sum();
        v.iter()
            .map(|x| if total > 0.0 { round6(x / total) } else { 0.0 })
            .collect()
    };
    let (a, b, c) = (share(&size), share(&routes), share(&fan_in));
    (0..n).map(|s| (a[s], b[s], c[s])).collect()
}

/// Every foreign key with the owners of its two tables; `crosses` when
/// both have owners and they differ.
fn foreign_keys(cx: &Ctx, entities: &[EntityRow]) -> Vec<ForeignKeyRow> {
    let owner: BTreeMap<&str, &Option<String>> = entities
        .iter()
        .map(|e| (e.table.as_str(), &e.owner))
        .collect();
    let owner_of = |t: &str| owner.get(t).and_then(|o| (*o).clone());
    let mut rows: Vec<ForeignKeyRow> = cx
        .input
        .facts
        .foreign_keys
        .iter()
        .map(|f| {
            let (a, b) = (owner_of(&f.table), owner_of(&f.references));
            ForeignKeyRow {
                table: f.table.clone(),
                columns: f.columns.clone(),
                references: f.references.clone(),
                ref_columns: f.ref_columns.clone(),
                name: f.name.clone(),
                source: format!("{}:{}", f.file, f.line),
                crosses: matches!((&a, &b), (Some(x), Some(y)) if x != y),
                table_owner: a,
                references_owner: b,
            }
        })
        .collect();
    // The same key stated twice (a schema and a data script that repeats
    // it, a changelog and a class mapping) is one key: the statement that
    // says most (a name, referenced columns) is kept, then the first.
    rows.sort_by(|a, b| {
        (&a.table, &a.columns, &a.references)
            .cmp(&(&b.table, &b.columns, &b.references))
            .then(b.name.is_some().cmp(&a.name.is_some()))
            .then(b.ref_columns.len().cmp(&a.ref_columns.len()))
            .then(a.cmp(b))
    });
    rows.dedup_by(|later, kept| {
        (&later.table, &later.columns, &later.references)
            == (&kept.table, &kept.columns, &kept.references)
    });
    rows
}

/// Per service: member operations called from outside, with call sites.
fn operations(cx: &Ctx) -> Vec<Vec<Operation>> {
    let n = cx.names.len();
    let mut ops: Vec<BTreeMap<(String, String), BTreeSet<CallSite>>> = vec![BTreeMap::new(); n];
    for c in &cx.input.graph.symbol_calls {
        let Some(s) = cx.svc(c.to_file) else { continue };
        if cx.input.files[c.from_file as usize].test || cx.svc(c.from_file) == Some(s) {
            continue;
        }
        ops[s as usize]
            .entry((c.to_symbol.clone(), cx.unit(c.to_file).to_string()))
            .or_default()
            .insert(CallSite {
                unit: cx.unit(c.from_file).to_string(),
                symbol: c.from_symbol.clone(),
                line: c.line,
                service: cx.svc_name(c.from_file),
            });
    }
    ops.into_iter()
        .map(|m| {
            m.into_iter()
                .map(|((symbol, unit), sites)| Operation {
                    symbol,
                    unit,
                    call_sites: sites.into_iter().collect(),
                })
                .collect()
        })
        .collect()
}

/// The ordered plan: one step per service, `order` = seams service indices
/// in rank order.
pub fn steps(input: &PlanInput, out: &PlanOutput, order: &[usize]) -> Vec<PlanStep> {
    let cx = Ctx {
        input,
        names: input
            .seams
            .services
            .iter()
            .map(|s| s.name.clone())
            .collect(),
    };
    let ops = operations(&cx);
    let mut steps = Vec::new();
    for (k, &s) in order.iter().enumerate() {
        let name = &cx.names[s];
        let routes: Vec<EndpointRow> = out
            .endpoints
            .iter()
            .filter(|e| e.service.as_ref() == Some(name))
            .cloned()
            .collect();
        let mut data = Vec::new();
        for e in &out.entities {
            let touches = e.writers.contains(name) || e.readers.contains(name);
            if !touches {
                continue;
            }
            let mut others: BTreeSet<String> =
                e.writers.iter().chain(&e.readers).cloned().collect();
            others.remove(name);
            let owned = e.owner.as_ref() == Some(name);
            let action = if owned && others.is_empty() {
                "move"
            } else if owned && e.conflicts.iter().any(|c| c.kind == "shared_write") {
                "share"
            } else if owned {
                "replicate"
            } else {
                "call_owner"
            };
            data.push(DataAction {
                table: e.table.clone(),
                action: action.into(),
                owner: e.owner.clone(),
                others: others.into_iter().collect(),
            });
        }
        let sagas = out
            .transactions
            .iter()
            .filter(|t| t.saga && t.services.contains(name))
            .map(|t| format!("{}#{}", t.unit, t.symbol))
            .collect();
        let mut dependents: BTreeMap<u32, u32> = BTreeMap::new();
        for c in &input.graph.symbol_calls {
            if cx.svc(c.to_file) == Some(s as u32)
                && cx.svc(c.from_file) != Some(s as u32)
                && !input.files[c.from_file as usize].test
            {
                *dependents.entry(c.from_file).or_default() += 1;
            }
        }
        let foreign_keys = out
            .foreign_keys
            .iter()
            .filter(|f| {
                f.crosses
                    && (f.table_owner.as_ref() == Some(name)
                        || f.references_owner.as_ref() == Some(name))
            })
            .cloned()
            .collect();
        steps.push(PlanStep {
            foreign_keys,
            service: name.clone(),
            step: k as u32 + 1,
            score: out.score[s],
            routes,
            api: ops[s].clone(),
            data,
            sagas,
            dependents: dependents
                .into_iter()
                .map(|(u, calls)| Dependent {
                    unit: cx.unit(u).to_string(),
                    service: cx.svc_name(u),
                    calls,
                })
                .collect(),
        });
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ledger_like_tables() {
        for t in [
            "payments",
            "loyalty_accounts",
            "Invoice",
            "PaymentLine",
            "ledger_entries",
        ] {
            assert!(ledger_like(t), "{t}");
        }
        for t in ["products", "orders", "accountant_notes", "stock"] {
            assert!(!ledger_like(t), "{t}");
        }
    }

    #[test]
    fn ranks_generated_last_and_breaks_ties_by_benefit() {
        let key = |generated, score, benefit, coupling, name| RankKey {
            generated,
            score,
            benefit,
            coupling,
            name,
        };
        let mut keys = [
            key(true, 0.9, 0.9, 0, "gen"),
            key(false, 0.2, 0.1, 5, "b"),
            key(false, 0.2, 0.3, 9, "c"),
            key(false, 0.2, 0.1, 5, "a"),
            key(false, 0.5, 0.0, 0, "d"),
        ];
        keys.sort_by(rank_cmp);
        let names: Vec<&str> = keys.iter().map(|k| k.name).collect();
        assert_eq!(names, ["d", "c", "a", "b", "gen"]);
    }
}
