"""kg.data.validate: checks across records and against the ontology, all reported in one run."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, SOURCES_YAML, reported_problems, run_cli

from kg.data.load import check, read_folder
from kg.data.ontology import Ontology, load_ontology
from kg.data.validate import validate

GOOD = FIXTURES / "good-mini"
BAD = FIXTURES / "bad"






def problems_in(files: dict[str, str], write_data, onto: Ontology,
                monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, int, str]]:
    folder = write_data(files)
    monkeypatch.chdir(folder)
    _loaded, problems = check(folder, onto)
    return [(p.loc.file, p.loc.line, p.loc.column, p.message) for p in problems]


CASES = {
    "unknown-refs": [
        ("data.yaml", 9, 14, "fact 'open-ai--develops--sora-2': unknown subject entity 'open-ai'",
         "did you mean 'openai'?"),
        ("data.yaml", 15, 15, "fact 'openai--develop--sora-2': unknown relation 'develop'",
         "did you mean 'develops'"),
        ("data.yaml", 21, 13, "fact 'openai--develops--sora-two': unknown object entity 'sora-two'",
         "did you mean 'sora-2'?"),
        ("data.yaml", 23, 24, "fact 'openai--develops--sora-two': unknown source 'srcs'",
         "did you mean 'src'?"),
        ("data.yaml", 27, 11, "fact 'openai--develops--sora-2': unknown kind 'statement'",
         "one of: fact, event, claim"),
        ("data.yaml", 30, 13, "figure 'sora2--video-length': unknown entity 'sora2'",
         "did you mean 'sora-2'?"),
        ("data.yaml", 35, 18, "figure 'sora2--video-length': unknown measured_by entity 'open-ai'",
         "did you mean 'openai'?"),
    ],
    "domain-range": [
        ("data.yaml", 13, 14, "fact 'sora-app--develops--openai': 'develops' does not take an app "
                              "('sora-app') as subject", "allowed: organization"),
        ("data.yaml", 15, 13, "fact 'sora-app--develops--openai': 'develops' does not take an "
                              "organization ('openai') as object", "allowed: product, feature"),
        ("data.yaml", 20, 13, "fact 'disney--opted-out-of--openai--2025-10': 'opted-out-of' does not "
                              "take an organization ('openai') as object", "allowed: policy, product"),
    ],
    "subject-role": [
        ("data.yaml", 13, 14, "fact 'openai--opted-out-of--sora-opt-out-policy--2025-10': the subject of "
                              "'opted-out-of' must have the role 'rights-holder'",
         "add roles: [rights-holder] to entity 'openai'"),
    ],
    "symmetric-twice": [
        ("b.yaml", 2, 5, "symmetric fact stated twice: sora-2 competes-with kling",
         "a.yaml:9:5 states it already; 'competes-with' holds both ways, so state it once"),
    ],
    "self-loop": [
        ("data.yaml", 11, 13, "fact 'kling--competes-with--kling': 'competes-with' cannot link an "
                              "entity to itself",
         ""),
        ("data.yaml", 16, 13, "fact 'sora-2--successor-of--sora-2': 'successor-of' cannot link an "
                              "entity to itself",
         ""),
    ],
    "duplicate-ids": [
        ("b.yaml", 2, 5, "duplicate entity id 'openai'", "first declared at a.yaml:2:5"),
        ("b.yaml", 6, 5, "duplicate fact id 'openai--develops--sora-2'",
         "two facts get this id: state a fact once, or give one an explicit 'id'"),
        ("b.yaml", 11, 5, "duplicate fact id 'openai--develops--sora-2'",
         "two facts get this id: state a fact once, or give one an explicit 'id'"),
        ("sources.yaml", 8, 5, "duplicate source id 'src'", "first declared at sources.yaml:2:5"),
    ],
    "duplicate-names": [
        ("a.yaml", 7, 13, "the name '可靈' of entity 'kling-app' also names entity 'kling'",
         "declared at a.yaml:2:5; a label or alias must name one entity"),
        ("a.yaml", 11, 14, "the name 'Ｋｌｉｎｇ' of entity 'kling-web' also names entity 'kling'",
         "declared at a.yaml:2:5; a label or alias must name one entity"),
        ("a.yaml", 14, 13, "the name 'KLING' of entity 'kling-ai' also names entity 'kling'",
         "declared at a.yaml:2:5; a label or alias must name one entity"),
    ],
    "bad-dates": [
        ("data.yaml", 5, 17, "entity 'openai': attribute 'founded' 'soon' is not an ISO date "
                             "(YYYY, YYYY-MM or YYYY-MM-DD)", ""),
        ("data.yaml", 14, 12, "fact: 'since' '2025-13' has no month 13", ""),
        ("data.yaml", 20, 12, "fact: 'since' '2025-02-30' is not a day of the calendar", ""),
        ("data.yaml", 26, 12, "fact: 'since' 'soon' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)",
         ""),
        ("data.yaml", 33, 12, "fact 'sora-2--competes-with--openai--2025-11': since 2025-11 is after "
                              "until 2025-10", ""),
        ("data.yaml", 42, 12, "figure 'sora-2--video-length--2025-10-02': since 2025-10-02 is after "
                              "until 2025-10-01", ""),
    ],
    "unsourced": [
        ("data.yaml", 16, 14, "no source given", "cite at least one registered source with a locator"),
        ("data.yaml", 22, 9, "source reference is missing the required key 'locator'", ""),
        ("data.yaml", 29, 14, "no source given", "cite at least one registered source with a locator"),
    ],
    "claims": [
        ("data.yaml", 15, 11, "fact 'sora-app--threatens--sora-2': relation 'threatens' only takes "
                              "kind claim, not 'fact'", "an assessment is a claim, attributed to its source"),
        ("data.yaml", 21, 17, "fact 'openai--develops--sora-2': claimed_by is only for kind 'claim'", ""),
        ("data.yaml", 26, 11, "fact 'openai--announced--sora-app': relation 'announced' only takes "
                              "kind event, not 'fact'", ""),
    ],
    "figure-units": [
        ("data.yaml", 21, 11, "figure 'sora-app--downloads': the unit of 'downloads' is 'downloads', "
                              "not 'USD'", ""),
        ("data.yaml", 27, 11, "figure 'openai--revenue': the unit of 'revenue' is a currency: an ISO "
                              "4217 code such as USD or CNY, not 'dollars'", ""),
        ("data.yaml", 30, 5, "figure 'both': give exactly one of 'value' or 'range'", ""),
        ("data.yaml", 38, 5, "figure 'neither': give exactly one of 'value' or 'range'", ""),
        ("data.yaml", 47, 12, "figure 'bad-scale': range low is above high", ""),
        ("data.yaml", 48, 12, "figure 'bad-scale': scale must be one of thousand, million, billion", ""),
        ("data.yaml", 54, 13, "figure 'unknown-metric': unknown metric 'download'",
         "did you mean 'downloads'"),
    ],
    "qualifiers": [
        ("data.yaml", 16, 18, "fact 'openai--develops--sora-2': unknown qualifier 'regoin'",
         "did you mean 'region'"),
        ("data.yaml", 22, 18, "fact 'openai--develops--sora-app': qualifier 'amount' needs a number "
                              "'value' and a string 'unit'", ""),
        ("data.yaml", 22, 39, "fact 'openai--develops--sora-app': qualifier 'rank' must be a whole "
                              "number, not a string", ""),
        ("data.yaml", 22, 52, "fact 'openai--develops--sora-app': qualifier 'via' names no entity: "
                              "'sora-ap' (did you mean 'sora-app'?)", ""),
    ],
    "orphan": [
        ("data.yaml", 8, 5, "entity 'sora-app' is in no fact or figure",
         "connect it with a fact, or leave it out"),
        ("data.yaml", 11, 5, "entity 'kling' is in no fact or figure",
         "connect it with a fact, or leave it out"),
    ],
    "entity-fields": [
        ("data.yaml", 3, 11, "entity 'openai': unknown type 'organisation'", "did you mean 'organization'?"),
        ("data.yaml", 7, 12, "entity 'sora-app': role 'rights-holder' does not apply to type 'app'", ""),
        ("data.yaml", 7, 12, "entity 'sora-app': unknown role 'licensor'", ""),
        ("data.yaml", 8, 13, "unknown language 'fr'", "one of: en, zh-Hans, zh-Hant"),
        ("data.yaml", 9, 17, "entity 'sora-app': attribute 'country' must be a non-empty string, "
                             "not a number", ""),
        ("data.yaml", 9, 17, "entity 'sora-app': attribute 'url' must be an http(s) URL without "
                             "spaces, controls, <, >, quotes, backticks, braces, | or \\", ""),
        ("data.yaml", 9, 17, "entity 'sora-app': unknown attribute 'headquarters'", ""),
        ("data.yaml", 10, 5, "entity id 'Sora_2' is not kebab-case",
         "use lower-case letters, digits and single hyphens"),
        ("data.yaml", 12, 13, "entity 'Sora_2' has no 'en' label", ""),
    ],
    "source-fields": [
        ("sources.yaml", 6, 15, "source 'src': 'French' is no language tag", "BCP 47"),
        ("sources.yaml", 7, 11,
         "source text: 'paragraphs' must be one of blocks, lines, sentence-lines, not 'pages'",
         ""),
        ("sources.yaml", 7, 11, "source text: 'sha256' must be 64 lower-case hex digits",
         "sha256sum"),
        ("sources.yaml", 8, 10, "source 'src': url must be an http(s) URL with a host and without "
                                "spaces, controls, <, >, quotes, backticks, braces, | or \\ "
                                "(percent-encode them)", ""),
        ("sources.yaml", 9, 5, "source id 'Src_Two' is not kebab-case",
         "use lower-case letters, digits and single hyphens"),
        ("sources.yaml", 15, 23, "source 'Src_Two': unknown publisher entity 'opnai'",
         "did you mean 'openai'?"),
    ],
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_bad_data_is_reported_with_place_and_message(kind: str, onto: Ontology,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Each expected row: file, line, column, message, and text the hint must contain ('' = any)."""
    problems = reported_problems(BAD / kind, onto, monkeypatch)
    expected = CASES[kind]
    assert [(p.loc.file, p.loc.line, p.loc.column, p.message) for p in problems] == [
        row[:4] for row in expected]
    for problem, row in zip(problems, expected, strict=True):
        assert row[4] in problem.hint, problem


