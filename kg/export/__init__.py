"""Export formats, registered by name; each lives in its own module.

An exporter module provides ``export(dataset, target, **options) -> list[Path]``
that writes the files (atomically, see ``kg.util.atomic``: ``write_atomic`` and, for
files that belong together, ``write_folder_atomic``) and returns them.
Modules are imported only when their format is used, so a command that only
reads never pays for rdflib or pyvis. The formats that stream (every one but
html and the ontology's) also provide ``chunks(records, **options)`` (a file)
or ``files(records)`` (a folder), reading ``kg.export.records.Records`` in id
order; ``kg.Landscape.export`` calls those with the store's records.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from kg.data.model import Dataset, Entity, Fact, Figure, SourceRef
from kg.errors import KgError
from kg.query.selection import check_filters, select, with_roles  # noqa: F401 - kept reachable here
from kg.util.atomic import write_atomic, write_folder_atomic, write_stream  # noqa: F401 - the writers

__all__ = [
    "edge_attributes", "edge_rows", "Exporter", "EXPORTERS", "flat_graph", "get", "node_attributes",
    "node_rows", "records_of", "source_titles"
]


@dataclass(frozen=True)
class Exporter:
    """A format: its name, the module that writes it (imported on first use), a line for
    ``kg export --list``, and what it writes: one ``file`` (the module's ``render`` returns its
    bytes), a ``folder`` of files replaced whole (the module's ``export`` writes it), or, for
    ``ontology`` formats, a file made from the ontology alone."""

    name: str
    module: str
    description: str
    kind: str = "file"

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)


EXPORTERS: dict[str, Exporter] = {
    exporter.name: exporter
    for exporter in (
        Exporter("rdf", "kg.export.rdf", "RDF: Turtle, N-Triples, JSON-LD, TriG or RDF/XML"),
        Exporter("graphml", "kg.export.graphml", "GraphML (Gephi, yEd, Cytoscape)"),
        Exporter("gexf", "kg.export.gexf", "GEXF (Gephi)"),
        Exporter("json", "kg.export.nodelink", "node-link JSON (networkx, d3)"),
        Exporter("csv", "kg.export.csv", "CSV: nodes.csv and edges.csv in a folder", "folder"),
        Exporter("html", "kg.export.html", "one self-contained interactive HTML page"),
        Exporter("cypher", "kg.export.cypher", "openCypher script (Neo4j, Memgraph, FalkorDB)"),
        Exporter("neo4j-csv", "kg.export.neo4jcsv",
                 "CSV files and command for neo4j-admin database import, in a folder", "folder"),
        Exporter("vocabulary", "kg.export.vocabulary", "the ontology as an OWL/RDFS vocabulary (Turtle)",
                 "ontology"),
        Exporter("shapes", "kg.export.shapes", "SHACL shapes generated from the ontology (Turtle)",
                 "ontology"),
    )
}


def get(name: str) -> Exporter:
    try:
        return EXPORTERS[name]
    except KeyError:
        raise KgError(f"unknown export format {name!r}; known: {', '.join(EXPORTERS)}") from None


def flat_graph(dataset: Dataset) -> Any:
    """The dataset as a networkx MultiDiGraph whose attributes are all scalars.

    GraphML, GEXF and CSV take scalars only, so lists and mappings are
    flattened (see ``node_attributes`` and ``edge_attributes``); reference edges carry
    ``derived_from`` (the record and field they come from). Nodes and edges are added sorted
    by id, so the writers' output is deterministic.
    """
    import networkx as nx

    graph = nx.MultiDiGraph()
    figures: dict[str, list[Figure]] = {}
    for figure in sorted(dataset.figures, key=lambda f: f.id):
        figures.setdefault(figure.entity, []).append(figure)
    for entity in sorted(dataset.entities.values(), key=lambda e: e.id):
        graph.add_node(entity.id, **node_attributes(dataset, entity, figures.get(entity.id, [])))
    for fact in sorted(dataset.edges, key=lambda f: f.id):
        graph.add_edge(fact.subject, fact.object, key=fact.id, **edge_attributes(dataset, fact))
    return graph


class _View:
    """What ``node_attributes`` and ``edge_attributes`` read of a dataset (the ontology, the
    sources, entity labels), answered from ``Records`` one entity at a time."""

    def __init__(self, records: Any) -> None:
        self.records = records
        self.ontology = records.ontology
        self.sources = {source.id: source for source in records.source_list()}

    def label(self, entity_id: str) -> str:
        return self.records.label(entity_id)


def records_of(dataset: Dataset) -> Any:
    """``Records`` over a dataset in memory (``kg.export.records.DatasetRecords``)."""
    from kg.export.records import DatasetRecords

    return DatasetRecords(dataset)


def node_rows(records: Any) -> Iterator[tuple[Entity, dict[str, Any]]]:
    """Each entity in id order with its ``node_attributes``, as ``flat_graph`` gives them: its
    figures are read alongside (``figures_by_entity``), one entity's at a time."""
    view: Any = _View(records)
    figures = records.figures_by_entity()
    pending = next(figures, None)
    for entity in records.entities_by_id():
        while pending is not None and pending.entity < entity.id:  # a figure of no kept entity
            pending = next(figures, None)
        mine: list[Figure] = []
        while pending is not None and pending.entity == entity.id:
            mine.append(pending)
            pending = next(figures, None)
        yield entity, node_attributes(view, entity, mine)


def edge_rows(records: Any, by_id: bool = False) -> Iterator[tuple[Fact, dict[str, Any]]]:
    """Each edge (stated fact or reference) with its ``edge_attributes``: in the order of
    ``flat_graph``'s edges (by subject), or ``by_id``."""
    view: Any = _View(records)
    for fact in records.edges_by_id() if by_id else records.edges_by_subject():
        yield fact, edge_attributes(view, fact)


def node_attributes(dataset: Dataset, entity: Entity, figures: list[Figure]) -> dict[str, Any]:
    """One entity's scalar attributes: labels become ``label`` (en) and ``label_<lang>``, aliases
    and roles are joined with "; ", attributes keep their names; its figures become one
    ``figures`` text, ``figure_<metric>`` (the latest reading with a value, in plain units) and
    ``figure_sources`` (the titles of the sources they cite). Empty values are left out."""
    from kg.data.phrases import figure_amount, figure_line

    onto = dataset.ontology
    entity_type = onto.entity_types[entity.type]
    node: dict[str, Any] = {"label": entity.label}
    node.update({f"label_{lang}": entity.labels[lang] for lang in onto.languages
                 if lang != "en" and lang in entity.labels})
    node.update(type=entity.type, type_label=entity_type.label.get("en", entity.type),
                roles="; ".join(entity.roles), aliases="; ".join(entity.aliases),
                description=entity.description or "", color=entity_type.style.get("color", ""),
                wikidata=entity.wikidata or "")
    for key, value in entity.attributes.items():
        node[key if key not in node else f"attribute_{key}"] = _scalar(value)
    if figures:
        node["figures"] = "; ".join(figure_line(dataset, figure) for figure in figures)
        latest: dict[str, Figure] = {}
        for figure in sorted(figures, key=lambda f: (f.since.sort_key() if f.since else (dt.date.min, 0),
                                                     f.id)):
            if figure.value is not None:
                latest[figure.metric] = figure
        for metric, figure in sorted(latest.items()):
            plain = figure_amount(figure)
            node[f"figure_{metric}"] = int(plain) if plain is not None and plain == int(plain) else plain
        node["figure_sources"] = source_titles(dataset, [ref for f in figures for ref in f.sources])
    return {k: v for k, v in node.items() if v != ""}


def edge_attributes(dataset: Dataset, fact: Fact) -> dict[str, Any]:
    """One fact's scalar attributes: ``fact_id`` (not ``id``, which GraphML readers such as
    igraph keep for the edge element's own id), the relation, kind and dates, ``valid_from`` /
    ``valid_until`` as whole days, qualifiers as ``qualifier_<name>``, the citations as
    ``sources`` and the cited sources' titles as ``source_titles``. Empty values are left out."""
    from kg.data.dates import bounds
    from kg.data.phrases import amount

    relation = dataset.ontology.relations[fact.relation]
    first, last = (bounds(fact.since) or (None, None))[0], (bounds(fact.until) or (None, None))[1]
    edge: dict[str, Any] = {
        "fact_id": fact.id, "relation": fact.relation,
        "label": relation.label.get("en", fact.relation),
        "kind": fact.kind, "directed": not relation.symmetric,
        "derived_from": (f"{fact.derived_from.record} ({fact.derived_from.field})"
                         if fact.derived_from else ""),
        "since": str(fact.since or ""), "until": str(fact.until or ""),
        "valid_from": first.isoformat() if first else "", "valid_until": last.isoformat() if last else "",
        "since_basis": fact.since_basis or "", "until_basis": fact.until_basis or "",
        "claimed_by": fact.claimed_by or "", "note": fact.note or "",
        "color": relation.style.get("color", ""),
        "sources": "; ".join(f"{ref.source} ({ref.locator})" for ref in fact.sources),
        "source_titles": source_titles(dataset, fact.sources),
    }
    for key, value in fact.qualifiers.items():
        if isinstance(value, dict):
            value = amount(value["value"], value["unit"], value.get("scale"))
        edge[f"qualifier_{key}"] = _scalar(value)
    return {k: v for k, v in edge.items() if v != ""}


def source_titles(dataset: Dataset, refs: Iterable[SourceRef]) -> str:
    """The cited sources as ``Title (publisher, date)``, each once, joined with "; "."""
    shown: list[str] = []
    for ref in refs:
        source = dataset.sources.get(ref.source)
        text = f"{source.title} ({source.publisher}, {source.date})" if source else ref.source
        if text not in shown:
            shown.append(text)
    return "; ".join(shown)


def _scalar(value: Any) -> str | int | float | bool:
    return value if isinstance(value, (str, int, float, bool)) else str(value)
