"""The RDF view of the graph: its vocabulary, its instance data, and reading a dump back.

The model follows Wikidata's: every reported fact gives a direct ("truthy")
triple, ``entity:disney kg:optedOutOf entity:sora-copyright-opt-out``, that a
SPARQL user can query simply, and every fact, event or claim gives a
statement node ``fact:<id>`` that carries its subject, predicate and object
(``rdf:subject`` / ``rdf:predicate`` / ``rdf:object``), its kind, valid time,
qualifiers, claimant, note and citations. Claims get a statement node only,
never a direct triple. docs/exports.md describes the model in full.

Every class, property and individual name is generated from the ontology
(``EntityType.rdf_name``, ``Relation.rdf_name`` …) and every IRI from its
``namespace`` block; a name clash between two ontology terms is an error.
No blank nodes appear in the data: nodes that need an identity get an IRI
derived from the record they belong to, so the output is deterministic.

This module imports rdflib: import it only inside the functions that need RDF.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote, unquote

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib import Dataset as RdfDataset
from rdflib.namespace import DCTERMS, OWL, PROV, SDO, SKOS, NamespaceManager
from rdflib.term import Node

from kg.dates import DateError, PartialDate
from kg.errors import KgError
from kg.model import Dataset, Entity, Fact, Figure, Source, SourceRef
from kg.ontology import Ontology, camel

# The one fact kind that is an opinion rather than a reported happening; it
# gets a statement node but no direct triple (see kg.validate, which treats
# it alike for ``claimed_by``).
CLAIM = "claim"

# RDF syntaxes: our name -> (rdflib's name, file suffix, media type).
FORMATS: dict[str, tuple[str, str]] = {
    "turtle": ("turtle", ".ttl"),
    "nt": ("nt", ".nt"),
    "jsonld": ("json-ld", ".jsonld"),
    "trig": ("trig", ".trig"),
    "xml": ("xml", ".rdf"),
}
# File suffixes recognised when reading a dump back.
SUFFIXES = {".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".jsonld": "jsonld",
            ".json": "jsonld", ".trig": "trig", ".rdf": "xml", ".xml": "xml", ".owl": "xml",
            ".nq": "nquads"}

# Prefix names for the instance namespaces (keys of the ontology's ``namespace:`` block).
INSTANCE_PREFIXES = {"entities": "entity", "facts": "fact", "figures": "figure", "sources": "source"}
# Characters kept as they are when an id becomes part of an IRI.
_SAFE = "-._~"

_PLAIN_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_DATE_TYPES = {"year": XSD.gYear, "month": XSD.gYearMonth, "day": XSD.date}

# The structural vocabulary: terms that belong to the shape of the model (a
# statement, a figure, a citation …) rather than to the ontology's content.
# name -> (kind, English label, comment, range)
_STRUCTURE: dict[str, tuple[str, str, str, URIRef | str | None]] = {
    "Entity": ("class", "entity", "Anything the graph describes; every entity type is a subclass.", None),
    "Statement": ("class", "statement", "One fact, event or claim as the data states it: its subject, "
                  "predicate and object with kind, valid time, qualifiers and citations.", None),
    "Figure": ("class", "figure", "A number about one entity: a metric with value or range, unit, "
               "period and citations.", None),
    "Source": ("class", "source", "A document that facts and figures cite.", None),
    "Citation": ("class", "citation", "Where in a source a statement or figure stands: the source "
                 "and a locator (section and paragraph).", None),
    "Quantity": ("class", "quantity", "A number with a unit and an optional scale "
                 "(thousand, million, billion).", None),
    "FactKind": ("class", "fact kind", "How sure a statement is: a reported fact or event, or a "
                 "claim attributed to its source.", None),
    "Metric": ("class", "metric", "What a figure measures.", None),
    "kind": ("object", "kind", "The kind of a statement or figure.", "FactKind"),
    "since": ("datatype", "since", "Start of the valid time (inclusive, at the precision given); "
              "the date of an event.", "date"),
    "until": ("datatype", "until", "End of the valid time (inclusive, at the precision given).", "date"),
    "claimedBy": ("object", "claimed by", "Who holds the opinion a claim states.", "Entity"),
    "locator": ("datatype", "locator", "Where in the source: section heading and paragraph.",
                XSD.string),
    "position": ("datatype", "position", "The order of a citation among those of its statement "
                 "(1 = first).", XSD.integer),
    "value": ("datatype", "value", "A number (xsd:integer or xsd:decimal), to be multiplied by the "
              "scale if one is given.", None),
    "lowerBound": ("datatype", "lower bound", "The low end of a figure given as a range.", None),
    "upperBound": ("datatype", "upper bound", "The high end of a figure given as a range.", None),
    "unit": ("datatype", "unit", "The unit of a number: a metric's unit, or an ISO 4217 currency code.",
             XSD.string),
    "scale": ("datatype", "scale", "A multiplier named instead of zeros: thousand, million or billion.",
              XSD.string),
    "entity": ("object", "entity", "The entity a figure is about.", "Entity"),
    "metric": ("object", "metric", "The metric a figure measures.", "Metric"),
    "measuredBy": ("object", "measured by", "Who measured a figure.", "Entity"),
    "where": ("object", "where", "The market or store a figure refers to.", "Entity"),
    "shipped": ("datatype", "shipped", "Whether the source is one of the documents shipped with "
                "the data.", XSD.boolean),
    "file": ("datatype", "file", "The file name of a shipped source document.", XSD.string),
    "inverseLabel": ("annotation", "inverse label", "How the relation reads from object to subject.",
                     None),
    "allowedKind": ("annotation", "allowed kind", "The only fact kinds a relation's statements may "
                    "have.", None),
    "subjectRole": ("annotation", "subject role", "The role the subject of a relation must have.", None),
    "appliesTo": ("annotation", "applies to", "The entity types a role may be given to.", None),
}


# --------------------------------------------------------------------------- names


@dataclass(frozen=True)
class Names:
    """The IRI namespaces, read from the ontology's ``namespace`` block."""

    prefix: str
    vocab: Namespace
    entity: str
    fact: str
    figure: str
    source: str
    graph: str

    @classmethod
    def of(cls, ontology: Ontology) -> Names:
        ns = ontology.namespace
        bases = [ns[key] for key in ("vocabulary", *INSTANCE_PREFIXES)]
        common = os.path.commonprefix(bases)
        cut = max(common.rfind(":"), common.rfind("/"), common.rfind("#"))
        graph = common[:cut + 1] + "graph" + common[cut] if cut > 0 else ns["vocabulary"] + "graph-"
        return cls(prefix=ns["prefix"], vocab=Namespace(ns["vocabulary"]), entity=ns["entities"],
                   fact=ns["facts"], figure=ns["figures"], source=ns["sources"], graph=graph)

    def bindings(self) -> dict[str, str]:
        """Prefix name -> namespace IRI, for Turtle, TriG, JSON-LD and SPARQL."""
        return {
            self.prefix: str(self.vocab),
            "entity": self.entity, "fact": self.fact, "figure": self.figure, "source": self.source,
            "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL), "xsd": str(XSD), "skos": str(SKOS),
            "prov": str(PROV), "dcterms": str(DCTERMS), "schema": str(SDO),
        }

    @staticmethod
    def mint(base: str, identifier: str) -> URIRef:
        return URIRef(base + quote(identifier, safe=_SAFE))

    @staticmethod
    def local(base: str, iri: Node) -> str | None:
        """The id an IRI in ``base`` stands for, or None when it is not in ``base``."""
        text = str(iri)
        if not isinstance(iri, URIRef) or not text.startswith(base) or len(text) == len(base):
            return None
        return unquote(text[len(base):])


