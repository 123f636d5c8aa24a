//! The HTML renderer: `index.html`, the seam report a person reads.
//!
//! One self-contained file: the overview is rendered here with askama
//! (`templates/report.html`), the interactive views (service map, DSM,
//! per-service detail, hotspots and co-change, plan, trend) are drawn in the
//! browser by `templates/report.js` from the report data embedded as JSON in
//! `<script type="application/json" id="data">`. The CSS and the script are
//! inline and allowed by a Content-Security-Policy that names their SHA-256
//! hashes, so the page runs from `file://` with no network at all.
//!
//! Invariant: this module computes no numbers about the code; it formats the
//! [`Report`] and scales bars. The browser only sorts, filters and sums the
//! model's counts to aggregate views (docs/html.md).
//!
//! Invariant: every string from the analysed repository is escaped: askama
//! escapes what the template prints, and the embedded JSON has `<`, `>`, `&`,
//! U+2028 and U+2029 written as `\uXXXX`, so no text can close the script
//! element or open a comment. The only unescaped outputs are the types
//! [`Trusted`] (constants of this crate) and [`ScriptJson`] (escaped here).

use std::collections::HashMap;
use std::fmt;

use askama::Template;
use serde::Serialize;

use super::{Report, ServiceRow};

const CSS: &str = include_str!("../../templates/report.css");
/// The page's script: the what-if mode first (it defines the one function
/// report.js calls), then the views.
const SCRIPT: &str = concat!(
    include_str!("../../templates/whatif.js"),
    include_str!("../../templates/report.js")
);

/// How many problems (warnings, diagnostics, skipped files) the overview
/// lists; report.json holds them all.
const MAX_PROBLEMS: usize = 100;

/// Renders `index.html`.
pub fn render(report: &Report) -> Vec<u8> {
    let page = Page::new(report);
    let mut out = page
        .render()
        .expect("the report template renders any model")
        .into_bytes();
    out.push(b'\n');
    out
}

/// Text of this crate (CSS, script) that is printed as is.
struct Trusted(&'static str);

impl fmt::Display for Trusted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl askama::filters::HtmlSafe for Trusted {}

/// JSON that is safe inside a `<script>` element: only [`script_json`]
/// makes one.
struct ScriptJson(String);

impl fmt::Display for ScriptJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl askama::filters::HtmlSafe for ScriptJson {}

/// Serialises `value` and escapes the characters that could end the script
/// element (`</script>`), open a comment (`<!--`) or end a JavaScript line.
/// They can only occur inside JSON strings, where `\uXXXX` means the same.
fn script_json<T: Serialize>(value: &T) -> ScriptJson {
    let json = serde_json::to_string(value).expect("the embedded data always serialises");
    let mut out = String::with_capacity(json.len() + json.len() / 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    ScriptJson(out)
}

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    r: &'a Report,
    csp: String,
    css: Trusted,
    script: Trusted,
    data: ScriptJson,
    head_short: String,
    counts: Vec<Stat>,
    languages: Vec<Bar>,
    history: Vec<Stat>,
    metrics: Vec<Stat>,
    services: Vec<ServiceLine<'a>>,
    problems: Problems<'a>,
}

/// A labelled figure of the overview.
struct Stat {
    label: &'static str,
    value: String,
    title: &'static str,
}

/// A labelled bar; `width` is 0..=100, the share of the bar to fill.
struct Bar {
    label: String,
    value: String,
    width: u32,
}

struct ServiceLine<'a> {
    s: &'a ServiceRow,
    n_members: usize,
    lines: String,
    bars: Vec<Bar>,
}

struct Problems<'a> {
    warnings: &'a [String],
    diagnostics: &'a [super::DiagnosticRow],
    skipped: &'a [super::SkippedRow],
    more_warnings: usize,
    more_diagnostics: usize,
    more_skipped: usize,
}

