"""The analyst's commands: compare, diff, brief, figures (see docs/analysis.md)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import click

from kg.cli import Context, as_of_option, emit_json, format_option, main, period_day, usage_errors

_OUTPUT = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                       help="Write to this file (atomically) instead of standard output.")


def _deliver(text: str, output: Path | None) -> None:
    """Print the text, or write it to ``output`` whole (never half-written)."""
    if output is None:
        click.echo(text, nl=False)
        return
    from kg.export import write_atomic

    click.echo(f"wrote {write_atomic(output, text)}")


@main.command()
@click.argument("entities", nargs=-1, required=True, metavar="ENTITY ENTITY…")
@click.option("--relation", "relations", multiple=True, metavar="REL",
              help="Only rows of this relation (repeatable; leaves out figures unless --metric).")
@click.option("--metric", "metrics", multiple=True, metavar="METRIC",
              help="Only figure rows of this metric (repeatable; leaves out facts unless --relation).")
@click.option("--default", "default", is_flag=True,
              help="Only the groups and metrics listed in the ontology's comparison block.")
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "csv", "json", "html"]),
              default=None, help="Output format (default: from the -o file's extension, else text).")
@click.option("--width", type=click.IntRange(min=40), metavar="N",
              help="Text width in columns (default: the terminal's).")
@_OUTPUT
@click.pass_obj
def compare(obj: Context, entities: tuple[str, ...], relations: tuple[str, ...], metrics: tuple[str, ...],
            default: bool, as_of: dt.date | None, fmt: str | None, width: int | None,
            output: Path | None) -> None:
    """Entities side by side: features, platforms, rivals, policies … and figures.

    A product counts what the models and apps it integrates have ("via").
    Cells: ✓ has it, ✗ recorded as absent, – not recorded.
    """
    from kg.analysis.compare import compare as build
    from kg.render import compare as compare_render

    if fmt is None:
        suffix = output.suffix.lower() if output is not None else ""
        fmt = {".md": "markdown", ".markdown": "markdown", ".csv": "csv", ".json": "json",
               ".html": "html", ".htm": "html"}.get(suffix, "text")
    data = obj.dataset()
    if len({data.resolve(name).id for name in entities}) < 2:
        raise click.UsageError("name at least two different entities to compare")
    with usage_errors():
        matrix = build(data, entities, relations=relations, metrics=metrics, as_of=as_of, default=default)
    if fmt == "json":
        import json

        text = json.dumps(matrix.to_json(), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "text":
        text = compare_render.to_text(matrix, width or shutil.get_terminal_size((100, 24)).columns)
    else:
        text = {"markdown": compare_render.to_markdown, "csv": compare_render.to_csv,
                "html": compare_render.to_html}[fmt](matrix)
    _deliver(text, output)




@main.command()
@click.argument("revisions", nargs=-1, metavar="[REV [REV]]")
@click.option("--from", "start", metavar="DATE", callback=lambda c, p, v: period_day(v, "start"),
              help="First day of the span (its first day for a month or year).")
@click.option("--to", "end", metavar="DATE", callback=lambda c, p, v: period_day(v, "end"),
              help="Last day of the span (its last day for a month or year).")
@click.option("--entity", "entities", multiple=True, metavar="ENTITY",
              help="Only changes touching this entity (repeatable).")
@click.option("--relation", "relations", multiple=True, metavar="REL",
              help="Only facts of this relation (repeatable; leaves out appearances and figures).")
@click.option("--kind", "kinds", multiple=True, metavar="KIND",
              help="Only facts and figures of this kind (repeatable).")
@click.option("--inexact", is_flag=True,
              help="Also records dated only to the month or year that may fall in the span.")
@format_option
@click.pass_obj
def diff(obj: Context, revisions: tuple[str, ...], start: dt.date | None, end: dt.date | None,
         entities: tuple[str, ...], relations: tuple[str, ...], kinds: tuple[str, ...], inexact: bool,
         fmt: str) -> None:
    """What changed: in the landscape between two days, or in the data between two git revisions.

    \b
    kg diff --from DATE --to DATE   entities that appeared, facts that started
                                    or ended, figures first known, by date
    kg diff REV [REV]               records added, removed and changed between
                                    two revisions of the data folder (one REV:
                                    that revision against the working files)
    """
    if revisions:
        if start or end or entities or relations or kinds or inexact:
            raise click.UsageError("give either revisions or --from/--to (with their filters), not both")
        if len(revisions) > 2:
            raise click.UsageError("give at most two revisions")
        _revision_diff(obj, revisions, fmt)
        return
    if start is None or end is None:
        raise click.UsageError("give --from DATE and --to DATE, or one or two git revisions")
    if start > end:
        raise click.UsageError("--from is after --to")
    _landscape_diff(obj, start, end, entities, relations, kinds, inexact, fmt)


def _landscape_diff(obj: Context, start: dt.date, end: dt.date, entities: tuple[str, ...],
                    relations: tuple[str, ...], kinds: tuple[str, ...], inexact: bool, fmt: str) -> None:
    from kg.analysis.diff import in_view, landscape_changes
    from kg.data import phrases
    from kg.errors import KgError

    data = obj.dataset()
    with usage_errors():
        found = landscape_changes(data, start, end, entities=entities, relations=relations, kinds=kinds)
    # Reported changes dated only to the month or year may fall in the span: they are listed
    # apart (or, with --inexact, in line); such claims (often dated by their article) only
    # with --inexact.
    shown, left_out = in_view(found, inexact)
    span = f"{start.isoformat()} to {end.isoformat()}"
    if fmt == "json":
        emit_json({"from": start.isoformat(), "to": end.isoformat(),
                   "changes": [c.to_json(data) for c in shown], "inexact_left_out": left_out})
    else:
        def echo(change) -> None:
            click.echo(f"{str(change.date):<10}  {change.change:<11}  {change.to_json(data)['text']}")
            if change.sources:
                click.echo(" " * 12 + "sources: " + phrases.citations(data, list(change.sources)))

        apart = [] if inexact else [c for c in shown if not c.exact]
        for change in shown:
            if change not in apart:
                echo(change)
        if apart:
            click.echo(f"dated only to the month or year, so they may fall in {span}:")
            for change in apart:
                echo(change)
        if left_out:
            click.echo(f"({left_out} claims dated only to the month or year left out; "
                       "--inexact lists them)")
    if not shown:
        raise KgError(f"no change from {span} matches these filters")


def _revision_diff(obj: Context, revisions: tuple[str, ...], fmt: str) -> None:
    from kg.analysis.diff import diff_datasets
    from kg.data.load import DEFAULT_DATA
    from kg.data.revisions import load_revision

    folder = Path(obj.data) if obj.data is not None else DEFAULT_DATA
    old = load_revision(folder, revisions[0], obj.ontology_path)
    if len(revisions) == 2:
        new = load_revision(folder, revisions[1], obj.ontology_path)
        names = (revisions[0], revisions[1])
    else:
        new = obj.dataset()
        names = (revisions[0], "the working files")
    result = diff_datasets(old, new)
    if fmt == "json":
        emit_json({"from": names[0], "to": revisions[1] if len(revisions) == 2 else None,
                   **result.to_json()})
    else:
        # Both versions were read: "nothing changed" is an answer (exit 0), said on the last line.
        for line in result.text_lines(names[0], names[1]):
            click.echo(line)


@main.command()
@click.argument("entity")
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["markdown", "html"]), default=None,
              help="Output format (default: from the -o file's extension, else markdown).")
@_OUTPUT
@click.pass_obj
def brief(obj: Context, entity: str, as_of: dt.date | None, fmt: str | None, output: Path | None) -> None:
    """A one-page brief on ENTITY: names, makers, position, figures, timeline, claims, sources."""
    from kg.analysis import brief as briefs

    if fmt is None:
        suffix = output.suffix.lower() if output is not None else ".md"
        if suffix not in (".md", ".markdown", ".html", ".htm"):
            raise click.BadParameter("the file must end in .md or .html (or give --format)",
                                     param_hint="'-o'")
        fmt = "html" if suffix in (".html", ".htm") else "markdown"
    data = obj.dataset()
    result = briefs.brief(data, entity, as_of)
    render = briefs.to_html if fmt == "html" else briefs.to_markdown
    _deliver(render(result, data), output)


@main.command()
@click.argument("entity", required=False)
@click.option("--metric", "metrics", multiple=True, metavar="METRIC",
              help="Only figures of this metric (repeatable).")
@as_of_option
@format_option
@click.pass_obj
def figures(obj: Context, entity: str | None, metrics: tuple[str, ...], as_of: dt.date | None,
            fmt: str) -> None:
    """Every figure, or ENTITY's: value, unit, period, region, who measured it, and sources."""
    from kg.data import phrases
    from kg.errors import KgError
    from kg.query.figures import figure_json
    from kg.query.figures import figures as find

    data = obj.dataset()
    with usage_errors():
        found = find(data, entity, metrics=metrics, as_of=as_of)
    if not found:
        raise KgError("no figure matches these filters")
    if fmt == "json":
        emit_json([figure_json(data, figure) for figure in found])
        return
    for figure in found:
        click.echo(f"{data.label(figure.entity)}  {phrases.figure_line(data, figure)}")
        click.echo("    sources: " + phrases.citations(data, figure.sources))
        for line in phrases.note_lines(figure.note, "    "):
            click.echo(line)
