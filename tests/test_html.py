"""The interactive HTML page in a real browser.

Debian's headless Chromium (/usr/bin/chromium) driven by Playwright. Each page
is opened from a file:// URL with every other request aborted and recorded;
the tests read the page's state from ``window.kg`` (the vis-network instance
and its data views) and drive the real controls.

Run as a script to refresh the documentation's screenshot:
``.venv/bin/python tests/test_html.py docs/screenshot.png``.
"""

from __future__ import annotations

import datetime as dt
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
        return sorted(self.js("kg.network.body.data.nodes.getIds()"))

    def edge_ids(self) -> list[str]:
        return sorted(self.js("kg.network.body.data.edges.getIds()"))

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
    from kg.load import load

    return load(data)


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


MINI_ENTITIES = ["disney", "kling", "kuaishou", "openai", "opt-out-policy", "sora-2", "sora-app", "veo",
                 "youtube-shorts"]
COMPETES = ["kling--competes-with--sora-2--2025-10", "sora-app--competes-with--youtube-shorts--2025-10-01"]


def test_page_loads_offline_with_one_node_per_entity_and_one_edge_per_fact(mini: Page) -> None:
    dataset = load_dataset(MINI)
    assert mini.node_ids() == MINI_ENTITIES == sorted(dataset.entities)
    assert len(mini.edge_ids()) == 12 + 2  # and Kuaishou's two claim references
    assert mini.edge_ids() == sorted(f.id for f in dataset.edges)
    assert mini.page.inner_text("#kg-status") == "9 entities of 9 · 14 facts of 14 in view"
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
    assert mini.page.inner_text("#kg-status") == "6 entities of 9 · 5 facts of 14 in view"


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
    from kg.resolve import normalize

    names = sorted({name for entity in load_dataset(MINI).entities.values() for name in entity.names()})
    folded = mini.js("names => names.map(kg.fold)", names)
    assert dict(zip(names, folded, strict=True)) == {name: normalize(name) for name in names}


def _expected_on(day: dt.date) -> tuple[list[str], list[str]]:
    from kg import graph

    view = graph.as_of(graph.build(load_dataset(MINI)), day)
    return sorted(view.nodes), sorted(key for _u, _v, key in view.edges(keys=True))


def test_date_control_hides_facts_not_yet_valid(mini: Page) -> None:
    mini.page.fill("#kg-date", "2025-09-30")
    nodes, edges = _expected_on(dt.date(2025, 9, 30))
    # Disney has no founded date and its first dated fact is in October.
    assert mini.node_ids() == nodes == sorted(set(MINI_ENTITIES) - {"disney"})
    assert mini.edge_ids() == edges
    assert len(edges) == 10  # October's facts are not valid yet; "2025" counts from its first day
    assert "kling--competes-with--sora-2--2025-10" not in edges
    assert "youtube-shorts--integrates--veo--2025" in edges
    assert mini.page.inner_text("#kg-status").endswith("as of 2025-09-30")

    mini.page.fill("#kg-date", "2025-09-29")  # the Sora app and model are not founded yet
    nodes, edges = _expected_on(dt.date(2025, 9, 29))
    # … and the opt-out policy, undated itself, begins with its first fact (2025-09-30).
    assert mini.node_ids() == nodes == sorted(set(MINI_ENTITIES) - {"sora-2", "sora-app",
                                                                     "disney", "opt-out-policy"})
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
    index = days.index("2025-10-01")
    mini.page.locator("#kg-date-slider").fill(str(index))
    assert mini.page.input_value("#kg-date") == "2025-10-01"
    assert mini.edge_ids() == _expected_on(dt.date(2025, 10, 1))[1]


def test_reset_restores_every_control(mini: Page) -> None:
    mini.page.uncheck('input[data-filter="relations"][data-id="develops"]')
    mini.page.uncheck('input[data-filter="types"][data-id="organization"]')
    mini.page.fill("#kg-date", "2025-09-29")
    mini.page.fill("#kg-search", "kling")
    mini.page.press("#kg-search", "Enter")
    mini.page.select_option("#kg-labels", "zh-Hant")
    assert mini.js("kg.nodeData.get('kling').label") == "可靈"
    mini.page.click("#kg-reset")
    assert mini.node_ids() == MINI_ENTITIES
    assert len(mini.edge_ids()) == 14
    assert mini.page.input_value("#kg-date") == ""
    assert mini.page.input_value("#kg-search") == ""
    assert mini.js("kg.network.getSelectedNodes()") == []
    assert mini.js("kg.nodeData.get('kling').label") == "Kling\n可灵"
    assert mini.page.locator("#kg-legend input:not(:checked)").count() == 0


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
    assert page.node_ids() == sorted(set(MINI_ENTITIES) - {"disney"})  # Disney: from October
    assert len(page.edge_ids()) == 10
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


def test_shipped_data_draws_every_entity_and_fact(chromium: Any, tmp_path: Path) -> None:
    dataset = load_dataset(SEEDS)  # fails (DataError) while the shipped data does not validate
    page = open_page(chromium, export_page(tmp_path, None))
    assert page.node_ids() == sorted(dataset.entities)
    assert page.edge_ids() == sorted(f.id for f in dataset.edges)
    assert page.errors == [] and page.requests == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.page.screenshot(path=str(ARTIFACTS / "html-shipped.png"))
    page.page.context.close()


def screenshot(target: Path) -> None:
    """The documentation's picture: the page on the shipped data, Kling selected."""
    import tempfile

    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise SystemExit(MISSING)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        html = export_page(Path(folder), None)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        page = open_page(browser, html)
        page.page.fill("#kg-search", "可靈")
        page.page.press("#kg-search", "Enter")
        page.page.wait_for_timeout(800)  # the focus animation
        page.js("""() => {
            const at = kg.network.getPositions(["kling"]).kling;
            kg.network.moveTo({position: {x: at.x * 0.6, y: at.y * 0.6}, scale: 0.75, animation: false});
        }""")
        page.page.screenshot(path=str(target))
        browser.close()


if __name__ == "__main__":
    screenshot(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshot.png"))
