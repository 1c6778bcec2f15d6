"""Every export written as a stream from ``Records`` (kg.export.records): the bytes the
whole-graph writers gave (GraphML, GEXF, node-link JSON, CSV, Cypher, neo4j-admin CSV), the
triples of the RDF view (JSON-LD, TriG, RDF/XML, read back by rdflib and pyoxigraph), the same
bytes from the store row by row as from a dataset in memory, only the streaming methods used,
and refusals that leave nothing half-written."""

from __future__ import annotations

import copy
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import legacy_exports as legacy
import networkx as nx
import pyoxigraph
import pytest
from conftest import FIXTURES, SEEDS
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Dataset as RdfDataset
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.data.load import load
from kg.errors import KgError
from kg.export import csv as csv_export
from kg.export import cypher, gexf, graphml, neo4jcsv, nodelink
from kg.export.records import DatasetRecords, StoreRecords
from kg.rdf.stream import chunks as rdf_chunks
from kg.rdf.view import dataset_graph, dataset_quads
from kg.store import from_dataset
from kg.util.xmltext import uncarriable

FOLDERS = [SEEDS, FIXTURES / "market" / "data", FIXTURES / "query-small", FIXTURES / "rdf-small"]
OXI = {"jsonld": pyoxigraph.RdfFormat.JSON_LD, "trig": pyoxigraph.RdfFormat.TRIG,
       "xml": pyoxigraph.RdfFormat.RDF_XML, "turtle": pyoxigraph.RdfFormat.TURTLE,
       "nt": pyoxigraph.RdfFormat.N_TRIPLES}
RDFLIB = {"jsonld": "json-ld", "xml": "xml", "turtle": "turtle", "nt": "nt"}
# Text every format must carry: markup, quotes, escapes, line ends, separators, other scripts.
AWKWARD = ['a & b < c > d "quoted" \'single\'', "line\nbreak\r\nCRLF and a lone \r return",
           "tab\there", "sep\u2028para\u2029nel\x85", "中文 and emoji 🎬", "]]> and <![CDATA[",
           'ends with backslash \\', "=formula", "\ufeffbom", "<urn:x> @prefix _:b"]


def _graph_outputs(records: Any) -> dict[str, Any]:
    return {"graphml": b"".join(graphml.chunks(records)), "gexf": b"".join(gexf.chunks(records)),
            "json": b"".join(nodelink.chunks(records)),
            "csv": {name: b"".join(content) for name, content in csv_export.files(records).items()}}


def _legacy_outputs(dataset: Any) -> dict[str, Any]:
    return {"graphml": legacy.graphml(dataset), "gexf": legacy.gexf(dataset),
            "json": legacy.nodelink(dataset), "csv": legacy.csv_files(dataset)}


def _awkward(folder: Path) -> Any:
    dataset = copy.deepcopy(load(folder))
    for entity, text in zip(sorted(dataset.entities.values(), key=lambda e: e.id), AWKWARD, strict=False):
        entity.description = text
        entity.aliases = [text]
    for fact, text in zip(sorted(dataset.facts, key=lambda f: f.id), AWKWARD, strict=False):
        fact.note = text
    for figure, text in zip(dataset.figures, AWKWARD, strict=False):
        figure.note = text
    return dataset


# --- the same bytes as before --------------------------------------------------------------------

@pytest.mark.parametrize("folder", FOLDERS)
@pytest.mark.parametrize("ranked", [True, False])
def test_graph_formats_give_the_bytes_of_the_whole_graph_writers(folder: Path, ranked: bool) -> None:
    # ranked: the default export (best rank only); else --include-deprecated.
    store = from_dataset(load(folder))
    dataset = store.dataset(include_deprecated=not ranked)
    expected = _legacy_outputs(dataset)
    assert _graph_outputs(DatasetRecords(dataset)) == expected
    assert _graph_outputs(StoreRecords(store, ranked=ranked)) == expected


