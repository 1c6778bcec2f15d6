"""The interactive HTML page in a real browser.

Debian's headless Chromium (/usr/bin/chromium) driven by Playwright. Each page
is opened from a file:// URL with every other request aborted and recorded;
the tests read the page's state from ``window.kg`` (the vis-network instance
and its data views) and drive the real controls.

Run as a script to refresh the documentation's screenshots (overview, grouped, map):
``.venv/bin/python tests/test_html.py docs`` (the Chinese labels need a CJK font, such as
Debian's fonts-noto-cjk, or they come out as boxes).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

if __package__ in (None, ""):  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import ARTIFACTS, FIXTURES, SEEDS, run_cli

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 900}
MINI = FIXTURES / "html-mini"
HOSTILE = FIXTURES / "html-hostile"
MISSING = (f"{CHROMIUM} is missing: the HTML tests need Debian's chromium package "
           "(apt-get install chromium, or `make chromium`)")


@dataclass
class Page:
    """A loaded page, with what went wrong while it ran."""

    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # non-file requests attempted (all aborted)

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def node_ids(self) -> list[str]:
        """The nodes vis-network draws."""
        return sorted(self.js("kg.network.body.data.nodes.getIds()"))

    def edge_ids(self) -> list[str]:
        """The lines vis-network draws."""
        return sorted(self.js("kg.network.body.data.edges.getIds()"))

    def visible(self) -> dict[str, Any]:
        return self.js("kg.visible()")

    def panel(self) -> str:
        return self.page.inner_text("#kg-panel")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """A headless Chromium, or the reason there is none (tests then fail with it)."""
    if not CHROMIUM.exists():
        yield MISSING
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


def open_page(browser: Any, html: Path) -> Page:
    """Open the file offline: every request that is not for a file is aborted and recorded."""
    if isinstance(browser, str):
        pytest.fail(browser)
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    loaded = Page(page)
    page.on("console", lambda msg: loaded.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: loaded.errors.append(str(exc)))

    def route(route: Any) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            loaded.requests.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page.goto(html.resolve().as_uri())
    page.wait_for_function("() => window.kg !== undefined && window.kg.isReady()", timeout=60_000)
    return loaded


def export_page(folder: Path, data: Path | None, *args: str) -> Path:
    target = folder / "page.html"
    result = run_cli("export", "html", "-o", str(target), *args, data=data)
    assert result.exit_code == 0, result.stderr
    return target


def load_dataset(data: Path):
    """The data as `kg export html` draws it by default: the best-ranked statements only."""
    from kg.data.load import load
    from kg.data.ranks import best_rank

    return best_rank(load(data))


@pytest.fixture(scope="module")
def mini_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_page(tmp_path_factory.mktemp("mini"), MINI)


class _NoBrowser:
    """Stands for a page when there is no browser: any use fails the test with the reason."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __getattr__(self, name: str) -> Any:
        pytest.fail(self.reason)


@pytest.fixture
def mini(chromium: Any, mini_html: Path) -> Iterator[Page]:
    if isinstance(chromium, str):  # fail in the test itself, not as a setup error
        yield _NoBrowser(chromium)  # type: ignore[misc]
        return
    page = open_page(chromium, mini_html)
    yield page
    errors, requests = list(page.errors), list(page.requests)
    page.page.context.close()
    assert errors == [] and requests == [], "the page logged errors or tried the network"


@pytest.fixture(scope="module")
def shipped_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_page(tmp_path_factory.mktemp("shipped"), None)


@pytest.fixture
def shipped(chromium: Any, shipped_html: Path) -> Iterator[Page]:
    if isinstance(chromium, str):
        yield _NoBrowser(chromium)  # type: ignore[misc]
        return
    page = open_page(chromium, shipped_html)
    yield page
    errors, requests = list(page.errors), list(page.requests)
    page.page.context.close()
    assert errors == [] and requests == [], "the page logged errors or tried the network"


MINI_ENTITIES = ["disney", "kling", "kuaishou", "openai", "opt-out-policy", "sora-2", "sora-app", "veo",
                 "youtube-shorts"]
COMPETES = ["kling--competes-with--sora-2--2025-10", "sora-app--competes-with--youtube-shorts--2025-10-01"]


def test_page_loads_offline_with_one_node_per_entity_and_one_edge_per_fact(mini: Page) -> None:
    dataset = load_dataset(MINI)
    assert mini.node_ids() == MINI_ENTITIES == sorted(dataset.entities)
    assert len(mini.edge_ids()) == 12 + 2  # and Kuaishou's two claim references
    assert mini.edge_ids() == sorted(f.id for f in dataset.edges)
    assert mini.page.inner_text("#kg-status") == ("9 entities of 9 · 12 facts of 12 · 2 references in view · "
                                                  "drawn: 9 nodes, 14 lines")
    assert mini.errors == []
    assert mini.requests == []


def test_relation_toggle_hides_exactly_that_relations_edges(mini: Page) -> None:
    every = mini.edge_ids()
    box = 'input[data-filter="relations"][data-id="competes-with"]'
    mini.page.uncheck(box)
    assert mini.edge_ids() == sorted(set(every) - set(COMPETES))
    assert mini.node_ids() == MINI_ENTITIES
    mini.page.check(box)
    assert mini.edge_ids() == every


def test_type_toggle_hides_its_entities_and_their_facts(mini: Page) -> None:
    dataset = load_dataset(MINI)
    mini.page.uncheck('input[data-filter="types"][data-id="model"]')
    models = {"kling", "sora-2", "veo"}
    assert mini.node_ids() == sorted(set(MINI_ENTITIES) - models)
    assert mini.edge_ids() == sorted(f.id for f in dataset.edges
                                     if f.subject not in models and f.object not in models)
    assert mini.page.inner_text("#kg-status") == ("6 entities of 9 · 5 facts of 12 · 0 references in view · "
                                                  "drawn: 6 nodes, 5 lines")


def test_kind_toggle_hides_claims(mini: Page) -> None:
    mini.page.uncheck('input[data-filter="kinds"][data-id="claim"]')
    assert "kling--outperforms--sora-2" not in mini.edge_ids()
    assert "kling--outperforms--sora-2~claims~kling" not in mini.edge_ids()
    assert len(mini.edge_ids()) == 11


@pytest.mark.parametrize(("query", "expected"), [
    ("可靈", "kling"),         # traditional label
    ("可灵", "kling"),         # simplified label
    ("可靈AI", "kling"),       # an alias given in simplified only, typed in traditional
    ("ＫＬＩＮＧ ａｉ", "kling"),  # full-width, any case
    ("sora app", "sora-app"),
    ("Sora 應用", "sora-app"),
    ("短影音", "youtube-shorts"),  # part of a label
    ("版權退出", "opt-out-policy"),
])
def test_search_focuses_the_right_node(mini: Page, query: str, expected: str) -> None:
    mini.page.fill("#kg-search", query)
    mini.page.press("#kg-search", "Enter")
    assert mini.js("kg.network.getSelectedNodes()") == [expected]
    label = load_dataset(MINI).entities[expected].label
    assert mini.page.inner_text("#kg-panel h2") == label


