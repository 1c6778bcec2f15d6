"""The change report (``kg.analysis.diff.ChangeReport``) as a document: Markdown, and a standalone
offline HTML page.

It leads with the headline counts, then the reported events, the starts and ends dated to the
day, and what is dated only to the month or year, each change citing numbered sources; the
source list (publisher, title, date, link, locators) closes it. Text from the data is escaped
for the format, never interpreted; the page has no script and makes no request.
"""

from __future__ import annotations

import html

from kg.analysis.diff import Change, ChangeReport
from kg.render import sources as source_list
from kg.render.markdown import escape as _md

__all__ = ["to_html", "to_markdown"]


def _title(report: ChangeReport) -> str:
    return f"Changes from {report.start.isoformat()} to {report.end.isoformat()}"


def _made(report: ChangeReport) -> str:
    return f"Made on {report.made_on.isoformat()} from the data as it was then." if report.made_on else ""


def _sections(report: ChangeReport) -> list[tuple[str, list[Change]]]:
    found = []
    for group, heading, changes in report.groups():
        if group == "month-dated":
            heading = heading.replace("the span", report.span)
        found.append((heading[:1].upper() + heading[1:], changes))
    return found


def _left_out(report: ChangeReport) -> str:
    if not report.left_out:
        return ""
    claims = "1 claim dated only to the month or year was" if report.left_out == 1 else \
        f"{report.left_out} claims dated only to the month or year were"
    return f"{claims} left out (kg diff --inexact lists them)."


def _numbers(report: ChangeReport) -> dict[str, int]:
    return {source: number for number, (source, _) in enumerate(report.sources(), 1)}


def _change_text(report: ChangeReport, change: Change) -> str:
    return f"{change.date} — {change.change}: {change.to_json(report.dataset)['text']}"


def to_markdown(report: ChangeReport) -> str:
    """The report as Markdown: every data text escaped, sources numbered."""
    numbers = _numbers(report)
    lines = [f"# {_title(report)}", "", _md(report.headline()) + "  "]
    if report.made_on:
        lines.append(_made(report))
    for heading, changes in _sections(report):
        lines += ["", f"## {heading}", ""]
        for change in changes:
            cited = sorted({numbers[ref.source] for ref in change.sources})
            lines.append(f"- {_md(_change_text(report, change))}" + "".join(f" [{n}]" for n in cited))
    if not report:
        lines += ["", "No change in this span matches these filters."]
    if report.left_out:
        lines += ["", _left_out(report)]
    lines += source_list.markdown_list(report.dataset, report.sources())
    return "\n".join(lines) + "\n"


_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; max-width: 50em; margin: 2em auto; color: #222; }
h1 { margin-bottom: 0.2em; } .meta { color: #555; } sup a { text-decoration: none; }
.date { font-variant-numeric: tabular-nums; white-space: nowrap; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; } }
"""


def to_html(report: ChangeReport) -> str:
    """The report as a standalone page: no script, no request, every data text escaped."""
    esc = html.escape
    numbers = _numbers(report)
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f"<title>{esc(_title(report))}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>",
           f"<h1>{esc(_title(report))}</h1>",
           f'<p class="meta" id="headline">{esc(report.headline())}'
           + (f"<br>{esc(_made(report))}" if report.made_on else "") + "</p>"]
    for heading, changes in _sections(report):
        out.append(f"<h2>{esc(heading)}</h2><ul>")
        for change in changes:
            cited = sorted({numbers[ref.source] for ref in change.sources})
            refs = "".join(f'<sup><a href="#source-{n}">[{n}]</a></sup>' for n in cited)
            text = change.to_json(report.dataset)["text"]
            out.append(f'<li data-id="{esc(change.record.id)}" data-change="{esc(change.change)}">'
                       f'<span class="date">{esc(str(change.date))}</span> — {esc(change.change)}: '
                       f"{esc(text)}{refs}</li>")
        out.append("</ul>")
    if not report:
        out.append("<p>No change in this span matches these filters.</p>")
    if report.left_out:
        out.append(f"<p>{esc(_left_out(report))}</p>")
    out += source_list.html_list(report.dataset, report.sources())
    out.append("</body></html>")
    return "\n".join(out) + "\n"
