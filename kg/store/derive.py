"""Columns the store derives across records once their rows are written.

Two answers depend on records of other files: when an entity begins to exist
(``Dataset.existence``: its ``founded`` date, else the earliest of the facts
whose relation begins it, when all of them are dated) and which statements
are of the best rank among those they compete with (``kg.data.ranks``). Both
are kept as columns (``entities.exists_from``/``exists_since``/``existence``,
``facts.best``, ``figures.best``) so that a read never computes them from the
whole dataset, and both are brought up to date here after each change, on the
rows that can differ: the entities a change touched (and those whose begin
fact names a touched entity, for its label), and the competing groups of the
statements that are not of the normal rank, which are few.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from kg.data.dates import PartialDate
from kg.data.model import RANKS, Existence, begin_phrase
from kg.data.ontology import Ontology
from kg.data.ranks import rank_group
from kg.store.codec import decode, file_names, selected
from kg.store.sqltext import marks as _marks
from kg.store.sqltext import sorted_chunks as _chunks

__all__ = ["existence_columns", "existence_of", "RANK_CODES", "update_best", "update_existence"]

RANK_CODES = {rank: n for n, rank in enumerate(RANKS)}  # smaller is better
_NORMAL = RANK_CODES["normal"]
_DEPRECATED = RANK_CODES["deprecated"]
# A row's seq: (group << 56) | (its file's rank << 24) | its place (see kg.store.build).
_RANK_SHIFT, _GROUP_SHIFT = 24, 56


def existence_columns(existence: Existence | None) -> tuple[str | None, str | None, str | None]:
    """``exists_from`` (the first day, ISO), ``exists_since`` (the date as the data gives it)
    and ``existence`` (the evidence as JSON: basis, fact, phrase; ``existence_of`` reads it
    back) of an entity; all None when its start is not recorded."""
    if existence is None or existence.start is None:
        return (None, None, None)
    evidence = {"basis": existence.basis, "fact": existence.fact, "phrase": existence.phrase}
    return (existence.start.start().isoformat(), str(existence.start),
            json.dumps({k: v for k, v in evidence.items() if v is not None}, ensure_ascii=False,
                       sort_keys=True))


def existence_of(since: str, evidence: str) -> Existence:
    """An entity's ``Existence`` from its ``exists_since`` and ``existence`` columns."""
    return Existence.from_json({**json.loads(evidence), "start": since})


def _begins(ontology: Ontology) -> tuple[list[str], list[str]]:
    """The relations that begin their subject, and those that begin their object."""
    relations = ontology.relations.values()
    return ([r.id for r in relations if "subject" in r.begins],
            [r.id for r in relations if "object" in r.begins])


