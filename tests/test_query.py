"""The query library (kg.query.*) on a small fictional graph with known answers.

tests/fixtures/query-small/README.md draws the graph.
"""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

from kg.data.load import load
from kg.data.model import Dataset
from kg.errors import KgError, LookupFailed
from kg.query.common import UnknownTerm, options_text
from kg.query.edges import edge_json, edges
from kg.query.neighbors import neighbors
from kg.query.paths import NoPath, find_paths
from kg.query.rank import pagerank, rank
from kg.query.timeline import timeline
from tests.conftest import FIXTURES, SEEDS

SMALL = FIXTURES / "query-small"


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load(SMALL)


def walk(path) -> list[tuple[str, str, str, bool]]:
    """A path as (from, relation, to, forward) per hop."""
    return [(hop.start, hop.fact.relation, hop.end, hop.forward) for hop in path]


def nodes(path) -> list[str]:
    return [path[0].start, *(hop.end for hop in path)]


# --- paths -------------------------------------------------------------------

def test_shortest_path_breaks_ties_by_entity_then_fact_ids(data: Dataset) -> None:
    result = find_paths(data, "acme", "motion")
    assert [walk(p) for p in result.paths] == [[
        ("acme", "competes-with", "rivalco", True),
        ("rivalco", "develops", "motion", True),
    ]]


def test_k_shortest_in_documented_order(data: Dataset) -> None:
    result = find_paths(data, "acme", "motion", k=6)
    assert [(nodes(p), [h.fact.relation for h in p]) for p in result.paths] == [
        (["acme", "rivalco", "motion"], ["competes-with", "develops"]),
        (["acme", "rivalco", "motion"], ["partners-with", "develops"]),
        (["acme", "vidgen", "motion"], ["develops", "competes-with"]),
        (["acme", "vidgen-2", "motion"], ["develops", "competes-with"]),
        # At equal length, the path through the analyst's claim ranks after reported facts.
        (["acme", "clipper", "vidgen-2", "motion"], ["owns", "integrates", "competes-with"]),
        (["acme", "vidgen", "vidgen-2", "motion"], ["develops", "successor-of", "competes-with"]),
    ]


@pytest.mark.parametrize("k", range(1, 10))
def test_k_shortest_are_the_first_of_all_paths(data: Dataset, k: int) -> None:
    every = find_paths(data, "acme", "motion", all_paths=True, max_hops=3).paths
    assert len(every) == 8
    assert find_paths(data, "acme", "motion", k=k).paths[:min(k, 8)] == every[:k]


def test_all_paths_up_to_max_hops_shortest_first(data: Dataset) -> None:
    two = find_paths(data, "acme", "motion", all_paths=True, max_hops=2).paths
    three = find_paths(data, "acme", "motion", all_paths=True, max_hops=3).paths
    assert [len(p) for p in two] == [2, 2, 2, 2]
    assert [len(p) for p in three] == [2, 2, 2, 2, 3, 3, 3, 3]
    assert three[:4] == two
    # Reported facts first at equal length: the path through the analyst's claim comes last.
    assert [nodes(p) for p in three[4:]] == [
        ["acme", "clipper", "vidgen-2", "motion"],
        ["acme", "vidgen", "vidgen-2", "motion"],
        ["acme", "vidgen-2", "vidgen", "motion"],
        ["acme", "clipper", "feedtube", "motion"],
    ]


def test_all_paths_need_a_bound(data: Dataset) -> None:
    with pytest.raises(KgError, match="bound"):
        find_paths(data, "acme", "motion", all_paths=True)


def test_parallel_facts_are_distinct_paths(data: Dataset) -> None:
    result = find_paths(data, "acme", "rivalco", all_paths=True, max_hops=1)
    assert [[h.fact.id for h in p] for p in result.paths] == [
        ["acme--competes-with--rivalco"],
        ["acme--partners-with--rivalco--2025-03"],
    ]


def test_symmetric_fact_walked_both_ways(data: Dataset) -> None:
    there = find_paths(data, "vidgen-2", "motion").paths
    back = find_paths(data, "motion", "vidgen-2").paths
    assert walk(there[0]) == [("vidgen-2", "competes-with", "motion", False)]
    assert walk(back[0]) == [("motion", "competes-with", "vidgen-2", True)]
    assert there[0][0].fact is back[0][0].fact


def test_hop_against_the_stated_direction(data: Dataset) -> None:
    result = find_paths(data, "motion", "acme")
    assert walk(result.paths[0]) == [
        ("motion", "develops", "rivalco", False),
        ("rivalco", "competes-with", "acme", False),
    ]


