"""ISO dates at year, month or day precision (``2025``, ``2025-10``, ``2025-10-01``)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["bounds", "DateError", "parse_as_of", "PartialDate", "valid_on"]

# ASCII digits only (``\d`` would take fullwidth and other digits), matched in full.
_DATE_RE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


class DateError(ValueError):
    """A value that is not an ISO date at year, month or day precision."""


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a bare int is a year)."""
        if isinstance(value, bool):
            raise DateError(f"{value!r} is not a date")
        if isinstance(value, int) and not 0 < value < 10_000:
            shown = value if abs(value) < 10**12 else "a number that long"
            raise DateError(f"{shown} is not a year of four digits")
        # Spaces around the date are forgiven; a line break is not (it is not in a plain date).
        text = str(value).strip(" \t") if isinstance(value, (str, int)) else None
        match = _DATE_RE.fullmatch(text) if text is not None else None
        if not match:
            shown = value if not isinstance(value, str) or len(value) <= 40 else value[:37] + "..."
            raise DateError(f"{shown!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
        year, month, day = (int(g) if g else None for g in match.groups())
        if year == 0:
            raise DateError(f"{text!r}: there is no year 0 (the calendar starts at 0001)")
        if month is not None and not 1 <= month <= 12:
            raise DateError(f"{text!r} has no month {month}")
        if day is not None:
            assert month is not None
            if not 1 <= day <= calendar.monthrange(year, month)[1]:
                raise DateError(f"{text!r} is not a day of the calendar")
        return cls(year, month, day)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def start(self) -> dt.date:
        """The first day the date may stand for."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def end(self) -> dt.date:
        """The last day the date may stand for."""
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def sort_key(self) -> tuple[dt.date, int]:
        # Coarser dates sort before finer ones that start on the same day.
        return (self.start(), {"year": 0, "month": 1, "day": 2}[self.precision])

    def __str__(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


def valid_on(since: PartialDate | None, until: PartialDate | None, day: dt.date) -> bool:
    """Whether a validity interval may hold on ``day``.

    ``since`` counts from the first day it may stand for and ``until`` to the
    last, so a fact dated ``2025-10`` is in view on any day of October 2025.
    """
    if since is not None and since.start() > day:
        return False
    return not (until is not None and until.end() < day)


def parse_as_of(value: str) -> dt.date:
    """The day an ``--as-of`` value stands for: the last day of its period."""
    return PartialDate.parse(value).end()


def bounds(value: PartialDate | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day a date may stand for (``2025-10`` -> 1 and 31 October), or None.

    Exports that need plain days (property graphs, linked data) write these
    beside the ISO string, so range queries need no knowledge of precision.
    """
    return None if value is None else (value.start(), value.end())
