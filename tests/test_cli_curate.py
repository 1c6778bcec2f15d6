"""kg add and kg import csv on a copy of the shipped data: one-hunk diffs, comments kept,
the data still valid; a refused change writes nothing."""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, SEEDS, depth, run_cli

import kg.cli.curate
from kg.data.load import check

CSV = FIXTURES / "csv-import"
SOURCE = ["--source", "dayulejia-sora2-jimeng-kling", "--locator", "§02, para 9"]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.yaml"))}


def hunks(before: dict[str, str], after: dict[str, str]) -> list[tuple[str, list[str]]]:
    """The hunks of a unified diff with git's default context, file by file."""
    found = []
    for name in sorted(set(before) | set(after)):
        diff = list(difflib.unified_diff(before.get(name, "").splitlines(),
                                         after.get(name, "").splitlines(), lineterm="", n=3))
        for line in diff:
            if line.startswith("@@"):
                found.append((name, []))
            elif found and not line.startswith(("---", "+++")):
                found[-1][1].append(line)
    return found


def comments(texts: dict[str, str]) -> list[str]:
    return [line for text in texts.values() for line in text.splitlines() if line.strip().startswith("#")]


def problems_in(folder: Path) -> list[str]:
    return [p.message for p in check(folder)[1]]


def test_add_fact_resolves_names_and_writes_one_hunk(data: Path) -> None:
    before = snapshot(data)
    result = run_cli("add", "fact", "可灵", "competes-with", "veo", *SOURCE, data=data)
    assert result.exit_code == 0, result.output
    after = snapshot(data)
    found = hunks(before, after)
    assert len(found) == 1
    name, lines = found[0]
    assert name == "market.yaml"  # competition stands in market.yaml (seeds/README.md)
    added = [line for line in lines if line.startswith("+")]
    assert [line for line in added if line != "+"] == [
        "+  - subject: kling", "+    relation: competes-with", "+    object: veo", "+    kind: fact",
        "+    sources:", '+      - {source: dayulejia-sora2-jimeng-kling, locator: "§02, para 9"}']
    assert added.count("+") == 1  # one blank line sets it apart
    assert not [line for line in lines if line.startswith("-")]
    assert comments(after) == comments(before)
    assert problems_in(data) == []
    first = result.stdout.splitlines()[0]
    assert first.startswith("added fact kling--competes-with--veo at ") and first.endswith(
        "market.yaml:" + str(after["market.yaml"].splitlines().index("  - subject: kling") + 1))
    assert "  - subject: kling" in result.stdout.splitlines()


def test_add_figure_source_and_entity_each_one_hunk(data: Path) -> None:
    steps = [
        (["add", "source", "--title", "Kling 2.5 Turbo launch notes", "--publisher", "Kuaishou",
          "--date", "2025-09-23", "--language", "en", "--published-in", "Kuaishou's website"],
         "sources.yaml",
         "kuaishou-kling-2-5-turbo-launch-notes"),
        (["add", "entity", "Kling 2.5 Turbo", "--type", "model", "--of", "kling",
          "--label", "zh-Hans=可灵2.5 Turbo", "--description", "A video model of Kuaishou's Kling."],
         "kuaishou.yaml", "kling-2-5-turbo"),
        (["add", "fact", "kuaishou", "develops", "kling 2.5 turbo", "--kind", "event",
          "--since", "2025-09-23", "--source", "kuaishou-kling-2-5-turbo-launch-notes",
          "--locator", "para 1"], "kuaishou.yaml", "kuaishou--develops--kling-2-5-turbo--2025-09-23"),
        (["add", "figure", "可灵", "revenue", "--value", "300", "--scale", "million", "--unit", "CNY",
          "--since", "2026-07", "--until", "2026-09", "--measured-by", "快手", *SOURCE],
         "kuaishou.yaml", "kling--revenue--2026-07"),
    ]
    for args, file, record_id in steps:
        before = snapshot(data)
        result = run_cli(*args, data=data)
        assert result.exit_code == 0, result.output
        assert record_id in result.stdout.splitlines()[0]
        after = snapshot(data)
        found = hunks(before, after)
        assert [name for name, _lines in found] == [file], args
        assert not [line for line in found[0][1] if line.startswith("-")]
        assert comments(after) == comments(before)
    # The entity stood in no fact until the fact was added; now all is valid.
    assert problems_in(data) == []


