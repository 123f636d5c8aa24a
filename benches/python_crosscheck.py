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
import ast
import json
import os
import sys


def module_file(root, module):
    rel = module.replace(".", "/")
    for cand in (rel + ".py", rel + "/__init__.py", rel + ".pyi"):
        if os.path.isfile(os.path.join(root, cand)):
            return cand
    return None


_trees = {}


def parse(path):
    if path not in _trees:
        try:
            with open(path, "rb") as f:
                _trees[path] = ast.parse(f.read())
        except (SyntaxError, ValueError, OSError):
            _trees[path] = None
    return _trees[path]


def import_names_at(path, line):
    """(level, module, [names]) of the `from ... import` statement at `line`."""
    tree = parse(path)
    if tree is None:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.lineno == line:
            return [a.name for a in node.names]
    return None


def absolute(package, level, module):
    """The module a relative `from` names, seen from a package."""
    if level == 0:
        return module
    parts = package.split(".")
    base = parts[: len(parts) - (level - 1)] if level > 1 else parts
    return ".".join(base + ([module] if module else []))


def defining(src_root, modules, package, name, depth=0):
    """The module that defines `name` as imported from `package`: through
    the package's __init__ re-exports, any number of hops."""
    f = module_file(src_root, package)
    if depth > 10 or f is None or not f.endswith("__init__.py"):
        return package
    tree = parse(os.path.join(src_root, f))
    if tree is None:
        return package
    body = []
    for node in tree.body:
        body.append(node)
        if isinstance(node, ast.Try):
            body.extend(node.body)
        if isinstance(node, ast.If):
            body.extend(node.body)
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return package
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return package
        if isinstance(node, ast.ImportFrom):
            for al in node.names:
                if (al.asname or al.name) == name and al.name != "*":
                    src = absolute(package, node.level, node.module)
                    if src is None:
                        continue
                    if f"{src}.{al.name}" in modules:
                        return f"{src}.{al.name}"
                    if src in modules:
                        return defining(src_root, modules, src, al.name, depth + 1)
    return package


def strict_expected(graph, files, src_root, prefix):
    modules = set(graph.modules)
    out = set()
    for m in graph.modules:
        if m not in files:
            continue
        path = os.path.join(src_root, files[m][len(prefix):])
        for t in graph.find_modules_directly_imported_by(m):
            if t not in files:
                continue
            targets = set()
            is_package = files[t].endswith("__init__.py")
            for d in graph.get_import_details(importer=m, imported=t):
                names = import_names_at(path, d["line_number"]) if is_package else None
                if not names:
                    targets.add(t)
                    continue
                for n in names:
                    if f"{t}.{n}" in modules:
                        # A submodule: grimp lists m -> t.n on its own.
                        continue
                    targets.add(defining(src_root, modules, t, n) if n != "*" else t)
            if not targets and not is_package:
                targets.add(t)
            for x in targets:
                if x in files and files[x] != files[m]:
                    out.add((files[m], files[x]))
    return out


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
    # Strict: grimp's own edges, but a `from P import n` where P is a
    # package re-exporting n is pointed at the module that defines n, found
    # by reading P/__init__.py with Python's ast (import chains followed).
    # This is decompose's documented rule computed independently: grimp
    # gives the import statements (get_import_details), ast the re-exports.
    strict = strict_expected(graph, files, src_root, prefix)
    tp = len(got & strict)
    print("strict (grimp edges, re-exported names followed by ast):")
    print(f"edges: decompose {len(got)}, expected {len(strict)}, both {tp}")
    print(f"precision {tp / max(len(got), 1):.4f}  recall {tp / max(len(strict), 1):.4f}")
    for e in sorted(got - strict)[: a.samples]:
        print("   +", *e)
    for e in sorted(strict - got)[: a.samples]:
        print("   -", *e)

    print(f"\nonly decompose (first {a.samples}):")
    for e in sorted(got - expected)[: a.samples]:
        print("  ", *e)
    print(f"\nonly grimp (first {a.samples}):")
    for e in sorted(expected - got)[: a.samples]:
        print("  ", *e)


if __name__ == "__main__":
    main()
