"""Serialisation: the RDF of a dataset as Turtle, N-Triples, JSON-LD, TriG or RDF/XML.

``serialize`` writes one of ``FORMATS``, byte-identical for the same data,
with the stream writers of ``kg.rdf.stream`` (record by record, in bounded
memory). ``turtle`` and ``triples_text`` serve the vocabulary, the shapes and
``kg sparql``, which rdflib writes from a whole graph.

Every literal survives export and parsing byte for byte. Where rdflib writes Turtle (the vocabulary,
the shapes, query results) every literal is written with the same escapes on
one line (``_EscapedLiteral``), and ``escape_breaks`` writes what rdflib
leaves raw in N-Triples (vertical tab, form feed, U+001C-U+001E, U+0085,
U+2028, U+2029, the other controls) as ``\\uXXXX``. Documents are only ever
split at ``\n``.
"""

from __future__ import annotations

import re
from typing import Any

from rdflib import XSD, Graph, Literal, URIRef

from kg.data.model import Dataset
from kg.data.ontology import Ontology
from kg.errors import KgError

__all__ = [
    "escape_breaks", "FORMATS", "jsonld_context", "refuse_surrogates", "serialize", "triples_text",
    "turtle"
]

# RDF syntaxes: our name -> (rdflib's name, file suffix, media type).
FORMATS: dict[str, tuple[str, str]] = {
    "turtle": ("turtle", ".ttl"),
    "nt": ("nt", ".nt"),
    "jsonld": ("json-ld", ".jsonld"),
    "trig": ("trig", ".trig"),
    "xml": ("xml", ".rdf"),
}

# What str.splitlines() and line-based readers break at, besides the \n and \r that rdflib escapes,
# and the other control characters: written as \uXXXX, which is valid in strings and IRIs alike.
_BREAKS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")



def escape_breaks(text: str) -> str:
    """Turtle, TriG or N-Triples text with line separators and controls as ``\\uXXXX`` escapes.

    Only text inside literals and IRIs can hold these characters, and there
    an escape stands for the same character.
    """
    return _BREAKS.sub(lambda m: f"\\u{ord(m.group()):04X}", text)


def refuse_surrogates(graph: Graph) -> Graph:
    """The graph itself, unless a term holds a lone surrogate, which no RDF syntax can carry
    (rdflib would write "?" or fail while writing): then KgError, before anything is written."""
    for triple in graph:
        for term in triple:
            bad = _SURROGATE.search(str(term))
            if bad is not None:
                raise KgError(f"the RDF would hold the lone surrogate U+{ord(bad.group()):04X} "
                              f"(in {str(term)[:40]!r}), which no RDF syntax can carry; nothing "
                              "was written")
    return graph


class _EscapedLiteral(Literal):
    """A literal that rdflib's Turtle writer writes with the stream writer's escapes, on one line:
    rdflib's own long strings (for text with a line feed) break on text ending in a backslash
    and a quote, or holding four quotes in a row."""

    def _quote_encode(self) -> str:
        from kg.rdf.stream import escape_literal

        return '"' + escape_literal(str(self)) + '"'


def _turtle_text(graph: Graph) -> str:
    """Turtle by rdflib's writer (which nests blank nodes and lists), with every literal escaped."""
    copy = Graph(bind_namespaces="none")
    for prefix, namespace in graph.namespace_manager.namespaces():
        copy.namespace_manager.bind(prefix, namespace, override=True, replace=True)
    for s, p, o in refuse_surrogates(graph):
        if isinstance(o, Literal) and not isinstance(o, _EscapedLiteral):
            o = _EscapedLiteral(str(o), lang=o.language, datatype=o.datatype, normalize=False)
        copy.add((s, p, o))
    return escape_breaks(copy.serialize(format="turtle"))


def turtle(graph: Graph, header: str = "") -> bytes:
    """Turtle, with an optional comment block first (rdflib sorts subjects and predicates)."""
    body = _turtle_text(graph).encode("utf-8")
    lines = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return lines.encode("utf-8") + (b"\n" if lines else b"") + body


