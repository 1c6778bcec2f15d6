/* state: what the controls have chosen, and what is in view and drawn because of it.
 *
 * `app.state` is the one mutable record of the page's choices; every control
 * changes it and then calls app.apply(). `app.drawn` is recomputed from it.
 */
(function (app) {
  "use strict";

  var DATA = app.DATA;
  var ENT = app.ENT;
  var FACT = app.FACT;
  var RELATIONS = app.RELATIONS;
  var ENTITY_IDS = app.ENTITY_IDS;
  var FACT_IDS = app.FACT_IDS;
  var IN_PANEL = app.IN_PANEL;
  var MEMBERS = app.MEMBERS;
  var label = app.label;

  var state = {
    types: new Set(DATA.types.map(function (t) { return t.id; })),
    relations: new Set(DATA.relations.map(function (r) { return r.id; })),
    kinds: new Set(DATA.kinds.map(function (k) { return k.id; })),
    date: app.INITIAL_DATE,
    labels: app.DEFAULT_LABELS,
    edgeLabels: false,
    selected: null,
    collapsed: new Set(),
    features: false,   // draw the entities of `in_panel` types (otherwise listed in the panel)
    isolated: true,    // draw entities that have no line in view
    tab: "graph"
  };

  /** An entity exists from its `from` day (the library's existence rule); without one its start
   * is not recorded and it is there on every day. */
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
  // lines that stand for several facts between a collapsed group and another node. The
  // object stays the same; its fields are replaced.
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
    drawn.nodes = nodes;
    drawn.facts = facts;
    drawn.groups = groups;
  }

  /** Counts of what is in view (drawn or listed in a panel), as `kg stats --as-of` counts them. */
  function inView() {
    var edges = FACT_IDS.filter(edgeShown);
    return { entities: ENTITY_IDS.filter(nodeShown),
      facts: edges.filter(function (id) { return !FACT[id].derived_from; }),
      references: edges.filter(function (id) { return !!FACT[id].derived_from; }) };
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
    var t = app.t;
    if (item.since && item.until) { return t("between", { since: item.since, until: item.until }); }
    if (item.since) { return t("since", { day: item.since }); }
    if (item.until) { return t("until", { day: item.until }); }
    return "";
  }

  app.state = state;
  app.drawn = drawn;
  app.ready = false;  // true once the layout is fixed (graph.js)
  app.existsOn = existsOn;
  app.validOn = validOn;
  app.nodeShown = nodeShown;
  app.edgeShown = edgeShown;
  app.drawnAs = drawnAs;
  app.computeDrawn = computeDrawn;
  app.inView = inView;
  app.nodeLabel = nodeLabel;
  app.drawnLabel = drawnLabel;
  app.relationPhrase = relationPhrase;
  app.arrowText = arrowText;
  app.period = period;
}(app));
