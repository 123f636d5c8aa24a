//! The benchmark generator (examples/gen_monolith.rs) plants domains that
//! decompose must find: a small Java monolith of 4 domains comes back as
//! exactly 4 services named after them, with a kernel of `common` units.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::*;

fn generator() -> PathBuf {
    // `cargo test` builds examples beside the test binaries; `cargo test
    // --test generator` does not, so build it then.
    let exe = std::env::current_exe().unwrap();
    let path = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples/gen_monolith");
    if !path.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--example", "gen_monolith"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .unwrap();
        assert!(status.success());
    }
    path
}

#[test]
fn generated_java_monolith_has_its_planted_domains() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("mono");
    let out = Command::new(generator())
        .arg(&dir)
        .args([
            "--lines",
            "6000",
            "--domains",
            "4",
            "--commits",
            "300",
            "--seed",
            "7",
        ])
        .output()
        .expect("the generator runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again = parent.path().join("again");
    let status = Command::new(generator())
        .arg(&again)
        .args([
            "--lines",
            "6000",
            "--domains",
            "4",
            "--commits",
            "300",
            "--seed",
            "7",
        ])
        .output()
        .unwrap();
    assert!(status.status.success());
    let head = |d: &std::path::Path| {
        String::from_utf8(
            Command::new("git")
                .args(["rev-parse", "HEAD"])
                .current_dir(d)
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap()
    };
    assert_eq!(head(&dir), head(&again), "same seed, same commits");

    let report = analyze_json(&dir, &[]);
    // 300 generated commits after the initial import.
    assert_eq!(report["summary"]["commits_analyzed"], 301);
    let mut names: Vec<&str> = report["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["billing", "catalog", "customer", "order"]);
    for s in report["services"].as_array().unwrap() {
        let name = s["name"].as_str().unwrap();
        for m in s["members"].as_array().unwrap() {
            let m = m.as_str().unwrap();
            assert!(
                m.starts_with(&format!("src/main/java/com/gen/{name}/")),
                "{m} in {name}"
            );
        }
    }
    let kernel = report["shared_kernel"].as_array().unwrap();
    assert!(!kernel.is_empty());
    assert!(kernel.iter().all(|k| k
        .as_str()
        .unwrap()
        .starts_with("src/main/java/com/gen/common/")));
    assert_eq!(report["summary"]["resolution"]["call_rate"], 1.0);
}
