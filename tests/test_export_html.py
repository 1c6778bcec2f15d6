"""The HTML exporter and `kg export html`, without a browser (see test_html.py for that)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.data.load import load
from kg.errors import KgError
from kg.export import html
from tests.conftest import FIXTURES, REPO, run_cli

MINI = FIXTURES / "html-mini"
HOSTILE = FIXTURES / "html-hostile"
_DATA_RE = re.compile(r'<script type="application/json" id="kg-data">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def mini():
    return load(MINI)


def page_data(text: str) -> dict:
    return json.loads(_DATA_RE.search(text).group(1))


def export(tmp_path: Path, *args: str, data: Path = MINI, name: str = "page.html") -> tuple[Path, str]:
    target = tmp_path / name
    result = run_cli("export", "html", "-o", str(target), *args, data=data)
    assert result.exit_code == 0, result.stderr
    return target, target.read_text(encoding="utf-8")


# --- the file ---------------------------------------------------------------------------------


def test_export_writes_the_page_and_reports_counts(tmp_path: Path) -> None:
    target = tmp_path / "out" / "graph.html"
    result = run_cli("export", "html", "-o", str(target), data=MINI)
    assert result.exit_code == 0, result.stderr
    # The page draws facts and references; counted apart, as everywhere.
    assert result.stdout == f"wrote {target}: 9 entities, 12 facts, 2 references\n"
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_default_target_is_exports_ai_video_kg_html(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("export", "html", data=MINI)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "exports" / "ai-video-kg.html").is_file()


def test_json_report(tmp_path: Path) -> None:
    target = tmp_path / "g.html"
    result = run_cli("export", "html", "-o", str(target), "--focus", "可靈", "--format", "json", data=MINI)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "files": [str(target)], "as_of": None, "focus": "kling", "depth": 1, "relations": [],
        "types": [], "view": "graph", "entities": 3, "facts": 3, "references": 2,
    }


def test_same_data_gives_byte_identical_pages(tmp_path: Path) -> None:
    first, _ = export(tmp_path, name="a.html")
    second, _ = export(tmp_path / "elsewhere", name="b.html")
    assert first.read_bytes() == second.read_bytes()


def test_nothing_is_fetched_from_another_host(tmp_path: Path) -> None:
    _, text = export(tmp_path)
    markup = _DATA_RE.sub("", text)  # the data may mention web addresses as text
    assert not re.search(r"""(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//""", markup, re.I)
    assert not re.search(r"<link\b(?![^>]*href=\"data:)", markup)
    assert "@import" not in markup and not re.search(r"url\(\s*[\"']?(?:https?:)?//", markup)
    tags_with_addresses = re.findall(r"<(?:script|link|img|iframe|object|embed)\b[^>]*\b(?:src|href)=[^>]*>",
                                     markup)
    assert tags_with_addresses == ['<link rel="icon" href="data:,">']  # no file to fetch, even locally
    assert "https://example.org/fixture-report" in page_data(text)["sources"]["html-report"]["url"]


def test_vis_network_is_inlined_from_pyvis(tmp_path: Path) -> None:
    import pyvis

    _, text = export(tmp_path)
    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    assert (lib / "vis-network.min.js").read_text(encoding="utf-8") in text
    assert (lib / "vis-network.css").read_text(encoding="utf-8") in text


def test_content_security_policy_allows_only_the_inline_scripts(tmp_path: Path) -> None:
    _, text = export(tmp_path)
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', text).group(1)
    assert "default-src 'none'" in policy and "unsafe-eval" not in policy
    scripts = re.findall(r"<script>(.*?)</script>\n", text, re.S)
    assert len(scripts) == 2  # vis-network and the page's own script
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_the_page_script_is_its_modules_in_order_inside_one_function(tmp_path: Path) -> None:
    script = html.page_script()
    folder = REPO / "kg" / "export" / "html_assets" / "js"
    assert sorted(html.SCRIPT_MODULES) == sorted(p.name for p in folder.glob("*.js"))
    at = [script.index(f"/* --- {name} --- */\n" + (folder / name).read_text(encoding="utf-8"))
          for name in html.SCRIPT_MODULES]
    assert at == sorted(at)
    assert script.startswith("/*") and "var app = {};" in script and script.endswith("}());\n")
    _, text = export(tmp_path)
    assert f"<script>{script}</script>" in text


def test_a_module_that_could_end_its_script_element_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    real = html.resources.files

    class Folder:
        def __init__(self, path):
            self.path = path

        def __truediv__(self, name):
            return Folder(self.path / name)

        def read_text(self, encoding: str) -> str:
            text = self.path.read_text(encoding=encoding)
            return text + "\n// </script><script>alert(1)" if self.path.name == "map.js" else text

    monkeypatch.setattr(html.resources, "files", lambda package: Folder(Path(str(real(package)))))
    with pytest.raises(KgError, match="map.js contains '</script' or '<!--'"):
        html.page_script()


def test_relations_say_what_they_negate_and_figures_carry_every_qualifier() -> None:
    dataset = load(FIXTURES / "html-absences")
    (figure,) = [g for g in dataset.figures if g.metric == "production-time"]
    figure.bound = "at-most"  # type: ignore[attr-defined]
    figure.period = {"since": dt.date(2025, 10, 1)}  # type: ignore[attr-defined]
    data = html.payload(html.select(dataset))
    relations = {r["id"]: r for r in data["relations"]}
    assert relations["lacks"]["negates"] == "has-feature" and relations["has-feature"]["negates"] is None
    (shown,) = [g for g in data["entities"]["vidgen"]["figures"] if g["metric"] == "production-time"]
    assert shown["bound"] == "at-most" and shown["period"] == {"since": "2025-10-01"}
    # the number, with or without the bound in English in front (the page words the bound itself)
    assert shown.get("scope") is None and shown["amount"].endswith("48 hours") and shown["kind"] == "claim"
    assert shown["bound_label"] is None or shown["bound_label"]["en"] == "at most"
    assert data["entities"]["nostart"]["from"] is None
    assert data["entities"]["vidgen"]["from"] == "2025-09-30"
    assert data["entities"]["vidgen"]["existence"] == dataset.existence_reason("vidgen")


def test_data_text_cannot_break_out_of_its_script_element(tmp_path: Path) -> None:
    _, text = export(tmp_path, data=HOSTILE)
    raw = _DATA_RE.search(text).group(1)
    assert not set(raw) & {"<", ">", "&", "\u2028", "\u2029"}
    data = page_data(text)
    label = data["entities"]["evil-corp"]["labels"]["en"]
    assert label == "<script>window.__pwned = 'label'</script>Evil Corp"
    assert data["entities"]["evil-corp"]["aliases"] == ["Tom &amp; Jerry", "x\u2028y\u2029z"]
    assert "__pwned" not in _DATA_RE.sub("", text)  # the payloads are only ever data


def test_script_json_escapes_markup_and_line_separators() -> None:
    value = {"a": "</script><!-- & \u2028\u2029 >"}
    text = html.script_json(value)
    assert not re.search("[<>&\u2028\u2029]", text)
    assert json.loads(text) == value


# --- what the page carries ---------------------------------------------------------------------


def test_payload_holds_every_entity_and_fact(mini) -> None:
    data = html.payload(html.select(mini))
    assert sorted(data["entities"]) == sorted(mini.entities)
    assert sorted(data["facts"]) == sorted(f.id for f in mini.edges)
    assert [n["id"] for n in data["vis"]["nodes"]] == sorted(mini.entities)
    assert [e["id"] for e in data["vis"]["edges"]] == sorted(f.id for f in mini.edges)
    assert data["view"] == {"as_of": None, "focus": None, "depth": None, "relations": [], "types": [],
                            "view": "graph", "entities": 9, "facts": 12, "references": 2}
    reference = data["facts"]["kling--outperforms--sora-2~claims~sora-2"]
    assert reference["reference_ends"] == ["kling", "sora-2"]
    assert reference["derived_from"] == {"record": "kling--outperforms--sora-2",
                                         "field": "facts.claimed_by"}
    # No founded date and no fact that begins it: Disney's start is not recorded, and an
    # article's date (its opt-out) is no birth date.
    assert data["entities"]["disney"]["from"] is None
    assert data["entities"]["opt-out-policy"]["from"] == "2025-09-30"  # begun by has-policy
    assert "2025-10-01" in data["dates"]


def test_legend_lists_the_types_and_relations_present_with_ontology_styles(mini) -> None:
    data = html.payload(html.select(mini))
    onto = mini.ontology
    assert [t["id"] for t in data["types"]] == ["organization", "app", "platform", "model", "policy"]
    assert [r["id"] for r in data["relations"]] == [
        "competes-with", "integrates", "opted-out-of", "develops", "has-policy", "announced",
        "reacted-to", "outperforms", "claims"]
    assert [r["id"] for r in data["relations"] if r["derived"]] == ["claims"]
    for entry in data["types"]:
        assert entry["color"] == onto.entity_types[entry["id"]].style["color"]
        assert entry["label"] == onto.entity_types[entry["id"]].label
    for entry in data["relations"]:
        relation = onto.relations[entry["id"]]
        assert (entry["color"], entry["dashes"], entry["symmetric"]) == (
            relation.style["color"], relation.style["dashes"], relation.symmetric)
    # The claim and its two reference edges are of kind claim.
    assert {k["id"]: k["count"] for k in data["kinds"]} == {"fact": 8, "event": 3, "claim": 3}


def test_edges_and_nodes_are_styled_from_the_ontology(mini) -> None:
    vis = html.vis_network(html.select(mini))
    edges = {e["id"]: e for e in vis["edges"]}
    for fact in mini.facts:
        edge = edges[fact.id]
        relation = mini.ontology.relations[fact.relation]
        assert (edge["from"], edge["to"]) == (fact.subject, fact.object)
        assert edge["arrows"]["to"]["enabled"] is not relation.symmetric
        assert edge["color"]["color"] == relation.style["color"]
        assert edge["dashes"] is relation.style["dashes"]
    claim = edges["kling--outperforms--sora-2"]
    assert claim["width"] == 1 and claim["color"]["opacity"] < 1
    nodes = {n["id"]: n for n in vis["nodes"]}
    assert nodes["kling"]["shape"] == "hexagon" and nodes["kling"]["color"]["background"] == "#e15759"
    assert nodes["disney"]["shapeProperties"]["borderDashes"]  # has a role
    # Two facts between kling and sora-2: they bend apart.
    assert {claim["smooth"]["type"], edges["kling--competes-with--sora-2--2025-10"]["smooth"]["type"]} == {
        "curvedCW", "curvedCCW"}


def test_layout_is_seeded_and_stabilisation_bounded(mini) -> None:
    options = html.vis_network(html.select(mini))["options"]
    assert options["layout"]["randomSeed"] == html.LAYOUT_SEED
    assert options["physics"]["stabilization"]["enabled"] is True
    assert options["physics"]["stabilization"]["iterations"] == html.STABILIZATION_ITERATIONS


def test_large_pages_lay_out_in_fewer_steps(mini, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html, "LARGE_PAGE", 5)
    options = html.vis_network(html.select(mini))["options"]
    assert options["physics"]["stabilization"]["iterations"] == html.LARGE_PAGE_ITERATIONS
    assert options["layout"]["improvedLayout"] is False
    monkeypatch.setattr(html, "HUGE_PAGE", 8)
    options = html.vis_network(html.select(mini))["options"]
    assert options["physics"]["stabilization"]["iterations"] == html.HUGE_PAGE_ITERATIONS
    monkeypatch.setattr(html, "LARGE_PAGE", 9)
    monkeypatch.setattr(html, "HUGE_PAGE", 9)
    assert html.vis_network(html.select(mini))["options"]["layout"]["improvedLayout"] is True


def test_facts_carry_their_validity_days(mini) -> None:
    facts = html.payload(html.select(mini))["facts"]
    assert (facts["youtube-shorts--integrates--veo--2025"]["start"], facts[
        "youtube-shorts--integrates--veo--2025"]["end"]) == ("2025-01-01", None)
    policy = facts["sora-app--has-policy--opt-out-policy--2025-09-30"]
    assert (policy["start"], policy["end"]) == ("2025-09-30", "2025-10-03")
    assert facts["openai--develops--sora-app"]["start"] is None


def test_search_names_are_folded_by_the_library(mini) -> None:
    data = html.payload(html.select(mini))
    kling = data["entities"]["kling"]
    assert kling["names"] == ["kling", "Kling", "可灵", "可靈", "Kling AI", "可灵AI"]
    assert kling["folded"] == ["kling", "kling", "可灵", "可灵", "klingai", "可灵ai"]
    assert data["fold"]["靈"] == "灵"
    assert all(len(k) == 1 and len(v) == 1 for k, v in data["fold"].items())


def test_timeline_days_are_the_days_the_graph_changes(mini) -> None:
    days = html.timeline_days(html.select(mini))
    assert days == sorted(set(days))
    assert {"2015-12-01", "2024-06-01", "2025-01-01", "2025-09-01", "2025-09-30", "2025-10-01",
            "2025-10-02", "2025-10-04"} == set(days)


def test_slider_stops_add_the_day_before_each_change(mini) -> None:
    view = html.select(mini)
    stops = html.slider_days(view)
    changes = html.timeline_days(view)
    assert set(changes) <= set(stops) and stops == sorted(set(stops))
    assert "2025-09-29" in stops and "2025-09-28" not in stops  # the eve of the launch, no more
    assert stops[0] == changes[0]


def test_entities_carry_an_existence_day_and_their_group_owner(mini) -> None:
    entities = html.payload(html.select(mini))["entities"]
    assert entities["sora-app"]["from"] == "2025-09-30"
    assert entities["openai"]["from"] == "2015-12-01"
    assert entities["veo"]["from"] is None  # no founding date and nothing begins it
    assert entities["kuaishou"]["from"] is None  # start not recorded: on every day
    assert entities["kuaishou"]["existence"] == "start not recorded"
    assert entities["sora-app"]["existence"] == "founded 2025-09-30"
    assert {k: e["owner"] for k, e in entities.items() if e["owner"]} == {
        "kling": "kuaishou", "sora-2": "openai", "sora-app": "openai"}


def test_owner_prefers_the_first_grouping_relation_then_the_first_subject(write_data) -> None:
    from tests.conftest import SOURCES_YAML

    folder = write_data({"sources.yaml": SOURCES_YAML, "data.yaml": """\
entities:
  - {id: b-corp, type: organization, labels: {en: B Corp}}
  - {id: a-corp, type: organization, labels: {en: A Corp}}
  - {id: thing, type: product, labels: {en: Thing}}
facts:
  - {subject: b-corp, relation: develops, object: thing, kind: fact, sources: [{source: src, locator: p1}]}
  - {subject: a-corp, relation: owns, object: thing, kind: fact, sources: [{source: src, locator: p1}]}
  - {subject: a-corp, relation: develops, object: thing, kind: fact, sources: [{source: src, locator: p1}]}
"""})
    assert html.owners(html.select(load(folder))) == {"thing": "a-corp"}


def test_milestones_are_the_days_of_reported_events(mini) -> None:
    milestones = html.milestones(html.select(mini))
    assert milestones == [
        {"day": "2025-09-30", "facts": ["openai--announced--sora-2--2025-09-30"]},
        {"day": "2025-10-01", "facts": ["disney--opted-out-of--opt-out-policy--2025-10"]},
        {"day": "2025-10-02", "facts": ["disney--reacted-to--sora-app--2025-10-02"]},
    ]


def test_segments_come_from_the_ontology_and_follow_the_date(mini) -> None:
    view = html.select(mini)
    data = html.payload(view)
    assert [s["id"] for s in data["segments"]] == list(mini.ontology.segments)
    models = next(s for s in data["segments"] if s["id"] == "models")
    assert models["types"] == ["model"]
    before = html.segment_members(view, dt.date(2025, 9, 29))
    after = html.segment_members(view, dt.date(2025, 10, 5))
    assert before["model-makers"] == ["kuaishou"]  # Sora 2 is not out yet
    assert after["model-makers"] == ["kuaishou", "openai"]
    assert after["rights-holders"] == ["disney"]
    assert after["model-products"] == ["sora-app", "youtube-shorts"]


def test_view_map_is_recorded_in_the_page(tmp_path: Path) -> None:
    _, text = export(tmp_path, "--view", "map")
    assert page_data(text)["view"]["view"] == "map"
    result = run_cli("export", "html", "-o", str(tmp_path / "x.html"), "--view", "table", data=MINI)
    assert result.exit_code == 2 and "'table' is not one of 'graph', 'map'" in result.stderr


def test_too_many_entities_is_a_usage_error_naming_the_filters(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html, "MAX_ENTITIES", 5)
    target = tmp_path / "big.html"
    result = run_cli("export", "html", "-o", str(target), data=MINI)
    assert result.exit_code == 2
    assert "the page would draw 9 entities, more than the 5" in result.stderr
    for option in ("--focus", "--depth", "--type", "--relation"):
        assert option in result.stderr
    assert "Traceback" not in result.stderr and not target.exists()
    result = run_cli("export", "html", "-o", str(target), "--focus", "kling", data=MINI)
    assert result.exit_code == 0, result.stderr
    with pytest.raises(html.ViewTooLarge):
        html.select(load(MINI), limit=8)
    assert len(html.select(load(MINI), limit=None).entities) == 9


# --- choosing what is in view -------------------------------------------------------------------


def ids(view: html.View) -> tuple[list[str], list[str]]:
    return [e.id for e in view.entities], [f.id for f in view.facts]


def test_focus_keeps_the_neighbourhood(mini) -> None:
    entities, facts = ids(html.select(mini, focus="Kling"))
    assert entities == ["kling", "kuaishou", "sora-2"]
    assert facts == ["kling--competes-with--sora-2--2025-10", "kling--outperforms--sora-2",
                     "kling--outperforms--sora-2~claims~kling",
                     "kling--outperforms--sora-2~claims~sora-2", "kuaishou--develops--kling"]
    assert ids(html.select(mini, focus="kling", depth=0)) == (["kling"], [])
    entities, _ = ids(html.select(mini, focus="kling", depth=2))
    assert entities == ["kling", "kuaishou", "openai", "sora-2", "sora-app"]


def test_relation_filter_keeps_the_entities_it_connects(mini) -> None:
    view = html.select(mini, relations=["competes-with"])
    assert ids(view) == (["kling", "sora-2", "sora-app", "youtube-shorts"],
                         ["kling--competes-with--sora-2--2025-10",
                          "sora-app--competes-with--youtube-shorts--2025-10-01"])
    assert view.relations == ("competes-with",)


def test_type_filter_includes_subtypes(mini) -> None:
    entities, facts = ids(html.select(mini, types=["product"]))
    assert entities == ["kling", "sora-2", "sora-app", "veo", "youtube-shorts"]
    assert len(facts) == 5
    entities, _ = ids(html.select(mini, types=["organization"]))
    assert entities == ["disney", "kuaishou", "openai"]


def test_as_of_snapshot(mini) -> None:
    view = html.select(mini, as_of=dt.date(2025, 9, 29))
    entities, facts = ids(view)
    assert "sora-2" not in entities and "sora-app" not in entities
    assert all(f.valid_on(dt.date(2025, 9, 29)) for f in view.facts)
    # The policy begins with the app's has-policy fact (2025-09-30); Disney, Veo and YouTube
    # Shorts have no recorded start and are there on every day.
    assert len(entities) == 6 and len(facts) == 2
    assert html.payload(view)["dates"][-1] == "2025-09-29"


def test_as_of_a_month_means_its_last_day(tmp_path: Path) -> None:
    _, text = export(tmp_path, "--as-of", "2025-09")
    data = page_data(text)
    assert data["view"]["as_of"] == "2025-09-30"
    assert len(data["facts"]) == 10  # 8 facts and Kuaishou's two claim references
    assert "as of 2025-09-30" in data["title"]


def test_filters_combine(tmp_path: Path) -> None:
    _, text = export(tmp_path, "--focus", "sora-app", "--depth", "1", "--relation", "competes-with",
                     "--relation", "develops", "--type", "product", "--type", "organization")
    data = page_data(text)
    assert sorted(data["entities"]) == ["openai", "sora-app", "youtube-shorts"]
    assert data["view"]["relations"] == ["competes-with", "develops"]
    assert "around Sora app" in data["title"]


def test_the_page_uses_pyvis_only_inside_the_exporter() -> None:
    code = ("import sys, kg.cli; from kg.cli import main; "
            "assert 'pyvis' not in sys.modules and 'kg.export.html' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


# --- errors ------------------------------------------------------------------------------------


def test_unknown_focus_exits_1_with_suggestions(tmp_path: Path) -> None:
    result = run_cli("export", "html", "-o", str(tmp_path / "x.html"), "--focus", "Klingg", data=MINI)
    assert result.exit_code == 1
    assert "no entity named 'Klingg'" in result.stderr
    assert "did you mean:" in result.stderr and "kling  (Kling)" in result.stderr
    assert not (tmp_path / "x.html").exists()


def test_focus_filtered_out_exits_1(tmp_path: Path) -> None:
    result = run_cli("export", "html", "-o", str(tmp_path / "x.html"), "--focus", "kling", "--type",
                     "organization", data=MINI)
    assert result.exit_code == 1
    assert "'Kling' (kling) is not in view with the filters given" in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--relation", "competes"], "unknown relation 'competes'; did you mean 'competes-with'"),
    (["--type", "organisation"], "unknown entity type 'organisation'; did you mean 'organization'"),
    (["--as-of", "2025-13"], "has no month 13"),
    (["--as-of", "October"], "not an ISO date"),
    (["--depth", "2"], "--depth needs --focus"),
    (["--focus", "kling", "--depth", "-1"], "-1 is not in the range x>=0"),
])
def test_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_cli("export", "html", "-o", str(tmp_path / "x.html"), *args, data=MINI)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_data_exits_1(write_data) -> None:
    folder = write_data({"bad.yaml": "entities:\n  - id: x\n    type: nonsense\n    labels: {en: X}\n"})
    result = run_cli("export", "html", "-o", str(folder / "x.html"), data=folder)
    assert result.exit_code == 1
    assert "unknown type 'nonsense'" in result.stderr


def test_unwritable_target_exits_1_and_leaves_no_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run_cli("export", "html", "-o", str(blocker / "page.html"), data=MINI)
    assert result.exit_code == 1
    assert "cannot write" in result.stderr
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_a_failed_export_keeps_the_previous_file(tmp_path: Path) -> None:
    target, before = export(tmp_path)
    result = run_cli("export", "html", "-o", str(target), "--focus", "nobody", data=MINI)
    assert result.exit_code == 1
    assert target.read_text(encoding="utf-8") == before
