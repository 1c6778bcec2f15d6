"""The ``kg`` command line: parses arguments, calls the library, formats output.

Exit codes: 0 success, 1 invalid data or no result, 2 usage error. Commands
live in one module per concern (``core``, ``query``, ``export`` …) and are
registered on ``main`` at the bottom of this file.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg.errors import BadQuestion, DataError, KgError, LookupFailed, UnknownTerm

if TYPE_CHECKING:
    from kg.data.model import Dataset
    from kg.data.ontology import Ontology
    from kg.landscape import Landscape
    from kg.store import Store
    from kg.util.progress import Progress


class Context:
    """What every command shares: the options naming the data, and the landscape they open."""

    def __init__(self, data: Path | None, ontology: Path | None, quiet: bool = False,
                 base_iri: str | None = None) -> None:
        self.data = data
        self.ontology_path = ontology
        self.quiet = quiet
        self.base_iri = base_iri
        self._landscape: Landscape | None = None

    @property
    def landscape(self) -> Landscape:
        """The one door every command asks (``kg.open``); nothing is read before the first question."""
        if self._landscape is None:
            from kg.landscape import Landscape
            from kg.util.progress import Progress

            self._landscape = Landscape(self.data, self.ontology_path, base_iri=self.base_iri,
                                        progress=Progress(enabled=False if self.quiet else None))
        return self._landscape

    def ontology(self) -> Ontology:
        return self.landscape.ontology

    def progress(self) -> Progress:
        return self.landscape.progress

    def store(self, require_valid: bool = True) -> Store:
        """The compiled store of the data, brought up to date (see kg.store)."""
        return self.landscape.store if require_valid else self.landscape.compiled()

    def dataset(self) -> Dataset:
        """The whole dataset in memory, read from the store."""
        return self.landscape.dataset


class Group(click.Group):
    """Turns the library's errors into one clear message and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        from kg.util.terminal import terminal_line as line

        # Messages may quote the data or a server's answer: each is made one safe line.
        try:
            return super().invoke(ctx)
        except DataError as exc:
            for problem in exc.problems:
                click.echo(line(str(problem)), err=True)
            click.echo(f"error: {line(str(exc))}", err=True)
            ctx.exit(1)
        except LookupFailed as exc:
            click.echo(f"error: {line(str(exc))}", err=True)
            if exc.candidates:
                click.echo("did you mean:", err=True)
                for entity_id, label in exc.candidates:
                    click.echo(f"  {line(entity_id)}  ({line(label)})", err=True)
            if exc.next_step:
                click.echo(f"next step: {line(exc.next_step)}", err=True)
            ctx.exit(1)
        except BadQuestion as exc:
            raise click.UsageError(str(exc), ctx) from None
        except KgError as exc:
            click.echo(f"error: {line(str(exc))}", err=True)
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


def echo_lines(lines: list[str]) -> None:
    # A thousand lines to a write: one ``click.echo`` per line costs 2 µs each, a tenth of a
    # second for the forty thousand lines of every figure at a million facts.
    for start in range(0, len(lines), 1000):
        click.echo("\n".join(lines[start:start + 1000]))


def emit_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def emit_json_listing(head: dict[str, Any], key: str, items: Iterable[Any],
                      tail: Callable[[], dict[str, Any]]) -> None:
    """``emit_json({**head, key: list(items), **tail()})``, byte for byte, written as the items
    come: the head first, then each item as soon as it is made (a listing may take long to
    find whole), then the keys only known at its end (``tail``, called after the last item)."""
    def dumped(value: Any, indent: str) -> str:  # a value at ``indent``: its inner lines too
        return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + indent)

    def members(values: dict[str, Any]) -> str:
        return "".join(f"  {dumped(name, '')}: {dumped(value, '  ')},\n" for name, value in values.items())

    click.echo("{\n" + members(head) + f"  {dumped(key, '')}: [", nl=False)
    empty = True
    for item in items:
        click.echo(("\n" if empty else ",\n") + "    " + dumped(item, "    "), nl=False)
        sys.stdout.flush()
        empty = False
    ending = members(tail())
    click.echo(("]" if empty else "\n  ]") + (",\n" + ending[:-2] if ending else "") + "\n}")


def _base_iri(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from kg.data.ontology import BASE_IRI_RE

    if value is not None and not BASE_IRI_RE.match(value):
        raise click.BadParameter(f"{value!r} is not an absolute IRI ending in '/' or ':' "
                                 "(such as https://kg.example.org/)")
    return value


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
    _safe_terminal()
    ctx.obj = Context(data, ontology, quiet, base_iri)


def _safe_terminal() -> None:
    """On a terminal, standard output and standard error show the escapes and controls that
    outside text (data, a store's answers) may hold instead of letting the terminal act on
    them; a file or a pipe gets the bytes as they are."""
    import sys

    from kg.util.terminal import SafeStream

    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if not isinstance(stream, SafeStream) and hasattr(stream, "isatty") and stream.isatty():
            setattr(sys, name, SafeStream(stream))


# Registering the command modules; each adds its commands to ``main``.
from kg.cli import analysis, core, curate, export, query, rdfcli, sources  # noqa: E402,F401

__all__ = ["Context", "echo_lines", "emit_json", "Group", "main", "OPTION_NAMES", "usage_errors"]
