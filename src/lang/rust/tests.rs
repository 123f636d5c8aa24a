//! Unit tests of the Rust frontend.

use super::*;

fn parse(src: &str) -> (FileFacts, RustFacts) {
    let mut f = RustFrontend.parse("x.rs", src);
    let r = *f.rust.take().expect("rust facts");
    (f, r)
}

fn uses(r: &RustFacts) -> Vec<(String, Option<String>, bool, bool)> {
    r.uses
        .iter()
        .map(|u| (u.path.join("::"), u.name.clone(), u.glob, u.public))
        .collect()
}

#[test]
fn use_trees_are_flattened_to_leaves() {
    let (_, r) = parse(
            "pub use crate::a::{self, b::C as D, e::*};\nuse super::super::f::{g, h::{i}};\nuse ::ext::Y;\nextern crate k as kk;\nuse r#try::Z;\n",
        );
    let s = |x: &str| x.to_string();
    assert_eq!(
        uses(&r),
        vec![
            (s("crate::a"), Some(s("a")), false, true),
            (s("crate::a::b::C"), Some(s("D")), false, true),
            (s("crate::a::e"), None, true, true),
            (s("super::super::f::g"), Some(s("g")), false, false),
            (s("super::super::f::h::i"), Some(s("i")), false, false),
            (s("::::ext::Y"), Some(s("Y")), false, false),
            (s("k"), Some(s("kk")), false, false),
            (s("try::Z"), Some(s("Z")), false, false),
        ]
    );
    assert!(r.uses[6].extern_crate);
    assert_eq!(r.uses[0].line, 1);
    assert_eq!(r.uses[3].line, 2);
}

#[test]
fn modules_path_attributes_and_cfg_test() {
    let (f, r) = parse(
            "mod a;\n#[path = \"x/y.rs\"]\npub mod b;\nmod c {\n    mod d;\n    fn f() {}\n}\n#[cfg(test)]\nmod tests {\n    use super::*;\n    #[test]\n    fn t() { f(); }\n}\n",
        );
    type Row<'a> = (&'a str, Option<u32>, bool, Option<&'a str>, bool);
    let mods: Vec<Row> = r
        .mods
        .iter()
        .map(|m| {
            (
                m.name.as_str(),
                m.module,
                m.inline,
                m.path_attr.as_deref(),
                m.test,
            )
        })
        .collect();
    assert_eq!(
        mods,
        vec![
            ("a", None, false, None, false),
            ("b", None, false, Some("x/y.rs"), false),
            ("c", None, true, None, false),
            ("d", Some(2), false, None, false),
            ("tests", None, true, None, true),
        ]
    );
    assert_eq!(f.functions.len(), 2);
    assert_eq!(r.fns[0].module, Some(2));
    assert!(!r.fns[0].test);
    assert!(r.fns[1].test);
    assert!(r.uses[0].test);
}

