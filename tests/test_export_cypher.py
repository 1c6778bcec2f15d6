"""The Cypher export, loaded into a real FalkorDB started by the suite (``falkordb_server``).

FalkorDB runs one statement per query, so the script is loaded statement by
statement with ``kg.export.cypher.statements``, as docs/property-graphs.md
tells users to.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import kg
from kg.data.ontology import load_ontology
from kg.data.ranks import best_rank
from kg.errors import KgError
from kg.export import cypher
from kg.export.propertygraph import relationship_type, schema
from kg.query.paths import NoPath, find_paths
from kg.query.stats import summary
from tests.conftest import FIXTURES, ONTOLOGY, SEEDS, run_cli

HOSTILE = FIXTURES / "cypher-hostile"
QUERY_TIMEOUT_MS = 30_000

# Fifteen players of the landscape: the pairs among them are walked both ways.
PLAYERS = ["openai", "sora", "sora-2", "sora-app", "meta", "vibes", "google", "veo", "bytedance",
           "jimeng", "kuaishou", "kling", "disney", "nintendo", "tiktok"]

# The variable-length MATCH for pairs kg finds unconnected; 5 takes several times longer.
NO_PATH_BOUND = 4

# A fact may be walked forward, or either way when its relation is symmetric (kg path --directed).
DIRECTED_STEP = ("all(i IN range(0, length(p) - 1) WHERE relationships(p)[i].symmetric "
                 "OR startNode(relationships(p)[i]) = nodes(p)[i])")


def graph(server: tuple[str, int], name: str) -> Any:
    from falkordb import FalkorDB

    host, port = server
    database = FalkorDB(host=host, port=port, socket_timeout=60)
    selected = database.select_graph(name)
    if name in database.list_graphs():
        selected.delete()
    return selected


def load(target: Any, script: bytes) -> int:
    """Run every statement of a script; the number of statements run."""
    found = cypher.statements(script.decode("utf-8"))
    for statement in found:
        target.query(statement, timeout=QUERY_TIMEOUT_MS)
    return len(found)


def rows(target: Any, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
    return target.query(query, params, timeout=QUERY_TIMEOUT_MS).result_set


def export(*args: str, data: Path = SEEDS) -> bytes:
    result = run_cli("export", "cypher", *args, data=data)
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


@pytest.fixture(scope="module")
def shipped(falkordb_server: tuple[str, int]) -> Iterator[Any]:
    """The shipped data, loaded twice (MERGE makes the second load change nothing)."""
    target = graph(falkordb_server, "shipped")
    script = export()
    load(target, script)
    load(target, script)
    yield target
    target.delete()


# -- the literal syntax ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("plain", "'plain'"),
    ("it's", r"'it\'s'"),
    ('say "hi"', "'say \"hi\"'"),
    ("back\\slash", r"'back\\slash'"),
    ("a\nb\rc\td\be\ff", r"'a\nb\rc\td\be\ff'"),
    ("\u2028\u2029\u0085😀中文\x07", "'\u2028\u2029\u0085😀中文\x07'"),
    ("'); MATCH (n) DETACH DELETE n //", r"'\'); MATCH (n) DETACH DELETE n //'"),
])
def test_quote_escapes_what_ends_a_literal_or_a_line(text: str, expected: str) -> None:
    assert cypher.quote(text) == expected


def test_quote_refuses_nul() -> None:
    with pytest.raises(KgError, match="U\\+0000"):
        cypher.quote("a\x00b")


def test_literals() -> None:
    assert cypher.literal({"a": [1, 2.5, True, None is None], "b-c": "x", "n": 1e20}) == (
        "{a: [1, 2.5, true, true], `b-c`: 'x', n: 1e20}")
    with pytest.raises(KgError):
        cypher.literal(object())


def test_statements_split_at_lines_ending_in_a_terminator() -> None:
    script = "// header\n\nRETURN 'a;'\n;\n// between\nUNWIND [\n  'x;y'\n] AS r\nRETURN r;\n"
    assert cypher.statements(script) == ["RETURN 'a;'\n", "UNWIND [\n  'x;y'\n] AS r\nRETURN r"]
    with pytest.raises(KgError, match="ends inside a statement"):
        cypher.statements("RETURN 1")


# -- the script -------------------------------------------------------------------------------------

def test_script_is_deterministic_and_lines_are_statement_safe(tmp_path: Path) -> None:
    first = export()
    assert export() == first
    target = tmp_path / "kg.cypher"
    result = run_cli("export", "cypher", "-o", str(target))
    assert result.exit_code == 0
    assert result.stdout.startswith(f"wrote {target}: ")
    assert target.read_bytes() == first
    text = first.decode("utf-8")
    assert "\r" not in text
    for line in text.split("\n"):
        assert line == "" or line.startswith(("//", "UNWIND [", "  {", "] AS row", "MERGE", "SET",
                                              "WITH", "MATCH")), line
    assert len(cypher.statements(text)) == text.count(";\n")
    # Comments hold no quote or semicolon, for shells that split statements on their own.
    assert not any(set(line) & set("'\";") for line in text.split("\n") if line.startswith("//"))


def test_batch_size_bounds_rows_per_statement() -> None:
    small = export("--batch-size", "7").decode("utf-8")
    for statement in cypher.statements(small):
        assert statement.count("\n  {") <= 7
    data = kg.load()
    assert len(cypher.statements(small)) >= (len(data.entities) + len(data.facts)) // 7
    result = run_cli("export", "cypher", "--batch-size", "0")
    assert result.exit_code == 2
    assert "--batch-size" in result.stderr
    with pytest.raises(KgError, match="batch size"):
        cypher.render(data, batch_size=cypher.MAX_BATCH_SIZE + 1)


def test_selection_options_apply() -> None:
    text = export("--relation", "develops", "--as-of", "2025-09-29").decode("utf-8")
    types = {line.split(":", 1)[1].split(" ", 1)[0] for line in text.split("\n")
             if line.startswith("MERGE (a)-[r:")}
    assert types == {"DEVELOPS"}
    assert "'sora-app'" not in text  # released 2025-09-30
    result = run_cli("export", "cypher", "--relation", "develop")
    assert result.exit_code == 2
    assert "develops" in result.stderr


def test_nul_is_refused_before_writing(write_data: Any, tmp_path: Path) -> None:
    # The loader refuses NUL in the data files; a dataset built in Python meets the exporter's check.
    folder = write_data({"data.yaml": (HOSTILE / "data.yaml").read_text(encoding="utf-8")
                         .replace("Victim app", "Victim\\0 app")})
    target = tmp_path / "out.cypher"
    result = run_cli("export", "cypher", "-o", str(target), data=folder)
    assert result.exit_code == 1
    assert "U+0000" in result.stderr and "Traceback" not in result.output
    assert not target.exists()
    data = kg.load(HOSTILE)
    victim = data.entities["victim-app"]
    data.entities["victim-app"] = dataclasses.replace(victim, labels={**victim.labels, "en": "a\x00b"})
    with pytest.raises(KgError, match="^cannot export entity 'victim-app': name contains U\\+0000"):
        cypher.export(data, target)
    assert not target.exists()


def test_names_come_from_the_ontology(tmp_path: Path) -> None:
    text = ONTOLOGY.read_text(encoding="utf-8").replace(
        "\nrelations:\n",
        "\nrelations:\n  cites-as-reference:\n    label: {en: cites as reference}\n"
        "    definition: A test relation.\n    domain: [organization]\n    range: [product]\n", 1)
    extended = tmp_path / "ontology.yaml"
    extended.write_text(text, encoding="utf-8")
    names = schema(load_ontology(extended))
    assert names.relation_types["cites-as-reference"] == "CITES_AS_REFERENCE"
    assert names.type_labels["app"] == ("App", "Product")
    assert names.role_labels["rights-holder"] == "RightsHolder"
    clash = tmp_path / "clash.yaml"
    clash.write_text(text.replace("\nroles:\n", "\nroles:\n  app:\n    label: {en: app}\n"
                                  "    definition: A role named like a type.\n", 1), encoding="utf-8")
    result = run_cli("--ontology", str(clash), "export", "cypher")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: role 'app' and entity type 'app' would both be the label 'App'")


# -- in FalkorDB ---------------------------------------------------------------------------------

def test_counts_equal_kg_stats(shipped: Any) -> None:
    # The export writes the best-ranked statements (kg.data.ranks); kg stats counts every one.
    stats = summary(best_rank(kg.load()))
    assert rows(shipped, "MATCH (n:Entity) RETURN count(n)") == [[stats["entities"]]]
    assert rows(shipped, "MATCH (n:Figure) RETURN count(n)") == [[stats["figures"]]]
    assert rows(shipped, "MATCH (n) RETURN count(n)") == [[stats["entities"] + stats["figures"]]]
    assert rows(shipped, "MATCH ()-[r:HAS_FIGURE]->(:Figure) RETURN count(r)") == [[stats["figures"]]]
    assert rows(shipped, "MATCH ()-[r]->() WHERE type(r) <> 'HAS_FIGURE' RETURN r.derived, count(r) "
                         "ORDER BY r.derived") == [[False, stats["facts"]], [True, stats["references"]]]
    by_type = dict(rows(shipped, "MATCH (n:Entity) RETURN n.type, count(n)"))
    assert by_type == stats["by_type"]
    by_relation = rows(shipped, "MATCH ()-[r]->() WHERE NOT r.derived RETURN r.relation, type(r), count(r)")
    assert {rel: n for rel, _type, n in by_relation} == stats["by_relation"]
    assert all(rel_type == relationship_type(rel) for rel, rel_type, _n in by_relation)
    assert dict(rows(shipped, "MATCH ()-[r]->() WHERE NOT r.derived RETURN r.kind, count(r)")) == (
        stats["by_kind"])
    data = kg.load()
    references = rows(shipped, "MATCH (a)-[r]->(b) WHERE r.derived RETURN a.id, type(r), b.id, "
                               "r.derived_from_record, r.derived_from_field ORDER BY r.id")
    assert references == [[f.subject, relationship_type(f.relation), f.object, f.derived_from.record,
                           f.derived_from.field] for f in sorted(data.references, key=lambda f: f.id)]


def _camel(term: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in term.split("-"))


def _expected_node(entity: dict[str, Any]) -> dict[str, Any]:
    """What ``kg show --format json`` says the node's properties must be."""
    onto = load_ontology()
    props: dict[str, Any] = {"id": entity["id"], "type": entity["type"], "name": entity["label"]}
    props.update({f"label_{lang.replace('-', '_')}": text for lang, text in entity["labels"].items()})
    props.update(aliases=entity["aliases"], description=entity["description"], roles=entity["roles"])
    for name, value in entity["attributes"].items():
        props[name] = value
        if onto.attributes[name].get("type") == "date":
            first, last = _days(value)
            props.update({f"{name}_first": first, f"{name}_last": last})
    return {k: v for k, v in props.items() if v not in (None, [])}


