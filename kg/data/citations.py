"""Checking citations against the source texts a curator has (``kg check-citations``).

The texts are not part of the repository. A source names its text in the
registry with ``text:`` (``kg.data.model.TextSpec``): the SHA-256 digest of the
file, or a file-name pattern, and how paragraphs are counted. Every locator
citing such a source is parsed (the grammar below) and resolved against the
text: the section must exist and every paragraph named must be in it.

Locator grammar (seeds/README.md shows examples)::

    locator  = "front matter"
             | section " heading"
             | section ", para " spans
             | section ", image caption after para " N
             | "para " spans                         (a web page: counted from the top)
    section  = "intro" | "§ " heading-text | "§" token
    spans    = span { ", " span }        span = N | N "-" M

A citation may also carry a key phrase (``phrase``): a few consecutive words
of the place cited, in the source's language, that a reader searches for to
find the statement. It is a locator, not a quotation: ``phrase_problem``
keeps it short, ``text_fragment_url`` turns it into a W3C text-fragment link
(``#:~:text=``), and the check below reports a cited paragraph that does not
contain it.

A text is read as: an optional front-matter block between two ``---`` lines
on top; headings, which are Markdown headings (``### Title``, named by
their text: ``§ Title``) or lines that are a number of one or two digits,
alone or followed by a title (``01 Title``, named by the number: ``§01``);
"intro" for what stands before the first heading. Under each heading the
paragraphs are the blocks between blank lines (``paragraphs: blocks``),
every non-empty line (``paragraphs: lines``), or every non-empty line that
ends a sentence (``paragraphs: sentence-lines``: its last character, before
any closing quotes or brackets, is one of 。！？.!?…), so that banners,
bylines, titles set on their own lines and image captions, which end
without one, are not counted. Image placeholders (``![…](…)``) and a line
that is the source's title are never paragraphs. A locator without a
section ("para 3") counts every paragraph from the top of the text, title
and headings included, as a reader of a web page does.
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from kg.data.model import Dataset, Source, SourceRef
from kg.errors import KgError

__all__ = [
    "check_citations", "CitationProblem", "CitationReport", "find_texts", "Locator", "LocatorError",
    "MAX_TEXT_BYTES", "SourceCheck", "Text"
]

_IMAGE_RE = re.compile(r"^!\[[^\]]*\]\([^)]*\)\Z")
_MARKDOWN_HEADING_RE = re.compile(r"^#{1,6}\s+(.+?)\s*#*\Z")
_NUMBERED_HEADING_RE = re.compile(r"^(\d{1,2})(?:\s+\S.*)?\Z")
_SECTION = r"(?P<section>intro|§ .+|§\S+)"
_SPANS = r"(?P<spans>\d+(?:-\d+)?(?:, \d+(?:-\d+)?)*)"
_LOCATOR_RES = {
    "front-matter": re.compile(r"^front matter\Z"),
    "heading": re.compile(rf"^{_SECTION} heading\Z"),
    "caption": re.compile(rf"^{_SECTION}, image caption after para (?P<spans>\d+)\Z"),
    "paragraphs": re.compile(rf"^{_SECTION}, para {_SPANS}\Z"),
    "page": re.compile(rf"^para {_SPANS}\Z"),
}
# A line ends a sentence: sentence punctuation, then any closing quotes or brackets.
_SENTENCE_END_RE = re.compile(r"[。！？.!?…][”’」』\"')）)\]]*\Z")
# A key phrase is a few words: at most this many (a run of CJK characters counts one word per
# two characters, the length of a typical Chinese word), and at least MIN_PHRASE_WORDS.
MAX_PHRASE_WORDS = 8
MIN_PHRASE_WORDS = 2
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
MAX_TEXT_BYTES = 16 * 1024 * 1024  # a source text larger than this is refused, not read


class LocatorError(ValueError):
    """A locator that does not follow the grammar."""


@dataclass(frozen=True)
class Locator:
    """A parsed locator: what it points at, in which section, which paragraphs."""

    kind: str  # front-matter | heading | caption | paragraphs | page
    section: str | None = None  # "intro", a heading's text, or a heading's number (None: page)
    paragraphs: tuple[int, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Locator:
        for kind, pattern in _LOCATOR_RES.items():
            match = pattern.match(text.strip())
            if match is None:
                continue
            if kind == "front-matter":
                return cls(kind)
            raw = match.groupdict().get("section")
            section = None if raw is None else "intro" if raw == "intro" else raw[1:].strip()
            paragraphs: list[int] = []
            for span in (match.groupdict().get("spans") or "").split(", "):
                if not span:
                    continue
                low, _, high = span.partition("-")
                first, last = int(low), int(high or low)
                if first < 1 or last < first:
                    raise LocatorError(f"{span!r} is no paragraph span (N or N-M, from 1)")
                paragraphs.extend(range(first, last + 1))
            return cls(kind, section, tuple(paragraphs))
        raise LocatorError("does not follow the locator grammar (e.g. '§01, para 3', "
                           "'intro, para 2-3', '§ Heading, para 1', 'front matter', 'para 4')")


def phrase_words(phrase: str) -> int:
    """How many words a key phrase has: whitespace-separated words, where a run of CJK
    characters counts one word per two characters (rounded up)."""
    count = 0
    for token in phrase.split():
        runs = _CJK_RE.findall(token)
        rest = _CJK_RE.sub(" ", token).split()
        count += len(rest) + sum((len(run) + 1) // 2 for run in runs)
    return count


def phrase_problem(phrase: str) -> str | None:
    """Why a key phrase is no good locator (too long, too short, several lines), or None."""
    if phrase != phrase.strip() or "\n" in phrase or "\r" in phrase:
        return "must be one line without leading or trailing spaces"
    words = phrase_words(phrase)
    if words > MAX_PHRASE_WORDS:
        return (f"has {words} words: a key phrase is a locator of at most {MAX_PHRASE_WORDS} words "
                "(CJK: two characters a word), not a quotation")
    if words < MIN_PHRASE_WORDS:
        return f"has {words} word: give at least {MIN_PHRASE_WORDS}, enough to find the statement"
    return None


def text_fragment_url(url: str, phrase: str) -> str:
    """The address that opens ``url`` with ``phrase`` highlighted: a W3C text-fragment link
    (``#:~:text=``). The phrase is percent-encoded as UTF-8, including the characters the
    text directive reserves (``&``, ``-``, ``,``), which plain URL encoding leaves alone."""
    encoded = quote(phrase, safe="").replace("-", "%2D")
    base = url if "#" in url else url + "#"
    return f"{base}:~:text={encoded}"


def _folded(text: str) -> str:
    """Text as a browser's find compares it: compatibility forms, case and spaces folded."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass
class Text:
    """A source text split into sections of paragraphs, and its paragraphs from the top."""

    front_matter: bool
    sections: dict[str, list[str]]
    # Every paragraph from the top, title and headings included ("para N" without a section).
    page: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, content: str, paragraphs: str = "blocks", title: str | None = None) -> Text:
        lines = content.splitlines()
        front_matter = False
        if lines and lines[0].strip() == "---":
            closing = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"),
                           None)
            if closing is not None:
                front_matter = True
                lines = lines[closing + 1:]
        sections: dict[str, list[str]] = {"intro": []}
        current = "intro"
        block: list[str] = []
        page: list[str] = []
        page_block: list[str] = []
        by_line = paragraphs in ("lines", "sentence-lines")

        def close_block() -> None:
            if block:
                sections[current].append(" ".join(block))
                block.clear()

        def close_page_block() -> None:
            if page_block:
                page.append(" ".join(page_block))
                page_block.clear()

        for raw in lines:
            line = raw.strip()
            if not line:
                close_block()
                close_page_block()
                continue
            page_block.append(line)
            if by_line:
                close_page_block()
            heading = _heading(line)
            if heading is not None:
                close_block()
                current = heading
                sections.setdefault(current, [])
                continue
            if _IMAGE_RE.match(line) or (title is not None and line == title.strip()):
                continue
            if paragraphs == "sentence-lines" and not _SENTENCE_END_RE.search(line):
                continue  # a banner, byline, title line or caption
            block.append(line)
            if by_line:
                close_block()
        close_block()
        close_page_block()
        return cls(front_matter, sections, page)

    def cited(self, locator: Locator) -> list[str]:
        """The paragraphs a locator names that the text has (none for the front matter, a
        heading or a caption, which are not paragraphs)."""
        if locator.kind == "page":
            found = self.page
        elif locator.kind == "paragraphs" and locator.section is not None:
            found = self.sections.get(locator.section, [])
        else:
            return []
        return [found[n - 1] for n in locator.paragraphs if 0 < n <= len(found)]

    def phrase_problem(self, locator: Locator, phrase: str) -> str | None:
        """None when a cited paragraph contains the key phrase, else what is wrong: where the
        phrase is (a miscounted paragraph), or that the text does not contain it at all."""
        cited = self.cited(locator)
        if not cited:
            return None  # nothing to search: the locator's own problem is reported
        wanted = _folded(phrase)
        if any(wanted in _folded(p) for p in cited):
            return None
        if locator.kind == "page":
            elsewhere = [n for n, p in enumerate(self.page, 1) if wanted in _folded(p)]
            where = [f"para {n}" for n in elsewhere]
        else:
            where = [f"{_section_name(k)}, para {n}" for k, paragraphs in self.sections.items()
                     for n, p in enumerate(paragraphs, 1) if wanted in _folded(p)]
        shown = "para " + ", ".join(str(n) for n in locator.paragraphs)
        if where:
            return f"the phrase {phrase!r} is not in {shown} but in {'; '.join(where[:3])}"
        return f"the phrase {phrase!r} is nowhere in the text"

    def resolve(self, locator: Locator) -> str | None:
        """None when the locator points at something in the text, else why not."""
        if locator.kind == "front-matter":
            return None if self.front_matter else "the text has no front matter"
        if locator.kind == "page":
            beyond = [n for n in locator.paragraphs if n > len(self.page)]
            if beyond:
                return f"para {beyond[0]} is beyond the {len(self.page)} paragraphs of the text"
            return None
        assert locator.section is not None
        shown = _section_name(locator.section)
        found = self.sections.get(locator.section)
        if found is None or (locator.section == "intro" and not found):
            known = [_section_name(k) for k, v in self.sections.items() if k != "intro" or v]
            return f"no section {shown} in the text (it has: {', '.join(known) or 'none'})"
        beyond = [n for n in locator.paragraphs if n > len(found)]
        if beyond:
            count = len(found)
            return (f"para {beyond[0]} is beyond the {count} paragraph{'s' if count != 1 else ''} "
                    f"of {shown}")
        return None


