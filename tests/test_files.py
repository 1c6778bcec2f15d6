"""kg.util.files: a named file read only when it is a regular file of bounded size."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.util.files import Unreadable, is_hidden, read_regular


def test_a_regular_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * 10)
    assert read_regular(path, 10) == b"x" * 10
    link = tmp_path / "link.yaml"
    link.symlink_to(path)
    assert read_regular(link, 10) == b"x" * 10  # a link to a regular file is that file


@pytest.mark.parametrize(("make", "reason"), [
    (lambda p: os.mkfifo(p), "not a regular file"),
    (lambda p: p.symlink_to("/dev/zero"), "not a regular file"),
    (lambda p: p.mkdir(), "not a regular file"),
    (lambda p: p.write_bytes(b"x" * 11), "larger than 10 bytes"),
    (lambda p: None, "No such file or directory"),
])
def test_anything_else_is_refused_unread(tmp_path: Path, make, reason: str) -> None:
    path = tmp_path / "x.yaml"
    make(path)
    with pytest.raises(Unreadable, match=reason):
        read_regular(path, 10)


def test_hidden_names() -> None:
    assert is_hidden(Path(".#market.yaml")) and is_hidden(Path("d/.x.yaml"))
    assert not is_hidden(Path("market.yaml"))
