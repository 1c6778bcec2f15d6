/* search: the search box and its list of matches (the ranking is app.search, in core.js). */
(function (app) {
  "use strict";

  var ENT = app.ENT;
  var TYPES = app.TYPES;
  var h = app.h;
  var clear = app.clear;
  var search = app.search;
  var swatch = app.swatch;
  var byId = app.byId;

  var searchBox = byId("kg-search");
  var results = byId("kg-results");
  var active = 0;

  function renderResults() {
    clear(results);
    var hits = search(searchBox.value);
    active = 0;
    if (!searchBox.value.trim()) { results.hidden = true; return hits; }
    if (!hits.length) {
      results.appendChild(h("li", { class: "kg-empty", text: app.t("search.none") }));
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
    app.select({ kind: "entity", id: id }, true);
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

  /** Empty the box and close the list. */
  function clearSearch() {
    searchBox.value = "";
    results.hidden = true;
  }

  app.clearSearch = clearSearch;
}(app));
