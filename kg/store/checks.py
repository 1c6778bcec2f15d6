"""The checks across records, in SQL over the compiled store's tables.

They find *whether* the records break a rule that needs more than one record:
a duplicate id, a reference to no entity or source, a fact whose ends are of
types its relation does not take, a name of two entities, a source id that
names an entity, a symmetric fact stated both ways, an absence that overlaps
the fact it negates, an entity in no fact or figure. What they find is then
reported, word for word and position for position, by the checks in memory
(``kg.data.validate``), which run only then: a false alarm costs time, never
a wrong answer, so a check here may be broader than its rule but never
narrower.

A ``Scope`` holds what a change touched: the rows it removed and added, and
the entities they name. With one, each check looks only there (an edit costs
what it touches); without one, everywhere (a new store, ``kg validate --full``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from kg.data.ontology import Ontology
from kg.store.sqltext import marks as _marks
from kg.store.sqltext import sorted_chunks as _chunks

_SEQ_TABLES = ("scope_facts", "scope_figures")
_ID_TABLES = ("scope_added", "scope_touched")


class Scope:
    """What one refresh changed, as the checks and the existence dates need it."""

    def __init__(self) -> None:
        self.added: set[str] = set()  # entity ids declared in the new rows
        self.removed: set[str] = set()  # entity ids declared in the removed rows
        self.touched: set[str] = set()  # every entity the removed or new rows name
        self.fact_seqs: list[int] = []
        self.figure_seqs: list[int] = []
        self.ids: dict[str, set[str]] = {"sources": set(), "entities": set(), "facts": set(),
                                         "figures": set()}
        self.folded: set[str] = set()
        self.cites: set[str] = set()
        self.mentioned: set[str] = set()
        self.citing: list[dict[str, list]] = []  # how the new rows cite (kg.store.build.citing)
        # For the existence dates (kg.store.derive): the stated facts removed and added, as
        # (relation, subject, object), and the labels of the entities removed and added.
        self.fact_ends: set[tuple[str, str, str]] = set()
        self.labels_removed: dict[str, str] = {}
        self.labels_added: dict[str, str] = {}
        self.sources_changed = False

    def note_removed(self, conn: Any, low: int, high: int, ranges: list[tuple[int, int]]) -> None:
        for entity_id, label in conn.execute(
                "SELECT id, label FROM entities WHERE seq BETWEEN ? AND ?", (low, high)):
            self.removed.add(entity_id)
            self.labels_removed[entity_id] = label
        if conn.execute("SELECT 1 FROM sources WHERE seq BETWEEN ? AND ? LIMIT 1",
                        (low, high)).fetchone():
            self.sources_changed = True
        for first, last in ranges:
            for subject, obj, relation, derived in conn.execute(
                    "SELECT subject, object, relation, derived FROM facts WHERE seq BETWEEN ? AND ?",
                    (first, last)):
                self.touched.update((subject, obj))
                if not derived:
                    self.fact_ends.add((relation, subject, obj))
        self.touched.update(row[0] for row in conn.execute(
            "SELECT entity FROM figures WHERE seq BETWEEN ? AND ?", (low, high)))
        self.touched.update(row[0] for row in conn.execute(
            "SELECT entity FROM mentions WHERE seq BETWEEN ? AND ?", (low, high)))

    def note_added(self, rows: dict[str, list[tuple]], cites: list[str],
                   citing: dict[str, list]) -> None:
        if rows["sources"]:
            self.sources_changed = True
        for table in ("sources", "entities", "figures"):
            self.ids[table].update(row[1] for row in rows[table])
        self.added.update(row[1] for row in rows["entities"])
        self.labels_added.update((row[1], row[3]) for row in rows["entities"])
        for row in rows["facts"]:
            self.fact_seqs.append(row[0])
            self.touched.update((row[2], row[4]))
            if row[11] == 0:
                self.ids["facts"].add(row[1])
                self.fact_ends.add((row[3], row[2], row[4]))
        for row in rows["figures"]:
            self.figure_seqs.append(row[0])
            self.touched.add(row[2])
        self.mentioned.update(row[0] for row in rows["mentions"])
        self.folded.update(row[2] for row in rows["names"])
        self.cites.update(cites)
        self.citing.append(citing)

    def store(self, conn: Any) -> None:
        """Keep the scope in temporary tables, for the checks' joins."""
        self.touched |= self.added | self.removed | self.mentioned
        for table in _SEQ_TABLES:
            conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} (seq INTEGER PRIMARY KEY)")
            conn.execute(f"DELETE FROM temp.{table}")
        for table in _ID_TABLES:
            conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} (id TEXT PRIMARY KEY)")
            conn.execute(f"DELETE FROM temp.{table}")
        conn.executemany("INSERT INTO temp.scope_facts VALUES (?)", ((s,) for s in self.fact_seqs))
        conn.executemany("INSERT INTO temp.scope_figures VALUES (?)",
                         ((s,) for s in self.figure_seqs))
        conn.executemany("INSERT INTO temp.scope_added VALUES (?)", ((i,) for i in self.added))
        conn.executemany("INSERT INTO temp.scope_touched VALUES (?)", ((i,) for i in self.touched))

    def existence_scope(self, ontology: Ontology) -> tuple[set[str], set[str]]:
        """The entities whose start of existence may have changed (declared or removed here, or
        an end of a fact that begins it), and those whose label changed (a start's evidence
        names the label of the begin fact's other end)."""
        begins = {r.id: r.begins for r in ontology.relations.values() if r.begins}
        changed = self.added | self.removed
        for relation, subject, obj in self.fact_ends:
            sides = begins.get(relation, ())
            if "subject" in sides:
                changed.add(subject)
            if "object" in sides:
                changed.add(obj)
        relabelled = {i for i in self.added | self.removed
                      if self.labels_added.get(i) != self.labels_removed.get(i)}
        return changed, relabelled

    def drop(self, conn: Any) -> None:
        for table in (*_SEQ_TABLES, *_ID_TABLES):
            conn.execute(f"DROP TABLE IF EXISTS temp.{table}")


