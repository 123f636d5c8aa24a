//! SQL through `sqlparser`: the tables a statement reads and writes, and
//! the tables and foreign keys a schema script declares.
//!
//! A statement is tried with the generic, MySQL and PostgreSQL dialects in
//! turn. What none of them parses (a fragment such as `FROM orders o WHERE`,
//! vendor syntax, a string built in pieces) goes to a tolerant word reader,
//! and the result says so ([`StatementTables::fallback`]) so the callers
//! can count it. Placeholders of mapper files (`#{id}`, `${column}`) are
//! replaced before parsing.

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use sqlparser::ast::{
    AlterTableOperation, ColumnOption, ObjectName, ObjectNamePart, Statement, TableConstraint,
    Visit, Visitor,
};
use sqlparser::dialect::{Dialect, GenericDialect, MySqlDialect, PostgreSqlDialect};
use sqlparser::parser::Parser;

use crate::lang::plan_facts::ForeignKey;

/// The tables one SQL text touches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatementTables {
    /// (table, written), in order of first mention, lower case, without
    /// schema qualifier.
    pub tables: Vec<(String, bool)>,
    /// No dialect parsed the text: the tables come from the word reader.
    pub fallback: bool,
}

fn dialects() -> [&'static dyn Dialect; 3] {
    [&GenericDialect {}, &MySqlDialect {}, &PostgreSqlDialect {}]
}

/// `schema.Orders` / `"Orders"` / `` `orders` `` → `orders`.
fn table_name(name: &ObjectName) -> Option<String> {
    let last = name.0.last()?;
    let ident = match last {
        ObjectNamePart::Identifier(i) => i.value.clone(),
        _ => return None,
    };
    (!ident.is_empty()).then(|| ident.to_ascii_lowercase())
}

/// Replaces mapper placeholders with what a SQL parser accepts: `#{x}` is
/// a bound value (`?`), `${x}` is spliced text (usually a column or an
/// order clause: an identifier).
pub fn strip_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(i) = rest.find(['#', '$']) {
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        if tail[1..].starts_with('{') {
            if let Some(end) = tail.find('}') {
                out.push_str(if tail.starts_with('#') { "?" } else { "x" });
                rest = &tail[end + 1..];
                continue;
            }
        }
        out.push_str(&tail[..1]);
        rest = &tail[1..];
    }
    out.push_str(rest);
    out
}

/// Collects relation names, CTE names and whether the statement writes.
#[derive(Default)]
struct Relations {
    names: Vec<String>,
    ctes: BTreeSet<String>,
}

impl Visitor for Relations {
    type Break = ();
    fn pre_visit_relation(&mut self, relation: &ObjectName) -> ControlFlow<()> {
        if let Some(n) = table_name(relation) {
            self.names.push(n);
        }
        ControlFlow::Continue(())
    }
    fn pre_visit_query(&mut self, query: &sqlparser::ast::Query) -> ControlFlow<()> {
        if let Some(with) = &query.with {
            for cte in &with.cte_tables {
                self.ctes.insert(cte.alias.name.value.to_ascii_lowercase());
            }
        }
        ControlFlow::Continue(())
    }
}

/// The tables of parsed statements: a write statement's first relation
/// (the `INSERT INTO`, `UPDATE`, `DELETE FROM` or `MERGE INTO` target) is
/// written, every other relation is read.
fn statement_tables(statements: &[Statement]) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    for st in statements {
        let writes = matches!(
            st,
            Statement::Insert(_)
                | Statement::Update(_)
                | Statement::Delete(_)
                | Statement::Merge(_)
        );
        let mut rel = Relations::default();
        let _ = st.visit(&mut rel);
        for (i, name) in rel.names.into_iter().enumerate() {
            if rel.ctes.contains(&name) {
                continue;
            }
            let write = writes && i == 0;
            match out.iter_mut().find(|(t, _)| *t == name) {
                Some(e) => e.1 |= write,
                None => out.push((name, write)),
            }
        }
    }
    out
}

