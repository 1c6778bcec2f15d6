"""A one-page brief on an entity: who it is, its position, figures, events, claims, sources.

``brief(dataset, name)`` gathers the content as data (``Brief``);
``kg.render.brief`` renders it as Markdown or an offline HTML page. The position sections are the
entity's rows in a one-column comparison (``kg.analysis.compare``), so they follow
the ontology's comparison groups and count what its models and apps have.
Claims are kept apart from reported facts. The notes of the records behind
an item (the *why*: who the customers are, what a claim rests on) travel with
it, each once. ``founded`` is cited by the facts that begin the entity on that
date, or said to be uncited. Citations are numbered in the order they first
appear; the same data (and the same ``made_on`` day) gives the same brief, byte
for byte.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kg.analysis.compare import Evidence, compare, row_label
from kg.analysis.documents import Dating, dating, in_view, numbered_sources
from kg.data import phrases
from kg.data.model import Dataset, Entity, Fact, SourceRef
from kg.errors import KgError

__all__ = ["Brief", "brief", "Item", "NO_EVENTS", "Section"]


@dataclass(frozen=True)
class Item:
    """One statement of the brief and the citations behind it."""

    text: str
    refs: tuple[SourceRef, ...] = ()
    notes: tuple[str, ...] = ()  # the notes of the records behind it (each note once per brief)


@dataclass
class Section:
    title: str
    items: list[Item]
    inline: bool = False  # a short list shown on one line ("Competitors: A, B, C")


@dataclass
class Brief:
    entity: Entity
    as_of: dt.date | None
    names: list[str]
    facts: list[Item]  # type, roles and attributes, as "key: value" ("founded" cited)
    description: str | None
    sections: list[Section]
    sources: list[tuple[str, list[str]]] = field(default_factory=list)  # source id, places cited
    dataset: Dataset | None = field(default=None, repr=False, compare=False)  # what it was built from
    dating: Dating | None = None  # the day described and the day made

    def number(self, source_id: str) -> int:
        return next(i for i, (s, _) in enumerate(self.sources, 1) if s == source_id)


NO_EVENTS = "no dated events recorded"


def brief(dataset: Dataset, name: str, as_of: dt.date | None = None, *, history: bool = False,
          made_on: dt.date | None = None, latest: dt.date | None = None) -> Brief:
    """The brief on ``name`` (an id, label or alias), as the data stands (or stood on ``as_of``).

    Its position, figures and claims leave out what had ended by the day described unless
    ``history``; its timeline is the history up to that day. ``made_on``: the day it is made
    (default: ``KG_TODAY``, else today). ``latest``: the latest dated record of the whole data
    when ``dataset`` is the part of it around the entity (``kg.analysis.documents.in_view``).
    """
    entity = dataset.resolve(name)
    if as_of is not None and not dataset.exists_on(entity.id, as_of):
        raise KgError(f"{entity.label} did not exist yet on {as_of.isoformat()} "
                      f"({dataset.existence_reason(entity.id)})")
    dated = dating(dataset, as_of, history, made_on, latest)
    past = in_view(dataset, as_of, history=True)
    current = in_view(dataset, as_of, history, latest)
    names = [f"{text} ({lang})" for lang, text in entity.labels.items()]
    names += list(entity.aliases)
    facts = [Item(f"type: {dataset.ontology.entity_types[entity.type].label.get('en', entity.type)}")]
    if entity.roles:
        facts.append(Item("roles: " + ", ".join(entity.roles)))
    for key, value in entity.attributes.items():
        facts.append(_founded(past, entity, value) if key == "founded" else Item(f"{key}: {value}"))
    sections = _position(current, entity)
    sections.append(Section("Key figures", _figures(current, entity)))
    sections.append(Section("Timeline", _timeline(past, entity) or [Item(NO_EVENTS)]))
    sections.append(Section("Claims", _claims(current, entity)))
    sections = [s for s in sections if s.items]
    _once(sections)
    result = Brief(entity, as_of, names, facts, entity.description, sections, dataset=current,
                   dating=dated)
    result.sources = numbered_sources((ref for item in [*facts, *(i for s in sections for i in s.items)]
                                       for ref in item.refs), current)
    return result


def _founded(dataset: Dataset, entity: Entity, value: object) -> Item:
    """``founded: 2025-09-30``, cited by the stated facts that begin the entity on that date (an
    announcement, a launch); ``founded: 2024-06 (uncited)`` when none does."""
    onto = dataset.ontology
    witnesses = [fact for fact in dataset.facts if fact.kind != "claim" and fact.since == value
                 and fact.relation in onto.relations
                 and any(getattr(fact, side) == entity.id for side in onto.relations[fact.relation].begins)]
    # The reported events of that day (an announcement, a launch) witness it best.
    witnesses = sorted([f for f in witnesses if f.kind == "event"] or witnesses, key=lambda f: f.id)
    refs = _refs(ref for fact in witnesses for ref in fact.sources)
    return Item(f"founded: {value}" + ("" if refs else " (uncited)"), refs)


def _once(sections: list[Section]) -> None:
    """Each note shown once, with the first item it explains."""
    seen: set[str] = set()
    for section in sections:
        for index, item in enumerate(section.items):
            fresh = tuple(note for note in item.notes if note not in seen)
            seen.update(fresh)
            if fresh != item.notes:
                section.items[index] = Item(item.text, item.refs, fresh)


def _notes(records) -> tuple[str, ...]:
    return tuple(dict.fromkeys(" ".join(r.note.split()) for r in records if r.note))


def _position(dataset: Dataset, entity: Entity) -> list[Section]:
    """One section per comparison group of the entity's reported facts (claims are listed apart)."""
    from kg.analysis.compare import NothingToCompare

    try:
        matrix = compare(dataset, [entity.id], history=True)  # the caller chose the view
    except NothingToCompare:
        return []
    sections = []
    for group in matrix.groups:
        if group.id == "figures":
            continue
        items = []
        for row in matrix.group_rows(group.id):
            cell = row.cells[0]
            facts = [e for e in cell.facts if e.fact.kind != "claim"]
            absences = [e for e in cell.absences if e.fact.kind != "claim"]
            direct = [e for e in facts if e.via is None]
            shown = direct or facts
            if shown:
                items.append(_item(dataset, row_label(matrix, row), shown))
            elif absences:
                items.append(_item(dataset, f"lacks {row_label(matrix, row)}", absences, absent=True))
        if items:
            sections.append(Section(group.label[:1].upper() + group.label[1:], items, inline=True))
    return sections


