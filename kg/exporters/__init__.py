"""Export formats, registered by name; each lives in its own module.

An exporter module provides ``export(dataset, target, **options) -> list[Path]``
that writes the files (atomically, see ``kg.atomic``: ``write_atomic`` and, for
files that belong together, ``write_folder_atomic``) and returns them.
Modules are imported only when their format is used, so a command that only
reads never pays for rdflib or pyvis.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from kg.atomic import write_atomic, write_folder_atomic, write_stream  # noqa: F401 - the writers
from kg.errors import KgError
from kg.model import Dataset
from kg.ontology import Ontology, check_terms


@dataclass(frozen=True)
class Exporter:
    name: str
    module: str
    description: str

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)


EXPORTERS: dict[str, Exporter] = {
    exporter.name: exporter
    for exporter in (
        Exporter("rdf", "kg.exporters.rdf", "RDF: Turtle, N-Triples, JSON-LD, TriG or RDF/XML"),
        Exporter("graphml", "kg.exporters.graphml", "GraphML (Gephi, yEd, Cytoscape)"),
        Exporter("gexf", "kg.exporters.gexf", "GEXF (Gephi)"),
        Exporter("json", "kg.exporters.nodelink", "node-link JSON (networkx, d3)"),
        Exporter("csv", "kg.exporters.csv", "CSV: nodes.csv and edges.csv in a folder"),
        Exporter("html", "kg.exporters.html", "one self-contained interactive HTML page"),
        Exporter("cypher", "kg.exporters.cypher", "openCypher script (Neo4j, Memgraph, FalkorDB)"),
        Exporter("neo4j-csv", "kg.exporters.neo4jcsv",
                 "CSV files and command for neo4j-admin database import, in a folder"),
    )
}


def get(name: str) -> Exporter:
    try:
        return EXPORTERS[name]
    except KeyError:
        raise KgError(f"unknown export format {name!r}; known: {', '.join(EXPORTERS)}") from None


def check_filters(ontology: Ontology, relations: Iterable[str] | None = None,
                  types: Iterable[str] | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The ``--relation`` and ``--type`` names, sorted and deduplicated; raises UnknownTerm."""
    return (tuple(check_terms(relations, ontology.relations, "relation", "relations")),
            tuple(check_terms(types, ontology.entity_types, "entity type", "types")))


def with_roles(dataset: Dataset, roles: Iterable[str] | None) -> Dataset:
    """Only the entities with one of ``roles`` (all without), the facts among them and their
    figures; raises UnknownTerm (param ``roles``) for a role the ontology does not define."""
    keep_roles = set(check_terms(roles, dataset.ontology.roles, "role", "roles"))
    if not keep_roles:
        return dataset
    entities = {k: e for k, e in dataset.entities.items() if keep_roles & set(e.roles)}
    return Dataset(
        ontology=dataset.ontology,
        sources=dict(dataset.sources),
        entities=entities,
        facts=[f for f in dataset.facts if f.subject in entities and f.object in entities],
        figures=[f for f in dataset.figures if f.entity in entities],
    )


def select(dataset: Dataset, as_of: dt.date | None = None, relations: list[str] | None = None,
           types: list[str] | None = None) -> Dataset:
    """The part of a dataset that ``--as-of``, ``--relation`` and ``--type`` keep.

    Uses ``Dataset.as_of`` and ``kg.graph.restrict``; with ``relations``,
    entities left without any fact are dropped too. Figures follow their
    entity (and ``as_of``); sources are all kept.
    """
    if as_of is not None:
        dataset = dataset.as_of(as_of)
    if not relations and not types:
        return dataset
    from kg.graph import build, restrict

    graph = restrict(build(dataset), relations=relations, types=types)
    kept_edges = {key for _u, _v, key in graph.edges(keys=True)}
    kept = {n for n in graph.nodes if not relations or graph.degree(n) > 0}
    return dataset.subset(
        entities={k: e for k, e in dataset.entities.items() if k in kept},
        facts=[f for f in dataset.facts if f.id in kept_edges],
        figures=[f for f in dataset.figures if f.entity in kept],
        references=[r for r in dataset.references if r.id in kept_edges],
    )


def flat_graph(dataset: Dataset) -> Any:
    """The dataset as a networkx MultiDiGraph whose attributes are all scalars.

    GraphML, GEXF and CSV take scalars only, so lists and mappings are
    flattened: labels become ``label`` (en) and ``label_<lang>``, aliases and
    roles are joined with "; ", qualifiers become ``qualifier_<name>`` and the
    citations one ``sources`` text. Reference edges carry ``derived_from``
    (the record and field they come from). Nodes and edges are added sorted by id, so
    the writers' output is deterministic.
    """
    import networkx as nx

    from kg.textfmt import amount

    onto = dataset.ontology
    graph = nx.MultiDiGraph()
    for entity in sorted(dataset.entities.values(), key=lambda e: e.id):
        entity_type = onto.entity_types[entity.type]
        node: dict[str, Any] = {"label": entity.label}
        node.update({f"label_{lang}": entity.labels[lang] for lang in onto.languages
                     if lang != "en" and lang in entity.labels})
        node.update(type=entity.type, type_label=entity_type.label.get("en", entity.type),
                    roles="; ".join(entity.roles), aliases="; ".join(entity.aliases),
                    description=entity.description or "", color=entity_type.style.get("color", ""))
        for key, value in entity.attributes.items():
            node[key if key not in node else f"attribute_{key}"] = _scalar(value)
        graph.add_node(entity.id, **{k: v for k, v in node.items() if v != ""})
    for fact in sorted(dataset.edges, key=lambda f: f.id):
        relation = onto.relations[fact.relation]
        edge: dict[str, Any] = {
            "id": fact.id, "relation": fact.relation, "label": relation.label.get("en", fact.relation),
            "kind": fact.kind, "directed": not relation.symmetric,
            "derived_from": (f"{fact.derived_from.record} ({fact.derived_from.field})"
                             if fact.derived_from else ""),
            "since": str(fact.since or ""), "until": str(fact.until or ""),
            "claimed_by": fact.claimed_by or "", "note": fact.note or "",
            "color": relation.style.get("color", ""),
            "sources": "; ".join(f"{ref.source} ({ref.locator})" for ref in fact.sources),
        }
        for key, value in fact.qualifiers.items():
            if isinstance(value, dict):
                value = amount(value["value"], value["unit"], value.get("scale"))
            edge[f"qualifier_{key}"] = _scalar(value)
        graph.add_edge(fact.subject, fact.object, key=fact.id,
                       **{k: v for k, v in edge.items() if v != ""})
    return graph


def _scalar(value: Any) -> str | int | float | bool:
    return value if isinstance(value, (str, int, float, bool)) else str(value)
