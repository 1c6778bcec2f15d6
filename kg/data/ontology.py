"""The ontology: entity types, roles, relations and the rest, read from data.

``ontology/ontology.yaml`` is the one definition of the vocabulary. This
module reads and checks it and offers the questions the rest of the package
asks of it (is this type allowed here? what is this relation's RDF name?).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kg.data.records import Field, check_record
from kg.errors import DataError, Problem, UnknownTerm
from kg.util.suggest import did_you_mean
from kg.util.yamlsafe import Loc, MarkedList, MarkedMap, YamlError, read_file

__all__ = [
    "ALIGNMENTS", "BASE_IRI_RE", "camel", "check_terms", "Comparison", "DEFAULT_PATH", "EntityType",
    "ID_RE", "load_ontology", "Ontology", "RdfSettings", "RECORD_REFERENCE_FIELDS", "Relation", "RowGroup",
    "RowSelector", "STANDARD_PREFIXES", "Term", "VALUE_TYPES", "with_base_iri"
]

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "ontology" / "ontology.yaml"

# Matched with fullmatch: a pattern ending in ``$`` would also take a trailing newline.
ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Which ends of a fact begin to exist with it (a relation's ``begins``).
BEGINS = ("subject", "object", "both")
VALUE_TYPES = ("string", "integer", "number", "date", "amount", "entity", "url")
# Fields of the records that name an entity besides a fact's subject and object. Each, and
# each entity-valued qualifier (``qualifiers.KEY``), is turned into reference edges of the
# relation that names it in ``derived_from`` (if one does).
RECORD_REFERENCE_FIELDS = ("facts.claimed_by", "figures.measured_by", "figures.where")

_TOP = {
    "namespace": Field("map", required=True),
    "languages": Field("str-list", required=True),
    "entity_types": Field("map", required=True),
    "roles": Field("map"),
    "relations": Field("map", required=True),
    "fact_kinds": Field("map", required=True),
    "qualifiers": Field("map"),
    "attributes": Field("map"),
    "metrics": Field("map"),
    "bounds": Field("map"),
    "comparison": Field("map"),
    "grouping": Field("map"),
    "segments": Field("map"),
    "rdf": Field("map"),
}
_GROUPING = {**{key: Field("str-list", required=True) for key in ("relations", "owners", "members")},
             "in_panel": Field("str-list")}
_NAMESPACE = {
    key: Field("str", required=True)
    for key in ("prefix", "vocabulary", "entities", "facts", "figures", "sources")
}
_STYLE = {"style": Field("map")}
# How a term lines up with terms of other vocabularies (schema.org, PROV-O, Wikidata …),
# each a list of prefixed names whose prefix the ``rdf: prefixes`` block or RDF itself defines.
ALIGNMENTS = ("subclass_of", "subproperty_of", "equivalent", "close_match")
_ALIGN = {"align": Field("map")}
_RDF = {
    "version": Field("str", required=True),
    "text_language": Field("str", required=True),
    "comment": Field("str", required=True),
    "prefixes": Field("str-map"),
    "model": Field("map"),
}
_MODEL_TERM = {"label": Field("str", required=True), "comment": Field("str", required=True), **_ALIGN}
# Prefixes every alignment may use without declaring them.
STANDARD_PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
}
_CURIE_RE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):([A-Za-z0-9_][A-Za-z0-9_.-]*)$")
_SPECS: dict[str, dict[str, Field]] = {
    "entity_types": {
        "label": Field("str-map", required=True),
        "definition": Field("str", required=True),
        "parent": Field("str"),
        **_STYLE,
        **_ALIGN,
    },
    "roles": {
        "label": Field("str-map", required=True),
        "definition": Field("str", required=True),
        "applies_to": Field("str-list"),
        **_ALIGN,
    },
    "relations": {
        "label": Field("str-map", required=True),
        "inverse_label": Field("str-map"),
        "definition": Field("str", required=True),
        "symmetric": Field("bool"),
        "domain": Field("str-list", required=True),
        "range": Field("str-list", required=True),
        "subject_role": Field("str"),
        "allowed_kinds": Field("str-list"),
        "self_loops": Field("bool"),
        "negates": Field("str"),
        "begins": Field("str"),
        "inverse": Field("str"),
        "inverse_align": Field("map"),
        "derived_from": Field("str-list"),
        **_STYLE,
        **_ALIGN,
    },
    "fact_kinds": {
        "label": Field("str-map", required=True),
        "definition": Field("str", required=True),
    },
    "qualifiers": {"type": Field("str", required=True), "definition": Field("str", required=True),
                   **_ALIGN},
    "attributes": {"type": Field("str", required=True), "definition": Field("str", required=True),
                   **_ALIGN},
    "metrics": {
        "label": Field("str-map", required=True),
        "definition": Field("str", required=True),
        "unit": Field("str", required=True),
    },
    "bounds": {
        "label": Field("str-map", required=True),
        "definition": Field("str", required=True),
    },
    "segments": {
        "label": Field("str-map", required=True),
        "definition": Field("str", required=True),
        "types": Field("str-list"),
        "roles": Field("str-list"),
        "relation": Field("str"),
        "direction": Field("str"),
        "with": Field("str-list"),
    },
}


def camel(identifier: str, upper: bool) -> str:
    """``opted-out-of`` -> ``optedOutOf`` (or ``OptedOutOf`` with ``upper``)."""
    parts = identifier.split("-")
    text = parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])
    return text[:1].upper() + text[1:] if upper else text


@dataclass(frozen=True)
class Term:
    """One entry of the ontology (an entity type, a relation, a metric …)."""

    id: str
    label: dict[str, str]
    definition: str
    loc: Loc
    extra: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.extra.get(key, default)

    def alignments(self, key: str = "align") -> dict[str, list[str]]:
        """Kind of alignment (``subclass_of`` …) -> prefixed names of the other vocabulary."""
        return {kind: list(names) for kind, names in (self.get(key) or {}).items()}


@dataclass(frozen=True)
class EntityType(Term):
    @property
    def parent(self) -> str | None:
        return self.get("parent")

    @property
    def rdf_name(self) -> str:
        return camel(self.id, upper=True)

    @property
    def style(self) -> dict[str, Any]:
        return dict(self.get("style") or {})


@dataclass(frozen=True)
class Relation(Term):
    @property
    def symmetric(self) -> bool:
        return bool(self.get("symmetric", False))

    @property
    def domain(self) -> list[str]:
        return list(self.get("domain", []))

    @property
    def range(self) -> list[str]:
        return list(self.get("range", []))

    @property
    def inverse_label(self) -> dict[str, str]:
        return dict(self.get("inverse_label") or {})

    @property
    def subject_role(self) -> str | None:
        return self.get("subject_role")

    @property
    def allowed_kinds(self) -> list[str] | None:
        return self.get("allowed_kinds")

    @property
    def negates(self) -> str | None:
        """The relation this one denies: a fact of it records an absence (``lacks`` → ``has-feature``)."""
        return self.get("negates")

    @property
    def begins(self) -> tuple[str, ...]:
        """The ends of a fact of this relation that begin to exist with it (``subject``,
        ``object`` or both): its date is then the evidence of their start."""
        side = self.get("begins")
        return ("subject", "object") if side == "both" else (side,) if side else ()

    @property
    def self_loops(self) -> bool:
        return bool(self.get("self_loops", False))

    @property
    def derived_from(self) -> list[str]:
        """The record fields this relation's reference edges come from (empty: a stated relation)."""
        return list(self.get("derived_from") or [])

    @property
    def derived(self) -> bool:
        """Whether the relation is a reference derived from records, never stated in facts."""
        return bool(self.derived_from)

    @property
    def rdf_name(self) -> str:
        return camel(self.id, upper=False)

    @property
    def inverse(self) -> str | None:
        """The id of the inverse property the RDF vocabulary declares (``owned-by``), if any."""
        return self.get("inverse")

    @property
    def style(self) -> dict[str, Any]:
        return dict(self.get("style") or {})


