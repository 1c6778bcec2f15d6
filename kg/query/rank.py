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
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce
from itertools import repeat
from operator import add, itemgetter, mul, sub, truediv
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
    if metric == "degree":  # as a multigraph counts it: a loop counts at both ends
        degree = dict.fromkeys(nodes, 0)
        for subject, obj in edges:
            degree[subject] += 1
            degree[obj] += 1
        return degree
    if metric == "pagerank":
        values = _pagerank_of(sorted(nodes), edges, progress)
        return {node: round(value, 6) + 0.0 for node, value in values.items()}
    import networkx as nx  # betweenness only: PageRank and degree do without it

    weights: dict[tuple[str, str], int] = {}
    for subject, obj in edges:
        if subject != obj:
            pair = (min(subject, obj), max(subject, obj))
            weights[pair] = weights.get(pair, 0) + 1
    simple = nx.Graph()
    simple.add_nodes_from(sorted(nodes))
    for (a, b), weight in sorted(weights.items()):
        simple.add_edge(a, b, weight=weight)
    values = nx.betweenness_centrality(simple, normalized=True)
    return {node: round(value, 6) + 0.0 for node, value in values.items()}


def pagerank(graph: Any, damping: float = DAMPING, tolerance: float = 1e-12,
             max_iterations: int = 1000,
             progress: Callable[[str, int, int], None] | None = None) -> dict[str, float]:
    """PageRank of an undirected graph with ``weight`` on its edges, by power iteration.

    An entity with no edges spreads its share evenly over all entities.
    """
    nodes = sorted(graph.nodes)
    position = {n: i for i, n in enumerate(nodes)}
    strength = [sum(d.get("weight", 1) for _, _, d in graph.edges(n, data=True)) for n in nodes]
    sources: list[list[int]] = []
    weights: list[list[Any]] = []
    for n in nodes:
        around = sorted(position[m] for m in graph.neighbors(n))
        sources.append(around)
        weights.append([graph.edges[n, nodes[m]].get("weight", 1) for m in around])
    return _power_iteration(nodes, strength, sources, weights, damping, tolerance, max_iterations,
                            progress)


def _pagerank_of(nodes: list[str], edges: Iterable[tuple[str, str]],
                 progress: Callable[[str, int, int], None] | None = None) -> dict[str, float]:
    """``pagerank`` of the graph of ``nodes`` (sorted) with one (subject, object) edge per fact,
    each pair weighted by its number of facts, without building the graph."""
    count = len(nodes)
    position = {n: i for i, n in enumerate(nodes)}.__getitem__
    # A pair of positions a < b as one integer: counted, then sorted, as ints (the sorted
    # positions are the sorted ids, so every neighbour list comes out sorted).
    pairs: Counter[int] = Counter()
    for subject, obj in edges:
        if subject != obj:
            a, b = position(subject), position(obj)
            pairs[a * count + b if a < b else b * count + a] += 1
    sources: list[list[int]] = [[] for _ in range(count)]
    counts: list[list[int]] = [[] for _ in range(count)]
    for pair, weight in sorted(pairs.items()):
        a, b = divmod(pair, count)
        sources[a].append(b)
        counts[a].append(weight)
        sources[b].append(a)
        counts[b].append(weight)
    strength = [sum(weights) for weights in counts]
    return _power_iteration(nodes, strength, sources, counts, DAMPING,
                            1e-12, 1000, progress)


# A neighbour position gathered by all nodes that have one (see ``_power_iteration``) while at
# least this many nodes have it; the few nodes with more neighbours gather the rest one by one.
COLUMN_FLOOR = 16


def _power_iteration(nodes: list[str], strength: list[Any], sources: list[list[int]],
                     weights: list[list[Any]], damping: float, tolerance: float,
                     max_iterations: int,
                     progress: Callable[[str, int, int], None] | None) -> dict[str, float]:
    """Power iteration over each node's neighbours (``sources``: positions, ascending, with
    their ``weights``).

    Each node's new score is the base plus its neighbours' shares (times the pair's weight)
    added in ascending position: the additions, and their order, of spreading each node's
    share to its neighbours in node order, so the same floats to the last bit. The loops run in
    C: the nodes, longest neighbour list first, gather their first neighbour's share in one
    ``map``, then their second, and so on while ``COLUMN_FLOOR`` nodes are left; the rest is
    gathered node by node with ``reduce``. (``sum`` is kept out of the gather: from Python
    3.12 it compensates rounding, which would change the last bits.)
    """
    count = len(nodes)
    if count == 0:
        return {}
    order = sorted(range(count), key=lambda node: -len(sources[node]))  # stable: ties by position
    unorder = [0] * count
    for place, node in enumerate(order):
        unorder[node] = place
    lengths = [len(sources[node]) for node in order]
    columns: list[tuple[int, Callable[[Any], Any], list[Any] | None]] = []
    depth, reach = 0, count
    while True:
        # The nodes with a neighbour at this depth: a prefix of ``order``, shorter each time.
        while reach and lengths[reach - 1] <= depth:
            reach -= 1
        if reach < COLUMN_FLOOR:
            break
        gathered = [sources[node][depth] for node in order[:reach]]
        factors = [weights[node][depth] for node in order[:reach]]
        columns.append((reach, itemgetter(*gathered), _unless_ones(factors)))
        depth += 1
    rest = [(place, sources[node][depth:], _unless_ones(weights[node][depth:]))
            for place, node in enumerate(order) if len(sources[node]) > depth]
    isolated = [i for i in range(count) if strength[i] == 0]
    divisors = [total or 1 for total in strength]  # an isolated node's share is never gathered
    score = [1.0 / count] * count
    for iteration in range(max_iterations):
        dangling = sum(map(score.__getitem__, isolated))
        base = (1.0 - damping) / count + damping * dangling / count
        # In an array of doubles (the same values): the gathers read it at random places, and
        # it is a third the memory of a list of floats.
        shares = array("d", map(truediv, map(mul, repeat(damping, count), score), divisors))
        gathering = [base] * count
        for reach, gather, factors in columns:
            found = gather(shares)
            gathering[:reach] = map(add, gathering, found if factors is None else map(mul, found, factors))
        share_of = shares.__getitem__
        for place, around, factors in rest:
            found = map(share_of, around)
            gathering[place] = reduce(add, found if factors is None else map(mul, found, factors),
                                      gathering[place])
        new = list(map(gathering.__getitem__, unorder))
        change = sum(map(abs, map(sub, new, score)))
        score = new
        if progress:
            progress("rank", iteration + 1, max_iterations)
        if change < tolerance * count:
            break
    if progress:
        progress("rank", max_iterations, max_iterations)
    return dict(zip(nodes, score, strict=True))


def _unless_ones(weights: list[Any]) -> list[Any] | None:
    """The weights, or None when all are 1 (a share times 1 is the share: no product needed)."""
    return None if all(weight == 1 for weight in weights) else weights
