"""Key phrases: their length, their W3C text-fragment links, and the check of each phrase
against the paragraph it is cited at; paragraphs counted from the top of a page, and lines that
end a sentence (kg.data.citations)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

from kg.data.citations import (
    MAX_PHRASE_WORDS,
    Locator,
    Text,
    check_citations,
    phrase_problem,
    phrase_words,
    text_fragment_url,
)
from kg.data.load import check, load

MARKET = FIXTURES / "market"
LINES = FIXTURES / "citations" / "lines" / "series-article.txt"


# --- length ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("phrase", "words"), [
    ("invest 1 billion dollars in Lab B", 7),
    ("估值30亿美元", 4),          # 估值 (1) + 30 (1) + 亿美元 (2)
    ("C轮融资由Fund D领投", 6),    # C, 轮融资由 (2), Fund, D, 领投 (1)
    ("Maker C 的 Model X", 5),
    ("一二三四五六七八九十一二三四五六", 8),
])
def test_words_are_counted_with_two_cjk_characters_a_word(phrase: str, words: int) -> None:
    assert phrase_words(phrase) == words


def test_a_phrase_is_a_short_locator() -> None:
    assert phrase_problem("invest 1 billion dollars in Lab B") is None
    long = "Studio A said on Thursday it would invest 1 billion dollars"
    assert phrase_problem(long) == (
        f"has 11 words: a key phrase is a locator of at most {MAX_PHRASE_WORDS} words (CJK: two "
        "characters a word), not a quotation")
    assert phrase_problem("一二三四五六七八九十一二三四五六七") .startswith("has 9 words")
    assert phrase_problem("Studio") == "has 1 word: give at least 2, enough to find the statement"
    assert phrase_problem(" Studio A") == "must be one line without leading or trailing spaces"
    assert phrase_problem("Studio\nA") == "must be one line without leading or trailing spaces"


def test_validate_refuses_a_long_phrase_on_any_citation(write_data) -> None:
    folder = write_data({"data.yaml": """
sources:
  - {id: doc, title: A made-up report, publisher: P, date: 2025, language: en,
     published_in: nowhere real}
entities:
  - {id: a, type: organization, labels: {en: A}}
  - {id: b, type: organization, labels: {en: B}}
facts:
  - {subject: a, relation: partners-with, object: b, kind: fact,
     sources: [{source: doc, locator: "intro, para 1",
                phrase: "A and B said on Thursday that they would work together"}]}