@dataclass(frozen=True)
class RdfSettings:
    """The ``rdf:`` block: how the RDF vocabulary describes itself and lines up with others."""

    version: str = ""
    text_language: str = "en"
    comment: str = ""
    prefixes: dict[str, str] = field(default_factory=dict)
    model: dict[str, Term] = field(default_factory=dict)

    def expand(self, curie: str) -> str:
        """``schema:Organization`` -> its IRI (the name is checked when the ontology is read)."""
        prefix, local = curie.split(":", 1)
        return {**STANDARD_PREFIXES, **self.prefixes}[prefix] + local


@dataclass(frozen=True)
class RowSelector:
    """Facts of one relation, read from the compared entity, optionally with the other end's type."""

    relation: str
    direction: str = "out"  # "out": stated from the entity; "in": stated to it
    type: str | None = None


@dataclass(frozen=True)
class RowGroup:
    id: str
    label: str
    rows: tuple[RowSelector, ...]


@dataclass(frozen=True)
class Comparison:
    """What ``kg compare`` puts side by side: roll-up relations, default groups and metrics."""

    roll_up: tuple[str, ...] = ()
    groups: tuple[RowGroup, ...] = ()
    metrics: tuple[str, ...] = ()


@dataclass
class Ontology:
    path: str
    namespace: dict[str, str]
    languages: list[str]
    entity_types: dict[str, EntityType]
    roles: dict[str, Term]
    relations: dict[str, Relation]
    fact_kinds: dict[str, Term]
    qualifiers: dict[str, Term]
    attributes: dict[str, Term]
    metrics: dict[str, Term]
    comparison: Comparison = field(default_factory=lambda: Comparison())
    # How a figure's number bounds the quantity (at-most, at-least, about), with its wording.
    bounds: dict[str, Term] = field(default_factory=dict)
    # How the HTML page groups members (products …) with their owners, and its market-map columns.
    segments: dict[str, Term] = field(default_factory=dict)
    grouping: dict[str, list[str]] = field(default_factory=dict)
    rdf: RdfSettings = field(default_factory=lambda: RdfSettings())

    def ancestors(self, type_id: str) -> list[str]:
        """The type itself, then its parent, grand-parent …"""
        chain: list[str] = []
        current: str | None = type_id
        while current is not None and current in self.entity_types and current not in chain:
            chain.append(current)
            current = self.entity_types[current].parent
        return chain

    def is_a(self, type_id: str, allowed: list[str]) -> bool:
        """Whether ``type_id`` is one of ``allowed`` or a subtype of one."""
        return any(t in allowed for t in self.ancestors(type_id))

    def reference_fields(self) -> list[str]:
        """Every record field that names an entity: the fixed ones and the entity-valued
        qualifiers (``qualifiers.KEY``)."""
        return [*RECORD_REFERENCE_FIELDS,
                *(f"qualifiers.{key}" for key, term in self.qualifiers.items()
                  if term.get("type") == "entity")]

    def reference_relations(self) -> dict[str, str]:
        """Record field -> the relation its reference edges have."""
        return {field_name: relation.id for relation in self.relations.values()
                for field_name in relation.derived_from}

    def role_applies(self, role: str, type_id: str) -> bool:
        applies_to = self.roles[role].get("applies_to")
        return applies_to is None or self.is_a(type_id, applies_to)


