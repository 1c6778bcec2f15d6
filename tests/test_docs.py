"""Every ``$ kg …`` example in the README and docs/ runs on the shipped data.

An example is a line starting with ``$ kg `` inside a ```console block. The
lines after it, up to the next command or the end of the block, are its
shown output: each of them (unless it contains an ellipsis "…") must appear
in what the command prints. A command expected to fail ends with a comment
``# exit N``.

A document that changes the data (docs/curating.md) runs its examples in
order, as one story, on a copy of the shipped data (``KG_DATA``), in a
working folder that first receives its file blocks: a fenced block whose
info string names a file (```` ```csv file=ranks.csv ````) is written there.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")), REPO / "seeds" / "README.md"]
# Documents whose examples write to the data or read their file blocks: run in order on a copy.
WRITING = [REPO / "docs" / "curating.md", REPO / "seeds" / "README.md"]
_EXIT_RE = re.compile(r"#\s*exit\s+(\d+)\s*$")
_FILE_RE = re.compile(r"^```\S*\s+file=(\S+)\s*$")


def _examples(documents: list[Path]) -> list[tuple[str, str, list[str], int]]:
    found = []
    for document in documents:
        in_console = False
        current: list | None = None
        for number, line in enumerate(document.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith("```"):
                in_console = line.strip() == "```console" and not in_console
                current = None
                continue
            if not in_console:
                continue
            if line.startswith("$ "):
                current = None
                if line.startswith("$ kg "):
                    match = _EXIT_RE.search(line)
                    where = f"{document.relative_to(REPO)}:{number}"
                    current = [where, line[2:], [], int(match.group(1)) if match else 0]
                    found.append(current)
            elif current is not None and line.strip():
                current[2].append(line.strip())
    return [tuple(example) for example in found]


EXAMPLES = _examples([d for d in DOCUMENTS if d not in WRITING])
# The day the documents shown (a comparison, a brief, a change report) say they were made.
DOCS_TODAY = "2025-10-06"


def _file_blocks(document: Path) -> dict[str, str]:
    """The fenced blocks that name a file: {file name: content}."""
    files: dict[str, str] = {}
    name: str | None = None
    lines: list[str] = []
    for line in document.read_text(encoding="utf-8").splitlines():
        if name is not None:
            if line.startswith("```"):
                files[name] = "\n".join(lines) + "\n"
                name = None
            else:
                lines.append(line)
            continue
        match = _FILE_RE.match(line)
        if match:
            name, lines = match.group(1), []
    return files


def test_docs_have_examples() -> None:
    assert len(EXAMPLES) >= 10


@pytest.mark.parametrize(("where", "command", "shown", "exit_code"), EXAMPLES,
                         ids=[e[0] for e in EXAMPLES])
def test_example_runs(where: str, command: str, shown: list[str], exit_code: int,
                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # examples that write files write them here
    monkeypatch.setenv("KG_TODAY", DOCS_TODAY)
    _run_example(where, command, shown, exit_code)


@pytest.mark.parametrize("document", WRITING, ids=[d.name for d in WRITING])
def test_writing_examples_run_in_order_on_a_copy(document: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    examples = _examples([document])
    assert examples, f"{document.name} has no examples"
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    for name, content in _file_blocks(document).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KG_DATA", "seeds")
    shipped = {p.name: p.read_bytes() for p in (REPO / "seeds").glob("*.yaml")}
    for where, command, shown, exit_code in examples:
        _run_example(where, command, shown, exit_code)
    assert {p.name: p.read_bytes() for p in (REPO / "seeds").glob("*.yaml")} == shipped


def _run_example(where: str, command: str, shown: list[str], exit_code: int) -> None:
    args = shlex.split(command, comments=True)[1:]
    result = run_cli(*args)
    printed = result.stdout + result.stderr
    assert result.exit_code == exit_code, f"{where}: {command}\n{printed}"
    lines = {line.strip() for line in printed.splitlines()}
    for expected in shown:
        if "…" in expected:
            continue
        assert expected in lines or expected in printed, f"{where}: {expected!r} not printed"


# The ```python blocks of these documents run on the shipped data from the repository's root
# (those of docs/html.md and docs/property-graphs.md drive a browser and a FalkorDB server:
# tests/test_html.py and tests/test_export_cypher.py run the same code against real ones).
PYTHON_DOCUMENTS = [REPO / "README.md", REPO / "docs" / "queries.md", REPO / "docs" / "analysis.md",
                    REPO / "docs" / "exports.md"]


def _python_blocks() -> list[tuple[str, str]]:
    blocks = []
    for document in PYTHON_DOCUMENTS:
        lines = document.read_text(encoding="utf-8").splitlines()
        start = None
        for number, line in enumerate(lines, 1):
            if start is None and line.strip() == "```python":
                start = number
            elif start is not None and line.startswith("```"):
                blocks.append((f"{document.relative_to(REPO)}:{start}", "\n".join(lines[start:number - 1])))
                start = None
    return blocks


@pytest.mark.parametrize(("where", "code"), _python_blocks(), ids=[w for w, _ in _python_blocks()])
def test_python_example_runs(where: str, code: str) -> None:
    import os
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "KG_TODAY": DOCS_TODAY})
    assert done.returncode == 0, f"{where}: {done.stderr[-2000:]}"
