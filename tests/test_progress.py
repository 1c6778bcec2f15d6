"""Progress bars: drawn on a terminal, silent elsewhere and with --quiet."""

from __future__ import annotations

import io

from conftest import FIXTURES, run_cli

from kg.util.progress import Progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_is_drawn_on_a_terminal_and_ends_with_a_newline() -> None:
    stream = _Terminal()
    progress = Progress(stream=stream, interval=0)
    progress("parse", 5, 10)
    progress("parse", 10, 10)
    text = stream.getvalue()
    assert "\rreading files: [###############...............] 5/10" in text
    assert text.endswith("] 10/10\n")


def test_silent_when_not_a_terminal_or_disabled() -> None:
    plain = io.StringIO()
    Progress(stream=plain)("parse", 1, 2)
    assert plain.getvalue() == ""
    terminal = _Terminal()
    Progress(stream=terminal, enabled=False)("parse", 1, 2)
    assert terminal.getvalue() == ""


def test_redraws_are_throttled() -> None:
    stream = _Terminal()
    progress = Progress(stream=stream, interval=3600)
    for done in range(1, 100):
        progress("compile", done, 100)
    assert stream.getvalue().count("\r") == 1


def test_quiet_is_a_global_option_and_output_stays_clean() -> None:
    result = run_cli("-q", "stats", data=FIXTURES / "query-small")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert run_cli("--quiet", "rank", "--metric", "pagerank", data=FIXTURES / "query-small").exit_code == 0
