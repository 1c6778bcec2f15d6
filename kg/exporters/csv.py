"""CSV export: a folder with nodes.csv and edges.csv, in the columns Gephi's
spreadsheet import recognises (Id, Label; Source, Target, Type, Id, Label)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from kg.errors import KgError
from kg.exporters import flat_graph, write_atomic
from kg.model import Dataset


def _table(first: list[str], rows: list[dict[str, Any]]) -> bytes:
    columns = list(first)
    for row in rows:
        columns.extend(key for key in row if key not in columns)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return buffer.getvalue().encode("utf-8")


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def render(dataset: Dataset) -> dict[str, bytes]:
    """File name -> content: ``nodes.csv`` and ``edges.csv``."""
    graph = flat_graph(dataset)
    nodes = [{"id": node, **data} for node, data in graph.nodes(data=True)]
    edges = []
    for u, v, data in graph.edges(data=True):
        row = dict(data)
        directed = row.pop("directed")
        edges.append({"source": u, "target": v, "type": "Directed" if directed else "Undirected",
                      "id": row.pop("fact_id"), **row})
    return {"nodes.csv": _table(["id", "label", "type"], nodes),
            "edges.csv": _table(["source", "target", "type", "id", "label", "relation"], edges)}


def export(dataset: Dataset, target: Path) -> list[Path]:
    """Write ``nodes.csv`` and ``edges.csv`` into the folder ``target`` (created if needed)."""
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise KgError(f"the CSV export writes a folder, and {target} is a file")
    return [write_atomic(target / name, content) for name, content in render(dataset).items()]
