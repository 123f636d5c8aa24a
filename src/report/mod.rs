//! The Report model: the single source of truth every renderer reads.
//!
//! This is the only `Serialize` layer of the crate (internal types stay free
//! to change), and its shape is versioned by [`SCHEMA_VERSION`]: the stable
//! core documented in docs/report.md never changes without a bump. All
//! collections are sorted `Vec`s or `BTreeMap`s so the JSON is byte-stable.
//!
//! Invariant: renderers compute no numbers; everything they show is here.

pub mod graph;
pub mod html;
pub mod json;
pub mod markdown;
pub mod routes;
pub mod write;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `s` on one line: control characters (a newline in a file name, an
/// escape sequence) written as `\n`, `\u{1b}`. For text output and
/// warnings, where a raw line break could forge a line (a CI annotation
/// such as `::error` in GitHub Actions logs).
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// Bumped on any change to the shape of the stable core.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    /// RFC 3339 time of the run; `null` with `--deterministic`.
    pub generated_at: Option<String>,
    pub repo: Repo,
    pub settings: Settings,
    pub summary: Summary,
    /// The git history window; `null` when history is off or unavailable.
    pub history: Option<HistoryInfo>,
    pub units: Vec<UnitRow>,
    pub dependencies: Vec<DependencyRow>,
    /// Co-change pairs that pass the report thresholds (docs/metrics.md).
    pub cochange: Vec<CoChangeRow>,
    /// Units ranked by hotspot score, highest first.
    pub hotspots: Vec<HotspotRow>,
    /// Candidate services, by rank.
    pub services: Vec<ServiceRow>,
    /// Units tied to nearly every service, kept out of all of them.
    pub shared_kernel: Vec<String>,
    /// Aggregated dependencies between services (and the shared kernel,
    /// whose id is `kernel`).
    pub service_dependencies: Vec<ServiceDependencyRow>,
    pub metrics: Metrics,
    /// Persistent data (tables) with their read and write sites by service,
    /// owner, conflicts and consistency hint; sorted by table.
    pub entities: Vec<EntityRow>,
    /// Inbound routes: the gateway routing table; sorted by path, method.
    pub endpoints: Vec<EndpointRow>,
    /// Transactional scopes; `saga` when their call reach spans two or more
    /// services. Sorted by unit, symbol.
    pub transactions: Vec<TransactionRow>,
    /// The extraction plan, one step per service in rank order.
    pub plan: Vec<PlanStep>,
    /// What the plan's benefit is measured from: `history` (change
    /// frequency and hotspots) or `structure` (no commit was analysed: the
    /// structural proxy of docs/metrics.md, "Plan without history").
    pub benefit_basis: String,
    /// Foreign keys between tables (schema scripts, changelogs, class
    /// mappings) with the owner of each side; sorted by table, columns.
    pub foreign_keys: Vec<ForeignKeyRow>,
    /// Per-file problems: syntax errors, undecodable bytes.
    pub diagnostics: Vec<DiagnosticRow>,
    /// Files left out, with the reason.
    pub skipped: Vec<SkippedRow>,
    /// Run-level warnings (history unavailable, shallow clone, ...).
    pub warnings: Vec<String>,
    /// Seam metrics at past commits, read from `<root>/decompose-trend.jsonl`
    /// (written by `decompose trend`); oldest first, empty without the file.
    pub trend: Vec<TrendRow>,
    /// The seam graph that clustering and the modularity Q read: one edge
    /// per unit pair (`a` before `b` in `units` order) with its combined
    /// weight (docs/metrics.md, "Seam graph"), in the clustering's order.
    /// With `co_change_weights` and `symbol_calls`, what the HTML what-if
    /// mode needs to recompute every figure for another arrangement.
    pub seam_edges: Vec<WeightedPair>,
    /// Every co-change pair with its clustering weight Σ 1/(n − 1)
    /// (docs/metrics.md, "Co-change"), unthresholded: the co-change
    /// leakage reads these. Empty without history.
    pub co_change_weights: Vec<WeightedPair>,
    /// Resolved symbol calls between two units, aggregated per (caller
    /// unit, callee unit, callee symbol) with the number of call sites;
    /// what `interface_size`, `cut_calls` and `interface_operations` count.
    pub symbol_calls: Vec<SymbolCallRow>,
    /// Per row of `transactions` (same order): the production units its
    /// call reach gets to, sorted by unit order, so split transactions can
    /// be recomputed for another arrangement. Empty without transactions.
    pub transaction_reach: Vec<Vec<String>>,
}