def test_directed_follows_stated_direction_only(data: Dataset) -> None:
    undirected = find_paths(data, "castle", "motion").paths[0]
    directed = find_paths(data, "castle", "motion", directed=True).paths[0]
    # Through Clipper's integration (a fact), not the analyst's claim that it threatens FeedTube.
    assert nodes(undirected) == ["castle", "clipper-opt-out", "clipper", "vidgen-2", "motion"]
    assert nodes(directed) == ["castle", "knight", "clipper", "vidgen-2", "motion"]
    assert all(hop.forward or hop.fact.relation == "competes-with" for hop in directed)
    with pytest.raises(NoPath, match="^no path from Motion to Acme Studio with --directed$"):
        find_paths(data, "motion", "acme", directed=True)


def test_directed_still_walks_symmetric_facts_both_ways(data: Dataset) -> None:
    result = find_paths(data, "motion", "vidgen", directed=True)
    assert walk(result.paths[0]) == [("motion", "competes-with", "vidgen", False)]


def test_as_of_hides_facts_not_valid_then(data: Dataset) -> None:
    def found(day: dt.date) -> list[list[str]]:
        return [[h.fact.id for h in p]
                for p in find_paths(data, "acme", "motion", k=10, max_hops=2, as_of=day).paths]

    assert found(dt.date(2025, 8, 31)) == [
        ["acme--competes-with--rivalco", "rivalco--develops--motion--2024-12"],
        ["acme--develops--vidgen--2024-06", "vidgen--competes-with--motion"],
    ]
    assert found(dt.date(2025, 5, 31)) == [
        ["acme--competes-with--rivalco", "rivalco--develops--motion--2024-12"],
        ["acme--partners-with--rivalco--2025-03", "rivalco--develops--motion--2024-12"],
        ["acme--develops--vidgen--2024-06", "vidgen--competes-with--motion"],
    ]
    # The partnership ended in 2025-06 and VidGen's rivalry in 2025-09; VidGen 2's began in 2025-10.
    assert found(dt.date(2025, 10, 31)) == [
        ["acme--competes-with--rivalco", "rivalco--develops--motion--2024-12"],
        ["acme--develops--vidgen-2--2025-09", "motion--competes-with--vidgen-2--2025-10"],
    ]


def test_as_of_before_an_entity_existed(data: Dataset) -> None:
    with pytest.raises(NoPath) as caught:
        find_paths(data, "acme", "motion", as_of=dt.date(2024, 1, 31))
    # Motion is founded 2024-12; Acme's start is not recorded: it is there on every date.
    assert str(caught.value) == ("no path from Acme Studio to Motion with --as-of 2024-01-31 "
                                 "(Motion not in the graph on that date)")


def test_via_keeps_only_those_relations(data: Dataset) -> None:
    result = find_paths(data, "acme", "motion", via=["develops", "competes-with"], k=10, max_hops=2)
    assert [[h.fact.relation for h in p] for p in result.paths] == [
        ["competes-with", "develops"],
        ["develops", "competes-with"],
        ["develops", "competes-with"],
    ]
    with pytest.raises(NoPath, match="with --via competes-with$"):
        find_paths(data, "acme", "motion", via=["competes-with"])


def test_exclude_drops_relations(data: Dataset) -> None:
    result = find_paths(data, "acme", "motion", exclude=["competes-with"])
    assert [h.fact.relation for h in result.paths[0]] == ["partners-with", "develops"]
    result = find_paths(data, "acme", "motion", exclude=["competes-with", "partners-with"])
    assert nodes(result.paths[0]) == ["acme", "clipper", "feedtube", "motion"]


def test_max_hops(data: Dataset) -> None:
    assert len(find_paths(data, "castle", "motion", max_hops=4).paths[0]) == 4
    with pytest.raises(NoPath, match="^no path from Castle Pictures to Motion with --max-hops 3$"):
        find_paths(data, "castle", "motion", max_hops=3)
    assert len(find_paths(data, "acme", "motion", k=10, max_hops=2).paths) == 4


def test_no_path_names_every_filter(data: Dataset) -> None:
    with pytest.raises(NoPath) as caught:
        find_paths(data, "acme", "motion", via=["owns", "competes-with"], exclude=["develops"],
                   directed=True, as_of=dt.date(2025, 9, 1), max_hops=3)
    assert str(caught.value) == (
        "no path from Acme Studio to Motion with --via competes-with --via owns, --exclude develops, "
        "--directed, --as-of 2025-09-01, --max-hops 3")


def test_a_claimant_is_reached_through_its_reference_edges(data: Dataset) -> None:
    # The analyst is in no fact, only the holder of a claim: the `claims` references join it.
    result = find_paths(data, "analyst", "acme")
    assert [h.fact.id for h in result.paths[0]] == [
        "clipper--threatens--feedtube--2025-10~claims~clipper", "acme--owns--clipper"]
    assert result.paths[0][0].fact.derived_from.field == "facts.claimed_by"
    with pytest.raises(NoPath, match="^no path from Dana Analyst to Acme Studio with --exclude "
                       "claims$"):
        find_paths(data, "analyst", "acme", exclude=["claims"])
    with pytest.raises(NoPath):
        find_paths(data, "analyst", "acme", kinds=["fact", "event"])  # the claim's kind


