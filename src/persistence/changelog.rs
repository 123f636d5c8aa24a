//! Structured schema changelogs (XML, YAML or JSON, read into one tree):
//! `createTable` declares a table, `addForeignKeyConstraint` a foreign
//! key, a column's `constraints` with `references` (`orders(id)`) or
//! `referencedTableName` an inline one (in `createTable` and
//! `addColumn`), and `sql` change text is read as a schema script.

use super::tree::Node;
use super::{sql, FileData};
use crate::lang::plan_facts::ForeignKey;

fn lower(t: &str) -> String {
    let t = t.trim();
    t.rsplit('.').next().unwrap_or(t).to_ascii_lowercase()
}

fn list(s: &str) -> Vec<String> {
    s.split(',')
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| !c.is_empty())
        .collect()
}

/// `orders(id)` → (`orders`, [`id`]).
fn reference(s: &str) -> (String, Vec<String>) {
    match s.split_once('(') {
        Some((t, cols)) => (lower(t), list(cols.trim_end_matches(')'))),
        None => (lower(s), Vec::new()),
    }
}

/// Columns of a change: `column` elements (XML) or `columns` list items
/// named `column` (YAML, JSON), at any depth below the change.
fn columns_fks(change: &Node, table: &str, out: &mut FileData) {
    for col in change.descendants("column") {
        let Some(name) = col.attr("name") else {
            continue;
        };
        let c = col
            .children
            .iter()
            .find(|c| c.name == "constraints")
            .unwrap_or(col);
        let target = c.attr("references").map(reference).or_else(|| {
            c.attr("referencedTableName").map(|t| {
                (
                    lower(t),
                    c.attr("referencedColumnNames")
                        .map(list)
                        .unwrap_or_default(),
                )
            })
        });
        if let Some((references, ref_columns)) = target {
            out.foreign_keys.push(ForeignKey {
                table: table.to_string(),
                columns: vec![name.trim().to_ascii_lowercase()],
                references,
                ref_columns,
                name: c.attr("foreignKeyName").map(|n| n.to_ascii_lowercase()),
                file: String::new(),
                line: col.line,
            });
        }
    }
}

fn change(n: &Node, out: &mut FileData) {
    match n.name.as_str() {
        "createTable" => {
            if let Some(t) = n.attr("tableName") {
                let t = lower(t);
                out.schema_tables.push((t.clone(), n.line));
                columns_fks(n, &t, out);
            }
            return;
        }
        "addColumn" => {
            if let Some(t) = n.attr("tableName") {
                columns_fks(n, &lower(t), out);
            }
            return;
        }
        "addForeignKeyConstraint" => {
            if let (Some(t), Some(r)) = (n.attr("baseTableName"), n.attr("referencedTableName")) {
                out.foreign_keys.push(ForeignKey {
                    table: lower(t),
                    columns: n.attr("baseColumnNames").map(list).unwrap_or_default(),
                    references: lower(r),
                    ref_columns: n
                        .attr("referencedColumnNames")
                        .map(list)
                        .unwrap_or_default(),
                    name: n.attr("constraintName").map(|c| c.to_ascii_lowercase()),
                    file: String::new(),
                    line: n.line,
                });
            }
            return;
        }
        "sql" => {
            // XML carries the text as content, YAML and JSON as `sql:`.
            let text = n
                .attr("sql")
                .map(str::to_string)
                .unwrap_or_else(|| n.text.clone());
            let s = sql::schema(&text);
            let base = n.line.saturating_sub(1);
            out.schema_tables
                .extend(s.tables.into_iter().map(|(t, l)| (t, base + l)));
            out.foreign_keys
                .extend(s.foreign_keys.into_iter().map(|mut f| {
                    f.line += base;
                    f
                }));
            for e in s.errors {
                out.diagnostics.push((
                    base + e.line,
                    format!(
                        "SQL not parsed ({}); the table name was read by words",
                        e.message
                    ),
                ));
            }
            return;
        }
        // A rollback undoes; it declares nothing.
        "rollback" => return,
        _ => {}
    }
    for c in &n.children {
        change(c, out);
    }
}

pub fn read(root: &Node, out: &mut FileData) {
    for c in &root.children {
        change(c, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(root: Node) -> Vec<String> {
        let mut out = FileData::default();
        read(&root, &mut out);
        let mut got: Vec<String> = out
            .schema_tables
            .iter()
            .map(|(t, l)| format!("table {t} {l}"))
            .collect();
        got.extend(
            out.foreign_keys
                .iter()
                .map(|f| format!("fk {}", super::super::fk_line(f))),
        );
        got
    }

    #[test]
    fn xml_and_yaml_changelogs_state_the_same_facts() {
        let xml = super::super::tree::xml(
            r#"<databaseChangeLog>
  <changeSet id="1" author="a">
    <createTable tableName="orders">
      <column name="id" type="int"/>
      <column name="customer_id" type="int"><constraints references="customers(id)" foreignKeyName="fk_oc"/></column>
    </createTable>
    <addForeignKeyConstraint baseTableName="orders" baseColumnNames="id" referencedTableName="x" referencedColumnNames="oid"/>
    <rollback><createTable tableName="ignored"/></rollback>
  </changeSet>
</databaseChangeLog>"#,
        )
        .unwrap();
        assert_eq!(
            facts(xml),
            vec![
                "table orders 3",
                "fk orders(customer_id) -> customers(id) Some(\"fk_oc\") 5",
                "fk orders(id) -> x(oid) None 7",
            ]
        );
        let yaml = super::super::tree::yaml(
            "databaseChangeLog:\n- changeSet:\n    id: 1\n    changes:\n    - createTable:\n        tableName: orders\n        columns:\n        - column:\n            name: customer_id\n            constraints:\n              referencedTableName: customers\n              referencedColumnNames: id\n",
            "",
        )
        .unwrap();
        let root = yaml.children[0].clone();
        assert_eq!(
            facts(root),
            vec![
                "table orders 6",
                "fk orders(customer_id) -> customers(id) None 9"
            ]
        );
    }
}