def test_search_lists_matches_and_a_click_selects(mini: Page) -> None:
    mini.page.fill("#kg-search", "sora")
    options = mini.page.locator("#kg-results li[role=option]")
    ids = [options.nth(i).get_attribute("data-id") for i in range(options.count())]
    assert ids == ["sora-app", "opt-out-policy", "sora-2"]  # exact alias first, then prefixes by id
    options.nth(2).dispatch_event("mousedown")
    assert mini.js("kg.network.getSelectedNodes()") == ["sora-2"]
    mini.page.fill("#kg-search", "no such name")
    assert mini.page.inner_text("#kg-results") == "No name matches."


def test_search_folds_names_as_the_library_does(mini: Page) -> None:
    from kg.data.names import normalize

    names = sorted({name for entity in load_dataset(MINI).entities.values() for name in entity.names()})
    folded = mini.js("names => names.map(kg.fold)", names)
    assert dict(zip(names, folded, strict=True)) == {name: normalize(name) for name in names}


def _expected_on(day: dt.date) -> tuple[list[str], list[str]]:
    from kg.query import graph

    view = graph.as_of(graph.build(load_dataset(MINI)), day)
    return sorted(view.nodes), sorted(key for _u, _v, key in view.edges(keys=True))


def test_date_control_hides_facts_not_yet_valid(mini: Page) -> None:
    mini.page.fill("#kg-date", "2025-09-30")
    nodes, edges = _expected_on(dt.date(2025, 9, 30))
    # Which entities exist on a day is the library's rule (tests/test_model.py); the page
    # draws exactly those, and the founded ones from their founding day.
    assert mini.node_ids() == nodes and {"sora-2", "sora-app", "kling"} <= set(nodes)
    assert mini.edge_ids() == edges
    assert len(edges) == 10  # October's facts are not valid yet; "2025" counts from its first day
    assert "kling--competes-with--sora-2--2025-10" not in edges
    assert "youtube-shorts--integrates--veo--2025" in edges
    assert "as of 2025-09-30" in mini.page.inner_text("#kg-status")

    mini.page.fill("#kg-date", "2025-09-29")  # the Sora app and model are not founded yet
    nodes, edges = _expected_on(dt.date(2025, 9, 29))
    # … and the opt-out policy, undated itself, begins with its first fact (2025-09-30).
    assert mini.node_ids() == nodes and not {"sora-2", "sora-app", "opt-out-policy"} & set(nodes)
    assert mini.edge_ids() == edges
    # Kuaishou's claim is about Sora 2: its reference to Kling is out of view with it.
    assert "kling--outperforms--sora-2~claims~kling" not in edges

    mini.page.fill("#kg-date", "2025-10-04")  # the policy held until 2025-10-03
    nodes, edges = _expected_on(dt.date(2025, 10, 4))
    assert mini.edge_ids() == edges
    assert "sora-app--has-policy--opt-out-policy--2025-09-30" not in edges
    assert len(edges) == 13

    mini.page.click("#kg-date-clear")
    assert len(mini.edge_ids()) == 14
    assert mini.page.input_value("#kg-date") == ""


def test_date_slider_steps_through_the_days_that_change_the_graph(mini: Page) -> None:
    days = mini.js("kg.data.dates")
    assert days[0] == "2015-12-01" and "2025-10-04" in days  # a founding; the day after an end
    stops = mini.js("kg.data.stops")
    for day in ("2025-10-01", "2025-09-29"):  # a change, and the eve of one
        mini.page.locator("#kg-date-slider").fill(str(stops.index(day)))
        assert mini.page.input_value("#kg-date") == day
        assert mini.edge_ids() == _expected_on(dt.date.fromisoformat(day))[1]
    mini.page.locator("#kg-date-slider").fill(str(len(stops)))  # the far right: every date
    assert mini.page.input_value("#kg-date") == ""
    assert len(mini.edge_ids()) == 14  # 12 facts and 2 reference edges


def test_a_typed_day_becomes_a_slider_stop(mini: Page) -> None:
    assert "2025-10-05" not in mini.js("kg.data.stops")
    mini.page.fill("#kg-date", "2025-10-05")
    positions = int(mini.page.get_attribute("#kg-date-slider", "max"))
    assert positions == len(mini.js("kg.data.stops")) + 1  # the typed day, and "all dates" at the end
    index = int(mini.page.input_value("#kg-date-slider"))
    mini.page.locator("#kg-date-slider").fill(str(index - 1))
    mini.page.locator("#kg-date-slider").fill(str(index))
    assert mini.page.input_value("#kg-date") == "2025-10-05"
    assert mini.edge_ids() == _expected_on(dt.date(2025, 10, 5))[1]


def test_milestone_ticks_set_the_date_and_play_steps_through_changes(mini: Page) -> None:
    ticks = mini.page.locator("#kg-ticks .kg-tick")
    assert [ticks.nth(i).get_attribute("data-day") for i in range(ticks.count())] == [
        "2025-09-30", "2025-10-01", "2025-10-02"]
    assert "OpenAI announced Sora 2" in (ticks.nth(0).get_attribute("title") or "")
    ticks.nth(0).click()
    assert mini.page.input_value("#kg-date") == "2025-09-30"
    assert mini.edge_ids() == _expected_on(dt.date(2025, 9, 30))[1]
    mini.page.click("#kg-play")
    mini.page.wait_for_function("() => kg.state.date > '2025-09-30'", timeout=5000)
    mini.page.click("#kg-play")  # pause
    day = mini.js("kg.state.date")
    assert day in mini.js("kg.data.dates") and mini.js("kg.state.playing") is False
    mini.page.wait_for_timeout(1200)
    assert mini.js("kg.state.date") == day


def test_reset_restores_every_control(mini: Page) -> None:
    mini.page.uncheck('input[data-filter="relations"][data-id="develops"]')
    mini.page.uncheck('input[data-filter="types"][data-id="organization"]')
    mini.page.fill("#kg-date", "2025-09-29")
    mini.page.fill("#kg-search", "kling")
    mini.page.press("#kg-search", "Enter")
    mini.page.select_option("#kg-labels", "zh-Hant")
    assert mini.js("kg.nodeData.get('kling').label") == "可靈"
    mini.page.check('input[data-group="kuaishou"]')
    mini.page.uncheck("#kg-show-isolated")
    mini.page.click("#kg-reset")
    assert mini.node_ids() == MINI_ENTITIES
    assert len(mini.edge_ids()) == 14
    assert mini.page.input_value("#kg-date") == ""
    assert mini.page.input_value("#kg-search") == ""
    assert mini.js("kg.network.getSelectedNodes()") == []
    assert mini.js("kg.nodeData.get('kling').label") == "Kling\n可灵"
    assert mini.page.locator("#kg-legend input[data-filter]:not(:checked)").count() == 0
    assert mini.page.locator("#kg-legend input[data-group]:checked").count() == 0
    assert mini.js("kg.state.collapsed") == [] and mini.js("kg.state.isolated") is True


