//! CI (issue 8): `init`, `check` and `trend` on a temporary git repository
//! replayed from fixtures/java-shop and its scripted history.

mod common;

use std::path::Path;

use common::*;
use predicates::prelude::*;
use serde_json::Value;

const PAYMENT_SERVICE: &str = "src/main/java/com/shop/payments/PaymentService.java";
const ORDER_SERVICE: &str = "src/main/java/com/shop/orders/OrderService.java";
const CART_PRICING: &str = "src/main/java/com/shop/cart/CartPricing.java";

fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .args(["-c", "user.name=CI Test", "-c", "user.email=ci@shop.test"])
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
    String::from_utf8(out.stdout).unwrap()
}

/// Inserts `line` after line `after` (1-based) of a file and commits it.
fn insert_line_and_commit(dir: &Path, file: &str, after: usize, line: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(after, line);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    git(dir, &["commit", "-q", "-am", &format!("edit {file}")]);
}

/// The replayed fixture with `decompose init` run on it.
fn initialised() -> tempfile::TempDir {
    let dir = replay_history("java-shop");
    decompose()
        .args(["init", "-q"])
        .arg(dir.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains("decompose.toml"));
    dir
}

fn check(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let out = decompose()
        .args(["check", "-q"])
        .arg(dir)
        .args(extra)
        .output()
        .expect("decompose runs");
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn check_json(dir: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let (code, out, err) = check(dir, &args);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    (code, v)
}

fn baseline(dir: &Path) -> Vec<(String, String, String)> {
    let b: Value =
        serde_json::from_slice(&std::fs::read(dir.join("decompose-baseline.json")).unwrap())
            .unwrap();
    b["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap().to_string();
            (s("from"), s("to"), s("kind"))
        })
        .collect()
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/data/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    jsonschema::validator_for(&schema).expect("the SARIF schema compiles")
}

fn sarif_errors(doc: &Value) -> Vec<String> {
    sarif_validator()
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

/// The author of the most commits of fixtures/java-shop.history touching a
/// file under `folder` (the initial import counts one), ties to the first
/// name: the owner `init` must write.
fn expected_owner(folder: &str) -> String {
    let script = std::fs::read_to_string(root().join("fixtures/java-shop.history")).unwrap();
    let mut counts: std::collections::BTreeMap<String, u32> = Default::default();
    counts.insert("Initial Import".into(), 1);
    let mut author = String::new();
    let mut counted = false;
    for line in script.lines() {
        if let Some(rest) = line.strip_prefix("@ ") {
            let rest = rest.split_once(' ').unwrap().1;
            author = rest[..rest.find(" <").unwrap()].to_string();
            counted = false;
        } else if let Some(path) = line.strip_prefix("M ") {
            if path.trim().starts_with(folder) && !counted {
                *counts.entry(author.clone()).or_default() += 1;
                counted = true;
            }
        }
    }
    let max = *counts.values().max().unwrap();
    counts.into_iter().find(|(_, n)| *n == max).unwrap().0
}

#[test]
fn init_then_check_passes() {
    let dir = initialised();
    let toml = std::fs::read_to_string(dir.path().join("decompose.toml")).unwrap();
    // The planted services, each one folder glob; the kernel as its own seam.
    for seam in ["customers", "payments", "orders", "promotions", "cart"] {
        let owner = expected_owner(&format!("src/main/java/com/shop/{seam}/"));
        assert!(
            toml.contains(&format!("name = \"{seam}\"\nowner = \"{owner}\"\n")),
            "seam {seam} owned by {owner}:\n{toml}"
        );
        assert!(toml.contains(&format!("  \"src/main/java/com/shop/{seam}/**\",\n")));
    }
    assert!(toml.contains("name = \"kernel\"\nkernel = true\n"));
    assert!(toml.contains("  \"src/main/java/com/shop/common/**\",\n"));

    let (code, r) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["ok"], true);
    assert_eq!(r["violations"].as_array().unwrap().len(), 0);
    assert_eq!(r["stale"].as_array().unwrap().len(), 0);
    // Every production unit has a service (ShopApplication, tied to no
    // unit, is placed by its words), so init's seams cover them all.
    assert_eq!(r["unassigned"], serde_json::json!([]));
    // The baseline holds exactly today's cross-seam dependencies.
    let now: Vec<(String, String, String)> = r["cross_seam_dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap().to_string();
            (s("from"), s("to"), s("kind"))
        })
        .collect();
    assert_eq!(baseline(dir.path()), now);
    assert_eq!(
        r["metrics"]["cross_seam_dependencies"].as_u64().unwrap() as usize,
        now.len()
    );
    // Co-change was mined (150 scripted commits + the import) and is at its baseline.
    assert_eq!(r["cochange"]["commits"], 151);
    assert_eq!(r["cochange"]["share"], r["cochange"]["baseline"]);
    let (code, text, _) = check(dir.path(), &[]);
    assert_eq!(code, 0);
    assert!(text.ends_with("check passed\n"), "{text}");
}

