"""Renderings of the comparison matrix: text, Markdown, CSV, and the HTML page in Chromium."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from kg.analysis.compare import compare
from kg.data.load import load
from kg.render.compare import display_width, to_csv, to_html, to_markdown, to_text, wrap
from tests.conftest import FIXTURES

# Debian's Chromium, as in the other browser tests; a missing browser fails the test.
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MISSING = f"{CHROMIUM} is missing: the HTML tests need Debian's chromium package (apt-get install chromium)"

DATA = FIXTURES / "analysis"
HOSTILE = FIXTURES / "html-hostile"


@pytest.fixture(scope="module")
def matrix():
    return compare(load(DATA), ["widget", "gizmo"])


def test_wrap_counts_wide_characters() -> None:
    assert display_width("可灵") == 4
    assert wrap("可灵可灵", 4) == ["可灵", "可灵"]
    assert wrap("one two three", 7) == ["one two", "three"]
    assert wrap("", 5) == [""]


@pytest.mark.parametrize("width", [40, 60, 100, 160])
def test_text_fits_the_width(matrix, width: int) -> None:
    text = to_text(matrix, width)
    assert all(display_width(line) <= width for line in text.splitlines()), text
    assert "✗" in text and "via Widget" in text


def test_text_shows_the_three_states(matrix) -> None:
    lines = to_text(matrix, 100).splitlines()
    sound = next(line for line in lines if line.strip().startswith("Sound"))
    assert "✓ [2025-10-02] via Widget model" in sound and sound.rstrip().endswith("✗")
    store = next(line for line in lines if line.strip().startswith("Store"))
    assert store.rstrip().endswith("–")
    assert lines[0].split() == ["Widget", "Gizmo"]


def test_markdown(matrix) -> None:
    text = to_markdown(matrix)
    assert text.splitlines()[0] == "| | Widget | Gizmo |"
    assert "| Sound | ✓ [2025-10-02] via Widget model | ✗ |" in text
    assert "| **features** | | |" in text


def test_csv(matrix) -> None:
    rows = list(csv.reader(io.StringIO(to_csv(matrix))))
    assert rows[0] == ["group", "row", "label", "widget", "gizmo"]
    assert ["features", "has-feature:out:sound", "Sound", "✓ [2025-10-02] via Widget model", "✗"] in rows


def test_markup_in_data_is_escaped() -> None:
    hostile = compare(load(HOSTILE), ["evil-corp", "victim-app"])
    markdown = to_markdown(hostile)
    assert "<script>" not in markdown and "\\<script\\>" in markdown
    page = to_html(hostile)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<svg" not in page and "<img" not in page


def _open(browser: Any, html: Path) -> tuple[Any, list[str]]:
    if isinstance(browser, str):
        pytest.fail(browser)
    requests: list[str] = []
    context = browser.new_context()

    def route(route: Any) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            requests.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.goto(html.resolve().as_uri())
    return page, requests


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        yield MISSING
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        launched.close()


def test_page_in_chromium_links_cells_to_sources(browser: Any, matrix, tmp_path: Path) -> None:
    target = tmp_path / "matrix.html"
    target.write_text(to_html(matrix), encoding="utf-8")
    page, requests = _open(browser, target)
    assert page.inner_text("#matrix thead").split() == ["Widget", "Gizmo"]
    cell = page.locator('tr[data-row="has-feature:out:sound"] td').nth(0)
    assert "via Widget model" in cell.inner_text()
    href = cell.locator("a").first.get_attribute("href")
    assert href == "#source-src-a"
    assert "Fixture Press" in page.inner_text(href)
    assert page.locator('tr[data-row="has-feature:out:sound"] td.absent').count() == 1
    assert page.locator("td.not-recorded").count() > 0
    assert requests == []


def test_page_in_chromium_shows_hostile_text_literally(browser: Any, tmp_path: Path) -> None:
    target = tmp_path / "hostile.html"
    target.write_text(to_html(compare(load(HOSTILE), ["evil-corp", "victim-app"])), encoding="utf-8")
    page, requests = _open(browser, target)
    page.wait_for_timeout(200)
    assert page.evaluate("window.__pwned === undefined")
    assert "<script>window.__pwned = 'label'</script>Evil Corp" in page.inner_text("#matrix thead")
    assert requests == []
