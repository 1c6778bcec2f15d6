"""kg.analysis.compare: the matrix on a fixture with known answers."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.analysis.compare import NothingToCompare, compare, members
from kg.data.load import load
from kg.errors import KgError, LookupFailed, UnknownTerm
from tests.conftest import FIXTURES

DATA = FIXTURES / "analysis"


@pytest.fixture(scope="module")
def data():
    return load(DATA)


def states(matrix) -> dict[str, list[str]]:
    return {row.key: [cell.state for cell in row.cells] for row in matrix.rows}


def test_rows_cells_and_states(data) -> None:
    matrix = compare(data, ["widget", "Gizmo"])
    assert [e.id for e in matrix.entities] == ["widget", "gizmo"]
    got = states(matrix)
    assert got["has-feature:out:sound"] == ["has", "absent"]
    assert got["has-feature:out:references"] == ["has", "has"]
    assert got["offered-through:out:store"] == ["has", "not-recorded"]
    assert got["competes-with:out:gizmo"] == ["has", "self"]
    assert got["competes-with:out:widget"] == ["self", "has"]
    assert got["metric:video-length"] == ["has", "not-recorded"]
    assert got["metric:downloads"] == ["not-recorded", "has"]
    # Nobody is recorded either way about HDR: no row for it.
    assert not any("hdr" in key for key in got)


def test_roll_up_names_the_member(data) -> None:
    matrix = compare(data, ["widget", "gizmo"])
    sound = next(r for r in matrix.rows if r.key == "has-feature:out:sound")
    assert [e.via for e in sound.cells[0].facts] == ["widget-model"]
    assert [e.fact.relation for e in sound.cells[1].absences] == ["lacks"]
    price = next(r for r in matrix.rows if r.key == "metric:price")
    assert [(e.figure.value, e.via) for e in price.cells[0].figures] == [(20, "widget-model")]
    assert members(data, "widget") == {"widget": None, "widget-model": "widget-model"}


def test_groups_follow_the_ontology(data) -> None:
    matrix = compare(data, ["widget", "gizmo"])
    ids = [g.id for g in matrix.groups]
    assert ids[:5] == ["makers", "features", "platforms", "integrations", "competitors"]
    assert ids[-1] == "figures"
    assert "outperforms" in ids  # a relation outside the configured groups gets its own group


def test_default_keeps_configured_groups_only(data) -> None:
    matrix = compare(data, ["widget", "gizmo"], default=True)
    ids = {g.id for g in matrix.groups}
    assert "outperforms" not in ids and "announced:in" not in ids
    assert {"makers", "features", "figures"} <= ids


def test_claims_are_marked(data) -> None:
    matrix = compare(data, ["widget", "gizmo"])
    refs = next(r for r in matrix.rows if r.key == "has-feature:out:references")
    assert [(e.fact.kind, e.fact.claimed_by) for e in refs.cells[1].facts] == [("claim", "beta-co")]


def test_relation_and_metric_filters(data) -> None:
    only_features = compare(data, ["widget", "gizmo"], relations=["has-feature"])
    assert {r.key for r in only_features.rows} == {"has-feature:out:sound", "has-feature:out:references"}
    # `lacks` selects the rows of the relation it negates, with what each entity has.
    by_absence = compare(data, ["widget", "gizmo"], relations=["lacks"])
    assert states(by_absence) == states(only_features)
    only_metric = compare(data, ["widget", "gizmo"], metrics=["video-length"])
    assert [r.key for r in only_metric.rows] == ["metric:video-length"]


def test_as_of(data) -> None:
    before = compare(data, ["acme", "beta-co"], as_of=dt.date(2025, 10, 1))
    assert "has-policy:out:policy-old" in states(before)
    assert "has-policy:out:policy-new" not in states(before)
    with pytest.raises(KgError, match="did not exist yet"):
        compare(data, ["widget", "gizmo"], as_of=dt.date(2025, 10, 1))


def test_errors(data) -> None:
    with pytest.raises(LookupFailed):
        compare(data, ["widget", "nothing-like-it"])
    with pytest.raises(UnknownTerm) as info:
        compare(data, ["widget", "gizmo"], relations=["has-feat"])
    assert info.value.param == "relations"
    with pytest.raises(UnknownTerm):
        compare(data, ["widget", "gizmo"], metrics=["speed"])
    with pytest.raises(NothingToCompare):
        compare(data, ["widget", "gizmo"], relations=["funds"])


def test_json_contract(data) -> None:
    payload = compare(data, ["widget", "gizmo"]).to_json()
    assert set(payload) == {"entities", "as_of", "dating", "warnings", "thin", "groups", "rows", "sources"}
    row = next(r for r in payload["rows"] if r["key"] == "has-feature:out:sound")
    assert row["cells"][0]["state"] == "has"
    assert row["cells"][0]["facts"][0]["via"] == "widget-model"
    assert row["cells"][0]["facts"][0]["sources"] == [{"source": "src-a", "locator": "para 3"}]
    assert row["cells"][1] == {"state": "absent", "facts": [], "absences": [
        {"fact": "gizmo--lacks--sound", "relation": "lacks", "kind": "fact", "since": None, "until": None,
         "claimed_by": None, "via": None, "via_label": None,
         "sources": [{"source": "src-b", "locator": "para 2"}]}]}
    assert [s["id"] for s in payload["sources"]] == ["src-a", "src-b"]
    downloads = next(r for r in payload["rows"] if r["key"] == "metric:downloads")
    assert downloads["cells"][0] == {"state": "not-recorded", "facts": [], "absences": [], "figures": []}
    assert downloads["cells"][1]["figures"][0]["text"] == "downloads: 1,000 downloads [2025-09] in US"


CHAIN = """\
entities:
  - id: suite
    type: product
    labels: {en: Suite}
