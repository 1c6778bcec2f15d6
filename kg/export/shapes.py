"""SHACL shapes generated from the ontology, in Turtle (``ontology/shapes.ttl``); see ``kg.rdf.shapes``."""

from __future__ import annotations

from kg.data.ontology import Ontology

__all__ = ["render"]


def render(ontology: Ontology) -> bytes:
    from kg.rdf.shapes import shapes_turtle

    return shapes_turtle(ontology)
