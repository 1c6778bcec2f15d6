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


__all__ = ["Hop", "Listing", "NoResult", "UnknownTerm", "check_kinds", "check_metrics", "check_relations",
           "check_roles", "check_terms", "check_types", "citations_json", "entity_ref", "graph_view",
           "options_text"]  # NoResult, UnknownTerm and check_terms re-exported for the query modules


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
