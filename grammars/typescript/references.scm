; What a TypeScript file refers to: calls, object creations, type mentions
; and SQL strings.

(call_expression) @call
(new_expression) @call.new

; Every mention of a type at the places the grammar puts one; the outermost
; type is taken whole (generic arguments are read from it).
(type_annotation (_) @type_ref)
(extends_clause value: (_) @type_ref.value)
(implements_clause (_) @type_ref)
(extends_type_clause type: (_) @type_ref)
(as_expression (_) (_) @type_ref)
(satisfies_expression (_) (_) @type_ref)
(type_arguments (_) @type_ref)
(type_alias_declaration value: (_) @type_ref)

(string) @string
(template_string) @string
