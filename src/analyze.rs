//! The pipeline: discover → parse → resolve → graph → report.
//!
//! Each stage takes plain data and returns plain data; this module only
//! wires them in order and turns their outputs into the [`Report`] model.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::discover::{self, DiscoverOptions, SourceFile};
use crate::graph::{CodeGraph, Structure};
use crate::history::{self, History, HistoryOptions};
use crate::lang::{self, Diagnostic, FileFacts, Language};
use crate::metrics;
use crate::numeric::{rank_normalise, round6};
use crate::persistence::{self, Attached, FileData};
use crate::pins::{self, KeepApart, PinSpec};
use crate::plan;
use crate::progress::Progress;
use crate::report::{
    CoChangeRow, DependencyRow, DiagnosticRow, HistoryInfo, HotspotRow, Metrics, Repo, Report,
    Resolution, ServiceDependencyRow, ServiceRow, Settings, SkippedRow, Summary, SymbolCallRow,
    Tool, UnitRow, WeightedPair, SCHEMA_VERSION,
};
use crate::resolve::{self, EdgeSite, ParsedFile, ResolveStats};
use crate::seams::{self, SeamInput, SeamOptions, Seams, UnitHistory};
use crate::signals::SignalWeights;

/// Validated options of one analysis.
#[derive(Debug, Clone)]
pub struct AnalyzeConfig {
    pub root: PathBuf,
    pub languages: Vec<Language>,
    pub excludes: Vec<String>,
    pub include_tests: bool,
    /// `--python-root`: replaces the detected Python source roots.
    pub python_roots: Vec<String>,
    pub seed: u64,
    /// Leave the timestamp out so equal inputs give equal bytes.
    pub deterministic: bool,
    pub weights: SignalWeights,
    /// Target number of services; `None` uses `resolution`.
    pub services: Option<usize>,
    /// `None`: the most stable resolution of a grid.
    pub resolution: Option<f64>,
    /// Seams fixed by the architect, in file order then `--pin` order.
    pub pins: Vec<PinSpec>,
    /// Seam names or globs that must land in different services.
    pub keep_apart: Vec<KeepApart>,
    /// Warnings from reading the settings (unknown keys of decompose.toml),
    /// reported with the run's own.
    pub config_warnings: Vec<String>,
    pub max_service_size: Option<usize>,
    /// Seeded clustering runs in the consensus.
    pub runs: usize,
    /// `None` with `--no-history`.
    pub history: Option<HistoryOptions>,
}

