"""The graph-format exporters (GraphML, GEXF, node-link JSON, CSV), the RDF exporter module,
``select`` and ``flat_graph``, and atomic writing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from functools import lru_cache
from pathlib import Path

import networkx as nx
import pytest

from kg import export
from kg.data.load import load
from kg.data.model import Dataset
from kg.errors import KgError
from kg.export import csv as csv_export
from kg.export import gexf, graphml, nodelink
from kg.export import rdf as rdf_export
from tests.conftest import FIXTURES
from tests.datagen import write_text_dataset
from tests.roundtrip import HOSTILE_TEXTS, check_graph_formats

SMALL = FIXTURES / "rdf-small"


@lru_cache(maxsize=1)
def small() -> Dataset:
    return load(SMALL)


def test_the_registry_names_these_modules() -> None:
    for name, module in (("rdf", rdf_export), ("graphml", graphml), ("gexf", gexf),
                         ("json", nodelink), ("csv", csv_export)):
        assert export.get(name).load() is module


def test_flat_graph_has_scalar_attributes_only() -> None:
    graph = export.flat_graph(small())
    assert list(graph.nodes) == sorted(small().entities)
    assert sorted(k for _u, _v, k in graph.edges(keys=True)) == sorted(f.id for f in small().edges)
    for _node, data in graph.nodes(data=True):
        assert all(isinstance(v, (str, int, float, bool)) for v in data.values())
    for _u, _v, data in graph.edges(data=True):
        assert all(isinstance(v, (str, int, float, bool)) for v in data.values())
    acme = graph.nodes["acme"]
    assert acme["label"] == "Acme Video" and acme["label_zh-Hant"] == "艾克米視頻"
    assert acme["aliases"] == "Acme; ACME Corp" and acme["founded"] == "2019-03"
    assert acme["color"] == small().ontology.entity_types["organization"].style["color"]
    outranked = graph.edges["acme-app", "gamma", "acme-app--outranked--gamma--2025-10-05"]
    assert outranked["qualifier_rank"] == 1
    assert outranked["qualifier_amount"] == "200 downloads"
    assert outranked["sources"] == "example-report (§3, para 2)"
    competes = graph.edges["acme-gen", "gamma", "acme-gen--competes-with--gamma"]
    assert competes["directed"] is False and competes["label"] == "competes with"
    assert "derived_from" not in competes
    measured = graph.edges["pundit", "acme-app", "acme-app--downloads--2025-09-30~measured~acme-app"]
    assert measured["relation"] == "measured"
    assert measured["derived_from"] == "acme-app--downloads--2025-09-30 (figures.measured_by)"


def test_graphml_reads_back_with_networkx() -> None:
    graph = nx.read_graphml(io.BytesIO(graphml.render(small())), force_multigraph=True)
    assert set(graph.nodes) == set(small().entities)
    assert graph.number_of_edges() == len(small().edges)
    assert graph.nodes["gamma"]["type"] == "product"
    assert graph.nodes["gamma"]["label_zh-Hans"] == "伽马"
    keys = {k for _u, _v, k in graph.edges(keys=True)}
    assert keys == {f.id for f in small().edges}
    edge = graph.edges["beta-studio", "beta-policy", "beta-studio--opted-out-of--beta-policy--2025-10-03"]
    assert edge["relation"] == "opted-out-of" and edge["kind"] == "event"
    assert edge["label"] == "opted out of"


def test_gexf_reads_back_with_networkx_and_has_no_date() -> None:
    text = gexf.render(small())
    assert b"lastmodifieddate" not in text and b"NetworkX" not in text
    graph = nx.read_gexf(io.BytesIO(text))
    assert set(graph.nodes) == set(small().entities)
    assert graph.number_of_edges() == len(small().edges)
    assert graph.nodes["acme"]["label"] == "Acme Video"
    assert graph.nodes["acme"]["viz"]["color"] == {"r": 78, "g": 121, "b": 167, "a": 1.0}
    competes = graph.edges["acme-gen", "gamma", "acme-gen--competes-with--gamma"]
    assert competes["directed"] is False  # a symmetric relation


def test_node_link_json_is_sorted_and_reads_back() -> None:
    data = json.loads(nodelink.render(small()))
    assert [n["id"] for n in data["nodes"]] == sorted(small().entities)
    assert [e["key"] for e in data["edges"]] == sorted(f.id for f in small().edges)
    graph = nx.node_link_graph(data, edges="edges")
    assert graph.number_of_edges() == len(small().edges)


def test_csv_has_gephi_columns(tmp_path: Path) -> None:
    paths = csv_export.export(small(), tmp_path / "out")
    assert [p.name for p in paths] == ["nodes.csv", "edges.csv"]
    nodes = list(csv.DictReader((tmp_path / "out" / "nodes.csv").open(encoding="utf-8")))
    edges = list(csv.DictReader((tmp_path / "out" / "edges.csv").open(encoding="utf-8")))
    assert list(nodes[0])[:3] == ["id", "label", "type"]
    assert list(edges[0])[:6] == ["source", "target", "type", "id", "label", "relation"]
    assert len(nodes) == len(small().entities) and len(edges) == len(small().edges)
    competes = [e for e in edges if e["relation"] == "competes-with"][0]
    assert competes["type"] == "Undirected"
    develops = [e for e in edges if e["relation"] == "develops"][0]
    assert develops["type"] == "Directed"
    assert develops["sources"] == "example-report (§1, para 2); example-digest (第2段)"


def test_csv_into_a_file_is_an_error(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(KgError, match="writes a folder"):
        csv_export.export(small(), target)


@pytest.mark.parametrize("module", [graphml, gexf, nodelink], ids=["graphml", "gexf", "json"])
def test_graph_formats_are_deterministic(module) -> None:
    assert module.render(small()) == module.render(load(SMALL))


def test_rdf_exporter_writes_the_file(tmp_path: Path) -> None:
    paths = rdf_export.export(small(), tmp_path / "out.nt", format="nt")
    assert paths == [tmp_path / "out.nt"]
    assert paths[0].read_bytes() == rdf_export.render(small(), "nt")


@pytest.mark.parametrize("module, options", [(rdf_export, {"format": "turtle"}), (graphml, {}),
                                             (gexf, {}), (nodelink, {})],
                         ids=["rdf", "graphml", "gexf", "json"])
def test_a_failed_export_leaves_the_old_file(module, options, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out"
    target.write_bytes(b"the previous export")

    def fail(*args: object, **kwargs: object) -> bytes:
        raise OSError(28, "No space left on device")

    # the content is built, then writing fails half-way
    monkeypatch.setattr("os.fsync", fail)
    with pytest.raises(KgError, match="cannot write"):
        module.export(small(), target, **options)
    assert target.read_bytes() == b"the previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary file left behind


def test_select_filters_by_relation_type_and_date() -> None:
    data = small()
    opted = export.select(data, relations=["opted-out-of"])
    assert {f.relation for f in opted.facts} == {"opted-out-of"}
    assert set(opted.entities) == {"beta-studio", "beta-policy", "acme-app"}
    assert [f.id for f in opted.figures] == ["acme-app--downloads--2025-09-30"]
    products = export.select(data, types=["product"])
    assert {e.type for e in products.entities.values()} <= {"product", "app", "model", "platform"}
    assert all(f.subject in products.entities and f.object in products.entities
               for f in products.facts)
    early = export.select(data, as_of=dt.date(2025, 9, 15))
    assert "acme-app--integrates--acme-gen--2025-09-30" not in {f.id for f in early.facts}
    assert "acme-gen" not in early.entities  # founded 2025-09-30
    assert export.select(data) is data


def test_records_carry_figures_source_titles_and_whole_days() -> None:
    graph = export.flat_graph(small())
    app = graph.nodes["acme-app"]
    assert app["figures"].startswith("downloads: 164 thousand downloads [2025-09-30 – 2025-10-06]")
    assert app["figure_downloads"] == 164000  # the latest reading, in plain units
    assert app["figure_sources"] == "Example Report on Video Apps (Example Press, 2025-10)"
    assert "figures" not in graph.nodes["gamma"]
    develops = graph.edges["acme", "acme-gen", "acme--develops--acme-gen--2025-09"]
    assert develops["fact_id"] == "acme--develops--acme-gen--2025-09" and "id" not in develops
    assert develops["valid_from"] == "2025-09-01" and "valid_until" not in develops
    assert develops["source_titles"] == ("Example Report on Video Apps (Example Press, 2025-10); "
                                         "示例摘要 (示例出版社, 2025)")


def test_graphml_has_no_attribute_named_id() -> None:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(graphml.render(small()))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    names = {key.get("attr.name") for key in root.findall("g:key", ns)}
    assert "id" not in names and {"fact_id", "figures", "source_titles", "valid_from"} <= names
    edge_ids = {edge.get("id") for edge in root.iter("{http://graphml.graphdrawing.org/xmlns}edge")}
    assert edge_ids == {f.id for f in small().edges}


def test_gexf_is_dynamic_with_spells_from_the_valid_time() -> None:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(gexf.render(small()))
    ns = {"g": "http://www.gexf.net/1.2draft"}
    graph = root.find("g:graph", ns)
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"

    def spells(element) -> list[tuple[str | None, str | None]]:
        return [(s.get("start"), s.get("end")) for s in element.findall("g:spells/g:spell", ns)]

    edges = {e.get("id"): e for e in graph.findall("g:edges/g:edge", ns)}
    assert set(edges) == {f.id for f in small().edges}
    for fact in small().edges:
        first = fact.since.start().isoformat() if fact.since else None
        last = fact.until.end().isoformat() if fact.until else None
        assert spells(edges[fact.id]) == ([] if first is None and last is None else [(first, last)])
    nodes = {n.get("id"): n for n in graph.findall("g:nodes/g:node", ns)}
    assert spells(nodes["acme"]) == [("2019-03-01", None)]  # founded 2019-03
    assert spells(nodes["gamma"]) == []  # no date: there throughout
    assert nx.read_gexf(io.BytesIO(gexf.render(small()))).number_of_edges() == len(small().edges)


def test_csv_and_node_link_keep_the_fact_id() -> None:
    files = csv_export.render(small())
    edges = list(csv.DictReader(io.StringIO(files["edges.csv"].decode("utf-8"))))
    assert {e["id"] for e in edges} == {f.id for f in small().edges}
    assert "fact_id" not in edges[0] and edges[0]["source_titles"]
    data = json.loads(nodelink.render(small()))
    assert all(edge["fact_id"] == edge["key"] for edge in data["edges"])
    assert any("figures" in node for node in data["nodes"])


# -- every character, formulas, and the CSV pair (issue: hardening) -----------------------------

@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_every_text_survives_graphml_gexf_json_and_csv(text: str, tmp_path: Path) -> None:
    check_graph_formats(load(write_text_dataset(tmp_path, text)))


def test_a_carriage_return_stays_one_in_xml_formats(tmp_path: Path) -> None:
    dataset = load(write_text_dataset(tmp_path, "a\rb"))
    for render in (graphml.render, gexf.render):
        document = render(dataset)
        assert b"\r" not in document and b"a&#13;b" in document


def test_a_carriage_return_in_csv_is_quoted_and_makes_no_row(tmp_path: Path) -> None:
    nodes = csv_export.render(load(write_text_dataset(tmp_path, "one\rtwo")))["nodes.csv"]
    rows = list(csv.reader(io.StringIO(nodes.decode("utf-8"), newline="")))
    assert len(rows) == 3  # the header, alpha and bravo
    assert "one\rtwo" in rows[1]


@pytest.mark.parametrize(("value", "cell"), [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("'kept", "''kept"), ("plain", "plain"), ("a=b", "a=b"),
    (-1, "-1"), (2.5, "2.5"), (True, "true"),
])
def test_csv_cells_that_a_spreadsheet_would_run_get_an_apostrophe(value: object, cell: str) -> None:
    assert csv_export.cell(value) == cell


class _Exploding(dict):
    def items(self):  # the second file cannot be written: the pair must stay as it was
        first, *_rest = super().items()
        yield first
        raise OSError(28, "No space left on device")


def test_csv_pair_is_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    csv_export.export(small(), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    other = load(write_text_dataset(tmp_path / "other", "changed"))
    monkeypatch.setattr(csv_export, "files", lambda records: _Exploding(
        {"nodes.csv": b"new nodes\n", "edges.csv": b"new edges\n"}))
    with pytest.raises(KgError, match="No space left on device"):
        csv_export.export(other, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_csv_refuses_a_folder_holding_other_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(KgError, match=r"holds other files \(notes.txt\)"):
        csv_export.export(small(), out)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_xml_formats_refuse_text_xml_cannot_carry_before_writing(tmp_path: Path) -> None:
    dataset = load(write_text_dataset(tmp_path / "data", "fine"))
    dataset.entities["alpha"].description = "bad\x00text"
    target = tmp_path / "out.graphml"
    target.write_bytes(b"old")
    for exporter in (graphml, gexf):
        with pytest.raises(KgError, match=r"U\+0000.*XML 1.0 cannot carry; nothing was written"):
            exporter.export(dataset, target)
    with pytest.raises(KgError, match="U\\+0000"):
        rdf_export.render(dataset, "xml")
    assert target.read_bytes() == b"old"


def test_graphml_loads_in_igraph_without_an_id_clash(tmp_path: Path) -> None:
    import warnings

    import igraph

    path = tmp_path / "small.graphml"
    path.write_bytes(graphml.render(small()))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        graph = igraph.Graph.Read_GraphML(str(path))
    assert [str(w.message) for w in caught] == []  # igraph warns when an attribute is named id
    assert sorted(graph.es["fact_id"]) == sorted(f.id for f in small().edges)
    assert graph.vcount() == len(small().entities)
