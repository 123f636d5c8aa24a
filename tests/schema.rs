//! report.json validates against docs/report.schema.json.

mod common;

use common::*;

fn validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("docs/report.schema.json")).unwrap(),
    )
    .unwrap();
    jsonschema::validator_for(&schema).expect("the schema itself is valid")
}

fn assert_valid(report: &serde_json::Value) {
    let errors: Vec<String> = validator()
        .iter_errors(report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema violations: {errors:#?}");
}

#[test]
fn java_shop_report_matches_the_schema() {
    assert_valid(&analyze_json(&fixture("java-shop"), &[]));
}

#[test]
fn the_schema_rejects_a_broken_report() {
    let mut report = analyze_json(&fixture("java-shop"), &[]);
    report["dependencies"][0]["kind"] = serde_json::json!("telepathy");
    report["units"][0].as_object_mut().unwrap().remove("fan_in");
    let n = validator().iter_errors(&report).count();
    assert_eq!(n, 2);
}