def test_good_mini_is_valid(onto: Ontology) -> None:
    assert validate(read_folder(GOOD, onto)) == []
    result = run_cli("validate", data=GOOD)
    assert (result.exit_code, result.stderr) == (0, "")


def test_problems_come_sorted_by_place(onto: Ontology, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD / "figure-units")
    _loaded, problems = check(BAD / "figure-units", onto)
    assert problems == sorted(problems)


# --- finer points of the rules -----------------------------------------------------------------


ENTITIES = """\
entities:
  - {id: openai, type: organization, labels: {en: OpenAI}}
  - {id: sora-2, type: model, labels: {en: Sora 2}}
  - {id: kling, type: model, labels: {en: Kling}}
"""


def fact(subject: str, relation: str, obj: str, extra: str = "") -> str:
    return (f"  - {{subject: {subject}, relation: {relation}, object: {obj}, kind: fact, {extra}"
            "sources: [{source: src, locator: p1}]}\n")


def test_symmetric_fact_at_different_times_is_allowed(write_data, onto, monkeypatch) -> None:
    files = {"sources.yaml": SOURCES_YAML, "data.yaml": ENTITIES + "facts:\n"
             + fact("openai", "develops", "sora-2") + fact("openai", "develops", "kling")
             + fact("kling", "competes-with", "sora-2", "since: 2025-10, ")
             + fact("sora-2", "competes-with", "kling", "since: 2026-01, ")}
    assert problems_in(files, write_data, onto, monkeypatch) == []


