//! The seam graph: one weighted, undirected edge per pair of units that
//! belong together, combining five signals.
//!
//! `w = a·structural + b·cochange + c·semantic + d·ownership + e·namespace`,
//! each term in [0, 1] (docs/metrics.md, "Seam graph"). Structural
//! references are damped by the target's fan-in, so widely used units do not
//! glue domains together; units sharing a domain stem are semantically
//! equal. Every edge keeps its terms so the report can say which signals
//! hold a service together.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::resolve::EdgeKind;

/// Weights of the five signals. Defaults are documented with the
/// measurement that chose them in docs/metrics.md.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SignalWeights {
    pub structural: f64,
    pub cochange: f64,
    pub semantic: f64,
    pub ownership: f64,
    pub namespace: f64,
}

impl Default for SignalWeights {
    fn default() -> Self {
        SignalWeights {
            structural: 1.0,
            cochange: 0.6,
            semantic: 0.4,
            ownership: 0.2,
            namespace: 0.5,
        }
    }
}

/// How much one reference of each kind counts in the structural term: a
/// call or an inheritance ties two files tighter than an import line or a
/// type mention, which usually come with them anyway.
pub fn kind_weight(kind: EdgeKind) -> f64 {
    match kind {
        EdgeKind::Call | EdgeKind::Inherit | EdgeKind::Data => 1.0,
        EdgeKind::TypeUse => 0.5,
        EdgeKind::Import => 0.25,
    }
}

/// Per-unit inputs, indexed by the clustered units' positions (0..n).
pub struct SignalInput<'a> {
    pub n: usize,
    /// Directed references (a, b, kind, count) between clustered units.
    pub dependencies: &'a [(u32, u32, EdgeKind, u32)],
    /// Co-change (a, b, weight = Σ 1/(n−1)).
    pub cochange: &'a [(u32, u32, f64)],
    /// Identifier words per unit (already split and lower-cased).
    pub words: &'a [Vec<String>],
    /// Human authors per unit.
    pub authors: &'a [BTreeSet<String>],
    /// Domain stem per unit (`crate::seams::roles::domain_stem`).
    pub stems: &'a [Option<String>],
    /// Namespace term per unit pair (a < b), already in [0, 1].
    pub namespace: &'a [(u32, u32, f64)],
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SeamEdge {
    pub a: u32,
    pub b: u32,
    pub structural: f64,
    pub cochange: f64,
    pub semantic: f64,
    pub ownership: f64,
    pub namespace: f64,
    pub weight: f64,
}

/// Semantic neighbours kept per unit: the similarity matrix is dense in
/// principle, and only the closest pairs carry information.
const SEMANTIC_NEIGHBORS: usize = 8;
/// Below this cosine similarity two vocabularies are not taken as related.
const SEMANTIC_MIN: f64 = 0.2;

/// Builds the seam graph. Output edges are sorted by (a, b) with a < b.
pub fn seam_graph(input: &SignalInput, w: &SignalWeights) -> Vec<SeamEdge> {
    let mut edges: BTreeMap<(u32, u32), SeamEdge> = BTreeMap::new();
    let key = |a: u32, b: u32| if a < b { (a, b) } else { (b, a) };

    // Structural: damped, weighted reference counts, both directions
    // summed, scaled by log1p against the largest pair so one huge pair
    // does not flatten the rest.
    let raw = structural_raw(input.n, input.dependencies);
    let max = raw.values().copied().fold(0.0, f64::max);
    for (k, v) in raw {
        edges.entry(k).or_default().structural = log_scale(v, max);
    }

    let max = input.cochange.iter().map(|c| c.2).fold(0.0, f64::max);
    for &(a, b, weight) in input.cochange {
        if a != b && weight > 0.0 {
            edges.entry(key(a, b)).or_default().cochange = log_scale(weight, max);
        }
    }

    for (a, b, sim) in semantic_pairs(input.words) {
        edges.entry(key(a, b)).or_default().semantic = sim;
    }
    for (a, b) in stem_pairs(input.stems) {
        edges.entry((a, b)).or_default().semantic = 1.0;
    }
    for &(a, b, v) in input.namespace {
        if a != b && v > 0.0 {
            edges.entry(key(a, b)).or_default().namespace = v;
        }
    }

    // Ownership modulates existing ties and never creates one: the same
    // people often work across domains.
    for (&(a, b), e) in edges.iter_mut() {
        e.a = a;
        e.b = b;
        e.ownership = jaccard(&input.authors[a as usize], &input.authors[b as usize]);
        e.weight = w.structural * e.structural
            + w.cochange * e.cochange
            + w.semantic * e.semantic
            + w.ownership * e.ownership
            + w.namespace * e.namespace;
    }
    edges.into_values().filter(|e| e.weight > 0.0).collect()
}

