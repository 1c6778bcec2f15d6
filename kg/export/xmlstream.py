"""XML documents written a few elements at a time, byte for byte as ElementTree writes the whole.

The networkx writers (GraphML, GEXF) build one tree of the whole graph. Here
the shell of the document (declarations, keys or attribute lists, the
containers) is built and written by ElementTree with a placeholder where the
nodes or edges go, and each node and edge element is written by ElementTree
on its own and put in its place, with the indentation the whole tree would
have given it. Escaping is ElementTree's in both, so the bytes are the same.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from xml.etree.ElementTree import Element, ElementTree, tostring

from kg.util.xmltext import keep_carriage_returns

__all__ = ["PLACEHOLDER", "placeholder", "shell", "elements_text"]

PLACEHOLDER = "kg-stream-placeholder"
_SPLIT = re.compile(rb"<kg-stream-placeholder[^>]*/>")


def placeholder(**attributes: str) -> Element:
    """The element that stands where a run of elements goes (its attributes may use a namespace,
    so that the document declares it)."""
    return Element(PLACEHOLDER, attributes)


def shell(root: Element, indent: Callable[[Element], None]) -> list[bytes]:
    """The document ``root`` as ElementTree writes it (UTF-8, with the declaration), cut at
    each placeholder: n placeholders give n + 1 pieces."""
    indent(root)
    buffer = io.BytesIO()
    ElementTree(root).write(buffer, encoding="utf-8", xml_declaration=True)
    return _SPLIT.split(keep_carriage_returns(buffer.getvalue().rstrip(b"\n") + b"\n"))


def elements_text(elements: Iterable[Element], level: int, indent: Callable[[Element, int], None],
                  batch: int = 500) -> Iterator[bytes]:
    """Elements at depth ``level``, each indented as in the whole tree, separated as there."""
    separator = "\n" + "  " * level
    out: list[str] = []
    first = True
    for element in elements:
        indent(element, level)
        element.tail = None
        text = tostring(element, encoding="unicode")
        out.append(text if first else separator + text)
        first = False
        if len(out) >= batch:
            yield keep_carriage_returns("".join(out).encode("utf-8"))
            out = []
    if out:
        yield keep_carriage_returns("".join(out).encode("utf-8"))


def local_names(element: Element, namespaces: dict[str, str]) -> Element:
    """``element`` with tags in ``namespaces`` (uri -> prefix) written as ``prefix:name``, so that
    ElementTree, writing the element alone, does not declare the namespace again on it."""
    for node in element.iter():
        tag: Any = node.tag
        if tag.startswith("{"):
            uri, _, name = tag[1:].partition("}")
            if uri in namespaces:
                node.tag = f"{namespaces[uri]}:{name}"
    return element
