"""Adding records to the data files: typing the values, deriving ids, choosing
the file, validating the whole dataset with the new records, writing.

``Curator`` is what ``kg add`` and ``kg import csv`` share. Values come in as
text (from options or spreadsheet cells) and leave as the values a data file
holds; entity names resolve as everywhere (id, label or alias, any script).
A change is checked by validating the whole data folder as it would be after
the write, and written only when that finds nothing wrong; the files are then
replaced atomically, all of them or none. Checking and writing are one step:
``apply`` holds the folder's writer lock (``kg.util.journal``) from reading
the files to the end of the write, and reads them again when another writer
changed them since the ``Curator`` first read them.
"""

from __future__ import annotations

import contextlib
import os
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.data.dates import DateError, PartialDate
from kg.data.load import DEFAULT_DATA, SECTIONS, SINGULAR, SPECS, check, display_path
from kg.data.model import SCALES, SOURCE_KINDS, Loaded
from kg.data.names import NameIndex
from kg.data.ontology import Ontology, check_terms
from kg.errors import DataError, KgError, Problem

__all__ = [
    "Change", "Curator", "Draft", "ENTITY_FIELDS", "InvalidInput", "merged", "Plan", "record_id",
    "Refused", "slug", "TERM_FIELDS", "write_files"
]

# Record fields that name an entity, by section.
ENTITY_FIELDS = {
    "sources": ("publisher_entity",),
    "facts": ("subject", "object", "claimed_by"),
    "figures": ("entity", "measured_by", "where"),
}
# Record fields that name an ontology term: field -> (ontology section, what it is called).
TERM_FIELDS = {
    "type": ("entity_types", "entity type"),
    "relation": ("relations", "relation"),
    "kind": ("fact_kinds", "fact kind"),
    "metric": ("metrics", "metric"),
}
_ORPHAN = "is in no fact or figure"


class InvalidInput(KgError):
    """A value that cannot become part of a record (exit 1), with where it came from."""


class Refused(KgError):
    """Records that would make the data invalid: one message per problem."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        count = len(messages)
        super().__init__(f"nothing written: {count} problem{'s' if count != 1 else ''}")


@dataclass
class Draft:
    """A record to add (or to change, when its id exists)."""

    section: str
    record: dict[str, Any]
    file: Path
    origin: str = ""  # where it came from, e.g. "row 7"

    @property
    def id(self) -> str:
        return record_id(self.section, self.record)

    @property
    def what(self) -> str:
        return f"{SINGULAR[self.section]} {self.id}"


@dataclass
class Change:
    """What happened to one draft."""

    action: str  # added | changed | unchanged
    draft: Draft
    file: str = ""  # as shown in messages
    line: int = 0
    before: dict[str, Any] = field(default_factory=dict)
    text: list[str] = field(default_factory=list)  # the record as written


@dataclass
class Plan:
    """The changes drafts make, the new text of each file, and what would then be wrong."""

    changes: list[Change]
    texts: dict[Path, str]
    problems: list[str]


def record_id(section: str, record: Mapping[str, Any]) -> str:
    """A record's id: its ``id``, or the one derived as the loader derives it."""
    if record.get("id"):
        return str(record["id"])
    since = record.get("since")
    tail = f"--{PartialDate.parse(since)}" if since is not None else ""
    if section == "facts":
        return f"{record.get('subject')}--{record.get('relation')}--{record.get('object')}{tail}"
    if section == "figures":
        return f"{record.get('entity')}--{record.get('metric')}{tail}"
    return str(record.get("id", ""))


