"""The typed records of the dataset: sources, entities, facts and figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.data.dates import PartialDate, valid_on
from kg.util.yamlsafe import Loc

if TYPE_CHECKING:
    from kg.data.names import NameIndex
    from kg.data.ontology import Ontology
    from kg.errors import Problem

# Multipliers a figure or amount may name instead of writing out zeros.
SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# What kind of publication a web source is. An aggregator rewrites others' reporting: a fact
# resting on it needs an independent source of another kind as well.
SOURCE_KINDS = ("company", "news", "filing", "aggregator")
# Statement ranks, as Wikidata keeps them: the best rank present answers by default.
RANKS = ("preferred", "normal", "deprecated")
# Why a statement is deprecated (required with rank: deprecated).
RANK_REASONS = ("superseded", "disputed", "retracted")
# How a figure's value stands to the true one when the source gives a limit or an estimate.
BOUNDS = ("at-most", "at-least", "about")


@dataclass(frozen=True)
class SourceRef:
    """A citation: a registered source, where in it the fact stands, and (for a web page,
    optional elsewhere) a key phrase: a few words of that place that a reader searches for."""

    source: str
    locator: str
    loc: Loc
    phrase: str | None = None

    def to_json(self) -> dict[str, str]:
        found = {"source": self.source, "locator": self.locator}
        if self.phrase is not None:
            found["phrase"] = self.phrase
        return found


@dataclass(frozen=True)
class TextSpec:
    """How ``kg check-citations`` finds a source's text and counts its paragraphs.

    The text is the file whose SHA-256 digest is ``sha256``, or else the one
    file whose name matches the glob ``file`` (neither: the curator has no copy,
    and the spec only says how the source's paragraphs are counted); ``paragraphs`` says whether a
    paragraph is a block between blank lines (``blocks``) or every non-empty
    line (``lines``).
    """

    sha256: str | None = None
    file: str | None = None
    paragraphs: str = "blocks"

    def to_json(self) -> dict[str, str]:
        found = {"sha256": self.sha256, "file": self.file, "paragraphs": self.paragraphs}
        return {k: v for k, v in found.items() if v is not None}


@dataclass
class Source:
    """A document that facts cite, described so that a reader can find it."""

    id: str
    title: str
    publisher: str
    date: PartialDate
    language: str
    loc: Loc
    author: str | None = None
    url: str | None = None
    published_in: str | None = None
    publisher_entity: str | None = None
    text: TextSpec | None = None
    note: str | None = None
    # A web page: what kind of publication it is (SOURCE_KINDS) and the day it was read.
    kind: str | None = None
    retrieved: PartialDate | None = None
    field_locs: dict[str, Loc] = field(default_factory=dict, repr=False)

    @property
    def is_web(self) -> bool:
        """Whether the source is a web page (it has a kind): its citations need key phrases."""
        return self.kind is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "publisher": self.publisher,
            "publisher_entity": self.publisher_entity,
            "author": self.author,
            "date": str(self.date),
            "retrieved": _plain(self.retrieved),
            "language": self.language,
            "kind": self.kind,
            "url": self.url,
            "published_in": self.published_in,
            "text": self.text.to_json() if self.text else None,
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
    rank: str = "normal"
    rank_reason: str | None = None
    field_locs: dict[str, Loc] = field(default_factory=dict, repr=False)
    # For a reference edge: the record (fact or figure id) and the field that names the subject.
    derived_from: Reference | None = None

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
            "rank": self.rank,
            "rank_reason": self.rank_reason,
            "note": self.note,
            "sources": [ref.to_json() for ref in self.sources],
            "derived_from": self.derived_from.to_json() if self.derived_from else None,
        }


@dataclass(frozen=True)
class Reference:
    """Where a reference edge comes from: a fact or figure, and the field naming an entity."""

    record: str
    field: str  # e.g. "facts.claimed_by", "figures.measured_by", "qualifiers.via"
    ends: tuple[str, ...] = ()  # the record's own entities: the edge is in view only with them
    of_figure: bool = False  # whether the record is a figure (its qualifiers name entities too)

    def to_json(self) -> dict[str, str]:
        return {"record": self.record, "field": self.field}


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
    bound: str | None = None  # at-most | at-least | about: the value is a limit or an estimate
    since: PartialDate | None = None
    until: PartialDate | None = None
    region: list[str] = field(default_factory=list)
    measured_by: str | None = None
    where: str | None = None
    # As a fact's: the round of a funding figure, its lead investor, the chart of a rank …
    qualifiers: dict[str, Any] = field(default_factory=dict)
    note: str | None = None
    rank: str = "normal"
    rank_reason: str | None = None
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
            "bound": self.bound,
            "since": _plain(self.since),
            "until": _plain(self.until),
            "region": list(self.region),
            "measured_by": self.measured_by,
            "where": self.where,
            "qualifiers": {k: _plain(v) for k, v in self.qualifiers.items()},
            "kind": self.kind,
            "rank": self.rank,
            "rank_reason": self.rank_reason,
            "note": self.note,
            "sources": [ref.to_json() for ref in self.sources],
        }


@dataclass
class Dataset:
    """Everything loaded from a data folder, validated against the ontology.

    ``facts`` are the facts as stated; ``references`` are the edges derived
    from entities named inside a record (a claim's holder, an entity-valued
    qualifier, a figure's ``measured_by`` or ``where``); ``edges`` is both.
    """

    ontology: Ontology
    sources: dict[str, Source]
    entities: dict[str, Entity]
    facts: list[Fact]
    figures: list[Figure]
    _names: NameIndex | None = field(default=None, repr=False)
    _references: list[Fact] | None = field(default=None, repr=False)
    _existence: dict[str, PartialDate] | None = field(default=None, repr=False)

    @property
    def names(self) -> NameIndex:
        """The index that turns labels and aliases (any script, any case) into ids."""
        if self._names is None:
            from kg.data.names import NameIndex

            self._names = NameIndex(self.entities.values())
        return self._names

    @property
    def references(self) -> list[Fact]:
        """The reference edges between entities of this dataset (see ``derive_references``)."""
        if self._references is None:
            self._references = [
                r for r in derive_references(self.ontology, self.facts, self.figures)
                if r.subject in self.entities and r.object in self.entities
            ]
        return self._references

    @property
    def edges(self) -> list[Fact]:
        """Every edge of the graph: the stated facts, then the reference edges."""
        return [*self.facts, *self.references]

    def resolve(self, name: str) -> Entity:
        """The entity an id, label or alias names; raises LookupFailed."""
        return self.entities[self.names.resolve(name)]

    def facts_of(self, entity_id: str) -> tuple[list[Fact], list[Fact]]:
        """The edges (facts and references) from the entity and those to it."""
        edges = self.edges
        out = [f for f in edges if f.subject == entity_id]
        into = [f for f in edges if f.object == entity_id]
        return out, into

    def figures_of(self, entity_id: str) -> list[Figure]:
        return [f for f in self.figures if f.entity == entity_id]

    def citing(self, source_id: str) -> tuple[list[Fact], list[Figure]]:
        """The stated facts and the figures that cite the source."""
        return ([f for f in self.facts if any(r.source == source_id for r in f.sources)],
                [g for g in self.figures if any(r.source == source_id for r in g.sources)])

    def published_by(self, entity_id: str) -> list[Source]:
        """The sources whose ``publisher_entity`` is the entity."""
        return [s for s in self.sources.values() if s.publisher_entity == entity_id]

    def label(self, entity_id: str) -> str:
        entity = self.entities.get(entity_id)
        return entity.label if entity else entity_id

    def exists_from(self, entity_id: str) -> PartialDate | None:
        """When the entity begins to exist: its ``founded`` date or, without one, the earliest
        ``since`` of the facts, references and figures involving it that are not deprecated;
        None if it always existed (no ``founded`` and nothing dated)."""
        if self._existence is None:
            self._existence = existence_dates(self)
        return self._existence.get(entity_id)

    def exists_on(self, entity_id: str, day: dt.date) -> bool:
        start = self.exists_from(entity_id)
        return start is None or start.start() <= day

    def existence_reason(self, entity_id: str) -> str:
        """Why the entity starts when it does, for messages: ``founded 2025-09-30`` …"""
        start = self.exists_from(entity_id)
        if start is None:
            return "undated: it always exists"
        entity = self.entities.get(entity_id)
        if entity is not None and entity.attributes.get("founded") is not None:
            return f"founded {start}"
        return f"first dated fact or figure: {start}"

    def subset(self, entities: dict[str, Entity], facts: list[Fact], figures: list[Figure],
               references: list[Fact] | None = None) -> Dataset:
        """A part of this dataset. Existence dates stay those of the whole, so that a part never
        makes an entity begin later; ``references`` (if given) replaces the derived ones."""
        if self._existence is None:
            self._existence = existence_dates(self)
        part = Dataset(ontology=self.ontology, sources=dict(self.sources), entities=entities,
                       facts=facts, figures=figures, _existence=self._existence)
        if references is not None:
            part._references = list(references)
        return part

    def as_of(self, day: dt.date) -> Dataset:
        """The dataset as it stood on ``day``: entities that existed, facts valid then
        between them, figures known by then. Sources are all kept."""
        entities = {k: e for k, e in self.entities.items() if self.exists_on(k, day)}
        return self.subset(
            entities,
            [f for f in self.facts
             if f.valid_on(day) and f.subject in entities and f.object in entities],
            [f for f in self.figures if f.entity in entities and f.valid_on(day)],
            # A reference is in view while its record is: valid, and all its entities exist.
            references=[r for r in self.references
                        if r.valid_on(day) and r.subject in entities and r.object in entities
                        and all(self.exists_on(end, day)
                                for end in (r.derived_from.ends if r.derived_from else ()))],
        )


def existence_dates(dataset: Dataset) -> dict[str, PartialDate]:
    """Entity id -> the date it begins to exist, for every entity that has one."""
    earliest: dict[str, PartialDate] = {}

    def seen(entity_id: str, date: PartialDate | None) -> None:
        if date is not None and (entity_id not in earliest
                                 or date.start() < earliest[entity_id].start()):
            earliest[entity_id] = date

    # A deprecated statement (superseded, disputed, retracted) dates nothing.
    facts = [f for f in dataset.facts if f.rank != "deprecated"]
    figures = [f for f in dataset.figures if f.rank != "deprecated"]
    references = derive_references(dataset.ontology, facts, figures)
    for edge in [*facts, *references]:
        seen(edge.subject, edge.since)
        seen(edge.object, edge.since)
    for figure in figures:
        seen(figure.entity, figure.since)
    for entity_id, entity in dataset.entities.items():
        founded = entity.attributes.get("founded")
        if isinstance(founded, PartialDate):
            earliest[entity_id] = founded
    return {k: v for k, v in earliest.items() if k in dataset.entities}


def derive_references(ontology: Ontology, facts: list[Fact], figures: list[Figure]) -> list[Fact]:
    """The reference edges: one from each entity named inside a record to each end of it.

    Which fields name entities, and which relation each becomes, is the
    ontology's ``derived_from`` (``Ontology.reference_relations``): a claim's
    ``claimed_by``, an entity-valued qualifier, a figure's ``measured_by`` or
    ``where``. The edge goes from the named entity to the fact's subject and
    object (or the figure's entity), carries the record's kind, dates and
    sources, and is never a self-loop.
    """
    relation_of = ontology.reference_relations()
    found: dict[str, Fact] = {}

    def add(record: Fact | Figure, field_name: str, named: Any, ends: tuple[str, ...],
            until: PartialDate | None) -> None:
        relation = relation_of.get(field_name)
        if relation is None or not isinstance(named, str):
            return
        key = field_name.split(".", 1)[1]
        loc = record.field_locs.get(key if not field_name.startswith("qualifiers.")
                                    else field_name, record.loc)
        for end in dict.fromkeys(ends):
            if end == named:
                continue
            edge_id = f"{record.id}~{relation}~{end}"
            found.setdefault(edge_id, Fact(
                id=edge_id, subject=named, relation=relation, object=end, kind=record.kind,
                sources=list(record.sources), loc=loc, since=record.since, until=until,
                rank=record.rank, rank_reason=record.rank_reason,
                derived_from=Reference(record.id, field_name, ends, isinstance(record, Figure)),
            ))

    for fact in facts:
        add(fact, "facts.claimed_by", fact.claimed_by, (fact.subject, fact.object), fact.until)
        for key, value in fact.qualifiers.items():
            add(fact, f"qualifiers.{key}", value, (fact.subject, fact.object), fact.until)
    for figure in figures:
        # A figure is a reading, known from its ``since`` on: so are its references.
        add(figure, "figures.measured_by", figure.measured_by, (figure.entity,), None)
        add(figure, "figures.where", figure.where, (figure.entity,), None)
        for key, value in figure.qualifiers.items():
            add(figure, f"qualifiers.{key}", value, (figure.entity,), None)
    return list(found.values())


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


@dataclass
class Loaded:
    """The records read from a data folder, before cross-record checks."""

    ontology: Ontology
    files: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Ids of records left out for their shape: referring to them is no second error.
    rejected: dict[str, set[str]] = field(default_factory=dict)
