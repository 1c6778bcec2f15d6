"""Curation commands: ``kg add``, ``kg import csv``, ``kg fmt``.

The options of ``kg add`` are made from the record specs (``kg.data.records.SPECS``):
one per field, so a field added to a spec is an option at once.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from kg.cli import Context, main
from kg.cli.rdfcli import import_
from kg.data.load import SINGULAR, SPECS
from kg.data.records import Field
from kg.errors import UnknownTerm

__all__ = [
    "add", "add_entity", "add_fact", "add_figure", "add_source", "ARGUMENTS", "FIELD_HELP", "field_help",
    "fmt", "import_csv", "option_name"
]

# Fields given as arguments rather than options, by section.
ARGUMENTS = {
    "sources": (),
    "entities": ("label",),
    "facts": ("subject", "relation", "object"),
    "figures": ("entity", "metric"),
}
_METAVARS = {"date": "DATE", "number": "NUMBER", "str-map": "LANG=TEXT", "map": "KEY=VALUE"}
# What a field holds, for help and prompts (any field without an entry gets its kind).
FIELD_HELP = {
    "id": "the record's id (default: derived as the data's conventions say)",
    "title": "the document's title",
    "publisher": "who published it",
    "author": "the author, where named",
    "date": "the publication date",
    "language": "the document's language: en, zh-Hans or zh-Hant",
    "url": "the address, only where the document itself gives one",
    "published_in": "where it was published (when there is no url)",
    "publisher_entity": "the publisher's entity in the graph",
    "text": "how check-citations finds the text: sha256=DIGEST or file=PATTERN, paragraphs=blocks|lines",
    "type": "an entity type of the ontology",
    "roles": "a role of the ontology",
    "labels": "a label in another language",
    "aliases": "another name, in any language",
    "description": "one sentence in our own words",
    "attributes": "an attribute of the ontology: country, founded, url",
    "kind": "fact, event or claim",
    "claimed_by": "who holds the opinion (claims only)",
    "since": "valid from, or the day of an event, or the start of the period measured",
    "until": "valid until, or the end of the period measured",
    "since_basis": "'curator' when no source states the since date (it is then no reported change)",
    "until_basis": "'curator' when no source states the until date (it is then no reported change)",
    "bound": "how the value bounds the quantity: at-most, at-least or about",
    "scope": "what the number is about, when more than its entity",
    "period": "the period measured, in words, when since/until cannot say it",
    "qualifiers": "a qualifier of the ontology (amount=800 USD million, rank=1, region=US …)",
    "note": "a note in our own words",
    "value": "the number (or --range)",
    "range": "the lowest and highest number (or --value)",
    "scale": "thousand, million or billion",
    "unit": "the metric's unit; an ISO 4217 code for money",
    "region": "where it was measured",
    "measured_by": "the entity that measured it",
    "where": "the market or store",
    "retrieved": "a web page: the day it was read",
    "rank": "preferred, normal (the default) or deprecated",
    "rank_reason": "why it is deprecated: superseded, disputed or retracted",
}
# Fields whose meaning depends on the record: (section, key) -> help.
SECTION_HELP = {
    ("sources", "kind"): "a web page: company, news, filing or aggregator",
}
_KIND_HELP = {"date": "a date (YYYY, YYYY-MM or YYYY-MM-DD)", "bool": "true or false",
              "number": "a number", "map": "a KEY=VALUE pair", "str-list": "a value"}


def field_help(key: str, spec: Field, section: str | None = None) -> str:
    return (SECTION_HELP.get((section, key)) or FIELD_HELP.get(key) or _KIND_HELP.get(spec.kind)
            or key.replace("_", " "))


def _singular(name: str) -> str:
    """aliases -> alias, roles -> role, region -> region."""
    if name.endswith("ses"):
        return name[:-2]
    return name[:-1] if name.endswith("s") else name


def option_name(section: str, key: str) -> str:
    """The option that carries a field: ``--claimed-by``, ``--alias``, ``--label``."""
    kind = SPECS[section][key].kind
    name = _singular(key) if kind in ("str-list", "str-map", "map") else key
    return "--" + name.replace("_", "-")


def _field_options(section: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """One option per field of the section's record spec (those not given as arguments)."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        for key, spec in reversed(list(SPECS[section].items())):
            if key in ARGUMENTS[section]:
                continue
            func = _option(section, key, spec)(func)
        return func

    return decorate


