//! MoJoFM of a decompose report against an expert decomposition.
//!
//! ```text
//! cargo run --release --example mojofm -- REPORT.json EXPECTED.tsv [--strip-prefix P]
//! ```
//!
//! Prints MoJoFM (Wen & Tzerpos 2004, see docs/clustering.md, "Seam
//! quality: how it is measured") of decompose's services (each kernel unit
//! in one cluster `kernel`, each unit without a service alone) and of the
//! package-folder baseline (each unit's parent folder), over the objects of
//! EXPECTED that are production units of the report. `--strip-prefix P`
//! removes P from the report's unit ids before they are matched.
//! Exit 2 on bad arguments or input.

#[path = "../tests/common/mojofm.rs"]
mod mojofm;

#[path = "../tests/common/decomposition.rs"]
mod decomposition;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: mojofm REPORT.json EXPECTED.tsv [--strip-prefix P]";

struct Args {
    report: PathBuf,
    expected: PathBuf,
    strip_prefix: String,
}

fn parse_args() -> Result<Args, String> {
    let mut positional = Vec::new();
    let mut strip_prefix = String::new();
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--strip-prefix" => {
                strip_prefix = it
                    .next()
                    .ok_or_else(|| format!("--strip-prefix needs a value\n{USAGE}"))?
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            s if s.starts_with("--") => return Err(format!("unknown option {s}\n{USAGE}")),
            _ => positional.push(PathBuf::from(a)),
        }
    }
    let [report, expected]: [PathBuf; 2] = positional
        .try_into()
        .map_err(|_| format!("expected two paths\n{USAGE}"))?;
    Ok(Args {
        report,
        expected,
        strip_prefix,
    })
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let text = std::fs::read(&args.report)
        .map_err(|e| format!("{}: cannot read: {e}", args.report.display()))?;
    let report: serde_json::Value = serde_json::from_slice(&text).map_err(|e| {
        format!(
            "{}:{}: not a JSON report: {e}",
            args.report.display(),
            e.line()
        )
    })?;
    let expected = mojofm::read_expected(&args.expected)?;
    let s = decomposition::score(&report, &expected, &args.strip_prefix)
        .map_err(|e| format!("{}: {e}", args.report.display()))?;
    println!(
        "objects {}  expected clusters {}  report units not in expected {}  expected not in report {}",
        s.n,
        s.n_expected_clusters,
        s.report_only.len(),
        s.expected_only.len()
    );
    println!(
        "decompose {:.1} ({} clusters)  package-baseline {:.1} ({} clusters)",
        s.decompose, s.n_decompose_clusters, s.baseline, s.n_baseline_clusters
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mojofm: {e}");
            ExitCode::from(2)
        }
    }
}
