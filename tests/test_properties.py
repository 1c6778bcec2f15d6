"""Property-based and fuzz tests (hypothesis): generated YAML, mutated seed files, generated
datasets and generated text, through loading, validation, the read commands and every export.

Invariants: no traceback; exit codes as documented (0, 1, 2); every problem one line with a
``file:line:column`` inside the file; every export parses with an independent parser and gives
the text back exactly; export -> import -> export gives the same bytes.

The default profile is quick (CI); ``--hypothesis-profile=deep`` (``make fuzz-deep``) runs
10,000 cases per property.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kg.data.load import check, load, parse_data_file, read_data_file
from kg.data.ontology import load_ontology
from kg.errors import Problem
from kg.export import csv as csv_export
from kg.rdf import read_graph, yaml_files, yaml_text
from kg.util.yamlsafe import Loc, NeedsMarks, YamlError, parse, parse_plain, uncarriable
from tests.conftest import ONTOLOGY as ONTOLOGY_FILE
from tests.conftest import SEEDS, run_cli
from tests.datagen import TEXT_FIELDS, write_text_dataset
from tests.roundtrip import check_graph_formats, check_rdf, uncell

ONTOLOGY = load_ontology()
ONTOLOGY_PATH = ONTOLOGY_FILE.resolve()


@pytest.fixture(autouse=True, scope="module")
def _ontology_read_once() -> Iterator[None]:
    """The shipped ontology does not change during these tests: read it once, so that thousands
    of cases spend their time on the data, not on re-reading the ontology."""
    import importlib

    def cached(path: object = None) -> object:
        return ONTOLOGY if path is None or Path(str(path)).resolve() == ONTOLOGY_PATH else \
            original(path)

    modules = [importlib.import_module(name) for name in ("kg.data.ontology", "kg.data.load", "kg.store")]
    original = modules[0].load_ontology
    patch = pytest.MonkeyPatch()
    for module in modules:
        patch.setattr(module, "load_ontology", cached)
    yield
    patch.undo()

# Pieces of YAML syntax, hostile values and characters YAML treats specially, to build documents
# far more often well-formed (and so reaching the converter) than random text would be.
YAML_PIECES = [
    "\n", " ", "  ", "- ", ": ", "a", "b", "id", "{", "}", "[", "]", ", ", "'", '"', "#", "|", ">",
    "? ", "&x ", "*x", "<<: ", "!!str ", "!!int ", "!!float ", "!!bool ", "!!null ", "!!binary ",
    "!!timestamp ", "!!python/object:os.system ", "!custom ", "%YAML 1.1\n", "---\n", "...\n",
    "0000", "2025-10", "٢٠٢٥", "１", ".nan", ".inf", "-.inf", "1.0e+999", "9" * 4400, "0x1F", "0o17",
    "true", "NO", "~", "null", "\t", "\r", "\x85", "\u2028", "\ufeff", "\x00", "\x01", "\x7f",
    '"\\0"', '"\\x85"', '"\\ud800"', '"\\uFFFE"', '"\\U0001F600"', "可灵", "\u202e", "😀",
]


def yaml_documents() -> st.SearchStrategy[str]:
    return st.one_of(st.lists(st.sampled_from(YAML_PIECES), max_size=40).map("".join),
                     st.text(max_size=200))


def _assert_good_problem(problem: Problem | YamlError, text_by_file: dict[str, str]) -> None:
    loc: Loc = problem.loc
    message = problem.message + " " + problem.hint
    assert "\n" not in message and "\r" not in message, message
    assert loc.line >= 1 and loc.column >= 1, loc
    if loc.file in text_by_file:
        breaks = re.findall("\r\n|[\r\n\x85\u2028\u2029]", text_by_file[loc.file])
        assert loc.line <= len(breaks) + 1, (loc, message)


@given(yaml_documents())
def test_any_yaml_parses_or_fails_with_one_line_at_a_place(text: str) -> None:
    try:
        parse(text, "f.yaml")
    except YamlError as exc:
        _assert_good_problem(exc, {"f.yaml": text})


def _same(first: object, second: object) -> bool:
    """Equal values of equal types, NaN equal to NaN."""
    if isinstance(first, dict) and isinstance(second, dict):
        return list(first) == list(second) and all(_same(first[k], second[k]) for k in first)
    if isinstance(first, list) and isinstance(second, list):
        return len(first) == len(second) and all(map(_same, first, second))
    if isinstance(first, float) and isinstance(second, float) and first != first:
        return second != second
    return type(first) is type(second) and first == second


@given(yaml_documents())
def test_reading_without_positions_agrees_or_hands_over(text: str) -> None:
    try:
        plain = parse_plain(text)
    except NeedsMarks:
        return  # the reader with positions reads it (and reports what it finds)
    assert _same(plain, parse(text, "f.yaml"))  # the reader with positions accepts it alike


# ------------------------------------------------------------------------- mutated seed files

SEED_FILES = sorted(path.name for path in SEEDS.glob("*.yaml"))


@st.composite
def mutated_seed(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(SEED_FILES))
    data = bytearray((SEEDS / name).read_bytes())
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "piece"]))
        if action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=4))
        elif action == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        elif action == "replace":
            data[at:at + 1] = draw(st.binary(min_size=1, max_size=1))
        else:
            data[at:at] = draw(st.sampled_from(YAML_PIECES)).encode("utf-8", "surrogatepass")
    return name, bytes(data)


@given(mutated_seed())
def test_a_mutated_file_read_without_positions_gives_the_loaders_records(
        named: tuple[str, bytes]) -> None:
    name, data = named
    fast, _marked = read_data_file(data, name)
    exact = parse_data_file(data, name)
    assert fast.problems == exact.problems
    for section in ("sources", "entities", "facts", "figures"):
        for got, expected in zip(getattr(fast, section), getattr(exact, section), strict=True):
            assert dataclasses.replace(got, field_locs={}) == dataclasses.replace(expected, field_locs={})


@pytest.fixture(scope="module")
def mutation_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mutated")


@given(mutated_seed(), st.sampled_from([["stats"], ["search", "sora"], ["rank", "--limit", "3"],
                                         ["show", "sora-2"], ["neighbors", "kling"]]))
def test_mutated_seed_files_validate_without_a_crash(mutation_folder: Path,
                                                     mutation: tuple[str, bytes],
                                                     command: list[str]) -> None:
    name, data = mutation
    folder = mutation_folder / "data"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    (folder / name).write_bytes(data)
    if name != "sources.yaml":
        shutil.copy(SEEDS / "sources.yaml", folder / "sources.yaml")
    texts = {str(folder / name): data.decode("utf-8", "replace")}
    result = run_cli("validate", "--format", "json", data=folder)
    report = json.loads(result.stdout)
    assert result.exit_code == (0 if report["valid"] else 1)
    for problem in report["problems"]:
        _assert_good_problem(Problem(Loc(problem["file"], problem["line"], problem["column"]),
                                     problem["message"], problem["hint"]),
                             {display: text for display, text in texts.items()})
    result = run_cli(*command, "--format", "json", data=folder)
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 0:
        json.loads(result.stdout)
    elif not report["valid"]:
        assert "problem" in result.stderr


# ---------------------------------------------------------------------- generated datasets

ENTITY_TYPES = sorted(ONTOLOGY.entity_types)
RELATIONS = sorted(ONTOLOGY.relations)
KINDS = sorted(ONTOLOGY.fact_kinds)
DATES = st.one_of(st.none(), st.sampled_from(["2024", "2025-09", "2025-09-30", "2025-10-03",
                                              "2025-13", "0000", "2025-02-30"]))


@st.composite
def datasets(draw: st.DrawFn) -> dict[str, list[dict]]:
    count = draw(st.integers(2, 6))
    ids = [f"e{i}" for i in range(count)]
    entities = []
    for entity_id in ids:
        entity = {"id": entity_id, "type": draw(st.sampled_from(ENTITY_TYPES)),
                  "labels": {"en": f"Entity {entity_id}"}}
        if draw(st.booleans()):
            entity["attributes"] = {"founded": draw(st.sampled_from(["2019", "2025-10-01", "0000"]))}
        entities.append(entity)
    facts = []
    for _ in range(draw(st.integers(1, 8))):
        fact = {"subject": draw(st.sampled_from(ids)), "relation": draw(st.sampled_from(RELATIONS)),
                "object": draw(st.sampled_from(ids)), "kind": draw(st.sampled_from(KINDS)),
                "sources": [{"source": "src", "locator": "p. 1"}]}
        for key in ("since", "until"):
            date = draw(DATES)
            if date is not None:
                fact[key] = date
        facts.append(fact)
    figures = []
    if draw(st.booleans()):
        figures.append({"entity": draw(st.sampled_from(ids)), "metric": "downloads",
                        "value": draw(st.one_of(st.integers(-10, 10**12), st.floats())),
                        "unit": "downloads", "kind": "fact",
                        "sources": [{"source": "src", "locator": "p. 2"}]})
    sources = [{"id": "src", "title": "Generated", "publisher": "Tests", "date": "2025-10",
                "language": "en", "published_in": "Tests, not published"}]
    return {"sources": sources, "entities": entities, "facts": facts, "figures": figures}


@pytest.fixture(scope="module")
def dataset_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("generated")


READ_COMMANDS = [["stats"], ["show", "e0"], ["search", "entity"], ["neighbors", "e0"],
                 ["path", "e0", "e1"], ["timeline", "e0"], ["edges"], ["rank", "--limit", "3"],
                 ["stats", "--as-of", "2025-09"]]


@given(datasets(), st.sampled_from(READ_COMMANDS))
def test_generated_datasets_through_every_read_command(dataset_folder: Path,
                                                       records: dict[str, list[dict]],
                                                       command: list[str]) -> None:
    folder = dataset_folder / "data"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    (folder / "data.yaml").write_text(yaml_text({k: v for k, v in records.items() if v}),
                                      encoding="utf-8")
    result = run_cli("validate", "--format", "json", data=folder)
    valid = json.loads(result.stdout)["valid"]
    assert result.exit_code == (0 if valid else 1)
    result = run_cli(*command, "--format", "json", data=folder)
    assert result.exit_code in (0, 1), (command, result.output)
    if not valid:
        assert result.exit_code == 1 and "problem" in result.stderr
    elif result.exit_code == 0:
        json.loads(result.stdout)


# ------------------------------------------------------------------- generated text, every export

ANY_TEXT = st.text(st.characters(codec=None), min_size=1, max_size=30)
TEXTS = st.one_of(ANY_TEXT, st.lists(st.sampled_from([
    "\r", "\n", "\r\n", "\x85", "\u2028", "\u2029", "\x0b", "\x0c", "\t", " ", "\x00", "\ud800",
    "\ufffe", "\ufeff", "\u202e", "<", "&", "]]>", '"', "'", '"""', "\\", "\\u0041", "=", "+", "-",
    "@", "a", "可", "😀", "@prefix", "_:b", "<urn:x>",
]), min_size=1, max_size=12).map("".join))


