"""One self-contained, offline HTML page for a drawing: pan, zoom, click a node for its facts.

The page holds everything it needs: the graph as JSON, a small force layout
and the SVG drawing code written here (no library, no CDN, no web font), and a
Content-Security-Policy that forbids any network fetch. Labels are inserted
with ``textContent``, never as HTML, and the JSON is escaped so that no
label can close the ``<script>`` element.

When the drawing is done the page sets ``data-rendered="true"`` on ``<body>``
(tests wait for it).

>>> from mxgraph.resolve import EntityRef
>>> from mxgraph.viz_graph import VizGraph, VizNode
>>> page = render_html(VizGraph("t", (VizNode(EntityRef.of("http://ex.org/a", "</script>"),
...                                            None),), ()), {}, "#eee")
>>> "</script>\\"" in page, "\\\\u003c/script\\\\u003e" in page
(False, True)
"""

from __future__ import annotations

import html
import json

from mxgraph.viz_graph import VizGraph

_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; connect-src 'none'; font-src 'none'; base-uri 'none'; form-action 'none'"
)


def graph_json(graph: VizGraph, colours: dict[str, str], other: str) -> dict[str, object]:
    """The data the page draws: nodes, edges and the legend."""
    return {
        "title": graph.title,
        "nodes": [
            {
                "id": node.iri,
                "label": node.label,
                "curie": node.ref.curie,
                "kind": node.kind.label if node.kind else "",
                "colour": colours.get(node.kind.iri, other) if node.kind else other,
                "types": [f"{t.label} ({t.curie})" for t in node.types],
                "facts": [[fact.property, fact.value] for fact in node.facts],
                "sources": list(node.sources),
                "center": node.center,
            }
            for node in graph.nodes
        ],
        "edges": [
            {"source": e.source, "target": e.target, "label": e.relation.label} for e in graph.edges
        ],
        "classes": [{"label": c.label, "colour": colours[c.iri]} for c in graph.classes()],
    }


