"""The text layout of a data file: where sections and records stand, adding
records to a file, and the canonical layout that ``kg fmt`` writes.

Everything here works on lines, with the positions the safe parser reports,
so that whatever is not changed stays byte for byte as it was: comments,
quoting, folded text. The canonical layout of a file:

- the top-level sections in the order ``sources``, ``entities``, ``facts``,
  ``figures`` (other keys after them), one blank line between them;
- one blank line between two records; a comment between records keeps
  the blank line below it, if it has one (a heading for a group of records)
  or stands right above the record after it;
- the keys of each record in the order of its record spec
  (``kg.data.records.SPECS``);
- source titles, locators and key phrases in double quotes, and no single-quoted strings
  (they become double-quoted).

Records that are not block mappings (``- {id: x, …}``) are left as they are.
Every result is parsed back and compared with the original data, so a
layout change can never change a value.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.data.load import SECTIONS, SPECS
from kg.errors import KgError
from kg.util.yamlsafe import MarkedList, MarkedMap, YamlError, parse_bytes

__all__ = [
    "add_records", "double_quoted", "format_files", "format_text", "Layout", "LayoutError", "parse_layout",
    "QUOTED_FIELDS", "record_indent", "RecordSpan", "replace_record", "SectionSpan", "string_scalars"
]

# Fields whose strings are always double-quoted (they often hold ``:``, ``#`` or ``,``).
QUOTED_FIELDS = {"title", "locator", "phrase"}


class LayoutError(KgError):
    """A file whose layout cannot be changed safely."""


@dataclass
class RecordSpan:
    """One record of a section: lines [start, end), 0-based; ``end`` excludes
    the blank and comment lines that follow it."""

    start: int
    end: int
    node: Any
    dash_column: int  # 0-based column of its "- "


@dataclass
class SectionSpan:
    name: str
    key_line: int  # the line of ``name:``
    lead: int  # the first of the comment lines right above that line
    end: int  # exclusive, trailing blank and comment lines excluded
    block: bool  # a block sequence (or empty), so records can be added
    records: list[RecordSpan] = field(default_factory=list)


@dataclass
class Layout:
    """A data file cut into its parts."""

    lines: list[str]
    header_end: int  # lines [0, header_end) come before the first section
    sections: list[SectionSpan]
    tree: Any

    def section(self, name: str) -> SectionSpan | None:
        return next((s for s in self.sections if s.name == name), None)


def _is_filler(line: str, deeper_than: int) -> bool:
    """A blank line, or a comment line indented no deeper than ``deeper_than``."""
    stripped = line.strip()
    if not stripped:
        return True
    return stripped.startswith("#") and len(line) - len(line.lstrip(" ")) <= deeper_than


def _trim(lines: list[str], start: int, end: int, deeper_than: int) -> int:
    """``end`` moved up past trailing blank lines and shallow comments."""
    while end > start and _is_filler(lines[end - 1], deeper_than):
        end -= 1
    return end


def parse_layout(text: str, display: str) -> Layout:
    """Cut a data file into header, sections and records; raises LayoutError."""
    try:
        tree = parse_bytes(text.encode("utf-8"), display)
    except YamlError as exc:
        raise LayoutError(f"{exc.loc}: {exc.message}") from None
    lines = text.splitlines()
    if tree is None:
        return Layout(lines, len(lines), [], tree)
    if not isinstance(tree, MarkedMap):
        raise LayoutError(f"{display}: a data file must be a mapping of sections")
    keys = sorted(tree, key=lambda k: tree.key_locs[k].line)
    sections: list[SectionSpan] = []
    for name in keys:
        if tree.key_locs[name].column != 1:
            raise LayoutError(f"{tree.key_locs[name]}: a section key must start its line")
        sections.append(SectionSpan(name, tree.key_locs[name].line - 1, 0, 0, False))
    for index, section in enumerate(sections):
        limit = sections[index + 1].key_line if index + 1 < len(sections) else len(lines)
        # Blank lines and unindented comments after a section belong to what follows it.
        section.end = max(_trim(lines, section.key_line + 1, limit, 0), section.key_line + 1)
        section.lead = sections[index - 1].end if index else section.key_line
        value = tree[section.name]
        rest = lines[section.key_line].split(":", 1)[1].split("#", 1)[0].strip()
        section.block = (rest == "" and (value is None or isinstance(value, MarkedList))
                         or rest in ("[]", "~", "null") and not value)
        if isinstance(value, MarkedList) and section.block:
            section.records = _records(lines, value, section.end)
    header_end = sections[0].key_line if sections else len(lines)
    return Layout(lines, header_end, sections, tree)


def _records(lines: list[str], items: MarkedList, section_end: int) -> list[RecordSpan]:
    spans: list[RecordSpan] = []
    starts = []
    for index in range(len(items)):
        line = items.item_locs[index].line - 1
        # The node starts at its first key; the dash may stand alone on a line above.
        while line > 0 and not lines[line].lstrip().startswith("-"):
            line -= 1
        starts.append(line)
    for index, node in enumerate(items):
        start = starts[index]
        dash = len(lines[start]) - len(lines[start].lstrip(" "))
        limit = starts[index + 1] if index + 1 < len(starts) else section_end
        spans.append(RecordSpan(start, _trim(lines, start + 1, limit, dash), node, dash))
    return spans


# --- adding records ------------------------------------------------------


def record_indent(layout: Layout) -> int:
    """The column of the dash of the file's records (2 when it has none)."""
    for section in layout.sections:
        if section.records:
            return section.records[0].dash_column
    return 2


