"""kg.util.yamlsafe: safe YAML with positions; dangerous or ambiguous YAML is refused."""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import pytest

from kg.util.yamlsafe import (
    MAX_DEPTH,
    Loc,
    MarkedList,
    MarkedMap,
    NeedsMarks,
    YamlError,
    parse,
    parse_bytes_plain,
    parse_plain,
    read_file,
)


def error_of(text: str) -> YamlError:
    with pytest.raises(YamlError) as info:
        parse(text, "f.yaml")
    return info.value


def file_error(path: Path) -> YamlError:
    with pytest.raises(YamlError) as info:
        read_file(path, path.name)
    return info.value


# --- what is accepted, and where it stands ---------------------------------------------------


def test_plain_values_and_their_positions() -> None:
    tree = parse("a: 1\nb:\n  - x\n  - {c: 2025-10, d: true, e: null, f: 1.5, g: '07'}\n", "f.yaml")
    assert tree == {"a": 1, "b": ["x", {"c": "2025-10", "d": True, "e": None, "f": 1.5, "g": "07"}]}
    assert isinstance(tree, MarkedMap) and isinstance(tree["b"], MarkedList)
    assert tree.loc == Loc("f.yaml", 1, 1)
    assert tree.key_locs["b"] == Loc("f.yaml", 2, 1)
    assert tree.loc_of("a") == Loc("f.yaml", 1, 4)  # where the value stands
    assert tree["b"].item_locs == [Loc("f.yaml", 3, 5), Loc("f.yaml", 4, 5)]
    assert tree["b"][1].loc_of("d") == Loc("f.yaml", 4, 21)
    assert tree["b"][1].key_locs["d"] == Loc("f.yaml", 4, 18)
    assert tree.loc_of("missing") == tree.loc
    assert tree["b"].loc_of(99) == tree["b"].loc


def test_dates_stay_strings() -> None:
    assert parse("a: 2025-10-01\nb: 2025-10\nc: !!timestamp 2025-10-02\n", "f.yaml") == {
        "a": "2025-10-01", "b": "2025-10", "c": "2025-10-02"}


def test_loc_prints_as_file_line_column() -> None:
    assert str(Loc("seeds/x.yaml", 3, 7)) == "seeds/x.yaml:3:7"
    assert sorted([Loc("b", 1, 1), Loc("a", 2, 1), Loc("a", 1, 9)]) == [
        Loc("a", 1, 9), Loc("a", 2, 1), Loc("b", 1, 1)]


def test_empty_document_is_none() -> None:
    assert parse("", "f.yaml") is None
    assert parse("# only a comment\n", "f.yaml") is None


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffa: 可灵\n".encode())
    assert read_file(path, "bom.yaml") == {"a": "可灵"}


# --- dangerous YAML ----------------------------------------------------------------------------


@pytest.mark.parametrize("payload", [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/apply:builtins.open ['{marker}', 'w']",
    "!!python/object/new:builtins.open ['{marker}', 'w']",
])
def test_python_tags_are_refused_and_never_run(tmp_path: Path, payload: str) -> None:
    marker = tmp_path / "executed"
    path = tmp_path / "evil.yaml"
    path.write_text("entities:\n  - labels: " + payload.format(marker=marker) + "\n", encoding="utf-8")
    exc = file_error(path)
    assert exc.loc == Loc("evil.yaml", 2, 13)
    assert exc.message.startswith("unsupported YAML tag 'tag:yaml.org,2002:python/object/")
    assert "never executed" in exc.hint
    assert not marker.exists()


def test_python_name_tag_is_refused() -> None:
    exc = error_of("a: 1\nb: !!python/name:os.system\n")
    assert (exc.loc, exc.message) == (
        Loc("f.yaml", 2, 4), "unsupported YAML tag 'tag:yaml.org,2002:python/name:os.system'")


@pytest.mark.parametrize("text, tag", [
    ("a: !!set {x, y}\n", "tag:yaml.org,2002:set"),
    ("a: !!binary aGVsbG8=\n", "tag:yaml.org,2002:binary"),
    ("a: !!omap [{x: 1}]\n", "tag:yaml.org,2002:omap"),
    ("a: !custom value\n", "!custom"),
])
def test_other_tags_are_refused(text: str, tag: str) -> None:
    exc = error_of(text)
    assert (exc.loc, exc.message) == (Loc("f.yaml", 1, 4), f"unsupported YAML tag {tag!r}")


def test_alias_is_refused_at_the_alias() -> None:
    exc = error_of("a: &x [1, 2]\nb: 3\nc: *x\n")
    assert exc.loc == Loc("f.yaml", 3, 4)
    assert exc.message == "YAML anchors and aliases are not supported"
    assert exc.hint == "write the value out where it is used"


def test_merge_key_is_refused() -> None:
    exc = error_of("a:\n  x: 1\nb:\n  <<: {y: 2}\n")
    assert (exc.loc, exc.message) == (Loc("f.yaml", 4, 3), "YAML merge keys (<<) are not supported")


