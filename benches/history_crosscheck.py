#!/usr/bin/env python3
"""Cross-check the history stage (src/history/) against plain git.

Recomputes per-file commit counts and pairwise co-change from

    git log --no-merges -M --name-status -z -n N HEAD

with an independent implementation of the rules in docs/history.md (newest
first, a map path-at-commit -> path-at-HEAD that follows renames, files absent
at HEAD dropped, a deleted and re-added path keeps its history), and compares
them with the
JSON that the Rust side wrote. It prints match rates for:

  * per-file commit counts, for files NOT renamed in the window (the contract
    that plain path-based counting can verify), and for all files;
  * per-file revs (changesets; equal to commits without grouping);
  * pairwise `shared`, over the union of pairs of both sides, for pairs of
    non-renamed files and for all pairs.

The changeset cap is applied the same way on both sides: a commit counts for
pairs only if it touches at most max_changeset paths (every path, as code-maat
counts the log), two or more of them files at HEAD. Pass one
JSON per cap (e.g. the default 30 and a huge value meaning "no cap"): each
JSON carries the max_commits and max_changeset it was made with.

Input JSON shape: {"max_commits": N, "max_changeset": C, "history": <History>}
as written by a runner such as the scratch binary `mine PATH --max-commits N
--max-changeset C --json FILE`; with --mine CMD the script runs it itself.

Usage:
  history_crosscheck.py REPO --json a.json [--json b.json ...]
  history_crosscheck.py REPO --mine /path/to/mine --max-commits 5000 --caps 30,1000000
Exit status 0 when every rate is 100 %, 1 otherwise.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from itertools import combinations


def git(repo, *args):
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_NO_LAZY_FETCH="1", LC_ALL="C")
    for k in ("GIT_DIR", "GIT_WORK_TREE"):
        env.pop(k, None)
    p = subprocess.run(
        ["git", "-c", "core.quotepath=off", "-c", "log.showRoot=true", *args],
        cwd=repo, env=env, capture_output=True,
    )
    if p.returncode != 0:
        sys.exit(f"git {' '.join(args)} failed: {p.stderr.decode(errors='replace')}")
    return p.stdout


def name(b):
    return b.decode("utf-8", errors="replace")


def head_files(repo):
    out = git(repo, "ls-tree", "-r", "-z", "--full-tree", "HEAD")
    files = set()
    for rec in out.split(b"\0"):
        if not rec:
            continue
        meta, _, path = rec.partition(b"\t")
        if meta.split(b" ")[1] == b"blob":
            files.add(path)
    return files


def commits(repo, max_commits):
    """[(id, [(status, old_path_or_None, path)])], newest first."""
    out = git(repo, "log", "--no-merges", "-M", "--name-status", "-z",
              f"--max-count={max_commits}", "--format=%x01%H", "HEAD")
    toks = out.split(b"\0")
    res, i = [], 0
    while i < len(toks):
        t = toks[i]
        i += 1
        if t.startswith(b"\n"):
            t = t[1:]
        if not t:
            continue
        if t.startswith(b"\x01"):
            res.append((t[1:].decode(), []))
            continue
        status = t[:1]
        if status in (b"R", b"C"):
            old, new = toks[i], toks[i + 1]
            i += 2
            res[-1][1].append((status, old, new))
        else:
            res[-1][1].append((status, None, toks[i]))
            i += 1
    return res


def compute(repo, max_commits):
    """Per-file commit counts, renamed set and per-commit touched sets."""
    head = head_files(repo)
    alias = {p: p for p in head}          # path at the commit -> path at HEAD
    counts = defaultdict(int)
    renamed = set()
    touched_sets = []
    log = commits(repo, max_commits)
    for _cid, entries in log:
        touched = set()
        for status, old, path in entries:
            if path in alias:
                touched.add(alias[path])
        moves = []
        for status, old, path in entries:
            if status == b"R":
                ident = alias.pop(path, None)
                if status == b"R" and ident is not None:
                    moves.append((old, ident))
                    renamed.add(ident)
        for old, ident in moves:
            alias[old] = ident
        for f in touched:
            counts[f] += 1
        touched_sets.append((len(entries), touched))
    return len(log), counts, renamed, touched_sets


def pairs_for(touched_sets, cap):
    shared = defaultdict(int)
    for size, t in touched_sets:
        if 2 <= len(t) and size <= cap:
            for a, b in combinations(sorted(name(x) for x in t), 2):
                shared[(a, b)] += 1
    return shared


def rate(ok, total):
    return f"{ok}/{total} = {100.0 * ok / total:.2f} %" if total else "n/a (nothing to compare)"


def check(repo, doc, cache):
    n, cap = doc["max_commits"], doc["max_changeset"]
    hist = doc["history"]
    if n not in cache:
        cache[n] = compute(repo, n)
    n_log, counts, renamed, touched_sets = cache[n]
    exp_counts = {name(f): c for f, c in counts.items()}
    renamed_names = {name(f) for f in renamed}
    got = {f: v["commits"] for f, v in hist["files"].items()}
    got_revs = {f: v["changesets"] for f, v in hist["files"].items()}

    print(f"== max_commits={n} max_changeset={cap}")
    print(f"commits: git log {n_log}, rust {hist['commits_analyzed']}"
          f" (skipped {hist['skipped_commits']}, partial {hist['partial_commits']})")
    all_files = set(exp_counts) | set(got)
    plain = {f for f in all_files if f not in renamed_names}
    bad = sorted(f for f in plain if exp_counts.get(f) != got.get(f))
    print(f"per-file commits, files not renamed in the window: {rate(len(plain) - len(bad), len(plain))}")
    for f in bad[:10]:
        print(f"   {f!r}: git {exp_counts.get(f)} rust {got.get(f)}")
    bad_all = [f for f in all_files if exp_counts.get(f) != got.get(f)]
    print(f"per-file commits, all files ({len(renamed_names)} renamed): {rate(len(all_files) - len(bad_all), len(all_files))}")
    bad_revs = [f for f in all_files if exp_counts.get(f) != got_revs.get(f)]
    print(f"per-file revs (changesets, no grouping): {rate(len(all_files) - len(bad_revs), len(all_files))}")

    exp_pairs = pairs_for(touched_sets, cap)
    got_pairs = {(p["a"], p["b"]): p["shared"] for p in hist["pairs"]}
    keys = set(exp_pairs) | set(got_pairs)
    plain_keys = {k for k in keys if k[0] not in renamed_names and k[1] not in renamed_names}
    bad_p = sorted(k for k in plain_keys if exp_pairs.get(k) != got_pairs.get(k))
    print(f"pairwise shared, pairs of non-renamed files: {rate(len(plain_keys) - len(bad_p), len(plain_keys))}")
    for k in bad_p[:10]:
        print(f"   {k!r}: git {exp_pairs.get(k)} rust {got_pairs.get(k)}")
    bad_pa = [k for k in keys if exp_pairs.get(k) != got_pairs.get(k)]
    print(f"pairwise shared, all pairs: {rate(len(keys) - len(bad_pa), len(keys))}")
    return not (bad or bad_all or bad_revs or bad_p or bad_pa)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("repo")
    ap.add_argument("--json", action="append", default=[], help="History JSON (repeatable)")
    ap.add_argument("--mine", help="runner: CMD REPO --max-commits N --max-changeset C --json FILE")
    ap.add_argument("--max-commits", type=int, default=5000)
    ap.add_argument("--caps", default="30,1000000", help="caps to run with --mine")
    a = ap.parse_args()
    docs = [json.load(open(f)) for f in a.json]
    if a.mine:
        with tempfile.TemporaryDirectory() as d:
            for cap in a.caps.split(","):
                out = os.path.join(d, f"cap{cap}.json")
                subprocess.run([a.mine, a.repo, "--max-commits", str(a.max_commits),
                                "--max-changeset", cap, "--json", out], check=True)
                docs.append(json.load(open(out)))
    if not docs:
        ap.error("give --json or --mine")
    cache, ok = {}, True
    for doc in docs:
        ok &= check(a.repo, doc, cache)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
