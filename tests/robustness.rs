//! The bad-input matrix (docs/robustness.md): every row runs the binary on
//! a hostile or broken input and asserts the exit code, the message and
//! what was (not) written. Rows already held elsewhere are listed in
//! docs/robustness.md with their test.

mod common;

use std::os::unix::ffi::OsStrExt as _;
use std::path::Path;
use std::process::Command;

use common::*;
use predicates::prelude::*;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@t.test",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn git_out(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A repository with `n` commits, each adding or changing a Java file.
fn repo_with_commits(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    for i in 0..n {
        let f = dir.path().join(format!("src/p/C{}.java", i % 3));
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(
            &f,
            format!("package p;\nclass C{} {{ int v = {i}; }}\n", i % 3),
        )
        .unwrap();
        git(dir.path(), &["add", "-A"]);
        git(dir.path(), &["commit", "-q", "-m", &format!("change {i}")]);
    }
    dir
}

fn skipped_reason<'a>(report: &'a serde_json::Value, path: &str) -> Option<&'a str> {
    report["skipped"]
        .as_array()?
        .iter()
        .find(|s| s["path"] == path)
        .and_then(|s| s["reason"].as_str())
}

fn unit_ids(report: &serde_json::Value) -> Vec<String> {
    report["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn empty_folder_is_exit_2_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    decompose()
        .arg("analyze")
        .arg(dir.path())
        .args(["-o", "-"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains(dir.path().to_str().unwrap())
                .and(predicate::str::contains("no")),
        );
}

#[test]
fn fifo_named_like_source_is_skipped_not_read() {
    // A FIFO would block a reader forever; root can read a chmod 000 file,
    // so this is the unreadable file every user (CI runs as root) can make.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("A.java"),
        "class A { void f() { new B(); } }",
    )
    .unwrap();
    std::fs::write(dir.path().join("B.java"), "class B {}").unwrap();
    let fifo = dir.path().join("Pipe.java");
    let status = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    let (code, _, report) = analyze_capture(dir.path(), true);
    assert_eq!(code, Some(0));
    assert_eq!(unit_ids(&report), ["A.java", "B.java"]);
    assert_eq!(
        skipped_reason(&report, "Pipe.java"),
        Some("not a regular file (FIFO, socket or device)")
    );
}

#[test]
fn unreadable_file_warns_and_the_run_goes_on() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("A.java"), "class A {}").unwrap();
    let locked = dir.path().join("Locked.java");
    std::fs::write(&locked, "class Locked {}").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        // Root reads anything: the FIFO row above covers this user.
        eprintln!("running as root: permissions do not stop reads; see the FIFO row");
        return;
    }
    let (code, stderr, report) = analyze_capture(dir.path(), true);
    assert_eq!(code, Some(0));
    assert_eq!(unit_ids(&report), ["A.java"]);
    assert!(skipped_reason(&report, "Locked.java")
        .unwrap()
        .starts_with("unreadable"));
    assert!(stderr.contains("skipped"), "{stderr}");
}

#[test]
fn binary_file_with_a_java_name_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("A.java"), "class A {}").unwrap();
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..4096u32).map(|i| (i * 7 % 251) as u8));
    std::fs::write(dir.path().join("Image.java"), &bytes).unwrap();
    let (code, _, report) = analyze_capture(dir.path(), true);
    assert_eq!(code, Some(0));
    assert_eq!(unit_ids(&report), ["A.java"]);
    assert_eq!(
        skipped_reason(&report, "Image.java"),
        Some("binary content (NUL bytes) in a source file")
    );
}