@pytest.mark.parametrize("folder", [SEEDS, FIXTURES / "market" / "data"])
def test_awkward_text_gives_the_bytes_of_the_whole_graph_writers(folder: Path) -> None:
    dataset = _awkward(folder)
    store = from_dataset(dataset)
    best = store.dataset(include_deprecated=False)
    assert _graph_outputs(StoreRecords(store, ranked=True)) == _legacy_outputs(best)
    graph = nx.read_graphml(io.BytesIO(graphml.render(best)))
    descriptions = {data.get("description") for _n, data in graph.nodes(data=True)}
    assert descriptions >= set(AWKWARD[:len(best.entities)])
    assert nx.read_gexf(io.BytesIO(gexf.render(best))).number_of_nodes() == len(best.entities)


@pytest.mark.parametrize("folder", [SEEDS, FIXTURES / "market" / "data"])
def test_cypher_and_neo4j_files_are_the_same_from_the_store(folder: Path) -> None:
    dataset = _awkward(folder)
    store = from_dataset(dataset)
    for ranked in (True, False):
        part = store.dataset(include_deprecated=not ranked)
        records = StoreRecords(store, ranked=ranked)
        assert b"".join(cypher.chunks(records, 7)) == cypher.render(part, 7)
        assert {name: b"".join(content) for name, content in neo4jcsv.files(records).items()} == \
            neo4jcsv.render(part)


def test_the_shipped_graphml_and_cypher_are_what_the_store_streams() -> None:
    store = from_dataset(load(SEEDS))
    exports = Path(__file__).resolve().parents[1] / "exports"
    assert b"".join(graphml.chunks(StoreRecords(store, ranked=True))) == \
        (exports / "ai-video-kg.graphml").read_bytes()
    assert b"".join(cypher.chunks(StoreRecords(store, ranked=True))) == \
        (exports / "ai-video-kg.cypher").read_bytes()


# --- RDF: the triples of the view, in both parsers -----------------------------------------------

def _oxigraph_triples(data: bytes, fmt: str) -> set[str]:
    return {str(pyoxigraph.Triple(q.subject, q.predicate, q.object))
            for q in pyoxigraph.parse(data, format=OXI[fmt])}


@pytest.mark.parametrize("folder", [SEEDS, FIXTURES / "market" / "data", FIXTURES / "rdf-small"])
def test_jsonld_trig_and_rdfxml_hold_the_triples_of_the_rdf_view(folder: Path) -> None:
    for dataset in (load(folder), _awkward(folder)):
        expected = dataset_graph(dataset)
        store = from_dataset(dataset)
        nt = b"".join(rdf_chunks(DatasetRecords(dataset), "nt"))
        base = _oxigraph_triples(nt, "nt")
        for fmt in ("jsonld", "trig", "xml", "turtle"):
            data = b"".join(rdf_chunks(DatasetRecords(dataset), fmt))
            assert data == b"".join(rdf_chunks(StoreRecords(store), fmt)), fmt
            assert _oxigraph_triples(data, fmt) == base, fmt
            if fmt == "trig":
                quads = RdfDataset()
                quads.parse(data=data, format="trig")
                graph = Graph()
                for s, p, o, _g in quads.quads((None, None, None, None)):
                    graph.add((s, p, o))
                named = {(str(g.identifier), len(g)) for g in quads.graphs() if len(g)}
                assert named == {(str(g.identifier), len(g)) for g in dataset_quads(dataset).graphs()
                                 if len(g)}
            else:
                graph = Graph().parse(data=data, format=RDFLIB[fmt])
            assert isomorphic(graph, expected), fmt


