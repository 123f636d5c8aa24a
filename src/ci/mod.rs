//! CI: freeze the chosen seams, ratchet coupling across them, track it over
//! time (docs/ci.md).
//!
//! - [`config`]: `decompose.toml`, the declared seams and their rules.
//! - [`init`]: writes `decompose.toml` (and the first baseline) from an
//!   analysis.
//! - [`measure`]: units to seams, cross-seam dependencies with their lines,
//!   cross-seam co-change, and the seam metrics.
//! - [`baseline`]: `decompose-baseline.json`, keyed by identity
//!   (from unit, to unit, kind), never by count.
//! - [`check`]: the ratchet and the rules; [`output`] renders its result as
//!   text, JSON, markdown, SARIF 2.1.0 or GitHub workflow annotations.
//! - [`trend`]: the seam metrics at past commits, read from git objects
//!   ([`git`]) without a checkout.
//!
//! Invariant: nothing here changes the analysis; it reads the same
//! structures `analyze` builds and measures them against the declared seams.

pub mod baseline;
pub mod check;
pub mod config;
pub mod git;
pub mod init;
pub mod measure;
pub mod output;
pub mod trend;

/// The baseline file's name in the repository root.
pub const BASELINE_FILE: &str = "decompose-baseline.json";
/// The trend file's name in the repository root.
pub const TREND_FILE: &str = "decompose-trend.jsonl";