def bind(manager: NamespaceManager, names: Names) -> None:
    for prefix, iri in names.bindings().items():
        manager.bind(prefix, Namespace(iri), override=True, replace=True)


# --------------------------------------------------------------------------- vocabulary


class Vocab:
    """The RDF names of an ontology's terms; raises KgError when two terms would share one."""

    def __init__(self, ontology: Ontology) -> None:
        self.ontology = ontology
        self.names = Names.of(ontology)
        self.kg = self.names.vocab
        self._owner: dict[str, str] = {name: "a built-in term" for name in _STRUCTURE}
        o = ontology
        self.types = {t.id: self._claim(t.rdf_name, f"entity type {t.id!r}") for t in
                      o.entity_types.values()}
        self.roles = {r: self._claim(camel(r, True), f"role {r!r}") for r in o.roles}
        self.relations = {r.id: self._claim(r.rdf_name, f"relation {r.id!r}") for r in
                          o.relations.values()}
        self.qualifiers = {q: self._claim(camel(q, False), f"qualifier {q!r}") for q in o.qualifiers}
        self.attributes = {a: self._claim(camel(a, False), f"attribute {a!r}") for a in o.attributes}
        self.kinds = {k: self._claim(camel(k, True), f"fact kind {k!r}") for k in o.fact_kinds}
        self.metrics = {m: self._claim(camel(m, True), f"metric {m!r}") for m in o.metrics}

    def _claim(self, name: str, owner: str) -> URIRef:
        if name in self._owner:
            raise KgError(f"the ontology's {owner} and {self._owner[name]} would both be named "
                          f"{self.names.prefix}:{name} in RDF; rename one of them")
        self._owner[name] = owner
        return self.kg[name]

    def __getitem__(self, name: str) -> URIRef:
        """A structural term, such as ``vocab['Statement']``."""
        assert name in _STRUCTURE, name
        return self.kg[name]

    def value_range(self, value_type: str) -> URIRef | None:
        """The rdfs:range of a qualifier or attribute of this ontology value type."""
        return {"string": XSD.string, "integer": XSD.integer, "number": XSD.decimal,
                "url": XSD.anyURI, "entity": self["Entity"], "amount": self["Quantity"]}.get(value_type)