def _option(section: str, key: str, spec: Field) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    name = option_name(section, key)
    about = field_help(key, spec, section)
    text = about[:1].upper() + about[1:] + (
        " (required)" if spec.required and key not in _DERIVED.get(section, ()) else "") + "."
    if key == "sources":
        return _sources_option
    if key == "range":
        return click.option(name, key, nargs=2, metavar="LOW HIGH", help=text)
    if spec.kind == "bool":
        return click.option(f"{name}/--not-{name[2:]}", key, default=None, help=text)
    multiple = spec.kind in ("str-list", "str-map", "map")
    metavar = _METAVARS.get(spec.kind, "TEXT")
    return click.option(name, key, multiple=multiple, metavar=metavar,
                        help=text[:-1] + (" (repeatable)." if multiple else "."))


def _sources_option(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--phrase", "phrases", multiple=True, metavar="TEXT",
                        help="The key phrase of each citation, one per --source, in order "
                        "(required for a web page: a few words of the paragraph).")(func)
    func = click.option("--locator", "locators", multiple=True, metavar="TEXT",
                        help="Where in the source, one per --source, in order (a web page: "
                        "\"para N\", counted from the top).")(func)
    return click.option("--source", "sources", multiple=True, metavar="SOURCE",
                        help="A registered source id (repeatable, each with a --locator).")(func)


# Required fields the data's conventions fill in when they are not given.
_DERIVED = {
    "sources": ("id", "shipped"),
    "entities": ("id", "labels"),
    "facts": ("kind",),
    "figures": ("kind", "unit"),
}


def _pairs(values: tuple[str, ...], option: str, default_key: str | None = None) -> dict[str, str]:
    """``KEY=VALUE`` options -> a mapping (a bare value is ``default_key``'s)."""
    found: dict[str, str] = {}
    for value in values:
        key, sep, text = value.partition("=")
        if not sep:
            if default_key is None:
                raise click.BadParameter(f"{value!r} is not KEY=VALUE", param_hint=f"'{option}'")
            key, text = default_key, value
        found[key.strip()] = text.strip()
    return found


def _raw_fields(section: str, params: dict[str, Any]) -> dict[str, Any]:
    """The record fields given on the command line, as text."""
    raw: dict[str, Any] = {}
    for key, spec in SPECS[section].items():
        if key == "sources":
            sources, locators = params.get("sources") or (), params.get("locators") or ()
            phrases = params.get("phrases") or ()
            if len(sources) != len(locators):
                raise click.UsageError("give one --locator for each --source, in the same order")
            if phrases and len(phrases) != len(sources):
                raise click.UsageError("give one --phrase for each --source, in the same order, "
                                       "or none")
            raw[key] = [{"source": s, "locator": loc, **({"phrase": phrases[n]} if phrases else {})}
                        for n, (s, loc) in enumerate(zip(sources, locators, strict=True))]
            continue
        value = params.get(key)
        if spec.kind == "str-map":
            value = _pairs(value or (), option_name(section, key), default_key="en")
        elif spec.kind == "map":
            value = _pairs(value or (), option_name(section, key))
        elif spec.kind == "str-list":
            value = list(value or ())
        elif key == "range":
            value = list(value) if value else None
        raw[key] = value
    if section == "entities" and params.get("label"):
        raw["labels"] = {"en": params["label"], **raw.get("labels", {})}
    for key in ARGUMENTS[section]:
        if key in SPECS[section] and params.get(key) is not None:
            raw[key] = params[key]
    return raw


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _prompt_missing(section: str, raw: dict[str, Any], missing: list[str]) -> None:
    """Ask for each missing required field (only when a person is at the terminal)."""
    for key in missing:
        spec = SPECS[section][key]
        if key == "sources":
            source = click.prompt("source (a registered source id)")
            locator = click.prompt("locator (where in the source)")
            raw["sources"] = [{"source": source, "locator": locator}]
        elif key == "labels":
            raw["labels"] = {**raw.get("labels", {}), "en": click.prompt("English label")}
        elif spec.kind == "bool":
            raw[key] = click.confirm(f"{key} ({field_help(key, spec, section)})")
        else:
            raw[key] = click.prompt(f"{key} ({field_help(key, spec, section)})")


@contextmanager
def _as_usage_errors(section: str) -> Iterator[None]:
    """Unknown ontology names and unusable values in options are usage errors (exit 2)."""
    from kg.curation.curate import InvalidInput

    try:
        yield
    except UnknownTerm as exc:
        key = exc.param
        hint = (key.upper() if key in ARGUMENTS[section]
                else option_name(section, key) if key in SPECS[section] else f"--{key}")
        raise click.BadParameter(str(exc), param_hint=f"'{hint}'") from None
    except InvalidInput as exc:
        raise click.UsageError(str(exc)) from None


