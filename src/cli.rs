//! Command-line definitions (clap) and their validation into settings.
//!
//! The command line is a contract (DESIGN.md, "Command line"): flags are
//! added, never renamed.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::analyze::AnalyzeConfig;
use crate::history::{Grouping, HistoryOptions};
use crate::lang::Language;
use crate::pins::{self, PinSpec};
use crate::signals::SignalWeights;

#[derive(Debug, Parser)]
#[command(
    name = "decompose",
    version,
    about = "Find the seams in a monolith and plan its extraction into services"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Keep the cache of warm runs in DIR instead of the repository's git
    /// directory (`.git/decompose/`).
    #[arg(long, global = true, value_name = "DIR")]
    pub cache: Option<std::path::PathBuf>,
    /// Neither read nor write the cache.
    #[arg(long, global = true, conflicts_with = "cache")]
    pub no_cache: bool,
}

impl Cli {
    /// Where the cache lives for this run.
    pub fn cache_setting(&self) -> crate::cache::Setting {
        match (&self.cache, self.no_cache) {
            (_, true) => crate::cache::Setting::Off,
            (Some(d), false) => crate::cache::Setting::Dir(d.clone()),
            (None, false) => crate::cache::Setting::InGitDir,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse a repository and write the seam report.
    Analyze(AnalyzeArgs),
    /// Analyse a repository and print its service or unit graph as DOT,
    /// Mermaid or GraphML (to stdout unless `-o FILE`).
    Graph(AnalyzeArgs),
    /// Freeze the proposed seams into decompose.toml (and the first baseline).
    Init(InitArgs),
    /// Check the code against decompose.toml and the baseline (exit 0 clean,
    /// 1 violations, 2 usage or input error).
    Check(CheckArgs),
    /// Compute the seam metrics at past commits into decompose-trend.jsonl.
    Trend(TrendArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Root folder of the repository.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Take the services from this report.json, or the seams from this
    /// TOML file (a decompose.toml, or the HTML report's what-if export),
    /// instead of analysing.
    #[arg(long, value_name = "REPORT|TOML")]
    pub from: Option<PathBuf>,
    /// Overwrite an existing decompose.toml and decompose-baseline.json.
    #[arg(long)]
    pub force: bool,
    /// No progress bars.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    Markdown,
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Root folder of the repository.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The seam map (default: PATH/decompose.toml).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The baseline (default: PATH/decompose-baseline.json).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value = "text")]
    pub format: CheckFormat,
    /// Write the baseline shrunk by the dependencies that disappeared.
    #[arg(long)]
    pub update_baseline: bool,
    /// With --update-baseline: also accept the new cross-seam dependencies.
    #[arg(long, requires = "update_baseline")]
    pub accept_new: bool,
    /// Do not mine git history (no co-change check).
    #[arg(long)]
    pub no_history: bool,
    /// No progress bars.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct TrendArgs {
    /// Root folder of the repository.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Every Nth commit of the first-parent history, from HEAD back
    /// (default: N such that at most 100 commits spread over the history).
    #[arg(long, value_name = "N", conflicts_with = "at")]
    pub every: Option<usize>,
    /// Only these revisions (repeatable).
    #[arg(long, value_name = "REV", num_args = 1..)]
    pub at: Vec<String>,
    /// At most this many commits (the newest).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// The seam map (default: PATH/decompose.toml; without it, the services
    /// of an analysis of the working tree).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The trend file to append to (default: PATH/decompose-trend.jsonl).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// No progress bars.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    Html,
    /// The full extraction plan as markdown (plan.md); with a folder
    /// output, plan-comment.md is written beside it.
    Markdown,
    /// The plan as a pull-request comment of at most 64 KB
    /// (plan-comment.md): ranked steps, counts and the first items.
    MarkdownComment,
    /// The gateway routing table as nginx `location` blocks (routes.nginx.conf).
    Nginx,
    /// The gateway routing table as plain YAML (routes.yaml).
    RoutesYaml,
    /// The graph as Graphviz DOT (graph.dot); see --level.
    Dot,
    /// The graph as a Mermaid flowchart (graph.mmd); see --level.
    Mermaid,
    /// The graph as GraphML (graph.graphml); see --level.
    Graphml,
}

impl Format {
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Json => "report.json",
            Format::Html => "index.html",
            Format::Markdown => "plan.md",
            Format::MarkdownComment => "plan-comment.md",
            Format::Nginx => "routes.nginx.conf",
            Format::RoutesYaml => "routes.yaml",
            Format::Dot => "graph.dot",
            Format::Mermaid => "graph.mmd",
            Format::Graphml => "graph.graphml",
        }
    }

    pub fn is_graph(self) -> bool {
        matches!(self, Format::Dot | Format::Mermaid | Format::Graphml)
    }
}

