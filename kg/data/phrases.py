"""Plain-text renderings of facts, figures and entities for the CLI."""

from __future__ import annotations

import textwrap
from typing import Any

from kg.data.citations import text_fragment_url
from kg.data.dates import PartialDate
from kg.data.model import SCALES, Dataset, Entity, Fact, Figure, Source, SourceRef

__all__ = [
    "amount", "arrow", "citations", "entity_block", "fact_line", "figure_amount", "figure_line",
    "note_lines", "NOTE_WIDTH", "period", "qualifiers", "source_block"
]


def period(since: PartialDate | None, until: PartialDate | None) -> str:
    """``[2025-10]``, ``[2025-10 – 2025-12]``, ``[until 2025-12]`` or ''."""
    if since and until:
        return f"[{since} – {until}]"
    if since:
        return f"[{since}]"
    if until:
        return f"[until {until}]"
    return ""


def arrow(dataset: Dataset, relation: str, forward: bool = True) -> str:
    """``—rel→`` for a hop in the stated direction, ``←rel—`` against it, ``—rel—`` if symmetric."""
    if dataset.ontology.relations[relation].symmetric:
        return f"—{relation}—"
    return f"—{relation}→" if forward else f"←{relation}—"


def fact_line(dataset: Dataset, fact: Fact, start: str | None = None) -> str:
    """One fact as a line, read from ``start`` (its subject by default)."""
    forward = start is None or start == fact.subject or fact.subject == fact.object
    left, right = (fact.subject, fact.object) if forward else (fact.object, fact.subject)
    text = f"{dataset.label(left)} {arrow(dataset, fact.relation, forward)} {dataset.label(right)}"
    parts = (text, period(fact.since, fact.until), curated(fact), _kind_note(dataset, fact),
             _derivation(fact))
    return " ".join(p for p in parts if p)


def curated(fact: Fact) -> str:
    """``(curator's bound: until)`` when a date is the curator's, not a source's; else ''."""
    ends = [end for end in ("since", "until")
            if getattr(fact, end) is not None and not fact.reported(end)]
    if not ends:
        return ""
    return f"(curator's bound{'s' if len(ends) > 1 else ''}: {', '.join(ends)})"


def _derivation(fact: Fact) -> str:
    """``(reference: measured_by of figure ID)`` for a reference edge, else ''."""
    if fact.derived_from is None:
        return ""
    section, key = fact.derived_from.field.split(".", 1)
    record = "figure" if section == "figures" or fact.derived_from.of_figure else "fact"
    return f"(reference: {key} of {record} {fact.derived_from.record})"


NOTE_WIDTH = 88


def note_lines(note: str | None, indent: str) -> list[str]:
    """A fact's note, wrapped to NOTE_WIDTH columns and indented; [] when there is none."""
    if not note:
        return []
    return textwrap.wrap(" ".join(note.split()), width=NOTE_WIDTH, initial_indent=indent + "note: ",
                         subsequent_indent=indent + "      ", break_long_words=False, break_on_hyphens=False)


def _kind_note(dataset: Dataset, fact: Fact) -> str:
    if fact.kind != "claim":
        return ""
    who = f" by {dataset.label(fact.claimed_by)}" if fact.claimed_by else ""
    return f"(claim{who})"


def qualifiers(values: dict[str, Any], dataset: Dataset) -> str:
    parts = []
    for key, value in values.items():
        if isinstance(value, dict):  # an amount
            value = amount(value["value"], value["unit"], value.get("scale"))
        elif _is_entity_qualifier(dataset, key):
            value = dataset.label(value)
        parts.append(f"{key}: {value}")
    return ", ".join(parts)


def _is_entity_qualifier(dataset: Dataset, key: str) -> bool:
    term = dataset.ontology.qualifiers.get(key)
    return term is not None and term.get("type") == "entity"


def amount(value: float | int, unit: str, scale: str | None = None) -> str:
    number = f"{value:,}" if isinstance(value, int) else f"{value:,g}"
    if unit == "rank" and not scale:
        return f"#{number}"
    if unit == "percent" and not scale:
        return f"{number}%"
    return " ".join(p for p in (number, scale, unit) if p)


def figure_value(dataset: Dataset, figure: Figure) -> str:
    """The number with its unit and bound: ``at most 48 hours``, ``10–45 USD``."""
    if figure.range is not None:
        low, high = figure.range
        return amount(low, "", None).strip() + "–" + amount(high, figure.unit, figure.scale)
    assert figure.value is not None
    shown = amount(figure.value, figure.unit, figure.scale)
    if figure.bound:
        term = dataset.ontology.bounds.get(figure.bound)
        shown = f"{term.label.get('en', figure.bound) if term else figure.bound} {shown}"
    return shown


def figure_qualifiers(figure: Figure) -> list[str]:
    """What the number is about and over which period, when the figure says it in words."""
    found = []
    if figure.scope:
        found.append(f"for {figure.scope}")
    if figure.period:
        found.append(f"period: {figure.period}")
    return found


