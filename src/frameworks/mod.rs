//! Framework knowledge as data: which annotation, decorator, attribute,
//! call or base type declares a route, a table, a transaction scope or a
//! repository, and which method names read or write. One table
//! ([`table::ROWS`]); the frontends consult it (through the small lookups
//! below) to emit the neutral plan facts of [`crate::lang::plan_facts`], so
//! the plan stage never names a framework.
//!
//! Adding a framework is adding rows (docs/architecture.md, "Adding a
//! framework"); every row carries an example that a test runs through the
//! frontend of its language, so no row goes untested.

pub mod table;

use crate::lang::language::Language;

pub use table::ROWS;

/// How a row's name appears in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Java `@Name` (matched on the simple name).
    Annotation,
    /// Python `@x.name` / `@name` (matched on the last dotted part).
    Decorator,
    /// Rust `#[name]` / `#[name(...)]`; C# `[Name]` / `[Name(...)]`
    /// (matched without the `Attribute` suffix).
    Attribute,
    /// A call `name(...)` or `x.name(...)` (matched on the last part).
    Call,
    /// A supertype / base class (matched on the simple name).
    BaseType,
    /// A macro invocation `name! { ... }`.
    Macro,
    /// A method-name prefix (for the read/write patterns).
    MethodName,
    /// The type of a property or field (matched on the simple name):
    /// C# `DbSet<T> Orders { get; set; }`.
    MemberType,
    /// A marker written in a comment (`@mbg.generated`).
    Comment,
    /// The root element (XML) or top-level key (YAML, JSON) of a non-code
    /// file that states persistence facts.
    DocumentRoot,
}

/// What a non-code file states, decided by its [`Syntax::DocumentRoot`]
/// row; `crate::persistence` has one reader per format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFormat {
    /// SQL statements bound to a type's methods (namespace = the type,
    /// statement id = the method), with result and parameter classes.
    StatementMapper,
    /// Classes mapped to tables, with subclasses, collections' join
    /// tables and many-to-one keys.
    ClassMapping,
    /// Entities mapped to tables in the standard persistence descriptor.
    EntityMappings,
    /// Schema changes as structured change sets (tables, columns, keys).
    Changelog,
}

/// The HTTP method of a route row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Always this method (`@GetMapping` → `GET`).
    Fixed(&'static str),
    /// Read from the named argument (`@RequestMapping(method = ...)`,
    /// `@app.route(methods=[...])`); `default` when it is absent.
    FromArg {
        arg: &'static str,
        default: &'static str,
    },
    /// Stated by a [`Fact::RouteVerb`] row of the same framework on the
    /// same function (JAX-RS `@Path` + `@GET`).
    FromVerb,
}

/// How a table is named when the declaration gives no name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// `OrderLine` → `order_line` (JPA).
    SnakeCase,
    /// `<app label>_<model name in lower case>` (Django).
    AppLabelLower,
    /// The declaration always carries the name (diesel `table!`).
    Given,
}

