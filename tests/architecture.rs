//! The layering rules of docs/architecture.md, checked on the source: reads
//! every file under `src/` with syn, resolves each `crate::`, `super::`,
//! `self::` and child-module path to the file that defines it, and fails
//! when the orchestrator imports a CI module, when a pipeline stage imports
//! the orchestrator, or when any import circle exists among `src/` files.
//!
//! A file's references to its own ancestors (`super::`, or `crate::` paths
//! into a `mod.rs` above it) are not counted as edges: a folder's `mod.rs`
//! is the facade that declares what its children share, so parent and child
//! are one module seen from outside. Code under `#[cfg(test)]` is skipped.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// One source file: its path relative to `src/` and its module path.
struct Module {
    rel: String,
    path: Vec<String>,
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// `lang/java/mod.rs` → [lang, java]; `lib.rs` and `main.rs` → [].
fn module_path(rel: &str) -> Vec<String> {
    let mut parts: Vec<String> = rel.split('/').map(str::to_string).collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_string());
    }
    parts
}

/// Every `.rs` file under `src/`, with its module path.
fn modules() -> Vec<Module> {
    let root = src();
    let mut files = Vec::new();
    walk(&root, &mut files);
    files
        .iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            Module {
                path: module_path(&rel),
                rel,
            }
        })
        .collect()
}

/// The file that defines the longest prefix of `path` (a module path plus
/// perhaps an item name), among the library's files.
fn file_of(path: &[String], by_path: &BTreeMap<Vec<String>, String>) -> Option<String> {
    (1..=path.len())
        .rev()
        .find_map(|n| by_path.get(&path[..n]).cloned())
}

fn has_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

/// Collects the absolute module paths a file refers to.
struct Refs<'a> {
    /// The module path of the file plus any inline modules we are inside.
    here: Vec<String>,
    /// Modules declared with `mod NAME;` in this file (children).
    children: &'a BTreeSet<String>,
    /// The crate's own name, which `main.rs` uses instead of `crate`.
    crate_alias: Option<&'static str>,
    found: Vec<Vec<String>>,
}

impl Refs<'_> {
    fn absolute(&self, segs: &[String]) -> Option<Vec<String>> {
        let first = segs.first()?;
        if first == "crate" || Some(first.as_str()) == self.crate_alias {
            return Some(segs[1..].to_vec());
        }
        if first == "self" || first == "super" {
            let mut base = self.here.clone();
            let mut rest = segs;
            loop {
                match rest.first().map(String::as_str) {
                    Some("self") => rest = &rest[1..],
                    Some("super") => {
                        base.pop();
                        rest = &rest[1..];
                    }
                    _ => break,
                }
            }
            base.extend_from_slice(rest);
            return Some(base);
        }
        if self.children.contains(first) {
            let mut base = self.here.clone();
            base.extend_from_slice(segs);
            return Some(base);
        }
        None
    }

    fn record(&mut self, segs: Vec<String>) {
        if let Some(p) = self.absolute(&segs) {
            self.found.push(p);
        }
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let mut segs = prefix.clone();
                if n.ident != "self" {
                    segs.push(n.ident.to_string());
                }
                self.record(segs);
            }
            syn::UseTree::Rename(r) => {
                let mut segs = prefix.clone();
                if r.ident != "self" {
                    segs.push(r.ident.to_string());
                }
                self.record(segs);
            }
            syn::UseTree::Glob(_) => self.record(prefix.clone()),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(prefix, t);
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for Refs<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs: &[syn::Attribute] = match item {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Use(u) => &u.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Struct(s) => &s.attrs,
            syn::Item::Enum(e) => &e.attrs,
            syn::Item::Const(c) => &c.attrs,
            syn::Item::Static(s) => &s.attrs,
            _ => &[],
        };
        if has_cfg_test(attrs) {
            return;
        }
        syn::visit::visit_item(self, item);
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if let Some((_, items)) = &m.content {
            self.here.push(m.ident.to_string());
            for item in items {
                self.visit_item(item);
            }
            self.here.pop();
        }
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &u.tree);
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        if p.leading_colon.is_none() && p.segments.len() > 1 {
            let segs = p.segments.iter().map(|s| s.ident.to_string()).collect();
            self.record(segs);
        }
        syn::visit::visit_path(self, p);
    }
}

