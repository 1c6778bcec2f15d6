"""Records in id order, from a Dataset in memory or from the compiled store a row at a time.

Every streamed export (``kg.rdf.stream``, the graph formats of ``kg.export``,
the Cypher script and the neo4j-admin files) reads its records through
``Records``, so the same writer serves the whole store (read row by row, in
bounded memory) and a part of it selected in memory (``--as-of``,
``--relation``, ``--type``, ``--role``). Nothing here holds every record at
once: what a writer needs beyond one record (the figures of an entity, the
label of an entity a figure names) is read per record.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from kg.data.model import Dataset, Entity, Fact, Figure, Source
from kg.data.ontology import Ontology

__all__ = ["DatasetRecords", "Records", "StoreRecords"]

CLAIM = "claim"  # the kind of fact that has no direct triple (kg.rdf.names.CLAIM)


class Records(Protocol):
    """What the stream writers read: the ontology, the sources and the records in id order.

    ``facts_by_id``, ``figures_by_id``, ``references_by_id``, ``edges_by_id``,
    ``edges_by_subject`` and ``figures_by_entity`` yield the statements the export keeps (a
    store read with ``ranked`` keeps the best rank only); ``direct_out`` and ``outranked_ids``
    serve the RDF view, which writes every statement and marks the best rank itself.
    """

    ontology: Ontology

    def source_list(self) -> list[Source]: ...
    def entity_count(self) -> int: ...
    def fact_count(self) -> int: ...
    def reference_count(self) -> int: ...
    def figure_count(self) -> int: ...
    def entities_by_id(self) -> Iterator[Entity]: ...
    def facts_by_id(self) -> Iterator[Fact]: ...
    def figures_by_id(self) -> Iterator[Figure]: ...
    def references_by_id(self) -> Iterator[Fact]: ...
    def edges_by_id(self) -> Iterator[Fact]: ...
    def edges_by_subject(self) -> Iterator[Fact]: ...
    def figures_by_entity(self) -> Iterator[Figure]: ...
    def label(self, entity_id: str) -> str: ...
    def files(self) -> list[str]: ...
    def direct_out(self, entity_id: str) -> list[tuple[str, str]]: ...
    def outranked_ids(self) -> set[str]: ...


def _adjacency_key(edges: list[Fact]) -> dict[str, tuple[str, str, str]]:
    """Fact id -> (subject, first fact id from that subject to that object, fact id): the order
    in which a networkx multigraph, given the edges in id order, lists them."""
    first: dict[tuple[str, str], str] = {}
    for fact in sorted(edges, key=lambda f: f.id):
        first.setdefault((fact.subject, fact.object), fact.id)
    return {f.id: (f.subject, first[(f.subject, f.object)], f.id) for f in edges}


class DatasetRecords:
    """``Records`` over a Dataset in memory (already the part an export keeps)."""

    def __init__(self, dataset: Dataset) -> None:
        self.data = dataset
        self.ontology = dataset.ontology
        self._out: dict[str, list[tuple[str, str]]] | None = None
        self._hidden: set[str] | None = None

    def outranked_ids(self) -> set[str]:
        if self._hidden is None:
            from kg.data.ranks import outranked

            self._hidden = outranked([*self.data.facts, *self.data.figures], self.ontology)
        return self._hidden

    def source_list(self) -> list[Source]:
        return sorted(self.data.sources.values(), key=lambda s: s.id)

    def entity_count(self) -> int:
        return len(self.data.entities)

    def fact_count(self) -> int:
        return len(self.data.facts)

    def reference_count(self) -> int:
        return len(self.data.references)

    def figure_count(self) -> int:
        return len(self.data.figures)

    def entities_by_id(self) -> Iterator[Entity]:
        return iter(sorted(self.data.entities.values(), key=lambda e: e.id))

    def facts_by_id(self) -> Iterator[Fact]:
        return iter(sorted(self.data.facts, key=lambda f: f.id))

    def figures_by_id(self) -> Iterator[Figure]:
        return iter(sorted(self.data.figures, key=lambda f: f.id))

    def references_by_id(self) -> Iterator[Fact]:
        return iter(sorted(self.data.references, key=lambda f: f.id))

    def edges_by_id(self) -> Iterator[Fact]:
        return iter(sorted(self.data.edges, key=lambda f: f.id))

    def edges_by_subject(self) -> Iterator[Fact]:
        edges = self.data.edges
        order = _adjacency_key(edges)
        return iter(sorted(edges, key=lambda f: order[f.id]))

    def figures_by_entity(self) -> Iterator[Figure]:
        return iter(sorted(self.data.figures, key=lambda f: (f.entity, f.id)))

    def label(self, entity_id: str) -> str:
        return self.data.label(entity_id)

    def files(self) -> list[str]:
        records: list[Any] = [*self.data.sources.values(), *self.data.entities.values(),
                              *self.data.facts, *self.data.figures]
        return sorted({r.loc.file for r in records})

    def direct_out(self, entity_id: str) -> list[tuple[str, str]]:
        if self._out is None:
            self._out = {}
            hidden = self.outranked_ids()  # the direct triples are the best-ranked ("truthy")
            for fact in self.data.facts:
                if fact.id in hidden:
                    continue
                for relation, start, end in _direct(fact, self.ontology):
                    self._out.setdefault(start, []).append((relation, end))
            for reference in self.data.references:  # direct triples whatever their kind
                if reference.derived_from is not None and reference.derived_from.record in hidden:
                    continue
                self._out.setdefault(reference.subject, []).append(
                    (reference.relation, reference.object))
        return self._out.get(entity_id, [])


class StoreRecords:
    """``Records`` read from the compiled store, a row at a time.

    With ``ranked``, the facts, figures and references are those of the best rank
    only (what the graph formats export by default); without, every statement (RDF).
    """

    def __init__(self, store: Any, ranked: bool = False) -> None:
        self.store = store
        self.ontology = store.ontology
        self.ranked = ranked
        self._labels: dict[str, str] = {}

    def _where(self, condition: str) -> str:
        return f" WHERE {condition} AND best=1" if self.ranked else f" WHERE {condition}"

    def _count(self, table: str, condition: str) -> int:
        return self.store.conn.execute(f"SELECT count(*) FROM {table}{self._where(condition)}").fetchone()[0]

    def source_list(self) -> list[Source]:
        return sorted(self.store.sources.values(), key=lambda s: s.id)

    def entity_count(self) -> int:
        return self.store.conn.execute("SELECT count(*) FROM entities").fetchone()[0]

    def fact_count(self) -> int:
        return self._count("facts", "derived=0")

    def reference_count(self) -> int:
        return self._count("facts", "derived=1")

    def figure_count(self) -> int:
        return self._count("figures", "1=1")

    def _rows(self, section: str, where: str = "", order: str = "id") -> Iterator[Any]:
        from kg.store.codec import selected

        # A cursor of its own, so the per-entity queries of a writer do not disturb it.
        cursor = self.store.conn.cursor()
        for row in cursor.execute(f"SELECT {selected(section)} FROM {section}{where} ORDER BY {order}"):
            yield self.store.decode(section, row)

    def entities_by_id(self) -> Iterator[Entity]:
        return self._rows("entities")

    def facts_by_id(self) -> Iterator[Fact]:
        # Reference edges have no statement node: for RDF they are only direct triples.
        return self._rows("facts", self._where("derived=0"))

    def figures_by_id(self) -> Iterator[Figure]:
        return self._rows("figures", self._where("1=1"))

    def references_by_id(self) -> Iterator[Fact]:
        return self._rows("facts", self._where("derived=1"))

    def edges_by_id(self) -> Iterator[Fact]:
        return self._rows("facts", self._where("1=1"))

    def edges_by_subject(self) -> Iterator[Fact]:
        from kg.store.codec import selected

        # The order of a networkx multigraph given the edges in id order: by subject, then by
        # the first fact to each object, then by id. SQLite sorts on disk when it must.
        cursor = self.store.conn.cursor()
        columns = selected("facts")
        rows = cursor.execute(
            f"SELECT {columns} FROM (SELECT {columns}, min(id) OVER "
            f"(PARTITION BY subject, object) AS first FROM facts{self._where('1=1')}) "
            "ORDER BY subject, first, id")
        for row in rows:
            yield self.store.decode("facts", row)

    def figures_by_entity(self) -> Iterator[Figure]:
        return self._rows("figures", self._where("1=1"), "entity, id")

    def label(self, entity_id: str) -> str:
        found = self._labels.get(entity_id)
        if found is None:
            entity = self.store.entities([entity_id]).get(entity_id)
            found = entity.label if entity is not None else entity_id
            if len(self._labels) >= 10_000:  # a bounded cache: hubs are named again and again
                self._labels.clear()
            self._labels[entity_id] = found
        return found

    def files(self) -> list[str]:
        return self.store.record_files()

    def outranked_ids(self) -> set[str]:
        return self.store.outranked_ids()

    def direct_out(self, entity_id: str) -> list[tuple[str, str]]:
        # Reported facts and every reference edge (whatever its record's kind) of the best rank
        # are direct triples.
        rows = self.store.conn.execute(
            "SELECT relation, object FROM facts WHERE subject=? AND (kind != ? OR derived=1) "
            "AND subject != object AND best=1 "
            "UNION ALL SELECT relation, subject FROM facts WHERE object=? AND symmetric=1 AND kind != ? "
            "AND subject != object AND best=1", (entity_id, CLAIM, entity_id, CLAIM))
        out = list(rows)
        # A self-loop of a reported fact is one direct triple.
        out += self.store.conn.execute(
            "SELECT relation, object FROM facts WHERE subject=? AND object=? AND kind != ? AND best=1",
            (entity_id, entity_id, CLAIM)).fetchall()
        return out


def _direct(fact: Fact, ontology: Ontology) -> list[tuple[str, str, str]]:
    """The direct triples of a fact as (relation, from, to)."""
    if fact.kind == CLAIM:
        return []
    found = [(fact.relation, fact.subject, fact.object)]
    if ontology.relations[fact.relation].symmetric and fact.subject != fact.object:
        found.append((fact.relation, fact.object, fact.subject))
    return found