# An absolute IRI that ends in "/" or ":", so that ids can be appended to it.
BASE_IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+[/:]$")


def with_base_iri(ontology: Ontology, base: str) -> Ontology:
    """The ontology with every namespace moved under ``base`` (``https://kg.example.org/``):
    ``urn:ai-video-kg:entity:`` becomes ``https://kg.example.org/entity/`` and so on, so a team
    can publish the graph under its own domain. Raises ValueError for a base that is no
    absolute IRI ending in "/" or ":"."""
    if not BASE_IRI_RE.match(base):
        raise ValueError(f"{base!r} is not an absolute IRI ending in '/' or ':' "
                         "(such as https://kg.example.org/)")
    keys = [key for key in ontology.namespace if key != "prefix"]
    common = os.path.commonprefix([ontology.namespace[key] for key in keys])
    cut = max(common.rfind(":"), common.rfind("/"), common.rfind("#")) + 1
    namespace = dict(ontology.namespace)
    for key in keys:
        local = ontology.namespace[key][cut:].rstrip("/:#") or key
        namespace[key] = base + local + base[-1]
    return replace(ontology, namespace=namespace)


def check_terms(names: Iterable[str] | None, known: Mapping[str, Any], what: str,
                param: str) -> list[str]:
    """The names, sorted and deduplicated; raises UnknownTerm for the first unknown one."""
    checked = sorted(set(names or ()))
    for name in checked:
        if name not in known:
            hint = did_you_mean(name, known) or "known: " + ", ".join(sorted(known))
            raise UnknownTerm(what, name, hint, param)
    return checked


