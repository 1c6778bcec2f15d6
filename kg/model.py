"""The typed records of the dataset: sources, entities, facts and figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.dates import PartialDate, valid_on
from kg.yamlsafe import Loc

if TYPE_CHECKING:
    from kg.ontology import Ontology
    from kg.resolve import NameIndex

# Multipliers a figure or amount may name instead of writing out zeros.
SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


@dataclass(frozen=True)
class SourceRef:
    """A citation: a registered source and where in it the fact stands."""

    source: str
    locator: str
    loc: Loc

    def to_json(self) -> dict[str, str]:
        return {"source": self.source, "locator": self.locator}


@dataclass
class Source:
    id: str
    title: str
    publisher: str
    date: PartialDate
    language: str
    shipped: bool
    loc: Loc
    author: str | None = None
    url: str | None = None
    file: str | None = None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "publisher": self.publisher,
            "author": self.author,
            "date": str(self.date),
            "language": self.language,
            "url": self.url,
            "shipped": self.shipped,
            "file": self.file,
            "note": self.note,
        }


@dataclass
class Entity:
    id: str
    type: str
    labels: dict[str, str]
    loc: Loc
    aliases: list[str] = field(default_factory=list)
    description: str | None = None
    roles: list[str] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)
    wikidata: str | None = None  # a Wikidata item id (Q…), exported as owl:sameAs
    field_locs: dict[str, Loc] = field(default_factory=dict, repr=False)

    @property
    def label(self) -> str:
        return self.labels["en"]

    def exists_on(self, day: dt.date) -> bool:
        """Whether the entity may exist on ``day`` (its ``founded`` date, if any, is not later)."""
        founded = self.attributes.get("founded")
        return founded is None or founded.start() <= day

    def names(self) -> list[str]:
        """Every label and alias, in declaration order."""
        return [*self.labels.values(), *self.aliases]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "label": self.label,
            "labels": dict(self.labels),
            "aliases": list(self.aliases),
            "description": self.description,
            "roles": list(self.roles),
            "attributes": {k: _plain(v) for k, v in self.attributes.items()},
            "wikidata": self.wikidata,
        }


@dataclass
class Fact:
    id: str
    subject: str
    relation: str
    object: str
    kind: str
    sources: list[SourceRef]
    loc: Loc
    since: PartialDate | None = None
    until: PartialDate | None = None
    qualifiers: dict[str, Any] = field(default_factory=dict)
    claimed_by: str | None = None
    note: str | None = None
    field_locs: dict[str, Loc] = field(default_factory=dict, repr=False)

    def valid_on(self, day: dt.date) -> bool:
        return valid_on(self.since, self.until, day)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "subject": self.subject,
            "relation": self.relation,
            "object": self.object,
            "kind": self.kind,
            "since": _plain(self.since),
            "until": _plain(self.until),
            "qualifiers": {k: _plain(v) for k, v in self.qualifiers.items()},
            "claimed_by": self.claimed_by,
            "note": self.note,
            "sources": [ref.to_json() for ref in self.sources],
        }


@dataclass
class Figure:
    """A number about one entity: a download count, a revenue, a price…"""

    id: str
    entity: str
    metric: str
    unit: str
    kind: str
    sources: list[SourceRef]
    loc: Loc
    value: float | int | None = None
    range: tuple[float | int, float | int] | None = None
    scale: str | None = None
    since: PartialDate | None = None
    until: PartialDate | None = None
    region: list[str] = field(default_factory=list)
    measured_by: str | None = None
    where: str | None = None
    note: str | None = None
    field_locs: dict[str, Loc] = field(default_factory=dict, repr=False)

    def valid_on(self, day: dt.date) -> bool:
        # A figure is a reading: it is known from the start of its period on.
        return self.since is None or self.since.start() <= day

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "entity": self.entity,
            "metric": self.metric,
            "value": self.value,
            "range": list(self.range) if self.range else None,
            "unit": self.unit,
            "scale": self.scale,
            "since": _plain(self.since),
            "until": _plain(self.until),
            "region": list(self.region),
            "measured_by": self.measured_by,
            "where": self.where,
            "kind": self.kind,
            "note": self.note,
            "sources": [ref.to_json() for ref in self.sources],
        }


@dataclass
class Dataset:
    """Everything loaded from a data folder, validated against the ontology."""

    ontology: Ontology
    sources: dict[str, Source]
    entities: dict[str, Entity]
    facts: list[Fact]
    figures: list[Figure]
    _names: NameIndex | None = field(default=None, repr=False)

    @property
    def names(self) -> NameIndex:
        """The index that turns labels and aliases (any script, any case) into ids."""
        if self._names is None:
            from kg.resolve import NameIndex

            self._names = NameIndex(self.entities.values())
        return self._names

    def resolve(self, name: str) -> Entity:
        """The entity an id, label or alias names; raises LookupFailed."""
        return self.entities[self.names.resolve(name)]

    def facts_of(self, entity_id: str) -> tuple[list[Fact], list[Fact]]:
        """The facts stated from the entity and those stated to it."""
        out = [f for f in self.facts if f.subject == entity_id]
        into = [f for f in self.facts if f.object == entity_id]
        return out, into

    def figures_of(self, entity_id: str) -> list[Figure]:
        return [f for f in self.figures if f.entity == entity_id]

    def label(self, entity_id: str) -> str:
        entity = self.entities.get(entity_id)
        return entity.label if entity else entity_id

    def as_of(self, day: dt.date) -> Dataset:
        """The dataset as it stood on ``day``: entities that existed, facts valid then
        between them, figures known by then. Sources are all kept."""
        entities = {k: e for k, e in self.entities.items() if e.exists_on(day)}
        return Dataset(
            ontology=self.ontology,
            sources=dict(self.sources),
            entities=entities,
            facts=[f for f in self.facts
                   if f.valid_on(day) and f.subject in entities and f.object in entities],
            figures=[f for f in self.figures if f.entity in entities and f.valid_on(day)],
        )


def _plain(value: Any) -> Any:
    """A JSON-ready copy of a stored value (dates become ISO strings)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)