@pytest.fixture(scope="module")
def text_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("text")


@given(TEXTS)
def test_any_text_round_trips_through_every_export_or_is_refused_at_its_place(
        text_folder: Path, text: str) -> None:
    folder = text_folder / "data"
    shutil.rmtree(folder, ignore_errors=True)
    write_text_dataset(folder, text)
    _loaded, problems = check(folder, ONTOLOGY)
    if uncarriable(text) is not None or not text.strip():
        assert problems, "text the formats cannot carry, or blank text, must be refused"
        for problem in problems:
            _assert_good_problem(problem, {})
            assert problem.loc.file.endswith("data.yaml") and problem.loc.line > 1
        return
    assert problems == [], problems
    dataset = load(folder, ONTOLOGY)
    assert dataset.entities["alpha"].description == text
    check_rdf(dataset)
    check_graph_formats(dataset)
    # export -> import -> export: the same bytes
    from kg import rdf

    turtle = rdf.serialize(dataset, "turtle")
    import rdflib

    records = read_graph(rdflib.Graph().parse(data=turtle, format="turtle"), ONTOLOGY)
    again = folder.parent / "again"
    shutil.rmtree(again, ignore_errors=True)
    again.mkdir()
    for name, content in yaml_files(records).items():
        (again / name).write_text(content, encoding="utf-8")
    assert rdf.serialize(load(again, ONTOLOGY), "turtle") == turtle


