//! The dotnet-shop fixture (a .NET solution of seven projects): extracted
//! edges against the hand-checked ground truth in fixtures/dotnet-shop.edges,
//! projects honoured, planted domains, routes, tables and the saga.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;

fn report() -> serde_json::Value {
    analyze_json(&fixture("dotnet-shop"), &["--no-history"])
}

#[test]
fn edges_match_ground_truth() {
    let report = report();
    let got = report_edges(&report);
    let expected = expected_edges(&root().join("fixtures/dotnet-shop.edges"));
    for kind in ["import", "inherit", "call", "type_use"] {
        let (precision, recall) = precision_recall(&got, &expected, kind);
        assert_eq!((precision, recall), (1.0, 1.0), "{kind}");
    }
    assert_edges_exact(&got, &expected, "import");
    assert_edges_exact(&got, &expected, "inherit");
    assert_edges_exact(&got, &expected, "call");
    assert_eq!(expected.len(), 197);
    let r = &report["summary"]["resolution"];
    assert_eq!(r["type_refs_unresolved"], 0);
    assert_eq!(r["calls_unresolved"], 0);
}

/// Two projects declare `Shop.Shared.Label`; each file resolves into the
/// one its project reaches, and no file edge crosses projects against the
/// `ProjectReference` graph.
#[test]
fn project_references_are_honoured() {
    let report = report();
    let got = report_edges(&report);
    let has = |kind: &str, from: &str, to: &str| {
        got.iter()
            .any(|e| e.0 == kind && e.1 == format!("src/{from}") && e.2 == format!("src/{to}"))
    };
    assert!(has(
        "call",
        "Shop.Billing/InvoicesController.cs",
        "Shop.Billing/Label.cs"
    ));
    assert!(has(
        "call",
        "Shop.Shipping/ShippingService.cs",
        "Shop.Shipping/Label.cs"
    ));
    assert!(!has(
        "call",
        "Shop.Shipping/ShippingService.cs",
        "Shop.Billing/Label.cs"
    ));
    // The reference graph of the fixture's .csproj files, transitively.
    let reach: BTreeMap<&str, &[&str]> = BTreeMap::from([
        ("Shop.Kernel", &[][..]),
        ("Shop.Catalog", &["Shop.Kernel"][..]),
        ("Shop.Customers", &["Shop.Kernel"][..]),
        ("Shop.Billing", &["Shop.Kernel"][..]),
        ("Shop.Shipping", &["Shop.Kernel"][..]),
        (
            "Shop.Ordering",
            &[
                "Shop.Kernel",
                "Shop.Catalog",
                "Shop.Customers",
                "Shop.Billing",
            ][..],
        ),
        (
            "Shop.Web",
            &[
                "Shop.Kernel",
                "Shop.Catalog",
                "Shop.Customers",
                "Shop.Billing",
                "Shop.Ordering",
                "Shop.Shipping",
            ][..],
        ),
        (
            "Shop.Ordering.Tests",
            &[
                "Shop.Kernel",
                "Shop.Catalog",
                "Shop.Customers",
                "Shop.Billing",
                "Shop.Ordering",
            ][..],
        ),
    ]);
    let project = |id: &str| id.split('/').nth(1).unwrap().to_string();
    let mut crossing = 0;
    for e in &got {
        let (a, b) = (project(&e.1), project(&e.2));
        if a != b && !reach[a.as_str()].contains(&b.as_str()) {
            crossing += 1;
        }
    }
    assert_eq!(crossing, 0);
}

#[test]
fn units_skips_tests_and_generated_code() {
    let report = report();
    let summary = &report["summary"];
    assert_eq!(summary["units"], 42);
    assert_eq!(summary["languages"]["csharp"], 42);
    assert_eq!(summary["test_units"], 1);
    assert_eq!(summary["files_with_errors"], 0);
    let units = report["units"].as_array().unwrap();
    let role = |id: &str| {
        units
            .iter()
            .find(|u| u["id"] == id)
            .map(|u| (u["role"].as_str().unwrap().to_string(), u["test"] == true))
            .unwrap()
    };
    assert_eq!(
        role("tests/Shop.Ordering.Tests/CheckoutServiceTests.cs"),
        ("test".to_string(), true)
    );
    assert_eq!(
        role("src/Shop.Kernel/Properties/Resources.Designer.cs"),
        ("generated".to_string(), false)
    );
    let order = units
        .iter()
        .find(|u| u["id"] == "src/Shop.Ordering/Order.cs")
        .unwrap();
    assert_eq!(order["name"], "Shop.Ordering.Order");
    assert_eq!(order["language"], "csharp");
    let skipped: Vec<(String, String)> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        skipped,
        vec![
            (
                "src/Shop.Billing/Legacy/InvoicePrinter.cs".to_string(),
                "not compiled: src/Shop.Billing/Shop.Billing.csproj (an old-style project) does not list it in <Compile Include>".to_string()
            ),
            (
                "src/Shop.Kernel/Scratch/Experiment.cs".to_string(),
                "not compiled: removed by <Compile Remove> in src/Shop.Kernel/Shop.Kernel.csproj".to_string()
            ),
            (
                "src/Shop.Kernel/obj/Debug/Shop.Kernel.AssemblyInfo.g.cs".to_string(),
                "build output (obj/ of src/Shop.Kernel/Shop.Kernel.csproj)".to_string()
            ),
        ]
    );
}