/// Parses `sql` with the first dialect that accepts it.
fn parse(sql: &str) -> Result<Vec<Statement>, String> {
    let mut first_err = None;
    for d in dialects() {
        match Parser::parse_sql(d, sql) {
            Ok(s) => return Ok(s),
            Err(e) => {
                first_err.get_or_insert_with(|| e.to_string());
            }
        }
    }
    Err(first_err.unwrap_or_default())
}

/// Tables a SQL (or JPQL/HQL) text touches: (name, written).
pub fn tables(sql: &str) -> StatementTables {
    let text = strip_placeholders(sql);
    match parse(&text) {
        Ok(statements) if !statements.is_empty() => StatementTables {
            tables: statement_tables(&statements),
            fallback: false,
        },
        _ => StatementTables {
            tables: word_tables(&text),
            fallback: true,
        },
    }
}

/// The tolerant reader for fragments: the word after `FROM`, `INTO`,
/// `UPDATE` or `JOIN` is a table; a write statement's first one is
/// written.
pub fn word_tables(sql: &str) -> Vec<(String, bool)> {
    let words: Vec<&str> = sql
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
        .collect();
    let mut out: Vec<(String, bool)> = Vec::new();
    let first = words
        .first()
        .map(|w| w.to_ascii_uppercase())
        .unwrap_or_default();
    let writes = matches!(first.as_str(), "INSERT" | "UPDATE" | "DELETE" | "MERGE");
    let mut target_done = false;
    for (i, w) in words.iter().enumerate() {
        let kw = w.to_ascii_uppercase();
        if !matches!(kw.as_str(), "FROM" | "INTO" | "UPDATE" | "JOIN") {
            continue;
        }
        let Some(name) = words.get(i + 1) else {
            continue;
        };
        let name = name.trim_matches(|c| c == '"' || c == '`');
        if name.is_empty()
            || name.starts_with('?')
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
            || name.eq_ignore_ascii_case("select")
        {
            continue;
        }
        let name = name.rsplit('.').next().unwrap_or(name).to_ascii_lowercase();
        let write = writes && !target_done;
        target_done = true;
        match out.iter_mut().find(|(t, _)| *t == name) {
            Some(e) => e.1 |= write,
            None => out.push((name, write)),
        }
    }
    out
}

/// One problem in a schema script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptError {
    pub line: u32,
    pub message: String,
}

/// What a schema script (DDL, a migration) declares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    /// (table, line of its `CREATE TABLE`).
    pub tables: Vec<(String, u32)>,
    /// Foreign keys; `file` is left empty for the caller.
    pub foreign_keys: Vec<ForeignKey>,
    /// `CREATE TABLE` / `ALTER TABLE` statements no dialect parsed; the
    /// table name was then read by words.
    pub errors: Vec<ScriptError>,
}

fn push_statement<'a>(
    text: &'a str,
    from: usize,
    to: usize,
    at: u32,
    out: &mut Vec<(&'a str, u32)>,
) {
    let s = &text[from..to];
    // The statement's line is that of its first word: blank and comment
    // lines before it are not counted.
    let mut lead = 0;
    for l in s.split_inclusive('\n') {
        let t = l.trim();
        if t.is_empty() || t.starts_with("--") || t.starts_with('#') {
            lead += l.len();
        } else {
            break;
        }
    }
    let lead = lead + (s[lead..].len() - s[lead..].trim_start().len());
    let at = at + s[..lead].matches('\n').count() as u32;
    if !s[lead..].trim().is_empty() {
        out.push((s[lead..].trim(), at));
    }
}

/// Splits a script into statements at top-level `;`, skipping quoted text
/// and comments: (statement text, 1-based line of its first character).
pub fn split_statements(text: &str) -> Vec<(&str, u32)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut line = 1u32;
    let mut start_line = 1u32;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'\n' => line += 1,
            b'\'' | b'"' | b'`' => {
                i += 1;
                while i < bytes.len() && bytes[i] != c {
                    if bytes[i] == b'\n' {
                        line += 1;
                    }
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    if bytes[i] == b'\n' {
                        line += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            b';' => {
                push_statement(text, start, i, start_line, &mut out);
                start = i + 1;
                start_line = line;
            }
            _ => {}
        }
        i += 1;
    }
    if start < text.len() {
        push_statement(text, start, text.len(), start_line, &mut out);
    }
    out
}