def _days(iso: str) -> tuple[str, str]:
    import calendar

    parts = iso.split("-")
    if len(parts) == 3:
        return iso, iso
    year = int(parts[0])
    month_first, month_last = (int(parts[1]), int(parts[1])) if len(parts) == 2 else (1, 12)
    last_day = calendar.monthrange(year, month_last)[1]
    return f"{year:04d}-{month_first:02d}-01", f"{year:04d}-{month_last:02d}-{last_day:02d}"


@pytest.mark.parametrize("name", ["kling", "disney", "sora-app", "sora-2", "openai", "ben-thompson",
                                  "sora-copyright-opt-out", "jimeng"])
def test_entities_equal_kg_show(shipped: Any, name: str) -> None:
    shown = json.loads(run_cli("show", name, "--format", "json").stdout)
    onto = load_ontology()
    [[labels, props]] = rows(shipped, "MATCH (n:Entity {id: $id}) RETURN labels(n), properties(n)",
                             {"id": shown["id"]})
    assert sorted(labels) == sorted({"Entity", *(_camel(t) for t in onto.ancestors(shown["type"])),
                                     *(_camel(r) for r in shown["roles"])})
    assert dict(props) == _expected_node(shown)
    facts = rows(shipped, "MATCH (n:Entity {id: $id})-[r]->(m:Entity) RETURN r.id, r.relation, m.id, "
                          "r.kind, r.since, r.until, r.source_ids, r.source_locators ORDER BY r.id",
                 {"id": shown["id"]})
    assert facts == sorted([[f["id"], f["relation"], f["object"], f["kind"], f["since"], f["until"],
                             [s["source"] for s in f["sources"]], [s["locator"] for s in f["sources"]]]
                            for f in shown["facts_out"]])
    figures = rows(shipped, "MATCH (:Entity {id: $id})-[:HAS_FIGURE]->(f:Figure) "
                            "RETURN f.id, f.metric, f.value, f.unit ORDER BY f.id", {"id": shown["id"]})
    assert figures == sorted([f["id"], f["metric"], f["value"], f["unit"]] for f in shown["figures"])


