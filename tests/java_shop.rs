//! The java-shop fixture: extracted edges against the hand-checked ground
//! truth in fixtures/java-shop.edges.

mod common;

use common::*;

#[test]
fn edges_match_ground_truth_exactly() {
    let report = analyze_json(&fixture("java-shop"), &[]);
    let got = report_edges(&report);
    let expected = expected_edges(&root().join("fixtures/java-shop.edges"));
    for kind in ["import", "inherit", "call"] {
        assert_edges_exact(&got, &expected, kind);
    }
    assert_eq!(expected.len(), 366);
}

#[test]
fn units_are_counted_and_tests_flagged() {
    let report = analyze_json(&fixture("java-shop"), &[]);
    let summary = &report["summary"];
    assert_eq!(summary["units"], 75);
    assert_eq!(summary["test_units"], 3);
    assert_eq!(summary["languages"]["java"], 75);
    assert_eq!(summary["files_with_errors"], 0);
    assert_eq!(summary["resolution"]["type_refs_unresolved"], 0);
    let units = report["units"].as_array().unwrap();
    let test_ids: Vec<&str> = units
        .iter()
        .filter(|u| u["test"] == true)
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        test_ids,
        vec![
            "src/test/java/com/shop/cart/CartTest.java",
            "src/test/java/com/shop/orders/OrderServiceTest.java",
            "src/test/java/com/shop/promotions/rules/DiscountRuleTest.java",
        ]
    );
    let order = units
        .iter()
        .find(|u| u["id"] == "src/main/java/com/shop/orders/model/Order.java")
        .unwrap();
    assert_eq!(order["name"], "com.shop.orders.model.Order");
    assert_eq!(order["language"], "java");
}