/// What a row declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fact {
    /// An inbound route: the method, and the arguments that may carry the
    /// path (the first present wins; none present: the empty path).
    Route {
        method: Method,
        path_args: &'static [&'static str],
    },
    /// The path prefix of every route inside: a class-level mapping, or a
    /// router object built with a prefix (Flask `Blueprint`, FastAPI
    /// `APIRouter`; the first present keyword argument).
    RoutePrefix { path_args: &'static [&'static str] },
    /// Mounts a router or blueprint under a path prefix: the prefix is the
    /// first present keyword argument of `path_args`, or the first
    /// positional argument when `path_args` is empty; the mounted router is
    /// the other positional argument (Flask `register_blueprint`, FastAPI
    /// `include_router`, axum `nest`).
    Mount { path_args: &'static [&'static str] },
    /// States the method of a route whose path another row gives.
    RouteVerb { method: &'static str },
    /// The type is mapped to a table. `queries_name_type`: query strings
    /// (JPQL) name the type, not the table.
    Table {
        naming: Naming,
        queries_name_type: bool,
    },
    /// Names the table of a type another row maps (first present argument;
    /// for a Rust attribute, the `key = value` pair inside its list, or
    /// with no `args` the value of `#[name = "…"]`).
    TableName { args: &'static [&'static str] },
    /// Opens a transaction scope: on a function, or on a type for every
    /// method inside it (nested types too).
    Transaction,
    /// Subtypes of this base type access the table of the entity given as
    /// type argument `entity_arg`.
    Repository { entity_arg: usize },
    /// Calls through a repository (or queryset) whose method name starts with
    /// one of these write; others read.
    WriteMethods { prefixes: &'static [&'static str] },
    /// Calls on a table-mapped object whose method name starts with one of
    /// these only read; others write.
    ReadMethods { prefixes: &'static [&'static str] },
    /// The annotation's value is the SQL (or JPQL) statement the method
    /// runs (a MyBatis mapper annotation, Spring Data `@Query`); array
    /// elements are joined and XML tags (`<script>`, `<if>`) dropped.
    Statement,
    /// The call's first argument is the SQL statement it runs
    /// (`cursor.execute("...")`).
    SqlArg,
    /// A method declared on a repository whose name starts with one of
    /// `reads` or `writes` and holds the row's name (`By`) after it is a
    /// derived query of the repository's entity (`findByNameAndCity`).
    DerivedQuery {
        reads: &'static [&'static str],
        writes: &'static [&'static str],
    },
    /// The file is generator output: it carries data facts but never
    /// ranks as a service.
    Generated,
    /// The call's first argument names a table by a generated constant
    /// (jOOQ `selectFrom(BOOK)`, `insertInto(Tables.AUTHOR)`): an
    /// upper-case name, read as the lower-case table; `write` for
    /// statements that change it.
    TableArg { write: bool },
    /// The call states foreign keys between tables, in the given form
    /// (Django migration operations and relation fields, Alembic and
    /// SQLAlchemy Core tables, columns and constraints).
    ForeignKey { form: KeyForm },
    /// A non-code file of this format (a [`Syntax::DocumentRoot`] row).
    /// `reads`: the read prefixes of calls on the classes it maps (as
    /// [`Fact::ReadMethods`]); `None` when such calls are no data access.
    DataFile {
        format: DataFormat,
        reads: Option<&'static [&'static str]>,
    },
    /// The type only wires the application together (a NestJS `@Module`):
    /// its file follows its folder instead of pulling services together.
    Wiring,
}

/// How a call states foreign keys ([`Fact::ForeignKey`]). Django names
/// tables `<app label>_<model in lower case>` unless `db_table` says
/// otherwise; a `"table.column"` string names the referenced table and
/// column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyForm {
    /// A migration operation that creates a model: `name`, `fields` as
    /// `(name, field)` pairs, `options` with `db_table`.
    DjangoCreateModel,
    /// A migration operation on one field: `model_name`, `name`, `field`.
    DjangoField,
    /// A relation field to one row: the target in `to` or the first
    /// argument, the column in `db_column` (else `<field>_id`), the
    /// referenced column in `to_field`.
    DjangoRelation,
    /// A many-to-many field: its join table (`db_table`, else
    /// `<table>_<field>`) holds a key to each side; none with `through`,
    /// whose model states its own keys.
    DjangoManyToMany,
    /// A table and its columns (`op.create_table(name, *columns)`,
    /// `Table(name, metadata, *columns)`): the keys of its columns and
    /// its key constraints.
    TableColumns,
    /// A column's key: `ForeignKey("table.column")` inside a column.
    ColumnKey,
    /// A column of a declarative model class (`x = Column(…,
    /// ForeignKey(…))`, `mapped_column`): its keys are keys of the class's
    /// `__tablename__`.
    ModelColumn,
    /// `ForeignKeyConstraint(columns, ["table.column", ...])` inside a table.
    KeyConstraint,
    /// `create_foreign_key(name, source, referent, local_cols, remote_cols)`.
    CreateForeignKey,
}

