"""Rows dated in a span of days: the reads of ``kg timeline`` and ``kg diff --from --to``.

A date of the data is a day, a month or a year, and the store keeps it as its
first day (``valid_from``, ``exists_from``) or its last (``valid_until``). A
span's rows are found by the date indexes with a margin: a day's or a month's
first day is at most a month before its last, and a year's is its 1 January
(its 31 December for a last day). The query modules then judge each record
exactly, so the margin costs a few rows read, never a wrong answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kg.data.dates import PartialDate
from kg.store.sqltext import marks as _marks

if TYPE_CHECKING:
    from kg.data.model import Entity, Fact, Figure
    from kg.store import Store

__all__ = ["changed_facts", "dated_facts", "figures_matching", "founded_in", "may_fall"]

_MONTH = dt.timedelta(days=31)


def may_fall(date: Any, start: dt.date, end: dt.date) -> bool:
    """Whether a date (a day, month or year) may fall between ``start`` and ``end``."""
    return isinstance(date, PartialDate) and date.end() >= start and date.start() <= end


def _starts_in(column: str, start: dt.date | None, end: dt.date | None) -> tuple[str, list[str]]:
    """An SQL condition keeping the rows whose date, stored as its first day in ``column``, may
    fall between ``start`` and ``end``."""
    where, params = ["1=1"], []
    if start is not None:
        where.append(f"({column} >= ? OR {column} = ?)")
        params += [(start - _MONTH).isoformat(), dt.date(start.year, 1, 1).isoformat()]
    if end is not None:
        where.append(f"{column} <= ?")
        params.append(end.isoformat())
    return "(" + " AND ".join(where) + ")", params


def _ends_in(column: str, start: dt.date, end: dt.date) -> tuple[str, list[str]]:
    """As ``_starts_in``, for a date stored as its last day."""
    return (f"({column} >= ? AND ({column} <= ? OR {column} = ?))",
            [start.isoformat(), (end + _MONTH).isoformat(), dt.date(end.year, 12, 31).isoformat()])


def dated_facts(store: Store, entity_id: str | None, since: dt.date | None,
                until: dt.date | None, relations: list[str]) -> list[Fact]:
    """The dated stated facts of an entity (all without), of ``relations`` (all without), whose
    date may fall between ``since`` and ``until`` (either open)."""
    where, params = ["derived=0", "valid_from IS NOT NULL"], []
    if entity_id is not None:
        where.append("(subject = ? OR object = ?)")
        params += [entity_id, entity_id]
    span, more = _starts_in("valid_from", since, until)
    where.append(span)
    params += more
    if relations:
        where.append(f"relation IN ({_marks(relations)})")
        params += relations
    return store.facts_where(" AND ".join(where), params)


def figures_matching(store: Store, entity_ids: list[str], metrics: Sequence[str] = ()) -> list[Figure]:
    """The figures answers use, of these entities (all without) and ``metrics`` (all without)."""
    where, params = [], []
    if entity_ids:
        where.append(f"entity IN ({_marks(entity_ids)})")
        params += entity_ids
    if metrics:
        where.append(f"metric IN ({_marks(list(metrics))})")
        params += metrics
    return store.figures_where(" AND ".join(where), params)


def founded_in(store: Store, start: dt.date, end: dt.date) -> list[Entity]:
    """The entities whose ``founded`` date may fall in the span."""
    return [entity for entity in store.entities_where(*_starts_in("exists_from", start, end))
            if may_fall(entity.attributes.get("founded"), start, end)]


def changed_facts(store: Store, start: dt.date, end: dt.date, relations: list[str],
                  entity_ids: list[str], founded: list[Entity]) -> list[Fact]:
    """The stated facts that may start or end in the span, and those dated on the day one of
    ``founded`` was founded that touch it; of ``relations`` and touching ``entity_ids`` (each
    filter left out when empty)."""
    starts, params = _starts_in("valid_from", start, end)
    ends, more = _ends_in("valid_until", start, end)
    span = f"{starts} OR {ends}"
    params += more
    if founded:
        named = [entity.id for entity in founded]
        days = sorted({entity.attributes["founded"].start().isoformat() for entity in founded})
        span += (f" OR ((subject IN ({_marks(named)}) OR object IN ({_marks(named)})) "
                 f"AND valid_from IN ({_marks(days)}))")
        params += named + named + days
    where = ["derived=0", f"({span})"]
    if relations:
        where.append(f"relation IN ({_marks(relations)})")
        params += relations
    if entity_ids:  # an appearance counts only for these, and its facts touch it
        where.append(f"(subject IN ({_marks(entity_ids)}) OR object IN ({_marks(entity_ids)}))")
        params += entity_ids + entity_ids
    return store.facts_where(" AND ".join(where), params)
