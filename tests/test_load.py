"""kg.data.load: data folder -> typed records; YAML and shape problems, all reported in one run."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from conftest import FIXTURES, SEEDS, SOURCES_YAML, reported_problems, run_cli

from kg.data.dates import PartialDate
from kg.data.load import (
    DEFAULT_DATA,
    check,
    data_files,
    load,
    parse_data_file,
    read_data_file,
    read_folder,
)
from kg.data.model import Dataset, SourceRef, TextSpec
from kg.data.ontology import Ontology
from kg.errors import DataError, KgError, Problem
from kg.util.yamlsafe import Loc

GOOD = FIXTURES / "good-mini"
BAD = FIXTURES / "bad"






def rows(problems: list[Problem]) -> list[tuple[str, int, int, str]]:
    return [(p.loc.file, p.loc.line, p.loc.column, p.message) for p in problems]


# --- a valid folder ----------------------------------------------------------------------------


def test_load_good_mini(onto: Ontology, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(GOOD)
    data = load(GOOD, onto)
    assert isinstance(data, Dataset)
    assert data.ontology is onto
    assert sorted(data.sources) == ["fixture-digest", "fixture-report"]
    assert len(data.entities) == 8 and len(data.facts) == 11 and len(data.figures) == 2
    # Files are read in sorted path order, records in file order.
    assert list(data.entities)[:2] == ["openai", "sora-2"]
    assert data.facts[0].id == "openai--develops--sora-2--2025-09"
    assert data.facts[0].loc == Loc("openai.yaml", 22, 5)


def test_loaded_records_are_typed(onto: Ontology) -> None:
    data = load(GOOD, onto)
    facts = {f.id: f for f in data.facts}
    policy = facts["sora-app--has-policy--sora-opt-out-policy--2025-09-30"]
    assert policy.since == PartialDate(2025, 9, 30) and policy.until == PartialDate(2025, 10, 3)
    reaction = facts["disney--reacted-to--sora-app--2025-10-02"]
    assert reaction.qualifiers == {"amount": {"value": 1.5, "unit": "USD", "scale": "billion"},
                                   "region": "US"}
    claim = facts["kling--outperforms--sora-2"]
    assert (claim.kind, claim.claimed_by) == ("claim", "kuaishou")
    announced = facts["openai--announced--sora-2--2025-09-30"]
    assert [(r.source, r.locator) for r in announced.sources] == [
        ("fixture-report", "§1, para 3"), ("fixture-digest", "第1段")]
    assert all(isinstance(r, SourceRef) and r.loc.line > 0 for r in announced.sources)
    downloads, length = data.figures
    assert (downloads.id, downloads.value, downloads.scale, downloads.region) == (
        "sora-app--downloads--2025-10-01", 100, "thousand", ["US", "CA"])
    assert (length.id, length.value, length.range, length.since) == (
        "sora-2--video-length", None, (10, 20), None)
    openai = data.entities["openai"]
    assert openai.attributes == {"country": "US", "founded": PartialDate(2015, 12)}
    assert data.entities["disney"].roles == ["rights-holder"]
    assert data.entities["kling"].labels == {"en": "Kling", "zh-Hans": "可灵", "zh-Hant": "可靈"}
    assert data.entities["pokemon"].aliases == ["Pokémon", "Pocket Monsters"]
    digest = data.sources["fixture-digest"]
    assert (digest.date, digest.language, digest.published_in, digest.author) == (
        PartialDate(2025, 10, 5), "zh-Hans", "Test fixture, not published", "Fixture Author")
    report = data.sources["fixture-report"]
    assert report.text == TextSpec(file="fixture-report*.txt", paragraphs="lines")


def test_check_on_valid_data(onto: Ontology, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(GOOD)
    loaded, problems = check(GOOD, onto)
    assert problems == []
    assert loaded.files == ["openai.yaml", "rivals.yaml", "sources.yaml"]  # README.md is not data


def test_default_folder_is_seeds() -> None:
    assert DEFAULT_DATA == SEEDS


def test_data_files_sorted_recursive_skipping_hidden(tmp_path: Path) -> None:
    for name in ["b.yaml", "a/z.yml", "a/b/c.yaml", ".hidden/x.yaml", "notes.txt", "a/readme.md"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x: 1\n", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in data_files(tmp_path)] == [
        "a/b/c.yaml", "a/z.yml", "b.yaml"]


def test_ids_are_global_across_files_and_subfolders(write_data, onto: Ontology) -> None:
    folder = write_data({
        "sources.yaml": SOURCES_YAML,
        "org/openai.yaml": "entities:\n  - {id: openai, type: organization, labels: {en: OpenAI}}\n",
        "prod/sora.yml": "entities:\n  - {id: sora-2, type: model, labels: {en: Sora 2}}\n",
        "facts.yaml": "facts:\n  - {subject: openai, relation: develops, object: sora-2, kind: fact,"
                      " sources: [{source: src, locator: p1}]}\n",
    })
    data = load(folder, onto)
    assert sorted(data.entities) == ["openai", "sora-2"]


# --- folder-level errors -----------------------------------------------------------------------


def test_missing_data_folder(tmp_path: Path, onto: Ontology) -> None:
    with pytest.raises(KgError, match=r"^data folder not found: .*nowhere$"):
        load(tmp_path / "nowhere", onto)
    result = run_cli("validate", data=tmp_path / "nowhere")
    assert result.exit_code == 1
    assert result.stderr == f"error: data folder not found: {tmp_path / 'nowhere'}\n"


def test_data_path_is_a_file(tmp_path: Path, onto: Ontology) -> None:
    path = tmp_path / "data.yaml"
    path.write_text(SOURCES_YAML, encoding="utf-8")
    with pytest.raises(KgError, match=r"^not a folder: "):
        load(path, onto)


def test_folder_without_yaml(onto: Ontology, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    with pytest.raises(KgError) as info:
        load(BAD / "no-yaml", onto)
    assert str(info.value) == "no *.yaml or *.yml files in bad/no-yaml"
    assert not isinstance(info.value, DataError)
    result = run_cli("stats", data=BAD / "no-yaml")
    assert result.exit_code == 1
    assert result.stderr == "error: no *.yaml or *.yml files in bad/no-yaml\n"
    (tmp_path / "empty").mkdir()
    assert run_cli("validate", data=tmp_path / "empty").exit_code == 1


# --- YAML problems -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind, expected", [
    ("yaml-syntax", [
        ("a.yaml", 5, 1, "YAML syntax error: did not find expected ',' or '}'"),
        ("c.yaml", 4, 17, "YAML syntax error: mapping values are not allowed in this context"),
    ]),
    ("yaml-tags", [
        ("apply.yaml", 4, 13, "unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.getcwd'"),
        ("name.yaml", 3, 11, "unsupported YAML tag 'tag:yaml.org,2002:python/name:os.system'"),
        ("set.yaml", 1, 11, "unsupported YAML tag 'tag:yaml.org,2002:set'"),
    ]),
    ("anchors", [
        ("data.yaml", 7, 13, "YAML anchors and aliases are not supported"),
        ("merge.yaml", 3, 5, "YAML merge keys (<<) are not supported"),
    ]),
    ("billion-laughs", [("lol.yaml", 2, 8, "YAML anchors and aliases are not supported")]),
    ("duplicate-keys", [("data.yaml", 5, 5, "duplicate key 'type'")]),
    ("not-utf8", [("latin1.yaml", 4, 25, "not UTF-8: byte 0xe9 cannot be decoded")]),
    ("empty-file", [("comment.yaml", 1, 1, "the file is empty"),
                    ("empty.yaml", 1, 1, "the file is empty")]),
    ("tab-indent", [("data.yaml", 3, 1, "tab character in indentation")]),
])
def test_yaml_problems(kind: str, expected: list, onto: Ontology,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    assert rows(reported_problems(BAD / kind, onto, monkeypatch)) == expected


def test_yaml_problem_hints(onto: Ontology, monkeypatch: pytest.MonkeyPatch) -> None:
    hints = {p.message: p.hint for kind in ("duplicate-keys", "empty-file", "yaml-tags")
             for p in reported_problems(BAD / kind, onto, monkeypatch)}
    assert hints["duplicate key 'type'"] == "first given at line 3"
    assert hints["the file is empty"] == "give it at least one of: sources, entities, facts, figures"
    assert "never executed" in hints["unsupported YAML tag 'tag:yaml.org,2002:set'"]


def test_python_payload_in_data_is_never_run(write_data, onto: Ontology,
                                             monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    folder = write_data({
        "sources.yaml": SOURCES_YAML,
        "evil.yaml": f"entities: !!python/object/apply:os.system ['touch {marker}']\n",
        "evil2.yaml": f"facts:\n  - !!python/object/apply:builtins.open ['{marker}', 'w']\n",
    })
    assert rows(reported_problems(folder, onto, monkeypatch)) == [
        ("evil.yaml", 1, 11, "unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'"),
        ("evil2.yaml", 2, 5, "unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:builtins.open'"),
    ]
    assert not marker.exists()


def test_unreadable_file(write_data, onto: Ontology, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_data({"sources.yaml": SOURCES_YAML})
    locked = folder / "locked.yaml"
    if os.geteuid() == 0:
        # As root, chmod 000 does not stop reading; a dangling link cannot be read by anyone.
        # Problems name the file the link points to.
        locked.symlink_to(folder / "nowhere.yaml")
        expected = ("nowhere.yaml", 1, 1, "cannot read the file: No such file or directory")
    else:
        locked.write_text("entities: []\n", encoding="utf-8")
        locked.chmod(0)
        expected = ("locked.yaml", 1, 1, "cannot read the file: Permission denied")
    assert rows(reported_problems(folder, onto, monkeypatch)) == [expected]


# --- shape problems ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind, expected", [
    ("top-level", [
        ("list.yaml", 1, 1, "a data file must be a mapping, not a list", ""),
        ("not-a-list.yaml", 2, 3, "a data file: 'facts' must be a list, not a mapping", ""),
        ("scalar.yaml", 1, 1, "a data file must be a mapping, not a string", ""),
        ("unknown-section.yaml", 14, 1, "unknown key 'facs' in a data file", "did you mean 'facts'?"),
    ]),
    ("unknown-keys", [
        ("data.yaml", 5, 5, "unknown key 'aliasses' in entity", "did you mean 'aliases'?"),
        ("data.yaml", 9, 5, "unknown key 'colour' in entity",
         "allowed keys: aliases, attributes, description, id, labels, roles, type"),
        ("data.yaml", 15, 42, "unknown key 'page' in source reference",
         "allowed keys: locator, paragraph, phrase, source"),
        ("data.yaml", 16, 5, "unknown key 'sinse' in fact", "did you mean 'since'"),
        ("sources.yaml", 3, 5, "unknown key 'titel' in source", "did you mean 'title'?"),
    ]),
    ("missing-keys", [
        ("data.yaml", 8, 5, "entity is missing the required key 'type'", ""),
        ("data.yaml", 16, 5, "fact is missing the required key 'relation'", ""),
        ("data.yaml", 21, 5, "figure is missing the required key 'unit'", ""),
        ("sources.yaml", 8, 5, "source is missing the required key 'date'", ""),
    ]),
    ("wrong-types", [
        ("data.yaml", 8, 14, "entity: 'aliases' must be a list of non-empty strings, not a string", ""),
        ("data.yaml", 10, 11, "entity: 'type' must be a non-empty string, not a list", ""),
        ("data.yaml", 14, 13, "entity: 'labels' must be a mapping of strings to non-empty strings, "
                              "not a string", ""),
        ("data.yaml", 15, 5, "entity must be a mapping, not a string", ""),
        ("data.yaml", 21, 14, "fact: 'sources' must be a list, not a mapping", ""),
        ("data.yaml", 26, 12, "fact: 'since' 2025.5 is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)", ""),
        ("data.yaml", 27, 17, "fact: 'qualifiers' must be a mapping, not a list", ""),
        ("data.yaml", 32, 12, "figure: 'value' must be a number, not a string", ""),
        ("data.yaml", 39, 12, "figure: 'range' must be a list of two numbers [low, high]", ""),
        ("sources.yaml", 7, 11, "source: 'text' must be a mapping, not a string", ""),
    ]),
])
def test_shape_problems(kind: str, expected: list, onto: Ontology,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Each expected row: file, line, column, message, and text the hint must contain ('' = any)."""
    problems = reported_problems(BAD / kind, onto, monkeypatch)
    assert rows(problems) == [row[:4] for row in expected]
    for problem, row in zip(problems, expected, strict=True):
        assert row[4] in problem.hint, problem