class Blanks:
    """Blank nodes with stable ids, so that generated Turtle is the same on every run."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.count = 0

    def __call__(self) -> BNode:
        self.count += 1
        return BNode(f"{self.prefix}{self.count}")

    def collection(self, graph: Graph, items: list[Node]) -> Node:
        """An RDF list of ``items``; its head node."""
        head: Node = RDF.nil
        for item in reversed(items):
            node = self()
            graph.add((node, RDF.first, item))
            graph.add((node, RDF.rest, head))
            head = node
        return head


def texts(graph: Graph, subject: Node, predicate: URIRef, values: dict[str, str]) -> None:
    for lang, text in values.items():
        graph.add((subject, predicate, Literal(text, lang=lang)))


def date_range(graph: Graph, blanks: Blanks) -> Node:
    """A datatype that is any of xsd:gYear, xsd:gYearMonth and xsd:date."""
    node = blanks()
    graph.add((node, RDF.type, RDFS.Datatype))
    graph.add((node, OWL.unionOf, blanks.collection(graph, list(_DATE_TYPES.values()))))
    return node


def vocabulary_graph(ontology: Ontology) -> Graph:
    """The ontology as OWL/RDFS: classes, properties and individuals, with labels and definitions."""
    vocab = Vocab(ontology)
    kg = vocab.kg
    graph = Graph(bind_namespaces="none")
    bind(graph.namespace_manager, vocab.names)
    blanks = Blanks("v")
    add = graph.add
    onto = URIRef(str(kg))
    add((onto, RDF.type, OWL.Ontology))
    add((onto, RDFS.label, Literal("AI-video landscape vocabulary", lang="en")))
    add((onto, RDFS.comment, Literal(
        "Classes, properties and individuals of the AI-video landscape graph, generated from "
        "ontology/ontology.yaml. Entity IRIs start with " + vocab.names.entity + ", statement IRIs "
        "with " + vocab.names.fact + ", figure IRIs with " + vocab.names.figure + " and source IRIs "
        "with " + vocab.names.source + ".", lang="en")))
    kinds = {"class": OWL.Class, "object": OWL.ObjectProperty, "datatype": OWL.DatatypeProperty,
             "annotation": OWL.AnnotationProperty}
    for name, (kind, label, comment, rng) in _STRUCTURE.items():
        term = kg[name]
        add((term, RDF.type, kinds[kind]))
        add((term, RDFS.label, Literal(label, lang="en")))
        add((term, RDFS.comment, Literal(comment, lang="en")))
        add((term, RDFS.isDefinedBy, onto))
        if isinstance(rng, URIRef):
            add((term, RDFS.range, rng))
        elif rng == "date":
            add((term, RDFS.range, date_range(graph, blanks)))
        elif rng is not None:
            add((term, RDFS.range, kg[rng]))
    add((vocab["Statement"], RDFS.subClassOf, RDF.Statement))
    add((vocab["Source"], RDFS.subClassOf, PROV.Entity))
    add((vocab["Citation"], RDFS.subClassOf, PROV.Derivation))
    for prop in ("kind", "since", "until"):
        add((kg[prop], RDFS.domain, _union(graph, blanks, [vocab["Statement"], vocab["Figure"]])))
    add((vocab["claimedBy"], RDFS.domain, vocab["Statement"]))
    for prop in ("entity", "metric", "measuredBy", "where", "lowerBound", "upperBound"):
        add((kg[prop], RDFS.domain, vocab["Figure"]))
    for prop in ("locator", "position"):
        add((kg[prop], RDFS.domain, vocab["Citation"]))
    for prop in ("shipped", "file"):
        add((kg[prop], RDFS.domain, vocab["Source"]))

    def describe(term: URIRef, label: dict[str, str], definition: str) -> None:
        texts(graph, term, RDFS.label, label)
        add((term, SKOS.definition, Literal(definition, lang="en")))
        add((term, RDFS.comment, Literal(definition, lang="en")))
        add((term, RDFS.isDefinedBy, onto))

    for type_id, term in vocab.types.items():
        entity_type = ontology.entity_types[type_id]
        add((term, RDF.type, OWL.Class))
        parent = entity_type.parent
        add((term, RDFS.subClassOf, vocab.types[parent] if parent else vocab["Entity"]))
        describe(term, entity_type.label, entity_type.definition)
    for role_id, term in vocab.roles.items():
        role = ontology.roles[role_id]
        add((term, RDF.type, OWL.Class))
        add((term, RDFS.subClassOf, vocab["Entity"]))
        describe(term, role.label, role.definition)
        for type_id in role.get("applies_to") or []:
            add((term, kg["appliesTo"], vocab.types[type_id]))
    for rel_id, term in vocab.relations.items():
        relation = ontology.relations[rel_id]
        add((term, RDF.type, OWL.ObjectProperty))
        if relation.symmetric:
            add((term, RDF.type, OWL.SymmetricProperty))
        describe(term, relation.label, relation.definition)
        texts(graph, term, kg["inverseLabel"], relation.inverse_label)
        add((term, RDFS.domain, _union(graph, blanks, [vocab.types[t] for t in relation.domain])))
        add((term, RDFS.range, _union(graph, blanks, [vocab.types[t] for t in relation.range])))
        for kind in relation.allowed_kinds or []:
            add((term, kg["allowedKind"], vocab.kinds[kind]))
        if relation.subject_role:
            add((term, kg["subjectRole"], vocab.roles[relation.subject_role]))
    for section, domain in (("qualifiers", vocab["Statement"]), ("attributes", vocab["Entity"])):
        for term_id, term in getattr(vocab, section).items():
            spec = getattr(ontology, section)[term_id]
            value_type = spec.get("type")
            is_object = value_type in ("entity", "amount")
            add((term, RDF.type, OWL.ObjectProperty if is_object else OWL.DatatypeProperty))
            add((term, RDFS.label, Literal(term_id.replace("-", " "), lang="en")))
            add((term, SKOS.definition, Literal(spec.definition, lang="en")))
            add((term, RDFS.comment, Literal(spec.definition, lang="en")))
            add((term, RDFS.isDefinedBy, onto))
            add((term, RDFS.domain, domain))
            rng = date_range(graph, blanks) if value_type == "date" else vocab.value_range(value_type)
            if rng is not None:
                add((term, RDFS.range, rng))
    for section, cls in (("kinds", "FactKind"), ("metrics", "Metric")):
        for term_id, term in getattr(vocab, section).items():
            spec = (ontology.fact_kinds if section == "kinds" else ontology.metrics)[term_id]
            add((term, RDF.type, OWL.NamedIndividual))
            add((term, RDF.type, vocab[cls]))
            describe(term, spec.label, spec.definition)
            if section == "metrics":
                add((term, vocab["unit"], Literal(spec.get("unit"))))
    return graph


def _union(graph: Graph, blanks: Blanks, classes: list[URIRef]) -> Node:
    if len(classes) == 1:
        return classes[0]
    node = blanks()
    graph.add((node, RDF.type, OWL.Class))
    graph.add((node, OWL.unionOf, blanks.collection(graph, classes)))
    return node


def turtle(graph: Graph, header: str = "") -> bytes:
    """Turtle, with an optional comment block first (rdflib sorts subjects and predicates)."""
    body = graph.serialize(format="turtle", encoding="utf-8")
    lines = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return lines.encode("utf-8") + (b"\n" if lines else b"") + body


def vocabulary_turtle(ontology: Ontology) -> bytes:
    """The text of ontology/kg.ttl."""
    return turtle(vocabulary_graph(ontology),
                  "The vocabulary of the AI-video landscape graph, generated from\n"
                  "ontology/ontology.yaml by `kg export vocabulary -o ontology/kg.ttl`.\n"
                  "Do not edit: edit the ontology and run the command again.")


# --------------------------------------------------------------------------- instance data

Quad = tuple[Node, Node, Node, str | None]  # the last item: the data file, or None for direct triples


def _number(value: int | float) -> Literal:
    """xsd:integer for whole numbers written without a point, xsd:decimal otherwise."""
    if isinstance(value, bool):
        raise KgError(f"{value!r} is not a number")
    if isinstance(value, int):
        return Literal(str(value), datatype=XSD.integer)
    text = format(Decimal(repr(value)), "f")
    return Literal(text if "." in text else text + ".0", datatype=XSD.decimal)


def date_literal(date: PartialDate) -> Literal:
    """``2025`` -> xsd:gYear, ``2025-10`` -> xsd:gYearMonth, ``2025-10-01`` -> xsd:date."""
    return Literal(str(date), datatype=_DATE_TYPES[date.precision])


def file_names(files: Iterable[str]) -> dict[str, str]:
    """Data file paths -> names relative to the folder they share (never absolute)."""
    found = sorted(set(files))
    if len(found) <= 1:
        return {f: PurePath(f).name for f in found}
    try:
        root = os.path.commonpath(found)
    except ValueError:
        return {f: PurePath(f).name for f in found}
    return {f: PurePath(os.path.relpath(f, root)).as_posix() for f in found}


class _Writer:
    """Turns a Dataset into quads."""

    def __init__(self, dataset: Dataset) -> None:
        self.data = dataset
        self.vocab = Vocab(dataset.ontology)
        self.n = self.vocab.names
        self.quads: list[Quad] = []
        records: list[Any] = [*dataset.sources.values(), *dataset.entities.values(),
                              *dataset.facts, *dataset.figures]
        self.files = file_names(r.loc.file for r in records)

    def add(self, s: Node, p: Node, o: Node, where: str | None) -> None:
        self.quads.append((s, p, o, where))

    def entity(self, entity_id: str) -> URIRef:
        return self.n.mint(self.n.entity, entity_id)

    def run(self) -> list[Quad]:
        for source in sorted(self.data.sources.values(), key=lambda s: s.id):
            self.source(source)
        for entity in sorted(self.data.entities.values(), key=lambda e: e.id):
            self.entity_record(entity)
        for fact in sorted(self.data.facts, key=lambda f: f.id):
            self.fact(fact)
        for figure in sorted(self.data.figures, key=lambda f: f.id):
            self.figure(figure)
        return self.quads

    def typed(self, value_type: str, value: Any, owner: URIRef, key: str, where: str) -> Node:
        """The RDF node for a qualifier or attribute value of an ontology value type."""
        if value_type == "entity":
            return self.entity(value)
        if value_type == "amount":
            node = URIRef(f"{owner}#{quote(key, safe=_SAFE)}")
            self.add(node, RDF.type, self.vocab["Quantity"], where)
            self.add(node, self.vocab["value"], _number(value["value"]), where)
            self.add(node, self.vocab["unit"], Literal(value["unit"]), where)
            if value.get("scale"):
                self.add(node, self.vocab["scale"], Literal(value["scale"]), where)
            return node
        if value_type == "date":
            return date_literal(value if isinstance(value, PartialDate) else PartialDate.parse(value))
        if value_type == "integer":
            return Literal(str(int(value)), datatype=XSD.integer)
        if value_type == "number":
            return _number(value)
        if value_type == "url":
            return Literal(value, datatype=XSD.anyURI)
        return Literal(str(value))

    def source(self, source: Source) -> None:
        g = self.files.get(source.loc.file)
        s = self.n.mint(self.n.source, source.id)
        v = self.vocab
        self.add(s, RDF.type, v["Source"], g)
        self.add(s, DCTERMS.title, Literal(source.title), g)
        self.add(s, DCTERMS.publisher, Literal(source.publisher), g)
        if source.author:
            self.add(s, DCTERMS.creator, Literal(source.author), g)
        self.add(s, DCTERMS.date, date_literal(source.date), g)
        self.add(s, DCTERMS.language, Literal(source.language), g)
        if source.url:
            self.add(s, SDO.url, Literal(source.url, datatype=XSD.anyURI), g)
        self.add(s, v["shipped"], Literal(source.shipped), g)
        if source.file:
            self.add(s, v["file"], Literal(source.file), g)
        if source.note:
            self.add(s, SKOS.note, Literal(source.note), g)

    def entity_record(self, entity: Entity) -> None:
        g = self.files.get(entity.loc.file)
        s = self.entity(entity.id)
        onto = self.data.ontology
        self.add(s, RDF.type, self.vocab["Entity"], g)
        for type_id in onto.ancestors(entity.type):
            self.add(s, RDF.type, self.vocab.types[type_id], g)
        for role in entity.roles:
            self.add(s, RDF.type, self.vocab.roles[role], g)
        for lang, text in entity.labels.items():
            self.add(s, RDFS.label, Literal(text, lang=lang), g)
        for alias in entity.aliases:
            self.add(s, SKOS.altLabel, Literal(alias), g)
        if entity.description:
            self.add(s, DCTERMS.description, Literal(entity.description), g)
        for key, value in entity.attributes.items():
            value_type = onto.attributes[key].get("type")
            self.add(s, self.vocab.attributes[key], self.typed(value_type, value, s, key, g), g)

    def cite(self, node: URIRef, refs: list[SourceRef], g: str | None) -> None:
        for position, ref in enumerate(refs, 1):
            source = self.n.mint(self.n.source, ref.source)
            citation = URIRef(f"{node}#source-{position}")
            self.add(node, PROV.wasDerivedFrom, source, g)
            self.add(node, PROV.qualifiedDerivation, citation, g)
            self.add(citation, RDF.type, self.vocab["Citation"], g)
            self.add(citation, PROV.entity, source, g)
            self.add(citation, self.vocab["locator"], Literal(ref.locator), g)
            self.add(citation, self.vocab["position"], Literal(str(position), datatype=XSD.integer), g)

    def period(self, node: URIRef, since: PartialDate | None, until: PartialDate | None,
               g: str | None) -> None:
        if since is not None:
            self.add(node, self.vocab["since"], date_literal(since), g)
        if until is not None:
            self.add(node, self.vocab["until"], date_literal(until), g)

    def fact(self, fact: Fact) -> None:
        g = self.files.get(fact.loc.file)
        v = self.vocab
        relation = self.data.ontology.relations[fact.relation]
        subject, predicate, obj = self.entity(fact.subject), v.relations[fact.relation], \
            self.entity(fact.object)
        if fact.kind != CLAIM:
            self.add(subject, predicate, obj, None)
            if relation.symmetric:
                self.add(obj, predicate, subject, None)
        st = self.n.mint(self.n.fact, fact.id)
        self.add(st, RDF.type, v["Statement"], g)
        self.add(st, RDF.subject, subject, g)
        self.add(st, RDF.predicate, predicate, g)
        self.add(st, RDF.object, obj, g)
        self.add(st, v["kind"], v.kinds[fact.kind], g)
        self.period(st, fact.since, fact.until, g)
        for key, value in fact.qualifiers.items():
            value_type = self.data.ontology.qualifiers[key].get("type")
            self.add(st, v.qualifiers[key], self.typed(value_type, value, st, key, g), g)
        if fact.claimed_by:
            self.add(st, v["claimedBy"], self.entity(fact.claimed_by), g)
        if fact.note:
            self.add(st, SKOS.note, Literal(fact.note), g)
        self.cite(st, fact.sources, g)

    def figure(self, figure: Figure) -> None:
        g = self.files.get(figure.loc.file)
        v = self.vocab
        node = self.n.mint(self.n.figure, figure.id)
        self.add(node, RDF.type, v["Figure"], g)
        self.add(node, v["entity"], self.entity(figure.entity), g)
        self.add(node, v["metric"], v.metrics[figure.metric], g)
        if figure.value is not None:
            self.add(node, v["value"], _number(figure.value), g)
        if figure.range is not None:
            self.add(node, v["lowerBound"], _number(figure.range[0]), g)
            self.add(node, v["upperBound"], _number(figure.range[1]), g)
        self.add(node, v["unit"], Literal(figure.unit), g)
        if figure.scale:
            self.add(node, v["scale"], Literal(figure.scale), g)
        self.period(node, figure.since, figure.until, g)
        for region in figure.region:
            self.add(node, DCTERMS.spatial, Literal(region), g)
        if figure.measured_by:
            self.add(node, v["measuredBy"], self.entity(figure.measured_by), g)
        if figure.where:
            self.add(node, v["where"], self.entity(figure.where), g)
        self.add(node, v["kind"], v.kinds[figure.kind], g)
        if figure.note:
            self.add(node, SKOS.note, Literal(figure.note), g)
        self.cite(node, figure.sources, g)


def quads(dataset: Dataset) -> list[Quad]:
    """Every triple of the dataset's RDF, with the data file it comes from (None: direct triples)."""
    return _Writer(dataset).run()