impl<'a> Page<'a> {
    fn new(r: &'a Report) -> Self {
        let csp = format!(
            "default-src 'none'; script-src '{}'; style-src '{}'; img-src data:; \
             base-uri 'none'; form-action 'none'",
            csp_hash(SCRIPT),
            csp_hash(CSS)
        );
        Page {
            r,
            csp,
            css: Trusted(CSS),
            script: Trusted(SCRIPT),
            data: script_json(&Embedded::new(r)),
            head_short: r
                .repo
                .head
                .as_deref()
                .map(|h| h.chars().take(12).collect())
                .unwrap_or_else(|| "not a git repository".into()),
            counts: counts(r),
            languages: languages(r),
            history: history(r),
            metrics: metrics(r),
            services: r.services.iter().map(|s| service_line(r, s)).collect(),
            problems: Problems {
                warnings: &r.warnings[..r.warnings.len().min(MAX_PROBLEMS)],
                diagnostics: &r.diagnostics[..r.diagnostics.len().min(MAX_PROBLEMS)],
                skipped: &r.skipped[..r.skipped.len().min(MAX_PROBLEMS)],
                more_warnings: r.warnings.len().saturating_sub(MAX_PROBLEMS),
                more_diagnostics: r.diagnostics.len().saturating_sub(MAX_PROBLEMS),
                more_skipped: r.skipped.len().saturating_sub(MAX_PROBLEMS),
            },
        }
    }
}

fn counts(r: &Report) -> Vec<Stat> {
    let s = &r.summary;
    vec![
        Stat {
            label: "units",
            value: int(s.units as u64),
            title: "source files analysed (one unit per file)",
        },
        Stat {
            label: "test units",
            value: int(s.test_units as u64),
            title: "units recognised as test code",
        },
        Stat {
            label: "lines of code",
            value: int(s.lines),
            title: "code lines (no blanks, no comments)",
        },
        Stat {
            label: "dependencies",
            value: int(s.dependencies as u64),
            title: "unit-to-unit dependency rows (from, to, kind)",
        },
        Stat {
            label: "candidate services",
            value: int(s.services as u64),
            title: "services proposed by the clustering",
        },
        Stat {
            label: "commits analysed",
            value: int(s.commits_analyzed as u64),
            title: "git commits read for history signals",
        },
        Stat {
            label: "skipped files",
            value: int(s.skipped_files as u64),
            title: "files left out, see Problems below",
        },
        Stat {
            label: "files with errors",
            value: int(s.files_with_errors as u64),
            title: "files read only partly (syntax errors, bad bytes)",
        },
    ]
}

fn languages(r: &Report) -> Vec<Bar> {
    let max = r.summary.languages.values().copied().max().unwrap_or(0);
    r.summary
        .languages
        .iter()
        .map(|(name, &n)| Bar {
            label: name.clone(),
            value: int(n as u64),
            width: scale(n as f64, max as f64),
        })
        .collect()
}

fn history(r: &Report) -> Vec<Stat> {
    let Some(h) = &r.history else {
        return Vec::new();
    };
    let opt = |s: &Option<String>| s.clone().unwrap_or_else(|| "—".into());
    vec![
        Stat {
            label: "from",
            value: opt(&h.from),
            title: "oldest commit analysed",
        },
        Stat {
            label: "to",
            value: opt(&h.to),
            title: "newest commit analysed",
        },
        Stat {
            label: "commits",
            value: int(h.commits_analyzed as u64),
            title: "commits analysed",
        },
        Stat {
            label: "authors",
            value: int(h.authors as u64),
            title: "distinct human authors (bots left out)",
        },
        Stat {
            label: "skipped commits",
            value: int(h.skipped_commits as u64),
            title: "commits that could not be read",
        },
        Stat {
            label: "shallow clone",
            value: if h.shallow { "yes" } else { "no" }.into(),
            title: "a shallow clone lacks the oldest history",
        },
    ]
}

fn metrics(r: &Report) -> Vec<Stat> {
    let m = &r.metrics;
    let res = &r.summary.resolution;
    vec![
        Stat {
            label: "modularity Q",
            value: ratio(m.modularity),
            title: "Newman modularity of the partition",
        },
        Stat {
            label: "SM",
            value: ratio(m.sm),
            title: "structural modularity",
        },
        Stat {
            label: "ICP",
            value: ratio(m.icp),
            title: "inter-call percentage",
        },
        Stat {
            label: "IFN",
            value: ratio(m.ifn),
            title: "interface number",
        },
        Stat {
            label: "NED",
            value: ratio(m.ned),
            title: "non-extreme distribution",
        },
        Stat {
            label: "resolution γ",
            value: ratio(m.resolution),
            title: "the Leiden resolution used",
        },
        Stat {
            label: "type refs resolved",
            value: percent(res.type_ref_rate),
            title: "internal / (internal + unresolved) type references",
        },
        Stat {
            label: "calls resolved",
            value: percent(res.call_rate),
            title: "(internal + external) / all calls",
        },
    ]
}