def test_an_entity_waits_for_its_first_fact(data: Path) -> None:
    result = run_cli("add", "entity", "Kling 3", "--type", "model", "--of", "kuaishou", data=data)
    assert result.exit_code == 0
    assert "note: kling-3 is in no fact or figure yet" in result.stderr
    assert problems_in(data) == ["entity 'kling-3' is in no fact or figure"]
    # kg add still works on such data, and the fact that cites the entity makes it valid.
    result = run_cli("add", "fact", "kuaishou", "develops", "kling-3", *SOURCE, data=data)
    assert result.exit_code == 0, result.output
    assert problems_in(data) == []


@pytest.mark.parametrize(("args", "code", "message"), [
    (["fact", "kling", "compete-with", "veo", *SOURCE], 2,
     "unknown relation 'compete-with'; did you mean 'competes-with'?"),
    (["fact", "kling", "develops", "veo", *SOURCE], 1,
     "fact kling--develops--veo: 'develops' does not take a product ('kling') as subject "
     "(hint: allowed: organization)"),
    (["fact", "veo", "competes-with", "sora-2", *SOURCE], 1,
     "fact veo--competes-with--sora-2: symmetric fact stated twice: veo competes-with sora-2"),
    (["fact", "kling", "integrates", "veo", "--source", "dayulejia", "--locator", "x"], 1,
     "fact kling--integrates--veo: unknown source 'dayulejia' (hint: did you mean "
     "'dayulejia-sora2-jimeng-kling'?)"),
    (["fact", "kling", "integrates", "veo9", *SOURCE], 1, "no entity named 'veo9'"),
    (["fact", "kling", "integrates", "veo"], 2, "missing --source"),
    (["fact", "kling", "integrates", "veo", "--source", "x"], 2, "give one --locator for each --source"),
    (["fact", "kling", "integrates", "veo", "--since", "2025-13", *SOURCE], 2, "has no month 13"),
    (["fact", "kuaishou", "develops", "kling", *SOURCE], 1, "duplicate fact id 'kuaishou--develops--kling'"),
    (["figure", "kling", "revenue", "--value", "lots", *SOURCE], 2, "value must be a number"),
    (["figure", "kling", "revenue", "--value", "3", "--unit", "yuan", *SOURCE], 1,
     "the unit of 'revenue' is a currency"),
    (["figure", "kling", "revenue", "--value", "3", *SOURCE], 2, "missing --unit for the new figure"),
    (["figure", "kling", "downloadz", "--value", "3", *SOURCE], 2, "did you mean 'downloads'?"),
    (["entity", "Kling 3", "--type", "modle", "--of", "kuaishou"], 2, "did you mean 'model'?"),
    (["entity", "Kling 3", "--type", "model"], 2, "--of ENTITY"),
    (["entity", "Kling", "--type", "model", "--of", "kuaishou"], 1, "duplicate entity id 'kling'"),
    (["entity", "Kling 3", "--type", "model", "--label", "xx=Kling", "--of", "kuaishou"], 2,
     "unknown language 'xx'"),
    (["entity", "Kling 3", "--type", "model", "--of", "kuaishou", "--file", "../outside.yaml"], 2,
     "--file must name a .yaml or .yml file in the data folder"),
    (["source", "--title", "T", "--publisher", "P", "--date", "2025", "--language", "French",
      "--published-in", "x"], 1, "'French' is no language tag"),
    (["source", "--title", "T", "--publisher", "P", "--date", "2025", "--language", "en"], 1,
     "says nowhere where a reader finds it"),
    (["source", "--title", "T", "--publisher", "P", "--date", "2025", "--language", "en",
      "--published-in", "x", "--publisher-entity", "nobody"], 1, "no entity named 'nobody'"),
    (["source", "--title", "T"], 2, "missing --publisher, --date, --language"),
])
def test_a_bad_add_changes_no_file(data: Path, args: list[str], code: int, message: str) -> None:
    before = {p: p.read_bytes() for p in data.rglob("*")}
    result = run_cli("add", *args, data=data)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert {p: p.read_bytes() for p in data.rglob("*")} == before
    if code == 1 and "no entity" not in message:
        assert "error: nothing written: 1 problem" in result.stderr


