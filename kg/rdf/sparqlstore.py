"""The SPARQL store: the RDF view of the compiled store kept in Oxigraph, for ``kg sparql``.

``kg sparql`` used to build the whole RDF graph in memory for every query.
Here the same triples (those ``kg export rdf`` writes, produced record by
record as N-Triples, never as rdflib graphs) are kept in an Oxigraph store
(pyoxigraph, on RocksDB) beside the compiled store file:

  store-….sqlite.oxigraph/        the Oxigraph store (a folder)
  store-….sqlite.oxigraph.json    its stamp: what it was built from
  store-….sqlite.oxigraph.lock    one refresh at a time; queries share it
  store-….sqlite.oxigraph-vocabulary/ (and .json)   a copy with the vocabulary added

The records of each data file are one named graph, so a refresh replaces
the graphs of the files whose digest changed and no others. What depends on
every file at once (the direct "truthy" triples and ``kg:BestRank``, which
follow the ranks of competing statements) is one more graph, written again
on every refresh. A query reads every graph of its store as one (Oxigraph's
union default graph: far faster than naming the graphs, and the graphs share
no triple); ``GRAPH`` sees no named graph, as before. So the vocabulary
(``--vocabulary``) lives in a copy of the store, made again from it by the
first such query after a change. The stamp holds the compiled store's stamp
(ontology and code), each file's digest and each source's; it is removed
before the store changes and written last, so a store left half-written by a
killed run has no stamp and is built again from scratch.

Trust: the folder and every file in it must be this user's own, not links,
and writable by nobody else, in the compiled store's folder (checked as for
the store itself, ``kg.store.seal``); anything else is removed and built
again, and when that cannot be done the store is built in memory for this
run. Nothing read from the store is executed: it answers SPARQL queries only.
With ``KG_CACHE=0`` (or a store held in memory) the Oxigraph store is built in
memory, inside the bounded query process, and nothing is written.

The prefixes and graph names a query needs are in the stamp, so a query on a
fresh store imports no rdflib; building the store does (the RDF view is made
of rdflib terms).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from kg.errors import KgError

__all__ = ["SparqlStore", "open_sparql_store", "load_pyoxigraph"]

_VERSION = 1  # of the stamp's layout and of the graphs' content
_GRAPH = "urn:x-ai-video-kg:store:"  # graph names: internal, never shown (GRAPH sees none)
RANKED_GRAPH = _GRAPH + "ranked"
VOCABULARY_GRAPH = _GRAPH + "vocabulary"
_WAIT = 600.0  # seconds to wait for another process's refresh


def load_pyoxigraph() -> Any:
    """pyoxigraph, or a KgError saying how to install it."""
    try:
        import pyoxigraph
    except ImportError:
        raise KgError("kg sparql needs pyoxigraph (pip install pyoxigraph)") from None
    return pyoxigraph


def file_graph(file: str) -> str:
    """The named graph of a data file's records."""
    return _GRAPH + "file:" + hashlib.blake2b(file.encode("utf-8"), digest_size=12).hexdigest()


class SparqlStore:
    """What a query needs to know of the store: where it is (None: build it in memory), the
    prefixes to declare, and whether it holds the vocabulary's triples."""

    def __init__(self, folder: Path | None, prefixes: dict[str, str], vocabulary: bool,
                 store: Any = None) -> None:
        self.folder = folder
        self.prefixes = prefixes
        self.vocabulary = vocabulary
        self.store = store  # the compiled store, to build from when ``folder`` is None
        self.lock_fd: int | None = None

    def close(self) -> None:
        if self.lock_fd is not None:
            os.close(self.lock_fd)
            self.lock_fd = None

    def open(self) -> Any:
        """The Oxigraph store to query (in the query's own process): the folder opened
        read-only, or one built in memory."""
        ox = load_pyoxigraph()
        if self.folder is not None:
            return ox.Store.read_only(str(self.folder))
        memory = ox.Store()
        memory.bulk_load(_Reader(_all_quads(self.store)), ox.RdfFormat.N_QUADS)
        if self.vocabulary:
            memory.bulk_load(_Reader(_vocabulary_quads(self.store.ontology)), ox.RdfFormat.N_QUADS)
        return memory