/// Two units and a weight.
#[derive(Debug, Clone, Serialize)]
pub struct WeightedPair {
    pub a: String,
    pub b: String,
    pub weight: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SymbolCallRow {
    pub from: String,
    pub to: String,
    /// `Type.method` called in `to`.
    pub symbol: String,
    /// Call sites.
    pub count: u32,
}

impl Report {
    pub fn skipped_files_count(&self) -> usize {
        self.skipped.len()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct HistoryInfo {
    pub commits_analyzed: u32,
    /// Oldest and newest commit time analysed, RFC 3339.
    pub from: Option<String>,
    pub to: Option<String>,
    pub shallow: bool,
    pub skipped_commits: u32,
    /// Distinct human authors (bots left out).
    pub authors: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Repo {
    /// The analysed folder as given on the command line.
    pub root: String,
    /// Commit id of HEAD, or `null` outside git.
    pub head: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    pub languages: Vec<String>,
    pub include_tests: bool,
    pub excludes: Vec<String>,
    pub history: bool,
    pub since: Option<String>,
    pub max_commits: Option<usize>,
    pub max_changeset: usize,
    pub seed: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub units: u32,
    pub dependencies: u32,
    pub lines: u64,
    pub commits_analyzed: u32,
    pub services: u32,
    pub languages: BTreeMap<String, u32>,
    pub test_units: u32,
    pub skipped_files: u32,
    pub files_with_errors: u32,
    pub resolution: Resolution,
}

/// How completely references resolved (docs/metrics.md, "Resolution").
#[derive(Debug, Clone, Default, Serialize)]
pub struct Resolution {
    pub type_refs_internal: u64,
    pub type_refs_unresolved: u64,
    /// internal / (internal + unresolved); `null` when there were none.
    pub type_ref_rate: Option<f64>,
    pub calls_internal: u64,
    pub calls_external: u64,
    pub calls_unresolved: u64,
    /// (internal + external) / all calls; `null` when there were none.
    pub call_rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitRow {
    pub id: String,
    pub language: String,
    /// Java FQN of the primary type, Python dotted module, Rust path.
    pub name: String,
    pub lines: u32,
    pub complexity: u32,
    pub test: bool,
    pub commits: u32,
    pub churn: u64,
    pub authors: u32,
    pub fan_in: u32,
    pub fan_out: u32,
    /// Service id, `null` for tests, the shared kernel or before clustering.
    pub service: Option<String>,
    /// How often this unit landed with its service's members across the
    /// clustering runs (0..1); `null` when not clustered.
    pub confidence: Option<f64>,
    /// `code`, `test`, `kernel` (shared kernel) or `generated`.
    pub role: String,
    /// How the unit came to its service: `clustered`, `pinned`, `carrier`,
    /// `stem`, `descriptor`, `folder`, `words` or `merged`
    /// (docs/metrics.md, "Services"); `null` without a service.
    pub placement: Option<String>,
    /// Why a kernel unit is kernel, or why a production unit has no
    /// service; `null` otherwise.
    pub reason: Option<String>,
    /// Rank-normalised hotspot score (0..1); `null` without history.
    pub hotspot: Option<f64>,
    /// First and last change in the history window, RFC 3339; `null`
    /// without history.
    pub first_change: Option<String>,
    pub last_change: Option<String>,
    /// Martin's instability Ce / (Ca + Ce) with Ca = fan_in, Ce = fan_out;
    /// `null` for a unit with no dependency either way.
    pub instability: Option<f64>,
    pub unresolved_refs: u32,
    /// The unit's authors as numbers (the index of the name among all
    /// authors of the analysed units, sorted), so `shared_authors` can be
    /// recomputed without the names; empty without history.
    pub author_ids: Vec<u32>,
    /// Generated code (docs/metrics.md, "Plan"), also when `role` says
    /// `kernel` or `test`; written only when true. The what-if mode counts
    /// a generated unit moved into a service as the plan does.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub generated: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct DependencyRow {
    pub from: String,
    pub to: String,
    pub kind: String,
    pub count: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct CoChangeRow {
    pub a: String,
    pub b: String,
    pub shared: u32,
    /// code-maat degree: 100 · shared / avg(revs(a), revs(b)).
    pub degree: f64,
    pub revs_a: u32,
    pub revs_b: u32,
    /// shared / revs(a) and shared / revs(b).
    pub confidence_ab: f64,
    pub confidence_ba: f64,
    /// `code` for code–code pairs, `test` when one side is test code.
    pub kind: String,
    /// Service of each side (`null` outside any), so views can filter and
    /// spot pairs that cross a seam.
    pub service_a: Option<String>,
    pub service_b: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HotspotRow {
    pub unit: String,
    pub commits: u32,
    pub complexity: u32,
    /// Rank-normalised change frequency × rank-normalised complexity.
    pub score: f64,
    pub service: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceRow {
    pub id: String,
    pub name: String,
    pub members: Vec<String>,
    /// 1 = extract first.
    pub rank: u32,
    /// The extraction score (docs/metrics.md, "Plan").
    pub score: f64,
    pub lines: u64,
    /// Top identifier words (TF-IDF) that name the service.
    pub words: Vec<String>,
    /// Dominant package / module prefix of the members.
    pub package: String,
    /// Internal dependency weight / (internal + external) (0..1).
    pub cohesion: f64,
    /// Dependency references crossing the service boundary, both ways.
    pub coupling: u32,
    /// Distinct member symbols called from outside the service.
    pub interface_size: u32,
    /// The service's share of all commits' unit changes (0..1).
    pub churn_share: f64,
    /// Co-change weight with units outside / all its co-change weight (0..1).
    pub cochange_leakage: f64,
    /// Mean pairwise co-assignment of members across seeds (0..1).
    pub confidence: f64,
    /// Share of the service's internal edge weight from each signal (0..1).
    pub signals: SignalShares,
    /// `pinned` (a seam of decompose.toml or `--pin`) or `proposed`.
    pub origin: String,
    /// Every component of `score` (docs/metrics.md, "Plan").
    pub extraction: Extraction,
    /// The consistency profile the service's data asks for, with its
    /// evidence (docs/metrics.md, "CAP profile").
    pub cap: CapProfile,
}

/// `consistency-first` or `availability-first`, and why.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CapProfile {
    pub profile: String,
    /// Sorted by kind, then subject.
    pub evidence: Vec<CapEvidence>,
}

/// One fact behind a CAP profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct CapEvidence {
    /// `ledger_write_in_transaction` (a money- or ledger-like table the
    /// service owns is written inside a transactional scope),
    /// `write_in_transaction` (another owned table so written),
    /// `split_transaction` (a transactional scope of its own the cut splits:
    /// a saga), `saga_participant` (another service's split scope reaches it;
    /// listed, not counted),
    /// `read_across_only` (an owned table other services only read).
    pub kind: String,
    /// The table, or `unit#symbol` of the transactional scope.
    pub subject: String,
}

/// Benefit and cost components of the extraction score.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Extraction {
    /// (churn_share + hotspot_share) / 2 with history; without history
    /// (size_complexity_share + route_share + fan_in_share) / 3; 0 for a
    /// service of generated code.
    pub benefit: f64,
    /// `history` or `structure` (as `Report::benefit_basis`).
    pub benefit_basis: String,
    /// Every member is generated code: benefit 0, ranked after the rest.
    pub generated: bool,
    /// Without history: the members' share of Σ rank-normalised lines ×
    /// rank-normalised complexity (0 with history).
    pub size_complexity_share: f64,
    /// Without history: the service's share of the inbound routes.
    pub route_share: f64,
    /// Without history: the service's share of the units outside it that
    /// depend on it.
    pub fan_in_share: f64,
    /// Mean of the six normalised cost components below (0..1).
    pub cost: f64,
    /// The service's share of all hotspot score mass (0..1).
    pub hotspot_share: f64,
    /// Symbol call sites crossing the cut, both ways.
    pub cut_calls: u32,
    /// Call-dependency references crossing the cut, both ways.
    pub cut_call_weight: u32,
    /// Distinct member operations called from outside.
    pub interface_operations: u32,
    /// Tables written on both sides of the cut or read across it.
    pub shared_entities: u32,
    /// Foreign keys between a table this service owns and a table another
    /// service owns (`foreign_keys` rows with `crosses`).
    pub cut_foreign_keys: u32,
    /// Transactional scopes whose call reach crosses this cut.
    pub split_transactions: u32,
    /// Co-change leakage (0..1), as in `cochange_leakage`.
    pub cochange_leakage: f64,
    /// Share of the service's authors who also changed another service.
    pub shared_authors: f64,
    /// Each count component divided by its maximum over services (0..1).
    pub cut_calls_norm: f64,
    pub cut_call_weight_norm: f64,
    pub interface_operations_norm: f64,
    /// (shared_entities + cut_foreign_keys) divided by its maximum.
    pub shared_entities_norm: f64,
    pub split_transactions_norm: f64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct SignalShares {
    pub structural: f64,
    pub cochange: f64,
    pub semantic: f64,
    pub ownership: f64,
    pub namespace: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceDependencyRow {
    pub from: String,
    pub to: String,
    /// Dependency references from units of `from` to units of `to`.
    pub count: u32,
    pub calls: u32,
}

/// Partition metrics; `null` until clustering has run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Metrics {
    pub modularity: Option<f64>,
    pub sm: Option<f64>,
    pub icp: Option<f64>,
    pub ifn: Option<f64>,
    pub ned: Option<f64>,
    /// The Leiden resolution γ used.
    pub resolution: Option<f64>,
    /// Dependency references from shared-kernel units into services'
    /// units (the kernel's references back; docs/metrics.md).
    pub kernel_back_references: Option<u32>,
}

/// A place in the code that reads or writes a table.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct DataSite {
    pub unit: String,
    /// `null` for tests, the shared kernel or unclustered units.
    pub service: Option<String>,
    /// `Type.method`, or the type for a declaration.
    pub symbol: String,
    pub line: u32,
    /// `read` or `write`.
    pub access: String,
    /// `entity` (mapping), `repository` (declaration), `repository_call`,
    /// `sql`, `statement` (SQL stated for the method in a non-code file).
    pub via: String,
    /// For `statement` sites: the `file:line` stating the SQL.
    pub source: Option<String>,
}

/// A foreign key and the owners of its two tables.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ForeignKeyRow {
    /// The referencing table and columns.
    pub table: String,
    pub columns: Vec<String>,
    /// The referenced table and columns (empty when not stated).
    pub references: String,
    pub ref_columns: Vec<String>,
    /// The constraint name, when stated.
    pub name: Option<String>,
    /// `file:line` stating it.
    pub source: String,
    pub table_owner: Option<String>,
    pub references_owner: Option<String>,
    /// Both tables have owners and they differ: data coupling to break
    /// when either service is extracted.
    pub crosses: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DataConflict {
    pub service: String,
    /// `shared_write` (a second writer) or `read_across` (reads only).
    pub kind: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct EntityRow {
    /// Table name, lower case.
    pub table: String,
    /// Entity class name, when mapped.
    pub entity: Option<String>,
    /// Unit declaring the entity.
    pub unit: Option<String>,
    /// Service of the declaring unit.
    pub service: Option<String>,
    /// Main writer: most write sites, ties to the declaring service.
    pub owner: Option<String>,
    pub readers: Vec<String>,
    pub writers: Vec<String>,
    pub conflicts: Vec<DataConflict>,
    pub sites: Vec<DataSite>,
    /// `file:line` of the table's definition in a schema file
    /// (`CREATE TABLE`, a changelog's `createTable`), when there is one.
    pub schema: Option<String>,
    /// Some write site is reached from a transactional scope.
    pub written_in_transaction: bool,
    /// Consistency hints, sorted: `replicated_read_model` (other services
    /// only read it: serve them a replicated read model or cache),
    /// `strong_consistency` (written inside a transactional scope: keep it
    /// owned by one service with strong consistency), `break_foreign_key`
    /// (a foreign key ties it to a table another service owns: replace
    /// the constraint by an id reference checked by the owner's API).
    pub hints: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct EndpointRow {
    /// HTTP method, upper case; `ANY` when not restricted.
    pub method: String,
    /// Full path pattern, class prefix included.
    pub path: String,
    /// `Type.method`.
    pub handler: String,
    pub unit: String,
    pub line: u32,
    /// Target service; `null` stays in the monolith.
    pub service: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CallStep {
    pub unit: String,
    pub symbol: String,
    pub service: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TransactionRow {
    pub unit: String,
    pub symbol: String,
    pub line: u32,
    pub service: Option<String>,
    /// Services reached through calls, its own included, sorted.
    pub services: Vec<String>,
    pub saga: bool,
    /// Shortest call path into each other service.
    pub paths: Vec<Vec<CallStep>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct CallSite {
    pub unit: String,
    pub symbol: String,
    pub line: u32,
    pub service: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Operation {
    /// `Type.method` in the service.
    pub symbol: String,
    pub unit: String,
    /// Call sites in the monolith to replace with a remote call.
    pub call_sites: Vec<CallSite>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DataAction {
    pub table: String,
    /// `move` (owned, no other user), `share` (written elsewhere too),
    /// `replicate` (read elsewhere), `call_owner` (owned elsewhere, written here).
    pub action: String,
    pub owner: Option<String>,
    pub others: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Dependent {
    pub unit: String,
    pub service: Option<String>,
    /// Call sites from this unit into the service.
    pub calls: u32,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct PlanStep {
    pub service: String,
    /// 1 = first; equals the service's rank.
    pub step: u32,
    pub score: f64,
    /// (a) routes to redirect at the gateway.
    pub routes: Vec<EndpointRow>,
    /// (b) operations to expose, with the monolith call sites to replace.
    pub api: Vec<Operation>,
    /// (c) data to move or share.
    pub data: Vec<DataAction>,
    /// (d) sagas to design: `unit#symbol` of each split transaction.
    pub sagas: Vec<String>,
    /// (e) what still depends on it inside the monolith.
    pub dependents: Vec<Dependent>,
    /// (f) foreign keys to break: `foreign_keys` rows that cross this
    /// service's cut.
    pub foreign_keys: Vec<ForeignKeyRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DiagnosticRow {
    pub unit: String,
    pub line: Option<u32>,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SkippedRow {
    pub path: String,
    pub reason: String,
}

/// Coupling across declared seams (docs/metrics.md, "CI seam metrics"):
/// what `check` prints and `trend` records per commit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SeamMetrics {
    /// Units considered (test code only with `include_tests`).
    pub units: u32,
    /// Units that matched a seam.
    pub assigned_units: u32,
    /// Code lines of the units considered.
    pub lines: u64,
    /// Distinct (from, to, kind) dependencies among the units considered.
    pub dependencies: u32,
    /// Distinct (from, to, kind) dependencies between two seams, the target
    /// not a shared kernel: the identities `check` ratchets.
    pub cross_seam_dependencies: u32,
    /// References (counts) of those dependencies.
    pub cross_seam_references: u32,
    /// Newman's Q of the dependency graph among assigned units, seams as
    /// communities.
    pub modularity: f64,
    /// Call references between different seams / all call references
    /// among assigned units.
    pub icp: f64,
}

/// One row of `decompose-trend.jsonl`: the seam metrics at one commit.
/// Flat: the commit, its time and numeric fields only, so views can chart
/// every field generically.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrendRow {
    /// Commit id.
    pub commit: String,
    /// Committer time, seconds since the Unix epoch.
    pub time: i64,
    pub units: u32,
    pub assigned_units: u32,
    pub lines: u64,
    pub dependencies: u32,
    pub cross_seam_dependencies: u32,
    pub cross_seam_references: u32,
    pub modularity: f64,
    pub icp: f64,
}

impl TrendRow {
    pub fn new(commit: String, time: i64, m: &SeamMetrics) -> TrendRow {
        TrendRow {
            commit,
            time,
            units: m.units,
            assigned_units: m.assigned_units,
            lines: m.lines,
            dependencies: m.dependencies,
            cross_seam_dependencies: m.cross_seam_dependencies,
            cross_seam_references: m.cross_seam_references,
            modularity: m.modularity,
            icp: m.icp,
        }
    }

    /// The metrics part of the row.
    pub fn metrics(&self) -> SeamMetrics {
        SeamMetrics {
            units: self.units,
            assigned_units: self.assigned_units,
            lines: self.lines,
            dependencies: self.dependencies,
            cross_seam_dependencies: self.cross_seam_dependencies,
            cross_seam_references: self.cross_seam_references,
            modularity: self.modularity,
            icp: self.icp,
        }
    }
}