def test_relation_names_can_be_written_on_the_lines(mini: Page) -> None:
    fact = "kling--competes-with--sora-2--2025-10"
    mini.page.check("#kg-edge-labels")
    assert mini.js(f"kg.network.body.edges['{fact}'].options.label") == "competes with"
    mini.page.uncheck("#kg-edge-labels")
    assert mini.js(f"kg.network.body.edges['{fact}'].options.label").strip() == ""


def test_edges_are_styled_from_the_ontology(mini: Page) -> None:
    onto = load_dataset(MINI).ontology
    edges = mini.js("""Object.fromEntries(kg.network.body.data.edges.getIds().map(id => {
        const o = kg.network.body.edges[id].options;
        return [id, [o.arrows.to.enabled, o.color.color, o.dashes]];
    }))""")
    for fact in load_dataset(MINI).edges:
        relation = onto.relations[fact.relation]
        arrows, color, dashes = edges[fact.id]
        assert arrows is not relation.symmetric
        assert color == relation.style["color"]
        assert bool(dashes) is bool(relation.style["dashes"])


def test_fact_panel_marks_claims_and_cites_sources(mini: Page) -> None:
    mini.js("kg.select({kind: 'fact', id: 'kling--outperforms--sora-2'})")
    text = mini.panel()
    assert "Claim — an opinion, assessment or forecast" in text
    assert "Claimed by Kuaishou" in text
    assert "示例摘要" in text and "at 第4段" in text
    mini.js("kg.select({kind: 'fact', id: 'kling--outperforms--sora-2~claims~sora-2'})")
    assert "A reference edge, derived from facts.claimed_by of kling--outperforms--sora-2." \
        in mini.panel()
    mini.js("kg.select({kind: 'fact', id: 'disney--reacted-to--sora-app--2025-10-02'})")
    text = mini.panel()
    assert "Claim" not in text and "reported event" in text
    assert "1.5 billion USD" in text and "since 2025-10-02" in text
    assert "Fixture report on video apps" in text and "at §2, para 3" in text
    assert mini.page.get_attribute("#kg-panel a", "href") == "https://example.org/fixture-report"


def test_entity_panel_shows_every_label_and_figures(mini: Page) -> None:
    mini.js("kg.select({kind: 'entity', id: 'sora-app'})")
    text = mini.panel()
    for label in ("Sora app", "Sora 应用", "Sora 應用"):
        assert label in text
    assert "downloads: 100 thousand downloads" in text
    assert "5 facts" in text.lower()


def test_the_same_data_gives_the_same_layout(chromium: Any, mini_html: Path) -> None:
    positions = []
    for _ in range(2):
        page = open_page(chromium, mini_html)
        positions.append(page.js("kg.network.getPositions()"))
        page.page.context.close()
    assert positions[0] == positions[1]
    assert sorted(positions[0]) == MINI_ENTITIES


def test_as_of_export_opens_on_its_date(chromium: Any, tmp_path: Path) -> None:
    page = open_page(chromium, export_page(tmp_path, MINI, "--as-of", "2025-09-30"))
    assert page.page.input_value("#kg-date") == "2025-09-30"
    dataset = load_dataset(MINI)
    assert page.node_ids() == [e for e in MINI_ENTITIES if dataset.exists_on(e, dt.date(2025, 9, 30))]
    assert len(page.edge_ids()) == 10
    assert page.errors == [] and page.requests == []
    page.page.context.close()


def test_view_map_export_opens_on_the_map(chromium: Any, tmp_path: Path) -> None:
    page = open_page(chromium, export_page(tmp_path, MINI, "--view", "map"))
    assert page.js("kg.state.tab") == "map"
    assert page.page.is_visible("#kg-map") and not page.page.is_visible("#kg-graph")
    assert page.page.get_attribute("#kg-tab-map", "aria-selected") == "true"
    page.page.click("#kg-tab-graph")
    assert page.page.is_visible("#kg-graph") and not page.page.is_visible("#kg-map")
    assert page.errors == [] and page.requests == []
    page.page.context.close()


def test_hostile_text_is_shown_literally_and_never_runs(chromium: Any, tmp_path: Path) -> None:
    page = open_page(chromium, export_page(tmp_path, HOSTILE))
    label = "<script>window.__pwned = 'label'</script>Evil Corp"
    page.page.fill("#kg-search", "Evil Corp")
    page.page.press("#kg-search", "Enter")
    assert page.js("kg.network.getSelectedNodes()") == ["evil-corp"]
    text = page.panel()
    assert label in text
    assert "<img src=x onerror=\"window.__pwned = 'img'\">邪恶公司" in text
    assert "</script><script>window.__pwned = 'description'</script> & <b>not bold</b>" in text
    assert "Tom &amp; Jerry" in text
    assert label in page.js("kg.nodeData.get('evil-corp').title.textContent")  # the tooltip
    page.js("kg.select({kind: 'fact', id: 'evil-corp--develops--victim-app'})")
    text = page.panel()
    for literal in ("<img src=x onerror=\"window.__pwned = 'note'\"> note",
                    "<script>window.__pwned = 'source title'</script>Hostile source",
                    "<b onmouseover=\"window.__pwned = 'locator'\">§1</b>",
                    "<a href=\"javascript:window.__pwned = 'link'\">channel</a>",
                    "Victim <svg onload=\"window.__pwned = 'svg'\"> app"):
        assert literal in text
    page.page.hover("#kg-panel")
    assert page.js("typeof window.__pwned") == "undefined"
    assert page.js("document.querySelectorAll('img, iframe, svg, object, embed, b, a').length") == 0
    assert page.js("document.scripts.length") == 3
    assert page.errors == [] and page.requests == []
    page.page.context.close()