def test_fact_properties_keep_dates_qualifiers_and_sources(shipped: Any) -> None:
    data = kg.load()
    dated = next(f for f in data.facts if f.since and f.since.precision != "day")
    [[props]] = rows(shipped, "MATCH ()-[r {id: $id}]->() RETURN properties(r)", {"id": dated.id})
    assert props["since"] == str(dated.since)
    assert props["since_first"] == dated.since.start().isoformat()
    assert props["since_last"] == dated.since.end().isoformat()
    assert props["source_titles"] == [data.sources[ref.source].title for ref in dated.sources]
    qualified = next(f for f in data.facts if "rank" in f.qualifiers)
    [[rank, chart]] = rows(shipped, "MATCH ()-[r {id: $id}]->() RETURN r.qualifier_rank, r.qualifier_chart",
                           {"id": qualified.id})
    assert (rank, chart) == (qualified.qualifiers["rank"], qualified.qualifiers.get("chart"))
    claim = next(f for f in data.facts if f.claimed_by)
    assert rows(shipped, "MATCH ()-[r {id: $id}]->() RETURN r.claimed_by", {"id": claim.id}) == [
        [claim.claimed_by]]


def _bfs_distance(target: Any, start: str, end: str) -> int | None:
    """Hops from ``start`` to ``end`` found one step at a time in Cypher (exact, never exponential)."""
    seen, frontier, hops = {start}, [start], 0
    while frontier:
        hops += 1
        step = rows(target, "MATCH (x:Entity)-[r]-(y:Entity) WHERE x.id IN $frontier "
                            "AND (r.symmetric OR startNode(r) = x) RETURN DISTINCT y.id",
                    {"frontier": frontier})
        frontier = sorted({y for [y] in step} - seen)
        if end in frontier:
            return hops
        seen.update(frontier)
    return None