# -- where the store lives, and whether it can be trusted -----------------------------------

def _home(store: Any) -> Path | None:
    """The compiled store's file, when it has one (a store in memory has none)."""
    source = getattr(store, "_source", None)
    return getattr(source, "path", None) if source is not None else None


def _trusted_folder(folder: Path) -> bool:
    """The folder and everything in it are this user's own regular files, not links, not
    writable by others. False when it is absent."""
    from kg.store.seal import mine

    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return False
    if not stat.S_ISDIR(info.st_mode) or not mine(info):
        return False
    for entry in os.scandir(folder):
        entry_info = entry.stat(follow_symlinks=False)
        if not stat.S_ISREG(entry_info.st_mode) or not mine(entry_info):
            return False
    return True


def _remove(path: Path) -> None:
    """Remove what is at ``path`` (a link is removed, never followed); raise when it cannot be."""
    from kg.store.seal import Unsafe

    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    try:
        if stat.S_ISDIR(info.st_mode):
            shutil.rmtree(path)
        else:
            os.unlink(path)
    except OSError:
        raise Unsafe(f"{path} is not this user's own and cannot be removed") from None


def _read_stamp(path: Path) -> dict[str, Any] | None:
    from kg.store.seal import open_own

    try:
        fd = open_own(path)
    except OSError:
        return None
    if fd is None:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            stamp = json.loads(handle.read(64 << 20))
    except (OSError, ValueError):
        return None
    if not isinstance(stamp, dict) or stamp.get("version") != _VERSION:
        return None
    kinds = {"files": dict, "sources": dict, "prefixes": dict, "record_files": list, "names": str}
    if not all(isinstance(stamp.get(key), kind) for key, kind in kinds.items()):
        return None  # not a stamp this code wrote: the store is built again
    return stamp


def _write_stamp(path: Path, stamp: dict[str, Any]) -> None:
    from kg.util.atomic import write_private_json

    write_private_json(path, stamp, sort_keys=True)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[int]:
    """An exclusive lock on ``path`` (created private), handed over as its descriptor; the
    caller may turn it into a shared one and keep it (then it closes it)."""
    from kg.store.seal import exclusive_lock

    fd = exclusive_lock(path, _WAIT, f"holding {path}")
    kept = False
    try:
        yield fd
        kept = True
    finally:
        if not kept:
            os.close(fd)


# -- what the store is built from ------------------------------------------------------------

def _current(store: Any) -> dict[str, Any]:
    """What the Oxigraph store must match: the compiled store's stamp, its files' and its
    sources' digests."""
    conn = store.conn
    meta = conn.execute("SELECT value FROM meta WHERE key='stamp'").fetchone()
    files = dict(conn.execute("SELECT path, digest FROM files"))
    sources = {row[0]: hashlib.blake2b(row[1].encode("utf-8"), digest_size=12).hexdigest()
               for row in conn.execute("SELECT id, json FROM sources")}
    # The IRIs follow the ontology's namespaces, which --base-iri moves without changing its file.
    names = json.dumps([store.ontology.namespace, store.ontology.rdf.prefixes], sort_keys=True)
    return {"version": _VERSION, "store": meta[0] if meta else None, "files": files,
            "sources": sources, "names": names}


def _record_files(store: Any) -> list[str]:
    """Every data file that holds records, as the rows name it."""
    return store.record_files()


def open_sparql_store(store: Any, vocabulary: bool = False,
                      progress: Callable[[str, int, int], None] | None = None) -> SparqlStore:
    """The SPARQL store of a compiled store, brought up to date (the caller closes it); with
    ``vocabulary``, the copy of it that also holds the vocabulary's triples. ``progress``
    hears of the records loaded when the store is built or refreshed (a million facts take
    minutes the first time).

    On a fresh store this reads the stamp and the compiled store's digests only."""
    home = _home(store)
    if home is not None:
        try:
            return _on_disk(store, home, vocabulary, progress)
        except (OSError, KgError):
            pass  # a location we cannot trust or write: build in memory for this run
    prefixes = _prefixes(store.ontology)
    return SparqlStore(None, prefixes, vocabulary, store)