def billion_laughs(levels: int) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_rejected_without_expanding() -> None:
    text = billion_laughs(12)  # 10**13 strings if it were expanded
    tracemalloc.start()
    try:
        exc = error_of(text)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert exc.message == "YAML anchors and aliases are not supported"
    assert exc.loc == Loc("f.yaml", 2, 10)  # the first alias
    assert peak < 20_000_000


def test_duplicate_key_points_at_the_second_and_names_the_first() -> None:
    exc = error_of("a: 1\nb: 2\na: 3\n")
    assert (exc.loc, exc.message, exc.hint) == (
        Loc("f.yaml", 3, 1), "duplicate key 'a'", "first given at line 1")


def test_duplicate_key_in_nested_mapping() -> None:
    exc = error_of("entities:\n  - id: x\n    type: model\n    type: app\n")
    assert (exc.loc, exc.message) == (Loc("f.yaml", 4, 5), "duplicate key 'type'")


def test_complex_key_is_refused() -> None:
    exc = error_of("? [1, 2]\n: 3\n")
    assert (exc.loc, exc.message) == (Loc("f.yaml", 1, 3), "a mapping key must be a plain value")


def test_nesting_too_deep() -> None:
    depth = MAX_DEPTH + 5
    exc = error_of("a: " + "[" * depth + "]" * depth + "\n")
    assert exc.message == f"nesting deeper than {MAX_DEPTH} levels"
    assert exc.loc.line == 1


# --- malformed files ---------------------------------------------------------------------------


@pytest.mark.parametrize("text, loc, problem", [
    ("a: [1, 2\nb: 3\n", (2, 2), "did not find expected ',' or ']'"),
    ("a: b: c\n", (1, 5), "mapping values are not allowed in this context"),
    ("a: 'open\n", (2, 1), "found unexpected end of stream"),
    ("a: 1\n---\nb: 2\n", (2, 1), "but found another document"),
])
def test_syntax_error_location(text: str, loc: tuple[int, int], problem: str) -> None:
    exc = error_of(text)
    assert (exc.loc.line, exc.loc.column) == loc
    assert exc.message == f"YAML syntax error: {problem}"


def test_not_utf8_gives_line_and_column_of_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    exc = file_error(path)
    assert (exc.loc, exc.message, exc.hint) == (
        Loc("latin1.yaml", 2, 7), "not UTF-8: byte 0xe9 cannot be decoded", "save the file as UTF-8")


def test_not_utf8_column_counts_characters_not_bytes(tmp_path: Path) -> None:
    path = tmp_path / "mixed.yaml"
    path.write_bytes("a: 可灵".encode() + b"\xff\n")
    assert file_error(path).loc == Loc("mixed.yaml", 1, 6)


def test_tab_indentation(tmp_path: Path) -> None:
    path = tmp_path / "tabs.yaml"
    path.write_text("entities:\n  - id: x\n  \ttype: model\n", encoding="utf-8")
    exc = file_error(path)
    assert (exc.loc, exc.message, exc.hint) == (
        Loc("tabs.yaml", 3, 3), "tab character in indentation", "YAML is indented with spaces only")


def test_tab_inside_a_value_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("a: 'x\ty'\n", encoding="utf-8")
    assert read_file(path, "ok.yaml") == {"a": "x\ty"}


