"""A screen of one entity's rows: what ``kg show``, ``kg neighbors`` and ``kg edges --entity``
list, read with SQL ``LIMIT``/``OFFSET`` over the indexes and counted with ``count(*)``.

A hub may take part in hundreds of thousands of facts; these functions decode only the rows
of the page asked for, in the order the whole-dataset answer lists them, so that page ``n``
of the store's answer is the ``n``-th slice of the answer on the whole dataset:

- a profile lists the facts stated from the entity, then those stated to it, each part with
  the stated facts before the reference edges, in file order (``Dataset.facts_of``);
- a neighbourhood of depth 1 lists the entities reached in id order (``kg.query.neighbors``);
- an edge listing is sorted by relation, subject, object and fact id (``kg.query.edges``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kg.data.model import Dataset
from kg.store import Store
from kg.store.sqltext import marks as _marks

__all__ = ["EntityPage", "edges_page", "entity_page", "layered_neighbor_page", "neighbor_page"]

# The order ``Dataset.facts_of`` lists an entity's facts in: stated facts, then reference
# edges, each in file order.
PROFILE_ORDER = "derived, seq"
# The order of ``kg.query.edges.edges`` (SQLite compares text as UTF-8 bytes, which sorts as
# Python compares strings: by code point).
EDGES_ORDER = "relation, subject, object, id"


@dataclass(frozen=True)
class EntityPage:
    """The records of one page of an entity's facts, and how many facts there are each way."""

    dataset: Dataset
    facts_out: int
    facts_in: int


def entity_page(store: Store, entity_id: str, limit: int | None, offset: int) -> EntityPage:
    """The entity, its figures and ``limit`` of its facts from ``offset`` (the facts from it
    first, then the facts to it)."""
    facts_out = store.fact_count("subject=?", (entity_id,))
    facts_in = store.fact_count("object=?", (entity_id,))
    found = []
    if offset < facts_out:
        found = store.facts_where("subject=?", (entity_id,), PROFILE_ORDER, limit, offset)
    left = None if limit is None else limit - len(found)
    if left is None or left > 0:
        found += store.facts_where("object=?", (entity_id,), PROFILE_ORDER, left,
                                   max(0, offset - facts_out))
    return EntityPage(store.subset(found, [entity_id], store.figures_of([entity_id])),
                      facts_out, facts_in)


def _relation_clause(relations: Iterable[str]) -> tuple[str, list[str]]:
    chosen = sorted(set(relations))
    if not chosen:
        return "", []
    return f" AND relation IN ({_marks(chosen)})", chosen


def neighbor_page(store: Store, center: str, direction: str, relations: Iterable[str],
                  limit: int | None, offset: int) -> tuple[Dataset, int]:
    """The records of a page of the entities one hop from ``center`` (in id order), and how
    many such entities there are.

    ``direction`` ``out`` follows facts stated from the center (and symmetric ones stated to
    it), ``in`` those stated to it (and symmetric ones from it), ``both`` every fact: as
    ``kg.query.neighbors`` walks them.
    """
    relation_sql, relation_params = _relation_clause(relations)
    from_center = " AND symmetric=1" if direction == "in" else ""
    to_center = " AND symmetric=1" if direction == "out" else ""
    ends = (f"SELECT object AS other FROM facts WHERE subject=? AND {store.ranked}"
            f"{relation_sql}{from_center} UNION "
            f"SELECT subject FROM facts WHERE object=? AND {store.ranked}{relation_sql}{to_center}")
    params = [center, *relation_params, center, *relation_params, center]
    total = store.conn.execute(f"SELECT count(*) FROM ({ends}) WHERE other != ?",
                               params).fetchone()[0]
    page = [row[0] for row in store.conn.execute(
        f"SELECT other FROM ({ends}) WHERE other != ? ORDER BY other LIMIT ? OFFSET ?",
        [*params, -1 if limit is None else limit, offset])]
    facts = []
    if page:
        # Every fact joining the center to an entity of the page: the hops that reached it.
        marks = _marks(page)
        facts = store.facts_where(f"(subject=? AND object IN ({marks})) OR "
                                  f"(object=? AND subject IN ({marks}))",
                                  (center, *page, center, *page), PROFILE_ORDER)
    return store.subset(facts, [center, *page]), total


