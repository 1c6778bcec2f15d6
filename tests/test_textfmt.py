"""Plain-text renderings used by the CLI."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from kg import textfmt
from kg.dates import PartialDate
from kg.load import load
from kg.model import Dataset


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load(FIXTURES / "good-mini")


def fact(data: Dataset, subject: str, relation: str, obj: str):
    (found,) = [f for f in data.facts
                if (f.subject, f.relation, f.object) == (subject, relation, obj)]
    return found


@pytest.mark.parametrize(("since", "until", "shown"), [
    ("2025-10", None, "[2025-10]"),
    ("2025-09-30", "2025-10-03", "[2025-09-30 – 2025-10-03]"),
    (None, "2025", "[until 2025]"),
    (None, None, ""),
])
def test_period(since: str | None, until: str | None, shown: str) -> None:
    parse = lambda v: PartialDate.parse(v) if v else None  # noqa: E731
    assert textfmt.period(parse(since), parse(until)) == shown


def test_arrows_follow_direction_and_symmetry(data: Dataset) -> None:
    assert textfmt.arrow(data, "develops") == "—develops→"
    assert textfmt.arrow(data, "develops", forward=False) == "←develops—"
    assert textfmt.arrow(data, "competes-with", forward=False) == "—competes-with—"


def test_fact_line_reads_from_either_end_and_marks_claims(data: Dataset) -> None:
    develops = fact(data, "kuaishou", "develops", "kling")
    assert textfmt.fact_line(data, develops).startswith("Kuaishou —develops→ Kling")
    assert textfmt.fact_line(data, develops, start="kling").startswith("Kling ←develops— Kuaishou")
    claim = fact(data, "kling", "outperforms", "sora-2")
    assert textfmt.fact_line(data, claim).endswith("(claim by Kuaishou)")


@pytest.mark.parametrize(("value", "unit", "scale", "shown"), [
    (164000, "downloads", None, "164,000 downloads"),
    (250, "CNY", "million", "250 million CNY"),
    (3, "rank", None, "#3"),
    (-2.3, "percent", None, "-2.3%"),
])
def test_amount(value: float, unit: str, scale: str | None, shown: str) -> None:
    assert textfmt.amount(value, unit, scale) == shown


def test_qualifiers_show_amounts_and_entity_labels(data: Dataset) -> None:
    reaction = fact(data, "disney", "reacted-to", "sora-app")
    assert textfmt.qualifiers(reaction.qualifiers, data) == "amount: 1.5 billion USD, region: US"
    assert textfmt.qualifiers({"via": "sora-app", "region": "sora-app"}, data) == (
        "via: Sora app, region: sora-app")


def test_entity_block_names_the_wikidata_item_when_there_is_one(data: Dataset) -> None:
    from dataclasses import replace

    entity = next(iter(data.entities.values()))
    assert not any("wikidata" in line for line in textfmt.entity_block(data, entity))
    lines = textfmt.entity_block(data, replace(entity, wikidata="Q42"))
    assert lines[-1] == "  wikidata: Q42"


def test_note_lines_wrap_and_indent() -> None:
    from kg.textfmt import NOTE_WIDTH, note_lines

    assert note_lines(None, "  ") == [] and note_lines("", "  ") == []
    lines = note_lines("word " * 40, "    ")
    assert lines[0].startswith("    note: word")
    assert all(line.startswith("          word") for line in lines[1:])
    assert all(len(line) <= NOTE_WIDTH for line in lines)
    assert note_lines("one  line\n  kept short", "") == ["note: one line kept short"]
