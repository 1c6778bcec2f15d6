"""The graph exports as they were written from a whole networkx graph, before they streamed:
the oracle the streamed writers must match byte for byte (tests/test_export_streams.py)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from kg.data.model import Dataset
from kg.export import flat_graph
from kg.export.csv import cell
from kg.export.gexf import _rgb, node_spells, spells
from kg.util.xmltext import check_graph, keep_carriage_returns


def graphml(dataset: Dataset) -> bytes:
    graph = check_graph(flat_graph(dataset), "GraphML")
    buffer = io.BytesIO()
    nx.write_graphml_xml(graph, buffer, encoding="utf-8", prettyprint=True,
                         edge_id_from_attribute="fact_id")
    return keep_carriage_returns(buffer.getvalue().rstrip(b"\n") + b"\n")


def gexf(dataset: Dataset) -> bytes:
    graph = check_graph(flat_graph(dataset), "GEXF")
    for node, data in graph.nodes(data=True):
        rgb = _rgb(str(data.get("color", "")))
        if rgb is not None:
            data["viz"] = {"color": {**rgb, "a": 1.0}}
        data["spells"] = node_spells(dataset.entities[node])
    for _u, _v, data in graph.edges(data=True):
        data["id"] = data["fact_id"]
        data["spells"] = spells(data.get("valid_from"), data.get("valid_until"))
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta: Any = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)
        creator = meta.find("creator")
        if creator is not None:
            creator.text = "ai-video-kg"
    multigraph = nx.MultiDiGraph(graph)
    multigraph.graph["mode"] = "dynamic"
    writer.add_graph(multigraph)
    writer.graph_element.set("timeformat", "date")
    buffer = io.BytesIO()
    writer.write(buffer)
    return keep_carriage_returns(buffer.getvalue().rstrip(b"\n") + b"\n")


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


def csv_files(dataset: Dataset) -> dict[str, bytes]:
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


def nodelink(dataset: Dataset) -> bytes:
    data = nx.node_link_data(flat_graph(dataset), edges="edges")
    data["nodes"].sort(key=lambda node: node["id"])
    data["edges"].sort(key=lambda edge: edge["key"])
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
