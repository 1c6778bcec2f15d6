"""Text from outside (a server's answer, a query's result values, the data) made safe to print.

A terminal acts on some characters instead of showing them: ``ESC`` starts
sequences that move the cursor, recolour, set the window title or (in some
terminals) write files; ``\\r`` returns to the start of the line and so hides
what was printed before it; C1 controls (U+0080 … U+009F) are read as ``ESC``
sequences by some terminals; bidi overrides reorder what follows them.
``terminal_text`` shows each of them as a visible escape (``\\x1b``,
``\\r``, ``\\u202e``) and keeps line feeds and tabs; ``terminal_line`` also
escapes line breaks, for messages that must stay one line.

Every command that prints outside text to a terminal passes it through one of
these (``kg.cli`` wraps standard output and standard error when they are a
terminal; a progress bar draws on the wrapped stream itself); output to a
file or a pipe is left byte for byte as it is.
"""

from __future__ import annotations

import re
from typing import IO, Any

# C0 controls but tab and line feed, DEL, C1 controls, and the bidi controls that reorder text.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_OR_BREAK = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                              "\u2028\u2029]")
_NAMED = {"\r": "\\r", "\n": "\\n", "\t": "\\t", "\x1b": "\\x1b"}


def _shown(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(text: str) -> str:
    """``text`` with every character a terminal would act on shown as an escape; line feeds
    and tabs stay."""
    return _UNSAFE.sub(_shown, text)


def terminal_line(text: str) -> str:
    """``text`` as one safe line: like ``terminal_text``, with line breaks and tabs escaped too."""
    return _UNSAFE_OR_BREAK.sub(_shown, text)


def first_line(data: bytes | str, limit: int = 200) -> str:
    """The first non-empty line of a server's answer, decoded leniently, made safe and cut
    to ``limit`` characters (for one-line error messages)."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    text = text.strip()
    line = text.splitlines()[0].strip() if text else ""
    line = terminal_line(line)
    return line if len(line) <= limit else line[:limit - 1] + "…"


class SafeStream:
    """A text stream that passes everything written through ``terminal_text`` (for standard
    output when it is a terminal); everything else is the wrapped stream's."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    @property
    def raw_stream(self) -> IO[str]:
        """The wrapped stream, for what draws on the terminal itself (a progress bar)."""
        return self._stream

    def write(self, text: str) -> int:
        self._stream.write(terminal_text(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
