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
from typing import Any, NamedTuple
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib import Dataset as RdfDataset
from rdflib.namespace import DCTERMS, OWL, PROV, SDO, SKOS
from rdflib.term import Node

from kg.data.citations import text_fragment_url
from kg.data.dates import PartialDate, bounds
from kg.data.model import Dataset, Entity, Fact, Figure, Source, SourceRef
from kg.data.ranks import outranked
from kg.rdf.names import (
    _DATE_TYPES,
    _SAFE,
    CLAIM,
    RANK_TERMS,
    WIKIDATA_ENTITY,
    Names,
    Vocab,
    _number,
    bind,
    date_literal,
)

__all__ = [
    "dataset_graph", "dataset_quads", "file_names", "Plain", "PlainTerms", "publisher_entity", "quads",
    "RdfTerms", "TextTerms"
]

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


class RdfTerms:
    """Terms as rdflib objects: what a graph (``dataset_graph``, ``dataset_quads``) holds."""

    def node(self, term: URIRef) -> Any:
        """A term of a vocabulary (``RDF.type``, ``vocab["Source"]``)."""
        return term

    def iri(self, text: str) -> Any:
        return URIRef(text)

    def fragment(self, node: Any, suffix: str) -> Any:
        """``node#suffix`` (``suffix`` holds only characters an IRI carries raw)."""
        return URIRef(f"{node}#{suffix}")

    def literal(self, text: str, lang: str | None = None, datatype: URIRef | None = None) -> Any:
        return Literal(text, lang=lang, datatype=datatype)

    def date(self, date: PartialDate) -> Any:
        return date_literal(date)

    def number(self, value: int | float) -> Any:
        return _number(value)


def _remember(cache: dict[Any, Any], key: Any, value: Any) -> Any:
    """``value``, kept in ``cache`` under ``key``; the cache is bounded (emptied when full):
    dates and small numbers come back often, other values need not stay."""
    if len(cache) >= 200_000:
        cache.clear()
    cache[key] = value
    return value


class TextTerms(RdfTerms):
    """Terms as N-Triples text (``<iri>``, ``"text"@en``, ``"1"^^<...#integer>``), made without
    rdflib objects where the text is known: the stream writers' hot path (``kg.rdf.stream``).
    Typed literals are made once by rdflib (its lexical form is the one written) and kept."""

    def __init__(self) -> None:
        from kg.rdf.stream import escape_iri, escape_literal

        self._escape_iri, self._escape_literal = escape_iri, escape_literal
        self._nodes: dict[str, str] = {}
        self._typed: dict[tuple[str, str], str] = {}
        self._langs: dict[str, str] = {}

    def node(self, term: URIRef) -> str:
        found = self._nodes.get(term)
        if found is None:
            found = self._nodes[term] = "<" + self._escape_iri(str(term)) + ">"
        return found

    def iri(self, text: str) -> str:
        return "<" + self._escape_iri(text) + ">"

    def fragment(self, node: Any, suffix: str) -> str:
        return node[:-1] + "#" + self._escape_iri(suffix) + ">"

    def literal(self, text: str, lang: str | None = None, datatype: URIRef | None = None) -> str:
        if lang:
            tag = self._langs.get(lang)
            if tag is None:
                tag = self._langs[lang] = "@" + str(Literal("", lang=lang).language)
            return '"' + self._escape_literal(text) + '"' + tag
        if datatype is None or datatype == XSD.string:
            return '"' + self._escape_literal(text) + '"'
        return self._typed_text(text, datatype)

    def _typed_text(self, text: str, datatype: URIRef) -> str:
        found = self._typed.get((text, datatype))
        if found is None:
            found = _remember(self._typed, (text, datatype),
                              self._from_literal(Literal(text, datatype=datatype)))
        return found

    def _from_literal(self, literal: Literal) -> str:
        text = '"' + self._escape_literal(str(literal)) + '"'
        if literal.language:
            return text + "@" + literal.language
        if literal.datatype is not None and literal.datatype != XSD.string:
            return text + "^^" + self.node(literal.datatype)
        return text

    def date(self, date: PartialDate) -> str:
        return self._typed_text(str(date), _DATE_TYPES[date.precision])

    def number(self, value: int | float) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            return self._typed_text(str(value), XSD.integer)
        return self._from_literal(_number(value))


