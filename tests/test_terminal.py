"""kg.util.terminal: outside text shown, never acted on, by a terminal."""

from __future__ import annotations

import io

from kg.util.terminal import SafeStream, first_line, terminal_line, terminal_text


def test_escapes_and_controls_are_shown() -> None:
    hostile = "a\x1b]0;title\x07b\rc\x9b31md\u202ee\x00f\tg\nh"
    assert terminal_text(hostile) == "a\\x1b]0;title\\x07b\\rc\\x9b31md\\u202ee\\x00f\tg\nh"
    assert terminal_line(hostile) == "a\\x1b]0;title\\x07b\\rc\\x9b31md\\u202ee\\x00f\\tg\\nh"
    assert terminal_text("名前 · café — ok") == "名前 · café — ok"


def test_first_line_of_an_answer() -> None:
    assert first_line(b"\n  bad \x1b[2J thing\nsecond") == "bad \\x1b[2J thing"
    assert first_line(b"\xff\xfe oops") == "\ufffd\ufffd oops"
    assert len(first_line("x" * 500)) == 200


def test_safe_stream_writes_what_a_terminal_shows() -> None:
    out = io.StringIO()
    stream = SafeStream(out)
    stream.write("value \x1b[31mred\r\n")
    assert out.getvalue() == "value \\x1b[31mred\\r\n"
    assert stream.getvalue() == out.getvalue()  # everything else is the wrapped stream's
