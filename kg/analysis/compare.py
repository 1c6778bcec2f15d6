"""A comparison matrix: entities as columns, facts and figures as rows.

Rows come from relations (read from each compared entity: "has feature X",
"integrated into Y") and from metrics. A product counts what its models and
apps have: the ontology's ``comparison.roll_up`` relations (``integrates``)
lead from a compared entity to members (one step) whose facts count for it,
and a cell names the member it came through (``via``). Each cell is in one of these
states:

- ``has``: a fact says so (or a figure is known);
- ``absent``: a fact of a negating relation (``lacks`` negates
  ``has-feature``) records that it does not;
- ``not-recorded``: the data says nothing either way;
- ``self``: the row names the column's own entity or one of its members
  (Kling in "competes with Kling", Kling 2.0 in "outperforms Kling 2.0").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from kg.analysis.documents import Dating, dating, in_view
from kg.data.model import Dataset, Entity, Fact, Figure
from kg.data.ontology import RowSelector
from kg.errors import KgError, NothingToCompare
from kg.query.common import check_metrics, check_relations

__all__ = [
    "Cell", "compare", "Evidence", "FigureEvidence", "Group", "Matrix", "members", "model_warnings", "Row",
    "plan_rows", "row_label", "RowPlan", "STATES", "THIN_COLUMN"
]

STATES = ("has", "absent", "not-recorded", "self")


@dataclass(frozen=True)
class Evidence:
    """A fact behind a cell, and the member entity it came through (None: the entity itself)."""

    fact: Fact
    via: str | None

    def to_json(self, dataset: Dataset) -> dict[str, Any]:
        fact = self.fact
        return {
            "fact": fact.id, "relation": fact.relation, "kind": fact.kind,
            "since": str(fact.since) if fact.since else None,
            "until": str(fact.until) if fact.until else None,
            "claimed_by": fact.claimed_by,
            "via": self.via, "via_label": dataset.label(self.via) if self.via else None,
            "sources": [ref.to_json() for ref in fact.sources],
        }


@dataclass(frozen=True)
class FigureEvidence:
    figure: Figure
    via: str | None

    def to_json(self, dataset: Dataset) -> dict[str, Any]:
        from kg.data import phrases

        return {**self.figure.to_json(), "via": self.via,
                "via_label": dataset.label(self.via) if self.via else None,
                "text": phrases.figure_line(dataset, self.figure)}


@dataclass
class Cell:
    state: str = "not-recorded"
    facts: list[Evidence] = field(default_factory=list)
    absences: list[Evidence] = field(default_factory=list)
    figures: list[FigureEvidence] = field(default_factory=list)

    def settle(self) -> None:
        """Fix the state from what was collected, and sort the evidence."""
        self.facts.sort(key=_evidence_key)
        self.absences.sort(key=_evidence_key)
        self.figures.sort(key=lambda e: (e.figure.since.sort_key() if e.figure.since else (dt.date.min, 0),
                                         e.figure.id))
        if self.state == "self":
            return
        self.state = "has" if self.facts or self.figures else "absent" if self.absences else "not-recorded"

    def to_json(self, dataset: Dataset, metric: bool = False) -> dict[str, Any]:
        result: dict[str, Any] = {"state": self.state,
                                  "facts": [e.to_json(dataset) for e in self.facts],
                                  "absences": [e.to_json(dataset) for e in self.absences]}
        if metric:
            result["figures"] = [e.to_json(dataset) for e in self.figures]
        return result


def _evidence_key(evidence: Evidence) -> tuple[Any, ...]:
    fact = evidence.fact
    return (evidence.via is not None, evidence.via or "",
            fact.since.sort_key() if fact.since else (dt.date.min, 0), fact.id)


@dataclass
class Row:
    """One line of the matrix: a relation to one other entity, or a metric."""

    group: str
    relation: str | None  # None for a metric row
    direction: str  # "out", "in" or "" for a metric row
    other: str | None  # the other entity's id
    metric: str | None
    label: str  # the other entity's label or the metric's label
    relation_label: str  # "has feature", "integrated into", … ("" for a metric)
    cells: list[Cell]
    order: int = 0  # the position of the selector that placed it in its group

    @property
    def key(self) -> str:
        if self.metric is not None:
            return f"metric:{self.metric}"
        return f"{self.relation}:{self.direction}:{self.other}"

    def to_json(self, dataset: Dataset) -> dict[str, Any]:
        return {"key": self.key, "group": self.group, "relation": self.relation,
                "direction": self.direction or None, "other": self.other, "metric": self.metric,
                "label": self.label, "relation_label": self.relation_label or None,
                "cells": [cell.to_json(dataset, self.metric is not None) for cell in self.cells]}


@dataclass(frozen=True)
class Group:
    id: str
    label: str


# A column resting on fewer records than this is flagged: its "not recorded" cells say little.
THIN_COLUMN = 5


@dataclass
class Matrix:
    entities: list[Entity]
    groups: list[Group]
    rows: list[Row]
    as_of: dt.date | None
    dataset: Dataset = field(repr=False)
    # The day described and the day made (``kg.analysis.documents``); None for a matrix that is
    # part of another document (a brief's position).
    dating: Dating | None = None
    # Rows of a group left out by a limit (``compare(limit=…)``), by group id; the counts and
    # row labels stay those of the whole matrix.
    hidden: dict[str, int] = field(default_factory=dict)
    _whole: tuple[list[int], set[str]] | None = field(default=None, init=False, repr=False,
                                                      compare=False)
    _mixed: tuple[tuple[int, int], set[str]] | None = field(default=None, init=False, repr=False,
                                                            compare=False)

    def group_rows(self, group_id: str) -> list[Row]:
        return [row for row in self.rows if row.group == group_id]

    def more_text(self, group_id: str) -> str | None:
        """``… 3,640 more rows (a larger --limit lists them)`` after a cut group, else None."""
        left = self.hidden.get(group_id, 0)
        if not left:
            return None
        return f"… {left:,} more row{'s' if left != 1 else ''} (a larger --limit lists them)"

    def keep_rows(self, limit: int) -> None:
        """At most ``limit`` rows per group, the first in order (every metric row is kept: one per
        metric); ``hidden`` counts the rest, and the counts and labels stay the whole's."""
        self._whole = (self.counts(), {group.id for group in self.groups if self.mixed(group.id)})
        kept: list[Row] = []
        shown: dict[str, int] = {}
        for row in self.rows:
            if row.metric is None and shown.get(row.group, 0) >= limit:
                self.hidden[row.group] = self.hidden.get(row.group, 0) + 1
                continue
            shown[row.group] = shown.get(row.group, 0) + 1
            kept.append(row)
        self.rows = kept

    def keep_planned(self, plan: RowPlan, fact_ids: dict[int, str]) -> bool:
        """Keep the rows ``plan`` (``plan_rows``) chose of a matrix made from the part of the
        data that holds them, with the plan's counts of the whole (``fact_ids``: the id of each
        fact the plan names, all different); False (the matrix left as it was) when the part
        does not give those rows exactly the facts the plan read."""
        found = {row.key: row for row in self.rows if row.metric is None}
        for key, planned in plan.shown.items():
            row = found.get(key)
            if row is None or [sorted(_record(e).id for e in (*cell.facts, *cell.absences))
                               for cell in row.cells] != [sorted(fact_ids[seq] for seq in cell)
                                                          for cell in planned]:
                return False
        rows = [row for row in self.rows if row.metric is not None or row.key in plan.shown]
        counts = []
        for column, ids in enumerate(plan.counted):
            figures = {e.figure.id for row in rows if row.metric is not None
                       for e in row.cells[column].figures if row.cells[column].state != "self"}
            counts.append(len(ids) + len(figures - {fact_ids.get(seq) for seq in ids}))
        self.rows = rows
        present = {row.group for row in rows}
        self.groups = [group for group in self.groups if group.id in present]
        self.hidden = {group.id: plan.hidden[group.id] for group in self.groups
                       if plan.hidden.get(group.id)}
        self._whole = (counts, set(plan.mixed))
        return True

    def mixed(self, group_id: str) -> bool:
        """Whether a group's rows come from more than one relation or direction (labels then say which)."""
        if self._whole is not None:
            return group_id in self._whole[1]
        key = (id(self.rows), len(self.rows))
        if self._mixed is None or self._mixed[0] != key:
            # Asked for every row (``row_label``): the groups are read in one pass and kept.
            readings: dict[str, set[tuple[str | None, str]]] = {}
            for row in self.rows:
                readings.setdefault(row.group, set()).add((row.relation, row.direction))
            self._mixed = (key, {group for group, found in readings.items() if len(found) > 1})
        return group_id in self._mixed[1]

    def sources(self) -> list[str]:
        """Ids of every source cited in a cell, in first-cited order (``citations``)."""
        return [source for source, _locators in self.citations()]

    def citations(self) -> list[tuple[str, list[str]]]:
        """The sources cited in the cells, numbered in first-cited order (row by row, column by
        column), each with the locators cited."""
        from kg.analysis.documents import numbered_sources

        return numbered_sources((ref for row in self.rows for cell in row.cells
                                 for evidence in (*cell.figures, *cell.facts, *cell.absences)
                                 for ref in _record(evidence).sources), self.dataset)

    def counts(self) -> list[int]:
        """How many facts and figures each column rests on (its own and its members')."""
        if self._whole is not None:
            return list(self._whole[0])
        found: list[set[str]] = [set() for _ in self.entities]
        for row in self.rows:
            for column, cell in enumerate(row.cells):
                if cell.state != "self":
                    found[column].update(_record(e).id for e in (*cell.facts, *cell.absences, *cell.figures))
        return [len(ids) for ids in found]

    def thin(self) -> list[tuple[Entity, int]]:
        """The columns resting on fewer than ``THIN_COLUMN`` facts and figures, with their count."""
        return [(entity, count) for entity, count in zip(self.entities, self.counts(), strict=True)
                if count < THIN_COLUMN]

    def thin_text(self) -> str | None:
        """``Few facts recorded: Veo (3 facts recorded) …``, or None when no column is thin."""
        thin = self.thin()
        if not thin:
            return None
        listed = ", ".join(f"{entity.label} ({count} fact{'s' if count != 1 else ''} recorded)"
                           for entity, count in thin)
        return (f"Few facts recorded: {listed}; a – in such a column means the data is silent, "
                "not that it lacks it.")

    def warnings(self) -> list[str]:
        """A warning for each AI model compared with products, naming what is built on it."""
        return model_warnings(self.dataset, self.entities)

    def to_json(self) -> dict[str, Any]:
        data = self.dataset
        numbered = self.citations()
        locators = dict(numbered)
        numbers = {source: number for number, (source, _) in enumerate(numbered, 1)}
        return {
            "entities": [{"id": e.id, "label": e.label, "type": e.type, "facts_recorded": count}
                         for e, count in zip(self.entities, self.counts(), strict=True)],
            "as_of": self.as_of.isoformat() if self.as_of else None,
            **({"dating": self.dating.to_json()} if self.dating else {}),
            "warnings": self.warnings(),
            "thin": [{"id": entity.id, "facts_recorded": count} for entity, count in self.thin()],
            "groups": [{"id": g.id, "label": g.label,
                        **({"more_rows": self.hidden[g.id]} if g.id in self.hidden else {})}
                       for g in self.groups],
            "rows": [row.to_json(data) for row in self.rows],
            "sources": [{**data.sources[s].to_json(), "number": numbers[s], "locators": locators[s]}
                        for s in self.sources() if s in data.sources],
        }