@given(st.text(st.characters(codec="utf-8"), min_size=1, max_size=20))
def test_any_carriable_text_streams_as_the_whole_graph_writers_write_it(text: str) -> None:
    if uncarriable(text) is not None:
        text = "".join(char for char in text if uncarriable(char) is None) or "x"
    dataset = copy.deepcopy(load(FIXTURES / "query-small"))
    for entity in dataset.entities.values():
        entity.description = text
    for fact in dataset.facts:
        fact.note = text
    assert _graph_outputs(DatasetRecords(dataset)) == _legacy_outputs(dataset)
    nt = b"".join(rdf_chunks(DatasetRecords(dataset), "nt"))
    base = _oxigraph_triples(nt, "nt")
    for fmt in ("jsonld", "trig", "xml"):
        assert _oxigraph_triples(b"".join(rdf_chunks(DatasetRecords(dataset), fmt)), fmt) == base


# --- bounded memory: only the streaming methods ----------------------------------------------------

class StreamOnly:
    """``Records`` that hands out generators and nothing else: any other access (the dataset,
    the store, a whole-dataset method) raises. ``alive`` counts the records of each generator
    not yet consumed by the time the writer asks for the next one: always at most one."""

    STREAMING = {"ontology", "source_list", "entity_count", "fact_count", "reference_count",
                 "figure_count", "entities_by_id", "facts_by_id", "figures_by_id",
                 "references_by_id", "edges_by_id", "edges_by_subject", "figures_by_entity", "label",
                 "files", "direct_out", "outranked_ids"}

    def __init__(self, inner: Any) -> None:
        object.__setattr__(self, "_inner", inner)
        object.__setattr__(self, "pulled", 0)

    def __getattribute__(self, name: str) -> Any:
        if name.startswith("_") or name in ("pulled", "STREAMING"):
            return object.__getattribute__(self, name)
        if name not in StreamOnly.STREAMING:
            raise AssertionError(f"a streamed writer asked for {name!r}, which is not streaming")
        value = getattr(object.__getattribute__(self, "_inner"), name)
        if name.endswith(("_by_id", "_by_subject", "_by_entity")):
            return lambda: self._lazy(value())
        return value

    def _lazy(self, records: Iterator[Any]) -> Iterator[Any]:
        assert not isinstance(records, (list, tuple)), "records must come one at a time"
        for record in records:
            object.__setattr__(self, "pulled", self.pulled + 1)
            yield record


