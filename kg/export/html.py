"""The interactive page: one self-contained HTML file that works offline.

The graph is drawn by vis-network. pyvis builds the node, edge and layout
options (styles come from the ontology); the page itself is rendered from
our own template in ``html_assets/``, with vis-network's script and style
read from the installed pyvis package and written inline. The page's own
script is a set of small modules in ``html_assets/js/`` (see ``SCRIPT_MODULES``),
assembled here into one inline script. Nothing on the
page refers to another host, and a Content-Security-Policy forbids any
request, so the file works with the network cut off.

Text from the data travels as JSON inside ``<script type="application/json">``
(with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped) and the page's script
puts it in the document with ``textContent`` only, so no label, note or
title is ever read as markup.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from kg.data.model import Dataset, Entity, Fact, Figure
from kg.data.ontology import Ontology
from kg.errors import KgError
from kg.export import check_filters, write_atomic

__all__ = [
    "DEFAULT_TARGET", "existence_day", "export", "fold_table", "HUGE_PAGE", "HUGE_PAGE_ITERATIONS",
    "LARGE_PAGE", "LARGE_PAGE_ITERATIONS", "LAYOUT_SEED", "MAX_ENTITIES", "milestones", "owners",
    "page_script", "page_title", "payload", "relation_style", "render", "script_json", "segment_members",
    "select", "SCRIPT_MODULES", "slider_days", "STABILIZATION_ITERATIONS", "timeline_days", "TITLE",
    "type_style", "View", "VIEWS", "ViewTooLarge", "vis_network", "write"
]

DEFAULT_TARGET = Path("exports") / "ai-video-kg.html"
TITLE = "AI-video market knowledge graph"
LAYOUT_SEED = 20251001  # vis-network's layout.randomSeed: the same data gives the same picture
STABILIZATION_ITERATIONS = 400
# Large pages: fewer layout steps, and no Kamada-Kawai start (quadratic) past this many nodes;
# fewer still past HUGE_PAGE (measured by bench/html.py).
LARGE_PAGE = 100
LARGE_PAGE_ITERATIONS = 150
HUGE_PAGE = 250
HUGE_PAGE_ITERATIONS = 80
# Above this many entities a page is too slow to lay out and use in a browser (measured in
# headless Chromium by bench/html.py; see docs/html.md): the export refuses and names the filters.
MAX_ENTITIES = 300
VIEWS = ("graph", "map")
_FALLBACK_TYPE_STYLE = {"color": "#9e9e9e", "shape": "dot"}
_FALLBACK_RELATION_STYLE = {"color": "#888888", "dashes": False}
# Shapes vis-network draws with the label inside (the label needs contrast with the fill).
_LABEL_INSIDE = {"box", "ellipse", "circle", "database", "text"}
# The page's script, in the order it is assembled: each module is a function that adds its part
# to one namespace object, ``app``, and may use at load time only what earlier modules added.
SCRIPT_MODULES = ("core.js", "i18n.js", "state.js", "describe.js", "graph.js", "legend.js", "panel.js",
                  "search.js", "date.js", "map.js", "pictures.js", "controls.js", "api.js")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                 "\u2028": "\\u2028", "\u2029": "\\u2029"}


class ViewTooLarge(KgError):
    """The selection has more entities than a browser draws interactively."""

    def __init__(self, entities: int, limit: int) -> None:
        self.entities, self.limit = entities, limit
        super().__init__(
            f"the page would draw {entities:,} entities, more than the {limit:,} a browser lays out "
            "and draws interactively; narrow it with --focus ENTITY (and --depth N), --type TYPE "
            "or --relation REL")


@dataclass(frozen=True)
class View:
    """What the page shows: the entities and facts in view, and how they were chosen."""

    dataset: Dataset
    entities: list[Entity]
    facts: list[Fact]
    as_of: dt.date | None = None
    focus: str | None = None
    depth: int | None = None
    relations: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    start: str = "graph"  # the tab the page opens on: "graph" or "map"

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "focus": self.focus,
            "depth": self.depth,
            "relations": list(self.relations),
            "types": list(self.types),
            "view": self.start,
            "entities": len(self.entities),
            # Stated facts and reference edges apart: a reference is no fact.
            "facts": sum(1 for fact in self.facts if fact.derived_from is None),
            "references": sum(1 for fact in self.facts if fact.derived_from is not None),
        }


def select(dataset: Dataset, *, focus: str | None = None, depth: int = 1,
           relations: Iterable[str] | None = None, types: Iterable[str] | None = None,
           as_of: dt.date | None = None, start: str = "graph",
           limit: int | None = MAX_ENTITIES, roles: Iterable[str] | None = None) -> View:
    """The entities and facts to draw.

    ``as_of``, ``types`` and ``relations`` select as for every export
    (``kg.export.select``: facts that may hold on that day, entities that
    exist by then and are of those types, subtypes included; with
    ``relations``, entities left without a fact are dropped); ``focus`` then
    keeps the entities within ``depth`` hops of the focus, following facts
    either way, and the facts among them. ``start`` is the tab the page opens
    on. Raises UnknownTerm, LookupFailed, ViewTooLarge (more than ``limit``
    entities; None for no limit) or KgError.
    """
    from kg.export import select as select_part
    from kg.export import with_roles
    from kg.query import graph as kg_graph
    from kg.query.neighbors import within

    relations, types = check_filters(dataset.ontology, relations, types)
    if depth < 0:
        raise KgError("depth must be 0 or more")
    if start not in VIEWS:
        raise KgError(f"unknown view {start!r}; known: {', '.join(VIEWS)}")
    view = kg_graph.build(select_part(with_roles(dataset, roles), as_of, list(relations), list(types)))
    focus_id = None
    if focus is not None:
        focus_id = dataset.resolve(focus).id
        if focus_id not in view:
            raise KgError(f"{dataset.label(focus_id)!r} ({focus_id}) is not in view with the "
                          "filters given")
        view = view.subgraph(within(view, focus_id, depth))
    if limit is not None and view.number_of_nodes() > limit:
        raise ViewTooLarge(view.number_of_nodes(), limit)
    entities = [dataset.entities[node] for node in sorted(view.nodes)]
    facts = sorted((data["fact"] for _u, _v, data in view.edges(data=True)), key=lambda f: f.id)
    return View(dataset, entities, facts, as_of, focus_id, depth if focus_id else None,
                relations, types, start)



def export(dataset: Dataset, target: str | Path | None = None, **options: Any) -> list[Path]:
    """Write the page for ``select(dataset, **options)`` to ``target``; returns [target]."""
    return write(select(dataset, **options), target)


def write(view: View, target: str | Path | None = None) -> list[Path]:
    """Render the view and write it atomically."""
    path = Path(target) if target is not None else DEFAULT_TARGET
    return [write_atomic(path, render(view))]


def render(view: View) -> str:
    """The whole page as one string; the same view gives the same text."""
    import jinja2
    from markupsafe import Markup

    assets = resources.files("kg.export") / "html_assets"
    vis_js, vis_css = _vis_assets()
    app_js = page_script()
    app_css = (assets / "app.css").read_text(encoding="utf-8")
    _check_inline_script("vis-network.min.js", vis_js)
    for name, text in (("vis-network.css", vis_css), ("app.css", app_css)):
        if re.search(r"</style", text, re.IGNORECASE):
            raise KgError(f"{name} contains '</style' and cannot be written inline")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True)
    template = env.from_string((assets / "page.html.j2").read_text(encoding="utf-8"))
    scripts = [vis_js, app_js]
    csp = "; ".join([
        "default-src 'none'",
        "script-src " + " ".join(f"'sha256-{_sha256(s)}'" for s in scripts),
        "style-src 'unsafe-inline'",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ])
    return template.render(
        title=page_title(view),
        csp=Markup(csp),  # quotes only; no character that needs escaping in an attribute
        vis_css=Markup(vis_css),
        app_css=Markup(app_css),
        vis_js=Markup(vis_js),
        app_js=Markup(app_js),
        data=Markup(script_json(payload(view))),
    )


def page_script() -> str:
    """The page's own script: the modules of ``html_assets/js/`` in ``SCRIPT_MODULES`` order,
    inside one function that holds their shared namespace (so the page adds only ``window.kg``
    to the global scope). Raises KgError if a module could end its inline ``<script>``."""
    folder = resources.files("kg.export") / "html_assets" / "js"
    parts = ["/* The page's behaviour: legend and toggles, search, date control, details panel,\n"
             " * market map, pictures. Assembled from kg/export/html_assets/js/ by kg.export.html. */\n"
             "(function () {\n\"use strict\";\nvar app = {};\n"]
    for name in SCRIPT_MODULES:
        text = (folder / name).read_text(encoding="utf-8")
        _check_inline_script(name, text)
        parts.append(f"\n/* --- {name} --- */\n{text}")
    parts.append("}());\n")
    return "".join(parts)


def _check_inline_script(name: str, text: str) -> None:
    if re.search(r"</script|<!--", text, re.IGNORECASE):
        raise KgError(f"{name} contains '</script' or '<!--' and cannot be written inline")


def page_title(view: View) -> str:
    parts = [TITLE]
    if view.focus:
        parts.append(f"around {view.dataset.label(view.focus)}")
    if view.as_of:
        parts.append(f"as of {view.as_of.isoformat()}")
    return " — ".join(parts)


def script_json(value: Any) -> str:
    """JSON safe to place inside a <script> element: no '<', '>', '&' or line separators."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group(0)], text)


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _vis_assets() -> tuple[str, str]:
    """vis-network's script and style, as shipped inside the pyvis package."""
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib"
    folders = sorted(lib.glob("vis-*"), key=lambda p: tuple(int(n) for n in re.findall(r"\d+", p.name)))
    for folder in reversed(folders):
        js, css = folder / "vis-network.min.js", folder / "vis-network.css"
        if js.is_file() and css.is_file():
            return js.read_text(encoding="utf-8"), css.read_text(encoding="utf-8")
    raise KgError(f"vis-network not found in the pyvis package ({lib}); reinstall pyvis")