def dataset_graph(dataset: Dataset) -> Graph:
    """The dataset as one RDF graph (what ``kg export rdf`` writes and ``kg sparql`` queries)."""
    graph = Graph(bind_namespaces="none")
    bind(graph.namespace_manager, Names.of(dataset.ontology))
    for s, p, o, _ in quads(dataset):
        graph.add((s, p, o))
    return graph


def dataset_quads(dataset: Dataset) -> RdfDataset:
    """The dataset as an RDF dataset: direct triples in the default graph, records in one named
    graph per data file."""
    names = Names.of(dataset.ontology)
    store = RdfDataset()
    bind(store.namespace_manager, names)
    graphs: dict[str, Graph] = {}
    for s, p, o, where in quads(dataset):
        if where is None:
            store.add((s, p, o))
            continue
        if where not in graphs:
            graphs[where] = store.graph(URIRef(names.graph + quote(where, safe=_SAFE + "/")))
        graphs[where].add((s, p, o))
    return store


def jsonld_context(names: Names) -> dict[str, str]:
    """The ``@context`` of our JSON-LD: the prefixes, so that IRIs print as ``kg:…``, ``entity:…``."""
    return dict(sorted(names.bindings().items()))


def serialize(dataset: Dataset, fmt: str = "turtle") -> bytes:
    """The dataset's RDF in one of FORMATS, byte-identical for the same data."""
    if fmt not in FORMATS:
        raise KgError(f"unknown RDF format {fmt!r}; known: {', '.join(FORMATS)}")
    if fmt == "trig":
        return _trig(dataset)
    graph = dataset_graph(dataset)
    if fmt == "turtle":
        return graph.serialize(format="turtle", encoding="utf-8")
    if fmt == "nt":
        return "".join(line + "\n" for line in triples_text(graph)).encode("utf-8")
    if fmt == "jsonld":
        return _jsonld(graph, Names.of(dataset.ontology))
    return _rdfxml(graph)


