//! Function bodies: the visitor that collects calls, struct literals,
//! pattern-bound locals, SQL strings, macro invocations and decision points,
//! the [`RExpr`] shape of a receiver expression, and the language-neutral
//! projection of each call.

use super::*;

/// The language-neutral projection of a call, for stages that only look
/// at `Function::calls` (data carriers, in-file call reach of the plan).
pub(super) fn neutral_call(c: &RCall) -> Call {
    let (receiver, name) = match &c.kind {
        RCallKind::Path(p) => {
            let name = p.last().cloned().unwrap_or_default();
            let recv = match p.len() {
                0 | 1 => None,
                _ if p.len() == 2 && p[0] == "Self" => Some(Expr::This),
                _ => Some(Expr::Name(p[..p.len() - 1].join("::"))),
            };
            (recv, name)
        }
        RCallKind::Method(r, name) => (
            Some(match r {
                RExpr::Path(p) if p.len() == 1 && p[0] == "self" => Expr::This,
                RExpr::Path(p) => Expr::Name(p.join("::")),
                _ => Expr::Unknown,
            }),
            name.clone(),
        ),
        RCallKind::Struct(p) => (None, p.last().cloned().unwrap_or_default()),
    };
    Call {
        receiver,
        name,
        kind: if matches!(c.kind, RCallKind::Struct(_)) {
            CallKind::New
        } else {
            CallKind::Method
        },
        args: 0,
        line: c.line,
        ty: None,
    }
}

/// The receiver shape of an expression; wrappers that keep the type
/// (`&x`, `*x`, `(x)`, `x?`, `x.await`) are looked through.
pub(crate) fn rexpr(e: &SExpr) -> RExpr {
    match e {
        SExpr::Path(p) if p.qself.is_none() => RExpr::Path(path_segments(&p.path)),
        SExpr::Field(f) => match &f.member {
            syn::Member::Named(n) => RExpr::Field(Box::new(rexpr(&f.base)), n.unraw().to_string()),
            syn::Member::Unnamed(_) => RExpr::Unknown,
        },
        SExpr::Call(c) => match &*c.func {
            SExpr::Path(p) if p.qself.is_none() => RExpr::Call(path_segments(&p.path)),
            _ => RExpr::Unknown,
        },
        SExpr::MethodCall(m) => {
            RExpr::MethodCall(Box::new(rexpr(&m.receiver)), m.method.unraw().to_string())
        }
        SExpr::Struct(s) if s.qself.is_none() => RExpr::Struct(path_segments(&s.path)),
        SExpr::Reference(r) => rexpr(&r.expr),
        SExpr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => rexpr(&u.expr),
        SExpr::Paren(p) => rexpr(&p.expr),
        SExpr::Group(g) => rexpr(&g.expr),
        SExpr::Try(t) => rexpr(&t.expr),
        SExpr::Await(a) => rexpr(&a.base),
        _ => RExpr::Unknown,
    }
}

/// Walks a function body: calls, `let` bindings, macros, nested `use`s
/// and decision points. Closures and nested blocks belong to the function.
#[derive(Default)]
pub(super) struct BodyVisitor<'ast> {
    pub(super) calls: Vec<RCall>,
    pub(super) locals: Vec<RLocal>,
    pub(super) uses: Vec<&'ast syn::ItemUse>,
    pub(super) nested_fns: Vec<String>,
    /// SQL-looking string literals (text, line).
    pub(super) sql: Vec<(String, u32)>,
    pub(super) routes: Vec<RouteDecl>,
    /// Line of the first `.transaction(` / `.begin()` call.
    pub(super) tx: Option<u32>,
    pub(super) macros: u32,
    pub(super) decisions: u32,
}

impl BodyVisitor<'_> {
    /// A variable bound by a pattern to (the unwrapped value of) `e`; the
    /// resolver looks through `Option`/`Result` when typing it.
    fn bind(&mut self, i: &syn::Ident, e: &SExpr) {
        self.locals.push(RLocal {
            name: i.unraw().to_string(),
            ty: None,
            init: Some(rexpr(e)),
            line: line_of(i.span()),
        });
    }
}

pub(super) fn starts_upper(i: &syn::Ident) -> bool {
    i.unraw()
        .to_string()
        .starts_with(|c: char| c.is_ascii_uppercase())
}

/// The variable of `x`, `Some(x)`, `Ok(x)` (also behind `&`, `ref`, `mut`).
pub(super) fn unwrapped_binding(p: &Pat) -> Option<&syn::Ident> {
    match p {
        // `None`, `Empty`: a unit variant or constant, not a binding.
        Pat::Ident(pi) if pi.subpat.is_none() && !starts_upper(&pi.ident) => Some(&pi.ident),
        Pat::Reference(r) => unwrapped_binding(&r.pat),
        Pat::TupleStruct(ts) if ts.elems.len() == 1 => {
            let last = ts.path.segments.last()?;
            if last.ident == "Some" || last.ident == "Ok" {
                match &ts.elems[0] {
                    Pat::Ident(pi) if pi.subpat.is_none() => Some(&pi.ident),
                    Pat::Reference(r) => unwrapped_binding(&r.pat),
                    _ => None,
                }
            } else {
                None
            }
        }
        _ => None,
    }
}