impl AnalyzeConfig {
    /// The defaults of `decompose analyze` for `root`: every language,
    /// history on, 10 seeded runs at resolution 1, default weights, no
    /// timestamp.
    pub fn defaults(root: &std::path::Path) -> AnalyzeConfig {
        AnalyzeConfig {
            root: root.to_path_buf(),
            languages: Language::ALL.to_vec(),
            excludes: Vec::new(),
            include_tests: false,
            python_roots: Vec::new(),
            seed: 1,
            deterministic: true,
            weights: SignalWeights::default(),
            services: None,
            resolution: None,
            pins: Vec::new(),
            keep_apart: Vec::new(),
            config_warnings: Vec::new(),
            max_service_size: None,
            runs: 10,
            history: Some(HistoryOptions::default()),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AnalyzeError {
    #[error(transparent)]
    Discover(#[from] discover::DiscoverError),
    #[error(
        "{root}: no {langs} source files found (looked for {exts}); point decompose at a repository root, or choose languages with --lang"
    )]
    NoSource {
        root: String,
        langs: String,
        exts: String,
    },
}

impl AnalyzeError {
    /// No file of the requested (and supported) languages under `root`.
    fn no_source(root: &std::path::Path, languages: &[Language]) -> AnalyzeError {
        AnalyzeError::NoSource {
            root: root.display().to_string(),
            langs: languages
                .iter()
                .map(|l| l.name())
                .collect::<Vec<_>>()
                .join("/"),
            exts: languages
                .iter()
                .flat_map(|l| l.extensions().iter().map(|e| format!(".{e}")))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// Everything the pipeline produced; the report plus the internal data
/// later stages (check, graph exports) reuse.
pub struct Analysis {
    pub report: Report,
    pub files: Vec<ParsedFile>,
    pub graph: CodeGraph,
    /// The line of every resolved reference (`check` names them).
    pub sites: Vec<EdgeSite>,
    /// The neutral plan facts the plan was made from (the code's and the
    /// data files'), so another arrangement can be planned from the same
    /// facts (tests/browser.rs measures the what-if page's moves so).
    pub plan_facts: crate::lang::plan_facts::PlanFacts,
    /// Wall time per stage, for `-v` and the benchmarks; never in the
    /// report, which must not vary between equal runs.
    pub timings: Timings,
}

/// Wall-clock time of each pipeline stage.
#[derive(Debug)]
pub struct Timings {
    last: std::time::Instant,
    pub stages: Vec<(&'static str, f64)>,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            last: std::time::Instant::now(),
            stages: Vec::new(),
        }
    }
}

impl Timings {
    /// Closes the stage that ran since the previous record.
    pub fn record(&mut self, stage: &'static str) {
        let now = std::time::Instant::now();
        self.stages.push((stage, (now - self.last).as_secs_f64()));
        self.last = now;
    }
}

pub fn analyze(cfg: &AnalyzeConfig, progress: Progress) -> Result<Analysis, AnalyzeError> {
    let mut timings = Timings::default();
    let languages: Vec<Language> = cfg
        .languages
        .iter()
        .copied()
        .filter(|l| l.supported())
        .collect();
    let mut warnings: Vec<String> = Vec::new();

    let mut found = discover::discover(
        &cfg.root,
        &DiscoverOptions {
            languages: cfg.languages.clone(),
            excludes: cfg.excludes.clone(),
        },
    )?;
    // Files of a language this build cannot read yet are reported, once
    // per language, rather than silently ignored.
    for l in cfg.languages.iter().filter(|l| !l.supported()) {
        let n = found.files.iter().filter(|f| f.language == *l).count();
        if n > 0 {
            warnings.push(format!(
                "{n} {} file(s) not analysed: the {} frontend is not available in this build",
                l.name(),
                l.name()
            ));
        }
    }
    found.files.retain(|f| f.language.supported());
    let manifests = discover::cargo_manifests(&cfg.root, &found.files);
    let projects = discover::dotnet_projects(&cfg.root, &found.files);
    discover::skip_uncompiled(&mut found, &projects);
    warnings.extend(lang::csharp::resolve::project_warnings(&projects));
    let node = discover::node_manifests(&cfg.root, &found.files);
    warnings.extend(lang::typescript::resolve::project_warnings(&node));
    timings.record("discover");
    if found.files.is_empty() {
        return Err(AnalyzeError::no_source(&cfg.root, &languages));
    }

    // History runs on its own thread while the files are parsed: the two
    // are independent, and together they are the floor of the whole run.
    std::thread::scope(|scope| {
        let counts = std::sync::Arc::new(history::MineProgress::default());
        let history = cfg.history.as_ref().map(|opts| {
            let counts = counts.clone();
            scope.spawn(move || crate::cache::mine_history(&cfg.root, opts, Some(counts)))
        });
        // A bar for the history, fed from the miner's counters.
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let ticker = (history.is_some() && progress.enabled()).then(|| {
            let bar = progress.stage("history", 1);
            let (counts, stop) = (counts.clone(), stop.clone());
            scope.spawn(move || {
                use std::sync::atomic::Ordering::Relaxed;
                while !stop.load(Relaxed) {
                    let total = counts.total.load(Relaxed);
                    if total > 0 {
                        bar.set_length(total);
                    }
                    bar.set_position(counts.done.load(Relaxed));
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                bar.finish_and_clear();
            })
        });
        let parsed = parse_all(&found, progress);
        let data = read_data_files(&found.data_files);
        let history = history.map(|h| h.join().expect("the history thread does not panic"));
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = ticker {
            t.join().expect("the progress thread does not panic");
        }
        finish(
            cfg,
            parsed,
            &data,
            (&manifests, &projects, &node),
            history,
            warnings,
            timings,
        )
    })
}

/// Reads the non-code files that may state persistence facts (in
/// parallel), production files only: test resources describe test
/// databases.
pub fn read_data_files(found: &[discover::DataFile]) -> Vec<FileData> {
    found
        .par_iter()
        .filter(|f| !f.test)
        .filter_map(|f| data_of(&f.id, &fs::read(&f.path).ok()?))
        .collect()
}

/// What a data file's bytes state, or `None` for a binary file or one that
/// states nothing (on disk and, for `trend`, from git objects).
pub fn data_of(id: &str, bytes: &[u8]) -> Option<FileData> {
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return None;
    }
    let text = String::from_utf8_lossy(bytes);
    let d = persistence::read(id, &text);
    (!d.is_empty()).then_some(d)
}

/// The neutral plan facts of the whole analysis: what the resolvers state
/// across files plus what the data files state ([`persistence::attach`]).
fn all_plan_facts(
    files: &[ParsedFile],
    python_roots: &[String],
    data: &Attached,
) -> crate::lang::plan_facts::PlanFacts {
    let mut facts = resolve::plan_facts(files, python_roots);
    facts.statement_accesses = data.statement_accesses.clone();
    facts.foreign_keys.extend(data.foreign_keys.iter().cloned());
    facts.foreign_keys = crate::lang::plan_facts::distinct_keys(facts.foreign_keys);
    facts.schema_tables = data.schema_tables.clone();
    facts
}

type Parsed = (Vec<ParsedFile>, Vec<SkippedRow>);

/// A manifest or project file read at discovery: (id or folder id, text).
type Manifest = (String, String);

fn parse_all(found: &discover::Discovery, progress: Progress) -> Parsed {
    parse_all_with(found, progress, &|f: &SourceFile| {
        fs::read(&f.path).map_err(|e| format!("unreadable: {e}"))
    })
}

/// Reads a source file's bytes: from the disk, or from git objects (trend).
pub type ReadSource<'a> = &'a (dyn Fn(&SourceFile) -> Result<Vec<u8>, String> + Sync);

fn parse_all_with(found: &discover::Discovery, progress: Progress, read: ReadSource) -> Parsed {
    let bar = progress.stage("parse", found.files.len() as u64);
    let mut skipped: Vec<SkippedRow> = found
        .skipped
        .iter()
        .map(|s| SkippedRow {
            path: s.id.clone(),
            reason: s.reason.clone(),
        })
        .collect();
    // Largest files first evens out the load across threads; the results
    // are put back in id order afterwards.
    let mut order: Vec<usize> = (0..found.files.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(found.files[i].bytes));
    let facts = crate::cache::FactsCache::open(&found.files);
    let mut parsed: Vec<(usize, Result<ParsedFile, String>)> = order
        .par_iter()
        .map(|&i| {
            let r =
                read(&found.files[i]).and_then(|b| facts.parse(&found.files[i], b, parse_bytes));
            bar.inc(1);
            (i, r)
        })
        .collect();
    bar.finish_and_clear();
    facts.save();
    parsed.sort_by_key(|(i, _)| *i);
    let mut files = Vec::with_capacity(parsed.len());
    for (i, r) in parsed {
        match r {
            Ok(f) => files.push(f),
            Err(reason) => skipped.push(SkippedRow {
                path: found.files[i].id.clone(),
                reason,
            }),
        }
    }
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    (files, skipped)
}

fn finish(
    cfg: &AnalyzeConfig,
    (mut files, skipped): Parsed,
    data: &[FileData],
    (manifests, projects, node): (&[Manifest], &[Manifest], &[Manifest]),
    history: Option<Result<History, history::HistoryError>>,
    mut warnings: Vec<String>,
    mut timings: Timings,
) -> Result<Analysis, AnalyzeError> {
    timings.record("parse + history");
    for s in &skipped {
        warnings.push(format!("{}: skipped: {}", s.path, s.reason));
    }

    let attached = persistence::attach(&mut files, data);
    warnings.extend(attached.warnings.iter().cloned());
    let mut resolved = resolve::resolve_with(
        &files,
        &resolve::ResolveOptions {
            python_roots: cfg.python_roots.clone(),
            cargo_manifests: manifests.to_vec(),
            dotnet_projects: projects.to_vec(),
            node_manifests: node.to_vec(),
        },
    );
    resolved
        .edges
        .extend(plan::data_edges(&files, &attached.statement_accesses));
    timings.record("resolve");
    let graph = CodeGraph::build(files.len(), &resolved.edges, resolved.symbol_calls);
    let sites = resolved.sites;
    timings.record("graph");

    let history = match history {
        None => None,
        Some(Ok(h)) => {
            warnings.extend(h.warnings.iter().cloned());
            Some(h)
        }
        Some(Err(e)) => {
            warnings.push(format!(
                "no history: {e}; change frequency, co-change and ownership are off"
            ));
            None
        }
    };
    let unit_index: BTreeMap<&str, u32> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id.as_str(), i as u32))
        .collect();
    let unit_history = unit_history(history.as_ref(), &files, &unit_index);
    warnings.extend(cfg.config_warnings.iter().cloned());
    let pins = pins::pin_groups(
        &cfg.pins,
        &cfg.keep_apart,
        &files,
        cfg.include_tests,
        &mut warnings,
    );
    let entity = plan::entity_units(&files, &resolve::plan_facts(&files, &cfg.python_roots));
    let seams = seams::find_seams(
        &SeamInput {
            files: &files,
            graph: &graph,
            history: &unit_history,
            entity: &entity,
        },
        &SeamOptions {
            weights: cfg.weights,
            seed: cfg.seed,
            runs: cfg.runs,
            services: cfg.services,
            resolution: cfg.resolution,
            include_tests: cfg.include_tests,
            max_service_size: cfg.max_service_size,
            pins,
        },
    );
    timings.record("cluster");
    let commits: Vec<u32> = files
        .iter()
        .map(|f| {
            history
                .as_ref()
                .and_then(|h| h.files.get(&f.id))
                .map_or(0, |fh| fh.commits)
        })
        .collect();

    let mut report = build_report(
        cfg,
        &files,
        &resolved.names,
        &resolved.stats,
        &graph,
        skipped,
        warnings,
    );
    if let Some(h) = &history {
        add_history(&mut report, h, &files, &unit_index, cfg);
    }
    add_seams(
        &mut report,
        &graph,
        &seams,
        &commits,
        &unit_history.cochange,
    );
    add_hotspots(&mut report);
    add_data_diagnostics(&mut report, data, &attached);
    let plan_facts = all_plan_facts(&files, &cfg.python_roots, &attached);
    add_plan(
        &mut report,
        &files,
        &graph,
        &seams,
        &unit_history,
        &plan_facts,
    );
    add_arrangement_data(&mut report, &graph, &seams, &unit_history);
    timings.record("report");
    Ok(Analysis {
        report,
        files,
        graph,
        sites,
        plan_facts,
        timings,
    })
}

/// [`Structure`] of the files on disk under `cfg.root`.
pub fn structure(cfg: &AnalyzeConfig, progress: Progress) -> Result<Structure, AnalyzeError> {
    let mut found = discover::discover(
        &cfg.root,
        &DiscoverOptions {
            languages: cfg.languages.clone(),
            excludes: cfg.excludes.clone(),
        },
    )?;
    found.files.retain(|f| f.language.supported());
    if found.files.is_empty() {
        let languages: Vec<Language> = cfg
            .languages
            .iter()
            .copied()
            .filter(|l| l.supported())
            .collect();
        return Err(AnalyzeError::no_source(&cfg.root, &languages));
    }
    let dotnet_projects = discover::dotnet_projects(&cfg.root, &found.files);
    discover::skip_uncompiled(&mut found, &dotnet_projects);
    let opts = resolve::ResolveOptions {
        python_roots: cfg.python_roots.clone(),
        cargo_manifests: discover::cargo_manifests(&cfg.root, &found.files),
        dotnet_projects,
        node_manifests: discover::node_manifests(&cfg.root, &found.files),
    };
    let data = read_data_files(&found.data_files);
    Ok(structure_from(
        &found,
        progress,
        &|f: &SourceFile| fs::read(&f.path).map_err(|e| format!("unreadable: {e}")),
        &opts,
        &data,
    ))
}

/// [`Structure`] of already discovered files whose bytes come from `read`
/// (git objects for `trend`): the same parse and resolution as on disk.
pub fn structure_from(
    found: &discover::Discovery,
    progress: Progress,
    read: ReadSource,
    opts: &resolve::ResolveOptions,
    data: &[FileData],
) -> Structure {
    let mut found_supported = discover::Discovery {
        files: found.files.clone(),
        skipped: found.skipped.clone(),
        data_files: Vec::new(),
    };
    found_supported.files.retain(|f| f.language.supported());
    let (files, skipped) = parse_all_with(&found_supported, progress, read);
    structure_of(files, skipped, opts, data)
}

/// [`Structure`] of files already parsed (in id order): resolution and the
/// graph. `trend` parses only the files a commit changed and reuses the rest.
/// `data`: the data files' facts, whose table accesses become data edges
/// (as in `analyze`).
pub fn structure_of(
    mut files: Vec<ParsedFile>,
    skipped: Vec<SkippedRow>,
    opts: &resolve::ResolveOptions,
    data: &[FileData],
) -> Structure {
    let attached = persistence::attach(&mut files, data);
    let mut resolved = resolve::resolve_with(&files, opts);
    resolved
        .edges
        .extend(plan::data_edges(&files, &attached.statement_accesses));
    let graph = CodeGraph::build(files.len(), &resolved.edges, resolved.symbol_calls);
    Structure {
        files,
        graph,
        sites: resolved.sites,
        skipped,
    }
}

/// Per-unit authors and all co-change pairs between units, for clustering.
fn unit_history(
    history: Option<&History>,
    files: &[ParsedFile],
    index: &BTreeMap<&str, u32>,
) -> UnitHistory {
    let Some(h) = history else {
        return UnitHistory::default();
    };
    UnitHistory {
        authors: files
            .iter()
            .map(|f| {
                h.files
                    .get(&f.id)
                    .map(|fh| fh.authors.clone())
                    .unwrap_or_default()
            })
            .collect(),
        cochange: h
            .pairs
            .iter()
            .filter_map(|p| {
                let (a, b) = (*index.get(p.a.as_str())?, *index.get(p.b.as_str())?);
                (p.weight > 0.0).then_some((a.min(b), a.max(b), p.weight))
            })
            .collect(),
    }
}

/// Fills per-unit history figures, the history window and the co-change
/// pairs that pass the report thresholds.
fn add_history(
    report: &mut Report,
    h: &History,
    files: &[ParsedFile],
    index: &BTreeMap<&str, u32>,
    cfg: &AnalyzeConfig,
) {
    let mut authors = std::collections::BTreeSet::new();
    for (row, f) in report.units.iter_mut().zip(files) {
        if let Some(fh) = h.files.get(&f.id) {
            row.commits = fh.commits;
            row.churn = fh.churn;
            row.authors = fh.authors.len() as u32;
            row.first_change = Some(format_unix(fh.first_change));
            row.last_change = Some(format_unix(fh.last_change));
            authors.extend(fh.authors.iter().cloned());
        }
    }
    report.repo.head = h.head.clone();
    report.summary.commits_analyzed = h.commits_analyzed as u32;
    report.settings.history = true;
    if let Some(o) = &cfg.history {
        report.settings.since = o.since.clone();
        report.settings.max_commits = o.max_commits;
        report.settings.max_changeset = o.max_changeset;
    }
    report.history = Some(HistoryInfo {
        commits_analyzed: h.commits_analyzed as u32,
        from: h.window.map(|w| format_unix(w.0)),
        to: h.window.map(|w| format_unix(w.1)),
        shallow: h.shallow,
        skipped_commits: h.skipped_commits as u32,
        authors: authors.len() as u32,
    });
    report.cochange = h
        .report_pairs()
        .filter_map(|p| {
            let (a, b) = (*index.get(p.a.as_str())?, *index.get(p.b.as_str())?);
            let test = files[a as usize].test || files[b as usize].test;
            Some(CoChangeRow {
                a: p.a.clone(),
                b: p.b.clone(),
                shared: p.shared,
                degree: round6(p.degree),
                revs_a: p.revs_a,
                revs_b: p.revs_b,
                confidence_ab: round6(p.confidence_ab),
                confidence_ba: round6(p.confidence_ba),
                kind: if test { "test" } else { "code" }.into(),
                service_a: None,
                service_b: None,
            })
        })
        .collect();
}

/// Hotspots: rank-normalised change frequency × rank-normalised complexity
/// over production units with at least one commit (docs/metrics.md).
fn add_hotspots(report: &mut Report) {
    let idx: Vec<usize> = (0..report.units.len())
        .filter(|&i| !report.units[i].test && report.units[i].commits > 0)
        .collect();
    let commits: Vec<f64> = idx
        .iter()
        .map(|&i| report.units[i].commits as f64)
        .collect();
    let complexity: Vec<f64> = idx
        .iter()
        .map(|&i| report.units[i].complexity as f64)
        .collect();
    let (rc, rx) = (rank_normalise(&commits), rank_normalise(&complexity));
    let mut rows = Vec::new();
    for (k, &i) in idx.iter().enumerate() {
        let score = round6(rc[k] * rx[k]);
        let u = &mut report.units[i];
        u.hotspot = Some(score);
        rows.push(HotspotRow {
            unit: u.id.clone(),
            commits: u.commits,
            complexity: u.complexity,
            score,
            service: u.service.clone(),
        });
    }
    rows.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.unit.cmp(&b.unit)));
    rows.truncate(HOTSPOTS_LISTED);
    report.hotspots = rows;
    let service_of: BTreeMap<String, Option<String>> = report
        .units
        .iter()
        .map(|u| (u.id.clone(), u.service.clone()))
        .collect();
    for c in &mut report.cochange {
        c.service_a = service_of.get(&c.a).cloned().flatten();
        c.service_b = service_of.get(&c.b).cloned().flatten();
    }
}