def _section_name(key: str) -> str:
    """How a locator names a section: ``intro``, ``§01`` or ``§ Heading text``."""
    if key == "intro":
        return key
    return f"§{key}" if key.isdigit() else f"§ {key}"


def _heading(line: str) -> str | None:
    markdown = _MARKDOWN_HEADING_RE.match(line)
    if markdown:
        return markdown.group(1).strip()
    numbered = _NUMBERED_HEADING_RE.match(line)
    if numbered:
        return numbered.group(1)
    return None


@dataclass(frozen=True)
class CitationProblem:
    ref: SourceRef
    record: str
    message: str

    def __str__(self) -> str:
        return f"{self.ref.loc}: {self.record} cites {self.ref.source} at {self.ref.locator!r}: " \
               f"{self.message}"

    def to_json(self) -> dict[str, Any]:
        return {"file": self.ref.loc.file, "line": self.ref.loc.line,
                "column": self.ref.loc.column, "record": self.record, "source": self.ref.source,
                "locator": self.ref.locator, "message": self.message}


@dataclass
class SourceCheck:
    """One source: the text found for it (if any) and how many citations were checked."""

    source: Source
    text: Path | None = None
    citations: int = 0
    reason: str | None = None  # why it was not checked

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source.id, "text": self.text.name if self.text else None,
                "citations": self.citations, "checked": self.text is not None,
                "reason": self.reason}


