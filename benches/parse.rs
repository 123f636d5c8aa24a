//! Parse benchmark: decompose's parse + resolve against the floor, a bare
//! tree-sitter parse of the same files, in the same run.
//!
//! `cargo bench --bench parse -- PATH [--threads N] [--repeat R] [--lang java|python|csharp|typescript|javascript]`
//!
//! Prints files, bytes, code lines, and for each phase the best of R runs
//! with lines per second. Results go to docs/performance.md by hand.

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

use decompose::discover::{discover, DiscoverOptions};
use decompose::lang::{self, Language};
use decompose::resolve::{self, ParsedFile};

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let mut path = None;
    let mut threads = None;
    let mut repeat = 3;
    let mut language = Language::Java;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--threads" => threads = args.next().and_then(|v| v.parse().ok()),
            "--repeat" => repeat = args.next().and_then(|v| v.parse().ok()).unwrap_or(3),
            "--lang" => {
                language = args
                    .next()
                    .and_then(|v| Language::from_name(&v))
                    .unwrap_or(Language::Java)
            }
            _ => path = Some(PathBuf::from(a)),
        }
    }
    let Some(path) = path else {
        eprintln!("usage: cargo bench --bench parse -- PATH [--threads N] [--repeat R]");
        std::process::exit(2);
    };
    if let Some(n) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .unwrap();
    }
    let found = discover(
        &path,
        &DiscoverOptions {
            languages: vec![language],
            excludes: Vec::new(),
        },
    )
    .expect("discover");
    let sources: Vec<(String, String, bool)> = found
        .files
        .iter()
        .map(|f| {
            let bytes = std::fs::read(&f.path).unwrap();
            (
                f.id.clone(),
                String::from_utf8_lossy(&bytes).into_owned(),
                f.test,
            )
        })
        .collect();
    let n_bytes: usize = sources.iter().map(|s| s.1.len()).sum();
    let n_lines: usize = sources.iter().map(|s| s.1.lines().count()).sum();
    println!(
        "files {}  bytes {}  lines {}  threads {}",
        sources.len(),
        n_bytes,
        n_lines,
        rayon::current_num_threads()
    );

    let best = |f: &dyn Fn() -> usize| {
        (0..repeat)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    };

    let bare = best(&|| {
        sources
            .par_iter()
            .map(|(id, src, _)| {
                let mut p = tree_sitter::Parser::new();
                let grammar: tree_sitter::Language = match language {
                    Language::Python => tree_sitter_python::LANGUAGE.into(),
                    Language::CSharp => tree_sitter_c_sharp::LANGUAGE.into(),
                    // `.ts` with the typescript grammar, `.tsx` with tsx.
                    Language::TypeScript => lang::typescript::Dialect::of(id).grammar(),
                    Language::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
                    _ => tree_sitter_java::LANGUAGE.into(),
                };
                p.set_language(&grammar).unwrap();
                p.parse(src, None)
                    .map_or(0, |t| t.root_node().child_count() as usize)
            })
            .sum::<usize>()
    });
    let frontend = lang::frontend(language).unwrap();
    let parse = best(&|| {
        sources
            .par_iter()
            .map(|(id, src, _)| frontend.parse(id, src).functions.len())
            .sum::<usize>()
    });
    let parsed: Vec<ParsedFile> = sources
        .par_iter()
        .map(|(id, src, test)| ParsedFile {
            id: id.clone(),
            language,
            test: *test,
            facts: frontend.parse(id, src),
        })
        .collect();
    // C# resolves within the projects' reach, as `analyze` does.
    let opts = resolve::ResolveOptions {
        dotnet_projects: decompose::discover::dotnet_projects(&path, &found.files),
        node_manifests: decompose::discover::node_manifests(&path, &found.files),
        ..resolve::ResolveOptions::default()
    };
    let resolve = best(&|| resolve::resolve_with(&parsed, &opts).edges.len());

    let report = |name: &str, secs: f64| {
        println!(
            "{name:<28} {secs:>8.3} s  {:>10.0} lines/s  {:>6.1} MB/s",
            n_lines as f64 / secs,
            n_bytes as f64 / secs / 1e6
        );
    };
    report("bare tree-sitter parse", bare);
    report("decompose parse (facts)", parse);
    report("decompose resolve", resolve);
    report("decompose parse + resolve", parse + resolve);
    println!(
        "ratio (parse + resolve) / bare: {:.2}",
        (parse + resolve) / bare
    );
}
