//! Issue 17 (code side): tables stated in code without JPA mappings
//! (MyBatis annotation mappers, `JdbcTemplate` strings, Spring Data derived
//! queries and `@Query`, jOOQ table constants, MyBatis Generator output, SQLAlchemy Core and
//! DB-API SQL), the plan without history, the CAP profile per service, and
//! the plan as a pull-request comment.

mod common;

use common::*;
use serde_json::Value;

fn no_history(name: &str) -> Value {
    analyze_json(&fixture(name), &["--no-history"])
}

fn service<'a>(r: &'a Value, name: &str) -> &'a Value {
    r["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("service {name}"))
}

/// `table: owner; site, site, ...` with each site as
/// `file:line symbol access via`, for every table of the report.
fn tables(r: &Value) -> Vec<String> {
    r["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let sites: Vec<String> = e["sites"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    format!(
                        "{}:{} {} {} {}",
                        s["unit"].as_str().unwrap().rsplit('/').next().unwrap(),
                        s["line"],
                        s["symbol"].as_str().unwrap(),
                        s["access"].as_str().unwrap(),
                        s["via"].as_str().unwrap()
                    )
                })
                .collect();
            format!(
                "{}: {}; {}",
                e["table"].as_str().unwrap(),
                e["owner"].as_str().unwrap_or("-"),
                sites.join(", ")
            )
        })
        .collect()
}

#[test]
fn tables_from_mappers_jdbc_jooq_derived_queries_and_python_sql() {
    let r = no_history("code-data-shop");
    assert_eq!(
        tables(&r),
        [
            "accounts: billing; PaymentDao.java:19 PaymentDao.record write sql",
            "order_lines: -; OrderLineMapper.java:11 OrderLineMapper.selectByPrimaryKey read sql",
            "payments: billing; PaymentDao.java:23 PaymentDao.recent read sql, \
             PaymentDao.java:18 PaymentDao.record write sql",
            "products: catalog; Product.java:7 Product write entity, \
             ProductController.java:23 ProductController.cheap read repository_call, \
             ProductController.java:18 ProductController.search read repository_call, \
             ProductRepository.java:8 ProductRepository write repository, \
             ProductRepository.java:15 ProductRepository.cheaperThan read sql, \
             ProductRepository.java:11 ProductRepository.countByPriceGreaterThan read derived_query, \
             ProductRepository.java:13 ProductRepository.deleteByName write derived_query, \
             ProductRepository.java:9 ProductRepository.findByNameContaining read derived_query",
            "reviews: catalog; ReviewQueries.java:19 ReviewQueries.add write table_ref, \
             ReviewQueries.java:15 ReviewQueries.count read table_ref",
            "stock: billing; stock.py:9 low_stock read sql, stock.py:13 restock write sql",
            "users: users; PaymentDao.java:23 PaymentDao.recent read sql, \
             UserMapper.java:14 UserMapper.add write sql, \
             UserMapper.java:11 UserMapper.find read sql, \
             UserMapper.java:20 UserMapper.remove write sql, \
             UserMapper.java:17 UserMapper.rename write sql",
        ]
    );
}

