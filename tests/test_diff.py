"""kg.analysis.diff: the landscape's changes between two days, and two datasets compared record by record."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from kg.analysis.diff import (
    GROUPS,
    diff_datasets,
    field_changes,
    headline_groups,
    in_view,
    landscape_changes,
)
from kg.data.load import load
from kg.errors import LookupFailed, UnknownTerm
from kg.render.text import revision_changes
from tests.conftest import FIXTURES

DATA = FIXTURES / "analysis"
D = dt.date


@pytest.fixture(scope="module")
def data():
    return load(DATA)


def summary(changes) -> list[tuple[str, str, str]]:
    return [(str(c.date), c.change, c.record.id) for c in changes]


def test_changes_in_date_order(data) -> None:
    found = [c for c in landscape_changes(data, D(2025, 10, 1), D(2025, 10, 3)) if c.exact]
    assert summary(found) == [
        ("2025-10-01", "started", "acme--has-policy--policy-old--2025-10-01"),
        ("2025-10-01", "happened", "rights-owner--opted-out-of--policy-old--2025-10-01"),
        ("2025-10-02", "appeared", "widget"),
        ("2025-10-02", "happened", "acme--announced--widget--2025-10-02"),
        ("2025-10-02", "started", "acme--develops--widget--2025-10-02"),
        ("2025-10-02", "started", "widget-model--has-feature--sound--2025-10-02"),
        ("2025-10-02", "first-known", "widget--video-length--2025-10-02"),
        ("2025-10-03", "ended", "acme--has-policy--policy-old--2025-10-01"),
        ("2025-10-03", "started", "acme--has-policy--policy-new--2025-10-03"),
        ("2025-10-03", "started", "policy-new--successor-of--policy-old--2025-10-03"),
    ]


def test_month_dated_records_are_marked_inexact(data) -> None:
    found = landscape_changes(data, D(2025, 10, 1), D(2025, 10, 3))
    inexact = [c for c in found if not c.exact]
    assert summary(inexact) == [("2025-10", "started", "beta-co--develops--gizmo--2025-10"),
                                ("2025-10", "started", "widget--outperforms--gizmo--2025-10")]
    assert found[0] == inexact[0]  # a month sorts before the days it contains
    assert not [c for c in landscape_changes(data, D(2025, 10, 1), D(2025, 10, 3), exact_only=True)
                if not c.exact]


def test_appearance_is_sourced_by_the_events_of_its_day(data) -> None:
    found = landscape_changes(data, D(2025, 10, 2), D(2025, 10, 2))
    widget = next(c for c in found if c.change == "appeared")
    assert [(r.source, r.locator) for r in widget.sources] == [("src-a", "para 1")]



@pytest.mark.parametrize("folder", [DATA, FIXTURES.parent.parent / "seeds"], ids=["analysis", "seeds"])
def test_every_appearance_is_sourced_by_the_facts_of_its_founding_day(folder: Path) -> None:
    """Each entity founded in the span appears once, sourced by the events touching it dated as
    its founding (else its other facts of that day, claims never), in file order."""
    dataset = load(folder)
    found = [c for c in landscape_changes(dataset, D(1, 1, 1), D(9999, 12, 31))
             if c.change == "appeared"]
    founded = [e for e in dataset.entities.values() if e.attributes.get("founded") is not None]
    assert founded and sorted(c.record.id for c in found) == sorted(e.id for e in founded)
    for change in found:
        dated = [f for f in dataset.facts if change.record.id in (f.subject, f.object)
                 and f.since == change.date and f.kind != "claim"]
        dated = [f for f in dated if f.kind == "event"] or dated
        expected = list(dict.fromkeys((r.source, r.locator) for f in dated for r in f.sources))
        assert [(r.source, r.locator) for r in change.sources] == expected, change.record.id

def test_filters(data) -> None:
    span = (D(2025, 10, 1), D(2025, 10, 31))
    by_entity = landscape_changes(data, *span, entities=["Old policy"])
    assert {c.record.id for c in by_entity} == {
        "acme--has-policy--policy-old--2025-10-01", "rights-owner--opted-out-of--policy-old--2025-10-01",
        "policy-new--successor-of--policy-old--2025-10-03"}
    by_relation = landscape_changes(data, *span, relations=["opted-out-of"])
    assert summary(by_relation) == [
        ("2025-10-01", "happened", "rights-owner--opted-out-of--policy-old--2025-10-01")]
    by_kind = landscape_changes(data, *span, kinds=["event"])
    assert {c.change for c in by_kind} == {"happened"}
    assert "first-known" in {c.change for c in landscape_changes(data, *span, kinds=["fact"])}


def test_filter_errors(data) -> None:
    with pytest.raises(UnknownTerm):
        landscape_changes(data, D(2025, 1, 1), D(2025, 12, 31), relations=["opted-out"])
    with pytest.raises(UnknownTerm):
        landscape_changes(data, D(2025, 1, 1), D(2025, 12, 31), kinds=["rumour"])
    with pytest.raises(LookupFailed):
        landscape_changes(data, D(2025, 1, 1), D(2025, 12, 31), entities=["nobody-at-all"])


def test_json(data) -> None:
    change = landscape_changes(data, D(2025, 10, 3), D(2025, 10, 3), exact_only=True)[0]
    assert change.to_json(data) == {
        "date": "2025-10-03", "change": "ended", "id": "acme--has-policy--policy-old--2025-10-01",
        "exact": True, "group": "starts-ends", "record": "fact", "relation": "has-policy",
        "subject": "acme",
        "object": "policy-old", "kind": "fact",
        "text": "Acme —has-policy→ Old policy [2025-10-01 – 2025-10-03]",
        "sources": [{"source": "src-a", "locator": "para 6", "publisher": "Fixture Press",
                     "title": "Widget launch report", "date": "2025-10-02",
                     "url": "https://example.org/widget"}]}


def test_field_changes_spell_out_one_level() -> None:
    changes = field_changes({"id": "x", "labels": {"en": "A"}, "note": None},
                            {"id": "x", "labels": {"en": "A", "zh-Hans": "甲"}, "note": "n"})
    assert [(c.field, c.old, c.new) for c in changes] == [("labels.zh-Hans", None, "甲"), ("note", None, "n")]


def edited_copy(tmp_path: Path, edits: dict[str, tuple[str, str]]) -> Path:
    folder = tmp_path / "edited"
    shutil.copytree(DATA, folder)
    for name, (old, new) in edits.items():
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def test_diff_datasets(tmp_path: Path, data) -> None:
    folder = edited_copy(tmp_path, {
        "data.yaml": ("relation: opted-out-of, object: policy-old, kind: event, since: 2025-10-01",
                      "relation: opted-out-of, object: policy-old, kind: event, since: 2025-10-02"),
        "sources.yaml": ("title: Gizmo review", "title: Gizmo review, updated"),
    })
    text = (folder / "data.yaml").read_text(encoding="utf-8")
    text = text.replace("  - id: hdr\n    type: feature\n    labels: {en: HDR}\n", "")
    text = text.replace("  - {subject: acme, relation: develops, object: hdr, kind: fact,\n"
                        "     sources: [{source: src-a, locator: \"para 7\"}]}\n", "")
    text = text.replace("labels: {en: Beta Co}", "labels: {en: Beta Co, zh-Hans: 贝塔}")
    (folder / "data.yaml").write_text(text, encoding="utf-8")
    result = diff_datasets(data, load(folder))
    assert result.counts() == {
        "sources": {"added": 0, "removed": 0, "changed": 1},
        "entities": {"added": 0, "removed": 1, "changed": 1},
        "facts": {"added": 0, "removed": 1, "changed": 1},
        "figures": {"added": 0, "removed": 0, "changed": 0}}
    assert [r["id"] for r in result.entities.removed] == ["hdr"]
    old_id, new_id, fields = result.facts.changed[0]
    assert (old_id, new_id) == ("rights-owner--opted-out-of--policy-old--2025-10-01",
                                "rights-owner--opted-out-of--policy-old--2025-10-02")
    assert [(f.field, f.old, f.new) for f in fields] == [
        ("id", old_id, new_id), ("since", "2025-10-01", "2025-10-02")]
    assert [(f.field, f.old, f.new) for f in result.entities.changed[0][2]] == [
        ("labels.zh-Hans", None, "贝塔")]
    assert result.to_json()["sources"]["changed"] == [
        {"id": "src-b", "old_id": None,
         "fields": [{"field": "title", "old": "Gizmo review", "new": "Gizmo review, updated"}]}]
    lines = revision_changes(result, "old", "new")
    assert lines[0] == "changes from old to new:"
    assert "  - hdr  HDR [feature]" in lines
    assert "  ~ rights-owner--opted-out-of--policy-old--2025-10-02 (was " \
        "rights-owner--opted-out-of--policy-old--2025-10-01)" in lines
    assert '      since: "2025-10-01" → "2025-10-02"' in lines
    assert not diff_datasets(data, data)
    assert revision_changes(diff_datasets(data, data), "a", "b")[-1] == "no change in the data from a to b"


# --- a change report: reported events, curators' bounds, month-dated items -------------------------

REPORT = FIXTURES / "change-report"


@pytest.fixture(scope="module")
def report():
    return load(REPORT)


def test_a_curators_bound_is_no_change(report) -> None:
    found = landscape_changes(report, D(2025, 10, 1), D(2025, 10, 5))
    ids = {c.record.id for c in found}
    # Tool's absence of Feature X ends, and Pundit uses Tool, on days no source gives.
    assert "tool--lacks--feature-x" not in ids
    assert "pundit--uses--tool--2025-10-01" not in ids
    # A bound the source states is a change.
    assert ("2025-10-04", "ended", "maker--has-policy--policy-a--2025-10-01") in summary(found)


def test_a_report_leads_with_reported_events(report) -> None:
    shown, left_out = in_view(landscape_changes(report, D(2025, 10, 1), D(2025, 10, 5)))
    assert left_out == 1  # Pundit's claim dated only to the month
    assert [(group, summary(changes)) for group, _heading, changes in headline_groups(shown)] == [
        ("events", [("2025-10-02", "happened", "rights-co--opted-out-of--policy-a--2025-10-02"),
                    ("2025-10", "happened", "maker--announced--app--2025-10")]),
        ("starts-ends", [("2025-10-01", "started", "maker--has-policy--policy-a--2025-10-01"),
                         ("2025-10-04", "ended", "maker--has-policy--policy-a--2025-10-01"),
                         ("2025-10-04", "started", "tool--has-feature--feature-x--2025-10-04")]),
        ("month-dated", [("2025-10", "appeared", "app"),
                         ("2025-10", "first-known", "app--chart-rank--2025-10")]),
    ]
    assert [heading for _group, heading, _ in headline_groups(shown)] == list(GROUPS.values())


def test_inexact_keeps_month_dated_claims_and_appearances(report) -> None:
    found = landscape_changes(report, D(2025, 10, 1), D(2025, 10, 5))
    shown, left_out = in_view(found, inexact=True)
    assert (shown, left_out) == (found, 0)
    # An entity founded in a month is an appearance dated to the month: it has a kind, too.
    [appeared] = [c for c in found if c.change == "appeared"]
    assert (appeared.exact, appeared.kind, appeared.group) == (False, "fact", "month-dated")


def test_kg_diff_with_a_month_dated_appearance(report) -> None:
    from tests.conftest import run_cli

    result = run_cli("diff", "--from", "2025-10-01", "--to", "2025-10-05", data=REPORT)
    assert result.exit_code == 0, result.stderr
    assert "2025-10     appeared     App [app]" in result.stdout
    assert "Tool —lacks→ Feature X" not in result.stdout


def test_is_claim_holds_for_every_kind_of_record(data) -> None:
    """An entity's appearance has no kind: asking whether it is a claim is no error."""
    found = landscape_changes(data, D(2025, 1, 1), D(2026, 12, 31))
    kinds = {type(c.record).__name__ for c in found}
    assert "Entity" in kinds and "Fact" in kinds
    for change in found:
        assert change.is_claim == (getattr(change.record, "kind", None) == "claim")
    assert not [c for c in found if type(c.record).__name__ == "Entity" and c.is_claim]
