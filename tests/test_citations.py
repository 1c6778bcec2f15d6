"""kg.data.citations and `kg check-citations`: locators resolved against made-up source texts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

from kg.data.citations import Locator, LocatorError, Text, check_citations
from kg.data.load import load
from kg.errors import KgError

DATA = FIXTURES / "citations" / "data"
TEXTS = FIXTURES / "citations" / "texts"


# --- the locator grammar ---------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("front matter", Locator("front-matter")),
    ("intro, para 3", Locator("paragraphs", "intro", (3,))),
    ("§01, para 1-3", Locator("paragraphs", "01", (1, 2, 3))),
    ("§1, para 3, 7", Locator("paragraphs", "1", (3, 7))),
    ("§01, para 3-4, 6", Locator("paragraphs", "01", (3, 4, 6))),
    ("§ SORA2的技术突破与商业模式创新, para 2", Locator("paragraphs", "SORA2的技术突破与商业模式创新", (2,))),
    ("§ A, heading with a comma, para 2", Locator("paragraphs", "A, heading with a comma", (2,))),
    ("§01 heading", Locator("heading", "01")),
    ("§02, image caption after para 4", Locator("caption", "02", (4,))),
])
def test_locators_parse(text: str, expected: Locator) -> None:
    assert Locator.parse(text) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("page 4", "does not follow the locator grammar"),
    ("opening paragraphs", "does not follow the locator grammar"),
    ("§01, para", "does not follow the locator grammar"),
    ("§01, para 4-2", "'4-2' is no paragraph span"),
    ("§01, para 0", "'0' is no paragraph span"),
])
def test_bad_locators_are_refused(text: str, message: str) -> None:
    with pytest.raises(LocatorError, match=message):
        Locator.parse(text)


# --- reading a text --------------------------------------------------------------------------


def test_markdown_text_in_blocks() -> None:
    text = Text.parse((TEXTS / "report-2025.md").read_text(encoding="utf-8"), "blocks")
    assert text.front_matter
    assert {k: len(v) for k, v in text.sections.items()} == {"intro": 0, "Launch": 2, "Reception": 1}


def test_numbered_text_in_lines_skips_title_and_images() -> None:
    content = (TEXTS / "notes.txt").read_text(encoding="utf-8")
    text = Text.parse(content, "lines", title="Made-up notes on rights")
    assert not text.front_matter
    assert text.sections["intro"] == [
        "These notes are written for the tests and describe nothing real.", "A second intro line."]
    assert len(text.sections["01"]) == 2
    assert text.sections["02"][0] == "A caption under a picture"
    assert text.resolve(Locator.parse("front matter")) == "the text has no front matter"
    assert text.resolve(Locator.parse("§01, para 2")) is None
    assert text.resolve(Locator.parse("§02 heading")) is None
    assert text.resolve(Locator.parse("§01, para 1-3")) == "para 3 is beyond the 2 paragraphs of §01"
    assert text.resolve(Locator.parse("§3, para 1")) == (
        "no section §3 in the text (it has: intro, §01, §02)")


# --- the whole check -------------------------------------------------------------------------


def test_check_reports_every_locator_that_does_not_resolve(monkeypatch) -> None:
    monkeypatch.chdir(DATA)
    report = check_citations(load(DATA), TEXTS)
    assert report.checked == 10
    checked = {s.source.id: (s.text.name if s.text else None, s.citations) for s in report.sources}
    assert checked == {"background": (None, 0), "notes": ("notes.txt", 5),
                       "report": ("report-2025.md", 5)}
    assert [(p.ref.loc.line, p.record, p.ref.locator, p.message) for p in report.problems] == [
        (26, "studio-b--opted-out-of--app-policy--2025-10", "§01, para 3",
         "para 3 is beyond the 2 paragraphs of §01"),
        (35, "acme--announced--acme-app--2025-10-01", "page 4",
         "does not follow the locator grammar (e.g. '§01, para 3', 'intro, para 2-3', "
         "'§ Heading, para 1', 'front matter', 'para 4')"),
        (46, "acme-app--chart-rank--2025-10", "§ Sales, para 1",
         "no section § Sales in the text (it has: § Launch, § Reception)"),
    ]


def test_cli_text_and_json(monkeypatch) -> None:
    monkeypatch.chdir(DATA)
    result = run_cli("check-citations", "--texts", str(TEXTS), data=DATA)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "data.yaml:26:18: studio-b--opted-out-of--app-policy--2025-10 cites notes at "
        "'§01, para 3': para 3 is beyond the 2 paragraphs of §01")
    assert result.stderr.splitlines()[-1] == "3 problems in 10 citations checked"
    assert result.stdout.splitlines() == [
        "checked notes against notes.txt: 5 citations",
        "checked report against report-2025.md: 5 citations",
        "not checked background: no text: in the registry",
    ]
    as_json = json.loads(run_cli("check-citations", "--texts", str(TEXTS), "--format", "json",
                                 data=DATA).stdout)
    assert as_json["valid"] is False and as_json["checked"] == 10
    assert [p["locator"] for p in as_json["problems"]] == ["§01, para 3", "page 4", "§ Sales, para 1"]
    assert as_json["problems"][0] == {
        "file": "data.yaml", "line": 26, "column": 18, "source": "notes", "locator": "§01, para 3",
        "record": "studio-b--opted-out-of--app-policy--2025-10",
        "message": "para 3 is beyond the 2 paragraphs of §01"}


def test_all_resolved_exits_0(write_data, tmp_path: Path) -> None:
    sources = (DATA / "sources.yaml").read_text(encoding="utf-8")
    folder = write_data({"sources.yaml": sources, "data.yaml": """
