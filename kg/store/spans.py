"""Rows dated in a span of days: the reads of ``kg timeline`` and ``kg diff --from --to``.

A date of the data is a day, a month or a year, and the store keeps it as its
first day (``valid_from``, ``exists_from``) or its last (``valid_until``). A
span's rows are found by the date indexes with a margin: a day's or a month's
first day is at most a month before its last, and a year's is its 1 January
(its 31 December for a last day). The query modules then judge each record
exactly, so the margin costs a few rows read, never a wrong answer.

Where a date's text is a column too (``since``, ``until``, ``exists_since``: ``2025``,
``2025-10`` or ``2025-10-03``), ``kg diff --from --to`` keeps exactly the rows whose date may
fall in the span before any is decoded (``_falls_in``): a date's last day is on or after the
span's first when its text is not before the first day's text cut to its length (``2025-10``
against ``2025-10-31``[:7]), and its first day on or before the span's last likewise.
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

__all__ = ["changed_facts", "dated_facts", "figures_first_known", "figures_matching", "founded_in",
           "may_fall"]

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


def _falls_in(text: str, start: dt.date, end: dt.date) -> tuple[str, list[str]]:
    """An SQL condition keeping the rows whose date, written in the column ``text`` as the
    data gives it (``2025``, ``2025-10``, ``2025-10-03``), may fall between ``start`` and
    ``end`` (as ``may_fall``): ISO dates of one length compare as their text."""
    return (f"({text} IS NOT NULL AND {text} >= substr(?, 1, length({text})) "
            f"AND {text} <= substr(?, 1, length({text})))", [start.isoformat(), end.isoformat()])


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


def figures_first_known(store: Store, start: dt.date, end: dt.date,
                        entity_ids: list[str]) -> list[Figure]:
    """The figures whose ``since`` may fall in the span (first known then), of these entities
    (all without): found by the date index and its text, only those decoded."""
    where, params = _starts_in("valid_from", start, end)
    exact, more = _falls_in("since", start, end)
    where, params = f"{where} AND {exact}", params + more
    if entity_ids:
        where += f" AND entity IN ({_marks(entity_ids)})"
        params += entity_ids
    return store.figures_where(where, params)


def founded_in(store: Store, start: dt.date, end: dt.date) -> list[Entity]:
    """The entities whose ``founded`` date may fall in the span (an entity with a ``founded``
    date begins on it: ``exists_since`` holds its text)."""
    where, params = _starts_in("exists_from", start, end)
    exact, more = _falls_in("exists_since", start, end)
    return [entity for entity in store.entities_where(f"{where} AND founded = 1 AND {exact}",
                                                      params + more)
            if may_fall(entity.attributes.get("founded"), start, end)]


def changed_facts(store: Store, start: dt.date, end: dt.date, relations: list[str],
                  entity_ids: list[str], founded: list[Entity]) -> list[Fact]:
    """The stated facts that may start or end in the span, and those dated on the day one of
    ``founded`` was founded that touch it; of ``relations`` and touching ``entity_ids`` (each
    filter left out when empty). A start or end is kept when its date, as the data gives it,
    may fall in the span (``_falls_in``): the rows of the margin are never decoded."""
    starts, params = _starts_in("valid_from", start, end)
    since, more = _falls_in("since", start, end)
    params += more
    ends, more = _ends_in("valid_until", start, end)
    params += more
    until, more = _falls_in("until", start, end)
    params += more
    span = f"({starts} AND {since}) OR ({ends} AND {until})"
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
