//! The framework table: one row per annotation, decorator, attribute, call,
//! base type or method-name pattern that states a route, a table, a
//! transaction scope or a repository. Rows are grouped by language, then
//! framework. Each row's `example` is run through its language's frontend
//! by `frameworks::tests`, which checks `expect`.

use super::{DataFormat, Fact, KeyForm, Method, Naming, Row, Syntax};
use crate::lang::language::Language::{CSharp, Java, Python, Rust, TypeScript};

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

const TS_PATH: &[&str] = &["value", "path"];

/// NestJS method decorators.
const fn nest(m: &'static str) -> Fact {
    Fact::Route {
        method: Method::Fixed(m),
        path_args: TS_PATH,
    }
}

/// Express / Koa / Fastify router methods (path: the first argument).
const fn express(m: &'static str) -> Fact {
    Fact::Route {
        method: Method::Fixed(m),
        path_args: &[],
    }
}

/// Method-name prefixes of TypeORM repository and entity-manager calls
/// that write.
const TYPEORM_WRITES: &[&str] = &[
    "save",
    "insert",
    "update",
    "delete",
    "remove",
    "softDelete",
    "softRemove",
    "restore",
    "upsert",
    "increment",
    "decrement",
    "clear",
];

/// Method-name prefixes of Sequelize model calls that only read; every
/// other model call (`create`, `update`, `destroy`, `bulkCreate`) writes.
const SEQUELIZE_READS: &[&str] = &[
    "find",
    "count",
    "sum",
    "max",
    "min",
    "aggregate",
    "get",
    "to",
];

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

/// Subject prefixes of Spring Data derived queries that read, and those
/// that write (`findByName`, `countByStatus`, `deleteByOwner`).
const DERIVED_READS: &[&str] = &[
    "find", "read", "get", "query", "search", "stream", "count", "exists",
];
const DERIVED_WRITES: &[&str] = &["delete", "remove"];

/// Where a C# route attribute carries its template: positional, or named.
const CS_PATH: &[&str] = &["value", "template", "Template"];

const fn cs(m: &'static str) -> Fact {
    Fact::Route {
        method: Method::Fixed(m),
        path_args: CS_PATH,
    }
}

const fn minimal(m: &'static str) -> Fact {
    Fact::Route {
        method: Method::Fixed(m),
        path_args: &[],
    }
}

/// A C# entity mapping: the table is named by the mapping (`DbSet` member,
/// `ToTable`, `[Table]`), or after the entity type.
const EF_TABLE: Fact = Fact::Table {
    naming: Naming::Given,
    queries_name_type: false,
};

/// Method-name prefixes of calls through an Entity Framework set or a
/// Dapper / ADO.NET command that write.
const EF_WRITES: &[&str] = &[
    "Add", "Attach", "Remove", "Update", "Insert", "Delete", "Execute", "Save",
];

