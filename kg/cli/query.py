"""Query commands: path, neighbors, edges, timeline, rank (see docs/queries.md)."""

from __future__ import annotations

import datetime as dt
import itertools
import sys

import click

from kg.cli import Context, echo_lines, emit_json, emit_json_listing, main, options, usage_errors
from kg.errors import KgError
from kg.query.paths import DEFAULT_LIMIT, path_json
from kg.query.rank import METRICS

__all__ = ["edges", "neighbors", "path", "rank", "timeline"]


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
@options.as_of
@options.kinds
@click.option("--explain", is_flag=True, help="Each hop's kind, sources and locators.")
@click.option("--limit", type=click.IntRange(min=1), default=DEFAULT_LIMIT, show_default=True,
              metavar="N", help="List at most N paths (a note says when there are more).")
@options.text_or_json
@click.pass_obj
def path(obj: Context, source: str, target: str, via: tuple[str, ...], exclude: tuple[str, ...],
         max_hops: int | None, k: int | None, all_paths: bool, directed: bool, as_of: dt.date | None,
         kinds: tuple[str, ...], explain: bool, limit: int, fmt: str) -> None:
    """Paths from FROM to TO, shortest first (ids, labels or aliases).

    Each hop is printed in walking order; the arrow shows the fact's stated
    direction: A —rel→ B (stated from A), A ←rel— B (stated from B, walked
    backwards), A —rel— B (a symmetric relation). Exit 1 when there is none.
    """
    from kg.render import text

    if all_paths and k is not None:
        raise click.UsageError("give either -k or --all, not both")
    if all_paths and max_hops is None:
        raise click.UsageError("--all needs a bound: add --max-hops N (e.g. --max-hops 4)")
    landscape = obj.landscape
    if landscape.store.resolve(source) == landscape.store.resolve(target):
        raise click.UsageError(f"FROM and TO are the same entity ({landscape.entity(source).label})")
    if all_paths:  # printed as they are found: there may be many
        assert max_hops is not None
        with usage_errors():
            stream = landscape.stream_paths(source, target, via=via, exclude=exclude, kinds=kinds,
                                            max_hops=max_hops, directed=directed, as_of=as_of,
                                            limit=limit)
        found = iter(stream)
        first = next(found, None)
        if first is None:  # nothing written: the error alone
            raise stream.no_path()
        if fmt == "json":  # one JSON document, written path by path
            emit_json_listing(stream.head_json(), "paths",
                              (stream.path_json(hops, explain) for hops in itertools.chain([first], found)),
                              lambda: {"truncated": stream.truncated})
        else:
            for number, hops in enumerate(itertools.chain([first], found), start=1):
                echo_lines(text.streamed_path(stream.records(hops), number, hops, explain))
                sys.stdout.flush()
        if stream.truncated:
            click.echo(stream.note, err=True)
        return
    with usage_errors():
        result = landscape.paths(source, target, via=via, exclude=exclude, kinds=kinds, k=k or 1,
                                 all=all_paths, max_hops=max_hops, directed=directed, as_of=as_of,
                                 limit=limit)
    if result.truncated:
        click.echo(result.note, err=True)
    # The order of the k best is known once they are all found (a path using a claim may
    # come after a longer search of the facts alone); each is then phrased and printed in turn.
    if fmt == "json":
        emit_json_listing(result.head_json(), "paths",
                          (path_json(result.dataset, hops, explain) for hops in result.paths),
                          lambda: {"truncated": result.truncated})
    else:
        for lines in text.path_blocks(result, explain):
            echo_lines(lines)
            sys.stdout.flush()


@main.command()
@click.argument("entity")
@options.relations
@click.option("--direction", type=click.Choice(["in", "out", "both"]), default="both", show_default=True,
              help="Follow facts stated from (out) or to (in) each entity; symmetric ones count as both.")
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True, metavar="N",
              help="Entities within N hops.")
@options.as_of
@options.page("neighbors")
@options.text_or_json
@click.pass_obj
def neighbors(obj: Context, entity: str, relations: tuple[str, ...], direction: str, depth: int,
              as_of: dt.date | None, limit: int, offset: int, fmt: str) -> None:
    """Entities within --depth hops of ENTITY, with the facts that reached them."""
    from kg.render import text

    with usage_errors():
        result = obj.landscape.neighbors(entity, depth=depth, direction=direction, relations=relations,
                                         as_of=as_of, limit=limit, offset=offset)
    if not result.reached:
        raise KgError(f"{result.entity.label} has no neighbors with these filters")
    if fmt == "json":
        emit_json(result.to_json())
    else:
        echo_lines(text.neighbors(result))