def test_empty_file_reads_as_none(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_bytes(b"")
    assert read_file(path, "empty.yaml") is None


def test_oversized_file(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 100 + "\n", encoding="utf-8")
    with pytest.raises(YamlError) as info:
        read_file(path, "big.yaml", max_bytes=50)
    assert (info.value.loc, info.value.message) == (Loc("big.yaml", 1, 1), "file larger than 50 bytes")


def test_missing_file(tmp_path: Path) -> None:
    exc = file_error(tmp_path / "gone.yaml")
    assert (exc.loc, exc.message) == (
        Loc("gone.yaml", 1, 1), "cannot read the file: No such file or directory")


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.yaml"
    if os.geteuid() == 0:
        # chmod does not stop root from reading; a dangling symlink is unreadable for anyone.
        path.symlink_to(tmp_path / "nowhere.yaml")
        expected = "cannot read the file: No such file or directory"
    else:
        path.write_text("a: 1\n", encoding="utf-8")
        path.chmod(0)
        expected = "cannot read the file: Permission denied"
    exc = file_error(path)
    assert (exc.loc, exc.message) == (Loc("locked.yaml", 1, 1), expected)


# -- hostile files (issue: hardening) --------------------------------------------------------

@pytest.mark.parametrize(("text", "message"), [
    ("a: !!float x\n", "'x' is not a valid float"),
    ("a: !!int 3a\n", "'3a' is not a valid int"),
    ("a: !!bool maybe\n", "'maybe' is not a valid bool"),
    ('a: !!int ""\n', "'' is not a valid int"),
])
def test_core_tag_with_a_bad_value_is_an_error_at_its_place(text: str, message: str) -> None:
    with pytest.raises(YamlError) as info:
        parse(text, "f.yaml")
    assert (info.value.loc, info.value.message) == (Loc("f.yaml", 1, 4), message)


def test_integer_longer_than_python_converts_is_an_error() -> None:
    with pytest.raises(YamlError) as info:
        parse("a: " + "7" * 5000 + "\n", "f.yaml")
    assert info.value.loc == Loc("f.yaml", 1, 4)
    assert info.value.message.endswith("is not a valid int (more than 4300 digits)")
    assert info.value.hint == "quote it to make it a string"


@pytest.mark.parametrize(("text", "loc", "char"), [
    ("a: b\x01c\n", (1, 5), "U+0001"),
    ("a: 可灵\nb: é\x02\n", (2, 5), "U+0002"),  # columns count characters, not bytes
    ("a: ok\nb: x\x7f\n", (2, 5), "U+007F"),
])
def test_character_yaml_refuses_is_one_line_at_its_place(text: str, loc: tuple[int, int],
                                                          char: str) -> None:
    with pytest.raises(YamlError) as info:
        parse(text, "f.yaml")
    assert info.value.loc == Loc("f.yaml", *loc)
    assert info.value.message.startswith(f"YAML does not allow the character {char}")
    assert "\n" not in info.value.message + info.value.hint


@pytest.mark.parametrize("escape", ["\\0", "\\x01", "\\x0b", "\\x1f", "\\uFFFE", "\\uFFFF", "\\x08"])
def test_text_xml_cannot_carry_is_refused_at_its_place(escape: str) -> None:
    with pytest.raises(YamlError) as info:
        parse(f'a: ok\nb: "x{escape}y"\n', "f.yaml")
    assert info.value.loc == Loc("f.yaml", 2, 4)
    assert "which the export formats cannot carry" in info.value.message


@pytest.mark.parametrize("escape", ["\\t", "\\r", "\\n", "\\x85", "\\u2028", "\\u2029", "\\x7f",
                                    "\\uFFFD", "\\U0001F600"])
def test_text_xml_can_carry_is_kept(escape: str) -> None:
    value = parse(f'a: "x{escape}y"\n', "f.yaml")["a"]
    assert len(value) == 3 and value[0] == "x" and value[2] == "y"


def test_a_fifo_named_yaml_is_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    exc = file_error(path)  # would block forever if it were opened for reading
    assert (exc.loc, exc.message) == (Loc("pipe.yaml", 1, 1), "not a regular file (a FIFO)")


def test_a_symlink_to_dev_zero_is_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "zero.yaml"
    path.symlink_to("/dev/zero")
    exc = file_error(path)  # would fill memory if it were read
    assert (exc.loc, exc.message) == (Loc("zero.yaml", 1, 1), "not a regular file (a device)")


# --- reading without positions: the same values, or a hand-over to ``parse`` ---------------


def _plain(value: object) -> object:
    """A parse result as plain values (the marked containers are dicts and lists)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@pytest.mark.parametrize("text", [
    "a: 1\nb:\n  - x\n  - {c: 2025-10, d: true, e: null, f: 1.5, g: '07', h: 0x1F, i: -.inf}\n",
    "country: NO\non: off\nyes: [y, n]\n1: one\n~: nothing\ntrue: key\n",
    'quoted: "tab\\there, \\u00e9t\\u00e9"\nfolded: >\n  two\n  lines\n',
    "- - - deep\n    - x\n",
    "",
])
def test_reading_without_positions_gives_the_same_values(text: str) -> None:
    plain = parse_plain(text)
    assert plain == _plain(parse(text, "f.yaml"))
    assert type(plain) is not MarkedMap


def test_a_mapping_read_without_positions_knows_its_start_and_its_source() -> None:
    tree = parse_plain("facts:\n  - subject: a\n    sources: [{source: s1, locator: p}]\n")
    fact = tree["facts"][0]
    assert (fact.line, fact.column) == (2, 5)
    marked = parse("facts:\n  - subject: a\n    sources: [{source: s1, locator: p}]\n", "f.yaml")
    at = marked["facts"][0]["sources"][0].value_locs["source"]
    assert fact["sources"][0].source_at == (at.line, at.column)


@pytest.mark.parametrize("text", [
    "a: [1\n",                                    # a syntax error
    "a: &x 1\nb: *x\n",                           # an alias
    "a: !!python/object:os.system x\n",           # a tag
    "a: !custom x\n",
    "a: !!timestamp 2025-10-01\n",                # kept as text, but only by the reader with positions
    "a: 1\na: 2\n",                               # a duplicate key
    "<<: {a: 1}\n",                               # a merge key
    "? [a]\n: 1\n",                               # a key that is no plain value
    'a: "\\x01"\n',                               # a character no export can carry
    "a: =\n",                                     # the value tag
    "a: " + "1" * 4400 + "\n",                   # an integer Python will not convert
    "a:" + " [" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2) + "\n",
])
def test_whatever_the_reader_with_positions_reports_is_handed_to_it(text: str) -> None:
    with pytest.raises(NeedsMarks):
        parse_plain(text)


@pytest.mark.parametrize("data", [b"a: \xff\n", b"a:\n\t- x\n", b"a: \x07\n"])
def test_bytes_it_cannot_read_are_handed_over_too(data: bytes) -> None:
    with pytest.raises(NeedsMarks):
        parse_bytes_plain(data)