/// Method-name prefixes of calls on a C# entity object that only read
/// (property reads are not calls; the rest mutate).
const CS_ENTITY_READS: &[&str] = &[
    "Get",
    "Is",
    "Has",
    "To",
    "Find",
    "Equals",
    "GetHashCode",
    "CompareTo",
    "Contains",
    "Total",
    "Subtotal",
    "Label",
];

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
    row!(Java, "Spring Data", MethodName, "By",
        Fact::DerivedQuery { reads: DERIVED_READS, writes: DERIVED_WRITES },
        "interface R extends JpaRepository<Owner, Long> { List<Owner> findDistinctByLastName(String n); }",
        "access read Owner derived_query"),
    row!(Java, "Spring Data", Annotation, "Query", Fact::Statement,
        "interface R { @Query(\"from Owner o where o.city = ?1\") List<Owner> inCity(String c); }",
        "sql owner read"),
    // ---- Java: MyBatis annotation mappers -----------------------------------
    row!(Java, "MyBatis", Annotation, "Select", Fact::Statement,
        "interface M { @Select({\"SELECT id\", \"FROM users\"}) List<Long> ids(); }", "sql users read"),
    row!(Java, "MyBatis", Annotation, "Insert", Fact::Statement,
        "interface M { @Insert({\"INSERT\", \"INTO users (name) VALUES (#{n})\"}) int add(String n); }",
        "sql users write"),
    row!(Java, "MyBatis", Annotation, "Update", Fact::Statement,
        "interface M { @Update({\"<script>UPDATE users\", \"<set>name = #{n}</set></script>\"}) int rename(String n); }",
        "sql users write"),
    row!(Java, "MyBatis", Annotation, "Delete", Fact::Statement,
        "interface M { @Delete({\"DELETE\", \"FROM users WHERE id = #{id}\"}) int drop(long id); }",
        "sql users write"),
    // ---- Java: jOOQ ---------------------------------------------------------
    row!(Java, "jOOQ", Call, "selectFrom", Fact::TableArg { write: false },
        "class D { void f(DSLContext dsl) { dsl.selectFrom(BOOK).fetch(); } }", "access read book table_ref"),
    row!(Java, "jOOQ", Call, "from", Fact::TableArg { write: false },
        "class D { void f(DSLContext dsl) { dsl.select(A.ID).from(Tables.AUTHOR).fetch(); } }",
        "access read author table_ref"),
    row!(Java, "jOOQ", Call, "join", Fact::TableArg { write: false },
        "class D { void f(DSLContext dsl) { dsl.select().from(BOOK).join(AUTHOR).on(c).fetch(); } }",
        "access read author table_ref"),
    row!(Java, "jOOQ", Call, "leftJoin", Fact::TableArg { write: false },
        "class D { void f(DSLContext dsl) { dsl.select().from(BOOK).leftJoin(BOOK_STORE).on(c).fetch(); } }",
        "access read book_store table_ref"),
    row!(Java, "jOOQ", Call, "insertInto", Fact::TableArg { write: true },
        "class D { void f(DSLContext dsl) { dsl.insertInto(BOOK).set(BOOK.TITLE, t).execute(); } }",
        "access write book table_ref"),
    row!(Java, "jOOQ", Call, "update", Fact::TableArg { write: true },
        "class D { void f(DSLContext dsl) { dsl.update(AUTHOR).set(AUTHOR.NAME, n).execute(); } }",
        "access write author table_ref"),
    row!(Java, "jOOQ", Call, "deleteFrom", Fact::TableArg { write: true },
        "class D { void f(DSLContext dsl) { dsl.deleteFrom(BOOK).where(c).execute(); } }",
        "access write book table_ref"),
    // ---- Java: generator output ---------------------------------------------
    row!(Java, "MyBatis Generator", Comment, "@mbg.generated", Fact::Generated,
        "class UserMapper {\n  /** @mbg.generated */\n  int insert() { return 0; }\n}", "generated"),
    row!(Java, "MyBatis Generator", BaseType, "GeneratedCriteria", Fact::Generated,
        "class UserExample { static class Criteria extends GeneratedCriteria { } }", "generated"),
    row!(Java, "javax / jakarta.annotation", Annotation, "Generated", Fact::Generated,
        "@Generated(\"org.mybatis.generator.api.MyBatisGenerator\") class UserRecord { }", "generated"),
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
    // ---- Python: router prefixes and mounts --------------------------------
    row!(Python, "Flask", Call, "Blueprint", Fact::RoutePrefix { path_args: &["url_prefix"] },
        "bp = Blueprint(\"b\", __name__, url_prefix=\"/api\")\n\n@bp.get(\"/x\")\ndef h():\n    pass\n",
        "route GET /api/x"),
    row!(Python, "FastAPI", Call, "APIRouter", Fact::RoutePrefix { path_args: &["prefix"] },
        "router = APIRouter(prefix=\"/api\")\n\n@router.get(\"/x\")\ndef h():\n    pass\n",
        "route GET /api/x"),
    row!(Python, "Flask", Call, "register_blueprint", Fact::Mount { path_args: &["url_prefix"] },
        "app.register_blueprint(bp, url_prefix=\"/api\")\n", "mount /api bp"),
    row!(Python, "FastAPI", Call, "include_router", Fact::Mount { path_args: &["prefix"] },
        "app.include_router(items.router, prefix=\"/api\")\n", "mount /api items.router"),
    // ---- Python: raw SQL and SQLAlchemy Core ---------------------------------
    row!(Python, "DB-API", Call, "execute", Fact::SqlArg,
        "def f(cur):\n    cur.execute(\"DELETE FROM orders WHERE id = %s\", (1,))\n", "sql orders write"),
    row!(Python, "DB-API", Call, "executemany", Fact::SqlArg,
        "def f(cur):\n    cur.executemany(\"INSERT INTO lines (a) VALUES (%s)\", rows)\n", "sql lines write"),
    row!(Python, "SQLAlchemy", Call, "text", Fact::SqlArg,
        "def f(conn):\n    conn.execute(sql.text(\"SELECT id FROM stock\"))\n", "sql stock read"),
    row!(Python, "Django", Call, "raw", Fact::SqlArg,
        "def f():\n    return Order.objects.raw(\"SELECT * FROM shop_order\")\n", "sql shop_order read"),
    row!(Python, "SQLAlchemy Core", Call, "Table",
        Fact::Table { naming: Naming::Given, queries_name_type: false },
        "orders = Table(\"orders\", metadata, Column(\"id\"))\n", "table orders"),
    // ---- Python: foreign keys (Django migrations and models, Alembic,
    // SQLAlchemy Core) ------------------------------------------------------
    row!(Python, "Django migrations", Call, "CreateModel",
        Fact::ForeignKey { form: KeyForm::DjangoCreateModel },
        "ops = [migrations.CreateModel(name=\"Order\", fields=[(\"buyer\", models.ForeignKey(on_delete=models.CASCADE, to=\"app.customer\"))])]\n",
        "fk app_order -> app_customer"),
    row!(Python, "Django migrations", Call, "AddField",
        Fact::ForeignKey { form: KeyForm::DjangoField },
        "ops = [migrations.AddField(model_name=\"order\", name=\"buyer\", field=models.ForeignKey(to=\"app.customer\", on_delete=models.CASCADE))]\n",
        "fk app_order -> app_customer"),
    row!(Python, "Django migrations", Call, "AlterField",
        Fact::ForeignKey { form: KeyForm::DjangoField },
        "ops = [migrations.AlterField(model_name=\"order\", name=\"buyer\", field=models.ForeignKey(to=\"app.customer\", on_delete=models.CASCADE))]\n",
        "fk app_order -> app_customer"),
    row!(Python, "Django", Call, "ForeignKey",
        Fact::ForeignKey { form: KeyForm::DjangoRelation },
        "class Customer(models.Model):\n    pass\nclass Order(models.Model):\n    buyer = models.ForeignKey(Customer, on_delete=models.CASCADE)\n",
        "fk app_order -> app_customer"),
    row!(Python, "Django", Call, "OneToOneField",
        Fact::ForeignKey { form: KeyForm::DjangoRelation },
        "class Customer(models.Model):\n    pass\nclass Card(models.Model):\n    owner = models.OneToOneField(\"Customer\", on_delete=models.CASCADE)\n",
        "fk app_card -> app_customer"),
    row!(Python, "Django", Call, "ManyToManyField",
        Fact::ForeignKey { form: KeyForm::DjangoManyToMany },
        "class Tag(models.Model):\n    pass\nclass Post(models.Model):\n    tags = models.ManyToManyField(Tag)\n",
        "fk app_post_tags -> app_tag"),
    row!(Python, "Alembic", Call, "create_table",
        Fact::ForeignKey { form: KeyForm::TableColumns },
        "def upgrade():\n    op.create_table(\"orders\", sa.Column(\"id\", sa.Integer), sa.ForeignKeyConstraint([\"buyer_id\"], [\"customers.id\"]))\n",
        "fk orders -> customers"),
    row!(Python, "SQLAlchemy Core", Call, "Table",
        Fact::ForeignKey { form: KeyForm::TableColumns },
        "orders = Table(\"orders\", metadata, Column(\"buyer_id\", Integer, ForeignKey(\"customers.id\")))\n",
        "fk orders -> customers"),
    row!(Python, "SQLAlchemy", Call, "ForeignKey",
        Fact::ForeignKey { form: KeyForm::ColumnKey },
        "def upgrade():\n    op.create_table(\"orders\", sa.Column(\"buyer_id\", sa.Integer, sa.ForeignKey(\"customers.id\")))\n",
        "fk orders -> customers"),
    row!(Python, "SQLAlchemy", Call, "Column",
        Fact::ForeignKey { form: KeyForm::ModelColumn },
        "class Order(Base):\n    __tablename__ = \"orders\"\n    buyer_id = Column(Integer, ForeignKey(\"customers.id\"))\n",
        "fk orders -> customers"),
    row!(Python, "SQLAlchemy", Call, "mapped_column",
        Fact::ForeignKey { form: KeyForm::ModelColumn },
        "class Order(Base):\n    __tablename__ = \"orders\"\n    buyer_id: Mapped[int] = mapped_column(ForeignKey(\"customers.id\"))\n",
        "fk orders -> customers"),
    row!(Python, "SQLAlchemy", Call, "ForeignKeyConstraint",
        Fact::ForeignKey { form: KeyForm::KeyConstraint },
        "def upgrade():\n    op.create_table(\"orders\", sa.Column(\"id\", sa.Integer), sa.ForeignKeyConstraint([\"buyer_id\"], [\"customers.id\"]))\n",
        "fk orders -> customers"),
    row!(Python, "Alembic", Call, "create_foreign_key",
        Fact::ForeignKey { form: KeyForm::CreateForeignKey },
        "def upgrade():\n    op.create_foreign_key(\"fk_buyer\", \"orders\", \"customers\", [\"buyer_id\"], [\"id\"])\n",
        "fk orders -> customers"),
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
    row!(Rust, "axum", Call, "nest", Fact::Mount { path_args: &[] },
        "fn r() -> Router { Router::new().nest(\"/api\", api::router()) }\n", "mount /api api::router"),
    row!(Rust, "axum", Call, "nest_service", Fact::Mount { path_args: &[] },
        "fn r() -> Router { Router::new().nest_service(\"/files\", ServeDir::new(\"d\")) }\n",
        "mount /files ServeDir::new"),
    // ---- Rust: persistence -------------------------------------------------
    row!(Rust, "diesel", Macro, "table", Fact::Table { naming: Naming::Given, queries_name_type: false },
        "diesel::table! {\n    shop.orders (id) { id -> Integer, }\n}\n", "table orders"),
    row!(Rust, "diesel", Attribute, "diesel", Fact::TableName { args: &["table_name"] },
        "#[diesel(table_name = crate::schema::customers)]\npub struct Customer { id: i32 }\n",
        "table customers"),
    row!(Rust, "diesel", Attribute, "table_name", Fact::TableName { args: &[] },
        "#[table_name = \"users\"]\npub struct User { id: i32 }\n", "table users"),
    row!(Rust, "sea-orm", Attribute, "sea_orm", Fact::TableName { args: &["table_name"] },
        "#[sea_orm(table_name = \"Payments\")]\npub struct Model { id: i32 }\n", "table payments"),
    row!(Rust, "diesel / sea-orm", MethodName, "", Fact::ReadMethods { prefixes: ENTITY_READS },
        "is_paid", "reads"),
    row!(Rust, "diesel / sqlx", Call, "transaction", Fact::Transaction,
        "fn f(c: &mut Conn) { c.transaction(|t| Ok(())); }\n", "tx f"),
    row!(Rust, "sqlx / sea-orm", Call, "begin", Fact::Transaction,
        "async fn f(p: &Pool) { let t = p.begin().await; }\n", "tx f"),
    // ---- C#: ASP.NET MVC / Web API / Core attribute routing ---------------
    row!(CSharp, "ASP.NET", Attribute, "HttpGet", cs("GET"),
        "class C { [HttpGet(\"x\")] public void H() {} }", "route GET /x"),
    row!(CSharp, "ASP.NET", Attribute, "HttpPost", cs("POST"),
        "class C { [HttpPost(\"x\")] public void H() {} }", "route POST /x"),
    row!(CSharp, "ASP.NET", Attribute, "HttpPut", cs("PUT"),
        "class C { [HttpPut(template: \"x\")] public void H() {} }", "route PUT /x"),
    row!(CSharp, "ASP.NET", Attribute, "HttpDelete", cs("DELETE"),
        "class C { [HttpDelete(\"x/{id}\")] public void H(int id) {} }", "route DELETE /x/{id}"),
    row!(CSharp, "ASP.NET", Attribute, "HttpPatch", cs("PATCH"),
        "class C { [HttpPatch(\"x\")] public void H() {} }", "route PATCH /x"),
    row!(CSharp, "ASP.NET", Attribute, "HttpHead", cs("HEAD"),
        "class C { [HttpHead(\"x\")] public void H() {} }", "route HEAD /x"),
    row!(CSharp, "ASP.NET", Attribute, "HttpOptions", cs("OPTIONS"),
        "class C { [HttpOptions(\"x\")] public void H() {} }", "route OPTIONS /x"),
    row!(CSharp, "ASP.NET", Attribute, "Route",
        Fact::Route { method: Method::FromVerb, path_args: CS_PATH },
        "class C { [HttpPost, Route(\"x\")] public void H() {} }", "route POST /x"),
    row!(CSharp, "ASP.NET", Attribute, "Route", Fact::RoutePrefix { path_args: CS_PATH },
        "[Route(\"api/[controller]\")] class OrdersController { [HttpGet(\"{id}\")] public void H() {} }",
        "route GET /api/Orders/{id}"),
    row!(CSharp, "ASP.NET Web API 2 / MVC 5", Attribute, "RoutePrefix",
        Fact::RoutePrefix { path_args: CS_PATH },
        "[RoutePrefix(\"api/orders\")] class C { [HttpGet, Route(\"{id}\")] public void H() {} }",
        "route GET /api/orders/{id}"),
    // ---- C#: ASP.NET Core minimal APIs ---------------------------------
    row!(CSharp, "ASP.NET Core minimal APIs", Call, "MapGet", minimal("GET"),
        "static class E { static void M(WebApplication app) { app.MapGet(\"/x\", () => 1); } }", "route GET /x"),
    row!(CSharp, "ASP.NET Core minimal APIs", Call, "MapPost", minimal("POST"),
        "static class E { static void M(WebApplication app) { app.MapPost(\"/x\", () => 1); } }", "route POST /x"),
    row!(CSharp, "ASP.NET Core minimal APIs", Call, "MapPut", minimal("PUT"),
        "static class E { static void M(WebApplication app) { app.MapPut(\"/x\", () => 1); } }", "route PUT /x"),
    row!(CSharp, "ASP.NET Core minimal APIs", Call, "MapDelete", minimal("DELETE"),
        "static class E { static void M(WebApplication app) { app.MapDelete(\"/x\", () => 1); } }", "route DELETE /x"),
    row!(CSharp, "ASP.NET Core minimal APIs", Call, "MapPatch", minimal("PATCH"),
        "static class E { static void M(WebApplication app) { app.MapPatch(\"/x\", () => 1); } }", "route PATCH /x"),
    row!(CSharp, "ASP.NET Core minimal APIs", Call, "MapGroup", Fact::RoutePrefix { path_args: &[] },
        "static class E { static void M(WebApplication app) { var g = app.MapGroup(\"/api\"); g.MapGet(\"/x\", () => 1); } }",
        "route GET /api/x"),
    // ---- C#: WCF ------------------------------------------------------------
    row!(CSharp, "WCF", Attribute, "ServiceContract", Fact::RoutePrefix { path_args: &["Name"] },
        "[ServiceContract(Name = \"Billing\")] interface IBilling { [OperationContract] void Pay(int id); }",
        "route POST /Billing/Pay"),
    row!(CSharp, "WCF", Attribute, "OperationContract",
        Fact::Route { method: Method::Fixed("POST"), path_args: &["Name"] },
        "[ServiceContract] interface IBilling { [OperationContract] void Pay(int id); }",
        "route POST /IBilling/Pay"),
    // ---- C#: Entity Framework 6 / Core -------------------------------------
    row!(CSharp, "Entity Framework", MemberType, "DbSet", EF_TABLE,
        "class Ctx : DbContext { public DbSet<Order> Orders { get; set; } }", "table orders"),
    row!(CSharp, "Entity Framework", MemberType, "IDbSet", EF_TABLE,
        "class Ctx : DbContext { public IDbSet<Order> Orders { get; set; } }", "table orders"),
    row!(CSharp, "Entity Framework", Attribute, "Table", Fact::TableName { args: &["value", "Name"] },
        "[Table(\"sales_orders\")] class Order { }", "table sales_orders"),
    row!(CSharp, "Entity Framework", Call, "ToTable", Fact::TableName { args: &["value"] },
        "class Ctx : DbContext { protected override void OnModelCreating(ModelBuilder b) { b.Entity<Order>().ToTable(\"sales_orders\"); } }",
        "table sales_orders"),
    row!(CSharp, "EF Core", BaseType, "IEntityTypeConfiguration", EF_TABLE,
        "class C : IEntityTypeConfiguration<Order> { public void Configure(EntityTypeBuilder<Order> b) { } }",
        "table order"),
    row!(CSharp, "EF6", BaseType, "EntityTypeConfiguration", EF_TABLE,
        "class C : EntityTypeConfiguration<Order> { }", "table order"),
    row!(CSharp, "Entity Framework", MethodName, "", Fact::WriteMethods { prefixes: EF_WRITES },
        "AddRange", "writes"),
    row!(CSharp, "Entity Framework", MethodName, "", Fact::ReadMethods { prefixes: CS_ENTITY_READS },
        "GetTotal", "reads"),
    // ---- C#: transactions ---------------------------------------------------
    row!(CSharp, "System.Transactions", Call, "TransactionScope", Fact::Transaction,
        "class S { void F() { using (var s = new TransactionScope()) { s.Complete(); } } }", "tx S.F"),
    row!(CSharp, "ADO.NET / Entity Framework", Call, "BeginTransaction", Fact::Transaction,
        "class S { void F() { using var tx = db.Database.BeginTransaction(); } }", "tx S.F"),
    row!(CSharp, "ADO.NET / Entity Framework", Call, "BeginTransactionAsync", Fact::Transaction,
        "class S { async Task F() { await using var tx = await db.Database.BeginTransactionAsync(); } }", "tx S.F"),
    row!(CSharp, "Castle / NHibernate / Spring.NET", Attribute, "Transaction", Fact::Transaction,
        "class S { [Transaction] void F() { } }", "tx S.F"),
    // ---- TypeScript and JavaScript (JavaScript files consult these rows:
    // the frameworks are the same npm packages) --------------------------
    // ---- NestJS ---------------------------------------------------------------
    row!(TypeScript, "NestJS", Decorator, "Controller", Fact::RoutePrefix { path_args: TS_PATH },
        "@Controller('orders') export class C { @Get(':id') find() {} }", "route GET /orders/:id"),
    row!(TypeScript, "NestJS", Decorator, "Get", nest("GET"),
        "@Controller() class C { @Get('x') f() {} }", "route GET /x"),
    row!(TypeScript, "NestJS", Decorator, "Post", nest("POST"),
        "@Controller() class C { @Post('x') f() {} }", "route POST /x"),
    row!(TypeScript, "NestJS", Decorator, "Put", nest("PUT"),
        "@Controller() class C { @Put('x') f() {} }", "route PUT /x"),
    row!(TypeScript, "NestJS", Decorator, "Patch", nest("PATCH"),
        "@Controller() class C { @Patch('x') f() {} }", "route PATCH /x"),
    row!(TypeScript, "NestJS", Decorator, "Delete", nest("DELETE"),
        "@Controller() class C { @Delete('x/:id') f() {} }", "route DELETE /x/:id"),
    row!(TypeScript, "NestJS", Decorator, "All", nest("ANY"),
        "@Controller() class C { @All('x') f() {} }", "route ANY /x"),
    row!(TypeScript, "NestJS", Decorator, "Module", Fact::Wiring,
        "@Module({ providers: [S] }) export class OrdersModule {}", "wiring OrdersModule"),
    // ---- Express / Koa / Fastify -------------------------------------------
    row!(TypeScript, "Express", Call, "express", Fact::RoutePrefix { path_args: &[] },
        "const app = express(); app.get('/x', (req, res) => res.send());", "route GET /x"),
    row!(TypeScript, "Express / koa-router", Call, "Router", Fact::RoutePrefix { path_args: &["prefix"] },
        "const r = new Router({ prefix: '/api' }); r.get('/x', h);", "route GET /api/x"),
    row!(TypeScript, "Fastify", Call, "fastify", Fact::RoutePrefix { path_args: &[] },
        "const app = fastify(); app.get('/x', h);", "route GET /x"),
    row!(TypeScript, "Express", Call, "get", express("GET"),
        "const app = express(); app.get('/x', h);", "route GET /x"),
    row!(TypeScript, "Express", Call, "post", express("POST"),
        "const app = express(); app.post('/x', h);", "route POST /x"),
    row!(TypeScript, "Express", Call, "put", express("PUT"),
        "const app = express(); app.put('/x', h);", "route PUT /x"),
    row!(TypeScript, "Express", Call, "patch", express("PATCH"),
        "const app = express(); app.patch('/x', h);", "route PATCH /x"),
    row!(TypeScript, "Express", Call, "delete", express("DELETE"),
        "const app = express(); app.delete('/x/:id', h);", "route DELETE /x/:id"),
    row!(TypeScript, "Express", Call, "all", express("ANY"),
        "const app = express(); app.all('/x', h);", "route ANY /x"),
    row!(TypeScript, "Express", Call, "use", Fact::Mount { path_args: &[] },
        "const app = express(); const r = express.Router(); r.get('/y', h); app.use('/x', r);",
        "route GET /x/y"),
    row!(TypeScript, "Fastify", Call, "register", Fact::Mount { path_args: &["prefix"] },
        "const app = fastify(); app.register(routes, { prefix: '/x' });", "mount /x routes"),
    // ---- TypeORM ------------------------------------------------------------
    row!(TypeScript, "TypeORM", Decorator, "Entity",
        Fact::Table { naming: Naming::SnakeCase, queries_name_type: true },
        "@Entity() export class OrderLine { }", "table order_line"),
    row!(TypeScript, "TypeORM", Decorator, "Entity", Fact::TableName { args: &["value", "name"] },
        "@Entity('sales_orders') export class Order { }", "table sales_orders"),
    row!(TypeScript, "TypeORM", MemberType, "Repository", Fact::Repository { entity_arg: 0 },
        "class S { constructor(private orders: Repository<Order>) {} f(o) { this.orders.save(o); } }",
        "access write Order repository"),
    row!(TypeScript, "TypeORM", BaseType, "Repository", Fact::Repository { entity_arg: 0 },
        "export class OrderRepository extends Repository<Order> { }", "repository Order"),
    row!(TypeScript, "TypeORM", MethodName, "", Fact::WriteMethods { prefixes: TYPEORM_WRITES },
        "softDelete", "writes"),
    // ---- Sequelize ------------------------------------------------------------
    row!(TypeScript, "Sequelize", Call, "define", Fact::TableName { args: &["tableName", "value"] },
        "const Order = sequelize.define('order', { total: DataTypes.INTEGER });", "table order"),
    row!(TypeScript, "Sequelize", Call, "init", Fact::TableName { args: &["tableName", "modelName"] },
        "class Order extends Model {} Order.init({}, { sequelize, tableName: 'orders' });", "table orders"),
    row!(TypeScript, "Sequelize", MethodName, "", Fact::ReadMethods { prefixes: SEQUELIZE_READS },
        "findAll", "reads"),
    // ---- transactions -----------------------------------------------------------
    row!(TypeScript, "TypeORM / Sequelize / Knex", Call, "transaction", Fact::Transaction,
        "class S { f() { return this.dataSource.transaction(async (m) => m.save(x)); } }", "tx S.f"),
    row!(TypeScript, "TypeORM", Call, "startTransaction", Fact::Transaction,
        "class S { async f(qr) { await qr.startTransaction(); } }", "tx S.f"),
    row!(TypeScript, "Prisma", Call, "$transaction", Fact::Transaction,
        "class S { f() { return this.prisma.$transaction([a, b]); } }", "tx S.f"),
    row!(TypeScript, "typeorm-transactional", Decorator, "Transactional", Fact::Transaction,
        "class S { @Transactional() f() {} }", "tx S.f"),
];