#[test]
fn generator_output_carries_data_but_never_ranks() {
    let r = no_history("code-data-shop");
    // One notion of generated code for seams, plan and metrics: the three
    // generator files are never clustered; they follow the service that
    // uses them (billing's InvoiceService uses the mapper and the criteria
    // class, the mapper returns the record) and never name it.
    let gen: Vec<String> = r["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["id"].as_str().unwrap().contains("/gen/"))
        .map(|u| {
            format!(
                "{} {} {} {} {}",
                u["id"].as_str().unwrap(),
                u["role"].as_str().unwrap(),
                u["service"].as_str().unwrap_or("-"),
                u["placement"].as_str().unwrap_or("-"),
                u["confidence"]
            )
        })
        .collect();
    assert_eq!(
        gen,
        [
            "src/main/java/com/shop/gen/OrderLine.java generated billing generated 1.0",
            "src/main/java/com/shop/gen/OrderLineExample.java generated billing generated 1.0",
            "src/main/java/com/shop/gen/OrderLineMapper.java generated billing generated 1.0",
        ]
    );
    let services: Vec<(&str, bool)> = r["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            assert!(s["score"].as_f64().unwrap() > 0.0, "{}", s["name"]);
            (
                s["name"].as_str().unwrap(),
                s["extraction"]["generated"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        services,
        [("users", false), ("catalog", false), ("billing", false)]
    );
    // Its data facts stay: the mapper's statement is a site of billing.
    let billing = service(&r, "billing");
    assert!(billing["members"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m == "src/main/java/com/shop/gen/OrderLineMapper.java"));
}

/// A generated unit that nothing uses and that uses nothing stays out of
/// every service, with its reason; a service never consists of generated
/// code alone.
#[test]
fn unused_generated_code_has_no_service_and_says_why() {
    let r = no_history("python-shop");
    let m = r["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == "catalog/migrations/0001_initial.py")
        .unwrap();
    assert_eq!(m["role"], "generated");
    assert_eq!(m["service"], Value::Null);
    assert_eq!(
        m["reason"],
        "generated code: never clustered, and no unit of a service uses it or is used by it"
    );
}

#[test]
fn without_history_the_benefit_is_the_structural_proxy() {
    let r = no_history("java-shop");
    assert_eq!(r["benefit_basis"], "structure");
    let ranked: Vec<(&str, f64)> = r["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["score"].as_f64().unwrap()))
        .collect();
    assert_eq!(
        ranked,
        [
            ("catalog", 0.154357),
            ("customers", 0.122537),
            ("payments", 0.111519),
            ("promotions", 0.10383),
            ("cart", 0.076721),
            ("orders", 0.072672),
        ]
    );
    let catalog = &service(&r, "catalog")["extraction"];
    assert_eq!(catalog["benefit_basis"], "structure");
    assert_eq!(catalog["size_complexity_share"], 0.187005);
    assert_eq!(catalog["route_share"], 0.24);
    assert_eq!(catalog["fan_in_share"], 0.583333);
    assert_eq!(catalog["benefit"], 0.336779);
    // Step 1 has routes to redirect and tables to move.
    let step1 = &r["plan"][0];
    assert_eq!(step1["service"], "catalog");
    assert_eq!(step1["routes"].as_array().unwrap().len(), 6);
    let data: Vec<&str> = step1["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["table"].as_str().unwrap())
        .collect();
    assert_eq!(data, ["inventory", "products"]);
    let mut sums = [0.0; 3];
    for s in r["services"].as_array().unwrap() {
        let e = &s["extraction"];
        for (k, f) in ["size_complexity_share", "route_share", "fan_in_share"]
            .iter()
            .enumerate()
        {
            sums[k] += e[f].as_f64().unwrap();
        }
        let mean = (e["size_complexity_share"].as_f64().unwrap()
            + e["route_share"].as_f64().unwrap()
            + e["fan_in_share"].as_f64().unwrap())
            / 3.0;
        assert!(
            (e["benefit"].as_f64().unwrap() - mean).abs() < 1e-6,
            "{s:#?}"
        );
    }
    for sum in sums {
        assert!((sum - 1.0).abs() < 1e-5, "shares add up to 1: {sums:?}");
    }
}

#[test]
fn with_history_the_benefit_basis_is_history() {
    let repo = replay_history("java-shop");
    let r = analyze_json(repo.path(), &[]);
    assert_eq!(r["benefit_basis"], "history");
    assert_eq!(r["services"][0]["extraction"]["benefit_basis"], "history");
    assert_eq!(r["services"][0]["extraction"]["route_share"], 0.0);
}

/// `profile: kind subject, ...` per service, by rank.
fn caps(r: &Value) -> Vec<String> {
    r["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let ev: Vec<String> = s["cap"]["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    let subject = e["subject"].as_str().unwrap();
                    format!(
                        "{} {}",
                        e["kind"].as_str().unwrap(),
                        subject.rsplit('/').next().unwrap()
                    )
                })
                .collect();
            format!(
                "{} {}: {}",
                s["name"].as_str().unwrap(),
                s["cap"]["profile"].as_str().unwrap(),
                ev.join(", ")
            )
        })
        .collect()
}

#[test]
fn cap_profiles_of_the_java_shop() {
    assert_eq!(
        caps(&no_history("java-shop")),
        [
            "catalog availability-first: read_across_only products, \
             saga_participant CartService.java#CartService.addItem, \
             saga_participant CartService.java#CartService.applyCoupon, \
             saga_participant CartService.java#CartService.removeItem, \
             saga_participant OrderService.java#OrderService.cancel, \
             saga_participant OrderService.java#OrderService.placeOrder, \
             saga_participant PromotionService.java#PromotionService.create, \
             write_in_transaction inventory",
            "customers consistency-first: ledger_write_in_transaction loyalty_accounts, \
             read_across_only customers, \
             saga_participant OrderService.java#OrderService.placeOrder",
            "payments consistency-first: ledger_write_in_transaction payments, \
             saga_participant OrderService.java#OrderService.placeOrder",
            "promotions consistency-first: \
             saga_participant CartService.java#CartService.addItem, \
             saga_participant CartService.java#CartService.applyCoupon, \
             saga_participant CartService.java#CartService.removeItem, \
             split_transaction PromotionService.java#PromotionService.create, \
             write_in_transaction promotions",
            "cart consistency-first: split_transaction CartService.java#CartService.addItem, \
             split_transaction CartService.java#CartService.applyCoupon, \
             split_transaction CartService.java#CartService.removeItem, \
             write_in_transaction cart_items, write_in_transaction carts",
            "orders consistency-first: split_transaction OrderService.java#OrderService.cancel, \
             split_transaction OrderService.java#OrderService.placeOrder, \
             write_in_transaction order_lines, write_in_transaction orders",
        ]
    );
}

#[test]
fn cap_profiles_of_the_python_shop() {
    assert_eq!(
        caps(&no_history("python-shop")),
        // By rank: catalog after customers since the model relations
        // into catalog_products are foreign keys crossing its cut.
        [
            "cart availability-first: read_across_only cart_cartitem",
            "promotions consistency-first: write_in_transaction promo_coupons",
            "customers consistency-first: ledger_write_in_transaction loyalty_accounts, \
             saga_participant services.py#OrderService.place_order, \
             write_in_transaction customers_customer",
            "catalog consistency-first: saga_participant services.py#OrderService.place_order, \
             write_in_transaction catalog_products, write_in_transaction catalog_stockitem",
            "orders consistency-first: split_transaction services.py#OrderService.place_order, \
             write_in_transaction orders, write_in_transaction orders_orderline",
            "payments consistency-first: ledger_write_in_transaction payments_payment, \
             saga_participant services.py#OrderService.place_order",
        ]
    );
}

#[test]
fn the_page_and_the_plans_show_the_basis_and_the_cap_profile() {
    let out = tempfile::tempdir().unwrap();
    decompose()
        .arg("analyze")
        .arg(fixture("code-data-shop"))
        .args([
            "--no-history",
            "--deterministic",
            "-q",
            "--format",
            "html,markdown",
            "-o",
        ])
        .arg(out.path())
        .assert()
        .success();
    let html = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(html.contains("\"benefit_basis\":\"structure\""));
    assert!(html.contains("\"profile\":\"consistency-first\""));
    let md = std::fs::read_to_string(out.path().join("plan.md")).unwrap();
    assert!(md.contains("No git history was analysed"), "{md}");
    assert!(md.contains(
        "**f. Consistency**: consistency\\-first (2 evidence: ledger\\_write\\_in\\_transaction accounts; ledger\\_write\\_in\\_transaction payments)"
    ), "{md}");
    // The comment-sized plan is written beside the full one.
    let comment = std::fs::read_to_string(out.path().join("plan-comment.md")).unwrap();
    assert!(comment.contains("| 1 | users |"), "{comment}");
    assert!(
        comment
            .contains("- tables (5): accounts move, order\\_lines call\\_owner, payments move, stock move, users call\\_owner"),
        "{comment}"
    );
    assert!(
        comment.contains("Each list shows at most 10 items"),
        "{comment}"
    );
}

#[test]
fn the_comment_fits_a_pull_request_on_a_large_report() {
    use decompose::report::markdown::{render_comment, COMMENT_LIMIT};
    use decompose::report::{CallSite, CapEvidence, EndpointRow, Operation, PlanStep};
    let mut report = synthetic_report(3000, 300, true);
    // Every service a step with long lists of hostile names.
    report.plan = report
        .services
        .iter()
        .enumerate()
        .map(|(k, s)| PlanStep {
            service: s.id.clone(),
            step: k as u32 + 1,
            score: s.score,
            routes: (0..60)
                .map(|i| EndpointRow {
                    method: "GET".into(),
                    path: format!("/api/{}/{i}{HOSTILE}", s.id),
                    handler: format!("H.m{HOSTILE}"),
                    unit: s.members[0].clone(),
                    line: i,
                    service: Some(s.id.clone()),
                })
                .collect(),
            api: (0..60)
                .map(|i| Operation {
                    symbol: format!("Op{i}.run{HOSTILE}"),
                    unit: s.members[0].clone(),
                    call_sites: vec![CallSite::default(); i % 7],
                })
                .collect(),
            ..PlanStep::default()
        })
        .collect();
    for s in &mut report.services {
        s.cap.profile = "consistency-first".into();
        s.cap.evidence = (0..40)
            .map(|i| CapEvidence {
                kind: "write_in_transaction".into(),
                subject: format!("table_{i}{HOSTILE}"),
            })
            .collect();
    }
    let full = decompose::report::markdown::render(&report);
    assert!(
        full.len() > 4 * COMMENT_LIMIT,
        "the full plan is large: {}",
        full.len()
    );
    let comment = String::from_utf8(render_comment(&report)).unwrap();
    assert!(comment.len() <= COMMENT_LIMIT, "{} bytes", comment.len());
    assert!(comment.contains("### Step 1: extract s0"));
    assert!(comment.contains("- routes to redirect (60)"));
    // What was left out is said.
    assert!(
        comment.contains("are left out to keep this comment under 64 KB"),
        "{}",
        &comment[comment.len().saturating_sub(400)..]
    );
    assert!(!comment.contains("<img"));
}

#[test]
fn a_small_plan_comment_lists_the_first_items_of_each_list() {
    let report = synthetic_report(60, 6, true);
    let comment = String::from_utf8(decompose::report::markdown::render_comment(&report)).unwrap();
    // The synthetic plan's operation has 40 call sites; each step lists two
    // routes, one operation, one table, one saga and one dependent.
    assert!(
        comment.contains("- routes to redirect (2): GET"),
        "{comment}"
    );
    assert!(comment.contains("(40 call sites)"), "{comment}");
    assert!(
        comment.contains("- still depending on it (1): "),
        "{comment}"
    );
    assert!(comment.contains("Each list shows at most 10 items"));
    // Strings from the code are escaped.
    assert!(!comment.contains("<img"), "{comment}");
    assert!(!comment.contains("</script>"));
    assert!(comment.contains("&lt;img src\\=x onerror\\=alert\\(1\\)&gt;"));
}

#[test]
fn a_no_history_report_matches_the_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("docs/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut report = no_history("code-data-shop");
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The schema holds the new fields to their values.
    report["benefit_basis"] = serde_json::json!("guess");
    report["services"][0]["cap"]["profile"] = serde_json::json!("both");
    assert_eq!(validator.iter_errors(&report).count(), 2);
}
