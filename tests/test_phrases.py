"""Plain-text renderings used by the CLI."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from kg.data import phrases
from kg.data.dates import PartialDate
from kg.data.load import load
from kg.data.model import Dataset


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
    assert phrases.period(parse(since), parse(until)) == shown


def test_arrows_follow_direction_and_symmetry(data: Dataset) -> None:
    assert phrases.arrow(data, "develops") == "—develops→"
    assert phrases.arrow(data, "develops", forward=False) == "←develops—"
    assert phrases.arrow(data, "competes-with", forward=False) == "—competes-with—"


def test_fact_line_reads_from_either_end_and_marks_claims(data: Dataset) -> None:
    develops = fact(data, "kuaishou", "develops", "kling")
    assert phrases.fact_line(data, develops).startswith("Kuaishou —develops→ Kling")
    assert phrases.fact_line(data, develops, start="kling").startswith("Kling ←develops— Kuaishou")
    claim = fact(data, "kling", "outperforms", "sora-2")
    assert phrases.fact_line(data, claim).endswith("(claim by Kuaishou)")


@pytest.mark.parametrize(("value", "unit", "scale", "shown"), [
    (164000, "downloads", None, "164,000 downloads"),
    (250, "CNY", "million", "250 million CNY"),
    (3, "rank", None, "#3"),
    (-2.3, "percent", None, "-2.3%"),
])
def test_amount(value: float, unit: str, scale: str | None, shown: str) -> None:
    assert phrases.amount(value, unit, scale) == shown


def test_qualifiers_show_amounts_and_entity_labels(data: Dataset) -> None:
    reaction = fact(data, "disney", "reacted-to", "sora-app")
    assert phrases.qualifiers(reaction.qualifiers, data) == "amount: 1.5 billion USD, region: US"
    assert phrases.qualifiers({"via": "sora-app", "region": "sora-app"}, data) == (
        "via: Sora app, region: sora-app")


def test_entity_block_names_the_wikidata_item_when_there_is_one(data: Dataset) -> None:
    from dataclasses import replace

    entity = next(iter(data.entities.values()))
    assert not any("wikidata" in line for line in phrases.entity_block(data, entity))
    lines = phrases.entity_block(data, replace(entity, wikidata="Q42"))
    assert lines[-1] == "  wikidata: Q42"


def test_note_lines_wrap_and_indent() -> None:
    from kg.data.phrases import NOTE_WIDTH, note_lines

    assert note_lines(None, "  ") == [] and note_lines("", "  ") == []
    lines = note_lines("word " * 40, "    ")
    assert lines[0].startswith("    note: word")
    assert all(line.startswith("          word") for line in lines[1:])
    assert all(len(line) <= NOTE_WIDTH for line in lines)
    assert note_lines("one  line\n  kept short", "") == ["note: one line kept short"]


# --- figures carry their qualifiers; curators' bounds are marked ---------------------------------

def test_figure_lines_carry_bound_scope_and_period() -> None:
    figures = load(FIXTURES / "figure-qualifiers")
    lines = [phrases.figure_line(figures, f) for f in figures.figures]
    assert lines == [
        "production-time: at most 48 hours [2025-10] for an advertising campaign made with AI "
        "tools such as Clipmaker (claim)",
        "video-length: about 10 seconds",
        "share-price-change: -70% period: not stated",
        "share-price-change: -2.3% [2025-09-30 – 2025-10-01]",
    ]
    assert {k: figures.figures[0].to_json()[k] for k in ("bound", "scope", "period")} == {
        "bound": "at-most", "scope": "an advertising campaign made with AI tools such as Clipmaker",
        "period": None}


def test_a_curators_bound_is_marked() -> None:
    report = load(FIXTURES / "change-report")
    lines = {f.id: phrases.fact_line(report, f) for f in report.facts}
    assert lines["tool--lacks--feature-x"] == (
        "Tool —lacks→ Feature X [until 2025-10-03] (curator's bound: until)")
    assert lines["pundit--uses--tool--2025-10-01"] == (
        "Pundit —uses→ Tool [2025-10-01 – 2025-10-05] (curator's bounds: since, until)")
    assert lines["maker--has-policy--policy-a--2025-10-01"] == (
        "Maker —has-policy→ Policy A [2025-10-01 – 2025-10-04]")


def test_counts_keep_facts_and_references_apart() -> None:
    assert phrases.count_text({"sources": 2, "facts": 170, "entities": 82, "references": 65}) == (
        "82 entities, 170 facts, 65 references, 2 sources")
    assert phrases.count_text({"files": 1, "facts": 1, "references": 0}) == (
        "1 file, 1 fact, 0 references")
