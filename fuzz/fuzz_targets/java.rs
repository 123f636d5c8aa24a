//! The Java frontend never panics, whatever the bytes: facts or a diagnostic.
#![no_main]

use decompose::lang::{java::JavaFrontend, Frontend};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let facts = JavaFrontend.parse("Fuzz.java", &text);
    // Facts stay consistent: every owner index points at a declared type.
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
});
