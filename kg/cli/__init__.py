"""The ``kg`` command line: parses arguments, calls the library, formats output.

Exit codes: 0 success, 1 invalid data or no result, 2 usage error. Commands
live in one module per concern (``core``, ``query``, ``export`` …) and are
registered on ``main`` at the bottom of this file.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg.data.model import Dataset
from kg.errors import DataError, KgError, LookupFailed, UnknownTerm

if TYPE_CHECKING:
    from kg.store import Store
    from kg.util.progress import Progress


class Context:
    """What every command shares: where the data is, loaded on first use."""

    def __init__(self, data: Path | None, ontology: Path | None, quiet: bool = False,
                 base_iri: str | None = None) -> None:
        self.data = data
        self.ontology_path = ontology
        self.quiet = quiet
        self.base_iri = base_iri
        self._dataset: Dataset | None = None
        self._store: Store | None = None

    def ontology(self):
        from kg.data.ontology import load_ontology, with_base_iri

        ontology = load_ontology(self.ontology_path)
        return with_base_iri(ontology, self.base_iri) if self.base_iri else ontology

    def progress(self) -> Progress:
        from kg.util.progress import Progress

        return Progress(enabled=False if self.quiet else None)

    def store(self, require_valid: bool = True, full: bool = False) -> Store:
        """The compiled store of the data, brought up to date (see kg.store); ``full`` checks
        across every record, not only across what changed since the last build."""
        if self._store is None or full:
            from kg.store import open_store

            self._store = open_store(self.data, self.ontology_path, progress=self.progress(),
                                     require_valid=False, full=full)
            if self.base_iri:  # RDF names under the user's base; nothing else changes
                from kg.data.ontology import with_base_iri

                self._store.ontology = with_base_iri(self._store.ontology, self.base_iri)
        if require_valid and self._store.result.problems:
            raise DataError(self._store.result.problems)
        return self._store

    def dataset(self) -> Dataset:
        """The whole dataset in memory, read from the store."""
        if self._dataset is None:
            self._dataset = self.store().dataset()
        return self._dataset


class Group(click.Group):
    """Turns the library's errors into one clear message and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DataError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)
        except LookupFailed as exc:
            click.echo(f"error: {exc}", err=True)
            if exc.candidates:
                click.echo("did you mean:", err=True)
                for entity_id, label in exc.candidates:
                    click.echo(f"  {entity_id}  ({label})", err=True)
            ctx.exit(1)
        except KgError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)


# The library's argument names -> the options that carry them.
OPTION_NAMES = {
    "via": "--via", "exclude": "--exclude", "relations": "--relation", "types": "--type",
    "subject_types": "--subject-type", "object_types": "--object-type", "kinds": "--kind",
    "metrics": "--metric", "roles": "--role", "subject_roles": "--subject-role",
    "object_roles": "--object-role",
}


@contextmanager
def usage_errors() -> Iterator[None]:
    """An unknown relation, type, kind or metric given as an option is a usage error (exit 2)."""
    try:
        yield
    except UnknownTerm as exc:
        option = OPTION_NAMES.get(exc.param, exc.param)
        raise click.BadParameter(str(exc), param_hint=f"'{option}'") from None


def emit_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def period_day(value: str | None, pick: str) -> dt.date | None:
    """The first (``pick="start"``) or last day of a YYYY, YYYY-MM or YYYY-MM-DD option value."""
    from kg.data.dates import DateError, PartialDate

    if value is None:
        return None
    try:
        parsed = PartialDate.parse(value)
    except DateError as exc:
        raise click.BadParameter(str(exc)) from None
    return parsed.start() if pick == "start" else parsed.end()


def _last_day(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    from kg.data.dates import DateError, parse_as_of

    if value is None:
        return None
    try:
        return parse_as_of(value)
    except DateError as exc:
        raise click.BadParameter(str(exc)) from None


def _base_iri(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from kg.data.ontology import BASE_IRI_RE

    if value is not None and not BASE_IRI_RE.match(value):
        raise click.BadParameter(f"{value!r} is not an absolute IRI ending in '/' or ':' "
                                 "(such as https://kg.example.org/)")
    return value


as_of_option = click.option(
    "--as-of", "as_of", metavar="DATE", callback=_last_day,
    help="Only facts valid on DATE (YYYY, YYYY-MM or YYYY-MM-DD: the last day of that period).",
)

format_option = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="Output format.",
)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), envvar="KG_DATA",
              help="Folder of YAML facts (default: the repository's seeds/; env KG_DATA).")
@click.option("--ontology", type=click.Path(dir_okay=False, path_type=Path),
              envvar="KG_ONTOLOGY", help="Ontology file (default: ontology/ontology.yaml; "
              "env KG_ONTOLOGY).")
@click.option("--base-iri", metavar="IRI", envvar="KG_BASE_IRI", callback=_base_iri,
              help="Mint RDF names under IRI (ending in / or :) instead of urn:ai-video-kg: "
              "(env KG_BASE_IRI).")
@click.option("-q", "--quiet", is_flag=True,
              help="No progress bars on stderr (they show only on a terminal anyway).")
@click.version_option(package_name="ai-video-kg", prog_name="kg")
@click.pass_context
def main(ctx: click.Context, data: Path | None, ontology: Path | None, base_iri: str | None,
         quiet: bool) -> None:
    """A knowledge graph of the AI-video market: who builds, integrates,
    competes with and opted out of what, each fact sourced and dated."""
    ctx.obj = Context(data, ontology, quiet, base_iri)


# Registering the command modules; each adds its commands to ``main``.
from kg.cli import analysis, core, curate, export, html, query, rdfcli, sources  # noqa: E402,F401