entities:
  - {id: acme, type: organization, labels: {en: Acme}}
  - {id: acme-app, type: app, labels: {en: Acme app}}
facts:
  - {subject: acme, relation: develops, object: acme-app, kind: fact,
     sources: [{source: report, locator: "§ Reception, para 1"}, {source: notes, locator: "§02, para 2"}]}
"""})
    result = run_cli("check-citations", "--texts", str(TEXTS), data=folder)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "0 problems in 2 citations checked"


def test_texts_not_found(tmp_path: Path) -> None:
    empty = tmp_path / "texts"
    empty.mkdir()
    result = run_cli("check-citations", "--texts", str(empty), data=DATA)
    assert result.exit_code == 1
    assert f"error: no source text found in {empty}" in result.stderr
    assert "not checked notes: no file in" in result.stdout
    assert "has the SHA-256 digest f87837464bb5" in result.stdout
    assert "not checked report: no file in" in result.stdout
    # A changed text no longer has the registered digest.
    changed = tmp_path / "changed"
    shutil.copytree(TEXTS, changed)
    (changed / "notes.txt").write_text("edited\n", encoding="utf-8")
    (changed / "report-2026.md").write_text("### Launch\n", encoding="utf-8")
    shown = run_cli("check-citations", "--texts", str(changed), data=DATA)
    assert shown.exit_code == 1
    assert "not checked notes: no file in" in shown.stdout
    assert "not checked report: 2 files match 'report-*.md': report-2025.md, report-2026.md" \
        in shown.stdout


def test_not_utf8_text_is_not_checked(tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    shutil.copytree(TEXTS, texts)
    (texts / "report-2025.md").write_bytes(b"\xff\xfe not text")
    result = run_cli("check-citations", "--texts", str(texts), data=DATA)
    assert "not checked report: report-2025.md is not UTF-8 text" in result.stdout
    assert "Traceback" not in result.output


def test_usage_errors(tmp_path: Path) -> None:
    missing = run_cli("check-citations", data=DATA)
    assert missing.exit_code == 2 and "--texts" in missing.stderr
    nowhere = run_cli("check-citations", "--texts", str(tmp_path / "nowhere"), data=DATA)
    assert nowhere.exit_code == 2 and "does not exist" in nowhere.stderr
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    not_folder = run_cli("check-citations", "--texts", str(a_file), data=DATA)
    assert not_folder.exit_code == 2


def test_unreadable_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(KgError, match="cannot read the folder"):
        check_citations(load(DATA), tmp_path / "nowhere")