def _rdfxml(graph: Graph) -> bytes:
    """RDF/XML, one rdf:Description per subject, everything sorted (rdflib's writer is not)."""
    from xml.sax.saxutils import escape, quoteattr

    nsm = graph.namespace_manager
    qnames: dict[Node, str] = {}
    used: dict[str, str] = {"rdf": str(RDF)}
    for predicate in sorted(set(graph.predicates()), key=str):
        try:
            prefix, namespace, local = nsm.compute_qname_strict(str(predicate))
        except ValueError:
            raise KgError(f"RDF/XML cannot name the property <{predicate}>") from None
        qnames[predicate] = f"{prefix}:{local}"
        used[prefix] = str(namespace)
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    lines += [f"   xmlns:{prefix}={quoteattr(iri)}" for prefix, iri in sorted(used.items())]
    lines.append(">")
    for subject in sorted(set(graph.subjects()), key=lambda node: node.n3()):
        lines.append(f"  <rdf:Description rdf:about={quoteattr(str(subject))}>")
        for predicate, obj in sorted(graph.predicate_objects(subject),
                                     key=lambda po: (qnames[po[0]], po[1].n3())):
            name = qnames[predicate]
            if isinstance(obj, Literal):
                attrs = f" xml:lang={quoteattr(obj.language)}" if obj.language else ""
                if obj.datatype:
                    attrs += f" rdf:datatype={quoteattr(str(obj.datatype))}"
                lines.append(f"    <{name}{attrs}>{escape(str(obj))}</{name}>")
            else:
                lines.append(f"    <{name} rdf:resource={quoteattr(str(obj))}/>")
        lines.append("  </rdf:Description>")
    lines.append("</rdf:RDF>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _trig(dataset: Dataset) -> bytes:
    """TriG: the default graph first, then the named graphs sorted by name, each as sorted Turtle."""
    store = dataset_quads(dataset)
    graphs = sorted(store.graphs(), key=lambda g: (g.identifier != store.default_graph.identifier,
                                                   str(g.identifier)))
    names = Names.of(dataset.ontology)
    heads: set[str] = set()
    blocks: list[str] = []
    for graph in graphs:
        if len(graph) == 0:
            continue
        copy = Graph(bind_namespaces="none")
        bind(copy.namespace_manager, names)
        for triple in graph:
            copy.add(triple)
        text = copy.serialize(format="turtle")
        lines = text.splitlines()
        heads.update(line for line in lines if line.startswith("@prefix"))
        body = [("    " + line).rstrip() for line in lines if not line.startswith("@prefix")]
        while body and not body[0]:
            body.pop(0)
        while body and not body[-1]:
            body.pop()
        default = graph.identifier == store.default_graph.identifier
        local = str(graph.identifier)[len(names.graph):]
        if default:
            label = "{"
        elif _PLAIN_LOCAL.match(local):
            label = f"graph:{local} {{"
            heads.add(f"@prefix graph: <{names.graph}> .")
        else:
            label = f"{graph.identifier.n3()} {{"
        blocks.append(label + "\n" + "\n".join(body) + "\n}\n")
    return ("\n".join(sorted(heads)) + "\n\n" + "\n".join(blocks)).encode("utf-8")


def _jsonld(graph: Graph, names: Names) -> bytes:
    """JSON-LD, compacted with our prefixes; nodes sorted by @id and values sorted."""
    import json

    context = jsonld_context(names)
    text = graph.serialize(format="json-ld", context=context, encoding="utf-8")
    document = json.loads(text)
    if isinstance(document, list):
        nodes = document
    elif "@graph" in document:
        nodes = document["@graph"]
    else:  # a single node, compacted into the top-level object
        nodes = [{k: v for k, v in document.items() if k != "@context"}] if len(document) > 1 else []
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda item: json.dumps(item, ensure_ascii=False,
                                                                      sort_keys=True))
    nodes.sort(key=lambda node: node.get("@id", ""))
    out = {"@context": context, "@graph": nodes}
    return (json.dumps(out, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- reading a dump back


def parse_file(path: Path, fmt: str | None = None) -> Graph:
    """Read an RDF file into one graph (the union of its named graphs, for TriG and N-Quads)."""
    path = Path(path)
    fmt = fmt or SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise KgError(f"cannot tell the RDF format of {path.name} from its suffix; "
                      f"give --format ({', '.join(FORMATS)})")
    if not path.is_file():
        raise KgError(f"no such file: {path}")
    rdflib_format = FORMATS[fmt][0] if fmt in FORMATS else fmt
    store = RdfDataset(default_union=True)
    try:
        store.parse(str(path), format=rdflib_format)
    except Exception as exc:  # rdflib's parsers raise many different exception types
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise KgError(f"cannot read {path.name} as {fmt}: {first}") from None
    graph = Graph(bind_namespaces="none")
    for s, p, o, _ in store.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


@dataclass
class Records:
    """Plain YAML-ready records, as in the seeds/ files."""

    sources: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)

    def sections(self) -> dict[str, list[dict[str, Any]]]:
        return {"sources": self.sources, "entities": self.entities, "facts": self.facts,
                "figures": self.figures}


class _Reader:
    """Turns a graph in our RDF model back into records."""

    def __init__(self, graph: Graph, ontology: Ontology) -> None:
        self.g = graph
        self.onto = ontology
        self.vocab = Vocab(ontology)
        self.n = self.vocab.names
        self.nsm = NamespaceManager(Graph(bind_namespaces="none"), bind_namespaces="none")
        bind(self.nsm, self.n)

    def show(self, node: Node) -> str:
        return node.n3(self.nsm)

    def fail(self, node: Node, message: str) -> KgError:
        return KgError(f"{self.show(node)}: {message}")

    def values(self, s: Node, p: URIRef) -> list[Node]:
        return sorted(self.g.objects(s, p))

    def one(self, s: Node, p: URIRef, required: bool = True) -> Node | None:
        found = self.values(s, p)
        if len(found) > 1:
            raise self.fail(s, f"has {len(found)} values for {self.show(p)}; expected one")
        if not found and required:
            raise self.fail(s, f"has no {self.show(p)}")
        return found[0] if found else None

    def text(self, s: Node, p: URIRef, required: bool = True) -> str | None:
        node = self.one(s, p, required)
        if node is None:
            return None
        if not isinstance(node, Literal):
            raise self.fail(s, f"{self.show(p)} must be a literal")
        return str(node)

    def ref(self, s: Node, p: URIRef, base: str, required: bool = True) -> str | None:
        node = self.one(s, p, required)
        if node is None:
            return None
        found = Names.local(base, node)
        if found is None:
            raise self.fail(s, f"{self.show(p)} {self.show(node)} is not in <{base}>")
        return found

    def term(self, s: Node, p: URIRef, terms: dict[str, URIRef], what: str) -> str:
        node = self.one(s, p)
        for term_id, iri in terms.items():
            if iri == node:
                return term_id
        raise self.fail(s, f"{self.show(node)} is no {what} of the ontology")

    def date(self, s: Node, p: URIRef, required: bool = False) -> str | None:
        text = self.text(s, p, required)
        if text is None:
            return None
        try:
            return str(PartialDate.parse(text))
        except DateError as exc:
            raise self.fail(s, f"{self.show(p)}: {exc}") from None

    def number(self, s: Node, node: Node) -> int | float:
        if not isinstance(node, Literal):
            raise self.fail(s, f"{self.show(node)} is not a number")
        try:
            if node.datatype in (XSD.integer, XSD.int, XSD.long):
                return int(str(node))
            number = Decimal(str(node))
        except (ValueError, InvalidOperation):
            raise self.fail(s, f"{self.show(node)} is not a number") from None
        return float(number)

    def subjects(self, cls: URIRef, base: str) -> list[tuple[str, URIRef]]:
        found = []
        for node in set(self.g.subjects(RDF.type, cls)):
            local = Names.local(base, node)
            if local is None:
                raise self.fail(node, f"a {self.show(cls)} whose IRI is not in <{base}>")
            found.append((local, node))
        return sorted(found)

    def typed(self, value_type: str, s: Node, node: Node) -> Any:
        try:
            return self._typed(value_type, s, node)
        except (ValueError, DateError):
            raise self.fail(s, f"{self.show(node)} is not a valid {value_type}") from None

    def _typed(self, value_type: str, s: Node, node: Node) -> Any:
        if value_type == "entity":
            found = Names.local(self.n.entity, node)
            if found is None:
                raise self.fail(s, f"{self.show(node)} is not an entity IRI")
            return found
        if value_type == "amount":
            amount: dict[str, Any] = {
                "value": self.number(node, self.one(node, self.vocab["value"])),
                "unit": self.text(node, self.vocab["unit"]),
            }
            scale = self.text(node, self.vocab["scale"], required=False)
            if scale:
                amount["scale"] = scale
            return amount
        if not isinstance(node, Literal):
            raise self.fail(s, f"{self.show(node)} must be a literal")
        if value_type == "integer":
            return int(str(node))
        if value_type == "number":
            return self.number(s, node)
        if value_type == "date":
            return str(PartialDate.parse(str(node)))
        return str(node)

    def citations(self, s: URIRef) -> list[dict[str, str]]:
        cited = []
        for citation in self.values(s, PROV.qualifiedDerivation):
            position = self.number(citation, self.one(citation, self.vocab["position"]))
            cited.append((position, {"source": self.ref(citation, PROV.entity, self.n.source),
                                     "locator": self.text(citation, self.vocab["locator"])}))
        if not cited:
            raise self.fail(s, "has no citation (prov:qualifiedDerivation)")
        return [ref for _, ref in sorted(cited, key=lambda item: item[0])]

    def read(self) -> Records:
        records = Records()
        v = self.vocab
        for source_id, s in self.subjects(v["Source"], self.n.source):
            shipped = self.one(s, v["shipped"])
            records.sources.append(_compact({
                "id": source_id, "title": self.text(s, DCTERMS.title),
                "publisher": self.text(s, DCTERMS.publisher),
                "author": self.text(s, DCTERMS.creator, required=False),
                "date": self.date(s, DCTERMS.date, required=True),
                "language": self.text(s, DCTERMS.language),
                "url": self.text(s, SDO.url, required=False),
                "shipped": bool(shipped.toPython()) if isinstance(shipped, Literal) else None,
                "file": self.text(s, v["file"], required=False),
                "note": self.text(s, SKOS.note, required=False),
            }))
        for entity_id, s in self.subjects(v["Entity"], self.n.entity):
            records.entities.append(self.entity(entity_id, s))
        for fact_id, s in self.subjects(v["Statement"], self.n.fact):
            records.facts.append(self.fact(fact_id, s))
        for figure_id, s in self.subjects(v["Figure"], self.n.figure):
            records.figures.append(self.figure(figure_id, s))
        return records

    def entity(self, entity_id: str, s: URIRef) -> dict[str, Any]:
        types = [t for t, iri in self.vocab.types.items() if (s, RDF.type, iri) in self.g]
        deepest = [t for t in types if set(types) <= set(self.onto.ancestors(t))]
        if len(deepest) != 1:
            raise self.fail(s, "needs exactly one most specific entity type, found "
                            + (", ".join(types) or "none"))
        labels = {lit.language: str(lit) for lit in self.values(s, RDFS.label)
                  if isinstance(lit, Literal) and lit.language}
        order = {lang: i for i, lang in enumerate(self.onto.languages)}
        attributes = {}
        for key, prop in self.vocab.attributes.items():
            node = self.one(s, prop, required=False)
            if node is not None:
                attributes[key] = self.typed(self.onto.attributes[key].get("type"), s, node)
        return _compact({
            "id": entity_id, "type": deepest[0],
            "roles": [r for r, iri in self.vocab.roles.items() if (s, RDF.type, iri) in self.g],
            "labels": dict(sorted(labels.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))),
            "aliases": sorted(str(lit) for lit in self.values(s, SKOS.altLabel)),
            "description": self.text(s, DCTERMS.description, required=False),
            "attributes": attributes,
        })

    def fact(self, fact_id: str, s: URIRef) -> dict[str, Any]:
        v = self.vocab
        subject = self.ref(s, RDF.subject, self.n.entity)
        relation = self.term(s, RDF.predicate, v.relations, "relation")
        obj = self.ref(s, RDF.object, self.n.entity)
        since = self.date(s, v["since"])
        qualifiers = {}
        for key, prop in v.qualifiers.items():
            node = self.one(s, prop, required=False)
            if node is not None:
                qualifiers[key] = self.typed(self.onto.qualifiers[key].get("type"), s, node)
        derived = f"{subject}--{relation}--{obj}" + (f"--{since}" if since else "")
        return _compact({
            "subject": subject, "relation": relation, "object": obj,
            "kind": self.term(s, v["kind"], v.kinds, "fact kind"),
            "since": since, "until": self.date(s, v["until"]),
            "qualifiers": qualifiers,
            "claimed_by": self.ref(s, v["claimedBy"], self.n.entity, required=False),
            "sources": self.citations(s),
            "note": self.text(s, SKOS.note, required=False),
            "id": fact_id if fact_id != derived else None,
        })

    def figure(self, figure_id: str, s: URIRef) -> dict[str, Any]:
        v = self.vocab
        entity = self.ref(s, v["entity"], self.n.entity)
        metric = self.term(s, v["metric"], v.metrics, "metric")
        since = self.date(s, v["since"])
        value = self.one(s, v["value"], required=False)
        low, high = self.one(s, v["lowerBound"], required=False), self.one(s, v["upperBound"],
                                                                           required=False)
        derived = f"{entity}--{metric}" + (f"--{since}" if since else "")
        return _compact({
            "entity": entity, "metric": metric,
            "value": self.number(s, value) if value is not None else None,
            "range": [self.number(s, low), self.number(s, high)] if low is not None and
            high is not None else None,
            "unit": self.text(s, v["unit"]), "scale": self.text(s, v["scale"], required=False),
            "since": since, "until": self.date(s, v["until"]),
            "region": sorted(str(r) for r in self.values(s, DCTERMS.spatial)),
            "measured_by": self.ref(s, v["measuredBy"], self.n.entity, required=False),
            "where": self.ref(s, v["where"], self.n.entity, required=False),
            "kind": self.term(s, v["kind"], v.kinds, "fact kind"),
            "sources": self.citations(s),
            "note": self.text(s, SKOS.note, required=False),
            "id": figure_id if figure_id != derived else None,
        })