def load_ontology(path: str | os.PathLike[str] | None = None) -> Ontology:
    """Read and check the ontology; raises DataError listing every problem."""
    path = Path(path) if path is not None else DEFAULT_PATH
    display = _display(path)
    problems: list[Problem] = []
    try:
        tree = read_file(path, display)
    except YamlError as exc:
        raise DataError([Problem(exc.loc, exc.message, exc.hint)]) from None
    start = Loc(display, 1, 1)
    if tree is None:
        raise DataError([Problem(start, "the ontology file is empty")])
    top = check_record(tree, _TOP, "the ontology", start, problems)
    if top is None:
        raise DataError(problems)
    namespace = check_record(
        top.get("namespace", MarkedMap()), _NAMESPACE, "namespace", tree.loc_of("namespace"), problems
    )
    sections: dict[str, dict[str, Term]] = {}
    for section, spec in _SPECS.items():
        cls = {"entity_types": EntityType, "relations": Relation}.get(section, Term)
        sections[section] = _read_section(top.get(section), section, spec, cls, tree, problems)
    grouping = None
    if "grouping" in top:
        grouping = check_record(top["grouping"], _GROUPING, "grouping", tree.loc_of("grouping"), problems)
    ontology = Ontology(
        path=display,
        namespace=dict(namespace or {}),
        languages=list(top.get("languages", [])),
        grouping=dict(grouping or {}),
        **sections,  # type: ignore[arg-type]
    )
    ontology.rdf = _read_rdf(top.get("rdf"), tree, problems)
    _check_references(ontology, problems)
    if "comparison" in top:
        ontology.comparison = _read_comparison(top["comparison"], tree.loc_of("comparison"), ontology,
                                               problems)
    _check_presentation(ontology, tree.loc_of("grouping") if "grouping" in top else start, problems)
    _check_alignments(ontology, problems)
    if problems:
        raise DataError(problems)
    return ontology


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _read_section(
    node: Any, section: str, spec: dict[str, Field], cls: type[Term], tree: MarkedMap,
    problems: list[Problem],
) -> dict[str, Any]:
    terms: dict[str, Term] = {}
    if node is None:
        return terms
    for key, loc in ((k, node.key_locs[k]) for k in node):
        if not ID_RE.fullmatch(key):
            problems.append(Problem(loc, f"{section}: {key!r} is not a kebab-case id"))
        record = check_record(node[key], spec, f"{section} entry {key!r}", node.loc_of(key), problems)
        if record is None:
            continue
        label = record.pop("label", {})
        definition = record.pop("definition", "")
        terms[key] = cls(id=key, label=dict(label), definition=definition, loc=loc, extra=record)
    return terms


def _read_rdf(node: Any, tree: MarkedMap, problems: list[Problem]) -> RdfSettings:
    if node is None:
        return RdfSettings()
    record = check_record(node, _RDF, "rdf", tree.loc_of("rdf"), problems)
    if record is None:
        return RdfSettings()
    model: dict[str, Term] = {}
    terms = record.get("model") or MarkedMap()
    for key in terms:
        term = check_record(terms[key], _MODEL_TERM, f"rdf model term {key!r}", terms.loc_of(key),
                            problems)
        if term is not None:
            label = term.pop("label", "")
            model[key] = Term(id=key, label={"en": label}, definition=term.pop("comment", ""),
                              loc=terms.key_locs[key], extra=term)
    prefixes = dict(record.get("prefixes") or {})
    for prefix, iri in prefixes.items():
        if not re.match(r"^[A-Za-z][A-Za-z0-9_-]*$", prefix) or not re.match(r"^[a-z][a-z0-9+.-]*:\S+$", iri):
            problems.append(Problem(node.loc_of("prefixes"), f"rdf prefixes: {prefix!r}: {iri!r} is "
                                    "not a prefix name with an absolute IRI"))
    return RdfSettings(version=record.get("version", ""), text_language=record.get("text_language", "en"),
                       comment=record.get("comment", ""), prefixes=prefixes, model=model)


