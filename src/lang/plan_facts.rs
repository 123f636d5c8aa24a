//! Language-neutral facts for the plan stage.
//!
//! Every frontend recognises its frameworks' idioms (JPA `@Entity`, Spring
//! and JAX-RS mappings, `@Transactional`, Spring Data repositories, Django
//! models, SQLAlchemy `__tablename__`, Flask/FastAPI decorators, `urls.py`,
//! diesel `table!`, axum/actix routes, `transaction.atomic`,
//! `.transaction(`), consulting the framework table ([`crate::frameworks`]),
//! and states them in these rows: per file in [`crate::lang::FileFacts`]
//! (tables, routes, transaction scopes, repositories), and, where a fact
//! needs other files (a route prefix built from constants, a Python handler
//! or model named through imports), in [`PlanFacts`], built after parsing by
//! `resolve::plan_facts`. The plan stage reads only these rows.

/// A table declared by a model in this file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TableDecl {
    /// Table name as the database knows it (lower case).
    pub table: String,
    /// The model type declaring it (index into `FileFacts::types`), if any.
    pub type_index: Option<u32>,
    pub line: u32,
    /// Query strings (JPQL) name the model type instead of the table, so a
    /// query naming the type reaches this table.
    pub queries_name_type: bool,
    /// When calls on the model's methods from other files are data
    /// accesses: the method-name prefixes that only read (others write).
    /// `None`: method calls are not accesses (Python models, whose reads
    /// and writes come from managers and querysets instead).
    #[serde(with = "static_strs::option")]
    pub reads: Option<&'static [&'static str]>,
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

/// A repository or DAO type: its methods read and write one entity's table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RepositoryDecl {
    /// The repository type (index into `FileFacts::types`).
    pub type_index: u32,
    /// The entity as written in the type argument, simple name (`Order`).
    pub entity: String,
    /// Method-name prefixes of calls through the repository that write.
    #[serde(with = "static_strs")]
    pub writes: &'static [&'static str],
    pub line: u32,
}

/// A table read or written as a framework states it outside SQL text: a
/// derived query method of a repository (`findByNameAndCity` reads its
/// entity), a table object built in code. SQL statements themselves go to
/// `FileFacts::sql`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TableAccess {
    /// The table (lower case), or the entity type's simple name when
    /// `of_entity` (the plan maps it to the entity's table).
    pub target: String,
    pub of_entity: bool,
    pub write: bool,
    /// The function holding the access (index into `FileFacts::functions`).
    pub function: Option<u32>,
    pub line: u32,
    /// How the access was stated (`derived_query`), as the report's site
    /// `via` shows it.
    pub via: String,
}

/// A route with its full path and resolved handler, after every file was
/// read (prefixes from constants, mounts, handlers named through imports).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct UnitRoute {
    pub method: String,
    pub path: String,
    /// The file the route is reported in (the handler's file where it was
    /// resolved to one).
    pub unit: u32,
    /// `Type.method` or function of the handler.
    pub handler: String,
    pub line: u32,
}

/// One read or write of a model's table found across files (a Django
/// manager or queryset call, a model instance's `save()`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DataAccess {
    pub file: u32,
    /// Index into the file's functions.
    pub function: u32,
    pub model_file: u32,
    /// Index into the model file's types.
    pub model_type: u32,
    pub write: bool,
    pub line: u32,
}

/// A table whose mapping another file states (a C# `DbSet<T>` member or
/// `ToTable` call for an entity declared elsewhere): the row as if the
/// entity's own file declared it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitTable {
    /// The entity's file (the mapping's file when the entity is not in the
    /// repository; then `decl.type_index` is `None`).
    pub unit: u32,
    pub decl: TableDecl,
}

/// A foreign key between two tables, from a schema script, a changelog, a
/// migration or a class mapping.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct ForeignKey {
    /// The referencing table (lower case).
    pub table: String,
    pub columns: Vec<String>,
    /// The referenced table (lower case).
    pub references: String,
    pub ref_columns: Vec<String>,
    /// The constraint's name, when the source names it.
    pub name: Option<String>,
    /// The file stating it (repo-relative) and the line.
    pub file: String,
    pub line: u32,
}

/// One row per key: keys stated more than once (a Django model and its
/// migration, an `AddField` and a later `AlterField`, a schema script and
/// a class mapping) are the same key when they join the same columns of
/// the same tables; the row kept is the one with referenced columns, then
/// with a name, then the first by file and line. Sorted.
pub fn distinct_keys(mut keys: Vec<ForeignKey>) -> Vec<ForeignKey> {
    keys.sort_by(|a, b| {
        (&a.table, &a.columns, &a.references)
            .cmp(&(&b.table, &b.columns, &b.references))
            .then(a.ref_columns.is_empty().cmp(&b.ref_columns.is_empty()))
            .then(a.name.is_none().cmp(&b.name.is_none()))
            .then((&a.file, a.line).cmp(&(&b.file, b.line)))
    });
    keys.dedup_by(|later, first| {
        (&later.table, &later.columns, &later.references)
            == (&first.table, &first.columns, &first.references)
    });
    keys.sort();
    keys
}

