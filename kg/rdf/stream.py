"""Every RDF syntax written as a stream: record by record, in linear time and bounded memory.

The triples of each record come from the RDF view (``kg.rdf.view``), so the
model is the same in every syntax; only the writing differs. The view makes
its terms as text for Turtle, TriG and N-Triples (``TextTerms`` and
``_TurtleTerms``) and as plain values for JSON-LD and RDF/XML
(``PlainTerms``), so no rdflib object is made per triple. Records
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
from kg.rdf.view import Plain, PlainTerms, TextTerms

__all__ = [
    "chunks", "DatasetRecords", "escape_iri", "escape_literal", "jsonld", "ntriples", "rdfxml", "Records",
    "StoreRecords", "STREAMED", "trig", "turtle", "turtle_blocks"
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
        self.seen: dict[str, str] = {}  # N-Triples term -> Turtle, for _text_blocks
        # When every namespace ends with a separator (":", "/", "#"), which a plain local name
        # never holds, the one namespace an IRI can take is all before its last separator.
        self.by_base = {base: prefix for prefix, base in self.prefixes}
        self.split = all(base[-1:] in (":", "/", "#") for base in self.by_base)

    def iri(self, node: str, turtle: bool) -> str:
        if not turtle:
            return "<" + escape_iri(node) + ">"
        if self.split:
            cut = max(node.rfind(":"), node.rfind("/"), node.rfind("#")) + 1
            prefix = self.by_base.get(node[:cut])
            if prefix is not None and _PLAIN_LOCAL.fullmatch(node, cut):
                return f"{prefix}:{node[cut:]}"
            return "<" + escape_iri(node) + ">"
        found = self.cache.get(node)
        if found is not None:
            return found
        for prefix, base in self.prefixes:
            if node.startswith(base) and _PLAIN_LOCAL.fullmatch(node[len(base):]):
                text = f"{prefix}:{node[len(base):]}"
                break
        else:
            text = "<" + escape_iri(node) + ">"
        if len(self.cache) < 100_000:
            self.cache[node] = text
        return text

    def term(self, node: Node, turtle: bool) -> str:
        if isinstance(node, Literal):
            text = '"' + escape_literal(str(node)) + '"'
            if node.language:
                return f"{text}@{node.language}"
            if node.datatype is not None and str(node.datatype) != "http://www.w3.org/2001/XMLSchema#string":
                return f"{text}^^{self.iri(str(node.datatype), turtle)}"
            return text
        return self.iri(str(node), turtle)

    def from_text(self, term: str) -> str:
        """An N-Triples term (``TextTerms``) as Turtle: IRIs prefixed where the local name
        allows, a literal's datatype too; the literal's text is escaped alike in both."""
        if term[0] == "<":
            inner = term[1:-1]
            return term if "\\u" in inner else self.iri(inner, True)
        if term[-1] == ">":
            text, _, datatype = term.rpartition("^^")
            return text + "^^" + self.from_text(datatype)
        return term


def escape_literal(text: str) -> str:
    """The text of a literal with every character N-Triples / Turtle cannot carry raw escaped."""
    return _NEEDS_ESCAPE.sub(_escape_char, text)


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    return _SHORT.get(char) or f"\\u{ord(char):04X}"


def escape_iri(iri: str) -> str:
    """An IRI with the characters N-Triples forbids raw inside ``<...>`` as ``\\u`` escapes."""
    return _IRI_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04X}", iri)


def _record_quads(records: Records, progress: Progress | None,
                  terms: Any = None) -> Iterator[list[tuple[Any, Any, Any, str | None]]]:
    """The quads of each record (the last item: the record's data file, or None for a direct
    triple), one list per record, records in id order; terms of ``terms`` (default: rdflib's,
    ``kg.rdf.view.RdfTerms``; ``TextTerms`` gives N-Triples text)."""
    from kg.rdf.view import _Writer

    writer = _Writer.for_records(records.ontology, records.files(), records.source_list(),
                                 records.outranked_ids(), terms)
    batch: list[tuple[Node, Node, Node, str | None]] = []

    def collect(s: Node, p: Node, o: Node, where: str | None) -> None:
        if where is not None:  # direct triples are written in their subject entity's block
            batch.append((s, p, o, where))

    writer.add = collect  # type: ignore[method-assign]
    for source in records.source_list():
        writer.source(source)
        yield batch
        batch.clear()
    total = records.entity_count() + records.fact_count()
    done = 0
    relations = writer.vt["relations"]
    for entity in records.entities_by_id():
        writer.entity_record(entity)
        subject = writer.entity(entity.id)
        for relation, other in records.direct_out(entity.id):
            batch.append((subject, relations[relation], writer.entity(other), None))
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

    from kg.rdf.view import TextTerms

    runs: list[Any] = []
    buffer: list[str] = []
    try:
        for quads in _record_quads(records, progress, TextTerms()):
            buffer.extend([f"{s} {p} {o} .\n" for s, p, o, _g in quads])
            if len(buffer) >= run_lines:
                run = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
                buffer.sort()  # str order is UTF-8 byte order: the runs merge as bytes
                run.write(_encoded("".join(buffer)))
                run.seek(0)
                runs.append(run)
                buffer = []
        buffer.sort()
        last = [_encoded(line) for line in buffer] if runs else [_encoded("".join(buffer))]
        previous = None
        out: list[bytes] = []
        for chunk in heapq.merge(last, *runs) if runs else last:
            # Without runs the one chunk is the sorted lines: split it to drop repeated lines.
            for line in chunk.splitlines(keepends=True) if not runs else (chunk,):
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
    made = _TurtleTerms(terms, names.bindings())
    for quads in _record_quads(records, progress, made):
        yield _encoded(_turtle_text_blocks(quads))


_RDF_TYPE_TEXT = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def turtle_blocks(triples: Iterable[tuple[Any, Any, Any]], terms: _Terms, text: bool = False) -> str:
    """Triples as Turtle blocks, one per subject; subjects, predicates and objects sorted.
    The terms are rdflib's, or N-Triples text (``text``, from ``kg.rdf.view.TextTerms``)."""
    if text:
        return _text_blocks(triples, terms)
    rdf_type = URIRef(str(RDF.type))
    by_subject: dict[str, dict[str, set[str]]] = {}
    for s, p, o in triples:
        predicate = "a" if p == rdf_type else terms.term(p, True)
        by_subject.setdefault(terms.term(s, True), {}).setdefault(predicate, set()).add(
            terms.term(o, True))
    return _blocks(by_subject)


