//! Language-neutral facts for the plan stage.
//!
//! Java's data, route and transaction facts are read from annotations by
//! [`crate::plan`]. Other frontends recognise their own idioms (Django models,
//! SQLAlchemy `__tablename__`, Flask/FastAPI decorators, `urls.py`, diesel
//! `table!`, axum/actix routes, `transaction.atomic`, `.transaction(`) and
//! state them here, so the plan stage needs no per-language syntax.

/// A table declared by a model in this file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TableDecl {
    /// Table name as the database knows it (lower case).
    pub table: String,
    /// The model type declaring it (index into `FileFacts::types`), if any.
    pub type_index: Option<u32>,
    pub line: u32,
}

/// An inbound route declared in this file. `path` carries the prefixes the
/// file itself states (a class-level or router prefix); prefixes applied from
/// other files (Django `include`, blueprint registration, axum `.nest`)
/// arrive as [`RouteDecl::include`] rows in the including file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RouteDecl {
    /// `GET`, `POST`, ..., or `ANY`.
    pub method: String,
    pub path: String,
    /// The handler function (index into `FileFacts::functions`), when the
    /// handler is declared in this file.
    pub function: Option<u32>,
    /// The handler as written when it lives elsewhere (`views.order_detail`).
    pub handler: Option<String>,
    /// This row mounts another module's routes under `path`
    /// (`include("orders.urls")`, `app.register_blueprint(bp, url_prefix=...)`).
    pub include: Option<String>,
    pub line: u32,
}

/// A function that opens a transaction scope (decorator, `with` block or a
/// `.transaction(` call inside it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TxScope {
    /// Index into `FileFacts::functions`.
    pub function: u32,
    pub line: u32,
}
