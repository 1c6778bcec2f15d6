"""kg.store.spans: the margin of a span's rows, and a span read from the store as in memory."""

from __future__ import annotations

import datetime as dt

import pytest

import kg
from kg.data.dates import PartialDate
from kg.store import spans


@pytest.mark.parametrize(("date", "expected"), [
    ("2025-10-03", True),   # a day inside
    ("2025-10", True),      # a month that overlaps
    ("2025", True),         # a year that holds the span
    ("2025-09-30", False),  # the day before
    ("2025-11", False),     # the month after
    ("2024", False),
])
def test_a_date_may_fall_in_a_span_by_its_first_and_last_day(date: str, expected: bool) -> None:
    span = (dt.date(2025, 10, 1), dt.date(2025, 10, 31))
    assert spans.may_fall(PartialDate.parse(date), *span) is expected


def test_not_a_date_never_falls_in_a_span() -> None:
    assert spans.may_fall("2025-10-03", dt.date(2025, 10, 1), dt.date(2025, 10, 31)) is False


def test_dated_facts_hold_every_fact_dated_in_the_span(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_CACHE", "0")
    landscape = kg.open()
    start, end = dt.date(2025, 10, 1), dt.date(2025, 12, 31)
    found = {fact.id for fact in spans.dated_facts(landscape.store, None, start, end, [])}
    expected = {fact.id for fact in landscape.dataset.facts
                if fact.since is not None and spans.may_fall(fact.since, start, end)}
    assert expected and expected <= found  # the margin may add a few; it never misses one
    assert all(fact.since is not None for fact in spans.dated_facts(landscape.store, None, start,
                                                                     end, []))
