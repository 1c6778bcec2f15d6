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
  var t = app.t;
  var count = app.count;
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
      title: hidden ? t("hiddenByFilters") : null,
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
      h("div", { class: "kg-locator" }, t("at"), h("span", { text: ref.locator })),
      url ? h("div", { class: "kg-url" }, h("a", { href: url, rel: "noopener noreferrer", target: "_blank", text: url })) : null);
  }

  function figureItem(figure) {
    var extras = [];
    if (period(figure)) { extras.push(period(figure)); }
    if (figure.region && figure.region.length) { extras.push(t("in", { where: figure.region.join(", ") })); }
    if (figure.where_label) { extras.push(t("on", { where: figure.where_label })); }
    if (figure.measured_by_label) { extras.push(t("measuredBy", { who: figure.measured_by_label })); }
    extras = extras.concat(app.figureQualifiers(figure));
    var shown = !state.date || !figure.start || figure.start <= state.date;
    return h("li", { class: "kg-figure" + (shown ? "" : " kg-hidden") },
      h("span", { class: "kg-figure-metric", text: label(figure.metric_label, figure.metric) + ": " }),
      h("strong", { text: app.figureAmount(figure) }),
      extras.length ? " " + extras.join(", ") : "",
      figure.kind === "claim" ? [" ", chip(t("claim"), null, "kg-claim")] : null,
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
    relButton.title = t("factDetails");
    return h("li", { class: "kg-fact-line" },
      relButton,
      " ",
      jump("entity", other, app.entityName(other), !nodeShown(other)),
      period(fact) ? h("span", { class: "kg-meta", text: " " + period(fact) }) : null,
      fact.kind === "claim" ? [" ", chip(t("claim"), null, "kg-claim")] : null);
  }

  function hiddenNote(shown) {
    return shown ? null : h("p", { class: "kg-warn", text: t("hiddenNote") });
  }

  /** The features an entity has (a button each, claims marked) and those it lacks (✗ …). */
  function featureSections(id) {
    var links = app.featureLinks(id);
    var heading = DATA.types.filter(function (type) { return IN_PANEL.has(type.id); }).map(app.typePlural).join(", ");
    return [
      links.has.length ? [h("h3", { text: heading }),
        h("p", { class: "kg-chips kg-features" }, links.has.map(function (item) {
          return jump("entity", item.id, app.featureText(item), !nodeShown(item.id));
        }))] : null,
      links.lacks.length ? [h("h3", { text: t("lacks.title") }),
        h("ul", { class: "kg-facts kg-lacks" }, links.lacks.map(function (item) {
          return h("li", { class: "kg-fact-line kg-absence" },
            jump("fact", item.facts[0], app.absenceText(item), !edgeShown(item.facts[0])));
        }))] : null
    ];
  }

  function showEntity(id) {
    var e = ENT[id];
    var type = TYPES[e.type];
    clear(panel);
    var facts = FACTS_OF[id];
    var members = MEMBERS[id] || [];
    append(panel, [
      h("h2", { class: "kg-panel-title", text: app.entityName(id) }),
      h("p", { class: "kg-chips" },
        chip(label(type ? type.label : e.type_label, e.type) + (otherLabels(e.type_label) ? " · " + otherLabels(e.type_label) : ""),
          type ? type.color : null),
        e.role_labels.map(function (r) { return chip(label(r), null, "kg-role"); })),
      h("p", { class: "kg-meta kg-start" + (e.from ? "" : " kg-start-unrecorded"), title: e.from ? e.existence || null : null,
        text: app.startText(e) }),
      hiddenNote(nodeShown(id)),
      e.owner && ENT[e.owner] ? h("p", { class: "kg-meta" }, t("drawnWith"),
        jump("entity", e.owner, app.entityName(e.owner), !nodeShown(e.owner)), t("drawnWith.end")) : null,
      members.length ? h("p", { class: "kg-group" },
        h("button", { type: "button", id: "kg-group-toggle", class: "kg-button",
          text: t(state.collapsed.has(id) ? "expandGroup" : "collapseGroup", { n: members.length }),
          onclick: function () { app.toggleGroup(id); } }),
        " ", h("span", { class: "kg-meta", text: members.map(function (m) { return app.entityName(m); }).join(", ") })) : null,
      e.description ? h("p", { class: "kg-description", text: e.description }) : null,
      featureSections(id),
      h("h3", { text: t("names") }),
      namesList(e.labels),
      e.aliases.length ? h("p", { class: "kg-aliases" }, t("aka"), h("span", { text: e.aliases.join(", ") })) : null,
      Object.keys(e.attributes).length ? [h("h3", { text: t("attributes") }),
        h("dl", { class: "kg-names" }, Object.keys(e.attributes).sort().map(function (key) {
          return [h("dt", { text: key }), h("dd", { text: String(e.attributes[key]) })];
        }))] : null,
      e.figures.length ? [h("h3", { text: t("figures") }), h("ul", { class: "kg-figures" }, e.figures.map(figureItem))] : null,
      h("h3", { text: count(facts.length, "fact") }),
      h("ul", { class: "kg-facts" }, facts.map(function (fid) { return factLine(FACT[fid], id); })),
      h("p", { class: "kg-id" }, t("id"), h("code", { text: e.id }))
    ]);
  }

  function showFact(id) {
    var f = FACT[id];
    var rel = RELATIONS[f.relation];
    var kind = KINDS[f.kind];
    clear(panel);
    var dates;
    if (f.start || f.end) {
      dates = t("holds", { range: [f.start ? t("holds.from", { day: f.start }) : "",
        f.end ? t("holds.through", { day: f.end }) : ""].filter(Boolean).join(" "), dated: period(f) });
    } else {
      dates = t("undated");
    }
    append(panel, [
      h("h2", { class: "kg-panel-title" },
        jump("entity", f.subject, app.entityName(f.subject), !nodeShown(f.subject)),
        h("span", { class: "kg-rel", style: { color: rel.color }, text: " " + arrowText(f) + " " + label(rel.label) + " " + arrowText(f) + " " }),
        jump("entity", f.object, app.entityName(f.object), !nodeShown(f.object))),
      hiddenNote(edgeShown(id)),
      f.kind === "claim"
        ? h("p", { class: "kg-claim-box" },
          h("strong", { text: t("Claim") }),
          t("claim.box"),
          f.claimed_by ? [t("claim.by"), jump("entity", f.claimed_by, f.claimed_by_label, !ENT[f.claimed_by] || !nodeShown(f.claimed_by)), "."] : null)
        : h("p", { class: "kg-chips" }, chip(label(kind.label, f.kind) + (otherLabels(kind.label) ? " · " + otherLabels(kind.label) : ""))),
      h("h3", { text: t("relation") }),
      namesList(rel.label),
      h("p", { class: "kg-meta", text: rel.definition }),
      f.derived_from ? h("p", { class: "kg-meta", text: t("derived", { field: f.derived_from.field,
        record: f.derived_from.record }) }) : null,
      h("h3", { text: t("dates") }),
      h("p", { text: dates }),
      f.qualifier_text.length ? [h("h3", { text: t("qualifiers") }),
        h("dl", { class: "kg-names" }, f.qualifier_text.map(function (pair) {
          return [h("dt", { text: pair[0] }), h("dd", { text: pair[1] })];
        }))] : null,
      f.note ? [h("h3", { text: t("note") }), h("p", { class: "kg-note-text", text: f.note })] : null,
      h("h3", { text: count(f.sources.length, "source") }),
      h("ol", { class: "kg-sources" }, f.sources.map(sourceItem)),
      h("p", { class: "kg-id" }, t("id"), h("code", { text: f.id }))
    ]);
  }

  function showOverview() {
    clear(panel);
    var v = DATA.view;
    var scope = [];
    if (v.focus) {
      scope.push(t("scope.around", { name: ENT[v.focus] ? app.entityName(v.focus) : v.focus, hops: count(v.depth, "hop") }));
    }
    if (v.relations.length) { scope.push(t("scope.relations", { list: v.relations.join(", ") })); }
    if (v.types.length) { scope.push(t("scope.types", { list: v.types.join(", ") })); }
    if (v.as_of) { scope.push(t("scope.asof", { day: v.as_of })); }
    append(panel, [
      h("h2", { class: "kg-panel-title", text: t("about") }),
      h("p", null, t("about.counts", { entities: count(v.entities, "entity"), facts: count(v.facts, "fact"),
        references: v.references ? t("about.references", { references: count(v.references, "refs") }) : "" })),
      scope.length ? h("p", { class: "kg-meta", text: t("exported", { scope: scope.join("; ") }) }) : null,
      h("ul", { class: "kg-help" }, t("help").map(function (line) { return h("li", { text: line }); }))
    ]);
  }

  function showGroup(id) {
    var group = drawn.groups[id];
    clear(panel);
    if (!group) { append(panel, h("p", { class: "kg-warn", text: t("groupGone") })); return; }
    append(panel, [
      h("h2", { class: "kg-panel-title" },
        jump("entity", group.from, app.entityName(group.from), false), " — ",
        jump("entity", group.to, app.entityName(group.to), false)),
      h("p", { text: t("groupLine", { facts: count(group.facts.length, "fact") }) }),
      h("ul", { class: "kg-facts" }, group.facts.map(function (fid) {
        var f = FACT[fid];
        return h("li", { class: "kg-fact-line" },
          jump("entity", f.subject, app.entityName(f.subject), false), " ",
          jump("fact", fid, arrowText(f) + " " + label(RELATIONS[f.relation].label) + " " + arrowText(f), false), " ",
          jump("entity", f.object, app.entityName(f.object), false),
          f.kind === "claim" ? [" ", chip(t("claim"), null, "kg-claim")] : null);
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
