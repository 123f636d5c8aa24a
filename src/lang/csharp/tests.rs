use super::*;

fn dump(node: Node, src: &[u8], depth: usize, out: &mut String) {
    let text = node.utf8_text(src).unwrap_or("");
    let short: String = text.chars().take(40).collect::<String>().replace('\n', " ");
    out.push_str(&format!(
        "{}{} [{}] {:?}\n",
        "  ".repeat(depth),
        node.kind(),
        node.is_named(),
        short
    ));
    let mut c = node.walk();
    for ch in node.children(&mut c) {
        dump(ch, src, depth + 1, out);
    }
}

#[test]
fn dump_tree() {
    let src = std::fs::read_to_string("/tmp/sample.cs").unwrap_or_default();
    if src.is_empty() {
        return;
    }
    let tree = PARSER.with(|p| p.borrow_mut().parse(&src, None)).unwrap();
    let mut out = String::new();
    dump(tree.root_node(), src.as_bytes(), 0, &mut out);
    std::fs::write("/tmp/sample.tree", out).unwrap();
}

#[test]
fn dump_facts() {
    let Ok(path) = std::fs::read_to_string("/tmp/sample.path") else {
        return;
    };
    let src = std::fs::read_to_string(path.trim()).unwrap();
    let f = CSharpFrontend.parse("x.cs", &src);
    std::fs::write("/tmp/sample.facts", format!("{f:#?}")).unwrap();
}