fn service_line<'a>(r: &Report, s: &'a ServiceRow) -> ServiceLine<'a> {
    let max_score = r.services.iter().map(|s| s.score.abs()).fold(0.0, f64::max);
    let max_coupling = r.services.iter().map(|s| s.coupling).max().unwrap_or(0);
    let max_interface = r
        .services
        .iter()
        .map(|s| s.interface_size)
        .max()
        .unwrap_or(0);
    let share = |label: &str, v: f64| Bar {
        label: label.into(),
        value: format!("{v:.2}"),
        width: scale(v, 1.0),
    };
    ServiceLine {
        s,
        n_members: s.members.len(),
        lines: int(s.lines),
        bars: vec![
            Bar {
                label: "score".into(),
                value: format!("{:.3}", s.score),
                width: scale(s.score.abs(), max_score),
            },
            share("cohesion", s.cohesion),
            Bar {
                label: "coupling".into(),
                value: int(s.coupling as u64),
                width: scale(s.coupling as f64, max_coupling as f64),
            },
            Bar {
                label: "interface".into(),
                value: int(s.interface_size as u64),
                width: scale(s.interface_size as f64, max_interface as f64),
            },
            share("churn share", s.churn_share),
            share("leakage", s.cochange_leakage),
            share("confidence", s.confidence),
        ],
    }
}

/// Bar fill 0..=100 for `v` on a scale whose full length is `max`.
fn scale(v: f64, max: f64) -> u32 {
    if max.is_nan() || max <= 0.0 || !v.is_finite() {
        return 0;
    }
    ((v / max).clamp(0.0, 1.0) * 100.0).round() as u32
}

fn int(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn ratio(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.3}")).unwrap_or_else(|| "—".into())
}

fn percent(v: Option<f64>) -> String {
    v.map(|v| format!("{:.1}%", v * 100.0))
        .unwrap_or_else(|| "—".into())
}

/// The report data the script needs, compact: units are referred to by
/// index, rows are arrays whose fields are named once (`unit_fields`), so a
/// 10k-unit report stays far below the 3 KB per unit budget (docs/performance.md).
#[derive(Serialize)]
struct Embedded<'a> {
    /// Names of the positions in each `units` row, for the script and for
    /// anyone reading the page source.
    unit_fields: &'static [&'static str],
    units: Vec<UnitTuple<'a>>,
    languages: Vec<&'a str>,
    roles: Vec<&'a str>,
    /// Service ids: those of `services` in order, then any other id a unit
    /// names (the script shows those as plain groups).
    service_ids: Vec<&'a str>,
    kinds: Vec<&'a str>,
    /// Flattened `[from, to, kind, count]` quadruples.
    deps: Vec<u32>,
    services: Vec<EmbeddedService<'a>>,
    shared_kernel: Vec<UnitRef<'a>>,
    /// `[from, to, count, calls]` with service ids (`kernel` included).
    service_deps: Vec<(&'a str, &'a str, u32, u32)>,
    /// `[a, b, shared, degree, revs_a, revs_b, confidence_ab,
    /// confidence_ba, kind, service_a, service_b]`.
    cochange: Vec<CoChangeTuple<'a>>,
    /// `[unit, commits, complexity, score, service]`, ranked.
    hotspots: Vec<(UnitRef<'a>, u32, u32, f64, Option<&'a str>)>,
    /// Tables with their readers, writers, owner, conflicts and sites.
    entities: Vec<EmbeddedEntity<'a>>,
    endpoints: Vec<EndpointTuple<'a>>,
    transactions: Vec<EmbeddedTransaction<'a>>,
    plan: Vec<EmbeddedStep<'a>>,
    /// `[table, columns, references, ref_columns, name, source,
    /// table_owner, references_owner, crosses]`, as `foreign_keys`.
    foreign_keys: Vec<ForeignKeyTuple<'a>>,
    /// Rows of decompose-trend.jsonl, as in report.json.
    trend: &'a [super::TrendRow],
    history: bool,
    /// `history` or `structure`: what the plan's benefit is measured from.
    benefit_basis: &'a str,
    /// What the what-if mode measures another arrangement with
    /// (docs/html.md, "What-if"): the seam graph as flat `[a, b]` unit
    /// index pairs and their weights, the same for every co-change weight,
    /// symbol calls as flat `[caller unit, callee unit, symbol, call
    /// sites]` with symbols interned in `call_symbols`, and each unit's
    /// author numbers (empty without history).
    seam_pairs: Vec<u32>,
    /// The partition metrics of the analysed arrangement.
    metrics: &'a super::Metrics,
    seam_weights: Vec<f64>,
    cochange_pairs: Vec<u32>,
    cochange_weights: Vec<f64>,
    calls: Vec<u32>,
    call_symbols: Vec<&'a str>,
    unit_authors: Vec<&'a [u32]>,
    /// Indices of the generated units (`units[].generated`).
    generated: Vec<u32>,
}

