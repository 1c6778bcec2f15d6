"""Web addresses from the data: checked by a strict parser, and written into Markdown so
that they stay one link and nothing else.

``is_web_url`` takes an absolute ``http://`` or ``https://`` URL (or IRI: letters of
any script are fine) with a host, and refuses everything that could end the URL early
or turn it into markup where it is written: spaces of any kind, controls, ``<``, ``>``,
quotes, backticks, braces, ``|``, ``\\`` and ``^``; a user name or password in it; a
port that is no number from 1 to 65535; a host name with an empty part or one over 63
characters. Matched in full, so a trailing newline is refused too.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

# What no URL here may hold: ASCII controls and space, the characters RFC 3986 excludes
# and quotes (they end an attribute or a Markdown link), C1 controls.
_FORBIDDEN = re.compile(r"[\x00-\x20\x7f-\x9f<>\"'`{}|\\^]")
_HOST_RE = re.compile(r"[^\s/?#@:\[\]]+|\[[0-9A-Fa-f:.]+\]")


def is_web_url(text: object) -> bool:
    """An absolute http(s) URL that is safe to write as a link (see the module's docstring)."""
    if not isinstance(text, str) or _FORBIDDEN.search(text):
        return False
    if any(unicodedata.category(ch) in ("Zs", "Zl", "Zp", "Cf", "Cc", "Cs", "Co", "Cn")
           for ch in text if ord(ch) > 0x7F):
        return False  # no-break and other spaces, bidi and other format characters
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not text.startswith(f"{parts.scheme}://"):
        return False
    if parts.username is not None or parts.password is not None or port == 0:
        return False
    host = parts.netloc.rsplit(":", 1)[0] if port is not None or parts.netloc.endswith(":") \
        else parts.netloc
    if not host or not _HOST_RE.fullmatch(host):
        return False
    if not host.startswith("["):
        labels = host.rstrip(".").split(".")
        if any(not label or len(label if label.isascii() else "xn--" + label.encode(
                "punycode").decode("ascii")) > 63 for label in labels):
            return False
    return True


def markdown_link(url: str | None) -> str:
    """``url`` as a Markdown autolink (``<…>``) when it is a safe web URL, else "" (the caller
    shows the text without a link). An autolink ends only at ``>``, a space or a control,
    which ``is_web_url`` refuses, and Markdown reads no markup inside one."""
    return f"<{url}>" if url is not None and is_web_url(url) else ""
