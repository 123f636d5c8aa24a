//! Issue 18: `analyze` honours the architect's seams. `fixtures/pin-shop`
//! is three structural clusters (`shop/orders`, `shop/billing`,
//! `shop/catalog`; orders calls billing once) and a test; each test gives it
//! one `decompose.toml` (or `--pin`s) and asserts the exact services, their
//! origin and the warnings, which name the file and line.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;

/// Service name → (origin, members), from a report.
type Services = BTreeMap<String, (String, Vec<String>)>;

struct Run {
    code: Option<i32>,
    stderr: String,
    report: serde_json::Value,
    /// The config file as named in messages.
    config: String,
}

impl Run {
    fn services(&self) -> Services {
        self.report["services"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let members = s["members"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m.as_str().unwrap().to_string())
                    .collect();
                (
                    s["name"].as_str().unwrap().to_string(),
                    (s["origin"].as_str().unwrap().to_string(), members),
                )
            })
            .collect()
    }

    /// The report's warnings, with the config's path written `CONFIG`.
    fn warnings(&self) -> Vec<String> {
        self.report["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_str().unwrap().replace(&self.config, "CONFIG"))
            .collect()
    }
}

/// `analyze fixtures/pin-shop` (no history) with `toml` as `--config` when
/// given, plus `extra` flags.
fn analyze_pinned(toml: Option<&str>, extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("seams.toml");
    let mut cmd = decompose();
    cmd.arg("analyze")
        .arg(fixture("pin-shop"))
        .args([
            "--no-history",
            "--format",
            "json",
            "-o",
            "-",
            "--deterministic",
        ])
        .args(extra);
    if let Some(text) = toml {
        std::fs::write(&config, text).unwrap();
        cmd.arg("--config").arg(&config);
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        report: serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null),
        config: config.display().to_string(),
    }
}

fn services(rows: &[(&str, &str, &[&str])]) -> Services {
    rows.iter()
        .map(|(name, origin, members)| {
            (
                name.to_string(),
                (
                    origin.to_string(),
                    members.iter().map(|m| format!("shop/{m}")).collect(),
                ),
            )
        })
        .collect()
}

const ORDERS: &[&str] = &[
    "__init__.py",
    "orders/__init__.py",
    "orders/line.py",
    "orders/order.py",
    "orders/repository.py",
    "orders/service.py",
];
const BILLING: &[&str] = &[
    "billing/__init__.py",
    "billing/amount.py",
    "billing/invoice.py",
    "billing/invoice_service.py",
    "billing/ledger.py",
];
const CATALOG: &[&str] = &[
    "catalog/__init__.py",
    "catalog/pricing.py",
    "catalog/product.py",
    "catalog/search.py",
];

/// A pinned service of `members` (under `shop/`).
fn pinned_as(members: &[&str]) -> (String, Vec<String>) {
    (
        "pinned".to_string(),
        members.iter().map(|m| format!("shop/{m}")).collect(),
    )
}

/// The services of the fixture without pins.
fn as_analysed() -> Services {
    services(&[
        ("orders", "proposed", ORDERS),
        ("billing", "proposed", BILLING),
        ("catalog", "proposed", CATALOG),
    ])
}

#[test]
fn without_pins_the_three_folders_are_proposed() {
    let run = analyze_pinned(None, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.services(), as_analysed());
    assert_eq!(run.warnings(), Vec::<String>::new());
}

