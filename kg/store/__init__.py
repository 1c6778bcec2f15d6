"""The compiled store: a validated dataset in one SQLite file, opened by every read command.

``open_store`` compares the data files' sizes and modification times with
those recorded, re-reads only the files that changed (``kg.store.build``),
replaces their rows and checks what they touch, and answers from indexed
tables: an entity, its names, the facts in and out of it, its figures. A
question about two entities reads the rows near them, not the whole graph;
``Store.subset`` hands the query modules a small ``Dataset`` with just those
records, so they answer exactly as on the whole one.

Opening the store runs no code from it: SQLite holds data only, records are
JSON (``kg.store.codec``). The file is never changed in place: a build
writes a private copy, seals it and publishes it by a rename
(``kg.store.seal``), one process at a time, and readers open it
``immutable``, so each reads one whole version. A file that is not the
sealed one (another program's database, edited rows, flipped bits, a
truncated file, an older schema), one owned by another user or writable by
others, or a symlink, is never trusted: it is built again, or, when it
cannot be, the dataset is built in memory for this run. A row that still
fails to decode is read again from a store built in memory (``Store``'s
reads heal once), never a traceback.

Where: ``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/ai-video-kg``, else
``~/.cache/ai-video-kg``; one file per data folder and ontology. ``KG_STORE``
names the file itself; ``KG_CACHE=0`` keeps it in memory (nothing written).
The schema is documented in docs/performance.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from kg.data.load import DEFAULT_DATA
from kg.data.model import Dataset, Entity, Fact, Figure, Source
from kg.data.ontology import DEFAULT_PATH as DEFAULT_ONTOLOGY
from kg.data.ontology import Ontology, load_ontology
from kg.errors import DataError, KgError
from kg.store.build import BuildResult, Progress, refresh, scan
from kg.store.codec import decode, file_names, selected
from kg.store.seal import Unsafe
from kg.store.sqltext import chunks as _chunks
from kg.store.sqltext import marks as _marks

SCHEMA_VERSION = 7
APPLICATION_ID = 0x4B475331  # "KGS1": marks the file as ours
_PACKAGE = Path(__file__).resolve().parent.parent

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, rank INTEGER, digest TEXT, size INTEGER,
    mtime_ns INTEGER, display TEXT, flawed INTEGER, cites TEXT, citing TEXT);
CREATE TABLE IF NOT EXISTS sources (seq INTEGER PRIMARY KEY, id TEXT, folded TEXT, kind TEXT,
    file INTEGER, json TEXT);
CREATE TABLE IF NOT EXISTS entities (seq INTEGER PRIMARY KEY, id TEXT, type TEXT, label TEXT,
    founded INTEGER, exists_from TEXT, exists_since TEXT, existence TEXT, file INTEGER, json TEXT);
CREATE TABLE IF NOT EXISTS names (seq INTEGER, n INTEGER, folded TEXT, name TEXT, entity TEXT,
    PRIMARY KEY (seq, n)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS facts (seq INTEGER PRIMARY KEY, own_id TEXT,
    id TEXT GENERATED ALWAYS AS (coalesce(own_id, subject || '--' || relation || '--' || object
                                          || coalesce('--' || since, ''))) VIRTUAL,
    subject TEXT, relation TEXT, object TEXT, kind TEXT, symmetric INTEGER, valid_from TEXT,
    valid_until TEXT, since TEXT, until TEXT, derived INTEGER, rank INTEGER,
    best INTEGER DEFAULT 1, file INTEGER, json TEXT);
CREATE TABLE IF NOT EXISTS figures (seq INTEGER PRIMARY KEY, id TEXT, entity TEXT, metric TEXT,
    valid_from TEXT, since TEXT, rank INTEGER, best INTEGER DEFAULT 1, file INTEGER, json TEXT);
CREATE TABLE IF NOT EXISTS mentions (entity TEXT, seq INTEGER, PRIMARY KEY (seq, entity))
    WITHOUT ROWID;
"""
# Built after the rows of a new store are written (cheaper than keeping them up while writing).
INDEXES = [
    ("sources_by_id", "CREATE INDEX IF NOT EXISTS sources_by_id ON sources(id)"),
    # Covering what a comparison reads of the thousands of entities at its rows' other ends
    # (``Store.entity_columns``): their type, label and first day, from the index alone.
    ("entities_by_id", "CREATE INDEX IF NOT EXISTS entities_by_id ON entities(id, type, label, "
                       "exists_from)"),
    ("names_by_folded", "CREATE INDEX IF NOT EXISTS names_by_folded ON names(folded, entity)"),
    ("facts_by_id", "CREATE INDEX IF NOT EXISTS facts_by_id ON facts(id)"),
    # Adjacency both ways, covering the columns a walk tests and ``kg rank`` and ``kg stats
    # --as-of`` count: a breadth-first step through a hub reads an index range, never the
    # hub's rows with their records, and a scan of the edges reads an index, not the table.
    # Not the fact's id (a third of an entry): an index entry carries the row's seq, by which
    # a reader fetches the ids of the few facts it keeps (``Store.fact_ids``).
    ("facts_by_subject", "CREATE INDEX IF NOT EXISTS facts_by_subject ON facts(subject, object, "
                         "relation, kind, derived, symmetric, best, valid_from, valid_until)"),
    ("facts_by_object", "CREATE INDEX IF NOT EXISTS facts_by_object ON facts(object, subject, "
                        "relation, kind, derived, symmetric, best, valid_from, valid_until)"),
    # What the questions by date read (``kg diff --from --to``, ``kg timeline --since``).
    ("facts_by_valid_from", "CREATE INDEX IF NOT EXISTS facts_by_valid_from ON facts(valid_from)"),
    ("facts_by_valid_until",
     "CREATE INDEX IF NOT EXISTS facts_by_valid_until ON facts(valid_until)"),
    ("figures_by_id", "CREATE INDEX IF NOT EXISTS figures_by_id ON figures(id)"),
    ("figures_by_entity", "CREATE INDEX IF NOT EXISTS figures_by_entity ON figures(entity)"),
    ("mentions_by_entity", "CREATE INDEX IF NOT EXISTS mentions_by_entity ON mentions(entity)"),
    # Small partial indexes: the statements of another rank than normal, and those left out.
    ("facts_ranked", "CREATE INDEX IF NOT EXISTS facts_ranked ON facts(rank) WHERE rank <> 1"),
    ("figures_ranked", "CREATE INDEX IF NOT EXISTS figures_ranked ON figures(rank) WHERE rank <> 1"),
    ("facts_hidden", "CREATE INDEX IF NOT EXISTS facts_hidden ON facts(best) WHERE best = 0"),
    ("figures_hidden", "CREATE INDEX IF NOT EXISTS figures_hidden ON figures(best) WHERE best = 0"),
]

