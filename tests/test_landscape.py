"""``Landscape``: the commands answered on the store's indexed rows (compare, brief, figures,
timeline, stats --as-of, diff --from --to, rank) give the whole dataset's answers, and read
no whole dataset to give them."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, REPO, SEEDS, good_mini_with

import kg
from kg.analysis.brief import brief
from kg.analysis.compare import compare, members
from kg.analysis.diff import change_report
from kg.analysis.documents import in_view, latest_record_day
from kg.data.model import Dataset
from kg.errors import KgError
from kg.query.figures import figure_json, figures
from kg.query.rank import rank
from kg.query.stats import summary
from kg.query.timeline import timeline
from kg.render.brief import to_markdown
from kg.store import Store, open_store

sys.path.insert(0, str(REPO / "bench"))
from generate import generate  # noqa: E402

MADE_ON = dt.date(2026, 1, 1)
MARKET = FIXTURES / "market" / "data"


@pytest.fixture(autouse=True)
def _own_cache(cache: Path) -> Path:
    """Every test here compiles its stores in a cache of its own (conftest's ``cache``)."""
    return cache


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    generate(2000, folder, seed=5)
    return folder


def _whole(lnd: kg.Landscape) -> Dataset:
    return lnd.store.dataset()


def _no_whole_dataset(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Store, include_deprecated: bool | None = None) -> Dataset:
        raise AssertionError("the whole dataset was read")

    monkeypatch.setattr(Store, "dataset", refuse)


def _picks(whole: Dataset) -> tuple[list[str], list[dt.date]]:
    """Entities with many facts (products, models, organisations), and days across the data."""
    onto = whole.ontology
    touching: dict[str, int] = {}
    for fact in whole.facts:
        for end in (fact.subject, fact.object):
            touching[end] = touching.get(end, 0) + 1
    busy = sorted(touching, key=lambda e: (-touching[e], e))
    picked = [found for kind in ("product", "model", "organization")
              if (found := next((e for e in busy if onto.is_a(whole.entities[e].type, [kind])), None))]
    picked += [e for e in busy if e not in picked][:6 - len(picked)]
    days = sorted(f.since.start() for f in whole.facts if f.since)
    return picked, [days[len(days) // 5], days[len(days) // 2], days[-1]]


def _outcome(ask: Callable[..., Any], *args: Any, **options: Any) -> Any:
    """An answer's JSON, or the error it raised (type and message): both ways must agree."""
    try:
        return ask(*args, **options).to_json()
    except KgError as error:
        return (type(error).__name__, str(error))


def _check_equal(lnd: kg.Landscape, whole: Dataset, names: list[str], days: list[dt.date]) -> None:
    assert lnd.store.latest_day() == latest_record_day(whole)
    latest = latest_record_day(whole)
    for name in names:
        # The part read around an entity rolls it up as the whole does, in each view.
        for as_of, history in [(None, False), (None, True), (days[2], False), (days[2], True)]:
            part = lnd._around([name], as_of, history, latest)
            assert members(in_view(part, as_of, history, latest), name) == \
                members(in_view(whole, as_of, history, latest), name), (name, as_of, history)
    pair = names[:2]
    for options in [{}, {"history": True}, {"as_of": days[2]}, {"default": True},
                    {"relations": ["has-feature", "integrates"]}, {"limit": 2}]:
        assert _outcome(lnd.compare, *names[:4], made_on=MADE_ON, **options) == \
            _outcome(compare, whole, names[:4], made_on=MADE_ON, **options), options
        assert _outcome(lnd.compare, *pair, made_on=MADE_ON, **options) == \
            _outcome(compare, whole, pair, made_on=MADE_ON, **options), options
    for name in names:
        for options in [{}, {"history": True}, {"as_of": days[2]}, {"as_of": days[2], "history": True}]:
            assert to_markdown(lnd.brief(name, made_on=MADE_ON, **options)) == \
                to_markdown(brief(whole, name, made_on=MADE_ON, **options)), (name, options)
        assert lnd.figures(name).to_json() == [figure_json(whole, f) for f in figures(whole, name)]
        assert lnd.timeline(name).to_json() == [e.to_json(whole) for e in timeline(whole, name)]
    metrics = sorted(whole.ontology.metrics)[:2]
    for options in [{}, {"metrics": metrics}, {"as_of": days[0]}]:
        assert lnd.figures(**options).to_json() == \
            [figure_json(whole, f) for f in figures(whole, **options)], options
    for since, until in [(days[0], days[1]), (days[1], None), (None, days[0])]:
        for options in [{}, {"relations": ["develops"]}, {"metrics": metrics}]:
            assert lnd.timeline(since=since, until=until, **options).to_json() == \
                [e.to_json(whole) for e in timeline(whole, since=since, until=until, **options)]
        assert lnd.timeline(names[0], since=since, until=until).to_json() == \
            [e.to_json(whole) for e in timeline(whole, names[0], since=since, until=until)]
    for day in days:
        assert lnd.stats(as_of=day) == summary(whole.as_of(day))
    for start, end in [(days[0], days[0] + dt.timedelta(days=31)), (days[1], days[1]),
                       (days[1] - dt.timedelta(days=400), days[2])]:
        for options in [{}, {"inexact": True}, {"entities": names[:2]}, {"relations": ["announced"]},
                        {"kinds": ["event"]}, {"kinds": ["fact", "claim"], "entities": [names[0]]}]:
            assert lnd.changes(start, end, made_on=MADE_ON, **options).to_json() == \
                change_report(whole, start, end, made_on=MADE_ON, **options).to_json(), options
    for metric in ("degree", "pagerank", "betweenness"):
        for options in [{}, {"as_of": days[1]}, {"relations": ["develops", "integrates"]},
                        {"types": ["product"], "limit": 5}, {"roles": ["rights-holder"], "limit": 3},
                        {"limit": None}]:
            if metric == "betweenness" and len(whole.entities) > 200 and options:
                continue  # exact betweenness is slow; once is enough on the larger data
            assert lnd.rank(metric, **options).to_json() == \
                [s.to_json(whole) for s in rank(whole, metric, **options)], (metric, options)


@pytest.mark.parametrize("folder", [SEEDS, MARKET, FIXTURES / "existence", FIXTURES / "change-report"],
                         ids=lambda folder: folder.parent.name if folder == MARKET else folder.name)
def test_store_answers_equal_the_whole_dataset(folder: Path) -> None:
    lnd = kg.open(folder)
    whole = _whole(lnd)
    names, days = _picks(whole)
    _check_equal(lnd, whole, names, days)


def test_store_answers_equal_on_generated_data(synthetic: Path) -> None:
    lnd = kg.open(synthetic)
    whole = _whole(lnd)
    names, days = _picks(whole)
    _check_equal(lnd, whole, names, days)


def test_the_seeds_answers_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """Labels and aliases name entities as ids do, and the store's answers read no whole dataset."""
    lnd = kg.open(SEEDS)
    whole = _whole(lnd)
    expected = compare(whole, ["Sora 2", "veo", "Kling"], made_on=MADE_ON).to_json()
    rank_expected = [s.to_json(whole) for s in rank(whole, "pagerank")]
    _no_whole_dataset(monkeypatch)
    assert lnd.compare("Sora 2", "veo", "Kling", made_on=MADE_ON).to_json() == expected
    assert lnd.rank("pagerank").to_json() == rank_expected


@pytest.mark.parametrize("folder", [SEEDS, MARKET])
def test_moved_commands_read_no_whole_dataset(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lnd = kg.open(folder)
    names, days = _picks(_whole(lnd))
    lnd._dataset = None
    _no_whole_dataset(monkeypatch)
    assert lnd.compare(*names[:4], made_on=MADE_ON).rows
    assert lnd.brief(names[0], made_on=MADE_ON, as_of=days[2]).sections
    lnd.figures()
    lnd.figures(names[0], as_of=days[1])
    assert lnd.timeline(names[0])
    lnd.timeline(since=days[0], until=days[1])
    assert lnd.stats(as_of=days[1])["entities"]
    lnd.changes(days[0], days[2], made_on=MADE_ON)
    lnd.changes(days[0], days[2], entities=[names[0]], made_on=MADE_ON)
    for metric in ("degree", "pagerank"):
        assert lnd.rank(metric, as_of=days[1], roles=["rights-holder"] if folder == SEEDS else ())


def test_statements_of_a_lower_rank_stay_out_and_come_back_on_request() -> None:
    """The market fixture holds deprecated and outranked statements: a store of every statement
    counts and ranks as the whole dataset of every statement does."""
    store = open_store(MARKET, include_deprecated=True)
    every = store.dataset(include_deprecated=True)
    best = open_store(MARKET).dataset()
    assert len(every.facts) + len(every.figures) > len(best.facts) + len(best.figures)
    _names, days = _picks(every)
    from kg.query.rank import rank_store
    from kg.query.stats import counted

    for day in days:
        assert counted(*store.counts_on(day)) == summary(every.as_of(day))
    for metric in ("degree", "pagerank"):
        assert [s.to_json(every) for s in rank_store(store, metric, limit=None)] == \
            [s.to_json(every) for s in rank(every, metric, limit=None)]
    assert store.latest_day() is not None


LOOSE = """facts:
  - subject: kuaishou
    relation: partners-with
    object: openai
    kind: fact
    since: 2024
    until: 2025
    sources:
      - {source: fixture-digest, locator: "第3段"}
  - subject: kuaishou
    relation: competes-with
    object: openai
    kind: event
    since: 2023-02
    until: 2024-11
    sources:
      - {source: fixture-digest, locator: "第3段"}
"""


def test_spans_find_dates_of_a_year_or_a_month_at_their_edges(tmp_path: Path) -> None:
    """A date of a year or a month may fall in a span that holds only its first or last days:
    the store's date conditions keep it, as the whole dataset does."""
    good_mini_with(tmp_path, "loose.yaml", LOOSE)
    lnd = kg.open(tmp_path)
    whole = _whole(lnd)
    edges = [dt.date(2023, 1, 31), dt.date(2023, 2, 1), dt.date(2023, 2, 28), dt.date(2023, 3, 1),
             dt.date(2023, 12, 31), dt.date(2024, 1, 1), dt.date(2024, 10, 31), dt.date(2024, 11, 30),
             dt.date(2024, 12, 1), dt.date(2025, 12, 31), dt.date(2026, 1, 1)]
    found = 0
    for start in edges:
        for end in (start, start + dt.timedelta(days=5)):
            report = lnd.changes(start, end, inexact=True, made_on=MADE_ON).to_json()
            assert report == change_report(whole, start, end, inexact=True, made_on=MADE_ON).to_json()
            found += len(report["changes"])
        assert lnd.timeline(since=start).to_json() == [e.to_json(whole) for e in timeline(whole, since=start)]
        assert lnd.timeline(until=start).to_json() == [e.to_json(whole) for e in timeline(whole, until=start)]
        assert lnd.stats(as_of=start) == summary(whole.as_of(start))
    assert found  # the loose dates were found somewhere


def test_compare_with_a_limit_lists_the_whole_answers_first_rows(synthetic: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A comparison with a limit, whose rows are chosen from the columns before any fact is
    decoded (``Landscape._compare_planned``), is the whole dataset's, cut: the same rows,
    cells, counts and "more rows" in every view, for entities that roll up a hub."""
    from kg.analysis.compare import Matrix
    from kg.render.compare import to_text

    lnd = kg.open(synthetic)
    whole = _whole(lnd)
    planned: list[bool] = []
    keep = Matrix.keep_planned

    def noted(matrix: Matrix, *args: Any) -> bool:
        planned.append(keep(matrix, *args))
        return planned[-1]

    monkeypatch.setattr(Matrix, "keep_planned", noted)
    touching: dict[str, int] = {}
    for fact in whole.facts:
        for end in (fact.subject, fact.object):
            touching[end] = touching.get(end, 0) + 1
    roll_up = set(whole.ontology.comparison.roll_up)
    integrated = [fact for fact in whole.facts if fact.relation in roll_up and fact.kind != "claim"]
    hub = max({fact.object for fact in integrated}, key=lambda e: (touching[e], e))
    on_hub = sorted({fact.subject for fact in integrated if fact.object == hub})[:2]
    ordinary = sorted(e for e, count in touching.items() if 3 <= count <= 10 and e not in on_hub)[:2]
    days = sorted(f.since.start() for f in whole.facts if f.since)
    cut, refused = False, 0
    for names in ([*on_hub, *ordinary], [hub, ordinary[0]]):
        for options in [{}, {"history": True}, {"as_of": days[len(days) // 2]},
                        {"as_of": days[-1], "history": True}, {"default": True},
                        {"relations": ["integrates", "has-feature"]}]:
            for limit in (1, 3, 100):
                try:
                    ours = lnd.compare(*names, made_on=MADE_ON, limit=limit, **options)
                except KgError as error:  # an entity that did not exist yet: refused alike
                    assert _outcome(compare, whole, names, made_on=MADE_ON, limit=limit,
                                    **options) == (type(error).__name__, str(error))
                    refused += 1
                    continue
                theirs = compare(whole, names, made_on=MADE_ON, limit=limit, **options)
                assert ours.to_json() == theirs.to_json(), (names, options, limit)
                assert to_text(ours) == to_text(theirs), (names, options, limit)
                assert planned.pop(), (names, options, limit)  # the rows were planned, not all read
                cut = cut or bool(ours.hidden)
    assert cut  # some group was longer than its limit
    assert refused < 12  # most views were compared


def test_the_latest_day_counts_a_figures_until_from_its_first_day(tmp_path: Path) -> None:
    """``Store.latest_day`` reads the figures' dates as written, not decoded: an ``until``
    (kept in the record's JSON, not a column) later than every other date is the latest
    day, counted from its first day, as the whole dataset counts it."""
    folder = tmp_path / "data"
    generate(300, folder, seed=3)
    part = folder / "part-0.yaml"
    text = part.read_text(encoding="utf-8")
    assert "    since: " in text.split("figures:", 1)[1]
    head, figures_text = text.split("figures:", 1)
    figures_text = figures_text.replace("    kind: fact\n", "    until: 2031-07\n    kind: fact\n", 1)
    part.write_text(head + "figures:" + figures_text, encoding="utf-8")
    lnd = kg.open(folder)
    assert lnd.validation().problems == []
    assert lnd.store.latest_day() == latest_record_day(_whole(lnd)) == dt.date(2031, 7, 1)
