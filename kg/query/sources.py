"""The registered sources and how many facts and figures cite each (``kg sources``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kg.data.model import Dataset, Source

__all__ = ["SourceUse", "source_uses"]


@dataclass(frozen=True)
class SourceUse:
    source: Source
    facts: int
    figures: int

    def to_json(self) -> dict[str, Any]:
        return {**self.source.to_json(), "facts": self.facts, "figures": self.figures}


def source_uses(dataset: Dataset, as_of: dt.date | None = None) -> list[SourceUse]:
    """Every source, sorted by id, with the facts and figures citing it (with ``as_of``: those
    that held on that day)."""
    if as_of is not None:
        dataset = dataset.as_of(as_of)
    uses = []
    for source in sorted(dataset.sources.values(), key=lambda s: s.id):
        facts, figures = dataset.citing(source.id)
        uses.append(SourceUse(source, len(facts), len(figures)))
    return uses
