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
  var FACTS_OF = app.FACTS_OF;
  var h = app.h;
  var append = app.append;
  var clear = app.clear;
  var byId = app.byId;
  var label = app.label;
  var t = app.t;
  var count = app.count;
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

  var MAX_FEATURES = 3;  // feature badges on a tile; the rest are counted

  /**
   * What a tile shows: name lines, owner, whether its start is not recorded, and badges for
   * roles, figures (with their qualifiers), features and recorded absences, each from the
   * entity's own facts and figures on the date (app.featureLinks); claims are marked.
   * `badges` is the list drawn, in order: {text, kind: role|figure|feature|absence|more, claim}
 * (a figure's badge also carries its note, shown on hover).
   */
  function tileInfo(id) {
    var e = ENT[id];
    var links = app.featureLinks(id, state.date);
    var latest = {};
    e.figures.forEach(function (g) {
      if (state.date && g.start && g.start > state.date) { return; }
      if (!latest[g.metric] || (g.start || "") >= (latest[g.metric].start || "")) { latest[g.metric] = g; }
    });
    var figures = Object.keys(latest).sort().map(function (metric) { return latest[metric]; });
    var owner = e.owner && ENT[e.owner] && existsOn(ENT[e.owner], state.date) ? e.owner : null;
    var roles = e.role_labels.map(function (r) { return label(r); });
    var badges = [].concat(
      roles.map(function (text) { return { text: text, kind: "role", claim: false }; }),
      figures.map(function (g) {
        return { text: app.figureText(g), kind: "figure", claim: g.kind === "claim", note: g.note || null };
      }),
      links.has.slice(0, MAX_FEATURES).map(function (item) {
        return { text: app.featureText(item), kind: "feature", claim: item.claim };
      }),
      links.has.length > MAX_FEATURES
        ? [{ text: count(links.has.length - MAX_FEATURES, "moreFeatures"), kind: "more", claim: false }] : [],
      links.lacks.map(function (item) {
        return { text: app.absenceText(item, true), kind: "absence", claim: item.claim };
      }));
    return {
      id: id, lines: nodeLabel(id).split("\n"), owner: owner ? app.entityName(owner) : null,
      start: e.from ? null : t("start.unrecorded"),
      features: links.has.map(app.featureText),
      absences: links.lacks.map(function (item) { return app.absenceText(item); }),
      figures: figures.map(app.figureText),
      roles: roles,
      badges: badges
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

  /** "The market on 2025-10-05", "The market across all dates". */
  function mapTitle() {
    return state.date ? t("map.title.on", { day: state.date }) : t("map.title.all");
  }

  function renderMap() {
    if (!app.ready || state.tab !== "map") { return; }  // drawn when its tab is shown
    clear(mapBox);
    var model = mapModel();
    append(mapBox, h("p", { class: "kg-map-title", text: mapTitle() +
      " · " + count(model.reduce(function (n, seg) { return n + seg.tiles.length; }, 0), "tile") }));
    var columns = h("div", { class: "kg-map-columns" });
    model.forEach(function (seg) {
      columns.appendChild(h("section", { class: "kg-segment", data: { segment: seg.id }, title: seg.definition },
        h("h2", null, h("span", { class: "kg-segment-name", text: segmentTitle(seg) }),
          h("span", { class: "kg-count", text: String(seg.tiles.length) })),
        seg.tiles.map(function (tile) {
          var type = TYPES[ENT[tile.id].type];
          return h("button", { type: "button", class: "kg-tile", data: { id: tile.id },
            style: { borderLeftColor: type ? type.color : "#999" },
            onclick: function () { app.select({ kind: "entity", id: tile.id }); } },
          h("span", { class: "kg-tile-name", text: tile.lines[0] }),
          tile.lines[1] ? h("span", { class: "kg-tile-second", text: tile.lines[1] }) : null,
          tile.owner ? h("span", { class: "kg-tile-owner", text: t("by", { owner: tile.owner }) }) : null,
          tile.start ? h("span", { class: "kg-tile-start", text: tile.start }) : null,
          tile.badges.length ? h("span", { class: "kg-badges" }, tile.badges.map(function (badge) {
            return h("span", { class: "kg-badge kg-badge-" + badge.kind + (badge.claim ? " kg-badge-claim" : ""),
              title: badge.note || null, text: badge.text });
          })) : null);
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
  app.mapTitle = mapTitle;
  app.renderMap = renderMap;
  app.markTiles = markTiles;
  app.setTab = setTab;
}(app));
