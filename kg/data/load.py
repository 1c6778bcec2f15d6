"""Loading: YAML files in a data folder -> typed records, with positions.

This module checks the shape of each record (keys and value types) and
builds the model objects. Everything that needs more than one record at a
time (references, domain and range, duplicates …) is ``kg.data.validate``'s job.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kg.data.model import Dataset, Entity, Fact, Figure, Loaded, Source, SourceRef, TextSpec
from kg.data.ontology import Ontology, load_ontology
from kg.data.records import Field, check_record, convert, items_with_locs, loc_in, type_name
from kg.data.validate import validate
from kg.errors import DataError, KgError, Problem
from kg.util.yamlsafe import (
    Loc,
    MarkedMap,
    NeedsMarks,
    PlainMap,
    YamlError,
    parse_bytes,
    parse_bytes_plain,
    read_file,
)

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "seeds"
SECTIONS = ("sources", "entities", "facts", "figures")

# A citation names its place with ``locator``, or, on a web page, with ``paragraph`` (the
# paragraph counted from the top of the page, the same as ``locator: "para N"``); ``phrase`` is
# the key phrase a reader searches for there.
_SOURCE_REF = {"source": Field("str", required=True), "locator": Field("str"),
               "paragraph": Field("int"), "phrase": Field("str")}
_TEXT_SPEC = {"sha256": Field("str"), "file": Field("str"), "paragraphs": Field("str")}
# How paragraphs are counted in a source text (kg.data.citations.Text).
PARAGRAPH_RULES = ("blocks", "lines", "sentence-lines")
_SHA256_RE = re.compile(r"^[0-9a-f]{64}\Z")
# The key order of each spec is the canonical order of a record (kg fmt, kg add).
_SPECS: dict[str, dict[str, Field]] = {
    "sources": {
        "id": Field("str", required=True),
        "title": Field("str", required=True),
        "publisher": Field("str", required=True),
        "publisher_entity": Field("str"),
        "author": Field("str"),
        "date": Field("date", required=True),
        "retrieved": Field("date"),
        "language": Field("str", required=True),
        "kind": Field("str"),
        "url": Field("str"),
        "published_in": Field("str"),
        "text": Field("map"),
        "note": Field("str"),
    },
    "entities": {
        "id": Field("str", required=True),
        "type": Field("str", required=True),
        "roles": Field("str-list"),
        "labels": Field("str-map", required=True),
        "aliases": Field("str-list"),
        "description": Field("str"),
        "attributes": Field("map"),
        "wikidata": Field("str"),
    },
    "facts": {
        "id": Field("str"),
        "subject": Field("str", required=True),
        "relation": Field("str", required=True),
        "object": Field("str", required=True),
        "kind": Field("str", required=True),
        "claimed_by": Field("str"),
        "since": Field("date"),
        "until": Field("date"),
        "since_basis": Field("str"),
        "until_basis": Field("str"),
        "qualifiers": Field("map"),
        "rank": Field("str"),
        "rank_reason": Field("str"),
        "sources": Field("list", required=True),
        "note": Field("str"),
    },
    "figures": {
        "id": Field("str"),
        "entity": Field("str", required=True),
        "metric": Field("str", required=True),
        "value": Field("number"),
        "range": Field("list"),
        "scale": Field("str"),
        "unit": Field("str", required=True),
        "bound": Field("str"),
        "scope": Field("str"),
        "period": Field("str"),
        "since": Field("date"),
        "until": Field("date"),
        "region": Field("str-list"),
        "measured_by": Field("str"),
        "where": Field("str"),
        "qualifiers": Field("map"),
        "kind": Field("str", required=True),
        "rank": Field("str"),
        "rank_reason": Field("str"),
        "sources": Field("list", required=True),
        "note": Field("str"),
    },
}
_SINGULAR = {"sources": "source", "entities": "entity", "facts": "fact", "figures": "figure"}
SPECS = _SPECS
SINGULAR = _SINGULAR


def display_path(path: Path) -> str:
    """A path as shown in messages: relative to the working folder where it can be."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def data_files(data_dir: Path) -> list[Path]:
    """Every *.yaml / *.yml file under the folder, sorted. Hidden folders and files (an
    editor's lock ``.#market.yaml``, a backup ``.market.yaml.swp``) are skipped, each
    with a note on standard error. A write that was killed half-way through its renames
    is finished first (``kg.util.journal``)."""
    from kg.util.journal import JOURNAL_NAME, LOCK_NAME, recover, remove_stale_lock

    if not data_dir.exists():
        raise KgError(f"data folder not found: {display_path(data_dir)}")
    if not data_dir.is_dir():
        raise KgError(f"not a folder: {display_path(data_dir)}")
    if os.path.lexists(data_dir / JOURNAL_NAME):
        recover(data_dir)
    elif os.path.lexists(data_dir / LOCK_NAME):
        remove_stale_lock(data_dir)
    found: list[Path] = []
    try:
        for root, dirs, files in os.walk(data_dir, onerror=_raise):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in files:
                if not name.endswith((".yaml", ".yml")):
                    continue
                if name.startswith("."):
                    _note_hidden(Path(root) / name)
                    continue
                found.append(Path(root) / name)
    except OSError as exc:
        raise KgError(f"cannot read the data folder {display_path(data_dir)}: "
                      f"{exc.strerror}") from None
    return sorted(found)


