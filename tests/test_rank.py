"""PageRank's power iteration (kg.query.rank): the gathered sums are the floats, to the last bit,
of the plain loop that spreads each node's share to its neighbours in node order."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from kg.query import rank as rank_module
from kg.query.rank import DAMPING, pagerank, scores_of


def spread_pagerank(nodes: list[str], weights: dict[tuple[str, str], float],
                    tolerance: float = 1e-12) -> dict[str, float]:
    """The reference: each node, in order, adds its share to each neighbour, in order."""
    count = len(nodes)
    position = {n: i for i, n in enumerate(nodes)}
    links: dict[int, list[tuple[int, float]]] = {}
    for (a, b), weight in sorted(weights.items()):
        links.setdefault(position[a], []).append((position[b], weight))
        if a != b:
            links.setdefault(position[b], []).append((position[a], weight))
    for around in links.values():
        around.sort()
    strength = [sum(w for _, w in links.get(i, ())) for i in range(count)]
    score = [1.0 / count] * count
    for _ in range(1000):
        dangling = 0
        for i in range(count):
            if strength[i] == 0:
                dangling += score[i]
        base = (1.0 - DAMPING) / count + DAMPING * dangling / count
        new = [base] * count
        for i in range(count):
            if strength[i]:
                share = DAMPING * score[i] / strength[i]
                for j, weight in links[i]:
                    new[j] += share * weight
        change = 0
        for after, before in zip(new, score, strict=True):
            change += abs(after - before)
        score = new
        if change < tolerance * count:
            break
    return dict(zip(nodes, score, strict=True))


def hub_graph(seed: int, nodes: int, edges: int) -> tuple[list[str], list[tuple[str, str]]]:
    """Ids that do not sort as numbers, a few hubs, parallel edges, loops and isolated nodes."""
    rng = random.Random(seed)
    ids = sorted(f"n-{rng.randrange(10 ** 6)}" for _ in range(nodes))
    ids = sorted(set(ids))
    ends = [(rng.choice(ids[:5]) if rng.random() < 0.3 else rng.choice(ids), rng.choice(ids))
            for _ in range(edges)]
    return ids, ends


@pytest.mark.parametrize("floor", [1, 4, 16, 10 ** 9])
def test_gathered_pagerank_is_the_spread_to_the_last_bit(monkeypatch, floor: int) -> None:
    # The floor decides which neighbours are gathered a column at a time and which one node at a
    # time: every split gives the same floats.
    monkeypatch.setattr(rank_module, "COLUMN_FLOOR", floor)
    ids, ends = hub_graph(7, 400, 1500)
    weights: dict[tuple[str, str], float] = {}
    for subject, obj in ends:
        if subject != obj:
            pair = (min(subject, obj), max(subject, obj))
            weights[pair] = weights.get(pair, 0) + 1
    expected = spread_pagerank(ids, weights)
    got = rank_module._pagerank_of(ids, ends)
    assert got == expected  # exact floats, not approximately
    assert scores_of(ids, ends, "pagerank") == {n: round(v, 6) + 0.0 for n, v in expected.items()}


def test_pagerank_of_a_graph_matches_the_spread_with_loops_and_float_weights() -> None:
    ids, ends = hub_graph(11, 120, 400)
    graph = nx.Graph()
    graph.add_nodes_from(ids)
    rng = random.Random(3)
    for subject, obj in ends:
        graph.add_edge(subject, obj, weight=rng.choice([1, 2, 0.5, 3.25]))
    weights = {(min(a, b), max(a, b)): d["weight"] for a, b, d in graph.edges(data=True)}
    assert any(a == b for a, b in weights)  # a loop counts once towards its node's strength
    assert pagerank(graph) == spread_pagerank(ids, weights)


def test_pagerank_of_nothing_and_of_lone_nodes() -> None:
    assert rank_module._pagerank_of([], []) == {}
    assert rank_module._pagerank_of(["a", "b"], []) == {"a": 0.5, "b": 0.5}
    assert rank_module._pagerank_of(["a", "b", "c"], [("a", "a")]) == spread_pagerank(["a", "b", "c"], {})
