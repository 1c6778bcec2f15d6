"""kg.data.model: reference edges, existence in time, and both kept by the compiled store."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from conftest import FIXTURES

from kg.data.dates import PartialDate
from kg.data.load import load
from kg.data.model import Dataset, Reference, TextSpec, derive_references
from kg.query.stats import summary
from kg.store import from_dataset
from kg.store.codec import column_values, decode, encode
from kg.store.traverse import entity_subset

QUERY = FIXTURES / "query-small"
RDF_SMALL = FIXTURES / "rdf-small"


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load(QUERY)


def test_references_from_a_claimant(data: Dataset) -> None:
    claims = [r for r in data.references if r.relation == "claims"]
    assert [(r.subject, r.object, r.kind, str(r.since)) for r in claims] == [
        ("analyst", "clipper", "claim", "2025-10"), ("analyst", "feedtube", "claim", "2025-10")]
    assert claims[0].derived_from == Reference("clipper--threatens--feedtube--2025-10",
                                               "facts.claimed_by", ("clipper", "feedtube"))
    assert claims[0].sources == data.facts[-1].sources


def test_references_from_figures_and_qualifiers() -> None:
    small = load(RDF_SMALL)
    found = {(r.relation, r.subject, r.object, r.derived_from.field) for r in small.references}
    assert ("measured", "pundit", "acme-app", "figures.measured_by") in found
    measured = next(r for r in small.references if r.relation == "measured")
    assert measured.until is None  # a figure is a reading: known from its date on


def test_no_self_loop_reference(data: Dataset) -> None:
    onto = data.ontology
    fact = data.facts[-1]
    selfish = type(fact)(**{**fact.__dict__, "id": "x", "claimed_by": "clipper"})
    assert [(r.subject, r.object) for r in derive_references(onto, [selfish], [])] == [
        ("clipper", "feedtube")]


def test_edges_are_facts_then_references(data: Dataset) -> None:
    assert data.edges == [*data.facts, *data.references]


def test_existence_rule(data: Dataset) -> None:
    assert data.exists_from("vidgen") == PartialDate(2024, 6)               # founded
    assert data.exists_from("clipper-opt-out") == PartialDate(2025, 9)      # has-policy begins it
    # Facts, references and figures that do not begin an entity date nothing.
    assert data.exists_from("acme") is None
    assert data.exists_from("analyst") is None
    snapshot = data.as_of(dt.date(2025, 9, 30))
    assert "analyst" in snapshot.entities
    assert snapshot.references == []  # the claim it holds is of 2025-10


EXISTENCE = FIXTURES / "existence"


@pytest.fixture(scope="module")
def tiers() -> Dataset:
    return load(EXISTENCE)


@pytest.mark.parametrize(("entity", "start", "basis", "reason"), [
    ("studio", "2020", "founded", "founded 2020"),
    ("gadget", "2025-10-03", "begun", "announced by Studio on 2025-10-03"),
    ("rulebook", "2025-10-05", "begun", "policy of Studio on 2025-10-05"),
    ("gizmo-2", "2025-09", "begun", "successor of Gizmo on 2025-09"),
    # Developed on a day nobody recorded: the start is not recorded.
    ("gizmo", None, "unrecorded", "start not recorded"),
    # Only an article's fact of 2025-10-01: an article's date is no birth date.
    ("incumbent", None, "unrecorded", "start not recorded"),
    # Offered since 2025-10-03, but lacked by Gizmo on no recorded date: it may be older.
    ("spark", None, "unrecorded", "start not recorded"),
    ("critic", None, "unrecorded", "start not recorded"),
])
def test_existence_tiers(tiers: Dataset, entity: str, start: str | None, basis: str,
                         reason: str) -> None:
    existence = tiers.existence(entity)
    assert (str(existence.start) if existence.start else None, existence.basis) == (start, basis)
    assert tiers.existence_reason(entity) == reason
    assert tiers.exists_on(entity, dt.date(1990, 1, 1)) == (start is None)


def test_existence_of_a_begun_entity_names_its_fact(tiers: Dataset) -> None:
    assert tiers.existence("gadget").fact == "studio--announced--gadget--2025-10-03"
    assert tiers.existence("gadget").to_json() == {
        "start": "2025-10-03", "basis": "begun", "fact": "studio--announced--gadget--2025-10-03",
        "phrase": "announced by Studio", "reason": "announced by Studio on 2025-10-03"}


def test_as_of_keeps_entities_whose_start_is_not_recorded(tiers: Dataset) -> None:
    eve = tiers.as_of(dt.date(2025, 10, 2))
    assert set(eve.entities) == {"studio", "gizmo", "gizmo-2", "incumbent", "spark", "critic"}
    assert [f.relation for f in eve.facts] == ["integrates", "develops", "successor-of", "lacks"]


def test_the_store_keeps_each_tier(tiers: Dataset) -> None:
    store = from_dataset(tiers)
    whole = store.dataset()
    for entity in tiers.entities:
        assert whole.existence(entity) == tiers.existence(entity), entity
        assert entity_subset(store, entity).existence(entity) == tiers.existence(entity), entity
    assert store.exists_on(tiers.entities, dt.date(2025, 10, 2)) == {
        "studio", "gizmo", "gizmo-2", "incumbent", "spark", "critic"}


def test_show_says_when_the_start_is_not_recorded(tiers: Dataset) -> None:
    from conftest import run_cli

    shown = run_cli("show", "incumbent", "--as-of", "2020-01-01", data=EXISTENCE)
    assert shown.exit_code == 0, shown.stderr
    assert "  exists: start not recorded (present on every date)" in shown.stdout.splitlines()
    gadget = run_cli("show", "gadget", data=EXISTENCE).stdout.splitlines()
    assert ("  exists from: 2025-10-03 (announced by Studio; fact "
            "studio--announced--gadget--2025-10-03)") in gadget
    early = run_cli("show", "gadget", "--as-of", "2025-10-02", data=EXISTENCE)
    assert early.exit_code == 1
    assert early.stderr == ("error: Gadget did not exist yet on 2025-10-02 "
                            "(announced by Studio on 2025-10-03)\n")


def test_as_of_keeps_a_reference_only_with_its_record(data: Dataset) -> None:
    october = data.as_of(dt.date(2025, 10, 31))
    assert {r.id for r in october.references} == {
        "clipper--threatens--feedtube--2025-10~claims~clipper",
        "clipper--threatens--feedtube--2025-10~claims~feedtube"}


def test_codec_round_trips_references_and_text_specs(data: Dataset) -> None:
    reference = data.references[0]
    assert decode("facts", encode(reference), reference.loc.file,
                  *column_values(reference)) == reference
    source = load(FIXTURES / "good-mini").sources["fixture-report"]
    back = decode("sources", encode(source), source.loc.file, *column_values(source))
    assert back.text == TextSpec(file="fixture-report*.txt", paragraphs="lines")
    # Everything but the positions of single fields, which only problems need (read anew).
    assert back == dataclasses.replace(source, field_locs={})
    assert back.loc == source.loc


def test_the_store_keeps_references_and_existence(data: Dataset) -> None:
    store = from_dataset(data)
    assert summary(store)["facts"] == len(data.facts)
    assert summary(store)["references"] == 2
    whole = store.dataset()
    assert [r.id for r in whole.references] == [r.id for r in data.references]
    assert whole.exists_from("clipper-opt-out") == PartialDate(2025, 9)
    assert store.exists_on(["clipper-opt-out", "analyst"], dt.date(2025, 8, 31)) == {"analyst"}
    part = entity_subset(store, "analyst")
    assert part.facts == [] and len(part.references) == 2
    # The record's entities come along, so that the part knows when the reference is in view.
    assert {"clipper", "feedtube"} <= set(part.entities)
    assert part.exists_from("analyst") is None
    assert entity_subset(store, "clipper-opt-out").exists_from("clipper-opt-out") == PartialDate(2025, 9)


def test_a_part_chosen_by_role_keeps_the_existence_of_the_whole() -> None:
    from kg.export import with_roles

    data = load(FIXTURES / "analysis")
    part = with_roles(data, ["rights-holder"])
    assert set(part.entities) == {"rights-owner"}
    for entity in data.entities:
        assert part.existence(entity) == data.existence(entity), entity
