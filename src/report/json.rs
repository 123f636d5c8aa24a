//! The JSON renderer: report.json.

use super::Report;

/// Serialises the report with a trailing newline. Floats are written by
/// serde_json's shortest round-trip form, so equal inputs give equal bytes.
pub fn render(report: &Report) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(report).expect("the report model always serialises");
    out.push(b'\n');
    out
}
