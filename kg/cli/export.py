"""``kg export``: one subcommand per format (see ``kg.export``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kg.cli import Context, as_of_option, main, usage_errors
from kg.export import EXPORTERS


@main.group(invoke_without_command=True)
@click.option("--list", "list_formats", is_flag=True, help="List the export formats and exit.")
@click.pass_context
def export(ctx: click.Context, list_formats: bool) -> None:
    """Write the graph in a format other tools read."""
    if list_formats:
        for exporter in EXPORTERS.values():
            click.echo(f"{exporter.name:9} {exporter.description}")
    elif ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())
        ctx.exit(2)


# -- rdf, graphml, gexf, json, csv, and the vocabulary and shapes writers ----------------------

_INCLUDE_DEPRECATED = click.option(
    "--include-deprecated", is_flag=True,
    help="Also the statements not of the best rank: deprecated ones, and normal ones where a "
    "preferred one says the same thing (by default only the best rank is exported).")


def _filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--as-of, --relation, --type and --role, applied with ``kg.export.select`` and ``with_roles``."""
    func = click.option("--role", "roles", multiple=True, metavar="ROLE",
                        help="Keep only entities with this role, e.g. rights-holder (repeatable).")(func)
    func = click.option("--type", "types", multiple=True, metavar="TYPE",
                        help="Keep only entities of this type or its subtypes (repeatable).")(func)
    func = click.option("--relation", "relations", multiple=True, metavar="REL",
                        help="Keep only facts of this relation, and the entities they touch "
                        "(repeatable).")(func)
    return as_of_option(func)


def _selected(obj: Context, as_of: dt.date | None, relations: tuple[str, ...],
              types: tuple[str, ...], roles: tuple[str, ...] = (),
              include_deprecated: bool = False) -> Any:
    """The records an export writes: those of the best rank (``kg.data.ranks``), or all of them
    with ``include_deprecated`` (RDF always takes all: it marks the best rank itself)."""
    from kg.export import check_filters, select, with_roles

    with usage_errors():
        check_filters(obj.ontology(), relations, types)
        whole = obj.store().dataset(include_deprecated=True) if include_deprecated else obj.dataset()
        data = with_roles(whole, roles)
    if not include_deprecated:
        _say_what_is_left_out(obj)
    return select(data, as_of, list(relations), list(types))


def _say_what_is_left_out(obj: Context) -> None:
    """A default export writes the best rank only, and says so on stderr when that leaves
    statements out."""
    from kg.data.ranks import hidden_text

    note = hidden_text(obj.store().outranked_count())
    if note:
        click.echo(f"note: {note}", err=True)


def _write(content: bytes, output: Path | None, data: Any = None) -> None:
    from kg.export import write_atomic

    if output is None:
        click.echo(content, nl=False)
        return
    path = write_atomic(output, content)
    counts = f": {len(data.entities)} entities, {len(data.facts)} facts" if data is not None else ""
    click.echo(f"wrote {path}{counts}")


_OUTPUT = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                       help="The file to write (default: standard output).")


@export.command("rdf")
@click.option("--format", "syntax", type=click.Choice(["turtle", "nt", "jsonld", "trig", "xml"]),
              default="turtle", show_default=True, help="RDF syntax.")
@_OUTPUT
@_filter_options
@click.pass_obj
def export_rdf(obj: Context, syntax: str, output: Path | None, as_of: dt.date | None,
               relations: tuple[str, ...], types: tuple[str, ...], roles: tuple[str, ...]) -> None:
    """The graph as RDF: a direct triple per reported fact plus a statement node per fact,
    event or claim (docs/exports.md)."""
    from kg.export import get

    if syntax in ("turtle", "nt"):
        _stream_rdf(obj, syntax, output, as_of, relations, types, roles)
        return
    data = _selected(obj, as_of, relations, types, roles, include_deprecated=True)
    _write(get("rdf").load().render(data, syntax), output, data)


def _stream_rdf(obj: Context, syntax: str, output: Path | None, as_of: dt.date | None,
                relations: tuple[str, ...], types: tuple[str, ...], roles: tuple[str, ...] = ()) -> None:
    """Turtle and N-Triples go from the store to the file row by row (kg.rdf.stream)."""
    from kg.export import write_stream
    from kg.rdf.stream import DatasetRecords, StoreRecords, chunks

    if as_of or relations or types or roles:
        records = DatasetRecords(_selected(obj, as_of, relations, types, roles,
                                           include_deprecated=True))
    else:
        records = StoreRecords(obj.store())
    counts = f": {records.entity_count()} entities, {records.fact_count()} facts"
    stream = chunks(records, syntax, obj.progress())
    if output is None:
        for chunk in stream:
            click.echo(chunk, nl=False)
        return
    path = write_stream(output, stream)
    click.echo(f"wrote {path}{counts}")


