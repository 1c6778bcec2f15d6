"""A one-page brief on an entity: who it is, its position, figures, events, claims, sources.

``brief(dataset, name)`` gathers the content as data (``Brief``);
``to_markdown`` and ``to_html`` render it. The position sections are the
entity's rows in a one-column comparison (``kg.analysis.compare``), so they follow
the ontology's comparison groups and count what its models and apps have.
Claims are kept apart from reported facts. Citations are numbered in the
order they first appear; the same data gives the same brief, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field

from kg.analysis.compare import Evidence, compare, row_label
from kg.data import phrases
from kg.data.model import Dataset, Entity, Fact, SourceRef
from kg.errors import KgError
from kg.util.urls import is_web_url, markdown_link


@dataclass(frozen=True)
class Item:
    """One statement of the brief and the citations behind it."""

    text: str
    refs: tuple[SourceRef, ...] = ()


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
    facts: list[str]  # type, roles and attributes, as "key: value"
    description: str | None
    sections: list[Section]
    sources: list[tuple[str, list[str]]] = field(default_factory=list)  # source id, locators cited

    def number(self, source_id: str) -> int:
        return next(i for i, (s, _) in enumerate(self.sources, 1) if s == source_id)


def brief(dataset: Dataset, name: str, as_of: dt.date | None = None) -> Brief:
    """The brief on ``name`` (an id, label or alias), as the data stands (or stood on ``as_of``)."""
    entity = dataset.resolve(name)
    if as_of is not None:
        if not dataset.exists_on(entity.id, as_of):
            raise KgError(f"{entity.label} did not exist yet on {as_of.isoformat()} "
                          f"({dataset.existence_reason(entity.id)})")
        dataset = dataset.as_of(as_of)
    names = [f"{text} ({lang})" for lang, text in entity.labels.items()]
    names += list(entity.aliases)
    facts = [f"type: {dataset.ontology.entity_types[entity.type].label.get('en', entity.type)}"]
    if entity.roles:
        facts.append("roles: " + ", ".join(entity.roles))
    facts += [f"{key}: {value}" for key, value in entity.attributes.items()]
    sections = _position(dataset, entity)
    sections.append(Section("Key figures", _figures(dataset, entity)))
    sections.append(Section("Timeline", _timeline(dataset, entity)))
    sections.append(Section("Claims", _claims(dataset, entity)))
    result = Brief(entity, as_of, names, facts, entity.description,
                   [s for s in sections if s.items])
    order: dict[str, list[str]] = {}
    for section in result.sections:
        for item in section.items:
            for ref in item.refs:
                locators = order.setdefault(ref.source, [])
                if ref.locator not in locators:
                    locators.append(ref.locator)
    result.sources = [(source, sorted(locators, key=_natural)) for source, locators in order.items()]
    return result


def _natural(text: str) -> list[tuple[int, int | str]]:
    """Sort key reading digit runs as numbers (para 2 before para 10)."""
    import re

    return [(0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text)]


def _position(dataset: Dataset, entity: Entity) -> list[Section]:
    """One section per comparison group of the entity's reported facts (claims are listed apart)."""
    from kg.analysis.compare import NothingToCompare

    try:
        matrix = compare(dataset, [entity.id])
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
    return Item(text, _refs(ref for e in evidence for ref in e.fact.sources))


def _detail(dataset: Dataset, evidence: Evidence) -> str:
    """``2025-09-30 – 2025-10-03, via Kling 2.0``: the dates and the member it came through."""
    fact = evidence.fact
    parts = [phrases.period(fact.since, fact.until).strip("[]")]
    if evidence.via:
        parts.append(f"via {dataset.label(evidence.via)}")
    return ", ".join(p for p in parts if p)


def _refs(refs) -> tuple[SourceRef, ...]:
    seen: dict[tuple[str, str], SourceRef] = {}
    for ref in refs:
        seen.setdefault((ref.source, ref.locator), ref)
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
        items.append(Item(text, _refs(figure.sources)))
    return items


def _touches(fact: Fact, entity_id: str) -> bool:
    return entity_id in (fact.subject, fact.object)


