"""kg.rdf.shapes: shapes generated from the ontology; validation of the RDF view with pyshacl."""

from __future__ import annotations

import json
from functools import lru_cache

import pyshacl
import pytest
import rdflib
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SH

from kg import rdf
from kg.data.load import load
from kg.data.model import Dataset
from kg.data.ontology import load_ontology
from kg.rdf import shapes as kg_shapes
from tests.conftest import FIXTURES, SEEDS, run_cli

SMALL = FIXTURES / "rdf-small"


@lru_cache(maxsize=1)
def small() -> Dataset:
    return load(SMALL)


def names() -> rdf.Names:
    return rdf.Names.of(small().ontology)


def ent(entity_id: str) -> URIRef:
    return names().mint(names().entity, entity_id)


def kg(local: str) -> URIRef:
    return names().vocab[local]


def check(graph: rdflib.Graph) -> list[kg_shapes.Violation]:
    return kg_shapes.validate_graph(graph, kg_shapes.shapes_graph(small().ontology), names())


def test_the_fixture_conforms() -> None:
    assert kg_shapes.validate(small()) == []


def test_the_shipped_data_conforms() -> None:
    assert kg_shapes.validate(load(SEEDS)) == []


def test_shapes_follow_the_ontology() -> None:
    onto = load_ontology()
    shapes = kg_shapes.shapes_graph(onto)
    vocab = rdf.Vocab(onto)
    for relation in onto.relations.values():
        domain = vocab.kg[relation.rdf_name[0].upper() + relation.rdf_name[1:] + "DomainShape"]
        assert (domain, SH.targetSubjectsOf, vocab.relations[relation.id]) in shapes
        statement = vocab.kg[relation.rdf_name[0].upper() + relation.rdf_name[1:] + "StatementShape"]
        assert (statement, SH.targetClass, vocab["Statement"]) in shapes
    for type_id, spec in onto.entity_types.items():
        if any(type_id in r.domain for r in onto.relations.values()):
            assert (vocab.kg[spec.rdf_name + "Shape"], SH.targetClass, vocab.types[type_id]) in shapes
    for name in ("EntityShape", "StatementShape", "FigureShape", "SourceShape", "CitationShape"):
        assert (vocab.kg[name], RDF.type, SH.NodeShape) in shapes


def test_shapes_turtle_is_deterministic_and_loads_in_pyshacl() -> None:
    onto = load_ontology()
    text = kg_shapes.shapes_turtle(onto)
    assert text == kg_shapes.shapes_turtle(onto)
    assert text.startswith(b"# SHACL shapes")
    shapes = rdflib.Graph().parse(data=text, format="turtle")
    conforms, _report, _text = pyshacl.validate(rdf.dataset_graph(small()), shacl_graph=shapes)
    assert conforms


def test_a_missing_english_label_is_reported() -> None:
    graph = rdf.dataset_graph(small())
    acme = ent("acme")
    graph.remove((acme, RDFS.label, Literal("Acme Video", lang="en")))
    found = check(graph)
    assert [(v.focus, v.path, v.message) for v in found] == [
        ("entity:acme", "rdfs:label", "an entity needs an English (en) label")]
    assert str(found[0]) == "entity:acme: rdfs:label: an entity needs an English (en) label " \
                            "[kg:EntityShape]"


def test_a_direct_triple_outside_domain_and_range_is_reported() -> None:
    graph = rdf.dataset_graph(small())
    graph.add((ent("gamma"), kg("optedOutOf"), ent("beta-policy")))  # gamma is a product
    graph.add((ent("beta-studio"), kg("optedOutOf"), ent("pundit")))  # pundit is a person
    found = {(v.focus, v.path, v.value, v.message, v.shape) for v in check(graph)}
    assert found == {
        ("entity:gamma", "", "entity:gamma", "the subject of 'opted out of' must be of type "
         "organization or person", "kg:OptedOutOfDomainShape"),
        ("entity:beta-studio", "kg:optedOutOf", "entity:pundit", "the object of 'opted out of' must "
         "be of type policy or product", "kg:OrganizationShape"),
    }


def test_a_statement_of_the_wrong_kind_is_reported() -> None:
    graph = rdf.dataset_graph(small())
    st = names().mint(names().fact, "acme-app--likened-to--gamma")
    graph.set((st, kg("kind"), kg("Fact")))
    found = check(graph)
    assert len(found) == 1
    assert found[0].focus == "fact:acme-app--likened-to--gamma"
    assert found[0].message.startswith("a statement of 'likened to' needs")
    assert "the kind claim" in found[0].message


def test_claimed_by_on_a_fact_and_a_citation_without_locator_are_reported() -> None:
    graph = rdf.dataset_graph(small())
    st = names().mint(names().fact, "acme-owns-acme-app")
    graph.add((st, kg("claimedBy"), ent("pundit")))
    citation = URIRef(f"{st}#source-1")
    graph.remove((citation, kg("locator"), None))
    messages = {v.message for v in check(graph)}
    assert "claimedBy is only for statements of kind claim" in messages
    assert "every statement and figure has a citation with a locator" in messages


def test_figure_problems_are_reported() -> None:
    graph = rdf.dataset_graph(small())
    figure = names().mint(names().figure, "acme--revenue--2025")
    graph.set((figure, kg("unit"), Literal("dollars")))
    graph.add((figure, kg("value"), Literal(3)))
    messages = {v.message for v in check(graph)}
    assert "the unit of a revenue figure is an ISO 4217 currency code" in messages
    assert "a figure has either a value or a range (lower and upper bound)" in messages


def test_a_wrongly_typed_attribute_is_reported() -> None:
    graph = rdf.dataset_graph(small())
    graph.set((ent("acme"), kg("founded"), Literal("long ago")))
    found = check(graph)
    assert [(v.focus, v.path) for v in found] == [("entity:acme", "kg:founded")]


# ---------------------------------------------------------------- kg validate --shacl


def test_cli_validate_shacl_passes_on_the_fixture() -> None:
    result = run_cli("validate", "--shacl", data=SMALL)
    assert result.exit_code == 0, result.stderr
    assert "the RDF conforms to the SHACL shapes" in result.stdout


def test_cli_validate_shacl_reports_violations(monkeypatch: pytest.MonkeyPatch) -> None:
    built = rdf.dataset_graph

    def broken(dataset: Dataset) -> rdflib.Graph:
        graph = built(dataset)
        graph.add((ent("gamma"), kg("optedOutOf"), ent("acme")))
        return graph

    monkeypatch.setattr(rdf, "dataset_graph", broken)
    result = run_cli("validate", "--shacl", data=SMALL)
    assert result.exit_code == 1
    assert "entity:gamma: the subject of 'opted out of' must be of type organization or person " \
           "[kg:OptedOutOfDomainShape]" in result.stderr
    assert "1 SHACL violation found" in result.stderr
    as_json = run_cli("validate", "--shacl", "--format", "json", data=SMALL)
    assert as_json.exit_code == 1
    report = json.loads(as_json.stdout)
    assert report["valid"] is False
    assert {"focus": "entity:gamma", "path": "", "shape": "kg:OptedOutOfDomainShape"}.items() <= \
        report["shacl"][0].items()


def test_cli_validate_shacl_is_skipped_when_the_yaml_has_problems(write_data) -> None:
    folder = write_data({"a.yaml": (SMALL / "acme.yaml").read_text(encoding="utf-8")})
    result = run_cli("validate", "--shacl", data=folder)
    assert result.exit_code == 1
    assert "unknown source" in result.stderr
    assert "SHACL" not in result.stderr