def add_records(text: str, display: str, section: str, rendered: list[list[str]]) -> tuple[str, list[int]]:
    """The file with records (already rendered, at the file's indentation)
    added at the end of ``section``, and the 1-based line where each starts.

    A missing section is added where the canonical order puts it. Every other
    line stays as it was.
    """
    layout = parse_layout(text, display)
    lines = list(layout.lines)
    span = layout.section(section)
    block: list[str] = []
    starts: list[int] = []
    if span is not None:
        if not span.block:
            raise LayoutError(f"{display}:{span.key_line + 1}: the {section} are not a block list "
                              "(one '- ' item per record); add records to it by hand")
        at = span.end
        for record in rendered:
            if span.records or block:
                block.append("")
            starts.append(at + len(block))
            block.extend(record)
        if not span.records and lines[span.key_line].rstrip() != f"{section}:":
            lines[span.key_line] = f"{section}:"  # ``facts:`` with a null value or ``[]``
    else:
        after = [s for s in layout.sections if _rank(s.name) > _rank(section)]
        if after:
            at = after[0].key_line
            while at > 0 and lines[at - 1].startswith("#"):
                at -= 1
        else:
            at = len(lines)
            while at > 0 and not lines[at - 1].strip():
                at -= 1
            del lines[at:]
            if at:
                block.append("")
        block.append(f"{section}:")
        for number, record in enumerate(rendered):
            if number:
                block.append("")
            starts.append(at + len(block))
            block.extend(record)
        if after:
            block.append("")
    lines[at:at] = block
    return "\n".join(lines) + "\n", [s + 1 for s in starts]


def replace_record(text: str, display: str, section: str, index: int, rendered: list[str]) -> str:
    """The file with record ``index`` of ``section`` replaced by ``rendered``."""
    layout = parse_layout(text, display)
    span = layout.section(section)
    if span is None or not span.block or index >= len(span.records):
        raise LayoutError(f"{display}: no record {index + 1} in the {section}")
    record = span.records[index]
    lines = list(layout.lines)
    lines[record.start:record.end] = rendered
    return "\n".join(lines) + "\n"


def _rank(name: str) -> int:
    return SECTIONS.index(name) if name in SECTIONS else len(SECTIONS)


# --- the canonical layout -------------------------------------------------


def format_text(text: str, display: str) -> str:
    """The file in the canonical layout (see the module's docstring); raises LayoutError."""
    layout = parse_layout(text, display)
    if layout.tree is None:
        return text
    lines = _requoted(layout)
    out = _strip_blank_edges(lines[:layout.header_end])
    if out:
        out.append("")
    ordered = sorted(layout.sections, key=lambda s: _rank(s.name))
    for number, section in enumerate(ordered):
        if number:
            out.append("")
        if section.lead < section.key_line:
            lead = _collapse(lines[section.lead:section.key_line])
            out.extend([*lead, ""] if lead and not lines[section.key_line - 1].strip() else lead)
        out.extend(_section_body(lines, section))
    last = layout.sections[-1] if layout.sections else None
    trailer = _collapse(lines[last.end:]) if last else []
    if trailer:
        out.extend(["", *trailer])
    result = "\n".join(out) + "\n"
    _check_same_data(text, result, display)
    return result