/// Pins against the structure: one seam takes a unit of billing and one of
/// catalog, two seams split orders; the unpinned units gather around them.
#[test]
fn pins_that_contradict_the_structure_are_honoured() {
    let run = analyze_pinned(
        Some(
            r#"version = 1

[[seam]]
name = "money-and-goods"
paths = ["shop/billing/amount.py", "shop/catalog/product.py"]

[[seam]]
name = "order-model"
paths = ["shop/orders/order.py", "shop/orders/line.py"]

[[seam]]
name = "order-flow"
paths = ["shop/orders/service.py", "shop/orders/repository.py"]
"#,
        ),
        &[],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.services(),
        services(&[
            (
                "money-and-goods",
                "pinned",
                &[
                    "billing/amount.py",
                    "catalog/__init__.py",
                    "catalog/pricing.py",
                    "catalog/product.py",
                    "catalog/search.py"
                ]
            ),
            (
                "order-model",
                "pinned",
                &["orders/line.py", "orders/order.py"]
            ),
            (
                "order-flow",
                "pinned",
                &[
                    "__init__.py",
                    "orders/__init__.py",
                    "orders/repository.py",
                    "orders/service.py"
                ]
            ),
            (
                "billing",
                "proposed",
                &[
                    "billing/__init__.py",
                    "billing/invoice.py",
                    "billing/invoice_service.py",
                    "billing/ledger.py"
                ]
            ),
        ])
    );
    let placement: BTreeMap<&str, &str> = run.report["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| Some((u["id"].as_str()?, u["placement"].as_str()?)))
        .collect();
    assert_eq!(placement["shop/billing/amount.py"], "pinned");
    assert_eq!(placement["shop/catalog/search.py"], "clustered");
    assert_eq!(run.warnings(), Vec::<String>::new());
}

/// A seam that matches nothing, and one that matches only test code, are
/// warnings with their line; the analysis goes on without them.
#[test]
fn an_empty_pin_is_a_warning_naming_file_and_line() {
    let run = analyze_pinned(
        Some(
            r#"version = 1

[[seam]]
name = "ghost"
paths = ["shop/nothing/**"]

[[seam]]
name = "testy"
paths = ["tests/**"]
"#,
        ),
        &[],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.warnings(),
        vec![
            "CONFIG:4: seam \"ghost\" matches no unit",
            "CONFIG:8: seam \"testy\" matches only test code, which is not clustered without --include-tests",
        ]
    );
    assert!(
        run.stderr.contains(&format!(
            "warning: {}:4: seam \"ghost\" matches no unit",
            run.config
        )),
        "{}",
        run.stderr
    );
    assert_eq!(run.services(), as_analysed());
}

/// Two seams claiming one file: the first in the file takes it, and the
/// warning names the later seam's line; a seam left with nothing says so.
#[test]
fn overlapping_pins_first_wins_with_a_warning() {
    let run = analyze_pinned(
        Some(
            r#"version = 1

[[seam]]
name = "billing"
paths = ["shop/billing/**"]

[[seam]]
name = "money"
paths = ["shop/billing/amount.py", "shop/catalog/**"]

[[seam]]
name = "ledger"
paths = ["shop/billing/ledger.py"]
"#,
        ),
        &[],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.warnings(),
        vec![
            "CONFIG:8: shop/billing/amount.py matches seam \"billing\", seam \"money\"; the first, seam \"billing\", takes it",
            "CONFIG:12: shop/billing/ledger.py matches seam \"billing\", seam \"ledger\"; the first, seam \"billing\", takes it",
            "CONFIG:12: every unit seam \"ledger\" matches is taken by an earlier seam",
        ]
    );
    assert_eq!(
        run.services(),
        services(&[
            ("orders", "proposed", ORDERS),
            ("billing", "pinned", BILLING),
            ("money", "pinned", CATALOG),
        ])
    );
}

/// `keep_apart` of two seam names keeps their services apart; of two globs
/// inside one structural cluster, splits it (each glob a pinned group named
/// after it, the rest of the cluster around them).
#[test]
fn keep_apart_of_seam_names_and_of_globs_is_honoured() {
    let run = analyze_pinned(
        Some(
            r#"version = 1
keep_apart = [
  ["orders", "billing"],
  ["shop/catalog/product.py", "shop/catalog/pricing.py"],
]

[[seam]]
name = "orders"
paths = ["shop/orders/**"]

[[seam]]
name = "billing"
paths = ["shop/billing/**"]
"#,
        ),
        &[],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.warnings(), Vec::<String>::new());
    assert_eq!(
        run.services(),
        services(&[
            ("orders", "pinned", ORDERS),
            ("billing", "pinned", BILLING),
            ("shop/catalog/product.py", "pinned", &["catalog/product.py"]),
            (
                "shop/catalog/pricing.py",
                "pinned",
                &[
                    "catalog/__init__.py",
                    "catalog/pricing.py",
                    "catalog/search.py"
                ]
            ),
        ])
    );
}

/// A `keep_apart` glob inside a seam cannot hold: the seam keeps the unit,
/// and the warnings name the keep_apart line.
#[test]
fn keep_apart_against_a_seam_is_a_warning_with_its_line() {
    let run = analyze_pinned(
        Some(
            r#"version = 1

keep_apart = [["billing", "shop/billing/ledger.py"]]

[[seam]]
name = "billing"
paths = ["shop/billing/*"]
"#,
        ),
        &[],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.warnings(),
        vec![
            "CONFIG:3 (keep_apart): shop/billing/ledger.py matches seam \"billing\", keep_apart glob \"shop/billing/ledger.py\"; the first, seam \"billing\", takes it",
            "CONFIG:3 (keep_apart): every unit keep_apart glob \"shop/billing/ledger.py\" matches is taken by an earlier seam",
        ]
    );
    assert_eq!(run.services()["billing"], pinned_as(BILLING));
}

/// An unknown key is a warning with its line and is left out; the seam it
/// sits in is still honoured.
#[test]
fn an_unknown_key_is_a_warning_naming_file_and_line() {
    let run = analyze_pinned(
        Some(
            r#"version = 1

[[seam]]
name = "goods"
colour = "red"
paths = ["shop/catalog/**"]
"#,
        ),
        &[],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.warnings(),
        vec!["CONFIG:5: unknown key `colour` ignored"]
    );
    assert_eq!(run.services()["goods"], pinned_as(CATALOG));
}

/// A malformed or unreadable file ends the run with exit 2 and a message
/// naming the file (and line); no report is written.
#[test]
fn a_malformed_or_missing_config_exits_2() {
    let run = analyze_pinned(
        Some("version = 1\n\n[[seam]]\nname = \"billing\"\npaths = \"shop/billing/**\"\n"),
        &[],
    );
    assert_eq!(run.code, Some(2));
    assert_eq!(run.report, serde_json::Value::Null);
    assert!(
        run.stderr.starts_with(&format!(
            "decompose: error: {}:5: invalid type: string \"shop/billing/**\", expected a sequence",
            run.config
        )),
        "{}",
        run.stderr
    );
    let run = analyze_pinned(
        Some("[[seam]]\nname = \"billing\"\npaths = [\"shop/billing/[x\"]\n"),
        &[],
    );
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.starts_with(&format!(
            "decompose: error: {}:3: seam \"billing\": bad glob \"shop/billing/[x\"",
            run.config
        )),
        "{}",
        run.stderr
    );
    let missing = Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-such-seams.toml");
    let out = decompose()
        .arg("analyze")
        .arg(fixture("pin-shop"))
        .args(["--no-history", "--format", "json", "-o", "-", "--config"])
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with(&format!(
        "decompose: error: cannot read {}: ",
        missing.display()
    )));
}