type ForeignKeyTuple<'a> = (
    &'a str,
    &'a [String],
    &'a str,
    &'a [String],
    Option<&'a str>,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    bool,
);

/// `[method, path, handler, unit, line, service]`.
type EndpointTuple<'a> = (&'a str, &'a str, &'a str, UnitRef<'a>, u32, Option<&'a str>);

/// `[unit, symbol, line, access, via, service]`.
type SiteTuple<'a> = (UnitRef<'a>, &'a str, u32, &'a str, &'a str, Option<&'a str>);

#[derive(Serialize)]
struct EmbeddedEntity<'a> {
    table: &'a str,
    entity: Option<&'a str>,
    unit: Option<UnitRef<'a>>,
    service: Option<&'a str>,
    owner: Option<&'a str>,
    readers: &'a [String],
    writers: &'a [String],
    /// `[service, kind]`.
    conflicts: Vec<(&'a str, &'a str)>,
    sites: Vec<SiteTuple<'a>>,
    tx: bool,
    hints: &'a [String],
}

#[derive(Serialize)]
struct EmbeddedTransaction<'a> {
    unit: UnitRef<'a>,
    symbol: &'a str,
    line: u32,
    service: Option<&'a str>,
    services: &'a [String],
    saga: bool,
    /// Each path: `[unit, symbol, service]` steps.
    paths: Vec<Vec<(UnitRef<'a>, &'a str, Option<&'a str>)>>,
    /// The units its call reach gets to (`transaction_reach`), for the
    /// what-if mode; `null` when the report does not carry them.
    reach: Option<Vec<UnitRef<'a>>>,
}

#[derive(Serialize)]
struct EmbeddedStep<'a> {
    service: &'a str,
    step: u32,
    score: f64,
    /// Indices into `endpoints`.
    routes: Vec<u32>,
    /// `[symbol, unit, call sites as [unit, symbol, line, service]]`.
    api: Vec<EmbeddedOperation<'a>>,
    /// `[table, action, owner, others]`.
    data: Vec<(&'a str, &'a str, Option<&'a str>, &'a [String])>,
    sagas: &'a [String],
    /// `[unit, service, calls]`.
    dependents: Vec<(UnitRef<'a>, Option<&'a str>, u32)>,
    /// (f) foreign keys to break: indices into `foreign_keys`.
    fks: Vec<u32>,
}

type EmbeddedOperation<'a> = (
    &'a str,
    UnitRef<'a>,
    Vec<(UnitRef<'a>, &'a str, u32, Option<&'a str>)>,
);

/// One unit as an array in the order of [`UNIT_FIELDS`]; language, role
/// and service are indices into their tables (service -1 for none).
struct UnitTuple<'a> {
    u: &'a super::UnitRow,
    language: u32,
    service: i64,
    role: u32,
}

impl Serialize for UnitTuple<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeTuple;
        let u = self.u;
        let mut t = ser.serialize_tuple(UNIT_FIELDS.len())?;
        t.serialize_element(&u.id)?;
        t.serialize_element(&u.name)?;
        t.serialize_element(&self.language)?;
        t.serialize_element(&u.lines)?;
        t.serialize_element(&u.complexity)?;
        t.serialize_element(&u8::from(u.test))?;
        t.serialize_element(&u.commits)?;
        t.serialize_element(&u.churn)?;
        t.serialize_element(&u.authors)?;
        t.serialize_element(&u.fan_in)?;
        t.serialize_element(&u.fan_out)?;
        t.serialize_element(&self.service)?;
        t.serialize_element(&u.confidence)?;
        t.serialize_element(&self.role)?;
        t.serialize_element(&u.hotspot)?;
        t.serialize_element(&u.last_change)?;
        t.serialize_element(&u.unresolved_refs)?;
        t.end()
    }
}

