"""Records <-> JSON, the only form in which the compiled store keeps them.

JSON is data: decoding it builds our own dataclasses from plain values and
never runs code named by the bytes (unlike a pickle). Positions are kept as
``[line, column]`` without the file, which is attached when decoding, so that
a store stays right when the working folder (and so the displayed path)
changes. Dates are ``{"$d": "2025-10"}``. Empty optional fields, the positions of
single fields and an id the loader derives (``subject--relation--object--since``) are
left out.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from kg.data.dates import PartialDate
from kg.data.model import Entity, Fact, Figure, Reference, Source, SourceRef, TextSpec
from kg.util.yamlsafe import Loc

__all__ = ["decode", "encode", "RECORD_TYPES"]

RECORD_TYPES: dict[str, type] = {"sources": Source, "entities": Entity, "facts": Fact,
                                 "figures": Figure}
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


def encode(record: Any) -> str:
    """One record as compact JSON (its fields in declaration order).

    Fields that hold their default (none, empty, rank normal) are left out (decoding
    gives them their default),
    and so are the positions of single fields: a record keeps where it starts and
    where each of its citations stands; the checks that need the rest read its file.
    """
    defaults = _DEFAULTS.get(type(record), {})
    fields = {k: v for k, v in vars(record).items()
              if k not in defaults or not _is_default(v, defaults[k])}
    fields.pop("_names", None)
    fields.pop("field_locs", None)
    if fields.get("id") == _derived_id(type(record), fields):
        del fields["id"]  # the id the loader gives a record without one: derived again
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


def _derived_id(record_type: type, fields: dict[str, Any]) -> str | None:
    """The id ``kg.data.load`` gives a stated fact or a figure written without one."""
    since = fields.get("since")
    tail = f"--{since}" if since else ""
    if record_type is Fact and fields.get("derived_from") is None:
        return f"{fields['subject']}--{fields['relation']}--{fields['object']}{tail}"
    if record_type is Figure:
        return f"{fields['entity']}--{fields['metric']}{tail}"
    return None


def decode(section: str, text: str, file: str) -> Any:
    """The record of ``section`` (``facts`` …) encoded in ``text``, positioned in ``file``."""
    values = json.loads(text, object_hook=_hook)
    if "id" not in values:
        values["id"] = _derived_id(RECORD_TYPES[section], values)
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
