"""kg.paragraphs: source texts as paragraphs, and the paragraphs a locator names."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES

from kg.paragraphs import cited, find_text, paragraphs, read_text

TEXTS = FIXTURES / "texts"
MARKDOWN = """---
title: A talk
date: '2025-10-05'
---
# Talk title

Opening words,
on two lines.

### SORA2 的 技术

First block.

![](x.png)

Second block.
"""


def test_line_paragraphs_with_numbered_parts() -> None:
    found = paragraphs(read_text(TEXTS / "fixture-report.txt"))
    assert [p.locator for p in found][:5] == ["§1, para 1", "§1, para 2", "§1, para 3", "§1, para 4",
                                               "§2, para 1"]
    assert found[2].text == "Third paragraph of the first part."  # the image is no paragraph
    assert found[2].line == 6
    assert len(found) == 10


def test_markdown_blocks_front_matter_and_intro() -> None:
    found = paragraphs(MARKDOWN)
    assert [(p.locator, p.text) for p in found] == [
        ("front matter", "title: A talk\ndate: '2025-10-05'"),
        ("§ Talk title, para 1", "Opening words,\non two lines."),
        ("§ SORA2 的 技术, para 1", "First block."),
        ("§ SORA2 的 技术, para 2", "Second block."),
    ]
    assert paragraphs("Title\nfirst\n\nsecond\n")[0].locator == "intro, para 1"


def test_locators_name_paragraphs() -> None:
    found = paragraphs(read_text(TEXTS / "fixture-report.txt"))
    assert [p.locator for p in cited("§2, para 2-3", found)] == ["§2, para 2", "§2, para 3"]
    assert [p.locator for p in cited("§1, para 1, 4", found)] == ["§1, para 1", "§1, para 4"]
    assert [p.locator for p in cited("§2, paras 3–4", found)] == ["§2, para 3", "§2, para 4"]
    assert cited("§1 heading", found) == []
    assert cited("§02, image caption after para 4", found) == []
    assert cited("§9, para 1", found) == []
    assert cited("§1, para x", found) == []
    found = paragraphs(MARKDOWN)
    assert [p.locator for p in cited("§ SORA2的技术, para 2", found)] == ["§ SORA2 的 技术, para 2"]
    assert [p.locator for p in cited("front matter", found)] == ["front matter"]


def test_find_text(tmp_path: Path) -> None:
    class Source:
        file = "fixture-report.txt"

    assert find_text(Source(), TEXTS) == TEXTS / "fixture-report.txt"
    assert find_text(Source(), tmp_path) is None
    Source.file = None
    assert find_text(Source(), TEXTS) is None
