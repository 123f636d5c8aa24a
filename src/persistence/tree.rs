//! One document tree for XML, YAML and JSON, with lines: an element (or a
//! mapping key) is a [`Node`] with its attributes (scalar entries) and
//! children (element children, nested mappings, list items). The format
//! readers walk this tree, so a Liquibase changelog reads the same in all
//! three syntaxes.
//!
//! XML goes through `roxmltree` (a read-only DOM with byte positions, no
//! entity expansion beyond the predefined ones, no network: the DTDs that
//! mapper files name are never fetched). YAML goes through `yaml-rust2`'s
//! marked event parser, which gives each node its line; JSON is checked by
//! `serde_json` (precise errors) and then read by the same YAML parser,
//! since JSON is YAML's flow syntax.

use std::collections::BTreeMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// An element or mapping entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Node {
    pub name: String,
    pub attrs: BTreeMap<String, String>,
    pub children: Vec<Node>,
    /// The element's text content (XML), children's text included, with
    /// `<include>`-style children left to the reader (see `text_parts`).
    pub text: String,
    pub line: u32,
}

impl Node {
    pub fn attr(&self, k: &str) -> Option<&str> {
        self.attrs.get(k).map(String::as_str)
    }
    /// Every descendant (pre-order) named `name`.
    pub fn descendants<'a>(&'a self, name: &'a str) -> Box<dyn Iterator<Item = &'a Node> + 'a> {
        Box::new(self.children.iter().flat_map(move |c| {
            let me = (c.name == name).then_some(c);
            me.into_iter().chain(c.descendants(name))
        }))
    }
}

/// A parse failure: line (1-based) and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeError {
    pub line: u32,
    pub message: String,
}

/// The XML document's root element as a tree. Text nodes become `#text`
/// children so readers that care about order (dynamic SQL) keep it.
pub fn xml(text: &str) -> Result<Node, TreeError> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, opts).map_err(|e| TreeError {
        line: e.pos().row,
        message: e.to_string(),
    })?;
    Ok(xml_node(&doc, doc.root_element()))
}

fn xml_node(doc: &roxmltree::Document, n: roxmltree::Node) -> Node {
    let mut node = Node {
        name: n.tag_name().name().to_string(),
        line: doc.text_pos_at(n.range().start).row,
        ..Default::default()
    };
    for a in n.attributes() {
        node.attrs
            .insert(a.name().to_string(), a.value().to_string());
    }
    for c in n.children() {
        if c.is_element() {
            node.children.push(xml_node(doc, c));
        } else if c.is_text() {
            let t = c.text().unwrap_or("");
            node.text.push_str(t);
            node.children.push(Node {
                name: "#text".into(),
                text: t.to_string(),
                line: doc.text_pos_at(c.range().start).row,
                ..Default::default()
            });
        }
    }
    node
}

/// A YAML value with its line.
#[derive(Debug, Clone)]
enum Y {
    Scalar(String, u32),
    Seq(Vec<Y>, u32),
    Map(Vec<(String, Y)>, u32),
}

impl Y {
    fn line(&self) -> u32 {
        match self {
            Y::Scalar(_, l) | Y::Seq(_, l) | Y::Map(_, l) => *l,
        }
    }
}

/// Lines as the rest of decompose counts them (`\n` ends a line). The YAML
/// scanner also breaks lines at a lone `\r`, so its own line numbers can
/// name a line past the end of the file; lines are read from its character
/// index instead.
struct Lines {
    /// Character index of every `\n`, in order.
    breaks: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let breaks = text
            .chars()
            .enumerate()
            .filter(|(_, c)| *c == '\n')
            .map(|(i, _)| i)
            .collect();
        Lines { breaks }
    }

    /// The 1-based line of the character at `mark`.
    fn line(&self, mark: &Marker) -> u32 {
        self.breaks.partition_point(|&b| b < mark.index()) as u32 + 1
    }
}

struct Builder {
    lines: Lines,
    stack: Vec<Y>,
    keys: Vec<Option<String>>,
    done: Option<Y>,
}

