"""Counts that summarise a dataset: one shape, whether counted in memory or by the store."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from kg.data.model import Dataset
from kg.store import Store

__all__ = ["counted", "summary"]


def counted(by_type: Iterable[tuple[str, int]], by_relation: Iterable[tuple[str, int]],
            by_kind: Iterable[tuple[str, int]], figures: int, sources: int,
            references: int) -> dict[str, Any]:
    """The summary from its counts: entities by type, stated facts by relation and by kind,
    and the totals (sorted keys)."""
    types, relations, kinds = dict(sorted(by_type)), dict(sorted(by_relation)), dict(sorted(by_kind))
    return {
        "entities": sum(types.values()),
        "facts": sum(relations.values()),
        "figures": figures,
        "sources": sources,
        "references": references,
        "by_type": types,
        "by_relation": relations,
        "by_kind": kinds,
    }


def summary(dataset: Dataset | Store) -> dict[str, Any]:
    """Entity, fact, figure, source and reference-edge counts, by type, relation and kind
    (``by_relation`` and ``by_kind`` count the stated facts); a store counts with its indexes."""
    if not isinstance(dataset, Dataset):
        return counted(*dataset.counts())
    return counted(Counter(e.type for e in dataset.entities.values()).items(),
                   Counter(f.relation for f in dataset.facts).items(),
                   Counter(f.kind for f in dataset.facts).items(),
                   len(dataset.figures), len(dataset.sources), len(dataset.references))
