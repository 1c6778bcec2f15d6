"""neo4j-admin CSV export: a folder that ``neo4j-admin database import`` reads as it is.

The graph is the one of ``kg.export.propertygraph`` (the same labels,
types and properties as the Cypher script). Files:

- ``entities.csv`` and ``figures.csv``: nodes, ``id:ID(Entity)`` / ``id:ID(Figure)``
  (two id spaces), a ``:LABEL`` column and typed property columns;
- ``facts.csv``, ``references.csv`` and ``figure-links.csv``: relationships, ``:START_ID(…)``,
  ``:END_ID(…)``, ``:TYPE`` and typed property columns;
- ``README.md``: the import command and these rules.

CSV rules, as neo4j-admin reads them with the options the README gives:
comma-separated; every string quoted with ``"``, a quote inside doubled
(RFC 4180; a backslash is an ordinary character); line breaks inside quoted
fields (hence ``--multiline-fields=true``); an absent value is an empty,
unquoted field (no property); list elements (and labels) separated by U+001F,
the ASCII unit separator (``--array-delimiter=U+001F``), which no text in the
data may hold (refused with a clear error). The columns come from the
ontology, so every export of the same ontology has the same headers.

Each file is written as a stream from ``Records`` (``kg.export.records``), a
batch of lines at a time. The folder is written all or nothing
(``kg.util.atomic.write_folder_atomic``): into
a temporary folder beside the target, which then takes the target's place. An
existing target is replaced only if it is empty or an earlier export of this
kind.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from kg.data.model import Dataset, Entity, Fact, Figure, Source
from kg.errors import KgError
from kg.export import write_folder_atomic
from kg.export.propertygraph import (
    BOOLEAN,
    DOUBLE,
    ENTITY_LABEL,
    FIGURE_LABEL,
    FIGURE_LINK,
    LONG,
    STRINGS,
    Schema,
    entity_properties,
    fact_properties,
    figure_properties,
    schema,
)

__all__ = ["ARRAY_DELIMITER", "export", "files", "FILES", "IMPORT_COMMAND", "render"]

ARRAY_DELIMITER = "\x1f"
FILES = ("entities.csv", "figures.csv", "facts.csv", "references.csv", "figure-links.csv", "README.md")

IMPORT_COMMAND = (
    "neo4j-admin database import full --overwrite-destination \\\n"
    "  --nodes=entities.csv --nodes=figures.csv \\\n"
    "  --relationships=facts.csv --relationships=references.csv --relationships=figure-links.csv \\\n"
    "  --delimiter=',' --quote='\"' --array-delimiter='U+001F' --multiline-fields=true \\\n"
    "  neo4j"
)


def _field(value: Any, column_type: str, where: str) -> str:
    if value is None:
        return ""
    if column_type == BOOLEAN:
        return "true" if value else "false"
    if column_type == LONG:
        return str(int(value))
    if column_type == DOUBLE:
        number = float(value)
        if not math.isfinite(number):
            raise KgError(f"cannot export {where}: {number} is not a finite number")
        return repr(number)
    if column_type == STRINGS:
        for item in value:
            if ARRAY_DELIMITER in item:
                raise KgError(f"cannot export {where}: {item!r} holds U+001F, the separator of "
                              "list elements in the CSV files")
        value = ARRAY_DELIMITER.join(value)
    return '"' + str(value).replace('"', '""') + '"'


def _line(fields: Iterable[str]) -> str:
    return ",".join(fields) + "\n"


def _header(id_column: Sequence[str], columns: Sequence[tuple[str, str]]) -> str:
    return _line([*id_column, *(f"{key}:{column_type}" for key, column_type in columns)])


def _row(first: Sequence[str], columns: Sequence[tuple[str, str]], props: Mapping[str, Any],
         where: str) -> str:
    unknown = set(props) - {key for key, _ in columns}
    if unknown:  # a property the ontology-derived header has no column for
        raise KgError(f"cannot export {where}: no CSV column for {', '.join(sorted(unknown))}")
    return _line([*first, *(_field(props.get(key), column_type, f"{where} {key}")
                            for key, column_type in columns)])


def files(records: Any) -> dict[str, Iterator[bytes]]:
    """File name -> its content as a stream, for the files in ``FILES``; records in id order.

    Every stream reads its records from ``Records`` (``kg.export.records``) as it is written,
    a batch of lines at a time; the README's counts are the records' counts."""
    names = schema(records.ontology)
    sources = {source.id: source for source in records.source_list()}
    counts = {"entities": records.entity_count(), "figures": records.figure_count(),
              "facts": records.fact_count(), "references": records.reference_count()}
    return {
        "entities.csv": _encoded(_entity_lines(names, records.entities_by_id)),
        "figures.csv": _encoded(_figure_lines(names, sources, records.figures_by_id)),
        "facts.csv": _encoded(_relationship_lines(names, sources, records.facts_by_id, "fact")),
        "references.csv": _encoded(_relationship_lines(names, sources, records.references_by_id,
                                                       "reference")),
        "figure-links.csv": _encoded(_link_lines(records.figures_by_id)),
        "README.md": _encoded(iter([_readme(counts)])),
    }


def render(dataset: Dataset) -> dict[str, bytes]:
    """File name -> content, for the files in ``FILES``; records sorted by id."""
    from kg.export import records_of

    return {name: b"".join(content) for name, content in files(records_of(dataset)).items()}


def _encoded(lines: Iterator[str], batch: int = 1000) -> Iterator[bytes]:
    out: list[str] = []
    for line in lines:
        out.append(line)
        if len(out) >= batch:
            yield "".join(out).encode("utf-8")
            out = []
    yield "".join(out).encode("utf-8")


def _entity_lines(names: Schema, entities: Callable[[], Iterator[Entity]]) -> Iterator[str]:
    # Property columns after the id column(s); the node id is the ``id`` property itself.
    entity_columns = [c for c in names.entity_columns if c[0] != "id"]
    yield _header([f"id:ID({ENTITY_LABEL})", ":LABEL"], entity_columns)
    for entity in entities():
        where = f"entity {entity.id!r}"
        props = entity_properties(names, entity)
        first = [_field(props.pop("id"), "string", where),
                 _field(list(names.entity_labels(entity)), STRINGS, where)]
        yield _row(first, entity_columns, props, where)


def _figure_lines(names: Schema, sources: Mapping[str, Source],
                  figures: Callable[[], Iterator[Figure]]) -> Iterator[str]:
    figure_columns = [c for c in names.figure_columns if c[0] != "id"]
    yield _header([f"id:ID({FIGURE_LABEL})", ":LABEL"], figure_columns)
    for figure in figures():
        where = f"figure {figure.id!r}"
        props = figure_properties(figure, sources, names)
        figure_id = _field(props.pop("id"), "string", where)
        yield _row([figure_id, _field(FIGURE_LABEL, "string", where)], figure_columns, props, where)


def _link_lines(figures: Callable[[], Iterator[Figure]]) -> Iterator[str]:
    yield _line([f":START_ID({ENTITY_LABEL})", f":END_ID({FIGURE_LABEL})", ":TYPE"])
    for figure in figures():
        where = f"figure {figure.id!r}"
        yield _line([_field(figure.entity, "string", where), _field(figure.id, "string", where),
                     _field(FIGURE_LINK, "string", where)])


def _relationship_lines(names: Schema, sources: Mapping[str, Source],
                        facts: Callable[[], Iterator[Fact]], what: str) -> Iterator[str]:
    yield _header([f":START_ID({ENTITY_LABEL})", f":END_ID({ENTITY_LABEL})", ":TYPE"],
                  names.fact_columns)
    for fact in facts():
        where = f"{what} {fact.id!r}"
        first = [_field(fact.subject, "string", where), _field(fact.object, "string", where),
                 _field(names.relation_types[fact.relation], "string", where)]
        yield _row(first, names.fact_columns, fact_properties(names, fact, sources), where)


def _readme(counts: dict[str, int]) -> str:
    return f"""# ai-video-kg for neo4j-admin

