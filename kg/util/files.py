"""Reading a file named by the user or found in a folder, without being fooled by what the
name stands for: a FIFO (reading it would wait forever), a device (``/dev/zero`` never
ends), or a file too large to hold in memory. Each is refused before anything is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kg.errors import KgError

MAX_DATA_FILE_BYTES = 10_000_000  # a data file larger than this is refused, never read


class Unreadable(KgError):
    """A file that is not read: missing, not a regular file, too large, or unreadable.
    The message is the reason alone (the caller names the file)."""


def read_regular(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """The bytes of ``path`` when it is (or links to) a regular file of at most ``max_bytes``.

    The file is opened without blocking (a FIFO opens at once), checked with ``fstat``
    on that same descriptor (no race with a rename), and read to one byte past the limit,
    so a file that grows while being read is refused too.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise Unreadable(exc.strerror or str(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("not a regular file (a FIFO, a device or a folder); not read")
        if info.st_size > max_bytes:
            raise Unreadable(f"larger than {max_bytes:,} bytes; not read")
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise Unreadable(exc.strerror or str(exc)) from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise Unreadable(f"larger than {max_bytes:,} bytes; not read")
    return data


def is_hidden(path: Path) -> bool:
    """A name starting with a dot: an editor's lock (``.#market.yaml``), a backup, a
    temporary file of a writer; never data."""
    return path.name.startswith(".")
