//! The C# frontend on small sources: what each construct states.

use super::*;

fn parse(src: &str) -> FileFacts {
    CSharpFrontend.parse("T.cs", src)
}

fn cs(f: &FileFacts) -> &CsFacts {
    f.csharp.as_deref().unwrap()
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
}

#[test]
fn namespaces_usings_and_nested_types() {
    let f = parse(
        r#"global using System;
using Shop.Kernel;
using static Shop.Kernel.Money;
using Billing = Shop.Billing;
namespace Shop.Orders
{
    using Shop.Catalog;
    public partial class Order : Entity, IOrder<Line>
    {
        public Money Total { get; set; }
        private readonly List<Line> _lines = new();
        public event Handler Placed;
        public Line this[int i] => _lines[i];
        public record Line(int Qty, Money Price);
        public struct Id { }
        public delegate void Handler(Order o);
        public static string Slug(this string s) => s;
    }
    namespace Inner { interface IX { } enum E { A } }
}
"#,
    );
    let c = cs(&f);
    let usings: Vec<(UsingKind, &str, Option<&str>, bool, &str)> = c
        .usings
        .iter()
        .map(|u| {
            (
                u.kind,
                u.target.as_str(),
                u.alias.as_deref(),
                u.global,
                u.scope.as_str(),
            )
        })
        .collect();
    assert_eq!(
        usings,
        vec![
            (UsingKind::Namespace, "System", None, true, ""),
            (UsingKind::Namespace, "Shop.Kernel", None, false, ""),
            (UsingKind::Static, "Shop.Kernel.Money", None, false, ""),
            (UsingKind::Alias, "Shop.Billing", Some("Billing"), false, ""),
            (
                UsingKind::Namespace,
                "Shop.Catalog",
                None,
                false,
                "Shop.Orders"
            ),
        ]
    );
    assert_eq!(c.namespaces, vec!["Shop.Orders", "Shop.Orders.Inner"]);
    let types: Vec<(&str, &str, CsKind)> = f
        .types
        .iter()
        .zip(&c.type_namespaces)
        .zip(&c.kinds)
        .map(|((t, ns), k)| (t.path.as_str(), ns.as_str(), *k))
        .collect();
    assert_eq!(
        types,
        vec![
            ("Order", "Shop.Orders", CsKind::Class),
            ("Order.Line", "Shop.Orders", CsKind::Record),
            ("Order.Id", "Shop.Orders", CsKind::Struct),
            ("Order.Handler", "Shop.Orders", CsKind::Delegate),
            ("IX", "Shop.Orders.Inner", CsKind::Interface),
            ("E", "Shop.Orders.Inner", CsKind::Enum),
        ]
    );
    assert_eq!(c.partial, vec![true, false, false, false, false, false]);
    let order = &f.types[0];
    let supers: Vec<&str> = order
        .supertypes
        .iter()
        .map(|(_, t)| t.name.as_str())
        .collect();
    assert_eq!(supers, vec!["Entity", "IOrder"]);
    let fields: Vec<&str> = order.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(fields, vec!["Total", "_lines", "Placed"]);
    // Record parameters are properties of the record.
    let line: Vec<&str> = f.types[1].fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(line, vec!["Qty", "Price"]);
    let names: Vec<&str> = f.functions.iter().map(|f| f.name.as_str()).collect();
    assert!(names.contains(&"this[]"), "{names:?}");
    let slug = f.functions.iter().position(|f| f.name == "Slug").unwrap() as u32;
    assert_eq!(c.extension_methods, vec![slug]);
    assert!(f.diagnostics.is_empty(), "{:?}", f.diagnostics);
    assert_eq!(f.namespace.as_deref(), Some("Shop.Orders"));
}

