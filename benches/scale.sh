#!/usr/bin/env bash
# Scale benchmark: generated Java monoliths of growing size, the whole
# `decompose analyze` with its stage timings and peak memory, and in the same
# run the floors: a bare tree-sitter parse of the same files and
# `git log --no-merges -M --numstat` over the same history.
#
#   benches/scale.sh [SIZE ...]          sizes in code lines (default: 100k 300k 1M 3M)
#
# Monoliths are generated once into $DECOMPOSE_SCALE_DIR (default
# /tmp/decompose-scale) by examples/gen_monolith.rs (12 domains, 20 commits
# per 1,000 lines, seed 1) and reused. Prints one markdown row per size for
# docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100k 300k 1M 3M)
work=${DECOMPOSE_SCALE_DIR:-/tmp/decompose-scale}
mkdir -p "$work"
cargo build --release -q --example gen_monolith --bin decompose
cargo bench --bench parse --no-run -q 2>/dev/null
bin=target/release/decompose

secs() { /usr/bin/time -f "%e" "$@" 2>&1 >/dev/null | tail -1; }

echo "| lines (target) | files | code lines | commits | analyze s | peak MB | parse+history s | resolve s | cluster s | floor: bare parse s | floor: git log s | analyze / (sum of floors) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for size in "${sizes[@]}"; do
    dir="$work/java-$size"
    if [ ! -d "$dir" ]; then
        target/release/examples/gen_monolith "$dir" --lines "$size" >&2
    fi
    commits=$(git -C "$dir" rev-list --count HEAD)
    floor_git=$(secs git -C "$dir" log --no-merges -M --numstat)
    floor_parse=$(cargo bench -q --bench parse -- "$dir" --repeat 1 2>/dev/null |
        sed -n 's/^bare tree-sitter parse *\([0-9.]*\) s.*/\1/p')
    out="$work/out-$size"
    rm -rf "$out"
    /usr/bin/time -f "TIME %e %M" "$bin" analyze "$dir" -o "$out" --format json -q -v --deterministic \
        2>"$work/log-$size" || { cat "$work/log-$size" >&2; exit 1; }
    read -r wall peak_kb < <(sed -n 's/^TIME //p' "$work/log-$size")
    stage() { sed -n "s/.*timings:.*$1 \([0-9.]*\)s.*/\1/p" "$work/log-$size"; }
    files=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(r['summary']['units'], r['summary']['lines'])" "$out/report.json")
    read -r n_files n_lines <<<"$files"
    ratio=$(python3 -c "print(f'{$wall / ($floor_parse + $floor_git):.2f}')")
    echo "| $size | $n_files | $n_lines | $commits | $wall | $((peak_kb / 1024)) | $(stage 'parse + history') | $(stage resolve) | $(stage cluster) | $floor_parse | $floor_git | $ratio |"
done
echo "($(nproc) cores, $(date -u +%F), $(git rev-parse --short HEAD))"
