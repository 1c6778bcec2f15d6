"""The entities within some hops of one entity, with the facts that reached them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from kg.data.model import Dataset, Entity
from kg.errors import KgError
from kg.query.common import Hop, Page, check_relations, entity_ref, graph_view

__all__ = ["DIRECTIONS", "Neighborhood", "Reached", "layers", "neighbors", "paged", "within"]

DIRECTIONS = ("out", "in", "both")


@dataclass(frozen=True)
class Reached:
    """An entity first reached at ``depth`` hops, by ``hops`` from entities one hop nearer."""

    id: str
    depth: int
    hops: tuple[Hop, ...]

    def to_json(self, dataset: Dataset) -> dict[str, Any]:
        entity = dataset.entities[self.id]
        return {"id": self.id, "label": entity.label, "type": entity.type, "depth": self.depth,
                "facts": [hop.to_json(dataset) for hop in self.hops]}


@dataclass
class Neighborhood:
    entity: Entity
    reached: list[Reached]
    # The records the neighbourhood was found in: enough to phrase every fact that reached it.
    dataset: Dataset | None = field(default=None, repr=False, compare=False)
    # Which of the entities reached ``reached`` holds (None: every one).
    page: Page | None = None

    def to_json(self, dataset: Dataset | None = None) -> dict[str, Any]:
        dataset = dataset or self.dataset
        found = {"entity": entity_ref(dataset, self.entity.id),
                 "neighbors": [r.to_json(dataset) for r in self.reached]}
        if self.page is not None:
            found.update(self.page.to_json())
        return found


def paged(found: Neighborhood, limit: int | None, offset: int = 0) -> Neighborhood:
    """The neighbourhood with ``limit`` of the entities reached from ``offset`` on."""
    end = None if limit is None else offset + limit
    return replace(found, reached=found.reached[offset:end],
                   page=Page(len(found.reached), offset, limit))


def neighbors(dataset: Dataset, entity: str, *, relations: Iterable[str] | None = None,
              direction: str = "both", depth: int = 1, as_of: dt.date | None = None) -> Neighborhood:
    """Entities within ``depth`` hops of ``entity`` (an id, label or alias).

    ``direction`` ``out`` follows facts stated from each entity reached,
    ``in`` facts stated to it, ``both`` either; a fact of a symmetric relation
    counts as both in and out. Each entity is listed once, at its least depth,
    with every fact joining it to an entity one hop nearer. Sorted by depth,
    then id.
    """
    if direction not in DIRECTIONS:
        raise KgError(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
    if depth < 1:
        raise KgError("depth must be at least 1")
    center = dataset.resolve(entity)
    view = graph_view(dataset, as_of, check_relations(dataset, relations))
    if center.id not in view:
        return Neighborhood(center, [], dataset)
    reached = [Reached(node, level, tuple(sorted(hops, key=Hop.sort_key)))
               for level, found in layers(view, center.id, depth, direction)
               for node, hops in sorted(found.items())]
    return Neighborhood(center, reached, dataset)


def layers(view: Any, start: str, depth: int,
           direction: str = "both") -> Iterator[tuple[int, dict[str, list[Hop]]]]:
    """The breadth-first layers around ``start`` in a graph view (``kg.query.graph``): for each
    depth up to ``depth``, the entities first reached there, each with the hops reaching it."""
    seen = {start}
    frontier = [start]
    for level in range(1, depth + 1):
        found: dict[str, list[Hop]] = {}
        for node in frontier:
            for hop in _hops_from(view, node, direction):
                if hop.end not in seen:
                    found.setdefault(hop.end, []).append(hop)
        if not found:
            return
        yield level, found
        seen.update(found)
        frontier = sorted(found)


def within(view: Any, start: str, depth: int, direction: str = "both") -> set[str]:
    """``start`` and the entities at most ``depth`` hops from it in a graph view."""
    return {start}.union(*(found for _level, found in layers(view, start, depth, direction)))


def _hops_from(view: Any, node: str, direction: str) -> list[Hop]:
    hops = []
    for _subject, obj, data in view.out_edges(node, data=True):
        if direction != "in" or data["symmetric"]:
            hops.append(Hop(node, obj, data["fact"]))
    for subject, _obj, data in view.in_edges(node, data=True):
        if direction != "out" or data["symmetric"]:
            hops.append(Hop(node, subject, data["fact"]))
    return [hop for hop in hops if hop.end != node]