def _prefixes(ontology: Any) -> dict[str, str]:
    from kg.rdf.names import Names

    return Names.of(ontology).bindings()


def _on_disk(store: Any, home: Path, vocabulary: bool,
             progress: Callable[[str, int, int], None] | None = None) -> SparqlStore:
    import fcntl

    from kg.store.seal import check_folder

    check_folder(home.parent)  # the compiled store may have been built in memory for want of it
    folder = home.with_name(home.name + ".oxigraph")
    stamp_path = home.with_name(home.name + ".oxigraph.json")
    lock_path = home.with_name(home.name + ".oxigraph.lock")
    current = _current(store)
    with _locked(lock_path) as fd:
        stamp = _read_stamp(stamp_path)
        if stamp is None or not _trusted_folder(folder) or stamp.get("store") != current["store"] \
                or stamp.get("names") != current["names"]:
            stamp = _rebuild(store, folder, stamp_path, current, progress)
        elif stamp["files"] != current["files"] or stamp["sources"] != current["sources"]:
            stamp = _refresh(store, folder, stamp_path, stamp, current, progress)
        if vocabulary:
            folder = _with_vocabulary(store, folder, stamp)
        fcntl.flock(fd, fcntl.LOCK_SH)  # queries run side by side; a refresh waits for them
    result = SparqlStore(folder, stamp["prefixes"], vocabulary)
    result.lock_fd = fd
    return result


def _with_vocabulary(store: Any, folder: Path, stamp: dict[str, Any]) -> Path:
    """The copy of the store that also holds the vocabulary (``--vocabulary``): a query reads
    every graph of its store as one, so the vocabulary has a store of its own. Made again
    from the data's store whenever that one changed."""
    ox = load_pyoxigraph()
    copy = folder.with_name(folder.name + "-vocabulary")
    copy_stamp = copy.with_name(copy.name + ".json")
    if _read_stamp(copy_stamp) == stamp and _trusted_folder(copy):
        return copy
    _remove(copy_stamp)
    _remove(copy)
    building = Path(tempfile.mkdtemp(prefix=f".{copy.name}.", suffix=".tmp", dir=copy.parent))
    try:
        os.rmdir(building)
        shutil.copytree(folder, building)
        oxi = ox.Store(str(building))
        try:
            oxi.bulk_load(_Reader(_vocabulary_quads(store.ontology)), ox.RdfFormat.N_QUADS)
            oxi.flush()
        finally:
            del oxi
        os.rename(building, copy)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    _write_stamp(copy_stamp, stamp)
    return copy


def _rebuild(store: Any, folder: Path, stamp_path: Path, current: dict[str, Any],
             progress: Callable[[str, int, int], None] | None = None) -> dict[str, Any]:
    ox = load_pyoxigraph()
    _remove(stamp_path)
    _remove(folder)
    os.mkdir(folder, 0o700)
    files = _record_files(store)
    oxi = ox.Store(str(folder))
    try:
        oxi.bulk_load(_Reader(_all_quads(store, files, progress=progress)), ox.RdfFormat.N_QUADS)
        oxi.flush()
    finally:
        del oxi
    return _finish(store, stamp_path, current, files)


def _refresh(store: Any, folder: Path, stamp_path: Path, stamp: dict[str, Any],
             current: dict[str, Any],
             progress: Callable[[str, int, int], None] | None = None) -> dict[str, Any]:
    """Replace the graphs of the files that changed (every file's when a source changed: the
    citations show their sources' addresses and languages), and the ranked graph."""
    ox = load_pyoxigraph()
    old_sources, new_sources = stamp["sources"], current["sources"]
    sources_changed = any(new_sources.get(key) != value for key, value in old_sources.items())
    files = _record_files(store)
    old_files, new_files = set(stamp["record_files"]), set(files)
    if sources_changed:
        changed = old_files | new_files
    else:
        # The files table names data files by absolute path; the rows name them as shown
        # (relative to the folder the command ran in when the file was read).
        paths = set(stamp["files"]) | set(current["files"])
        edited = {path for path in paths if stamp["files"].get(path) != current["files"].get(path)}

        def touched(file: str) -> bool:
            matches = [path for path in paths if path == file or path.endswith("/" + file)]
            return not matches or any(path in edited for path in matches)

        changed = (old_files ^ new_files) | {file for file in old_files & new_files if touched(file)}
    _remove(stamp_path)
    oxi = ox.Store(str(folder))
    try:
        for path in sorted(changed):
            oxi.clear_graph(ox.NamedNode(file_graph(path)))
        fresh = [path for path in files if path in changed]
        oxi.bulk_load(_Reader(_all_quads(store, fresh, with_ranked=False, progress=progress)),
                      ox.RdfFormat.N_QUADS)
        _replace_ranked(oxi, ox, store)
        oxi.flush()
    finally:
        del oxi
    return _finish(store, stamp_path, current, files)


