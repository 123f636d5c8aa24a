//! Plan facts of Rust code, stated in the language-neutral form of
//! [`super::plan_facts`]. The names that declare them (macros, attributes,
//! method routers, mounts, transaction calls) are rows of the framework
//! table ([`crate::frameworks`]); this file reads their arguments: diesel `table!` and `#[diesel(table_name = …)]`,
//! sea-orm `#[sea_orm(table_name = "…")]`; sqlx `query!` / `query_as!` and
//! `sqlx::query("…")` strings (as SQL string literals); axum
//! `.route("/p", get(h).post(h2))` and `.nest("/p", r)`, actix `#[get("/p")]`
//! (also `post`, `put`, `delete`, `patch`, `head`) and `.route("/p",
//! web::get().to(h))`; `.transaction(` and `.begin()` scopes.

use proc_macro2::{TokenStream, TokenTree};
use syn::{Attribute, Expr};

use crate::frameworks::{self, Fact, Method, Syntax};
use crate::lang::plan_facts::{join_path, RouteDecl, TableDecl, UnitRoute};
use crate::lang::Language;
use crate::lang::ParsedFile;

/// The route row of the framework table for `name` written as `syntax`.
fn route_method(syntax: Syntax, name: &str) -> Option<Method> {
    frameworks::find(Language::Rust, syntax, name, |r| match r.fact {
        Fact::Route { method, .. } => Some(method),
        _ => None,
    })
}

/// The fixed method of a method-router call (`get(h)`, `.post(h)`).
fn fixed_method(name: &str) -> Option<&'static str> {
    match route_method(Syntax::Call, name) {
        Some(Method::Fixed(m)) => Some(m),
        _ => None,
    }
}

/// Whether a method call named `name` opens a transaction
/// (`.transaction(`, `.begin(`), per the framework table.
pub fn opens_transaction(name: &str) -> bool {
    frameworks::rows(Language::Rust, Syntax::Call, name).any(|r| r.fact == Fact::Transaction)
}

/// The table of a diesel `table! { name (pk) { … } }` body: the first
/// identifier outside attributes (`#[sql_name = "…"]` wins when present).
pub fn diesel_table(tokens: &TokenStream, line: u32) -> Option<TableDecl> {
    let mut iter = tokens.clone().into_iter().peekable();
    let mut sql_name = None;
    while let Some(tt) = iter.next() {
        match tt {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                if let Some(TokenTree::Group(g)) = iter.next() {
                    let text = g.stream().to_string();
                    if let Some(rest) = text.strip_prefix("sql_name") {
                        sql_name = rest.split('"').nth(1).map(|s| s.to_ascii_lowercase());
                    }
                }
            }
            TokenTree::Ident(i) => {
                let name = i.to_string();
                if name == "use" {
                    // `use diesel::sql_types::*;` inside the block.
                    for t in iter.by_ref() {
                        if matches!(&t, TokenTree::Punct(p) if p.as_char() == ';') {
                            break;
                        }
                    }
                    continue;
                }
                // `schema.table` form: take the last dotted part.
                let mut table = name;
                while matches!(iter.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '.') {
                    iter.next();
                    if let Some(TokenTree::Ident(n)) = iter.next() {
                        table = n.to_string();
                    }
                }
                return Some(TableDecl {
                    table: sql_name.unwrap_or_else(|| table.to_ascii_lowercase()),
                    type_index: None,
                    line,
                    queries_name_type: false,
                    reads: model_reads(),
                });
            }
            _ => {}
        }
    }
    None
}

/// The table a struct's attributes name, per the framework table's
/// attribute rows: `#[diesel(table_name = users)]`, `#[table_name = "users"]`,
/// `#[sea_orm(table_name = "users")]`.
pub fn model_table(attrs: &[Attribute]) -> Option<String> {
    for a in attrs {
        let Some(ident) = a.path().get_ident() else {
            continue;
        };
        let name = ident.to_string();
        let Some(keys) =
            frameworks::find(Language::Rust, Syntax::Attribute, &name, |r| match r.fact {
                Fact::TableName { args } => Some(args),
                _ => None,
            })
        else {
            continue;
        };
        if !keys.is_empty() {
            let text = a.meta.require_list().ok()?.tokens.to_string();
            let mut parts = text.split(',');
            let found = parts.find_map(|kv| {
                let (k, v) = kv.split_once('=')?;
                keys.contains(&k.trim()).then(|| {
                    let v = v.trim().trim_matches('"');
                    // `crate::schema::users` → `users`.
                    v.rsplit("::").next().unwrap_or(v).trim().to_string()
                })
            });
            if let Some(t) = found {
                return Some(t.to_ascii_lowercase());
            }
        } else if let Ok(nv) = a.meta.require_name_value() {
            if let Expr::Lit(l) = &nv.value {
                if let syn::Lit::Str(s) = &l.lit {
                    return Some(s.value().to_ascii_lowercase());
                }
            }
        }
    }
    None
}

