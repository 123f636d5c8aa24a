//! The cache of warm runs (issue 19): a warm report equals the cold one
//! byte for byte, and a damaged, foreign, stale or unwritable cache gives
//! a correct report too.

mod common;

use common::{decompose_with_cache, replay_history};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `analyze ROOT --format json -o - --deterministic -q` plus `extra`:
/// (report bytes, stderr).
fn run(root: &Path, extra: &[&str]) -> (Vec<u8>, String) {
    run_as(Command::new(bin()), root, extra)
}

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("decompose")
}

/// [`run`] with `cmd` as the decompose command.
fn run_as(mut cmd: Command, root: &Path, extra: &[&str]) -> (Vec<u8>, String) {
    let out = cmd
        .arg("analyze")
        .arg(root)
        .args(["--format", "json", "-o", "-", "--deterministic", "-q"])
        .args(extra)
        .output()
        .expect("decompose runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "decompose failed: {stderr}");
    (out.stdout, stderr)
}

fn cold(root: &Path, extra: &[&str]) -> Vec<u8> {
    let mut args = vec!["--no-cache"];
    args.extend_from_slice(extra);
    run(root, &args).0
}

/// The history cache files in `dir`.
fn history_files(dir: &Path) -> Vec<PathBuf> {
    cache_files(dir, "history")
}

/// The cache files of `kind` (`history`, `facts`) in `dir`.
fn cache_files(dir: &Path, kind: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(&format!("{kind}-")) && n.ends_with(".bin"))
    });
    v.sort();
    v
}

fn git(root: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(root)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn warm_runs_equal_cold_and_extend_incrementally() {
    let repo = replay_history("java-shop");
    let root = repo.path();
    let cold_report = cold(root, &[]);
    let dir = root.join(".git/decompose");
    assert!(history_files(&dir).is_empty(), "--no-cache writes nothing");

    let (first, err) = run(root, &[]);
    assert_eq!(first, cold_report);
    assert_eq!(err, "");
    let files = history_files(&dir);
    assert_eq!(files.len(), 1, "{files:?}");
    let facts = cache_files(&dir, "facts");
    assert_eq!(facts.len(), 1, "{facts:?}");
    let facts_before = std::fs::read(&facts[0]).unwrap();
    let (warm, err) = run(root, &[]);
    assert_eq!(warm, cold_report, "warm equals cold");
    assert_eq!(err, "");

    // a new commit on top: only it is read, and the report is the cold one
    let size_before = std::fs::metadata(&files[0]).unwrap().len();
    edit_and_commit(root);
    let (warm, _) = run(root, &[]);
    assert_eq!(warm, cold(root, &[]));
    assert!(std::fs::metadata(&files[0]).unwrap().len() > size_before);
    let facts_after = std::fs::read(&facts[0]).unwrap();
    assert_ne!(facts_after, facts_before, "the edited file's facts are new");
    let (warm, _) = run(root, &[]);
    assert_eq!(warm, cold(root, &[]));
    assert_eq!(
        std::fs::read(&facts[0]).unwrap(),
        facts_after,
        "nothing new, nothing written"
    );

    // nothing is written into the analysed tree
    let status = std::process::Command::new("git")
        .args(["status", "--porcelain", "--ignored"])
        .current_dir(root)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&status.stdout), "");
}

#[test]
fn changed_options_give_the_cold_report() {
    let repo = replay_history("java-shop");
    let root = repo.path();
    run(root, &[]);
    for extra in [
        &["--max-commits", "7"][..],
        &["--max-changeset", "3"],
        &["--since", "2024-02-01"],
        &["--group-by", "ticket", "--ticket-pattern", "SHOP-[0-9]+"],
        &["--include-bots"],
        &["--lang", "java"],
        &["--exclude", "**/cart/**"],
        &["--include-tests"],
    ] {
        let (warm, err) = run(root, extra);
        assert_eq!(warm, cold(root, extra), "{extra:?}");
        assert_eq!(err, "", "{extra:?}");
        let (again, _) = run(root, extra);
        assert_eq!(again, warm, "{extra:?}");
    }
    // ticket grouping reads messages: a second file, keyed apart
    assert_eq!(history_files(&root.join(".git/decompose")).len(), 2);
}

#[test]
fn damaged_and_foreign_files_are_ignored_with_a_warning_and_rebuilt() {
    let repo = replay_history("java-shop");
    let root = repo.path();
    let cold_report = cold(root, &[]);
    run(root, &[]);
    for kind in ["history", "facts"] {
        let file = cache_files(&root.join(".git/decompose"), kind).remove(0);
        damage(root, &file, &cold_report);
    }
}

