//! Persistence facts from non-code files: statement mappers, class
//! mappings, entity descriptors, changelogs and SQL schema scripts.
//!
//! Discovery hands over every `.xml`, `.sql`, `.yaml`/`.yml` and `.json`
//! file ([`crate::discover::DataFile`]). [`read`] parses one of them with a
//! real parser ([`tree`]: roxmltree for XML, yaml-rust2 for YAML, serde_json
//! for JSON; [`sql`]: sqlparser) and, when the framework table
//! ([`crate::frameworks::data_format`]) knows its root element or
//! top-level key, hands the tree to the reader of that format:
//! [`mapper`] (statements bound to a type's methods), [`mapping`] (class
//! mappings and entity descriptors), [`changelog`] (structured schema
//! changes). `.sql` files are schema scripts ([`sql::schema`]). What a file
//! states is a [`FileData`]: names as written, no unit yet. [`attach`] then
//! ties the class and type names to the parsed Java units and states the
//! neutral facts ([`crate::lang::plan_facts`]): a `TableDecl` in the unit of
//! each mapped class, a `StatementAccess` per statement table, foreign keys and
//! schema tables. The plan stage reads only those.
//!
//! **Invariant:** a file that does not parse yields a diagnostic naming the
//! file and line, and the run goes on; nothing here reads another file or
//! fetches a DTD or schema.

pub mod changelog;
pub mod mapper;
pub mod mapping;
pub mod sql;
pub mod tree;

use std::collections::{BTreeMap, BTreeSet};

use crate::frameworks::{self, DataFormat};
use crate::lang::plan_facts::{ForeignKey, SchemaTable, StatementAccess, TableDecl};
use crate::lang::{Language, ParsedFile};

/// A class mapped to a table (or a join table owned by a class).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassMapping {
    /// As written, package applied (`shop.Order`, or a simple name or
    /// alias such as `Order`).
    pub class: String,
    pub table: String,
    pub line: u32,
    /// A collection's join table: the class owns it but no class maps it.
    pub join_table: bool,
    /// A subclass stored in its parent's table: the parent's class is the
    /// table's mapped class.
    pub in_parent_table: bool,
    /// Query strings of this framework name the class, not the table.
    pub queries_name_type: bool,
    pub reads: Option<&'static [&'static str]>,
}

/// A foreign key stated through classes (a many-to-one): resolved to
/// tables once every file's mappings are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassKey {
    pub table: String,
    pub column: String,
    /// The referenced class, as written.
    pub target: String,
    pub line: u32,
}

/// One mapped SQL statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The type whose method runs it (the mapper's namespace).
    pub namespace: String,
    /// The method (statement id).
    pub id: String,
    pub tables: Vec<(String, bool)>,
    /// `resultType` or the `resultMap`'s type, and `parameterType`.
    pub result_class: Option<String>,
    pub param_class: Option<String>,
    pub line: u32,
    /// Not a full statement for any SQL dialect: tables read by words.
    pub fallback: bool,
}

/// What one non-code file states.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileData {
    pub id: String,
    pub mappings: Vec<ClassMapping>,
    pub class_keys: Vec<ClassKey>,
    pub statements: Vec<Statement>,
    /// (table, line).
    pub schema_tables: Vec<(String, u32)>,
    pub foreign_keys: Vec<ForeignKey>,
    /// (line, message).
    pub diagnostics: Vec<(u32, String)>,
}

impl FileData {
    fn new(id: &str) -> FileData {
        FileData {
            id: id.to_string(),
            ..Default::default()
        }
    }
    /// Whether the file stated anything (or failed to parse).
    pub fn is_empty(&self) -> bool {
        self.mappings.is_empty()
            && self.statements.is_empty()
            && self.schema_tables.is_empty()
            && self.foreign_keys.is_empty()
            && self.diagnostics.is_empty()
    }
}

/// Cheap test of whether an XML, YAML or JSON text may be one of the
/// known formats, so that build files and configuration are never parsed.
fn may_be_known(text: &str, xml: bool) -> bool {
    frameworks::ROWS
        .iter()
        .filter(|r| r.syntax == frameworks::Syntax::DocumentRoot)
        .any(|r| {
            if xml {
                text.contains(&format!("<{}", r.name))
            } else {
                text.contains(r.name)
            }
        })
}