def test_all_levels_of_problems_in_one_run(onto: Ontology, monkeypatch: pytest.MonkeyPatch) -> None:
    """A YAML error in one file does not hide shape problems in another, nor reference problems."""
    assert rows(reported_problems(BAD / "mixed", onto, monkeypatch)) == [
        ("a-broken.yaml", 5, 1, "YAML syntax error: did not find expected ',' or '}'"),
        ("b-shape.yaml", 5, 5, "unknown key 'founded' in entity"),
        ("c-refs.yaml", 2, 14, "fact 'sora-2--develops--openai': 'develops' does not take a model "
                               "('sora-2') as subject"),
        ("c-refs.yaml", 4, 13, "fact 'sora-2--develops--openai': 'develops' does not take an "
                               "organization ('openai') as object"),
        ("c-refs.yaml", 9, 13, "fact 'openai--develops--sora-3': unknown object entity 'sora-3'"),
        ("c-refs.yaml", 11, 24, "fact 'openai--develops--sora-3': unknown source 'srcc'"),
    ]


def test_read_folder_keeps_well_formed_records(onto: Ontology, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD / "wrong-types")
    loaded = read_folder(BAD / "wrong-types", onto)
    assert [e.id for e in loaded.entities] == ["alpha", "beta"]  # beta keeps its good fields
    assert loaded.entities[1].aliases == []
    assert [s.id for s in loaded.sources] == ["src", "src-2"]  # an optional field left out
    assert [f.id for f in loaded.figures] == ["beta--downloads"]
    assert loaded.figures[0].value is None


