"""Paths between two entities: the shortest, the k shortest, or all up to a length.

How paths are counted
- Paths are simple (no entity twice) and measured in hops (facts walked).
- By default a fact may be walked either way; with ``directed`` only in its
  stated direction, except facts of a symmetric relation, which go both ways.
- The graph is a multigraph: two facts may join the same pair of entities.
  A path is a sequence of hops, each naming its fact, so two facts joining a
  pair give two distinct paths through it. They are found by walking the
  simple graph of entity pairs (adjacency lists built from the records; networkx's
  ``shortest_simple_paths`` only when k paths need more than the shortest length)
  and then expanding each entity sequence into one
  path per choice of facts.
- A path never walks one record twice: a claim and a reference edge derived
  from it, or two reference edges of one record, are one record.
- Order: fewer hops first; among paths of one length, by tier (``rank_tier``):
  1, only reported facts and events; 2, using a claim; 3, using a reference
  edge; then by the sequence of entity ids, then by the sequence of fact ids.
  The same data and question always give the same list.
- Paths that differ only by which reference edge of one relation they walk
  between the same two entities (the holder of several claims about both),
  or by walking a reference edge that restates its own record instead of the
  record, are one answer: the first in that order is kept.

The top ``k`` are found tier by tier: the first ``k`` answers of the graph
restricted to hops of tier 1, of tiers 1-2, and of every tier (each in the
order of length, entity ids, fact ids) hold the first ``k`` answers of all;
the restricted searches go no longer than the k-th answer of every tier.
- A list is cut at ``limit`` paths (``DEFAULT_LIMIT``): two hubs of a large
  graph may be joined by millions of paths of a few hops. ``PathResult.truncated``
  then says so, and ``PathResult.note`` says how many are shown and how to see
  more; the paths shown are the first of the whole list, in its order.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kg.data.model import Dataset, Entity, Fact
from kg.errors import KgError, NoPath
from kg.query.common import (
    Hop,
    check_kinds,
    check_relations,
    entity_ref,
    options_text,
)
from kg.store import Store, traverse
from kg.store.traverse import Walk
from kg.util.yamlsafe import Loc

__all__ = ["DEFAULT_LIMIT", "find_paths", "path_json", "path_subset", "PathQuery", "PathResult",
           "PathStream", "stream_all_paths", "stream_store_paths"]

DEFAULT_LIMIT = 1000  # paths listed at most unless the caller asks for more


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


# A path's tier (1, 2, 3): the worst of its hops (``hop_tier``). At equal length, lower first.
TIERS = {1: "reported facts and events only", 2: "uses a claim", 3: "uses a reference edge"}


def hop_tier(hop: Hop) -> int:
    """1 for a reported fact or event, 2 for a claim, 3 for a reference edge."""
    if hop.fact.derived_from is not None:
        return 3
    return 2 if hop.fact.kind == "claim" else 1


def rank_tier(path: tuple[Hop, ...]) -> int:
    return max((hop_tier(hop) for hop in path), default=1)


def _record(hop: Hop) -> str:
    """The record a hop walks: its fact, or the fact or figure a reference edge comes from."""
    derived = hop.fact.derived_from
    return derived.record if derived is not None else hop.fact.id


def _hop_key(hop: Hop) -> tuple[str, ...]:
    """What makes two hops the same answer (see the module's documentation)."""
    derived = hop.fact.derived_from
    if derived is None:
        return (hop.start, hop.end, hop.fact.id)
    if {hop.start, hop.end} == set(derived.ends):  # the holder is an end of its own record
        return (hop.start, hop.end, derived.record)
    return (hop.start, hop.end, "reference", hop.fact.relation)


def _walks_a_record_twice(path: tuple[Hop, ...]) -> bool:
    records = [_record(hop) for hop in path]
    return len(set(records)) < len(records)


def _order_key(path: tuple[Hop, ...]) -> tuple[Any, ...]:
    return (len(path), rank_tier(path), [path[0].start, *(h.end for h in path)],
            [h.fact.id for h in path])


@dataclass(frozen=True)
class PathRank:
    """Why a path ranks where it does: its tier, and the hop that sets it."""

    tier: int
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"tier": self.tier, "reason": self.reason}


