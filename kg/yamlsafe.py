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
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

MAX_DEPTH = 64

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
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )
    return loader


def _loc(file: str, mark: Any) -> Loc:
    return Loc(file, mark.line + 1, mark.column + 1)


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
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlError(loc, f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:
        raise YamlError(Loc(file, 1, 1), f"YAML error: {exc}") from None
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
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value  # an explicit !!timestamp stays a string too
        if node.tag not in _SCALAR_TAGS:
            raise self._bad_tag(node, loc)
        if node.tag == _STR:
            return node.value
        return self.loader.construct_object(node, deep=True)

    @staticmethod
    def _bad_tag(node: Any, loc: Loc) -> YamlError:
        return YamlError(
            loc,
            f"unsupported YAML tag {node.tag!r}",
            "only plain mappings, lists, strings, numbers, booleans and null are allowed;"
            " tags are never executed",
        )


def read_file(path: str | os.PathLike[str], display: str, max_bytes: int = 10_000_000) -> Any:
    """Read and parse one YAML file; returns None when it holds no document.

    Raises YamlError for an unreadable, oversized, non-UTF-8 or tab-indented
    file and for anything ``parse`` refuses.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise YamlError(Loc(display, 1, 1), f"cannot read the file: {exc.strerror}") from None
    if len(data) > max_bytes:
        raise YamlError(Loc(display, 1, 1), f"file larger than {max_bytes} bytes")
    return parse_bytes(data, display)


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
    for number, line_text in enumerate(text.splitlines(), start=1):
        indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
        if "\t" in indent:
            raise YamlError(
                Loc(display, number, indent.index("\t") + 1),
                "tab character in indentation",
                "YAML is indented with spaces only",
            )
    return parse(text, display)
