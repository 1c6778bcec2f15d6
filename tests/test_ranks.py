"""Statement ranks (kg.data.ranks): the rules of a rank, the best rank answering by default,
every rank on request, and RDF's truthy view beside the full statements."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, run_cli
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.data.load import check, load
from kg.data.ranks import best_rank, hidden_note, outranked, rank_group, select
from kg.rdf.names import Names
from kg.rdf.stream import DatasetRecords, StoreRecords, ntriples, turtle
from kg.rdf.view import dataset_graph
from kg.store import from_dataset

MARKET = FIXTURES / "market" / "data"
DEPRECATED = "maker-c--partners-with--lab-b--2025-11"


@pytest.fixture(scope="module")
def market():
    return load(MARKET)


# --- the rules -------------------------------------------------------------------------------


def _ranked(write_data, rank: str) -> list[str]:
    folder = write_data({"data.yaml": f"""
sources:
  - {{id: doc, title: A made-up report, publisher: P, date: 2025, language: en,
     published_in: nowhere real}}
entities:
  - {{id: a, type: organization, labels: {{en: A}}}}
  - {{id: b, type: organization, labels: {{en: B}}}}
facts:
  - {{subject: a, relation: partners-with, object: b, kind: fact, {rank}
     sources: [{{source: doc, locator: "intro, para 1"}}]}}
"""})
    _, problems = check(folder)
    return [p.message for p in problems]


@pytest.mark.parametrize(("rank", "messages"), [
    ("rank: preferred,", []),
    ("rank: normal,", []),
    ("rank: deprecated, rank_reason: superseded,", []),
    ("rank: deprecated,", ["fact 'a--partners-with--b': a deprecated statement needs 'rank_reason'"]),
    ("rank: best,", ["fact 'a--partners-with--b': unknown rank 'best'"]),
    ("rank: deprecated, rank_reason: outdated,",
     ["fact 'a--partners-with--b': unknown rank_reason 'outdated'"]),
    ("rank_reason: disputed,", ["fact 'a--partners-with--b': 'rank_reason' is only for rank: deprecated"]),
])
def test_rank_rules(write_data, rank: str, messages: list[str]) -> None:
    assert _ranked(write_data, rank) == messages


def test_normal_is_the_default(market) -> None:
    ranks = {f.id: f.rank for f in [*market.facts, *market.figures]}
    assert ranks[DEPRECATED] == "deprecated"
    assert ranks["lab-b-valuation-wire"] == "preferred"
    assert ranks["lab-b-valuation-roundup"] == "normal"
    assert ranks["studio-a--invests-in--lab-b--2025-12-11"] == "normal"


# --- the best rank answers by default --------------------------------------------------------


def test_the_outranked_are_the_deprecated_and_the_normal_beside_a_preferred(market) -> None:
    assert outranked([*market.facts, *market.figures], market.ontology) == {
        DEPRECATED, "lab-b-valuation-roundup"}


def test_statements_compete_only_about_the_same_thing(market) -> None:
    wire, roundup = (next(f for f in market.figures if f.id == i)
                     for i in ("lab-b-valuation-wire", "lab-b-valuation-roundup"))
    assert rank_group(wire) == rank_group(roundup)
    funding = next(f for f in market.figures if f.metric == "funding-round")
    assert rank_group(funding) != rank_group(wire)
    # A symmetric relation competes either way round.
    fact = next(f for f in market.facts if f.id == DEPRECATED)
    assert rank_group(fact, market.ontology) == ("fact", "partners-with", "lab-b", "maker-c")


def test_best_rank_and_include_deprecated(market) -> None:
    best = best_rank(market)
    assert DEPRECATED not in {f.id for f in best.facts}
    assert [f.id for f in best.figures_of("lab-b")] == [
        "lab-b-valuation-wire", "lab-b--funding-round--2025-12-13"]
    assert select(market, include_deprecated=True) is market
    assert len(select(market).facts) == len(market.facts) - 1
    assert hidden_note(market) == ("2 statements of a lower rank are left out (deprecated, or "
                                   "outranked by a preferred one); --include-deprecated includes them")
    assert hidden_note(best) is None


def test_a_deprecated_preferred_pair_leaves_the_normal_one(write_data) -> None:
    folder = write_data({"data.yaml": """
sources:
  - {id: doc, title: A made-up report, publisher: P, date: 2025, language: en,
     published_in: nowhere real}
entities:
  - {id: a, type: organization, labels: {en: A}}