def path_rank(dataset: Dataset, path: tuple[Hop, ...]) -> PathRank:
    """The tier of a path and a sentence saying why (for ``kg path --explain``)."""
    from kg.data import phrases

    tier = rank_tier(path)
    text = f"tier {tier} of {len(TIERS)}, {TIERS[tier]}"
    if tier > 1:
        number, hop = next((n, h) for n, h in enumerate(path, start=1) if hop_tier(h) == tier)
        text += f" (hop {number}: {phrases.fact_line(dataset, hop.fact, start=hop.start)})"
    text += "; paths of one length rank by tier, then by entity ids and fact ids"
    return PathRank(tier, text)


@dataclass
class PathResult:
    query: PathQuery
    source: Entity
    target: Entity
    paths: list[tuple[Hop, ...]] = field(default_factory=list)
    # Hops of the shortest path in the filtered graph, before any path is set aside as a
    # repeat (so the store knows whether the records it read hold the answer).
    distance: int | None = None
    # The records the paths were found in: enough to phrase every hop and its sources.
    dataset: Dataset | None = field(default=None, repr=False, compare=False)
    truncated: bool = False  # more paths than ``query.limit`` answer the question

    @property
    def note(self) -> str:
        """What a cut list leaves out, and how to see more ("" when nothing was cut)."""
        return _cut_note(len(self.paths)) if self.truncated else ""

    def rank(self, dataset: Dataset | None, path: tuple[Hop, ...]) -> PathRank:
        """Why the path ranks where it does among paths of its length."""
        return path_rank(dataset or self.dataset, path)

    def head_json(self) -> dict[str, Any]:
        """The keys of ``to_json`` before ``paths``: the ends and the filters."""
        assert self.dataset is not None
        return _head_json(self.dataset, self.query, self.source, self.target)

    def to_json(self, dataset: Dataset | None = None, explain: bool = False) -> dict[str, Any]:
        """The documented JSON contract (docs/queries.md); extra keys may be added, never removed."""
        dataset = dataset or self.dataset
        return {**_head_json(dataset, self.query, self.source, self.target),
                "paths": [path_json(dataset, path, explain) for path in self.paths],
                "truncated": self.truncated}


def _head_json(dataset: Dataset, query: PathQuery, source: Entity, target: Entity) -> dict[str, Any]:
    """The keys of a path answer's JSON before its paths."""
    return {"from": entity_ref(dataset, source.id), "to": entity_ref(dataset, target.id),
            "filters": query.to_json()}


def path_json(dataset: Dataset, path: tuple[Hop, ...], explain: bool = False) -> dict[str, Any]:
    """One path of a path answer's JSON (``PathResult.to_json``): its length, rank and hops."""
    return {"length": len(path), **path_rank(dataset, path).to_json(),
            "hops": [hop.to_json(dataset, explain) for hop in path]}


def _cut_note(shown: int) -> str:
    return (f"note: showing the first {shown:,} paths; there are more (raise the "
            "limit with --limit N, or narrow the question with --max-hops, --via or --exclude)")


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
    query = _checked_query(dataset, source, target, via=via, exclude=exclude, max_hops=max_hops,
                           k=k, all_paths=all_paths, directed=directed, as_of=as_of, kinds=kinds,
                           limit=limit)
    nodes, walk, hops = _walk_of(dataset, as_of, query.via, query.exclude, query.kinds, directed)
    missing = [n for n in (query.source, query.target) if n not in nodes]
    paths: list[tuple[Hop, ...]] = []
    distance = None
    # One path past the limit is looked for: it tells a cut list from one that just fits.
    wanted = None if limit is None else limit + 1
    if not missing:
        distance = _hops_between(walk, query.source, query.target)
    if distance is not None:
        if all_paths:
            assert max_hops is not None
            paths = _all_paths(walk, hops, query.source, query.target, max_hops, wanted)
        else:
            count = k if wanted is None else min(k, wanted)
            # Every hop first: its k-th answer bounds the length of the k best (there are k
            # answers that short), so the searches restricted to lower tiers go no further.
            found = _k_shortest(walk, hops, query.source, query.target, count, max_hops)
            bound = len(found[-1]) if len(found) >= count else max_hops
            present = {hop_tier(h) for pair in hops.values() for h in pair}
            for tier in sorted(present)[:-1]:
                tier_walk, tier_hops = _restricted_adjacency(hops, tier)
                found.extend(_k_shortest(tier_walk, tier_hops, query.source, query.target, count,
                                         bound))
            paths = _ranked(found)[:count]
    if not paths:
        raise NoPath(_no_path_message(dataset, query, missing))
    truncated = limit is not None and len(paths) > limit
    return PathResult(query, dataset.entities[query.source], dataset.entities[query.target],
                      paths[:limit] if truncated else paths, distance=distance, dataset=dataset,
                      truncated=truncated)


