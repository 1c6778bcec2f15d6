"""Renderings of a comparison matrix: text sized to a width, Markdown, CSV and an offline HTML page.

JSON is ``Matrix.to_json``. Every rendering shows the same cells; text from
the data is escaped for the format (``|`` in Markdown, quoting in CSV, HTML
entities in the page), never interpreted.
"""

from __future__ import annotations

import csv
import html
import io
import unicodedata

from kg.analysis.compare import Cell, Evidence, FigureEvidence, Matrix, row_label
from kg.data import phrases
from kg.data.model import Dataset
from kg.util.urls import is_web_url

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


# --- text ---------------------------------------------------------------------------------------

def display_width(text: str) -> int:
    """Terminal columns: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
               for ch in text)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns, broken at spaces, or inside a word longer than a line."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if display_width(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for ch in word:
            if display_width(current + ch) > width:
                lines.append(current)
                current = ""
            current += ch
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
    out: list[str] = []

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
    if matrix.as_of:
        out.append(f"as of {matrix.as_of.isoformat()}")
    out.extend(wrap(LEGEND, width))
    return "\n".join(out) + "\n"


# --- Markdown and CSV ------------------------------------------------------------------------------

def _md(text: str) -> str:
    """Text safe inside a Markdown table cell: pipes, emphasis and HTML-looking text escaped,
    and no ``](`` left to form a link."""
    text = " ".join(text.split())
    for ch in ("\\", "|", "*", "_", "`", "<", ">"):
        text = text.replace(ch, "\\" + ch)
    return text.replace("](", "]\\(")


def to_markdown(matrix: Matrix) -> str:
    data = matrix.dataset
    header = "| | " + " | ".join(_md(e.label) for e in matrix.entities) + " |"
    lines = [header, "|---" * (len(matrix.entities) + 1) + "|"]
    for group in matrix.groups:
        lines.append(f"| **{_md(group.label)}** |" + " |" * len(matrix.entities))
        for row in matrix.group_rows(group.id):
            cells = " | ".join(_md(cell_text(data, cell)) for cell in row.cells)
            lines.append(f"| {_md(row_label(matrix, row))} | {cells} |")
    lines.append("")
    if matrix.as_of:
        lines.append(f"As of {matrix.as_of.isoformat()}. " + _md(LEGEND))
    else:
        lines.append(_md(LEGEND))
    return "\n".join(lines) + "\n"


def to_csv(matrix: Matrix) -> str:
    """One line per row: group, row key, label, then one cell text per entity (headed by its id)."""
    data = matrix.dataset
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["group", "row", "label", *(e.id for e in matrix.entities)])
    for row in matrix.rows:
        writer.writerow([row.group, row.key, row_label(matrix, row),
                         *(cell_text(data, cell) for cell in row.cells)])
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
"""


def _source_anchor(source_id: str) -> str:
    return "source-" + source_id


def to_html(matrix: Matrix, title: str | None = None) -> str:
    """A standalone page (no script, no request): the matrix, cells linked to a source list."""
    data = matrix.dataset
    esc = html.escape
    names = ", ".join(e.label for e in matrix.entities)
    title = title or f"Comparison: {names}"
    numbers = {source: i for i, source in enumerate(matrix.sources(), 1)}
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f"<title>{esc(title)}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>",
           f"<h1>{esc(title)}</h1>"]
    if matrix.as_of:
        out.append(f"<p>As of {esc(matrix.as_of.isoformat())}.</p>")
    out.append('<table id="matrix">')
    out.append("<thead><tr><th></th>" + "".join(
        f'<th data-entity="{esc(e.id)}">{esc(e.label)}</th>' for e in matrix.entities) + "</tr></thead>")
    out.append("<tbody>")
    for group in matrix.groups:
        out.append(f'<tr><th class="group" colspan="{len(matrix.entities) + 1}">{esc(group.label)}</th></tr>')
        for row in matrix.group_rows(group.id):
            out.append(f'<tr data-row="{esc(row.key)}"><th>{esc(row_label(matrix, row))}</th>'
                       + "".join(_html_cell(data, cell, numbers) for cell in row.cells) + "</tr>")
    out.append("</tbody></table>")
    out.append(f"<p>{esc(LEGEND)}</p>")
    out.append('<h2>Sources</h2><ol id="sources">')
    for source_id, number in numbers.items():
        source = data.sources.get(source_id)
        if source is None:
            continue
        text = f"{source.publisher}, “{source.title}”, {source.date}"
        link = ""
        if source.url and is_web_url(source.url):
            link = f' <a href="{esc(source.url)}" rel="noreferrer">{esc(source.url)}</a>'
        out.append(f'<li id="{esc(_source_anchor(source_id))}" value="{number}">{esc(text)}{link}</li>')
    out.append("</ol>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _html_cell(data: Dataset, cell: Cell, numbers: dict[str, int]) -> str:
    esc = html.escape
    if cell.state in ("self", "not-recorded"):
        return f'<td class="{cell.state}">{esc(cell_parts(data, cell)[0])}</td>'
    items = []
    direct = [e for e in cell.facts if e.via is None]  # as in the text: the entity's own facts first
    entries: list[tuple[Evidence | FigureEvidence, bool]] = [
        *((e, False) for e in cell.figures), *((e, False) for e in (direct or cell.facts)),
        *((e, True) for e in cell.absences)]
    for evidence, absent in entries:
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