def slug(text: str, max_words: int = 8) -> str:
    """Kebab-case ASCII from any text (``Kling 2.1`` -> ``kling-2-1``); may be empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words[:max_words])


class Curator:
    """The data folder as it is now, and the means to add records to it."""

    def __init__(self, data_dir: str | os.PathLike[str] | None, ontology: Ontology) -> None:
        self.folder = Path(data_dir) if data_dir is not None else DEFAULT_DATA
        self.ontology = ontology
        self._load()

    def _load(self) -> None:
        """Read and check the folder, noting what each file was when read."""
        self._seen = self._fingerprint()
        loaded, problems = check(self.folder, self.ontology)
        # An entity no fact cites yet is where adding one starts (kg add entity, then kg add
        # fact); anything else wrong is fixed first: nothing is added to invalid data.
        self.unconnected = {_orphan_id(p.message) for p in problems if p.message.endswith(_ORPHAN)}
        problems = [p for p in problems if not p.message.endswith(_ORPHAN)]
        if problems:
            raise DataError(problems)
        self.loaded: Loaded = loaded
        self._by_file: dict[str, list[tuple[Path, Any]]] | None = None
        self.names = NameIndex(loaded.entities)
        self.source_ids = {s.id for s in loaded.sources}

    def _fingerprint(self) -> list[tuple[str, int, int, int]]:
        """Each data file's identity, size and time: any write (a rename) changes it."""
        from kg.data.load import data_files

        found = []
        for path in data_files(self.folder):
            try:
                info = path.stat()
            except OSError:
                found.append((str(path), -1, -1, -1))
                continue
            found.append((str(path), info.st_ino, info.st_size, info.st_mtime_ns))
        return found

    def refresh(self) -> None:
        """Read the folder again when a file changed since it was read (call under the lock)."""
        if self._fingerprint() != self._seen:
            self._load()

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the folder's writer lock, with the folder read again if another writer changed
        it: what is checked inside is what is written over."""
        from kg.util.journal import folder_lock

        with folder_lock(self.folder):
            self.refresh()
            yield

    # --- values ------------------------------------------------------------

    def entity(self, name: str) -> str:
        """The id of the entity a name names; raises LookupFailed."""
        return self.names.resolve(name)

    def typed(self, section: str, raw: Mapping[str, Any]) -> dict[str, Any]:
        """A record from text values: typed, names resolved, terms checked.

        Raises UnknownTerm (an ontology name that does not exist), LookupFailed
        (an entity name) or InvalidInput (anything else).
        """
        spec = SPECS[section]
        onto = self.ontology
        record: dict[str, Any] = {}
        for key, value in raw.items():
            if value is None or value == "" or value == [] or value == {}:
                continue
            if key not in spec:
                raise InvalidInput(f"unknown field {key!r} for a {SINGULAR[section]}; "
                                   f"known: {', '.join(spec)}")
            kind = spec[key].kind
            if key in ENTITY_FIELDS.get(section, ()):
                record[key] = self.entity(str(value))
            elif key == "kind" and section == "sources":  # a web page's kind, not a fact kind
                check_terms([value], dict.fromkeys(SOURCE_KINDS), "source kind", key)
                record[key] = value
            elif key in TERM_FIELDS:
                terms, what = TERM_FIELDS[key]
                check_terms([value], getattr(onto, terms), what, key)
                record[key] = value
            elif key == "language":
                # A source may be in any language (kg validate checks the tag).
                if section != "sources":
                    check_terms([value], dict.fromkeys(onto.languages), "language", key)
                record[key] = value
            elif key == "roles":
                check_terms(value, onto.roles, "role", key)
                record[key] = list(dict.fromkeys(value))
            elif key == "labels":
                check_terms(value, dict.fromkeys(onto.languages), "language", key)
                record[key] = dict(value)
            elif key == "attributes":
                record[key] = self._terms_with_values(value, onto.attributes, "attribute", key)
            elif key == "qualifiers":
                record[key] = self._terms_with_values(value, onto.qualifiers, "qualifier", key)
            elif key == "sources":
                record[key] = [{"source": str(r["source"]), "locator": str(r["locator"]),
                                **({"phrase": str(r["phrase"])} if r.get("phrase") else {})}
                               for r in value]
            elif key == "scale":
                check_terms([value], SCALES, "scale", key)
                record[key] = value
            elif kind == "date":
                record[key] = _date(value, key)
            elif kind == "number":
                record[key] = _number(value, key)
            elif key == "range":
                record[key] = [_number(v, key) for v in value]
            elif kind == "map":
                record[key] = dict(value)
            elif kind == "bool":
                record[key] = _boolean(value, key)
            elif kind == "str-list":
                record[key] = [str(v) for v in value]
            else:
                record[key] = str(value)
        return record

    def _terms_with_values(self, values: Mapping[str, Any], known: Mapping[str, Any], what: str,
                           param: str) -> dict[str, Any]:
        check_terms(values, known, what, param)
        return {key: self._term_value(known[key].get("type"), value, f"{what} {key!r}")
                for key, value in values.items()}

    def _term_value(self, value_type: str, value: Any, what: str) -> Any:
        text = str(value).strip()
        if value_type == "integer":
            number = _number(text, what)
            if not isinstance(number, int):
                raise InvalidInput(f"{what} must be a whole number, not {text!r}")
            return number
        if value_type == "number":
            return _number(text, what)
        if value_type == "date":
            return _date(text, what)
        if value_type == "entity":
            return self.entity(text)
        if value_type == "amount":
            if isinstance(value, Mapping):
                return dict(value)
            parts = text.split()
            if len(parts) not in (2, 3):
                raise InvalidInput(f"{what} must be 'VALUE UNIT [SCALE]' (e.g. '800 USD million'), "
                                   f"not {text!r}")
            amount = {"value": _number(parts[0], what), "unit": parts[1]}
            if len(parts) == 3:
                check_terms([parts[2]], SCALES, "scale", "scale")
                amount["scale"] = parts[2]
            return amount
        return text

    # --- defaults, ids and files ----------------------------------------------

    def complete(self, section: str, record: dict[str, Any]) -> dict[str, Any]:
        """Fill in what the data's conventions derive: ids, kinds, units."""
        record = dict(record)
        if section == "entities" and "id" not in record and "en" in record.get("labels", {}):
            record["id"] = slug(record["labels"]["en"])
        if section == "sources" and "id" not in record and "title" in record:
            record["id"] = slug(f"{record.get('publisher', '')} {record['title']}")
        if section == "facts" and "kind" not in record and "relation" in record:
            allowed = self.ontology.relations[record["relation"]].allowed_kinds
            record["kind"] = allowed[0] if allowed and len(allowed) == 1 else "fact"
        if section == "figures":
            record.setdefault("kind", "fact")
            metric = self.ontology.metrics.get(record.get("metric", ""))
            if metric is not None and metric.get("unit") != "currency":
                record.setdefault("unit", metric.get("unit"))
        if section == "sources" and "shipped" in SPECS[section]:
            record.setdefault("shipped", False)
        if "id" in record and not record["id"]:
            del record["id"]
        return record

    def target_file(self, section: str, record: Mapping[str, Any], of: str | None = None,
                    file: str | os.PathLike[str] | None = None) -> Path:
        """The data file a new record goes to (see seeds/README.md, "Where new records go")."""
        if file is not None:
            return self._in_folder(file)
        by_file = self._files_by_section()
        same_id = [path for path, r in by_file[section] if r.id == record_id(section, record)]
        if same_id:
            return same_id[0]  # a record with this id exists: that is where a change goes
        if section == "sources":
            # A web page goes where most web pages are registered, a document where most
            # documents are.
            web = record.get("kind") is not None
            alike = [(path, r) for path, r in by_file["sources"] if r.is_web == web]
            return _most(alike) or _most(by_file["sources"]) or self.folder / "sources.yaml"
        if section == "entities":
            if of is None:
                raise InvalidInput("say which file the entity goes to: --of ENTITY (the company it "
                                   "belongs to; it goes to that entity's file) or --file FILE")
            return self._declared_in(self.entity(of))
        if section == "facts":
            if record.get("kind") == "claim":
                claims = [f for f, r in by_file["facts"] if r.kind == "claim"]
                if claims:
                    return _most([(f, None) for f in claims]) or self.folder
            same = [(f, r) for f, r in by_file["facts"] if r.relation == record.get("relation")]
            own = self._declared_in(record["subject"])
            return _convention(same, own, lambda r: self._declared_in(r.subject))
        same = [(f, r) for f, r in by_file["figures"] if r.metric == record.get("metric")]
        own = self._declared_in(record["entity"])
        return _convention(same, own, lambda r: self._declared_in(r.entity))

    def _in_folder(self, file: str | os.PathLike[str]) -> Path:
        path = Path(file)
        if not path.is_absolute():
            path = self.folder / path
        # Named inside the folder (a data file may be a link to a file kept elsewhere).
        root = Path(os.path.normpath(self.folder.absolute()))
        named = Path(os.path.normpath(path.absolute()))
        resolved = path.resolve()
        inside = root in named.parents or self.folder.resolve() in resolved.parents
        if not inside or named.suffix not in (".yaml", ".yml") \
                or resolved.suffix not in (".yaml", ".yml"):
            raise InvalidInput(f"--file must name a .yaml or .yml file in the data folder "
                               f"{display_path(self.folder)}, not {file}")
        return resolved

    def _files_by_section(self) -> dict[str, list[tuple[Path, Any]]]:
        if self._by_file is None:
            paths = {display: Path(display).resolve() for display in self.loaded.files}
            self._by_file = {section: [(paths.get(r.loc.file) or Path(r.loc.file).resolve(), r)
                                       for r in getattr(self.loaded, section)]
                             for section in SECTIONS}
        return self._by_file

    def _declared_in(self, entity_id: str) -> Path:
        return next(path for path, e in self._files_by_section()["entities"] if e.id == entity_id)

    # --- checking and writing -------------------------------------------------

    def apply(self, drafts: list[Draft], write: bool = True, update: bool = False) -> list[Change]:
        """Add the drafts, validate the whole data with them, then write (see ``plan``).

        Raises Refused, listing every problem the change would bring in, each
        named after the draft it comes from; then nothing is written.
        """
        if not write:
            plan = self.plan(drafts, update)
            if plan.problems:
                raise Refused(plan.problems)
            return plan.changes
        with self.writing():
            plan = self.plan(drafts, update)
            if plan.problems:
                raise Refused(plan.problems)
            if plan.texts:
                write_files(plan.texts, self.folder)
        return plan.changes

    def plan(self, drafts: list[Draft], update: bool = False) -> Plan:
        """What adding the drafts would change, and the problems the data would then have.

        With ``update``, a draft whose id exists changes that record (its
        fields win; a record left as it was is "unchanged") instead of being
        refused as a duplicate. A new entity may stand in no fact yet: that
        is no problem here (the caller says so).
        """
        from kg.curation.layout import add_records, parse_layout, record_indent, replace_record
        from kg.curation.yamlwrite import render_record

        texts: dict[Path, str] = {}
        changes: list[Change] = []
        existing = self._existing_records() if update else {}
        pending: dict[tuple[Path, str], list[Change]] = {}
        for draft in drafts:
            found = existing.get((draft.section, draft.id))
            if found is not None:
                path, index, before = found
                merged_record = merged(before, draft.record)
                if merged_record == before:
                    changes.append(Change("unchanged", draft, display_path(path), 0, before))
                    continue
                text = texts.get(path) or _read(path)
                indent = record_indent(parse_layout(text, display_path(path)))
                lines = render_record(draft.section, merged_record, indent)
                texts[path] = replace_record(text, display_path(path), draft.section, index, lines)
                changes.append(Change("changed", draft, display_path(path), 0, before, lines))
                continue
            change = Change("added", draft, display_path(draft.file))
            pending.setdefault((draft.file, draft.section), []).append(change)
            changes.append(change)
        for (path, section), group in pending.items():
            text = texts.get(path, _read(path) if path.exists() else "")
            indent = record_indent(parse_layout(text, display_path(path)))
            for change in group:
                change.text = render_record(section, change.draft.record, indent)
            texts[path], starts = add_records(text, display_path(path), section,
                                              [c.text for c in group])
            for change, start in zip(group, starts, strict=True):
                change.line = start
        self._locate_changed(changes, texts)
        replaced = {path: text.encode("utf-8") for path, text in texts.items()}
        _loaded, problems = check(self.folder, self.ontology, replaced)
        unconnected = self.unconnected | {c.draft.id for c in changes
                                          if c.action == "added" and c.draft.section == "entities"}
        problems = [p for p in problems
                    if not (p.message.endswith(_ORPHAN) and _orphan_id(p.message) in unconnected)]
        return Plan(changes, texts, [self._message(p, changes) for p in problems])

    def _existing_records(self) -> dict[tuple[str, str], tuple[Path, int, dict[str, Any]]]:
        """(section, id) -> (file, index in the file's section, the record as written)."""
        from kg.curation.layout import parse_layout

        found: dict[tuple[str, str], tuple[Path, int, dict[str, Any]]] = {}
        files = sorted({Path(f).resolve() for f in self.loaded.files})
        for path in files:
            layout = parse_layout(_read(path), display_path(path))
            for span in layout.sections:
                if span.name not in SPECS:
                    continue
                for index, record in enumerate(span.records):
                    if isinstance(record.node, dict):
                        plain = _plain(record.node)
                        found.setdefault((span.name, record_id(span.name, plain)), (path, index, plain))
        return found

    @staticmethod
    def _locate_changed(changes: list[Change], texts: dict[Path, str]) -> None:
        """The line where each changed record now starts."""
        for change in changes:
            if change.action != "changed":
                continue
            lines = texts[Path(change.file).resolve()].splitlines()
            first = change.text[0]
            change.line = next((n for n, line in enumerate(lines, 1) if line == first), 0)

    @staticmethod
    def _message(problem: Problem, changes: list[Change]) -> str:
        """A problem, named after the draft whose lines it points into."""
        for change in changes:
            if change.action == "unchanged" or problem.loc.file != change.file:
                continue
            if change.line <= problem.loc.line < change.line + len(change.text):
                origin = f"{change.draft.origin}: " if change.draft.origin else ""
                hint = f" (hint: {problem.hint})" if problem.hint else ""
                message = problem.message
                named = f"{SINGULAR[change.draft.section]} {change.draft.id!r}: "
                if message.startswith(named):
                    message = message[len(named):]
                return f"{origin}{change.draft.what}: {message}{hint}"
        return str(problem)


