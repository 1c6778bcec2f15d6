"""kg.util.journal: one writer at a time, several files replaced all or nothing, and an
interrupted write finished by whoever comes next."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from kg.util.journal import JOURNAL_NAME, LOCK_NAME, FolderBusy, folder_lock, recover, write_files


def test_files_are_replaced_together_and_nothing_is_left(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("old a\n")
    with folder_lock(tmp_path):
        write_files(tmp_path, {tmp_path / "a.yaml": "new a\n", tmp_path / "b.yaml": "new b\n"})
    assert (tmp_path / "a.yaml").read_text() == "new a\n"
    assert (tmp_path / "b.yaml").read_text() == "new b\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yaml"]


def test_a_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    order: list[str] = []

    def second() -> None:
        with folder_lock(tmp_path):
            order.append("second")

    with folder_lock(tmp_path):
        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.3)
        order.append("first")
    thread.join(10)
    assert order == ["first", "second"]
    assert not (tmp_path / LOCK_NAME).exists()
    with folder_lock(tmp_path), pytest.raises(FolderBusy):
        fd = os.open(tmp_path / LOCK_NAME, os.O_RDONLY)  # the file held now
        try:
            with folder_lock(tmp_path, wait=0.2):
                pass
        finally:
            os.close(fd)


def test_a_committed_write_is_finished_and_stale_temporaries_removed(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("old a\n")
    (tmp_path / "b.yaml").write_text("old b\n")
    done = tmp_path / ".a.yaml.x1.tmp"
    done.write_text("new a\n")
    os.replace(done, tmp_path / "a.yaml")  # the first rename happened, then the kill
    pending = tmp_path / ".b.yaml.x2.tmp"
    pending.write_text("new b\n")
    stale = tmp_path / ".a.yaml.old.tmp"  # an earlier run killed before its commit
    stale.write_text("never\n")
    (tmp_path / JOURNAL_NAME).write_text(json.dumps({"renames": [
        [str(done), str(tmp_path / "a.yaml")], [str(pending), str(tmp_path / "b.yaml")]]}))
    assert recover(tmp_path)
    assert (tmp_path / "b.yaml").read_text() == "new b\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yaml"]


def test_a_planted_journal_moves_nothing_outside_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "a.yaml").write_text("a\n")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    planted = folder / ".victim.txt.x.tmp"
    planted.write_text("owned\n")
    (folder / JOURNAL_NAME).write_text(json.dumps({"renames": [[str(planted), str(victim)]]}))
    recover(folder)
    assert victim.read_text() == "precious\n"
    assert not (folder / JOURNAL_NAME).exists()


def test_a_lock_file_left_by_a_killed_writer_is_removed_by_the_next_reader(tmp_path: Path) -> None:
    from kg.data.load import data_files
    from kg.util.journal import remove_stale_lock

    (tmp_path / "a.yaml").write_text("facts: []\n")
    (tmp_path / LOCK_NAME).write_text("")  # as a writer killed while holding it leaves it
    assert data_files(tmp_path) == [tmp_path / "a.yaml"]
    assert not (tmp_path / LOCK_NAME).exists()
    with folder_lock(tmp_path):
        remove_stale_lock(tmp_path)  # held: left alone
        assert (tmp_path / LOCK_NAME).exists()
    assert not (tmp_path / LOCK_NAME).exists()


def test_a_rename_that_fails_after_the_commit_is_finished_later(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.util.journal as journal
    from kg.errors import KgError

    (tmp_path / "a.yaml").write_text("old a\n")
    (tmp_path / "b.yaml").write_text("old b\n")
    real_replace = os.replace
    calls: list[str] = []

    def fails_once(source: str, target: str) -> None:
        if str(target).endswith("b.yaml") and not calls:
            calls.append(str(target))
            raise OSError(5, "Input/output error", str(target))
        real_replace(source, target)

    monkeypatch.setattr(journal.os, "replace", fails_once)
    with folder_lock(tmp_path), pytest.raises(KgError, match="the next kg command in this folder "
                                                            "finishes the write"):
        write_files(tmp_path, {tmp_path / "a.yaml": "new a\n", tmp_path / "b.yaml": "new b\n"})
    assert (tmp_path / JOURNAL_NAME).exists()
    assert recover(tmp_path)
    assert (tmp_path / "a.yaml").read_text() == "new a\n"
    assert (tmp_path / "b.yaml").read_text() == "new b\n"