/// Reads one non-code file. `id` decides the syntax by its extension.
pub fn read(id: &str, text: &str) -> FileData {
    let mut out = FileData::new(id);
    let ext = id.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let tree = match ext.as_deref() {
        Some("sql") => {
            let s = sql::schema(text);
            out.schema_tables = s.tables;
            out.foreign_keys = s.foreign_keys;
            for e in s.errors {
                out.diagnostics.push((
                    e.line,
                    format!(
                        "SQL not parsed ({}); the table name was read by words",
                        e.message
                    ),
                ));
            }
            return finish(out);
        }
        Some("xml") if may_be_known(text, true) => tree::xml(text),
        Some("yaml" | "yml") if may_be_known(text, false) => tree::yaml(text, ""),
        Some("json") if may_be_known(text, false) => tree::json(text, ""),
        _ => return out,
    };
    let root = match tree {
        Ok(r) => r,
        Err(e) => {
            out.diagnostics
                .push((e.line, format!("not parsed: {}", e.message)));
            return out;
        }
    };
    // XML: the root element; YAML and JSON: the one top-level key.
    let root = if root.name.is_empty() {
        match root.children.first() {
            Some(c) if root.children.len() == 1 => c.clone(),
            _ => return out,
        }
    } else {
        root
    };
    let Some((format, reads)) = frameworks::data_format(&root.name) else {
        return out;
    };
    match format {
        DataFormat::StatementMapper => mapper::read(&root, &mut out),
        DataFormat::ClassMapping => mapping::read_class_mapping(&root, reads, &mut out),
        DataFormat::EntityMappings => mapping::read_entity_mappings(&root, reads, &mut out),
        DataFormat::Changelog => changelog::read(&root, &mut out),
    }
    finish(out)
}

fn finish(mut out: FileData) -> FileData {
    for fk in &mut out.foreign_keys {
        fk.file = out.id.clone();
    }
    out
}

/// The facts of every data file tied to units: what the plan stage and
/// the data edges read.
#[derive(Debug, Clone, Default)]
pub struct Attached {
    pub statement_accesses: Vec<StatementAccess>,
    pub foreign_keys: Vec<ForeignKey>,
    pub schema_tables: Vec<SchemaTable>,
    /// Statements whose namespace names no type of the repository.
    pub unattached_statements: u32,
    /// Statements no dialect parsed (tables read by words).
    pub fallback_statements: u32,
    pub statements: u32,
    /// `file:line: message` per diagnostic.
    pub warnings: Vec<String>,
}

/// Class names to (unit, type index): full names and, for aliases and
/// simple names, the unique type of that simple name.
struct TypeIndex {
    full: BTreeMap<String, (u32, u32)>,
    simple: BTreeMap<String, Vec<(u32, u32)>>,
}

impl TypeIndex {
    fn new(files: &[ParsedFile]) -> TypeIndex {
        let mut full = BTreeMap::new();
        let mut simple: BTreeMap<String, Vec<(u32, u32)>> = BTreeMap::new();
        for (u, f) in files.iter().enumerate() {
            if f.language != Language::Java || f.test {
                continue;
            }
            for (t, ty) in f.facts.types.iter().enumerate() {
                let fqn = match &f.facts.namespace {
                    Some(ns) => format!("{ns}.{}", ty.path),
                    None => ty.path.clone(),
                };
                full.insert(fqn, (u as u32, t as u32));
                simple
                    .entry(ty.name.to_ascii_lowercase())
                    .or_default()
                    .push((u as u32, t as u32));
            }
        }
        TypeIndex { full, simple }
    }
    fn get(&self, name: &str) -> Option<(u32, u32)> {
        let name = name.trim().replace('$', ".");
        if let Some(&x) = self.full.get(&name) {
            return Some(x);
        }
        let last = name
            .rsplit('.')
            .next()
            .unwrap_or(&name)
            .to_ascii_lowercase();
        match self.simple.get(&last).map(Vec::as_slice) {
            Some([one]) => Some(*one),
            _ => None,
        }
    }
}

