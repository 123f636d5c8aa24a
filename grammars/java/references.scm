; What a Java file refers to: variables that give receivers their types,
; calls, object creations, method references, type mentions, SQL strings.

(local_variable_declaration) @local
(enhanced_for_statement) @local.for
(catch_formal_parameter) @local.catch
(resource name: (_)) @local.resource
(lambda_expression parameters: (_) @local.lambda)
(instanceof_expression name: (_)) @local.pattern
(type_pattern) @local.type_pattern

(method_invocation) @call.method
(object_creation_expression) @call.new
(method_reference) @call.ref
(explicit_constructor_invocation) @call.ctor

; Every mention of a type. A scoped name (`Order.Status`) is taken whole;
; its parts are skipped in code.
(type_identifier) @type_ref
(scoped_type_identifier) @type_ref

(string_literal) @string

; `Type.CONSTANT`: a static member access names a type. Only capitalised
; names are taken (by Java convention variables are not).
(field_access object: (identifier) @type_ref.static)