/// Nodes of the exported graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphLevel {
    /// Services and the shared kernel.
    Service,
    /// Units, grouped by service.
    Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupBy {
    Ticket,
    AuthorDay,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Root folder of the repository to analyse.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output folder (analyze; default decompose-report) or file (graph;
    /// default stdout); `-` prints the (single) requested format to stdout.
    #[arg(short = 'o', long = "output")]
    pub output: Option<String>,
    /// Outputs to write (comma-separated; default: json,html, or json with `-o -`).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub format: Option<Vec<Format>>,
    /// Nodes of the dot, mermaid and graphml outputs.
    #[arg(long, value_enum, default_value = "service")]
    pub level: GraphLevel,
    /// Languages to analyse (comma-separated): java, python, rust, csharp,
    /// typescript, javascript.
    #[arg(
        long = "lang",
        value_delimiter = ',',
        default_value = "java,python,rust,csharp,typescript,javascript"
    )]
    pub languages: Vec<String>,
    /// Leave out files matching this glob (gitignore syntax, repeatable).
    #[arg(long = "exclude", value_name = "GLOB")]
    pub excludes: Vec<String>,
    /// Cluster test code together with production code.
    #[arg(long)]
    pub include_tests: bool,
    /// Python source root, relative to PATH (repeatable); replaces the
    /// detected roots (docs/python.md).
    #[arg(long = "python-root", value_name = "DIR")]
    pub python_roots: Vec<String>,
    /// Target number of services (searches the Leiden resolution).
    #[arg(long, value_name = "N")]
    pub services: Option<usize>,
    /// Leiden resolution γ (higher: more, smaller services); default: the
    /// most stable of a grid (docs/clustering.md).
    #[arg(long, value_name = "G")]
    pub resolution: Option<f64>,
    /// Pin the units matching GLOB into a service NAME (repeatable; adds to
    /// the seams of decompose.toml).
    #[arg(long = "pin", value_name = "NAME=GLOB")]
    pub pins: Vec<String>,
    /// The seam file to honour (default: decompose.toml in PATH, if any).
    #[arg(long = "config", value_name = "FILE")]
    pub seam_config: Option<PathBuf>,
    /// Largest number of units one service may hold.
    #[arg(long, value_name = "N")]
    pub max_service_size: Option<usize>,
    /// Signal weights, e.g. `structural=1,cochange=0.6,semantic=0.4,ownership=0.2`.
    #[arg(long, value_name = "LIST")]
    pub weights: Option<String>,
    /// Seeded clustering runs in the consensus.
    #[arg(long, default_value_t = 10)]
    pub runs: usize,
    /// Read no git history (no change frequency, co-change or ownership).
    #[arg(long)]
    pub no_history: bool,
    /// Only commits after this date (any form git accepts).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only the newest N non-merge commits.
    #[arg(long, value_name = "N")]
    pub max_commits: Option<usize>,
    /// Changesets touching more paths (any file, not only analysed ones) are left out of co-change.
    #[arg(long, value_name = "N", default_value_t = crate::history::DEFAULT_MAX_CHANGESET)]
    pub max_changeset: usize,
    /// Count merge commits too (against their first parent).
    #[arg(long)]
    pub include_merges: bool,
    /// Keep bot authors (dependabot, renovate, ...) in ownership.
    #[arg(long)]
    pub include_bots: bool,
    /// Group commits into one logical change for co-change: by ticket id
    /// (see --ticket-pattern) or by author and day.
    #[arg(long, value_enum, value_name = "HOW")]
    pub group_by: Option<GroupBy>,
    /// Regex for ticket ids in commit messages (with --group-by ticket).
    #[arg(
        long,
        value_name = "REGEX",
        default_value = r"\b([A-Z][A-Z0-9]+-[0-9]+)\b"
    )]
    pub ticket_pattern: String,
    /// Seed for the clustering; equal seeds give equal reports.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Leave the timestamp out of report.json, for byte-identical reruns.
    #[arg(long)]
    pub deterministic: bool,
    /// Worker threads (default: one per core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress bars.
    #[arg(short, long)]
    pub quiet: bool,
    /// Print warnings for every skipped or damaged file.
    #[arg(short, long)]
    pub verbose: bool,
}

/// A usage error: exit code 2 with this message.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    #[error("unknown language {0:?} (known: java, python, rust, csharp, typescript, javascript)")]
    UnknownLanguage(String),
    #[error("`-o -` prints one format to stdout; choose one with --format")]
    StdoutNeedsOneFormat,
    #[error("--weights: {0}")]
    BadWeights(String),
    #[error("--pin {0:?}: expected NAME=GLOB with a valid path glob")]
    BadPin(String),
    #[error("--resolution must be a finite number > 0, got {0}")]
    BadResolution(f64),
    #[error("--services must be at least 1")]
    BadServices,
    #[error("decompose graph writes dot, mermaid or graphml, not {0:?}")]
    NotAGraphFormat(String),
    #[error("decompose graph writes one format at a time")]
    OneGraphFormat,
    #[error("--python-root {0:?}: {1}")]
    BadPythonRoot(String, &'static str),
}

