"""New records as YAML text, in the style of the data files.

ruamel.yaml emits the text (it decides when a string needs quotes); it is
imported only here, so only the commands that write data pay for it. The
style is the one ``seeds/`` uses: the keys in record-spec order, small
mappings and lists on one line (``labels: {en: Kling}``), one line per
citation under ``sources:``, titles and locators in double quotes, long
descriptions and notes folded (``>-``) at 78 columns. The text is parsed back
with the safe reader and must give the record's values again.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import textwrap
from functools import lru_cache
from typing import Any

from kg.curation.layout import QUOTED_FIELDS, string_scalars
from kg.data.load import SPECS
from kg.errors import KgError
from kg.util.yamlsafe import YamlError, parse

__all__ = ["render_record", "WIDTH"]

WIDTH = 78
_FOLDED_FIELDS = {"description", "note"}
_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _styled(key: str, value: Any, indent: int, quoted: set[str]) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString

    if isinstance(value, dict):
        mapping = CommentedMap((k, _styled(k, v, indent, quoted)) for k, v in value.items())
        mapping.fa.set_flow_style()
        return mapping
    if isinstance(value, (list, tuple)):
        items = CommentedSeq(_styled(key, v, indent, quoted) for v in value)
        if key != "sources":  # one citation per line
            items.fa.set_flow_style()
        return items
    if not isinstance(value, str):
        return value
    if _DAY_RE.match(value) and _reads_back(value):
        return dt.date.fromisoformat(value)  # written plain; the safe reader keeps it a string
    if key in QUOTED_FIELDS or value in quoted or not _reads_back(value):
        return DoubleQuotedScalarString(value)
    if key in _FOLDED_FIELDS and indent + len(key) + 2 + len(value) > WIDTH and "\n" not in value:
        folded = FoldedScalarString(value)
        # ruamel folds at the given positions (each a space it turns into a line break).
        lines = textwrap.wrap(value, WIDTH - indent - 2, break_long_words=False,
                              break_on_hyphens=False)
        positions, at = [], 0
        for line in lines[:-1]:
            at += len(line)
            positions.append(at)
            at += 1
        folded.fold_pos = positions
        return folded
    return value


@lru_cache(maxsize=4096)  # an import writes the same ids and names again and again
def _reads_back(value: str) -> bool:
    """Whether the string, written plain, reads back as itself with the safe reader."""
    try:
        return parse(f"- {value}\n", "<value>") == [value]
    except YamlError:
        return False


def render_record(section: str, record: dict[str, Any], indent: int = 2) -> list[str]:
    """The lines of one record as an item of ``section``, its dash at column ``indent``."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    spec = SPECS[section]
    order = {key: index for index, key in enumerate(spec)}
    quoted: set[str] = set()
    for _attempt in range(2):
        body = CommentedMap()
        for key in sorted(record, key=lambda k: order.get(k, len(order))):
            body[key] = _styled(key, record[key], indent + 2, quoted)
        yaml = YAML(typ="rt")
        yaml.indent(mapping=2, sequence=4, offset=2)
        yaml.width = 4096  # lines are broken only where we fold them
        yaml.allow_unicode = True
        out = io.StringIO()
        yaml.dump(CommentedSeq([body]), out)
        # ruamel puts the dash at column 2; move the lines to the file's indentation.
        shift = indent - 2
        lines = [(" " * shift + line if shift >= 0 else line[-shift:]) if line.strip() else ""
                 for line in out.getvalue().splitlines()]
        try:
            back = parse("\n".join(lines) + "\n", "<new record>")
        except YamlError as exc:  # pragma: no cover - the emitter writes valid YAML
            raise KgError(f"the new {section} record cannot be written: {exc.message}") from None
        # Strings are double-quoted where they need quotes: no single quotes (see kg.curation.layout).
        single = {value for _key, value, loc in string_scalars(back)
                  if lines[loc.line - 1][loc.column - 1:loc.column] == "'"}
        if not single:
            break
        quoted |= single
    if back != [record]:
        raise KgError(f"the new {section} record would not read back as written; add it by hand")
    return lines
