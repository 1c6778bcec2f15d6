"""The SPARQL store (``kg.rdf.sparqlstore``): the same triples and the same answers as rdflib
over the RDF view, refreshed file by file, rebuilt when it cannot be trusted."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg import rdf
from kg.rdf import sparqlstore
from kg.rdf.sparqlquery import Term, store_sparql
from kg.store import open_store
from tests.conftest import REPO, SEEDS, run_cli

SMALL = REPO / "tests" / "fixtures" / "rdf-small"
MARKET = REPO / "tests" / "fixtures" / "market" / "data"

# Queries of the tests of ``kg sparql`` (tests/test_rdf.py, test_cli_rdfcli.py, test_ranks.py).
_TEST_QUERIES = [
    "SELECT ?who ?what WHERE { ?who kg:optedOutOf ?what } ORDER BY ?who ?what",
    "SELECT ?who ?what WHERE { ?who kg:optedOutOf ?what } ORDER BY ?what",
    "ASK { entity:disney kg:optedOutOf ?what }",
    "SELECT ?who ?name WHERE { ?who kg:optedOutOf entity:acme-app ; rdfs:label ?name "
    "FILTER(LANG(?name) = 'en') }",
    "ASK { entity:acme kg:develops entity:acme-gen }",
    "ASK { entity:gamma kg:threatens ?x }",
    "SELECT ?x WHERE { ?x kg:nothing ?y }",
    'SELECT ?l ?id WHERE { ?e rdfs:label ?l ; a kg:Organization . FILTER(lang(?l) = "zh-Hans") '
    "BIND(STR(?e) AS ?id) } ORDER BY ?l",
    'SELECT ?l WHERE { entity:gamma rdfs:label ?l FILTER(lang(?l) = "zh-Hant") }',
    'SELECT ?label (COUNT(?st) AS ?n) WHERE { ?st rdf:predicate ?p . ?p rdfs:label ?label '
    'FILTER(lang(?label) = "en") } GROUP BY ?label ORDER BY ?label',
    "SELECT ?x WHERE { ?x kg:optedOutOf entity:gamma }",
    'SELECT ?st WHERE { ?st a kg:Statement OPTIONAL { ?st kg:validFrom ?from } '
    'OPTIONAL { ?st kg:validUntil ?until } FILTER((!BOUND(?from) || ?from <= "2025-10-31"^^xsd:date) && '
    '(!BOUND(?until) || ?until >= "2025-10-01"^^xsd:date)) }',
    "SELECT ?f ?r WHERE { ?f kg:metric kg:Valuation ; kg:statementRank ?r . "
    "FILTER NOT EXISTS { ?f a kg:BestRank } }",
    "ASK { entity:maker-c kg:partnersWith entity:lab-b }",
    "SELECT ?f ?v WHERE { ?f a kg:Figure, kg:BestRank ; kg:value ?v } ORDER BY ?f",
    "SELECT (LANG(?l) AS ?lang) (COUNT(*) AS ?n) WHERE { ?e rdfs:label ?l } GROUP BY (LANG(?l)) "
    "ORDER BY ?lang",
    "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
]


def _documented() -> list[tuple[str, bool]]:
    """Every ``$ kg sparql`` example of the documentation: (query, with the vocabulary)."""
    found = []
    for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        for line in path.read_text(encoding="utf-8").splitlines():
            # (Not the runaway query that shows --timeout: test_a_runaway_query_is_stopped.)
            if not line.startswith("$ kg sparql ") or "--endpoint" in line or "--timeout" in line:
                continue
            args = shlex.split(line[2:], comments=True)[2:]
            query = next(a for a in args if not a.startswith("-") and a not in ("csv", "json", "1")
                         and not re.fullmatch(r"[\d.]+", a))
            found.append((query, "--vocabulary" in args))
    return found


def _queries() -> list[tuple[str, bool]]:
    return [*_documented(), *[(query, False) for query in _TEST_QUERIES],
            *[(query, True) for query in _TEST_QUERIES]]


@pytest.fixture(scope="module")
def shipped() -> tuple:
    store = open_store(SEEDS, include_deprecated=True)
    return store.dataset(include_deprecated=True), store


def _answer(result: rdf.SparqlResult, ordered: bool) -> object:
    if result.kind == "ask":
        return result.boolean
    if result.kind == "graph":
        return sorted(tuple(str(part) for part in triple) for triple in result.graph)
    rows = [(tuple(result.show(value) for value in row),
             repr(_numeric(result.to_json()["results"]["bindings"][n]))) for n, row in enumerate(result.rows)]
    return (result.variables, rows if ordered else sorted(rows), result.to_csv() if ordered else
            sorted(result.to_csv().splitlines()))


_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


def _numeric(binding: dict) -> dict:
    """The binding with the one known difference taken out: rdflib types the product of two
    integers xsd:decimal, Oxigraph xsd:integer, as SPARQL 1.1 says (the value is the same)."""
    return {var: {**term, "datatype": _INTEGER} if term.get("datatype") == _DECIMAL
            and re.fullmatch(r"-?\d+", term["value"]) else term for var, term in binding.items()}


def test_documented_queries_are_found() -> None:
    documented = _documented()
    assert len(documented) >= 20
    assert any(vocabulary for _query, vocabulary in documented)


@pytest.mark.parametrize("query, vocabulary", _queries())
def test_the_store_answers_as_rdflib_on_the_shipped_data(shipped, query: str, vocabulary: bool) -> None:
    dataset, store = shipped
    try:
        expected = rdf.sparql(dataset, query, vocabulary, timeout=None)
    except (rdf.SparqlSyntaxError, rdf.KgError) as exc:
        with pytest.raises(type(exc)):
            store_sparql(store, query, vocabulary, timeout=None)
        return
    found = store_sparql(store, query, vocabulary, timeout=None)
    ordered = "ORDER BY" in query.upper()
    assert found.kind == expected.kind
    assert _answer(found, ordered) == _answer(expected, ordered)


@pytest.mark.parametrize("data", [SEEDS, SMALL, MARKET], ids=["shipped", "small", "market"])
def test_the_store_holds_exactly_the_triples_of_the_rdf_view(data: Path) -> None:
    store = open_store(data, include_deprecated=True)
    expected = {line for line in rdf.serialize(store.dataset(include_deprecated=True), "nt")
                .decode("utf-8").splitlines() if line.strip()}
    found = store_sparql(store, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", timeout=None)
    assert set(rdf.triples_text(found.graph)) == expected
    # The store's graphs are read as one: no triple may be in two of them.
    (count,) = store_sparql(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", timeout=None).rows[0]
    assert int(str(count)) == len(expected)


def test_a_select_returns_terms_without_rdflib(shipped) -> None:
    _dataset, store = shipped
    result = store_sparql(store, "SELECT ?who WHERE { ?who kg:optedOutOf entity:sora-2 }")
    assert result.rows == [[Term("uri", "urn:ai-video-kg:entity:disney")]]
    assert result.show(result.rows[0][0]) == "entity:disney"


def _copy(tmp_path: Path, source: Path = SMALL) -> Path:
    target = tmp_path / "data"
    shutil.copytree(source, target)
    return target


def _oxigraph_files(cache: Path) -> tuple[Path, Path]:
    (folder,) = cache.glob("*.oxigraph")
    return folder, folder.with_name(folder.name + ".json")


def test_a_refresh_replaces_the_graphs_of_the_changed_files_only(tmp_path, monkeypatch) -> None:
    data = _copy(tmp_path)
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    ask = "ASK { entity:beta-studio kg:optedOutOf entity:acme-app }"
    assert store_sparql(open_store(data), ask).boolean is True
    assert store_sparql(open_store(data), ask, vocabulary=True).boolean is True
    loaded: list[list[str] | None] = []
    original = sparqlstore._all_quads

    def recording(store, files=None, **options):
        loaded.append(files)
        return original(store, files, **options)

    monkeypatch.setattr(sparqlstore, "_all_quads", recording)
    assert store_sparql(open_store(data), ask).boolean is True
    assert loaded == []  # fresh: nothing built
    claims = data / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace(
        "    kind: claim\n    sources: [{source: example-report",
        "    kind: claim\n    note: Said once.\n    sources: [{source: example-report"), encoding="utf-8")
    store = open_store(data, require_valid=False)
    noted = store_sparql(store, "SELECT ?st WHERE { ?st skos:note 'Said once.'@en }")
    assert [noted.show(row[0]) for row in noted.rows] == ["fact:acme-app--likened-to--gamma"]
    assert len(loaded) == 1 and loaded[0] is not None
    assert [Path(f).name for f in loaded[0]] == ["claims.yaml"]
    # The copy with the vocabulary follows.
    labelled = store_sparql(store, "SELECT ?label WHERE { ?st skos:note 'Said once.'@en ; "
                                   "rdf:predicate ?p . ?p rdfs:label ?label FILTER(lang(?label) = 'en') }",
                             vocabulary=True)
    assert [labelled.show(row[0]) for row in labelled.rows] == ["likened to"]
    dataset = store.dataset(include_deprecated=True)
    whole = {line for line in rdf.serialize(dataset, "nt").decode("utf-8").splitlines() if line}
    found = store_sparql(store, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", timeout=None)
    assert set(rdf.triples_text(found.graph)) == whole
    # A rank changed: the direct triple and kg:BestRank go, in the graph every file shares.
    acme = data / "acme.yaml"
    text = acme.read_text(encoding="utf-8")
    assert "    relation: opted-out-of\n    object: acme-app\n" in text
    acme.write_text(text.replace("    relation: opted-out-of\n    object: acme-app\n",
                                 "    relation: opted-out-of\n    object: acme-app\n    rank: deprecated\n"
                                 "    rank_reason: retracted\n"),
                    encoding="utf-8")
    store = open_store(data)
    assert store_sparql(store, ask).boolean is False
    dataset = store.dataset(include_deprecated=True)
    whole = {line for line in rdf.serialize(dataset, "nt").decode("utf-8").splitlines() if line}
    found = store_sparql(store, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", timeout=None)
    assert set(rdf.triples_text(found.graph)) == whole


@pytest.mark.parametrize("damage", ["stamp", "foreign-file", "writable", "link", "half-written"])
def test_a_store_that_cannot_be_trusted_is_built_again(tmp_path, monkeypatch, damage: str) -> None:
    data = _copy(tmp_path)
    cache = tmp_path / "cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(cache))
    ask = "ASK { entity:beta-studio kg:optedOutOf entity:acme-app }"
    assert store_sparql(open_store(data), ask).boolean is True
    folder, stamp = _oxigraph_files(cache)
    if damage == "stamp":
        stamp.write_text("{not json", encoding="utf-8")
    elif damage == "foreign-file":
        (folder / "planted").symlink_to("/etc/passwd")
    elif damage == "writable":
        os.chmod(folder, 0o777)
    elif damage == "link":
        elsewhere = tmp_path / "elsewhere"
        folder.rename(elsewhere)
        folder.symlink_to(elsewhere)
    else:  # a refresh killed half-way leaves no stamp
        stamp.unlink()
    rebuilt: list[bool] = []
    original = sparqlstore._rebuild
    monkeypatch.setattr(sparqlstore, "_rebuild", lambda *a: rebuilt.append(True) or original(*a))
    assert store_sparql(open_store(data), ask).boolean is True
    assert rebuilt == [True]
    assert not folder.is_symlink() and folder.is_dir()
    assert not (folder / "planted").exists()
    assert os.stat(folder).st_mode & 0o077 == 0


def test_a_folder_others_can_change_gets_no_store(tmp_path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    os.chmod(cache, 0o777)  # writable by all, no sticky bit: another user could swap the files
    monkeypatch.setenv("KG_CACHE_DIR", str(cache))
    result = run_cli("sparql", "ASK { entity:acme kg:develops entity:acme-gen }", data=SMALL)
    assert result.exit_code == 0 and result.stdout == "true\n"
    assert not list(cache.glob("*.oxigraph*"))


def test_in_memory_when_nothing_may_be_written(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("KG_CACHE", "0")
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    result = run_cli("sparql", "ASK { entity:acme kg:develops entity:acme-gen }", data=SMALL)
    assert result.exit_code == 0 and result.stdout == "true\n"
    assert not (tmp_path / "cache").exists()


def test_a_query_on_a_fresh_store_imports_no_rdflib(tmp_path) -> None:
    env = {**os.environ, "KG_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("KG_CACHE", None)
    script = ("import sys\nfrom kg.cli import main\n"
              "try:\n    main(['--data', sys.argv[1], 'sparql', sys.argv[2], '--format', sys.argv[3]])\n"
              "except SystemExit:\n    pass\n"
              "print('rdflib' in sys.modules, file=sys.stderr)\n")
    query = "SELECT ?who ?what WHERE { ?who kg:optedOutOf ?what } ORDER BY ?who ?what"

    def run(fmt: str, text: str = query) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", script, str(SMALL), text, fmt], env=env,
                              capture_output=True, text=True, timeout=300, check=False)

    first = run("table")
    assert first.stderr.strip().splitlines()[-1] == "True"  # building the store reads the RDF view
    for fmt in ("table", "json", "csv"):
        again = run(fmt)
        assert "entity:beta-studio" in again.stdout or "beta-studio" in again.stdout
        assert again.stderr.strip().splitlines()[-1] == "False", fmt
    graph = run("table", "CONSTRUCT { ?b kg:optedOutBy ?a } WHERE { ?a kg:optedOutOf ?b }")
    assert "optedOutBy" in graph.stdout


def test_a_runaway_query_is_stopped(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    result = run_cli("sparql", cartesian, "--timeout", "1", data=SEEDS)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: the query took longer than 1 s and was stopped")
    greedy = "SELECT ?a ?c ?f WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a"
    result = run_cli("sparql", greedy, "--memory", "48", "--timeout", "120", data=SEEDS)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: it ran out of memory (limit 48 MiB")


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:9/s> { ?s ?p ?o } }",
    "ASK { ?a ?b ?c FILTER EXISTS { SERVICE ?endpoint { ?s ?p ?o } } }",
    "SELECT * WHERE { ?a ?b ?c FILTER(?c<1)SERVICE<http://127.0.0.1:9/s>{ ?s ?p ?o } }",
    "SELECT * # a comment\nWHERE { SERVICE\n<http://127.0.0.1:9/s> { ?s ?p ?o } }",
])
def test_service_is_refused_wherever_it_is_written(query: str) -> None:
    from kg.rdf.sparqlquery import NetworkRefused, _refuse_network_text

    with pytest.raises(NetworkRefused, match="SERVICE"):
        _refuse_network_text(query, allow_service=False)
    _refuse_network_text(query, allow_service=True)


@pytest.mark.parametrize("query", [
    "SELECT * FROM <http://127.0.0.1:9/data> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <urn:x:g> WHERE { ?s ?p ?o }",
])
def test_from_is_refused(query: str) -> None:
    from kg.rdf.sparqlquery import NetworkRefused, _refuse_network_text

    with pytest.raises(NetworkRefused, match="FROM"):
        _refuse_network_text(query, allow_service=True)


@pytest.mark.parametrize("query", [
    'SELECT ?service WHERE { ?service rdfs:label "SERVICE from GRAPH" }',
    "SELECT ?x WHERE { ?x schema:service <urn:x:service/from/graph> } # SERVICE FROM GRAPH",
    "SELECT ?x WHERE { ?x kg:from ?from ; kg:graph $graph }",
    "SELECT ?x WHERE { ?x rdfs:label '''SERVICE\n<http://127.0.0.1:9/s>''' }",
])
def test_the_words_elsewhere_are_no_keywords(query: str) -> None:
    from kg.rdf.sparqlquery import _refuse_network_text

    _refuse_network_text(query, allow_service=False)


def test_a_build_tells_its_progress_record_by_record(tmp_path, monkeypatch) -> None:
    data = _copy(tmp_path)
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    heard: list[tuple[str, int, int]] = []
    store = open_store(data)
    ask = "ASK { entity:beta-studio kg:optedOutOf entity:acme-app }"
    assert store_sparql(store, ask, progress=lambda *step: heard.append(step)).boolean is True
    records = (len(store.sources) + store.conn.execute("SELECT count(*) FROM entities").fetchone()[0]
               + store.conn.execute("SELECT count(*) FROM facts WHERE derived=0").fetchone()[0]
               + store.conn.execute("SELECT count(*) FROM figures").fetchone()[0])
    assert heard and heard[-1] == ("sparql", records, records)
    heard.clear()
    assert store_sparql(open_store(data), ask, progress=lambda *step: heard.append(step)).boolean
    assert heard == []  # fresh: nothing loaded, nothing told
