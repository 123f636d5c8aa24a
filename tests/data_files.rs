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

/// Issue 17: the foreign keys each step breaks, in the full plan, the
/// pull-request comment and the page (embedded as indices into the page's
/// `foreign_keys`, which lists every key with its owners).
#[test]
fn plans_and_page_show_the_foreign_keys_each_step_breaks() {
    let out = tempfile::tempdir().unwrap();
    decompose()
        .arg("analyze")
        .arg(fixture("mybatis-shop"))
        .args([
            "--no-history",
            "--deterministic",
            "-q",
            "--format",
            "html,markdown",
            "-o",
        ])
        .arg(out.path())
        .assert()
        .success();
    let md = std::fs::read_to_string(out.path().join("plan.md")).unwrap();
    let section = |from: &str, to: &str| -> String {
        let a = md.find(from).unwrap_or_else(|| panic!("{from} in {md}"));
        let b = a + md[a..].find(to).unwrap();
        md[a..b].to_string()
    };
    assert_eq!(
        section("## Foreign keys\n", "\n## Saga candidates"),
        "## Foreign keys\n\n\
         | foreign key | name | table owner | referenced owner | crosses services | source |\n\
         |---|---|---|---|---|---|\n\
         | order\\_lines(order\\_id) → orders(id) | fk\\_lines\\_order | orders | orders | no | src/main/resources/db/schema\\.sql\\:31 |\n\
         | order\\_lines(product\\_id) → products(id) | fk\\_lines\\_product | orders | catalog | yes | src/main/resources/db/schema\\.sql\\:32 |\n\
         | orders(customer\\_id) → customers(id) | fk\\_orders\\_customer | orders | customers | yes | src/main/resources/db/schema\\.sql\\:19 |\n\
         | products(category\\_id) → categories(id) |  | catalog | catalog | no | src/main/resources/db/schema\\.sql\\:7 |\n"
    );
    let steps: Vec<&str> = md.split("### Step ").skip(1).collect();
    let breaks: Vec<String> = steps
        .iter()
        .map(|s| {
            let g = &s[s.find("**g. Foreign keys to break**").unwrap()..];
            g.lines()
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" / ")
        })
        .collect();
    assert_eq!(
        breaks,
        [
            "**g. Foreign keys to break** (1) / - order\\_lines(product\\_id) → products(id) fk\\_lines\\_product (orders → catalog; src/main/resources/db/schema\\.sql\\:32)",
            "**g. Foreign keys to break** (1) / - orders(customer\\_id) → customers(id) fk\\_orders\\_customer (orders → customers; src/main/resources/db/schema\\.sql\\:19)",
            "**g. Foreign keys to break** (2) / - order\\_lines(product\\_id) → products(id) fk\\_lines\\_product (orders → catalog; src/main/resources/db/schema\\.sql\\:32) / - orders(customer\\_id) → customers(id) fk\\_orders\\_customer (orders → customers; src/main/resources/db/schema\\.sql\\:19)",
        ]
    );
    let comment = std::fs::read_to_string(out.path().join("plan-comment.md")).unwrap();
    let lines: Vec<&str> = comment
        .lines()
        .filter(|l| l.starts_with("- foreign keys to break"))
        .collect();
    assert_eq!(
        lines,
        [
            "- foreign keys to break (1): order\\_lines(product\\_id) → products(id)",
            "- foreign keys to break (1): orders(customer\\_id) → customers(id)",
            "- foreign keys to break (2): order\\_lines(product\\_id) → products(id), orders(customer\\_id) → customers(id)",
        ]
    );
    assert!(
        comment
            .contains("| 1 | catalog | 0.221397 | 0.498144 | 0.555556 | 1 | 1 | 2 | 1 | 1 | 1 |"),
        "{comment}"
    );
    let page = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    let start = page.find("\"foreign_keys\":").unwrap();
    let json: serde_json::Value = serde_json::Deserializer::from_str(&page[start + 15..])
        .into_iter::<serde_json::Value>()
        .next()
        .unwrap()
        .unwrap();
    let keys: Vec<String> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{}->{} {}/{} {}", f[0], f[2], f[6], f[7], f[8]))
        .collect();
    assert_eq!(
        keys,
        [
            "\"order_lines\"->\"orders\" \"orders\"/\"orders\" false",
            "\"order_lines\"->\"products\" \"orders\"/\"catalog\" true",
            "\"orders\"->\"customers\" \"orders\"/\"customers\" true",
            "\"products\"->\"categories\" \"catalog\"/\"catalog\" false",
        ]
    );
    let fks: Vec<&str> = page
        .match_indices("\"fks\":[")
        .map(|(i, _)| {
            let rest = &page[i + 7..];
            &rest[..rest.find(']').unwrap()]
        })
        .collect();
    assert_eq!(fks, ["1", "2", "1,2"]);
}