def _blocks(by_subject: dict[str, dict[str, set[str]]]) -> str:
    blocks = []
    for subject in sorted(by_subject):
        predicates = by_subject[subject]
        order = sorted(predicates, key=lambda p: (p != "a", p))
        parts = [f"{p} " + ",\n        ".join(sorted(predicates[p])) for p in order]
        blocks.append(f"\n{subject} " + " ;\n    ".join(parts) + " .\n")
    return "".join(blocks)


def _turtle_text_blocks(quads: Iterable[tuple[str, str, str, Any]]) -> str:
    """``turtle_blocks`` of terms already in Turtle (``_TurtleTerms``)."""
    by_subject: dict[str, dict[str, set[str]]] = {}
    for s, p, o, _g in quads:
        by_subject.setdefault(s, {}).setdefault("a" if p == "rdf:type" else p, set()).add(o)
    return _blocks(by_subject)


class _TurtleTerms(TextTerms):
    """Terms as Turtle text, prefixed where the local name allows (``_Terms.iri``): what
    ``_Terms.from_text`` would make of ``TextTerms``' N-Triples, made at once."""

    def __init__(self, terms: _Terms, bindings: dict[str, str]) -> None:
        super().__init__()
        self.terms, self.bindings = terms, bindings

    def node(self, term: Any) -> str:
        found = self._nodes.get(term)
        if found is None:
            found = self._nodes[term] = self.terms.iri(str(term), True)
        return found

    def iri(self, text: str) -> str:
        return self.terms.iri(text, True)

    def fragment(self, node: Any, suffix: str) -> str:
        return self.terms.iri(self._full(node) + "#" + suffix, True)

    def _full(self, node: str) -> str:
        if node[0] == "<":
            inner = node[1:-1]
            return _UNESCAPE.sub(lambda m: chr(int(m.group(1), 16)), inner) if "\\u" in inner else inner
        prefix, _, local = node.partition(":")
        return self.bindings[prefix] + local


