"""The typed graph: a networkx MultiDiGraph built from a Dataset.

Nodes are entity ids; each fact is one edge, keyed by the fact id, in the
direction it is stated, and so is each reference edge (``Dataset.references``:
a claim's holder, an entity-valued qualifier, a figure's ``measured_by`` or
``where``), marked ``derived``. Symmetric relations are stored once; ``neighbours``
and the query module walk them both ways.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

import networkx as nx

from kg.data.model import Dataset, Entity, Fact

__all__ = ["as_of", "build", "incident_facts", "node_attributes", "restrict"]


def build(dataset: Dataset) -> nx.MultiDiGraph:
    """The whole dataset as a graph; ``graph.graph['dataset']`` keeps the records."""
    graph = nx.MultiDiGraph(dataset=dataset)
    for entity in dataset.entities.values():
        graph.add_node(entity.id, **node_attributes(entity))
    for fact in dataset.edges:
        relation = dataset.ontology.relations[fact.relation]
        graph.add_edge(
            fact.subject, fact.object, key=fact.id,
            relation=fact.relation, kind=fact.kind, symmetric=relation.symmetric,
            since=fact.since, until=fact.until, fact=fact, derived=fact.derived_from is not None,
        )
    return graph


def node_attributes(entity: Entity) -> dict[str, object]:
    return {
        "type": entity.type,
        "label": entity.label,
        "labels": dict(entity.labels),
        "aliases": list(entity.aliases),
        "description": entity.description,
        "roles": list(entity.roles),
        "entity": entity,
    }


def as_of(graph: nx.MultiDiGraph, day: dt.date) -> nx.MultiDiGraph:
    """A read-only view of the graph as it stood on ``day``.

    Facts not yet (or no longer) valid are hidden, and so are entities that
    did not exist yet (``Dataset.exists_on``).
    """
    dataset: Dataset = graph.graph["dataset"]

    def keep_node(node: str) -> bool:
        return dataset.exists_on(node, day)

    def keep_edge(u: str, v: str, key: str) -> bool:
        fact = graph.edges[u, v, key]["fact"]
        # A reference is in view only while its record is: all the record's entities exist.
        ends = fact.derived_from.ends if fact.derived_from else ()
        return fact.valid_on(day) and all(dataset.exists_on(end, day) for end in ends)

    return nx.subgraph_view(graph, filter_node=keep_node, filter_edge=keep_edge)


def restrict(graph: nx.MultiDiGraph, relations: Iterable[str] | None = None,
             exclude: Iterable[str] | None = None,
             types: Iterable[str] | None = None,
             kinds: Iterable[str] | None = None) -> nx.MultiDiGraph:
    """A view with only the given relations (minus ``exclude``), entity types and fact kinds.

    ``types`` accepts subtypes of the types given (``product`` keeps apps).
    """
    keep_kinds = set(kinds) if kinds else None
    keep_rel = set(relations) if relations else None
    drop_rel = set(exclude or ())
    keep_types = list(types) if types else None
    ontology = graph.graph["dataset"].ontology

    def keep_node(node: str) -> bool:
        return keep_types is None or ontology.is_a(graph.nodes[node]["type"], keep_types)

    def keep_edge(u: str, v: str, key: str) -> bool:
        edge = graph.edges[u, v, key]
        relation = edge["relation"]
        return ((keep_rel is None or relation in keep_rel) and relation not in drop_rel
                and (keep_kinds is None or edge["kind"] in keep_kinds))

    return nx.subgraph_view(graph, filter_node=keep_node, filter_edge=keep_edge)


def incident_facts(graph: nx.MultiDiGraph, node: str) -> Iterator[tuple[Fact, bool]]:
    """Every fact touching ``node``, with True when the node is its subject."""
    for _u, _v, data in graph.out_edges(node, data=True):
        yield data["fact"], True
    for _u, _v, data in graph.in_edges(node, data=True):
        yield data["fact"], False
