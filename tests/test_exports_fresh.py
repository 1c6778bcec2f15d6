"""The committed exports and generated ontology files are what the commands make now.

Each row is a committed file and the ``kg`` command (without ``-o``) that
writes it; the test runs the command into tmp_path and compares bytes. The
Makefile target ``exports`` runs the same commands with ``-o <file>``. To add
an export, add a row.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO, SEEDS, run_cli

COMMITTED: list[tuple[str, list[str]]] = [
    ("exports/ai-video-kg.ttl", ["export", "rdf", "--format", "turtle"]),
    ("exports/ai-video-kg.jsonld", ["export", "rdf", "--format", "jsonld"]),
    ("exports/ai-video-kg.graphml", ["export", "graphml"]),
    ("exports/ai-video-kg.cypher", ["export", "cypher"]),
    ("ontology/kg.ttl", ["export", "vocabulary"]),
    ("ontology/shapes.ttl", ["export", "shapes"]),
    ("exports/ai-video-kg.html", ["export", "html"]),
]


@pytest.mark.parametrize("committed, command", COMMITTED, ids=[row[0] for row in COMMITTED])
def test_committed_file_is_fresh(committed: str, command: list[str], tmp_path: Path) -> None:
    fresh = tmp_path / Path(committed).name
    result = run_cli(*command, "-o", str(fresh), data=SEEDS)
    assert result.exit_code == 0, result.stderr
    path = REPO / committed
    assert path.is_file(), f"{committed} is missing: run `kg {' '.join(command)} -o {committed}`"
    assert path.read_bytes() == fresh.read_bytes(), (
        f"{committed} is stale: run `kg {' '.join(command)} -o {committed}`")


@pytest.mark.parametrize("committed, command", COMMITTED, ids=[row[0] for row in COMMITTED])
def test_make_exports_regenerates_the_committed_file(committed: str, command: list[str]) -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert f"$(KG) {' '.join(command)} -o {committed}" in makefile
