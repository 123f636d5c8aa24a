#!/usr/bin/env bash
# Warm-run benchmark (issue 19): `decompose analyze` cold (--no-cache), warm
# (second run, cache in .git/decompose/), and warm after a one-file edit
# committed on top; then `decompose check` cold and warm. Each repository
# is cloned into $DECOMPOSE_WARM_DIR (default /tmp/decompose-warm) first, so
# the original is never touched. Also checks that every warm report equals
# the cold one byte for byte (--deterministic), with 1 and with 2 threads.
#
#   benches/warm.sh REPO [REPO ...]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${DECOMPOSE_WARM_DIR:-/tmp/decompose-warm}
mkdir -p "$work"
cargo build --release -q --bin decompose
bin=$PWD/target/release/decompose
# "wall cpu" seconds of a command (cpu = user + sys, children included);
# /usr/bin/time runs programs, not shell functions, so the decompose runs
# are spelled out.
secs() { /usr/bin/time -f "%e %U %S" "$@" 2>&1 >/dev/null | tail -1 | awk '{ printf "%s %.2f", $1, $2 + $3 }'; }
analyze() { "$bin" analyze "$1" --format json -o - -q --deterministic "${@:2}"; }
secs_analyze() { secs "$bin" analyze "$1" --format json -o - -q --deterministic "${@:2}"; }
wall() { echo "${1% *}"; }
cpu() { echo "${1#* }"; }

echo "Seconds as wall (CPU = user + sys); ratios as wall (CPU)."
echo "| repository | commits | cold s | first cached run s | warm s | warm / cold | warm after 1-file edit s | edit / cold | check cold s | check warm s | warm = cold |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
for repo in "$@"; do
    name=$(basename "$repo")
    dir="$work/$name"
    rm -rf "$dir"
    git clone -q --no-hardlinks "$repo" "$dir"
    commits=$(git -C "$dir" rev-list --count HEAD)
    cold=$(secs_analyze "$dir" --no-cache)
    first=$(secs_analyze "$dir")
    warm=$(secs_analyze "$dir")
    same=yes
    # warm = cold, byte for byte, with 1 and with 2 threads
    same_json() {
        local want
        want=$(analyze "$dir" --no-cache --threads 1 | sha256sum)
        for run in "--no-cache --threads 2" "--threads 1" "--threads 2"; do
            # shellcheck disable=SC2086
            [ "$(analyze "$dir" $run | sha256sum)" = "$want" ] || same=NO
        done
    }
    same_json
    file=$(git -C "$dir" ls-files '*.java' '*.py' '*.rs' | sed -n 1p) # sed reads all: no SIGPIPE under pipefail
    echo "// edited by benches/warm.sh" >> "$dir/$file"
    git -C "$dir" -c user.name=bench -c user.email=bench@example.com commit -qam "one-file edit"
    edit=$(secs_analyze "$dir")
    same_json
    "$bin" init "$dir" -q >/dev/null
    check_cold=$(secs "$bin" check "$dir" -q --no-cache)
    "$bin" check "$dir" -q >/dev/null || true
    check_warm=$(secs "$bin" check "$dir" -q)
    ratio() { python3 -c "print(f'{$(wall "$1") / $(wall "$2"):.0%} ({$(cpu "$1") / $(cpu "$2"):.0%})')"; }
    show() { echo "$(wall "$1") ($(cpu "$1"))"; }
    echo "| $name | $commits | $(show "$cold") | $(show "$first") | $(show "$warm") | $(ratio "$warm" "$cold") | $(show "$edit") | $(ratio "$edit" "$cold") | $(show "$check_cold") | $(show "$check_warm") | $same |"
done
echo "($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%F), $(git rev-parse --short HEAD))"
