"""Records <-> JSON, the only form in which the compiled store keeps them.

JSON is data: decoding it builds our own dataclasses from plain values and
never runs code named by the bytes (unlike a pickle). Positions are kept as
``[line, column]`` without the file, which is attached when decoding, so that
a store stays right when the working folder (and so the displayed path)
changes. Dates are ``{"$d": "2025-10"}``.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from kg.dates import PartialDate
from kg.model import Entity, Fact, Figure, Source, SourceRef
from kg.yamlsafe import Loc

RECORD_TYPES: dict[str, type] = {"sources": Source, "entities": Entity, "facts": Fact,
                                 "figures": Figure}
_FIELDS = {cls: [f.name for f in dataclasses.fields(cls)] for cls in RECORD_TYPES.values()}


def _value(value: Any) -> Any:
    if isinstance(value, PartialDate):
        return {"$d": str(value)}
    if isinstance(value, Loc):
        return [value.line, value.column]
    if isinstance(value, SourceRef):
        return [value.source, value.locator, value.loc.line, value.loc.column]
    if isinstance(value, dict):
        return {str(k): _value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_value(v) for v in value]
    return value


def encode(record: Any) -> str:
    """One record as compact JSON (its fields in declaration order)."""
    return json.dumps({name: _value(getattr(record, name)) for name in _FIELDS[type(record)]},
                      ensure_ascii=False, separators=(",", ":"))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and "$d" in value:
            return PartialDate.parse(value["$d"])
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def decode(section: str, text: str, file: str) -> Any:
    """The record of ``section`` (``facts`` …) encoded in ``text``, positioned in ``file``."""
    cls = RECORD_TYPES[section]
    raw = json.loads(text)
    values: dict[str, Any] = {}
    for name, value in raw.items():
        if name == "loc":
            values[name] = Loc(file, value[0], value[1])
        elif name == "field_locs":
            values[name] = {k: Loc(file, v[0], v[1]) for k, v in value.items()}
        elif name == "sources" and section != "sources" and isinstance(value, list):
            values[name] = [SourceRef(s, loc_text, Loc(file, line, col))
                            for s, loc_text, line, col in value]
        elif name == "range" and value is not None:
            values[name] = tuple(value)
        else:
            values[name] = _plain(value)
    return cls(**values)
