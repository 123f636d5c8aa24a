//! The Rust frontend: syn parses one file into [`FileFacts`] plus the
//! Rust-specific [`RustFacts`] (module declarations, `use` trees, impls,
//! receiver facts of every function).
//!
//! The neutral fields are filled the way the rest of the pipeline expects:
//! structs, enums, unions and traits are [`TypeDecl`]s, free functions and
//! methods are [`Function`]s (with a lossy projection of their calls), so
//! clustering, words and the plan work unchanged. Name resolution reads
//! [`RustFacts`] (see `crate::lang::rust::resolve`).
//!
//! A file syn cannot parse yields a warning diagnostic and the facts of a
//! line-level scan: `mod` declarations, `use` declarations and item names.
//!
//! This file holds the frontend entry, the item walk (modules, `use` trees,
//! types, impls, functions) and the type readers; `facts.rs` defines
//! [`RustFacts`], `body.rs` reads function bodies, `scan.rs` is the line-scan
//! fallback and `tests.rs` holds the unit tests.

mod body;
pub mod cargo;
mod facts;
pub mod plan;
pub mod resolve;
mod scan;

use body::{neutral_call, BodyVisitor};
use scan::line_scan;

pub use facts::{
    ImplDecl, ItemDecl, ItemKind, ModDecl, RCall, RCallKind, RExpr, RLocal, RType, RustFacts,
    RustFn, UseDecl,
};

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{
    Attribute, Expr as SExpr, FnArg, ImplItem, Item, Pat, ReturnType, Stmt, TraitItem, Type,
    UseTree, Visibility,
};

use self::plan as rust_plan;
use super::lines::{count_code_lines, C_LIKE};
use super::looks_like_sql;
use super::plan_facts::{RouteDecl, TableDecl, TxScope};
use super::{
    Call, CallKind, Diagnostic, Expr, Field, FileFacts, Frontend, Function, FunctionKind, Language,
    StringLit, SuperKind, TypeDecl, TypeKind, TypeRef,
};

pub struct RustFrontend;

impl Frontend for RustFrontend {
    fn language(&self) -> Language {
        Language::Rust
    }

    fn parse(&self, _path: &str, source: &str) -> FileFacts {
        let mut facts = FileFacts {
            code_lines: count_code_lines(source, &C_LIKE),
            ..FileFacts::default()
        };
        // syn parses by recursive descent: nesting deep enough overflows the
        // worker's stack and aborts the whole run (found by fuzzing). Such a
        // file is read by the line scan instead.
        let depth = nesting_depth(source);
        if depth > MAX_NESTING {
            facts.diagnostics.push(Diagnostic {
                line: None,
                message: format!(
                    "brackets nest {depth} deep (over {MAX_NESTING}); mod, use and item names read by a line scan"
                ),
            });
            facts.rust = Some(Box::new(line_scan(source, &mut facts)));
            return facts;
        }
        // syn recurses for every nesting level (brackets, prefix operators,
        // `else if` chains, ...): it runs on a thread of its own with a
        // large stack (reserved, not committed, until used), and a panic
        // there is a diagnostic, not an abort.
        let parse = || {
            let parsed = syn::parse_file(source).map(|file| {
                let mut facts = FileFacts::default();
                let mut ex = Extractor {
                    facts: &mut facts,
                    rust: RustFacts::default(),
                };
                ex.items(&file.items, Ctx::default());
                let rust = ex.rust;
                (facts, rust)
            });
            let parsed = parsed.map_err(|e| (e.span().start().line as u32, e.to_string()));
            // Span locations are kept per thread; the facts hold line
            // numbers only, so release them.
            proc_macro2::extra::invalidate_current_thread_spans();
            parsed
        };
        let outcome = std::thread::scope(|scope| {
            match std::thread::Builder::new()
                .name("syn".into())
                .stack_size(SYN_STACK)
                .spawn_scoped(scope, parse)
            {
                Ok(h) => h.join(),
                // No room for the big stack (a tight address-space limit):
                // parse here, protected by the nesting pre-check only.
                Err(_) => Ok(parse()),
            }
        });
        match outcome {
            Ok(Ok((mut parsed, rust))) => {
                parsed.code_lines = facts.code_lines;
                facts = parsed;
                link_route_handlers(&mut facts);
                facts.rust = Some(Box::new(rust));
            }
            Ok(Err((line, e))) => {
                facts.diagnostics.push(Diagnostic {
                    line: (line > 0).then_some(line),
                    message: format!(
                        "syn could not parse this file ({e}); mod, use and item names read by a line scan"
                    ),
                });
                facts.rust = Some(Box::new(line_scan(source, &mut facts)));
            }
            Err(_) => {
                facts.diagnostics.push(Diagnostic {
                    line: None,
                    message: "the Rust parser failed on this file; mod, use and item names read by a line scan".into(),
                });
                facts.rust = Some(Box::new(line_scan(source, &mut facts)));
            }
        }
        // Span locations are kept per thread for every parsed file; the
        // facts hold line numbers only, so release them.
        proc_macro2::extra::invalidate_current_thread_spans();
        facts
    }
}

