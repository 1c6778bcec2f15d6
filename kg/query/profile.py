"""What is known of one entity or one source: the answer of ``kg show``.

An entity's profile holds its figures, every fact stated from it and to it, the sources it
publishes and the day it exists from; a source's profile holds every fact and figure citing
it, with the locators that point into it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from kg.data.dates import PartialDate
from kg.data.model import Dataset, Entity, Fact, Figure, Source
from kg.errors import NotYet
from kg.query.common import Page

__all__ = ["EntityProfile", "NotYet", "SourceProfile", "entity_profile", "paged", "source_profile"]


@dataclass(frozen=True)
class EntityProfile:
    entity: Entity
    exists_from: PartialDate | None
    figures: tuple[Figure, ...]
    facts_out: tuple[Fact, ...]
    facts_in: tuple[Fact, ...]
    published: tuple[Source, ...]
    dataset: Dataset
    # Which of the facts (those from the entity, then those to it) ``facts_out`` and
    # ``facts_in`` hold, and how many there are each way; None: every one.
    page: Page | None = None
    counts: tuple[int, int] | None = None

    def to_json(self) -> dict[str, Any]:
        """The documented JSON of ``kg show ENTITY --format json``."""
        found = {**self.entity.to_json(),
                 "exists_from": str(self.exists_from) if self.exists_from else None,
                 "existence": self.dataset.existence(self.entity.id).to_json(),
                 "figures": [f.to_json() for f in self.figures],
                 "facts_out": [f.to_json() for f in self.facts_out],
                 "facts_in": [f.to_json() for f in self.facts_in],
                 "sources_published": [s.id for s in self.published]}
        if self.page is not None:
            out, into = self.counts or (len(self.facts_out), len(self.facts_in))
            found["page"] = {**self.page.to_json(), "facts_out": out, "facts_in": into}
        return found


@dataclass(frozen=True)
class SourceProfile:
    source: Source
    facts: tuple[Fact, ...]
    figures: tuple[Figure, ...]
    dataset: Dataset

    def locators(self, record: Fact | Figure) -> list[str]:
        """Where in this source the record's statement is found."""
        return [ref.locator for ref in record.sources if ref.source == self.source.id]

    def to_json(self) -> dict[str, Any]:
        """The documented JSON of ``kg show SOURCE --format json``."""
        return {**self.source.to_json(), "record": "source",
                "facts": [{**f.to_json(), "locators": self.locators(f)} for f in self.facts],
                "figures": [{**g.to_json(), "locators": self.locators(g)} for g in self.figures]}


def entity_profile(dataset: Dataset, entity_id: str, as_of: dt.date | None = None) -> EntityProfile:
    """Everything ``dataset`` holds on the entity; with ``as_of``, only what held on that day.

    Raises NotYet when the entity did not exist yet on ``as_of``.
    """
    entity = dataset.entities[entity_id]
    if as_of is not None:
        if not dataset.exists_on(entity_id, as_of):
            raise NotYet(f"{entity.label} did not exist yet on {as_of.isoformat()} "
                         f"({dataset.existence_reason(entity_id)})")
        dataset = dataset.as_of(as_of)
    facts_out, facts_in = dataset.facts_of(entity_id)
    return EntityProfile(entity, dataset.exists_from(entity_id), tuple(dataset.figures_of(entity_id)),
                         tuple(facts_out), tuple(facts_in), tuple(dataset.published_by(entity_id)),
                         dataset)


def paged(profile: EntityProfile, limit: int | None, offset: int = 0) -> EntityProfile:
    """The profile with ``limit`` of its facts from ``offset`` (those from the entity first,
    then those to it), and the page and counts that say so."""
    out, into = profile.facts_out, profile.facts_in
    end = None if limit is None else offset + limit
    every = [*out, *into]
    shown = every[offset:end]
    cut = min(len(out), max(0, len(out) - offset))  # how many of ``shown`` are facts out
    return replace(profile, facts_out=tuple(shown[:cut]), facts_in=tuple(shown[cut:]),
                   page=Page(len(every), offset, limit), counts=(len(out), len(into)))


def source_profile(dataset: Dataset, source_id: str, as_of: dt.date | None = None) -> SourceProfile:
    """The source and every fact and figure citing it (with ``as_of``, those that held then)."""
    if as_of is not None:
        dataset = dataset.as_of(as_of)
    facts, figures = dataset.citing(source_id)
    return SourceProfile(dataset.sources[source_id], tuple(facts), tuple(figures), dataset)
