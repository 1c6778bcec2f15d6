"""Keeping the store file whole and ours: where it may live, how a new version is published,
and the seal that says its bytes are the ones written.

A store file is never changed in place. A build writes a private file beside it
(``.store-….sqlite.XXXX.tmp``, starting as a copy of the published store when
that is sealed, so only changed data files are parsed again), flushes it,
records its seal, and renames it over the store: a reader has the old file
open or the new one, never a mix, and a reader opens it ``immutable``, so
SQLite replays no ``-journal`` or ``-wal`` file found beside it.

The seal (``store-….sqlite.seal``, JSON) holds the file's size, time, inode and
BLAKE2b digest. Opening compares the first three with the file, which costs one
``stat``; when they differ (the file was edited, damaged, copied back) the
digest is computed again, and a file whose digest differs is not used: it is
built again. A change that keeps the file's size, time and inode (bytes
rewritten and the time set back on purpose) is not looked for.

Every file here (the store, its seal, the builder's lock ``….sqlite.lock``)
must be a regular file, not a link, owned by this user and writable by nobody
else, in a folder that nobody else can change: owned by this user and not
writable by others, or a shared folder with the sticky bit (``/tmp``), where
others cannot replace or remove this user's files. Anything else raises
``Unsafe`` or is taken as absent and replaced, and the caller builds in memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.errors import KgError

_SEAL_SUFFIX = ".seal"
_LOCK_SUFFIX = ".lock"
_BUILD_WAIT = 600.0  # seconds a process waits for another one's build
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class Unsafe(KgError):
    """A store location that others could change under this user."""


def mine(info: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else."""
    owner = info.st_uid == os.getuid() if hasattr(os, "getuid") else True
    return owner and not info.st_mode & 0o022