def found_problems(conn: Any, ontology: Ontology, scope: Scope | None) -> bool:
    """Whether a check across records may fail (see the module's description)."""
    checks = (_duplicates, _unknown_entities, _unknown_sources, _citations, _names, _source_names,
              _domain_and_range, _symmetric_twice, _contradictions, _orphans)
    return any(check(conn, ontology, scope) for check in checks)


def _any(conn: Any, sql: str, params: Iterable[Any] = ()) -> bool:
    return conn.execute(sql, tuple(params)).fetchone() is not None


def _duplicates(conn: Any, ontology: Ontology, scope: Scope | None) -> bool:
    # Broader than the rule for facts: a reference edge's id meeting a stated fact's.
    for table in ("sources", "entities", "facts", "figures"):
        if scope is None:
            if _any(conn, f"SELECT 1 FROM {table} GROUP BY id HAVING count(*) > 1 LIMIT 1"):
                return True
            continue
        for chunk in _chunks(scope.ids[table]):
            if _any(conn, f"SELECT 1 FROM {table} WHERE id IN ({_marks(chunk)}) GROUP BY id "
                    "HAVING count(*) > 1 LIMIT 1", chunk):
                return True
    return False


_MISSING = "NOT EXISTS (SELECT 1 FROM entities e WHERE e.id = {column})"


