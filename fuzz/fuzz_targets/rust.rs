//! The Rust frontend never panics, whatever the bytes: syn facts, or the
//! line-scan fallback with a diagnostic; indices consistent.
#![no_main]

use decompose::lang::{rust::RustFrontend, Frontend};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let facts = RustFrontend.parse("src/lib.rs", &text);
    for f in &facts.functions {
        if let Some(o) = f.owner {
            assert!((o as usize) < facts.types.len());
        }
    }
    for s in &facts.tx_scopes {
        assert!((s.function as usize) < facts.functions.len());
    }
});
