"""Renderings of the comparison matrix: text, Markdown, CSV, and the HTML page in Chromium."""

from __future__ import annotations

import csv
import datetime as dt
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


DOCUMENTS = FIXTURES / "documents"
MADE = dt.date(2025, 10, 10)


@pytest.fixture(scope="module")
def matrix():
    return compare(load(DATA), ["widget", "gizmo"], made_on=MADE)


@pytest.fixture(scope="module")
def documents():
    return load(DOCUMENTS)


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
    assert lines[:3] == ["Current as of the latest dated record, 2025-10-04; ended facts left out.",
                         "Made on 2025-10-10 from the data as it was then.", ""]
    lines = lines[3:]
    sound = next(line for line in lines if line.strip().startswith("Sound"))
    assert "✓ [2025-10-02] via Widget model" in sound and sound.rstrip().endswith("✗")
    store = next(line for line in lines if line.strip().startswith("Store"))
    assert store.rstrip().endswith("–")
    assert lines[0].split() == ["Widget", "Gizmo"]


def test_markdown(matrix) -> None:
    text = to_markdown(matrix)
    assert text.splitlines()[:5] == [
        "# Comparison: Widget, Gizmo", "",
        "Current as of the latest dated record, 2025-10-04; ended facts left out.  ",
        "Made on 2025-10-10 from the data as it was then.  ", ""]
    assert "| | Widget | Gizmo |" in text.splitlines()
    assert "| Sound | ✓ [2025-10-02] via Widget model [1] | ✗ [2] |" in text
    assert "| **features** | | |" in text
    # Every number cited in a cell is in the numbered source list, with its locators.
    assert text.split("## Sources\n\n")[1].splitlines() == [
        "1. Fixture Press, “Widget launch report”, 2025-10-02 <https://example.org/widget> — at para 1; "
        "para 2; para 3; para 4; para 5; para 8; para 9",
        "2. Review Weekly, “Gizmo review”, 2025-10 — at para 1; para 2; para 3; para 4; para 5; para 7"]
    assert text == to_markdown(compare(load(DATA), ["widget", "gizmo"], made_on=MADE))  # deterministic


def test_the_day_described_and_ended_facts(documents) -> None:
    current = to_markdown(compare(documents, ["clip-app", "rival"], made_on=MADE))
    assert "Old policy" not in current and "| New policy | ✓ [2025-10-03] [" in current
    history = to_markdown(compare(documents, ["clip-app", "rival"], history=True, made_on=MADE))
    assert "Current as of the latest dated record, 2025-10-05; ended facts included.  " in history
    assert "| Old policy | ✓ [2025-10-01 – 2025-10-03] [" in history
    on_day = compare(documents, ["clip-app", "rival"], as_of=dt.date(2025, 10, 2), made_on=MADE)
    assert "As of 2025-10-02; ended facts left out." in to_text(on_day)
    assert {row.label for row in on_day.rows if row.group == "policies"} == {"Old policy"}
    after = compare(documents, ["clip-app", "rival"], as_of=dt.date(2025, 10, 4), made_on=MADE)
    assert {row.label for row in after.rows if row.group == "policies"} == {"New policy"}
    with_history = compare(documents, ["clip-app", "rival"], as_of=dt.date(2025, 10, 4), history=True)
    assert {row.label for row in with_history.rows if row.group == "policies"} == {"New policy", "Old policy"}


def test_thin_columns_are_flagged(documents) -> None:
    found = compare(documents, ["clip-app", "rival"], made_on=MADE)
    assert [(entity.id, count) for entity, count in found.thin()] == [("rival", 3)]
    note = ("Note: Few facts recorded: Rival (3 facts recorded); a – in such a column means the data is "
            "silent, not that it lacks it.")
    assert note in to_text(found, 200).splitlines()
    assert note + "  " in to_markdown(found).splitlines()
    assert found.to_json()["thin"] == [{"id": "rival", "facts_recorded": 3}]
    assert compare(load(DATA), ["widget", "gizmo"]).thin() == []


def test_a_model_compared_with_products_is_warned(documents) -> None:
    found = compare(documents, ["clip-model", "rival"], made_on=MADE)
    warning = ("Clip model is an AI model; Rival is a product. Clip app is built on Clip model (integrates "
               "it): compare clip-app instead, whose column counts Clip model's facts (via Clip model) "
               "with its own.")
    assert found.warnings() == [warning]
    assert f"Note: {warning}  " in to_markdown(found).splitlines()
    assert found.to_json()["warnings"] == [warning]
    # Products only, or models only: no warning.
    assert compare(documents, ["clip-app", "rival"]).warnings() == []
    # What is built on the model is compared already: said so, not suggested.
    assert compare(documents, ["clip-model", "clip-app"]).warnings() == [
        "Clip model is an AI model; Clip app is a product. Clip app, compared here, is built on Clip "
        "model (integrates it) and counts its facts (via Clip model)."]


def test_json_states_the_day_and_numbers_sources(documents) -> None:
    payload = compare(documents, ["clip-app", "rival"], made_on=MADE).to_json()
    assert payload["dating"] == {"as_of": None, "describes": "2025-10-05", "latest_record": "2025-10-05",
                                 "history": False, "made_on": "2025-10-10"}
    assert [(s["number"], s["id"], s["locators"]) for s in payload["sources"]] == [
        (1, "week-review", ["para 1", "para 2", "para 3"]),  # Rival Co makes Rival: the first row
        (2, "launch-note", ["para 1", "para 2", "para 3", "para 4"])]


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
    assert "Current as of the latest dated record, 2025-10-04" in page.inner_text("#dating")
    assert "Made on 2025-10-10" in page.inner_text("#dating")
    # The locators are printed, on screen and on paper, not only in a link's title.
    assert "at para 1; para 2; para 3" in page.inner_text(href)
    page.emulate_media(media="print")
    assert page.locator(f"{href} .locators").is_visible()
    assert page.locator("script").count() == 0
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


def test_a_cut_group_says_how_many_rows_more_in_every_format() -> None:
    cut = compare(load(DATA), ["widget", "gizmo"], limit=1)
    group = next(g for g in cut.groups if cut.hidden.get(g.id))
    more = cut.more_text(group.id)
    assert more is not None and more.startswith(f"… {cut.hidden[group.id]} more row")
    assert more in to_text(cut, 200)
    assert f"| *{more}* |" in to_markdown(cut)
    rows = list(csv.reader(io.StringIO(to_csv(cut))))
    assert [group.id, "more", more, "", ""] in rows
    assert f'<tr class="more"><td colspan="3">{more}</td></tr>' in to_html(cut)
    whole = compare(load(DATA), ["widget", "gizmo"])
    assert "more row" not in to_text(whole, 200) + to_markdown(whole) + to_csv(whole) + to_html(whole)
