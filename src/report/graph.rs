//! Graph exports for people who paste diagrams into docs: Graphviz DOT,
//! Mermaid and GraphML, at service level (services and the shared kernel,
//! edges from `service_dependencies`) or unit level (units grouped by
//! service, edges from `dependencies` summed over kinds).
//!
//! Every name from the analysed code goes through the escaping of its target
//! syntax ([`dot_str`], [`mermaid_str`], [`xml_str`]); node ids are our own
//! (`s0`, `u12`), never names, so no name can close a statement.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::Report;

/// Which nodes the graph has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Service,
    Unit,
}

/// A renderer-neutral graph: nodes with a label and a group, weighted edges.
struct Graph {
    /// (id, label, group index or none, title lines)
    nodes: Vec<Node>,
    /// Group names (services), for clusters / subgraphs.
    groups: Vec<String>,
    edges: Vec<Edge>,
}

struct Node {
    id: String,
    label: String,
    group: Option<usize>,
    /// Extra figures shown under the label.
    detail: String,
    lines: u64,
}

struct Edge {
    from: usize,
    to: usize,
    weight: u32,
    /// Service level: call references among them; unit level: kinds.
    label: String,
}

const KERNEL: &str = "kernel";

fn build(report: &Report, level: Level) -> Graph {
    match level {
        Level::Service => service_graph(report),
        Level::Unit => unit_graph(report),
    }
}

fn service_graph(report: &Report) -> Graph {
    let mut nodes = Vec::new();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let lines: BTreeMap<&str, u64> = report
        .units
        .iter()
        .map(|u| (u.id.as_str(), u.lines as u64))
        .collect();
    for s in &report.services {
        index.insert(&s.id, nodes.len());
        nodes.push(Node {
            id: format!("s{}", nodes.len()),
            label: s.name.clone(),
            group: None,
            detail: format!(
                "rank {} · {} units · {} lines",
                s.rank,
                s.members.len(),
                s.lines
            ),
            lines: s.lines,
        });
    }
    let kernel_used = !report.shared_kernel.is_empty()
        || report
            .service_dependencies
            .iter()
            .any(|d| d.from == KERNEL || d.to == KERNEL);
    if kernel_used {
        let kernel_lines: u64 = report
            .shared_kernel
            .iter()
            .filter_map(|u| lines.get(u.as_str()))
            .sum();
        index.insert(KERNEL, nodes.len());
        nodes.push(Node {
            id: format!("s{}", nodes.len()),
            label: "shared kernel".into(),
            group: None,
            detail: format!(
                "{} units · {} lines",
                report.shared_kernel.len(),
                kernel_lines
            ),
            lines: kernel_lines,
        });
    }
    let edges = report
        .service_dependencies
        .iter()
        .filter_map(|d| {
            Some(Edge {
                from: *index.get(d.from.as_str())?,
                to: *index.get(d.to.as_str())?,
                weight: d.count,
                label: format!("{} refs, {} calls", d.count, d.calls),
            })
        })
        .collect();
    Graph {
        nodes,
        groups: Vec::new(),
        edges,
    }
}

fn unit_graph(report: &Report) -> Graph {
    let mut groups: Vec<String> = report.services.iter().map(|s| s.name.clone()).collect();
    let group_of: BTreeMap<&str, usize> = report
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let kernel_group = (!report.shared_kernel.is_empty()).then(|| {
        groups.push("shared kernel".into());
        groups.len() - 1
    });
    let kernel: std::collections::BTreeSet<&str> =
        report.shared_kernel.iter().map(String::as_str).collect();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut nodes = Vec::with_capacity(report.units.len());
    for u in &report.units {
        let group = match &u.service {
            Some(s) => group_of.get(s.as_str()).copied(),
            None if kernel.contains(u.id.as_str()) => kernel_group,
            None => None,
        };
        index.insert(&u.id, nodes.len());
        nodes.push(Node {
            id: format!("u{}", nodes.len()),
            label: u.id.clone(),
            group,
            detail: format!("{} lines · {} commits", u.lines, u.commits),
            lines: u.lines as u64,
        });
    }
    // Dependencies summed over kinds per ordered pair.
    let mut pairs: BTreeMap<(usize, usize), (u32, Vec<&str>)> = BTreeMap::new();
    for d in &report.dependencies {
        let (Some(&a), Some(&b)) = (index.get(d.from.as_str()), index.get(d.to.as_str())) else {
            continue;
        };
        if a == b {
            continue;
        }
        let e = pairs.entry((a, b)).or_default();
        e.0 += d.count;
        if !e.1.contains(&d.kind.as_str()) {
            e.1.push(&d.kind);
        }
    }
    let edges = pairs
        .into_iter()
        .map(|((from, to), (weight, mut kinds))| {
            kinds.sort_unstable();
            Edge {
                from,
                to,
                weight,
                label: kinds.join(", "),
            }
        })
        .collect();
    Graph {
        nodes,
        groups,
        edges,
    }
}

/// Edge pen width from 1 to 6 on a log scale of the weight.
fn pen(weight: u32, max: u32) -> f64 {
    let w = (1.0 + f64::from(weight)).ln() / (1.0 + f64::from(max.max(1))).ln();
    ((1.0 + 5.0 * w) * 100.0).round() / 100.0
}

