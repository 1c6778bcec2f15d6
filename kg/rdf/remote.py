"""SPARQL stores over HTTP: upload the graph with the SPARQL 1.1 Graph Store HTTP Protocol
(``kg push``) and query a store with the SPARQL 1.1 Protocol (``kg sparql --endpoint``).

Only the standard library speaks HTTP here, and every request is bounded as a whole:

- one deadline (``--timeout``) covers connecting, sending, the headers and the whole
  body; a watchdog shuts the socket at the deadline, so a store that trickles a byte a
  second is cut off on time (a per-read timeout alone would wait forever);
- the answer's size is capped (``--max-reply``, 100 MiB by default): a store that sends an
  endless body is cut off at the cap, an error body is read only as far as its first line;
- the upload is streamed from a temporary file, so its size is bounded by the disk.

Credentials come from the environment (``KG_ENDPOINT_TOKEN``, or ``KG_ENDPOINT_USER`` and
``KG_ENDPOINT_PASSWORD``, for the one origin ``KG_ENDPOINT_ORIGIN`` names) or from
``~/.netrc`` (for its host), never from the command line. They go only to that origin,
and over plain http only to a loopback address unless the user says otherwise
(``allow_http_credentials``, ``--allow-http-credentials``). Digest is answered only with
``qop=auth`` (RFC 7616), never the RFC 2069 form. Every failure is one ``RemoteError``
with a one-line message in which the store's own words are made safe for a terminal.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import ipaddress
import json
import os
import re
import socket
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlsplit

from kg.errors import KgError
from kg.util.terminal import first_line, terminal_line

if TYPE_CHECKING:
    from kg.data.model import Dataset
    from kg.data.ontology import Ontology
    from kg.rdf import SparqlResult
    from kg.rdf.stream import Records

__all__ = [
    "authorization", "Credentials", "credentials", "default_graph_iri", "DEFAULT_MAX_REPLY", "Endpoint",
    "IRI_RE", "is_iri", "push", "Pushed", "put_graph", "query_kind", "remote_sparql", "RemoteError",
    "request", "vocabulary_graph_iri"
]

# An absolute IRI with no characters that IRIs may not hold (for --graph); matched in full.
IRI_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|\\^`\x7f-\x9f]+")
DEFAULT_MAX_REPLY = 100 * 1024 * 1024  # bytes; --max-reply
_CHUNK = 64 * 1024
_ERROR_BODY = 4096  # bytes of an error answer read for its first line
_HEADERS = {"User-Agent": "ai-video-kg"}
# Characters left as they are when a URL's path or query is percent-encoded.
_URL_SAFE = "/%!$&'()*+,;=:@-._~?"
# RFC 6750's b64token: what a bearer token may hold.
_TOKEN_RE = re.compile(r"[A-Za-z0-9\-._~+/]+=*")


class RemoteError(KgError):
    """A store that cannot be reached, refuses a request or answers with an error."""


def is_iri(value: str) -> bool:
    """An absolute IRI, matched in full (a trailing newline or space makes it none)."""
    return IRI_RE.fullmatch(value) is not None


@dataclass(frozen=True)
class Endpoint:
    """An HTTP(S) URL of a store's graph store or query service, with a deadline in seconds
    for each request as a whole, a cap on the size of its answers, and whether credentials
    may go over plain http to a host that is not this machine."""

    url: str
    timeout: float = 60.0
    max_reply: int = DEFAULT_MAX_REPLY
    allow_http_credentials: bool = False

    def __post_init__(self) -> None:
        if re.search(r"[\x00-\x20\x7f-\x9f]", self.url):
            raise ValueError(f"{terminal_line(self.url)!r} holds spaces or control characters; "
                             "percent-encode them")
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{self.url!r} is not an http:// or https:// URL")
        if parts.username or parts.password:
            raise ValueError("credentials do not belong in the URL; use KG_ENDPOINT_USER and "
                             "KG_ENDPOINT_PASSWORD, KG_ENDPOINT_TOKEN or ~/.netrc")
        try:
            port = parts.port
        except ValueError:
            port = -1
        if port is not None and not 0 < port < 65536:
            raise ValueError(f"{self.url!r} has no valid port (1 to 65535)")
        try:
            parts.hostname.encode("idna")
        except UnicodeError:
            raise ValueError(f"{self.url!r} has no valid host name (each part at most 63 "
                             "characters)") from None
        if self.timeout <= 0:
            raise ValueError("the timeout must be a positive number of seconds")
        if self.max_reply <= 0:
            raise ValueError("the reply size limit must be a positive number of bytes")

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def origin(self) -> tuple[str, str, int]:
        """(scheme, host, port): where credentials may go."""
        parts = urlsplit(self.url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return parts.scheme, (parts.hostname or "").lower(), port

    @property
    def loopback(self) -> bool:
        """The host is this machine: plain http does not leave it."""
        host = self.host
        if host.lower() == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False

    def target(self, params: dict[str, str] | None = None) -> str:
        """The request target (path and query) with ``params`` added to the URL's query;
        characters a request line cannot carry (non-ASCII) are percent-encoded."""
        parts = urlsplit(self.url)
        query = "&".join(q for q in (parts.query, urlencode(params or {})) if q)
        return quote(parts.path or "/", safe=_URL_SAFE) + (
            f"?{quote(query, safe=_URL_SAFE)}" if query else "")

    def connection(self, timeout: float | None = None) -> http.client.HTTPConnection:
        parts = urlsplit(self.url)
        cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        host = (parts.hostname or "").encode("idna").decode("ascii")
        return cls(host, parts.port, timeout=self.timeout if timeout is None else timeout)


@dataclass(frozen=True)
class Credentials:
    """A bearer token, or a user name and password (sent as Basic, or as Digest when the
    store asks for it, as Virtuoso does)."""

    token: str | None = None
    user: str | None = None
    password: str = ""

    def basic(self) -> str:
        if self.token:
            if not _TOKEN_RE.fullmatch(self.token):
                raise RemoteError("KG_ENDPOINT_TOKEN holds characters a bearer token cannot "
                                  "(letters, digits and -._~+/ only, then any '=')")
            return f"Bearer {self.token}"
        pair = f"{self.user}:{self.password}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")

    def digest(self, challenge: str, method: str, target: str) -> str | None:
        """The answer to a ``WWW-Authenticate: Digest`` challenge (RFC 7616, MD5 or SHA-256,
        qop auth), or None when the challenge is not one this client answers: one without
        ``qop=auth`` (RFC 2069's form, which lets a listener replay the answer) included."""
        import hashlib
        import secrets

        if self.user is None or not challenge.lower().startswith("digest "):
            return None
        fields = dict((k.lower(), v.strip('"')) for k, v in
                      re.findall(r'(\w+)=("[^"]*"|[^,\s]*)', challenge[7:]))
        algorithm = fields.get("algorithm", "MD5").upper()
        hashes = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}
        qops = [q.strip() for q in fields.get("qop", "").split(",") if q.strip()]
        if algorithm not in hashes or "nonce" not in fields or "auth" not in qops:
            return None
        if not (self.user.isascii() and self.user.isprintable()) or '"' in self.user \
                or "\\" in self.user:
            raise RemoteError("the user name holds characters a Digest answer cannot carry "
                              "(use printable ASCII without quotes or backslashes)")
        unsafe = [v for v in fields.values() if not (v.isascii() and v.isprintable())]
        if unsafe:
            return None

        def h(text: str) -> str:
            return hashes[algorithm](text.encode("utf-8")).hexdigest()

        realm, nonce = fields.get("realm", ""), fields["nonce"]
        first = h(f"{self.user}:{realm}:{self.password}")
        second = h(f"{method}:{target}")
        cnonce = secrets.token_hex(8)
        answer = h(f"{first}:{nonce}:00000001:{cnonce}:auth:{second}")
        parts = [f'username="{self.user}"', f'realm="{realm}"', f'nonce="{nonce}"', f'uri="{target}"',
                 f"algorithm={algorithm}", "qop=auth", "nc=00000001", f'cnonce="{cnonce}"',
                 f'response="{answer}"']
        if "opaque" in fields:
            parts.append(f'opaque="{fields["opaque"]}"')
        return "Digest " + ", ".join(parts)


