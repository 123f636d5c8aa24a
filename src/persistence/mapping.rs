//! Class-to-table mapping files: the class mapping format (`class`,
//! `subclass`, `joined-subclass`, `union-subclass`, collections with a
//! join `table`, `many-to-one` keys) and the standard entity descriptor
//! (`entity` with `table`, `join-table`, `many-to-one` with a target).
//!
//! Default table names follow each format: the class mapping uses the
//! unqualified class name, the entity descriptor the snake-cased one (as
//! the annotation rows of the framework table do).

use super::tree::Node;
use super::{ClassKey, ClassMapping, FileData};
use crate::frameworks::snake_case;

fn qualify(package: Option<&str>, class: &str) -> String {
    match package {
        Some(p) if !class.contains('.') && !p.is_empty() => format!("{p}.{class}"),
        _ => class.to_string(),
    }
}

fn simple(class: &str) -> &str {
    class.rsplit('.').next().unwrap_or(class)
}

fn lower(t: &str) -> String {
    t.trim_matches(|c| c == '`' || c == '"' || c == '[' || c == ']')
        .to_ascii_lowercase()
}

/// The column of a `many-to-one` / `key`: its `column` attribute or first
/// `column` child.
fn column(n: &Node) -> Option<String> {
    n.attr("column")
        .map(str::to_string)
        .or_else(|| {
            n.children
                .iter()
                .find(|c| c.name == "column")
                .and_then(|c| c.attr("name").map(str::to_string))
        })
        .map(|c| lower(&c))
}

const CLASS_ELEMENTS: &[&str] = &["class", "subclass", "joined-subclass", "union-subclass"];
const COLLECTIONS: &[&str] = &[
    "set",
    "bag",
    "list",
    "map",
    "idbag",
    "array",
    "primitive-array",
];

struct ClassCx<'a> {
    package: Option<&'a str>,
    reads: Option<&'static [&'static str]>,
    out: &'a mut FileData,
}

fn class_mapping(cx: &mut ClassCx, n: &Node, parent: Option<&str>) {
    let Some(name) = n.attr("name").or_else(|| n.attr("entity-name")) else {
        return;
    };
    let class = qualify(cx.package, name);
    let in_parent_table = n.name == "subclass" && n.attr("table").is_none();
    let table = match (n.name.as_str(), n.attr("table")) {
        (_, Some(t)) => lower(t),
        // A subclass in a single-table hierarchy shares its parent's table.
        ("subclass", None) => match parent {
            Some(t) => t.to_string(),
            None => return,
        },
        (_, None) => lower(simple(&class)),
    };
    cx.out.mappings.push(ClassMapping {
        class: class.clone(),
        table: table.clone(),
        line: n.line,
        join_table: false,
        in_parent_table,
        queries_name_type: true,
        reads: cx.reads,
    });
    for c in &n.children {
        let kind = c.name.as_str();
        if CLASS_ELEMENTS.contains(&kind) {
            class_mapping(cx, c, Some(&table));
        } else if kind == "many-to-one" {
            if let (Some(col), Some(target)) = (column(c), c.attr("class")) {
                cx.out.class_keys.push(ClassKey {
                    table: table.clone(),
                    column: col,
                    target: qualify(cx.package, target),
                    line: c.line,
                });
            }
        } else if COLLECTIONS.contains(&kind) {
            let key = c.children.iter().find(|k| k.name == "key").and_then(column);
            let many = c.children.iter().find(|k| k.name == "many-to-many");
            if let Some(jt) = c.attr("table") {
                let jt = lower(jt);
                cx.out.mappings.push(ClassMapping {
                    class: class.clone(),
                    table: jt.clone(),
                    line: c.line,
                    join_table: true,
                    in_parent_table: false,
                    queries_name_type: false,
                    reads: None,
                });
                if let Some(k) = key {
                    cx.out.class_keys.push(ClassKey {
                        table: jt.clone(),
                        column: k,
                        target: class.clone(),
                        line: c.line,
                    });
                }
                if let Some(m) = many {
                    if let (Some(col), Some(target)) = (column(m), m.attr("class")) {
                        cx.out.class_keys.push(ClassKey {
                            table: jt,
                            column: col,
                            target: qualify(cx.package, target),
                            line: m.line,
                        });
                    }
                }
            }
        }
    }
}