def test_screenshot_is_written(mini: Page) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    mini.js("kg.select({kind: 'entity', id: 'kling'})")
    target = ARTIFACTS / "html-mini.png"
    mini.page.screenshot(path=str(target))
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_shipped_data_draws_every_entity_and_fact(shipped: Page) -> None:
    dataset = load_dataset(SEEDS)  # fails (DataError) while the shipped data does not validate
    in_panel = set(dataset.ontology.grouping["in_panel"])
    features = {e.id for e in dataset.entities.values() if e.type in in_panel}
    assert features, "the shipped data has features, listed in panels by default"
    seen = shipped.visible()
    assert seen["entities"] == sorted(dataset.entities)
    assert seen["facts"] == sorted(f.id for f in dataset.facts)
    assert seen["references"] == sorted(f.id for f in dataset.references)
    assert shipped.node_ids() == sorted(set(dataset.entities) - features)
    assert shipped.edge_ids() == sorted(f.id for f in dataset.edges
                                        if f.subject not in features and f.object not in features)
    shipped.page.check("#kg-draw-features")
    assert shipped.node_ids() == sorted(dataset.entities)
    assert shipped.edge_ids() == sorted(f.id for f in dataset.edges)
    ARTIFACTS.mkdir(exist_ok=True)
    shipped.page.screenshot(path=str(ARTIFACTS / "html-shipped.png"))


# --- groups -----------------------------------------------------------------------------------


def expected_groups(data: Path, collapsed: set[str], features: bool = False,
                    day: dt.date | None = None) -> dict[str, int]:
    """The lines drawn for collapsed groups, as "group:a|b" -> number of facts, from the library."""
    from kg.export import html

    view = html.select(load_dataset(data))
    in_panel = set(view.dataset.ontology.grouping["in_panel"])
    owner = html.owners(view)
    alive = {e.id for e in view.entities if day is None or view.dataset.exists_on(e.id, day)}

    def drawn_as(entity: str) -> str | None:
        if entity not in alive or (view.dataset.entities[entity].type in in_panel and not features):
            return None
        return owner[entity] if owner.get(entity) in collapsed and owner[entity] in alive else entity

    counts: dict[str, int] = {}
    for fact in view.facts:
        if day is not None and not fact.valid_on(day):
            continue
        a, b = drawn_as(fact.subject), drawn_as(fact.object)
        if a is None or b is None or a == b or (a, b) == (fact.subject, fact.object):
            continue
        key = "group:" + "|".join(sorted((a, b)))
        counts[key] = counts.get(key, 0) + 1
    return counts


def drawn_groups(page: Page) -> dict[str, int]:
    return {g["id"]: g["count"] for g in page.visible()["groups"]}


def test_collapsing_a_company_draws_one_line_per_neighbour_with_its_fact_count(mini: Page) -> None:
    every_edge = mini.edge_ids()
    mini.page.check('input[data-group="openai"]')
    assert drawn_groups(mini) == expected_groups(MINI, {"openai"}) == {
        "group:disney|openai": 1, "group:kling|openai": 2, "group:openai|opt-out-policy": 1,
        "group:openai|youtube-shorts": 1,
        "group:kuaishou|openai": 1}  # the reference from Kuaishou to the Sora 2 it makes a claim about
    assert mini.node_ids() == sorted(set(MINI_ENTITIES) - {"sora-2", "sora-app"})
    assert mini.js("kg.network.body.edges['group:kling|openai'].options.label") == "2"
    assert mini.js("kg.nodeData.get('openai').label").endswith("[+2]")
    assert "9 entities of 9 · 12 facts of 12 · 2 references in view" in mini.page.inner_text("#kg-status")
    mini.page.uncheck('input[data-group="openai"]')
    assert drawn_groups(mini) == {}
    assert mini.edge_ids() == every_edge
    assert mini.node_ids() == MINI_ENTITIES


def test_double_click_collapses_and_expands_a_company(mini: Page) -> None:
    def double_click(node: str) -> None:
        box = mini.page.locator("#kg-graph").bounding_box()
        at = mini.js(f"kg.network.canvasToDOM(kg.network.getPositions(['{node}'])['{node}'])")
        mini.page.mouse.dblclick(box["x"] + at["x"], box["y"] + at["y"])

    double_click("openai")
    assert mini.js("kg.state.collapsed") == ["openai"]
    assert "sora-app" not in mini.node_ids()
    double_click("openai")
    assert mini.js("kg.state.collapsed") == []
    assert mini.node_ids() == MINI_ENTITIES


def test_collapse_all_shows_the_landscape_as_companies(shipped: Page) -> None:
    dataset = load_dataset(SEEDS)
    from kg.export import html

    owners = set(html.owners(html.select(dataset)).values())
    shipped.page.click("#kg-collapse-all")
    assert set(shipped.js("kg.state.collapsed")) == owners
    groups = drawn_groups(shipped)
    assert groups == expected_groups(SEEDS, owners)
    assert groups and all(count >= 1 for count in groups.values())
    members = {m for m, o in html.owners(html.select(dataset)).items()}
    assert not members & set(shipped.node_ids())
    shipped.page.check("#kg-draw-features")  # features drawn: they join their company too
    assert drawn_groups(shipped) == expected_groups(SEEDS, owners, features=True)
    shipped.page.click("#kg-expand-all")
    assert drawn_groups(shipped) == {}


# --- the date against kg stats ------------------------------------------------------------------


def test_slider_reaches_2025_09_29_and_agrees_with_kg_stats(shipped: Page) -> None:
    import json

    day = "2025-09-29"
    stops = shipped.js("kg.data.stops")
    shipped.page.locator("#kg-date-slider").fill(str(stops.index(day)))
    assert shipped.page.input_value("#kg-date") == day
    result = run_cli("stats", "--as-of", day, "--format", "json")
    assert result.exit_code == 0, result.stderr
    stats = json.loads(result.stdout)
    seen = shipped.visible()
    assert (len(seen["entities"]), len(seen["facts"]), len(seen["references"])) == (
        stats["entities"], stats["facts"], stats["references"])
    snapshot = load_dataset(SEEDS).as_of(dt.date.fromisoformat(day))
    assert seen["entities"] == sorted(snapshot.entities)
    assert seen["facts"] == sorted(f.id for f in snapshot.facts)
    assert seen["references"] == sorted(f.id for f in snapshot.references)
    status = shipped.page.inner_text("#kg-status")
    assert f"{stats['entities']} entities of" in status and f"{stats['facts']} facts of" in status
    shipped.page.check("#kg-draw-features")  # with every entity drawn, the picture is the count
    assert shipped.node_ids() == sorted(snapshot.entities)
    assert shipped.edge_ids() == sorted(f.id for f in snapshot.edges)


def test_every_slider_day_agrees_with_the_library(shipped: Page) -> None:
    dataset = load_dataset(SEEDS)
    stops = shipped.js("kg.data.stops")
    assert len(stops) > 20
    for day in stops:
        seen = shipped.js(f"(kg.setDate('{day}'), kg.visible())")
        snapshot = dataset.as_of(dt.date.fromisoformat(day))
        assert seen["entities"] == sorted(snapshot.entities), day
        assert seen["facts"] == sorted(f.id for f in snapshot.facts), day
        assert seen["references"] == sorted(f.id for f in snapshot.references), day


