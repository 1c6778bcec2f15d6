"""Core commands: validate, stats, show, search."""

from __future__ import annotations

import datetime as dt
import sys

import click

from kg.cli import Context, as_of_option, emit_json, format_option, main
from kg.errors import KgError


@main.command()
@click.option("--shacl", is_flag=True, help="Also build the data's RDF and validate it against the "
              "SHACL shapes generated from the ontology (ontology/shapes.ttl).")
@format_option
@click.pass_obj
def validate(obj: Context, fmt: str, shacl: bool) -> None:
    """Check every data file against the ontology; list all problems."""
    result = obj.store(require_valid=False).result
    problems = result.problems
    violations = []
    if shacl and not problems:
        from kg.shacl import validate as shacl_validate

        violations = shacl_validate(obj.dataset())
    counts = {key: result.counts.get(key, 0)
              for key in ("files", "entities", "facts", "figures", "sources")}
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
        click.echo("valid: " + ", ".join(f"{v} {k}" for k, v in counts.items())
                   + ("; the RDF conforms to the SHACL shapes" if shacl else ""))
    if problems or violations:
        sys.exit(1)


@main.command()
@as_of_option
@format_option
@click.pass_obj
def stats(obj: Context, as_of: dt.date | None, fmt: str) -> None:
    """Counts of entities, facts, figures and sources, by type and relation."""
    from kg.stats import summary

    result = summary(obj.dataset().as_of(as_of)) if as_of else obj.store().summary()
    if fmt == "json":
        emit_json(result)
        return
    for key in ("entities", "facts", "figures", "sources"):
        click.echo(f"{key}: {result[key]}")
    for key in ("by_type", "by_relation", "by_kind"):
        click.echo(key.replace("_", " ") + ":")
        for name, count in result[key].items():
            click.echo(f"  {name}: {count}")


@main.command()
@click.argument("entity")
@as_of_option
@format_option
@click.pass_obj
def show(obj: Context, entity: str, as_of: dt.date | None, fmt: str) -> None:
    """One entity: labels, aliases, figures and every fact in and out.

    ENTITY is an id, a label or an alias in any language (可灵 = 可靈 = Kling).
    With --as-of, only the facts valid and the figures known on that day.
    """
    from kg import textfmt
    from kg.store.traverse import entity_subset

    store = obj.store()
    data = entity_subset(store, store.resolve(entity))
    found = data.resolve(entity)
    if as_of is not None:
        if not found.exists_on(as_of):
            raise KgError(f"{found.label} did not exist yet on {as_of.isoformat()} "
                          f"(founded {found.attributes['founded']})")
        data = data.as_of(as_of)
    facts_out, facts_in = data.facts_of(found.id)
    figures = data.figures_of(found.id)
    if fmt == "json":
        emit_json({**found.to_json(),
                   "figures": [f.to_json() for f in figures],
                   "facts_out": [f.to_json() for f in facts_out],
                   "facts_in": [f.to_json() for f in facts_in]})
        return
    for line in textfmt.entity_block(data, found):
        click.echo(line)
    if figures:
        click.echo("figures:")
        for figure in figures:
            click.echo("  " + textfmt.figure_line(data, figure))
            click.echo("      sources: " + textfmt.citations(data, figure.sources))
    if facts_out or facts_in:
        click.echo("facts:")
    for fact in [*facts_out, *facts_in]:
        click.echo("  " + textfmt.fact_line(data, fact, start=found.id))
        if fact.qualifiers:
            click.echo("      " + textfmt.qualifiers(fact.qualifiers, data))
        click.echo("      sources: " + textfmt.citations(data, fact.sources))


@main.command()
@click.argument("text")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True,
              help="At most this many results.")
@format_option
@click.pass_obj
def search(obj: Context, text: str, limit: int, fmt: str) -> None:
    """Entities whose labels or aliases match TEXT, best first (exit 1 if none)."""
    matches = obj.store().search(text, limit=limit)
    if fmt == "json":
        emit_json([m.to_json() for m in matches])
    else:
        for m in matches:
            click.echo(f"{m.score:5.1f}  {m.id}  [{m.type}]  {m.label}"
                       + (f"  (matched {m.matched!r})" if m.matched != m.label else ""))
    if not matches:
        click.echo(f"no entity matches {text!r}", err=True)
        sys.exit(1)