def test_same_direction_twice_is_a_duplicate_fact(write_data, onto, monkeypatch) -> None:
    files = {"sources.yaml": SOURCES_YAML, "data.yaml": ENTITIES + "facts:\n"
             + fact("openai", "develops", "sora-2") + fact("openai", "develops", "kling")
             + fact("kling", "competes-with", "sora-2") + fact("kling", "competes-with", "sora-2")}
    assert problems_in(files, write_data, onto, monkeypatch) == [
        ("data.yaml", 9, 5, "duplicate fact id 'kling--competes-with--sora-2'")]


def test_explicit_id_separates_two_facts(write_data, onto, monkeypatch) -> None:
    files = {"sources.yaml": SOURCES_YAML, "data.yaml": ENTITIES + "facts:\n"
             + fact("openai", "develops", "sora-2") + fact("openai", "develops", "kling")
             + fact("openai", "develops", "kling", "id: second-report, ")}
    assert problems_in(files, write_data, onto, monkeypatch) == []


def test_self_loop_allowed_when_the_relation_says_so(write_data, monkeypatch) -> None:
    onto = load_ontology()
    onto.relations["successor-of"].extra["self_loops"] = True
    files = {"sources.yaml": SOURCES_YAML, "data.yaml": ENTITIES + "facts:\n"
             + fact("openai", "develops", "sora-2") + fact("openai", "develops", "kling")
             + fact("sora-2", "successor-of", "sora-2")}
    assert problems_in(files, write_data, onto, monkeypatch) == []


