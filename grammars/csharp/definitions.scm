; What a C# file declares. Read by src/lang/csharp/mod.rs; every capture name
; here is matched there, and a test compiles this file.

; Namespaces: a block namespace scopes what it contains; a file-scoped one
; the rest of the file.
(namespace_declaration) @namespace.block
(file_scoped_namespace_declaration) @namespace.file
(using_directive) @using

(class_declaration) @type.class
(struct_declaration) @type.struct
(interface_declaration) @type.interface
(enum_declaration) @type.enum
(record_declaration) @type.record
(delegate_declaration) @type.delegate

(method_declaration) @function.method
(constructor_declaration) @function.constructor
(operator_declaration) @function.operator
(conversion_operator_declaration) @function.operator

; Properties, indexers and events are members with a type; their accessor
; bodies are code of the declaring type.
(property_declaration) @property
(indexer_declaration) @indexer
(event_declaration) @property
(field_declaration) @field
(event_field_declaration) @field

; Top-level statements (C# 9): code of the program's entry point.
(global_statement) @global

; Type parameters shadow type names inside their declaration.
(type_parameter name: (identifier) @type_param)

; Attributes carry the framework knowledge: routes, [Table], transactions,
; WCF contracts, test markers.
(attribute) @attribute
