; What a JavaScript file refers to: calls, object creations, the base class
; of a class and SQL strings.

(call_expression) @call
(new_expression) @call.new

(class_heritage (_) @type_ref.value)

(string) @string
(template_string) @string
