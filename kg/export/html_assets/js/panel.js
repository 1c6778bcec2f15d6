/* panel: the details on the right (an entity, a fact, a collapsed group's line, or the
 * overview), and selection, which opens them.
 */
(function (app) {
  "use strict";

  var DATA = app.DATA;
  var ENT = app.ENT;
  var FACT = app.FACT;
  var SOURCES = app.SOURCES;
  var TYPES = app.TYPES;
  var RELATIONS = app.RELATIONS;
  var KINDS = app.KINDS;
  var IN_PANEL = app.IN_PANEL;
  var MEMBERS = app.MEMBERS;
  var FACTS_OF = app.FACTS_OF;
  var LANGUAGE_NAMES = app.LANGUAGE_NAMES;
  var h = app.h;
  var append = app.append;
  var clear = app.clear;
  var label = app.label;
  var otherLabels = app.otherLabels;
  var plural = app.plural;
  var state = app.state;
  var drawn = app.drawn;
  var nodeShown = app.nodeShown;
  var edgeShown = app.edgeShown;
  var drawnAs = app.drawnAs;
  var relationPhrase = app.relationPhrase;
  var arrowText = app.arrowText;
  var period = app.period;
  var network = app.network;

  var panel = app.byId("kg-panel");

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
          onclick: function () { app.toggleGroup(id); } }),
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
      h("p", null, plural(v.entities, "entity", "entities") + " and " + plural(v.facts, "fact", "facts") +
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
    app.computeFocus();
    if (app.ready) { app.paint(); }
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
    app.markTiles();
  }

  function refreshPanel() {
    var target = state.selected;
    if (!target) { return; }
    if (target.kind === "entity") { showEntity(target.id); }
    else if (target.kind === "group") { showGroup(target.id); }
    else { showFact(target.id); }
  }

  app.chip = chip;
  app.select = select;
  app.showOverview = showOverview;
  app.refreshPanel = refreshPanel;
}(app));
