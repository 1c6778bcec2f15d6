"""The brief (``kg.analysis.brief``) as Markdown and as a standalone offline HTML page.

Citations are numbered in the order they first appear; text from the data is escaped for
the format, never interpreted.
"""

from __future__ import annotations

import html

from kg.analysis.brief import Brief
from kg.data.model import Dataset, SourceRef
from kg.render.markdown import escape as _md

__all__ = ["to_html", "to_markdown"]


def _md_refs(result: Brief, refs: tuple[SourceRef, ...]) -> str:
    numbers = sorted({result.number(ref.source) for ref in refs})
    return "".join(f" [{n}]" for n in numbers)


def _source_line(dataset: Dataset, source_id: str) -> tuple[str, str | None]:
    source = dataset.sources.get(source_id)
    if source is None:
        return source_id, None
    text = f"{source.publisher}, “{source.title}”, {source.date}"
    url = source.url if source.url and source.url.startswith(("https://", "http://")) else None
    return text, url


def to_markdown(result: Brief, dataset: Dataset | None = None) -> str:
    """The brief as Markdown: every data text escaped, sources numbered."""
    dataset = dataset or result.dataset
    assert dataset is not None
    entity = result.entity
    lines = [f"# {_md(entity.label)}", ""]
    lines.append("**Names:** " + " · ".join(_md(n) for n in result.names) + "  ")
    lines.append(" · ".join(_md(f) for f in result.facts) + "  ")
    if result.as_of:
        lines.append(f"As of {result.as_of.isoformat()}.  ")
    if result.description:
        lines += ["", _md(result.description)]
    for section in result.sections:
        lines.append("")
        if section.inline:
            lines.append(f"**{_md(section.title)}:** " + "; ".join(
                _md(item.text) + _md_refs(result, item.refs) for item in section.items))
            continue
        lines += [f"## {_md(section.title)}", ""]
        lines += [f"- {_md(item.text)}{_md_refs(result, item.refs)}" for item in section.items]
    lines += ["", "## Sources", ""]
    for number, (source_id, locators) in enumerate(result.sources, 1):
        text, url = _source_line(dataset, source_id)
        where = "; ".join(_md(place) + (f" <{result.links[(source_id, place)]}>"
                                        if (source_id, place) in result.links else "")
                          for place in locators)
        link = f" <{url}>" if url else ""
        lines.append(f"{number}. {_md(text)}{link} — at {where}")
    return "\n".join(lines) + "\n"


_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; max-width: 46em; margin: 2em auto; color: #222; }
h1 { margin-bottom: 0.2em; } .meta { color: #555; } sup a { text-decoration: none; }
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

    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f"<title>Brief: {esc(entity.label)}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>",
           f"<h1>{esc(entity.label)}</h1>",
           f'<p class="meta">{esc(" · ".join(result.names))}<br>{esc(" · ".join(result.facts))}'
           + (f"<br>As of {esc(result.as_of.isoformat())}." if result.as_of else "") + "</p>"]
    if result.description:
        out.append(f"<p>{esc(result.description)}</p>")
    for section in result.sections:
        if section.inline:
            out.append(f"<p><strong>{esc(section.title)}:</strong> " + "; ".join(
                esc(item.text) + refs(item.refs) for item in section.items) + "</p>")
            continue
        out.append(f"<h2>{esc(section.title)}</h2><ul>")
        out += [f"<li>{esc(item.text)}{refs(item.refs)}</li>" for item in section.items]
        out.append("</ul>")
    out.append('<h2>Sources</h2><ol id="sources">')
    for number, (source_id, locators) in enumerate(result.sources, 1):
        text, url = _source_line(dataset, source_id)
        link = f' <a href="{esc(url)}" rel="noreferrer">{esc(url)}</a>' if url else ""
        where = "; ".join(
            f'<a href="{esc(result.links[(source_id, place)])}" rel="noreferrer">{esc(place)}</a>'
            if (source_id, place) in result.links else esc(place) for place in locators)
        out.append(f'<li id="source-{number}">{esc(text)}{link} — at {where}</li>')
    out += ["</ol>", "</body></html>"]
    return "\n".join(out) + "\n"
