"""``kg export html``: the interactive page (see ``kg.export.html``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from kg.cli import Context, as_of_option, emit_json, format_option, usage_errors
from kg.cli.export import export

DEFAULT_OUTPUT = Path("exports") / "ai-video-kg.html"


@export.command("html")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_OUTPUT,
              show_default=True, help="The HTML file to write.")
@click.option("--focus", metavar="ENTITY", help="Keep only the neighbourhood of this entity "
              "(id, label or alias).")
@click.option("--depth", type=click.IntRange(min=0), default=None, metavar="N",
              help="Hops around --focus to keep (default 1).")
@click.option("--relation", "relations", multiple=True, metavar="REL",
              help="Keep only facts of this relation (repeatable).")
@click.option("--type", "types", multiple=True, metavar="TYPE",
              help="Keep only entities of this type or its subtypes (repeatable).")
@click.option("--role", "roles", multiple=True, metavar="ROLE",
              help="Keep only entities with this role, e.g. rights-holder (repeatable).")
@click.option("--view", "start", type=click.Choice(["graph", "map"]), default="graph", show_default=True,
              help="The tab the page opens on: the graph or the market map.")
@as_of_option
@format_option
@click.pass_obj
def html(obj: Context, output: Path, focus: str | None, depth: int | None, relations: tuple[str, ...],
         types: tuple[str, ...], roles: tuple[str, ...], start: str, as_of: dt.date | None,
         fmt: str) -> None:
    """One self-contained interactive HTML page of the graph, usable offline."""
    from kg.export import check_filters, get

    if depth is not None and focus is None:
        raise click.UsageError("--depth needs --focus")
    module = get("html").load()
    with usage_errors():
        check_filters(obj.ontology(), relations, types)
    try:
        view = module.select(obj.dataset(), focus=focus, depth=1 if depth is None else depth,
                             relations=relations, types=types, as_of=as_of, start=start, roles=roles,
                             limit=module.MAX_ENTITIES)
    except module.ViewTooLarge as exc:
        raise click.UsageError(str(exc)) from None
    paths = module.write(view, output)
    if fmt == "json":
        emit_json({"files": [str(p) for p in paths], **view.to_json()})
    else:
        from kg.data.phrases import count_text

        counted = view.to_json()
        for path in paths:
            click.echo(f"wrote {path}: " + count_text({key: counted[key]
                                                        for key in ("entities", "facts", "references")}))
