"""Node-link JSON export (networkx's ``node_link_data``, the shape d3 reads)."""

from __future__ import annotations

import json
from pathlib import Path

from kg.data.model import Dataset
from kg.export import flat_graph, write_atomic

__all__ = ["export", "render"]


def render(dataset: Dataset) -> bytes:
    """``{"directed", "multigraph", "graph", "nodes", "edges"}``, nodes and edges sorted by id."""
    import networkx as nx

    data = nx.node_link_data(flat_graph(dataset), edges="edges")
    data["nodes"].sort(key=lambda node: node["id"])
    data["edges"].sort(key=lambda edge: edge["key"])
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def export(dataset: Dataset, target: Path) -> list[Path]:
    return [write_atomic(Path(target), render(dataset))]