def test_add_dry_run_and_explicit_file(data: Path) -> None:
    before = snapshot(data)
    result = run_cli("add", "fact", "kling", "integrates", "veo", "--dry-run", *SOURCE, data=data)
    assert result.exit_code == 0
    assert result.stdout.startswith("would add fact kling--integrates--veo at ")
    assert "kuaishou.yaml:" in result.stdout.splitlines()[0]  # the subject's file
    assert snapshot(data) == before
    result = run_cli("add", "fact", "kling", "integrates", "veo", "--file", "new/extra.yaml", *SOURCE,
                     data=data)
    assert result.exit_code == 0, result.output
    assert (data / "new" / "extra.yaml").read_text(encoding="utf-8") == (
        "facts:\n  - subject: kling\n    relation: integrates\n    object: veo\n    kind: fact\n"
        '    sources:\n      - {source: dayulejia-sora2-jimeng-kling, locator: "§02, para 9"}\n')
    assert problems_in(data) == []


def test_claims_go_to_the_claims_file_and_take_their_kind(data: Path) -> None:
    result = run_cli("add", "fact", "kling", "outperforms", "veo", *SOURCE, data=data)
    assert result.exit_code == 0, result.output
    assert "claims.yaml:" in result.stdout.splitlines()[0]
    assert "    kind: claim" in result.stdout.splitlines()


def test_add_qualifiers_and_attributes(data: Path) -> None:
    result = run_cli("add", "fact", "microsoft", "partners-with", "kuaishou", "--qualifier",
                     "amount=800 USD million", "--qualifier", "via=azure", "--qualifier", "region=CN",
                     *SOURCE, "--dry-run", data=data)
    assert result.exit_code == 0, result.output
    assert ("    qualifiers: {amount: {value: 800, unit: USD, scale: million}, via: azure, region: CN}"
            in result.stdout.splitlines())
    result = run_cli("add", "entity", "Kling Labs", "--type", "organization", "--of", "kuaishou",
                     "--attribute", "country=CN", "--attribute", "founded=2024", "--dry-run", data=data)
    assert result.exit_code == 0, result.output
    assert "    attributes: {country: CN, founded: 2024}" in result.stdout.splitlines()
    result = run_cli("add", "fact", "microsoft", "partners-with", "kuaishou", "--qualifier", "amount=lots",
                     *SOURCE, data=data)
    assert result.exit_code == 2
    assert "'VALUE UNIT [SCALE]'" in result.stderr
    result = run_cli("add", "fact", "microsoft", "partners-with", "kuaishou", "--qualifier", "ammount=1",
                     *SOURCE, data=data)
    assert result.exit_code == 2
    assert "did you mean 'amount'?" in result.stderr


def test_add_a_web_source_and_a_fact_citing_it_with_a_phrase(tmp_path: Path) -> None:
    data = tmp_path / "market"
    shutil.copytree(FIXTURES / "market" / "data", data)
    added = run_cli("add", "source", "--id", "wire-follow-up", "--title", "Lab B ships App Y 2",
                    "--publisher", "Example Wire", "--date", "2026-01-05", "--language", "en",
                    "--kind", "news", "--url", "https://news.example.com/2026/01/05/app-y-2",
                    "--retrieved", "2026-01-06", data=data)
    assert added.exit_code == 0, added.stderr
    fact = run_cli("add", "fact", "lab-b", "competes-with", "maker-c", "--source", "wire-follow-up",
                   "--locator", "para 3", "--phrase", "Lab B: a rival of Maker C", data=data)
    assert fact.exit_code == 0, fact.stderr
    text = (data / "market.yaml").read_text(encoding="utf-8")
    assert '- {source: wire-follow-up, locator: "para 3", phrase: "Lab B: a rival of Maker C"}' in text
    without = run_cli("add", "fact", "lab-b", "competes-with", "model-x", "--source",
                      "wire-follow-up", "--locator", "para 3", data=data)
    assert without.exit_code == 1
    assert "the citation of web page 'wire-follow-up' has no key phrase" in without.stderr
    uneven = run_cli("add", "fact", "lab-b", "competes-with", "model-x", "--source",
                     "wire-follow-up", "--locator", "para 3", "--source", "lab-b-post", "--locator",
                     "para 1", "--phrase", "a rival", data=data)
    assert uneven.exit_code == 2 and "give one --phrase for each --source" in uneven.stderr