# --- the data the page carries --------------------------------------------------------------


def payload(view: View) -> dict[str, Any]:
    """Everything the page's script needs, as plain JSON-ready values."""
    dataset, onto = view.dataset, view.dataset.ontology
    type_counts = Counter(e.type for e in view.entities)
    relation_counts = Counter(f.relation for f in view.facts)
    kind_counts = Counter(f.kind for f in view.facts)
    sources = sorted({ref.source for f in view.facts for ref in f.sources}
                     | {ref.source for e in view.entities for g in _figures(view, e.id)
                        for ref in g.sources})
    owner_of = owners(view)
    return {
        "title": page_title(view),
        "view": view.to_json(),
        "languages": list(onto.languages),
        "types": [_type_json(onto, t, type_counts[t]) for t in onto.entity_types if type_counts[t]],
        "relations": [_relation_json(onto, r, relation_counts[r])
                      for r in onto.relations if relation_counts[r]],
        "kinds": [{"id": k.id, "label": dict(k.label), "definition": k.definition,
                   "count": kind_counts[k.id]} for k in onto.fact_kinds.values()],
        "entities": {e.id: _entity_json(view, e, owner_of.get(e.id)) for e in view.entities},
        "facts": {f.id: _fact_json(dataset, f) for f in view.facts},
        "sources": {s: dataset.sources[s].to_json() for s in sources if s in dataset.sources},
        "fold": fold_table(view.entities),
        "dates": timeline_days(view),
        "stops": slider_days(view),
        "milestones": milestones(view),
        "grouping": {"in_panel": _subtypes(onto, onto.grouping.get("in_panel", []))},
        "segments": [_segment_json(onto, seg) for seg in onto.segments.values()],
        "vis": vis_network(view),
    }


