//! A git store with missing blobs gives the same report at every thread
//! count (issue 19). The history is read by several `git log` processes;
//! after 16 unreadable commits within a window of 256, the rest of that
//! window is read tree-only. These tests make a 601-commit repository,
//! remove the blobs of one file and compare the reports byte for byte.

mod common;

use common::decompose;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

fn git(dir: &Path, args: &[&str], input: Option<&[u8]>) -> String {
    let mut child = Command::new("git")
        .args(["-c", "init.defaultBranch=main", "-c", "core.autocrlf=false"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("git runs");
    let mut stdin = child.stdin.take().unwrap();
    if let Some(bytes) = input {
        stdin.write_all(bytes).unwrap();
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Ten Python modules in two packages and `shop/legacy/ledger.py`; an
/// initial import, then 600 commits that each append a line to two
/// modules. Commits 400..=430 (in the newest window of 256) and 100 and
/// 200 change `ledger.py` as one of their two. Returns the repository,
/// checked out, with every object loose.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"], None);
    let mut files: Vec<(String, String)> = Vec::new();
    for k in 0..5 {
        files.push((
            format!("shop/orders/order{k}.py"),
            format!(
                "from shop.billing.invoice{k} import bill_{k}\n\n\ndef order_{k}(x):\n    return bill_{k}(x) + {k}\n"
            ),
        ));
        files.push((
            format!("shop/billing/invoice{k}.py"),
            format!("def bill_{k}(x):\n    return x * {k}\n"),
        ));
    }
    files.push((
        "shop/legacy/ledger.py".into(),
        "from shop.billing.invoice0 import bill_0\n\n\ndef post(x):\n    return bill_0(x)\n".into(),
    ));
    let mut stream = Vec::new();
    let mut commit = |i: usize, changed: &[usize], files: &[(String, String)]| {
        let msg = format!("change {i}\n");
        write!(
            stream,
            "commit refs/heads/main\ncommitter Alice <alice@shop.test> {} +0000\ndata {}\n{msg}",
            1_704_067_200 + i * 3600,
            msg.len()
        )
        .unwrap();
        for &f in changed {
            let (path, text) = &files[f];
            write!(
                stream,
                "M 100644 inline {path}\ndata {}\n{text}\n",
                text.len()
            )
            .unwrap();
        }
        stream.push(b'\n');
    };
    let all: Vec<usize> = (0..files.len()).collect();
    commit(0, &all, &files);
    for i in 1..=600usize {
        let a = i % 10;
        let b = if (400..=430).contains(&i) || i == 100 || i == 200 {
            10
        } else {
            (i / 10 + 3) % 10
        };
        let changed: Vec<usize> = if a == b { vec![a] } else { vec![a, b] };
        for &f in &changed {
            files[f].1.push_str(&format!("# change {i}\n"));
        }
        commit(i, &changed, &files);
    }
    git(dir.path(), &["fast-import", "--quiet"], Some(&stream));
    git(dir.path(), &["reset", "-q", "--hard", "main"], None);
    let pack_dir = dir.path().join(".git/objects/pack");
    for e in std::fs::read_dir(&pack_dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "pack") {
            let bytes = std::fs::read(&p).unwrap();
            std::fs::remove_file(&p).unwrap();
            std::fs::remove_file(p.with_extension("idx")).unwrap();
            git(dir.path(), &["unpack-objects", "-q"], Some(&bytes));
        }
    }
    dir
}

/// The report of `analyze ROOT --threads N`, without a cache (`decompose()`
/// passes `--no-cache`: a cache written by the healthy run would hide the
/// damage).
fn report(root: &Path, threads: &str) -> Vec<u8> {
    let out = decompose()
        .arg("analyze")
        .arg(root)
        .args(["--format", "json", "-o", "-", "--deterministic", "-q"])
        .args(["--threads", threads])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn commits_per_unit(report: &[u8]) -> Vec<(String, u64)> {
    let v: serde_json::Value = serde_json::from_slice(report).unwrap();
    v["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["id"].as_str().unwrap().to_string(),
                u["commits"].as_u64().unwrap(),
            )
        })
        .collect()
}

// Issue 19: on openmrs-core `--threads 1` and `--threads 2` gave different
// reports, because the switch to tree-only reading was counted per process.
#[test]
fn missing_blobs_give_one_report_at_every_thread_count() {
    let repo = repository();
    let healthy = report(repo.path(), "1");
    let blobs = git(
        repo.path(),
        &[
            "log",
            "--format=",
            "--raw",
            "--no-abbrev",
            "--",
            "shop/legacy/ledger.py",
        ],
        None,
    );
    let mut lost = 0;
    for id in blobs.lines().filter_map(|l| l.split_whitespace().nth(3)) {
        let p = repo
            .path()
            .join(".git/objects")
            .join(&id[..2])
            .join(&id[2..]);
        if p.exists() {
            std::fs::remove_file(p).unwrap();
            lost += 1;
        }
    }
    assert_eq!(lost, 34, "every version of ledger.py");

    let one = report(repo.path(), "1");
    let text = String::from_utf8_lossy(&one);
    assert!(
        text.contains("in 1 stretch(es) of 256 consecutive commits"),
        "the newest window switched to tree-only reading"
    );
    for threads in ["2", "3"] {
        let many = report(repo.path(), threads);
        assert!(
            one == many,
            "--threads 1 and --threads {threads} differ:\n{}\n---\n{}",
            text,
            String::from_utf8_lossy(&many)
        );
    }
    // No file loses a commit because a blob is missing: only line counts.
    assert_eq!(commits_per_unit(&one), commits_per_unit(&healthy));
    assert!(commits_per_unit(&one).iter().all(|(_, n)| *n > 0));
}
