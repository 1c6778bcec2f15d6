"""``kg sparql`` (query the RDF view) and ``kg import rdf`` (read a dump back into YAML)."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path
from typing import Any

import click

from kg.cli import Context, emit_json, main

__all__ = ["import_", "import_rdf", "push", "sparql"]


def _remote_options(func: Any) -> Any:
    func = click.option("--allow-http-credentials", is_flag=True,
                        help="Send credentials over plain http to a host other than this machine "
                        "(anyone on the way can read them; use https instead where you can).")(func)
    return click.option("--max-reply", type=click.IntRange(min=1), default=100, show_default=True,
                        metavar="MIB", help="With --endpoint: stop reading an answer larger than "
                        "this (exit 1).")(func)


@main.command()
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(["table", "text", "json", "csv"]), default="table",
              show_default=True, help="Output format (text is the same as table; json and csv follow "
              "the SPARQL 1.1 result formats).")
@click.option("--vocabulary", is_flag=True, help="Also query the vocabulary (ontology/kg.ttl): "
              "labels and definitions of classes, relations, kinds and metrics.")
@click.option("--endpoint", metavar="URL", help="Query this SPARQL service (a store's query URL) "
              "instead of the local data. Credentials: KG_ENDPOINT_TOKEN, KG_ENDPOINT_USER and "
              "KG_ENDPOINT_PASSWORD with KG_ENDPOINT_ORIGIN, or ~/.netrc.")
@click.option("--graph", metavar="IRI", callback=lambda c, p, v: _iri(v, p),
              help="With --endpoint: query this named graph as the default graph (as pushed by "
              "kg push).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30, show_default=True,
              metavar="SECONDS", help="Stop the query after this long, or with --endpoint stop "
              "the request (connecting, sending, the whole answer) after this long (exit 1).")
@click.option("--memory", "memory_mb", type=click.IntRange(min=16), default=1024, show_default=True,
              metavar="MIB", help="Stop a local query when it takes more memory than this (exit 1).")
@click.option("--allow-service", is_flag=True, help="Let SERVICE clauses of a local query query the "
              "remote endpoints they name (network access; off by default).")
@_remote_options
@click.pass_obj
def sparql(obj: Context, query: str, fmt: str, vocabulary: bool, endpoint: str | None,
           graph: str | None, timeout: float, memory_mb: int, allow_service: bool,
           max_reply: int, allow_http_credentials: bool) -> None:
    """Run a SPARQL 1.1 query over the graph's RDF (the triples `kg export rdf` writes),
    or over a SPARQL store with --endpoint.

    QUERY is the query text, @FILE to read it from a file, or @- for standard input.
    The prefixes kg:, entity:, fact:, figure:, source:, rdf:, rdfs:, owl:, xsd:,
    skos:, prov:, dcterms: and schema: are declared. Exit 1 when the query finds
    nothing (no rows, ASK false, an empty graph), runs past --timeout or --memory, or
    the store fails; exit 2 for a query that does not parse, or that has SERVICE
    without --allow-service.
    """
    from kg.rdf.sparqlquery import NetworkRefused, SparqlSyntaxError, store_sparql

    if endpoint is None and graph is not None:
        raise click.UsageError("--graph needs --endpoint")
    if endpoint is not None and vocabulary:
        raise click.UsageError("--vocabulary queries the local vocabulary; push it to the store "
                               "with kg push --vocabulary and query its graph instead")
    service = (_endpoint(endpoint, timeout, max_reply, allow_http_credentials)
               if endpoint is not None else None)
    text = _query_text(query)
    try:
        if service is not None:
            from kg.rdf.remote import remote_sparql

            result = remote_sparql(obj.ontology(), service, text, graph)
        else:
            # The RDF holds every rank (the truthy view and the full statements), as exported;
            # it is kept in an Oxigraph store beside the compiled store (kg.rdf.sparqlstore).
            result = store_sparql(obj.store(), text, vocabulary, timeout=timeout,
                                  memory_mb=memory_mb, allow_service=allow_service,
                                  progress=obj.progress())
    except SparqlSyntaxError as exc:
        raise click.BadParameter(f"not a valid SPARQL query: {exc}", param_hint="'QUERY'") from None
    except NetworkRefused as exc:
        raise click.BadParameter(str(exc), param_hint="'QUERY'") from None
    if result.kind == "graph":
        _emit_graph(result.graph, fmt)
    elif result.kind == "ask":
        if fmt == "json":
            emit_json({"head": {}, "boolean": result.boolean})
        else:
            click.echo("true" if result.boolean else "false")
    elif fmt == "json":
        emit_json(result.to_json())
    elif fmt == "csv":
        click.echo(result.to_csv(), nl=False)
    elif result.rows:
        for line in _table([result.variables, *[[result.show(v) for v in row] for row in result.rows]]):
            click.echo(line)
    if result.empty:
        click.echo("no results", err=True)
        sys.exit(1)


def _iri(value: str | None, param: click.Parameter) -> str | None:
    from kg.rdf.remote import is_iri

    if value is not None and not is_iri(value):
        raise click.BadParameter(f"{value!r} is not an absolute IRI", param=param)
    return value


def _endpoint(url: str, timeout: float, max_reply_mib: int, allow_http_credentials: bool) -> Any:
    from kg.rdf.remote import Endpoint

    try:
        return Endpoint(url, timeout, max_reply_mib * 1024 * 1024, allow_http_credentials)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--endpoint'") from None


@main.command()
@click.option("--endpoint", metavar="URL", required=True, help="The store's Graph Store Protocol "
              "URL (Oxigraph: http://HOST:7878/store).")
@click.option("--graph", metavar="IRI", callback=lambda c, p, v: _iri(v, p),
              help="The named graph to replace (default: urn:ai-video-kg:graph:dataset, under "
              "--base-iri if given).")
@click.option("--vocabulary", is_flag=True, help="Also replace the vocabulary's graph "
              "(…graph:vocabulary) with ontology/kg.ttl.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=120.0,
              show_default=True, help="Seconds for each upload as a whole (connecting, sending, "
              "the store's answer).")
@_remote_options
@click.pass_obj
def push(obj: Context, endpoint: str, graph: str | None, vocabulary: bool, timeout: float,
         max_reply: int, allow_http_credentials: bool) -> None:
    """Upload the graph's RDF into a SPARQL store, replacing a named graph.

    Uses the SPARQL 1.1 Graph Store HTTP Protocol (HTTP PUT of N-Triples), so the
    graph is replaced as a whole, never doubled. Credentials come from
    KG_ENDPOINT_TOKEN, or KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD, for the
    origin KG_ENDPOINT_ORIGIN names, or ~/.netrc; never from the command line.
    Exit 1 when the store cannot be reached or answers with an error.
    """
    from kg.rdf.remote import push as upload
    from kg.rdf.stream import StoreRecords

    service = _endpoint(endpoint, timeout, max_reply, allow_http_credentials)
    for done in upload(StoreRecords(obj.store()), service, graph, vocabulary):
        click.echo(f"replaced <{done.graph}> at {endpoint}: {done.triples} triples")


def _query_text(query: str) -> str:
    if not query.startswith("@"):
        return query
    if query == "@-":
        return sys.stdin.read()
    path = Path(query[1:])
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise click.BadParameter(f"cannot read {path}: {exc.strerror}", param_hint="'QUERY'") from None
    except UnicodeDecodeError:
        raise click.BadParameter(f"{path} is not UTF-8 text", param_hint="'QUERY'") from None


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(rows: list[list[str]]) -> list[str]:
    """Columns padded to their widest cell (CJK characters count double)."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def _emit_graph(graph: Any, fmt: str) -> None:
    """CONSTRUCT and DESCRIBE results: Turtle, JSON-LD, or N-Triples for csv."""
    from kg.rdf import triples_text

    if graph is None or len(graph) == 0:
        return
    if fmt == "json":
        text = graph.serialize(format="json-ld", indent=2)
        click.echo(text.rstrip("\n"))
    elif fmt == "csv":
        for line in triples_text(graph):
            click.echo(line)
    else:
        from kg.rdf import turtle

        click.echo(turtle(graph).decode("utf-8").rstrip("\n"))