def update_existence(conn: Any, ontology: Ontology, touched: set[str] | None,
                     relabelled: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    """Set when each entity begins to exist, as ``kg.data.model.existence_dates`` does: for
    the ``touched`` entities (None: every one) and those whose begin facts name one of the
    ``relabelled`` entities (their evidence quotes its label). An entity with a ``founded``
    date has its columns from its own row."""
    by_subject, by_object = _begins(ontology)
    if not by_subject and not by_object:
        conn.execute("UPDATE entities SET exists_from=NULL, exists_since=NULL, existence=NULL "
                     "WHERE founded=0")
        return
    columns = "seq, id, relation, subject, object, kind, since, valid_from"
    evidence: dict[str, list[tuple]] = {}

    def take(rows: Iterable[tuple]) -> None:
        for seq, fact_id, relation, subject, obj, kind, since, valid_from in rows:
            if relation in subject_set:
                evidence.setdefault(subject, []).append(
                    (seq, fact_id, relation, kind, since, valid_from, "subject", obj))
            if relation in object_set:
                evidence.setdefault(obj, []).append(
                    (seq, fact_id, relation, kind, since, valid_from, "object", subject))

    subject_set, object_set = set(by_subject), set(by_object)
    rank_filter = f"+derived=0 AND +rank<>{_DEPRECATED}"  # a deprecated statement dates nothing
    if touched is None:
        relations = sorted(subject_set | object_set)
        take(conn.execute(f"SELECT {columns} FROM facts WHERE {rank_filter} AND relation IN "
                          f"({_marks(relations)})", relations))
        targets = None
    else:
        targets = set(touched)
        # An entity whose begin fact names a relabelled entity: its phrase carries that label.
        for chunk in _chunks(relabelled):
            for sql, relations in ((f"SELECT subject FROM facts WHERE object IN ({_marks(chunk)})",
                                    by_subject),
                                   (f"SELECT object FROM facts WHERE subject IN ({_marks(chunk)})",
                                    by_object)):
                if relations:
                    # ``+relation``: look the rows up by entity, never by relation (a relation
                    # index would walk every fact of the relation).
                    targets.update(row[0] for row in conn.execute(
                        f"{sql} AND +relation IN ({_marks(relations)}) AND +derived=0",
                        [*chunk, *relations]))
        for chunk in _chunks(targets):
            for side, relations in (("subject", by_subject), ("object", by_object)):
                if relations:
                    take(conn.execute(
                        f"SELECT {columns} FROM facts WHERE {side} IN ({_marks(chunk)}) AND "
                        f"+relation IN ({_marks(relations)}) AND {rank_filter}",
                        [*chunk, *relations]))
    found: dict[str, tuple[str | None, str | None, str | None]] = {}
    labels = _labels(conn, {row[7] for rows in evidence.values() for row in rows})
    for entity_id, rows in evidence.items():
        if targets is not None and entity_id not in targets:
            continue
        if any(row[4] is None for row in rows):
            continue  # an undated one may be earlier: the start is not recorded
        seq, fact_id, relation, kind, since, _day, side, other = min(
            dict.fromkeys(rows), key=lambda r: (r[5], r[3] != "event", r[0]))
        phrase = begin_phrase(ontology, relation, kind, side, labels.get(other, other))
        found[entity_id] = existence_columns(
            Existence(PartialDate.parse(since), "begun", fact_id, phrase))
    if targets is None:
        conn.execute("UPDATE entities SET exists_from=NULL, exists_since=NULL, existence=NULL "
                     "WHERE founded=0")
    else:
        for chunk in _chunks(targets):
            conn.execute("UPDATE entities SET exists_from=NULL, exists_since=NULL, existence=NULL "
                         f"WHERE founded=0 AND id IN ({_marks(chunk)})", chunk)
    conn.executemany("UPDATE entities SET exists_from=?, exists_since=?, existence=? "
                     "WHERE id=? AND founded=0",
                     ((*columns_, entity_id) for entity_id, columns_ in found.items()))


def _labels(conn: Any, ids: set[str]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for chunk in _chunks(ids):
        labels.update(conn.execute(f"SELECT id, label FROM entities WHERE id IN ({_marks(chunk)})",
                                   chunk))
    return labels


def update_best(conn: Any, ontology: Ontology) -> None:
    """Set ``best`` on every fact, reference edge and figure: 0 for a deprecated statement, for
    one outranked by a preferred statement it competes with, and for the reference edges of
    either; 1 otherwise. Only the groups of statements of another rank than normal are read."""
    conn.execute("UPDATE facts SET best=1 WHERE best=0")
    conn.execute("UPDATE figures SET best=1 WHERE best=0")
    hidden_facts: set[int] = set()
    hidden_records: dict[int, set[str]] = {}  # file rank -> ids of hidden facts and figures
    groups_done: set[tuple] = set()
    for relation, subject, obj, symmetric in conn.execute(
            f"SELECT relation, subject, object, symmetric FROM facts "
            f"WHERE rank<>{_NORMAL} AND derived=0").fetchall():
        ends = tuple(sorted((subject, obj))) if symmetric else (subject, obj)
        key = (relation, *ends)
        if key in groups_done:
            continue
        groups_done.add(key)
        sql = "SELECT seq, id, rank FROM facts WHERE subject=? AND object=? AND relation=? " \
              "AND derived=0"
        members = conn.execute(sql, (ends[0], ends[1], relation)).fetchall()
        if symmetric and ends[0] != ends[1]:
            members += conn.execute(sql, (ends[1], ends[0], relation)).fetchall()
        best = min(member[2] for member in members)
        for member_seq, member_id, member_rank in members:
            if member_rank == _DEPRECATED or member_rank > best:
                hidden_facts.add(member_seq)
                hidden_records.setdefault(_file_rank(member_seq), set()).add(member_id)
    hidden_figures: set[int] = set()
    figure_groups: set[tuple] = set()
    files: dict[int, str] = {}  # each file's key -> its name, read when a record is decoded
    for entity, metric in conn.execute(
            f"SELECT entity, metric FROM figures WHERE rank<>{_NORMAL}").fetchall():
        if (entity, metric) in figure_groups:
            continue
        figure_groups.add((entity, metric))
        files = files or file_names(conn)
        members = [(member_seq, decode("figures", text, files[file], *columns))
                   for member_seq, file, text, *columns in conn.execute(
                       f"SELECT seq, {selected('figures')} FROM figures WHERE entity=? AND metric=?",
                       (entity, metric))]
        best_of: dict[tuple, int] = {}
        for _member_seq, figure in members:
            key = rank_group(figure)
            best_of[key] = min(best_of.get(key, _DEPRECATED + 1), RANK_CODES.get(figure.rank, 1))
        for member_seq, figure in members:
            code = RANK_CODES.get(figure.rank, _NORMAL)
            if code == _DEPRECATED or code > best_of[rank_group(figure)]:
                hidden_figures.add(member_seq)
                hidden_records.setdefault(_file_rank(member_seq), set()).add(figure.id)
    # A reference edge comes from a record of its own file: look there.
    for file_rank, ids in hidden_records.items():
        for group in (1, 2):
            low = (group << _GROUP_SHIFT) | (file_rank << _RANK_SHIFT)
            files = files or file_names(conn)
            for edge_seq, file, text, *columns in conn.execute(
                    f"SELECT seq, {selected('facts')} FROM facts WHERE seq BETWEEN ? AND ?",
                    (low, low + (1 << _RANK_SHIFT) - 1)):
                edge = decode("facts", text, files[file], *columns)
                if edge.derived_from is not None and edge.derived_from.record in ids:
                    hidden_facts.add(edge_seq)
    conn.executemany("UPDATE facts SET best=0 WHERE seq=?", ((s,) for s in sorted(hidden_facts)))
    conn.executemany("UPDATE figures SET best=0 WHERE seq=?", ((s,) for s in sorted(hidden_figures)))


def _file_rank(seq: int) -> int:
    return (seq >> _RANK_SHIFT) & ((1 << (_GROUP_SHIFT - _RANK_SHIFT)) - 1)
