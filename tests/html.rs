//! index.html: written by `analyze`, self-contained, escaped, within its
//! size budget. What runs in a browser is checked in tests/browser.rs.

mod common;

use common::*;
use decompose::report::html;

/// Runs `decompose analyze PATH -o DIR -q` with the default formats and
/// returns the page.
fn analyze_html(path: &std::path::Path) -> String {
    let out = tempfile::tempdir().unwrap();
    decompose()
        .arg("analyze")
        .arg(path)
        .arg("-o")
        .arg(out.path())
        .args(["-q", "--deterministic"])
        .assert()
        .success();
    assert!(
        out.path().join("report.json").is_file(),
        "report.json is a default output too"
    );
    std::fs::read_to_string(out.path().join("index.html")).expect("index.html is written")
}

/// The text of the `<script type="application/json" id="data">` element.
fn embedded_json(page: &str) -> serde_json::Value {
    let open = r#"<script type="application/json" id="data">"#;
    let start = page.find(open).expect("the data block") + open.len();
    let end = start
        + page[start..]
            .find("</script>")
            .expect("the data block ends");
    serde_json::from_str(&page[start..end]).expect("the data block is JSON")
}

/// The Content-Security-Policy of the page.
fn csp(page: &str) -> String {
    let key = r#"<meta http-equiv="Content-Security-Policy" content=""#;
    let start = page.find(key).expect("a CSP meta tag") + key.len();
    let end = start + page[start..].find('"').unwrap();
    page[start..end].replace("&#39;", "'")
}

/// What no page may contain, whatever the repository holds: an element or
/// an event handler that came from data, a way out of the data block, or a
/// comment. Tags are read as a browser would: outside `<script>` and
/// `<style>`, every `<` followed by a letter or `/` starts a tag.
fn assert_no_markup_from_data(page: &str) {
    const TAGS: &[&str] = &[
        "!doctype", "html", "head", "meta", "title", "style", "body", "header", "div", "h1", "h2",
        "h3", "p", "span", "nav", "a", "noscript", "pre", "main", "section", "table", "thead",
        "tbody", "tr", "th", "td", "svg", "rect", "details", "summary", "ul", "li", "code",
        "footer", "script", "label", "select", "aside",
    ];
    assert_eq!(
        page.matches("<script").count(),
        2,
        "one data block, one script"
    );
    assert!(!page.contains("<!--"), "no comment can open");
    let bytes = page.as_bytes();
    let mut i = 0;
    let mut n_tags = 0;
    while let Some(off) = page[i..].find('<') {
        let at = i + off;
        let next = bytes.get(at + 1).copied().unwrap_or(b' ');
        if !(next.is_ascii_alphabetic() || next == b'/' || next == b'!') {
            panic!(
                "a bare '<' in markup at {at}: {}",
                &page[at..(at + 40).min(page.len())]
            );
        }
        let end = at + page[at..].find('>').expect("tags close");
        let tag = &page[at + 1..end];
        let name = tag
            .trim_start_matches('/')
            .split([' ', '\n'])
            .next()
            .unwrap()
            .to_lowercase();
        assert!(TAGS.contains(&name.as_str()), "unexpected element <{tag}>");
        for attr in attribute_names(tag) {
            assert!(!attr.starts_with("on"), "handler {attr} in <{tag}>");
        }
        n_tags += 1;
        i = end + 1;
        if (name == "script" || name == "style") && !tag.starts_with('/') {
            // Raw text up to the first closing tag: the JSON is escaped, so the
            // first "</" must be the real end.
            let close = format!("</{name}>");
            let body_end = i + page[i..].find("</").expect("raw text ends");
            assert!(page[body_end..].starts_with(&close), "<{name}> ends early");
            i = body_end;
        }
    }
    assert!(n_tags > 50, "the page was read: {n_tags} tags");
    let data = &page[page.find(r#"id="data">"#).unwrap()..];
    let data = &data[..data.find("</script>").unwrap()];
    assert!(!data.contains(['\u{2028}', '\u{2029}', '<', '&']));
}

/// The attribute names of a tag's text (without the angle brackets), read
/// as HTML does: `name`, `name=value`, `name="..."` or `name='...'`.
fn attribute_names(tag: &str) -> Vec<String> {
    let mut names = Vec::new();
    let b = tag.as_bytes();
    let mut i = tag.find(|c: char| c.is_whitespace()).unwrap_or(tag.len());
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'/' {
            i += 1;
        }
        if start < i {
            names.push(tag[start..i].to_lowercase());
        }
        if i < b.len() && b[i] == b'=' {
            i += 1;
            match b.get(i) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    i += 1;
                    while i < b.len() && b[i] != q {
                        i += 1;
                    }
                    i += 1;
                }
                _ => {
                    while i < b.len() && !b[i].is_ascii_whitespace() {
                        i += 1;
                    }
                }
            }
        }
    }
    names
}