/// The hotspot table lists this many units; every unit carries its score.
const HOTSPOTS_LISTED: usize = 100;

/// Fills the services, the shared kernel, the service dependencies and the
/// metrics into the report.
fn add_seams(
    report: &mut Report,
    graph: &CodeGraph,
    seams: &Seams,
    commits: &[u32],
    cochange: &[(u32, u32, f64)],
) {
    let service_metrics = metrics::service_metrics(graph, seams, commits, cochange);
    let ids: Vec<String> = seams.services.iter().map(|s| s.name.clone()).collect();
    for (u, row) in report.units.iter_mut().enumerate() {
        row.service = seams.service_of[u].map(|s| ids[s as usize].clone());
        row.confidence = seams.confidence[u];
        row.placement = seams.placement[u].map(|p| p.as_str().to_string());
        row.reason = seams.kernel_reason[u]
            .clone()
            .or_else(|| seams.unplaced_reason[u].clone());
        if seams.kernel[u] {
            row.role = "kernel".into();
        }
    }
    report.shared_kernel = (0..seams.kernel.len())
        .filter(|&u| seams.kernel[u])
        .map(|u| report.units[u].id.clone())
        .collect();
    let mut services: Vec<ServiceRow> = seams
        .services
        .iter()
        .zip(&service_metrics)
        .map(|(s, m)| ServiceRow {
            id: s.name.clone(),
            name: s.name.clone(),
            members: s
                .members
                .iter()
                .map(|&u| report.units[u as usize].id.clone())
                .collect(),
            rank: 0,
            score: m.churn_share,
            lines: s
                .members
                .iter()
                .map(|&u| report.units[u as usize].lines as u64)
                .sum(),
            words: s.words.clone(),
            package: s.package.clone(),
            cohesion: m.cohesion,
            coupling: m.coupling,
            interface_size: m.interface_size,
            churn_share: m.churn_share,
            cochange_leakage: m.cochange_leakage,
            confidence: s.confidence,
            signals: s.signals.clone(),
            origin: s.origin.as_str().to_string(),
            extraction: Default::default(),
            cap: Default::default(),
        })
        .collect();
    // Rank: highest score first, then the smaller coupling, then the name.
    let mut order: Vec<usize> = (0..services.len()).collect();
    order.sort_by(|&a, &b| {
        services[b]
            .score
            .total_cmp(&services[a].score)
            .then(services[a].coupling.cmp(&services[b].coupling))
            .then(services[a].name.cmp(&services[b].name))
    });
    for (rank, &i) in order.iter().enumerate() {
        services[i].rank = rank as u32 + 1;
    }
    services.sort_by_key(|s| s.rank);
    report.services = services;
    let name = |s: Option<u32>| s.map_or_else(|| "kernel".to_string(), |s| ids[s as usize].clone());
    report.service_dependencies = metrics::service_dependencies(graph, seams)
        .into_iter()
        .map(|((from, to), (count, calls))| ServiceDependencyRow {
            from: name(from),
            to: name(to),
            count,
            calls,
        })
        .collect();
    report
        .service_dependencies
        .sort_by(|a, b| (&a.from, &a.to).cmp(&(&b.from, &b.to)));
    report.summary.services = report.services.len() as u32;
    if !seams.services.is_empty() {
        let p = metrics::partition_metrics(graph, seams);
        report.metrics = Metrics {
            modularity: Some(p.modularity),
            sm: Some(p.sm),
            icp: Some(p.icp),
            ifn: Some(p.ifn),
            ned: Some(p.ned),
            resolution: Some(seams.resolution),
            kernel_back_references: Some(
                graph
                    .dependencies
                    .iter()
                    .filter(|d| {
                        seams.kernel[d.from as usize] && seams.service_of[d.to as usize].is_some()
                    })
                    .map(|d| d.count)
                    .sum(),
            ),
        };
    }
}

