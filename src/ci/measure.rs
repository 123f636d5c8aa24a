//! Measuring a code structure against declared seams: which unit belongs
//! where, which dependencies cross a seam (with the line of every
//! reference), how much co-change crosses seams, and the seam metrics of
//! docs/metrics.md ("CI seam metrics").

use std::collections::BTreeMap;

use crate::ci::config::Config;
use crate::graph::Structure;
use crate::history::History;
use crate::numeric::round6;
use crate::report::SeamMetrics;
use crate::resolve::EdgeKind;

/// One dependency crossing from one seam into another.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossDependency {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    pub from_seam: String,
    pub to_seam: String,
    /// References aggregated in it.
    pub count: u32,
    /// Lines of those references in `from`, sorted; empty when the
    /// frontend gives none.
    pub lines: Vec<u32>,
    /// The target seam is a shared kernel (allowed by default, not
    /// ratcheted; rules still apply).
    pub into_kernel: bool,
}

/// Cross-seam co-change (docs/metrics.md, "CI seam metrics").
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CoChangeFigure {
    /// Σ weight of pairs in two different seams / Σ weight of pairs whose
    /// units both sit in non-kernel seams; `None` without co-change.
    pub share: Option<f64>,
    /// Σ weight per seam pair (names sorted), rounded to 6 decimals.
    pub pairs: Vec<(String, String, f64)>,
    pub commits: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Measured {
    /// Seam index per unit of the structure; `None` for unassigned units and
    /// for units not considered (tests without `include_tests`).
    pub seam_of: Vec<Option<usize>>,
    pub considered: Vec<bool>,
    /// Units per seam, in declaration order.
    pub seam_units: Vec<u32>,
    /// Considered units matching no seam, sorted.
    pub unassigned: Vec<String>,
    /// Sorted by (from, to, kind name), as the baseline is.
    pub cross: Vec<CrossDependency>,
    pub metrics: SeamMetrics,
}

/// Assigns units and measures dependencies; no history needed.
pub fn measure(cfg: &Config, s: &Structure) -> Measured {
    let n = s.files.len();
    let considered: Vec<bool> = s
        .files
        .iter()
        .map(|f| cfg.analysis.include_tests || !f.test)
        .collect();
    let seam_of: Vec<Option<usize>> = s
        .files
        .iter()
        .zip(&considered)
        .map(|(f, &c)| if c { cfg.seam_of(&f.id) } else { None })
        .collect();
    let mut seam_units = vec![0u32; cfg.seams.len()];
    for k in seam_of.iter().flatten() {
        seam_units[*k] += 1;
    }
    let unassigned: Vec<String> = (0..n)
        .filter(|&u| considered[u] && seam_of[u].is_none())
        .map(|u| s.files[u].id.clone())
        .collect();

    // Lines per (from, to, kind), from the sorted sites.
    let mut lines: BTreeMap<(u32, u32, EdgeKind), Vec<u32>> = BTreeMap::new();
    let mut cross = Vec::new();
    let mut m = SeamMetrics {
        units: considered.iter().filter(|&&c| c).count() as u32,
        assigned_units: seam_of.iter().filter(|s| s.is_some()).count() as u32,
        lines: (0..n)
            .filter(|&u| considered[u])
            .map(|u| s.files[u].facts.code_lines as u64)
            .sum(),
        ..SeamMetrics::default()
    };
    let is_cross = |from: u32, to: u32| -> Option<(usize, usize)> {
        match (seam_of[from as usize], seam_of[to as usize]) {
            (Some(a), Some(b)) if a != b => Some((a, b)),
            _ => None,
        }
    };
    for site in &s.sites {
        if is_cross(site.from, site.to).is_some() {
            lines
                .entry((site.from, site.to, site.kind))
                .or_default()
                .push(site.line);
        }
    }
    let (mut calls_all, mut calls_across) = (0u64, 0u64);
    let mut weight: BTreeMap<(u32, u32), f64> = BTreeMap::new();
    for d in &s.graph.dependencies {
        if !(considered[d.from as usize] && considered[d.to as usize]) {
            continue;
        }
        m.dependencies += 1;
        let (Some(a), Some(b)) = (seam_of[d.from as usize], seam_of[d.to as usize]) else {
            continue;
        };
        *weight
            .entry((d.from.min(d.to), d.from.max(d.to)))
            .or_default() += d.count as f64;
        if d.kind == EdgeKind::Call {
            calls_all += d.count as u64;
            if a != b {
                calls_across += d.count as u64;
            }
        }
        if a == b {
            continue;
        }
        let into_kernel = cfg.seams[b].kernel;
        if !into_kernel {
            m.cross_seam_dependencies += 1;
            m.cross_seam_references += d.count;
        }
        let mut l = lines.remove(&(d.from, d.to, d.kind)).unwrap_or_default();
        l.sort_unstable();
        l.dedup();
        cross.push(CrossDependency {
            from: s.files[d.from as usize].id.clone(),
            to: s.files[d.to as usize].id.clone(),
            kind: d.kind,
            from_seam: cfg.seams[a].name.clone(),
            to_seam: cfg.seams[b].name.clone(),
            count: d.count,
            lines: l,
            into_kernel,
        });
    }
    // The baseline's order: kinds by name.
    cross.sort_by(|x, y| (&x.from, &x.to, x.kind.name()).cmp(&(&y.from, &y.to, y.kind.name())));
    m.icp = if calls_all > 0 {
        round6(calls_across as f64 / calls_all as f64)
    } else {
        0.0
    };
    m.modularity = round6(modularity(&weight, &seam_of, cfg.seams.len()));
    Measured {
        seam_of,
        considered,
        seam_units,
        unassigned,
        cross,
        metrics: m,
    }
}

/// Newman's Q = Σ_c [ L_c / m − (d_c / 2m)² ] over the undirected graph
/// whose edge weight is the sum of dependency counts between two units
/// (both directions, all kinds); 0 for a graph without edges.
fn modularity(weight: &BTreeMap<(u32, u32), f64>, seam_of: &[Option<usize>], k: usize) -> f64 {
    let mut m = 0.0;
    let mut inside = vec![0.0; k];
    let mut degree = vec![0.0; k];
    for (&(a, b), &w) in weight {
        let (sa, sb) = (seam_of[a as usize].unwrap(), seam_of[b as usize].unwrap());
        m += w;
        degree[sa] += w;
        degree[sb] += w;
        if sa == sb {
            inside[sa] += w;
        }
    }
    if m == 0.0 {
        return 0.0;
    }
    (0..k)
        .map(|c| inside[c] / m - (degree[c] / (2.0 * m)).powi(2))
        .sum()
}

/// Cross-seam co-change from mined history, over the units of `s`.
pub fn cochange(cfg: &Config, s: &Structure, measured: &Measured, h: &History) -> CoChangeFigure {
    let index: BTreeMap<&str, usize> = s
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id.as_str(), i))
        .collect();
    let seam = |id: &str| -> Option<usize> {
        let k = measured.seam_of[*index.get(id)?]?;
        (!cfg.seams[k].kernel).then_some(k)
    };
    let (mut all, mut across) = (0.0f64, 0.0f64);
    let mut pairs: BTreeMap<(String, String), f64> = BTreeMap::new();
    for p in &h.pairs {
        let (Some(a), Some(b)) = (seam(&p.a), seam(&p.b)) else {
            continue;
        };
        all += p.weight;
        if a != b {
            across += p.weight;
            let (x, y) = (&cfg.seams[a].name, &cfg.seams[b].name);
            let key = if x <= y {
                (x.clone(), y.clone())
            } else {
                (y.clone(), x.clone())
            };
            *pairs.entry(key).or_default() += p.weight;
        }
    }
    CoChangeFigure {
        share: (all > 0.0).then(|| round6(across / all)),
        pairs: pairs
            .into_iter()
            .map(|((a, b), w)| (a, b, round6(w)))
            .collect(),
        commits: h.commits_analyzed,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::ci::baseline::{Baseline, Key};
    use crate::ci::check::{evaluate, CheckOptions, Rule};
    use crate::graph::CodeGraph;
    use crate::lang::{FileFacts, Language};
    use crate::resolve::{EdgeSite, FileEdge, ParsedFile};

    /// a/A, a/B in seam a; b/C in seam b; k/K in the kernel; t/T test code;
    /// x/U unassigned.
    fn structure() -> Structure {
        let file = |id: &str, test: bool| ParsedFile {
            id: id.into(),
            language: Language::Java,
            test,
            facts: FileFacts {
                code_lines: 10,
                ..FileFacts::default()
            },
        };
        let files = vec![
            file("a/A.java", false),
            file("a/B.java", false),
            file("b/C.java", false),
            file("k/K.java", false),
            file("t/T.java", true),
            file("x/U.java", false),
        ];
        use EdgeKind::*;
        let sites = [
            (0, 1, Call, 5),
            (0, 1, Call, 6),
            (0, 2, Call, 7),
            (0, 2, Import, 3),
            (2, 3, TypeUse, 2),
            (3, 1, Call, 4),
            (4, 0, Call, 9),
            (5, 0, Import, 1),
        ];
        let edges: Vec<FileEdge> = sites
            .iter()
            .map(|&(from, to, kind, _)| FileEdge { from, to, kind })
            .collect();
        Structure {
            graph: CodeGraph::build(files.len(), &edges, Vec::new()),
            files,
            sites: sites
                .iter()
                .map(|&(from, to, kind, line)| EdgeSite {
                    from,
                    to,
                    kind,
                    line,
                })
                .collect(),
            skipped: Vec::new(),
        }
    }

    fn config() -> Config {
        Config::parse(
            Path::new("decompose.toml"),
            "[[seam]]\nname = \"a\"\npaths = [\"a/**\"]\nforbidden = [\"b\"]\n\n\
             [[seam]]\nname = \"b\"\npaths = [\"b/**\"]\n\n\
             [[seam]]\nname = \"k\"\nkernel = true\npaths = [\"k/**\"]\nmay_depend_on = []\n",
        )
        .unwrap()
    }

    #[test]
    fn seam_metrics_by_hand() {
        let m = measure(&config(), &structure());
        assert_eq!(m.seam_units, [2, 1, 1]);
        assert_eq!(m.unassigned, ["x/U.java"]);
        let cross: Vec<(&str, &str, &str, bool, &[u32])> = m
            .cross
            .iter()
            .map(|d| {
                (
                    d.from.as_str(),
                    d.to.as_str(),
                    d.kind.name(),
                    d.into_kernel,
                    d.lines.as_slice(),
                )
            })
            .collect();
        assert_eq!(
            cross,
            [
                ("a/A.java", "b/C.java", "call", false, &[7][..]),
                ("a/A.java", "b/C.java", "import", false, &[3][..]),
                ("b/C.java", "k/K.java", "type_use", true, &[2][..]),
                ("k/K.java", "a/B.java", "call", false, &[4][..]),
            ]
        );
        // Q: weights A-B 2, A-C 2, C-K 1, K-B 1 (m = 6); seam a holds 2 of
        // it with degree 7, b degree 3, k degree 2:
        // 2/6 − (7/12)² − (3/12)² − (2/12)² = −0.097222.
        assert_eq!(
            m.metrics,
            SeamMetrics {
                units: 5,
                assigned_units: 4,
                lines: 50,
                dependencies: 6,
                cross_seam_dependencies: 3,
                cross_seam_references: 3,
                modularity: -0.097222,
                icp: 0.5,
            }
        );
    }

    #[test]
    fn ratchet_and_rules_by_hand() {
        let cfg = config();
        let m = measure(&cfg, &structure());
        let key = |from: &str, to: &str, kind: &str| Key {
            from: from.into(),
            to: to.into(),
            kind: kind.into(),
        };
        let baseline = Baseline::new(
            [
                key("a/A.java", "b/C.java", "import"),
                key("a/B.java", "b/C.java", "import"),
            ]
            .into_iter()
            .collect(),
            None,
        );
        let opts = CheckOptions {
            root: ".".into(),
            config: "decompose.toml".into(),
            baseline: "decompose-baseline.json".into(),
            update_baseline: false,
            accept_new: false,
            history: false,
            quiet: true,
        };
        let r = evaluate(
            &cfg,
            &m,
            &CoChangeFigure::default(),
            Some(&baseline),
            &opts,
            Vec::new(),
        );
        let rules: Vec<Rule> = r.violations.iter().map(|v| v.rule).collect();
        assert_eq!(
            rules,
            [
                Rule::NewCrossSeamDependency,
                Rule::SeamForbidden,
                Rule::SeamForbidden,
                Rule::NewCrossSeamDependency,
                Rule::SeamNotAllowed,
            ]
        );
        assert_eq!(r.stale, [key("a/B.java", "b/C.java", "import")]);
        assert!(!r.ok);
        // Into the kernel: allowed and not ratcheted.
        assert!(r.cross_seam_dependencies.iter().all(|d| d.to != "k/K.java"));
    }

    #[test]
    fn cochange_share_by_hand() {
        let cfg = config();
        let s = structure();
        let m = measure(&cfg, &s);
        let pair = |a: &str, b: &str, weight: f64| crate::history::CoChange {
            a: a.into(),
            b: b.into(),
            shared: 1,
            revs_a: 1,
            revs_b: 1,
            degree: 100.0,
            confidence_ab: 1.0,
            confidence_ba: 1.0,
            weight,
        };
        let h = History {
            head: None,
            commits_analyzed: 9,
            shallow: false,
            skipped_commits: 0,
            partial_commits: 0,
            window: None,
            files: Default::default(),
            pairs: vec![
                pair("a/A.java", "a/B.java", 1.0),
                pair("a/A.java", "b/C.java", 2.0),
                pair("b/C.java", "k/K.java", 5.0),
                pair("x/U.java", "a/A.java", 3.0),
            ],
            warnings: Vec::new(),
        };
        // Kernel and unassigned pairs left out: 2 / (1 + 2).
        let c = cochange(&cfg, &s, &m, &h);
        assert_eq!(c.share, Some(0.666667));
        assert_eq!(c.pairs, [("a".to_string(), "b".to_string(), 2.0)]);
        assert_eq!(c.commits, 9);
    }
}
