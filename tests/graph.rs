//! `decompose graph`: DOT, Mermaid and GraphML at service and unit level,
//! checked by the tools that read them (Graphviz `dot`, Python's XML parser)
//! and with hostile names.

mod common;

use std::io::Write as _;
use std::process::{Command, Stdio};

use common::*;
use decompose::report::graph::{self, Level};

/// Pipes `input` through a command; `None` when the tool is not installed
/// (CI installs Graphviz and sets DECOMPOSE_REQUIRE_TOOLS, so there it fails).
fn pipe(cmd: &str, args: &[&str], input: &[u8]) -> Option<(bool, String)> {
    let child = Command::new(cmd)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(_) if std::env::var_os("DECOMPOSE_REQUIRE_TOOLS").is_none() => {
            eprintln!("{cmd} not installed: check skipped");
            return None;
        }
        Err(e) => panic!("{cmd}: {e}"),
    };
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    Some((
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr),
    ))
}

fn assert_dot_parses(dot: &[u8]) {
    if let Some((ok, msg)) = pipe("dot", &["-Tsvg", "-o", "/dev/null"], dot) {
        assert!(ok, "dot rejected the graph: {msg}");
    }
}

/// Parses the GraphML with Python's XML parser and returns the node labels.
fn graphml_labels(xml: &[u8]) -> Option<Vec<String>> {
    let script = "import sys, json, xml.dom.minidom as m\n\
                  d = m.parse(sys.stdin.buffer)\n\
                  print(json.dumps([n.firstChild.data if n.firstChild else '' for n in d.getElementsByTagName('data') if n.getAttribute('key') == 'label']))";
    let (ok, out) = pipe("python3", &["-c", script], xml)?;
    assert!(ok, "the GraphML is not well-formed XML: {out}");
    Some(serde_json::from_str(out.trim()).unwrap())
}

#[test]
fn service_graph_of_java_shop_in_three_formats() {
    let repo = replay_history("java-shop");
    let report = analyze_json(repo.path(), &[]);
    let services = report["services"].as_array().unwrap().len();
    let service_deps = report["service_dependencies"].as_array().unwrap().len();
    assert_eq!(services, 6);

    let run = |format: &str| {
        let out = decompose()
            .args(["graph", "-q", "--format", format])
            .arg(repo.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let dot = run("dot");
    let text = String::from_utf8(dot.clone()).unwrap();
    // Six services and the shared kernel; one edge per service dependency.
    assert_eq!(
        text.matches(" [label=\"").count() - text.matches(" -> ").count(),
        services + 1
    );
    assert_eq!(text.matches(" -> ").count(), service_deps);
    assert!(
        text.contains("[label=\"promotions\\nrank 1 · 11 units"),
        "{text}"
    );
    assert_dot_parses(&dot);

    let mermaid = String::from_utf8(run("mermaid")).unwrap();
    assert!(mermaid.starts_with("flowchart LR\n"));
    assert_eq!(mermaid.matches(" -->|").count(), service_deps);

    let graphml = run("graphml");
    if let Some(labels) = graphml_labels(&graphml) {
        let mut expected: Vec<String> = report["services"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_string())
            .collect();
        expected.push("shared kernel".into());
        assert_eq!(labels, expected);
    }
}

#[test]
fn unit_graph_groups_units_by_service() {
    let repo = replay_history("java-shop");
    let report = analyze_json(repo.path(), &[]);
    let out = decompose()
        .args(["graph", "-q", "--level", "unit", "--format", "mermaid"])
        .arg(repo.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let mermaid = String::from_utf8(out.stdout).unwrap();
    let units = report["units"].as_array().unwrap();
    // Every unit is a node, once.
    for u in units {
        let id = u["id"].as_str().unwrap();
        assert_eq!(mermaid.matches(&format!("[\"{id}<br/>")).count(), 1, "{id}");
    }
    // One subgraph per service and one for the kernel.
    assert_eq!(mermaid.matches("  subgraph ").count(), 6 + 1);
    // Edges: the distinct ordered unit pairs of the dependencies.
    let pairs: std::collections::BTreeSet<(&str, &str)> = report["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["from"].as_str().unwrap(), d["to"].as_str().unwrap()))
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(mermaid.matches(" -->|").count(), pairs.len());

    // The same graph as DOT and to a file.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("units.dot");
    decompose()
        .args(["graph", "-q", "--level", "unit", "-o"])
        .arg(&file)
        .arg(repo.path())
        .assert()
        .success();
    let dot = std::fs::read(&file).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&dot)
            .matches("subgraph cluster_")
            .count(),
        7
    );
    assert_dot_parses(&dot);
}

#[test]
fn hostile_names_stay_inside_their_strings() {
    let report = synthetic_report(60, 3, true);
    for level in [Level::Service, Level::Unit] {
        let dot = graph::render_dot(&report, level);
        assert_dot_parses(&dot);
        let mermaid = String::from_utf8(graph::render_mermaid(&report, level)).unwrap();
        // Every node line is `id["label"]` with no quote, bracket or angle
        // bracket left raw inside the label.
        for line in mermaid
            .lines()
            .filter(|l| l.contains("[\"") && !l.contains("subgraph"))
        {
            let t = line.trim();
            let open = t.find("[\"").unwrap();
            let label = &t[open + 2..t.len() - 2];
            assert!(t.ends_with("\"]"), "{t}");
            assert!(
                !label.contains(['"', '<', '>', '[', ']']) || label.contains("<br/>"),
                "{t}"
            );
            assert!(
                !label
                    .replace("<br/>", "")
                    .contains(['"', '<', '>', '[', ']']),
                "{t}"
            );
        }
        let graphml = graph::render_graphml(&report, level);
        if let Some(labels) = graphml_labels(&graphml) {
            // The names come back exactly (control characters aside).
            let expected: Vec<String> = match level {
                Level::Service => report
                    .services
                    .iter()
                    .map(|s| s.name.clone())
                    .chain(["shared kernel".to_string()])
                    .collect(),
                Level::Unit => report.units.iter().map(|u| u.id.clone()).collect(),
            };
            assert_eq!(labels, expected);
        }
    }
}

#[test]
fn graph_rejects_report_formats() {
    let out = decompose()
        .args(["graph", "--format", "html", "fixtures/java-shop"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("dot, mermaid or graphml"));
}