def test_the_generated_text_reaches_every_free_text_field(text_folder: Path) -> None:
    folder = write_text_dataset(text_folder / "fields", "MARK")
    dataset = load(folder, ONTOLOGY)
    raw = (folder / "data.yaml").read_text(encoding="utf-8")
    assert raw.count("MARK") == len(TEXT_FIELDS)
    assert dataset.facts[0].qualifiers["chart"] == "MARK"


@given(ANY_TEXT)
def test_csv_cells_round_trip_and_never_start_a_formula(text: str) -> None:
    assume(uncarriable(text) is None or not any("\ud800" <= c <= "\udfff" for c in text))
    cell = csv_export.cell(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([cell, "next"])
    rows = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert len(rows) == 1 and uncell(rows[0][0]) == text and rows[0][1] == "next"


@given(ANY_TEXT)
def test_the_import_writer_writes_any_text_back_exactly(text: str) -> None:
    written = yaml_text({"entities": [{"id": "a", "description": text}]})
    if uncarriable(text) is not None:
        with pytest.raises(YamlError):
            parse(written, "f.yaml")
        return
    assert parse(written, "f.yaml")["entities"][0]["description"] == text


# --- outside text: a store's answers, URLs, what reaches a terminal ---------------------------

@given(st.text())
def test_terminal_text_holds_nothing_a_terminal_acts_on(text: str) -> None:
    from kg.util.terminal import terminal_line, terminal_text

    shown = terminal_text(text)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", shown)
    line = terminal_line(text)
    assert not re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029]", line)
    if not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]",
                     text):
        assert shown == text  # nothing to show otherwise: the text is left as it is


