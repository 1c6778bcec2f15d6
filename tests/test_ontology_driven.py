"""Adding a relation type is an edit to the ontology and the data only.

A new relation, declared in a copy of the ontology and used by one fact, is
accepted by the validator, walked by queries, and appears in the RDF
vocabulary, the RDF data, the SHACL shapes, the graph formats and the HTML
legend, with no code change.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner, Result
from conftest import FIXTURES, ONTOLOGY

from kg.cli import main

NEW_RELATION = """
  licenses-ip-to:
    label: {en: licenses IP to, zh-Hans: 授权给, zh-Hant: 授權給}
    inverse_label: {en: licensed IP from, zh-Hans: 获授权自, zh-Hant: 獲授權自}
    definition: The subject licenses its characters or works to the object.
    domain: [organization]
    range: [organization]
    style: {color: "#123456", dashes: true}
"""
NEW_FACT = """
  - subject: disney
    relation: licenses-ip-to
    object: kuaishou
    kind: fact
    since: 2025-11
    sources: [{source: fixture-report, locator: "p. 9"}]
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("extended")
    ontology = root / "ontology.yaml"
    text = ONTOLOGY.read_text(encoding="utf-8")
    ontology.write_text(text.replace("\nrelations:\n", "\nrelations:" + NEW_RELATION, 1),
                        encoding="utf-8")
    data = root / "data"
    shutil.copytree(FIXTURES / "good-mini", data)
    (data / "licensing.yaml").write_text("facts:" + NEW_FACT, encoding="utf-8")
    return ontology, data


def kg(world: tuple[Path, Path], *args: str) -> Result:
    ontology, data = world
    return CliRunner().invoke(main, ["--ontology", str(ontology), "--data", str(data), *args],
                              catch_exceptions=False)


def test_the_validator_accepts_it_and_checks_its_domain(world, tmp_path: Path) -> None:
    assert kg(world, "validate").exit_code == 0
    ontology, data = world
    bad = tmp_path / "data"
    shutil.copytree(data, bad)
    (bad / "licensing.yaml").write_text(
        "facts:" + NEW_FACT.replace("subject: disney", "subject: kling"), encoding="utf-8")
    result = kg((ontology, bad), "validate")
    assert result.exit_code == 1
    assert "'licenses-ip-to' does not take a model ('kling') as subject" in result.stderr


def test_queries_walk_it(world) -> None:
    result = kg(world, "path", "disney", "kuaishou", "--via", "licenses-ip-to")
    assert result.stdout == "Disney —licenses-ip-to→ Kuaishou [2025-11]\n"
    edges = json.loads(kg(world, "edges", "--relation", "licenses-ip-to", "--format", "json").stdout)
    assert [(e["subject"], e["object"]) for e in edges] == [("disney", "kuaishou")]


def test_rdf_vocabulary_data_and_shapes_carry_it(world) -> None:
    vocabulary = kg(world, "export", "vocabulary").stdout
    store = pyoxigraph.Store()
    store.load(vocabulary.encode(), pyoxigraph.RdfFormat.TURTLE)
    labels = {(str(row["label"].value), row["label"].language) for row in store.query(
        "SELECT ?label WHERE { ?p a <http://www.w3.org/2002/07/owl#ObjectProperty> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label . "
        "FILTER(STRENDS(STR(?p), 'licensesIpTo')) }")}
    assert ("licenses IP to", "en") in labels and ("授權給", "zh-hant") in {
        (text, lang.lower()) for text, lang in labels}
    data = kg(world, "export", "rdf", "--format", "nt").stdout
    assert re.search(r"<urn:ai-video-kg:entity:disney> <urn:ai-video-kg:vocab:licensesIpTo> "
                     r"<urn:ai-video-kg:entity:kuaishou> \.", data)
    assert "licensesIpTo" in kg(world, "export", "shapes").stdout


def test_graph_formats_and_the_html_legend_carry_it(world, tmp_path: Path) -> None:
    graphml = tmp_path / "g.graphml"
    assert kg(world, "export", "graphml", "-o", str(graphml)).exit_code == 0
    assert "licenses-ip-to" in graphml.read_text(encoding="utf-8")
    page = tmp_path / "g.html"
    assert kg(world, "export", "html", "-o", str(page)).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "licenses IP to" in html and "#123456" in html