def type_style(onto: Ontology, type_id: str) -> dict[str, Any]:
    """The type's display style, inherited from its parents where it sets none."""
    style: dict[str, Any] = {}
    for ancestor in reversed(onto.ancestors(type_id)):
        style.update(onto.entity_types[ancestor].style)
    return {**_FALLBACK_TYPE_STYLE, **style}


def relation_style(onto: Ontology, relation_id: str) -> dict[str, Any]:
    return {**_FALLBACK_RELATION_STYLE, **onto.relations[relation_id].style}


def _type_json(onto: Ontology, type_id: str, count: int) -> dict[str, Any]:
    term = onto.entity_types[type_id]
    style = type_style(onto, type_id)
    return {"id": type_id, "label": dict(term.label), "definition": term.definition,
            "parent": term.parent, "color": style["color"], "shape": style["shape"], "count": count}


def _relation_json(onto: Ontology, relation_id: str, count: int) -> dict[str, Any]:
    rel = onto.relations[relation_id]
    style = relation_style(onto, relation_id)
    return {"id": rel.id, "label": dict(rel.label), "inverse_label": rel.inverse_label,
            "definition": rel.definition, "symmetric": rel.symmetric, "derived": rel.derived,
            "negates": rel.negates, "color": style["color"],
            "dashes": bool(style["dashes"]), "count": count}


