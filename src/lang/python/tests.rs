//! Unit tests of the Python frontend.

use super::*;

fn parse(src: &str) -> FileFacts {
    PythonFrontend.parse("shop/orders/models.py", src)
}

#[test]
fn queries_compile() {
    assert!(query().capture_names().len() >= 9);
}

#[test]
fn reads_every_import_form() {
    let f = parse(
            "import a.b.c\nimport a.b as x\nfrom ..pkg.mod import n as m, k\nfrom . import sib\nfrom m import *\n\
             from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from orders.models import Order\n\
             try:\n    import ujson as json\nexcept ImportError:\n    import json\n\
             def f():\n    import late\n",
        );
    let py = f.python.unwrap();
    let i = &py.imports;
    let modules: Vec<&str> = i.iter().map(|x| x.module.as_str()).collect();
    assert_eq!(
        modules,
        [
            "a.b.c",
            "a.b",
            "pkg.mod",
            "",
            "m",
            "typing",
            "orders.models",
            "ujson",
            "json",
            "late"
        ]
    );
    assert_eq!((i[0].from, i[0].alias.as_deref()), (false, None));
    assert_eq!(i[1].alias.as_deref(), Some("x"));
    assert_eq!(i[2].level, 2);
    assert_eq!(
        i[2].names,
        vec![
            ("n".to_string(), Some("m".to_string())),
            ("k".to_string(), None)
        ]
    );
    assert_eq!((i[3].level, i[3].names[0].0.as_str()), (1, "sib"));
    assert!(i[4].star && !i[3].star);
    let flags: Vec<(bool, bool, bool)> = i
        .iter()
        .map(|x| (x.type_checking, x.fallback, x.in_function))
        .collect();
    assert_eq!(flags[5], (false, false, false));
    assert_eq!(flags[6], (true, false, false));
    assert_eq!(flags[7], (false, true, false));
    assert_eq!(flags[8], (false, true, false));
    assert_eq!(flags[9], (false, false, true));
}

#[test]
fn imports_in_functions_are_flagged() {
    let f = parse("def f():\n    import late\n    late.go()\n");
    let py = f.python.unwrap();
    assert_eq!(py.imports.len(), 1);
    assert!(py.imports[0].in_function);
    assert_eq!(f.functions[0].calls[0].name, "go");
}

#[test]
fn classes_methods_calls_and_fields() {
    let f = parse(
            "class Order(models.Model, Mixin):\n    objects = OrderManager()\n    class Meta:\n        db_table = 'shop_orders'\n\
             \n    def total(self, x: Money) -> 'Money':\n        self.repo = Repo()\n        return self.helper(x) + super().total()\n",
        );
    assert_eq!(f.types.len(), 2);
    assert_eq!(f.types[1].path, "Order.Meta");
    assert_eq!(f.types[0].supertypes.len(), 2);
    assert_eq!(f.types[0].fields[0].ty.name, "OrderManager");
    assert_eq!(f.types[0].fields[1].name, "repo");
    let total = f.functions.iter().find(|x| x.name == "total").unwrap();
    assert_eq!(total.params[0].1.name, "Money");
    assert_eq!(total.returns.as_ref().unwrap().name, "Money");
    assert_eq!(total.calls.len(), 3);
    assert_eq!(
        f.tables,
        vec![TableDecl {
            table: "shop_orders".into(),
            type_index: Some(0),
            line: 1,
            queries_name_type: false,
            reads: None,
        }]
    );
}

#[test]
fn default_django_table_name_and_sqlalchemy() {
    let f = parse(
        "class LineItem(models.Model):\n    pass\nclass T(Base):\n    __tablename__ = 'Things'\n",
    );
    let t: Vec<&str> = f.tables.iter().map(|t| t.table.as_str()).collect();
    assert_eq!(t, vec!["orders_lineitem", "things"]);
}

#[test]
fn routes_and_transactions() {
    let f = parse(
            "bp = Blueprint('o', __name__, url_prefix='/orders')\n@bp.route('/<id>', methods=['GET', 'POST'])\ndef show(id):\n    pass\n\
             @transaction.atomic\ndef place():\n    pass\ndef pay():\n    with transaction.atomic():\n        pass\n\
             urlpatterns = [path('api/', include('orders.urls')), path('x/<int:pk>/', views.detail),\n\
             path('g/', csrf_exempt(GraphQLView.as_view(schema=s)))]\n",
        );
    let r: Vec<(String, String)> = f
        .routes
        .iter()
        .map(|r| (r.method.clone(), r.path.clone()))
        .collect();
    assert_eq!(
        r,
        vec![
            ("GET".into(), "/orders/<id>".into()),
            ("POST".into(), "/orders/<id>".into()),
            ("ANY".into(), "api/".into()),
            ("ANY".into(), "x/<int:pk>/".into()),
            ("ANY".into(), "g/".into()),
        ]
    );
    assert_eq!(f.routes[2].include.as_deref(), Some("orders.urls"));
    assert_eq!(f.routes[3].handler.as_deref(), Some("views.detail"));
    assert_eq!(f.routes[4].handler.as_deref(), Some("GraphQLView"));
    assert_eq!(f.tx_scopes.len(), 2);
}

#[test]
fn syntax_errors_give_partial_facts_and_a_diagnostic() {
    let f = parse("import os\nprint 'hello'\ndef ok():\n    pass\nclass Half(\n");
    assert_eq!(f.python.as_ref().unwrap().imports.len(), 1);
    assert!(f.functions.iter().any(|x| x.name == "ok"));
    assert_eq!(f.diagnostics.len(), 1);
    assert!(
        f.diagnostics[0].message.contains("syntax error"),
        "{:?}",
        f.diagnostics
    );
    assert!(
        f.diagnostics[0].message.contains("Python 2"),
        "{:?}",
        f.diagnostics
    );
}

#[test]
fn decodes_coding_cookies() {
    let (s, d) = decode(b"# -*- coding: latin-1 -*-\nname = '\xe9'\n");
    assert!(s.contains("'\u{e9}'"));
    assert!(d.unwrap().contains("latin-1"));
    let (s, _) = decode(b"# vim: set fileencoding=cp1252 :\nq = '\x93x\x94'\n");
    assert!(s.contains("\u{201C}x\u{201D}"));
    let (s, d) = decode(b"x = '\xff'\n");
    assert!(s.contains('\u{FFFD}'));
    assert!(d.unwrap().contains("replaced"));
    assert_eq!(
        decode(b"\xEF\xBB\xBFx = 1\n"),
        ("x = 1\n".to_string(), None)
    );
}
