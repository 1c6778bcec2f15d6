"""The property-graph names: derived from the ontology, and documented as derived."""

from __future__ import annotations

import re

from kg.data.ontology import Ontology
from kg.export.propertygraph import (
    label_name,
    mapping_table,
    property_key,
    relationship_type,
    schema,
)
from tests.conftest import REPO

DOC = REPO / "docs" / "property-graphs.md"


def test_names() -> None:
    assert label_name("creative-work") == "CreativeWork"
    assert label_name("rights-holder") == "RightsHolder"
    assert relationship_type("opted-out-of") == "OPTED_OUT_OF"
    assert property_key("zh-Hant") == "zh_Hant"


def test_every_term_has_a_distinct_name(onto: Ontology) -> None:
    names = schema(onto)
    assert set(names.type_labels) == set(onto.entity_types)
    assert set(names.relation_types) == set(onto.relations)
    assert len(set(names.relation_types.values())) == len(onto.relations)
    assert names.type_labels["model"] == ("Model", "Product")
    assert all(re.fullmatch(r"[A-Z][A-Z0-9_]*", t) for t in names.relation_types.values())
    assert all(re.fullmatch(r"[A-Z][A-Za-z0-9]*", label) for labels in names.type_labels.values()
               for label in labels)
    keys = [key for key, _ in names.entity_columns]
    assert len(keys) == len(set(keys))
    assert {"founded", "founded_first", "founded_last", "label_zh_Hans"} <= set(keys)


def test_documented_mapping_is_the_ontology(onto: Ontology) -> None:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(r"<!-- mapping:start -->\n(.*?)<!-- mapping:end -->", text, re.S)
    assert match, "docs/property-graphs.md lost its mapping markers"
    expected = mapping_table(onto)
    assert match.group(1) == expected, (
        "docs/property-graphs.md: the mapping table differs from the ontology; put this between "
        f"the markers (kg.export.propertygraph.mapping_table):\n{expected}")
