"""Statement ranks, as Wikidata keeps them: which facts and figures answer by default.

A fact or figure is ``preferred``, ``normal`` (the default) or ``deprecated``
(with a ``rank_reason``: superseded, disputed, retracted). Statements about
the same thing compete: a fact with the facts of the same relation between
the same two entities, a figure with the figures of the same entity, metric,
period, region and venue. Among competing statements only the best rank
present answers by default (Wikidata's "truthy" view): preferred ones if
there are any, else normal ones; deprecated ones never. The rest are kept,
with their rank, and shown on request (``include_deprecated``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from kg.data.model import RANKS, Fact, Figure

if TYPE_CHECKING:
    from kg.data.model import Dataset
    from kg.data.ontology import Ontology

# Smaller is better.
__all__ = ["best_rank", "hidden_note", "hidden_text", "outranked", "rank_group", "select"]

_ORDER = {rank: n for n, rank in enumerate(RANKS)}


def rank_group(record: Fact | Figure, ontology: Ontology | None = None) -> tuple:
    """What a statement competes on: the same relation between the same entities (either way
    round for a symmetric relation), or the same entity, metric, period, region and venue."""
    if isinstance(record, Figure):
        return ("figure", record.entity, record.metric, str(record.since), str(record.until),
                tuple(sorted(record.region)), record.where)
    relation = ontology.relations.get(record.relation) if ontology is not None else None
    ends: tuple[str, ...] = (record.subject, record.object)
    if relation is not None and relation.symmetric:
        ends = tuple(sorted(ends))
    return ("fact", record.relation, *ends)


def outranked(records: Iterable[Fact | Figure], ontology: Ontology | None = None) -> set[str]:
    """The ids of the stated facts and figures that are not of the best rank of their group."""
    records = list(records)
    best: dict[tuple, int] = {}
    for record in records:
        key = rank_group(record, ontology)
        order = _ORDER.get(record.rank, _ORDER["normal"])
        if order < best.get(key, len(RANKS)):
            best[key] = order
    return {record.id for record in records
            if record.rank == "deprecated"
            or _ORDER.get(record.rank, _ORDER["normal"]) > best[rank_group(record, ontology)]}


def best_rank(dataset: Dataset) -> Dataset:
    """The dataset as its default answers see it: only the best-ranked facts and figures, and
    the reference edges of those (entities and sources are all kept)."""
    hidden = outranked([*dataset.facts, *dataset.figures], dataset.ontology)
    if not hidden:
        return dataset
    return dataset.subset(
        dict(dataset.entities),
        [f for f in dataset.facts if f.id not in hidden],
        [f for f in dataset.figures if f.id not in hidden],
        references=[r for r in dataset.references
                    if r.derived_from is None or r.derived_from.record not in hidden],
    )


def select(dataset: Dataset, include_deprecated: bool = False) -> Dataset:
    """The dataset a default answer uses (``best_rank``), or all of it with ``include_deprecated``."""
    return dataset if include_deprecated else best_rank(dataset)


def hidden_note(dataset: Dataset) -> str | None:
    """What a default answer says about the statements it leaves out, or None if it leaves out
    none: ``2 statements of a lower rank are not shown (deprecated or outranked; …)``."""
    return hidden_text(len(outranked([*dataset.facts, *dataset.figures], dataset.ontology)))


def hidden_text(count: int) -> str | None:
    """The note on ``count`` statements left out for their rank (None for none); the compiled
    store counts them with ``Store.outranked_count``."""
    if not count:
        return None
    return (f"{count} statement{'s' if count != 1 else ''} of a lower rank "
            f"{'are' if count != 1 else 'is'} left out (deprecated, or outranked by a preferred "
            "one); --include-deprecated includes them")
