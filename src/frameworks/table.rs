//! The framework table: one row per annotation, decorator, attribute, call,
//! base type or method-name pattern that states a route, a table, a
//! transaction scope or a repository. Rows are grouped by language, then
//! framework. Each row's `example` is run through its language's frontend
//! by `frameworks::tests`, which checks `expect`.

use super::{DataFormat, Fact, Method, Naming, Row, Syntax};
use crate::lang::language::Language::{Java, Python, Rust};

const JAVA_PATH: &[&str] = &["value", "path"];
const PY_PATH: &[&str] = &["value", "path", "rule"];

/// Method-name prefixes of repository calls that write (Spring Data).
const SPRING_DATA_WRITES: &[&str] = &[
    "save", "delete", "remove", "insert", "update", "persist", "merge",
];

/// Method-name prefixes of calls on a table-mapped object that only read
/// (bean getters and value methods); every other call is a mutation.
const ENTITY_READS: &[&str] = &[
    "get",
    "is",
    "has",
    "to",
    "find",
    "equals",
    "hashCode",
    "compareTo",
    "total",
    "tier",
];

macro_rules! row {
    ($lang:expr, $fw:expr, $syntax:ident, $name:expr, $fact:expr, $example:expr, $expect:expr) => {
        Row {
            language: $lang,
            framework: $fw,
            syntax: Syntax::$syntax,
            name: $name,
            fact: $fact,
            example: $example,
            expect: $expect,
        }
    };
}

const fn get(m: &'static str) -> Fact {
    Fact::Route {
        method: Method::Fixed(m),
        path_args: JAVA_PATH,
    }
}

const fn verb(m: &'static str) -> Fact {
    Fact::RouteVerb { method: m }
}

const fn py(m: &'static str) -> Fact {
    Fact::Route {
        method: Method::Fixed(m),
        path_args: PY_PATH,
    }
}

const fn rs(m: &'static str) -> Fact {
    Fact::Route {
        method: Method::Fixed(m),
        path_args: &[],
    }
}

const REPO: Fact = Fact::Repository { entity_arg: 0 };