def _record(evidence: Evidence | FigureEvidence) -> Fact | Figure:
    return evidence.fact if isinstance(evidence, Evidence) else evidence.figure


def _and(names: list[str]) -> str:
    return " and ".join(", ".join(names).rsplit(", ", 1))


def model_warnings(dataset: Dataset, entities: list[Entity]) -> list[str]:
    """When AI models are compared with products: for each model, what is built on it (the
    products that integrate it, by the ontology's roll-up relations), to compare instead; their
    columns count the model's facts too ("via"), and their own (app features, policies, figures)."""
    onto = dataset.ontology
    models = [e for e in entities if onto.is_a(e.type, ["model"])]
    products = [e for e in entities if not onto.is_a(e.type, ["model"]) and onto.is_a(e.type, ["product"])]
    if not models or not products:
        return []
    roll_up = set(onto.comparison.roll_up)
    warnings = []
    for model in models:
        built = sorted({fact.subject for fact in dataset.facts
                        if fact.object == model.id and fact.relation in roll_up and fact.kind != "claim"
                        and fact.subject in dataset.entities
                        and not onto.is_a(dataset.entities[fact.subject].type, ["model"])},
                       key=lambda entity_id: dataset.label(entity_id).casefold())
        text = (f"{model.label} is an AI model; {_and([p.label for p in products])} "
                f"{'is a product' if len(products) == 1 else 'are products'}. ")
        compared = {e.id for e in entities}
        suggested = [b for b in built if b not in compared]
        if suggested:
            text += (f"{_and([dataset.label(b) for b in suggested])} "
                     f"{'is' if len(suggested) == 1 else 'are'} built on {model.label} (integrates it): "
                     f"compare {' or '.join(suggested)} instead, whose column counts {model.label}'s "
                     f"facts (via {model.label}) with its own.")
        elif built:
            text += (f"{_and([dataset.label(b) for b in built])}, compared here, "
                     f"{'is' if len(built) == 1 else 'are'} built on {model.label} (integrates it) "
                     f"and {'counts' if len(built) == 1 else 'count'} its facts (via {model.label}).")
        else:
            text += (f"No product built on {model.label} is recorded: what sits on the products that "
                     "offer it is not in its column.")
        warnings.append(text)
    return warnings