#[test]
fn items_impls_calls_and_receivers() {
    let (f, r) = parse(
        r#"
struct Order { lines: Vec<Line>, repo: Box<dyn Repo> }
trait Repo: Send + base::Store { fn save(&self); }
impl Repo for Order { fn save(&self) {} }
impl Order {
    fn total(&self, tax: &Tax) -> Money {
        let mut m = Money::zero();
        let x: Count = Count::new();
        for l in &self.lines { m = m.add(l.price()); }
        println!("{}", self.repo.find(tax.rate()));
        Self::helper(Line { n: 1 });
        m
    }
}
macro_rules! mk { () => {} }
"#,
    );
    let kinds: Vec<(&str, ItemKind)> = r.items.iter().map(|i| (i.name.as_str(), i.kind)).collect();
    assert_eq!(
        kinds,
        vec![
            ("Order", ItemKind::Struct),
            ("Repo", ItemKind::Trait),
            ("mk", ItemKind::Macro),
        ]
    );
    assert_eq!(r.items[1].bounds[1].path, vec!["base", "Store"]);
    assert_eq!(r.impls.len(), 2);
    assert_eq!(r.impls[0].trait_, Some(vec!["Repo".to_string()]));
    assert_eq!(r.impls[1].self_ty.path, vec!["Order"]);
    // Order's supertypes: the in-file trait impl.
    assert_eq!(f.types[0].supertypes.len(), 1);
    assert_eq!(f.types[0].fields[1].ty.name, "Box");
    assert_eq!(f.types[0].fields[1].ty.args[0].name, "Repo");
    let total = &r.fns[2];
    assert!(total.has_self);
    assert_eq!(total.impl_index, Some(1));
    assert_eq!(total.params[0].1.path, vec!["Tax"]);
    assert_eq!(total.ret.as_ref().unwrap().path, vec!["Money"]);
    let locals: Vec<(&str, Option<RExpr>)> = total
        .locals
        .iter()
        .map(|l| (l.name.as_str(), l.init.clone()))
        .collect();
    let p = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        locals,
        vec![
            ("m", Some(RExpr::Call(p(&["Money", "zero"])))),
            ("x", Some(RExpr::Call(p(&["Count", "new"])))),
            (
                "l",
                Some(RExpr::Element(Box::new(RExpr::Field(
                    Box::new(RExpr::Path(p(&["self"]))),
                    "lines".into()
                ))))
            ),
        ]
    );
    assert_eq!(total.locals[1].ty.as_ref().unwrap().path, vec!["Count"]);
    let calls: Vec<RCallKind> = total.calls.iter().map(|c| c.kind.clone()).collect();
    let self_path = RExpr::Path(p(&["self"]));
    assert_eq!(
        calls,
        vec![
            RCallKind::Path(p(&["Money", "zero"])),
            RCallKind::Path(p(&["Count", "new"])),
            RCallKind::Method(RExpr::Path(p(&["m"])), "add".into()),
            RCallKind::Method(RExpr::Path(p(&["l"])), "price".into()),
            // Inside `println!`: read because the arguments parse.
            RCallKind::Method(
                RExpr::Field(Box::new(self_path), "repo".into()),
                "find".into()
            ),
            RCallKind::Method(RExpr::Path(p(&["tax"])), "rate".into()),
            RCallKind::Path(p(&["Self", "helper"])),
            RCallKind::Struct(p(&["Line"])),
        ]
    );
    assert_eq!(r.macro_calls, 2);
    // One per function plus the `for`.
    assert_eq!(f.complexity, 4);
}

#[test]
fn pattern_bindings_become_locals() {
    let (_, r) = parse(
            "fn f(repo: Repo) {\n    if let Some(o) = repo.get(1) {}\n    match repo.find() { Ok(x) => {}, None => {}, Err(e) => {} }\n    let Some(y) = repo.first() else { return };\n    while let Some(z) = repo.next() {}\n}\n",
        );
    let locals: Vec<(&str, u32)> = r.fns[0]
        .locals
        .iter()
        .map(|l| (l.name.as_str(), l.line))
        .collect();
    assert_eq!(locals, vec![("o", 2), ("x", 3), ("y", 4), ("z", 5)]);
    let p = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        r.fns[0].locals[0].init,
        Some(RExpr::MethodCall(
            Box::new(RExpr::Path(p(&["repo"]))),
            "get".into()
        ))
    );
}

#[test]
fn unparseable_file_yields_a_warning_and_scanned_facts() {
    let (f, r) = parse(
        "use crate::a::{B, c::D};\npub(crate) mod e;\nmod f {\npub struct G;\nfn broken( {\n",
    );
    assert!(r.partial);
    assert_eq!(f.diagnostics.len(), 1);
    assert!(f.diagnostics[0].message.contains("syn could not parse"));
    let s = |x: &str| x.to_string();
    assert_eq!(
        uses(&r),
        vec![
            (s("crate::a::B"), Some(s("B")), false, false),
            (s("crate::a::c::D"), Some(s("D")), false, false),
        ]
    );
    let mods: Vec<(&str, bool, bool)> = r
        .mods
        .iter()
        .map(|m| (m.name.as_str(), m.inline, m.public))
        .collect();
    assert_eq!(mods, vec![("e", false, true), ("f", true, false)]);
    let items: Vec<&str> = r.items.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(items, vec!["G", "broken"]);
    assert_eq!(f.types.len(), 1);
}