def check_folder(folder: Path) -> None:
    """Make the store's folder (private) if missing; raise Unsafe when others may change it."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    info = folder.stat()
    if not stat.S_ISDIR(info.st_mode):
        raise Unsafe(f"{folder} is not a folder")
    if mine(info) or info.st_mode & stat.S_ISVTX:
        return  # ours, or shared with the sticky bit: others cannot touch our files in it
    raise Unsafe(f"{folder} can be changed by other users")


def seal_path(path: Path) -> Path:
    return path.with_name(path.name + _SEAL_SUFFIX)


def _open_own(path: Path, flags: int = os.O_RDONLY) -> int | None:
    """A descriptor of ``path`` when it is a regular file of ours (not a link, not writable by
    others); None when it is absent. Anything else is removed when it can be (it is then
    absent) or raises Unsafe."""
    try:
        fd = os.open(path, flags | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return None
    except OSError:
        _remove_foreign(path)  # a link (ELOOP), or a file we may not open
        return None
    info = os.fstat(fd)
    if stat.S_ISREG(info.st_mode) and mine(info):
        return fd
    os.close(fd)
    _remove_foreign(path)
    return None


def _remove_foreign(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:
        raise Unsafe(f"{path} is not this user's own file and cannot be removed") from None


def _digest(fd: int) -> str:
    digest = hashlib.blake2b(digest_size=20)
    with os.fdopen(os.dup(fd), "rb") as handle:
        handle.seek(0)
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _fingerprint(info: os.stat_result) -> list[int]:
    return [info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev]


def _read_seal(path: Path) -> dict | None:
    fd = _open_own(seal_path(path))
    if fd is None:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            seal = json.loads(handle.read(4096))
        if isinstance(seal, dict) and isinstance(seal.get("digest"), str) \
                and isinstance(seal.get("fingerprint"), list):
            return seal
    except (OSError, ValueError):
        pass
    return None


def _write_seal(path: Path, fingerprint: list[int], digest: str) -> None:
    from kg.util.atomic import write_private_json

    write_private_json(seal_path(path), {"fingerprint": fingerprint, "digest": digest})


def verified(path: Path) -> bool:
    """The store file is ours and its bytes are the sealed ones (see the module's docstring)."""
    seal = _read_seal(path)
    fd = _open_own(path)
    if fd is None:
        return False
    try:
        if seal is None:
            return False
        info = os.fstat(fd)
        if _fingerprint(info) == seal["fingerprint"]:
            return True
        if _digest(fd) != seal["digest"]:
            return False
        with contextlib.suppress(OSError):  # same bytes, touched: remember the new stat
            _write_seal(path, _fingerprint(info), seal["digest"])
        return True
    finally:
        os.close(fd)


def unseal(path: Path) -> None:
    """Mark the store as not to be trusted: the next run builds it again."""
    with contextlib.suppress(OSError):
        os.unlink(seal_path(path))


def exclusive_lock(lock: Path, wait: float, holding: str) -> int:
    """A descriptor of ``lock`` (created private, or an existing file of this user's own)
    holding an exclusive ``flock`` on it, waiting at most ``wait`` seconds for another
    process to let it go (then Unsafe, saying the other process is ``holding`` it too long).
    The caller closes the descriptor, or turns the lock into a shared one and keeps it."""
    import fcntl
    import time

    fd = _open_own(lock, os.O_RDWR)
    if fd is None:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
        except FileExistsError:
            fd = _open_own(lock, os.O_RDWR)
            if fd is None:
                raise Unsafe(f"{lock} keeps changing") from None
    try:
        end = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                if time.monotonic() > end:
                    raise Unsafe(f"another process has been {holding} for too long") from None
                time.sleep(0.05)
    except BaseException:
        os.close(fd)
        raise


@contextlib.contextmanager
def builder_lock(path: Path) -> Iterator[None]:
    """One builder at a time for this store (an exclusive ``flock`` on ``….sqlite.lock``)."""
    try:
        import fcntl  # noqa: F401 - only to learn whether locks exist here
    except ImportError:  # pragma: no cover - not POSIX: builds may then overlap (each is whole)
        yield
        return
    fd = exclusive_lock(path.with_name(path.name + _LOCK_SUFFIX), _BUILD_WAIT, f"building {path}")
    try:
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def private_file(path: Path) -> Iterator[tuple[Path, bool]]:
    """A private file to build in, beside ``path``: a copy of the published store when that
    is sealed (True), else empty (False). Removed unless published; leftovers of killed
    builds are removed (call it holding ``builder_lock``)."""
    from kg.util.atomic import remove_stale

    remove_stale(path)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    build = Path(name)
    try:
        with contextlib.suppress(ImportError):
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)  # remove_stale leaves a file in use alone
        copied = False
        if verified(path):
            source = _open_own(path)
            if source is not None:
                with os.fdopen(source, "rb") as old, open(fd, "wb", closefd=False) as new:
                    _copy(old, new)
                copied = True
        yield build, copied
    finally:
        os.close(fd)
        build.unlink(missing_ok=True)


def _copy(old: Any, new: Any) -> None:
    """Copy a file's bytes in the kernel (``copy_file_range``: no pass through this process,
    and a shared extent where the file system can), else through a buffer."""
    copy_range = getattr(os, "copy_file_range", None)
    if copy_range is not None:
        try:
            while copy_range(old.fileno(), new.fileno(), 1 << 30):
                pass
            return
        except OSError:  # not offered across these files: copy from the start, by hand
            old.seek(0)
            new.seek(0)
            new.truncate()
    shutil.copyfileobj(old, new, 1 << 20)


def publish(build: Path, path: Path) -> None:
    """Flush the built file, seal it and rename it over the store (a link there is replaced,
    never followed)."""
    fd = os.open(build, os.O_RDONLY | _NOFOLLOW)
    try:
        os.fsync(fd)
        os.fchmod(fd, 0o600)
        info = os.fstat(fd)
        digest = _digest(fd)
    finally:
        os.close(fd)
    unseal(path)  # between the rename and the new seal, no reader trusts the old seal
    os.replace(build, path)
    _write_seal(path, _fingerprint(info), digest)
    for suffix in ("-wal", "-shm", "-journal"):  # left by older versions; never read now
        with contextlib.suppress(OSError):
            os.unlink(f"{path}{suffix}")
    with contextlib.suppress(OSError):
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def open_own(path: Path, flags: int = os.O_RDONLY) -> int | None:
    """A descriptor of ``path`` when it is a regular file of this user that nobody else can
    write (not a link); None when absent. Anything else is removed, or raises Unsafe."""
    return _open_own(path, flags)