def test_ends_named_by_label_or_alias(data: Dataset) -> None:
    result = find_paths(data, "Acme", "MOTION")
    assert (result.source.id, result.target.id) == ("acme", "motion")
    assert find_paths(data, "阿克米工作室", "Rival Co").source.id == "acme"


def test_unknown_entity_gets_suggestions(data: Dataset) -> None:
    with pytest.raises(LookupFailed) as caught:
        find_paths(data, "Acme Studoi", "motion")
    assert ("acme", "Acme Studio") in caught.value.candidates


def test_unknown_relation_names_the_argument(data: Dataset) -> None:
    with pytest.raises(UnknownTerm) as caught:
        find_paths(data, "acme", "motion", via=["competes"])
    assert caught.value.param == "via"
    assert "did you mean 'competes-with'" in str(caught.value)
    with pytest.raises(UnknownTerm) as caught:
        find_paths(data, "acme", "motion", exclude=["own"])
    assert caught.value.param == "exclude"


def test_same_entity_is_refused(data: Dataset) -> None:
    with pytest.raises(KgError, match="same entity"):
        find_paths(data, "acme", "Acme")


def test_path_json_contract(data: Dataset) -> None:
    result = find_paths(data, "vidgen-2", "motion").to_json(data)
    assert result["from"] == {"id": "vidgen-2", "label": "VidGen 2"}
    assert result["to"] == {"id": "motion", "label": "Motion"}
    assert result["paths"] == [{"length": 1, "tier": 1, "reason": (
        "tier 1 of 3, reported facts and events only; paths of one length rank by tier, then by "
        "entity ids and fact ids"), "hops": [{
        "from": "vidgen-2", "to": "motion", "relation": "competes-with", "forward": False,
        "since": "2025-10", "until": None, "sources": ["trade-weekly", "market-brief"],
        "fact": "motion--competes-with--vidgen-2--2025-10", "kind": "fact", "claimed_by": None,
    }]}]


def test_path_json_explain_adds_citations(data: Dataset) -> None:
    result = find_paths(data, "clipper", "feedtube").to_json(data, explain=True)
    hop = result["paths"][0]["hops"][0]
    assert hop["kind"] == "claim" and hop["claimed_by"] == "analyst"
    assert hop["citations"] == [{"source": "trade-weekly", "locator": "§5, para 1",
                                 "phrase": None, "link": None,
                                 "title": "A made-up trade weekly issue",
                                 "publisher": "Fictional Trade Weekly", "date": "2025-10"}]


def test_options_text() -> None:
    assert options_text([("--via", ["a", "b"]), ("--x", None), ("--flag", True), ("--off", False),
                         ("--n", 3), ("--empty", [])]) == "--via a --via b, --flag, --n 3"


# --- neighbors ---------------------------------------------------------------

def reached(result) -> list[tuple[int, str]]:
    return [(r.depth, r.id) for r in result.reached]


def test_neighbors_both_directions(data: Dataset) -> None:
    assert reached(neighbors(data, "motion")) == [
        (1, "feedtube"), (1, "rivalco"), (1, "vidgen"), (1, "vidgen-2")]


def test_neighbors_symmetric_facts_count_as_in_and_out(data: Dataset) -> None:
    assert reached(neighbors(data, "motion", direction="out")) == [(1, "vidgen"), (1, "vidgen-2")]
    assert reached(neighbors(data, "motion", direction="in")) == [
        (1, "feedtube"), (1, "rivalco"), (1, "vidgen"), (1, "vidgen-2")]
    assert reached(neighbors(data, "acme", direction="in")) == [(1, "rivalco")]


def test_neighbors_depth_and_as_of(data: Dataset) -> None:
    result = neighbors(data, "motion", depth=2, as_of=dt.date(2025, 9, 30))
    assert reached(result) == [(1, "rivalco"), (1, "vidgen"), (2, "acme"), (2, "vidgen-2")]
    acme = result.reached[2]
    assert [(h.start, h.fact.id) for h in acme.hops] == [
        ("rivalco", "acme--competes-with--rivalco"),
        ("vidgen", "acme--develops--vidgen--2024-06"),
    ]
    assert [h.forward for h in acme.hops] == [False, False]


def test_neighbors_relation_filter(data: Dataset) -> None:
    assert reached(neighbors(data, "acme", relations=["develops"])) == [(1, "vidgen"), (1, "vidgen-2")]
    assert reached(neighbors(data, "acme", relations=["develops"], direction="out", depth=3)) == [
        (1, "vidgen"), (1, "vidgen-2")]


