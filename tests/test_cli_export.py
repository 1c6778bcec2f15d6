"""``kg export rdf|graphml|gexf|json|csv|vocabulary|shapes`` through the command line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest

from kg import rdf
from kg.data.load import load
from kg.data.ontology import load_ontology
from kg.rdf import stream
from kg.rdf.shapes import shapes_turtle
from tests.conftest import FIXTURES, run_cli

SMALL = FIXTURES / "rdf-small"


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld", "trig", "xml"])
def test_export_rdf_writes_each_format(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"dump{rdf.FORMATS[fmt][1]}"
    result = run_cli("export", "rdf", "--format", fmt, "-o", str(out), data=SMALL)
    assert result.exit_code == 0, result.stderr
    # Every format gives the same counts: a reference edge is no fact.
    assert result.stdout == f"wrote {out}: 8 entities, 9 facts, 6 references\n"
    assert out.read_bytes() == rdf.serialize(load(SMALL), fmt)


def test_export_rdf_defaults_to_turtle_on_standard_output() -> None:
    result = run_cli("export", "rdf", data=SMALL)
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == rdf.serialize(load(SMALL), "turtle")


def test_export_rdf_with_filters() -> None:
    result = run_cli("export", "rdf", "--format", "nt", "--relation", "opted-out-of",
                     "--as-of", "2025-10", data=SMALL)
    assert result.exit_code == 0, result.stderr
    triples = list(pyoxigraph.parse(result.stdout_bytes, format=pyoxigraph.RdfFormat.N_TRIPLES))
    objects = {t.object.value for t in triples
               if t.predicate.value == "http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate"}
    assert objects == {"urn:ai-video-kg:vocab:optedOutOf"}


@pytest.mark.parametrize("args, message", [
    (["--relation", "opted-out"], "unknown relation 'opted-out'; did you mean 'opted-out-of'?"),
    (["--type", "compnay"], "unknown entity type 'compnay'"),
    (["--as-of", "2025-13"], "'2025-13' has no month 13"),
    (["--format", "n3"], "'n3' is not one of"),
])
def test_export_rdf_usage_errors(args: list[str], message: str) -> None:
    result = run_cli("export", "rdf", *args, data=SMALL)
    assert result.exit_code == 2
    assert message in result.stderr


@pytest.mark.parametrize("name, check", [
    ("graphml", b"<graphml"), ("gexf", b"<gexf"), ("json", b'"nodes"'),
])
def test_graph_format_commands(name: str, check: bytes, tmp_path: Path) -> None:
    out = tmp_path / f"graph.{name}"
    result = run_cli("export", name, "-o", str(out), data=SMALL)
    assert result.exit_code == 0, result.stderr
    assert check in out.read_bytes()
    again = run_cli("export", name, data=SMALL)
    assert again.stdout_bytes == out.read_bytes()


def test_json_export_with_type_filter() -> None:
    result = run_cli("export", "json", "--type", "organization", data=SMALL)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [n["id"] for n in data["nodes"]] == ["acme", "beta-studio"]
    assert [e["relation"] for e in data["edges"]] == []


def test_csv_command_writes_a_folder(tmp_path: Path) -> None:
    out = tmp_path / "csv"
    result = run_cli("export", "csv", "-o", str(out), data=SMALL)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"wrote {out / 'nodes.csv'}\nwrote {out / 'edges.csv'}\n"
    assert (out / "edges.csv").read_text(encoding="utf-8").startswith(
        "source,target,type,id,label,relation")


def test_csv_command_needs_a_folder(tmp_path: Path) -> None:
    assert run_cli("export", "csv", data=SMALL).exit_code == 2
    target = tmp_path / "file.csv"
    target.write_text("old", encoding="utf-8")
    result = run_cli("export", "csv", "-o", str(target), data=SMALL)
    assert result.exit_code == 2  # click refuses a file where a folder is expected
    assert target.read_text(encoding="utf-8") == "old"


def test_a_failed_export_leaves_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "dump.ttl"
    assert run_cli("export", "rdf", "-o", str(out), data=SMALL).exit_code == 0
    before = out.read_bytes()

    def broken(*args: object, **kwargs: object) -> Iterator[bytes]:
        yield b"@prefix half: <urn:half:> .\n"  # a part is written before the failure
        raise rdf.KgError("serialisation failed")

    monkeypatch.setattr(stream, "turtle", broken)
    result = run_cli("export", "rdf", "-o", str(out), data=SMALL)
    assert result.exit_code == 1
    assert result.stderr == "error: serialisation failed\n"
    assert out.read_bytes() == before


def test_an_unwritable_target_is_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = run_cli("export", "graphml", "-o", str(blocker / "out.graphml"), data=SMALL)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot write")


def test_export_of_invalid_data_is_an_error(write_data) -> None:
    folder = write_data({"a.yaml": "entities:\n  - id: x\n"})
    result = run_cli("export", "rdf", data=folder)
    assert result.exit_code == 1
    assert "problem" in result.stderr
    assert "Traceback" not in result.stderr


def test_vocabulary_and_shapes_commands(tmp_path: Path) -> None:
    onto = load_ontology()
    vocab = tmp_path / "kg.ttl"
    result = run_cli("export", "vocabulary", "-o", str(vocab))
    assert result.exit_code == 0, result.stderr
    assert vocab.read_bytes() == rdf.vocabulary_turtle(onto)
    shapes = run_cli("export", "shapes")
    assert shapes.exit_code == 0, shapes.stderr
    assert shapes.stdout_bytes == shapes_turtle(onto)


def test_export_list_names_the_formats() -> None:
    result = run_cli("export", "--list")
    assert result.exit_code == 0
    for name in ("rdf", "graphml", "gexf", "json", "csv", "cypher", "neo4j-csv"):
        assert any(line.split()[0] == name for line in result.stdout.splitlines())


def test_csv_command_refuses_a_folder_holding_other_files(tmp_path: Path) -> None:
    out = tmp_path / "csv"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_cli("export", "csv", "-o", str(out), data=SMALL)
    assert result.exit_code == 2 and "holds other files (notes.txt)" in result.stderr
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_csv_command_replaces_its_own_files(tmp_path: Path) -> None:
    out = tmp_path / "csv"
    for _ in range(2):
        assert run_cli("export", "csv", "-o", str(out), data=SMALL).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["edges.csv", "nodes.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv"]
