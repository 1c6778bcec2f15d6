"""The neo4j-admin CSV export: read back by the rules neo4j-admin applies (RFC 4180 quoting,
typed headers, U+001F between list elements) and compared with the graph FalkorDB holds
after loading the Cypher script of the same data."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

import pytest

import kg
from kg.errors import KgError
from kg.export import neo4jcsv
from tests.conftest import SEEDS, run_cli
from tests.test_export_cypher import HOSTILE, export, graph, load, rows

ID_SPACES = {"Entity", "Figure"}


def parse_csv(text: str) -> list[list[tuple[str, bool]]]:
    """RFC 4180 as neo4j-admin reads it: fields and whether each was quoted.

    A quote inside a quoted field is doubled; a backslash is an ordinary
    character; line breaks may stand inside quoted fields.
    """
    records: list[list[tuple[str, bool]]] = []
    record: list[tuple[str, bool]] = []
    i = 0
    while i < len(text):
        if text[i] == '"':
            value, i = [], i + 1
            while True:
                end = text.index('"', i)
                value.append(text[i:end])
                if text.startswith('""', end):
                    value.append('"')
                    i = end + 2
                    continue
                i = end + 1
                break
            field = ("".join(value), True)
        else:
            end = min(j for j in (text.find(",", i), text.find("\n", i), len(text)) if j >= 0)
            field, i = (text[i:end], False), end
        record.append(field)
        if i < len(text) and text[i] == ",":
            i += 1
        elif i == len(text) or text[i] == "\n":
            records.append(record)
            record, i = [], i + 1
        else:
            raise AssertionError(f"unexpected {text[i]!r} after a field at {i}")
    return records


def _value(text: str, quoted: bool, column_type: str) -> Any:
    if text == "" and not quoted:
        return None
    if column_type == "string[]":
        return text.split("\x1f")
    return {"long": int, "double": float, "boolean": lambda t: {"true": True, "false": False}[t]}.get(
        column_type, str)(text)


def read_table(path: Path) -> list[dict[str, Any]]:
    """Rows as neo4j-admin reads them: typed values; ``None`` for an empty unquoted field."""
    header, *records = parse_csv(path.read_bytes().decode("utf-8"))
    found = []
    for record in records:
        assert len(record) == len(header)
        row: dict[str, Any] = {}
        for (column, _), (text, quoted) in zip(header, record, strict=True):
            column_type = column.rpartition(":")[2]
            if column == ":LABEL":
                column_type = "string[]"
            elif "(" in column_type or column_type == "TYPE":
                column_type = "string"
            row[column] = _value(text, quoted, column_type)
        found.append(row)
    return found


def _props(row: dict[str, Any]) -> dict[str, Any]:
    props = {}
    for column, value in row.items():
        name = column.split(":", 1)[0]
        if name and value is not None:
            props[name] = value
    return props


def _written(folder: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Nodes {id: (labels, properties)} and relationships {(start, type, end, id): properties}."""
    nodes: dict[str, Any] = {}
    for name in ("entities.csv", "figures.csv"):
        for row in read_table(folder / name):
            props = _props(row)
            nodes[props["id"]] = (sorted(row[":LABEL"]), props)
    relationships: dict[Any, Any] = {}
    for name in ("facts.csv", "references.csv", "figure-links.csv"):
        for row in read_table(folder / name):
            start = next(v for k, v in row.items() if k.startswith(":START_ID"))
            end = next(v for k, v in row.items() if k.startswith(":END_ID"))
            props = _props(row)
            relationships[(start, row[":TYPE"], end, props.get("id"))] = props
    return nodes, relationships


