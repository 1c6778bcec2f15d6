"""Pieces of SQL text the store's queries share: placeholders for ``IN (...)`` lists, and those
lists cut to a size SQLite takes in one statement."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

__all__ = ["CHUNK", "chunks", "marks", "sorted_chunks"]

CHUNK = 500  # ids per IN (...) query


def marks(values: Sequence[Any]) -> str:
    """``?,?,…``: one placeholder per value."""
    return ",".join("?" * len(values))


def chunks(values: Sequence[str]) -> Iterator[list[str]]:
    """``values`` in lists of at most ``CHUNK``, in their order."""
    for start in range(0, len(values), CHUNK):
        yield list(values[start:start + CHUNK])


def sorted_chunks(values: Iterable[str]) -> Iterator[list[str]]:
    """``chunks`` of the values sorted (so that the same values give the same queries)."""
    return chunks(sorted(values))