/// The unit-level inputs of the service, partition and extraction figures
/// that the report does not carry otherwise (the seam graph, every
/// co-change weight, symbol calls, authors as numbers), so another
/// arrangement of the same units can be measured with the same formulas
/// (the HTML what-if mode, docs/html.md).
fn add_arrangement_data(
    report: &mut Report,
    graph: &CodeGraph,
    seams: &Seams,
    history: &UnitHistory,
) {
    let id = |u: u32| report.units[u as usize].id.clone();
    report.seam_edges = seams
        .edges
        .iter()
        .map(|e| WeightedPair {
            a: id(e.a),
            b: id(e.b),
            weight: e.weight,
        })
        .collect();
    report.co_change_weights = history
        .cochange
        .iter()
        .map(|&(a, b, weight)| WeightedPair {
            a: id(a),
            b: id(b),
            weight,
        })
        .collect();
    let mut calls: BTreeMap<(u32, u32, &str), u32> = BTreeMap::new();
    for c in &graph.symbol_calls {
        if c.from_file != c.to_file {
            *calls
                .entry((c.from_file, c.to_file, c.to_symbol.as_str()))
                .or_default() += 1;
        }
    }
    report.symbol_calls = calls
        .into_iter()
        .map(|((from, to, symbol), count)| SymbolCallRow {
            from: id(from),
            to: id(to),
            symbol: symbol.to_string(),
            count,
        })
        .collect();
    if history.authors.len() == report.units.len() {
        let names: std::collections::BTreeSet<&String> = history.authors.iter().flatten().collect();
        let number: BTreeMap<&String, u32> = names
            .into_iter()
            .enumerate()
            .map(|(i, n)| (n, i as u32))
            .collect();
        for (row, authors) in report.units.iter_mut().zip(&history.authors) {
            row.author_ids = authors.iter().map(|a| number[a]).collect();
        }
    }
}

