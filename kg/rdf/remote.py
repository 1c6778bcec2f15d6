"""SPARQL stores over HTTP: upload the graph with the SPARQL 1.1 Graph Store HTTP Protocol
(``kg push``) and query a store with the SPARQL 1.1 Protocol (``kg sparql --endpoint``).

Only the standard library speaks HTTP here. Every request has a timeout; the body of an
upload is streamed from a temporary file, so its size is bounded by the disk, not memory.
Credentials come from the environment (``KG_ENDPOINT_TOKEN``, or ``KG_ENDPOINT_USER`` and
``KG_ENDPOINT_PASSWORD``) or from ``~/.netrc``, never from the command line. Every failure
is one ``RemoteError`` with a one-line message.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from kg.errors import KgError

if TYPE_CHECKING:
    from kg.data.model import Dataset
    from kg.data.ontology import Ontology
    from kg.rdf import SparqlResult
    from kg.rdf.stream import Records

__all__ = [
    "authorization", "Credentials", "credentials", "default_graph_iri", "Endpoint", "IRI_RE", "push",
    "Pushed", "put_graph", "query_kind", "remote_sparql", "RemoteError", "request", "vocabulary_graph_iri"
]

# An absolute IRI with no characters that IRIs may not hold (for --graph).
IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_CHUNK = 64 * 1024
_HEADERS = {"User-Agent": "ai-video-kg"}


class RemoteError(KgError):
    """A store that cannot be reached, refuses a request or answers with an error."""


@dataclass(frozen=True)
class Endpoint:
    """An HTTP(S) URL of a store's graph store or query service, with a timeout in seconds."""

    url: str
    timeout: float = 60.0

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{self.url!r} is not an http:// or https:// URL")
        if parts.username or parts.password:
            raise ValueError("credentials do not belong in the URL; use KG_ENDPOINT_USER and "
                             "KG_ENDPOINT_PASSWORD, KG_ENDPOINT_TOKEN or ~/.netrc")
        if self.timeout <= 0:
            raise ValueError("the timeout must be a positive number of seconds")

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    def target(self, params: dict[str, str] | None = None) -> str:
        """The request target (path and query) with ``params`` added to the URL's query."""
        parts = urlsplit(self.url)
        query = "&".join(q for q in (parts.query, urlencode(params or {})) if q)
        return (parts.path or "/") + (f"?{query}" if query else "")

    def connection(self) -> http.client.HTTPConnection:
        parts = urlsplit(self.url)
        cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        return cls(parts.hostname or "", parts.port, timeout=self.timeout)


@dataclass(frozen=True)
class Credentials:
    """A bearer token, or a user name and password (sent as Basic, or as Digest when the
    store asks for it, as Virtuoso does)."""

    token: str | None = None
    user: str | None = None
    password: str = ""

    def basic(self) -> str:
        if self.token:
            return f"Bearer {self.token}"
        pair = f"{self.user}:{self.password}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")

    def digest(self, challenge: str, method: str, target: str) -> str | None:
        """The answer to a ``WWW-Authenticate: Digest`` challenge (RFC 7616, MD5 or SHA-256,
        qop auth), or None when the challenge is not one this client can answer."""
        import hashlib
        import secrets

        if self.user is None or not challenge.lower().startswith("digest "):
            return None
        fields = dict((k.lower(), v.strip('"')) for k, v in
                      re.findall(r'(\w+)=("[^"]*"|[^,\s]*)', challenge[7:]))
        algorithm = fields.get("algorithm", "MD5").upper()
        hashes = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}
        if algorithm not in hashes or "nonce" not in fields:
            return None

        def h(text: str) -> str:
            return hashes[algorithm](text.encode("utf-8")).hexdigest()

        realm, nonce = fields.get("realm", ""), fields["nonce"]
        first = h(f"{self.user}:{realm}:{self.password}")
        second = h(f"{method}:{target}")
        parts = [f'username="{self.user}"', f'realm="{realm}"', f'nonce="{nonce}"', f'uri="{target}"',
                 f"algorithm={algorithm}"]
        qops = [q.strip() for q in fields.get("qop", "").split(",") if q.strip()]
        if "auth" in qops:
            cnonce = secrets.token_hex(8)
            answer = h(f"{first}:{nonce}:00000001:{cnonce}:auth:{second}")
            parts += ["qop=auth", "nc=00000001", f'cnonce="{cnonce}"']
        elif qops:
            return None
        else:
            answer = h(f"{first}:{nonce}:{second}")
        parts.append(f'response="{answer}"')
        if "opaque" in fields:
            parts.append(f'opaque="{fields["opaque"]}"')
        return "Digest " + ", ".join(parts)


