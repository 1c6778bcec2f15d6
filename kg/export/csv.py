"""CSV export: a folder with nodes.csv and edges.csv, in the columns Gephi's
spreadsheet import recognises (Id, Label; Source, Target, Type, Id, Label).

Cells are quoted where they must be (RFC 4180 line ends, so that a carriage
return in a value is quoted too), and a text cell that a spreadsheet would
run as a formula gets a leading apostrophe (``cell``). The two files are
written together or not at all (``kg.util.atomic.write_folder_atomic``).

Each file is written as a stream from ``Records`` (``kg.export.records``) in
two passes: the columns (every attribute, in the order the rows first hold
it), then the rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from kg.data.model import Dataset
from kg.export import edge_rows, node_rows, records_of, write_folder_atomic

__all__ = ["cell", "export", "files", "FORMULA_STARTS", "render"]

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


def _columns(first: list[str], rows: Iterable[dict[str, Any]]) -> list[str]:
    """The header: ``first``, then every other key in the order the rows first hold it."""
    columns = list(first)
    seen = set(columns)
    for row in rows:
        for key in row:
            if key not in seen:
                seen.add(key)
                columns.append(key)
    return columns


def _table(first: list[str], rows: Callable[[], Iterator[dict[str, Any]]],
           batch: int = 1000) -> Iterator[bytes]:
    """One CSV file, in two passes over ``rows``: the header's columns, then the rows."""
    columns = _columns(first, rows())
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n", extrasaction="raise")
    writer.writeheader()
    for done, row in enumerate(rows(), 1):
        writer.writerow({key: cell(value) for key, value in row.items()})
        if done % batch == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _node_rows(records: Any) -> Iterator[dict[str, Any]]:
    for entity, data in node_rows(records):
        yield {"id": entity.id, **data}


def _edge_rows(records: Any) -> Iterator[dict[str, Any]]:
    for fact, data in edge_rows(records):
        directed = data.pop("directed")
        fact_id = data.pop("fact_id")
        yield {"source": fact.subject, "target": fact.object,
               "type": "Directed" if directed else "Undirected", "id": fact_id, **data}


def files(records: Any) -> dict[str, Iterator[bytes]]:
    """File name -> its content as a stream: ``nodes.csv`` and ``edges.csv``."""
    return {"nodes.csv": _table(["id", "label", "type"], lambda: _node_rows(records)),
            "edges.csv": _table(["source", "target", "type", "id", "label", "relation"],
                                lambda: _edge_rows(records))}


def render(dataset: Dataset) -> dict[str, bytes]:
    """File name -> content: ``nodes.csv`` and ``edges.csv``."""
    return {name: b"".join(content) for name, content in files(records_of(dataset)).items()}


def export(dataset: Dataset, target: Path) -> list[Path]:
    """Write ``nodes.csv`` and ``edges.csv`` as the content of the folder ``target``, together.

    ``target`` may be missing or hold only these two files (it is replaced as
    a whole); raises ``kg.util.atomic.FolderNotOwned`` otherwise.
    """
    return write_folder_atomic(Path(target), files(records_of(dataset)))