class Plain(NamedTuple):
    """A literal without rdflib: its lexical form, language tag, datatype IRI (None: a string)."""

    text: str
    lang: str | None = None
    datatype: str | None = None


class PlainTerms(RdfTerms):
    """Terms as plain values: an IRI as its ``str``, a literal as a ``Plain``; for the writers
    that lay terms out themselves (JSON-LD, RDF/XML in ``kg.rdf.stream``). Typed literals are
    made once by rdflib (its lexical form is the one written) and kept."""

    def __init__(self) -> None:
        self._typed: dict[tuple[str, str], Plain] = {}
        self._langs: dict[str, str] = {}

    def node(self, term: URIRef) -> str:
        return str(term)

    def iri(self, text: str) -> str:
        return text

    def fragment(self, node: Any, suffix: str) -> str:
        return f"{node}#{suffix}"

    def literal(self, text: str, lang: str | None = None, datatype: URIRef | None = None) -> Plain:
        if lang:
            tag = self._langs.get(lang)
            if tag is None:
                tag = self._langs[lang] = str(Literal("", lang=lang).language)
            return Plain(text, tag)
        if datatype is None or datatype == XSD.string:
            return Plain(text)
        return self._typed_plain(text, datatype)

    def _typed_plain(self, text: str, datatype: URIRef) -> Plain:
        found = self._typed.get((text, datatype))
        if found is None:
            found = _remember(self._typed, (text, datatype),
                              self._from_literal(Literal(text, datatype=datatype)))
        return found

    @staticmethod
    def _from_literal(literal: Literal) -> Plain:
        if literal.language:
            return Plain(str(literal), literal.language)
        if literal.datatype is not None and literal.datatype != XSD.string:
            return Plain(str(literal), None, str(literal.datatype))
        return Plain(str(literal))

    def date(self, date: PartialDate) -> Plain:
        return self._typed_plain(str(date), _DATE_TYPES[date.precision])

    def number(self, value: int | float) -> Plain:
        if isinstance(value, int) and not isinstance(value, bool):
            return self._typed_plain(str(value), XSD.integer)
        return self._from_literal(_number(value))


