"""Data folders written by tests: one with a given text in every free-text field, and large ones.

The YAML is written by the same writer ``kg import rdf`` uses (``kg.rdf.yaml_text``),
so any text it is given is written exactly, with escapes where YAML needs them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

# The fields that hold free text, as (section, record id, path to the field).
TEXT_FIELDS = [
    ("sources", "src", ("title",)), ("sources", "src", ("publisher",)),
    ("sources", "src", ("author",)), ("sources", "src", ("note",)),
    ("sources", "src", ("published_in",)),
    ("entities", "alpha", ("labels", "en")), ("entities", "alpha", ("aliases", 0)),
    ("entities", "alpha", ("description",)), ("entities", "alpha", ("attributes", "country")),
    ("facts", "alpha--partners-with--bravo", ("note",)),
    ("facts", "alpha--partners-with--bravo", ("qualifiers", "chart")),
    ("facts", "alpha--partners-with--bravo", ("sources", 0, "locator")),
    ("figures", "alpha--downloads", ("note",)),
]


def text_records(text: str) -> dict[str, list[dict[str, Any]]]:
    """A valid dataset (two organisations, a fact, a figure, a source) with ``text`` in every
    free-text field; the label gets a prefix so that it cannot name the other entity."""
    label = "Alpha " + text
    return {
        "sources": [{"id": "src", "title": text, "publisher": text, "author": text,
                     "date": "2025-10", "language": "en", "published_in": text, "note": text}],
        "entities": [
            {"id": "alpha", "type": "organization", "labels": {"en": label}, "aliases": [text],
             "description": text, "attributes": {"country": text}},
            {"id": "bravo", "type": "organization", "labels": {"en": "Bravo"}},
        ],
        "facts": [{"subject": "alpha", "relation": "partners-with", "object": "bravo",
                   "kind": "fact", "qualifiers": {"chart": text}, "note": text,
                   "sources": [{"source": "src", "locator": text}]}],
        "figures": [{"entity": "alpha", "metric": "downloads", "value": 5, "unit": "downloads",
                     "kind": "fact", "note": text, "sources": [{"source": "src", "locator": "p. 1"}]}],
    }


def write_text_dataset(folder: Path, text: str) -> Path:
    from kg.rdf import yaml_text

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data.yaml").write_text(yaml_text(text_records(text)), encoding="utf-8")
    return folder


def write_large_dataset(folder: Path, entities: int, tag: str = "") -> Path:
    """A valid dataset of ``entities`` organisations in a ring of partnerships, ``tag`` in every
    description (two tags give two versions of the same size)."""
    from kg.rdf import yaml_text

    folder.mkdir(parents=True, exist_ok=True)
    records = {
        "sources": [{"id": "src", "title": "Generated", "publisher": "Tests", "date": "2025-10",
                     "language": "en", "published_in": "Tests, not published"}],
        "entities": [{"id": f"org-{i}", "type": "organization", "labels": {"en": f"Org {i}"},
                      "description": f"Generated organisation {i} {tag}"} for i in range(entities)],
        "facts": [{"subject": f"org-{i}", "relation": "partners-with",
                   "object": f"org-{(i + 1) % entities}", "kind": "fact",
                   "note": f"Generated fact {i} {tag}",
                   "sources": [{"source": "src", "locator": f"row {i}"}]} for i in range(entities)],
    }
    (folder / "data.yaml").write_text(yaml_text(records), encoding="utf-8")
    return folder