def _cypher_shortest(target: Any, start: str, end: str, bound: int) -> list[list[Any]]:
    return rows(target, f"MATCH p = (a:Entity {{id: $start}})-[*1..{bound}]-(b:Entity {{id: $end}}) "
                        f"WHERE {DIRECTED_STEP} RETURN length(p) ORDER BY length(p) LIMIT 1",
                {"start": start, "end": end})


def test_shortest_directed_paths_agree_with_kg_path(shipped: Any) -> None:
    """For every ordered pair of players: the shortest path Cypher finds by a variable-length
    MATCH ordered by length has the hop count of ``kg path --directed``, and "no path" agrees.

    The variable-length MATCH is bounded, since FalkorDB enumerates every path up to the
    bound (exponentially many): by kg's answer where there is one (a shorter path, or none,
    would show), and by NO_PATH_BOUND hops where kg finds none. "No path" is then confirmed
    without a bound by walking out from the start one hop at a time until nothing new is
    reached, and that walk's distance must equal kg's for every pair too.
    """
    data = kg.load()
    assert all(player in data.entities for player in PLAYERS)
    answers: dict[tuple[str, str], int | None] = {}
    for start, end in itertools.permutations(PLAYERS, 2):
        try:
            answers[start, end] = len(find_paths(data, start, end, directed=True).paths[0])
        except NoPath:
            answers[start, end] = None
    for (start, end), hops in answers.items():
        found = _cypher_shortest(shipped, start, end, hops or NO_PATH_BOUND)
        assert found == ([[hops]] if hops is not None else []), (start, end)
        assert _bfs_distance(shipped, start, end) == hops, (start, end)
    assert sum(hops is not None for hops in answers.values()) > 100, answers
    assert sum(hops is None for hops in answers.values()) > 10, answers


