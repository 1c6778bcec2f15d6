"""Renderings of a comparison matrix: text sized to a width, Markdown, CSV and an offline HTML page.

JSON is ``Matrix.to_json``. Every rendering shows the same cells; text from
the data is escaped for the format (``|`` in Markdown, quoting in CSV, HTML
entities in the page), never interpreted.
"""

from __future__ import annotations

import csv
import functools
import html
import io
import unicodedata

from kg.analysis.compare import Cell, Evidence, FigureEvidence, Matrix, row_label
from kg.data import phrases
from kg.data.model import Dataset
from kg.render import sources as source_list
from kg.render.markdown import escape as _md

__all__ = [
    "cell_entries", "cell_parts", "cell_text", "display_width", "evidence_text", "LEGEND", "preamble",
    "document_title", "to_csv", "to_html", "to_markdown", "to_text", "wrap"
]

HAS, ABSENT, NOT_RECORDED, SELF = "✓", "✗", "–", "(itself)"
LEGEND = (f"{HAS} has it (date; claims marked; via: through a model or app it integrates) · "
          f"{ABSENT} recorded as absent · {NOT_RECORDED} not recorded")


def evidence_text(dataset: Dataset, evidence: Evidence | FigureEvidence, absent: bool = False) -> str:
    """One fact or figure of a cell: ``✓ [2025-09-30] (claim by X) via Kling 2.0``."""
    if isinstance(evidence, FigureEvidence):
        line = phrases.figure_line(dataset, evidence.figure)
        parts = [line.split(": ", 1)[1]]
    else:
        fact = evidence.fact
        parts = [ABSENT if absent else HAS, phrases.period(fact.since, fact.until)]
        if fact.kind == "claim":
            who = f" by {dataset.label(fact.claimed_by)}" if fact.claimed_by else ""
            parts.append(f"(claim{who})")
    if evidence.via:
        parts.append(f"via {dataset.label(evidence.via)}")
    return " ".join(p for p in parts if p)


def cell_parts(dataset: Dataset, cell: Cell) -> list[str]:
    if cell.state == "self":
        return [SELF]
    # What the entity has itself makes the same thing through a member redundant here
    # (JSON keeps every piece of evidence).
    direct = [e for e in cell.facts if e.via is None]
    parts = [evidence_text(dataset, e) for e in cell.figures]
    parts += [evidence_text(dataset, e) for e in (direct or cell.facts)]
    parts += [evidence_text(dataset, e, absent=True) for e in cell.absences]
    return parts or [NOT_RECORDED]


def cell_text(dataset: Dataset, cell: Cell) -> str:
    return "; ".join(cell_parts(dataset, cell))


def cell_entries(cell: Cell) -> list[tuple[Evidence | FigureEvidence, bool]]:
    """The evidence a cell shows, in order, each with whether it records an absence: figures,
    then the entity's own facts (else those through its members), then absences."""
    direct = [e for e in cell.facts if e.via is None]
    return [*((e, False) for e in cell.figures), *((e, False) for e in (direct or cell.facts)),
            *((e, True) for e in cell.absences)]


def _cited(evidence: Evidence | FigureEvidence, numbers: dict[str, int]) -> list[int]:
    record = evidence.figure if isinstance(evidence, FigureEvidence) else evidence.fact
    return sorted({numbers[ref.source] for ref in record.sources if ref.source in numbers})


def document_title(matrix: Matrix) -> str:
    return "Comparison: " + ", ".join(e.label for e in matrix.entities)


def preamble(matrix: Matrix) -> list[str]:
    """What a reader must know before the table: the day it describes, the day it was made,
    models compared with products, and columns resting on few facts."""
    lines = []
    if matrix.dating is not None:
        lines += [matrix.dating.describes(), matrix.dating.made()]
    elif matrix.as_of:
        lines.append(f"As of {matrix.as_of.isoformat()}.")
    lines += [f"Note: {warning}" for warning in matrix.warnings()]
    if (thin := matrix.thin_text()) is not None:
        lines.append(f"Note: {thin}")
    return lines


# --- text ---------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def _char_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1


