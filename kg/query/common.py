"""What the query modules share: name checks, filtered graph views, hops."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from kg.data.model import Dataset, Fact
from kg.data.ontology import Ontology, check_terms
from kg.data.phrases import citation_link
from kg.errors import NoResult, UnknownTerm

if TYPE_CHECKING:
    import networkx as nx


# NoResult, UnknownTerm and check_terms are re-exported for the query modules.
__all__ = ["DEFAULT_PAGE", "Hop", "Listing", "NoResult", "Page", "UnknownTerm", "check_kinds",
           "check_metrics", "check_relations", "check_roles", "check_terms", "check_types",
           "citations_json", "entity_ref", "graph_view", "options_text", "page_bounds",
           "past_the_end"]


def _ontology(source: Dataset | Ontology) -> Ontology:
    """The filters are checked against the ontology: a dataset or the ontology itself will do."""
    return source.ontology if isinstance(source, Dataset) else source


def check_relations(dataset: Dataset | Ontology, names: Iterable[str] | None,
                     param: str = "relations") -> list[str]:
    return check_terms(names, _ontology(dataset).relations, "relation", param)


def check_types(dataset: Dataset | Ontology, names: Iterable[str] | None,
                 param: str = "types") -> list[str]:
    return check_terms(names, _ontology(dataset).entity_types, "entity type", param)


def check_roles(dataset: Dataset | Ontology, names: Iterable[str] | None,
                 param: str = "roles") -> list[str]:
    return check_terms(names, _ontology(dataset).roles, "role", param)


def check_kinds(dataset: Dataset | Ontology, names: Iterable[str] | None,
                 param: str = "kinds") -> list[str]:
    return check_terms(names, _ontology(dataset).fact_kinds, "fact kind", param)


def check_metrics(dataset: Dataset | Ontology, names: Iterable[str] | None,
                   param: str = "metrics") -> list[str]:
    return check_terms(names, _ontology(dataset).metrics, "metric", param)


def graph_view(dataset: Dataset, as_of: dt.date | None = None, relations: Iterable[str] | None = None,
               exclude: Iterable[str] | None = None,
               kinds: Iterable[str] | None = None) -> nx.MultiDiGraph:
    """The dataset's graph, as it stood on ``as_of``, with only some relations and fact kinds."""
    from kg.query import graph

    view = graph.build(dataset)
    if as_of is not None:
        view = graph.as_of(view, as_of)
    if relations or exclude or kinds:
        view = graph.restrict(view, relations, exclude, kinds=kinds)
    return view


def options_text(options: Iterable[tuple[str, Any]]) -> str:
    """``--via a --via b, --as-of 2025-09-30, --directed`` from (option, value) pairs.

    A value of True shows the bare flag; None, False and empty values are left out.
    """
    parts = []
    for option, value in options:
        if value is None or value is False or value == [] or value == ():
            continue
        if value is True:
            parts.append(option)
        elif isinstance(value, (list, tuple)):
            parts.append(" ".join(f"{option} {v}" for v in value))
        else:
            parts.append(f"{option} {value}")
    return ", ".join(parts)


@dataclass(frozen=True)
class Hop:
    """One step along a fact: from ``start`` to ``end``.

    ``forward`` is True when the fact is stated from ``start`` to ``end``
    (for a symmetric relation: when ``start`` is its subject).
    """

    start: str
    end: str
    fact: Fact

    @property
    def forward(self) -> bool:
        return self.fact.subject == self.start

    def sort_key(self) -> tuple[str, str, str]:
        return (self.start, self.end, self.fact.id)

    def to_json(self, dataset: Dataset, explain: bool = False) -> dict[str, Any]:
        fact = self.fact
        result: dict[str, Any] = {
            "from": self.start,
            "to": self.end,
            "relation": fact.relation,
            "forward": self.forward,
            "since": str(fact.since) if fact.since else None,
            "until": str(fact.until) if fact.until else None,
            "sources": list(dict.fromkeys(ref.source for ref in fact.sources)),
            "fact": fact.id,
            "kind": fact.kind,
            "claimed_by": fact.claimed_by,
        }
        if explain:
            result["citations"] = citations_json(dataset, fact)
        return result


def citations_json(dataset: Dataset, fact: Fact) -> list[dict[str, Any]]:
    """Each source of the fact with its locator, title, publisher and date."""
    cited = []
    for ref in fact.sources:
        source = dataset.sources.get(ref.source)
        cited.append({
            "source": ref.source,
            "locator": ref.locator,
            "phrase": ref.phrase,
            "link": citation_link(dataset, ref),
            "title": source.title if source else None,
            "publisher": source.publisher if source else None,
            "date": str(source.date) if source else None,
        })
    return cited


def entity_ref(dataset: Dataset, entity_id: str) -> dict[str, str]:
    return {"id": entity_id, "label": dataset.label(entity_id)}


Item = TypeVar("Item")


@dataclass(frozen=True)
class Listing(Sequence[Item], Generic[Item]):
    """A list of answers (facts, figures, timeline entries, scores, changes) with the records
    they were found in, so that ``to_json()`` needs nothing passed back.

    It behaves as a read-only sequence of its items.
    """

    items: tuple[Item, ...]
    dataset: Dataset
    item_json: Callable[[Dataset, Item], dict[str, Any]]
    # Which part of a longer list ``items`` is (None: the whole list).
    page: Page | None = None

    @overload
    def __getitem__(self, index: int) -> Item: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Item]: ...
    def __getitem__(self, index: int | slice) -> Item | Sequence[Item]:
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Item]:
        return iter(self.items)

    def to_json(self) -> list[dict[str, Any]]:
        return [self.item_json(self.dataset, item) for item in self.items]


# --- pages: a hub's thousands of facts are listed a screen at a time --------------------------

DEFAULT_PAGE = 100  # items ``kg show``, ``kg neighbors`` and ``kg edges`` list unless told


@dataclass(frozen=True)
class Page:
    """Which part of a long answer is listed: ``limit`` items from ``offset`` (0 = the first)
    of ``total`` (None for the limit: everything from ``offset`` on)."""

    total: int
    offset: int = 0
    limit: int | None = None

    @property
    def shown(self) -> int:
        """How many items the page holds."""
        left = max(0, self.total - self.offset)
        return left if self.limit is None else min(left, self.limit)

    @property
    def more(self) -> int:
        """How many items come after the page."""
        return max(0, self.total - self.offset - self.shown)

    def note(self, noun: str) -> str:
        """The line that follows a cut list ("" when nothing follows)."""
        if not self.more:
            return ""
        return f"{self.more:,} more {noun} (--offset {self.offset + self.shown} to see them)"

    def to_json(self) -> dict[str, Any]:
        return {"total": self.total, "offset": self.offset, "limit": self.limit}


def page_bounds(limit: int | None, offset: int) -> None:
    """Refuse a page that cannot be asked for (a usage error on the command line)."""
    from kg.errors import BadQuestion

    if offset < 0:
        raise BadQuestion(f"the offset must be 0 or more, not {offset}")
    if limit is not None and limit < 1:
        raise BadQuestion(f"the limit must be at least 1, not {limit}")


def past_the_end(page: Page, noun: str, whose: str) -> None:
    """Raise NoResult when a page starts beyond the last item (an offset too large)."""
    if page.offset and page.offset >= page.total:
        raise NoResult(f"offset {page.offset:,} is past the end: {whose} has {page.total:,} {noun}")
