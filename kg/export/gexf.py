"""GEXF 1.2 export, Gephi's own format: labels, types and relation names as attributes,
node colours from the ontology's styles. Every edge is directed as the fact is stated
(a mixed graph would not load in every reader); ``directed`` is false for symmetric relations.

The graph is dynamic (``mode="dynamic"``, ``timeformat="date"``): every fact with a valid
time is an edge with a spell from its first to its last day, every entity with a
``founded`` date a node with a spell from that day, so Gephi's timeline plays the landscape;
what has no date is there throughout.

Written as a stream from ``Records`` (``kg.export.records``), like GraphML: a
first pass declares the attributes (in the order networkx's writer meets them)
and checks every text before anything is written, the second writes the nodes
and edges one at a time, each built by networkx's ``GEXFWriter``, so the bytes
are those it gives for the whole graph (``kg.export.xmlstream``).
Text is checked and carriage returns kept by ``kg.util.xmltext`` (see there)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from kg.data.dates import PartialDate
from kg.data.model import Dataset, Entity
from kg.export import edge_rows, node_rows, records_of, write_stream

__all__ = ["chunks", "export", "node_spells", "render", "spells"]


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


def _writer() -> Any:
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta: Any = writer.xml.find("meta")
    if meta is not None:  # no date and no library version: the same data gives the same file
        meta.attrib.pop("lastmodifieddate", None)
        creator = meta.find("creator")
        if creator is not None:
            creator.text = "ai-video-kg"
    writer.graph_element = Element("graph", defaultedgetype="directed", mode="dynamic", name="")
    return writer


def _nodes(records: Any, writer: Any, colours: list[bool]) -> Iterator[Element]:
    """Each node element, built by the writer from a graph of that node alone."""
    import networkx as nx

    from kg.util.xmltext import check_all

    holder = Element("graph")
    for entity, data in node_rows(records):
        check_all([entity.id, *data.values()], "GEXF: a value of node")
        rgb = _rgb(str(data.get("color", "")))
        if rgb is not None:
            data["viz"] = {"color": {**rgb, "a": 1.0}}
            colours[0] = True
        data["spells"] = node_spells(entity)
        one = nx.MultiDiGraph()
        one.add_node(entity.id, **data)
        writer.add_nodes(one, holder)
        yield holder[-1][0]
        del holder[:]


def _edges(records: Any, writer: Any) -> Iterator[Element]:
    import networkx as nx

    from kg.util.xmltext import check_all

    holder = Element("graph")
    for fact, data in edge_rows(records):
        check_all(data.values(), "GEXF: a value of edge")
        data["id"] = data["fact_id"]  # the GEXF edge id (the writer takes it from "id")
        data["spells"] = spells(data.get("valid_from"), data.get("valid_until"))
        one = nx.MultiDiGraph()
        one.add_edge(fact.subject, fact.object, key=fact.id, **data)
        writer.add_edges(one, holder)
        yield holder[-1][0]
        del holder[:]


def chunks(records: Any) -> Iterator[bytes]:
    """GEXF (UTF-8) of ``records``, a few elements at a time."""
    from kg.export.xmlstream import elements_text, local_names, placeholder, shell

    writer = _writer()
    colours = [False]
    counts = [sum(1 for _ in _nodes(records, writer, colours)),  # attributes and checks first
              sum(1 for _ in _edges(records, writer))]
    graph = writer.graph_element
    # Dynamic with dates even when no record has one, so the file's shape does not depend on the data.
    graph.set("timeformat", "date")
    viz = {f"{{{writer.NS_VIZ}}}colour": "1"} if colours[0] else {}
    for tag, count, extra in (("nodes", counts[0], viz), ("edges", counts[1], {})):
        container = Element(tag)
        if count:
            container.append(placeholder(**extra))
        graph.append(container)
    writer.xml.append(graph)
    pieces = shell(writer.xml, writer.indent)
    yield pieces[0]
    prefixes = {writer.NS_VIZ: "viz"}
    if counts[0]:
        yield from elements_text((local_names(e, prefixes) for e in _nodes(records, writer, colours)),
                                 3, writer.indent)
        yield pieces[1]
        pieces = pieces[1:]
    if counts[1]:
        yield from elements_text(_edges(records, writer), 3, writer.indent)
        yield pieces[1]


def render(dataset: Dataset) -> bytes:
    return b"".join(chunks(records_of(dataset)))


def export(dataset: Dataset, target: Path) -> list[Path]:
    return [write_stream(Path(target), chunks(records_of(dataset)))]