def test_hiding_unconnected_entities(mini: Page) -> None:
    mini.page.fill("#kg-date", "2025-09-29")
    drawn = mini.node_ids()
    linked = {end for fact in mini.edge_ids() for end in mini.js(
        f"[kg.data.facts['{fact}'].subject, kg.data.facts['{fact}'].object]")}
    assert set(drawn) - linked, "some entity has no line on that day"
    mini.page.uncheck("#kg-show-isolated")
    assert mini.node_ids() == sorted(linked)
    assert len(mini.visible()["entities"]) == len(drawn)  # still counted: only not drawn
    mini.page.check("#kg-show-isolated")
    assert mini.node_ids() == drawn


def test_hover_box_goes_when_its_node_is_hidden(mini: Page) -> None:
    box = mini.page.locator("#kg-graph").bounding_box()
    at = mini.js("kg.network.canvasToDOM(kg.network.getPositions(['sora-app'])['sora-app'])")
    mini.page.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
    mini.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    mini.page.fill("#kg-date", "2025-09-29")  # the Sora app does not exist yet
    assert not mini.page.is_visible("div.vis-tooltip")


# --- selection --------------------------------------------------------------------------------


def test_selection_fades_everything_beyond_one_hop(mini: Page) -> None:
    mini.js("kg.select('kling')")
    opacity = mini.js("Object.fromEntries(kg.network.body.data.nodes.getIds().map("
                      "id => [id, kg.network.body.nodes[id].options.opacity]))")
    near = {"kling", "kuaishou", "sora-2"}
    assert {n for n, o in opacity.items() if o == 1} == near
    assert all(o < 0.5 for n, o in opacity.items() if n not in near)
    lines = mini.js("Object.fromEntries(kg.network.body.data.edges.getIds().map("
                    "id => [id, kg.network.body.edges[id].options.color.opacity]))")
    ends = mini.js("Object.fromEntries(Object.entries(kg.data.facts)"
                   ".map(([id, f]) => [id, [f.subject, f.object]]))")
    touching = {f for f in lines if "kling" in ends[f]}
    assert all(lines[f] >= 0.5 for f in touching)
    assert all(lines[f] < 0.2 for f in set(lines) - touching)
    mini.js("kg.select(null)")
    opacities = mini.js("kg.network.body.data.nodes.getIds()"
                        ".map(id => kg.network.body.nodes[id].options.opacity)")
    assert set(opacities) == {1}


# --- the market map ---------------------------------------------------------------------------


def map_tiles(page: Page) -> dict[str, list[str]]:
    return page.js("""Object.fromEntries(Array.from(document.querySelectorAll('#kg-map .kg-segment')).map(
        s => [s.dataset.segment,
              Array.from(s.querySelectorAll('.kg-tile')).map(t => t.dataset.id).sort()]))""")


def test_market_map_has_one_tile_per_player_per_segment_and_follows_the_date(shipped: Page) -> None:
    from kg.export import html

    dataset = load_dataset(SEEDS)
    view = html.select(dataset)
    shipped.page.click("#kg-tab-map")
    assert shipped.page.is_visible("#kg-map")
    seen = {}
    for day in ("2025-09-29", "2025-10-05"):
        shipped.page.fill("#kg-date", day)
        tiles = map_tiles(shipped)
        expected = html.segment_members(view, dt.date.fromisoformat(day))
        assert tiles == expected
        assert list(tiles) == list(dataset.ontology.segments)
        assert all(len(ids) == len(set(ids)) for ids in tiles.values())
        seen[day] = tiles
    assert seen["2025-09-29"] != seen["2025-10-05"]
    assert "sora-app" in seen["2025-10-05"]["consumer-apps"]
    assert "sora-app" not in seen["2025-09-29"]["consumer-apps"]
    tile = shipped.page.locator('#kg-map .kg-tile[data-id="sora-app"]').first
    assert "by OpenAI" in tile.inner_text()
    tile.click()
    assert shipped.page.inner_text("#kg-panel h2") == "Sora app"
    assert shipped.js("kg.state.selected") == {"kind": "entity", "id": "sora-app"}


# --- pictures ---------------------------------------------------------------------------------


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@pytest.mark.parametrize("tab", ["graph", "map"])
def test_png_and_svg_of_the_current_view(shipped: Page, tab: str, tmp_path: Path) -> None:
    import base64
    import xml.etree.ElementTree as ET

    shipped.js(f"kg.setTab('{tab}')")
    shipped.js("kg.setDate('2025-10-05')")
    png = shipped.js("kg.image('png')")
    assert png.startswith("data:image/png;base64,")
    width, height = _png_size(base64.b64decode(png.split(",", 1)[1]))
    assert width > 200 and height > 100
    svg = ET.fromstring(shipped.js("kg.image('svg')"))
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert "Sora app" in texts
    with shipped.page.expect_download() as info:
        shipped.page.click("#kg-png")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert info.value.suggested_filename == f"ai-video-kg-{tab}-2025-10-05.png"
    assert _png_size(path.read_bytes())[0] > 200
    with shipped.page.expect_download() as info:
        shipped.page.click("#kg-svg")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert ET.parse(path).getroot().tag == "{http://www.w3.org/2000/svg}svg"


def test_pictures_keep_hostile_text_as_text(chromium: Any, tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    page = open_page(chromium, export_page(tmp_path, HOSTILE))
    svg = page.js("kg.image('svg')")
    root = ET.fromstring(svg)  # well-formed whatever the labels hold
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "<script>window.__pwned = 'label'</script>Evil Corp" in texts
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    page.js("kg.setTab('map')")
    ET.fromstring(page.js("kg.image('svg')"))
    assert page.js("typeof window.__pwned") == "undefined"
    assert page.errors == [] and page.requests == []
    page.page.context.close()


def test_print_stylesheet_fits_the_map_on_one_landscape_page(shipped: Page, tmp_path: Path) -> None:
    import re

    shipped.js("kg.setTab('map')")
    pdf = shipped.page.pdf(prefer_css_page_size=True)
    assert pdf[:5] == b"%PDF-"
    pages = re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf)
    assert len(pages) == 1, f"the map printed on {len(pages)} pages"
    shipped.page.emulate_media(media="print")
    assert not shipped.page.is_visible("#kg-legend") and not shipped.page.is_visible("#kg-panel")
    assert shipped.page.is_visible("#kg-map")


# --- what an entity has and lacks, claims, figures' qualifiers, unrecorded starts -------------

ABSENCES = FIXTURES / "html-absences"
# Qualifiers of the claimed production-time figure. The data format states them on a figure;
# the page shows whatever fields a figure carries, so the test sets them on the record itself.
QUALIFIED = {"bound": "at-most", "period": "2025-10", "scope": "AI tools such as VidGen"}


