"""Who is central: degree, betweenness or PageRank over the graph of facts.

- ``degree``: the number of facts the entity takes part in (either end).
- ``betweenness``: networkx's exact betweenness centrality (normalised) on the
  undirected simple graph: two entities are adjacent when any fact joins them.
- ``pagerank``: PageRank (damping 0.85) on the undirected graph, each pair
  weighted by the number of facts joining it. Relations point different ways
  (``develops`` from maker to product, ``opted-out-of`` from rights holder
  to policy), so direction says nothing about importance and is ignored.
  Computed here by power iteration, without numpy or scipy.

Scores are rounded to 6 decimals and sorted by score (highest first), then id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.data.model import Dataset
from kg.errors import KgError
from kg.query.common import check_relations, check_roles, check_types, graph_view

if TYPE_CHECKING:
    from kg.data.ontology import Ontology
    from kg.store import Store

__all__ = ["DAMPING", "METRICS", "pagerank", "rank", "rank_store", "scores_of", "Score"]

METRICS = ("degree", "betweenness", "pagerank")
DAMPING = 0.85


@dataclass(frozen=True)
class Score:
    id: str
    score: float | int
    rank: int

    def to_json(self, dataset: Dataset) -> dict[str, Any]:
        entity = dataset.entities[self.id]
        return {"rank": self.rank, "id": self.id, "label": entity.label, "type": entity.type,
                "score": self.score}


def rank(dataset: Dataset, metric: str = "degree", *, relations: Iterable[str] | None = None,
         types: Iterable[str] | None = None, limit: int | None = 10,
         as_of: dt.date | None = None, roles: Iterable[str] | None = None,
         progress: Callable[[str, int, int], None] | None = None) -> list[Score]:
    """The ``limit`` most central entities of the given types (subtypes included).

    The scores are computed on the whole graph (limited to ``relations`` and
    to ``as_of``); ``types`` and ``roles`` only choose which entities are listed
    (an entity of one of the types, if given, and with one of the roles, if given).
    """
    _check(metric, limit)
    keep_types = check_types(dataset, types)
    keep_roles = set(check_roles(dataset, roles))
    view = graph_view(dataset, as_of, check_relations(dataset, relations))
    scores = _scores(view, metric, progress)
    return _listed(scores, dataset.ontology, lambda node: dataset.entities[node].type, keep_types,
                   keep_roles, lambda ids: {i: dataset.entities[i].roles for i in ids}, limit)


def rank_store(store: Store, metric: str = "degree", *, relations: Iterable[str] | None = None,
               types: Iterable[str] | None = None, limit: int | None = 10,
               as_of: dt.date | None = None, roles: Iterable[str] | None = None,
               progress: Callable[[str, int, int], None] | None = None) -> list[Score]:
    """``rank`` on the store's edge columns (subject, object, relation, validity): the same
    scores, without reading a record; only the entities listed with ``roles`` are read."""
    _check(metric, limit)
    onto = store.ontology
    keep_types = check_types(onto, types)
    keep_roles = set(check_roles(onto, roles))
    nodes = store.entity_types(as_of)
    scores = scores_of(nodes, store.edge_ends(check_relations(onto, relations), as_of), metric,
                       progress)
    return _listed(scores, onto, nodes.__getitem__, keep_types, keep_roles,
                   lambda ids: {e.id: e.roles for e in store.entities(ids).values()}, limit)


def _check(metric: str, limit: int | None) -> None:
    if metric not in METRICS:
        raise KgError(f"metric must be one of {', '.join(METRICS)}, not {metric!r}")
    if limit is not None and limit < 1:
        raise KgError("limit must be at least 1")


def _listed(scores: dict[str, float | int], ontology: Ontology, type_of: Callable[[str], str],
            keep_types: list[str], keep_roles: set[str],
            roles_of: Callable[[list[str]], dict[str, Iterable[str]]],
            limit: int | None) -> list[Score]:
    """The best ``limit`` scores (ties by id) of entities of ``keep_types`` with one of
    ``keep_roles``; roles are looked up (``roles_of``) only for as many as it takes."""
    ordered = sorted(((node, score) for node, score in scores.items()
                      if not keep_types or ontology.is_a(type_of(node), keep_types)),
                     key=lambda item: (-item[1], item[0]))
    if keep_roles:
        kept: list[tuple[str, float | int]] = []
        for start in range(0, len(ordered), 500):
            part = ordered[start:start + 500]
            roles = roles_of([node for node, _score in part])
            kept.extend(item for item in part if keep_roles & set(roles[item[0]]))
            if limit is not None and len(kept) >= limit:
                break
        ordered = kept
    return [Score(node, score, position)
            for position, (node, score) in enumerate(ordered[:limit], start=1)]


def _scores(view: Any, metric: str,
            progress: Callable[[str, int, int], None] | None = None) -> dict[str, float | int]:
    return scores_of(view.nodes, view.edges(), metric, progress)


def scores_of(nodes: Iterable[str], edges: Iterable[tuple[str, str]], metric: str,
              progress: Callable[[str, int, int], None] | None = None) -> dict[str, float | int]:
    """The scores of ``metric`` on the graph of ``nodes`` with one (subject, object) edge per
    fact: the same whether the edges come from a graph or from the store's rows."""
    import networkx as nx

    if metric == "degree":  # as a multigraph counts it: a loop counts at both ends
        degree = dict.fromkeys(nodes, 0)
        for subject, obj in edges:
            degree[subject] += 1
            degree[obj] += 1
        return degree
    weights: dict[tuple[str, str], int] = {}
    for subject, obj in edges:
        if subject != obj:
            pair = (min(subject, obj), max(subject, obj))
            weights[pair] = weights.get(pair, 0) + 1
    if metric == "betweenness":
        simple = nx.Graph()
        simple.add_nodes_from(sorted(nodes))
        for (a, b), weight in sorted(weights.items()):
            simple.add_edge(a, b, weight=weight)
        values = nx.betweenness_centrality(simple, normalized=True)
    else:
        values = _pagerank_of(sorted(nodes), weights, progress)
    return {node: round(value, 6) + 0.0 for node, value in values.items()}