/// Corrupts, truncates and replaces `file`: each run warns, gives the cold
/// report and rebuilds the file.
fn damage(root: &Path, file: &Path, cold_report: &[u8]) {
    let good = std::fs::read(file).unwrap();
    let mut flipped = good.clone();
    let mid = good.len() / 2;
    flipped[mid] ^= 0x40;
    let cases: [(&str, Vec<u8>, &str); 3] = [
        ("corrupt", flipped, "damaged (checksum mismatch)"),
        ("truncated", good[..good.len() / 3].to_vec(), "truncated"),
        (
            "foreign",
            b"PK\x03\x04 some zip file".to_vec(),
            "not a decompose cache file",
        ),
    ];
    for (what, bytes, message) in cases {
        std::fs::write(file, &bytes).unwrap();
        let (report, err) = run(root, &[]);
        assert_eq!(report, cold_report, "{what}");
        assert!(
            err.contains("warning: cache:") && err.contains(message),
            "{what}: {err}"
        );
        assert_eq!(std::fs::read(file).unwrap(), good, "{what}: rebuilt");
        let (_, err) = run(root, &[]);
        assert_eq!(err, "", "{what}: no warning once rebuilt");
    }
}

/// Rewrites one byte of the tool version in a cache file (same length)
/// and fixes its checksum: at `0`, as a file written by another release
/// would look; at the end, by another build of the same version (the
/// build identity after `+`, from build.rs).
fn with_other_tool(bytes: &[u8], at_end: bool) -> Vec<u8> {
    let mut b = bytes.to_vec();
    let n = u64::from_le_bytes(b[20..28].try_into().unwrap()) as usize;
    let tool = String::from_utf8(b[28..28 + n].to_vec()).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    assert!(tool.starts_with(&format!("{version}+")), "{tool}");
    assert_eq!(tool.len(), version.len() + 17, "{tool}");
    let i = if at_end { 28 + n - 1 } else { 28 };
    b[i] = if b[i] == b'9' { b'8' } else { b'9' };
    let body = b.len() - 8;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &x in &b[..body] {
        h ^= u64::from(x);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    b[body..].copy_from_slice(&h.to_le_bytes());
    b
}

#[test]
fn another_tool_version_is_rebuilt_silently() {
    let repo = replay_history("java-shop");
    let root = repo.path();
    let cold_report = cold(root, &[]);
    run(root, &[]);
    let dir = root.join(".git/decompose");
    let files = [
        history_files(&dir).remove(0),
        cache_files(&dir, "facts").remove(0),
    ];
    // Another release, and another build of this version (a development
    // build whose sources changed): neither is trusted.
    for (file, at_end) in files.iter().flat_map(|f| [(f, false), (f, true)]) {
        let good = std::fs::read(file).unwrap();
        std::fs::write(file, with_other_tool(&good, at_end)).unwrap();
        let (report, err) = run(root, &[]);
        assert_eq!(report, cold_report);
        assert_eq!(err, "");
        assert_eq!(std::fs::read(file).unwrap(), good, "rebuilt for this build");
    }
}

#[test]
fn concurrent_runs_share_one_cache_dir() {
    let repo = replay_history("java-shop");
    let root = repo.path().to_path_buf();
    let cache = tempfile::tempdir().unwrap();
    let cache_arg = cache.path().join("c");
    let cold_report = cold(&root, &[]);
    let runs: Vec<_> = (0..4)
        .map(|_| {
            let (root, dir) = (root.clone(), cache_arg.clone());
            std::thread::spawn(move || run(&root, &["--cache", dir.to_str().unwrap()]))
        })
        .collect();
    for r in runs {
        let (report, err) = r.join().unwrap();
        assert_eq!(report, cold_report);
        assert_eq!(err, "");
    }
    assert!(
        history_files(&root.join(".git/decompose")).is_empty(),
        "--cache DIR only"
    );
    let files = history_files(&cache_arg);
    assert_eq!(files.len(), 1);
    let leftovers: Vec<_> = walk(&cache_arg)
        .into_iter()
        .filter(|p| !p.to_string_lossy().ends_with(".bin"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "locks released, no temporary file: {leftovers:?}"
    );
    let (report, err) = run(&root, &["--cache", cache_arg.to_str().unwrap()]);
    assert_eq!((report, err), (cold_report, String::new()));
}

#[test]
fn an_unwritable_cache_dir_gives_a_warning_and_the_cold_report() {
    let repo = replay_history("java-shop");
    let root = repo.path();
    let cold_report = cold(root, &[]);
    let blocker = tempfile::NamedTempFile::new().unwrap();
    let dir = blocker.path().join("cache");
    let (report, err) = run(root, &["--cache", dir.to_str().unwrap()]);
    assert_eq!(report, cold_report);
    assert!(
        err.contains("warning: cache: cannot create") && err.contains("running without a cache"),
        "{err}"
    );
    // `--no-cache` with `--cache` is a usage error
    let out = decompose_with_cache()
        .args(["analyze", "--no-cache", "--cache", "x"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn python_and_rust_facts_survive_the_cache() {
    let repo = replay_history("python-shop");
    let cold_report = cold(repo.path(), &[]);
    assert_eq!(run(repo.path(), &[]).0, cold_report);
    assert_eq!(run(repo.path(), &[]).0, cold_report, "warm");
    let dir = repo.path().join(".git/decompose");
    assert_eq!(cache_files(&dir, "facts").len(), 1);

    // no git repository: only `--cache DIR` caches, and nothing is written
    // into the analysed tree
    let copy = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("rust-shop"), copy.path());
    let cache = tempfile::tempdir().unwrap();
    let arg = ["--cache", cache.path().to_str().unwrap()];
    let cold_report = cold(copy.path(), &[]);
    let before = walk(copy.path());
    assert_eq!(run(copy.path(), &arg).0, cold_report);
    assert_eq!(run(copy.path(), &arg).0, cold_report, "warm");
    assert_eq!(cache_files(cache.path(), "facts").len(), 1);
    assert_eq!(walk(copy.path()), before);
}

/// Every path under `p`, sorted.
fn walk(p: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(p).unwrap().flatten() {
        out.push(e.path());
        if e.path().is_dir() {
            out.extend(walk(&e.path()));
        }
    }
    out.sort();
    out
}

/// Every file under `dir` with its bytes, sorted (none if `dir` is absent).
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    if !dir.exists() {
        return Vec::new();
    }
    walk(dir)
        .into_iter()
        .filter(|p| p.is_file())
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect()
}

/// Appends a line to the cart and commits it: the next run has one new
/// commit to save and one file whose facts changed.
fn edit_and_commit(root: &Path) {
    let f = root.join("src/main/java/com/shop/cart/Cart.java");
    let mut text = std::fs::read_to_string(&f).unwrap();
    text.push_str("// one more line\n");
    std::fs::write(&f, text).unwrap();
    git(root, &["commit", "-qam", "edit Cart"]);
}

/// A decompose command that the mode bits of `read_only` (mode 0555)
/// stop from writing there. A process with CAP_DAC_OVERRIDE (root) writes
/// through them, so it is run under `setpriv` without the capabilities that
/// bypass file modes.
fn decompose_held_by_modes(read_only: &Path) -> Command {
    let probe = read_only.join(".probe");
    if std::fs::write(&probe, b"").is_err() {
        return Command::new(bin());
    }
    std::fs::remove_file(&probe).unwrap();
    let held = || {
        let mut c = Command::new("setpriv");
        c.args([
            "--bounding-set=-dac_override,-dac_read_search,-fowner",
            "--",
        ]);
        c
    };
    let out =
        held().arg("touch").arg(&probe).output().expect(
            "running as root, this test needs setpriv (util-linux) to drop CAP_DAC_OVERRIDE",
        );
    assert!(!out.status.success(), "setpriv does not hold the modes");
    let mut cmd = held();
    cmd.arg(bin());
    cmd
}

#[test]
fn a_read_only_cache_dir_is_read_but_never_written() {
    let repo = replay_history("java-shop");
    let root = repo.path();
    let cache = tempfile::tempdir().unwrap();
    let dir = cache.path().join("c");
    let arg = ["--cache", dir.to_str().unwrap()];
    run(root, &arg);
    let saved = snapshot(&dir);
    assert_eq!(saved.len(), 2, "history and facts: {saved:?}");

    // a new commit and an edited file: this run would extend both files
    edit_and_commit(root);
    let cold_report = cold(root, &[]);
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let (report, err) = run_as(decompose_held_by_modes(&dir), root, &arg);
    let (again, err_again) = run_as(decompose_held_by_modes(&dir), root, &arg);
    // an empty read-only folder: nothing to read, nothing written
    let empty = cache.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    std::fs::set_permissions(&empty, std::fs::Permissions::from_mode(0o555)).unwrap();
    let empty_arg = ["--cache", empty.to_str().unwrap()];
    let (from_empty, err_empty) = run_as(decompose_held_by_modes(&empty), root, &empty_arg);
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&empty, std::fs::Permissions::from_mode(0o755)).unwrap();

    assert_eq!(report, cold_report);
    assert_eq!(again, cold_report);
    assert_eq!(from_empty, cold_report);
    for (what, err) in [("warm", &err), ("again", &err_again), ("empty", &err_empty)] {
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(
            lines.len(),
            2,
            "{what}: one warning for history, one for facts: {err}"
        );
        for l in lines {
            assert!(
                l.starts_with("decompose: warning: cache: cannot write ")
                    && l.ends_with("Permission denied (os error 13); the cache is not updated"),
                "{what}: {l}"
            );
        }
    }
    assert_eq!(
        snapshot(&dir),
        saved,
        "nothing written, nothing left behind"
    );
    assert!(snapshot(&empty).is_empty());
}

#[test]
fn init_check_and_trend_use_the_cache_and_report_as_cold() {
    let repo = replay_history("java-shop");
    let root = repo.path();
    let dir = root.join(".git/decompose");
    let ci = |args: &[&str]| {
        let out = decompose_with_cache()
            .args(args)
            .arg(root)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            err,
        )
    };
    let toml = root.join("decompose.toml");

    // trend without a decompose.toml analyses the tree for its seams
    let (code, _, err) = ci(&["trend", "-q", "--every", "50", "--no-cache"]);
    assert_eq!(code, Some(0), "{err}");
    let trend_cold = std::fs::read(root.join("decompose-trend.jsonl")).unwrap();
    assert!(snapshot(&dir).is_empty(), "--no-cache writes nothing");
    std::fs::remove_file(root.join("decompose-trend.jsonl")).unwrap();
    let (code, _, err) = ci(&["trend", "-q", "--every", "50"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!err.contains("cache"), "{err}");
    assert_eq!(
        std::fs::read(root.join("decompose-trend.jsonl")).unwrap(),
        trend_cold
    );
    assert_eq!(
        cache_files(&dir, "facts").len(),
        1,
        "trend's analysis is cached"
    );
    std::fs::remove_file(root.join("decompose-trend.jsonl")).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();

    let (code, _, err) = ci(&["init", "-q", "--no-cache"]);
    assert_eq!(code, Some(0), "{err}");
    let toml_cold = std::fs::read(&toml).unwrap();
    assert!(snapshot(&dir).is_empty(), "--no-cache writes nothing");
    let (code, _, err) = ci(&["init", "-q", "--force"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        std::fs::read(&toml).unwrap(),
        toml_cold,
        "init: cached = cold"
    );
    assert_eq!(history_files(&dir).len(), 1, "init mines through the cache");
    assert_eq!(
        cache_files(&dir, "facts").len(),
        1,
        "init parses through the cache"
    );

    let check_cold = ci(&["check", "-q", "--format", "json", "--no-cache"]);
    let saved = snapshot(&dir);
    let check_warm = ci(&["check", "-q", "--format", "json"]);
    assert_eq!(check_warm, check_cold, "check: warm = cold");
    // the commits and facts of init's runs cover check's: nothing new
    assert_eq!(
        snapshot(&dir),
        saved,
        "check reads init's cache and adds nothing"
    );
    edit_and_commit(root);
    let warm = ci(&["check", "-q", "--format", "json"]);
    assert_eq!(warm, ci(&["check", "-q", "--format", "json", "--no-cache"]));
}

/// The facts are keyed by the root as the file system names it: `.` from
/// inside the repository and its absolute path share one cache file (a
/// second spelling used to start cold and write a second file).
#[test]
fn one_root_spelled_two_ways_shares_its_facts() {
    let repo = replay_history("java-shop");
    let root = repo.path();
    let (absolute, _) = run(root, &[]);
    let dir = root.join(".git/decompose");
    let facts = cache_files(&dir, "facts");
    assert_eq!(facts.len(), 1, "{facts:?}");
    let mut cmd = Command::new(bin());
    cmd.current_dir(root);
    let (relative, err) = run_as(cmd, Path::new("."), &[]);
    assert_eq!(err, "");
    assert_eq!(cache_files(&dir, "facts"), facts, "no second facts file");
    // The reports may name the root as given; the units are equal.
    let units = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).unwrap()["units"].clone();
    assert_eq!(units(&absolute), units(&relative));
}
