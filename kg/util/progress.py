"""Progress of long work on a terminal: one line on stderr, redrawn in place.

Silent when stderr is not a terminal (pipes, CI logs, tests) or when the
user asked for quiet; never more than a few redraws a second.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress", "STAGES"]

STAGES = {"parse": "reading files", "compile": "compiling the store", "export": "exporting",
          "rank": "ranking", "sparql": "loading the SPARQL store"}


class Progress:
    """A callable ``(stage, done, total)`` that draws a bar for each stage."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None,
                 interval: float = 0.2) -> None:
        # The bar redraws itself with a carriage return: it writes past the filter that shows
        # control characters of outside text on a terminal (kg.util.terminal.SafeStream).
        self.stream = getattr(stream or sys.stderr, "raw_stream", stream or sys.stderr)
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.interval = interval
        self._last = 0.0
        self._stage: str | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        finished = total > 0 and done >= total
        if stage == self._stage and not finished and now - self._last < self.interval:
            return
        self._last, self._stage = now, stage
        width = 30
        filled = width * done // total if total else 0
        label = STAGES.get(stage, stage)
        self.stream.write(f"\r{label}: [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if finished:
            self.stream.write("\n")
        self.stream.flush()