def _checked_query(dataset: Dataset, source: str, target: str, *, via: Iterable[str] | None,
                   exclude: Iterable[str] | None, max_hops: int | None, k: int, all_paths: bool,
                   directed: bool, as_of: dt.date | None, kinds: Iterable[str] | None,
                   limit: int | None) -> PathQuery:
    """The question, its names resolved and its terms and bounds checked."""
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
    return query


@dataclass
class PathStream:
    """The paths of an ``all_paths`` question, found one at a time in the documented order
    (``stream_all_paths``): iterate it once. At most ``query.limit`` paths come out;
    ``truncated`` is then set when there were more, ``count`` says how many came."""

    query: PathQuery
    source: Entity
    target: Entity
    dataset: Dataset
    found: Iterator[tuple[Hop, ...]] = field(repr=False)
    missing: list[str] = field(default_factory=list)
    count: int = 0
    truncated: bool = False
    # The records that phrase one path (None: ``dataset`` holds those of every path).
    path_records: Callable[[tuple[Hop, ...]], Dataset] | None = field(default=None, repr=False)

    def records(self, path: tuple[Hop, ...]) -> Dataset:
        """The records a path's hops are phrased with (labels, sources)."""
        return self.dataset if self.path_records is None else self.path_records(path)

    def __iter__(self) -> Iterator[tuple[Hop, ...]]:
        for path in self.found:
            if self.query.limit is not None and self.count >= self.query.limit:
                self.truncated = True  # the one past the limit tells a cut list
                return
            self.count += 1
            yield path

    @property
    def note(self) -> str:
        """What a cut list leaves out (as ``PathResult.note``; "" when nothing was cut)."""
        return _cut_note(self.count) if self.truncated else ""

    def no_path(self) -> NoPath:
        """The error to raise when no path came out."""
        return NoPath(_no_path_message(self.dataset, self.query, self.missing))

    def head_json(self) -> dict[str, Any]:
        """The keys of ``PathResult.to_json`` before ``paths``: the ends and the filters."""
        return _head_json(self.dataset, self.query, self.source, self.target)

    def path_json(self, path: tuple[Hop, ...], explain: bool = False) -> dict[str, Any]:
        """One path as ``PathResult.to_json`` lists it."""
        return path_json(self.records(path), path, explain)


def stream_all_paths(dataset: Dataset, source: str, target: str, *, max_hops: int,
                     via: Iterable[str] | None = None, exclude: Iterable[str] | None = None,
                     directed: bool = False, as_of: dt.date | None = None,
                     kinds: Iterable[str] | None = None,
                     limit: int | None = DEFAULT_LIMIT) -> PathStream:
    """Every simple path of at most ``max_hops`` hops from ``source`` to ``target``, as
    ``find_paths(..., all_paths=True)`` lists them, but handed out as each is found: two hubs
    may be joined by millions of paths, and the first are shown while the search goes on."""
    query = _checked_query(dataset, source, target, via=via, exclude=exclude, max_hops=max_hops,
                           k=1, all_paths=True, directed=directed, as_of=as_of, kinds=kinds,
                           limit=limit)
    nodes, walk, hops = _walk_of(dataset, as_of, query.via, query.exclude, query.kinds, directed)
    missing = [n for n in (query.source, query.target) if n not in nodes]
    found: Iterator[tuple[Hop, ...]] = iter(())
    if not missing:
        found = _iter_all_paths(walk, hops, query.source, query.target, max_hops)
    return PathStream(query, dataset.entities[query.source], dataset.entities[query.target],
                      dataset, found, missing)


