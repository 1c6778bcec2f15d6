"""Building the compiled store: parse the changed files, replace their rows, check.

Each data file is read once; its bytes are hashed and parsed from that same
read, so a file's digest always describes the rows kept for it (an edit
during the read cannot file new content under an old digest). A file whose
size and modification time are those recorded, and that was not modified in
the last seconds before it was recorded ("racy", as git calls it), is taken
as unchanged; otherwise its bytes are hashed again and re-parsed only when
they differ. Parsing several files uses a process pool.

A changed file replaces its own rows: every row's ``seq`` holds its file's
place (``rank``) and its own, so a file's rows are a range of the table's
key. Each worker reads a file without positions (``kg.data.load.
read_data_file``), makes the checks of each record on its own
(``kg.data.validate.record_problems``) and encodes the rows the parent
writes; the checks across records then run in SQL over the tables
(``kg.store.checks``), on what the change touches, or on everything for a
new store and ``kg validate --full``. Only when a problem is found is every
file read again with positions and the whole dataset checked in memory
(``kg.data.validate.validate``), so that the problems reported are exactly,
and where exactly, the loader's.
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

from kg.data.load import data_files, display_path, parse_data_file, read_data_file, stated_fact_id
from kg.data.model import Dataset, Fact, Figure, Loaded, derive_references
from kg.data.ontology import Ontology
from kg.errors import KgError, Problem
from kg.store.codec import RECORD_TYPES, encode
from kg.util.yamlsafe import Loc

__all__ = [
    "BuildResult", "build_file", "compile_tables", "digest_of", "exact_problems", "existence_start",
    "FileRows", "FileState", "insert_rows", "MAX_FILE_BYTES", "PARALLEL_FROM", "RACY_SECONDS",
    "record_rows", "refresh", "scan", "SECTIONS"
]

SECTIONS = tuple(RECORD_TYPES)
RACY_SECONDS = 2.0  # a file modified this close to being recorded is re-hashed next time
MAX_FILE_BYTES = 10_000_000
PARALLEL_FROM = 8  # changed files from which parsing uses a process pool
# A row's seq: (group << GROUP_SHIFT) | (its file's rank << RANK_SHIFT) | its place in the file.
# Groups order the facts table as the dataset orders its edges: the stated facts, then
# the reference edges derived from facts, then those derived from figures.
RANK_SHIFT = 24
GROUP_SHIFT = 56
RANK_STEP = 1024  # room between two files' ranks for files added later
STATED, FROM_FACTS, FROM_FIGURES = 0, 1, 2

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
    compiled: bool = False  # whether rows were written
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


def _file_range(rank: int, group: int = 0) -> tuple[int, int]:
    low = (group << GROUP_SHIFT) | (rank << RANK_SHIFT)
    return low, low + (1 << RANK_SHIFT) - 1


@dataclass
class FileRows:
    """What a worker hands back for one file: its state, its flags and its rows."""

    path: str
    rank: int
    digest: str
    size: int
    mtime_ns: int
    display: str
    flawed: bool  # a problem of its own: the whole dataset is then checked with positions
    cites: list[str]
    citing: dict[str, list]  # how the file cites: see ``citing``
    rows: dict[str, list[tuple]]


def _founded(entity: Any) -> tuple[int, str | None, str | None, str | None]:
    """Whether the entity has a ``founded`` date, and its existence columns from it (else
    None: ``kg.store.derive`` sets them from the facts that begin it)."""
    from kg.data.dates import PartialDate
    from kg.data.model import Existence
    from kg.store.derive import existence_columns

    founded = entity.attributes.get("founded")
    if isinstance(founded, PartialDate):
        return (1, *existence_columns(Existence(founded, "founded")))
    return 0, None, None, None


_PAGE_LOCATORS: dict[str, bool] = {}  # locator text -> whether it names a web page's paragraph


def _page_locator(locator: str) -> bool:
    known = _PAGE_LOCATORS.get(locator)
    if known is None:
        from kg.data.citations import Locator, LocatorError

        try:
            known = Locator.parse(locator).kind == "page"
        except LocatorError:
            known = False
        if len(_PAGE_LOCATORS) < 100_000:
            _PAGE_LOCATORS[locator] = known
    return known


def citing(records: Iterable[Fact | Figure]) -> dict[str, list]:
    """How some records cite, as the checks across records need it without the records:
    ``sets``, each distinct set of sources one record cites (a record resting on aggregators
    only), and ``bare``, the sources cited without a key phrase or not at a paragraph (a
    problem where the source is a web page)."""
    sets: set[tuple[str, ...]] = set()
    bare: set[str] = set()
    for record in records:
        sets.add(tuple(sorted({ref.source for ref in record.sources})))
        for ref in record.sources:
            if ref.phrase is None or not _page_locator(ref.locator):
                bare.add(ref.source)
    return {"sets": [list(s) for s in sorted(sets)], "bare": sorted(bare)}


def record_rows(ontology: Ontology, sources: list[Any], entities: list[Any], facts: list[Fact],
                figures: list[Figure], references: list[Fact], rank: int,
                existence: Callable[[Any], tuple[int, str | None, str | None, str | None]] = _founded,
                file_key: Callable[[str], int] | None = None,
                ) -> tuple[dict[str, list[tuple]], bool]:
    """The table rows of some records (one file's, or a whole dataset's at rank 0), and
    whether a name folds to nothing (which only the check in memory judges).

    A row names its record's file by a key into ``files`` (``file_key`` of the file's
    displayed path; by default ``rank``, the records being those of one file)."""
    from kg.data.names import normalize

    file_of = file_key or (lambda _file: rank)
    base = rank << RANK_SHIFT
    relations = ontology.relations
    rows: dict[str, list[tuple]] = {name: [] for name in
                                    ("sources", "entities", "names", "facts", "figures", "mentions")}
    mentions = rows["mentions"]
    for n, source in enumerate(sources):
        rows["sources"].append((base | n, source.id, normalize(source.id), source.kind,
                                file_of(source.loc.file), encode(source)))
        if source.publisher_entity is not None:
            mentions.append((source.publisher_entity, base | n))
    empty_name = False
    for n, entity in enumerate(entities):
        seq = base | n
        rows["entities"].append((seq, entity.id, entity.type, entity.labels.get("en", entity.id),
                                 *existence(entity), file_of(entity.loc.file), encode(entity)))
        for k, name in enumerate(dict.fromkeys([*entity.names(), entity.id])):
            folded = normalize(name)
            if folded:
                # The id, one of every entity's names, is its row's ``entity``: NULL stands for it.
                rows["names"].append((seq, k, folded, None if name == entity.id else name,
                                      entity.id))
            else:
                empty_name = True
    entity_qualifiers = {key for key, term in ontology.qualifiers.items()
                         if term.get("type") == "entity"}
    out = rows["facts"]
    for n, fact in enumerate(facts):
        seq = (STATED << GROUP_SHIFT) | base | n
        out.append(_edge_row(seq, fact, relations, file_of))
        if fact.claimed_by is not None:
            mentions.append((fact.claimed_by, seq))
        for key, value in fact.qualifiers.items():
            if key in entity_qualifiers and isinstance(value, str):
                mentions.append((value, seq))
    counters = {FROM_FACTS: 0, FROM_FIGURES: 0}
    for edge in references:
        assert edge.derived_from is not None
        group = FROM_FIGURES if edge.derived_from.field.startswith("figures.") else FROM_FACTS
        out.append(_edge_row((group << GROUP_SHIFT) | base | counters[group], edge, relations,
                             file_of))
        counters[group] += 1
    for n, figure in enumerate(figures):
        seq = base | n
        rows["figures"].append((seq, figure.id, figure.entity, figure.metric,
                                figure.since.start().isoformat() if figure.since else None,
                                str(figure.since) if figure.since else None,
                                _RANK_CODES.get(figure.rank, 1), file_of(figure.loc.file),
                                encode(figure)))
        for named in (figure.measured_by, figure.where):
            if named is not None:
                mentions.append((named, seq))
        for key, value in figure.qualifiers.items():
            if key in entity_qualifiers and isinstance(value, str):
                mentions.append((value, seq))
    return rows, empty_name


def _edge_row(seq: int, fact: Fact, relations: Any, file_of: Callable[[str], int]) -> tuple:
    relation = relations.get(fact.relation)
    # The id the loader gives a stated fact written without one is the table's ``id`` of the
    # row's columns (``subject--relation--object--since``): only another one is kept.
    plain = type(fact.subject) is str and type(fact.relation) is str and type(fact.object) is str
    own_id = None if plain and fact.derived_from is None and fact.id == stated_fact_id(
        fact.subject, fact.relation, fact.object, fact.since) else fact.id
    return (seq, own_id, fact.subject, fact.relation, fact.object, fact.kind,
            1 if relation is not None and relation.symmetric else 0,
            fact.since.start().isoformat() if fact.since else None,
            fact.until.end().isoformat() if fact.until else None,
            str(fact.since) if fact.since else None, str(fact.until) if fact.until else None,
            0 if fact.derived_from is None else 1, _RANK_CODES.get(fact.rank, 1),
            file_of(fact.loc.file),
            encode(fact))


# Smaller is better (kg.store.derive.RANK_CODES); an unknown rank is reported by the checks.
_RANK_CODES = {"preferred": 0, "normal": 1, "deprecated": 2}


_ONTOLOGY: Ontology | None = None  # set before the pool forks: the workers' ontology


def _build_job(job: tuple[str, int]) -> FileRows:
    gc.disable()  # a parse makes many small objects and no cycles worth collecting
    try:
        return build_file(*job, ontology=_ONTOLOGY)  # type: ignore[arg-type]
    finally:
        gc.enable()


def build_file(path: str, rank: int, ontology: Ontology) -> FileRows:
    """Read, parse and check one file on its own, and make its rows."""
    from kg.data.validate import record_problems

    data, size, mtime, error = _read(path)
    display = display_path(Path(path))
    if data is None:
        return FileRows(path, rank, "", size, mtime, display, True, [], {"sets": [], "bare": []},
                        {name: [] for name in ("sources", "entities", "names", "facts", "figures",
                                               "mentions")})
    loaded, _marked = read_data_file(data, display)
    loaded.ontology = ontology
    flawed = bool(loaded.problems) or record_problems(loaded)
    references = derive_references(ontology, loaded.facts, loaded.figures)
    rows, empty_name = record_rows(ontology, loaded.sources, loaded.entities, loaded.facts,
                                   loaded.figures, references, rank)
    cites = sorted({ref.source for record in (*loaded.facts, *loaded.figures)
                    for ref in record.sources})
    return FileRows(path, rank, digest_of(data), size, mtime, display, flawed or empty_name, cites,
                    citing([*loaded.facts, *loaded.figures]), rows)


def _build_many(jobs: list[tuple[str, int]], ontology: Ontology,
                progress: Progress | None) -> Iterable[FileRows]:
    global _ONTOLOGY
    _ONTOLOGY = ontology
    if len(jobs) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        for done, job in enumerate(jobs, 1):
            yield _build_job(job)
            if progress:
                progress("parse", done, len(jobs))
        return
    import concurrent.futures as futures
    import multiprocessing

    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
    from kg.util.processes import die_with_parent

    with futures.ProcessPoolExecutor(max_workers=min(os.cpu_count() or 2, 4), mp_context=context,
                                     initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        for done, result in enumerate(pool.map(_build_job, jobs, chunksize=1), 1):
            yield result
            if progress:
                progress("parse", done, len(jobs))


def _parse_marked(path: str) -> Loaded:
    data, _size, _mtime, error = _read(path)
    display = display_path(Path(path))
    if data is None:
        loaded = Loaded(ontology=None)  # type: ignore[arg-type]
        loaded.files.append(display)
        loaded.problems.append(Problem(Loc(display, 1, 1), f"cannot read the file: {error}"))
        return loaded
    return parse_data_file(data, display)


def exact_problems(paths: list[str], ontology: Ontology,
                   progress: Progress | None = None) -> tuple[list[Problem], dict[str, int]]:
    """Every problem of the files, read with positions and checked together in memory, as
    ``kg.data.load.check`` finds them; and the counts of what was read."""
    from kg.data.validate import validate

    loaded = Loaded(ontology=ontology)
    # In this process: records with every position cost more to send from a worker
    # (pickled) than to read here.
    enabled = gc.isenabled()
    gc.disable()
    try:
        for done, path in enumerate(paths, 1):
            part = _parse_marked(path)
            loaded.files.extend(part.files)
            for section in (*SECTIONS, "problems"):
                getattr(loaded, section).extend(getattr(part, section))
            for key, ids in part.rejected.items():
                loaded.rejected.setdefault(key, set()).update(ids)
            if progress:
                progress("check", done, len(paths))
        problems = sorted(loaded.problems + validate(loaded))
    finally:
        if enabled:
            gc.enable()
    counts = {"files": len(loaded.files), "entities": len(loaded.entities),
              "facts": len(loaded.facts), "figures": len(loaded.figures),
              "sources": len(loaded.sources)}
    return problems, counts


_TABLES = ("sources", "entities", "names", "facts", "figures", "mentions")
_INSERT = {
    "sources": "INSERT INTO sources(seq, id, folded, kind, file, json) VALUES (?, ?, ?, ?, ?, ?)",
    "entities": "INSERT INTO entities(seq, id, type, label, founded, exists_from, exists_since, "
                "existence, file, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "names": "INSERT INTO names(seq, n, folded, name, entity) VALUES (?, ?, ?, ?, ?)",
    "facts": "INSERT INTO facts(seq, own_id, subject, relation, object, kind, symmetric, valid_from, "
             "valid_until, since, until, derived, rank, file, json) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "figures": "INSERT INTO figures(seq, id, entity, metric, valid_from, since, rank, file, json) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "mentions": "INSERT OR IGNORE INTO mentions(entity, seq) VALUES (?, ?)",
}


def insert_rows(conn: Any, rows: dict[str, list[tuple]]) -> None:
    for table in _TABLES:
        if rows.get(table):
            conn.executemany(_INSERT[table], rows[table])


def _delete_file_rows(conn: Any, rank: int, scope: Any) -> None:
    """Remove one file's rows, noting in ``scope`` (if any) what they touched."""
    low, high = _file_range(rank)
    ranges = [_file_range(rank, group) for group in (STATED, FROM_FACTS, FROM_FIGURES)]
    if scope is not None:
        scope.note_removed(conn, low, high, ranges)
    for table in ("sources", "entities", "figures"):
        conn.execute(f"DELETE FROM {table} WHERE seq BETWEEN ? AND ?", (low, high))
    conn.execute("DELETE FROM names WHERE seq BETWEEN ? AND ?", (low, high))
    for first, last in ranges:
        conn.execute("DELETE FROM facts WHERE seq BETWEEN ? AND ?", (first, last))
    conn.execute("DELETE FROM mentions WHERE seq BETWEEN ? AND ?", (low, high))


