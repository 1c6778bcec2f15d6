"""GEXF 1.2 export, Gephi's own format: labels, types and relation names as attributes,
node colours from the ontology's styles. Every edge is directed as the fact is stated
(a mixed graph would not load in every reader); ``directed`` is false for symmetric relations.

The graph is dynamic (``mode="dynamic"``, ``timeformat="date"``): every fact with a valid
time is an edge with a spell from its first to its last day, every entity with a
``founded`` date a node with a spell from that day, so Gephi's timeline plays the landscape;
what has no date is there throughout.
Text is checked and carriage returns kept by ``kg.util.xmltext`` (see there)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from kg.data.dates import PartialDate
from kg.data.model import Dataset, Entity
from kg.export import flat_graph, write_atomic

__all__ = ["export", "node_spells", "render", "spells"]


def _rgb(color: str) -> dict[str, int] | None:
    text = color.lstrip("#")
    if len(text) != 6:
        return None
    try:
        return {"r": int(text[0:2], 16), "g": int(text[2:4], 16), "b": int(text[4:6], 16)}
    except ValueError:
        return None


def spells(first: str | None, last: str | None) -> list[tuple[str | None, str | None]]:
    """The GEXF spells of a record valid from day ``first`` to day ``last`` (None: open)."""
    return [] if first is None and last is None else [(first, last)]


def node_spells(entity: Entity) -> list[tuple[str | None, str | None]]:
    founded = entity.attributes.get("founded")
    return spells(founded.start().isoformat(), None) if isinstance(founded, PartialDate) else []


def render(dataset: Dataset) -> bytes:
    import networkx as nx
    from networkx.readwrite.gexf import GEXFWriter

    from kg.util.xmltext import check_graph, keep_carriage_returns

    graph = check_graph(flat_graph(dataset), "GEXF")
    for node, data in graph.nodes(data=True):
        rgb = _rgb(str(data.get("color", "")))
        if rgb is not None:
            data["viz"] = {"color": {**rgb, "a": 1.0}}
        data["spells"] = node_spells(dataset.entities[node])
    for _u, _v, data in graph.edges(data=True):
        data["id"] = data["fact_id"]  # the GEXF edge id (the writer takes it from "id")
        data["spells"] = spells(data.get("valid_from"), data.get("valid_until"))
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta: Any = writer.xml.find("meta")
    if meta is not None:  # no date and no library version: the same data gives the same file
        meta.attrib.pop("lastmodifieddate", None)
        creator = meta.find("creator")
        if creator is not None:
            creator.text = "ai-video-kg"
    multigraph = nx.MultiDiGraph(graph)
    multigraph.graph["mode"] = "dynamic"
    writer.add_graph(multigraph)
    # Dynamic with dates even when no record has one, so the file's shape does not depend on the data.
    writer.graph_element.set("timeformat", "date")
    buffer = io.BytesIO()
    writer.write(buffer)
    return keep_carriage_returns(buffer.getvalue().rstrip(b"\n") + b"\n")


def export(dataset: Dataset, target: Path) -> list[Path]:
    return [write_atomic(Path(target), render(dataset))]
