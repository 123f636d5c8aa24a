/* decompose seam report: the what-if mode (docs/html.md, "What-if").
 *
 * The architect moves a unit or a folder to another service, the shared
 * kernel or a new service, and sees every figure the move changes. The
 * figures are recomputed here from the unit-level data that the report
 * embeds, with the formulas of docs/metrics.md written once more in the
 * order src/metrics.rs and src/plan.rs evaluate them (sums in the same
 * order, the same rounding), so the numbers equal what `analyze` prints for
 * the same arrangement; tests/browser.rs checks that round trip. This file
 * keeps the rules of report.js: repository text only through text nodes,
 * no HTML parsing, no eval.
 *
 * It defines one global, `decomposeWhatIf(api)`, which report.js calls
 * with its helpers once the page is drawn.
 */
function decomposeWhatIf(api) {
  "use strict";
  var D = api.D, U = api.U, F = api.F, NU = U.length;
  var el = api.el, append = api.append, button = api.button, clear = api.clear, $ = api.$;
  var NONE = -1, KERNEL = -2;

  // Rust's `(x * 1e6).round() / 1e6`: halves away from zero.
  function r6(x) {
    var v = x * 1e6;
    return (v < 0 ? -Math.round(-v) : Math.round(v)) / 1e6;
  }
  // Rust's `str::cmp` (UTF-8 byte order), which UTF-16 order differs from
  // only for characters beyond U+FFFF against U+E000..U+FFFF.
  var utf8 = new TextEncoder();
  function cmpStr(a, b) {
    if (a === b) return 0;
    var x = utf8.encode(a), y = utf8.encode(b), n = Math.min(x.length, y.length);
    for (var i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  }

  // numeric::rank_normalise: average ranks of ties, scaled to [0, 1].
  function rankNormalise(values) {
    var n = values.length;
    if (n === 1) return [1];
    var order = values.map(function (_, i) { return i; });
    order.sort(function (a, b) { return values[a] - values[b] || a - b; });
    var out = new Array(n), i = 0;
    while (i < n) {
      var j = i;
      while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
      var avg = (i + j) / 2 + 1;
      for (var q = i; q <= j; q++) out[order[q]] = (avg - 1) / (n - 1);
      i = j + 1;
    }
    return out;
  }
  // The benefit without history (plan::structural_benefit, docs/metrics.md
  // "Plan without history"): the mean of each service's share of
  // size × complexity (rank-normalised), of inbound routes and of the
  // distinct production units outside it that depend on it, over the
  // clustered units that are not generated code.
  function structuralBenefit(out, plan, k) {
    var units = [], u;
    function counted(x) { return plan[x] >= 0 && !gen[x]; }
    for (u = 0; u < NU; u++) if (counted(u)) units.push(u);
    var rl = rankNormalise(units.map(function (x) { return U[x][F.lines] || 0; }));
    var rx = rankNormalise(units.map(function (x) { return U[x][F.complexity] || 0; }));
    var size = new Float64Array(k), routes = new Float64Array(k);
    units.forEach(function (x, i) { size[plan[x]] += rl[i] * rx[i]; });
    (D.endpoints || []).forEach(function (e) {
      var x = typeof e[3] === "number" ? e[3] : idIndex[e[3]];
      if (x !== undefined && counted(x)) routes[plan[x]] += 1;
    });
    var users = [];
    for (var j = 0; j < k; j++) users.push(new Set());
    for (var d = 0; d < deps.length; d += 4) {
      var from = deps[d], to = deps[d + 1];
      if (test[from] || !counted(to)) continue;
      if (plan[from] !== plan[to]) users[plan[to]].add(from);
    }
    var fan = users.map(function (x) { return x.size; });
    function share(v) {
      var total = 0;
      for (var q = 0; q < v.length; q++) total += v[q];
      return Array.prototype.map.call(v, function (x) { return total > 0 ? r6(x / total) : 0; });
    }
    var a = share(size), b = share(routes), c = share(fan);
    out.forEach(function (o, q) { o.benefit = r6((a[q] + b[q] + c[q]) / 3); });
  }

  // ---------- the unit-level inputs ----------

  // gen: generated code (units[].generated): it never counts toward a
  // benefit, and a service of generated code only has benefit 0 and ranks
  // last (docs/metrics.md, "Plan").
  var test = new Uint8Array(NU), commits = new Float64Array(NU), hot = new Float64Array(NU), gen = new Uint8Array(NU);
  (D.generated || []).forEach(function (x) { gen[x] = 1; });
  var idIndex = Object.create(null);
  for (var i = 0; i < NU; i++) {
    test[i] = U[i][F.test] === 1 ? 1 : 0;
    commits[i] = U[i][F.commits] || 0;
    hot[i] = U[i][F.hotspot] || 0;
    idIndex[U[i][F.id]] = i;
  }
  var kindCall = D.kinds.indexOf("call"), kindImport = D.kinds.indexOf("import");
  var deps = D.deps, calls = D.calls || [], seamPairs = D.seam_pairs || [], seamW = D.seam_weights || [];
  var coPairs = D.cochange_pairs || [], coW = D.cochange_weights || [];
  var authorsOf = D.unit_authors || [];

  // The analysed arrangement: service slots in report order, the kernel.
  function initial() {
    var names = D.services.map(function (s) { return s.name; });
    var ids = D.service_ids, slotOfId = Object.create(null);
    D.services.forEach(function (s, k) { slotOfId[s.id] = k; });
    var a = new Int32Array(NU);
    for (var u = 0; u < NU; u++) {
      var s = U[u][F.service];
      a[u] = s >= 0 && slotOfId[ids[s]] !== undefined ? slotOfId[ids[s]] : NONE;
    }
    (D.shared_kernel || []).forEach(function (ref) { if (typeof ref === "number") a[ref] = KERNEL; });
    return { names: names, a: a };
  }

  // ---------- the formulas (docs/metrics.md) ----------

  // Every figure of the arrangement `st` ({names, a}): per service (only
  // slots with members, in slot order) and for the partition.
  function measure(st) {
    var a = st.a, nSlots = st.names.length;
    var size = new Int32Array(nSlots);
    for (var u = 0; u < NU; u++) if (a[u] >= 0) size[a[u]]++;
    var slots = [];
    for (var s = 0; s < nSlots; s++) if (size[s] > 0) slots.push(s);
    var k = slots.length, pos = new Int32Array(nSlots).fill(-1);
    slots.forEach(function (s, j) { pos[s] = j; });
    // side: service position, KERNEL, or NONE (src/metrics.rs `side`).
    var side = new Int32Array(NU), plan = new Int32Array(NU);
    for (u = 0; u < NU; u++) {
      side[u] = a[u] >= 0 ? pos[a[u]] : a[u];
      plan[u] = test[u] ? NONE : (a[u] >= 0 ? pos[a[u]] : NONE);
    }
    var out = slots.map(function (s) {
      return {
        slot: s, name: st.names[s], units: size[s], cohesion: 0, coupling: 0, interface_size: 0,
        churn_share: 0, cochange_leakage: 0, cut_calls: 0, cut_call_weight: 0, interface_operations: 0,
        shared_entities: 0, cut_foreign_keys: 0, split_transactions: 0, hotspot_share: 0, shared_authors: 0,
        benefit: 0, cost: 0, score: 0, generated: false
      };
    });
    var internal = new Float64Array(k), external = new Float64Array(k);
    var d, from, to, c, sa, sb;
    for (d = 0; d < deps.length; d += 4) {
      from = deps[d]; to = deps[d + 1]; c = deps[d + 3];
      sa = side[from]; sb = side[to];
      if (sa !== NONE && sb !== NONE) {
        if (sa === sb) { if (sa >= 0) internal[sa] += c; }
        else {
          if (sa >= 0) { external[sa] += c; out[sa].coupling += c; }
          if (sb >= 0) { external[sb] += c; out[sb].coupling += c; }
        }
      }
      // Extraction: call references across the cut, test callers left out.
      if (deps[d + 2] === kindCall && !test[from]) {
        sa = plan[from]; sb = plan[to];
        if (sa !== sb) {
          if (sa >= 0) out[sa].cut_call_weight += c;
          if (sb >= 0) out[sb].cut_call_weight += c;
        }
      }
    }
    for (s = 0; s < k; s++) {
      var all = internal[s] + external[s];
      out[s].cohesion = all === 0 ? 0 : r6(internal[s] / all);
    }
    // Interfaces and cut calls from the symbol calls.
    var iface = [], ops = [];
    for (s = 0; s < k; s++) { iface.push(new Set()); ops.push(new Set()); }
    for (d = 0; d < calls.length; d += 4) {
      from = calls[d]; to = calls[d + 1]; var key = to * 1048576 + calls[d + 2]; c = calls[d + 3];
      sa = side[from]; sb = side[to];
      if (sa !== NONE && sb >= 0 && sa !== sb) iface[sb].add(key);
      if (test[from]) continue;
      sa = plan[from]; sb = plan[to];
      if (sa === sb) continue;
      if (sa >= 0) out[sa].cut_calls += c;
      if (sb >= 0) { out[sb].cut_calls += c; ops[sb].add(key); }
    }
    for (s = 0; s < k; s++) { out[s].interface_size = iface[s].size; out[s].interface_operations = ops[s].size; }
    // Churn share over the clustered units (services and kernel).
    var total = 0, mine = new Float64Array(k);
    for (u = 0; u < NU; u++) if (side[u] !== NONE) total += commits[u];
    for (u = 0; u < NU; u++) if (side[u] >= 0) mine[side[u]] += commits[u];
    if (total > 0) for (s = 0; s < k; s++) out[s].churn_share = r6(mine[s] / total);
    // Co-change leakage (the kernel is outside every service).
    var inside = new Float64Array(k), leak = new Float64Array(k);
    for (d = 0; d < coW.length; d++) {
      var x = a[coPairs[2 * d]] >= 0 ? side[coPairs[2 * d]] : NONE;
      var y = a[coPairs[2 * d + 1]] >= 0 ? side[coPairs[2 * d + 1]] : NONE, w = coW[d];
      if (x !== NONE) { if (y === x) inside[x] += w / 2; else leak[x] += w; }
      if (y !== NONE) { if (x === y) inside[y] += w / 2; else leak[y] += w; }
    }
    for (s = 0; s < k; s++) {
      var sum = inside[s] + leak[s];
      out[s].cochange_leakage = sum > 0 ? r6(leak[s] / sum) : 0;
    }
    // Data: owner and conflicts of every table under this arrangement.
    var byName = Object.create(null);
    out.forEach(function (o, j) { byName[o.name] = j; });
    function svcName(ref, given) {
      if (typeof ref !== "number") return given === undefined ? null : given;
      return plan[ref] >= 0 ? out[plan[ref]].name : null;
    }
    var ownerOf = new Map();
    D.entities.forEach(function (e) {
      var decl = e.unit === null || e.unit === undefined ? null : svcName(e.unit, e.service);
      var writes = new Map(), readers = new Set();
      e.sites.forEach(function (t) {
        var n = svcName(t[0], t[5]);
        if (n === null) return;
        if (t[3] === "write") writes.set(n, (writes.get(n) || 0) + 1); else readers.add(n);
      });
      var owner = null, best = -1;
      writes.forEach(function (cnt, n) {
        var better = owner === null || cnt > best ||
          (cnt === best && (n === decl) > (owner === decl)) ||
          (cnt === best && (n === decl) === (owner === decl) && cmpStr(n, owner) < 0);
        if (better) { owner = n; best = cnt; }
      });
      if (owner === null) owner = decl;
      ownerOf.set(e.table, owner);
      var involved = new Set();
      writes.forEach(function (cnt, n) { if (n !== owner) involved.add(n); });
      readers.forEach(function (n) { if (n !== owner && !writes.has(n)) involved.add(n); });
      if (involved.size && owner !== null) involved.add(owner);
      involved.forEach(function (n) { if (byName[n] !== undefined) out[byName[n]].shared_entities++; });
    });
    // Foreign keys (`[table, columns, references, …]`) between tables of
    // two different owners count for both
    // (plan::foreign_keys, `cut_foreign_keys`).
    (D.foreign_keys || []).forEach(function (f) {
      var x = ownerOf.get(f[0]), y = ownerOf.get(f[2]);
      if (x === undefined || y === undefined || x === null || y === null || x === y) return;
      [x, y].forEach(function (n) { if (byName[n] !== undefined) out[byName[n]].cut_foreign_keys++; });
    });
    // Split transactions: a scope whose reach spans two or more services
    // counts for each of them. Without the reach (an older report) the
    // analysed services are kept.
    D.transactions.forEach(function (t) {
      var names = t.services, saga = t.saga;
      if (t.reach) {
        var set = new Set();
        t.reach.forEach(function (ref) { if (typeof ref === "number" && plan[ref] >= 0) set.add(plan[ref]); });
        saga = set.size >= 2;
        names = Array.from(set).map(function (j) { return out[j].name; });
      }
      if (!saga) return;
      names.forEach(function (n) { if (byName[n] !== undefined) out[byName[n]].split_transactions++; });
    });
    // Benefit, shared authors.
    // Generated code counts toward no benefit; a service whose members are
    // all generated is `generated`.
    var totalHot = 0, hotOf = new Float64Array(k), genOf = new Int32Array(k);
    for (u = 0; u < NU; u++) if (plan[u] !== NONE && !gen[u]) totalHot += hot[u];
    for (u = 0; u < NU; u++) if (plan[u] >= 0 && !gen[u]) hotOf[plan[u]] += hot[u];
    for (u = 0; u < NU; u++) if (side[u] >= 0 && gen[u]) genOf[side[u]]++;
    var authorSets = out.map(function () { return new Set(); });
    if (authorsOf.length === NU) {
      for (u = 0; u < NU; u++) if (plan[u] >= 0) authorsOf[u].forEach(function (x) { authorSets[plan[u]].add(x); });
    }
    out.forEach(function (o, j) {
      o.hotspot_share = totalHot > 0 ? r6(hotOf[j] / totalHot) : 0;
      var shared = 0;
      authorSets[j].forEach(function (x) {
        for (var q = 0; q < k; q++) if (q !== j && authorSets[q].has(x)) { shared++; return; }
      });
      o.shared_authors = authorSets[j].size ? r6(shared / authorSets[j].size) : 0;
      o.benefit = r6((o.churn_share + o.hotspot_share) / 2);
      o.generated = genOf[j] === o.units;
    });
    if (D.benefit_basis === "structure") structuralBenefit(out, plan, k);
    out.forEach(function (o) { if (o.generated) o.benefit = 0; });
    // The data term joins shared tables and cut foreign keys.
    out.forEach(function (o) { o.data_coupling = o.shared_entities + o.cut_foreign_keys; });
    [["cut_calls", "cut_calls_norm"], ["cut_call_weight", "cut_call_weight_norm"],
      ["interface_operations", "interface_operations_norm"], ["data_coupling", "shared_entities_norm"],
      ["split_transactions", "split_transactions_norm"]].forEach(function (f) {
      var max = 0;
      out.forEach(function (o) { if (o[f[0]] > max) max = o[f[0]]; });
      out.forEach(function (o) { o[f[1]] = max > 0 ? r6(o[f[0]] / max) : 0; });
    });
    out.forEach(function (o) {
      var callsNorm = (o.cut_calls_norm + o.cut_call_weight_norm) / 2;
      o.cost = r6((callsNorm + o.interface_operations_norm + o.shared_entities_norm + o.split_transactions_norm + o.cochange_leakage + o.shared_authors) / 6);
      o.score = r6(o.benefit * (1 - o.cost));
    });
    var order = out.slice().sort(function (p, q) {
      // plan::rank_cmp: services of generated code last, then the higher
      // score, the higher benefit, the smaller coupling, the name.
      return (p.generated ? 1 : 0) - (q.generated ? 1 : 0) || q.score - p.score || q.benefit - p.benefit || p.coupling - q.coupling || cmpStr(p.name, q.name);
    });
    order.forEach(function (o, r) { o.rank = r + 1; });
    return { services: out, ranked: order, partition: partition(side, size, slots) };
  }

  // Q, SM, ICP, IFN, NED over service members (src/metrics.rs).
  function partition(side, size, slots) {
    var k = slots.length, p = { modularity: 0, sm: 0, icp: 0, ifn: 0, ned: 0 };
    if (k === 0) return p;
    var sizes = slots.map(function (s) { return size[s]; }), n = 0;
    sizes.forEach(function (x) { n += x; });
    var pairs = new Set(), callPairs = new Set(), callsAll = 0, callsAcross = 0;
    var mu = new Float64Array(k), sigma = new Map();
    for (var d = 0; d < deps.length; d += 4) {
      var from = deps[d], to = deps[d + 1], a = side[from], b = side[to];
      if (a < 0 || b < 0) continue;
      var key = from * NU + to;
      if (deps[d + 2] !== kindImport && !pairs.has(key)) {
        pairs.add(key);
        if (a === b) mu[a]++;
        else { var sk = Math.min(a, b) * k + Math.max(a, b); sigma.set(sk, (sigma.get(sk) || 0) + 1); }
      }
      if (deps[d + 2] === kindCall) {
        callsAll += deps[d + 3];
        if (a !== b) { callsAcross += deps[d + 3]; callPairs.add(key); }
      }
    }
    var cohesion = 0;
    for (var i = 0; i < k; i++) cohesion += mu[i] / (sizes[i] * sizes[i]);
    cohesion /= k;
    var coupling = 0;
    if (k > 1) {
      Array.from(sigma.keys()).sort(function (x, y) { return x - y; }).forEach(function (sk) {
        var x = Math.floor(sk / k), y = sk % k;
        coupling += sigma.get(sk) / (2 * sizes[x] * sizes[y]);
      });
      coupling /= k * (k - 1) / 2;
    }
    var nedIn = 0;
    sizes.forEach(function (x) { if (x >= 5 && x <= 20) nedIn += x; });
    var m2 = 0, strength = new Float64Array(NU), has = new Uint8Array(NU), inside = new Float64Array(k);
    for (var e = 0; e < seamW.length; e++) {
      var ua = seamPairs[2 * e], ub = seamPairs[2 * e + 1], sa = side[ua], sb = side[ub], w = seamW[e];
      if (sa < 0 || sb < 0) continue;
      m2 += 2 * w;
      strength[ua] += w; strength[ub] += w; has[ua] = 1; has[ub] = 1;
      if (sa === sb) inside[sa] += 2 * w;
    }
    var tot = new Float64Array(k);
    for (var u = 0; u < NU; u++) if (has[u]) tot[side[u]] += strength[u];
    var q = 0;
    if (m2 > 0) for (i = 0; i < k; i++) q += inside[i] / m2 - Math.pow(tot[i] / m2, 2);
    p.modularity = r6(q);
    p.sm = r6(cohesion - coupling);
    p.icp = callsAll > 0 ? r6(callsAcross / callsAll) : 0;
    p.ifn = r6(callPairs.size / k);
    p.ned = n > 0 ? r6(1 - nedIn / n) : 0;
    return p;
  }

  // ---------- items: units and folders ----------

  // A move names a unit id, `dir/**` (everything below) or `dir/` (the
  // files of one folder); tests are never moved (they are not clustered).
  function unitsOf(item) {
    var list = [];
    if (idIndex[item] !== undefined) { if (!test[idIndex[item]]) list.push(idIndex[item]); return list; }
    var deep = /\/\*\*$/.test(item), prefix = deep ? item.slice(0, -2) : item;
    if (!deep && !/\/$/.test(item)) return list;
    for (var u = 0; u < NU; u++) {
      if (test[u]) continue;
      var id = U[u][F.id];
      if (id.lastIndexOf(prefix, 0) !== 0) continue;
      if (deep || id.indexOf("/", prefix.length) < 0) list.push(u);
    }
    return list;
  }
  function allItems() {
    var folders = new Set(), items = [];
    for (var u = 0; u < NU; u++) {
      if (test[u]) continue;
      var id = U[u][F.id];
      items.push(id);
      for (var j = id.indexOf("/"); j >= 0; j = id.indexOf("/", j + 1)) folders.add(id.slice(0, j + 1) + "**");
    }
    return Array.from(folders).sort().concat(items.sort());
  }

  // ---------- export: decompose.toml seams ----------

  // src/ci/trend.rs `glob_escape`.
  function globEscape(p) {
    return p.replace(/[*?[\]{}\\]/g, function (c) { return c === "\\" ? "\\\\" : "[" + c + "]"; });
  }
  // A TOML basic string (src/ci/init.rs `q`).
  function tomlString(s) {
    var out = "\"";
    for (var ch of String(s)) {
      var cp = ch.codePointAt(0);
      if (ch === "\"") out += "\\\"";
      else if (ch === "\\") out += "\\\\";
      else if (ch === "\n") out += "\\n";
      else if (ch === "\t") out += "\\t";
      else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) out += "\\u" + ("000" + cp.toString(16).toUpperCase()).slice(-4);
      else out += ch;
    }
    return out + "\"";
  }
  // The fewest globs matching exactly each group's units among all unit
  // ids (src/ci/init.rs `cover`, for every group in one pass): `dir/**` for
  // the topmost folder holding only the group's units, `dir/*` for a folder
  // whose direct units (two or more) are all the group's, else the file.
  // `group[u]` is a service slot, KERNEL, or anything else for units in no
  // group; returns group → sorted globs.
  var TEST_GROUP = -3;
  function coverAll(group) {
    // Per folder: its units' common group (or null when mixed), and the
    // same for its direct units with their count.
    var below = new Map(), direct = new Map();
    function note(m, dir, g) {
      var e = m.get(dir);
      if (!e) m.set(dir, { g: g, n: 1 });
      else { if (e.g !== g) e.g = null; e.n++; }
    }
    var dirsOf = new Array(NU);
    for (var u = 0; u < NU; u++) {
      var id = U[u][F.id], g = group[u], dirs = [];
      for (var end = id.lastIndexOf("/"); end > 0; end = id.lastIndexOf("/", end - 1)) dirs.push(id.slice(0, end));
      if (id.charAt(0) === "/") dirs.push("");
      dirsOf[u] = dirs;
      for (var d = 0; d < dirs.length; d++) note(below, dirs[d], g);
      if (dirs.length) note(direct, dirs[0], g);
    }
    var out = new Map();
    for (u = 0; u < NU; u++) {
      g = group[u];
      if (g === NONE || g === TEST_GROUP) continue;
      var ds = dirsOf[u], top = null;
      for (d = 0; d < ds.length; d++) {
        if (below.get(ds[d]).g === g) top = ds[d]; else break;
      }
      var glob;
      if (top !== null) glob = globEscape(top) + "/**";
      else if (ds.length && direct.get(ds[0]).g === g && direct.get(ds[0]).n >= 2) glob = globEscape(ds[0]) + "/*";
      else glob = globEscape(U[u][F.id]);
      if (!out.has(g)) out.set(g, new Set());
      out.get(g).add(glob);
    }
    out.forEach(function (set, key) { out.set(key, Array.from(set).sort(cmpStr)); });
    return out;
  }
  function cover(members) {
    var group = new Int32Array(NU).fill(NONE);
    members.forEach(function (u) { group[u] = 0; });
    return coverAll(group).get(0) || [];
  }
  function exportToml(st, m) {
    var lines = [
      "# Seams from the what-if mode of the decompose report: one [[seam]] per",
      "# service, its paths covering exactly its units. `decompose analyze` pins",
      "# them (put this in decompose.toml or pass --config FILE); `decompose",
      "# init --from FILE` freezes them for `check` (docs/ci.md).",
      "",
      "version = 1",
      ""
    ];
    var names = new Set(), group = new Int32Array(NU);
    for (var u = 0; u < NU; u++) group[u] = test[u] ? TEST_GROUP : st.a[u];
    var globs = coverAll(group);
    m.ranked.forEach(function (o) {
      names.add(o.name);
      lines.push("[[seam]]", "name = " + tomlString(o.name), "paths = [");
      globs.get(o.slot).forEach(function (g) { lines.push("  " + tomlString(g) + ","); });
      lines.push("]", "");
    });
    if (globs.has(KERNEL)) {
      var kname = "kernel";
      while (names.has(kname)) kname += "_";
      lines.push("[[seam]]", "name = " + tomlString(kname), "kernel = true", "paths = [");
      globs.get(KERNEL).forEach(function (g) { lines.push("  " + tomlString(g) + ","); });
      lines.push("]", "");
    }
    return lines.join("\n");
  }

  // ---------- import: the [[seam]] tables of a decompose.toml ----------

  // Reads `name`, `paths` and `kernel` of every [[seam]]; other tables and
  // keys are skipped. Enough TOML for the files `init` and this page write
  // (basic and literal strings, arrays over several lines, comments).
  function parseSeams(text) {
    var seams = [], cur = null, i = 0, line = 1;
    function fail(msg) { throw new Error("line " + line + ": " + msg); }
    function ws() {
      for (;;) {
        var ch = text[i];
        if (ch === " " || ch === "\t" || ch === "\r") i++;
        else if (ch === "#") { while (i < text.length && text[i] !== "\n") i++; }
        else return;
      }
    }
    function wsnl() { for (;;) { ws(); if (text[i] === "\n") { i++; line++; } else return; } }
    function str() {
      var q = text[i], out = "";
      i++;
      while (i < text.length && text[i] !== q) {
        var ch = text[i];
        if (ch === "\n") fail("a string ends at the end of the line");
        if (q === "\"" && ch === "\\") {
          var e = text[i + 1];
          var map = { "\"": "\"", "\\": "\\", n: "\n", t: "\t", r: "\r", b: "\b", f: "\f" };
          if (map[e] !== undefined) { out += map[e]; i += 2; continue; }
          if (e === "u" || e === "U") {
            var len = e === "u" ? 4 : 8, hex = text.slice(i + 2, i + 2 + len);
            if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) fail("a bad \\" + e + " escape");
            out += String.fromCodePoint(parseInt(hex, 16)); i += 2 + len; continue;
          }
          fail("an unknown escape \\" + e);
        }
        out += ch; i++;
      }
      if (text[i] !== q) fail("an unterminated string");
      i++;
      return out;
    }
    function value() {
      var ch = text[i];
      if (ch === "\"" || ch === "'") return str();
      if (ch === "[") {
        i++;
        var arr = [];
        for (;;) {
          wsnl();
          if (text[i] === "]") { i++; return arr; }
          arr.push(value());
          wsnl();
          if (text[i] === ",") { i++; continue; }
          if (text[i] === "]") { i++; return arr; }
          fail("expected , or ] in an array");
        }
      }
      var m = /^[^\s,\]#]+/.exec(text.slice(i, i + 64));
      if (!m) fail("a value is missing");
      i += m[0].length;
      return m[0] === "true" ? true : m[0] === "false" ? false : m[0];
    }
    while (i < text.length) {
      wsnl();
      if (i >= text.length) break;
      if (text[i] === "[") {
        var hdr = /^\[\[?\s*([A-Za-z0-9_.\-"]+)\s*\]\]?/.exec(text.slice(i, i + 200));
        if (!hdr) fail("a bad table header");
        i += hdr[0].length;
        cur = hdr[0].indexOf("[[") === 0 && hdr[1] === "seam" ? { name: null, paths: [], kernel: false, line: line } : null;
        if (cur) seams.push(cur);
      } else {
        var k = /^([A-Za-z0-9_\-]+|"[^"\n]*")\s*=\s*/.exec(text.slice(i, i + 200));
        if (!k) fail("expected key = value");
        i += k[0].length;
        var v = value(), key = k[1].replace(/^"|"$/g, "");
        if (cur && key === "name") cur.name = String(v);
        if (cur && key === "paths") cur.paths = Array.isArray(v) ? v.map(String) : [String(v)];
        if (cur && key === "kernel") cur.kernel = v === true;
      }
      ws();
      if (i < text.length && text[i] !== "\n") fail("unexpected text after a value");
    }
    seams.forEach(function (s) { if (s.name === null) { line = s.line; fail("a [[seam]] without a name"); } });
    return seams;
  }
  // A path glob as src/ci/config.rs reads it: `*` and `?` stay inside one
  // folder, `**` crosses folders, `[...]` a class, `\` escapes.
  function globRegex(g) {
    var re = "^", i = 0;
    while (i < g.length) {
      var ch = g[i];
      if (ch === "*" && g[i + 1] === "*") {
        if (g[i + 2] === "/") { re += "(?:.*/)?"; i += 3; } else { re += ".*"; i += 2; }
      } else if (ch === "*") { re += "[^/]*"; i++; }
      else if (ch === "?") { re += "[^/]"; i++; }
      else if (ch === "[") {
        var end = g.indexOf("]", i + 2);
        if (end < 0) throw new Error("bad glob " + g);
        // A `]` first in the class is a member (globset), so the class ends
        // at the next one; inside a JS class `\`, `]`, `[` and `^` are
        // escaped (`[]]` would be an empty class there).
        var body = g.slice(i + 1, end), neg = body[0] === "!" && body.length > 1;
        re += "[" + (neg ? "^" : "") + (neg ? body.slice(1) : body).replace(/[\\\][^]/g, "\\$&") + "]";
        i = end + 1;
      } else if (ch === "\\" && i + 1 < g.length) { re += g[i + 1].replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&"); i += 2; }
      else if (ch === "{") {
        var close = g.indexOf("}", i);
        if (close < 0) throw new Error("bad glob " + g);
        re += "(?:" + g.slice(i + 1, close).split(",").map(function (x) { return x.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&"); }).join("|") + ")";
        i = close + 1;
      } else { re += ch.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&"); i++; }
    }
    return new RegExp(re + "$");
  }
  // The arrangement the seams describe: a unit goes to the first seam
  // whose globs match it; units no seam matches belong to no service.
  function arrangementOf(seams) {
    var names = [], a = new Int32Array(NU).fill(NONE);
    var res = seams.map(function (s) { return s.paths.map(globRegex); });
    seams.forEach(function (s) { if (!s.kernel) names.push(s.name); });
    for (var u = 0; u < NU; u++) {
      if (test[u]) continue;
      var id = U[u][F.id];
      for (var j = 0; j < seams.length; j++) {
        if (res[j].some(function (r) { return r.test(id); })) {
          a[u] = seams[j].kernel ? KERNEL : names.indexOf(seams[j].name);
          break;
        }
      }
    }
    return { names: names, a: a };
  }

  // ---------- the panel ----------

  // Figures of a service in the order the panel shows them, with how each
  // is written (docs/metrics.md names them the same way).
  var SERVICE_FIGURES = [
    ["rank", "rank", 0], ["units", "units", 0], ["score", "score", 6], ["benefit", "benefit", 6], ["cost", "cost", 6],
    ["cohesion", "cohesion", 6], ["coupling", "coupling", 0], ["interface_size", "interface size", 0],
    ["cut_calls", "cut calls", 0, "call sites across the cut"], ["cut_call_weight", "cut call weight", 0, "call references across the cut"],
    ["interface_operations", "interface ops", 0, "interface operations: member symbols called from outside"], ["shared_entities", "shared tables", 0],
    ["cut_foreign_keys", "cut FKs", 0, "cut foreign keys: keys between a table this service owns and one another service owns"],
    ["split_transactions", "split tx", 0, "split transactions: transactional scopes reaching this service and another"], ["cochange_leakage", "co-change leakage", 6],
    ["churn_share", "churn share", 6], ["hotspot_share", "hotspot share", 6], ["shared_authors", "shared authors", 6]
  ];
  var PARTITION_FIGURES = [["modularity", "modularity Q"], ["sm", "SM"], ["icp", "ICP"], ["ifn", "IFN"], ["ned", "NED"]];
  var KERNEL_TARGET = "#kernel";

  function fmt(v, d) { return v === null || v === undefined ? "—" : d ? Number(v).toFixed(d).replace(/0+$/, "").replace(/\.$/, "") : String(v); }

  // The figures report.json holds for the analysed arrangement, to show
  // that `measure` of it gives them back.
  function reportFigures(s) {
    var x = s.extraction || {};
    return {
      rank: s.rank, units: s.members.length, score: s.score, benefit: x.benefit, cost: x.cost, cohesion: s.cohesion,
      coupling: s.coupling, interface_size: s.interface_size, cut_calls: x.cut_calls, cut_call_weight: x.cut_call_weight,
      interface_operations: x.interface_operations, shared_entities: x.shared_entities, cut_foreign_keys: x.cut_foreign_keys,
      split_transactions: x.split_transactions, cochange_leakage: s.cochange_leakage, churn_share: s.churn_share,
      hotspot_share: x.hotspot_share, shared_authors: x.shared_authors
    };
  }

  function mount(box) {
    var base = initial(), baseM = measure(base);
    var cur = { names: base.names.slice(), a: new Int32Array(base.a) }, curM = baseM;
    var undo = [], moves = [], lastMs = null, message = null;
    var root = document.documentElement;

    // Does the page's own measure of the analysed arrangement give the
    // report's numbers back? (It must: one set of formulas.)
    var mismatches = [];
    D.services.forEach(function (s) {
      var mine = baseM.services.filter(function (o) { return o.name === s.name; })[0], theirs = reportFigures(s);
      SERVICE_FIGURES.forEach(function (f) {
        if (!mine || mine[f[0]] !== theirs[f[0]]) mismatches.push(s.name + " " + f[1] + ": report " + theirs[f[0]] + ", page " + (mine ? mine[f[0]] : "—"));
      });
    });
    if (D.services.length) {
      PARTITION_FIGURES.forEach(function (f) {
        if (baseM.partition[f[0]] !== D.metrics[f[0]]) mismatches.push(f[1] + ": report " + D.metrics[f[0]] + ", page " + baseM.partition[f[0]]);
      });
    }
    root.setAttribute("data-whatif-baseline", mismatches.length ? "mismatch" : "ok");

    function targetOf(name) {
      if (name === KERNEL_TARGET) return KERNEL;
      var k = cur.names.indexOf(name);
      if (k < 0) { cur.names.push(name); k = cur.names.length - 1; }
      return k;
    }
    // Moves `units` to the service named `target` (a new one if no
    // service has that name) or to the kernel.
    function move(units, target, label) {
      if (!units.length) throw new Error("nothing to move: " + label + " names no code unit");
      var t0 = performance.now();
      undo.push({ names: cur.names.slice(), a: new Int32Array(cur.a) });
      var k = targetOf(target);
      units.forEach(function (u) { cur.a[u] = k; });
      moves.push(label + " → " + (target === KERNEL_TARGET ? "shared kernel" : target) + " (" + units.length + (units.length === 1 ? " unit)" : " units)"));
      curM = measure(cur);
      render();
      lastMs = performance.now() - t0;
      root.setAttribute("data-whatif-ms", lastMs.toFixed(1));
    }
    function back() {
      if (!undo.length) return;
      cur = undo.pop();
      moves.pop();
      curM = measure(cur);
      render();
    }
    function reset(st, label) {
      undo.push({ names: cur.names.slice(), a: new Int32Array(cur.a) });
      cur = st;
      moves.push(label);
      curM = measure(cur);
      render();
    }

    var itemList = null;
    function items() {
      if (!itemList) {
        itemList = el("datalist", { id: "whatif-items" });
        allItems().forEach(function (it) { itemList.appendChild(new Option(it, it)); });
      }
      return itemList;
    }

    var picked = null; // {label, units} chosen from the map, DSM or a service
    var controls = el("div", { "class": "toolbar whatif-controls" });
    var what = el("input", { type: "text", id: "whatif-item", list: "whatif-items", size: 48, placeholder: "a unit, or a folder as dir/** (type to search)", "aria-label": "unit or folder to move" });
    var target = el("select", { id: "whatif-target", "aria-label": "where to" });
    var fresh = el("input", { type: "text", id: "whatif-new", size: 16, placeholder: "new service name", "aria-label": "new service name" });
    var go = button("Move", function () {
      message = null;
      try {
        var label = what.value.trim(), units = picked && picked.label === label ? picked.units : unitsOf(label);
        var t = target.value === "" ? fresh.value.trim() : target.value;
        if (!t) throw new Error("name the new service");
        if (t !== KERNEL_TARGET && !units.length) throw new Error("no code unit is " + label + " (a folder is written dir/**)");
        move(units, t, label);
      } catch (e) { message = String(e.message || e); render(); }
    }, "btn");
    go.id = "whatif-move";
    var undoBtn = button("Undo", back, "btn");
    undoBtn.id = "whatif-undo";
    var resetBtn = button("Back to the analysed arrangement", function () { reset({ names: base.names.slice(), a: new Int32Array(base.a) }, "back to the analysed arrangement"); }, "btn");
    what.addEventListener("input", function () { picked = null; });
    target.addEventListener("change", function () { fresh.hidden = target.value !== ""; });
    append(controls, el("label", null, "Move ", what), el("label", null, " to ", target), fresh, go, undoBtn, resetBtn);
    var status = el("p", { "class": "hint", id: "whatif-status" });
    var body = el("div", { id: "whatif-figures" });
    var toml = el("pre", { id: "whatif-toml", "class": "toml" });
    var copyBtn = button("Copy", function () {
      var done = function () { message = "copied the seams"; render(); };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(toml.textContent).then(done, selectToml);
      else selectToml();
    }, "btn");
    function selectToml() {
      var r = document.createRange();
      r.selectNodeContents(toml);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(r);
      message = "the seams are selected: copy them with Ctrl+C";
      render();
    }
    var dl = el("a", { "class": "btn", id: "whatif-download", download: "decompose.toml" }, "Download decompose.toml");
    var paste = el("textarea", { id: "whatif-import-text", rows: 6, cols: 72, placeholder: "paste a decompose.toml (its [[seam]] tables)", "aria-label": "seams to import" });
    var file = el("input", { type: "file", accept: ".toml,text/plain", "aria-label": "import a decompose.toml file" });
    function importText(text, from) {
      message = null;
      try {
        var seams = parseSeams(text);
        if (!seams.length) throw new Error("no [[seam]] table");
        reset(arrangementOf(seams), "imported " + seams.length + " seams from " + from);
      } catch (e) { message = from + ": " + String(e.message || e); render(); }
    }
    var importBtn = button("Import", function () { importText(paste.value, "the pasted text"); }, "btn");
    importBtn.id = "whatif-import";
    file.addEventListener("change", function () {
      var f = file.files && file.files[0];
      if (f) f.text().then(function (t) { importText(t, f.name); });
    });
    var listBox = el("ol", { id: "whatif-moves", "class": "plain" });

    append(clear(box),
      el("p", { "class": "hint" }, "Move a unit or a folder to another service, the shared kernel or a new service; every figure the move changes is shown before → after, computed from the unit-level data in this page with the formulas of docs/metrics.md (the same numbers decompose analyze gives for that arrangement). Pick what to move here, or with “What if…” on the map, the DSM or a service's members."),
      items(), controls, status, listBox, body,
      el("section", { "class": "sub-section" }, el("h3", null, "The arrangement as decompose.toml seams"),
        el("p", { "class": "hint" }, "One [[seam]] per service, its paths covering exactly its units; the shared kernel as kernel = true. decompose analyze pins them (decompose.toml at the root, or --config FILE); decompose init --from FILE freezes them for check."),
        el("p", null, copyBtn, " ", dl), toml),
      el("section", { "class": "sub-section" }, el("h3", null, "Import seams"), paste, el("p", null, importBtn, " or ", file)));
    if (mismatches.length) {
      append(box, el("details", { "class": "errors", id: "whatif-mismatch" }, el("summary", null, mismatches.length + " figures of the analysed arrangement differ from report.json"),
        el("ul", null, mismatches.slice(0, 50).map(function (m) { return el("li", null, m); }))));
    }

    var url = null;
    // The figure after the moves; when it changed, what it was above it.
    // Shares show 3 decimals, the tooltip and data-value hold all six.
    function cell(before, after, d, attrs) {
      var td = el("td", attrs);
      td.classList.add("num");
      var show = function (v) { return d && v !== null && v !== undefined ? Number(v).toFixed(3) : fmt(v, d); };
      td.setAttribute("title", before === after ? fmt(after, d) : fmt(before, d) + " → " + fmt(after, d));
      if (before === after) append(td, show(after));
      else {
        td.classList.add("changed");
        append(td, el("span", { "class": "was" }, show(before)), el("b", null, show(after)));
      }
      return td;
    }
    function render() {
      clear(target);
      curM.ranked.forEach(function (o) { target.appendChild(new Option(o.name, o.name)); });
      target.appendChild(new Option("shared kernel", KERNEL_TARGET));
      target.appendChild(new Option("a new service…", ""));
      fresh.hidden = target.value !== "";
      undoBtn.disabled = !undo.length;
      status.textContent = message || (moves.length ? moves.length + (moves.length === 1 ? " change" : " changes") + (lastMs !== null ? "; figures updated in " + lastMs.toFixed(0) + " ms" : "") : "The analysed arrangement. No move yet.");
      clear(listBox);
      moves.forEach(function (m) { append(listBox, el("li", null, m)); });
      root.setAttribute("data-whatif-moves", String(moves.length));

      var table = el("table", { "class": "whatif", id: "whatif-partition" },
        el("thead", null, el("tr", null, el("th", null, "partition"), el("th", { "class": "num" }, "before"), el("th", { "class": "num" }, "after"), el("th", { "class": "num" }, "change"))));
      var tb = el("tbody");
      PARTITION_FIGURES.forEach(function (f) {
        var b = baseM.partition[f[0]], a = curM.partition[f[0]];
        var delta = r6(a - b);
        append(tb, el("tr", null, el("th", { scope: "row" }, f[1]), el("td", { "class": "num" }, fmt(b, 6)),
          el("td", { "class": "num" + (a !== b ? " changed" : ""), "data-figure": f[0], "data-value": String(a) }, fmt(a, 6)),
          el("td", { "class": "num" }, a === b ? "" : (delta > 0 ? "+" : "") + fmt(delta, 6))));
      });
      append(table, tb);
      var head = el("tr", null, el("th", null, "service"));
      SERVICE_FIGURES.forEach(function (f) { append(head, el("th", { "class": "num", title: f[3] || f[1] }, f[1])); });
      var st = el("table", { "class": "whatif", id: "whatif-services" }, el("thead", null, head));
      var sb = el("tbody");
      var beforeOf = {};
      baseM.services.forEach(function (o) { beforeOf[o.name] = o; });
      curM.ranked.forEach(function (o) {
        var was = beforeOf[o.name];
        var tr = el("tr", { "data-service": o.name }, el("th", { scope: "row" }, o.name, was ? null : el("span", { "class": "sub" }, " new"),
          o.generated ? el("span", { "class": "sub", title: "every member is generated code: benefit 0, ranked last" }, " generated") : null));
        SERVICE_FIGURES.forEach(function (f) {
          append(tr, cell(was ? was[f[0]] : null, o[f[0]], f[2], { "data-figure": f[0], "data-value": String(o[f[0]]) }));
        });
        append(sb, tr);
      });
      baseM.ranked.forEach(function (o) {
        if (curM.services.some(function (x) { return x.name === o.name; })) return;
        append(sb, el("tr", { "class": "gone" }, el("th", { scope: "row" }, o.name), el("td", { colspan: SERVICE_FIGURES.length }, "no units left: no longer a service")));
      });
      append(st, sb);
      append(clear(body), el("h3", null, "Partition"), table, el("h3", null, "Services (after, by rank)"),
        el("div", { "class": "scroll-x" }, st),
        D.transactions.length && !D.transactions[0].reach ? el("p", { "class": "hint" }, "Split transactions are the report's: this report does not carry each transactional scope's reach, so a move does not change them here.") : null);
      var text = exportToml(cur, curM);
      toml.textContent = text;
      if (url) URL.revokeObjectURL(url);
      url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
      dl.setAttribute("href", url);
    }
    render();

    return {
      // From the map, the DSM or a service: preselect what to move.
      pick: function (label, units) {
        picked = { label: label, units: units.filter(function (u) { return !test[u]; }) };
        what.value = label;
        message = "Chose " + label + " (" + picked.units.length + (picked.units.length === 1 ? " unit" : " units") + "): pick where to move it.";
        render();
      },
      // #selftest: pick a unit, move it to a new service, export, import
      // the export (the same arrangement back), undo everything.
      selfTest: function (check) {
        var u = 0;
        while (u < NU && (test[u] || cur.a[u] < 0)) u++;
        if (u === NU) return;
        var text0 = toml.textContent;
        this.pick(U[u][F.id], [u]);
        target.value = "";
        fresh.value = "selftest";
        go.click();
        check(cur.a[u] === cur.names.indexOf("selftest") && moves.length === 1, "what-if moves a unit");
        var after = toml.textContent, a1 = new Int32Array(cur.a);
        check(after !== text0 && after.indexOf("name = \"selftest\"") >= 0, "what-if exports the move");
        paste.value = after;
        importBtn.click();
        var same = true;
        for (var i = 0; i < NU; i++) {
          var x = a1[i] >= 0 ? undo[undo.length - 1].names[a1[i]] : a1[i], y = cur.a[i] >= 0 ? cur.names[cur.a[i]] : cur.a[i];
          if (!test[i] && x !== y) same = false;
        }
        check(same && toml.textContent === after, "what-if imports its export");
        undoBtn.click();
        undoBtn.click();
        check(moves.length === 0 && toml.textContent === text0, "what-if undoes");
      },
      // #whatif=[[item, target], ...]: replay moves (the test and links).
      replay: function (text) {
        try {
          var list = JSON.parse(text);
          if (!Array.isArray(list)) throw new Error("expected a list of [what, where] moves");
          list.forEach(function (m) {
            if (!Array.isArray(m) || m.length !== 2) throw new Error("a move is [what, where]");
            move(unitsOf(String(m[0])), String(m[1]), String(m[0]));
          });
        } catch (e) {
          message = "the moves in the address could not be replayed: " + String(e.message || e);
          root.setAttribute("data-whatif-error", message);
          render();
        }
      }
    };
  }

  return {
    mount: mount,
    r6: r6, initial: initial, measure: measure, unitsOf: unitsOf, allItems: allItems,
    cover: cover, exportToml: exportToml, tomlString: tomlString, parseSeams: parseSeams,
    arrangementOf: arrangementOf, NONE: NONE, KERNEL: KERNEL, el: el, append: append,
    button: button, clear: clear, $: $
  };
}