@dataclass
class CitationReport:
    sources: list[SourceCheck] = field(default_factory=list)
    problems: list[CitationProblem] = field(default_factory=list)

    @property
    def checked(self) -> int:
        return sum(s.citations for s in self.sources if s.text is not None)

    def to_json(self) -> dict[str, Any]:
        return {"checked": self.checked, "problems": [p.to_json() for p in self.problems],
                "sources": [s.to_json() for s in self.sources]}


def find_texts(dataset: Dataset, folder: Path) -> dict[str, SourceCheck]:
    """Source id -> the text file its ``text:`` names in ``folder`` (files directly in it)."""
    try:
        files = sorted(p for p in folder.iterdir() if p.is_file())
    except OSError as exc:
        raise KgError(f"cannot read the folder {folder}: {exc.strerror}") from None
    digests: dict[str, Path] | None = None
    found: dict[str, SourceCheck] = {}
    for source in sorted(dataset.sources.values(), key=lambda s: s.id):
        check = found[source.id] = SourceCheck(source)
        spec = source.text
        if spec is None:
            check.reason = "no text: in the registry"
            continue
        if spec.sha256 is None and spec.file is None:
            check.reason = "text: says how paragraphs are counted but names no file"
            continue
        if spec.sha256 is not None:
            if digests is None:
                digests = {_digest(p): p for p in files}
            check.text = digests.get(spec.sha256)
            if check.text is None:
                check.reason = f"no file in {folder} has the SHA-256 digest {spec.sha256[:12]}…"
        else:
            assert spec.file is not None
            matches = [p for p in files if fnmatch.fnmatchcase(p.name, spec.file)]
            if len(matches) == 1:
                check.text = matches[0]
            else:
                check.reason = (f"no file in {folder} matches {spec.file!r}" if not matches else
                                f"{len(matches)} files match {spec.file!r}: "
                                + ", ".join(p.name for p in matches))
    return found


