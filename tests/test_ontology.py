"""kg.data.ontology: the vocabulary read from ontology/ontology.yaml, and its checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, ONTOLOGY, run_cli

from kg.data.ontology import DEFAULT_PATH, EntityType, Ontology, Relation, camel, load_ontology
from kg.errors import DataError

BAD_ONTOLOGY = FIXTURES / "bad-ontology"
GOOD_MINI = FIXTURES / "good-mini"


@pytest.fixture(scope="module")
def onto() -> Ontology:
    return load_ontology()


def problems_of(path: Path) -> list[tuple[int, int, str, str]]:
    with pytest.raises(DataError) as info:
        load_ontology(path)
    return [(p.loc.line, p.loc.column, p.message, p.hint) for p in info.value.problems]


# --- the shipped ontology ----------------------------------------------------------------------


def test_default_path_is_the_shipped_file(onto: Ontology) -> None:
    assert DEFAULT_PATH == ONTOLOGY
    assert onto.path.endswith("ontology.yaml")


def test_shipped_ontology_core_terms(onto: Ontology) -> None:
    assert {"organization", "person", "product", "app", "platform", "model", "feature", "policy",
            "creative-work"} <= set(onto.entity_types)
    assert {"competes-with", "integrates", "opted-out-of", "develops", "threatens"} <= set(onto.relations)
    assert set(onto.fact_kinds) == {"fact", "event", "claim"}
    assert onto.languages == ["en", "zh-Hans", "zh-Hant"]
    assert onto.namespace["prefix"] == "kg"
    assert isinstance(onto.entity_types["app"], EntityType)
    assert isinstance(onto.relations["develops"], Relation)


def test_every_term_is_labelled_in_every_language(onto: Ontology) -> None:
    for section in ("entity_types", "roles", "relations", "fact_kinds", "metrics"):
        for term in getattr(onto, section).values():
            assert set(term.label) == set(onto.languages), f"{section} {term.id}"
            assert term.definition.strip(), f"{section} {term.id}"


def test_every_relation_names_known_types(onto: Ontology) -> None:
    for relation in onto.relations.values():
        assert relation.domain and relation.range, relation.id
        assert set(relation.domain + relation.range) <= set(onto.entity_types), relation.id


def test_relation_properties(onto: Ontology) -> None:
    competes, opted = onto.relations["competes-with"], onto.relations["opted-out-of"]
    assert competes.symmetric and not opted.symmetric
    assert competes.inverse_label == {}
    assert opted.inverse_label["en"] == "opted out by"
    assert opted.subject_role == "rights-holder"
    assert competes.subject_role is None
    assert opted.domain == ["organization", "person"]
    assert opted.range == ["policy", "product"]
    assert onto.relations["threatens"].allowed_kinds == ["claim"]
    assert competes.allowed_kinds is None
    assert not competes.self_loops
    assert opted.rdf_name == "optedOutOf"
    assert set(competes.style) == {"color", "dashes"}
    assert opted.loc.file == onto.path and opted.loc.line > 1


def test_entity_type_properties(onto: Ontology) -> None:
    app, product = onto.entity_types["app"], onto.entity_types["product"]
    assert app.parent == "product" and product.parent is None
    assert app.rdf_name == "App"
    assert onto.entity_types["creative-work"].rdf_name == "CreativeWork"
    assert app.style["color"].startswith("#")
    assert app.label["zh-Hans"] == "应用"


def test_ancestors_and_is_a(onto: Ontology) -> None:
    assert onto.ancestors("app") == ["app", "product"]
    assert onto.ancestors("organization") == ["organization"]
    assert onto.ancestors("no-such-type") == []
    assert onto.is_a("app", ["product"])
    assert onto.is_a("model", ["organization", "product"])
    assert onto.is_a("product", ["product"])
    assert not onto.is_a("product", ["app"])
    assert not onto.is_a("app", ["platform", "organization"])
    assert not onto.is_a("no-such-type", ["product"])


def test_role_applies(onto: Ontology) -> None:
    assert onto.role_applies("rights-holder", "organization")
    assert onto.role_applies("rights-holder", "person")
    assert not onto.role_applies("rights-holder", "app")


@pytest.mark.parametrize("identifier, lower, upper", [
    ("opted-out-of", "optedOutOf", "OptedOutOf"),
    ("creative-work", "creativeWork", "CreativeWork"),
    ("share-price-change", "sharePriceChange", "SharePriceChange"),
    ("app", "app", "App"),
    ("sora-2", "sora2", "Sora2"),
])
def test_camel(identifier: str, lower: str, upper: str) -> None:
    assert camel(identifier, upper=False) == lower
    assert camel(identifier, upper=True) == upper


# --- broken ontologies -------------------------------------------------------------------------


def test_broken_ontology_reports_every_problem_with_its_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD_ONTOLOGY)
    with pytest.raises(DataError) as info:
        load_ontology(BAD_ONTOLOGY / "broken.yaml")
    assert {p.loc.file for p in info.value.problems} == {"broken.yaml"}
    assert [(p.loc.line, p.loc.column, p.message) for p in info.value.problems] == [
        (19, 3, "entity type 'app': unknown parent 'prodcut'"),
        (25, 3, "role 'rights-holder': unknown entity type 'organisation'"),
        (31, 3, "relation 'develops': unknown entity type 'company' in domain"),
        (36, 3, "relation 'opted-out-of': unknown fact kind 'rumour'"),
        (36, 3, "relation 'opted-out-of': unknown role 'rights-owner'"),
        (43, 3, "relations: 'Bad_Name' is not a kebab-case id"),
        (48, 5, "unknown key 'colour' in relations entry 'Bad_Name'"),
        (59, 3, "qualifiers entry 'amount': type must be one of string, integer, number, date, "
                "amount, entity, url"),
    ]
    hints = {p.message: p.hint for p in info.value.problems}
    assert hints["entity type 'app': unknown parent 'prodcut'"] == "did you mean 'product'?"
    assert hints["role 'rights-holder': unknown entity type 'organisation'"] == \
        "did you mean 'organization'?"
    assert hints["relation 'opted-out-of': unknown role 'rights-owner'"] == "did you mean 'rights-holder'?"
    assert str(info.value) == "8 problems in the data"


def test_missing_sections_and_keys() -> None:
    assert [(line, col, msg) for line, col, msg, _hint in
            problems_of(BAD_ONTOLOGY / "missing-sections.yaml")] == [
        (1, 1, "the ontology is missing the required key 'fact_kinds'"),
        (1, 1, "the ontology is missing the required key 'relations'"),
        (2, 3, "namespace is missing the required key 'entities'"),
        (2, 3, "namespace is missing the required key 'facts'"),
        (2, 3, "namespace is missing the required key 'figures'"),
        (2, 3, "namespace is missing the required key 'sources'"),
        (2, 3, "namespace is missing the required key 'vocabulary'"),
    ]


def minimal(entity_types: str, languages: str = "[en]") -> str:
    return (
        "namespace: {prefix: kg, vocabulary: 'urn:v:', entities: 'urn:e:', facts: 'urn:f:',"
        " figures: 'urn:g:', sources: 'urn:s:'}\n"
        f"languages: {languages}\n"
        f"entity_types:\n{entity_types}"
        "relations: {}\n"
        "fact_kinds: {fact: {label: {en: fact}, definition: A fact.}}\n"
    )


def test_parent_cycle(tmp_path: Path) -> None:
    path = tmp_path / "cycle.yaml"
    path.write_text(minimal(
        "  a: {parent: b, label: {en: a}, definition: A.}\n"
        "  b: {parent: a, label: {en: b}, definition: B.}\n"), encoding="utf-8")
    assert [(line, msg) for line, _c, msg, _h in problems_of(path)] == [
        (4, "entity type 'a': its parents form a cycle"),
        (5, "entity type 'b': its parents form a cycle"),
    ]


def test_ancestors_stop_on_a_cycle() -> None:
    onto = load_ontology()
    onto.entity_types = {
        "a": EntityType("a", {"en": "a"}, "A.", onto.entity_types["app"].loc, {"parent": "b"}),
        "b": EntityType("b", {"en": "b"}, "B.", onto.entity_types["app"].loc, {"parent": "a"}),
    }
    assert onto.ancestors("a") == ["a", "b"]


def test_languages_must_include_english(tmp_path: Path) -> None:
    path = tmp_path / "lang.yaml"
    path.write_text(minimal("  a: {label: {fr: a}, definition: A.}\n", languages="[fr, 'not a tag']"),
                    encoding="utf-8")
    assert [(line, msg) for line, _c, msg, _h in problems_of(path)] == [
        (1, "language 'not a tag' is not a BCP 47 tag"),
        (1, "languages must include 'en'"),
        (4, "'a' has no English label"),
    ]


def test_yaml_error_in_the_ontology(tmp_path: Path) -> None:
    path = tmp_path / "alias.yaml"
    path.write_text("namespace: &n {prefix: kg}\nlanguages: *n\n", encoding="utf-8")
    assert problems_of(path) == [
        (2, 12, "YAML anchors and aliases are not supported", "write the value out where it is used")]


def test_empty_and_missing_ontology(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing\n", encoding="utf-8")
    assert problems_of(empty) == [(1, 1, "the ontology file is empty", "")]
    assert problems_of(tmp_path / "gone.yaml") == [
        (1, 1, "cannot read the file: No such file or directory", "")]


def test_ontology_that_is_a_list(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    assert problems_of(path) == [(1, 1, "the ontology must be a mapping, not a list", "")]


def test_cli_reports_a_broken_ontology(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD_ONTOLOGY)
    result = run_cli("--ontology", "broken.yaml", "validate", data=GOOD_MINI)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "broken.yaml:19:3: entity type 'app': unknown parent 'prodcut' " \
           "(hint: did you mean 'product'?)" in lines
    assert lines[-1] == "error: 8 problems in the data"
    assert "Traceback" not in result.output + result.stderr


def test_cli_honours_kg_ontology(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD_ONTOLOGY)
    monkeypatch.setenv("KG_ONTOLOGY", "missing-sections.yaml")
    result = run_cli("stats", data=GOOD_MINI)
    assert result.exit_code == 1
    assert "missing-sections.yaml:1:1: the ontology is missing the required key 'relations'" \
        in result.stderr.splitlines()


def test_grouping_and_segments_of_the_shipped_ontology(onto: Ontology) -> None:
    assert onto.grouping["relations"] == ["develops", "owns"]
    assert onto.grouping["in_panel"] == ["feature"]
    assert {"model-makers", "consumer-apps", "rights-holders"} <= set(onto.segments)
    assert onto.segments["rights-holders"].get("roles") == ["rights-holder"]
    assert onto.segments["model-makers"].get("relation") == "develops"


def test_grouping_and_segments_name_known_terms(tmp_path: Path) -> None:
    path = tmp_path / "segments.yaml"
    path.write_text(minimal("  org: {label: {en: org}, definition: O.}\n") +
                    "grouping: {relations: [develop], owners: [org], members: [prodct]}\n"
                    "segments:\n"
                    "  makers: {label: {en: makers}, definition: M., types: [orgs], relation: builds,"
                    " direction: up}\n"
                    "  loose: {label: {en: loose}, definition: L., with: [org]}\n"
                    "  typo: {label: {en: typo}, definition: T., rols: [x]}\n", encoding="utf-8")
    assert [(line, msg) for line, _c, msg, _h in problems_of(path)] == [
        (7, "grouping: unknown entity type 'prodct' in members"),
        (7, "grouping: unknown relation 'develop' in relations"),
        (9, "segment 'makers': direction must be 'out' or 'in'"),
        (9, "segment 'makers': unknown entity type 'orgs'"),
        (9, "segment 'makers': unknown relation 'builds'"),
        (10, "segment 'loose': 'with' and 'direction' need 'relation'"),
        (11, "unknown key 'rols' in segments entry 'typo'"),
    ]


def test_the_rdf_block_is_read(onto: Ontology) -> None:
    assert onto.rdf.version and onto.rdf.text_language == "en"
    assert onto.rdf.prefixes["wdt"] == "http://www.wikidata.org/prop/direct/"
    assert onto.relations["owns"].inverse == "owned-by"
    assert onto.relations["owns"].alignments() == {"close_match": ["wdt:P1830"]}
    assert onto.relations["owns"].alignments("inverse_align") == {"close_match": ["wdt:P127"]}
    assert onto.rdf.expand("schema:Person") == "https://schema.org/Person"
    assert "scale" in onto.rdf.model and onto.rdf.model["scale"].definition


_PERSON = 'align: {subclass_of: ["schema:Person", "prov:Person"]}'


@pytest.mark.parametrize(("old", "new", "message"), [
    (_PERSON, 'align: {same_as: ["schema:Person"]}', "unknown alignment 'same_as'"),
    (_PERSON, 'align: {subclass_of: ["foaf:Person"]}', "no prefixed name with a known prefix"),
    (_PERSON, 'align: {subclass_of: "schema:Person"}', "must be a list of prefixed names"),
    ("inverse: owned-by", "inverse: owns", "inverse 'owns' must be a new kebab-case id"),
    ("inverse: integrated-into", 'inverse_align: {close_match: ["wdt:P2283"]}',
     "inverse_align needs inverse"),
    ("  version: ", "  versions: ", "unknown key 'versions' in rdf"),
    ('    wd: "http://www.wikidata.org/entity/"', "    wd: not-an-iri", "is not a prefix name"),
])
def test_bad_alignments_and_inverses(old: str, new: str, message: str, tmp_path: Path) -> None:
    text = ONTOLOGY.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "ontology.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert any(message in msg for _line, _col, msg, _hint in problems_of(path))


def test_a_symmetric_relation_has_no_inverse(tmp_path: Path) -> None:
    text = ONTOLOGY.read_text(encoding="utf-8")
    path = tmp_path / "ontology.yaml"
    path.write_text(text.replace("    symmetric: true\n", "    symmetric: true\n    inverse: rivals\n", 1),
                    encoding="utf-8")
    assert any("is symmetric: it is its own inverse" in msg for _l, _c, msg, _h in problems_of(path))


# --- reference relations ---------------------------------------------------------------------


def test_reference_relations_come_from_the_ontology(onto: Ontology) -> None:
    assert onto.reference_relations() == {
        "facts.claimed_by": "claims", "qualifiers.via": "channel-of",
        "figures.measured_by": "measured", "figures.where": "venue-of",
        "qualifiers.lead-investor": "led-round"}
    assert onto.reference_fields() == ["facts.claimed_by", "figures.measured_by", "figures.where",
                                       "qualifiers.via", "qualifiers.lead-investor"]
    assert onto.relations["measured"].derived and not onto.relations["develops"].derived


def test_a_new_entity_qualifier_can_get_its_own_reference_relation(tmp_path: Path) -> None:
    text = ONTOLOGY.read_text(encoding="utf-8").replace(
        "  via:\n", "  partner:\n    type: entity\n    definition: A partner.\n  via:\n").replace(
        "  measured:\n", "  partner-in:\n    label: {en: partner in, zh-Hans: 伙伴, zh-Hant: 夥伴}\n"
        "    definition: Derived from the partner qualifier.\n"
        "    derived_from: [qualifiers.partner]\n    domain: [organization]\n"
        "    range: [organization, product]\n  measured:\n")
    path = tmp_path / "ontology.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_ontology(path).reference_relations()["qualifiers.partner"] == "partner-in"


def test_bad_derived_from(tmp_path: Path) -> None:
    path = tmp_path / "derived.yaml"
    path.write_text(minimal("  a: {label: {en: a}, definition: A.}\n").replace(
        "relations: {}\n",
        "relations:\n"
        "  r1: {label: {en: r1}, definition: R1., domain: [a], range: [a],"
        " derived_from: [figures.mesured_by]}\n"
        "  r2: {label: {en: r2}, definition: R2., domain: [a], range: [a],"
        " derived_from: [facts.claimed_by]}\n"
        "  r3: {label: {en: r3}, definition: R3., domain: [a], range: [a], symmetric: true,"
        " derived_from: [facts.claimed_by]}\n"), encoding="utf-8")
    assert [(line, msg, hint) for line, _c, msg, hint in problems_of(path)] == [
        (6, "relation 'r1': derived_from names 'figures.mesured_by', which is no field naming "
            "an entity", "did you mean 'figures.measured_by'?"),
        (8, "relation 'r3': 'facts.claimed_by' is already derived into relation 'r2'", ""),
        (8, "relation 'r3': a derived relation cannot be symmetric (it points from the named "
            "entity to the record)", ""),
    ]


def test_negation_and_comparison_block(onto: Ontology) -> None:
    assert onto.relations["lacks"].negates == "has-feature"
    assert onto.relations["has-feature"].negates is None
    assert "integrates" in onto.comparison.roll_up
    assert onto.comparison.groups[0].rows[0].direction == "in"
    assert set(onto.comparison.metrics) <= set(onto.metrics)


def test_comparison_block_names_are_checked(tmp_path: Path) -> None:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    text = text.replace("    negates: has-feature\n", "    negates: has-featur\n")
    text = text.replace("  roll_up: [integrates]", "  roll_up: [integrate]")
    text = text.replace("        - {relation: offered-through}",
                        "        - {relation: offered-through, direction: sideways}")
    text = text.replace("        - {relation: uses, type: platform}",
                        "        - {relation: uses, type: platfrom}")
    path = tmp_path / "ontology.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_ontology(path)
    messages = [p.message for p in info.value.problems]
    assert "relation 'lacks': negates unknown relation 'has-featur'" in messages
    assert "comparison: unknown relation 'integrate'" in messages
    assert "comparison: direction must be 'in' or 'out', not 'sideways'" in messages
    assert "comparison: unknown entity type 'platfrom'" in messages


# --- what the market does: suits, licences, investments, releases, open weights, availability --

MARKET = FIXTURES / "market" / "data"


def test_market_relations_are_data(onto: Ontology) -> None:
    rel = onto.relations
    assert (rel["sued"].allowed_kinds, rel["sued"].domain, rel["sued"].range) == (
        ["event"], ["organization", "person"], ["organization", "person"])
    assert rel["licenses-to"].inverse == "licenses-from"
    assert rel["invests-in"].range == ["organization"]
    assert rel["released"].allowed_kinds == ["event"]
    assert rel["released-under"].range == ["licence"]
    assert rel["available-on"].range == ["product", "region"]
    assert rel["led-round"].derived_from == ["qualifiers.lead-investor"]
    for key, value_type in (("court", "string"), ("case", "string"), ("covers", "string"),
                            ("term", "string"), ("exclusions", "string"), ("round", "string"),
                            ("lead-investor", "entity")):
        assert onto.qualifiers[key].get("type") == value_type, key
    assert {m: onto.metrics[m].get("unit") for m in ("funding-round", "valuation",
                                                      "leaderboard-rank")} == {
        "funding-round": "currency", "valuation": "currency", "leaderboard-rank": "rank"}


def test_market_facts_on_a_fixture() -> None:
    from kg.data.load import load

    data = load(MARKET)
    licence = next(f for f in data.facts if f.relation == "licenses-to")
    assert licence.qualifiers == {"covers": "cartoon characters", "term": "three years",
                                  "exclusions": "voices of performers", "via": "app-y"}
    suit = next(f for f in data.facts if f.relation == "sued")
    assert (str(suit.since), suit.qualifiers["court"]) == ("2025-06-11", "Example District Court")
    # A figure's entity-valued qualifier gives a reference edge, as a fact's does.
    led = [(r.subject, r.relation, r.object) for r in data.references if r.relation == "led-round"]
    assert led == [("fund-d", "led-round", "lab-b")]
    rank = next(f for f in data.figures if f.metric == "leaderboard-rank")
    assert (rank.where, rank.qualifiers) == ("arena", {"chart": "text-to-video"})


@pytest.mark.parametrize(("fact", "message"), [
    ("{subject: lab-b, relation: sued, object: maker-c, kind: fact}",
     "relation 'sued' only takes kind event, not 'fact'"),
    ("{subject: model-x, relation: released-under, object: lab-b, kind: fact}",
     "'released-under' does not take an organization ('lab-b') as object"),
    ("{subject: app-y, relation: available-on, object: lab-b, kind: fact}",
     "'available-on' does not take an organization ('lab-b') as object"),
    ("{subject: lab-b, relation: released, object: app-y, kind: fact}",
     "relation 'released' only takes kind event, not 'fact'"),
])
def test_market_relations_keep_their_domain_range_and_kinds(tmp_path: Path, fact: str,
                                                              message: str) -> None:
    import shutil

    from kg.data.load import check

    data = tmp_path / "data"
    shutil.copytree(MARKET, data)
    citation = 'sources: [{source: daily-cn, paragraph: 1, phrase: "实验室B获得"}]'
    (data / "extra.yaml").write_text(f"facts:\n  - {fact[:-1]}, {citation}}}\n", encoding="utf-8")
    _, problems = check(data)
    assert [p.message.split(": ", 1)[1] for p in problems] == [message]


def test_the_comparison_shows_availability_licence_and_leaderboards() -> None:
    result = run_cli("compare", "app-y", "model-x", "--default", data=MARKET)
    assert result.exit_code == 0, result.stderr
    rows = [" ".join(line.split()) for line in result.stdout.splitlines()]
    for row in ("platforms", "Platform Z \u2713 [2025-10] \u2013",
                "United States \u2713 [2025-10] \u2013", "policies",
                "Example Open Licence \u2013 \u2713",
                "leaderboard rank \u2013 #2 [2025-11-20] on Example Arena"):
        assert row in rows, row
