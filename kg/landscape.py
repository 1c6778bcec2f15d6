"""``kg.open()`` → ``Landscape``: the one door to the graph, for notebooks and for the ``kg`` command.

A ``Landscape`` knows where the data and the ontology are and picks the engine for each
question: the compiled store's indexed rows where the question allows (a path, a
neighbourhood, one entity, a search, counts, a comparison, a brief, figures, a timeline,
the changes of a span, a ranking), the whole dataset otherwise (exports, SPARQL, sources).
Every method returns a result that carries the records it was computed on, so
``result.to_json()`` needs nothing passed back::

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
    from kg.query.paths import PathResult, PathStream
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

    def compiled(self, full: bool = False) -> Store:
        """The compiled store, brought up to date, whether or not the data is valid; ``full``
        checks across every record, not only across what changed since the last build."""
        if self._store is None or full:
            from kg.store import open_store

            if self._store is not None:
                self._store.close()
            self._dataset = None
            self._store = open_store(self.data_path, self.ontology_path, progress=self.progress,
                                     require_valid=False, full=full)
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

    def validation(self, full: bool = False) -> BuildResult:
        """The result of checking every data file: counts and every problem (none when valid).
        ``full`` checks across every record; otherwise only what changed since the last build
        is checked again (a new store is always checked in full)."""
        return self.compiled(full=full).result

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
    def profile(self, name: str, *, as_of: dt.date | None = None, limit: int | None = None,
                offset: int = 0) -> EntityProfile | SourceProfile:
        """Everything known of one entity, or of one registered source (``kg show``).

        An entity's facts (those from it, then those to it) are listed from ``offset`` on, at
        most ``limit`` of them (None: all); ``profile.page`` says which. Only the rows listed
        are read, unless ``as_of`` asks which facts held on a day. Raises NoResult when
        ``offset`` is past the last fact.
        """
        from kg.query.common import page_bounds, past_the_end
        from kg.query.profile import entity_profile, paged, source_profile

        page_bounds(limit, offset)
        store = self.store
        if name in store.sources:
            return source_profile(self.dataset, name, as_of)
        entity_id = store.resolve(name)
        if as_of is not None:  # which facts held then is decided on the records themselves
            from kg.store.traverse import entity_subset

            found = paged(entity_profile(entity_subset(store, entity_id), entity_id, as_of),
                          limit, offset)
        else:
            from dataclasses import replace

            from kg.query.common import Page
            from kg.store.pages import entity_page

            part = entity_page(store, entity_id, limit, offset)
            found = replace(entity_profile(part.dataset, entity_id),
                            page=Page(part.facts_out + part.facts_in, offset, limit),
                            counts=(part.facts_out, part.facts_in))
        assert found.page is not None
        past_the_end(found.page, "facts", found.entity.label)
        return found

    def paths(self, source: str, target: str, *, via: Iterable[str] = (), exclude: Iterable[str] = (),
              kinds: Iterable[str] = (), k: int = 1, all: bool = False,  # noqa: A002 - as the option
              max_hops: int | None = None, directed: bool = False,
              as_of: dt.date | None = None, limit: int | None = 1000) -> PathResult:
        """Paths from ``source`` to ``target``, shortest first (see ``kg.query.paths``).

        Answered on the store's rows around the two ends, exactly as on the whole dataset.
        At most ``limit`` paths (None: all); ``result.truncated`` says when there were more.
        Raises LookupFailed, UnknownTerm (``param`` names the argument), NoPath.
        """
        from kg.query.paths import find_paths, path_subset

        if all and max_hops is None:
            raise KgError("all paths needs a bound: give max_hops")
        start, end, walk = self._path_ends(source, target, via, exclude, kinds, as_of, directed)
        part = path_subset(self.store, start, end, walk, k=k, all_paths=all, max_hops=max_hops,
                           limit=limit)
        return find_paths(part, start, end, via=via, exclude=exclude, max_hops=max_hops, k=k,
                          all_paths=all, directed=directed, as_of=as_of, kinds=kinds, limit=limit)

    def stream_paths(self, source: str, target: str, *, max_hops: int, via: Iterable[str] = (),
                     exclude: Iterable[str] = (), kinds: Iterable[str] = (), directed: bool = False,
                     as_of: dt.date | None = None, limit: int | None = 1000) -> PathStream:
        """Every simple path of at most ``max_hops`` hops, as ``paths(..., all=True)`` lists
        them, handed out one at a time as each is found (``kg path --all``): iterate the
        result; at most ``limit`` paths, ``result.truncated`` then says there were more.
        No path comes out when there is none (``result.no_path()`` is the error to raise)."""
        from kg.query.paths import stream_all_paths, stream_store_paths

        if max_hops < 1:
            raise KgError("max_hops must be at least 1")
        start, end, walk = self._path_ends(source, target, via, exclude, kinds, as_of, directed)
        stream = stream_store_paths(self.store, start, end, walk, max_hops=max_hops, limit=limit,
                                    via=via, exclude=exclude, kinds=kinds)
        if stream is not None:
            return stream
        return stream_all_paths(self.dataset, start, end, max_hops=max_hops, via=via, exclude=exclude,
                                directed=directed, as_of=as_of, kinds=kinds, limit=limit)

    def _path_ends(self, source: str, target: str, via: Iterable[str], exclude: Iterable[str],
                   kinds: Iterable[str], as_of: dt.date | None, directed: bool) -> tuple[str, str, Any]:
        """The ids of a path's two ends, and the walk its filters allow."""
        from kg.query.common import check_kinds, check_relations
        from kg.store.traverse import Walk

        store = self.store
        start, end = store.resolve(source), store.resolve(target)
        if start == end:
            raise KgError(f"the two ends are the same entity ({store.entities([start])[start].label})")
        walk = Walk(via=frozenset(check_relations(self.ontology, via, "via")),
                    exclude=frozenset(check_relations(self.ontology, exclude, "exclude")),
                    kinds=frozenset(check_kinds(self.ontology, kinds)), as_of=as_of, directed=directed)
        return start, end, walk

    def neighbors(self, name: str, *, depth: int = 1, direction: str = "both",
                  relations: Iterable[str] = (), as_of: dt.date | None = None,
                  limit: int | None = None, offset: int = 0) -> Neighborhood:
        """Entities within ``depth`` hops, with the facts that reached them (store rows only).

        The entities reached are listed from ``offset`` on, at most ``limit`` of them (None:
        all); ``result.page`` says which. On every day (no ``as_of``), the search reads
        columns only and decodes only the facts reaching the entities listed. Raises NoResult
        when ``offset`` is past the last entity.
        """
        from kg.query.common import Page, check_relations, page_bounds, past_the_end
        from kg.query.neighbors import DIRECTIONS, neighbors, paged

        page_bounds(limit, offset)
        relations = check_relations(self.ontology, relations)
        store = self.store
        center = store.resolve(name)
        if depth == 1 and as_of is None and direction in DIRECTIONS:
            from dataclasses import replace

            from kg.store.pages import neighbor_page

            part, total = neighbor_page(store, center, direction, relations, limit, offset)
            found = replace(neighbors(part, center, relations=relations, direction=direction),
                            page=Page(total, offset, limit))
        elif as_of is None and direction in DIRECTIONS and depth > 1:
            from kg.query.common import Hop
            from kg.query.neighbors import Neighborhood, Reached
            from kg.store.pages import layered_neighbor_page

            records, page, total = layered_neighbor_page(store, center, depth, direction, relations,
                                                         limit, offset)
            facts = {fact.id: fact for fact in records.edges}
            reached = [Reached(node, level, tuple(sorted(
                (Hop(start, node, facts[fact_id]) for start, fact_id in hops), key=Hop.sort_key)))
                for node, level, hops in page]
            found = Neighborhood(records.entities[center], reached, records, Page(total, offset, limit))
        else:
            from kg.store.traverse import neighborhood_subset

            part = neighborhood_subset(store, center, depth, direction, relations)
            found = paged(neighbors(part, center, relations=relations, direction=direction,
                                    depth=depth, as_of=as_of), limit, offset)
        assert found.page is not None
        past_the_end(found.page, "neighbors", found.entity.label)
        return found

    def edges(self, *, relations: Iterable[str] = (), subject_types: Iterable[str] = (),
              object_types: Iterable[str] = (), subject_roles: Iterable[str] = (),
              object_roles: Iterable[str] = (), entities: Iterable[str] = (), kinds: Iterable[str] = (),
              as_of: dt.date | None = None, limit: int | None = None,
              offset: int = 0) -> Listing[Fact]:
        """The facts and reference edges matching every filter given, from ``offset`` on and at
        most ``limit`` of them (None: all); ``listing.page`` says which. For ``entities`` named
        with no other filter than relations and kinds, only the rows listed are read. Raises
        NoResult when ``offset`` is past the last fact.
        """
        from kg.query.common import Listing, Page, check_kinds, check_relations, page_bounds, past_the_end
        from kg.query.edges import edge_json, edges

        page_bounds(limit, offset)
        entities = tuple(entities)
        relations = check_relations(self.ontology, relations)
        kinds = check_kinds(self.ontology, kinds)
        store = self.store
        ids = sorted({store.resolve(name) for name in entities})
        if ids and not (subject_types or object_types or subject_roles or object_roles or as_of):
            from kg.store.pages import edges_page

            part, total = edges_page(store, ids, relations, kinds, limit, offset)
            found = Listing(tuple(edges(part, relations=relations, kinds=kinds, entities=ids)),
                            part, edge_json, Page(total, offset, limit))
        else:
            from kg.store.traverse import edges_subset

            if ids:  # every fact touching them; the filters are applied on those records
                part = store.subset(store.facts_touching(ids), ids)
            else:
                part = edges_subset(store, relations, kinds)
            every = edges(part, relations=relations, subject_types=subject_types,
                          object_types=object_types, kinds=kinds, as_of=as_of,
                          subject_roles=subject_roles, object_roles=object_roles, entities=ids)
            end = None if limit is None else offset + limit
            found = Listing(tuple(every[offset:end]), part, edge_json, Page(len(every), offset, limit))
        assert found.page is not None
        past_the_end(found.page, "facts", "the listing")
        return found

    def timeline(self, name: str | None = None, *, relations: Iterable[str] = (),
                 metrics: Iterable[str] = (), since: dt.date | None = None,
                 until: dt.date | None = None) -> Listing[Entry]:
        """Dated facts and figures in date order, for one entity or for everything."""
        from kg.query.common import Listing, check_metrics, check_relations
        from kg.query.timeline import timeline
        from kg.store import spans

        store = self.store
        entity_id = store.resolve(name) if name is not None else None
        keep_relations = check_relations(self.ontology, relations)
        keep_metrics = check_metrics(self.ontology, metrics)
        facts: list[Fact] = []
        if keep_relations or not keep_metrics:
            facts = spans.dated_facts(store, entity_id, since, until, keep_relations)
        found: list[Figure] = []
        if keep_metrics or not keep_relations:
            found = spans.figures_matching(store, [entity_id] if entity_id else [], keep_metrics)
        data = self._subset(facts, [entity_id] if entity_id else [], found)
        entries = timeline(data, entity_id, relations=keep_relations, metrics=keep_metrics,
                           since=since, until=until)
        return Listing(tuple(entries), data, lambda dataset, entry: entry.to_json(dataset))

    def figures(self, name: str | None = None, *, metrics: Iterable[str] = (),
                as_of: dt.date | None = None) -> Listing[Figure]:
        """Every figure, or one entity's, sorted by entity, metric and date."""
        from kg.query.common import Listing, check_metrics
        from kg.query.figures import figure_json, figures
        from kg.store import spans

        store = self.store
        entity_id = store.resolve(name) if name is not None else None
        keep = check_metrics(self.ontology, metrics)
        ids = [entity_id] if entity_id else []
        data = self._subset([], ids, spans.figures_matching(store, ids, keep))
        return Listing(tuple(figures(data, entity_id, metrics=keep, as_of=as_of)), data, figure_json)

    def rank(self, metric: str = "degree", *, relations: Iterable[str] = (), types: Iterable[str] = (),
             roles: Iterable[str] = (), limit: int | None = 10,
             as_of: dt.date | None = None) -> Listing[Score]:
        """The most central entities, highest score first (ties by id)."""
        from kg.query.common import Listing
        from kg.query.rank import rank_store

        store = self.store
        scores = rank_store(store, metric, relations=relations, types=types, limit=limit,
                            as_of=as_of, roles=roles, progress=self.progress)
        data = self._subset([], [score.id for score in scores])
        return Listing(tuple(scores), data, lambda dataset, score: score.to_json(dataset))

    def stats(self, *, as_of: dt.date | None = None) -> dict[str, Any]:
        """Counts of entities, facts, figures, sources and references, by type, relation, kind."""
        from kg.query.stats import counted, summary

        return counted(*self.store.counts_on(as_of)) if as_of else summary(self.store)

    # --- analyses ------------------------------------------------------------------------------
    def compare(self, *names: str, relations: Iterable[str] = (), metrics: Iterable[str] = (),
                as_of: dt.date | None = None, default: bool = False, history: bool = False,
                made_on: dt.date | None = None, limit: int | None = None) -> Matrix:
        """The entities side by side (``kg.analysis.compare``); needs two different entities.
        On ``as_of``, else as the data stands; ended facts left out unless ``history``;
        ``made_on``: the day it is made (default: ``KG_TODAY``, else today); ``limit``: at most
        that many rows per group (None: all)."""
        from kg.analysis.compare import compare

        store = self.store
        ids = [store.resolve(name) for name in names]
        if len(set(ids)) < 2:
            raise BadQuestion("name at least two different entities to compare")
        latest = store.latest_day()
        if limit is not None and limit >= 1:
            planned = self._compare_planned(ids, relations=relations, metrics=metrics, as_of=as_of,
                                            default=default, history=history, made_on=made_on,
                                            latest=latest, limit=limit)
            if planned is not None:
                return planned
        return compare(self._around(ids, as_of, history, latest), ids, relations=relations,
                       metrics=metrics, as_of=as_of, default=default, history=history,
                       made_on=made_on, latest=latest, limit=limit)

    def _compare_planned(self, ids: list[str], *, relations: Iterable[str], metrics: Iterable[str],
                         as_of: dt.date | None, default: bool, history: bool,
                         made_on: dt.date | None, latest: dt.date | None, limit: int) -> Matrix | None:
        """``compare`` with a limit, decoding only the facts of the rows it lists: the rows
        are found, grouped, ordered and counted from the columns of the facts in view and of
        the entities at their other ends (``kg.analysis.compare.plan_rows``), then the matrix
        of those facts is made and given the whole's counts. None when the columns cannot
        say (data with problems, whose fact ids may repeat; an end that is no entity) or the
        matrix made does not hold the rows planned exactly: the caller then reads the whole
        part (``_around``)."""
        from kg.analysis.compare import compare, plan_rows

        store, onto = self.store, self.ontology
        ids = list(dict.fromkeys(ids))  # an entity named twice is one column
        relations, metrics = list(relations), list(metrics)
        roll_up = set(onto.comparison.roll_up)
        day = as_of.isoformat() if as_of else latest.isoformat() if latest and not history else None

        def in_view(edge: tuple, ends: dict[str, tuple[str, str, str | None]]) -> bool:
            """``kg.analysis.documents.in_view`` of a fact, on its columns."""
            _id, subject, _relation, obj, _kind, valid_from, valid_until = edge
            if day is None:
                return True
            if as_of is None:  # ended facts left out
                return valid_until is None or valid_until >= day
            if valid_from is not None and valid_from > day:
                return False
            if not history and valid_until is not None and valid_until < day:
                return False
            return all(ends[end][2] is None or ends[end][2] <= day for end in (subject, obj))

        if store.result.problems:
            return None  # ids may repeat: the plan counts facts by their row
        own = store.edges_touching(ids)
        ends = store.entity_columns({end for edge in own for end in (edge[1], edge[3])})
        if any(end not in ends for edge in own for end in (edge[1], edge[3])):
            return None
        candidates = {edge[3] for edge in own if edge[1] in ids and edge[2] in roll_up
                      and edge[4] != "claim" and in_view(edge, ends)}
        edges = store.edges_touching({*ids, *candidates})
        ends = store.entity_columns({end for edge in edges for end in (edge[1], edge[3])})
        if any(end not in ends for edge in edges for end in (edge[1], edge[3])):
            return None
        viewed = [edge[:5] for edge in edges if in_view(edge, ends)]
        plan = plan_rows(onto, ids, viewed, ends, relations=relations, metrics=metrics,
                         default=default, limit=limit)
        # The roll-up facts of the compared entities, either way: their members, and what is
        # built on a compared model (``model_warnings``).
        wanted = plan.facts | {edge[0] for edge in own if edge[2] in roll_up}
        facts = [fact for fact in store.facts_by_seq(wanted) if fact.derived_from is None]
        figures = store.figures_of(plan.members)
        part = self._subset(facts, plan.members, figures)
        matrix = compare(part, ids, relations=relations, metrics=metrics, as_of=as_of,
                         default=default, history=history, made_on=made_on, latest=latest)
        # The ids of the facts listed, and of any fact that shares its id with a figure (a
        # column counts records by id).
        fact_ids = {**store.fact_ids(plan.facts), **store.fact_seqs(f.id for f in figures)}
        return matrix if matrix.keep_planned(plan, fact_ids) else None

    def _subset(self, facts: Iterable[Fact], entity_ids: Iterable[str] = (),
                figures: Iterable[Figure] = ()) -> Dataset:
        """``Store.subset``, with the entities a figure's qualifiers name (its line names them)."""
        figures = list(figures)
        qualifiers = self.ontology.qualifiers
        named = [value for figure in figures for key, value in figure.qualifiers.items()
                 if isinstance(value, str) and (qualifiers.get(key) or {}).get("type") == "entity"]
        return self.store.subset(facts, [*entity_ids, *named], figures)

    def _around(self, ids: list[str], as_of: dt.date | None, history: bool,
                latest: dt.date | None) -> Dataset:
        """What a comparison or a brief of these entities reads: the stated facts touching them
        and the members they roll up (``kg.analysis.compare.members``: one step, by the
        roll-up facts that can be in view on the day described), and the members' figures."""
        from kg.analysis.documents import may_be_in_view

        store = self.store
        members = set(ids)
        roll_up = sorted(set(self.ontology.comparison.roll_up))
        if roll_up:
            relations = ", ".join("?" * len(roll_up))
            for entity_id in ids:
                rolled = store.facts_where(
                    f"subject = ? AND relation IN ({relations}) AND kind != 'claim' AND derived = 0",
                    [entity_id, *roll_up])
                members.update(fact.object for fact in rolled
                               if may_be_in_view(fact, as_of, history, latest))
        facts = [fact for fact in store.facts_touching(members) if fact.derived_from is None]
        return self._subset(facts, members, store.figures_of(members))

    def changes(self, start: dt.date, end: dt.date, *, entities: Iterable[str] = (),
                relations: Iterable[str] = (), kinds: Iterable[str] = (),
                inexact: bool = False, made_on: dt.date | None = None) -> ChangeReport:
        """What changed in the landscape from ``start`` to ``end`` (both days included); render
        it with ``kg.render.text.changes`` or as a document with ``kg.render.diff``. ``made_on``:
        the day the report is made (default: ``KG_TODAY``, else today)."""
        from kg.analysis.diff import change_report
        from kg.query.common import check_kinds, check_relations
        from kg.store import spans

        if start > end:
            raise BadQuestion("the span starts after it ends")
        store = self.store
        ids = sorted({store.resolve(name) for name in entities})
        keep_relations = check_relations(self.ontology, relations)
        keep_kinds = check_kinds(self.ontology, kinds)
        founded: list[Entity] = []
        if not keep_relations and (not keep_kinds or "fact" in keep_kinds):
            # The entities founded in the span, and the facts of that day that source it.
            founded = spans.founded_in(store, start, end)
        facts = spans.changed_facts(store, start, end, keep_relations, ids, founded)
        figures = [] if keep_relations else spans.figures_first_known(store, start, end, ids)
        part = self._subset(facts, [*ids, *(entity.id for entity in founded)], figures)
        return change_report(part, start, end, entities=ids, relations=keep_relations,
                             kinds=keep_kinds, inexact=inexact, made_on=made_on)

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

        store = self.store
        entity_id = store.resolve(name)
        latest = store.latest_day()
        return brief(self._around([entity_id], as_of, history, latest), entity_id, as_of,
                     history=history, made_on=made_on, latest=latest)

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