/// `decompose.toml` in the analysed root is read without `--config`.
#[test]
fn the_config_at_the_root_is_read() {
    let parent = tempfile::tempdir().unwrap();
    let repo = parent.path().join("shop");
    copy_dir(&fixture("pin-shop"), &repo);
    std::fs::write(
        repo.join("decompose.toml"),
        "version = 1\n\n[[seam]]\nname = \"goods\"\npaths = [\"shop/catalog/**\"]\n",
    )
    .unwrap();
    let report = analyze_json(&repo, &["--no-history"]);
    let goods = report["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "goods")
        .expect("the seam of decompose.toml is a service");
    assert_eq!(goods["origin"], "pinned");
    assert_eq!(goods["members"].as_array().unwrap().len(), CATALOG.len());
}

/// `--pin` is repeatable; pins of one name merge into one seam, also with a
/// seam of that name in the file (its globs join it).
#[test]
fn pin_flags_repeat_and_merge_by_name() {
    let run = analyze_pinned(
        Some("version = 1\n\n[[seam]]\nname = \"goods\"\npaths = [\"shop/catalog/product.py\"]\n"),
        &[
            "--pin",
            "flow=shop/orders/service.py",
            "--pin",
            "goods=shop/catalog/search.py",
            "--pin",
            "flow=shop/orders/repository.py",
            "--pin",
            "cash = shop/billing/amount.py",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.warnings(), Vec::<String>::new());
    let got = run.services();
    let pinned: Vec<(&str, &str)> = run.report["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["placement"] == "pinned")
        .map(|u| (u["id"].as_str().unwrap(), u["service"].as_str().unwrap()))
        .collect();
    assert_eq!(
        pinned,
        vec![
            ("shop/billing/amount.py", "cash"),
            ("shop/catalog/product.py", "goods"),
            ("shop/catalog/search.py", "goods"),
            ("shop/orders/repository.py", "flow"),
            ("shop/orders/service.py", "flow"),
        ]
    );
    for name in ["goods", "flow", "cash"] {
        assert_eq!(got[name].0, "pinned", "{name}");
    }
    // A --pin without a glob is a usage error.
    let run = analyze_pinned(None, &["--pin", "goods"]);
    assert_eq!(run.code, Some(2));
    assert!(run
        .stderr
        .contains("--pin \"goods\": expected NAME=GLOB with a valid path glob"));
}