/// `order_lines` / `ORDERS` / `lineitem` against `OrderLine` / `Order` /
/// `LineItem`: the class name fits the table name.
fn name_fits(class: &str, table: &str) -> bool {
    let c: String = class
        .rsplit('.')
        .next()
        .unwrap_or(class)
        .chars()
        .filter(|c| *c != '_')
        .collect::<String>()
        .to_ascii_lowercase();
    let t: String = table.chars().filter(|c| *c != '_').collect();
    let t = t.rsplit('.').next().unwrap_or(&t).to_string();
    [t.clone(), t.trim_end_matches('s').to_string()]
        .iter()
        .any(|x| x == &c || x.strip_prefix("t").is_some_and(|y| y == c))
}

/// Ties every file's names to units. Mapped classes get a `TableDecl` in
/// their unit (so they become entities); statements become table accesses
/// of their type's method; a table that no mapping names takes as its
/// mapped class the statements' result or parameter class for which it is
/// the first table (a class whose name fits the table first, then the most
/// statements, then the name).
pub fn attach(files: &mut [ParsedFile], data: &[FileData]) -> Attached {
    let index = TypeIndex::new(files);
    let mut out = Attached::default();
    // table -> (unit, type, decl) from mapping files.
    let mut decls: BTreeMap<(u32, String), TableDecl> = BTreeMap::new();
    let mut mapped: BTreeSet<String> = files
        .iter()
        .filter(|f| !f.test)
        .flat_map(|f| {
            f.facts
                .tables
                .iter()
                .filter(|d| d.type_index.is_some())
                .map(|d| d.table.clone())
        })
        .collect();
    let mut class_table: BTreeMap<(u32, u32), String> = BTreeMap::new();
    for d in data {
        for (line, msg) in &d.diagnostics {
            out.warnings.push(format!("{}:{line}: {msg}", d.id));
        }
        for m in d.mappings.iter().filter(|m| !m.in_parent_table) {
            let Some((u, t)) = index.get(&m.class) else {
                out.warnings.push(format!(
                    "{}:{}: class {} (mapped to table {}) is not a type of the repository",
                    d.id, m.line, m.class, m.table
                ));
                continue;
            };
            if !m.join_table {
                class_table.entry((u, t)).or_insert_with(|| m.table.clone());
                mapped.insert(m.table.clone());
            }
            let line = files[u as usize].facts.types[t as usize].lines.0;
            decls
                .entry((u, m.table.clone()))
                .or_insert_with(|| TableDecl {
                    table: m.table.clone(),
                    type_index: (!m.join_table).then_some(t),
                    line,
                    queries_name_type: m.queries_name_type,
                    reads: m.reads,
                });
        }
        for (table, line) in &d.schema_tables {
            out.schema_tables.push(SchemaTable {
                table: table.clone(),
                file: d.id.clone(),
                line: *line,
            });
        }
        out.foreign_keys.extend(d.foreign_keys.iter().cloned());
    }
    // Keys stated through classes.
    for d in data {
        for k in &d.class_keys {
            let Some(target) = index.get(&k.target).and_then(|x| class_table.get(&x)) else {
                continue;
            };
            out.foreign_keys.push(ForeignKey {
                table: k.table.clone(),
                columns: vec![k.column.clone()],
                references: target.clone(),
                ref_columns: Vec::new(),
                name: None,
                file: d.id.clone(),
                line: k.line,
            });
        }
    }
    // Statements: accesses, and candidate classes for unmapped tables.
    let mut candidates: BTreeMap<String, BTreeMap<(u32, u32), u32>> = BTreeMap::new();
    for d in data {
        for s in &d.statements {
            out.statements += 1;
            out.fallback_statements += s.fallback as u32;
            if let Some((first, _)) = s.tables.first() {
                for class in [&s.result_class, &s.param_class].into_iter().flatten() {
                    if let Some(x) = index.get(class) {
                        *candidates
                            .entry(first.clone())
                            .or_default()
                            .entry(x)
                            .or_default() += 1;
                    }
                }
            }
            let Some((u, t)) = index.get(&s.namespace) else {
                out.unattached_statements += 1;
                continue;
            };
            let facts = &files[u as usize].facts;
            let function = facts
                .functions
                .iter()
                .position(|f| f.owner == Some(t) && f.name == s.id);
            let line = function.map_or(facts.types[t as usize].lines.0, |f| {
                facts.functions[f].lines.0
            });
            let symbol = match function {
                Some(f) => facts.symbol(f),
                None => format!("{}.{}", facts.types[t as usize].path, s.id),
            };
            for (table, write) in &s.tables {
                out.statement_accesses.push(StatementAccess {
                    unit: u,
                    function: function.map(|f| f as u32),
                    symbol: symbol.clone(),
                    table: table.clone(),
                    write: *write,
                    line,
                    source: format!("{}:{}", d.id, s.line),
                });
            }
        }
    }
    for (table, classes) in candidates {
        if mapped.contains(&table) {
            continue;
        }
        let best = classes.iter().max_by(|a, b| {
            let fits = |x: &(u32, u32)| {
                name_fits(&files[x.0 as usize].facts.types[x.1 as usize].name, &table)
            };
            fits(a.0)
                .cmp(&fits(b.0))
                .then(a.1.cmp(b.1))
                .then(b.0.cmp(a.0))
        });
        if let Some((&(u, t), _)) = best {
            decls
                .entry((u, table.clone()))
                .or_insert_with(|| TableDecl {
                    table: table.clone(),
                    type_index: Some(t),
                    line: files[u as usize].facts.types[t as usize].lines.0,
                    queries_name_type: false,
                    reads: None,
                });
        }
    }
    for ((u, table), decl) in decls {
        let tables = &mut files[u as usize].facts.tables;
        if !tables.iter().any(|d| d.table == table) {
            tables.push(decl);
        }
    }
    out.statement_accesses.sort();
    out.statement_accesses.dedup();
    out.foreign_keys.sort();
    out.foreign_keys.dedup();
    out.schema_tables.sort();
    out.schema_tables.dedup();
    out
}

