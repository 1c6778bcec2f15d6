"""``kg stats --as-of``: the store's counts on a day (``Store.counts_on``) are the whole
dataset's as it stood then (``summary(dataset.as_of(day))``), on every day where something
begins or ends: entities founded after the day, facts and claims whose ends or whose record's
ends did not exist yet, facts ending or starting on the day, statements of a lower rank."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import FIXTURES, good_mini_with

import kg
from kg.data.model import Dataset
from kg.query.stats import counted, summary
from kg.store import Store, open_store

# Beside the good-mini fixture: a company and a model founded late in 2025, facts and claims
# that name them before they exist, a claim made by one of its own ends (it has one reference
# edge, not two), a fact ending on the last day of a month, and figures of which a preferred
# one hides another and a deprecated fact.
LATE = """entities:
  - id: newco
    type: organization
    labels: {en: NewCo}
    attributes: {founded: 2025-11-15}
  - id: late-model
    type: model
    labels: {en: Late Model}
    attributes: {founded: 2025-11}

facts:
  - {subject: kuaishou, relation: partners-with, object: newco, kind: fact,
     since: 2025-10-01, until: 2025-11-20,
     sources: [{source: fixture-digest, locator: "1"}]}
  - {subject: kling, relation: outperforms, object: late-model, kind: claim, claimed_by: disney,
     since: 2025-10, sources: [{source: fixture-digest, locator: "2"}]}
  - {subject: kling, relation: outperforms, object: sora-2, kind: claim, claimed_by: newco,
     since: 2025-10-01, sources: [{source: fixture-digest, locator: "3"}]}
  - {subject: kuaishou, relation: outperforms, object: late-model, kind: claim,
     claimed_by: kuaishou, since: 2025-11-16, sources: [{source: fixture-digest, locator: "4"}]}
  - {subject: kuaishou, relation: develops, object: late-model, kind: fact,
     since: 2025-11-01, until: 2025-11-30, sources: [{source: fixture-digest, locator: "5"}]}
  - {subject: newco, relation: partners-with, object: kuaishou, kind: fact, since: 2025-11-20,
     rank: deprecated, rank_reason: retracted, sources: [{source: fixture-digest, locator: "6"}]}

figures:
  - {id: newco-valuation-wire, entity: newco, metric: valuation, value: 3, scale: billion,
     unit: USD, since: 2025-11-20, kind: fact, rank: preferred,
     sources: [{source: fixture-digest, locator: "7"}]}
  - {id: newco-valuation-roundup, entity: newco, metric: valuation, value: 2, scale: billion,
     unit: USD, since: 2025-11-20, kind: fact, sources: [{source: fixture-report, locator: "8"}]}
"""


@pytest.fixture
def late(tmp_path: Path, cache: Path) -> Path:
    return good_mini_with(tmp_path / "data", "late.yaml", LATE)


def _edges_of_days(whole: Dataset) -> list[dt.date]:
    """The day before, of and after every day something begins or ends, and days long before
    and after everything."""
    days = {dt.date(1990, 1, 1), dt.date(2100, 1, 1)}
    dates = [entity.attributes.get("founded") for entity in whole.entities.values()]
    dates += [date for record in [*whole.facts, *whole.figures]
              for date in (record.since, record.until)]
    for date in dates:
        if date is None or not hasattr(date, "start"):
            continue
        for day in (date.start(), date.end()):
            days.update(day + dt.timedelta(days=step) for step in (-1, 0, 1))
    return sorted(days)


def _paths_taken(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which way each count went: every edge tested, or the few subtracted."""
    taken: list[str] = []
    count = Store._valid_counts

    def recorded(self: Store, condition: str, at: dict[str, str]) -> object:
        taken.append("each edge" if condition == self._in_view_on else "subtracted")
        return count(self, condition, at)

    monkeypatch.setattr(Store, "_valid_counts", recorded)
    return taken


@pytest.mark.parametrize("deprecated", [False, True])
def test_counts_on_each_day_equal_the_whole_dataset_as_it_stood(
        late: Path, deprecated: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(late, include_deprecated=deprecated)
    whole = store.dataset()
    taken = _paths_taken(monkeypatch)
    days = _edges_of_days(whole)
    for day in days:
        assert counted(*store.counts_on(day)) == summary(whole.as_of(day)), day
    # Early days (most entities still to come) test every edge; later ones subtract.
    assert set(taken) == {"each edge", "subtracted"}
    on = {day: counted(*store.counts_on(day)) for day in
          (dt.date(2025, 11, 14), dt.date(2025, 11, 15), dt.date(2025, 11, 30), dt.date(2025, 12, 1))}
    # NewCo is there from its founding day; the fact ending on 30 November is in view that day.
    assert on[dt.date(2025, 11, 15)]["by_type"]["organization"] == \
        on[dt.date(2025, 11, 14)]["by_type"]["organization"] + 1
    assert on[dt.date(2025, 11, 30)]["by_relation"]["develops"] == \
        on[dt.date(2025, 12, 1)]["by_relation"]["develops"] + 1
    # One of NewCo's two valuations outranks the other (unless every statement is asked for).
    assert on[dt.date(2025, 12, 1)]["figures"] - on[dt.date(2025, 11, 14)]["figures"] == \
        (2 if deprecated else 1)


@pytest.mark.parametrize("folder", [FIXTURES / "market" / "data", FIXTURES / "existence",
                                    FIXTURES / "change-report"], ids=lambda path: path.parent.name
                         if path.name == "data" else path.name)
def test_stats_as_of_equal_the_whole_dataset_on_every_edge_of_a_day(folder: Path, cache: Path) -> None:
    lnd = kg.open(folder)
    whole = lnd.store.dataset()
    for day in _edges_of_days(whole):
        assert lnd.stats(as_of=day) == summary(whole.as_of(day)), day


def test_a_type_or_kind_the_ontology_lacks_is_counted_all_the_same(
        late: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Counting each of the ontology's types and kinds apart misses one it lacks: the counts
    then do not add up, and the rows are grouped instead."""
    monkeypatch.setenv("KG_CACHE", "0")  # a store in memory, whose rows this test may change
    store = open_store(late)
    whole = store.dataset()
    day = dt.date(2025, 12, 1)
    expected = summary(whole.as_of(day))
    store.conn.execute("UPDATE entities SET type = 'guild' WHERE id = 'kuaishou'")
    store.conn.execute("UPDATE facts SET kind = 'rumour' WHERE id = (SELECT min(id) FROM facts "
                       "WHERE derived = 0 AND subject = 'kuaishou')")
    found = counted(*store.counts_on(day))
    assert found["by_type"]["guild"] == 1
    assert found["by_type"]["organization"] == expected["by_type"]["organization"] - 1
    assert found["by_kind"]["rumour"] == 1
    assert sum(found["by_kind"].values()) == expected["facts"]
