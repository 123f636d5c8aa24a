; Decision points for the McCabe-style complexity figure (docs/metrics.md).

[
  (if_statement)
  (while_statement)
  (for_statement)
  (for_in_statement)
  (do_statement)
  (catch_clause)
  (ternary_expression)
  (switch_case)
] @branch

(binary_expression operator: ["&&" "||" "??"] @branch)
