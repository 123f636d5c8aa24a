; What a TypeScript file declares. Read by src/lang/typescript/mod.rs; every
; capture name here is matched there, and a test compiles this file (for the
; `typescript` and the `tsx` grammar).

; Module structure: ESM imports and exports (re-exports and barrels too).
(import_statement) @import
(export_statement) @export

(class_declaration) @type.class
(abstract_class_declaration) @type.class
(interface_declaration) @type.interface
(enum_declaration) @type.enum

(function_declaration) @function
(generator_function_declaration) @function
(method_definition) @function.method
(method_signature) @function.signature
(abstract_method_signature) @function.signature

; Class fields: their type types `this.x` receivers; an arrow function
; bound to a field is a method.
(public_field_definition) @field

; `const f = () => …`, `const repo = new Repo()`, `const x = require('y')`.
(variable_declarator) @variable

; CommonJS: `module.exports = …`, `exports.x = …`.
(assignment_expression) @assign