/// Deepest bracket nesting syn is given; hand-written Rust stays far below
/// (nushell's deepest file: under 40).
const MAX_NESTING: usize = 200;

/// Stack of the thread syn runs on: address space reserved, pages used only
/// as deep as the file nests.
const SYN_STACK: usize = 512 << 20;

/// The deepest nesting of `(`, `[`, `{` outside comments, strings and char
/// literals; a lexical approximation (raw strings are read as plain
/// strings), used only to decide whether syn may see the file.
fn nesting_depth(source: &str) -> usize {
    let b = source.as_bytes();
    let (mut i, mut depth, mut max) = (0, 0usize, 0usize);
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            // A char literal ('(' or '\''); a lifetime ('a) has no closing quote.
            b'\'' if b.get(i + 2) == Some(&b'\'') => i += 2,
            b'\'' if b.get(i + 1) == Some(&b'\\') && b.get(i + 3) == Some(&b'\'') => i += 3,
            b'(' | b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            // Runs of prefix operators (`!!!!x`, `- - -x`, `&&&&x`) recurse
            // in syn like brackets do.
            b'!' | b'-' | b'*' | b'&' => {
                let mut run = 0;
                while i < b.len() && matches!(b[i], b'!' | b'-' | b'*' | b'&' | b' ' | b'\t') {
                    if !matches!(b[i], b' ' | b'\t') {
                        run += 1;
                    }
                    i += 1;
                }
                max = max.max(depth + run);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    max
}

/// A route whose handler is a free function of this file points at it.
fn link_route_handlers(facts: &mut FileFacts) {
    for r in &mut facts.routes {
        let Some(h) = r.handler.as_deref() else {
            continue;
        };
        let found = facts
            .functions
            .iter()
            .position(|f| f.owner.is_none() && f.name == h);
        if let Some(i) = found {
            r.function = Some(i as u32);
            r.handler = None;
        }
    }
}

fn line_of(span: Span) -> u32 {
    span.start().line as u32
}

#[derive(Clone, Copy, Default)]
struct Ctx {
    module: Option<u32>,
    test: bool,
    impl_index: Option<u32>,
    trait_item: Option<u32>,
    /// `FileFacts::types` index of the impl's self type or the trait.
    owner: Option<u32>,
}

struct Extractor<'a> {
    facts: &'a mut FileFacts,
    rust: RustFacts,
}

fn is_public(vis: &Visibility) -> bool {
    !matches!(vis, Visibility::Inherited)
}

fn is_cfg_test(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.meta
                .require_list()
                .is_ok_and(|l| l.tokens.to_string().split_whitespace().any(|t| t == "test"))
    })
}

fn path_attr(attrs: &[Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| {
        if !a.path().is_ident("path") {
            return None;
        }
        let nv = a.meta.require_name_value().ok()?;
        match &nv.value {
            SExpr::Lit(l) => match &l.lit {
                syn::Lit::Str(s) => Some(s.value()),
                _ => None,
            },
            _ => None,
        }
    })
}

pub(crate) fn path_segments(p: &syn::Path) -> Vec<String> {
    let mut out = Vec::with_capacity(p.segments.len() + 1);
    if p.leading_colon.is_some() {
        out.push("::".to_string());
    }
    out.extend(p.segments.iter().map(|s| s.ident.unraw().to_string()));
    out
}

