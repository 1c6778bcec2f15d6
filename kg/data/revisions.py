"""A data folder as it was at a git revision, read with ``git ls-tree`` and ``git cat-file``.

Nothing in the work tree is touched: no checkout, no stash, no index write.
Every git call is bounded in time. The files are copied into a private
temporary folder and loaded from there; problems name the file as
``REV:path/in/repo``.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from kg.data.model import Dataset
from kg.data.ontology import DEFAULT_PATH as DEFAULT_ONTOLOGY
from kg.errors import DataError, KgError, Problem
from kg.util.files import MAX_DATA_FILE_BYTES
from kg.util.yamlsafe import Loc

__all__ = ["commit_of", "GIT_TIMEOUT", "GitError", "load_revision", "work_tree"]

GIT_TIMEOUT = 20.0  # seconds, per git call


class GitError(KgError):
    """Not a git work tree, an unknown revision, or git failing or too slow."""


def _git(folder: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, env=env,
                              timeout=GIT_TIMEOUT, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (needed to read earlier versions of the data)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took longer than {GIT_TIMEOUT:g} s; gave up") from None
    if check and done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {message[-1] if message else 'exit ' + str(done.returncode)}")
    return done


def work_tree(folder: Path) -> tuple[Path, str]:
    """The top of the git work tree holding ``folder``, and the folder's path inside it."""
    if not folder.is_dir():
        raise GitError(f"data folder not found: {folder}")
    done = _git(folder, "rev-parse", "--show-toplevel", "--show-prefix", check=False)
    if done.returncode != 0:
        raise GitError(f"{folder} is not inside a git work tree; `kg diff REV` compares versions "
                       "of a data folder kept in git")
    lines = done.stdout.decode("utf-8").splitlines()
    top = Path(lines[0])
    prefix = lines[1] if len(lines) > 1 else ""
    return top, prefix.rstrip("/")


def commit_of(top: Path, revision: str) -> str:
    """The commit a revision names; GitError for anything git does not know."""
    if revision.startswith("-"):
        raise GitError(f"unknown revision {revision!r}")
    done = _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}",
                check=False)
    if done.returncode != 0:
        raise GitError(f"unknown revision {revision!r} in {top}")
    return done.stdout.decode().strip()


def _files(top: Path, commit: str, prefix: str) -> dict[str, int]:
    """The data files at ``commit`` under ``prefix``, with their sizes (read from the tree,
    so that no blob is read before its size is known)."""
    args = ["ls-tree", "-r", "-z", "--long", "--full-tree", commit]
    if prefix:
        args += ["--", prefix + "/"]
    found: dict[str, int] = {}
    for entry in _git(top, *args).stdout.split(b"\0"):
        head, _tab, raw_name = entry.partition(b"\t")
        fields = head.split()
        if len(fields) != 4 or fields[1] != b"blob" or not fields[3].isdigit():
            continue  # a submodule, or the empty end
        name = raw_name.decode("utf-8", "surrogateescape")
        if name.endswith((".yaml", ".yml")) and not any(part.startswith(".")
                                                          for part in Path(name).parts):
            found[name] = int(fields[3])
    return dict(sorted(found.items()))


def _blob(top: Path, commit: str, name: str) -> bytes:
    return _git(top, "cat-file", "blob", f"{commit}:{name}").stdout


def load_revision(folder: Path, revision: str, ontology_path: Path | None = None) -> Dataset:
    """The data folder as it was at ``revision``, loaded and validated.

    The ontology is the one given, or else the repository's ontology file as
    it was at that revision when it is in the same work tree (so old data is
    read with its own vocabulary), or else the current default.
    """
    from kg.data.load import load
    from kg.data.ontology import load_ontology

    folder = folder.resolve()
    top, prefix = work_tree(folder)
    commit = commit_of(top, revision)
    names = _files(top, commit, prefix)
    if not names:
        raise GitError(f"no *.yaml or *.yml files in {prefix or '.'} at {revision}")
    too_large = [Problem(Loc(f"{revision}:{name}", 1, 1), f"cannot read the file: larger than "
                         f"{MAX_DATA_FILE_BYTES:,} bytes; not read")
                 for name, size in names.items() if size > MAX_DATA_FILE_BYTES]
    if too_large:
        raise DataError(too_large)
    with tempfile.TemporaryDirectory(prefix="kg-rev-") as tmp:
        root = Path(tmp)
        data_dir = root / "data"
        shown: dict[str, str] = {}
        for name in names:
            relative = Path(name).relative_to(prefix) if prefix else Path(name)
            target = data_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_blob(top, commit, name))
            shown[str(target)] = f"{revision}:{name}"
        ontology_file = ontology_path
        if ontology_file is None:
            try:
                in_repo = DEFAULT_ONTOLOGY.resolve().relative_to(top)
            except ValueError:
                in_repo = None
            if in_repo is not None and _git(top, "cat-file", "-e", f"{commit}:{in_repo.as_posix()}",
                                            check=False).returncode == 0:
                ontology_file = root / "ontology.yaml"
                ontology_file.write_bytes(_blob(top, commit, in_repo.as_posix()))
                shown[str(ontology_file)] = f"{revision}:{in_repo.as_posix()}"
        try:
            return load(data_dir, load_ontology(ontology_file))
        except DataError as exc:
            raise DataError([_renamed(p, shown) for p in exc.problems]) from None


def _renamed(problem: Problem, shown: dict[str, str]) -> Problem:
    for path, name in shown.items():
        if problem.loc.file == path or Path(problem.loc.file).resolve() == Path(path).resolve():
            return Problem(Loc(name, problem.loc.line, problem.loc.column), problem.message, problem.hint)
    return problem
