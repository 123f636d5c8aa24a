//! The TypeScript/JavaScript frontend and the manifest reader never panic,
//! whatever the bytes: facts or a diagnostic, under all three grammars; a
//! tsconfig, package.json or pnpm-workspace.yaml read or reported.
#![no_main]

use decompose::lang::typescript::{parse_file, project::NodeProject};
use decompose::lang::Language;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for (language, path) in [
        (Language::TypeScript, "src/fuzz.ts"),
        (Language::TypeScript, "src/fuzz.tsx"),
        (Language::JavaScript, "src/fuzz.js"),
    ] {
        let facts = parse_file(language, path, &text);
        // Facts stay consistent: owners, parents, scopes and routes point
        // at what the file declares.
        for f in &facts.functions {
            if let Some(o) = f.owner {
                assert!((o as usize) < facts.types.len());
            }
        }
        for t in &facts.types {
            if let Some(p) = t.parent {
                assert!((p as usize) < facts.types.len());
            }
        }
        let ts = facts.typescript.as_deref().expect("TS facts");
        assert_eq!(ts.route_routers.len(), facts.routes.len());
        for r in &facts.routes {
            if let Some(f) = r.function {
                assert!((f as usize) < facts.functions.len());
            }
        }
        for tx in &facts.tx_scopes {
            assert!((tx.function as usize) < facts.functions.len());
        }
        if let Some(m) = ts.module_function {
            assert!((m as usize) < facts.functions.len());
        }
    }
    // The same text as each manifest: read, or one problem per file.
    let manifests: Vec<(String, String)> = ["tsconfig.json", "package.json", "pnpm-workspace.yaml"]
        .iter()
        .map(|n| (n.to_string(), text.to_string()))
        .collect();
    let p = NodeProject::read(&manifests);
    assert!(p.problems.len() <= 3);
});
