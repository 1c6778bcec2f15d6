/* map: the market map (one column per segment of the ontology, one tile per player on the
 * date) and the tabs that switch between it and the graph.
 */
(function (app) {
  "use strict";

  var DATA = app.DATA;
  var ENT = app.ENT;
  var FACT = app.FACT;
  var TYPES = app.TYPES;
  var ENTITY_IDS = app.ENTITY_IDS;
  var IN_PANEL = app.IN_PANEL;
  var FACTS_OF = app.FACTS_OF;
  var h = app.h;
  var append = app.append;
  var clear = app.clear;
  var byId = app.byId;
  var label = app.label;
  var plural = app.plural;
  var state = app.state;
  var existsOn = app.existsOn;
  var validOn = app.validOn;
  var nodeLabel = app.nodeLabel;

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
    if (!app.ready || state.tab !== "map") { return; }  // drawn when its tab is shown
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
            onclick: function () { app.select({ kind: "entity", id: tile.id }); } },
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
    app.graphBox.hidden = name !== "graph";
    mapBox.hidden = name !== "map";
    if (name === "graph" && app.ready) { app.network.redraw(); }
    renderMap();
  }
  TABS.graph.addEventListener("click", function () { setTab("graph"); });
  TABS.map.addEventListener("click", function () { setTab("map"); });

  app.mapModel = mapModel;
  app.segmentTitle = segmentTitle;
  app.renderMap = renderMap;
  app.markTiles = markTiles;
  app.setTab = setTab;
}(app));