def display_width(text: str) -> int:
    """Terminal columns: East Asian wide and full-width characters take two."""
    if text.isascii():  # no ASCII character is wide or combining: one column each
        return len(text)
    return sum(map(_char_width, text))


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns, broken at spaces, or inside a word longer than a line.
    (A text's width is the sum of its characters': each line's is kept as it grows.)"""
    lines: list[str] = []
    current, used = "", 0
    for word in text.split(" "):
        size = display_width(word)
        if current and used + 1 + size <= width:
            current, used = f"{current} {word}", used + 1 + size
            continue
        if not current and size <= width:
            current, used = word, size
            continue
        if current:
            lines.append(current)
        current, used = "", 0
        for ch in word:
            step = _char_width(ch)
            if used + step > width:
                lines.append(current)
                current, used = "", 0
            current, used = current + ch, used + step
    if current or not lines:
        lines.append(current)
    return lines


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def to_text(matrix: Matrix, width: int = 100) -> str:
    """The matrix as an aligned table that fits in ``width`` columns (cells wrap)."""
    data = matrix.dataset
    gap = 2
    count = len(matrix.entities)
    labels = {row.key: row_label(matrix, row) for row in matrix.rows}
    longest = max(display_width(label) for label in labels.values()) + 2
    label_width = max(12, min(longest, width * 3 // 10))
    column_width = max(8, (width - label_width - gap * count) // count)
    out: list[str] = [wrapped for line in preamble(matrix) for wrapped in wrap(line, width)]
    if out:
        out.append("")

    def emit(first: list[str], cells: list[list[str]]) -> None:
        height = max(len(first), *(len(c) for c in cells))
        for i in range(height):
            parts = [_pad(first[i] if i < len(first) else "", label_width)]
            parts += [_pad(c[i] if i < len(c) else "", column_width) for c in cells]
            out.append((" " * gap).join(parts).rstrip())

    emit([""], [wrap(e.label, column_width) for e in matrix.entities])
    for group in matrix.groups:
        out.append(group.label)
        for row in matrix.group_rows(group.id):
            cells = []
            for cell in row.cells:
                lines: list[str] = []
                for part in cell_parts(data, cell):
                    lines.extend(wrap(part, column_width))
                cells.append(lines)
            emit(["  " + line for line in wrap(labels[row.key], label_width - 2)], cells)
        if more := matrix.more_text(group.id):
            out.extend("  " + line for line in wrap(more, width - 2))
    out.extend(wrap(LEGEND, width))
    if cited := len(matrix.citations()):
        out.extend(wrap(f"{cited} source{'s' if cited != 1 else ''} cited: the markdown and html "
                        "formats list them, numbered, with their locators.", width))
    return "\n".join(out) + "\n"


# --- Markdown and CSV ------------------------------------------------------------------------------

def _md_cell(data: Dataset, cell: Cell, numbers: dict[str, int]) -> str:
    if cell.state in ("self", "not-recorded"):
        return _md(cell_text(data, cell))
    return "; ".join(_md(evidence_text(data, evidence, absent))
                     + "".join(f" [{n}]" for n in _cited(evidence, numbers))
                     for evidence, absent in cell_entries(cell))


def to_markdown(matrix: Matrix) -> str:
    """A document: title, the day described and made, warnings, the table with each fact's
    source numbers, the legend and the numbered sources with their locators."""
    data = matrix.dataset
    citations = matrix.citations()
    numbers = {source: number for number, (source, _) in enumerate(citations, 1)}
    lines = [f"# {_md(document_title(matrix))}", ""]
    lines += [_md(line) + "  " for line in preamble(matrix)]
    header = "| | " + " | ".join(_md(e.label) for e in matrix.entities) + " |"
    lines += ["", header, "|---" * (len(matrix.entities) + 1) + "|"]
    for group in matrix.groups:
        lines.append(f"| **{_md(group.label)}** |" + " |" * len(matrix.entities))
        for row in matrix.group_rows(group.id):
            cells = " | ".join(_md_cell(data, cell, numbers) for cell in row.cells)
            lines.append(f"| {_md(row_label(matrix, row))} | {cells} |")
        if more := matrix.more_text(group.id):
            lines.append(f"| *{_md(more)}* |" + " |" * len(matrix.entities))
    lines += ["", _md(LEGEND)]
    lines += source_list.markdown_list(data, citations)
    return "\n".join(lines) + "\n"


def to_csv(matrix: Matrix) -> str:
    """One line per row: group, row key, label, then one cell text per entity (headed by its id)."""
    data = matrix.dataset
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["group", "row", "label", *(e.id for e in matrix.entities)])
    for group in matrix.groups:
        for row in matrix.group_rows(group.id):
            writer.writerow([row.group, row.key, row_label(matrix, row),
                             *(cell_text(data, cell) for cell in row.cells)])
        if more := matrix.more_text(group.id):  # row key "more": not a row of the matrix
            writer.writerow([group.id, "more", more, *("" for _ in matrix.entities)])
    return buffer.getvalue()


# --- HTML -------------------------------------------------------------------------------------------

_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; table-layout: fixed; width: 100%; }
thead th:first-child { width: 22%; }
th, td { border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; text-align: left; }
th.group { background: #eee; }
td.has { background: #eaf6ea; } td.absent { background: #fbeaea; } td.self { color: #888; }
td.not-recorded { color: #999; text-align: center; }
ul.ev { margin: 0; padding-left: 0; list-style: none; }
sup a { text-decoration: none; }
.meta { color: #555; } .note { background: #fff6dd; padding: 4px 8px; }
@media print { body { margin: 0; } a { color: inherit; } tr { break-inside: avoid; } }
"""


def _source_anchor(source_id: str) -> str:
    return "source-" + source_id


def to_html(matrix: Matrix, title: str | None = None) -> str:
    """A standalone page (no script, no request): the matrix, cells linked to a source list."""
    data = matrix.dataset
    esc = html.escape
    heading = title or document_title(matrix)
    citations = matrix.citations()
    numbers = {source: i for i, (source, _) in enumerate(citations, 1)}
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f"<title>{esc(heading)}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>",
           f"<h1>{esc(heading)}</h1>"]
    meta = [line for line in preamble(matrix) if not line.startswith("Note: ")]
    if meta:
        out.append('<p class="meta" id="dating">' + "<br>".join(esc(line) for line in meta) + "</p>")
    out += [f'<p class="note">{esc(line)}</p>' for line in preamble(matrix) if line.startswith("Note: ")]
    out.append('<table id="matrix">')
    out.append("<thead><tr><th></th>" + "".join(
        f'<th data-entity="{esc(e.id)}">{esc(e.label)}</th>' for e in matrix.entities) + "</tr></thead>")
    out.append("<tbody>")
    for group in matrix.groups:
        out.append(f'<tr><th class="group" colspan="{len(matrix.entities) + 1}">{esc(group.label)}</th></tr>')
        for row in matrix.group_rows(group.id):
            out.append(f'<tr data-row="{esc(row.key)}"><th>{esc(row_label(matrix, row))}</th>'
                       + "".join(_html_cell(data, cell, numbers) for cell in row.cells) + "</tr>")
        if more := matrix.more_text(group.id):
            out.append(f'<tr class="more"><td colspan="{len(matrix.entities) + 1}">{esc(more)}</td></tr>')
    out.append("</tbody></table>")
    out.append(f"<p>{esc(LEGEND)}</p>")
    out += source_list.html_list(data, citations, anchor=_source_anchor("{id}"))
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _html_cell(data: Dataset, cell: Cell, numbers: dict[str, int]) -> str:
    esc = html.escape
    if cell.state in ("self", "not-recorded"):
        return f'<td class="{cell.state}">{esc(cell_parts(data, cell)[0])}</td>'
    items = []
    for evidence, absent in cell_entries(cell):  # as in the text: the entity's own facts first
        record = evidence.figure if isinstance(evidence, FigureEvidence) else evidence.fact
        locators: dict[str, list[str]] = {}
        for ref in record.sources:
            locators.setdefault(ref.source, []).append(ref.locator)
        refs = "".join(
            f'<sup><a href="#{esc(_source_anchor(source))}" title="{esc("; ".join(where))}">'
            f"[{numbers.get(source, '?')}]</a></sup>"
            for source, where in sorted(locators.items(), key=lambda item: numbers.get(item[0], 0)))
        text = esc(evidence_text(data, evidence, absent))
        items.append(f'<li data-id="{esc(record.id)}">{text}{refs}</li>')
    return f'<td class="{cell.state}"><ul class="ev">{"".join(items)}</ul></td>'
