//! String constants across files, for values written as expressions.
//!
//! Spring controllers often build their mappings from constants:
//! `@RequestMapping("/" + AdminOfferController.SECTION_KEY)` with
//! `SECTION_KEY = "offer"` declared in the class or a superclass. The
//! frontend keeps such initializers as written ([`Constant`]); this index
//! evaluates an expression of string literals, `+` and constant names
//! (`NAME`, `Type.NAME`, `a.b.Type.NAME`) to its value. Unqualified names are
//! looked up in the declaring type, its enclosing types, then its supertypes
//! by simple name. Anything else (method calls, numbers, unknown names)
//! evaluates to `None` and the caller keeps the text as written.

use std::collections::HashMap;

use crate::lang::{Constant, FileFacts};

use crate::lang::ParsedFile;

/// How deep constants may refer to constants (and supertypes to supertypes).
const MAX_DEPTH: u32 = 8;

/// The longest value an evaluation may build; a longer one (constants
/// doubling themselves level after level) is not a path.
const MAX_VALUE: usize = 4096;

pub struct ConstIndex<'a> {
    files: &'a [ParsedFile],
    /// Type simple name -> declaring (file, type index).
    types: HashMap<&'a str, Vec<(u32, u32)>>,
    /// (file, type index, name) -> initializer text.
    values: HashMap<(u32, u32, &'a str), &'a str>,
}

impl<'a> ConstIndex<'a> {
    pub fn new(files: &'a [ParsedFile]) -> Self {
        let mut types: HashMap<&str, Vec<(u32, u32)>> = HashMap::new();
        let mut values = HashMap::new();
        for (f, file) in files.iter().enumerate() {
            for (t, ty) in file.facts.types.iter().enumerate() {
                types
                    .entry(ty.name.as_str())
                    .or_default()
                    .push((f as u32, t as u32));
            }
            for Constant { owner, name, value } in &file.facts.constants {
                values.insert((f as u32, *owner, name.as_str()), value.as_str());
            }
        }
        ConstIndex {
            files,
            types,
            values,
        }
    }

    /// The value of `expr` as seen from type `ty` of file `file`.
    pub fn eval(&self, file: u32, ty: u32, expr: &str) -> Option<String> {
        self.eval_depth(file, ty, expr, 0)
    }

    fn eval_depth(&self, file: u32, ty: u32, expr: &str, depth: u32) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut out = String::new();
        for term in split_terms(expr)? {
            match term {
                Term::Lit(s) => out.push_str(&s),
                Term::Name(n) => {
                    let (at, init) = self.lookup(file, ty, n)?;
                    out.push_str(&self.eval_depth(at.0, at.1, init, depth + 1)?);
                }
            }
            if out.len() > MAX_VALUE {
                return None;
            }
        }
        Some(out)
    }

    /// Finds the initializer of a constant name and where it is declared.
    fn lookup(&self, file: u32, ty: u32, name: &str) -> Option<((u32, u32), &'a str)> {
        match name.rsplit_once('.') {
            Some((qual, field)) => {
                let simple = qual.rsplit('.').next().unwrap_or(qual);
                let candidates = self.types.get(simple)?;
                // A type of the same file first, then any: simple names of
                // constant holders are rarely ambiguous.
                let mut ordered: Vec<&(u32, u32)> = candidates.iter().collect();
                ordered.sort_by_key(|&&(f, t)| (f != file, f, t));
                ordered
                    .into_iter()
                    .find_map(|&(f, t)| self.in_hierarchy(f, t, field, 0))
            }
            None => self.in_hierarchy(file, ty, name, 0),
        }
    }

    /// `name` declared in the type, an enclosing type or a supertype.
    fn in_hierarchy(
        &self,
        file: u32,
        ty: u32,
        name: &str,
        depth: u32,
    ) -> Option<((u32, u32), &'a str)> {
        if depth > MAX_DEPTH {
            return None;
        }
        let facts: &FileFacts = &self.files[file as usize].facts;
        let mut t = Some(ty);
        while let Some(i) = t {
            if let Some(v) = self.values.get(&(file, i, name)) {
                return Some(((file, i), v));
            }
            t = facts.types.get(i as usize).and_then(|d| d.parent);
        }
        let decl = facts.types.get(ty as usize)?;
        // Supertypes by simple name; only the first few candidates of a
        // name, so a name shared by many types cannot fan out.
        for (_, sup) in decl.supertypes.iter().take(8) {
            let simple = sup.name.rsplit('.').next().unwrap_or(&sup.name);
            for &(f, t) in self.types.get(simple).into_iter().flatten().take(4) {
                if (f, t) == (file, ty) {
                    continue;
                }
                if let Some(hit) = self.in_hierarchy(f, t, name, depth + 1) {
                    return Some(hit);
                }
            }
        }
        None
    }
}

