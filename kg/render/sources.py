"""The numbered source list every document ends with: one line per source, built here once per
format (publisher, title, date, link where the registry has one, and every locator cited).

Text from the data is escaped for the format; a link is only an http(s) URL.
"""

from __future__ import annotations

import html

from kg.data.model import Dataset
from kg.render.markdown import escape as _md
from kg.util.urls import is_web_url, markdown_link

__all__ = ["html_line", "html_list", "markdown_line", "markdown_list", "source_text", "web_url"]


def web_url(url: str | None) -> str | None:
    """The URL when it is a web address a reader can open and a link can hold unchanged
    (``kg.util.urls.is_web_url``), else None."""
    return url if url and is_web_url(url) else None


def source_text(dataset: Dataset, source_id: str) -> tuple[str, str | None]:
    """``Publisher, “Title”, date`` and the source's web address (None when it has none)."""
    source = dataset.sources.get(source_id)
    if source is None:
        return source_id, None
    return f"{source.publisher}, “{source.title}”, {source.date}", web_url(source.url)


def _link(place: str) -> str | None:
    """The text-fragment address of a cited place (``kg.analysis.documents.Place``), if any."""
    return web_url(getattr(place, "link", None))


def markdown_line(dataset: Dataset, number: int, source_id: str, locators: list[str]) -> str:
    text, url = source_text(dataset, source_id)
    link = f" {markdown_link(url)}" if url else ""
    where = "; ".join(_md(place) + (f" {markdown_link(_link(place))}" if _link(place) else "")
                      for place in locators)
    return f"{number}. {_md(text)}{link} — at {where}"


def html_line(dataset: Dataset, number: int, source_id: str, locators: list[str], anchor: str) -> str:
    """One ``<li>``: the locators are printed, not only shown on hover, so a printed page has them."""
    esc = html.escape
    text, url = source_text(dataset, source_id)
    link = f' <a href="{esc(url)}" rel="noreferrer">{esc(url)}</a>' if url else ""
    where = "; ".join(f'<a href="{esc(_link(place))}" rel="noreferrer">{esc(place)}</a>' if _link(place)
                      else esc(place) for place in locators)
    return (f'<li id="{esc(anchor)}" value="{number}">{esc(text)}{link}'
            f' — at <span class="locators">{where}</span></li>')


def markdown_list(dataset: Dataset, sources: list[tuple[str, list[str]]]) -> list[str]:
    """``## Sources`` and one numbered line per source (nothing when no source is cited)."""
    if not sources:
        return []
    return ["", "## Sources", "", *(markdown_line(dataset, number, source_id, locators)
                                     for number, (source_id, locators) in enumerate(sources, 1))]


def html_list(dataset: Dataset, sources: list[tuple[str, list[str]]],
              anchor: str = "source-{n}") -> list[str]:
    """``<h2>Sources</h2>`` and the numbered list; ``anchor`` names each item (``{n}``: its number,
    ``{id}``: the source id)."""
    if not sources:
        return []
    return ['<h2>Sources</h2><ol id="sources">',
            *(html_line(dataset, number, source_id, locators, anchor.format(n=number, id=source_id))
              for number, (source_id, locators) in enumerate(sources, 1)),
            "</ol>"]
