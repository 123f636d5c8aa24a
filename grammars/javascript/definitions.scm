; What a JavaScript file declares (ESM or CommonJS). Read by
; src/lang/typescript/mod.rs, which serves both languages; every capture name
; here is matched there, and a test compiles this file.

(import_statement) @import
(export_statement) @export

(class_declaration) @type.class

(function_declaration) @function
(generator_function_declaration) @function
(method_definition) @function.method

; Class fields (`handler = () => …` is a method).
(field_definition) @field

; `const f = () => …`, `const repo = new Repo()`, `const x = require('y')`.
(variable_declarator) @variable

; CommonJS: `module.exports = …`, `exports.x = …`.
(assignment_expression) @assign
