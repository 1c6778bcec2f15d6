"""kg push and kg sparql --endpoint against a real Oxigraph server, and HTTP failures against
a small local server that answers what each test needs (401, 500, a slow answer)."""

from __future__ import annotations

import base64
import http.server
import importlib.metadata
import re
import shlex
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

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
    for name in ("KG_ENDPOINT_TOKEN", "KG_ENDPOINT_USER", "KG_ENDPOINT_PASSWORD"):
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
