"""The compiled store: a validated dataset in one SQLite file, opened by every read command.

``open_store`` compares the data files' sizes and modification times with
those recorded, re-reads only the files that changed (``kg.store.build``),
replaces their rows and checks what they touch, and answers from indexed
tables: an entity, its names, the facts in and out of it, its figures. A
question about two entities reads the rows near them, not the whole graph;
``Store.subset`` hands the query modules a small ``Dataset`` with just those
records, so they answer exactly as on the whole one.

Opening the store runs no code from it: SQLite holds data only, records are
JSON (``kg.store.codec``). A file that is not our store (another program's
database, a damaged or truncated file, an older schema, one owned by
another user or writable by others) is never trusted: it is replaced, or,
when it cannot be, the dataset is built in memory for this run. Writers
take SQLite's write lock, so two processes refreshing at once do the work
once; readers read one committed snapshot (WAL), never a half-written one.

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
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kg.data.load import DEFAULT_DATA
from kg.data.model import Dataset, Entity, Fact, Figure, Source
from kg.data.ontology import DEFAULT_PATH as DEFAULT_ONTOLOGY
from kg.data.ontology import Ontology, load_ontology
from kg.errors import DataError, LookupFailed
from kg.store.build import BuildResult, Progress, refresh, scan
from kg.store.codec import decode

SCHEMA_VERSION = 3
APPLICATION_ID = 0x4B475331  # "KGS1": marks the file as ours
_PACKAGE = Path(__file__).resolve().parent.parent
_CHUNK = 500  # ids per IN (...) query

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, rank INTEGER, digest TEXT, size INTEGER,
    mtime_ns INTEGER, display TEXT, flawed INTEGER, cites TEXT);
CREATE TABLE IF NOT EXISTS sources (seq INTEGER PRIMARY KEY, id TEXT, folded TEXT, file TEXT,
    json TEXT);
CREATE TABLE IF NOT EXISTS entities (seq INTEGER PRIMARY KEY, id TEXT, type TEXT, label TEXT,
    founded INTEGER, exists_from TEXT, exists_since TEXT, file TEXT, json TEXT);
CREATE TABLE IF NOT EXISTS names (seq INTEGER, n INTEGER, folded TEXT, name TEXT, entity TEXT,
    PRIMARY KEY (seq, n)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS facts (seq INTEGER PRIMARY KEY, id TEXT, subject TEXT, relation TEXT,
    object TEXT, kind TEXT, symmetric INTEGER, valid_from TEXT, valid_until TEXT, since TEXT,
    until TEXT, derived INTEGER, file TEXT, json TEXT);
CREATE TABLE IF NOT EXISTS figures (seq INTEGER PRIMARY KEY, id TEXT, entity TEXT, metric TEXT,
    valid_from TEXT, since TEXT, file TEXT, json TEXT);
CREATE TABLE IF NOT EXISTS mentions (entity TEXT, seq INTEGER, PRIMARY KEY (seq, entity))
    WITHOUT ROWID;
"""
# Built after the rows of a new store are written (cheaper than keeping them up while writing).
INDEXES = [
    ("sources_by_id", "CREATE INDEX IF NOT EXISTS sources_by_id ON sources(id)"),
    ("entities_by_id", "CREATE INDEX IF NOT EXISTS entities_by_id ON entities(id)"),
    ("names_by_folded", "CREATE INDEX IF NOT EXISTS names_by_folded ON names(folded, entity)"),
    ("facts_by_id", "CREATE INDEX IF NOT EXISTS facts_by_id ON facts(id)"),
    ("facts_by_subject", "CREATE INDEX IF NOT EXISTS facts_by_subject ON facts(subject, object)"),
    ("facts_by_object", "CREATE INDEX IF NOT EXISTS facts_by_object ON facts(object)"),
    ("facts_by_relation", "CREATE INDEX IF NOT EXISTS facts_by_relation ON facts(relation)"),
    ("figures_by_id", "CREATE INDEX IF NOT EXISTS figures_by_id ON figures(id)"),
    ("figures_by_entity", "CREATE INDEX IF NOT EXISTS figures_by_entity ON figures(entity)"),
    ("mentions_by_entity", "CREATE INDEX IF NOT EXISTS mentions_by_entity ON mentions(entity)"),
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


def _trustworthy(path: Path) -> bool:
    """Ours to trust: owned by this user and writable by nobody else."""
    try:
        stat = path.stat()
    except OSError:
        return True  # absent: it will be created
    if not path.is_file():
        return False
    if hasattr(os, "getuid") and stat.st_uid != os.getuid():
        return False
    return not stat.st_mode & 0o022


def _connect(path: Path | None) -> sqlite3.Connection:
    if path is None:
        conn = sqlite3.connect(":memory:", isolation_level=None)
    else:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        old_umask = os.umask(0o077)
        try:
            conn = sqlite3.connect(path, isolation_level=None, timeout=600)
        finally:
            os.umask(old_umask)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    return conn


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


def open_store(data_dir: str | os.PathLike[str] | None = None,
               ontology_path: str | os.PathLike[str] | None = None,
               progress: Progress | None = None, require_valid: bool = True,
               full: bool = False) -> Store:
    """The compiled store of a data folder, brought up to date; raises DataError when the data
    is invalid (unless ``require_valid`` is false: then ``Store.result`` lists the problems).

    ``full``: check across every record, not only across what changed since the last build.
    """
    data = Path(data_dir) if data_dir is not None else DEFAULT_DATA
    onto_path = Path(ontology_path) if ontology_path is not None else DEFAULT_ONTOLOGY
    ontology_bytes = _ontology_bytes(onto_path)
    ontology = load_ontology(onto_path)
    stamp = f"{hashlib.blake2b(ontology_bytes, digest_size=12).hexdigest()} {code_version()}"
    states = scan(data)
    path = store_path(data, onto_path)
    if path is not None and not _trustworthy(path):
        path = _replace_untrusted(path)
    store = None
    if path is not None:
        try:
            store = _open_file(path, data, ontology, stamp, states, progress, full)
        except sqlite3.DatabaseError:
            # Not our store, damaged, or an old schema: start a new one in its place.
            _remove(path)
            try:
                store = _open_file(path, data, ontology, stamp, states, progress, full)
            except (sqlite3.DatabaseError, OSError):
                store = None
        except OSError:
            store = None  # a read-only or full cache location: do without
    if store is None:
        conn = _connect(None)
        conn.execute("BEGIN")
        _prepare(conn, *stamp.split(" "))
        result = refresh(conn, data, ontology, states, progress)
        conn.execute("COMMIT")
        conn.execute("BEGIN")
        store = Store(conn, ontology, result)
    if require_valid and store.result.problems:
        raise DataError(store.result.problems)
    return store


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
              "figures": len(dataset.figures), "sources": len(dataset.sources)}
    return Store(conn, dataset.ontology, BuildResult(0, counts, [], 0, True))


