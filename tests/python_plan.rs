//! The extraction plan on python-shop with its replayed history: rank,
//! data ownership from Django models and querysets, the transaction.atomic
//! saga and the routing table built from urls.py files and their include
//! prefixes.

mod common;

use std::collections::BTreeSet;

use common::*;

fn shop() -> serde_json::Value {
    let repo = replay_history("python-shop");
    analyze_json(repo.path(), &[])
}

fn find<'a>(r: &'a serde_json::Value, list: &str, key: &str, value: &str) -> &'a serde_json::Value {
    r[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e[key] == value)
        .unwrap_or_else(|| panic!("{list}: no {key} = {value}"))
}

#[test]
fn promotions_ranks_first() {
    let r = shop();
    let names: Vec<&str> = r["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        // The project package (`shop/`: settings and root urls) is no
        // service of its own: it joins the service it is most tied to.
        // Catalog ranks last since the model relations are foreign keys
        // (issue 17): two keys into catalog_products (from cart_cartitem and
        // orders_orderline) cross its cut and count in its cost.
        [
            "promotions",
            "cart",
            "payments",
            "customers",
            "orders",
            "catalog"
        ]
    );
    assert_eq!(r["services"][0]["rank"], 1);
    assert_eq!(r["plan"][0]["service"], "promotions");
    assert_eq!(r["services"][0]["score"], 0.270547);
    let members: Vec<&str> = r["services"][0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert!(members.contains(&"promotions/services.py"), "{members:?}");
}

#[test]
fn django_tables_and_the_shared_loyalty_table() {
    let r = shop();
    let tables: Vec<&str> = r["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["table"].as_str().unwrap())
        .collect();
    // Meta.db_table where stated, else <app_label>_<model>; the abstract
    // TimeStampedModel has no table.
    assert_eq!(
        tables,
        [
            "cart_cart",
            "cart_cartitem",
            "catalog_products",
            "catalog_stockitem",
            "customers_customer",
            "loyalty_accounts",
            "orders",
            "orders_orderline",
            "payments_payment",
            "promo_coupons"
        ]
    );
    let e = find(&r, "entities", "table", "loyalty_accounts");
    assert_eq!(e["entity"], "LoyaltyAccount");
    assert_eq!(e["owner"], "customers");
    assert_eq!(e["writers"], serde_json::json!(["customers", "orders"]));
    assert_eq!(
        e["conflicts"],
        serde_json::json!([{"service": "orders", "kind": "shared_write"}])
    );
    assert!(e["sites"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["unit"] == "orders/loyalty.py"
            && s["symbol"] == "credit_points"
            && s["access"] == "write"
            && s["via"] == "queryset"));
    // Tables only their own service touches have no conflict.
    for t in [
        "orders",
        "promo_coupons",
        "catalog_products",
        "payments_payment",
    ] {
        let e = find(&r, "entities", "table", t);
        assert_eq!(e["conflicts"], serde_json::json!([]), "{t}");
    }
}

#[test]
fn place_order_atomic_block_is_a_saga() {
    let r = shop();
    let t = find(&r, "transactions", "symbol", "OrderService.place_order");
    assert_eq!(t["saga"], true);
    assert_eq!(
        t["services"],
        serde_json::json!(["catalog", "customers", "orders", "payments"])
    );
    let paths: BTreeSet<Vec<(String, String)>> = t["paths"]
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
    let start = ("OrderService.place_order".to_string(), "orders".to_string());
    let want: BTreeSet<Vec<(String, String)>> = [
        ("reserve_stock", "catalog"),
        ("CustomerService.get", "customers"),
        ("PaymentService.charge", "payments"),
    ]
    .iter()
    .map(|(s, v)| vec![start.clone(), (s.to_string(), v.to_string())])
    .collect();
    assert_eq!(paths, want);
    // The decorator form is a scope too; it stays inside catalog.
    let rename = find(&r, "transactions", "symbol", "ProductService.rename");
    assert_eq!(rename["saga"], false);
    let step = find(&r, "plan", "service", "payments");
    assert!(step["sagas"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s == "orders/services.py#OrderService.place_order"));
}

#[test]
fn routing_table_follows_include_prefixes_exactly() {
    let r = shop();
    let expected: BTreeSet<String> =
        std::fs::read_to_string(root().join("fixtures/python-shop.routes"))
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
    assert_eq!(r["endpoints"].as_array().unwrap().len(), 12);
    let detail = find(&r, "endpoints", "handler", "CustomerDetail");
    assert_eq!(detail["unit"], "customers/views.py");
    assert_eq!(detail["line"], 12);
}

#[test]
fn flask_blueprints_and_fastapi_routers_with_prefixes() {
    let dir = project(&[
        ("app/__init__.py", ""),
        (
            "app/main.py",
            "from flask import Flask\nfrom fastapi import FastAPI\nfrom app.orders import bp\nfrom app import items\n\n\
             app = Flask(__name__)\napp.register_blueprint(bp, url_prefix=\"/shop\")\n\
             api = FastAPI()\napi.include_router(items.router, prefix=\"/api\")\n\n\
             @app.route(\"/health\")\ndef health():\n    return \"ok\"\n",
        ),
        (
            "app/orders.py",
            "from flask import Blueprint\n\nbp = Blueprint(\"orders\", __name__, url_prefix=\"/orders\")\n\n\
             @bp.route(\"/<int:id>\", methods=[\"GET\", \"DELETE\"])\ndef order(id):\n    return id\n\n\
             @bp.post(\"/\")\ndef create():\n    return 1\n",
        ),
        (
            "app/items.py",
            "from fastapi import APIRouter\n\nrouter = APIRouter(prefix=\"/items\")\n\n\
             @router.get(\"/{item_id}\")\nasync def read_item(item_id: int):\n    return item_id\n",
        ),
    ]);
    let r = analyze_json(dir.path(), &["--no-history"]);
    let got: Vec<String> = r["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {} {} {}",
                e["method"].as_str().unwrap(),
                e["path"].as_str().unwrap(),
                e["handler"].as_str().unwrap(),
                e["unit"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "GET /api/items/{item_id} read_item app/items.py",
            "GET /health health app/main.py",
            "POST /shop/orders create app/orders.py",
            "DELETE /shop/orders/<int:id> order app/orders.py",
            "GET /shop/orders/<int:id> order app/orders.py",
        ]
    );
}
