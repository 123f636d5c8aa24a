//! `data` dependencies: a unit that reads or writes a table depends on the
//! unit that maps it (docs/metrics.md, "Data edges"). Computed before
//! clustering, from the SQL a unit's code states and the statements
//! non-code files state for its methods, so that data coupling joins the
//! structural signal.

use std::collections::BTreeMap;

use crate::lang::plan_facts::StatementAccess;
use crate::resolve::{EdgeKind, FileEdge, ParsedFile};

/// One `data` edge per access site whose table another unit maps; a
/// unit's accesses to a table it maps itself are no dependency.
pub fn data_edges(files: &[ParsedFile], accesses: &[StatementAccess]) -> Vec<FileEdge> {
    let mut mapper: BTreeMap<&str, u32> = BTreeMap::new();
    // Query strings that name the mapped type instead of the table.
    let mut by_class: BTreeMap<String, &str> = BTreeMap::new();
    for (u, f) in files.iter().enumerate() {
        if f.test {
            continue;
        }
        for d in &f.facts.tables {
            let Some(t) = d.type_index else { continue };
            mapper.entry(&d.table).or_insert(u as u32);
            if d.queries_name_type {
                by_class.insert(
                    f.facts.types[t as usize].name.to_ascii_lowercase(),
                    &d.table,
                );
            }
        }
    }
    let mut edges = Vec::new();
    let mut edge = |from: u32, table: &str| {
        let table = by_class.get(table).copied().unwrap_or(table);
        if let Some(&to) = mapper.get(table) {
            if to != from {
                edges.push(FileEdge {
                    from,
                    to,
                    kind: EdgeKind::Data,
                });
            }
        }
    };
    for (u, f) in files.iter().enumerate() {
        if f.test {
            continue;
        }
        for lit in &f.facts.sql {
            for (name, _) in super::sql_tables(&lit.text) {
                edge(u as u32, &name);
            }
        }
    }
    for a in accesses {
        if !files[a.unit as usize].test {
            edge(a.unit, &a.table);
        }
    }
    edges
}
