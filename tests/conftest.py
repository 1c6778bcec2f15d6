"""Shared test helpers: paths, and a CliRunner wrapper."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kg.cli import main

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
ONTOLOGY = REPO / "ontology" / "ontology.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_SOURCES = REPO.parent / "shared" / "sources"
ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the dataset cache of the tests out of the user's home."""
    os.environ["KG_CACHE_DIR"] = str(tmp_path_factory.mktemp("kg-cache"))


def run_cli(*args: str, data: Path | str | None = None, input: str | None = None) -> Result:
    """Run ``kg [--data DATA] ARGS…`` in-process; stdout and stderr kept apart."""
    argv = (["--data", str(data)] if data is not None else []) + list(args)
    return CliRunner().invoke(main, argv, input=input, catch_exceptions=False)


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