def test_hostile_text_comes_back_equal(falkordb_server: tuple[str, int]) -> None:
    target = graph(falkordb_server, "hostile")
    try:
        assert load(target, export(data=HOSTILE)) == 5
        data = kg.load(HOSTILE)
        onto_schema = schema(data.ontology)
        from kg.export.propertygraph import entity_properties, fact_properties, figure_properties

        for entity in data.entities.values():
            [[props]] = rows(target, "MATCH (n:Entity {id: $id}) RETURN properties(n)", {"id": entity.id})
            assert dict(props) == entity_properties(onto_schema, entity)
            assert props["name"] == entity.label
            assert props["label_zh_Hans"] == entity.labels["zh-Hans"]
            assert props.get("aliases", []) == entity.aliases
            assert props["description"] == entity.description
        evil = data.entities["evil-corp"]
        assert "'); MATCH (n) DETACH DELETE n //" in evil.aliases  # the fixture is what it says
        assert data.references, "the fixture names an entity inside a record"
        for fact in [*data.facts, *data.references]:
            [[props]] = rows(target, "MATCH ()-[r {id: $id}]->() RETURN properties(r)", {"id": fact.id})
            assert dict(props) == fact_properties(onto_schema, fact, data.sources)
            assert props.get("note") == fact.note
            assert props["source_locators"] == [ref.locator for ref in fact.sources]
            assert props["source_titles"] == [data.sources[ref.source].title for ref in fact.sources]
        for figure in data.figures:
            [[props]] = rows(target, "MATCH (f:Figure {id: $id}) RETURN properties(f)", {"id": figure.id})
            assert dict(props) == figure_properties(figure, data.sources, onto_schema)
            assert props["region"] == figure.region
        assert rows(target, "MATCH (n) RETURN count(n)") == [[3]]
        assert rows(target, "MATCH ()-[r]->() RETURN count(r)") == [[len(data.edges) + 1]]
        assert rows(target, "MATCH (n:Pwned) RETURN count(n)") == [[0]]
    finally:
        target.delete()


# -- docs/property-graphs.md: the ten questions and the FalkorDB loader ------------------------

DOC = Path(__file__).resolve().parents[1] / "docs" / "property-graphs.md"


def _doc_blocks(language: str, section: str) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(section)
    end = text.find("\n## ", start + 1)
    part = text[start:] if end < 0 else text[start:end]
    return re.findall(rf"```{language}\n(.*?)```", part, re.S)


QUESTIONS = _doc_blocks("cypher", "## Ten questions in Cypher")