#[test]
fn non_utf8_source_is_read_with_replacement_and_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    // Latin-1 "é" in a comment and a string.
    std::fs::write(
        dir.path().join("Cafe.java"),
        b"package p;\n// caf\xe9\nclass Cafe { String s = \"caf\xe9\"; Other o = new Other(); }\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("Other.java"),
        "package p;\nclass Other {}\n",
    )
    .unwrap();
    let (code, _, report) = analyze_capture(dir.path(), true);
    assert_eq!(code, Some(0));
    assert_eq!(unit_ids(&report), ["Cafe.java", "Other.java"]);
    let diag = &report["diagnostics"][0];
    assert_eq!(diag["unit"], "Cafe.java");
    assert!(diag["message"]
        .as_str()
        .unwrap()
        .contains("not valid UTF-8"));
    // The facts were still read: the dependency on Other is there.
    assert!(report["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["from"] == "Cafe.java" && d["to"] == "Other.java"));
}

#[test]
fn a_50_mb_generated_file_is_skipped_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("A.java"), "class A {}").unwrap();
    let mut big = String::from("class Generated {\n");
    let line =
        "    static final int[] TABLE_0000 = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};\n";
    while big.len() < 50 * 1024 * 1024 {
        big.push_str(line);
    }
    big.push_str("}\n");
    std::fs::write(dir.path().join("Generated.java"), &big).unwrap();
    let (code, stderr, report) = analyze_capture(dir.path(), true);
    assert_eq!(code, Some(0));
    assert_eq!(unit_ids(&report), ["A.java"]);
    let reason = skipped_reason(&report, "Generated.java").unwrap();
    assert!(reason.contains("over the 2097152 byte limit"), "{reason}");
    assert!(stderr.contains("1 file(s) skipped"), "{stderr}");
}

#[test]
fn deeply_nested_expression_does_not_overflow_the_stack() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 20_000;
    let src = format!(
        "class Deep {{ int f(int x) {{ return {}x{}; }} Object g() {{ return {}new Object(){}; }} }}\n",
        "(".repeat(depth),
        ")".repeat(depth),
        "id(".repeat(depth / 4),
        ")".repeat(depth / 4)
    );
    std::fs::write(dir.path().join("Deep.java"), src).unwrap();
    std::fs::write(dir.path().join("B.java"), "class B { Deep d; }").unwrap();
    // Rust: syn parses by recursion, so such a file goes to the line scan
    // (this one aborted the whole run before; found by fuzzing).
    std::fs::write(
        dir.path().join("deep.rs"),
        format!(
            "mod m;\nfn f() {{ let x = {}1{}; }}\n",
            "(".repeat(depth),
            ")".repeat(depth)
        ),
    )
    .unwrap();
    // Python: tree-sitter again, expressions read to a bounded depth.
    std::fs::write(
        dir.path().join("deep.py"),
        format!("x = {}1{}\n", "(".repeat(depth), ")".repeat(depth)),
    )
    .unwrap();
    let (code, _, report) = analyze_capture(dir.path(), true);
    assert_eq!(code, Some(0));
    assert_eq!(
        unit_ids(&report),
        ["B.java", "Deep.java", "deep.py", "deep.rs"]
    );
    let rust_diag = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["unit"] == "deep.rs")
        .expect("a diagnostic for deep.rs");
    assert!(rust_diag["message"]
        .as_str()
        .unwrap()
        .starts_with("brackets nest 20001 deep (over 200)"));
}

#[test]
fn a_file_name_cannot_forge_a_line_in_warnings() {
    // In GitHub Actions a stderr line starting with `::` is a command.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("A.java"), "class A {}").unwrap();
    let name = "x\n::error file=forged::owned.java";
    std::fs::write(dir.path().join(name), "class {").unwrap();
    let (code, stderr, report) = analyze_capture(dir.path(), true);
    assert_eq!(code, Some(0));
    assert!(unit_ids(&report).contains(&name.to_string()));
    assert!(
        stderr.contains("x\\n::error file=forged::owned.java"),
        "{stderr}"
    );
    assert!(!stderr.lines().any(|l| l.starts_with("::")), "{stderr}");
}

#[test]
fn odd_file_names_are_units_with_their_names() {
    let dir = tempfile::tempdir().unwrap();
    let names: [&[u8]; 4] = [
        b"with space.java",
        b"quote\"d'.java",
        b"new\nline.java",
        b"latin\xe9.java",
    ];
    for n in names {
        let p = dir.path().join(std::ffi::OsStr::from_bytes(n));
        std::fs::write(p, "class X {}").unwrap();
    }
    let (code, _, report) = analyze_capture(dir.path(), true);
    assert_eq!(code, Some(0));
    let mut ids = unit_ids(&report);
    ids.sort();
    assert_eq!(
        ids,
        [
            "latin\u{FFFD}.java",
            "new\nline.java",
            "quote\"d'.java",
            "with space.java"
        ]
    );
    // The HTML and markdown of the same run carry them escaped.
    let out = tempfile::tempdir().unwrap();
    decompose()
        .arg("analyze")
        .arg(dir.path())
        .arg("-o")
        .arg(out.path())
        .args(["--format", "json,html,markdown", "-q"])
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .assert()
        .success();
    let html = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(!html.contains("quote\"d'.java"), "raw quote in the HTML");
}

