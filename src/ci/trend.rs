//! `decompose trend`: the seam metrics at past commits, computed from git
//! objects (tree listing + blobs), appended to `decompose-trend.jsonl`.
//! The working tree, the index and HEAD are never touched.
//!
//! Seams come from `decompose.toml`; without it, from the services and
//! shared kernel of an analysis of the working tree (as explicit files).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::analyze::{self, AnalyzeConfig};
use crate::ci::config::{self, Config, ConfigError, Seam};
use crate::ci::git::{self, Blobs, GitError};
use crate::ci::measure;
use crate::discover::{self, DiscoverOptions};
use crate::persistence::FileData;
use crate::progress::Progress;
use crate::report::{write, TrendRow};
use crate::resolve::ParsedFile;
use crate::signals::SignalWeights;
use rayon::prelude::*;

/// Without `--every` or `--at`, at most this many commits, spread evenly.
pub const DEFAULT_ROWS: usize = 100;

#[derive(Debug, Clone)]
pub struct TrendOptions {
    pub root: PathBuf,
    pub config: PathBuf,
    pub output: PathBuf,
    /// Every Nth commit of the first-parent history, from HEAD back;
    /// `None`: N = ⌈commits / 100⌉, so at most 100 rows span the history.
    pub every: Option<usize>,
    /// Explicit revisions instead of `every`.
    pub at: Vec<String>,
    /// At most this many commits (the newest).
    pub limit: Option<usize>,
    pub quiet: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum TrendError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Git(#[from] GitError),
    #[error(transparent)]
    Analyze(#[from] analyze::AnalyzeError),
    #[error(transparent)]
    Discover(#[from] discover::DiscoverError),
    #[error(transparent)]
    Write(#[from] write::WriteError),
    #[error("--every must be at least 1")]
    BadEvery,
    #[error("cannot read {path}: {source} (the trend file is left as it is)")]
    ReadTrend {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

#[derive(Debug, Clone, Default)]
pub struct TrendOutcome {
    /// Rows computed now, oldest first.
    pub added: Vec<TrendRow>,
    /// Commits already in the file, not recomputed.
    pub already_present: usize,
    pub warnings: Vec<String>,
    /// The seams came from an analysis, not from `decompose.toml`.
    pub seams_from_analysis: bool,
}

pub fn trend(opts: &TrendOptions) -> Result<TrendOutcome, TrendError> {
    if opts.every == Some(0) {
        return Err(TrendError::BadEvery);
    }
    let mut outcome = TrendOutcome::default();
    let cfg = match Config::load(&opts.config) {
        Ok(c) => c,
        Err(ConfigError::Missing { .. }) => {
            outcome.seams_from_analysis = true;
            seams_from_analysis(&opts.root, opts.quiet)?
        }
        Err(e) => return Err(e.into()),
    };
    let mut commits: Vec<(String, i64)> = if opts.at.is_empty() {
        let history = git::first_parent_history(&opts.root)?;
        let every = opts
            .every
            .unwrap_or_else(|| history.len().div_ceil(DEFAULT_ROWS).max(1));
        history.into_iter().step_by(every).collect()
    } else {
        opts.at
            .iter()
            .map(|r| git::commit(&opts.root, r))
            .collect::<Result<_, _>>()?
    };
    // The newest N, oldest first in the file. The history is newest first;
    // named revisions go by commit time, ties in the order given.
    if opts.at.is_empty() {
        if let Some(n) = opts.limit {
            commits.truncate(n);
        }
        commits.reverse();
    } else {
        if let Some(n) = opts.limit {
            let mut newest: Vec<usize> = (0..commits.len()).collect();
            newest.sort_by_key(|&i| std::cmp::Reverse(commits[i].1));
            newest.truncate(n);
            newest.sort_unstable();
            commits = newest.into_iter().map(|i| commits[i].clone()).collect();
        }
        commits.sort_by_key(|c| c.1);
    }
    // Only a missing file is an empty trend: an unreadable one must not be
    // replaced by the new rows alone.
    let existing_text = match std::fs::read_to_string(&opts.output) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => {
            return Err(TrendError::ReadTrend {
                path: opts.output.clone(),
                source,
            })
        }
    };
    let (existing, warnings) = parse_rows(&opts.output, &existing_text);
    outcome.warnings.extend(warnings);
    let present: BTreeSet<&str> = existing.iter().map(|r| r.commit.as_str()).collect();
    let mut seen = BTreeSet::new();
    let mut blobs = Blobs::open(&opts.root)?;
    let mut cache = RowCache::default();
    for (id, time) in commits {
        if present.contains(id.as_str()) {
            outcome.already_present += 1;
            continue;
        }
        if !seen.insert(id.clone()) {
            continue;
        }
        let row = row_at(
            &opts.root,
            &cfg,
            &mut blobs,
            &mut cache,
            &id,
            time,
            &mut outcome.warnings,
        )?;
        outcome.added.push(row);
    }
    if !outcome.added.is_empty() {
        let mut text = existing_text;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        for r in &outcome.added {
            text.push_str(&serde_json::to_string(r).expect("a trend row serialises"));
            text.push('\n');
        }
        write::write_atomic(&opts.output, text.as_bytes())?;
    }
    Ok(outcome)
}

/// Parsed files of the previous row, keyed by (path, blob id): a file
/// unchanged between two sampled commits is parsed once. Keyed by path too
/// because a frontend may read the path (module names).
pub type FactsCache = HashMap<(String, String), ParsedFile>;

/// The facts of the previous row's data files (mappers, schemas,
/// changelogs), keyed by (path, blob id) like [`FactsCache`]; `None`: the
/// file states nothing.
pub type DataCache = HashMap<(String, String), Option<FileData>>;

/// What one row keeps for the next: parsed source files and data files.
#[derive(Default)]
pub struct RowCache {
    pub facts: FactsCache,
    pub data: DataCache,
}

/// The seam metrics of one commit, from its tree and blobs.
pub fn row_at(
    root: &Path,
    cfg: &Config,
    blobs: &mut Blobs,
    cache: &mut RowCache,
    commit: &str,
    time: i64,
    warnings: &mut Vec<String>,
) -> Result<TrendRow, TrendError> {
    let tree = git::tree(root, commit)?;
    let entries: Vec<discover::TreeEntry> = tree.iter().map(|(e, _)| e.clone()).collect();
    let mut found = discover::discover_entries(
        &entries,
        &DiscoverOptions {
            languages: cfg.languages(),
            excludes: cfg.analysis.exclude.clone(),
        },
    )?;
    found.files.retain(|f| f.language.supported());
    let object: HashMap<&str, &str> = tree
        .iter()
        .map(|(e, id)| (e.id.as_str(), id.as_str()))
        .collect();
    // Reuse what is cached, read the rest (one cat-file process, in order),
    // then parse the new blobs in parallel.
    let mut slots: Vec<Option<ParsedFile>> = Vec::with_capacity(found.files.len());
    let mut to_parse: Vec<(usize, Vec<u8>)> = Vec::new();
    for (i, f) in found.files.iter().enumerate() {
        let key = (f.id.clone(), object[f.id.as_str()].to_string());
        if let Some(p) = cache.facts.get(&key) {
            slots.push(Some(ParsedFile {
                id: p.id.clone(),
                language: p.language,
                test: p.test,
                facts: p.facts.clone(),
            }));
            continue;
        }
        slots.push(None);
        match blobs.read(&key.1)? {
            Some(b) => to_parse.push((i, b)),
            None => warnings.push(format!(
                "{}: {}: object missing from the store; left out",
                &commit[..commit.len().min(12)],
                f.id
            )),
        }
    }
    let parsed: Vec<(usize, Result<ParsedFile, String>)> = to_parse
        .into_par_iter()
        .map(|(i, bytes)| (i, analyze::parse_bytes(&found.files[i], bytes)))
        .collect();
    for (i, r) in parsed {
        match r {
            Ok(p) => slots[i] = Some(p),
            Err(reason) => warnings.push(format!(
                "{}: {}: skipped: {reason}",
                &commit[..commit.len().min(12)],
                found.files[i].id
            )),
        }
    }
    let files: Vec<ParsedFile> = slots.into_iter().flatten().collect();
    cache.facts.clear();
    for p in &files {
        cache.facts.insert(
            (p.id.clone(), object[p.id.as_str()].to_string()),
            ParsedFile {
                id: p.id.clone(),
                language: p.language,
                test: p.test,
                facts: p.facts.clone(),
            },
        );
    }
    // The Cargo manifests of this commit, from its tree (as on disk).
    let mut cargo_manifests = Vec::new();
    let dirs = discover::manifest_dirs(&found.files);
    let wanted: HashMap<String, String> = dirs
        .iter()
        .map(|d| {
            let id = if d.is_empty() {
                "Cargo.toml".to_string()
            } else {
                format!("{d}/Cargo.toml")
            };
            (id, d.clone())
        })
        .collect();
    let mut manifests_in_tree: Vec<(&String, &discover::TreeEntry, &String)> = tree
        .iter()
        .filter_map(|(e, oid)| wanted.get(&e.id).map(|d| (d, e, oid)))
        .collect();
    manifests_in_tree.sort_by(|a, b| a.0.cmp(b.0));
    for (dir, entry, oid) in manifests_in_tree {
        if entry.symlink || entry.bytes > discover::MAX_MANIFEST_BYTES {
            continue;
        }
        if let Some(bytes) = blobs.read(oid)? {
            cargo_manifests.push((dir.clone(), String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    // The data files of this commit (as `analyze` reads them on disk):
    // their table accesses become `data` edges.
    let mut data = Vec::new();
    let mut data_seen = DataCache::new();
    for f in found.data_files.iter().filter(|f| !f.test) {
        let Some(&oid) = object.get(f.id.as_str()) else {
            continue;
        };
        let key = (f.id.clone(), oid.to_string());
        let facts = match cache.data.get(&key) {
            Some(d) => d.clone(),
            None => match blobs.read(oid)? {
                Some(bytes) => analyze::data_of(&f.id, &bytes),
                None => {
                    warnings.push(format!(
                        "{}: {}: object missing from the store; left out",
                        &commit[..commit.len().min(12)],
                        f.id
                    ));
                    continue;
                }
            },
        };
        data.extend(facts.iter().cloned());
        data_seen.insert(key, facts);
    }
    cache.data = data_seen;
    let structure = analyze::structure_of(
        files,
        Vec::new(),
        &crate::resolve::ResolveOptions {
            python_roots: Vec::new(),
            cargo_manifests,
            // Project files at past commits are not read: C# files there
            // resolve against every project.
            dotnet_projects: Vec::new(),
            // Likewise Node manifests: TS/JS files at past commits resolve
            // relative specifiers and workspace-free imports only.
            node_manifests: Vec::new(),
        },
        &data,
    );
    let measured = measure::measure(cfg, &structure);
    Ok(TrendRow::new(commit.to_string(), time, &measured.metrics))
}

/// Seams from an analysis of the working tree: one per service, plus the
/// shared kernel, each listing its files.
fn seams_from_analysis(root: &Path, quiet: bool) -> Result<Config, TrendError> {
    let acfg = AnalyzeConfig {
        weights: config::weights_in(root)?.unwrap_or_else(SignalWeights::default),
        ..AnalyzeConfig::defaults(root)
    };
    let a = analyze::analyze(&acfg, Progress::new(quiet))?;
    let mut seams: Vec<Seam> = a
        .report
        .services
        .iter()
        .map(|s| Seam {
            name: s.id.clone(),
            paths: s.members.iter().map(|m| glob_escape(m)).collect(),
            owner: None,
            kernel: false,
            may_depend_on: None,
            forbidden: Vec::new(),
        })
        .collect();
    if !a.report.shared_kernel.is_empty() {
        seams.push(Seam {
            name: "kernel".into(),
            paths: a
                .report
                .shared_kernel
                .iter()
                .map(|m| glob_escape(m))
                .collect(),
            owner: None,
            kernel: true,
            may_depend_on: None,
            forbidden: Vec::new(),
        });
    }
    Ok(Config::from_seams(
        &root.join(config::CONFIG_FILE),
        config::Analysis::default(),
        seams,
    ))
}

/// A file path as a glob matching exactly it: glob metacharacters in
/// brackets, a backslash escaped (`!` is special only at the start of a
/// class, so it stays as is).
pub fn glob_escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '*' | '?' | '[' | ']' | '{' | '}' => {
                out.push('[');
                out.push(c);
                out.push(']');
            }
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out
}

/// Parses `decompose-trend.jsonl` text: one row per non-empty line; a line
/// that is not a row becomes a warning naming the file and line.
pub fn parse_rows(path: &Path, text: &str) -> (Vec<TrendRow>, Vec<String>) {
    let mut rows = Vec::new();
    let mut warnings = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<TrendRow>(line) {
            Ok(r) => rows.push(r),
            Err(e) => warnings.push(format!(
                "{}:{}: not a trend row, left out: {e}",
                path.display(),
                i + 1
            )),
        }
    }
    (rows, warnings)
}

/// Adds the rows of `<root>/decompose-trend.jsonl` (and any warning about
/// them, after the analysis' own) to a finished report. The binary calls it
/// after `analyze::analyze`, so the orchestrator never reads a CI file.
pub fn attach_rows(report: &mut crate::report::Report, root: &Path) {
    let (trend, warnings) = read_rows(root);
    report.trend = trend;
    report.warnings.extend(warnings);
}

/// The rows of `<root>/decompose-trend.jsonl` for the report, oldest first
/// (stable for equal times), one per commit; empty without the file.
pub fn read_rows(root: &Path) -> (Vec<TrendRow>, Vec<String>) {
    let path = root.join(crate::ci::TREND_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Vec::new(), Vec::new()),
        Err(e) => {
            return (
                Vec::new(),
                vec![format!("cannot read {}: {e}", path.display())],
            )
        }
    };
    let (mut rows, warnings) = parse_rows(&path, &text);
    let mut seen = BTreeSet::new();
    rows.retain(|r| seen.insert(r.commit.clone()));
    rows.sort_by_key(|r| r.time);
    (rows, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_trend_lines_are_named_and_skipped() {
        let text = "{\"commit\":\"a\",\"time\":5,\"units\":1,\"assigned_units\":1,\"lines\":3,\"dependencies\":0,\"cross_seam_dependencies\":0,\"cross_seam_references\":0,\"modularity\":0.0,\"icp\":0.0}\n\nnot json\n";
        let (rows, warnings) = parse_rows(Path::new("t.jsonl"), text);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].time, 5);
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].starts_with("t.jsonl:3: not a trend row"),
            "{}",
            warnings[0]
        );
    }

    #[test]
    fn escapes_glob_characters() {
        assert_eq!(glob_escape("a/b[1]*.java"), "a/b[[]1[]][*].java");
        let g = config::glob(&glob_escape("a/b[1]*.java"))
            .unwrap()
            .compile_matcher();
        assert!(g.is_match("a/b[1]*.java"));
        assert!(!g.is_match("a/b1x.java"));
        for odd in [
            "a/wow!/B.java",
            "a/back\\slash/C.java",
            "a/{x,y}/D.java",
            "a/q?.java",
        ] {
            let g = config::glob(&glob_escape(odd))
                .unwrap_or_else(|e| panic!("{odd}: {e}"))
                .compile_matcher();
            assert!(g.is_match(odd), "{odd}");
            assert!(!g.is_match("a/other/B.java"), "{odd}");
        }
    }
}
