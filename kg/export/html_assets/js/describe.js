/* describe: what the panel, the map's tiles and the pictures say about an entity, in one
 * place: the features it has and the absences recorded for it, its figures with their
 * qualifiers, and when it begins to exist.
 */
(function (app) {
  "use strict";

  var ENT = app.ENT;
  var FACT = app.FACT;
  var RELATIONS = app.RELATIONS;
  var IN_PANEL = app.IN_PANEL;
  var FACTS_OF = app.FACTS_OF;
  var label = app.label;
  var t = app.t;

  function byLabel(a, b) {
    var x = ENT[a.id].label.toLowerCase();
    var y = ENT[b.id].label.toLowerCase();
    return x < y ? -1 : x > y ? 1 : (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  }

  /**
   * The features an entity has and those it is recorded to lack: {has: [...], lacks: [...]},
   * each item {id, facts, claim} (the feature, the facts that say so, whether all of them
   * are claims), sorted by label. Only the entity's own statements count: facts whose
   * subject it is, of a stated relation, to an entity of an `in_panel` type; a fact of a
   * relation that negates another (`lacks` negates `has-feature`) is an absence. Reference
   * edges (a figure's `where`, a claim's holder) never make a feature. With `day`, only
   * facts valid that day, to features that exist then.
   */
  function featureLinks(id, day) {
    var found = { has: {}, lacks: {} };
    if (!ENT[id] || IN_PANEL.has(ENT[id].type)) { return { has: [], lacks: [] }; }
    FACTS_OF[id].forEach(function (fid) {
      var f = FACT[fid];
      var rel = RELATIONS[f.relation];
      if (f.subject !== id || f.derived_from || !rel || rel.derived || !IN_PANEL.has(ENT[f.object].type)) { return; }
      if (day && !(app.validOn(f, day) && app.existsOn(ENT[f.object], day))) { return; }
      var side = rel.negates ? found.lacks : found.has;
      var item = side[f.object] || (side[f.object] = { id: f.object, facts: [], claim: true });
      item.facts.push(fid);
      item.claim = item.claim && f.kind === "claim";
    });
    function list(map) { return Object.keys(map).map(function (k) { return map[k]; }).sort(byLabel); }
    return { has: list(found.has), lacks: list(found.lacks) };
  }

  /** A feature's name, marked when only claims say the entity has it. */
  function featureText(item) { return app.entityName(item.id) + (item.claim ? t("claimMark") : ""); }

  /** "✗ lacks Synchronized audio until 2025-09-30" (the latest end among its facts). */
  function absenceText(item, short) {
    var ends = item.facts.map(function (fid) { return FACT[fid].until; });
    var open = ends.some(function (end) { return !end; });
    var until = open ? null : ends.sort()[ends.length - 1];
    return t(short ? "lacks.short" : "lacks", { feature: app.entityName(item.id) }) +
      (until ? " " + t("until", { day: until }) : "") + (item.claim ? t("claimMark") : "");
  }

  var BOUNDS = {
    "at-most": "at-most", "upper": "at-most", "max": "at-most", "maximum": "at-most", "under": "at-most",
    "below": "at-most", "less-than": "at-most", "<": "at-most", "<=": "at-most", "≤": "at-most",
    "at-least": "at-least", "lower": "at-least", "min": "at-least", "minimum": "at-least", "over": "at-least",
    "above": "at-least", "more-than": "at-least", ">": "at-least", ">=": "at-least", "≥": "at-least",
    "about": "about", "approx": "about", "approximately": "about", "approximate": "about", "around": "about",
    "circa": "about", "~": "about", "≈": "about"
  };

  /** "at most", "at least", "about" (in the interface language) for a figure's bound: the
   * ontology's wording where the page data carries it (`bound_label`), else the page's own. */
  function boundWord(bound, boundLabel) {
    if (bound === null || bound === undefined || bound === "" || bound === "exact") { return ""; }
    if (boundLabel && label(boundLabel)) { return label(boundLabel); }
    var key = BOUNDS[String(bound).trim().toLowerCase().replace(/[\s_]+/g, "-")];
    return key ? t("bound." + key) : String(bound);
  }

  /** A qualifier value as text: a string as it is, a period {since, until} as a range. */
  function qualifierText(value) {
    if (value === null || value === undefined) { return ""; }
    if (typeof value !== "object") { return String(value); }
    if (Array.isArray(value)) { return value.map(qualifierText).join(", "); }
    if (value.since || value.until) { return app.period(value); }
    return Object.keys(value).sort().map(function (k) { return k + ": " + qualifierText(value[k]); }).join(", ");
  }

  /** A figure's number with its bound: "at most 48 hours". An amount that the export already
   * wrote with the English bound in front is not bounded twice. */
  function figureAmount(figure) {
    var word = boundWord(figure.bound, figure.bound_label);
    var amount = String(figure.amount);
    if (word) {
      var english = (figure.bound_label && figure.bound_label.en) ||
        (app.STRINGS.en["bound." + figure.bound] || String(figure.bound));
      if (amount.indexOf(english + " ") === 0) { amount = amount.slice(english.length + 1); }
    }
    return (word ? word + " " : "") + amount;
  }

  /** The figure's period and scope, where the data has them. */
  function figureQualifiers(figure) {
    var out = [];
    if (figure.period) { out.push(t("period", { period: qualifierText(figure.period) })); }
    if (figure.scope) { out.push(t("scope", { scope: qualifierText(figure.scope) })); }
    return out;
  }

  /** A figure in one line, for a tile: "production time: at most 48 hours · scope: … (claim)". */
  function figureText(figure) {
    return [label(figure.metric_label, figure.metric) + ": " + figureAmount(figure)]
      .concat(figureQualifiers(figure)).join(" · ") + (figure.kind === "claim" ? t("claimMark") : "");
  }

  /** When the entity begins to exist: "exists from 2025-09-30", or "start not recorded". */
  function startText(entity) {
    return entity.from ? t("start.from", { day: entity.from }) : t("start.unrecorded");
  }

  app.featureLinks = featureLinks;
  app.featureText = featureText;
  app.absenceText = absenceText;
  app.boundWord = boundWord;
  app.figureAmount = figureAmount;
  app.figureQualifiers = figureQualifiers;
  app.figureText = figureText;
  app.startText = startText;
}(app));