/// One row of the framework table.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub language: Language,
    /// The framework's name, for documentation and the row test only.
    pub framework: &'static str,
    pub syntax: Syntax,
    /// The annotation, decorator, attribute, call, base type or macro name
    /// (empty for method-name rows).
    pub name: &'static str,
    pub fact: Fact,
    /// A small source in `language` that uses the row, and what the row
    /// makes the frontend state about it (see `tests::every_row_is_used`):
    /// `route METHOD PATH`, `mount PATH TARGET`, `table NAME`, `tx SYMBOL`,
    /// `repository ENTITY`, `fk TABLE -> TABLE`,
    /// `writes NAME` / `reads NAME` for method-name rows.
    pub example: &'static str,
    pub expect: &'static str,
}

/// Every row of `language` written with `syntax` and named `name`.
pub fn rows(
    language: Language,
    syntax: Syntax,
    name: &str,
) -> impl Iterator<Item = &'static Row> + '_ {
    ROWS.iter()
        .filter(move |r| r.language == language && r.syntax == syntax && r.name == name)
}

/// The first row of `language`/`syntax`/`name` whose fact `pick` accepts.
pub fn find<T>(
    language: Language,
    syntax: Syntax,
    name: &str,
    pick: impl Fn(&'static Row) -> Option<T>,
) -> Option<T> {
    rows(language, syntax, name).find_map(pick)
}

/// The method-name prefixes of the first row of `framework` in `language`
/// whose fact `pick` accepts (the read or write patterns).
pub fn prefixes(
    language: Language,
    framework: &str,
    pick: impl Fn(&Fact) -> Option<&'static [&'static str]>,
) -> Option<&'static [&'static str]> {
    ROWS.iter()
        .filter(|r| r.language == language && r.framework == framework)
        .find_map(|r| pick(&r.fact))
}

/// The derived-query prefixes of `language`'s first derived-query row
/// (reads, writes) and the word that must follow the subject (`By`).
pub fn derived_query(
    language: Language,
) -> Option<(
    &'static [&'static str],
    &'static [&'static str],
    &'static str,
)> {
    ROWS.iter()
        .filter(|r| r.language == language)
        .find_map(|r| match r.fact {
            Fact::DerivedQuery { reads, writes } => Some((reads, writes, r.name)),
            _ => None,
        })
}

/// The format row of a non-code file whose root element or top-level key
/// is `root`.
pub fn data_format(root: &str) -> Option<(DataFormat, Option<&'static [&'static str]>)> {
    ROWS.iter()
        .filter(|r| r.syntax == Syntax::DocumentRoot && r.name == root)
        .find_map(|r| match r.fact {
            Fact::DataFile { format, reads } => Some((format, reads)),
            _ => None,
        })
}

/// Whether `method` is a derived query by the rule of
/// [`Fact::DerivedQuery`]: `Some(true)` writes, `Some(false)` reads.
pub fn derived_query_access(language: Language, method: &str) -> Option<bool> {
    let (reads, writes, by) = derived_query(language)?;
    let after = |p: &&str| {
        method
            .strip_prefix(*p)
            .is_some_and(|rest| rest.contains(by) && !rest.starts_with(|c: char| c.is_lowercase()))
    };
    if writes.iter().any(after) {
        Some(true)
    } else if reads.iter().any(after) {
        Some(false)
    } else {
        None
    }
}

/// Whether a file of `language` whose comments hold `source`'s text is
/// generator output by a comment-marker row.
pub fn has_generated_marker(language: Language, source: &str) -> bool {
    ROWS.iter().any(|r| {
        r.language == language
            && r.syntax == Syntax::Comment
            && r.fact == Fact::Generated
            && source.contains(r.name)
    })
}

/// Whether `method` starts with one of `prefixes`.
pub fn matches_prefix(prefixes: &[&str], method: &str) -> bool {
    prefixes.iter().any(|p| method.starts_with(p))
}

/// `OrderLine` → `order_line`.
pub fn snake_case(name: &str) -> String {
    let mut s = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                s.push('_');
            }
            s.extend(c.to_lowercase());
        } else {
            s.push(c);
        }
    }
    s
}

#[cfg(test)]
mod tests;