def test_neighbors_lists_parallel_facts(data: Dataset) -> None:
    rival = neighbors(data, "acme", relations=["competes-with", "partners-with"]).reached
    assert [(r.id, [h.fact.relation for h in r.hops]) for r in rival] == [
        ("rivalco", ["competes-with", "partners-with"])]


def test_neighbors_of_a_claimant(data: Dataset) -> None:
    assert [r.id for r in neighbors(data, "analyst").reached] == ["clipper", "feedtube"]
    assert neighbors(data, "analyst", relations=["develops"]).reached == []


def test_neighbors_errors(data: Dataset) -> None:
    with pytest.raises(UnknownTerm, match="did you mean 'develops'"):
        neighbors(data, "acme", relations=["develop"])
    with pytest.raises(KgError, match="direction"):
        neighbors(data, "acme", direction="sideways")
    with pytest.raises(KgError, match="depth"):
        neighbors(data, "acme", depth=0)
    with pytest.raises(LookupFailed):
        neighbors(data, "nobody at all")


def test_neighbors_json(data: Dataset) -> None:
    result = neighbors(data, "feedtube").to_json(data)
    assert result["entity"] == {"id": "feedtube", "label": "FeedTube"}
    assert [(n["id"], n["type"], n["depth"], [f["fact"] for f in n["facts"]])
            for n in result["neighbors"]] == [
        ("analyst", "person", 1, ["clipper--threatens--feedtube--2025-10~claims~feedtube"]),
        ("clipper", "app", 1, ["clipper--threatens--feedtube--2025-10"]),
        ("motion", "model", 1, ["feedtube--integrates--motion--2025-10"]),
    ]


# --- edges -------------------------------------------------------------------

def ids(facts) -> list[str]:
    return [f.id for f in facts]


def test_edges_of_a_relation(data: Dataset) -> None:
    assert ids(edges(data, relations=["competes-with"])) == [
        "acme--competes-with--rivalco",
        "motion--competes-with--vidgen-2--2025-10",
        "vidgen--competes-with--motion",
    ]
    assert len(edges(data)) == 16 + 2  # and the claimant's two reference edges
    assert ids(edges(data, relations=["claims"])) == [
        "clipper--threatens--feedtube--2025-10~claims~clipper",
        "clipper--threatens--feedtube--2025-10~claims~feedtube"]


def test_edges_types_accept_supertypes(data: Dataset) -> None:
    assert ids(edges(data, relations=["competes-with"], subject_types=["organization"])) == [
        "acme--competes-with--rivalco"]
    assert len(edges(data, relations=["competes-with"], subject_types=["product"])) == 2
    assert len(edges(data, relations=["develops"], object_types=["product"])) == 3
    assert len(edges(data, relations=["develops"], object_types=["model"])) == 3
    assert edges(data, relations=["develops"], object_types=["app"]) == []
    assert ids(edges(data, object_types=["app"])) == [
        "knight--appeared-in--clipper--2025-10-02",
        "clipper--threatens--feedtube--2025-10~claims~clipper", "acme--owns--clipper"]


def test_edges_kind_and_as_of(data: Dataset) -> None:
    assert ids(edges(data, kinds=["claim"])) == [
        "clipper--threatens--feedtube--2025-10~claims~clipper",
        "clipper--threatens--feedtube--2025-10~claims~feedtube",
        "clipper--threatens--feedtube--2025-10"]
    assert ids(edges(data, relations=["competes-with"], as_of=dt.date(2025, 8, 31))) == [
        "acme--competes-with--rivalco", "vidgen--competes-with--motion"]
    # vidgen-2 was founded in 2025-09: its facts are hidden before.
    assert "acme--develops--vidgen-2--2025-09" not in ids(edges(data, as_of=dt.date(2025, 8, 31)))


def test_edges_symmetric_fact_matches_either_way_round(write_data) -> None:
    folder = write_data({"data.yaml": """
sources:
  - {id: s, title: T, publisher: P, date: 2025, language: en, published_in: Test fixture}
entities:
  - {id: org, type: organization, labels: {en: Org}}
  - {id: app, type: app, labels: {en: App}}
facts:
  - {subject: app, relation: competes-with, object: org, kind: fact, sources: [{source: s, locator: p1}]}
"""})
    small = load(folder)
    assert ids(edges(small, subject_types=["organization"], object_types=["app"])) == [
        "app--competes-with--org"]
    assert edges(small, subject_types=["organization"], object_types=["organization"]) == []


def test_edges_errors(data: Dataset) -> None:
    with pytest.raises(UnknownTerm) as caught:
        edges(data, subject_types=["company"])
    assert caught.value.param == "subject_types"
    with pytest.raises(UnknownTerm, match="did you mean 'claim'"):
        edges(data, kinds=["claims"])
    with pytest.raises(UnknownTerm) as caught:
        edges(data, object_types=["apps"])
    assert caught.value.param == "object_types"