/// A table read or written by a unit's function where the SQL is stated
/// outside the unit's source (a statement in a mapper file naming the
/// unit's type and method).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct StatementAccess {
    pub unit: u32,
    /// Index into the unit's functions; `None` when the statement names
    /// no method of the type.
    pub function: Option<u32>,
    /// `Type.method` (the statement id when the type has no such method).
    pub symbol: String,
    pub table: String,
    pub write: bool,
    /// The line in the unit (the method's, else the type's).
    pub line: u32,
    /// Where the statement is stated: `file:line`.
    pub source: String,
}

/// A table a schema file declares (`CREATE TABLE`, a changelog's
/// `createTable`), whether or not code maps it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SchemaTable {
    pub table: String,
    pub file: String,
    pub line: u32,
}

/// The cross-file plan facts of a whole analysis, in file order per
/// language (Java, then Rust, then Python, then C#).
#[derive(Debug, Clone, Default)]
pub struct PlanFacts {
    pub routes: Vec<UnitRoute>,
    pub accesses: Vec<DataAccess>,
    /// Table accesses stated in non-code files (`crate::persistence`).
    pub statement_accesses: Vec<StatementAccess>,
    /// Foreign keys from every source, sorted.
    pub foreign_keys: Vec<ForeignKey>,
    /// Tables declared by schema files, sorted.
    pub schema_tables: Vec<SchemaTable>,
    /// Tables stated across files, beside each file's own
    /// `FileFacts::tables`.
    pub tables: Vec<UnitTable>,
}

impl PlanFacts {
    /// Every table declaration: each file's own, then those stated across
    /// files, as (unit, declaration).
    pub fn all_tables<'a>(
        &'a self,
        files: &'a [crate::lang::ParsedFile],
    ) -> impl Iterator<Item = (u32, &'a TableDecl)> + 'a {
        files
            .iter()
            .enumerate()
            .flat_map(|(u, f)| f.facts.tables.iter().map(move |d| (u as u32, d)))
            .chain(self.tables.iter().map(|t| (t.unit, &t.decl)))
    }
}

/// `/a` + `/b/` → `/a/b`: one slash between parts, a leading one, none at
/// the end. How every language joins a route's prefix and path.
pub fn join_path(prefix: &str, sub: &str) -> String {
    let mut p = String::from("/");
    for part in prefix.split('/').chain(sub.split('/')) {
        if part.is_empty() {
            continue;
        }
        if !p.ends_with('/') {
            p.push('/');
        }
        p.push_str(part);
    }
    p
}

#[cfg(test)]
mod tests {
    #[test]
    fn joins_paths() {
        use super::join_path;
        assert_eq!(join_path("/api/orders", "/{id}"), "/api/orders/{id}");
        assert_eq!(join_path("/api/orders/", ""), "/api/orders");
        assert_eq!(join_path("", ""), "/");
        assert_eq!(join_path("v1", "x//y"), "/v1/x/y");
    }
}

/// Serde for the framework table's word lists (`&'static [&'static str]`)
/// in cached facts: written as a list of strings, read back as the same
/// list, interned so that each distinct list is allocated once per process.
mod static_strs {
    use std::collections::BTreeSet;
    use std::sync::Mutex;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    static INTERNED: Mutex<BTreeSet<&'static [&'static str]>> = Mutex::new(BTreeSet::new());

    fn intern(words: Vec<String>) -> &'static [&'static str] {
        let mut set = INTERNED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&found) = set
            .iter()
            .find(|s| s.iter().copied().eq(words.iter().map(String::as_str)))
        {
            return found;
        }
        let leaked: Vec<&'static str> = words
            .into_iter()
            .map(|w| &*Box::leak(w.into_boxed_str()))
            .collect();
        let list: &'static [&'static str] = Box::leak(leaked.into_boxed_slice());
        set.insert(list);
        list
    }

    pub fn serialize<S: Serializer>(v: &&'static [&'static str], s: S) -> Result<S::Ok, S::Error> {
        v.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<&'static [&'static str], D::Error> {
        Ok(intern(Vec::<String>::deserialize(d)?))
    }

    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(
            v: &Option<&'static [&'static str]>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            v.serialize(s)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<&'static [&'static str]>, D::Error> {
            Ok(Option::<Vec<String>>::deserialize(d)?.map(intern))
        }
    }
}
