"""Safe YAML reading that keeps positions.

PyYAML's C parser composes the node tree; this module turns it into plain
Python values while remembering where every key and value stands, so that
later checks can report ``file:line:column``. Only the core YAML types are
accepted: any other tag (``!!python/object`` and friends) is an error and is
never constructed. Aliases are refused outright (an anchor nobody refers to
is harmless), which also rules out "billion laughs" blow-ups. Dates stay
strings, so that ``2025-10`` and ``2025-10-01`` are read alike, and only
``true``/``false`` are booleans (YAML 1.2), so ``NO`` stays a country code.
"""

from __future__ import annotations

import os
import re
import stat
from functools import lru_cache
from typing import Any, NamedTuple

__all__ = [
    "describe_char", "file_problem", "Loc", "MarkedList", "MarkedMap", "MAX_BYTES", "MAX_DEPTH", "parse",
    "parse_bytes", "read_bytes", "read_file", "uncarriable", "YamlError"
]

MAX_DEPTH = 64
MAX_BYTES = 10_000_000  # a data file larger than this is refused unread

# Characters XML 1.0 cannot carry: C0 controls but tab, LF and CR; lone surrogates; U+FFFE, U+FFFF.
# Every export must be well-formed, so text holding one is refused when it is read.
_UNCARRIABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    _STR,
}


class Loc(NamedTuple):
    """A position in a file; line and column are 1-based.

    A named tuple rather than a dataclass: a large data file has millions of
    them, and tuples are the cheapest immutable, ordered records Python has.
    """

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class YamlError(Exception):
    """A file that is not acceptable YAML."""

    def __init__(self, loc: Loc, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message
        self.hint = hint


class MarkedMap(dict):
    """A mapping that knows where it, its keys and its values stand."""

    loc: Loc
    key_locs: dict[str, Loc]
    value_locs: dict[str, Loc]

    def loc_of(self, key: str) -> Loc:
        return self.value_locs.get(key) or self.key_locs.get(key) or self.loc


class MarkedList(list):
    """A sequence that knows where it and each of its items stand."""

    loc: Loc
    item_locs: list[Loc]

    def loc_of(self, index: int) -> Loc:
        return self.item_locs[index] if index < len(self.item_locs) else self.loc


@lru_cache(maxsize=1)
def _loader_class() -> type:
    """The safe loader without the timestamp resolver and with YAML 1.2 booleans.

    Built on first use, so that importing this module (for ``Loc`` and the
    marked containers) does not import PyYAML: a dataset read from the cache
    never needs it.
    """
    import yaml

    try:  # the C parser is much faster; the pure-Python one behaves the same
        base = yaml.CSafeLoader
    except AttributeError:  # pragma: no cover - depends on how PyYAML was built
        base = yaml.SafeLoader
    loader = type("_Loader", (base,), {})
    loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers
                if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    # Booleans as in YAML 1.2: only true / false, so that `country: NO` (Norway)
    # or `on` stay strings instead of becoming booleans as in YAML 1.1.
    loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)\Z"),
        list("tTfF"),
    )
    loader.resolve = _fast_resolve(loader)
    return loader


def _fast_resolve(loader: type) -> Any:
    """PyYAML's ``resolve`` (the tag of each node, asked by the C composer for every
    scalar) with its tables joined once: the same answers without a list built per call.
    No path resolvers are registered, so only the implicit ones and the defaults apply."""
    import yaml

    resolvers = loader.yaml_implicit_resolvers
    wildcard = list(resolvers.get(None, []))
    table = {first: list(found) + wildcard for first, found in resolvers.items() if first is not None}
    scalar, sequence = yaml.ScalarNode, yaml.SequenceNode
    scalar_tag, sequence_tag, mapping_tag = (loader.DEFAULT_SCALAR_TAG, loader.DEFAULT_SEQUENCE_TAG,
                                             loader.DEFAULT_MAPPING_TAG)
    assert not loader.yaml_path_resolvers

    def resolve(self: Any, kind: type, value: str, implicit: Any) -> str:
        if kind is scalar:
            if implicit[0]:
                for tag, regexp in table.get(value[:1], wildcard):
                    if regexp.match(value):
                        return tag
            return scalar_tag
        return sequence_tag if kind is sequence else mapping_tag

    return resolve


