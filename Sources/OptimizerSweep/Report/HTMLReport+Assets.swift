import Optimizer

extension HTMLReport {
    /// The page's CSS (system fonts only: nothing is fetched).
    static let style = #"""
    :root { --fg:#1d2330; --muted:#667085; --line:#d0d5dd; --bg:#fff; --card:#f7f8fa; --accent:#2a6fdb; }
    * { box-sizing: border-box; }
    body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; padding: 16px 24px 48px; max-width: 1400px; }
    h1 { font-size: 22px; margin: 0 0 2px; } h2 { font-size: 17px; margin: 28px 0 6px; border-bottom: 1px solid var(--line); padding-bottom: 4px; } h3 { font-size: 15px; margin: 0 0 8px; }
    .sub, .muted, .hint { color: var(--muted); } .hint { margin: 0 0 8px; font-size: 13px; }
    .notice { background: #fff7e0; border: 1px solid #f0c36d; border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
    .errors { background: #fde8e8; border: 1px solid #e08080; border-radius: 6px; padding: 8px 12px; margin: 8px 0; color: #8a1c1c; white-space: pre-wrap; }
    .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
    .card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; overflow-wrap: anywhere; }
    .big { font-size: 18px; margin: 0 0 8px; }
    table.kv th { text-align: left; font-weight: 600; padding: 2px 12px 2px 0; vertical-align: top; white-space: nowrap; } table.kv td { padding: 2px 0; }
    code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; } code.block { display: block; background: #fff; border: 1px solid var(--line); border-radius: 4px; padding: 4px 8px; margin-top: 2px; white-space: pre-wrap; word-break: break-all; }
    .label { font-size: 12px; color: var(--muted); }
    .chart svg, .charts svg { display: block; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
    .charts { display: flex; flex-wrap: wrap; gap: 12px; }
    .empty { color: var(--muted); font-style: italic; padding: 16px; border: 1px dashed var(--line); border-radius: 6px; }
    svg text { font: 11px system-ui, sans-serif; fill: #475467; } svg .axis-title { font-weight: 600; fill: #1d2330; }
    svg .grid-line { stroke: #eaecf0; } svg .axis-line { stroke: #98a2b3; }
    svg .best-line { fill: none; stroke: #d92d20; stroke-width: 1.6; }
    svg .curve { fill: none; stroke-width: 1; stroke-opacity: .45; } svg .curve.best { stroke-width: 2.6; stroke-opacity: 1; }
    svg .stop-mark { fill: none; stroke: #b42318; stroke-width: 1.4; }
    svg .pc-line { fill: none; stroke-width: 1; stroke-opacity: .55; }
    svg .cell { stroke: #fff; stroke-width: .5; } #chart-importance text, #chart-length-scales text { dominant-baseline: middle; }
    .legend { font-size: 12px; color: var(--muted); margin: 4px 0; } .legend span { display: inline-block; margin-right: 12px; } .legend i { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 4px; vertical-align: -1px; }
    .controls { margin: 6px 0; display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
    .table-wrap { overflow-x: auto; }
    #trial-table { border-collapse: collapse; width: 100%; font-size: 13px; }
    #trial-table th { position: sticky; top: 0; background: #eef1f5; cursor: pointer; text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; user-select: none; }
    #trial-table td { padding: 3px 8px; border-bottom: 1px solid #eef0f3; vertical-align: top; }
    #trial-table td.num { text-align: right; font-variant-numeric: tabular-nums; } #trial-table td.reason { color: var(--muted); max-width: 420px; }
    #trial-table tr.trial-row:hover { background: #f2f6fd; cursor: pointer; } #trial-table tr.is-best { background: #fff8e6; }
    .status { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 12px; color: #fff; }
    .detail { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; margin: 6px 0; overflow-wrap: anywhere; }
    .tooltip { position: fixed; pointer-events: none; background: rgba(29,35,48,.92); color: #fff; padding: 6px 8px; border-radius: 4px; font-size: 12px; max-width: 420px; white-space: pre-wrap; z-index: 10; }
    """#

    /// The page's script: reads `#report-data`, draws the charts as SVG and the table, and
    /// reports its own errors into `#report-errors`.
    static let script = #"""
    "use strict";
    (function () {
    function reportError(message) {
      var box = document.getElementById("report-errors");
      if (!box) { box = document.createElement("div"); box.id = "report-errors"; box.className = "errors"; document.body.insertBefore(box, document.body.firstChild); }
      var p = document.createElement("p"); p.textContent = "Report error: " + message; box.appendChild(p);
    }
    window.addEventListener("error", function (e) { reportError(e.message + (e.lineno ? " (line " + e.lineno + ")" : "")); });
    var SVGNS = "http://www.w3.org/2000/svg";
    var STATUS_COLORS = { completed: "#2a6fdb", cancelled: "#e08a00", failed: "#d92d20", interrupted: "#7a5af8", running: "#12b76a", queued: "#98a2b3" };
    var VIRIDIS = [[68,1,84],[59,82,139],[33,145,140],[94,201,98],[253,231,37]];
    var data = JSON.parse(document.getElementById("report-data").textContent);
    var maximize = data.goal === "maximize";
    var trials = data.trials.map(function (t) {
      return { id: t[0], status: t[1], value: t[2], params: t[3], start: t[4], duration: t[5], stopAt: t[6], curve: t[7],
               reason: t[8], stopReason: t[9], command: t[10], folder: t[11], afterStop: t[12] };
    });
    var withValue = trials.filter(function (t) { return t.value !== null; });
    var valueExtent = extent(withValue.map(function (t) { return t.value; }));

    // ---- helpers ----
    function el(tag, attrs, parent) {
      var node = document.createElementNS(SVGNS, tag);
      if (attrs) for (var k in attrs) node.setAttribute(k, attrs[k]);
      if (parent) parent.appendChild(node);
      return node;
    }
    function html(tag, text, parent, cls) {
      var node = document.createElement(tag);
      if (text !== undefined && text !== null) node.textContent = text;
      if (cls) node.className = cls;
      if (parent) parent.appendChild(node);
      return node;
    }
    function extent(values) {
      var lo = Infinity, hi = -Infinity;
      for (var i = 0; i < values.length; i++) { var v = values[i]; if (v !== null && isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; } }
      return lo <= hi ? [lo, hi] : null;
    }
    function fmt(v) {
      if (v === null || v === undefined) return "–";
      if (typeof v !== "number") return String(v);
      if (v === 0) return "0";
      var a = Math.abs(v);
      if (a >= 1e6 || a < 1e-4) return v.toExponential(3);
      return String(+v.toPrecision(6));
    }
    function fmtDuration(s) {
      if (s === null || s === undefined) return "–";
      if (s < 60) return (s < 10 ? s.toFixed(1) : s.toFixed(0)) + " s";
      var t = Math.round(s);
      if (t < 3600) return Math.floor(t / 60) + "m " + String(t % 60).padStart(2, "0") + "s";
      return Math.floor(t / 3600) + "h " + String(Math.floor(t % 3600 / 60)).padStart(2, "0") + "m";
    }
    function better(a, b) { return maximize ? a > b : a < b; }
    function colorFor(value) {
      if (value === null || !valueExtent) return "#b0b7c3";
      var lo = valueExtent[0], hi = valueExtent[1];
      var t = hi > lo ? (value - lo) / (hi - lo) : 1;
      if (!maximize) t = 1 - t;
      var x = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1), i = Math.min(VIRIDIS.length - 2, Math.floor(x)), f = x - i;
      var c = VIRIDIS[i].map(function (a, k) { return Math.round(a + (VIRIDIS[i + 1][k] - a) * f); });
      return "rgb(" + c.join(",") + ")";
    }
    function linearTicks(lo, hi, n) {
      if (!(hi > lo)) return [lo];
      var raw = (hi - lo) / n, step = Math.pow(10, Math.floor(Math.log10(raw))), err = raw / step;
      if (err >= 7.5) step *= 10; else if (err >= 3.5) step *= 5; else if (err >= 1.5) step *= 2;
      var out = [];
      for (var v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
      return out;
    }
    // A scale: kind "linear" | "log" | "categorical"; maps values to [r0, r1].
    function makeScale(kind, values, r0, r1, order) {
      var s = { kind: kind };
      if (kind === "log") {
        var positive = values.filter(function (v) { return typeof v === "number" && v > 0; });
        if (positive.length === 0 || positive.length < values.filter(function (v) { return typeof v === "number"; }).length) kind = s.kind = "linear";
      }
      if (kind === "categorical") {
        var cats = [], index = {};
        (order || []).forEach(function (c) { var k = String(c); if (!(k in index)) { index[k] = cats.length; cats.push(k); } });
        values.forEach(function (v) { if (v === null) return; var k = String(v); if (!(k in index)) { index[k] = cats.length; cats.push(k); } });
        var n = Math.max(cats.length, 1), band = (r1 - r0) / n;
        s.map = function (v) { var i = index[String(v)]; return i === undefined ? NaN : r0 + band * (i + 0.5); };
        s.band = band;
        s.ticks = cats.map(function (c) { return { at: s.map(c), label: c.length > 18 ? c.slice(0, 17) + "…" : c, full: c }; });
        return s;
      }
      var nums = values.filter(function (v) { return typeof v === "number" && isFinite(v) && (kind !== "log" || v > 0); });
      var e = extent(nums) || [0, 1];
      if (kind === "log") {
        var a = Math.log10(e[0]), b = Math.log10(e[1]);
        if (a === b) { a -= 0.5; b += 0.5; } else { var p = (b - a) * 0.05; a -= p; b += p; }
        s.map = function (v) { return typeof v === "number" && v > 0 ? r0 + (Math.log10(v) - a) / (b - a) * (r1 - r0) : NaN; };
        var ticks = [];
        for (var k = Math.ceil(a); k <= Math.floor(b); k++) ticks.push(Math.pow(10, k));
        if (ticks.length < 3) { ticks = []; for (var k2 = Math.floor(a); k2 <= Math.ceil(b); k2++) [1, 2, 5].forEach(function (m) { var t = m * Math.pow(10, k2); if (Math.log10(t) >= a && Math.log10(t) <= b) ticks.push(t); }); }
        s.ticks = ticks.map(function (t) { return { at: s.map(t), label: fmt(t) }; });
        return s;
      }
      var lo = e[0], hi = e[1];
      if (lo === hi) { var d = Math.abs(lo) * 0.1 || 1; lo -= d; hi += d; } else { var pad = (hi - lo) * 0.05; lo -= pad; hi += pad; }
      s.map = function (v) { return typeof v === "number" && isFinite(v) ? r0 + (v - lo) / (hi - lo) * (r1 - r0) : NaN; };
      s.ticks = linearTicks(lo, hi, 6).map(function (t) { return { at: s.map(t), label: s.format ? s.format(t) : fmt(t) }; });
      s.retick = function (format) { s.ticks = linearTicks(lo, hi, 6).map(function (t) { return { at: s.map(t), label: format(t) }; }); };
      return s;
    }
    // A chart frame: svg with margins, x and y axes drawn from scales.
    function frame(container, name, width, height, margin) {
      var svg = el("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height, "data-chart": name }, container);
      return { svg: svg, x0: margin.left, x1: width - margin.right, y0: height - margin.bottom, y1: margin.top, width: width, height: height };
    }
    function axes(f, xs, ys, xTitle, yTitle) {
      var g = el("g", { "class": "axes" }, f.svg);
      ys.ticks.forEach(function (t) {
        if (!isFinite(t.at)) return;
        el("line", { "class": "grid-line", x1: f.x0, x2: f.x1, y1: t.at, y2: t.at }, g);
        var label = el("text", { x: f.x0 - 6, y: t.at + 4, "text-anchor": "end" }, g); label.textContent = t.label;
      });
      xs.ticks.forEach(function (t) {
        if (!isFinite(t.at)) return;
        el("line", { "class": "grid-line", x1: t.at, x2: t.at, y1: f.y1, y2: f.y0 }, g);
        var label = el("text", { x: t.at, y: f.y0 + 14, "text-anchor": "middle" }, g); label.textContent = t.label;
        if (t.full) { var title = el("title", null, label); title.textContent = t.full; }
      });
      el("line", { "class": "axis-line", x1: f.x0, x2: f.x1, y1: f.y0, y2: f.y0 }, g);
      el("line", { "class": "axis-line", x1: f.x0, x2: f.x0, y1: f.y1, y2: f.y0 }, g);
      var xt = el("text", { "class": "axis-title", x: (f.x0 + f.x1) / 2, y: f.height - 6, "text-anchor": "middle" }, g); xt.textContent = xTitle;
      var yt = el("text", { "class": "axis-title", x: 14, y: (f.y0 + f.y1) / 2, "text-anchor": "middle", transform: "rotate(-90 14 " + (f.y0 + f.y1) / 2 + ")" }, g); yt.textContent = yTitle;
    }
    // Dots drawn as zero-length round-capped path segments, one <path> per colour: cheap at 10,000 points.
    function dots(parent, points, radius, cls) {
      var byColor = {};
      points.forEach(function (p) { if (!isFinite(p.x) || !isFinite(p.y)) return; (byColor[p.color] = byColor[p.color] || []).push("M" + p.x.toFixed(1) + " " + p.y.toFixed(1) + "h0.01"); });
      Object.keys(byColor).forEach(function (c) {
        el("path", { "class": cls || "dots", d: byColor[c].join(""), stroke: c, "stroke-width": radius * 2, "stroke-linecap": "round", fill: "none" }, parent);
      });
    }
    // Hover: the nearest point within 12 px shows its trial in the tooltip; a click selects it in the table.
    function hover(svg, points) {
      var tip = document.getElementById("tooltip");
      svg.addEventListener("mousemove", function (event) {
        var box = svg.getBoundingClientRect(), sx = svg.viewBox.baseVal.width / box.width;
        var mx = (event.clientX - box.left) * sx, my = (event.clientY - box.top) * sx, best = null, bestD = 144;
        for (var i = 0; i < points.length; i++) { var p = points[i], dx = p.x - mx, dy = p.y - my, d = dx * dx + dy * dy; if (d < bestD) { bestD = d; best = p; } }
        if (!best) { tip.hidden = true; return; }
        tip.textContent = describe(best.trial) + (best.note ? "\n" + best.note : "");
        tip.style.left = (event.clientX + 14) + "px"; tip.style.top = (event.clientY + 10) + "px"; tip.hidden = false;
      });
      svg.addEventListener("mouseleave", function () { tip.hidden = true; });
      svg.addEventListener("click", function (event) {
        var box = svg.getBoundingClientRect(), sx = svg.viewBox.baseVal.width / box.width;
        var mx = (event.clientX - box.left) * sx, my = (event.clientY - box.top) * sx, best = null, bestD = 144;
        for (var i = 0; i < points.length; i++) { var p = points[i], dx = p.x - mx, dy = p.y - my, d = dx * dx + dy * dy; if (d < bestD) { bestD = d; best = p; } }
        if (best) showTrial(best.trial);
      });
    }
    function describe(t) {
      var lines = ["trial " + t.id + " (" + t.status + "): " + data.metric + " = " + fmt(t.value)];
      data.params.forEach(function (p, i) { lines.push(p.name + " = " + fmt(t.params[i])); });
      return lines.join("\n");
    }
    function empty(container, text) { html("div", text, container, "empty").setAttribute("data-empty", "true"); }
    function chartWidth(container) { return Math.max(600, Math.min(1340, container.clientWidth || 1200)); }
    function legend(container) {
      var div = html("div", null, container, "legend");
      Object.keys(STATUS_COLORS).forEach(function (s) {
        if (!trials.some(function (t) { return t.status === s; })) return;
        var span = html("span", null, div); var i = html("i", null, span); i.style.background = STATUS_COLORS[s]; span.appendChild(document.createTextNode(s));
      });
    }

    // ---- value against start time / trial index, with best so far ----
    function valueChart(containerId, name, key, xTitle, isTime) {
      var container = document.getElementById(containerId);
      var pts = withValue.filter(function (t) { return t[key] !== null; });
      if (pts.length === 0) { empty(container, "No trial has a finite " + data.metric + " value yet."); return; }
      var f = frame(container, name, chartWidth(container), 340, { left: 70, right: 20, top: 14, bottom: 42 });
      var xs = makeScale("linear", pts.map(function (t) { return t[key]; }), f.x0, f.x1);
      if (isTime) xs.retick(fmtDuration);
      var ys = makeScale("linear", pts.map(function (t) { return t.value; }), f.y0, f.y1);
      axes(f, xs, ys, xTitle, data.metric);
      var ordered = pts.slice().sort(function (a, b) { return a[key] - b[key] || a.id - b.id; });
      var bestSoFar = null, d = "";
      ordered.forEach(function (t, i) {
        if (bestSoFar === null || better(t.value, bestSoFar)) bestSoFar = t.value;
        var x = xs.map(t[key]), y = ys.map(bestSoFar);
        d += (i === 0 ? "M" + x.toFixed(1) + " " + y.toFixed(1) : "H" + x.toFixed(1) + "V" + y.toFixed(1));
      });
      d += "H" + f.x1;
      el("path", { "class": "best-line", d: d }, f.svg);
      var points = pts.map(function (t) { return { x: xs.map(t[key]), y: ys.map(t.value), color: STATUS_COLORS[t.status] || "#666", trial: t }; });
      dots(f.svg, points, 3.2);
      f.svg.setAttribute("data-marks", points.length);
      hover(f.svg, points);
      legend(container);
    }

    // ---- learning curves ----
    function curvesChart() {
      var container = document.getElementById("chart-curves");
      var curved = trials.filter(function (t) { return t.curve.length > 0; });
      var allValues = [];
      curved.forEach(function (t) { t.curve.forEach(function (v) { if (v !== null) allValues.push(v); }); });
      if (allValues.length === 0) { empty(container, "No trial has reported " + data.metric + " yet, so there are no learning curves."); return; }
      var maxN = 1; curved.forEach(function (t) { if (t.curve.length > maxN) maxN = t.curve.length; });
      var f = frame(container, "curves", chartWidth(container), 380, { left: 70, right: 20, top: 14, bottom: 42 });
      var xs = makeScale("linear", [1, Math.max(2, maxN)], f.x0, f.x1);
      var ys = makeScale("linear", allValues, f.y0, f.y1);
      axes(f, xs, ys, "report number (interval)", data.metric);
      var limit = 60, stops = "", stopCount = 0, hoverPoints = [], bestTrial = null;
      curved.forEach(function (t) {
        var n = t.curve.length, step = Math.max(1, Math.ceil(n / limit)), d = "", pen = false;
        for (var i = 0; i < n; i++) {
          if (i % step !== 0 && i !== n - 1 && !(t.stopAt && i === t.stopAt - 1)) continue;
          var v = t.curve[i];
          if (v === null) { pen = false; continue; }
          var x = xs.map(i + 1), y = ys.map(v);
          d += (pen ? "L" : "M") + x.toFixed(1) + " " + y.toFixed(1);
          if (!pen && (i === n - 1 || t.curve[i + 1] === null)) d += "h0.01";
          pen = true;
          if (i === n - 1) hoverPoints.push({ x: x, y: y, trial: t, note: n + " reports" });
        }
        if (t.id === data.best) { bestTrial = { t: t, d: d }; return; }
        if (d) el("path", { "class": "curve", d: d, stroke: t.stopAt ? "#e08a00" : colorFor(t.value), "data-trial": t.id }, f.svg);
        else el("path", { "class": "curve", d: "M0 0", stroke: "none", "data-trial": t.id }, f.svg);
      });
      if (bestTrial) el("path", { "class": "curve best", d: bestTrial.d || "M0 0", stroke: "#d92d20", "data-trial": bestTrial.t.id }, f.svg);
      curved.forEach(function (t) {
        if (!t.stopAt || t.stopAt > t.curve.length) return;
        var v = t.curve[t.stopAt - 1]; if (v === null) return;
        var x = xs.map(t.stopAt), y = ys.map(v);
        stops += "M" + (x - 4).toFixed(1) + " " + (y - 4).toFixed(1) + "l8 8m0 -8l-8 8";
        stopCount++;
        hoverPoints.push({ x: x, y: y, trial: t, note: "stopped at report " + t.stopAt + (t.stopReason ? ": " + t.stopReason : "") });
      });
      if (stops) el("path", { "class": "stop-mark", d: stops }, f.svg);
      f.svg.setAttribute("data-marks", curved.length);
      f.svg.setAttribute("data-stops", stopCount);
      hover(f.svg, hoverPoints);
      var leg = html("div", null, container, "legend");
      html("span", "red thick: best trial · orange: stopped by the policy (✕ where) · others coloured by their value (yellow best)", leg);
    }

    // ---- parallel coordinates ----
    function parallelChart() {
      var container = document.getElementById("chart-parallel");
      if (data.params.length === 0) { empty(container, "No parameters to draw."); return; }
      if (trials.length === 0) { empty(container, "No trials yet."); return; }
      var axesDefs = data.params.map(function (p, i) { return { title: p.name, scale: p.scale, cats: p.cats, get: function (t) { return t.params[i]; } }; });
      axesDefs.push({ title: data.metric, scale: "linear", get: function (t) { return t.value; }, metric: true });
      var width = chartWidth(container), f = frame(container, "parallel", width, 400, { left: 60, right: 60, top: 28, bottom: 24 });
      var gap = (f.x1 - f.x0) / Math.max(1, axesDefs.length - 1);
      axesDefs.forEach(function (a, i) {
        a.x = axesDefs.length === 1 ? (f.x0 + f.x1) / 2 : f.x0 + gap * i;
        a.s = makeScale(a.scale, trials.map(a.get), f.y0, f.y1, a.cats);
        el("line", { "class": "axis-line", x1: a.x, x2: a.x, y1: f.y1, y2: f.y0 }, f.svg);
        var title = el("text", { "class": "axis-title", x: a.x, y: 14, "text-anchor": "middle" }, f.svg);
        title.textContent = a.title + (a.s.kind === "log" ? " (log)" : "");
        a.s.ticks.forEach(function (t) {
          if (!isFinite(t.at)) return;
          var label = el("text", { x: a.x - 4, y: t.at + 4, "text-anchor": "end" }, f.svg); label.textContent = t.label;
          if (t.full) { var tt = el("title", null, label); tt.textContent = t.full; }
        });
      });
      var ordered = trials.slice().sort(function (a, b) {
        if (a.value === null) return b.value === null ? 0 : -1;
        if (b.value === null) return 1;
        return better(a.value, b.value) ? 1 : (better(b.value, a.value) ? -1 : 0);
      });
      var count = 0, hoverPoints = [];
      ordered.forEach(function (t) {
        var d = "", pen = false;
        axesDefs.forEach(function (a) {
          var y = a.s.map(a.get(t));
          if (!isFinite(y)) { pen = false; return; }
          if (a.scale === "categorical") y += ((t.id * 7919) % 17 - 8) / 8 * Math.min(6, a.s.band * 0.15);
          d += (pen ? "L" : "M") + a.x.toFixed(1) + " " + y.toFixed(1);
          pen = true;
          if (a.metric) hoverPoints.push({ x: a.x, y: y, trial: t });
        });
        if (!d) return;
        el("path", { "class": "pc-line", d: d, stroke: colorFor(t.value), "data-trial": t.id }, f.svg);
        count++;
      });
      f.svg.setAttribute("data-marks", count);
      hover(f.svg, hoverPoints);
    }

    // ---- each parameter against the metric ----
    function scatterCharts() {
      var container = document.getElementById("chart-scatter");
      if (data.params.length === 0) { empty(container, "No parameters to draw."); return; }
      if (withValue.length === 0) { empty(container, "No trial has a finite " + data.metric + " value yet."); return; }
      paramsByImportance().forEach(function (i) {
        var p = data.params[i];
        var holder = html("div", null, container);
        var f = frame(holder, "scatter-" + p.name, 430, 300, { left: 64, right: 14, top: 12, bottom: 42 });
        var xs = makeScale(p.scale, withValue.map(function (t) { return t.params[i]; }), f.x0, f.x1, p.cats);
        var ys = makeScale("linear", withValue.map(function (t) { return t.value; }), f.y0, f.y1);
        axes(f, xs, ys, p.name + (xs.kind === "log" ? " (log scale)" : "") + (p.type ? " · " + p.type : ""), data.metric);
        var points = withValue.map(function (t) {
          var x = xs.map(t.params[i]);
          if (xs.kind === "categorical") x += ((t.id * 7919) % 31 - 15) / 15 * Math.min(14, xs.band * 0.3);
          return { x: x, y: ys.map(t.value), color: colorFor(t.value), trial: t };
        }).filter(function (pt) { return isFinite(pt.x) && isFinite(pt.y); });
        dots(f.svg, points, 3);
        f.svg.setAttribute("data-marks", points.length);
        hover(f.svg, points);
      });
    }

    // ---- parameter importance (fANOVA, computed when the report was written) ----
    // Parameter indices, most important first (search-space order when importance is unknown).
    function paramsByImportance() {
      var order = [], imp = data.importance;
      if (imp && imp.items) imp.items.forEach(function (it) { var i = data.params.findIndex(function (p) { return p.name === it[0]; }); if (i >= 0) order.push(i); });
      data.params.forEach(function (p, i) { if (order.indexOf(i) < 0) order.push(i); });
      return order;
    }
    function importanceChart() {
      var container = document.getElementById("chart-importance"), imp = data.importance;
      if (!imp || !imp.items) { empty(container, imp && imp.error ? imp.error : "No parameter importance."); return; }
      document.getElementById("importance-info").textContent = "From " + imp.trials + " trial" + (imp.trials === 1 ? "" : "s") + (imp.leftOut ? "; left out: " + imp.leftOut : "") + ". Alone = the fraction of the forest's variance the parameter explains by itself; the rest is interactions.";
      var items = imp.items, rowH = 24;
      var f = frame(container, "importance", chartWidth(container), 24 + rowH * items.length + 36, { left: 180, right: 170, top: 12, bottom: 36 });
      var xs = makeScale("linear", [0, Math.max(1e-9, items[0][1])], f.x0, f.x1);
      xs.ticks = linearTicks(0, Math.max(1e-9, items[0][1]) * 1.05, 5).map(function (t) { return { at: f.x0 + t / (Math.max(1e-9, items[0][1]) * 1.05) * (f.x1 - f.x0), label: fmt(t) }; });
      var scaleX = function (v) { return f.x0 + v / (Math.max(1e-9, items[0][1]) * 1.05) * (f.x1 - f.x0); };
      axes(f, xs, { ticks: [] }, "importance (share of the main effects; sums to 1)", "");
      items.forEach(function (it, k) {
        var y = f.y1 + k * rowH + 3, w = Math.max(0.5, scaleX(it[1]) - f.x0);
        var bar = el("rect", { "class": "imp-bar", x: f.x0, y: y, width: w.toFixed(1), height: rowH - 6, fill: "#2a6fdb", "data-parameter": it[0] }, f.svg);
        var tip = el("title", null, bar); tip.textContent = it[0] + ": importance " + fmt(it[1]) + ", alone " + fmt(it[2]);
        var name = el("text", { x: f.x0 - 8, y: y + rowH / 2, "text-anchor": "end" }, f.svg); name.textContent = it[0].length > 26 ? it[0].slice(0, 25) + "…" : it[0];
        var value = el("text", { x: f.x0 + w + 6, y: y + rowH / 2 }, f.svg); value.textContent = fmt(+it[1].toFixed(4)) + " (alone " + fmt(+it[2].toFixed(4)) + ")";
      });
      f.svg.setAttribute("data-marks", items.length);
    }

    // ---- contours of the most important pairs: binned, each cell the best value in it ----
    var CONTOUR_BINS = 20;
    // Bin edges and a value → bin function for one axis (categories: one bin per category).
    function binner(p, i, pts) {
      var values = pts.map(function (t) { return t.params[i]; });
      var kind = p.scale;
      if (kind === "log" && values.some(function (v) { return typeof v !== "number" || !(v > 0); })) kind = "linear";
      if (kind !== "categorical" && values.some(function (v) { return typeof v !== "number"; })) kind = "categorical";
      if (kind === "categorical") {
        var cats = [], index = {};
        (p.cats || []).concat(values).forEach(function (v) { if (v === null) return; var k = String(v); if (!(k in index)) { index[k] = cats.length; cats.push(k); } });
        return { kind: kind, count: cats.length, cats: cats, bin: function (v) { var b = index[String(v)]; return b === undefined ? -1 : b; } };
      }
      var tr = kind === "log" ? Math.log10 : function (v) { return v; };
      var e = extent(values.map(function (v) { return typeof v === "number" && isFinite(v) ? tr(v) : null; })) || [0, 0];
      var n = e[1] > e[0] ? CONTOUR_BINS : 1;
      return { kind: kind, count: n, lo: e[0], hi: e[1],
               edge: function (k) { var u = e[0] + (e[1] - e[0]) * k / n; return kind === "log" ? Math.pow(10, u) : u; },
               bin: function (v) { if (typeof v !== "number" || !isFinite(v)) return -1; return n === 1 ? 0 : Math.min(n - 1, Math.max(0, Math.floor((tr(v) - e[0]) / (e[1] - e[0]) * n))); } };
    }
    function contourCharts() {
      var container = document.getElementById("chart-contour");
      if (data.params.length < 2) { empty(container, "Contours need at least two parameters."); return; }
      if (withValue.length === 0) { empty(container, "No trial has a finite " + data.metric + " value yet."); return; }
      var order = paramsByImportance(), pairs = [[order[0], order[1]]];
      if (order.length > 2) pairs.push([order[0], order[2]]);
      pairs.forEach(function (pair) {
        var pi = data.params[pair[0]], pj = data.params[pair[1]];
        var bx = binner(pi, pair[0], withValue), by = binner(pj, pair[1], withValue);
        var holder = html("div", null, container);
        var f = frame(holder, "contour-" + pi.name + "-" + pj.name, 560, 420, { left: 84, right: 16, top: 12, bottom: 46 });
        var xs = makeScale(bx.kind, withValue.map(function (t) { return t.params[pair[0]]; }), f.x0, f.x1, bx.cats);
        var ys = makeScale(by.kind, withValue.map(function (t) { return t.params[pair[1]]; }), f.y0, f.y1, by.cats);
        axes(f, xs, ys, pi.name + (xs.kind === "log" ? " (log scale)" : ""), pj.name + (ys.kind === "log" ? " (log scale)" : ""));
        var cells = {}, dotsD = "", drawn = 0;
        withValue.forEach(function (t) {
          var a = bx.bin(t.params[pair[0]]), b = by.bin(t.params[pair[1]]);
          if (a < 0 || b < 0) return;
          var key = a + "," + b;
          if (!(key in cells) || better(t.value, cells[key])) cells[key] = t.value;
          var x = xs.map(t.params[pair[0]]), y = ys.map(t.params[pair[1]]);
          if (isFinite(x) && isFinite(y)) { dotsD += "M" + x.toFixed(1) + " " + y.toFixed(1) + "h0.01"; drawn++; }
        });
        function span(binning, scale, k) {
          if (binning.kind === "categorical") { var c = scale.map(binning.cats[k]); return [c - scale.band / 2, c + scale.band / 2]; }
          if (binning.count === 1) { var m = scale.map(binning.edge(0)); return [m - 12, m + 12]; }
          return [scale.map(binning.edge(k)), scale.map(binning.edge(k + 1))];
        }
        var g = el("g", { "class": "cells" }, f.svg), count = 0;
        Object.keys(cells).forEach(function (key) {
          var ab = key.split(","), sx = span(bx, xs, +ab[0]), sy = span(by, ys, +ab[1]);
          var x0 = Math.min(sx[0], sx[1]), y0 = Math.min(sy[0], sy[1]);
          var r = el("rect", { "class": "cell", x: x0.toFixed(1), y: y0.toFixed(1), width: Math.max(1, Math.abs(sx[1] - sx[0])).toFixed(1), height: Math.max(1, Math.abs(sy[1] - sy[0])).toFixed(1), fill: colorFor(cells[key]) }, g);
          var tip = el("title", null, r); tip.textContent = "best " + data.metric + " in this cell: " + fmt(cells[key]);
          count++;
        });
        if (dotsD) el("path", { "class": "contour-dots", d: dotsD, stroke: "#1d2330", "stroke-width": 2.2, "stroke-linecap": "round", "stroke-opacity": 0.5, fill: "none" }, f.svg);
        f.svg.setAttribute("data-marks", count);
        f.svg.setAttribute("data-points", drawn);
      });
    }

    // ---- the Bayesian sampler's fitted length-scales ----
    function lengthScaleChart() {
      var container = document.getElementById("chart-length-scales"), ls = data.lengthScales;
      if (!ls.length) return;
      var rowH = 22, f = frame(container, "length-scales", chartWidth(container), 24 + rowH * ls.length + 40, { left: 180, right: 90, top: 12, bottom: 40 });
      var xs = makeScale("log", ls.map(function (x) { return x[1]; }).concat([1]), f.x0, f.x1);
      axes(f, xs, { ticks: [] }, "length-scale (unit-cube units, log scale) · fit for trial " + data.lengthScaleTrial, "");
      ls.forEach(function (item, k) {
        var y = f.y1 + k * rowH + 3, x = xs.map(item[1]);
        var bar = el("rect", { "class": "ls-bar", x: f.x0, y: y, width: Math.max(0.5, x - f.x0).toFixed(1), height: rowH - 6, fill: "#7a5af8" }, f.svg);
        var tip = el("title", null, bar); tip.textContent = item[0] + ": " + fmt(item[1]);
        var name = el("text", { x: f.x0 - 8, y: y + rowH / 2, "text-anchor": "end" }, f.svg); name.textContent = item[0];
        var value = el("text", { x: Math.max(f.x0, x) + 6, y: y + rowH / 2 }, f.svg); value.textContent = fmt(+item[1].toPrecision(3));
      });
      f.svg.setAttribute("data-marks", ls.length);
    }

    // ---- table ----
    var table = { sortKey: "id", ascending: true, page: 0, rows: trials };
    var columns = [
      { key: "id", title: "trial", num: true, get: function (t) { return t.id; } },
      { key: "status", title: "status", get: function (t) { return t.status; } },
      { key: "value", title: data.metric, num: true, get: function (t) { return t.value; } }
    ].concat(data.params.map(function (p, i) { return { key: "p" + i, title: p.name, num: p.scale !== "categorical", get: function (t) { return t.params[i]; } }; }))
     .concat([
      { key: "reports", title: "reports", num: true, get: function (t) { return t.curve.length; } },
      { key: "duration", title: "duration", num: true, get: function (t) { return t.duration; }, show: fmtDuration },
      { key: "reason", title: "reason", get: function (t) { return t.stopReason ? "stopped at report " + t.stopAt + ": " + t.stopReason : (t.reason || ""); } }
    ]);
    function compare(a, b) {
      if (a === null || a === undefined) return (b === null || b === undefined) ? 0 : 1;
      if (b === null || b === undefined) return -1;
      if (typeof a === "number" && typeof b === "number") return a - b;
      return String(a).localeCompare(String(b));
    }
    function applyTable() {
      var text = document.getElementById("table-filter").value.trim().toLowerCase();
      var status = document.getElementById("table-status").value;
      var col = columns.filter(function (c) { return c.key === table.sortKey; })[0];
      table.rows = trials.filter(function (t) {
        if (status && t.status !== status) return false;
        if (!text) return true;
        var hay = columns.map(function (c) { return c.title + "=" + (c.get(t) === null ? "" : c.get(t)); }).join(" ").toLowerCase();
        return text.split(/\s+/).every(function (w) { return hay.indexOf(w) >= 0; });
      });
      table.rows.sort(function (a, b) {
        var va = col.get(a), vb = col.get(b);
        var nullA = va === null || va === undefined, nullB = vb === null || vb === undefined;
        if (nullA || nullB) return nullA === nullB ? a.id - b.id : (nullA ? 1 : -1);  // missing values last either way
        var c = compare(va, vb); return (table.ascending ? c : -c) || a.id - b.id;
      });
      var pages = Math.max(1, Math.ceil(table.rows.length / data.pageSize));
      table.page = Math.min(table.page, pages - 1);
      drawTable(pages);
    }
    function drawTable(pages) {
      var tableEl = document.getElementById("trial-table"), body = tableEl.tBodies[0];
      tableEl.setAttribute("data-filtered-count", table.rows.length);
      body.textContent = "";
      var start = table.page * data.pageSize, slice = table.rows.slice(start, start + data.pageSize);
      slice.forEach(function (t) {
        var tr = html("tr", null, body, "trial-row" + (t.id === data.best ? " is-best" : ""));
        tr.setAttribute("data-trial", t.id);
        columns.forEach(function (c) {
          var v = c.get(t), td = html("td", null, tr, c.num ? "num" : (c.key === "reason" ? "reason" : ""));
          if (c.key === "status") { var b = html("span", v, td, "status"); b.style.background = STATUS_COLORS[v] || "#666"; }
          else td.textContent = c.show ? c.show(v) : (c.num ? fmt(v) : (v === null ? "–" : String(v)));
        });
        tr.addEventListener("click", function () { showTrial(t); });
      });
      if (slice.length === 0) { var tr = html("tr", null, body); var td = html("td", trials.length ? "No trial matches the filter." : "No trials yet.", tr); td.colSpan = columns.length; }
      document.getElementById("table-info").textContent = table.rows.length + " of " + trials.length + " trials · page " + (table.page + 1) + " of " + pages;
      document.getElementById("table-prev").disabled = table.page === 0;
      document.getElementById("table-next").disabled = table.page >= pages - 1;
      Array.prototype.forEach.call(tableEl.tHead.rows[0].cells, function (th, i) {
        th.textContent = columns[i].title + (columns[i].key === table.sortKey ? (table.ascending ? " ▲" : " ▼") : "");
      });
    }
    function showTrial(t) {
      var box = document.getElementById("trial-detail");
      box.textContent = "";
      html("b", "trial " + t.id + " — " + t.status, box);
      var lines = [data.metric + ": " + fmt(t.value) + " (" + t.curve.length + " reports" + (t.afterStop ? ", " + t.afterStop + " more after the stop" : "") + ")"];
      data.params.forEach(function (p, i) { lines.push(p.name + " = " + (t.params[i] === null ? "–" : String(t.params[i]))); });
      if (t.stopReason) lines.push("stopped by the policy at report " + t.stopAt + ": " + t.stopReason);
      if (t.reason) lines.push("reason: " + t.reason);
      if (t.command) lines.push("command: " + t.command);
      lines.push("folder: " + t.folder);
      lines.forEach(function (l) { html("div", l, box); });
      box.hidden = false;
    }
    function setupTable() {
      var head = document.getElementById("trial-table").tHead, tr = html("tr", null, head);
      columns.forEach(function (c) {
        var th = html("th", c.title, tr);
        th.addEventListener("click", function () {
          if (table.sortKey === c.key) table.ascending = !table.ascending; else { table.sortKey = c.key; table.ascending = c.key === "value" ? !maximize : true; }
          applyTable();
        });
      });
      var select = document.getElementById("table-status");
      Object.keys(STATUS_COLORS).forEach(function (s) {
        var n = trials.filter(function (t) { return t.status === s; }).length;
        if (n) { var o = html("option", s + " (" + n + ")", select); o.value = s; }
      });
      document.getElementById("table-filter").addEventListener("input", function () { table.page = 0; applyTable(); });
      select.addEventListener("change", function () { table.page = 0; applyTable(); });
      document.getElementById("table-prev").addEventListener("click", function () { table.page--; applyTable(); });
      document.getElementById("table-next").addEventListener("click", function () { table.page++; applyTable(); });
      applyTable();
    }

    var parts = [
      ["time chart", function () { valueChart("chart-time", "time", "start", "trial start (time since the first trial started)", true); }],
      ["index chart", function () { valueChart("chart-index", "index", "id", "trial", false); }],
      ["learning curves", curvesChart],
      ["importance chart", importanceChart],
      ["contour plots", contourCharts],
      ["parallel coordinates", parallelChart],
      ["slice plots", scatterCharts],
      ["length-scale chart", lengthScaleChart],
      ["trial table", setupTable]
    ];
    parts.forEach(function (part) {
      try { part[1](); } catch (e) { reportError(part[0] + ": " + (e && e.stack ? e.stack : e)); }
    });
    document.body.setAttribute("data-rendered", "true");
    })();
    """#
}
