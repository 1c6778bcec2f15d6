/* controls: apply() (every change of filters, date, groups or display redraws through it),
 * the label language (which is also the interface language, i18n.js), relation names on
 * lines, Fit, and Reset.
 */
(function (app) {
  "use strict";

  var LANGS = app.LANGS;
  var LANGUAGE_NAMES = app.LANGUAGE_NAMES;
  var h = app.h;
  var byId = app.byId;
  var state = app.state;
  var network = app.network;

  /** Recompute what is drawn after any change of filters, date, groups or display. */
  function apply() {
    if (!app.ready) { return; }
    app.computeDrawn();
    app.computeFocus();
    app.paint();
    app.refreshViews();
    app.hideTooltip();
    app.updateStatus();
    app.refreshPanel();
    app.renderMap();
  }

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
  labelSelect.value = app.DEFAULT_LABELS;

  var shownIn = { ui: app.uiLang(), labels: state.labels };  // what the chrome was built for

  /** Everything built once with the interface's words, built again when the language changes
   * (the hover boxes of every node and line only when the interface language does). */
  function relanguage() {
    var ui = app.uiLang();
    if (ui !== shownIn.ui) {
      app.translateChrome();
      app.retitle();
      app.translateDate();
      if (!state.selected) { app.showOverview(); }
    }
    if (ui !== shownIn.ui || state.labels !== shownIn.labels) { app.buildLegend(); }
    shownIn = { ui: ui, labels: state.labels };
  }

  function setLabels(mode) {
    state.labels = mode;
    labelSelect.value = mode;
    relanguage();
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

  // --- reset ------------------------------------------------------------------------------

  function reset() {
    app.pause();
    app.resetLegend();
    app.clearSearch();
    state.labels = app.DEFAULT_LABELS;
    labelSelect.value = app.DEFAULT_LABELS;
    state.edgeLabels = false;
    edgeLabelBox.checked = false;
    state.selected = null;
    relanguage();
    app.setDate(app.INITIAL_DATE);
    app.select(null);
    network.fit({ animation: false });
  }
  byId("kg-reset").addEventListener("click", reset);

  app.apply = apply;
  app.setLabels = setLabels;
  app.reset = reset;
}(app));