figures:
  - {id: old, entity: a, metric: valuation, value: 1, unit: USD, since: 2025-12, kind: fact,
     rank: deprecated, rank_reason: superseded, sources: [{source: doc, locator: "intro, para 1"}]}
  - {id: new, entity: a, metric: valuation, value: 2, unit: USD, since: 2025-12, kind: fact,
     sources: [{source: doc, locator: "intro, para 2"}]}
"""})
    data = load(folder)
    assert [f.id for f in best_rank(data).figures] == ["new"]


def test_a_deprecated_statement_dates_nothing(write_data) -> None:
    # Two announcements begin the policy; the earlier one is retracted, so the policy exists
    # from the standing one only.
    folder = write_data({"data.yaml": """
sources:
  - {id: doc, title: A made-up report, publisher: P, date: 2025, language: en,
     published_in: nowhere real}
entities:
  - {id: a, type: organization, labels: {en: A}}
  - {id: p, type: policy, labels: {en: P policy}}
facts:
  - {id: early, subject: a, relation: announced, object: p, since: 2025-09-01, kind: event,
     rank: deprecated, rank_reason: retracted, sources: [{source: doc, locator: "intro, para 1"}]}
  - {id: later, subject: a, relation: announced, object: p, since: 2025-10-03, kind: event,
     sources: [{source: doc, locator: "intro, para 2"}]}