def _entity_json(view: View, entity: Entity, owner: str | None) -> dict[str, Any]:
    from kg.data.names import normalize

    dataset = view.dataset
    exists_from = existence_day(dataset, entity.id)
    names = list(dict.fromkeys([entity.id, *entity.names()]))
    return {
        **entity.to_json(),
        "type_label": dict(dataset.ontology.entity_types[entity.type].label)
        if entity.type in dataset.ontology.entity_types else {"en": entity.type},
        "role_labels": [dict(dataset.ontology.roles[r].label) if r in dataset.ontology.roles
                        else {"en": r} for r in entity.roles],
        "from": exists_from.isoformat() if exists_from else None,
        # Why it starts then: "founded 2025-09-30", "announced by OpenAI on …", "start not recorded".
        "existence": dataset.existence_reason(entity.id),
        "owner": owner,
        "names": names,
        "folded": [normalize(n) for n in names],
        "figures": [_figure_json(dataset, g) for g in _figures(view, entity.id)],
    }


def _figures(view: View, entity_id: str) -> list[Figure]:
    figures = view.dataset.figures_of(entity_id)
    if view.as_of is not None:
        figures = [g for g in figures if g.valid_on(view.as_of)]
    return sorted(figures, key=lambda g: g.id)


def _figure_json(dataset: Dataset, figure: Figure) -> dict[str, Any]:
    from kg.data.phrases import figure_value

    metric = dataset.ontology.metrics.get(figure.metric)
    shown = figure_value(dataset, figure)  # with its bound: "at most 48 hours"
    return {
        **_figure_fields(dataset, figure),
        "metric_label": dict(metric.label) if metric else {"en": figure.metric},
        "amount": shown,
        "start": figure.since.start().isoformat() if figure.since else None,
        "measured_by_label": dataset.label(figure.measured_by) if figure.measured_by else None,
        "where_label": dataset.label(figure.where) if figure.where else None,
    }


# What qualifies a figure's number (read wherever the record keeps them): its bound ("at most",
# "at least", "about"), the period it covers and its scope. The page shows each one present.
FIGURE_QUALIFIERS = ("bound", "period", "scope")


def _figure_fields(dataset: Dataset, figure: Figure) -> dict[str, Any]:
    """Every field of the figure as JSON: its ``to_json``, plus any qualifier it carries beside
    it, and ``bound_label``, the ontology's wording of its bound in each language (where the
    ontology declares bounds)."""
    fields = figure.to_json()
    qualifiers = getattr(figure, "qualifiers", None) or {}
    for name in FIGURE_QUALIFIERS:
        value = fields.get(name)
        if value is None:
            value = qualifiers.get(name) if isinstance(qualifiers, dict) else None
        if value is None:
            value = getattr(figure, name, None)
        if value is not None:
            # Dates and other objects become their text, as in the data.
            fields[name] = json.loads(json.dumps(value, default=str))
    bound = fields.get("bound")
    term = getattr(dataset.ontology, "bounds", {}).get(bound) if isinstance(bound, str) else None
    fields["bound_label"] = dict(term.label) if term is not None else None
    return fields