/// The planted decomposition of fixtures/dotnet-shop.expected: each
/// domain's files form exactly one service, the kernel project is the
/// shared kernel.
fn check_planted_domains(report: &serde_json::Value) {
    let expected: BTreeMap<String, String> =
        std::fs::read_to_string(root().join("fixtures/dotnet-shop.expected"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                let (id, d) = l.split_once('\t').unwrap();
                (id.to_string(), d.to_string())
            })
            .collect();
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
    let services = report["services"].as_array().unwrap();
    assert_eq!(services.len(), 5);
    let mut seen = BTreeSet::new();
    for s in services {
        let domains: BTreeSet<&str> = s["members"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|m| expected.get(m.as_str().unwrap()).map(String::as_str))
            .collect();
        assert_eq!(domains.len(), 1, "service {} mixes {domains:?}", s["name"]);
        let d = *domains.iter().next().unwrap();
        assert!(seen.insert(d.to_string()), "{d} split over services");
        let members: BTreeSet<&str> = s["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap())
            .collect();
        for (id, dd) in &expected {
            if dd == d {
                assert!(members.contains(id.as_str()), "{id} not in {}", s["name"]);
            }
        }
    }
}

#[test]
fn planted_domains_come_back() {
    check_planted_domains(&report());
}

#[test]
fn planted_domains_come_back_with_history() {
    let repo = replay_history("dotnet-shop");
    let report = analyze_json(repo.path(), &[]);
    assert_eq!(report["summary"]["commits_analyzed"], 61);
    check_planted_domains(&report);
}

#[test]
fn routing_table_is_complete_and_exact() {
    let r = report();
    let expected: BTreeSet<String> =
        std::fs::read_to_string(root().join("fixtures/dotnet-shop.routes"))
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
    assert_eq!(got, expected);
    assert_eq!(r["endpoints"].as_array().unwrap().len(), 15);
}

#[test]
fn tables_are_exact() {
    let r = report();
    let got: Vec<(String, String, String, Vec<String>)> = r["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["table"].as_str().unwrap().to_string(),
                e["entity"].as_str().unwrap_or("-").to_string(),
                e["unit"].as_str().unwrap_or("-").to_string(),
                e["writers"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|w| w.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    let row = |t: &str, e: &str, u: &str, w: &[&str]| {
        (
            t.to_string(),
            e.to_string(),
            u.to_string(),
            w.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        got,
        vec![
            // ToTable in OnModelCreating.
            row(
                "categories",
                "Category",
                "src/Shop.Catalog/Category.cs",
                &["product"]
            ),
            // Dapper SQL.
            row("customers", "-", "-", &["customer"]),
            // [Table] (EF6).
            row(
                "invoices",
                "Invoice",
                "src/Shop.Billing/Invoice.cs",
                &["payment"]
            ),
            // ADO.NET SqlCommand.
            row("loyalty_accounts", "-", "-", &["customer"]),
            // IEntityTypeConfiguration<OrderLine> with builder.ToTable.
            row(
                "order_lines",
                "OrderLine",
                "src/Shop.Ordering/OrderLine.cs",
                &["order"]
            ),
            // modelBuilder.Entity<Order>().ToTable on a partial type: its
            // primary part.
            row("orders", "Order", "src/Shop.Ordering/Order.cs", &["order"]),
            // EF6 EntityTypeConfiguration<Payment> with ToTable in the ctor.
            row(
                "payments",
                "Payment",
                "src/Shop.Billing/Payment.cs",
                &["payment"]
            ),
            // [Table]; ordering reserves stock on products (a shared write).
            row(
                "products",
                "Product",
                "src/Shop.Catalog/Product.cs",
                &["order", "product"]
            ),
            // DbSet<Shipment> Shipments: the member's name.
            row(
                "shipments",
                "Shipment",
                "src/Shop.Shipping/Shipment.cs",
                &["shipment"]
            ),
        ]
    );
}

#[test]
fn checkout_is_the_saga_candidate() {
    let r = report();
    let tx: Vec<(&str, bool, Vec<&str>)> = r["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["symbol"].as_str().unwrap(),
                t["saga"] == true,
                t["services"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_str().unwrap())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        tx,
        vec![
            ("BillingService.Pay", false, vec!["payment"]),
            (
                "CheckoutService.PlaceOrderAsync",
                true,
                vec!["customer", "order", "payment", "product"]
            ),
        ]
    );
}
