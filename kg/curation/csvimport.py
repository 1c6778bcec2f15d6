"""Rows of a spreadsheet (CSV) -> records, through a mapping file.

The mapping (YAML, read safely) says what each row becomes::

    record: figure                 # source | entity | fact | figure
    columns:                       # CSV column -> record field
      App: entity                  # names resolve like any ENTITY argument
      Rank: value
      Date: since
    fixed:                         # fields with the same value on every row
      metric: chart-rank
      where: App Store
    source: appfigures-top-charts  # the source every row cites
    locator: "top free chart, {Date}, row {row}"   # {COLUMN} and {row} are filled in
    phrase: "{Phrase}"             # optional: the key phrase (a web page needs one), filled in alike
    file: market.yaml              # optional: the data file for every record

A field may be a part of a mapping field (``labels.zh-Hans``,
``attributes.country``, ``qualifiers.chart``); the cell of a list field
(``aliases``, ``roles``, ``region``) holds its items separated by ``;``.
Entities take ``of`` (the company they belong to) like ``kg add entity --of``.
Rows are numbered as in a spreadsheet: the header is row 1. An empty cell
leaves its field out.

The import is all or nothing: every row is checked, and the whole dataset
with every new record validated, before anything is written.
"""

from __future__ import annotations

import csv
import io
import json
import os
import string
from dataclasses import dataclass, field
from typing import Any

from kg.curation.curate import Change, Curator, Draft, InvalidInput, Plan, merged
from kg.data.load import SPECS
from kg.data.records import Field, check_record
from kg.errors import DataError, KgError, LookupFailed, Problem, UnknownTerm
from kg.util.yamlsafe import Loc, MarkedMap, YamlError, read_file

__all__ = [
    "bounded_import", "describe", "import_csv", "ImportResult", "Mapping", "MAX_BYTES", "MAX_ROWS",
    "read_mapping", "read_rows"
]

MAX_BYTES = 20_000_000
MAX_ROWS = 10_000  # each row is checked and rendered: an import stays well under a minute
_RECORDS = {"source": "sources", "entity": "entities", "fact": "facts", "figure": "figures"}
_MAPPING_SPEC = {
    "record": Field("str", required=True),
    "columns": Field("map", required=True),
    "fixed": Field("map"),
    "source": Field("str"),
    "locator": Field("str"),
    "phrase": Field("str"),
    "file": Field("str"),
}
_LIST_SEPARATOR = ";"


@dataclass
class Mapping:
    section: str
    columns: dict[str, str]  # column -> field (or field.part)
    fixed: dict[str, Any]
    source: str | None
    locator: str | None
    file: str | None
    phrase: str | None = None


@dataclass
class ImportResult:
    plan: Plan
    refused: list[str] = field(default_factory=list)  # rows that could not become records

    @property
    def problems(self) -> list[str]:
        return self.refused + self.plan.problems

    @property
    def changes(self) -> list[Change]:
        return self.plan.changes


def read_mapping(path: str | os.PathLike[str], display: str) -> Mapping:
    """Read and check a mapping file; raises DataError with positions."""
    try:
        tree = read_file(path, display)
    except YamlError as exc:
        raise DataError([Problem(exc.loc, exc.message, exc.hint)]) from None
    start = Loc(display, 1, 1)
    problems: list[Problem] = []
    top = check_record(tree, _MAPPING_SPEC, "the mapping", start, problems)
    if top is None or problems:
        raise DataError(problems or [Problem(start, "the mapping must be a YAML mapping")])
    assert isinstance(tree, MarkedMap)
    section = _RECORDS.get(top["record"])
    if section is None:
        problems.append(Problem(tree.loc_of("record"), f"unknown record {top['record']!r}",
                                "one of: " + ", ".join(_RECORDS)))
        raise DataError(problems)
    spec = SPECS[section]
    fields = {**{str(v): tree["columns"].loc_of(k) for k, v in top["columns"].items()},
              **{str(k): tree["fixed"].key_locs[k] for k in top.get("fixed", {})}}
    for name, loc in fields.items():
        base = name.split(".", 1)[0]
        if base not in spec and not (base == "of" and section == "entities"):
            problems.append(Problem(loc, f"a {top['record']} has no field {base!r}",
                                    "fields: " + ", ".join(spec)))
        elif "." in name and spec[base].kind not in ("map", "str-map"):
            problems.append(Problem(loc, f"{base!r} is not a mapping: write {base} alone"))
    if "sources" in spec and "sources" not in fields and not top.get("source"):
        problems.append(Problem(start, f"a {top['record']} needs a source: give 'source' (and "
                                "'locator') in the mapping"))
    if top.get("source") and not top.get("locator"):
        problems.append(Problem(tree.loc_of("source"), "give 'locator' with 'source': where in "
                                "the source each row stands ({row} is the row number)"))
    if problems:
        raise DataError(problems)
    return Mapping(section, {str(k): str(v) for k, v in top["columns"].items()},
                   dict(top.get("fixed", {})), top.get("source"), top.get("locator"),
                   top.get("file"), top.get("phrase"))


