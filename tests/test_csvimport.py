"""kg.curation.csvimport: mapping files, reading spreadsheets, rows -> drafts, the dry-run report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, SEEDS

from kg.curation.csvimport import describe, import_csv, read_mapping, read_rows
from kg.curation.curate import Curator
from kg.data.ontology import load_ontology
from kg.errors import DataError, KgError

CSV = FIXTURES / "csv-import"


def test_read_mapping() -> None:
    mapping = read_mapping(CSV / "ranks-mapping.yaml", "ranks-mapping.yaml")
    assert mapping.section == "figures"
    assert mapping.columns == {"App": "entity", "Date": "since", "Rank": "value"}
    assert mapping.fixed == {"metric": "chart-rank", "where": "App Store"}
    assert (mapping.source, mapping.locator, mapping.file) == ("fixture-chart", "{Date}, row {row}", None)


def test_read_mapping_reports_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("record: fact\ncolumns: {A: subjekt, B: objekt}\nfixed: {relaton: uses}\n",
                    encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_mapping(path, "m.yaml")
    assert [str(p) for p in info.value.problems] == [
        "m.yaml:1:1: a fact needs a source: give 'source' (and 'locator') in the mapping",
        "m.yaml:2:14: a fact has no field 'subjekt' (hint: fields: id, subject, relation, object, kind, "
        "claimed_by, since, until, since_basis, until_basis, qualifiers, rank, rank_reason, sources, note)",
        "m.yaml:2:26: a fact has no field 'objekt' (hint: fields: id, subject, relation, object, kind, "
        "claimed_by, since, until, since_basis, until_basis, qualifiers, rank, rank_reason, sources, note)",
        "m.yaml:3:9: a fact has no field 'relaton' (hint: fields: id, subject, relation, object, kind, "
        "claimed_by, since, until, since_basis, until_basis, qualifiers, rank, rank_reason, sources, note)",
    ]
    path.write_text("", encoding="utf-8")
    with pytest.raises(DataError, match="1 problem"):
        read_mapping(path, "m.yaml")


def test_read_rows(tmp_path: Path) -> None:
    header, rows = read_rows(CSV / "ranks.csv", "ranks.csv")
    assert header == ["App", "Date", "Rank"]
    assert len(rows) == 50
    assert rows[0] == {"App": "Sora app", "Date": "2026-11-01", "Rank": "2"}
    path = tmp_path / "q.csv"
    path.write_bytes('\ufeffA,B\n"x, y",2\n,\n'.encode())
    assert read_rows(path, "q.csv") == (["A", "B"], [{"A": "x, y", "B": "2"}, {}])


def test_import_plan_and_report(tmp_path: Path) -> None:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    sheet = tmp_path / "facts.csv"
    sheet.write_text("Who,Whom,Para\nKling,Veo,9\nKling,Nobody,9\n", encoding="utf-8")
    mapping = tmp_path / "m.yaml"
    mapping.write_text("record: fact\ncolumns: {Who: subject, Whom: object}\nfixed: {relation: integrates}\n"
                       "source: dayulejia-sora2-jimeng-kling\nlocator: \"§02, para {Para}\"\n",
                       encoding="utf-8")
    curator = Curator(tmp_path / "seeds", load_ontology())
    result = import_csv(curator, sheet, "facts.csv", read_mapping(mapping, "m.yaml"))
    assert result.refused == ["row 3: no entity named 'Nobody'"]
    [change] = result.changes
    assert change.draft.record["sources"] == [{"source": "dayulejia-sora2-jimeng-kling",
                                               "locator": "§02, para 9"}]
    lines = describe(result)
    assert lines[0].startswith("+ fact kling--integrates--veo  (row 2 → ")
    assert lines[1:] == ["! row 3: no entity named 'Nobody'",
                         "1 added, 0 changed, 0 unchanged, 1 row refused"]


def test_locator_pattern_naming_no_column(tmp_path: Path) -> None:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    mapping = tmp_path / "m.yaml"
    mapping.write_text("record: figure\ncolumns: {App: entity, Rank: value, Date: since}\n"
                       "fixed: {metric: chart-rank}\nsource: node-finance-sora2\nlocator: \"{Page}\"\n",
                       encoding="utf-8")
    curator = Curator(tmp_path / "seeds", load_ontology())
    result = import_csv(curator, CSV / "ranks.csv", "ranks.csv", read_mapping(mapping, "m.yaml"))
    assert result.refused[0] == "row 2: the pattern '{Page}' names no column 'Page'"
    assert len(result.refused) == 50


def test_rows_citing_a_web_page_carry_their_phrases(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "market" / "data", tmp_path / "data")
    sheet = tmp_path / "rivals.csv"
    sheet.write_text("Who,Whom,Para,Phrase\nLab B,Maker C,4,Lab B's video app\n"
                     "Lab B,Model X,4,\n", encoding="utf-8")
    mapping = tmp_path / "m.yaml"
    mapping.write_text("record: fact\ncolumns: {Who: subject, Whom: object}\n"
                       "fixed: {relation: competes-with}\nsource: wire-studio-deal\n"
                       "locator: \"para {Para}\"\nphrase: \"{Phrase}\"\n", encoding="utf-8")
    curator = Curator(tmp_path / "data", load_ontology())
    result = import_csv(curator, sheet, "rivals.csv", read_mapping(mapping, "m.yaml"))
    assert [change.draft.record["sources"] for change in result.changes] == [
        [{"source": "wire-studio-deal", "locator": "para 4", "phrase": "Lab B's video app"}],
        [{"source": "wire-studio-deal", "locator": "para 4"}]]
    # The row without a phrase cites a web page without one: validation refuses the import.
    assert [problem.split(": ", 1)[0] for problem in result.problems] == ["row 3"]
    assert "the citation of web page 'wire-studio-deal' has no key phrase" in result.problems[0]


def test_too_large_or_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(KgError, match="cannot read the file"):
        read_rows(tmp_path / "missing.csv", "missing.csv")
    monkeypatch.setattr("kg.curation.csvimport.MAX_ROWS", 10)
    with pytest.raises(KgError, match="more than 10 rows"):
        read_rows(CSV / "ranks.csv", "ranks.csv")


def test_special_and_oversized_files_are_refused_before_reading(tmp_path: Path) -> None:
    import os
    import time

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as handle:
        handle.truncate(25_000_000)  # sparse: its size is known without reading it
    zero = tmp_path / "zero.csv"
    zero.symlink_to("/dev/zero")
    started = time.monotonic()
    for path, reason in [(fifo, "not a regular file"), (zero, "not a regular file"),
                         (huge, "larger than 20,000,000 bytes")]:
        with pytest.raises(KgError, match=f"cannot read the file: {reason}"):
            read_rows(path, path.name)
    assert time.monotonic() - started < 5