/// Hub damping of a reference into a unit with `fan_in` distinct
/// dependents among `n` units: `ln((1 + n) / (1 + fan_in)) / ln(1 + n)`,
/// an inverse document frequency in [0, 1) (docs/metrics.md).
pub fn hub_damping(fan_in: usize, n: usize) -> f64 {
    if n == 0 {
        return 0.0;
    }
    (((1 + n) as f64 / (1 + fan_in) as f64).ln() / ((1 + n) as f64).ln()).clamp(0.0, 1.0)
}

/// Per unordered pair (a < b): Σ kind_weight · count · damping(target) over
/// the references between a and b in both directions.
pub fn structural_raw(
    n: usize,
    dependencies: &[(u32, u32, EdgeKind, u32)],
) -> HashMap<(u32, u32), f64> {
    let mut dependents: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); n];
    for &(a, b, _, _) in dependencies {
        if a != b {
            dependents[b as usize].insert(a);
        }
    }
    let damping: Vec<f64> = dependents.iter().map(|d| hub_damping(d.len(), n)).collect();
    let mut raw: HashMap<(u32, u32), f64> = HashMap::new();
    for &(a, b, kind, count) in dependencies {
        if a != b {
            let k = if a < b { (a, b) } else { (b, a) };
            *raw.entry(k).or_default() += kind_weight(kind) * count as f64 * damping[b as usize];
        }
    }
    raw.retain(|_, v| *v > 0.0);
    raw
}

/// Stem groups larger than this are too common to say anything (a stem
/// shared by a hundred units is a word of the whole code base).
const STEM_GROUP_MAX: usize = 40;

/// Pairs of units (a < b) with the same domain stem.
fn stem_pairs(stems: &[Option<String>]) -> Vec<(u32, u32)> {
    let mut groups: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (u, s) in stems.iter().enumerate() {
        if let Some(s) = s {
            groups.entry(s.as_str()).or_default().push(u as u32);
        }
    }
    let mut out = Vec::new();
    for members in groups.values().filter(|m| m.len() <= STEM_GROUP_MAX) {
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                out.push((a, b));
            }
        }
    }
    out
}

fn log_scale(v: f64, max: f64) -> f64 {
    if max <= 0.0 {
        0.0
    } else {
        (v.ln_1p() / max.ln_1p()).clamp(0.0, 1.0)
    }
}

fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let inter = a.intersection(b).count();
    inter as f64 / (a.len() + b.len() - inter) as f64
}

/// TF-IDF vectors of the units' words, L2-normalised.
pub fn tfidf(words: &[Vec<String>]) -> Vec<Vec<(u32, f64)>> {
    let mut vocab: BTreeMap<&str, u32> = BTreeMap::new();
    for ws in words {
        for w in ws {
            let next = vocab.len() as u32;
            vocab.entry(w.as_str()).or_insert(next);
        }
    }
    let mut df = vec![0u32; vocab.len()];
    let docs: Vec<BTreeMap<u32, u32>> = words
        .iter()
        .map(|ws| {
            let mut tf = BTreeMap::new();
            for w in ws {
                *tf.entry(vocab[w.as_str()]).or_insert(0) += 1;
            }
            for t in tf.keys() {
                df[*t as usize] += 1;
            }
            tf
        })
        .collect();
    let n = words.len() as f64;
    docs.into_iter()
        .map(|tf| {
            let mut v: Vec<(u32, f64)> = tf
                .into_iter()
                .map(|(t, c)| {
                    // Smoothed idf, as scikit-learn: ln((1+n)/(1+df)) + 1.
                    let idf = ((1.0 + n) / (1.0 + df[t as usize] as f64)).ln() + 1.0;
                    (t, (1.0 + (c as f64).ln()) * idf)
                })
                .collect();
            let norm = v.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
            if norm > 0.0 {
                for (_, x) in &mut v {
                    *x /= norm;
                }
            }
            v
        })
        .collect()
}

