/* legend: the filters on the left (types, relations, kinds), the groups and display
 * switches, and the status line that counts what is in view. The legend is built from
 * app.state, so it can be built again when the interface language changes.
 */
(function (app) {
  "use strict";

  var DATA = app.DATA;
  var ENTITY_IDS = app.ENTITY_IDS;
  var FACT_IDS = app.FACT_IDS;
  var FACT = app.FACT;
  var IN_PANEL = app.IN_PANEL;
  var MEMBERS = app.MEMBERS;
  var OWNER_IDS = app.OWNER_IDS;
  var h = app.h;
  var label = app.label;
  var t = app.t;
  var count = app.count;
  var state = app.state;
  var drawn = app.drawn;
  var network = app.network;

  var legend = app.byId("kg-legend");
  var status = app.byId("kg-status");

  function swatch(type) {
    return h("span", { class: "kg-swatch kg-shape-" + type.shape, style: { background: type.color },
      "aria-hidden": "true" });
  }

  function lineSample(rel) {
    return h("span", { class: "kg-line" + (rel.dashes ? " kg-dashed" : ""), "aria-hidden": "true",
      style: { borderTopColor: rel.color } },
    h("span", { class: "kg-arrow", style: { color: rel.color }, text: rel.symmetric ? "" : "▶" }));
  }

  /** The second language of the label choice ("en+zh-Hans" → "zh-Hans"), or null. */
  function secondLanguage() {
    var parts = state.labels.split("+");
    return parts.length > 1 ? parts[1] : null;
  }

  /** A type's label as a heading for its members: "Features" in English, the label in Chinese. */
  function typePlural(type) { return label(type.label) + (app.uiLang() === "en" ? "s" : ""); }

  function toggleSection(title, key, items, decorate, describe) {
    var boxes = [];
    var list = h("ul", { class: "kg-toggles" });
    var secondLang = secondLanguage();
    items.forEach(function (item) {
      var box = h("input", { type: "checkbox", data: { filter: key, id: item.id } });
      box.checked = state[key].has(item.id);
      box.addEventListener("change", function () {
        if (box.checked) { state[key].add(item.id); } else { state[key].delete(item.id); }
        app.apply();
      });
      boxes.push(box);
      var second = secondLang ? item.label[secondLang] : null;
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
      app.apply();
    }
    var section = h("section", { class: "kg-legend-section", data: { section: key } },
      h("h2", null, title,
        h("span", { class: "kg-all" },
          h("button", { type: "button", class: "kg-link", text: t("all"), onclick: function () { setAll(true); } }),
          h("button", { type: "button", class: "kg-link", text: t("none"), onclick: function () { setAll(false); } }))),
      list);
    legend.appendChild(section);
    return boxes;
  }

  var typeBoxes = [];
  var relationBoxes = [];
  var kindBoxes = [];
  var groupBoxes = [];
  var featureBox = null;
  var isolatedBox = null;

  /** Everything below the status line, anew, from the state. */
  function buildLegend() {
    while (status.nextSibling) { legend.removeChild(status.nextSibling); }
    typeBoxes = toggleSection(t("legend.types"), "types", DATA.types, swatch);
    relationBoxes = toggleSection(t("legend.relations"), "relations", DATA.relations, lineSample, function (rel) {
      return rel.symmetric ? h("span", { class: "kg-hint", text: t("bothWays") })
        : rel.derived ? h("span", { class: "kg-hint", text: t("reference") }) : null;
    });
    kindBoxes = toggleSection(t("legend.kinds"), "kinds", DATA.kinds.filter(function (k) { return k.count; }),
      function (kind) {
        return h("span", { class: "kg-line" + (kind.id === "claim" ? " kg-claim-line" : ""), "aria-hidden": "true" });
      });

    // Groups: each owner with the entities drawn with it; a ticked box draws the group as one node.
    groupBoxes = [];
    if (OWNER_IDS.length) {
      var groupList = h("ul", { class: "kg-toggles" });
      OWNER_IDS.forEach(function (owner) {
        var box = h("input", { type: "checkbox", data: { group: owner } });
        box.checked = state.collapsed.has(owner);
        box.addEventListener("change", function () { setCollapsed(owner, box.checked); });
        groupBoxes.push(box);
        groupList.appendChild(h("li", { title: t("group.tip", { name: app.entityName(owner) }) },
          h("label", null, box, h("span", { class: "kg-name", text: app.entityName(owner) }),
            h("span", { class: "kg-count", text: "+" + MEMBERS[owner].length }))));
      });
      legend.appendChild(h("section", { class: "kg-legend-section", data: { section: "groups" } },
        h("h2", null, t("groups"),
          h("span", { class: "kg-all" },
            h("button", { type: "button", id: "kg-collapse-all", class: "kg-link", text: t("all"),
              onclick: function () { collapseAll(true); network.fit({ animation: { duration: 300 } }); } }),
            h("button", { type: "button", id: "kg-expand-all", class: "kg-link", text: t("none"),
              onclick: function () { collapseAll(false); } }))),
        groupList,
        h("p", { class: "kg-hint", text: t("groups.hint") })));
    }
    var panelTypes = DATA.types.filter(function (type) { return IN_PANEL.has(type.id); });
    featureBox = h("input", { type: "checkbox", id: "kg-draw-features" });
    isolatedBox = h("input", { type: "checkbox", id: "kg-show-isolated" });
    featureBox.checked = state.features;
    isolatedBox.checked = state.isolated;
    featureBox.addEventListener("change", function () { setFeatures(featureBox.checked); });
    isolatedBox.addEventListener("change", function () { setIsolated(isolatedBox.checked); });
    legend.appendChild(h("section", { class: "kg-legend-section", data: { section: "display" } },
      h("h2", null, t("display")),
      h("ul", { class: "kg-toggles" },
        panelTypes.length ? h("li", { title: t("display.features.tip") },
          h("label", null, featureBox, h("span", { class: "kg-name",
            text: t("display.features", { types: panelTypes.map(typePlural).join(", ") }) }))) : null,
        h("li", { title: t("display.isolated.tip") },
          h("label", null, isolatedBox, h("span", { class: "kg-name", text: t("display.isolated") }))))));

    legend.appendChild(h("p", { class: "kg-note", text: t("legend.note") }));
  }
  buildLegend();

  var STATED_COUNT = FACT_IDS.filter(function (id) { return !FACT[id].derived_from; }).length;

  function updateStatus() {
    var counts = app.inView();
    var lines = drawn.facts.size + Object.keys(drawn.groups).length;
    status.textContent = t("status", {
      entities: count(counts.entities.length, "entity"), total: ENTITY_IDS.length,
      facts: count(counts.facts.length, "fact"), stated: STATED_COUNT,
      references: FACT_IDS.length > STATED_COUNT ? " · " + count(counts.references.length, "refs") : "",
      asof: state.date ? t("status.asof", { day: state.date }) : "",
      nodes: count(drawn.nodes.size, "node"), lines: count(lines, "line") });
  }

  // --- the switches -----------------------------------------------------------------------

  function setCollapsed(owner, on) {
    if (!MEMBERS[owner]) { throw new Error("kg.collapse: " + JSON.stringify(owner) + " has no group"); }
    if (on) { state.collapsed.add(owner); } else { state.collapsed.delete(owner); }
    groupBoxes.forEach(function (box) { box.checked = state.collapsed.has(box.dataset.group); });
    app.apply();
  }

  function toggleGroup(owner) { setCollapsed(owner, !state.collapsed.has(owner)); }

  function collapseAll(on) {
    state.collapsed = new Set(on ? OWNER_IDS : []);
    groupBoxes.forEach(function (box) { box.checked = on; });
    app.apply();
  }

  function setFeatures(on) { state.features = !!on; featureBox.checked = state.features; app.apply(); }

  function setIsolated(on) { state.isolated = !!on; isolatedBox.checked = state.isolated; app.apply(); }

  /** Every filter ticked, no group collapsed, the display switches as the page opens. */
  function resetLegend() {
    [["types", typeBoxes], ["relations", relationBoxes], ["kinds", kindBoxes]].forEach(function (pair) {
      pair[1].forEach(function (box) { box.checked = true; state[pair[0]].add(box.dataset.id); });
    });
    state.collapsed = new Set();
    groupBoxes.forEach(function (box) { box.checked = false; });
    state.features = false;
    featureBox.checked = false;
    state.isolated = true;
    isolatedBox.checked = true;
  }

  app.swatch = swatch;
  app.typePlural = typePlural;
  app.buildLegend = buildLegend;
  app.updateStatus = updateStatus;
  app.setCollapsed = setCollapsed;
  app.toggleGroup = toggleGroup;
  app.collapseAll = collapseAll;
  app.setFeatures = setFeatures;
  app.setIsolated = setIsolated;
  app.resetLegend = resetLegend;
}(app));