#[test]
fn a_new_cross_seam_import_fails_with_file_and_line() {
    let dir = initialised();
    // Line 4 of PaymentService: payments may depend on no other seam.
    insert_line_and_commit(
        dir.path(),
        PAYMENT_SERVICE,
        3,
        "import com.shop.customers.CustomerService;",
    );
    let (code, text, _) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains(&format!(
            "{PAYMENT_SERVICE}:4: error[new-cross-seam-dependency]: new cross-seam dependency payments -> customers: import of src/main/java/com/shop/customers/CustomerService.java (not in the baseline)\n"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("{PAYMENT_SERVICE}:4: error[seam-not-allowed]: ")),
        "{text}"
    );
    assert!(text.ends_with("check failed: 2 violation(s)\n"), "{text}");

    let (code, sarif, _) = check(dir.path(), &["--format", "sarif"]);
    assert_eq!(code, 1);
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(sarif_errors(&sarif), Vec::<String>::new());
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let ids: Vec<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["new-cross-seam-dependency", "seam-not-allowed"]);
    for r in results {
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], PAYMENT_SERVICE);
        assert_eq!(loc["region"]["startLine"], 4);
    }

    let (code, gh, _) = check(dir.path(), &["--format", "github"]);
    assert_eq!(code, 1);
    assert!(gh.starts_with(&format!(
        "::error file={PAYMENT_SERVICE},line=4,title=new-cross-seam-dependency::new cross-seam dependency payments -> customers%3A"
    )) || gh.starts_with(&format!(
        "::error file={PAYMENT_SERVICE},line=4,title=new-cross-seam-dependency::new cross-seam dependency payments -> customers: "
    )), "{gh}");
}

