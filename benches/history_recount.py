#!/usr/bin/env python3
"""Recount decompose's history figures from plain `git log`, independently.

Reads the newest N non-merge commits with

    git log --no-merges -M --name-status -z --max-count=N --format=%x01%H HEAD [-- ROOT]

(`-M` pins git's default rename detection, whatever the user's config) and
counts by path alone, with no rename following at all:

  * commits(P)  = commits that list path P (modified, added or deleted), as
                  `git log --no-merges -- P` counts them;
  * size(c)     = the number of entries commit c lists (a rename once): every
                  path it touched, as code-maat counts its log;
  * shared(P,Q) = commits with 2 <= size <= CAP that list both P and Q.

A file is *renamed in the window* if its path is the source or destination
of a rename in one of those commits; only those files are excluded, because
decompose follows renames and a path count cannot. Everything else is
compared, delete/re-add paths and sweeping commits included, against the
report.json of

    decompose analyze ROOT --max-commits N --max-changeset CAP --format json -o -

  1. per-unit `commits` of every unit (a file) not renamed in the window;
  2. every `cochange` row whose sides are both not renamed: shared, revs_a
     and revs_b;
  3. completeness: every recounted pair of non-renamed units that passes the
     report filter (average revs >= 5, shared >= 5, degree >= 30) is in the
     report.

It prints the match rate of each, the number of compared files that were
deleted and re-added in the window, and the number of commits of more than
CAP paths that touched two or more compared files (the sweeping commits
whose size decides whether a pair counts).

Usage:
  history_recount.py ROOT --report report.json [--max-commits 5000] [--cap 30]
  history_recount.py ROOT --decompose target/release/decompose [--max-commits 5000]
Exit status 0 when every rate is 100 %, 1 otherwise.
"""

import argparse
import json
import os
import subprocess
import sys
from collections import defaultdict
from itertools import combinations


def git(cwd, *args):
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_NO_LAZY_FETCH="1", LC_ALL="C")
    for k in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(k, None)
    p = subprocess.run(["git", "-c", "core.quotepath=off", "-c", "log.showRoot=true", *args],
                       cwd=cwd, env=env, capture_output=True)
    if p.returncode != 0:
        sys.exit(f"git {' '.join(args)} failed: {p.stderr.decode(errors='replace')}")
    return p.stdout


