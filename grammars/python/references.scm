; What a Python file refers to. Read by src/lang/python.rs.

(call) @call

; Annotations are type mentions (edge kind `type_use`).
(typed_parameter type: (type) @type_ref)
(typed_default_parameter type: (type) @type_ref)
(function_definition return_type: (type) @type_ref)
(assignment type: (type) @type_ref)
