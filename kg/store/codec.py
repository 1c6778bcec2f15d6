"""Records <-> JSON, the only form in which the compiled store keeps them.

JSON is data: decoding it builds our own dataclasses from plain values and
never runs code named by the bytes (unlike a pickle). Positions are kept as
``[line, column]`` without the file, which is attached when decoding, so that
a store stays right when the working folder (and so the displayed path)
changes. Dates are ``{"$d": "2025-10"}``. Empty optional fields and the
positions of single fields are left out, and so are the fields that are
columns of the record's row (``COLUMNS``: a fact's id, ends, relation, kind
and dates, …): each is stored once, and every reader selects them
(``selected``) and hands them to ``decode``.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from kg.data.dates import PartialDate
from kg.data.model import Entity, Fact, Figure, Reference, Source, SourceRef, TextSpec
from kg.util.yamlsafe import Loc

__all__ = ["COLUMNS", "column_values", "decode", "encode", "file_names", "RECORD_TYPES", "selected"]

RECORD_TYPES: dict[str, type] = {"sources": Source, "entities": Entity, "facts": Fact,
                                 "figures": Figure}
# The fields of each record kept as columns of its row and left out of its JSON, in the order
# ``decode`` takes them after the JSON. Dates are columns as written (``str`` of the date).
COLUMNS: dict[str, tuple[str, ...]] = {
    "sources": (),
    "entities": ("id", "type"),
    "facts": ("id", "subject", "relation", "object", "kind", "since", "until"),
    "figures": ("id", "entity", "metric", "since"),
}
_DATES = frozenset({"since", "until"})
_OMITTED = {RECORD_TYPES[section]: frozenset(names) for section, names in COLUMNS.items()}
# Small value classes inside records, kept as {"$Name": {field: value}}.
_VALUE_TYPES: dict[str, type] = {"Reference": Reference, "TextSpec": TextSpec}


def _default(value: Any) -> Any:
    """What the C JSON encoder cannot write itself: dates (and, nested, source references)."""
    if isinstance(value, PartialDate):
        return {"$d": str(value)}
    if isinstance(value, SourceRef):
        found = [value.source, value.locator, value.loc.line, value.loc.column]
        return found if value.phrase is None else [*found, value.phrase]
    if type(value).__name__ in _VALUE_TYPES and dataclasses.is_dataclass(value):
        return {"$" + type(value).__name__: {f.name: getattr(value, f.name)
                                             for f in dataclasses.fields(value)}}
    raise TypeError(f"cannot store a {type(value).__name__}")


_EMPTY = object()  # the default of a field made by a factory: an empty list or mapping


def _defaults(record_type: type) -> dict[str, Any]:
    """The fields of a record type that have a default, with it: a field holding its default
    is left out (decoding gives it back)."""
    return {f.name: (f.default if f.default is not dataclasses.MISSING else _EMPTY)
            for f in dataclasses.fields(record_type)
            if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING}


_DEFAULTS = {record_type: _defaults(record_type) for record_type in RECORD_TYPES.values()}


def _is_default(value: Any, default: Any) -> bool:
    if default is _EMPTY:
        return value == [] or value == {}
    return value is None if default is None else (type(value) is type(default) and value == default)


# One encoder for every record: ``json.dumps`` with options would build one per call.
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_default).encode


def selected(section: str) -> str:
    """The columns a reader of ``section``'s table selects to decode a record: ``file``,
    ``json`` and the record's ``COLUMNS``, in the order ``decode`` takes them."""
    return ", ".join(("file", "json", *COLUMNS[section]))


def file_names(conn: Any) -> dict[int, str]:
    """Each data file's key (what a row's ``file`` holds) -> the file as its records name it
    (the ``file`` ``decode`` takes)."""
    return dict(conn.execute("SELECT rank, display FROM files"))


def column_values(record: Any) -> tuple[Any, ...]:
    """The values of a record's ``COLUMNS`` as its row keeps them (dates as written)."""
    section = next(name for name, kind in RECORD_TYPES.items() if kind is type(record))
    return tuple(_column(getattr(record, name), name) for name in COLUMNS[section])


def _column(value: Any, name: str) -> Any:
    return (None if value is None else str(value)) if name in _DATES else value


def encode(record: Any) -> str:
    """One record as compact JSON (its fields in declaration order), without the fields its
    row keeps as columns (``COLUMNS``).

    Fields that hold their default (none, empty, rank normal) are left out (decoding
    gives them their default),
    and so are the positions of single fields: a record keeps where it starts and
    where each of its citations stands; the checks that need the rest read its file.
    """
    defaults = _DEFAULTS.get(type(record), {})
    omitted = _OMITTED.get(type(record), frozenset())
    fields = {k: v for k, v in vars(record).items()
              if k not in omitted and (k not in defaults or not _is_default(v, defaults[k]))}
    fields.pop("_names", None)
    fields.pop("field_locs", None)
    loc = fields.get("loc")
    if loc is not None:
        fields["loc"] = [loc.line, loc.column]
    return _ENCODE(fields)


def _hook(value: dict[str, Any]) -> Any:
    if len(value) == 1:
        key = next(iter(value))
        if key == "$d":
            return PartialDate.parse(value["$d"])
        if key[:1] == "$" and key[1:] in _VALUE_TYPES:
            fields = value[key]
            return _VALUE_TYPES[key[1:]](**{k: tuple(v) if isinstance(v, list) else v
                                            for k, v in fields.items()})
    return value


def decode(section: str, text: str, file: str, *columns: Any) -> Any:
    """The record of ``section`` (``facts`` …) encoded in ``text``, positioned in ``file``,
    with the values of its row's ``COLUMNS`` (in that order)."""
    values = json.loads(text, object_hook=_hook)
    for name, value in zip(COLUMNS[section], columns, strict=True):
        if value is not None:
            values[name] = PartialDate.parse(value) if name in _DATES else value
    line, column = values["loc"]
    values["loc"] = Loc(file, line, column)
    if "field_locs" in values:
        values["field_locs"] = {k: Loc(file, v[0], v[1]) for k, v in values["field_locs"].items()}
    if section in ("facts", "figures"):
        values["sources"] = [SourceRef(source, locator, Loc(file, at_line, at_column), *phrase)
                             for source, locator, at_line, at_column, *phrase in values["sources"]]
    if values.get("range") is not None:
        values["range"] = tuple(values["range"])
    return RECORD_TYPES[section](**values)
