//! The Python frontend never panics, whatever the bytes (PEP 263 cookies
//! included): facts or a diagnostic, indices consistent.
#![no_main]

use decompose::lang::{python::PythonFrontend, Frontend};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let facts = PythonFrontend.parse("pkg/mod.py", &text);
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
    for s in &facts.tx_scopes {
        assert!((s.function as usize) < facts.functions.len());
    }
});