def _ranks(states: list[FileState], known: dict[str, int]) -> dict[str, int] | None:
    """Each file's rank: the known files keep theirs, a new one takes a free number between
    its neighbours'. None when there is no room (then every file is numbered afresh)."""
    ranks: dict[str, int] = {}
    order = [s.path for s in states]
    previous = 0
    for index, path in enumerate(order):
        if path in known:
            if known[path] <= previous:
                return None
            previous = ranks[path] = known[path]
            continue
        following = next((known[p] for p in order[index + 1:] if p in known), None)
        ceiling = following if following is not None else previous + 2 * RANK_STEP
        if ceiling - previous < 2:
            return None
        previous = ranks[path] = previous + min(RANK_STEP, (ceiling - previous) // 2)
    if previous >= 1 << (GROUP_SHIFT - RANK_SHIFT):
        return None
    return ranks


def refresh(conn: Any, data_dir: Path, ontology: Ontology, states: list[FileState],
            progress: Progress | None = None, full: bool = False) -> BuildResult:
    """Bring the store up to date with the files (inside the caller's write transaction).

    ``full``: check across all records, not only across what changed.
    """
    from kg.store.checks import Scope, found_problems
    from kg.store.derive import update_best, update_existence

    timings: dict[str, float] = {}
    started = _cpu()
    known = {row[0]: row for row in conn.execute(
        "SELECT path, rank, digest, size, mtime_ns FROM files")}
    current = {s.path for s in states}
    removed = [path for path in known if path not in current]
    changed: list[str] = []
    # A file whose stat changed but whose bytes did not keeps its rows.
    for state in states:
        row = known.get(state.path)
        if row is not None and row[3] == state.size and row[4] == state.mtime_ns and row[4] != -1:
            continue
        if row is None:
            changed.append(state.path)
            continue
        data, size, mtime, _error = _read(state.path)
        if data is not None and digest_of(data) == row[2]:
            conn.execute("UPDATE files SET size=?, mtime_ns=? WHERE path=?",
                         (size, _trusted_mtime(mtime), state.path))
        else:
            changed.append(state.path)
    was_valid = _meta(conn, "valid")
    if not (changed or removed or full) and was_valid is not None:
        timings["parse"] = _cpu() - started
        return BuildResult(len(states), _counts(conn), _problems(conn), 0, False, timings)
    ranks = _ranks(states, {path: row[1] for path, row in known.items() if path in current})
    cold = not known or ranks is None
    if ranks is None:  # no room left between two files: number them afresh, rebuild all
        ranks = {s.path: (n + 1) * RANK_STEP for n, s in enumerate(states)}
        changed = [s.path for s in states]
    scope = None if cold or full or was_valid != "1" else Scope()
    if cold or len(changed) * 4 > len(states):
        # A page cache of 64 MiB while writing many rows: with SQLite's default 2 MiB, a
        # large build spills and re-reads its pages through the write-ahead log many times.
        conn.execute("PRAGMA cache_size=-65536")
    if cold:
        for table in ("files", *_TABLES):
            conn.execute(f"DELETE FROM {table}")
        _drop_indexes(conn)
    else:
        for path in removed:
            _delete_file_rows(conn, known[path][1], scope)
            conn.execute("DELETE FROM files WHERE path=?", (path,))
        for path in changed:
            if path in known:
                _delete_file_rows(conn, known[path][1], scope)
    enabled = gc.isenabled()
    gc.disable()  # many small objects and no cycles worth collecting
    try:
        for result in _build_many([(path, ranks[path]) for path in changed], ontology, progress):
            conn.execute("INSERT OR REPLACE INTO files(path, rank, digest, size, mtime_ns, display, "
                         "flawed, cites, citing) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (result.path, result.rank, result.digest, result.size,
                          _trusted_mtime(result.mtime_ns), result.display, int(result.flawed),
                          json.dumps(result.cites, ensure_ascii=False),
                          json.dumps(result.citing, ensure_ascii=False)))
            insert_rows(conn, result.rows)
            if scope is not None:
                scope.note_added(result.rows, result.cites, result.citing)
    finally:
        if enabled:
            gc.enable()
    timings["parse"] = _cpu() - started
    step = _cpu()
    if cold:
        _create_indexes(conn)
        timings["index"] = _cpu() - step
        step = _cpu()
    if scope is not None:
        scope.store(conn)
    if scope is None:
        update_existence(conn, ontology, None)
    else:
        update_existence(conn, ontology, *scope.existence_scope(ontology))
    update_best(conn, ontology)
    timings["derive"] = _cpu() - step
    step = _cpu()
    flawed = conn.execute("SELECT 1 FROM files WHERE flawed=1 LIMIT 1").fetchone() is not None
    suspect = flawed or found_problems(conn, ontology, scope)
    timings["check"] = _cpu() - step
    problems: list[Problem] = []
    if suspect:
        step = _cpu()
        problems, counts = exact_problems([s.path for s in states], ontology, progress)
        timings["exact"] = _cpu() - step
    if not problems:  # valid (a suspicion the checks in memory do not confirm costs only time)
        counts = _table_counts(conn, len(states))
    if scope is not None:
        scope.drop(conn)
    _set_meta(conn, "counts", json.dumps(counts))
    _set_meta(conn, "problems", json.dumps(
        [[p.loc.file, p.loc.line, p.loc.column, p.message, p.hint] for p in problems],
        ensure_ascii=False))
    _set_meta(conn, "valid", "1" if not problems else "0")
    return BuildResult(len(states), counts, problems, len(changed), True, timings)


