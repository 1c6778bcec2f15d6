"""Names: the IRI namespaces, the RDF names of the ontology's terms, and small shared helpers.

``Names`` reads the namespaces from the ontology's ``namespace`` block and
mints and reads back instance IRIs; ``Vocab`` gives every ontology term and
every structural term (statement, figure, citation …) its RDF name and
raises KgError on a clash; ``bind`` binds the prefixes; ``Blanks`` makes
blank nodes with stable ids; ``date_literal`` and ``_number`` turn dates and
numbers into typed literals. Every other module of the package builds on these.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote, unquote

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SDO, SKOS, NamespaceManager
from rdflib.term import Node

from kg.dates import PartialDate
from kg.errors import KgError
from kg.ontology import Ontology, camel

# The one fact kind that is an opinion rather than a reported happening; it
# gets a statement node but no direct triple (see kg.validate, which treats
# it alike for ``claimed_by``).
CLAIM = "claim"

# Prefix names for the instance namespaces (keys of the ontology's ``namespace:`` block).
INSTANCE_PREFIXES = {"entities": "entity", "facts": "fact", "figures": "figure", "sources": "source"}
# Characters kept as they are when an id becomes part of an IRI.
_SAFE = "-._~"

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
    "publishedIn": ("datatype", "published in", "Where a source was published, for a reader to "
                    "find it (given when it has no URL).", XSD.string),
    "publisherEntity": ("object", "publisher entity", "The entity of the graph that published a "
                        "source.", "Entity"),
    "inverseLabel": ("annotation", "inverse label", "How the relation reads from object to subject.",
                     None),
    "allowedKind": ("annotation", "allowed kind", "The only fact kinds a relation's statements may "
                    "have.", None),
    "subjectRole": ("annotation", "subject role", "The role the subject of a relation must have.", None),
    "appliesTo": ("annotation", "applies to", "The entity types a role may be given to.", None),
    "derivedFrom": ("annotation", "derived from", "For a reference relation: the record field "
                    "(such as figures.measured_by) its direct triples are derived from; they "
                    "restate what the statement or figure node says.", None),
}


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