/// The data files' parse problems as diagnostics (file and line), and a
/// warning when SQL had to be read by words.
fn add_data_diagnostics(report: &mut Report, data: &[FileData], attached: &Attached) {
    for d in data {
        for (line, message) in &d.diagnostics {
            report.diagnostics.push(DiagnosticRow {
                unit: d.id.clone(),
                line: Some(*line),
                message: message.clone(),
            });
        }
    }
    report
        .diagnostics
        .sort_by(|a, b| (&a.unit, a.line).cmp(&(&b.unit, b.line)));
    if attached.fallback_statements > 0 {
        report.warnings.push(format!(
            "{} of {} mapped SQL statements are not full statements for any SQL dialect; their tables were read by words",
            attached.fallback_statements, attached.statements
        ));
    }
    if attached.unattached_statements > 0 {
        report.warnings.push(format!(
            "{} mapped SQL statements name a type that is not in the repository; their tables count, but no unit accesses them",
            attached.unattached_statements
        ));
    }
}

/// Runs the plan stage and fills entities, endpoints, transactions, the
/// extraction score and rank of every service, and the plan.
fn add_plan(
    report: &mut Report,
    files: &[ParsedFile],
    graph: &CodeGraph,
    seams: &Seams,
    history: &UnitHistory,
    plan_facts: &crate::lang::plan_facts::PlanFacts,
) {
    let hotspot: Vec<f64> = report
        .units
        .iter()
        .map(|u| u.hotspot.unwrap_or(0.0))
        .collect();
    let authors = if history.authors.len() == files.len() {
        history.authors.clone()
    } else {
        vec![Default::default(); files.len()]
    };
    let row_of = |name: &str| report.services.iter().find(|r| r.id == name);
    let churn_share: Vec<f64> = seams
        .services
        .iter()
        .map(|s| row_of(&s.name).map_or(0.0, |r| r.churn_share))
        .collect();
    let cochange_leakage: Vec<f64> = seams
        .services
        .iter()
        .map(|s| row_of(&s.name).map_or(0.0, |r| r.cochange_leakage))
        .collect();
    let input = plan::PlanInput {
        files,
        graph,
        seams,
        hotspot: &hotspot,
        authors: &authors,
        churn_share: &churn_share,
        cochange_leakage: &cochange_leakage,
        facts: plan_facts,
        history: report.summary.commits_analyzed > 0,
    };
    let out = plan::plan(&input);
    report.benefit_basis = if input.history {
        "history"
    } else {
        "structure"
    }
    .into();
    let index: BTreeMap<&str, usize> = seams
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    for row in &mut report.services {
        let i = index[row.id.as_str()];
        row.score = out.score[i];
        row.extraction = out.extraction[i].clone();
        row.cap = out.cap[i].clone();
    }
    // Rank: docs/metrics.md, "Rank".
    fn key(r: &crate::report::ServiceRow) -> plan::RankKey<'_> {
        plan::RankKey {
            generated: r.extraction.generated,
            score: r.score,
            benefit: r.extraction.benefit,
            coupling: r.coupling,
            name: &r.name,
        }
    }
    report
        .services
        .sort_by(|a, b| plan::rank_cmp(&key(a), &key(b)));
    for (k, row) in report.services.iter_mut().enumerate() {
        row.rank = k as u32 + 1;
    }
    let order: Vec<usize> = report
        .services
        .iter()
        .map(|r| index[r.id.as_str()])
        .collect();
    report.plan = plan::steps(&input, &out, &order);
    report.entities = out.entities;
    report.endpoints = out.endpoints;
    report.foreign_keys = out.foreign_keys;
    report.transaction_reach = transaction_reach(files, graph, plan_facts, &out.transactions)
        .into_iter()
        .map(|units| {
            units
                .into_iter()
                .map(|u| report.units[u as usize].id.clone())
                .collect()
        })
        .collect();
    report.transactions = out.transactions;
}

