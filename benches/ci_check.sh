#!/bin/sh
# Times `decompose check` (with and without co-change) on a copy of a git
# repository; the original is never written to.
#   benches/ci_check.sh PATH [runs]   # e.g. a clone of BroadleafCommerce/BroadleafCommerce
# Needs a release build (cargo build --release). Prints wall, user CPU and
# peak RSS per run (GNU time).
set -eu
repo=$1
runs=${2:-3}
bin=$(cd "$(dirname "$0")/.." && pwd)/target/release/decompose
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q "$repo" "$work/repo"
cd "$work/repo"
/usr/bin/time -f "init: %e s wall, %U s user, %M KB" "$bin" init . -q
i=0
while [ "$i" -lt "$runs" ]; do
    /usr/bin/time -f "check: %e s wall, %U s user, %M KB" "$bin" check . -q > /dev/null
    /usr/bin/time -f "check --no-history: %e s wall, %U s user, %M KB" "$bin" check . -q --no-history > /dev/null
    i=$((i + 1))
done
uptime
