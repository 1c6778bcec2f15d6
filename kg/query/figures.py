"""Every figure (a number about an entity), with its unit, period, region and sources."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from kg.data.model import Dataset, Figure
from kg.query.common import check_metrics

__all__ = ["figure_json", "figures"]


def figures(dataset: Dataset, entity: str | None = None, *, metrics: Iterable[str] | None = None,
            as_of: dt.date | None = None) -> list[Figure]:
    """The figures of ``entity`` (an id, label or alias; all entities without it).

    ``metrics`` keeps those metrics; ``as_of`` the figures known on that day.
    Sorted by entity id, metric, date (undated first) and id.
    """
    entity_id = dataset.resolve(entity).id if entity is not None else None
    keep = check_metrics(dataset, metrics)
    found = [f for f in dataset.figures
             if (entity_id is None or f.entity == entity_id) and (not keep or f.metric in keep)
             and (as_of is None or (f.valid_on(as_of) and dataset.exists_on(f.entity, as_of)))]
    return sorted(found, key=lambda f: (f.entity, f.metric,
                                        f.since.sort_key() if f.since else (dt.date.min, 0), f.id))


def figure_json(dataset: Dataset, figure: Figure) -> dict[str, Any]:
    """A figure as in ``kg show --format json``, plus its entity's label and the line as printed."""
    from kg.data import phrases

    return {**figure.to_json(), "entity_label": dataset.label(figure.entity),
            "text": phrases.figure_line(dataset, figure)}
