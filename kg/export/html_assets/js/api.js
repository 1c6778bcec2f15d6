/* api: the page as it opens, and window.kg, the one frozen object scripts and tests drive
 * (docs/html.md lists its members). Everything it returns is a copy.
 */
(function (app) {
  "use strict";

  var DATA = app.DATA;
  var state = app.state;
  var drawn = app.drawn;

  /** Once the layout is fixed: draw the view the page opens on. */
  app.started = function () {
    app.setDate(app.INITIAL_DATE);
    if (DATA.view.view === "map") { app.setTab("map"); }
  };

  /** A read-only copy of the page's state. */
  function snapshot() {
    return Object.freeze({
      tab: state.tab, date: state.date, labels: state.labels, edgeLabels: state.edgeLabels,
      selected: state.selected ? Object.freeze({ kind: state.selected.kind, id: state.selected.id }) : null,
      collapsed: Array.from(state.collapsed).sort(), features: state.features, isolated: state.isolated,
      types: Array.from(state.types).sort(), relations: Array.from(state.relations).sort(),
      kinds: Array.from(state.kinds).sort(), playing: app.playing()
    });
  }

  /** What is in view and what is drawn, as sorted ids, with the lines that stand for groups. */
  function visible() {
    var counts = app.inView();
    return {
      entities: counts.entities, facts: counts.facts, references: counts.references,
      nodes: Array.from(drawn.nodes).sort(), edges: Array.from(drawn.facts).sort(),
      groups: Object.keys(drawn.groups).sort().map(function (key) {
        var g = drawn.groups[key];
        return { id: key, from: g.from, to: g.to, count: g.facts.length, facts: g.facts.slice().sort() };
      })
    };
  }

  app.translateChrome();
  app.showInitialDate();
  app.showOverview();
  app.setTab("graph");

  window.kg = Object.freeze({
    version: 2,
    data: DATA,
    get state() { return snapshot(); },
    visible: visible,
    map: function () { return app.mapModel(); },
    isReady: function () { return app.ready; },
    search: app.search,
    fold: app.fold,
    select: function (target, center) { app.select(target, center); return snapshot(); },
    setDate: function (day) { app.setDate(day); return snapshot(); },
    setTab: function (name) { app.setTab(name); return snapshot(); },
    setLabels: function (mode) { app.setLabels(mode); return snapshot(); },
    collapse: function (id) { app.setCollapsed(id, true); return snapshot(); },
    expand: function (id) { app.setCollapsed(id, false); return snapshot(); },
    collapseAll: function () { app.collapseAll(true); return snapshot(); },
    expandAll: function () { app.collapseAll(false); return snapshot(); },
    showFeatures: function (on) { app.setFeatures(on); return snapshot(); },
    showUnconnected: function (on) { app.setIsolated(on); return snapshot(); },
    play: app.play,
    pause: app.pause,
    image: app.image,
    download: app.download,
    reset: function () { app.reset(); return snapshot(); },
    network: app.network,
    nodeData: app.nodeData,
    edgeData: app.edgeData
  });

  // A page with nothing to lay out is ready at once.
  if (!DATA.vis.nodes.length) { app.finishLayout(); }
}(app));