#[test]
fn sarif_schema_rejects_a_broken_log() {
    // The validator is not vacuous: a log without `version` and with a bad
    // level fails.
    let dir = initialised();
    insert_line_and_commit(
        dir.path(),
        PAYMENT_SERVICE,
        3,
        "import com.shop.customers.CustomerService;",
    );
    let (_, sarif, _) = check(dir.path(), &["--format", "sarif"]);
    let mut sarif: Value = serde_json::from_str(&sarif).unwrap();
    sarif.as_object_mut().unwrap().remove("version");
    sarif["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert_eq!(sarif_errors(&sarif).len(), 2, "{:?}", sarif_errors(&sarif));
}

#[test]
fn removing_a_dependency_then_update_baseline_shrinks_it() {
    let dir = initialised();
    let before = baseline(dir.path());
    let from_cart_pricing: Vec<_> = before.iter().filter(|d| d.0 == CART_PRICING).collect();
    assert!(from_cart_pricing.len() >= 2, "{before:?}");
    git(dir.path(), &["rm", "-q", CART_PRICING]);
    git(dir.path(), &["commit", "-q", "-m", "drop cart pricing"]);

    // Gone dependencies are stale, not failures.
    let (code, r) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(
        r["stale"].as_array().unwrap().len(),
        from_cart_pricing.len()
    );

    let (code, _, _) = check(dir.path(), &["--update-baseline"]);
    assert_eq!(code, 0);
    let after = baseline(dir.path());
    let expected: Vec<_> = before
        .iter()
        .filter(|d| d.0 != CART_PRICING)
        .cloned()
        .collect();
    assert_eq!(after, expected);
    let (_, r) = check_json(dir.path(), &[]);
    assert_eq!(r["stale"].as_array().unwrap().len(), 0);

    // It grows only with --accept-new: orders may depend on customers, so
    // this new import breaks no rule, only the ratchet.
    insert_line_and_commit(
        dir.path(),
        ORDER_SERVICE,
        9,
        "import com.shop.customers.LoyaltyService;",
    );
    let (code, r) = check_json(dir.path(), &["--update-baseline"]);
    assert_eq!(code, 1);
    let v = &r["violations"].as_array().unwrap();
    assert_eq!(v.len(), 1, "{r:#}");
    assert_eq!(v[0]["rule"], "new-cross-seam-dependency");
    assert_eq!(v[0]["dependency"]["lines"], serde_json::json!([10]));
    assert_eq!(baseline(dir.path()), expected);

    let (code, r) = check_json(dir.path(), &["--update-baseline", "--accept-new"]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["accepted"].as_array().unwrap().len(), 1);
    let grown = baseline(dir.path());
    assert_eq!(grown.len(), expected.len() + 1);
    assert!(grown.contains(&(
        ORDER_SERVICE.to_string(),
        "src/main/java/com/shop/customers/LoyaltyService.java".to_string(),
        "import".to_string()
    )));
    let (code, _, _) = check(dir.path(), &[]);
    assert_eq!(code, 0);
}

#[test]
fn forbidden_rule_fails_even_for_a_baselined_dependency() {
    let dir = initialised();
    let path = dir.path().join("decompose.toml");
    let toml = std::fs::read_to_string(&path).unwrap();
    // orders depends on payments today; forbid it.
    let marker = "name = \"orders\"\n";
    let at = toml.find(marker).unwrap();
    let end = at + toml[at..].find("forbidden = []").unwrap();
    let edited = format!(
        "{}forbidden = [\"payments\"]{}",
        &toml[..end],
        &toml[end + "forbidden = []".len()..]
    );
    std::fs::write(&path, edited).unwrap();
    let (code, r) = check_json(dir.path(), &["--no-history"]);
    assert_eq!(code, 1);
    let v = r["violations"].as_array().unwrap();
    assert!(!v.is_empty());
    for x in v {
        assert_eq!(x["rule"], "seam-forbidden");
        assert_eq!(x["dependency"]["from_seam"], "orders");
        assert_eq!(x["dependency"]["to_seam"], "payments");
    }
}

#[test]
fn malformed_config_names_the_file_and_line() {
    let dir = initialised();
    let path = dir.path().join("decompose.toml");
    std::fs::write(
        &path,
        "version = 1\n\n[[seam]]\nname = \"a\"\npaths = [\"src/**\"]\nmay_depend_on = [\"nowhere\"]\n",
    )
    .unwrap();
    let (code, out, err) = check(dir.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(
        err.contains("decompose.toml:6: seam \"a\": rule names an unknown seam \"nowhere\""),
        "{err}"
    );
    std::fs::write(&path, "version = 1\n[[seam]\nname = \"a\"\n").unwrap();
    let (code, _, err) = check(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(err.contains("decompose.toml:2: "), "{err}");
}

#[test]
fn check_without_config_is_a_usage_error() {
    let dir = replay_history("java-shop");
    let (code, _, err) = check(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("decompose.toml: not found; run `decompose init`"),
        "{err}"
    );
}

#[test]
fn existing_config_is_not_overwritten_without_force() {
    let dir = initialised();
    let path = dir.path().join("decompose.toml");
    std::fs::write(&path, "# mine\n").unwrap();
    decompose()
        .args(["init", "-q"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "decompose.toml: already exists; pass --force to overwrite it",
        ));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "# mine\n");
    decompose()
        .args(["init", "-q", "--force"])
        .arg(dir.path())
        .assert()
        .code(0);
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .starts_with("# decompose.toml: the seams"));
}

#[test]
fn init_from_a_report_gives_the_same_config() {
    let dir = replay_history("java-shop");
    let out = tempfile::tempdir().unwrap();
    decompose()
        .args(["analyze", "-q", "--deterministic", "--format", "json", "-o"])
        .arg(out.path())
        .arg(dir.path())
        .assert()
        .code(0);
    decompose()
        .args(["init", "-q", "--from"])
        .arg(out.path().join("report.json"))
        .arg(dir.path())
        .assert()
        .code(0);
    let from_report = std::fs::read_to_string(dir.path().join("decompose.toml")).unwrap();
    decompose()
        .args(["init", "-q", "--force"])
        .arg(dir.path())
        .assert()
        .code(0);
    let analysed = std::fs::read_to_string(dir.path().join("decompose.toml")).unwrap();
    // Owners come from git either way.
    assert_eq!(from_report, analysed);
    let (code, _, _) = check(dir.path(), &["--no-history"]);
    assert_eq!(code, 0);
}

/// `git archive REV` unpacked into a fresh folder: a checked-out copy.
fn checkout(repo: &Path, rev: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let tar = std::process::Command::new("git")
        .args(["archive", "--format=tar", rev])
        .current_dir(repo)
        .output()
        .unwrap();
    assert!(tar.status.success());
    let mut child = std::process::Command::new("tar")
        .args(["-x", "-C"])
        .arg(dir.path())
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child.stdin.take().unwrap().write_all(&tar.stdout).unwrap();
    assert!(child.wait().unwrap().success());
    dir
}

#[test]
fn trend_rows_equal_analyses_of_checked_out_copies() {
    let dir = initialised();
    let repo = dir.path();
    // Structure changes on top of the scripted history: a new cross-seam
    // import, a new unit, a removed unit.
    insert_line_and_commit(
        repo,
        PAYMENT_SERVICE,
        3,
        "import com.shop.customers.CustomerService;",
    );
    std::fs::write(
        repo.join("src/main/java/com/shop/customers/Tier.java"),
        "package com.shop.customers;\n\nimport com.shop.orders.model.Order;\n\npublic class Tier {\n    Order last;\n}\n",
    )
    .unwrap();
    git(repo, &["add", "-A", "src"]);
    git(repo, &["commit", "-q", "-m", "tier"]);
    git(repo, &["rm", "-q", CART_PRICING]);
    git(repo, &["commit", "-q", "-m", "drop cart pricing"]);
    let head = git(repo, &["rev-parse", "HEAD"]);
    let status = git(repo, &["status", "--porcelain"]);

    let history: Vec<String> = git(repo, &["rev-list", "--first-parent", "HEAD"])
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(history.len(), 154);
    let picks: Vec<&str> = [153usize, 120, 90, 60, 30, 10, 3, 2, 1, 0]
        .iter()
        .map(|&i| history[i].as_str())
        .collect();
    let mut cmd = decompose();
    cmd.args(["trend", "-q"]).arg(repo).arg("--at").args(&picks);
    cmd.assert().code(0).stderr(predicate::str::contains(
        "10 trend row(s) added, 0 commit(s) already present",
    ));
    // Nothing in the working tree, index or HEAD moved.
    assert_eq!(git(repo, &["rev-parse", "HEAD"]), head);
    let lines =
        |s: &str| -> std::collections::BTreeSet<String> { s.lines().map(str::to_string).collect() };
    let mut expected = lines(&status);
    expected.insert("?? decompose-trend.jsonl".into());
    assert_eq!(lines(&git(repo, &["status", "--porcelain"])), expected);

    let text = std::fs::read_to_string(repo.join("decompose-trend.jsonl")).unwrap();
    let rows: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 10);
    let config = repo.join("decompose.toml");
    let mut distinct = std::collections::BTreeSet::new();
    for (row, rev) in rows.iter().zip(&picks) {
        assert_eq!(row["commit"], *rev);
        let time: i64 = git(repo, &["show", "-s", "--format=%ct", rev])
            .trim()
            .parse()
            .unwrap();
        assert_eq!(row["time"], time);
        let copy = checkout(repo, rev);
        let (_, r) = check_json(
            copy.path(),
            &["--no-history", "--config", config.to_str().unwrap()],
        );
        let mut metrics = row.clone();
        metrics.as_object_mut().unwrap().remove("commit");
        metrics.as_object_mut().unwrap().remove("time");
        assert_eq!(metrics, r["metrics"], "at {rev}");
        distinct.insert(metrics.to_string());
    }
    // The scripted history only appends comments: one structure throughout,
    // then the three edits on top, each visible in the rows.
    assert_eq!(distinct.len(), 4, "{distinct:#?}");
    let n = |i: usize, k: &str| rows[i][k].as_u64().unwrap();
    for i in 1..7 {
        assert_eq!(
            rows[i]["cross_seam_dependencies"],
            rows[0]["cross_seam_dependencies"]
        );
        assert_eq!(rows[i]["lines"], rows[0]["lines"]);
    }
    // The import: one new cross-seam identity (payments -> customers).
    assert_eq!(
        n(7, "cross_seam_dependencies"),
        n(6, "cross_seam_dependencies") + 1
    );
    assert_eq!(n(7, "lines"), n(6, "lines") + 1);
    // Tier: one more unit, importing and using an orders type.
    assert_eq!(n(8, "units"), n(7, "units") + 1);
    assert_eq!(
        n(8, "cross_seam_dependencies"),
        n(7, "cross_seam_dependencies") + 2
    );
    // CartPricing removed: one unit and its cross-seam dependencies fewer.
    assert_eq!(n(9, "units"), n(8, "units") - 1);
    assert!(n(9, "cross_seam_dependencies") < n(8, "cross_seam_dependencies"));

    // A rerun adds nothing; analyze reads the rows into report.trend.
    decompose()
        .args(["trend", "-q", "--every", "50"])
        .arg(repo)
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "3 trend row(s) added, 1 commit(s) already present",
        ));
    let report = analyze_json(repo, &[]);
    let trend = report["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 13);
    let times: Vec<i64> = trend.iter().map(|r| r["time"].as_i64().unwrap()).collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted);
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("docs/report.schema.json")).unwrap(),
    )
    .unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = v.iter_errors(&report).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// Issue 17: `trend` reads the data files of each commit (mappers,