def _table_counts(conn: Any, files: int) -> dict[str, int]:
    """What a valid store holds; reference edges are counted apart from the stated facts."""
    one = conn.execute
    return {"files": files,
            "entities": one("SELECT count(*) FROM entities").fetchone()[0],
            "facts": one("SELECT count(*) FROM facts WHERE derived=0").fetchone()[0],
            "references": one("SELECT count(*) FROM facts WHERE derived=1").fetchone()[0],
            "figures": one("SELECT count(*) FROM figures").fetchone()[0],
            "sources": one("SELECT count(*) FROM sources").fetchone()[0]}


def _drop_indexes(conn: Any) -> None:
    """Before writing every row: building an index once, after, is cheaper than keeping it."""
    from kg.store import INDEXES

    for name, _sql in INDEXES:
        conn.execute(f"DROP INDEX IF EXISTS {name}")


def _create_indexes(conn: Any) -> None:
    from kg.store import INDEXES

    for _name, sql in INDEXES:
        conn.execute(sql)


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


def existence_start(dataset: Dataset, entity: Any) -> tuple[int, str | None, str | None, str | None]:
    """When an entity begins to exist (``Dataset.existence``): whether by its ``founded`` date,
    the first day as an ISO day, the date as the data gives it and the evidence as JSON (all
    three None: its start is not recorded, and it is present on every date)."""
    from kg.store.derive import existence_columns

    existence = dataset.existence(entity.id)
    return (_founded(entity)[0], *existence_columns(existence))


def compile_tables(conn: Any, dataset: Dataset, progress: Progress | None = None) -> None:
    """Replace the query tables with the records of a dataset already in memory."""
    from kg.store.derive import update_best

    for table in ("files", *_TABLES):
        conn.execute(f"DELETE FROM {table}")
    keys: dict[str, int] = {}  # each file the records name -> its key, in order of appearance

    def file_key(file: str) -> int:
        return keys.setdefault(file, len(keys) + 1)

    rows, _empty = record_rows(dataset.ontology, list(dataset.sources.values()),
                               list(dataset.entities.values()), dataset.facts, dataset.figures,
                               dataset.references, 0,
                               existence=lambda entity: existence_start(dataset, entity),
                               file_key=file_key)
    # The files as the records name them (read before: nothing of theirs is kept but the name).
    conn.executemany("INSERT INTO files(path, rank, digest, size, mtime_ns, display, flawed, "
                     "cites, citing) VALUES (?, ?, '', -1, -1, ?, 0, '[]', '{}')",
                     [(file, key, file) for file, key in keys.items()])
    insert_rows(conn, rows)
    update_best(conn, dataset.ontology)
    if progress:
        progress("compile", 1, 1)
