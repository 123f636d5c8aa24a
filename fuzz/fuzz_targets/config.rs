//! decompose.toml and decompose-baseline.json parsers: never panic; a
//! malformed config names a line that exists in the text.
#![no_main]

use std::path::Path;

use decompose::ci::baseline::Baseline;
use decompose::ci::config::{Config, ConfigError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match Config::parse(Path::new("decompose.toml"), &text) {
        Ok(config) => {
            let _ = config.seam_of("src/main/java/A.java");
            let _ = config.languages();
        }
        Err(ConfigError::Invalid { line, .. }) => {
            assert!(line >= 1 && line <= text.lines().count().max(1) + 1, "line {line}");
        }
        Err(_) => {}
    }
    let _ = serde_json::from_slice::<Baseline>(data);
});
