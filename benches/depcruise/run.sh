#!/bin/bash
# Runs dependency-cruiser (npm: dependency-cruiser, typescript@5 beside it)
# inside each package of a checkout, with that package's tsconfig.json:
#   run.sh DEPCRUISE REPO OUT PKGDIR...   (PKGDIR `.` for a single package)
# Then: cargo run --release --example ts_imports -- REPO --specifiers > ours.tsv
#       python3 compare.py ours.tsv OUT NAME=PKGDIR...  (NAME: PKGDIR with / as _)
set -u
dc=$1; repo=$2; out=$3; shift 3
mkdir -p "$out"
for p in "$@"; do
  name=$(echo "$p" | tr '/' '_')
  cd "$repo/$p" || continue
  ts=""
  [ -f tsconfig.json ] && ts="--ts-config tsconfig.json"
  src=.
  [ -d src ] && src=src
  timeout 600 "$dc" --no-config -T json $ts --ts-pre-compilation-deps \
    --exclude "(^|/)(node_modules|dist|build|coverage)/" $src > "$out/$name.json" 2> "$out/$name.err"
  echo "$p rc=$?"
done
