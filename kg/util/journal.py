"""Changing several files of a folder as one step, with one writer at a time.

``folder_lock(folder)`` takes an exclusive ``flock`` on ``FOLDER/.kg-lock``:
every command that changes the data files (``kg add``, ``kg import csv``,
``kg fmt``) holds it from reading the files it checks to the end of its
write, so two writers never check the same old state and then both write
(the second would drop the first one's records).

``write_files(folder, texts)`` replaces several files all or nothing:

1. each new content goes to ``.NAME.XXXX.tmp`` beside its file (beside the
   file a symlink points to, so the link stays a link), with the old file's
   mode (and owner where allowed), flushed to disk;
2. the list of renames is written to ``FOLDER/.kg-journal`` (itself written
   to a temporary file and renamed, so it is whole or absent): the commit;
3. the temporary files are renamed over their targets, then the journal is
   removed.

A run killed before step 2 leaves only temporary files, which the next writer
removes: nothing changed. A run killed during step 3 leaves the journal; the
next command that reads or writes the folder finishes the renames
(``recover``) before it reads anything: everything changed. No reader sees
the mix for longer than the killed run's last moments.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from kg.errors import KgError
from kg.util.atomic import sync_folder, write_private_json

LOCK_NAME = ".kg-lock"
JOURNAL_NAME = ".kg-journal"
LOCK_WAIT = 120.0  # seconds a writer waits for another to finish before giving up


class FolderBusy(KgError):
    """Another writer held the folder for longer than a writer waits."""


def _flock(fd: int, exclusive: bool, wait: float | None) -> bool:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no locking
        return True
    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    end = None if wait is None else time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if end is not None and time.monotonic() >= end:
                return False
            time.sleep(0.02)


@contextlib.contextmanager
def folder_lock(folder: str | os.PathLike[str], wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold the folder's writer lock (finishing an interrupted write first, and removing the
    leftovers of killed runs); raises FolderBusy after ``wait`` seconds, KgError when the
    lock file cannot be made (a read-only folder: nothing could be written anyway).

    The lock file exists only while it is held: the holder removes it before letting go.
    A waiter that then holds the lock on a removed file sees that the name now stands for
    another file (or none) and starts again, so two never hold it at once.
    """
    folder = Path(folder)
    path = folder / LOCK_NAME
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    end = time.monotonic() + wait
    while True:
        try:
            fd = os.open(path, flags, 0o644)
        except OSError as exc:
            raise KgError(f"cannot write to {folder}: {exc.strerror}") from None
        try:
            held = os.fstat(fd)
            if not stat.S_ISREG(held.st_mode):
                raise KgError(f"{path} is not a regular file; remove it")
            if not _flock(fd, True, max(0.0, end - time.monotonic())):
                raise FolderBusy(f"{folder} is being changed by another command (it holds "
                                 f"{path}); try again when it is done")
            try:
                current = os.stat(path, follow_symlinks=False)
            except FileNotFoundError:
                current = None
            if current is not None and (current.st_ino, current.st_dev) == (held.st_ino, held.st_dev):
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # the holder before us removed this file: lock the new one
    try:
        recover(folder, locked=True)
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)


def write_files(folder: str | os.PathLike[str], texts: Mapping[Path, str | bytes]) -> None:
    """Replace the files ``texts`` names (under ``folder_lock``) all or nothing, keeping each
    file's mode and symlinks (see the module's docstring). Raises KgError with nothing
    changed when a temporary file cannot be written."""
    folder = Path(folder)
    staged: list[tuple[str, str, int]] = []  # (temporary, target, locked descriptor)
    try:
        try:
            for path, text in texts.items():
                target = Path(os.path.realpath(path))
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                           dir=target.parent)
                staged.append((tmp, str(target), fd))
                _flock(fd, True, None)  # kg.util.atomic.remove_stale leaves a held file alone
                data = text.encode("utf-8") if isinstance(text, str) else text
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                _keep_mode_and_owner(fd, target)
                os.fsync(fd)
            renames = [(tmp, target) for tmp, target, _fd in staged]
            _write_journal(folder, renames)
        except OSError as exc:
            for tmp, _target, _fd in staged:
                Path(tmp).unlink(missing_ok=True)
            raise KgError(f"cannot write {exc.filename or folder}: {exc.strerror}; "
                          "nothing written") from None
        try:
            _finish(folder, renames)
        except OSError as exc:  # committed: the temporary files stay for the next command
            raise KgError(f"cannot finish writing {exc.filename or folder}: {exc.strerror}; "
                          "the next kg command in this folder finishes the write") from None
    finally:
        for _tmp, _target, fd in staged:  # held until renamed
            os.close(fd)


