//! `decompose.toml`: the seams a team has chosen, with their rules, the
//! signal weights and the thresholds of `check` (docs/ci.md).
//!
//! Parsed with the `toml` crate; every error names the file and the line.
//! Units are assigned to seams by path globs (globset, `*` stays inside a
//! folder, `**` crosses folders); the first seam in file order that matches
//! a unit gets it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::signals::SignalWeights;

/// The config file's name in the repository root.
pub const CONFIG_FILE: &str = "decompose.toml";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: not found; run `decompose init` to write it")]
    Missing { path: PathBuf },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    version: Option<u32>,
    #[serde(default)]
    analysis: Analysis,
    #[serde(default)]
    weights: Option<RawWeights>,
    #[serde(default)]
    thresholds: Thresholds,
    #[serde(default, rename = "seam")]
    seams: Vec<RawSeam>,
    /// Seam names or path globs that `analyze` keeps in different services.
    #[serde(default)]
    keep_apart: Vec<Spanned<Vec<String>>>,
}

/// What `check` and `trend` analyse.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Analysis {
    #[serde(default = "default_languages")]
    pub languages: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Test code is assigned to seams and checked too.
    #[serde(default)]
    pub include_tests: bool,
}

fn default_languages() -> Vec<String> {
    vec!["java".into(), "python".into(), "rust".into()]
}

impl Default for Analysis {
    fn default() -> Self {
        Analysis {
            languages: default_languages(),
            exclude: Vec::new(),
            include_tests: false,
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWeights {
    structural: Option<f64>,
    cochange: Option<f64>,
    semantic: Option<f64>,
    ownership: Option<f64>,
    namespace: Option<f64>,
}

/// The thresholds of `check` (docs/ci.md, docs/metrics.md "CI").
#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// `check` fails when the cross-seam co-change share rises more than
    /// this (absolute, 0..1) above the baseline's.
    #[serde(default = "default_cochange_rise")]
    pub cochange_rise: f64,
    /// Newest commits mined for co-change; 0 turns co-change off.
    #[serde(default = "default_history_commits")]
    pub history_commits: usize,
    /// Commits touching more files are left out of co-change.
    #[serde(default = "default_max_changeset")]
    pub max_changeset: usize,
}

fn default_cochange_rise() -> f64 {
    0.05
}
fn default_history_commits() -> usize {
    1000
}
fn default_max_changeset() -> usize {
    crate::history::DEFAULT_MAX_CHANGESET
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            cochange_rise: default_cochange_rise(),
            history_commits: default_history_commits(),
            max_changeset: default_max_changeset(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeam {
    name: Spanned<String>,
    paths: Spanned<Vec<String>>,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    kernel: bool,
    #[serde(default)]
    may_depend_on: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    forbidden: Vec<Spanned<String>>,
}

/// One declared seam.
#[derive(Debug, Clone, PartialEq)]
pub struct Seam {
    pub name: String,
    pub paths: Vec<String>,
    pub owner: Option<String>,
    /// A shared kernel: every seam may depend on it.
    pub kernel: bool,
    /// `None`: no restriction beyond the baseline.
    pub may_depend_on: Option<Vec<String>>,
    pub forbidden: Vec<String>,
}

/// A validated `decompose.toml`.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from (for messages and SARIF locations).
    pub path: PathBuf,
    pub analysis: Analysis,
    pub weights: Option<SignalWeights>,
    pub thresholds: Thresholds,
    pub seams: Vec<Seam>,
    /// 1-based line of each seam's name, for messages.
    pub seam_lines: Vec<usize>,
    /// `keep_apart` groups: seam names or globs.
    pub keep_apart: Vec<Vec<String>>,
    /// 1-based line of each `keep_apart` group, for messages.
    pub keep_apart_lines: Vec<usize>,
    matchers: Vec<GlobSet>,
}

impl Config {
    /// Reads `path`; a missing file is [`ConfigError::Missing`].
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ConfigError::Missing {
                    path: path.to_path_buf(),
                })
            }
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        Config::parse(path, &text)
    }

