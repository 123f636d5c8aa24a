#!/usr/bin/env python3
"""Cross-check Python import edges (src/resolve/python.rs) against grimp.

grimp (PyPI, the engine of import-linter) builds an import graph of one or
more top-level packages by parsing their source; it does not execute the
project's code. This script:

  1. builds the grimp graph of PACKAGE(s) with REPO (or --path) on sys.path,
     internal imports only, TYPE_CHECKING imports included (decompose keeps
     them too);
  2. maps each module to its file (`a/b.py` or `a/b/__init__.py`, relative
     to the repository root) and takes every direct module -> module import
     as a file -> file edge (self edges dropped);
  3. reads the `import` dependencies of decompose's report.json, keeping the
     edges whose both ends are files of the same packages;
  4. prints precision (share of decompose's edges that grimp has) and recall
     (share of grimp's edges that decompose has), with samples of each
     difference.

Usage:
  python_crosscheck.py REPO report.json PACKAGE [PACKAGE ...] [--path SUBDIR]
  (report.json from `decompose analyze REPO --format json -o OUT --no-history`)
"""
import argparse
import json
import os
import sys


def module_file(root, module):
    rel = module.replace(".", "/")
    for cand in (rel + ".py", rel + "/__init__.py", rel + ".pyi"):
        if os.path.isfile(os.path.join(root, cand)):
            return cand
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("repo")
    ap.add_argument("report")
    ap.add_argument("packages", nargs="+")
    ap.add_argument("--path", default="", help="source root inside REPO (src layout)")
    ap.add_argument("--samples", type=int, default=15)
    a = ap.parse_args()

    import grimp

    src_root = os.path.join(a.repo, a.path)
    sys.path.insert(0, src_root)
    graph = grimp.build_graph(*a.packages, include_external_packages=False, cache_dir=None)
    prefix = (a.path.rstrip("/") + "/") if a.path else ""
    files = {}
    for m in graph.modules:
        f = module_file(src_root, m)
        if f:
            files[m] = prefix + f
    expected = set()
    for m in graph.modules:
        for t in graph.find_modules_directly_imported_by(m):
            if m in files and t in files and files[m] != files[t]:
                expected.add((files[m], files[t]))

    report = json.load(open(a.report))
    in_scope = set(files.values())
    got = {
        (d["from"], d["to"])
        for d in report["dependencies"]
        if d["kind"] == "import" and d["from"] in in_scope and d["to"] in in_scope
    }
    tp = len(got & expected)
    precision = tp / max(len(got), 1)
    recall = tp / max(len(expected), 1)
    print(f"modules (grimp): {len(graph.modules)}; files mapped: {len(in_scope)}")
    print(f"edges: decompose {len(got)}, grimp {len(expected)}, both {tp}")
    print(f"precision {precision:.4f}  recall {recall:.4f}")

    # decompose resolves a name re-exported by a package __init__ to the
    # module that defines it (docs/python.md); grimp stops at the package.
    # Normalised figures count (a, d) from decompose as matching grimp's
    # (a, p/__init__) when grimp also has p/__init__ -> d, i.e. when the
    # package imports (re-exports from) d.
    inits = {f for f in in_scope if f.endswith("__init__.py")}
    by_src = {}
    for (x, y) in expected:
        by_src.setdefault(x, set()).add(y)

    def reexported(init):
        # Files reachable from a package __init__ through __init__ files
        # only (chains of re-exports: a/__init__ -> a/b/__init__ -> a/b/c).
        seen, todo, out = {init}, [init], set()
        while todo:
            i = todo.pop()
            for d in by_src.get(i, ()):
                out.add(d)
                if d in inits and d not in seen:
                    seen.add(d)
                    todo.append(d)
        return out

    cache = {}

    def through(i):
        if i not in cache:
            cache[i] = reexported(i)
        return cache[i]

    def via_init(src, dst):
        return any(i in inits and dst in through(i) for i in by_src.get(src, ()))

    ok_got = {e for e in got if e in expected or via_init(*e)}
    ok_exp = set()
    for (x, y) in expected:
        if (x, y) in got:
            ok_exp.add((x, y))
        elif y in inits and any((x, d) in got for d in through(y)):
            ok_exp.add((x, y))
    print("through __init__ re-exports:")
    print(f"precision {len(ok_got) / max(len(got), 1):.4f}  recall {len(ok_exp) / max(len(expected), 1):.4f}")
    got_rest = sorted(got - ok_got)
    exp_rest = sorted(expected - ok_exp)
    print(f"unexplained: only decompose {len(got_rest)}, only grimp {len(exp_rest)}")
    for e in got_rest[: a.samples]:
        print("   +", *e)
    for e in exp_rest[: a.samples]:
        print("   -", *e)
    print(f"\nonly decompose (first {a.samples}):")
    for e in sorted(got - expected)[: a.samples]:
        print("  ", *e)
    print(f"\nonly grimp (first {a.samples}):")
    for e in sorted(expected - got)[: a.samples]:
        print("  ", *e)


if __name__ == "__main__":
    main()
