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

__all__ = [
    "begin_phrase", "Dataset", "derive_references", "Entity", "Existence", "existence_dates", "Fact",
    "Figure", "Loaded", "Reference", "SCALES", "Source", "SourceRef", "TextSpec"
]

# Multipliers a figure or amount may name instead of writing out zeros.
SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# A fact's ``since_basis`` / ``until_basis``: the date is a bound the curator chose, not the
# source's (the only value; without it, the date is the source's).
CURATOR = "curator"
DATE_BASES = (CURATOR,)
# What kind of publication a web source is. An aggregator rewrites others' reporting: a fact
# resting on it needs an independent source of another kind as well.
SOURCE_KINDS = ("company", "news", "filing", "aggregator")
# Statement ranks, as Wikidata keeps them: the best rank present answers by default.
RANKS = ("preferred", "normal", "deprecated")
# Why a statement is deprecated (required with rank: deprecated).
RANK_REASONS = ("superseded", "disputed", "retracted")


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
    # "curator" when the date is a bound the curator chose (no source states it): such a start
    # or end is no reported change. None: the date is the source's.
    since_basis: str | None = None
    until_basis: str | None = None
    rank: str = "normal"
    rank_reason: str | None = None
    field_locs: dict[str, Loc] = field(default_factory=dict, repr=False)
    # For a reference edge: the record (fact or figure id) and the field that names the subject.
    derived_from: Reference | None = None

    def valid_on(self, day: dt.date) -> bool:
        return valid_on(self.since, self.until, day)

    def reported(self, end: str) -> bool:
        """Whether the fact's ``since`` or ``until`` (``end``) is a date a source states: it has
        one, and it is not a bound the curator chose."""
        date, basis = (self.since, self.since_basis) if end == "since" else (self.until, self.until_basis)
        return date is not None and basis != CURATOR

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
            **({"since_basis": self.since_basis} if self.since_basis else {}),
            **({"until_basis": self.until_basis} if self.until_basis else {}),
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
    since: PartialDate | None = None
    until: PartialDate | None = None
    region: list[str] = field(default_factory=list)
    measured_by: str | None = None
    where: str | None = None
    # As a fact's: the round of a funding figure, its lead investor, the chart of a rank …
    qualifiers: dict[str, Any] = field(default_factory=dict)
    note: str | None = None
    # What qualifies the number: ``bound`` (an ontology ``bounds`` id: at-most, at-least,
    # about), ``period`` (the period measured, in words, when since/until do not say it) and
    # ``scope`` (what the number is about, when more than its entity: "AI tools such as Sora").
    bound: str | None = None
    period: str | None = None
    scope: str | None = None
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
            "bound": self.bound,
            "period": self.period,
            "scope": self.scope,
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
    _existence: dict[str, Existence] | None = field(default=None, repr=False)

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
        if name in self.entities:  # an id: no need to index every name
            return self.entities[name]
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

    def existence(self, entity_id: str) -> Existence:
        """When the entity begins to exist and why (see ``existence_of``)."""
        if self._existence is None:
            self._existence = existence_dates(self)
        return self._existence.get(entity_id, UNRECORDED)

    def exists_from(self, entity_id: str) -> PartialDate | None:
        """When the entity begins to exist: its ``founded`` date, else the earliest ``since`` of
        the facts whose relation begins it (the ontology's ``begins``); None when its start is
        not recorded, and it is then present on every date."""
        return self.existence(entity_id).start

    def exists_on(self, entity_id: str, day: dt.date) -> bool:
        start = self.exists_from(entity_id)
        return start is None or start.start() <= day

    def existence_reason(self, entity_id: str) -> str:
        """Why the entity starts when it does, for messages: ``founded 2025-09-30``,
        ``announced by OpenAI on 2025-09-30``, ``start not recorded``."""
        return self.existence(entity_id).reason

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


@dataclass(frozen=True)
class Existence:
    """When an entity begins to exist, and the evidence for it.

    ``basis`` is ``founded`` (its ``founded`` attribute), ``begun`` (the
    earliest fact whose relation the ontology marks as beginning it, named by
    ``fact`` and described by ``phrase``, such as "announced by OpenAI") or
    ``unrecorded`` (no such evidence: ``start`` is None and the entity is
    present on every date).
    """

    start: PartialDate | None
    basis: str
    fact: str | None = None
    phrase: str | None = None

    @property
    def reason(self) -> str:
        if self.basis == "founded":
            return f"founded {self.start}"
        if self.basis == "begun":
            return f"{self.phrase} on {self.start}"
        return "start not recorded"

    def to_json(self) -> dict[str, Any]:
        return {"start": _plain(self.start), "basis": self.basis, "fact": self.fact,
                "phrase": self.phrase, "reason": self.reason}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Existence:
        start = data.get("start")
        return cls(PartialDate.parse(start) if start else None, data["basis"], data.get("fact"),
                   data.get("phrase"))


UNRECORDED = Existence(None, "unrecorded")


def existence_dates(dataset: Dataset) -> dict[str, Existence]:
    """Entity id -> when it begins to exist, for every entity whose start is recorded.

    An entity exists from its ``founded`` date; else from the earliest ``since``
    of the stated facts whose relation begins it (``begins: subject | object |
    both`` in the ontology) provided every one of them is dated (an undated one
    may be earlier); else its start is not recorded. Other dates (an article's,
    a claim's, a figure's) say when it was written about, not when it began.
    """
    onto = dataset.ontology
    begun: dict[str, list[tuple[int, Fact, str]]] = {}
    for order, fact in enumerate(dataset.facts):
        relation = onto.relations.get(fact.relation)
        if relation is None or fact.rank == "deprecated":  # a deprecated statement dates nothing
            continue
        for side in relation.begins:
            # Among facts of one date, a reported event (an announcement) is the better witness.
            begun.setdefault(getattr(fact, side), []).append((order, fact, side))
    found: dict[str, Existence] = {}
    for entity_id, entity in dataset.entities.items():
        founded = entity.attributes.get("founded")
        if isinstance(founded, PartialDate):
            found[entity_id] = Existence(founded, "founded")
            continue
        evidence = begun.get(entity_id, [])
        if not evidence or any(fact.since is None for _, fact, _ in evidence):
            continue
        _, fact, side = min(evidence, key=lambda e: (e[1].since.start(),  # type: ignore[union-attr]
                                                     e[1].kind != "event", e[0]))
        found[entity_id] = Existence(fact.since, "begun", fact.id,
                                     _begin_phrase(dataset, fact, side))
    return found


def _begin_phrase(dataset: Dataset, fact: Fact, side: str) -> str:
    """How the fact begins its ``side``: "announced by OpenAI", "successor of Sora"."""
    other = fact.object if side == "subject" else fact.subject
    return begin_phrase(dataset.ontology, fact.relation, fact.kind, side, dataset.label(other))


def begin_phrase(ontology: Ontology, relation_id: str, kind: str, side: str, other: str) -> str:
    """How a fact of ``relation_id`` begins its ``side``, ``other`` being the label of its other
    end (the compiled store words it from its rows, as ``Dataset.existence`` does)."""
    relation = ontology.relations[relation_id]
    claim = " (a claim)" if kind == "claim" else ""
    if side == "subject":
        return f"{relation.label['en']} {other}{claim}"
    verb = relation.inverse_label.get("en") or f"{relation.label['en']} (from)"
    if relation.symmetric:
        verb = relation.label["en"]
    return f"{verb} {other}{claim}"


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
                since_basis=getattr(record, "since_basis", None),
                until_basis=getattr(record, "until_basis", None) if until is not None else None,
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