def _in_falkordb(target: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    nodes = {props["id"]: (sorted(labels), dict(props))
             for labels, props in rows(target, "MATCH (n) RETURN labels(n), properties(n)")}
    relationships = {(a, rel_type, b, props.get("id")): dict(props) for a, rel_type, b, props in
                     rows(target, "MATCH (a)-[r]->(b) RETURN a.id, type(r), b.id, properties(r)")}
    return nodes, relationships


def _as_csv_types(props: dict[str, Any]) -> dict[str, Any]:
    # The CSV columns of figure values and amounts are doubles.
    return {k: float(v) if k in ("value", "range_low", "range_high", "qualifier_amount_value") else v
            for k, v in props.items()}


@pytest.mark.parametrize("data", [SEEDS, HOSTILE], ids=["shipped", "hostile"])
def test_csv_holds_the_graph_the_cypher_script_builds(data: Path, tmp_path: Path,
                                                      falkordb_server: tuple[str, int]) -> None:
    folder = tmp_path / "neo4j"
    result = run_cli("export", "neo4j-csv", "-o", str(folder), data=data)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == sorted(neo4jcsv.FILES)
    target = graph(falkordb_server, f"csv-{data.name}")
    try:
        load(target, export(data=data))
        expected_nodes, expected_relationships = _in_falkordb(target)
    finally:
        target.delete()
    nodes, relationships = _written(folder)
    assert nodes.keys() == expected_nodes.keys()
    for node_id, (labels, props) in expected_nodes.items():
        assert nodes[node_id] == (labels, _as_csv_types(props)), node_id
    assert relationships.keys() == expected_relationships.keys()
    for key, props in expected_relationships.items():
        assert relationships[key] == _as_csv_types(props), key


def test_headers_are_typed_for_neo4j_admin(tmp_path: Path) -> None:
    files = neo4jcsv.render(kg.load())
    headers = {name: content.decode("utf-8").split("\n", 1)[0].split(",")
               for name, content in files.items() if name.endswith(".csv")}
    assert headers["entities.csv"][:3] == ["id:ID(Entity)", ":LABEL", "type:string"]
    assert "aliases:string[]" in headers["entities.csv"]
    assert headers["facts.csv"][:4] == [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "id:string"]
    assert {"symmetric:boolean", "qualifier_rank:long", "qualifier_amount_value:double",
            "source_titles:string[]"} <= set(headers["facts.csv"])
    assert headers["figure-links.csv"] == [":START_ID(Entity)", ":END_ID(Figure)", ":TYPE"]
    readme = files["README.md"].decode("utf-8")
    assert neo4jcsv.IMPORT_COMMAND in readme
    assert "--array-delimiter='U+001F'" in readme and "--multiline-fields=true" in readme
    guide = (Path(__file__).resolve().parents[1] / "docs" / "property-graphs.md").read_text(encoding="utf-8")
    assert neo4jcsv.IMPORT_COMMAND in guide


def test_export_is_deterministic_and_replaces_an_earlier_export(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    assert run_cli("export", "neo4j-csv", "-o", str(folder)).exit_code == 0
    first = {p.name: p.read_bytes() for p in folder.iterdir()}
    (folder / "facts.csv").write_text("stale", encoding="utf-8")
    result = run_cli("export", "neo4j-csv", "-o", str(folder))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [f"wrote {folder / name}" for name in neo4jcsv.FILES]
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging folders left


def test_refuses_a_file_or_a_foreign_folder(tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("keep", encoding="utf-8")
    result = run_cli("export", "neo4j-csv", "-o", str(a_file))
    assert result.exit_code in (1, 2)
    assert a_file.read_text(encoding="utf-8") == "keep"
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_cli("export", "neo4j-csv", "-o", str(foreign))
    assert result.exit_code == 2
    assert f"{foreign} holds other files (notes.txt)" in result.stderr
    assert sorted(p.name for p in foreign.iterdir()) == ["notes.txt"]


def test_list_separator_is_refused_before_writing(tmp_path: Path) -> None:
    # The loader refuses U+001F in the data files; a dataset built in Python meets this check.
    data = kg.load(HOSTILE)
    evil = data.entities["evil-corp"]
    data.entities["evil-corp"] = dataclasses.replace(evil, aliases=[*evil.aliases, "a\x1fb"])
    target = tmp_path / "out"
    with pytest.raises(KgError) as info:
        neo4jcsv.export(data, target)
    assert str(info.value) == ("cannot export entity 'evil-corp' aliases: 'a\\x1fb' holds U+001F, "
                               "the separator of list elements in the CSV files")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_keeps_the_earlier_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "out"
    assert run_cli("export", "neo4j-csv", "-o", str(folder)).exit_code == 0
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def full_disk(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    result = run_cli("export", "neo4j-csv", "-o", str(folder))
    assert result.exit_code == 1
    assert result.stderr == f"error: cannot write {folder}: No space left on device\n"
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
