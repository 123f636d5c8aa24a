//! Command-line definitions (clap) and their validation into settings.
//!
//! The command line is a contract (DESIGN.md, "Command line"): flags are
//! added, never renamed.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::analyze::AnalyzeConfig;
use crate::lang::Language;

#[derive(Debug, Parser)]
#[command(
    name = "decompose",
    version,
    about = "Find the seams in a monolith and plan its extraction into services"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse a repository and write the seam report.
    Analyze(AnalyzeArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
}

impl Format {
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Json => "report.json",
        }
    }
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Root folder of the repository to analyse.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output folder; `-` prints the (single) requested format to stdout.
    #[arg(short = 'o', long = "output", default_value = "decompose-report")]
    pub output: String,
    /// Outputs to write (comma-separated).
    #[arg(long, value_enum, value_delimiter = ',', default_value = "json")]
    pub format: Vec<Format>,
    /// Languages to analyse (comma-separated): java, python, rust.
    #[arg(
        long = "lang",
        value_delimiter = ',',
        default_value = "java,python,rust"
    )]
    pub languages: Vec<String>,
    /// Leave out files matching this glob (gitignore syntax, repeatable).
    #[arg(long = "exclude", value_name = "GLOB")]
    pub excludes: Vec<String>,
    /// Cluster test code together with production code.
    #[arg(long)]
    pub include_tests: bool,
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
    #[error("unknown language {0:?} (known: java, python, rust)")]
    UnknownLanguage(String),
    #[error("`-o -` prints one format to stdout; choose one with --format")]
    StdoutNeedsOneFormat,
}

impl AnalyzeArgs {
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
        if self.output == "-" && self.format.len() != 1 {
            return Err(UsageError::StdoutNeedsOneFormat);
        }
        Ok(AnalyzeConfig {
            root: self.path.clone(),
            languages,
            excludes: self.excludes.clone(),
            include_tests: self.include_tests,
            seed: self.seed,
            deterministic: self.deterministic,
        })
    }
}
