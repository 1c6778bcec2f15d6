"""kg.curation.yamlwrite: new records rendered in the style of the data files."""

from __future__ import annotations

import re

import pytest

from kg.curation.yamlwrite import render_record
from kg.errors import KgError
from kg.util.yamlsafe import parse


def test_a_fact_in_the_seeds_style() -> None:
    record = {"subject": "kling", "relation": "competes-with", "object": "veo", "kind": "fact",
              "since": "2025-10-01",
              "qualifiers": {"region": "US: west", "amount": {"value": 800, "unit": "USD"}},
              "sources": [{"source": "src", "locator": "§1, para 2"},
                          {"source": "src", "locator": "para 3"}]}
    assert render_record("facts", record) == [
        "  - subject: kling",
        "    relation: competes-with",
        "    object: veo",
        "    kind: fact",
        "    since: 2025-10-01",
        '    qualifiers: {region: "US: west", amount: {value: 800, unit: USD}}',
        "    sources:",
        '      - {source: src, locator: "§1, para 2"}',
        '      - {source: src, locator: "para 3"}',
    ]


def test_keys_in_spec_order_and_indentation() -> None:
    record = {"labels": {"en": "Kling 2.5", "zh-Hans": "可灵2.5"}, "type": "model", "id": "kling-2-5",
              "roles": ["rights-holder"]}
    assert render_record("entities", record, indent=0) == [
        "- id: kling-2-5",
        "  type: model",
        "  roles: [rights-holder]",
        "  labels: {en: Kling 2.5, zh-Hans: 可灵2.5}",
    ]


def test_long_notes_are_folded_and_read_back() -> None:
    note = ("A note long enough that it cannot stand on one line of the file, so it is folded "
            "at seventy-eight columns like the notes people write by hand.")
    lines = render_record("figures", {"entity": "a", "metric": "price", "value": 2.5,
                                      "unit": "USD", "kind": "fact", "note": note})
    assert lines[-3:-2] == ["    note: >-"]
    assert all(len(line) <= 78 for line in lines)
    assert parse("\n".join(lines) + "\n", "x")[0]["note"] == note


@pytest.mark.parametrize("text", ["2025", "true", "null", "1_000", "10:30", "it's", "- x", "#tag",
                                  "a: b", "'quoted'", "[x]", "0x1F", "yes", ""])
def test_strings_that_need_quotes_read_back_as_strings(text: str) -> None:
    lines = render_record("entities", {"id": "a", "type": "product", "labels": {"en": "A"},
                                       "description": text or "x", "aliases": [text or "y"]})
    back = parse("\n".join(lines) + "\n", "x")[0]
    assert back["description"] == (text or "x")
    assert back["aliases"] == [text or "y"]
    assert not re.search(r"(: |\[|, )'", "\n".join(lines))  # double quotes, never single


def test_dates_are_written_plain() -> None:
    lines = render_record("sources", {"id": "s", "title": "T", "publisher": "P", "date": 2025,
                                      "language": "en"})
    assert "    date: 2025" in lines
    assert '    title: "T"' in lines
    lines = render_record("figures", {"entity": "a", "metric": "m", "value": 1, "unit": "u",
                                      "since": "2025-10", "until": "2025-10-03", "kind": "fact"})
    assert "    since: 2025-10" in lines and "    until: 2025-10-03" in lines


def test_a_value_that_would_not_read_back_is_refused() -> None:
    with pytest.raises(KgError, match="would not read back"):
        render_record("figures", {"entity": "a", "metric": "m", "value": float("nan"), "unit": "u",
                                  "kind": "fact"})