def _expected_answers(data: Any) -> list[Any]:
    """What each documented question must answer, computed with the library."""
    from collections import Counter

    onto = data.ontology
    ent = data.entities

    def name(entity_id: str) -> str:
        return ent[entity_id].label

    developers = Counter(name(f.subject) for f in data.facts if f.relation == "develops"
                         and onto.is_a(ent[f.subject].type, ["organization"])
                         and onto.is_a(ent[f.object].type, ["product"]))
    rivals = sorted([name(other), ent[other].type] for f in data.facts if f.relation == "competes-with"
                    and "kling" in (f.subject, f.object)
                    for other in [f.object if f.subject == "kling" else f.subject])
    opted = sorted([name(f.subject), name(f.object), str(f.since) if f.since else None,
                    [data.sources[r.source].title for r in f.sources], [r.locator for r in f.sources]]
                   for f in data.facts if f.relation == "opted-out-of"
                   and "rights-holder" in ent[f.subject].roles)
    day = __import__("datetime").date(2025, 9, 29)
    held = Counter(f.relation for f in data.facts if f.valid_on(day))  # stated facts only
    claims = Counter(f.claimed_by or "(the source itself)" for f in data.facts if f.kind == "claim")
    figures = sorted(([name(f.entity), f.metric, f.value, f.scale, f.unit, str(f.since) if f.since else None]
                      for f in data.figures if f.metric in ("downloads", "revenue")),
                     key=lambda row: (row[0], row[1], row[5] or "", row[2]))
    cited = Counter(source for f in data.facts for source in {r.source for r in f.sources})
    integrations = sorted([name(i.subject), name(i.object), name(d.subject)]
                          for i in data.facts if i.relation == "integrates"
                          and onto.is_a(ent[i.subject].type, ["platform"])
                          and onto.is_a(ent[i.object].type, ["model"])
                          for d in data.facts if d.relation == "develops" and d.object == i.object
                          and onto.is_a(ent[d.subject].type, ["organization"]))
    events = sorted(((f, f.object if f.subject == "sora-app" else f.subject) for f in data.facts
                     if f.kind == "event" and "sora-app" in (f.subject, f.object)),
                    key=lambda pair: (pair[0].since.start() if pair[0].since else None,
                                      relationship_type(pair[0].relation), name(pair[1])))

    def by_count(counter: Counter, limit: int | None = None) -> list[list[Any]]:
        return [[key, n] for key, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))][:limit]

    return [by_count(developers, 5), rivals, opted, by_count(held), by_count(claims),
            len(find_paths(data, "disney", "kling", directed=True).paths[0]), figures,
            by_count(cited, 5), integrations,
            [[str(f.since), relationship_type(f.relation), name(other)] for f, other in events]]


def test_the_documented_questions_answer_as_the_library(shipped: Any) -> None:
    assert len(QUESTIONS) == 10
    expected = _expected_answers(best_rank(kg.load()))
    for number, (query, answer) in enumerate(zip(QUESTIONS, expected, strict=True), 1):
        found = rows(shipped, query)
        assert found, f"question {number} found nothing"
        if number == 6:  # one of the shortest paths; its length is what must agree
            [[entities, facts, hops]] = found
            assert (entities[0], entities[-1], len(facts), hops) == ("Disney", "Kling", answer, answer)
            continue
        assert found == answer, f"question {number}:\n{query}"


def test_the_documented_falkordb_loader_runs(falkordb_server: tuple[str, int], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    [snippet] = _doc_blocks("python", "### FalkorDB")
    assert 'port=6379).select_graph("ai_video_kg")' in snippet
    host, port = falkordb_server
    target = graph(falkordb_server, "doc_loader")
    (tmp_path / "ai-video-kg.cypher").write_bytes(export())
    monkeypatch.chdir(tmp_path)
    exec(snippet.replace("port=6379", f"port={port}").replace('"127.0.0.1"', repr(host))
         .replace('"ai_video_kg"', '"doc_loader"'), {})
    try:
        data = best_rank(kg.load())
        assert rows(target, "MATCH (n:Entity) RETURN count(n)") == [[len(data.entities)]]
        assert rows(target, "MATCH (:Entity)-[r]->(:Entity) RETURN count(r)") == [[len(data.edges)]]
    finally:
        target.delete()


def test_falkordb_runs_one_statement_per_query(falkordb_server: tuple[str, int]) -> None:
    """Why the script is split: FalkorDB refuses two statements in one query (docs)."""
    from redis.exceptions import ResponseError

    target = graph(falkordb_server, "one_statement")
    try:
        assert rows(target, "RETURN 1") == [[1]]
        with pytest.raises(ResponseError):
            target.query("CREATE (:A);\nCREATE (:B);")
        script = "// two statements\nCREATE (:A {s: 'x;'});\nCREATE (:B);\n"
        for statement in cypher.statements(script):
            target.query(statement)
        assert rows(target, "MATCH (n) RETURN labels(n)[0], n.s ORDER BY labels(n)[0]") == [
            ["A", "x;"], ["B", None]]
    finally:
        target.delete()