def members(dataset: Dataset, entity_id: str) -> dict[str, str | None]:
    """The entity and what it rolls up: the objects of its own roll-up facts (the models and
    apps it integrates), one step, as the ontology's ``comparison.roll_up`` defines it.

    What a member integrates in turn is not followed: its facts would show "via" an entity the
    compared one does not integrate, and in a landscape where products integrate each other the
    chain joins thousands. Maps each member id to the entity it came through: None for the
    entity itself, else the member itself (a cell says "via Kling 2.0").
    """
    roll_up = set(dataset.ontology.comparison.roll_up)
    found: dict[str, str | None] = {entity_id: None}
    for fact in dataset.facts:
        if fact.subject == entity_id and fact.relation in roll_up and fact.kind != "claim" \
                and fact.object not in found:
            found[fact.object] = fact.object
    return found


@dataclass
class RowPlan:
    """Which rows of a comparison a limit shows, found from the facts' columns before any is
    decoded (``plan_rows``), with what the whole matrix counts."""

    shown: dict[str, list[list[int]]]  # row key -> each column's facts, in order
    facts: set[int]  # the facts of the rows shown
    hidden: dict[str, int]  # group id -> rows left out
    counted: list[set[int]]  # each column's facts over every row
    mixed: set[str]  # the groups whose rows come from more than one relation or direction
    members: set[str]  # the compared entities and what they roll up


