#!/usr/bin/env bash
# Seam quality: MoJoFM of decompose's services and of the package-folder
# baseline against expert decompositions (docs/clustering.md, "Seam quality:
# how it is measured").
#
#   benches/seam_quality.sh [NAME=PATH ...]
#
# Scores the fixtures (fixtures/<name>.expected, without history) and every
# real subject of benches/expert/<name>.expected, each analysed with
# --no-history and with its history. A subject is looked up at
# $SUBJECTS/<name> (SUBJECTS defaults to ../subjects) unless NAME=PATH names
# its clone. The clone should be at the commit its expected file names; the
# script warns when it is not. Subjects that are missing are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release -q --bin decompose --example mojofm
bin=target/release/decompose
score=target/release/examples/mojofm
subjects=${SUBJECTS:-../subjects}
declare -A path
for arg in "$@"; do
    path[${arg%%=*}]=${arg#*=}
done
out=$(mktemp -d)
trap '[ -s "$out/stderr" ] && { echo "decompose said:" >&2; cat "$out/stderr" >&2; }; rm -rf "$out"' EXIT

printf '%-18s %-10s %6s %8s %10s %9s %8s\n' subject history objects clusters decompose baseline unlisted
row() { # name mode report expected
    local scored line1 line2
    scored=$("$score" "$3" "$4")
    line1=$(sed -n 1p <<<"$scored")
    line2=$(sed -n 2p <<<"$scored")
    # objects N  expected clusters K  report units not in expected U  expected not in report E
    read -r _ n _ _ k _ _ _ _ _ u _ _ _ _ e <<<"$line1"
    # decompose D (C clusters)  package-baseline B (F clusters)
    read -r _ d _ _ _ b _ _ <<<"$line2"
    printf '%-18s %-10s %6s %8s %10s %9s %8s\n' "$1" "$2" "$n" "$k" "$d" "$b" "$u"
    if [ "$e" != 0 ]; then
        echo "  warning: $e expected objects are not units of the report" >&2
    fi
}

for expected in fixtures/*.expected; do
    name=$(basename "$expected" .expected)
    "$bin" analyze "fixtures/$name" --no-history --deterministic --format json -o - -q >"$out/$name.json" 2>>"$out/stderr"
    row "$name" "none" "$out/$name.json" "$expected"
done

for expected in benches/expert/*.expected; do
    name=$(basename "$expected" .expected)
    dir=${path[$name]:-$subjects/$name}
    if [ ! -d "$dir" ]; then
        echo "$name: no clone at $dir, skipped" >&2
        continue
    fi
    want=$(grep -o -m1 'commit [0-9a-f]\{40\}' "$expected" | cut -d' ' -f2 || true)
    have=$(git -C "$dir" rev-parse HEAD 2>/dev/null || echo none)
    if [ -n "$want" ] && [ "$want" != "$have" ]; then
        echo "  warning: $name is at $have, $expected was written for $want" >&2
    fi
    "$bin" analyze "$dir" --no-history --deterministic --format json -o - -q >"$out/$name-none.json" 2>>"$out/stderr"
    row "$name" "none" "$out/$name-none.json" "$expected"
    "$bin" analyze "$dir" --deterministic --format json -o - -q >"$out/$name-git.json" 2>>"$out/stderr"
    commits=$(grep -o -m1 '"commits_analyzed": *[0-9]*' "$out/$name-git.json" | grep -o '[0-9]*$' || echo '?')
    row "$name" "$commits" "$out/$name-git.json" "$expected"
done
echo "history: 'none' is --no-history, a number is the commits analysed" >&2