/// The closest semantic neighbours of every unit, by cosine similarity of
/// TF-IDF vectors, through an inverted index. Words found in more than a
/// tenth of the units are skipped there: their idf is low and their posting
/// lists would make the search quadratic.
pub fn semantic_pairs(words: &[Vec<String>]) -> Vec<(u32, u32, f64)> {
    let vectors = tfidf(words);
    let n = vectors.len();
    let mut postings: HashMap<u32, Vec<(u32, f64)>> = HashMap::new();
    for (i, v) in vectors.iter().enumerate() {
        for &(t, x) in v {
            postings.entry(t).or_default().push((i as u32, x));
        }
    }
    let cap = (n / 10).max(20);
    let mut pairs: BTreeMap<(u32, u32), f64> = BTreeMap::new();
    let mut acc: HashMap<u32, f64> = HashMap::new();
    for (i, v) in vectors.iter().enumerate() {
        acc.clear();
        for &(t, x) in v {
            let list = &postings[&t];
            if list.len() > cap {
                continue;
            }
            for &(j, y) in list {
                if j as usize != i {
                    *acc.entry(j).or_default() += x * y;
                }
            }
        }
        let mut best: Vec<(u32, f64)> = acc
            .iter()
            .map(|(&j, &s)| (j, s))
            .filter(|&(_, s)| s >= SEMANTIC_MIN)
            .collect();
        best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        for (j, s) in best.into_iter().take(SEMANTIC_NEIGHBORS) {
            let k = if (i as u32) < j {
                (i as u32, j)
            } else {
                (j, i as u32)
            };
            let s = crate::numeric::round6(s.min(1.0));
            pairs.insert(k, s);
        }
    }
    pairs.into_iter().map(|((a, b), s)| (a, b, s)).collect()
}

/// Words that say nothing about a domain: English glue, Java keywords and
/// the vocabulary of layering and plumbing.
const STOP_WORDS: &[&str] = &[
    "a",
    "an",
    "and",
    "the",
    "of",
    "to",
    "in",
    "for",
    "on",
    "by",
    "with",
    "from",
    "is",
    "as",
    "at",
    "or",
    "if",
    "be",
    "it",
    "this",
    "that",
    "all",
    "new",
    "get",
    "set",
    "is",
    "has",
    "add",
    "remove",
    "put",
    "find",
    "create",
    "update",
    "delete",
    "save",
    "load",
    "build",
    "builder",
    "to",
    "of",
    "with",
    "by",
    "java",
    "com",
    "org",
    "net",
    "io",
    "src",
    "main",
    "test",
    "tests",
    "impl",
    "service",
    "services",
    "controller",
    "repository",
    "repo",
    "dao",
    "dto",
    "util",
    "utils",
    "helper",
    "helpers",
    "manager",
    "factory",
    "handler",
    "config",
    "configuration",
    "exception",
    "error",
    "abstract",
    "base",
    "default",
    "api",
    "web",
    "model",
    "models",
    "domain",
    "entity",
    "request",
    "response",
    "value",
    "values",
    "type",
    "types",
    "id",
    "ids",
    "name",
    "list",
    "map",
    "string",
    "int",
    "long",
    "boolean",
    "void",
    "object",
    "class",
    "interface",
    "enum",
    "public",
    "private",
    "protected",
    "static",
    "final",
    "return",
    "init",
    "equals",
    "hash",
    "code",
    "hashcode",
    "tostring",
    "of",
    "from",
    "view",
    "data",
    "info",
    "item",
    "items",
    "result",
    "results",
    "status",
    "common",
];