@main.group(name="import")
def import_() -> None:
    """Read data written in another format back into YAML data files."""


@import_.command("rdf")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "syntax", type=click.Choice(["turtle", "nt", "jsonld", "trig", "xml", "nquads"]),
              help="RDF syntax (default: from the file's suffix).")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write sources.yaml, entities.yaml, facts.yaml and figures.yaml into "
              "(default: one YAML document on standard output).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=120, show_default=True,
              metavar="SECONDS", help="Stop reading the file after this long (exit 1).")
@click.pass_obj
def import_rdf(obj: Context, file: Path, syntax: str | None, output: Path | None,
               timeout: float) -> None:
    """Read an RDF dump (as `kg export rdf` writes it) back into the YAML data model.

    The files written pass `kg validate` when the dump came from valid data;
    exporting them again gives the same RDF. With -o the folder is checked
    after writing, and any problem is listed (exit 1). Only FILE is read (no
    remote JSON-LD contexts, no DTDs); the files appear in DIR all together or
    not at all.
    """
    from kg.rdf import read_dump, yaml_files, yaml_text
    from kg.util.atomic import FolderNotOwned, write_folder_atomic

    ontology = obj.ontology()
    records = read_dump(file, ontology, syntax, timeout=timeout)
    counts = {name: len(items) for name, items in records.sections().items()}
    if output is None:
        click.echo(yaml_text({k: v for k, v in records.sections().items() if v}), nl=False)
        return
    files = yaml_files(records)
    others = sorted(p.name for p in output.glob("*") if p.suffix in (".yaml", ".yml")
                    and p.name not in files) if output.is_dir() else []
    if others:
        raise click.UsageError(f"{output} holds other data files ({', '.join(others)}); "
                               "import into an empty folder")
    try:
        written = write_folder_atomic(output, files,
                                      owned=[f"{name}.yaml" for name in records.sections()])
    except FolderNotOwned as exc:
        raise click.UsageError(str(exc)) from None
    for path in written:
        click.echo(f"wrote {path}")
    from kg.data.load import check

    _loaded, problems = check(output, ontology)
    for problem in problems:
        click.echo(str(problem), err=True)
    click.echo(", ".join(f"{n} {k}" for k, n in counts.items()))
    if problems:
        click.echo(f"error: the imported data has {len(problems)} problem"
                   f"{'s' if len(problems) != 1 else ''}", err=True)
        sys.exit(1)