/// Graphviz DOT.
pub fn render_dot(report: &Report, level: Level) -> Vec<u8> {
    let g = build(report, level);
    let max = g.edges.iter().map(|e| e.weight).max().unwrap_or(1);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// decompose {} graph of {}",
        level_name(level),
        dot_str(&report.repo.root)
    );
    // newrank: the classic ranker fails ("trouble in init_rank") on some
    // graphs with clusters and edges between them.
    out.push_str("digraph decompose {\n  rankdir=LR;\n  newrank=true;\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef3fb\", fontname=\"Helvetica\"];\n  edge [color=\"#7d8da6\", fontname=\"Helvetica\", fontsize=10];\n");
    let node_line = |n: &Node| {
        format!(
            "{} [label=\"{}\\n{}\"];",
            n.id,
            dot_str(&n.label),
            dot_str(&n.detail)
        )
    };
    for (gi, name) in g.groups.iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph cluster_{gi} {{\n    label=\"{}\";\n    style=\"rounded\";\n    color=\"#9aa7b8\";",
            dot_str(name)
        );
        for n in g.nodes.iter().filter(|n| n.group == Some(gi)) {
            let _ = writeln!(out, "    {}", node_line(n));
        }
        out.push_str("  }\n");
    }
    for n in g.nodes.iter().filter(|n| n.group.is_none()) {
        let _ = writeln!(out, "  {}", node_line(n));
    }
    for e in &g.edges {
        let _ = writeln!(
            out,
            "  {} -> {} [label=\"{}\", penwidth={}, weight={}];",
            g.nodes[e.from].id,
            g.nodes[e.to].id,
            dot_str(&e.label),
            pen(e.weight, max),
            e.weight
        );
    }
    out.push_str("}\n");
    out.into_bytes()
}

/// Mermaid flowchart (paste into a ```mermaid block).
pub fn render_mermaid(report: &Report, level: Level) -> Vec<u8> {
    let g = build(report, level);
    let mut out = String::from("flowchart LR\n");
    let node_line = |n: &Node| {
        format!(
            "{}[\"{}<br/>{}\"]",
            n.id,
            mermaid_str(&n.label),
            mermaid_str(&n.detail)
        )
    };
    for (gi, name) in g.groups.iter().enumerate() {
        let _ = writeln!(out, "  subgraph g{gi}[\"{}\"]", mermaid_str(name));
        for n in g.nodes.iter().filter(|n| n.group == Some(gi)) {
            let _ = writeln!(out, "    {}", node_line(n));
        }
        out.push_str("  end\n");
    }
    for n in g.nodes.iter().filter(|n| n.group.is_none()) {
        let _ = writeln!(out, "  {}", node_line(n));
    }
    for e in &g.edges {
        let _ = writeln!(
            out,
            "  {} -->|\"{}\"| {}",
            g.nodes[e.from].id,
            mermaid_str(&e.label),
            g.nodes[e.to].id
        );
    }
    out.into_bytes()
}

/// GraphML with node attributes (label, group, lines) and edge weights.
pub fn render_graphml(report: &Report, level: Level) -> Vec<u8> {
    let g = build(report, level);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n\
         \x20 <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n\
         \x20 <key id=\"group\" for=\"node\" attr.name=\"service\" attr.type=\"string\"/>\n\
         \x20 <key id=\"lines\" for=\"node\" attr.name=\"lines\" attr.type=\"long\"/>\n\
         \x20 <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"int\"/>\n\
         \x20 <key id=\"kinds\" for=\"edge\" attr.name=\"label\" attr.type=\"string\"/>\n",
    );
    let _ = writeln!(
        out,
        "  <graph id=\"{}\" edgedefault=\"directed\">",
        level_name(level)
    );
    for n in &g.nodes {
        let _ = write!(
            out,
            "    <node id=\"{}\"><data key=\"label\">{}</data>",
            n.id,
            xml_str(&n.label)
        );
        if let Some(gi) = n.group {
            let _ = write!(out, "<data key=\"group\">{}</data>", xml_str(&g.groups[gi]));
        }
        let _ = writeln!(out, "<data key=\"lines\">{}</data></node>", n.lines);
    }
    for (i, e) in g.edges.iter().enumerate() {
        let _ = writeln!(
            out,
            "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\"><data key=\"weight\">{}</data><data key=\"kinds\">{}</data></edge>",
            g.nodes[e.from].id,
            g.nodes[e.to].id,
            e.weight,
            xml_str(&e.label)
        );
    }
    out.push_str("  </graph>\n</graphml>\n");
    out.into_bytes()
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Service => "service",
        Level::Unit => "unit",
    }
}

/// Inside a DOT double-quoted string: backslash and quote escaped (so `\N`,
/// `\G`, `\l` in a name stay literal), line breaks as spaces.
pub fn dot_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Inside a Mermaid quoted label: characters with a meaning to Mermaid or
/// HTML written as Mermaid entity codes (`#quot;`, `#lt;`, numeric codes).
pub fn mermaid_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '#' => out.push_str("#35;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            '[' | ']' | '{' | '}' | '(' | ')' => {
                let _ = write!(out, "#{};", c as u32);
            }
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// XML text and attribute content; characters XML 1.0 forbids become U+FFFD.
pub fn xml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_keep_names_inside_their_strings() {
        assert_eq!(dot_str(r#"a"b\N"#), r#"a\"b\\N"#);
        assert_eq!(dot_str("a\nb"), "a b");
        assert_eq!(
            mermaid_str(r#"x"]-->y<script>#|"#),
            "x#quot;#93;--#gt;y#lt;script#gt;#35;#124;"
        );
        assert_eq!(
            xml_str("<a href='x'>&\u{1}</a>"),
            "&lt;a href=&apos;x&apos;&gt;&amp;\u{FFFD}&lt;/a&gt;"
        );
    }
}
