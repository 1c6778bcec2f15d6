"""The core commands: validate, stats, show, search; global options and error handling."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, REPO, SOURCES_YAML, run_cli

import kg
from kg.cli import main
from kg.data.model import Dataset, Entity
from kg.data.ontology import load_ontology
from kg.landscape import Landscape
from kg.store import from_dataset
from kg.util.yamlsafe import Loc

GOOD = FIXTURES / "good-mini"
BAD = FIXTURES / "bad"


def no_traceback(result) -> None:
    assert "Traceback" not in result.output + result.stderr


# --- validate ----------------------------------------------------------------------------------


def test_validate_text_success() -> None:
    result = run_cli("validate", data=GOOD)
    assert result.exit_code == 0
    assert result.stdout == "valid: 3 files, 8 entities, 11 facts, 2 references, 2 figures, 2 sources\n"
    assert result.stderr == ""


def test_validate_json_success(cli_json) -> None:
    assert cli_json("validate", data=GOOD) == {
        "valid": True, "files": 3, "entities": 8, "facts": 11, "references": 2, "figures": 2,
        "sources": 2,
        "problems": []}


def test_validate_text_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD / "mixed")
    result = run_cli("validate", data=BAD / "mixed")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[1].startswith("b-shape.yaml:5:5: unknown key 'founded' in entity (hint: ")
    assert lines[:1] + lines[2:] == [
        "a-broken.yaml:5:1: YAML syntax error: did not find expected ',' or '}'",
        "c-refs.yaml:2:14: fact 'sora-2--develops--openai': 'develops' does not take a model ('sora-2')"
        " as subject (hint: allowed: organization)",
        "c-refs.yaml:4:13: fact 'sora-2--develops--openai': 'develops' does not take an organization"
        " ('openai') as object (hint: allowed: product, feature)",
        "c-refs.yaml:9:13: fact 'openai--develops--sora-3': unknown object entity 'sora-3'"
        " (hint: did you mean 'sora-2'?)",
        "c-refs.yaml:11:24: fact 'openai--develops--sora-3': unknown source 'srcc'"
        " (hint: did you mean 'src'?)",
        "6 problems found",
    ]
    no_traceback(result)


def test_validate_json_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD / "orphan")
    result = run_cli("validate", "--format", "json", data=BAD / "orphan")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "valid": False, "files": 2, "entities": 4, "facts": 1, "figures": 0, "sources": 1,
        "problems": [
            {"file": "data.yaml", "line": 8, "column": 5, "message": "entity 'sora-app' is in no fact "
             "or figure", "hint": "connect it with a fact, or leave it out"},
            {"file": "data.yaml", "line": 11, "column": 5, "message": "entity 'kling' is in no fact or "
             "figure", "hint": "connect it with a fact, or leave it out"},
        ]}


def test_read_commands_refuse_invalid_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD / "orphan")
    for args in (["stats"], ["show", "openai"], ["search", "sora"]):
        result = run_cli(*args, data=BAD / "orphan")
        assert result.exit_code == 1, args
        assert result.stdout == ""
        assert result.stderr.splitlines() == [
            "data.yaml:8:5: entity 'sora-app' is in no fact or figure "
            "(hint: connect it with a fact, or leave it out)",
            "data.yaml:11:5: entity 'kling' is in no fact or figure "
            "(hint: connect it with a fact, or leave it out)",
            "error: 2 problems in the data",
        ]
        no_traceback(result)


# --- stats -------------------------------------------------------------------------------------


def test_stats_json(cli_json) -> None:
    stats = cli_json("stats", data=GOOD)
    assert stats == {
        "entities": 8, "facts": 11, "figures": 2, "sources": 2, "references": 2,
        "by_type": {"app": 1, "creative-work": 1, "model": 2, "organization": 3, "policy": 1},
        "by_relation": {"announced": 1, "appeared-in": 1, "competes-with": 1, "develops": 3,
                        "has-policy": 1, "integrates": 1, "opted-out-of": 1, "outperforms": 1,
                        "reacted-to": 1},
        "by_kind": {"claim": 1, "event": 4, "fact": 6},
    }
    assert list(stats) == ["entities", "facts", "figures", "sources", "references", "by_type",
                           "by_relation", "by_kind"]


def test_stats_text() -> None:
    result = run_cli("stats", data=GOOD)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "entities: 8", "facts: 11", "figures: 2", "sources: 2", "references: 2",
        "by type:", "  app: 1", "  creative-work: 1", "  model: 2", "  organization: 3", "  policy: 1",
        "by relation:", "  announced: 1", "  appeared-in: 1", "  competes-with: 1", "  develops: 3",
        "  has-policy: 1", "  integrates: 1", "  opted-out-of: 1", "  outperforms: 1", "  reacted-to: 1",
        "by kind:", "  claim: 1", "  event: 4", "  fact: 6",
    ]


# --- show --------------------------------------------------------------------------------------


def test_show_text() -> None:
    result = run_cli("show", "可靈", data=GOOD)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Kling  [model]  id: kling",
        "  labels: en: Kling · zh-Hans: 可灵 · zh-Hant: 可靈",
        "  aliases: Kling AI",
        "  founded: 2024-06",
        "facts:",
        "  Kling —competes-with— Sora 2 [2025-10]",
        "      sources: fixture-digest (第3段)",
        "  Kling —outperforms→ Sora 2 (claim by Kuaishou)",
        "      sources: fixture-digest (第4段)",
        "  Kling ←develops— Kuaishou",
        "      sources: fixture-digest (第3段)",
        "  Kling ←claims— Kuaishou (claim) (reference: claimed_by of fact kling--outperforms--sora-2)",
        "      sources: fixture-digest (第4段)",
    ]


def test_show_text_with_figures_roles_and_qualifiers() -> None:
    app = run_cli("show", "Sora app", data=GOOD).stdout.splitlines()
    assert "figures:" in app
    assert "  downloads: 100 thousand downloads [2025-10-01 – 2025-10-07] in US, CA" in app
    assert "      sources: fixture-report (§3, para 1)" in app
    assert "  Sora app ←reacted-to— Disney [2025-10-02]" in app
    assert "      amount: 1.5 billion USD, region: US" in app
    disney = run_cli("show", "迪士尼", data=GOOD).stdout.splitlines()
    assert "  roles: rights-holder" in disney
    assert "  Disney —opted-out-of→ Sora copyright opt-out [2025-10]" in disney
    model = run_cli("show", "Sora2", data=GOOD).stdout.splitlines()
    assert "  video-length: 10–20 seconds" in model
    assert "      sources: fixture-report (§1, para 3); fixture-digest (第1段)" in model


def test_show_json(cli_json) -> None:
    shown = cli_json("show", "Pokémon", data=GOOD)
    assert shown == {
        "id": "pokemon", "type": "creative-work", "label": "Pokemon",
        "labels": {"en": "Pokemon", "zh-Hans": "宝可梦", "zh-Hant": "寶可夢"},
        "aliases": ["Pokémon", "Pocket Monsters"], "description": None, "roles": [], "attributes": {},
        "wikidata": None,
        "exists_from": None, "sources_published": [],
        "existence": {"start": None, "basis": "unrecorded", "fact": None, "phrase": None,
                      "reason": "start not recorded"},
        "figures": [], "facts_in": [],
        "facts_out": [{
            "id": "pokemon--appeared-in--sora-app--2025-10-01", "subject": "pokemon",
            "relation": "appeared-in", "object": "sora-app", "kind": "event", "since": "2025-10-01",
            "until": None, "qualifiers": {}, "claimed_by": None, "rank": "normal",
            "rank_reason": None, "note": None,
            "sources": [{"source": "fixture-report", "locator": "§2, para 4"}],
            "derived_from": None}],
        "page": {"total": 1, "offset": 0, "limit": 100, "facts_out": 1, "facts_in": 0},
    }


def test_show_json_facts_in_and_figures(cli_json) -> None:
    shown = cli_json("show", "sora-app", data=GOOD)
    assert shown["attributes"] == {"founded": "2025-09-30"}
    assert [f["id"] for f in shown["facts_out"]] == [
        "sora-app--integrates--sora-2", "sora-app--has-policy--sora-opt-out-policy--2025-09-30"]
    assert [f["id"] for f in shown["facts_in"]] == [
        "openai--develops--sora-app", "disney--reacted-to--sora-app--2025-10-02",
        "pokemon--appeared-in--sora-app--2025-10-01"]
    reaction = shown["facts_in"][1]
    assert reaction["qualifiers"] == {"amount": {"value": 1.5, "unit": "USD", "scale": "billion"},
                                      "region": "US"}
    assert reaction["sources"] == [{"source": "fixture-report", "locator": "§2, para 3"}]
    assert shown["figures"] == [{
        "id": "sora-app--downloads--2025-10-01", "entity": "sora-app", "metric": "downloads",
        "value": 100, "range": None, "unit": "downloads", "scale": "thousand", "bound": None,
        "since": "2025-10-01",
        "until": "2025-10-07", "region": ["US", "CA"], "measured_by": None, "where": None,
        "period": None, "scope": None,
        "qualifiers": {}, "kind": "fact", "rank": "normal", "rank_reason": None, "note": None,
        "sources": [{"source": "fixture-report", "locator": "§3, para 1"}],
    }]


def test_show_is_deterministic() -> None:
    first = run_cli("show", "sora-2", "--format", "json", data=GOOD).stdout
    assert run_cli("show", "sora-2", "--format", "json", data=GOOD).stdout == first


def test_show_unknown_entity_suggests() -> None:
    result = run_cli("show", "Klign", data=GOOD)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: no entity named 'Klign'", "did you mean:", "  kling  (Kling)",
        "next step: `kg search Klign` lists entities with names like it; "
        "`kg add entity Klign --type TYPE` declares it"]
    no_traceback(result)


def test_show_nothing_alike() -> None:
    result = run_cli("show", "zzqx", data=GOOD)
    assert (result.exit_code, result.stderr) == (1, (
        "error: no entity named 'zzqx'\n"
        "next step: `kg search zzqx` lists entities with names like it; "
        "`kg add entity zzqx --type TYPE` declares it\n"))


def test_an_unknown_name_is_quoted_for_the_shell_in_the_next_step() -> None:
    result = run_cli("path", "Runway Gen 4", "kling", data=GOOD)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "next step: `kg search 'Runway Gen 4'` lists entities with names like it; "
        "`kg add entity 'Runway Gen 4' --type TYPE` declares it")


def test_show_ambiguous_lists_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    # Valid data never has an ambiguous name (the validator refuses it), so hand the
    # command a dataset built directly.
    def entity(entity_id: str, label: str, *aliases: str) -> Entity:
        return Entity(entity_id, "product", {"en": label}, Loc("t.yaml", 1, 1), list(aliases))

    dataset = Dataset(load_ontology(), {}, {e.id: e for e in (
        entity("kling", "Kling", "可灵"), entity("kling-app", "Kling app", "可靈"))}, [], [])
    monkeypatch.setattr(Landscape, "store", property(lambda self: from_dataset(dataset)))
    result = run_cli("show", "可灵")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: '可灵' is ambiguous: it names 2 entities", "did you mean:",
        "  kling  (Kling)", "  kling-app  (Kling app)"]
    no_traceback(result)


def test_show_needs_an_argument() -> None:
    result = run_cli("show", data=GOOD)
    assert result.exit_code == 2
    assert "Missing argument 'ENTITY|SOURCE'" in result.stderr


# --- search ------------------------------------------------------------------------------------


def test_search_json(cli_json) -> None:
    found = cli_json("search", "sora", data=GOOD)
    assert found == [
        {"id": "sora-app", "type": "app", "label": "Sora app", "score": 100.0, "matched": "Sora"},
        {"id": "sora-2", "type": "model", "label": "Sora 2", "score": 95.0, "matched": "Sora 2"},
        {"id": "sora-opt-out-policy", "type": "policy", "label": "Sora copyright opt-out",
         "score": 95.0, "matched": "Sora copyright opt-out"},
    ]


def test_search_json_any_script_best_first(cli_json) -> None:
    found = cli_json("search", "可", data=GOOD)
    assert [(m["id"], m["matched"]) for m in found] == [("kling", "可灵"), ("pokemon", "宝可梦")]
    scores = [m["score"] for m in cli_json("search", "a", data=GOOD)]
    assert scores == sorted(scores, reverse=True) and len(scores) > 2
    assert len(cli_json("search", "a", "--limit", "2", data=GOOD)) == 2


def test_search_text() -> None:
    result = run_cli("search", "pokemon", data=GOOD)
    assert result.exit_code == 0
    assert result.stdout == "100.0  pokemon  [creative-work]  Pokemon\n"
    typo = run_cli("search", "Kuaishuo", data=GOOD)
    assert typo.exit_code == 0
    assert typo.stdout.split()[1:4] == ["kuaishou", "[organization]", "Kuaishou"]


def test_search_without_match_exits_1() -> None:
    result = run_cli("search", "zzqx", data=GOOD)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", "no entity matches 'zzqx'\n")
    as_json = run_cli("search", "zzqx", "--format", "json", data=GOOD)
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout) == []


def test_search_bad_limit_is_a_usage_error() -> None:
    result = run_cli("search", "sora", "--limit", "0", data=GOOD)
    assert result.exit_code == 2


# --- global options ----------------------------------------------------------------------------


def test_missing_data_folder(tmp_path: Path) -> None:
    for command in ("validate", "stats"):
        result = run_cli(command, data=tmp_path / "missing")
        assert result.exit_code == 1
        assert result.stderr == f"error: data folder not found: {tmp_path / 'missing'}\n"
        no_traceback(result)


def test_data_that_is_a_file_is_a_usage_error() -> None:
    result = run_cli("stats", data=GOOD / "sources.yaml")
    assert result.exit_code == 2
    assert "is a file" in result.stderr


def test_kg_data_env_is_honoured() -> None:
    runner = CliRunner(env={"KG_DATA": str(GOOD)})
    result = runner.invoke(main, ["stats", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["entities"] == 8
    missing = CliRunner(env={"KG_DATA": str(GOOD / "nope")}).invoke(main, ["validate"])
    assert missing.exit_code == 1
    assert "data folder not found" in missing.stderr


def test_data_option_overrides_kg_data(tmp_path: Path) -> None:
    runner = CliRunner(env={"KG_DATA": str(tmp_path / "nope")})
    result = runner.invoke(main, ["--data", str(GOOD), "validate"])
    assert result.exit_code == 0, result.stderr


def test_version() -> None:
    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"kg, version {kg.__version__}\n"


def test_help() -> None:
    result = run_cli("--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: ")
    for command in ("validate", "stats", "show", "search"):
        assert f"  {command} " in result.stdout
    assert "--data" in result.stdout and "KG_DATA" in result.stdout
    sub = run_cli("show", "-h")
    assert sub.exit_code == 0 and "可灵 = 可靈 = Kling" in sub.stdout


def test_usage_errors_exit_2() -> None:
    assert run_cli("no-such-command").exit_code == 2
    assert run_cli("stats", "--format", "xml", data=GOOD).exit_code == 2


# --- speed: reading must not import the heavy libraries --------------------------------------


def test_read_commands_do_not_import_rdflib_pyvis_pyshacl() -> None:
    commands = [["validate"], ["validate", "--format", "json"], ["stats"], ["stats", "--format", "json"],
                ["show", "可灵"], ["show", "sora-2", "--format", "json"], ["search", "sora"],
                ["search", "sora", "--format", "json"]]
    code = (
        "import sys, kg.cli\n"
        f"for args in {commands!r}:\n"
        f"    code = kg.cli.main(['--data', {str(GOOD)!r}, *args], standalone_mode=False)\n"
        "    assert code in (None, 0), (args, code)\n"
        "print('HEAVY', sorted(m for m in ('rdflib', 'pyvis', 'pyshacl') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "HEAVY []"


# --- the shipped data (smoke) ------------------------------------------------------------------


def test_shipped_data_is_valid_and_readable(cli_json) -> None:
    result = run_cli("validate")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("valid: ")
    stats = cli_json("stats")
    assert stats["entities"] > 0 and stats["facts"] > 0
    assert cli_json("show", "可靈")["id"] == cli_json("show", "可灵")["id"] == "kling"
    assert cli_json("show", "Sora2")["id"] == "sora-2"
    assert cli_json("search", "sora")[0]["score"] == 100.0


def test_show_as_of_keeps_the_facts_valid_then() -> None:
    good = FIXTURES / "good-mini"
    result = run_cli("show", "kling", "--as-of", "2025-09-30", "--format", "json", data=good)
    assert result.exit_code == 0, result.stderr
    shown = json.loads(result.stdout)
    assert [f["relation"] for f in shown["facts_out"]] == ["outperforms"]  # competes-with: 2025-10
    # Kuaishou's undated claim about Kling makes an undated reference edge.
    assert [f["relation"] for f in shown["facts_in"]] == ["develops", "claims"]
    text = run_cli("show", "kling", "--as-of", "2025-10", data=good).stdout
    assert "Kling —competes-with— Sora 2 [2025-10]" in text


def test_show_as_of_before_the_entity_existed_is_an_error() -> None:
    result = run_cli("show", "Sora app", "--as-of", "2025-09-29", data=FIXTURES / "good-mini")
    assert result.exit_code == 1
    assert result.stderr == "error: Sora app did not exist yet on 2025-09-29 (founded 2025-09-30)\n"
    bad = run_cli("show", "kling", "--as-of", "2025-13", data=FIXTURES / "good-mini")
    assert bad.exit_code == 2 and "'2025-13' has no month 13" in bad.stderr


def test_stats_as_of_counts_the_snapshot() -> None:
    good = FIXTURES / "good-mini"
    before = json.loads(run_cli("stats", "--as-of", "2025-09-29", "--format", "json",
                                data=good).stdout)
    now = json.loads(run_cli("stats", "--format", "json", data=good).stdout)
    # Disney and Pokemon have no founded date and no fact that begins them: present on every
    # date; Sora 2, the app (founded 2025-09-30) and the policy (begun then) are not.
    assert (before["entities"], before["facts"], before["figures"]) == (5, 1, 0)
    assert (now["entities"], now["facts"], now["figures"]) == (8, 11, 2)
    assert before["sources"] == now["sources"] == 2


# -- hostile files through the command line (issue: hardening) ---------------------------------

YEAR_ZERO = SOURCES_YAML + """\
entities:
  - {id: acme, type: organization, labels: {en: Acme}}
  - {id: beta, type: organization, labels: {en: Beta}}
