"""kg.util.xmltext: what XML 1.0 can carry, escaped; what it cannot, refused."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from kg.errors import KgError
from kg.util.xmltext import check, escape_attribute, escape_text, keep_carriage_returns


@pytest.mark.parametrize("text", ["a\rb", "<&>", "\t\n\r", "\x85\u2028", "]]>", "😀", '"\'', ""])
def test_escaped_text_and_attributes_parse_back_exactly(text: str) -> None:
    document = f"<a b={escape_attribute(text)}>{escape_text(text)}</a>"
    element = ET.fromstring(document)
    assert (element.text or "", element.get("b")) == (text, text)


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x0b", "\x0c", "\x1f", "\ufffe", "\uffff", "\ud800"])
def test_characters_xml_cannot_carry_are_refused(char: str) -> None:
    with pytest.raises(KgError, match=r"U\+[0-9A-F]{4}.*XML 1.0 cannot carry; nothing was written"):
        check(f"a{char}b", "the label")
    with pytest.raises(KgError):
        escape_text(char)


def test_keep_carriage_returns_of_an_elementtree_document() -> None:
    element = ET.Element("a", b="x\ry")
    element.text = "p\rq"
    document = keep_carriage_returns(ET.tostring(element))
    parsed = ET.fromstring(document)
    assert (parsed.text, parsed.get("b")) == ("p\rq", "x\ry")
