"""What changed: in the landscape between two days, or in the data between two versions.

- ``landscape_changes(dataset, start, end)``: entities that appeared, facts
  that started (events that happened), facts that ended and figures first
  known between two days, each with its date and sources. A start or end
  the curator chose (``since_basis`` / ``until_basis: curator``: no source
  states it) is no change. ``in_view`` applies the rule on loosely dated
  claims; ``headline_groups`` orders changes for a report: reported events,
  then starts and ends dated to the day, then what is dated only to the
  month or year.
- ``diff_datasets(old, new)``: records (sources, entities, facts, figures)
  added, removed and changed between two datasets, field by field. The
  revisions of a data folder under git are read by ``kg.data.revisions``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kg.data.dates import PartialDate
from kg.data.model import Dataset, Entity, Fact, Figure, SourceRef
from kg.query.common import check_kinds, check_relations

__all__ = [
    "Change", "CHANGE_ORDER", "change_report", "ChangeReport", "DatasetDiff", "diff_datasets",
    "field_changes", "FieldChange", "landscape_changes", "RecordChanges", "SECTIONS", "shown", "summary"
]

# On one day: appearances first, then what ended before what started (an opt-out
# policy ends and the opt-in policy replacing it starts), then figures.
CHANGE_ORDER = {"appeared": 0, "ended": 1, "started": 2, "happened": 2, "first-known": 3}
# The parts of a change report, in order, with their headings (``Change.group``).
GROUPS = {
    "events": "reported events",
    "starts-ends": "starts and ends dated to the day",
    "month-dated": "dated only to the month or year, so they may fall in the span",
}


@dataclass(frozen=True)
class Change:
    """One change in the landscape, at a date."""

    date: PartialDate
    change: str  # appeared | started | happened | ended | first-known
    record: Entity | Fact | Figure
    sources: tuple[SourceRef, ...]

    @property
    def exact(self) -> bool:
        """Whether the date is precise to the day (a month-dated record only may fall in the span)."""
        return self.date.precision == "day"

    @property
    def kind(self) -> str:
        """The record's kind (``fact``, ``event``, ``claim``); an entity's appearance is a fact."""
        return "fact" if isinstance(self.record, Entity) else self.record.kind

    @property
    def group(self) -> str:
        """Where a report puts it (``GROUPS``): ``events`` for a reported event (whatever the
        precision of its date: it is the news), ``starts-ends`` for any other change dated to
        the day, ``month-dated`` for the rest."""
        if self.change == "happened":
            return "events"
        return "starts-ends" if self.exact else "month-dated"

    @property
    def is_claim(self) -> bool:
        """A claim (a fact or figure of kind ``claim``); an entity's appearance never is one
        (entities have no kind)."""
        return getattr(self.record, "kind", None) == "claim"

    def sort_key(self) -> tuple[Any, ...]:
        return (*self.date.sort_key(), CHANGE_ORDER[self.change], self.record.id)

    def to_json(self, dataset: Dataset) -> dict[str, Any]:
        from kg.data import phrases

        record = self.record
        result: dict[str, Any] = {"date": str(self.date), "change": self.change, "id": record.id,
                                  "exact": self.exact, "group": self.group}
        if isinstance(record, Entity):
            result.update({"record": "entity", "type": record.type, "kind": None,
                           "text": f"{record.label} [{record.type}]"})
        elif isinstance(record, Fact):
            result.update({"record": "fact", "relation": record.relation, "subject": record.subject,
                           "object": record.object, "kind": record.kind,
                           "text": phrases.fact_line(dataset, record)})
        else:
            result.update({"record": "figure", "metric": record.metric, "entity": record.entity,
                           "kind": record.kind,
                           "text": f"{dataset.label(record.entity)} {phrases.figure_line(dataset, record)}"})
        result["sources"] = [_source_json(dataset, ref) for ref in self.sources]
        return result


def _source_json(dataset: Dataset, ref: SourceRef) -> dict[str, Any]:
    """A citation with what a reader needs to find it: the source's publisher, title, date and
    address (null when the registry has none) beside its id and locator."""
    source = dataset.sources.get(ref.source)
    return {**ref.to_json(), "publisher": source.publisher if source else None,
            "title": source.title if source else None, "date": str(source.date) if source else None,
            "url": source.url if source else None}


def landscape_changes(dataset: Dataset, start: dt.date, end: dt.date, *,
                      entities: Iterable[str] | None = None, relations: Iterable[str] | None = None,
                      kinds: Iterable[str] | None = None, exact_only: bool = False) -> list[Change]:
    """Changes whose date may fall between ``start`` and ``end`` (both included), in date order.

    ``entities`` (ids, labels or aliases) keeps changes touching them;
    ``relations`` keeps facts of those relations only (no appearances or
    figures); ``kinds`` keeps facts and figures of those kinds (an
    appearance counts as a ``fact``). ``exact_only`` drops records dated only
    to the month or year. An entity's appearance is its ``founded`` date,
    sourced by the events (else the facts) about it that carry the same date.
    """
    keep_entities = {dataset.resolve(name).id for name in entities or ()}
    keep_relations = set(check_relations(dataset, relations))
    keep_kinds = set(check_kinds(dataset, kinds))

    def in_span(date: PartialDate | None) -> bool:
        if date is None:
            return False
        if exact_only and date.precision != "day":
            return False
        return date.end() >= start and date.start() <= end

    found: list[Change] = []
    if not keep_relations and (not keep_kinds or "fact" in keep_kinds):
        touching: dict[str, list[Fact]] | None = None  # entity id -> its facts, in file order
        for entity in dataset.entities.values():
            founded = entity.attributes.get("founded")
            if not in_span(founded) or (keep_entities and entity.id not in keep_entities):
                continue
            if touching is None:
                touching = {}
                for fact in dataset.facts:
                    for entity_id in dict.fromkeys((fact.subject, fact.object)):
                        touching.setdefault(entity_id, []).append(fact)
            dated = [fact for fact in touching.get(entity.id, ())
                     if fact.since == founded and fact.kind != "claim"]
            # The events of that day (a launch, an announcement) source it best.
            dated = [f for f in dated if f.kind == "event"] or dated
            found.append(Change(founded, "appeared", entity,
                                _unique(ref for fact in dated for ref in fact.sources)))
    for fact in dataset.facts:
        if keep_relations and fact.relation not in keep_relations:
            continue
        if keep_kinds and fact.kind not in keep_kinds:
            continue
        if keep_entities and not keep_entities & {fact.subject, fact.object}:
            continue
        # A start or end the curator chose is a bound of the record, not a reported change.
        if in_span(fact.since) and fact.reported("since"):
            assert fact.since is not None
            found.append(Change(fact.since, "happened" if fact.kind == "event" else "started", fact,
                                tuple(fact.sources)))
        if in_span(fact.until) and fact.reported("until"):
            assert fact.until is not None
            found.append(Change(fact.until, "ended", fact, tuple(fact.sources)))
    if not keep_relations:
        for figure in dataset.figures:
            if keep_kinds and figure.kind not in keep_kinds:
                continue
            if keep_entities and figure.entity not in keep_entities:
                continue
            if in_span(figure.since):
                assert figure.since is not None
                found.append(Change(figure.since, "first-known", figure, tuple(figure.sources)))
    return sorted(found, key=Change.sort_key)


def in_view(changes: Iterable[Change], inexact: bool = False) -> tuple[list[Change], int]:
    """The changes a report shows, and how many it leaves out.

    A claim dated only to the month or year is most often dated by its article:
    it is left out unless ``inexact``; every other change is kept.
    """
    changes = list(changes)
    shown = changes if inexact else [c for c in changes if c.exact or c.kind != "claim"]
    return shown, len(changes) - len(shown)


def headline_groups(changes: Iterable[Change]) -> list[tuple[str, str, list[Change]]]:
    """The changes in report order: (group id, heading, changes) for each non-empty group of
    ``GROUPS``, each in date order (reported events dated to the day before those dated
    only to the month or year)."""
    ordered = sorted(changes, key=lambda c: (not c.exact, c.sort_key()))
    return [(group, heading, [c for c in ordered if c.group == group])
            for group, heading in GROUPS.items() if any(c.group == group for c in ordered)]


@dataclass(frozen=True)
class ChangeReport:
    """The changes of a span as ``kg diff --from --to`` reports them.

    Changes dated only to the month or year may fall in the span: they are listed apart
    (``loose``), or in line with ``inexact``; claims dated that loosely (often dated by the
    article that holds them) are left out unless ``inexact`` (``left_out`` counts them).
    """

    start: dt.date
    end: dt.date
    changes: tuple[Change, ...]
    left_out: int
    inexact: bool
    dataset: Dataset = field(repr=False, compare=False)
    made_on: dt.date | None = field(default=None, compare=False)  # the day the report was made

    def __bool__(self) -> bool:
        return bool(self.changes)

    @property
    def exact(self) -> tuple[Change, ...]:
        """The changes listed in line: all of them with ``inexact``, else those dated to the day."""
        return self.changes if self.inexact else tuple(c for c in self.changes if c.exact)

    @property
    def loose(self) -> tuple[Change, ...]:
        """The changes listed apart: dated only to the month or year (none with ``inexact``)."""
        return () if self.inexact else tuple(c for c in self.changes if not c.exact)

    def groups(self) -> list[tuple[str, str, list[Change]]]:
        """The changes in report order: reported events, then starts and ends dated to the
        day, then those dated only to the month or year (``headline_groups``)."""
        return headline_groups(self.changes)

    @property
    def span(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()}"

    def sources(self) -> list[tuple[str, list[str]]]:
        """The sources cited, numbered in report order (``groups``), each with its locators."""
        from kg.analysis.documents import numbered_sources

        return numbered_sources((ref for _group, _heading, changes in self.groups()
                                 for change in changes for ref in change.sources), self.dataset)

    def counts(self) -> dict[str, int]:
        """How many changes each group of ``GROUPS`` holds (0 for an empty one)."""
        found = {group: 0 for group in GROUPS}
        for change in self.changes:
            found[change.group] += 1
        return found

    def headline(self) -> str:
        """``2025-10-01 to 2025-10-05: 2 reported events, 3 starts and ends dated to the day,
        2 dated only to the month or year``."""
        counts = self.counts()
        words = {"events": ("reported event", "reported events"),
                 "starts-ends": ("start or end dated to the day", "starts and ends dated to the day"),
                 "month-dated": ("dated only to the month or year", "dated only to the month or year")}
        return f"{self.span}: " + ", ".join(
            f"{counts[group]} {words[group][counts[group] != 1]}" for group in GROUPS)

    def to_json(self) -> dict[str, Any]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(),
                "changes": [c.to_json(self.dataset) for c in self.changes],
                "inexact_left_out": self.left_out,
                "made_on": self.made_on.isoformat() if self.made_on else None}


def change_report(dataset: Dataset, start: dt.date, end: dt.date, *,
                  entities: Iterable[str] | None = None, relations: Iterable[str] | None = None,
                  kinds: Iterable[str] | None = None, inexact: bool = False,
                  made_on: dt.date | None = None) -> ChangeReport:
    """The changes from ``start`` to ``end`` (``landscape_changes``), loosely dated claims left
    out unless ``inexact`` (the report may be empty: ``bool(report)`` is False then).
    ``made_on``: the day the report is made (default: ``kg.analysis.documents.made_today``)."""
    from kg.analysis.documents import made_today

    found = landscape_changes(dataset, start, end, entities=entities, relations=relations, kinds=kinds)
    shown, left_out = in_view(found, inexact)
    return ChangeReport(start, end, tuple(shown), left_out, inexact, dataset, made_on or made_today())


def _unique(refs: Iterable[SourceRef]) -> tuple[SourceRef, ...]:
    seen: dict[tuple[str, str], SourceRef] = {}
    for ref in refs:
        seen.setdefault((ref.source, ref.locator), ref)
    return tuple(seen.values())


# --- two versions of the data ----------------------------------------------------------------------

SECTIONS = ("sources", "entities", "facts", "figures")


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass
class RecordChanges:
    """Records of one section added, removed and changed (changed: same id or, for a
    fact, the same subject, relation and object under a new id)."""

    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[tuple[str, str, list[FieldChange]]] = field(default_factory=list)  # old id, new id

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def to_json(self) -> dict[str, Any]:
        return {"added": self.added, "removed": self.removed,
                "changed": [{"id": new_id, "old_id": old_id if old_id != new_id else None,
                             "fields": [c.to_json() for c in changes]}
                            for old_id, new_id, changes in self.changed]}


@dataclass
class DatasetDiff:
    sources: RecordChanges
    entities: RecordChanges
    facts: RecordChanges
    figures: RecordChanges

    def __bool__(self) -> bool:
        return any(self.section(name) for name in SECTIONS)

    def section(self, name: str) -> RecordChanges:
        return getattr(self, name)

    def counts(self) -> dict[str, dict[str, int]]:
        return {name: {"added": len(self.section(name).added), "removed": len(self.section(name).removed),
                       "changed": len(self.section(name).changed)} for name in SECTIONS}

    def to_json(self) -> dict[str, Any]:
        return {"counts": self.counts(), **{name: self.section(name).to_json() for name in SECTIONS}}



def shown(value: Any) -> str:
    import json

    return "(none)" if value is None else json.dumps(value, ensure_ascii=False)


def summary(section: str, record: dict[str, Any]) -> str:
    """A one-line reminder of what a record (as JSON) says, for added and removed records."""
    if section == "sources":
        return f"{record['publisher']}, “{record['title']}”, {record['date']}"
    if section == "entities":
        return f"{record['label']} [{record['type']}]"
    if section == "facts":
        since, until = record["since"], record["until"]
        dates = f"{since} – {until}" if since and until else since or (f"until {until}" if until else "")
        kind = " (claim)" if record["kind"] == "claim" else ""
        return f"{record['subject']} —{record['relation']}→ {record['object']}" \
            + (f" [{dates}]" if dates else "") + kind
    amount = record["value"] if record["value"] is not None else "–".join(map(str, record["range"] or []))
    shown = " ".join(str(p) for p in (amount, record["scale"], record["unit"]) if p)
    return f"{record['entity']} {record['metric']}: {shown}"


def _records(dataset: Dataset, section: str) -> dict[str, dict[str, Any]]:
    if section == "sources":
        return {s.id: s.to_json() for s in dataset.sources.values()}
    if section == "entities":
        return {e.id: e.to_json() for e in dataset.entities.values()}
    items = dataset.facts if section == "facts" else dataset.figures
    return {item.id: item.to_json() for item in items}


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    """One level of nesting spelled out (``labels.zh-Hans``, ``qualifiers.region``)."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, dict) and key != "range":
            for sub, inner in value.items():
                flat[f"{key}.{sub}"] = inner
        else:
            flat[key] = value
    return flat


