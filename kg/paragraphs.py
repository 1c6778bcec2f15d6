"""A source's text as paragraphs, and the paragraphs a locator names.

The one place that knows how a text is cut into paragraphs and how a locator
("§01, para 3-4", "intro, para 2", "§ <heading>, para 1", "front matter")
points into it; ``kg.coverage`` only asks these questions:

- ``find_text(source, folder)``: the curator's copy of the source's text;
- ``paragraphs(text)``: its paragraphs, each with the section and number a
  locator uses;
- ``cited(locator, paragraphs)``: the paragraphs a locator names.

Sections: the text before the first heading is ``intro``; a Markdown heading
(``### title``) starts ``§ title``; a line that is a number, alone or before a
title (``01``, ``01 title``), starts ``§01``; a YAML front-matter block on top
is ``front matter``. A text with Markdown headings counts blocks between
blank lines as paragraphs; any other text every non-empty line after its
first (the title). Image placeholders (``![…](…)``) are not paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_BYTES = 10_000_000
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
_NUMBER_HEADING = re.compile(r"^(\d{1,3})(?:\s+\S.*)?$")
_IMAGE = re.compile(r"^!\[[^\]]*\]\([^)]*\)$")
_LOCATOR = re.compile(r"^(?P<section>.+?),\s*paras?\s+(?P<numbers>[\d\s,\-–]+)$")


@dataclass(frozen=True)
class Paragraph:
    section: str  # as locators name it: "intro", "§01", "§ heading", "front matter"
    number: int  # 1-based within the section
    line: int  # 1-based line of the text where it starts
    text: str

    @property
    def locator(self) -> str:
        return self.section if self.section == "front matter" else f"{self.section}, para {self.number}"


def find_text(source: Any, folder: Path) -> Path | None:
    """The file of ``folder`` that holds the source's text, if the curator has it."""
    name = getattr(source, "file", None)
    if not name:
        return None
    path = folder / name
    return path if path.is_file() else None


def read_text(path: Path) -> str:
    data = path.read_bytes()[:MAX_BYTES]
    return data.decode("utf-8-sig", errors="replace")


def paragraphs(text: str) -> list[Paragraph]:
    """The paragraphs of a text, in order."""
    lines = text.splitlines()
    found: list[Paragraph] = []
    start = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            found.append(Paragraph("front matter", 1, 1, "\n".join(lines[1:end])))
            start = end + 1
    blocks = any(_MARKDOWN_HEADING.match(line.strip()) for line in lines[start:])
    section, number = "intro", 0
    current: list[str] = []
    current_line = 0

    def close() -> None:
        nonlocal number, current
        if current:
            number += 1
            found.append(Paragraph(section, number, current_line, "\n".join(current)))
            current = []

    titled = blocks  # a text without Markdown headings opens with its title line
    for index in range(start, len(lines)):
        line = lines[index].strip()
        heading = _heading(line, blocks)
        if not titled and line and not _IMAGE.match(line):
            titled = True
            if heading is None:
                continue
        if heading is not None:
            close()
            section, number = heading, 0
            continue
        if not line or _IMAGE.match(line):
            close()
            continue
        if not blocks:
            close()
        if not current:
            current_line = index + 1
        current.append(line)
    close()
    return found


def _heading(line: str, markdown: bool) -> str | None:
    match = _MARKDOWN_HEADING.match(line)
    if match and markdown:
        return "§ " + match.group(1).strip("*_ ")
    match = _NUMBER_HEADING.match(line)
    if match and not markdown:
        return "§" + match.group(1)
    return None


def _same_section(a: str, b: str) -> bool:
    def fold(text: str) -> str:
        return re.sub(r"[\s*_`]", "", text).casefold()

    return fold(a) == fold(b)


def cited(locator: str, found: list[Paragraph]) -> list[Paragraph]:
    """The paragraphs a locator names (none when it names a heading, a caption or no paragraph)."""
    text = locator.strip()
    if text == "front matter":
        return [p for p in found if p.section == "front matter"]
    match = _LOCATOR.match(text)
    if not match:
        return []
    numbers: set[int] = set()
    for part in re.split(r"\s*,\s*", match.group("numbers").strip(" ,")):
        low, _dash, high = part.replace("–", "-").partition("-")
        if not low.strip().isdigit() or (high and not high.strip().isdigit()):
            return []
        numbers.update(range(int(low), int(high or low) + 1))
    section = match.group("section")
    return [p for p in found if p.number in numbers and _same_section(p.section, section)]