def _ontology_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        load_ontology(path)  # reports the missing or unreadable file as the ontology loader does
        raise


def _replace_untrusted(path: Path) -> Path | None:
    try:
        path.unlink()
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return path
    except OSError:
        return None


def _remove(path: Path) -> None:
    for name in (str(path), f"{path}-wal", f"{path}-shm", f"{path}-journal"):
        with contextlib.suppress(OSError):
            Path(name).unlink()


def _open_file(path: Path, data: Path, ontology: Ontology, stamp: str, states: list[Any],
               progress: Progress | None, full: bool = False) -> Store:
    conn = _connect(path)
    try:
        conn.execute("BEGIN")
        if not full and _is_fresh(conn, stamp, states):
            return Store(conn, ontology, _stored_result(conn, len(states)))
        conn.execute("COMMIT")
        conn.execute("BEGIN IMMEDIATE")  # one writer at a time; the others wait, then find it fresh
        _prepare(conn, *stamp.split(" "))
        result = refresh(conn, data, ontology, states, progress, full)
        conn.execute("COMMIT")
        conn.execute("BEGIN")  # read from one snapshot from here on
        return Store(conn, ontology, result)
    except BaseException:
        conn.close()
        raise


def _stored_result(conn: sqlite3.Connection, files: int) -> BuildResult:
    from kg.store.build import _counts, _problems

    return BuildResult(files, _counts(conn), _problems(conn), 0, False)


