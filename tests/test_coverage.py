"""kg.analysis.coverage and kg sources --coverage: the paragraphs of each source text that are cited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

from kg.analysis.coverage import Paragraph, cited, coverage, paragraphs, ranges, source_coverage
from kg.data.citations import Text
from kg.data.load import load
from kg.errors import KgError

GOOD = FIXTURES / "good-mini"
TEXTS = FIXTURES / "texts"
MARKDOWN = ("---\ntitle: A talk\n---\n# Talk\n\nOpening words,\non two lines.\n\n"
            "### SORA2 的技术\n\nOne.\n\nTwo.\n")


def test_paragraphs_of_a_text() -> None:
    text = Text.parse(MARKDOWN, "blocks", "A talk")
    assert [p.locator for p in paragraphs(text)] == [
        "front matter", "§ Talk, para 1", "§ SORA2 的技术, para 1", "§ SORA2 的技术, para 2"]


def test_what_a_locator_cites() -> None:
    text = Text.parse("Title\n1\none\ntwo\nthree\n", "lines", "Title")
    assert cited(text, "§1, para 2-3") == [Paragraph("§1", 2), Paragraph("§1", 3)]
    assert cited(text, "§1 heading") == []  # a heading is no paragraph, but it resolves
    assert cited(text, "§1, para 4") is None  # beyond the section
    assert cited(text, "§7, para 1") is None
    assert cited(text, "page 3") is None  # not the locator grammar
    assert cited(text, "front matter") is None
    assert cited(Text.parse(MARKDOWN, "blocks"), "front matter") == [Paragraph("front matter", 1)]


def test_cited_and_uncited_paragraphs() -> None:
    [report] = coverage(load(GOOD), TEXTS)
    assert report.source == "fixture-report"
    assert report.text == "fixture-report.txt"
    assert [p.locator for p in report.uncited] == ["§1, para 4", "§3, para 2"]
    assert len(report.cited) == 8
    assert report.unresolved == []


def test_locators_that_do_not_resolve_are_listed_once() -> None:
    text = Text.parse("Title\n1\none\ntwo\n", "lines", "Title")
    report = source_coverage("s", "t.txt", text, ["§1, para 2", "§1 heading", "§7, para 1", "§7, para 1"])
    assert [p.locator for p in report.cited] == ["§1, para 2"]
    assert [p.locator for p in report.uncited] == ["§1, para 1"]
    assert report.unresolved == ["§7, para 1"]


def test_ranges() -> None:
    found = [Paragraph("§1", n) for n in (1, 2, 3, 5)] + [Paragraph("§2", 1), Paragraph("front matter", 1)]
    assert ranges(found) == "§1, para 1-3, 5; §2, para 1; front matter"
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
    result = run_cli("sources", "--coverage", "--texts", str(TEXTS), "--as-of", "2025", data=GOOD)
    assert result.exit_code == 2 and "leave out --as-of" in result.stderr
    result = run_cli("sources", "--coverage", "--texts", str(tmp_path), data=GOOD)
    assert result.exit_code == 1 and "no source text found" in result.stderr
    result = run_cli("sources", "--coverage", "--texts", str(tmp_path / "nope"), data=GOOD)
    assert result.exit_code == 1 and "no folder of texts" in result.stderr
