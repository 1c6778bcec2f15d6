"""kg.curation.layout: sections and records of a data file, adding records, the canonical layout."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, SEEDS, run_cli

from kg.curation.layout import (
    LayoutError,
    add_records,
    format_files,
    format_text,
    parse_layout,
    replace_record,
)
from kg.util.yamlsafe import parse

SEED_FILES = sorted(SEEDS.glob("*.yaml"))


def shuffled(text: str, seed: int = 7) -> str:
    """The text with the top-level keys of every block record in a random order."""
    rnd = random.Random(seed)
    lines = text.splitlines()
    out: list[str] = []
    index = 0
    while index < len(lines):
        if not lines[index].startswith("  - "):
            out.append(lines[index])
            index += 1
            continue
        end = index + 1
        while end < len(lines) and lines[end].startswith("    "):
            end += 1
        record = ["    " + lines[index][4:], *lines[index + 1:end]]
        blocks: list[list[str]] = []
        for line in record:
            if re.match(r"^    [a-z_]+:", line):
                blocks.append([line])
            else:
                blocks[-1].append(line)
        original = [b[0] for b in blocks]
        while len(blocks) > 1 and [b[0] for b in blocks] == original:
            rnd.shuffle(blocks)
        flat = [line for block in blocks for line in block]
        out.extend(["  - " + flat[0][4:], *flat[1:]])
        index = end
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("path", SEED_FILES, ids=[p.name for p in SEED_FILES])
def test_the_shipped_files_are_in_the_canonical_layout(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert format_text(text, path.name) == text


@pytest.mark.parametrize("path", SEED_FILES, ids=[p.name for p in SEED_FILES])
def test_shuffled_keys_are_put_back_in_spec_order(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    mixed = shuffled(text)
    assert mixed != text
    assert parse(mixed, "x") == parse(text, "x")
    assert format_text(mixed, path.name) == text


def test_blank_lines_between_records_and_sections() -> None:
    text = ("# Header comment\n\n\n"
            "entities:\n"
            "  - id: a\n    type: product\n"
            "  - id: b\n    type: product\n\n\n\n"
            "  # a heading for what follows\n\n\n"
            "  - id: c\n    type: product\n"
            "facts:\n  - subject: a\n    relation: uses\n    object: b\n")
    assert format_text(text, "f.yaml") == (
        "# Header comment\n\n"
        "entities:\n"
        "  - id: a\n    type: product\n\n"
        "  - id: b\n    type: product\n\n"
        "  # a heading for what follows\n\n"
        "  - id: c\n    type: product\n\n"
        "facts:\n  - subject: a\n    relation: uses\n    object: b\n")


def test_sections_in_canonical_order_with_their_comments() -> None:
    text = ("figures:\n  - entity: a\n    metric: price\n\n"
            "# The entities.\n"
            "entities:\n  - id: a  # trailing comment\n    type: product\n"
            "# closing comment\n")
    assert format_text(text, "f.yaml") == (
        "# The entities.\n"
        "entities:\n  - id: a  # trailing comment\n    type: product\n\n"
        "figures:\n  - entity: a\n    metric: price\n\n"
        "# closing comment\n")


def test_key_order_keeps_comments_with_their_keys() -> None:
    text = ("facts:\n"
            "  - sources:\n      - {source: s, locator: \"§1, para 1\"}\n"
            "    # what the fact says\n"
            "    subject: a  # the maker\n"
            "    object: b\n"
            "    relation: develops\n"
            "    kind: fact\n")
    assert format_text(text, "f.yaml") == (
        "facts:\n"
        "  # what the fact says\n"
        "  - subject: a  # the maker\n"
        "    relation: develops\n"
        "    object: b\n"
        "    kind: fact\n"
        "    sources:\n      - {source: s, locator: \"§1, para 1\"}\n")


def test_quoting_titles_locators_and_single_quotes() -> None:
    text = ("sources:\n  - id: s\n    title: Plain title\n    publisher: 'It''s Press'\n"
            "facts:\n  - subject: a\n    sources:\n      - {source: s, locator: para 1}\n"
            "      - {source: s, locator: 'para 2'}\n")
    out = format_text(text, "f.yaml")
    assert 'title: "Plain title"' in out
    assert "publisher: \"It's Press\"" in out
    assert '{source: s, locator: "para 1"}' in out
    assert '{source: s, locator: "para 2"}' in out
    assert parse(out, "f") == parse(text, "f")
    assert format_text(out, "f.yaml") == out


def test_flow_records_and_unknown_keys_are_left_alone() -> None:
    text = "entities:\n  - {type: product, id: a}\n\n  - zeta: 1\n    id: b\n    type: product\n"
    assert format_text(text, "f.yaml") == (
        "entities:\n  - {type: product, id: a}\n\n  - id: b\n    type: product\n    zeta: 1\n")


def test_a_layout_that_would_change_the_data_is_refused() -> None:
    # A "keep" block scalar owns the blank lines after it: collapsing them would change it.
    text = "entities:\n  - id: a\n    description: >+\n      text\n\n\n\n  - id: b\n"
    with pytest.raises(LayoutError, match="without changing its data"):
        format_text(text, "f.yaml")


def test_unparsable_files_are_layout_errors() -> None:
    with pytest.raises(LayoutError, match=r"f.yaml:3:1: YAML syntax error"):
        format_text("entities:\n  - {id: a\n", "f.yaml")
    with pytest.raises(LayoutError, match="mapping of sections"):
        format_text("- a\n", "f.yaml")


def test_an_empty_file_stays_as_it_is() -> None:
    assert format_text("# nothing yet\n", "f.yaml") == "# nothing yet\n"


@pytest.mark.parametrize("folder", ["good-mini", "query-small", "rdf-small", "html-mini"])
def test_valid_fixtures_keep_their_data(folder: str) -> None:
    paths = sorted((FIXTURES / folder).glob("*.yaml"))
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8")
        out = format_text(text, path.name)
        assert parse(out, "x") == parse(text, "x")
        assert format_text(out, path.name) == out


# --- adding and replacing records ---------------------------------------------------------


def test_add_records_after_the_last_record_of_the_section() -> None:
    text = ("# c\n\nentities:\n  - id: a\n    type: product\n\n"
            "facts:\n  - subject: a\n    relation: uses\n    object: a\n")
    new, starts = add_records(text, "f.yaml", "entities", [["  - id: b", "    type: model"]])
    assert new == ("# c\n\nentities:\n  - id: a\n    type: product\n\n  - id: b\n    type: model\n\n"
                   "facts:\n  - subject: a\n    relation: uses\n    object: a\n")
    assert starts == [7]
    assert new.splitlines()[starts[0] - 1] == "  - id: b"


def test_add_records_creates_a_missing_section_in_canonical_order() -> None:
    text = "# c\n\nsources:\n  - id: s\n\n# The facts.\nfacts:\n  - subject: a\n"
    new, starts = add_records(text, "f.yaml", "entities", [["  - id: b"], ["  - id: c"]])
    assert new == ("# c\n\nsources:\n  - id: s\n\nentities:\n  - id: b\n\n  - id: c\n\n"
                   "# The facts.\nfacts:\n  - subject: a\n")
    assert starts == [7, 9]
    new, starts = add_records("sources:\n  - id: s\n", "f.yaml", "figures", [["  - entity: b"]])
    assert new == "sources:\n  - id: s\n\nfigures:\n  - entity: b\n"
    assert starts == [5]
    new, starts = add_records("", "f.yaml", "facts", [["  - subject: b"]])
    assert (new, starts) == ("facts:\n  - subject: b\n", [2])


def test_add_records_to_an_empty_section() -> None:
    new, starts = add_records("facts: []\nfigures:\n", "f.yaml", "facts", [["  - subject: b"]])
    assert new == "facts:\n  - subject: b\nfigures:\n"
    assert starts == [2]


def test_add_records_refuses_a_flow_section() -> None:
    with pytest.raises(LayoutError, match="not a block list"):
        add_records("facts: [{subject: a}]\n", "f.yaml", "facts", [["  - subject: b"]])


def test_replace_record() -> None:
    text = "entities:\n  - id: a\n    type: product\n\n  - id: b\n    type: model\n"
    assert replace_record(text, "f.yaml", "entities", 1, ["  - id: b", "    type: app"]) == (
        "entities:\n  - id: a\n    type: product\n\n  - id: b\n    type: app\n")
    with pytest.raises(LayoutError):
        replace_record(text, "f.yaml", "entities", 5, [])


def test_parse_layout_finds_records_and_their_indentation() -> None:
    layout = parse_layout("entities:\n- id: a\n  type: product\n# note\n- id: b\n", "f.yaml")
    section = layout.section("entities")
    assert section is not None
    assert [(r.start, r.end, r.dash_column) for r in section.records] == [(1, 3, 0), (4, 5, 0)]


# --- kg fmt -------------------------------------------------------------------------------


def copy_of_seeds(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def test_fmt_check_passes_on_the_shipped_data() -> None:
    result = run_cli("fmt", "--check")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_fmt_check_fails_on_a_shuffled_copy_and_fmt_restores_it(tmp_path: Path) -> None:
    data = copy_of_seeds(tmp_path)
    originals = {p.name: p.read_bytes() for p in data.glob("*.yaml")}
    for name in ("kuaishou.yaml", "sources.yaml"):
        path = data / name
        path.write_text(shuffled(path.read_text(encoding="utf-8")), encoding="utf-8")
    mixed = {p.name: p.read_bytes() for p in data.glob("*.yaml")}
    result = run_cli("fmt", "--check", data=data)
    assert result.exit_code == 1
    assert sorted(Path(line.split()[-1]).name for line in result.stdout.splitlines()) == [
        "kuaishou.yaml", "sources.yaml"]
    assert all(line.startswith("would reformat ") for line in result.stdout.splitlines())
    assert {p.name: p.read_bytes() for p in data.glob("*.yaml")} == mixed  # --check writes nothing
    result = run_cli("fmt", data=data)
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2
    assert {p.name: p.read_bytes() for p in data.glob("*.yaml")} == originals
    assert run_cli("fmt", "--check", data=data).exit_code == 0


def test_fmt_names_files_it_cannot_lay_out(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.yaml").write_text("entities:\n  - {id: a\n", encoding="utf-8")
    (data / "b.yaml").write_bytes(b"entities:\n  - id: \xe9\n")
    result = run_cli("fmt", "--check", data=data)
    assert result.exit_code == 1
    assert "a.yaml:3:1: YAML syntax error" in result.stderr
    assert "b.yaml: not UTF-8" in result.stderr
    assert "Traceback" not in result.output


def test_fmt_given_files(tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text("entities:\n  - type: product\n    id: a\n", encoding="utf-8")
    result = run_cli("fmt", str(path))
    assert result.exit_code == 0
    assert result.stdout.startswith("reformatted ")
    assert path.read_text(encoding="utf-8") == "entities:\n  - id: a\n    type: product\n"


def test_format_files_reports_unreadable_files(tmp_path: Path) -> None:
    changed, problems = format_files(None, [tmp_path / "missing.yaml"], write=False)
    assert changed == [] and problems[0].endswith("cannot read the file: No such file or directory")