/// actix-style route attributes on a function: `#[get("/p")]`,
/// `#[route("/p", method = "GET", method = "POST")]`.
pub fn attr_routes(attrs: &[Attribute], line: u32) -> Vec<(String, String, u32)> {
    let mut out = Vec::new();
    for a in attrs {
        let Some(last) = a.path().segments.last() else {
            continue;
        };
        let name = last.ident.to_string();
        let Ok(list) = a.meta.require_list() else {
            continue;
        };
        let text = list.tokens.to_string();
        let Some(path) = text.split('"').nth(1).map(str::to_string) else {
            continue;
        };
        match route_method(Syntax::Attribute, &name) {
            Some(Method::Fixed(m)) => out.push((m.to_string(), path, line)),
            Some(Method::FromArg { arg, default }) => {
                let methods: Vec<String> = text
                    .split(arg)
                    .skip(1)
                    .filter_map(|m| m.split('"').nth(1))
                    .map(str::to_ascii_uppercase)
                    .collect();
                if methods.is_empty() {
                    out.push((default.to_string(), path.clone(), line));
                }
                for m in methods {
                    out.push((m, path.clone(), line));
                }
            }
            Some(Method::FromVerb) | None => {}
        }
    }
    out
}

fn str_lit(e: &Expr) -> Option<String> {
    match e {
        Expr::Lit(l) => match &l.lit {
            syn::Lit::Str(s) => Some(s.value()),
            _ => None,
        },
        _ => None,
    }
}

fn expr_path(e: &Expr) -> Option<String> {
    match e {
        Expr::Path(p) => Some(
            p.path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect::<Vec<_>>()
                .join("::"),
        ),
        Expr::Reference(r) => expr_path(&r.expr),
        _ => None,
    }
}

/// Routes stated by a `.route(path, method_router)` or `.nest(path, r)`
/// call: (method, path, handler as written, include).
pub fn call_routes(m: &syn::ExprMethodCall, line: u32) -> Vec<RouteDecl> {
    let name = m.method.to_string();
    let mut args = m.args.iter();
    let first = args.next();
    // actix: `web::resource("/p").route(web::get().to(h))`.
    if name == "route" && m.args.len() == 1 {
        let mut out = Vec::new();
        if let (Some(path), Some(r)) = (resource_path(&m.receiver), first) {
            method_router(r, &path, line, &mut out);
        }
        return out;
    }
    let Some(path) = first.and_then(str_lit) else {
        return Vec::new();
    };
    let Some(second) = args.next() else {
        return Vec::new();
    };
    match name.as_str() {
        "route" => {
            let mut out = Vec::new();
            method_router(second, &path, line, &mut out);
            out
        }
        _ if is_mount(&name) => vec![RouteDecl {
            method: "ANY".into(),
            path,
            function: None,
            handler: None,
            include: Some(match second {
                Expr::Call(c) => expr_path(&c.func).unwrap_or_default(),
                e => expr_path(e).unwrap_or_default(),
            }),
            line,
        }],
        _ => Vec::new(),
    }
}

/// Whether a `.name(path, router)` call mounts a router (axum `nest`), per
/// the framework table.
fn is_mount(name: &str) -> bool {
    frameworks::rows(Language::Rust, Syntax::Call, name)
        .any(|r| matches!(r.fact, Fact::Mount { .. }))
}

/// Whether a macro named `name` declares a table (diesel `table!`), per the
/// framework table.
pub fn declares_table(name: &str) -> bool {
    frameworks::rows(Language::Rust, Syntax::Macro, name)
        .any(|r| matches!(r.fact, Fact::Table { .. }))
}

/// The path of the `web::resource("/p")` a builder chain starts from.
fn resource_path(e: &Expr) -> Option<String> {
    match e {
        Expr::MethodCall(mc) => resource_path(&mc.receiver),
        Expr::Call(c) => {
            let f = expr_path(&c.func)?;
            (f.rsplit("::").next() == Some("resource"))
                .then(|| c.args.first().and_then(str_lit))
                .flatten()
        }
        _ => None,
    }
}

/// A handler as written: a path, or the single argument of a wrapper
/// call (`SeqHandler(h)`).
fn handler_of(e: &Expr) -> Option<String> {
    match e {
        Expr::Call(c) if c.args.len() == 1 => handler_of(&c.args[0]),
        e => expr_path(e),
    }
}