def figure_line(dataset: Dataset, figure: Figure) -> str:
    shown = figure_value(dataset, figure)
    extras = [period(figure.since, figure.until), *figure_qualifiers(figure)]
    if figure.region:
        extras.append("in " + ", ".join(figure.region))
    if figure.where:
        extras.append("on " + dataset.label(figure.where))
    if figure.measured_by:
        extras.append("measured by " + dataset.label(figure.measured_by))
    if figure.qualifiers:
        extras.append(f"({qualifiers(figure.qualifiers, dataset)})")
    if figure.kind == "claim":
        extras.append("(claim)")
    return " ".join(p for p in (f"{figure.metric}: {shown}", *extras) if p)


def figure_amount(figure: Figure) -> float | None:
    """The figure's value in plain units (scale applied), or None for a range."""
    if figure.value is None:
        return None
    return figure.value * SCALES.get(figure.scale or "", 1)


def cited_at(ref: SourceRef) -> str:
    """Where a citation points: its locator and, if it has one, its key phrase in quotes."""
    return f"{ref.locator}, \u201c{ref.phrase}\u201d" if ref.phrase else ref.locator


def citation_link(dataset: Dataset, ref: SourceRef) -> str | None:
    """The address that opens the cited page at the key phrase (a W3C text-fragment link), or
    the page's address without a phrase; None for a source without an http(s) address."""
    source = dataset.sources.get(ref.source)
    if source is None or not source.url or not source.url.startswith(("https://", "http://")):
        return None
    return text_fragment_url(source.url, ref.phrase) if ref.phrase else source.url


def citation_detail(dataset: Dataset, ref: SourceRef) -> str:
    """One citation in full, for ``--explain``: the source, where in it, and the link to it."""
    source = dataset.sources.get(ref.source)
    where = f"{source.publisher}, \u201c{source.title}\u201d, {source.date}" if source else ref.source
    line = f"source: {ref.source} \u2014 {where} \u2014 at {cited_at(ref)}"
    link = citation_link(dataset, ref)
    return f"{line} \u2014 {link}" if link and ref.phrase else line


def citations(dataset: Dataset, refs: list) -> str:
    return "; ".join(f"{ref.source} ({cited_at(ref)})" for ref in refs)


def entity_block(dataset: Dataset, entity: Entity) -> list[str]:
    lines = [f"{entity.label}  [{entity.type}]  id: {entity.id}"]
    lines.append("  labels: " + " · ".join(f"{k}: {v}" for k, v in entity.labels.items()))
    if entity.aliases:
        lines.append("  aliases: " + ", ".join(entity.aliases))
    if entity.roles:
        lines.append("  roles: " + ", ".join(entity.roles))
    if entity.description:
        lines.append("  " + entity.description)
    for key, value in entity.attributes.items():
        lines.append(f"  {key}: {value}")
    if entity.wikidata:
        lines.append(f"  wikidata: {entity.wikidata}")
    return lines


# The order and names of record counts wherever they are printed: stated facts and the reference
# edges derived from records are counted apart (a reference is no fact).
COUNTED = {"files": "file", "entities": "entity", "facts": "fact", "references": "reference",
           "figures": "figure", "sources": "source"}


def count_text(counts: dict[str, int]) -> str:
    """``82 entities, 170 facts, 65 references`` from the counts given, in one order."""
    return ", ".join(f"{counts[key]} {key if counts[key] != 1 else one}"
                     for key, one in COUNTED.items() if key in counts)


def existence_line(dataset: Dataset, entity: Entity) -> str | None:
    """When the entity begins to exist and why, or None when its ``founded`` line says it."""
    existence = dataset.existence(entity.id)
    if existence.basis == "founded":
        return None
    if existence.start is None:
        return "  exists: start not recorded (present on every date)"
    return f"  exists from: {existence.start} ({existence.phrase}; fact {existence.fact})"


def source_block(dataset: Dataset, source: Source) -> list[str]:
    """A source's metadata: where a reader finds it, and who published it."""
    lines = [f"{source.title}  [source]  id: {source.id}"]
    publisher = source.publisher
    if source.publisher_entity:
        publisher += f"  (entity: {source.publisher_entity})"
    lines.append(f"  publisher: {publisher}")
    if source.author:
        lines.append(f"  author: {source.author}")
    lines.append(f"  date: {source.date} · language: {source.language}")
    if source.kind:
        retrieved = f" · retrieved: {source.retrieved}" if source.retrieved else ""
        lines.append(f"  web page: {source.kind}{retrieved}")
    if source.url:
        lines.append(f"  url: {source.url}")
    if source.published_in:
        lines.extend(textwrap.wrap(" ".join(source.published_in.split()), width=NOTE_WIDTH,
                                   initial_indent="  published in: ", subsequent_indent="    ",
                                   break_long_words=False, break_on_hyphens=False))
    lines.extend(note_lines(source.note, "  "))
    return lines
