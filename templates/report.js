/* decompose seam report: draws the interactive views from the embedded data.
 *
 * Rules this file keeps (tests/html.rs checks them):
 * - every string from the analysed repository goes into the page through
 *   textContent, setAttribute on SVG geometry, or option.text; never through
 *   HTML parsing, so a name that looks like markup stays text;
 * - it computes no metrics: it sorts, filters, and sums the model's counts to
 *   aggregate views (services, packages) so big repositories stay readable;
 * - it runs under a strict Content-Security-Policy: no eval, no inline
 *   handlers, no style attributes (only CSSOM and SVG attributes).
 */
(function () {
  "use strict";

  var root = document.documentElement;
  var errors = [];

  // Errors are written into the page, so a headless browser test can read them.
  function recordError(msg) {
    errors.push(String(msg));
    root.setAttribute("data-errors", String(errors.length));
    var pre = document.getElementById("js-errors");
    if (pre) {
      pre.hidden = false;
      pre.textContent = errors.join("\n");
    }
  }
  window.addEventListener("error", function (e) {
    var t = e.target;
    if (t && t !== window && t.tagName) {
      recordError("a <" + String(t.tagName).toLowerCase() + "> element failed to load");
    } else {
      recordError("script error: " + (e.message || "unknown") + (e.lineno ? " (line " + e.lineno + ")" : ""));
    }
  }, true);
  window.addEventListener("unhandledrejection", function (e) {
    recordError("unhandled rejection: " + String(e.reason));
  });
  document.addEventListener("securitypolicyviolation", function (e) {
    recordError("blocked by the security policy: " + e.violatedDirective);
  });
  // Nothing in this report ever calls these: a call means injected code ran.
  function trap(name) {
    return function () {
      root.setAttribute("data-alerted", name);
      recordError(name + "() was called: injected code ran");
    };
  }
  window.alert = trap("alert");
  window.confirm = trap("confirm");
  window.prompt = trap("prompt");

  var SVGNS = "http://www.w3.org/2000/svg";
  var MAP_CAP = 40;        // nodes of one kind drawn at once on the map
  var MAP_CONTEXT = 24;    // neighbouring groups shown around a drilled-in node
  var DSM_CAP = 150;       // rows of one matrix; beyond that, packages
  var PAGE = 100;          // rows per table page

  var D, U, F, NU, SV, svcById, kinds;

  // ---------- small DOM helpers ----------

  // el("td", {class: "num"}, "text", node, ...): attributes are set with
  // setAttribute, children that are not nodes become text nodes.
  function el(tag, attrs) {
    var e = document.createElement(tag);
    setAttrs(e, attrs);
    for (var i = 2; i < arguments.length; i++) add(e, arguments[i]);
    return e;
  }
  function sv(tag, attrs) {
    var e = document.createElementNS(SVGNS, tag);
    setAttrs(e, attrs);
    for (var i = 2; i < arguments.length; i++) add(e, arguments[i]);
    return e;
  }
  function setAttrs(e, attrs) {
    if (!attrs) return;
    for (var k in attrs) {
      if (Object.prototype.hasOwnProperty.call(attrs, k) && attrs[k] !== null && attrs[k] !== undefined) {
        e.setAttribute(k, String(attrs[k]));
      }
    }
  }
  // append(parent, child, ...): nodes as they are, arrays flattened,
  // anything else as a text node; null, undefined and false are skipped.
  function append(e) {
    for (var i = 1; i < arguments.length; i++) add(e, arguments[i]);
    return e;
  }
  function add(e, c) {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) { c.forEach(function (x) { add(e, x); }); return; }
    e.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
  }
  function svgTitle(text) { var t = document.createElementNS(SVGNS, "title"); t.textContent = text; return t; }
  function $(id) { return document.getElementById(id); }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); return e; }
  function empty(text) { return el("p", { "class": "empty" }, text); }
  function button(label, onClick, cls) {
    var b = el("button", { type: "button", "class": cls || "linkbtn" }, label);
    b.addEventListener("click", onClick);
    return b;
  }

  // ---------- formatting ----------

  // Thousands grouped by hand: toLocaleString costs Chromium a locale load
  // and a formatter per call, which a 10k-unit page cannot afford.
  function fmtInt(n) {
    if (n === null || n === undefined) return "—";
    var s = String(Math.round(Math.abs(n))), out = "";
    for (var i = 0; i < s.length; i++) {
      if (i > 0 && (s.length - i) % 3 === 0) out += ",";
      out += s[i];
    }
    return (n < 0 ? "-" : "") + out;
  }
  function fmtNum(n, d) { return n === null || n === undefined ? "—" : Number(n).toFixed(d); }
  function fmtPct(n) { return n === null || n === undefined ? "—" : (Number(n) * 100).toFixed(1) + "%"; }
  function trunc(s, n) { s = String(s); return s.length > n ? "…" + s.slice(s.length - n + 1) : s; }
  function plural(n, one, many) { return fmtInt(n) + " " + (n === 1 ? one : many); }

  // ---------- the data ----------

  function uid(i) { return U[i][F.id]; }
  function isTest(i) { return U[i][F.test] === 1; }
  function unitLabel(ref) { return typeof ref === "number" ? uid(ref) : String(ref); }
  function unitService(i) {
    var s = U[i][F.service];
    return s < 0 ? null : D.service_ids[s];
  }
  function serviceName(id) {
    if (id === null || id === undefined) return "—";
    var s = svcById[id];
    if (s) return s.name;
    if (id === "kernel") return "shared kernel";
    return String(id);
  }

  // Sums of the model's per-unit figures for a group of units (display
  // aggregation: node size and colour).
  function sumOf(units, field) {
    var t = 0;
    for (var i = 0; i < units.length; i++) t += U[units[i]][F[field]] || 0;
    return t;
  }

  // ---------- grouping: services, or packages before clustering ----------

  // Groups a set of units into at most `cap` items along their folder tree.
  // Up to `cap` units, every unit is an item. Beyond that the items are
  // folders: "a/b/" (the files of one folder: a package) or "a/**" (a folder
  // with everything below it); the biggest "a/**" is opened first, as long
  // as the result stays within `cap`. A folder too wide to open keeps its
  // biggest children and folds the rest into one "more" item.
  function frontier(units, cap) {
    var prefix = commonFolder(units);
    function unitItem(u) {
      var id = uid(u);
      return { label: id.slice(prefix.length), units: [u], unit: u, title: id };
    }
    function byLines(a, b) { return U[b][F.lines] - U[a][F.lines] || (uid(a) < uid(b) ? -1 : 1); }
    if (units.length <= cap) {
      return units.slice().sort(function (a, b) { return uid(a) < uid(b) ? -1 : 1; }).map(unitItem);
    }
    function mk(name) { return { name: name, kids: new Map(), files: [], all: [] }; }
    var top = mk("");
    units.forEach(function (u) {
      var segs = uid(u).slice(prefix.length).split("/");
      var n = top;
      n.all.push(u);
      for (var k = 0; k < segs.length - 1; k++) {
        var c = n.kids.get(segs[k]);
        if (!c) { c = mk(segs[k]); n.kids.set(segs[k], c); }
        n = c;
        n.all.push(u);
      }
      n.files.push(u);
    });
    // A folder, following single-child folders down ("a/b/c" is one item).
    function tree(n, rel) {
      while (n.files.length === 0 && n.kids.size === 1) {
        n = n.kids.values().next().value;
        rel = rel + n.name + "/";
      }
      return n.kids.size ? { dir: n, rel: rel, units: n.all } : { pkg: true, rel: rel, units: n.files };
    }
    function open(item) {
      var out = [];
      if (item.dir.files.length) out.push({ pkg: true, rel: item.rel, units: item.dir.files });
      item.dir.kids.forEach(function (kid) { out.push(tree(kid, item.rel + kid.name + "/")); });
      return out;
    }
    var items = [tree(top, "")];
    for (;;) {
      var best = -1;
      for (var i = 0; i < items.length; i++) {
        var it = items[i];
        if (!it.dir) continue;
        var grow = it.dir.kids.size + (it.dir.files.length ? 1 : 0) - 1;
        if (items.length + grow <= cap && (best < 0 || it.units.length > items[best].units.length)) best = i;
      }
      if (best < 0) break;
      Array.prototype.splice.apply(items, [best, 1].concat(open(items[best])));
    }
    // The files right in the common folder are named after it.
    var home = prefix ? prefix.slice(prefix.lastIndexOf("/", prefix.length - 2) + 1) : "/";
    var label = function (it) { return it.rel ? it.rel + (it.dir ? "**" : "") : home; };
    var out = items.map(function (it) { return { label: label(it), units: it.units, title: prefix + label(it) }; });
    if (out.length === 1) {
      // One folder that cannot be opened within the cap.
      var it0 = items[0];
      if (it0.pkg) {
        var files = it0.units.slice().sort(byLines);
        out = files.slice(0, cap - 1).map(unitItem);
        var more = files.slice(cap - 1);
        if (more.length) out.push({ label: (it0.rel || prefix) + "… " + plural(more.length, "smaller unit", "smaller units"), units: more, title: "the smallest units of " + prefix + it0.rel });
      } else {
        var kids = open(it0).sort(function (a, b) { return b.units.length - a.units.length; });
        out = kids.slice(0, cap - 1).map(function (k) { return { label: label(k), units: k.units, title: prefix + label(k) }; });
        var rest = [];
        kids.slice(cap - 1).forEach(function (k) { rest = rest.concat(k.units); });
        if (rest.length) out.push({ label: (it0.rel || prefix) + "… " + plural(rest.length, "more unit", "more units"), units: rest, title: "the smaller folders of " + prefix + it0.rel });
      }
    }
    return out;
  }
  // The longest folder path ("a/b/") that holds all the units.
  function commonFolder(units) {
    if (!units.length) return "";
    var first = uid(units[0]), end = first.lastIndexOf("/") + 1;
    for (var i = 1; i < units.length && end > 0; i++) {
      var id = uid(units[i]);
      var k = 0;
      while (k < end && k < id.length && id.charCodeAt(k) === first.charCodeAt(k)) k++;
      end = first.lastIndexOf("/", k - 1) + 1;
    }
    return first.slice(0, end);
  }

  // The top-level groups: services (+ shared kernel, + units in none), or,
  // before clustering, package folders. Test units are left out.
  var topGroups;
  function buildTopGroups() {
    var code = [];
    for (var i = 0; i < NU; i++) if (!isTest(i)) code.push(i);
    // A repository of tests only still gets a map.
    if (!code.length) for (i = 0; i < NU; i++) code.push(i);
    if (!SV.length) {
      return frontier(code, MAP_CAP).map(function (it) {
        return { key: "pkg:" + it.title, label: it.label, title: it.title, units: it.units, unit: it.unit, kind: it.unit !== undefined ? "unit" : "package" };
      });
    }
    var groups = [];
    var taken = new Uint8Array(NU);
    SV.forEach(function (s) {
      var members = s.members.filter(function (m) { return typeof m === "number"; });
      members.forEach(function (m) { taken[m] = 1; });
      groups.push({ key: s.id, label: s.name, title: s.name + " (" + s["package"] + ")", units: members, kind: "service", svc: s });
    });
    var kernel = D.shared_kernel.filter(function (m) { return typeof m === "number" && !taken[m]; });
    var kernelInDeps = D.service_deps.some(function (d) { return d[0] === "kernel" || d[1] === "kernel"; });
    if (kernel.length || kernelInDeps) {
      kernel.forEach(function (m) { taken[m] = 1; });
      groups.push({ key: "kernel", label: "shared kernel", title: "units tied to nearly every service", units: kernel, kind: "kernel" });
    }
    var rest = code.filter(function (u) { return !taken[u]; });
    if (rest.length) groups.push({ key: "(none)", label: "not in a service", title: "code units no service holds", units: rest, kind: "unassigned" });
    return groups;
  }

  // Dependency weights between nodes (each a set of units): the model's
  // per-unit dependency counts summed per pair of nodes. Returns a dense
  // n x n matrix (n stays at most a few hundred) and per-pair kinds.
  function aggregate(nodes) {
    var n = nodes.length;
    var nodeOf = new Int32Array(NU).fill(-1);
    nodes.forEach(function (nd, k) { nd.units.forEach(function (u) { nodeOf[u] = k; }); });
    var w = new Float64Array(n * n);
    var kindMask = new Uint32Array(n * n);
    var deps = D.deps;
    for (var i = 0; i < deps.length; i += 4) {
      var a = nodeOf[deps[i]], b = nodeOf[deps[i + 1]];
      if (a < 0 || b < 0) continue;
      w[a * n + b] += deps[i + 3];
      kindMask[a * n + b] |= 1 << Math.min(deps[i + 2], 31);
    }
    return { n: n, w: w, kinds: kindMask, calls: null };
  }
  // At the service level the model's own service_dependencies are the truth.
  function topWeights(nodes) {
    var agg = aggregate(nodes);
    if (!SV.length) return agg;
    var n = agg.n, pos = {};
    nodes.forEach(function (nd, k) { if (nd.kind === "service" || nd.kind === "kernel") pos[nd.key] = k; });
    agg.calls = new Float64Array(n * n);
    for (var a in pos) for (var b in pos) { agg.w[pos[a] * n + pos[b]] = 0; agg.kinds[pos[a] * n + pos[b]] = 0; }
    D.service_deps.forEach(function (d) {
      var a = pos[d[0]], b = pos[d[1]];
      if (a === undefined || b === undefined || a === b) return;
      agg.w[a * n + b] = d[2];
      agg.calls[a * n + b] = d[3];
    });
    return agg;
  }
  function kindNames(mask) {
    var out = [];
    for (var k = 0; k < kinds.length && k < 32; k++) if (mask & (1 << k)) out.push(kinds[k]);
    return out.join(", ");
  }

  // ---------- colour ----------

  // Pale blue (rarely changed) -> amber -> red (changed most), v in 0..1.
  var HEAT = [[224, 232, 244], [246, 196, 106], [205, 52, 40]];
  function heat(v) {
    if (!(v >= 0)) v = 0;
    if (v > 1) v = 1;
    var seg = v < 0.5 ? 0 : 1, t = v < 0.5 ? v * 2 : (v - 0.5) * 2;
    var a = HEAT[seg], b = HEAT[seg + 1];
    var c = [0, 1, 2].map(function (i) { return Math.round(a[i] + (b[i] - a[i]) * t); });
    return "rgb(" + c.join(",") + ")";
  }

  // ---------- service map ----------

  var mapStack = [];
  var mapSelected = null;

  function mapLevelTop() {
    var nodes = topGroups.filter(function (g) { return g.units.length > 0 || g.kind === "kernel"; })
      .map(function (g) { return Object.assign({}, g); });
    return { title: SV.length ? "All services" : "All packages", nodes: nodes, agg: topWeights(nodes) };
  }

  function mapLevelInside(level, node) {
    var inner = frontier(node.units, MAP_CAP).map(function (it) {
      return { key: "in:" + it.title, label: it.label, title: it.title, units: it.units, unit: it.unit, kind: it.unit !== undefined ? "unit" : "package" };
    });
    var others = level.nodes.filter(function (nd) { return nd !== node; });
    var nodes = inner.concat(others.map(function (nd) { return Object.assign({}, nd, { context: true }); }));
    var agg = aggregate(nodes);
    // Keep the neighbours that touch the inside, the strongest first.
    var n = nodes.length, ni = inner.length, strength = [];
    for (var c = ni; c < n; c++) {
      var s = 0;
      for (var i = 0; i < ni; i++) s += agg.w[i * n + c] + agg.w[c * n + i];
      if (s > 0) strength.push([c, s]);
    }
    strength.sort(function (a, b) { return b[1] - a[1]; });
    var keep = inner.concat(strength.slice(0, MAP_CONTEXT).map(function (p) { return nodes[p[0]]; }));
    return { title: node.label, nodes: keep, agg: aggregate(keep), parent: node };
  }

  // Force-directed layout (Fruchterman-Reingold), started on a circle so the
  // same report always gives the same picture; a gravity that holds n nodes
  // in a disc of about radius R keeps unlinked nodes in view, and a final
  // pass pushes overlapping circles (and their labels) apart.
  function layout(nodes, edges, W, H) {
    var n = nodes.length, x = new Float64Array(n), y = new Float64Array(n);
    var r = nodes.map(function (nd) { return nd.r; });
    for (var i = 0; i < n; i++) {
      var a = 2 * Math.PI * i / Math.max(n, 1);
      x[i] = W / 2 + (n > 1 ? 0.4 * W * Math.cos(a) : 0);
      y[i] = H / 2 + (n > 1 ? 0.4 * H * Math.sin(a) : 0);
    }
    if (n < 2) return { x: x, y: y, r: r };
    var k = 0.5 * Math.sqrt(W * H / n), R = 0.45 * H;
    var gravity = n * k * k / (R * R), t = W / 8;
    var maxW = 0;
    edges.forEach(function (e) { if (e.w > maxW) maxW = e.w; });
    var dx = new Float64Array(n), dy = new Float64Array(n);
    var iters = n > 120 ? 150 : 250;
    for (var it = 0; it < iters; it++) {
      dx.fill(0); dy.fill(0);
      for (var p = 0; p < n; p++) {
        for (var q = p + 1; q < n; q++) {
          var ddx = x[p] - x[q], ddy = y[p] - y[q];
          var d = Math.sqrt(ddx * ddx + ddy * ddy) || 0.01;
          var f = k * k / d;
          dx[p] += ddx / d * f; dy[p] += ddy / d * f;
          dx[q] -= ddx / d * f; dy[q] -= ddy / d * f;
        }
      }
      edges.forEach(function (e) {
        var ddx = x[e.a] - x[e.b], ddy = y[e.a] - y[e.b];
        var d = Math.sqrt(ddx * ddx + ddy * ddy) || 0.01;
        var f = d * d / k * (0.2 + 0.8 * Math.sqrt(e.w / maxW));
        dx[e.a] -= ddx / d * f; dy[e.a] -= ddy / d * f;
        dx[e.b] += ddx / d * f; dy[e.b] += ddy / d * f;
      });
      for (var g = 0; g < n; g++) {
        dx[g] -= (x[g] - W / 2) * gravity;
        dy[g] -= (y[g] - H / 2) * gravity;
        var len = Math.sqrt(dx[g] * dx[g] + dy[g] * dy[g]) || 1;
        var step = Math.min(len, t);
        x[g] += dx[g] / len * step;
        y[g] += dy[g] / len * step;
      }
      t = Math.max(t * 0.98, 0.5);
    }
    // Fit the drawing, radii and labels included, into the view box.
    var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (var m = 0; m < n; m++) {
      minX = Math.min(minX, x[m] - r[m] - 50); maxX = Math.max(maxX, x[m] + r[m] + 50);
      minY = Math.min(minY, y[m] - r[m] - 6); maxY = Math.max(maxY, y[m] + r[m] + 20);
    }
    var s = Math.min(W / (maxX - minX), H / (maxY - minY), 2.5);
    var ox = (W - (maxX - minX) * s) / 2 - minX * s, oy = (H - (maxY - minY) * s) / 2 - minY * s;
    var rr = r.map(function (v) { return v * Math.min(s, 1); });
    for (var z = 0; z < n; z++) { x[z] = x[z] * s + ox; y[z] = y[z] * s + oy; }
    // No overlaps in the final coordinates: each node is the box of its
    // circle and the label under it (11px text, about 6.2px a character);
    // overlapping boxes move apart along the axis they overlap least on,
    // and stay inside the view box.
    var half = nodes.map(function (nd, i) { return Math.max(rr[i], nd.labelText.length * 3.1) + 3; });
    var top = function (i) { return y[i] - rr[i] - 2; }, bottom = function (i) { return y[i] + rr[i] + 17; };
    for (var pass = 0; pass < 120; pass++) {
      var moved = false;
      for (var u = 0; u < n; u++) {
        for (var v = u + 1; v < n; v++) {
          var ox2 = half[u] + half[v] - Math.abs(x[u] - x[v]);
          var oy2 = Math.min(bottom(u), bottom(v)) - Math.max(top(u), top(v));
          if (ox2 <= 0 || oy2 <= 0) continue;
          moved = true;
          if (ox2 < oy2) {
            var sx = (x[u] < x[v] || (x[u] === x[v] && u < v)) ? -1 : 1;
            x[u] += sx * (ox2 / 2 + 0.5); x[v] -= sx * (ox2 / 2 + 0.5);
          } else {
            var sy = (y[u] < y[v] || (y[u] === y[v] && u < v)) ? -1 : 1;
            y[u] += sy * (oy2 / 2 + 0.5); y[v] -= sy * (oy2 / 2 + 0.5);
          }
        }
      }
      for (var c = 0; c < n; c++) {
        x[c] = Math.max(half[c] + 2, Math.min(W - half[c] - 2, x[c]));
        y[c] = Math.max(rr[c] + 4, Math.min(H - rr[c] - 19, y[c]));
      }
      if (!moved) break;
    }
    return { x: x, y: y, r: rr };
  }

  // The links worth drawing: each node's strongest few and every strong
  // one; the rest are counted in the legend.
  function visibleEdges(n, edges) {
    var maxW = 0, best = [];
    for (var i = 0; i < n; i++) best.push([]);
    edges.forEach(function (e) { maxW = Math.max(maxW, e.w); best[e.a].push(e); best[e.b].push(e); });
    var keep = new Set();
    best.forEach(function (list) {
      list.sort(function (p, q) { return q.w - p.w; });
      list.slice(0, 3).forEach(function (e) { keep.add(e); });
    });
    return edges.filter(function (e) { return keep.has(e) || e.w >= 0.15 * maxW; });
  }

  function renderMap() {
    var level = mapStack[mapStack.length - 1];
    var svg = clear($("map-svg"));
    var crumbs = clear($("map-crumbs"));
    mapStack.forEach(function (lv, i) {
      if (i > 0) append(crumbs, el("span", { "class": "sep" }, "›"));
      if (i === mapStack.length - 1) append(crumbs, el("span", { "class": "here" }, lv.title));
      else append(crumbs, button(lv.title, function () { mapStack.length = i + 1; mapSelected = null; leaveDeepLink("map"); renderMap(); }));
    });
    var nodes = level.nodes, n = nodes.length, agg = level.agg;
    svg.setAttribute("data-nodes", String(n));
    if (!n) {
      append(svg, sv("text", { x: 500, y: 340, "text-anchor": "middle" }, "No units to draw."));
      showLevelInfo(level);
      return;
    }
    var maxLines = 1, maxCommits = 0;
    nodes.forEach(function (nd) {
      nd.lines = sumOf(nd.units, "lines");
      nd.commits = sumOf(nd.units, "commits");
      if (!nd.context) { maxLines = Math.max(maxLines, nd.lines); maxCommits = Math.max(maxCommits, nd.commits); }
    });
    // Circles share about an eighth of the drawing, whatever their number.
    var nInner = nodes.filter(function (nd) { return !nd.context; }).length;
    var rMax = Math.max(10, Math.min(42, Math.sqrt(0.12 * 1000 * 680 / (Math.PI * Math.max(nInner, 1)))));
    nodes.forEach(function (nd) {
      nd.r = 5 + (rMax - 5) * Math.sqrt(Math.min(nd.lines, maxLines) / maxLines);
      if (nd.context) nd.r = Math.min(nd.r, rMax * 0.6);
    });
    // Undirected edges for the drawing; direction stays in the tooltip.
    var edges = [];
    for (var a = 0; a < n; a++) {
      for (var b = a + 1; b < n; b++) {
        var ab = agg.w[a * n + b], ba = agg.w[b * n + a];
        if (ab + ba > 0 && !(nodes[a].context && nodes[b].context)) edges.push({ a: a, b: b, w: ab + ba, ab: ab, ba: ba });
      }
    }
    var allEdges = edges.length;
    edges = visibleEdges(n, edges);
    nodes.forEach(function (nd) {
      nd.labelText = trunc(nd.label, 28) + (nd.units.length > 1 && nd.kind !== "service" ? " (" + nd.units.length + ")" : "");
    });
    var pos = layout(nodes, edges, 1000, 680);
    var maxW = 1;
    edges.forEach(function (e) { maxW = Math.max(maxW, e.w); });
    var gEdges = sv("g", null), gNodes = sv("g", null);
    var edgeEls = edges.map(function (e) {
      var line = sv("line", {
        "class": "edge", x1: pos.x[e.a].toFixed(1), y1: pos.y[e.a].toFixed(1), x2: pos.x[e.b].toFixed(1), y2: pos.y[e.b].toFixed(1),
        "stroke-width": (1 + 9 * Math.sqrt(e.w / maxW)).toFixed(2)
      });
      append(line, svgTitle(nodes[e.a].label + " → " + nodes[e.b].label + ": " + fmtInt(e.ab) + " refs\n" +
        nodes[e.b].label + " → " + nodes[e.a].label + ": " + fmtInt(e.ba) + " refs"));
      gEdges.appendChild(line);
      return line;
    });
    nodes.forEach(function (nd, i) {
      var g = sv("g", { "class": "node" + (nd.context ? " context" : "") + (mapSelected === nd.key ? " sel" : ""), tabindex: 0, "data-key": nd.key });
      var fill = nd.context ? null : (maxCommits > 0 ? heat(nd.commits / maxCommits) : "#b9c6d8");
      append(g, sv("circle", { cx: pos.x[i].toFixed(1), cy: pos.y[i].toFixed(1), r: pos.r[i].toFixed(1), fill: fill }));
      append(g, sv("text", { x: pos.x[i].toFixed(1), y: (pos.y[i] + pos.r[i] + 13).toFixed(1), "text-anchor": "middle" }, nd.labelText));
      append(g, svgTitle((nd.title || nd.label) + "\n" + plural(nd.units.length, "unit", "units") + ", " + fmtInt(nd.lines) + " lines, " + fmtInt(nd.commits) + " unit commits" +
        (nd.context ? "\n(neighbour: click to open it)" : nd.units.length > 1 ? "\n(click to open)" : "")));
      g.addEventListener("mouseenter", function () {
        edgeEls.forEach(function (line, k) { line.classList.toggle("hi", edges[k].a === i || edges[k].b === i); });
        showNodeInfo(nd, level, i);
      });
      g.addEventListener("click", function () { mapClick(nd); });
      g.addEventListener("keydown", function (ev) { if (ev.key === "Enter") mapClick(nd); });
      gNodes.appendChild(g);
    });
    append(svg, gEdges, gNodes);
    if (maxCommits > 0) append(svg, heatLegend(maxCommits));
    var legend = clear($("map-legend"));
    append(legend, "Circle area: lines of code. Colour: commits touching its units, over the history window (pale = rarely, red = most often" +
      (maxCommits > 0 ? "" : "; no history in this report, so no colour") + "). Line width: dependency references both ways (hover for each direction). " +
      (SV.length ? "Click a service to open its packages and units; neighbours appear dashed. " : "No services yet: folders of the code are shown instead; click one to open it. ") +
      "Test units are left out. Inside a node, at most " + MAP_CAP + " folders or units are drawn at once" +
      (allEdges > edges.length ? "; " + fmtInt(allEdges - edges.length) + " weaker links of " + fmtInt(allEdges) + " are hidden (each node keeps its 3 strongest)." : "."));
    showLevelInfo(level);
  }

  // Once the user moves away from a #map=KEY / #dsm=KEY link, the address
  // says just #map / #dsm, so following the same link again works.
  function leaveDeepLink(view) {
    if (view === "map") mapOpened = null; else dsmOpened = null;
    if (location.hash.indexOf("#" + view + "=") === 0) {
      try { history.replaceState(null, "", "#" + view); } catch (e) { /* a browser may refuse it for local files; the address then stays */ }
    }
  }

  // Ten swatches from pale to red, bottom left of the map.
  function heatLegend(maxCommits) {
    var g = sv("g", { "class": "legend", transform: "translate(12,650)" });
    append(g, sv("text", { x: 0, y: -6 }, "unit commits"));
    for (var i = 0; i < 10; i++) append(g, sv("rect", { x: i * 14, y: 0, width: 14, height: 10, fill: heat(i / 9) }));
    append(g, sv("text", { x: 0, y: 24 }, "0"), sv("text", { x: 140, y: 24, "text-anchor": "end" }, fmtInt(maxCommits)));
    return g;
  }

  function mapClick(nd) {
    mapSelected = nd.key;
    leaveDeepLink("map");
    if (nd.context) {
      // Open the neighbour from the level where it is a plain node.
      var depth = mapStack.length - 1;
      while (depth > 0 && !mapStack[depth].nodes.some(function (x) { return x.key === nd.key && !x.context; })) depth--;
      mapStack.length = depth + 1;
      var real = mapStack[depth].nodes.filter(function (x) { return x.key === nd.key; })[0] || nd;
      if (real.units.length > 1) mapStack.push(mapLevelInside(mapStack[depth], real));
      renderMap();
      return;
    }
    if (nd.units.length > 1) {
      mapStack.push(mapLevelInside(mapStack[mapStack.length - 1], nd));
      renderMap();
    } else {
      renderMap();
      var level = mapStack[mapStack.length - 1];
      showNodeInfo(nd, level, level.nodes.indexOf(nd));
    }
  }

  function infoRows(rows) {
    return el("table", null, rows.map(function (r) { return el("tr", null, el("th", { scope: "row" }, r[0]), el("td", { "class": "num" }, r[1])); }));
  }

  function showLevelInfo(level) {
    var box = clear($("map-info"));
    append(box, el("h4", null, level.title));
    var inner = level.nodes.filter(function (x) { return !x.context; });
    var units = 0;
    inner.forEach(function (x) { units += x.units.length; });
    append(box, infoRows([["nodes", fmtInt(inner.length)], ["units", fmtInt(units)], ["neighbours", fmtInt(level.nodes.length - inner.length)]]));
    if (level.parent && level.parent.svc) append(box, serviceFigures(level.parent.svc));
    append(box, el("p", { "class": "hint" }, "Hover a node for its figures; click to open it."));
  }

  function serviceFigures(s) {
    var box = el("div", null, infoRows([
      ["rank", fmtInt(s.rank)], ["score", fmtNum(s.score, 3)], ["cohesion", fmtNum(s.cohesion, 2)],
      ["coupling", fmtInt(s.coupling)], ["interface size", fmtInt(s.interface_size)],
      ["churn share", fmtPct(s.churn_share)], ["co-change leakage", fmtNum(s.cochange_leakage, 2)], ["confidence", fmtNum(s.confidence, 2)]
    ]));
    var a = el("a", { href: "#service=" + encodeURIComponent(s.id) }, "Service details →");
    append(box, el("p", null, a));
    return box;
  }

  function showNodeInfo(nd, level, idx) {
    var box = clear($("map-info"));
    append(box, el("h4", null, nd.label));
    if (nd.title && nd.title !== nd.label) append(box, el("div", { "class": "sub" }, nd.title));
    if (nd.unit !== undefined) {
      var u = U[nd.unit];
      append(box, el("div", { "class": "sub" }, u[F.name]));
      append(box, infoRows([
        ["service", serviceName(unitService(nd.unit))], ["lines", fmtInt(u[F.lines])], ["commits", fmtInt(u[F.commits])],
        ["churn", fmtInt(u[F.churn])], ["authors", fmtInt(u[F.authors])], ["fan-in", fmtInt(u[F.fan_in])], ["fan-out", fmtInt(u[F.fan_out])],
        ["confidence", fmtNum(u[F.confidence], 2)], ["hotspot", fmtNum(u[F.hotspot], 2)]
      ]));
    } else {
      append(box, infoRows([["units", fmtInt(nd.units.length)], ["lines", fmtInt(nd.lines)], ["unit commits", fmtInt(nd.commits)]]));
      if (nd.svc) append(box, serviceFigures(nd.svc));
    }
    if (SV.length && nd.units.length) append(box, el("p", null, whatIfButton(nd.unit !== undefined ? uid(nd.unit) : (nd.title || nd.label), nd.units)));
    // Strongest links of this node in the current level.
    var n = level.nodes.length, links = [];
    if (idx >= 0) {
      for (var j = 0; j < n; j++) {
        if (j === idx) continue;
        var out = level.agg.w[idx * n + j], inn = level.agg.w[j * n + idx];
        if (out + inn > 0) links.push([level.nodes[j].label, out, inn]);
      }
    }
    links.sort(function (a, b) { return (b[1] + b[2]) - (a[1] + a[2]); });
    if (links.length) {
      append(box, el("h4", null, "Dependencies here"));
      append(box, el("table", null,
        el("tr", null, el("th", null, "with"), el("th", { "class": "num" }, "uses"), el("th", { "class": "num" }, "used by")),
        links.slice(0, 12).map(function (l) { return el("tr", null, el("td", null, trunc(l[0], 30)), el("td", { "class": "num" }, fmtInt(l[1])), el("td", { "class": "num" }, fmtInt(l[2]))); })));
    }
  }

  var mapOpened = null;
  function mapOpen(key) {
    mapOpened = key;
    mapStack = [mapLevelTop()];
    var nd = mapStack[0].nodes.filter(function (x) { return x.key === key; })[0];
    if (nd && nd.units.length > 1) mapStack.push(mapLevelInside(mapStack[0], nd));
    renderMap();
  }

  // ---------- DSM ----------

  var dsmStack = [];

  function dsmLevelTop() {
    var nodes = topGroups.filter(function (g) { return g.units.length > 0 || g.kind === "kernel"; });
    return { title: SV.length ? "Services" : "Packages", nodes: nodes, agg: topWeights(nodes) };
  }
  function dsmLevelInside(node) {
    var nodes = frontier(node.units, DSM_CAP);
    return { title: node.label, nodes: nodes, agg: aggregate(nodes) };
  }

  // Strongly connected components (Tarjan, iterative).
  function components(n, w) {
    var index = new Int32Array(n).fill(-1), low = new Int32Array(n), onStack = new Uint8Array(n);
    var comp = new Int32Array(n).fill(-1), stack = [], counter = 0, nComp = 0;
    for (var s = 0; s < n; s++) {
      if (index[s] >= 0) continue;
      var call = [[s, 0]];
      index[s] = low[s] = counter++; stack.push(s); onStack[s] = 1;
      while (call.length) {
        var top = call[call.length - 1], v = top[0], pushed = false;
        while (top[1] < n) {
          var t = top[1]++;
          if (t === v || w[v * n + t] <= 0) continue;
          if (index[t] < 0) {
            index[t] = low[t] = counter++; stack.push(t); onStack[t] = 1;
            call.push([t, 0]); pushed = true; break;
          } else if (onStack[t]) {
            low[v] = Math.min(low[v], index[t]);
          }
        }
        if (pushed) continue;
        if (low[v] === index[v]) {
          var x;
          do { x = stack.pop(); onStack[x] = 0; comp[x] = nComp; } while (x !== v);
          nComp++;
        }
        call.pop();
        if (call.length) { var p = call[call.length - 1][0]; low[p] = Math.min(low[p], low[v]); }
      }
    }
    return { comp: comp, n: nComp };
  }

  // The order of a cycle's members that leaves few marks below the
  // diagonal: Eades-Lin-Smyth's greedy heuristic for a small feedback arc
  // set. Members that use nothing left go last, members nothing left uses go
  // first, else the one that uses the remaining members most (by weight)
  // beyond their use of it goes first.
  function greedyOrder(m, n, w) {
    if (m.length < 2) return m.slice();
    var left = m.slice(), head = [], tail = [];
    function weightTo(p, set, out) {
      var t = 0;
      set.forEach(function (q) { if (q !== p) t += out ? w[p * n + q] : w[q * n + p]; });
      return t;
    }
    while (left.length) {
      var changed = true;
      while (changed && left.length) {
        changed = false;
        for (var i = 0; i < left.length; i++) {
          var p = left[i];
          if (weightTo(p, left, true) === 0) { tail.unshift(p); left.splice(i, 1); changed = true; break; }
          if (weightTo(p, left, false) === 0) { head.push(p); left.splice(i, 1); changed = true; break; }
        }
      }
      if (!left.length) break;
      var best = 0, bestScore = -Infinity;
      left.forEach(function (p, k) {
        var score = weightTo(p, left, true) - weightTo(p, left, false);
        if (score > bestScore) { best = k; bestScore = score; }
      });
      head.push(left[best]);
      left.splice(best, 1);
    }
    return head.concat(tail);
  }

  // Layered order: users before what they use (Kahn's algorithm on the
  // components, ties kept in the level's own order); inside a cycle, the
  // greedy order above.
  function dsmOrder(n, w) {
    var sc = components(n, w), C = sc.n, comp = sc.comp;
    var members = [];
    for (var c = 0; c < C; c++) members.push([]);
    for (var i = 0; i < n; i++) members[comp[i]].push(i);
    var indeg = new Int32Array(C), succ = [];
    for (c = 0; c < C; c++) succ.push(new Set());
    for (var a = 0; a < n; a++) for (var b = 0; b < n; b++) {
      if (a !== b && w[a * n + b] > 0 && comp[a] !== comp[b] && !succ[comp[a]].has(comp[b])) { succ[comp[a]].add(comp[b]); indeg[comp[b]]++; }
    }
    var first = members.map(function (m) { return Math.min.apply(null, m); });
    var ready = [], order = [];
    for (c = 0; c < C; c++) if (!indeg[c]) ready.push(c);
    while (ready.length) {
      ready.sort(function (x, y) { return first[x] - first[y]; });
      var cur = ready.shift();
      greedyOrder(members[cur], n, w).forEach(function (p) { order.push(p); });
      succ[cur].forEach(function (d) { if (--indeg[d] === 0) ready.push(d); });
    }
    return { order: order, comp: comp, size: members.map(function (m) { return m.length; }) };
  }

  function renderDsm() {
    var level = dsmStack[dsmStack.length - 1];
    var crumbs = clear($("dsm-crumbs"));
    dsmStack.forEach(function (lv, i) {
      if (i > 0) append(crumbs, el("span", { "class": "sep" }, "›"));
      if (i === dsmStack.length - 1) append(crumbs, el("span", { "class": "here" }, lv.title));
      else append(crumbs, button(lv.title, function () { dsmStack.length = i + 1; leaveDeepLink("dsm"); renderDsm(); }));
    });
    var wrap = clear($("dsm-wrap"));
    var nodes = level.nodes, n = nodes.length, w = level.agg.w;
    if (!n) { append(wrap, empty("Nothing to show.")); return; }
    var o = dsmOrder(n, w), order = o.order;
    var cs = n <= 20 ? 28 : n <= 50 ? 20 : n <= 100 ? 12 : 8;
    var LW = 330, TH = cs >= 12 ? 34 : 8;
    var size = n * cs;
    var svg = sv("svg", { "class": "dsm", width: LW + size + 12, height: TH + size + 12, viewBox: "0 0 " + (LW + size + 12) + " " + (TH + size + 12), "data-rows": n });
    var g = sv("g", null);
    // Grid lines and the diagonal.
    for (var i = 0; i <= n; i++) {
      append(g, sv("line", { "class": "grid", x1: LW, y1: TH + i * cs, x2: LW + size, y2: TH + i * cs }));
      append(g, sv("line", { "class": "grid", x1: LW + i * cs, y1: TH, x2: LW + i * cs, y2: TH + size }));
    }
    for (i = 0; i < n; i++) append(g, sv("rect", { "class": "diag", x: LW + i * cs, y: TH + i * cs, width: cs, height: cs }));
    var maxW = 0;
    for (var k = 0; k < w.length; k++) if (w[k] > maxW) maxW = w[k];
    var nCycleCells = 0;
    for (var r = 0; r < n; r++) {
      var a = order[r];
      var nd = nodes[a];
      var label = sv("text", { "class": "rowlabel", x: LW - 6, y: TH + r * cs + cs / 2 + 4, "text-anchor": "end" }, (r + 1) + "  " + trunc(nd.label, 44));
      append(label, svgTitle((nd.title || nd.label) + " — " + plural(nd.units.length, "unit", "units") + (nd.units.length > 1 ? " (click to open)" : "")));
      if (nd.units.length > 1) label.setAttribute("data-open", "1");
      if (nd.units.length > 1) label.addEventListener("click", (function (node) { return function () { dsmStack.push(dsmLevelInside(node)); leaveDeepLink("dsm"); renderDsm(); }; })(nd));
      append(g, label);
      if (SV.length && cs >= 12) {
        // "What if…": move this row's units (templates/whatif.js).
        var pick = sv("text", { "class": "wi-pick", x: 4, y: TH + r * cs + cs / 2 + 4 }, "⇄");
        append(pick, svgTitle("What if… move " + (nd.title || nd.label) + " to another service"));
        pick.addEventListener("click", (function (node) { return function () { whatIf().pick(node.unit !== undefined ? uid(node.unit) : (node.title || node.label), node.units); location.hash = "whatif"; }; })(nd));
        append(g, pick);
      }
      if (cs >= 12 && (cs >= 20 || (r + 1) % 5 === 0 || r === 0)) append(g, sv("text", { x: LW + r * cs + cs / 2, y: TH - 6, "text-anchor": "middle" }, String(r + 1)));
      for (var c = 0; c < n; c++) {
        var b = order[c], v = w[a * n + b];
        if (a === b || v <= 0) continue;
        var cyc = o.comp[a] === o.comp[b] && o.size[o.comp[a]] > 1;
        if (cyc) nCycleCells++;
        var cell = sv("rect", {
          "class": "cell" + (cyc ? " cyc" : ""), x: LW + c * cs + 1, y: TH + r * cs + 1, width: cs - 2, height: cs - 2,
          "fill-opacity": (0.35 + 0.65 * Math.sqrt(v / maxW)).toFixed(2)
        });
        var tip = nd.label + " → " + nodes[b].label + ": " + fmtInt(v) + " references";
        if (level.agg.calls && level.agg.calls[a * n + b]) tip += ", " + fmtInt(level.agg.calls[a * n + b]) + " calls";
        if (level.agg.kinds[a * n + b]) tip += " (" + kindNames(level.agg.kinds[a * n + b]) + ")";
        if (cyc) tip += "\npart of a dependency cycle";
        append(cell, svgTitle(tip));
        append(g, cell);
        if (cs >= 20) append(g, sv("text", { "class": "celltext", x: LW + c * cs + cs / 2, y: TH + r * cs + cs / 2 + 3, "text-anchor": "middle" }, v >= 1000 ? Math.round(v / 1000) + "k" : String(v)));
      }
    }
    // Frame each cycle block on the diagonal (members are contiguous).
    for (r = 0; r < n;) {
      var cc = o.comp[order[r]], len = o.size[cc];
      if (len > 1) append(g, sv("rect", { "class": "scc", x: LW + r * cs, y: TH + r * cs, width: len * cs, height: len * cs }));
      r += len;
    }
    append(svg, g);
    svg.setAttribute("data-cycle-cells", String(nCycleCells));
    append(wrap, svg);
  }

  var dsmOpened = null;
  function dsmOpen(key) {
    dsmOpened = key;
    dsmStack = [dsmLevelTop()];
    var nd = dsmStack[0].nodes.filter(function (x) { return x.key === key; })[0];
    if (nd && nd.units.length > 1) dsmStack.push(dsmLevelInside(nd));
    renderDsm();
  }

  // ---------- tables ----------

  // A sortable, filterable, paginated table. columns: {label, get(row),
  // num, fmt(value, row) -> text or node, cls}; rows: any values.
  function dataTable(opt) {
    var box = el("div", { "class": "table-box" });
    var state = { q: "", svc: "", sort: opt.sort === undefined ? null : opt.sort, dir: opt.dir || 1, page: 0 };
    var pageSize = opt.pageSize || PAGE;
    var bar = el("div", { "class": "toolbar" });
    var input = el("input", { type: "search", placeholder: opt.placeholder || "Filter by name…", "aria-label": "filter" });
    input.addEventListener("input", function () { state.q = input.value.toLowerCase(); state.page = 0; refresh(); });
    append(bar, input);
    if (opt.services) {
      var sel = el("select", { "aria-label": "service filter" });
      sel.appendChild(new Option("all services", ""));
      serviceChoices().forEach(function (c) { sel.appendChild(new Option(c[1], c[0])); });
      sel.addEventListener("change", function () { state.svc = sel.value; state.page = 0; refresh(); });
      append(bar, el("label", null, "Service ", sel));
    }
    var count = el("span", { "class": "hint" });
    append(bar, count);
    var table = el("table", { "class": "data sortable" });
    var headRow = el("tr");
    var ths = opt.columns.map(function (col, i) {
      var th = el("th", { "class": col.num ? "num" : null, scope: "col", title: col.title || null }, col.label);
      th.addEventListener("click", function () {
        if (state.sort === i) state.dir = -state.dir; else { state.sort = i; state.dir = col.num ? -1 : 1; }
        state.page = 0; refresh();
      });
      headRow.appendChild(th);
      return th;
    });
    var tbody = el("tbody");
    append(table, el("thead", null, headRow), tbody);
    var pager = el("div", { "class": "pager" });
    var prev = button("‹ previous", function () { state.page--; draw(); });
    var next = button("next ›", function () { state.page++; draw(); });
    var where = el("span");
    append(pager, prev, where, next);
    append(box, bar, el("div", { "class": "scroll-x" }, table), pager);
    var shown = [];

    function refresh() {
      var q = state.q, svc = state.svc;
      shown = opt.rows.filter(function (row) {
        if (svc && opt.services(row).indexOf(svc) < 0) return false;
        return !q || opt.text(row).toLowerCase().indexOf(q) >= 0;
      });
      if (state.sort !== null) {
        var get = opt.columns[state.sort].get, dir = state.dir, num = opt.columns[state.sort].num;
        var keyed = shown.map(function (row, i) { return [get(row), i, row]; });
        keyed.sort(function (x, y) {
          var a = x[0], b = y[0];
          if (a === null || a === undefined) return (b === null || b === undefined) ? x[1] - y[1] : 1;
          if (b === null || b === undefined) return -1;
          if (num) return (a - b) * dir || x[1] - y[1];
          return (a < b ? -1 : a > b ? 1 : 0) * dir || x[1] - y[1];
        });
        shown = keyed.map(function (k) { return k[2]; });
      }
      ths.forEach(function (th, i) {
        if (state.sort === i) th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
        else th.removeAttribute("aria-sort");
      });
      count.textContent = shown.length === opt.rows.length ? plural(shown.length, "row", "rows") : fmtInt(shown.length) + " of " + plural(opt.rows.length, "row", "rows");
      draw();
    }
    function draw() {
      var pages = Math.max(1, Math.ceil(shown.length / pageSize));
      state.page = Math.max(0, Math.min(state.page, pages - 1));
      clear(tbody);
      var from = state.page * pageSize, rows = shown.slice(from, from + pageSize);
      var frag = document.createDocumentFragment();
      rows.forEach(function (row) {
        var tr = el("tr");
        opt.columns.forEach(function (col) {
          var v = col.get(row);
          append(tr, el("td", { "class": (col.num ? "num" : "") + (col.cls ? " " + col.cls : "") || null }, col.fmt ? col.fmt(v, row) : (v === null || v === undefined ? "—" : v)));
        });
        frag.appendChild(tr);
      });
      if (!rows.length) frag.appendChild(el("tr", null, el("td", { colspan: opt.columns.length, "class": "hint" }, "No row matches the filter.")));
      tbody.appendChild(frag);
      where.textContent = "page " + (state.page + 1) + " of " + pages;
      prev.disabled = state.page === 0;
      next.disabled = state.page >= pages - 1;
      pager.hidden = pages <= 1;
      box.setAttribute("data-rows", String(rows.length));
    }
    refresh();
    return box;
  }

  function serviceChoices() {
    var out = SV.map(function (s) { return [s.id, s.rank + ". " + s.name]; });
    if (D.shared_kernel.length || D.service_deps.some(function (d) { return d[0] === "kernel" || d[1] === "kernel"; })) out.push(["kernel", "shared kernel"]);
    return out;
  }

  // A unit's id, with `prefix` (the folder its list shares) muted.
  function unitCell(ref, prefix) {
    var id = unitLabel(ref);
    var box = prefix && id.indexOf(prefix) === 0
      ? el("div", { title: id }, el("span", { "class": "pre" }, prefix), id.slice(prefix.length))
      : el("div", null, id);
    if (typeof ref === "number" && U[ref][F.name]) append(box, el("div", { "class": "sub" }, U[ref][F.name]));
    return box;
  }
  // The service of a unit as a link; kernel units name the shared kernel.
  function unitServiceCell(ref) {
    if (typeof ref !== "number") return "—";
    var s = unitService(ref);
    if (s) return serviceLink(s);
    if (D.roles[U[ref][F.role]] === "kernel") return el("a", { href: "#service=kernel" }, "shared kernel");
    return "—";
  }
  function unitServiceName(ref) {
    if (typeof ref !== "number") return null;
    var s = unitService(ref);
    if (s) return serviceName(s);
    return D.roles[U[ref][F.role]] === "kernel" ? "shared kernel" : null;
  }
  function serviceLink(id) {
    if (id === null || id === undefined) return "—";
    if (!svcById[id]) return serviceName(id);
    return el("a", { href: "#service=" + encodeURIComponent(id) }, serviceName(id));
  }

  // withService: a service column and filter (for lists across services).
  function unitsTable(units, withService) {
    var prefix = commonFolder(units);
    var columns = [
        { label: "unit", get: function (u) { return uid(u); }, fmt: function (v, u) { return unitCell(u, prefix); }, cls: "id" },
        { label: "service", get: function (u) { return unitServiceName(u); }, fmt: function (v, u) { return unitServiceCell(u); } },
        { label: "lines", num: true, get: function (u) { return U[u][F.lines]; }, fmt: fmtInt },
        { label: "commits", num: true, get: function (u) { return U[u][F.commits]; }, fmt: fmtInt },
        { label: "churn", num: true, get: function (u) { return U[u][F.churn]; }, fmt: fmtInt, title: "lines added + deleted" },
        { label: "authors", num: true, get: function (u) { return U[u][F.authors]; }, fmt: fmtInt },
        { label: "fan-in", num: true, get: function (u) { return U[u][F.fan_in]; }, fmt: fmtInt },
        { label: "fan-out", num: true, get: function (u) { return U[u][F.fan_out]; }, fmt: fmtInt },
        { label: "confidence", num: true, get: function (u) { return U[u][F.confidence]; }, fmt: function (v) { return fmtNum(v, 2); }, title: "how often the unit landed with its service across seeds" },
        { label: "hotspot", num: true, get: function (u) { return U[u][F.hotspot]; }, fmt: function (v) { return fmtNum(v, 2); } },
        { label: "role", get: function (u) { return D.roles[U[u][F.role]]; } }
    ];
    if (SV.length) columns.push({ label: "what if", get: function () { return ""; }, fmt: function (v, u) { return isTest(u) ? "" : whatIfButton(uid(u), [u]); } });
    if (!withService || !SV.length) columns.splice(1, 1);
    return dataTable({
      rows: units,
      text: function (u) { return uid(u) + " " + U[u][F.name]; },
      services: withService && SV.length ? function (u) { var s = unitService(u); return s ? [s] : []; } : null,
      sort: columns.indexOf(columns.filter(function (c) { return c.label === "lines"; })[0]), dir: -1,
      columns: columns
    });
  }

  // ---------- services view ----------

  var serviceKey = null;

  function fillServiceSelect() {
    var sel = $("service-select");
    topGroups.forEach(function (g) {
      var text = g.kind === "service" ? g.svc.rank + ". " + g.label + " (" + plural(g.units.length, "unit", "units") + ")"
        : g.label + " (" + plural(g.units.length, "unit", "units") + ")";
      sel.appendChild(new Option(text, g.key));
    });
    sel.appendChild(new Option("All units (" + fmtInt(NU) + ")", "*"));
    sel.addEventListener("change", function () { location.hash = "service=" + encodeURIComponent(sel.value); });
  }

  function section(title, body) { return el("section", { "class": "sub-section" }, el("h3", null, title), body); }
  function notYet(what) { return empty(what + ": not computed yet. The analysis stage that finds them has not landed; report.json will carry them when it does."); }

  function renderService(key) {
    if (key === serviceKey) return;
    serviceKey = key;
    var sel = $("service-select");
    var box = clear($("service-detail"));
    var g = topGroups.filter(function (x) { return x.key === key; })[0];
    if (!g) { key = "*"; }
    sel.value = key;
    if (!SV.length) append(box, empty("No candidate services yet: clustering has not run on this report. Pick a folder of the code, or all units."));
    if (key === "*") {
      var all = [];
      for (var i = 0; i < NU; i++) all.push(i);
      append(box, section("All units", unitsTable(all, true)));
      return;
    }
    var s = g.svc;
    append(box, el("h3", null, g.label));
    if (s) {
      append(box, el("p", { "class": "sub" }, "package " + s["package"] + (s.words.length ? " · words: " + s.words.join(", ") : "")));
      var cards = el("div", { "class": "cards" });
      [["rank", fmtInt(s.rank)], ["score", fmtNum(s.score, 3)], ["units", fmtInt(g.units.length)], ["lines", fmtInt(s.lines)],
        ["cohesion", fmtNum(s.cohesion, 2)], ["coupling", fmtInt(s.coupling)], ["interface size", fmtInt(s.interface_size)],
        ["churn share", fmtPct(s.churn_share)], ["co-change leakage", fmtNum(s.cochange_leakage, 2)], ["confidence", fmtNum(s.confidence, 2)]
      ].forEach(function (c) { append(cards, el("div", { "class": "card" }, el("div", { "class": "card-value" }, c[1]), el("div", { "class": "card-label" }, c[0]))); });
      append(box, cards);
      var sig = el("table", { "class": "sigbars" });
      [["structural", "dependencies between members"], ["cochange", "members changed together"], ["semantic", "shared identifier words"], ["ownership", "same authors"]].forEach(function (p) {
        var v = s.signals[p[0]] || 0;
        var svg = sv("svg", { "class": "bar", viewBox: "0 0 100 8", preserveAspectRatio: "none" },
          sv("rect", { "class": "bar-bg", width: 100, height: 8 }), sv("rect", { "class": "bar-fg", width: Math.max(0, Math.min(100, v * 100)).toFixed(1), height: 8 }));
        append(sig, el("tr", null, el("th", { scope: "row" }, p[0]), el("td", null, svg), el("td", { "class": "num" }, fmtPct(v)), el("td", { "class": "hint" }, p[1])));
      });
      append(box, section("What holds it together", el("div", null, sig, el("p", { "class": "hint" }, "Share of the service's internal edge weight from each signal."))));
    } else {
      append(box, el("p", { "class": "sub" }, g.title || ""));
    }
    append(box, el("p", null,
      el("a", { href: "#map=" + encodeURIComponent(g.key) }, "Show on the service map"), " · ",
      el("a", { href: "#dsm=" + encodeURIComponent(g.key) }, "Open its DSM")));
    // Section shortcuts: a big service's member table is long.
    var jump = el("p", { "class": "jump" }, "Jump to: ");
    append(box, jump);
    append(box, section("Members", g.units.length ? unitsTable(g.units, false) : empty("No member units.")));
    var step = stepOf(key);
    if (s) append(box, section("Extraction score", extractionTable(s)));
    if (s) append(box, section("Consistency (CAP)", capView(s.cap)));
    append(box, section("Interface operations and call sites",
      step ? (step.api.length ? operationsTable(step.api) : empty("No member is called from outside the service: nothing to expose.")) : notYet("Operations the service must expose (calls crossing the cut)")));
    var ents = D.entities.filter(function (e) { return entityTouches(e, key); });
    append(box, section("Entities", ents.length ? entitiesTable(ents, key) : empty("No table is declared, read or written by this service.")));
    var fks = D.foreign_keys.filter(function (f) { return fkTouches(f, key); });
    append(box, section("Foreign keys", fks.length ? fkTable(fks) : empty("No foreign key starts or ends at a table this service owns.")));
    var eps = D.endpoints.filter(function (e) { return e[5] === key; });
    append(box, section("Endpoints", eps.length ? endpointsTable(eps, false) : empty("No inbound route is handled by this service.")));
    var sagas = D.transactions.filter(function (t) { return t.saga && t.services.indexOf(key) >= 0; });
    append(box, section("Saga candidates", sagas.length ? sagaList(sagas) : empty("No transactional scope of the monolith spans this service and another.")));
    append(box, section("Top co-change leaks", leaks(g)));
    var heads = box.querySelectorAll("section.sub-section > h3");
    for (var h = 0; h < heads.length; h++) {
      (function (head, first) {
        if (!first) append(jump, " · ");
        append(jump, button(head.textContent, function () { head.scrollIntoView({ block: "start" }); }));
      })(heads[h], h === 0);
    }
  }

  function leaks(g) {
    if (!D.history) return empty("No git history in this report, so no co-change.");
    var inside = new Uint8Array(NU);
    g.units.forEach(function (u) { inside[u] = 1; });
    function isIn(ref) { return typeof ref === "number" && inside[ref] === 1; }
    var rows = D.cochange.filter(function (c) { return isIn(c[0]) !== isIn(c[1]); })
      .sort(function (x, y) { return y[3] - x[3] || y[2] - x[2]; }).slice(0, 20);
    if (!rows.length) return empty("No co-change pair crosses this boundary.");
    var t = el("table", { "class": "data" },
      el("thead", null, el("tr", null, el("th", null, "member"), el("th", null, "changes with (outside)"), el("th", null, "its service"),
        el("th", { "class": "num" }, "shared commits"), el("th", { "class": "num" }, "degree"))));
    var body = el("tbody");
    rows.forEach(function (c) {
      var inA = isIn(c[0]);
      var mine = inA ? c[0] : c[1], other = inA ? c[1] : c[0], otherSvc = inA ? c[10] : c[9];
      append(body, el("tr", null, el("td", { "class": "id" }, unitLabel(mine)), el("td", { "class": "id" }, unitLabel(other)),
        el("td", null, serviceLink(otherSvc)), el("td", { "class": "num" }, fmtInt(c[2])), el("td", { "class": "num" }, fmtNum(c[3], 1))));
    });
    append(t, body);
    return el("div", null, t, el("p", { "class": "hint" }, "The 20 pairs with the highest degree where one unit is a member and the other is not."));
  }

  // ---------- hotspots and co-change ----------

  function renderChanges() {
    var hs = clear($("hotspots")), cc = clear($("cochange"));
    if (!D.history) {
      append(hs, empty("No git history in this report (outside git, or history off): no hotspots."));
      append(cc, empty("No git history in this report: no co-change."));
      return;
    }
    if (!D.hotspots.length) append(hs, empty("No hotspots: no unit changed in the history window."));
    else {
      append(hs, dataTable({
        rows: D.hotspots.map(function (h, i) { return [i + 1].concat(h); }),
        pageSize: 25,
        text: function (h) { return unitLabel(h[1]); },
        services: SV.length ? function (h) { return h[5] ? [h[5]] : []; } : null,
        sort: 0, dir: 1,
        columns: [
          { label: "#", num: true, get: function (h) { return h[0]; } },
          { label: "unit", get: function (h) { return unitLabel(h[1]); }, fmt: function (v, h) { return unitCell(h[1]); }, cls: "id" },
          { label: "service", get: function (h) { return h[5] ? serviceName(h[5]) : unitServiceName(h[1]); }, fmt: function (v, h) { return h[5] ? serviceLink(h[5]) : unitServiceCell(h[1]); } },
          { label: "commits", num: true, get: function (h) { return h[2]; }, fmt: fmtInt },
          { label: "complexity", num: true, get: function (h) { return h[3]; }, fmt: fmtInt },
          { label: "score", num: true, get: function (h) { return h[4]; }, fmt: function (v) { return fmtNum(v, 3); } }
        ]
      }));
    }
    if (!D.cochange.length) append(cc, empty("No pair of units passed the co-change thresholds (docs/metrics.md)."));
    else {
      append(cc, dataTable({
        rows: D.cochange,
        pageSize: 50,
        text: function (c) { return unitLabel(c[0]) + " " + unitLabel(c[1]); },
        services: SV.length ? function (c) { return [c[9], c[10]].filter(function (x) { return x; }); } : null,
        sort: 6, dir: -1,
        columns: [
          { label: "unit a", get: function (c) { return unitLabel(c[0]); }, cls: "id" },
          { label: "unit b", get: function (c) { return unitLabel(c[1]); }, cls: "id" },
          { label: "service a", get: function (c) { return serviceName(c[9]); }, fmt: function (v, c) { return serviceLink(c[9]); } },
          { label: "service b", get: function (c) { return serviceName(c[10]); }, fmt: function (v, c) { return serviceLink(c[10]); } },
          { label: "seam", get: function (c) { return c[9] !== c[10] ? "crosses" : ""; }, fmt: function (v) { return v ? el("span", { "class": "badge warn" }, v) : ""; }, title: "the two units sit in different services" },
          { label: "shared", num: true, get: function (c) { return c[2]; }, fmt: fmtInt, title: "commits touching both" },
          { label: "degree", num: true, get: function (c) { return c[3]; }, fmt: function (v) { return fmtNum(v, 1); } },
          { label: "revs a", num: true, get: function (c) { return c[4]; }, fmt: fmtInt },
          { label: "revs b", num: true, get: function (c) { return c[5]; }, fmt: fmtInt },
          { label: "conf a→b", num: true, get: function (c) { return c[6]; }, fmt: function (v) { return fmtNum(v, 2); } },
          { label: "conf b→a", num: true, get: function (c) { return c[7]; }, fmt: function (v) { return fmtNum(v, 2); } },
          { label: "kind", get: function (c) { return c[8]; } }
        ]
      }));
    }
  }

  // ---------- plan and trend ----------

  function stepOf(key) {
    for (var i = 0; i < D.plan.length; i++) if (D.plan[i].service === key) return D.plan[i];
    return null;
  }
  function siteCell(ref, symbol, line) {
    return el("div", { title: unitLabel(ref) + ":" + line }, el("code", null, symbol), el("div", { "class": "sub" }, unitLabel(ref) + ":" + line));
  }
  function badges(list, warn) {
    return list.map(function (x) { return [el("span", { "class": "badge" + (warn ? " warn" : "") }, x), " "]; });
  }
  function servicesCell(ids) {
    var out = [];
    ids.forEach(function (id, i) { if (i) out.push(", "); out.push(serviceLink(id)); });
    return out.length ? el("span", null, out) : "—";
  }

  // Benefit and cost components of a service's extraction score, as the
  // model computed them (docs/metrics.md, "Plan").
  function extractionTable(s) {
    var x = s.extraction;
    if (!x) return empty("No extraction score in this report.");
    function barOf(v) {
      return sv("svg", { "class": "bar", viewBox: "0 0 100 8", preserveAspectRatio: "none" },
        sv("rect", { "class": "bar-bg", width: 100, height: 8 }), sv("rect", { "class": "bar-fg", width: Math.max(0, Math.min(100, v * 100)).toFixed(1), height: 8 }));
    }
    var rows = x.benefit_basis === "structure" ? [
      ["benefit", null, x.benefit, x.generated ? "generated code: never ranks" : "no history: (size × complexity share + route share + fan-in share) / 3"],
      ["  size × complexity share", null, x.size_complexity_share, "share of Σ rank-normalised lines × rank-normalised complexity"],
      ["  route share", null, x.route_share, "share of the inbound routes the service handles"],
      ["  fan-in share", null, x.fan_in_share, "share of the units outside it that depend on it"]
    ] : [
      ["benefit", null, x.benefit, x.generated ? "generated code: never ranks" : "(churn share + hotspot share) / 2"],
      ["  churn share", null, s.churn_share, "share of the repository's churn in the service"],
      ["  hotspot share", null, x.hotspot_share, "share of the repository's hotspot mass in the service"]
    ];
    rows = rows.concat([
      ["cost", null, x.cost, "mean of the six normalised components below"],
      ["  calls across the cut", fmtInt(x.cut_calls), x.cut_calls_norm, "call sites between the service and the rest"],
      ["  call weight across the cut", fmtInt(x.cut_call_weight), x.cut_call_weight_norm, "the same, weighted by repetition"],
      ["  interface operations", fmtInt(x.interface_operations), x.interface_operations_norm, "distinct members called from outside"],
      ["  shared entities", fmtInt(x.shared_entities), x.shared_entities_norm, "tables written on both sides or read across"],
      ["  split transactions", fmtInt(x.split_transactions), x.split_transactions_norm, "transactional scopes the cut would split (sagas)"],
      ["  co-change leakage", null, x.cochange_leakage, "share of the members' co-change weight that crosses the cut"],
      ["  shared authors", null, x.shared_authors, "authors who also changed other services"]
    ]);
    var t = el("table", { "class": "sigbars extraction" });
    append(t, el("thead", null, el("tr", null, el("th", null, "component"), el("th", { "class": "num" }, "count"), el("th", null, ""), el("th", { "class": "num" }, "value"), el("th", null, ""))));
    var body = el("tbody");
    rows.forEach(function (r) {
      var indent = r[0].indexOf("  ") === 0;
      append(body, el("tr", { "class": indent ? "part" : "total" }, el("th", { scope: "row" }, r[0].trim()), el("td", { "class": "num" }, r[1] || ""),
        el("td", null, barOf(r[2] || 0)), el("td", { "class": "num" }, fmtNum(r[2], 3)), el("td", { "class": "hint" }, r[3])));
    });
    append(t, body);
    return el("div", null, el("p", null, el("strong", null, "score " + fmtNum(s.score, 3)), " = benefit " + fmtNum(x.benefit, 3) + " × (1 − cost " + fmtNum(x.cost, 3) + "); rank " + s.rank + " of " + SV.length + "."), t,
      el("p", { "class": "hint" }, "Counts are normalised by the largest service's count; the bars show the normalised value."));
  }

  // The consistency profile of a service and its evidence
  // (docs/metrics.md, "CAP profile").
  var CAP_EVIDENCE = {
    ledger_write_in_transaction: "money- or ledger-like table written in a transaction",
    write_in_transaction: "table only it uses, written in a transaction",
    split_transaction: "its transaction the cut splits (saga)",
    saga_participant: "reached by another service's split transaction (listed, not counted)",
    read_across_only: "table other services only read"
  };
  function capView(cap) {
    if (!cap || !cap.profile) return empty("No consistency profile in this report.");
    var box = el("div", { "class": "cap", "data-cap": cap.profile },
      el("p", null, el("span", { "class": "badge" + (cap.profile === "consistency-first" ? " warn" : "") }, cap.profile),
        " ", cap.profile === "consistency-first" ? "keep its writes strongly consistent: one owner, local transactions, sagas for what the cut splits." : "serve reads from replicas or caches; eventual consistency is acceptable."));
    if (!cap.evidence.length) {
      append(box, el("p", { "class": "hint" }, "No table it owns is written in a transaction and no transaction it takes part in is split."));
      return box;
    }
    var ul = el("ul", { "class": "plain" });
    cap.evidence.slice(0, SITES_SHOWN).forEach(function (e) {
      append(ul, el("li", null, el("span", { "class": "sub" }, CAP_EVIDENCE[e.kind] || e.kind), " ", el("code", null, e.subject)));
    });
    append(box, ul);
    if (cap.evidence.length > SITES_SHOWN) append(box, el("p", { "class": "hint" }, "… and " + fmtInt(cap.evidence.length - SITES_SHOWN) + " more in report.json (services[].cap)."));
    return box;
  }

  // Operations: [symbol, unit, [[unit, symbol, line, service], ...]].
  function operationsTable(ops) {
    return dataTable({
      rows: ops,
      pageSize: 25,
      text: function (o) { return o[0] + " " + unitLabel(o[1]); },
      sort: 1, dir: -1,
      placeholder: "Filter operations…",
      columns: [
        { label: "operation", get: function (o) { return o[0]; }, fmt: function (v, o) { return el("div", null, el("code", null, o[0]), el("div", { "class": "sub" }, unitLabel(o[1]))); }, cls: "id" },
        { label: "call sites", num: true, get: function (o) { return o[2].length; }, fmt: fmtInt, title: "places in the monolith that call it and must become remote calls" },
        { label: "calling services", get: function (o) { return callers(o).join(", "); }, fmt: function (v, o) { return servicesCell(callers(o)); } },
        { label: "where it is called", get: function (o) { return o[2].length; }, fmt: function (v, o) { return callSites(o[2]); } }
      ]
    });
  }
  // The services whose code calls an operation (call sites outside any
  // service, such as tests or the kernel, are not listed).
  function callers(o) {
    var seen = {}, out = [];
    o[2].forEach(function (c) { if (c[3] !== null && !seen[c[3]]) { seen[c[3]] = 1; out.push(c[3]); } });
    return out.sort();
  }
  var SITES_SHOWN = 30;
  function callSites(sites) {
    var d = el("details", null, el("summary", null, plural(sites.length, "call site", "call sites")));
    var ul = el("ul", { "class": "plain sites" });
    sites.slice(0, SITES_SHOWN).forEach(function (c) {
      append(ul, el("li", null, el("code", null, unitLabel(c[0]) + ":" + c[2]), " ", c[1], c[3] ? [" (", serviceName(c[3]), ")"] : null));
    });
    append(d, ul);
    if (sites.length > SITES_SHOWN) append(d, el("p", { "class": "hint" }, "… and " + fmtInt(sites.length - SITES_SHOWN) + " more in report.json (plan[].api)."));
    return d;
  }

  // Foreign keys (`foreign_keys` rows as
  // [table, columns, references, ref_columns, name, source, table_owner,
  // references_owner, crosses]); with `key`, those touching a table that
  // service owns.
  function fkTouches(f, key) { return f[6] === key || f[7] === key; }
  function fkEnd(table, cols) {
    return el("span", null, el("code", null, table), cols.length ? el("span", { "class": "sub" }, " (" + cols.join(", ") + ")") : null);
  }
  function fkTable(rows) {
    return dataTable({
      rows: rows,
      pageSize: 25,
      text: function (f) { return f[0] + " " + f[2] + " " + (f[4] || ""); },
      services: SV.length ? function (f) { return [f[6], f[7]].filter(function (x) { return x; }); } : null,
      sort: 0, dir: 1,
      placeholder: "Filter foreign keys…",
      columns: [
        { label: "table", get: function (f) { return f[0]; }, fmt: function (v, f) { return fkEnd(f[0], f[1]); }, cls: "id" },
        { label: "references", get: function (f) { return f[2]; }, fmt: function (v, f) { return fkEnd(f[2], f[3]); }, cls: "id" },
        { label: "name", get: function (f) { return f[4] || ""; }, fmt: function (v, f) { return f[4] ? el("code", null, f[4]) : "—"; } },
        { label: "owners", get: function (f) { return serviceName(f[6]) + " " + serviceName(f[7]); }, fmt: function (v, f) { return el("span", null, serviceLink(f[6]), " → ", serviceLink(f[7])); }, title: "owners of the referencing and the referenced table" },
        { label: "crosses", get: function (f) { return f[8] ? 1 : 0; }, fmt: function (v, f) { return f[8] ? el("span", { "class": "badge warn" }, "break") : "—"; }, title: "both tables have owners and they differ: data coupling to break when either service is extracted" },
        { label: "source", get: function (f) { return f[5]; }, fmt: function (v, f) { return el("span", { "class": "sub" }, f[5]); } }
      ]
    });
  }

  function entityTouches(e, key) {
    if (e.service === key || e.owner === key) return true;
    if (e.readers.indexOf(key) >= 0 || e.writers.indexOf(key) >= 0) return true;
    return false;
  }
  // Entities; with `key`, the access of that service is shown.
  function entitiesTable(rows, key) {
    var columns = [
      { label: "table", get: function (e) { return e.table; }, fmt: function (v, e) { return el("div", null, el("code", null, e.table), e.entity ? el("div", { "class": "sub" }, e.entity + (e.unit !== null ? " · " + unitLabel(e.unit) : "")) : null); }, cls: "id" },
      { label: "owner", get: function (e) { return serviceName(e.owner); }, fmt: function (v, e) { return e.owner ? serviceLink(e.owner) : "—"; }, title: "main writer: most write sites, ties to the declaring service" },
      { label: "access here", get: function (e) { return accessOf(e, key); }, title: "what this service does with the table" },
      { label: "writers", get: function (e) { return e.writers.length; }, num: true, fmt: function (v, e) { return servicesCell(e.writers); } },
      { label: "readers", get: function (e) { return e.readers.length; }, num: true, fmt: function (v, e) { return servicesCell(e.readers); } },
      { label: "conflicts", get: function (e) { return e.conflicts.length; }, num: true, fmt: function (v, e) {
        return e.conflicts.length ? e.conflicts.map(function (c) { return el("div", null, el("span", { "class": "badge warn" }, c[1].replace("_", " ")), " ", serviceLink(c[0])); }) : "—";
      } },
      { label: "consistency", get: function (e) { return e.hints.join(" "); }, fmt: function (v, e) { return e.hints.length ? badges(e.hints.map(hintLabel)) : "—"; }, title: "read across only: replicate (availability first); written in a transaction: one owner, strong consistency" },
      { label: "sites", get: function (e) { return e.sites.length; }, num: true, fmt: function (v, e) { return dataSites(e.sites); } }
    ];
    if (!key) columns.splice(2, 1);
    return dataTable({
      rows: rows,
      pageSize: 25,
      text: function (e) { return e.table + " " + (e.entity || ""); },
      services: !key && SV.length ? function (e) { return e.readers.concat(e.writers, e.owner ? [e.owner] : []); } : null,
      sort: 0, dir: 1,
      placeholder: "Filter tables…",
      columns: columns
    });
  }
  function accessOf(e, key) {
    var r = e.readers.indexOf(key) >= 0, w = e.writers.indexOf(key) >= 0;
    if (e.owner === key) return "owns" + (r && !w ? ", reads" : "");
    return w ? (r ? "reads, writes" : "writes") : r ? "reads" : e.service === key ? "declares" : "—";
  }
  function hintLabel(h) {
    return h === "replicated_read_model" ? "replicated read model" : h === "strong_consistency" ? "strong consistency" : h;
  }
  function dataSites(sites) {
    var d = el("details", null, el("summary", null, plural(sites.length, "site", "sites")));
    var ul = el("ul", { "class": "plain sites" });
    sites.slice(0, SITES_SHOWN).forEach(function (x) {
      append(ul, el("li", null, el("span", { "class": "badge" + (x[3] === "write" ? " warn" : "") }, x[3]), " ", el("code", null, unitLabel(x[0]) + ":" + x[2]), " ", x[1], " via ", x[4], x[5] ? [" (", serviceName(x[5]), ")"] : null));
    });
    append(d, ul);
    if (sites.length > SITES_SHOWN) append(d, el("p", { "class": "hint" }, "… and " + fmtInt(sites.length - SITES_SHOWN) + " more in report.json (entities[].sites)."));
    return d;
  }

  // Endpoints: [method, path, handler, unit, line, service].
  function endpointsTable(rows, withService) {
    var columns = [
      { label: "method", get: function (e) { return e[0]; }, fmt: function (v) { return el("span", { "class": "badge" }, v); } },
      { label: "path", get: function (e) { return e[1]; }, fmt: function (v) { return el("code", null, v); }, cls: "id" },
      { label: "handler", get: function (e) { return e[2]; }, fmt: function (v, e) { return siteCell(e[3], e[2], e[4]); }, cls: "id" },
      { label: "service", get: function (e) { return serviceName(e[5]); }, fmt: function (v, e) { return e[5] ? serviceLink(e[5]) : "stays in the monolith"; } }
    ];
    if (!withService) columns.pop();
    return dataTable({
      rows: rows,
      pageSize: 50,
      text: function (e) { return e[0] + " " + e[1] + " " + e[2]; },
      services: withService && SV.length ? function (e) { return e[5] ? [e[5]] : []; } : null,
      sort: 1, dir: 1,
      placeholder: "Filter routes…",
      columns: columns
    });
  }

  // Saga candidates with the call path into each other service.
  function sagaList(txs) {
    var ul = el("ul", { "class": "plain sagas" });
    txs.forEach(function (t) {
      var li = el("li", null, el("code", null, t.symbol), " ", el("span", { "class": "sub" }, unitLabel(t.unit) + ":" + t.line), " spans ", servicesCell(t.services));
      var paths = el("ul", { "class": "plain" });
      t.paths.forEach(function (p) {
        var parts = [];
        p.forEach(function (c, i) {
          if (i) parts.push(" → ");
          parts.push(el("code", { title: unitLabel(c[0]) }, c[1]));
          if (c[2] && (i === 0 || p[i - 1][2] !== c[2])) parts.push(el("span", { "class": "sub" }, " [" + serviceName(c[2]) + "]"));
        });
        append(paths, el("li", null, parts));
      });
      append(li, paths);
      append(ul, li);
    });
    return el("div", null, ul, el("p", { "class": "hint" }, "Each path is the shortest call chain from the transactional method into another service; after the cut it becomes a remote call outside the transaction: design a saga (compensating steps) or keep these together."));
  }

  function renderPlan() {
    var box = clear($("plan-body"));
    if (!D.plan.length) {
      append(box, empty("No extraction plan in this report: it needs candidate services" +
        (SV.length ? "." : " (clustering has not run on this report).")));
      return;
    }
    var steps = D.plan.slice().sort(function (a, b) { return a.step - b.step; });
    if (D.benefit_basis === "structure") {
      append(box, el("p", { "class": "empty", id: "plan-no-history" }, "History absent (no commit analysed): the benefit is the structural proxy (size × complexity share + route share + fan-in share) / 3, not change frequency (docs/metrics.md, “Plan without history”)."));
    }
    append(box, el("p", { "class": "hint" }, "Strangler fig: put a gateway in front of the monolith, then for each service in this order redirect its routes, expose its operations, move or share its data, design its sagas, and replace the call sites that still depend on it. Order = rank by score = benefit × (1 − cost) (docs/metrics.md, “Plan”)."));
    var ol = el("ol", { "class": "plan-steps" });
    steps.forEach(function (p, i) {
      var s = svcById[p.service];
      var d = el("details", { "class": "step", "data-service": p.service });
      if (i === 0) d.open = true;
      append(d, el("summary", null, el("strong", null, "Step " + p.step + ": extract "), s ? s.name : serviceName(p.service),
        el("span", { "class": "sub" }, " — score " + fmtNum(p.score, 3) + (s ? ", " + plural(s.members.length, "unit", "units") + ", " + fmtInt(s.lines) + " lines" : "") +
          " · " + plural(p.routes.length, "route", "routes") + " · " + plural(p.api.length, "operation", "operations") + " · " + plural(p.data.length, "table", "tables") + " · " + plural(p.fks.length, "foreign key to break", "foreign keys to break") + " · " + plural(p.sagas.length, "saga", "sagas") +
          (s && s.cap && s.cap.profile ? " · " + s.cap.profile : ""))));
      var body = el("div", { "class": "step-body" });
      // Rendered on first open: a large plan stays cheap to load.
      var filled = false;
      function fill() {
        if (filled) return;
        filled = true;
        append(body, el("p", null, el("a", { href: "#service=" + encodeURIComponent(p.service) }, "Open the service"), " · ", el("a", { href: "#map=" + encodeURIComponent(p.service) }, "show on the map")));
        if (s) append(body, section("Why this rank", extractionTable(s)));
        if (s) append(body, section("Consistency (CAP)", capView(s.cap)));
        append(body, section("(a) Routes to redirect at the gateway", p.routes.length ? endpointsTable(p.routes.map(function (k) { return D.endpoints[k]; }), false) : empty("No inbound route: nothing to redirect.")));
        append(body, section("(b) API to expose", p.api.length ? operationsTable(p.api) : empty("Nothing outside calls into it.")));
        append(body, section("(c) Data to move or share", p.data.length ? dataActions(p.data) : empty("It touches no table.")));
        var sagas = D.transactions.filter(function (t) { return p.sagas.indexOf(unitLabel(t.unit) + "#" + t.symbol) >= 0; });
        append(body, section("(d) Sagas to design", sagas.length ? sagaList(sagas) : p.sagas.length ? el("ul", { "class": "plain" }, p.sagas.map(function (x) { return el("li", null, el("code", null, x)); })) : empty("No transaction is split by this cut.")));
        append(body, section("(e) What still depends on it in the monolith", p.dependents.length ? dependentsTable(p.dependents) : empty("Nothing left in the monolith calls it.")));
        append(body, section("(f) Foreign keys to break", p.fks.length ? fkTable(p.fks.map(function (k) { return D.foreign_keys[k]; })) : empty("No foreign key joins its tables to another service's.")));
      }
      d.addEventListener("toggle", function () { if (d.open) fill(); });
      if (d.open) fill();
      append(d, body);
      append(ol, el("li", null, d));
    });
    append(box, ol);
    append(box, el("h3", null, "Gateway routing table"));
    append(box, D.endpoints.length ? endpointsTable(D.endpoints, true) : empty("No inbound route was found (Spring, JAX-RS, Django, Flask, FastAPI, axum, actix)."));
    append(box, el("p", { "class": "hint" }, "Also exported as an nginx location set (--format nginx) and plain YAML (--format routes-yaml)."));
    append(box, el("h3", null, "Data ownership"));
    append(box, D.entities.length ? entitiesTable(D.entities, null) : empty("No table was found (entities, repositories, SQL strings, models)."));
    append(box, el("h3", null, "Foreign keys (" + fmtInt(D.foreign_keys.filter(function (f) { return f[8]; }).length) + " of " + fmtInt(D.foreign_keys.length) + " cross services)"));
    append(box, D.foreign_keys.length ? fkTable(D.foreign_keys) : empty("No foreign key was found (schema scripts, changelogs, mappings, migrations)."));
    var sagas = D.transactions.filter(function (t) { return t.saga; });
    append(box, el("h3", null, "Saga candidates (" + fmtInt(sagas.length) + " of " + plural(D.transactions.length, "transactional scope", "transactional scopes") + ")"));
    append(box, sagas.length ? sagaList(sagas) : empty("No transactional scope reaches two services."));
  }
  function dataActions(rows) {
    var t = el("table", { "class": "data" }, el("thead", null, el("tr", null, el("th", null, "table"), el("th", null, "action"), el("th", null, "owner"), el("th", null, "other services"))));
    var body = el("tbody");
    rows.forEach(function (d) {
      append(body, el("tr", null, el("td", { "class": "id" }, el("code", null, d[0])), el("td", null, el("span", { "class": "badge" + (d[1] === "move" ? "" : " warn") }, d[1].replace("_", " "))),
        el("td", null, d[2] ? serviceLink(d[2]) : "—"), el("td", null, servicesCell(d[3]))));
    });
    append(t, body);
    return el("div", null, t, el("p", { "class": "hint" }, "move: owned and used only here · share: written elsewhere too · replicate: read elsewhere (serve a read model) · call owner: owned elsewhere, written here (call its API)."));
  }
  function dependentsTable(rows) {
    return dataTable({
      rows: rows,
      pageSize: 25,
      text: function (d) { return unitLabel(d[0]); },
      sort: 2, dir: -1,
      columns: [
        { label: "unit", get: function (d) { return unitLabel(d[0]); }, fmt: function (v, d) { return unitCell(d[0]); }, cls: "id" },
        { label: "service", get: function (d) { return serviceName(d[1]); }, fmt: function (v, d) { return d[1] ? serviceLink(d[1]) : unitServiceCell(d[0]); } },
        { label: "call sites", num: true, get: function (d) { return d[2]; }, fmt: fmtInt }
      ]
    });
  }

  // Trend: one small chart per metric (their scales differ), commits in
  // time order on x. Rows come from decompose-trend.jsonl via report.json.
  function renderTrend() {
    var box = clear($("trend-body"));
    var rows = (D.trend || []).slice().sort(function (a, b) { return a.time - b.time || (a.commit < b.commit ? -1 : 1); });
    if (rows.length < 2) {
      append(box, empty(rows.length ? "One trend point only: run `decompose trend` over more commits to draw a line." :
        "No trend data: run `decompose trend` (it writes decompose-trend.jsonl at the repository root) and analyse again."));
      return;
    }
    var keys = [];
    Object.keys(rows[rows.length - 1]).forEach(function (k) {
      if (k !== "time" && typeof rows[rows.length - 1][k] === "number") keys.push(k);
    });
    var grid = el("div", { "class": "trend-grid" });
    var t0 = rows[0].time, t1 = rows[rows.length - 1].time, W = 460, H = 150, L = 52, R = 12, T = 16, B = 28;
    keys.forEach(function (k) {
      var pts = rows.filter(function (r) { return typeof r[k] === "number"; });
      if (!pts.length) return;
      var lo = Math.min.apply(null, pts.map(function (r) { return r[k]; })), hi = Math.max.apply(null, pts.map(function (r) { return r[k]; }));
      if (hi === lo) { hi += 1; lo -= lo === 0 ? 0 : 1; }
      function x(r) { return L + (t1 === t0 ? 0.5 : (r.time - t0) / (t1 - t0)) * (W - L - R); }
      function y(v) { return T + (1 - (v - lo) / (hi - lo)) * (H - T - B); }
      var svg = sv("svg", { "class": "trend", viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": k + " over time", "data-metric": k, "data-points": pts.length });
      append(svg, sv("line", { "class": "axis", x1: L, y1: H - B, x2: W - R, y2: H - B }), sv("line", { "class": "axis", x1: L, y1: T, x2: L, y2: H - B }));
      var fmtV = function (v) { return Math.abs(v) >= 100 || Number.isInteger(v) ? fmtInt(v) : fmtNum(v, 3); };
      append(svg, sv("text", { x: L - 4, y: T + 4, "text-anchor": "end" }, fmtV(hi)), sv("text", { x: L - 4, y: H - B, "text-anchor": "end" }, fmtV(lo)));
      append(svg, sv("text", { x: L, y: H - 8 }, dateOf(t0)), sv("text", { x: W - R, y: H - 8, "text-anchor": "end" }, dateOf(t1)));
      var d = pts.map(function (r, i) { return (i ? "L" : "M") + x(r).toFixed(1) + " " + y(r[k]).toFixed(1); }).join(" ");
      append(svg, sv("path", { "class": "line", d: d }));
      pts.forEach(function (r) {
        append(svg, sv("circle", { "class": "pt", cx: x(r).toFixed(1), cy: y(r[k]).toFixed(1), r: 3 }, svgTitle(String(r.commit).slice(0, 12) + " · " + dateOf(r.time) + " · " + k + " = " + fmtV(r[k]))));
      });
      var last = pts[pts.length - 1][k], first = pts[0][k];
      append(grid, el("figure", { "class": "trend-fig" }, el("figcaption", null, el("strong", null, k.replace(/_/g, " ")), " ", el("span", { "class": "sub" }, fmtV(first) + " → " + fmtV(last))), svg));
    });
    append(box, el("p", { "class": "hint" }, plural(rows.length, "commit", "commits") + " from " + dateOf(t0) + " to " + dateOf(t1) + ". Metric definitions: docs/metrics.md and docs/ci.md."), grid);
  }
  function dateOf(t) {
    var d = new Date(t * 1000);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getUTCFullYear() + "-" + two(d.getUTCMonth() + 1) + "-" + two(d.getUTCDate());
  }

  // ---------- navigation ----------

  function route() {
    var raw = location.hash.replace(/^#/, "") || "overview";
    var eq = raw.indexOf("="), view = eq < 0 ? raw : raw.slice(0, eq), arg = null;
    if (eq >= 0) { try { arg = decodeURIComponent(raw.slice(eq + 1)); } catch (e) { arg = null; } }
    if (view === "service") { view = "services"; renderService(arg === null ? "*" : arg); }
    // #map=KEY and #dsm=KEY open that group (a service id, "kernel", ...).
    if (view === "map" && arg !== null && arg !== mapOpened) mapOpen(arg);
    if (view === "dsm" && arg !== null && arg !== dsmOpened) dsmOpen(arg);
    if (view === "whatif") {
      whatIf();
      if (arg !== null && arg !== whatIfReplayed) { whatIfReplayed = arg; whatIfPanel.replay(arg); }
    }
    var views = document.querySelectorAll("section.view");
    var known = false;
    for (var i = 0; i < views.length; i++) if (views[i].getAttribute("data-view") === view) known = true;
    if (!known) view = "overview";
    for (i = 0; i < views.length; i++) views[i].hidden = views[i].getAttribute("data-view") !== view;
    var links = document.querySelectorAll("#nav a");
    for (i = 0; i < links.length; i++) links[i].classList.toggle("active", links[i].getAttribute("data-view") === view);
  }

  // ---------- what-if (templates/whatif.js) ----------

  // Mounted the first time it is opened, so start-up costs nothing more.
  var whatIfPanel = null, whatIfReplayed = null;
  function whatIf() {
    if (!whatIfPanel) {
      whatIfPanel = decomposeWhatIf({ D: D, U: U, F: F, el: el, append: append, button: button, clear: clear, $: $ }).mount($("whatif-body"));
    }
    return whatIfPanel;
  }
  // "What if…": choose units from a view and open the what-if panel.
  function whatIfButton(label, units) {
    return button("What if… move " + (units.length === 1 ? "this unit" : "these " + fmtInt(units.length) + " units"), function () {
      whatIf().pick(label, units);
      location.hash = "whatif";
    }, "linkbtn whatif-pick");
  }

  // #selftest: after start-up, drive the interactive paths the way a
  // reader would (open a map node and go back, open a DSM row, switch
  // service, sort, page, filter) and stamp data-selftest="ok" on the root.
  // tests/browser.rs opens the page this way; errors land in data-errors.
  function selfTest() {
    var steps = [];
    function click(node) { node.dispatchEvent(new MouseEvent("click", { bubbles: true })); }
    function check(ok, what) { steps.push(what); if (!ok) throw new Error("self-test: " + what); }
    var node = document.querySelector("#map-svg g.node:not(.context)");
    var openable = mapStack[0].nodes.filter(function (nd) { return nd.units.length > 1 && !nd.context; })[0];
    if (openable) {
      click(document.querySelector("#map-svg g.node[data-key=\"" + CSS.escape(openable.key) + "\"]"));
      check(mapStack.length === 2 && Number($("map-svg").getAttribute("data-nodes")) > 0, "map opens a node");
      click($("map-crumbs").querySelector("button"));
      check(mapStack.length === 1, "map breadcrumb goes back");
    } else if (node) {
      click(node);
      check(true, "map selects a unit");
    }
    var row = document.querySelector("#dsm-wrap .rowlabel[data-open]");
    if (row) {
      click(row);
      check(dsmStack.length === 2 && Number(document.querySelector("#dsm-wrap svg").getAttribute("data-rows")) > 0, "DSM opens a row");
    }
    var sel = $("service-select");
    if (sel.options.length > 1) {
      renderService(sel.options[sel.options.length > 2 ? 1 : 0].value);
      check($("service-detail").querySelector("table") !== null, "service detail renders");
    }
    renderService("*");
    var box = $("service-detail").querySelector(".table-box");
    var th = box.querySelectorAll("thead th")[2];
    click(th);
    click(th);
    check(th.getAttribute("aria-sort") === "ascending" || th.getAttribute("aria-sort") === "descending", "sorting by a column");
    var next = box.querySelector(".pager button:last-child");
    if (!next.disabled) { click(next); check(/page 2/.test(box.querySelector(".pager span").textContent), "next page"); }
    var input = box.querySelector("input[type=search]");
    input.value = "zz-no-unit-has-this-name-zz";
    input.dispatchEvent(new Event("input"));
    check(box.getAttribute("data-rows") === "0", "filtering to nothing");
    if (SV.length) whatIf().selfTest(check);
    root.setAttribute("data-selftest", "ok");
    root.setAttribute("data-selftest-steps", steps.join("; "));
  }

  function main() {
    D = JSON.parse($("data").textContent);
    U = D.units; NU = U.length; SV = D.services; kinds = D.kinds;
    F = {};
    D.unit_fields.forEach(function (f, i) { F[f] = i; });
    svcById = {};
    SV.forEach(function (s) { svcById[s.id] = s; });
    topGroups = buildTopGroups();

    mapStack = [mapLevelTop()];
    renderMap();
    dsmStack = [dsmLevelTop()];
    renderDsm();
    fillServiceSelect();
    renderService(SV.length ? SV[0].id : "*");
    renderChanges();
    renderPlan();
    renderTrend();
    window.addEventListener("hashchange", route);
    route();
    root.setAttribute("data-ready", "1");
    root.setAttribute("data-ready-ms", String(Math.round(performance.now())));
    if (location.hash === "#selftest") selfTest();
  }

  try {
    main();
  } catch (e) {
    recordError("report script failed: " + (e && e.stack ? e.stack : e));
  }
})();