def credentials(host: str) -> Credentials | None:
    """The credentials for ``host``: a bearer token or user and password from the environment,
    else the host's ~/.netrc entry (``$NETRC`` names another file), else None."""
    token = os.environ.get("KG_ENDPOINT_TOKEN")
    if token:
        return Credentials(token=token)
    user, password = os.environ.get("KG_ENDPOINT_USER"), os.environ.get("KG_ENDPOINT_PASSWORD")
    if user:
        return Credentials(user=user, password=password or "")
    import netrc

    path = os.environ.get("NETRC") or os.path.join(os.path.expanduser("~"), ".netrc")
    if not os.path.isfile(path):
        return None
    try:
        entry = netrc.netrc(path).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        raise RemoteError(f"cannot read {path}: {exc}") from None
    if entry is None:
        return None
    login, _account, secret = entry
    return Credentials(user=login or "", password=secret or "")


def authorization(host: str) -> str | None:
    """The Authorization header first sent to ``host`` (Bearer or Basic), or None."""
    found = credentials(host)
    return found.basic() if found else None


def request(endpoint: Endpoint, method: str, target: str, headers: dict[str, str],
            body: IO[bytes] | bytes | None = None) -> tuple[str, bytes]:
    """Send one request; the response's media type and body, or RemoteError on any failure.
    A Digest challenge is answered once, sending the body again."""
    headers = {**_HEADERS, **headers}
    found = credentials(endpoint.host)
    if found:
        headers["Authorization"] = found.basic()
    if body is not None and not isinstance(body, bytes):
        # A large upload: ask first, without the body or credentials, whether the store wants
        # credentials and of which kind. A store may refuse, and close the connection, before
        # a large body is through; some (Virtuoso) challenge only requests without credentials.
        status, reason, answer, _data = _send(endpoint, "HEAD", target, dict(_HEADERS), None)
        if status in (401, 403) and not found:
            raise _refused(endpoint, status, reason, found)
        challenge = answer.get("WWW-Authenticate") or ""
        if status == 401 and found and (digest := found.digest(challenge, method, target)):
            headers["Authorization"] = digest
    status, reason, answer, data = _send(endpoint, method, target, headers, body)
    challenge = answer.get("WWW-Authenticate") or ""
    if status == 401 and found and headers.get("Authorization", "").startswith("Basic") and (
            digest := found.digest(challenge, method, target)):
        if not isinstance(body, (bytes, type(None))):
            body.seek(0)
        headers["Authorization"] = digest
        status, reason, answer, data = _send(endpoint, method, target, headers, body)
    if status in (401, 403):
        raise _refused(endpoint, status, reason, found)
    if status >= 300:
        detail = _first_line(data)
        raise RemoteError(f"{endpoint.url} answered HTTP {status} {reason}"
                          + (f": {detail}" if detail else ""))
    media_type = (answer.get("Content-Type") or "").split(";")[0].strip().lower()
    return media_type, data