def read_rows(path: str | os.PathLike[str], display: str) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the rows of a CSV file (UTF-8, comma-separated)."""
    from kg.util.files import Unreadable, read_regular

    try:  # the size is checked before anything is read; a FIFO or a device is not read
        data = read_regular(path, MAX_BYTES)
    except Unreadable as exc:
        raise KgError(f"{display}: cannot read the file: {exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise KgError(f"{display}: not UTF-8 (save the spreadsheet as CSV UTF-8)") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise KgError(f"{display}: the file is empty") from None
    except csv.Error as exc:
        raise KgError(f"{display}:1: {exc}") from None
    rows = []
    try:
        for cells in reader:
            if len(rows) >= MAX_ROWS:
                raise KgError(f"{display}: more than {MAX_ROWS} rows")
            if not any(c.strip() for c in cells):
                rows.append({})
                continue
            rows.append({h: c.strip() for h, c in zip(header, cells, strict=False)})
    except csv.Error as exc:
        raise KgError(f"{display}:{reader.line_num}: {exc}") from None
    return header, rows


def import_csv(curator: Curator, csv_path: str | os.PathLike[str], csv_display: str,
               mapping: Mapping) -> ImportResult:
    """Check every row and plan the change; ``Curator.apply``-like writing is the caller's."""
    header, rows = read_rows(csv_path, csv_display)
    absent = [c for c in mapping.columns if c not in header]
    if absent:
        raise KgError(f"{csv_display}: no column {', '.join(repr(c) for c in absent)} "
                      f"(columns: {', '.join(header)})")
    drafts: list[Draft] = []
    refused: list[str] = []
    for number, row in enumerate(rows, start=2):
        if not row:
            continue
        try:
            drafts.append(_draft(curator, mapping, row, number))
        except (UnknownTerm, InvalidInput, LookupFailed) as exc:
            text = str(exc)
            if isinstance(exc, LookupFailed) and exc.candidates:
                text += " (did you mean " + " or ".join(repr(i) for i, _ in exc.candidates) + "?)"
            refused.append(f"row {number}: {text}")
    plan = curator.plan(drafts, update=True) if drafts else Plan([], {}, [])
    return ImportResult(plan, refused)


def bounded_import(curator: Curator, csv_path: str | os.PathLike[str], csv_display: str,
                   mapping: Mapping, timeout: float) -> dict[str, Any]:
    """``import_csv`` in a child process stopped after ``timeout`` seconds (``kg.util.bounded``):
    ``{"report": describe(), "problems": [...], "texts": {file: new text}, "files": [changed]}``.
    Nothing is written; the caller writes ``texts`` when there is no problem."""
    from kg.util.bounded import run_bounded

    def work() -> dict[str, Any]:
        result = import_csv(curator, csv_path, csv_display, mapping)
        return {"report": describe(result), "problems": result.problems,
                "texts": {str(path): text for path, text in result.plan.texts.items()},
                "files": sorted({c.file for c in result.changes if c.action != "unchanged"})}

    return run_bounded(work, timeout, None, f"importing {csv_display}", memory_option=None)


def _draft(curator: Curator, mapping: Mapping, row: dict[str, str], number: int) -> Draft:
    section = mapping.section
    spec = SPECS[section]
    raw: dict[str, Any] = {}
    cells = [(name, value) for name, value in mapping.fixed.items()]
    cells += [(name, row.get(column, "")) for column, name in mapping.columns.items()]
    for name, value in cells:
        if value is None or value == "":
            continue
        base, _dot, part = name.partition(".")
        kind = spec[base].kind if base in spec else "str"
        if part:
            raw.setdefault(base, {})[part] = value
        elif kind == "str-list" and isinstance(value, str):
            raw[base] = [v.strip() for v in value.split(_LIST_SEPARATOR) if v.strip()]
        else:
            raw[base] = dict(value) if isinstance(value, dict) else value
    of = raw.pop("of", None)
    if mapping.source:
        ref = {"source": mapping.source, "locator": _fill(mapping.locator or "", row, number)}
        phrase = _fill(mapping.phrase, row, number) if mapping.phrase else ""
        raw["sources"] = [{**ref, "phrase": phrase} if phrase else ref]
    record = curator.complete(section, curator.typed(section, raw))
    missing = [k for k, f in spec.items() if f.required and k not in record]
    if missing:
        raise InvalidInput(f"no {', '.join(missing)} (an empty cell, or no column for it)")
    target = curator.target_file(section, record, of=of, file=mapping.file)
    return Draft(section, record, target, origin=f"row {number}")


def _fill(pattern: str, row: dict[str, str], number: int) -> str:
    """The locator (or phrase) pattern with {row} and {COLUMN} filled in."""
    values = {**row, "row": str(number)}
    out = []
    for literal, name, _spec, _conversion in string.Formatter().parse(pattern):
        out.append(literal)
        if name is not None:
            if name not in values:
                raise InvalidInput(f"the pattern {pattern!r} names no column {name!r}")
            out.append(values[name])
    return "".join(out)


def describe(result: ImportResult) -> list[str]:
    """What an import adds (+), changes (~, field by field as ``old → new``) and refuses (!),
    in the manner of ``kg diff``, then the counts."""
    lines = []
    counts = {"added": 0, "changed": 0, "unchanged": 0}
    for change in result.changes:
        counts[change.action] += 1
        where = f"({change.draft.origin} → {change.file}:{change.line})"
        if change.action == "added":
            lines.append(f"+ {change.draft.what}  {where}")
        elif change.action == "changed":
            lines.append(f"~ {change.draft.what}  {where}")
            after = merged(change.before, change.draft.record)
            lines += [f"    {key}: {_shown(change.before.get(key))} → {_shown(after[key])}"
                      for key in after if change.before.get(key) != after[key]]
    lines.extend(f"! {message}" for message in result.problems)
    rows = {m.split(":", 1)[0] for m in result.problems if m.startswith("row ")}
    others = len([m for m in result.problems if not m.startswith("row ")])
    lines.append(f"{counts['added']} added, {counts['changed']} changed, "
                 f"{counts['unchanged']} unchanged, {len(rows)} row{'s' if len(rows) != 1 else ''} "
                 "refused" + (f", {others} other problem{'s' if others != 1 else ''}" if others else ""))
    return lines


def _shown(value: Any) -> str:
    return "(none)" if value is None else json.dumps(value, ensure_ascii=False)
