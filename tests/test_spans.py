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


@pytest.mark.parametrize(("start", "end"), [
    (dt.date(2025, 10, 1), dt.date(2025, 10, 31)),   # a month
    (dt.date(2025, 9, 30), dt.date(2025, 9, 30)),    # one day
    (dt.date(2025, 10, 31), dt.date(2025, 11, 1)),   # across the end of a month
    (dt.date(2024, 12, 31), dt.date(2025, 1, 1)),    # across the end of a year
    (dt.date(2020, 1, 1), dt.date(2026, 12, 31)),    # years
])
def test_a_spans_changes_are_read_exactly(start: dt.date, end: dt.date,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """``kg diff --from --to`` decodes only the facts that may start or end in the span, the
    figures first known in it and the entities founded in it (and the facts of a founding's
    day): none of the margin the date indexes add."""
    monkeypatch.setenv("KG_CACHE", "0")
    landscape = kg.open()
    store, whole = landscape.store, landscape.dataset
    founded = spans.founded_in(store, start, end)
    assert [entity.id for entity in founded] == [
        entity.id for entity in whole.entities.values()
        if spans.may_fall(entity.attributes.get("founded"), start, end)]
    days = {entity.attributes["founded"].start() for entity in founded}
    named = {entity.id for entity in founded}
    found = [fact.id for fact in spans.changed_facts(store, start, end, [], [], founded)]
    assert found == [fact.id for fact in whole.facts
                     if spans.may_fall(fact.since, start, end) or spans.may_fall(fact.until, start, end)
                     or (fact.since is not None and fact.since.start() in days
                         and named & {fact.subject, fact.object})]
    assert [figure.id for figure in spans.figures_first_known(store, start, end, [])] == \
        [figure.id for figure in whole.figures if spans.may_fall(figure.since, start, end)]
