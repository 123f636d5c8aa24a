//! Unit tests of the Java frontend.

use super::*;

fn parse(src: &str) -> FileFacts {
    JavaFrontend.parse("T.java", src)
}

#[test]
fn queries_compile_and_every_capture_is_understood() {
    let q = query();
    for name in q.capture_names() {
        assert_ne!(
            Cap::from_name(name),
            Cap::Other,
            "unhandled capture @{name}"
        );
    }
    assert!(q.capture_names().contains(&"call.method"));
}

#[test]
fn declarations_imports_and_calls() {
    let f = parse(
        r#"package com.shop.orders;
import com.shop.catalog.Product;
import static com.shop.common.Money.of;
import com.shop.common.*;
@Service
@RequestMapping("/api/orders")
public class OrderService extends Base implements Api, Other<Product> {
    private final OrderRepository repo;
    private List<Product> cache = new ArrayList<>();
    public Order place(Long id, Product... ps) {
        var o = new Order(id);
        for (Product p : ps) { o.add(p.price()); }
        repo.findById(id).orElseThrow();
        items.forEach(Product::touch);
        return super.save(o);
    }
    static class Inner { void m() {} }
}
"#,
    );
    assert_eq!(f.namespace.as_deref(), Some("com.shop.orders"));
    let imports: Vec<_> = f
        .imports
        .iter()
        .map(|i| (i.path.as_str(), i.kind))
        .collect();
    assert_eq!(
        imports,
        vec![
            ("com.shop.catalog.Product", ImportKind::Single),
            ("com.shop.common.Money.of", ImportKind::Static),
            ("com.shop.common", ImportKind::Wildcard),
        ]
    );
    let t = &f.types[0];
    assert_eq!(t.name, "OrderService");
    assert_eq!(
        t.supertypes
            .iter()
            .map(|(k, r)| (*k, r.name.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (SuperKind::Extends, "Base"),
            (SuperKind::Implements, "Api"),
            (SuperKind::Implements, "Other")
        ]
    );
    assert_eq!(t.annotations.len(), 2);
    assert_eq!(
        t.annotations[1].args,
        vec![("value".into(), "/api/orders".into())]
    );
    assert_eq!(f.types[1].path, "OrderService.Inner");
    assert_eq!(f.types[1].parent, Some(0));
    let fields: Vec<_> = t.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(fields, vec!["repo", "cache"]);

    let place = f.functions.iter().find(|f| f.name == "place").unwrap();
    assert_eq!(place.params.len(), 2);
    assert_eq!(place.params[1].1.array_dims, 1);
    let calls: Vec<_> = place
        .calls
        .iter()
        .map(|c| (c.name.as_str(), c.kind))
        .collect();
    assert_eq!(
        calls,
        vec![
            ("<init>", CallKind::New),
            ("add", CallKind::Method),
            ("price", CallKind::Method),
            ("orElseThrow", CallKind::Method),
            ("findById", CallKind::Method),
            ("forEach", CallKind::Method),
            ("touch", CallKind::MethodRef),
            ("save", CallKind::Method),
        ]
    );
    let locals: Vec<_> = place.locals.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(locals, vec!["o", "p"]);
    assert_eq!(
        place.locals[0].init,
        Some(Expr::New(TypeRef {
            name: "Order".into(),
            args: vec![],
            array_dims: 0,
            line: 11
        }))
    );
    // The field initializer's call lands in the initializer.
    let init = f
        .functions
        .iter()
        .find(|f| f.kind == FunctionKind::Initializer)
        .unwrap();
    assert_eq!(init.calls[0].ty.as_ref().unwrap().name, "ArrayList");
    assert!(f.diagnostics.is_empty());
}

#[test]
fn syntax_error_keeps_partial_facts() {
    let f =
        parse("package a;\nimport b.C;\npublic class A {\n  void m( {\n}\nclass B extends C {}\n");
    assert_eq!(f.imports.len(), 1);
    assert!(f.types.iter().any(|t| t.name == "A"));
    assert_eq!(f.diagnostics.len(), 1);
    assert!(f.diagnostics[0].message.contains("syntax error"));
}

#[test]
fn sql_strings_are_kept() {
    let f = parse(
        "class A { void m() { jdbc.update(\"UPDATE loyalty SET p = 1\"); String s = \"hello\"; } }",
    );
    assert_eq!(f.sql.len(), 1);
    assert_eq!(f.sql[0].text, "UPDATE loyalty SET p = 1");
}

#[test]
fn deep_nesting_does_not_overflow() {
    let depth = 5000;
    let src = format!(
        "class A {{ int x = {}1{}; Object o = {}y{}; }}",
        "(".repeat(depth),
        ")".repeat(depth),
        "a(".repeat(depth),
        ")".repeat(depth)
    );
    let f = parse(&src);
    assert_eq!(f.types.len(), 1);
}
