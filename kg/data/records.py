"""Shape checks for YAML records: required keys, unknown keys, value types.

A record spec maps each allowed key to a Field. ``check_record`` reports
every problem it finds and returns the well-typed values only, so that later
checks never see a value of the wrong type.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from kg.data.dates import DateError, PartialDate
from kg.errors import Problem
from kg.util.suggest import did_you_mean
from kg.util.yamlsafe import Loc, MarkedList, MarkedMap

__all__ = ["check_record", "convert", "Field", "items_with_locs", "loc_in", "type_name"]

# What each field kind accepts, as said in messages.
_DESCRIPTIONS = {
    "str": "a non-empty string",
    "int": "a whole number",
    "number": "a number",
    "bool": "true or false",
    "date": "an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)",
    "str-list": "a list of non-empty strings",
    "str-map": "a mapping of strings to non-empty strings",
    "map": "a mapping",
    "list": "a list",
}


@dataclass(frozen=True)
class Field:
    kind: str
    required: bool = False


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "an empty string" if not value.strip() else "a string"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def convert(kind: str, value: Any) -> tuple[bool, Any, str]:
    """Check ``value`` against a field kind: (ok, converted value, reason if not ok)."""
    if kind == "str":
        ok = _is_text(value)
    elif kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if ok and not math.isfinite(value):
            return False, None, f"must be a finite number, not {value!r}"
    elif kind == "bool":
        ok = isinstance(value, bool)
    elif kind == "date":
        try:
            return True, PartialDate.parse(value), ""
        except DateError as exc:
            return False, None, str(exc)
    elif kind == "str-list":
        ok = isinstance(value, list) and all(_is_text(v) for v in value)
    elif kind == "str-map":
        ok = isinstance(value, dict) and all(_is_text(v) for v in value.values())
    elif kind == "map":
        ok = isinstance(value, dict)
    elif kind == "list":
        ok = isinstance(value, list)
    else:  # pragma: no cover - a programming error in a spec
        raise ValueError(f"unknown field kind {kind!r}")
    if ok:
        return True, value, ""
    return False, None, f"must be {_DESCRIPTIONS[kind]}, not {type_name(value)}"


def check_record(
    node: Any, spec: dict[str, Field], what: str, loc: Loc, problems: list[Problem]
) -> dict[str, Any] | None:
    """Check one record; returns its well-typed fields, or None if it is no mapping."""
    if not isinstance(node, MarkedMap):
        problems.append(Problem(loc, f"{what} must be a mapping, not {type_name(node)}"))
        return None
    clean: dict[str, Any] = {}
    for key, value in node.items():
        field = spec.get(key)
        if field is None:
            hint = did_you_mean(key, spec) or "allowed keys: " + ", ".join(sorted(spec))
            problems.append(Problem(node.key_locs[key], f"unknown key {key!r} in {what}", hint))
            continue
        ok, converted, reason = convert(field.kind, value)
        if ok:
            clean[key] = converted
        else:
            problems.append(Problem(node.loc_of(key), f"{what}: {key!r} {reason}"))
    for key, field in spec.items():
        if field.required and key not in node:
            problems.append(Problem(node.loc, f"{what} is missing the required key {key!r}"))
    return clean


def items_with_locs(value: Any, loc: Loc) -> list[tuple[Any, Loc]]:
    """The items of a list, each with its position."""
    if isinstance(value, MarkedList):
        return [(item, value.loc_of(i)) for i, item in enumerate(value)]
    if isinstance(value, MarkedMap):
        return [(item, value.loc_of(key)) for key, item in value.items()]
    return []


def loc_in(node: Any, key: str, default: Loc) -> Loc:
    """Where ``key``'s value stands in ``node``, or ``default``."""
    return node.loc_of(key) if isinstance(node, MarkedMap) else default
