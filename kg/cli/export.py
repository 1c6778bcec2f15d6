"""``kg export``: one subcommand per format (see ``kg.exporters``)."""

from __future__ import annotations

import click

from kg.cli import main
from kg.exporters import EXPORTERS


@main.group(invoke_without_command=True)
@click.option("--list", "list_formats", is_flag=True, help="List the export formats and exit.")
@click.pass_context
def export(ctx: click.Context, list_formats: bool) -> None:
    """Write the graph in a format other tools read."""
    if list_formats:
        for exporter in EXPORTERS.values():
            click.echo(f"{exporter.name:8} {exporter.description}")
    elif ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())
        ctx.exit(2)