def _keep_mode_and_owner(fd: int, target: Path) -> None:
    try:
        old = os.stat(target)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        return
    os.fchmod(fd, stat.S_IMODE(old.st_mode))
    if hasattr(os, "fchown") and (old.st_uid, old.st_gid) != (os.getuid(), os.getgid()):
        with contextlib.suppress(PermissionError):
            os.fchown(fd, old.st_uid, old.st_gid)


def _write_journal(folder: Path, renames: list[tuple[str, str]]) -> None:
    """The commit: the list of renames, whole or absent (written aside, then renamed)."""
    write_private_json(folder / JOURNAL_NAME, {"renames": renames}, prefix=f"{JOURNAL_NAME}.")
    sync_folder(folder)


def _finish(folder: Path, renames: list[tuple[str, str]]) -> None:
    parents = set()
    for tmp, target in renames:
        if os.path.lexists(tmp):
            os.replace(tmp, target)
        parents.add(os.path.dirname(target))
    for parent in parents:
        sync_folder(Path(parent))
    (folder / JOURNAL_NAME).unlink(missing_ok=True)
    sync_folder(folder)


def remove_stale_lock(folder: str | os.PathLike[str]) -> None:
    """Remove a lock file that a killed writer left (nobody holds it), so that it does not stay
    in the data folder; a lock somebody holds is left alone."""
    path = Path(folder) / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return
    try:
        held = os.fstat(fd)
        if stat.S_ISREG(held.st_mode) and _flock(fd, True, 0):
            current = os.stat(path, follow_symlinks=False)
            if (current.st_ino, current.st_dev) == (held.st_ino, held.st_dev):
                os.unlink(path)  # while holding it: a waiter then sees the name is gone
    except OSError:
        pass
    finally:
        os.close(fd)


def recover(folder: str | os.PathLike[str], locked: bool = False) -> bool:
    """Finish a write that was killed after its commit (see the module's docstring) and
    remove temporary files of killed writers; True when a write was finished.

    Readers call this when they find a journal: they wait for the lock (a live writer is
    then done) and finish what a dead one left. Without write access they read as is.
    """
    folder = Path(folder)
    if not locked:
        if not os.path.lexists(folder / JOURNAL_NAME):
            return False
        try:
            with folder_lock(folder, wait=10.0):
                return True  # folder_lock recovered
        except KgError:
            return False
    finished = False
    journal = folder / JOURNAL_NAME
    if os.path.lexists(journal):
        renames = _read_journal(folder, journal)
        if renames is not None:
            _finish(folder, renames)
            finished = True
        else:
            journal.unlink(missing_ok=True)
    _remove_leftovers(folder)
    return finished


def _read_journal(folder: Path, journal: Path) -> list[tuple[str, str]] | None:
    """The journal's renames, each checked: a temporary file of ours beside its target,
    and a target that is in the folder or that a data file of the folder links to. A
    journal planted to move other files is ignored."""
    try:
        info = os.lstat(journal)
        if not stat.S_ISREG(info.st_mode) or info.st_size > 1_000_000 or (
                hasattr(os, "getuid") and info.st_uid != os.getuid()):
            return None
        renames = json.loads(journal.read_text(encoding="utf-8"))["renames"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    root = os.path.realpath(folder)
    linked = {os.path.realpath(p) for p in _folder_files(folder) if os.path.islink(p)}
    checked = []
    for pair in renames:
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
            return None
        tmp, target = pair
        name = os.path.basename(target)
        inside = os.path.commonpath([root, os.path.realpath(os.path.dirname(target))]) == root
        if not (inside or target in linked) or os.path.dirname(tmp) != os.path.dirname(target) \
                or not os.path.basename(tmp).startswith(f".{name}.") or not tmp.endswith(".tmp"):
            return None
        checked.append((tmp, target))
    return checked


def _folder_files(folder: Path) -> Iterator[str]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.endswith((".yaml", ".yml")) and not name.startswith("."):
                yield os.path.join(root, name)


def _remove_leftovers(folder: Path) -> None:
    """Temporary files of killed writers beside the folder's data files (under the lock, no
    live writer of ours has any; one held by another program's lock is left alone)."""
    places = {os.path.realpath(folder)}
    names: set[str] = set()
    for path in _folder_files(folder):
        real = os.path.realpath(path)
        places.add(os.path.dirname(real))
        names.add(os.path.basename(real))
    for place in places:
        try:
            entries = list(os.scandir(place))
        except OSError:
            continue
        for entry in entries:
            if not entry.name.endswith(".tmp") or not entry.name.startswith("."):
                continue
            owner = entry.name[1:].rsplit(".", 2)[0]
            if owner not in names and not entry.name.startswith(f"{JOURNAL_NAME}."):
                continue
            _remove_unheld(entry.path)


def _remove_unheld(path: str) -> None:
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return
    try:
        if _flock(fd, True, 0):
            os.unlink(path)
    except OSError:
        pass
    finally:
        os.close(fd)

