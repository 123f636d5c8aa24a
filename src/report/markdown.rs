//! The extraction plan as markdown, for a pull request or issue comment.
//!
//! Every string from the analysed code goes through [`md`]; numbers come
//! from the report as they are.

use std::fmt::Write;

use super::Report;

/// Escapes text for markdown (inline and table cells): punctuation that
/// markdown or HTML would interpret gets a backslash or an entity, line
/// breaks become spaces.
pub fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '-' | '.'
            | '!' | '|' | '~' | '"' | '\'' | '=' | ':' | '$' | '@' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn opt(s: &Option<String>) -> String {
    s.as_deref().map_or_else(|| "monolith".to_string(), md)
}

pub fn render(report: &Report) -> Vec<u8> {
    let mut o = String::new();
    let _ = writeln!(o, "# Extraction plan\n");
    let _ = writeln!(
        o,
        "{} units, {} services, {} commits analysed. Score = benefit × (1 − cost); see docs/metrics.md.\n",
        report.summary.units, report.summary.services, report.summary.commits_analyzed
    );
    let _ = writeln!(o, "## Services by rank\n");
    let _ = writeln!(o, "| rank | service | score | benefit | cost | churn share | hotspot share | cut calls | cut call weight | interface ops | shared entities | split transactions | co-change leakage | shared authors |");
    let _ = writeln!(
        o,
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for s in &report.services {
        let e = &s.extraction;
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            s.rank,
            md(&s.name),
            s.score,
            e.benefit,
            e.cost,
            s.churn_share,
            e.hotspot_share,
            e.cut_calls,
            e.cut_call_weight,
            e.interface_operations,
            e.shared_entities,
            e.split_transactions,
            e.cochange_leakage,
            e.shared_authors
        );
    }
    let _ = writeln!(o, "\n## Gateway routes\n");
    let _ = writeln!(o, "| method | path | handler | service |");
    let _ = writeln!(o, "|---|---|---|---|");
    for e in &report.endpoints {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |",
            md(&e.method),
            md(&e.path),
            md(&e.handler),
            opt(&e.service)
        );
    }
    let _ = writeln!(o, "\n## Data ownership\n");
    let _ = writeln!(
        o,
        "| table | entity | owner | writers | readers | conflicts | hint |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|---|---|");
    for e in &report.entities {
        let list = |v: &[String]| v.iter().map(|s| md(s)).collect::<Vec<_>>().join(", ");
        let conflicts = e
            .conflicts
            .iter()
            .map(|c| format!("{} {}", md(&c.service), md(&c.kind)))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} |",
            md(&e.table),
            e.entity.as_deref().map(md).unwrap_or_default(),
            opt(&e.owner),
            list(&e.writers),
            list(&e.readers),
            conflicts,
            e.hints.iter().map(|h| md(h)).collect::<Vec<_>>().join(", ")
        );
    }
    let _ = writeln!(o, "\n## Saga candidates\n");
    for t in report.transactions.iter().filter(|t| t.saga) {
        let _ = writeln!(
            o,
            "- {} in {} spans {}",
            md(&t.symbol),
            md(&t.unit),
            t.services
                .iter()
                .map(|s| md(s))
                .collect::<Vec<_>>()
                .join(", ")
        );
        for p in &t.paths {
            let path = p
                .iter()
                .map(|s| format!("{} ({})", md(&s.symbol), opt(&s.service)))
                .collect::<Vec<_>>()
                .join(" → ");
            let _ = writeln!(o, "  - {path}");
        }
    }
    let _ = writeln!(o, "\n## Steps\n");
    for p in &report.plan {
        let _ = writeln!(
            o,
            "### Step {}: extract {} (score {})\n",
            p.step,
            md(&p.service),
            p.score
        );
        let _ = writeln!(
            o,
            "**a. Routes to redirect at the gateway** ({})\n",
            p.routes.len()
        );
        for r in &p.routes {
            let _ = writeln!(
                o,
                "- {} {} → {}",
                md(&r.method),
                md(&r.path),
                md(&r.handler)
            );
        }
        let _ = writeln!(o, "\n**b. API to expose** ({} operations)\n", p.api.len());
        for a in &p.api {
            let _ = writeln!(o, "- {} ({} call sites)", md(&a.symbol), a.call_sites.len());
            for c in &a.call_sites {
                let _ = writeln!(
                    o,
                    "  - {} in {} line {}",
                    md(&c.symbol),
                    md(&c.unit),
                    c.line
                );
            }
        }
        let _ = writeln!(o, "\n**c. Data to move or share**\n");
        for d in &p.data {
            let others = d
                .others
                .iter()
                .map(|s| md(s))
                .collect::<Vec<_>>()
                .join(", ");
            let _ = writeln!(
                o,
                "- {}: {} (owner {}; also {})",
                md(&d.table),
                md(&d.action),
                opt(&d.owner),
                others
            );
        }
        let _ = writeln!(o, "\n**d. Sagas to design**\n");
        for s in &p.sagas {
            let _ = writeln!(o, "- {}", md(s));
        }
        let _ = writeln!(o, "\n**e. Still depending on it in the monolith**\n");
        for d in &p.dependents {
            let _ = writeln!(
                o,
                "- {} ({}): {} calls",
                md(&d.unit),
                opt(&d.service),
                d.calls
            );
        }
        let _ = writeln!(o);
    }
    o.into_bytes()
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markdown_and_html() {
        assert_eq!(super::md("<b>*x*</b>\n|"), "&lt;b&gt;\\*x\\*&lt;/b&gt; \\|");
        assert_eq!(
            super::md("[a](javascript:x)"),
            "\\[a\\]\\(javascript\\:x\\)"
        );
    }
}