@main.command()
@options.relations(help="Only this relation (repeatable).")
@click.option("--subject-type", "subject_types", multiple=True, metavar="TYPE",
              help="Only subjects of this entity type or a subtype (repeatable).")
@click.option("--object-type", "object_types", multiple=True, metavar="TYPE",
              help="Only objects of this entity type or a subtype (repeatable).")
@click.option("--subject-role", "subject_roles", multiple=True, metavar="ROLE",
              help="Only subjects with this role, e.g. rights-holder (repeatable).")
@click.option("--object-role", "object_roles", multiple=True, metavar="ROLE",
              help="Only objects with this role (repeatable).")
@options.entities
@options.kinds(help="Only facts of this kind (repeatable).")
@options.as_of
@options.page("facts", default_help="by default 100 with --entity (a hub's facts), all otherwise")
@options.text_or_json
@click.pass_obj
def edges(obj: Context, relations: tuple[str, ...], subject_types: tuple[str, ...],
          object_types: tuple[str, ...], subject_roles: tuple[str, ...], object_roles: tuple[str, ...],
          entities: tuple[str, ...], kinds: tuple[str, ...], as_of: dt.date | None,
          limit: int | None, offset: int, fmt: str) -> None:
    """The facts and reference edges matching the filters (all without any), each with its note."""
    from kg.query.common import DEFAULT_PAGE
    from kg.render import text

    if limit is None and entities:  # an entity may be a hub: a page of its facts
        limit = DEFAULT_PAGE

    with usage_errors():
        found = obj.landscape.edges(relations=relations, subject_types=subject_types,
                                    object_types=object_types, subject_roles=subject_roles,
                                    object_roles=object_roles, entities=entities, kinds=kinds, as_of=as_of,
                                    limit=limit, offset=offset)
    if not found:
        raise KgError("no fact matches these filters")
    if fmt == "json":
        emit_json(found.to_json())
        if found.page is not None and found.page.more:  # the JSON is a list: the note goes aside
            click.echo(found.page.note("facts"), err=True)
    else:
        echo_lines(text.edges(found))


@main.command()
@click.argument("entity", required=False)
@options.relations(help="Only facts of this relation (repeatable; leaves out figures unless --metric).")
@options.metrics(help="Only figures of this metric (repeatable; leaves out facts unless --relation).")
@options.since
@options.until
@options.text_or_json
@click.pass_obj
def timeline(obj: Context, entity: str | None, relations: tuple[str, ...], metrics: tuple[str, ...],
             since: dt.date | None, until: dt.date | None, fmt: str) -> None:
    """Dated facts and figures in date order, for ENTITY or for everything."""
    from kg.render import text

    with usage_errors():
        entries = obj.landscape.timeline(entity, relations=relations, metrics=metrics, since=since,
                                         until=until)
    if not entries:
        raise KgError("no dated fact or figure matches these filters")
    if fmt == "json":
        emit_json(entries.to_json())
    else:
        echo_lines(text.timeline(entries))


@main.command()
@click.option("--metric", type=click.Choice(METRICS), default="degree",
              show_default=True, help="The centrality measure.")
@options.relations
@options.types(help="Only list entities of this type or a subtype (repeatable).")
@options.roles(help="Only list entities with this role, e.g. rights-holder (repeatable).")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, metavar="N",
              help="At most N entities.")
@options.as_of
@options.text_or_json
@click.pass_obj
def rank(obj: Context, metric: str, relations: tuple[str, ...], types: tuple[str, ...],
         roles: tuple[str, ...], limit: int, as_of: dt.date | None, fmt: str) -> None:
    """The most central entities, highest score first (ties by id)."""
    from kg.render import text

    with usage_errors():
        scores = obj.landscape.rank(metric, relations=relations, types=types, roles=roles, limit=limit,
                                    as_of=as_of)
    if not scores:
        raise KgError("no entity matches these filters")
    if fmt == "json":
        emit_json(scores.to_json())
    else:
        echo_lines(text.rank(scores))