def _refused(endpoint: Endpoint, status: int, reason: str, found: Credentials | None) -> RemoteError:
    given = "refused the credentials given" if found else "needs credentials"
    return RemoteError(f"{endpoint.url} {given} (HTTP {status} {reason}); set KG_ENDPOINT_USER "
                       "and KG_ENDPOINT_PASSWORD, KG_ENDPOINT_TOKEN, or a ~/.netrc entry for "
                       f"{endpoint.host}")


def _send(endpoint: Endpoint, method: str, target: str, headers: dict[str, str],
          body: IO[bytes] | bytes | None) -> tuple[int, str, Any, bytes]:
    connection = endpoint.connection()
    try:
        # The store may answer, or hang up, before taking the whole body: read what it said.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.request(method, target, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
    except TimeoutError:
        raise RemoteError(f"{endpoint.url} did not answer within {endpoint.timeout:g} s") from None
    except (OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise RemoteError(f"cannot reach {endpoint.url}: {reason}") from None
    finally:
        connection.close()
    return response.status, response.reason, response.headers, data


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    line = text.splitlines()[0].strip() if text else ""
    return line if len(line) <= 200 else line[:199] + "…"


# -- the Graph Store HTTP Protocol ----------------------------------------------------------

def default_graph_iri(ontology: Ontology) -> str:
    """The named graph ``kg push`` replaces unless told another: ``<graph namespace>dataset``."""
    from kg.rdf import Names

    return Names.of(ontology).graph + "dataset"


def vocabulary_graph_iri(ontology: Ontology) -> str:
    from kg.rdf import Names

    return Names.of(ontology).graph + "vocabulary"


def put_graph(endpoint: Endpoint, graph: str, body: IO[bytes], length: int) -> None:
    """Replace the named graph ``graph`` with the N-Triples in ``body`` (one HTTP PUT, which
    the store applies as a whole), streaming the body."""
    headers = {"Content-Type": "application/n-triples", "Content-Length": str(length)}
    request(endpoint, "PUT", endpoint.target({"graph": graph}), headers, body)


@dataclass(frozen=True)
class Pushed:
    graph: str
    triples: int


def push(data: Dataset | Records, endpoint: Endpoint, graph: str | None = None,
         vocabulary: bool = False) -> list[Pushed]:
    """Upload the RDF of a dataset, or of any ``kg.rdf.stream`` records such as the compiled
    store (the triples ``kg export rdf`` writes), into the named graph ``graph`` of a store,
    replacing what was there; with ``vocabulary``, the vocabulary (ontology/kg.ttl) too, into
    its own graph. The N-Triples are streamed to a temporary file and from there to the store,
    so memory stays bounded. Returns what was written where."""
    from kg.data.model import Dataset
    from kg.rdf import triples_text, vocabulary_graph
    from kg.rdf.stream import DatasetRecords, ntriples

    records = DatasetRecords(data) if isinstance(data, Dataset) else data
    ontology = records.ontology
    uploads: list[tuple[str, Iterable[bytes]]] = [(graph or default_graph_iri(ontology), ntriples(records))]
    if vocabulary:
        lines = triples_text(vocabulary_graph(ontology))
        uploads.append((vocabulary_graph_iri(ontology), [("".join(line + "\n" for line in lines))
                                                         .encode("utf-8")]))
    done = []
    for iri, chunks in uploads:
        with tempfile.TemporaryFile() as body:
            triples = 0
            for chunk in chunks:
                body.write(chunk)
                triples += chunk.count(b"\n")
            length = body.tell()
            body.seek(0)
            put_graph(endpoint, iri, body, length)
        done.append(Pushed(iri, triples))
    return done


# -- the SPARQL Protocol ----------------------------------------------------------------------

def remote_sparql(ontology: Ontology, endpoint: Endpoint, query: str,
                  default_graph: str | None = None) -> SparqlResult:
    """Run a SPARQL 1.1 query at a store's query service, with the same prefixes declared as
    for a local ``kg sparql``; the same ``SparqlResult`` as a local query. A query that does
    not parse raises SparqlSyntaxError before anything is sent."""
    from rdflib import Graph

    from kg.rdf import Names, SparqlResult, bind, prefixes

    kind = query_kind(query, ontology)
    declared = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes(ontology).items())
    params = {"query": declared + query}
    if default_graph:
        params["default-graph-uri"] = default_graph
    accept = "application/n-triples" if kind == "graph" else "application/sparql-results+json"
    body = urlencode(params).encode("utf-8")
    media_type, data = request(endpoint, "POST", endpoint.target(), {
        "Content-Type": "application/x-www-form-urlencoded", "Accept": accept}, body)
    names = Names.of(ontology)
    result = SparqlResult(kind=kind)
    # Language tags are case-insensitive and some stores lower-case them (zh-hans); show the
    # ontology's spelling, as a local query does.
    spelling = {lang.lower(): lang for lang in ontology.languages}
    if kind == "graph":
        parsed = Graph(bind_namespaces="none")
        try:
            parsed.parse(data=data.decode("utf-8"), format="nt")
        except Exception as exc:  # rdflib's parsers raise several types
            raise RemoteError(f"{endpoint.url} sent a graph that does not parse as N-Triples: "
                              f"{_first_line(str(exc).encode())}") from None
        result.graph = Graph(bind_namespaces="none")
        bind(result.graph.namespace_manager, names)
        for s, p, o in parsed:
            result.graph.add((s, p, _respelled(o, spelling)))
        result.namespaces = result.graph.namespace_manager
        return result
    holder = Graph(bind_namespaces="none")
    bind(holder.namespace_manager, names)
    result.namespaces = holder.namespace_manager
    try:
        document = json.loads(data)
        if kind == "ask":
            result.boolean = bool(document["boolean"])
        else:
            result.variables = list(document["head"]["vars"])
            result.rows = [[_node(binding.get(var), spelling) for var in result.variables]
                           for binding in document["results"]["bindings"]]
    except (ValueError, KeyError, TypeError, AttributeError):
        shown = media_type or "no media type"
        raise RemoteError(f"{endpoint.url} did not answer with SPARQL JSON results ({shown})") from None
    return result


