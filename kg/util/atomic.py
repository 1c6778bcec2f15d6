"""Atomic writes: a reader (or the next run) sees the old content or the new, never a part.

``write_atomic`` (``write_stream`` for content made piece by piece) writes
one file: the content goes to ``.NAME.XXXX.tmp``
beside the target, is flushed to disk, and replaces the target with one
rename. ``write_folder_atomic`` writes a set of files that belong together
(the CSV pair, the files of ``kg import rdf -o DIR``): they are written into
a temporary folder beside the target, which then takes the target's place in
one step (Linux ``renameat2(RENAME_EXCHANGE)``; elsewhere two renames, with a
moment in which the folder is missing but never mixed).

A run killed mid-write leaves its ``.NAME.*.tmp`` behind. The writer holds
an advisory lock (``flock``) on it while it works, and the lock dies with
the process, so the next write beside the same target removes the leftovers
nobody holds.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from kg.errors import KgError

__all__ = ["FolderNotOwned", "remove_stale", "sync_folder", "write_atomic", "write_folder_atomic",
           "write_private_json", "write_stream"]

_STALE_AFTER = 2.0  # seconds; a temporary file younger than this may still be taking its lock


class FolderNotOwned(KgError):
    """A target folder holding files the command did not write (it would replace them)."""


def write_atomic(path: str | os.PathLike[str], content: str | bytes) -> Path:
    """Write a file so that readers see the old content or the new, never a part.

    On any failure (full disk, read-only folder, a signal) the target is left as it was.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    return write_stream(path, [data])


def write_private_json(path: Path, value: Any, *, prefix: str | None = None,
                       sort_keys: bool = False) -> None:
    """Write ``value`` as JSON to ``path``, readable by this user only (a file of
    ``tempfile.mkstemp``, flushed to disk, then renamed over ``path``): the small records of
    the store's bookkeeping (a seal, a stamp, a journal). The temporary file's name starts with
    ``prefix`` (default ``.NAME.``); errors are raised as they come, after it is removed."""
    import json

    fd, tmp = tempfile.mkstemp(prefix=prefix if prefix is not None else f".{path.name}.",
                               suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(value, handle, sort_keys=sort_keys)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_stream(path: str | os.PathLike[str], chunks: Iterable[bytes]) -> Path:
    """Like ``write_atomic``, for content produced piece by piece (bounded memory)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise KgError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            _lock(handle.fileno())
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        sync_folder(path.parent)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise KgError(f"cannot write {path}: {exc.strerror}") from None
        raise
    return path


def write_folder_atomic(folder: str | os.PathLike[str],
                        files: Mapping[str, str | bytes | Iterable[bytes]],
                        owned: Iterable[str] = ()) -> list[Path]:
    """Write ``files`` (name -> content) as the whole content of ``folder``, all or nothing.

    A content may be a stream of chunks (bounded memory): the files are written in the
    mapping's order, each stream read to its end before the next one starts.

    ``folder`` may be missing, or hold only files named in ``files`` or
    ``owned`` (what an earlier run of the same command may have written);
    anything else in it raises FolderNotOwned, since the folder is replaced
    as a whole.
    """
    target = Path(folder)
    if target.is_symlink():
        target = target.resolve()
    if target.exists() and not target.is_dir():
        raise KgError(f"this writes a folder, and {target} is a file")
    others = sorted(set(_listing(target)) - set(files) - set(owned)) if target.is_dir() else []
    if others:
        raise FolderNotOwned(f"{target} holds other files ({', '.join(others[:5])}"
                             f"{' …' if len(others) > 5 else ''}); write into a new or empty folder, "
                             "since the folder is replaced as a whole")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(target)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as exc:
        raise KgError(f"cannot write {target}: {exc.strerror}") from None
    try:
        with _locked_folder(tmp):
            for name, content in files.items():
                pieces = ([content.encode("utf-8")] if isinstance(content, str)
                          else [content] if isinstance(content, bytes) else content)
                with open(tmp / name, "wb") as handle:
                    for piece in pieces:
                        handle.write(piece)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.chmod(tmp / name, 0o644)
            os.chmod(tmp, (target.stat().st_mode & 0o7777) if target.is_dir() else 0o755)
            sync_folder(tmp)
            if target.is_dir():
                _exchange(tmp, target)  # tmp now holds the previous version
            else:
                os.rename(tmp, target)
            sync_folder(target.parent)
    except BaseException as exc:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise KgError(f"cannot write {target}: {exc.strerror}") from None
        raise
    shutil.rmtree(tmp, ignore_errors=True)
    return [target / name for name in files]


def remove_stale(target: Path) -> None:
    """Remove ``.NAME.*.tmp`` files and folders beside ``target`` left by killed runs.

    One that a live writer holds (its lock is taken), or that is younger than
    two seconds (its writer may not have locked it yet), is left alone.
    """
    parent = target.parent
    try:
        candidates = [entry for entry in os.scandir(parent)
                      if entry.name.startswith(f".{target.name}.") and entry.name.endswith(".tmp")]
    except OSError:
        return
    for entry in candidates:
        path = Path(entry.path)
        try:
            if time.time() - entry.stat(follow_symlinks=False).st_mtime < _STALE_AFTER:
                continue
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            if not _try_lock(fd):
                continue
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        finally:
            os.close(fd)


def _listing(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError as exc:
        raise KgError(f"cannot read {folder}: {exc.strerror}") from None


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: leftovers are then removed by age alone
        return
    fcntl.flock(fd, fcntl.LOCK_EX)


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # pragma: no cover
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@contextlib.contextmanager
def _locked_folder(folder: Path) -> Iterator[None]:
    fd = os.open(folder, os.O_RDONLY)
    try:
        _lock(fd)
        yield
    finally:
        os.close(fd)


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries, so that a rename survives a crash of the machine."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _exchange(new: Path, old: Path) -> None:
    """Swap two folders in one step where the system can; else in two renames."""
    if _renameat2_exchange(new, old):
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{old.name}.", suffix=".tmp", dir=old.parent))
    os.rename(old, aside / "previous")
    os.rename(new, old)
    os.rename(aside / "previous", new)
    aside.rmdir()


def _renameat2_exchange(first: Path, second: Path) -> bool:
    """Linux's atomic swap of two paths; False where it is not available."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    if result == 0:
        return True
    errno = ctypes.get_errno()
    import errno as errnos

    if errno in (errnos.EINVAL, errnos.ENOSYS, errnos.ENOTSUP):
        return False  # this file system or kernel cannot swap: fall back
    raise OSError(errno, os.strerror(errno))