def _unknown_entities(conn: Any, ontology: Ontology, scope: Scope | None) -> bool:
    named = (("facts", "subject", "scope_facts"), ("facts", "object", "scope_facts"),
             ("figures", "entity", "scope_figures"))
    if scope is None:
        for table, column, _scope in named:
            if _any(conn, f"SELECT 1 FROM (SELECT DISTINCT {column} AS id FROM {table}) d WHERE "
                    + _MISSING.format(column="d.id") + " LIMIT 1"):
                return True
        return _any(conn, "SELECT 1 FROM (SELECT DISTINCT entity AS id FROM mentions) d WHERE "
                    + _MISSING.format(column="d.id") + " LIMIT 1")
    for table, column, seqs in named:
        if _any(conn, f"SELECT 1 FROM temp.{seqs} s CROSS JOIN {table} t ON t.seq = s.seq WHERE "
                + _MISSING.format(column=f"t.{column}") + " LIMIT 1"):
            return True
    for chunk in _chunks(scope.mentioned):
        found = {row[0] for row in conn.execute(
            f"SELECT DISTINCT id FROM entities WHERE id IN ({_marks(chunk)})", chunk)}
        if len(found) < len(chunk):
            return True
    # An entity no longer declared may still be named by rows the change left alone.
    for chunk in _chunks(scope.removed - scope.added):
        marks = _marks(chunk)
        if _any(conn, f"SELECT 1 FROM entities WHERE id IN ({marks}) LIMIT 1", chunk):
            return True  # declared elsewhere too (a duplicate) or moved: look closer
        for sql in (f"SELECT 1 FROM facts WHERE subject IN ({marks}) LIMIT 1",
                    f"SELECT 1 FROM facts WHERE object IN ({marks}) LIMIT 1",
                    f"SELECT 1 FROM figures WHERE entity IN ({marks}) LIMIT 1",
                    f"SELECT 1 FROM mentions WHERE entity IN ({marks}) LIMIT 1"):
            if _any(conn, sql, chunk):
                return True
    return False


def _unknown_sources(conn: Any, ontology: Ontology, scope: Scope | None) -> bool:
    known = {row[0] for row in conn.execute("SELECT id FROM sources")}
    if scope is not None and not scope.sources_changed:
        return not scope.cites <= known
    return any(not set(json.loads(cites)) <= known
               for (cites,) in conn.execute("SELECT cites FROM files"))


def _citations(conn: Any, ontology: Ontology, scope: Scope | None) -> bool:
    """A web page cited without a key phrase or not at a paragraph, or a record resting on
    aggregators only (how a source asks to be cited is in its row; how a record cites, in
    its file's ``citing``)."""
    kinds = dict(conn.execute("SELECT id, kind FROM sources"))
    if scope is not None and not scope.sources_changed:
        citings: Iterable[dict[str, list]] = scope.citing
    else:
        citings = (json.loads(text) for (text,) in conn.execute("SELECT citing FROM files"))
    for citing in citings:
        if any(kinds.get(source) is not None for source in citing["bare"]):
            return True
        for cited in citing["sets"]:
            known = [kinds[source] for source in cited if source in kinds]
            if known and all(kind == "aggregator" for kind in known):
                return True
    return False


def _names(conn: Any, ontology: Ontology, scope: Scope | None) -> bool:
    if scope is None:
        return _any(conn, "SELECT 1 FROM names GROUP BY folded HAVING count(DISTINCT entity) > 1 "
                    "LIMIT 1")
    for chunk in _chunks(scope.folded):
        if _any(conn, f"SELECT 1 FROM names WHERE folded IN ({_marks(chunk)}) GROUP BY folded "
                "HAVING count(DISTINCT entity) > 1 LIMIT 1", chunk):
            return True
    return False


def _source_names(conn: Any, ontology: Ontology, scope: Scope | None) -> bool:
    if scope is None or scope.sources_changed:
        return _any(conn, "SELECT 1 FROM sources s WHERE EXISTS "
                    "(SELECT 1 FROM names n WHERE n.folded = s.folded) LIMIT 1")
    folded = {row[0] for row in conn.execute("SELECT folded FROM sources")}
    return bool(folded & scope.folded)


