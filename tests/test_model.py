"""kg.data.model: reference edges, existence in time, and both kept by the compiled store."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from conftest import FIXTURES

from kg.data.dates import PartialDate
from kg.data.load import load
from kg.data.model import Dataset, Reference, TextSpec, derive_references
from kg.store import from_dataset
from kg.store.codec import decode, encode
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
    assert data.exists_from("vidgen") == PartialDate(2024, 6)    # founded
    assert data.exists_from("acme") == PartialDate(2024, 6)      # its first dated fact
    assert data.exists_from("analyst") == PartialDate(2025, 10)  # its first reference
    assert data.exists_from("castle") == PartialDate(2025, 10)
    snapshot = data.as_of(dt.date(2025, 9, 30))
    assert "analyst" not in snapshot.entities
    assert snapshot.references == []


def test_as_of_keeps_a_reference_only_with_its_record(data: Dataset) -> None:
    october = data.as_of(dt.date(2025, 10, 31))
    assert {r.id for r in october.references} == {
        "clipper--threatens--feedtube--2025-10~claims~clipper",
        "clipper--threatens--feedtube--2025-10~claims~feedtube"}


def test_codec_round_trips_references_and_text_specs(data: Dataset) -> None:
    reference = data.references[0]
    assert decode("facts", encode(reference), reference.loc.file) == reference
    source = load(FIXTURES / "good-mini").sources["fixture-report"]
    back = decode("sources", encode(source), source.loc.file)
    assert back.text == TextSpec(file="fixture-report*.txt", paragraphs="lines")
    # Everything but the positions of single fields, which only problems need (read anew).
    assert back == dataclasses.replace(source, field_locs={})
    assert back.loc == source.loc


def test_the_store_keeps_references_and_existence(data: Dataset) -> None:
    store = from_dataset(data)
    assert store.summary()["facts"] == len(data.facts)
    assert store.summary()["references"] == 2
    whole = store.dataset()
    assert [r.id for r in whole.references] == [r.id for r in data.references]
    assert whole.exists_from("acme") == PartialDate(2024, 6)
    assert store.exists_on(["acme", "analyst"], dt.date(2025, 9, 30)) == {"acme"}
    part = entity_subset(store, "analyst")
    assert part.facts == [] and len(part.references) == 2
    # The record's entities come along, so that the part knows when the reference is in view.
    assert {"clipper", "feedtube"} <= set(part.entities)
    assert part.exists_from("analyst") == PartialDate(2025, 10)