def test_missing_fields_are_asked_for_only_at_a_terminal(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_cli("add", "fact", "kling", "integrates", data=data, input="veo\n")
    assert result.exit_code == 2
    assert "missing OBJECT, --source" in result.stderr
    monkeypatch.setattr(kg.cli.curate, "_stdin_is_terminal", lambda: True)
    result = run_cli("add", "fact", "kling", "integrates", data=data,
                     input="veo\ndayulejia-sora2-jimeng-kling\n§02, para 9\n")
    assert result.exit_code == 0, result.output
    assert "added fact kling--integrates--veo at " in result.stdout
    assert problems_in(data) == []


def test_add_refuses_data_that_is_invalid_already(data: Path) -> None:
    path = data / "kuaishou.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("relation: develops", "relation: develop", 1),
                    encoding="utf-8")
    before = snapshot(data)
    result = run_cli("add", "fact", "kling", "integrates", "veo", *SOURCE, data=data)
    assert result.exit_code == 1
    assert "unknown relation 'develop'" in result.stderr
    assert snapshot(data) == before


# --- kg import csv ---------------------------------------------------------------------------


def register_fixture_source(data: Path) -> None:
    result = run_cli("add", "source", "--id", "fixture-chart", "--title", "Fixture chart",
                     "--publisher", "Fixture Press", "--date", "2025-11", "--language", "en",
                     "--published-in", "Test fixture, not published", data=data)
    assert result.exit_code == 0, result.output


def test_import_fifty_rows_dry_run_then_for_real(data: Path) -> None:
    register_fixture_source(data)
    before = snapshot(data)
    args = ("import", "csv", str(CSV / "ranks.csv"), "--mapping", str(CSV / "ranks-mapping.yaml"))
    dry = run_cli(*args, "--dry-run", data=data)
    assert dry.exit_code == 0, dry.output
    lines = dry.stdout.splitlines()
    assert lines[-1] == "50 added, 0 changed, 0 unchanged, 0 rows refused"
    assert lines[0].startswith("+ figure sora-app--chart-rank--2026-11-01  (row 2 → ")
    assert snapshot(data) == before
    real = run_cli(*args, data=data)
    assert real.exit_code == 0, real.output
    assert real.stdout.splitlines()[0] == "50 added, 0 changed, 0 unchanged, 0 rows refused"
    after = snapshot(data)
    found = hunks(before, after)
    assert [name for name, _lines in found] == ["market.yaml"]
    assert comments(after) == comments(before)
    assert problems_in(data) == []
    assert '      - {source: fixture-chart, locator: "2026-11-01, row 2"}' in after["market.yaml"]
    assert "    where: app-store" in after["market.yaml"]
    # Importing again changes nothing; a corrected cell changes that one record.
    again = run_cli(*args, "--dry-run", data=data)
    assert again.stdout.splitlines()[-1] == "0 added, 0 changed, 50 unchanged, 0 rows refused"
    fixed = data.parent / "ranks.csv"
    fixed.write_text((CSV / "ranks.csv").read_text().replace("Threads,2026-11-03,6", "Threads,2026-11-03,1"))
    changed = run_cli("import", "csv", str(fixed), "--mapping", str(CSV / "ranks-mapping.yaml"),
                      "--dry-run", data=data)
    assert changed.stdout.splitlines()[0].startswith("~ figure threads--chart-rank--2026-11-03  (row 14 → ")
    assert changed.stdout.splitlines()[1] == "    value: 6 → 1"
    assert changed.stdout.splitlines()[-1] == "0 added, 1 changed, 49 unchanged, 0 rows refused"
    result = run_cli("import", "csv", str(fixed), "--mapping", str(CSV / "ranks-mapping.yaml"), data=data)
    assert result.exit_code == 0
    assert len(hunks(after, snapshot(data))) == 1
    assert problems_in(data) == []


