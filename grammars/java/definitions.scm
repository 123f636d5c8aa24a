; What a Java file declares. Read by src/lang/java.rs; every capture name
; here is matched there, and a test compiles this file.

(package_declaration [(identifier) (scoped_identifier)] @package)
(import_declaration) @import

(class_declaration) @type.class
(interface_declaration) @type.interface
(enum_declaration) @type.enum
(record_declaration) @type.record
(annotation_type_declaration) @type.annotation

(method_declaration) @function.method
(constructor_declaration) @function.constructor
(compact_constructor_declaration) @function.constructor

(field_declaration) @field
(constant_declaration) @field

; Type parameters shadow type names inside their declaration.
(type_parameter (type_identifier) @type_param)

; Annotations on types and methods carry the framework knowledge the plan
; needs later: mappings, @Entity/@Table, @Transactional, stereotypes.
(annotation) @annotation
(marker_annotation) @annotation