@pytest.fixture(scope="module")
def absences_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kg.export import html

    dataset = load_dataset(ABSENCES)
    (figure,) = [g for g in dataset.figures if g.metric == "production-time"]
    for name, value in QUALIFIED.items():
        setattr(figure, name, value)
    target = tmp_path_factory.mktemp("absences") / "page.html"
    html.write(html.select(dataset), target)
    return target


@pytest.fixture
def absences(chromium: Any, absences_html: Path) -> Iterator[Page]:
    if isinstance(chromium, str):
        yield _NoBrowser(chromium)  # type: ignore[misc]
        return
    page = open_page(chromium, absences_html)
    yield page
    errors, requests = list(page.errors), list(page.requests)
    page.page.context.close()
    assert errors == [] and requests == [], "the page logged errors or tried the network"


def tile(page: Page, entity: str) -> dict[str, Any]:
    """The entity's tile in kg.map() (the first segment that has it)."""
    for segment in page.js("kg.map()"):
        for found in segment["tiles"]:
            if found["id"] == entity:
                return found
    raise AssertionError(f"{entity} has no tile")


def badges(page: Page, entity: str) -> list[tuple[str, str]]:
    """The badges drawn on the entity's first tile: (class, text)."""
    return [(cls, text) for cls, text in page.js(
        """id => Array.from(document.querySelector(`#kg-map .kg-tile[data-id="${id}"]`)
        .querySelectorAll('.kg-badge')).map(b => [b.className, b.textContent])""", entity)]


def test_a_recorded_absence_is_shown_as_absence_never_as_a_feature(absences: Page) -> None:
    absences.js("kg.select('oldgen')")
    text = absences.panel()
    assert "LACKS" in text.upper()
    assert "✗ lacks Synchronized audio until 2025-09-30" in text
    assert "✗ lacks Invite code" in text
    assert "FEATURES" not in text.upper()
    assert absences.js("document.querySelectorAll('#kg-panel .kg-features').length") == 0
    absences.js("kg.setTab('map')")
    oldgen = tile(absences, "oldgen")
    assert oldgen["features"] == []
    assert oldgen["absences"] == ["✗ lacks Invite code", "✗ lacks Synchronized audio until 2025-09-30"]
    drawn = badges(absences, "oldgen")
    assert all("kg-badge-absence" in cls and text.startswith("✗ ") for cls, text in drawn), drawn
    assert len(drawn) == 2
    # The absence ends with its `until`: the day after, the tile no longer says it.
    absences.js("kg.setDate('2025-10-05')")
    assert "Synchronized audio" not in " ".join(tile(absences, "oldgen")["absences"])


def test_a_tile_badges_only_its_own_facts_never_reference_edges(absences: Page) -> None:
    absences.js("kg.setTab('map')")
    assert "market" in [t["id"] for seg in absences.js("kg.map()") for t in seg["tiles"]]
    # The marketplace is only a figure's `where` (a reference edge to the invite code).
    market = tile(absences, "market")
    assert (market["features"], market["absences"], market["figures"]) == ([], [], [])
    assert badges(absences, "market") == []
    absences.js("kg.select('market')")
    assert "FEATURES" not in absences.panel().upper()


def test_claims_are_marked_on_every_badge(absences: Page) -> None:
    absences.js("kg.setTab('map')")
    vidgen = tile(absences, "vidgen")
    assert vidgen["features"] == ["Synchronized audio (claim)", "Text-to-video"]
    drawn = badges(absences, "vidgen")
    claims = [text for cls, text in drawn if "kg-badge-claim" in cls]
    assert claims and all(text.endswith("(claim)") for text in claims)
    assert all("kg-badge-claim" in cls for cls, text in drawn if text.endswith("(claim)"))
    assert {text for cls, text in drawn if "kg-badge-feature" in cls} == {
        "Synchronized audio (claim)", "Text-to-video"}
    # The map as a picture keeps the marks: badges wrap, they are never cut short.
    svg = absences.js("kg.image('svg')")
    assert "• Synchronized audio (claim)" in svg and svg.count("(claim)") == len(claims)
    absences.js("kg.select('vidgen')")
    features = absences.js("Array.from(document.querySelectorAll('#kg-panel .kg-features .kg-jump'))"
                           ".map(b => b.textContent)")
    assert features == ["Synchronized audio (claim)", "Text-to-video"]


def test_figures_show_their_bound_period_and_scope(absences: Page) -> None:
    absences.js("kg.setTab('map')")
    assert tile(absences, "vidgen")["figures"] == [
        "production time: at most 48 hours · period: 2025-10 · for AI tools such as VidGen (claim)"]
    assert ("kg-badge kg-badge-figure kg-badge-claim",
            "production time: at most 48 hours · period: 2025-10 · for AI tools such as VidGen (claim)") \
        in badges(absences, "vidgen")
    absences.js("kg.select('vidgen')")
    text = absences.panel()
    assert "production time: at most 48 hours" in text
    assert "period: 2025-10" in text and "for AI tools such as VidGen" in text
    absences.js("kg.setLabels('zh-Hans')")
    assert "制作周期: 至多 48 hours" in absences.panel()


