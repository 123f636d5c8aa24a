//! Renderings of a [`CheckResult`]: text, JSON, markdown, SARIF 2.1.0 and
//! GitHub workflow annotations. They compute nothing; strings from the
//! analysed code are escaped for each format (markdown and HTML in
//! markdown, percent-encoding in SARIF URIs and in annotations).

use serde_json::json;

use crate::ci::check::{CheckResult, Rule, Violation};
use crate::report::markdown::md;
use crate::report::printable;

/// One line per offending reference (`path:line: error[rule]: message`),
/// then stale entries, unassigned units, co-change and the verdict.
pub fn text(r: &CheckResult) -> String {
    let mut out = String::new();
    for v in &r.violations {
        for (file, line) in places(v, r) {
            let at = line.map(|l| format!(":{l}")).unwrap_or_default();
            out.push_str(&format!(
                "{}{at}: error[{}]: {}\n",
                printable(&file),
                v.rule.id(),
                printable(&v.message)
            ));
        }
    }
    if !r.stale.is_empty() {
        out.push_str(&format!(
            "{} stale baseline entr{} (gone from the code; `--update-baseline` drops them):\n",
            r.stale.len(),
            if r.stale.len() == 1 { "y" } else { "ies" }
        ));
        for k in &r.stale {
            out.push_str(&format!(
                "  {} -> {} ({})\n",
                printable(&k.from),
                printable(&k.to),
                k.kind
            ));
        }
    }
    if !r.accepted.is_empty() {
        out.push_str(&format!(
            "{} new cross-seam dependenc{} accepted into the baseline\n",
            r.accepted.len(),
            if r.accepted.len() == 1 { "y" } else { "ies" }
        ));
    }
    if !r.unassigned.is_empty() {
        out.push_str(&format!(
            "{} unassigned unit(s) (match no seam in {}):\n",
            r.unassigned.len(),
            r.config
        ));
        for u in r.unassigned.iter().take(50) {
            out.push_str(&format!("  {}\n", printable(u)));
        }
        if r.unassigned.len() > 50 {
            out.push_str(&format!("  ... and {} more\n", r.unassigned.len() - 50));
        }
    }
    if let Some(share) = r.cochange.share {
        out.push_str(&format!(
            "co-change across seams: {share} of the co-change weight over {} commits (baseline {}, limit {})\n",
            r.cochange.commits,
            opt(r.cochange.baseline),
            opt(r.cochange.limit)
        ));
    }
    let m = &r.metrics;
    out.push_str(&format!(
        "{} seams, {} units ({} assigned), {} cross-seam dependencies, modularity {}, icp {}\n",
        r.seams.len(),
        m.units,
        m.assigned_units,
        m.cross_seam_dependencies,
        m.modularity,
        m.icp
    ));
    if r.baseline_written {
        out.push_str(&format!("wrote {}\n", r.baseline));
    }
    out.push_str(&if r.ok {
        "check passed\n".to_string()
    } else {
        format!("check failed: {} violation(s)\n", r.violations.len())
    });
    out
}

fn opt(x: Option<f64>) -> String {
    x.map_or_else(|| "none".to_string(), |v| v.to_string())
}

/// (file, line) of each place a violation points at: every line of the
/// offending dependency, the file alone when no line is known, and the
/// config file for co-change.
fn places(v: &Violation, r: &CheckResult) -> Vec<(String, Option<u32>)> {
    match &v.dependency {
        Some(d) if d.lines.is_empty() => vec![(d.from.clone(), None)],
        Some(d) => d.lines.iter().map(|&l| (d.from.clone(), Some(l))).collect(),
        None => vec![(r.config.clone(), None)],
    }
}

pub fn json(r: &CheckResult) -> String {
    let mut s = serde_json::to_string_pretty(r).expect("a check result serialises");
    s.push('\n');
    s
}

