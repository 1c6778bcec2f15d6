"""Tests on the shipped dataset (seeds/), through the CLI's JSON output.

These pin down the facts the graph exists to answer (who opted out of
what and when, who integrates or competes with whom, the reported figures)
and the curation rules (every fact sourced with a locator, assessments
recorded as claims, shipped sources present on disk).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from kg.cli import main

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"

SORA_2_LAUNCH = "2025-09-30"
SHIPPED_FILES = {
    "000_ba442c18316faba9.txt",
    "001_2ade701d71adbf85.txt",
    "002_d23327c3c0c99929.txt",
    "003_64141638493cb9fc.txt",
    "004_e908bffa8751e61c.txt",
}


def run_json(*args: str) -> Any:
    """Run ``kg ARGS --format json`` on the shipped seeds and parse its output."""
    result = CliRunner().invoke(main, ["--data", str(SEEDS), *args, "--format", "json"])
    assert result.exit_code == 0, (result.output, result.exception)
    return json.loads(result.stdout)


def show(entity: str) -> dict[str, Any]:
    return run_json("show", entity)


def all_facts() -> list[dict[str, Any]]:
    return run_json("edges")


def facts_between(entity: dict[str, Any], relation: str, other: str,
                  direction: str = "out") -> list[dict[str, Any]]:
    """Facts of ``relation`` from the shown entity to ``other`` (or into it)."""
    if direction == "out":
        return [f for f in entity["facts_out"] if f["relation"] == relation and f["object"] == other]
    if direction == "in":
        return [f for f in entity["facts_in"] if f["relation"] == relation and f["subject"] == other]
    return facts_between(entity, relation, other, "out") + facts_between(entity, relation, other, "in")


def starts_on_or_after(date: str | None, day: str) -> bool:
    """Whether a partial ISO date (YYYY, YYYY-MM, YYYY-MM-DD) cannot begin before ``day``."""
    assert date is not None
    year, month, dom = (date.split("-") + ["01", "01"])[:3]
    return f"{year}-{month}-{dom}" >= day


@pytest.fixture(scope="module")
def facts() -> list[dict[str, Any]]:
    return all_facts()


@pytest.fixture(scope="module")
def registry() -> list[dict[str, Any]]:
    with open(SEEDS / "sources.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)["sources"]


# --- the data is valid -------------------------------------------------------

def test_seeds_validate() -> None:
    result = CliRunner().invoke(main, ["--data", str(SEEDS), "validate", "--format", "json"])
    report = json.loads(result.stdout)
    assert report["problems"] == []
    assert report["valid"] is True
    assert result.exit_code == 0


def test_counts_above_quality_bar() -> None:
    stats = run_json("stats")
    assert stats["entities"] > 60
    assert stats["facts"] >= 150
    assert stats["figures"] >= 10
    assert stats["sources"] >= 5
    assert stats["by_type"]["creative-work"] >= 5
    assert stats["by_relation"]["competes-with"] >= 15
    assert stats["by_relation"]["threatens"] >= 5


# --- copyright: opt-out, opt-in -----------------------------------------------

def test_sora_2_launch_date() -> None:
    sora_2 = show("sora-2")
    assert sora_2["attributes"]["founded"] == SORA_2_LAUNCH
    develops = facts_between(sora_2, "develops", "openai", "in")
    assert [f["since"] for f in develops] == [SORA_2_LAUNCH]


def test_disney_opted_out_of_sora_opt_out_not_before_launch() -> None:
    disney = show("disney")
    assert "rights-holder" in disney["roles"]
    [fact] = facts_between(disney, "opted-out-of", "sora-copyright-opt-out")
    assert fact["kind"] == "event"
    assert starts_on_or_after(fact["since"], SORA_2_LAUNCH)
    assert {s["source"] for s in fact["sources"]} == {"node-finance-sora2"}


def test_no_opt_out_before_launch(facts: list[dict[str, Any]]) -> None:
    opt_outs = [f for f in facts if f["relation"] == "opted-out-of"]
    assert opt_outs
    for fact in opt_outs:
        assert starts_on_or_after(fact["since"], SORA_2_LAUNCH), fact["id"]


def test_opt_out_edges_are_out_of_view_before_launch() -> None:
    before = CliRunner().invoke(main, ["--data", str(SEEDS), "edges", "--relation", "opted-out-of",
                                       "--as-of", "2025-09-29"])
    assert before.exit_code == 1
    on_launch = run_json("edges", "--relation", "opted-out-of", "--as-of", SORA_2_LAUNCH)
    assert [(f["subject"], f["object"]) for f in on_launch] == [("disney", "sora-copyright-opt-out")]


def test_opt_in_replaced_opt_out_on_altmans_post() -> None:
    opt_in = show("sora-copyright-opt-in")
    [successor] = facts_between(opt_in, "successor-of", "sora-copyright-opt-out")
    assert successor["since"] == "2025-10-03"
    [announced] = facts_between(opt_in, "announced", "sam-altman", "in")
    assert announced["kind"] == "event"
    assert announced["since"] == "2025-10-03"
    assert announced["qualifiers"]["channel"] == "blog post"
    revenue_share = show("sora-rights-holder-revenue-share")
    assert facts_between(revenue_share, "announced", "sam-altman", "in")


def test_app_policy_switch_is_dated() -> None:
    app = show("sora-app")
    [opt_out] = facts_between(app, "has-policy", "sora-copyright-opt-out")
    assert (opt_out["since"], opt_out["until"]) == (SORA_2_LAUNCH, "2025-10-03")
    [opt_in] = facts_between(app, "has-policy", "sora-copyright-opt-in")
    assert opt_in["since"] == "2025-10-03" and opt_in["until"] is None


def test_rights_holders_ip_appeared_in_the_feed() -> None:
    feed = show("sora-feed")
    shown = {f["subject"] for f in feed["facts_in"] if f["relation"] == "appeared-in"}
    assert {"mario", "star-wars", "pikachu", "south-park", "saving-private-ryan"} <= shown
    assert facts_between(show("nintendo"), "owns", "mario")
    assert facts_between(show("lucasfilm"), "owns", "star-wars")


# --- integration and competition ------------------------------------------------

def test_youtube_shorts_integrates_veo() -> None:
    shorts = show("youtube-shorts")
    [fact] = facts_between(shorts, "integrates", "veo")
    assert fact["kind"] == "fact"
    assert fact["sources"][0]["source"] == "node-finance-sora2"


def test_kling_competes_with_sora_2() -> None:
    kling = show("kling")
    facts = facts_between(kling, "competes-with", "sora-2", "both")
    assert len(facts) == 1
    assert facts[0]["kind"] == "fact"


@pytest.mark.parametrize("name", ["可灵", "可靈", "Kling", "kling ai", "可灵AI"])
def test_kling_names_resolve_to_one_entity(name: str) -> None:
    assert show(name)["id"] == "kling"


@pytest.mark.parametrize(("name", "entity_id"), [
    ("即梦", "jimeng"), ("即夢", "jimeng"), ("剪映", "jianying"), ("抖音", "douyin"),
    ("字節跳動", "bytedance"), ("Sora", "sora"), ("Sora app", "sora-app"),
    ("Sora2", "sora-2"), ("SORA 2", "sora-2"), ("CAMUZ", "cameo"),
])
def test_names_resolve(name: str, entity_id: str) -> None:
    assert show(name)["id"] == entity_id


def test_wpp_uses_sora_api_through_azure() -> None:
    wpp = show("wpp")
    [fact] = facts_between(wpp, "uses", "sora-api")
    assert fact["qualifiers"]["via"] == "azure"
    api = show("sora-api")
    assert facts_between(api, "offered-through", "azure")
    assert facts_between(show("microsoft"), "owns", "azure")


def test_sora_app_outranked_chatgpt_and_gemini() -> None:
    app = show("sora-app")
    for other in ("chatgpt", "gemini"):
        [fact] = facts_between(app, "outranked", other)
        assert fact["kind"] == "event"
        assert fact["qualifiers"]["rank"] == 1
        assert fact["qualifiers"]["via"] == "app-store"


def test_symmetric_pairs_stated_once(facts: list[dict[str, Any]]) -> None:
    for relation in ("competes-with", "partners-with"):
        pairs = Counter(frozenset((f["subject"], f["object"])) for f in facts
                        if f["relation"] == relation)
        assert pairs, relation
        assert max(pairs.values()) == 1, [sorted(p) for p, n in pairs.items() if n > 1]


def test_no_self_loops(facts: list[dict[str, Any]]) -> None:
    assert [f["id"] for f in facts if f["subject"] == f["object"]] == []


# --- figures --------------------------------------------------------------------

def _figures(entity: str, metric: str) -> list[dict[str, Any]]:
    return [f for f in show(entity)["figures"] if f["metric"] == metric]


def test_sora_app_downloads_by_appfigures() -> None:
    [figure] = _figures("sora-app", "downloads")
    assert (figure["value"], figure["scale"]) == (164, "thousand")
    assert figure["measured_by"] == "appfigures"
    assert sorted(figure["region"]) == ["CA", "US"]
    assert (figure["since"], figure["until"]) == (SORA_2_LAUNCH, "2025-10-01")


def test_invite_codes_resold_on_ebay() -> None:
    [figure] = _figures("sora-invite-code", "price")
    assert figure["range"] == [10, 45]
    assert figure["unit"] == "USD"
    assert figure["where"] == "ebay"


def test_kling_q2_2025_revenue() -> None:
    [figure] = _figures("kling", "revenue")
    assert (figure["value"], figure["scale"], figure["unit"]) == (250, "million", "CNY")
    assert (figure["since"], figure["until"]) == ("2025-04", "2025-06")


def test_meta_share_price_dip_after_launch() -> None:
    values = {f["value"] for f in _figures("meta", "share-price-change")}
    assert -2.3 in values


def test_tyler_perry_paused_800m_expansion() -> None:
    perry = show("tyler-perry")
    [fact] = facts_between(perry, "reacted-to", "sora")
    assert fact["qualifiers"]["amount"] == {"value": 800, "unit": "USD", "scale": "million"}
    [figure] = _figures("tyler-perry-studios", "investment")
    assert (figure["value"], figure["scale"], figure["unit"]) == (800, "million", "USD")


# --- curation rules ----------------------------------------------------------------

def test_every_fact_cites_a_source_with_a_locator(facts: list[dict[str, Any]],
                                                  registry: list[dict[str, Any]]) -> None:
    known = {s["id"] for s in registry}
    assert len(facts) >= 150
    for fact in facts:
        assert fact["sources"], fact["id"]
        for ref in fact["sources"]:
            assert ref["source"] in known, fact["id"]
            assert ref["locator"].strip(), fact["id"]


def test_every_figure_cites_a_source_with_a_locator(registry: list[dict[str, Any]]) -> None:
    known = {s["id"] for s in registry}
    for entity in ("sora-app", "sora-2", "meta", "kling", "sora-invite-code", "tyler-perry-studios"):
        figures = show(entity)["figures"]
        assert figures, entity
        for figure in figures:
            assert figure["sources"], figure["id"]
            assert all(r["source"] in known and r["locator"].strip() for r in figure["sources"])


def test_shipped_sources_name_the_five_documents(registry: list[dict[str, Any]]) -> None:
    # The documents themselves live outside the repository; nothing here may need them.
    shipped = [s for s in registry if s["shipped"]]
    assert {s["file"] for s in shipped} == SHIPPED_FILES


def test_only_000_gives_a_url(registry: list[dict[str, Any]]) -> None:
    with_url = {s["id"] for s in registry if s.get("url")}
    assert with_url == {"meitou-sora2-meta"}


def test_background_sources_are_not_shipped(registry: list[dict[str, Any]]) -> None:
    for source in registry:
        if not source["shipped"]:
            assert "file" not in source and "url" not in source, source["id"]
            assert source["publisher"] and source["title"] and source["date"], source["id"]


def test_claim_relations_hold_only_claims(facts: list[dict[str, Any]]) -> None:
    for relation in ("threatens", "likened-to", "outperforms"):
        found = [f for f in facts if f["relation"] == relation]
        assert found, relation
        assert {f["kind"] for f in found} == {"claim"}, relation


def test_ben_thompson_threat_claims() -> None:
    app = show("sora-app")
    threatened = {f["object"] for f in app["facts_out"]
                  if f["relation"] == "threatens" and f["claimed_by"] == "ben-thompson"}
    assert threatened == {"meta", "tiktok"}


def test_claimed_by_only_on_claims(facts: list[dict[str, Any]]) -> None:
    assert [f["id"] for f in facts if f["claimed_by"] and f["kind"] != "claim"] == []
