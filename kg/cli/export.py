"""``kg export``: one subcommand per registered format (see ``kg.export``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kg.cli import Context, emit_json, main, options, usage_errors
from kg.export import EXPORTERS

__all__ = [
    "export", "export_csv", "export_cypher", "export_neo4j_csv", "export_rdf", "export_shapes",
    "export_vocabulary", "html"
]


@main.group(invoke_without_command=True)
@click.option("--list", "list_formats", is_flag=True, help="List the export formats and exit.")
@click.pass_context
def export(ctx: click.Context, list_formats: bool) -> None:
    """Write the graph in a format other tools read."""
    if list_formats:
        for exporter in EXPORTERS.values():
            click.echo(f"{exporter.name:10} {exporter.description}")
    elif ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())
        ctx.exit(2)


_INCLUDE_DEPRECATED = click.option(
    "--include-deprecated", is_flag=True,
    help="Also the statements not of the best rank: deprecated ones, and normal ones where a "
    "preferred one says the same thing (by default only the best rank is exported).")


def _filters(func: Callable[..., Any]) -> Callable[..., Any]:
    """--as-of, --relation, --type and --role: which part of the landscape an export keeps."""
    func = options.roles(help="Keep only entities with this role, e.g. rights-holder (repeatable).")(func)
    func = options.types(help="Keep only entities of this type or its subtypes (repeatable).")(func)
    func = options.relations(help="Keep only facts of this relation, and the entities they touch "
                             "(repeatable).")(func)
    return options.as_of(func)


_FILE = options.output(help="The file to write (default: standard output).")


def _run(obj: Context, name: str, output: Path | None, **arguments: Any) -> None:
    """One ``Landscape.export`` call, its output printed or the files it wrote listed."""
    from kg.util.atomic import FolderNotOwned

    with usage_errors():
        try:
            result = obj.landscape.export(name, output, **arguments)
        except FolderNotOwned as exc:
            raise click.UsageError(str(exc)) from None
    if result.note:
        click.echo(f"note: {result.note}", err=True)
    if result.chunks is not None:
        for chunk in result.chunks:
            click.echo(chunk, nl=False)
    elif result.content is not None:
        click.echo(result.content, nl=False)
    for path in result.paths:
        click.echo(f"wrote {path}{_counts(result) if EXPORTERS[name].kind == 'file' else ''}")


def _counts(result: Any) -> str:
    from kg.data.phrases import count_text

    return ": " + count_text({"entities": result.entities, "facts": result.facts,
                              "references": result.references})


@export.command("rdf")
@click.option("--format", "syntax", type=click.Choice(["turtle", "nt", "jsonld", "trig", "xml"]),
              default="turtle", show_default=True, help="RDF syntax.")
@_FILE
@_filters
@click.pass_obj
def export_rdf(obj: Context, syntax: str, output: Path | None, **filters: Any) -> None:
    """The graph as RDF: a direct triple per reported fact plus a statement node per fact,
    event or claim (docs/exports.md). Every syntax streams from the store."""
    _run(obj, "rdf", output, syntax=syntax, **filters)


def _graph_command(name: str, help_text: str) -> None:
    @export.command(name, help=help_text)
    @_FILE
    @_filters
    @_INCLUDE_DEPRECATED
    @click.pass_obj
    def command(obj: Context, output: Path | None, **filters: Any) -> None:
        _run(obj, name, output, **filters)


_graph_command("graphml", "The graph as GraphML (Gephi, yEd, Cytoscape).")
_graph_command("gexf", "The graph as GEXF 1.2 (Gephi), with colours from the ontology.")
_graph_command("json", "The graph as node-link JSON (networkx, d3).")


@export.command("csv")
@options.output(required=True, folder=True, help="The folder to write nodes.csv and edges.csv into.")
@_filters
@_INCLUDE_DEPRECATED
@click.pass_obj
def export_csv(obj: Context, output: Path, **filters: Any) -> None:
    """The graph as two CSV files, nodes.csv and edges.csv (Gephi's spreadsheet import).

    The folder is replaced as a whole, so that the two files always match: it
    must be new, empty, or hold only these two files.
    """
    _run(obj, "csv", output, **filters)


@export.command("cypher")
@_FILE
@click.option("--batch-size", type=click.IntRange(1, 10_000), default=500, show_default=True,
              help="Rows per UNWIND statement.")
@_filters
@_INCLUDE_DEPRECATED
@click.pass_obj
def export_cypher(obj: Context, output: Path | None, batch_size: int, **filters: Any) -> None:
    """The graph as an openCypher script of batched MERGE statements (Neo4j's cypher-shell,
    Memgraph, FalkorDB; docs/property-graphs.md)."""
    _run(obj, "cypher", output, batch_size=batch_size, **filters)


@export.command("neo4j-csv")
@options.output(required=True, folder=True,
                help="The folder to write (replaced whole: new, empty, or an earlier neo4j-csv export).")
@_filters
@_INCLUDE_DEPRECATED
@click.pass_obj
def export_neo4j_csv(obj: Context, output: Path, **filters: Any) -> None:
    """The graph as CSV files for `neo4j-admin database import`, with a README giving the
    command (docs/property-graphs.md).

    The folder is replaced as a whole: it must be new, empty, or an earlier export.
    """
    _run(obj, "neo4j-csv", output, **filters)


@export.command("vocabulary")
@_FILE
@click.pass_obj
def export_vocabulary(obj: Context, output: Path | None) -> None:
    """The ontology as an OWL/RDFS vocabulary in Turtle (ontology/kg.ttl)."""
    _run(obj, "vocabulary", output)


@export.command("shapes")
@_FILE
@click.pass_obj
def export_shapes(obj: Context, output: Path | None) -> None:
    """SHACL shapes generated from the ontology, in Turtle (ontology/shapes.ttl)."""
    _run(obj, "shapes", output)


@export.command("html")
@options.output(default=Path("exports") / "ai-video-kg.html", help="The HTML file to write.")
@click.option("--focus", metavar="ENTITY", help="Keep only the neighbourhood of this entity "
              "(id, label or alias).")
@click.option("--depth", type=click.IntRange(min=0), default=None, metavar="N",
              help="Hops around --focus to keep (default 1).")
@options.relations(help="Keep only facts of this relation (repeatable).")
@options.types(help="Keep only entities of this type or its subtypes (repeatable).")
@options.roles(help="Keep only entities with this role, e.g. rights-holder (repeatable).")
@click.option("--view", "start", type=click.Choice(["graph", "map"]), default="graph", show_default=True,
              help="The tab the page opens on: the graph or the market map.")
@options.as_of
@options.text_or_json
@click.pass_obj
def html(obj: Context, output: Path, focus: str | None, depth: int | None, relations: tuple[str, ...],
         types: tuple[str, ...], roles: tuple[str, ...], start: str, as_of: dt.date | None,
         fmt: str) -> None:
    """One self-contained interactive HTML page of the graph, usable offline."""
    from kg.export.html import ViewTooLarge

    if depth is not None and focus is None:
        raise click.UsageError("--depth needs --focus")
    with usage_errors():
        try:
            result = obj.landscape.export("html", output, focus=focus, depth=depth, relations=relations,
                                          types=types, roles=roles, start=start, as_of=as_of)
        except ViewTooLarge as exc:
            raise click.UsageError(str(exc)) from None
    if fmt == "json":
        emit_json({"files": [str(p) for p in result.paths], **result.details})
    else:
        for path in result.paths:
            click.echo(f"wrote {path}{_counts(result)}")
