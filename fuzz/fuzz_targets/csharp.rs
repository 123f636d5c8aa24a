//! The C# frontend and the project reader never panic, whatever the bytes:
//! facts or a diagnostic; a project file (with warnings naming it) or one
//! warning.
#![no_main]

use decompose::lang::{csharp::CSharpFrontend, Frontend};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let facts = CSharpFrontend.parse("Fuzz.cs", &text);
    // Facts stay consistent: every owner index points at a declared type,
    // and the C# side tables are indexed like the types.
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
    let cs = facts.csharp.as_deref().expect("C# facts");
    assert_eq!(cs.type_namespaces.len(), facts.types.len());
    assert_eq!(cs.partial.len(), facts.types.len());
    for r in &cs.routes {
        assert!((r.function as usize) < facts.functions.len());
    }
    // The same bytes as a project file: read (perhaps with warnings about
    // items it cannot honour) or warned about once; every warning names it.
    let projects = decompose::lang::csharp::project::Projects::read(&[(
        "Fuzz/Fuzz.csproj".to_string(),
        text.to_string(),
    )]);
    assert!(projects.projects.len() == 1 || projects.warnings.len() == 1);
    assert!(projects.projects.len() <= 1);
    for w in &projects.warnings {
        assert!(w.starts_with("Fuzz/Fuzz.csproj: "), "{w}");
    }
    for p in &projects.projects {
        assert!(!p.references.iter().any(|r| r.split('/').any(|s| s == "..")));
    }
});
