"""Reading a dump back: an RDF file in our model, turned into YAML records as in the seeds/ files.

``parse_file`` reads any of the syntaxes (the union of the named graphs for
TriG and N-Quads); ``_Reader`` turns sources, entities, statement nodes and
figures back into plain records and raises KgError, naming the node, on
anything the model does not allow; ``yaml_text`` and ``yaml_files`` write
the records as data files (``kg import rdf``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib import Dataset as RdfDataset
from rdflib.namespace import DCTERMS, OWL, PROV, SDO, SKOS, NamespaceManager
from rdflib.term import Node

from kg.data.dates import DateError, PartialDate
from kg.data.ontology import Ontology
from kg.errors import KgError
from kg.rdf.names import RANK_TERMS, WIKIDATA_ENTITY, Names, Vocab, bind
from kg.rdf.serialization import FORMATS

__all__ = [
    "DEFAULT_MEMORY", "DEFAULT_TIMEOUT", "MAX_DUMP_BYTES", "parse_file", "read_dump", "read_graph",
    "Records", "SUFFIXES", "yaml_files", "yaml_text"
]

# File suffixes recognised when reading a dump back.
SUFFIXES = {".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".jsonld": "jsonld",
            ".json": "jsonld", ".trig": "trig", ".rdf": "xml", ".xml": "xml", ".owl": "xml",
            ".nq": "nquads"}


MAX_DUMP_BYTES = 500_000_000  # a dump larger than this is refused unread


def parse_file(path: Path, fmt: str | None = None) -> Graph:
    """Read an RDF file into one graph (the union of its named graphs, for TriG and N-Quads).

    Only the file itself is read: JSON-LD contexts that would be fetched
    (``"@context": "IRI"``, ``@import``) and RDF/XML document type
    declarations (entities, external DTDs) are refused before parsing.
    """
    from kg.util.yamlsafe import file_problem

    path = Path(path)
    fmt = fmt or SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise KgError(f"cannot tell the RDF format of {path.name} from its suffix; "
                      f"give --format ({', '.join(FORMATS)})")
    problem = file_problem(path, MAX_DUMP_BYTES)
    if problem is not None:
        raise KgError(f"{path}: {problem}" if path.exists() else f"no such file: {path}")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_DUMP_BYTES + 1)
    except OSError as exc:
        raise KgError(f"cannot read {path}: {exc.strerror}") from None
    if fmt == "xml":
        _refuse_doctype(data, path)
    elif fmt == "jsonld":
        _refuse_remote_contexts(data, path)
    rdflib_format = FORMATS[fmt][0] if fmt in FORMATS else fmt
    store = RdfDataset(default_union=True)
    try:
        store.parse(data=data, format=rdflib_format, publicID=_BASE)
    except Exception as exc:  # rdflib's parsers raise many different exception types
        raise KgError(_parse_error(path, fmt, exc)) from None
    graph = Graph(bind_namespaces="none")
    for s, p, o, _ in store.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


# Relative IRIs in a dump resolve against this, not against the file's place on disk.
_BASE = "urn:ai-video-kg:import:"


def _refuse_doctype(data: bytes, path: Path) -> None:
    """Refuse RDF/XML with a document type declaration: entities (billion laughs), external DTDs."""
    import xml.parsers.expat

    class Doctype(Exception):
        pass

    parser = xml.parsers.expat.ParserCreate()

    def refuse(*_args: Any) -> None:
        raise Doctype(f"{path}:{parser.CurrentLineNumber}:{parser.CurrentColumnNumber + 1}")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    try:
        parser.Parse(data, True)
    except Doctype as exc:
        raise KgError(f"{exc}: cannot read as xml: a document type declaration (<!DOCTYPE>, "
                      "entities) is not accepted in an RDF/XML dump") from None
    except xml.parsers.expat.ExpatError as exc:
        raise KgError(f"{path}:{exc.lineno}:{exc.offset + 1}: cannot read as xml: "
                      f"{xml.parsers.expat.errors.messages[exc.code]}") from None


def _refuse_remote_contexts(data: bytes, path: Path) -> None:
    """Refuse JSON-LD whose @context names a document to fetch, or @imports one."""
    import json

    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise KgError(f"{path}: cannot read as jsonld: not UTF-8 (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise KgError(f"{path}:{exc.lineno}:{exc.colno}: cannot read as jsonld: {exc.msg}") from None
    except RecursionError:
        raise KgError(f"{path}: cannot read as jsonld: nested too deeply") from None
    pending = [document]
    while pending:
        node = pending.pop()
        if isinstance(node, list):
            pending.extend(node)
        elif isinstance(node, dict):
            context = node.get("@context")
            remote = [c for c in (context if isinstance(context, list) else [context])
                      if isinstance(c, str)]
            if remote or "@import" in node:
                named = remote[0] if remote else node["@import"]
                raise KgError(f"{path}: the JSON-LD names a context to fetch ({str(named)[:80]!r}); "
                              "kg import reads only the file it is given: put the context inline")
            pending.extend(node.values())


def _parse_error(path: Path, fmt: str, exc: Exception) -> str:
    """``file:line:column: message`` where the parser tells the place, else the message alone."""
    line = column = None
    why = str(exc).strip()
    if hasattr(exc, "_why") and hasattr(exc, "lines"):  # Turtle, TriG, N3
        line, why = exc.lines + 1, str(exc._why)
        text, at = getattr(exc, "_str", b""), getattr(exc, "_i", None)
        if isinstance(text, bytes) and isinstance(at, int):  # a byte offset into the input
            start = text.rfind(b"\n", 0, at) + 1
            column = len(text[start:at].decode("utf-8", "replace")) + 1
    elif hasattr(exc, "getLineNumber"):  # RDF/XML (SAX)
        line, column = exc.getLineNumber(), exc.getColumnNumber() + 1
        why = exc.getMessage()
    elif hasattr(exc, "lineno") and hasattr(exc, "colno"):  # JSON-LD (JSON)
        line, column, why = exc.lineno, exc.colno, exc.msg
    why = why.splitlines()[0] if why else type(exc).__name__
    place = ":".join(str(p) for p in (path, line, column) if p is not None)
    return f"{place}: cannot read as {fmt}: {why}"


@dataclass
class Records:
    """Plain YAML-ready records, as in the seeds/ files."""

    sources: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)

    def sections(self) -> dict[str, list[dict[str, Any]]]:
        return {"sources": self.sources, "entities": self.entities, "facts": self.facts,
                "figures": self.figures}


class _Reader:
    """Turns a graph in our RDF model back into records."""

    def __init__(self, graph: Graph, ontology: Ontology) -> None:
        self.g = graph
        self.onto = ontology
        self.vocab = Vocab(ontology)
        self.n = self.vocab.names
        self.nsm = NamespaceManager(Graph(bind_namespaces="none"), bind_namespaces="none")
        bind(self.nsm, self.n)

    def show(self, node: Node) -> str:
        try:
            return node.n3(self.nsm)
        except Exception:  # noqa: BLE001 - rdflib refuses to write IRIs such as <a"b>
            return "<" + str(node).encode("unicode_escape").decode("ascii").replace(">", "%3E") + ">"

    def fail(self, node: Node, message: str) -> KgError:
        return KgError(f"{self.show(node)}: {message}")

    def values(self, s: Node, p: URIRef) -> list[Node]:
        return sorted(self.g.objects(s, p))

    def one(self, s: Node, p: URIRef, required: bool = True) -> Node | None:
        found = self.values(s, p)
        if len(found) > 1:
            raise self.fail(s, f"has {len(found)} values for {self.show(p)}; expected one")
        if not found and required:
            raise self.fail(s, f"has no {self.show(p)}")
        return found[0] if found else None

    def text(self, s: Node, p: URIRef, required: bool = True) -> str | None:
        node = self.one(s, p, required)
        if node is None:
            return None
        if not isinstance(node, Literal):
            raise self.fail(s, f"{self.show(p)} must be a literal")
        return str(node)

    def ref(self, s: Node, p: URIRef, base: str, required: bool = True) -> str | None:
        node = self.one(s, p, required)
        if node is None:
            return None
        found = Names.local(base, node)
        if found is None:
            raise self.fail(s, f"{self.show(p)} {self.show(node)} is not in <{base}>")
        return found

    def term(self, s: Node, p: URIRef, terms: dict[str, URIRef], what: str) -> str:
        node = self.one(s, p)
        for term_id, iri in terms.items():
            if iri == node:
                return term_id
        raise self.fail(s, f"{self.show(node)} is no {what} of the ontology")

    def date(self, s: Node, p: URIRef, required: bool = False) -> str | None:
        text = self.text(s, p, required)
        if text is None:
            return None
        try:
            return str(PartialDate.parse(text))
        except DateError as exc:
            raise self.fail(s, f"{self.show(p)}: {exc}") from None

    def number(self, s: Node, node: Node) -> int | float:
        if not isinstance(node, Literal):
            raise self.fail(s, f"{self.show(node)} is not a number")
        try:
            if node.datatype in (XSD.integer, XSD.int, XSD.long):
                return int(str(node))
            number = Decimal(str(node))
        except (ValueError, InvalidOperation):
            raise self.fail(s, f"{self.show(node)} is not a number") from None
        if not number.is_finite() or not math.isfinite(float(number)):
            raise self.fail(s, f"{self.show(node)} is not a finite number")
        return float(number)

    def subjects(self, cls: URIRef, base: str) -> list[tuple[str, URIRef]]:
        found = []
        for node in set(self.g.subjects(RDF.type, cls)):
            local = Names.local(base, node)
            if local is None:
                raise self.fail(node, f"a {self.show(cls)} whose IRI is not in <{base}>")
            found.append((local, node))
        return sorted(found)

    def typed(self, value_type: str, s: Node, node: Node) -> Any:
        try:
            return self._typed(value_type, s, node)
        except (ValueError, DateError):
            raise self.fail(s, f"{self.show(node)} is not a valid {value_type}") from None

    def _typed(self, value_type: str, s: Node, node: Node) -> Any:
        if value_type == "entity":
            found = Names.local(self.n.entity, node)
            if found is None:
                raise self.fail(s, f"{self.show(node)} is not an entity IRI")
            return found
        if value_type == "amount":
            amount: dict[str, Any] = {
                "value": self.number(node, self.one(node, self.vocab["value"])),
                "unit": self.text(node, self.vocab["unit"]),
            }
            scale = self.text(node, self.vocab["scale"], required=False)
            if scale:
                amount["scale"] = scale
            return amount
        if not isinstance(node, Literal):
            raise self.fail(s, f"{self.show(node)} must be a literal")
        if value_type == "integer":
            return int(str(node))
        if value_type == "number":
            return self.number(s, node)
        if value_type == "date":
            return str(PartialDate.parse(str(node)))
        return str(node)

    def citations(self, s: URIRef) -> list[dict[str, str]]:
        cited = []
        for citation in self.values(s, PROV.qualifiedDerivation):
            position = self.number(citation, self.one(citation, self.vocab["position"]))
            cited.append((position, _compact({
                "source": self.ref(citation, PROV.entity, self.n.source),
                "locator": self.text(citation, self.vocab["locator"]),
                "phrase": self.text(citation, self.vocab["phrase"], required=False)})))
        if not cited:
            raise self.fail(s, "has no citation (prov:qualifiedDerivation)")
        return [ref for _, ref in sorted(cited, key=lambda item: item[0])]

    def read(self) -> Records:
        records = Records()
        v = self.vocab
        for source_id, s in self.subjects(v["Source"], self.n.source):
            records.sources.append(_compact({
                "id": source_id, "title": self.text(s, DCTERMS.title),
                "publisher": self.publisher(s),
                "author": self.text(s, DCTERMS.creator, required=False),
                "date": self.date(s, DCTERMS.date, required=True),
                "retrieved": self.date(s, v["retrieved"]),
                "language": self.text(s, DCTERMS.language),
                "kind": self.text(s, v["sourceKind"], required=False),
                "url": self.text(s, SDO.url, required=False),
                "published_in": self.text(s, v["publishedIn"], required=False),
                "publisher_entity": self.ref(s, DCTERMS.publisher, self.n.entity)
                if isinstance(self.one(s, DCTERMS.publisher), URIRef) else None,
                "note": self.text(s, SKOS.note, required=False),
            }))
        for entity_id, s in self.subjects(v["Entity"], self.n.entity):
            records.entities.append(self.entity(entity_id, s))
        for fact_id, s in self.subjects(v["Statement"], self.n.fact):
            records.facts.append(self.fact(fact_id, s))
        for figure_id, s in self.subjects(v["Figure"], self.n.figure):
            records.figures.append(self.figure(figure_id, s))
        return records

    def entity(self, entity_id: str, s: URIRef) -> dict[str, Any]:
        types = [t for t, iri in self.vocab.types.items() if (s, RDF.type, iri) in self.g]
        deepest = [t for t in types if set(types) <= set(self.onto.ancestors(t))]
        if len(deepest) != 1:
            raise self.fail(s, "needs exactly one most specific entity type, found "
                            + (", ".join(types) or "none"))
        labels = {lit.language: str(lit) for lit in self.values(s, RDFS.label)
                  if isinstance(lit, Literal) and lit.language}
        order = {lang: i for i, lang in enumerate(self.onto.languages)}
        attributes = {}
        for key, prop in self.vocab.attributes.items():
            node = self.one(s, prop, required=False)
            if node is not None:
                attributes[key] = self.typed(self.onto.attributes[key].get("type"), s, node)
        return _compact({
            "id": entity_id, "type": deepest[0],
            "roles": [r for r, iri in self.vocab.roles.items() if (s, RDF.type, iri) in self.g],
            "labels": dict(sorted(labels.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))),
            "aliases": sorted(str(lit) for lit in self.values(s, SKOS.altLabel)),
            "description": self.text(s, DCTERMS.description, required=False),
            "attributes": attributes,
            "wikidata": self.wikidata(s),
        })

    def publisher(self, s: URIRef) -> str | None:
        """The publisher's name: the literal, or kg:publisherName beside a link to its entity."""
        node = self.one(s, DCTERMS.publisher)
        if isinstance(node, URIRef):
            self.ref(s, DCTERMS.publisher, self.n.entity)
            return self.text(s, self.vocab["publisherName"])
        return self.text(s, DCTERMS.publisher)

    def wikidata(self, s: URIRef) -> str | None:
        found = [str(node)[len(WIKIDATA_ENTITY):] for node in self.values(s, OWL.sameAs)
                 if str(node).startswith(WIKIDATA_ENTITY)]
        if len(found) > 1:
            raise self.fail(s, f"has {len(found)} Wikidata items (owl:sameAs); expected at most one")
        return found[0] if found else None

    def fact(self, fact_id: str, s: URIRef) -> dict[str, Any]:
        v = self.vocab
        subject = self.ref(s, RDF.subject, self.n.entity)
        relation = self.term(s, RDF.predicate, v.relations, "relation")
        obj = self.ref(s, RDF.object, self.n.entity)
        since = self.date(s, v["since"])
        qualifiers = self.qualifiers(s)
        derived = f"{subject}--{relation}--{obj}" + (f"--{since}" if since else "")
        return _compact({
            "subject": subject, "relation": relation, "object": obj,
            "kind": self.term(s, v["kind"], v.kinds, "fact kind"),
            "since": since, "until": self.date(s, v["until"]),
            "qualifiers": qualifiers,
            "claimed_by": self.ref(s, v["claimedBy"], self.n.entity, required=False),
            **self.rank(s),
            "sources": self.citations(s),
            "note": self.text(s, SKOS.note, required=False),
            "since_basis": self.text(s, v["sinceBasis"], required=False),
            "until_basis": self.text(s, v["untilBasis"], required=False),
            "id": fact_id if fact_id != derived else None,
        })

    def qualifiers(self, s: URIRef) -> dict[str, Any]:
        found = {}
        for key, prop in self.vocab.qualifiers.items():
            node = self.one(s, prop, required=False)
            if node is not None:
                found[key] = self.typed(self.onto.qualifiers[key].get("type"), s, node)
        return found

    def rank(self, s: URIRef) -> dict[str, str]:
        """``rank`` (left out when normal, the default) and ``rank_reason`` of a record."""
        node = self.one(s, self.vocab["statementRank"], required=False)
        by_term = {self.vocab[term]: rank for rank, term in RANK_TERMS.items()}
        if node is not None and node not in by_term:
            raise self.fail(s, f"has the rank {self.show(node)}, which is no kg:Rank")
        rank = by_term.get(node, "normal") if node is not None else "normal"
        found = {"rank": rank} if rank != "normal" else {}
        reason = self.text(s, self.vocab["rankReason"], required=False)
        if reason:
            found["rank_reason"] = reason
        return found

    def figure(self, figure_id: str, s: URIRef) -> dict[str, Any]:
        v = self.vocab
        entity = self.ref(s, v["entity"], self.n.entity)
        metric = self.term(s, v["metric"], v.metrics, "metric")
        since = self.date(s, v["since"])
        value = self.one(s, v["value"], required=False)
        low, high = self.one(s, v["lowerBound"], required=False), self.one(s, v["upperBound"],
                                                                           required=False)
        derived = f"{entity}--{metric}" + (f"--{since}" if since else "")
        return _compact({
            "entity": entity, "metric": metric,
            "value": self.number(s, value) if value is not None else None,
            "range": [self.number(s, low), self.number(s, high)] if low is not None and
            high is not None else None,
            "bound": self.text(s, v["bound"], required=False),
            "unit": self.text(s, v["unit"]), "scale": self.text(s, v["scale"], required=False),
            "since": since, "until": self.date(s, v["until"]),
            "region": sorted(str(r) for r in self.values(s, DCTERMS.spatial)),
            "measured_by": self.ref(s, v["measuredBy"], self.n.entity, required=False),
            "where": self.ref(s, v["where"], self.n.entity, required=False),
            "qualifiers": self.qualifiers(s),
            "kind": self.term(s, v["kind"], v.kinds, "fact kind"),
            **self.rank(s),
            "sources": self.citations(s),
            "note": self.text(s, SKOS.note, required=False),
            "period": self.text(s, v["period"], required=False),
            "scope": self.text(s, v["scope"], required=False),
            "id": figure_id if figure_id != derived else None,
        })


