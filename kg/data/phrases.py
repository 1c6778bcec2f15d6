"""Plain-text renderings of facts, figures and entities for the CLI."""

from __future__ import annotations

import textwrap
from typing import Any

from kg.data.citations import text_fragment_url
from kg.data.dates import PartialDate
from kg.data.model import SCALES, Dataset, Entity, Fact, Figure, Source, SourceRef


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
    parts = (text, period(fact.since, fact.until), _kind_note(dataset, fact), _derivation(fact))
    return " ".join(p for p in parts if p)


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


def figure_line(dataset: Dataset, figure: Figure) -> str:
    if figure.range is not None:
        low, high = figure.range
        shown = amount(low, "", None).strip() + "–" + amount(high, figure.unit, figure.scale)
    else:
        assert figure.value is not None
        shown = amount(figure.value, figure.unit, figure.scale)
        if figure.bound:
            shown = f"{figure.bound.replace('-', ' ')} {shown}"
    extras = [period(figure.since, figure.until)]
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
