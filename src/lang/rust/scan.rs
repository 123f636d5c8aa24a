//! The fallback for a file syn cannot parse: `mod` and `use` declarations
//! and item names read line by line.

use super::*;

/// The fallback for a file syn cannot parse: `mod` declarations, `use`
/// declarations (each parsed on its own by syn) and item names, read line
/// by line. Nesting inside inline modules is not tracked.
pub(super) fn line_scan(source: &str, facts: &mut FileFacts) -> RustFacts {
    let mut rust = RustFacts {
        partial: true,
        ..RustFacts::default()
    };
    let mut pending: Option<(String, u32)> = None;
    for (i, raw) in source.lines().enumerate() {
        let line = i as u32 + 1;
        let text = raw.trim();
        if let Some((mut acc, start)) = pending.take() {
            acc.push(' ');
            acc.push_str(text);
            if text.contains(';') {
                scan_use(&acc, start, &mut rust);
            } else if acc.len() < 4096 {
                pending = Some((acc, start));
            }
            continue;
        }
        let (public, rest) = strip_vis(text);
        let mut words = rest.split(|c: char| !(c.is_alphanumeric() || c == '_'));
        let Some(first) = words.next() else { continue };
        match first {
            "use" => {
                if text.contains(';') {
                    scan_use(text, line, &mut rust);
                } else {
                    pending = Some((text.to_string(), line));
                }
            }
            "mod" => {
                if let Some(name) = words.next().filter(|n| !n.is_empty()) {
                    rust.mods.push(ModDecl {
                        name: name.to_string(),
                        module: None,
                        inline: !rest.contains(';'),
                        path_attr: None,
                        test: false,
                        public,
                        line,
                    });
                }
            }
            "struct" | "enum" | "trait" | "fn" | "union" | "type" => {
                let Some(name) = words.next().filter(|n| !n.is_empty()) else {
                    continue;
                };
                let (kind, tk) = match first {
                    "struct" => (ItemKind::Struct, Some(TypeKind::Class)),
                    "union" => (ItemKind::Union, Some(TypeKind::Class)),
                    "enum" => (ItemKind::Enum, Some(TypeKind::Enum)),
                    "trait" => (ItemKind::Trait, Some(TypeKind::Interface)),
                    "type" => (ItemKind::TypeAlias, None),
                    _ => (ItemKind::Fn, None),
                };
                let type_index = tk.map(|k| {
                    facts.types.push(TypeDecl {
                        name: name.to_string(),
                        path: name.to_string(),
                        kind: k,
                        parent: None,
                        lines: (line, line),
                        supertypes: Vec::new(),
                        fields: Vec::new(),
                        annotations: Vec::new(),
                        type_params: Vec::new(),
                    });
                    facts.types.len() as u32 - 1
                });
                rust.items.push(ItemDecl {
                    name: name.to_string(),
                    kind,
                    module: None,
                    public,
                    line,
                    type_index,
                    fn_index: None,
                    bounds: Vec::new(),
                    variants: Vec::new(),
                    test: false,
                });
            }
            _ => {}
        }
    }
    rust
}

/// Strips a leading visibility (`pub`, `pub(crate)`, `pub(in a::b)`).
pub(super) fn strip_vis(text: &str) -> (bool, &str) {
    let Some(rest) = text.strip_prefix("pub") else {
        return (false, text);
    };
    let rest = rest.trim_start();
    if let Some(r) = rest.strip_prefix('(') {
        match r.find(')') {
            Some(i) => (true, r[i + 1..].trim_start()),
            None => (true, r),
        }
    } else if rest.len() < text.len() - 3 || rest.is_empty() {
        (true, rest)
    } else {
        (false, text)
    }
}

pub(super) fn scan_use(text: &str, line: u32, rust: &mut RustFacts) {
    let Some(end) = text.find(';') else { return };
    let decl = &text[..=end];
    if let Ok(u) = syn::parse_str::<syn::ItemUse>(decl) {
        let mut ex = Extractor {
            facts: &mut FileFacts::default(),
            rust: std::mem::take(rust),
        };
        let mut prefix = Vec::new();
        if u.leading_colon.is_some() {
            prefix.push("::".to_string());
        }
        ex.use_tree(
            &u.tree,
            &mut prefix,
            is_public(&u.vis),
            line,
            Ctx::default(),
        );
        *rust = ex.rust;
    }
}
