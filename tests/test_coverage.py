"""kg.coverage and kg sources --coverage: the paragraphs of each source text that are cited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

from kg.coverage import coverage, ranges, source_coverage
from kg.errors import KgError
from kg.load import load
from kg.paragraphs import paragraphs

GOOD = FIXTURES / "good-mini"
TEXTS = FIXTURES / "texts"


def test_cited_and_uncited_paragraphs() -> None:
    [report] = coverage(load(GOOD), TEXTS)
    assert report.source == "fixture-report"
    assert report.text == "fixture-report.txt"
    assert [p.locator for p in report.uncited] == ["§1, para 4", "§3, para 2"]
    assert len(report.cited) == 8
    assert report.unresolved == []


def test_locators_naming_no_paragraph_are_listed() -> None:
    found = paragraphs("Title\n1\none\ntwo\n")
    report = source_coverage("s", "t.txt", found, ["§1, para 2", "§1 heading", "§7, para 1", "§1 heading"])
    assert [p.locator for p in report.cited] == ["§1, para 2"]
    assert report.unresolved == ["§1 heading", "§7, para 1"]


def test_ranges() -> None:
    found = paragraphs("Title\n1\na\nb\nc\nd\ne\n2\nf\n")
    assert ranges([p for p in found if p.text != "d"]) == "§1, para 1-3, 5; §2, para 1"
    assert ranges([]) == ""


def test_no_folder_of_texts(tmp_path: Path) -> None:
    with pytest.raises(KgError, match="no folder of texts"):
        coverage(load(GOOD), tmp_path / "missing")


def test_cli_text_and_json() -> None:
    result = run_cli("sources", "--coverage", "--texts", str(TEXTS), data=GOOD)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "fixture-report  (fixture-report.txt): 8 of 10 paragraphs cited",
        "  cited: §1, para 1-3; §2, para 1-4; §3, para 1",
        "  not cited: §1, para 4; §3, para 2",
    ]
    result = run_cli("sources", "--coverage", "--texts", str(TEXTS), "--format", "json", data=GOOD)
    assert json.loads(result.stdout) == [{
        "source": "fixture-report", "text": "fixture-report.txt", "paragraphs": 10,
        "cited": ["§1, para 1", "§1, para 2", "§1, para 3", "§2, para 1", "§2, para 2", "§2, para 3",
                  "§2, para 4", "§3, para 1"],
        "uncited": ["§1, para 4", "§3, para 2"], "unresolved": []}]


def test_cli_errors(tmp_path: Path) -> None:
    result = run_cli("sources", "--coverage", data=GOOD)
    assert result.exit_code == 2 and "--coverage needs --texts DIR" in result.stderr
    result = run_cli("sources", "--texts", str(TEXTS), data=GOOD)
    assert result.exit_code == 2 and "--texts goes with --coverage" in result.stderr
    result = run_cli("sources", "--coverage", "--texts", str(tmp_path), data=GOOD)
    assert result.exit_code == 1 and "no source text found" in result.stderr
    result = run_cli("sources", "--coverage", "--texts", str(tmp_path / "nope"), data=GOOD)
    assert result.exit_code == 1 and "no folder of texts" in result.stderr


def test_cli_lists_sources() -> None:
    result = run_cli("sources", data=GOOD)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("fixture-digest  测试出版社, ")
    assert [s["id"] for s in json.loads(run_cli("sources", "--format", "json", data=GOOD).stdout)] == [
        "fixture-digest", "fixture-report"]
