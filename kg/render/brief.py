"""The brief (``kg.analysis.brief``) as Markdown and as a standalone offline HTML page.

It states the day it describes and the day it was made; citations are numbered in the order
they first appear, and the source list gives every locator; each item's notes (the *why*)
follow it. Text from the data is escaped for the format, never interpreted.
"""

from __future__ import annotations

import html

from kg.analysis.brief import Brief, Item
from kg.data.model import Dataset, SourceRef
from kg.render import sources as source_list
from kg.render.markdown import escape as _md

__all__ = ["to_html", "to_markdown"]


def _md_refs(result: Brief, refs: tuple[SourceRef, ...]) -> str:
    numbers = sorted({result.number(ref.source) for ref in refs})
    return "".join(f" [{n}]" for n in numbers)


def _dating(result: Brief) -> list[str]:
    if result.dating is not None:
        return [result.dating.describes(), result.dating.made()]
    return [f"As of {result.as_of.isoformat()}."] if result.as_of else []


def to_markdown(result: Brief, dataset: Dataset | None = None) -> str:
    """The brief as Markdown: every data text escaped, sources numbered."""
    dataset = dataset or result.dataset
    assert dataset is not None
    entity = result.entity
    lines = [f"# {_md(entity.label)}", ""]
    lines.append("**Names:** " + " · ".join(_md(n) for n in result.names) + "  ")
    lines.append(" · ".join(_md(f.text) + _md_refs(result, f.refs) for f in result.facts) + "  ")
    lines += [_md(line) + "  " for line in _dating(result)]
    if result.description:
        lines += ["", _md(result.description)]
    for section in result.sections:
        lines.append("")
        if section.inline:
            lines.append(f"**{_md(section.title)}:** " + "; ".join(
                _md(item.text) + _md_refs(result, item.refs) for item in section.items))
            notes = [(item, note) for item in section.items for note in item.notes]
            if notes:
                lines.append("")
                lines += [f"- {_md(item.text)}: {_md(note)}" for item, note in notes]
            continue
        lines += [f"## {_md(section.title)}", ""]
        for item in section.items:
            lines.append(f"- {_md(item.text)}{_md_refs(result, item.refs)}")
            lines += [f"  - {_md(note)}" for note in item.notes]
    lines += source_list.markdown_list(dataset, result.sources)
    return "\n".join(lines) + "\n"


_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; max-width: 46em; margin: 2em auto; color: #222; }
h1 { margin-bottom: 0.2em; } .meta { color: #555; } sup a { text-decoration: none; }
.note { color: #444; font-size: 0.93em; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; } }
"""


def to_html(result: Brief, dataset: Dataset | None = None) -> str:
    """The brief as a standalone page: no script, no request, every data text escaped."""
    dataset = dataset or result.dataset
    assert dataset is not None
    esc = html.escape
    entity = result.entity

    def refs(item_refs: tuple[SourceRef, ...]) -> str:
        numbers = sorted({result.number(ref.source) for ref in item_refs})
        return "".join(f'<sup><a href="#source-{n}">[{n}]</a></sup>' for n in numbers)

    def item_html(item: Item) -> str:
        return esc(item.text) + refs(item.refs)

    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f"<title>Brief: {esc(entity.label)}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>",
           f"<h1>{esc(entity.label)}</h1>",
           f'<p class="meta">{esc(" · ".join(result.names))}<br>'
           + " · ".join(item_html(f) for f in result.facts)
           + "".join(f"<br>{esc(line)}" for line in _dating(result)) + "</p>"]
    if result.description:
        out.append(f"<p>{esc(result.description)}</p>")
    for section in result.sections:
        if section.inline:
            out.append(f"<p><strong>{esc(section.title)}:</strong> "
                       + "; ".join(item_html(item) for item in section.items) + "</p>")
            notes = [(item, note) for item in section.items for note in item.notes]
            if notes:
                out.append('<ul class="note">' + "".join(
                    f"<li>{esc(item.text)}: {esc(note)}</li>" for item, note in notes) + "</ul>")
            continue
        out.append(f"<h2>{esc(section.title)}</h2><ul>")
        out += [f"<li>{item_html(item)}"
                + "".join(f'<div class="note">{esc(note)}</div>' for note in item.notes) + "</li>"
                for item in section.items]
        out.append("</ul>")
    out += source_list.html_list(dataset, result.sources)
    out.append("</body></html>")
    return "\n".join(out) + "\n"