class _Writer:
    """Turns a Dataset into quads, of rdflib terms (``RdfTerms``) or of text (``TextTerms``)."""

    def __init__(self, dataset: Dataset, files: Iterable[str] | None = None,
                 hidden: set[str] | None = None, terms: RdfTerms | None = None) -> None:
        self.data = dataset
        self.t = terms or RdfTerms()
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
        self._entities: dict[str, Any] = {}
        # The vocabulary's terms, made once: rdflib's namespaces make a new term at each lookup.
        t = self.t
        self.k: dict[str, Any] = {
            "DCTERMS.creator": t.node(DCTERMS.creator),
            "DCTERMS.date": t.node(DCTERMS.date),
            "DCTERMS.description": t.node(DCTERMS.description),
            "DCTERMS.language": t.node(DCTERMS.language),
            "DCTERMS.publisher": t.node(DCTERMS.publisher),
            "DCTERMS.spatial": t.node(DCTERMS.spatial),
            "DCTERMS.title": t.node(DCTERMS.title),
            "OWL.sameAs": t.node(OWL.sameAs),
            "PROV.entity": t.node(PROV.entity),
            "PROV.qualifiedDerivation": t.node(PROV.qualifiedDerivation),
            "PROV.wasDerivedFrom": t.node(PROV.wasDerivedFrom),
            "RDF.object": t.node(RDF.object),
            "RDF.predicate": t.node(RDF.predicate),
            "RDF.subject": t.node(RDF.subject),
            "RDF.type": t.node(RDF.type),
            "RDFS.label": t.node(RDFS.label),
            "SDO.url": t.node(SDO.url),
            "SKOS.altLabel": t.node(SKOS.altLabel),
            "SKOS.note": t.node(SKOS.note),
        }
        self.vt: dict[str, dict[str, Any]] = {
            "attributes": {key: t.node(term) for key, term in self.vocab.attributes.items()},
            "kinds": {key: t.node(term) for key, term in self.vocab.kinds.items()},
            "metrics": {key: t.node(term) for key, term in self.vocab.metrics.items()},
            "qualifiers": {key: t.node(term) for key, term in self.vocab.qualifiers.items()},
            "relations": {key: t.node(term) for key, term in self.vocab.relations.items()},
            "roles": {key: t.node(term) for key, term in self.vocab.roles.items()},
            "types": {key: t.node(term) for key, term in self.vocab.types.items()},
        }
        self._v: dict[str, Any] = {}

    @classmethod
    def for_records(cls, ontology: Any, files: Iterable[str], sources: Iterable[Source] = (),
                    hidden: set[str] | None = None, terms: RdfTerms | None = None) -> _Writer:
        """A writer for records handed over one at a time (``kg.rdf.stream``): the sources
        (whose addresses the citations' text-fragment links need) and the ids of the records
        not of the best rank are given up front."""
        return cls(Dataset(ontology=ontology, sources={s.id: s for s in sources}, entities={},
                           facts=[], figures=[]), files=files, hidden=hidden or set(), terms=terms)

    def add(self, s: Node, p: Node, o: Node, where: str | None) -> None:
        self.quads.append((s, p, o, where))

    def v(self, name: str) -> Any:
        """A term of our vocabulary by its local name (``Statement``)."""
        found = self._v.get(name)
        if found is None:
            found = self._v[name] = self.t.node(self.vocab[name])
        return found

    def entity(self, entity_id: str) -> Any:
        found = self._entities.get(entity_id)
        if found is None:
            found = self.t.iri(self.n.entity + quote(entity_id, safe=_SAFE))
            if len(self._entities) >= 100_000:  # bounded: hubs are named again and again
                self._entities.clear()
            self._entities[entity_id] = found
        return found

    def mint(self, base: str, identifier: str) -> Any:
        return self.t.iri(base + quote(identifier, safe=_SAFE))

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
            self.add(self.entity(reference.subject), self.vt["relations"][reference.relation],
                     self.entity(reference.object), None)
        return self.quads

    def typed(self, value_type: str, value: Any, owner: Any, key: str, where: str) -> Any:
        """The RDF node for a qualifier or attribute value of an ontology value type."""
        t = self.t
        if value_type == "entity":
            return self.entity(value)
        if value_type == "amount":
            node = t.fragment(owner, quote(key, safe=_SAFE))
            self.add(node, self.k["RDF.type"], self.v("Quantity"), where)
            self.add(node, self.v("value"), t.number(value["value"]), where)
            self.add(node, self.v("unit"), t.literal(value["unit"]), where)
            if value.get("scale"):
                self.add(node, self.v("scale"), t.literal(value["scale"]), where)
            return node
        if value_type == "date":
            return t.date(value if isinstance(value, PartialDate) else PartialDate.parse(value))
        if value_type == "integer":
            return t.literal(str(int(value)), datatype=XSD.integer)
        if value_type == "number":
            return t.number(value)
        if value_type == "url":
            return t.literal(value, datatype=XSD.anyURI)
        return t.literal(str(value))

    def text(self, value: str) -> Any:
        return self.t.literal(value, lang=self.language)

    def source(self, source: Source) -> None:
        g = self.files.get(source.loc.file)
        t = self.t
        s = self.mint(self.n.source, source.id)
        self.add(s, self.k["RDF.type"], self.v("Source"), g)
        self.add(s, self.k["DCTERMS.title"], t.literal(source.title, lang=source.language), g)
        publisher = publisher_entity(source)
        if publisher is None:
            self.add(s, self.k["DCTERMS.publisher"], t.literal(source.publisher), g)
        else:
            self.add(s, self.k["DCTERMS.publisher"], self.entity(publisher), g)
            self.add(s, self.v("publisherName"), t.literal(source.publisher), g)
        if source.author:
            self.add(s, self.k["DCTERMS.creator"], t.literal(source.author), g)
        self.add(s, self.k["DCTERMS.date"], t.date(source.date), g)
        self.add(s, self.k["DCTERMS.language"], t.literal(source.language), g)
        if source.url:
            self.add(s, self.k["SDO.url"], t.literal(source.url, datatype=XSD.anyURI), g)
        if source.published_in:
            self.add(s, self.v("publishedIn"), t.literal(source.published_in), g)
        if source.kind:
            self.add(s, self.v("sourceKind"), t.literal(source.kind), g)
        if source.retrieved:
            self.add(s, self.v("retrieved"), t.date(source.retrieved), g)
        if source.note:
            self.add(s, self.k["SKOS.note"], self.text(source.note), g)

    def entity_record(self, entity: Entity) -> None:
        g = self.files.get(entity.loc.file)
        t = self.t
        s = self.entity(entity.id)
        onto = self.data.ontology
        a = self.k["RDF.type"]
        self.add(s, a, self.v("Entity"), g)
        for type_id in onto.ancestors(entity.type):
            self.add(s, a, self.vt["types"][type_id], g)
        for role in entity.roles:
            self.add(s, a, self.vt["roles"][role], g)
        for lang, text in entity.labels.items():
            self.add(s, self.k["RDFS.label"], t.literal(text, lang=lang), g)
        for alias in entity.aliases:
            self.add(s, self.k["SKOS.altLabel"], t.literal(alias), g)
        if entity.description:
            self.add(s, self.k["DCTERMS.description"], self.text(entity.description), g)
        if entity.wikidata:
            self.add(s, self.k["OWL.sameAs"], t.iri(WIKIDATA_ENTITY + entity.wikidata), g)
        for key, value in entity.attributes.items():
            value_type = onto.attributes[key].get("type")
            self.add(s, self.vt["attributes"][key], self.typed(value_type, value, s, key, g), g)

    def cite(self, node: Any, refs: list[SourceRef], g: str | None) -> None:
        t = self.t
        for position, ref in enumerate(refs, 1):
            source = self.mint(self.n.source, ref.source)
            citation = t.fragment(node, f"source-{position}")
            self.add(node, self.k["PROV.wasDerivedFrom"], source, g)
            self.add(node, self.k["PROV.qualifiedDerivation"], citation, g)
            self.add(citation, self.k["RDF.type"], self.v("Citation"), g)
            self.add(citation, self.k["PROV.entity"], source, g)
            self.add(citation, self.v("locator"), t.literal(ref.locator), g)
            self.add(citation, self.v("position"), t.literal(str(position), datatype=XSD.integer), g)
            if ref.phrase is not None:
                cited = self.data.sources.get(ref.source)
                self.add(citation, self.v("phrase"),
                         t.literal(ref.phrase, lang=cited.language) if cited else t.literal(ref.phrase), g)
                if cited is not None and cited.url:
                    self.add(citation, self.v("textFragment"),
                             t.literal(text_fragment_url(cited.url, ref.phrase), datatype=XSD.anyURI), g)

    def rank(self, node: Any, record: Fact | Figure, g: str | None) -> None:
        """The record's rank, its reason, and whether it is of the best rank (kg:BestRank)."""
        self.add(node, self.v("statementRank"), self.v(RANK_TERMS.get(record.rank, "NormalRank")), g)
        if record.rank_reason:
            self.add(node, self.v("rankReason"), self.t.literal(record.rank_reason), g)
        if record.id not in self.hidden:
            self.add(node, self.k["RDF.type"], self.v("BestRank"), g)

    def period(self, node: Any, since: PartialDate | None, until: PartialDate | None,
               g: str | None) -> None:
        t = self.t
        if since is not None:
            self.add(node, self.v("since"), t.date(since), g)
        if until is not None:
            self.add(node, self.v("until"), t.date(until), g)
        first, last = (bounds(since) or (None, None))[0], (bounds(until) or (None, None))[1]
        if first is not None:
            self.add(node, self.v("validFrom"), t.literal(first.isoformat(), datatype=XSD.date), g)
        if last is not None:
            self.add(node, self.v("validUntil"), t.literal(last.isoformat(), datatype=XSD.date), g)

    def fact(self, fact: Fact) -> None:
        g = self.files.get(fact.loc.file)
        t = self.t
        relation = self.data.ontology.relations[fact.relation]
        subject, predicate, obj = self.entity(fact.subject), self.vt["relations"][fact.relation], \
            self.entity(fact.object)
        if fact.kind != CLAIM and fact.id not in self.hidden:
            self.add(subject, predicate, obj, None)
            if relation.symmetric:
                self.add(obj, predicate, subject, None)
        st = self.mint(self.n.fact, fact.id)
        self.add(st, self.k["RDF.type"], self.v("Statement"), g)
        self.add(st, self.k["RDF.subject"], subject, g)
        self.add(st, self.k["RDF.predicate"], predicate, g)
        self.add(st, self.k["RDF.object"], obj, g)
        self.add(st, self.v("kind"), self.vt["kinds"][fact.kind], g)
        self.period(st, fact.since, fact.until, g)
        for key, value in fact.qualifiers.items():
            value_type = self.data.ontology.qualifiers[key].get("type")
            self.add(st, self.vt["qualifiers"][key], self.typed(value_type, value, st, key, g), g)
        if fact.claimed_by:
            self.add(st, self.v("claimedBy"), self.entity(fact.claimed_by), g)
        if fact.note:
            self.add(st, self.k["SKOS.note"], self.text(fact.note), g)
        for key, basis in (("sinceBasis", fact.since_basis), ("untilBasis", fact.until_basis)):
            if basis:
                self.add(st, self.v(key), t.literal(basis), g)
        self.rank(st, fact, g)
        self.cite(st, fact.sources, g)

    def figure(self, figure: Figure) -> None:
        g = self.files.get(figure.loc.file)
        t = self.t
        node = self.mint(self.n.figure, figure.id)
        self.add(node, self.k["RDF.type"], self.v("Figure"), g)
        self.add(node, self.v("entity"), self.entity(figure.entity), g)
        self.add(node, self.v("metric"), self.vt["metrics"][figure.metric], g)
        if figure.value is not None:
            self.add(node, self.v("value"), t.number(figure.value), g)
        if figure.range is not None:
            self.add(node, self.v("lowerBound"), t.number(figure.range[0]), g)
            self.add(node, self.v("upperBound"), t.number(figure.range[1]), g)
        self.add(node, self.v("unit"), t.literal(figure.unit), g)
        if figure.scale:
            self.add(node, self.v("scale"), t.literal(figure.scale), g)
        if figure.bound:
            self.add(node, self.v("bound"), t.literal(figure.bound), g)
        self.period(node, figure.since, figure.until, g)
        for region in figure.region:
            self.add(node, self.k["DCTERMS.spatial"], t.literal(region), g)
        if figure.measured_by:
            self.add(node, self.v("measuredBy"), self.entity(figure.measured_by), g)
        if figure.where:
            self.add(node, self.v("where"), self.entity(figure.where), g)
        for key, value in figure.qualifiers.items():
            value_type = self.data.ontology.qualifiers[key].get("type")
            self.add(node, self.vt["qualifiers"][key], self.typed(value_type, value, node, key, g), g)
        self.add(node, self.v("kind"), self.vt["kinds"][figure.kind], g)
        if figure.note:
            self.add(node, self.k["SKOS.note"], self.text(figure.note), g)
        if figure.bound:
            self.add(node, self.v("bound"), t.literal(figure.bound), g)
        for key, words in (("period", figure.period), ("scope", figure.scope)):
            if words:
                self.add(node, self.v(key), self.text(words), g)
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