def _compact(record: dict[str, Any]) -> dict[str, Any]:
    """Drop empty fields, and put ``id`` first where there is one."""
    kept = {k: v for k, v in record.items() if v is not None and v != [] and v != {}}
    if "id" in kept:
        kept = {"id": kept.pop("id"), **kept}
    return kept


def read_graph(graph: Graph, ontology: Ontology) -> Records:
    """Records (as in seeds/ files) from a graph in our RDF model; raises KgError."""
    records = _Reader(graph, ontology).read()
    if not any(records.sections().values()):
        raise KgError("the RDF holds no sources, entities, statements or figures of this "
                      f"vocabulary ({ontology.namespace['vocabulary']})")
    return records


def read_dump(path: Path, ontology: Ontology, fmt: str | None = None) -> Records:
    """Records from an RDF dump written by ``kg export rdf``."""
    return read_graph(parse_file(path, fmt), ontology)


def yaml_text(sections: dict[str, list[dict[str, Any]]]) -> str:
    """A data file holding the given sections."""
    import yaml

    class Flow(dict):
        """A small mapping written on one line, as in the seeds/ files."""

    class FlowList(list):
        pass

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    Dumper.add_representer(Flow, lambda d, v: d.represent_mapping(
        "tag:yaml.org,2002:map", v.items(), flow_style=True))
    Dumper.add_representer(FlowList, lambda d, v: d.represent_sequence(
        "tag:yaml.org,2002:seq", v, flow_style=True))

    def flow(value: Any) -> Any:
        if isinstance(value, dict):
            return Flow((k, flow(v)) for k, v in value.items())
        if isinstance(value, list):
            return FlowList(flow(v) for v in value)
        return value

    styled = {name: [{key: ([flow(v) for v in value] if key == "sources" else flow(value))
                      for key, value in record.items()} for record in items]
              for name, items in sections.items()}
    return yaml.dump(styled, Dumper=Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100)