def _strip_blank_edges(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def _collapse(lines: list[str]) -> list[str]:
    """Comment lines with outer blank lines removed and inner runs of them made one."""
    out: list[str] = []
    for line in _strip_blank_edges(lines):
        if line.strip() or (out and out[-1].strip()):
            out.append(line.rstrip() if not line.strip() else line)
    return out


def _section_body(lines: list[str], section: SectionSpan) -> list[str]:
    if not section.records:
        return lines[section.key_line:section.end]
    out = [lines[section.key_line]]
    previous_end = section.key_line + 1
    for number, record in enumerate(section.records):
        gap = _collapse(lines[previous_end:record.start])
        if number:
            out.append("")
        out.extend(gap)
        if gap and not lines[record.start - 1].strip():
            out.append("")  # a comment on a group of records, set apart from the first
        out.extend(_reordered(lines, record, section.name))
        previous_end = record.end
    trailer = _collapse(lines[previous_end:section.end])
    return [*out, "", *trailer] if trailer else out


def _key_blocks(lines: list[str], record: RecordSpan) -> list[tuple[str, list[str]]] | None:
    """The record's top-level keys with their lines, or None when it is no plain block mapping."""
    node = record.node
    if not isinstance(node, MarkedMap) or not node:
        return None
    column = record.dash_column + 2
    keys = sorted(node, key=lambda k: (node.key_locs[k].line, node.key_locs[k].column))
    first = node.key_locs[keys[0]]
    if first.line - 1 != record.start or first.column - 1 != column:
        return None
    key_lines = []
    for key in keys:
        loc = node.key_locs[key]
        if loc.column - 1 != column or (key_lines and loc.line - 1 <= key_lines[-1]):
            return None
        key_lines.append(loc.line - 1)
    # A comment line right above a key goes with that key.
    bounds = []
    for line in key_lines:
        start = line
        while start - 1 > record.start and start - 1 not in key_lines \
                and lines[start - 1].strip().startswith("#"):
            start -= 1
        bounds.append(start)
    bounds.append(record.end)
    blocks = []
    for index, key in enumerate(keys):
        block = list(lines[bounds[index]:bounds[index + 1]])
        if index == 0:
            block[0] = " " * column + block[0][column:]
        blocks.append((key, block))
    return blocks


def _reordered(lines: list[str], record: RecordSpan, section: str) -> list[str]:
    original = lines[record.start:record.end]
    spec = SPECS.get(section)
    blocks = _key_blocks(lines, record) if spec else None
    if blocks is None:
        return original
    rank = {key: index for index, key in enumerate(spec)}
    ordered = sorted(blocks, key=lambda b: rank.get(b[0], len(rank)))
    if [k for k, _ in ordered] == [k for k, _ in blocks]:
        return original
    out = [line for _key, block in ordered for line in block]
    column = record.dash_column + 2
    first = next(i for i, line in enumerate(out) if not line.strip().startswith("#"))
    # Comments that now come first stand above the record, at its dash.
    out[:first] = [" " * record.dash_column + line.strip() for line in out[:first]]
    out[first] = " " * record.dash_column + "- " + out[first][column:]
    return out


def string_scalars(node: Any, key: str = "") -> Iterator[tuple[str, Any, Any]]:
    """(key, value, position) of every string scalar under ``node``."""
    if isinstance(node, MarkedMap):
        for k, value in node.items():
            if isinstance(value, str):
                yield k, value, node.value_locs.get(k)
            else:
                yield from string_scalars(value, k)
    elif isinstance(node, MarkedList):
        for index, value in enumerate(node):
            if isinstance(value, str):
                yield key, value, node.item_locs[index]
            else:
                yield from string_scalars(value, key)


def double_quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's too)."""
    return json.dumps(value, ensure_ascii=False)


def _requoted(layout: Layout) -> list[str]:
    """The lines with single-quoted strings, and plain titles and locators, double-quoted."""
    lines = list(layout.lines)
    edits: dict[int, list[tuple[int, int, str]]] = {}
    for section in layout.sections:
        for record in section.records:
            for key, value, loc in string_scalars(record.node):
                if loc is None:
                    continue
                row, column = loc.line - 1, loc.column - 1
                line = lines[row]
                mark = line[column:column + 1]
                if mark == "'":
                    source = "'" + value.replace("'", "''") + "'"
                elif key in QUOTED_FIELDS and mark not in ('"', "|", ">") \
                        and line[column:column + len(value)] == value:
                    source = value
                else:
                    continue
                if line[column:column + len(source)] == source:
                    edits.setdefault(row, []).append((column, column + len(source),
                                                      double_quoted(value)))
    for row, changes in edits.items():
        line = lines[row]
        for start, end, new in sorted(changes, reverse=True):
            line = line[:start] + new + line[end:]
        lines[row] = line
    return lines


def _check_same_data(before: str, after: str, display: str) -> None:
    try:
        same = parse_bytes(after.encode("utf-8"), display) == parse_bytes(before.encode("utf-8"), display)
    except YamlError:
        same = False
    if not same:
        raise LayoutError(f"{display}: the file cannot be laid out without changing its data; "
                          "leave it as it is or simplify its layout")


def format_files(data_dir: str | os.PathLike[str] | None, files: list[Path] | None = None,
                 write: bool = True) -> tuple[list[str], list[str]]:
    """Lay out data files canonically: (files changed or to change, problems).

    ``files`` default to every data file of the folder. A file that cannot be
    read or laid out safely is a problem and is left as it is; so is a name that
    is no regular file (a FIFO, a device) or a file over ``MAX_DATA_FILE_BYTES``, which
    is not even read. The changed files are written together, all or nothing,
    under the folder's writer lock, keeping their modes and symlinks
    (``kg.util.journal``).
    """
    from kg.data.load import DEFAULT_DATA, data_files

    folder = Path(data_dir) if data_dir is not None else DEFAULT_DATA
    if not write:
        changed, problems, _texts = _formatted(files or data_files(folder))
        return changed, problems
    import contextlib

    from kg.util.journal import folder_lock, write_files

    # The data folder's lock, or, for a file named outside it, the lock of that file's folder;
    # taken in one order, so that two runs never wait for each other.
    # A file's folder is where it is named (a link to /dev/zero named in the data folder is
    # the data folder's business), never where a link points.
    root = Path(os.path.normpath(folder.absolute()))
    named = {Path(path): Path(os.path.normpath(Path(path).absolute())) for path in files or []}
    home = {path: root if root in where.parents else where.parent for path, where in named.items()}
    places = sorted(set(home.values()) if files else {root})
    with contextlib.ExitStack() as locks:
        for place in places:
            locks.enter_context(folder_lock(place))
        changed, problems, texts = _formatted(files or data_files(folder))
        for place in places:
            group = {path: text for path, text in texts.items() if home.get(path, root) == place}
            if group:
                write_files(place, group)
    return changed, problems


def _formatted(paths: list[Path]) -> tuple[list[str], list[str], dict[Path, str]]:
    from kg.data.load import display_path
    from kg.util.files import MAX_DATA_FILE_BYTES, Unreadable, read_regular

    changed: list[str] = []
    problems: list[str] = []
    texts: dict[Path, str] = {}
    for path in paths:
        display = display_path(Path(path))
        try:
            data = read_regular(path, MAX_DATA_FILE_BYTES)
        except Unreadable as exc:
            problems.append(f"{display}: cannot read the file: {exc}")
            continue
        try:
            text = data.decode("utf-8")
            formatted = format_text(text, display)
        except UnicodeDecodeError:
            problems.append(f"{display}: not UTF-8")
            continue
        except LayoutError as exc:
            problems.append(str(exc))
            continue
        if formatted != text:
            changed.append(display)
            texts[Path(path)] = formatted
    return changed, problems, texts
