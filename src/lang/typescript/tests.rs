//! Unit tests of the TypeScript/JavaScript frontend and resolver.

use super::*;
use crate::lang::ParsedFile;
use crate::resolve::{EdgeKind, ResolveOptions};

#[test]
fn queries_compile_and_every_capture_is_understood() {
    for d in [Dialect::TypeScript, Dialect::Tsx, Dialect::JavaScript] {
        for (name, known) in capture_names(d) {
            assert!(known, "{d:?}: capture @{name} is not read by the extractor");
        }
    }
}

fn parsed(files: &[(&str, &str)]) -> Vec<ParsedFile> {
    files
        .iter()
        .map(|(id, src)| {
            let language = if id.ends_with(".js") {
                Language::JavaScript
            } else {
                Language::TypeScript
            };
            ParsedFile {
                id: id.to_string(),
                language,
                test: false,
                facts: parse_file(language, id, src),
            }
        })
        .collect()
}

fn edges(files: &[ParsedFile], manifests: &[(&str, &str)]) -> Vec<(EdgeKind, String, String)> {
    let opts = ResolveOptions {
        node_manifests: manifests
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
        ..ResolveOptions::default()
    };
    let r = crate::resolve::resolve_with(files, &opts);
    let mut out: Vec<_> = r
        .edges
        .iter()
        .map(|e| {
            (
                e.kind,
                files[e.from as usize].id.clone(),
                files[e.to as usize].id.clone(),
            )
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn imports_and_exports_are_read_with_their_bindings() {
    let f = parse_file(
        Language::TypeScript,
        "a.ts",
        "import D, { a as b, type T } from './m';\nimport * as ns from './n';\nimport type { U } from './u';\nexport { x as y } from './x';\nexport * from './all';\nexport default class A {}\nconst m = await import('./lazy');\n",
    );
    let ts = f.typescript.as_deref().unwrap();
    let kinds: Vec<(&str, TsImportKind, bool)> = ts
        .imports
        .iter()
        .map(|i| (i.specifier.as_str(), i.kind, i.erased()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("./m", TsImportKind::Static, false),
            ("./n", TsImportKind::Static, false),
            ("./u", TsImportKind::Static, true),
            ("./x", TsImportKind::ReExport, false),
            ("./all", TsImportKind::ReExport, false),
            ("./lazy", TsImportKind::Dynamic, false),
        ]
    );
    let b: Vec<(&str, &str, bool)> = ts.imports[0]
        .bindings
        .iter()
        .map(|b| (b.imported.as_str(), b.local.as_str(), b.type_only))
        .collect();
    assert_eq!(
        b,
        [("default", "D", false), ("a", "b", false), ("T", "T", true)]
    );
    assert_eq!(ts.exports[0].exported, "default");
    assert_eq!(ts.exports[0].local, "A");
}

#[test]
fn barrels_aliases_and_js_extensions_lead_to_the_defining_file() {
    let files = parsed(&[
        ("libs/k/src/index.ts", "export * from './money.js';\nexport { Err as DomainError } from './err';\n"),
        ("libs/k/src/money.ts", "export class Money { add(o: Money): Money { return o; } }\n"),
        ("libs/k/src/err.ts", "export class Err extends Error {}\n"),
        (
            "app/main.ts",
            "import { Money, DomainError } from '@k';\nimport { gone } from '@k/missing';\nexport class E extends DomainError {}\nconst m: Money = Money.of();\nm.add(m);\n",
        ),
    ]);
    let got = edges(
        &files,
        &[(
            "tsconfig.json",
            "{ // aliases\n \"compilerOptions\": { \"paths\": { \"@k\": [\"libs/k/src/index.ts\"], \"@k/*\": [\"libs/k/src/*\"], }, }, }",
        )],
    );
    let has = |k: EdgeKind, a: &str, b: &str| got.contains(&(k, a.to_string(), b.to_string()));
    assert!(has(EdgeKind::Import, "app/main.ts", "libs/k/src/money.ts"));
    assert!(has(EdgeKind::Import, "app/main.ts", "libs/k/src/err.ts"));
    assert!(!has(EdgeKind::Import, "app/main.ts", "libs/k/src/index.ts"));
    assert!(has(EdgeKind::Inherit, "app/main.ts", "libs/k/src/err.ts"));
    assert!(has(EdgeKind::Call, "app/main.ts", "libs/k/src/money.ts"));
    assert!(has(
        EdgeKind::Import,
        "libs/k/src/index.ts",
        "libs/k/src/money.ts"
    ));
    // `@k/missing` matches a pattern but names no file: counted.
    let r = crate::resolve::resolve_with(
        &files,
        &ResolveOptions {
            node_manifests: vec![(
                "tsconfig.json".into(),
                "{\"compilerOptions\":{\"paths\":{\"@k\":[\"libs/k/src/index.ts\"],\"@k/*\":[\"libs/k/src/*\"]}}}".into(),
            )],
            ..ResolveOptions::default()
        },
    );
    assert_eq!(r.stats[3].type_refs_unresolved, 1);
}

#[test]
fn commonjs_singletons_and_destructured_requires_resolve() {
    let files = parsed(&[
        ("src/models/order.js", "class Order {}\nmodule.exports = Order;\n"),
        ("src/models/index.js", "const Order = require('./order');\nmodule.exports = { Order };\n"),
        (
            "src/order.service.js",
            "const { Order } = require('./models');\nclass OrderService { list() { return Order.findAll(); } }\nmodule.exports = new OrderService();\n",
        ),
        ("src/ctrl.js", "const svc = require('./order.service');\nexports.list = (req, res) => svc.list();\n"),
    ]);
    let got = edges(&files, &[]);
    let has = |k: EdgeKind, a: &str, b: &str| got.contains(&(k, a.to_string(), b.to_string()));
    assert!(has(
        EdgeKind::Import,
        "src/order.service.js",
        "src/models/order.js"
    ));
    assert!(has(
        EdgeKind::Call,
        "src/order.service.js",
        "src/models/order.js"
    ));
    assert!(has(EdgeKind::Call, "src/ctrl.js", "src/order.service.js"));
    let r = crate::resolve::resolve(&files);
    assert!(r
        .symbol_calls
        .iter()
        .any(|c| c.from_symbol == "list" && c.to_symbol == "OrderService.list"));
}

#[test]
fn a_broken_file_gives_facts_and_a_diagnostic() {
    let f = parse_file(
        Language::TypeScript,
        "x.ts",
        "export class A { f() { return 1; } }\nconst = ((( ;\n",
    );
    assert_eq!(f.types[0].name, "A");
    assert_eq!(f.diagnostics.len(), 1);
    assert!(f.diagnostics[0].message.contains("syntax error"));
}
