//! The rust-shop fixture: a Cargo workspace of six crates whose extracted
//! edges are checked against the hand-derived ground truth in
//! fixtures/rust-shop.edges.

mod common;

use common::*;

#[test]
fn edges_match_ground_truth() {
    let report = analyze_json(&fixture("rust-shop"), &["--no-history"]);
    let got = report_edges(&report);
    let expected = expected_edges(&root().join("fixtures/rust-shop.edges"));
    for kind in ["import", "inherit", "call"] {
        assert_edges_exact(&got, &expected, kind);
    }
    assert_eq!(precision_recall(&got, &expected, "import"), (1.0, 1.0));
    assert_eq!(precision_recall(&got, &expected, "inherit"), (1.0, 1.0));
    assert_eq!(precision_recall(&got, &expected, "call"), (1.0, 1.0));
    let count = |k: &str| expected.iter().filter(|e| e.0 == k).count();
    assert_eq!(
        (count("import"), count("inherit"), count("call")),
        (51, 3, 42)
    );
}

#[test]
fn modules_crates_tests_and_resolution_figures() {
    let report = analyze_json(&fixture("rust-shop"), &["--no-history"]);
    let summary = &report["summary"];
    assert_eq!(summary["units"], 24);
    assert_eq!(summary["languages"]["rust"], 24);
    assert_eq!(summary["test_units"], 1);
    // legacy.rs does not parse: read by the line scan, reported once.
    assert_eq!(summary["files_with_errors"], 1);
    let res = &summary["resolution"];
    assert_eq!(res["type_refs_internal"], 177);
    assert_eq!(res["type_refs_unresolved"], 0);
    assert_eq!(res["calls_internal"], 84);
    assert_eq!(res["calls_external"], 30);
    // The one unresolved call: `b.price()` on an untyped closure parameter.
    assert_eq!(res["calls_unresolved"], 1);
    let units = report["units"].as_array().unwrap();
    let name = |id: &str| {
        units
            .iter()
            .find(|u| u["id"] == id)
            .map(|u| u["name"].as_str().unwrap().to_string())
            .unwrap()
    };
    // Crate names from [lib] name, package names, #[path] and non-mod-rs
    // layouts.
    assert_eq!(name("crates/common/src/money.rs"), "common::money");
    assert_eq!(
        name("crates/payments/src/ledger_impl.rs"),
        "payments::ledger"
    );
    assert_eq!(
        name("crates/customers/src/account/address.rs"),
        "customers::account::address"
    );
    assert_eq!(name("app/src/cli.rs"), "shop_app::cli");
    assert_eq!(name("app/src/bin/stock_report.rs"), "stock_report");
    let tests: Vec<&str> = units
        .iter()
        .filter(|u| u["test"] == true)
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    assert_eq!(tests, vec!["crates/orders/tests/place_order.rs"]);
    let diags = report["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0]["unit"], "crates/catalog/src/legacy.rs");
    assert!(diags[0]["message"]
        .as_str()
        .unwrap()
        .contains("syn could not parse this file"));
}

#[test]
fn same_bytes_whatever_the_thread_count() {
    let one = analyze_bytes(&fixture("rust-shop"), "1");
    let two = analyze_bytes(&fixture("rust-shop"), "2");
    assert!(one == two, "1- and 2-thread reports differ");
}

#[test]
fn without_manifests_crates_are_named_after_their_folders() {
    // No Cargo.toml at all: `app/src/main.rs` is the crate root of `app`,
    // `lib/src/lib.rs` the root of `lib`, and `lib::x::f` resolves.
    let dir = project(&[
        ("app/src/main.rs", "use lib::x::f;\nfn main() { f(); }\n"),
        ("lib/src/lib.rs", "pub mod x;\n"),
        ("lib/src/x.rs", "pub fn f() {}\n"),
    ]);
    let report = analyze_json(dir.path(), &["--no-history"]);
    let got = report_edges(&report);
    let e = |k: &str, a: &str, b: &str| (k.to_string(), a.to_string(), b.to_string());
    assert!(got.contains(&e("import", "app/src/main.rs", "lib/src/x.rs")));
    assert!(got.contains(&e("call", "app/src/main.rs", "lib/src/x.rs")));
    assert_eq!(report["summary"]["resolution"]["type_refs_unresolved"], 0);
}

#[test]
fn receivers_typed_through_if_let_and_match_bindings() {
    // `o` and `x` are typed from `Option<Order>` / `Result<Order, _>`
    // returns, so `o.total()` and `x.total()` land on order.rs.
    let dir = project(&[
        (
            "shop/src/lib.rs",
            "pub mod order;\npub mod repo;\npub mod report;\n",
        ),
        (
            "shop/src/order.rs",
            "pub struct Order;\nimpl Order { pub fn total(&self) -> u64 { 0 } }\n",
        ),
        (
            "shop/src/repo.rs",
            "use crate::order::Order;\npub struct Repo;\nimpl Repo {\n    pub fn get(&self) -> Option<Order> { None }\n    pub fn load(&self) -> Result<Order, String> { Err(String::new()) }\n}\n",
        ),
        (
            "shop/src/report.rs",
            "use crate::repo::Repo;\npub fn sum(r: &Repo) -> u64 {\n    let mut n = 0;\n    if let Some(o) = r.get() { n += o.total(); }\n    match r.load() { Ok(x) => n += x.total(), Err(_) => {} }\n    n\n}\n",
        ),
    ]);
    let report = analyze_json(dir.path(), &["--no-history"]);
    let calls: Vec<(String, String)> = report_edges(&report)
        .into_iter()
        .filter(|e| e.0 == "call")
        .map(|e| (e.1, e.2))
        .collect();
    assert_eq!(
        calls,
        vec![
            (
                "shop/src/report.rs".to_string(),
                "shop/src/order.rs".to_string()
            ),
            (
                "shop/src/report.rs".to_string(),
                "shop/src/repo.rs".to_string()
            ),
        ]
    );
    let res = &report["summary"]["resolution"];
    assert_eq!(res["calls_internal"], 4);
    assert_eq!(res["calls_unresolved"], 0);
}
