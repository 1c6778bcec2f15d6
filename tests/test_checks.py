"""kg.store.checks: the checks across records in SQL find every problem the checks in memory
find, on a new store, after each kind of edit, and with --full; existence dates as in memory."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, run_cli

from kg.data.load import check, load
from kg.store import open_store

sys.path.insert(0, str(REPO / "bench"))
from generate import generate  # noqa: E402

# Every broken fixture folder (no-yaml holds no data file: an error before any check).
BAD = sorted(p for p in (FIXTURES / "bad").iterdir() if p.is_dir() and any(p.glob("*.y*ml")))


def _shown(problems: list) -> list[str]:
    return [str(p) for p in problems]


def _store_problems(folder: Path, full: bool = False) -> list[str]:
    store = open_store(folder, require_valid=False, full=full)
    try:
        return _shown(store.result.problems)
    finally:
        store.close()


def _existence(folder: Path) -> tuple[dict, dict]:
    """Each entity's start of existence: as the store compiled it, and as the dataset says."""
    store = open_store(folder)
    stored = {i: (day, since) for i, day, since in store.conn.execute(
        "SELECT id, exists_from, exists_since FROM entities")}
    store.close()
    dataset = load(folder)
    expected = {}
    for entity_id in dataset.entities:
        start = dataset.exists_from(entity_id)
        expected[entity_id] = (start.start().isoformat(), str(start)) if start else (None, None)
    return stored, expected


@pytest.mark.parametrize("folder", BAD, ids=[p.name for p in BAD])
def test_a_new_store_reports_what_the_loader_reports(folder: Path, cache: Path) -> None:
    expected = _shown(check(folder)[1])
    assert expected  # every fixture here is broken somehow
    assert _store_problems(folder) == expected
    assert _store_problems(folder, full=True) == expected