def _domain_and_range(conn: Any, ontology: Ontology, scope: Scope | None) -> bool:
    seen: set[tuple] = set()
    if scope is None:
        # Every fact: one pass over the rows with the entities' types at hand is a few times
        # cheaper than joining each row to the entities twice.
        types = dict(conn.execute("SELECT id, type FROM entities"))
        seen.update((relation, types.get(subject), types.get(obj)) for relation, subject, obj
                    in conn.execute("SELECT relation, subject, object FROM facts"))
    else:
        select = ("SELECT DISTINCT f.relation, s.type, o.type FROM facts f "
                  "JOIN entities s ON s.id = f.subject JOIN entities o ON o.id = f.object")
        for sql in (select.replace("FROM facts f", "FROM temp.scope_facts c CROSS JOIN facts f "
                                   "ON f.seq = c.seq"),
                    select + " WHERE f.subject IN (SELECT id FROM temp.scope_added)",
                    select + " WHERE f.object IN (SELECT id FROM temp.scope_added)"):
            seen.update(conn.execute(sql))
    for relation_id, subject_type, object_type in seen:
        relation = ontology.relations.get(relation_id)
        if relation is None:
            continue  # a problem of the fact's own, found with its file
        for type_id, allowed in ((subject_type, relation.domain), (object_type, relation.range)):
            if type_id in ontology.entity_types and not ontology.is_a(type_id, allowed):
                return True
    for relation in ontology.relations.values():
        role = relation.subject_role
        if not role:
            continue
        sql = ("SELECT DISTINCT s.id, json_extract(s.json, '$.roles') FROM facts f "
               "JOIN entities s ON s.id = f.subject WHERE f.derived = 0 AND f.relation = ?")
        params: tuple = (relation.id,)
        if scope is not None:
            sql += (" AND (f.seq IN (SELECT seq FROM temp.scope_facts) "
                    "OR f.subject IN (SELECT id FROM temp.scope_added))")
        for _id, roles in conn.execute(sql, params):
            if role not in json.loads(roles or "[]"):
                return True
    return False


def _symmetric_twice(conn: Any, ontology: Ontology, scope: Scope | None) -> bool:
    if scope is None:
        return _any(conn, "SELECT 1 FROM facts WHERE derived = 0 AND symmetric = 1 AND "
                    "subject <> object GROUP BY relation, min(subject, object), "
                    "max(subject, object), since, until HAVING count(DISTINCT subject) > 1 LIMIT 1")
    # CROSS JOIN and INDEXED BY: the changed rows first, then the pair index (without
    # statistics, SQLite would rather walk a whole relation).
    return _any(conn, "SELECT 1 FROM temp.scope_facts c CROSS JOIN facts f ON f.seq = c.seq "
                "CROSS JOIN facts g INDEXED BY facts_by_subject ON g.subject = f.object "
                "AND g.object = f.subject AND g.relation = f.relation AND g.since IS f.since "
                "AND g.until IS f.until WHERE f.derived = 0 AND f.symmetric = 1 "
                "AND f.subject <> f.object AND g.derived = 0 LIMIT 1")


def _contradictions(conn: Any, ontology: Ontology, scope: Scope | None) -> bool:
    overlap = ("coalesce(a.valid_from, '0001-01-01') <= coalesce(b.valid_until, '9999-12-31') "
               "AND coalesce(b.valid_from, '0001-01-01') <= coalesce(a.valid_until, '9999-12-31')")
    select = ("SELECT 1 FROM facts a CROSS JOIN facts b INDEXED BY facts_by_subject "
              "ON b.subject = a.subject AND "
              "b.object = a.object AND b.relation = ? WHERE a.relation = ? AND a.derived = 0 "
              "AND b.derived = 0 AND a.kind <> 'claim' AND b.kind <> 'claim' AND " + overlap)
    for relation in ontology.relations.values():
        if relation.negates is None:
            continue
        params = (relation.negates, relation.id)
        if scope is None:
            if _any(conn, select + " LIMIT 1", params):
                return True
            continue
        for side in ("a", "b"):
            if _any(conn, select + f" AND {side}.seq IN (SELECT seq FROM temp.scope_facts) LIMIT 1",
                    params):
                return True
    return False


def _orphans(conn: Any, ontology: Ontology, scope: Scope | None) -> bool:
    unused = ("NOT EXISTS (SELECT 1 FROM facts WHERE subject = e.id) "
              "AND NOT EXISTS (SELECT 1 FROM facts WHERE object = e.id) "
              "AND NOT EXISTS (SELECT 1 FROM figures WHERE entity = e.id) "
              "AND NOT EXISTS (SELECT 1 FROM mentions WHERE entity = e.id)")
    if scope is None:
        return _any(conn, f"SELECT 1 FROM entities e WHERE {unused} LIMIT 1")
    return _any(conn, "SELECT 1 FROM entities e WHERE e.id IN (SELECT id FROM temp.scope_touched) "
                f"AND {unused} LIMIT 1")