def test_an_amount_written_with_its_bound_is_not_bounded_twice(chromium: Any, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.export import html

    def bounded(dataset: Any, figure: Any) -> dict[str, Any]:  # as if the export wrote "at most 48 hours"
        shown = plain(dataset, figure)
        if shown.get("bound") == "at-most" and not shown["amount"].startswith("at most "):
            shown = {**shown, "amount": "at most " + shown["amount"]}
        return shown

    plain = html._figure_json
    monkeypatch.setattr(html, "_figure_json", bounded)
    dataset = load_dataset(ABSENCES)
    (figure,) = [g for g in dataset.figures if g.metric == "production-time"]
    figure.bound = "at-most"  # type: ignore[attr-defined]
    figure.scope = "<img src=x onerror=\"window.__pwned = 1\">"  # type: ignore[attr-defined]
    html.write(html.select(dataset), tmp_path / "page.html")
    page = open_page(chromium, tmp_path / "page.html")
    page.js("kg.setTab('map')")
    hostile = " · for <img src=x onerror=\"window.__pwned = 1\">"
    assert tile(page, "vidgen")["figures"] == [f"production time: at most 48 hours{hostile} (claim)"]
    page.js("kg.select('vidgen')")
    assert hostile[3:] in page.panel()  # shown as text, never as markup
    assert page.js("document.querySelectorAll('img').length") == 0 and page.js("window.__pwned") is None
    page.js("kg.setLabels('zh-Hant')")
    assert tile(page, "vidgen")["figures"][0].startswith("製作週期: 至多 48 hours")
    assert page.errors == [] and page.requests == []
    page.page.context.close()


def test_an_entity_without_a_recorded_start_is_present_on_every_date(absences: Page) -> None:
    dataset = load_dataset(ABSENCES)
    assert dataset.exists_from("nostart") is None
    assert absences.js("kg.data.entities.nostart.from") is None
    absences.js("kg.setTab('map')")
    assert tile(absences, "nostart")["start"] == "start not recorded"
    assert tile(absences, "vidgen")["start"] is None
    assert absences.js("""document.querySelector('#kg-map .kg-tile[data-id="nostart"] .kg-tile-start')
        .textContent""") == "start not recorded"
    absences.js("kg.select('nostart')")
    assert "start not recorded" in absences.panel()
    absences.js("kg.select('vidgen')")
    assert "exists from 2025-09-30" in absences.panel()
    for day in ("1990-01-01", "2025-10-05"):
        seen = absences.js(f"kg.setDate('{day}') && kg.visible()")
        assert "nostart" in seen["entities"], day
        assert ("vidgen" in seen["entities"]) is (day >= "2025-09-30")
        assert "nostart" in [t["id"] for seg in absences.js("kg.map()") for t in seg["tiles"]]


def test_the_date_box_takes_and_shows_iso_days(mini: Page) -> None:
    assert mini.js("document.getElementById('kg-date').type") == "text"
    assert mini.page.get_attribute("#kg-date", "placeholder") == "YYYY-MM-DD"
    mini.js("kg.setDate('2025-10-05')")
    assert mini.page.input_value("#kg-date") == "2025-10-05"
    mini.page.fill("#kg-date", "")
    mini.page.type("#kg-date", "2025-09-2")  # half typed: nothing changes yet
    assert mini.js("kg.state.date") == ""
    mini.page.type("#kg-date", "9")
    assert mini.js("kg.state.date") == "2025-09-29"
    mini.page.fill("#kg-date", "2025-02-30")  # not a day: kept, marked, the date stays
    mini.page.press("#kg-date", "Enter")
    assert mini.js("kg.state.date") == "2025-09-29"
    assert mini.page.get_attribute("#kg-date", "aria-invalid") == "true"
    mini.page.fill("#kg-date", "2025-10-01")
    assert mini.js("kg.state.date") == "2025-10-01"
    assert mini.page.get_attribute("#kg-date", "aria-invalid") is None


def _overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


@pytest.mark.parametrize("labels", ["en+zh-Hans", "en", "zh-Hans", "zh-Hant"])
def test_map_segment_names_never_collide_with_their_counts(shipped: Page, labels: str) -> None:
    for width in (1280, 1000):
        shipped.page.set_viewport_size({"width": width, "height": 800})
        shipped.js(f"kg.setLabels('{labels}')")
        shipped.js("kg.setTab('map')")
        boxes = shipped.js("""Array.from(document.querySelectorAll('#kg-map .kg-segment h2')).map(h => {
            const box = el => { const r = el.getBoundingClientRect();
                                return {x: r.x, y: r.y, width: r.width, height: r.height}; };
            return [h.textContent, box(h.querySelector('.kg-segment-name')),
                    box(h.querySelector('.kg-count')), box(h)];
        })""")
        assert len(boxes) == 6
        for text, name, count, header in boxes:
            # side by side with room between them (touching reads as one word: "模型开发商4")
            assert name["x"] + name["width"] + 3 <= count["x"], (labels, width, text)
            assert count["x"] + count["width"] <= header["x"] + header["width"] + 0.5, (labels, width, text)
    # The map as a picture: each header's lines stay left of its count.
    svg = shipped.js("kg.image('svg')")
    boxes = shipped.js("""svg => {
        const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
        const node = document.importNode(doc.documentElement, true);
        document.body.appendChild(node);
        const texts = Array.from(node.querySelectorAll('text')).filter(
            t => t.getAttribute('font-size') === '12' && t.getAttribute('font-weight') === 'bold');
        const out = texts.map(t => { const b = t.getBBox();
            return {text: t.textContent, anchor: t.getAttribute('text-anchor'), x: b.x, y: b.y,
                    width: b.width, height: b.height}; });
        node.remove();
        return out;
    }""", svg)
    counts = [b for b in boxes if b["anchor"] == "end"]
    names = [b for b in boxes if b["anchor"] != "end"]
    assert len(counts) == 6 and names
    for name in names:
        for count in counts:
            assert not _overlaps(name, count), (labels, name["text"], count["text"])


CHROME = {  # element -> its text in each interface language
    "#kg-tab-graph": {"en": "Graph", "zh-Hans": "关系图", "zh-Hant": "關係圖"},
    "#kg-tab-map": {"en": "Market map", "zh-Hans": "市场格局图", "zh-Hant": "市場格局圖"},
    "#kg-play": {"en": "▶ Play", "zh-Hans": "▶ 播放", "zh-Hant": "▶ 播放"},
    "#kg-date-clear": {"en": "All dates", "zh-Hans": "全部日期", "zh-Hant": "全部日期"},
    "#kg-fit": {"en": "Fit", "zh-Hans": "全览", "zh-Hant": "全覽"},
    "#kg-print": {"en": "Print", "zh-Hans": "打印", "zh-Hant": "列印"},
    "#kg-reset": {"en": "Reset", "zh-Hans": "重置", "zh-Hant": "重設"},
    "label[for=kg-date]": {"en": "As of", "zh-Hans": "截至", "zh-Hant": "截至"},
    "[data-section=types] h2": {"en": "Entity types", "zh-Hans": "实体类型", "zh-Hant": "實體類型"},
    "[data-section=groups] h2": {"en": "Collapse groups", "zh-Hans": "折叠分组", "zh-Hant": "摺疊分組"},
    "#kg-panel h2": {"en": "About this graph", "zh-Hans": "关于此图", "zh-Hant": "關於此圖"},
}
ENGLISH_CHROME = ["Graph", "Market map", "Play", "All dates", "Fit", "Print", "Reset", "As of",
                  "Entity types", "Relations", "Kinds", "Collapse groups", "Display", "draw unconnected",
                  "About this graph", "entities", "facts", "drawn", "relation names", "both ways",
                  "reference", "Arrows point"]


def test_the_chinese_interface_localizes_the_chrome(shipped: Page) -> None:
    for labels, lang in (("zh-Hans", "zh-Hans"), ("zh-Hant", "zh-Hant"), ("en+zh-Hans", "en")):
        shipped.js(f"kg.setLabels('{labels}')")
        assert shipped.js("document.documentElement.lang") == lang
        for selector, texts in CHROME.items():
            shown = shipped.js(f"document.querySelector('{selector}').firstChild.textContent")
            assert shown.strip() == texts[lang], selector
        assert shipped.js("document.querySelector('[data-section=kinds] h2').firstChild.textContent") == (
            {"en": "Kinds", "zh-Hans": "事实类别", "zh-Hant": "事實類別"}[lang])
    shipped.js("kg.setLabels('zh-Hans')")
    shipped.js("kg.setDate('2025-10-05')")
    chrome = " ".join(shipped.page.inner_text(part)
                      for part in ("#kg-legend", "#kg-panel", ".kg-date", ".kg-tabs"))
    chrome += " " + " ".join(shipped.js(f"document.querySelector('{sel}').getAttribute('{attr}')")
                             for sel, attr in (("#kg-search", "placeholder"), ("#kg-search", "aria-label"),
                                               ("#kg-play", "title"), ("#kg-png", "title")))
    for word in ENGLISH_CHROME:
        assert word not in chrome, word
    assert "截至 2025-10-05" in shipped.page.inner_text("#kg-status")
    assert shipped.page.inner_text("#kg-title") == shipped.page.title() == "AI视频市场知识图谱"
    shipped.js("kg.setTab('map')")
    assert shipped.page.inner_text(".kg-map-title").startswith("2025-10-05 的市场")
    shipped.js("kg.select('kling')")
    assert "功能" in shipped.panel() and "名称" in shipped.panel()
    shipped.js("kg.reset()")  # Reset brings the English interface back
    assert shipped.page.inner_text("#kg-tab-graph") == "Graph"
    assert shipped.page.title() == shipped.js("kg.data.title") == "AI-video market knowledge graph"


def test_every_interface_string_is_written_in_every_language() -> None:
    """i18n.js: each language's table has the English table's keys, and every key the scripts
    and the page template use is in it."""
    folder = Path(__file__).resolve().parents[1] / "kg" / "export" / "html_assets"
    source = (folder / "js" / "i18n.js").read_text(encoding="utf-8")
    tables = re.split(r'^    "(en|zh-Hans|zh-Hant)": \{$', source, flags=re.M)
    keys = {tables[i]: set(re.findall(r'"([\w.-]+)":', tables[i + 1])) for i in range(1, len(tables), 2)}
    assert set(keys) == {"en", "zh-Hans", "zh-Hant"}
    assert keys["zh-Hans"] == keys["en"] == keys["zh-Hant"]
    used = set()
    for script in (folder / "js").glob("*.js"):
        text = script.read_text(encoding="utf-8")
        used |= set(re.findall(r'\bt\("([\w.-]+)"', text))
        used |= set(re.findall(r'count\([^,()]+(?:\([^()]*\))?, "([\w.-]+)"\)', text))
    template = (folder / "page.html.j2").read_text(encoding="utf-8")
    used |= set(re.findall(r'data-i18n(?:-[a-z-]+)?="([\w.-]+)"', template))
    # t("bound." + key): the bounds a figure may carry
    used = {key for key in used if not key.endswith(".")} | {"bound.at-most", "bound.at-least", "bound.about"}
    assert len(used) > 50 and used <= keys["en"], sorted(used - keys["en"])


# --- scripting --------------------------------------------------------------------------------


def test_window_kg_state_is_a_read_only_copy(mini: Page) -> None:
    mini.js("kg.state.date = '1999-01-01'")
    assert mini.js("kg.state.date") == ""
    assert mini.js("Object.isFrozen(kg)") is True
    assert mini.js("kg.setDate('2025-09-29').date") == "2025-09-29"
    assert mini.js("kg.search('可靈')[0].id") == "kling"
    assert mini.js("kg.select('kling').selected") == {"kind": "entity", "id": "kling"}
    error = mini.js("(() => { try { kg.setDate('tomorrow'); } catch (e) { return e.message; } })()")
    assert "not a day" in error
    for call, message in (("kg.select('nobody')", "no entity or fact"),
                          ("kg.select({kind: 'entity', id: 'nobody'})", "unknown entity"),
                          ("kg.setTab('table')", "unknown tab"),
                          ("kg.collapse('disney')", "has no group"),
                          ("kg.image('gif')", "format is 'png' or 'svg'")):
        error = mini.js(f"(() => {{ try {{ {call}; }} catch (e) {{ return e.message; }} }})()")
        assert error and message in error, call
    assert mini.js("kg.state.tab") == "graph" and mini.js("kg.state.collapsed") == []


def test_the_scripting_example_in_the_docs_runs(tmp_path: Path) -> None:
    import re
    import subprocess

    text = (Path(__file__).resolve().parents[1] / "docs" / "html.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- scripting example -->\s*```python\n(.*?)```", text, re.S)
    assert match, "docs/html.md has the scripting example"
    if not CHROMIUM.exists():
        pytest.fail(MISSING)
    result = run_cli("export", "html", "-o", str(tmp_path / "ai-video-kg.html"))
    assert result.exit_code == 0, result.stderr
    script = tmp_path / "example.py"
    script.write_text(match.group(1), encoding="utf-8")
    run = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    stats = run_cli("stats", "--as-of", "2025-09-29").stdout.splitlines()
    entities, facts = (line.split(": ")[1] for line in stats[:2])
    assert f"2025-09-29: {entities} entities, {facts} facts" in run.stdout


SCREENSHOTS = {"overview": "screenshot-overview.png", "grouped": "screenshot.png",
               "map": "screenshot-map.png"}


def screenshots(folder: Path) -> list[Path]:
    """The documentation's pictures of the shipped data at 1280x720: the landscape as companies,
    the grouped graph with Kling selected, and the market map on 2025-10-05."""
    import tempfile

    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise SystemExit(MISSING)
    written = []
    with tempfile.TemporaryDirectory() as work, sync_playwright() as playwright:
        html = export_page(Path(work), None)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        for name, file_name in SCREENSHOTS.items():
            page = open_page(browser, html)
            page.page.set_viewport_size({"width": 1280, "height": 720})
            if name == "overview":
                page.js("kg.collapseAll()")
                page.js("kg.network.fit({animation: false})")
            elif name == "grouped":
                page.page.fill("#kg-search", "可靈")
                page.page.press("#kg-search", "Enter")
                page.page.wait_for_timeout(800)  # the focus animation
                page.js("""() => {
                    const at = kg.network.getPositions(["kling", "openai"]);
                    const x = (at.kling.x + at.openai.x) / 2, y = (at.kling.y + at.openai.y) / 2;
                    kg.network.moveTo({position: {x, y}, scale: 1.0, animation: false});
                }""")
            else:
                page.js("kg.setDate('2025-10-05')")
                page.js("kg.setTab('map')")
                page.js("kg.select('sora-app')")
            page.page.wait_for_timeout(300)
            target = folder / file_name
            page.page.screenshot(path=str(target))
            assert page.errors == [] and page.requests == [], page.errors
            page.page.context.close()
            written.append(target)
        browser.close()
    return written


if __name__ == "__main__":
    for path in screenshots(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs")):
        print(f"wrote {path}")
