//! The extraction plan on the shop fixture with its replayed history:
//! rank, data ownership, sagas and the routing table.

mod common;

use std::collections::BTreeSet;

use common::*;

fn shop() -> serde_json::Value {
    let repo = replay_history("java-shop");
    analyze_json(repo.path(), &[])
}

#[test]
fn plan_ranks_promotions_first_with_its_components() {
    let r = shop();
    let s = &r["services"][0];
    assert_eq!(s["name"], "promotions");
    assert_eq!(s["rank"], 1);
    assert_eq!(r["plan"][0]["service"], "promotions");
    assert_eq!(r["plan"][0]["step"], 1);
    let plan = r["plan"].as_array().unwrap();
    assert_eq!(plan.len(), r["services"].as_array().unwrap().len());
    for s in r["services"].as_array().unwrap() {
        let e = &s["extraction"];
        let want = e["benefit"].as_f64().unwrap() * (1.0 - e["cost"].as_f64().unwrap());
        assert!((s["score"].as_f64().unwrap() - want).abs() < 1e-5, "{s:#?}");
    }
}

#[test]
fn loyalty_accounts_is_owned_by_customers_with_orders_writing_it() {
    let r = shop();
    let e = r["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["table"] == "loyalty_accounts")
        .expect("loyalty_accounts listed");
    assert_eq!(e["owner"], "customers");
    assert_eq!(e["service"], "customers");
    assert_eq!(e["writers"], serde_json::json!(["customers", "orders"]));
    assert_eq!(
        e["conflicts"],
        serde_json::json!([{"service": "orders", "kind": "shared_write"}])
    );
    assert!(e["sites"].as_array().unwrap().iter().any(|s| s["unit"]
        == "src/main/java/com/shop/orders/LoyaltyPointsWriter.java"
        && s["access"] == "write"
        && s["via"] == "sql"));
}

#[test]
fn place_order_is_a_saga_into_payments_and_catalog() {
    let r = shop();
    let t = r["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["symbol"] == "OrderService.placeOrder")
        .expect("placeOrder is transactional");
    assert_eq!(t["saga"], true);
    let services: BTreeSet<&str> = t["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(services.is_superset(&BTreeSet::from(["orders", "payments", "catalog"])));
    let paths: Vec<Vec<(String, String)>> = t["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p.as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    (
                        s["symbol"].as_str().unwrap().to_string(),
                        s["service"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .collect();
    let start = ("OrderService.placeOrder".to_string(), "orders".to_string());
    for end in [
        ("PaymentService.charge", "payments"),
        ("InventoryService.reserve", "catalog"),
    ] {
        let want = vec![start.clone(), (end.0.to_string(), end.1.to_string())];
        assert!(paths.contains(&want), "{end:?} not in {paths:?}");
    }
    let step = r["plan"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["service"] == "payments")
        .unwrap();
    assert!(step["sagas"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s == "src/main/java/com/shop/orders/OrderService.java#OrderService.placeOrder"));
}

#[test]
fn routing_table_is_complete_and_exact() {
    let r = shop();
    let expected: BTreeSet<String> =
        std::fs::read_to_string(root().join("fixtures/java-shop.routes"))
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
    assert_eq!(r["endpoints"].as_array().unwrap().len(), expected.len());
}

#[test]
fn markdown_nginx_and_yaml_render_the_plan_and_routes() {
    let repo = replay_history("java-shop");
    let out = tempfile::tempdir().unwrap();
    let status = decompose()
        .arg("analyze")
        .arg(repo.path())
        .args([
            "--format",
            "markdown,nginx,routes-yaml",
            "--deterministic",
            "-q",
            "-o",
        ])
        .arg(out.path())
        .output()
        .unwrap()
        .status;
    assert!(status.success());
    let md = std::fs::read_to_string(out.path().join("plan.md")).unwrap();
    assert!(md.contains("### Step 1: extract promotions"), "{md}");
    assert!(md.contains("loyalty\\_accounts"));
    let nginx = std::fs::read_to_string(out.path().join("routes.nginx.conf")).unwrap();
    assert!(
        nginx.contains("location ~ \"^/api/orders/[^/]+$\" {"),
        "{nginx}"
    );
    assert!(nginx.contains("proxy_pass http://orders;"));
    let yaml = std::fs::read_to_string(out.path().join("routes.yaml")).unwrap();
    assert_eq!(yaml.matches("  - method: ").count(), 25);
    assert!(yaml.contains("    path: \"/api/promotions/{code}/quote\"\n"));
}

#[test]
fn markdown_escapes_strings_from_the_code() {
    let mut report = synthetic_report(20, 3, true);
    report.endpoints.push(decompose::report::EndpointRow {
        method: "GET".into(),
        path: format!("/x{HOSTILE}"),
        handler: format!("H.m{HOSTILE}"),
        unit: "u".into(),
        line: 1,
        service: Some(format!("s{HOSTILE}")),
    });
    let md = String::from_utf8(decompose::report::markdown::render(&report)).unwrap();
    assert!(!md.contains("<img"), "{md}");
    assert!(!md.contains("</script>"));
    assert!(md.contains("&lt;img src\\=x onerror\\=alert\\(1\\)&gt;"));
}

/// JAX-RS resources: `@Path` on the class and the method, the HTTP method
/// from `@GET`/`@POST`/…, a class-only `@Path` with a method annotation, and
/// a prefix built from a constant of a superclass in another file.
#[test]
fn jax_rs_routes_with_class_and_method_paths() {
    let dir = project(&[
        (
            "src/main/java/shop/api/Resource.java",
            "package shop.api;\npublic abstract class Resource {\n    protected static final String V1 = \"/v1\";\n}\n",
        ),
        (
            "src/main/java/shop/api/InvoiceResource.java",
            r#"package shop.api;
import javax.ws.rs.*;
@Path(V1 + "/invoices")
public class InvoiceResource extends Resource {
    @GET
    public String list() { return ""; }
    @GET
    @Path("{id}")
    public String get(@PathParam("id") String id) { return id; }
    @POST
    @Path("/{id}/void")
    public void voidInvoice(@PathParam("id") String id) { }
    public void helper() { }
}
"#,
        ),
    ]);
    let r = analyze_json(dir.path(), &["--no-history"]);
    let routes: Vec<String> = r["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {} {}",
                e["method"].as_str().unwrap(),
                e["path"].as_str().unwrap(),
                e["handler"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        routes,
        [
            "GET /v1/invoices InvoiceResource.list",
            "GET /v1/invoices/{id} InvoiceResource.get",
            "POST /v1/invoices/{id}/void InvoiceResource.voidInvoice",
        ]
    );
}

/// Rust routes stated by the frontend (axum `.route`, actix attributes)
/// reach the gateway routing table.
#[test]
fn rust_axum_and_actix_routes_reach_the_routing_table() {
    let dir = project(&[
        (
            "Cargo.toml",
            "[package]\nname = \"shop\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        ),
        ("src/lib.rs", "pub mod api;\npub mod admin;\n"),
        (
            "src/api.rs",
            r#"use axum::{routing::{get, post}, Router};
pub async fn list_orders() {}
pub async fn create_order() {}
pub fn router() -> Router {
    Router::new()
        .route("/orders", get(list_orders).post(create_order))
        .route("/orders/{id}", get(list_orders))
}
"#,
        ),
        (
            "src/admin.rs",
            r#"use actix_web::{get, delete};
#[get("/admin/users")]
async fn users() -> &'static str { "" }
#[delete("/admin/users/{id}")]
async fn remove_user() -> &'static str { "" }
"#,
        ),
    ]);
    let r = analyze_json(dir.path(), &["--no-history"]);
    let routes: Vec<String> = r["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {} {}",
                e["method"].as_str().unwrap(),
                e["path"].as_str().unwrap(),
                e["unit"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        routes,
        [
            "GET /admin/users src/admin.rs",
            "DELETE /admin/users/{id} src/admin.rs",
            "GET /orders src/api.rs",
            "POST /orders src/api.rs",
            "GET /orders/{id} src/api.rs",
        ]
    );
}
