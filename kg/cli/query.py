"""Query commands: path, neighbors, edges, timeline, rank (see docs/queries.md)."""

from __future__ import annotations

import datetime as dt

import click

from kg.cli import Context, as_of_option, emit_json, format_option, main, period_day, usage_errors
from kg.data.model import Dataset, Fact
from kg.query.rank import METRICS


def _first_day(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    return period_day(value, "start")


def _last_day(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    return period_day(value, "end")




def _hop_lines(data: Dataset, hop, explain: bool, indent: str) -> list[str]:
    from kg.data import phrases

    lines = [indent + phrases.fact_line(data, hop.fact, start=hop.start)]
    if explain:
        lines.extend(indent + "    " + line for line in _explain(data, hop.fact))
        lines.extend(phrases.note_lines(hop.fact.note, indent + "    "))
    return lines


def _explain(data: Dataset, fact: Fact) -> list[str]:
    from kg.data import phrases

    kinds = data.ontology.fact_kinds
    label = kinds[fact.kind].label.get("en", fact.kind) if fact.kind in kinds else fact.kind
    if fact.kind == "claim":
        who = f" by {data.label(fact.claimed_by)}" if fact.claimed_by else ""
        kind = f"kind: CLAIM{who} (an opinion attributed to its source, not an established fact)"
    else:
        kind = f"kind: {label}"
    lines = [kind, f"fact: {fact.id}"]
    if fact.derived_from is not None:
        lines.append(f"reference: derived from {fact.derived_from.field} of "
                     f"{fact.derived_from.record}")
    if fact.qualifiers:
        lines.append("qualifiers: " + phrases.qualifiers(fact.qualifiers, data))
    for ref in fact.sources:
        source = data.sources.get(ref.source)
        where = f"{source.publisher}, \u201c{source.title}\u201d, {source.date}" if source else ref.source
        lines.append(f"source: {ref.source} \u2014 {where} \u2014 at {ref.locator}")
    return lines


@main.command()
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option("--via", multiple=True, metavar="REL", help="Only facts of this relation (repeatable).")
@click.option("--exclude", multiple=True, metavar="REL", help="Never facts of this relation (repeatable).")
@click.option("--max-hops", type=click.IntRange(min=1), metavar="N", help="At most N hops.")
@click.option("-k", "k", type=click.IntRange(min=1), default=None, metavar="N",
              help="The N shortest paths (default 1).")
@click.option("--all", "all_paths", is_flag=True, help="Every simple path up to --max-hops (required).")
@click.option("--directed", is_flag=True,
              help="Follow facts only in their stated direction (symmetric relations both ways).")
@as_of_option
@click.option("--kind", "kinds", multiple=True, metavar="KIND",
              help="Only facts of this kind: fact, event or claim (repeatable).")
@click.option("--explain", is_flag=True, help="Each hop's kind, sources and locators.")
@format_option
@click.pass_obj
def path(obj: Context, source: str, target: str, via: tuple[str, ...], exclude: tuple[str, ...],
         max_hops: int | None, k: int | None, all_paths: bool, directed: bool, as_of: dt.date | None,
         kinds: tuple[str, ...], explain: bool, fmt: str) -> None:
    """Paths from FROM to TO, shortest first (ids, labels or aliases).

    Each hop is printed in walking order; the arrow shows the fact's stated
    direction: A —rel→ B (stated from A), A ←rel— B (stated from B, walked
    backwards), A —rel— B (a symmetric relation). Exit 1 when there is none.
    """
    from kg.query.paths import find_paths

    if all_paths and k is not None:
        raise click.UsageError("give either -k or --all, not both")
    if all_paths and max_hops is None:
        raise click.UsageError("--all needs a bound: add --max-hops N (e.g. --max-hops 4)")
    from kg.query.common import check_kinds, check_relations
    from kg.query.paths import path_subset
    from kg.store.traverse import Walk

    store = obj.store()
    source, target = store.resolve(source), store.resolve(target)
    if source == target:
        raise click.UsageError(f"FROM and TO are the same entity ({store.entities([source])[source].label})")
    with usage_errors():
        names = Dataset(store.ontology, {}, {}, [], [])
        walk = Walk(via=frozenset(check_relations(names, via, "via")),
                    exclude=frozenset(check_relations(names, exclude, "exclude")),
                    kinds=frozenset(check_kinds(names, kinds, "kinds")), as_of=as_of, directed=directed)
    data = path_subset(store, source, target, walk, k=k or 1, all_paths=all_paths, max_hops=max_hops)
    with usage_errors():
        result = find_paths(data, source, target, via=via, exclude=exclude, max_hops=max_hops,
                            k=k or 1, all_paths=all_paths, directed=directed, as_of=as_of,
                            kinds=kinds)
    if result.truncated:
        click.echo(result.note, err=True)
    if fmt == "json":
        emit_json(result.to_json(data, explain=explain))
        return
    several = all_paths or (k or 1) > 1
    for number, hops in enumerate(result.paths, start=1):
        if several:
            if number > 1:
                click.echo("")
            plural = "s" if len(hops) != 1 else ""
            click.echo(f"path {number} of {len(result.paths)} ({len(hops)} hop{plural})")
        for hop in hops:
            for line in _hop_lines(data, hop, explain, "  " if several else ""):
                click.echo(line)


@main.command()
@click.argument("entity")
@click.option("--relation", "relations", multiple=True, metavar="REL",
              help="Only facts of this relation (repeatable).")
@click.option("--direction", type=click.Choice(["in", "out", "both"]), default="both", show_default=True,
              help="Follow facts stated from (out) or to (in) each entity; symmetric ones count as both.")
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True, metavar="N",
              help="Entities within N hops.")
@as_of_option
@format_option
@click.pass_obj
def neighbors(obj: Context, entity: str, relations: tuple[str, ...], direction: str, depth: int,
              as_of: dt.date | None, fmt: str) -> None:
    """Entities within --depth hops of ENTITY, with the facts that reached them."""
    from kg.data import phrases
    from kg.errors import KgError
    from kg.query.common import check_relations
    from kg.query.neighbors import neighbors as find
    from kg.store.traverse import neighborhood_subset

    store = obj.store()
    with usage_errors():
        check_relations(Dataset(store.ontology, {}, {}, [], []), relations)
    center = store.resolve(entity)
    data = neighborhood_subset(store, center, depth, direction, relations)
    entity = center
    with usage_errors():
        result = find(data, entity, relations=relations, direction=direction, depth=depth, as_of=as_of)
    if not result.reached:
        raise KgError(f"{result.entity.label} has no neighbors with these filters")
    if fmt == "json":
        emit_json(result.to_json(data))
        return
    for reached in result.reached:
        node = data.entities[reached.id]
        click.echo(f"{reached.depth}  {node.label}  [{node.type}]  {node.id}")
        for hop in reached.hops:
            click.echo("     " + phrases.fact_line(data, hop.fact, start=hop.start))
            for line in phrases.note_lines(hop.fact.note, "         "):
                click.echo(line)


@main.command()
@click.option("--relation", "relations", multiple=True, metavar="REL",
              help="Only this relation (repeatable).")
@click.option("--subject-type", "subject_types", multiple=True, metavar="TYPE",
              help="Only subjects of this entity type or a subtype (repeatable).")
@click.option("--object-type", "object_types", multiple=True, metavar="TYPE",
              help="Only objects of this entity type or a subtype (repeatable).")
@click.option("--subject-role", "subject_roles", multiple=True, metavar="ROLE",
              help="Only subjects with this role, e.g. rights-holder (repeatable).")
@click.option("--object-role", "object_roles", multiple=True, metavar="ROLE",
              help="Only objects with this role (repeatable).")
@click.option("--entity", "entities", multiple=True, metavar="ENTITY",
              help="Only facts this entity is subject or object of (repeatable).")
@click.option("--kind", "kinds", multiple=True, metavar="KIND", help="Only facts of this kind (repeatable).")
@as_of_option
@format_option
@click.pass_obj
def edges(obj: Context, relations: tuple[str, ...], subject_types: tuple[str, ...],
          object_types: tuple[str, ...], subject_roles: tuple[str, ...], object_roles: tuple[str, ...],
          entities: tuple[str, ...], kinds: tuple[str, ...], as_of: dt.date | None, fmt: str) -> None:
    """The facts and reference edges matching the filters (all without any), each with its note."""
    from kg.data import phrases
    from kg.errors import KgError
    from kg.query.common import check_kinds, check_relations
    from kg.query.edges import edge_json
    from kg.query.edges import edges as find
    from kg.store.traverse import edges_subset

    store = obj.store()
    with usage_errors():
        names = Dataset(store.ontology, {}, {}, [], [])
        data = edges_subset(store, check_relations(names, relations), check_kinds(names, kinds))
    if entities:  # --entity names any entity, also one without facts of these relations
        data = obj.dataset()
    with usage_errors():
        facts = find(data, relations=relations, subject_types=subject_types, object_types=object_types,
                     kinds=kinds, as_of=as_of, subject_roles=subject_roles, object_roles=object_roles,
                     entities=entities)
    if not facts:
        raise KgError("no fact matches these filters")
    if fmt == "json":
        emit_json([edge_json(data, fact) for fact in facts])
        return
    for fact in facts:
        click.echo(phrases.fact_line(data, fact))
        for line in phrases.note_lines(fact.note, "    "):
            click.echo(line)


@main.command()
@click.argument("entity", required=False)
@click.option("--relation", "relations", multiple=True, metavar="REL",
              help="Only facts of this relation (repeatable; leaves out figures unless --metric).")
@click.option("--metric", "metrics", multiple=True, metavar="METRIC",
              help="Only figures of this metric (repeatable; leaves out facts unless --relation).")
@click.option("--since", callback=_first_day, metavar="DATE", help="Only records dated on or after DATE.")
@click.option("--until", callback=_last_day, metavar="DATE", help="Only records dated on or before DATE.")
@format_option
@click.pass_obj
def timeline(obj: Context, entity: str | None, relations: tuple[str, ...], metrics: tuple[str, ...],
             since: dt.date | None, until: dt.date | None, fmt: str) -> None:
    """Dated facts and figures in date order, for ENTITY or for everything."""
    from kg.errors import KgError
    from kg.query.timeline import timeline as find

    data = obj.dataset()
    with usage_errors():
        entries = find(data, entity, relations=relations, metrics=metrics, since=since, until=until)
    if not entries:
        raise KgError("no dated fact or figure matches these filters")
    rows = [entry.to_json(data) for entry in entries]
    if fmt == "json":
        emit_json(rows)
        return
    for row in rows:
        click.echo(f"{row['date']:<10}  {row['text']}")


@main.command()
@click.option("--metric", type=click.Choice(METRICS), default="degree",
              show_default=True, help="The centrality measure.")
@click.option("--relation", "relations", multiple=True, metavar="REL",
              help="Only facts of this relation (repeatable).")
@click.option("--type", "types", multiple=True, metavar="TYPE",
              help="Only list entities of this type or a subtype (repeatable).")
@click.option("--role", "roles", multiple=True, metavar="ROLE",
              help="Only list entities with this role, e.g. rights-holder (repeatable).")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, metavar="N",
              help="At most N entities.")
@as_of_option
@format_option
@click.pass_obj
def rank(obj: Context, metric: str, relations: tuple[str, ...], types: tuple[str, ...],
         roles: tuple[str, ...], limit: int, as_of: dt.date | None, fmt: str) -> None:
    """The most central entities, highest score first (ties by id)."""
    from kg.errors import KgError
    from kg.query.rank import rank as find

    data = obj.dataset()
    with usage_errors():
        scores = find(data, metric, relations=relations, types=types, limit=limit, as_of=as_of,
                      roles=roles, progress=obj.progress())
    if not scores:
        raise KgError("no entity matches these filters")
    if fmt == "json":
        emit_json([score.to_json(data) for score in scores])
        return
    for score in scores:
        entity = data.entities[score.id]
        shown = f"{score.score:>8}" if isinstance(score.score, int) else f"{score.score:8.6f}"
        click.echo(f"{score.rank:>3}  {shown}  {entity.label}  [{entity.type}]  {entity.id}")