def _fact_json(dataset: Dataset, fact: Fact) -> dict[str, Any]:
    return {
        **fact.to_json(),
        "start": fact.since.start().isoformat() if fact.since else None,
        "end": fact.until.end().isoformat() if fact.until else None,
        "claimed_by_label": dataset.label(fact.claimed_by) if fact.claimed_by else None,
        # A reference edge is shown only while the entities of its record exist.
        "reference_ends": list(fact.derived_from.ends) if fact.derived_from else [],
        "qualifier_text": [[key, _qualifier_text(dataset, key, value)]
                           for key, value in fact.qualifiers.items()],
    }


def _qualifier_text(dataset: Dataset, key: str, value: Any) -> str:
    from kg.data.phrases import amount

    term = dataset.ontology.qualifiers.get(key)
    if isinstance(value, dict) and "value" in value:
        return amount(value["value"], value.get("unit", ""), value.get("scale"))
    if term is not None and term.get("type") == "entity" and isinstance(value, str):
        return dataset.label(value)
    return str(value)


def existence_day(dataset: Dataset, entity_id: str) -> dt.date | None:
    """The first day the entity exists (the page hides it before): its ``founded`` date, else
    the earliest fact that begins it (``Dataset.exists_from``); None when its start is not
    recorded (it is then there on every day)."""
    start = dataset.exists_from(entity_id)
    return start.start() if start is not None else None


def _subtypes(onto: Ontology, types: Iterable[str]) -> list[str]:
    """The types and every subtype of them, sorted."""
    wanted = list(types)
    return sorted(t for t in onto.entity_types if onto.is_a(t, wanted))


def owners(view: View) -> dict[str, str]:
    """member id -> the owner it is drawn with and collapses into (``grouping`` in the ontology).

    The owner is the subject of a fact of a grouping relation about the
    member; the first relation listed wins, then the first subject by id.
    Whether the fact holds on a given day does not matter: groups stay put
    as the date changes.
    """
    onto = view.dataset.ontology
    grouping = onto.grouping
    if not grouping:
        return {}
    in_view = {e.id: e for e in view.entities}
    rank = {rel: i for i, rel in enumerate(grouping["relations"])}
    candidates: dict[str, list[tuple[int, str]]] = {}
    for fact in view.facts:
        subject, member = in_view.get(fact.subject), in_view.get(fact.object)
        if (fact.relation in rank and fact.kind != "claim" and subject is not None
                and member is not None and onto.is_a(subject.type, grouping["owners"])
                and onto.is_a(member.type, grouping["members"])):
            candidates.setdefault(member.id, []).append((rank[fact.relation], subject.id))
    return {member: min(found)[1] for member, found in sorted(candidates.items())}


def _segment_json(onto: Ontology, segment: Any) -> dict[str, Any]:
    return {"id": segment.id, "label": dict(segment.label), "definition": segment.definition,
            "types": _subtypes(onto, segment.get("types") or []), "roles": list(segment.get("roles") or []),
            "relation": segment.get("relation"), "direction": segment.get("direction", "out"),
            "with": _subtypes(onto, segment.get("with") or [])}