def edges_page(store: Store, entity_ids: Iterable[str], relations: Iterable[str],
               kinds: Iterable[str], limit: int | None, offset: int) -> tuple[Dataset, int]:
    """The records of a page of the facts some entities are subject or object of (of some
    relations and kinds), sorted as ``kg.query.edges`` sorts them, and how many there are."""
    ids = sorted(set(entity_ids))
    marks = _marks(ids)
    where = f"(subject IN ({marks}) OR object IN ({marks}))"
    params: list[str] = [*ids, *ids]
    relation_sql, relation_params = _relation_clause(relations)
    where += relation_sql
    params += relation_params
    chosen_kinds = sorted(set(kinds))
    if chosen_kinds:
        where += f" AND kind IN ({_marks(chosen_kinds)})"
        params += chosen_kinds
    total = store.fact_count(where, params)
    facts = store.facts_where(where, params, EDGES_ORDER, limit, offset)
    return store.subset(facts, ids), total


def layered_neighbor_page(store: Store, center: str, depth: int, direction: str,
                          relations: Iterable[str], limit: int | None,
                          offset: int) -> tuple[Dataset, list[tuple[str, int, list[tuple[str, str]]]], int]:
    """A page of the entities within ``depth`` hops of ``center`` (by depth, then id), as
    ``kg.query.neighbors`` lists them on every day: the records, each entity of the page with
    its depth and the (nearer entity, fact id) of each fact that reached it, and how many
    entities there are in all.

    The breadth-first search reads the end, relation and direction columns only; the
    facts decoded are those reaching the entities of the page.
    """
    from kg.store.traverse import Walk, _step

    walk = Walk(via=frozenset(relations), directed=direction != "both")
    forward = direction != "in"
    seen = {center}
    frontier = [center]
    levels: list[dict[str, set[str]]] = []
    for _level in range(depth):
        reached = _step(store, sorted(frontier), walk, forward)
        found = {node: parents for node, parents in reached.items() if node not in seen}
        if not found:
            break
        levels.append(found)
        seen.update(found)
        frontier = sorted(found)
    listed = [(node, level) for level, found in enumerate(levels, start=1) for node in sorted(found)]
    end = None if limit is None else offset + limit
    page = listed[offset:end]
    by_seq: dict[str, set[tuple[str, int]]] = {node: set() for node, _level in page}
    if page:
        parents = {node: levels[level - 1][node] for node, level in page}
        ids = sorted(parents)
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start:chunk_start + 500]
            marks = _marks(chunk)
            relation_sql, relation_params = _relation_clause(relations)
            rows = store.conn.execute(
                f"SELECT seq, subject, object, symmetric FROM facts WHERE (subject IN ({marks}) "
                f"OR object IN ({marks})) AND {store.ranked}{relation_sql}",
                [*chunk, *chunk, *relation_params])
            for seq, subject, obj, symmetric in rows:
                # Walked from the nearer entity: out follows facts stated from it, in those
                # stated to it, a symmetric one either way, both every one.
                if subject in parents and obj in parents[subject] and (
                        direction != "out" or symmetric):
                    by_seq[subject].add((obj, seq))
                if obj in parents and subject in parents[obj] and (
                        direction != "in" or symmetric):
                    by_seq[obj].add((subject, seq))
    # The index walked carries each fact's seq: the ids of the hops kept are read by it.
    ids = store.fact_ids(seq for found in by_seq.values() for _start, seq in found)
    hops = {node: {(start, ids[seq]) for start, seq in found} for node, found in by_seq.items()}
    facts = store.facts_by_id({fact_id for found in hops.values() for _start, fact_id in found})
    part = store.subset(facts, [center, *hops])
    return part, [(node, level, sorted(hops[node])) for node, level in page], len(listed)