/// schemas) from git objects, so its rows carry the `data` edges and equal
/// `check` on a checked-out copy; a commit that changes only a mapper file
/// moves the row.
#[test]
fn trend_rows_carry_data_edges_like_check() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    copy_dir(&fixture("mybatis-shop"), repo);
    git(repo, &["init", "-q"]);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "import"]);
    decompose().args(["init", "-q"]).arg(repo).assert().code(0);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "seams"]);
    // Only the mapper file changes: orders' mapper now reads the catalog's
    // products table, a `data` edge across the seams.
    let xml = "src/main/resources/com/shop/mapper/OrderMapper.xml";
    let text = std::fs::read_to_string(repo.join(xml)).unwrap().replace(
        "</mapper>",
        "  <select id=\"productIds\" resultType=\"long\">\n    SELECT p.id FROM products p\n  </select>\n</mapper>",
    );
    std::fs::write(repo.join(xml), text).unwrap();
    git(repo, &["commit", "-q", "-am", "orders read products"]);
    let picks: Vec<String> = git(repo, &["rev-list", "--first-parent", "HEAD"])
        .lines()
        .map(str::to_string)
        .collect();
    let (before, after) = (&picks[1], &picks[0]);
    decompose()
        .args(["trend", "-q"])
        .arg(repo)
        .args(["--at", before, after])
        .assert()
        .code(0);
    let text = std::fs::read_to_string(repo.join("decompose-trend.jsonl")).unwrap();
    let rows: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    let config = repo.join("decompose.toml");
    for (row, rev) in rows.iter().zip([before, after]) {
        let copy = checkout(repo, rev);
        let (_, r) = check_json(
            copy.path(),
            &["--no-history", "--config", config.to_str().unwrap()],
        );
        let mut metrics = row.clone();
        metrics.as_object_mut().unwrap().remove("commit");
        metrics.as_object_mut().unwrap().remove("time");
        assert_eq!(metrics, r["metrics"], "at {rev}");
    }
    // The analysis of the first commit has its four `data` edges, and the
    // row counts them among its dependencies.
    let first = checkout(repo, before);
    let report = analyze_json(first.path(), &["--no-history"]);
    let deps = report["dependencies"].as_array().unwrap();
    let data = deps.iter().filter(|d| d["kind"] == "data").count();
    assert_eq!(data, 4);
    assert_eq!(rows[0]["dependencies"].as_u64().unwrap(), deps.len() as u64);
    // The mapper-only commit: one more dependency, and it crosses a seam.
    let n = |i: usize, k: &str| rows[i][k].as_u64().unwrap();
    assert_eq!(n(1, "dependencies"), n(0, "dependencies") + 1);
    assert_eq!(
        n(1, "cross_seam_dependencies"),
        n(0, "cross_seam_dependencies") + 1
    );
}

