#!/usr/bin/env bash
# Time to interactive of a 10,000-unit seam report in headless Chromium.
#
# Runs tests/browser.rs::ten_thousand_units_render_aggregated RUNS times (it
# prints the page's own data-ready-ms: navigation start to the end of the
# start-up script) and fails when the median is over the budget. Usage:
#   benches/html_ready.sh [RUNS] [BUDGET_MS]      (defaults 5, 2000)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
budget=${2:-2000}
cargo test --release --test browser --no-run -q 2>/dev/null
figures=()
for _ in $(seq "$runs"); do
    ms=$(DECOMPOSE_REQUIRE_BROWSER=1 cargo test --release -q --test browser ten_thousand -- --nocapture 2>&1 |
        sed -n 's/.*interactive after \([0-9]*\) ms.*/\1/p')
    [ -n "$ms" ] || { echo "no figure printed (is chromium installed?)" >&2; exit 2; }
    figures+=("$ms")
done
median=$(printf '%s\n' "${figures[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
echo "10k-unit report interactive after: ${figures[*]} ms (median $median, budget $budget, $(nproc) cores, $(date -u +%F))"
[ "$median" -le "$budget" ]