/// The production units each transactional scope's call reach gets to, in
/// the order of `transactions`: the plan stage run once more with every
/// unit as a service of its own, so each scope's `services` names the units
/// it reaches (the reach itself does not depend on the arrangement, only
/// the services it lands in). What the what-if mode needs to recompute
/// split transactions for another arrangement.
fn transaction_reach(
    files: &[ParsedFile],
    graph: &CodeGraph,
    plan_facts: &crate::lang::plan_facts::PlanFacts,
    transactions: &[crate::report::TransactionRow],
) -> Vec<Vec<u32>> {
    if transactions.is_empty() {
        return Vec::new();
    }
    let n = files.len();
    let seams = Seams {
        service_of: (0..n as u32).map(Some).collect(),
        kernel: vec![false; n],
        confidence: vec![None; n],
        services: (0..n as u32)
            .map(|u| seams::Service {
                members: vec![u],
                name: u.to_string(),
                words: Vec::new(),
                package: String::new(),
                confidence: 0.0,
                signals: Default::default(),
                origin: seams::Origin::Proposed,
            })
            .collect(),
        resolution: 0.0,
        edges: Vec::new(),
        ..Seams::default()
    };
    let zeros = vec![0.0; n];
    let input = plan::PlanInput {
        files,
        graph,
        seams: &seams,
        hotspot: &zeros,
        authors: &[],
        churn_share: &zeros,
        cochange_leakage: &zeros,
        facts: plan_facts,
        history: false,
    };
    let out = plan::plan(&input);
    debug_assert_eq!(out.transactions.len(), transactions.len());
    out.transactions
        .iter()
        .map(|t| {
            let mut units: Vec<u32> = t.services.iter().filter_map(|s| s.parse().ok()).collect();
            units.sort_unstable();
            units
        })
        .collect()
}

