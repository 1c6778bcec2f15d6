"""kg.render.diff: the change report as Markdown and as an offline page (checked in Chromium)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from kg.analysis.diff import change_report
from kg.data.load import load
from kg.render.diff import to_html, to_markdown
from tests.conftest import FIXTURES
from tests.test_render_compare import _open, browser  # noqa: F401  (the browser fixture)

REPORT = FIXTURES / "change-report"
D = dt.date
MADE = D(2025, 10, 10)


@pytest.fixture(scope="module")
def report():
    return change_report(load(REPORT), D(2025, 10, 1), D(2025, 10, 5), made_on=MADE)


def test_markdown_leads_with_the_reported_events(report) -> None:
    text = to_markdown(report)
    assert text.splitlines()[:4] == [
        "# Changes from 2025-10-01 to 2025-10-05", "",
        "2025-10-01 to 2025-10-05: 2 reported events, 3 starts and ends dated to the day, "
        "2 dated only to the month or year  ",
        "Made on 2025-10-10 from the data as it was then."]
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## Reported events", "## Starts and ends dated to the day",
                        "## Dated only to the month or year, so they may fall in 2025-10-01 to 2025-10-05",
                        "## Sources"]
    assert "- 2025-10-02 — happened: Rights Co —opted-out-of→ Policy A [2025-10-02] [1]" in text
    assert "1 claim dated only to the month or year was left out (kg diff --inexact lists them)." in text
    assert text.endswith("## Sources\n\n1. Fictional Weekly, “A made-up weekly market note”, 2025-10-06 "
                         "— at para 1; para 2; para 3; para 6\n")
    # Curators' bounds are no change.
    assert "Pundit" not in text and "lacks" not in text
    assert text == to_markdown(change_report(load(REPORT), D(2025, 10, 1), D(2025, 10, 5), made_on=MADE))


def test_an_empty_report_says_so() -> None:
    empty = change_report(load(REPORT), D(2024, 1, 1), D(2024, 1, 2), made_on=MADE)
    assert "No change in this span matches these filters." in to_markdown(empty)
    assert "## Sources" not in to_markdown(empty)
    assert "<p>No change in this span matches these filters.</p>" in to_html(empty)


def hostile(tmp_path: Path):
    folder = tmp_path / "hostile"
    shutil.copytree(REPORT, folder)
    data = folder / "data.yaml"
    text = data.read_text(encoding="utf-8").replace(
        "labels: {en: Rights Co}", "labels: {en: \"Rights <script>window.__pwned = 1</script> *Co*\"}")
    data.write_text(text, encoding="utf-8")
    sources = folder / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace(
        'title: "A made-up weekly market note"', 'title: "Note <img src=x onerror=window.__pwned=2> [x](y)"'),
        encoding="utf-8")
    return change_report(load(folder), D(2025, 10, 1), D(2025, 10, 5), made_on=MADE)


def test_markup_in_data_stays_text(tmp_path: Path) -> None:
    found = hostile(tmp_path)
    markdown = to_markdown(found)
    assert not re.search(r"(?<!\\)<", markdown)
    assert "Rights \\<script\\>" in markdown and "\\*Co\\*" in markdown and "[x]\\(y)" in markdown
    page = to_html(found)
    assert "<script" not in page and "<img" not in page and "&lt;script&gt;" in page


def test_page_in_chromium(browser: Any, report, tmp_path: Path) -> None:  # noqa: F811
    target = tmp_path / "changes.html"
    target.write_text(to_html(report), encoding="utf-8")
    page, requests = _open(browser, target)
    assert [h.strip() for h in page.locator("h2").all_inner_texts()] == [
        "Reported events", "Starts and ends dated to the day",
        "Dated only to the month or year, so they may fall in 2025-10-01 to 2025-10-05", "Sources"]
    first = page.locator("li[data-change]").first
    assert first.get_attribute("data-change") == "happened" and "Rights Co" in first.inner_text()
    href = first.locator("sup a").get_attribute("href")
    assert href == "#source-1" and "Fictional Weekly" in page.inner_text(href)
    assert "Made on 2025-10-10" in page.inner_text("#headline")
    page.emulate_media(media="print")
    assert page.locator("#source-1 .locators").is_visible()
    assert page.inner_text("#source-1 .locators") == "para 1; para 2; para 3; para 6"
    assert page.locator("script").count() == 0 and requests == []


def test_hostile_page_in_chromium(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    target = tmp_path / "hostile.html"
    target.write_text(to_html(hostile(tmp_path)), encoding="utf-8")
    page, requests = _open(browser, target)
    page.wait_for_timeout(200)
    assert page.evaluate("window.__pwned === undefined")
    assert "Rights <script>window.__pwned = 1</script> *Co*" in page.inner_text("body")
    assert requests == []