def _compact(record: dict[str, Any]) -> dict[str, Any]:
    """Drop empty fields, and put ``id`` first where there is one."""
    kept = {k: v for k, v in record.items() if v is not None and v != [] and v != {}}
    if "id" in kept:
        kept = {"id": kept.pop("id"), **kept}
    return kept


def read_graph(graph: Graph, ontology: Ontology) -> Records:
    """Records (as in seeds/ files) from a graph in our RDF model; raises KgError."""
    records = _Reader(graph, ontology).read()
    if not any(records.sections().values()):
        raise KgError("the RDF holds no sources, entities, statements or figures of this "
                      f"vocabulary ({ontology.namespace['vocabulary']})")
    for section, items in records.sections().items():
        for record in items:
            _check_text(record, f"{section[:-1] if section != 'entities' else 'entity'} "
                        f"{record.get('id', '')!r}".replace(" ''", ""))
    return records


def _check_text(value: Any, where: str) -> None:
    """Refuse text the data files and exports cannot carry (see ``kg.util.yamlsafe``)."""
    from kg.util.yamlsafe import describe_char, uncarriable

    if isinstance(value, dict):
        for item in value.values():
            _check_text(item, where)
    elif isinstance(value, list):
        for item in value:
            _check_text(item, where)
    elif isinstance(value, str) and uncarriable(value) is not None:
        raise KgError(f"{where}: text holds the character {describe_char(uncarriable(value))}, "
                      "which the data files and exports cannot carry")


