"""Core commands: validate, stats, show, search."""

from __future__ import annotations

import datetime as dt
import sys

import click

from kg.cli import Context, as_of_option, emit_json, format_option, main
from kg.data.model import Dataset, Entity, Fact, Figure
from kg.errors import KgError


@main.command()
@click.option("--shacl", is_flag=True, help="Also build the data's RDF and validate it against the "
              "SHACL shapes generated from the ontology (ontology/shapes.ttl).")
@click.option("--full", is_flag=True, help="Check across every record, not only across what "
              "changed since the last run (as a new store is checked).")
@format_option
@click.pass_obj
def validate(obj: Context, fmt: str, shacl: bool, full: bool) -> None:
    """Check every data file against the ontology; list all problems."""
    result = obj.store(require_valid=False, full=full).result
    problems = result.problems
    violations = []
    if shacl and not problems:
        from kg.rdf.shapes import validate as shacl_validate

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
    from kg.query.stats import summary

    result = summary(obj.dataset().as_of(as_of)) if as_of else obj.store().summary()
    if fmt == "json":
        emit_json(result)
        return
    for key in ("entities", "facts", "figures", "sources", "references"):
        click.echo(f"{key}: {result[key]}")
    for key in ("by_type", "by_relation", "by_kind"):
        click.echo(key.replace("_", " ") + ":")
        for name, count in result[key].items():
            click.echo(f"  {name}: {count}")


@main.command()
@click.argument("name", metavar="ENTITY|SOURCE")
@as_of_option
@format_option
@click.pass_obj
def show(obj: Context, name: str, as_of: dt.date | None, fmt: str) -> None:
    """One entity, or one source, with everything that rests on it.

    ENTITY is an id, a label or an alias in any language (可灵 = 可靈 = Kling):
    labels, aliases, figures and every fact in and out. A registered source
    id (see `kg sources`) shows the source instead: its metadata and every
    fact and figure citing it, with locators; no entity is ever named like a
    source id (`kg validate` checks it). With --as-of, only the facts valid
    and the figures known on that day.
    """
    from kg.store.traverse import entity_subset

    store = obj.store()
    if name in store.sources:
        _show_source(obj.dataset(), name, as_of, fmt)
        return
    entity_id = store.resolve(name)
    data = entity_subset(store, entity_id)
    found = data.entities[entity_id]
    if as_of is not None:
        if not data.exists_on(found.id, as_of):
            raise KgError(f"{found.label} did not exist yet on {as_of.isoformat()} "
                          f"({data.existence_reason(found.id)})")
        data = data.as_of(as_of)
    _show_entity(data, found, fmt)


def _show_entity(data: Dataset, found: Entity, fmt: str) -> None:
    from kg.data import phrases

    facts_out, facts_in = data.facts_of(found.id)
    figures = data.figures_of(found.id)
    published = data.published_by(found.id)
    start = data.exists_from(found.id)
    if fmt == "json":
        emit_json({**found.to_json(),
                   "exists_from": str(start) if start else None,
                   "figures": [f.to_json() for f in figures],
                   "facts_out": [f.to_json() for f in facts_out],
                   "facts_in": [f.to_json() for f in facts_in],
                   "sources_published": [s.id for s in published]})
        return
    for line in phrases.entity_block(data, found):
        click.echo(line)
    if "founded" not in found.attributes:  # else the attributes said it already
        click.echo(f"  exists from: {start} (its first dated fact or figure)" if start
                   else "  exists: always (no founded date, nothing dated)")
    if published:
        click.echo("publishes sources:")
        for source in published:
            click.echo(f"  {source.id}  {source.date}  \u201c{source.title}\u201d")
    if figures:
        click.echo("figures:")
        for figure in figures:
            click.echo("  " + phrases.figure_line(data, figure))
            click.echo("      sources: " + phrases.citations(data, figure.sources))
            for line in phrases.note_lines(figure.note, "      "):
                click.echo(line)
    if facts_out or facts_in:
        click.echo("facts:")
    for fact in [*facts_out, *facts_in]:
        click.echo("  " + phrases.fact_line(data, fact, start=found.id))
        if fact.qualifiers:
            click.echo("      " + phrases.qualifiers(fact.qualifiers, data))
        click.echo("      sources: " + phrases.citations(data, fact.sources))
        for line in phrases.note_lines(fact.note, "      "):
            click.echo(line)


def _show_source(data: Dataset, source_id: str, as_of: dt.date | None, fmt: str) -> None:
    from kg.data import phrases

    if as_of is not None:
        data = data.as_of(as_of)
    source = data.sources[source_id]
    facts, figures = data.citing(source_id)

    def locators(record: Fact | Figure) -> list[str]:
        return [ref.locator for ref in record.sources if ref.source == source_id]

    if fmt == "json":
        emit_json({**source.to_json(), "record": "source",
                   "facts": [{**f.to_json(), "locators": locators(f)} for f in facts],
                   "figures": [{**g.to_json(), "locators": locators(g)} for g in figures]})
        return
    for line in phrases.source_block(data, source):
        click.echo(line)
    click.echo(f"facts citing it: {len(facts)}")
    for fact in facts:
        click.echo("  " + phrases.fact_line(data, fact))
        click.echo("      at " + "; ".join(locators(fact)))
        for line in phrases.note_lines(fact.note, "      "):
            click.echo(line)
    click.echo(f"figures citing it: {len(figures)}")
    for figure in figures:
        click.echo(f"  {data.label(figure.entity)} {phrases.figure_line(data, figure)}")
        click.echo("      at " + "; ".join(locators(figure)))
        for line in phrases.note_lines(figure.note, "      "):
            click.echo(line)


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

