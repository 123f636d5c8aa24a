//! Issue 17 (data layer beyond annotations): persistence facts from
//! non-code files on the two data fixtures, asserted line by line against
//! the expected files beside them (`fixtures/<name>.data`): every table
//! with its mapped class, declaring unit, owner and schema location, every
//! access site, every foreign key with the owners of its tables, every
//! `data` edge; and the readers' robustness on broken files.

mod common;

use common::*;

fn s(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "-".into(),
        serde_json::Value::String(x) => x.clone(),
        serde_json::Value::Array(a) => a.iter().map(s).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// The data facts of a report, one line each, in report order.
fn data_lines(r: &serde_json::Value) -> String {
    let mut out = Vec::new();
    for e in r["entities"].as_array().unwrap() {
        out.push(format!(
            "table {} entity={} unit={} owner={} schema={} hints={}",
            s(&e["table"]),
            s(&e["entity"]),
            s(&e["unit"]),
            s(&e["owner"]),
            s(&e["schema"]),
            s(&e["hints"])
        ));
        for site in e["sites"].as_array().unwrap() {
            out.push(format!(
                "  site {} {}:{} {} via={} source={}",
                s(&site["unit"]),
                s(&site["symbol"]),
                site["line"],
                s(&site["access"]),
                s(&site["via"]),
                s(&site["source"])
            ));
        }
    }
    for f in r["foreign_keys"].as_array().unwrap() {
        out.push(format!(
            "fk {}({}) -> {}({}) name={} source={} owners={}/{} crosses={}",
            s(&f["table"]),
            s(&f["columns"]),
            s(&f["references"]),
            s(&f["ref_columns"]),
            s(&f["name"]),
            s(&f["source"]),
            s(&f["table_owner"]),
            s(&f["references_owner"]),
            f["crosses"]
        ));
    }
    for d in r["dependencies"].as_array().unwrap() {
        if d["kind"] == "data" {
            out.push(format!(
                "data {} -> {} x{}",
                s(&d["from"]),
                s(&d["to"]),
                d["count"]
            ));
        }
    }
    for step in r["plan"].as_array().unwrap() {
        let fks: Vec<String> = step["foreign_keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| format!("{}->{}", s(&f["table"]), s(&f["references"])))
            .collect();
        out.push(format!(
            "step {} {} cut_foreign_keys={} foreign_keys={}",
            step["step"],
            s(&step["service"]),
            r["services"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["id"] == step["service"])
                .unwrap()["extraction"]["cut_foreign_keys"],
            fks.join(",")
        ));
    }
    out.join("\n") + "\n"
}

fn check(name: &str) {
    let r = analyze_json(&fixture(name), &["--no-history"]);
    let got = data_lines(&r);
    let path = root().join("fixtures").join(format!("{name}.data"));
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, &got).unwrap();
    }
    let want = std::fs::read_to_string(&path).expect("expected file beside the fixture");
    assert_eq!(
        got,
        want,
        "{name}: data facts differ from {}",
        path.display()
    );
    assert!(r["diagnostics"].as_array().unwrap().is_empty());
}

#[test]
fn mybatis_shop_tables_owners_classes_sites_and_keys() {
    check("mybatis-shop");
}

#[test]
fn hibernate_shop_tables_owners_classes_sites_and_keys() {
    check("hibernate-shop");
}

#[test]
fn broken_mapper_and_schema_name_file_and_line_and_the_run_goes_on() {
    let dir = project(&[
        (
            "src/main/java/shop/Order.java",
            "package shop;\npublic class Order { long id; }\n",
        ),
        (
            "src/main/java/shop/OrderMapper.java",
            "package shop;\npublic interface OrderMapper { Order find(long id); }\n",
        ),
        (
            "src/main/resources/shop/OrderMapper.xml",
            "<mapper namespace=\"shop.OrderMapper\">\n  <select id=\"find\" resultType=\"shop.Order\">\n    SELECT * FROM orders\n  </selec>\n</mapper>\n",
        ),
        (
            "src/main/resources/shop/Good.xml",
            "<mapper namespace=\"shop.OrderMapper\">\n<select id=\"find\" resultType=\"shop.Order\">SELECT * FROM orders WHERE id = #{id}</select>\n</mapper>\n",
        ),
        (
            "db/schema.sql",
            "CREATE TABLE orders (id INT PRIMARY KEY);\n\nCREATE TABLE lines (\n  id INT,,\n  order_id INT REFERENCES orders (id)\n);\n",
        ),
        (
            "db/changelog.yaml",
            "databaseChangeLog:\n  - changeSet:\n      id: 1\n     changes: [\n",
        ),
    ]);
    let r = analyze_json(dir.path(), &["--no-history"]);
    let diags: Vec<String> = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{}:{}", s(&d["unit"]), d["line"]))
        .collect();
    assert_eq!(
        diags,
        vec![
            "db/changelog.yaml:4",
            "db/schema.sql:4",
            "src/main/resources/shop/OrderMapper.xml:4",
        ]
    );
    // The good mapper and the good statements still count.
    let tables: Vec<String> = r["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{} {}", s(&e["table"]), s(&e["entity"])))
        .collect();
    assert_eq!(tables, vec!["lines -", "orders Order"]);
}

/// The `data_files` fuzz target's body over its seeds and 2,000 seeded
/// mutations of them (byte flips, insertions of markup and SQL tokens,
/// truncations), for machines without cargo-fuzz: no panic, and every
/// diagnostic names a line of its text (`persistence::fuzz_one`).
#[test]
fn data_file_readers_survive_mutated_seeds() {
    let dir = root().join("fuzz/seeds/data_files");
    let mut seeds: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    seeds.sort();
    assert!(seeds.len() >= 7);
    const TOKENS: &[&str] = &[
        "<",
        ">",
        "</select>",
        "<include refid=\"x\"/>",
        "<where>",
        "<foreach open=\"(\">",
        "]]>",
        "<![CDATA[",
        "'",
        "\"",
        ";",
        "(",
        ")",
        "--",
        "/*",
        "#{",
        "${",
        "CREATE TABLE ",
        "REFERENCES ",
        "\n- ",
        ": ",
        "{",
        "}",
        "[",
        "&",
        "&lt;",
        "\u{0}",
        "é",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for seed in &seeds {
        decompose::persistence::fuzz_one(&String::from_utf8_lossy(seed));
    }
    for round in 0..2000 {
        let mut b = seeds[round % seeds.len()].clone();
        for _ in 0..1 + next() % 6 {
            let at = (next() as usize) % (b.len() + 1);
            match next() % 3 {
                0 if !b.is_empty() => {
                    let i = at.min(b.len() - 1);
                    b[i] = next() as u8;
                }
                1 => {
                    let t = TOKENS[(next() as usize) % TOKENS.len()];
                    b.splice(at..at, t.bytes());
                }
                _ => b.truncate(at),
            }
        }
        decompose::persistence::fuzz_one(&String::from_utf8_lossy(&b));
    }
}
