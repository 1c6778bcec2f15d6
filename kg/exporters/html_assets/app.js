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

  var state = {
    types: new Set(DATA.types.map(function (t) { return t.id; })),
    relations: new Set(DATA.relations.map(function (r) { return r.id; })),
    kinds: new Set(DATA.kinds.map(function (k) { return k.id; })),
    date: INITIAL_DATE,
    labels: DEFAULT_LABELS,
    edgeLabels: false,
    selected: null
  };

  function existsOn(entity, day) { return !day || !entity.exists_from || entity.exists_from <= day; }

  function validOn(fact, day) {
    return !day || ((!fact.start || fact.start <= day) && (!fact.end || fact.end >= day));
  }

  function nodeShown(id) {
    var e = ENT[id];
    return !!e && state.types.has(e.type) && existsOn(e, state.date);
  }

  function edgeShown(id) {
    var f = FACT[id];
    return !!f && state.relations.has(f.relation) && state.kinds.has(f.kind) &&
      validOn(f, state.date) && nodeShown(f.subject) && nodeShown(f.object) &&
      f.reference_ends.every(function (end) { return !ENT[end] || existsOn(ENT[end], state.date); });
  }

  function nodeLabel(id) {
    var e = ENT[id];
    var mode = state.labels;
    if (mode.indexOf("+") > 0) {
      var parts = mode.split("+");
      var first = e.labels[parts[0]] || e.label;
      var second = e.labels[parts[1]];
      return second && second !== first ? first + "\n" + second : first;
    }
    return e.labels[mode] || e.label;
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

  // --- the network ------------------------------------------------------------------------

  var nodeData = new vis.DataSet(DATA.vis.nodes.map(function (n) {
    return Object.assign({}, n, { label: nodeLabel(n.id), title: nodeTip(n.id) });
  }));
  var edgeData = new vis.DataSet(DATA.vis.edges.map(function (e) {
    return Object.assign({}, e, { title: edgeTip(e.id) });
  }));
  var nodeView = new vis.DataView(nodeData, { filter: function (n) { return nodeShown(n.id); } });
  var edgeView = new vis.DataView(edgeData, { filter: function (e) { return edgeShown(e.id); } });
  var container = byId("kg-graph");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, DATA.vis.options);
  var ready = false;

  /** After the seeded layout has settled: freeze it (same data, same picture). */
  function finishLayout() {
    if (ready) { return; }
    network.setOptions({ physics: { enabled: false } });
    var positions = network.getPositions();
    nodeData.update(Object.keys(positions).sort().map(function (id) {
      return { id: id, x: positions[id].x, y: positions[id].y };
    }));
    network.fit({ animation: false });
    ready = true;
    document.documentElement.setAttribute("data-ready", "true");
  }

  network.once("stabilizationIterationsDone", finishLayout);
  network.once("stabilized", finishLayout);
  if (!DATA.vis.nodes.length) { finishLayout(); }

  network.on("click", function (params) {
    if (params.nodes.length) { select({ kind: "entity", id: params.nodes[0] }); }
    else if (params.edges.length) { select({ kind: "fact", id: params.edges[0] }); }
    else { select(null); }
  });

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
  legend.appendChild(h("p", { class: "kg-note" },
    "Arrows point from subject to object; relations that hold both ways have none. ",
    "Claims (opinions, forecasts) are drawn thin and faded. A dashed border marks an entity with a role."));

  function updateStatus() {
    var nodes = nodeView.getIds().length;
    var edges = edgeView.getIds().length;
    status.textContent = plural(nodes, "entity", "entities") + " of " + ENTITY_IDS.length + " · " +
      plural(edges, "fact", "facts") + " of " + FACT_IDS.length + " in view" +
      (state.date ? " · as of " + state.date : "");
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
    var facts = FACT_IDS.filter(function (fid) { return FACT[fid].subject === id || FACT[fid].object === id; });
    append(panel, [
      h("h2", { class: "kg-panel-title", text: e.label }),
      h("p", { class: "kg-chips" },
        chip(label(type ? type.label : e.type_label, e.type) + (otherLabels(e.type_label) ? " · " + otherLabels(e.type_label) : ""),
          type ? type.color : null),
        e.role_labels.map(function (r) { return chip(label(r), null, "kg-role"); })),
      hiddenNote(nodeShown(id)),
      e.description ? h("p", { class: "kg-description", text: e.description }) : null,
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
      h("p", null, plural(v.entities, "entity", "entities") + " and " + plural(v.facts, "fact", "facts") +
        ", each fact dated where the source dates it and cited to its sources."),
      scope.length ? h("p", { class: "kg-meta", text: "Exported " + scope.join("; ") + "." }) : null,
      h("ul", { class: "kg-help" },
        h("li", { text: "Click a node or a line for its details and sources." }),
        h("li", { text: "Search by any name or alias, in English or Chinese (simplified or traditional)." }),
        h("li", { text: "Untick types, relations or kinds in the legend to hide them." }),
        h("li", { text: "Pick a date to see the graph as it stood that day; “All dates” shows everything." }),
        h("li", { text: "Drag to pan, scroll to zoom; Reset restores everything." }))
    ]);
  }

  function select(target, center) {
    state.selected = target;
    if (!target) {
      network.unselectAll();
      showOverview();
      return;
    }
    if (target.kind === "entity") {
      if (nodeView.get(target.id)) {
        network.selectNodes([target.id], true);
        if (center) {
          network.focus(target.id, { scale: Math.max(network.getScale(), 1.0),
            animation: { duration: 400, easingFunction: "easeInOutQuad" } });
        }
      } else {
        network.unselectAll();
      }
      showEntity(target.id);
    } else {
      if (edgeView.get(target.id)) { network.selectEdges([target.id]); } else { network.unselectAll(); }
      showFact(target.id);
    }
  }

  function refreshPanel() {
    var target = state.selected;
    if (!target) { return; }
    if (target.kind === "entity") { showEntity(target.id); } else { showFact(target.id); }
  }

  // --- controls ---------------------------------------------------------------------------

  function apply() {
    nodeView.refresh();
    edgeView.refresh();
    updateStatus();
    refreshPanel();
  }

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

  var dateBox = byId("kg-date");
  var slider = byId("kg-date-slider");
  slider.max = String(Math.max(DAYS.length - 1, 0));
  slider.disabled = !DAYS.length;

  function setDate(day) {
    state.date = day || "";
    dateBox.value = state.date;
    var index = DAYS.length - 1;
    if (state.date) {
      index = -1;
      DAYS.forEach(function (d, i) { if (d <= state.date) { index = i; } });
    }
    slider.value = String(Math.max(index, 0));
    apply();
  }

  dateBox.addEventListener("change", function () { setDate(dateBox.value); });
  dateBox.addEventListener("input", function () { if (dateBox.value || !dateBox.validity.badInput) { setDate(dateBox.value); } });
  slider.addEventListener("input", function () { setDate(DAYS[Number(slider.value)]); });
  byId("kg-date-clear").addEventListener("click", function () { setDate(""); });

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
    nodeData.update(ENTITY_IDS.map(function (id) { return { id: id, label: nodeLabel(id) }; }));
  }
  labelSelect.addEventListener("change", function () { setLabels(labelSelect.value); });

  var edgeLabelBox = byId("kg-edge-labels");
  function setEdgeLabels(on) {
    state.edgeLabels = on;
    edgeLabelBox.checked = on;
    edgeData.update(FACT_IDS.map(function (id) {
      return { id: id, label: on ? label(RELATIONS[FACT[id].relation].label) : " " };
    }));
  }
  edgeLabelBox.addEventListener("change", function () { setEdgeLabels(edgeLabelBox.checked); });

  byId("kg-fit").addEventListener("click", function () { network.fit({ animation: { duration: 300 } }); });

  function reset() {
    [["types", typeBoxes], ["relations", relationBoxes], ["kinds", kindBoxes]].forEach(function (pair) {
      pair[1].forEach(function (box) { box.checked = true; state[pair[0]].add(box.dataset.id); });
    });
    searchBox.value = "";
    results.hidden = true;
    setLabels(DEFAULT_LABELS);
    setEdgeLabels(false);
    select(null);
    setDate(INITIAL_DATE);
    network.fit({ animation: false });
  }
  byId("kg-reset").addEventListener("click", reset);

  setLabels(DEFAULT_LABELS);
  setDate(INITIAL_DATE);
  showOverview();

  window.kg = Object.freeze({
    data: DATA,
    network: network,
    nodes: nodeView,
    edges: edgeView,
    nodeData: nodeData,
    edgeData: edgeData,
    state: state,
    fold: fold,
    search: search,
    select: select,
    setDate: setDate,
    setLabels: setLabels,
    reset: reset,
    isReady: function () { return ready; }
  });
})();