def _missing(section: str, record: dict[str, Any]) -> list[str]:
    """The required fields the record lacks, those the conventions may derive last."""
    derived = _DERIVED.get(section, ())
    missing = [k for k, f in SPECS[section].items() if f.required and k not in record]
    return sorted(missing, key=lambda k: k in derived and k != "labels")


def _add(obj: Context, section: str, params: dict[str, Any]) -> None:
    from kg.curation.curate import Curator, Draft, Refused

    curator = Curator(obj.data, obj.ontology())
    raw = _raw_fields(section, params)
    with _as_usage_errors(section):
        record = curator.complete(section, curator.typed(section, raw))
        missing = _missing(section, record)
        while missing and _stdin_is_terminal():
            # One at a time, the fields nothing derives first: a label gives the id.
            _prompt_missing(section, raw, missing[:1])
            record = curator.complete(section, curator.typed(section, raw))
            missing = _missing(section, record)
        if missing:
            names = [k.upper() if k in ARGUMENTS[section] else option_name(section, k)
                     for k in missing]
            if section == "entities" and "labels" in missing:
                names[missing.index("labels")] = "LABEL"
            raise click.UsageError(f"missing {', '.join(names)} for the new {SINGULAR[section]}")
        if section == "entities" and not (params.get("of") or params.get("file")) \
                and _stdin_is_terminal():
            params["of"] = click.prompt("of (the company it belongs to: an entity)")
        target = curator.target_file(section, record, of=params.get("of"), file=params.get("file"))
        drafts = [Draft(section, record, target)]
        if section == "entities":
            drafts += _first_facts(curator, record["id"], target, params)
    try:
        changes = curator.apply(drafts, write=not params["dry_run"])
    except Refused as exc:
        for message in exc.messages:
            click.echo(message, err=True)
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    verb = "would add" if params["dry_run"] else "added"
    for change in changes:
        click.echo(f"{verb} {change.draft.what} at {change.file}:{change.line}")
        for line in change.text:
            click.echo(line)
    if section == "entities" and len(changes) == 1:
        click.echo(f"note: {changes[0].draft.id} is in no fact or figure yet; `kg validate` reports "
                   "it until one cites it (kg add fact …, or --fact here)", err=True)


def _first_facts(curator: Any, entity_id: str, entity_file: Path, params: dict[str, Any]) -> list[Any]:
    """The facts ``--fact RELATION ENTITY`` and ``--fact-in ENTITY RELATION`` state about a new
    entity, citing --source/--locator; each goes where a fact of its subject goes."""
    from kg.curation.curate import Draft

    stated = [(relation, {"object": other}, "subject") for relation, other in params.get("facts") or ()]
    stated += [(relation, {"subject": other}, "object") for other, relation in params.get("facts_in") or ()]
    sources, locators = params.get("sources") or (), params.get("locators") or ()
    if not stated:
        if sources or locators:
            raise click.UsageError("--source and --locator cite the facts of --fact and --fact-in")
        return []
    if not sources or len(sources) != len(locators):
        raise click.UsageError("cite the facts of --fact and --fact-in with --source and --locator "
                               "(one --locator for each --source)")
    refs = [{"source": s, "locator": loc} for s, loc in zip(sources, locators, strict=True)]
    drafts = []
    for relation, other, side in stated:
        try:
            fact = curator.typed("facts", {"relation": relation, **other, "sources": refs})
        except UnknownTerm as exc:
            option = "--fact" if side == "subject" else "--fact-in"
            raise click.BadParameter(str(exc), param_hint=f"'{option}'") from None
        fact = curator.complete("facts", {**fact, side: entity_id})
        target = entity_file if side == "subject" else curator.target_file("facts", fact)
        drafts.append(Draft("facts", fact, target))
    return drafts


def _common_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--dry-run", is_flag=True,
                        help="Check and show the record and where it would go; write nothing.")(func)
    return click.option("--file", type=click.Path(dir_okay=False), metavar="FILE",
                        help="The data file to add to, relative to the data folder "
                        "(default: by the conventions in seeds/README.md).")(func)


@main.group()
def add() -> None:
    """Add a source, entity, fact or figure to the data files.

    The record is validated together with the whole dataset before anything
    is written; the file keeps its comments and layout. Missing required
    fields are asked for when standard input is a terminal.
    """


