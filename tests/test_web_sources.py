"""Web sources: a page with its address, publication day and kind, cited by paragraph and key
phrase; a statement never rests on aggregators alone (kg.data.validate, kg.data.load)."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, run_cli

from kg.data.load import check, load
from kg.data.model import SourceRef

MARKET = FIXTURES / "market" / "data"

PAGE = """
sources:
  - id: page
    title: A made-up page
    publisher: Example News
    date: {date}
    language: en
    kind: {kind}
{extra}
entities:
  - {{id: a, type: organization, labels: {{en: A}}}}
  - {{id: b, type: organization, labels: {{en: B}}}}
facts:
  - subject: a
    relation: partners-with
    object: b
    kind: fact
    sources: [{citation}]
"""


def problems_of(write_data, date: str = "2025-12-11", kind: str = "news",
                extra: str = "    url: https://news.example.com/a-b",
                citation: str = '{source: page, paragraph: 2, phrase: "A and B agreed"}') -> list[str]:
    folder = write_data({"data.yaml": PAGE.format(date=date, kind=kind, extra=extra,
                                                  citation=citation)})
    _, problems = check(folder)
    return [problem.message for problem in problems]


def test_a_complete_web_page_is_valid(write_data) -> None:
    assert problems_of(write_data) == []


def test_the_market_fixture_is_valid_and_keeps_what_pages_say() -> None:
    data = load(MARKET)
    wire = data.sources["wire-studio-deal"]
    assert wire.is_web and wire.kind == "news" and str(wire.retrieved) == "2025-12-12"
    assert not data.sources["lab-b-post"].retrieved
    invest = next(f for f in data.facts if f.relation == "invests-in")
    # ``paragraph: 3`` is the locator "para 3"; the phrase goes with it.
    assert [(r.source, r.locator, r.phrase) for r in invest.sources] == [
        ("wire-studio-deal", "para 3", "invest 1 billion dollars in Lab B"),
        ("lab-b-post", "para 2", "Studio A is investing")]
    assert wire.to_json()["kind"] == "news" and wire.to_json()["retrieved"] == "2025-12-12"
    assert invest.sources[0].to_json() == {"source": "wire-studio-deal", "locator": "para 3",
                                           "phrase": "invest 1 billion dollars in Lab B"}


def test_a_source_may_be_in_any_language(write_data) -> None:
    from rdflib import Literal, URIRef

    from kg.rdf.names import Names
    from kg.rdf.shapes import validate
    from kg.rdf.view import dataset_graph

    page = PAGE.replace("language: en", "language: ja")
    folder = write_data({"data.yaml": page.format(
        date="2025-12-11", kind="news", extra="    url: https://news.example.com/a-b",
        citation='{source: page, paragraph: 2, phrase: "AとBが合意"}')})
    data = load(folder)
    graph = dataset_graph(data)
    names = Names.of(data.ontology)
    citation = URIRef(names.fact + "a--partners-with--b#source-1")
    assert graph.value(citation, names.vocab.phrase) == Literal("AとBが合意", lang="ja")
    assert validate(data) == []


def test_a_web_page_needs_its_address(write_data) -> None:
    assert problems_of(write_data, extra="") == ["source 'page' is a web page without 'url'"]


@pytest.mark.parametrize("date", ["2025-12", "2025"])
def test_a_web_page_needs_its_publication_day(write_data, date: str) -> None:
    assert problems_of(write_data, date=date) == [
        f"source 'page': a web page needs its day of publication, not {date}"]


def test_the_kind_is_one_of_four(write_data) -> None:
    assert problems_of(write_data, kind="blog") == ["source 'page': unknown kind 'blog'"]


def test_retrieved_is_a_day_not_before_publication(write_data) -> None:
    url = "    url: https://news.example.com/a-b\n"
    assert problems_of(write_data, extra=url + "    retrieved: 2025-12-10") == [
        "source 'page': retrieved 2025-12-10, before its publication on 2025-12-11"]
    assert problems_of(write_data, extra=url + "    retrieved: 2025-12") == [
        "source 'page': 'retrieved' must be a day (YYYY-MM-DD)"]


def test_retrieved_belongs_to_a_web_page(write_data) -> None:
    folder = write_data({"data.yaml": """
sources:
  - {id: doc, title: A made-up report, publisher: P, date: 2025, language: en,
     published_in: nowhere real, retrieved: 2025-12-01}
entities:
  - {id: a, type: organization, labels: {en: A}}
  - {id: b, type: organization, labels: {en: B}}
facts:
  - {subject: a, relation: partners-with, object: b, kind: fact,
     sources: [{source: doc, locator: "chapter 2"}]}