_NOTED: set[Path] = set()


def _note_hidden(path: Path) -> None:
    """Say once per run that a hidden file was not read (it is no data: see ``data_files``)."""
    import sys

    from kg.util.terminal import terminal_line

    if path not in _NOTED:
        _NOTED.add(path)
        print(f"note: {terminal_line(display_path(path))} is a hidden file (an editor's lock or "
              "backup?); not read", file=sys.stderr)


def _raise(exc: OSError) -> None:
    raise exc


def read_folder(data_dir: str | os.PathLike[str] | None = None,
                ontology: Ontology | None = None,
                replaced: Mapping[Path, bytes] | None = None) -> Loaded:
    """Read every data file; shape problems are collected, not raised.

    ``replaced`` gives the content of some files (new ones included) instead
    of what is on disk: the data as it would be after a write.
    """
    folder = Path(data_dir) if data_dir is not None else DEFAULT_DATA
    loaded = Loaded(ontology=ontology or load_ontology())
    contents = {Path(p).resolve(): content for p, content in (replaced or {}).items()}
    on_disk = {p.resolve(): p for p in data_files(folder)}
    files = sorted([*on_disk.values(), *(p for p in contents if p not in on_disk)], key=Path.resolve)
    if not files:
        raise KgError(f"no *.yaml or *.yml files in {display_path(folder)}")
    for path in files:
        display = display_path(path)
        loaded.files.append(display)
        content = contents.get(path.resolve()) if contents else None
        try:
            tree = parse_bytes(content, display) if content is not None else read_file(path, display)
        except YamlError as exc:
            loaded.problems.append(Problem(exc.loc, exc.message, exc.hint))
            continue
        _read_document(tree, display, loaded)
    return loaded


def parse_data_file(data: bytes, display: str) -> Loaded:
    """The records and shape problems of one data file, from its bytes (no ontology needed)."""
    loaded = Loaded(ontology=None)  # type: ignore[arg-type]
    loaded.files.append(display)
    try:
        tree = parse_bytes(data, display)
    except YamlError as exc:
        loaded.problems.append(Problem(exc.loc, exc.message, exc.hint))
        return loaded
    _read_document(tree, display, loaded)
    return loaded


def read_data_file(data: bytes, display: str) -> tuple[Loaded, bool]:
    """The records and shape problems of one data file, and whether positions were kept.

    The file is first read without positions (``parse_bytes_plain``): its records then
    know where they and their citations start, and each field is placed at its
    record's start. A file with any problem of its shape is read again with every
    position (``parse_data_file``), so that its problems say exactly where they stand.
    """
    try:
        tree = parse_bytes_plain(data)
        loaded = Loaded(ontology=None)  # type: ignore[arg-type]
        loaded.files.append(display)
        _read_plain_document(tree, display, loaded)
        return loaded, False
    except NeedsMarks:
        return parse_data_file(data, display), True


