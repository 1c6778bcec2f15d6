"""``kg sparql`` and ``kg import rdf`` through the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from kg import rdf
from kg.load import load
from tests.conftest import FIXTURES, SEEDS, run_cli

SMALL = FIXTURES / "rdf-small"
OPTED = "SELECT ?who ?what WHERE { ?who kg:optedOutOf ?what } ORDER BY ?who ?what"


def test_sparql_table() -> None:
    result = run_cli("sparql", OPTED, data=SMALL)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "who                 what",
        "------------------  ------------------",
        "entity:beta-studio  entity:acme-app",
        "entity:beta-studio  entity:beta-policy",
    ]


def test_sparql_table_pads_wide_characters() -> None:
    query = ('SELECT ?l ?id WHERE { ?e rdfs:label ?l ; a kg:Organization . '
             'FILTER(lang(?l) = "zh-Hans") BIND(STR(?e) AS ?id) } ORDER BY ?l')
    result = run_cli("sparql", query, "--format", "text", data=SMALL)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[2] == "艾克米视频  urn:ai-video-kg:entity:acme"
    assert lines[3] == "贝塔工作室  urn:ai-video-kg:entity:beta-studio"


def test_sparql_json_follows_the_results_format() -> None:
    result = run_cli("sparql", OPTED, "--format", "json", data=SMALL)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["head"]["vars"] == ["who", "what"]
    assert data["results"]["bindings"][0] == {
        "who": {"type": "uri", "value": "urn:ai-video-kg:entity:beta-studio"},
        "what": {"type": "uri", "value": "urn:ai-video-kg:entity:acme-app"}}


def test_sparql_csv() -> None:
    result = run_cli("sparql", OPTED, "--format", "csv", data=SMALL)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["who", "what"]
    assert rows[1] == ["urn:ai-video-kg:entity:beta-studio", "urn:ai-video-kg:entity:acme-app"]


def test_sparql_literals_keep_language_in_json() -> None:
    query = 'SELECT ?l WHERE { entity:gamma rdfs:label ?l FILTER(lang(?l) = "zh-Hant") }'
    result = run_cli("sparql", query, "--format", "json", data=SMALL)
    binding = json.loads(result.stdout)["results"]["bindings"][0]["l"]
    assert binding == {"type": "literal", "value": "伽瑪", "xml:lang": "zh-Hant"}


def test_sparql_from_a_file_and_from_stdin(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text(OPTED, encoding="utf-8")
    from_file = run_cli("sparql", f"@{path}", data=SMALL)
    assert from_file.exit_code == 0, from_file.stderr
    from_stdin = run_cli("sparql", "@-", data=SMALL, input=OPTED)
    assert from_stdin.stdout == from_file.stdout == run_cli("sparql", OPTED, data=SMALL).stdout


def test_sparql_ask_and_construct() -> None:
    yes = run_cli("sparql", "ASK { entity:acme kg:develops entity:acme-gen }", data=SMALL)
    assert (yes.exit_code, yes.stdout) == (0, "true\n")
    no = run_cli("sparql", "ASK { entity:gamma kg:threatens ?x }", "--format", "json", data=SMALL)
    assert no.exit_code == 1
    assert json.loads(no.stdout) == {"head": {}, "boolean": False}
    built = run_cli("sparql", "CONSTRUCT { ?b kg:optedOutBy ?a } WHERE { ?a kg:optedOutOf ?b }",
                    data=SMALL)
    assert built.exit_code == 0, built.stderr
    assert "kg:optedOutBy entity:beta-studio" in built.stdout
    lines = run_cli("sparql", "CONSTRUCT { ?b kg:optedOutBy ?a } WHERE { ?a kg:optedOutOf ?b }",
                    "--format", "csv", data=SMALL).stdout.splitlines()
    assert len(lines) == 2 and lines == sorted(lines)


def test_sparql_with_the_vocabulary() -> None:
    query = ('SELECT ?label (COUNT(?st) AS ?n) WHERE { ?st rdf:predicate ?p . '
             '?p rdfs:label ?label FILTER(lang(?label) = "en") } GROUP BY ?label ORDER BY ?label')
    assert run_cli("sparql", query, data=SMALL).exit_code == 1  # labels live in the vocabulary
    result = run_cli("sparql", query, "--vocabulary", "--format", "csv", data=SMALL)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert ["opted out of", "2"] in rows and ["likened to", "1"] in rows


def test_sparql_no_rows_is_exit_1() -> None:
    result = run_cli("sparql", "SELECT ?x WHERE { ?x kg:optedOutOf entity:gamma }", data=SMALL)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "no results\n"
    as_json = run_cli("sparql", "SELECT ?x WHERE { ?x kg:optedOutOf entity:gamma }",
                      "--format", "json", data=SMALL)
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout)["results"]["bindings"] == []


@pytest.mark.parametrize("query, message", [
    ("SELEC ?x WHERE { ?x ?p ?o }", "not a valid SPARQL query"),
    ("SELECT ?x WHERE { ?x nope:p ?o }", "not a valid SPARQL query"),
    ("@/nonexistent/query.rq", "cannot read /nonexistent/query.rq"),
])
def test_sparql_usage_errors_are_exit_2(query: str, message: str) -> None:
    result = run_cli("sparql", query, data=SMALL)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_sparql_over_the_shipped_data_finds_who_opted_out() -> None:
    result = run_cli("sparql", OPTED, "--format", "json", data=SEEDS)
    assert result.exit_code == 0, result.stderr
    who = {b["who"]["value"] for b in json.loads(result.stdout)["results"]["bindings"]}
    assert "urn:ai-video-kg:entity:disney" in who


# ---------------------------------------------------------------- kg import rdf


def test_import_then_export_is_byte_identical(tmp_path: Path) -> None:
    first = tmp_path / "first.ttl"
    assert run_cli("export", "rdf", "-o", str(first), data=SMALL).exit_code == 0
    folder = tmp_path / "imported"
    result = run_cli("import", "rdf", str(first), "-o", str(folder))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["entities.yaml", "facts.yaml",
                                                        "figures.yaml", "sources.yaml"]
    assert result.stdout.splitlines()[-1] == "2 sources, 8 entities, 9 facts, 2 figures"
    assert run_cli("validate", data=folder).exit_code == 0
    second = tmp_path / "second.ttl"
    assert run_cli("export", "rdf", "-o", str(second), data=folder).exit_code == 0
    assert second.read_bytes() == first.read_bytes()


def test_import_of_trig_to_standard_output(tmp_path: Path) -> None:
    dump = tmp_path / "dump.trig"
    dump.write_bytes(rdf.serialize(load(SMALL), "trig"))
    result = run_cli("import", "rdf", str(dump))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("sources:\n")
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "all.yaml").write_text(result.stdout, encoding="utf-8")
    assert rdf.serialize(load(folder), "turtle") == rdf.serialize(load(SMALL), "turtle")


def test_import_with_an_explicit_format(tmp_path: Path) -> None:
    dump = tmp_path / "dump.txt"
    dump.write_bytes(rdf.serialize(load(SMALL), "nt"))
    assert run_cli("import", "rdf", str(dump)).exit_code == 1
    result = run_cli("import", "rdf", str(dump), "--format", "nt")
    assert result.exit_code == 0, result.stderr


def test_import_errors(tmp_path: Path) -> None:
    missing = run_cli("import", "rdf", str(tmp_path / "missing.ttl"))
    assert missing.exit_code == 1
    assert "no such file" in missing.stderr
    bad = tmp_path / "bad.ttl"
    bad.write_text("not turtle at all", encoding="utf-8")
    result = run_cli("import", "rdf", str(bad))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {bad}:1:")
    assert "cannot read as turtle" in result.stderr
    assert "Traceback" not in result.stderr


def test_import_refuses_a_folder_with_other_data(tmp_path: Path) -> None:
    dump = tmp_path / "dump.ttl"
    dump.write_bytes(rdf.serialize(load(SMALL), "turtle"))
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "openai.yaml").write_text("facts: []\n", encoding="utf-8")
    result = run_cli("import", "rdf", str(dump), "-o", str(folder))
    assert result.exit_code == 2
    assert "holds other data files (openai.yaml)" in result.stderr


def test_import_reports_problems_of_the_result(tmp_path: Path) -> None:
    graph = rdf.dataset_graph(load(SMALL))
    names = rdf.Names.of(load(SMALL).ontology)
    acme = names.mint(names.entity, "acme")
    for lit in list(graph.objects(acme, rdf.RDFS.label)):
        if lit.language == "en":
            graph.remove((acme, rdf.RDFS.label, lit))
    dump = tmp_path / "dump.nt"
    dump.write_bytes(graph.serialize(format="nt", encoding="utf-8"))
    result = run_cli("import", "rdf", str(dump), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "entity 'acme' has no 'en' label" in result.stderr
    assert "the imported data has" in result.stderr


def test_base_iri_option_moves_the_names(tmp_path) -> None:
    from tests.conftest import run_cli

    result = run_cli("--base-iri", "https://kg.example.org/x/", "sparql",
                     "SELECT ?e WHERE { ?e kg:develops entity:sora-2 }", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["e", "https://kg.example.org/x/entity/openai"]
    vocabulary = run_cli("--base-iri", "https://kg.example.org/x/", "export", "vocabulary")
    assert "@prefix kg: <https://kg.example.org/x/vocab/> ." in vocabulary.stdout
    bad = run_cli("--base-iri", "https://kg.example.org/x", "stats")
    assert bad.exit_code == 2 and "is not an absolute IRI ending in '/' or ':'" in bad.stderr


def test_a_wikidata_id_reaches_every_rdf_syntax(write_data) -> None:
    from tests.conftest import SOURCES_YAML, run_cli

    folder = write_data({"sources.yaml": SOURCES_YAML, "e.yaml": """\
entities:
  - {id: a, type: organization, labels: {en: A}, wikidata: Q42}
  - {id: b, type: product, labels: {en: B}}
facts:
  - {subject: a, relation: develops, object: b, kind: fact, sources: [{source: src, locator: p1}]}
"""})
    turtle = run_cli("export", "rdf", "--format", "turtle", data=folder).stdout
    assert "owl:sameAs wd:Q42" in turtle
    lines = run_cli("export", "rdf", "--format", "nt", data=folder).stdout
    assert "<urn:ai-video-kg:entity:a> <http://www.w3.org/2002/07/owl#sameAs> " \
           "<http://www.wikidata.org/entity/Q42> ." in lines
    jsonld = run_cli("export", "rdf", "--format", "jsonld", data=folder).stdout
    assert '"sameAs": "wd:Q42"' in jsonld
    shown = run_cli("show", "a", data=folder).stdout
    assert "wikidata: Q42" in shown