_UNESCAPE = re.compile(r"\\u([0-9A-F]{4})")


def _text_blocks(triples: Iterable[tuple[str, str, str]], terms: _Terms) -> str:
    """``turtle_blocks`` of N-Triples terms: grouped first, each subject and predicate turned
    into Turtle once, and the terms that come back (predicates, classes, hubs) remembered."""
    grouped: dict[str, dict[str, set[str]]] = {}
    for s, p, o in triples:
        grouped.setdefault(s, {}).setdefault(p, set()).add(o)
    seen = terms.seen
    if len(seen) > 50_000:  # bounded: what comes back is a small set
        seen.clear()
    by_subject: dict[str, dict[str, set[str]]] = {}
    for s, predicates in grouped.items():
        block: dict[str, set[str]] = {}
        for p, objects in predicates.items():
            predicate = seen.get(p)
            if predicate is None:
                predicate = seen[p] = "a" if p == _RDF_TYPE_TEXT else terms.from_text(p)
            shown = set()
            for o in objects:
                found = seen.get(o)
                if found is None:
                    found = terms.from_text(o)
                    if o[0] == "<":
                        seen[o] = found
                shown.add(found)
            block[predicate] = shown
        by_subject[terms.from_text(s)] = block
    return _blocks(by_subject)


def _encoded(text: str) -> bytes:
    """UTF-8; a lone surrogate, which no RDF syntax can carry, is refused (KgError)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        from kg.errors import KgError

        raise KgError(f"the RDF would hold the lone surrogate U+{ord(exc.object[exc.start]):04X} "
                      f"(in {exc.object[max(0, exc.start - 20):exc.start + 20]!r}), which no RDF "
                      "syntax can carry; nothing was written") from None


def trig(records: Records, progress: Progress | None = None) -> Iterator[bytes]:
    """TriG: direct triples in the default graph, each record in the named graph of its data file.

    Records come in id order, so a graph's block may be opened more than once (TriG merges
    blocks of the same graph); inside a block, subjects, predicates and objects are sorted."""
    from urllib.parse import quote

    from kg.rdf.names import _SAFE

    names = Names.of(records.ontology)
    terms = _Terms(names)
    bindings = {**names.bindings(), "graph": names.graph}
    yield "".join(f"@prefix {prefix}: <{iri}> .\n" for prefix, iri in sorted(bindings.items())).encode()
    labels: dict[str | None, str] = {None: "{"}
    open_label: str | None = None
    for quads in _record_quads(records, progress, _TurtleTerms(terms, names.bindings())):
        groups: dict[str | None, list[tuple[str, str, str, None]]] = {}
        for s, p, o, g in quads:
            groups.setdefault(g, []).append((s, p, o, None))
        out: list[str] = []
        for where in sorted(groups, key=lambda g: (g is not None, g or "")):
            label = labels.get(where)
            if label is None:
                local = quote(where or "", safe=_SAFE + "/")
                label = (f"graph:{local} {{" if _PLAIN_LOCAL.fullmatch(local)
                         else f"{terms.iri(names.graph + local, False)} {{")
                if len(labels) < 10_000:
                    labels[where] = label
            if label != open_label:
                out.append(("}\n" if open_label is not None else "") + "\n" + label + "\n")
                open_label = label
            out.append(_turtle_text_blocks(groups[where]).lstrip("\n"))
        yield _encoded("".join(out))
    if open_label is not None:
        yield b"}\n"


class _Compactor:
    """Terms of our JSON-LD context for full IRIs, and values written as the context reads them
    back: a plain string only where the term's coercion gives exactly that term again (``@id``
    or ``@vocab`` for IRIs, its datatype, or none for a plain string); an explicit ``@id`` or
    ``@value`` object otherwise."""

    def __init__(self, context: dict[str, Any], names: Names, terms: _Terms) -> None:
        self.bindings = names.bindings()
        self.terms = terms
        self.by_iri: dict[str, tuple[str, str | None]] = {}
        for term, definition in sorted(context.items(), key=lambda item: (len(item[0]), item[0])):
            if term.startswith("@") or term in self.bindings:
                continue
            iri, coercion = ((definition, None) if isinstance(definition, str)
                             else (definition["@id"], definition.get("@type")))
            self.by_iri.setdefault(self.expand(iri), (term, coercion))

    def expand(self, text: str) -> str:
        prefix, colon, local = text.partition(":")
        return self.bindings[prefix] + local if colon and prefix in self.bindings else text

    def iri(self, iri: str) -> str:
        """A compact IRI (``entity:kling``) where a prefix allows, else the full IRI."""
        text = self.terms.iri(iri, True)
        return iri if text.startswith("<") else text

    def vocab(self, iri: str) -> str:
        """An IRI where the context reads values vocabulary-relative (``@type``, ``@vocab``)."""
        found = self.by_iri.get(iri)
        return found[0] if found is not None else self.iri(iri)

    def key(self, predicate: str) -> tuple[str, str | None]:
        if predicate == _RDF_TYPE:
            return "@type", "@vocab"
        found = self.by_iri.get(predicate)
        return found if found is not None else (self.iri(predicate), None)

    def value(self, node: Any, coercion: str | None) -> Any:
        if not isinstance(node, Plain):
            iri = str(node)
            if coercion == "@vocab":
                return self.vocab(iri)
            if coercion == "@id":
                return self.iri(iri)
            return {"@id": self.iri(iri)}
        text = node.text
        if node.lang:
            return {"@value": text, "@language": node.lang}
        datatype = node.datatype or _XSD_STRING
        if coercion is None or coercion.startswith("@"):
            if datatype == _XSD_STRING and coercion is None:
                return text
        elif self.expand(coercion) == datatype:
            return text
        return {"@value": text} if datatype == _XSD_STRING else {"@value": text, "@type": self.iri(datatype)}


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _json_text(value: Any, indent: str) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)`` for strings, lists
    and mappings, each line after the first indented by ``indent``: the same text, written
    without the pure-Python encoder that ``indent`` otherwise selects."""
    from json.encoder import encode_basestring

    if isinstance(value, str):
        return encode_basestring(value)
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{encode_basestring(key)}: {_json_text(value[key], inner)}" for key in sorted(value)]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if not value:
        return "[]"
    return "[\n" + ",\n".join(inner + _json_text(item, inner) for item in value) + "\n" + indent + "]"