"""})
    data = load(folder)
    assert str(data.exists_from("p")) == "2025-10-03"
    assert data.existence_reason("p").endswith("on 2025-10-03")


def test_the_store_answers_with_the_best_rank(market) -> None:
    store = from_dataset(market)
    assert [f.id for f in store.figures_of(["lab-b"])] == [
        "lab-b-valuation-wire", "lab-b--funding-round--2025-12-13"]
    assert DEPRECATED not in {f.id for f in store.facts_touching(["maker-c"])}
    assert DEPRECATED not in {f.id for f in store.dataset().facts}
    assert store.outranked_count() == 2
    assert store.outranked_ids() == {DEPRECATED, "lab-b-valuation-roundup"}
    assert DEPRECATED in {f.id for f in store.dataset(include_deprecated=True).facts}
    store.include_deprecated = True
    assert len(store.figures_of(["lab-b"])) == 3
    assert DEPRECATED in {f.id for f in store.facts_touching(["maker-c"])}


def test_open_store_takes_the_switch() -> None:
    from kg.store import open_store

    assert len(open_store(MARKET).figures_of(["lab-b"])) == 2
    assert len(open_store(MARKET, include_deprecated=True).figures_of(["lab-b"])) == 3


def test_paths_leave_out_deprecated_facts() -> None:
    result = run_cli("path", "maker-c", "lab-b", "--via", "partners-with", data=MARKET)
    assert result.exit_code == 1
    assert "no path from Maker C to Lab B" in result.stderr
    figures = run_cli("figures", "lab-b", data=MARKET)
    assert "3.3 billion USD" in figures.stdout and "valuation: 3 billion" not in figures.stdout


def test_exports_take_the_best_rank_unless_asked(tmp_path) -> None:
    default = run_cli("export", "json", data=MARKET)
    assert default.exit_code == 0, default.stderr
    assert DEPRECATED not in default.stdout
    assert "note: 2 statements of a lower rank are left out" in default.stderr
    everything = run_cli("export", "json", "--include-deprecated", data=MARKET)
    assert DEPRECATED in everything.stdout and "note:" not in everything.stderr
    folder = tmp_path / "csv"
    assert run_cli("export", "csv", "-o", str(folder), data=MARKET).exit_code == 0
    assert DEPRECATED not in (folder / "edges.csv").read_text(encoding="utf-8")
    assert run_cli("export", "csv", "-o", str(folder), "--include-deprecated",
                   data=MARKET).exit_code == 0
    assert DEPRECATED in (folder / "edges.csv").read_text(encoding="utf-8")


# --- RDF: the truthy view and the full statements --------------------------------------------


def test_rdf_has_the_truthy_triples_and_every_statement_with_its_rank(market) -> None:
    graph = dataset_graph(market)
    names = Names.of(market.ontology)
    kg = names.vocab
    entity, fact, figure = (lambda i: URIRef(names.entity + i)), (lambda i: URIRef(names.fact + i)), \
        (lambda i: URIRef(names.figure + i))
    # Truthy: no direct triple for the deprecated fact, whose statement node stays, ranked.
    assert (entity("maker-c"), kg.partnersWith, entity("lab-b")) not in graph
    assert (entity("studio-a"), kg.investsIn, entity("lab-b")) in graph
    deprecated = fact(DEPRECATED)
    assert (deprecated, RDF.type, kg.Statement) in graph
    assert (deprecated, kg.statementRank, kg.DeprecatedRank) in graph
    assert (deprecated, kg.rankReason, Literal("retracted")) in graph
    assert (deprecated, RDF.type, kg.BestRank) not in graph
    invest = fact("studio-a--invests-in--lab-b--2025-12-11")
    assert (invest, kg.statementRank, kg.NormalRank) in graph
    assert (invest, RDF.type, kg.BestRank) in graph
    # Both valuations, each with its rank; only the preferred one is of the best rank.
    assert (figure("lab-b-valuation-wire"), kg.statementRank, kg.PreferredRank) in graph
    assert (figure("lab-b-valuation-wire"), RDF.type, kg.BestRank) in graph
    assert (figure("lab-b-valuation-roundup"), kg.statementRank, kg.NormalRank) in graph
    assert (figure("lab-b-valuation-roundup"), RDF.type, kg.BestRank) not in graph


def test_sparql_reads_the_truthy_view_or_the_full_one(market) -> None:
    graph = dataset_graph(market)
    prefixes = f"PREFIX kg: <{Names.of(market.ontology).vocab}>\n"
    truthy = graph.query(prefixes + "SELECT ?v WHERE { ?f a kg:Figure, kg:BestRank ; "
                         "kg:metric kg:Valuation ; kg:value ?v }")
    assert sorted(float(row.v) for row in truthy) == [3.3]
    full = graph.query(prefixes + "SELECT ?v ?r WHERE { ?f a kg:Figure ; kg:metric kg:Valuation ; "
                       "kg:value ?v ; kg:statementRank ?r }")
    assert sorted((float(row.v), str(row.r).rsplit(":", 1)[-1]) for row in full) == [
        (3.0, "NormalRank"), (3.3, "PreferredRank")]


def test_kg_sparql_queries_both_views() -> None:
    query = ("SELECT ?f ?r WHERE { ?f kg:metric kg:Valuation ; kg:statementRank ?r . "
             "FILTER NOT EXISTS { ?f a kg:BestRank } }")
    result = run_cli("sparql", query, "--format", "csv", data=MARKET)
    assert result.exit_code == 0, result.stderr
    assert "lab-b-valuation-roundup" in result.stdout and "NormalRank" in result.stdout
    truthy = run_cli("sparql", "ASK { entity:maker-c kg:partnersWith entity:lab-b }", data=MARKET)
    assert truthy.stdout.strip() == "false"


def test_the_streams_agree_with_the_view_on_ranks(market) -> None:
    expected = dataset_graph(market)
    for records in (DatasetRecords(market), StoreRecords(from_dataset(market))):
        for writer, syntax in ((turtle, "turtle"), (ntriples, "nt")):
            text = b"".join(writer(records)).decode("utf-8")
            assert isomorphic(Graph().parse(data=text, format=syntax), expected), (records, syntax)


def test_citations_carry_the_phrase_and_the_text_fragment(market) -> None:
    graph = dataset_graph(market)
    names = Names.of(market.ontology)
    citation = URIRef(names.fact + "studio-a--licenses-to--lab-b--2025-12-11#source-1")
    assert graph.value(citation, names.vocab.phrase) == Literal("Under a three-year licence", lang="en")
    assert str(graph.value(citation, names.vocab.textFragment)) == (
        "https://news.example.com/2025/12/11/studio-a-lab-b#:~:text=Under%20a%20three%2Dyear%20licence")
    source = URIRef(names.source + "wire-studio-deal")
    assert graph.value(source, names.vocab.sourceKind) == Literal("news")


def test_the_shapes_accept_the_ranked_market_data(market) -> None:
    from kg.rdf.shapes import validate

    assert validate(market) == []


def test_the_shapes_refuse_a_bad_rank_and_a_web_page_without_address(market) -> None:
    from rdflib.namespace import SDO

    from kg.rdf.shapes import shapes_graph, validate_graph

    graph = dataset_graph(market)
    names = Names.of(market.ontology)
    kg = names.vocab
    source = URIRef(names.source + "wire-studio-deal")
    graph.remove((source, SDO.url, None))
    invest = URIRef(names.fact + "studio-a--invests-in--lab-b--2025-12-11")
    graph.remove((invest, kg.statementRank, None))
    graph.add((invest, kg.statementRank, kg.Claim))
    messages = sorted(v.message for v in validate_graph(graph, shapes_graph(market.ontology), names))
    assert "a web page (a source with a kind) has a URL and a publication day" in messages
    assert "every statement and figure has one rank: preferred, normal or deprecated" in messages
