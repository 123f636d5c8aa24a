//! Issue 17: foreign keys stated in Python become foreign-key facts like
//! those of SQL schemas: Django model relation fields (resolved across
//! files), Django migration operations, Alembic revisions and SQLAlchemy
//! Core tables, each key once (fixtures/django-alembic-shop/README.md).

mod common;

use common::*;

fn s(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "-".into(),
        serde_json::Value::String(x) => x.clone(),
        serde_json::Value::Array(a) => a.iter().map(s).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

#[test]
fn django_models_migrations_alembic_and_core_tables_give_foreign_keys() {
    let r = analyze_json(&fixture("django-alembic-shop"), &["--no-history"]);
    let keys: Vec<String> = r["foreign_keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}({}) -> {}({}) name={} source={} owners={}/{} crosses={}",
                s(&f["table"]),
                s(&f["columns"]),
                s(&f["references"]),
                s(&f["ref_columns"]),
                s(&f["name"]),
                s(&f["source"]),
                s(&f["table_owner"]),
                s(&f["references_owner"]),
                f["crosses"]
            )
        })
        .collect();
    assert_eq!(
        keys,
        [
            // Migration and model agree (to_field; the migration's
            // "catalog.category" is the model's Meta.db_table): one key.
            "catalog_product(category_id) -> catalog_categories(code) name=- source=shop/catalog/migrations/0001_initial.py:18 owners=catalog/catalog crosses=false",
            // A many-to-many field to its own model: from_/to_ columns.
            "catalog_product_related(from_product_id) -> catalog_product() name=- source=shop/catalog/models.py:18 owners=-/catalog crosses=false",
            "catalog_product_related(to_product_id) -> catalog_product() name=- source=shop/catalog/models.py:18 owners=-/catalog crosses=false",
            // A many-to-many field: the join table's two keys.
            "catalog_product_tags(product_id) -> catalog_product() name=- source=shop/catalog/migrations/0001_initial.py:19 owners=-/catalog crosses=false",
            "catalog_product_tags(tag_id) -> catalog_tag() name=- source=shop/catalog/migrations/0001_initial.py:19 owners=-/catalog crosses=false",
            // settings.AUTH_USER_MODEL; "self".
            "customers_customer(account_id) -> auth_user() name=- source=shop/customers/models.py:7 owners=shop/- crosses=false",
            "customers_customer(referred_by_id) -> customers_customer() name=- source=shop/customers/models.py:8 owners=shop/shop crosses=false",
            // Alembic: a named ForeignKeyConstraint and a column key (the
            // same keys as the SQLAlchemy Core tables: one row each).
            "invoices(customer_id) -> customers_customer(id) name=fk_invoice_customer source=billing/alembic/versions/1a2b3c_invoices.py:18 owners=invoices/shop crosses=true",
            "invoices(order_id) -> orders_order(id) name=- source=billing/alembic/versions/1a2b3c_invoices.py:16 owners=invoices/shop crosses=true",
            "orders_order(customer_id) -> customers_customer() name=- source=shop/orders/migrations/0001_initial.py:12 owners=shop/shop crosses=false",
            // AddField, then AlterField of the same key: one key.
            "orders_order(voucher_id) -> catalog_product() name=- source=shop/orders/migrations/0002_order_coupon.py:10 owners=shop/catalog crosses=true",
            "orders_orderline(order_id) -> orders_order() name=- source=shop/orders/migrations/0001_initial.py:19 owners=shop/shop crosses=false",
            // db_column names the column.
            "orders_orderline(product_ref) -> catalog_product() name=- source=shop/orders/migrations/0001_initial.py:20 owners=shop/catalog crosses=true",
            // op.create_foreign_key (batch_op's names no source table).
            "payments(invoice_id) -> invoices(id) name=fk_payment_invoice source=billing/alembic/versions/1a2b3c_invoices.py:21 owners=invoices/invoices crosses=false",
            // A declarative model: Column and mapped_column (with a column
            // name of its own) with ForeignKey.
            "refunds(invoice_ref) -> invoices(id) name=fk_refund_invoice source=billing/invoices/models.py:13 owners=invoices/invoices crosses=false",
            "refunds(payment_id) -> payments(id) name=- source=billing/invoices/models.py:12 owners=invoices/invoices crosses=false",
        ]
    );
    // Crossing keys are cut by the steps of both services.
    let cut: Vec<String> = r["plan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}: {}",
                s(&p["service"]),
                p["foreign_keys"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| format!("{}.{}", s(&f["table"]), s(&f["columns"])))
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        })
        .collect();
    let mut cut = cut;
    cut.sort();
    assert_eq!(
        cut,
        [
            "catalog: orders_order.voucher_id orders_orderline.product_ref",
            "invoices: invoices.customer_id invoices.order_id",
            "shop: invoices.customer_id invoices.order_id orders_order.voucher_id orders_orderline.product_ref",
        ]
    );
    // Alembic revisions are generated code, like Django migrations.
    let role = r["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == "billing/alembic/versions/1a2b3c_invoices.py")
        .unwrap()["role"]
        .clone();
    assert_eq!(role, "generated");
    assert!(r["diagnostics"].as_array().unwrap().is_empty());
}
