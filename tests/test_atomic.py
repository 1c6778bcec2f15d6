"""kg.util.atomic: single files and folders written all or nothing, leftovers of killed runs removed."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

import pytest

from kg.errors import KgError
from kg.util.atomic import FolderNotOwned, remove_stale, write_atomic, write_folder_atomic


def _age(path: Path, seconds: float = 60) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old))


def test_write_atomic_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_atomic(target, "one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_stale_temporary_files_of_killed_runs_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    stale_file = tmp_path / ".out.txt.abc123.tmp"
    stale_file.write_text("half", encoding="utf-8")
    stale_folder = tmp_path / ".out.txt.def456.tmp"
    stale_folder.mkdir()
    (stale_folder / "nodes.csv").write_text("half", encoding="utf-8")
    other = tmp_path / ".other.txt.abc123.tmp"  # another target's: not ours to remove
    other.write_text("x", encoding="utf-8")
    for path in (stale_file, stale_folder, other):
        _age(path)
    write_atomic(target, "new")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.txt.abc123.tmp", "out.txt"]


def test_a_temporary_file_a_live_writer_holds_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    busy = tmp_path / ".out.txt.live.tmp"
    busy.write_text("being written", encoding="utf-8")
    _age(busy)
    with open(busy, "rb") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        remove_stale(target)
        assert busy.exists()
    remove_stale(target)
    assert not busy.exists()


def test_a_fresh_temporary_file_is_left_alone(tmp_path: Path) -> None:
    young = tmp_path / ".out.txt.young.tmp"
    young.write_text("just created", encoding="utf-8")
    remove_stale(tmp_path / "out.txt")
    assert young.exists()


def test_write_folder_creates_and_replaces_the_whole_folder(tmp_path: Path) -> None:
    target = tmp_path / "pair"
    assert write_folder_atomic(target, {"a.csv": "1", "b.csv": "2"}) == [target / "a.csv",
                                                                        target / "b.csv"]
    inode = target.stat().st_ino
    write_folder_atomic(target, {"a.csv": "3"}, owned=["b.csv"])
    assert {p.name: p.read_text(encoding="utf-8") for p in target.iterdir()} == {"a.csv": "3"}
    assert target.stat().st_ino != inode  # a new folder took the old one's place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pair"]


def test_write_folder_keeps_the_folder_mode(tmp_path: Path) -> None:
    target = tmp_path / "pair"
    target.mkdir(mode=0o750)
    target.chmod(0o750)
    write_folder_atomic(target, {"a.csv": "1"})
    assert target.stat().st_mode & 0o777 == 0o750


def test_write_folder_refuses_a_folder_with_other_files(tmp_path: Path) -> None:
    target = tmp_path / "pair"
    target.mkdir()
    (target / "mine.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(FolderNotOwned, match=r"holds other files \(mine.txt\)"):
        write_folder_atomic(target, {"a.csv": "1"})
    assert [p.name for p in target.iterdir()] == ["mine.txt"]


def test_write_folder_into_a_file_is_an_error(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(KgError, match="is a file"):
        write_folder_atomic(target, {"a.csv": "1"})


def test_write_folder_follows_a_symlink_to_a_folder(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    write_folder_atomic(link, {"a.csv": "1"})
    assert link.is_symlink() and (real / "a.csv").read_text(encoding="utf-8") == "1"


def test_the_fallback_swap_without_renameat2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.util.atomic

    monkeypatch.setattr(kg.util.atomic, "_renameat2_exchange", lambda first, second: False)
    target = tmp_path / "pair"
    write_folder_atomic(target, {"a.csv": "1"})
    write_folder_atomic(target, {"a.csv": "2", "b.csv": "3"})
    assert {p.name: p.read_text(encoding="utf-8") for p in target.iterdir()} == {"a.csv": "2",
                                                                                 "b.csv": "3"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pair"]


def test_a_failed_folder_write_leaves_the_old_folder_and_no_leftovers(tmp_path: Path) -> None:
    target = tmp_path / "pair"
    write_folder_atomic(target, {"a.csv": "old"})
    with pytest.raises(KgError, match="cannot write"):
        write_folder_atomic(target, {"a.csv": "new", "sub/b.csv": "no such folder"})
    assert {p.name: p.read_text(encoding="utf-8") for p in target.iterdir()} == {"a.csv": "old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pair"]
