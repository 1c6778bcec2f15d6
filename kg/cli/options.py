"""The options several commands share, each declared once (as dbt's ``cli/params.py``).

Each is a decorator: ``@options.relations`` adds ``--relation REL`` (repeatable) under the
parameter name ``relations``. Help texts that differ by command take a ``help=`` argument.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

__all__ = ["as_of", "day", "entities", "fmt", "kinds", "last_day", "metrics", "output", "page",
           "relations", "roles", "since", "text_or_json", "types", "until"]

F = TypeVar("F", bound=Callable[..., Any])


def day(value: str | None, pick: str) -> dt.date | None:
    """The first (``pick="start"``) or last day of a YYYY, YYYY-MM or YYYY-MM-DD option value."""
    from kg.data.dates import DateError, PartialDate

    if value is None:
        return None
    try:
        parsed = PartialDate.parse(value)
    except DateError as exc:
        raise click.BadParameter(str(exc)) from None
    return parsed.start() if pick == "start" else parsed.end()


def first_day(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    return day(value, "start")


def last_day(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    return day(value, "end")


def _repeatable(flag: str, name: str, metavar: str, default_help: str) -> Callable[..., Callable[[F], F]]:
    def option(func: F | None = None, *, help: str = default_help) -> Any:  # noqa: A002 - click's name
        decorator = click.option(flag, name, multiple=True, metavar=metavar, help=help)
        return decorator(func) if func is not None else decorator
    return option


relations = _repeatable("--relation", "relations", "REL", "Only facts of this relation (repeatable).")
types = _repeatable("--type", "types", "TYPE", "Only entities of this type or a subtype (repeatable).")
roles = _repeatable("--role", "roles", "ROLE",
                    "Only entities with this role, e.g. rights-holder (repeatable).")
kinds = _repeatable("--kind", "kinds", "KIND",
                    "Only facts of this kind: fact, event or claim (repeatable).")
metrics = _repeatable("--metric", "metrics", "METRIC", "Only figures of this metric (repeatable).")
entities = _repeatable("--entity", "entities", "ENTITY",
                       "Only facts this entity is subject or object of (repeatable).")

as_of = click.option(
    "--as-of", "as_of", metavar="DATE", callback=last_day,
    help="Only facts valid on DATE (YYYY, YYYY-MM or YYYY-MM-DD: the last day of that period).",
)
since = click.option("--since", callback=first_day, metavar="DATE",
                     help="Only records dated on or after DATE.")
until = click.option("--until", callback=last_day, metavar="DATE",
                     help="Only records dated on or before DATE.")

def page(noun: str, default_help: str | None = None) -> Callable[[F], F]:
    """``--limit N`` and ``--offset M``: list N of the ``noun`` from the (M+1)-th on. With
    ``default_help`` the limit has no default of its own (None): the command picks it, as the
    help says."""
    from kg.query.common import DEFAULT_PAGE

    def decorate(func: F) -> F:
        func = click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True,
                            metavar="M", help=f"Skip the first M {noun}.")(func)
        if default_help is not None:
            return click.option("--limit", type=click.IntRange(min=1), default=None, metavar="N",
                                help=f"List at most N {noun} (a line says how many more); "
                                f"{default_help}.")(func)
        return click.option("--limit", type=click.IntRange(min=1), default=DEFAULT_PAGE,
                            show_default=True, metavar="N",
                            help=f"List at most N {noun} (a line says how many more).")(func)
    return decorate


text_or_json = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="Output format.",
)


def fmt(*choices: str, default: str | None = None, help: str = "Output format.") -> Callable[[F], F]:  # noqa: A002
    """``--format`` with the formats a command writes."""
    extra: dict[str, Any] = {"default": default, "show_default": True} if default is not None else {}
    return click.option("--format", "fmt", type=click.Choice(list(choices)), help=help, **extra)


def output(func: F | None = None, *, help: str = "Write to this file (atomically) instead of standard "  # noqa: A002
           "output.", required: bool = False, folder: bool = False, default: Path | None = None) -> Any:
    """``-o/--output``: a file (or, with ``folder``, a folder) written whole or not at all."""
    # A default passed as None would count as a value for a required option (click >= 8.3).
    extra: dict[str, Any] = {"default": default, "show_default": True} if default is not None else {}
    kind = click.Path(file_okay=False, path_type=Path) if folder else click.Path(dir_okay=False,
                                                                                    path_type=Path)
    decorator = click.option("-o", "--output", required=required, type=kind, help=help, **extra)
    return decorator(func) if func is not None else decorator


def format_from_suffix(fmt: str | None, output: Path | None, suffixes: dict[str, str], default: str) -> str:
    """The format given, else the one the output file's extension names, else ``default``."""
    if fmt is not None:
        return fmt
    suffix = output.suffix.lower() if output is not None else ""
    return suffixes.get(suffix, default)
