"""CSV export: a folder with nodes.csv and edges.csv, in the columns Gephi's
spreadsheet import recognises (Id, Label; Source, Target, Type, Id, Label).

Cells are quoted where they must be (RFC 4180 line ends, so that a carriage
return in a value is quoted too), and a text cell that a spreadsheet would
run as a formula gets a leading apostrophe (``cell``). The two files are
written together or not at all (``kg.util.atomic.write_folder_atomic``).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from kg.data.model import Dataset
from kg.export import flat_graph, write_folder_atomic

__all__ = ["cell", "export", "FORMULA_STARTS", "render"]

# A text cell starting with one of these is taken by spreadsheets as a formula (or, for the
# apostrophe, as the mark that keeps the rest text): such a cell gets one more apostrophe in front.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def cell(value: Any) -> str:
    """One CSV cell: booleans as true/false, numbers as written, formula-like text neutralised.

    Reversible: a text cell starting with an apostrophe had one added; drop it to get the value.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return str(value)


def _table(first: list[str], rows: list[dict[str, Any]]) -> bytes:
    columns = list(first)
    for row in rows:
        columns.extend(key for key in row if key not in columns)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n", extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: cell(value) for key, value in row.items()})
    return buffer.getvalue().encode("utf-8")


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
    """Write ``nodes.csv`` and ``edges.csv`` as the content of the folder ``target``, together.

    ``target`` may be missing or hold only these two files (it is replaced as
    a whole); raises ``kg.util.atomic.FolderNotOwned`` otherwise.
    """
    return write_folder_atomic(Path(target), render(dataset))
