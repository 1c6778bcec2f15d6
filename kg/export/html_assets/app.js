/* The page's behaviour: legend and toggles, search, date control, details panel.
 *
 * Every string that comes from the data reaches the document through
 * textContent (or as a DOM element handed to vis-network), never as markup.
 * The state is exposed as window.kg for scripting and testing.
 */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var ENT = DATA.entities;
  var FACT = DATA.facts;
  var SOURCES = DATA.sources;
  var LANGS = DATA.languages;
  var TYPES = {};
  var RELATIONS = {};
  var KINDS = {};
  DATA.types.forEach(function (t) { TYPES[t.id] = t; });
  DATA.relations.forEach(function (r) { RELATIONS[r.id] = r; });
  DATA.kinds.forEach(function (k) { KINDS[k.id] = k; });
  var ENTITY_IDS = Object.keys(ENT).sort();
  var FACT_IDS = Object.keys(FACT).sort();
  var DAYS = DATA.dates;
  var INITIAL_DATE = DATA.view.as_of || "";
  var LANGUAGE_NAMES = { "en": "English", "zh-Hans": "简体中文", "zh-Hant": "繁體中文" };
  var DEFAULT_LABELS = LANGS.length > 1 ? LANGS[0] + "+" + LANGS[1] : LANGS[0];

  // --- small helpers ----------------------------------------------------------------------

  /** An element; string children become text nodes, never markup. */
  function h(tag, props) {
    var node = document.createElement(tag);
    var key;
    props = props || {};
    for (key in props) {
      if (!Object.prototype.hasOwnProperty.call(props, key)) { continue; }
      var value = props[key];
      if (value === null || value === undefined || value === false) { continue; }
      if (key === "class") { node.className = value; }
      else if (key === "text") { node.textContent = String(value); }
      else if (key === "style") { Object.assign(node.style, value); }
      else if (key === "data") { Object.assign(node.dataset, value); }
      else if (key.slice(0, 2) === "on") { node.addEventListener(key.slice(2), value); }
      else { node.setAttribute(key, value === true ? "" : String(value)); }
    }
    for (var i = 2; i < arguments.length; i++) { append(node, arguments[i]); }
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) { return; }
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function byId(id) { return document.getElementById(id); }

  function label(map, fallback) { return (map && (map.en || map[LANGS[0]])) || fallback || ""; }

  /** The other-language labels that differ from the English one, joined. */
  function otherLabels(map) {
    var en = label(map);
    var seen = {};
    var out = [];
    LANGS.forEach(function (lang) {
      var text = map && map[lang];
      if (text && text !== en && !seen[text]) { seen[text] = true; out.push(text); }
    });
    return out.join(" · ");
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  function truncate(text, size) { return text.length > size ? text.slice(0, size - 1) + "…" : text; }

  // --- name folding, as kg.resolve.normalize does it -------------------------------------

  var DROP = /[\p{Zs}\p{Pd}\p{Pc}\p{Po}\p{Ps}\p{Pe}\p{Pi}\p{Pf}]/gu;
  var MARKS = /\p{Mn}/gu;

  /** Case, width, accents, traditional→simplified (table from the data), spacing. */
  function fold(text) {
    var t = String(text).normalize("NFKC").toLowerCase().replace(/ß/g, "ss");
    t = Array.from(t, function (c) { return DATA.fold[c] || c; }).join("");
    t = t.normalize("NFKD").replace(MARKS, "").replace(DROP, "");
    return t.normalize("NFC");
  }

  function search(query) {
    var q = fold(query);
    var raw = String(query).trim().toLowerCase();
    if (!q && !raw) { return []; }
    var hits = [];
    ENTITY_IDS.forEach(function (id) {
      var e = ENT[id];
      var best = 0;
      var matched = "";
      e.folded.forEach(function (folded, i) {
        var score = 0;
        if (q && folded === q) { score = 100; }
        else if (q && folded.indexOf(q) === 0) { score = 95; }
        else if (q && folded.indexOf(q) > 0) { score = 90; }
        else if (raw && e.names[i].toLowerCase().indexOf(raw) >= 0) { score = 85; }
        if (score > best) { best = score; matched = e.names[i]; }
      });
      if (best) { hits.push({ id: id, score: best, matched: matched }); }
    });
    hits.sort(function (a, b) { return b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0); });
    return hits.slice(0, 12);
  }

  // --- what is in view --------------------------------------------------------------------

  var IN_PANEL = new Set(DATA.grouping.in_panel);
  var MEMBERS = {};  // owner id -> ids of the entities drawn with it (sorted)
  ENTITY_IDS.forEach(function (id) {
    var owner = ENT[id].owner;
    if (owner && ENT[owner]) { (MEMBERS[owner] = MEMBERS[owner] || []).push(id); }
  });
  var OWNER_IDS = Object.keys(MEMBERS).sort();
  var FACTS_OF = {};  // entity id -> ids of its facts, either way
  ENTITY_IDS.forEach(function (id) { FACTS_OF[id] = []; });
  FACT_IDS.forEach(function (fid) {
    FACTS_OF[FACT[fid].subject].push(fid);
    if (FACT[fid].object !== FACT[fid].subject) { FACTS_OF[FACT[fid].object].push(fid); }
  });

  var state = {
    types: new Set(DATA.types.map(function (t) { return t.id; })),
    relations: new Set(DATA.relations.map(function (r) { return r.id; })),
    kinds: new Set(DATA.kinds.map(function (k) { return k.id; })),
    date: INITIAL_DATE,
    labels: DEFAULT_LABELS,
    edgeLabels: false,
    selected: null,
    collapsed: new Set(),
    features: false,   // draw the entities of `in_panel` types (otherwise listed in the panel)
    isolated: true,    // draw entities that have no line in view
    tab: "graph"
  };

  /** An entity exists from its `from` day (its founding, or its first dated fact), if it has one. */
  function existsOn(entity, day) { return !day || !entity.from || entity.from <= day; }

  function validOn(fact, day) {
    return !day || ((!fact.start || fact.start <= day) && (!fact.end || fact.end >= day));
  }

  /** In view: of a ticked type and existing on the date (drawn or not). */
  function nodeShown(id) {
    var e = ENT[id];
    return !!e && state.types.has(e.type) && existsOn(e, state.date);
  }

  /** In view: of a ticked relation and kind, valid on the date, between entities in view. */
  function edgeShown(id) {
    var f = FACT[id];
    return !!f && state.relations.has(f.relation) && state.kinds.has(f.kind) &&
      validOn(f, state.date) && nodeShown(f.subject) && nodeShown(f.object) &&
      f.reference_ends.every(function (end) { return !ENT[end] || existsOn(ENT[end], state.date); });
  }

  /** The node an entity is drawn as: itself, its collapsed owner, or none (listed in a panel). */
  function drawnAs(id) {
    if (!nodeShown(id)) { return null; }
    if (IN_PANEL.has(ENT[id].type) && !state.features) { return null; }
    var owner = ENT[id].owner;
    if (owner && state.collapsed.has(owner) && nodeShown(owner)) { return owner; }
    return id;
  }

  // What is drawn, recomputed by apply(): node ids, fact ids drawn as themselves, and the
  // lines that stand for several facts between a collapsed group and another node.
  var drawn = { nodes: new Set(), facts: new Set(), groups: {} };

  function groupEdgeId(a, b) { return "group:" + (a < b ? a + "|" + b : b + "|" + a); }

  function computeDrawn() {
    var nodes = new Set();
    var facts = new Set();
    var groups = {};
    var degree = {};
    ENTITY_IDS.forEach(function (id) { if (drawnAs(id) === id) { nodes.add(id); } });
    FACT_IDS.forEach(function (fid) {
      if (!edgeShown(fid)) { return; }
      var f = FACT[fid];
      var from = drawnAs(f.subject);
      var to = drawnAs(f.object);
      if (!from || !to || from === to) { return; }
      degree[from] = (degree[from] || 0) + 1;
      degree[to] = (degree[to] || 0) + 1;
      if (from === f.subject && to === f.object) { facts.add(fid); return; }
      var key = groupEdgeId(from, to);
      if (!groups[key]) { groups[key] = { id: key, from: from < to ? from : to, to: from < to ? to : from, facts: [] }; }
      groups[key].facts.push(fid);
    });
    if (!state.isolated) {
      nodes.forEach(function (id) { if (!degree[id]) { nodes.delete(id); } });
    }
    drawn = { nodes: nodes, facts: facts, groups: groups };
  }

  function nodeLabel(id) {
    var e = ENT[id];
    var mode = state.labels;
    var text;
    if (mode.indexOf("+") > 0) {
      var parts = mode.split("+");
      var first = e.labels[parts[0]] || e.label;
      var second = e.labels[parts[1]];
      text = second && second !== first ? first + "\n" + second : first;
    } else {
      text = e.labels[mode] || e.label;
    }
    return text;
  }

  function drawnLabel(id) {
    if (!state.collapsed.has(id)) { return nodeLabel(id); }
    var hidden = MEMBERS[id].filter(function (m) { return drawnAs(m) === id; }).length;
    return nodeLabel(id) + "\n[+" + hidden + "]";
  }

  function relationPhrase(fact, fromSubject) {
    var rel = RELATIONS[fact.relation];
    if (rel.symmetric || fromSubject) { return label(rel.label, fact.relation); }
    return label(rel.inverse_label, "") || label(rel.label, fact.relation);
  }

  function arrowText(fact) { return RELATIONS[fact.relation].symmetric ? "—" : "→"; }

  function period(item) {
    if (item.since && item.until) { return item.since + " – " + item.until; }
    if (item.since) { return "since " + item.since; }
    if (item.until) { return "until " + item.until; }
    return "";
  }

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
        f.kind === "claim" ? h("span", { class: "kg-claim", text: "claim" }) : label(KINDS[f.kind].label),
        period(f) ? " · " + period(f) : "",
        " · " + plural(f.sources.length, "source", "sources")));
  }

  function groupTip(group) {
    var counts = {};
    group.facts.forEach(function (fid) {
      var name = label(RELATIONS[FACT[fid].relation].label);
      counts[name] = (counts[name] || 0) + 1;
    });
    return h("div", { class: "kg-tip" },
      h("strong", { text: ENT[group.from].label + " — " + ENT[group.to].label }),
      h("div", { class: "kg-tip-meta", text: plural(group.facts.length, "fact", "facts") + " between the groups" }),
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

  var ready = false;
  var nodeData = new vis.DataSet(DATA.vis.nodes.map(function (n) {
    return Object.assign({}, n, { label: nodeLabel(n.id), title: nodeTip(n.id) });
  }));
  var edgeData = new vis.DataSet(DATA.vis.edges.map(function (e) {
    return Object.assign({}, e, { title: edgeTip(e.id) });
  }).concat(LAYOUT_EDGES));
  var nodeView = new vis.DataView(nodeData, { filter: function (n) {
    return ready ? drawn.nodes.has(n.id) : !IN_PANEL.has(ENT[n.id].type);
  } });
  var edgeView = new vis.DataView(edgeData, { filter: function (e) {
    if (!ready) { return !!VIS_EDGE[e.id] ? !IN_PANEL.has(ENT[FACT[e.id].subject].type) &&
      !IN_PANEL.has(ENT[FACT[e.id].object].type) : e.id.indexOf("layout:") === 0; }
    return drawn.facts.has(e.id) || !!drawn.groups[e.id];
  } });
  var container = byId("kg-graph");
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
    if (ready) { return; }
    network.setOptions({ physics: { enabled: false } });
    var positions = spreadLabels(placeAside(network.getPositions()));
    edgeData.remove(LAYOUT_EDGES.map(function (e) { return e.id; }));
    nodeData.update(Object.keys(positions).sort().map(function (id) {
      return { id: id, x: Math.round(positions[id].x * 100) / 100, y: Math.round(positions[id].y * 100) / 100 };
    }));
    ready = true;
    started();
    network.fit({ animation: false });
    document.documentElement.setAttribute("data-ready", "true");
  }

  network.once("stabilizationIterationsDone", function () { finishLayout(); });
  network.once("stabilized", function () { finishLayout(); });

  network.on("click", function (params) {
    if (params.nodes.length) { select({ kind: "entity", id: params.nodes[0] }); }
    else if (params.edges.length) {
      var id = params.edges[0];
      if (drawn.groups[id]) { select({ kind: "group", id: id }); } else { select({ kind: "fact", id: id }); }
    } else { select(null); }
  });
  network.on("doubleClick", function (params) {
    if (params.nodes.length && MEMBERS[params.nodes[0]]) { toggleGroup(params.nodes[0]); }
  });

  /** A soft disc behind each expanded group, so that products sit visibly with their company. */
  network.on("beforeDrawing", function (ctx) {
    if (!ready) { return; }
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

  // --- legend and toggles -----------------------------------------------------------------

  var legend = byId("kg-legend");
  var status = byId("kg-status");

  function swatch(type) {
    return h("span", { class: "kg-swatch kg-shape-" + type.shape, style: { background: type.color },
      "aria-hidden": "true" });
  }

  function lineSample(rel) {
    return h("span", { class: "kg-line" + (rel.dashes ? " kg-dashed" : ""), "aria-hidden": "true",
      style: { borderTopColor: rel.color } },
    h("span", { class: "kg-arrow", style: { color: rel.color }, text: rel.symmetric ? "" : "▶" }));
  }

  function toggleSection(title, key, items, decorate, describe) {
    var boxes = [];
    var list = h("ul", { class: "kg-toggles" });
    items.forEach(function (item) {
      var box = h("input", { type: "checkbox", checked: true, data: { filter: key, id: item.id } });
      box.checked = true;
      box.addEventListener("change", function () {
        if (box.checked) { state[key].add(item.id); } else { state[key].delete(item.id); }
        apply();
      });
      boxes.push(box);
      var second = LANGS.length > 1 ? item.label[LANGS[1]] : null;
      var names = Object.keys(item.label).map(function (lang) { return item.label[lang]; }).join(" · ");
      list.appendChild(h("li", { title: names + (item.definition ? "\n" + item.definition : "") },
        h("label", null, box, decorate(item),
          h("span", { class: "kg-name" }, label(item.label, item.id),
            second && second !== label(item.label) ? h("span", { class: "kg-zh", text: " " + second }) : null),
          describe ? describe(item) : null,
          h("span", { class: "kg-count", text: String(item.count) }))));
    });
    function setAll(on) {
      boxes.forEach(function (box) {
        box.checked = on;
        if (on) { state[key].add(box.dataset.id); } else { state[key].delete(box.dataset.id); }
      });
      apply();
    }
    var section = h("section", { class: "kg-legend-section", data: { section: key } },
      h("h2", null, title,
        h("span", { class: "kg-all" },
          h("button", { type: "button", class: "kg-link", text: "all", onclick: function () { setAll(true); } }),
          h("button", { type: "button", class: "kg-link", text: "none", onclick: function () { setAll(false); } }))),
      list);
    legend.appendChild(section);
    return boxes;
  }

  var typeBoxes = toggleSection("Entity types", "types", DATA.types, swatch);
  var relationBoxes = toggleSection("Relations", "relations", DATA.relations, lineSample, function (rel) {
    return rel.symmetric ? h("span", { class: "kg-hint", text: "(both ways)" })
      : rel.derived ? h("span", { class: "kg-hint", text: "(reference)" }) : null;
  });
  var kindBoxes = toggleSection("Kinds", "kinds", DATA.kinds.filter(function (k) { return k.count; }),
    function (kind) {
      return h("span", { class: "kg-line" + (kind.id === "claim" ? " kg-claim-line" : ""), "aria-hidden": "true" });
    });

  // Groups: each owner with the entities drawn with it; a ticked box draws the group as one node.
  var groupBoxes = [];
  if (OWNER_IDS.length) {
    var groupList = h("ul", { class: "kg-toggles" });
    OWNER_IDS.forEach(function (owner) {
      var box = h("input", { type: "checkbox", data: { group: owner } });
      box.addEventListener("change", function () { setCollapsed(owner, box.checked); });
      groupBoxes.push(box);
      groupList.appendChild(h("li", { title: "Draw " + ENT[owner].label + " and what it develops or owns as one node" },
        h("label", null, box, h("span", { class: "kg-name", text: ENT[owner].label }),
          h("span", { class: "kg-count", text: "+" + MEMBERS[owner].length }))));
    });
    legend.appendChild(h("section", { class: "kg-legend-section", data: { section: "groups" } },
      h("h2", null, "Collapse groups",
        h("span", { class: "kg-all" },
          h("button", { type: "button", id: "kg-collapse-all", class: "kg-link", text: "all",
            onclick: function () { collapseAll(true); network.fit({ animation: { duration: 300 } }); } }),
          h("button", { type: "button", id: "kg-expand-all", class: "kg-link", text: "none",
            onclick: function () { collapseAll(false); } }))),
      groupList,
      h("p", { class: "kg-hint", text: "Double-click a company to collapse or expand it; a number on a line counts the facts it stands for." })));
  }
  var panelTypes = DATA.types.filter(function (t) { return IN_PANEL.has(t.id); });
  var featureBox = h("input", { type: "checkbox", id: "kg-draw-features" });
  var isolatedBox = h("input", { type: "checkbox", id: "kg-show-isolated", checked: true });
  isolatedBox.checked = true;
  featureBox.addEventListener("change", function () { setFeatures(featureBox.checked); });
  isolatedBox.addEventListener("change", function () { setIsolated(isolatedBox.checked); });
  legend.appendChild(h("section", { class: "kg-legend-section", data: { section: "display" } },
    h("h2", null, "Display"),
    h("ul", { class: "kg-toggles" },
      panelTypes.length ? h("li", { title: "Otherwise they are listed in the details of their entity" },
        h("label", null, featureBox, h("span", { class: "kg-name",
          text: "draw " + panelTypes.map(function (t) { return label(t.label) + "s"; }).join(", ") }))) : null,
      h("li", { title: "Entities with no line in view, in rows below the graph" },
        h("label", null, isolatedBox, h("span", { class: "kg-name", text: "draw unconnected entities" }))))));

  legend.appendChild(h("p", { class: "kg-note" },
    "Arrows point from subject to object; relations that hold both ways have none. ",
    "Claims (opinions, forecasts) are drawn thin and faded. A dashed border marks an entity with a role. ",
    "Selecting a node fades everything more than one step away."));

  /** Counts of what is in view (drawn or listed in a panel), as `kg stats --as-of` counts them. */
  function inView() {
    var edges = FACT_IDS.filter(edgeShown);
    return { entities: ENTITY_IDS.filter(nodeShown),
      facts: edges.filter(function (id) { return !FACT[id].derived_from; }),
      references: edges.filter(function (id) { return !!FACT[id].derived_from; }) };
  }

  var STATED_COUNT = FACT_IDS.filter(function (id) { return !FACT[id].derived_from; }).length;

  function updateStatus() {
    var counts = inView();
    var lines = drawn.facts.size + Object.keys(drawn.groups).length;
    status.textContent = plural(counts.entities.length, "entity", "entities") + " of " + ENTITY_IDS.length + " · " +
      plural(counts.facts.length, "fact", "facts") + " of " + STATED_COUNT +
      (FACT_IDS.length > STATED_COUNT ? " · " + plural(counts.references.length, "reference", "references") : "") +
      " in view" +
      (state.date ? " · as of " + state.date : "") + " · drawn: " + plural(drawn.nodes.size, "node", "nodes") +
      ", " + plural(lines, "line", "lines");
  }
  // --- the details panel ------------------------------------------------------------------

  var panel = byId("kg-panel");

  function chip(text, color, extraClass) {
    return h("span", { class: "kg-chip" + (extraClass ? " " + extraClass : ""),
      style: color ? { borderColor: color } : null, text: text });
  }

  function jump(kind, id, text, hidden) {
    return h("button", { type: "button", class: "kg-jump" + (hidden ? " kg-hidden" : ""),
      title: hidden ? "hidden by the current filters" : null,
      onclick: function () { select({ kind: kind, id: id }, true); } }, text);
  }

  function namesList(map) {
    return h("dl", { class: "kg-names" }, Object.keys(map).map(function (lang) {
      return [h("dt", { text: LANGUAGE_NAMES[lang] || lang }), h("dd", { text: map[lang], lang: lang })];
    }));
  }

  function sourceItem(ref) {
    var source = SOURCES[ref.source];
    if (!source) { return h("li", null, ref.source + " — " + ref.locator); }
    var url = typeof source.url === "string" && /^https?:\/\/[^\s]+$/i.test(source.url) ? source.url : null;
    return h("li", { class: "kg-source" },
      h("div", { class: "kg-source-title", text: source.title, lang: source.language }),
      h("div", { class: "kg-meta" },
        [source.publisher, source.author, source.date].filter(Boolean).join(" · ")),
      h("div", { class: "kg-locator" }, "at ", h("span", { text: ref.locator })),
      url ? h("div", { class: "kg-url" }, h("a", { href: url, rel: "noopener noreferrer", target: "_blank", text: url })) : null);
  }

  function figureItem(figure) {
    var extras = [];
    if (period(figure)) { extras.push(period(figure)); }
    if (figure.region && figure.region.length) { extras.push("in " + figure.region.join(", ")); }
    if (figure.where_label) { extras.push("on " + figure.where_label); }
    if (figure.measured_by_label) { extras.push("measured by " + figure.measured_by_label); }
    var shown = !state.date || !figure.start || figure.start <= state.date;
    return h("li", { class: "kg-figure" + (shown ? "" : " kg-hidden") },
      h("span", { class: "kg-figure-metric", text: label(figure.metric_label, figure.metric) + ": " }),
      h("strong", { text: figure.amount }),
      extras.length ? " " + extras.join(", ") : "",
      figure.kind === "claim" ? [" ", chip("claim", null, "kg-claim")] : null,
      figure.note ? h("div", { class: "kg-note", text: figure.note }) : null,
      h("ul", { class: "kg-sources" }, figure.sources.map(sourceItem)));
  }

  function factLine(fact, start) {
    var fromSubject = fact.subject === start;
    var other = fromSubject ? fact.object : fact.subject;
    var rel = RELATIONS[fact.relation];
    var arrow = rel.symmetric ? "—" : fromSubject ? "→" : "←";
    var relButton = jump("fact", fact.id, arrow + " " + relationPhrase(fact, fromSubject), !edgeShown(fact.id));
    relButton.style.color = rel.color;
    relButton.title = "details of this fact";
    return h("li", { class: "kg-fact-line" },
      relButton,
      " ",
      jump("entity", other, ENT[other].label, !nodeShown(other)),
      period(fact) ? h("span", { class: "kg-meta", text: " " + period(fact) }) : null,
      fact.kind === "claim" ? [" ", chip("claim", null, "kg-claim")] : null);
  }

  function hiddenNote(shown) {
    return shown ? null : h("p", { class: "kg-warn", text: "Hidden by the current filters or date." });
  }

  function showEntity(id) {
    var e = ENT[id];
    var type = TYPES[e.type];
    clear(panel);
    var facts = FACTS_OF[id];
    var inPanel = [];
    facts.forEach(function (fid) {
      var other = FACT[fid].subject === id ? FACT[fid].object : FACT[fid].subject;
      if (IN_PANEL.has(ENT[other].type) && inPanel.indexOf(other) < 0 && !IN_PANEL.has(e.type)) { inPanel.push(other); }
    });
    var members = MEMBERS[id] || [];
    append(panel, [
      h("h2", { class: "kg-panel-title", text: e.label }),
      h("p", { class: "kg-chips" },
        chip(label(type ? type.label : e.type_label, e.type) + (otherLabels(e.type_label) ? " · " + otherLabels(e.type_label) : ""),
          type ? type.color : null),
        e.role_labels.map(function (r) { return chip(label(r), null, "kg-role"); })),
      hiddenNote(nodeShown(id)),
      e.owner && ENT[e.owner] ? h("p", { class: "kg-meta" }, "Drawn with ",
        jump("entity", e.owner, ENT[e.owner].label, !nodeShown(e.owner)), ".") : null,
      members.length ? h("p", { class: "kg-group" },
        h("button", { type: "button", id: "kg-group-toggle", class: "kg-button",
          text: state.collapsed.has(id) ? "Expand group (" + members.length + ")" : "Collapse group (" + members.length + ")",
          onclick: function () { toggleGroup(id); } }),
        " ", h("span", { class: "kg-meta", text: members.map(function (m) { return ENT[m].label; }).join(", ") })) : null,
      e.description ? h("p", { class: "kg-description", text: e.description }) : null,
      inPanel.length ? [h("h3", { text: DATA.types.filter(function (t) { return IN_PANEL.has(t.id); })
        .map(function (t) { return label(t.label) + "s"; }).join(", ") }),
        h("p", { class: "kg-chips kg-features" }, inPanel.map(function (other) {
          return jump("entity", other, ENT[other].label, !nodeShown(other));
        }))] : null,
      h("h3", { text: "Names" }),
      namesList(e.labels),
      e.aliases.length ? h("p", { class: "kg-aliases" }, "Also known as: ", h("span", { text: e.aliases.join(", ") })) : null,
      Object.keys(e.attributes).length ? [h("h3", { text: "Attributes" }),
        h("dl", { class: "kg-names" }, Object.keys(e.attributes).sort().map(function (key) {
          return [h("dt", { text: key }), h("dd", { text: String(e.attributes[key]) })];
        }))] : null,
      e.figures.length ? [h("h3", { text: "Figures" }), h("ul", { class: "kg-figures" }, e.figures.map(figureItem))] : null,
      h("h3", { text: plural(facts.length, "fact", "facts") }),
      h("ul", { class: "kg-facts" }, facts.map(function (fid) { return factLine(FACT[fid], id); })),
      h("p", { class: "kg-id" }, "id: ", h("code", { text: e.id }))
    ]);
  }

  function showFact(id) {
    var f = FACT[id];
    var rel = RELATIONS[f.relation];
    var kind = KINDS[f.kind];
    clear(panel);
    var dates;
    if (f.start || f.end) {
      dates = "Holds " + (f.start ? "from " + f.start : "") + (f.start && f.end ? " " : "") +
        (f.end ? "through " + f.end : "") + " (as dated: " + period(f) + ").";
    } else {
      dates = "No date given: holds as far as the data knows.";
    }
    append(panel, [
      h("h2", { class: "kg-panel-title" },
        jump("entity", f.subject, ENT[f.subject].label, !nodeShown(f.subject)),
        h("span", { class: "kg-rel", style: { color: rel.color }, text: " " + arrowText(f) + " " + label(rel.label) + " " + arrowText(f) + " " }),
        jump("entity", f.object, ENT[f.object].label, !nodeShown(f.object))),
      hiddenNote(edgeShown(id)),
      f.kind === "claim"
        ? h("p", { class: "kg-claim-box" },
          h("strong", { text: "Claim" }),
          " — an opinion, assessment or forecast attributed to its source, not an established fact.",
          f.claimed_by ? [" Claimed by ", jump("entity", f.claimed_by, f.claimed_by_label, !ENT[f.claimed_by] || !nodeShown(f.claimed_by)), "."] : null)
        : h("p", { class: "kg-chips" }, chip(label(kind.label, f.kind) + (otherLabels(kind.label) ? " · " + otherLabels(kind.label) : ""))),
      h("h3", { text: "Relation" }),
      namesList(rel.label),
      h("p", { class: "kg-meta", text: rel.definition }),
      f.derived_from ? h("p", { class: "kg-meta", text: "A reference edge, derived from " +
        f.derived_from.field + " of " + f.derived_from.record + "." }) : null,
      h("h3", { text: "Dates" }),
      h("p", { text: dates }),
      f.qualifier_text.length ? [h("h3", { text: "Qualifiers" }),
        h("dl", { class: "kg-names" }, f.qualifier_text.map(function (pair) {
          return [h("dt", { text: pair[0] }), h("dd", { text: pair[1] })];
        }))] : null,
      f.note ? [h("h3", { text: "Note" }), h("p", { class: "kg-note-text", text: f.note })] : null,
      h("h3", { text: plural(f.sources.length, "source", "sources") }),
      h("ol", { class: "kg-sources" }, f.sources.map(sourceItem)),
      h("p", { class: "kg-id" }, "id: ", h("code", { text: f.id }))
    ]);
  }

  function showOverview() {
    clear(panel);
    var v = DATA.view;
    var scope = [];
    if (v.focus) { scope.push("around " + (ENT[v.focus] ? ENT[v.focus].label : v.focus) + " (" + plural(v.depth, "hop", "hops") + ")"); }
    if (v.relations.length) { scope.push("relations: " + v.relations.join(", ")); }
    if (v.types.length) { scope.push("types: " + v.types.join(", ")); }
    if (v.as_of) { scope.push("as of " + v.as_of); }
    append(panel, [
      h("h2", { class: "kg-panel-title", text: "About this graph" }),
      h("p", null, plural(v.entities, "entity", "entities") + ", " + plural(v.facts, "fact", "facts") +
        (v.references ? " and " + plural(v.references, "reference", "references") : "") +
        ", each fact dated where the source dates it and cited to its sources."),
      scope.length ? h("p", { class: "kg-meta", text: "Exported " + scope.join("; ") + "." }) : null,
      h("ul", { class: "kg-help" },
        h("li", { text: "Click a node or a line for its details and sources." }),
        h("li", { text: "Search by any name or alias, in English or Chinese (simplified or traditional)." }),
        h("li", { text: "Untick types, relations or kinds in the legend to hide them." }),
        h("li", { text: "Pick a date to see the graph as it stood that day; “All dates” shows everything." }),
        h("li", { text: "Double-click a company to collapse it with its products; “Collapse groups: all” shows the landscape as companies." }),
        h("li", { text: "The Market map tab shows the players by segment on the chosen date." }),
        h("li", { text: "Drag to pan, scroll to zoom; Reset restores everything." }))
    ]);
  }

  function showGroup(id) {
    var group = drawn.groups[id];
    clear(panel);
    if (!group) { append(panel, h("p", { class: "kg-warn", text: "This line is no longer drawn." })); return; }
    append(panel, [
      h("h2", { class: "kg-panel-title" },
        jump("entity", group.from, ENT[group.from].label, false), " — ",
        jump("entity", group.to, ENT[group.to].label, false)),
      h("p", { text: plural(group.facts.length, "fact", "facts") + " between the groups, drawn as one line." }),
      h("ul", { class: "kg-facts" }, group.facts.map(function (fid) {
        var f = FACT[fid];
        return h("li", { class: "kg-fact-line" },
          jump("entity", f.subject, ENT[f.subject].label, false), " ",
          jump("fact", fid, arrowText(f) + " " + label(RELATIONS[f.relation].label) + " " + arrowText(f), false), " ",
          jump("entity", f.object, ENT[f.object].label, false),
          f.kind === "claim" ? [" ", chip("claim", null, "kg-claim")] : null);
      }))
    ]);
  }

  /** Select an entity (an id, or {kind: "entity"|"fact"|"group", id}); null clears the selection. */
  function select(target, center) {
    if (typeof target === "string") {
      if (!ENT[target] && !FACT[target]) { throw new Error("kg.select: no entity or fact " + JSON.stringify(target)); }
      target = { kind: ENT[target] ? "entity" : "fact", id: target };
    }
    if (target && !(target.kind === "entity" ? ENT[target.id] : target.kind === "fact" ? FACT[target.id]
      : target.kind === "group")) {
      throw new Error("kg.select: unknown " + target.kind + " " + JSON.stringify(target.id));
    }
    state.selected = target || null;
    computeFocus();
    if (ready) { paint(); }
    if (!target) {
      network.unselectAll();
      showOverview();
      return;
    }
    if (target.kind === "entity") {
      var node = drawnAs(target.id);
      if (node && drawn.nodes.has(node)) {
        network.selectNodes([node], false);
        if (center && state.tab === "graph") {
          network.focus(node, { scale: Math.max(network.getScale(), 1.0),
            animation: { duration: 400, easingFunction: "easeInOutQuad" } });
        }
      } else {
        network.unselectAll();
      }
      showEntity(target.id);
    } else if (target.kind === "group") {
      if (drawn.groups[target.id]) { network.selectEdges([target.id]); } else { network.unselectAll(); }
      showGroup(target.id);
    } else {
      if (drawn.facts.has(target.id)) { network.selectEdges([target.id]); } else { network.unselectAll(); }
      showFact(target.id);
    }
    markTiles();
  }

  function refreshPanel() {
    var target = state.selected;
    if (!target) { return; }
    if (target.kind === "entity") { showEntity(target.id); }
    else if (target.kind === "group") { showGroup(target.id); }
    else { showFact(target.id); }
  }

  // --- controls ---------------------------------------------------------------------------

  /** Recompute what is drawn after any change of filters, date, groups or display. */
  function apply() {
    if (!ready) { return; }
    computeDrawn();
    computeFocus();
    paint();
    nodeView.refresh();
    edgeView.refresh();
    hideTooltip();
    updateStatus();
    refreshPanel();
    renderMap();
  }

  /** vis-network keeps a hover box up when its node disappears; take it down on every change. */
  function hideTooltip() {
    document.querySelectorAll("div.vis-tooltip").forEach(function (tip) { tip.style.visibility = "hidden"; });
  }

  function setCollapsed(owner, on) {
    if (!MEMBERS[owner]) { throw new Error("kg.collapse: " + JSON.stringify(owner) + " has no group"); }
    if (on) { state.collapsed.add(owner); } else { state.collapsed.delete(owner); }
    groupBoxes.forEach(function (box) { box.checked = state.collapsed.has(box.dataset.group); });
    apply();
  }

  function toggleGroup(owner) { setCollapsed(owner, !state.collapsed.has(owner)); }

  function collapseAll(on) {
    state.collapsed = new Set(on ? OWNER_IDS : []);
    groupBoxes.forEach(function (box) { box.checked = on; });
    apply();
  }

  function setFeatures(on) { state.features = !!on; featureBox.checked = state.features; apply(); }

  function setIsolated(on) { state.isolated = !!on; isolatedBox.checked = state.isolated; apply(); }

  var searchBox = byId("kg-search");
  var results = byId("kg-results");
  var active = 0;

  function renderResults() {
    clear(results);
    var hits = search(searchBox.value);
    active = 0;
    if (!searchBox.value.trim()) { results.hidden = true; return hits; }
    if (!hits.length) {
      results.appendChild(h("li", { class: "kg-empty", text: "No name matches." }));
    }
    hits.forEach(function (hit, i) {
      var e = ENT[hit.id];
      var type = TYPES[e.type];
      results.appendChild(h("li", { role: "option", class: i === 0 ? "kg-active" : null, data: { id: hit.id },
        onmousedown: function (ev) { ev.preventDefault(); choose(hit.id); } },
      type ? swatch(type) : null,
      h("span", { class: "kg-name", text: e.label }),
      hit.matched !== e.label ? h("span", { class: "kg-meta", text: " " + hit.matched }) : null));
    });
    results.hidden = false;
    return hits;
  }

  function choose(id) {
    results.hidden = true;
    select({ kind: "entity", id: id }, true);
  }

  searchBox.addEventListener("input", renderResults);
  searchBox.addEventListener("focus", function () { if (searchBox.value.trim()) { renderResults(); } });
  searchBox.addEventListener("blur", function () { results.hidden = true; });
  searchBox.addEventListener("keydown", function (ev) {
    var items = results.querySelectorAll("li[role=option]");
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!items.length) { return; }
      ev.preventDefault();
      items[active].classList.remove("kg-active");
      active = (active + (ev.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      items[active].classList.add("kg-active");
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      var hits = search(searchBox.value);
      if (items.length && items[active]) { choose(items[active].dataset.id); }
      else if (hits.length) { choose(hits[0].id); }
    } else if (ev.key === "Escape") {
      results.hidden = true;
    }
  });

  // --- the date: a slider over the days that change something, the eve of each, and any day typed

  var dateBox = byId("kg-date");
  var slider = byId("kg-date-slider");
  var ticks = byId("kg-ticks");
  var playButton = byId("kg-play");
  var stops = DATA.stops.slice();  // sorted ISO days; the slider's last position is "all dates"
  var DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

  function renderTicks() {
    slider.max = String(stops.length);
    slider.disabled = !stops.length;
    clear(ticks);
    DATA.milestones.forEach(function (milestone) {
      var index = stops.indexOf(milestone.day);
      if (index < 0) { return; }
      var names = milestone.facts.map(function (fid) {
        var f = FACT[fid];
        return ENT[f.subject].label + " " + label(RELATIONS[f.relation].label) + " " + ENT[f.object].label;
      });
      ticks.appendChild(h("button", { type: "button", class: "kg-tick", data: { day: milestone.day },
        title: milestone.day + ": " + names.join("; "), "aria-label": "Go to " + milestone.day,
        style: { left: "calc(8px + (100% - 16px) * " + (index / Math.max(stops.length, 1)) + ")" },
        onclick: function () { pause(); setDate(milestone.day); } }));
    });
  }

  function setDate(day) {
    day = day || "";
    if (day && !(DAY_RE.test(day) && !isNaN(Date.parse(day + "T00:00:00Z")))) {
      throw new Error("kg.setDate: " + JSON.stringify(day) + " is not a day (YYYY-MM-DD)");
    }
    if (day && stops.indexOf(day) < 0) {
      stops.push(day);
      stops.sort();
      renderTicks();
    }
    state.date = day;
    dateBox.value = day;
    slider.value = String(day ? stops.indexOf(day) : stops.length);
    ticks.querySelectorAll(".kg-tick").forEach(function (tick) {
      tick.classList.toggle("kg-tick-on", tick.dataset.day === day);
    });
    apply();
  }

  var timer = null;

  function play() {
    if (timer) { return; }
    var days = DATA.dates;
    if (!days.length) { return; }
    if (!state.date || state.date >= days[days.length - 1]) { setDate(days[0]); }
    playButton.textContent = "❚❚ Pause";
    playButton.setAttribute("aria-pressed", "true");
    timer = setInterval(function () {
      var next = days.filter(function (d) { return d > state.date; })[0];
      if (!next) { pause(); return; }
      setDate(next);
    }, 900);
  }

  function pause() {
    if (timer) { clearInterval(timer); }
    timer = null;
    playButton.textContent = "▶ Play";
    playButton.setAttribute("aria-pressed", "false");
  }

  renderTicks();
  dateBox.addEventListener("change", function () { pause(); setDate(dateBox.value); });
  dateBox.addEventListener("input", function () {
    if (dateBox.value || !dateBox.validity.badInput) { pause(); setDate(dateBox.value); }
  });
  slider.addEventListener("input", function () { pause(); setDate(stops[Number(slider.value)] || ""); });
  byId("kg-date-clear").addEventListener("click", function () { pause(); setDate(""); });
  playButton.addEventListener("click", function () { if (timer) { pause(); } else { play(); } });

  // --- labels -----------------------------------------------------------------------------

  var labelSelect = byId("kg-labels");
  LANGS.forEach(function (lang, i) {
    if (i > 0) {
      labelSelect.appendChild(h("option", { value: LANGS[0] + "+" + lang,
        text: (LANGUAGE_NAMES[LANGS[0]] || LANGS[0]) + " + " + (LANGUAGE_NAMES[lang] || lang) }));
    }
  });
  LANGS.forEach(function (lang) {
    labelSelect.appendChild(h("option", { value: lang, text: LANGUAGE_NAMES[lang] || lang }));
  });

  function setLabels(mode) {
    state.labels = mode;
    labelSelect.value = mode;
    apply();
  }
  labelSelect.addEventListener("change", function () { setLabels(labelSelect.value); });

  var edgeLabelBox = byId("kg-edge-labels");
  function setEdgeLabels(on) {
    state.edgeLabels = !!on;
    edgeLabelBox.checked = state.edgeLabels;
    apply();
  }
  edgeLabelBox.addEventListener("change", function () { setEdgeLabels(edgeLabelBox.checked); });

  byId("kg-fit").addEventListener("click", function () { network.fit({ animation: { duration: 300 } }); });

  // --- the market map ---------------------------------------------------------------------

  var mapBox = byId("kg-map");

  /** The players of a segment on the current date (the rule is data: see `segments` in the ontology). */
  function segmentPlayers(seg) {
    return ENTITY_IDS.filter(function (id) {
      var e = ENT[id];
      if (!existsOn(e, state.date)) { return false; }
      if (seg.types.length && seg.types.indexOf(e.type) < 0) { return false; }
      if (seg.roles.length && !seg.roles.some(function (r) { return e.roles.indexOf(r) >= 0; })) { return false; }
      if (!seg.relation) { return true; }
      return FACTS_OF[id].some(function (fid) {
        var f = FACT[fid];
        if (f.relation !== seg.relation || !validOn(f, state.date)) { return false; }
        var me = seg.direction === "in" ? f.object : f.subject;
        var other = seg.direction === "in" ? f.subject : f.object;
        return me === id && existsOn(ENT[other], state.date) &&
          (!seg["with"].length || seg["with"].indexOf(ENT[other].type) >= 0);
      });
    }).sort(function (a, b) {
      var x = ENT[a].label.toLowerCase();
      var y = ENT[b].label.toLowerCase();
      return x < y ? -1 : x > y ? 1 : (a < b ? -1 : 1);
    });
  }

  /** What a tile shows: name lines, owner, and badges for features, figures and roles. */
  function tileInfo(id) {
    var e = ENT[id];
    var features = [];
    FACTS_OF[id].forEach(function (fid) {
      var f = FACT[fid];
      var other = f.subject === id ? f.object : f.subject;
      if (IN_PANEL.has(ENT[other].type) && !IN_PANEL.has(e.type) && validOn(f, state.date) &&
          existsOn(ENT[other], state.date) && features.indexOf(other) < 0) { features.push(other); }
    });
    var latest = {};
    e.figures.forEach(function (g) {
      if (state.date && g.start && g.start > state.date) { return; }
      if (!latest[g.metric] || (g.start || "") >= (latest[g.metric].start || "")) { latest[g.metric] = g; }
    });
    var figures = Object.keys(latest).sort().map(function (metric) {
      var g = latest[metric];
      return label(g.metric_label, metric) + ": " + g.amount + (g.kind === "claim" ? " (claim)" : "");
    });
    var owner = e.owner && ENT[e.owner] && existsOn(ENT[e.owner], state.date) ? e.owner : null;
    return {
      id: id, lines: nodeLabel(id).split("\n"), owner: owner ? ENT[owner].label : null,
      features: features.map(function (f) { return ENT[f].label; }).sort(),
      figures: figures,
      roles: e.role_labels.map(function (r) { return label(r); })
    };
  }

  function mapModel() {
    return DATA.segments.map(function (seg) {
      return { id: seg.id, label: seg.label, definition: seg.definition,
        tiles: segmentPlayers(seg).map(tileInfo) };
    });
  }

  function segmentTitle(seg) {
    var mode = state.labels;
    var first = seg.label[mode.split("+")[0]] || label(seg.label);
    var second = mode.indexOf("+") > 0 ? seg.label[mode.split("+")[1]] : null;
    return second && second !== first ? first + " · " + second : first;
  }

  function renderMap() {
    if (!ready || state.tab !== "map") { return; }  // drawn when its tab is shown
    clear(mapBox);
    var model = mapModel();
    append(mapBox, h("p", { class: "kg-map-title", text: "The market " + (state.date ? "on " + state.date : "across all dates") +
      " · " + plural(model.reduce(function (n, seg) { return n + seg.tiles.length; }, 0), "tile", "tiles") }));
    var columns = h("div", { class: "kg-map-columns" });
    model.forEach(function (seg) {
      columns.appendChild(h("section", { class: "kg-segment", data: { segment: seg.id }, title: seg.definition },
        h("h2", null, h("span", { text: segmentTitle(seg) }), h("span", { class: "kg-count", text: String(seg.tiles.length) })),
        seg.tiles.map(function (tile) {
          var type = TYPES[ENT[tile.id].type];
          return h("button", { type: "button", class: "kg-tile", data: { id: tile.id },
            style: { borderLeftColor: type ? type.color : "#999" },
            onclick: function () { select({ kind: "entity", id: tile.id }); } },
          h("span", { class: "kg-tile-name", text: tile.lines[0] }),
          tile.lines[1] ? h("span", { class: "kg-tile-second", text: tile.lines[1] }) : null,
          tile.owner ? h("span", { class: "kg-tile-owner", text: "by " + tile.owner }) : null,
          tile.roles.length || tile.features.length || tile.figures.length ? h("span", { class: "kg-badges" },
            tile.roles.map(function (r) { return h("span", { class: "kg-badge kg-badge-role", text: r }); }),
            tile.figures.map(function (f) { return h("span", { class: "kg-badge kg-badge-figure", text: f }); }),
            tile.features.slice(0, 3).map(function (f) { return h("span", { class: "kg-badge", text: f }); }),
            tile.features.length > 3 ? h("span", { class: "kg-badge", text: "+" + (tile.features.length - 3) + " features" }) : null) : null);
        })));
    });
    mapBox.appendChild(columns);
    markTiles();
  }

  function markTiles() {
    var id = state.selected && state.selected.kind === "entity" ? state.selected.id : null;
    mapBox.querySelectorAll(".kg-tile").forEach(function (tile) {
      tile.classList.toggle("kg-tile-selected", tile.dataset.id === id);
    });
  }

  // --- tabs -------------------------------------------------------------------------------

  var TABS = { graph: byId("kg-tab-graph"), map: byId("kg-tab-map") };

  function setTab(name) {
    if (!TABS[name]) { throw new Error("kg.setTab: unknown tab " + JSON.stringify(name) + " (graph or map)"); }
    state.tab = name;
    Object.keys(TABS).forEach(function (key) {
      TABS[key].setAttribute("aria-selected", String(key === name));
      TABS[key].classList.toggle("kg-tab-on", key === name);
    });
    document.body.setAttribute("data-tab", name);
    container.hidden = name !== "graph";
    mapBox.hidden = name !== "map";
    if (name === "graph" && ready) { network.redraw(); }
    renderMap();
  }
  TABS.graph.addEventListener("click", function () { setTab("graph"); });
  TABS.map.addEventListener("click", function () { setTab("map"); });

  // --- pictures: PNG and SVG of the current view, made in the page ---------------------

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
    items.push({ t: "text", x: gap, y: 22, text: "The market " + (state.date ? "on " + state.date : "across all dates"),
      size: 15, fill: "#1f2328", weight: "bold" });
    model.forEach(function (seg, col) {
      var x = gap + col * (colWidth + gap);
      var y = 40;
      items.push({ t: "text", x: x, y: y + 14, text: segmentTitle(seg) + " (" + seg.tiles.length + ")", size: 12,
        fill: "#5b6470", weight: "bold" });
      y += 24;
      seg.tiles.forEach(function (tile) {
        var lines = [{ text: tile.lines[0], size: 13, fill: "#1f2328", weight: "bold" }];
        if (tile.lines[1]) { lines.push({ text: tile.lines[1], size: 12, fill: "#5b6470" }); }
        if (tile.owner) { lines.push({ text: "by " + tile.owner, size: 11, fill: "#5b6470" }); }
        tile.roles.concat(tile.figures, tile.features.slice(0, 3)).forEach(function (badge) {
          lines.push({ text: "• " + truncate(badge, 34), size: 10, fill: "#35506f" });
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
        ctx.textAlign = it.anchor === "middle" ? "center" : "left";
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

  // --- reset and start --------------------------------------------------------------------

  function reset() {
    pause();
    [["types", typeBoxes], ["relations", relationBoxes], ["kinds", kindBoxes]].forEach(function (pair) {
      pair[1].forEach(function (box) { box.checked = true; state[pair[0]].add(box.dataset.id); });
    });
    searchBox.value = "";
    results.hidden = true;
    state.collapsed = new Set();
    groupBoxes.forEach(function (box) { box.checked = false; });
    state.features = false;
    featureBox.checked = false;
    state.isolated = true;
    isolatedBox.checked = true;
    state.labels = DEFAULT_LABELS;
    labelSelect.value = DEFAULT_LABELS;
    state.edgeLabels = false;
    edgeLabelBox.checked = false;
    state.selected = null;
    setDate(INITIAL_DATE);
    select(null);
    network.fit({ animation: false });
  }
  byId("kg-reset").addEventListener("click", reset);

  labelSelect.value = DEFAULT_LABELS;
  dateBox.value = INITIAL_DATE;
  slider.value = String(INITIAL_DATE ? stops.indexOf(INITIAL_DATE) : stops.length);
  showOverview();
  setTab("graph");

  /** Once the layout is fixed: draw the view the page opens on. */
  function started() {
    setDate(INITIAL_DATE);
    if (DATA.view.view === "map") { setTab("map"); }
  }
  if (!DATA.vis.nodes.length) { finishLayout(); }

  /** A read-only copy of the page's state. */
  function snapshot() {
    return Object.freeze({
      tab: state.tab, date: state.date, labels: state.labels, edgeLabels: state.edgeLabels,
      selected: state.selected ? Object.freeze({ kind: state.selected.kind, id: state.selected.id }) : null,
      collapsed: Array.from(state.collapsed).sort(), features: state.features, isolated: state.isolated,
      types: Array.from(state.types).sort(), relations: Array.from(state.relations).sort(),
      kinds: Array.from(state.kinds).sort(), playing: !!timer
    });
  }

  /** What is in view and what is drawn, as sorted ids, with the lines that stand for groups. */
  function visible() {
    var counts = inView();
    return {
      entities: counts.entities, facts: counts.facts, references: counts.references,
      nodes: Array.from(drawn.nodes).sort(), edges: Array.from(drawn.facts).sort(),
      groups: Object.keys(drawn.groups).sort().map(function (key) {
        var g = drawn.groups[key];
        return { id: key, from: g.from, to: g.to, count: g.facts.length, facts: g.facts.slice().sort() };
      })
    };
  }

  window.kg = Object.freeze({
    version: 2,
    data: DATA,
    get state() { return snapshot(); },
    visible: visible,
    map: function () { return mapModel(); },
    isReady: function () { return ready; },
    search: search,
    fold: fold,
    select: function (target, center) { select(target, center); return snapshot(); },
    setDate: function (day) { setDate(day); return snapshot(); },
    setTab: function (name) { setTab(name); return snapshot(); },
    setLabels: function (mode) { setLabels(mode); return snapshot(); },
    collapse: function (id) { setCollapsed(id, true); return snapshot(); },
    expand: function (id) { setCollapsed(id, false); return snapshot(); },
    collapseAll: function () { collapseAll(true); return snapshot(); },
    expandAll: function () { collapseAll(false); return snapshot(); },
    showFeatures: function (on) { setFeatures(on); return snapshot(); },
    showUnconnected: function (on) { setIsolated(on); return snapshot(); },
    play: play,
    pause: pause,
    image: image,
    download: download,
    reset: function () { reset(); return snapshot(); },
    network: network,
    nodeData: nodeData,
    edgeData: edgeData
  });
})();