def jsonld(records: Records, progress: Progress | None = None) -> Iterator[bytes]:
    """JSON-LD: the inline context of ``kg.rdf.serialization.jsonld_context``, then one node
    object per subject of each record, in record order, keys and values sorted; plain terms
    (``competesWith``, ``about``) where the context reads the value back exactly."""
    import json

    from kg.rdf.serialization import jsonld_context

    names = Names.of(records.ontology)
    context_map = jsonld_context(records.ontology)
    compact = _Compactor(context_map, names, _Terms(names))
    context = json.dumps(context_map, ensure_ascii=False, indent=2, sort_keys=True).replace("\n", "\n  ")
    yield _encoded('{\n  "@context": ' + context + ',\n  "@graph": [')

    def order(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    first = True
    for quads in _record_quads(records, progress, PlainTerms()):
        nodes: dict[str, dict[str, dict[str, Any]]] = {}
        for s, p, o, _g in quads:
            key, coercion = compact.key(p)
            value = compact.value(o, coercion)
            # Each value once (a record may state a triple twice), sorted below.
            nodes.setdefault(compact.iri(s), {}).setdefault(key, {})[order(value)] = value
        out: list[str] = []
        for subject in sorted(nodes):
            node: dict[str, Any] = {"@id": subject}
            for key, values in nodes[subject].items():
                listed = [values[text] for text in sorted(values)]
                node[key] = listed[0] if len(listed) == 1 else listed
            out.append(("\n    " if first else ",\n    ") + _json_text(node, "    "))
            first = False
        if out:
            yield _encoded("".join(out))
    yield b"]\n}\n" if first else b"\n  ]\n}\n"


def rdfxml(records: Records, progress: Progress | None = None) -> Iterator[bytes]:
    """RDF/XML: one ``rdf:Description`` per subject of each record, in record order, predicates
    and objects sorted. Properties are named with the prefixes of ``Names.bindings``; one in
    no such namespace declares its own on its element. Text XML cannot carry is refused
    (``kg.util.xmltext``)."""
    from kg.util.xmltext import escape_attribute, escape_text

    names = Names.of(records.ontology)
    bindings = names.bindings()
    namespaces = sorted(bindings.items(), key=lambda item: -len(item[1]))
    qnames: dict[str, str] = {}

    def qname(iri: str) -> str:
        found = qnames.get(iri)
        if found is None:
            for prefix, base in namespaces:
                if iri.startswith(base) and _NCNAME.fullmatch(iri[len(base):]):
                    found = f"{prefix}:{iri[len(base):]}"
                    break
            else:
                match = _NCNAME_END.search(iri)
                if match is None or match.start() == 0:
                    from kg.errors import KgError

                    raise KgError(f"RDF/XML cannot name the property <{iri}>; nothing was written")
                found = f"ns:{match.group()} xmlns:ns={escape_attribute(iri[:match.start()])}"
            qnames[iri] = found
        return found

    head = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    head += [f"   xmlns:{prefix}={escape_attribute(iri)}" for prefix, iri in sorted(bindings.items())]
    yield _encoded("\n".join(head) + "\n>\n")
    for quads in _record_quads(records, progress, PlainTerms()):
        by_subject: dict[str, list[tuple[str, str]]] = {}
        for s, p, o, _g in quads:
            element = qname(p)
            tag = element.split(" ", 1)[0]
            if isinstance(o, Plain):
                attrs = f" xml:lang={escape_attribute(o.lang)}" if o.lang else ""
                if o.datatype is not None:
                    attrs += f" rdf:datatype={escape_attribute(o.datatype)}"
                line = f"    <{element}{attrs}>{escape_text(o.text)}</{tag}>"
            else:
                line = f"    <{element} rdf:resource={escape_attribute(o)}/>"
            by_subject.setdefault(s, []).append((tag, line))
        out = []
        for subject in sorted(by_subject):
            out.append(f"  <rdf:Description rdf:about={escape_attribute(subject)}>\n")
            out.extend(line + "\n" for _tag, line in sorted(set(by_subject[subject])))
            out.append("  </rdf:Description>\n")
        yield _encoded("".join(out))
    yield b"</rdf:RDF>\n"


# An XML name without a colon (the local part of a property's qualified name).
_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_NCNAME_END = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")


def chunks(records: Records, syntax: str, progress: Progress | None = None) -> Iterable[bytes]:
    """The stream of one of the ``STREAMED`` syntaxes."""
    writers: dict[str, Callable[..., Iterable[bytes]]] = {
        "turtle": turtle, "nt": ntriples, "jsonld": jsonld, "trig": trig, "xml": rdfxml}
    return writers[syntax](records, progress)


STREAMED = ("turtle", "nt", "jsonld", "trig", "xml")
