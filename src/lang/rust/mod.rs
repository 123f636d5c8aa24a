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

pub mod cargo;
pub mod plan;
pub mod resolve;

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

/// Rust-specific facts of one file. Module indices (`module`) point into
/// [`RustFacts::mods`] and name the innermost *inline* module an element
/// sits in (`None`: the file's own module).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct RustFacts {
    pub mods: Vec<ModDecl>,
    pub uses: Vec<UseDecl>,
    pub items: Vec<ItemDecl>,
    pub impls: Vec<ImplDecl>,
    /// Parallel to [`FileFacts::functions`].
    pub fns: Vec<RustFn>,
    /// Macro invocations (`name!(..)`), items and expressions.
    pub macro_calls: u32,
    /// Facts come from the line-level scan because syn could not parse.
    pub partial: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ModDecl {
    pub name: String,
    pub module: Option<u32>,
    /// `mod m { .. }` rather than `mod m;`.
    pub inline: bool,
    /// `#[path = "…"]`.
    pub path_attr: Option<String>,
    /// `#[cfg(test)]` on this module or an enclosing one.
    pub test: bool,
    pub public: bool,
    pub line: u32,
}

/// One leaf of a `use` tree (or an `extern crate`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UseDecl {
    pub module: Option<u32>,
    /// Segments as written; a leading `::` is the segment `"::"`.
    /// For `use a::b::{self}` the path is `a::b`.
    pub path: Vec<String>,
    /// The name it binds (`as` rename, `_`); `None` for a glob.
    pub name: Option<String>,
    pub glob: bool,
    /// `pub use` (any `pub(..)` too): a re-export.
    pub public: bool,
    pub extern_crate: bool,
    pub test: bool,
    pub line: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ItemKind {
    Struct,
    Enum,
    Union,
    Trait,
    TypeAlias,
    Fn,
    Const,
    Static,
    Macro,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ItemDecl {
    pub name: String,
    pub kind: ItemKind,
    pub module: Option<u32>,
    pub public: bool,
    pub line: u32,
    /// Index into [`FileFacts::types`] for structs, enums, unions, traits.
    pub type_index: Option<u32>,
    /// Index into [`FileFacts::functions`] for free functions.
    pub fn_index: Option<u32>,
    /// Supertraits of a trait; the aliased type of a type alias.
    pub bounds: Vec<RType>,
    /// Enum variant names.
    pub variants: Vec<String>,
    pub test: bool,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ImplDecl {
    pub module: Option<u32>,
    pub self_ty: RType,
    pub trait_: Option<Vec<String>>,
    pub line: u32,
    pub test: bool,
}

/// A type as written, with references, parentheses and `dyn`/`impl`
/// stripped to the first bound. An empty path is a type without a name
/// (tuple, array, slice, fn pointer).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct RType {
    pub path: Vec<String>,
    pub args: Vec<RType>,
}

/// The shape of an expression, as far as typing a receiver needs it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RExpr {
    /// `x`, `self`, `a::B`.
    Path(Vec<String>),
    Field(Box<RExpr>, String),
    /// `a::f(..)`, `T::new(..)`.
    Call(Vec<String>),
    MethodCall(Box<RExpr>, String),
    /// `T { .. }`.
    Struct(Vec<String>),
    /// An element of a collection: the variable of `for x in expr`.
    Element(Box<RExpr>),
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RCallKind {
    /// A call through a path: `f()`, `m::f()`, `T::new()`, `Self::f()`,
    /// a tuple-struct or variant constructor.
    Path(Vec<String>),
    /// `receiver.name(..)`.
    Method(RExpr, String),
    /// A struct literal `T { .. }`.
    Struct(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RCall {
    pub kind: RCallKind,
    pub line: u32,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RLocal {
    pub name: String,
    pub ty: Option<RType>,
    pub init: Option<RExpr>,
    pub line: u32,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct RustFn {
    pub module: Option<u32>,
    /// Index into [`RustFacts::impls`] for a method.
    pub impl_index: Option<u32>,
    /// Index into [`RustFacts::items`] of the trait, for a trait method.
    pub trait_item: Option<u32>,
    pub has_self: bool,
    pub params: Vec<(String, RType)>,
    pub ret: Option<RType>,
    pub locals: Vec<RLocal>,
    pub calls: Vec<RCall>,
    /// Functions declared inside the body (their bodies count as this one's).
    pub nested_fns: Vec<String>,
    pub test: bool,
}

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

/// The language-neutral projection of a call, for stages that only look
/// at `Function::calls` (data carriers, in-file call reach of the plan).
fn neutral_call(c: &RCall) -> Call {
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
struct BodyVisitor<'ast> {
    calls: Vec<RCall>,
    locals: Vec<RLocal>,
    uses: Vec<&'ast syn::ItemUse>,
    nested_fns: Vec<String>,
    /// SQL-looking string literals (text, line).
    sql: Vec<(String, u32)>,
    routes: Vec<RouteDecl>,
    /// Line of the first `.transaction(` / `.begin()` call.
    tx: Option<u32>,
    macros: u32,
    decisions: u32,
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

fn starts_upper(i: &syn::Ident) -> bool {
    i.unraw()
        .to_string()
        .starts_with(|c: char| c.is_ascii_uppercase())
}

/// The variable of `x`, `Some(x)`, `Ok(x)` (also behind `&`, `ref`, `mut`).
fn unwrapped_binding(p: &Pat) -> Option<&syn::Ident> {
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

/// The fallback for a file syn cannot parse: `mod` declarations, `use`
/// declarations (each parsed on its own by syn) and item names, read line
/// by line. Nesting inside inline modules is not tracked.
fn line_scan(source: &str, facts: &mut FileFacts) -> RustFacts {
    let mut rust = RustFacts {
        partial: true,
        ..RustFacts::default()
    };
    let mut pending: Option<(String, u32)> = None;
    for (i, raw) in source.lines().enumerate() {
        let line = i as u32 + 1;
        let text = raw.trim();
        if let Some((mut acc, start)) = pending.take() {
            acc.push(' ');
            acc.push_str(text);
            if text.contains(';') {
                scan_use(&acc, start, &mut rust);
            } else if acc.len() < 4096 {
                pending = Some((acc, start));
            }
            continue;
        }
        let (public, rest) = strip_vis(text);
        let mut words = rest.split(|c: char| !(c.is_alphanumeric() || c == '_'));
        let Some(first) = words.next() else { continue };
        match first {
            "use" => {
                if text.contains(';') {
                    scan_use(text, line, &mut rust);
                } else {
                    pending = Some((text.to_string(), line));
                }
            }
            "mod" => {
                if let Some(name) = words.next().filter(|n| !n.is_empty()) {
                    rust.mods.push(ModDecl {
                        name: name.to_string(),
                        module: None,
                        inline: !rest.contains(';'),
                        path_attr: None,
                        test: false,
                        public,
                        line,
                    });
                }
            }
            "struct" | "enum" | "trait" | "fn" | "union" | "type" => {
                let Some(name) = words.next().filter(|n| !n.is_empty()) else {
                    continue;
                };
                let (kind, tk) = match first {
                    "struct" => (ItemKind::Struct, Some(TypeKind::Class)),
                    "union" => (ItemKind::Union, Some(TypeKind::Class)),
                    "enum" => (ItemKind::Enum, Some(TypeKind::Enum)),
                    "trait" => (ItemKind::Trait, Some(TypeKind::Interface)),
                    "type" => (ItemKind::TypeAlias, None),
                    _ => (ItemKind::Fn, None),
                };
                let type_index = tk.map(|k| {
                    facts.types.push(TypeDecl {
                        name: name.to_string(),
                        path: name.to_string(),
                        kind: k,
                        parent: None,
                        lines: (line, line),
                        supertypes: Vec::new(),
                        fields: Vec::new(),
                        annotations: Vec::new(),
                        type_params: Vec::new(),
                    });
                    facts.types.len() as u32 - 1
                });
                rust.items.push(ItemDecl {
                    name: name.to_string(),
                    kind,
                    module: None,
                    public,
                    line,
                    type_index,
                    fn_index: None,
                    bounds: Vec::new(),
                    variants: Vec::new(),
                    test: false,
                });
            }
            _ => {}
        }
    }
    rust
}

/// Strips a leading visibility (`pub`, `pub(crate)`, `pub(in a::b)`).
fn strip_vis(text: &str) -> (bool, &str) {
    let Some(rest) = text.strip_prefix("pub") else {
        return (false, text);
    };
    let rest = rest.trim_start();
    if let Some(r) = rest.strip_prefix('(') {
        match r.find(')') {
            Some(i) => (true, r[i + 1..].trim_start()),
            None => (true, r),
        }
    } else if rest.len() < text.len() - 3 || rest.is_empty() {
        (true, rest)
    } else {
        (false, text)
    }
}

fn scan_use(text: &str, line: u32, rust: &mut RustFacts) {
    let Some(end) = text.find(';') else { return };
    let decl = &text[..=end];
    if let Ok(u) = syn::parse_str::<syn::ItemUse>(decl) {
        let mut ex = Extractor {
            facts: &mut FileFacts::default(),
            rust: std::mem::take(rust),
        };
        let mut prefix = Vec::new();
        if u.leading_colon.is_some() {
            prefix.push("::".to_string());
        }
        ex.use_tree(
            &u.tree,
            &mut prefix,
            is_public(&u.vis),
            line,
            Ctx::default(),
        );
        *rust = ex.rust;
    }
}

/// Parses a token stream as items; used by the benchmark's floor.
pub fn bare_parse(source: &str) -> bool {
    let ok = syn::parse_file(source).is_ok();
    proc_macro2::extra::invalidate_current_thread_spans();
    ok
}

#[cfg(test)]
mod tests {
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
        let kinds: Vec<(&str, ItemKind)> =
            r.items.iter().map(|i| (i.name.as_str(), i.kind)).collect();
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
}