const UNIT_FIELDS: &[&str] = &[
    "id",
    "name",
    "language",
    "lines",
    "complexity",
    "test",
    "commits",
    "churn",
    "authors",
    "fan_in",
    "fan_out",
    "service",
    "confidence",
    "role",
    "hotspot",
    "last_change",
    "unresolved_refs",
];

type CoChangeTuple<'a> = (
    UnitRef<'a>,
    UnitRef<'a>,
    u32,
    f64,
    u32,
    u32,
    f64,
    f64,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
);

/// A unit by its index in `units`, or by id when the report names a unit it
/// does not list (the script shows the id).
#[derive(Serialize, Clone, Copy)]
#[serde(untagged)]
enum UnitRef<'a> {
    Index(u32),
    Id(&'a str),
}

#[derive(Serialize)]
struct EmbeddedService<'a> {
    id: &'a str,
    name: &'a str,
    rank: u32,
    score: f64,
    lines: u64,
    words: &'a [String],
    package: &'a str,
    cohesion: f64,
    coupling: u32,
    interface_size: u32,
    churn_share: f64,
    cochange_leakage: f64,
    confidence: f64,
    signals: &'a super::SignalShares,
    extraction: &'a super::Extraction,
    cap: &'a super::CapProfile,
    members: Vec<UnitRef<'a>>,
}

/// Interns strings into a table, giving each its index.
struct Interner<'a> {
    names: Vec<&'a str>,
    index: HashMap<&'a str, u32>,
}

impl<'a> Interner<'a> {
    fn new() -> Self {
        Interner {
            names: Vec::new(),
            index: HashMap::new(),
        }
    }

    fn get(&mut self, s: &'a str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(s);
        self.index.insert(s, i);
        i
    }
}

