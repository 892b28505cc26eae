// Entity page: co-mentioned entities as a small force-directed graph (SVG, no library).
// Data comes from the page's JSON twin; names are set with textContent, never parsed as HTML.
(function () {
  "use strict";
  var box = document.getElementById("graph");
  if (!box) { return; }
  var SVG = "http://www.w3.org/2000/svg";
  var COLOURS = {PER: "#1f6feb", ORG: "#8a3ffc", LOC: "#0a7f5a"};
  var LABELLED = 14;

  function el(name, attrs) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function buildGraph(profile) {
    var nodes = [{key: profile.key, name: profile.name, type: profile.type, documents: profile.documents, center: true}];
    profile.co_mentions.forEach(function (c) {
      nodes.push({key: c.key, name: c.name, type: c.type, documents: c.documents, center: false});
    });
    maxShared = Math.max.apply(null, [1].concat(profile.co_mentions.map(function (c) { return c.documents; })));
    nodes.forEach(function (n, i) { n.rank = i - 1; });   // co_mentions come most shared first
    var links = nodes.slice(1).map(function (n) { return {source: nodes[0], target: n, weight: n.documents / maxShared}; });
    // Edges between neighbours (named together in the same documents) pull less than those to the centre.
    var byKey = {};
    nodes.forEach(function (n) { byKey[n.key] = n; });
    (profile.co_mention_pairs || []).forEach(function (pair) {
      if (byKey[pair[0]] && byKey[pair[1]]) {
        links.push({source: byKey[pair[0]], target: byKey[pair[1]], weight: pair[2] / maxShared, minor: true});
      }
    });
    return {nodes: nodes, links: links};
  }

  function layout(graph, width, height, steps) {
    // Fruchterman–Reingold style: every pair repels, links pull, a weak pull keeps nodes in the box.
    var n = graph.nodes.length, k = Math.sqrt(width * height / Math.max(n, 1)) * 0.55;
    graph.nodes.forEach(function (node, i) {
      var angle = 2 * Math.PI * i / Math.max(n - 1, 1);
      node.x = node.center ? width / 2 : width / 2 + Math.cos(angle) * width / 3;
      node.y = node.center ? height / 2 : height / 2 + Math.sin(angle) * height / 3;
      node.vx = 0; node.vy = 0;
    });
    for (var step = 0; step < steps; step++) { tick(graph, width, height, k, 1 - step / steps); }
  }

  function tick(graph, width, height, k, heat) {
    var nodes = graph.nodes;
    nodes.forEach(function (a) { a.vx = 0; a.vy = 0; });
    for (var i = 0; i < nodes.length; i++) {
      for (var j = i + 1; j < nodes.length; j++) {
        var a = nodes[i], b = nodes[j], dx = a.x - b.x, dy = a.y - b.y, d2 = dx * dx + dy * dy + 0.01;
        var f = k * k / d2;
        a.vx += dx * f; a.vy += dy * f; b.vx -= dx * f; b.vy -= dy * f;
      }
    }
    graph.links.forEach(function (l) {
      var dx = l.target.x - l.source.x, dy = l.target.y - l.source.y, d = Math.sqrt(dx * dx + dy * dy) + 0.01;
      var want = k * (1.6 - l.weight), f = (d - want) / d * (l.minor ? 0.08 : 0.5);
      l.source.vx += dx * f; l.source.vy += dy * f; l.target.vx -= dx * f; l.target.vy -= dy * f;
    });
    nodes.forEach(function (a) {
      if (a.fixed) { return; }
      a.vx += (width / 2 - a.x) * 0.05; a.vy += (height / 2 - a.y) * 0.05;
      var speed = Math.sqrt(a.vx * a.vx + a.vy * a.vy) + 0.01, limit = 12 * heat + 0.5;
      a.x += a.vx / speed * Math.min(speed, limit);
      a.y += a.vy / speed * Math.min(speed, limit);
      // Margins leave room for the labels under the nodes.
      a.x = Math.max(70, Math.min(width - 70, a.x));
      a.y = Math.max(24, Math.min(height - 34, a.y));
    });
  }

  var maxShared = 1;
  function radius(node) { return node.center ? 16 : 4 + 9 * Math.sqrt(node.documents / maxShared); }

  function draw(graph, width, height) {
    var svg = el("svg", {viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": "co-mention graph"});
    var edges = graph.links.map(function (l) {
      var line = el("line", {"stroke-width": l.minor ? 0.5 + 2 * l.weight : 1 + 4 * l.weight,
                             "class": l.minor ? "minor" : "main"});
      svg.appendChild(line);
      return line;
    });
    var shapes = graph.nodes.map(function (node) {
      var g = el("g", {"class": "node" + (node.center ? " center" : ""), tabindex: "0"});
      g.appendChild(el("circle", {r: radius(node), fill: COLOURS[node.type] || "#777"}));
      if (node.center || node.rank < LABELLED) {   // the rest are named on hover, or the labels pile up
        var label = el("text", {dy: radius(node) + 12, "text-anchor": "middle"});
        label.textContent = node.name;
        g.appendChild(label);
      }
      var title = el("title");
      title.textContent = node.name + " (" + node.type + ") — " + node.documents + (node.center ? " documents" : " shared documents");
      g.appendChild(title);
      svg.appendChild(g);
      return g;
    });
    function place() {
      graph.links.forEach(function (l, i) {
        edges[i].setAttribute("x1", l.source.x); edges[i].setAttribute("y1", l.source.y);
        edges[i].setAttribute("x2", l.target.x); edges[i].setAttribute("y2", l.target.y);
      });
      graph.nodes.forEach(function (node, i) { shapes[i].setAttribute("transform", "translate(" + node.x + "," + node.y + ")"); });
    }
    place();
    enableDrag(svg, graph, shapes, place, width, height);
    box.textContent = "";
    box.appendChild(svg);
    box.setAttribute("data-nodes", String(graph.nodes.length));
  }

  function enableDrag(svg, graph, shapes, place, width, height) {
    var dragging = null, moved = false;
    function point(event) {
      var r = svg.getBoundingClientRect();
      return {x: (event.clientX - r.left) / r.width * width, y: (event.clientY - r.top) / r.height * height};
    }
    shapes.forEach(function (shape, i) {
      var node = graph.nodes[i];
      shape.addEventListener("pointerdown", function (event) {
        dragging = node; moved = false; node.fixed = true; shape.setPointerCapture(event.pointerId);
      });
      shape.addEventListener("pointermove", function (event) {
        if (dragging !== node) { return; }
        var p = point(event); node.x = p.x; node.y = p.y; moved = true;
        for (var t = 0; t < 3; t++) { tick(graph, width, height, Math.sqrt(width * height / graph.nodes.length) * 0.55, 0.2); }
        place();
      });
      shape.addEventListener("pointerup", function () {
        dragging = null;
        if (!moved && !node.center) { window.location.href = "/entities/" + encodeURIComponent(node.key); }
      });
      shape.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !node.center) { window.location.href = "/entities/" + encodeURIComponent(node.key); }
      });
    });
  }

  fetch(box.getAttribute("data-api"), {headers: {"Accept": "application/json"}})
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(function (profile) {
      var width = Math.max(box.clientWidth, 320), height = Math.max(box.clientHeight, 280);
      var graph = buildGraph(profile);
      layout(graph, width, height, 300);
      draw(graph, width, height);
    })
    .catch(function (err) { box.textContent = "graph unavailable (" + err.message + ")"; });
}());