    /// Parses and validates the text of a config file named `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let invalid = |offset: usize, message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            line: line_of(text, offset),
            message,
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            let message: Vec<&str> = e.message().lines().map(str::trim).collect();
            invalid(offset, message.join("; "))
        })?;
        if let Some(v) = raw.version {
            if v != 1 {
                return Err(invalid(
                    text.find("version").unwrap_or(0),
                    format!("version {v} is not supported (this decompose reads version 1)"),
                ));
            }
        }
        let weights = raw.weights.map(|w| {
            let d = SignalWeights::default();
            SignalWeights {
                structural: w.structural.unwrap_or(d.structural),
                cochange: w.cochange.unwrap_or(d.cochange),
                semantic: w.semantic.unwrap_or(d.semantic),
                ownership: w.ownership.unwrap_or(d.ownership),
                namespace: w.namespace.unwrap_or(d.namespace),
            }
        });
        if let Some(w) = &weights {
            for (k, v) in [
                ("structural", w.structural),
                ("cochange", w.cochange),
                ("semantic", w.semantic),
                ("ownership", w.ownership),
                ("namespace", w.namespace),
            ] {
                if !(v.is_finite() && v >= 0.0) {
                    return Err(invalid(
                        text.find(&format!("{k} =")).unwrap_or(0),
                        format!("weights.{k} must be a number >= 0, got {v}"),
                    ));
                }
            }
        }
        let t = raw.thresholds;
        if !(t.cochange_rise.is_finite() && (0.0..=1.0).contains(&t.cochange_rise)) {
            return Err(invalid(
                text.find("cochange_rise").unwrap_or(0),
                format!(
                    "thresholds.cochange_rise must be between 0 and 1, got {}",
                    t.cochange_rise
                ),
            ));
        }
        let mut names: BTreeSet<&str> = BTreeSet::new();
        for s in &raw.seams {
            if s.name.get_ref().trim().is_empty() {
                return Err(invalid(s.name.span().start, "a seam needs a name".into()));
            }
            if !names.insert(s.name.get_ref()) {
                return Err(invalid(
                    s.name.span().start,
                    format!("seam {:?} is declared twice", s.name.get_ref()),
                ));
            }
        }
        let mut seams = Vec::new();
        let mut matchers = Vec::new();
        for s in &raw.seams {
            for r in s.may_depend_on.iter().flatten().chain(&s.forbidden) {
                if !names.contains(r.get_ref().as_str()) {
                    return Err(invalid(
                        r.span().start,
                        format!(
                            "seam {:?}: rule names an unknown seam {:?} (known: {})",
                            s.name.get_ref(),
                            r.get_ref(),
                            names.iter().copied().collect::<Vec<_>>().join(", ")
                        ),
                    ));
                }
            }
            if s.paths.get_ref().is_empty() {
                return Err(invalid(
                    s.paths.span().start,
                    format!("seam {:?} has no paths", s.name.get_ref()),
                ));
            }
            let mut set = GlobSetBuilder::new();
            for p in s.paths.get_ref() {
                set.add(glob(p).map_err(|e| {
                    invalid(
                        s.paths.span().start,
                        format!("seam {:?}: bad glob {p:?}: {e}", s.name.get_ref()),
                    )
                })?);
            }
            matchers.push(set.build().map_err(|e| {
                invalid(
                    s.paths.span().start,
                    format!("seam {:?}: {e}", s.name.get_ref()),
                )
            })?);
            seams.push(Seam {
                name: s.name.get_ref().clone(),
                paths: s.paths.get_ref().clone(),
                owner: s.owner.clone(),
                kernel: s.kernel,
                may_depend_on: s
                    .may_depend_on
                    .as_ref()
                    .map(|v| v.iter().map(|x| x.get_ref().clone()).collect()),
                forbidden: s.forbidden.iter().map(|x| x.get_ref().clone()).collect(),
            });
        }
        let mut keep_apart = Vec::new();
        let mut keep_apart_lines = Vec::new();
        for k in &raw.keep_apart {
            if k.get_ref().len() < 2 {
                return Err(invalid(
                    k.span().start,
                    "keep_apart: each entry names two or more seams or globs".into(),
                ));
            }
            for side in k.get_ref() {
                if !names.contains(side.as_str()) {
                    glob(side).map_err(|e| {
                        invalid(
                            k.span().start,
                            format!("keep_apart: {side:?} is neither a seam nor a glob: {e}"),
                        )
                    })?;
                }
            }
            keep_apart.push(k.get_ref().clone());
            keep_apart_lines.push(line_of(text, k.span().start));
        }
        let seam_lines = raw
            .seams
            .iter()
            .map(|s| line_of(text, s.name.span().start))
            .collect();
        for lang in &raw.analysis.languages {
            if crate::lang::Language::from_name(lang).is_none() {
                return Err(invalid(
                    text.find("languages").unwrap_or(0),
                    format!("unknown language {lang:?} (known: java, python, rust, csharp, typescript, javascript)"),
                ));
            }
        }
        Ok(Config {
            path: path.to_path_buf(),
            analysis: raw.analysis,
            weights,
            thresholds: t,
            seams,
            seam_lines,
            keep_apart,
            keep_apart_lines,
            matchers,
        })
    }

    /// As [`Config::parse`], but an unknown key is a warning (naming the
    /// file and line) and is left out, as `analyze` reads the file; every
    /// other problem is still an error.
    pub fn parse_lenient(path: &Path, text: &str) -> Result<(Config, Vec<String>), ConfigError> {
        let mut text = text.to_string();
        let mut warnings = Vec::new();
        // Each round blanks one unknown key's line; a file has few.
        for _ in 0..64 {
            match Config::parse(path, &text) {
                Err(ConfigError::Invalid { line, message, .. })
                    if message.starts_with("unknown field") =>
                {
                    let key = message.split('`').nth(1).unwrap_or("?").to_string();
                    warnings.push(format!(
                        "{}:{line}: unknown key `{key}` ignored",
                        path.display()
                    ));
                    let mut lines: Vec<&str> = text.split('\n').collect();
                    match lines.get_mut(line - 1) {
                        Some(l) if l.trim_start().starts_with(&key) => *l = "",
                        _ => return Config::parse(path, &text).map(|c| (c, warnings)),
                    }
                    text = lines.join("\n");
                }
                other => return other.map(|c| (c, warnings)),
            }
        }
        Config::parse(path, &text).map(|c| (c, warnings))
    }

    /// Builds a config in memory (`trend` without a `decompose.toml`).
    pub fn from_seams(path: &Path, analysis: Analysis, seams: Vec<Seam>) -> Config {
        let matchers = seams
            .iter()
            .map(|s| {
                let mut b = GlobSetBuilder::new();
                for p in &s.paths {
                    if let Ok(g) = glob(p) {
                        b.add(g);
                    }
                }
                b.build().unwrap_or_else(|_| GlobSet::empty())
            })
            .collect();
        Config {
            path: path.to_path_buf(),
            analysis,
            weights: None,
            thresholds: Thresholds::default(),
            seam_lines: vec![0; seams.len()],
            seams,
            keep_apart: Vec::new(),
            keep_apart_lines: Vec::new(),
            matchers,
        }
    }

    /// Index of the first seam whose globs match the unit id.
    pub fn seam_of(&self, unit: &str) -> Option<usize> {
        self.matchers.iter().position(|m| m.is_match(unit))
    }

    /// The languages to analyse, as the pipeline's type.
    pub fn languages(&self) -> Vec<crate::lang::Language> {
        let mut l: Vec<crate::lang::Language> = self
            .analysis
            .languages
            .iter()
            .filter_map(|n| crate::lang::Language::from_name(n))
            .collect();
        l.sort();
        l.dedup();
        l
    }
}

