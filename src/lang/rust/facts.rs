//! The Rust-specific facts of one file ([`RustFacts`]): module declarations,
//! `use` leaves, items, impls, and per function the receiver facts (locals,
//! calls, parameter and return types) that name resolution types calls with.

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