# A fact as its columns give it: (key, subject, relation, object, kind); the key (the store's
# ``seq``) names one fact, as its id does.
EdgeColumns = tuple[int, str, str, str, str]


def plan_rows(onto: Any, ids: list[str], edges: list[EdgeColumns],
              ends: dict[str, tuple[Any, ...]], *, relations: Iterable[str] = (),
              metrics: Iterable[str] = (), default: bool = False, limit: int) -> RowPlan:
    """The rows ``compare`` would list of the entities ``ids`` at most ``limit`` a group, and
    its counts, from the facts in view (``edges``) and the type and label of each entity they
    name (``ends``: a tuple that begins with them): the same readings, groups and order
    (``compare``), on columns alone. Unknown relations or metrics are left to ``compare``
    to refuse."""
    relations, metrics = list(relations), list(metrics)
    keep_relations = {getattr(onto.relations.get(r), "negates", None) or r for r in relations}
    want_facts = bool(keep_relations) or not metrics
    roll_up = set(onto.comparison.roll_up)
    # Each entity's edges, by position in ``edges``: a column reads only its members'.
    touching: dict[str, list[int]] = {}
    for position, (_id, subject, _relation, obj, _kind) in enumerate(edges):
        touching.setdefault(subject, []).append(position)
        if obj != subject:
            touching.setdefault(obj, []).append(position)
    columns: list[dict[str, str | None]] = []
    for entity_id in ids:
        found: dict[str, str | None] = {entity_id: None}
        for position in touching.get(entity_id, ()):
            _id, subject, relation, obj, kind = edges[position]
            if subject == entity_id and relation in roll_up and kind != "claim" and obj not in found:
                found[obj] = obj
        columns.append(found)
    symmetric_of = {name: relation.symmetric for name, relation in onto.relations.items()}
    positive_of = {name: relation.negates or name for name, relation in onto.relations.items()}
    # (relation, direction, other's type) -> its group's id, the selector's position and the
    # group's rows; None for a reading ``default`` leaves out.
    placed: dict[tuple[str, str, str], tuple[str, int, list[list[Any]]] | None] = {}
    # (relation, direction, other) -> [sort key, that row's facts as (column, key)]
    rows: dict[tuple[str, str, str], list[Any]] = {}
    by_group: dict[str, list[list[Any]]] = {}
    readings: dict[str, set[tuple[str, str]]] = {}  # group -> its (relation, direction)s
    counted: list[set[int]] = [set() for _ in ids]
    for column, member_map in enumerate(columns if want_facts else []):
        column_id = ids[column]
        count = counted[column].add
        # (In any order: the rows are sorted, and each cell's facts when it is listed.)
        positions = {position for member in member_map for position in touching.get(member, ())}
        for fact_key, subject, relation, obj, _kind in map(edges.__getitem__, positions):
            if subject == obj:
                continue
            positive = positive_of[relation]
            if keep_relations and positive not in keep_relations:
                continue
            for member, direction, other in (
                    ((subject, "out", obj),) if obj not in member_map else
                    ((obj, "out" if symmetric_of[relation] else "in", subject),)
                    if subject not in member_map else
                    ((subject, "out", obj), (obj, "out" if symmetric_of[relation] else "in", subject))):
                # (A fact between two members: each end a reading; see ``_readings``.)
                if other == column_id or (member != column_id and other in member_map):
                    continue
                row = rows.get((positive, direction, other))
                if row is None:
                    end = ends[other]
                    kind_key = (positive, direction, end[0])
                    if kind_key in placed:
                        place = placed[kind_key]
                    else:
                        group_id, rank = _place_type(onto, positive, direction, end[0])
                        if group_id is None and not default:
                            group_id = positive if direction == "out" else f"{positive}:in"
                        place = placed[kind_key] = None if group_id is None else (
                            group_id, rank, by_group.setdefault(group_id, []))
                        if group_id is not None:
                            readings.setdefault(group_id, set()).add((positive, direction))
                    if place is None:
                        continue
                    row = rows[(positive, direction, other)] = [
                        (place[1], end[1].casefold(), f"{positive}:{direction}:{other}"), []]
                    place[2].append(row)
                row[1].append((column, fact_key))
                count(fact_key)
    shown: dict[str, list[list[int]]] = {}
    facts: set[int] = set()
    hidden: dict[str, int] = {}
    for group_id, group_rows in by_group.items():
        group_rows.sort(key=itemgetter(0))
        for row in group_rows[:limit]:
            cells: list[list[int]] = [[] for _ in ids]
            for column, fact_key in row[1]:
                cells[column].append(fact_key)
                facts.add(fact_key)
            shown[row[0][2]] = [sorted(cell) for cell in cells]
        if len(group_rows) > limit:
            hidden[group_id] = len(group_rows) - limit
    mixed = {group_id for group_id, found in readings.items() if len(found) > 1}
    return RowPlan(shown, facts, hidden, counted, mixed,
                   {member for member_map in columns for member in member_map})


