"""The RDF view of a dataset: its records as triples, as one graph or as one named graph per file.

``_Writer`` turns each source, entity, fact and figure into quads: a direct
("truthy") triple for every reported fact of the best rank (as Wikidata's
``wdt:``; see ``kg.data.ranks``), a statement node for every fact, event or
claim whatever its rank, with its rank (``kg:statementRank``, as
``wikibase:rank``) and, when it is of the best rank, the type
``kg:BestRank``, and the record's data file as the named graph it belongs to
(None for direct triples). ``dataset_graph`` is the one graph that
``kg export rdf`` writes and ``kg sparql`` queries; ``dataset_quads`` keeps
the named graphs, for TriG.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib import Dataset as RdfDataset
from rdflib.namespace import DCTERMS, OWL, PROV, SDO, SKOS
from rdflib.term import Node

from kg.data.citations import text_fragment_url
from kg.data.dates import PartialDate, bounds
from kg.data.model import Dataset, Entity, Fact, Figure, Source, SourceRef
from kg.data.ranks import outranked
from kg.rdf.names import _SAFE, CLAIM, RANK_TERMS, WIKIDATA_ENTITY, Names, Vocab, _number, bind, date_literal

__all__ = ["dataset_graph", "dataset_quads", "file_names", "publisher_entity", "quads"]

Quad = tuple[Node, Node, Node, str | None]  # the last item: the data file, or None for direct triples


def file_names(files: Iterable[str]) -> dict[str, str]:
    """Data file paths -> names relative to the folder they share (never absolute)."""
    found = sorted(set(files))
    if len(found) <= 1:
        return {f: PurePath(f).name for f in found}
    try:
        root = os.path.commonpath(found)
    except ValueError:
        return {f: PurePath(f).name for f in found}
    return {f: PurePath(os.path.relpath(f, root)).as_posix() for f in found}


class _Writer:
    """Turns a Dataset into quads."""

    def __init__(self, dataset: Dataset, files: Iterable[str] | None = None,
                 hidden: set[str] | None = None) -> None:
        self.data = dataset
        self.vocab = Vocab(dataset.ontology)
        self.n = self.vocab.names
        self.quads: list[Quad] = []
        # The facts and figures not of the best rank: no direct triple, no kg:BestRank.
        self.hidden = hidden if hidden is not None else outranked(
            [*dataset.facts, *dataset.figures], dataset.ontology)
        if files is None:
            records: list[Any] = [*dataset.sources.values(), *dataset.entities.values(),
                                  *dataset.facts, *dataset.figures]
            files = (r.loc.file for r in records)
        self.files = file_names(files)
        # Descriptions, notes and titles are text in a language; tagging them lets RDF tools
        # pick the language they show.
        self.language = dataset.ontology.rdf.text_language

    @classmethod
    def for_records(cls, ontology: Any, files: Iterable[str], sources: Iterable[Source] = (),
                    hidden: set[str] | None = None) -> _Writer:
        """A writer for records handed over one at a time (``kg.rdf.stream``): the sources
        (whose addresses the citations' text-fragment links need) and the ids of the records
        not of the best rank are given up front."""
        return cls(Dataset(ontology=ontology, sources={s.id: s for s in sources}, entities={},
                           facts=[], figures=[]), files=files, hidden=hidden or set())

    def add(self, s: Node, p: Node, o: Node, where: str | None) -> None:
        self.quads.append((s, p, o, where))

    def entity(self, entity_id: str) -> URIRef:
        return self.n.mint(self.n.entity, entity_id)

    def run(self) -> list[Quad]:
        for source in sorted(self.data.sources.values(), key=lambda s: s.id):
            self.source(source)
        for entity in sorted(self.data.entities.values(), key=lambda e: e.id):
            self.entity_record(entity)
        for fact in sorted(self.data.facts, key=lambda f: f.id):
            self.fact(fact)
        for figure in sorted(self.data.figures, key=lambda f: f.id):
            self.figure(figure)
        for reference in sorted(self.data.references, key=lambda f: f.id):
            # A direct triple only: it restates the claimedBy / qualifier / measuredBy / where
            # of the record's own node, so it needs no statement node of its own.
            if reference.derived_from is not None and reference.derived_from.record in self.hidden:
                continue
            self.add(self.entity(reference.subject), self.vocab.relations[reference.relation],
                     self.entity(reference.object), None)
        return self.quads

    def typed(self, value_type: str, value: Any, owner: URIRef, key: str, where: str) -> Node:
        """The RDF node for a qualifier or attribute value of an ontology value type."""
        if value_type == "entity":
            return self.entity(value)
        if value_type == "amount":
            node = URIRef(f"{owner}#{quote(key, safe=_SAFE)}")
            self.add(node, RDF.type, self.vocab["Quantity"], where)
            self.add(node, self.vocab["value"], _number(value["value"]), where)
            self.add(node, self.vocab["unit"], Literal(value["unit"]), where)
            if value.get("scale"):
                self.add(node, self.vocab["scale"], Literal(value["scale"]), where)
            return node
        if value_type == "date":
            return date_literal(value if isinstance(value, PartialDate) else PartialDate.parse(value))
        if value_type == "integer":
            return Literal(str(int(value)), datatype=XSD.integer)
        if value_type == "number":
            return _number(value)
        if value_type == "url":
            return Literal(value, datatype=XSD.anyURI)
        return Literal(str(value))

    def text(self, value: str) -> Literal:
        return Literal(value, lang=self.language)

    def source(self, source: Source) -> None:
        g = self.files.get(source.loc.file)
        s = self.n.mint(self.n.source, source.id)
        v = self.vocab
        self.add(s, RDF.type, v["Source"], g)
        self.add(s, DCTERMS.title, Literal(source.title, lang=source.language), g)
        publisher = publisher_entity(source)
        if publisher is None:
            self.add(s, DCTERMS.publisher, Literal(source.publisher), g)
        else:
            self.add(s, DCTERMS.publisher, self.entity(publisher), g)
            self.add(s, v["publisherName"], Literal(source.publisher), g)
        if source.author:
            self.add(s, DCTERMS.creator, Literal(source.author), g)
        self.add(s, DCTERMS.date, date_literal(source.date), g)
        self.add(s, DCTERMS.language, Literal(source.language), g)
        if source.url:
            self.add(s, SDO.url, Literal(source.url, datatype=XSD.anyURI), g)
        if source.published_in:
            self.add(s, v["publishedIn"], Literal(source.published_in), g)
        if source.kind:
            self.add(s, v["sourceKind"], Literal(source.kind), g)
        if source.retrieved:
            self.add(s, v["retrieved"], date_literal(source.retrieved), g)
        if source.note:
            self.add(s, SKOS.note, self.text(source.note), g)

    def entity_record(self, entity: Entity) -> None:
        g = self.files.get(entity.loc.file)
        s = self.entity(entity.id)
        onto = self.data.ontology
        self.add(s, RDF.type, self.vocab["Entity"], g)
        for type_id in onto.ancestors(entity.type):
            self.add(s, RDF.type, self.vocab.types[type_id], g)
        for role in entity.roles:
            self.add(s, RDF.type, self.vocab.roles[role], g)
        for lang, text in entity.labels.items():
            self.add(s, RDFS.label, Literal(text, lang=lang), g)
        for alias in entity.aliases:
            self.add(s, SKOS.altLabel, Literal(alias), g)
        if entity.description:
            self.add(s, DCTERMS.description, self.text(entity.description), g)
        if entity.wikidata:
            self.add(s, OWL.sameAs, URIRef(WIKIDATA_ENTITY + entity.wikidata), g)
        for key, value in entity.attributes.items():
            value_type = onto.attributes[key].get("type")
            self.add(s, self.vocab.attributes[key], self.typed(value_type, value, s, key, g), g)

    def cite(self, node: URIRef, refs: list[SourceRef], g: str | None) -> None:
        for position, ref in enumerate(refs, 1):
            source = self.n.mint(self.n.source, ref.source)
            citation = URIRef(f"{node}#source-{position}")
            self.add(node, PROV.wasDerivedFrom, source, g)
            self.add(node, PROV.qualifiedDerivation, citation, g)
            self.add(citation, RDF.type, self.vocab["Citation"], g)
            self.add(citation, PROV.entity, source, g)
            self.add(citation, self.vocab["locator"], Literal(ref.locator), g)
            self.add(citation, self.vocab["position"], Literal(str(position), datatype=XSD.integer), g)
            if ref.phrase is not None:
                cited = self.data.sources.get(ref.source)
                self.add(citation, self.vocab["phrase"],
                         Literal(ref.phrase, lang=cited.language) if cited else Literal(ref.phrase), g)
                if cited is not None and cited.url:
                    self.add(citation, self.vocab["textFragment"],
                             Literal(text_fragment_url(cited.url, ref.phrase), datatype=XSD.anyURI), g)

    def rank(self, node: URIRef, record: Fact | Figure, g: str | None) -> None:
        """The record's rank, its reason, and whether it is of the best rank (kg:BestRank)."""
        self.add(node, self.vocab["statementRank"], self.vocab[RANK_TERMS.get(record.rank,
                                                                              "NormalRank")], g)
        if record.rank_reason:
            self.add(node, self.vocab["rankReason"], Literal(record.rank_reason), g)
        if record.id not in self.hidden:
            self.add(node, RDF.type, self.vocab["BestRank"], g)

    def period(self, node: URIRef, since: PartialDate | None, until: PartialDate | None,
               g: str | None) -> None:
        if since is not None:
            self.add(node, self.vocab["since"], date_literal(since), g)
        if until is not None:
            self.add(node, self.vocab["until"], date_literal(until), g)
        first, last = (bounds(since) or (None, None))[0], (bounds(until) or (None, None))[1]
        if first is not None:
            self.add(node, self.vocab["validFrom"], Literal(first.isoformat(), datatype=XSD.date), g)
        if last is not None:
            self.add(node, self.vocab["validUntil"], Literal(last.isoformat(), datatype=XSD.date), g)

    def fact(self, fact: Fact) -> None:
        g = self.files.get(fact.loc.file)
        v = self.vocab
        relation = self.data.ontology.relations[fact.relation]
        subject, predicate, obj = self.entity(fact.subject), v.relations[fact.relation], \
            self.entity(fact.object)
        if fact.kind != CLAIM and fact.id not in self.hidden:
            self.add(subject, predicate, obj, None)
            if relation.symmetric:
                self.add(obj, predicate, subject, None)
        st = self.n.mint(self.n.fact, fact.id)
        self.add(st, RDF.type, v["Statement"], g)
        self.add(st, RDF.subject, subject, g)
        self.add(st, RDF.predicate, predicate, g)
        self.add(st, RDF.object, obj, g)
        self.add(st, v["kind"], v.kinds[fact.kind], g)
        self.period(st, fact.since, fact.until, g)
        for key, value in fact.qualifiers.items():
            value_type = self.data.ontology.qualifiers[key].get("type")
            self.add(st, v.qualifiers[key], self.typed(value_type, value, st, key, g), g)
        if fact.claimed_by:
            self.add(st, v["claimedBy"], self.entity(fact.claimed_by), g)
        if fact.note:
            self.add(st, SKOS.note, self.text(fact.note), g)
        for key, basis in (("sinceBasis", fact.since_basis), ("untilBasis", fact.until_basis)):
            if basis:
                self.add(st, v[key], Literal(basis), g)
        self.rank(st, fact, g)
        self.cite(st, fact.sources, g)

    def figure(self, figure: Figure) -> None:
        g = self.files.get(figure.loc.file)
        v = self.vocab
        node = self.n.mint(self.n.figure, figure.id)
        self.add(node, RDF.type, v["Figure"], g)
        self.add(node, v["entity"], self.entity(figure.entity), g)
        self.add(node, v["metric"], v.metrics[figure.metric], g)
        if figure.value is not None:
            self.add(node, v["value"], _number(figure.value), g)
        if figure.range is not None:
            self.add(node, v["lowerBound"], _number(figure.range[0]), g)
            self.add(node, v["upperBound"], _number(figure.range[1]), g)
        self.add(node, v["unit"], Literal(figure.unit), g)
        if figure.scale:
            self.add(node, v["scale"], Literal(figure.scale), g)
        if figure.bound:
            self.add(node, v["bound"], Literal(figure.bound), g)
        self.period(node, figure.since, figure.until, g)
        for region in figure.region:
            self.add(node, DCTERMS.spatial, Literal(region), g)
        if figure.measured_by:
            self.add(node, v["measuredBy"], self.entity(figure.measured_by), g)
        if figure.where:
            self.add(node, v["where"], self.entity(figure.where), g)
        for key, value in figure.qualifiers.items():
            value_type = self.data.ontology.qualifiers[key].get("type")
            self.add(node, v.qualifiers[key], self.typed(value_type, value, node, key, g), g)
        self.add(node, v["kind"], v.kinds[figure.kind], g)
        if figure.note:
            self.add(node, SKOS.note, self.text(figure.note), g)
        if figure.bound:
            self.add(node, v["bound"], Literal(figure.bound), g)
        for key, words in (("period", figure.period), ("scope", figure.scope)):
            if words:
                self.add(node, v[key], self.text(words), g)
        self.rank(node, figure, g)
        self.cite(node, figure.sources, g)


def publisher_entity(source: Source) -> str | None:
    """The id of the entity that published a source, where the data names one (the source's
    ``publisher_entity``), else None."""
    return source.publisher_entity or None


def quads(dataset: Dataset) -> list[Quad]:
    """Every triple of the dataset's RDF, with the data file it comes from (None: direct triples)."""
    return _Writer(dataset).run()


def dataset_graph(dataset: Dataset) -> Graph:
    """The dataset as one RDF graph (what ``kg export rdf`` writes and ``kg sparql`` queries)."""
    graph = Graph(bind_namespaces="none")
    bind(graph.namespace_manager, Names.of(dataset.ontology))
    for s, p, o, _ in quads(dataset):
        graph.add((s, p, o))
    return graph


def dataset_quads(dataset: Dataset) -> RdfDataset:
    """The dataset as an RDF dataset: direct triples in the default graph, records in one named
    graph per data file."""
    names = Names.of(dataset.ontology)
    store = RdfDataset()
    bind(store.namespace_manager, names)
    graphs: dict[str, Graph] = {}
    for s, p, o, where in quads(dataset):
        if where is None:
            store.add((s, p, o))
            continue
        if where not in graphs:
            graphs[where] = store.graph(URIRef(names.graph + quote(where, safe=_SAFE + "/")))
        graphs[where].add((s, p, o))
    return store