def _plain_record(node: Any, spec: dict[str, Field]) -> dict[str, Any]:
    """``check_record`` for a record without problems; raises NeedsMarks at the first one."""
    if not isinstance(node, PlainMap):
        raise NeedsMarks()
    clean: dict[str, Any] = {}
    for key, value in node.items():
        field = spec.get(key)
        if field is None:
            raise NeedsMarks()
        if field.kind == "str" and type(value) is str and value.strip():
            clean[key] = value  # the common case, as ``convert`` takes it
            continue
        ok, converted, _reason = convert(field.kind, value)
        if not ok:
            raise NeedsMarks()
        clean[key] = converted
    required = _REQUIRED.get(id(spec))
    if required is None:
        required = _REQUIRED[id(spec)] = tuple(k for k, f in spec.items() if f.required)
    for key in required:
        if key not in node:
            raise NeedsMarks()
    return clean


# The required keys of each spec, by the spec's id: the specs are module constants.
_REQUIRED: dict[int, tuple[str, ...]] = {}
_TOP = {name: Field("list") for name in SECTIONS}  # the sections of a data file


def _read_plain_document(tree: Any, display: str, loaded: Loaded) -> None:
    if tree is None:
        raise NeedsMarks()
    top = _plain_record(tree, _TOP)
    for section in SECTIONS:
        items = top.get(section)
        if not items:
            continue
        spec = _SPECS[section]
        out = getattr(loaded, section)
        for node in items:
            record = _plain_record(node, spec)
            loc = Loc(display, node.line, node.column)
            field_locs = dict.fromkeys(node, loc)
            if section == "sources":
                if "text" in record:
                    raise NeedsMarks()  # rare: read with positions, checked as written
                out.append(_make_source(record, loc, field_locs, None))
            elif section == "entities":
                out.append(_make_entity(record, loc, field_locs))
            else:
                qualifiers = record.get("qualifiers")
                if qualifiers:
                    field_locs.update((f"qualifiers.{key}", loc) for key in qualifiers)
                out.append((_plain_fact if section == "facts" else _plain_figure)(
                    record, loc, _plain_refs(record["sources"], display), field_locs))


def _plain_refs(value: list[Any], display: str) -> list[SourceRef]:
    if not value:
        raise NeedsMarks()
    refs = []
    for item in value:
        ref = _plain_record(item, _SOURCE_REF)
        if ("locator" in ref) == ("paragraph" in ref):
            raise NeedsMarks()  # neither or both: reported with positions
        if "paragraph" in ref:
            if ref["paragraph"] < 1:
                raise NeedsMarks()
            locator = f"para {ref['paragraph']}"
        else:
            locator = ref["locator"]
        line, column = item.source_at
        refs.append(SourceRef(ref["source"], locator, Loc(display, line, column), ref.get("phrase")))
    return refs


def _plain_fact(r: dict[str, Any], loc: Loc, sources: list[SourceRef],
                field_locs: dict[str, Loc]) -> Fact:
    return _make_fact(r, loc, sources, field_locs)


def _plain_figure(r: dict[str, Any], loc: Loc, sources: list[SourceRef],
                  field_locs: dict[str, Loc]) -> Figure:
    span = r.get("range")
    if span is not None and not (len(span) == 2 and all(convert("number", v)[0] for v in span)):
        raise NeedsMarks()
    return _make_figure(r, loc, sources, field_locs)


def _read_document(tree: Any, display: str, loaded: Loaded) -> None:
    start = Loc(display, 1, 1)
    if tree is None:
        loaded.problems.append(Problem(start, "the file is empty",
                                       "give it at least one of: " + ", ".join(SECTIONS)))
        return
    spec = {name: Field("list") for name in SECTIONS}
    top = check_record(tree, spec, "a data file", start, loaded.problems)
    if top is None:
        return
    builders = {"sources": _source, "entities": _entity, "facts": _fact, "figures": _figure}
    for section in SECTIONS:
        for node, loc in items_with_locs(top.get(section), start):
            what = _SINGULAR[section]
            record = check_record(node, _SPECS[section], what, loc, loaded.problems)
            if record is None or any(k not in record for k, f in _SPECS[section].items()
                                     if f.required):
                # Problems already reported; a partial record would mislead.
                if isinstance(node, MarkedMap) and isinstance(node.get("id"), str):
                    loaded.rejected.setdefault(section, set()).add(node["id"])
                continue
            built = builders[section](record, node, loaded.problems)
            if built is not None:
                getattr(loaded, section).append(built)