@add.command("source")
@_field_options("sources")
@_common_options
@click.pass_obj
def add_source(obj: Context, **params: Any) -> None:
    """Register a source. Its id is derived from publisher and title unless --id is given."""
    _add(obj, "sources", params)


@add.command("entity")
@click.argument("label", required=False)
@_field_options("entities")
@click.option("--of", metavar="ENTITY", help="The company it belongs to: the entity goes to the "
              "file that declares that one.")
@click.option("--fact", "facts", nargs=2, multiple=True, metavar="RELATION ENTITY",
              help="A first fact with the new entity as subject (repeatable).")
@click.option("--fact-in", "facts_in", nargs=2, multiple=True, metavar="ENTITY RELATION",
              help="A first fact with the new entity as object (repeatable).")
@_sources_option
@_common_options
@click.pass_obj
def add_entity(obj: Context, **params: Any) -> None:
    """Declare an entity; LABEL is its English label, from which its id is derived.

    `kg validate` reports an entity that no fact or figure cites: state its
    first facts here with --fact or --fact-in (citing --source and
    --locator), or next with `kg add fact`.
    """
    _add(obj, "entities", params)


@add.command("fact")
@click.argument("subject", required=False)
@click.argument("relation", required=False)
@click.argument("object", required=False)
@_field_options("facts")
@_common_options
@click.pass_obj
def add_fact(obj: Context, **params: Any) -> None:
    """State SUBJECT RELATION OBJECT, with at least one --source and --locator.

    SUBJECT and OBJECT are ids, labels or aliases in any language. The kind
    is 'fact' unless --kind says otherwise (or the relation takes claims only).
    """
    _add(obj, "facts", params)


@add.command("figure")
@click.argument("entity", required=False)
@click.argument("metric", required=False)
@_field_options("figures")
@_common_options
@click.pass_obj
def add_figure(obj: Context, **params: Any) -> None:
    """Record a number about ENTITY: --value or --range, with --source and --locator.

    The unit is the metric's own unless it is a currency (then --unit CODE).
    """
    _add(obj, "figures", params)


# --- kg fmt -------------------------------------------------------------------

@main.command()
@click.option("--check", is_flag=True, help="Change nothing; exit 1 naming the files that are "
              "not in the canonical layout.")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def fmt(obj: Context, check: bool, files: tuple[Path, ...]) -> None:
    """Lay out the data files canonically: key order, quoting, blank lines.

    Comments stay. FILES default to every data file of the data folder.
    """
    from kg.curation.layout import format_files

    changed, problems = format_files(obj.data, list(files) or None, write=not check)
    for problem in problems:
        click.echo(problem, err=True)
    for name in changed:
        click.echo(f"would reformat {name}" if check else f"reformatted {name}")
    if problems or (check and changed):
        sys.exit(1)


# --- kg import csv ---------------------------------------------------------------

@import_.command("csv")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--mapping", type=click.Path(dir_okay=False, path_type=Path), required=True,
              metavar="MAPPING.yaml", help="What each row becomes (see docs/curating.md).")
@click.option("--dry-run", is_flag=True, help="Show what would be added, changed or refused; "
              "write nothing.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=120, show_default=True,
              metavar="SECONDS", help="Stop an import that takes longer than this (exit 1).")
@click.pass_obj
def import_csv(obj: Context, file: Path, mapping: Path, dry_run: bool, timeout: float) -> None:
    """Add the rows of a CSV file as entities, facts or figures: all of them or none.

    A row whose record exists already (same id) changes that record. With any
    row refused, nothing is written and every refused row is named (exit 1).
    """
    from kg.curation import csvimport
    from kg.curation.curate import Curator, write_files
    from kg.data.load import display_path

    rules = csvimport.read_mapping(mapping, display_path(mapping))
    curator = Curator(obj.data, obj.ontology())
    if dry_run:
        outcome = csvimport.bounded_import(curator, file, display_path(file), rules, timeout)
        for line in outcome["report"]:
            click.echo(line)
        if outcome["problems"]:
            sys.exit(1)
        return
    with curator.writing():  # checked and written as one step, one writer at a time
        outcome = csvimport.bounded_import(curator, file, display_path(file), rules, timeout)
        problems = outcome["problems"]
        if problems:
            for message in problems:
                click.echo(message, err=True)
            click.echo(f"error: nothing imported: {len(problems)} problem"
                       f"{'s' if len(problems) != 1 else ''}", err=True)
            sys.exit(1)
        write_files({Path(name): text for name, text in outcome["texts"].items()}, curator.folder)
    click.echo(outcome["report"][-1])
    for name in outcome["files"]:
        click.echo(f"wrote {name}")