/// File → files it imports (outside its own ancestors), with one example
/// path per edge for the failure message.
fn import_graph() -> BTreeMap<String, BTreeMap<String, String>> {
    let mods = modules();
    let lib: Vec<&Module> = mods.iter().filter(|m| m.rel != "main.rs").collect();
    let by_path: BTreeMap<Vec<String>, String> = lib
        .iter()
        .map(|m| (m.path.clone(), m.rel.clone()))
        .collect();
    let mut graph = BTreeMap::new();
    for m in &mods {
        let text = std::fs::read_to_string(src().join(&m.rel)).unwrap();
        let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("src/{}: {e}", m.rel));
        let children: BTreeSet<String> = file
            .items
            .iter()
            .filter_map(|i| match i {
                syn::Item::Mod(md) if md.content.is_none() => Some(md.ident.to_string()),
                _ => None,
            })
            .collect();
        let mut refs = Refs {
            here: m.path.clone(),
            children: &children,
            crate_alias: (m.rel == "main.rs").then_some("decompose"),
            found: Vec::new(),
        };
        refs.visit_file(&file);
        let mut edges = BTreeMap::new();
        for p in refs.found {
            // A path into one of this file's own ancestors is the facade.
            if m.path.starts_with(&p) {
                continue;
            }
            let Some(target) = file_of(&p, &by_path) else {
                continue;
            };
            let target_path = module_path(&target);
            if target == m.rel || (m.rel != "main.rs" && m.path.starts_with(&target_path)) {
                continue;
            }
            edges.entry(target).or_insert_with(|| p.join("::"));
        }
        graph.insert(m.rel.clone(), edges);
    }
    graph
}

/// Strongly connected components with more than one file (Tarjan).
fn circles(graph: &BTreeMap<String, BTreeMap<String, String>>) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g BTreeMap<String, BTreeMap<String, String>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph[v].keys() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            loop {
                let w = s.stack.pop().unwrap();
                s.on_stack.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                s.out.push(comp);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out.sort();
    s.out
}

/// The files allowed to call the analysis as a library: the binary, the
/// argument parser (it builds an `AnalyzeConfig`) and the three CI commands.
const ANALYSIS_CALLERS: &[&str] = &[
    "main.rs",
    "cli.rs",
    "ci/check.rs",
    "ci/init.rs",
    "ci/trend.rs",
];

#[test]
fn the_orchestrator_imports_no_ci_module() {
    let graph = import_graph();
    let ci: Vec<_> = graph["analyze.rs"]
        .iter()
        .filter(|(to, _)| to.starts_with("ci/"))
        .collect();
    assert!(ci.is_empty(), "src/analyze.rs imports CI code: {ci:?}");
}

#[test]
fn no_stage_imports_the_orchestrator() {
    let graph = import_graph();
    let offenders: Vec<String> = graph
        .iter()
        .filter(|(from, _)| !ANALYSIS_CALLERS.contains(&from.as_str()) && *from != "analyze.rs")
        .filter_map(|(from, to)| to.get("analyze.rs").map(|p| format!("src/{from} uses {p}")))
        .collect();
    assert!(offenders.is_empty(), "{offenders:#?}");
}

#[test]
fn no_import_circle_among_source_files() {
    let graph = import_graph();
    let found = circles(&graph);
    let described: Vec<String> = found
        .iter()
        .map(|comp| {
            let edges: Vec<String> = comp
                .iter()
                .flat_map(|f| {
                    graph[f]
                        .iter()
                        .filter(|(t, _)| comp.contains(t))
                        .map(move |(t, p)| format!("{f} -> {t} ({p})"))
                })
                .collect();
            edges.join("; ")
        })
        .collect();
    assert!(described.is_empty(), "import circles: {described:#?}");
}

