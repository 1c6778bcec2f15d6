"""Building the compiled store: parse changed files, check everything, write the tables.

Each data file is read once; its bytes are hashed and parsed from that same
read, so a file's digest always describes the records kept for it (an edit
during the read cannot file new content under an old digest). A file whose
size and modification time are those recorded, and that was not modified in
the last seconds before it was recorded ("racy", as git calls it), is taken
as unchanged; otherwise its bytes are hashed again and re-parsed only when
they differ. Parsing several files uses a process pool.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.data.load import data_files, display_path, parse_data_file
from kg.data.model import Dataset, Entity, Fact, Figure, Loaded
from kg.data.ontology import Ontology
from kg.errors import KgError, Problem
from kg.store.codec import RECORD_TYPES, decode, encode
from kg.util.yamlsafe import Loc

__all__ = [
    "BuildResult", "compile_tables", "digest_of", "existence_start", "FileState", "loaded_from_payloads",
    "MAX_FILE_BYTES", "PARALLEL_FROM", "parse_payload", "RACY_SECONDS", "refresh", "scan", "SECTIONS"
]

SECTIONS = tuple(RECORD_TYPES)
RACY_SECONDS = 2.0  # a file modified this close to being recorded is re-hashed next time
MAX_FILE_BYTES = 10_000_000
PARALLEL_FROM = 8  # changed files from which parsing uses a process pool

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class FileState:
    path: str  # absolute
    size: int
    mtime_ns: int


@dataclass
class BuildResult:
    files: int
    counts: dict[str, int]
    problems: list[Problem]
    parsed: int  # files parsed in this build (the others were unchanged)
    compiled: bool = False
    seconds: dict[str, float] = field(default_factory=dict)  # CPU seconds by stage


def scan(data_dir: Path) -> list[FileState]:
    """The data files with their size and modification time, sorted as the loader reads them."""
    states = []
    files = data_files(data_dir)
    if not files:
        raise KgError(f"no *.yaml or *.yml files in {display_path(data_dir)}")
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            states.append(FileState(str(path.absolute()), -1, -1))
            continue
        states.append(FileState(str(path.absolute()), stat.st_size, stat.st_mtime_ns))
    return states


def _read(path: str) -> tuple[bytes | None, int, int, str | None]:
    """The bytes of a file with the size and time they were read at (or an error text).

    Only a regular file of at most ``MAX_FILE_BYTES`` is read: a FIFO, a device
    (``/dev/zero``) or a huge file behind a ``.yaml`` name is refused, never waited on.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return None, -1, -1, exc.strerror or str(exc)
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            return None, -1, -1, "not a regular file"
        if before.st_size > MAX_FILE_BYTES:
            return None, -1, -1, f"larger than {MAX_FILE_BYTES} bytes"
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        after = os.fstat(fd)
    except OSError as exc:
        return None, -1, -1, exc.strerror or str(exc)
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        return None, -1, -1, f"larger than {MAX_FILE_BYTES} bytes"
    mtime = after.st_mtime_ns
    if before.st_mtime_ns != after.st_mtime_ns or before.st_size != after.st_size:
        mtime = -1  # changed while being read: never trust its time
    return data, after.st_size, mtime, None