@pytest.mark.parametrize("bad", sorted((FIXTURES / "bad").glob("*/*.yaml")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_adding_and_removing_a_broken_file(bad: Path, cache: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "good-mini", data)
    assert _store_problems(data) == []
    added = data / f"zz-{bad.name}"
    shutil.copyfile(bad, added)
    assert _store_problems(data) == _shown(check(data)[1])
    added.unlink()
    assert _store_problems(data) == []


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated") / "data"
    generate(5000, folder, seed=5)
    return folder


def _first_entity(text: str) -> tuple[str, str]:
    found = re.search(r"  - id: (\S+)\n    type: (\S+)", text)
    assert found is not None
    return found.group(1), found.group(2)


def _reversed_symmetric_fact(text: str) -> str:
    found = re.search(r"  - subject: (\S+)\n    relation: competes-with\n    object: (\S+)\n"
                      r"((?:    .*\n)*?)(?=\n|  - |\Z)", text)
    assert found is not None
    return (f"  - subject: {found.group(2)}\n    relation: competes-with\n"
            f"    object: {found.group(1)}\n{found.group(3)}")


def _rename_entity(text: str, other: str) -> str:
    entity_id, _type = _first_entity(text)
    return text.replace(f"  - id: {entity_id}\n", f"  - id: {entity_id}-gone\n", 1)


def _retype_entity(text: str, other: str) -> str:
    entity_id, type_id = _first_entity(text)
    return text.replace(f"  - id: {entity_id}\n    type: {type_id}",
                        f"  - id: {entity_id}\n    type: policy", 1)


def _borrow_label(text: str, other: str) -> str:
    label = re.search(r"labels: \{en: (\"[^\"]+\")", other)
    assert label is not None
    return re.sub(r"labels: \{en: (\"[^\"]+\")", f"labels: {{en: {label.group(1)}", text, count=1)


def _source_named_like_an_entity(text: str, other: str) -> str:
    return text.replace("id: source-0\n", f"id: {_first_entity(other)[0]}\n", 1)


# Edits of one file that break a rule across records (or only move dates), each as
# (the file: 0 the sources, 1 and 2 the first two parts; the edit of its text, given the other's).
EDITS: dict[str, tuple[int, Callable[[str, str], str]]] = {
    "an entity renamed": (1, _rename_entity),
    "an entity's type changed": (1, _retype_entity),
    "a subject named nowhere": (2, lambda t, o: re.sub(r"subject: (\S+)", r"subject: nobody-\1", t,
                                                       count=1)),
    "a symmetric fact stated both ways": (1, lambda t, o: t + _reversed_symmetric_fact(o)),
    "a label of another entity": (1, _borrow_label),
    "the facts of a file removed": (1, lambda t, o: t.split("facts:")[0]),
    "the entities of a file removed": (2, lambda t, o: "facts:" + t.split("facts:", 1)[1]),
    "an unknown source cited": (2, lambda t, o: t.replace("source: source-", "source: sourcx-", 1)),
    "a source renamed": (0, lambda t, o: t.replace("id: source-0\n", "id: source-00\n", 1)),
    "a source id that names an entity": (0, _source_named_like_an_entity),
    "dates moved earlier": (2, lambda t, o: t.replace("since: 20", "since: 19", 3)),
    "dates dropped": (2, lambda t, o: re.sub(r"    since: \S+\n", "", t, count=40)),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_an_edit_is_checked_as_the_loader_checks_it(name: str, generated: Path, cache: Path) -> None:
    files = [generated / "sources.yaml", *sorted(generated.glob("part-*.yaml"))[:2]]
    index, change = EDITS[name]
    target = files[index]
    original = target.read_text(encoding="utf-8")
    other = files[2 if index == 1 else 1].read_text(encoding="utf-8")
    assert _store_problems(generated) == []
    try:
        target.write_text(change(original, other), encoding="utf-8")
        expected = _shown(check(generated)[1])
        assert _store_problems(generated) == expected
        if not expected:
            stored, in_memory = _existence(generated)
            assert stored == in_memory
    finally:
        target.write_text(original, encoding="utf-8")
    assert _store_problems(generated) == []


def test_moving_an_entity_between_files_keeps_the_store_valid(generated: Path, cache: Path) -> None:
    first, second = sorted(generated.glob("part-*.yaml"))[:2]
    texts = {first: first.read_text(encoding="utf-8"), second: second.read_text(encoding="utf-8")}
    assert _store_problems(generated) == []
    block = re.search(r"  - id: \S+\n(?:    .*\n)+", texts[second].split("facts:")[0]).group(0)
    try:
        first.write_text(texts[first].replace("entities:\n", "entities:\n" + block, 1), encoding="utf-8")
        second.write_text(texts[second].replace(block, "", 1), encoding="utf-8")
        assert _store_problems(generated) == _shown(check(generated)[1]) == []
        stored, in_memory = _existence(generated)
        assert stored == in_memory
    finally:
        for path, text in texts.items():
            path.write_text(text, encoding="utf-8")


def test_an_edit_reads_one_file_and_checks_only_what_it_touches(generated: Path, cache: Path) -> None:
    open_store(generated).close()
    target = sorted(generated.glob("part-*.yaml"))[0]
    original = target.read_text(encoding="utf-8")
    try:
        target.write_text(original.replace('locator: "', 'locator: "edited ', 1), encoding="utf-8")
        store = open_store(generated)
        assert store.result.parsed == 1
        assert "exact" not in store.result.seconds  # nothing was found: no reading with positions
        assert "index" not in store.result.seconds  # the tables were not rebuilt
        store.close()
    finally:
        target.write_text(original, encoding="utf-8")


def test_existence_dates_equal_the_datasets_on_generated_data(generated: Path, cache: Path) -> None:
    stored, in_memory = _existence(generated)
    assert stored == in_memory


def test_kg_validate_full_checks_everything(cache: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "bad" / "orphan", data)
    expected = _shown(check(data)[1])
    for options in ([], ["--full"]):
        result = run_cli("validate", *options, data=data)
        assert result.exit_code == 1
        assert result.stderr.splitlines()[:-1] == expected
    good = run_cli("validate", "--full", data=FIXTURES / "good-mini")
    assert good.exit_code == 0 and good.stdout.startswith("valid:")


def _derived_columns(folder: Path) -> tuple[tuple, tuple]:
    """Existence (with its evidence) and the statements left out for their rank: as the store
    compiled them, and as the dataset in memory says."""
    from kg.data.ranks import outranked
    from kg.store.derive import existence_of

    store = open_store(folder)
    try:
        stored = ({i: (day, since, existence_of(since, evidence).to_json() if evidence else None)
                   for i, day, since, evidence in store.conn.execute(
                       "SELECT id, exists_from, exists_since, existence FROM entities")},
                  store.outranked_ids(),
                  {row[0] for row in store.conn.execute(
                      "SELECT id FROM facts WHERE derived=1 AND best=0")})
    finally:
        store.close()
    dataset = load(folder)
    existence = {}
    for entity_id in dataset.entities:
        found = dataset.existence(entity_id)
        existence[entity_id] = ((found.start.start().isoformat(), str(found.start), found.to_json())
                                if found.start else (None, None, None))
    hidden = outranked([*dataset.facts, *dataset.figures], dataset.ontology)
    hidden_references = {r.id for r in dataset.references
                         if r.derived_from is not None and r.derived_from.record in hidden}
    return stored, (existence, hidden, hidden_references)


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", folder)
    return folder


# Edits of the shipped data: (file, old text, new text).
SEED_EDITS: dict[str, tuple[str, str, str]] = {
    "a web citation without its key phrase": (
        "rights-holders.yaml", ', paragraph: 8, phrase: "Disney, has already opted out"}',
        ", paragraph: 8}"),
    "a web page cited at a section, not a paragraph": (
        "rights-holders.yaml", ', paragraph: 8, phrase: "Disney, has already opted out"}',
        ', locator: "§1", phrase: "Disney, has already opted out"}'),
    "every web page an aggregator": ("web-sources.yaml", "kind: news\n", "kind: aggregator\n"),
    "a source no longer a web page": ("web-sources.yaml", "    kind: aggregator\n", ""),
    "the preferred statement made normal": ("rights-holders.yaml", "    rank: preferred\n", ""),
    "the deprecated statement made normal": (
        "rights-holders.yaml", "    rank: deprecated\n    rank_reason: disputed\n", ""),
    "a statement preferred": ("openai.yaml", "    rank: deprecated\n", "    rank: preferred\n"),
    "a label the evidence of others' starts quotes": (
        "openai.yaml", "labels: {en: OpenAI}", "labels: {en: OpenAI Inc.}"),
    "a founded date removed": ("openai.yaml", "{country: US, founded: 2015-12}", "{country: US}"),
    "a statement deprecated again made preferred": (
        "openai.yaml", "    rank: deprecated\n    rank_reason: disputed\n", "    rank: preferred\n"),
}


@pytest.mark.parametrize("name", list(SEED_EDITS))
def test_an_edit_of_the_shipped_data_is_checked_and_derived_as_in_memory(
        name: str, seeds: Path, cache: Path) -> None:
    file, old, new = SEED_EDITS[name]
    target = seeds / file
    original = target.read_text(encoding="utf-8")
    assert old in original
    assert _store_problems(seeds) == []
    target.write_text(original.replace(old, new), encoding="utf-8")
    expected = _shown(check(seeds)[1])
    assert _store_problems(seeds) == expected
    assert _store_problems(seeds, full=True) == expected
    if not expected:
        stored, in_memory = _derived_columns(seeds)
        assert stored == in_memory
    target.write_text(original, encoding="utf-8")
    assert _store_problems(seeds) == []
    stored, in_memory = _derived_columns(seeds)
    assert stored == in_memory


def test_derived_columns_equal_the_datasets_on_the_shipped_and_generated_data(
        seeds: Path, generated: Path, cache: Path) -> None:
    for folder in (seeds, generated):
        stored, in_memory = _derived_columns(folder)
        assert stored == in_memory