/// The checker itself: it must see a circle and an orchestrator import when
/// they are there, or the three tests above could never fail.
#[test]
fn the_checker_sees_circles_and_edges() {
    let mut g: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (f, t) in [
        ("a.rs", "b.rs"),
        ("b.rs", "c.rs"),
        ("c.rs", "a.rs"),
        ("c.rs", "d.rs"),
    ] {
        g.entry(f.into())
            .or_default()
            .insert(t.into(), format!("{t}::x"));
    }
    g.entry("d.rs".into()).or_default();
    assert_eq!(circles(&g), vec![vec!["a.rs", "b.rs", "c.rs"]]);

    let graph = import_graph();
    // Real edges the resolver must find (a `use crate::…` and a path into a
    // sibling folder).
    assert!(graph["metrics.rs"].contains_key("numeric.rs"));
    assert!(graph["main.rs"].contains_key("analyze.rs"));
    assert!(graph["analyze.rs"].contains_key("metrics.rs"));
    assert_eq!(module_path("lang/java/mod.rs"), vec!["lang", "java"]);
    assert_eq!(module_path("ci/check.rs"), vec!["ci", "check"]);
}

/// The plan stage's source files (`src/plan.rs` or `src/plan/`), without
/// comments.
fn plan_stage_code() -> Vec<(String, String)> {
    let mut files = Vec::new();
    let dir = src().join("plan");
    if dir.is_dir() {
        walk(&dir, &mut files);
    } else {
        files.push(src().join("plan.rs"));
    }
    files
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            let code: Vec<&str> = text
                .lines()
                .map(|l| match l.find("//") {
                    Some(i) => &l[..i],
                    None => l,
                })
                .collect();
            (p.display().to_string(), code.join("\n"))
        })
        .collect()
}

#[test]
fn the_plan_stage_names_no_language_and_no_framework() {
    let mut found = Vec::new();
    // Framework names ("Spring Web", "JAX-RS", "Django", ...).
    let mut words: BTreeSet<String> = BTreeSet::new();
    for row in decompose::frameworks::ROWS {
        words.extend(row.framework.split(" / ").map(|w| w.trim().to_string()));
    }
    for (path, code) in plan_stage_code() {
        for needle in ["Language::", "Language,", "Language}"] {
            if code.contains(needle) {
                found.push(format!("{path}: {needle}"));
            }
        }
        for row in decompose::frameworks::ROWS {
            // SQL statement keywords are the SQL reader's, not a route's.
            if SQL_KEYWORDS.contains(&row.name) {
                continue;
            }
            if !row.name.is_empty() && code.contains(&format!("\"{}\"", row.name)) {
                found.push(format!("{path}: \"{}\"", row.name));
            }
        }
        for w in &words {
            if contains_word(&code, w) {
                found.push(format!("{path}: {w}"));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
    // The check sees a name when it is there.
    assert!(!plan_stage_code().is_empty());
    assert!(words.contains("Spring Web") && words.contains("Django"));
    assert!(contains_word("let x = Django;", "Django"));
    assert!(!contains_word("struct DjangoRow;", "Django"));
}

const SQL_KEYWORDS: &[&str] = &["DELETE"];

/// Whether `needle` occurs in `code` between non-identifier characters.
fn contains_word(code: &str, needle: &str) -> bool {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    code.match_indices(needle).any(|(i, _)| {
        let before = code[..i].chars().next_back();
        let after = code[i + needle.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

/// docs/architecture.md's code map names every file under `src/`: as
/// `` `src/<path>` `` anywhere, or as `` `<rest>` `` inside the section
/// (`### `src/<folder>/`…`) of a folder that holds it.
#[test]
fn the_code_map_names_every_source_file() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/architecture.md"))
            .unwrap();
    let mut sections: Vec<(String, String)> = Vec::new();
    for line in doc.lines() {
        if let Some(head) = line.strip_prefix("### ") {
            let folder = head
                .split('`')
                .nth(1)
                .and_then(|p| p.strip_prefix("src/"))
                .filter(|p| p.ends_with('/'))
                .unwrap_or("");
            sections.push((folder.to_string(), String::new()));
        } else if let Some((_, body)) = sections.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    let named = |rel: &str| {
        doc.contains(&format!("`src/{rel}`"))
            || sections.iter().any(|(folder, body)| {
                !folder.is_empty()
                    && rel
                        .strip_prefix(folder.as_str())
                        .is_some_and(|rest| body.contains(&format!("`{rest}`")))
            })
    };
    let missing: Vec<String> = modules()
        .into_iter()
        .map(|m| m.rel)
        .filter(|rel| !named(rel))
        .collect();
    assert!(
        missing.is_empty(),
        "not in docs/architecture.md's code map: {missing:#?}"
    );
    // The check fails for a file the map does not name.
    assert!(!named("lang/java/nowhere.rs"));
}
