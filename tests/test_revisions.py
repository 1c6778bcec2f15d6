"""kg.data.revisions: a data folder at a git revision, read without touching the work tree."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kg.data import revisions
from kg.data.revisions import GitError, load_revision
from kg.errors import DataError
from tests.conftest import FIXTURES

DATA = FIXTURES / "analysis"


def git(repo: Path, *args: str) -> str:
    identity = ["-c", "user.name=Fixture", "-c", "user.email=f@example.org", "-c", "commit.gpgsign=false"]
    done = subprocess.run(["git", "-C", str(repo), *identity, *args],
                          capture_output=True, text=True, check=True, timeout=30)
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose data/ folder has two commits: the fixture, then an edit."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    shutil.copytree(DATA, root / "data")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first")
    data = root / "data" / "data.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("labels: {en: Gizmo}",
                                                             "labels: {en: Gizmo Pro}"), encoding="utf-8")
    git(root, "commit", "-q", "-am", "second")
    return root


def test_reads_each_revision(repo: Path) -> None:
    first = load_revision(repo / "data", "HEAD~1")
    second = load_revision(repo / "data", "HEAD")
    assert first.entities["gizmo"].label == "Gizmo"
    assert second.entities["gizmo"].label == "Gizmo Pro"


def test_work_tree_is_left_alone(repo: Path) -> None:
    data = repo / "data" / "data.yaml"
    data.write_text(data.read_text(encoding="utf-8") + "\n# an edit not committed\n", encoding="utf-8")
    before = (git(repo, "status", "--porcelain"), data.read_bytes(), git(repo, "rev-parse", "HEAD"))
    load_revision(repo / "data", "HEAD~1")
    assert (git(repo, "status", "--porcelain"), data.read_bytes(), git(repo, "rev-parse", "HEAD")) == before


def test_a_subfolder_reads_only_its_files(repo: Path) -> None:
    (repo / "other").mkdir()
    (repo / "other" / "stray.yaml").write_text("not: [data\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "stray")
    assert "widget" in load_revision(repo / "data", "HEAD").entities


def test_errors(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(GitError, match="unknown revision 'no-such-rev'"):
        load_revision(repo / "data", "no-such-rev")
    with pytest.raises(GitError, match="unknown revision"):
        load_revision(repo / "data", "--output=/tmp/x")
    outside = tmp_path / "plain"
    shutil.copytree(DATA, outside)
    with pytest.raises(GitError, match="not inside a git work tree"):
        load_revision(outside, "HEAD")
    with pytest.raises(GitError, match="data folder not found"):
        load_revision(tmp_path / "missing", "HEAD")


def test_invalid_data_names_the_revision(repo: Path) -> None:
    data = repo / "data" / "data.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("relation: lacks", "relation: lack"),
                    encoding="utf-8")
    git(repo, "commit", "-q", "-am", "broken")
    with pytest.raises(DataError) as info:
        load_revision(repo / "data", "HEAD")
    assert info.value.problems[0].loc.file == "HEAD:data/data.yaml"


def test_git_calls_are_bounded(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(revisions, "GIT_TIMEOUT", 1e-9)
    with pytest.raises(GitError, match="took longer than"):
        load_revision(repo / "data", "HEAD")


def test_an_oversized_file_at_a_revision_is_refused_before_it_is_read(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / "data" / "huge.yaml").write_bytes(b"# padding\n" * 1_100_000)  # 11 MB, packs small
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "huge")
    read: list[str] = []
    real_blob = revisions._blob

    def blob(top: Path, commit: str, name: str) -> bytes:
        read.append(name)
        return real_blob(top, commit, name)

    monkeypatch.setattr(revisions, "_blob", blob)
    with pytest.raises(DataError) as info:
        load_revision(repo / "data", "HEAD")
    assert [(p.loc.file, p.message) for p in info.value.problems] == [
        ("HEAD:data/huge.yaml", "cannot read the file: larger than 10,000,000 bytes; not read")]
    assert read == []
