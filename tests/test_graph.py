"""kg.query.graph: the typed MultiDiGraph, its time view and its restrictions."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest
from conftest import FIXTURES

import kg
from kg.data.dates import PartialDate, parse_as_of
from kg.data.load import load
from kg.data.model import Dataset, Fact
from kg.query.graph import as_of, build, incident_facts, node_attributes, restrict

GOOD = FIXTURES / "good-mini"


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load(GOOD)


@pytest.fixture(scope="module")
def graph(data: Dataset) -> nx.MultiDiGraph:
    return build(data)


def edge_keys(view: nx.MultiDiGraph) -> list[str]:
    return sorted(key for _u, _v, key in view.edges(keys=True))


def test_build_has_every_entity_and_fact(graph: nx.MultiDiGraph, data: Dataset) -> None:
    assert isinstance(graph, nx.MultiDiGraph)
    assert sorted(graph.nodes) == sorted(data.entities)
    assert edge_keys(graph) == sorted(f.id for f in data.edges)
    assert graph.graph["dataset"] is data
    assert kg.build_graph(data).number_of_edges() == 11 + 2  # facts + Kuaishou's claim references


def test_reference_edges_come_from_the_claimant(graph: nx.MultiDiGraph, data: Dataset) -> None:
    assert sorted(r.id for r in data.references) == [
        "kling--outperforms--sora-2~claims~kling", "kling--outperforms--sora-2~claims~sora-2"]
    edge = graph.edges["kuaishou", "sora-2", "kling--outperforms--sora-2~claims~sora-2"]
    assert (edge["relation"], edge["kind"], edge["derived"]) == ("claims", "claim", True)
    assert edge["fact"].derived_from.to_json() == {"record": "kling--outperforms--sora-2",
                                                   "field": "facts.claimed_by"}
    assert graph.edges["kling", "sora-2", "kling--outperforms--sora-2"]["derived"] is False


def test_node_attributes(graph: nx.MultiDiGraph, data: Dataset) -> None:
    node = graph.nodes["kling"]
    assert node["type"] == "model"
    assert node["label"] == "Kling"
    assert node["labels"] == {"en": "Kling", "zh-Hans": "可灵", "zh-Hant": "可靈"}
    assert node["aliases"] == ["Kling AI"]
    assert node["entity"] is data.entities["kling"]
    assert graph.nodes["disney"]["roles"] == ["rights-holder"]
    assert node_attributes(data.entities["sora-2"])["description"] == "A video generation model."


def test_edge_attributes_and_direction(graph: nx.MultiDiGraph, data: Dataset) -> None:
    key = "sora-app--has-policy--sora-opt-out-policy--2025-09-30"
    edge = graph.edges["sora-app", "sora-opt-out-policy", key]
    assert edge["relation"] == "has-policy"
    assert edge["kind"] == "fact"
    assert edge["symmetric"] is False
    assert (edge["since"], edge["until"]) == (PartialDate(2025, 9, 30), PartialDate(2025, 10, 3))
    assert isinstance(edge["fact"], Fact) and edge["fact"].id == key
    assert not graph.has_edge("sora-opt-out-policy", "sora-app")


def test_symmetric_flag_comes_from_the_ontology(graph: nx.MultiDiGraph) -> None:
    flags = {d["relation"]: d["symmetric"] for _u, _v, d in graph.edges(data=True)}
    assert flags["competes-with"] is True
    assert [r for r, symmetric in flags.items() if symmetric] == ["competes-with"]
    # Stored once, in the stated direction.
    assert graph.has_edge("kling", "sora-2", "kling--competes-with--sora-2--2025-10")
    assert not graph.has_edge("sora-2", "kling")


def test_parallel_edges_are_kept(graph: nx.MultiDiGraph) -> None:
    assert sorted(graph["kling"]["sora-2"]) == [
        "kling--competes-with--sora-2--2025-10", "kling--outperforms--sora-2"]


def test_as_of_hides_facts_and_entities_not_yet_there(graph: nx.MultiDiGraph) -> None:
    before = as_of(graph, dt.date(2025, 9, 15))
    # Sora 2 and the Sora app are founded 2025-09-30: hidden with every fact touching them;
    # the policy begins with the Sora app's has-policy fact of 2025-09-30. Disney and Pokemon
    # have no founded date and no fact that begins them: their start is not recorded, so they
    # are there on every date (their facts of October are not).
    assert sorted(before.nodes) == ["disney", "kling", "kuaishou", "openai", "pokemon"]
    # Kuaishou's claim is about Sora 2, not there yet: so is its reference edge.
    assert edge_keys(before) == ["kuaishou--develops--kling"]


def test_as_of_respects_since_and_until(graph: nx.MultiDiGraph) -> None:
    policy = "sora-app--has-policy--sora-opt-out-policy--2025-09-30"
    opt_out = "disney--opted-out-of--sora-opt-out-policy--2025-10"
    on_launch = edge_keys(as_of(graph, dt.date(2025, 9, 30)))
    assert policy in on_launch and opt_out not in on_launch
    assert "openai--develops--sora-2--2025-09" in on_launch
    early_october = edge_keys(as_of(graph, dt.date(2025, 10, 3)))
    assert policy in early_october and opt_out in early_october
    later = edge_keys(as_of(graph, dt.date(2025, 10, 4)))
    assert policy not in later and opt_out in later
    # --as-of 2025-10 means the end of October: every fact of the fixture but the ended policy.
    assert edge_keys(as_of(graph, parse_as_of("2025-10"))) == sorted(
        k for k in edge_keys(graph) if k != policy)


def test_as_of_is_a_view(graph: nx.MultiDiGraph) -> None:
    view = as_of(graph, dt.date(2025, 9, 1))
    assert graph.number_of_nodes() == 8 and graph.number_of_edges() == 13
    assert view.number_of_nodes() == 5
    assert view.graph["dataset"] is graph.graph["dataset"]


def test_exists_on(data: Dataset) -> None:
    assert not data.exists_on("kling", dt.date(2024, 5, 31))
    assert data.exists_on("kling", dt.date(2024, 6, 1))
    assert data.exists_from("kling") == PartialDate(2024, 6)
    assert data.existence_reason("kling") == "founded 2024-06"
    # No founded date: from the earliest fact whose relation begins it (has-policy).
    assert data.exists_from("sora-opt-out-policy") == PartialDate(2025, 9, 30)
    assert not data.exists_on("sora-opt-out-policy", dt.date(2025, 9, 29))
    assert data.existence_reason("sora-opt-out-policy") == "policy of Sora app on 2025-09-30"
    # An appearance dates when it was seen, not when the work began: its start is not recorded.
    assert data.exists_from("pokemon") is None
    assert data.exists_on("pokemon", dt.date(1900, 1, 1))
    assert data.existence_reason("pokemon") == "start not recorded"
    assert data.existence_reason("kuaishou") == "start not recorded"


def test_existence_holds_in_a_part(data: Dataset) -> None:
    # A snapshot keeps the existence dates of the whole, even once the earliest fact ended.
    later = data.as_of(dt.date(2025, 10, 4))
    assert later.exists_from("sora-opt-out-policy") == PartialDate(2025, 9, 30)


@pytest.mark.parametrize("day", [dt.date(2024, 5, 31), dt.date(2025, 9, 1), dt.date(2025, 10, 2),
                                 dt.date(2026, 1, 1)])
def test_dataset_as_of_agrees_with_the_graph_view(data: Dataset, graph: nx.MultiDiGraph,
                                                  day: dt.date) -> None:
    view = as_of(graph, day)
    snapshot = data.as_of(day)
    assert set(snapshot.entities) == set(view.nodes)
    # the graph view keeps an edge only when both ends are kept
    assert {f.id for f in snapshot.edges} == {k for _u, _v, k in view.edges(keys=True)}
    assert all(f.valid_on(day) for f in snapshot.figures)
    assert snapshot.sources == data.sources


def test_restrict_by_relation(graph: nx.MultiDiGraph) -> None:
    view = restrict(graph, relations=["develops", "competes-with"])
    assert {d["relation"] for _u, _v, d in view.edges(data=True)} == {"develops", "competes-with"}
    assert view.number_of_nodes() == 8  # relations do not drop nodes
    dropped = restrict(graph, exclude=["develops"])
    assert "develops" not in {d["relation"] for _u, _v, d in dropped.edges(data=True)}
    assert dropped.number_of_edges() == 10
    no_claims = restrict(graph, exclude=["claims"])
    assert no_claims.number_of_edges() == 11
    both = restrict(graph, relations=["develops", "competes-with"], exclude=["develops"])
    assert edge_keys(both) == ["kling--competes-with--sora-2--2025-10"]


def test_restrict_by_type_keeps_subtypes(graph: nx.MultiDiGraph) -> None:
    products = restrict(graph, types=["product"])
    assert sorted(products.nodes) == ["kling", "sora-2", "sora-app"]  # model and app are products
    assert {d["relation"] for _u, _v, d in products.edges(data=True)} == {
        "integrates", "competes-with", "outperforms"}  # the claimant is no product
    assert sorted(restrict(graph, types=["app"]).nodes) == ["sora-app"]
    assert sorted(restrict(graph, types=["organization", "policy"]).nodes) == [
        "disney", "kuaishou", "openai", "sora-opt-out-policy"]


def test_views_compose(graph: nx.MultiDiGraph) -> None:
    view = restrict(as_of(graph, dt.date(2025, 9, 15)), types=["organization", "product"])
    assert sorted(view.nodes) == ["disney", "kling", "kuaishou", "openai"]
    assert edge_keys(view) == ["kuaishou--develops--kling"]


def test_no_restriction_is_the_whole_graph(graph: nx.MultiDiGraph) -> None:
    view = restrict(graph)
    assert view.number_of_nodes() == 8 and view.number_of_edges() == 13


def test_incident_facts(graph: nx.MultiDiGraph) -> None:
    touching = sorted((fact.id, as_subject) for fact, as_subject in incident_facts(graph, "sora-2"))
    assert touching == [
        ("kling--competes-with--sora-2--2025-10", False),
        ("kling--outperforms--sora-2", False),
        ("kling--outperforms--sora-2~claims~sora-2", False),
        ("openai--announced--sora-2--2025-09-30", False),
        ("openai--develops--sora-2--2025-09", False),
        ("sora-app--integrates--sora-2", False),
    ]
    assert sorted(f.id for f, out in incident_facts(graph, "disney") if out) == [
        "disney--opted-out-of--sora-opt-out-policy--2025-10", "disney--reacted-to--sora-app--2025-10-02"]
