"""The analyst's commands: compare, diff, brief, figures (see docs/analysis.md)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import click

from kg.cli import Context, as_of_option, emit_json, format_option, main, usage_errors

_OUTPUT = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                       help="Write to this file (atomically) instead of standard output.")


def _deliver(text: str, output: Path | None) -> None:
    """Print the text, or write it to ``output`` whole (never half-written)."""
    if output is None:
        click.echo(text, nl=False)
        return
    from kg.exporters import write_atomic

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
              default="text", show_default=True, help="Output format.")
@click.option("--width", type=click.IntRange(min=40), metavar="N",
              help="Text width in columns (default: the terminal's).")
@_OUTPUT
@click.pass_obj
def compare(obj: Context, entities: tuple[str, ...], relations: tuple[str, ...], metrics: tuple[str, ...],
            default: bool, as_of: dt.date | None, fmt: str, width: int | None, output: Path | None) -> None:
    """Entities side by side: features, platforms, rivals, policies … and figures.

    A product counts what the models and apps it integrates have ("via").
    Cells: ✓ has it, ✗ recorded as absent, – not recorded.
    """
    from kg import compare_render
    from kg.compare import compare as build

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


__all__ = ["compare", "emit_json", "format_option"]
