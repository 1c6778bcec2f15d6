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
syntaxes), ``reader`` (a dump back to YAML records) and ``sparqlquery``
(SPARQL). This package re-exports their public names, so callers import
them from ``kg.rdf``.

This package imports rdflib: import it only inside the functions that need RDF.
"""

from __future__ import annotations

from rdflib import RDFS

from kg.errors import KgError
from kg.rdf.names import CLAIM, INSTANCE_PREFIXES, Blanks, Names, Vocab, bind, date_literal
from kg.rdf.reader import SUFFIXES, Records, parse_file, read_dump, read_graph, yaml_files, yaml_text
from kg.rdf.serialization import FORMATS, jsonld_context, serialize, triples_text, turtle
from kg.rdf.sparqlquery import SparqlResult, SparqlSyntaxError, prefixes, sparql
from kg.rdf.view import Quad, dataset_graph, dataset_quads, file_names, publisher_entity, quads
from kg.rdf.vocabulary import date_range, texts, vocabulary_graph, vocabulary_turtle

__all__ = [
    "KgError", "RDFS",  # reachable here too: callers use kg.rdf.KgError and kg.rdf.RDFS
    "CLAIM", "FORMATS", "INSTANCE_PREFIXES", "SUFFIXES",
    "Blanks", "Names", "Quad", "Records", "SparqlResult", "SparqlSyntaxError", "Vocab",
    "bind", "dataset_graph", "dataset_quads", "date_literal", "date_range", "file_names",
    "jsonld_context", "parse_file", "prefixes", "publisher_entity", "quads", "read_dump",
    "read_graph", "serialize",
    "sparql", "texts", "triples_text", "turtle", "vocabulary_graph", "vocabulary_turtle",
    "yaml_files", "yaml_text",
]