enum Term<'e> {
    Lit(String),
    Name(&'e str),
}

/// `"a" + B.C + "d"` into literal and name terms; `None` for anything else.
fn split_terms(expr: &str) -> Option<Vec<Term<'_>>> {
    let b = expr.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut want_term = true;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() || c == b'(' || c == b')' {
            i += 1;
        } else if !want_term {
            if c != b'+' {
                return None;
            }
            want_term = true;
            i += 1;
        } else if c == b'"' {
            let mut s = String::new();
            i += 1;
            loop {
                let &ch = b.get(i)?;
                match ch {
                    b'"' => break,
                    b'\\' => {
                        let &e = b.get(i + 1)?;
                        s.push(match e {
                            b'n' => '\n',
                            b't' => '\t',
                            other => other as char,
                        });
                        i += 2;
                        continue;
                    }
                    _ => {}
                }
                // Copy one UTF-8 character.
                let len = utf8_len(ch);
                s.push_str(expr.get(i..i + len)?);
                i += len;
            }
            i += 1;
            out.push(Term::Lit(s));
            want_term = false;
        } else if c.is_ascii_alphabetic() || c == b'_' || c == b'$' {
            let start = i;
            while i < b.len()
                && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'_' | b'$' | b'.'))
            {
                i += 1;
            }
            out.push(Term::Name(&expr[start..i]));
            want_term = false;
        } else {
            return None;
        }
    }
    (!want_term).then_some(out)
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::{java::JavaFrontend, Frontend, Language};

    fn files(sources: &[(&str, &str)]) -> Vec<ParsedFile> {
        sources
            .iter()
            .map(|(id, src)| ParsedFile {
                id: id.to_string(),
                language: Language::Java,
                test: false,
                facts: JavaFrontend.parse(id, src),
            })
            .collect()
    }

    #[test]
    fn constants_across_files_and_supertypes() {
        let fs = files(&[
            (
                "A.java",
                "package p; public class A extends Base { \
                 public static final String SECTION_KEY = \"offer\"; \
                 static final String FULL = \"/\" + SECTION_KEY + \"/list\"; }",
            ),
            (
                "Base.java",
                "package p; public abstract class Base { \
                 protected static final String ROOT = \"/admin\"; }",
            ),
            ("C.java", "package q; class C extends p.Base { }"),
        ]);
        let ix = ConstIndex::new(&fs);
        assert_eq!(
            ix.eval(0, 0, "\"/\" + SECTION_KEY").as_deref(),
            Some("/offer")
        );
        assert_eq!(ix.eval(0, 0, "FULL").as_deref(), Some("/offer/list"));
        assert_eq!(
            ix.eval(2, 0, "ROOT + \"/\" + A.SECTION_KEY").as_deref(),
            Some("/admin/offer")
        );
        assert_eq!(ix.eval(2, 0, "p.A.SECTION_KEY").as_deref(), Some("offer"));
        // Unknown names and non-string expressions stay unevaluated.
        assert_eq!(ix.eval(2, 0, "\"/\" + MISSING"), None);
        assert_eq!(ix.eval(2, 0, "Paths.of(\"x\")"), None);
        assert_eq!(ix.eval(2, 0, "\"a\" \"b\""), None);
    }

    #[test]
    fn doubling_constants_stop_at_the_value_limit() {
        let mut src = String::from("class D { static final String C0 = \"xxxxxxxxxxxxxxxx\";");
        for i in 1..8 {
            let terms = vec![format!("C{}", i - 1); 8].join(" + ");
            src.push_str(&format!(" static final String C{i} = {terms};"));
        }
        src.push('}');
        let fs = files(&[("D.java", &src)]);
        let ix = ConstIndex::new(&fs);
        assert_eq!(ix.eval(0, 0, "C2").map(|v| v.len()), Some(16 * 64));
        assert_eq!(ix.eval(0, 0, "C7"), None);
    }

    #[test]
    fn self_reference_terminates() {
        let fs = files(&[(
            "L.java",
            "class L { static final String A = B + \"x\"; static final String B = A + \"y\"; }",
        )]);
        assert_eq!(ConstIndex::new(&fs).eval(0, 0, "A"), None);
    }
}
