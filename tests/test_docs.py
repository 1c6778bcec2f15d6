"""Every ``$ kg …`` example in the README and docs/ runs on the shipped data.

An example is a line starting with ``$ kg `` inside a ```console block. The
lines after it, up to the next command or the end of the block, are its
shown output: each of them (unless it contains an ellipsis "…") must appear
in what the command prints. A command expected to fail ends with a comment
``# exit N``.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
_EXIT_RE = re.compile(r"#\s*exit\s+(\d+)\s*$")


def _examples() -> list[tuple[str, str, list[str], int]]:
    found = []
    for document in DOCUMENTS:
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


EXAMPLES = _examples()


def test_docs_have_examples() -> None:
    assert len(EXAMPLES) >= 10


@pytest.mark.parametrize(("where", "command", "shown", "exit_code"), EXAMPLES,
                         ids=[e[0] for e in EXAMPLES])
def test_example_runs(where: str, command: str, shown: list[str], exit_code: int,
                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # examples that write files write them here
    args = shlex.split(command, comments=True)[1:]
    result = run_cli(*args)
    printed = result.stdout + result.stderr
    assert result.exit_code == exit_code, f"{where}: {command}\n{printed}"
    lines = {line.strip() for line in printed.splitlines()}
    for expected in shown:
        if "…" in expected:
            continue
        assert expected in lines or expected in printed, f"{where}: {expected!r} not printed"