impl<'a> Embedded<'a> {
    fn new(r: &'a Report) -> Self {
        let unit_index: HashMap<&str, u32> = r
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.id.as_str(), i as u32))
            .collect();
        let unit_ref = |id: &'a str| match unit_index.get(id) {
            Some(&i) => UnitRef::Index(i),
            None => UnitRef::Id(id),
        };
        let mut languages = Interner::new();
        let mut roles = Interner::new();
        let mut service_ids = Interner::new();
        for s in &r.services {
            service_ids.get(&s.id);
        }
        let units = r
            .units
            .iter()
            .map(|u| UnitTuple {
                u,
                language: languages.get(&u.language),
                service: u
                    .service
                    .as_deref()
                    .map_or(-1, |s| i64::from(service_ids.get(s))),
                role: roles.get(&u.role),
            })
            .collect();
        let mut kinds = Interner::new();
        let mut deps = Vec::with_capacity(r.dependencies.len() * 4);
        for d in &r.dependencies {
            // A dependency on a unit the report does not list cannot be
            // drawn; the report's own invariant is that there are none.
            if let (Some(&from), Some(&to)) = (
                unit_index.get(d.from.as_str()),
                unit_index.get(d.to.as_str()),
            ) {
                deps.extend([from, to, kinds.get(&d.kind), d.count]);
            }
        }
        let pairs = |rows: &[super::WeightedPair]| -> (Vec<u32>, Vec<f64>) {
            let mut flat = Vec::with_capacity(rows.len() * 2);
            let mut weights = Vec::with_capacity(rows.len());
            for p in rows {
                if let (Some(&a), Some(&b)) =
                    (unit_index.get(p.a.as_str()), unit_index.get(p.b.as_str()))
                {
                    flat.extend([a, b]);
                    weights.push(p.weight);
                }
            }
            (flat, weights)
        };
        let (seam_pairs, seam_weights) = pairs(&r.seam_edges);
        let (cochange_pairs, cochange_weights) = pairs(&r.co_change_weights);
        let mut call_symbols = Interner::new();
        let mut calls = Vec::with_capacity(r.symbol_calls.len() * 4);
        for c in &r.symbol_calls {
            if let (Some(&from), Some(&to)) = (
                unit_index.get(c.from.as_str()),
                unit_index.get(c.to.as_str()),
            ) {
                calls.extend([from, to, call_symbols.get(&c.symbol), c.count]);
            }
        }
        let unit_authors = if r.units.iter().any(|u| !u.author_ids.is_empty()) {
            r.units.iter().map(|u| u.author_ids.as_slice()).collect()
        } else {
            Vec::new()
        };
        let generated = (0..r.units.len() as u32)
            .filter(|&u| r.units[u as usize].generated)
            .collect();
        let fk_index: std::collections::BTreeMap<&super::ForeignKeyRow, u32> = r
            .foreign_keys
            .iter()
            .enumerate()
            .map(|(i, f)| (f, i as u32))
            .collect();
        Embedded {
            generated,
            metrics: &r.metrics,
            seam_pairs,
            seam_weights,
            cochange_pairs,
            cochange_weights,
            calls,
            call_symbols: call_symbols.names,
            unit_authors,
            unit_fields: UNIT_FIELDS,
            units,
            languages: languages.names,
            roles: roles.names,
            service_ids: service_ids.names,
            kinds: kinds.names,
            deps,
            services: r
                .services
                .iter()
                .map(|s| EmbeddedService {
                    id: &s.id,
                    name: &s.name,
                    rank: s.rank,
                    score: s.score,
                    lines: s.lines,
                    words: &s.words,
                    package: &s.package,
                    cohesion: s.cohesion,
                    coupling: s.coupling,
                    interface_size: s.interface_size,
                    churn_share: s.churn_share,
                    cochange_leakage: s.cochange_leakage,
                    confidence: s.confidence,
                    signals: &s.signals,
                    extraction: &s.extraction,
                    cap: &s.cap,
                    members: s.members.iter().map(|m| unit_ref(m)).collect(),
                })
                .collect(),
            shared_kernel: r.shared_kernel.iter().map(|m| unit_ref(m)).collect(),
            service_deps: r
                .service_dependencies
                .iter()
                .map(|d| (d.from.as_str(), d.to.as_str(), d.count, d.calls))
                .collect(),
            cochange: r
                .cochange
                .iter()
                .map(|c| {
                    (
                        unit_ref(&c.a),
                        unit_ref(&c.b),
                        c.shared,
                        c.degree,
                        c.revs_a,
                        c.revs_b,
                        c.confidence_ab,
                        c.confidence_ba,
                        c.kind.as_str(),
                        c.service_a.as_deref(),
                        c.service_b.as_deref(),
                    )
                })
                .collect(),
            hotspots: r
                .hotspots
                .iter()
                .map(|h| {
                    (
                        unit_ref(&h.unit),
                        h.commits,
                        h.complexity,
                        h.score,
                        h.service.as_deref(),
                    )
                })
                .collect(),
            entities: r
                .entities
                .iter()
                .map(|e| EmbeddedEntity {
                    table: &e.table,
                    entity: e.entity.as_deref(),
                    unit: e.unit.as_deref().map(unit_ref),
                    service: e.service.as_deref(),
                    owner: e.owner.as_deref(),
                    readers: &e.readers,
                    writers: &e.writers,
                    conflicts: e
                        .conflicts
                        .iter()
                        .map(|c| (c.service.as_str(), c.kind.as_str()))
                        .collect(),
                    sites: e
                        .sites
                        .iter()
                        .map(|x| {
                            (
                                unit_ref(&x.unit),
                                x.symbol.as_str(),
                                x.line,
                                x.access.as_str(),
                                x.via.as_str(),
                                x.service.as_deref(),
                            )
                        })
                        .collect(),
                    tx: e.written_in_transaction,
                    hints: &e.hints,
                })
                .collect(),
            endpoints: r
                .endpoints
                .iter()
                .map(|e| {
                    (
                        e.method.as_str(),
                        e.path.as_str(),
                        e.handler.as_str(),
                        unit_ref(&e.unit),
                        e.line,
                        e.service.as_deref(),
                    )
                })
                .collect(),
            transactions: r
                .transactions
                .iter()
                .enumerate()
                .map(|(i, t)| EmbeddedTransaction {
                    reach: r
                        .transaction_reach
                        .get(i)
                        .map(|units| units.iter().map(|u| unit_ref(u)).collect()),
                    unit: unit_ref(&t.unit),
                    symbol: &t.symbol,
                    line: t.line,
                    service: t.service.as_deref(),
                    services: &t.services,
                    saga: t.saga,
                    paths: t
                        .paths
                        .iter()
                        .map(|p| {
                            p.iter()
                                .map(|c| {
                                    (unit_ref(&c.unit), c.symbol.as_str(), c.service.as_deref())
                                })
                                .collect()
                        })
                        .collect(),
                })
                .collect(),
            plan: r
                .plan
                .iter()
                .map(|p| EmbeddedStep {
                    service: &p.service,
                    step: p.step,
                    score: p.score,
                    routes: p
                        .routes
                        .iter()
                        .filter_map(|route| {
                            r.endpoints
                                .iter()
                                .position(|e| e == route)
                                .map(|i| i as u32)
                        })
                        .collect(),
                    api: p
                        .api
                        .iter()
                        .map(|o| {
                            (
                                o.symbol.as_str(),
                                unit_ref(&o.unit),
                                o.call_sites
                                    .iter()
                                    .map(|c| {
                                        (
                                            unit_ref(&c.unit),
                                            c.symbol.as_str(),
                                            c.line,
                                            c.service.as_deref(),
                                        )
                                    })
                                    .collect(),
                            )
                        })
                        .collect(),
                    data: p
                        .data
                        .iter()
                        .map(|d| {
                            (
                                d.table.as_str(),
                                d.action.as_str(),
                                d.owner.as_deref(),
                                d.others.as_slice(),
                            )
                        })
                        .collect(),
                    sagas: &p.sagas,
                    dependents: p
                        .dependents
                        .iter()
                        .map(|d| (unit_ref(&d.unit), d.service.as_deref(), d.calls))
                        .collect(),
                    fks: p
                        .foreign_keys
                        .iter()
                        .filter_map(|f| fk_index.get(f).copied())
                        .collect(),
                })
                .collect(),
            foreign_keys: r
                .foreign_keys
                .iter()
                .map(|f| {
                    (
                        f.table.as_str(),
                        f.columns.as_slice(),
                        f.references.as_str(),
                        f.ref_columns.as_slice(),
                        f.name.as_deref(),
                        f.source.as_str(),
                        f.table_owner.as_deref(),
                        f.references_owner.as_deref(),
                        f.crosses,
                    )
                })
                .collect(),
            trend: &r.trend,
            history: r.history.is_some(),
            benefit_basis: &r.benefit_basis,
        }
    }
}

