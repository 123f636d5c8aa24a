#!/usr/bin/env python3
"""Recount decompose's history figures from plain `git log`, independently.

Reads the newest N non-merge commits once, with

    git log --no-merges -M --name-status -z --max-count=N --format=%x01%H HEAD [-- ROOT]

(`-M` pins git's default rename detection, whatever the user's config), and
recounts, with no decompose code:

A. By path alone, with no rename following at all (what `git log -- PATH`
   counts), for every unit (a file of the report) that is not *renamed in
   the window* (the source or destination of a rename in one of those
   commits; a path count cannot follow those):

  * commits(P)  = commits that list path P (modified, added or deleted);
  * size(c)     = the number of entries commit c lists (a rename once): every
                  path it touched, as code-maat counts its log;
  * shared(P,Q) = commits with 2 <= size <= CAP that list both P and Q;
  * weight(P,Q) = the sum of 1/(size-1) over those commits.

  and compares, against the report.json of

      decompose analyze ROOT --max-commits N --max-changeset CAP --format json -o -

  1. every such unit's `commits`;
  2. every `cochange` row whose sides are both such units: shared, revs_a,
     revs_b;
  3. completeness of `cochange`: every recounted pair that passes the report
     filter (average revs >= 5, shared >= 5, degree >= 30) is in the report,
     and no other;
  4. every pair of `co_change_weights` (all pairs, unthresholded) of such
     units: the same set of pairs, each weight within 1e-9.

  The units deleted and re-added in the window are counted a second way,
  one `git log --no-merges --full-history --format=%H HEAD -- PATH` each.

B. With renames followed by the rules of docs/history.md (newest first, a
   map path-at-commit -> path-at-HEAD; a rename passes the identity of its
   destination to its source; deletions and additions keep it), the same
   figures 1 and 4 for every unit, renamed ones included.

It prints the match rate of each, how many compared units were deleted and
re-added in the window, how many commits list more than CAP paths and touch
two or more compared units (sweeping commits), and how many of those list
at most CAP report units (mixed commits: they are dropped only because the
size counts every path, not only the analysed files).

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
        sys.exit(f"git {' '.join(map(str, args))} failed: {p.stderr.decode(errors='replace')}")
    return p.stdout


def decode(prefix, p):
    return p[len(prefix):].decode("utf-8", "replace")


def log(root, prefix, n):
    """[(id, [(status, [paths])])] per commit, newest first; paths relative to root."""
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
            commits.append((t[1:].decode(), []))
            continue
        k = 2 if t[:1] in (b"R", b"C") else 1
        paths = toks[i:i + k]
        i += k
        commits[-1][1].append((t[:1], [decode(prefix, p) for p in paths]))
    return commits


def head_files(root, prefix):
    out = git(root, "ls-tree", "-r", "-z", "--full-tree", "HEAD")
    files = set()
    for rec in out.split(b"\0"):
        meta, _, path = rec.partition(b"\t")
        if rec and meta.split(b" ")[1] == b"blob" and path.startswith(prefix):
            files.add(decode(prefix, path))
    return files


def follow_renames(commits, head):
    """Per commit the HEAD files it touched, renames followed (docs/history.md)."""
    alias = {p: p for p in head}  # path at the commit -> path at HEAD
    out = []
    for _, entries in commits:
        touched = {alias[ps[-1]] for _, ps in entries if ps[-1] in alias}
        moves = [(ps[0], alias.pop(ps[1])) for s, ps in entries if s == b"R" and ps[1] in alias]
        for old, ident in moves:
            alias[old] = ident
        out.append(touched)
    return out


def pct(ok, total):
    """The rate rounded down: 100 % only when all match."""
    return f"{ok}/{total} = {(10000 * ok // max(total, 1)) / 100:.2f} %"


def recount(touched_per_commit, sizes, cap):
    """commits, shared and weight from the files each commit touched."""
    count, shared, weight = defaultdict(int), defaultdict(int), defaultdict(float)
    for touched, size in zip(touched_per_commit, sizes):
        for p in touched:
            count[p] += 1
        if 2 <= size <= cap:
            for x, y in combinations(sorted(touched), 2):
                shared[(x, y)] += 1
                weight[(x, y)] += 1.0 / (size - 1)
    return count, shared, weight


def compare_commits(label, units, files, count):
    bad = sorted(f for f in files if units[f]["commits"] != count.get(f, 0))
    print(f"{label}: {pct(len(files) - len(bad), len(files))}")
    for f in bad[:10]:
        print(f"   {f}: git {count.get(f, 0)} decompose {units[f]['commits']}")
    return not bad


def compare_weights(label, report, files, weight):
    got = {(r["a"], r["b"]): r["weight"] for r in report["co_change_weights"]
           if r["a"] in files and r["b"] in files}
    want = {k: v for k, v in weight.items() if k[0] in files and k[1] in files}
    keys = set(got) | set(want)
    bad = sorted(k for k in keys if k not in got or k not in want
                 or abs(got[k] - want[k]) > 1e-9 * max(1.0, abs(want[k])))
    print(f"{label}: {pct(len(keys) - len(bad), len(keys))}"
          f" (missing {len(set(want) - set(got))}, extra {len(set(got) - set(want))})")
    for k in bad[:10]:
        print(f"   {k}: git {want.get(k)} decompose {got.get(k)}")
    return not bad


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
                              "--max-changeset", str(a.cap), "--deterministic", "-q", "--no-cache",
                              "--format", "json", "-o", "-"], check=True, capture_output=True)
        report = json.loads(out.stdout)
    else:
        ap.error("give --report or --decompose")
    s = report["settings"]
    if s.get("max_commits") != a.max_commits or s.get("max_changeset") != a.cap:
        sys.exit(f"the report was made with max_commits={s.get('max_commits')} "
                 f"max_changeset={s.get('max_changeset')}; pass the same values")

    prefix = git(a.root, "rev-parse", "--show-prefix").rstrip(b"\n")
    commits = log(a.root, prefix, a.max_commits)
    sizes = [len(entries) for _, entries in commits]
    listed = [{p for _, ps in entries for p in ps} for _, entries in commits]
    renamed = {p for _, entries in commits for s, ps in entries if s == b"R" for p in ps}
    deleted = {ps[-1] for _, entries in commits for s, ps in entries if s == b"D"}
    added = {ps[-1] for _, entries in commits for s, ps in entries if s == b"A"}

    units = {u["id"]: u for u in report["units"]}
    compared = {f for f in units if f not in renamed}
    print(f"window: {len(commits)} commits (report: {report['summary']['commits_analyzed']}); "
          f"{len(units)} units, {len(units) - len(compared)} renamed in the window")

    print("A. by path, units not renamed in the window")
    count, shared, weight = recount(listed, sizes, a.cap)
    ok = compare_commits("per-unit commits", units, compared, count)
    readded = sorted(compared & deleted & added)
    window = {c for c, _ in commits}
    spec = [":(top,literal)" + (prefix + p.encode()).decode("utf-8", "replace") for p in readded]
    by_path = {p: len(window & set(git(a.root, "log", "--no-merges", "--full-history", "--format=%H",
                                       "HEAD", "--", sp).decode().split()))
               for p, sp in zip(readded, spec)}
    bad_readded = [p for p in readded if units[p]["commits"] != by_path[p]]
    print(f"   deleted and re-added in the window: {len(readded)}; their commits equal to "
          f"`git log -- PATH` over the window: {pct(len(readded) - len(bad_readded), len(readded))}")
    ok &= not bad_readded

    rows = [r for r in report["cochange"] if r["a"] in compared and r["b"] in compared]
    bad_rows = [r for r in rows if (r["shared"], r["revs_a"], r["revs_b"]) !=
                (shared.get((r["a"], r["b"]), 0), count.get(r["a"], 0), count.get(r["b"], 0))]
    print(f"cochange rows (shared, revs_a, revs_b): {pct(len(rows) - len(bad_rows), len(rows))}"
          f" (of {len(report['cochange'])} rows)")
    for r in bad_rows[:10]:
        print(f"   {r['a']} {r['b']}: git {shared.get((r['a'], r['b']), 0)} "
              f"{count.get(r['a'], 0)} {count.get(r['b'], 0)}, decompose {r['shared']} {r['revs_a']} {r['revs_b']}")
    ok &= not bad_rows

    def passes(k, v):
        ra, rb = count[k[0]], count[k[1]]
        return (ra + rb) / 2 >= 5 and v >= 5 and 100.0 * v / ((ra + rb) / 2) >= 30
    expected = {k for k, v in shared.items() if k[0] in compared and k[1] in compared and passes(k, v)}
    got = {(r["a"], r["b"]) for r in rows}
    missing, extra = expected - got, got - expected
    print(f"cochange pairs passing the report filter: {pct(len(expected & got), len(expected | got))}"
          f" (missing {len(missing)}, extra {len(extra)})")
    for k in sorted(missing)[:5]:
        print(f"   missing {k}: shared {shared[k]}")
    for k in sorted(extra)[:5]:
        print(f"   extra {k}")
    ok &= not missing and not extra
    ok &= compare_weights("co_change_weights, every pair", report, compared, weight)

    big = [(t & compared, t & set(units)) for t, n in zip(listed, sizes) if n > a.cap]
    sweeping = sum(len(c) >= 2 for c, _ in big)
    mixed = sum(len(c) >= 2 and len(u) <= a.cap for c, u in big)
    print(f"   commits of more than {a.cap} paths touching 2+ compared units: {sweeping}, "
          f"{mixed} of them mixed (at most {a.cap} report units)")

    print("B. renames followed, every unit")
    followed = follow_renames(commits, head_files(a.root, prefix))
    count_f, _, weight_f = recount(followed, sizes, a.cap)
    ok &= compare_commits("per-unit commits", units, set(units), count_f)
    ok &= compare_weights("co_change_weights, every pair", report, set(units), weight_f)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