/// `fixture.xml`-style one-line statements of what a text states, for the
/// framework table's row test: `table CLASS TABLE`, `access NS.ID TABLE
/// read|write`, `schema TABLE`, `fk TABLE -> TABLE`.
pub fn describe(data: &FileData) -> Vec<String> {
    let mut out = Vec::new();
    for m in &data.mappings {
        out.push(format!("table {} {}", m.class, m.table));
    }
    for s in &data.statements {
        for (t, w) in &s.tables {
            let rw = if *w { "write" } else { "read" };
            out.push(format!("access {}.{} {t} {rw}", s.namespace, s.id));
        }
    }
    for (t, _) in &data.schema_tables {
        out.push(format!("schema {t}"));
    }
    for f in &data.foreign_keys {
        out.push(format!("fk {} -> {}", f.table, f.references));
    }
    out
}

/// `orders(customer_id) -> customers(id) Some("fk") 3`: a foreign key on
/// one line, for the readers' tests.
#[cfg(test)]
pub(crate) fn fk_line(f: &ForeignKey) -> String {
    format!(
        "{}({}) -> {}({}) {:?} {}",
        f.table,
        f.columns.join(","),
        f.references,
        f.ref_columns.join(","),
        f.name,
        f.line
    )
}

/// The fuzz target's body (`fuzz/fuzz_targets/data_files.rs`): `text` read
/// as every data format and as a mapped statement. Panics when a
/// diagnostic names a line outside the text.
pub fn fuzz_one(text: &str) {
    let lines = text.lines().count() as u32 + 1;
    for id in ["f.xml", "f.sql", "f.yaml", "f.json"] {
        let d = read(id, text);
        for (line, _) in &d.diagnostics {
            assert!(*line <= lines, "{id}: diagnostic line {line} of {lines}");
        }
    }
    // As a mapper statement body (dynamic tags, includes) and as SQL.
    let _ = read(
        "m.xml",
        &format!("<mapper namespace=\"a\"><select id=\"s\">{text}</select></mapper>"),
    );
    let _ = sql::tables(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_names_fit_tables() {
        assert!(name_fits("Order", "orders"));
        assert!(name_fits("shop.LineItem", "lineitem"));
        assert!(name_fits("OrderLine", "order_lines"));
        assert!(name_fits("Product", "t_product"));
        assert!(!name_fits("Account", "signon"));
    }

    #[test]
    fn broken_files_say_where() {
        let d = read(
            "m/OrderMapper.xml",
            "<mapper namespace=\"a\">\n<select id=\"x\">\n</mapper>",
        );
        assert_eq!(d.diagnostics.len(), 1);
        assert_eq!(d.diagnostics[0].0, 3);
        assert!(read("pom.xml", "<project><broken").is_empty());
    }
}
