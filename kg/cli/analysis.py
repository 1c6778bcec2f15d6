"""The analyst's commands: compare, diff, brief, figures (see docs/analysis.md)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import click

from kg.cli import Context, echo_lines, emit_json, main, options, usage_errors
from kg.errors import KgError

__all__ = ["brief", "compare", "diff", "figures"]


# Rows a group of ``kg compare`` lists unless told: every group of the shipped data fits; a
# comparison rolling up a hub has thousands.
COMPARE_ROWS = 100


def _deliver(text: str, output: Path | None) -> None:
    """Print the text, or write it to ``output`` whole (never half-written)."""
    if output is None:
        click.echo(text, nl=False)
        return
    from kg.util.atomic import write_atomic

    click.echo(f"wrote {write_atomic(output, text)}")


@main.command()
@click.argument("entities", nargs=-1, required=True, metavar="ENTITY ENTITY…")
@options.relations(help="Only rows of this relation (repeatable; leaves out figures unless --metric).")
@options.metrics(help="Only figure rows of this metric (repeatable; leaves out facts unless --relation).")
@click.option("--default", "default", is_flag=True,
              help="Only the groups and metrics listed in the ontology's comparison block.")
@options.as_of
@click.option("--history", is_flag=True, help="Keep facts that ended before the day described.")
@options.fmt("text", "markdown", "csv", "json", "html",
             help="Output format (default: from the -o file's extension, else text).")
@click.option("--width", type=click.IntRange(min=40), metavar="N",
              help="Text width in columns (default: the terminal's).")
@click.option("--limit", type=click.IntRange(min=1), default=COMPARE_ROWS, show_default=True,
              metavar="N", help="List at most N rows per group (a line says how many more).")
@options.output
@click.pass_obj
def compare(obj: Context, entities: tuple[str, ...], relations: tuple[str, ...], metrics: tuple[str, ...],
            default: bool, as_of: dt.date | None, history: bool, fmt: str | None, width: int | None,
            limit: int, output: Path | None) -> None:
    """Entities side by side: features, platforms, rivals, policies … and figures.

    A product counts what the models and apps it integrates have ("via"), one step.
    Cells: ✓ has it, ✗ recorded as absent, – not recorded. It describes the --as-of day, else
    the data as it stands (its latest dated record); ended facts are left out unless --history.
    A group lists its first --limit rows and says how many more there are.
    """
    import json

    from kg.render import compare as render

    fmt = options.format_from_suffix(fmt, output, {".md": "markdown", ".markdown": "markdown",
                                                   ".csv": "csv", ".json": "json", ".html": "html",
                                                   ".htm": "html"}, "text")
    with usage_errors():
        matrix = obj.landscape.compare(*entities, relations=relations, metrics=metrics, as_of=as_of,
                                       default=default, history=history, limit=limit)
    if fmt == "json":
        text = json.dumps(matrix.to_json(), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "text":
        text = render.to_text(matrix, width or shutil.get_terminal_size((100, 24)).columns)
    else:
        text = {"markdown": render.to_markdown, "csv": render.to_csv, "html": render.to_html}[fmt](matrix)
    _deliver(text, output)


@main.command()
@click.argument("revisions", nargs=-1, metavar="[REV [REV]]")
@click.option("--from", "start", metavar="DATE", callback=options.first_day,
              help="First day of the span (its first day for a month or year).")
@click.option("--to", "end", metavar="DATE", callback=options.last_day,
              help="Last day of the span (its last day for a month or year).")
@options.entities(help="Only changes touching this entity (repeatable).")
@options.relations(help="Only facts of this relation (repeatable; leaves out appearances and figures).")
@options.kinds(help="Only facts and figures of this kind (repeatable).")
@click.option("--inexact", is_flag=True,
              help="Also records dated only to the month or year that may fall in the span.")
@options.fmt("text", "json", "markdown", "html",
             help="Output format (default: from the -o file's extension, else text; markdown and "
                  "html for --from/--to).")
@options.output
@click.pass_obj
def diff(obj: Context, revisions: tuple[str, ...], start: dt.date | None, end: dt.date | None,
         entities: tuple[str, ...], relations: tuple[str, ...], kinds: tuple[str, ...], inexact: bool,
         fmt: str | None, output: Path | None) -> None:
    """What changed: in the landscape between two days, or in the data between two git revisions.

    \b
    kg diff --from DATE --to DATE   entities that appeared, facts that started
                                    or ended, figures first known, by date
    kg diff REV [REV]               records added, removed and changed between
                                    two revisions of the data folder (one REV:
                                    that revision against the working files)
    """
    import json

    from kg.render import text

    fmt = options.format_from_suffix(fmt, output, {".md": "markdown", ".markdown": "markdown",
                                                   ".json": "json", ".html": "html", ".htm": "html"},
                                     "text")
    if revisions:
        if start or end or entities or relations or kinds or inexact:
            raise click.UsageError("give either revisions or --from/--to (with their filters), not both")
        if len(revisions) > 2:
            raise click.UsageError("give at most two revisions")
        if fmt in ("markdown", "html"):
            raise click.UsageError(f"--format {fmt} is for a report of --from/--to; "
                                   "revisions print text or json")
        result = obj.landscape.revision_changes(*revisions)
        if fmt == "json":
            _deliver(json.dumps({"from": revisions[0], "to": revisions[1] if len(revisions) == 2 else None,
                                 **result.to_json()}, ensure_ascii=False, indent=2) + "\n", output)
        else:
            # Both versions were read: "nothing changed" is an answer (exit 0), said on the last line.
            _deliver("\n".join(text.revision_changes(
                result, revisions[0], revisions[1] if len(revisions) == 2 else "the working files")) + "\n",
                output)
        return
    if start is None or end is None:
        raise click.UsageError("give --from DATE and --to DATE, or one or two git revisions")
    if start > end:
        raise click.UsageError("--from is after --to")
    with usage_errors():
        report = obj.landscape.changes(start, end, entities=entities, relations=relations, kinds=kinds,
                                       inexact=inexact)
    if not report:
        # Nothing to report: a message and exit 1, and no file written.
        if output is None and fmt == "json":
            emit_json(report.to_json())
        elif output is None and fmt == "text":
            echo_lines(text.changes(report))  # how many loosely dated claims were left out
        raise KgError(f"no change from {report.span} matches these filters")
    if fmt == "json":
        content = json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "text":
        content = "\n".join(text.changes(report)) + "\n"
    else:
        from kg.render import diff as render

        content = render.to_markdown(report) if fmt == "markdown" else render.to_html(report)
    _deliver(content, output)


@main.command()
@click.argument("entity")
@options.as_of
@click.option("--history", is_flag=True, help="Keep facts that ended before the day described.")
@options.fmt("markdown", "html", help="Output format (default: from the -o file's extension, else markdown).")
@options.output
@click.pass_obj
def brief(obj: Context, entity: str, as_of: dt.date | None, history: bool, fmt: str | None,
          output: Path | None) -> None:
    """A one-page brief on ENTITY: names, makers, position, figures, timeline, claims, notes,
    sources. It describes the --as-of day, else the data as it stands (its latest dated record);
    ended facts are left out of its position unless --history."""
    from kg.render import brief as render

    if fmt is None:
        suffix = output.suffix.lower() if output is not None else ".md"
        if suffix not in (".md", ".markdown", ".html", ".htm"):
            raise click.BadParameter("the file must end in .md or .html (or give --format)",
                                     param_hint="'-o'")
        fmt = "html" if suffix in (".html", ".htm") else "markdown"
    result = obj.landscape.brief(entity, as_of=as_of, history=history)
    _deliver(render.to_html(result) if fmt == "html" else render.to_markdown(result), output)


@main.command()
@click.argument("entity", required=False)
@options.metrics
@options.as_of
@options.text_or_json
@click.pass_obj
def figures(obj: Context, entity: str | None, metrics: tuple[str, ...], as_of: dt.date | None,
            fmt: str) -> None:
    """Every figure, or ENTITY's: value, unit, period, region, who measured it, and sources."""
    from kg.render import text

    with usage_errors():
        found = obj.landscape.figures(entity, metrics=metrics, as_of=as_of)
    if not found:
        raise KgError("no figure matches these filters")
    if fmt == "json":
        emit_json(found.to_json())
    else:
        echo_lines(text.figures(found))
