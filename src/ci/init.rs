//! `decompose init`: freeze the proposed seams into `decompose.toml` and
//! record the first baseline, so that `check` passes on the code as it is.
//!
//! Each service becomes a seam whose paths are the fewest folder globs
//! covering exactly its units (`dir/**` for a folder holding only its
//! units, `dir/*` for a folder whose direct files are all its own), then
//! explicit files for the rest. The shared kernel becomes a seam marked
//! `kernel = true`. Rules start as the dependencies that exist today.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::analyze::{self, AnalyzeConfig};
use crate::ci::baseline::Baseline;
use crate::ci::check::{self, CheckError};
use crate::ci::config::{self, Config, ConfigError, Seam, Thresholds};
use crate::ci::git;
use crate::ci::trend::glob_escape;
use crate::progress::Progress;
use crate::report::write;
use crate::signals::SignalWeights;

#[derive(Debug, Clone)]
pub struct InitOptions {
    pub root: PathBuf,
    /// Seams from this report.json, or the `[[seam]]` tables of this
    /// TOML file (a `decompose.toml`, or the what-if export of the HTML
    /// report), instead of a new analysis.
    pub from: Option<PathBuf>,
    pub force: bool,
    pub quiet: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{0}: already exists; pass --force to overwrite it")]
    Exists(PathBuf),
    #[error("{path}: {message}")]
    BadReport { path: PathBuf, message: String },
    #[error("{root}: the analysis found no services to freeze as seams")]
    NoServices { root: PathBuf },
    #[error(transparent)]
    Analyze(#[from] analyze::AnalyzeError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Check(#[from] CheckError),
    #[error(transparent)]
    Write(#[from] write::WriteError),
}

#[derive(Debug, Clone)]
pub struct InitOutcome {
    pub config: PathBuf,
    pub baseline: PathBuf,
    pub seams: usize,
    pub baseline_entries: usize,
}

/// What `init` needs from an analysis or a report.
struct Proposal {
    /// Every unit id analysed (tests included), to keep globs exact.
    units: Vec<String>,
    /// (name, members, owner, words, package)
    services: Vec<(String, Vec<String>, Option<String>, String)>,
    kernel: Vec<String>,
    languages: Vec<String>,
    excludes: Vec<String>,
    include_tests: bool,
    weights: SignalWeights,
    /// Seams given as they are (`--from FILE.toml`): their paths are kept
    /// instead of covering members.
    given: Option<Vec<Seam>>,
}

pub fn init(opts: &InitOptions) -> Result<InitOutcome, InitError> {
    let config_path = opts.root.join(config::CONFIG_FILE);
    let baseline_path = opts.root.join(crate::ci::BASELINE_FILE);
    if !opts.force {
        for p in [&config_path, &baseline_path] {
            if p.exists() {
                return Err(InitError::Exists(p.clone()));
            }
        }
    }
    let proposal = match &opts.from {
        Some(path) if is_toml(path) => from_seams_file(path)?,
        Some(path) => from_report(path)?,
        None => from_analysis(&opts.root, opts.quiet)?,
    };
    if proposal.services.is_empty() {
        return Err(InitError::NoServices {
            root: opts.root.clone(),
        });
    }
    let mut proposal = proposal;
    // Owners from history; a repository without it simply has none.
    // Seams given as they are keep the owners they name.
    let commits = match proposal.given {
        None => git::commit_authors(&opts.root).ok(),
        Some(_) => None,
    };
    if let Some(commits) = commits {
        let owners = owners(
            &proposal
                .services
                .iter()
                .map(|s| s.1.clone())
                .collect::<Vec<_>>(),
            &commits,
        );
        for (s, o) in proposal.services.iter_mut().zip(owners) {
            s.2 = o;
        }
    }

    // Seams without rules first: measuring them gives today's dependencies.
    let mut seams: Vec<Seam> = if let Some(given) = &proposal.given {
        given
            .iter()
            .map(|s| Seam {
                may_depend_on: None,
                ..s.clone()
            })
            .collect()
    } else {
        covered_seams(&proposal)
    };
    let analysis = config::Analysis {
        languages: proposal.languages.clone(),
        exclude: proposal.excludes.clone(),
        include_tests: proposal.include_tests,
    };
    let draft = Config::from_seams(&config_path, analysis.clone(), seams.clone());
    let (_s, measured, cochange, _w) = check::analyse(&opts.root, &draft, true, opts.quiet)?;
    let mut depends: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for d in measured.cross.iter().filter(|d| !d.into_kernel) {
        depends
            .entry(d.from_seam.as_str())
            .or_default()
            .insert(d.to_seam.clone());
    }
    for s in seams.iter_mut().filter(|s| !s.kernel) {
        s.may_depend_on = Some(
            depends
                .get(s.name.as_str())
                .map(|d| d.iter().cloned().collect())
                .unwrap_or_default(),
        );
    }
    let text = render(&proposal, &seams, &analysis, &measured.unassigned);
    // The written file must read back as the seams just measured.
    let cfg = Config::parse(&config_path, &text)?;
    debug_assert_eq!(cfg.seams, seams);
    let keys = check::current_keys(&measured);
    let n_keys = keys.len();
    write::write_atomic(&config_path, text.as_bytes())?;
    if let Err(e) = write::write_atomic(
        &baseline_path,
        &Baseline::new(keys, cochange.share).to_bytes(),
    ) {
        // Both files or neither: a config without its baseline would make
        // the next `init` refuse to run without --force.
        let _ = std::fs::remove_file(&config_path);
        return Err(e.into());
    }
    Ok(InitOutcome {
        config: config_path,
        baseline: baseline_path,
        seams: seams.len(),
        baseline_entries: n_keys,
    })
}

/// One seam per proposed service, its paths covering exactly its members,
/// and the shared kernel as a `kernel = true` seam.
fn covered_seams(proposal: &Proposal) -> Vec<Seam> {
    let mut seams: Vec<Seam> = proposal
        .services
        .iter()
        .map(|(name, members, owner, _)| Seam {
            name: name.clone(),
            paths: cover(members, &proposal.units),
            owner: owner.clone(),
            kernel: false,
            may_depend_on: None,
            forbidden: Vec::new(),
        })
        .collect();
    if !proposal.kernel.is_empty() {
        let mut name = "kernel".to_string();
        while seams.iter().any(|s| s.name == name) {
            name.push('_');
        }
        seams.push(Seam {
            name,
            paths: cover(&proposal.kernel, &proposal.units),
            owner: None,
            kernel: true,
            may_depend_on: None,
            forbidden: Vec::new(),
        });
    }
    seams
}

/// A `--from` file holding TOML seams rather than a report.json: by its
/// extension, or by not starting like a JSON object.
fn is_toml(path: &Path) -> bool {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
    {
        return true;
    }
    std::fs::read(path).is_ok_and(|b| b.iter().find(|c| !c.is_ascii_whitespace()) != Some(&b'{'))
}

/// The seams of a TOML file (`decompose.toml`, or the HTML report's
/// what-if export), taken as they are.
fn from_seams_file(path: &Path) -> Result<Proposal, InitError> {
    let cfg = Config::load(path)?;
    let from = format!("seam from {}", path.display());
    Ok(Proposal {
        units: Vec::new(),
        services: cfg
            .seams
            .iter()
            .filter(|s| !s.kernel)
            .map(|s| (s.name.clone(), Vec::new(), s.owner.clone(), from.clone()))
            .collect(),
        kernel: Vec::new(),
        languages: cfg.analysis.languages.clone(),
        excludes: cfg.analysis.exclude.clone(),
        include_tests: cfg.analysis.include_tests,
        weights: cfg.weights.unwrap_or_default(),
        given: Some(cfg.seams),
    })
}

fn from_analysis(root: &Path, quiet: bool) -> Result<Proposal, InitError> {
    let weights = config::weights_in(root)?.unwrap_or_default();
    let cfg = AnalyzeConfig {
        weights,
        ..AnalyzeConfig::defaults(root)
    };
    let a = analyze::analyze(&cfg, Progress::new(quiet))?;
    Ok(Proposal {
        units: a.report.units.iter().map(|u| u.id.clone()).collect(),
        services: a
            .report
            .services
            .iter()
            .map(|s| {
                (
                    s.id.clone(),
                    s.members.clone(),
                    None,
                    describe(s.members.len(), s.lines, &s.package, &s.words),
                )
            })
            .collect(),
        kernel: a.report.shared_kernel.clone(),
        languages: a.report.settings.languages.clone(),
        excludes: a.report.settings.excludes.clone(),
        include_tests: a.report.settings.include_tests,
        weights,
        given: None,
    })
}

fn describe(units: usize, lines: u64, package: &str, words: &[String]) -> String {
    let mut d = format!("{units} units, {lines} code lines");
    if !package.is_empty() {
        let _ = write!(d, "; package {package}");
    }
    if !words.is_empty() {
        let _ = write!(d, "; words: {}", words.join(", "));
    }
    d
}

fn from_report(path: &Path) -> Result<Proposal, InitError> {
    let bad = |message: String| InitError::BadReport {
        path: path.to_path_buf(),
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| bad(format!("cannot read: {e}")))?;
    let r: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| bad(format!("line {}: not JSON: {e}", e.line())))?;
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let units = r["units"]
        .as_array()
        .ok_or_else(|| bad("no \"units\" array; is this a decompose report.json?".into()))?
        .iter()
        .filter_map(|u| u["id"].as_str().map(str::to_string))
        .collect();
    let services = r["services"]
        .as_array()
        .ok_or_else(|| bad("no \"services\" array; is this a decompose report.json?".into()))?
        .iter()
        .map(|s| {
            let members = strings(&s["members"]);
            let d = describe(
                members.len(),
                s["lines"].as_u64().unwrap_or(0),
                s["package"].as_str().unwrap_or(""),
                &strings(&s["words"]),
            );
            Ok((
                s["id"]
                    .as_str()
                    .ok_or_else(|| bad("a service without an \"id\"".into()))?
                    .to_string(),
                members,
                None,
                d,
            ))
        })
        .collect::<Result<_, InitError>>()?;
    let mut languages = strings(&r["settings"]["languages"]);
    if languages.is_empty() {
        languages = config::Analysis::default().languages;
    }
    Ok(Proposal {
        units,
        services,
        kernel: strings(&r["shared_kernel"]),
        languages,
        excludes: strings(&r["settings"]["excludes"]),
        include_tests: r["settings"]["include_tests"].as_bool().unwrap_or(false),
        weights: SignalWeights::default(),
        given: None,
    })
}

/// The owner of each group of units: the author of the most commits that
/// touch any of its units (a commit counts once per group); ties go to the
/// name that sorts first; `None` when no commit touches the group.
pub fn owners(groups: &[Vec<String>], commits: &[(String, Vec<String>)]) -> Vec<Option<String>> {
    let mut group_of: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (g, members) in groups.iter().enumerate() {
        for m in members {
            group_of.entry(m.as_str()).or_default().push(g);
        }
    }
    let mut counts: Vec<BTreeMap<&str, u32>> = vec![BTreeMap::new(); groups.len()];
    for (author, files) in commits {
        let touched: BTreeSet<usize> = files
            .iter()
            .filter_map(|f| group_of.get(f.as_str()))
            .flatten()
            .copied()
            .collect();
        for g in touched {
            *counts[g].entry(author.as_str()).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .map(|c| {
            c.into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
                .map(|(name, _)| name.to_string())
        })
        .collect()
}

/// The fewest globs that match exactly `members` among `all` unit ids:
/// `dir/**` for each topmost folder whose units are all members, then
/// `dir/*` for a folder whose direct units (two or more) are all members,
/// then the remaining files one by one. Sorted.
pub fn cover(members: &[String], all: &[String]) -> Vec<String> {
    let member: BTreeSet<&str> = members.iter().map(String::as_str).collect();
    // Per folder: (all units below, member units below), and the same for
    // direct children only.
    let mut below: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut direct: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for id in all {
        let is_member = member.contains(id.as_str()) as usize;
        let mut first = true;
        let mut end = id.len();
        while let Some(slash) = id[..end].rfind('/') {
            let dir = &id[..slash];
            let e = below.entry(dir).or_default();
            e.0 += 1;
            e.1 += is_member;
            if first {
                let e = direct.entry(dir).or_default();
                e.0 += 1;
                e.1 += is_member;
                first = false;
            }
            end = slash;
        }
    }
    let pure = |m: &BTreeMap<&str, (usize, usize)>, d: &str| m.get(d).is_some_and(|&(a, b)| a == b);
    let mut globs = BTreeSet::new();
    for id in &member {
        if !all.iter().any(|a| a == id) {
            continue;
        }
        // The topmost pure ancestor folder.
        let mut top: Option<&str> = None;
        let mut end = id.len();
        while let Some(slash) = id[..end].rfind('/') {
            let dir = &id[..slash];
            if pure(&below, dir) {
                top = Some(dir);
            } else {
                break;
            }
            end = slash;
        }
        let glob = match top {
            Some(dir) => format!("{}/**", glob_escape(dir)),
            None => match id.rfind('/') {
                Some(slash) if pure(&direct, &id[..slash]) && direct[&id[..slash]].0 >= 2 => {
                    format!("{}/*", glob_escape(&id[..slash]))
                }
                _ => glob_escape(id),
            },
        };
        globs.insert(glob);
    }
    globs.into_iter().collect()
}

/// A TOML basic string.
fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        return "[]".into();
    }
    let inner: Vec<String> = items.iter().map(|s| format!("  {},", q(s))).collect();
    format!("[\n{}\n]", inner.join("\n"))
}

/// One comment line per line of `text` (strings from the repository cannot
/// end the comment and inject TOML).
fn comment(text: &str) -> String {
    text.lines()
        .map(|l| format!("# {}\n", l.replace(|c: char| c.is_control(), " ")))
        .collect()
}

fn render(
    p: &Proposal,
    seams: &[Seam],
    analysis: &config::Analysis,
    unassigned: &[String],
) -> String {
    let t = Thresholds::default();
    let w = p.weights;
    let mut s = String::new();
    s.push_str(
        "# decompose.toml: the seams this repository has chosen to keep.\n\
         #\n\
         # Written by `decompose init` from the proposed services; edit it freely\n\
         # (rename seams, move paths, tighten rules). `decompose check` reads it on\n\
         # every change and fails when coupling across a seam grows: a new\n\
         # dependency from one seam into another (not in decompose-baseline.json),\n\
         # a broken rule, or more co-change across seams. See docs/ci.md.\n\
         #\n\
         # A unit belongs to the first seam (in this file's order) whose `paths`\n\
         # match its repository-relative path. In globs `*` stays inside a\n\
         # folder and `**` crosses folders. A unit matching no seam is reported\n\
         # as unassigned.\n\nversion = 1\n\n",
    );
    s.push_str("# What check and trend analyse.\n[analysis]\n");
    let _ = writeln!(
        s,
        "languages = [{}]",
        analysis
            .languages
            .iter()
            .map(|l| q(l))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(s, "exclude = {}", list(&analysis.exclude));
    let _ = writeln!(s, "# Assign and check test code too.");
    let _ = writeln!(s, "include_tests = {}\n", analysis.include_tests);
    s.push_str(
        "# Weights of the clustering signals (`decompose analyze` uses them unless\n\
         # --weights is given): structural dependencies, co-change, identifier\n\
         # similarity, shared authors, folder proximity. docs/metrics.md.\n[weights]\n",
    );
    let _ = writeln!(
        s,
        "structural = {:?}\ncochange = {:?}\nsemantic = {:?}\nownership = {:?}\nnamespace = {:?}\n",
        w.structural, w.cochange, w.semantic, w.ownership, w.namespace
    );
    s.push_str(
        "[thresholds]\n\
         # check fails when the share of co-change weight across seams rises more\n\
         # than this (absolute, 0..1) above the share in the baseline.\n",
    );
    let _ = writeln!(s, "cochange_rise = {:?}", t.cochange_rise);
    s.push_str("# Newest commits mined for co-change (0: co-change off).\n");
    let _ = writeln!(s, "history_commits = {}", t.history_commits);
    s.push_str("# Commits touching more files are left out of co-change.\n");
    let _ = writeln!(s, "max_changeset = {}\n", t.max_changeset);
    s.push_str(
        "# Seams. `may_depend_on` lists the seams this one may depend on (written\n\
         # as the dependencies that exist today; shared kernels are always allowed);\n\
         # `forbidden` lists seams it must never depend on, e.g. forbidden = [\"orders\"].\n\
         # Remove `may_depend_on` to rely on the baseline alone.\n",
    );
    for seam in seams {
        s.push('\n');
        let desc = p
            .services
            .iter()
            .find(|x| x.0 == seam.name)
            .map(|x| x.3.clone());
        if seam.kernel {
            s.push_str(&comment(
                "The shared kernel: units used by most services. Any seam may depend on it;\nit must not depend on them.",
            ));
        } else if let Some(d) = desc {
            s.push_str(&comment(&d));
        }
        s.push_str("[[seam]]\n");
        let _ = writeln!(s, "name = {}", q(&seam.name));
        if seam.kernel {
            s.push_str("kernel = true\n");
        }
        match &seam.owner {
            Some(o) => {
                let _ = writeln!(s, "owner = {}", q(o));
            }
            None => s.push_str("# owner = \"team or person\"\n"),
        }
        let _ = writeln!(s, "paths = {}", list(&seam.paths));
        if let Some(m) = &seam.may_depend_on {
            let _ = writeln!(s, "may_depend_on = {}", list(m));
        }
        let _ = writeln!(s, "forbidden = {}", list(&seam.forbidden));
    }
    if !unassigned.is_empty() {
        s.push('\n');
        s.push_str(&comment(&format!(
            "{} unit(s) match no seam (reported as unassigned by check), e.g.:",
            unassigned.len()
        )));
        for u in unassigned.iter().take(10) {
            s.push_str(&comment(&format!("  {u}")));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::cover;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn owner_is_the_author_of_most_commits_touching_the_group() {
        let commits = vec![
            ("Init".to_string(), v(&["a/1", "a/2", "b/1"])),
            ("Ann".to_string(), v(&["a/1"])),
            ("Ann".to_string(), v(&["a/1", "a/2"])),
            ("Bob".to_string(), v(&["b/1"])),
            ("Cy".to_string(), v(&["b/1"])),
        ];
        let groups = vec![v(&["a/1", "a/2"]), v(&["b/1"]), v(&["c/1"])];
        assert_eq!(
            super::owners(&groups, &commits),
            [Some("Ann".to_string()), Some("Bob".to_string()), None]
        );
    }

    #[test]
    fn covers_with_the_fewest_folder_globs() {
        let all = v(&[
            "s/a/A.java",
            "s/a/web/W.java",
            "s/b/B.java",
            "s/b/C.java",
            "s/b/x/K.java",
            "s/c/One.java",
            "s/c/Two.java",
        ]);
        assert_eq!(
            cover(&v(&["s/a/A.java", "s/a/web/W.java"]), &all),
            ["s/a/**"]
        );
        assert_eq!(cover(&v(&["s/b/B.java", "s/b/C.java"]), &all), ["s/b/*"]);
        assert_eq!(
            cover(&v(&["s/b/x/K.java", "s/c/One.java"]), &all),
            ["s/b/x/**", "s/c/One.java"]
        );
    }
}
