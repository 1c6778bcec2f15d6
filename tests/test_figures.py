"""``kg figures``: every figure, or one entity's, on the store's rows as on the whole dataset;
the entities' beginnings are read only when an answer asks for them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import good_mini_with, run_cli
from test_stats import LATE

import kg
from kg.query.figures import figure_json, figures
from kg.render import text
from kg.store import Store


@pytest.fixture
def late(tmp_path: Path, cache: Path) -> Path:
    return good_mini_with(tmp_path / "data", "late.yaml", LATE)


def test_figures_on_each_day_equal_the_whole_dataset(late: Path) -> None:
    """Before NewCo is founded none of its figures are listed; after, the preferred valuation
    hides the other one, unless every statement is asked for."""
    for deprecated in (False, True):
        lnd = kg.open(late)
        # Every statement, as ``open_store(include_deprecated=True)`` reads them.
        lnd.store.include_deprecated = deprecated
        whole = lnd.store.dataset()
        for day in (None, dt.date(2025, 11, 14), dt.date(2025, 11, 15), dt.date(2025, 11, 20),
                    dt.date(2025, 11, 21)):
            found = lnd.figures(as_of=day).to_json()
            assert found == [figure_json(whole, f) for f in figures(whole, as_of=day)], day
        newco = [f["id"] for f in lnd.figures("newco").to_json()]
        assert newco == (["newco-valuation-roundup", "newco-valuation-wire"] if deprecated
                         else ["newco-valuation-wire"])
        assert not lnd.figures("newco", as_of=dt.date(2025, 11, 19))


def test_a_listings_entities_are_dated_only_when_asked(late: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    lnd = kg.open(late)
    whole = lnd.store.dataset()
    asked: list[int] = []
    read = Store._existence

    def counted(self: Store, ids: object) -> object:
        asked.append(1)
        return read(self, ids)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "_existence", counted)
    listing = lnd.figures()
    assert text.figures(listing) and listing.to_json()
    assert not asked  # listing and printing every figure needs no entity's beginning
    data = listing.dataset
    assert {e: data.existence(e) for e in data.entities} == \
        {e: whole.existence(e) for e in data.entities}
    assert len(asked) == 1  # read once, then kept
    assert data.existence("newco").reason == whole.existence("newco").reason


def test_the_cli_prints_every_figure_in_order(late: Path) -> None:
    lnd = kg.open(late)
    result = run_cli("figures", data=late)
    assert result.exit_code == 0
    assert result.output == "\n".join(text.figures(lnd.figures())) + "\n"
    assert result.output.count("\n    sources: ") == len(lnd.figures())
