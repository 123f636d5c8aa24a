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
    /// The path prefix of every route inside (a class-level mapping, a
    /// router mount).
    RoutePrefix { path_args: &'static [&'static str] },
    /// States the method of a route whose path another row gives.
    RouteVerb { method: &'static str },
    /// The type is mapped to a table. `queries_name_type`: query strings
    /// (JPQL) name the type, not the table.
    Table {
        naming: Naming,
        queries_name_type: bool,
    },
    /// Names the table of a type another row maps (first present argument).
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
    /// `route METHOD PATH`, `table NAME`, `tx SYMBOL`, `repository ENTITY`,
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
