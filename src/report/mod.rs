//! The Report model: the single source of truth every renderer reads.
//!
//! This is the only `Serialize` layer of the crate (internal types stay free
//! to change), and its shape is versioned by [`SCHEMA_VERSION`]: the stable
//! core documented in docs/report.md never changes without a bump. All
//! collections are sorted `Vec`s or `BTreeMap`s so the JSON is byte-stable.
//!
//! Invariant: renderers compute no numbers; everything they show is here.

pub mod json;
pub mod write;

use std::collections::BTreeMap;

use serde::Serialize;

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
    pub units: Vec<UnitRow>,
    pub dependencies: Vec<DependencyRow>,
    pub cochange: Vec<CoChangeRow>,
    pub hotspots: Vec<HotspotRow>,
    pub services: Vec<ServiceRow>,
    pub metrics: Metrics,
    pub plan: Vec<PlanStep>,
    /// Per-file problems: syntax errors, undecodable bytes.
    pub diagnostics: Vec<DiagnosticRow>,
    /// Files left out, with the reason.
    pub skipped: Vec<SkippedRow>,
    /// Run-level warnings (history unavailable, shallow clone, ...).
    pub warnings: Vec<String>,
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
    pub unresolved_refs: u32,
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
    pub degree: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct HotspotRow {
    pub unit: String,
    pub score: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceRow {
    pub id: String,
    pub name: String,
    pub members: Vec<String>,
    pub rank: u32,
    pub score: f64,
}

/// Partition metrics; `null` until clustering has run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Metrics {
    pub modularity: Option<f64>,
    pub sm: Option<f64>,
    pub icp: Option<f64>,
    pub ifn: Option<f64>,
    pub ned: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanStep {
    pub service: String,
    pub step: u32,
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