facts:
  - {subject: suite, relation: integrates, object: widget, kind: fact,
     sources: [{source: src-a, locator: "para 10"}]}
"""


def test_roll_up_is_one_step(tmp_path) -> None:
    # Suite integrates Widget, which integrates Widget model: Suite's column counts Widget's
    # facts (via Widget), and that Widget integrates the model, but not the model's own facts.
    import shutil

    import kg

    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    (folder / "chain.yaml").write_text(CHAIN, encoding="utf-8")
    chained = load(folder)
    assert members(chained, "suite") == {"suite": None, "widget": "widget"}
    matrix = compare(chained, ["suite", "gizmo"])
    got = states(matrix)
    assert got["has-feature:out:references"] == ["has", "has"]
    assert got["integrates:out:widget-model"] == ["has", "not-recorded"]
    model = next(r for r in matrix.rows if r.key == "integrates:out:widget-model")
    assert [e.via for e in model.cells[0].facts] == ["widget"]
    # Widget model's sound reaches Widget's column, not Suite's.
    assert got["has-feature:out:sound"] == ["not-recorded", "absent"]
    assert "metric:price" not in got  # the model's price is not Suite's either
    # The store reads the same part around Suite and answers alike.
    landscape = kg.open(data=folder)
    assert landscape.compare("suite", "gizmo", made_on=dt.date(2026, 1, 1)).to_json() == \
        compare(chained, ["suite", "gizmo"], made_on=dt.date(2026, 1, 1)).to_json()


def test_limit_keeps_the_first_rows_of_each_group_and_counts_the_rest(data) -> None:
    whole = compare(data, ["widget", "gizmo"])
    cut = compare(data, ["widget", "gizmo"], limit=1)
    sizes = {g.id: len(whole.group_rows(g.id)) for g in whole.groups}
    assert any(size > 1 for group, size in sizes.items() if group != "figures")
    for group in whole.groups:
        rows = whole.group_rows(group.id)
        if group.id == "figures":  # one row per metric: never cut
            assert cut.group_rows(group.id) == rows
            assert group.id not in cut.hidden
            continue
        assert [r.key for r in cut.group_rows(group.id)] == [r.key for r in rows[:1]]
        assert cut.hidden.get(group.id, 0) == len(rows) - 1
        assert (cut.more_text(group.id) is None) == (len(rows) == 1)
    # The columns' counts and the row labels are those of the whole matrix.
    assert cut.counts() == whole.counts()
    assert [g.id for g in cut.groups] == [g.id for g in whole.groups]
    assert all(cut.mixed(g.id) == whole.mixed(g.id) for g in whole.groups)
    groups = {g["id"]: g for g in cut.to_json()["groups"]}
    assert all(groups[group].get("more_rows", 0) == cut.hidden.get(group, 0) for group in groups)
    # A limit that cuts nothing changes nothing, to the byte.
    assert compare(data, ["widget", "gizmo"], limit=max(sizes.values())).to_json() == whole.to_json()
    assert "more_rows" not in str(whole.to_json()["groups"])
    with pytest.raises(KgError, match="limit"):
        compare(data, ["widget", "gizmo"], limit=0)