#[test]
fn detached_head_reads_the_history_up_to_head() {
    let repo = repo_with_commits(6);
    let third = git_out(repo.path(), &["rev-parse", "HEAD~3"]);
    git(repo.path(), &["checkout", "-q", "--detach", &third]);
    let (code, _, report) = analyze_capture(repo.path(), true);
    assert_eq!(code, Some(0));
    assert_eq!(report["repo"]["head"], third.as_str());
    assert_eq!(report["summary"]["commits_analyzed"], 3);
}

#[test]
fn shallow_clone_warns_and_reads_what_is_there() {
    let repo = repo_with_commits(6);
    let parent = tempfile::tempdir().unwrap();
    let clone = parent.path().join("shallow");
    let url = format!("file://{}", repo.path().display());
    let status = Command::new("git")
        .args(["clone", "-q", "--depth", "2", &url])
        .arg(&clone)
        .status()
        .unwrap();
    assert!(status.success());
    let (code, stderr, report) = analyze_capture(&clone, true);
    assert_eq!(code, Some(0));
    assert_eq!(report["history"]["shallow"], true);
    // Of the two commits the clone holds, the boundary one has no parent to
    // diff against and is left out (docs/history.md).
    assert_eq!(report["summary"]["commits_analyzed"], 1);
    assert!(stderr.contains("shallow"), "{stderr}");
}

#[test]
fn empty_repository_analyses_without_history() {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    std::fs::write(dir.path().join("A.java"), "class A {}").unwrap();
    let (code, stderr, report) = analyze_capture(dir.path(), true);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(unit_ids(&report), ["A.java"]);
    assert_eq!(report["summary"]["commits_analyzed"], 0);
    assert!(report["history"].is_null());
    assert_eq!(report["warnings"].as_array().unwrap().len(), 1, "{stderr}");
}

#[test]
fn objects_missing_from_the_store_degrade_with_a_warning() {
    let repo = repo_with_commits(6);
    // Delete the loose blob of the first version of C0.java.
    let first = git_out(repo.path(), &["rev-list", "--max-parents=0", "HEAD"]);
    let blob = git_out(
        repo.path(),
        &["rev-parse", &format!("{first}:src/p/C0.java")],
    );
    let object = repo
        .path()
        .join(".git/objects")
        .join(&blob[..2])
        .join(&blob[2..]);
    std::fs::remove_file(object).unwrap();
    let (code, stderr, report) = analyze_capture(repo.path(), true);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(report["summary"]["commits_analyzed"], 6);
    assert!(
        report["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("could not be read completely")),
        "{stderr}"
    );
}

#[test]
fn unwritable_output_is_exit_2_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("A.java"), "class A {}").unwrap();
    // A file where the output folder's parent should be: no user, root
    // included, can create a folder inside a regular file.
    let blocker = tempfile::tempdir().unwrap();
    let file = blocker.path().join("not-a-folder");
    std::fs::write(&file, "keep me").unwrap();
    decompose()
        .arg("analyze")
        .arg(dir.path())
        .arg("-o")
        .arg(file.join("out"))
        .arg("-q")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not-a-folder"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    let left: Vec<_> = std::fs::read_dir(blocker.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "only the blocking file remains");
}

#[test]
fn an_existing_report_is_replaced_whole_never_half_written() {
    // The writer renames a finished temp file over the old one: after a run
    // the folder holds exactly the outputs, no temp files.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("A.java"), "class A {}").unwrap();
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("report.json"), "old").unwrap();
    for _ in 0..2 {
        decompose()
            .arg("analyze")
            .arg(dir.path())
            .arg("-o")
            .arg(out.path())
            .args(["-q", "--no-history"])
            .assert()
            .success();
    }
    let mut names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["index.html", "report.json"]);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(json["summary"]["units"], 1);
}
