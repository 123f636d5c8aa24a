//! The command line's contract: exit codes, messages, clean stdout.

mod common;

use common::*;
use predicates::prelude::*;

#[test]
fn missing_path_is_exit_2_with_the_path_named() {
    decompose()
        .args([
            "analyze",
            "/definitely/not/here",
            "-o",
            "-",
            "--format",
            "json",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "/definitely/not/here: no such file or directory",
        ));
}

#[test]
fn folder_without_source_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.txt"), "no code here").unwrap();
    decompose()
        .arg("analyze")
        .arg(dir.path())
        .args(["-o", "-"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("source files found"))
        .stderr(predicate::str::contains(".py, .pyi"));
}

#[test]
fn a_file_instead_of_a_folder_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("A.java");
    std::fs::write(&file, "class A {}").unwrap();
    decompose()
        .arg("analyze")
        .arg(&file)
        .args(["-o", "-"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a directory"));
}

#[test]
fn unknown_language_is_a_usage_error() {
    decompose()
        .args(["analyze", ".", "--lang", "cobol", "-o", "-"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown language \"cobol\""));
}

#[test]
fn syntax_errors_give_partial_facts_and_a_warning_naming_the_file() {
    let dir = project(&[
        (
            "src/a/B.java",
            "package a;\npublic class B { public void m() {} }\n",
        ),
        (
            "src/a/Broken.java",
            "package a;\nimport a.B;\npublic class Broken extends B {\n  void m( { new B(); \n}\n",
        ),
    ]);
    let (code, stderr, report) = analyze_capture(dir.path(), false);
    assert_eq!(code, Some(0));
    assert!(
        stderr.contains("src/a/Broken.java:4: syntax error"),
        "stderr: {stderr}"
    );
    assert_eq!(report["summary"]["files_with_errors"], 1);
    assert_eq!(report["diagnostics"][0]["unit"], "src/a/Broken.java");
    let edges = report_edges(&report);
    // What could be read still counts: the import and the supertype.
    for kind in ["import", "inherit"] {
        assert!(edges.contains(&(
            kind.to_string(),
            "src/a/Broken.java".to_string(),
            "src/a/B.java".to_string()
        )));
    }
}

#[test]
fn writes_report_json_into_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("nested/out");
    decompose()
        .arg("analyze")
        .arg(fixture("java-shop"))
        .arg("-o")
        .arg(&out)
        .arg("-q")
        .assert()
        .success()
        .stdout("");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["tool"]["name"], "decompose");
    assert!(report["generated_at"].is_string());
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let mut names = names;
    names.sort();
    assert_eq!(names, vec!["index.html", "report.json"]);
}

#[test]
fn symlinks_are_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("Secret.java"), "class Secret {}").unwrap();
    std::fs::write(dir.path().join("A.java"), "class A {}").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("Secret.java"),
        dir.path().join("Secret.java"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("outside")).unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    let report = analyze_json(dir.path(), &[]);
    let ids: Vec<&str> = report["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["A.java"]);
    assert_eq!(report["skipped"][0]["path"], "Secret.java");
}

#[test]
fn reruns_are_byte_identical_whatever_the_thread_count() {
    let run = |threads: &str| analyze_bytes(&fixture("java-shop"), threads);
    let one = run("1");
    assert!(!one.is_empty());
    assert_eq!(one, run("2"));
    assert_eq!(one, run("1"));
}
