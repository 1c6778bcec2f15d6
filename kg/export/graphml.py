"""GraphML export, for Gephi, yEd and Cytoscape: one node per entity, one edge per fact.

Text is checked and carriage returns kept by ``kg.util.xmltext`` (see there)."""

from __future__ import annotations

import io
from pathlib import Path

from kg.data.model import Dataset
from kg.export import flat_graph, write_atomic

__all__ = ["export", "render"]


def render(dataset: Dataset) -> bytes:
    """GraphML (UTF-8) with the flat attributes of ``flat_graph`` as typed keys."""
    import networkx as nx

    from kg.util.xmltext import check_graph, keep_carriage_returns

    graph = check_graph(flat_graph(dataset), "GraphML")
    buffer = io.BytesIO()
    nx.write_graphml_xml(graph, buffer, encoding="utf-8", prettyprint=True,
                         edge_id_from_attribute="fact_id")
    return keep_carriage_returns(buffer.getvalue().rstrip(b"\n") + b"\n")


def export(dataset: Dataset, target: Path) -> list[Path]:
    return [write_atomic(Path(target), render(dataset))]