"""})
    _, problems = check(folder)
    assert [p.message for p in problems] == ["source 'doc': 'retrieved' is for a web page"]


def test_a_web_citation_needs_a_key_phrase(write_data) -> None:
    assert problems_of(write_data, citation="{source: page, paragraph: 2}") == [
        "fact 'a--partners-with--b': the citation of web page 'page' has no key phrase"]


def test_a_web_page_is_cited_by_paragraph_from_the_top(write_data) -> None:
    assert problems_of(write_data, citation='{source: page, locator: "§2, para 1", phrase: "A and B"}') \
        == ["fact 'a--partners-with--b': web page 'page' is cited at '§2, para 1'"]
    assert problems_of(write_data, citation='{source: page, locator: "para 2-3", phrase: "A and B"}') \
        == []


def test_paragraph_and_locator_are_one_or_the_other(write_data) -> None:
    both = '{source: page, paragraph: 2, locator: "para 2", phrase: "A and B agreed"}'
    assert problems_of(write_data, citation=both) == [
        "source reference: give 'locator' or 'paragraph', not both"]
    assert problems_of(write_data, citation='{source: page, phrase: "A and B agreed"}') == [
        "source reference is missing the required key 'locator'"]
    assert problems_of(write_data, citation='{source: page, paragraph: 0, phrase: "A and B"}')[0] == \
        "source reference: 'paragraph' counts from 1"


def test_a_statement_resting_on_aggregators_only_is_refused(write_data) -> None:
    assert problems_of(write_data, kind="aggregator") == [
        "fact 'a--partners-with--b' rests on aggregators only"]


def test_an_aggregator_beside_an_independent_page_is_accepted() -> None:
    data = load(MARKET)
    figure = next(f for f in data.figures if f.id == "lab-b-valuation-roundup")
    kinds = [data.sources[r.source].kind for r in figure.sources]
    assert kinds == ["aggregator", "news"]


def test_a_figure_resting_on_aggregators_only_is_refused(write_data) -> None:
    folder = write_data({"data.yaml": """
sources:
  - {id: roundup, title: A made-up roundup, publisher: R, date: 2025-12-12, language: en,
     kind: aggregator, url: "https://roundup.example.net/w"}
entities:
  - {id: a, type: organization, labels: {en: A}}
figures:
  - {entity: a, metric: valuation, value: 3, scale: billion, unit: USD, kind: fact,
     sources: [{source: roundup, paragraph: 2, phrase: "a $3 billion valuation"}]}
"""})
    _, problems = check(folder)
    assert [p.message for p in problems] == ["figure 'a--valuation' rests on aggregators only"]


def test_cli_validate_points_at_the_citation(write_data) -> None:
    folder = write_data({"data.yaml": PAGE.format(
        date="2025-12-11", kind="news", extra="    url: https://news.example.com/a-b",
        citation="{source: page, paragraph: 2}")})
    result = run_cli("validate", data=folder)
    assert result.exit_code == 1
    assert "data.yaml:18:24: fact 'a--partners-with--b': the citation of web page 'page' has no " \
           "key phrase (hint: add phrase: the few words of the paragraph (at most 8, in the page's " \
           "language) that a reader searches for)" in result.stderr


def test_source_refs_store_and_decode_their_phrase() -> None:
    from kg.store.codec import column_values, decode, encode

    data = load(MARKET)
    fact = next(f for f in data.facts if f.relation == "invests-in")
    again = decode("facts", encode(fact), fact.loc.file, *column_values(fact))
    assert again.sources == fact.sources
    assert isinstance(again.sources[0], SourceRef) and again.sources[0].phrase is not None
    plain = next(f for f in load(FIXTURES / "good-mini").facts)
    assert decode("facts", encode(plain), plain.loc.file,
                  *column_values(plain)).sources[0].phrase is None


def test_a_text_spec_may_only_say_how_paragraphs_are_counted(write_data) -> None:
    from kg.data.citations import check_citations

    folder = write_data({"data.yaml": PAGE.format(
        date="2025-12-11", kind="news",
        extra="    url: https://news.example.com/a-b\n    text: {paragraphs: lines}",
        citation='{source: page, paragraph: 2, phrase: "A and B agreed"}')})
    data = load(folder)
    assert data.sources["page"].text.to_json() == {"paragraphs": "lines"}
    texts = folder.parent / "texts"
    texts.mkdir()
    (texts / "other.txt").write_text("Some other text\n", encoding="utf-8")
    report = check_citations(data, texts)
    assert [(s.source.id, s.reason) for s in report.sources] == [
        ("page", "text: says how paragraphs are counted but names no file")]


def test_figures_may_be_bounds_or_estimates(write_data) -> None:
    from kg.data.phrases import figure_line

    figures = """
sources:
  - {{id: doc, title: A made-up report, publisher: P, date: 2025, language: en,
     published_in: nowhere real}}
entities:
  - {{id: a, type: organization, labels: {{en: A}}}}
figures:
  - {{entity: a, metric: production-time, {bound}, unit: hours, kind: fact,
     sources: [{{source: doc, locator: "intro, para 1"}}]}}
"""
    folder = write_data({"data.yaml": figures.format(bound="value: 48, bound: at-most")})
    data = load(folder)
    assert figure_line(data, data.figures[0]) == "production-time: at most 48 hours"
    assert data.figures[0].to_json()["bound"] == "at-most"
    _, problems = check(write_data({"data.yaml": figures.format(bound="value: 48, bound: below")}))
    assert [p.message for p in problems] == [
        "figure 'a--production-time': unknown bound 'below'"]
    _, problems = check(write_data({"data.yaml": figures.format(bound="range: [1, 2], bound: about")}))
    assert [p.message for p in problems] == [
        "figure 'a--production-time': a range is its own bounds: give 'bound' with a value only"]