#[test]
fn trend_every_n_picks_first_parent_commits_oldest_first() {
    let dir = initialised();
    let repo = dir.path();
    decompose()
        .args(["trend", "-q", "--every", "50"])
        .arg(repo)
        .assert()
        .code(0);
    let history: Vec<String> = git(repo, &["rev-list", "--first-parent", "HEAD"])
        .lines()
        .map(str::to_string)
        .collect();
    let rows: Vec<Value> = std::fs::read_to_string(repo.join("decompose-trend.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let commits: Vec<&str> = rows.iter().map(|r| r["commit"].as_str().unwrap()).collect();
    assert_eq!(
        commits,
        [&history[150], &history[100], &history[50], &history[0]]
    );
}

#[test]
fn cochange_across_seams_rising_past_the_threshold_fails() {
    let dir = initialised();
    let repo = dir.path();
    let (_, before) = check_json(repo, &[]);
    let base = before["cochange"]["share"].as_f64().unwrap();
    assert_eq!(before["cochange"]["baseline"].as_f64().unwrap(), base);
    let limit = before["cochange"]["limit"].as_f64().unwrap();
    assert!((limit - (base + 0.05)).abs() < 1e-9, "{limit} vs {base}");
    // Thirty commits that each change a payments and a customers file.
    let customer = "src/main/java/com/shop/customers/CustomerService.java";
    for i in 0..30 {
        for f in [PAYMENT_SERVICE, customer] {
            let path = repo.join(f);
            let mut text = std::fs::read_to_string(&path).unwrap();
            text.push_str(&format!("// together {i}\n"));
            std::fs::write(&path, text).unwrap();
        }
        git(repo, &["commit", "-q", "-am", &format!("together {i}")]);
    }
    let (code, r) = check_json(repo, &[]);
    assert_eq!(code, 1, "{r:#}");
    let v = r["violations"].as_array().unwrap();
    assert_eq!(v.len(), 1, "{r:#}");
    assert_eq!(v[0]["rule"], "cochange-rise");
    assert_eq!(v[0]["dependency"], Value::Null);
    let share = r["cochange"]["share"].as_f64().unwrap();
    assert!(share > limit, "{share} {limit}");
    assert_eq!(r["cochange"]["commits"], 181);
    let pair = r["cochange"]["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p[0] == "customers" && p[1] == "payments")
        .expect("the customers-payments pair");
    assert!(pair[2].as_f64().unwrap() >= 30.0, "{pair}");
    // SARIF points co-change at the config file, and stays valid.
    let (_, sarif, _) = check(repo, &["--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(sarif_errors(&sarif), Vec::<String>::new());
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
            ["uri"],
        "decompose.toml"
    );
    // The baseline's share does not rise with --update-baseline alone.
    let (code, _) = check_json(repo, &["--update-baseline"]);
    assert_eq!(code, 1);
    let b: Value =
        serde_json::from_slice(&std::fs::read(repo.join("decompose-baseline.json")).unwrap())
            .unwrap();
    assert_eq!(b["cochange_share"].as_f64().unwrap(), base);
    let (code, _) = check_json(repo, &["--update-baseline", "--accept-new"]);
    assert_eq!(code, 0);
    let (code, _) = check_json(repo, &[]);
    assert_eq!(code, 0);
}

#[test]
fn analyze_uses_the_weights_of_decompose_toml() {
    let dir = replay_history("java-shop");
    let weights = "structural=0.1,cochange=1,semantic=0,ownership=1";
    let flagged = analyze_json(dir.path(), &["--weights", weights]);
    let default = analyze_json(dir.path(), &[]);
    std::fs::write(
        dir.path().join("decompose.toml"),
        "version = 1\n[weights]\nstructural = 0.1\ncochange = 1.0\nsemantic = 0.0\nownership = 1.0\n",
    )
    .unwrap();
    let configured = analyze_json(dir.path(), &[]);
    assert_eq!(configured["services"], flagged["services"]);
    assert_ne!(configured["services"], default["services"]);
    // The command line wins over the file.
    let overridden = analyze_json(
        dir.path(),
        &[
            "--weights",
            "structural=1,cochange=0.6,semantic=0.4,ownership=0.2",
        ],
    );
    assert_eq!(overridden["services"], default["services"]);
}

#[test]
fn strings_from_the_code_are_escaped_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("hostile"), dir.path());
    // A unit whose folder holds the characters GitHub's properties reserve.
    let caller = "src/a,b:c%d/Caller.java";
    std::fs::create_dir_all(dir.path().join("src/a,b:c%d")).unwrap();
    std::fs::write(
        dir.path().join(caller),
        "package odd;\n\nimport ok.Main;\n\npublic class Caller {\n    String go() { return new Main().run(); }\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("decompose.toml"),
        "version = 1\n\n[[seam]]\nname = \"ok\"\npaths = [\"src/ok/**\"]\n\n[[seam]]\nname = \"rest <b>\"\npaths = [\"src/**\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("decompose-baseline.json"),
        "{\"version\": 1, \"dependencies\": [], \"cochange_share\": null}\n",
    )
    .unwrap();
    let root = dir.path();

    let (code, gh, _) = check(root, &["--no-history", "--format", "github"]);
    assert_eq!(code, 1);
    assert!(
        gh.contains("::error file=src/a%2Cb%3Ac%25d/Caller.java,line=3,title=new-cross-seam-dependency::new cross-seam dependency rest <b> -> ok: import of src/ok/Main.java (not in the baseline)\n"),
        "{gh}"
    );
    // The message part of a command line never holds a raw line break.
    for line in gh.lines().filter(|l| l.starts_with("::error")) {
        assert_eq!(line.matches("::").count(), 2, "{line}");
    }

    let (_, md, _) = check(root, &["--no-history", "--format", "markdown"]);
    assert!(!md.contains("<img"), "{md}");
    assert!(!md.contains("<b>"), "{md}");
    assert!(md.contains("rest &lt;b&gt;"), "{md}");

    let (_, sarif, _) = check(root, &["--no-history", "--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(sarif_errors(&sarif), Vec::<String>::new());
    let uris: std::collections::BTreeSet<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(uris.contains("src/a%2Cb%3Ac%25d/Caller.java"), "{uris:?}");
    assert!(uris.contains("src/ok/Main.java"), "{uris:?}");
    for u in &uris {
        assert!(!u.contains(['<', '>', '"', '\'', ' ', ',', ':']), "{u}");
    }
}

#[test]
fn trend_by_default_spreads_at_most_100_commits_over_the_history() {
    let dir = initialised();
    let repo = dir.path();
    decompose()
        .args(["trend", "-q"])
        .arg(repo)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("76 trend row(s) added"));
    let history: Vec<String> = git(repo, &["rev-list", "--first-parent", "HEAD"])
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(history.len(), 151);
    let rows: Vec<Value> = std::fs::read_to_string(repo.join("decompose-trend.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // ⌈151 / 100⌉ = 2: every second commit from HEAD back, oldest first.
    let expected: Vec<&str> = (0..151)
        .step_by(2)
        .rev()
        .map(|i| history[i].as_str())
        .collect();
    let got: Vec<&str> = rows.iter().map(|r| r["commit"].as_str().unwrap()).collect();
    assert_eq!(got, expected);
}

/// `check` and `trend` resolve Rust through the Cargo manifests, as
/// `analyze` does: on rust-shop (crates renamed in Cargo.toml, e.g. package
/// `shop-common` in `crates/common`) they see every dependency analyze sees.
#[test]
fn check_and_trend_read_cargo_manifests_like_analyze() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("rust-shop"), dir.path());
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "import"]);
    let report = analyze_json(dir.path(), &["--no-history"]);
    let distinct: std::collections::BTreeSet<(String, String, String)> = report["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["from"] != d["to"])
        .map(|d| {
            (
                d["from"].as_str().unwrap().to_string(),
                d["to"].as_str().unwrap().to_string(),
                d["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(distinct
        .iter()
        .any(|(_, to, _)| to.starts_with("crates/common/")));
    decompose()
        .args(["init", "-q"])
        .arg(dir.path())
        .assert()
        .code(0);
    let (code, v) = check_json(dir.path(), &["--no-history"]);
    assert_eq!(code, 0, "{v}");
    // Test code is not considered by check (include_tests = false).
    let tests: std::collections::BTreeSet<&str> = report["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["test"] == true)
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    let production = distinct
        .iter()
        .filter(|(f, t, _)| !tests.contains(f.as_str()) && !tests.contains(t.as_str()))
        .count();
    assert_eq!(v["metrics"]["dependencies"], production as u64, "{v}");
    // trend at HEAD: the same figure from git objects.
    decompose()
        .args(["trend", "-q"])
        .arg(dir.path())
        .args(["--at", "HEAD"])
        .assert()
        .code(0);
    let row: Value = serde_json::from_str(
        std::fs::read_to_string(dir.path().join("decompose-trend.jsonl"))
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(row["dependencies"], production as u64);
}

/// Issue 18: the seams the HTML report's what-if mode exports (names with
/// quotes, backslashes and line breaks included) are taken by `init
/// --from` as they are, and `check` passes on them.
#[test]
fn init_from_exported_seams_keeps_them_as_they_are() {
    let dir = replay_history("java-shop");
    let seams = "# exported\n\nversion = 1\n\n\
        [[seam]]\nname = \"sales \\\"and\\\" \\\\ back\\noffice\"\npaths = [\n  \"src/main/java/com/shop/orders/**\",\n  \"src/main/java/com/shop/cart/**\",\n]\n\n\
        [[seam]]\nname = \"rest\"\npaths = [\n  \"src/main/java/com/shop/c[u]stomers/**\",\n  \"src/main/java/com/shop/catalog/**\",\n  \"src/main/java/com/shop/payments/**\",\n  \"src/main/java/com/shop/promotions/**\",\n]\n\n\
        [[seam]]\nname = \"kernel\"\nkernel = true\npaths = [\n  \"src/main/java/com/shop/common/**\",\n]\n";
    let file = dir.path().join("whatif.toml");
    std::fs::write(&file, seams).unwrap();
    decompose()
        .args(["init", "-q", "--from"])
        .arg(&file)
        .arg(dir.path())
        .assert()
        .code(0);
    let written = decompose::ci::config::Config::load(&dir.path().join("decompose.toml")).unwrap();
    let given = decompose::ci::config::Config::load(&file).unwrap();
    let shape = |c: &decompose::ci::config::Config| -> Vec<(String, Vec<String>, bool)> {
        c.seams
            .iter()
            .map(|s| (s.name.clone(), s.paths.clone(), s.kernel))
            .collect()
    };
    assert_eq!(shape(&written), shape(&given));
    assert_eq!(written.seams[0].name, "sales \"and\" \\ back\noffice");
    assert!(
        written.seams[0].may_depend_on.is_some(),
        "today's dependencies become rules"
    );
    let (code, out, err) = check(dir.path(), &["--no-history"]);
    assert_eq!(code, 0, "{out}{err}");

    // A broken file: its name and line, exit 2.
    std::fs::write(&file, "[[seam]]\nname = \"a\"\npaths = x/**\n").unwrap();
    decompose()
        .args(["init", "-q", "--force", "--from"])
        .arg(&file)
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("whatif.toml:3:"));
}