def test_edge_json(data: Dataset) -> None:
    fact = edges(data, relations=["threatens"])[0]
    result = edge_json(data, fact)
    assert result["subject_label"] == "Clipper" and result["object_label"] == "FeedTube"
    assert result["claimed_by"] == "analyst"


# --- timeline ----------------------------------------------------------------

def test_timeline_everything_in_date_order(data: Dataset) -> None:
    entries = timeline(data)
    assert [(str(e.date), e.record.id) for e in entries] == [
        ("2024-06", "acme--develops--vidgen--2024-06"),
        ("2024-12", "rivalco--develops--motion--2024-12"),
        ("2025-03", "acme--partners-with--rivalco--2025-03"),
        ("2025-09", "acme--develops--vidgen-2--2025-09"),
        ("2025-09", "clipper--has-policy--clipper-opt-out--2025-09"),
        ("2025-09", "clipper--integrates--vidgen-2--2025-09"),
        ("2025-09", "vidgen-2--successor-of--vidgen--2025-09"),
        ("2025-09", "vidgen-2--video-length--2025-09"),
        ("2025-10", "castle--opted-out-of--clipper-opt-out--2025-10"),
        ("2025-10", "clipper--threatens--feedtube--2025-10"),
        ("2025-10", "feedtube--integrates--motion--2025-10"),
        ("2025-10", "motion--competes-with--vidgen-2--2025-10"),
        ("2025-10-01", "clipper--downloads--2025-10-01"),
        ("2025-10-02", "knight--appeared-in--clipper--2025-10-02"),
    ]


def test_timeline_of_an_entity_in_a_span(data: Dataset) -> None:
    entries = timeline(data, "Clipper", since=dt.date(2025, 10, 1))
    assert [e.record.id for e in entries] == [
        "clipper--threatens--feedtube--2025-10",
        "clipper--downloads--2025-10-01",
        "knight--appeared-in--clipper--2025-10-02",
    ]
    # A month-precise date overlaps every day of its month.
    later = timeline(data, "clipper", since=dt.date(2025, 10, 15))
    assert [e.record.id for e in later] == ["clipper--threatens--feedtube--2025-10"]
    assert [e.record.id for e in timeline(data, until=dt.date(2024, 12, 31))] == [
        "acme--develops--vidgen--2024-06", "rivalco--develops--motion--2024-12"]


def test_timeline_relations_and_metrics(data: Dataset) -> None:
    assert [e.record.id for e in timeline(data, relations=["develops"])] == [
        "acme--develops--vidgen--2024-06", "rivalco--develops--motion--2024-12",
        "acme--develops--vidgen-2--2025-09"]
    assert [e.record.id for e in timeline(data, metrics=["downloads"])] == [
        "clipper--downloads--2025-10-01"]
    both = timeline(data, relations=["has-policy"], metrics=["video-length"])
    assert [e.record.id for e in both] == [
        "clipper--has-policy--clipper-opt-out--2025-09", "vidgen-2--video-length--2025-09"]


def test_timeline_errors(data: Dataset) -> None:
    with pytest.raises(UnknownTerm, match="unknown metric 'download'"):
        timeline(data, metrics=["download"])
    with pytest.raises(UnknownTerm, match="unknown relation"):
        timeline(data, relations=["integrate"])
    with pytest.raises(LookupFailed):
        timeline(data, "Nobody Known")


def test_timeline_json(data: Dataset) -> None:
    rows = [e.to_json(data) for e in timeline(data, "clipper", since=dt.date(2025, 10, 1))]
    assert rows[0] == {
        "date": "2025-10", "id": "clipper--threatens--feedtube--2025-10", "kind": "claim",
        "record": "fact", "relation": "threatens", "subject": "clipper", "object": "feedtube",
        "text": "Clipper —threatens→ FeedTube [2025-10] (claim by Dana Analyst)",
        "until": None, "sources": ["trade-weekly"],
    }
    assert rows[1]["record"] == "figure" and rows[1]["metric"] == "downloads"
    assert rows[1]["entity"] == "clipper" and rows[1]["date"] == "2025-10-01"
    assert rows[1]["text"].startswith("Clipper downloads: 100 thousand downloads")


# --- rank --------------------------------------------------------------------

def scored(scores) -> list[tuple[str, float]]:
    return [(s.id, s.score) for s in scores]


def test_rank_degree_ties_by_id(data: Dataset) -> None:
    scores = rank(data, limit=6)
    assert scored(scores) == [("clipper", 6), ("acme", 5), ("motion", 4), ("vidgen-2", 4),
                              ("feedtube", 3), ("rivalco", 3)]
    assert [s.rank for s in scores] == [1, 2, 3, 4, 5, 6]