/// `get(h)`, `get(h).post(h2)`, `axum::routing::get(h)`,
/// `web::get().to(h)`.
fn method_router(e: &Expr, path: &str, line: u32, out: &mut Vec<RouteDecl>) {
    let mut push = |method: &str, handler: Option<String>| {
        out.push(RouteDecl {
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
            function: None,
            handler,
            include: None,
            line,
        })
    };
    match e {
        Expr::Call(c) => {
            let Some(f) = expr_path(&c.func) else { return };
            let last = f.rsplit("::").next().unwrap_or(&f).to_string();
            if let Some(method) = fixed_method(&last) {
                push(method, c.args.first().and_then(handler_of));
            }
        }
        Expr::MethodCall(mc) => {
            let name = mc.method.to_string();
            if name == "to" {
                // actix: `web::get().to(h)`.
                if let Expr::Call(c) = &*mc.receiver {
                    if let Some(f) = expr_path(&c.func) {
                        let last = f.rsplit("::").next().unwrap_or(&f).to_string();
                        if let Some(method) = fixed_method(&last) {
                            push(method, mc.args.first().and_then(handler_of));
                        }
                    }
                }
                return;
            }
            method_router(&mc.receiver, path, line, out);
            if let Some(method) = fixed_method(&name) {
                let handler = mc.args.first().and_then(handler_of);
                out.push(RouteDecl {
                    method: method.to_string(),
                    path: path.to_string(),
                    function: None,
                    handler,
                    include: None,
                    line,
                });
            }
        }
        _ => {}
    }
}

/// The read patterns of calls on Rust model structs (framework table).
pub fn model_reads() -> Option<&'static [&'static str]> {
    frameworks::prefixes(Language::Rust, "diesel / sea-orm", |f| match f {
        Fact::ReadMethods { prefixes } => Some(*prefixes),
        _ => None,
    })
}

/// The routes of every Rust production file, as declared in the file.
/// Mounts (`.nest`) are not applied yet: their routes keep the path written.
pub fn routes(files: &[ParsedFile]) -> Vec<UnitRoute> {
    let mut out = Vec::new();
    for (u, file) in files.iter().enumerate() {
        if file.test || file.language != Language::Rust {
            continue;
        }
        for r in file.facts.routes.iter().filter(|r| r.include.is_none()) {
            let handler = match (r.function, &r.handler) {
                (Some(fi), _) => file.facts.symbol(fi as usize),
                (None, Some(h)) => h.clone(),
                (None, None) => continue,
            };
            out.push(UnitRoute {
                method: r.method.clone(),
                path: join_path("", &r.path),
                unit: u as u32,
                handler,
                line: r.line,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lang::rust::RustFrontend;
    use crate::lang::Frontend;

    #[test]
    fn tables_routes_sql_and_transactions() {
        let src = r##"
diesel::table! {
    use diesel::sql_types::*;
    shop.orders (id) { id -> Integer, }
}
#[derive(Queryable)]
#[diesel(table_name = crate::schema::customers)]
pub struct Customer { id: i32 }
#[sea_orm(table_name = "Payments")]
pub struct Model { id: i32 }

pub fn router() -> Router {
    Router::new()
        .route("/orders", get(list_orders).post(create_order))
        .route("/orders/{id}", axum::routing::delete(cancel))
        .nest("/customers", customers::router())
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(web::resource("/stats").route(web::get().to(SeqHandler(stats::get_stats))));
}

#[get("/health")]
async fn health() -> &'static str { "ok" }

async fn list_orders(pool: &PgPool) {
    let rows = sqlx::query!("SELECT id FROM orders WHERE id = $1", 1);
    let mut tx = pool.begin().await;
}
async fn create_order() {}
fn cancel(conn: &mut Conn) {
    conn.transaction(|c| Ok(()));
}
"##;
        let f = RustFrontend.parse("x.rs", src);
        let tables: Vec<(&str, Option<u32>)> = f
            .tables
            .iter()
            .map(|t| (t.table.as_str(), t.type_index))
            .collect();
        assert_eq!(
            tables,
            vec![
                ("orders", None),
                ("customers", Some(0)),
                ("payments", Some(1))
            ]
        );
        type Row<'a> = (
            &'a str,
            &'a str,
            Option<u32>,
            Option<&'a str>,
            Option<&'a str>,
        );
        let routes: Vec<Row> = f
            .routes
            .iter()
            .map(|r| {
                (
                    r.method.as_str(),
                    r.path.as_str(),
                    r.function,
                    r.handler.as_deref(),
                    r.include.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            routes,
            vec![
                ("GET", "/orders", Some(3), None, None),
                ("POST", "/orders", Some(4), None, None),
                ("DELETE", "/orders/{id}", Some(5), None, None),
                ("ANY", "/customers", None, None, Some("customers::router")),
                ("GET", "/stats", None, Some("stats::get_stats"), None),
                ("GET", "/health", Some(2), None, None),
            ]
        );
        assert_eq!(f.sql.len(), 1);
        assert_eq!(f.sql[0].text, "SELECT id FROM orders WHERE id = $1");
        assert_eq!(f.sql[0].function, Some(3));
        let tx: Vec<u32> = f.tx_scopes.iter().map(|t| t.function).collect();
        assert_eq!(tx, vec![3, 5]);
    }
}