def compare(dataset: Dataset, names: Iterable[str], *, relations: Iterable[str] | None = None,
            metrics: Iterable[str] | None = None, as_of: dt.date | None = None,
            default: bool = False, history: bool = False, made_on: dt.date | None = None,
            latest: dt.date | None = None, limit: int | None = None) -> Matrix:
    """The comparison matrix of the named entities (ids, labels or aliases), in the order given.

    ``relations`` keeps rows of those relations (a negating relation such as
    ``lacks`` counts as the one it negates) and ``metrics`` figure rows of
    those metrics; given one without the other, the other kind of row is
    left out. ``default`` keeps only the groups and metrics the ontology's
    ``comparison`` block lists. ``as_of`` compares the landscape on that day
    (default: as the data stands, on its latest dated record); facts ended by
    then are left out unless ``history``. ``made_on`` is the day the
    comparison is made (default: ``KG_TODAY``, else today). ``latest``: the latest dated
    record of the whole data when ``dataset`` is the part of it around the entities
    (``kg.analysis.documents.in_view``). ``limit``: at most that many rows per group
    (``Matrix.keep_rows``; None: all).
    Raises LookupFailed, UnknownTerm (param ``relations``/``metrics``), or
    NothingToCompare when no row is left.
    """
    entities: list[Entity] = []
    for name in names:
        entity = dataset.resolve(name)
        if entity.id not in {e.id for e in entities}:
            entities.append(entity)
    # A negating relation selects the rows of the one it negates (`lacks` → has-feature rows).
    keep_relations = {dataset.ontology.relations[r].negates or r for r in check_relations(dataset, relations)}
    keep_metrics = check_metrics(dataset, metrics)
    if as_of is not None:
        for entity in entities:
            if not dataset.exists_on(entity.id, as_of):
                raise KgError(f"{entity.label} did not exist yet on {as_of.isoformat()} "
                              f"({dataset.existence_reason(entity.id)})")
    dated = dating(dataset, as_of, history, made_on, latest)
    dataset = in_view(dataset, as_of, history, latest)
    onto = dataset.ontology
    want_facts = bool(keep_relations) or not keep_metrics
    want_figures = bool(keep_metrics) or not keep_relations
    columns = [members(dataset, e.id) for e in entities]

    rows: dict[str, Row] = {}
    group_order: dict[str, Group] = {}
    configured = {g.id: g for g in onto.comparison.groups}

    # A reading's group depends on its relation, direction and other end's type only: placed
    # once for each (a hub's roll-up reads tens of thousands of facts of a few kinds).
    placed: dict[tuple[str, str, str], tuple[str | None, int]] = {}

    def row_for(relation: str, direction: str, other: str) -> Row | None:
        key = f"{relation}:{direction}:{other}"
        if key in rows:
            return rows[key]
        kind = (relation, direction, dataset.entities[other].type)
        if kind not in placed:
            placed[kind] = _place(dataset, relation, direction, other)
        group_id, rank = placed[kind]
        if group_id is None:
            if default:
                return None
            group_id = relation if direction == "out" else f"{relation}:in"
        if key not in rows:
            rel = onto.relations[relation]
            words = rel.label if direction == "out" or rel.symmetric else (rel.inverse_label or rel.label)
            rows[key] = Row(group=group_id, relation=relation, direction=direction, other=other,
                            metric=None, label=dataset.label(other), relation_label=words.get("en", relation),
                            cells=[Cell() for _ in entities], order=rank)
            if group_id not in group_order:
                group = configured.get(group_id) or Group(group_id, rows[key].relation_label)
                group_order[group_id] = Group(group.id, group.label)
        return rows[key]

    if want_facts:
        for column, member_map in enumerate(columns):
            column_id = entities[column].id
            for fact in dataset.facts:
                for member, direction, other in _readings(dataset, fact, member_map):
                    # The links between a column's members are not rows of their own,
                    # except as the column's direct facts (Kling integrates Kling 2.0).
                    if other == column_id or (member != column_id and other in member_map):
                        continue
                    positive = onto.relations[fact.relation].negates or fact.relation
                    if keep_relations and positive not in keep_relations:
                        continue
                    row = row_for(positive, direction, other)
                    if row is None:
                        continue
                    evidence = Evidence(fact, member_map[member])
                    cell = row.cells[column]
                    (cell.absences if positive != fact.relation else cell.facts).append(evidence)
    for row in rows.values():
        for column, member_map in enumerate(columns):
            cell = row.cells[column]
            if row.other == entities[column].id or (row.other in member_map and not cell.facts
                                                     and not cell.absences):
                cell.state = "self"

    metric_rows: list[Row] = []
    if want_figures:
        chosen = keep_metrics or (list(onto.comparison.metrics) if default else list(onto.metrics))
        for metric in chosen:
            cells = [Cell() for _ in entities]
            for column, member_map in enumerate(columns):
                for figure in dataset.figures:
                    if figure.metric == metric and figure.entity in member_map:
                        cells[column].figures.append(FigureEvidence(figure, member_map[figure.entity]))
            if keep_metrics or any(cell.figures for cell in cells):
                label = onto.metrics[metric].label.get("en", metric)
                metric_rows.append(Row(group="figures", relation=None, direction="", other=None,
                                       metric=metric, label=label, relation_label="", cells=cells))

    relation_index = {name: i for i, name in enumerate(onto.relations)}
    configured_index = {g.id: i for i, g in enumerate(onto.comparison.groups)}

    def group_key(group_id: str) -> tuple[int, int, int]:
        if group_id in configured_index:
            return (0, configured_index[group_id], 0)
        relation, _, inward = group_id.partition(":")
        return (1, relation_index.get(relation, len(relation_index)), 1 if inward else 0)

    ordered_groups = sorted(group_order.values(), key=lambda g: group_key(g.id))
    ordered_rows: list[Row] = []
    for group in ordered_groups:
        ordered_rows.extend(sorted((r for r in rows.values() if r.group == group.id),
                                   key=lambda r: (r.order, r.label.casefold(), r.key)))
    if metric_rows:
        ordered_groups.append(Group("figures", "figures"))
        ordered_rows.extend(metric_rows)
    for row in ordered_rows:
        for cell in row.cells:
            cell.settle()
    if not ordered_rows:
        raise NothingToCompare("nothing to compare: no fact or figure of "
                               + ", ".join(e.label for e in entities) + " matches these filters")
    if limit is not None and limit < 1:
        raise KgError("limit must be at least 1")
    matrix = Matrix(entities, ordered_groups, ordered_rows, as_of, dataset, dated)
    if limit is not None:
        matrix.keep_rows(limit)
    return matrix