/// A path glob: `*` and `?` stay inside one folder, `**` crosses folders.
pub fn glob(pattern: &str) -> Result<Glob, globset::Error> {
    crate::discover::path_glob(pattern)
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The weights of `<root>/decompose.toml`, when the file exists and sets
/// them (`analyze` uses them unless `--weights` is given).
pub fn weights_in(root: &Path) -> Result<Option<SignalWeights>, ConfigError> {
    let path = root.join(CONFIG_FILE);
    if !path.is_file() {
        // No file, or a root that is not a folder (analyze reports that).
        return Ok(None);
    }
    match Config::load(&path) {
        Ok(c) => Ok(c.weights),
        Err(ConfigError::Missing { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("decompose.toml"), text)
    }

    #[test]
    fn syntax_error_names_file_and_line() {
        let e = parse("version = 1\n\n[[seam]]\nname = \"a\"\npaths = x/**\nowner = \"b\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("decompose.toml:5: "), "{e}");
        assert!(!e.contains('\n'), "{e}");
    }

    #[test]
    fn unknown_rule_target_names_its_line() {
        let e = parse(
            "[[seam]]\nname = \"a\"\npaths = [\"a/**\"]\n\n[[seam]]\nname = \"b\"\npaths = [\"b/**\"]\nforbidden = [\"c\"]\n",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            e,
            "decompose.toml:8: seam \"b\": rule names an unknown seam \"c\" (known: a, b)"
        );
    }

    #[test]
    fn unknown_key_is_an_error_with_its_line() {
        let e = parse("[[seam]]\nname = \"a\"\npath = [\"a/**\"]\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("decompose.toml:3: unknown field `path`"),
            "{e}"
        );
    }

    #[test]
    fn analyze_reads_unknown_keys_as_warnings_and_keep_apart() {
        let (c, w) = Config::parse_lenient(
            Path::new("decompose.toml"),
            "keep_apart = [[\"a\", \"src/b/**\"]]\n\n[[seam]]\nname = \"a\"\npathz = 1\npaths = [\"src/a/**\"]\n",
        )
        .unwrap();
        assert_eq!(w, vec!["decompose.toml:5: unknown key `pathz` ignored"]);
        assert_eq!(c.seams[0].paths, vec!["src/a/**"]);
        assert_eq!(c.seam_lines, vec![4]);
        assert_eq!(
            c.keep_apart,
            vec![vec!["a".to_string(), "src/b/**".to_string()]]
        );
        let e = parse("keep_apart = [[\"a\"]]\n").unwrap_err().to_string();
        assert_eq!(
            e,
            "decompose.toml:1: keep_apart: each entry names two or more seams or globs"
        );
    }

    #[test]
    fn first_matching_seam_wins_and_star_stays_in_its_folder() {
        let c = parse(
            "[[seam]]\nname = \"a\"\npaths = [\"src/a/*\", \"src/x/One.java\"]\n\n[[seam]]\nname = \"b\"\npaths = [\"src/**\"]\n",
        )
        .unwrap();
        assert_eq!(c.seam_of("src/a/A.java"), Some(0));
        assert_eq!(c.seam_of("src/a/sub/B.java"), Some(1));
        assert_eq!(c.seam_of("src/x/One.java"), Some(0));
        assert_eq!(c.seam_of("lib/C.java"), None);
    }
}
