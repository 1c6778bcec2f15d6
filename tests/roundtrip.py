"""Reading every export back with parsers other than the ones that wrote it, and comparing the
text with the data: rdflib and pyoxigraph for RDF, networkx for GraphML and GEXF, json for
node-link JSON, the csv module for CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import networkx as nx
import pyoxigraph
import rdflib

from kg import export, rdf
from kg.data.model import Dataset
from kg.export import csv as csv_export
from kg.export import gexf, graphml, nodelink

OXI_FORMATS = {"turtle": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES,
               "jsonld": pyoxigraph.RdfFormat.JSON_LD, "trig": pyoxigraph.RdfFormat.TRIG,
               "xml": pyoxigraph.RdfFormat.RDF_XML}


def literals_rdflib(data: bytes, fmt: str) -> set[tuple[str, str, str]]:
    """(subject, predicate, literal text) for every literal, as rdflib reads the document."""
    if fmt == "trig":
        store = rdflib.Dataset()
        store.parse(data=data, format="trig")
        triples = [(s, p, o) for s, p, o, _ in store.quads((None, None, None, None))]
    else:
        triples = list(rdflib.Graph().parse(data=data, format=rdf.FORMATS[fmt][0]))
    return {(str(s), str(p), str(o)) for s, p, o in triples if isinstance(o, rdflib.Literal)}


def literals_oxigraph(data: bytes, fmt: str) -> set[tuple[str, str, str]]:
    found = set()
    for quad in pyoxigraph.parse(data, format=OXI_FORMATS[fmt]):
        if isinstance(quad.object, pyoxigraph.Literal):
            found.add((quad.subject.value, quad.predicate.value, quad.object.value))
    return found


def expected_literals(dataset: Dataset) -> set[tuple[str, str, str]]:
    return {(str(s), str(p), str(o)) for s, p, o in rdf.dataset_graph(dataset)
            if isinstance(o, rdflib.Literal)}


def check_rdf(dataset: Dataset) -> None:
    """Every literal of the dataset, in every RDF syntax, read back exactly by both parsers."""
    expected = expected_literals(dataset)
    for fmt in rdf.FORMATS:
        data = rdf.serialize(dataset, fmt)
        assert literals_rdflib(data, fmt) == expected, fmt
        assert literals_oxigraph(data, fmt) == expected, fmt


def _text_attributes(graph: Any) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """The string attributes of the flat graph's nodes and edges (edges by fact id)."""
    nodes = {n: {k: v for k, v in d.items() if isinstance(v, str)} for n, d in graph.nodes(data=True)}
    edges = {d["fact_id"]: {k: v for k, v in d.items() if isinstance(v, str)}
             for *_e, d in graph.edges(data=True)}
    return nodes, edges


def check_graph_formats(dataset: Dataset) -> None:
    """Every text attribute read back exactly from GraphML, GEXF, node-link JSON and CSV."""
    nodes, edges = _text_attributes(export.flat_graph(dataset))

    read = nx.read_graphml(io.BytesIO(graphml.render(dataset)), force_multigraph=True)
    for node, attrs in nodes.items():
        assert {k: read.nodes[node].get(k) for k in attrs} == attrs, ("graphml", node)
    got = {d["fact_id"]: d for *_e, d in read.edges(data=True)}
    for fact, attrs in edges.items():
        assert {k: got[fact].get(k) for k in attrs} == attrs, ("graphml", fact)

    read = nx.read_gexf(io.BytesIO(gexf.render(dataset)))
    for node, attrs in nodes.items():
        assert {k: read.nodes[node].get(k) for k in attrs} == attrs, ("gexf", node)
    got = {d["fact_id"]: d for *_e, d in read.edges(data=True)}
    for fact, attrs in edges.items():
        assert {k: got[fact].get(k) for k in attrs} == attrs, ("gexf", fact)

    data = json.loads(nodelink.render(dataset))
    got_nodes = {n["id"]: n for n in data["nodes"]}
    for node, attrs in nodes.items():
        assert {k: got_nodes[node].get(k) for k in attrs} == attrs, ("json", node)

    tables = csv_export.render(dataset)
    rows = {name: list(csv.DictReader(io.StringIO(content.decode("utf-8"), newline="")))
            for name, content in tables.items()}
    got_nodes = {row["id"]: row for row in rows["nodes.csv"]}
    for node, attrs in nodes.items():
        assert {k: uncell(got_nodes[node][k]) for k in attrs} == attrs, ("csv", node)
    got_edges = {uncell(row["id"]): row for row in rows["edges.csv"]}
    for fact, attrs in edges.items():
        # CSV names the fact id "id", the column Gephi's spreadsheet import expects.
        assert {k: uncell(got_edges[fact]["id" if k == "fact_id" else k]) for k in attrs} == attrs, \
            ("csv", fact)


def uncell(text: str) -> str:
    """The value of a CSV cell: the apostrophe added in front of formula-like text dropped."""
    return text[1:] if text.startswith("'") else text


# Text that broke or could break a format: line ends and separators of every kind, markup,
# quotes and escapes of each syntax, bidi overrides, spreadsheet formulas, odd whitespace.
HOSTILE_TEXTS = [
    "a\rb", "a\r\nb\n", "x\u2028y\u2029z", "nel\x85x", "vt\tand tab", "  lead", "trail  ",
    "x\n\ny", "end\n", "\n\nstart", "=1+2", "-3", "+4", "@SUM(A1)", "'quoted", "\t=x", "\r=x",
    "<b>&amp;</b>", "]]>", "<!--", "</script>", '"""', "'''", '"', "\\", "\\u0041", "\\n",
    'a"b', "\u202eevil\u202c", "\u200b\u200d", "😀", "\ufeffbom", "\ufffd", "%s{}", "\x7f\x80\x9f",
    "可灵 即梦", "@prefix x: <y> .", "_:b0", "<urn:x>", "\n\\\"", 'a\n"', "x\n\\",
]
