; Decision points for the McCabe-style complexity figure (one per function
; is added by the extractor).

(if_statement) @branch
(elif_clause) @branch
(for_statement) @branch
(while_statement) @branch
(except_clause) @branch
(conditional_expression) @branch
(boolean_operator) @branch
(for_in_clause) @branch
(if_clause) @branch
(case_clause) @branch
