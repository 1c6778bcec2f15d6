"""Results as the plain text the ``kg`` command prints, one function per kind of result.

Each function takes a result of ``kg.Landscape`` and returns its lines; the command prints
them. JSON is each result's own ``to_json()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from kg.data import phrases

if TYPE_CHECKING:
    from kg.analysis.diff import Change, ChangeReport, DatasetDiff
    from kg.data.model import Dataset, Fact, Figure
    from kg.data.names import Match
    from kg.query.common import Hop, Listing
    from kg.query.neighbors import Neighborhood
    from kg.query.paths import PathResult
    from kg.query.profile import EntityProfile, SourceProfile
    from kg.query.rank import Score
    from kg.query.timeline import Entry

__all__ = ["changes", "edges", "entity_profile", "explain", "figures", "neighbors", "path_blocks",
           "paths", "rank", "revision_changes", "search", "source_profile", "stats", "streamed_path",
           "timeline"]


# --- paths -----------------------------------------------------------------------------------

def paths(result: PathResult, explain_hops: bool = False) -> list[str]:
    """Each path hop by hop; several paths numbered, with their length."""
    return [line for lines in path_blocks(result, explain_hops) for line in lines]


def path_blocks(result: PathResult, explain_hops: bool = False) -> Iterator[list[str]]:
    """The lines of ``paths``, path by path: each is phrased only when the one before is
    printed (phrasing a thousand paths with their sources takes a while)."""
    data = result.dataset
    assert data is not None
    several = result.query.all or result.query.k > 1
    for number, hops in enumerate(result.paths, start=1):
        lines: list[str] = []
        if several:
            if number > 1:
                lines.append("")
            plural = "s" if len(hops) != 1 else ""
            lines.append(f"path {number} of {len(result.paths)} ({len(hops)} hop{plural})")
        if explain_hops:
            lines.append(("  " if several else "") + "rank: " + result.rank(data, hops).reason)
        for hop in hops:
            lines += _hop_lines(data, hop, explain_hops, "  " if several else "")
        yield lines


def streamed_path(data: Dataset, number: int, hops: tuple[Hop, ...],
                  explain_hops: bool = False) -> list[str]:
    """One path of ``kg path --all`` as it is found: its number and length, then its hops (the
    count of paths is not known yet)."""
    from kg.query.paths import path_rank

    plural = "s" if len(hops) != 1 else ""
    lines = [""] if number > 1 else []  # a blank line between paths, as ``paths`` prints
    lines.append(f"path {number} ({len(hops)} hop{plural})")
    if explain_hops:
        lines.append("  rank: " + path_rank(data, hops).reason)
    for hop in hops:
        lines += _hop_lines(data, hop, explain_hops, "  ")
    return lines


def _hop_lines(data: Dataset, hop: Hop, explain_hop: bool, indent: str) -> list[str]:
    lines = [indent + phrases.fact_line(data, hop.fact, start=hop.start)]
    if explain_hop:
        lines.extend(indent + "    " + line for line in explain(data, hop.fact))
        lines.extend(phrases.note_lines(hop.fact.note, indent + "    "))
    return lines


def explain(data: Dataset, fact: Fact) -> list[str]:
    """What a fact is and what it rests on: its kind, id, origin, qualifiers and sources."""
    kinds = data.ontology.fact_kinds
    label = kinds[fact.kind].label.get("en", fact.kind) if fact.kind in kinds else fact.kind
    if fact.kind == "claim":
        who = f" by {data.label(fact.claimed_by)}" if fact.claimed_by else ""
        kind = f"kind: CLAIM{who} (an opinion attributed to its source, not an established fact)"
    else:
        kind = f"kind: {label}"
    lines = [kind, f"fact: {fact.id}"]
    if fact.derived_from is not None:
        lines.append(f"reference: derived from {fact.derived_from.field} of "
                     f"{fact.derived_from.record}")
    if fact.qualifiers:
        lines.append("qualifiers: " + phrases.qualifiers(fact.qualifiers, data))
    lines.extend(phrases.citation_detail(data, ref) for ref in fact.sources)
    return lines


# --- one entity or source, and its neighbourhood ------------------------------------------------

def entity_profile(profile: EntityProfile) -> list[str]:
    """``kg show ENTITY``: the entity block, then its figures and facts with their sources."""
    data, found = profile.dataset, profile.entity
    lines = list(phrases.entity_block(data, found))
    if (existence := phrases.existence_line(data, found)) is not None:
        lines.append(existence)
    if profile.published:
        lines.append("publishes sources:")
        lines += [f"  {source.id}  {source.date}  \u201c{source.title}\u201d" for source in profile.published]
    if profile.figures:
        lines.append("figures:")
        for figure in profile.figures:
            lines.append("  " + phrases.figure_line(data, figure))
            lines.append("      sources: " + phrases.citations(data, figure.sources))
            lines += phrases.note_lines(figure.note, "      ")
    page = profile.page
    shown = [*profile.facts_out, *profile.facts_in]
    if shown and page is not None and (page.more or page.offset):
        lines.append(f"facts {page.offset + 1:,}-{page.offset + len(shown):,} of {page.total:,}:")
    elif shown:
        lines.append("facts:")
    for fact in shown:
        lines.append("  " + phrases.fact_line(data, fact, start=found.id))
        if fact.qualifiers:
            lines.append("      " + phrases.qualifiers(fact.qualifiers, data))
        lines.append("      sources: " + phrases.citations(data, fact.sources))
        lines += phrases.note_lines(fact.note, "      ")
    if page is not None and page.more:
        lines.append(page.note("facts"))
    return lines


def source_profile(profile: SourceProfile) -> list[str]:
    """``kg show SOURCE``: the source block, then every fact and figure citing it, with locators."""
    data = profile.dataset

    def places(record: Fact | Figure) -> str:
        """Each place the record cites, with its key phrase and text-fragment link."""
        return "; ".join(phrases.cited_at(ref) + (f" <{link}>" if ref.phrase and link else "")
                         for ref in record.sources if ref.source == profile.source.id
                         for link in [phrases.citation_link(data, ref)])

    lines = list(phrases.source_block(data, profile.source))
    lines.append(f"facts citing it: {len(profile.facts)}")
    for fact in profile.facts:
        lines.append("  " + phrases.fact_line(data, fact))
        lines.append("      at " + places(fact))
        lines += phrases.note_lines(fact.note, "      ")
    lines.append(f"figures citing it: {len(profile.figures)}")
    for figure in profile.figures:
        lines.append(f"  {data.label(figure.entity)} {phrases.figure_line(data, figure)}")
        lines.append("      at " + places(figure))
        lines += phrases.note_lines(figure.note, "      ")
    return lines


def neighbors(result: Neighborhood) -> list[str]:
    """Each entity reached, by depth, with the facts that reached it."""
    data = result.dataset
    assert data is not None
    lines: list[str] = []
    for reached in result.reached:
        node = data.entities[reached.id]
        lines.append(f"{reached.depth}  {node.label}  [{node.type}]  {node.id}")
        for hop in reached.hops:
            lines.append("     " + phrases.fact_line(data, hop.fact, start=hop.start))
            lines += phrases.note_lines(hop.fact.note, "         ")
    if result.page is not None and result.page.more:
        lines.append(result.page.note("neighbors"))
    return lines


def search(matches: list[Match]) -> list[str]:
    return [f"{m.score:5.1f}  {m.id}  [{m.type}]  {m.label}"
            + (f"  (matched {m.matched!r})" if m.matched != m.label else "") for m in matches]


# --- lists of records ----------------------------------------------------------------------------

def edges(found: Listing[Fact]) -> list[str]:
    lines: list[str] = []
    for fact in found:
        lines.append(phrases.fact_line(found.dataset, fact))
        lines += phrases.note_lines(fact.note, "    ")
    if found.page is not None and found.page.more:
        lines.append(found.page.note("facts"))
    return lines


def timeline(found: Listing[Entry]) -> list[str]:
    return [f"{row['date']:<10}  {row['text']}" for row in found.to_json()]


def figures(found: Listing[Figure]) -> list[str]:
    data = found.dataset
    lines: list[str] = []
    for figure in found:
        lines.append(f"{data.label(figure.entity)}  {phrases.figure_line(data, figure)}")
        lines.append("    sources: " + phrases.citations(data, figure.sources))
        lines += phrases.note_lines(figure.note, "    ")
    return lines


def rank(found: Listing[Score]) -> list[str]:
    lines = []
    for score in found:
        entity = found.dataset.entities[score.id]
        shown = f"{score.score:>8}" if isinstance(score.score, int) else f"{score.score:8.6f}"
        lines.append(f"{score.rank:>3}  {shown}  {entity.label}  [{entity.type}]  {entity.id}")
    return lines


def stats(summary: dict[str, Any]) -> list[str]:
    lines = [f"{key}: {summary[key]}" for key in ("entities", "facts", "figures", "sources", "references")]
    for key in ("by_type", "by_relation", "by_kind"):
        lines.append(key.replace("_", " ") + ":")
        lines += [f"  {name}: {count}" for name, count in summary[key].items()]
    return lines


# --- changes -------------------------------------------------------------------------------------

def changes(report: ChangeReport) -> list[str]:
    """A headline (how many changes of each kind), then the reported events, the starts and
    ends dated to the day, and those dated only to the month or year, each group under its
    heading and in date order; then how many loosely dated claims were left out."""
    data = report.dataset
    lines: list[str] = [report.headline()] if report else []

    def change_lines(change: Change) -> list[str]:
        out = [f"{str(change.date):<10}  {change.change:<11}  {change.to_json(data)['text']}"]
        if change.sources:
            out.append(" " * 12 + "sources: " + phrases.citations(data, list(change.sources)))
        return out

    for group, heading, found in report.groups():
        if group == "month-dated":
            heading = heading.replace("the span", report.span)
        lines.append(f"{heading}:")
        for change in found:
            lines += change_lines(change)
    if report.left_out:
        lines.append(f"({report.left_out} claims dated only to the month or year left out; "
                     "--inexact lists them)")
    return lines


def revision_changes(result: DatasetDiff, old_name: str, new_name: str) -> list[str]:
    """The changelog as ``kg diff REV REV`` prints it: counts per section, then ``+`` added,
    ``-`` removed and ``~`` changed records, each change field by field as ``old → new``."""
    from kg.analysis.diff import SECTIONS, shown, summary

    lines = [f"changes from {old_name} to {new_name}:"]
    counts = result.counts()
    for name in SECTIONS:
        part = result.section(name)
        lines.append(f"{name}: {counts[name]['added']} added, {counts[name]['removed']} removed, "
                     f"{counts[name]['changed']} changed")
        lines += [f"  + {record['id']}  {summary(name, record)}" for record in part.added]
        lines += [f"  - {record['id']}  {summary(name, record)}" for record in part.removed]
        for old_id, new_id, fields in part.changed:
            lines.append(f"  ~ {new_id}" + (f" (was {old_id})" if old_id != new_id else ""))
            lines += [f"      {c.field}: {shown(c.old)} → {shown(c.new)}" for c in fields]
    if not result:
        lines.append(f"no change in the data from {old_name} to {new_name}")
    return lines