pub fn read_class_mapping(root: &Node, reads: Option<&'static [&'static str]>, out: &mut FileData) {
    let mut cx = ClassCx {
        package: root.attr("package"),
        reads,
        out,
    };
    for c in &root.children {
        if CLASS_ELEMENTS.contains(&c.name.as_str()) {
            class_mapping(&mut cx, c, None);
        }
    }
}

/// The text of the first child element named `name`.
fn child_text<'a>(n: &'a Node, name: &str) -> Option<&'a str> {
    n.children
        .iter()
        .find(|c| c.name == name)
        .map(|c| c.text.trim())
        .filter(|t| !t.is_empty())
}

pub fn read_entity_mappings(
    root: &Node,
    reads: Option<&'static [&'static str]>,
    out: &mut FileData,
) {
    let package = child_text(root, "package");
    for e in root.children.iter().filter(|c| c.name == "entity") {
        let Some(class) = e.attr("class") else {
            continue;
        };
        let class = qualify(package, class);
        let table = e
            .children
            .iter()
            .find(|c| c.name == "table")
            .and_then(|t| t.attr("name"))
            .map(lower)
            .unwrap_or_else(|| snake_case(e.attr("name").unwrap_or(simple(&class))));
        out.mappings.push(ClassMapping {
            class: class.clone(),
            table: table.clone(),
            line: e.line,
            join_table: false,
            in_parent_table: false,
            queries_name_type: true,
            reads,
        });
        for jt in e.descendants("join-table") {
            if let Some(name) = jt.attr("name") {
                out.mappings.push(ClassMapping {
                    class: class.clone(),
                    table: lower(name),
                    line: jt.line,
                    join_table: true,
                    in_parent_table: false,
                    queries_name_type: false,
                    reads: None,
                });
            }
        }
        for m in e.descendants("many-to-one") {
            let col = m
                .children
                .iter()
                .find(|c| c.name == "join-column")
                .and_then(|c| c.attr("name"))
                .map(lower);
            if let (Some(col), Some(target)) = (col, m.attr("target-entity")) {
                out.class_keys.push(ClassKey {
                    table: table.clone(),
                    column: col,
                    target: qualify(package, target),
                    line: m.line,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<String> {
        let root = super::super::tree::xml(text).unwrap();
        let mut out = FileData::default();
        if root.name == "entity-mappings" {
            read_entity_mappings(&root, None, &mut out);
        } else {
            read_class_mapping(&root, None, &mut out);
        }
        let mut got: Vec<String> = out
            .mappings
            .iter()
            .map(|m| format!("{} {} {} {}", m.class, m.table, m.join_table, m.line))
            .collect();
        got.extend(
            out.class_keys
                .iter()
                .map(|k| format!("key {}.{} -> {} {}", k.table, k.column, k.target, k.line)),
        );
        got
    }

    #[test]
    fn class_mappings_with_hierarchies_and_collections() {
        let got = read(
            r#"<hibernate-mapping package="shop">
  <class name="Payment" table="PAYMENTS">
    <many-to-one name="order" class="Order" column="ORDER_ID"/>
    <subclass name="CardPayment" discriminator-value="C"/>
    <joined-subclass name="shop.pay.Transfer" table="transfers"><key column="id"/></joined-subclass>
    <set name="tags" table="payment_tags"><key column="payment_id"/><many-to-many class="Tag" column="tag_id"/></set>
  </class>
</hibernate-mapping>"#,
        );
        assert_eq!(
            got,
            vec![
                "shop.Payment payments false 2",
                "shop.CardPayment payments false 4",
                "shop.pay.Transfer transfers false 5",
                "shop.Payment payment_tags true 6",
                "key payments.order_id -> shop.Order 3",
                "key payment_tags.payment_id -> shop.Payment 6",
                "key payment_tags.tag_id -> shop.Tag 6",
            ]
        );
    }

    #[test]
    fn entity_descriptors() {
        let got = read(
            r#"<entity-mappings><package>shop</package>
  <entity class="OrderLine"><attributes>
    <many-to-one name="order" target-entity="Order"><join-column name="order_id"/></many-to-one>
  </attributes></entity>
  <entity class="Order"><table name="ORDERS"/><attributes><many-to-many name="tags">
    <join-table name="order_tags"/></many-to-many></attributes></entity>
</entity-mappings>"#,
        );
        assert_eq!(
            got,
            vec![
                "shop.OrderLine order_line false 2",
                "shop.Order orders false 5",
                "shop.Order order_tags true 6",
                "key order_line.order_id -> shop.Order 3",
            ]
        );
    }
}
