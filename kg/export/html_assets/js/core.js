/* core: the page's data and the indexes over it, the element builder, name folding and search.
 *
 * Every string that comes from the data reaches the document through
 * textContent (or as a DOM element handed to vis-network), never as markup:
 * h() is the only way the page's modules build elements.
 */
(function (app) {
  "use strict";

  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var TYPES = {};
  var RELATIONS = {};
  var KINDS = {};
  DATA.types.forEach(function (t) { TYPES[t.id] = t; });
  DATA.relations.forEach(function (r) { RELATIONS[r.id] = r; });
  DATA.kinds.forEach(function (k) { KINDS[k.id] = k; });
  var LANGS = DATA.languages;

  app.DATA = DATA;
  app.ENT = DATA.entities;
  app.FACT = DATA.facts;
  app.SOURCES = DATA.sources;
  app.LANGS = LANGS;
  app.TYPES = TYPES;
  app.RELATIONS = RELATIONS;
  app.KINDS = KINDS;
  app.ENTITY_IDS = Object.keys(DATA.entities).sort();
  app.FACT_IDS = Object.keys(DATA.facts).sort();
  app.INITIAL_DATE = DATA.view.as_of || "";
  app.LANGUAGE_NAMES = { "en": "English", "zh-Hans": "简体中文", "zh-Hant": "繁體中文" };
  app.DEFAULT_LABELS = LANGS.length > 1 ? LANGS[0] + "+" + LANGS[1] : LANGS[0];

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

  /** A label of the data in the interface language (i18n.js), else English, else the first. */
  function label(map, fallback) {
    var lang = app.uiLang ? app.uiLang() : "en";
    return (map && (map[lang] || map.en || map[LANGS[0]])) || fallback || "";
  }

  /** An entity's name in the interface language (its label in English). */
  function entityName(id) {
    var e = app.ENT[id];
    var lang = app.uiLang ? app.uiLang() : "en";
    return lang === "en" ? e.label : (e.labels[lang] || e.label);
  }

  /** The other-language labels that differ from the one shown, joined. */
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

  function truncate(text, size) { return text.length > size ? text.slice(0, size - 1) + "…" : text; }

  // --- name folding, as kg.data.names.normalize does it ----------------------------------

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
    app.ENTITY_IDS.forEach(function (id) {
      var e = app.ENT[id];
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

  // --- indexes ----------------------------------------------------------------------------

  var IN_PANEL = new Set(DATA.grouping.in_panel);
  var MEMBERS = {};  // owner id -> ids of the entities drawn with it (sorted)
  app.ENTITY_IDS.forEach(function (id) {
    var owner = app.ENT[id].owner;
    if (owner && app.ENT[owner]) { (MEMBERS[owner] = MEMBERS[owner] || []).push(id); }
  });
  var FACTS_OF = {};  // entity id -> ids of its facts, either way
  app.ENTITY_IDS.forEach(function (id) { FACTS_OF[id] = []; });
  app.FACT_IDS.forEach(function (fid) {
    FACTS_OF[app.FACT[fid].subject].push(fid);
    if (app.FACT[fid].object !== app.FACT[fid].subject) { FACTS_OF[app.FACT[fid].object].push(fid); }
  });

  app.IN_PANEL = IN_PANEL;
  app.MEMBERS = MEMBERS;
  app.OWNER_IDS = Object.keys(MEMBERS).sort();
  app.FACTS_OF = FACTS_OF;
  app.h = h;
  app.append = append;
  app.clear = clear;
  app.byId = byId;
  app.label = label;
  app.otherLabels = otherLabels;
  app.entityName = entityName;
  app.truncate = truncate;
  app.fold = fold;
  app.search = search;
}(app));