def _check_alignments(onto: Ontology, problems: list[Problem]) -> None:
    known = {**STANDARD_PREFIXES, **onto.rdf.prefixes}
    sections = (onto.entity_types, onto.roles, onto.relations, onto.qualifiers, onto.attributes,
                onto.rdf.model)
    for terms in sections:
        for term in terms.values():
            for key in ("align", "inverse_align"):
                for kind, names in (term.get(key) or {}).items():
                    if kind not in ALIGNMENTS:
                        problems.append(Problem(term.loc, f"{term.id!r}: unknown alignment {kind!r} "
                                                f"in {key}", did_you_mean(kind, ALIGNMENTS)
                                                or "known: " + ", ".join(ALIGNMENTS)))
                        continue
                    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                        problems.append(Problem(term.loc, f"{term.id!r}: {key} {kind} must be a list "
                                                "of prefixed names"))
                        continue
                    for name in names:
                        match = _CURIE_RE.match(name)
                        if match is None or match.group(1) not in known:
                            problems.append(Problem(term.loc, f"{term.id!r}: {name!r} in {key} is no "
                                                    "prefixed name with a known prefix", "declare the "
                                                    "prefix under rdf: prefixes"))
    for rel in onto.relations.values():
        if rel.inverse is None:
            if rel.get("inverse_align"):
                problems.append(Problem(rel.loc, f"relation {rel.id!r}: inverse_align needs inverse"))
            continue
        if not ID_RE.match(rel.inverse) or rel.inverse in onto.relations:
            problems.append(Problem(rel.loc, f"relation {rel.id!r}: inverse {rel.inverse!r} must be a "
                                    "new kebab-case id (not another relation)"))
        if rel.symmetric:
            problems.append(Problem(rel.loc, f"relation {rel.id!r} is symmetric: it is its own inverse"))


def _check_references(onto: Ontology, problems: list[Problem]) -> None:
    types = onto.entity_types
    for term in types.values():
        if term.parent is not None and term.parent not in types:
            problems.append(Problem(term.loc, f"entity type {term.id!r}: unknown parent "
                                    f"{term.parent!r}", did_you_mean(term.parent, types)))
        elif term.parent is not None and term.id in onto.ancestors(term.parent):
            problems.append(Problem(term.loc, f"entity type {term.id!r}: its parents form a cycle"))
    for term in onto.roles.values():
        for type_id in term.get("applies_to") or []:
            if type_id not in types:
                problems.append(Problem(term.loc, f"role {term.id!r}: unknown entity type "
                                        f"{type_id!r}", did_you_mean(type_id, types)))
    for rel in onto.relations.values():
        for side in ("domain", "range"):
            for type_id in getattr(rel, side):
                if type_id not in types:
                    problems.append(Problem(rel.loc, f"relation {rel.id!r}: unknown entity type "
                                            f"{type_id!r} in {side}", did_you_mean(type_id, types)))
        if rel.subject_role is not None and rel.subject_role not in onto.roles:
            problems.append(Problem(rel.loc, f"relation {rel.id!r}: unknown role "
                                    f"{rel.subject_role!r}", did_you_mean(rel.subject_role, onto.roles)))
        if rel.get("begins") not in (None, *BEGINS):
            problems.append(Problem(rel.loc, f"relation {rel.id!r}: begins must be one of "
                                    f"{', '.join(BEGINS)}, not {rel.get('begins')!r}"))
        if rel.get("begins") is not None and rel.derived:
            problems.append(Problem(rel.loc, f"relation {rel.id!r}: a reference relation "
                                    "begins nothing (its dates are its record's)"))
        if rel.negates is not None and rel.negates not in onto.relations:
            problems.append(Problem(rel.loc, f"relation {rel.id!r}: negates unknown relation "
                                    f"{rel.negates!r}", did_you_mean(rel.negates, onto.relations)))
        for kind in rel.allowed_kinds or []:
            if kind not in onto.fact_kinds:
                problems.append(Problem(rel.loc, f"relation {rel.id!r}: unknown fact kind {kind!r}",
                                        did_you_mean(kind, onto.fact_kinds)))
    _check_reference_relations(onto, problems)
    for section in ("qualifiers", "attributes"):
        for term in getattr(onto, section).values():
            if term.get("type") not in VALUE_TYPES:
                problems.append(Problem(term.loc, f"{section} entry {term.id!r}: type must be one "
                                        f"of {', '.join(VALUE_TYPES)}"))
    for lang in onto.languages:
        if lang not in ("en", "zh-Hans", "zh-Hant") and not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z]+)*", lang):
            problems.append(Problem(Loc(onto.path, 1, 1), f"language {lang!r} is not a BCP 47 tag"))
    if "en" not in onto.languages:
        problems.append(Problem(Loc(onto.path, 1, 1), "languages must include 'en'"))
    for term in (*types.values(), *onto.relations.values()):
        if "en" not in term.label:
            problems.append(Problem(term.loc, f"{term.id!r} has no English label"))


