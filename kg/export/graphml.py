"""GraphML export, for Gephi, yEd and Cytoscape: one node per entity, one edge per fact.

Written as a stream from ``Records`` (``kg.export.records``): a first pass
finds the keys (every attribute name and type, in the order networkx's writer
meets them) and checks every text, so data XML cannot carry is refused
before anything is written; the second writes the nodes and edges one at a
time. The bytes are those networkx's ``write_graphml_xml`` gives for
``flat_graph`` (``kg.export.xmlstream``). Text is checked and carriage
returns kept by ``kg.util.xmltext`` (see there)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from kg.data.model import Dataset
from kg.export import edge_rows, node_rows, records_of, write_stream

__all__ = ["chunks", "export", "render"]


def _writer() -> Any:
    from networkx.readwrite.graphml import GraphMLWriter

    return GraphMLWriter(encoding="utf-8", prettyprint=True, edge_id_from_attribute="fact_id")


def _elements(records: Any, writer: Any, build: bool) -> Iterator[Any]:
    """The node and edge elements in the writer's order; with ``build`` False, only the keys
    are registered and the text checked (one None per element)."""
    from kg.util.xmltext import check_all

    for entity, data in node_rows(records):
        check_all([entity.id, *data.values()], "GraphML: a value of node")
        yield from _element(writer, Element("node", id=str(entity.id)) if build else None, data, "node")
    for fact, data in edge_rows(records):
        check_all(data.values(), "GraphML: a value of edge")
        element = (Element("edge", source=str(fact.subject), target=str(fact.object),
                           id=str(data["fact_id"])) if build else None)
        yield from _element(writer, element, data, "edge")


def _element(writer: Any, element: Element | None, data: dict[str, Any],
             scope: str) -> Iterator[Element | None]:
    for key, value in data.items():
        if element is None:
            writer.get_key(str(key), writer.get_xml_type(type(value)), scope, None)
        else:
            element.append(writer.add_data(str(key), type(value), str(value), scope, None))
    yield element


def chunks(records: Any) -> Iterator[bytes]:
    """GraphML (UTF-8) of ``records``, a few elements at a time."""
    from kg.export.xmlstream import elements_text, placeholder, shell

    writer = _writer()
    count = 0
    for _ in _elements(records, writer, build=False):  # keys and checks, before any byte
        count += 1
    graph = Element("graph", edgedefault="directed")
    if count:
        graph.append(placeholder())
    writer.xml.append(graph)
    head, *tail = shell(writer.xml, writer.indent)
    yield head
    if tail:
        yield from elements_text(_elements(records, writer, build=True), 2, writer.indent)
        yield tail[0]


def render(dataset: Dataset) -> bytes:
    """GraphML (UTF-8) with the flat attributes of ``flat_graph`` as typed keys."""
    return b"".join(chunks(records_of(dataset)))


def export(dataset: Dataset, target: Path) -> list[Path]:
    return [write_stream(Path(target), chunks(records_of(dataset)))]
