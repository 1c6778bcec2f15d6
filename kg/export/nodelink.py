"""Node-link JSON export (networkx's ``node_link_data``, the shape d3 reads).

Written as a stream from ``Records`` (``kg.export.records``): the edges in id
order, then the nodes in id order, each as ``json.dumps`` writes it inside the
whole document, so the bytes are those of the document written at once."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kg.data.model import Dataset
from kg.export import edge_rows, node_rows, records_of, write_stream

__all__ = ["chunks", "export", "render"]


def _items(values: Iterable[dict[str, Any]], batch: int = 500) -> Iterator[str]:
    """The members of a list at depth 2 (``indent=2``), as the whole document would hold them."""
    out: list[str] = []
    first = True
    for value in values:
        text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True).replace("\n", "\n    ")
        out.append(("\n    " if first else ",\n    ") + text)
        first = False
        if len(out) >= batch:
            yield "".join(out)
            out = []
    yield "".join(out) + ("\n  ]" if not first else "]")


def _text(records: Any) -> Iterator[str]:
    # Keys sorted, as json.dumps(sort_keys=True) orders them: directed, edges, graph, multigraph, nodes.
    yield '{\n  "directed": true,\n  "edges": ['
    yield from _items({**data, "source": fact.subject, "target": fact.object, "key": fact.id}
                      for fact, data in edge_rows(records, by_id=True))
    yield ',\n  "graph": {},\n  "multigraph": true,\n  "nodes": ['
    yield from _items({**data, "id": entity.id} for entity, data in node_rows(records))
    yield "\n}\n"


def chunks(records: Any) -> Iterator[bytes]:
    """``{"directed", "multigraph", "graph", "nodes", "edges"}``, nodes and edges sorted by id."""
    for text in _text(records):
        yield text.encode("utf-8")


def render(dataset: Dataset) -> bytes:
    return b"".join(chunks(records_of(dataset)))


def export(dataset: Dataset, target: Path) -> list[Path]:
    return [write_stream(Path(target), chunks(records_of(dataset)))]