def stream_store_paths(store: Store, source: str, target: str, walk: Walk, *, max_hops: int,
                       limit: int | None = DEFAULT_LIMIT, via: Iterable[str] | None = None,
                       exclude: Iterable[str] | None = None,
                       kinds: Iterable[str] | None = None) -> PathStream | None:
    """``stream_all_paths`` between two entity ids, searched on the store's columns: the
    search reads ids, relations, kinds and dates of the facts that may lie on a path of at
    most ``max_hops`` hops (``traverse.rows_on_paths``) and decodes only the reference edges
    (their records decide which paths are repeats) and, as each path is handed out, its own
    facts. A hub's thousands of other facts are never decoded. The paths of one hop (the
    facts joining the two ends) come first, read alone: the rest of the balls is read only
    when more paths are asked for (two hubs may be joined by more facts than the limit).
    None when the balls around the two ends outgrow ``traverse.BALL_LIMIT`` (answer on the
    whole dataset then)."""
    nodes = traverse.ball_union(store, source, target, max_hops // 2, walk)
    if nodes is None:
        return None
    ends = store.subset([], {source, target})
    # The filters as asked (``via`` and the others, in their order), as ``find_paths`` keeps them.
    query = _checked_query(ends, source, target, via=sorted(walk.via) if via is None else via,
                           exclude=sorted(walk.exclude) if exclude is None else exclude,
                           max_hops=max_hops, k=1, all_paths=True, directed=walk.directed,
                           as_of=walk.as_of, kinds=sorted(walk.kinds) if kinds is None else kinds,
                           limit=limit)
    missing: list[str] = []
    if walk.as_of is not None:  # as ``graph.as_of``: only entities that existed then
        existing = store.exists_on({source, target}, walk.as_of)
        missing = [end for end in (source, target) if end not in existing]

    def paths_among(among: set[str], shortest: int, longest: int) -> Iterator[tuple[Hop, ...]]:
        """The paths of ``shortest`` to ``longest`` hops, searched on the facts among ``among``
        (which must hold every such path)."""
        rows = traverse.rows_on_paths(store, among, source, target, walk, longest)
        references = {f.id: f for f in store.facts_by_id(row[0] for row in rows if row[5])}
        if walk.as_of is not None:  # as ``graph.as_of``: entities that existed, references
            # whose record's entities all existed (validity is in the walk's own test of each row)
            named = {source, target, *(end for row in rows for end in row[1:3]),
                     *(end for f in references.values() if f.derived_from for end in f.derived_from.ends)}
            existing = store.exists_on(named, walk.as_of)
            rows = [row for row in rows if row[1] in existing and row[2] in existing and (
                not row[5] or all(end in existing for end in references[row[0]].derived_from.ends))]
        hops: dict[tuple[str, str], list[Hop]] = {}
        for fact_id, subject, obj, relation, kind, derived, symmetric in rows:
            fact = references[fact_id] if derived else _fact_of_columns(fact_id, subject, relation, obj, kind)
            hops.setdefault((subject, obj), []).append(Hop(subject, obj, fact))
            if not walk.directed or symmetric:
                hops.setdefault((obj, subject), []).append(Hop(obj, subject, fact))
        for found in hops.values():
            found.sort(key=Hop.sort_key)
        yield from _iter_all_paths(_Adjacency(hops), hops, source, target, longest, shortest)

    def every_path() -> Iterator[tuple[Hop, ...]]:
        # Paths of different lengths are never repeats of each other: the two searches
        # together list what one search of every length lists, in the same order.
        yield from paths_among({source, target}, 1, 1)
        if max_hops > 1:
            yield from paths_among(nodes, 2, max_hops)

    def decoded(paths: Iterator[tuple[Hop, ...]]) -> Iterator[tuple[Hop, ...]]:
        for path in paths:
            facts = {f.id: f for f in store.facts_by_id(hop.fact.id for hop in path)}
            yield tuple(Hop(hop.start, hop.end, facts[hop.fact.id]) for hop in path)

    def records(path: tuple[Hop, ...]) -> Dataset:
        return store.subset([hop.fact for hop in path], {source, target})

    found = iter(()) if missing else every_path()
    return PathStream(query, ends.entities[source], ends.entities[target], ends, decoded(found),
                      missing, path_records=records)


def _fact_of_columns(fact_id: str, subject: str, relation: str, obj: str, kind: str) -> Fact:
    """A stated fact as far as a search needs it (its id, ends, relation and kind); it stands
    in for the record until a path that walks it is handed out."""
    return Fact(id=fact_id, subject=subject, relation=relation, object=obj, kind=kind, sources=[],
                loc=Loc("", 0, 0))


def _ranked(paths: Iterable[tuple[Hop, ...]]) -> list[tuple[Hop, ...]]:
    """The paths in the documented order, without repeats and paths walking a record twice."""
    kept: dict[tuple[Any, ...], tuple[Hop, ...]] = {}
    for path in sorted(paths, key=_order_key):
        if not _walks_a_record_twice(path):
            kept.setdefault(tuple(_hop_key(hop) for hop in path), path)
    return list(kept.values())


class _Adjacency:
    """A directed graph as lists of neighbours: all the searches here ask of one (building a
    networkx graph costs more than most searches, and importing networkx alone takes longer
    than a shortest path through the store's rows)."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self._out: dict[str, list[str]] = {}
        self._in: dict[str, list[str]] = {}
        for start, end in pairs:
            self._out.setdefault(start, []).append(end)
            self._in.setdefault(end, []).append(start)

    def successors(self, node: str) -> Iterator[str]:
        return iter(self._out.get(node, ()))

    def predecessors(self, node: str) -> Iterator[str]:
        return iter(self._in.get(node, ()))

    def pairs(self) -> Iterator[tuple[str, str]]:
        return ((start, end) for start, ends in self._out.items() for end in ends)


def _restricted_adjacency(hops: dict[tuple[str, str], list[Hop]],
                          tier: int) -> tuple[_Adjacency, dict[tuple[str, str], list[Hop]]]:
    """As ``_restricted``, as an ``_Adjacency``."""
    kept = {pair: [h for h in found if hop_tier(h) <= tier] for pair, found in hops.items()}
    kept = {pair: found for pair, found in kept.items() if found}
    return _Adjacency(kept), kept


def _no_path_message(dataset: Dataset, query: PathQuery, missing: list[str]) -> str:
    text = f"no path from {dataset.label(query.source)} to {dataset.label(query.target)}"
    filters = query.describe()
    if filters:
        text += f" with {filters}"
    if missing:
        names = " and ".join(dataset.label(n) for n in missing)
        text += f" ({names} not in the graph on that date)"
    return text


def _walk_of(dataset: Dataset, as_of: dt.date | None, via: Iterable[str], exclude: Iterable[str],
             kinds: Iterable[str], directed: bool) -> tuple[set[str], _Adjacency,
                                                          dict[tuple[str, str], list[Hop]]]:
    """The entities in view, the simple directed graph of walkable entity pairs, and the hops
    joining each pair (in fact-id order): the edges of ``graph_view`` (``kg.query.graph``: the
    facts and reference edges, as they stood on ``as_of``, of the relations and kinds asked
    for) read straight from the records, without building a networkx graph."""
    keep_relations = set(via) or None
    drop_relations = set(exclude)
    keep_kinds = set(kinds) or None
    relations = dataset.ontology.relations
    nodes = set(dataset.entities)
    edges = dataset.edges
    for fact in edges:  # as networkx adds the ends of an edge to the graph
        nodes.add(fact.subject)
        nodes.add(fact.object)
    existing: dict[str, bool] = {}

    def exists(node: str) -> bool:
        if node not in existing:
            assert as_of is not None
            existing[node] = dataset.exists_on(node, as_of)
        return existing[node]

    if as_of is not None:  # as ``graph.as_of``: entities that existed, and facts then valid
        nodes = {node for node in nodes if exists(node)}
    hops: dict[tuple[str, str], list[Hop]] = {}
    for fact in edges:
        subject, obj = fact.subject, fact.object
        if subject == obj:
            continue
        if (keep_relations is not None and fact.relation not in keep_relations) or \
                fact.relation in drop_relations or (keep_kinds is not None and fact.kind not in keep_kinds):
            continue
        if as_of is not None and not (
                exists(subject) and exists(obj) and fact.valid_on(as_of)
                # A reference is in view only while its record is: all the record's entities exist.
                and all(exists(end) for end in (fact.derived_from.ends if fact.derived_from else ()))):
            continue
        hops.setdefault((subject, obj), []).append(Hop(subject, obj, fact))
        if not directed or relations[fact.relation].symmetric:
            hops.setdefault((obj, subject), []).append(Hop(obj, subject, fact))
    for found in hops.values():
        found.sort(key=Hop.sort_key)
    return nodes, _Adjacency(sorted(hops)), hops


def _hops_between(walk: Any, source: str, target: str) -> int | None:
    """The hops of the shortest walk from ``source`` to ``target`` (None: there is none)."""
    if source == target:
        return 0
    seen = {source}
    frontier = [source]
    hops = 0
    while frontier:
        hops += 1
        following = []
        for node in frontier:
            for step in walk.successors(node):
                if step == target:
                    return hops
                if step not in seen:
                    seen.add(step)
                    following.append(step)
        frontier = following
    return None


def _networkx_graph(walk: Any, source: str, target: str) -> Any:
    """The walk as a networkx DiGraph, for the searches only networkx makes (imported then)."""
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(sorted({source, target}))
    graph.add_edges_from(sorted(walk.pairs()))
    return graph


def _pairs(node_path: list[str]) -> list[tuple[str, str]]:
    return list(zip(node_path[:-1], node_path[1:], strict=True))


def _expand(node_path: list[str], hops: dict[tuple[str, str], list[Hop]]) -> Iterator[tuple[Hop, ...]]:
    """Every choice of facts along a sequence of entities, in fact-id order."""
    return itertools.product(*(hops[pair] for pair in _pairs(node_path)))


def _all_paths(walk: Any, hops: dict, source: str, target: str, max_hops: int,
               limit: int | None = None) -> list[tuple[Hop, ...]]:
    """The first ``limit`` paths of ``_iter_all_paths`` (None: all)."""
    return list(itertools.islice(_iter_all_paths(walk, hops, source, target, max_hops), limit))


def _iter_all_paths(walk: Any, hops: dict, source: str, target: str, max_hops: int,
                    min_hops: int = 1) -> Iterator[tuple[Hop, ...]]:
    """Every simple path of ``min_hops`` to ``max_hops`` hops in the documented order (length,
    tier, entity ids, fact ids; repeats and paths walking a record twice left out). Found
    length by length and, within a length, tier by tier: the paths of a tier
    are those of the graph restricted to hops of that tier or better, walked depth-first with
    neighbours in id order (so they come in order without sorting them all), never entering
    an entity from which the target is out of reach in the hops left."""
    present = sorted({hop_tier(h) for pair in hops.values() for h in pair})
    graphs = [(tier, *(_restricted_adjacency(hops, tier) if tier != present[-1] else (walk, hops)))
              for tier in present]
    distances = {tier: _distances_to(graph, target, max_hops) for tier, graph, _ in graphs}
    if not present or source not in distances[present[-1]]:
        return
    seen: set[tuple[Any, ...]] = set()
    for length in range(max(min_hops, distances[present[-1]][source]), max_hops + 1):
        for tier, graph, tier_hops in graphs:
            distance = distances[tier]
            if distance.get(source, max_hops + 1) > length:
                continue
            for node_path in _simple_paths_of_length(graph, source, target, length, distance):
                for path in _expand(node_path, tier_hops):
                    key = tuple(_hop_key(hop) for hop in path)
                    if rank_tier(path) != tier or key in seen or _walks_a_record_twice(path):
                        continue
                    seen.add(key)
                    yield path


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
                       max_hops: int | None,
                       accept: Callable[[tuple[Hop, ...]], bool]) -> list[tuple[Hop, ...]] | None:
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
                if accept(path):
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
    shortest = _shortest_in_order(walk, hops, source, target, k, max_hops, _acceptor())
    if shortest is not None:
        return shortest
    import networkx as nx

    accept = _acceptor()
    paths: list[tuple[Hop, ...]] = []
    group: list[list[str]] = []

    def flush() -> None:
        for node_path in sorted(group):
            paths.extend(path for path in _expand(node_path, hops) if accept(path))
        group.clear()

    try:
        for node_path in nx.shortest_simple_paths(_networkx_graph(walk, source, target), source,
                                                  target):
            length = len(node_path) - 1
            if max_hops is not None and length > max_hops:
                break
            if group and length > len(group[-1]) - 1:
                flush()  # a length is complete: enough answers end the search
                if len(paths) >= k:
                    return paths[:k]
            group.append(node_path)
    except nx.NetworkXNoPath:
        pass
    flush()
    return paths[:k]


def _acceptor() -> Callable[[tuple[Hop, ...]], bool]:
    """A filter that passes each path at most once per answer (``_hop_key``) and never one
    walking a record twice, in the order it is asked."""
    seen: set[tuple[Any, ...]] = set()

    def accept(path: tuple[Hop, ...]) -> bool:
        if _walks_a_record_twice(path):
            return False
        key = tuple(_hop_key(hop) for hop in path)
        if key in seen:
            return False
        seen.add(key)
        return True

    return accept


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
        return store.subset(traverse.facts_on_paths(store, nodes, source, target, walk, max_hops),
                            ends)
    layers = traverse.shortest_path_layers(store, source, target, walk, max_hops)
    if layers is None:
        return store.subset([], ends)
    on_path = set(layers)
    # Two hubs on a shortest path may be joined by hundreds of facts. Of the stated facts
    # joining one pair, one a path uses can be swapped for any other of its tier with a smaller
    # id, giving a path that ranks before it; at most (length - 1) of those swaps walk a record
    # twice. So a path using a fact beyond the first k + length of its pair and tier has k
    # paths before it: the rest are never read (walked either way round only: undirected).
    per_pair = None if walk.directed else k + max(layers.values())  # the target's place: the length
    subset = store.subset(traverse.facts_among(store, layers, walk, per_pair), on_path | ends)

    def answer(part: Dataset, bound: int | None) -> PathResult | None:
        try:
            return find_paths(part, source, target, k=k, directed=walk.directed, as_of=walk.as_of,
                              via=sorted(walk.via), exclude=sorted(walk.exclude),
                              kinds=sorted(walk.kinds), max_hops=bound, limit=None)
        except NoPath:
            return None

    # The subset holds every shortest path (and so their ranking) but no longer one: it is
    # the answer when k shortest paths remain once repeats are set aside.
    found = answer(subset, max_hops)
    length = found.distance if found is not None else _shortest_length(subset, source, target, walk)
    if length is None:  # an end is not in the graph on that date: no path, here as in the whole
        return subset
    if found is not None and len(found.paths) >= k and len(found.paths[k - 1]) == length:
        return subset
    bound = length + 1
    while max_hops is None or bound <= max_hops:
        nodes = traverse.ball_union(store, source, target, bound // 2, walk)
        if nodes is None:
            return store.dataset()
        subset = store.subset(traverse.facts_among(store, nodes, walk), nodes | ends)
        if traverse.exhausted(store, source, target, bound // 2, walk):
            return subset
        found = answer(subset, bound)
        if found is not None and len(found.paths) >= k:
            return subset
        bound += 1
    return subset


def _shortest_length(dataset: Dataset, source: str, target: str, walk: Walk) -> int | None:
    """Hops of the shortest path under the walk's filters; None without one."""
    nodes, graph, _ = _walk_of(dataset, walk.as_of, walk.via, walk.exclude, walk.kinds, walk.directed)
    if source not in nodes or target not in nodes:
        return None
    return _hops_between(graph, source, target)