def yaml_files(records: Records) -> dict[str, str]:
    """File name -> text: sources.yaml, entities.yaml, facts.yaml and figures.yaml (non-empty ones)."""
    return {f"{name}.yaml": yaml_text({name: items})
            for name, items in records.sections().items() if items}


# --------------------------------------------------------------------------- SPARQL


class SparqlSyntaxError(KgError):
    """A query that does not parse (the user's input: a usage error)."""


@dataclass
class SparqlResult:
    """The outcome of a query: rows for SELECT, a boolean for ASK, a graph for CONSTRUCT/DESCRIBE."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[list[Node | None]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    namespaces: NamespaceManager | None = None

    @property
    def empty(self) -> bool:
        if self.kind == "ask":
            return not self.boolean
        if self.kind == "graph":
            return self.graph is None or len(self.graph) == 0
        return not self.rows

    def show(self, node: Node | None) -> str:
        """A term as a person reads it: a prefixed name, or a literal's text."""
        if node is None:
            return ""
        if isinstance(node, Literal):
            return str(node)
        if isinstance(node, URIRef) and self.namespaces is not None:
            shown = node.n3(self.namespaces)
            return shown[1:-1] if shown.startswith("<") else shown
        return node.n3()


def prefixes(ontology: Ontology) -> dict[str, str]:
    """The prefixes every query may use without declaring them."""
    return Names.of(ontology).bindings()


