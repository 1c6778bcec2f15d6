"""The rows a question needs: breadth-first searches over the store's indexed adjacency.

Each function returns a small ``Dataset`` (``Store.subset``) that holds every
record the query modules will look at, so ``kg.query`` answers on it exactly
as on the whole dataset:

- a shortest path: a bidirectional search finds the distance and keeps the
  entities on *every* shortest path (the tie-break between equally short
  paths needs them all). It steps the side whose frontier has fewer facts
  (counted in SQLite) and, before a step, seeks the facts joining the two
  sides pair by pair: two quiet entities joined through a hub meet at the
  hub without a step through its thousands of facts;
- k paths or all paths up to a length L: every entity of such a path lies
  within ⌊L/2⌋ hops of one end, so the two balls of that radius hold them;
- a neighbourhood of depth N: every fact touching an entity nearer than N.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kg.data.model import Dataset
from kg.store import Store
from kg.store.sqltext import chunks as _chunks
from kg.store.sqltext import marks as _marks

__all__ = [
    "BALL_LIMIT", "ball_union", "edges_subset", "entity_subset", "exhausted", "facts_among",
    "facts_on_paths", "rows_on_paths",
    "neighborhood_subset", "shortest_path_entities", "shortest_path_layers", "Walk"
]

# Beyond this many entities in the two balls, a k-paths question reads the whole dataset.
BALL_LIMIT = 200_000


@dataclass(frozen=True)
class Walk:
    """Which facts a search may walk: the filters of a path question."""

    via: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    as_of: dt.date | None = None
    directed: bool = False

    def usable(self, relation: str, kind: str, valid_from: str | None, valid_until: str | None) -> bool:
        if self.via and relation not in self.via:
            return False
        if relation in self.exclude or (self.kinds and kind not in self.kinds):
            return False
        if self.as_of is not None:
            day = self.as_of.isoformat()
            if (valid_from is not None and valid_from > day) or (
                    valid_until is not None and valid_until < day):
                return False
        return True


def _step(store: Store, nodes: list[str], walk: Walk, forward: bool,
          within: set[str] | dict[str, int] | None = None) -> dict[str, set[str]]:
    """For each entity reachable in one hop from ``nodes``: the nodes it was reached from.

    ``forward`` walks facts in their stated direction (from the source end);
    backwards is the view from the target end. Undirected walks take both.
    With ``within``, only the entities among those are looked for: the index is sought at
    each pair, and a hub's other facts are never read.
    """
    found: dict[str, set[str]] = {}
    others = sorted(within) if within is not None else []
    for chunk in _chunks(nodes):
        marks = _marks(chunk)
        for column, other in (("subject", "object"), ("object", "subject")):
            among = f"AND {other} IN ({_marks(others)}) " if within is not None else ""
            rows = store.conn.execute(
                f"SELECT {column}, {other}, relation, kind, symmetric, valid_from, valid_until "
                f"FROM facts WHERE {column} IN ({marks}) {among}AND {store.ranked}", chunk + others)
            stated_way = (column == "subject") == forward
            for here, there, relation, kind, symmetric, since, until in rows:
                if here == there or not (stated_way or not walk.directed or symmetric):
                    continue
                if walk.usable(relation, kind, since, until):
                    found.setdefault(there, set()).add(here)
    if walk.as_of is not None and found:
        existing = store.exists_on(found, walk.as_of)
        found = {node: parents for node, parents in found.items() if node in existing}
    return found


def _reads(store: Store, nodes: list[str], cap: int,
           columns: tuple[str, ...] = ("subject", "object")) -> int:
    """How many index entries a step from ``nodes`` reads (their facts, both ways, or those of
    ``columns``), counted by SQLite without handing them to Python, and only up to ``cap``."""
    total = 0
    for chunk in _chunks(nodes):
        for column in columns:
            total += store.conn.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM facts WHERE {column} IN ({_marks(chunk)}) "
                "LIMIT ?)", [*chunk, cap - total]).fetchone()[0]
            if total >= cap:
                return cap
    return total


class _Costs:
    """What stepping from each end's frontier would read, counted lazily: only as far as it
    takes to answer (a hub's count is never finished when the other side is cheaper)."""

    def __init__(self, store: Store, frontiers: tuple[list[str], list[str]]) -> None:
        self._store = store
        self._frontiers = frontiers
        self.bound = [0, 0]  # no more than the count, which it equals once ``exact``
        self.exact = [False, False]

    def changed(self, side: int) -> None:
        self.bound[side], self.exact[side] = 0, False

    def exceeds(self, side: int, amount: int) -> bool:
        """Whether a step from ``side`` reads more than ``amount`` entries."""
        if not self.exact[side] and self.bound[side] <= amount:
            count = _reads(self._store, self._frontiers[side], amount + 1)
            self.bound[side], self.exact[side] = count, count <= amount
        return self.bound[side] > amount

    def cheaper(self) -> int:
        """The side whose step reads fewer entries (the source's on a tie)."""
        while True:
            side = 0 if self.bound[0] <= self.bound[1] else 1
            if self.exact[side]:
                return side
            self.exceeds(side, max(4 * self.bound[side], self.bound[1 - side], 64))


def _ball(store: Store, start: str, radius: int, walk: Walk, forward: bool,
          limit: int = BALL_LIMIT) -> tuple[set[str], bool] | None:
    """The entities within ``radius`` hops, and whether the search ran out of entities.

    None when the ball grows beyond ``limit``.
    """
    seen = {start}
    frontier = [start]
    for _level in range(radius):
        if not frontier:
            return seen, True
        reached = _step(store, sorted(frontier), walk, forward)
        frontier = [n for n in reached if n not in seen]
        seen.update(frontier)
        if len(seen) > limit:
            return None
    return seen, not frontier


def shortest_path_entities(store: Store, source: str, target: str, walk: Walk,
                           max_hops: int | None = None) -> set[str] | None:
    """Every entity on a shortest path from ``source`` to ``target`` (None: no path)."""
    layers = shortest_path_layers(store, source, target, walk, max_hops)
    return None if layers is None else set(layers)


def shortest_path_layers(store: Store, source: str, target: str, walk: Walk,
                         max_hops: int | None = None) -> dict[str, int] | None:
    """Every entity on a shortest path from ``source`` to ``target``, with its place on such a
    path: the hops from ``source`` (None: no path). A shortest path steps from each place to
    the next, so only facts joining neighbouring places can lie on one."""
    if source == target:
        return {source: 0}
    dist = ({source: 0}, {target: 0})
    parents: tuple[dict[str, set[str]], dict[str, set[str]]] = ({source: set()}, {target: set()})
    frontiers = ([source], [target])
    levels = [0, 0]
    costs = _Costs(store, frontiers)
    while frontiers[0] and frontiers[1]:
        if max_hops is not None and levels[0] + levels[1] >= max_hops:
            return None
        # First a probe: the facts joining one side's frontier to the other side's entities,
        # sought pair by pair in the index. It finds every meeting a step from that side would,
        # so when the two sides are about to meet no hub's facts are read at all; it is tried
        # when it seeks fewer entries than either side's step would read. Otherwise (or when
        # it finds nothing) the cheaper frontier steps: a hub is stepped through only when the
        # other side costs more.
        side = 0 if len(frontiers[0]) * len(dist[1]) <= len(frontiers[1]) * len(dist[0]) else 1
        other = dist[1 - side]
        seeks = len(frontiers[side]) * len(other)
        reached: dict[str, set[str]] = {}
        if len(other) <= _BOTH_ENDS and costs.exceeds(0, seeks) and costs.exceeds(1, seeks):
            reached = _step(store, frontiers[side], walk, forward=side == 0, within=other)
        if not reached:
            side = costs.cheaper()
            other = dist[1 - side]
            reached = _step(store, frontiers[side], walk, forward=side == 0)
        levels[side] += 1
        new = {node: ups for node, ups in reached.items() if node not in dist[side]}
        for node, ups in new.items():
            dist[side][node] = levels[side]
            parents[side][node] = ups
        frontiers[side][:] = sorted(new)
        costs.changed(side)
        meeting = [node for node in new if node in other]
        if meeting:
            length = min(dist[0][n] + dist[1][n] for n in meeting)
            middle = [n for n in dist[0] if n in dist[1] and dist[0][n] + dist[1][n] == length]
            on_path = set(middle)
            for end in (0, 1):  # back from the middle to each end, along every parent
                todo, seen = list(middle), set(middle)
                while todo:
                    for up in parents[end].get(todo.pop(), ()):
                        if up not in seen:
                            seen.add(up)
                            on_path.add(up)
                            todo.append(up)
            # Distances found by a breadth-first search are exact: from the source on its
            # side, to the target on the other (and on a shortest path they add up to it).
            return {node: dist[0][node] if node in dist[0] else length - dist[1][node]
                    for node in on_path}
    return None


_BOTH_ENDS = 20_000  # nodes named in one query at most (SQLite allows 32,766 parameters)


def _columns_among(store: Store, nodes: set[str] | dict[str, int],
                   walk: Walk | None) -> Iterator[tuple[int, str, str, str, str, int, int]]:
    """(seq, subject, object, relation, kind, derived, symmetric) of each fact between two
    entities of ``nodes`` that ``walk`` may use: read from the adjacency indexes, which carry
    a fact's seq but not its id; no record is decoded.

    Each fact is found by its subject. For each group of subjects, the cheaper of two reads:
    seeking each (subject, object) pair in the index (a hub among a few entities: the rest of
    its facts are never walked), or walking the subjects' facts and keeping those whose
    object is among the nodes (thousands of entities around hubs: a seek per pair would be
    millions of seeks).
    """
    ordered = sorted(nodes)
    for chunk in _chunks(ordered):
        seeks = len(chunk) * len(ordered)
        objects = ordered if len(ordered) <= _BOTH_ENDS and _reads(
            store, chunk, seeks + 1, ("subject",)) > seeks else []
        among = f"AND object IN ({_marks(objects)}) " if objects else ""
        rows = store.conn.execute(
            f"SELECT seq, subject, object, relation, kind, valid_from, valid_until, derived, "
            f"symmetric FROM facts WHERE subject IN ({_marks(chunk)}) {among}AND {store.ranked}",
            chunk + objects)
        for seq, subject, obj, relation, kind, since, until, derived, symmetric in rows:
            if obj in nodes and (walk is None or walk.usable(relation, kind, since, until)):
                yield seq, subject, obj, relation, kind, derived, symmetric


def _rows_among(store: Store, nodes: set[str] | dict[str, int],
                walk: Walk | None) -> Iterator[tuple[str, str, str, str, str, int, int]]:
    """(id, subject, object, relation, kind, derived, symmetric) of each fact between two
    entities of ``nodes`` that ``walk`` may use (``_columns_among``, with the ids of those
    facts read by their seq)."""
    kept = list(_columns_among(store, nodes, walk))
    ids = store.fact_ids(row[0] for row in kept)
    for seq, subject, obj, relation, kind, derived, symmetric in kept:
        yield ids[seq], subject, obj, relation, kind, derived, symmetric


def facts_among(store: Store, nodes: set[str] | dict[str, int], walk: Walk | None = None,
                per_pair: int | None = None) -> list:
    """Every fact between two entities of ``nodes`` (that ``walk`` may use, if given).

    Of the facts touching them (a hub on a path touches thousands) only the columns a walk
    tests are read; the records of those kept are then read and decoded, no others. When
    ``nodes`` maps each entity to its place on a shortest path (``shortest_path_layers``),
    only the facts joining neighbouring places are kept. With ``per_pair``, of the stated
    facts joining one pair of entities only the first ``per_pair`` by id of each tier
    (claims, other facts) are kept (see ``path_subset``).
    """
    places = nodes if isinstance(nodes, dict) else None
    kept: set[int] = set()
    parallel: dict[tuple[str, str, bool], set[int]] = {}
    for seq, subject, obj, _relation, kind, derived, _symmetric in _columns_among(store, nodes, walk):
        if places is not None and abs(places[subject] - places[obj]) != 1:
            continue
        if per_pair is None or derived:
            kept.add(seq)
        else:
            low, high = sorted((subject, obj))
            parallel.setdefault((low, high, kind == "claim"), set()).add(seq)
    ids = store.fact_ids(seq for seqs in parallel.values() for seq in seqs)
    for seqs in parallel.values():
        kept.update(sorted(seqs, key=ids.__getitem__)[:per_pair])
    return store.facts_by_seq(kept)


def facts_on_paths(store: Store, nodes: set[str], source: str, target: str, walk: Walk,
                   max_hops: int) -> list:
    """The facts among ``nodes`` that lie on some walk of at most ``max_hops`` hops from
    ``source`` to ``target`` there (``rows_on_paths``), decoded."""
    return store.facts_by_id({row[0] for row in rows_on_paths(store, nodes, source, target, walk,
                                                             max_hops)})


def rows_on_paths(store: Store, nodes: set[str], source: str, target: str, walk: Walk,
                  max_hops: int) -> list[tuple[str, str, str, str, str, int, int]]:
    """(id, subject, object, relation, kind, derived, symmetric) of the facts among ``nodes``
    that lie on some walk of at most ``max_hops`` hops from ``source`` to ``target`` there:
    those whose ends are near enough to the two ends. Columns only: nothing is decoded.

    ``nodes`` holds every path of at most ``max_hops`` hops (``ball_union``), so every such
    path keeps its facts; a hub's other facts (to entities from which the target is out of
    reach in the hops left) are left out.
    """
    rows = [row for row in _rows_among(store, nodes, walk) if row[1] != row[2]]
    forward: dict[str, list[str]] = {}
    backward: dict[str, list[str]] = {}
    for _id, subject, obj, _relation, _kind, _derived, symmetric in rows:
        for start, end in ((subject, obj), (obj, subject)) if (
                not walk.directed or symmetric) else ((subject, obj),):
            forward.setdefault(start, []).append(end)
            backward.setdefault(end, []).append(start)
    from_source = _distances(forward, source, max_hops)
    to_target = _distances(backward, target, max_hops)
    far = max_hops + 1

    def on_a_path(start: str, end: str) -> bool:
        return from_source.get(start, far) + 1 + to_target.get(end, far) <= max_hops

    return [row for row in rows if on_a_path(row[1], row[2])
            or ((not walk.directed or row[6]) and on_a_path(row[2], row[1]))]


def _distances(adjacency: dict[str, list[str]], start: str, bound: int) -> dict[str, int]:
    """Hops from ``start`` along ``adjacency``, up to ``bound``."""
    distance = {start: 0}
    frontier = [start]
    for hops in range(1, bound + 1):
        following = []
        for node in frontier:
            for other in adjacency.get(node, ()):
                if other not in distance:
                    distance[other] = hops
                    following.append(other)
        frontier = following
    return distance


def ball_union(store: Store, source: str, target: str, radius: int, walk: Walk) -> set[str] | None:
    first = _ball(store, source, radius, walk, forward=True)
    second = _ball(store, target, radius, walk, forward=False)
    if first is None or second is None:
        return None
    return first[0] | second[0]


def exhausted(store: Store, source: str, target: str, radius: int, walk: Walk) -> bool:
    """Whether both balls already hold everything reachable (so longer bounds add nothing)."""
    first = _ball(store, source, radius, walk, forward=True)
    second = _ball(store, target, radius, walk, forward=False)
    return bool(first and second and first[1] and second[1])


def neighborhood_subset(store: Store, center: str, depth: int, direction: str,
                        relations: Iterable[str] = ()) -> Dataset:
    """Every fact touching an entity fewer than ``depth`` hops from ``center``."""
    walk = Walk(via=frozenset(relations), directed=direction != "both")
    inner = {center}
    frontier = [center]
    for _level in range(depth - 1):
        reached: dict[str, set[str]] = {}
        if direction in ("out", "both"):
            reached.update(_step(store, sorted(frontier), walk, forward=True))
        if direction == "in":
            reached.update(_step(store, sorted(frontier), walk, forward=False))
        frontier = [n for n in reached if n not in inner]
        inner.update(frontier)
        if not frontier:
            break
    facts = store.facts_touching(inner)
    if relations:
        facts = [f for f in facts if f.relation in set(relations)]
    return store.subset(facts, inner)


def entity_subset(store: Store, entity_id: str) -> Dataset:
    """The entity with every fact in and out of it and its figures."""
    return store.subset(store.facts_touching([entity_id]), [entity_id],
                        store.figures_of([entity_id]))


def edges_subset(store: Store, relations: Iterable[str] = (), kinds: Iterable[str] = ()) -> Dataset:
    """The facts of some relations and kinds (all facts without either), with their entities."""
    conditions, params = [], []
    for column, values in (("relation", sorted(set(relations))), ("kind", sorted(set(kinds)))):
        if values:
            conditions.append(f"{column} IN ({_marks(values)})")
            params.extend(values)
    return store.subset(store.iter_facts(" AND ".join(conditions), tuple(params)))