/// Parses one file's bytes. `Err` means the file is skipped (binary); a
/// file that merely fails to parse cleanly is `Ok` with diagnostics.
pub fn parse_bytes(file: &SourceFile, bytes: Vec<u8>) -> Result<ParsedFile, String> {
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err("binary content (NUL bytes) in a source file".into());
    }
    // Python honours PEP 263 coding cookies (src/lang/python.rs).
    let (text, decoded) = if file.language == Language::Python {
        lang::python::decode(&bytes)
    } else {
        match String::from_utf8(bytes) {
            Ok(s) => (s, None),
            Err(e) => (
                String::from_utf8_lossy(e.as_bytes()).into_owned(),
                Some("not valid UTF-8; undecodable bytes were replaced".to_string()),
            ),
        }
    };
    let mut facts = match lang::frontend(file.language) {
        Some(fe) => fe.parse(&file.id, &text),
        None => FileFacts::default(),
    };
    if let Some(message) = decoded {
        facts.diagnostics.push(Diagnostic {
            line: None,
            message,
        });
    }
    // C# test code is also known by its attributes (xUnit, NUnit, MSTest).
    let test =
        file.test || (file.language == Language::CSharp && lang::csharp::marks_tests(&facts));
    Ok(ParsedFile {
        id: file.id.clone(),
        language: file.language,
        test,
        facts,
    })
}