def _source_refs(value: list[Any], node: MarkedMap, problems: list[Problem]) -> list[SourceRef]:
    if not value:
        problems.append(Problem(node.loc_of("sources"), "no source given",
                                "cite at least one registered source with a locator"))
    refs: list[SourceRef] = []
    for item, loc in items_with_locs(value, node.loc_of("sources")):
        ref = check_record(item, _SOURCE_REF, "source reference", loc, problems)
        if ref is None or "source" not in ref:
            continue
        given = [key for key in ("locator", "paragraph") if key in item]
        if not given:
            problems.append(Problem(loc, "source reference is missing the required key 'locator'",
                                    "or, on a web page, 'paragraph' (counted from the top)"))
            continue
        if len(given) == 2:
            problems.append(Problem(loc, "source reference: give 'locator' or 'paragraph', not both",
                                    "paragraph: N is the same as locator: \"para N\""))
            continue
        if "paragraph" in given:
            if "paragraph" not in ref:
                continue  # its type is reported already
            if ref["paragraph"] < 1:
                problems.append(Problem(loc_in(item, "paragraph", loc), "source reference: "
                                        "'paragraph' counts from 1"))
                continue
            locator = f"para {ref['paragraph']}"
        elif "locator" in ref:
            locator = ref["locator"]
        else:
            continue
        refs.append(SourceRef(ref["source"], locator, loc_in(item, "source", loc),
                              ref.get("phrase")))
    return refs


def _field_locs(node: MarkedMap) -> dict[str, Loc]:
    """Where each field stands; ``qualifiers.KEY`` for each qualifier key."""
    locs = {key: node.loc_of(key) for key in node}
    qualifiers = node.get("qualifiers")
    if isinstance(qualifiers, MarkedMap):
        locs.update({f"qualifiers.{key}": qualifiers.key_locs[key] for key in qualifiers})
    return locs


def _source(r: dict[str, Any], node: MarkedMap, problems: list[Problem]) -> Source:
    return _make_source(r, node.loc, _field_locs(node),
                        _text_spec(node, problems) if "text" in r else None)


def _make_source(r: dict[str, Any], loc: Loc, field_locs: dict[str, Loc],
                 text: TextSpec | None) -> Source:
    """A source from its checked fields (both readers, with or without positions, build here)."""
    return Source(
        id=r["id"], title=r["title"], publisher=r["publisher"], date=r["date"],
        language=r["language"], loc=loc, author=r.get("author"), url=r.get("url"),
        published_in=r.get("published_in"), publisher_entity=r.get("publisher_entity"),
        text=text, note=r.get("note"), kind=r.get("kind"), retrieved=r.get("retrieved"),
        field_locs=field_locs,
    )


def _text_spec(node: MarkedMap, problems: list[Problem]) -> TextSpec | None:
    """A source's ``text:``: exactly one of ``sha256`` or ``file``, and a paragraph rule."""
    where = node.loc_of("text")
    spec = check_record(node["text"], _TEXT_SPEC, "source text", where, problems)
    if spec is None:
        return None
    ok = True
    if "sha256" in spec and "file" in spec:
        problems.append(Problem(where, "source text: give one of 'sha256' (the digest "
                                "of the text file) or 'file' (a file-name pattern), not both"))
        ok = False
    if "sha256" in spec and not _SHA256_RE.match(spec["sha256"]):
        problems.append(Problem(where, "source text: 'sha256' must be 64 lower-case hex digits",
                                "sha256sum FILE prints it"))
        ok = False
    if spec.get("paragraphs", "blocks") not in PARAGRAPH_RULES:
        problems.append(Problem(where, f"source text: 'paragraphs' must be one of "
                                f"{', '.join(PARAGRAPH_RULES)}, not {spec['paragraphs']!r}"))
        ok = False
    if not ok:
        return None
    return TextSpec(sha256=spec.get("sha256"), file=spec.get("file"),
                    paragraphs=spec.get("paragraphs", "blocks"))


def _entity(r: dict[str, Any], node: MarkedMap, problems: list[Problem]) -> Entity:
    return _make_entity(r, node.loc, _field_locs(node))


