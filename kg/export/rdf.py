"""RDF export: Turtle, N-Triples, JSON-LD, TriG or RDF/XML (see kg.rdf for the model)."""

from __future__ import annotations

from pathlib import Path

from kg.data.model import Dataset
from kg.export import write_atomic

__all__ = ["export", "FORMATS", "render"]

FORMATS = ("turtle", "nt", "jsonld", "trig", "xml")


def render(dataset: Dataset, format: str = "turtle") -> bytes:
    """The dataset's RDF in ``format``; the same data gives the same bytes."""
    from kg.rdf import serialize

    return serialize(dataset, format)


def export(dataset: Dataset, target: Path, format: str = "turtle") -> list[Path]:
    """Write the RDF to ``target`` atomically."""
    return [write_atomic(Path(target), render(dataset, format))]
