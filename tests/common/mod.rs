//! Helpers shared by the integration tests: run the real binary, read the
//! fixtures' expected data.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("fixtures").join(name)
}

pub fn decompose() -> Command {
    Command::cargo_bin("decompose").expect("the binary is built for integration tests")
}

/// Runs `decompose analyze PATH --format json -o - --deterministic` plus
/// `extra`, and returns the parsed report.
pub fn analyze_json(path: &Path, extra: &[&str]) -> serde_json::Value {
    let out = decompose()
        .arg("analyze")
        .arg(path)
        .args(["--format", "json", "-o", "-", "--deterministic", "-q"])
        .args(extra)
        .output()
        .expect("decompose runs");
    assert!(
        out.status.success(),
        "decompose failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is exactly one JSON document")
}

/// An edge as (kind, from, to).
pub type Edge = (String, String, String);

/// Reads an expected-edges file: `kind<TAB>from<TAB>to`, `#` comments.
pub fn expected_edges(path: &Path) -> BTreeSet<Edge> {
    std::fs::read_to_string(path)
        .expect("expected-edges file")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut p = l.split('\t');
            let mut next = || p.next().expect("three tab-separated fields").to_string();
            (next(), next(), next())
        })
        .collect()
}

pub fn report_edges(report: &serde_json::Value) -> BTreeSet<Edge> {
    report["dependencies"]
        .as_array()
        .expect("dependencies array")
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().expect("string field").to_string();
            (s("kind"), s("from"), s("to"))
        })
        .collect()
}

/// (precision, recall) of the `kind` edges in `got` against `expected`.
pub fn precision_recall(got: &BTreeSet<Edge>, expected: &BTreeSet<Edge>, kind: &str) -> (f64, f64) {
    let g: BTreeSet<&Edge> = got.iter().filter(|e| e.0 == kind).collect();
    let x: BTreeSet<&Edge> = expected.iter().filter(|e| e.0 == kind).collect();
    let tp = g.intersection(&x).count() as f64;
    (tp / g.len().max(1) as f64, tp / x.len().max(1) as f64)
}