def _read_comparison(node: Any, loc: Loc, onto: Ontology, problems: list[Problem]) -> Comparison:
    """The ``comparison`` block; every name in it must be an ontology term."""
    spec = {"roll_up": Field("str-list"), "groups": Field("list"), "metrics": Field("str-list")}
    record = check_record(node, spec, "comparison", loc, problems) or {}

    def known(name: str, terms: Mapping[str, Any], what: str, at: Loc) -> bool:
        if name in terms:
            return True
        problems.append(Problem(at, f"comparison: unknown {what} {name!r}", did_you_mean(name, terms)))
        return False

    roll_up = tuple(r for r in record.get("roll_up", []) if known(r, onto.relations, "relation", loc))
    metrics = tuple(m for m in record.get("metrics", []) if known(m, onto.metrics, "metric", loc))
    group_spec = {"id": Field("str", required=True), "label": Field("str", required=True),
                  "rows": Field("list", required=True)}
    row_spec = {"relation": Field("str", required=True), "direction": Field("str"), "type": Field("str")}
    groups_node = node.get("groups", []) if isinstance(node, dict) else []
    groups = []
    for index, group_node in enumerate(groups_node if isinstance(groups_node, list) else []):
        at = groups_node.loc_of(index) if isinstance(groups_node, MarkedList) else loc
        group = check_record(group_node, group_spec, "comparison group", at, problems)
        if group is None:
            continue
        rows = []
        rows_node = group_node["rows"]
        for row_index, row_node in enumerate(rows_node):
            row_at = rows_node.loc_of(row_index) if isinstance(rows_node, MarkedList) else at
            row = check_record(row_node, row_spec, "comparison row", row_at, problems)
            if row is None or not known(row["relation"], onto.relations, "relation", row_at):
                continue
            direction = row.get("direction", "out")
            if direction not in ("in", "out"):
                problems.append(Problem(row_at, f"comparison: direction must be 'in' or 'out', "
                                        f"not {direction!r}"))
                continue
            if "type" in row and not known(row["type"], onto.entity_types, "entity type", row_at):
                continue
            rows.append(RowSelector(row["relation"], direction, row.get("type")))
        groups.append(RowGroup(group["id"], group["label"], tuple(rows)))
    return Comparison(roll_up, tuple(groups), metrics)


def _check_presentation(onto: Ontology, loc: Loc, problems: list[Problem]) -> None:
    """The grouping and the market-map segments name known types, roles and relations."""
    types = onto.entity_types
    for key, known, what in (("relations", onto.relations, "relation"), ("owners", types, "entity type"),
                             ("members", types, "entity type"), ("in_panel", types, "entity type")):
        for name in onto.grouping.get(key, []):
            if name not in known:
                problems.append(Problem(loc, f"grouping: unknown {what} {name!r} in {key}",
                                        did_you_mean(name, known)))
    for seg in onto.segments.values():
        for key, known, what in (("types", types, "entity type"), ("with", types, "entity type"),
                                 ("roles", onto.roles, "role")):
            for name in seg.get(key) or []:
                if name not in known:
                    problems.append(Problem(seg.loc, f"segment {seg.id!r}: unknown {what} {name!r}",
                                            did_you_mean(name, known)))
        relation = seg.get("relation")
        if relation is not None and relation not in onto.relations:
            problems.append(Problem(seg.loc, f"segment {seg.id!r}: unknown relation {relation!r}",
                                    did_you_mean(relation, onto.relations)))
        if seg.get("direction", "out") not in ("out", "in"):
            problems.append(Problem(seg.loc, f"segment {seg.id!r}: direction must be 'out' or 'in'"))
        if (seg.get("with") or seg.get("direction")) and relation is None:
            problems.append(Problem(seg.loc, f"segment {seg.id!r}: 'with' and 'direction' need 'relation'"))


def _check_reference_relations(onto: Ontology, problems: list[Problem]) -> None:
    """Each field naming an entity becomes the edges of one relation at most (a field no
    relation derives from gives no reference edges)."""
    fields = onto.reference_fields()
    owner: dict[str, str] = {}
    for rel in onto.relations.values():
        for field_name in rel.derived_from:
            if field_name not in fields:
                problems.append(Problem(rel.loc, f"relation {rel.id!r}: derived_from names "
                                        f"{field_name!r}, which is no field naming an entity",
                                        did_you_mean(field_name, fields)
                                        or "one of: " + ", ".join(fields)))
            elif field_name in owner:
                problems.append(Problem(rel.loc, f"relation {rel.id!r}: {field_name!r} is already "
                                        f"derived into relation {owner[field_name]!r}"))
            else:
                owner[field_name] = rel.id
        if rel.derived and rel.symmetric:
            problems.append(Problem(rel.loc, f"relation {rel.id!r}: a derived relation cannot be "
                                    "symmetric (it points from the named entity to the record)"))