@given(st.text())
def test_a_url_that_passes_the_check_is_one_safe_link(text: str) -> None:
    from kg.util.urls import is_web_url, markdown_link

    for candidate in (text, "https://example.org/" + text, "http://" + text):
        link = markdown_link(candidate)
        if is_web_url(candidate):
            assert link == f"<{candidate}>"
            assert not re.search(r"[\s<>\"'`\x00-\x1f\x7f-\x9f]", candidate)
        else:
            assert link == ""


_REPLY_BYTES = st.one_of(
    st.binary(max_size=400),
    st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20)),
                 lambda inner: st.one_of(st.lists(inner, max_size=4),
                                         st.dictionaries(st.sampled_from(
                                             ["head", "vars", "results", "bindings", "boolean",
                                              "type", "value", "xml:lang", "datatype", "x"]),
                                             inner, max_size=4)),
                 max_leaves=20).map(lambda v: json.dumps(v).encode()),
)


@given(_REPLY_BYTES, st.sampled_from(["SELECT ?x WHERE { ?x ?p ?o }", "ASK { ?s ?p ?o }",
                                      "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"]))
def test_any_answer_of_a_store_is_a_result_or_one_line(reply: bytes, query: str) -> None:
    """Whatever bytes a store answers a query with: a result, or one RemoteError line."""
    import kg.rdf.remote as remote

    original = remote.request
    remote.request = lambda *args, **kwargs: ("application/sparql-results+json", reply)
    try:
        try:
            result = remote.remote_sparql(_ONTOLOGY, remote.Endpoint("http://127.0.0.1:9/q"), query)
        except remote.RemoteError as exc:
            assert "\n" not in str(exc)
            return
        if result.kind == "select":
            for row in result.rows:
                [result.show(value) for value in row]
    finally:
        remote.request = original


_ONTOLOGY = load_ontology(ONTOLOGY_FILE)
