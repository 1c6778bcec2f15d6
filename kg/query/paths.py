"""Paths between two entities: the shortest, the k shortest, or all up to a length.

How paths are counted
- Paths are simple (no entity twice) and measured in hops (facts walked).
- By default a fact may be walked either way; with ``directed`` only in its
  stated direction, except facts of a symmetric relation, which go both ways.
- The graph is a multigraph: two facts may join the same pair of entities.
  A path is a sequence of hops, each naming its fact, so two facts joining a
  pair give two distinct paths through it. They are found by walking the
  simple graph of entity pairs (networkx's ``shortest_simple_paths`` or
  ``all_simple_paths``) and then expanding each entity sequence into one
  path per choice of facts.
- Order: fewer hops first; ties by the sequence of entity ids, then by the
  sequence of fact ids. The same data and question always give the same list.
- A list is cut at ``limit`` paths (``DEFAULT_LIMIT``): two hubs of a large
  graph may be joined by millions of paths of a few hops. ``PathResult.truncated``
  then says so, and ``PathResult.note`` says how many are shown and how to see
  more; the paths shown are the first of the whole list, in its order.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kg.data.model import Dataset, Entity
from kg.errors import KgError
from kg.query.common import (
    Hop,
    NoResult,
    check_kinds,
    check_relations,
    entity_ref,
    graph_view,
    options_text,
)
from kg.store import Store, traverse
from kg.store.traverse import Walk

DEFAULT_LIMIT = 1000  # paths listed at most unless the caller asks for more


class NoPath(NoResult):
    """No path joins the two entities under the filters given."""


@dataclass(frozen=True)
class PathQuery:
    """A path question; ``describe()`` names the filters in force (as command-line options)."""

    source: str
    target: str
    via: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_hops: int | None = None
    k: int = 1
    all: bool = False
    directed: bool = False
    as_of: dt.date | None = None
    kinds: tuple[str, ...] = ()
    limit: int | None = DEFAULT_LIMIT

    def describe(self) -> str:
        return options_text([
            ("--via", list(self.via)), ("--exclude", list(self.exclude)),
            ("--kind", list(self.kinds)),
            ("--directed", self.directed),
            ("--as-of", self.as_of.isoformat() if self.as_of else None),
            ("--max-hops", self.max_hops),
        ])

    def to_json(self) -> dict[str, Any]:
        return {"via": list(self.via), "exclude": list(self.exclude), "max_hops": self.max_hops,
                "k": None if self.all else self.k, "all": self.all, "directed": self.directed,
                "as_of": self.as_of.isoformat() if self.as_of else None, "kinds": list(self.kinds),
                "limit": self.limit}


@dataclass
class PathResult:
    query: PathQuery
    source: Entity
    target: Entity
    paths: list[tuple[Hop, ...]] = field(default_factory=list)
    truncated: bool = False  # more paths than ``query.limit`` answer the question

    @property
    def note(self) -> str:
        """What a cut list leaves out, and how to see more ("" when nothing was cut)."""
        if not self.truncated:
            return ""
        return (f"note: showing the first {len(self.paths):,} paths; there are more (raise the "
                "limit with --limit N, or narrow the question with --max-hops, --via or --exclude)")

    def to_json(self, dataset: Dataset, explain: bool = False) -> dict[str, Any]:
        """The documented JSON contract (docs/queries.md); extra keys may be added, never removed."""
        return {
            "from": entity_ref(dataset, self.source.id),
            "to": entity_ref(dataset, self.target.id),
            "filters": self.query.to_json(),
            "paths": [{"length": len(path), "hops": [hop.to_json(dataset, explain) for hop in path]}
                      for path in self.paths],
            "truncated": self.truncated,
        }


def find_paths(dataset: Dataset, source: str, target: str, *, via: Iterable[str] | None = None,
               exclude: Iterable[str] | None = None, max_hops: int | None = None, k: int = 1,
               all_paths: bool = False, directed: bool = False,
               as_of: dt.date | None = None, kinds: Iterable[str] | None = None,
               limit: int | None = DEFAULT_LIMIT) -> PathResult:
    """Paths from ``source`` to ``target`` (ids, labels or aliases), shortest first.

    ``k`` paths at most, or with ``all_paths`` every simple path of at most
    ``max_hops`` hops (then required); in both cases at most ``limit`` (None: no
    limit), the result then marked ``truncated``. Raises LookupFailed for an
    unknown entity, UnknownTerm for an unknown relation, NoPath when none is found.
    """
    query = PathQuery(
        source=dataset.resolve(source).id, target=dataset.resolve(target).id,
        via=tuple(check_relations(dataset, via, "via")),
        exclude=tuple(check_relations(dataset, exclude, "exclude")),
        max_hops=max_hops, k=k, all=all_paths, directed=directed, as_of=as_of,
        kinds=tuple(check_kinds(dataset, kinds, "kinds")), limit=limit,
    )
    if limit is not None and limit < 1:
        raise KgError("limit must be at least 1")
    if query.source == query.target:
        raise KgError(f"the two ends are the same entity ({dataset.label(query.source)})")
    if k < 1:
        raise KgError("k must be at least 1")
    if max_hops is not None and max_hops < 1:
        raise KgError("max_hops must be at least 1")
    if all_paths and max_hops is None:
        raise KgError("all paths needs a bound: give max_hops")
    view = graph_view(dataset, as_of, query.via, query.exclude, query.kinds)
    missing = [n for n in (query.source, query.target) if n not in view]
    walk, hops = _walk_graph(view, directed)
    paths: list[tuple[Hop, ...]] = []
    # One path past the limit is looked for: it tells a cut list from one that just fits.
    wanted = None if limit is None else limit + 1
    if not missing:
        if all_paths:
            assert max_hops is not None
            paths = _all_paths(walk, hops, query.source, query.target, max_hops, wanted)
        else:
            paths = _k_shortest(walk, hops, query.source, query.target,
                                k if wanted is None else min(k, wanted), max_hops)
    if not paths:
        raise NoPath(_no_path_message(dataset, query, missing))
    truncated = limit is not None and len(paths) > limit
    return PathResult(query, dataset.entities[query.source], dataset.entities[query.target],
                      paths[:limit] if truncated else paths, truncated)


def _no_path_message(dataset: Dataset, query: PathQuery, missing: list[str]) -> str:
    text = f"no path from {dataset.label(query.source)} to {dataset.label(query.target)}"
    filters = query.describe()
    if filters:
        text += f" with {filters}"
    if missing:
        names = " and ".join(dataset.label(n) for n in missing)
        text += f" ({names} not in the graph on that date)"
    return text


def _walk_graph(view: Any, directed: bool) -> tuple[Any, dict[tuple[str, str], list[Hop]]]:
    """The simple directed graph of walkable entity pairs, and the hops joining each pair."""
    import networkx as nx

    hops: dict[tuple[str, str], list[Hop]] = {}
    for subject, obj, data in view.edges(data=True):
        if subject == obj:
            continue
        fact = data["fact"]
        hops.setdefault((subject, obj), []).append(Hop(subject, obj, fact))
        if not directed or data["symmetric"]:
            hops.setdefault((obj, subject), []).append(Hop(obj, subject, fact))
    walk = nx.DiGraph()
    walk.add_nodes_from(sorted(view.nodes))
    for pair in sorted(hops):
        hops[pair].sort(key=Hop.sort_key)
        walk.add_edge(*pair)
    return walk, hops


def _pairs(node_path: list[str]) -> list[tuple[str, str]]:
    return list(zip(node_path[:-1], node_path[1:], strict=True))


def _expand(node_path: list[str], hops: dict[tuple[str, str], list[Hop]]) -> Iterator[tuple[Hop, ...]]:
    """Every choice of facts along a sequence of entities, in fact-id order."""
    return itertools.product(*(hops[pair] for pair in _pairs(node_path)))


def _count(node_path: list[str], hops: dict[tuple[str, str], list[Hop]]) -> int:
    return math.prod(len(hops[pair]) for pair in _pairs(node_path))


def _all_paths(walk: Any, hops: dict, source: str, target: str, max_hops: int,
               limit: int | None = None) -> list[tuple[Hop, ...]]:
    """Every simple path of at most ``max_hops`` hops in the documented order, or its first
    ``limit``: found length by length, each length by a depth-first walk that tries
    neighbours in id order (so entity sequences come in order without sorting them all)
    and never enters an entity from which the target is out of reach in the hops left."""
    distance = _distances_to(walk, target, max_hops)
    if source not in distance:
        return []
    paths: list[tuple[Hop, ...]] = []
    for length in range(distance[source], max_hops + 1):
        for node_path in _simple_paths_of_length(walk, source, target, length, distance):
            for path in _expand(node_path, hops):
                paths.append(path)
                if limit is not None and len(paths) >= limit:
                    return paths
    return paths


def _distances_to(walk: Any, target: str, bound: int) -> dict[str, int]:
    """Hops from each entity to ``target`` (walking the graph's edges), up to ``bound``."""
    distance = {target: 0}
    frontier = [target]
    for hop in range(1, bound + 1):
        following = []
        for node in frontier:
            for previous in walk.predecessors(node):
                if previous not in distance:
                    distance[previous] = hop
                    following.append(previous)
        frontier = following
    return distance


def _simple_paths_of_length(walk: Any, source: str, target: str, length: int,
                            distance: dict[str, int]) -> Iterator[list[str]]:
    """The entity sequences of exactly ``length`` hops from ``source`` to ``target`` without
    an entity twice, in id order."""
    path = [source]
    on_path = {source}
    # A stack of iterators over the neighbours still to try at each depth.
    stack = [iter(sorted(walk.successors(source)))]
    while stack:
        step = next(stack[-1], None)
        if step is None:
            stack.pop()
            on_path.discard(path.pop())
            continue
        left = length - len(path)  # hops left after stepping to ``step``
        if step in on_path or distance.get(step, length + 1) > left:
            continue
        if step == target:
            if left == 0:
                yield [*path, step]
            continue
        if left == 0:
            continue
        path.append(step)
        on_path.add(step)
        stack.append(iter(sorted(walk.successors(step))))


def _shortest_in_order(walk: Any, hops: dict, source: str, target: str, k: int,
                       max_hops: int | None) -> list[tuple[Hop, ...]] | None:
    """The first ``k`` paths when they are all of the shortest length, else None.

    Every shortest path steps to an entity one hop nearer the target, so a
    depth-first walk that tries the nearer neighbours in id order meets the
    shortest entity sequences in the documented order, and stops after ``k``
    paths: a graph with hubs may join two entities by millions of equally
    short paths, and none of the others needs to be listed.
    """
    distance = {target: 0}
    frontier = [target]
    while frontier and source not in distance:
        following = []
        for node in frontier:
            for previous in walk.predecessors(node):
                if previous not in distance:
                    distance[previous] = distance[node] + 1
                    following.append(previous)
        frontier = following
    if source not in distance or (max_hops is not None and distance[source] > max_hops):
        return []
    paths: list[tuple[Hop, ...]] = []
    stack = [[source]]
    while stack:
        node_path = stack.pop()
        node = node_path[-1]
        if node == target:
            for path in _expand(node_path, hops):
                paths.append(path)
                if len(paths) == k:
                    return paths
            continue
        nearer = sorted((n for n in walk.successors(node) if distance.get(n) == distance[node] - 1),
                        reverse=True)  # popped smallest first
        stack.extend([*node_path, n] for n in nearer)
    return None  # fewer than k shortest paths: longer ones are needed too


def _k_shortest(walk: Any, hops: dict, source: str, target: str, k: int,
                max_hops: int | None) -> list[tuple[Hop, ...]]:
    """The first ``k`` paths in the documented order.

    networkx yields entity sequences by length but breaks ties its own way,
    so each length is collected whole and sorted before ``k`` is applied.
    """
    import networkx as nx

    shortest = _shortest_in_order(walk, hops, source, target, k, max_hops)
    if shortest is not None:
        return shortest

    found: list[list[str]] = []
    count = 0
    try:
        for node_path in nx.shortest_simple_paths(walk, source, target):
            length = len(node_path) - 1
            if max_hops is not None and length > max_hops:
                break
            if count >= k and length > len(found[-1]) - 1:
                break
            found.append(node_path)
            count += _count(node_path, hops)
    except nx.NetworkXNoPath:
        pass
    found.sort(key=lambda p: (len(p), p))
    paths: list[tuple[Hop, ...]] = []
    for node_path in found:
        for path in _expand(node_path, hops):
            if len(paths) == k:
                return paths
            paths.append(path)
    return paths


def path_subset(store: Store, source: str, target: str, walk: Walk, *, k: int = 1,
                all_paths: bool = False, max_hops: int | None = None,
                limit: int | None = DEFAULT_LIMIT) -> Dataset:
    """The records a path question between two entity ids needs (for at most ``limit``
    paths, and the one past it that tells a cut list)."""
    ends = {source, target}
    if limit is not None:
        k = min(k, limit + 1)
    if all_paths:
        assert max_hops is not None
        nodes = traverse.ball_union(store, source, target, max_hops // 2, walk)
        if nodes is None:
            return store.dataset()
        return store.subset(traverse.facts_among(store, nodes), nodes | ends)
    on_path = traverse.shortest_path_entities(store, source, target, walk, max_hops)
    if on_path is None:
        return store.subset([], ends)
    subset = store.subset(traverse.facts_among(store, on_path), on_path | ends)
    if k == 1:
        return subset
    # Enough paths of the shortest length? They come first, so the answer is final.
    try:
        found = find_paths(subset, source, target, k=k, directed=walk.directed, as_of=walk.as_of,
                           via=sorted(walk.via), exclude=sorted(walk.exclude), kinds=sorted(walk.kinds),
                           max_hops=max_hops, limit=None)
        length = len(found.paths[0])
        # The subset holds every shortest path but not every longer one.
        if len(found.paths) >= k and len(found.paths[k - 1]) == length:
            return subset
    except NoPath:
        return subset
    bound = length + 1
    while max_hops is None or bound <= max_hops:
        nodes = traverse.ball_union(store, source, target, bound // 2, walk)
        if nodes is None:
            return store.dataset()
        subset = store.subset(traverse.facts_among(store, nodes), nodes | ends)
        if traverse.exhausted(store, source, target, bound // 2, walk):
            return subset
        found = find_paths(subset, source, target, k=k, directed=walk.directed, as_of=walk.as_of,
                           via=sorted(walk.via), exclude=sorted(walk.exclude), kinds=sorted(walk.kinds),
                           max_hops=bound, limit=None)
        if len(found.paths) >= k:
            return subset
        bound += 1
    return subset
