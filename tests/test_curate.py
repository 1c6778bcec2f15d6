"""kg.curation.curate: typed values, derived ids, the file a record goes to, planning and writing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, SEEDS

from kg.curation.curate import Curator, Draft, InvalidInput, Refused, record_id, slug, write_files
from kg.data.ontology import load_ontology
from kg.errors import DataError, KgError, LookupFailed, UnknownTerm

GOOD = FIXTURES / "good-mini"


@pytest.fixture(scope="module")
def curator() -> Curator:
    return Curator(SEEDS, load_ontology())


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    return tmp_path / "seeds"


def test_slug_and_record_ids() -> None:
    assert slug("Kling 2.5 Turbo") == "kling-2-5-turbo"
    assert slug("Pokémon") == "pokemon"
    assert slug("可灵") == ""
    assert slug("one two three four five six seven eight nine") == "one-two-three-four-five-six-seven-eight"
    assert record_id("facts", {"subject": "a", "relation": "uses", "object": "b"}) == "a--uses--b"
    assert record_id("facts", {"subject": "a", "relation": "uses", "object": "b", "since": 2025}) == (
        "a--uses--b--2025")
    assert record_id("figures", {"entity": "a", "metric": "price", "since": "2025-10"}) == "a--price--2025-10"
    assert record_id("facts", {"id": "x", "subject": "a"}) == "x"
    assert record_id("entities", {"id": "e"}) == "e"


def test_typed_values(curator: Curator) -> None:
    record = curator.typed("figures", {
        "entity": "可靈", "metric": "revenue", "value": "1,250.5", "since": "2025", "until": "2025-06",
        "region": ["US", "CA"], "measured_by": "Kuaishou Technology", "note": "", "range": None})
    assert record == {"entity": "kling", "metric": "revenue", "value": 1250.5, "since": 2025,
                      "until": "2025-06", "region": ["US", "CA"], "measured_by": "kuaishou"}
    fact = curator.typed("facts", {"subject": "wpp", "relation": "uses", "object": "sora api",
                                   "qualifiers": {"via": "Azure", "rank": "2", "amount": "3 USD billion"}})
    assert fact["qualifiers"] == {"via": "azure", "rank": 2,
                                  "amount": {"value": 3, "unit": "USD", "scale": "billion"}}


@pytest.mark.parametrize(("section", "raw", "error", "message"), [
    ("facts", {"relation": "integratez"}, UnknownTerm, "did you mean 'integrates'?"),
    ("entities", {"type": "modle"}, UnknownTerm, "did you mean 'model'?"),
    ("entities", {"roles": ["rights-holdr"]}, UnknownTerm, "unknown role"),
    ("entities", {"labels": {"fr": "x"}}, UnknownTerm, "unknown language 'fr'"),
    ("entities", {"attributes": {"colour": "red"}}, UnknownTerm, "unknown attribute 'colour'"),
    ("facts", {"qualifiers": {"rank": "first"}}, InvalidInput, "must be a number"),
    ("facts", {"qualifiers": {"rank": "1.5"}}, InvalidInput, "must be a whole number"),
    ("facts", {"qualifiers": {"amount": "3 USD trillion"}}, UnknownTerm, "unknown scale 'trillion'"),
    ("facts", {"since": "2025-02-30"}, InvalidInput, "not a day of the calendar"),
    ("facts", {"subject": "nobody at all"}, LookupFailed, "no entity named 'nobody at all'"),
    ("figures", {"value": "nan"}, InvalidInput, "finite number"),
    ("figures", {"scale": "lots"}, UnknownTerm, "unknown scale"),
    ("figures", {"colour": "red"}, InvalidInput, "unknown field 'colour'"),
    ("facts", {"until": "soon"}, InvalidInput, "not an ISO date"),
])
def test_typed_values_refused(curator: Curator, section: str, raw: dict, error: type,
                              message: str) -> None:
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")):
        curator.typed(section, raw)


def test_defaults_the_conventions_fill_in(curator: Curator) -> None:
    assert curator.complete("facts", {"relation": "threatens"})["kind"] == "claim"
    assert curator.complete("facts", {"relation": "uses"})["kind"] == "fact"
    figure = curator.complete("figures", {"metric": "downloads"})
    assert (figure["kind"], figure["unit"]) == ("fact", "downloads")
    assert "unit" not in curator.complete("figures", {"metric": "revenue"})
    assert curator.complete("entities", {"labels": {"en": "Kling 3"}})["id"] == "kling-3"
    assert curator.complete("sources", {"title": "Sora 2 is here", "publisher": "OpenAI"})["id"] == (
        "openai-sora-2-is-here")


def test_target_files_follow_the_conventions(curator: Curator) -> None:
    def target(section: str, **record) -> str:
        of = record.pop("of", None)
        return curator.target_file(section, record, of=of).name

    assert target("sources", id="x") == "sources.yaml"
    assert target("entities", id="x", of="kling") == "kuaishou.yaml"
    assert target("facts", subject="kling", relation="integrates", object="veo", kind="fact") == (
        "kuaishou.yaml")
    assert target("facts", subject="kling", relation="competes-with", object="veo", kind="fact") == (
        "market.yaml")
    assert target("facts", subject="kling", relation="integrates", object="veo", kind="claim") == (
        "claims.yaml")
    assert target("figures", entity="kling", metric="revenue") == "kuaishou.yaml"
    assert target("figures", entity="kling", metric="chart-rank") == "market.yaml"
    with pytest.raises(InvalidInput, match="--of ENTITY"):
        target("entities", id="x")
    assert curator.target_file("facts", {}, file="sub/new.yml") == (SEEDS / "sub" / "new.yml").resolve()
    for bad in ("../x.yaml", "x.txt", "/etc/passwd"):
        with pytest.raises(InvalidInput, match="--file must name"):
            curator.target_file("facts", {}, file=bad)


def test_plan_names_the_drafts_problems(copy: Path) -> None:
    curator = Curator(copy, load_ontology())
    drafts = [Draft("facts", {"subject": "kling", "relation": "develops", "object": "veo", "kind": "fact",
                              "sources": [{"source": "nope", "locator": "x"}]},
                    copy / "kuaishou.yaml", origin="row 2")]
    plan = curator.plan(drafts)
    assert plan.problems[0] == (
        "row 2: fact kling--develops--veo: 'develops' does not take a product ('kling') as subject "
        "(hint: allowed: organization)")
    assert plan.problems[1].startswith("row 2: fact kling--develops--veo: unknown source 'nope'")
    assert len(plan.problems) == 2
    with pytest.raises(Refused, match="nothing written: 2 problems"):
        curator.apply(drafts)


def test_apply_writes_several_files_at_once(copy: Path) -> None:
    curator = Curator(copy, load_ontology())
    ref = [{"source": "dayulejia-sora2-jimeng-kling", "locator": "§02, para 9"}]
    changes = curator.apply([
        Draft("facts", {"subject": "kling", "relation": "integrates", "object": "veo", "kind": "fact",
                        "sources": ref}, copy / "kuaishou.yaml"),
        Draft("facts", {"subject": "kling", "relation": "integrates", "object": "gemini", "kind": "fact",
                        "sources": ref}, copy / "google.yaml"),
    ])
    assert [c.action for c in changes] == ["added", "added"]
    for change in changes:
        lines = Path(change.file).read_text(encoding="utf-8").splitlines()
        assert lines[change.line - 1] == "  - subject: kling"
    assert Curator(copy, load_ontology()).unconnected == set()


def test_invalid_data_is_not_added_to(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "bad" / "unknown-refs", tmp_path / "data")
    with pytest.raises(DataError):
        Curator(tmp_path / "data", load_ontology())


def test_write_files_is_all_or_nothing(tmp_path: Path) -> None:
    first = tmp_path / "a.yaml"
    first.write_text("old\n")
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(KgError, match="nothing written"):
        write_files({first: "new\n", blocker / "b.yaml": "x\n"})
    assert first.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "file"]
    write_files({first: "new\n", tmp_path / "sub" / "c.yaml": "c\n"})
    assert first.read_text() == "new\n" and (tmp_path / "sub" / "c.yaml").read_text() == "c\n"
