"""The ontology as an OWL/RDFS vocabulary in Turtle (``ontology/kg.ttl``); see ``kg.rdf.vocabulary``."""

from __future__ import annotations

from kg.data.ontology import Ontology

__all__ = ["render"]


def render(ontology: Ontology) -> bytes:
    from kg.rdf import vocabulary_turtle

    return vocabulary_turtle(ontology)
