//! The non-code persistence readers: arbitrary text as a mapper / mapping /
//! changelog XML, a YAML and a JSON changelog, a SQL script, and a mapped
//! SQL statement. What must hold: no panic, no hang, and every diagnostic
//! names a line of the text.
#![no_main]

use decompose::persistence;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    persistence::fuzz_one(&text);
});
