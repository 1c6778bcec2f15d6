"""Source coverage: which paragraphs of each source text the facts and figures cite.

For every source whose text the curator has (found as ``kg check-citations``
finds it: by the digest or file-name pattern of its ``text:``), the
paragraphs cited by at least one fact or figure and those cited by none, so
that a curator sees what is left to read. Texts are read and locators
resolved by ``kg.data.citations``; a locator that does not resolve against the
text is listed apart (``kg check-citations`` says why).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.data.citations import MAX_TEXT_BYTES, Locator, LocatorError, Text, find_texts
from kg.data.model import Dataset
from kg.errors import KgError

__all__ = [
    "cited", "coverage", "Paragraph", "paragraphs", "ranges", "section_name", "source_coverage",
    "SourceCoverage"
]


@dataclass(frozen=True, order=True)
class Paragraph:
    """A paragraph of a text, as a locator names it."""

    section: str  # "intro", "§01", "§ Heading", "front matter"; "" on a web page (from the top)
    number: int

    @property
    def locator(self) -> str:
        if self.section == "front matter":
            return self.section
        return f"{self.section}, para {self.number}" if self.section else f"para {self.number}"


@dataclass
class SourceCoverage:
    source: str
    text: str  # the file it was read from
    cited: list[Paragraph] = field(default_factory=list)
    uncited: list[Paragraph] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)  # locators that do not resolve

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "text": self.text,
                "paragraphs": len(self.cited) + len(self.uncited),
                "cited": [p.locator for p in self.cited],
                "uncited": [p.locator for p in self.uncited],
                "unresolved": list(self.unresolved)}


def section_name(key: str) -> str:
    """How a locator names a section of ``Text.sections``: ``intro``, ``§01``, ``§ Heading``."""
    if key == "intro":
        return key
    return f"§{key}" if key.isdigit() else f"§ {key}"


def paragraphs(text: Text, page: bool = False) -> list[Paragraph]:
    """Every paragraph of a text, in order (the front matter counts as one); with ``page``,
    counted from the top as a web page is cited."""
    if page:
        return [Paragraph("", n) for n in range(1, len(text.page) + 1)]
    found = [Paragraph("front matter", 1)] if text.front_matter else []
    for key, items in text.sections.items():
        found += [Paragraph(section_name(key), n) for n in range(1, len(items) + 1)]
    return found


def cited(text: Text, locator: str) -> list[Paragraph] | None:
    """The paragraphs a locator names (none for a heading or a caption), or None when it
    does not resolve against the text."""
    try:
        parsed = Locator.parse(locator)
    except LocatorError:
        return None
    if text.resolve(parsed) is not None:
        return None
    if parsed.kind == "front-matter":
        return [Paragraph("front matter", 1)]
    if parsed.kind == "page":
        return [Paragraph("", n) for n in parsed.paragraphs]
    if parsed.kind != "paragraphs":
        return []
    assert parsed.section is not None
    return [Paragraph(section_name(parsed.section), n) for n in parsed.paragraphs]


def source_coverage(source_id: str, text_name: str, text: Text, locators: list[str],
                    page: bool = False) -> SourceCoverage:
    """The coverage of one text by the locators that cite it (``page``: a web page, whose
    paragraphs are counted from the top)."""
    hits: set[Paragraph] = set()
    unresolved: list[str] = []
    for locator in locators:
        found = cited(text, locator)
        if found is None:
            if locator not in unresolved:
                unresolved.append(locator)
        else:
            hits.update(found)
    every = paragraphs(text, page)
    return SourceCoverage(source_id, text_name, [p for p in every if p in hits],
                          [p for p in every if p not in hits], unresolved)


def coverage(dataset: Dataset, folder: Path) -> list[SourceCoverage]:
    """The coverage of every source whose text is in ``folder``, by source id."""
    if not folder.is_dir():
        raise KgError(f"no folder of texts at {folder}")
    locators: dict[str, list[str]] = {}
    for record in [*dataset.facts, *dataset.figures]:
        for ref in record.sources:
            locators.setdefault(ref.source, []).append(ref.locator)
    result = []
    for source_id, check in sorted(find_texts(dataset, folder).items()):
        path, spec = check.text, check.source.text
        if path is None or spec is None or path.stat().st_size > MAX_TEXT_BYTES:
            continue
        try:
            content = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        text = Text.parse(content, spec.paragraphs, check.source.title)
        result.append(source_coverage(source_id, path.name, text, locators.get(source_id, []),
                                      page=check.source.is_web))
    return result


def ranges(found: list[Paragraph]) -> str:
    """Paragraphs as a short list: ``§01, para 1-3, 7; §02, para 2``."""
    parts: list[str] = []
    by_section: dict[str, list[int]] = {}
    for paragraph in found:
        by_section.setdefault(paragraph.section, []).append(paragraph.number)
    for section, numbers in by_section.items():
        if section == "front matter":
            parts.append(section)
            continue
        prefix = f"{section}, para " if section else "para "
        spans: list[str] = []
        start = previous = numbers[0]
        for number in [*numbers[1:], None]:
            if number is not None and number == previous + 1:
                previous = number
                continue
            spans.append(str(start) if start == previous else f"{start}-{previous}")
            if number is not None:
                start = previous = number
        parts.append(prefix + ", ".join(spans))
    return "; ".join(parts)
