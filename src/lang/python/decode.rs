//! Python source bytes to text: UTF-8 (BOM stripped), the PEP 263 coding
//! cookie for the Latin-1 family, else UTF-8 with replacement.

/// Decodes Python source bytes: UTF-8 (BOM stripped); else the PEP 263
/// coding cookie on line 1 or 2 when it names latin-1 / iso-8859-1 /
/// cp1252 / windows-1252; else UTF-8 with replacement. Returns the text and
/// a diagnostic when the bytes were not UTF-8.
pub fn decode(bytes: &[u8]) -> (String, Option<String>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_string(), None);
    }
    let cookie = coding_cookie(bytes);
    match cookie.as_deref() {
        Some("latin-1" | "latin1" | "iso-8859-1" | "iso8859-1" | "l1") => (
            bytes.iter().map(|&b| b as char).collect(),
            Some("decoded as latin-1 (PEP 263 coding cookie)".into()),
        ),
        Some("cp1252" | "windows-1252") => (
            bytes.iter().map(|&b| cp1252(b)).collect(),
            Some("decoded as cp1252 (PEP 263 coding cookie)".into()),
        ),
        Some(other) => (
            String::from_utf8_lossy(bytes).into_owned(),
            Some(format!(
                "coding cookie {other:?} is not supported and the file is not valid UTF-8; undecodable bytes were replaced"
            )),
        ),
        None => (
            String::from_utf8_lossy(bytes).into_owned(),
            Some("not valid UTF-8 and no PEP 263 coding cookie; undecodable bytes were replaced".into()),
        ),
    }
}

/// The encoding named by a PEP 263 cookie (`coding[:=]\s*([-\w.]+)`) on one
/// of the first two lines, lower-cased with `_` read as `-`.
fn coding_cookie(bytes: &[u8]) -> Option<String> {
    for line in bytes.split(|&b| b == b'\n').take(2) {
        let line = String::from_utf8_lossy(line);
        let t = line.trim_start();
        if !t.starts_with('#') {
            continue;
        }
        let Some(i) = t.find("coding") else { continue };
        let rest = &t[i + 6..];
        let Some(rest) = rest.strip_prefix([':', '=']) else {
            continue;
        };
        let name: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect();
        if !name.is_empty() {
            return Some(name.to_ascii_lowercase().replace('_', "-"));
        }
    }
    None
}

/// cp1252 differs from latin-1 only in 0x80..=0x9F.
fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '\u{20AC}', '\u{FFFD}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}',
        '\u{2021}', '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{FFFD}',
        '\u{017D}', '\u{FFFD}', '\u{FFFD}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}',
        '\u{2022}', '\u{2013}', '\u{2014}', '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}',
        '\u{0153}', '\u{FFFD}', '\u{017E}', '\u{0178}',
    ];
    if (0x80..=0x9F).contains(&b) {
        HIGH[(b - 0x80) as usize]
    } else {
        b as char
    }
}
