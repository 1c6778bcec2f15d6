"""Text in XML exports (RDF/XML, GraphML, GEXF): what XML 1.0 can carry, and how.

XML 1.0 cannot carry NUL, the other C0 controls but tab, line feed and
carriage return, U+FFFE, U+FFFF or a lone surrogate, in any form, escaped or
not. Loading refuses such text at its ``file:line:column``
(``kg.util.yamlsafe``), so data read from files never holds it; ``check`` is the
last guard for datasets built in Python, and refuses before anything is
written. Everything else is carried: ``&``, ``<`` and ``>`` as entities, and
a carriage return as ``&#13;``, since an XML parser turns a raw one into a
line feed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from kg.errors import KgError
from kg.util.yamlsafe import describe_char, uncarriable

__all__ = ["check", "check_all", "check_graph", "escape_attribute", "escape_text", "keep_carriage_returns"]

_TEXT_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_ATTRIBUTE_ESCAPES = {**_TEXT_ESCAPES, '"': "&quot;", "\t": "&#9;", "\n": "&#10;"}
_ATTRIBUTE_SPECIAL = re.compile('[&<>"\t\n\r]')


def check(text: str, what: str = "text") -> str:
    """``text`` itself when XML can carry it; raises KgError naming the character otherwise."""
    bad = uncarriable(text)
    if bad is not None:
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise KgError(f"{what} {shown!r} holds the character {describe_char(bad)}, which XML 1.0 "
                      "cannot carry; nothing was written")
    return text


def check_all(texts: Iterable[object], what: str) -> None:
    """``check`` every string among ``texts`` (other values are left alone)."""
    for text in texts:
        if isinstance(text, str):
            check(text, what)


def check_graph(graph: Any, fmt: str) -> Any:
    """A networkx graph whose node and edge ids and attribute values XML can all carry; else KgError."""
    for node, data in graph.nodes(data=True):
        check_all([node, *data.values()], f"{fmt}: a value of node")
    for *_ends, data in graph.edges(data=True):
        check_all(data.values(), f"{fmt}: a value of edge")
    return graph


def escape_text(text: str) -> str:
    """Element content: ``&``, ``<``, ``>`` and carriage returns escaped; refuses what XML cannot carry."""
    check(text)
    return "".join(_TEXT_ESCAPES.get(char, char) for char in text) if _needs(text) else text


def escape_attribute(text: str) -> str:
    """A double-quoted attribute value, quotes included; tabs and line ends kept as references."""
    check(text)
    if _ATTRIBUTE_SPECIAL.search(text) is None:  # most values: nothing to escape
        return '"' + text + '"'
    return '"' + "".join(_ATTRIBUTE_ESCAPES.get(char, char) for char in text) + '"'


def keep_carriage_returns(document: bytes) -> bytes:
    """A document from a writer that leaves ``\\r`` raw (ElementTree), with each one as ``&#13;``.

    Markup written by those writers never holds a carriage return, so every
    raw one is data: in element content or in an attribute value, ``&#13;``
    is the same character, and it survives parsing.
    """
    return document.replace(b"\r", b"&#13;")


def _needs(text: str) -> bool:
    return any(char in text for char in _TEXT_ESCAPES)