def test_data_error_message_counts_problems() -> None:
    loc = Loc("a.yaml", 1, 1)
    assert str(DataError([Problem(loc, "x")])) == "1 problem in the data"
    assert str(DataError([Problem(loc, "x"), Problem(loc, "y")])) == "2 problems in the data"
    assert str(Problem(loc, "bad", "fix it")) == "a.yaml:1:1: bad (hint: fix it)"
    assert str(Problem(loc, "bad")) == "a.yaml:1:1: bad"


# --- reading a file without positions --------------------------------------------------------


@pytest.mark.parametrize("path", [*sorted(SEEDS.glob("*.yaml")), *sorted(FIXTURES.glob("*/*.yaml")),
                                  *sorted(BAD.glob("*/*.yaml"))],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_reading_without_positions_gives_the_loaders_records(path: Path) -> None:
    data = path.read_bytes()
    fast, marked = read_data_file(data, path.name)
    exact = parse_data_file(data, path.name)
    assert fast.problems == exact.problems and fast.rejected == exact.rejected
    assert marked or not exact.problems  # a file with problems is always read with positions
    for section in ("sources", "entities", "facts", "figures"):
        for got, expected in zip(getattr(fast, section), getattr(exact, section), strict=True):
            # The same record; where it starts and where its citations stand, as the loader says.
            assert dataclasses.replace(got, field_locs={}) == dataclasses.replace(expected, field_locs={})
            # Each field is placed where the record starts (found exactly when a problem needs it).
            assert set(got.field_locs) == set(expected.field_locs)
