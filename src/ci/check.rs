//! `decompose check`: the ratchet. Compares the code with the declared
//! seams and the baseline; a new cross-seam dependency, a broken rule or
//! cross-seam co-change rising past the threshold is a violation
//! (exit code 1). docs/ci.md describes the semantics.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::analyze::{self, AnalyzeConfig};
use crate::ci::baseline::{Baseline, BaselineError, Key};
use crate::ci::config::{Config, ConfigError};
use crate::ci::measure::{self, CoChangeFigure, CrossDependency, Measured};
use crate::graph::Structure;
use crate::history::HistoryOptions;
use crate::progress::Progress;
use crate::report::write;
use crate::report::SeamMetrics;

#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub root: PathBuf,
    pub config: PathBuf,
    pub baseline: PathBuf,
    pub update_baseline: bool,
    pub accept_new: bool,
    /// Mine history for co-change (off with `--no-history`).
    pub history: bool,
    pub quiet: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Baseline(#[from] BaselineError),
    #[error(transparent)]
    Analyze(#[from] analyze::AnalyzeError),
    #[error(transparent)]
    Write(#[from] write::WriteError),
}

/// The kinds of violation, with their stable ids (SARIF rule ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// A cross-seam dependency that is not in the baseline.
    NewCrossSeamDependency,
    /// A dependency on a seam that is not in the source seam's `may_depend_on`.
    SeamNotAllowed,
    /// A dependency on a seam in the source seam's `forbidden`.
    SeamForbidden,
    /// Cross-seam co-change share above baseline + `cochange_rise`.
    CochangeRise,
}

impl Rule {
    pub const ALL: [Rule; 4] = [
        Rule::NewCrossSeamDependency,
        Rule::SeamNotAllowed,
        Rule::SeamForbidden,
        Rule::CochangeRise,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Rule::NewCrossSeamDependency => "new-cross-seam-dependency",
            Rule::SeamNotAllowed => "seam-not-allowed",
            Rule::SeamForbidden => "seam-forbidden",
            Rule::CochangeRise => "cochange-rise",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Rule::NewCrossSeamDependency => {
                "A dependency (import, call, inheritance or type use) from one declared seam into another that is not in the baseline."
            }
            Rule::SeamNotAllowed => {
                "A dependency on a seam that the source seam's may_depend_on list in decompose.toml does not name."
            }
            Rule::SeamForbidden => {
                "A dependency on a seam that the source seam's forbidden list in decompose.toml names."
            }
            Rule::CochangeRise => {
                "The share of co-change weight across seams rose more than thresholds.cochange_rise above the baseline."
            }
        }
    }
}

/// One dependency as reported (the identity plus where it is).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DependencyOut {
    pub from: String,
    pub to: String,
    pub kind: String,
    pub from_seam: String,
    pub to_seam: String,
    pub count: u32,
    pub lines: Vec<u32>,
}