impl Builder {
    fn push_value(&mut self, v: Y) {
        match self.stack.last_mut() {
            None => self.done = Some(v),
            Some(Y::Seq(items, _)) => items.push(v),
            Some(Y::Map(entries, _)) => {
                let key = self.keys.last_mut().expect("a key slot per open mapping");
                match key.take() {
                    None => {
                        let k = match v {
                            Y::Scalar(s, _) => s,
                            _ => String::new(),
                        };
                        *key = Some(k);
                    }
                    Some(k) => entries.push((k, v)),
                }
            }
            Some(Y::Scalar(..)) => {}
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let line = self.lines.line(&mark);
        match ev {
            Event::Scalar(s, ..) => self.push_value(Y::Scalar(s, line)),
            Event::SequenceStart(..) => self.stack.push(Y::Seq(Vec::new(), line)),
            Event::MappingStart(..) => {
                self.stack.push(Y::Map(Vec::new(), line));
                self.keys.push(None);
            }
            Event::SequenceEnd => {
                if let Some(v) = self.stack.pop() {
                    self.push_value(v);
                }
            }
            Event::MappingEnd => {
                self.keys.pop();
                if let Some(v) = self.stack.pop() {
                    self.push_value(v);
                }
            }
            // Aliases are not expanded: a changelog has no use for them,
            // and expansion is how a small file becomes a huge tree.
            Event::Alias(_) => self.push_value(Y::Scalar(String::new(), line)),
            _ => {}
        }
    }
}

/// A YAML document as a tree whose root is named `name`: mapping keys
/// with scalar values become attributes, keys with mapping values become
/// children, list items become children (a one-key mapping item is named
/// by its key: `- changeSet: {...}` is a `changeSet` child).
pub fn yaml(text: &str, name: &str) -> Result<Node, TreeError> {
    let mut b = Builder {
        lines: Lines::new(text),
        stack: Vec::new(),
        keys: Vec::new(),
        done: None,
    };
    Parser::new_from_str(text)
        .load(&mut b, false)
        .map_err(|e| TreeError {
            line: b.lines.line(e.marker()),
            message: e.info().to_string(),
        })?;
    let root = b.done.unwrap_or(Y::Map(Vec::new(), 1));
    Ok(to_node(name, &root))
}

/// A JSON document as the same tree as [`yaml`].
pub fn json(text: &str, name: &str) -> Result<Node, TreeError> {
    serde_json::from_str::<serde_json::Value>(text).map_err(|e| TreeError {
        line: e.line() as u32,
        message: e.to_string(),
    })?;
    yaml(text, name)
}

fn to_node(name: &str, v: &Y) -> Node {
    let mut node = Node {
        name: name.to_string(),
        line: v.line(),
        ..Default::default()
    };
    match v {
        Y::Scalar(s, _) => node.text = s.clone(),
        Y::Map(entries, _) => {
            for (k, val) in entries {
                match val {
                    Y::Scalar(s, _) => {
                        node.attrs.insert(k.clone(), s.clone());
                    }
                    _ => node.children.push(to_node(k, val)),
                }
            }
        }
        Y::Seq(items, _) => {
            for it in items {
                match it {
                    Y::Map(entries, _)
                        if entries.len() == 1 && !matches!(entries[0].1, Y::Scalar(..)) =>
                    {
                        node.children.push(to_node(&entries[0].0, &entries[0].1));
                    }
                    _ => node.children.push(to_node("-", it)),
                }
            }
        }
    }
    node
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_json_read_to_the_same_tree_with_lines() {
        let y = yaml(
            "databaseChangeLog:\n  - changeSet:\n      id: 1\n      changes:\n        - createTable:\n            tableName: orders\n",
            "root",
        )
        .unwrap();
        let ct = y.descendants("createTable").next().unwrap();
        assert_eq!(ct.attr("tableName"), Some("orders"));
        assert_eq!(ct.line, 6);
        let j = json(
            "{\"databaseChangeLog\": [{\"changeSet\": {\"id\": \"1\", \"changes\": [\n{\"createTable\": {\"tableName\": \"orders\"}}]}}]}",
            "root",
        )
        .unwrap();
        let ct = j.descendants("createTable").next().unwrap();
        assert_eq!(ct.attr("tableName"), Some("orders"));
        assert_eq!(ct.line, 2);
        assert_eq!(json("{\n\"a\": }", "r").unwrap_err().line, 2);
        assert_eq!(yaml("a: b\n  c: d\n", "r").unwrap_err().line, 2);
    }

    /// Found by the `data_files` fuzz target: a lone `\r` is a line break
    /// to the YAML scanner, so its error named line 3 of a two-line file.
    #[test]
    fn a_lone_carriage_return_does_not_push_lines_past_the_end() {
        let text = String::from_utf8_lossy(b"<mapper namespace=\"a\"><sql id=\"x\xe5><incg: t id=\"s\">SEconsraintNam\xff\xff\xff\x0dLE\xbd\xab\xdf\xc3i\x00\x00\x00\x08ncl");
        assert_eq!(text.lines().count(), 1);
        assert_eq!(yaml(&text, "r").unwrap_err().line, 1);
        let c = |text: &str| {
            yaml(text, "r")
                .unwrap()
                .descendants("c")
                .next()
                .unwrap()
                .line
        };
        assert_eq!(c("a: b\rc: {d: e}\n"), 1);
        assert_eq!(c("a: b\r\nc: {d: e}\r\n"), 2);
    }

    #[test]
    fn xml_keeps_lines_and_text_order() {
        let n = xml("<a>\n<b x=\"1\">t<c/>u</b></a>").unwrap();
        let b = &n.children.iter().find(|c| c.name == "b").unwrap();
        assert_eq!((b.line, b.attr("x")), (2, Some("1")));
        let names: Vec<&str> = b.children.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, vec!["#text", "c", "#text"]);
        assert_eq!(xml("<a>\n<b></a>").unwrap_err().line, 2);
    }
}