def test_one_bad_row_changes_nothing_and_is_named(data: Path) -> None:
    register_fixture_source(data)
    before = {p: p.read_bytes() for p in data.rglob("*")}
    args = ("import", "csv", str(CSV / "ranks-one-bad-row.csv"), "--mapping",
            str(CSV / "ranks-mapping.yaml"))
    dry = run_cli(*args, "--dry-run", data=data)
    assert dry.exit_code == 1
    assert "! row 25: no entity named 'Instagrm Pro' (did you mean 'instagram' or 'reels'?)" in dry.stdout
    assert dry.stdout.splitlines()[-1] == "49 added, 0 changed, 0 unchanged, 1 row refused"
    real = run_cli(*args, data=data)
    assert real.exit_code == 1
    assert real.stderr.splitlines() == [
        "row 25: no entity named 'Instagrm Pro' (did you mean 'instagram' or 'reels'?)",
        "error: nothing imported: 1 problem"]
    assert {p: p.read_bytes() for p in data.rglob("*")} == before


def test_rows_refused_by_validation_are_named(data: Path, tmp_path: Path) -> None:
    register_fixture_source(data)
    sheet = tmp_path / "facts.csv"
    sheet.write_text("Who,What,Whom,Para\nKling,integrates,Veo,3\nKling,develops,Veo,4\n"
                     "Veo,competes-with,Sora 2,5\n", encoding="utf-8")
    mapping = tmp_path / "facts.yaml"
    mapping.write_text("record: fact\ncolumns: {Who: subject, What: relation, Whom: object}\n"
                       "source: fixture-chart\nlocator: \"para {Para}\"\n", encoding="utf-8")
    before = snapshot(data)
    result = run_cli("import", "csv", str(sheet), "--mapping", str(mapping), data=data)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "row 3: fact kling--develops--veo: 'develops' does not take a product ('kling') as subject "
        "(hint: allowed: organization)",
        "row 4: fact veo--competes-with--sora-2: symmetric fact stated twice: veo competes-with sora-2 "
        f"(hint: {result.stderr.split('(hint: ')[2].split(' states')[0]} states it already; "
        "'competes-with' holds both ways, so state it once)",
        "error: nothing imported: 2 problems"]
    assert snapshot(data) == before


def test_import_entities_with_labels_and_their_company(data: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "models.csv"
    sheet.write_text("Name,Chinese,Company,Aliases\nKling 3,可灵3,Kuaishou,K3; Kling Three\n",
                     encoding="utf-8")
    mapping = tmp_path / "models.yaml"
    mapping.write_text("record: entity\ncolumns:\n  Name: labels.en\n  Chinese: labels.zh-Hans\n"
                       "  Company: of\n  Aliases: aliases\nfixed:\n  type: model\n", encoding="utf-8")
    result = run_cli("import", "csv", str(sheet), "--mapping", str(mapping), data=data)
    assert result.exit_code == 0, result.output
    text = (data / "kuaishou.yaml").read_text(encoding="utf-8")
    assert ("  - id: kling-3\n    type: model\n    labels: {en: Kling 3, zh-Hans: 可灵3}\n"
            "    aliases: [K3, Kling Three]\n") in text


@pytest.mark.parametrize(("mapping", "message"), [
    ("record: figure\ncolumns: {App: entty}\nsource: s\nlocator: x\n",
     "ranks-mapping.yaml:2:16: a figure has no field 'entty'"),
    ("record: figur\ncolumns: {}\n", "ranks-mapping.yaml:1:9: unknown record 'figur'"),
    ("record: figure\ncolumns: {App: entity}\n", "a figure needs a source"),
    ("record: figure\ncolumns: {App: entity}\nsource: s\n", "give 'locator' with 'source'"),
    ("record: figure\ncolums: {App: entity}\n", "unknown key 'colums' in the mapping"),
    ("record: figure\ncolumns: {App: entity.x}\nsource: s\nlocator: x\n", "'entity' is not a mapping"),
    ("record: !!python/object:os.system figure\n", "unsupported YAML tag"),
])
def test_bad_mappings_are_named_with_their_position(tmp_path: Path, mapping: str, message: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ranks-mapping.yaml").write_text(mapping, encoding="utf-8")
    result = run_cli("import", "csv", str(CSV / "ranks.csv"), "--mapping", "ranks-mapping.yaml")
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty"),
    (b"App,Date\n\xff\n", "not UTF-8"),
    (b"Name,Date,Rank\nSora app,2025-11-01,1\n", "no column 'App' (columns: Name, Date, Rank)"),
    (b"App,Date,Rank\nSora app,2025-11-01,\n", "give exactly one of 'value' or 'range'"),
    (b"App,Date,Rank\nSora app,2025-11-31,1\n", "row 2: since: '2025-11-31' is not a day"),
])
def test_bad_spreadsheets(data: Path, tmp_path: Path, content: bytes, message: str) -> None:
    register_fixture_source(data)
    sheet = tmp_path / "sheet.csv"
    sheet.write_bytes(content)
    before = snapshot(data)
    result = run_cli("import", "csv", str(sheet), "--mapping", str(CSV / "ranks-mapping.yaml"), data=data)
    assert result.exit_code == 1
    assert message in result.output
    assert snapshot(data) == before


