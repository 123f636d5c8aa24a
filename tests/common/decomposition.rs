//! The two decompositions of a report.json that are scored against an
//! expert one: decompose's services, and the package-folder baseline.
//!
//! Shared by tests/seam_quality.rs and examples/mojofm.rs (both include it
//! with `#[path]`, next to mojofm.rs).

#![allow(dead_code)]

use std::collections::BTreeSet;

use super::mojofm::{self, Partition};

/// The cluster of every shared-kernel unit.
pub const KERNEL: &str = "kernel";

/// A production unit of the report: (id with `strip_prefix` removed,
/// service, in the kernel). Test units and generated code (migrations) are
/// not production units.
struct Unit {
    id: String,
    service: Option<String>,
    kernel: bool,
}

fn production_units(report: &serde_json::Value, strip_prefix: &str) -> Vec<Unit> {
    let kernel: BTreeSet<&str> = report["shared_kernel"]
        .as_array()
        .map(|k| k.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    report["units"]
        .as_array()
        .map(|units| units.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|u| u["test"] != true && u["role"] != "generated")
        .filter_map(|u| {
            let raw = u["id"].as_str()?;
            Some(Unit {
                id: raw.strip_prefix(strip_prefix).unwrap_or(raw).to_string(),
                service: u["service"].as_str().map(str::to_string),
                kernel: kernel.contains(raw) || u["role"] == "kernel",
            })
        })
        .collect()
}

/// decompose's decomposition: each unit in its service, every kernel unit
/// in one cluster `kernel`, and each unit without a service alone.
pub fn proposed(report: &serde_json::Value, strip_prefix: &str) -> Partition {
    production_units(report, strip_prefix)
        .into_iter()
        .map(|u| {
            let cluster = match (&u.service, u.kernel) {
                (Some(s), _) => format!("service:{s}"),
                (None, true) => KERNEL.to_string(),
                (None, false) => format!("alone:{}", u.id),
            };
            (u.id, cluster)
        })
        .collect()
}

/// The package-folder baseline: each unit's parent folder is its cluster.
pub fn package_baseline(report: &serde_json::Value, strip_prefix: &str) -> Partition {
    production_units(report, strip_prefix)
        .into_iter()
        .map(|u| {
            let folder = u.id.rsplit_once('/').map_or("", |(dir, _)| dir).to_string();
            (u.id, format!("folder:{folder}"))
        })
        .collect()
}

/// The scores of one report against one expert decomposition.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// Objects scored: the expected ones found among the report's units.
    pub n: usize,
    pub decompose: f64,
    pub baseline: f64,
    /// Production units of the report that the expected file does not list.
    pub report_only: Vec<String>,
    /// Expected objects that are not production units of the report.
    pub expected_only: Vec<String>,
    /// Number of clusters of each side over the scored objects.
    pub n_expected_clusters: usize,
    pub n_decompose_clusters: usize,
    pub n_baseline_clusters: usize,
}

/// Restricts `p` to the objects in `keep`.
fn restrict(p: &Partition, keep: &BTreeSet<&String>) -> Partition {
    p.iter()
        .filter(|(k, _)| keep.contains(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn n_clusters(p: &Partition) -> usize {
    p.values().collect::<BTreeSet<_>>().len()
}

/// MoJoFM of decompose and of the package baseline against `expected`, over
/// the objects that both the report and `expected` hold.
pub fn score(
    report: &serde_json::Value,
    expected: &Partition,
    strip_prefix: &str,
) -> Result<Scores, String> {
    let ours = proposed(report, strip_prefix);
    let folders = package_baseline(report, strip_prefix);
    let common: BTreeSet<&String> = expected.keys().filter(|k| ours.contains_key(*k)).collect();
    if common.is_empty() {
        return Err("no expected object is a production unit of the report".to_string());
    }
    let report_only = ours
        .keys()
        .filter(|k| !expected.contains_key(*k))
        .cloned()
        .collect();
    let expected_only = expected
        .keys()
        .filter(|k| !ours.contains_key(*k))
        .cloned()
        .collect();
    let b = restrict(expected, &common);
    let a = restrict(&ours, &common);
    let base = restrict(&folders, &common);
    Ok(Scores {
        n: common.len(),
        decompose: mojofm::mojofm(&a, &b)?,
        baseline: mojofm::mojofm(&base, &b)?,
        report_only,
        expected_only,
        n_expected_clusters: n_clusters(&b),
        n_decompose_clusters: n_clusters(&a),
        n_baseline_clusters: n_clusters(&base),
    })
}
