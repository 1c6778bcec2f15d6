"""What the query modules share: name checks, filtered graph views, hops."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.data.model import Dataset, Fact
from kg.data.ontology import check_terms
from kg.data.phrases import citation_link
from kg.errors import KgError, UnknownTerm

if TYPE_CHECKING:
    import networkx as nx


__all__ = ["UnknownTerm", "check_terms"]  # re-exported for the query modules


class NoResult(KgError):
    """A question with no answer under the filters given."""


def check_relations(dataset: Dataset, names: Iterable[str] | None, param: str = "relations") -> list[str]:
    return check_terms(names, dataset.ontology.relations, "relation", param)


def check_types(dataset: Dataset, names: Iterable[str] | None, param: str = "types") -> list[str]:
    return check_terms(names, dataset.ontology.entity_types, "entity type", param)


def check_roles(dataset: Dataset, names: Iterable[str] | None, param: str = "roles") -> list[str]:
    return check_terms(names, dataset.ontology.roles, "role", param)


def check_kinds(dataset: Dataset, names: Iterable[str] | None, param: str = "kinds") -> list[str]:
    return check_terms(names, dataset.ontology.fact_kinds, "fact kind", param)


def check_metrics(dataset: Dataset, names: Iterable[str] | None, param: str = "metrics") -> list[str]:
    return check_terms(names, dataset.ontology.metrics, "metric", param)


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