class _NoWholeDataset:
    """A store whose whole-dataset methods raise; everything else is the real store's."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def dataset(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a streamed export read the whole dataset")

    def __getattr__(self, name: str) -> Any:
        if name in ("iter_entities", "iter_facts", "iter_figures"):
            raise AssertionError(f"a streamed export used {name}, which is not in id order")
        return getattr(self._store, name)


def _every_stream(records: Any) -> Iterator[tuple[str, Iterator[bytes]]]:
    for fmt in ("turtle", "nt", "jsonld", "trig", "xml"):
        yield fmt, iter(rdf_chunks(records, fmt))
    yield "graphml", graphml.chunks(records)
    yield "gexf", gexf.chunks(records)
    yield "json", nodelink.chunks(records)
    yield "cypher", cypher.chunks(records)
    yield from {**csv_export.files(records), **neo4jcsv.files(records)}.items()


def test_every_streamed_writer_reads_records_one_at_a_time_and_nothing_whole() -> None:
    dataset = load(FIXTURES / "market" / "data")
    store = from_dataset(dataset)
    for ranked in (True, False):
        plain = dict(_every_stream(StoreRecords(store, ranked=ranked)))
        guarded = StreamOnly(StoreRecords(_NoWholeDataset(store), ranked=ranked))
        for name, stream in _every_stream(guarded):
            assert b"".join(stream) == b"".join(plain[name]), name
        assert guarded.pulled > 0


def test_the_landscape_streams_every_format_without_the_whole_dataset(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import kg
    from kg.store import Store

    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "market" / "data", folder)
    landscape = kg.open(folder)
    expected = {fmt: landscape.export(fmt, tmp_path / f"before.{fmt}").paths for fmt in ("graphml", "cypher")}
    monkeypatch.setattr(Store, "dataset", lambda *a, **k: pytest.fail("the whole dataset was read"))
    landscape = kg.open(folder)
    for fmt, options in (("rdf", {"syntax": "jsonld"}), ("rdf", {"syntax": "xml"}),
                         ("rdf", {"syntax": "trig"}), ("graphml", {}), ("gexf", {}), ("json", {}),
                         ("cypher", {})):
        result = landscape.export(fmt, tmp_path / f"out.{fmt}.{options.get('syntax', '')}", **options)
        assert result.paths and result.paths[0].stat().st_size > 0
    for fmt in ("csv", "neo4j-csv"):
        assert landscape.export(fmt, tmp_path / fmt).paths
    for fmt, paths in expected.items():
        assert (tmp_path / f"out.{fmt}.").read_bytes() == paths[0].read_bytes()


# --- refusals: before the first byte, or with the target left as it was ----------------------------

def _with_description(folder: Path, text: str) -> Any:
    dataset = copy.deepcopy(load(folder))
    next(iter(sorted(dataset.entities.values(), key=lambda e: e.id))).description = text
    return dataset


@pytest.mark.parametrize("module", [graphml, gexf])
def test_xml_graph_formats_refuse_before_the_first_byte(module: Any, tmp_path: Path) -> None:
    dataset = _with_description(FIXTURES / "query-small", "bad \x01 control")
    stream = module.chunks(DatasetRecords(dataset))
    with pytest.raises(KgError, match="XML 1.0 cannot carry"):
        next(stream)
    target = tmp_path / "out.xml"
    target.write_bytes(b"before")
    with pytest.raises(KgError):
        module.export(dataset, target)
    assert target.read_bytes() == b"before"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xml"]


def test_rdfxml_refusal_leaves_the_target_as_it_was(tmp_path: Path) -> None:
    from kg.util.atomic import write_stream

    dataset = _with_description(FIXTURES / "query-small", "bad \x01 control")
    target = tmp_path / "out.rdf"
    target.write_bytes(b"before")
    with pytest.raises(KgError, match="XML 1.0 cannot carry"):
        write_stream(target, rdf_chunks(DatasetRecords(dataset), "xml"))
    assert target.read_bytes() == b"before"
    assert [p.name for p in tmp_path.iterdir()] == ["out.rdf"]


@pytest.mark.parametrize("fmt", ["jsonld", "trig", "xml", "turtle", "nt"])
def test_a_lone_surrogate_is_refused_in_every_rdf_syntax(fmt: str) -> None:
    dataset = _with_description(FIXTURES / "query-small", "half \ud800 pair")
    with pytest.raises(KgError, match="lone surrogate|U\\+D800"):
        b"".join(rdf_chunks(DatasetRecords(dataset), fmt))


def test_cypher_refusal_mid_stream_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    dataset = copy.deepcopy(load(FIXTURES / "market" / "data"))
    sorted(dataset.facts, key=lambda f: f.id)[-1].note = "nul \x00 here"  # late in the script
    target = tmp_path / "out.cypher"
    target.write_bytes(b"before")
    with pytest.raises(KgError, match="U\\+0000"):
        cypher.export(dataset, target, batch_size=1)
    assert target.read_bytes() == b"before"
    assert [p.name for p in tmp_path.iterdir()] == ["out.cypher"]


def test_neo4j_csv_refusal_mid_stream_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "neo4j"
    neo4jcsv.export(load(FIXTURES / "market" / "data"), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    dataset = copy.deepcopy(load(FIXTURES / "market" / "data"))
    sorted(dataset.entities.values(), key=lambda e: e.id)[-1].aliases = ["unit \x1f separator"]
    with pytest.raises(KgError, match="U\\+001F"):
        neo4jcsv.export(dataset, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["neo4j"]


def test_a_bad_batch_size_is_refused_before_the_script_starts() -> None:
    with pytest.raises(KgError, match="batch size"):
        cypher.chunks(DatasetRecords(load(FIXTURES / "query-small")), cypher.MAX_BATCH_SIZE + 1)