def test_subtypes_satisfy_domain_and_range(write_data, onto, monkeypatch) -> None:
    """integrates takes product -> product|feature; an app and a model are products."""
    files = {"sources.yaml": SOURCES_YAML, "data.yaml": ENTITIES
             + "  - {id: sora-app, type: app, labels: {en: Sora app}}\nfacts:\n"
             + fact("openai", "develops", "kling") + fact("sora-app", "integrates", "sora-2")}
    assert problems_in(files, write_data, onto, monkeypatch) == []


def test_entities_used_only_indirectly_are_not_orphans(write_data, onto, monkeypatch) -> None:
    files = {"sources.yaml": SOURCES_YAML, "data.yaml": ENTITIES
             + "  - {id: analyst, type: person, labels: {en: An Analyst}}\n"
             + "  - {id: tracker, type: organization, labels: {en: Tracker}}\n"
             + "  - {id: store, type: platform, labels: {en: Store}}\n"
             + "  - {id: sora-app, type: app, labels: {en: Sora app}}\n"
             + "facts:\n"
             + "  - {subject: kling, relation: outperforms, object: sora-2, kind: claim,"
               " claimed_by: analyst, sources: [{source: src, locator: p1}]}\n"
             + fact("openai", "develops", "sora-2", "qualifiers: {via: sora-app}, ")
             + "figures:\n"
             + "  - {entity: sora-app, metric: downloads, value: 5, unit: downloads, kind: fact,"
               " measured_by: tracker, where: store, sources: [{source: src, locator: p2}]}\n"}
    assert problems_in(files, write_data, onto, monkeypatch) == []


def test_a_name_shared_by_one_entity_is_fine(write_data, onto, monkeypatch) -> None:
    """An alias that only repeats the entity's own label, in another script or case, is no clash."""
    files = {"sources.yaml": SOURCES_YAML, "data.yaml":
             "entities:\n"
             "  - {id: openai, type: organization, labels: {en: OpenAI}}\n"
             "  - {id: kling, type: model, labels: {en: Kling, zh-Hans: 可灵, zh-Hant: 可靈},"
             " aliases: [KLING, Ｋｌｉｎｇ]}\n"
             "facts:\n" + fact("openai", "develops", "kling")}
    assert problems_in(files, write_data, onto, monkeypatch) == []


def test_values_are_converted_to_their_types(onto: Ontology) -> None:
    loaded = read_folder(GOOD, onto)
    assert validate(loaded) == []
    founded = {e.id: e.attributes.get("founded") for e in loaded.entities}
    assert str(founded["kling"]) == "2024-06" and founded["kling"].precision == "month"


def test_an_event_needs_a_date(write_data, onto, monkeypatch) -> None:
    files = {"sources.yaml": SOURCES_YAML, "data.yaml": ENTITIES + "facts:\n"
             + fact("openai", "develops", "kling")
             + "  - {subject: openai, relation: announced, object: sora-2, kind: event,"
               " sources: [{source: src, locator: p1}]}\n"}
    assert problems_in(files, write_data, onto, monkeypatch) == [
        ("data.yaml", 7, 66, "fact 'openai--announced--sora-2': an event needs 'since', the date it "
                             "happened")]