def _make_entity(r: dict[str, Any], loc: Loc, field_locs: dict[str, Loc]) -> Entity:
    return Entity(
        id=r["id"], type=r["type"], labels=dict(r["labels"]), loc=loc,
        aliases=list(r.get("aliases", [])), description=r.get("description"),
        roles=list(r.get("roles", [])), attributes=dict(r.get("attributes", {})),
        wikidata=r.get("wikidata"), field_locs=field_locs,
    )


def _fact(r: dict[str, Any], node: MarkedMap, problems: list[Problem]) -> Fact:
    return _make_fact(r, node.loc, _source_refs(r["sources"], node, problems), _field_locs(node))


def stated_fact_id(subject: Any, relation: Any, obj: Any, since: Any) -> str:
    """The id a stated fact written without one is given: ``subject--relation--object``, and
    ``--since`` when it is dated (the store's ``facts.id`` column computes the same)."""
    return f"{subject}--{relation}--{obj}" + (f"--{since}" if since else "")


def _make_fact(r: dict[str, Any], loc: Loc, sources: list[SourceRef],
               field_locs: dict[str, Loc]) -> Fact:
    since = r.get("since")
    return Fact(
        id=r.get("id", stated_fact_id(r["subject"], r["relation"], r["object"], since)),
        subject=r["subject"], relation=r["relation"],
        object=r["object"], kind=r["kind"], sources=sources, loc=loc, since=since,
        until=r.get("until"), qualifiers=dict(r.get("qualifiers", {})),
        claimed_by=r.get("claimed_by"), note=r.get("note"), since_basis=r.get("since_basis"),
        until_basis=r.get("until_basis"), rank=r.get("rank", "normal"),
        rank_reason=r.get("rank_reason"), field_locs=field_locs,
    )


def _figure(r: dict[str, Any], node: MarkedMap, problems: list[Problem]) -> Figure | None:
    span = r.get("range")
    if span is not None:
        ok = len(span) == 2 and all(convert("number", v)[0] for v in span)
        if not ok:
            problems.append(Problem(node.loc_of("range"),
                                    "figure: 'range' must be a list of two numbers [low, high]"))
            return None
    return _make_figure(r, node.loc, _source_refs(r["sources"], node, problems), _field_locs(node))


def _make_figure(r: dict[str, Any], loc: Loc, sources: list[SourceRef],
                 field_locs: dict[str, Loc]) -> Figure:
    span = r.get("range")
    since = r.get("since")
    derived = f"{r['entity']}--{r['metric']}" + (f"--{since}" if since else "")
    return Figure(
        id=r.get("id", derived), entity=r["entity"], metric=r["metric"], unit=r["unit"],
        kind=r["kind"], sources=sources, loc=loc, value=r.get("value"),
        range=(span[0], span[1]) if span is not None else None, scale=r.get("scale"),
        since=since, until=r.get("until"), region=list(r.get("region", [])),
        measured_by=r.get("measured_by"), where=r.get("where"),
        qualifiers=dict(r.get("qualifiers", {})), note=r.get("note"), bound=r.get("bound"),
        period=r.get("period"), scope=r.get("scope"), rank=r.get("rank", "normal"),
        rank_reason=r.get("rank_reason"), field_locs=field_locs,
    )


def load(data_dir: str | os.PathLike[str] | None = None,
         ontology: Ontology | None = None) -> Dataset:
    """Load and validate a data folder; raises DataError listing every problem."""

    loaded = read_folder(data_dir, ontology)
    problems = loaded.problems + validate(loaded)
    if problems:
        raise DataError(problems)
    return Dataset(
        ontology=loaded.ontology,
        sources={s.id: s for s in loaded.sources},
        entities={e.id: e for e in loaded.entities},
        facts=loaded.facts,
        figures=loaded.figures,
    )


def check(data_dir: str | os.PathLike[str] | None = None,
          ontology: Ontology | None = None,
          replaced: Mapping[Path, bytes] | None = None) -> tuple[Loaded, list[Problem]]:
    """Every problem in a data folder (with ``replaced`` as in ``read_folder``), without raising."""

    loaded = read_folder(data_dir, ontology, replaced)
    return loaded, sorted(loaded.problems + validate(loaded))


__all__ = ["DEFAULT_DATA", "Loaded", "check", "data_files", "load", "parse_data_file", "read_data_file",
           "read_folder", "type_name"]