#[test]
fn analyze_writes_index_html_next_to_report_json_by_default() {
    let page = analyze_html(&fixture("java-shop"));
    assert!(page.starts_with("<!DOCTYPE html>"));
    for view in [
        "view-overview",
        "view-map",
        "view-dsm",
        "view-services",
        "view-changes",
        "view-plan",
        "view-trend",
    ] {
        assert!(page.contains(&format!(r#"id="{view}""#)), "{view} is there");
    }
    // Overview figures come from the report: 75 units, 3 of them tests.
    assert!(page.contains(r#"<div class="card-value">75</div><div class="card-label">units</div>"#));
    assert!(
        page.contains(r#"<div class="card-value">3</div><div class="card-label">test units</div>"#)
    );
}

#[test]
fn before_clustering_the_overview_says_so() {
    let page = String::from_utf8(html::render(&without_services(synthetic_report(
        200, 4, false,
    ))))
    .unwrap();
    // An honest empty state rather than an empty table.
    assert!(page.contains(r#"id="no-services""#));
    assert!(!page.contains(r#"id="ranked-services""#));
    let data = embedded_json(&page);
    assert_eq!(data["services"].as_array().unwrap().len(), 0);
    assert_eq!(data["units"].as_array().unwrap().len(), 200);
}

#[test]
fn format_html_alone_prints_the_page_to_stdout() {
    let out = decompose()
        .arg("analyze")
        .arg(fixture("java-shop"))
        .args(["--format", "html", "-o", "-", "-q", "--deterministic"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") && page.ends_with("</html>\n"));
}

#[test]
fn embedded_data_is_the_report() {
    let report = analyze_json(&fixture("java-shop"), &[]);
    let page = analyze_html(&fixture("java-shop"));
    let data = embedded_json(&page);
    let fields: Vec<&str> = data["unit_fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    let col = |name: &str| fields.iter().position(|f| *f == name).unwrap();
    let units = report["units"].as_array().unwrap();
    let rows = data["units"].as_array().unwrap();
    assert_eq!(rows.len(), units.len());
    for (row, unit) in rows.iter().zip(units) {
        assert_eq!(row[col("id")], unit["id"]);
        assert_eq!(row[col("name")], unit["name"]);
        for field in ["lines", "commits", "churn", "fan_in", "fan_out"] {
            assert_eq!(row[col(field)], unit[field], "{field} of {}", unit["id"]);
        }
    }
    // Dependencies as [from, to, kind, count] with unit indices.
    let deps = data["deps"].as_array().unwrap();
    let kinds = data["kinds"].as_array().unwrap();
    let dependencies = report["dependencies"].as_array().unwrap();
    assert_eq!(deps.len(), 4 * dependencies.len());
    for (q, d) in deps.chunks(4).zip(dependencies) {
        let id = |v: &serde_json::Value| &rows[v.as_u64().unwrap() as usize][col("id")];
        assert_eq!(id(&q[0]), &d["from"]);
        assert_eq!(id(&q[1]), &d["to"]);
        assert_eq!(kinds[q[2].as_u64().unwrap() as usize], d["kind"]);
        assert_eq!(q[3], d["count"]);
    }
}

#[test]
fn page_is_self_contained_under_a_strict_policy() {
    let page = analyze_html(&fixture("java-shop"));
    let policy = csp(&page);
    assert!(
        policy.starts_with("default-src 'none'; script-src 'sha256-"),
        "{policy}"
    );
    assert!(policy.contains("style-src 'sha256-") && policy.contains("img-src data:"));
    assert!(
        !policy.contains("unsafe"),
        "no unsafe-inline, no unsafe-eval"
    );
    // The policy sits before the style and the script it allows.
    let meta = page.find("Content-Security-Policy").unwrap();
    assert!(meta < page.find("<style>").unwrap() && meta < page.find("<script").unwrap());
    // Nothing is fetched: no links, no external scripts, no URLs in CSS, and
    // the only http: text is the SVG namespace the script creates nodes in.
    for needle in ["<link", "<iframe", "<object", "src=\"", "url(", "@import"] {
        assert!(!page.contains(needle), "the page holds {needle}");
    }
    let mut rest = page.as_str();
    while let Some(i) = rest.find("://") {
        assert!(
            rest[..i].ends_with("http") && rest[i..].starts_with("://www.w3.org/2000/svg\""),
            "an address in the page: {}",
            &rest[i.saturating_sub(10)..(i + 60).min(rest.len())]
        );
        rest = &rest[i + 3..];
    }
}

#[test]
fn the_script_never_parses_html_from_strings() {
    let script = std::fs::read_to_string(root().join("templates/report.js")).unwrap()
        + &std::fs::read_to_string(root().join("templates/whatif.js")).unwrap();
    for banned in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        "setTimeout(\"",
        "createContextualFragment",
        "DOMParser",
    ] {
        assert!(!script.contains(banned), "report.js uses {banned}");
    }
    // The script and the style are printed as they are: they must not be
    // able to end their own element.
    let lower = script.to_lowercase();
    assert!(!lower.contains("</script") && !lower.contains("<!--"));
    let css = std::fs::read_to_string(root().join("templates/report.css")).unwrap();
    assert!(!css.to_lowercase().contains("</style"));
    // Repository data never passes through askama's `safe` filter.
    let template = std::fs::read_to_string(root().join("templates/report.html")).unwrap();
    assert!(!template.contains("|safe") && !template.contains("| safe"));
}

#[test]
fn hostile_file_names_stay_text() {
    // The analysed folder's own name is hostile too: it is printed in the
    // title and the header.
    let parent = tempfile::tempdir().unwrap();
    let repo = parent.path().join("<img src=x onerror=alert(1)>");
    copy_dir(&fixture("hostile"), &repo);
    let page = analyze_html(&repo);
    assert_no_markup_from_data(&page);
    assert!(
        page.contains("&#60;img src=x onerror=alert(1)&#62;")
            || page.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "the folder name is shown, escaped"
    );
    // The diagnostic of Broken.java names its hostile path in the overview.
    assert!(page.contains("/Broken.java"));
    // The embedded data holds every name exactly.
    let data = embedded_json(&page);
    let ids: Vec<&str> = data["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u[0].as_str().unwrap())
        .collect();
    for id in [
        "src/</script><!--.java",
        "src/<img src=x onerror=alert(1)>/Evil.java",
        "src/'\"&/Quote.java",
        "src/line\u{2028}sep/Sep.java",
        "src/<script>alert(2)</script>.java",
        "src/</textarea>.java",
        "src/]] \"#=[a]*?{b,c}\\/Toml.java",
    ] {
        assert!(ids.contains(&id), "{id:?} in {ids:?}");
    }
    assert!(page.contains(r"src/\u003c/script\u003e\u003c!--.java"));
}

#[test]
fn hostile_strings_anywhere_in_the_model_stay_text() {
    // Service names, words, packages, warnings, diagnostics, the repo root
    // and the commit id all carry HOSTILE.
    let page = String::from_utf8(html::render(&synthetic_report(300, 6, true))).unwrap();
    assert_no_markup_from_data(&page);
    let data = embedded_json(&page);
    assert_eq!(data["services"][0]["name"], format!("order0{HOSTILE}"));
    // Foreign keys (names, tables, columns, sources) are data, never markup:
    // every page-wide key and every step's keys to break.
    let fk = &data["foreign_keys"][0];
    assert!(fk[0].as_str().unwrap().ends_with(HOSTILE), "{fk}");
    assert!(fk[4].as_str().unwrap().ends_with(HOSTILE), "{fk}");
    assert_eq!(data["plan"][0]["fks"].as_array().unwrap().len(), 1);
    // The same hostile strings in the markdown plans stay text.
    let report = synthetic_report(300, 6, true);
    for text in [
        decompose::report::markdown::render(&report),
        decompose::report::markdown::render_comment(&report),
    ] {
        let text = String::from_utf8(text).unwrap();
        assert!(text.contains("foreign keys to break") || text.contains("Foreign keys to break"));
        assert!(!text.contains("<img"), "raw markup in the markdown plan");
        assert!(
            !text.contains("</script"),
            "raw markup in the markdown plan"
        );
    }
    assert!(
        page.contains("order0&#60;img src=x onerror=alert(1)&#62;")
            || page.contains("order0&lt;img src=x onerror=alert(1)&gt;")
    );
}

#[test]
fn services_are_ranked_in_the_overview_with_score_bars() {
    let report = synthetic_report(400, 8, false);
    let page = String::from_utf8(html::render(&report)).unwrap();
    assert!(!page.contains(r#"id="no-services""#));
    let table = &page[page.find(r#"id="ranked-services""#).unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    assert_eq!(
        table.matches("<tr>").count(),
        1 + 8,
        "header and one row per service"
    );
    assert!(table.contains(r##"<a href="#service=s0">order0</a>"##));
    // Seven components per service, each a bar with its value.
    assert_eq!(table.matches(r#"class="bar-fg""#).count(), 8 * 7);
    let data = embedded_json(&page);
    assert_eq!(data["services"].as_array().unwrap().len(), 8);
    assert_eq!(data["plan"].as_array().unwrap().len(), 5);
    assert!(data["history"].as_bool().unwrap());
}

#[test]
fn rendering_is_deterministic() {
    let report = synthetic_report(500, 5, false);
    assert_eq!(html::render(&report), html::render(&report));
}

#[test]
fn ten_thousand_units_fit_in_3_kb_each() {
    let report = synthetic_report(10_000, 40, false);
    let bytes = html::render(&report).len();
    let per_unit = bytes as f64 / 10_000.0;
    println!(
        "index.html for 10,000 units, {} dependencies, 40 services: {bytes} bytes, {per_unit:.0} bytes per unit",
        report.dependencies.len()
    );
    // The fixed part (style, script of every view and of the what-if
    // mode, overview, and a small plan with 80 call sites) stays under
    // 175 KB.
    let empty = html::render(&synthetic_report(20, 2, false)).len();
    assert!(empty < 175_000, "fixed overhead {empty} bytes");
    assert!(bytes <= 3 * 1024 * 10_000 + empty, "{bytes} bytes");
}