def jsonld_context(ontology: Ontology) -> dict[str, Any]:
    """The ``@context`` of our JSON-LD: the prefixes, and a plain term for every class, property
    and individual of the vocabulary (``"competesWith"``, ``"Organization"``, ``"Claim"``) and
    for the common RDF, Dublin Core, SKOS and PROV-O properties the data uses. The context is
    inline, so reading the JSON-LD needs no network."""
    from kg.rdf.names import _STRUCTURE, Vocab

    vocab = Vocab(ontology)
    names = vocab.names
    prefix = names.prefix + ":"
    context: dict[str, Any] = dict(sorted(names.bindings().items()))
    terms: dict[str, Any] = {}

    def term(name: str, iri: str, kind: str | None = None) -> None:
        if name in terms or name in context:  # the first definition of a name wins
            return
        terms[name] = iri if kind is None else {"@id": iri, "@type": kind}

    def local(iri: URIRef) -> str:
        return str(iri)[len(str(names.vocab)):]

    object_properties = [*vocab.relations.values(), *vocab.inverses.values()]
    for iri in object_properties:
        term(local(iri), prefix + local(iri), "@id")
    for section, value_of in (("qualifiers", ontology.qualifiers), ("attributes", ontology.attributes)):
        for key, iri in getattr(vocab, section).items():
            value_type = value_of[key].get("type")
            kind = {"entity": "@id", "amount": "@id", "url": "xsd:anyURI", "integer": "xsd:integer"}
            term(local(iri), prefix + local(iri), kind.get(value_type))
    for name, (kind, rng) in _STRUCTURE.items():
        if kind == "object":
            # "entity" is the prefix of entity IRIs, so a figure's entity is "about".
            term(_JSON_NAMES.get(name, name), prefix + name,
                 "@vocab" if name in ("kind", "metric", "statementRank") else "@id")
        elif rng == XSD.date:
            term(name, prefix + name, "xsd:date")
        else:
            term(name, prefix + name)
    for iri in [*vocab.types.values(), *vocab.roles.values(), *vocab.kinds.values(),
                *vocab.metrics.values()]:
        term(local(iri), prefix + local(iri))
    for name, iri, kind in _COMMON_TERMS:
        term(name, iri, kind)
    context.update(sorted(terms.items()))
    # Values of rdf:predicate (a property IRI) compact to the property's plain name.
    context["@vocab"] = str(names.vocab)
    return dict(sorted(context.items()))


_JSON_NAMES = {"entity": "about"}

# Terms for the properties of other vocabularies the data uses: (term, prefixed name, @type).
_COMMON_TERMS: list[tuple[str, str, str | None]] = [
    ("subject", "rdf:subject", "@id"), ("predicate", "rdf:predicate", "@vocab"),
    ("object", "rdf:object", "@id"), ("label", "rdfs:label", None),
    ("altLabel", "skos:altLabel", None), ("note", "skos:note", None),
    ("description", "dcterms:description", None), ("title", "dcterms:title", None),
    ("publisher", "dcterms:publisher", "@id"), ("creator", "dcterms:creator", None),
    ("date", "dcterms:date", None), ("language", "dcterms:language", None),
    ("spatial", "dcterms:spatial", None), ("sameAs", "owl:sameAs", "@id"),
    ("wasDerivedFrom", "prov:wasDerivedFrom", "@id"),
    ("qualifiedDerivation", "prov:qualifiedDerivation", "@id"),
]


def serialize(dataset: Dataset, fmt: str = "turtle") -> bytes:
    """The dataset's RDF in one of FORMATS, byte-identical for the same data (the stream
    writers of ``kg.rdf.stream``, joined)."""
    if fmt not in FORMATS:
        raise KgError(f"unknown RDF format {fmt!r}; known: {', '.join(FORMATS)}")
    from kg.rdf.stream import DatasetRecords, chunks

    return b"".join(chunks(DatasetRecords(dataset), fmt))


def triples_text(graph: Graph) -> list[str]:
    """The graph as N-Triples lines, sorted."""
    text = escape_breaks(refuse_surrogates(graph).serialize(format="nt"))
    return sorted(line for line in text.split("\n") if line.strip())
