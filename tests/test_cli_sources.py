"""`kg sources`, `kg show SOURCE-ID` and notes in text output, on the good-mini fixture."""

from __future__ import annotations

import json

from conftest import FIXTURES, run_cli

GOOD = FIXTURES / "good-mini"
NOTE = ["note: A made-up reaction, described at some length so that the note wraps onto a",
        "      second line in the text output of every command that shows it."]


def test_sources_text() -> None:
    result = run_cli("sources", data=GOOD)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "fixture-digest  4 facts, 1 figure",
        "    测试出版社, \u201c视频生成测试摘要\u201d, 2025-10-05",
        "fixture-report  8 facts, 1 figure",
        "    Fixture Press, \u201cFixture report on video generation\u201d, 2025-10",
    ]


def test_sources_json() -> None:
    listed = json.loads(run_cli("sources", "--format", "json", data=GOOD).stdout)
    assert [(s["id"], s["facts"], s["figures"]) for s in listed] == [
        ("fixture-digest", 4, 1), ("fixture-report", 8, 1)]
    assert listed[1] == {
        "id": "fixture-report", "title": "Fixture report on video generation",
        "publisher": "Fixture Press", "publisher_entity": None, "author": None, "date": "2025-10",
        "retrieved": None, "language": "en", "kind": None, "url": None,
        "published_in": "Test fixture, not published",
        "text": {"file": "fixture-report*.txt", "paragraphs": "lines"}, "note": None,
        "facts": 8, "figures": 1}
    early = json.loads(run_cli("sources", "--as-of", "2025-09-29", "--format", "json",
                               data=GOOD).stdout)
    assert [(s["id"], s["facts"]) for s in early] == [("fixture-digest", 1), ("fixture-report", 0)]


def test_sources_usage_error() -> None:
    result = run_cli("sources", "--format", "xml", data=GOOD)
    assert result.exit_code == 2


def test_show_source_text() -> None:
    result = run_cli("show", "fixture-report", data=GOOD)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "Fixture report on video generation  [source]  id: fixture-report",
        "  publisher: Fixture Press",
        "  date: 2025-10 · language: en",
        "  published in: Test fixture, not published",
    ]
    assert "facts citing it: 8" in lines
    at = lines.index("  Disney —reacted-to→ Sora app [2025-10-02]")
    assert lines[at + 1:at + 4] == ["      at §2, para 3", *("      " + n for n in NOTE)]
    assert lines[-3:] == [
        "figures citing it: 1",
        "  Sora app downloads: 100 thousand downloads [2025-10-01 – 2025-10-07] in US, CA",
        "      at §3, para 1"]


def test_show_source_json() -> None:
    shown = json.loads(run_cli("show", "fixture-digest", "--format", "json", data=GOOD).stdout)
    assert shown["record"] == "source" and shown["author"] == "Fixture Author"
    assert [(f["id"], f["locators"]) for f in shown["facts"]] == [
        ("openai--announced--sora-2--2025-09-30", ["第1段"]),
        ("kuaishou--develops--kling", ["第3段"]),
        ("kling--competes-with--sora-2--2025-10", ["第3段"]),
        ("kling--outperforms--sora-2", ["第4段"]),
    ]
    assert [g["locators"] for g in shown["figures"]] == [["第2段"]]


def test_show_source_as_of() -> None:
    shown = json.loads(run_cli("show", "fixture-report", "--as-of", "2025-09-30", "--format",
                               "json", data=GOOD).stdout)
    assert {f["id"] for f in shown["facts"]} == {
        "openai--develops--sora-2--2025-09", "openai--develops--sora-app",
        "sora-app--integrates--sora-2", "sora-app--has-policy--sora-opt-out-policy--2025-09-30",
        "openai--announced--sora-2--2025-09-30"}


def test_an_unknown_name_is_neither_source_nor_entity() -> None:
    result = run_cli("show", "fixture-reprt", data=GOOD)
    assert result.exit_code == 1
    assert "no entity named 'fixture-reprt'" in result.stderr


def test_notes_in_edges_neighbors_path_and_show() -> None:
    edges = run_cli("edges", "--relation", "reacted-to", data=GOOD).stdout.splitlines()
    assert edges == ["Disney —reacted-to→ Sora app [2025-10-02]", *("    " + n for n in NOTE)]
    near = run_cli("neighbors", "disney", data=GOOD).stdout.splitlines()
    assert near[1:5] == ["     Disney —reacted-to→ Sora app [2025-10-02]",
                         "         note: A made-up reaction, described at some length so that "
                         "the note wraps onto",
                         "               a second line in the text output of every command that "
                         "shows it.",
                         "1  Sora copyright opt-out  [policy]  sora-opt-out-policy"]
    path = run_cli("path", "disney", "sora app", "--explain", data=GOOD).stdout.splitlines()
    assert path[-2:] == ["    " + n for n in NOTE]
    plain = run_cli("path", "disney", "sora app", data=GOOD).stdout
    assert "note:" not in plain  # only with --explain
    shown = run_cli("show", "disney", data=GOOD).stdout.splitlines()
    assert shown[-2:] == ["      " + n for n in NOTE]
