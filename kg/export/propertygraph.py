"""The property-graph model shared by the Cypher and neo4j-admin CSV exports.

Everything is derived from the ontology, so a new type, role, relation,
attribute or qualifier needs no code here:

- an entity is a node labelled ``Entity``, its type and the type's ancestors
  (``app`` -> ``App``, ``Product``) and its roles (``RightsHolder``), each in
  UpperCamelCase;
- a fact is a relationship whose type is its relation in UPPER_SNAKE_CASE
  (``opted-out-of`` -> ``OPTED_OUT_OF``), stated from subject to object; so is
  each reference edge (``Dataset.references``: a claim's holder, an
  entity-valued qualifier, a figure's ``measured_by`` or ``where``), with
  ``derived: true`` and the record and field it comes from;
- a figure is a node labelled ``Figure``, linked from its entity by a
  ``HAS_FIGURE`` relationship.

Property values are strings, integers, floats, booleans or lists of strings
(what every engine stores). A value that is absent is left out, never stored
as null or as an empty list. Dates keep the ISO string the source gives
(``2025-10``) and add the first and last day it may stand for
(``since_first: '2025-10-01'``, ``since_last: '2025-10-31'``); ISO strings
compare in date order. Citations are three aligned lists: ``source_ids``,
``source_titles`` and ``source_locators``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kg.data.dates import PartialDate, bounds
from kg.data.model import Entity, Fact, Figure, Source, SourceRef
from kg.data.ontology import Ontology, camel
from kg.errors import KgError

__all__ = [
    "ENTITY_LABEL", "entity_properties", "fact_properties", "FIGURE_LABEL", "FIGURE_LINK",
    "figure_properties", "label_name", "mapping_table", "property_key", "relationship_type", "Schema",
    "schema"
]

ENTITY_LABEL = "Entity"
FIGURE_LABEL = "Figure"
FIGURE_LINK = "HAS_FIGURE"

# Property types, in neo4j-admin's header names.
STRING, STRINGS, LONG, DOUBLE, BOOLEAN = "string", "string[]", "long", "double", "boolean"

_INT64 = (-(2**63), 2**63 - 1)


def label_name(term_id: str) -> str:
    """``creative-work`` -> ``CreativeWork`` (entity types and roles)."""
    return camel(term_id, upper=True)


def relationship_type(relation_id: str) -> str:
    """``opted-out-of`` -> ``OPTED_OUT_OF``."""
    return relation_id.replace("-", "_").upper()


def property_key(term_id: str) -> str:
    """``zh-Hans`` -> ``zh_Hans``: a key that needs no backticks in Cypher."""
    return term_id.replace("-", "_")


def _date_columns(key: str) -> list[tuple[str, str]]:
    return [(key, STRING), (f"{key}_first", STRING), (f"{key}_last", STRING)]


@dataclass(frozen=True)
class Schema:
    """Labels, relationship types and property columns for one ontology."""

    ontology: Ontology
    type_labels: dict[str, tuple[str, ...]]
    role_labels: dict[str, str]
    relation_types: dict[str, str]
    attribute_keys: dict[str, str]
    entity_columns: tuple[tuple[str, str], ...]
    fact_columns: tuple[tuple[str, str], ...]
    figure_columns: tuple[tuple[str, str], ...]

    def entity_labels(self, entity: Entity) -> tuple[str, ...]:
        """``Entity``, the type and its ancestors, then the roles in the order given."""
        return (ENTITY_LABEL, *self.type_labels[entity.type],
                *(self.role_labels[role] for role in entity.roles))


def schema(ontology: Ontology) -> Schema:
    """The property-graph names of an ontology; raises KgError when two terms would share one."""
    type_labels = {t: tuple(label_name(a) for a in ontology.ancestors(t)) for t in ontology.entity_types}
    role_labels = {r: label_name(r) for r in ontology.roles}
    relation_types = {r: relationship_type(r) for r in ontology.relations}
    _check_unique("label", [(ENTITY_LABEL, "the entity label"), (FIGURE_LABEL, "the figure label")]
                  + [(label_name(t), f"entity type {t!r}") for t in ontology.entity_types]
                  + [(name, f"role {r!r}") for r, name in role_labels.items()])
    _check_unique("relationship type", [(FIGURE_LINK, "the figure link")]
                  + [(name, f"relation {r!r}") for r, name in relation_types.items()])

    entity_columns: list[tuple[str, str]] = [("id", STRING), ("type", STRING), ("name", STRING)]
    entity_columns += [(f"label_{property_key(lang)}", STRING) for lang in ontology.languages]
    entity_columns += [("aliases", STRINGS), ("description", STRING), ("roles", STRINGS)]
    attribute_keys: dict[str, str] = {}
    taken = {key for key, _ in entity_columns}
    for name, term in ontology.attributes.items():
        key = property_key(name)
        key = f"attribute_{key}" if key in taken else key
        attribute_keys[name] = key
        value_type = term.get("type")
        entity_columns += _date_columns(key) if value_type == "date" else [(key, _COLUMN_TYPES[value_type])]

    fact_columns: list[tuple[str, str]] = [("id", STRING), ("relation", STRING), ("kind", STRING),
                                           ("symmetric", BOOLEAN), ("derived", BOOLEAN),
                                           ("derived_from_record", STRING), ("derived_from_field", STRING)]
    fact_columns += _date_columns("since") + _date_columns("until")
    fact_columns += [("since_basis", STRING), ("until_basis", STRING)]
    fact_columns += [("claimed_by", STRING), ("note", STRING), ("rank", STRING),
                     ("rank_reason", STRING)]
    qualifier_columns: list[tuple[str, str]] = []
    for name, term in ontology.qualifiers.items():
        key = f"qualifier_{property_key(name)}"
        value_type = term.get("type")
        if value_type == "amount":
            qualifier_columns += [(f"{key}_value", DOUBLE), (f"{key}_unit", STRING),
                                  (f"{key}_scale", STRING)]
        elif value_type == "date":
            qualifier_columns += _date_columns(key)
        else:
            qualifier_columns.append((key, _COLUMN_TYPES[value_type]))
    fact_columns += qualifier_columns + _source_columns()

    figure_columns: list[tuple[str, str]] = [
        ("id", STRING), ("entity", STRING), ("metric", STRING), ("value", DOUBLE),
        ("range_low", DOUBLE), ("range_high", DOUBLE), ("unit", STRING), ("scale", STRING),
        ("bound", STRING), ("scope", STRING), ("period", STRING),
        *_date_columns("since"), *_date_columns("until"), ("region", STRINGS),
        ("measured_by", STRING), ("where", STRING), ("kind", STRING), ("note", STRING),
        ("rank", STRING), ("rank_reason", STRING), *qualifier_columns, *_source_columns()]
    return Schema(ontology, type_labels, role_labels, relation_types, attribute_keys,
                  tuple(entity_columns), tuple(fact_columns), tuple(figure_columns))


_COLUMN_TYPES = {"string": STRING, "url": STRING, "entity": STRING, "integer": LONG, "number": DOUBLE}


def _source_columns() -> list[tuple[str, str]]:
    return [("source_ids", STRINGS), ("source_titles", STRINGS), ("source_locators", STRINGS),
            ("source_phrases", STRINGS)]


def _check_unique(what: str, names: list[tuple[str, str]]) -> None:
    seen: dict[str, str] = {}
    for name, owner in names:
        if name in seen:
            raise KgError(f"{owner} and {seen[name]} would both be the {what} {name!r} in a "
                          "property graph; rename one in the ontology")
        seen[name] = owner


# -- properties of one record --------------------------------------------------------------------

def entity_properties(schema: Schema, entity: Entity) -> dict[str, Any]:
    """The node properties of an entity, in the order of ``schema.entity_columns``."""
    props: dict[str, Any] = {"id": entity.id, "type": entity.type, "name": entity.label}
    for lang in schema.ontology.languages:
        if lang in entity.labels:
            props[f"label_{property_key(lang)}"] = entity.labels[lang]
    props.update(aliases=list(entity.aliases), description=entity.description, roles=list(entity.roles))
    for name, key in schema.attribute_keys.items():
        if name in entity.attributes:
            _put(props, key, entity.attributes[name])
    return _checked(props, f"entity {entity.id!r}")


def fact_properties(schema: Schema, fact: Fact, sources: Mapping[str, Source]) -> dict[str, Any]:
    """The relationship properties of a fact or reference edge, in the order of
    ``schema.fact_columns``."""
    relation = schema.ontology.relations[fact.relation]
    origin = fact.derived_from
    props: dict[str, Any] = {"id": fact.id, "relation": fact.relation, "kind": fact.kind,
                             "symmetric": relation.symmetric, "derived": origin is not None,
                             "derived_from_record": origin.record if origin else None,
                             "derived_from_field": origin.field if origin else None}
    _put(props, "since", fact.since)
    _put(props, "until", fact.until)
    props.update(since_basis=fact.since_basis, until_basis=fact.until_basis)
    props.update(claimed_by=fact.claimed_by, note=fact.note, **_rank(fact))
    _qualifiers(props, schema, fact.qualifiers)
    props.update(_citations(fact.sources, sources))
    return _checked(props, f"fact {fact.id!r}")


def _rank(record: Fact | Figure) -> dict[str, str | None]:
    """The rank, where it is not the default (normal), and the reason for a deprecated one."""
    return {"rank": record.rank if record.rank != "normal" else None,
            "rank_reason": record.rank_reason}


def _qualifiers(props: dict[str, Any], schema: Schema, qualifiers: Mapping[str, Any]) -> None:
    for name in schema.ontology.qualifiers:
        if name not in qualifiers:
            continue
        key, value = f"qualifier_{property_key(name)}", qualifiers[name]
        if isinstance(value, dict):  # an amount
            props.update({f"{key}_value": value["value"], f"{key}_unit": value["unit"],
                          f"{key}_scale": value.get("scale")})
        else:
            _put(props, key, value)


def figure_properties(figure: Figure, sources: Mapping[str, Source], schema: Schema) -> dict[str, Any]:
    """The node properties of a figure, in the order of ``schema.figure_columns``."""
    low, high = figure.range if figure.range else (None, None)
    props: dict[str, Any] = {"id": figure.id, "entity": figure.entity, "metric": figure.metric,
                             "value": figure.value, "range_low": low, "range_high": high,
                             "unit": figure.unit, "scale": figure.scale, "bound": figure.bound,
                             "scope": figure.scope, "period": figure.period}
    _put(props, "since", figure.since)
    _put(props, "until", figure.until)
    props.update(region=list(figure.region), measured_by=figure.measured_by, where=figure.where,
                 kind=figure.kind, note=figure.note, **_rank(figure))
    _qualifiers(props, schema, figure.qualifiers)
    props.update(_citations(figure.sources, sources))
    return _checked(props, f"figure {figure.id!r}")


def _put(props: dict[str, Any], key: str, value: Any) -> None:
    """A value under ``key``; a date also gives ``<key>_first`` and ``<key>_last``."""
    if isinstance(value, PartialDate):
        first, last = bounds(value)  # type: ignore[misc]
        props.update({key: str(value), f"{key}_first": first.isoformat(),
                      f"{key}_last": last.isoformat()})
    else:
        props[key] = value


def _citations(refs: list[SourceRef], sources: Mapping[str, Source]) -> dict[str, list[str]]:
    return {"source_ids": [ref.source for ref in refs],
            "source_titles": [sources[ref.source].title if ref.source in sources else ref.source
                              for ref in refs],
            "source_locators": [ref.locator for ref in refs],
            "source_phrases": [ref.phrase or "" for ref in refs]
            if any(ref.phrase for ref in refs) else []}


def _checked(props: dict[str, Any], owner: str) -> dict[str, Any]:
    """Drop absent values; refuse what no engine can store, naming the record and key."""
    kept: dict[str, Any] = {}
    for key, value in props.items():
        if value is None or value == []:
            continue
        for item in value if isinstance(value, list) else [value]:
            problem = _unstorable(item)
            if problem:
                raise KgError(f"cannot export {owner}: {key} {problem}")
        kept[key] = value
    return kept


def _unstorable(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return None if _INT64[0] <= value <= _INT64[1] else f"{value} does not fit in 64 bits"
    if isinstance(value, float):
        return None if math.isfinite(value) else f"{value} is not a finite number"
    if isinstance(value, str):
        if "\x00" in value:
            return "contains U+0000 (NUL), which graph databases cannot store in a string"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "contains a lone surrogate, which is not valid Unicode text"
        return None
    return f"has a value of type {type(value).__name__}"


def mapping_table(ontology: Ontology) -> str:
    """The ontology -> property-graph names as a Markdown table (docs/property-graphs.md)."""
    names = schema(ontology)
    lines = ["| kind | ontology term | property graph |", "|---|---|---|"]
    for type_id, labels in names.type_labels.items():
        lines.append(f"| entity type | `{type_id}` | `:{ENTITY_LABEL}:{':'.join(labels)}` |")
    for role, label in names.role_labels.items():
        lines.append(f"| role | `{role}` | `:{label}` |")
    for relation_id, rel_type in names.relation_types.items():
        relation = ontology.relations[relation_id]
        note = " (symmetric: stored once, `symmetric: true`)" if relation.symmetric else ""
        if relation.derived:
            note = f" (derived from {', '.join(f'`{f}`' for f in relation.derived_from)}, `derived: true`)"
        lines.append(f"| relation | `{relation_id}` | `[:{rel_type}]`{note} |")
    lines.append(f"| figure | (any metric) | `(:{ENTITY_LABEL})-[:{FIGURE_LINK}]->(:{FIGURE_LABEL})` |")
    return "\n".join(lines) + "\n"