def pagerank(graph: Any, damping: float = DAMPING, tolerance: float = 1e-12,
             max_iterations: int = 1000,
             progress: Callable[[str, int, int], None] | None = None) -> dict[str, float]:
    """PageRank of an undirected graph with ``weight`` on its edges, by power iteration.

    An entity with no edges spreads its share evenly over all entities.
    """
    nodes = sorted(graph.nodes)
    strength = [sum(d.get("weight", 1) for _, _, d in graph.edges(n, data=True)) for n in nodes]
    # Each node's neighbours with their weights, sorted once rather than on every iteration.
    links = {n: [(m, graph.edges[n, m].get("weight", 1)) for m in sorted(graph.neighbors(n))]
             for n, total in zip(nodes, strength, strict=True) if total}
    return _power_iteration(nodes, strength, links, damping, tolerance, max_iterations, progress)


def _pagerank_of(nodes: list[str], weights: dict[tuple[str, str], int],
                 progress: Callable[[str, int, int], None] | None = None) -> dict[str, float]:
    """``pagerank`` of the graph of ``nodes`` (sorted) and weighted pairs (a < b), without
    building the graph: each node's neighbours come out sorted, as ``pagerank`` sorts them."""
    links: dict[str, list[tuple[str, int]]] = {}
    for (a, b), weight in sorted(weights.items()):
        links.setdefault(a, []).append((b, weight))
        links.setdefault(b, []).append((a, weight))
    strength = [sum(weight for _, weight in links.get(n, ())) for n in nodes]
    return _power_iteration(nodes, strength, links, DAMPING, 1e-12, 1000, progress)


def _power_iteration(nodes: list[str], strength: list[Any], links: dict[str, list[tuple[str, Any]]],
                     damping: float, tolerance: float, max_iterations: int,
                     progress: Callable[[str, int, int], None] | None) -> dict[str, float]:
    count = len(nodes)
    if count == 0:
        return {}
    # Positions rather than ids: the same sums in the same order, on lists.
    position = {n: i for i, n in enumerate(nodes)}
    spread = [(i, strength[i], [(position[m], weight) for m, weight in links[n]])
              for i, n in enumerate(nodes) if strength[i]]
    isolated = [i for i in range(count) if strength[i] == 0]
    score = [1.0 / count] * count
    for iteration in range(max_iterations):
        dangling = sum(score[i] for i in isolated)
        base = (1.0 - damping) / count + damping * dangling / count
        new = [base] * count
        for i, total, neighbors in spread:
            share = damping * score[i] / total
            for j, weight in neighbors:
                new[j] += share * weight
        change = sum(abs(after - before) for after, before in zip(new, score, strict=True))
        score = new
        if progress:
            progress("rank", iteration + 1, max_iterations)
        if change < tolerance * count:
            break
    if progress:
        progress("rank", max_iterations, max_iterations)
    return dict(zip(nodes, score, strict=True))