/// Generic arguments of a path's last segment.
fn path_args(p: &syn::Path) -> Vec<RType> {
    let Some(last) = p.segments.last() else {
        return Vec::new();
    };
    match &last.arguments {
        syn::PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|g| match g {
                syn::GenericArgument::Type(t) => Some(rtype(t)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

pub(crate) fn rtype(t: &Type) -> RType {
    match t {
        Type::Path(p) if p.qself.is_none() => RType {
            path: path_segments(&p.path),
            args: path_args(&p.path),
        },
        Type::Reference(r) => rtype(&r.elem),
        Type::Paren(p) => rtype(&p.elem),
        Type::Group(g) => rtype(&g.elem),
        Type::Ptr(p) => rtype(&p.elem),
        Type::Slice(s) => RType {
            path: vec!["[]".into()],
            args: vec![rtype(&s.elem)],
        },
        Type::Array(a) => RType {
            path: vec!["[]".into()],
            args: vec![rtype(&a.elem)],
        },
        Type::TraitObject(o) => first_bound(o.bounds.iter()),
        Type::ImplTrait(o) => first_bound(o.bounds.iter()),
        _ => RType::default(),
    }
}

fn first_bound<'a>(mut bounds: impl Iterator<Item = &'a syn::TypeParamBound>) -> RType {
    bounds
        .find_map(|b| match b {
            syn::TypeParamBound::Trait(t) => Some(RType {
                path: path_segments(&t.path),
                args: path_args(&t.path),
            }),
            _ => None,
        })
        .unwrap_or_default()
}

fn typeref(t: &RType, line: u32) -> TypeRef {
    TypeRef {
        name: t.path.join("::"),
        args: t.args.iter().map(|a| typeref(a, line)).collect(),
        array_dims: 0,
        line,
    }
}

impl Extractor<'_> {
    fn items(&mut self, items: &[Item], cx: Ctx) {
        for item in items {
            self.item(item, cx);
        }
    }

    fn push_item(&mut self, name: String, kind: ItemKind, public: bool, line: u32, cx: Ctx) -> u32 {
        self.rust.items.push(ItemDecl {
            name,
            kind,
            module: cx.module,
            public,
            line,
            type_index: None,
            fn_index: None,
            bounds: Vec::new(),
            variants: Vec::new(),
            test: cx.test,
        });
        self.rust.items.len() as u32 - 1
    }

    fn push_type(&mut self, name: &str, kind: TypeKind, lines: (u32, u32)) -> u32 {
        self.facts.types.push(TypeDecl {
            name: name.to_string(),
            path: name.to_string(),
            kind,
            parent: None,
            lines,
            supertypes: Vec::new(),
            fields: Vec::new(),
            annotations: Vec::new(),
            type_params: Vec::new(),
        });
        self.facts.types.len() as u32 - 1
    }

    fn item(&mut self, item: &Item, cx: Ctx) {
        match item {
            Item::Mod(m) => {
                let test = cx.test || is_cfg_test(&m.attrs);
                self.rust.mods.push(ModDecl {
                    name: m.ident.unraw().to_string(),
                    module: cx.module,
                    inline: m.content.is_some(),
                    path_attr: path_attr(&m.attrs),
                    test,
                    public: is_public(&m.vis),
                    line: line_of(m.ident.span()),
                });
                let idx = self.rust.mods.len() as u32 - 1;
                if let Some((_, items)) = &m.content {
                    self.items(
                        items,
                        Ctx {
                            module: Some(idx),
                            test,
                            ..Ctx::default()
                        },
                    );
                }
            }
            Item::Use(u) => {
                let public = is_public(&u.vis);
                let mut prefix = Vec::new();
                if u.leading_colon.is_some() {
                    prefix.push("::".to_string());
                }
                let line = line_of(u.use_token.span);
                self.use_tree(&u.tree, &mut prefix, public, line, cx);
            }
            Item::ExternCrate(e) => {
                let name = e.ident.unraw().to_string();
                let alias = e.rename.as_ref().map(|(_, i)| i.unraw().to_string());
                self.rust.uses.push(UseDecl {
                    module: cx.module,
                    path: vec![name.clone()],
                    name: Some(alias.unwrap_or(name)),
                    glob: false,
                    public: is_public(&e.vis),
                    extern_crate: true,
                    test: cx.test,
                    line: line_of(e.ident.span()),
                });
            }
            Item::Struct(s) => {
                let name = s.ident.unraw().to_string();
                let line = line_of(s.ident.span());
                let ti = self.push_type(&name, TypeKind::Class, (line, line));
                for f in &s.fields {
                    let fname = match &f.ident {
                        Some(i) => i.to_string(),
                        None => continue,
                    };
                    let fl = f.ident.as_ref().map_or(line, |i| line_of(i.span()));
                    let rt = rtype(&f.ty);
                    self.facts.types[ti as usize].fields.push(Field {
                        name: fname,
                        ty: typeref(&rt, fl),
                        line: fl,
                    });
                }
                if let Some(table) = rust_plan::model_table(&s.attrs) {
                    self.facts.tables.push(TableDecl {
                        table,
                        type_index: Some(ti),
                        line,
                        queries_name_type: false,
                        reads: rust_plan::model_reads(),
                    });
                }
                let ii = self.push_item(name, ItemKind::Struct, is_public(&s.vis), line, cx);
                self.rust.items[ii as usize].type_index = Some(ti);
            }
            Item::Union(s) => {
                let name = s.ident.unraw().to_string();
                let line = line_of(s.ident.span());
                let ti = self.push_type(&name, TypeKind::Class, (line, line));
                let ii = self.push_item(name, ItemKind::Union, is_public(&s.vis), line, cx);
                self.rust.items[ii as usize].type_index = Some(ti);
            }
            Item::Enum(e) => {
                let name = e.ident.unraw().to_string();
                let line = line_of(e.ident.span());
                let ti = self.push_type(&name, TypeKind::Enum, (line, line));
                let ii = self.push_item(name, ItemKind::Enum, is_public(&e.vis), line, cx);
                let it = &mut self.rust.items[ii as usize];
                it.type_index = Some(ti);
                it.variants = e
                    .variants
                    .iter()
                    .map(|v| v.ident.unraw().to_string())
                    .collect();
                for v in &e.variants {
                    if let Some((_, d)) = &v.discriminant {
                        self.body_expr(d);
                    }
                }
            }
            Item::Trait(t) => {
                let name = t.ident.unraw().to_string();
                let line = line_of(t.ident.span());
                let ti = self.push_type(&name, TypeKind::Interface, (line, line));
                let ii = self.push_item(name, ItemKind::Trait, is_public(&t.vis), line, cx);
                let bounds: Vec<RType> = t
                    .supertraits
                    .iter()
                    .filter_map(|b| match b {
                        syn::TypeParamBound::Trait(tb) => Some(RType {
                            path: path_segments(&tb.path),
                            args: Vec::new(),
                        }),
                        _ => None,
                    })
                    .collect();
                for b in &bounds {
                    self.facts.types[ti as usize]
                        .supertypes
                        .push((SuperKind::Extends, typeref(b, line)));
                }
                let it = &mut self.rust.items[ii as usize];
                it.type_index = Some(ti);
                it.bounds = bounds;
                let tcx = Ctx {
                    trait_item: Some(ii),
                    owner: Some(ti),
                    ..cx
                };
                for ti in &t.items {
                    match ti {
                        TraitItem::Fn(f) => {
                            self.function(
                                &f.sig,
                                f.default.as_ref().map(|b| &b.stmts[..]),
                                &f.attrs,
                                tcx,
                            );
                        }
                        TraitItem::Macro(_) => self.rust.macro_calls += 1,
                        _ => {}
                    }
                }
            }
            Item::Type(t) => {
                let line = line_of(t.ident.span());
                let ii = self.push_item(
                    t.ident.unraw().to_string(),
                    ItemKind::TypeAlias,
                    is_public(&t.vis),
                    line,
                    cx,
                );
                self.rust.items[ii as usize].bounds = vec![rtype(&t.ty)];
            }
            Item::Fn(f) => {
                let line = line_of(f.sig.ident.span());
                let ii = self.push_item(
                    f.sig.ident.unraw().to_string(),
                    ItemKind::Fn,
                    is_public(&f.vis),
                    line,
                    cx,
                );
                let fi = self.function(&f.sig, Some(&f.block.stmts), &f.attrs, cx);
                self.rust.items[ii as usize].fn_index = Some(fi);
            }
            Item::Const(c) => {
                self.push_item(
                    c.ident.unraw().to_string(),
                    ItemKind::Const,
                    is_public(&c.vis),
                    line_of(c.ident.span()),
                    cx,
                );
                self.body_expr(&c.expr);
            }
            Item::Static(s) => {
                self.push_item(
                    s.ident.unraw().to_string(),
                    ItemKind::Static,
                    is_public(&s.vis),
                    line_of(s.ident.span()),
                    cx,
                );
                self.body_expr(&s.expr);
            }
            Item::Impl(i) => {
                let self_ty = rtype(&i.self_ty);
                let line = line_of(i.impl_token.span);
                let trait_ = i.trait_.as_ref().map(|(p, _)| path_segments(p));
                let owner = self.local_type(&self_ty, cx.module);
                if let (Some(o), Some(t)) = (owner, &trait_) {
                    self.facts.types[o as usize].supertypes.push((
                        SuperKind::Implements,
                        typeref(
                            &RType {
                                path: t.clone(),
                                args: Vec::new(),
                            },
                            line,
                        ),
                    ));
                }
                self.rust.impls.push(ImplDecl {
                    module: cx.module,
                    self_ty,
                    trait_,
                    line,
                    test: cx.test,
                });
                let icx = Ctx {
                    impl_index: Some(self.rust.impls.len() as u32 - 1),
                    owner,
                    ..cx
                };
                for it in &i.items {
                    match it {
                        ImplItem::Fn(f) => {
                            self.function(&f.sig, Some(&f.block.stmts), &f.attrs, icx);
                        }
                        ImplItem::Const(c) => self.body_expr(&c.expr),
                        ImplItem::Macro(_) => self.rust.macro_calls += 1,
                        _ => {}
                    }
                }
            }
            Item::Macro(m) => {
                self.rust.macro_calls += 1;
                if m.mac.path.is_ident("macro_rules") {
                    if let Some(name) = &m.ident {
                        // `#[macro_export]` puts the macro at the crate root.
                        let exported = m.attrs.iter().any(|a| a.path().is_ident("macro_export"));
                        self.push_item(
                            name.unraw().to_string(),
                            ItemKind::Macro,
                            exported,
                            line_of(name.span()),
                            cx,
                        );
                    }
                } else if m
                    .mac
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "table")
                {
                    let line = line_of(syn::spanned::Spanned::span(&m.mac.path));
                    if let Some(t) = rust_plan::diesel_table(&m.mac.tokens, line) {
                        self.facts.tables.push(t);
                    }
                } else if m
                    .mac
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "lazy_static")
                {
                    // `lazy_static! { pub static ref NAME: T = …; }`.
                    let toks: Vec<proc_macro2::TokenTree> =
                        m.mac.tokens.clone().into_iter().collect();
                    for w in toks.windows(3) {
                        if let [proc_macro2::TokenTree::Ident(a), proc_macro2::TokenTree::Ident(b), proc_macro2::TokenTree::Ident(n)] =
                            w
                        {
                            if a == "static" && b == "ref" {
                                self.push_item(
                                    n.unraw().to_string(),
                                    ItemKind::Static,
                                    true,
                                    line_of(n.span()),
                                    cx,
                                );
                            }
                        }
                    }
                } else if let Ok(file) = syn::parse2::<syn::File>(m.mac.tokens.clone()) {
                    // Item-like macro bodies (`cfg_if!`-style wrappers and
                    // the like) are read when they parse as items.
                    self.items(&file.items, cx);
                }
            }
            Item::ForeignMod(f) => {
                for it in &f.items {
                    if let syn::ForeignItem::Fn(func) = it {
                        self.push_item(
                            func.sig.ident.unraw().to_string(),
                            ItemKind::Fn,
                            is_public(&func.vis),
                            line_of(func.sig.ident.span()),
                            cx,
                        );
                    }
                }
            }
            _ => {}
        }
    }

    /// The `FileFacts::types` index of a type declared in this file's
    /// module `module` under the single-segment name of `ty`.
    fn local_type(&self, ty: &RType, module: Option<u32>) -> Option<u32> {
        let name = match ty.path.as_slice() {
            [n] => n,
            [s, n] if s == "self" => n,
            _ => return None,
        };
        self.rust
            .items
            .iter()
            .find(|i| i.module == module && &i.name == name && i.type_index.is_some())
            .and_then(|i| i.type_index)
    }

    fn use_tree(
        &mut self,
        tree: &UseTree,
        prefix: &mut Vec<String>,
        public: bool,
        line: u32,
        cx: Ctx,
    ) {
        let mut push = |path: Vec<String>, name: Option<String>, glob: bool| {
            self.rust.uses.push(UseDecl {
                module: cx.module,
                path,
                name,
                glob,
                public,
                extern_crate: false,
                test: cx.test,
                line,
            });
        };
        match tree {
            UseTree::Path(p) => {
                prefix.push(p.ident.unraw().to_string());
                self.use_tree(&p.tree, prefix, public, line, cx);
                prefix.pop();
            }
            UseTree::Name(n) => {
                let name = n.ident.unraw().to_string();
                if name == "self" {
                    let bound = prefix.last().cloned();
                    push(prefix.clone(), bound, false);
                } else {
                    let mut path = prefix.clone();
                    path.push(name.clone());
                    push(path, Some(name), false);
                }
            }
            UseTree::Rename(r) => {
                let name = r.ident.unraw().to_string();
                let mut path = prefix.clone();
                if name != "self" {
                    path.push(name);
                }
                push(path, Some(r.rename.unraw().to_string()), false);
            }
            UseTree::Glob(_) => push(prefix.clone(), None, true),
            UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(t, prefix, public, line, cx);
                }
            }
        }
    }

    fn function(
        &mut self,
        sig: &syn::Signature,
        body: Option<&[Stmt]>,
        attrs: &[Attribute],
        cx: Ctx,
    ) -> u32 {
        let line = line_of(sig.ident.span());
        // Only `#[cfg(test)]` code is left out of the graph: a `#[test]`
        // function in `tests/` is a test unit's own code.
        let test = cx.test;
        let mut rf = RustFn {
            module: cx.module,
            impl_index: cx.impl_index,
            trait_item: cx.trait_item,
            test,
            ..RustFn::default()
        };
        let mut params = Vec::new();
        for arg in &sig.inputs {
            match arg {
                FnArg::Receiver(_) => rf.has_self = true,
                FnArg::Typed(pt) => {
                    let t = rtype(&pt.ty);
                    if let Pat::Ident(pi) = &*pt.pat {
                        let name = pi.ident.unraw().to_string();
                        params.push((name.clone(), typeref(&t, line)));
                        rf.params.push((name, t));
                    }
                }
            }
        }
        rf.ret = match &sig.output {
            ReturnType::Default => None,
            ReturnType::Type(_, t) => Some(rtype(t)),
        };
        let end = body
            .and_then(|b| b.last())
            .map_or(line, |s| line_of(syn::spanned::Spanned::span(s)).max(line));
        let mut bv = BodyVisitor::default();
        if let Some(stmts) = body {
            for s in stmts {
                bv.visit_stmt(s);
            }
        }
        rf.locals = bv.locals;
        rf.calls = bv.calls;
        rf.nested_fns = bv.nested_fns;
        self.rust.macro_calls += bv.macros;
        for u in bv.uses {
            let mut prefix = Vec::new();
            if u.leading_colon.is_some() {
                prefix.push("::".to_string());
            }
            self.use_tree(&u.tree, &mut prefix, false, line_of(u.use_token.span), cx);
        }
        self.facts.complexity += 1 + bv.decisions;
        let fi = self.facts.functions.len() as u32;
        for (text, l) in bv.sql {
            self.facts.sql.push(StringLit {
                text,
                line: l,
                function: Some(fi),
            });
        }
        let mut routes = bv.routes;
        routes.sort_by_key(|r| r.line);
        self.facts.routes.extend(routes);
        for (method, path, l) in rust_plan::attr_routes(attrs, line) {
            self.facts.routes.push(RouteDecl {
                method,
                path,
                function: Some(fi),
                handler: None,
                include: None,
                line: l,
            });
        }
        if let Some(l) = bv.tx {
            self.facts.tx_scopes.push(TxScope {
                function: fi,
                line: l,
            });
        }
        let calls = rf.calls.iter().map(neutral_call).collect();
        self.facts.functions.push(Function {
            name: sig.ident.unraw().to_string(),
            owner: cx.owner,
            kind: FunctionKind::Method,
            lines: (line, end),
            params,
            returns: rf.ret.as_ref().map(|t| typeref(t, line)),
            locals: Vec::new(),
            calls,
            annotations: Vec::new(),
            is_static: !rf.has_self,
            type_params: sig
                .generics
                .type_params()
                .map(|p| p.ident.unraw().to_string())
                .collect(),
        });
        self.rust.fns.push(rf);
        self.facts.functions.len() as u32 - 1
    }

    /// Calls in a const/static initializer or enum discriminant: counted
    /// as macros/complexity only (there is no caller function).
    fn body_expr(&mut self, e: &SExpr) {
        let mut bv = BodyVisitor::default();
        bv.visit_expr(e);
        self.rust.macro_calls += bv.macros;
    }
}

/// Parses a token stream as items; used by the benchmark's floor.
pub fn bare_parse(source: &str) -> bool {
    let ok = syn::parse_file(source).is_ok();
    proc_macro2::extra::invalidate_current_thread_spans();
    ok
}

#[cfg(test)]
mod tests;
