"""Counts that summarise a dataset."""

from __future__ import annotations

from collections import Counter
from typing import Any

from kg.data.model import Dataset

__all__ = ["summary"]


def summary(dataset: Dataset) -> dict[str, Any]:
    """Entity, fact, figure, source and reference-edge counts, by type, relation and kind
    (sorted keys; ``by_relation`` and ``by_kind`` count the stated facts)."""
    def counted(values: Any) -> dict[str, int]:
        return dict(sorted(Counter(values).items()))

    return {
        "entities": len(dataset.entities),
        "facts": len(dataset.facts),
        "figures": len(dataset.figures),
        "sources": len(dataset.sources),
        "references": len(dataset.references),
        "by_type": counted(e.type for e in dataset.entities.values()),
        "by_relation": counted(f.relation for f in dataset.facts),
        "by_kind": counted(f.kind for f in dataset.facts),
    }
