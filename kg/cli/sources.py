"""Source commands: sources, check-citations."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from kg.cli import Context, emit_json, main, options

__all__ = ["check_citations", "sources"]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@main.command()
@options.as_of
@click.option("--coverage", is_flag=True, help="For each source whose text is in --texts: the "
              "paragraphs cited by a fact or figure and those cited by none.")
@click.option("--texts", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="With --coverage: the folder of source texts (found as check-citations finds them).")
@options.text_or_json
@click.pass_obj
def sources(obj: Context, as_of: dt.date | None, coverage: bool, texts: Path | None, fmt: str) -> None:
    """Every registered source, with how many facts and figures cite it.

    `kg show SOURCE-ID` lists them, with their locators. With --coverage
    --texts DIR, what of each source text is cited and what is not.
    """
    if coverage or texts is not None:
        _coverage(obj, as_of, coverage, texts, fmt)
        return
    uses = obj.landscape.sources(as_of=as_of)
    if fmt == "json":
        emit_json([use.to_json() for use in uses])
        return
    for use in uses:
        source = use.source
        click.echo(f"{source.id}  {_count(use.facts, 'fact')}, {_count(use.figures, 'figure')}")
        click.echo(f"    {source.publisher}, \u201c{source.title}\u201d, {source.date}")


def _coverage(obj: Context, as_of: dt.date | None, coverage: bool, texts: Path | None, fmt: str) -> None:
    if not coverage:
        raise click.UsageError("--texts goes with --coverage")
    if texts is None:
        raise click.UsageError("--coverage needs --texts DIR, the folder of source texts")
    if as_of is not None:
        raise click.UsageError("--coverage counts every citation; leave out --as-of")
    from kg.analysis.coverage import ranges

    report = obj.landscape.coverage(texts)
    if fmt == "json":
        emit_json([c.to_json() for c in report])
    for item in report if fmt == "text" else ():
        total = len(item.cited) + len(item.uncited)
        click.echo(f"{item.source}  ({item.text}): {len(item.cited)} of {total} paragraphs cited")
        click.echo("  cited: " + (ranges(item.cited) or "none"))
        click.echo("  not cited: " + (ranges(item.uncited) or "none"))
        if item.unresolved:
            click.echo("  locators that do not resolve (see kg check-citations): "
                       + "; ".join(item.unresolved))
    if not report:
        click.echo(f"error: no source text found in {texts}", err=True)
        sys.exit(1)


@main.command("check-citations")
@click.option("--texts", "texts", required=True, metavar="DIR",
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder with the source texts (found by each source's `text:` digest or "
              "file-name pattern).")
@options.text_or_json
@click.pass_obj
def check_citations(obj: Context, texts: Path, fmt: str) -> None:
    """Check every locator against the source texts in DIR.

    Reports each locator that does not resolve to a section or paragraph of
    its source's text (exit 1), and the sources whose text is not in DIR
    (not checked). Exit 1 too when no source text is found at all.
    """
    report = obj.landscape.check_citations(texts)
    found = [s for s in report.sources if s.text is not None]
    if fmt == "json":
        emit_json({"valid": bool(found) and not report.problems, **report.to_json()})
    else:
        for problem in report.problems:
            click.echo(str(problem), err=True)
        for source in found:
            click.echo(f"checked {source.source.id} against {source.text.name}: "
                       f"{_count(source.citations, 'citation')}")
        for source in report.sources:
            if source.text is None:
                click.echo(f"not checked {source.source.id}: {source.reason}")
        click.echo(f"{_count(len(report.problems), 'problem')} in "
                   f"{_count(report.checked, 'citation')} checked", err=bool(report.problems))
    if not found:
        click.echo(f"error: no source text found in {texts}", err=True)
        sys.exit(1)
    if report.problems:
        sys.exit(1)