fn rate(good: u64, bad: u64) -> Option<f64> {
    let all = good + bad;
    (all > 0).then(|| round6(good as f64 / all as f64))
}

fn build_report(
    cfg: &AnalyzeConfig,
    files: &[ParsedFile],
    names: &[String],
    stats: &[ResolveStats],
    graph: &CodeGraph,
    skipped: Vec<SkippedRow>,
    warnings: Vec<String>,
) -> Report {
    let mut total = ResolveStats::default();
    for s in stats {
        total.add(s);
    }
    let units: Vec<UnitRow> = files
        .iter()
        .enumerate()
        .map(|(i, f)| UnitRow {
            id: f.id.clone(),
            language: f.language.name().to_string(),
            name: names[i].clone(),
            lines: f.facts.code_lines,
            complexity: f.facts.complexity,
            test: f.test,
            commits: 0,
            churn: 0,
            authors: 0,
            fan_in: graph.fan_in(i as u32),
            fan_out: graph.fan_out(i as u32),
            service: None,
            confidence: None,
            placement: None,
            reason: None,
            role: if f.test {
                "test"
            } else if discover::is_generated_file(f) {
                "generated"
            } else {
                "code"
            }
            .to_string(),
            hotspot: None,
            first_change: None,
            last_change: None,
            instability: metrics::unit_coupling(graph, i as u32).instability,
            unresolved_refs: stats[i].type_refs_unresolved + stats[i].calls_unresolved,
            author_ids: Vec::new(),
            generated: crate::discover::is_generated_file(f),
        })
        .collect();
    let dependencies: Vec<DependencyRow> = graph
        .dependencies
        .iter()
        .map(|d| DependencyRow {
            from: files[d.from as usize].id.clone(),
            to: files[d.to as usize].id.clone(),
            kind: d.kind.name().to_string(),
            count: d.count,
        })
        .collect();
    let diagnostics: Vec<DiagnosticRow> = files
        .iter()
        .flat_map(|f| {
            f.facts.diagnostics.iter().map(|d| DiagnosticRow {
                unit: f.id.clone(),
                line: d.line,
                message: d.message.clone(),
            })
        })
        .collect();
    let mut languages = BTreeMap::new();
    for f in files {
        *languages.entry(f.language.name().to_string()).or_insert(0) += 1;
    }
    let calls_all = (total.calls_internal + total.calls_external + total.calls_unresolved) as u64;
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "decompose".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        generated_at: (!cfg.deterministic).then(now_rfc3339),
        repo: Repo {
            root: cfg.root.display().to_string(),
            head: None,
        },
        settings: Settings {
            languages: cfg.languages.iter().map(|l| l.name().to_string()).collect(),
            include_tests: cfg.include_tests,
            excludes: cfg.excludes.clone(),
            history: false,
            since: None,
            max_commits: None,
            max_changeset: 30,
            seed: cfg.seed,
        },
        summary: Summary {
            units: units.len() as u32,
            dependencies: dependencies.len() as u32,
            lines: files.iter().map(|f| f.facts.code_lines as u64).sum(),
            commits_analyzed: 0,
            services: 0,
            languages,
            test_units: files.iter().filter(|f| f.test).count() as u32,
            skipped_files: skipped.len() as u32,
            files_with_errors: files
                .iter()
                .filter(|f| !f.facts.diagnostics.is_empty())
                .count() as u32,
            resolution: Resolution {
                type_refs_internal: total.type_refs_internal as u64,
                type_refs_unresolved: total.type_refs_unresolved as u64,
                type_ref_rate: rate(
                    total.type_refs_internal as u64,
                    total.type_refs_unresolved as u64,
                ),
                calls_internal: total.calls_internal as u64,
                calls_external: total.calls_external as u64,
                calls_unresolved: total.calls_unresolved as u64,
                call_rate: (calls_all > 0).then(|| {
                    round6((total.calls_internal + total.calls_external) as f64 / calls_all as f64)
                }),
            },
        },
        history: None,
        units,
        dependencies,
        cochange: Vec::new(),
        hotspots: Vec::new(),
        services: Vec::new(),
        shared_kernel: Vec::new(),
        service_dependencies: Vec::new(),
        metrics: Metrics::default(),
        entities: Vec::new(),
        endpoints: Vec::new(),
        transactions: Vec::new(),
        plan: Vec::new(),
        benefit_basis: "structure".into(),
        foreign_keys: Vec::new(),
        diagnostics,
        skipped,
        warnings,
        trend: Vec::new(),
        seam_edges: Vec::new(),
        co_change_weights: Vec::new(),
        symbol_calls: Vec::new(),
        transaction_reach: Vec::new(),
    }
}

/// The current UTC time as RFC 3339, without a date library: the civil
/// date from days since the epoch (Howard Hinnant's algorithm).
fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    format_unix(secs)
}

pub fn format_unix(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_unix_time() {
        assert_eq!(super::format_unix(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::format_unix(1_704_067_200), "2024-01-01T00:00:00Z");
        assert_eq!(super::format_unix(951_827_696), "2000-02-29T12:34:56Z");
    }
}