pub const ROWS: &[Row] = &[
    // ---- Java: Spring Web ------------------------------------------------
    row!(Java, "Spring Web", Annotation, "GetMapping", get("GET"),
        "class C { @GetMapping(\"/x\") void h() {} }", "route GET /x"),
    row!(Java, "Spring Web", Annotation, "PostMapping", get("POST"),
        "class C { @PostMapping(\"/x\") void h() {} }", "route POST /x"),
    row!(Java, "Spring Web", Annotation, "PutMapping", get("PUT"),
        "class C { @PutMapping(path = \"/x\") void h() {} }", "route PUT /x"),
    row!(Java, "Spring Web", Annotation, "DeleteMapping", get("DELETE"),
        "class C { @DeleteMapping(\"/x/{id}\") void h() {} }", "route DELETE /x/{id}"),
    row!(Java, "Spring Web", Annotation, "PatchMapping", get("PATCH"),
        "class C { @PatchMapping({\"/x\", \"/y\"}) void h() {} }", "route PATCH /y"),
    row!(Java, "Spring Web", Annotation, "RequestMapping",
        Fact::Route { method: Method::FromArg { arg: "method", default: "ANY" }, path_args: JAVA_PATH },
        "class C { @RequestMapping(value = \"/x\", method = {RequestMethod.PUT, RequestMethod.POST}) void h() {} }",
        "route POST /x"),
    row!(Java, "Spring Web", Annotation, "RequestMapping",
        Fact::RoutePrefix { path_args: JAVA_PATH },
        "@RequestMapping(\"/api\") class C { @GetMapping(\"/x\") void h() {} }", "route GET /api/x"),
    // ---- Java: JAX-RS ----------------------------------------------------
    row!(Java, "JAX-RS", Annotation, "Path", Fact::RoutePrefix { path_args: JAVA_PATH },
        "@Path(\"/api\") class C { @GET @Path(\"/x\") String h() { return \"\"; } }", "route GET /api/x"),
    row!(Java, "JAX-RS", Annotation, "Path",
        Fact::Route { method: Method::FromVerb, path_args: JAVA_PATH },
        "class C { @POST @Path(\"/x\") void h() {} }", "route POST /x"),
    row!(Java, "JAX-RS", Annotation, "GET", verb("GET"),
        "@Path(\"/a\") class C { @GET void h() {} }", "route GET /a"),
    row!(Java, "JAX-RS", Annotation, "POST", verb("POST"),
        "@Path(\"/a\") class C { @POST void h() {} }", "route POST /a"),
    row!(Java, "JAX-RS", Annotation, "PUT", verb("PUT"),
        "@Path(\"/a\") class C { @PUT void h() {} }", "route PUT /a"),
    row!(Java, "JAX-RS", Annotation, "DELETE", verb("DELETE"),
        "@Path(\"/a\") class C { @DELETE void h() {} }", "route DELETE /a"),
    row!(Java, "JAX-RS", Annotation, "PATCH", verb("PATCH"),
        "@Path(\"/a\") class C { @PATCH void h() {} }", "route PATCH /a"),
    row!(Java, "JAX-RS", Annotation, "HEAD", verb("HEAD"),
        "@Path(\"/a\") class C { @HEAD void h() {} }", "route HEAD /a"),
    row!(Java, "JAX-RS", Annotation, "OPTIONS", verb("OPTIONS"),
        "@Path(\"/a\") class C { @OPTIONS void h() {} }", "route OPTIONS /a"),
    // ---- Java: JPA -------------------------------------------------------
    row!(Java, "JPA", Annotation, "Entity",
        Fact::Table { naming: Naming::SnakeCase, queries_name_type: true },
        "@Entity class OrderLine { }", "table order_line"),
    row!(Java, "JPA", Annotation, "Table", Fact::TableName { args: &["name", "value"] },
        "@Entity @Table(name = \"Orders\") class Order { }", "table orders"),
    row!(Java, "JPA", MethodName, "", Fact::ReadMethods { prefixes: ENTITY_READS },
        "getTotal", "reads"),
    row!(Java, "Spring / Jakarta Transactions", Annotation, "Transactional", Fact::Transaction,
        "class S { @Transactional void f() {} void g() {} }", "tx S.f"),
    // ---- Java: Spring Data -----------------------------------------------
    row!(Java, "Spring Data", BaseType, "JpaRepository", REPO,
        "interface R extends JpaRepository<Order, Long> { }", "repository Order"),
    row!(Java, "Spring Data", BaseType, "CrudRepository", REPO,
        "interface R extends CrudRepository<Order, Long> { }", "repository Order"),
    row!(Java, "Spring Data", BaseType, "PagingAndSortingRepository", REPO,
        "interface R extends PagingAndSortingRepository<Pet, Integer> { }", "repository Pet"),
    row!(Java, "Spring Data", BaseType, "ListCrudRepository", REPO,
        "interface R extends ListCrudRepository<com.shop.Item, Long> { }", "repository Item"),
    row!(Java, "Spring Data", BaseType, "Repository", REPO,
        "interface R extends Repository<Owner, Integer> { }", "repository Owner"),
    row!(Java, "Spring Data", MethodName, "", Fact::WriteMethods { prefixes: SPRING_DATA_WRITES },
        "saveAll", "writes"),
    // ---- Java: persistence files (read by crate::persistence) ------------
    row!(Java, "MyBatis", DocumentRoot, "mapper",
        Fact::DataFile { format: DataFormat::StatementMapper, reads: None },
        "<mapper namespace=\"shop.OrderMapper\"><select id=\"find\" resultType=\"shop.Order\">SELECT * FROM orders</select></mapper>",
        "access shop.OrderMapper.find orders read"),
    row!(Java, "Hibernate", DocumentRoot, "hibernate-mapping",
        Fact::DataFile { format: DataFormat::ClassMapping, reads: Some(ENTITY_READS) },
        "<hibernate-mapping package=\"shop\"><class name=\"Order\" table=\"ORDERS\"/></hibernate-mapping>",
        "table shop.Order orders"),
    row!(Java, "JPA", DocumentRoot, "entity-mappings",
        Fact::DataFile { format: DataFormat::EntityMappings, reads: Some(ENTITY_READS) },
        "<entity-mappings><package>shop</package><entity class=\"OrderLine\"/></entity-mappings>",
        "table shop.OrderLine order_line"),
    row!(Java, "Liquibase", DocumentRoot, "databaseChangeLog",
        Fact::DataFile { format: DataFormat::Changelog, reads: None },
        "<databaseChangeLog><changeSet id=\"1\" author=\"a\"><createTable tableName=\"orders\"/></changeSet></databaseChangeLog>",
        "schema orders"),
    // ---- Python: Flask / FastAPI -----------------------------------------
    row!(Python, "Flask", Decorator, "route",
        Fact::Route { method: Method::FromArg { arg: "methods", default: "GET" }, path_args: PY_PATH },
        "@app.route(\"/x\", methods=[\"POST\"])\ndef h():\n    pass\n", "route POST /x"),
    row!(Python, "FastAPI", Decorator, "api_route",
        Fact::Route { method: Method::FromArg { arg: "methods", default: "ANY" }, path_args: PY_PATH },
        "@router.api_route(\"/x\")\ndef h():\n    pass\n", "route ANY /x"),
    row!(Python, "Flask / FastAPI", Decorator, "get", py("GET"),
        "@app.get(\"/x\")\ndef h():\n    pass\n", "route GET /x"),
    row!(Python, "Flask / FastAPI", Decorator, "post", py("POST"),
        "@app.post(path=\"/x\")\ndef h():\n    pass\n", "route POST /x"),
    row!(Python, "Flask / FastAPI", Decorator, "put", py("PUT"),
        "@bp.put(\"/x\")\ndef h():\n    pass\n", "route PUT /x"),
    row!(Python, "Flask / FastAPI", Decorator, "delete", py("DELETE"),
        "@bp.delete(\"/x\")\ndef h():\n    pass\n", "route DELETE /x"),
    row!(Python, "Flask / FastAPI", Decorator, "patch", py("PATCH"),
        "@bp.patch(\"/x\")\ndef h():\n    pass\n", "route PATCH /x"),
    row!(Python, "Flask / FastAPI", Decorator, "head", py("HEAD"),
        "@bp.head(\"/x\")\ndef h():\n    pass\n", "route HEAD /x"),
    row!(Python, "Flask / FastAPI", Decorator, "options", py("OPTIONS"),
        "@bp.options(\"/x\")\ndef h():\n    pass\n", "route OPTIONS /x"),
    // ---- Python: transactions ---------------------------------------------
    row!(Python, "Django", Decorator, "transaction.atomic", Fact::Transaction,
        "@transaction.atomic\ndef f():\n    pass\n", "tx f"),
    row!(Python, "Django", Call, "transaction.atomic", Fact::Transaction,
        "def f():\n    with atomic():\n        pass\n", "tx f"),
    row!(Python, "SQLAlchemy", Call, "begin", Fact::Transaction,
        "def f(session):\n    with session.begin():\n        pass\n", "tx f"),
    // ---- Rust: actix-web attributes ---------------------------------------
    row!(Rust, "actix-web", Attribute, "get", rs("GET"),
        "#[get(\"/x\")]\nasync fn h() {}\n", "route GET /x"),
    row!(Rust, "actix-web", Attribute, "post", rs("POST"),
        "#[post(\"/x\")]\nasync fn h() {}\n", "route POST /x"),
    row!(Rust, "actix-web", Attribute, "put", rs("PUT"),
        "#[put(\"/x\")]\nasync fn h() {}\n", "route PUT /x"),
    row!(Rust, "actix-web", Attribute, "delete", rs("DELETE"),
        "#[delete(\"/x\")]\nasync fn h() {}\n", "route DELETE /x"),
    row!(Rust, "actix-web", Attribute, "patch", rs("PATCH"),
        "#[patch(\"/x\")]\nasync fn h() {}\n", "route PATCH /x"),
    row!(Rust, "actix-web", Attribute, "head", rs("HEAD"),
        "#[head(\"/x\")]\nasync fn h() {}\n", "route HEAD /x"),
    row!(Rust, "actix-web", Attribute, "options", rs("OPTIONS"),
        "#[options(\"/x\")]\nasync fn h() {}\n", "route OPTIONS /x"),
    row!(Rust, "actix-web", Attribute, "route",
        Fact::Route { method: Method::FromArg { arg: "method", default: "ANY" }, path_args: &[] },
        "#[route(\"/x\", method = \"PUT\")]\nasync fn h() {}\n", "route PUT /x"),
    // ---- Rust: axum / actix-web method routers -----------------------------
    row!(Rust, "axum / actix-web", Call, "get", rs("GET"),
        "fn r() -> Router { Router::new().route(\"/x\", get(h)) }\n", "route GET /x"),
    row!(Rust, "axum / actix-web", Call, "post", rs("POST"),
        "fn r() -> Router { Router::new().route(\"/x\", post(h)) }\n", "route POST /x"),
    row!(Rust, "axum / actix-web", Call, "put", rs("PUT"),
        "fn r() -> Router { Router::new().route(\"/x\", get(a).put(h)) }\n", "route PUT /x"),
    row!(Rust, "axum / actix-web", Call, "delete", rs("DELETE"),
        "fn r() -> Router { Router::new().route(\"/x\", delete(h)) }\n", "route DELETE /x"),
    row!(Rust, "axum / actix-web", Call, "patch", rs("PATCH"),
        "fn r() -> Router { Router::new().route(\"/x\", patch(h)) }\n", "route PATCH /x"),
    row!(Rust, "axum / actix-web", Call, "head", rs("HEAD"),
        "fn r() -> Router { Router::new().route(\"/x\", head(h)) }\n", "route HEAD /x"),
    row!(Rust, "axum / actix-web", Call, "options", rs("OPTIONS"),
        "fn r() -> Router { Router::new().route(\"/x\", options(h)) }\n", "route OPTIONS /x"),
    row!(Rust, "axum", Call, "any", rs("ANY"),
        "fn r() -> Router { Router::new().route(\"/x\", any(h)) }\n", "route ANY /x"),
    // ---- Rust: persistence -------------------------------------------------
    row!(Rust, "diesel / sea-orm", MethodName, "", Fact::ReadMethods { prefixes: ENTITY_READS },
        "is_paid", "reads"),
    row!(Rust, "diesel / sqlx", Call, "transaction", Fact::Transaction,
        "fn f(c: &mut Conn) { c.transaction(|t| Ok(())); }\n", "tx f"),
    row!(Rust, "sqlx / sea-orm", Call, "begin", Fact::Transaction,
        "async fn f(p: &Pool) { let t = p.begin().await; }\n", "tx f"),
];
