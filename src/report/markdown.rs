//! The extraction plan as markdown: the full plan for a wiki or a file
//! ([`render`], plan.md) and a summary that fits a pull-request comment
//! ([`render_comment`], plan-comment.md, at most [`COMMENT_LIMIT`] bytes).
//!
//! Every string from the analysed code goes through [`md`]; numbers come
//! from the report as they are.

use std::fmt::Write;

use super::{PlanStep, Report, ServiceRow};

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

/// What the benefit was measured from, as a sentence.
fn basis(report: &Report) -> &'static str {
    if report.benefit_basis == "structure" {
        "No git history was analysed: benefit = (size × complexity share + route share + fan-in share) / 3 (docs/metrics.md, \"Plan without history\")."
    } else {
        "Benefit = (churn share + hotspot share) / 2 from the git history."
    }
}

/// `consistency-first (2 evidence: …)` for a service, escaped.
fn cap_line(s: Option<&ServiceRow>, top: usize) -> String {
    let Some(s) = s.filter(|s| !s.cap.profile.is_empty()) else {
        return "—".into();
    };
    let ev = &s.cap.evidence;
    let mut out = md(&s.cap.profile);
    if !ev.is_empty() {
        let shown: Vec<String> = ev
            .iter()
            .take(top)
            .map(|e| format!("{} {}", md(&e.kind), md(&e.subject)))
            .collect();
        let _ = write!(out, " ({} evidence", ev.len());
        if !shown.is_empty() {
            let _ = write!(out, ": {}", shown.join("; "));
        }
        if ev.len() > shown.len() && !shown.is_empty() {
            let _ = write!(out, "; … {} more", ev.len() - shown.len());
        }
        out.push(')');
    }
    out
}

/// `table(columns) → references(columns)` of a foreign key, escaped.
fn fk_text(f: &super::ForeignKeyRow) -> String {
    let cols = |c: &[String]| {
        if c.is_empty() {
            String::new()
        } else {
            format!(
                "({})",
                c.iter().map(|x| md(x)).collect::<Vec<_>>().join(", ")
            )
        }
    };
    format!(
        "{}{} → {}{}",
        md(&f.table),
        cols(&f.columns),
        md(&f.references),
        cols(&f.ref_columns)
    )
}

/// A foreign key with its name, the owners of both tables and its source.
fn fk_line(f: &super::ForeignKeyRow) -> String {
    format!(
        "{}{} ({} → {}; {})",
        fk_text(f),
        f.name
            .as_deref()
            .map(|n| format!(" {}", md(n)))
            .unwrap_or_default(),
        opt(&f.table_owner),
        opt(&f.references_owner),
        md(&f.source)
    )
}

fn service<'a>(report: &'a Report, id: &str) -> Option<&'a ServiceRow> {
    report.services.iter().find(|s| s.id == id)
}

pub fn render(report: &Report) -> Vec<u8> {
    let mut o = String::new();
    let _ = writeln!(o, "# Extraction plan\n");
    let _ = writeln!(
        o,
        "{} units, {} services, {} commits analysed. Score = benefit × (1 − cost); see docs/metrics.md. {}\n",
        report.summary.units,
        report.summary.services,
        report.summary.commits_analyzed,
        basis(report)
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
    let _ = writeln!(o, "\n## Foreign keys\n");
    let _ = writeln!(
        o,
        "| foreign key | name | table owner | referenced owner | crosses services | source |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|---|");
    for f in &report.foreign_keys {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} |",
            fk_text(f),
            f.name.as_deref().map(md).unwrap_or_default(),
            opt(&f.table_owner),
            opt(&f.references_owner),
            if f.crosses { "yes" } else { "no" },
            md(&f.source)
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
        let _ = writeln!(
            o,
            "\n**f. Consistency**: {}",
            cap_line(service(report, &p.service), usize::MAX)
        );
        let _ = writeln!(
            o,
            "\n**g. Foreign keys to break** ({})\n",
            p.foreign_keys.len()
        );
        for f in &p.foreign_keys {
            let _ = writeln!(o, "- {}", fk_line(f));
        }
        let _ = writeln!(o);
    }
    o.into_bytes()
}

/// The most a pull-request comment holds (GitHub: 65 536 characters); the
/// comment is kept within it in bytes, so within it in characters too.
pub const COMMENT_LIMIT: usize = 64 * 1024;

/// The plan as a pull-request comment: the ranked steps with the count of
/// every list and its first items, within [`COMMENT_LIMIT`] bytes. Lists
/// are shortened first (10, 5, 3, 1, then no item), then steps are left
/// out from the end; the comment says what it left out.
pub fn render_comment(report: &Report) -> Vec<u8> {
    for top in [10, 5, 3, 1, 0] {
        let text = comment(report, top, report.plan.len());
        if text.len() <= COMMENT_LIMIT {
            return text.into_bytes();
        }
    }
    let mut steps = report.plan.len();
    loop {
        steps /= 2;
        let text = comment(report, 0, steps);
        if text.len() <= COMMENT_LIMIT || steps == 0 {
            return text.into_bytes();
        }
    }
}

