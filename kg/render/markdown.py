"""Text from the data made inert in Markdown: the one escape every Markdown output uses."""

from __future__ import annotations

__all__ = ["escape"]

# Everything that could start emphasis, code, a heading, a table cell, HTML or a link.
_MARKUP = ("\\", "*", "_", "`", "<", ">", "#", "|")


def escape(text: str) -> str:
    """Markup characters escaped and whitespace folded, so no emphasis, heading, table cell,
    HTML or link can be formed; safe inside a table cell too."""
    text = " ".join(text.split())
    for ch in _MARKUP:
        text = text.replace(ch, "\\" + ch)
    return text.replace("](", "]\\(")