/// Comments out of a statement's head, for the keyword check.
fn head_words(stmt: &str) -> Vec<String> {
    let mut words = Vec::new();
    for l in stmt.lines() {
        let l = l.split("--").next().unwrap_or("");
        for w in l.split(|c: char| c.is_whitespace() || c == '(') {
            if !w.is_empty() {
                words.push(w.to_ascii_uppercase());
            }
            if words.len() >= 6 {
                return words;
            }
        }
    }
    words
}

/// Reads the tables and foreign keys a schema script declares. Only
/// `CREATE TABLE` and `ALTER TABLE` statements are parsed: seed data
/// (`INSERT`), grants and session settings are no schema.
pub fn schema(text: &str) -> Schema {
    let mut out = Schema::default();
    for (stmt, line) in split_statements(text) {
        let words = head_words(stmt);
        let is = |a: &str| words.first().is_some_and(|w| w == a);
        let creates = is("CREATE") && words.iter().take(5).any(|w| w == "TABLE");
        let alters = is("ALTER") && words.get(1).is_some_and(|w| w == "TABLE");
        if !creates && !alters {
            continue;
        }
        match parse(stmt) {
            Ok(statements) => {
                for st in &statements {
                    read_ddl(st, line, &mut out);
                }
            }
            Err(message) => {
                out.errors.push(ScriptError {
                    line: line + error_line(&message).saturating_sub(1),
                    message,
                });
                if creates {
                    if let Some(name) = created_name(&words) {
                        out.tables.push((name, line));
                    }
                }
            }
        }
    }
    out
}

/// The line a sqlparser error message states (`... at Line: 3, Column: 7`).
fn error_line(message: &str) -> u32 {
    message
        .split("Line: ")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1)
}

/// `CREATE [TEMPORARY] TABLE [IF NOT EXISTS] name` read by words.
fn created_name(words: &[String]) -> Option<String> {
    let i = words.iter().position(|w| w == "TABLE")?;
    let mut j = i + 1;
    if words.get(j).is_some_and(|w| w == "IF") {
        j += 3;
    }
    let raw = words.get(j)?;
    let name = raw
        .rsplit('.')
        .next()
        .unwrap_or(raw)
        .trim_matches(|c| c == '"' || c == '`' || c == '[' || c == ']');
    (!name.is_empty()).then(|| name.to_ascii_lowercase())
}

fn idents(cols: &[sqlparser::ast::Ident]) -> Vec<String> {
    cols.iter().map(|c| c.value.to_ascii_lowercase()).collect()
}

fn fk(
    table: &str,
    columns: Vec<String>,
    references: &ObjectName,
    ref_columns: Vec<String>,
    name: Option<String>,
    line: u32,
) -> Option<ForeignKey> {
    Some(ForeignKey {
        table: table.to_string(),
        columns,
        references: table_name(references)?,
        ref_columns,
        name: name.map(|n| n.to_ascii_lowercase()),
        file: String::new(),
        line,
    })
}

fn constraint_fk(table: &str, c: &TableConstraint, line: u32) -> Option<ForeignKey> {
    let TableConstraint::ForeignKey(f) = c else {
        return None;
    };
    fk(
        table,
        idents(&f.columns),
        &f.foreign_table,
        idents(&f.referred_columns),
        f.name.as_ref().map(|n| n.value.clone()),
        line,
    )
}

