"""openCypher script export: the graph as statements for Neo4j, Memgraph and FalkorDB.

The property-graph model (labels, types, properties) is ``kg.export.propertygraph``.
The script is made of batched statements: each one ``UNWIND``s a literal list
of at most ``batch_size`` rows and ``MERGE``s them on their ids, so loading it
twice gives the same graph, and a large graph loads in few round trips.

File format (docs/property-graphs.md):

- UTF-8, ``\\n`` line ends; comment lines start with ``//``;
- every statement ends with ``;`` at the end of its last line, and no string
  literal holds a raw line break (``\\n``, ``\\r`` are escaped), so a loader
  that cannot run several statements at once (FalkorDB, Memgraph's clients)
  can split the file at lines ending in ``;`` (``statements()``), while
  cypher-shell runs the file as it is;
- string literals are single-quoted; a backslash, a quote, and the control
  characters with a short escape (``\\n \\r \\t \\b \\f``) are escaped, every other
  character is written as itself, because the ``\\uXXXX`` escape is not read
  the same way by every engine. U+0000 is refused (no engine stores it).

Records are written in id order, so the same data gives the same bytes.
``chunks`` reads them from ``Records`` (``kg.export.records``: the store row
by row, or a dataset in memory) and holds one batch in memory; written to a
file (``kg.util.atomic.write_stream``), data no engine can store is refused
with the file left as it was.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from kg.data.model import Dataset, Entity, Fact, Figure, Source
from kg.errors import KgError
from kg.export import write_stream
from kg.export.propertygraph import (
    ENTITY_LABEL,
    FIGURE_LABEL,
    FIGURE_LINK,
    Schema,
    entity_properties,
    fact_properties,
    figure_properties,
    schema,
)

__all__ = [
    "chunks", "DEFAULT_BATCH_SIZE", "export", "literal", "MAX_BATCH_SIZE", "quote", "render", "script_chunks",
    "statements"
]

DEFAULT_BATCH_SIZE = 500
MAX_BATCH_SIZE = 10_000

_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_ESCAPE_RE = re.compile("[\\\\'\n\r\t\b\f]")
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\Z")


def quote(text: str) -> str:
    """A single-quoted Cypher string literal for ``text``."""
    if "\x00" in text:
        raise KgError("a Cypher string cannot hold U+0000 (NUL)")
    return "'" + _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], text) + "'"


def literal(value: Any) -> str:
    """A Cypher literal: string, integer, float, boolean, list or map (keys in the order given)."""
    kind = type(value)  # exact types first: this runs for every value of every row
    if kind is str:
        return quote(value)
    if kind is dict:
        return "{" + ", ".join(f"{_name(key)}: {literal(item)}" for key, item in value.items()) + "}"
    if kind is list or kind is tuple:
        return "[" + ", ".join([literal(item) for item in value]) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # repr is the shortest exact form; Cypher wants no '+' in an exponent.
        return repr(value).replace("e+", "e")
    if isinstance(value, str):
        return quote(str(value))
    if isinstance(value, (list, tuple, dict)):
        return literal(dict(value) if isinstance(value, dict) else list(value))
    raise KgError(f"no Cypher literal for a value of type {type(value).__name__}")


@functools.lru_cache(maxsize=1024)
def _name(name: str) -> str:
    """A key, label or type name, backquoted when it is not a plain identifier."""
    return name if _NAME_RE.match(name) else "`" + name.replace("`", "``") + "`"


def statements(script: str) -> list[str]:
    """The statements of a script written by this module, without their final ``;``.

    Comment lines and blank lines between statements are dropped; a line
    ending in ``;`` ends a statement (strings never hold a raw line break).
    """
    found: list[str] = []
    current: list[str] = []
    for line in script.split("\n"):
        if not current and (not line.strip() or line.startswith("//")):
            continue
        current.append(line)
        if line.endswith(";"):
            found.append("\n".join(current)[:-1])
            current = []
    if current:
        raise KgError("the script ends inside a statement (no final ';')")
    return found


def script_chunks(ontology_schema: Schema, sources: Mapping[str, Source], entities: Iterable[Entity],
                  facts: Iterable[Fact], figures: Iterable[Figure], batch_size: int = DEFAULT_BATCH_SIZE,
                  header: Iterable[str] = (), references: Iterable[Fact] = ()) -> Iterator[str]:
    """The script, a comment or statement at a time: entity nodes, then figure nodes with
    their links, then facts, then reference edges. Holds one batch of records in memory."""
    if not 1 <= batch_size <= MAX_BATCH_SIZE:
        raise KgError(f"the batch size must be between 1 and {MAX_BATCH_SIZE}, not {batch_size}")
    yield "".join(f"// {line}\n" for line in header)
    yield "\n// Entities: one node each, labelled Entity, its type and ancestors, its roles.\n"
    for rows in _batches(((ontology_schema.entity_labels(e), entity_properties(ontology_schema, e))
                          for e in entities), batch_size):
        for labels, group in _grouped(rows):
            yield (_unwind(group) + "MERGE (n:" + ENTITY_LABEL + " {id: row.id})\n"
                   f"SET n = row, n{''.join(':' + _name(label) for label in labels[1:])};\n")
    yield f"\n// Figures: one node each, linked from its entity by {FIGURE_LINK}.\n"
    for rows in _batches((figure_properties(f, sources, ontology_schema) for f in figures),
                         batch_size):
        yield (_unwind(rows) + f"MERGE (f:{FIGURE_LABEL} {{id: row.id}})\nSET f = row\n"
               f"WITH f, row\nMATCH (e:{ENTITY_LABEL} {{id: row.entity}})\n"
               f"MERGE (e)-[:{FIGURE_LINK}]->(f);\n")
    yield "\n// Facts: one relationship each, from subject to object, typed by the relation.\n"
    yield from _relationships(ontology_schema, sources, facts, batch_size)
    yield ("\n// References: one relationship from each entity named inside a fact or figure to\n"
           "// each entity of that record, with derived set to true.\n")
    yield from _relationships(ontology_schema, sources, references, batch_size)


def _relationships(ontology_schema: Schema, sources: Mapping[str, Source], facts: Iterable[Fact],
                   batch_size: int) -> Iterator[str]:
    fact_rows = ((ontology_schema.relation_types[f.relation],
                  {"start": f.subject, "end": f.object,
                   "props": fact_properties(ontology_schema, f, sources)}) for f in facts)
    for rows in _batches(fact_rows, batch_size):
        for rel_type, group in _grouped(rows):
            yield (_unwind(group) + f"MATCH (a:{ENTITY_LABEL} {{id: row.start}})\n"
                   f"MATCH (b:{ENTITY_LABEL} {{id: row.end}})\n"
                   f"MERGE (a)-[r:{_name(rel_type)} {{id: row.props.id}}]->(b)\n"
                   "SET r = row.props;\n")


def _batches(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _grouped(rows: list[tuple[Any, dict[str, Any]]]) -> list[tuple[Any, list[dict[str, Any]]]]:
    """Rows of one batch grouped by label set (or type), groups in order of first appearance."""
    groups: dict[Any, list[dict[str, Any]]] = {}
    for key, row in rows:
        groups.setdefault(key, []).append(row)
    return list(groups.items())


def _unwind(rows: list[dict[str, Any]]) -> str:
    return "UNWIND [\n" + ",\n".join("  " + literal(row) for row in rows) + "\n] AS row\n"


def chunks(records: Any, batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[bytes]:
    """The whole script of ``records`` (``kg.export.records``), records in id order (UTF-8),
    holding one batch in memory. The batch size is checked before the first byte."""
    if not 1 <= batch_size <= MAX_BATCH_SIZE:
        raise KgError(f"the batch size must be between 1 and {MAX_BATCH_SIZE}, not {batch_size}")
    return _chunks(records, batch_size, schema(records.ontology))  # names checked before any byte


def _chunks(records: Any, batch_size: int, names: Schema) -> Iterator[bytes]:
    entities, facts = records.entity_count(), records.fact_count()
    figures, references = records.figure_count(), records.reference_count()
    header = [
        "ai-video-kg: the landscape as an openCypher script (kg export cypher).",
        f"Nodes: {entities} entities, {figures} figures. Relationships: {facts} "
        f"facts, {references} references, {figures} figure links.",
        "Statements are MERGEd on ids, so running the script again changes nothing.",
        "Each statement ends with a semicolon at the end of a line, and no string holds a line break.",
        "Before loading a large graph, index :Entity(id) and :Figure(id) (docs/property-graphs.md).",
    ]
    sources = {source.id: source for source in records.source_list()}
    for text in script_chunks(names, sources, records.entities_by_id(),
                              records.facts_by_id(), records.figures_by_id(), batch_size, header,
                              records.references_by_id()):
        yield text.encode("utf-8")


def render(dataset: Dataset, batch_size: int = DEFAULT_BATCH_SIZE) -> bytes:
    """The whole script for a dataset, records sorted by id (UTF-8)."""
    from kg.export import records_of

    return b"".join(chunks(records_of(dataset), batch_size))


def export(dataset: Dataset, target: Path, batch_size: int = DEFAULT_BATCH_SIZE) -> list[Path]:
    from kg.export import records_of

    stream = chunks(records_of(dataset), batch_size)
    return [write_stream(Path(target), stream)]