def test_rank_type_lists_subtypes_scores_whole_graph(data: Dataset) -> None:
    assert scored(rank(data, types=["product"], limit=4)) == [
        ("clipper", 6), ("motion", 4), ("vidgen-2", 4), ("feedtube", 3)]
    assert scored(rank(data, types=["organization"])) == [("acme", 5), ("rivalco", 3), ("castle", 2)]


def test_rank_relation_filter(data: Dataset) -> None:
    assert scored(rank(data, relations=["develops"], limit=3)) == [
        ("acme", 2), ("motion", 1), ("rivalco", 1)]


def test_rank_as_of(data: Dataset) -> None:
    scores = rank(data, limit=None, as_of=dt.date(2024, 12, 31))
    # Clipper's start is not recorded (no fact begins it): Acme's undated ownership counts.
    assert scores[0].id == "acme" and scores[0].score == 3
    assert "vidgen-2" not in {s.id for s in scores}  # founded 2025-09


def test_rank_betweenness(data: Dataset) -> None:
    scores = rank(data, "betweenness", limit=6)
    # Equal scores (0.077778) are listed by id.
    assert [s.id for s in scores] == ["clipper", "acme", "vidgen-2", "motion", "clipper-opt-out",
                                      "knight"]
    graph = nx.Graph()
    for fact in data.edges:
        graph.add_edge(fact.subject, fact.object)
    expected = nx.betweenness_centrality(graph)
    assert all(s.score == round(expected[s.id], 6) for s in scores)


def test_rank_pagerank(data: Dataset) -> None:
    scores = rank(data, "pagerank", limit=None)
    assert abs(sum(s.score for s in scores) - 1) < 1e-5
    assert [s.id for s in scores[:2]] == ["clipper", "acme"]
    assert all(s.score == round(s.score, 6) for s in scores)


def test_pagerank_matches_the_closed_form() -> None:
    graph = nx.Graph([("a", "b"), ("b", "c")])
    scores = pagerank(graph)
    # centre x, ends y: x = 0.05 + 0.85 * 2y, y = 0.05 + 0.85 * x / 2
    assert scores["b"] == pytest.approx(0.135 / 0.2775, abs=1e-9)
    assert scores["a"] == pytest.approx(0.05 + 0.425 * 0.135 / 0.2775, abs=1e-9)
    # Parallel facts weigh a pair more.
    weighted = nx.Graph()
    weighted.add_edge("a", "b", weight=3)
    weighted.add_edge("b", "c", weight=1)
    assert pagerank(weighted)["a"] > pagerank(weighted)["c"]


def test_rank_errors(data: Dataset) -> None:
    with pytest.raises(KgError, match="metric"):
        rank(data, "closeness")
    with pytest.raises(UnknownTerm, match="unknown entity type 'products'"):
        rank(data, types=["products"])
    with pytest.raises(KgError, match="limit"):
        rank(data, limit=0)


def test_rank_json(data: Dataset) -> None:
    assert rank(data, limit=1)[0].to_json(data) == {
        "rank": 1, "id": "clipper", "label": "Clipper", "type": "app", "score": 6}


def _networkx_walk(view: nx.MultiDiGraph, directed: bool) -> tuple[nx.DiGraph, dict]:
    """The walk graph of a networkx view of the dataset (``graph_view``): the simple directed
    graph of walkable entity pairs, and the hops joining each pair in fact-id order."""
    from kg.query.common import Hop

    hops: dict[tuple[str, str], list[Hop]] = {}
    for subject, obj, data in view.edges(data=True):
        if subject == obj:
            continue
        hops.setdefault((subject, obj), []).append(Hop(subject, obj, data["fact"]))
        if not directed or data["symmetric"]:
            hops.setdefault((obj, subject), []).append(Hop(obj, subject, data["fact"]))
    walk = nx.DiGraph()
    walk.add_nodes_from(sorted(view.nodes))
    for pair in sorted(hops):
        hops[pair].sort(key=Hop.sort_key)
        walk.add_edge(*pair)
    return walk, hops