def field_changes(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    """The fields that differ between two JSON records, in the new record's key order."""
    before, after = _flat(old), _flat(new)
    keys = list(dict.fromkeys([*after, *before]))
    return [FieldChange(k, before.get(k), after.get(k)) for k in keys
            if k != "id" and before.get(k) != after.get(k)]


def diff_datasets(old: Dataset, new: Dataset) -> DatasetDiff:
    """Sources, entities, facts and figures added, removed and changed from ``old`` to ``new``.

    Records are matched by id. A fact whose id changed because its date or
    kind did (ids are derived from them when not given) is matched on its
    subject, relation and object when exactly one removed and one added fact
    share them, and shown as changed, with its ``id`` among the fields.
    Lists are sorted by id, so the result is deterministic.
    """
    result = {}
    for section in SECTIONS:
        before, after = _records(old, section), _records(new, section)
        changes = RecordChanges(
            added=[after[k] for k in sorted(after.keys() - before.keys())],
            removed=[before[k] for k in sorted(before.keys() - after.keys())],
            changed=[(k, k, fc) for k in sorted(before.keys() & after.keys())
                     if (fc := field_changes(before[k], after[k]))],
        )
        if section == "facts":
            _pair_renamed(changes)
        result[section] = changes
    return DatasetDiff(**result)


def _pair_renamed(changes: RecordChanges) -> None:
    def triple(record: dict[str, Any]) -> tuple[str, str, str]:
        return (record["subject"], record["relation"], record["object"])

    added: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    removed: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for record in changes.added:
        added.setdefault(triple(record), []).append(record)
    for record in changes.removed:
        removed.setdefault(triple(record), []).append(record)
    for key, olds in removed.items():
        news = added.get(key, [])
        if len(olds) == 1 and len(news) == 1:
            old, new = olds[0], news[0]
            changes.removed.remove(old)
            changes.added.remove(new)
            changes.changed.append((old["id"], new["id"], [FieldChange("id", old["id"], new["id"]),
                                                           *field_changes(old, new)]))
    changes.changed.sort(key=lambda item: item[1])
