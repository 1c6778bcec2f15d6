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

from kg.data.dates import PartialDate
from kg.data.ontology import Ontology, camel
from kg.errors import KgError

__all__ = [
    "bind", "Blanks", "CLAIM", "date_literal", "INSTANCE_PREFIXES", "Names", "Vocab", "WIKIDATA_ENTITY"
]

# The one fact kind that is an opinion rather than a reported happening; it
# gets a statement node but no direct triple (see kg.data.validate, which treats
# it alike for ``claimed_by``).
CLAIM = "claim"

# Prefix names for the instance namespaces (keys of the ontology's ``namespace:`` block).
INSTANCE_PREFIXES = {"entities": "entity", "facts": "fact", "figures": "figure", "sources": "source"}
# Where the Wikidata ids of entities (``wikidata: Q…`` in the data) point, for owl:sameAs.
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
# Characters kept as they are when an id becomes part of an IRI.
_SAFE = "-._~"

_DATE_TYPES = {"year": XSD.gYear, "month": XSD.gYearMonth, "day": XSD.date}
# The individual of the structural vocabulary that names each statement rank.
RANK_TERMS = {"preferred": "PreferredRank", "normal": "NormalRank", "deprecated": "DeprecatedRank"}

# The structural vocabulary: terms that belong to the shape of the model (a
# statement, a figure, a citation …) rather than to the ontology's content.
# name -> (kind, range). Their labels, comments and alignments are data: the
# ``rdf: model`` block of the ontology.
_STRUCTURE: dict[str, tuple[str, URIRef | str | None]] = {
    "Entity": ("class", None),
    "Statement": ("class", None),
    "Figure": ("class", None),
    "Source": ("class", None),
    "Citation": ("class", None),
    "Quantity": ("class", None),
    "FactKind": ("class", None),
    "Metric": ("class", None),
    "Rank": ("class", None),
    "BestRank": ("class", None),
    "PreferredRank": ("individual", "Rank"),
    "NormalRank": ("individual", "Rank"),
    "DeprecatedRank": ("individual", "Rank"),
    "kind": ("object", "FactKind"),
    "statementRank": ("object", "Rank"),
    "rankReason": ("datatype", XSD.string),
    "since": ("datatype", "date"),
    "until": ("datatype", "date"),
    "validFrom": ("datatype", XSD.date),
    "validUntil": ("datatype", XSD.date),
    "claimedBy": ("object", "Entity"),
    "locator": ("datatype", XSD.string),
    "phrase": ("datatype", XSD.string),
    "textFragment": ("datatype", XSD.anyURI),
    "position": ("datatype", XSD.integer),
    "value": ("datatype", None),
    "lowerBound": ("datatype", None),
    "upperBound": ("datatype", None),
    "unit": ("datatype", XSD.string),
    "scale": ("datatype", XSD.string),
    "bound": ("datatype", XSD.string),
    "period": ("datatype", RDF.langString),
    "scope": ("datatype", RDF.langString),
    "sinceBasis": ("datatype", XSD.string),
    "untilBasis": ("datatype", XSD.string),
    "entity": ("object", "Entity"),
    "metric": ("object", "Metric"),
    "measuredBy": ("object", "Entity"),
    "where": ("object", "Entity"),
    "publisherName": ("datatype", XSD.string),
    "publishedIn": ("datatype", XSD.string),
    "sourceKind": ("datatype", XSD.string),
    "retrieved": ("datatype", XSD.date),
    "inverseLabel": ("annotation", None),
    "allowedKind": ("annotation", None),
    "subjectRole": ("annotation", None),
    "appliesTo": ("annotation", None),
    "derivedFrom": ("annotation", None),
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
    external: dict[str, str]

    @classmethod
    def of(cls, ontology: Ontology) -> Names:
        ns = ontology.namespace
        bases = [ns[key] for key in ("vocabulary", *INSTANCE_PREFIXES)]
        common = os.path.commonprefix(bases)
        cut = max(common.rfind(":"), common.rfind("/"), common.rfind("#"))
        graph = common[:cut + 1] + "graph" + common[cut] if cut > 0 else ns["vocabulary"] + "graph-"
        return cls(prefix=ns["prefix"], vocab=Namespace(ns["vocabulary"]), entity=ns["entities"],
                   fact=ns["facts"], figure=ns["figures"], source=ns["sources"], graph=graph,
                   external=dict(sorted(ontology.rdf.prefixes.items())))

    def bindings(self) -> dict[str, str]:
        """Prefix name -> namespace IRI, for Turtle, TriG, JSON-LD and SPARQL."""
        return {
            self.prefix: str(self.vocab),
            "entity": self.entity, "fact": self.fact, "figure": self.figure, "source": self.source,
            "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL), "xsd": str(XSD), "skos": str(SKOS),
            "prov": str(PROV), "dcterms": str(DCTERMS), "schema": str(SDO),
            **self.external,
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
        # The inverse properties the vocabulary declares (owl:inverseOf), by relation id.
        self.inverses = {r.id: self._claim(camel(r.inverse, False), f"inverse {r.inverse!r} of "
                                           f"relation {r.id!r}")
                         for r in o.relations.values() if r.inverse}
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