def query_kind(query: str, ontology: Ontology) -> str:
    """``select``, ``ask`` or ``graph`` (CONSTRUCT, DESCRIBE); SparqlSyntaxError if it does not parse."""
    from rdflib import Namespace
    from rdflib.plugins.sparql import prepareQuery

    from kg.rdf import SparqlSyntaxError, prefixes

    initns = {prefix: Namespace(iri) for prefix, iri in prefixes(ontology).items()}
    try:
        prepared = prepareQuery(query, initNs=initns)
    except Exception as exc:  # pyparsing and rdflib raise several types for a bad query
        text = str(exc).strip()
        raise SparqlSyntaxError(text.splitlines()[0] if text else type(exc).__name__) from None
    name = prepared.algebra.name
    return {"SelectQuery": "select", "AskQuery": "ask"}.get(name, "graph")


def _respelled(node: Any, spelling: dict[str, str]) -> Any:
    from rdflib import Literal

    if isinstance(node, Literal) and node.language and node.language.lower() in spelling:
        return Literal(str(node), lang=spelling[node.language.lower()])
    return node


def _node(value: dict[str, Any] | None, spelling: dict[str, str]) -> Any:
    """A term of the SPARQL JSON results as an rdflib node."""
    from rdflib import BNode, Literal, URIRef

    if value is None:
        return None
    kind, text = value["type"], value["value"]
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind in ("literal", "typed-literal"):
        lang = value.get("xml:lang")
        lang = spelling.get(lang.lower(), lang) if lang else None
        datatype = None if lang else value.get("datatype")
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            datatype = None  # plain and xsd:string literals are one term in RDF 1.1
        return Literal(text, lang=lang, datatype=URIRef(datatype) if datatype else None)
    raise ValueError(kind)