_ENV_NAMES = ("KG_ENDPOINT_TOKEN", "KG_ENDPOINT_USER", "KG_ENDPOINT_PASSWORD")


def _origin_of(text: str) -> tuple[str, str, int] | None:
    try:
        return Endpoint(text.rstrip("/") + "/").origin
    except ValueError:
        return None


def credentials(host: str, endpoint: Endpoint | None = None) -> Credentials | None:
    """The credentials for ``endpoint`` (or, without one, for ``host``): a bearer token or
    user and password from the environment when ``KG_ENDPOINT_ORIGIN`` names the endpoint's
    origin, else the host's ~/.netrc entry (``$NETRC`` names another file), else None."""
    token = os.environ.get("KG_ENDPOINT_TOKEN")
    user, password = os.environ.get("KG_ENDPOINT_USER"), os.environ.get("KG_ENDPOINT_PASSWORD")
    if token or user:
        origin_text = os.environ.get("KG_ENDPOINT_ORIGIN", "")
        origin = _origin_of(origin_text) if origin_text else None
        if origin is None:
            given = next(name for name in _ENV_NAMES if os.environ.get(name))
            raise RemoteError(f"{given} is set: say which store it is for with "
                              "KG_ENDPOINT_ORIGIN=SCHEME://HOST[:PORT] (credentials go to that "
                              "origin only)")
        mine = endpoint.origin if endpoint is not None else None
        if mine is None or mine == origin:
            return Credentials(token=token) if token else Credentials(user=user, password=password or "")
        return None
    import netrc

    path = os.environ.get("NETRC") or os.path.join(os.path.expanduser("~"), ".netrc")
    if not os.path.isfile(path):
        return None
    try:
        entry = netrc.netrc(path).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        raise RemoteError(f"cannot read {path}: {terminal_line(str(exc))}") from None
    if entry is None:
        return None
    login, _account, secret = entry
    return Credentials(user=login or "", password=secret or "")


