"""Running a piece of work under a time limit and a memory limit (SPARQL queries, RDF imports).

``run_bounded(work, timeout, memory_mb)`` runs ``work()`` in a forked child
process and returns what it returned. A child, not a thread: rdflib's query
engine and parsers are pure Python with no way to cancel them, a thread
cannot be stopped from outside, and a signal-based alarm stops neither a
long C call nor the memory a runaway query takes. A child process can be
killed at the deadline whatever it is doing, gets an address-space limit
(``RLIMIT_AS``) of its own, and leaves nothing behind in the caller.

The result travels back over a private pipe as JSON (data only, never code):
``work`` returns JSON-able values. A ``KgError`` raised in the child is
raised again in the parent with its message and class. Where ``fork`` does
not exist (Windows) the work runs in the process itself, without limits.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import time
from collections.abc import Callable
from typing import Any

from kg.errors import KgError

__all__ = ["LimitExceeded", "register_error", "run_bounded"]


class LimitExceeded(KgError):
    """The work ran past its time limit or out of its memory."""


# KgError subclasses that may cross from the child, by name (anything else arrives as KgError).
_ERRORS: dict[str, type[KgError]] = {"KgError": KgError, "LimitExceeded": LimitExceeded}


def register_error(cls: type[KgError]) -> type[KgError]:
    """Let ``cls`` arrive in the parent as itself (a decorator for KgError subclasses)."""
    _ERRORS[cls.__name__] = cls
    return cls


def run_bounded(work: Callable[[], Any], timeout: float, memory_mb: int | None, what: str,
                memory_option: str | None = "--memory") -> Any:
    """``work()``'s JSON-able result, computed within ``timeout`` seconds and ``memory_mb`` MiB.

    Raises LimitExceeded naming ``what`` when a limit is hit, and the KgError
    the work raised, if any. ``memory_option`` is the option that raises the memory
    limit, named in the message (None: the command has none).
    """
    if not hasattr(os, "fork"):  # pragma: no cover - not POSIX
        return json.loads(json.dumps(work()))
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        from kg.util.processes import die_with_parent

        die_with_parent(parent)  # a killed command leaves no work running behind it
        os.close(read_end)
        _child(work, write_end, memory_mb, memory_option)
    os.close(write_end)
    try:
        payload, finished = _collect(read_end, time.monotonic() + timeout)
    finally:
        os.close(read_end)
    if not finished:
        _kill(pid)
        raise LimitExceeded(f"{what} took longer than {timeout:g} s and was stopped "
                            "(raise the limit with --timeout)")
    _, status = os.waitpid(pid, 0)
    try:
        message = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        message = None
    if not isinstance(message, dict):
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
            raise LimitExceeded(f"{what} was stopped by the system (out of memory?)")
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGABRT and memory_mb is not None:
            # Native code (Oxigraph's query engine) aborts when an allocation fails under the
            # address-space limit, where Python code would raise MemoryError.
            raise LimitExceeded(_out_of_memory(memory_mb, memory_option))
        raise KgError(f"{what} failed without an answer (exit status {status})")
    if "error" in message:
        cls = _ERRORS.get(message.get("class", ""), KgError)
        raise cls(message["error"])
    return message.get("result")


def _child(work: Callable[[], Any], write_end: int, memory_mb: int | None,
           memory_option: str | None) -> None:
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        _quiet_stderr()
        if memory_mb is not None:
            _limit_memory(memory_mb)
        try:
            message: dict[str, Any] = {"result": work()}
        except MemoryError:
            _unlimit_memory()  # room to write the answer
            message = {"class": "LimitExceeded", "error": _out_of_memory(memory_mb, memory_option)}
        except KgError as exc:
            message = {"class": type(exc).__name__, "error": str(exc)}
        except RecursionError:
            message = {"class": "LimitExceeded", "error": "it nests too deeply to be evaluated"}
        try:
            data = json.dumps(message).encode("utf-8")
        except (TypeError, ValueError) as exc:  # a result that is not data: a programming error
            data = json.dumps({"error": f"internal error: {exc}"}).encode("utf-8")
        view = memoryview(data)
        while view:
            view = view[os.write(write_end, view):]
    except BaseException:  # noqa: BLE001 - the child must end here, whatever happens
        code = 70
    finally:
        os._exit(code)


def _out_of_memory(memory_mb: int | None, memory_option: str | None) -> str:
    limit = f"limit {memory_mb} MiB" if memory_mb is not None else "no limit of its own"
    hint = f"; raise it with {memory_option}" if memory_option and memory_mb is not None else ""
    return f"it ran out of memory ({limit}{hint})"


def _quiet_stderr() -> None:
    """The child answers over its pipe only. Out of memory, Python may still report
    "Exception ignored … MemoryError" from a destructor on standard error: such reports
    are dropped, and standard error goes nowhere, so the user sees the one-line answer."""
    import faulthandler
    import sys

    sys.unraisablehook = lambda _unraisable: None
    faulthandler.disable()  # its report of a native abort (out of memory) would bypass the pipe
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)


def _unlimit_memory() -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def _limit_memory(memory_mb: int) -> None:
    """Cap the child's address space at what it uses now plus ``memory_mb`` MiB."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return
    in_use = 0
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            in_use = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        pass
    limit = in_use + memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _collect(fd: int, deadline: float) -> tuple[bytes, bool]:
    """Everything the child writes until it closes the pipe, or what came before the deadline."""
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return b"".join(chunks), False
        try:
            ready, _, _ = select.select([fd], [], [], left)
        except InterruptedError:  # pragma: no cover - retried by Python itself since 3.5
            continue
        if not ready:
            return b"".join(chunks), False
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks), True
        chunks.append(chunk)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it may have ended just now
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
