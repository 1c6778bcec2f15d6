"""kg.analysis.brief: the one-page brief, as data and rendered, on fixtures with known answers."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from kg.analysis.brief import brief, to_html, to_markdown
from kg.data.load import load
from kg.errors import KgError, LookupFailed
from tests.conftest import FIXTURES
from tests.test_render_compare import _open, browser  # noqa: F401  (the browser fixture)

DATA = FIXTURES / "analysis"
HOSTILE = FIXTURES / "html-hostile"


@pytest.fixture(scope="module")
def data():
    return load(DATA)


def section(result, title: str) -> list[str]:
    return next(s for s in result.sections if s.title == title).items


def test_content(data) -> None:
    result = brief(data, "Widget AI")
    assert result.names == ["Widget (en)", "小部件 (zh-Hans)", "Widget AI"]
    assert result.facts == ["type: product", "founded: 2025-10-02"]
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