def cache_dir() -> Path | None:
    """Where compiled stores go, or None when they are kept in memory only."""
    if os.environ.get("KG_CACHE", "1") == "0":
        return None
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "ai-video-kg"


def code_version() -> str:
    """What the stored parse results depend on besides the data: this package's code."""
    digest = hashlib.blake2b(digest_size=12)
    digest.update(f"schema {SCHEMA_VERSION}\n".encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(_PACKAGE)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def store_path(data: Path, ontology: Path) -> Path | None:
    """The store file for a data folder and ontology (None: in memory)."""
    if os.environ.get("KG_STORE"):
        return Path(os.environ["KG_STORE"])
    folder = cache_dir()
    if folder is None:
        return None
    key = hashlib.blake2b(f"{data.resolve()}\0{ontology.resolve()}".encode(), digest_size=12)
    return folder / f"store-{key.hexdigest()}.sqlite"


def _connect(path: Path | None) -> sqlite3.Connection:
    """An in-memory database (``None``), or a read-write connection to a private build file."""
    if path is None:
        return sqlite3.connect(":memory:", isolation_level=None)
    conn = sqlite3.connect(path, isolation_level=None)
    # The build file is private and thrown away when a build fails: no rollback journal is
    # needed, and it is flushed to disk once, as a whole, before it is published.
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    return conn


def _connect_published(path: Path) -> sqlite3.Connection:
    """A read-only connection to a published store. ``immutable``: SQLite neither locks the
    file nor looks at a ``-journal`` or ``-wal`` beside it, so a file planted there by
    someone else is never replayed; a published file is never changed in place (a new
    version replaces it by a rename), so nothing can change under a reader."""
    from urllib.parse import quote

    return sqlite3.connect(f"file:{quote(str(path.absolute()))}?immutable=1", uri=True,
                           isolation_level=None, check_same_thread=False)


def _prepare(conn: sqlite3.Connection, ontology_digest: str, code: str) -> None:
    """Check the file is our store of this schema and code, or start it afresh."""
    app = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if tables and (app != APPLICATION_ID or version != SCHEMA_VERSION):
        raise sqlite3.DatabaseError("not a store of this version")
    for statement in SCHEMA.split(";"):  # not executescript: it would end the transaction
        if statement.strip():
            conn.execute(statement)
    for _name, statement in INDEXES:
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    stamp = f"{ontology_digest} {code}"
    row = conn.execute("SELECT value FROM meta WHERE key='stamp'").fetchone()
    if row is None or row[0] != stamp:
        for table in ("meta", "files", "sources", "entities", "names", "facts", "figures",
                      "mentions"):
            conn.execute(f"DELETE FROM {table}")
        conn.execute("INSERT INTO meta(key, value) VALUES ('stamp', ?)", (stamp,))


def _is_fresh(conn: sqlite3.Connection, stamp: str, states: list[Any]) -> bool:
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('stamp', 'valid')"))
        if meta.get("stamp") != stamp or "valid" not in meta:
            return False
        recorded = {row[0]: (row[1], row[2]) for row in
                    conn.execute("SELECT path, size, mtime_ns FROM files")}
    except sqlite3.DatabaseError:
        return False
    if len(recorded) != len(states):
        return False
    return all(recorded.get(s.path) == (s.size, s.mtime_ns) and s.mtime_ns != -1 for s in states)


# A name as ``Ranking.offer`` takes it: folded, as written (NULL: the entity's id), entity.
_NAME = "folded, coalesce(name, entity), entity"
# The entities that did not exist yet on :day (those whose start is recorded and later).
_NOT_YET = "SELECT id FROM entities WHERE exists_from > :day"


# Valid on :day (a covering index holds both columns; the ``+`` keeps SQLite scanning it
# rather than probing the date indexes).
_VALID_ON = ("(+valid_from IS NULL OR +valid_from <= :day) "
             "AND (+valid_until IS NULL OR +valid_until >= :day)")
# The edges valid on :day ({valid}, {ranked}) that are not in view then, counted by
# (derived, relation, kind): those with an end that did not exist yet (:not_yet, a JSON list
# of ids), read from the adjacency indexes of those entities, and the reference edges whose
# record has such an end. A record's references share its id before their first "~" and go
# from the entity it names to each of its ends (``derive_references``), so an end that did
# not exist is the object of one of them or their subject: the siblings of a reference to
# such an end are read from the id index. CROSS JOIN keeps SQLite in this order, from the
# few entities to their rows, never a scan of the edges.
_GONE_ON = (
    "WITH not_yet(id) AS (SELECT value FROM json_each(:not_yet)), "
    "gone(seq, derived, relation, kind) AS ("
    "SELECT edge.seq, edge.derived, edge.relation, edge.kind FROM not_yet CROSS JOIN facts AS edge "
    "WHERE edge.subject = not_yet.id AND {valid} AND {ranked} "
    "UNION SELECT edge.seq, edge.derived, edge.relation, edge.kind "
    "FROM not_yet CROSS JOIN facts AS edge WHERE edge.object = not_yet.id AND {valid} AND {ranked} "
    "UNION SELECT edge.seq, edge.derived, edge.relation, edge.kind "
    "FROM not_yet CROSS JOIN facts AS reference CROSS JOIN facts AS edge "
    "WHERE reference.object = not_yet.id AND reference.derived = 1 "
    "AND edge.id > substr(reference.id, 1, instr(reference.id, '~')) "
    "AND edge.id < substr(reference.id, 1, instr(reference.id, '~') - 1) || char(127) "
    "AND substr(edge.id, 1, instr(edge.id, '~')) = substr(reference.id, 1, instr(reference.id, '~')) "
    "AND {valid} AND {ranked}) "
    "SELECT derived, relation, kind, count(*) FROM gone GROUP BY derived, relation, kind")

class StoreDamaged(KgError):
    """A store whose rows cannot be read or decoded even after it was built again."""


# What reading a damaged store can raise: SQLite's own errors, and those of decoding a row
# that is not what was written (JSON, a missing or mistyped field).
_DAMAGE = (sqlite3.DatabaseError, ValueError, KeyError, TypeError, AttributeError, IndexError)


def open_store(data_dir: str | os.PathLike[str] | None = None,
               ontology_path: str | os.PathLike[str] | None = None,
               progress: Progress | None = None, require_valid: bool = True,
               include_deprecated: bool = False, full: bool = False) -> Store:
    """The compiled store of a data folder, brought up to date; raises DataError when the data
    is invalid (unless ``require_valid`` is false: then ``Store.result`` lists the problems).
    Its answers use the best-ranked statements, or every one with ``include_deprecated``.
    ``full``: check across every record, not only across what changed since the last build.

    A store file is used only when it is safe and whole (see ``kg.store.seal``): a regular
    file (not a link) of this user that nobody else can write, in a folder nobody else can
    change, whose content is the one sealed when it was built. Anything else is built
    again; when no file can be written (a read-only, full or shared location) the store is
    built in memory for this run.
    """
    data = Path(data_dir) if data_dir is not None else DEFAULT_DATA
    onto_path = Path(ontology_path) if ontology_path is not None else DEFAULT_ONTOLOGY
    ontology_bytes = _ontology_bytes(onto_path)
    ontology = load_ontology(onto_path)
    stamp = f"{hashlib.blake2b(ontology_bytes, digest_size=12).hexdigest()} {code_version()}"
    states = scan(data)
    path = store_path(data, onto_path)
    source = _Source(data, ontology, stamp, states, path)
    store = None
    if path is not None:
        try:
            store = _open_file(source, progress, full)
        except (sqlite3.DatabaseError, OSError, Unsafe, *_DAMAGE):
            store = None  # a read-only, full or shared cache location: do without
    if store is None:
        store = _memory_store(source, progress)
    store.include_deprecated = include_deprecated
    if require_valid and store.result.problems:
        raise DataError(store.result.problems)
    return store


class _Source:
    """What a store is built from, kept to build it again when its rows turn out damaged."""

    def __init__(self, data: Path, ontology: Ontology, stamp: str, states: list[Any],
                 path: Path | None) -> None:
        self.data, self.ontology, self.stamp, self.states, self.path = (
            data, ontology, stamp, states, path)


def _memory_store(source: _Source, progress: Progress | None) -> Store:
    conn = _connect(None)
    conn.execute("BEGIN")
    _prepare(conn, *source.stamp.split(" "))
    result = refresh(conn, source.data, source.ontology, source.states, progress)
    conn.execute("COMMIT")
    conn.execute("BEGIN")
    return Store(conn, source.ontology, result, source=source)


def from_dataset(dataset: Dataset) -> Store:
    """An in-memory store of a dataset already in memory (checked or not: it is taken as is)."""
    from kg.store.build import BuildResult, compile_tables

    conn = _connect(None)
    conn.execute("BEGIN")
    _prepare(conn, "memory", "memory")
    compile_tables(conn, dataset)
    conn.execute("COMMIT")
    conn.execute("BEGIN")
    counts = {"files": 0, "entities": len(dataset.entities), "facts": len(dataset.facts),
              "references": len(dataset.references), "figures": len(dataset.figures),
              "sources": len(dataset.sources)}
    return Store(conn, dataset.ontology, BuildResult(0, counts, [], 0, True))


def _ontology_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        load_ontology(path)  # reports the missing or unreadable file as the ontology loader does
        raise


def _open_file(source: _Source, progress: Progress | None, full: bool = False) -> Store:
    """The published store when it is sealed and fresh; else built (by one process at a
    time: the others wait, then find it fresh) into a private file, sealed and published.
    ``full`` builds it again with the checks across every record."""
    from kg.store import seal

    path = source.path
    assert path is not None
    seal.check_folder(path.parent)
    store = None if full else _open_published(source)
    if store is not None:
        return store
    with seal.builder_lock(path):
        store = None if full else _open_published(source)  # another process may have built it
        if store is not None:
            return store
        return _build(source, progress, full)


def _open_published(source: _Source) -> Store | None:
    """The published store if it is sealed, whole and fresh; None otherwise."""
    from kg.store import seal

    assert source.path is not None
    if not seal.verified(source.path):
        return None
    conn = _connect_published(source.path)
    try:
        conn.execute("BEGIN")  # one snapshot for the whole run
        if not _is_fresh(conn, source.stamp, source.states):
            conn.close()
            return None
        return Store(conn, source.ontology, _stored_result(conn, len(source.states)), source=source)
    except _DAMAGE:
        conn.close()
        return None


def _build(source: _Source, progress: Progress | None, full: bool = False) -> Store:
    """Build into a private file beside the store (starting from the published store when it
    is sealed: only changed files are parsed again), seal it and publish it by a rename."""
    from kg.store import seal

    path = source.path
    assert path is not None
    with seal.private_file(path) as (build_path, start_from):
        conn = _connect(build_path)
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                _prepare(conn, *source.stamp.split(" "))
            except sqlite3.DatabaseError:
                if not start_from:
                    raise
                conn.close()
                build_path.write_bytes(b"")  # not a store of this version: start empty
                conn = _connect(build_path)
                conn.execute("BEGIN IMMEDIATE")
                _prepare(conn, *source.stamp.split(" "))
            result = refresh(conn, source.data, source.ontology, source.states, progress, full)
            conn.execute("COMMIT")
        finally:
            conn.close()
        seal.publish(build_path, path)
    conn = _connect_published(path)
    conn.execute("BEGIN")
    return Store(conn, source.ontology, result, source=source)


def _stored_result(conn: sqlite3.Connection, files: int) -> BuildResult:
    from kg.store.build import _counts, _problems

    return BuildResult(files, _counts(conn), _problems(conn), 0, False)


def _healing(method: Any) -> Any:
    """A read of the store that, when the rows turn out damaged (a SQLite error, a row that
    does not decode), builds the store again in memory once and reads again; a second
    failure is a StoreDamaged error, never a traceback."""
    import functools

    @functools.wraps(method)
    def read(self: Store, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except _DAMAGE:
            if not self._heal():
                raise StoreDamaged("the compiled store cannot be read; delete the cache "
                                   "folder and run the command again") from None
        try:
            return method(self, *args, **kwargs)
        except _DAMAGE:
            raise StoreDamaged("the compiled store cannot be read, even built again in "
                               "memory") from None

    return read


def _healing_iterator(method: Any) -> Any:
    """Like ``_healing`` for a method that yields rows: after the store is built again, the
    rows already given are skipped (they come in the same order from the same data)."""
    import functools

    @functools.wraps(method)
    def read(self: Store, *args: Any, **kwargs: Any) -> Iterator[Any]:
        given = 0
        try:
            for item in method(self, *args, **kwargs):
                yield item
                given += 1
            return
        except _DAMAGE:
            if not self._heal():
                raise StoreDamaged("the compiled store cannot be read; delete the cache "
                                   "folder and run the command again") from None
        try:
            for number, item in enumerate(method(self, *args, **kwargs)):
                if number >= given:
                    yield item
        except _DAMAGE:
            raise StoreDamaged("the compiled store cannot be read, even built again in "
                               "memory") from None

    return read


class Store:
    """Read access to a compiled, up-to-date dataset.

    Facts and figures are those of the best rank (``kg.data.ranks``): a deprecated statement,
    or a normal one where a preferred one competes, is left out of every answer unless
    ``include_deprecated`` is set.
    """

    def __init__(self, conn: sqlite3.Connection, ontology: Ontology, result: BuildResult,
                 include_deprecated: bool = False, source: _Source | None = None) -> None:
        self.conn = conn
        self.ontology = ontology
        self.result = result
        self.include_deprecated = include_deprecated
        self._sources: dict[str, Source] | None = None
        self._files: dict[int, str] | None = None
        self._source = source
        self._healed = False

    def _heal(self) -> bool:
        """Replace damaged rows: the store file loses its seal (the next run builds it
        again) and this run reads from a store built in memory. False when that was done
        already, or there is nothing to build from."""
        from kg.store import seal

        if self._healed or self._source is None:
            return False
        self._healed = True
        if self._source.path is not None:
            seal.unseal(self._source.path)
        fresh = _memory_store(self._source, None)
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()
        self.conn, self.result, self._sources, self._files = fresh.conn, fresh.result, None, None
        return True

    @property
    def ranked(self) -> str:
        """The SQL condition on the facts or figures table that keeps the rows answers use."""
        return "1=1" if self.include_deprecated else "best=1"

    def outranked_count(self) -> int:
        """How many stated facts and figures are not of the best rank (see ``kg.data.ranks``)."""
        one = self.conn.execute
        return (one("SELECT count(*) FROM facts WHERE derived=0 AND best=0").fetchone()[0]
                + one("SELECT count(*) FROM figures WHERE best=0").fetchone()[0])

    def outranked_ids(self) -> set[str]:
        """The ids of the stated facts and figures that are not of the best rank."""
        return {row[0] for row in self.conn.execute(
            "SELECT id FROM facts WHERE derived=0 AND best=0 UNION SELECT id FROM figures WHERE best=0")}

    # --- whole records ------------------------------------------------------
    @property
    def files(self) -> dict[int, str]:
        """The key of each data file (a row's ``file``) -> the file as records name it."""
        if self._files is None:
            self._files = file_names(self.conn)
        return self._files

    @_healing
    def record_files(self) -> list[str]:
        """Every data file that holds records, as the records name it, sorted."""
        keys = {row[0] for table in ("sources", "entities", "facts", "figures")
                for row in self.conn.execute(f"SELECT DISTINCT file FROM {table}")}
        return sorted(self.files[key] for key in keys)

    def decode(self, section: str, row: tuple) -> Any:
        """The record of a row of ``section``'s table, selected as ``codec.selected`` names
        the columns."""
        return decode(section, row[1], self.files[row[0]], *row[2:])

    def _decode(self, section: str, rows: Iterable[tuple]) -> Iterator[Any]:
        files = self.files
        for file, text, *columns in rows:
            yield decode(section, text, files[file], *columns)

    @property
    @_healing
    def sources(self) -> dict[str, Source]:
        if self._sources is None:
            rows = self.conn.execute(f"SELECT {selected('sources')} FROM sources ORDER BY seq")
            self._sources = {s.id: s for s in self._decode("sources", rows)}
        return self._sources

    @_healing
    def entities(self, ids: Iterable[str]) -> dict[str, Entity]:
        """The entities with these ids (unknown ids are left out), keyed by id."""
        found: dict[str, Entity] = {}
        for chunk in _chunks(sorted(set(ids))):
            rows = self.conn.execute(
                f"SELECT {selected('entities')} FROM entities WHERE id IN ({_marks(chunk)})", chunk)
            found.update((e.id, e) for e in self._decode("entities", rows))
        return found

    @_healing_iterator
    def iter_entities(self) -> Iterator[Entity]:
        """Every entity, in file order."""
        return self._decode("entities", self.conn.execute(
            f"SELECT {selected('entities')} FROM entities ORDER BY seq"))

    @_healing_iterator
    def iter_facts(self, where: str = "", params: tuple = ()) -> Iterator[Fact]:
        """Facts in file order, optionally filtered by an SQL condition on the facts table."""
        clause = f"WHERE ({where}) AND {self.ranked} " if where else f"WHERE {self.ranked} "
        return self._decode("facts", self.conn.execute(
            f"SELECT {selected('facts')} FROM facts {clause}ORDER BY seq", params))

    @_healing_iterator
    def iter_figures(self) -> Iterator[Figure]:
        return self._decode("figures", self.conn.execute(
            f"SELECT {selected('figures')} FROM figures WHERE {self.ranked} ORDER BY seq"))

    @_healing
    def facts_touching(self, ids: Iterable[str], within: set[str] | None = None) -> list[Fact]:
        """Every fact whose subject or object is one of ``ids``, in file order.

        With ``within``, only the facts whose two ends are both in it: the other
        rows are skipped before they are decoded (a hub touches thousands).
        """
        found: dict[int, tuple] = {}
        for chunk in _chunks(sorted(set(ids))):
            marks = _marks(chunk)
            rows = self.conn.execute(
                f"SELECT seq, subject, object, {selected('facts')} FROM facts "
                f"WHERE (subject IN ({marks}) OR object IN ({marks})) AND {self.ranked}",
                chunk + chunk)
            for seq, subject, obj, *record in rows:
                if within is None or (subject in within and obj in within):
                    found[seq] = tuple(record)
        return list(self._decode("facts", (found[seq] for seq in sorted(found))))

    @_healing
    def figures_of(self, ids: Iterable[str]) -> list[Figure]:
        found: list[tuple[int, Figure]] = []
        for chunk in _chunks(sorted(set(ids))):
            rows = self.conn.execute(
                f"SELECT seq, {selected('figures')} FROM figures WHERE entity IN ({_marks(chunk)}) "
                f"AND {self.ranked}", chunk)
            found.extend((row[0], self.decode("figures", row[1:])) for row in rows)
        return [figure for _seq, figure in sorted(found, key=lambda item: item[0])]

    @_healing
    def dataset(self, include_deprecated: bool | None = None) -> Dataset:
        """The whole dataset in memory (for notebooks, exports and whole-graph measures): the
        best-ranked statements, or all (``include_deprecated``; default: the store's setting)."""
        import gc

        enabled = gc.isenabled()
        gc.disable()
        kept = self.include_deprecated
        if include_deprecated is not None:
            self.include_deprecated = include_deprecated
        try:
            entities = {e.id: e for e in self.iter_entities()}
            return Dataset(ontology=self.ontology, sources=dict(self.sources), entities=entities,
                           facts=list(self.iter_facts("derived=0")),
                           figures=list(self.iter_figures()),
                           _references=list(self.iter_facts("derived=1")),
                           _existence=self._existence(entities))
        finally:
            self.include_deprecated = kept
            if enabled:
                gc.enable()

    @_healing
    def _existence(self, ids: Iterable[str]) -> dict[str, Any]:
        """Entity id -> when it begins to exist (``Dataset.existence``), as compiled."""
        from kg.store.derive import existence_of

        found: dict[str, Any] = {}
        for chunk in _chunks(sorted(set(ids))):
            for entity_id, since, existence in self.conn.execute(
                    f"SELECT id, exists_since, existence FROM entities WHERE id IN ({_marks(chunk)}) "
                    "AND existence IS NOT NULL", chunk):
                found[entity_id] = existence_of(since, existence)
        return found

    @_healing
    def subset(self, facts: Iterable[Fact], entity_ids: Iterable[str] = (),
               figures: Iterable[Figure] = ()) -> Dataset:
        """A small Dataset: these facts and figures, and every entity they or ``entity_ids`` name.

        Reference edges among ``facts`` become the dataset's references (with the entities of
        their records, whose existence decides when they are in view); existence dates are the
        compiled ones of the whole dataset.
        """
        given = list(facts)
        facts = [f for f in given if f.derived_from is None]
        references = [f for f in given if f.derived_from is not None]
        figures = list(figures)
        wanted = set(entity_ids)
        for fact in facts:
            wanted.update(_fact_refs(fact, self.ontology))
        for reference in references:
            assert reference.derived_from is not None
            wanted.update((reference.subject, reference.object, *reference.derived_from.ends))
        for figure in figures:
            wanted.update(x for x in (figure.entity, figure.measured_by, figure.where) if x)
        entities = self.entities(wanted)
        order = {row[0]: row[1] for chunk in _chunks(sorted(entities)) for row in self.conn.execute(
            f"SELECT id, seq FROM entities WHERE id IN ({_marks(chunk)})", chunk)}
        return Dataset(ontology=self.ontology, sources=dict(self.sources),
                       entities={k: entities[k] for k in sorted(entities, key=order.__getitem__)},
                       facts=facts, figures=figures, _references=references,
                       _existence=_Existence(self, list(entities)))  # type: ignore[arg-type]

    # --- names --------------------------------------------------------------
    @_healing
    def resolve(self, name: str) -> str:
        """The id of the one entity ``name`` names (as ``NameIndex.resolve``); raises LookupFailed."""
        from kg.data.names import lookup_failure, normalize

        if self.conn.execute("SELECT 1 FROM entities WHERE id=?", (name,)).fetchone():
            return name
        ids = sorted({row[0] for row in self.conn.execute(
            "SELECT entity FROM names WHERE folded=?", (normalize(name),))})
        if len(ids) == 1:
            return ids[0]
        raise lookup_failure(name, ids, self._labels(ids), [] if ids else self.search(name, limit=5))

    @_healing
    def _labels(self, ids: Iterable[str]) -> dict[str, str]:
        return self._pairs_in("SELECT id, label FROM entities WHERE id IN ({})", ids)

    @_healing
    def search(self, text: str, limit: int = 10) -> list[Any]:
        """Entities whose names match ``text``, best first, scored as ``NameIndex.search``."""
        from kg.data.names import Match, Ranking, normalize

        query = normalize(text)
        if not query:
            return []
        ranking = Ranking(query)
        # The names whose folded form starts with or holds the query, from the index, in the
        # order of the names table (as NameIndex walks its names).
        # A row's name is NULL where it is the entity's id (``kg.store.build.record_rows``).
        for name in self.conn.execute(
                f"SELECT {_NAME} FROM names WHERE folded >= ? AND folded < ? ORDER BY seq, n",
                (query, query + "\U0010ffff")):
            ranking.offer(*name)
        for name in self.conn.execute(
                f"SELECT {_NAME} FROM names WHERE instr(folded, ?) > 1 ORDER BY seq, n", (query,)):
            ranking.offer(*name)
        # Fuzzy scores stay below a part's, so they matter only when fewer than ``limit`` are found.
        if len(ranking.best) < limit:
            ranking.offer_fuzzy(self.conn.execute(
                f"SELECT {_NAME} FROM names WHERE instr(folded, ?) = 0 ORDER BY seq, n",
                (query,)).fetchall())
        ranked = ranking.top(limit)
        info = {row[0]: (row[1], row[2]) for chunk in _chunks([i for i, _, _ in ranked])
                for row in self.conn.execute(
                    f"SELECT id, type, label FROM entities WHERE id IN ({_marks(chunk)})", chunk)}
        return [Match(i, info[i][0], info[i][1], score, matched) for i, score, matched in ranked]

    # --- counts ---------------------------------------------------------------
    @_healing
    def counts(self) -> tuple[list[tuple[str, int]], list[tuple[str, int]], list[tuple[str, int]],
                              int, int, int]:
        """Entities by type, stated facts by relation and by kind, and the numbers of figures,
        sources and reference edges, counted by the indexes (``kg.query.stats.summary``); the
        statements counted are those answers use (the best rank, unless ``include_deprecated``)."""
        rows, ranked = self.conn.execute, self.ranked
        return (rows("SELECT type, count(*) FROM entities GROUP BY type").fetchall(),
                rows(f"SELECT relation, count(*) FROM facts WHERE derived=0 AND {ranked} "
                     "GROUP BY relation").fetchall(),
                rows(f"SELECT kind, count(*) FROM facts WHERE derived=0 AND {ranked} "
                     "GROUP BY kind").fetchall(),
                rows(f"SELECT count(*) FROM figures WHERE {ranked}").fetchone()[0],
                rows("SELECT count(*) FROM sources").fetchone()[0],
                rows(f"SELECT count(*) FROM facts WHERE derived=1 AND {ranked}").fetchone()[0])

    @_healing
    def exists_on(self, ids: Iterable[str], day: dt.date) -> set[str]:
        """Those of ``ids`` that existed on ``day``."""
        text = day.isoformat()
        kept: set[str] = set()
        for chunk in _chunks(sorted(set(ids))):
            kept.update(row[0] for row in self.conn.execute(
                f"SELECT id FROM entities WHERE id IN ({_marks(chunk)}) "
                "AND (exists_from IS NULL OR exists_from <= ?)", [*chunk, text]))
        return kept

    # --- reads by entity, date and relation -----------------------------------------------
    # What ``kg compare``, ``brief``, ``figures``, ``timeline``, ``stats --as-of``, ``diff
    # --from --to`` and ``rank`` read instead of the whole dataset (``Landscape`` picks them).
    # They name columns only (id, subject, relation, object, kind, derived, valid_from,
    # valid_until, entity, metric, type, exists_from and those ``codec.selected`` names), and
    # keep the rows answers use (``ranked``).

    @_healing
    def figures_where(self, where: str = "", params: Iterable[Any] = ()) -> list[Figure]:
        """The figures meeting an SQL condition on the figures table (every one without), of
        the best rank unless ``include_deprecated``, in file order."""
        clause = f"({where}) AND {self.ranked}" if where else self.ranked
        return list(self._decode("figures", self.conn.execute(
            f"SELECT {selected('figures')} FROM figures WHERE {clause} ORDER BY seq",
            tuple(params))))

    @_healing
    def entities_where(self, where: str, params: Iterable[Any] = ()) -> list[Entity]:
        """The entities meeting an SQL condition on the entities table, in file order."""
        return list(self._decode("entities", self.conn.execute(
            f"SELECT {selected('entities')} FROM entities WHERE {where} ORDER BY seq",
            tuple(params))))

    @_healing
    def latest_day(self) -> dt.date | None:
        """The latest day a stated fact, figure or source is dated to, each date counted from
        its first day (``kg.analysis.documents.latest_record_day`` of the dataset answers use)."""
        from kg.data.dates import PartialDate

        days = [source.date.start() for source in self.sources.values()]
        # A figure's dates as written (its ``until`` is in its JSON, as the codec writes a date),
        # each distinct text parsed once rather than every figure decoded.
        written = self.conn.execute(
            f"SELECT since FROM figures WHERE {self.ranked} AND since IS NOT NULL UNION "
            f"SELECT json_extract(json, '$.until.\"$d\"') FROM figures WHERE {self.ranked} "
            "AND json_extract(json, '$.until.\"$d\"') IS NOT NULL").fetchall()
        days += [PartialDate.parse(text).start() for (text,) in written]
        since = self.conn.execute(
            f"SELECT max(valid_from) FROM facts WHERE derived=0 AND {self.ranked}").fetchone()[0]
        if since:
            days.append(dt.date.fromisoformat(since))
        latest = max(days, default=None)
        # An ``until`` counts from its first day, which only the record says (the column holds
        # its last): read the facts ending after the latest day so far, latest first, until
        # none can be later.
        rows = self.conn.execute(
            f"SELECT valid_until, until FROM facts WHERE derived=0 AND {self.ranked} "
            "AND valid_until > ? ORDER BY valid_until DESC", (latest.isoformat() if latest else "",))
        for last, written in rows:
            if latest is not None and last <= latest.isoformat():
                break
            until = PartialDate.parse(written) if written is not None else None
            if until is not None and (latest is None or until.start() > latest):
                latest = until.start()
        return latest

    @_healing
    def counts_on(self, day: dt.date) -> tuple[list[tuple[str, int]], list[tuple[str, int]],
                                               list[tuple[str, int]], int, int, int]:
        """``counts`` of the dataset as it stood on ``day`` (``Dataset.as_of``): the entities
        that existed, the facts and reference edges valid then between them (a reference also
        needs every entity of its record), the figures of those entities known by then.

        Counted by the indexes, no record decoded: the edges valid on the day in one scan of
        a covering index (``_valid_counts``), less those of them that touch an entity that did
        not exist yet, found by index ranges from those few entities (``_GONE_ON``), rather
        than by a test of both ends of every edge."""
        rows, text = self.conn.execute, day.isoformat()
        by_type, not_yet = self._entities_on(text)
        at = {"day": text, "not_yet": json.dumps(not_yet)}
        if len(not_yet) * 5 > len(not_yet) + sum(count for _type, count in by_type):
            # Early on, when most entities are still to come, their edges are most of the
            # graph: testing both ends of each edge is cheaper than subtracting those.
            by_relation, by_kind, references = self._valid_counts(self._in_view_on, at)
        else:
            by_relation, by_kind, references = self._valid_counts(_VALID_ON, at)
            for derived, relation, kind, count in rows(_GONE_ON.format(
                    valid=_VALID_ON.replace("+", "+edge."),
                    ranked=self.ranked.replace("best", "+edge.best")), at):
                if derived:
                    references -= count
                else:
                    by_relation[relation] -= count
                    by_kind[kind] -= count
        figures = rows(f"SELECT count(*) FROM figures WHERE {self.ranked} AND entity NOT IN "
                       "(SELECT value FROM json_each(:not_yet)) "
                       "AND (valid_from IS NULL OR valid_from <= :day)", at).fetchone()[0]
        return (by_type, [item for item in by_relation.items() if item[1]],
                [item for item in by_kind.items() if item[1]], figures,
                rows("SELECT count(*) FROM sources").fetchone()[0], references)

    def _entities_on(self, day: str) -> tuple[list[tuple[str, int]], list[str]]:
        """The entities that existed on ``day`` (an ISO day) by type, and the ids of those that
        did not yet, in one scan of the entities: each of the ontology's types counted apart
        (``count(*) FILTER``) rather than grouped by a sort; a type the ontology lacks (data not
        checked) leaves the count short, and the entities are grouped after all."""
        types = sorted(self.ontology.entity_types)
        existed = "(exists_from IS NULL OR exists_from <= :day)"
        named = {f"t{n}": name for n, name in enumerate(types)}
        counted = [f"count(*) FILTER (WHERE type = :t{n} AND {existed})" for n in range(len(types))]
        *counts, total, not_yet = self.conn.execute(
            f"SELECT {', '.join([*counted, f'count(*) FILTER (WHERE {existed})'])}, "
            "json_group_array(id) FILTER (WHERE exists_from > :day) FROM entities",
            {"day": day, **named}).fetchone()
        by_type = [(name, count) for name, count in zip(types, counts, strict=True) if count]
        if sum(counts) != total:
            by_type = self.conn.execute(f"SELECT type, count(*) FROM entities WHERE {existed} "
                                        "GROUP BY type", {"day": day}).fetchall()
        return by_type, json.loads(not_yet)

    def _valid_counts(self, condition: str, at: dict[str, str]
                      ) -> tuple[dict[str, int], dict[str, int], int]:
        """The stated facts meeting an SQL condition (``_VALID_ON``: valid on ``at["day"]``,
        whether their ends existed then or not) by relation and by kind, and the reference
        edges meeting it, of the rank answers use: one scan of a covering index, grouped by
        relation alone (a sort of a million rows by one column costs half that by three),
        the kinds of the ontology counted apart in each group; a kind it lacks (data not
        checked) leaves a group short, and the rows are grouped by kind too after all."""
        kinds = sorted(self.ontology.fact_kinds)
        named = {f"k{n}": kind for n, kind in enumerate(kinds)}
        counted = [f"count(*) FILTER (WHERE derived = 0 AND kind = :k{n})" for n in range(len(kinds))]
        by_relation: dict[str, int] = {}
        by_kind: dict[str, int] = dict.fromkeys(kinds, 0)
        references = 0
        for relation, count, derived, *of_kind in self.conn.execute(
                f"SELECT relation, count(*), sum(derived), {', '.join(counted)} FROM facts "
                f"WHERE {condition} AND {self.ranked} GROUP BY relation", {**at, **named}):
            references += derived
            if count - derived:
                by_relation[relation] = count - derived
            for kind, number in zip(kinds, of_kind, strict=True):
                by_kind[kind] += number
        if sum(by_kind.values()) != sum(by_relation.values()):
            by_kind = dict(self.conn.execute(
                f"SELECT kind, count(*) FROM facts WHERE {condition} AND {self.ranked} "
                "AND derived = 0 GROUP BY kind", at).fetchall())
        return by_relation, by_kind, references

    # The facts and reference edges in view on :day (``Dataset.as_of``): valid then, both ends
    # existing, and for a reference every entity of its record (a reference's id is its
    # record's id, "~", the relation and the end; a fact's reference needs both ends of that
    # fact, a figure's only its entity, which is the reference's end). The ``+`` keeps SQLite
    # on the covering index of the edge columns rather than probing one index per condition.
    _in_view_on = (
        "(+valid_from IS NULL OR +valid_from <= :day) "
        "AND (+valid_until IS NULL OR +valid_until >= :day) "
        f"AND +subject NOT IN ({_NOT_YET}) AND +object NOT IN ({_NOT_YET}) "
        "AND (derived=0 OR NOT EXISTS (SELECT 1 FROM facts AS record "
        "WHERE record.id = substr(facts.id, 1, instr(facts.id, '~') - 1) "
        f"AND (record.subject IN ({_NOT_YET}) OR record.object IN ({_NOT_YET}))))")

    @_healing
    def entity_types(self, day: dt.date | None = None) -> dict[str, str]:
        """Entity id -> type, of every entity (or of those that existed on ``day``)."""
        if day is None:
            return dict(self.conn.execute("SELECT id, type FROM entities"))
        return dict(self.conn.execute(
            "SELECT id, type FROM entities WHERE exists_from IS NULL OR exists_from <= ?",
            (day.isoformat(),)))

    @_healing
    def edge_ends(self, relations: Iterable[str] = (), day: dt.date | None = None
                  ) -> list[tuple[str, str]]:
        """(subject, object) of every stated fact and reference edge answers use, of
        ``relations`` (all without), and on ``day`` those in view then (as
        ``kg.query.graph.as_of`` keeps them); read from the edge columns' index, no record
        decoded."""
        relations = sorted(set(relations))
        where, params = [self.ranked], {f"r{n}": relation for n, relation in enumerate(relations)}
        if relations:
            where.append(f"relation IN ({', '.join(':' + key for key in params)})")
        if day is not None:
            where.append(self._in_view_on)
            params["day"] = day.isoformat()
        return self.conn.execute(
            f"SELECT subject, object FROM facts WHERE {' AND '.join(where)}", params).fetchall()

    # --- a comparison's rows, read from the columns (``kg.analysis.compare.plan_rows``) -----
    @_healing
    def edges_touching(self, ids: Iterable[str], where: str = "derived=0",
                       params: Iterable[Any] = ()) -> list[tuple[int, str, str, str, str,
                                                                 str | None, str | None]]:
        """(seq, subject, relation, object, kind, valid_from, valid_until) of each fact (of the
        rank answers use, meeting ``where``) whose subject or object is one of ``ids``, in file
        order: read from the covering indexes of the ends, no record decoded (``fact_ids``
        names those kept)."""
        found: dict[int, tuple] = {}
        params = list(params)
        for chunk in _chunks(sorted(set(ids))):
            # One end at a time: each read from its covering index alone (``subject IN … OR
            # object IN …`` reads the table's rows to join the two).
            for end in ("subject", "object"):
                found.update((row[0], row) for row in self.conn.execute(
                    "SELECT seq, subject, relation, object, kind, valid_from, valid_until "
                    f"FROM facts WHERE {end} IN ({_marks(chunk)}) AND ({where}) AND {self.ranked}",
                    [*chunk, *params]))
        return [found[seq] for seq in sorted(found)]

    @_healing
    def entity_columns(self, ids: Iterable[str]) -> dict[str, tuple[str, str, str | None]]:
        """Entity id -> (type, English label, first day of existence) of these ids (unknown
        ones left out); no record decoded."""
        found: dict[str, tuple[str, str, str | None]] = {}
        for chunk in _chunks(sorted(set(ids))):
            for entity_id, *row in self.conn.execute(
                    f"SELECT id, type, label, exists_from FROM entities WHERE id IN ({_marks(chunk)})",
                    chunk):
                found[entity_id] = tuple(row)  # type: ignore[assignment]
        return found

    # --- pages: a screen of one entity's rows (``kg.store.pages``) ----------------------------
    @_healing
    def fact_count(self, where: str, params: Iterable[Any] = ()) -> int:
        """How many facts (of the rank answers use) meet an SQL condition on the facts table."""
        return self.conn.execute(f"SELECT count(*) FROM facts WHERE ({where}) AND {self.ranked}",
                                 tuple(params)).fetchone()[0]

    @_healing
    def facts_where(self, where: str, params: Iterable[Any] = (), order: str = "seq",
                    limit: int | None = None, offset: int = 0) -> list[Fact]:
        """The facts meeting an SQL condition, in ``order`` (columns of the facts table), from
        ``offset`` on and at most ``limit`` of them: only those rows are decoded."""
        rows = self.conn.execute(
            f"SELECT {selected('facts')} FROM facts WHERE ({where}) AND {self.ranked} "
            f"ORDER BY {order} LIMIT ? OFFSET ?", (*params, -1 if limit is None else limit, offset))
        return list(self._decode("facts", rows))

    @_healing
    def facts_by_id(self, ids: Iterable[str]) -> list[Fact]:
        """The facts with these ids, in file order (stated facts, then reference edges)."""
        return self._facts_where_in("id", ids)

    @_healing
    def facts_by_seq(self, seqs: Iterable[int]) -> list[Fact]:
        """The facts with these seqs, in file order (stated facts, then reference edges)."""
        return self._facts_where_in("seq", seqs)

    def _facts_where_in(self, column: str, values: Iterable[Any]) -> list[Fact]:
        found: list[tuple] = []
        for chunk in _chunks(sorted(set(values))):
            found.extend(self.conn.execute(
                f"SELECT derived, seq, {selected('facts')} FROM facts "
                f"WHERE {column} IN ({_marks(chunk)})", chunk))
        return list(self._decode("facts", (row[2:] for row in sorted(found))))

    @_healing
    def fact_ids(self, seqs: Iterable[int]) -> dict[int, str]:
        """The ids of the facts with these seqs (what a walk of the adjacency indexes, which
        carry the seq but not the id, reads for the facts it keeps)."""
        return self._pairs_in("SELECT seq, id FROM facts WHERE seq IN ({})", seqs)

    @_healing
    def fact_seqs(self, ids: Iterable[str]) -> dict[int, str]:
        """The seqs of the facts with these ids (of the rank answers use), with the id."""
        return self._pairs_in(f"SELECT seq, id FROM facts WHERE id IN ({{}}) AND {self.ranked}",
                              ids)

    def _pairs_in(self, query: str, values: Iterable[Any]) -> dict[Any, Any]:
        """The (key, value) rows of ``query`` (an SQL text whose ``{}`` the placeholders of
        ``values`` fill) as a dict, read a chunk of values at a time."""
        found: dict[Any, Any] = {}
        for chunk in _chunks(sorted(set(values))):
            found.update(self.conn.execute(query.format(_marks(chunk)), chunk))
        return found

    def close(self) -> None:
        self.conn.close()


class _Existence(Mapping[str, Any]):
    """Entity id -> when it begins to exist (``Store._existence``) of a subset's entities, read
    when first asked: most answers never ask (a listing of every figure names some fourteen
    thousand entities at a million facts, and reading when each began costs a tenth of a
    second there)."""

    def __init__(self, store: Store, ids: list[str]) -> None:
        self._store, self._ids = store, ids
        self._found: dict[str, Any] | None = None

    def _read(self) -> dict[str, Any]:
        if self._found is None:
            self._found = self._store._existence(self._ids)
        return self._found

    def __getitem__(self, entity_id: str) -> Any:
        return self._read()[entity_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())


def _fact_refs(fact: Fact, ontology: Ontology) -> list[str]:
    refs = [fact.subject, fact.object]
    if fact.claimed_by:
        refs.append(fact.claimed_by)
    for key, value in fact.qualifiers.items():
        term = ontology.qualifiers.get(key)
        if term is not None and term.get("type") == "entity" and isinstance(value, str):
            refs.append(value)
    return refs


def rows_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


__all__ = ["SCHEMA", "Store", "cache_dir", "from_dataset", "open_store", "store_path"]