DEFAULT_TIMEOUT = 120.0  # seconds
DEFAULT_MEMORY = 2048  # MiB


def read_dump(path: Path, ontology: Ontology, fmt: str | None = None, *,
              timeout: float | None = DEFAULT_TIMEOUT,
              memory_mb: int | None = DEFAULT_MEMORY) -> Records:
    """Records from an RDF dump written by ``kg export rdf``.

    Parsing runs in a child process stopped after ``timeout`` seconds or on
    taking more than ``memory_mb`` MiB (``kg.util.bounded``; LimitExceeded);
    ``timeout=None`` parses in this process, unbounded.
    """
    if timeout is None:
        return read_graph(parse_file(path, fmt), ontology)
    from kg.util.bounded import run_bounded

    sections = run_bounded(lambda: read_graph(parse_file(path, fmt), ontology).sections(),
                           timeout, memory_mb, f"reading {path}", memory_option=None)
    return Records(**sections)


def yaml_text(sections: dict[str, list[dict[str, Any]]]) -> str:
    """A data file holding the given sections."""
    import yaml

    class Flow(dict):
        """A small mapping written on one line, as in the seeds/ files."""

    class FlowList(list):
        pass

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    def text(dumper: yaml.SafeDumper, value: str) -> Any:
        # Characters YAML reads as line breaks (U+0085, U+2028 …) or may not hold raw would be
        # folded or refused in other styles; in double quotes they are written as escapes.
        style = '"' if _needs_escapes(value) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)

    Dumper.add_representer(Flow, lambda d, v: d.represent_mapping(
        "tag:yaml.org,2002:map", v.items(), flow_style=True))
    Dumper.add_representer(FlowList, lambda d, v: d.represent_sequence(
        "tag:yaml.org,2002:seq", v, flow_style=True))

    def flow(value: Any) -> Any:
        if isinstance(value, dict):
            return Flow((k, flow(v)) for k, v in value.items())
        if isinstance(value, list):
            return FlowList(flow(v) for v in value)
        return value

    styled = {name: [{key: ([flow(v) for v in value] if key == "sources" else flow(value))
                      for key, value in record.items()} for record in items]
              for name, items in sections.items()}
    return yaml.dump(styled, Dumper=Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100)


def _needs_escapes(value: str) -> bool:
    import unicodedata

    return any(char in "\r\x85\u2028\u2029\ufeff"
               or (char not in "\n\t" and unicodedata.category(char)[0] in "CZ" and char != " ")
               for char in value)


def yaml_files(records: Records) -> dict[str, str]:
    """File name -> text: sources.yaml, entities.yaml, facts.yaml and figures.yaml (non-empty ones)."""
    return {f"{name}.yaml": yaml_text({name: items})
            for name, items in records.sections().items() if items}