def digest_of(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def parse_payload(path: str, data: bytes | None, error: str | None) -> str:
    """One file's parse result as JSON: its records by section, its problems, rejected ids."""
    display = display_path(Path(path))
    if data is None:
        loaded = Loaded(ontology=None)  # type: ignore[arg-type]
        loaded.files.append(display)
        loaded.problems.append(Problem(Loc(display, 1, 1), f"cannot read the file: {error}"))
    else:
        loaded = parse_data_file(data, display)
    payload = {
        section: [encode(record) for record in getattr(loaded, section)] for section in SECTIONS
    }
    payload["problems"] = [[p.loc.line, p.loc.column, p.message, p.hint] for p in loaded.problems]
    payload["rejected"] = {k: sorted(v) for k, v in loaded.rejected.items()}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def _parse_job(path: str) -> tuple[str, str, int, int, str]:
    gc.disable()  # a parse makes many small objects and no cycles worth collecting
    try:
        return _parse_one(path)
    finally:
        gc.enable()


def _parse_one(path: str) -> tuple[str, str, int, int, str]:
    data, size, mtime, error = _read(path)
    return path, digest_of(data) if data is not None else "", size, mtime, \
        parse_payload(path, data, error)


def _parse_many(paths: list[str], progress: Progress | None) -> Iterable[tuple[str, str, int, int, str]]:
    if len(paths) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        for done, path in enumerate(paths, 1):
            yield _parse_job(path)
            if progress:
                progress("parse", done, len(paths))
        return
    import concurrent.futures as futures
    import multiprocessing

    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
    from kg.util.processes import die_with_parent

    with futures.ProcessPoolExecutor(max_workers=min(os.cpu_count() or 2, 4), mp_context=context,
                                     initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        for done, result in enumerate(pool.map(_parse_job, paths, chunksize=4), 1):
            yield result
            if progress:
                progress("parse", done, len(paths))


def loaded_from_payloads(rows: Iterable[tuple[str, str]], ontology: Ontology) -> Loaded:
    """A ``Loaded`` rebuilt from the kept parse results ((path, payload) in file order)."""
    loaded = Loaded(ontology=ontology)
    for path, payload_text in rows:
        display = display_path(Path(path))
        payload = json.loads(payload_text)
        loaded.files.append(display)
        for section in SECTIONS:
            getattr(loaded, section).extend(decode(section, text, display)
                                            for text in payload[section])
        loaded.problems.extend(Problem(Loc(display, line, col), message, hint)
                               for line, col, message, hint in payload["problems"])
        for key, ids in payload["rejected"].items():
            loaded.rejected.setdefault(key, set()).update(ids)
    return loaded


def refresh(conn: Any, data_dir: Path, ontology: Ontology, states: list[FileState],
            progress: Progress | None = None) -> BuildResult:
    """Bring the store up to date with the files (inside the caller's write transaction)."""
    from kg.data.validate import validate

    timings: dict[str, float] = {}
    started = _cpu()
    known = {row[0]: row for row in conn.execute(
        "SELECT path, digest, size, mtime_ns FROM files")}
    current = {s.path for s in states}
    removed = [path for path in known if path not in current]
    to_check = []
    for state in states:
        row = known.get(state.path)
        if row is not None and row[2] == state.size and row[3] == state.mtime_ns and row[3] != -1:
            continue
        to_check.append(state.path)
    changed: list[str] = []
    # A file whose stat changed but whose bytes did not keeps its parse result.
    for path in to_check:
        row = known.get(path)
        if row is None:
            changed.append(path)
            continue
        data, size, mtime, _error = _read(path)
        if data is not None and digest_of(data) == row[1]:
            conn.execute("UPDATE files SET size=?, mtime_ns=? WHERE path=?",
                         (size, _trusted_mtime(mtime), path))
        else:
            changed.append(path)
    for path in removed:
        conn.execute("DELETE FROM files WHERE path=?", (path,))
    for path, digest, size, mtime, payload in _parse_many(changed, progress):
        conn.execute("INSERT OR REPLACE INTO files(path, digest, size, mtime_ns, payload) "
                     "VALUES (?, ?, ?, ?, ?)", (path, digest, size, _trusted_mtime(mtime), payload))
    timings["parse"] = _cpu() - started
    dirty = bool(changed or removed) or _meta(conn, "valid") is None
    if not dirty:
        return BuildResult(len(states), _counts(conn), _problems(conn), 0, False, timings)
    order = {s.path: n for n, s in enumerate(states)}
    rows = sorted(conn.execute("SELECT path, payload FROM files"), key=lambda r: order.get(r[0], 0))
    enabled = gc.isenabled()
    gc.disable()  # millions of small objects: the cyclic collector would only slow this down
    try:
        step = _cpu()
        loaded = loaded_from_payloads(rows, ontology)
        timings["decode"] = _cpu() - step
        step = _cpu()
        problems = sorted(loaded.problems + validate(loaded))
        timings["check"] = _cpu() - step
        counts = {"files": len(loaded.files), "entities": len(loaded.entities),
                  "facts": len(loaded.facts), "figures": len(loaded.figures),
                  "sources": len(loaded.sources)}
        _set_meta(conn, "counts", json.dumps(counts))
        _set_meta(conn, "problems", json.dumps(
            [[p.loc.file, p.loc.line, p.loc.column, p.message, p.hint] for p in problems],
            ensure_ascii=False))
        _set_meta(conn, "valid", "1" if not problems else "0")
        compiled = False
        if not problems:
            step = _cpu()
            dataset = Dataset(ontology=ontology, sources={s.id: s for s in loaded.sources},
                              entities={e.id: e for e in loaded.entities}, facts=loaded.facts,
                              figures=loaded.figures)
            compile_tables(conn, dataset, progress)
            timings["compile"] = _cpu() - step
            compiled = True
            # References exist once the data is valid: counted apart from the facts.
            counts = {**{k: v for k, v in counts.items() if k in ("files", "entities", "facts")},
                      "references": len(dataset.references),
                      **{k: v for k, v in counts.items() if k in ("figures", "sources")}}
            _set_meta(conn, "counts", json.dumps(counts))
    finally:
        if enabled:
            gc.enable()
    return BuildResult(len(states), counts, problems, len(changed), compiled, timings)


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the parse pool)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _trusted_mtime(mtime: int) -> int:
    """The time to record, or -1 when it is too recent to tell a later edit apart."""
    if mtime < 0 or time.time_ns() - mtime < RACY_SECONDS * 1e9:
        return -1
    return mtime


def _meta(conn: Any, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
    return row[0] if row else None


def _set_meta(conn: Any, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))


def _counts(conn: Any) -> dict[str, int]:
    return json.loads(_meta(conn, "counts") or "{}")


def _problems(conn: Any) -> list[Problem]:
    return [Problem(Loc(f, line, col), message, hint)
            for f, line, col, message, hint in json.loads(_meta(conn, "problems") or "[]")]


def existence_start(dataset: Dataset, entity: Entity) -> tuple[str | None, str | None, str | None]:
    """When an entity begins to exist (``Dataset.existence``): the first day as an ISO day, the
    date as the data gives it, and the evidence as JSON (all None: its start is not recorded,
    and it is present on every date)."""
    existence = dataset.existence(entity.id)
    if existence.start is None:
        return (None, None, None)
    return (existence.start.start().isoformat(), str(existence.start),
            json.dumps(existence.to_json(), ensure_ascii=False, sort_keys=True))


def compile_tables(conn: Any, dataset: Dataset, progress: Progress | None = None) -> None:
    """Replace the query tables with the records of a valid dataset."""
    from kg.data.names import normalize

    onto = dataset.ontology
    for table in ("sources", "entities", "names", "facts", "figures"):
        conn.execute(f"DELETE FROM {table}")
    conn.executemany("INSERT INTO sources(id, seq, file, json) VALUES (?, ?, ?, ?)",
                     ((s.id, n, s.loc.file, encode(s)) for n, s in enumerate(dataset.sources.values())))
    total = len(dataset.entities) + len(dataset.facts)

    def entity_rows() -> Iterable[tuple]:
        for n, e in enumerate(dataset.entities.values()):
            if progress and n % 5000 == 0:
                progress("compile", n, total)
            yield (e.id, n, e.type, e.label, *existence_start(dataset, e), e.loc.file, encode(e))

    conn.executemany("INSERT INTO entities(id, seq, type, label, exists_from, exists_since, "
                     "existence, file, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", entity_rows())

    def name_rows() -> Iterable[tuple]:
        for e in dataset.entities.values():
            for name in dict.fromkeys([*e.names(), e.id]):
                folded = normalize(name)
                if folded:
                    yield (folded, name, e.id)

    conn.executemany("INSERT INTO names(folded, name, entity) VALUES (?, ?, ?)", name_rows())
    offset = len(dataset.entities)

    from kg.data.ranks import outranked

    hidden = outranked([*dataset.facts, *dataset.figures], onto)

    def best(record: Fact | Figure) -> int:
        """1 when the record (or, for a reference, the record it comes from) is of the best rank."""
        own = record.derived_from.record if isinstance(record, Fact) and record.derived_from \
            else record.id
        return 0 if own in hidden else 1

    def fact_rows() -> Iterable[tuple]:
        # The stated facts, then the reference edges derived from them and the figures.
        for n, f in enumerate(dataset.edges):
            if progress and n % 5000 == 0:
                progress("compile", offset + n, total)
            yield (f.id, n, f.subject, f.relation, f.object, f.kind,
                   1 if onto.relations[f.relation].symmetric else 0,
                   f.since.start().isoformat() if f.since else None,
                   f.until.end().isoformat() if f.until else None,
                   0 if f.derived_from is None else 1, best(f), f.loc.file, encode(f))

    conn.executemany("INSERT INTO facts(id, seq, subject, relation, object, kind, symmetric, "
                     "valid_from, valid_until, derived, best, file, json) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", fact_rows())
    conn.executemany("INSERT INTO figures(id, seq, entity, metric, best, file, json) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)",
                     ((f.id, n, f.entity, f.metric, best(f), f.loc.file, encode(f))
                      for n, f in enumerate(dataset.figures)))
    if progress:
        progress("compile", total, total)
