"""What every document handed to a reader states: the day it describes, the day it was made, and
its sources, numbered.

- ``Dating``: the ``--as-of`` day, else the day of the latest dated record (the data is current
  as of then), whether ended facts are kept (``history``), and the day the document was made.
- ``made_today()``: the day a document is made: ``KG_TODAY`` (YYYY-MM-DD) when set, so that a
  document made twice from the same data is the same byte for byte (tests, docs, releases),
  else today's date.
- ``in_view(dataset, as_of, history)``: the records a document describes: on the ``as_of`` day
  (or the latest one), ended facts left out unless ``history``.
- ``numbered_sources(refs)``: sources in first-cited order, each with the locators cited.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kg.data.model import Dataset, Fact, Figure, SourceRef
from kg.errors import KgError

__all__ = ["Dating", "Place", "dating", "in_view", "latest_record_day", "made_today", "numbered_sources"]

TODAY_VARIABLE = "KG_TODAY"


def made_today() -> dt.date:
    """``KG_TODAY`` (an ISO day) when set, else the system's date."""
    fixed = os.environ.get(TODAY_VARIABLE)
    if not fixed:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(fixed)
    except ValueError:
        raise KgError(f"{TODAY_VARIABLE}={fixed!r} is not a day (YYYY-MM-DD)") from None


def latest_record_day(dataset: Dataset) -> dt.date | None:
    """The latest day a fact, figure or source is dated to (a month or year counts from its
    first day, as the data cannot say more); None when nothing is dated."""
    days = [date.start() for record in (*dataset.facts, *dataset.figures)
            for date in (record.since, record.until) if date is not None]
    days += [source.date.start() for source in dataset.sources.values()]
    return max(days, default=None)


@dataclass(frozen=True)
class Dating:
    """The day a document describes and the day it was made."""

    as_of: dt.date | None  # the day asked for, or None: as the data stands
    latest: dt.date | None  # the latest dated record of the data
    made_on: dt.date
    history: bool = False  # ended facts kept

    @property
    def day(self) -> dt.date | None:
        """The day described: ``as_of``, else the latest dated record's."""
        return self.as_of or self.latest

    def describes(self) -> str:
        """``As of 2025-09-29.`` or ``Current as of the latest dated record, 2025-10-06.``, with
        what happens to ended facts."""
        if self.as_of is not None:
            text = f"As of {self.as_of.isoformat()}"
        elif self.latest is not None:
            text = f"Current as of the latest dated record, {self.latest.isoformat()}"
        else:
            text = "As the data stands (no record is dated)"
        return text + ("; ended facts included." if self.history else "; ended facts left out.")

    def made(self) -> str:
        return f"Made on {self.made_on.isoformat()} from the data as it was then."

    def to_json(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat() if self.as_of else None,
                "describes": self.day.isoformat() if self.day else None,
                "latest_record": self.latest.isoformat() if self.latest else None,
                "history": self.history, "made_on": self.made_on.isoformat()}


def dating(dataset: Dataset, as_of: dt.date | None, history: bool = False,
           made_on: dt.date | None = None, latest: dt.date | None = None) -> Dating:
    """``latest``: the latest dated record of the whole data when ``dataset`` is a part of it
    (None: the dataset's own, which is also the whole's when the whole has none)."""
    return Dating(as_of, latest or latest_record_day(dataset), made_on or made_today(), history)


def _ended(record: Fact | Figure, day: dt.date) -> bool:
    return record.until is not None and record.until.end() < day


def may_be_in_view(record: Fact, as_of: dt.date | None, history: bool, latest: dt.date | None) -> bool:
    """False for a fact ``in_view`` leaves out whatever else the data holds (ended by the day
    described, or begun after ``as_of``); True may still be left out there (an end that did
    not exist yet). ``latest``: the latest dated record of the whole data."""
    if as_of is None:
        return history or latest is None or not _ended(record, latest)
    if history:
        return record.since is None or record.since.start() <= as_of
    return record.valid_on(as_of)


def in_view(dataset: Dataset, as_of: dt.date | None, history: bool = False,
            latest: dt.date | None = None) -> Dataset:
    """The records a document describes.

    On ``as_of``: what existed and had begun by then, and (unless ``history``) was still
    valid. Without it: everything, ended facts and figures (their ``until`` before the latest
    dated record: ``latest`` when the dataset is a part of the data) left out unless
    ``history``. Raises nothing: existence is checked by the caller, who names the entity.
    """
    if as_of is None:
        if history:
            return dataset
        day = latest or latest_record_day(dataset)
        if day is None:
            return dataset
        return dataset.subset(dict(dataset.entities),
                              [f for f in dataset.facts if not _ended(f, day)],
                              [f for f in dataset.figures if not _ended(f, day)],
                              references=[r for r in dataset.references if not _ended(r, day)])
    if not history:
        return dataset.as_of(as_of)
    entities = {k: e for k, e in dataset.entities.items() if dataset.exists_on(k, as_of)}

    def begun(record: Fact | Figure) -> bool:
        return record.since is None or record.since.start() <= as_of

    return dataset.subset(
        entities,
        [f for f in dataset.facts if begun(f) and f.subject in entities and f.object in entities],
        [f for f in dataset.figures if begun(f) and f.entity in entities],
        references=[r for r in dataset.references
                    if begun(r) and r.subject in entities and r.object in entities])


def _natural(text: str) -> list[tuple[int, int | str]]:
    """Sort key reading digit runs as numbers (para 2 before para 10)."""
    return [(0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text)]


class Place(str):
    """A place cited in a source: its locator, with the key phrase in quotes where the citation
    has one, and (``link``) the text-fragment address that opens the page at that phrase."""

    link: str | None

    def __new__(cls, text: str, link: str | None = None) -> Place:
        place = super().__new__(cls, text)
        place.link = link
        return place


def numbered_sources(refs: Iterable[SourceRef],
                     dataset: Dataset | None = None) -> list[tuple[str, list[Place]]]:
    """(source id, places cited) in the order the sources are first cited; source ``n`` of a
    document is entry ``n - 1``. Places are in reading order (para 2 before para 10); with the
    ``dataset``, a place with a key phrase carries its text-fragment link."""
    from kg.data import phrases

    order: dict[str, list[Place]] = {}
    for ref in refs:
        places = order.setdefault(ref.source, [])
        text = phrases.cited_at(ref)
        if text not in places:
            link = phrases.citation_link(dataset, ref) if dataset is not None and ref.phrase else None
            places.append(Place(text, link))
    return [(source, sorted(places, key=_natural)) for source, places in order.items()]
