"""The dataset cache: hits, misses on any change, switches, broken entries."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

from kg.cache import cache_dir, load_cached
from kg.errors import DataError
from kg.load import load

GOOD = FIXTURES / "good-mini"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(folder))
    monkeypatch.delenv("KG_CACHE", raising=False)
    return folder


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for path in GOOD.glob("*.yaml"):
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def test_a_second_load_is_answered_from_the_cache(cache: Path, data: Path) -> None:
    first = load_cached(data)
    entries = list(cache.glob("*.pickle"))
    assert len(entries) == 1
    second = load_cached(data)
    assert second is not first
    assert second.entities.keys() == first.entities.keys()
    assert [f.id for f in second.facts] == [f.id for f in first.facts]
    assert [f.id for f in second.facts] == [f.id for f in load(data).facts]


def test_any_change_to_the_data_is_a_miss(cache: Path, data: Path) -> None:
    load_cached(data)
    target = sorted(data.glob("*.yaml"))[0]
    target.write_text(target.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    load_cached(data)
    assert len(list(cache.glob("*.pickle"))) == 2


def test_invalid_data_is_reported_and_not_cached(cache: Path, data: Path) -> None:
    (data / "broken.yaml").write_text("facts: [{subject: nobody}]\n", encoding="utf-8")
    with pytest.raises(DataError):
        load_cached(data)
    assert not cache.exists() or not list(cache.glob("*.pickle"))


def test_a_corrupt_entry_is_rebuilt(cache: Path, data: Path) -> None:
    load_cached(data)
    (entry,) = cache.glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    dataset = load_cached(data)
    assert "kling" in dataset.entities
    assert isinstance(pickle.loads(entry.read_bytes()), type(dataset))


def test_kg_cache_0_turns_it_off(cache: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_CACHE", "0")
    assert cache_dir() is None
    load_cached(data)
    assert not cache.exists()


def test_an_unwritable_cache_is_no_error(tmp_path: Path, data: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("KG_CACHE_DIR", str(blocker / "cache"))  # a folder below a file
    assert "kling" in load_cached(data).entities


def test_the_cli_reads_through_the_cache(cache: Path, data: Path) -> None:
    assert run_cli("show", "kling", data=data).exit_code == 0
    assert len(list(cache.glob("*.pickle"))) == 1
    result = run_cli("show", "kling", data=data)
    assert result.exit_code == 0
    assert "Kling" in result.stdout