def _readings(dataset: Dataset, fact: Fact, member_map: dict[str, str | None]
              ) -> list[tuple[str, str, str]]:
    """(member, direction, other end) for each way a fact touches a column's members."""
    found = []
    symmetric = dataset.ontology.relations[fact.relation].symmetric
    if fact.subject in member_map and fact.subject != fact.object:
        found.append((fact.subject, "out", fact.object))
    if fact.object in member_map and fact.subject != fact.object:
        found.append((fact.object, "out" if symmetric else "in", fact.subject))
    return found


def _place(dataset: Dataset, relation: str, direction: str, other: str) -> tuple[str | None, int]:
    """The first configured group whose rows select this reading, and the selector's position."""
    return _place_type(dataset.ontology, relation, direction, dataset.entities[other].type)


def _place_type(onto: Any, relation: str, direction: str, other_type: str) -> tuple[str | None, int]:
    for group in onto.comparison.groups:
        for rank, selector in enumerate(group.rows):
            if _selects(onto, selector, relation, direction, other_type):
                return group.id, rank
    return None, 0


def _selects(onto: Any, selector: RowSelector, relation: str, direction: str, other_type: str) -> bool:
    if selector.relation != relation:
        return False
    symmetric = onto.relations[relation].symmetric
    if not symmetric and selector.direction != direction:
        return False
    return selector.type is None or onto.is_a(other_type, [selector.type])


def row_label(matrix: Matrix, row: Row) -> str:
    """The row's other entity or metric, with the relation when its group mixes several."""
    if row.metric is None and matrix.mixed(row.group):
        return f"{row.relation_label}: {row.label}"
    return row.label
