"""Source commands: sources (with --coverage)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli import Context, emit_json, format_option, main


@main.command()
@click.option("--coverage", is_flag=True, help="For each source whose text is in --texts: the "
              "paragraphs cited by a fact or figure and those cited by none.")
@click.option("--texts", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="The folder holding the curator's copies of the source texts.")
@format_option
@click.pass_obj
def sources(obj: Context, coverage: bool, texts: Path | None, fmt: str) -> None:
    """Every registered source; with --coverage --texts DIR, what of each is cited."""
    data = obj.dataset()
    if not coverage:
        if texts is not None:
            raise click.UsageError("--texts goes with --coverage")
        if fmt == "json":
            emit_json([s.to_json() for s in sorted(data.sources.values(), key=lambda s: s.id)])
            return
        for source in sorted(data.sources.values(), key=lambda s: s.id):
            click.echo(f"{source.id}  {source.publisher}, \u201c{source.title}\u201d, {source.date}")
        return
    if texts is None:
        raise click.UsageError("--coverage needs --texts DIR, the folder of source texts")
    from kg.coverage import coverage as source_coverage
    from kg.coverage import ranges

    report = source_coverage(data, texts)
    if fmt == "json":
        emit_json([c.to_json() for c in report])
    for item in report if fmt == "text" else ():
        total = len(item.cited) + len(item.uncited)
        click.echo(f"{item.source}  ({item.text}): {len(item.cited)} of {total} paragraphs cited")
        click.echo("  cited: " + (ranges(item.cited) or "none"))
        click.echo("  not cited: " + (ranges(item.uncited) or "none"))
        if item.unresolved:
            click.echo("  locators naming no paragraph: " + "; ".join(item.unresolved))
    if not report:
        click.echo(f"error: no source text found in {texts}", err=True)
        sys.exit(1)
