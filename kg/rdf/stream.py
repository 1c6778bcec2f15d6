"""Turtle and N-Triples written as a stream: record by record, in linear time and bounded memory.

The triples of each record come from the RDF view (``kg.rdf.view``), so the
model is the same as every other syntax's; only the writing differs. Records
are taken in id order (sources, entities, facts, figures) from any
``Records``: a whole ``Dataset`` in memory or the compiled store, read row by
row. An entity's block also holds the direct triples of the reported facts
stated from it (and of symmetric facts stated to it), so each subject
appears once in Turtle. Inside a block, predicates and objects are sorted,
so the same data gives the same bytes.

Every literal is written with escapes for the characters that N-Triples and
Turtle cannot carry raw (quotes, backslashes, line breaks and every other
control or line-separator character), so any text round-trips exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from rdflib import RDF, Literal, URIRef
from rdflib.term import Node

from kg.export.records import DatasetRecords, Records, StoreRecords
from kg.rdf.names import Names

__all__ = [
    "chunks", "DatasetRecords", "escape_literal", "ntriples", "Records", "StoreRecords", "STREAMED",
    "turtle", "turtle_blocks"
]

# A local name written as prefix:local; anything else is written as a full <IRI>.
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
# Characters escaped in literals: the ones with a short escape, then every control and separator.
_SHORT = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile("[\\\\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufff0-\uffff]")
# IRIs: characters N-Triples forbids raw inside <...> are written as \\u escapes.
_IRI_ESCAPE = re.compile('[\x00-\x20<>"{}|^`\\\\]')

Progress = Callable[[str, int, int], None]


class _Terms:
    """Terms as Turtle (prefixed where the local name allows) or N-Triples text."""

    def __init__(self, names: Names) -> None:
        self.prefixes = sorted(names.bindings().items(), key=lambda item: -len(item[1]))
        self.cache: dict[str, str] = {}

    def iri(self, node: str, turtle: bool) -> str:
        if turtle:
            found = self.cache.get(node)
            if found is not None:
                return found
            for prefix, base in self.prefixes:
                if node.startswith(base) and _PLAIN_LOCAL.fullmatch(node[len(base):]):
                    text = f"{prefix}:{node[len(base):]}"
                    break
            else:
                text = "<" + _escape_iri(node) + ">"
            if len(self.cache) < 100_000:
                self.cache[node] = text
            return text
        return "<" + _escape_iri(node) + ">"

    def term(self, node: Node, turtle: bool) -> str:
        if isinstance(node, Literal):
            text = '"' + escape_literal(str(node)) + '"'
            if node.language:
                return f"{text}@{node.language}"
            if node.datatype is not None and str(node.datatype) != "http://www.w3.org/2001/XMLSchema#string":
                return f"{text}^^{self.iri(str(node.datatype), turtle)}"
            return text
        return self.iri(str(node), turtle)


def escape_literal(text: str) -> str:
    """The text of a literal with every character N-Triples / Turtle cannot carry raw escaped."""
    return _NEEDS_ESCAPE.sub(_escape_char, text)


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    return _SHORT.get(char) or f"\\u{ord(char):04X}"


def _escape_iri(iri: str) -> str:
    return _IRI_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04X}", iri)


def _record_triples(records: Records, progress: Progress | None) -> Iterator[list[tuple[Node, Node, Node]]]:
    """The triples of each record, one list per record, records in id order."""
    from kg.rdf.view import _Writer

    writer = _Writer.for_records(records.ontology, records.files(), records.source_list(),
                                 records.outranked_ids())
    batch: list[tuple[Node, Node, Node]] = []

    def collect(s: Node, p: Node, o: Node, where: str | None) -> None:
        if where is not None:  # direct triples are written in their subject entity's block
            batch.append((s, p, o))

    writer.add = collect  # type: ignore[method-assign]
    for source in records.source_list():
        writer.source(source)
        yield batch
        batch.clear()
    total = records.entity_count() + records.fact_count()
    done = 0
    vocab = writer.vocab
    for entity in records.entities_by_id():
        writer.entity_record(entity)
        subject = writer.entity(entity.id)
        for relation, other in records.direct_out(entity.id):
            batch.append((subject, vocab.relations[relation], writer.entity(other)))
        yield batch
        batch.clear()
        done += 1
        if progress and done % 2000 == 0:
            progress("export", done, total)
    for fact in records.facts_by_id():
        writer.fact(fact)
        yield batch
        batch.clear()
        done += 1
        if progress and done % 2000 == 0:
            progress("export", done, total)
    for figure in records.figures_by_id():
        writer.figure(figure)
        yield batch
        batch.clear()
    if progress:
        progress("export", total, total)


def ntriples(records: Records, progress: Progress | None = None,
             run_lines: int = 200_000) -> Iterator[bytes]:
    """N-Triples, every line sorted (so that diffs of two dumps are meaningful).

    Lines are sorted in runs of ``run_lines``, spilled to temporary files and
    merged: memory stays bounded whatever the size of the data.
    """
    import heapq
    import tempfile

    terms = _Terms(Names.of(records.ontology))
    runs: list[Any] = []
    buffer: list[bytes] = []
    try:
        for triples in _record_triples(records, progress):
            buffer.extend(f"{terms.term(s, False)} {terms.term(p, False)} {terms.term(o, False)} .\n"
                          .encode() for s, p, o in triples)
            if len(buffer) >= run_lines:
                run = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
                run.writelines(sorted(buffer))
                run.seek(0)
                runs.append(run)
                buffer = []
        buffer.sort()
        previous = None
        out: list[bytes] = []
        for line in heapq.merge(buffer, *runs):
            if line != previous:
                out.append(line)
                previous = line
                if len(out) >= 10_000:
                    yield b"".join(out)
                    out = []
        yield b"".join(out)
    finally:
        for run in runs:
            run.close()


def turtle(records: Records, progress: Progress | None = None) -> Iterator[bytes]:
    """Turtle: the prefixes, then one block per subject, record by record."""
    names = Names.of(records.ontology)
    terms = _Terms(names)
    head = "".join(f"@prefix {prefix}: <{iri}> .\n" for prefix, iri in sorted(names.bindings().items()))
    yield head.encode("utf-8")
    for triples in _record_triples(records, progress):
        yield turtle_blocks(triples, terms).encode("utf-8")


def turtle_blocks(triples: Iterable[tuple[Node, Node, Node]], terms: _Terms) -> str:
    """Triples as Turtle blocks, one per subject; subjects, predicates and objects sorted."""
    rdf_type = URIRef(str(RDF.type))
    by_subject: dict[str, dict[str, set[str]]] = {}
    for s, p, o in triples:
        predicate = "a" if p == rdf_type else terms.term(p, True)
        by_subject.setdefault(terms.term(s, True), {}).setdefault(predicate, set()).add(
            terms.term(o, True))
    blocks = []
    for subject in sorted(by_subject):
        predicates = by_subject[subject]
        order = sorted(predicates, key=lambda p: (p != "a", p))
        parts = [f"{p} " + ",\n        ".join(sorted(predicates[p])) for p in order]
        blocks.append(f"\n{subject} " + " ;\n    ".join(parts) + " .\n")
    return "".join(blocks)


def chunks(records: Records, syntax: str, progress: Progress | None = None) -> Iterable[bytes]:
    """The stream of one of the streamed syntaxes (``turtle`` or ``nt``)."""
    return turtle(records, progress) if syntax == "turtle" else ntriples(records, progress)


STREAMED = ("turtle", "nt")
