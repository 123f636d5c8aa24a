//! Counting code lines: the size figure every unit carries.

/// Comment syntax of one language, as data.
pub struct CommentSyntax {
    pub line: &'static [&'static str],
    pub block: &'static [(&'static str, &'static str)],
}

pub const C_LIKE: CommentSyntax = CommentSyntax {
    line: &["//"],
    block: &[("/*", "*/")],
};

/// Counts lines holding something other than white space and comments.
///
/// A lexical scan, not a parse: a comment marker inside a string literal can
/// make a line miscount. That is the trade `cloc` and `tokei` make too, and it
/// keeps the figure cheap enough to compute for every file.
pub fn count_code_lines(source: &str, syntax: &CommentSyntax) -> u32 {
    let mut in_block: Option<&str> = None;
    let mut n = 0;
    for line in source.lines() {
        let mut rest = line.trim();
        let mut has_code = false;
        while !rest.is_empty() {
            if let Some(end) = in_block {
                match rest.find(end) {
                    Some(i) => {
                        rest = rest[i + end.len()..].trim_start();
                        in_block = None;
                    }
                    None => rest = "",
                }
                continue;
            }
            if syntax.line.iter().any(|m| rest.starts_with(m)) {
                break;
            }
            if let Some((open, close)) = syntax.block.iter().find(|(o, _)| rest.starts_with(o)) {
                rest = &rest[open.len()..];
                in_block = Some(close);
                continue;
            }
            has_code = true;
            // Look for a comment that starts later on this line.
            let next = syntax
                .block
                .iter()
                .filter_map(|(o, c)| rest.find(o).map(|i| (i, *o, *c)))
                .min_by_key(|(i, _, _)| *i);
            let line_comment = syntax.line.iter().filter_map(|m| rest.find(m)).min();
            match (next, line_comment) {
                (Some((i, o, c)), lc) if lc.is_none_or(|l| i < l) => {
                    rest = &rest[i + o.len()..];
                    in_block = Some(c);
                }
                _ => break,
            }
        }
        if has_code {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_code_not_comments_or_blanks() {
        let src =
            "package a;\n\n// c\n/* a\n b */ class A {\n  int x; /* y */ int z;\n  /** doc */\n}\n";
        assert_eq!(count_code_lines(src, &C_LIKE), 4);
    }
}