/// Splits identifiers into lower-case words (camelCase, snake_case,
/// digits), dropping stop words and one-letter words.
pub fn split_words(identifier: &str, out: &mut Vec<String>) {
    let mut word = String::new();
    let mut prev_lower = false;
    let flush = |word: &mut String, out: &mut Vec<String>| {
        if word.len() > 1 {
            let w = word.to_lowercase();
            if !STOP_WORDS.contains(&w.as_str()) && !crate::seams::roles::is_role_word(&w) {
                out.push(w);
            }
        }
        word.clear();
    };
    let chars: Vec<char> = identifier.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphabetic() {
            flush(&mut word, out);
            prev_lower = false;
            continue;
        }
        let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
        if c.is_uppercase() && (prev_lower || (next_lower && !word.is_empty())) {
            flush(&mut word, out);
        }
        word.push(c);
        prev_lower = c.is_lowercase();
    }
    flush(&mut word, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        let mut out = Vec::new();
        split_words(s, &mut out);
        out
    }

    #[test]
    fn splits_identifiers() {
        assert_eq!(words("OrderLineDao"), vec!["order", "line"]);
        // `http` is a role prefix (src/seams/roles.rs), `error` a stop word.
        assert_eq!(words("HTTPServerError"), vec!["server"]);
        assert_eq!(words("PatientValidator"), vec!["patient"]);
        assert_eq!(
            words("loyalty_points_writer"),
            vec!["loyalty", "points", "writer"]
        );
        assert_eq!(words("getX2Value"), Vec::<String>::new());
    }

    #[test]
    fn jaccard_is_intersection_over_union() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<BTreeSet<_>>();
        assert_eq!(jaccard(&s(&["a", "b"]), &s(&["b", "c"])), 1.0 / 3.0);
        assert_eq!(jaccard(&s(&["a"]), &s(&["a"])), 1.0);
        assert_eq!(jaccard(&s(&[]), &s(&["a"])), 0.0);
    }

    #[test]
    fn semantic_pairs_find_shared_vocabulary() {
        let docs: Vec<Vec<String>> = vec![
            words("orderLine orderTotal invoice"),
            words("orderLine invoice shipment"),
            words("customer loyalty points"),
            words("loyalty points tier customer"),
        ];
        let pairs = semantic_pairs(&docs);
        let ids: Vec<(u32, u32)> = pairs.iter().map(|p| (p.0, p.1)).collect();
        assert_eq!(ids, vec![(0, 1), (2, 3)]);
        assert!(pairs.iter().all(|p| p.2 > 0.5 && p.2 <= 1.0));
    }

    #[test]
    fn seam_graph_combines_terms() {
        let deps = [
            (0, 1, EdgeKind::Call, 3),
            (1, 0, EdgeKind::Import, 1),
            (1, 2, EdgeKind::Call, 1),
        ];
        let cc = [(0, 1, 2.0), (1, 2, 0.5)];
        let words: Vec<Vec<String>> = vec![vec![], vec![], vec![]];
        let authors: Vec<BTreeSet<String>> = vec![
            ["ann".to_string()].into(),
            ["ann".to_string()].into(),
            ["bob".to_string()].into(),
        ];
        let g = seam_graph(
            &SignalInput {
                n: 3,
                dependencies: &deps,
                cochange: &cc,
                words: &words,
                authors: &authors,
                stems: &[None, None, None],
                namespace: &[],
            },
            &SignalWeights::default(),
        );
        assert_eq!(g.len(), 2);
        assert_eq!((g[0].a, g[0].b), (0, 1));
        assert_eq!(g[0].structural, 1.0);
        assert_eq!(g[0].cochange, 1.0);
        assert_eq!(g[0].ownership, 1.0);
        assert_eq!(g[0].weight, 1.0 + 0.6 + 0.2);
        // Every unit has one dependent among three: damping ln(4/2)/ln(4)
        // = 0.5. Pair (0, 1): (3 calls + 0.25 import) · 0.5 = 1.625; pair
        // (1, 2): 1 call · 0.5 = 0.5, on the log scale against 1.625.
        assert!((g[1].structural - 1.5f64.ln() / 2.625f64.ln()).abs() < 1e-12);
        assert_eq!(g[1].ownership, 0.0);
    }

    #[test]
    fn hub_damping_is_an_inverse_document_frequency() {
        // One dependent among 9 units: ln(10/2)/ln(10).
        assert!((hub_damping(1, 9) - 5f64.ln() / 10f64.ln()).abs() < 1e-12);
        // Used by every unit: ln(10/10) = 0.
        assert_eq!(hub_damping(9, 9), 0.0);
        assert!(hub_damping(2, 100) > hub_damping(50, 100));
    }
}