/// The CSP source for an inline element: `sha256-` and the base64 of the
/// SHA-256 of its exact text.
fn csp_hash(text: &str) -> String {
    format!("sha256-{}", base64(&sha256(text.as_bytes())))
}

/// SHA-256 (FIPS 180-4); small enough to own, and it saves a dependency for
/// two hashes per report.
fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in msg.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 32];
    for (chunk, word) in out.chunks_exact_mut(4).zip(h) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// Standard base64 with padding (RFC 4648), as CSP hashes are written.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_the_standard_vectors() {
        assert_eq!(
            csp_hash(""),
            "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
        assert_eq!(
            csp_hash("abc"),
            "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
        );
        // Two blocks: the 56-byte message of FIPS 180-4 (checked with openssl).
        assert_eq!(
            base64(&sha256(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "JI1qYdIGOLjlwCaTDD5gOaM85Flk/yFn9uzt1BnbBsE="
        );
    }

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
    }

    #[test]
    fn embedded_json_cannot_close_the_script() {
        let j = script_json(&["</script><!--", "a&b", "\u{2028}\u{2029}"]).0;
        assert_eq!(
            j,
            r#"["\u003c/script\u003e\u003c!--","a\u0026b","\u2028\u2029"]"#
        );
        let back: Vec<String> = serde_json::from_str(&j).unwrap();
        assert_eq!(back[0], "</script><!--");
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(int(0), "0");
        assert_eq!(int(999), "999");
        assert_eq!(int(1000), "1,000");
        assert_eq!(int(1234567), "1,234,567");
    }
}
