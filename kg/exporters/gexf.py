"""GEXF 1.2 export, Gephi's own format: labels, types and relation names as attributes,
node colours from the ontology's styles. Every edge is directed as the fact is stated
(a mixed graph would not load in every reader); ``directed`` is false for symmetric relations.
Text is checked and carriage returns kept by ``kg.xmltext`` (see there)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from kg.exporters import flat_graph, write_atomic
from kg.model import Dataset


def _rgb(color: str) -> dict[str, int] | None:
    text = color.lstrip("#")
    if len(text) != 6:
        return None
    try:
        return {"r": int(text[0:2], 16), "g": int(text[2:4], 16), "b": int(text[4:6], 16)}
    except ValueError:
        return None


def render(dataset: Dataset) -> bytes:
    import networkx as nx
    from networkx.readwrite.gexf import GEXFWriter

    from kg.xmltext import check_graph, keep_carriage_returns

    graph = check_graph(flat_graph(dataset), "GEXF")
    for _node, data in graph.nodes(data=True):
        rgb = _rgb(str(data.get("color", "")))
        if rgb is not None:
            data["viz"] = {"color": {**rgb, "a": 1.0}}
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta: Any = writer.xml.find("meta")
    if meta is not None:  # no date and no library version: the same data gives the same file
        meta.attrib.pop("lastmodifieddate", None)
        creator = meta.find("creator")
        if creator is not None:
            creator.text = "ai-video-kg"
    writer.add_graph(nx.MultiDiGraph(graph))
    buffer = io.BytesIO()
    writer.write(buffer)
    return keep_carriage_returns(buffer.getvalue().rstrip(b"\n") + b"\n")


def export(dataset: Dataset, target: Path) -> list[Path]:
    return [write_atomic(Path(target), render(dataset))]
