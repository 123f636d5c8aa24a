; Decision points for the McCabe-style complexity figure (docs/metrics.md).

[
  (if_statement)
  (while_statement)
  (for_statement)
  (foreach_statement)
  (do_statement)
  (catch_clause)
  (conditional_expression)
  (switch_section)
  (switch_expression_arm)
] @branch

(binary_expression operator: ["&&" "||" "??"] @branch)
