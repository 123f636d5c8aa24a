//! Every row of the framework table, run: its example goes through its
//! language's frontend (and the cross-file pass for routes), and what the
//! neutral rows then state must include the row's `expect`.

use super::*;
use crate::lang::ParsedFile;
use crate::lang::{self, Language};

fn file_name(language: Language) -> &'static str {
    match language {
        Language::Java => "src/Example.java",
        Language::Python => "app/example.py",
        Language::Rust => "src/lib.rs",
        Language::CSharp => "src/Example.cs",
        Language::TypeScript => "src/example.ts",
        Language::JavaScript => "src/example.js",
    }
}

/// What the neutral plan rows state about `source`, one line per fact.
fn statements(language: Language, source: &str) -> Vec<String> {
    let frontend = lang::frontend(language).expect("a frontend for every language in the table");
    let facts = frontend.parse(file_name(language), source);
    let mut out = Vec::new();
    for t in &facts.tables {
        out.push(format!("table {}", t.table));
    }
    for tx in &facts.tx_scopes {
        out.push(format!("tx {}", facts.symbol(tx.function as usize)));
    }
    for r in &facts.repositories {
        out.push(format!("repository {}", r.entity));
    }
    for r in &facts.routes {
        if let Some(include) = &r.include {
            out.push(format!("mount {} {include}", r.path));
        }
    }
    for lit in &facts.sql {
        for (t, write) in crate::plan::sql_tables(&lit.text) {
            out.push(format!("sql {t} {}", if write { "write" } else { "read" }));
        }
    }
    for a in &facts.table_accesses {
        let access = if a.write { "write" } else { "read" };
        out.push(format!("access {access} {} {}", a.target, a.via));
    }
    if facts.generated {
        out.push("generated".into());
    }
    if let Some(ts) = &facts.typescript {
        for &t in &ts.module_classes {
            out.push(format!("wiring {}", facts.types[t as usize].name));
        }
    }
    let files = [ParsedFile {
        id: file_name(language).to_string(),
        language,
        test: false,
        facts,
    }];
    let plan = crate::resolve::plan_facts(&files, &[]);
    for r in plan.routes {
        out.push(format!("route {} {}", r.method, r.path));
    }
    // Tables stated across files (C# entity sets and mappings).
    for t in plan.tables {
        out.push(format!("table {}", t.decl.table));
    }
    // Foreign keys: the file's own and those stated across files.
    for k in plan.foreign_keys {
        out.push(format!("fk {} -> {}", k.table, k.references));
    }
    out
}

/// Method-name rows: the example is a method name, classified by the
/// prefixes the row's framework states.
fn classify(row: &Row) -> String {
    let reads = prefixes(row.language, row.framework, |f| match f {
        Fact::ReadMethods { prefixes } => Some(*prefixes),
        _ => None,
    });
    let writes = prefixes(row.language, row.framework, |f| match f {
        Fact::WriteMethods { prefixes } => Some(*prefixes),
        _ => None,
    });
    match row.fact {
        Fact::ReadMethods { .. } if matches_prefix(reads.unwrap(), row.example) => "reads".into(),
        Fact::WriteMethods { .. } if matches_prefix(writes.unwrap(), row.example) => {
            "writes".into()
        }
        _ => "neither".into(),
    }
}

/// Derived-query rows are method-name rows whose example is a source.
fn derived(row: &Row) -> bool {
    matches!(row.fact, Fact::DerivedQuery { .. })
}

#[test]
fn every_row_is_used() {
    let mut failures = Vec::new();
    for (i, row) in ROWS.iter().enumerate() {
        let got = if row.syntax == Syntax::MethodName && !derived(row) {
            vec![classify(row)]
        } else if row.syntax == Syntax::DocumentRoot {
            // Non-code files: the example is the file's text (XML), read
            // by the persistence readers.
            crate::persistence::describe(&crate::persistence::read("example.xml", row.example))
        } else {
            statements(row.language, row.example)
        };
        if !got.iter().any(|g| g == row.expect) {
            failures.push(format!(
                "row {i} ({:?} {} {:?} {:?}): expected {:?}, the frontend stated {got:?}",
                row.language, row.framework, row.syntax, row.name, row.expect
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The rows' examples are not vacuous: without the row's marker the
/// expected fact disappears (the marker is replaced by a name no row has).
#[test]
fn every_row_is_needed() {
    let mut failures = Vec::new();
    for (i, row) in ROWS.iter().enumerate() {
        if row.syntax == Syntax::MethodName && !derived(row) {
            let other = prefixes(row.language, row.framework, |f| match (f, row.fact) {
                (Fact::ReadMethods { prefixes }, Fact::ReadMethods { .. })
                | (Fact::WriteMethods { prefixes }, Fact::WriteMethods { .. }) => Some(*prefixes),
                _ => None,
            })
            .unwrap();
            if matches_prefix(other, "zzz") {
                failures.push(format!("row {i}: every name matches"));
            }
            continue;
        }
        let last = row.name.rsplit('.').next().unwrap();
        let without = row.example.replace(last, "Zzq");
        if without == row.example {
            failures.push(format!("row {i}: the example does not use {:?}", row.name));
            continue;
        }
        if statements(row.language, &without).contains(&row.expect.to_string()) {
            failures.push(format!(
                "row {i} ({:?}): {:?} is stated without the row's name",
                row.name, row.expect
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn lookups_find_rows_by_language_syntax_and_name() {
    let getmapping: Vec<&Row> = rows(Language::Java, Syntax::Annotation, "GetMapping").collect();
    assert_eq!(getmapping.len(), 1);
    assert_eq!(
        getmapping[0].fact,
        Fact::Route {
            method: Method::Fixed("GET"),
            path_args: &["value", "path"]
        }
    );
    // Same name, other language: no row.
    assert_eq!(
        rows(Language::Python, Syntax::Annotation, "GetMapping").count(),
        0
    );
    assert_eq!(
        rows(Language::Java, Syntax::Annotation, "RequestMapping").count(),
        2
    );
    assert_eq!(snake_case("OrderLine"), "order_line");
    assert_eq!(snake_case("Order"), "order");
    assert!(matches_prefix(&["save", "delete"], "deleteById"));
    assert_eq!(
        derived_query_access(Language::Java, "findByLastName"),
        Some(false)
    );
    assert_eq!(
        derived_query_access(Language::Java, "countDistinctByCity"),
        Some(false)
    );
    assert_eq!(
        derived_query_access(Language::Java, "deleteByOwner"),
        Some(true)
    );
    assert_eq!(derived_query_access(Language::Java, "findAll"), None);
    assert_eq!(derived_query_access(Language::Java, "findbyx"), None);
    assert_eq!(derived_query_access(Language::Java, "getTotal"), None);
    assert_eq!(derived_query_access(Language::Python, "findByName"), None);
    assert!(!matches_prefix(&["save", "delete"], "findAll"));
}
