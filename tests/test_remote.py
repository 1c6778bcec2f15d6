"""kg push and kg sparql --endpoint against a real Oxigraph server, and HTTP failures against
a small local server that answers what each test needs (401, 500, a slow answer)."""

from __future__ import annotations

import base64
import contextlib
import http.server
import importlib.metadata
import json
import os
import re
import shlex
import shutil
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.rdf.remote import Endpoint, RemoteError, authorization
from tests.conftest import REPO, run_cli

GRAPH = "urn:ai-video-kg:graph:dataset"


def oxigraph_binary() -> Path:
    """The server binary the ``oxigraph`` package installs (pip puts it beside the Python)."""
    try:
        files = importlib.metadata.distribution("oxigraph").files or []
    except importlib.metadata.PackageNotFoundError:
        pytest.fail("the oxigraph package is missing; install the test extra: pip install -e '.[test]'")
    for file in files:
        if file.name == "oxigraph":
            path = Path(str(file.locate())).resolve()
            if path.is_file():
                return path
    pytest.fail("the oxigraph package holds no oxigraph binary")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An Oxigraph server on a free loopback port with a fresh store; its base URL."""
    port = free_port()
    store = tmp_path_factory.mktemp("oxigraph-store")
    log = (store.parent / "oxigraph.log").open("wb")
    process = subprocess.Popen([str(oxigraph_binary()), "serve", "--location", str(store),
                                "--bind", f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"oxigraph exited with {process.returncode}")
            try:
                with urllib.request.urlopen(base + "/", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("oxigraph did not start within 30 s")
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The user's own credentials never reach the test servers."""
    for name in ("KG_ENDPOINT_TOKEN", "KG_ENDPOINT_USER", "KG_ENDPOINT_PASSWORD",
                 "KG_ENDPOINT_ORIGIN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))


def remote(base: str, *args: str, fmt: str = "csv", service: str = "/query") -> tuple[int, str]:
    result = run_cli("sparql", "--endpoint", base + service, "--graph", GRAPH, *args, "--format", fmt)
    return result.exit_code, result.stdout


def local(*args: str, fmt: str = "csv") -> tuple[int, str]:
    result = run_cli("sparql", *args, "--format", fmt)
    return result.exit_code, result.stdout


def count(base: str, graph: str = GRAPH) -> int:
    code, out = remote(base, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    if graph != GRAPH:
        result = run_cli("sparql", "--endpoint", base + "/query", "--graph", graph,
                         "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")
        code, out = result.exit_code, result.stdout
    assert code == 0, out
    return int(out.split()[1])


def test_push_uploads_the_shipped_data(oxigraph: str) -> None:
    result = run_cli("push", "--endpoint", oxigraph + "/store")
    assert result.exit_code == 0, result.stderr
    triples = len(run_cli("export", "rdf", "--format", "nt").stdout.splitlines())
    assert result.stdout.strip() == f"replaced <{GRAPH}> at {oxigraph}/store: {triples} triples"
    assert count(oxigraph) == triples


def test_push_twice_replaces_the_graph(oxigraph: str) -> None:
    for _ in range(2):
        assert run_cli("push", "--endpoint", oxigraph + "/store").exit_code == 0
    assert count(oxigraph) == len(run_cli("export", "rdf", "--format", "nt").stdout.splitlines())


def test_push_the_vocabulary_into_its_own_graph(oxigraph: str) -> None:
    result = run_cli("push", "--endpoint", oxigraph + "/store", "--graph", "urn:example:kg",
                     "--vocabulary")
    assert result.exit_code == 0, result.stderr
    assert "replaced <urn:ai-video-kg:graph:vocabulary>" in result.stdout
    assert count(oxigraph, "urn:ai-video-kg:graph:vocabulary") > 500
    assert count(oxigraph, "urn:example:kg") == count(oxigraph)


QUERIES = [
    "SELECT ?who ?what WHERE { ?who kg:optedOutOf ?what } ORDER BY ?who ?what",
    "SELECT ?s (COUNT(?st) AS ?n) WHERE { ?st rdf:subject ?s } GROUP BY ?s ORDER BY DESC(?n) ?s",
    'SELECT ?st ?from ?until WHERE { ?st a kg:Statement OPTIONAL { ?st kg:validFrom ?from } '
    'OPTIONAL { ?st kg:validUntil ?until } } ORDER BY ?st',
    'SELECT ?e (str(?name) AS ?text) WHERE { ?e rdfs:label ?name '
    'FILTER(langMatches(lang(?name), "zh-Hant")) } ORDER BY ?e',
    "ASK { entity:youtube-shorts kg:integrates entity:veo }",
    "ASK { entity:veo kg:integrates entity:youtube-shorts }",
    "CONSTRUCT { ?a kg:competesWith ?b } WHERE { ?a kg:competesWith ?b }",
]  # not DESCRIBE: which triples describe a node is each store's own choice


@pytest.fixture(scope="module")
def pushed(oxigraph: str) -> str:
    assert run_cli("push", "--endpoint", oxigraph + "/store").exit_code == 0
    return oxigraph


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
@pytest.mark.parametrize("query", QUERIES)
def test_remote_answers_are_the_local_answers(pushed: str, query: str, fmt: str) -> None:
    here, there = local(query, fmt=fmt), remote(pushed, query, fmt=fmt)
    if query.startswith("CONSTRUCT") and fmt == "csv":
        assert sorted(here[1].splitlines()) == sorted(there[1].splitlines()) != []
    elif query.startswith("CONSTRUCT"):
        import rdflib
        from rdflib.compare import isomorphic

        syntax = "json-ld" if fmt == "json" else "turtle"
        assert isomorphic(rdflib.Graph().parse(data=here[1], format=syntax),
                          rdflib.Graph().parse(data=there[1], format=syntax))
    else:
        assert here == there


def _doc_queries() -> list[str]:
    lines = (REPO / "docs" / "linked-data.md").read_text(encoding="utf-8").splitlines()
    found = []
    for line in lines:
        if line.startswith("$ kg sparql ") and "--vocabulary" not in line:
            args = shlex.split(line[2:], comments=True)[2:]
            found.append(next(a for a in args if not a.startswith("--") and a not in ("csv", "json")))
    return found


def test_the_documented_queries_give_the_same_answers_remotely(pushed: str) -> None:
    queries = _doc_queries()
    assert len(queries) >= 10
    for query in queries:
        assert local(query) == remote(pushed, query), query


# -- Virtuoso, a second store: Digest authentication and its own SPARQL engine ----------------

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Virtuoso server (Debian's virtuoso-opensource, which `make test` installs) with a
    fresh database in a temporary folder, on free loopback ports; its base URL."""
    binary = shutil.which("virtuoso-t")
    if binary is None or not VIRTUOSO_INI.is_file():
        pytest.fail("Virtuoso is missing; install Debian's virtuoso-opensource (make test does)")
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = free_port(), free_port()
    ini = VIRTUOSO_INI.read_text(encoding="utf-8").replace("/var/lib/virtuoso-opensource-7/db",
                                                             str(folder))
    ini = re.sub(r"(?m)^ServerPort\s*=\s*1111\b", f"ServerPort = 127.0.0.1:{sql_port}", ini)
    ini = re.sub(r"(?m)^ServerPort\s*=\s*8890\b", f"ServerPort = 127.0.0.1:{http_port}", ini)
    ini = re.sub(r"(?m)^MaxQueryMem\s*=.*$", "MaxQueryMem = 200M", ini)
    (folder / "virtuoso.ini").write_text(ini, encoding="utf-8")
    log = (folder / "out.log").open("wb")
    process = subprocess.Popen([binary, "+configfile", str(folder / "virtuoso.ini"), "+foreground"],
                               cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http_port}"
    deadline = time.monotonic() + 120
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"virtuoso exited with {process.returncode}: see {folder / 'out.log'}")
            try:
                with urllib.request.urlopen(base + "/sparql", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("virtuoso did not start within 120 s")
                time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_virtuoso_push_and_query(virtuoso: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = virtuoso + "/sparql-graph-crud-auth"
    refused = run_cli("push", "--endpoint", store)
    assert refused.exit_code == 1
    assert "needs credentials (HTTP 401" in refused.stderr
    monkeypatch.setenv("KG_ENDPOINT_ORIGIN", virtuoso)
    monkeypatch.setenv("KG_ENDPOINT_USER", "dba")  # a fresh database's administrator
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", "dba")
    for _ in range(2):  # replaced, not doubled
        result = run_cli("push", "--endpoint", store)
        assert result.exit_code == 0, result.stderr
    triples = len(run_cli("export", "rdf", "--format", "nt").stdout.splitlines())
    monkeypatch.delenv("KG_ENDPOINT_USER")
    answer = run_cli("sparql", "--endpoint", virtuoso + "/sparql", "--graph", GRAPH,
                     "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")
    assert answer.stdout.split() == ["n", str(triples)]
    for query in [*QUERIES, *_doc_queries()]:
        assert local(query) == remote(virtuoso, query, service="/sparql"), query


def test_a_dead_endpoint_is_one_line() -> None:
    url = f"http://127.0.0.1:{free_port()}/store"
    for args in (["push", "--endpoint", url], ["sparql", "--endpoint", url, "ASK { ?s ?p ?o }"]):
        result = run_cli(*args)
        assert result.exit_code == 1
        assert result.stderr.count("\n") == 1
        assert result.stderr.startswith(f"error: cannot reach {url}")


class _Answers(http.server.BaseHTTPRequestHandler):
    """Answers by path: /401, /500, /slow, or /auth (204 only with the expected credentials)."""

    expected = "Basic " + base64.b64encode(b"alice:s3cret").decode()

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        path = self.path.split("?")[0]
        if path == "/slow":
            time.sleep(1.5)
        if path == "/401" or (path == "/auth" and self.headers.get("Authorization") != self.expected):
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="kg"')
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/500":
            body = b"Internal failure while storing\nsecond line of detail\n"
            self.send_response(500)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_response(204)
            self.end_headers()

    do_HEAD = do_PUT = do_POST = _answer  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def answers() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("path", "expected"), [
    ("/401", "needs credentials (HTTP 401 Unauthorized); set KG_ENDPOINT_USER"),
    ("/500", "answered HTTP 500 Internal Server Error: Internal failure while storing"),
])
def test_http_failures_are_one_line(answers: str, path: str, expected: str) -> None:
    for args in (["push", "--endpoint", answers + path],
                 ["sparql", "--endpoint", answers + path, "SELECT ?s WHERE { ?s ?p ?o }"]):
        result = run_cli(*args)
        assert result.exit_code == 1
        assert result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith(f"error: {answers}{path} ")
        assert expected in result.stderr


def test_a_slow_store_times_out(answers: str) -> None:
    result = run_cli("push", "--endpoint", answers + "/slow", "--timeout", "0.3")
    assert result.exit_code == 1
    assert result.stderr == f"error: {answers}/slow did not answer within 0.3 s\n"


def test_credentials_from_the_environment(answers: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_ENDPOINT_ORIGIN", answers)
    monkeypatch.setenv("KG_ENDPOINT_USER", "alice")
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", "wrong")
    refused = run_cli("push", "--endpoint", answers + "/auth")
    assert refused.exit_code == 1
    assert "refused the credentials given (HTTP 401" in refused.stderr
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", "s3cret")
    assert run_cli("push", "--endpoint", answers + "/auth").exit_code == 0


def test_credentials_from_netrc(answers: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login alice password s3cret\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    assert run_cli("push", "--endpoint", answers + "/auth").exit_code == 0
    assert authorization("127.0.0.1") == _Answers.expected
    assert authorization("example.org") is None


def test_a_token_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_ENDPOINT_TOKEN", "t0ken")
    monkeypatch.setenv("KG_ENDPOINT_ORIGIN", "http://127.0.0.1:8890")
    assert authorization("127.0.0.1") == "Bearer t0ken"


@pytest.mark.parametrize(("args", "message"), [
    (["push", "--endpoint", "ftp://127.0.0.1/store"], "is not an http:// or https:// URL"),
    (["push", "--endpoint", "http://alice:pw@127.0.0.1/store"], "credentials do not belong in the URL"),
    (["push", "--endpoint", "http://127.0.0.1:9/store", "--graph", "not an iri"], "is not an absolute IRI"),
    (["push", "--endpoint", "http://127.0.0.1:9/store", "--timeout", "0"], "--timeout"),
    (["sparql", "--graph", "urn:x:g", "ASK { ?s ?p ?o }"], "--graph needs --endpoint"),
    (["sparql", "--endpoint", "http://127.0.0.1:9/query", "--vocabulary", "ASK { ?s ?p ?o }"],
     "--vocabulary"),
    (["sparql", "--endpoint", "http://127.0.0.1:9/query", "SELEC ?x WHERE { ?x ?p ?o }"],
     "not a valid SPARQL query"),
])
def test_usage_errors(args: list[str], message: str) -> None:
    result = run_cli(*args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_endpoint_checks_its_url() -> None:
    with pytest.raises(ValueError):
        Endpoint("http://127.0.0.1/store", timeout=-1)
    assert Endpoint("http://127.0.0.1:7878/store?x=1").target({"graph": "urn:a b"}) == \
        "/store?x=1&graph=urn%3Aa+b"
    assert issubclass(RemoteError, Exception)


def test_push_from_python_takes_a_dataset(oxigraph: str) -> None:
    from kg.data.load import load
    from kg.rdf import serialize
    from kg.rdf.remote import push
    from tests.conftest import FIXTURES

    dataset = load(FIXTURES / "rdf-small")
    done = push(dataset, Endpoint(oxigraph + "/store", timeout=30), "urn:example:small")
    triples = serialize(dataset, "nt").count(b"\n")
    assert [(d.graph, d.triples) for d in done] == [("urn:example:small", triples)]
    assert count(oxigraph, "urn:example:small") == triples


def test_digest_answers_the_rfc_2617_example(monkeypatch: pytest.MonkeyPatch) -> None:
    import secrets

    from kg.rdf.remote import Credentials

    monkeypatch.setattr(secrets, "token_hex", lambda _n: "0a4f113b")
    challenge = ('Digest realm="testrealm@host.com", qop="auth,auth-int", '
                 'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"')
    answer = Credentials(user="Mufasa", password="Circle Of Life").digest(challenge, "GET",
                                                                          "/dir/index.html")
    assert answer is not None
    assert 'response="6629fae49393a05397450978507c4ef1"' in answer
    assert 'opaque="5ccc069c403ebaf9f0171e9517f40e41"' in answer
    assert Credentials(token="t").digest(challenge, "GET", "/") is None
    assert Credentials(user="u").digest('Basic realm="x"', "GET", "/") is None
    assert Credentials(user="u").digest('Digest nonce="n", algorithm=SHA-512-sess', "GET", "/") is None
    # RFC 2069 (no qop): its answer can be replayed by anyone who sees it; never answered.
    assert Credentials(user="u", password="p").digest('Digest realm="r", nonce="n"', "GET", "/") is None


# -- misbehaving stores: endless, slow, huge, hostile and badly encoded answers ----------------

class _Hostile(socketserver.BaseRequestHandler):
    """Answers by path with raw bytes, as a broken or hostile store would. Every loop ends by
    itself (a time limit of its own) or when the client hangs up."""

    seen: list[dict[str, str]] = []  # the headers of each request, for the credential tests
    RUN_FOR = 20.0  # seconds a sending loop may run at most

    def handle(self) -> None:
        sock = self.request
        sock.settimeout(5)
        head = b""
        try:
            while b"\r\n\r\n" not in head and len(head) < 65536:
                chunk = sock.recv(4096)
                if not chunk:
                    return
                head += chunk
        except OSError:
            return
        head, _blank, body = head.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        path = lines[0].split(" ")[1].split("?")[0]
        headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
        _Hostile.seen.append({"path": path, **headers})
        # Take the whole request first: closing with unread bytes would reset the connection
        # and could discard the answer before the client reads it.
        length = min(int(headers.get("Content-Length", "0") or 0), 50_000_000)
        try:
            while len(body) < length:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                body += chunk
        except OSError:
            return
        with contextlib.suppress(OSError):
            self.answer(sock, path, headers)

    def answer(self, sock: socket.socket, path: str, headers: dict[str, str]) -> None:
        stop = time.monotonic() + self.RUN_FOR
        json_head = b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
        if path == "/endless":
            sock.sendall(json_head + b"\r\n" + b'{"head": {"vars": ["x"]}, "results": {"bindings": [')
            block = b'{"x": {"type": "literal", "value": "aaaaaaaaaaaaaaaa"}},' * 1000
            while time.monotonic() < stop:
                sock.sendall(block)
        elif path == "/trickle":
            sock.sendall(json_head + b"\r\n")
            while time.monotonic() < stop:
                sock.sendall(b" ")
                time.sleep(0.2)
        elif path == "/trickle-headers":
            sock.sendall(b"HTTP/1.1 200 OK\r\n")
            while time.monotonic() < stop:
                sock.sendall(b"X-Slow: a\r\n")
                time.sleep(0.2)
        elif path == "/huge-headers":
            sock.sendall(b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n")
        elif path == "/many-headers":
            sock.sendall(b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-%d: a\r\n" % n for n in range(500))
                         + b"\r\n")
        elif path == "/escapes":
            body = b"\x1b]0;owned\x07 failed\r\x1b[2Kfine\n"
            sock.sendall(b"HTTP/1.1 500 Bad \x1b[31mthing\r\nContent-Length: %d\r\n\r\n"
                         % len(body) + body)
        elif path == "/escaped-values":
            body = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [
                {"x": {"type": "literal", "value": "\x1b]0;owned\x07title\rover"}}]}}).encode()
            sock.sendall(json_head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        elif path == "/bad-utf8":
            body = b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", ' \
                   b'"value": "\xff\xfe"}}]}}'
            sock.sendall(json_head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        elif path == "/bad-utf8-graph":
            body = b"<urn:a> <urn:b> \"\xff\xfe\" .\n"
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/n-triples\r\n"
                         b"Content-Length: %d\r\n\r\n" % len(body) + body)
        elif path == "/deep":
            body = b"[" * 100_000 + b"]" * 100_000
            sock.sendall(json_head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        elif path == "/digest-2069":
            if "Authorization" in headers and headers["Authorization"].startswith("Digest"):
                sock.sendall(b"HTTP/1.1 204 No Content\r\n\r\n")
            else:
                sock.sendall(b'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm="r", '
                             b'nonce="abc"\r\nContent-Length: 0\r\n\r\n')
        elif path == "/garbage-status":
            sock.sendall(b"\x1b[2JHTTP/9 what\r\n\r\n")
        elif path == "/hang-up":
            return  # closes without a word
        elif path == "/bad-chunks":
            sock.sendall(json_head + b"Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n")
        elif path == "/endless-chunks":
            sock.sendall(json_head + b"Transfer-Encoding: chunked\r\n\r\n")
            while time.monotonic() < stop:
                sock.sendall(b"10000\r\n" + b" " * 0x10000 + b"\r\n")
        elif path == "/gzip":
            import gzip

            body = gzip.compress(b'{"head": {"vars": []}, "results": {"bindings": []}}')
            sock.sendall(json_head + b"Content-Encoding: gzip\r\nContent-Length: %d\r\n\r\n"
                         % len(body) + body)
        else:  # /ok
            sock.sendall(b"HTTP/1.1 204 No Content\r\n\r\n")


@pytest.fixture(scope="module")
def hostile() -> Iterator[str]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Hostile)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _both(base: str, path: str, *options: str) -> list[Any]:
    """``kg push`` and ``kg sparql --endpoint`` against ``base + path``, each timed."""
    results = []
    for args in (["push", "--endpoint", base + path, *options],
                 ["sparql", "--endpoint", base + path, *options, "SELECT ?x WHERE { ?x ?p ?o }"]):
        started = time.monotonic()
        result = run_cli(*args)
        results.append((result, time.monotonic() - started))
    return results


def _one_safe_line(result: Any) -> None:
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1, result.stderr
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", result.stderr), result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("path", ["/endless", "/endless-chunks"])
def test_an_endless_answer_stops_at_the_size_cap(hostile: str, path: str) -> None:
    for result, seconds in _both(hostile, path, "--max-reply", "2"):
        _one_safe_line(result)
        assert "sent more than 2 MiB; stopped reading (raise the limit with --max-reply)" \
            in result.stderr
        assert seconds < 10


@pytest.mark.parametrize("path", ["/trickle", "/trickle-headers"])
def test_a_trickling_store_is_cut_off_at_the_deadline(hostile: str, path: str) -> None:
    for result, seconds in _both(hostile, path, "--timeout", "1.5"):
        _one_safe_line(result)
        assert result.stderr == f"error: {hostile}{path} did not answer within 1.5 s\n"
        assert seconds < 4, seconds  # one deadline for the request, not one per read


@pytest.mark.parametrize("path", ["/huge-headers", "/many-headers"])
def test_huge_headers_are_one_line(hostile: str, path: str) -> None:
    for result, _seconds in _both(hostile, path):
        _one_safe_line(result)
        assert result.stderr.startswith(f"error: cannot reach {hostile}{path}: ")


def test_escapes_in_an_error_answer_reach_no_terminal(hostile: str) -> None:
    for result, _seconds in _both(hostile, "/escapes"):
        _one_safe_line(result)
        # Shown, not acted on; a carriage return ends the first line, as a line feed would.
        assert result.stderr.endswith("answered HTTP 500 Bad \\x1b[31mthing: "
                                      "\\x1b]0;owned\\x07 failed\n")


@pytest.mark.parametrize(("path", "query"), [
    ("/bad-utf8", "SELECT ?x WHERE { ?x ?p ?o }"),
    ("/deep", "SELECT ?x WHERE { ?x ?p ?o }"),
    ("/bad-utf8-graph", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"),
])
def test_badly_encoded_or_deep_answers_are_one_line(hostile: str, path: str, query: str) -> None:
    result = run_cli("sparql", "--endpoint", hostile + path, query)
    _one_safe_line(result)
    assert result.stderr.startswith(f"error: {hostile}{path} ")


def test_escapes_in_result_values_are_shown_not_acted_on_by_a_terminal(hostile: str) -> None:
    """A real ``kg`` on a pseudo-terminal: the value's ESC, BEL and CR arrive as visible escapes."""
    import pty

    kg = Path(sys.executable).with_name("kg")
    main_fd, child_fd = pty.openpty()
    process = subprocess.Popen([str(kg), "sparql", "--endpoint", hostile + "/escaped-values",
                                "SELECT ?x WHERE { ?x ?p ?o }"], stdin=child_fd, stdout=child_fd,
                               stderr=subprocess.PIPE, close_fds=True)
    os.close(child_fd)
    output = b""
    with contextlib.suppress(OSError):
        while chunk := os.read(main_fd, 4096):
            output += chunk
    os.close(main_fd)
    assert process.wait(timeout=60) == 0, process.stderr.read() if process.stderr else ""
    text = output.decode("utf-8").replace("\r\n", "\n")
    assert "\\x1b]0;owned\\x07title\\rover" in text
    assert "\x1b" not in text and "\x07" not in text and "\r" not in text
    # Not a terminal: the bytes as they are (a pipe or a file is the user's to read).
    assert "\x1b]0;owned" in run_cli("sparql", "--endpoint", hostile + "/escaped-values",
                                     "SELECT ?x WHERE { ?x ?p ?o }", "--format", "csv").stdout


@pytest.mark.parametrize(("url", "message"), [
    ("http://127.0.0.1:99999/store", "has no valid port"),
    ("http://127.0.0.1:abc/store", "has no valid port"),
    ("http://" + "a" * 70 + ".example/store", "has no valid host name"),
    ("http://127.0.0.1:9/st ore", "holds spaces or control characters"),
    ("http://127.0.0.1:9/store\n", "holds spaces or control characters"),
])
def test_bad_endpoint_urls_are_usage_errors(url: str, message: str) -> None:
    for args in (["push", "--endpoint", url], ["sparql", "--endpoint", url, "ASK { ?s ?p ?o }"]):
        result = run_cli(*args)
        assert result.exit_code == 2, result.stderr
        assert message in result.stderr
        assert "Traceback" not in result.stderr


def test_a_non_ascii_path_is_percent_encoded(hostile: str) -> None:
    _Hostile.seen.clear()
    result = run_cli("push", "--endpoint", hostile + "/ok/données")
    assert result.exit_code == 0, result.stderr
    assert {seen["path"] for seen in _Hostile.seen} == {"/ok/donn%C3%A9es"}


def test_a_token_a_header_cannot_carry_is_one_line(hostile: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_ENDPOINT_ORIGIN", hostile)
    monkeypatch.setenv("KG_ENDPOINT_TOKEN", "tøken✓")
    result = run_cli("push", "--endpoint", hostile + "/ok")
    _one_safe_line(result)
    assert "KG_ENDPOINT_TOKEN holds characters a bearer token cannot" in result.stderr


def test_credentials_go_to_their_origin_only(hostile: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_ENDPOINT_USER", "alice")
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", "s3cret")
    unbound = run_cli("push", "--endpoint", hostile + "/ok")
    _one_safe_line(unbound)
    assert "KG_ENDPOINT_USER is set: say which store it is for with KG_ENDPOINT_ORIGIN" \
        in unbound.stderr
    monkeypatch.setenv("KG_ENDPOINT_ORIGIN", "http://127.0.0.1:1")  # another port: another origin
    _Hostile.seen.clear()
    assert run_cli("push", "--endpoint", hostile + "/ok").exit_code == 0
    assert _Hostile.seen and all("Authorization" not in seen for seen in _Hostile.seen)
    monkeypatch.setenv("KG_ENDPOINT_ORIGIN", hostile)
    _Hostile.seen.clear()
    assert run_cli("push", "--endpoint", hostile + "/ok").exit_code == 0
    assert any(seen.get("Authorization", "").startswith("Basic ") for seen in _Hostile.seen)


def test_no_credentials_over_plain_http_to_another_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.rdf.remote import _endpoint_credentials

    monkeypatch.setenv("KG_ENDPOINT_TOKEN", "t0ken")
    monkeypatch.setenv("KG_ENDPOINT_ORIGIN", "http://store.example:8890")
    far = Endpoint("http://store.example:8890/sparql")
    with pytest.raises(RemoteError, match="refusing to send credentials over plain http"):
        _endpoint_credentials(far)  # raised before any connection is made
    allowed = Endpoint("http://store.example:8890/sparql", allow_http_credentials=True)
    assert _endpoint_credentials(allowed) is not None
    monkeypatch.setenv("KG_ENDPOINT_ORIGIN", "https://store.example")
    assert _endpoint_credentials(Endpoint("https://store.example:443/sparql")) is not None
    result = run_cli("push", "--endpoint", "https://other.example/sparql", "--timeout", "0.01")
    assert "refusing" not in result.stderr  # another origin: nothing to send, nothing refused


def test_an_rfc_2069_digest_challenge_is_not_answered(hostile: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_ENDPOINT_ORIGIN", hostile)
    monkeypatch.setenv("KG_ENDPOINT_USER", "alice")
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", "s3cret")
    _Hostile.seen.clear()
    result = run_cli("push", "--endpoint", hostile + "/digest-2069")
    _one_safe_line(result)
    assert "refused the credentials given (HTTP 401" in result.stderr
    assert not any(seen.get("Authorization", "").startswith("Digest") for seen in _Hostile.seen)


def test_a_hanging_name_lookup_ends_at_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Looking up the host is part of the request: a resolver that hangs is cut off too."""
    real = socket.getaddrinfo

    def hangs(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "slow-dns.example":
            time.sleep(5)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", hangs)
    started = time.monotonic()
    result = run_cli("push", "--endpoint", "http://slow-dns.example/store", "--timeout", "1")
    assert time.monotonic() - started < 3
    assert result.stderr == "error: http://slow-dns.example/store did not answer within 1 s\n"


@pytest.mark.parametrize(("path", "start"), [
    ("/garbage-status", "error: cannot reach {url}: "),
    ("/hang-up", "error: cannot reach {url}: "),
    ("/bad-chunks", "error: cannot reach {url}: "),
    ("/gzip", "error: {url} did not answer with SPARQL JSON results"),
])
def test_broken_answers_are_one_line(hostile: str, path: str, start: str) -> None:
    result = run_cli("sparql", "--endpoint", hostile + path, "SELECT ?x WHERE { ?x ?p ?o }")
    _one_safe_line(result)
    assert result.stderr.startswith(start.format(url=hostile + path))