fn read_ddl(st: &Statement, line: u32, out: &mut Schema) {
    match st {
        Statement::CreateTable(ct) => {
            let Some(table) = table_name(&ct.name) else {
                return;
            };
            for col in &ct.columns {
                for opt in &col.options {
                    if let ColumnOption::ForeignKey(f) = &opt.option {
                        out.foreign_keys.extend(fk(
                            &table,
                            vec![col.name.value.to_ascii_lowercase()],
                            &f.foreign_table,
                            idents(&f.referred_columns),
                            opt.name.as_ref().map(|n| n.value.clone()),
                            line,
                        ));
                    }
                }
            }
            for c in &ct.constraints {
                out.foreign_keys.extend(constraint_fk(&table, c, line));
            }
            out.tables.push((table, line));
        }
        Statement::AlterTable(at) => {
            let Some(table) = table_name(&at.name) else {
                return;
            };
            for op in &at.operations {
                if let AlterTableOperation::AddConstraint { constraint, .. } = op {
                    out.foreign_keys
                        .extend(constraint_fk(&table, constraint, line));
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(sql: &str) -> Vec<(String, bool)> {
        tables(sql).tables
    }

    #[test]
    fn reads_and_writes_of_statements() {
        assert_eq!(
            t("UPDATE loyalty_accounts SET points = points + ? WHERE customer_id = ?"),
            vec![("loyalty_accounts".to_string(), true)]
        );
        assert_eq!(
            t("INSERT INTO order_lines (a) SELECT x FROM products p JOIN stock s ON p.id = s.id"),
            vec![
                ("order_lines".to_string(), true),
                ("products".to_string(), false),
                ("stock".to_string(), false)
            ]
        );
        assert_eq!(
            t("WITH recent AS (SELECT * FROM orders) SELECT * FROM recent r, shop.customers c"),
            vec![
                ("orders".to_string(), false),
                ("customers".to_string(), false)
            ]
        );
        assert_eq!(
            t("delete from `cart_items` where id = #{id}"),
            vec![("cart_items".to_string(), true)]
        );
        assert_eq!(
            t("SELECT * FROM a WHERE id IN (SELECT a_id FROM b) ORDER BY ${sort}"),
            vec![("a".to_string(), false), ("b".to_string(), false)]
        );
    }

    #[test]
    fn fragments_fall_back_to_words_and_say_so() {
        let r = tables("FROM Product p JOIN orders o ON o.p = p.id WHERE");
        assert!(r.fallback);
        assert_eq!(
            r.tables,
            vec![
                ("product".to_string(), false),
                ("orders".to_string(), false)
            ]
        );
        assert!(!tables("SELECT 1 FROM dual").fallback);
    }

    #[test]
    fn schema_tables_and_foreign_keys() {
        let s = schema(
            "-- shop; schema\nCREATE TABLE customers (id INT PRIMARY KEY);\n\
             CREATE TABLE orders (\n id INT,\n customer_id INT REFERENCES customers(id),\n\
             CONSTRAINT fk_x FOREIGN KEY (id) REFERENCES other (oid)\n);\n\
             INSERT INTO customers VALUES (1);\n\
             ALTER TABLE orders ADD CONSTRAINT fk_y FOREIGN KEY (b) REFERENCES customers (id);\n\
             CREATE TABLE broken (id INT,, );\n",
        );
        assert_eq!(
            s.tables,
            vec![
                ("customers".to_string(), 2),
                ("orders".to_string(), 3),
                ("broken".to_string(), 10)
            ]
        );
        let fks: Vec<String> = s.foreign_keys.iter().map(super::super::fk_line).collect();
        assert_eq!(
            fks,
            vec![
                "orders(customer_id) -> customers(id) None 3",
                "orders(id) -> other(oid) Some(\"fk_x\") 3",
                "orders(b) -> customers(id) Some(\"fk_y\") 9",
            ]
        );
        assert_eq!(s.errors.len(), 1);
        assert_eq!(s.errors[0].line, 10);
    }

    #[test]
    fn splits_at_top_level_semicolons() {
        let parts = split_statements("a 'x;y';\n-- c;\nb /* ; */ ;\n\n c");
        assert_eq!(parts, vec![("a 'x;y'", 1), ("b /* ; */", 3), ("c", 5)]);
    }
}
