"""SPARQL: SPARQL 1.1 queries over the RDF view of a dataset (``kg sparql``).

``sparql`` runs a query over the same triples ``kg export rdf`` writes, with
the vocabulary's triples added on request, and every prefix of ``prefixes``
declared; a query that does not parse raises ``SparqlSyntaxError``, one that
fails raises KgError. Queries run in a child process bounded in time and
memory (``kg.util.bounded``) and never reach the network unless asked.
``SparqlResult`` holds rows, a boolean or a graph, and shows terms as
prefixed names.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.data.model import Dataset
from kg.data.ontology import Ontology
from kg.errors import KgError

if TYPE_CHECKING:  # rdflib is imported where a result needs it, not by a query on the store
    from rdflib import Graph
    from rdflib.namespace import NamespaceManager
    from rdflib.term import Node

__all__ = [
    "DEFAULT_MEMORY", "DEFAULT_TIMEOUT", "NetworkRefused", "prefixes", "sparql", "SparqlResult",
    "SparqlSyntaxError", "store_sparql", "Term"
]


class SparqlSyntaxError(KgError):
    """A query that does not parse (the user's input: a usage error)."""


@dataclass(frozen=True)
class Term:
    """An RDF term of a result read from the SPARQL store, without rdflib: ``kind`` is
    ``uri``, ``literal`` or ``bnode``; ``str()`` gives its value, as for an rdflib term."""

    kind: str
    value: str
    lang: str | None = None
    datatype: str | None = None

    def __str__(self) -> str:
        return self.value


@dataclass
class SparqlResult:
    """The outcome of a query: rows for SELECT, a boolean for ASK, a graph for CONSTRUCT/DESCRIBE."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[list[Node | Term | None]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    namespaces: NamespaceManager | None = None
    # The prefixes shown for the terms of a result read from the SPARQL store (``Term``).
    prefixes: dict[str, str] | None = None

    @property
    def empty(self) -> bool:
        if self.kind == "ask":
            return not self.boolean
        if self.kind == "graph":
            return self.graph is None or len(self.graph) == 0
        return not self.rows

    def to_json(self) -> dict[str, Any]:
        """SELECT rows in the SPARQL 1.1 Query Results JSON Format."""
        bindings = [{var: _term_json(value) for var, value in zip(self.variables, row, strict=True)
                     if value is not None} for row in self.rows]
        return {"head": {"vars": self.variables}, "results": {"bindings": bindings}}

    def to_csv(self) -> str:
        """SELECT rows in the SPARQL 1.1 Query Results CSV Format (RFC 4180 line ends)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(self.variables)
        for row in self.rows:
            writer.writerow(["" if value is None else str(value) for value in row])
        return buffer.getvalue()

    def show(self, node: Node | Term | None) -> str:
        """A term as a person reads it: a prefixed name, or a literal's text."""
        if node is None:
            return ""
        if isinstance(node, Term):
            if node.kind == "literal":
                return node.value
            if node.kind == "bnode":
                return f"_:{node.value}"
            return _prefixed(node.value, self.prefixes or {})
        from rdflib import Literal, URIRef

        if isinstance(node, Literal):
            return str(node)
        if isinstance(node, URIRef) and self.namespaces is not None:
            shown = node.n3(self.namespaces)
            return shown[1:-1] if shown.startswith("<") else shown
        return node.n3()


def _term_json(node: Node | Term) -> dict[str, str]:
    if isinstance(node, Term):
        if node.kind != "literal":
            return {"type": node.kind, "value": node.value}
        out = {"type": "literal", "value": node.value}
        if node.lang:
            out["xml:lang"] = node.lang
        elif node.datatype:
            out["datatype"] = node.datatype
        return out
    from rdflib import BNode, Literal

    if isinstance(node, Literal):
        out = {"type": "literal", "value": str(node)}
        if node.language:
            out["xml:lang"] = node.language
        elif node.datatype:
            out["datatype"] = str(node.datatype)
        return out
    if isinstance(node, BNode):
        return {"type": "bnode", "value": str(node)}
    return {"type": "uri", "value": str(node)}


def prefixes(ontology: Ontology) -> dict[str, str]:
    """The prefixes every query may use without declaring them."""
    from kg.rdf.names import Names

    return Names.of(ontology).bindings()


# rdflib's rule for splitting an IRI into a namespace and a local name (``split_uri``), so a
# result read from the SPARQL store shows the same prefixed names as one rdflib evaluated.
_NAME_CATEGORIES = frozenset(["Ll", "Lu", "Lo", "Lt", "Nl", "Mc", "Me", "Mn", "Lm", "Nd"])
_SPLIT_START = frozenset(["Ll", "Lu", "Lo", "Lt", "Nl", "Nd"])
_ALLOWED_NAME_CHARS = frozenset(["\u00B7", "\u0387", "-", ".", "_", "%", "(", ")"])


def _split_iri(iri: str) -> tuple[str, str] | None:
    category = unicodedata.category
    length = len(iri)
    for i in range(length):
        char = iri[-i - 1]
        if category(char) in _NAME_CATEGORIES or char in _ALLOWED_NAME_CHARS:
            continue
        for j in range(-1 - i, length):
            if category(iri[j]) in _SPLIT_START or iri[j] == "_":
                namespace = iri[:j]
                return (namespace, iri[j:]) if namespace else None
        return None
    return None


def _prefixed(iri: str, bound: dict[str, str]) -> str:
    """An IRI as ``prefix:local`` when its namespace is bound, else the IRI itself."""
    split = _split_iri(iri)
    if split is not None:
        for prefix, namespace in bound.items():
            if namespace == split[0]:
                return f"{prefix}:{split[1]}"
    return iri


DEFAULT_TIMEOUT = 30.0  # seconds
DEFAULT_MEMORY = 1024  # MiB the query may take beyond what the process holds already


class NetworkRefused(KgError):
    """A query that would reach the network (SERVICE) without the user allowing it."""


def sparql(dataset: Dataset, query: str, vocabulary: bool = False, *,
           timeout: float | None = DEFAULT_TIMEOUT, memory_mb: int | None = DEFAULT_MEMORY,
           allow_service: bool = False) -> SparqlResult:
    """Run a SPARQL 1.1 query over the dataset's RDF (the same triples ``kg export rdf`` writes),
    plus the vocabulary's triples (ontology/kg.ttl) when ``vocabulary`` is true.

    The query never touches the network: ``SERVICE`` raises NetworkRefused
    unless ``allow_service`` is true, and ``FROM`` / ``FROM NAMED`` (which
    rdflib would fetch) are refused. It runs in a child process stopped after
    ``timeout`` seconds or on taking more than ``memory_mb`` MiB (``kg.util.bounded``),
    raising LimitExceeded; ``timeout=None`` runs it in this process, unbounded.
    """
    from rdflib import Graph

    from kg.rdf.names import Names, bind

    encoded = _run(lambda: _encode(_evaluate(dataset, query, vocabulary, allow_service)),
                   timeout, memory_mb)
    namespaces = Graph(bind_namespaces="none")
    bind(namespaces.namespace_manager, Names.of(dataset.ontology))
    return _decode(encoded, namespaces.namespace_manager)


def _evaluate(dataset: Dataset, query: str, vocabulary: bool, allow_service: bool) -> SparqlResult:
    from rdflib import Graph, Namespace
    from rdflib.plugins import sparql as rdflib_sparql
    from rdflib.plugins.sparql import prepareQuery

    from kg.rdf.names import Names, bind
    from kg.rdf.view import dataset_graph
    from kg.rdf.vocabulary import vocabulary_graph

    rdflib_sparql.SPARQL_LOAD_GRAPHS = False  # never fetch what a query names
    initns = {prefix: Namespace(iri) for prefix, iri in prefixes(dataset.ontology).items()}
    try:
        prepared = prepareQuery(query, initNs=initns)
    except Exception as exc:  # pyparsing and rdflib raise several types for a bad query
        raise SparqlSyntaxError(_first_line(exc)) from None
    _refuse_network(prepared.algebra, allow_service)
    graph = dataset_graph(dataset)
    if vocabulary:
        for triple in vocabulary_graph(dataset.ontology):
            graph.add(triple)
    try:
        result = graph.query(prepared)
        outcome = SparqlResult(kind=result.type.lower(), namespaces=graph.namespace_manager)
        if result.type == "ASK":
            outcome.boolean = bool(result.askAnswer)
        elif result.type == "SELECT":
            outcome.variables = [str(v) for v in result.vars or []]
            outcome.rows = [[row[i] for i in range(len(outcome.variables))] for row in result]
        else:
            outcome.kind = "graph"
            outcome.graph = Graph(bind_namespaces="none")
            bind(outcome.graph.namespace_manager, Names.of(dataset.ontology))
            for triple in result.graph or []:
                outcome.graph.add(triple)
    except (SparqlSyntaxError, MemoryError, RecursionError):
        raise
    except Exception as exc:  # an evaluation error in the user's query
        raise KgError(f"the query failed: {_first_line(exc)}") from None
    return outcome


def _refuse_network(algebra: Any, allow_service: bool) -> None:
    """Refuse the parts of a query that would make rdflib open a connection."""
    from rdflib.plugins.sparql.parserutils import CompValue

    pending = [algebra]
    while pending:
        node = pending.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern" and not allow_service:
                raise NetworkRefused("the query has a SERVICE clause, which would send it over the "
                                     "network; kg sparql answers from the local graph only "
                                     "(--allow-service lets SERVICE reach the endpoints it names)")
            if node.name == "DatasetClause":
                raise NetworkRefused("FROM and FROM NAMED are not supported: the query runs over "
                                     "the graph's own triples")
            pending.extend(node.values())
        elif isinstance(node, (list, tuple)):
            pending.extend(node)


def _encode(result: SparqlResult) -> dict[str, Any]:
    """A result as JSON-able data (it crosses from the worker process)."""
    from rdflib import BNode, Literal

    def term(node: Node | None) -> Any:
        if node is None:
            return None
        if isinstance(node, Literal):
            return {"l": str(node), "lang": node.language,
                    "dt": str(node.datatype) if node.datatype else None}
        if isinstance(node, BNode):
            return {"b": str(node)}
        return {"u": str(node)}

    return {"kind": result.kind, "variables": result.variables,
            "rows": [[term(value) for value in row] for row in result.rows],
            "boolean": result.boolean,
            "triples": None if result.graph is None else
            [[term(part) for part in triple] for triple in sorted(result.graph)]}


def _decode(data: dict[str, Any], namespaces: NamespaceManager) -> SparqlResult:
    from rdflib import BNode, Graph, Literal, URIRef

    def term(value: Any) -> Any:
        if value is None:
            return None
        if "l" in value:
            return Literal(value["l"], lang=value["lang"],
                           datatype=URIRef(value["dt"]) if value["dt"] else None)
        if "b" in value:
            return BNode(value["b"])
        return URIRef(value["u"])

    result = SparqlResult(kind=data["kind"], variables=list(data["variables"]),
                          rows=[[term(value) for value in row] for row in data["rows"]],
                          boolean=data["boolean"], namespaces=namespaces)
    if data["triples"] is not None:
        result.graph = Graph(bind_namespaces="none")
        for prefix, namespace in namespaces.namespaces():
            result.graph.namespace_manager.bind(prefix, namespace, override=True, replace=True)
        for triple in data["triples"]:
            result.graph.add(tuple(term(part) for part in triple))
    return result


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# -- the SPARQL store (Oxigraph) ---------------------------------------------------------------

# What a query's text holds that is not a keyword: comments, strings, IRIs, variables and
# prefixed names. What is left are keywords and punctuation, where SERVICE and FROM are sought.
_NOT_KEYWORDS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|' r"'''(?:[^'\\]|\\.|'(?!''))*'''|"
    r'"(?:[^"\\\n\r]|\\.)*"|' r"'(?:[^'\\\n\r]|\\.)*'|"
    r'<[^<>"{}|^`\\\x00-\x20]*>|#[^\n\r]*|[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+|'
    r"[\w.\-\u00b7]*:[\w.\-%\\:\u00b7]*", re.UNICODE)
_KEYWORD = re.compile(r"(?<![\w:?$])(SERVICE|FROM|GRAPH)(?![\w:])", re.IGNORECASE)


def _refuse_network_text(query: str, allow_service: bool) -> None:
    """Refuse SERVICE (unless allowed) and FROM / FROM NAMED, found in the query's text (and
    GRAPH, which finds no graph to match)."""
    for match in _KEYWORD.finditer(_NOT_KEYWORDS.sub(" ", query)):
        keyword = match.group(1).upper()
        if keyword == "GRAPH":  # as rdflib, which has the one graph and no named ones
            raise KgError("the query failed: GRAPH needs named graphs; the query runs over one graph")
        if keyword == "SERVICE":
            if not allow_service:
                raise NetworkRefused("the query has a SERVICE clause, which would send it over the "
                                     "network; kg sparql answers from the local graph only "
                                     "(--allow-service lets SERVICE reach the endpoints it names)")
        else:
            raise NetworkRefused("FROM and FROM NAMED are not supported: the query runs over "
                                 "the graph's own triples")


def _run(work: Callable[[], dict[str, Any]], timeout: float | None,
         memory_mb: int | None) -> dict[str, Any]:
    """The encoded result of ``work``: in a child process bounded in time and memory
    (``kg.util.bounded``), or in this one, unbounded, when ``timeout`` is None."""
    if timeout is None:
        return work()
    from kg.util.bounded import register_error, run_bounded

    register_error(SparqlSyntaxError)
    register_error(NetworkRefused)
    return run_bounded(work, timeout, memory_mb, "the query")


def store_sparql(store: Any, query: str, vocabulary: bool = False, *,
                 timeout: float | None = DEFAULT_TIMEOUT, memory_mb: int | None = DEFAULT_MEMORY,
                 allow_service: bool = False, progress: Any = None) -> SparqlResult:
    """``sparql`` answered from the SPARQL store kept beside the compiled store
    (``kg.rdf.sparqlstore``): the same triples, the same results, errors and limits.

    The store is brought up to date first (outside the limits: it is built once and then
    refreshed with the compiled store, telling ``progress`` of the records it loads); the
    query runs in a child process bounded as ``sparql``'s. Rows hold ``Term`` values; rdflib
    is imported only for a graph result.
    """
    from kg.rdf.sparqlstore import open_sparql_store

    ontology = store.ontology
    spelling = {lang.lower(): lang for lang in ontology.languages}
    home = open_sparql_store(store, vocabulary, progress)
    try:
        encoded = _run(lambda: _store_evaluate(home, query, vocabulary, allow_service, spelling),
                       timeout, memory_mb)
    finally:
        home.close()
    if encoded["triples"] is not None:  # a graph: shown by rdflib's serialisers
        from rdflib import Graph

        from kg.rdf.names import Names, bind

        namespaces = Graph(bind_namespaces="none")
        bind(namespaces.namespace_manager, Names.of(ontology))
        return _decode(encoded, namespaces.namespace_manager)

    def term(value: Any) -> Term | None:
        if value is None:
            return None
        if "l" in value:
            return Term("literal", value["l"], value["lang"], value["dt"])
        if "b" in value:
            return Term("bnode", value["b"])
        return Term("uri", value["u"])

    return SparqlResult(kind=encoded["kind"], variables=list(encoded["variables"]),
                        rows=[[term(value) for value in row] for row in encoded["rows"]],
                        boolean=encoded["boolean"], prefixes=home.prefixes)


def _lower_language_tags(query: str, spelling: dict[str, str]) -> str:
    """The query with each string that spells one of the ontology's language tags in mixed
    case ("zh-Hans") lower-cased. Oxigraph keeps language tags lower-cased (RDF takes them as
    case-insensitive), so ``LANG(?x) = "zh-Hans"`` finds what it found with rdflib."""
    for lower, spelled in spelling.items():
        if lower != spelled:
            query = re.sub(rf"""(["']){re.escape(spelled)}\1""", lambda m, t=lower: f"{m.group(1)}{t}"
                           f"{m.group(1)}", query, flags=re.IGNORECASE)
    return query


def _store_evaluate(home: Any, query: str, vocabulary: bool, allow_service: bool,
                    spelling: dict[str, str]) -> dict[str, Any]:
    from kg.rdf.sparqlstore import load_pyoxigraph

    ox = load_pyoxigraph()
    _refuse_network_text(query, allow_service)
    query = _lower_language_tags(query, spelling)
    oxi = home.open()
    try:
        # Every graph of the store (its files', the direct triples', the vocabulary's when
        # asked for) read as one; no GRAPH pattern sees a graph, as with rdflib. The graphs
        # share no triple, so their union holds each once.
        result = oxi.query(query, prefixes=home.prefixes, use_default_graph_as_union=True,
                           named_graphs=[])
    except SyntaxError as exc:
        raise SparqlSyntaxError(_first_line(exc)) from None
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:  # an evaluation error in the user's query (or the store's)
        raise KgError(f"the query failed: {_first_line(exc)}") from None

    def term(node: Any) -> Any:
        if node is None:
            return None
        if isinstance(node, ox.Literal):
            lang = node.language
            if lang:
                return {"l": node.value, "lang": spelling.get(lang, lang), "dt": None}
            datatype = node.datatype.value
            if datatype == "http://www.w3.org/2001/XMLSchema#string":
                # LANG(?x) gives Oxigraph's lower-cased tag: shown as the ontology spells it.
                return {"l": spelling.get(node.value, node.value), "lang": None, "dt": None}
            return {"l": node.value, "lang": None, "dt": datatype}
        if isinstance(node, ox.BlankNode):
            return {"b": node.value}
        return {"u": node.value}

    out: dict[str, Any] = {"kind": "select", "variables": [], "rows": [], "boolean": None,
                           "triples": None}
    try:
        if isinstance(result, ox.QueryBoolean):
            out["kind"], out["boolean"] = "ask", bool(result)
        elif isinstance(result, ox.QuerySolutions):
            out["variables"] = [variable.value for variable in result.variables]
            out["rows"] = [[term(solution[variable]) for variable in result.variables]
                           for solution in result]
        else:
            # A graph is a set: the same triple built twice is one.
            unique = {json.dumps([term(t.subject), term(t.predicate), term(t.object)], sort_keys=True)
                      for t in result}
            out["kind"] = "graph"
            out["triples"] = [json.loads(text) for text in sorted(unique)]
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:
        raise KgError(f"the query failed: {_first_line(exc)}") from None
    return out