def log(root, n):
    """[[(status, paths...)]] per commit, newest first; paths relative to root."""
    prefix = git(root, "rev-parse", "--show-prefix").rstrip(b"\n")
    # No pathspec at the top: even "." would drop commits with an empty diff
    # from the count of N and so move the window's far end.
    spec = ["--full-history", "--", b":(top,literal)" + prefix] if prefix else []
    out = git(root, "log", "--no-merges", "-M", "--name-status", "-z", "--no-relative",
              f"--max-count={n}", "--format=%x01%H", "HEAD", *spec)
    toks = out.split(b"\0")
    commits, i = [], 0
    while i < len(toks):
        t = toks[i]
        i += 1
        if t.startswith(b"\n"):
            t = t[1:]
        if not t:
            continue
        if t.startswith(b"\x01"):
            commits.append([])
            continue
        k = 2 if t[:1] in (b"R", b"C") else 1
        paths = toks[i:i + k]
        i += k
        commits[-1].append((t[:1], [p[len(prefix):].decode("utf-8", "replace") for p in paths]))
    return commits


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("root")
    ap.add_argument("--report", help="report.json of decompose analyze")
    ap.add_argument("--decompose", help="decompose binary to run instead")
    ap.add_argument("--max-commits", type=int, default=5000)
    ap.add_argument("--cap", type=int, default=30)
    a = ap.parse_args()
    if a.report:
        report = json.load(open(a.report))
    elif a.decompose:
        out = subprocess.run([a.decompose, "analyze", a.root, "--max-commits", str(a.max_commits),
                              "--max-changeset", str(a.cap), "--deterministic", "-q",
                              "--format", "json", "-o", "-"], check=True, capture_output=True)
        report = json.loads(out.stdout)
    else:
        ap.error("give --report or --decompose")
    s = report["settings"]
    if s.get("max_commits") != a.max_commits or s.get("max_changeset") != a.cap:
        sys.exit(f"the report was made with max_commits={s.get('max_commits')} "
                 f"max_changeset={s.get('max_changeset')}; pass the same values")

    commits = log(a.root, a.max_commits)
    renamed, count, readded = set(), defaultdict(int), set()
    for entries in commits:
        listed = set()
        for status, paths in entries:
            if status == b"R":
                renamed.update(paths)
            listed.update(paths)
        for p in listed:
            count[p] += 1
    # deleted and (later) re-added: a path with both a D and an A in the window
    seen_d, seen_a = set(), set()
    for entries in commits:
        for status, paths in entries:
            (seen_d if status == b"D" else seen_a if status == b"A" else set()).add(paths[-1])
    readded = seen_d & seen_a

    units = {u["id"]: u for u in report["units"]}
    compared = {f for f in units if f not in renamed}
    bad = sorted(f for f in compared if units[f]["commits"] != count.get(f, 0))
    print(f"window: {len(commits)} commits (report: {report['summary']['commits_analyzed']}); "
          f"{len(units)} units, {len(units) - len(compared)} renamed in the window")
    ok = not bad
    print(f"per-file commits, units not renamed: {len(compared) - len(bad)}/{len(compared)}"
          f" = {100.0 * (len(compared) - len(bad)) / max(len(compared), 1):.2f} %")
    for f in bad[:10]:
        print(f"   {f}: git {count.get(f, 0)} decompose {units[f]['commits']}")
    print(f"   of them deleted and re-added in the window: {len(compared & readded)}")

    shared, sweeping = defaultdict(int), 0
    for entries in commits:
        touched = sorted({p for _, paths in entries for p in paths} & compared)
        if len(entries) > a.cap:
            sweeping += len(touched) >= 2
            continue
        if len(entries) >= 2:
            for x, y in combinations(touched, 2):
                shared[(x, y)] += 1
    rows = [r for r in report["cochange"] if r["a"] in compared and r["b"] in compared]
    bad_rows = [r for r in rows if (r["shared"], r["revs_a"], r["revs_b"]) !=
                (shared.get((r["a"], r["b"]), 0), count.get(r["a"], 0), count.get(r["b"], 0))]
    print(f"cochange rows of non-renamed units (shared, revs_a, revs_b): "
          f"{len(rows) - len(bad_rows)}/{len(rows)} = {100.0 * (len(rows) - len(bad_rows)) / max(len(rows), 1):.2f} %"
          f" (of {len(report['cochange'])} rows)")
    for r in bad_rows[:10]:
        print(f"   {r['a']} {r['b']}: git {shared.get((r['a'], r['b']), 0)} "
              f"{count.get(r['a'], 0)} {count.get(r['b'], 0)}, decompose {r['shared']} {r['revs_a']} {r['revs_b']}")
    print(f"   commits of more than {a.cap} paths touching 2+ compared units: {sweeping}")

    def passes(k, v):
        ra, rb = count[k[0]], count[k[1]]
        return (ra + rb) / 2 >= 5 and v >= 5 and 100.0 * v / ((ra + rb) / 2) >= 30
    expected = {k for k, v in shared.items() if passes(k, v)}
    got = {(r["a"], r["b"]) for r in rows}
    missing, extra = expected - got, got - expected
    print(f"report pairs recounted: {len(expected & got)}/{len(expected | got)} = "
          f"{100.0 * len(expected & got) / max(len(expected | got), 1):.2f} %"
          f" (missing {len(missing)}, extra {len(extra)})")
    for k in sorted(missing)[:5]:
        print(f"   missing {k}: shared {shared[k]}")
    for k in sorted(extra)[:5]:
        print(f"   extra {k}")
    ok &= not bad_rows and not missing and not extra
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