def segment_members(view: View, day: dt.date | None = None) -> dict[str, list[str]]:
    """segment id -> the ids of its players on ``day`` (every day when None), sorted.

    The market map on the page computes the same in the browser; this is the
    reference the tests compare it with.
    """
    onto = view.dataset.ontology
    entities = {e.id: e for e in view.entities if day is None or view.dataset.exists_on(e.id, day)}
    facts = [f for f in view.facts if (day is None or f.valid_on(day))
             and f.subject in entities and f.object in entities]
    members: dict[str, list[str]] = {}
    for segment in onto.segments.values():
        seg = _segment_json(onto, segment)
        found = []
        for entity in entities.values():
            if seg["types"] and entity.type not in seg["types"]:
                continue
            if seg["roles"] and not set(seg["roles"]) & set(entity.roles):
                continue
            if seg["relation"]:
                ends = [(f.subject, f.object) if seg["direction"] == "out" else (f.object, f.subject)
                        for f in facts if f.relation == seg["relation"]]
                if not any(me == entity.id and (not seg["with"] or entities[other].type in seg["with"])
                           for me, other in ends):
                    continue
            found.append(entity.id)
        members[segment.id] = sorted(found)
    return members


def milestones(view: View) -> list[dict[str, Any]]:
    """The days of reported events, with the events of each (ticks under the date slider)."""
    days: dict[str, list[str]] = {}
    for fact in view.facts:
        if fact.kind == "event" and fact.since is not None and fact.derived_from is None:
            days.setdefault(fact.since.start().isoformat(), []).append(fact.id)
    return [{"day": day, "facts": sorted(ids)} for day, ids in sorted(days.items())]


def fold_table(entities: Iterable[Entity]) -> dict[str, str]:
    """Traditional -> simplified characters for the page's search box.

    The page folds a query the way ``kg.data.names.normalize`` folds names, but
    has no OpenCC: it gets this table, covering every Chinese character of
    the names in view in both scripts.
    """
    import opencc

    t2s = opencc.OpenCC("t2s")
    to_traditional = [opencc.OpenCC(c) for c in ("s2t", "s2tw", "s2hk")]
    table: dict[str, str] = {}
    for entity in entities:
        for name in entity.names():
            for char in name:
                if ord(char) < 0x2E80:
                    continue
                simple = t2s.convert(char)
                if simple != char:
                    table[char] = simple
                for convert in to_traditional:
                    trad = convert.convert(simple)
                    if len(trad) == 1 and trad != simple and t2s.convert(trad) == simple:
                        table[trad] = simple
    return dict(sorted(table.items()))


def timeline_days(view: View) -> list[str]:
    """The days on which what is in view changes (for the date slider), sorted."""
    days: set[dt.date] = set()
    for fact in view.facts:
        if fact.since is not None:
            days.add(fact.since.start())
        if fact.until is not None:
            days.add(fact.until.end() + dt.timedelta(days=1))
    for entity in view.entities:
        start = existence_day(view.dataset, entity.id)
        if start is not None:
            days.add(start)
    if view.as_of is not None:
        days = {d for d in days if d <= view.as_of} | {view.as_of}
    return [d.isoformat() for d in sorted(days)]


def slider_days(view: View) -> list[str]:
    """The date slider's stops: every day that changes the view and the day before each.

    The day before a change shows the landscape just before it (the eve of a
    launch); the page adds any day typed into the date box.
    """
    changes = [dt.date.fromisoformat(day) for day in timeline_days(view)]
    days = set(changes)
    for day in changes[1:]:
        days.add(day - dt.timedelta(days=1))
    return [d.isoformat() for d in sorted(days)]


# --- vis-network nodes, edges and options, built with pyvis ---------------------------------


