//! The small text parsers of the plan stage: SQL table extraction and the
//! evaluation of constant expressions in mapping annotations.
#![no_main]

use decompose::lang::{java::JavaFrontend, Frontend, Language};
use decompose::plan::sql_tables;
use decompose::lang::java::constants::ConstIndex;
use decompose::resolve::ParsedFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = sql_tables(&text);
    // The input as the initializer of constants, then evaluated.
    let src = format!("class A {{ static final String K = \"k\" + {text}; static final String L = K + L; }}");
    let files = vec![ParsedFile {
        id: "A.java".into(),
        language: Language::Java,
        test: false,
        facts: JavaFrontend.parse("A.java", &src),
    }];
    let ix = ConstIndex::new(&files);
    if !files[0].facts.types.is_empty() {
        let _ = ix.eval(0, 0, &text);
        let _ = ix.eval(0, 0, "K");
        let _ = ix.eval(0, 0, "L");
    }
});
