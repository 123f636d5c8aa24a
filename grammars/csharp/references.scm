; What a C# file refers to: variables that give receivers their types,
; calls, object creations, type mentions and SQL strings.

(local_declaration_statement (variable_declaration) @local)
(using_statement (variable_declaration) @local)
(for_statement initializer: (variable_declaration) @local)
(foreach_statement) @local.foreach
(catch_declaration) @local.catch
(declaration_expression) @local.decl
(declaration_pattern) @local.decl
(lambda_expression) @local.lambda

(invocation_expression) @call.invoke
(object_creation_expression) @call.new
(constructor_initializer) @call.ctor

; Every mention of a type, at the places the grammar puts one. The outermost
; mention is taken whole (a generic's arguments are read from it).
(variable_declaration type: (_) @type_ref)
(parameter type: (_) @type_ref)
(method_declaration returns: (_) @type_ref)
(delegate_declaration type: (_) @type_ref)
(local_function_statement type: (_) @type_ref)
(property_declaration type: (_) @type_ref)
(indexer_declaration type: (_) @type_ref)
(event_declaration type: (_) @type_ref)
(operator_declaration type: (_) @type_ref)
(conversion_operator_declaration type: (_) @type_ref)
(object_creation_expression type: (_) @type_ref)
(array_creation_expression type: (_) @type_ref)
(cast_expression type: (_) @type_ref)
(as_expression right: (_) @type_ref)
(typeof_expression type: (_) @type_ref)
(declaration_expression type: (_) @type_ref)
(declaration_pattern type: (_) @type_ref)
(foreach_statement type: (_) @type_ref)
(catch_declaration type: (_) @type_ref)
(type_parameter_constraint type: (_) @type_ref)
(base_list (_) @type_ref)
(type_argument_list (_) @type_ref)

; `Type.Member`: a member access on a simple name may name a type (a static
; call, an enum member, a constant). Resolution decides, after variables.
(member_access_expression expression: (identifier) @type_ref.static)

(string_literal) @string
(verbatim_string_literal) @string
(raw_string_literal) @string
