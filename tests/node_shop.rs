//! The TypeScript and JavaScript fixtures: fixtures/node-shop (NestJS +
//! TypeORM in a pnpm workspace with two shared packages, tsconfig path
//! aliases, barrels and a cross-domain transaction) and
//! fixtures/express-shop (CommonJS Express + Sequelize with mounts across
//! files). Extracted edges against the hand-checked ground truth in
//! `fixtures/<name>.edges`, planted domains, routes, tables, the saga, the
//! skipped and test files, and byte-identical output at 1 and 2 threads.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;

fn report(name: &str) -> serde_json::Value {
    analyze_json(&fixture(name), &["--no-history", "--no-cache"])
}

fn check_edges(name: &str, n_expected: usize) {
    let report = report(name);
    let got = report_edges(&report);
    let expected = expected_edges(&root().join(format!("fixtures/{name}.edges")));
    for kind in ["import", "inherit", "call"] {
        // express-shop has no inheritance between its files: nothing to
        // score, and none may be extracted.
        if !expected.iter().any(|e| e.0 == kind) {
            assert!(!got.iter().any(|e| e.0 == kind), "{kind}: {got:?}");
            continue;
        }
        assert_edges_exact(&got, &expected, kind);
        let (precision, recall) = precision_recall(&got, &expected, kind);
        assert_eq!((precision, recall), (1.0, 1.0), "{kind}");
    }
    assert_eq!(expected.len(), n_expected);
}

#[test]
fn node_shop_edges_match_ground_truth() {
    check_edges("node-shop", 89);
    let r = report("node-shop");
    let res = &r["summary"]["resolution"];
    assert_eq!(res["type_refs_unresolved"], 0);
    // Two callbacks called through untyped parameters (`h(event)`).
    assert_eq!(res["calls_unresolved"], 2);
}

#[test]
fn express_shop_edges_match_ground_truth() {
    check_edges("express-shop", 30);
}

/// Type-only imports are `type_use`, never `import`: `order-line.entity.ts`
/// imports `Order` as a type only, and `billing.service.ts` both imports
/// `SystemClock` and `type { Clock }` from the kernel barrel.
#[test]
fn type_only_imports_are_type_uses() {
    let got = report_edges(&report("node-shop"));
    let a = "apps/api/src/ordering/order-line.entity.ts".to_string();
    let b = "apps/api/src/ordering/order.entity.ts".to_string();
    assert!(got.contains(&("type_use".into(), a.clone(), b.clone())));
    assert!(!got.contains(&("import".into(), a, b)));
    let bus = "packages/events/src/event-bus.ts".to_string();
    let events = "packages/events/src/events.ts".to_string();
    assert!(got.contains(&("type_use".into(), bus.clone(), events.clone())));
    assert!(!got.contains(&("import".into(), bus, events)));
}

