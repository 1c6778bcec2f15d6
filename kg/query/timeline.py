"""Dated facts and figures in date order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kg.data.dates import PartialDate
from kg.data.model import Dataset, Fact, Figure
from kg.query.common import check_metrics, check_relations

__all__ = ["Entry", "timeline"]


@dataclass(frozen=True)
class Entry:
    """One dated record: a fact or a figure, at its ``since`` date."""

    date: PartialDate
    record: Fact | Figure

    def sort_key(self) -> tuple[Any, ...]:
        return (*self.date.sort_key(), self.record.id)

    def to_json(self, dataset: Dataset) -> dict[str, Any]:
        from kg.data import phrases

        record = self.record
        result: dict[str, Any] = {"date": str(self.date), "id": record.id, "kind": record.kind}
        if isinstance(record, Fact):
            # The qualifiers tell apart facts that differ only by them (the same listing in two
            # regions), which would otherwise read as one fact printed twice.
            text = phrases.fact_line(dataset, record)
            if record.qualifiers:
                text += f" ({phrases.qualifiers(record.qualifiers, dataset)})"
            result.update({
                "record": "fact", "relation": record.relation,
                "subject": record.subject, "object": record.object, "text": text,
            })
        else:
            result.update({
                "record": "figure", "metric": record.metric, "entity": record.entity,
                "text": f"{dataset.label(record.entity)} {phrases.figure_line(dataset, record)}",
            })
        result["until"] = str(record.until) if record.until else None
        result["sources"] = list(dict.fromkeys(ref.source for ref in record.sources))
        return result


def timeline(dataset: Dataset, entity: str | None = None, *, relations: Iterable[str] | None = None,
             metrics: Iterable[str] | None = None, since: dt.date | None = None,
             until: dt.date | None = None) -> list[Entry]:
    """Facts and figures that have a ``since`` date, oldest first.

    ``entity`` (an id, label or alias) keeps the facts it is subject or
    object of and its figures. ``relations`` keeps only facts of those
    relations and ``metrics`` only figures of those metrics; given one
    without the other, the other kind of record is left out. ``since`` and
    ``until`` keep records whose date may fall in that span (a month-precise
    date overlaps any day of its month). Ties are broken by precision, then id.
    """
    entity_id = dataset.resolve(entity).id if entity is not None else None
    keep_relations = check_relations(dataset, relations)
    keep_metrics = check_metrics(dataset, metrics)
    want_facts = bool(keep_relations) or not keep_metrics
    want_figures = bool(keep_metrics) or not keep_relations

    def in_span(date: PartialDate) -> bool:
        return (since is None or date.end() >= since) and (until is None or date.start() <= until)

    entries: list[Entry] = []
    if want_facts:
        for fact in dataset.facts:
            if fact.since is None or (keep_relations and fact.relation not in keep_relations):
                continue
            if entity_id is not None and entity_id not in (fact.subject, fact.object):
                continue
            if in_span(fact.since):
                entries.append(Entry(fact.since, fact))
    if want_figures:
        for figure in dataset.figures:
            if figure.since is None or (keep_metrics and figure.metric not in keep_metrics):
                continue
            if entity_id is not None and figure.entity != entity_id:
                continue
            if in_span(figure.since):
                entries.append(Entry(figure.since, figure))
    return sorted(entries, key=Entry.sort_key)