def _loc(file: str, mark: Any) -> Loc:
    return Loc(file, mark.line + 1, mark.column + 1)


# What YAML counts as a line break (its positions count lines by these).
_YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _offset_loc(text: str, file: str, offset: int) -> Loc:
    """The line and column of a character offset, counting lines as YAML does."""
    offset = max(0, min(offset, len(text)))
    line, line_start = 1, 0
    for found in _YAML_BREAK.finditer(text, 0, offset):
        line, line_start = line + 1, found.end()
    return Loc(file, line, offset - line_start + 1)


def uncarriable(text: str) -> str | None:
    """The first character of ``text`` that XML 1.0 (and so some export) cannot carry, or None."""
    found = _UNCARRIABLE.search(text)
    return found.group() if found else None


def describe_char(char: str) -> str:
    """``U+0000`` and the character's name where it has one, for messages."""
    import unicodedata

    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def parse(text: str, file: str) -> Any:
    """Parse one YAML document into MarkedMap / MarkedList / scalars.

    Returns None for a document with no content. Raises YamlError.
    """
    import yaml

    loader = _loader_class()(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = _loc(file, mark) if mark else Loc(file, 1, 1)
        end = _offset_loc(text, file, len(text))
        if (loc.line, loc.column) > (end.line, end.column):  # "end of stream" past the last line
            loc = end
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlError(loc, f"YAML syntax error: {_one_line(problem)}") from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow in a file
        # The C reader counts bytes and the Python one characters: find the character itself.
        found = yaml.reader.Reader.NON_PRINTABLE.search(text)
        if found is None:
            raise YamlError(Loc(file, 1, 1), f"YAML error: {_one_line(exc.reason)}") from None
        char = found.group()
        raise YamlError(_offset_loc(text, file, found.start()),
                        f"YAML does not allow the character {describe_char(char)}",
                        "remove it" if uncarriable(char) else
                        f"remove it, or write it as the escape \\u{ord(char):04X} in a double-quoted string"
                        ) from None
    except yaml.YAMLError as exc:
        raise YamlError(Loc(file, 1, 1), f"YAML error: {_one_line(str(exc))}") from None
    finally:
        loader.dispose()
    if node is None:
        return None
    try:
        return _Converter(file, loader).convert(node, 0)
    except YamlError as exc:
        if exc.message.startswith("YAML anchors"):
            exc.loc = _first_alias(text, file) or exc.loc
        raise


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _first_alias(text: str, file: str) -> Loc | None:
    """Where the first alias (``*name``) stands: a better place to point at than its anchor."""
    import yaml

    for token in yaml.scan(text, Loader=_loader_class()):
        if isinstance(token, yaml.AliasToken):
            return _loc(file, token.start_mark)
    return None


class _Converter:
    def __init__(self, file: str, loader: Any) -> None:
        self.file = file
        self.loader = loader
        self.seen: set[int] = set()
        import yaml

        self.scalar, self.sequence, self.mapping = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode

    def convert(self, node: Any, depth: int) -> Any:
        loc = _loc(self.file, node.start_mark)
        if id(node) in self.seen:
            raise YamlError(
                loc,
                "YAML anchors and aliases are not supported",
                "write the value out where it is used",
            )
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise YamlError(loc, f"nesting deeper than {MAX_DEPTH} levels")
        if isinstance(node, self.scalar):
            return self._scalar(node, loc)
        if isinstance(node, self.sequence):
            if node.tag != "tag:yaml.org,2002:seq":
                raise self._bad_tag(node, loc)
            items = MarkedList()
            items.loc, items.item_locs = loc, []
            for child in node.value:
                items.item_locs.append(_loc(self.file, child.start_mark))
                items.append(self.convert(child, depth + 1))
            return items
        if isinstance(node, self.mapping):
            if node.tag != "tag:yaml.org,2002:map":
                raise self._bad_tag(node, loc)
            mapping = MarkedMap()
            mapping.loc, mapping.key_locs, mapping.value_locs = loc, {}, {}
            for key_node, value_node in node.value:
                key_loc = _loc(self.file, key_node.start_mark)
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise YamlError(key_loc, "YAML merge keys (<<) are not supported",
                                    "write the keys out where they are used")
                key = self.convert(key_node, depth + 1)
                if isinstance(key, (MarkedMap, MarkedList)):
                    raise YamlError(key_loc, "a mapping key must be a plain value")
                key = str(key) if key is not None else "null"
                if key in mapping:
                    first = mapping.key_locs[key]
                    raise YamlError(
                        key_loc,
                        f"duplicate key {key!r}",
                        f"first given at line {first.line}",
                    )
                mapping.key_locs[key] = key_loc
                mapping.value_locs[key] = _loc(self.file, value_node.start_mark)
                mapping[key] = self.convert(value_node, depth + 1)
            return mapping
        raise self._bad_tag(node, loc)  # pragma: no cover - no other node kinds

    def _scalar(self, node: Any, loc: Loc) -> Any:
        bad = uncarriable(node.value)
        if bad is not None:
            raise YamlError(loc, f"text holds the character {describe_char(bad)}, which the "
                            "export formats cannot carry", "remove it")
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value  # an explicit !!timestamp stays a string too
        if node.tag not in _SCALAR_TAGS:
            raise self._bad_tag(node, loc)
        if node.tag == _STR:
            return node.value
        try:
            return self.loader.construct_object(node, deep=True)
        except Exception:  # noqa: BLE001 - PyYAML raises ValueError, KeyError, IndexError … here
            kind = node.tag.rsplit(":", 1)[-1]
            shown = node.value if len(node.value) <= 40 else node.value[:37] + "..."
            why = " (more than 4300 digits)" if kind == "int" and len(node.value) > 4300 else ""
            raise YamlError(loc, f"{shown!r} is not a valid {kind}{why}",
                            "quote it to make it a string" if why else "") from None

    @staticmethod
    def _bad_tag(node: Any, loc: Loc) -> YamlError:
        return YamlError(
            loc,
            f"unsupported YAML tag {node.tag!r}",
            "only plain mappings, lists, strings, numbers, booleans and null are allowed;"
            " tags are never executed",
        )


def file_problem(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> str | None:
    """Why a path cannot be read as a data file (not a regular file, too large), or None.

    Checked before reading, so that a name that is a FIFO, a device such as
    ``/dev/zero`` (through a symlink) or a huge file never hangs or fills memory.
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        return f"cannot read the file: {exc.strerror}"
    if not stat.S_ISREG(info.st_mode):
        kind = ("a folder" if stat.S_ISDIR(info.st_mode) else "a FIFO" if stat.S_ISFIFO(info.st_mode)
                else "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
                else "a socket" if stat.S_ISSOCK(info.st_mode) else "not a file")
        return f"not a regular file ({kind})"
    if info.st_size > max_bytes:
        return f"file larger than {max_bytes} bytes"
    return None


def read_bytes(path: str | os.PathLike[str], display: str, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; raises YamlError otherwise."""
    problem = file_problem(path, max_bytes)
    if problem is not None:
        raise YamlError(Loc(display, 1, 1), problem)
    try:
        # O_NONBLOCK: a file swapped for a FIFO after the check still cannot block the open.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise YamlError(Loc(display, 1, 1), "not a regular file")
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise YamlError(Loc(display, 1, 1), f"cannot read the file: {exc.strerror}") from None
    if len(data) > max_bytes:
        raise YamlError(Loc(display, 1, 1), f"file larger than {max_bytes} bytes")
    return data


def read_file(path: str | os.PathLike[str], display: str, max_bytes: int = MAX_BYTES) -> Any:
    """Read and parse one YAML file; returns None when it holds no document.

    Raises YamlError for an unreadable, oversized, non-UTF-8 or tab-indented
    file, for a path that is not a regular file, and for anything ``parse`` refuses.
    """
    return parse_bytes(read_bytes(path, display, max_bytes), display)


def parse_bytes(data: bytes, display: str) -> Any:
    """Parse the bytes of one YAML file (already read, so that a caller can hash the same
    bytes it parses); raises YamlError as ``read_file`` does."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start:exc.start].decode("utf-8", errors="replace")) + 1
        raise YamlError(
            Loc(display, line, column),
            f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
            "save the file as UTF-8",
        ) from None
    for number, line_text in enumerate(text.split("\n"), start=1):
        indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
        if "\t" in indent:
            raise YamlError(
                Loc(display, number, indent.index("\t") + 1),
                "tab character in indentation",
                "YAML is indented with spaces only",
            )
    return parse(text, display)


class NeedsMarks(Exception):
    """The fast reading met something only the position-keeping one reports well."""


class PlainMap(dict):
    """A mapping read without positions, but for its own start and its ``source:`` value.

    A record's start is where it is declared and a citation's ``source:`` value is
    where ``kg check-citations`` points; every other position is found, when a
    problem needs it, by reading the file again with ``parse``.
    """

    __slots__ = ("line", "column", "source_at")


_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


def parse_plain(text: str) -> Any:
    """Parse one YAML document into plain dicts, lists and scalars, as ``parse`` would.

    The C parser composes the nodes; this walk keeps no positions but each mapping's
    start, so it costs little more than the parser. It accepts only what ``parse``
    accepts without a problem and raises ``NeedsMarks`` on anything else (a syntax
    error, a tag, an alias, a duplicate key, a character no export can carry …):
    the caller then reads the file with ``parse``, which reports it where it stands.
    """
    import yaml

    loader = _loader_class()(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        raise NeedsMarks() from None
    finally:
        loader.dispose()
    if node is None:
        return None
    # Only an escape sequence can make a character the reader let through into one no
    # export can carry (the reader refuses such characters written as they are), and
    # only an alias can make two places one node.
    walk = _PlainWalk(loader, check_text="\\" in text, check_alias="*" in text)
    return walk.convert(node, 0)


class _PlainWalk:
    def __init__(self, loader: Any, check_text: bool, check_alias: bool) -> None:
        import yaml

        self.loader = loader
        self.check_text = check_text
        self.seen: set[int] | None = set() if check_alias else None
        self.scalar, self.sequence = yaml.ScalarNode, yaml.SequenceNode
        self.constructors = loader.yaml_constructors

    def convert(self, node: Any, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise NeedsMarks()
        if self.seen is not None:
            if id(node) in self.seen:
                raise NeedsMarks()
            self.seen.add(id(node))
        kind = node.__class__
        if kind is self.scalar:
            tag = node.tag
            value = node.value
            if self.check_text and _UNCARRIABLE.search(value):
                raise NeedsMarks()
            if tag == _STR:
                return value
            if tag in _SCALAR_TAGS:
                try:
                    return self.constructors[tag](self.loader, node)
                except Exception:  # noqa: BLE001 - ``parse`` says why, where it stands
                    raise NeedsMarks() from None
            raise NeedsMarks()
        if kind is self.sequence:
            if node.tag != _SEQ:
                raise NeedsMarks()
            depth += 1
            return [self.convert(child, depth) for child in node.value]
        if node.tag != _MAP:
            raise NeedsMarks()
        mapping = PlainMap()
        mark = node.start_mark
        mapping.line, mapping.column = mark.line + 1, mark.column + 1
        depth += 1
        pairs = node.value
        scalar = self.scalar
        # A plain string key or value is taken here, without a call (most of them are).
        plain = not self.check_text and self.seen is None and depth <= MAX_DEPTH
        for key_node, value_node in pairs:
            if key_node.__class__ is not scalar:
                raise NeedsMarks()
            if plain and key_node.tag == _STR:
                key = key_node.value
            else:
                key = self.convert(key_node, depth)
                if key_node.tag != _STR:
                    key = str(key) if key is not None else "null"
            if key == "source":
                at = value_node.start_mark
                mapping.source_at = (at.line + 1, at.column + 1)
            if plain and value_node.__class__ is scalar and value_node.tag == _STR:
                mapping[key] = value_node.value
            else:
                mapping[key] = self.convert(value_node, depth)
        if len(mapping) != len(pairs):  # a duplicate key
            raise NeedsMarks()
        return mapping


def parse_bytes_plain(data: bytes) -> Any:
    """``parse_plain`` of a file's bytes; raises NeedsMarks where ``parse_bytes`` would raise."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NeedsMarks() from None
    if "\t" in text and _TAB_INDENT.search(text):
        raise NeedsMarks()
    return parse_plain(text)


_TAB_INDENT = re.compile(r"^[ \t]*\t", re.MULTILINE)
