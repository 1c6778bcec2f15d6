/* pictures: PNG and SVG of the current tab as drawn now, made in the page (a scene of
 * lines, shapes and text, written to an SVG document or a canvas; text only as text).
 */
(function (app) {
  "use strict";

  var ENT = app.ENT;
  var FACT = app.FACT;
  var TYPES = app.TYPES;
  var h = app.h;
  var byId = app.byId;
  var state = app.state;
  var drawn = app.drawn;
  var drawnLabel = app.drawnLabel;
  var network = app.network;
  var VIS_EDGE = app.VIS_EDGE;
  var FADED = app.FADED;
  var edgeKept = app.edgeKept;
  var dimmedKeep = app.dimmedKeep;
  var mapModel = app.mapModel;
  var segmentTitle = app.segmentTitle;

  var SVG_NS = "http://www.w3.org/2000/svg";

  /** The graph as drawn now: lines, nodes and labels in page coordinates. */
  function graphScene() {
    var at = network.getPositions(Array.from(drawn.nodes));
    var ids = Array.from(drawn.nodes).filter(function (id) { return at[id]; }).sort();
    var items = [];
    var xs = ids.map(function (id) { return at[id].x; });
    var ys = ids.map(function (id) { return at[id].y; });
    var pad = 90;
    var left = (xs.length ? Math.min.apply(null, xs) : 0) - pad;
    var top = (ys.length ? Math.min.apply(null, ys) : 0) - pad;
    var width = (xs.length ? Math.max.apply(null, xs) : 0) - left + pad;
    var height = (ys.length ? Math.max.apply(null, ys) : 0) - top + pad;
    function p(id) { return { x: at[id].x - left, y: at[id].y - top }; }
    Array.from(drawn.facts).sort().forEach(function (fid) {
      var f = FACT[fid];
      var a = p(f.subject);
      var b = p(f.object);
      items.push({ t: "line", x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: VIS_EDGE[fid].color.color,
        width: VIS_EDGE[fid].width, dash: VIS_EDGE[fid].dashes, opacity: edgeKept(fid) ? VIS_EDGE[fid].color.opacity : FADED });
    });
    Object.keys(drawn.groups).sort().forEach(function (key) {
      var g = drawn.groups[key];
      var a = p(g.from);
      var b = p(g.to);
      items.push({ t: "line", x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: "#6b7280",
        width: Math.min(1 + 1.5 * Math.log2(g.facts.length + 1), 8), opacity: edgeKept(key) ? 1 : FADED });
      items.push({ t: "text", x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 + 4, text: String(g.facts.length), size: 12,
        fill: "#111827", anchor: "middle", halo: true });
    });
    ids.forEach(function (id) {
      var type = TYPES[ENT[id].type];
      var c = p(id);
      var opacity = dimmedKeep(id) ? 1 : FADED;
      var radius = state.collapsed.has(id) ? 16 : 10;
      items.push({ t: type && type.shape === "box" ? "rect" : "circle", x: c.x - radius, y: c.y - radius,
        w: 2 * radius, h: 2 * radius, cx: c.x, cy: c.y, r: radius, fill: type ? type.color : "#999",
        stroke: "#333333", opacity: opacity });
      drawnLabel(id).split("\n").forEach(function (line, i) {
        items.push({ t: "text", x: c.x, y: c.y + radius + 14 + 14 * i, text: line, size: 12,
          fill: "#222222", anchor: "middle", halo: true, opacity: opacity });
      });
    });
    return { width: Math.max(width, 200), height: Math.max(height, 100), items: items };
  }

  /** The market map as columns of tiles. */
  function mapScene() {
    var model = mapModel();
    var colWidth = 210;
    var gap = 12;
    var items = [];
    var heights = [];
    items.push({ t: "text", x: gap, y: 22, text: app.mapTitle(), size: 15, fill: "#1f2328", weight: "bold" });
    var headerTop = 40;
    // Segment names wrap within their column, clear of the count at its right; the tiles of
    // every column start below the tallest header.
    var headers = model.map(function (seg) { return wrap(segmentTitle(seg), colWidth - 34, 12); });
    var headerLines = Math.max.apply(null, headers.map(function (lines) { return lines.length; }).concat([1]));
    model.forEach(function (seg, col) {
      var x = gap + col * (colWidth + gap);
      var y = headerTop;
      headers[col].forEach(function (line, i) {
        items.push({ t: "text", x: x, y: y + 14 + 15 * i, text: line, size: 12, fill: "#5b6470", weight: "bold" });
      });
      items.push({ t: "text", x: x + colWidth, y: y + 14, text: String(seg.tiles.length), size: 12, fill: "#1f2328",
        weight: "bold", anchor: "end" });
      y += 10 + 15 * headerLines;
      seg.tiles.forEach(function (tile) {
        var lines = [{ text: tile.lines[0], size: 13, fill: "#1f2328", weight: "bold" }];
        if (tile.lines[1]) { lines.push({ text: tile.lines[1], size: 12, fill: "#5b6470" }); }
        if (tile.owner) { lines.push({ text: app.t("by", { owner: tile.owner }), size: 11, fill: "#5b6470" }); }
        if (tile.start) { lines.push({ text: tile.start, size: 10, fill: "#5b6470" }); }
        tile.badges.forEach(function (badge) {
          // Wrapped, not cut: a badge's end says whether it is a claim.
          wrap(badge.text, colWidth - 26, 10).forEach(function (part, i) {
            lines.push({ text: (i ? "  " : "• ") + part, size: 10,
              fill: badge.kind === "absence" ? "#8a3b12" : badge.claim ? "#b5491b" : "#35506f" });
          });
        });
        var tileHeight = 10 + lines.reduce(function (n, l) { return n + l.size + 4; }, 0);
        var type = TYPES[ENT[tile.id].type];
        items.push({ t: "rect", x: x, y: y, w: colWidth, h: tileHeight, fill: "#ffffff", stroke: "#d8dde3" });
        items.push({ t: "rect", x: x, y: y, w: 4, h: tileHeight, fill: type ? type.color : "#999" });
        var ty = y + 4;
        lines.forEach(function (l) {
          ty += l.size + 4;
          items.push({ t: "text", x: x + 10, y: ty - 3, text: l.text, size: l.size, fill: l.fill, weight: l.weight });
        });
        y += tileHeight + 6;
      });
      heights.push(y);
    });
    return { width: gap + model.length * (colWidth + gap), height: Math.max.apply(null, heights.concat([80])) + gap,
      items: items };
  }

  /** Text broken into lines of at most `width` pixels at `size` (widths estimated: CJK full). */
  function wrap(text, width, size) {
    function measure(s) {
      var w = 0;
      Array.from(s).forEach(function (c) { w += c.charCodeAt(0) >= 0x2E80 ? size : size * 0.62; });
      return w;
    }
    var words = text.split(/(\s+)/).filter(function (w) { return w.length; });
    var lines = [];
    var line = "";
    words.forEach(function (word) {
      var next = line + word;
      if (line.trim() && measure(next.trim()) > width) { lines.push(line.trim()); line = word.trim() ? word : ""; }
      else { line = next; }
      while (measure(line.trim()) > width && Array.from(line.trim()).length > 1) {  // one long word: cut it
        var chars = Array.from(line.trim());
        var cut = chars.length - 1;
        while (cut > 1 && measure(chars.slice(0, cut).join("")) > width) { cut--; }
        lines.push(chars.slice(0, cut).join(""));
        line = chars.slice(cut).join("");
      }
    });
    if (line.trim()) { lines.push(line.trim()); }
    return lines.length ? lines : [""];
  }

  function svgOf(scene) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("xmlns", SVG_NS);
    svg.setAttribute("width", String(Math.ceil(scene.width)));
    svg.setAttribute("height", String(Math.ceil(scene.height)));
    svg.setAttribute("viewBox", "0 0 " + Math.ceil(scene.width) + " " + Math.ceil(scene.height));
    svg.setAttribute("font-family", "system-ui, sans-serif");
    function el(name, attrs) {
      var node = document.createElementNS(SVG_NS, name);
      Object.keys(attrs).forEach(function (key) {
        if (attrs[key] !== null && attrs[key] !== undefined) { node.setAttribute(key, String(attrs[key])); }
      });
      svg.appendChild(node);
      return node;
    }
    el("rect", { x: 0, y: 0, width: Math.ceil(scene.width), height: Math.ceil(scene.height), fill: "#ffffff" });
    scene.items.forEach(function (it) {
      var opacity = it.opacity === undefined || it.opacity === 1 ? null : it.opacity;
      if (it.t === "line") {
        el("line", { x1: r2(it.x1), y1: r2(it.y1), x2: r2(it.x2), y2: r2(it.y2), stroke: it.stroke,
          "stroke-width": it.width || 1, "stroke-dasharray": it.dash ? "6 4" : null, opacity: opacity });
      } else if (it.t === "rect") {
        el("rect", { x: r2(it.x), y: r2(it.y), width: r2(it.w), height: r2(it.h), fill: it.fill,
          stroke: it.stroke || null, rx: 3, opacity: opacity });
      } else if (it.t === "circle") {
        el("circle", { cx: r2(it.cx), cy: r2(it.cy), r: it.r, fill: it.fill, stroke: it.stroke || null, opacity: opacity });
      } else {
        var text = el("text", { x: r2(it.x), y: r2(it.y), "font-size": it.size, fill: it.fill,
          "font-weight": it.weight || null, "text-anchor": it.anchor || null, opacity: opacity,
          stroke: it.halo ? "#ffffff" : null, "stroke-width": it.halo ? 3 : null,
          "paint-order": it.halo ? "stroke" : null });
        text.textContent = it.text;
      }
    });
    return new XMLSerializer().serializeToString(svg);
  }

  function r2(value) { return Math.round(value * 100) / 100; }

  function canvasOf(scene) {
    var scale = 2;
    var canvas = document.createElement("canvas");
    canvas.width = Math.ceil(scene.width * scale);
    canvas.height = Math.ceil(scene.height * scale);
    var ctx = canvas.getContext("2d");
    ctx.scale(scale, scale);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, scene.width, scene.height);
    scene.items.forEach(function (it) {
      ctx.globalAlpha = it.opacity === undefined ? 1 : it.opacity;
      if (it.t === "line") {
        ctx.beginPath();
        ctx.setLineDash(it.dash ? [6, 4] : []);
        ctx.strokeStyle = it.stroke;
        ctx.lineWidth = it.width || 1;
        ctx.moveTo(it.x1, it.y1);
        ctx.lineTo(it.x2, it.y2);
        ctx.stroke();
        ctx.setLineDash([]);
      } else if (it.t === "rect" || it.t === "circle") {
        ctx.beginPath();
        if (it.t === "rect") { ctx.rect(it.x, it.y, it.w, it.h); } else { ctx.arc(it.cx, it.cy, it.r, 0, 2 * Math.PI); }
        ctx.fillStyle = it.fill;
        ctx.fill();
        if (it.stroke) { ctx.strokeStyle = it.stroke; ctx.lineWidth = 1; ctx.stroke(); }
      } else {
        ctx.font = (it.weight ? it.weight + " " : "") + it.size + "px system-ui, sans-serif";
        ctx.textAlign = it.anchor === "middle" ? "center" : it.anchor === "end" ? "right" : "left";
        if (it.halo) { ctx.strokeStyle = "#ffffff"; ctx.lineWidth = 3; ctx.strokeText(it.text, it.x, it.y); }
        ctx.fillStyle = it.fill;
        ctx.fillText(it.text, it.x, it.y);
      }
    });
    return canvas;
  }

  /** The current tab as an image: SVG markup, or a PNG as a data: URL. */
  function image(format) {
    if (format !== "png" && format !== "svg") { throw new Error("kg.image: format is 'png' or 'svg'"); }
    var scene = state.tab === "map" ? mapScene() : graphScene();
    return format === "svg" ? svgOf(scene) : canvasOf(scene).toDataURL("image/png");
  }

  function download(format) {
    var data = image(format);
    var blob;
    if (format === "svg") {
      blob = new Blob([data], { type: "image/svg+xml" });
    } else {
      var bytes = atob(data.split(",")[1]);
      var buffer = new Uint8Array(bytes.length);
      for (var i = 0; i < bytes.length; i++) { buffer[i] = bytes.charCodeAt(i); }
      blob = new Blob([buffer], { type: "image/png" });
    }
    var url = URL.createObjectURL(blob);
    var link = h("a", { href: url, download: "ai-video-kg-" + state.tab + (state.date ? "-" + state.date : "") + "." + format });
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }
  byId("kg-png").addEventListener("click", function () { download("png"); });
  byId("kg-svg").addEventListener("click", function () { download("svg"); });
  byId("kg-print").addEventListener("click", function () { window.print(); });

  app.image = image;
  app.download = download;
}(app));
