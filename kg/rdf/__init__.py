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

One module per concern: ``names`` (namespaces, the RDF names of the
ontology's terms, literal helpers), ``vocabulary`` (the ontology as
OWL/RDFS), ``view`` (a dataset as triples), ``serialization`` (the five
syntaxes), ``reader`` (a dump back to YAML records), ``sparqlquery``
(SPARQL) and ``sparqlstore`` (the Oxigraph store ``kg sparql`` answers
from). This package re-exports their public names, so callers import them
from ``kg.rdf``.

Its names are loaded on first use (most of them import rdflib): import them inside the
functions that need RDF.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "KgError", "RDFS",  # reachable here too: callers use kg.rdf.KgError and kg.rdf.RDFS
    "CLAIM", "FORMATS", "INSTANCE_PREFIXES", "SUFFIXES",
    "Blanks", "Names", "Quad", "Records", "SparqlResult", "SparqlSyntaxError", "Vocab",
    "bind", "dataset_graph", "dataset_quads", "date_literal", "date_range", "file_names",
    "jsonld_context", "parse_file", "prefixes", "publisher_entity", "quads", "read_dump",
    "read_graph", "serialize",
    "sparql", "store_sparql", "Term", "texts", "triples_text", "turtle", "vocabulary_graph",
    "vocabulary_turtle",
    "yaml_files", "yaml_text",
]

_HOMES = {
    "Blanks": "kg.rdf.names",
    "CLAIM": "kg.rdf.names",
    "FORMATS": "kg.rdf.serialization",
    "INSTANCE_PREFIXES": "kg.rdf.names",
    "KgError": "kg.errors",
    "Names": "kg.rdf.names",
    "Quad": "kg.rdf.view",
    "RDFS": "rdflib",
    "Records": "kg.rdf.reader",
    "SUFFIXES": "kg.rdf.reader",
    "SparqlResult": "kg.rdf.sparqlquery",
    "SparqlSyntaxError": "kg.rdf.sparqlquery",
    "Vocab": "kg.rdf.names",
    "bind": "kg.rdf.names",
    "dataset_graph": "kg.rdf.view",
    "dataset_quads": "kg.rdf.view",
    "date_literal": "kg.rdf.names",
    "date_range": "kg.rdf.vocabulary",
    "file_names": "kg.rdf.view",
    "jsonld_context": "kg.rdf.serialization",
    "parse_file": "kg.rdf.reader",
    "prefixes": "kg.rdf.sparqlquery",
    "publisher_entity": "kg.rdf.view",
    "quads": "kg.rdf.view",
    "read_dump": "kg.rdf.reader",
    "read_graph": "kg.rdf.reader",
    "serialize": "kg.rdf.serialization",
    "sparql": "kg.rdf.sparqlquery",
    "store_sparql": "kg.rdf.sparqlquery",
    "Term": "kg.rdf.sparqlquery",
    "texts": "kg.rdf.vocabulary",
    "triples_text": "kg.rdf.serialization",
    "turtle": "kg.rdf.serialization",
    "vocabulary_graph": "kg.rdf.vocabulary",
    "vocabulary_turtle": "kg.rdf.vocabulary",
    "yaml_files": "kg.rdf.reader",
    "yaml_text": "kg.rdf.reader",
}


def __getattr__(name: str) -> Any:
    # The names above load their module on first use, so that ``kg.rdf.remote`` and
    # ``kg.rdf.shapes`` can be imported without rdflib where they need none.
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'kg.rdf' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