def _script_json(data: object) -> str:
    """JSON safe inside ``<script>``: no ``<``, ``>`` or ``&`` that HTML could read."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def render_html(graph: VizGraph, colours: dict[str, str], other: str) -> str:
    """The page for ``graph``, node fills from ``colours`` (class IRI → colour) or ``other``."""
    data = _script_json(graph_json(graph, colours, other))
    return (
        _PAGE.replace("@@CSP@@", _CSP)
        .replace("@@TITLE@@", html.escape(graph.title))
        .replace("@@DATA@@", data)
    )


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="@@CSP@@">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@@TITLE@@</title>
<style>
  html, body { margin: 0; height: 100%; font-family: system-ui, sans-serif; color: #222; }
  body { display: flex; flex-direction: column; }
  header { padding: 8px 14px; border-bottom: 1px solid #ddd; background: #fafafa; }
  header h1 { font-size: 17px; margin: 0; }
  header p { margin: 2px 0 0; font-size: 12px; color: #666; }
  main { flex: 1; display: flex; min-height: 0; }
  #canvas { flex: 1; position: relative; min-width: 0; }
  #graph { width: 100%; height: 100%; display: block; cursor: grab; background: #fff; }
  #graph.dragging { cursor: grabbing; }
  .node rect { stroke: #555; stroke-width: 0.8; }
  .node.center rect { stroke-width: 2.5; }
  .node.selected rect { stroke: #d00; stroke-width: 3; }
  .node { cursor: pointer; }
  .node text { font-size: 11px; pointer-events: none; }
  .edge line { stroke: #888; stroke-width: 1; }
  .edge.lit line { stroke: #d00; stroke-width: 2; }
  .edge text { font-size: 8px; fill: #555; pointer-events: none; }
  #legend { position: absolute; left: 10px; bottom: 10px; background: rgba(255,255,255,.92);
            border: 1px solid #ccc; border-radius: 4px; padding: 6px 8px; font-size: 11px;
            max-height: 45%; overflow: auto; }
  #legend div { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
  #legend span.swatch { width: 14px; height: 10px; border: 1px solid #777; display: inline-block; }
  #details { width: 340px; border-left: 1px solid #ddd; padding: 10px 14px; overflow: auto;
             font-size: 13px; background: #fcfcfc; }
  #details h2 { font-size: 16px; margin: 4px 0; }
  #details h3 { font-size: 13px; margin: 12px 0 4px; color: #555; }
  #details code { font-size: 12px; color: #555; }
  #details table { border-collapse: collapse; width: 100%; }
  #details td { border-top: 1px solid #eee; padding: 3px 4px; vertical-align: top; }
  #details td:first-child { color: #666; white-space: nowrap; }
  #details blockquote { margin: 4px 0; padding: 4px 8px; border-left: 3px solid #8ecae6;
                        background: #f3f8fb; }
  #details ul { margin: 0; padding-left: 18px; }
</style>
</head>
<body>
<header>
  <h1 id="title"></h1>
  <p>Drag to pan, scroll to zoom, click a node to see its facts and source sentences.</p>
</header>
<main>
  <div id="canvas">
    <svg id="graph" xmlns="http://www.w3.org/2000/svg" role="img">
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7"
                markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#888"></path>
        </marker>
      </defs>
      <g id="viewport"><g id="edges"></g><g id="nodes"></g></g>
    </svg>
    <div id="legend"></div>
  </div>
  <aside id="details"><p>Click a node.</p></aside>
</main>
<script id="graph-data" type="application/json">@@DATA@@</script>
<script>
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var svg = document.getElementById("graph");
  var viewport = document.getElementById("viewport");
  var byId = {};
  data.nodes.forEach(function (n, i) { n.index = i; byId[n.id] = n; });
  var edges = data.edges.filter(function (e) { return byId[e.source] && byId[e.target]; });
  document.getElementById("title").textContent = data.title;

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }
  function html(name, text, parent) {
    var node = document.createElement(name);
    if (text !== undefined) { node.textContent = text; }
    if (parent) { parent.appendChild(node); }
    return node;
  }

  // Force layout: deterministic start (rings by index), then repulsion, springs, gravity.
  function layout(nodes, links) {
    var n = nodes.length;
    var centre = nodes.filter(function (d) { return d.center; })[0];
    nodes.forEach(function (d, i) {
      var angle = 2 * Math.PI * i / Math.max(1, n);
      var radius = 60 + 18 * Math.sqrt(n) * (1 + (i % 3) * 0.3);
      d.x = d === centre ? 0 : radius * Math.cos(angle);
      d.y = d === centre ? 0 : radius * Math.sin(angle);
    });
    var ideal = 110, iterations = n > 150 ? 220 : 320;
    for (var step = 0; step < iterations; step++) {
      var heat = 12 * (1 - step / iterations) + 0.5;
      var fx = new Float64Array(n), fy = new Float64Array(n);
      for (var a = 0; a < n; a++) {
        for (var b = a + 1; b < n; b++) {
          var dx = nodes[a].x - nodes[b].x, dy = nodes[a].y - nodes[b].y;
          var d2 = dx * dx + dy * dy + 0.01, force = ideal * ideal / d2;
          fx[a] += dx * force; fy[a] += dy * force; fx[b] -= dx * force; fy[b] -= dy * force;
        }
      }
      links.forEach(function (e) {
        var s = byId[e.source], t = byId[e.target];
        var dx = t.x - s.x, dy = t.y - s.y, d = Math.sqrt(dx * dx + dy * dy) + 0.01;
        var pull = (d - ideal) / d * 0.5;
        fx[s.index] += dx * pull; fy[s.index] += dy * pull;
        fx[t.index] -= dx * pull; fy[t.index] -= dy * pull;
      });
      nodes.forEach(function (d, i) {
        if (d === centre) { return; }
        fx[i] -= d.x * 0.02; fy[i] -= d.y * 0.02;
        var f = Math.sqrt(fx[i] * fx[i] + fy[i] * fy[i]) + 0.01;
        var move = Math.min(f, heat * 4) / f;
        d.x += fx[i] * move; d.y += fy[i] * move;
      });
    }
  }

  var edgeLayer = document.getElementById("edges"), nodeLayer = document.getElementById("nodes");
  var edgeViews = [];
  function draw() {
    edges.forEach(function (e) {
      var g = el("g", {"class": "edge"}, edgeLayer);
      var line = el("line", {"marker-end": "url(#arrow)"}, g);
      var label = el("text", {"text-anchor": "middle"}, g);
      label.textContent = e.label;
      edgeViews.push({edge: e, group: g, line: line, label: label});
    });
    data.nodes.forEach(function (d) {
      var g = el("g", {"class": "node" + (d.center ? " center" : ""), "data-iri": d.id,
                       "data-label": d.label, "tabindex": "0"}, nodeLayer);
      var rect = el("rect", {rx: 5, ry: 5, fill: d.colour}, g);
      var text = el("text", {"text-anchor": "middle", "dy": "0.35em"}, g);
      text.textContent = d.label.length > 40 ? d.label.slice(0, 38) + "…" : d.label;
      var title = el("title", {}, g);
      title.textContent = d.label + " (" + d.curie + ")" + (d.kind ? " — " + d.kind : "");
      var box = text.getBBox();
      d.w = box.width + 14; d.h = box.height + 8;
      rect.setAttribute("x", -d.w / 2); rect.setAttribute("y", -d.h / 2);
      rect.setAttribute("width", d.w); rect.setAttribute("height", d.h);
      g.setAttribute("transform", "translate(" + d.x + "," + d.y + ")");
      g.addEventListener("click", function (event) { event.stopPropagation(); select(d); });
      g.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { select(d); }
      });
      d.group = g;
    });
    edgeViews.forEach(function (v) {
      var s = byId[v.edge.source], t = byId[v.edge.target];
      var end = boxEdge(t, s), start = boxEdge(s, t);
      v.line.setAttribute("x1", start[0]); v.line.setAttribute("y1", start[1]);
      v.line.setAttribute("x2", end[0]); v.line.setAttribute("y2", end[1]);
      v.label.setAttribute("x", (s.x + t.x) / 2); v.label.setAttribute("y", (s.y + t.y) / 2 - 2);
    });
  }
  // Where the line from `from` towards `node` meets `node`'s box.
  function boxEdge(node, from) {
    var dx = from.x - node.x, dy = from.y - node.y;
    if (dx === 0 && dy === 0) { return [node.x, node.y]; }
    var sx = (node.w / 2) / Math.abs(dx || 1e-9), sy = (node.h / 2) / Math.abs(dy || 1e-9);
    var s = Math.min(sx, sy, 1);
    return [node.x + dx * s, node.y + dy * s];
  }

  var details = document.getElementById("details");
  var selected = null;
  function select(d) {
    if (selected) { selected.group.classList.remove("selected"); }
    selected = d;
    d.group.classList.add("selected");
    edgeViews.forEach(function (v) {
      v.group.classList.toggle("lit", v.edge.source === d.id || v.edge.target === d.id);
    });
    details.textContent = "";
    html("h2", d.label, details);
    html("code", d.curie, details);
    if (d.types.length) {
      html("h3", "Types", details);
      var types = html("ul", undefined, details);
      d.types.forEach(function (t) { html("li", t, types); });
    }
    if (d.facts.length) {
      html("h3", "Facts", details);
      var table = html("table", undefined, details);
      d.facts.forEach(function (f) {
        var row = html("tr", undefined, table);
        html("td", f[0], row); html("td", f[1], row);
      });
    }
    var related = edges.filter(function (e) { return e.source === d.id || e.target === d.id; });
    if (related.length) {
      html("h3", "Relations", details);
      var list = html("ul", undefined, details);
      related.forEach(function (e) {
        var out = e.source === d.id, other = byId[out ? e.target : e.source];
        html("li", (out ? "—" + e.label + "→ " : "←" + e.label + "— ") + other.label, list);
      });
    }
    html("h3", "Source sentences", details);
    if (d.sources.length) {
      d.sources.forEach(function (s) { html("blockquote", s, details); });
    } else {
      html("p", "(none cited)", details);
    }
  }

  // Pan (drag the background) and zoom (wheel, around the pointer).
  var view = {x: 0, y: 0, k: 1};
  function apply() {
    viewport.setAttribute("transform",
      "translate(" + view.x + "," + view.y + ") scale(" + view.k + ")");
  }
  function fit() {
    var box = viewport.getBBox(), width = svg.clientWidth || 800, height = svg.clientHeight || 600;
    if (!box.width || !box.height) { return; }
    view.k = Math.min(2, 0.95 * Math.min(width / box.width, height / box.height));
    view.x = width / 2 - view.k * (box.x + box.width / 2);
    view.y = height / 2 - view.k * (box.y + box.height / 2);
    apply();
  }
  var drag = null;
  svg.addEventListener("mousedown", function (event) {
    drag = {x: event.clientX - view.x, y: event.clientY - view.y};
    svg.classList.add("dragging");
  });
  window.addEventListener("mousemove", function (event) {
    if (!drag) { return; }
    view.x = event.clientX - drag.x; view.y = event.clientY - drag.y; apply();
  });
  window.addEventListener("mouseup", function () {
    drag = null; svg.classList.remove("dragging");
  });
  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    var rect = svg.getBoundingClientRect(), px = event.clientX - rect.left,
        py = event.clientY - rect.top, factor = Math.exp(-event.deltaY * 0.0015);
    var k = Math.max(0.05, Math.min(8, view.k * factor));
    view.x = px - (px - view.x) * (k / view.k); view.y = py - (py - view.y) * (k / view.k);
    view.k = k; apply();
  }, {passive: false});

  var legend = document.getElementById("legend");
  html("strong", "classes", legend);
  data.classes.forEach(function (c) {
    var row = html("div", undefined, legend);
    var swatch = html("span", undefined, row);
    swatch.className = "swatch"; swatch.style.background = c.colour;
    html("span", c.label, row);
  });

  layout(data.nodes, edges);
  draw();
  fit();
  window.addEventListener("resize", fit);
  document.body.setAttribute("data-rendered", "true");
})();
</script>
</body>
</html>
"""
