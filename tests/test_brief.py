"""kg.analysis.brief: the one-page brief, as data and rendered, on fixtures with known answers."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from kg.analysis.brief import brief
from kg.data.load import load
from kg.errors import KgError, LookupFailed
from kg.render.brief import to_html, to_markdown
from tests.conftest import FIXTURES
from tests.test_render_compare import _open, browser  # noqa: F401  (the browser fixture)

DATA = FIXTURES / "analysis"
HOSTILE = FIXTURES / "html-hostile"
DOCUMENTS = FIXTURES / "documents"
MADE = dt.date(2025, 10, 10)


@pytest.fixture(scope="module")
def data():
    return load(DATA)


def section(result, title: str) -> list[str]:
    return next(s for s in result.sections if s.title == title).items


def test_content(data) -> None:
    result = brief(data, "Widget AI")
    assert result.names == ["Widget (en)", "小部件 (zh-Hans)", "Widget AI"]
    assert [f.text for f in result.facts] == ["type: product", "founded: 2025-10-02"]
    # founded is cited by the announcement of that day
    assert [(r.source, r.locator) for r in result.facts[1].refs] == [("src-a", "para 1")]
    titles = [s.title for s in result.sections]
    assert titles == ["Made by", "Features", "Platforms", "Integrations", "Competitors", "Announced by",
                      "Key figures", "Timeline", "Claims"]
    assert [i.text for i in section(result, "Made by")] == ["Acme (2025-10-02)"]
    assert [i.text for i in section(result, "Features")] == [
        "Reference images", "Sound (2025-10-02, via Widget model)"]
    assert [i.text for i in section(result, "Key figures")] == [
        "price: 20 USD [2025-10-04] (via Widget model)", "video length: 10 seconds [2025-10-02]"]
    assert [i.text for i in section(result, "Timeline")] == [
        "2025-10-02 — Acme announced Widget", "2025-10-02 — Acme develops Widget"]
    # The claim is listed apart, with who holds it, and not among the competitors.
    assert [i.text for i in section(result, "Claims")] == [
        "Widget outperforms Gizmo (2025-10) — held by the source: Review Weekly"]
    assert result.sources == [
        ("src-a", ["para 1", "para 2", "para 3", "para 4", "para 5", "para 8", "para 9"]),
        ("src-b", ["para 4", "para 5"])]


def test_recorded_absence_and_claimed_feature(data) -> None:
    result = brief(data, "gizmo")
    assert [i.text for i in section(result, "Features")] == ["lacks Sound"]
    assert "Gizmo has feature Reference images — held by Beta Co" in [
        i.text for i in section(result, "Claims")]


def test_markdown(data) -> None:
    text = to_markdown(brief(data, "widget"), data)
    assert text.startswith("# Widget\n")
    assert "**Features:** Reference images [1]; Sound (2025-10-02, via Widget model) [1]" in text
    assert ("1. Fixture Press, “Widget launch report”, 2025-10-02 <https://example.org/widget> "
            "— at para 1;") in text
    assert text == to_markdown(brief(load(DATA), "widget"), data)  # deterministic


def test_as_of(data) -> None:
    before = brief(data, "acme", as_of=dt.date(2025, 10, 1))
    assert [i.text for i in section(before, "Policies")] == ["Old policy (2025-10-01 – 2025-10-03)"]
    with pytest.raises(KgError, match="did not exist yet"):
        brief(data, "widget", as_of=dt.date(2025, 10, 1))
    with pytest.raises(LookupFailed):
        brief(data, "nobody-at-all")


def test_markup_in_data_stays_text() -> None:
    hostile = load(HOSTILE)
    markdown = to_markdown(brief(hostile, "victim-app"), hostile)
    assert not re.search(r"(?<!\\)<", markdown.replace("<https://", ""))  # every < escaped
    assert "\\<svg" in markdown
    page = to_html(brief(hostile, "victim-app"), hostile)
    assert "<svg" not in page and "<script>window" not in page


def test_page_in_chromium(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    hostile = load(HOSTILE)
    target = tmp_path / "brief.html"
    target.write_text(to_html(brief(hostile, "victim-app"), hostile), encoding="utf-8")
    page, requests = _open(browser, target)
    page.wait_for_timeout(200)
    assert page.evaluate("window.__pwned === undefined")
    assert page.inner_text("h1") == "Victim <svg onload=\"window.__pwned = 'svg'\"> app"
    href = page.locator("sup a").first.get_attribute("href")
    assert "Bold" in page.inner_text(href)
    assert requests == []


def test_a_brief_marks_curators_bounds_and_figure_qualifiers() -> None:
    report = load(FIXTURES / "change-report")
    tool = to_markdown(brief(report, "tool", history=True), report)
    assert "**Used by:** Pundit (2025-10-01 – 2025-10-05, curator's bounds: since, until) [1]" in tool
    assert ("- 2025-10-01 — Pundit uses Tool (until 2025-10-05) (curator's bounds: since, until) [1]"
            in tool)
    figures = load(FIXTURES / "figure-qualifiers")
    clipmaker = to_markdown(brief(figures, "clipmaker"), figures)
    assert ("production time: at most 48 hours [2025-10] for an advertising campaign made with "
            "AI tools such as Clipmaker (claim)") in clipmaker


# --- what the brief hands to a reader: the day, the notes, founded, an empty timeline ----------------

@pytest.fixture(scope="module")
def documents():
    return load(DOCUMENTS)


def test_the_brief_states_the_day_it_describes_and_was_made(documents) -> None:
    text = to_markdown(brief(documents, "clip-app", made_on=MADE))
    assert text.splitlines()[4:6] == [
        "Current as of the latest dated record, 2025-10-05; ended facts left out.  ",
        "Made on 2025-10-10 from the data as it was then.  "]
    on_day = to_markdown(brief(documents, "clip-app", as_of=dt.date(2025, 10, 2), made_on=MADE))
    assert "As of 2025-10-02; ended facts left out.  " in on_day
    assert text == to_markdown(brief(load(DOCUMENTS), "clip-app", made_on=MADE))  # deterministic


def test_ended_facts_are_left_out_unless_history(documents) -> None:
    current = brief(documents, "clip-app", made_on=MADE)
    assert [i.text for i in section(current, "Policies")] == ["New policy (2025-10-03)"]
    # The timeline is history: the old policy stays there, with its end.
    assert "2025-10-01 — Clip app has policy Old policy (until 2025-10-03)" in [
        i.text for i in section(current, "Timeline")]
    history = brief(documents, "clip-app", history=True, made_on=MADE)
    assert [i.text for i in section(history, "Policies")] == [
        "New policy (2025-10-03)", "Old policy (2025-10-01 – 2025-10-03)"]
    assert "ended facts included" in to_markdown(history)


def test_the_brief_carries_the_notes_once(documents) -> None:
    text = to_markdown(brief(documents, "clip-app", made_on=MADE))
    assert "- Feature A (via Clip model): Studio sells Feature A to advertising agencies first." in text
    assert "- Rival: Both court the same short-video creators." in text
    assert text.count("Both court the same short-video creators.") == 1
    page = to_html(brief(documents, "clip-app", made_on=MADE))
    assert '<ul class="note"><li>Rival: Both court the same short-video creators.</li></ul>' in page


def test_founded_is_cited_or_said_uncited(documents) -> None:
    assert "type: app · founded: 2025-10-01 [1]  " in to_markdown(brief(documents, "clip-app"))
    studio = brief(documents, "studio", made_on=MADE)
    assert [f.text for f in studio.facts] == ["type: organization", "founded: 2019 (uncited)"]
    assert "founded: 2019 (uncited)" in to_markdown(studio)


def test_an_empty_timeline_is_said(documents) -> None:
    rival = brief(documents, "rival", made_on=MADE)
    assert [i.text for i in section(rival, "Timeline")] == ["no dated events recorded"]
    assert "## Timeline\n\n- no dated events recorded\n" in to_markdown(rival)
    assert "<li>no dated events recorded</li>" in to_html(rival)


def test_the_page_prints_its_locators(browser: Any, documents, tmp_path: Path) -> None:  # noqa: F811
    target = tmp_path / "clip-app.html"
    target.write_text(to_html(brief(documents, "clip-app", made_on=MADE)), encoding="utf-8")
    page, requests = _open(browser, target)
    assert "Made on 2025-10-10" in page.inner_text(".meta")
    page.emulate_media(media="print")
    assert page.inner_text("#source-1 .locators") == "para 1; para 2; para 3; para 4"
    assert page.locator("#source-1 .locators").is_visible()
    assert page.locator("script").count() == 0 and requests == []
@pytest.mark.parametrize("url", ["https://x.org/<script>alert(1)</script>", 'https://x.org/a"onload=x',
                                 "https://x.org/a b", "javascript:alert(1)", "https://x.org/\n"])
def test_a_source_url_that_is_no_safe_url_is_never_a_link(data, url: str) -> None:
    """A dataset built in Python skips validation (which refuses such a URL): the brief
    still writes the URL neither raw into Markdown nor as a link."""
    import dataclasses

    result = brief(data, "Widget AI")
    source_id = result.sources[0][0]
    hostile = dataclasses.replace(data, sources={**data.sources, source_id: dataclasses.replace(
        data.sources[source_id], url=url)})
    markdown = to_markdown(brief(hostile, "Widget AI"), hostile)
    assert url not in markdown and "<script" not in markdown and "javascript:" not in markdown
    page = to_html(brief(hostile, "Widget AI"), hostile)
    assert "<script" not in page and "javascript:" not in page and 'href="https://x.org' not in page