/// Parses `structural=1,cochange=0.6,...` over the defaults.
pub fn parse_weights(text: &str) -> Result<SignalWeights, UsageError> {
    let mut w = SignalWeights::default();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = part
            .split_once('=')
            .ok_or_else(|| UsageError::BadWeights(format!("expected name=value, got {part:?}")))?;
        let v: f64 = v
            .trim()
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| {
                UsageError::BadWeights(format!("{part:?}: the value must be a number >= 0"))
            })?;
        match k.trim() {
            "structural" => w.structural = v,
            "cochange" => w.cochange = v,
            "semantic" => w.semantic = v,
            "ownership" => w.ownership = v,
            "namespace" => w.namespace = v,
            other => {
                return Err(UsageError::BadWeights(format!(
                    "unknown signal {other:?} (known: structural, cochange, semantic, ownership, namespace)"
                )))
            }
        }
    }
    Ok(w)
}

impl AnalyzeArgs {
    /// The outputs to write: as given, else JSON on stdout (`-o -`) or
    /// JSON and HTML in a folder.
    pub fn formats(&self) -> Vec<Format> {
        match &self.format {
            Some(f) => f.clone(),
            None if self.output() == "-" => vec![Format::Json],
            None => vec![Format::Json, Format::Html],
        }
    }

    /// The output folder of `analyze` (`-` for stdout).
    pub fn output(&self) -> &str {
        self.output.as_deref().unwrap_or("decompose-report")
    }

    /// `decompose graph`: the graph formats (default dot) and where to
    /// write the single output (`-`: stdout).
    pub fn graph_output(&self) -> Result<(Format, &str), UsageError> {
        let formats = self.format.clone().unwrap_or_else(|| vec![Format::Dot]);
        if let Some(f) = formats.iter().find(|f| !f.is_graph()) {
            return Err(UsageError::NotAGraphFormat(
                f.to_possible_value()
                    .map_or_else(String::new, |v| v.get_name().to_string()),
            ));
        }
        if formats.len() != 1 {
            return Err(UsageError::OneGraphFormat);
        }
        Ok((formats[0], self.output.as_deref().unwrap_or("-")))
    }

    pub fn config(&self) -> Result<AnalyzeConfig, UsageError> {
        let mut languages = Vec::new();
        for name in &self.languages {
            let l = Language::from_name(name.trim())
                .ok_or_else(|| UsageError::UnknownLanguage(name.clone()))?;
            if !languages.contains(&l) {
                languages.push(l);
            }
        }
        languages.sort();
        if self.output() == "-" && self.formats().len() != 1 {
            return Err(UsageError::StdoutNeedsOneFormat);
        }
        if let Some(r) = self.resolution.filter(|r| !(r.is_finite() && *r > 0.0)) {
            return Err(UsageError::BadResolution(r));
        }
        let mut pins: Vec<PinSpec> = Vec::new();
        for p in &self.pins {
            let pin = pins::parse_flag(p).ok_or_else(|| UsageError::BadPin(p.clone()))?;
            pins::merge(&mut pins, pin);
        }
        if self.services == Some(0) {
            return Err(UsageError::BadServices);
        }
        let mut python_roots = Vec::new();
        for r in &self.python_roots {
            let norm = r.trim_start_matches("./").trim_end_matches('/');
            let norm = if norm == "." { "" } else { norm };
            if norm.starts_with('/') || norm.split('/').any(|c| c == "..") {
                return Err(UsageError::BadPythonRoot(
                    r.clone(),
                    "must be a folder inside the analysed root",
                ));
            }
            if !self.path.join(norm).is_dir() {
                return Err(UsageError::BadPythonRoot(
                    r.clone(),
                    "no such folder under PATH",
                ));
            }
            python_roots.push(norm.to_string());
        }
        let weights = match &self.weights {
            Some(w) => parse_weights(w)?,
            None => SignalWeights::default(),
        };
        Ok(AnalyzeConfig {
            root: self.path.clone(),
            languages,
            excludes: self.excludes.clone(),
            include_tests: self.include_tests,
            python_roots,
            seed: self.seed,
            deterministic: self.deterministic,
            weights,
            services: self.services,
            resolution: self.resolution,
            pins,
            keep_apart: Vec::new(),
            config_warnings: Vec::new(),
            max_service_size: self.max_service_size,
            runs: self.runs.max(1),
            history: (!self.no_history).then(|| HistoryOptions {
                since: self.since.clone(),
                max_commits: self.max_commits,
                include_merges: self.include_merges,
                max_changeset: self.max_changeset.max(2),
                grouping: match self.group_by {
                    None => Grouping::None,
                    Some(GroupBy::Ticket) => Grouping::Ticket(self.ticket_pattern.clone()),
                    Some(GroupBy::AuthorDay) => Grouping::AuthorDay,
                },
                include_bots: self.include_bots,
                jobs: None,
            }),
        })
    }
}