def sparql(dataset: Dataset, query: str, vocabulary: bool = False) -> SparqlResult:
    """Run a SPARQL 1.1 query over the dataset's RDF (the same triples ``kg export rdf`` writes),
    plus the vocabulary's triples (ontology/kg.ttl) when ``vocabulary`` is true."""
    from rdflib.plugins.sparql import prepareQuery

    initns = {prefix: Namespace(iri) for prefix, iri in prefixes(dataset.ontology).items()}
    try:
        prepared = prepareQuery(query, initNs=initns)
    except Exception as exc:  # pyparsing and rdflib raise several types for a bad query
        raise SparqlSyntaxError(_first_line(exc)) from None
    graph = dataset_graph(dataset)
    if vocabulary:
        for triple in vocabulary_graph(dataset.ontology):
            graph.add(triple)
    try:
        result = graph.query(prepared)
        outcome = SparqlResult(kind=result.type.lower(), namespaces=graph.namespace_manager)
        if result.type == "ASK":
            outcome.boolean = bool(result.askAnswer)
        elif result.type == "SELECT":
            outcome.variables = [str(v) for v in result.vars or []]
            outcome.rows = [[row[i] for i in range(len(outcome.variables))] for row in result]
        else:
            outcome.kind = "graph"
            outcome.graph = Graph(bind_namespaces="none")
            bind(outcome.graph.namespace_manager, Names.of(dataset.ontology))
            for triple in result.graph or []:
                outcome.graph.add(triple)
    except SparqlSyntaxError:
        raise
    except Exception as exc:  # an evaluation error in the user's query
        raise KgError(f"the query failed: {_first_line(exc)}") from None
    return outcome


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def triples_text(graph: Graph) -> list[str]:
    """The graph as N-Triples lines, sorted."""
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return sorted(line for line in text.splitlines() if line.strip())