def _finish(store: Any, stamp_path: Path, current: dict[str, Any], files: list[str]) -> dict[str, Any]:
    stamp = dict(current)
    stamp["prefixes"] = _prefixes(store.ontology)
    stamp["record_files"] = files
    _write_stamp(stamp_path, stamp)
    return stamp


# -- the triples, as N-Quads -----------------------------------------------------------------

class _Reader:
    """A file-like reader over a stream of byte chunks, for pyoxigraph's bulk loader."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self.chunks = iter(chunks)
        self.current = b""
        self.position = 0

    def read(self, size: int = -1) -> bytes:
        # Up to ``size`` bytes of the current chunk (a short read is allowed; b"" is the end):
        # never copying what is left, which made reading a large chunk quadratic.
        while self.position >= len(self.current):
            chunk = next(self.chunks, None)
            if chunk is None:
                return b""
            self.current, self.position = chunk, 0
        if size < 0:
            out = self.current[self.position:] + b"".join(self.chunks)
            self.current, self.position = b"", 0
            return out
        out = self.current[self.position:self.position + size]
        self.position += len(out)
        return out


def _all_quads(store: Any, files: list[str] | None = None, with_ranked: bool = True,
               progress: Callable[[str, int, int], None] | None = None) -> Iterator[bytes]:
    """The N-Quads of the records of ``files`` (every file when None), each file's in its
    graph, then the ranked graph: the direct triples and ``kg:BestRank`` of the whole store."""
    all_files = _record_files(store)
    from rdflib import RDF

    from kg.rdf.names import Names, Vocab
    from kg.rdf.stream import _Terms
    from kg.rdf.view import _Writer
    from kg.store.codec import selected

    ontology = store.ontology
    names = Names.of(ontology)
    terms = _Terms(names)
    sources = sorted(store.sources.values(), key=lambda s: s.id)
    writer = _Writer.for_records(ontology, all_files, sources, set())
    vocab: Vocab = writer.vocab
    best_rank = vocab["BestRank"]
    lines: list[str] = []
    graph = ""

    def collect(s: Any, p: Any, o: Any, where: str | None) -> None:
        # Direct triples and kg:BestRank depend on other files' records: the ranked graph.
        if where is None or (p == RDF.type and o == best_rank):
            return
        lines.append(f"{terms.term(s, False)} {terms.term(p, False)} {terms.term(o, False)} {graph} .\n")

    writer.add = collect  # type: ignore[method-assign]
    conn = store.conn
    # The keys of the files asked for (a row names its file by the key ``Store.files`` maps).
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS sparql_files (file INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.sparql_files")
    wanted = set(all_files if files is None else files)
    conn.executemany("INSERT OR IGNORE INTO temp.sparql_files VALUES (?)",
                     [(key,) for key, file in store.files.items() if file in wanted])
    sections = (("sources", writer.source), ("entities", writer.entity_record),
                ("facts", writer.fact), ("figures", writer.figure))
    total = done = 0
    if progress:
        total = sum(conn.execute(f"SELECT count(*) FROM {section} WHERE file IN (SELECT file FROM "
                                 f"temp.sparql_files){' AND derived=0' if section == 'facts' else ''}"
                                 ).fetchone()[0] for section, _method in sections)
    for section, method in sections:
        where = " AND derived=0" if section == "facts" else ""
        cursor = conn.cursor()
        for row in cursor.execute(f"SELECT {selected(section)} FROM {section} WHERE file IN "
                                  f"(SELECT file FROM temp.sparql_files){where}"):
            record = store.decode(section, row)
            graph = "<" + file_graph(record.loc.file) + ">"
            method(record)
            done += 1
            if progress and done % 5000 == 0:
                progress("sparql", done, total)
            if len(lines) >= 20_000:
                yield "".join(lines).encode("utf-8")
                lines.clear()
    yield "".join(lines).encode("utf-8")
    lines.clear()
    if progress:
        progress("sparql", total, total)
    if not with_ranked:
        return
    ranked = "<" + RANKED_GRAPH + ">"
    for subject, predicate, obj in _ranked_triples(store):
        lines.append(f"{terms.iri(subject, False)} {terms.iri(predicate, False)} "
                     f"{terms.iri(obj, False)} {ranked} .\n")
        if len(lines) >= 20_000:
            yield "".join(lines).encode("utf-8")
            lines.clear()
    yield "".join(lines).encode("utf-8")


def _ranked_triples(store: Any) -> Iterator[tuple[str, str, str]]:
    """The triples of the ranked graph, as IRIs: the direct triples, as the streamed writer
    gives them (``StoreRecords.direct_out``), and ``kg:BestRank`` of the best-ranked records."""
    from rdflib import RDF

    from kg.rdf.names import CLAIM, Names, Vocab

    names = Names.of(store.ontology)
    vocab = Vocab(store.ontology)
    conn = store.conn
    entity_iri: dict[str, str] = {}

    def entity(entity_id: str) -> str:
        found = entity_iri.get(entity_id)
        if found is None:
            found = str(names.mint(names.entity, entity_id))
            if len(entity_iri) < 1_000_000:
                entity_iri[entity_id] = found
        return found

    relation_iri = {key: str(iri) for key, iri in vocab.relations.items()}
    direct = conn.execute(
        "SELECT subject, relation, object FROM facts WHERE (kind != ? OR derived=1) "
        "AND subject != object AND best=1 "
        "UNION SELECT object, relation, subject FROM facts WHERE symmetric=1 AND kind != ? "
        "AND subject != object AND best=1 "
        "UNION SELECT subject, relation, object FROM facts WHERE subject=object AND kind != ? "
        "AND best=1", (CLAIM, CLAIM, CLAIM))
    known = {row[0] for row in conn.execute("SELECT id FROM entities")}
    for subject, relation, obj in direct:
        if subject in known:
            yield entity(subject), relation_iri[relation], entity(obj)
    rdf_type, best = str(RDF.type), str(vocab["BestRank"])
    for namespace, query in ((names.fact, "SELECT id FROM facts WHERE derived=0 AND best=1"),
                             (names.figure, "SELECT id FROM figures WHERE best=1")):
        for (record_id,) in conn.execute(query):
            yield str(names.mint(namespace, record_id)), rdf_type, best


def _replace_ranked(oxi: Any, ox: Any, store: Any) -> None:
    """Bring the ranked graph up to date by its difference: an edit changes few of its triples,
    and removing a whole graph from Oxigraph costs far more than reading it."""
    graph = ox.NamedNode(RANKED_GRAPH)
    old = {(quad.subject.value, quad.predicate.value, quad.object.value): quad
           for quad in oxi.quads_for_pattern(None, None, None, graph)}
    new = set(_ranked_triples(store))
    for key in old.keys() - new:
        oxi.remove(old[key])
    oxi.extend([ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o), graph)
                for s, p, o in new - old.keys()])


def _vocabulary_quads(ontology: Any) -> Iterator[bytes]:
    from kg.rdf.serialization import triples_text
    from kg.rdf.vocabulary import vocabulary_graph

    graph = "<" + VOCABULARY_GRAPH + ">"
    for line in triples_text(vocabulary_graph(ontology)):
        # N-Triples lines end with " ."; the graph goes before it.
        yield (line[:-1].rstrip() + f" {graph} .\n").encode("utf-8")
