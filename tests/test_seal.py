"""kg.store.seal: a store file is trusted only when it is this user's own and its bytes are
the sealed ones."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.store import seal


def _published(folder: Path, content: bytes = b"store bytes") -> Path:
    path = folder / "store.sqlite"
    build = folder / ".store.sqlite.x.tmp"
    build.write_bytes(content)
    seal.publish(build, path)
    return path


def test_a_published_file_is_verified(tmp_path: Path) -> None:
    path = _published(tmp_path)
    assert seal.verified(path)
    assert path.stat().st_mode & 0o777 == 0o600


def test_touched_but_same_bytes_stay_verified_and_are_sealed_anew(tmp_path: Path) -> None:
    path = _published(tmp_path)
    os.utime(path, (1, 1))
    assert seal.verified(path)
    assert seal._read_seal(path)["fingerprint"][1] == 1_000_000_000  # the new time, remembered


@pytest.mark.parametrize("damage", ["flip", "truncate", "no seal", "others may write", "link"])
def test_anything_else_is_not_verified(tmp_path: Path, damage: str) -> None:
    path = _published(tmp_path)
    if damage == "flip":
        data = bytearray(path.read_bytes())
        data[3] ^= 1
        path.write_bytes(bytes(data))
    elif damage == "truncate":
        path.write_bytes(path.read_bytes()[:4])
    elif damage == "no seal":
        seal.unseal(path)
    elif damage == "others may write":
        path.chmod(0o666)
    else:
        target = tmp_path / "elsewhere"
        target.write_bytes(path.read_bytes())
        path.unlink()
        path.symlink_to(target)
    assert not seal.verified(path)
    if damage in ("link", "others may write"):
        assert not path.exists() and not path.is_symlink()  # removed, never followed


def test_folders_others_may_change(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    with pytest.raises(seal.Unsafe):
        seal.check_folder(shared)
    shared.chmod(0o1777)
    seal.check_folder(shared)
    seal.check_folder(tmp_path / "new" / "cache")
    assert (tmp_path / "new" / "cache").stat().st_mode & 0o777 == 0o700
