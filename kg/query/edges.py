"""The facts of given relations, kinds and entity types."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from kg.data.model import Dataset, Fact
from kg.query.common import check_kinds, check_relations, check_roles, check_types

__all__ = ["edge_json", "edges"]


def edges(dataset: Dataset, *, relations: Iterable[str] | None = None,
          subject_types: Iterable[str] | None = None, object_types: Iterable[str] | None = None,
          kinds: Iterable[str] | None = None, as_of: dt.date | None = None,
          subject_roles: Iterable[str] | None = None, object_roles: Iterable[str] | None = None,
          entities: Iterable[str] | None = None) -> list[Fact]:
    """The facts and reference edges matching every filter given, sorted by relation,
    subject, object and id.

    Types accept subtypes (``product`` matches apps and models); a role
    filter keeps ends that have one of the roles. A fact of a symmetric
    relation matches when its two ends fit the types and roles either way
    round; it is still returned as stated. ``entities`` (ids, labels or
    aliases) keeps facts that one of them is subject or object of. With
    ``as_of``, only facts valid on that day between entities that existed then.
    """
    keep_relations = check_relations(dataset, relations)
    subject_allowed = check_types(dataset, subject_types, "subject_types")
    object_allowed = check_types(dataset, object_types, "object_types")
    keep_kinds = check_kinds(dataset, kinds)
    subject_with = set(check_roles(dataset, subject_roles, "subject_roles"))
    object_with = set(check_roles(dataset, object_roles, "object_roles"))
    keep_entities = {dataset.resolve(name).id for name in entities or ()}
    onto = dataset.ontology

    def fits(subject: str, obj: str) -> bool:
        first, second = dataset.entities[subject], dataset.entities[obj]
        return ((not subject_allowed or onto.is_a(first.type, subject_allowed))
                and (not object_allowed or onto.is_a(second.type, object_allowed))
                and (not subject_with or bool(subject_with & set(first.roles)))
                and (not object_with or bool(object_with & set(second.roles))))

    found = []
    for fact in dataset.edges:
        if keep_relations and fact.relation not in keep_relations:
            continue
        if keep_kinds and fact.kind not in keep_kinds:
            continue
        if keep_entities and not keep_entities & {fact.subject, fact.object}:
            continue
        symmetric = onto.relations[fact.relation].symmetric
        if not (fits(fact.subject, fact.object) or (symmetric and fits(fact.object, fact.subject))):
            continue
        if as_of is not None and not (
            fact.valid_on(as_of) and dataset.exists_on(fact.subject, as_of)
            and dataset.exists_on(fact.object, as_of)
        ):
            continue
        found.append(fact)
    return sorted(found, key=lambda f: (f.relation, f.subject, f.object, f.id))


def edge_json(dataset: Dataset, fact: Fact) -> dict[str, Any]:
    """A fact as JSON, with the labels of its two ends."""
    return {**fact.to_json(), "subject_label": dataset.label(fact.subject),
            "object_label": dataset.label(fact.object)}