def test_a_rejected_entity_is_not_reported_again_where_it_is_used(write_data, onto,
                                                                  monkeypatch) -> None:
    broken = ENTITIES.replace("labels: {en: Kling", "labels: Kling, x: {en: Kling", 1)
    assert broken != ENTITIES
    files = {"sources.yaml": SOURCES_YAML, "data.yaml": broken + "facts:\n"
             + fact("openai", "develops", "sora-2") + fact("openai", "develops", "kling")}
    found = problems_in(files, write_data, onto, monkeypatch)
    assert [message for *_place, message in found if "kling" in message.lower()] == []
    assert any("'labels' must be a mapping" in message for *_place, message in found)


def test_country_codes_like_no_stay_strings(write_data, onto, monkeypatch) -> None:
    with_country = ENTITIES.replace("type: organization,", "type: organization, "
                                    "attributes: {country: NO},", 1)
    assert with_country != ENTITIES
    files = {"sources.yaml": SOURCES_YAML, "data.yaml": with_country + "facts:\n"
             + fact("openai", "develops", "sora-2") + fact("openai", "develops", "kling")}
    assert problems_in(files, write_data, onto, monkeypatch) == []


@pytest.mark.parametrize("value", ["Q0042", "q42", "P31", "Q42 ", "Q", "42"])
def test_a_wikidata_id_must_be_an_item_id(value: str, write_data, onto, monkeypatch) -> None:
    entities = ENTITIES.replace("labels: {en: OpenAI}}", f"labels: {{en: OpenAI}}, wikidata: '{value}'}}")
    files = {"sources.yaml": SOURCES_YAML, "data.yaml": entities + "facts:\n"
             + fact("openai", "develops", "sora-2") + fact("openai", "develops", "kling")}
    found = [(file, line, message) for file, line, _column, message
             in problems_in(files, write_data, onto, monkeypatch)]
    assert found == [("data.yaml", 2, "entity 'openai': wikidata must be a Wikidata item id such "
                      f"as Q42, not {value!r}")]


def test_a_wikidata_item_id_is_accepted(write_data, onto, monkeypatch) -> None:
    entities = ENTITIES.replace("labels: {en: OpenAI}}", "labels: {en: OpenAI}, wikidata: Q42}")
    files = {"sources.yaml": SOURCES_YAML, "data.yaml": entities + "facts:\n"
             + fact("openai", "develops", "sora-2") + fact("openai", "develops", "kling")}
    assert problems_in(files, write_data, onto, monkeypatch) == []


# -- invalid values that used to pass (issue: hardening) --------------------------------------

ENTITY = """\
entities:
  - id: acme
    type: organization
    labels: {en: Acme}
    attributes: {url: "https://example.org"}
  - id: beta
    type: organization
    labels: {en: Beta}
facts:
  - {subject: acme, relation: partners-with, object: beta, kind: fact,
     sources: [{source: src, locator: p. 1}]}
"""