@pytest.mark.parametrize("folder", ["query-small", "paths", "analysis", "existence"])
def test_path_walk_graph_equals_the_networkx_view(folder: str) -> None:
    """The paths search a graph read straight from the records (networkx is not imported for
    a path): its entities, pairs and hops are those of the networkx view of ``graph_view``,
    under every filter."""
    from kg.query.common import graph_view
    from kg.query.paths import _walk_of

    dataset = load(FIXTURES / folder)
    relations = sorted({f.relation for f in dataset.edges})
    days = sorted({f.since.start() for f in dataset.edges if f.since})
    filters = [
        {}, {"as_of": days[0]}, {"as_of": days[len(days) // 2]}, {"as_of": days[-1]},
        {"via": relations[:2]}, {"exclude": relations[:1]}, {"kinds": ["fact", "event"]},
        {"kinds": ["claim"]},
        {"as_of": days[len(days) // 2], "via": relations[1:], "kinds": ["claim", "fact"]},
    ]
    for options in filters:
        for directed in (False, True):
            view = graph_view(dataset, options.get("as_of"), options.get("via"), options.get("exclude"),
                              options.get("kinds"))
            expected_walk, expected_hops = _networkx_walk(view, directed)
            nodes, walk, hops = _walk_of(dataset, options.get("as_of"), options.get("via", ()),
                                         options.get("exclude", ()), options.get("kinds", ()), directed)
            assert nodes == set(expected_walk.nodes), (folder, options, directed)
            assert sorted(walk.pairs()) == sorted(expected_walk.edges), (folder, options, directed)
            assert hops == expected_hops, (folder, options, directed)
            for node in nodes:
                assert sorted(walk.successors(node)) == sorted(expected_walk.successors(node))
                assert sorted(walk.predecessors(node)) == sorted(expected_walk.predecessors(node))


def test_k_shortest_equals_a_brute_force_listing() -> None:
    """Every simple path, ranked as docs/queries.md says, cut at k: by length, then tier
    (reported facts and events, claims, reference edges), then entity ids, then fact ids;
    without paths walking one record twice, nor repeats of an earlier answer."""
    import itertools

    import networkx as nx

    from kg.query.common import graph_view
    from kg.query.paths import _expand

    def tier(hop) -> int:
        return 3 if hop.fact.derived_from else 2 if hop.fact.kind == "claim" else 1

    def record(hop) -> str:
        return hop.fact.derived_from.record if hop.fact.derived_from else hop.fact.id

    def same_answer(hop) -> tuple:
        derived = hop.fact.derived_from
        if derived is None or {hop.start, hop.end} == set(derived.ends):
            return (hop.start, hop.end, record(hop))
        return (hop.start, hop.end, hop.fact.relation)

    for folder in ("query-small", "paths"):
        dataset = load(FIXTURES / folder)
        for directed in (False, True):
            walk, hops = _networkx_walk(graph_view(dataset), directed)
            for source, target in itertools.permutations(sorted(dataset.entities)[:8], 2):
                every = [p for node_path in nx.all_simple_paths(walk, source, target)
                         for p in _expand(node_path, hops)]
                every.sort(key=lambda p: (len(p), max(tier(h) for h in p),
                                          [p[0].start, *(h.end for h in p)], [h.fact.id for h in p]))
                listed, seen = [], set()
                for path in every:
                    key = tuple(same_answer(h) for h in path)
                    if len({record(h) for h in path}) == len(path) and key not in seen:
                        seen.add(key)
                        listed.append([h.fact.id for h in path])
                for k in (1, 2, 3, 7):
                    try:
                        found = find_paths(dataset, source, target, k=k, directed=directed)
                    except NoPath:
                        assert not listed
                        continue
                    assert [[h.fact.id for h in path] for path in found.paths] == listed[:k], \
                        (folder, source, target, k, directed)


# --- figures, edges by entity and role, rank by role (fixture: analysis) ---------------------------

def test_figures_sorted_and_filtered() -> None:
    from kg.query.figures import figure_json, figures

    data = load(FIXTURES / "analysis")
    assert [f.id for f in figures(data)] == [
        "gizmo--downloads--2025-09", "widget--video-length--2025-10-02", "widget-model--price--2025-10-04"]
    assert [f.id for f in figures(data, "Widget model")] == ["widget-model--price--2025-10-04"]
    assert [f.id for f in figures(data, metrics=["downloads"])] == ["gizmo--downloads--2025-09"]
    assert [f.id for f in figures(data, as_of=dt.date(2025, 10, 3))] == [
        "gizmo--downloads--2025-09", "widget--video-length--2025-10-02"]
    shown = figure_json(data, figures(data, "gizmo")[0])
    assert shown["text"] == "downloads: 1,000 downloads [2025-09] in US"
    with pytest.raises(UnknownTerm):
        figures(data, metrics=["speed"])


def test_edges_by_entity_and_role_and_rank_by_role() -> None:
    data = load(FIXTURES / "analysis")
    assert {f.id for f in edges(data, entities=["Old policy"])} == {
        "acme--has-policy--policy-old--2025-10-01", "rights-owner--opted-out-of--policy-old--2025-10-01",
        "policy-new--successor-of--policy-old--2025-10-03"}
    assert [f.id for f in edges(data, subject_roles=["rights-holder"])] == [
        "rights-owner--opted-out-of--policy-old--2025-10-01"]
    assert edges(data, object_roles=["rights-holder"]) == []
    assert [s.id for s in rank(data, roles=["rights-holder"])] == ["rights-owner"]
    with pytest.raises(UnknownTerm) as info:
        edges(data, subject_roles=["owner"])
    assert info.value.param == "subject_roles"


# --- ranked paths: one path of each tier (tests/fixtures/paths) --------------------------------

PATHS = FIXTURES / "paths"


def test_paths_rank_reported_facts_then_claims_then_references() -> None:
    data = load(PATHS)
    found = find_paths(data, "alpha", "beta", all_paths=True, max_hops=2)
    assert [(nodes(p), found.rank(data, p).tier) for p in found.paths] == [
        (["alpha", "beta"], 2),
        (["alpha", "zeta", "beta"], 1),
        (["alpha", "mid", "beta"], 2),
        (["alpha", "zeta", "beta"], 2),
        (["alpha", "critic", "beta"], 3),
    ]
    # -k takes the first of the same order.
    assert find_paths(data, "alpha", "beta", k=3).paths == found.paths[:3]


def test_a_path_walks_a_record_once_and_reference_choices_are_one_answer() -> None:
    data = load(PATHS)
    found = find_paths(data, "alpha", "beta", all_paths=True, max_hops=2)
    [through_critic] = [p for p in found.paths if nodes(p) == ["alpha", "critic", "beta"]]
    # The first of five choices of records; the likened-to claim's two references are one record.
    assert [h.fact.id for h in through_critic] == [
        "alpha--likened-to--beta--2025-10~claims~alpha", "mid--outperforms--beta--2025-10~claims~beta"]


def test_the_rank_says_why(data: Dataset) -> None:
    paths = load(PATHS)
    found = find_paths(paths, "alpha", "beta", k=5)
    reasons = [found.rank(paths, p).reason for p in found.paths]
    assert reasons[1].startswith("tier 1 of 3, reported facts and events only;")
    assert reasons[2].startswith("tier 2 of 3, uses a claim (hop 1: Alpha —outperforms→ Mid")
    assert reasons[4].startswith("tier 3 of 3, uses a reference edge (hop 1: Alpha ←claims— Critic")
    assert found.to_json(paths)["paths"][4]["tier"] == 3


def test_a_timeline_never_prints_one_line_twice() -> None:
    seeds = load(SEEDS)
    texts = [entry.to_json(seeds)["text"] for entry in timeline(seeds, "sora-app")]
    # The two App Store listings differ by region: the lines say so.
    assert "Sora app —offered-through→ App Store [2025-09-30] (region: US)" in texts
    assert len(texts) == len(set(texts))
@pytest.fixture(scope="module")
def hubs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Dataset, str, str]:
    """Generated data with hubs, and its two best-connected entities."""
    import sys

    from tests.conftest import REPO

    sys.path.insert(0, str(REPO / "bench"))
    from generate import generate

    folder = tmp_path_factory.mktemp("hubs")
    generate(3000, folder / "data", seed=7)
    dataset = load(folder / "data")
    degree: dict[str, int] = {}
    for fact in dataset.facts:
        for end in (fact.subject, fact.object):
            degree[end] = degree.get(end, 0) + 1
    first, second = sorted(degree, key=lambda e: (-degree[e], e))[:2]
    return dataset, first, second


def test_all_paths_between_hubs_stop_at_the_limit(hubs: tuple[Dataset, str, str]) -> None:
    dataset, first, second = hubs
    whole = find_paths(dataset, first, second, all_paths=True, max_hops=3, limit=None)
    assert len(whole.paths) > 50 and not whole.truncated
    cut = find_paths(dataset, first, second, all_paths=True, max_hops=3, limit=50)
    assert cut.truncated and cut.paths == whole.paths[:50]  # the first of the whole list
    assert cut.note.startswith("note: showing the first 50 paths; there are more (raise the limit "
                               "with --limit N")
    assert cut.to_json(dataset)["truncated"] is True
    fits = find_paths(dataset, first, second, all_paths=True, max_hops=3, limit=len(whole.paths))
    assert not fits.truncated and fits.paths == whole.paths and fits.note == ""
    assert len(find_paths(dataset, first, second, k=10_000, max_hops=3).paths) == 1000  # default
    with pytest.raises(KgError, match="limit must be at least 1"):
        find_paths(dataset, first, second, all_paths=True, max_hops=2, limit=0)


def test_all_paths_come_in_the_documented_order(hubs: tuple[Dataset, str, str]) -> None:
    """Shortest first, then by tier, then by entity ids, then by fact ids: the order of
    sorting every path."""
    from kg.query.paths import rank_tier

    dataset, first, second = hubs
    found = find_paths(dataset, first, second, all_paths=True, max_hops=3, limit=None).paths

    def key(path: tuple) -> tuple:
        entities = [path[0].start] + [hop.end for hop in path]
        return len(path), rank_tier(path), entities, [hop.fact.id for hop in path]

    assert found == sorted(found, key=key)
    assert len({tuple(hop.fact.id for hop in path) for path in found}) == len(found)