def authorization(host: str) -> str | None:
    """The Authorization header first sent to ``host`` (Bearer or Basic), or None."""
    found = credentials(host)
    return found.basic() if found else None


def _endpoint_credentials(endpoint: Endpoint) -> Credentials | None:
    found = credentials(endpoint.host, endpoint)
    if found is not None and endpoint.origin[0] == "http" and not endpoint.loopback \
            and not endpoint.allow_http_credentials:
        raise RemoteError(f"refusing to send credentials over plain http to {endpoint.host} "
                          "(anyone on the way could read them); use https, or say "
                          "--allow-http-credentials")
    return found


class _Deadline:
    """One deadline for a whole request, enforced by a watchdog that shuts the socket."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False

    def left(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            self.expired = True
            raise TimeoutError
        return left

    def connector(self) -> Any:
        """A ``socket.create_connection`` whose name lookup and connecting both end at the
        deadline (the lookup runs in a thread left behind if it hangs)."""

        def create(address: tuple[str, int], timeout: Any = None, source_address: Any = None,
                   **_options: Any) -> socket.socket:
            host, port = address
            found: dict[str, Any] = {}

            def look_up() -> None:
                try:
                    found["addresses"] = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
                except (OSError, UnicodeError) as exc:
                    found["error"] = exc

            lookup = threading.Thread(target=look_up, daemon=True)
            lookup.start()
            lookup.join(self.left())
            if lookup.is_alive():
                self.expired = True
                raise TimeoutError
            if "error" in found:
                error = found["error"]
                raise error if isinstance(error, OSError) else OSError(str(error))
            last: OSError = OSError(f"no address for {host}")
            for family, kind, protocol, _name, where in found["addresses"]:
                sock = socket.socket(family, kind, protocol)
                try:
                    sock.settimeout(self.left())
                    if source_address:
                        sock.bind(source_address)
                    sock.connect(where)
                    return sock
                except OSError as exc:
                    sock.close()
                    last = exc
                    if isinstance(exc, TimeoutError):
                        raise
            raise last

        return create

    @contextlib.contextmanager
    def watching(self, connection: http.client.HTTPConnection) -> Any:
        def cut() -> None:
            self.expired = True
            sock = connection.sock
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

        watchdog = threading.Timer(self.left(), cut)
        watchdog.daemon = True
        watchdog.start()
        try:
            yield
        finally:
            watchdog.cancel()


def request(endpoint: Endpoint, method: str, target: str, headers: dict[str, str],
            body: IO[bytes] | bytes | None = None) -> tuple[str, bytes]:
    """Send one request; the response's media type and body, or RemoteError on any failure.
    A Digest challenge is answered once, sending the body again. The whole exchange (with a
    first HEAD and a second try) is bounded by ``endpoint.timeout``."""
    deadline = _Deadline(endpoint.timeout)
    headers = {**_HEADERS, **headers}
    found = _endpoint_credentials(endpoint)
    if found:
        headers["Authorization"] = found.basic()
    if body is not None and not isinstance(body, bytes):
        # A large upload: ask first, without the body or credentials, whether the store wants
        # credentials and of which kind. A store may refuse, and close the connection, before
        # a large body is through; some (Virtuoso) challenge only requests without credentials.
        status, reason, answer, _data = _send(endpoint, "HEAD", target, dict(_HEADERS), None,
                                              deadline)
        if status in (401, 403) and not found:
            raise _refused(endpoint, status, reason, found)
        challenge = answer.get("WWW-Authenticate") or ""
        if status == 401 and found and (digest := found.digest(challenge, method, target)):
            headers["Authorization"] = digest
    status, reason, answer, data = _send(endpoint, method, target, headers, body, deadline)
    challenge = answer.get("WWW-Authenticate") or ""
    if status == 401 and found and headers.get("Authorization", "").startswith("Basic") and (
            digest := found.digest(challenge, method, target)):
        if not isinstance(body, (bytes, type(None))):
            body.seek(0)
        headers["Authorization"] = digest
        status, reason, answer, data = _send(endpoint, method, target, headers, body, deadline)
    if status in (401, 403):
        raise _refused(endpoint, status, reason, found)
    if status >= 300:
        detail = first_line(data)
        raise RemoteError(f"{endpoint.url} answered HTTP {status} {terminal_line(reason)}"
                          + (f": {detail}" if detail else ""))
    media_type = (answer.get("Content-Type") or "").split(";")[0].strip().lower()
    return media_type, data


def _refused(endpoint: Endpoint, status: int, reason: str, found: Credentials | None) -> RemoteError:
    given = "refused the credentials given" if found else "needs credentials"
    return RemoteError(f"{endpoint.url} {given} (HTTP {status} {terminal_line(reason)}); set "
                       "KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD, or KG_ENDPOINT_TOKEN, with "
                       f"KG_ENDPOINT_ORIGIN, or a ~/.netrc entry for {endpoint.host}")


def _send(endpoint: Endpoint, method: str, target: str, headers: dict[str, str],
          body: IO[bytes] | bytes | None, deadline: _Deadline) -> tuple[int, str, Any, bytes]:
    try:
        connection = endpoint.connection(timeout=deadline.left())
    except TimeoutError:
        raise RemoteError(f"{endpoint.url} did not answer within {deadline.seconds:g} s") from None
    # Looking up the host name is bounded by the deadline too (socket.create_connection's
    # lookup takes no timeout); http.client makes its socket through this attribute.
    connection._create_connection = deadline.connector()  # type: ignore[attr-defined]
    try:
        with deadline.watching(connection):
            # The store may answer, or hang up, before taking the whole body: read what it said.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                connection.request(method, target, body=body, headers=headers)
            response = connection.getresponse()
            limit = endpoint.max_reply if response.status < 300 else _ERROR_BODY
            data = _read_reply(response, connection, limit, deadline, endpoint,
                               cut_quietly=response.status >= 300)
        if deadline.expired:
            raise TimeoutError
    except TimeoutError:
        raise RemoteError(f"{endpoint.url} did not answer within {deadline.seconds:g} s") from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if deadline.expired:
            raise RemoteError(f"{endpoint.url} did not answer within {deadline.seconds:g} s") from None
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise RemoteError(f"cannot reach {endpoint.url}: {first_line(reason)}") from None
    finally:
        connection.close()
    return response.status, response.reason, response.headers, data


def _read_reply(response: http.client.HTTPResponse, connection: http.client.HTTPConnection,
                limit: int, deadline: _Deadline, endpoint: Endpoint, cut_quietly: bool) -> bytes:
    """The body, read in chunks until it ends, the deadline passes or it exceeds ``limit``
    bytes (an error; with ``cut_quietly``, for error answers, the first ``limit`` bytes)."""
    declared = response.getheader("Content-Length") or ""
    if not cut_quietly and declared.isdigit() and int(declared) > limit:
        raise _too_large(endpoint)
    chunks: list[bytes] = []
    total = 0
    while True:
        if connection.sock is not None:
            connection.sock.settimeout(deadline.left())
        chunk = response.read1(_CHUNK) if hasattr(response, "read1") else response.read(_CHUNK)
        if deadline.expired:
            raise TimeoutError
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        chunks.append(chunk)
        if total > limit:
            if cut_quietly:
                return b"".join(chunks)[:limit]
            raise _too_large(endpoint)


def _too_large(endpoint: Endpoint) -> RemoteError:
    mib = endpoint.max_reply / (1024 * 1024)
    return RemoteError(f"{endpoint.url} sent more than {mib:g} MiB; stopped reading (raise the "
                       "limit with --max-reply)")


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
                              f"{first_line(str(exc))}") from None
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
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        # RecursionError: a reply nested 100,000 deep is no SPARQL result either.
        shown = terminal_line(media_type or "no media type")
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