facts:
  - {subject: acme, relation: partners-with, object: beta, kind: fact, since: "0000",
     sources: [{source: src, locator: p. 1}]}
"""


@pytest.mark.parametrize("command", [["stats"], ["timeline", "acme"], ["show", "acme"],
                                     ["export", "html", "-o", "page.html"]])
def test_year_zero_in_the_data_is_an_error_not_a_traceback(command: list[str], write_data,
                                                           tmp_path, monkeypatch) -> None:
    folder = write_data({"data.yaml": YEAR_ZERO})
    monkeypatch.chdir(folder)
    result = run_cli(*command, data=folder)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith("data.yaml:12:79: fact: 'since' '0000'")
    assert "there is no year 0" in result.stderr
    assert not (folder / "page.html").exists()


def test_year_zero_as_of_is_a_usage_error() -> None:
    result = run_cli("path", "disney", "kling", "--as-of", "0000")
    assert result.exit_code == 2 and "there is no year 0" in result.stderr


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
@pytest.mark.parametrize("command", [["validate"], ["stats"], ["search", "sora"]])
def test_a_yaml_name_that_is_no_regular_file_is_reported_not_read(kind: str, command: list[str],
                                                                  write_data, monkeypatch) -> None:
    folder = write_data({"data.yaml": YEAR_ZERO.replace('since: "0000",', "")})
    if kind == "fifo":
        os.mkfifo(folder / "pipe.yaml")  # reading it would block forever
    else:
        (folder / "pipe.yaml").symlink_to("/dev/zero")  # reading it would fill memory
    monkeypatch.chdir(folder)
    result = run_cli(*command, data=folder)
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.split(": ")[0].endswith("pipe.yaml:1:1") and "not a regular file" in first


def test_a_control_character_is_one_line_at_its_place(write_data, monkeypatch) -> None:
    folder = write_data({"data.yaml": YEAR_ZERO.replace("Beta}", "Be\x01ta}").replace(
        'since: "0000",', "")})
    monkeypatch.chdir(folder)
    result = run_cli("validate", data=folder)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "data.yaml:10:51: YAML does not allow the character U+0001 (hint: remove it)",
        "1 problem found"]


def test_show_lists_a_page_of_facts_and_says_how_many_more(cli, cli_json) -> None:
    every = cli_json("show", "sora-app", data=GOOD)
    facts = [f["id"] for f in every["facts_out"] + every["facts_in"]]
    assert every["page"] == {"total": len(facts), "offset": 0, "limit": 100,
                             "facts_out": len(every["facts_out"]), "facts_in": len(every["facts_in"])}
    lines = cli("show", "sora-app", "--limit", "2", "--offset", "1", data=GOOD).stdout.splitlines()
    assert f"facts 2-3 of {len(facts)}:" in lines
    assert lines[-1] == f"{len(facts) - 3} more facts (--offset 3 to see them)"
    page = cli_json("show", "sora-app", "--limit", "2", "--offset", "1", data=GOOD)
    assert [f["id"] for f in page["facts_out"] + page["facts_in"]] == facts[1:3]
    assert page["figures"] == every["figures"]  # the other sections are whole
    whole = cli("show", "sora-app", data=GOOD).stdout.splitlines()
    assert "facts:" in whole and not any(line.endswith("to see them)") for line in whole)


@pytest.mark.parametrize(("head", "items", "tail"), [
    ({"from": {"id": "a", "label": "Ä \"b\"\n"}, "filters": {"via": [], "k": None}},
     [{"length": 1, "hops": [{"id": "x", "qualifiers": {}}]}, {"length": 2, "hops": []}],
     {"truncated": True}),
    ({"from": 1}, [], {"truncated": False}),
    ({}, [[1, [2, {}]], "é"], {}),
])
def test_emit_json_listing_writes_each_item_before_making_the_next(
        capsys: pytest.CaptureFixture[str], head: dict, items: list, tail: dict) -> None:
    """The document is ``emit_json``'s byte for byte, and each item is out before the next one
    is asked for (a path listing writes each path as it is found)."""
    from kg.cli import emit_json, emit_json_listing

    written: list[str] = []

    def made():
        for item in items:
            written.append(capsys.readouterr().out)
            yield item

    emit_json_listing(head, "paths", made(), lambda: tail)
    written.append(capsys.readouterr().out)
    emit_json({**head, "paths": items, **tail})
    assert "".join(written) == capsys.readouterr().out
    for number in range(1, len(items)):  # by the time item n is made, item n - 1 is out
        out_before = "".join(written[:number + 1])
        assert out_before.endswith(
            "    " + json.dumps(items[number - 1], ensure_ascii=False, indent=2).replace("\n", "\n    "))
