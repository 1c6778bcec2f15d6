"""Source coverage: which paragraphs of each source the facts and figures cite.

For every source whose text the curator has (``kg.paragraphs.find_text``),
the paragraphs cited by at least one fact or figure and those cited by none,
so that a curator sees what is left to read. Locators that name no paragraph
of the text are listed apart (a heading, a caption, or a mistake).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import paragraphs as texts
from kg.errors import KgError
from kg.model import Dataset


@dataclass
class SourceCoverage:
    source: str
    text: str  # the file it was read from
    cited: list[texts.Paragraph] = field(default_factory=list)
    uncited: list[texts.Paragraph] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)  # locators naming no paragraph

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "text": self.text,
                "paragraphs": len(self.cited) + len(self.uncited),
                "cited": [p.locator for p in self.cited],
                "uncited": [p.locator for p in self.uncited],
                "unresolved": list(self.unresolved)}


def source_coverage(source_id: str, text_name: str, found: list[texts.Paragraph],
                    locators: list[str]) -> SourceCoverage:
    """The coverage of one text: its paragraphs and the locators that cite it."""
    cited: set[texts.Paragraph] = set()
    unresolved: list[str] = []
    for locator in locators:
        hits = texts.cited(locator, found)
        cited.update(hits)
        if not hits and locator not in unresolved:
            unresolved.append(locator)
    return SourceCoverage(source_id, text_name, [p for p in found if p in cited],
                          [p for p in found if p not in cited], unresolved)


def coverage(dataset: Dataset, folder: Path) -> list[SourceCoverage]:
    """The coverage of every source whose text is in ``folder``, by source id."""
    if not folder.is_dir():
        raise KgError(f"no folder of texts at {folder}")
    locators: dict[str, list[str]] = {}
    for record in [*dataset.facts, *dataset.figures]:
        for ref in record.sources:
            locators.setdefault(ref.source, []).append(ref.locator)
    result = []
    for source in sorted(dataset.sources.values(), key=lambda s: s.id):
        path = texts.find_text(source, folder)
        if path is None:
            continue
        found = texts.paragraphs(texts.read_text(path))
        result.append(source_coverage(source.id, path.name, found, locators.get(source.id, [])))
    return result


def ranges(found: list[texts.Paragraph]) -> str:
    """Paragraphs as a short list: ``§01, para 1-3, 7; §02, para 2``."""
    parts: list[str] = []
    by_section: dict[str, list[int]] = {}
    for paragraph in found:
        by_section.setdefault(paragraph.section, []).append(paragraph.number)
    for section, numbers in by_section.items():
        if section == "front matter":
            parts.append(section)
            continue
        spans: list[str] = []
        start = previous = numbers[0]
        for number in [*numbers[1:], None]:
            if number is not None and number == previous + 1:
                previous = number
                continue
            spans.append(str(start) if start == previous else f"{start}-{previous}")
            if number is not None:
                start = previous = number
        parts.append(f"{section}, para {', '.join(spans)}")
    return "; ".join(parts)