def _timeline(dataset: Dataset, entity: Entity) -> list[Item]:
    dated = [f for f in dataset.facts if _touches(f, entity.id) and f.kind != "claim" and f.since]
    dated.sort(key=lambda f: (*f.since.sort_key(), f.id))  # type: ignore[union-attr]
    items = []
    for fact in dated:
        text = f"{fact.since} — {_sentence(dataset, fact)}"
        items.append(Item(text + (f" (until {fact.until})" if fact.until else ""), _refs(fact.sources)))
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
        items.append(Item(text, _refs(fact.sources)))
    return items


# --- rendering -------------------------------------------------------------------------------------

def _md(text: str) -> str:
    """Data text made inert in Markdown: markup characters escaped, whitespace folded."""
    text = " ".join(text.split())
    for ch in ("\\", "*", "_", "`", "<", ">", "#", "|"):
        text = text.replace(ch, "\\" + ch)
    return text.replace("](", "]\\(")  # no link can be formed


def _md_refs(result: Brief, refs: tuple[SourceRef, ...]) -> str:
    numbers = sorted({result.number(ref.source) for ref in refs})
    return "".join(f" [{n}]" for n in numbers)


def _source_line(dataset: Dataset, source_id: str) -> tuple[str, str | None]:
    source = dataset.sources.get(source_id)
    if source is None:
        return source_id, None
    text = f"{source.publisher}, “{source.title}”, {source.date}"
    url = source.url if source.url and is_web_url(source.url) else None
    return text, url


def to_markdown(result: Brief, dataset: Dataset) -> str:
    entity = result.entity
    lines = [f"# {_md(entity.label)}", ""]
    lines.append("**Names:** " + " · ".join(_md(n) for n in result.names) + "  ")
    lines.append(" · ".join(_md(f) for f in result.facts) + "  ")
    if result.as_of:
        lines.append(f"As of {result.as_of.isoformat()}.  ")
    if result.description:
        lines += ["", _md(result.description)]
    for section in result.sections:
        lines.append("")
        if section.inline:
            lines.append(f"**{_md(section.title)}:** " + "; ".join(
                _md(item.text) + _md_refs(result, item.refs) for item in section.items))
            continue
        lines += [f"## {_md(section.title)}", ""]
        lines += [f"- {_md(item.text)}{_md_refs(result, item.refs)}" for item in section.items]
    lines += ["", "## Sources", ""]
    for number, (source_id, locators) in enumerate(result.sources, 1):
        text, url = _source_line(dataset, source_id)
        where = "; ".join(locators)
        link = f" {markdown_link(url)}" if url else ""
        lines.append(f"{number}. {_md(text)}{link} — at {_md(where)}")
    return "\n".join(lines) + "\n"


_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; max-width: 46em; margin: 2em auto; color: #222; }
h1 { margin-bottom: 0.2em; } .meta { color: #555; } sup a { text-decoration: none; }
"""


def to_html(result: Brief, dataset: Dataset) -> str:
    """The brief as a standalone page: no script, no request, every data text escaped."""
    esc = html.escape
    entity = result.entity

    def refs(item_refs: tuple[SourceRef, ...]) -> str:
        numbers = sorted({result.number(ref.source) for ref in item_refs})
        return "".join(f'<sup><a href="#source-{n}">[{n}]</a></sup>' for n in numbers)

    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f"<title>Brief: {esc(entity.label)}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>",
           f"<h1>{esc(entity.label)}</h1>",
           f'<p class="meta">{esc(" · ".join(result.names))}<br>{esc(" · ".join(result.facts))}'
           + (f"<br>As of {esc(result.as_of.isoformat())}." if result.as_of else "") + "</p>"]
    if result.description:
        out.append(f"<p>{esc(result.description)}</p>")
    for section in result.sections:
        if section.inline:
            out.append(f"<p><strong>{esc(section.title)}:</strong> " + "; ".join(
                esc(item.text) + refs(item.refs) for item in section.items) + "</p>")
            continue
        out.append(f"<h2>{esc(section.title)}</h2><ul>")
        out += [f"<li>{esc(item.text)}{refs(item.refs)}</li>" for item in section.items]
        out.append("</ul>")
    out.append('<h2>Sources</h2><ol id="sources">')
    for number, (source_id, locators) in enumerate(result.sources, 1):
        text, url = _source_line(dataset, source_id)
        link = f' <a href="{esc(url)}" rel="noreferrer">{esc(url)}</a>' if url else ""
        out.append(f'<li id="source-{number}">{esc(text)}{link} — at {esc("; ".join(locators))}</li>')
    out += ["</ol>", "</body></html>"]
    return "\n".join(out) + "\n"