Written by `kg export neo4j-csv`: {counts['entities']} entities and {counts['figures']} figures \
as nodes; {counts['facts']} facts, {counts['references']} references and {counts['figures']} \
figure links as relationships.

| file | what |
|---|---|
| `entities.csv` | one node per entity: labels `{ENTITY_LABEL}`, its type and ancestors, its roles |
| `figures.csv` | one `{FIGURE_LABEL}` node per figure |
| `facts.csv` | one relationship per fact, typed by its relation (UPPER_SNAKE_CASE) |
| `references.csv` | one relationship per reference edge (an entity named in a record), `derived` true |
| `figure-links.csv` | one `{FIGURE_LINK}` relationship from each figure's entity to the figure |

To create (or replace) the database `neo4j` from these files, stop it and
run, from this folder (Neo4j 5):

```sh
{IMPORT_COMMAND}
```

then start the database again. For Neo4j 4.4, use `neo4j-admin import
--database=neo4j --force` with the same `--nodes`, `--relationships` and
format options.

How the files are written: comma-separated, UTF-8, a header with typed
columns; every string quoted with `"` (a quote inside is doubled, a
backslash is an ordinary character); line breaks occur inside quoted
fields, hence `--multiline-fields=true`; an empty unquoted field is an
absent property; list elements and labels are separated by the character
U+001F (unit separator), hence `--array-delimiter='U+001F'` (text in a list
never holds it: the export refuses such data). Dates are ISO strings
(`since`, with `since_first` and `since_last` for the first and last day).
See docs/property-graphs.md in the ai-video-kg repository.
"""


def export(dataset: Dataset, target: Path) -> list[Path]:
    """Write the folder ``target`` all or nothing (``kg.util.atomic.write_folder_atomic``).

    The folder must be new, empty, or hold only the files of an earlier
    export (it is replaced as a whole); raises ``kg.util.atomic.FolderNotOwned``
    otherwise. A refusal of the data leaves the folder as it was.
    """
    from kg.export import records_of

    return write_folder_atomic(Path(target), files(records_of(dataset)))
