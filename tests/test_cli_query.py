"""The query commands (kg path, neighbors, edges, timeline, rank) through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import FIXTURES, REPO, SEEDS, run_cli

SMALL = FIXTURES / "query-small"


def kg(*args: str):
    return run_cli(*args, data=SMALL)


def kg_json(*args: str):
    result = kg(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# --- kg path -----------------------------------------------------------------

def test_path_text_prints_hops_in_walking_order() -> None:
    result = kg("path", "motion", "Acme")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ("Motion ←develops— Rival Co [2024-12]\n"
                             "Rival Co —competes-with— Acme Studio\n")


def test_path_k_prints_a_header_per_path() -> None:
    result = kg("path", "acme", "motion", "-k", "3")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "path 1 of 3 (2 hops)\n"
        "  Acme Studio —competes-with— Rival Co\n"
        "  Rival Co —develops→ Motion [2024-12]\n"
        "\n"
        "path 2 of 3 (2 hops)\n"
        "  Acme Studio —partners-with— Rival Co [2025-03 – 2025-06]\n"
        "  Rival Co —develops→ Motion [2024-12]\n"
        "\n"
        "path 3 of 3 (2 hops)\n"
        "  Acme Studio —develops→ VidGen [2024-06]\n"
        "  VidGen —competes-with— Motion [until 2025-09]\n"
    )


def test_path_all_with_max_hops() -> None:
    result = kg_json("path", "acme", "motion", "--all", "--max-hops", "3")
    assert [p["length"] for p in result["paths"]] == [2, 2, 2, 2, 3, 3, 3, 3]
    assert result["filters"]["all"] is True and result["filters"]["max_hops"] == 3


def test_path_names_in_any_language() -> None:
    result = kg_json("path", "阿克米工作室", "Rival Co")
    assert result["from"] == {"id": "acme", "label": "Acme Studio"}
    assert result["to"] == {"id": "rivalco", "label": "Rival Co"}


def test_path_directed_and_symmetric() -> None:
    result = kg("path", "castle", "motion", "--directed")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == "Castle Pictures —owns→ The Knight"
    result = kg("path", "motion", "vidgen", "--directed")
    assert result.stdout == "Motion —competes-with— VidGen [until 2025-09]\n"


def test_path_via_exclude_as_of() -> None:
    via = kg_json("path", "acme", "motion", "--via", "develops", "--via", "competes-with", "-k", "9",
                  "--max-hops", "2")
    assert [[h["relation"] for h in p["hops"]] for p in via["paths"]] == [
        ["competes-with", "develops"], ["develops", "competes-with"], ["develops", "competes-with"]]
    excluded = kg_json("path", "acme", "motion", "--exclude", "competes-with")
    assert [h["relation"] for h in excluded["paths"][0]["hops"]] == ["partners-with", "develops"]
    dated = kg_json("path", "acme", "motion", "-k", "9", "--max-hops", "2", "--as-of", "2025-08")
    assert [p["hops"][0]["to"] for p in dated["paths"]] == ["rivalco", "vidgen"]
    assert dated["filters"]["as_of"] == "2025-08-31"


def test_path_explain_marks_claims_and_cites_sources() -> None:
    result = kg("path", "acme", "motion", "-k", "8", "--explain")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Clipper —threatens→ FeedTube [2025-10] (claim by Dana Analyst)" in out
    assert ("kind: CLAIM by Dana Analyst (an opinion attributed to its source, not an established fact)"
            in out)
    assert "fact: clipper--threatens--feedtube--2025-10" in out
    assert ("source: trade-weekly — Fictional Trade Weekly, “A made-up trade weekly issue”, 2025-10"
            " — at §5, para 1") in out
    assert "kind: reported event" in out  # the partnership
    # One line per citation of the eight paths' hops; the claim's path ranks last, and says why.
    assert out.count("source: ") == 23
    assert ("  rank: tier 2 of 3, uses a claim (hop 2: Clipper —threatens→ FeedTube [2025-10] "
            "(claim by Dana Analyst))") in out


def test_path_json_contract() -> None:
    result = kg_json("path", "motion", "acme", "--explain")
    assert set(result) >= {"from", "to", "paths"}
    assert set(result["from"]) == {"id", "label"} and set(result["to"]) == {"id", "label"}
    hop = result["paths"][0]["hops"][0]
    assert set(hop) >= {"from", "to", "relation", "forward", "since", "until", "sources"}
    assert hop == {
        "from": "motion", "to": "rivalco", "relation": "develops", "forward": False,
        "since": "2024-12", "until": None, "sources": ["market-brief"],
        "fact": "rivalco--develops--motion--2024-12", "kind": "fact", "claimed_by": None,
        "citations": [{"source": "market-brief", "locator": "para 3", "phrase": None, "link": None,
                       "title": "A made-up market brief", "publisher": "Fictional Market Notes",
                       "date": "2025-09-15"}],
    }


def test_path_output_is_deterministic() -> None:
    first = kg("path", "acme", "motion", "--all", "--max-hops", "3", "--format", "json").stdout
    assert all(kg("path", "acme", "motion", "--all", "--max-hops", "3", "--format", "json").stdout == first
               for _ in range(3))


def test_path_no_path_names_filters() -> None:
    result = kg("path", "Acme", "Motion", "--via", "competes-with", "--as-of", "2025-09-01",
                "--max-hops", "3")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == ("error: no path from Acme Studio to Motion with --via competes-with, "
                             "--as-of 2025-09-01, --max-hops 3\n")


def test_path_unknown_entity_suggests() -> None:
    result = kg("path", "Acme Studoi", "motion")
    assert result.exit_code == 1
    assert "error: no entity named 'Acme Studoi'" in result.stderr
    assert "did you mean:" in result.stderr and "acme  (Acme Studio)" in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--via", "competes"], "did you mean 'competes-with'"),
    (["--exclude", "devlops"], "'--exclude'"),
    (["--as-of", "2025-13"], "has no month 13"),
    (["--as-of", "last week"], "not an ISO date"),
    (["--all"], "--all needs a bound"),
    (["--all", "--max-hops", "3", "-k", "2"], "either -k or --all"),
    (["-k", "0"], "-k"),
    (["--max-hops", "0"], "--max-hops"),
    (["--format", "yaml"], "--format"),
])
def test_path_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = kg("path", "acme", "motion", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_path_unknown_relation_names_the_option() -> None:
    result = kg("path", "acme", "motion", "--via", "competes")
    assert "Invalid value for '--via': unknown relation 'competes'; did you mean 'competes-with'" \
        in result.stderr


def test_path_same_entity_is_a_usage_error() -> None:
    result = kg("path", "acme", "阿克米工作室")
    assert result.exit_code == 2
    assert "FROM and TO are the same entity (Acme Studio)" in result.stderr


def test_path_does_not_import_rdf_or_html_libraries() -> None:
    argv = ["--data", str(SMALL), "path", "acme", "motion", "--explain"]
    code = ("import sys; from kg.cli import main\n"
            f"main({argv!r}, standalone_mode=False)\n"
            "print(sorted(m for m in ('rdflib', 'pyvis', 'pyshacl') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                          check=True)
    assert done.stdout.splitlines()[-1] == "[]"



@pytest.mark.parametrize("options", [[], ["-k", "3", "--explain"], ["--all", "--max-hops", "3"],
                                     ["--as-of", "2025-09-30", "--format", "json"]])
def test_path_does_not_import_networkx(options: list[str]) -> None:
    """A path is searched on adjacency lists of its own: importing networkx alone would take
    longer than the answer (it is imported only for the rare k-shortest search past the
    shortest length that no listing holds)."""
    argv = ["--data", str(SMALL), "path", "acme", "motion", *options]
    code = ("import sys; from kg.cli import main\n"
            f"main({argv!r}, standalone_mode=False)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'networkx'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                          check=True)
    assert "Acme Studio" in done.stdout
    assert done.stdout.splitlines()[-1] == "[]"

# --- kg neighbors ------------------------------------------------------------

def test_neighbors_text() -> None:
    result = kg("neighbors", "feedtube")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "1  Dana Analyst  [person]  analyst\n"
        "     FeedTube ←claims— Dana Analyst [2025-10] (claim) (reference: claimed_by of fact "
        "clipper--threatens--feedtube--2025-10)\n"
        "1  Clipper  [app]  clipper\n"
        "     FeedTube ←threatens— Clipper [2025-10] (claim by Dana Analyst)\n"
        "1  Motion  [model]  motion\n"
        "     FeedTube —integrates→ Motion [2025-10]\n"
    )


def test_neighbors_options() -> None:
    out = kg_json("neighbors", "motion", "--direction", "out")
    assert [n["id"] for n in out["neighbors"]] == ["vidgen", "vidgen-2"]
    deep = kg_json("neighbors", "motion", "--depth", "2", "--as-of", "2025-09")
    assert [(n["depth"], n["id"]) for n in deep["neighbors"]] == [
        (1, "rivalco"), (1, "vidgen"), (2, "acme"), (2, "vidgen-2")]
    only = kg_json("neighbors", "acme", "--relation", "develops", "--relation", "owns")
    assert [n["id"] for n in only["neighbors"]] == ["clipper", "vidgen", "vidgen-2"]
    assert only["entity"] == {"id": "acme", "label": "Acme Studio"}


def test_neighbors_errors() -> None:
    none = kg("neighbors", "analyst", "--relation", "develops")
    assert none.exit_code == 1 and "Dana Analyst has no neighbors" in none.stderr
    unknown = kg("neighbors", "Nobody Known")
    assert unknown.exit_code == 1 and "no entity named" in unknown.stderr
    for args, message in ((["--relation", "own"], "did you mean 'owns'"),
                          (["--direction", "up"], "--direction"),
                          (["--depth", "0"], "--depth"),
                          (["--as-of", "2025-02-30"], "not a day of the calendar")):
        result = kg("neighbors", "acme", *args)
        assert result.exit_code == 2, args
        assert message in result.stderr


# --- kg edges ----------------------------------------------------------------

def test_edges_text() -> None:
    result = kg("edges", "--relation", "competes-with", "--subject-type", "product")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ("Motion —competes-with— VidGen 2 [2025-10]\n"
                             "VidGen —competes-with— Motion [until 2025-09]\n")


def test_edges_filters() -> None:
    assert len(kg_json("edges")) == 16 + 2  # with the claimant's reference edges
    claims = kg_json("edges", "--kind", "claim", "--relation", "threatens")
    assert [(c["id"], c["kind"], c["claimed_by"]) for c in claims] == [
        ("clipper--threatens--feedtube--2025-10", "claim", "analyst")]
    products = kg_json("edges", "--relation", "develops", "--object-type", "product")
    assert [f["object"] for f in products] == ["vidgen", "vidgen-2", "motion"]
    dated = kg_json("edges", "--relation", "competes-with", "--as-of", "2025-08")
    assert [f["id"] for f in dated] == ["acme--competes-with--rivalco", "vidgen--competes-with--motion"]
    assert dated[0]["subject_label"] == "Acme Studio"


def test_edges_errors() -> None:
    none = kg("edges", "--relation", "develops", "--object-type", "app")
    assert none.exit_code == 1 and "no fact matches these filters" in none.stderr
    for args, message in ((["--relation", "opted-out"], "did you mean 'opted-out-of'"),
                          (["--subject-type", "company"], "'--subject-type'"),
                          (["--object-type", "modle"], "did you mean 'model'"),
                          (["--kind", "rumour"], "'--kind'"),
                          (["--as-of", "2025-1"], "not an ISO date")):
        result = kg("edges", *args)
        assert result.exit_code == 2, args
        assert message in result.stderr


# --- kg timeline -------------------------------------------------------------

def test_timeline_text() -> None:
    result = kg("timeline", "clipper", "--since", "2025-10")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "2025-10     Clipper —threatens→ FeedTube [2025-10] (claim by Dana Analyst)\n"
        "2025-10-01  Clipper downloads: 100 thousand downloads [2025-10-01]\n"
        "2025-10-02  The Knight —appeared-in→ Clipper [2025-10-02]\n"
    )


def test_timeline_json() -> None:
    rows = kg_json("timeline")
    assert len(rows) == 14
    assert all({"date", "id", "kind", "text"} <= set(row) for row in rows)
    assert rows[0]["date"] == "2024-06" and rows[-1]["date"] == "2025-10-02"
    assert {row["record"] for row in rows} == {"fact", "figure"}
    only = kg_json("timeline", "--relation", "develops", "--until", "2024")
    assert [row["id"] for row in only] == ["acme--develops--vidgen--2024-06",
                                          "rivalco--develops--motion--2024-12"]
    figures = kg_json("timeline", "--metric", "downloads")
    assert [(row["entity"], row["metric"]) for row in figures] == [("clipper", "downloads")]


def test_timeline_errors() -> None:
    none = kg("timeline", "--until", "2020")
    assert none.exit_code == 1 and "no dated fact or figure" in none.stderr
    assert kg("timeline", "Nobody Known").exit_code == 1
    for args, message in ((["--metric", "download"], "did you mean 'downloads'"),
                          (["--relation", "integrate"], "'--relation'"),
                          (["--since", "soon"], "not an ISO date"),
                          (["--until", "2025-00"], "has no month 0")):
        result = kg("timeline", *args)
        assert result.exit_code == 2, args
        assert message in result.stderr


# --- kg rank -----------------------------------------------------------------

def test_rank_text() -> None:
    result = kg("rank", "--limit", "3")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ("  1         6  Clipper  [app]  clipper\n"
                             "  2         5  Acme Studio  [organization]  acme\n"
                             "  3         4  Motion  [model]  motion\n")
    between = kg("rank", "--metric", "betweenness", "--limit", "1")
    assert between.stdout == "  1  0.581481  Clipper  [app]  clipper\n"


def test_rank_json_and_filters() -> None:
    rows = kg_json("rank", "--metric", "pagerank", "--type", "organization")
    assert [row["id"] for row in rows] == ["acme", "rivalco", "castle"]
    assert all(set(row) == {"rank", "id", "label", "type", "score"} for row in rows)
    develops = kg_json("rank", "--relation", "develops", "--limit", "1")
    assert develops == [{"rank": 1, "id": "acme", "label": "Acme Studio", "type": "organization",
                         "score": 2}]
    early = kg_json("rank", "--as-of", "2024-12", "--limit", "20")
    assert "vidgen-2" not in {row["id"] for row in early}


def test_rank_errors() -> None:
    for args, message in ((["--metric", "closeness"], "--metric"),
                          (["--type", "products"], "did you mean 'product'"),
                          (["--relation", "own"], "'--relation'"),
                          (["--limit", "0"], "--limit"),
                          (["--as-of", "tomorrow"], "not an ISO date")):
        result = kg("rank", *args)
        assert result.exit_code == 2, args
        assert message in result.stderr


# --- the shipped data --------------------------------------------------------
# Only facts the dataset is certain to hold: Disney opted out of Sora's
# copyright arrangements, Kling competes with Sora 2.

def shipped(*args: str):
    result = run_cli(*args, data=SEEDS)
    assert result.exit_code == 0, result.stderr
    return result


def test_shipped_path_from_disney_to_kling() -> None:
    result = json.loads(shipped("path", "Disney", "Kling", "--format", "json").stdout)
    assert result["to"]["id"] == "kling"
    hops = result["paths"][0]["hops"]
    assert hops and hops[-1]["to"] == "kling"
    assert all(a["to"] == b["from"] for a, b in zip(hops, hops[1:], strict=False))
    assert shipped("path", "Disney", "可灵", "--explain").stdout.strip()


def test_shipped_neighbors_of_sora_2() -> None:
    result = json.loads(shipped("neighbors", "Sora 2", "--format", "json").stdout)
    assert result["neighbors"]
    assert "kling" in {n["id"] for n in result["neighbors"]}


def test_shipped_edges_timeline_rank() -> None:
    opt_outs = json.loads(shipped("edges", "--relation", "opted-out-of", "--format", "json").stdout)
    assert "disney" in {fact["subject"] for fact in opt_outs}
    rows = json.loads(shipped("timeline", "--format", "json").stdout)
    dates = [row["date"] for row in rows]
    assert rows and all(row["date"] for row in rows)
    assert dates[0] <= dates[-1]
    ranked = json.loads(shipped("rank", "--metric", "pagerank", "--format", "json").stdout)
    assert len(ranked) == 10


def test_path_kind_leaves_claims_out() -> None:
    assert kg("path", "clipper", "feedtube").stdout == (
        "Clipper —threatens→ FeedTube [2025-10] (claim by Dana Analyst)\n")
    result = kg("path", "clipper", "feedtube", "--kind", "fact", "--kind", "event")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ("Clipper —integrates→ VidGen 2 [2025-09]\n"
                             "VidGen 2 —competes-with— Motion [2025-10]\n"
                             "Motion ←integrates— FeedTube [2025-10]\n")
    assert kg_json("path", "clipper", "feedtube", "--kind", "fact")["filters"]["kinds"] == ["fact"]


def test_path_kind_errors() -> None:
    result = kg("path", "clipper", "feedtube", "--kind", "opinion")
    assert result.exit_code == 2
    assert "unknown fact kind 'opinion'" in result.stderr
    result = kg("path", "acme", "motion", "--kind", "claim")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no path from Acme Studio to Motion with --kind claim")


def test_figures_print_their_notes_and_qualifiers() -> None:
    from conftest import FIXTURES, run_cli

    out = run_cli("figures", "clipmaker", data=FIXTURES / "figure-qualifiers").stdout.splitlines()
    assert out[0] == ("Clipmaker  production-time: at most 48 hours [2025-10] for an advertising "
                      "campaign made with AI tools such as Clipmaker (claim)")
    assert out[2] == '    note: The note says campaigns take "under 48 hours" with such tools.'


# --- pages and streamed paths ------------------------------------------------------------------

def test_path_all_prints_each_path_as_found_and_notes_the_cap() -> None:
    every = kg_json("path", "acme", "motion", "--all", "--max-hops", "3")["paths"]
    result = kg("path", "acme", "motion", "--all", "--max-hops", "3")
    assert result.exit_code == 0, result.stderr
    headers = [line for line in result.stdout.splitlines() if line.startswith("path ")]
    assert headers == [f"path {n} ({p['length']} hops)" for n, p in enumerate(every, start=1)]
    assert result.stdout.startswith("path 1 (2 hops)\n  Acme Studio —competes-with— Rival Co\n")
    assert result.stderr == ""
    cut = kg("path", "acme", "motion", "--all", "--max-hops", "3", "--limit", "3")
    assert cut.exit_code == 0
    assert cut.stdout == result.stdout.split("\n\npath 4 ")[0] + "\n"
    assert "note: showing the first 3 paths; there are more" in cut.stderr


@pytest.mark.parametrize("options", [
    ["--all", "--max-hops", "3"], ["--all", "--max-hops", "3", "--explain"],
    ["--all", "--max-hops", "3", "--limit", "3"], ["--all", "--max-hops", "3", "--as-of", "2025-09-30"],
    ["--all", "--max-hops", "2", "--via", "develops", "--via", "competes-with"],
    ["-k", "3"], ["-k", "5", "--explain"], ["-k", "40", "--limit", "7"], ["--directed"],
])
def test_path_json_written_path_by_path_is_the_whole_document(options: list[str]) -> None:
    """``--all`` and ``-k`` write their JSON a path at a time; the bytes are those of the whole
    answer's document (``PathResult.to_json``), and a cut list still says so (in the document
    and in a note on stderr)."""
    import kg as library

    explain = "--explain" in options
    asked = {"all": "--all" in options, "directed": "--directed" in options}
    for option, key, kind in (("--max-hops", "max_hops", int), ("-k", "k", int), ("--limit", "limit", int),
                              ("--as-of", "as_of", str)):
        if option in options:
            asked[key] = kind(options[options.index(option) + 1])
    if "as_of" in asked:
        import datetime as dt

        asked["as_of"] = dt.date.fromisoformat(asked["as_of"])
    via = [options[n + 1] for n, option in enumerate(options) if option == "--via"]
    whole = library.open(SMALL).paths("acme", "motion", via=via, **asked)
    result = kg("path", "acme", "motion", *options, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == json.dumps(whole.to_json(explain=explain), ensure_ascii=False, indent=2) + "\n"
    assert json.loads(result.stdout)["truncated"] is whole.truncated
    assert result.stderr == (whole.note + "\n" if whole.truncated else "")
    if "--limit" in options:
        assert whole.truncated and len(json.loads(result.stdout)["paths"]) == asked["limit"]


@pytest.mark.parametrize("options", [["--all", "--max-hops", "3"], ["-k", "3"], []])
def test_path_json_without_a_path_writes_nothing(options: list[str]) -> None:
    result = kg("path", "acme", "motion", *options, "--kind", "claim", "--format", "json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error: no path from Acme Studio to Motion with --kind claim")


def test_path_all_without_a_path_is_exit_1() -> None:
    result = kg("path", "acme", "motion", "--all", "--max-hops", "1")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "error: no path from Acme Studio to Motion with --max-hops 1" in result.stderr


def test_neighbors_and_edges_list_a_page_and_say_how_many_more() -> None:
    whole = kg("neighbors", "acme").stdout.splitlines()
    names = [line for line in whole if not line.startswith(" ")]
    assert len(names) > 2
    first = kg("neighbors", "acme", "--limit", "2")
    assert first.exit_code == 0
    assert first.stdout.splitlines()[-1] == f"{len(names) - 2} more neighbors (--offset 2 to see them)"
    rest = kg("neighbors", "acme", "--limit", "2", "--offset", "2").stdout.splitlines()
    assert [line for line in rest if not line.startswith(" ")][0] == names[2]
    shown = kg_json("neighbors", "acme", "--limit", "2", "--offset", "1")
    assert (shown["total"], shown["offset"], shown["limit"]) == (len(names), 1, 2)
    assert [n["id"] for n in shown["neighbors"]] == \
        [n["id"] for n in kg_json("neighbors", "acme")["neighbors"]][1:3]
    facts = kg_json("edges", "--entity", "acme")
    cut = kg("edges", "--entity", "acme", "--limit", "1")
    assert cut.stdout.splitlines()[-1] == f"{len(facts) - 1} more facts (--offset 1 to see them)"
    paged = kg("edges", "--entity", "acme", "--limit", "1", "--offset", "1", "--format", "json")
    assert json.loads(paged.stdout) == facts[1:2]
    assert f"{len(facts) - 2} more facts (--offset 2 to see them)" in paged.stderr


def test_edges_without_an_entity_list_every_fact_unless_limited() -> None:
    # The shipped data holds more than a page of facts: a listing of them all is not cut.
    every = run_cli("edges", "--format", "json", data=SEEDS)
    assert every.exit_code == 0 and "more facts" not in every.stderr
    facts = json.loads(every.stdout)
    assert len(facts) > 100
    limited = run_cli("edges", "--limit", "100", data=SEEDS)
    assert limited.stdout.splitlines()[-1] == \
        f"{len(facts) - 100} more facts (--offset 100 to see them)"


@pytest.mark.parametrize("command", [["neighbors", "rivalco"], ["edges", "--entity", "rivalco"],
                                     ["show", "rivalco"]])
@pytest.mark.parametrize(("args", "message"), [
    (["--offset", "-1"], "Invalid value for '--offset'"),
    (["--offset", "two"], "Invalid value for '--offset'"),
    (["--limit", "0"], "Invalid value for '--limit'"),
])
def test_a_bad_page_is_a_usage_error(command: list[str], args: list[str], message: str) -> None:
    result = kg(*command, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr


@pytest.mark.parametrize("command", [["neighbors", "rivalco"], ["edges", "--entity", "rivalco"],
                                     ["show", "rivalco"]])
def test_an_offset_past_the_end_says_so_and_exits_1(command: list[str]) -> None:
    result = kg(*command, "--offset", "500")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "error: offset 500 is past the end: " in result.stderr