/// `- title (total): first, second, … k more`: the count of a list and
/// the items shown of it.
fn list(o: &mut String, title: &str, shown: &[String], total: usize) {
    let _ = write!(o, "- {title} ({total})");
    if !shown.is_empty() {
        let _ = write!(o, ": {}", shown.join(", "));
        if total > shown.len() {
            let _ = write!(o, ", … {} more", total - shown.len());
        }
    }
    o.push('\n');
}

fn comment(report: &Report, top: usize, steps: usize) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "## Extraction plan\n");
    let _ = writeln!(
        o,
        "{} units, {} services, {} commits analysed. Score = benefit × (1 − cost). {}\n",
        report.summary.units,
        report.summary.services,
        report.summary.commits_analyzed,
        basis(report)
    );
    let _ = writeln!(
        o,
        "| step | service | score | benefit | cost | routes | operations | tables | foreign keys to break | sagas | dependents | consistency |"
    );
    let _ = writeln!(
        o,
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    );
    let shown: &[PlanStep] = &report.plan[..steps.min(report.plan.len())];
    for p in shown {
        let s = service(report, &p.service);
        let (benefit, cost) = s.map_or((0.0, 0.0), |s| (s.extraction.benefit, s.extraction.cost));
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            p.step,
            md(&p.service),
            p.score,
            benefit,
            cost,
            p.routes.len(),
            p.api.len(),
            p.data.len(),
            p.foreign_keys.len(),
            p.sagas.len(),
            p.dependents.len(),
            s.map_or_else(|| "—".to_string(), |s| md(&s.cap.profile))
        );
    }
    for p in shown {
        let _ = writeln!(
            o,
            "\n### Step {}: extract {} (score {})\n",
            p.step,
            md(&p.service),
            p.score
        );
        let routes: Vec<String> = p
            .routes
            .iter()
            .take(top)
            .map(|r| format!("{} {}", md(&r.method), md(&r.path)))
            .collect();
        list(&mut o, "routes to redirect", &routes, p.routes.len());
        let mut api: Vec<&super::Operation> = p.api.iter().collect();
        // The operations with most call sites first: what costs most to cut.
        api.sort_by(|a, b| {
            b.call_sites
                .len()
                .cmp(&a.call_sites.len())
                .then(a.symbol.cmp(&b.symbol))
        });
        let ops: Vec<String> = api
            .iter()
            .take(top)
            .map(|a| format!("{} ({} call sites)", md(&a.symbol), a.call_sites.len()))
            .collect();
        list(&mut o, "operations to expose", &ops, p.api.len());
        let data: Vec<String> = p
            .data
            .iter()
            .take(top)
            .map(|d| format!("{} {}", md(&d.table), md(&d.action)))
            .collect();
        list(&mut o, "tables", &data, p.data.len());
        let fks: Vec<String> = p.foreign_keys.iter().take(top).map(fk_text).collect();
        list(&mut o, "foreign keys to break", &fks, p.foreign_keys.len());
        let sagas: Vec<String> = p.sagas.iter().take(top).map(|s| md(s)).collect();
        list(&mut o, "sagas to design", &sagas, p.sagas.len());
        let mut deps: Vec<&super::Dependent> = p.dependents.iter().collect();
        deps.sort_by(|a, b| b.calls.cmp(&a.calls).then(a.unit.cmp(&b.unit)));
        let deps: Vec<String> = deps
            .iter()
            .take(top)
            .map(|d| format!("{} ({} calls)", md(&d.unit), d.calls))
            .collect();
        list(&mut o, "still depending on it", &deps, p.dependents.len());
        let _ = writeln!(
            o,
            "- consistency: {}",
            cap_line(service(report, &p.service), top)
        );
    }
    let _ = writeln!(o);
    if steps < report.plan.len() {
        let _ = writeln!(
            o,
            "Steps {} to {} are left out to keep this comment under {} KB; the full plan is in plan.md and report.json.",
            steps + 1,
            report.plan.len(),
            COMMENT_LIMIT / 1024
        );
    } else if top == 0 {
        let _ = writeln!(o, "Lists give counts only to keep this comment under {} KB; the full plan is in plan.md and report.json.", COMMENT_LIMIT / 1024);
    } else {
        let _ = writeln!(
            o,
            "Each list shows at most {top} items; the full plan is in plan.md and report.json."
        );
    }
    o
}

#[cfg(test)]
mod tests {
    #[test]
    fn lists_show_counts_and_the_first_items() {
        let mut o = String::new();
        super::list(&mut o, "routes", &["a".into(), "b".into()], 5);
        super::list(&mut o, "tables", &[], 3);
        super::list(&mut o, "sagas", &[], 0);
        assert_eq!(
            o,
            "- routes (5): a, b, … 3 more\n- tables (3)\n- sagas (0)\n"
        );
    }

    #[test]
    fn escapes_markdown_and_html() {
        assert_eq!(super::md("<b>*x*</b>\n|"), "&lt;b&gt;\\*x\\*&lt;/b&gt; \\|");
        assert_eq!(
            super::md("[a](javascript:x)"),
            "\\[a\\]\\(javascript\\:x\\)"
        );
    }
}
