"""Compares decompose's first-hop TS/JS import edges with dependency-cruiser's
(docs/typescript.md, "On real code").

compare.py OURS_SPECIFIERS.tsv DC_DIR NAME=PKGDIR...
OURS: `ts_imports --specifiers` output (from, specifier, target|external|unresolved).
DC_DIR/NAME.json: dependency-cruiser JSON run inside PKGDIR (paths relative to it).
Edges are file pairs between TS/JS files, for the source files dependency-cruiser read.
"""
import collections, json, os, posixpath, sys

ours_path, dc_dir = sys.argv[1], sys.argv[2]
maps = dict(a.split('=', 1) for a in sys.argv[3:])
EXT = ('.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs')

def norm(pkg, p):
    return posixpath.normpath(posixpath.join(pkg, p)) if pkg else posixpath.normpath(p)

dc_edges, dc_sources, dc_spec = set(), set(), {}
for name, pkg in maps.items():
    path = os.path.join(dc_dir, name + '.json')
    if not os.path.getsize(path):
        print('empty', name)
        continue
    for m in json.load(open(path))['modules']:
        src = norm(pkg, m['source'])
        if not src.endswith(EXT) or 'node_modules/' in src:
            continue
        dc_sources.add(src)
        for x in m['dependencies']:
            if x.get('coreModule'):
                continue
            key = (src, x['module'])
            if x.get('couldNotResolve'):
                dc_spec[key] = 'unresolved'
                continue
            tgt = norm(pkg, x['resolved'])
            if 'node_modules/' in tgt or not tgt.endswith(EXT):
                dc_spec[key] = 'external'
                continue
            dc_spec[key] = tgt
            dc_edges.add((src, tgt))

ours_edges, ours_spec = set(), {}
for line in open(ours_path):
    src, spec, tgt = line.rstrip('\n').split('\t')
    if src not in dc_sources:
        continue
    ours_spec[(src, spec)] = tgt
    if tgt not in ('external', 'unresolved'):
        ours_edges.add((src, tgt))

both = ours_edges & dc_edges
print(f"sources {len(dc_sources)}; ours {len(ours_edges)}, depcruise {len(dc_edges)}, common {len(both)}")
print(f"precision {len(both) / max(1, len(ours_edges)):.4f} recall {len(both) / max(1, len(dc_edges)):.4f}")

def why(spec_map, other, src, tgt):
    specs = [s for (a, s), t in spec_map.items() if a == src and t == tgt]
    seen = {other.get((src, s)) for s in specs}
    return ','.join(sorted(v if v in ('unresolved', 'external') else ('absent' if v is None else 'other-file') for v in seen)), specs

cats, examples = collections.Counter(), collections.defaultdict(list)
for src, tgt in sorted(ours_edges - dc_edges):
    w, specs = why(ours_spec, dc_spec, src, tgt)
    cats['ours only; depcruise: ' + w] += 1
    examples['ours only; depcruise: ' + w].append((src, specs, tgt))
for src, tgt in sorted(dc_edges - ours_edges):
    w, specs = why(dc_spec, ours_spec, src, tgt)
    cats['depcruise only; ours: ' + w] += 1
    examples['depcruise only; ours: ' + w].append((src, specs, tgt))
for c, n in cats.most_common():
    print(f"  {n:5d} {c}  e.g. {examples[c][:2]}")
# Edges dependency-cruiser cannot resolve for want of installed workspace packages.
unres = {(s, t) for s, t in ours_edges - dc_edges
         if any(dc_spec.get((s, sp)) == 'unresolved' for (a, sp), tt in ours_spec.items() if a == s and tt == t)}
rest = ours_edges - unres
print(f"without the {len(unres)} edges depcruise left unresolved: precision {len(rest & dc_edges) / max(1, len(rest)):.4f}")