"""})
    _, problems = check(folder)
    assert [p.message for p in problems] == [
        "fact 'a--partners-with--b': the key phrase 'A and B said on Thursday that they would "
        "work together' has 11 words: a key phrase is a locator of at most 8 words (CJK: two "
        "characters a word), not a quotation"]


# --- text-fragment links ---------------------------------------------------------------------


@pytest.mark.parametrize(("url", "phrase", "expected"), [
    ("https://news.example.com/a", "invest 1 billion dollars",
     "https://news.example.com/a#:~:text=invest%201%20billion%20dollars"),
    # The text directive reserves "-", "&" and ",": they are percent-encoded too.
    ("https://news.example.com/a", "a three-year licence, A&B",
     "https://news.example.com/a#:~:text=a%20three%2Dyear%20licence%2C%20A%26B"),
    # UTF-8, then percent-encoded; "#" and "%" in the phrase never end or break the directive.
    ("https://daily.example.cn/a", "估值30亿美元",
     "https://daily.example.cn/a#:~:text=%E4%BC%B0%E5%80%BC30%E4%BA%BF%E7%BE%8E%E5%85%83"),
    ("https://news.example.com/a", "100% #1 pick",
     "https://news.example.com/a#:~:text=100%25%20%231%20pick"),
    # An address with a fragment keeps it: the directive follows ":~:".
    ("https://news.example.com/a#part-2", "Lab B", "https://news.example.com/a#part-2:~:text=Lab%20B"),
])
def test_text_fragment_links(url: str, phrase: str, expected: str) -> None:
    assert text_fragment_url(url, phrase) == expected


def test_explain_and_show_print_the_links() -> None:
    data = MARKET / "data"
    explained = run_cli("path", "studio-a", "lab-b", "--via", "licenses-to", "--explain", data=data)
    assert explained.exit_code == 0, explained.stderr
    assert ("at para 4, \u201cUnder a three-year licence\u201d \u2014 https://news.example.com/2025/12/11/"
            "studio-a-lab-b#:~:text=Under%20a%20three%2Dyear%20licence") in explained.stdout
    shown = run_cli("show", "wire-studio-deal", data=data)
    assert ("at para 5, \u201cvalued at 3.3 billion dollars\u201d <https://news.example.com/2025/12/11/"
            "studio-a-lab-b#:~:text=valued%20at%203.3%20billion%20dollars>") in shown.stdout
    assert "  web page: news \u00b7 retrieved: 2025-12-12" in shown.stdout


def test_the_brief_links_each_place_cited() -> None:
    from kg.analysis.brief import brief
    from kg.render.brief import to_html, to_markdown

    data = load(MARKET / "data")
    result = brief(data, "lab-b")
    markdown = to_markdown(result, data)
    assert ("para 3, \u201cinvest 1 billion dollars in Lab B\u201d <https://news.example.com/2025/12/11/"
            "studio-a-lab-b#:~:text=invest%201%20billion%20dollars%20in%20Lab%20B>") in markdown
    assert ('<a href="https://lab-b.example.org/news/studio-a#:~:text=Studio%20A%20is%20investing" '
            'rel="noreferrer">para 2, \u201cStudio A is investing\u201d</a>') in to_html(result, data)


# --- phrases against the curator's texts -----------------------------------------------------


def test_page_paragraphs_count_from_the_top() -> None:
    text = Text.parse((MARKET / "texts" / "wire-studio-deal.txt").read_text(encoding="utf-8"), "blocks")
    assert len(text.page) == 5 and text.page[0].startswith("Studio A to invest")
    assert Locator.parse("para 2-3") == Locator("page", None, (2, 3))
    assert text.resolve(Locator.parse("para 5")) is None
    assert text.resolve(Locator.parse("para 6")) == "para 6 is beyond the 5 paragraphs of the text"


def test_the_market_citations_hold_their_phrases() -> None:
    report = check_citations(load(MARKET / "data"), MARKET / "texts")
    assert report.checked == 3 and report.problems == []


def test_a_paragraph_without_its_phrase_is_reported(tmp_path: Path, monkeypatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(MARKET / "data", data)
    market = data / "market.yaml"
    text = market.read_text(encoding="utf-8")
    # A miscounted paragraph (4 for 3), and a phrase the page never had.
    text = text.replace('{source: wire-studio-deal, paragraph: 3, phrase: "invest 1 billion',
                        '{source: wire-studio-deal, paragraph: 4, phrase: "invest 1 billion')
    text = text.replace('phrase: "Under a three-year licence"', 'phrase: "Under a five-year licence"')
    market.write_text(text, encoding="utf-8")
    monkeypatch.chdir(data)
    report = check_citations(load(data), MARKET / "texts")
    assert [(p.record, p.ref.locator, p.message) for p in report.problems] == [
        ("studio-a--invests-in--lab-b--2025-12-11", "para 4",
         "the phrase 'invest 1 billion dollars in Lab B' is not in para 4 but in para 3"),
        ("studio-a--licenses-to--lab-b--2025-12-11", "para 4",
         "the phrase 'Under a five-year licence' is nowhere in the text"),
    ]
    result = run_cli("check-citations", "--texts", str(MARKET / "texts"), data=data)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "2 problems in 3 citations checked"


def test_phrases_match_as_a_browser_finds_them() -> None:
    text = Text.parse("Title\n\nLab  B is now VALUED at 3.3 billion dollars.\n", "blocks")
    assert text.phrase_problem(Locator.parse("para 2"), "valued at 3.3 billion") is None
    assert text.phrase_problem(Locator.parse("para 2"), "Lab B is now") is None
    assert text.phrase_problem(Locator.parse("para 1"), "Lab B is now") == (
        "the phrase 'Lab B is now' is not in para 1 but in para 2")


# --- lines that end a sentence ---------------------------------------------------------------


def test_sentence_lines_leave_out_banners_bylines_titles_and_captions() -> None:
    content = LINES.read_text(encoding="utf-8")
    every_line = Text.parse(content, "lines")
    assert {k: len(v) for k, v in every_line.sections.items()} == {"intro": 6, "01": 5}
    sentences = Text.parse(content, "sentence-lines")
    assert sentences.sections == {
        "intro": ["這是一篇為測試而寫的文章。", "它不描述任何真實的事情。", "第三段在圖片說明之後。"],
        "01": ["第一部分的第一段。", "第一部分的第二段,以引號結束。”"],
    }
    # Counted from the top, every line is a paragraph (images included), as a reader counts.
    assert len(sentences.page) == len([line for line in content.splitlines() if line.strip()])


def test_sentence_lines_is_a_paragraph_rule_of_the_registry(write_data) -> None:
    folder = write_data({"data.yaml": """
sources:
  - {id: doc, title: A made-up article, publisher: P, date: 2025, language: zh-Hant,
     published_in: nowhere real, text: {file: "series-*.txt", paragraphs: sentence-lines}}
entities:
  - {id: a, type: organization, labels: {en: A}}
  - {id: b, type: organization, labels: {en: B}}
facts:
  - {subject: a, relation: partners-with, object: b, kind: fact,
     sources: [{source: doc, locator: "intro, para 3", phrase: "第三段在圖片"},
               {source: doc, locator: "§01, para 2", phrase: "以引號結束"}]}
"""})
    report = check_citations(load(folder), LINES.parent)
    assert report.checked == 2 and report.problems == []


def test_coverage_of_a_web_page_counts_from_the_top() -> None:
    from kg.analysis.coverage import coverage, ranges

    found = {c.source: c for c in coverage(load(MARKET / "data"), MARKET / "texts")}
    wire = found["wire-studio-deal"]
    assert ranges(wire.cited) == "para 3-5" and ranges(wire.uncited) == "para 1-2"
