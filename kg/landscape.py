"""``kg.open()`` → ``Landscape``: the one door to the graph, for notebooks and for the ``kg`` command.

A ``Landscape`` knows where the data and the ontology are and picks the engine for each
question: the compiled store's indexed rows where the question allows (a path, a
neighbourhood, one entity, a search, counts), the whole dataset otherwise. Every method
returns a result that carries the records it was computed on, so ``result.to_json()`` needs
nothing passed back::

    import kg
    lnd = kg.open()                                   # seeds/ and ontology/ by default
    lnd.paths("disney", "kling").to_json()
    lnd.compare("sora-2", "veo", "kling").to_json()
    lnd.export("graphml", "landscape.graphml")

The ``kg`` command makes one ``Landscape`` per run and one call per command.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import BadQuestion, DataError, KgError

if TYPE_CHECKING:
    from kg.analysis.brief import Brief
    from kg.analysis.compare import Matrix
    from kg.analysis.diff import ChangeReport, DatasetDiff
    from kg.data.model import Dataset, Entity, Fact, Figure
    from kg.data.names import Match
    from kg.data.ontology import Ontology
    from kg.query.common import Listing
    from kg.query.neighbors import Neighborhood
    from kg.query.paths import PathResult
    from kg.query.profile import EntityProfile, SourceProfile
    from kg.query.rank import Score
    from kg.query.sources import SourceUse
    from kg.query.timeline import Entry
    from kg.store import BuildResult, Store
    from kg.util.progress import Progress

__all__ = ["ExportResult", "Landscape", "open"]

# The formats written as a stream from the store (kg.export.records), and the RDF syntaxes that are.
_STREAMED = ("graphml", "gexf", "json", "csv", "cypher", "neo4j-csv")
_STREAMED_RDF = ("turtle", "nt", "jsonld", "trig", "xml")

PathLike = str | os.PathLike[str]


@dataclass
class ExportResult:
    """What an export wrote: the files (empty when the content was returned instead), the
    content for a single-file format asked without a target, or its chunks for a streamed one,
    and what it holds."""

    paths: list[Path] = field(default_factory=list)
    entities: int | None = None
    facts: int | None = None  # stated facts
    references: int | None = None  # reference edges (derived from records)
    content: bytes | None = None
    chunks: Iterator[bytes] | None = None
    details: dict[str, Any] = field(default_factory=dict)
    # What the reader should know of what was left out (statements of a lower rank), or None.
    note: str | None = None


def open(data: PathLike | None = None, ontology: PathLike | None = None, *,  # noqa: A001 - kg.open
         base_iri: str | None = None, progress: Progress | None = None) -> Landscape:
    """The landscape of a data folder (default: the repository's ``seeds/``) under an ontology
    (default: ``ontology/ontology.yaml``). Nothing is read until the first question."""
    return Landscape(data, ontology, base_iri=base_iri, progress=progress)


class Landscape:
    """The graph of one data folder, compiled on first use and kept up to date by the store."""

    def __init__(self, data: PathLike | None = None, ontology: PathLike | None = None, *,
                 base_iri: str | None = None, progress: Progress | None = None) -> None:
        self.data_path = Path(data) if data is not None else None
        self.ontology_path = Path(ontology) if ontology is not None else None
        self.base_iri = base_iri
        self._progress = progress
        self._store: Store | None = None
        self._dataset: Dataset | None = None
        self._ontology: Ontology | None = None

    def __repr__(self) -> str:
        return f"Landscape(data={str(self.data_path or 'seeds/')!r})"

    # --- the three ways in ---------------------------------------------------------------------
    @property
    def progress(self) -> Progress:
        if self._progress is None:
            from kg.util.progress import Progress

            self._progress = Progress()
        return self._progress

    @property
    def ontology(self) -> Ontology:
        """The ontology (with RDF names under ``base_iri`` when one was given)."""
        if self._ontology is None:
            if self._store is not None:
                self._ontology = self._store.ontology
            else:
                from kg.data.ontology import load_ontology, with_base_iri

                ontology = load_ontology(self.ontology_path)
                self._ontology = with_base_iri(ontology, self.base_iri) if self.base_iri else ontology
        return self._ontology

    def compiled(self) -> Store:
        """The compiled store, brought up to date, whether or not the data is valid."""
        if self._store is None:
            from kg.store import open_store

            self._store = open_store(self.data_path, self.ontology_path, progress=self.progress,
                                     require_valid=False)
            if self.base_iri:  # RDF names under the user's base; nothing else changes
                from kg.data.ontology import with_base_iri

                self._store.ontology = with_base_iri(self._store.ontology, self.base_iri)
            self._ontology = self._store.ontology
        return self._store

    @property
    def store(self) -> Store:
        """The compiled store of valid data; raises DataError listing every problem."""
        store = self.compiled()
        if store.result.problems:
            raise DataError(store.result.problems)
        return store

    @property
    def dataset(self) -> Dataset:
        """The whole dataset in memory (read from the store once, then kept)."""
        if self._dataset is None:
            self._dataset = self.store.dataset()
        return self._dataset

    def validation(self) -> BuildResult:
        """The result of checking every data file: counts and every problem (none when valid)."""
        return self.compiled().result

    # --- names ---------------------------------------------------------------------------------
    def entity(self, name: str) -> Entity:
        """The entity an id, label or alias names (any script or case); raises LookupFailed."""
        store = self.store
        entity_id = store.resolve(name)
        return store.entities([entity_id])[entity_id]

    def search(self, text: str, limit: int = 10) -> list[Match]:
        """Entities whose labels or aliases match ``text``, best first."""
        return self.store.search(text, limit=limit)

    # --- questions -----------------------------------------------------------------------------
    def profile(self, name: str, *, as_of: dt.date | None = None) -> EntityProfile | SourceProfile:
        """Everything known of one entity, or of one registered source (``kg show``)."""
        from kg.query.profile import entity_profile, source_profile

        store = self.store
        if name in store.sources:
            return source_profile(self.dataset, name, as_of)
        from kg.store.traverse import entity_subset

        entity_id = store.resolve(name)
        return entity_profile(entity_subset(store, entity_id), entity_id, as_of)

    def paths(self, source: str, target: str, *, via: Iterable[str] = (), exclude: Iterable[str] = (),
              kinds: Iterable[str] = (), k: int = 1, all: bool = False,  # noqa: A002 - as the option
              max_hops: int | None = None, directed: bool = False,
              as_of: dt.date | None = None, limit: int | None = 1000) -> PathResult:
        """Paths from ``source`` to ``target``, shortest first (see ``kg.query.paths``).

        Answered on the store's rows around the two ends, exactly as on the whole dataset.
        At most ``limit`` paths (None: all); ``result.truncated`` says when there were more.
        Raises LookupFailed, UnknownTerm (``param`` names the argument), NoPath.
        """
        from kg.query.common import check_kinds, check_relations
        from kg.query.paths import find_paths, path_subset
        from kg.store.traverse import Walk

        if all and max_hops is None:
            raise KgError("all paths needs a bound: give max_hops")
        store = self.store
        start, end = store.resolve(source), store.resolve(target)
        if start == end:
            raise KgError(f"the two ends are the same entity ({store.entities([start])[start].label})")
        walk = Walk(via=frozenset(check_relations(self.ontology, via, "via")),
                    exclude=frozenset(check_relations(self.ontology, exclude, "exclude")),
                    kinds=frozenset(check_kinds(self.ontology, kinds)), as_of=as_of, directed=directed)
        part = path_subset(store, start, end, walk, k=k, all_paths=all, max_hops=max_hops, limit=limit)
        return find_paths(part, start, end, via=via, exclude=exclude, max_hops=max_hops, k=k,
                          all_paths=all, directed=directed, as_of=as_of, kinds=kinds, limit=limit)

    def neighbors(self, name: str, *, depth: int = 1, direction: str = "both",
                  relations: Iterable[str] = (), as_of: dt.date | None = None) -> Neighborhood:
        """Entities within ``depth`` hops, with the facts that reached them (store rows only)."""
        from kg.query.common import check_relations
        from kg.query.neighbors import neighbors
        from kg.store.traverse import neighborhood_subset

        relations = check_relations(self.ontology, relations)
        store = self.store
        center = store.resolve(name)
        part = neighborhood_subset(store, center, depth, direction, relations)
        return neighbors(part, center, relations=relations, direction=direction, depth=depth,
                         as_of=as_of)

    def edges(self, *, relations: Iterable[str] = (), subject_types: Iterable[str] = (),
              object_types: Iterable[str] = (), subject_roles: Iterable[str] = (),
              object_roles: Iterable[str] = (), entities: Iterable[str] = (), kinds: Iterable[str] = (),
              as_of: dt.date | None = None) -> Listing[Fact]:
        """The facts and reference edges matching every filter given."""
        from kg.query.common import Listing, check_kinds, check_relations
        from kg.query.edges import edge_json, edges
        from kg.store.traverse import edges_subset

        entities = tuple(entities)
        if entities:  # an entity may be named that has no fact of these relations
            part = self.dataset
        else:
            part = edges_subset(self.store, check_relations(self.ontology, relations),
                                check_kinds(self.ontology, kinds))
        found = edges(part, relations=relations, subject_types=subject_types, object_types=object_types,
                      kinds=kinds, as_of=as_of, subject_roles=subject_roles, object_roles=object_roles,
                      entities=entities)
        return Listing(tuple(found), part, edge_json)

    def timeline(self, name: str | None = None, *, relations: Iterable[str] = (),
                 metrics: Iterable[str] = (), since: dt.date | None = None,
                 until: dt.date | None = None) -> Listing[Entry]:
        """Dated facts and figures in date order, for one entity or for everything."""
        from kg.query.common import Listing
        from kg.query.timeline import timeline

        data = self.dataset
        found = timeline(data, name, relations=relations, metrics=metrics, since=since, until=until)
        return Listing(tuple(found), data, lambda dataset, entry: entry.to_json(dataset))

    def figures(self, name: str | None = None, *, metrics: Iterable[str] = (),
                as_of: dt.date | None = None) -> Listing[Figure]:
        """Every figure, or one entity's, sorted by entity, metric and date."""
        from kg.query.common import Listing
        from kg.query.figures import figure_json, figures

        data = self.dataset
        return Listing(tuple(figures(data, name, metrics=metrics, as_of=as_of)), data, figure_json)

    def rank(self, metric: str = "degree", *, relations: Iterable[str] = (), types: Iterable[str] = (),
             roles: Iterable[str] = (), limit: int | None = 10,
             as_of: dt.date | None = None) -> Listing[Score]:
        """The most central entities, highest score first (ties by id)."""
        from kg.query.common import Listing
        from kg.query.rank import rank

        data = self.dataset
        scores = rank(data, metric, relations=relations, types=types, limit=limit, as_of=as_of,
                      roles=roles, progress=self.progress)
        return Listing(tuple(scores), data, lambda dataset, score: score.to_json(dataset))

    def stats(self, *, as_of: dt.date | None = None) -> dict[str, Any]:
        """Counts of entities, facts, figures, sources and references, by type, relation, kind."""
        from kg.query.stats import summary

        return summary(self.dataset.as_of(as_of) if as_of else self.store)

    # --- analyses ------------------------------------------------------------------------------
    def compare(self, *names: str, relations: Iterable[str] = (), metrics: Iterable[str] = (),
                as_of: dt.date | None = None, default: bool = False, history: bool = False,
                made_on: dt.date | None = None) -> Matrix:
        """The entities side by side (``kg.analysis.compare``); needs two different entities.
        On ``as_of``, else as the data stands; ended facts left out unless ``history``;
        ``made_on``: the day it is made (default: ``KG_TODAY``, else today)."""
        from kg.analysis.compare import compare

        data = self.dataset
        if len({data.resolve(name).id for name in names}) < 2:
            raise BadQuestion("name at least two different entities to compare")
        return compare(data, names, relations=relations, metrics=metrics, as_of=as_of, default=default,
                       history=history, made_on=made_on)

    def changes(self, start: dt.date, end: dt.date, *, entities: Iterable[str] = (),
                relations: Iterable[str] = (), kinds: Iterable[str] = (),
                inexact: bool = False, made_on: dt.date | None = None) -> ChangeReport:
        """What changed in the landscape from ``start`` to ``end`` (both days included); render
        it with ``kg.render.text.changes`` or as a document with ``kg.render.diff``. ``made_on``:
        the day the report is made (default: ``KG_TODAY``, else today)."""
        from kg.analysis.diff import change_report

        if start > end:
            raise BadQuestion("the span starts after it ends")
        return change_report(self.dataset, start, end, entities=entities, relations=relations,
                             kinds=kinds, inexact=inexact, made_on=made_on)

    def revision_changes(self, old: str, new: str | None = None) -> DatasetDiff:
        """Records added, removed and changed between two git revisions of the data folder
        (``new=None``: the working files)."""
        from kg.analysis.diff import diff_datasets

        older = self.at_revision(old).dataset
        newer = self.at_revision(new).dataset if new is not None else self.dataset
        return diff_datasets(older, newer)

    def at_revision(self, revision: str) -> Landscape:
        """The landscape as the data folder stood at a git revision (read with git, time-bounded;
        the work tree is untouched)."""
        from kg.data.load import DEFAULT_DATA
        from kg.data.revisions import load_revision

        other = Landscape(self.data_path, self.ontology_path, base_iri=self.base_iri,
                          progress=self._progress)
        other._dataset = load_revision(self.data_path or DEFAULT_DATA, revision, self.ontology_path)
        other._ontology = other._dataset.ontology
        return other

    def brief(self, name: str, *, as_of: dt.date | None = None, history: bool = False,
              made_on: dt.date | None = None) -> Brief:
        """The one-page brief on an entity (render it with ``kg.render.brief``): on ``as_of``,
        else as the data stands; ended facts left out unless ``history``; ``made_on``: the day
        it is made (default: ``KG_TODAY``, else today)."""
        from kg.analysis.brief import brief

        return brief(self.dataset, name, as_of, history=history, made_on=made_on)

    def coverage(self, texts: PathLike) -> list[Any]:
        """For each source whose text is in the folder: the paragraphs cited and those not."""
        from kg.analysis.coverage import coverage

        return coverage(self.dataset, Path(texts))

    def check_citations(self, texts: PathLike) -> Any:
        """Every locator checked against the source texts in a folder (``kg check-citations``)."""
        from kg.data.citations import check_citations

        return check_citations(self.dataset, Path(texts))

    def sources(self, *, as_of: dt.date | None = None) -> list[SourceUse]:
        """Every registered source with how many facts and figures cite it."""
        from kg.query.sources import source_uses

        return source_uses(self.dataset, as_of)

    def graph(self, *, as_of: dt.date | None = None, relations: Iterable[str] = (),
              types: Iterable[str] = (), roles: Iterable[str] = ()) -> Any:
        """The (selected) landscape as a networkx MultiDiGraph: one edge per fact or reference."""
        from kg.query.graph import build

        return build(self.select(as_of=as_of, relations=relations, types=types, roles=roles))

    def select(self, *, as_of: dt.date | None = None, relations: Iterable[str] = (),
               types: Iterable[str] = (), roles: Iterable[str] = (),
               include_deprecated: bool = False) -> Dataset:
        """The part of the dataset that ``as_of``, ``relations``, ``types`` and ``roles`` keep:
        statements of the best rank (``kg.data.ranks``), or every one with ``include_deprecated``."""
        from kg.query.selection import check_filters, select, with_roles

        check_filters(self.ontology, relations, types)
        whole = self.store.dataset(include_deprecated=True) if include_deprecated else self.dataset
        return select(with_roles(whole, roles), as_of, list(relations), list(types))

    def left_out(self) -> str | None:
        """What a best-rank answer leaves out ("3 statements of a lower rank …"), or None."""
        from kg.data.ranks import hidden_text

        return hidden_text(self.store.outranked_count())

    # --- exports -------------------------------------------------------------------------------
    def export(self, fmt: str, target: PathLike | None = None, *, as_of: dt.date | None = None,
               relations: Iterable[str] = (), types: Iterable[str] = (), roles: Iterable[str] = (),
               include_deprecated: bool = False, **options: Any) -> ExportResult:
        """Write the landscape in a registered format (``kg.export.EXPORTERS``) to ``target``.

        Without a target, a single-file format's content is returned (``content``, or
        ``chunks`` for the formats that stream from the store: every one but html and the
        ontology's; see docs/exports.md). Options:
        ``syntax`` for rdf (turtle, nt, jsonld, trig, xml); ``batch_size`` for cypher;
        ``focus``, ``depth``, ``start`` for html. Writes are atomic. Only statements of the
        best rank are written unless ``include_deprecated`` (RDF always writes every one and marks
        the best rank itself); ``note`` then says what was left out.
        """
        from kg.export import get, write_atomic

        exporter = get(fmt)
        target = Path(target) if target is not None else None
        relations, types, roles = tuple(relations), tuple(types), tuple(roles)
        filtered = bool(as_of or relations or types or roles)
        if fmt in _STREAMED or (fmt == "rdf" and options.get("syntax", "turtle") in _STREAMED_RDF):
            return self._stream(fmt, target, filtered, as_of, relations, types, roles,
                                include_deprecated, options)
        if fmt == "html":
            return self._html(target, as_of, relations, types, roles, **options)
        module = exporter.load()
        if exporter.kind == "ontology":
            content, counts = module.render(self.ontology), {}
        else:
            every = include_deprecated or fmt == "rdf"
            data = self.select(as_of=as_of, relations=relations, types=types, roles=roles,
                               include_deprecated=every)
            counts = {"entities": len(data.entities), "facts": len(data.facts),
                      "references": len(data.references), "note": None if every else self.left_out()}
            if exporter.kind == "folder":
                if target is None:
                    raise KgError(f"the {fmt} export writes a folder: give a target")
                return ExportResult(paths=module.export(data, target), **counts)
            if fmt == "rdf":  # the syntaxes rdflib writes from a whole graph
                content = module.render(data, options.get("syntax", "turtle"))
            else:
                content = module.render(data, **options)
        if target is None:
            return ExportResult(content=content, **counts)
        return ExportResult(paths=[write_atomic(target, content)], **counts)

    def _stream(self, fmt: str, target: Path | None, filtered: bool, as_of: dt.date | None,
                relations: Iterable[str], types: Iterable[str], roles: Iterable[str],
                include_deprecated: bool, options: dict[str, Any]) -> ExportResult:
        """A streamed export: records read in id order from the store row by row (or from the
        selected part in memory), written a chunk at a time (``kg.export.records``)."""
        from kg.export import get, write_folder_atomic, write_stream
        from kg.export.records import DatasetRecords, StoreRecords

        exporter = get(fmt)
        every = include_deprecated or fmt == "rdf"
        if exporter.kind == "folder" and target is None:
            raise KgError(f"the {fmt} export writes a folder: give a target")
        if filtered:
            records: Any = DatasetRecords(self.select(as_of=as_of, relations=relations, types=types,
                                                      roles=roles, include_deprecated=every))
        else:
            records = StoreRecords(self.store, ranked=not every)
        counts = {"entities": records.entity_count(), "facts": records.fact_count(),
                  "references": records.reference_count(), "note": None if every else self.left_out()}
        if fmt == "rdf":
            from kg.rdf.stream import chunks

            stream = chunks(records, options.get("syntax", "turtle"), self.progress)
        elif exporter.kind == "folder":
            assert target is not None
            return ExportResult(paths=write_folder_atomic(target, exporter.load().files(records)),
                                **counts)
        else:
            stream = exporter.load().chunks(records, **options)
        if target is None:
            return ExportResult(chunks=stream, **counts)
        return ExportResult(paths=[write_stream(target, stream)], **counts)

    def _html(self, target: Path | None, as_of: dt.date | None, relations: Iterable[str],
              types: Iterable[str], roles: Iterable[str], *, focus: str | None = None,
              depth: int | None = None, start: str = "graph") -> ExportResult:
        from kg.export import get

        if target is None:
            raise KgError("the html export writes a file: give a target")
        if depth is not None and focus is None:
            raise KgError("depth needs focus")
        module = get("html").load()
        view = module.select(self.dataset, focus=focus, depth=1 if depth is None else depth,
                             relations=tuple(relations), types=tuple(types), as_of=as_of, start=start,
                             roles=tuple(roles), limit=module.MAX_ENTITIES)
        paths = module.write(view, target)
        details = view.to_json()
        return ExportResult(paths=paths, entities=details["entities"], facts=details["facts"],
                            references=details["references"], details=details)