def _digest(path: Path) -> str:
    if path.stat().st_size > MAX_TEXT_BYTES:
        return ""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_citations(dataset: Dataset, folder: str | Path) -> CitationReport:
    """Every locator citing a source whose text is in ``folder``, resolved against that text.

    Raises KgError when the folder cannot be read.
    """
    folder = Path(folder)
    checks = find_texts(dataset, folder)
    report = CitationReport(sources=list(checks.values()))
    texts: dict[str, Text] = {}
    for check in report.sources:
        if check.text is None:
            continue
        if check.text.stat().st_size > MAX_TEXT_BYTES:
            check.reason, check.text = f"{check.text.name} is larger than 16 MiB", None
            continue
        try:
            content = check.text.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            check.reason, check.text = f"{check.text.name} is not UTF-8 text", None
            continue
        spec = check.source.text
        assert spec is not None
        texts[check.source.id] = Text.parse(content, spec.paragraphs, check.source.title)
    records = [*dataset.facts, *dataset.figures]
    for record in records:
        for ref in record.sources:
            text = texts.get(ref.source)
            if text is None:
                continue
            checks[ref.source].citations += 1
            try:
                locator = Locator.parse(ref.locator)
                message = text.resolve(locator)
                if message is None and ref.phrase is not None:
                    message = text.phrase_problem(locator, ref.phrase)
            except LocatorError as exc:
                message = str(exc)
            if message is not None:
                report.problems.append(CitationProblem(ref, record.id, message))
    report.problems.sort(key=lambda p: (p.ref.loc.file, p.ref.loc.line, p.ref.loc.column))
    return report
