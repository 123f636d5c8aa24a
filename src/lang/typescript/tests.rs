//! Unit tests of the TypeScript/JavaScript frontend and resolver.

use super::*;
use crate::lang::ParsedFile;
use crate::resolve::EdgeKind;

#[test]
fn queries_compile_and_every_capture_is_understood() {
    for d in [Dialect::TypeScript, Dialect::Tsx, Dialect::JavaScript] {
        for (name, known) in capture_names(d) {
            assert!(known, "{d:?}: capture @{name} is not read by the extractor");
        }
    }
}
