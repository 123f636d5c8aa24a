//! The TypeScript/JavaScript-only facts of one file: what the shared model
//! has no slot for. Module structure (ESM imports and exports, re-exports,
//! CommonJS `require` and `module.exports`, dynamic `import()`), the names
//! the file declares at its top level, and the router objects, route calls
//! and mounts of Express-style frameworks, which the cross-file route pass
//! (`plan.rs`) joins into full paths.

/// Everything [`super::TsFrontend`] reads that [`crate::lang::FileFacts`]
/// has no field for.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TsFacts {
    pub imports: Vec<TsImport>,
    /// Names the file exports from its own scope (re-exports with a source
    /// are [`TsImportKind::ReExport`] imports).
    pub exports: Vec<TsExport>,
    /// Every name declared at the top level: classes, interfaces, enums,
    /// type aliases, functions, variables.
    pub declared: Vec<String>,
    /// Variables holding an application or router object (`express()`,
    /// `express.Router()`, `new Router({ prefix })`).
    pub routers: Vec<Router>,
    /// Per entry of `FileFacts::routes`: the router variable the route was
    /// declared on (`""` for decorator routes), so that mounts from other
    /// files can prefix it.
    pub route_routers: Vec<String>,
    /// `app.use('/prefix', router)`: a router mounted under a prefix.
    pub mounts: Vec<Mount>,
    /// Index of the pseudo-function holding the top-level code.
    pub module_function: Option<u32>,
    /// The file is a declaration file (`.d.ts`).
    pub declaration: bool,
    /// NestJS-style module classes (wiring, not domain code).
    pub module_classes: Vec<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TsImportKind {
    /// `import … from 's'`, `import 's'`, `import x = require('s')`.
    Static,
    /// `export { a as b } from 's'`, `export * from 's'`,
    /// `export * as ns from 's'`; `module.exports = require('s')`.
    ReExport,
    /// `require('s')` (CommonJS).
    Require,
    /// `import('s')` with a literal.
    Dynamic,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TsImport {
    /// The module specifier as written (`./orders`, `@shop/kernel`).
    pub specifier: String,
    pub kind: TsImportKind,
    /// What the statement binds. For imports: `imported` is `default`,
    /// `*` (the namespace, or a CommonJS `require` result) or a name, and
    /// `local` the name in this file. For re-exports: `local` is the name
    /// exported (`*` with `imported` `*`: `export * from`).
    pub bindings: Vec<Binding>,
    /// `import type …` / `export type … from`: the whole statement is
    /// erased at compile time.
    pub type_only: bool,
    pub line: u32,
}

impl TsImport {
    /// Whether nothing of this import survives compilation (a type-only
    /// statement, or one whose every binding is `type`).
    pub fn erased(&self) -> bool {
        self.type_only || (!self.bindings.is_empty() && self.bindings.iter().all(|b| b.type_only))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Binding {
    pub imported: String,
    pub local: String,
    pub type_only: bool,
}

/// A name this file exports from its own scope: `export class X` (`X`,
/// `X`), `export { a as b }` (`b`, `a`), `export default X` (`default`,
/// `X`), `module.exports = { a }` (`a`, `a`), `exports.x = …` (`x`, `x`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TsExport {
    pub exported: String,
    /// The local name exported (`""` for an anonymous default;
    /// `module.exports` when a CommonJS module exports an expression, whose
    /// value is then a local of the module function by that name).
    pub local: String,
    /// Stated with `module.exports` / `exports`: a `require` of the file
    /// returns this value itself, not a namespace.
    #[serde(default)]
    pub commonjs: bool,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Router {
    pub name: String,
    /// The prefix the constructor states (`new Router({ prefix: '/x' })`).
    pub prefix: String,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Mount {
    /// The router (or app) variable that mounts.
    pub router: String,
    pub path: String,
    pub target: MountTarget,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MountTarget {
    /// A name: a router variable of this file, or an imported binding.
    Name(String),
    /// `require('./routes/orders')` written in place.
    Require(String),
}
