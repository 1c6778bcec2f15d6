/* graph: the network view. Tooltips, vis-network and its data sets, the seeded layout and
 * what is placed after it, the fading around a selection, and painting what is drawn.
 */
(function (app) {
  "use strict";

  var DATA = app.DATA;
  var ENT = app.ENT;
  var FACT = app.FACT;
  var TYPES = app.TYPES;
  var RELATIONS = app.RELATIONS;
  var KINDS = app.KINDS;
  var ENTITY_IDS = app.ENTITY_IDS;
  var FACT_IDS = app.FACT_IDS;
  var IN_PANEL = app.IN_PANEL;
  var MEMBERS = app.MEMBERS;
  var OWNER_IDS = app.OWNER_IDS;
  var FACTS_OF = app.FACTS_OF;
  var h = app.h;
  var label = app.label;
  var otherLabels = app.otherLabels;
  var t = app.t;
  var count = app.count;
  var truncate = app.truncate;
  var state = app.state;
  var drawn = app.drawn;
  var drawnAs = app.drawnAs;
  var nodeLabel = app.nodeLabel;
  var drawnLabel = app.drawnLabel;
  var arrowText = app.arrowText;
  var period = app.period;

  // --- tooltips (DOM elements: vis-network shows them as they are) ------------------------

  function nodeTip(id) {
    var e = ENT[id];
    var type = TYPES[e.type];
    return h("div", { class: "kg-tip" },
      h("strong", { text: e.label }),
      otherLabels(e.labels) ? h("div", { text: otherLabels(e.labels) }) : null,
      h("div", { class: "kg-tip-meta", text: label(type ? type.label : e.type_label, e.type) }),
      e.description ? h("div", { class: "kg-tip-text", text: truncate(e.description, 180) }) : null);
  }

  function edgeTip(id) {
    var f = FACT[id];
    var rel = RELATIONS[f.relation];
    return h("div", { class: "kg-tip" },
      h("strong", { text: ENT[f.subject].label + " " + arrowText(f) + " " + label(rel.label) + " " +
        arrowText(f) + " " + ENT[f.object].label }),
      otherLabels(rel.label) ? h("div", { text: otherLabels(rel.label) }) : null,
      h("div", { class: "kg-tip-meta" },
        f.kind === "claim" ? h("span", { class: "kg-claim", text: t("claim") }) : label(KINDS[f.kind].label),
        period(f) ? " · " + period(f) : "",
        " · " + count(f.sources.length, "source")));
  }

  function groupTip(group) {
    var counts = {};
    group.facts.forEach(function (fid) {
      var name = label(RELATIONS[FACT[fid].relation].label);
      counts[name] = (counts[name] || 0) + 1;
    });
    return h("div", { class: "kg-tip" },
      h("strong", { text: ENT[group.from].label + " — " + ENT[group.to].label }),
      h("div", { class: "kg-tip-meta", text: count(group.facts.length, "fact") + " " + t("betweenGroups") }),
      Object.keys(counts).sort().map(function (name) { return h("div", { text: name + ": " + counts[name] }); }));
  }

  // --- the network ------------------------------------------------------------------------

  var VIS_NODE = {};
  var VIS_EDGE = {};
  DATA.vis.nodes.forEach(function (n) { VIS_NODE[n.id] = n; });
  DATA.vis.edges.forEach(function (e) { VIS_EDGE[e.id] = e; });
  // While the layout runs, members are tied to their owner so that groups settle together.
  var LAYOUT_EDGES = [];
  ENTITY_IDS.forEach(function (id) {
    var owner = ENT[id].owner;
    if (owner && ENT[owner] && !IN_PANEL.has(ENT[id].type)) {
      LAYOUT_EDGES.push({ id: "layout:" + id, from: id, to: owner, hidden: true, length: 30, physics: true });
    }
  });

  var nodeData = new vis.DataSet(DATA.vis.nodes.map(function (n) {
    return Object.assign({}, n, { label: nodeLabel(n.id), title: nodeTip(n.id) });
  }));
  var edgeData = new vis.DataSet(DATA.vis.edges.map(function (e) {
    return Object.assign({}, e, { title: edgeTip(e.id) });
  }).concat(LAYOUT_EDGES));
  var nodeView = new vis.DataView(nodeData, { filter: function (n) {
    return app.ready ? drawn.nodes.has(n.id) : !IN_PANEL.has(ENT[n.id].type);
  } });
  var edgeView = new vis.DataView(edgeData, { filter: function (e) {
    if (!app.ready) { return !!VIS_EDGE[e.id] ? !IN_PANEL.has(ENT[FACT[e.id].subject].type) &&
      !IN_PANEL.has(ENT[FACT[e.id].object].type) : e.id.indexOf("layout:") === 0; }
    return drawn.facts.has(e.id) || !!drawn.groups[e.id];
  } });
  var container = app.byId("kg-graph");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, DATA.vis.options);

  /** Features go round the entity they belong to; entities without a line go in tidy rows below. */
  function placeAside(positions) {
    var ids = Object.keys(positions);
    var linked = {};
    DATA.vis.edges.forEach(function (e) {
      if (positions[e.from] && positions[e.to] && e.from !== e.to) { linked[e.from] = linked[e.to] = true; }
    });
    var xs = ids.map(function (id) { return positions[id].x; });
    var ys = ids.map(function (id) { return positions[id].y; });
    var left = xs.length ? Math.min.apply(null, xs) : 0;
    var right = xs.length ? Math.max.apply(null, xs) : 0;
    var bottom = ys.length ? Math.max.apply(null, ys) : 0;
    var loose = ids.filter(function (id) { return !linked[id]; }).sort();
    var perRow = Math.max(4, Math.floor((right - left) / 150) + 1);
    loose.forEach(function (id, i) {
      positions[id] = { x: left + (i % perRow) * 150, y: bottom + 140 + Math.floor(i / perRow) * 80 };
    });
    var around = {};
    ENTITY_IDS.forEach(function (id) {
      if (!IN_PANEL.has(ENT[id].type)) { return; }
      var anchor = null;
      FACTS_OF[id].forEach(function (fid) {
        var other = FACT[fid].subject === id ? FACT[fid].object : FACT[fid].subject;
        if (!anchor && positions[other]) { anchor = other; }
      });
      if (anchor) { (around[anchor] = around[anchor] || []).push(id); }
      else { loose.push(id); positions[id] = { x: left + ((loose.length - 1) % perRow) * 150,
        y: bottom + 140 + Math.floor((loose.length - 1) / perRow) * 80 }; }
    });
    Object.keys(around).sort().forEach(function (anchor) {
      var list = around[anchor];
      list.forEach(function (id, i) {
        var angle = 2 * Math.PI * i / list.length - Math.PI / 2;
        var radius = 70 + 6 * list.length;
        positions[id] = { x: positions[anchor].x + radius * Math.cos(angle),
          y: positions[anchor].y + radius * Math.sin(angle) };
      });
    });
    return positions;
  }

  /**
   * Push apart nodes whose labels would overlap: each label is taken as a box under its node
   * (its size estimated from the text), and overlapping pairs move away from each other along
   * the axis where they overlap least. A few rounds, in id order, so the result is the same
   * every time. Skipped on large pages, where labels are thinned out by zoom instead.
   */
  function spreadLabels(positions) {
    var ids = Object.keys(positions).sort().filter(function (id) { return !IN_PANEL.has(ENT[id].type); });
    if (ids.length > 300) { return positions; }
    var boxes = {};
    ids.forEach(function (id) {
      var lines = nodeLabel(id).split("\n");
      var longest = Math.max.apply(null, lines.map(function (l) { return l.length; }));
      boxes[id] = { w: Math.max(40, longest * 8 + 10), h: 18 * lines.length + 26 };
    });
    for (var round = 0; round < 40; round++) {
      var moved = false;
      for (var i = 0; i < ids.length; i++) {
        for (var j = i + 1; j < ids.length; j++) {
          var a = positions[ids[i]];
          var b = positions[ids[j]];
          var dx = b.x - a.x;
          var dy = b.y - a.y;
          var overlapX = (boxes[ids[i]].w + boxes[ids[j]].w) / 2 - Math.abs(dx);
          var overlapY = (boxes[ids[i]].h + boxes[ids[j]].h) / 2 - Math.abs(dy);
          if (overlapX <= 0 || overlapY <= 0) { continue; }
          moved = true;
          if (overlapX < overlapY) {
            var sx = (dx >= 0 ? 1 : -1) * (overlapX / 2 + 1);
            a.x -= sx; b.x += sx;
          } else {
            var sy = (dy >= 0 ? 1 : -1) * (overlapY / 2 + 1);
            a.y -= sy; b.y += sy;
          }
        }
      }
      if (!moved) { break; }
    }
    return positions;
  }

  /** After the seeded layout has settled: place the rest, freeze it (same data, same picture). */
  function finishLayout() {
    if (app.ready) { return; }
    network.setOptions({ physics: { enabled: false } });
    var positions = spreadLabels(placeAside(network.getPositions()));
    edgeData.remove(LAYOUT_EDGES.map(function (e) { return e.id; }));
    nodeData.update(Object.keys(positions).sort().map(function (id) {
      return { id: id, x: Math.round(positions[id].x * 100) / 100, y: Math.round(positions[id].y * 100) / 100 };
    }));
    app.ready = true;
    app.started();
    network.fit({ animation: false });
    document.documentElement.setAttribute("data-ready", "true");
  }

  network.once("stabilizationIterationsDone", function () { finishLayout(); });
  network.once("stabilized", function () { finishLayout(); });

  network.on("click", function (params) {
    if (params.nodes.length) { app.select({ kind: "entity", id: params.nodes[0] }); }
    else if (params.edges.length) {
      var id = params.edges[0];
      if (drawn.groups[id]) { app.select({ kind: "group", id: id }); } else { app.select({ kind: "fact", id: id }); }
    } else { app.select(null); }
  });
  network.on("doubleClick", function (params) {
    if (params.nodes.length && MEMBERS[params.nodes[0]]) { app.toggleGroup(params.nodes[0]); }
  });

  /** A soft disc behind each expanded group, so that products sit visibly with their company. */
  network.on("beforeDrawing", function (ctx) {
    if (!app.ready) { return; }
    OWNER_IDS.forEach(function (owner) {
      if (!drawn.nodes.has(owner) || state.collapsed.has(owner)) { return; }
      var at = network.getPositions([owner].concat(MEMBERS[owner]));
      var ids = [owner].concat(MEMBERS[owner]).filter(function (m) { return drawn.nodes.has(m) && at[m]; });
      if (ids.length < 2 || !at[owner]) { return; }
      var cx = 0;
      var cy = 0;
      ids.forEach(function (id) { cx += at[id].x; cy += at[id].y; });
      cx /= ids.length;
      cy /= ids.length;
      var radius = 0;
      ids.forEach(function (id) { radius = Math.max(radius, Math.hypot(at[id].x - cx, at[id].y - cy)); });
      ctx.beginPath();
      ctx.arc(cx, cy, radius + 30, 0, 2 * Math.PI);
      ctx.fillStyle = dimmed() && !dimmedKeep(owner) ? "rgba(78,121,167,0.015)" : "rgba(78,121,167,0.05)";
      ctx.strokeStyle = dimmed() && !dimmedKeep(owner) ? "rgba(78,121,167,0.08)" : "rgba(78,121,167,0.3)";
      ctx.lineWidth = 1;
      ctx.fill();
      ctx.stroke();
    });
  });

  // --- drawing what is in view ------------------------------------------------------------

  var FADED = 0.12;
  var focusSet = null;  // with a selection: the drawn nodes within one hop of it

  function dimmed() { return focusSet !== null; }
  function dimmedKeep(id) { return !focusSet || focusSet.has(id); }

  function computeFocus() {
    var target = state.selected;
    focusSet = null;
    if (!target) { return; }
    var center = null;
    if (target.kind === "entity") { center = drawnAs(target.id); }
    var keep = new Set();
    if (center && drawn.nodes.has(center)) {
      keep.add(center);
    } else if (target.kind === "fact" && drawn.facts.has(target.id)) {
      keep.add(FACT[target.id].subject);
      keep.add(FACT[target.id].object);
      focusSet = keep;
      return;
    } else if (target.kind === "group" && drawn.groups[target.id]) {
      keep.add(drawn.groups[target.id].from);
      keep.add(drawn.groups[target.id].to);
      focusSet = keep;
      return;
    } else {
      return;
    }
    drawn.facts.forEach(function (fid) {
      var f = FACT[fid];
      if (f.subject === center) { keep.add(f.object); }
      if (f.object === center) { keep.add(f.subject); }
    });
    Object.keys(drawn.groups).forEach(function (key) {
      var g = drawn.groups[key];
      if (g.from === center) { keep.add(g.to); }
      if (g.to === center) { keep.add(g.from); }
    });
    focusSet = keep;
  }

  function edgeEnds(id) {
    if (drawn.groups[id]) { return [drawn.groups[id].from, drawn.groups[id].to]; }
    return [FACT[id].subject, FACT[id].object];
  }

  function edgeKept(id) {
    if (!focusSet) { return true; }
    var ends = edgeEnds(id);
    var target = state.selected;
    if (target && target.kind !== "entity") { return target.id === id; }
    var center = drawnAs(target.id);
    return ends[0] === center || ends[1] === center;
  }

  // id -> {option: JSON} last given to vis-network: only options that change are sent again
  // (vis-network re-reads every option it is given, which is what costs on large pages).
  var painted = {};

  function changed(list, item) {
    var last = painted[item.id] || (painted[item.id] = {});
    var update = null;
    Object.keys(item).forEach(function (key) {
      if (key === "id") { return; }
      var value = JSON.stringify(item[key]);
      if (last[key] !== value) {
        last[key] = value;
        update = update || { id: item.id };
        update[key] = item[key];
      }
    });
    if (update) { list.push(update); }
  }

  /** Labels, sizes, fading and the lines that stand for groups, for what is drawn now. */
  function paint() {
    var groupIds = Object.keys(drawn.groups).sort();
    var stale = edgeData.getIds({ filter: function (e) { return e.id.indexOf("group:") === 0 && !drawn.groups[e.id]; } });
    stale.forEach(function (id) { delete painted[id]; });
    edgeData.remove(stale);
    var groupLines = [];
    groupIds.forEach(function (key) {
      var g = drawn.groups[key];
      var count = g.facts.length;
      changed(groupLines, { id: key, from: g.from, to: g.to, label: String(count),
        width: Math.min(1 + 1.5 * Math.log2(count + 1), 8), arrows: { to: { enabled: false } },
        color: { color: "#6b7280", highlight: "#111827", hover: "#111827", opacity: edgeKept(key) ? 1 : FADED },
        font: { size: 15, strokeWidth: 0, background: "#ffffff", color: "#111827", align: "middle" },
        smooth: { enabled: true, type: "continuous", roundness: 0.2 } });
    });
    groupIds.forEach(function (key) {
      var facts = drawn.groups[key].facts.join(" ");
      if (painted[key].facts === facts) { return; }
      painted[key].facts = facts;
      var line = groupLines.filter(function (l) { return l.id === key; })[0];
      if (!line) { line = { id: key }; groupLines.push(line); }
      line.title = groupTip(drawn.groups[key]);
    });
    edgeData.update(groupLines);
    var nodes = [];
    ENTITY_IDS.forEach(function (id) {
      if (!drawn.nodes.has(id) && painted[id]) { return; }  // restyled when it is drawn again
      var base = VIS_NODE[id];
      var keep = dimmedKeep(id);
      var collapsed = state.collapsed.has(id);
      changed(nodes, { id: id, label: drawnLabel(id), opacity: keep ? 1 : FADED,
        borderWidth: collapsed ? 4 : base.borderWidth,
        value: collapsed ? base.value + MEMBERS[id].length : base.value,
        font: Object.assign({}, base.font, { color: keep ? base.font.color : "rgba(90,90,90,0.25)" }) });
    });
    nodeData.update(nodes);
    var edges = [];
    FACT_IDS.forEach(function (id) {
      if (!drawn.facts.has(id) && painted[id]) { return; }
      var base = VIS_EDGE[id];
      var opacity = base.color.opacity;
      changed(edges, { id: id, label: state.edgeLabels ? label(RELATIONS[FACT[id].relation].label) : " ",
        color: Object.assign({}, base.color, { opacity: edgeKept(id) ? opacity : FADED * opacity }) });
    });
    edgeData.update(edges);
  }

  /** The hover boxes again, in the interface language (after it changes). */
  function retitle() {
    nodeData.update(DATA.vis.nodes.map(function (n) { return { id: n.id, title: nodeTip(n.id) }; }));
    edgeData.update(DATA.vis.edges.map(function (e) { return { id: e.id, title: edgeTip(e.id) }; }));
    Object.keys(painted).forEach(function (id) {
      if (id.indexOf("group:") === 0) { delete painted[id].facts; }  // paint() makes their boxes anew
    });
  }

  /** Refresh the views after a change (the filters read app.drawn). */
  function refreshViews() {
    nodeView.refresh();
    edgeView.refresh();
  }

  /** vis-network keeps a hover box up when its node disappears; take it down on every change. */
  function hideTooltip() {
    document.querySelectorAll("div.vis-tooltip").forEach(function (tip) { tip.style.visibility = "hidden"; });
  }

  app.VIS_EDGE = VIS_EDGE;
  app.FADED = FADED;
  app.network = network;
  app.nodeData = nodeData;
  app.edgeData = edgeData;
  app.graphBox = container;
  app.finishLayout = finishLayout;
  app.computeFocus = computeFocus;
  app.dimmedKeep = dimmedKeep;
  app.edgeKept = edgeKept;
  app.paint = paint;
  app.refreshViews = refreshViews;
  app.retitle = retitle;
  app.hideTooltip = hideTooltip;
}(app));