def merged(before: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """A record with new values: a mapping field (labels, qualifiers …) keeps the keys
    the new record does not give."""
    result = dict(before)
    for key, value in new.items():
        old = before.get(key)
        result[key] = {**old, **value} if isinstance(old, dict) and isinstance(value, dict) else value
    return result


def _orphan_id(message: str) -> str:
    match = re.match(r"entity '([^']+)' ", message)
    return match.group(1) if match else ""


def _convention(same: list[tuple[Path, Any]], own: Path, home: Any) -> Path:
    """The file for a record like ``same``: where most of them stand, when most of them
    stand away from their own entity's file (competition in market.yaml); else ``own``."""
    away = [(path, r) for path, r in same if path != home(r)]
    if same and len(away) * 2 > len(same):
        return _most(away) or own
    return own


def _most(items: list[tuple[Path, Any]]) -> Path | None:
    counts: dict[Path, int] = {}
    for path, _record in items:
        counts[path] = counts.get(path, 0) + 1
    return max(sorted(counts), key=lambda p: counts[p]) if counts else None


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise KgError(f"cannot read {display_path(path)}: {exc}") from None


def _date(value: Any, what: str) -> Any:
    try:
        date = PartialDate.parse(str(value).strip())
    except DateError as exc:
        raise InvalidInput(f"{what}: {exc}") from None
    return date.year if date.precision == "year" else str(date)


def _number(value: Any, what: str) -> int | float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value).strip().replace(",", "").replace("_", "")
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        raise InvalidInput(f"{what} must be a number, not {str(value)!r}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise InvalidInput(f"{what} must be a finite number, not {str(value)!r}")
    return number


def _boolean(value: Any, what: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0"):
        return False
    raise InvalidInput(f"{what} must be true or false, not {str(value)!r}")


def write_files(texts: Mapping[Path, str], folder: str | os.PathLike[str] | None = None) -> None:
    """Replace several files of the data folder as one step, all or nothing, keeping modes and
    symlinks (``kg.util.journal.write_files``; call it holding ``Curator.writing``)."""
    from kg.util.journal import write_files as write_all

    if not texts:
        return
    write_all(Path(folder) if folder is not None else DEFAULT_DATA, texts)