impl<'ast> Visit<'ast> for BodyVisitor<'ast> {
    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if let SExpr::Path(p) = &*c.func {
            if p.qself.is_none() {
                self.calls.push(RCall {
                    kind: RCallKind::Path(path_segments(&p.path)),
                    line: line_of(syn::spanned::Spanned::span(&p.path)),
                });
            }
        }
        visit::visit_expr_call(self, c);
    }

    fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
        let line = line_of(m.method.span());
        let name = m.method.unraw().to_string();
        self.routes.extend(rust_plan::call_routes(m, line));
        if rust_plan::opens_transaction(&name) && self.tx.is_none() {
            self.tx = Some(line);
        }
        self.calls.push(RCall {
            kind: RCallKind::Method(rexpr(&m.receiver), name),
            line,
        });
        visit::visit_expr_method_call(self, m);
    }

    fn visit_expr_struct(&mut self, s: &'ast syn::ExprStruct) {
        if s.qself.is_none() {
            self.calls.push(RCall {
                kind: RCallKind::Struct(path_segments(&s.path)),
                line: line_of(syn::spanned::Spanned::span(&s.path)),
            });
        }
        visit::visit_expr_struct(self, s);
    }

    fn visit_local(&mut self, l: &'ast syn::Local) {
        let init = l.init.as_ref().map(|i| rexpr(&i.expr));
        let (pat, ty) = match &l.pat {
            Pat::Type(pt) => (&*pt.pat, Some(rtype(&pt.ty))),
            p => (p, None),
        };
        if let Pat::Ident(pi) = pat {
            self.locals.push(RLocal {
                name: pi.ident.unraw().to_string(),
                ty,
                init,
                line: line_of(pi.ident.span()),
            });
        } else if let (Some(i), Some(init)) = (unwrapped_binding(pat), &l.init) {
            // `let Some(x) = e else { … };`
            self.bind(i, &init.expr);
        }
        visit::visit_local(self, l);
    }

    fn visit_expr_let(&mut self, e: &'ast syn::ExprLet) {
        // `if let Some(x) = e`, `while let Ok(x) = e`.
        if let Some(i) = unwrapped_binding(&e.pat) {
            self.bind(i, &e.expr);
        }
        visit::visit_expr_let(self, e);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        self.macros += 1;
        // Expression-like macro arguments (`println!`, `vec!`, `assert!`,
        // `format!`) hold calls too: read them when they parse as a
        // comma-separated expression list.
        let parser = Punctuated::<SExpr, syn::Token![,]>::parse_terminated;
        if let Ok(args) = syn::parse::Parser::parse2(parser, m.tokens.clone()) {
            let mut sub = BodyVisitor::default();
            for a in &args {
                sub.visit_expr(a);
            }
            self.calls.extend(sub.calls);
            self.locals.extend(sub.locals);
            self.sql.extend(sub.sql);
            self.routes.extend(sub.routes);
            self.tx = self.tx.or(sub.tx);
            self.macros += sub.macros;
            self.decisions += sub.decisions;
        }
    }

    fn visit_item(&mut self, i: &'ast Item) {
        // Items nested in a body: `use` declarations are kept; the bodies
        // of nested functions count as the enclosing function's.
        match i {
            Item::Use(u) => self.uses.push(u),
            Item::Fn(f) => {
                self.nested_fns.push(f.sig.ident.unraw().to_string());
                for s in &f.block.stmts {
                    self.visit_stmt(s);
                }
            }
            _ => {}
        }
    }

    fn visit_lit_str(&mut self, l: &'ast syn::LitStr) {
        let text = l.value();
        if looks_like_sql(&text) {
            self.sql.push((text, line_of(l.span())));
        }
    }

    fn visit_expr_if(&mut self, e: &'ast syn::ExprIf) {
        self.decisions += 1;
        visit::visit_expr_if(self, e);
    }
    fn visit_expr_while(&mut self, e: &'ast syn::ExprWhile) {
        self.decisions += 1;
        visit::visit_expr_while(self, e);
    }
    fn visit_expr_for_loop(&mut self, e: &'ast syn::ExprForLoop) {
        self.decisions += 1;
        if let Pat::Ident(pi) = &*e.pat {
            self.locals.push(RLocal {
                name: pi.ident.unraw().to_string(),
                ty: None,
                init: Some(RExpr::Element(Box::new(rexpr(&e.expr)))),
                line: line_of(pi.ident.span()),
            });
        }
        visit::visit_expr_for_loop(self, e);
    }
    fn visit_expr_loop(&mut self, e: &'ast syn::ExprLoop) {
        self.decisions += 1;
        visit::visit_expr_loop(self, e);
    }
    fn visit_expr_match(&mut self, e: &'ast syn::ExprMatch) {
        self.decisions += e.arms.len().saturating_sub(1) as u32;
        for arm in &e.arms {
            if let Some(i) = unwrapped_binding(&arm.pat) {
                self.bind(i, &e.expr);
            }
        }
        visit::visit_expr_match(self, e);
    }
    fn visit_bin_op(&mut self, op: &'ast syn::BinOp) {
        if matches!(op, syn::BinOp::And(_) | syn::BinOp::Or(_)) {
            self.decisions += 1;
        }
    }
}