@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.inf", ".Inf", "1.0e+999"])
def test_a_figure_value_must_be_finite(value: str, write_data, onto: Ontology,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    figure = ("figures:\n  - {entity: acme, metric: downloads, value: " + value
              + ", unit: downloads, kind: fact, sources: [{source: src, locator: p. 2}]}\n")
    found = problems_in({"sources.yaml": SOURCES_YAML, "data.yaml": ENTITY, "figures.yaml": figure},
                        write_data, onto, monkeypatch)
    assert len(found) == 1 and found[0][:3] == ("figures.yaml", 2, 46)
    assert "'value' must be a finite number" in found[0][3]


@pytest.mark.parametrize(("text", "message"), [
    ('id: "acme\\n"', "entity id 'acme\\n' is not kebab-case"),
    ('attributes: {url: "https://example.org\\n"}', "attribute 'url' must be an http(s) URL"),
])
def test_a_trailing_newline_is_not_accepted(text: str, message: str, write_data, onto: Ontology,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    data = (ENTITY.replace('attributes: {url: "https://example.org"}', text) if text.startswith("attr")
            else ENTITY.replace("  - id: acme\n", f"  - {text}\n"))
    found = problems_in({"sources.yaml": SOURCES_YAML, "data.yaml": data}, write_data, onto,
                        monkeypatch)
    assert any(message in problem[3] for problem in found), found


def test_a_currency_code_with_a_trailing_newline_is_not_accepted(write_data, onto: Ontology,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    figure = ('figures:\n  - {entity: acme, metric: revenue, value: 5, unit: "USD\\n", kind: fact,'
              ' sources: [{source: src, locator: p. 2}]}\n')
    found = problems_in({"sources.yaml": SOURCES_YAML, "data.yaml": ENTITY, "figures.yaml": figure},
                        write_data, onto, monkeypatch)
    assert [p[3] for p in found] == ["figure 'acme--revenue': the unit of 'revenue' is a currency: an "
                                     "ISO 4217 code such as USD or CNY, not 'USD\\n'"]


@pytest.mark.parametrize("date", ["0000", "２０２５-１０", '"2025-10\\n"'])
def test_year_zero_and_other_digits_are_no_dates(date: str, write_data, onto: Ontology,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    data = ENTITY.replace("kind: fact,", f"kind: fact, since: {date},")
    found = problems_in({"sources.yaml": SOURCES_YAML, "data.yaml": data}, write_data, onto,
                        monkeypatch)
    assert len(found) == 1 and "'since'" in found[0][3], found


def test_an_escaped_nul_is_reported_with_its_place(write_data, onto: Ontology,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    data = ENTITY.replace("labels: {en: Beta}", 'labels: {en: Beta}\n    description: "a\\0b"')
    found = problems_in({"sources.yaml": SOURCES_YAML, "data.yaml": data}, write_data, onto,
                        monkeypatch)
    assert len(found) == 1 and found[0][:3] == ("data.yaml", 9, 18)
    assert found[0][3].startswith("text holds the character U+0000")
# --- sources and references ------------------------------------------------------------------


def test_a_source_must_say_where_a_reader_finds_it(write_data, onto, monkeypatch) -> None:
    files = {"sources.yaml": "sources:\n  - {id: src, title: T, publisher: P, date: 2025,"
                             " language: en}\n",
             "data.yaml": ENTITIES + "facts:\n" + fact("openai", "develops", "sora-2")
             + fact("openai", "develops", "kling")}
    assert problems_in(files, write_data, onto, monkeypatch) == [
        ("sources.yaml", 2, 5, "source 'src' says nowhere where a reader finds it")]


def test_a_source_id_may_not_name_an_entity(write_data, onto, monkeypatch) -> None:
    files = {"sources.yaml": SOURCES_YAML.replace("id: src", "id: kling"),
             "data.yaml": ENTITIES.replace("{id: kling,", "{id: kling-model,").replace(
                 "{en: Kling}", "{en: Kling}, aliases: [kling]") + "facts:\n"
             + fact("openai", "develops", "sora-2").replace("source: src", "source: kling")
             + fact("openai", "develops", "kling-model").replace("source: src", "source: kling")}
    assert problems_in(files, write_data, onto, monkeypatch) == [
        ("sources.yaml", 2, 5, "source id 'kling' is also a name of entity 'kling-model'")]


def test_a_reference_relation_is_never_stated(write_data, onto, monkeypatch) -> None:
    files = {"sources.yaml": SOURCES_YAML, "data.yaml": ENTITIES + "facts:\n"
             + fact("openai", "develops", "sora-2") + fact("openai", "measured", "kling")}
    assert problems_in(files, write_data, onto, monkeypatch) == [
        ("data.yaml", 7, 33, "fact 'openai--measured--kling': 'measured' is a reference derived "
                             "from figures.measured_by and is never stated")]


def test_a_reference_keeps_to_its_relation_range(write_data, onto, monkeypatch) -> None:
    # A model cannot measure anything: `measured` takes organizations, people and products …
    # and a policy is no product.
    files = {"sources.yaml": SOURCES_YAML, "data.yaml": ENTITIES
             + "  - {id: rule, type: policy, labels: {en: Rule}}\n" + "facts:\n"
             + fact("openai", "develops", "sora-2") + fact("openai", "develops", "kling")
             + "figures:\n"
             + "  - {entity: kling, metric: downloads, value: 5, unit: downloads, kind: fact,"
               " measured_by: rule, sources: [{source: src, locator: p2}]}\n"}
    assert problems_in(files, write_data, onto, monkeypatch) == [
        ("data.yaml", 10, 92, "figures.measured_by of 'kling--downloads' makes a 'measured' "
                              "reference that does not take a policy ('rule') as subject")]




FEATURE = "  - {id: sound, type: feature, labels: {en: Sound}}\n"


def test_absence_overlapping_the_feature_is_a_contradiction(write_data, onto, monkeypatch) -> None:
    files = {"sources.yaml": SOURCES_YAML, "data.yaml": ENTITIES + FEATURE + "facts:\n"
             + fact("openai", "develops", "kling") + fact("openai", "develops", "sora-2")
             + fact("kling", "has-feature", "sound", "since: 2025-10-01, ")
             + fact("kling", "lacks", "sound", "until: 2025-10, ")}
    found = problems_in(files, write_data, onto, monkeypatch)
    assert [(line, message) for _file, line, _col, message in found] == [
        (10, "kling lacks sound contradicts data.yaml:9:5: kling has-feature sound at the same time")]


def test_absence_before_the_feature_is_allowed(write_data, onto, monkeypatch) -> None:
    claim = ("  - {subject: kling, relation: has-feature, object: sound, kind: claim, "
             "sources: [{source: src, locator: p2}]}\n")
    files = {"sources.yaml": SOURCES_YAML, "data.yaml": ENTITIES + FEATURE + "facts:\n"
             + fact("openai", "develops", "kling") + fact("openai", "develops", "sora-2")
             + fact("kling", "has-feature", "sound", "since: 2025-10-01, ")
             + fact("kling", "lacks", "sound", "until: 2025-09-30, ") + claim}
    assert problems_in(files, write_data, onto, monkeypatch) == []


# --- curators' bounds and figure qualifiers -------------------------------------------------------

def test_a_date_basis_is_curator_and_needs_its_date(write_data, onto, monkeypatch) -> None:
    files = {"sources.yaml": SOURCES_YAML, "data.yaml": ENTITIES + "facts:\n"
             + fact("openai", "develops", "sora-2", "until: 2025-10, until_basis: curator, ")
             + fact("openai", "develops", "kling", "since_basis: curator, ")
             + fact("kling", "competes-with", "sora-2", "since: 2025-10, since_basis: guess, ")}
    assert [message for *_place, message in problems_in(files, write_data, onto, monkeypatch)] == [
        "fact 'openai--develops--kling': since_basis without a since date",
        "fact 'kling--competes-with--sora-2--2025-10': since_basis must be 'curator', not 'guess'",
    ]


def test_a_figure_bound_is_an_ontology_bound(write_data, onto, monkeypatch) -> None:
    figure = ("  - {{id: {id}, entity: sora-2, metric: video-length, {value}, unit: seconds, "
              "kind: fact, {bound}, sources: [{{source: src, locator: p1}}]}}\n")
    files = {"sources.yaml": SOURCES_YAML, "data.yaml": ENTITIES + "figures:\n"
             + figure.format(id="f1", value="value: 10", bound="bound: about")
             + figure.format(id="f2", value="value: 10", bound="bound: under")
             + figure.format(id="f3", value="range: [5, 10]", bound="bound: at-most")}
    found = [message for *_place, message in problems_in(files, write_data, onto, monkeypatch)]
    assert [m for m in found if m.startswith("figure")] == [
        "figure 'f2': unknown bound 'under'",
        "figure 'f3': a range is its own bounds: give 'bound' with a value only",
    ]
@pytest.mark.parametrize("url", ['"https://x.org/<script>alert(1)</script>"', "'https://x.org/a\"b'",
                                 '"https://x.org/a b"', '"https://x.org/a\\u00a0b"'])
def test_a_source_url_with_markup_quotes_spaces_or_controls_is_refused(
        write_data, onto, monkeypatch, url: str) -> None:
    sources = SOURCES_YAML + f"    url: {url}\n"
    files = {"sources.yaml": sources, "data.yaml": ENTITIES + "facts:\n"
             + fact("openai", "develops", "sora-2") + fact("openai", "develops", "kling")}
    found = problems_in(files, write_data, onto, monkeypatch)
    assert [message for _f, _l, _c, message in found if "url" in message] == [
        "source 'src': url must be an http(s) URL with a host and without spaces, controls, <, >, "
        "quotes, backticks, braces, | or \\ (percent-encode them)"]