def vis_network(view: View) -> dict[str, Any]:
    """Node, edge and option objects for vis-network, built with pyvis."""
    from pyvis.network import Network

    onto = view.dataset.ontology
    # Directed, so that pyvis keeps every fact between a pair (it merges undirected duplicates);
    # arrows are then set per edge from the relation's symmetry.
    net = Network(directed=True, height="100%", width="100%")
    degree = Counter(node for f in view.facts for node in {f.subject, f.object})
    for entity in view.entities:
        style = type_style(onto, entity.type)
        inside = style["shape"] in _LABEL_INSIDE
        net.add_node(
            entity.id, label=entity.label, shape=style["shape"],
            color={"background": style["color"], "border": _shade(style["color"], 0.7),
                   "highlight": {"background": style["color"], "border": "#111111"},
                   "hover": {"background": style["color"], "border": "#111111"}},
            value=degree[entity.id] + 1,
            font={"color": _ink(style["color"]) if inside else "#222222",
                  "strokeWidth": 0 if inside else 3, "strokeColor": "#ffffff"},
            borderWidth=2 if entity.roles else 1,
            shapeProperties={"borderDashes": [4, 3] if entity.roles else False},
        )
    pairs = Counter(frozenset((f.subject, f.object)) for f in view.facts)
    seen: Counter[frozenset[str]] = Counter()
    for fact in view.facts:
        relation = onto.relations[fact.relation]
        style = relation_style(onto, fact.relation)
        claim = fact.kind == "claim"
        pair = frozenset((fact.subject, fact.object))
        net.add_edge(
            fact.subject, fact.object, id=fact.id,
            color={"color": style["color"], "highlight": style["color"], "hover": style["color"],
                   "opacity": 0.55 if claim else 1.0},
            dashes=bool(style["dashes"]), width=1 if claim else 2,
            arrows={"to": {"enabled": not relation.symmetric, "scaleFactor": 0.6}},
            smooth=_smooth(fact, seen[pair], pairs[pair]),
        )
        seen[pair] += 1
    net.force_atlas_2based(gravity=-60, central_gravity=0.012, spring_length=110,
                           spring_strength=0.06, damping=0.5, overlap=0.4)
    net.toggle_stabilization(True)
    large = len(view.entities) > LARGE_PAGE
    net.options.physics.stabilization.iterations = (
        HUGE_PAGE_ITERATIONS if len(view.entities) > HUGE_PAGE
        else LARGE_PAGE_ITERATIONS if large else STABILIZATION_ITERATIONS)
    net.options.physics.stabilization.updateInterval = 50
    net.set_edge_smooth("continuous")
    net.inherit_edge_colors(False)
    net.toggle_hide_edges_on_drag(False)
    options = json.loads(net.options.to_json())
    options["layout"] = {"randomSeed": LAYOUT_SEED, "improvedLayout": not large}
    options["physics"]["minVelocity"] = 0.75
    options["interaction"].update({"hover": True, "tooltipDelay": 200, "multiselect": False,
                                   "navigationButtons": False, "keyboard": False})
    # Labels grow with the node (its number of facts); minor labels are left out when zoomed
    # far out, so that the overview stays readable.
    options["nodes"] = {"scaling": {"min": 10, "max": 34,
                                    "label": {"enabled": True, "min": 16, "max": 26, "maxVisible": 30,
                                              "drawThreshold": 5}},
                        "font": {"size": 14, "face": "system-ui, sans-serif", "multi": False}}
    options["edges"]["font"] = {"size": 11, "align": "middle", "strokeWidth": 3,
                                "face": "system-ui, sans-serif"}
    options["edges"]["selectionWidth"] = 2
    return {"nodes": net.nodes, "edges": net.edges, "options": options}


def _smooth(fact: Fact, index: int, count: int) -> dict[str, Any]:
    """Parallel edges between one pair bend apart; a lone edge is drawn straight-ish."""
    if count < 2:
        return {"enabled": True, "type": "continuous", "roundness": 0.2}
    # Bend relative to the pair's sorted order, so facts stated in opposite
    # directions do not fall on the same curve.
    clockwise = (index % 2 == 0) == (fact.subject <= fact.object)
    return {"enabled": True, "type": "curvedCW" if clockwise else "curvedCCW",
            "roundness": round(0.15 + 0.15 * (index // 2), 2)}


def _shade(color: str, factor: float) -> str:
    """A darker version of a #rrggbb colour."""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", color):
        return color
    rgb = [int(color[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c * factor):02x}" for c in rgb)


def _ink(color: str) -> str:
    """Black or white, whichever reads better on the colour."""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", color):
        return "#222222"
    r, g, b = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return "#111111" if 0.299 * r + 0.587 * g + 0.114 * b > 0.6 else "#ffffff"