def test_import_changes_an_entity_keeping_what_the_row_does_not_give(data: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "labels.csv"
    sheet.write_text("Id,Name,Japanese\nkling,Kling,クリング\n", encoding="utf-8")
    mapping = tmp_path / "labels.yaml"
    mapping.write_text("record: entity\ncolumns: {Id: id, Name: labels.en, Japanese: aliases}\n"
                       "fixed: {type: product}\n", encoding="utf-8")
    before = snapshot(data)
    dry = run_cli("import", "csv", str(sheet), "--mapping", str(mapping), "--dry-run", data=data)
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.splitlines()[:3] == [
        dry.stdout.splitlines()[0], '    aliases: ["Kling AI", "可灵AI"] → ["クリング"]',
        "0 added, 1 changed, 0 unchanged, 0 rows refused"]
    assert dry.stdout.startswith("~ entity kling  (row 2 → ")
    result = run_cli("import", "csv", str(sheet), "--mapping", str(mapping), data=data)
    assert result.exit_code == 0, result.output
    text = snapshot(data)["kuaishou.yaml"]
    assert "    labels: {en: Kling, zh-Hans: 可灵, zh-Hant: 可靈}\n    aliases: [クリング]\n" in text
    assert len(hunks(before, snapshot(data))) == 1


def test_an_entity_asks_where_it_belongs_at_a_terminal(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kg.cli.curate, "_stdin_is_terminal", lambda: True)
    result = run_cli("add", "entity", data=data, input="model\nKling 3\n可灵\n")
    assert result.exit_code == 0, result.output
    assert "added entity kling-3 at " in result.stdout and "kuaishou.yaml:" in result.stdout


def test_an_entity_with_its_first_facts_leaves_the_data_valid(data: Path) -> None:
    before = snapshot(data)
    result = run_cli("add", "entity", "Kling 3", "--type", "model", "--of", "kuaishou",
                     "--fact-in", "快手", "develops", "--fact", "successor-of", "Kling 2.0", *SOURCE,
                     data=data)
    assert result.exit_code == 0, result.output
    heads = [line.split(" at ")[0] for line in result.stdout.splitlines() if line.startswith("added ")]
    assert heads == ["added entity kling-3", "added fact kling-3--successor-of--kling-2-0",
                     "added fact kuaishou--develops--kling-3"]
    assert "note:" not in result.stderr
    assert problems_in(data) == []
    assert [name for name, _lines in hunks(before, snapshot(data))] == ["kuaishou.yaml", "kuaishou.yaml"]
    assert comments(snapshot(data)) == comments(before)


@pytest.mark.parametrize(("args", "message"), [
    (["--fact-in", "kuaishou", "develop", *SOURCE],
     "Invalid value for '--fact-in': unknown relation 'develop'"),
    (["--fact-in", "kuaishou", "develops"], "cite the facts of --fact and --fact-in with --source"),
    (SOURCE, "--source and --locator cite the facts of --fact and --fact-in"),
])
def test_first_facts_usage_errors(data: Path, args: list[str], message: str) -> None:
    before = snapshot(data)
    result = run_cli("add", "entity", "Kling 3", "--type", "model", "--of", "kuaishou", *args, data=data)
    assert result.exit_code == 2
    assert message in result.stderr
    assert snapshot(data) == before


def test_first_facts_refused_by_validation(data: Path) -> None:
    before = snapshot(data)
    result = run_cli("add", "entity", "Kling 3", "--type", "model", "--of", "kuaishou",
                     "--fact", "develops", "kling", *SOURCE, data=data)
    assert result.exit_code == 1
    assert ("fact kling-3--develops--kling: 'develops' does not take a model ('kling-3') as subject "
            "(hint: allowed: organization)") in result.stderr
    assert snapshot(data) == before


def test_an_import_past_its_time_limit_is_stopped(data: Path) -> None:
    register_fixture_source(data)
    before = snapshot(data)
    result = run_cli("import", "csv", str(CSV / "ranks.csv"), "--mapping", str(CSV / "ranks-mapping.yaml"),
                     "--timeout", "0.001", data=data)
    assert result.exit_code == 1
    assert "importing " in result.stderr and "took longer than 0.001 s and was stopped" in result.stderr
    assert snapshot(data) == before


def test_a_source_with_its_text_and_publisher_entity(data: Path) -> None:
    result = run_cli("add", "source", "--title", "Notes", "--publisher", "Node Finance", "--date", "2025-10",
                     "--language", "zh-Hant", "--published-in", "A test record", "--publisher-entity",
                     "節點財經", "--text", "file=notes*.txt", "--text", "paragraphs=lines", data=data)
    assert result.exit_code == 0, result.output
    assert "    publisher_entity: node-finance" in result.stdout.splitlines()
    assert "    text: {file: notes*.txt, paragraphs: lines}" in result.stdout.splitlines()
    assert problems_in(data) == []


# --- writers at once: real processes on one data folder ------------------------------------

def _kg_process(data: Path, cache: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "KG_CACHE_DIR": str(cache)}
    return subprocess.Popen([sys.executable, "-m", "kg", "--data", str(data), *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _figure(number: int, file: str) -> list[str]:
    return ["add", "figure", "可灵", "revenue", "--value", str(1000 + number), "--scale", "million",
            "--unit", "CNY", "--since", f"{1900 + number}-01", "--source",
            "dayulejia-sora2-jimeng-kling", "--locator", f"parallel {number}", "--file", file]


def test_parallel_adds_keep_every_record(data: Path, tmp_path: Path) -> None:
    """N ``kg add`` at once into one file and into others: each one's record is kept, and the
    data stays valid (without the folder lock, all but one were lost)."""
    count = depth(8, 20)
    files = ["market.yaml", "market.yaml", "kuaishou.yaml", "claims.yaml"]
    register_fixture_source(data)
    ranks_before = (data / "market.yaml").read_text(encoding="utf-8").count("metric: chart-rank")
    processes = [_kg_process(data, tmp_path / "cache", *_figure(n, files[n % len(files)]))
                 for n in range(count)]
    # A CSV import of fifty figures into market.yaml among them.
    processes.append(_kg_process(data, tmp_path / "cache", "import", "csv", str(CSV / "ranks.csv"),
                                 "--mapping", str(CSV / "ranks-mapping.yaml")))
    outcomes = [(p.wait(timeout=600), p.stderr.read() if p.stderr else "") for p in processes]
    assert all(code == 0 for code, _err in outcomes), outcomes
    text = "".join((data / name).read_text(encoding="utf-8") for name in set(files))
    assert sorted(int(n) for n in re.findall(r'locator: "parallel (\d+)"', text)) == list(range(count))
    ranks = (data / "market.yaml").read_text(encoding="utf-8").count("metric: chart-rank")
    assert ranks == ranks_before + 50
    _loaded, problems = check(data)
    assert problems == []
    assert not [p.name for p in data.iterdir() if p.name.startswith(".")]  # no lock, no leftovers


def test_one_symmetric_fact_added_twice_at_once_into_two_files(data: Path, tmp_path: Path) -> None:
    """The same competition stated at once in two files: one add wins, the other is refused
    by the check it makes under the lock, and the data stays valid."""
    cite = ["--source", "dayulejia-sora2-jimeng-kling", "--locator", "para 1"]
    for _trial in range(depth(2, 10)):
        folder = tmp_path / f"trial-{_trial}"
        shutil.copytree(data, folder)
        processes = [_kg_process(folder, tmp_path / "cache", "add", "fact", "meta", "competes-with",
                                 "kuaishou", *cite, "--file", "market.yaml"),
                     _kg_process(folder, tmp_path / "cache", "add", "fact", "kuaishou",
                                 "competes-with", "meta", *cite, "--file", "kuaishou.yaml")]
        codes = sorted(p.wait(timeout=600) for p in processes)
        assert codes == [0, 1]
        _loaded, problems = check(folder)
        assert problems == []


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs (not even the writer's clean-up)."""


def test_a_write_killed_between_its_renames_is_finished_by_the_next_command(
        data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``kg add entity --fact`` writes two files; killed after the first rename, the journal
    it left makes the next command finish the second before it reads anything."""
    import kg.util.journal as journal

    renamed: list[str] = []
    real_replace = os.replace

    def dies_after_one(source: str, target: str | Path) -> None:
        if str(target).endswith(journal.JOURNAL_NAME):
            return real_replace(source, target)
        if renamed:
            raise Killed  # as if killed here
        renamed.append(str(target))
        return real_replace(source, target)

    monkeypatch.setattr(journal.os, "replace", dies_after_one)
    with pytest.raises(Killed):
        run_cli("add", "entity", "Kling 9", "--type", "model", "--of", "kling", "--fact-in",
                "kuaishou", "develops", *SOURCE, "--file", "market.yaml", data=data)
    monkeypatch.setattr(journal.os, "replace", real_replace)
    assert (data / journal.JOURNAL_NAME).exists() and len(renamed) == 1
    result = run_cli("validate", data=data)
    assert result.exit_code == 0, result.output
    assert not (data / journal.JOURNAL_NAME).exists()
    assert not [p.name for p in data.iterdir() if p.name.endswith(".tmp")]
    shown = run_cli("show", "kling-9", data=data)
    assert "Kuaishou" in shown.stdout, shown.output


def test_modes_and_symlinks_of_data_files_are_kept(data: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.yaml"
    shutil.move(data / "claims.yaml", elsewhere)
    (data / "claims.yaml").symlink_to(elsewhere)
    (data / "market.yaml").chmod(0o600)
    assert run_cli(*_figure(1, "market.yaml"), data=data).exit_code == 0
    assert run_cli(*_figure(2, "claims.yaml"), data=data).exit_code == 0
    assert (data / "market.yaml").stat().st_mode & 0o777 == 0o600
    assert (data / "claims.yaml").is_symlink()
    assert "parallel 2" in elsewhere.read_text(encoding="utf-8")
    # kg fmt, too: a file out of layout is rewritten in place of the link's target.
    elsewhere.write_text(elsewhere.read_text(encoding="utf-8") + "\n\n\n", encoding="utf-8")
    elsewhere.chmod(0o640)
    result = run_cli("fmt", data=data)
    assert result.exit_code == 0, result.output
    assert (data / "claims.yaml").is_symlink() and elsewhere.stat().st_mode & 0o777 == 0o640
    assert run_cli("fmt", "--check", data=data).exit_code == 0


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "huge"])
def test_fmt_refuses_special_and_oversized_files_before_reading(
        data: Path, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.util.journal

    locked: list[Path] = []
    real_lock = kg.util.journal.folder_lock

    def recorded(folder: Path, *args: object, **kwargs: object) -> object:
        locked.append(Path(folder))
        return real_lock(folder, *args, **kwargs)

    monkeypatch.setattr(kg.util.journal, "folder_lock", recorded)
    target = data / "x.yaml"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "dev-zero":
        target.symlink_to("/dev/zero")
    else:
        with target.open("wb") as handle:
            handle.truncate(11_000_000)  # sparse: nothing to read is written
    for args in (["fmt", str(target)], ["fmt", "--check", str(target)]):
        result = run_cli(*args, data=data)
        assert result.exit_code == 1
        assert "cannot read the file: " in result.stderr
        assert "Traceback" not in result.output
    assert locked == [data]  # the folder the name is in, never where a link points (/dev)


def test_an_editors_lock_file_is_ignored_with_a_note(data: Path) -> None:
    (data / ".#market.yaml").symlink_to("root@host.1234:1700000000")  # as Emacs makes it
    result = run_cli("validate", data=data)
    assert result.exit_code == 0, result.output
    assert "note: " in result.stderr and ".#market.yaml is a hidden file" in result.stderr
