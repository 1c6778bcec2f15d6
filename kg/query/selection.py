"""Which part of the landscape a question or an export keeps: ``--as-of``, ``--relation``,
``--type`` and ``--role``, checked against the ontology and applied in one place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from kg.data.model import Dataset
from kg.data.ontology import Ontology, check_terms

__all__ = ["check_filters", "select", "with_roles"]


def check_filters(ontology: Ontology, relations: Iterable[str] | None = None,
                  types: Iterable[str] | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The ``--relation`` and ``--type`` names, sorted and deduplicated; raises UnknownTerm."""
    return (tuple(check_terms(relations, ontology.relations, "relation", "relations")),
            tuple(check_terms(types, ontology.entity_types, "entity type", "types")))


def with_roles(dataset: Dataset, roles: Iterable[str] | None) -> Dataset:
    """Only the entities with one of ``roles`` (all without), the facts among them and their
    figures; raises UnknownTerm (param ``roles``) for a role the ontology does not define."""
    keep_roles = set(check_terms(roles, dataset.ontology.roles, "role", "roles"))
    if not keep_roles:
        return dataset
    entities = {k: e for k, e in dataset.entities.items() if keep_roles & set(e.roles)}
    # A part keeps the whole's existence dates: the facts left out may be those that begin an
    # entity, or an undated one that leaves its start unrecorded.
    return dataset.subset(
        entities,
        [f for f in dataset.facts if f.subject in entities and f.object in entities],
        [f for f in dataset.figures if f.entity in entities],
    )


def select(dataset: Dataset, as_of: dt.date | None = None, relations: list[str] | None = None,
           types: list[str] | None = None) -> Dataset:
    """The part of a dataset that ``--as-of``, ``--relation`` and ``--type`` keep.

    Uses ``Dataset.as_of`` and ``kg.query.graph.restrict``; with ``relations``,
    entities left without any fact are dropped too. Figures follow their
    entity (and ``as_of``); sources are all kept.
    """
    if as_of is not None:
        dataset = dataset.as_of(as_of)
    if not relations and not types:
        return dataset
    from kg.query.graph import build, restrict

    graph = restrict(build(dataset), relations=relations, types=types)
    kept_edges = {key for _u, _v, key in graph.edges(keys=True)}
    kept = {n for n in graph.nodes if not relations or graph.degree(n) > 0}
    return dataset.subset(
        entities={k: e for k, e in dataset.entities.items() if k in kept},
        facts=[f for f in dataset.facts if f.id in kept_edges],
        figures=[f for f in dataset.figures if f.entity in kept],
        references=[r for r in dataset.references if r.id in kept_edges],
    )