#[test]
fn units_tests_declarations_and_skips() {
    let r = report("node-shop");
    let summary = &r["summary"];
    assert_eq!(summary["units"], 32);
    assert_eq!(summary["languages"]["typescript"], 32);
    assert_eq!(summary["test_units"], 1);
    assert_eq!(summary["files_with_errors"], 0);
    let role = |r: &serde_json::Value, id: &str| {
        r["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["id"] == id)
            .map(|u| u["role"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("{id} is no unit"))
    };
    assert_eq!(
        role(&r, "apps/api/src/ordering/checkout.service.spec.ts"),
        "test"
    );
    assert_eq!(role(&r, "apps/api/src/types/express.d.ts"), "generated");
    let skipped = |r: &serde_json::Value| -> Vec<(String, String)> {
        r["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["path"].as_str().unwrap().to_string(),
                    s["reason"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let folder = "installed packages or build output (folder not walked)".to_string();
    assert_eq!(
        skipped(&r),
        vec![
            ("apps/api/dist/".to_string(), folder.clone()),
            ("node_modules/".to_string(), folder),
        ]
    );
    let e = report("express-shop");
    assert_eq!(e["summary"]["languages"]["javascript"], 17);
    assert_eq!(e["summary"]["test_units"], 1);
    assert_eq!(
        skipped(&e),
        vec![(
            "public/js/vendor.min.js".to_string(),
            "minified or bundled JavaScript (generated)".to_string()
        )]
    );
}

fn planted(name: &str) -> BTreeMap<String, String> {
    std::fs::read_to_string(root().join(format!("fixtures/{name}.expected")))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (id, d) = l.split_once('\t').unwrap();
            (id.to_string(), d.to_string())
        })
        .collect()
}

/// Each planted domain's files form exactly one service (which holds no
/// other domain's), and the planted kernel is the shared kernel.
fn check_planted_domains(name: &str, report: &serde_json::Value, n_domains: usize) {
    let expected = planted(name);
    let kernel: BTreeSet<String> = report["shared_kernel"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    let planted_kernel: BTreeSet<String> = expected
        .iter()
        .filter(|(_, d)| *d == "kernel")
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(kernel, planted_kernel);
    let mut seen = BTreeSet::new();
    for s in report["services"].as_array().unwrap() {
        let members: BTreeSet<&str> = s["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap())
            .collect();
        let domains: BTreeSet<&str> = members
            .iter()
            .filter_map(|m| expected.get(*m).map(String::as_str))
            .collect();
        assert!(
            domains.len() <= 1,
            "service {} mixes {domains:?}",
            s["name"]
        );
        let Some(d) = domains.into_iter().next() else {
            continue;
        };
        assert!(seen.insert(d.to_string()), "{d} split over services");
        for (id, dd) in &expected {
            if dd == d {
                assert!(members.contains(id.as_str()), "{id} not in {}", s["name"]);
            }
        }
    }
    assert_eq!(seen.len(), n_domains, "{seen:?}");
}

#[test]
fn planted_domains_come_back() {
    check_planted_domains("node-shop", &report("node-shop"), 4);
    check_planted_domains("express-shop", &report("express-shop"), 2);
}

#[test]
fn planted_domains_come_back_with_history() {
    let repo = replay_history("node-shop");
    let r = analyze_json(repo.path(), &["--no-cache"]);
    assert_eq!(r["summary"]["commits_analyzed"], 41);
    check_planted_domains("node-shop", &r, 4);
    let repo = replay_history("express-shop");
    let r = analyze_json(repo.path(), &["--no-cache"]);
    assert_eq!(r["summary"]["commits_analyzed"], 29);
    check_planted_domains("express-shop", &r, 2);
}

#[test]
fn routing_tables_are_complete_and_exact() {
    for name in ["node-shop", "express-shop"] {
        let r = report(name);
        let expected: BTreeSet<String> =
            std::fs::read_to_string(root().join(format!("fixtures/{name}.routes")))
                .unwrap()
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .map(str::to_string)
                .collect();
        let got: BTreeSet<String> = r["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                format!(
                    "{} {} {} {}",
                    e["method"].as_str().unwrap(),
                    e["path"].as_str().unwrap(),
                    e["handler"].as_str().unwrap(),
                    e["service"].as_str().unwrap_or("monolith")
                )
            })
            .collect();
        assert_eq!(got, expected, "{name}");
    }
}

/// (table, entity, unit, writer services, reader services).
type TableRow = (String, String, String, Vec<String>, Vec<String>);

fn tables(r: &serde_json::Value) -> Vec<TableRow> {
    let names = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_str().unwrap().to_string())
            .collect()
    };
    r["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["table"].as_str().unwrap().to_string(),
                e["entity"].as_str().unwrap_or("-").to_string(),
                e["unit"].as_str().unwrap_or("-").to_string(),
                names(&e["writers"]),
                names(&e["readers"]),
            )
        })
        .collect()
}

fn row(t: &str, e: &str, u: &str, w: &[&str], r: &[&str]) -> TableRow {
    let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    (t.into(), e.into(), u.into(), v(w), v(r))
}

#[test]
fn tables_are_exact() {
    assert_eq!(
        tables(&report("node-shop")),
        vec![
            // @Entity() with no name: TypeORM's snake_case of the class.
            row(
                "customer",
                "Customer",
                "apps/api/src/customers/customer.entity.ts",
                &["customers"],
                &["customers"]
            ),
            // @Entity({ name: 'invoices' }); the report's SQL reads it.
            row(
                "invoices",
                "Invoice",
                "apps/api/src/billing/invoice.entity.ts",
                &["invoice"],
                &["invoice"]
            ),
            // Only its entity declaration (the plan's `entity` site).
            row(
                "order_line",
                "OrderLine",
                "apps/api/src/ordering/order-line.entity.ts",
                &["order"],
                &[]
            ),
            row(
                "orders",
                "Order",
                "apps/api/src/ordering/order.entity.ts",
                &["order"],
                &["invoice", "order"]
            ),
            // Repository<Product>: decrement writes, findOneBy reads.
            row(
                "products",
                "Product",
                "apps/api/src/catalog/product.entity.ts",
                &["catalog"],
                &["catalog"]
            ),
        ]
    );
    assert_eq!(
        tables(&report("express-shop")),
        vec![
            // sequelize.define('customers'): calls on the model read or write.
            row(
                "customers",
                "Customer",
                "src/models/customer.js",
                &["customer"],
                &["customer"]
            ),
            // Order.init(…, { tableName: 'orders' }), and the report's SQL.
            row(
                "orders",
                "Order",
                "src/models/order.js",
                &["order"],
                &["order"]
            ),
        ]
    );
}

fn transactions(r: &serde_json::Value) -> Vec<(String, bool, Vec<String>)> {
    r["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["symbol"].as_str().unwrap().to_string(),
                t["saga"] == true,
                t["services"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn checkout_is_the_saga_candidate() {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        transactions(&report("node-shop")),
        vec![(
            "CheckoutService.placeOrder".to_string(),
            true,
            s(&["catalog", "customers", "invoice", "order"])
        )]
    );
    assert_eq!(
        transactions(&report("express-shop")),
        vec![(
            "OrderService.placeOrder".to_string(),
            true,
            s(&["customer", "order"])
        )]
    );
}

#[test]
fn output_is_byte_identical_across_thread_counts() {
    for name in ["node-shop", "express-shop"] {
        let path = fixture(name);
        assert_eq!(
            analyze_bytes(&path, "1"),
            analyze_bytes(&path, "2"),
            "{name}"
        );
    }
}
