"""Turtle and N-Triples written as a stream: same triples as the RDF view, any text, bounded runs."""

from __future__ import annotations

import copy

import pyoxigraph
import pytest
from conftest import FIXTURES, SEEDS
from rdflib import Graph, Literal
from rdflib.compare import isomorphic

from kg.data.load import load
from kg.rdf.stream import DatasetRecords, StoreRecords, escape_literal, ntriples, turtle
from kg.rdf.view import dataset_graph
from kg.store import from_dataset

HOSTILE = ['quote " and backslash \\', "line\nbreak\r\nCRLF", "tab\tform\x0cfeed\x0bvtab",
           "sep\u2028para\u2029nel\x85", "nul-free controls \x01\x1f\x7f", "中文 and emoji 🎬",
           '"""triple quotes"""', "ends with backslash \\"]


def _hostile_dataset():
    dataset = copy.deepcopy(load(FIXTURES / "query-small"))
    for entity, text in zip(sorted(dataset.entities.values(), key=lambda e: e.id), HOSTILE, strict=False):
        entity.description = text
    for fact, text in zip(dataset.facts, HOSTILE, strict=False):
        fact.note = text
    return dataset


@pytest.mark.parametrize("folder", [FIXTURES / "query-small", FIXTURES / "rdf-small",
                                    FIXTURES / "market" / "data", SEEDS])
def test_the_streams_hold_the_triples_of_the_rdf_view(folder) -> None:
    dataset = load(folder)
    expected = dataset_graph(dataset)
    for writer, syntax in ((turtle, "turtle"), (ntriples, "nt")):
        text = b"".join(writer(DatasetRecords(dataset))).decode("utf-8")
        assert isomorphic(Graph().parse(data=text, format=syntax), expected)


@pytest.mark.parametrize("folder", [SEEDS, FIXTURES / "market" / "data"])
def test_store_and_memory_give_the_same_bytes(folder) -> None:
    # The market fixture has ranked statements: the store's best-rank column and the ranks
    # worked out in memory must give the same truthy triples.
    dataset = load(folder)
    store = from_dataset(dataset)
    for writer in (turtle, ntriples):
        assert b"".join(writer(StoreRecords(store))) == b"".join(writer(DatasetRecords(dataset)))


def test_every_text_round_trips_in_rdflib_and_pyoxigraph() -> None:
    dataset = _hostile_dataset()
    for writer, syntax, oxi in ((turtle, "turtle", pyoxigraph.RdfFormat.TURTLE),
                                (ntriples, "nt", pyoxigraph.RdfFormat.N_TRIPLES)):
        data = b"".join(writer(DatasetRecords(dataset)))
        texts = {str(o) for o in Graph().parse(data=data, format=syntax).objects()
                 if isinstance(o, Literal)}
        assert set(HOSTILE) <= texts
        oxi_texts = {q.object.value for q in pyoxigraph.parse(data, format=oxi)
                     if isinstance(q.object, pyoxigraph.Literal)}
        assert set(HOSTILE) <= oxi_texts


def test_n_triples_stay_sorted_across_spilled_runs() -> None:
    dataset = load(SEEDS)
    whole = b"".join(ntriples(DatasetRecords(dataset)))
    spilled = b"".join(ntriples(DatasetRecords(dataset), run_lines=50))
    assert spilled == whole
    lines = whole.splitlines()
    assert lines == sorted(set(lines))


def test_literal_escapes_are_the_n_triples_ones() -> None:
    assert escape_literal('a"b\\c\nd') == 'a\\"b\\\\c\\nd'
    assert escape_literal("x\u2028y\x85") == "x\\u2028y\\u0085"
    assert escape_literal("plain 中文") == "plain 中文"
