#!/usr/bin/env bash
# The what-if mode at scale: on a 10,000-unit report in headless Chromium,
# move a folder of 556 units to another service and read how long the page
# took to recompute every figure and redraw the panel (data-whatif-ms).
#
# Runs tests/browser.rs::what_if_moves_a_500_unit_folder_on_10k_units RUNS
# times and fails when the median is over the budget. Usage:
#   benches/whatif_move.sh [RUNS] [BUDGET_MS]      (defaults 5, 200)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
budget=${2:-200}
cargo test --release --test browser --no-run -q 2>/dev/null
figures=()
for _ in $(seq "$runs"); do
    ms=$(DECOMPOSE_REQUIRE_BROWSER=1 cargo test --release -q --test browser what_if_moves_a_500 -- --nocapture 2>&1 |
        sed -n 's/.*updated the figures in \([0-9.]*\) ms.*/\1/p')
    [ -n "$ms" ] || { echo "no figure printed (is chromium installed?)" >&2; exit 2; }
    figures+=("$ms")
done
median=$(printf '%s\n' "${figures[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
echo "10k-unit report, 556-unit folder moved: figures updated in ${figures[*]} ms (median $median, budget $budget, $(nproc) cores, $(date -u +%F))"
awk -v m="$median" -v b="$budget" 'BEGIN { exit !(m <= b) }'