class Store:
    """Read access to a compiled, up-to-date dataset."""

    def __init__(self, conn: sqlite3.Connection, ontology: Ontology, result: BuildResult) -> None:
        self.conn = conn
        self.ontology = ontology
        self.result = result
        self._sources: dict[str, Source] | None = None

    # --- whole records ------------------------------------------------------
    def _decode(self, section: str, rows: Iterable[tuple[str, str]]) -> Iterator[Any]:
        for file, text in rows:
            yield decode(section, text, file)

    @property
    def sources(self) -> dict[str, Source]:
        if self._sources is None:
            rows = self.conn.execute("SELECT file, json FROM sources ORDER BY seq")
            self._sources = {s.id: s for s in self._decode("sources", rows)}
        return self._sources

    def entities(self, ids: Iterable[str]) -> dict[str, Entity]:
        """The entities with these ids (unknown ids are left out), keyed by id."""
        found: dict[str, Entity] = {}
        for chunk in _chunks(sorted(set(ids))):
            rows = self.conn.execute(
                f"SELECT file, json FROM entities WHERE id IN ({_marks(chunk)})", chunk)
            found.update((e.id, e) for e in self._decode("entities", rows))
        return found

    def iter_entities(self) -> Iterator[Entity]:
        """Every entity, in file order."""
        return self._decode("entities", self.conn.execute(
            "SELECT file, json FROM entities ORDER BY seq"))

    def iter_facts(self, where: str = "", params: tuple = ()) -> Iterator[Fact]:
        """Facts in file order, optionally filtered by an SQL condition on the facts table."""
        clause = f"WHERE {where} " if where else ""
        return self._decode("facts", self.conn.execute(
            f"SELECT file, json FROM facts {clause}ORDER BY seq", params))

    def iter_figures(self) -> Iterator[Figure]:
        return self._decode("figures", self.conn.execute(
            "SELECT file, json FROM figures ORDER BY seq"))

    def facts_touching(self, ids: Iterable[str], within: set[str] | None = None) -> list[Fact]:
        """Every fact whose subject or object is one of ``ids``, in file order.

        With ``within``, only the facts whose two ends are both in it: the other
        rows are skipped before they are decoded (a hub touches thousands).
        """
        found: dict[str, tuple[int, str, str]] = {}
        for chunk in _chunks(sorted(set(ids))):
            marks = _marks(chunk)
            rows = self.conn.execute(
                f"SELECT id, seq, subject, object, file, json FROM facts "
                f"WHERE subject IN ({marks}) OR object IN ({marks})", chunk + chunk)
            for fact_id, seq, subject, obj, file, text in rows:
                if within is None or (subject in within and obj in within):
                    found[fact_id] = (seq, file, text)
        return [decode("facts", text, file)
                for _seq, file, text in sorted(found.values(), key=lambda item: item[0])]

    def figures_of(self, ids: Iterable[str]) -> list[Figure]:
        found: list[tuple[int, Figure]] = []
        for chunk in _chunks(sorted(set(ids))):
            rows = self.conn.execute(
                f"SELECT seq, file, json FROM figures WHERE entity IN ({_marks(chunk)})", chunk)
            found.extend((seq, decode("figures", text, file)) for seq, file, text in rows)
        return [figure for _seq, figure in sorted(found, key=lambda item: item[0])]

    def dataset(self) -> Dataset:
        """The whole dataset in memory (for notebooks, exports and whole-graph measures)."""
        import gc

        enabled = gc.isenabled()
        gc.disable()
        try:
            entities = {e.id: e for e in self.iter_entities()}
            return Dataset(ontology=self.ontology, sources=dict(self.sources), entities=entities,
                           facts=list(self.iter_facts("derived=0")),
                           figures=list(self.iter_figures()),
                           _references=list(self.iter_facts("derived=1")),
                           _existence=self._existence(entities))
        finally:
            if enabled:
                gc.enable()

    def _existence(self, ids: Iterable[str]) -> dict[str, Any]:
        """Entity id -> the date it begins to exist (``Dataset.exists_from``), as compiled."""
        from kg.data.dates import PartialDate

        found: dict[str, Any] = {}
        for chunk in _chunks(sorted(set(ids))):
            for entity_id, since in self.conn.execute(
                    f"SELECT id, exists_since FROM entities WHERE id IN ({_marks(chunk)}) "
                    "AND exists_since IS NOT NULL", chunk):
                found[entity_id] = PartialDate.parse(since)
        return found

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
                       _existence=self._existence(entities))

    # --- names --------------------------------------------------------------
    def resolve(self, name: str) -> str:
        """The id of the one entity ``name`` names (as ``NameIndex.resolve``); raises LookupFailed."""
        from kg.data.names import normalize

        if self.conn.execute("SELECT 1 FROM entities WHERE id=?", (name,)).fetchone():
            return name
        ids = sorted({row[0] for row in self.conn.execute(
            "SELECT entity FROM names WHERE folded=?", (normalize(name),))})
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            labels = self._labels(ids)
            raise LookupFailed(f"{name!r} is ambiguous: it names {len(ids)} entities",
                               [(i, labels[i]) for i in ids])
        found = self.search(name, limit=5)
        best = found[0].score if found else 0
        suggestions = [(m.id, m.label) for m in found if m.score >= max(70, best - 15)]
        raise LookupFailed(f"no entity named {name!r}", suggestions)

    def _labels(self, ids: Iterable[str]) -> dict[str, str]:
        labels: dict[str, str] = {}
        for chunk in _chunks(sorted(set(ids))):
            labels.update(self.conn.execute(
                f"SELECT id, label FROM entities WHERE id IN ({_marks(chunk)})", chunk))
        return labels

    def search(self, text: str, limit: int = 10) -> list[Any]:
        """Entities whose names match ``text``, best first, scored as ``NameIndex.search``."""
        from kg.data.names import Match, normalize

        query = normalize(text)
        if not query:
            return []
        best: dict[str, tuple[float, str]] = {}

        def offer(entity_id: str, score: float, original: str) -> None:
            if score > best.get(entity_id, (0.0, ""))[0]:
                best[entity_id] = (score, original)

        # In the order of the names table, as NameIndex walks its names.
        for folded, original, entity_id in self.conn.execute(
                "SELECT folded, name, entity FROM names WHERE folded >= ? AND folded < ? "
                "ORDER BY seq, n", (query, query + "\U0010ffff")):
            offer(entity_id, 100.0 if folded == query else 95.0, original)
        for _folded, original, entity_id in self.conn.execute(
                "SELECT folded, name, entity FROM names WHERE instr(folded, ?) > 1 ORDER BY seq, n",
                (query,)):
            offer(entity_id, 90.0, original)
        # Fuzzy scores stay below 90, so they matter only when fewer than ``limit`` are found.
        if len(best) < limit:
            from rapidfuzz import fuzz, process

            rows = [row for row in self.conn.execute(
                "SELECT folded, name, entity FROM names WHERE instr(folded, ?) = 0 ORDER BY seq, n",
                (query,))]
            hits = process.extract(query, [r[0] for r in rows], scorer=fuzz.WRatio,
                                    score_cutoff=50, limit=None)
            for _choice, score, index in sorted(hits, key=lambda h: h[2]):
                _folded, original, entity_id = rows[index]
                offer(entity_id, min(score, 89.0), original)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
        info = {row[0]: (row[1], row[2]) for chunk in _chunks([i for i, _ in ranked])
                for row in self.conn.execute(
                    f"SELECT id, type, label FROM entities WHERE id IN ({_marks(chunk)})", chunk)}
        return [Match(i, info[i][0], info[i][1], score, matched)
                for i, (score, matched) in ranked]

    # --- counts ---------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        """What ``kg.query.stats.summary`` gives for the whole dataset, from the indexes."""
        def counted(sql: str) -> dict[str, int]:
            return dict(sorted(self.conn.execute(sql).fetchall()))

        one = self.conn.execute
        return {
            "entities": one("SELECT count(*) FROM entities").fetchone()[0],
            "facts": one("SELECT count(*) FROM facts WHERE derived=0").fetchone()[0],
            "figures": one("SELECT count(*) FROM figures").fetchone()[0],
            "sources": one("SELECT count(*) FROM sources").fetchone()[0],
            "references": one("SELECT count(*) FROM facts WHERE derived=1").fetchone()[0],
            "by_type": counted("SELECT type, count(*) FROM entities GROUP BY type"),
            "by_relation": counted("SELECT relation, count(*) FROM facts WHERE derived=0 "
                                   "GROUP BY relation"),
            "by_kind": counted("SELECT kind, count(*) FROM facts WHERE derived=0 GROUP BY kind"),
        }

    def exists_on(self, ids: Iterable[str], day: dt.date) -> set[str]:
        """Those of ``ids`` that existed on ``day``."""
        text = day.isoformat()
        kept: set[str] = set()
        for chunk in _chunks(sorted(set(ids))):
            kept.update(row[0] for row in self.conn.execute(
                f"SELECT id FROM entities WHERE id IN ({_marks(chunk)}) "
                "AND (exists_from IS NULL OR exists_from <= ?)", [*chunk, text]))
        return kept

    def close(self) -> None:
        self.conn.close()


def _fact_refs(fact: Fact, ontology: Ontology) -> list[str]:
    refs = [fact.subject, fact.object]
    if fact.claimed_by:
        refs.append(fact.claimed_by)
    for key, value in fact.qualifiers.items():
        term = ontology.qualifiers.get(key)
        if term is not None and term.get("type") == "entity" and isinstance(value, str):
            refs.append(value)
    return refs


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def _marks(chunk: list[str]) -> str:
    return ",".join("?" * len(chunk))


def rows_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


__all__ = ["SCHEMA", "Store", "cache_dir", "from_dataset", "open_store", "store_path"]
