"""Validation: checks that need the ontology or more than one record.

Each check appends Problems; ``validate`` runs them all, so one run reports
everything that is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from kg.data.citations import MAX_PHRASE_WORDS, Locator, LocatorError, phrase_problem
from kg.data.dates import DateError, PartialDate
from kg.data.model import (
    DATE_BASES,
    RANK_REASONS,
    RANKS,
    SCALES,
    SOURCE_KINDS,
    Entity,
    Fact,
    Figure,
    Loaded,
    Source,
    SourceRef,
)
from kg.data.ontology import ID_RE, Ontology
from kg.data.records import convert, type_name
from kg.errors import Problem
from kg.util.suggest import did_you_mean
from kg.util.urls import is_web_url
from kg.util.yamlsafe import Loc

__all__ = ["Known", "validate", "WIKIDATA_RE"]

# Matched with fullmatch: a pattern ending in ``$`` would also take a trailing newline.
_CURRENCY_RE = re.compile(r"[A-Z]{3}")
# A BCP 47 language tag as sources use them: language, then an optional script and region
# (en, ja, zh-Hans, pt-BR, es-419), matched with fullmatch.
LANGUAGE_TAG_RE = re.compile(r"[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?")
# A Wikidata item id (Q42), matched with fullmatch: Q and a number without leading zeros.
WIKIDATA_RE = re.compile(r"Q[1-9][0-9]*")


def validate(loaded: Loaded) -> list[Problem]:
    problems: list[Problem] = []
    onto = loaded.ontology
    sources = _unique(loaded.sources, "source", problems, rejected=loaded.rejected.get("sources"))
    entities = _unique(loaded.entities, "entity", problems,
                       rejected=loaded.rejected.get("entities"))
    _unique(loaded.facts, "fact", problems,
            hint="two facts get this id: state a fact once, or give one an explicit 'id'")
    _unique(loaded.figures, "figure", problems,
            hint="two figures get this id: give one an explicit 'id'")
    for source in loaded.sources:
        _check_source(source, onto, entities, problems)
    for entity in loaded.entities:
        _check_entity(entity, onto, problems)
    _check_names(loaded.entities, problems)
    _check_source_ids_name_no_entity(loaded, problems)
    flawed: set[str] = set()  # records with problems of their own: no follow-on reference check
    for fact in loaded.facts:
        before = len(problems)
        _check_fact(fact, onto, entities, sources, problems)
        if len(problems) > before:
            flawed.add(fact.id)
    _check_symmetric_twice(loaded.facts, onto, problems)
    _check_contradictions(loaded.facts, onto, problems)
    for figure in loaded.figures:
        before = len(problems)
        _check_figure(figure, onto, entities, sources, problems)
        if len(problems) > before:
            flawed.add(figure.id)
    for record in (*loaded.facts, *loaded.figures):
        _check_rank(record, problems)
        _check_citations(record, sources, problems)
    _check_references(loaded, entities, flawed, problems)
    _check_orphans(loaded, problems)
    return problems


def _check_web_source(source: Source, problems: list[Problem]) -> None:
    """A web page (a source with a kind) names its address and its day of publication."""
    at = source.field_locs.get
    what = f"source {source.id!r}"
    if source.kind is None:
        if source.retrieved is not None:
            problems.append(Problem(at("retrieved", source.loc), f"{what}: 'retrieved' is for a web "
                                    "page", "give the page's 'kind' (" + ", ".join(SOURCE_KINDS)
                                    + ") as well"))
        return
    if source.kind not in SOURCE_KINDS:
        problems.append(Problem(at("kind", source.loc), f"{what}: unknown kind {source.kind!r}",
                                did_you_mean(source.kind, SOURCE_KINDS)
                                or "one of: " + ", ".join(SOURCE_KINDS)))
    if source.url is None:
        problems.append(Problem(source.loc, f"{what} is a web page without 'url'",
                                "give the address exactly as the page is reached"))
    if source.date.precision != "day":
        problems.append(Problem(at("date", source.loc), f"{what}: a web page needs its day of "
                                f"publication, not {source.date}", "the date the page states "
                                "(byline, dateline); a page without one is no web source"))
    if source.retrieved is not None:
        if source.retrieved.precision != "day":
            problems.append(Problem(at("retrieved", source.loc), f"{what}: 'retrieved' must be a "
                                    "day (YYYY-MM-DD)"))
        elif source.retrieved.start() < source.date.start():
            problems.append(Problem(at("retrieved", source.loc), f"{what}: retrieved "
                                    f"{source.retrieved}, before its publication on {source.date}"))


def _check_rank(record: Fact | Figure, problems: list[Problem]) -> None:
    at = record.field_locs.get
    what = f"{'fact' if isinstance(record, Fact) else 'figure'} {record.id!r}"
    if record.rank not in RANKS:
        problems.append(Problem(at("rank", record.loc), f"{what}: unknown rank {record.rank!r}",
                                "one of: " + ", ".join(RANKS)))
    if record.rank == "deprecated" and record.rank_reason is None:
        problems.append(Problem(at("rank", record.loc), f"{what}: a deprecated statement needs "
                                "'rank_reason'", "one of: " + ", ".join(RANK_REASONS)))
    if record.rank_reason is not None:
        if record.rank != "deprecated":
            problems.append(Problem(at("rank_reason", record.loc), f"{what}: 'rank_reason' is "
                                    "only for rank: deprecated"))
        elif record.rank_reason not in RANK_REASONS:
            problems.append(Problem(at("rank_reason", record.loc), f"{what}: unknown rank_reason "
                                    f"{record.rank_reason!r}", "one of: " + ", ".join(RANK_REASONS)))


def _check_citations(record: Fact | Figure, sources: Known, problems: list[Problem]) -> None:
    """Key phrases are short locators; a web page is cited by paragraph and key phrase; a
    record does not rest on aggregators alone."""
    what = f"{'fact' if isinstance(record, Fact) else 'figure'} {record.id!r}"
    kinds = []
    for ref in record.sources:
        source = sources.get(ref.source)
        if ref.phrase is not None:
            reason = phrase_problem(ref.phrase)
            if reason is not None:
                problems.append(Problem(ref.loc, f"{what}: the key phrase {ref.phrase!r} {reason}"))
        if source is None:
            continue
        kinds.append(source.kind)
        if not source.is_web:
            continue
        if ref.phrase is None:
            problems.append(Problem(ref.loc, f"{what}: the citation of web page {ref.source!r} has "
                                    "no key phrase", "add phrase: the few words of the paragraph "
                                    f"(at most {MAX_PHRASE_WORDS}, in the page's language) that "
                                    "a reader searches for"))
        try:
            page = Locator.parse(ref.locator).kind == "page"
        except LocatorError:
            page = False
        if not page:
            problems.append(Problem(ref.loc, f"{what}: web page {ref.source!r} is cited at "
                                    f"{ref.locator!r}", "a web page is cited by the paragraph "
                                    "counted from the top: paragraph: N (or locator: \"para N\")"))
    if kinds and all(kind == "aggregator" for kind in kinds):
        problems.append(Problem(record.loc, f"{what} rests on aggregators only",
                                "cite an independent page that is not an aggregator as well "
                                "(a company post, a news report or a filing)"))


class Known(dict):
    """Valid records by id, and the ids of records left out for their shape."""

    rejected: frozenset[str] = frozenset()


class _AnyRole(list):
    def __contains__(self, role: object) -> bool:
        return True


class _Anything(Known):
    """Every id, naming an entity of no known type with every role: with it, the checks
    of one record leave alone whatever needs the other records."""

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: str) -> Entity:
        return _ANY_ENTITY


_ANY_ENTITY = Entity(id="", type="", labels={}, loc=Loc("", 0, 0), roles=_AnyRole())


def record_problems(loaded: Loaded) -> bool:
    """Whether a record of ``loaded`` has a problem of its own (a check that needs no other
    record: an unknown type or relation, a value of the wrong type, since after until …).

    Converts typed attribute and qualifier values as ``validate`` does. Checks across
    records (references, domain and range, duplicates, how a cited source's kind asks to
    be cited …) are left out: the compiled store makes them over its tables
    (``kg.store.checks``), and ``validate`` makes both kinds.
    """
    problems: list[Problem] = []
    onto = loaded.ontology
    anything = _Anything()
    for section in (loaded.sources, loaded.entities):
        for record in section:
            if not ID_RE.fullmatch(record.id):
                return True
    for source in loaded.sources:
        _check_source(source, onto, anything, problems)
    for entity in loaded.entities:
        _check_entity(entity, onto, problems)
    for fact in loaded.facts:
        _check_fact(fact, onto, anything, anything, problems)
    for figure in loaded.figures:
        _check_figure(figure, onto, anything, anything, problems)
    for record in (*loaded.facts, *loaded.figures):
        _check_rank(record, problems)
        for ref in record.sources:
            if ref.phrase is not None and phrase_problem(ref.phrase) is not None:
                return True
    return bool(problems)


def _check_source(source: Source, onto: Ontology, entities: Known, problems: list[Problem]) -> None:
    if source.language not in onto.languages and not LANGUAGE_TAG_RE.fullmatch(source.language):
        # A source may be in any language (a web page in Japanese, French …); labels only
        # in the ontology's.
        problems.append(Problem(source.field_locs.get("language", source.loc),
                                f"source {source.id!r}: {source.language!r} is no language "
                                "tag", "a BCP 47 tag such as en, ja, fr, zh-Hans or pt-BR"))
    if source.url is not None and not is_web_url(source.url):
        problems.append(Problem(source.field_locs.get("url", source.loc),
                                f"source {source.id!r}: url must be an http(s) URL with a "
                                "host and without spaces, controls, <, >, quotes, "
                                "backticks, braces, | or \\ (percent-encode them)"))
    if source.url is None and source.published_in is None and not source.is_web:
        problems.append(Problem(source.loc, f"source {source.id!r} says nowhere where a reader "
                                "finds it", "give 'url' (only where the document gives one) "
                                "or 'published_in' (where it was published)"))
    if source.publisher_entity is not None:
        _check_entity_ref(source.publisher_entity, "publisher", f"source {source.id!r}",
                          source.field_locs.get("publisher_entity", source.loc), entities,
                          problems)
    _check_web_source(source, problems)


def _unique(records: Iterable[Any], what: str, problems: list[Problem], hint: str = "",
            rejected: set[str] | None = None) -> Known:
    seen = Known()
    seen.rejected = frozenset(rejected or ())
    for record in records:
        if what in ("source", "entity") and not ID_RE.fullmatch(record.id):
            problems.append(Problem(record.loc, f"{what} id {record.id!r} is not kebab-case",
                                    "use lower-case letters, digits and single hyphens"))
        if record.id in seen:
            first = seen[record.id].loc
            problems.append(Problem(record.loc, f"duplicate {what} id {record.id!r}",
                                    (f"{hint}; " if hint else "") + f"first declared at {first}"))
        else:
            seen[record.id] = record
    return seen


def _check_language(lang: str, onto: Ontology, loc: Loc, problems: list[Problem]) -> None:
    if lang not in onto.languages:
        problems.append(Problem(loc, f"unknown language {lang!r}",
                                "one of: " + ", ".join(onto.languages)))


def _check_entity(entity: Entity, onto: Ontology, problems: list[Problem]) -> None:
    at = entity.field_locs.get
    if entity.type not in onto.entity_types:
        problems.append(Problem(at("type", entity.loc), f"entity {entity.id!r}: unknown type "
                                f"{entity.type!r}", did_you_mean(entity.type, onto.entity_types)))
    for lang in entity.labels:
        _check_language(lang, onto, at("labels", entity.loc), problems)
    if "en" not in entity.labels:
        problems.append(Problem(at("labels", entity.loc), f"entity {entity.id!r} has no 'en' label"))
    for role in entity.roles:
        if role not in onto.roles:
            problems.append(Problem(at("roles", entity.loc), f"entity {entity.id!r}: unknown role "
                                    f"{role!r}", did_you_mean(role, onto.roles)))
        elif entity.type in onto.entity_types and not onto.role_applies(role, entity.type):
            problems.append(Problem(at("roles", entity.loc), f"entity {entity.id!r}: role {role!r} "
                                    f"does not apply to type {entity.type!r}"))
    if entity.wikidata is not None and not WIKIDATA_RE.fullmatch(entity.wikidata):
        problems.append(Problem(at("wikidata", entity.loc), f"entity {entity.id!r}: wikidata must be "
                                f"a Wikidata item id such as Q42, not {entity.wikidata!r}"))
    for key, value in entity.attributes.items():
        loc = at("attributes", entity.loc)
        term = onto.attributes.get(key)
        if term is None:
            problems.append(Problem(loc, f"entity {entity.id!r}: unknown attribute {key!r}",
                                    did_you_mean(key, onto.attributes)))
            continue
        ok, converted, reason = _typed_value(term.get("type"), value)
        if not ok:
            problems.append(Problem(loc, f"entity {entity.id!r}: attribute {key!r} {reason}"))
        else:
            entity.attributes[key] = converted


def _typed_value(value_type: str, value: Any, entities: Known | None = None) -> tuple[bool, Any, str]:
    """Check a qualifier or attribute value against its ontology type."""
    if value_type == "string":
        return convert("str", value)
    if value_type == "integer":
        return convert("int", value)
    if value_type == "number":
        return convert("number", value)
    if value_type == "date":
        try:
            return True, PartialDate.parse(value), ""
        except DateError as exc:
            return False, None, str(exc)
    if value_type == "url":
        ok = is_web_url(value)
        return ok, value, "" if ok else ("must be an http(s) URL without spaces, controls, <, >, "
                                         "quotes, backticks, braces, | or \\")
    if value_type == "entity":
        if not isinstance(value, str):
            return False, None, f"must be an entity id, not {type_name(value)}"
        if entities is not None and value not in entities and value not in entities.rejected:
            hint = did_you_mean(value, entities)
            return False, None, f"names no entity: {value!r}" + (f" ({hint})" if hint else "")
        return True, value, ""
    if value_type == "amount":
        if not isinstance(value, dict):
            return False, None, f"must be a mapping {{value, unit}}, not {type_name(value)}"
        unknown = set(value) - {"value", "unit", "scale"}
        if unknown:
            return False, None, f"has unknown keys {sorted(unknown)} (allowed: value, unit, scale)"
        if not convert("number", value.get("value"))[0] or not convert("str", value.get("unit"))[0]:
            return False, None, "needs a number 'value' and a string 'unit'"
        if "scale" in value and value["scale"] not in SCALES:
            return False, None, f"scale must be one of {', '.join(SCALES)}"
        return True, dict(value), ""
    return False, None, f"has an unknown value type {value_type!r}"  # pragma: no cover


def _check_names(entities: list[Entity], problems: list[Problem]) -> None:
    """No label or alias may name two entities (after case, width and script folding)."""
    from kg.data.names import normalize

    owner: dict[str, Entity] = {}
    for entity in entities:
        for name in {normalize(n): n for n in [entity.id, *entity.names()]}.items():
            key, text = name
            other = owner.setdefault(key, entity)
            if other is not entity and other.id != entity.id:
                problems.append(Problem(
                    entity.field_locs.get("aliases", entity.field_locs.get("labels", entity.loc)),
                    f"the name {text!r} of entity {entity.id!r} also names entity {other.id!r}",
                    f"declared at {other.loc}; a label or alias must name one entity",
                ))


def _check_refs(refs: list[SourceRef], what: str, loc: Loc, sources: Known,
                problems: list[Problem]) -> None:
    for ref in refs:
        if ref.source not in sources and ref.source not in sources.rejected:
            problems.append(Problem(ref.loc, f"{what}: unknown source {ref.source!r}",
                                    did_you_mean(ref.source, sources)))


def _check_period(since: PartialDate | None, until: PartialDate | None, what: str, loc: Loc,
                  problems: list[Problem]) -> None:
    if since is not None and until is not None and since.start() > until.end():
        problems.append(Problem(loc, f"{what}: since {since} is after until {until}"))


def _check_entity_ref(value: str, role: str, what: str, loc: Loc, entities: Known,
                      problems: list[Problem]) -> bool:
    if value in entities:
        return True
    if value in entities.rejected:
        return False  # its own problems are reported already
    problems.append(Problem(loc, f"{what}: unknown {role + ' ' if role else ''}entity {value!r}",
                            did_you_mean(value, entities)))
    return False


def _check_fact(fact: Fact, onto: Ontology, entities: Known, sources: Known,
                problems: list[Problem]) -> None:
    at = fact.field_locs.get
    what = f"fact {fact.id!r}"
    subject_ok = _check_entity_ref(fact.subject, "subject", what, at("subject", fact.loc),
                                   entities, problems)
    object_ok = _check_entity_ref(fact.object, "object", what, at("object", fact.loc),
                                  entities, problems)
    relation = onto.relations.get(fact.relation)
    if relation is None:
        problems.append(Problem(at("relation", fact.loc), f"{what}: unknown relation "
                                f"{fact.relation!r}", did_you_mean(fact.relation, onto.relations)))
    if relation is not None and relation.derived:
        problems.append(Problem(at("relation", fact.loc), f"{what}: {relation.id!r} is a reference "
                                f"derived from {', '.join(relation.derived_from)} and is never "
                                "stated", "name the entity in that field of a fact or figure"))
        relation = None
    if fact.kind not in onto.fact_kinds:
        problems.append(Problem(at("kind", fact.loc), f"{what}: unknown kind {fact.kind!r}",
                                "one of: " + ", ".join(onto.fact_kinds)))
    elif relation is not None and relation.allowed_kinds and fact.kind not in relation.allowed_kinds:
        problems.append(Problem(at("kind", fact.loc), f"{what}: relation {relation.id!r} only "
                                f"takes kind {' or '.join(relation.allowed_kinds)}, not {fact.kind!r}",
                                "an assessment is a claim, attributed to its source"
                                if "claim" in relation.allowed_kinds else ""))
    if fact.kind == "event" and fact.since is None:
        problems.append(Problem(at("kind", fact.loc), f"{what}: an event needs 'since', the date "
                                "it happened"))
    if fact.claimed_by is not None:
        _check_entity_ref(fact.claimed_by, "claimed_by", what, at("claimed_by", fact.loc),
                          entities, problems)
        if fact.kind != "claim":
            problems.append(Problem(at("claimed_by", fact.loc),
                                    f"{what}: claimed_by is only for kind 'claim'"))
    if relation is not None and subject_ok and object_ok:
        subject, obj = entities[fact.subject], entities[fact.object]
        if fact.subject == fact.object and not relation.self_loops:
            problems.append(Problem(at("object", fact.loc), f"{what}: {relation.id!r} cannot "
                                    "link an entity to itself"))
        for side, entity, allowed in (("subject", subject, relation.domain),
                                      ("object", obj, relation.range)):
            if entity.type in onto.entity_types and not onto.is_a(entity.type, allowed):
                taken = f"{_article(entity.type)} {entity.type} ({entity.id!r})"
                problems.append(Problem(at(side, fact.loc), f"{what}: {relation.id!r} does not "
                                        f"take {taken} as {side}",
                                        f"allowed: {', '.join(allowed)}"))
        if relation.subject_role and relation.subject_role not in subject.roles:
            problems.append(Problem(at("subject", fact.loc), f"{what}: the subject of "
                                    f"{relation.id!r} must have the role {relation.subject_role!r}",
                                    f"add roles: [{relation.subject_role}] to entity {subject.id!r}"))
    _check_period(fact.since, fact.until, what, at("until", fact.loc), problems)
    for end in ("since", "until"):
        basis = getattr(fact, f"{end}_basis")
        if basis is None:
            continue
        where = at(f"{end}_basis", fact.loc)
        if basis not in DATE_BASES:
            problems.append(Problem(where, f"{what}: {end}_basis must be "
                                    f"{' or '.join(repr(b) for b in DATE_BASES)}, not {basis!r}",
                                    "leave it out when a source states the date"))
        elif getattr(fact, end) is None:
            problems.append(Problem(where, f"{what}: {end}_basis without a {end} date"))
    _check_qualifiers(fact, what, onto, entities, problems)
    _check_refs(fact.sources, what, at("sources", fact.loc), sources, problems)


def _check_qualifiers(record: Fact | Figure, what: str, onto: Ontology, entities: Known,
                      problems: list[Problem]) -> None:
    """Each qualifier is one the ontology declares, with a value of its type."""
    for key, value in record.qualifiers.items():
        loc = record.field_locs.get(f"qualifiers.{key}", record.loc)
        term = onto.qualifiers.get(key)
        if term is None:
            problems.append(Problem(loc, f"{what}: unknown qualifier {key!r}",
                                    did_you_mean(key, onto.qualifiers)))
            continue
        ok, converted, reason = _typed_value(term.get("type"), value, entities)
        if ok:
            record.qualifiers[key] = converted
        else:
            problems.append(Problem(loc, f"{what}: qualifier {key!r} {reason}"))


def _check_symmetric_twice(facts: list[Fact], onto: Ontology, problems: list[Problem]) -> None:
    seen: dict[tuple, Fact] = {}
    for fact in facts:
        relation = onto.relations.get(fact.relation)
        if relation is None or not relation.symmetric or fact.subject == fact.object:
            continue
        key = (fact.relation, frozenset((fact.subject, fact.object)), str(fact.since),
               str(fact.until))
        first = seen.setdefault(key, fact)
        if first is not fact and first.subject != fact.subject:
            problems.append(Problem(fact.loc, f"symmetric fact stated twice: {fact.subject} "
                                    f"{fact.relation} {fact.object}",
                                    f"{first.loc} states it already; {fact.relation!r} holds "
                                    "both ways, so state it once"))


def _check_contradictions(facts: list[Fact], onto: Ontology, problems: list[Problem]) -> None:
    """A recorded absence (a relation that ``negates`` another) may not overlap in time with a
    reported fact of the relation it negates between the same two entities. Claims are opinions
    and may disagree."""
    def span(fact: Fact) -> tuple[dt.date, dt.date]:
        return (fact.since.start() if fact.since else dt.date.min,
                fact.until.end() if fact.until else dt.date.max)

    stated: dict[tuple[str, str, str], list[Fact]] = {}
    for fact in facts:
        if fact.kind != "claim":
            stated.setdefault((fact.relation, fact.subject, fact.object), []).append(fact)
    for fact in facts:
        relation = onto.relations.get(fact.relation)
        if relation is None or relation.negates is None or fact.kind == "claim":
            continue
        start, end = span(fact)
        for other in stated.get((relation.negates, fact.subject, fact.object), []):
            other_start, other_end = span(other)
            if start <= other_end and other_start <= end:
                problems.append(Problem(fact.loc, f"{fact.subject} {fact.relation} {fact.object} "
                                        f"contradicts {other.loc}: {fact.subject} {other.relation} "
                                        f"{fact.object} at the same time",
                                        "give the absence an `until` before the other fact's "
                                        "`since` (or the reverse), or keep only what the sources say"))


def _check_figure(figure: Figure, onto: Ontology, entities: Known, sources: Known,
                  problems: list[Problem]) -> None:
    at = figure.field_locs.get
    what = f"figure {figure.id!r}"
    _check_entity_ref(figure.entity, "", what, at("entity", figure.loc), entities, problems)
    for key in ("measured_by", "where"):
        value = getattr(figure, key)
        if value is not None:
            _check_entity_ref(value, key, what, at(key, figure.loc), entities, problems)
    metric = onto.metrics.get(figure.metric)
    if metric is None:
        problems.append(Problem(at("metric", figure.loc), f"{what}: unknown metric "
                                f"{figure.metric!r}", did_you_mean(figure.metric, onto.metrics)))
    else:
        expected = metric.get("unit")
        if expected == "currency":
            if not _CURRENCY_RE.fullmatch(figure.unit):
                problems.append(Problem(at("unit", figure.loc), f"{what}: the unit of "
                                        f"{figure.metric!r} is a currency: an ISO 4217 code "
                                        f"such as USD or CNY, not {figure.unit!r}"))
        elif figure.unit != expected:
            problems.append(Problem(at("unit", figure.loc), f"{what}: the unit of "
                                    f"{figure.metric!r} is {expected!r}, not {figure.unit!r}"))
    # What was written counts, so that a mistyped value (reported by the loader) is not
    # reported again as missing.
    if ("value" in figure.field_locs) == ("range" in figure.field_locs):
        problems.append(Problem(figure.loc, f"{what}: give exactly one of 'value' or 'range'"))
    if figure.range is not None and figure.range[0] > figure.range[1]:
        problems.append(Problem(at("range", figure.loc), f"{what}: range low is above high"))
    if figure.scale is not None and figure.scale not in SCALES:
        problems.append(Problem(at("scale", figure.loc), f"{what}: scale must be one of "
                                f"{', '.join(SCALES)}"))
    if figure.kind not in onto.fact_kinds:
        problems.append(Problem(at("kind", figure.loc), f"{what}: unknown kind {figure.kind!r}",
                                "one of: " + ", ".join(onto.fact_kinds)))
    _check_period(figure.since, figure.until, what, at("until", figure.loc), problems)
    if figure.bound is not None and figure.bound not in onto.bounds:
        problems.append(Problem(at("bound", figure.loc), f"{what}: unknown bound {figure.bound!r}",
                                did_you_mean(figure.bound, onto.bounds)
                                or "one of: " + ", ".join(onto.bounds)))
    if figure.bound is not None and figure.range is not None:
        problems.append(Problem(at("bound", figure.loc), f"{what}: a range is its own bounds: "
                                "give 'bound' with a value only"))
    _check_qualifiers(figure, what, onto, entities, problems)
    _check_refs(figure.sources, what, at("sources", figure.loc), sources, problems)


def _check_source_ids_name_no_entity(loaded: Loaded, problems: list[Problem]) -> None:
    """``kg show NAME`` takes a source id before an entity name, so the two must never meet."""
    from kg.data.names import normalize

    names = {normalize(n): e for e in loaded.entities for n in [e.id, *e.names()]}
    for source in loaded.sources:
        entity = names.get(normalize(source.id))
        if entity is not None:
            problems.append(Problem(source.loc, f"source id {source.id!r} is also a name of entity "
                                    f"{entity.id!r}", "give the source an id no entity is called by"))


def _check_references(loaded: Loaded, entities: Known, flawed: set[str],
                      problems: list[Problem]) -> None:
    """Reference edges keep to their relation's domain and range, like stated facts."""
    from kg.data.model import derive_references

    onto = loaded.ontology
    for edge in derive_references(onto, [f for f in loaded.facts if f.id not in flawed],
                                  [f for f in loaded.figures if f.id not in flawed]):
        relation = onto.relations[edge.relation]
        if edge.subject not in entities or edge.object not in entities:
            continue  # an unknown entity is reported where it is named
        for side, entity_id, allowed in (("subject", edge.subject, relation.domain),
                                         ("object", edge.object, relation.range)):
            entity = entities[entity_id]
            if entity.type in onto.entity_types and not onto.is_a(entity.type, allowed):
                assert edge.derived_from is not None
                problems.append(Problem(edge.loc, f"{edge.derived_from.field} of "
                                        f"{edge.derived_from.record!r} makes a {relation.id!r} "
                                        f"reference that does not take {_article(entity.type)} "
                                        f"{entity.type} ({entity_id!r}) as {side}",
                                        f"allowed: {', '.join(allowed)}"))


def _check_orphans(loaded: Loaded, problems: list[Problem]) -> None:
    used: set[str] = {s.publisher_entity for s in loaded.sources if s.publisher_entity}
    for fact in loaded.facts:
        used.update((fact.subject, fact.object))
        if fact.claimed_by:
            used.add(fact.claimed_by)
        used.update(v for k, v in fact.qualifiers.items()
                    if isinstance(v, str) and loaded.ontology.qualifiers.get(k)
                    and loaded.ontology.qualifiers[k].get("type") == "entity")
    for figure in loaded.figures:
        used.update(x for x in (figure.entity, figure.measured_by, figure.where) if x)
        used.update(v for k, v in figure.qualifiers.items()
                    if isinstance(v, str) and loaded.ontology.qualifiers.get(k)
                    and loaded.ontology.qualifiers[k].get("type") == "entity")
    for entity in loaded.entities:
        if entity.id not in used:
            problems.append(Problem(entity.loc, f"entity {entity.id!r} is in no fact or figure",
                                    "connect it with a fact, or leave it out"))


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