/// A PR comment: verdict, violations table, stale entries, unassigned units.
pub fn markdown(r: &CheckResult) -> String {
    let mut out = String::from("## decompose check\n\n");
    out.push_str(&if r.ok {
        "**Passed**: no new coupling across seams.\n\n".to_string()
    } else {
        format!("**Failed**: {} violation(s).\n\n", r.violations.len())
    });
    let m = &r.metrics;
    out.push_str("| seams | units | assigned | cross-seam dependencies | modularity | icp | co-change across seams |\n|---:|---:|---:|---:|---:|---:|---:|\n");
    out.push_str(&format!(
        "| {} | {} | {} | {} | {} | {} | {} |\n\n",
        r.seams.len(),
        m.units,
        m.assigned_units,
        m.cross_seam_dependencies,
        m.modularity,
        m.icp,
        opt(r.cochange.share)
    ));
    if !r.violations.is_empty() {
        out.push_str("| rule | where | message |\n|---|---|---|\n");
        for v in &r.violations {
            let at: Vec<String> = places(v, r)
                .into_iter()
                .map(|(f, l)| match l {
                    Some(l) => format!("{}:{l}", md(&f)),
                    None => md(&f),
                })
                .collect();
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                v.rule.id(),
                at.join("<br>"),
                md(&v.message)
            ));
        }
        out.push('\n');
    }
    if !r.stale.is_empty() {
        out.push_str(&format!(
            "{} stale baseline entr{}; `decompose check --update-baseline` drops them:\n\n",
            r.stale.len(),
            if r.stale.len() == 1 { "y" } else { "ies" }
        ));
        for k in &r.stale {
            out.push_str(&format!(
                "- {} → {} ({})\n",
                md(&k.from),
                md(&k.to),
                md(&k.kind)
            ));
        }
        out.push('\n');
    }
    if !r.unassigned.is_empty() {
        out.push_str(&format!(
            "{} unit(s) match no seam in {}:\n\n",
            r.unassigned.len(),
            md(&r.config)
        ));
        for u in r.unassigned.iter().take(50) {
            out.push_str(&format!("- {}\n", md(u)));
        }
        out.push('\n');
    }
    out
}

/// SARIF 2.1.0: one result per offending reference (file and line), the
/// rule table in the driver, and a partial fingerprint from the identity so
/// code scanning tracks a result across commits.
pub fn sarif(r: &CheckResult) -> String {
    let rules: Vec<serde_json::Value> = Rule::ALL
        .iter()
        .map(|rule| {
            json!({
                "id": rule.id(),
                "name": rule.id(),
                "shortDescription": {"text": rule.description()},
                "fullDescription": {"text": rule.description()},
                "defaultConfiguration": {"level": "error"},
            })
        })
        .collect();
    let mut results = Vec::new();
    for v in &r.violations {
        let index = Rule::ALL.iter().position(|x| *x == v.rule).unwrap();
        let fingerprint = match &v.dependency {
            Some(d) => format!("{}|{}|{}|{}", v.rule.id(), d.from, d.to, d.kind),
            None => v.rule.id().to_string(),
        };
        for (file, line) in places(v, r) {
            let mut physical = json!({
                "artifactLocation": {"uri": uri(&file), "uriBaseId": "%SRCROOT%"}
            });
            if let Some(l) = line {
                physical["region"] = json!({"startLine": l.max(1)});
            }
            results.push(json!({
                "ruleId": v.rule.id(),
                "ruleIndex": index,
                "level": "error",
                "message": {"text": v.message},
                "locations": [{"physicalLocation": physical}],
                "partialFingerprints": {"decomposeIdentity/v1": fingerprint}
            }));
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "decompose",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules
            }},
            "results": results,
            "columnKind": "utf16CodeUnits"
        }]
    });
    let mut s = serde_json::to_string_pretty(&log).expect("SARIF serialises");
    s.push('\n');
    s
}

/// A repo-relative path as a URI reference: every byte outside the
/// unreserved set and `/` percent-encoded.
pub fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// GitHub workflow commands: `::error file=...,line=...,title=...::message`
/// per offending reference, escaped by GitHub's rules (`%`, CR, LF in the
/// message; also `:` and `,` in properties).
pub fn github(r: &CheckResult) -> String {
    let mut out = String::new();
    for v in &r.violations {
        for (file, line) in places(v, r) {
            let mut props = format!("file={}", gh_property(&file));
            if let Some(l) = line {
                props.push_str(&format!(",line={l}"));
            }
            props.push_str(&format!(",title={}", gh_property(v.rule.id())));
            out.push_str(&format!("::error {props}::{}\n", gh_data(&v.message)));
        }
    }
    for k in &r.stale {
        out.push_str(&format!(
            "::notice title=stale baseline entry::{}\n",
            gh_data(&format!(
                "{} -> {} ({}) is gone from the code; run decompose check --update-baseline",
                k.from, k.to, k.kind
            ))
        ));
    }
    out.push_str(&if r.ok {
        "decompose check passed\n".to_string()
    } else {
        format!(
            "decompose check failed: {} violation(s)\n",
            r.violations.len()
        )
    });
    out
}

pub fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

pub fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_annotations_and_uris() {
        assert_eq!(super::gh_data("a%b\r\nc"), "a%25b%0D%0Ac");
        assert_eq!(super::gh_property("x:y,z%\n"), "x%3Ay%2Cz%25%0A");
        assert_eq!(
            super::uri("src/a b/Ä#?.java"),
            "src/a%20b/%C3%84%23%3F.java"
        );
    }
}
