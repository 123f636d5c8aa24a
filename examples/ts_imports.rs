//! The first hop of every TypeScript/JavaScript import of a tree, as
//! import-graph tools (dependency-cruiser) report it: one
//! `from<TAB>to<TAB>erased` line per file pair, repo-relative, sorted
//! (`erased`: a type-only import). Used to compare module resolution with
//! such a tool (docs/typescript.md, "On real code").
//!
//! With `--specifiers`, one `from<TAB>specifier<TAB>target` line per
//! import statement instead (`target`: a file, `external` or
//! `unresolved`), to compare resolution specifier by specifier.
//!
//! `cargo run --release --example ts_imports -- PATH [--specifiers] > ours.tsv`

use std::path::PathBuf;

use decompose::discover::{self, DiscoverOptions};
use decompose::lang::{self, Language, ParsedFile};
use rayon::prelude::*;

fn main() {
    let specifiers = std::env::args().any(|a| a == "--specifiers");
    let Some(root) = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
    else {
        eprintln!("usage: ts_imports PATH");
        std::process::exit(2);
    };
    let found = discover::discover(
        &root,
        &DiscoverOptions {
            languages: vec![Language::TypeScript, Language::JavaScript],
            excludes: Vec::new(),
        },
    )
    .unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let files: Vec<ParsedFile> = found
        .files
        .par_iter()
        .filter_map(|f| {
            let text = String::from_utf8_lossy(&std::fs::read(&f.path).ok()?).into_owned();
            let frontend = lang::frontend(f.language)?;
            Some(ParsedFile {
                id: f.id.clone(),
                language: f.language,
                test: f.test,
                facts: frontend.parse(&f.id, &text),
            })
        })
        .collect();
    let manifests = discover::node_manifests(&root, &found.files);
    let skipped = found.skipped.len();
    eprintln!(
        "{} files, {} skipped, {} manifests",
        files.len(),
        skipped,
        manifests.len()
    );
    if specifiers {
        use lang::typescript::resolve::{Index, Target};
        let ids: Vec<u32> = (0..files.len() as u32).collect();
        let index = Index::build(&files, &ids, &manifests);
        for (f, file) in files.iter().enumerate() {
            let Some(ts) = file.facts.typescript.as_deref() else {
                continue;
            };
            for imp in &ts.imports {
                let target = match index.target(f as u32, &imp.specifier) {
                    Target::File(t) => files[t as usize].id.clone(),
                    Target::External => "external".into(),
                    Target::Unresolved => "unresolved".into(),
                };
                println!("{}\t{}\t{}", file.id, imp.specifier, target);
            }
        }
        return;
    }
    for (from, to, erased) in lang::typescript::resolve::module_edges(&files, &manifests) {
        println!(
            "{}\t{}\t{}",
            files[from as usize].id, files[to as usize].id, erased
        );
    }
}