impl From<&CrossDependency> for DependencyOut {
    fn from(d: &CrossDependency) -> Self {
        DependencyOut {
            from: d.from.clone(),
            to: d.to.clone(),
            kind: d.kind.name().to_string(),
            from_seam: d.from_seam.clone(),
            to_seam: d.to_seam.clone(),
            count: d.count,
            lines: d.lines.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    pub rule: Rule,
    pub message: String,
    /// The offending dependency; `null` for co-change.
    pub dependency: Option<DependencyOut>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeamOut {
    pub name: String,
    pub units: u32,
    pub kernel: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoChangeOut {
    /// Cross-seam co-change share now; `null` without history.
    pub share: Option<f64>,
    pub baseline: Option<f64>,
    /// baseline + cochange_rise: the share above which `check` fails.
    pub limit: Option<f64>,
    pub commits: usize,
    /// Co-change weight per seam pair.
    pub pairs: Vec<(String, String, f64)>,
}

/// Everything `check` found; every output format renders this.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckResult {
    pub version: u32,
    /// `true` when there is no violation (exit code 0).
    pub ok: bool,
    pub config: String,
    pub baseline: String,
    pub baseline_found: bool,
    /// `--update-baseline` wrote the baseline.
    pub baseline_written: bool,
    pub seams: Vec<SeamOut>,
    pub unassigned: Vec<String>,
    pub violations: Vec<Violation>,
    /// Baseline entries no longer in the code.
    pub stale: Vec<Key>,
    /// New entries taken into the baseline with `--accept-new`.
    pub accepted: Vec<Key>,
    /// Cross-seam dependencies now (the target not a shared kernel).
    pub cross_seam_dependencies: Vec<DependencyOut>,
    pub cochange: CoChangeOut,
    pub metrics: SeamMetrics,
    pub warnings: Vec<String>,
}

/// The analysis settings a config implies (only the structural fields
/// matter to `check` and `trend`).
pub fn analyze_config(root: &Path, cfg: &Config) -> AnalyzeConfig {
    AnalyzeConfig {
        languages: cfg.languages(),
        excludes: cfg.analysis.exclude.clone(),
        include_tests: cfg.analysis.include_tests,
        weights: cfg.weights.unwrap_or_default(),
        runs: 1,
        history: None,
        ..AnalyzeConfig::defaults(root)
    }
}

/// Parses and resolves the code under `root` and mines co-change (on its
/// own thread) when asked.
pub fn analyse(
    root: &Path,
    cfg: &Config,
    history: bool,
    quiet: bool,
) -> Result<(Structure, Measured, CoChangeFigure, Vec<String>), CheckError> {
    let acfg = analyze_config(root, cfg);
    let mut warnings = Vec::new();
    let t = cfg.thresholds;
    let (structure, mined) = std::thread::scope(|scope| {
        let h = (history && t.history_commits > 0).then(|| {
            scope.spawn(move || {
                crate::cache::mine_history(
                    root,
                    &HistoryOptions {
                        max_commits: Some(t.history_commits),
                        max_changeset: t.max_changeset.max(2),
                        ..HistoryOptions::default()
                    },
                    None,
                )
            })
        });
        let s = analyze::structure(&acfg, Progress::new(quiet));
        (
            s,
            h.map(|h| h.join().expect("the history thread does not panic")),
        )
    });
    let structure = structure?;
    for s in &structure.skipped {
        warnings.push(format!("{}: skipped: {}", s.path, s.reason));
    }
    let measured = measure::measure(cfg, &structure);
    let cochange = match mined {
        Some(Ok(h)) => {
            warnings.extend(h.warnings.iter().cloned());
            measure::cochange(cfg, &structure, &measured, &h)
        }
        Some(Err(e)) => {
            warnings.push(format!("no history: {e}; co-change is not checked"));
            CoChangeFigure::default()
        }
        None => CoChangeFigure::default(),
    };
    Ok((structure, measured, cochange, warnings))
}

pub fn check(opts: &CheckOptions) -> Result<CheckResult, CheckError> {
    let cfg = Config::load(&opts.config)?;
    let baseline = Baseline::load(&opts.baseline)?;
    let (_structure, measured, cochange, mut warnings) =
        analyse(&opts.root, &cfg, opts.history, opts.quiet)?;
    let baseline_name = display(&opts.root, &opts.baseline);
    if baseline.is_none() && !(opts.update_baseline && opts.accept_new) {
        warnings.push(format!(
            "{baseline_name}: no baseline; every cross-seam dependency counts as new (record the current state with `decompose check --update-baseline --accept-new`)"
        ));
    }
    let result = evaluate(
        &cfg,
        &measured,
        &cochange,
        baseline.as_ref(),
        opts,
        warnings,
    );
    let mut result = result;
    result.config = display(&opts.root, &opts.config);
    result.baseline = baseline_name;
    if opts.update_baseline {
        let now = current_keys(&measured);
        let keys: BTreeSet<Key> = if opts.accept_new {
            now
        } else {
            baseline
                .as_ref()
                .map(|b| b.keys())
                .unwrap_or_default()
                .intersection(&now)
                .cloned()
                .collect()
        };
        let old = baseline.as_ref().and_then(|b| b.cochange_share);
        let share = match (old, cochange.share) {
            (_, None) => old,
            (None, Some(now)) => Some(now),
            (Some(o), Some(now)) if opts.accept_new || now < o => Some(now),
            (Some(o), Some(_)) => Some(o),
        };
        write::write_atomic(&opts.baseline, &Baseline::new(keys, share).to_bytes())?;
        result.baseline_written = true;
    }
    Ok(result)
}

/// The ratcheted identities now: cross-seam dependencies whose target is
/// not a shared kernel.
pub fn current_keys(m: &Measured) -> BTreeSet<Key> {
    m.cross
        .iter()
        .filter(|d| !d.into_kernel)
        .map(|d| Key {
            from: d.from.clone(),
            to: d.to.clone(),
            kind: d.kind.name().to_string(),
        })
        .collect()
}

/// The violations and the rest of the result, without touching the disk.
pub fn evaluate(
    cfg: &Config,
    m: &Measured,
    cochange: &CoChangeFigure,
    baseline: Option<&Baseline>,
    opts: &CheckOptions,
    warnings: Vec<String>,
) -> CheckResult {
    let base: BTreeSet<Key> = baseline.map(|b| b.keys()).unwrap_or_default();
    let now = current_keys(m);
    let seam_index = |name: &str| cfg.seams.iter().position(|s| s.name == name);
    let mut violations = Vec::new();
    let mut accepted = Vec::new();
    for d in &m.cross {
        let key = Key {
            from: d.from.clone(),
            to: d.to.clone(),
            kind: d.kind.name().to_string(),
        };
        let what = format!(
            "{} -> {}: {} of {}",
            d.from_seam,
            d.to_seam,
            d.kind.name(),
            d.to
        );
        if !d.into_kernel && !base.contains(&key) {
            if opts.accept_new {
                accepted.push(key);
            } else {
                violations.push(Violation {
                    rule: Rule::NewCrossSeamDependency,
                    message: format!("new cross-seam dependency {what} (not in the baseline)"),
                    dependency: Some(d.into()),
                });
            }
        }
        let from = &cfg.seams[seam_index(&d.from_seam).expect("seam of a measured unit")];
        if from.forbidden.contains(&d.to_seam) {
            violations.push(Violation {
                rule: Rule::SeamForbidden,
                message: format!(
                    "forbidden dependency {what} (seam {:?} forbids {:?})",
                    d.from_seam, d.to_seam
                ),
                dependency: Some(d.into()),
            });
        } else if let Some(allowed) = &from.may_depend_on {
            if !d.into_kernel && !allowed.contains(&d.to_seam) {
                violations.push(Violation {
                    rule: Rule::SeamNotAllowed,
                    message: format!(
                        "dependency {what} not allowed (seam {:?} may depend on: {})",
                        d.from_seam,
                        if allowed.is_empty() {
                            "nothing but shared kernels".to_string()
                        } else {
                            allowed.join(", ")
                        }
                    ),
                    dependency: Some(d.into()),
                });
            }
        }
    }
    let old_share = baseline.and_then(|b| b.cochange_share);
    let limit = old_share.map(|o| crate::numeric::round6(o + cfg.thresholds.cochange_rise));
    if let (Some(share), Some(limit)) = (cochange.share, limit) {
        // With --accept-new the rise is taken into the baseline instead.
        if share > limit && !opts.accept_new {
            violations.push(Violation {
                rule: Rule::CochangeRise,
                message: format!(
                    "co-change across seams rose to {share} of all co-change weight (baseline {}, limit {limit})",
                    old_share.unwrap_or(0.0)
                ),
                dependency: None,
            });
        }
    }
    let stale: Vec<Key> = base.difference(&now).cloned().collect();
    CheckResult {
        version: 1,
        ok: violations.is_empty(),
        config: String::new(),
        baseline: String::new(),
        baseline_found: baseline.is_some(),
        baseline_written: false,
        seams: cfg
            .seams
            .iter()
            .zip(&m.seam_units)
            .map(|(s, &n)| SeamOut {
                name: s.name.clone(),
                units: n,
                kernel: s.kernel,
            })
            .collect(),
        unassigned: m.unassigned.clone(),
        violations,
        stale,
        accepted,
        cross_seam_dependencies: m
            .cross
            .iter()
            .filter(|d| !d.into_kernel)
            .map(DependencyOut::from)
            .collect(),
        cochange: CoChangeOut {
            share: cochange.share,
            baseline: old_share,
            limit,
            commits: cochange.commits,
            pairs: cochange.pairs.clone(),
        },
        metrics: m.metrics.clone(),
        warnings,
    }
}

/// A path relative to the root when it lies inside it, with `/`.
pub fn display(root: &Path, path: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(rel) => crate::discover::unit_id(Path::new(""), rel),
        Err(_) => path.display().to_string(),
    }
}
