"""Core commands: validate, stats, show, search."""

from __future__ import annotations

import datetime as dt
import sys

import click

from kg.cli import Context, echo_lines, emit_json, main, options

__all__ = ["search", "show", "stats", "validate"]


@main.command()
@click.option("--shacl", is_flag=True, help="Also build the data's RDF and validate it against the "
              "SHACL shapes generated from the ontology (ontology/shapes.ttl).")
@click.option("--full", is_flag=True, help="Check across every record, not only across what "
              "changed since the last run (as a new store is checked).")
@options.text_or_json
@click.pass_obj
def validate(obj: Context, fmt: str, shacl: bool, full: bool) -> None:
    """Check every data file against the ontology; list all problems."""
    result = obj.landscape.validation(full=full)
    problems = result.problems
    violations = []
    if shacl and not problems:
        from kg.rdf.shapes import validate as shacl_validate

        violations = shacl_validate(obj.landscape.dataset)
    counts = {key: result.counts.get(key, 0)
              for key in ("files", "entities", "facts", "references", "figures", "sources")
              if key in result.counts or key != "references"}
    if fmt == "json":
        emit_json({"valid": not problems and not violations, **counts,
                   "problems": [{"file": p.loc.file, "line": p.loc.line, "column": p.loc.column,
                                 "message": p.message, "hint": p.hint} for p in problems],
                   **({"shacl": None if problems else [v.to_json() for v in violations]}
                      if shacl else {})})
    elif problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found", err=True)
    elif violations:
        for violation in violations:
            click.echo(str(violation), err=True)
        click.echo(f"{len(violations)} SHACL violation{'s' if len(violations) != 1 else ''} found",
                   err=True)
    else:
        from kg.data.phrases import count_text

        click.echo("valid: " + count_text(counts)
                   + ("; the RDF conforms to the SHACL shapes" if shacl else ""))
    if problems or violations:
        sys.exit(1)


@main.command()
@options.as_of
@options.text_or_json
@click.pass_obj
def stats(obj: Context, as_of: dt.date | None, fmt: str) -> None:
    """Counts of entities, facts, figures and sources, by type and relation."""
    from kg.render import text

    result = obj.landscape.stats(as_of=as_of)
    if fmt == "json":
        emit_json(result)
    else:
        echo_lines(text.stats(result))


@main.command()
@click.argument("name", metavar="ENTITY|SOURCE")
@options.as_of
@options.page("facts")
@options.text_or_json
@click.pass_obj
def show(obj: Context, name: str, as_of: dt.date | None, limit: int, offset: int, fmt: str) -> None:
    """One entity, or one source, with everything that rests on it.

    ENTITY is an id, a label or an alias in any language (可灵 = 可靈 = Kling):
    labels, aliases, figures and every fact in and out. A registered source
    id (see `kg sources`) shows the source instead: its metadata and every
    fact and figure citing it, with locators; no entity is ever named like a
    source id (`kg validate` checks it). With --as-of, only the facts valid
    and the figures known on that day. An entity's facts are listed --limit
    at a time (a last line says how many more, and the --offset that shows them).
    """
    from kg.query.profile import EntityProfile
    from kg.render import text

    profile = obj.landscape.profile(name, as_of=as_of, limit=limit, offset=offset)
    if fmt == "json":
        emit_json(profile.to_json())
    elif isinstance(profile, EntityProfile):
        echo_lines(text.entity_profile(profile))
    else:
        echo_lines(text.source_profile(profile))


@main.command()
@click.argument("text")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True,
              help="At most this many results.")
@options.text_or_json
@click.pass_obj
def search(obj: Context, text: str, limit: int, fmt: str) -> None:
    """Entities whose labels or aliases match TEXT, best first (exit 1 if none)."""
    from kg.render import text as render_text

    matches = obj.landscape.search(text, limit=limit)
    if fmt == "json":
        emit_json([m.to_json() for m in matches])
    else:
        echo_lines(render_text.search(matches))
    if not matches:
        click.echo(f"no entity matches {text!r}", err=True)
        sys.exit(1)