def _graph_command(name: str, help_text: str) -> None:
    @export.command(name, help=help_text)
    @_OUTPUT
    @_filter_options
    @_INCLUDE_DEPRECATED
    @click.pass_obj
    def command(obj: Context, output: Path | None, as_of: dt.date | None,
                relations: tuple[str, ...], types: tuple[str, ...], roles: tuple[str, ...],
                include_deprecated: bool) -> None:
        from kg.export import get

        data = _selected(obj, as_of, relations, types, roles, include_deprecated)
        _write(get(name).load().render(data), output, data)


_graph_command("graphml", "The graph as GraphML (Gephi, yEd, Cytoscape).")
_graph_command("gexf", "The graph as GEXF 1.2 (Gephi), with colours from the ontology.")
_graph_command("json", "The graph as node-link JSON (networkx, d3).")


@export.command("csv")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The folder to write nodes.csv and edges.csv into.")
@_filter_options
@_INCLUDE_DEPRECATED
@click.pass_obj
def export_csv(obj: Context, output: Path, as_of: dt.date | None, relations: tuple[str, ...],
               types: tuple[str, ...], roles: tuple[str, ...], include_deprecated: bool) -> None:
    """The graph as two CSV files, nodes.csv and edges.csv (Gephi's spreadsheet import).

    The folder is replaced as a whole, so that the two files always match: it
    must be new, empty, or hold only these two files.
    """
    _write_folder(obj, "csv", output, as_of, relations, types, roles, include_deprecated)


@export.command("cypher")
@_OUTPUT
@click.option("--batch-size", type=click.IntRange(1, 10_000), default=500, show_default=True,
              help="Rows per UNWIND statement.")
@_filter_options
@_INCLUDE_DEPRECATED
@click.pass_obj
def export_cypher(obj: Context, output: Path | None, batch_size: int, as_of: dt.date | None,
                  relations: tuple[str, ...], types: tuple[str, ...], roles: tuple[str, ...],
                  include_deprecated: bool) -> None:
    """The graph as an openCypher script of batched MERGE statements (Neo4j's cypher-shell,
    Memgraph, FalkorDB; docs/property-graphs.md)."""
    from kg.export import get

    data = _selected(obj, as_of, relations, types, roles, include_deprecated)
    _write(get("cypher").load().render(data, batch_size), output, data)


@export.command("neo4j-csv")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The folder to write (replaced whole: new, empty, or an earlier neo4j-csv export).")
@_filter_options
@_INCLUDE_DEPRECATED
@click.pass_obj
def export_neo4j_csv(obj: Context, output: Path, as_of: dt.date | None, relations: tuple[str, ...],
                     types: tuple[str, ...], roles: tuple[str, ...], include_deprecated: bool) -> None:
    """The graph as CSV files for `neo4j-admin database import`, with a README giving the
    command (docs/property-graphs.md).

    The folder is replaced as a whole: it must be new, empty, or an earlier export.
    """
    _write_folder(obj, "neo4j-csv", output, as_of, relations, types, roles, include_deprecated)


def _write_folder(obj: Context, name: str, output: Path, as_of: dt.date | None,
                  relations: tuple[str, ...], types: tuple[str, ...], roles: tuple[str, ...],
                  include_deprecated: bool = False) -> None:
    """A format written as a folder of files, replaced whole; a folder we do not own is a usage error."""
    from kg.export import get
    from kg.util.atomic import FolderNotOwned

    data = _selected(obj, as_of, relations, types, roles, include_deprecated)
    try:
        written = get(name).load().export(data, output)
    except FolderNotOwned as exc:
        raise click.UsageError(str(exc)) from None
    for path in written:
        click.echo(f"wrote {path}")


@export.command("vocabulary")
@_OUTPUT
@click.pass_obj
def export_vocabulary(obj: Context, output: Path | None) -> None:
    """The ontology as an OWL/RDFS vocabulary in Turtle (ontology/kg.ttl)."""
    from kg.rdf import vocabulary_turtle

    _write(vocabulary_turtle(obj.ontology()), output)


@export.command("shapes")
@_OUTPUT
@click.pass_obj
def export_shapes(obj: Context, output: Path | None) -> None:
    """SHACL shapes generated from the ontology, in Turtle (ontology/shapes.ttl)."""
    from kg.rdf.shapes import shapes_turtle

    _write(shapes_turtle(obj.ontology()), output)