def _item(dataset: Dataset, label: str, evidence: list[Evidence], absent: bool = False) -> Item:
    details = [d for d in dict.fromkeys(_detail(dataset, e) for e in evidence) if d]
    text = label + (f" ({'; '.join(details)})" if details else "")
    return Item(text, _refs(ref for e in evidence for ref in e.fact.sources),
                _notes(e.fact for e in evidence))


def _detail(dataset: Dataset, evidence: Evidence) -> str:
    """``2025-09-30 – 2025-10-03, via Kling 2.0``: the dates and the member it came through."""
    fact = evidence.fact
    parts = [phrases.period(fact.since, fact.until).strip("[]"), phrases.curated(fact).strip("()")]
    if evidence.via:
        parts.append(f"via {dataset.label(evidence.via)}")
    return ", ".join(p for p in parts if p)


def _refs(refs) -> tuple[SourceRef, ...]:
    seen: dict[tuple[str, str, str | None], SourceRef] = {}
    for ref in refs:
        seen.setdefault((ref.source, ref.locator, ref.phrase), ref)
    return tuple(seen.values())


def _figures(dataset: Dataset, entity: Entity) -> list[Item]:
    from kg.analysis.compare import members

    member_map = members(dataset, entity.id)
    figures = [f for f in dataset.figures if f.entity in member_map]
    figures.sort(key=lambda f: (f.metric, f.since.sort_key() if f.since else (dt.date.min, 0), f.id))
    items = []
    for figure in figures:
        metric = dataset.ontology.metrics[figure.metric].label.get("en", figure.metric)
        text = metric + ": " + phrases.figure_line(dataset, figure).split(": ", 1)[1]
        if figure.entity != entity.id:
            text += f" (via {dataset.label(figure.entity)})"
        items.append(Item(text, _refs(figure.sources), _notes([figure])))
    return items


def _touches(fact: Fact, entity_id: str) -> bool:
    return entity_id in (fact.subject, fact.object)


def _timeline(dataset: Dataset, entity: Entity) -> list[Item]:
    dated = [f for f in dataset.facts if _touches(f, entity.id) and f.kind != "claim" and f.since]
    dated.sort(key=lambda f: (*f.since.sort_key(), f.id))  # type: ignore[union-attr]
    items = []
    for fact in dated:
        text = f"{fact.since} — {_sentence(dataset, fact)}"
        text += f" (until {fact.until})" if fact.until else ""
        text += f" {phrases.curated(fact)}" if phrases.curated(fact) else ""
        items.append(Item(text, _refs(fact.sources), _notes([fact])))
    return items


def _sentence(dataset: Dataset, fact: Fact) -> str:
    """``Acme announced Widget``: the fact in words, with the relation's English label."""
    words = dataset.ontology.relations[fact.relation].label.get("en", fact.relation)
    return f"{dataset.label(fact.subject)} {words} {dataset.label(fact.object)}"


def _claims(dataset: Dataset, entity: Entity) -> list[Item]:
    claims = [f for f in dataset.facts if _touches(f, entity.id) and f.kind == "claim"]
    claims.sort(key=lambda f: (f.relation, f.subject, f.object, f.id))
    items = []
    for fact in claims:
        dates = phrases.period(fact.since, fact.until).strip("[]")
        text = _sentence(dataset, fact) + (f" ({dates})" if dates else "")
        if fact.claimed_by:
            text += f" — held by {dataset.label(fact.claimed_by)}"
        else:
            publishers = dict.fromkeys(dataset.sources[r.source].publisher for r in fact.sources
                                       if r.source in dataset.sources)
            text += " — held by the source" + ("s" if len(publishers) > 1 else "") + ": " \
                + ", ".join(publishers)
        items.append(Item(text, _refs(fact.sources), _notes([fact])))
    return items
