"""kg.analysis.documents: the day a document describes, the day it was made, the records it keeps
and its numbered sources."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.analysis.documents import dating, in_view, latest_record_day, made_today, numbered_sources
from kg.data.load import load
from kg.data.model import SourceRef
from kg.errors import KgError
from kg.util.yamlsafe import Loc
from tests.conftest import FIXTURES

D = dt.date


@pytest.fixture(scope="module")
def documents():
    return load(FIXTURES / "documents")


def test_made_today_reads_kg_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_TODAY", "2025-10-10")
    assert made_today() == D(2025, 10, 10)
    monkeypatch.delenv("KG_TODAY")
    assert made_today() == dt.date.today()
    monkeypatch.setenv("KG_TODAY", "2025-10")
    with pytest.raises(KgError, match="KG_TODAY='2025-10' is not a day"):
        made_today()


def test_the_day_described(documents) -> None:
    # The weekly review of 2025-10-05 is the latest dated record.
    assert latest_record_day(documents) == D(2025, 10, 5)
    current = dating(documents, None, made_on=D(2025, 10, 10))
    assert (current.day, current.describes(), current.made()) == (
        D(2025, 10, 5), "Current as of the latest dated record, 2025-10-05; ended facts left out.",
        "Made on 2025-10-10 from the data as it was then.")
    on_day = dating(documents, D(2025, 10, 2), history=True, made_on=D(2025, 10, 10))
    assert on_day.describes() == "As of 2025-10-02; ended facts included."
    assert on_day.to_json() == {"as_of": "2025-10-02", "describes": "2025-10-02",
                                "latest_record": "2025-10-05", "history": True, "made_on": "2025-10-10"}


def policies(dataset) -> set[str]:
    return {f.object for f in dataset.facts if f.relation == "has-policy"}


def test_in_view_leaves_out_ended_facts_unless_history(documents) -> None:
    assert policies(in_view(documents, None)) == {"policy-new"}
    assert policies(in_view(documents, None, history=True)) == {"policy-new", "policy-old"}
    assert policies(in_view(documents, D(2025, 10, 2))) == {"policy-old"}
    assert policies(in_view(documents, D(2025, 10, 4))) == {"policy-new"}
    assert policies(in_view(documents, D(2025, 10, 4), history=True)) == {"policy-new", "policy-old"}
    # What had not begun by the day is never in view, history or not.
    assert policies(in_view(documents, D(2025, 9, 30), history=True)) == set()
    assert "clip-app" not in in_view(documents, D(2025, 9, 30), history=True).entities


def test_numbered_sources_in_first_cited_order() -> None:
    here = Loc("data.yaml", 1, 1)
    refs = [SourceRef("b", "para 10", here), SourceRef("a", "para 2", here), SourceRef("b", "para 2", here),
            SourceRef("b", "para 10", here)]
    assert numbered_sources(refs) == [("b", ["para 2", "para 10"]), ("a", ["para 2"])]
    assert numbered_sources([]) == []