#[test]
fn calls_locals_lambdas_and_async() {
    let f = parse(
        r#"namespace A;
public class S
{
    private readonly Repo _repo;
    public async Task<Order> Run(int id)
    {
        var order = await _repo.FindAsync(id);
        foreach (var line in order.Lines) { line.Touch(); }
        var n = order.Lines.Sum(l => l.Qty);
        order?.Place();
        Helper();
        return new Order(id);
    }
}
"#,
    );
    let run = f.functions.iter().find(|f| f.name == "Run").unwrap();
    let calls: Vec<(&str, CallKind)> = run
        .calls
        .iter()
        .map(|c| (c.name.as_str(), c.kind))
        .collect();
    assert_eq!(
        calls,
        vec![
            ("FindAsync", CallKind::Method),
            ("Touch", CallKind::Method),
            ("Sum", CallKind::Method),
            ("Place", CallKind::Method),
            ("Helper", CallKind::Method),
            ("<init>", CallKind::New),
        ]
    );
    let locals: Vec<(&str, bool)> = run
        .locals
        .iter()
        .map(|l| (l.name.as_str(), l.element_of_init))
        .collect();
    assert_eq!(
        locals,
        vec![("order", false), ("line", true), ("n", false), ("l", true)]
    );
    // `await` is looked through.
    assert_eq!(
        run.locals[0].init,
        Some(Expr::Call(
            Some(Box::new(Expr::Name("_repo".into()))),
            "FindAsync".into(),
            1
        ))
    );
    // The lambda parameter iterates the receiver of `Sum`.
    assert_eq!(
        run.locals[3].init,
        Some(Expr::Field(
            Box::new(Expr::Name("order".into())),
            "Lines".into()
        ))
    );
    assert_eq!(
        run.returns
            .as_ref()
            .map(|r| (r.name.as_str(), r.args.len())),
        Some(("Task", 1))
    );
}

#[test]
fn both_preprocessor_branches_are_read_and_errors_never_abort() {
    let f = parse(
        "class A {\n void M() {\n#if DEBUG\n  X.Debug();\n#else\n  X.Release();\n#endif\n }\n}\n",
    );
    let calls: Vec<&str> = f.functions[0]
        .calls
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(calls, vec!["Debug", "Release"]);
    let broken = parse("namespace A { class B { void M( { } class C : B { } }");
    assert!(broken.types.iter().any(|t| t.name == "B"));
    assert_eq!(broken.diagnostics.len(), 1);
    assert!(broken.diagnostics[0].message.contains("syntax error"));
}

#[test]
fn framework_facts_of_one_file() {
    let f = parse(
        r#"[Route("api/[controller]")]
public class OrdersController : ControllerBase
{
    [HttpGet("{id}")]
    public Order Get(int id) => null;
}
public class Ctx : DbContext
{
    public DbSet<Order> Orders { get; set; }
    protected override void OnModelCreating(ModelBuilder b) { b.Entity<Line>().ToTable("order_lines"); }
}
public static class Api
{
    public static void Map(WebApplication app)
    {
        var g = app.MapGroup("/api").MapGroup("v1");
        g.MapGet("/x", () => 1);
    }
}
public class Tests { [Fact] public void T() { using var s = new TransactionScope(); } }
"#,
    );
    let c = cs(&f);
    let kinds: Vec<(&MappingKind, Option<&str>, Option<&str>)> = c
        .mappings
        .iter()
        .map(|m| {
            (
                &m.kind,
                m.entity.as_ref().map(|e| e.name.as_str()),
                m.table.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            (
                &MappingKind::Set {
                    property: "Orders".into()
                },
                Some("Order"),
                None
            ),
            (&MappingKind::ToTable, Some("Line"), Some("order_lines")),
        ]
    );
    assert_eq!(c.routes.len(), 1);
    assert_eq!(
        (c.routes[0].method.as_str(), c.routes[0].path.as_str()),
        ("GET", "/api/v1/x")
    );
    assert!(c.test_attributes);
    assert_eq!(f.tx_scopes.len(), 1);
    assert_eq!(f.symbol(f.tx_scopes[0].function as usize), "Tests.T");
}

#[test]
fn sql_strings_are_kept_and_deep_nesting_is_bounded() {
    let f = parse(
        "class R { void M() { db.Execute(@\"UPDATE loyalty SET p = 1\"); var s = \"hello\"; } }",
    );
    assert_eq!(f.sql.len(), 1);
    assert_eq!(f.sql[0].text, "UPDATE loyalty SET p = 1");
    let depth = 3000;
    let src = format!(
        "class A {{ int x = {}1{}; object o = {}y{}; }}",
        "(".repeat(depth),
        ")".repeat(depth),
        "a(".repeat(depth),
        ")".repeat(depth)
    );
    let f = parse(&src);
    assert_eq!(f.types.len(), 1);
}
