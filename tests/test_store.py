"""The compiled store: answers equal to the whole dataset's, freshness, damage, concurrency."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, SEEDS, run_cli
from conftest import depth as suite_size

from kg.data.load import load
from kg.errors import DataError, KgError, LookupFailed
from kg.query.edges import edges
from kg.query.neighbors import neighbors
from kg.query.paths import NoPath, find_paths, path_subset
from kg.query.stats import summary
from kg.store import from_dataset, open_store, store_path
from kg.store.traverse import Walk, edges_subset, entity_subset, neighborhood_subset

sys.path.insert(0, str(REPO / "bench"))
from generate import generate  # noqa: E402

QUERY = FIXTURES / "query-small"
KG = [sys.executable, "-c", "from kg.cli import main; main()"]
GOOD = FIXTURES / "good-mini"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for path in GOOD.glob("*.yaml"):
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    generate(2500, folder, seed=3)
    return folder


def _paths(dataset, source, target, **options):
    try:
        result = find_paths(dataset, source, target, **options)
    except NoPath as exc:
        return str(exc)
    return [[(h.start, h.end, h.fact.id) for h in path] for path in result.paths]


PATH_OPTIONS = [
    {}, {"k": 4}, {"directed": True}, {"k": 3, "directed": True},
    {"as_of": dt.date(2025, 9, 29)}, {"kinds": ["fact", "event"]},
    {"exclude": ["competes-with"]}, {"all_paths": True, "max_hops": 3},
]


def _walk(options: dict) -> Walk:
    return Walk(via=frozenset(options.get("via", ())), exclude=frozenset(options.get("exclude", ())),
                kinds=frozenset(options.get("kinds", ())), as_of=options.get("as_of"),
                directed=options.get("directed", False))


@pytest.mark.parametrize("folder", [QUERY, FIXTURES / "paths", SEEDS],
                         ids=["query-small", "paths", "seeds"])
def test_path_answers_equal_the_whole_dataset(folder: Path, cache: Path) -> None:
    store = open_store(folder)
    whole = store.dataset()
    ids = sorted(whole.entities)[:14]
    for source, target in itertools.permutations(ids, 2):
        for options in PATH_OPTIONS:
            part = path_subset(store, source, target, _walk(options), k=options.get("k", 1),
                               all_paths=options.get("all_paths", False),
                               max_hops=options.get("max_hops"))
            assert _paths(part, source, target, **options) == _paths(whole, source, target, **options), \
                (source, target, options)


def test_path_answers_equal_on_generated_data_with_hubs(synthetic: Path, cache: Path) -> None:
    store = open_store(synthetic)
    whole = store.dataset()
    ids = sorted(whole.entities)
    pairs = [(ids[i], ids[(i * 7 + 13) % len(ids)]) for i in range(0, len(ids), 97)][:12]
    for (source, target), options in itertools.product(pairs, PATH_OPTIONS[:5]):
        if source == target:
            continue
        part = path_subset(store, source, target, _walk(options), k=options.get("k", 1))
        assert _paths(part, source, target, **options) == _paths(whole, source, target, **options)


def test_neighbors_show_edges_and_search_equal_the_whole_dataset(cache: Path) -> None:
    store = open_store(SEEDS)
    whole = store.dataset()
    for entity_id in ["kling", "sora-2", "disney", "openai", "veo"]:
        for depth, direction in [(1, "both"), (2, "out"), (2, "in"), (3, "both")]:
            part = neighborhood_subset(store, entity_id, depth, direction)
            assert neighbors(part, entity_id, depth=depth, direction=direction).to_json(part) == \
                neighbors(whole, entity_id, depth=depth, direction=direction).to_json(whole)
        part = entity_subset(store, entity_id)
        assert part.facts_of(entity_id) == whole.facts_of(entity_id)
        assert part.figures_of(entity_id) == whole.figures_of(entity_id)
    for relations in ([], ["opted-out-of"], ["integrates", "competes-with"]):
        part = edges_subset(store, relations)
        assert edges(part, relations=relations) == edges(whole, relations=relations)
    for text in ["sora", "即夢", "可靈", "kling ai", "disny", "zzzz", "YouTube"]:
        assert store.search(text) == whole.names.search(text)
        assert store.search(text, limit=2) == whole.names.search(text, limit=2)
    assert summary(store)["by_relation"] == dict(sorted(
        {r: sum(f.relation == r for f in whole.facts) for r in {f.relation for f in whole.facts}}.items()))


def _hubs(whole, count: int) -> list[str]:
    """The ``count`` entities taking part in the most edges, most first (ties by id)."""
    degree: dict[str, int] = {}
    for fact in whole.edges:
        for end in (fact.subject, fact.object):
            degree[end] = degree.get(end, 0) + 1
    return sorted(degree, key=lambda entity: (-degree[entity], entity))[:count]


def _pages(ask, size: int) -> tuple[list, list]:
    """Every page of an answer of ``size`` items at a time, in turn: the items, and the pages."""
    items, pages, offset = [], [], 0
    while True:
        page, found = ask(size, offset)
        pages.append(page)
        items.extend(found)
        if not page.more:
            return items, pages
        offset += size


@pytest.mark.parametrize("folder", ["synthetic", "seeds"])
def test_pages_of_show_neighbors_and_edges_are_slices_of_the_whole_answer(
        folder: str, synthetic: Path, cache: Path) -> None:
    import kg
    from kg.errors import NotYet
    from kg.query.common import Page
    from kg.query.profile import entity_profile

    landscape = kg.open(synthetic if folder == "synthetic" else SEEDS)
    whole = landscape.dataset

    def profile_page(entity_id: str, as_of: dt.date | None, size: int, offset: int) -> tuple:
        found = landscape.profile(entity_id, limit=size, offset=offset, as_of=as_of).to_json()
        page = found["page"]
        assert page["facts_out"] + page["facts_in"] == page["total"]
        return Page(page["total"], page["offset"], page["limit"]), found["facts_out"] + found["facts_in"]

    def neighbors_page(entity_id: str, direction: str, relations: list[str], depth: int, size: int,
                       offset: int) -> tuple:
        found = landscape.neighbors(entity_id, direction=direction, relations=relations,
                                    depth=depth, limit=size, offset=offset)
        return found.page, found.to_json()["neighbors"]

    def edges_page(entity_id: str, relations: list[str], kinds: list[str], size: int,
                   offset: int) -> tuple:
        found = landscape.edges(entities=[entity_id], relations=relations, kinds=kinds,
                                limit=size, offset=offset)
        return found.page, list(found)

    for entity_id in [*_hubs(whole, 3), sorted(whole.entities)[5]]:
        for as_of in (None, dt.date(2024, 6, 30)):
            try:
                held = entity_profile(whole, entity_id, as_of)
            except NotYet:
                continue
            every = [f.to_json() for f in [*held.facts_out, *held.facts_in]]
            shown, pages = _pages(functools.partial(profile_page, entity_id, as_of), 37)
            assert shown == every and {page.total for page in pages} == {len(every)}, (entity_id, as_of)
        out, _into = whole.facts_of(entity_id)
        assert landscape.profile(entity_id).to_json()["facts_out"] == [f.to_json() for f in out]
        for direction, relations in [("both", []), ("out", []), ("in", []),
                                     ("both", ["competes-with", "develops"])]:
            expected = neighbors(whole, entity_id, direction=direction,
                                 relations=relations).to_json(whole)["neighbors"]
            if expected:
                shown, pages = _pages(functools.partial(neighbors_page, entity_id, direction,
                                                        relations, 1), 29)
                assert shown == expected, (entity_id, direction, relations)
                assert {page.total for page in pages} == {len(expected)}
        for depth, direction, relations in [(2, "both", []), (2, "out", []), (3, "in", []),
                                            (2, "both", ["competes-with", "develops"])]:
            expected = neighbors(whole, entity_id, direction=direction, relations=relations,
                                 depth=depth).to_json(whole)["neighbors"]
            if expected:
                shown, pages = _pages(functools.partial(neighbors_page, entity_id, direction,
                                                        relations, depth), 997)
                assert shown == expected, (entity_id, depth, direction, relations)
                assert {page.total for page in pages} == {len(expected)}
        for relations, kinds in [([], []), (["competes-with"], []), ([], ["claim"])]:
            expected = edges(whole, entities=[entity_id], relations=relations, kinds=kinds)
            if expected:
                shown, pages = _pages(functools.partial(edges_page, entity_id, relations, kinds), 41)
                assert shown == expected, (entity_id, relations, kinds)
                assert {page.total for page in pages} == {len(expected)}
        # The filters the store cannot page on are applied to the entity's records.
        expected = edges(whole, entities=[entity_id], subject_types=["organization"],
                         as_of=dt.date(2025, 1, 1))
        assert list(landscape.edges(entities=[entity_id], subject_types=["organization"],
                                    as_of=dt.date(2025, 1, 1))) == expected


def test_streamed_paths_are_the_whole_datasets_all_paths(synthetic: Path, cache: Path) -> None:
    import kg

    landscape = kg.open(synthetic)
    whole = landscape.dataset
    hubs = _hubs(whole, 4)
    ids = sorted(whole.entities)
    pairs = [(hubs[0], hubs[1]), (hubs[2], ids[40]), (ids[7], ids[700])]
    for (source, target), options in itertools.product(pairs, [
            {}, {"directed": True}, {"kinds": ["fact", "event"]}, {"as_of": dt.date(2022, 6, 30)},
            {"exclude": ["competes-with"], "directed": True}]):
        for limit in (1, 25):
            stream = landscape.stream_paths(source, target, max_hops=3, limit=limit, **options)
            streamed = list(stream)
            by_id = {f.id: f for f in whole.edges}
            # The facts handed out are the records themselves, not what the search read.
            assert all(hop.fact == by_id[hop.fact.id] for path in streamed for hop in path)
            found = [[(h.start, h.end, h.fact.id) for h in path] for path in streamed]
            expected = _paths(whole, source, target, all_paths=True, max_hops=3, limit=limit,
                              **options)
            if isinstance(expected, str):  # no path
                assert found == [] and str(stream.no_path()) == expected
                continue
            assert found == expected, (source, target, options, limit)
            assert stream.truncated == find_paths(whole, source, target, all_paths=True, max_hops=3,
                                                  limit=limit, **options).truncated


def test_streamed_paths_of_one_hop_come_before_the_balls_are_read(
        synthetic: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two hubs joined by more facts than the limit: the paths of one hop fill the list, and the
    facts around the two hubs (a thousand entities here, a hundred thousand at a million
    facts) are never read; with a higher limit the longer paths follow, as in the whole."""
    import kg
    from kg.store import traverse

    landscape = kg.open(synthetic)
    whole = landscape.dataset
    hub, *others = _hubs(whole, 5)
    partner = max(others, key=lambda other: sum({f.subject, f.object} == {hub, other} for f in whole.edges))
    hubs = [hub, partner]
    direct = len(_paths(whole, hub, partner, all_paths=True, max_hops=1, limit=None))  # one hop
    assert direct > 5
    read: list[set[str]] = []
    rows_on_paths = traverse.rows_on_paths

    def recorded(store, nodes, *args, **kwargs):
        read.append(set(nodes))
        return rows_on_paths(store, nodes, *args, **kwargs)

    monkeypatch.setattr(traverse, "rows_on_paths", recorded)
    for limit in (direct - 1, direct + 40):
        read.clear()
        stream = landscape.stream_paths(hubs[0], hubs[1], max_hops=3, limit=limit)
        found = [[(h.start, h.end, h.fact.id) for h in path] for path in stream]
        assert found == _paths(whole, hubs[0], hubs[1], all_paths=True, max_hops=3, limit=limit)
        assert stream.truncated
        if limit < direct:
            assert read == [set(hubs)] and all(len(path) == 1 for path in found)
        else:
            assert read[0] == set(hubs) and len(read) == 2 and len(read[1]) > 100
            assert {len(path) for path in found} >= {1, 2}


def test_path_answers_between_hubs_equal_the_whole_dataset(synthetic: Path, cache: Path) -> None:
    """Hubs are joined by many facts each: the store reads only the first of each pair."""
    store = open_store(synthetic)
    whole = store.dataset()
    hubs = _hubs(whole, 5)
    parallel = max(sum({f.subject, f.object} == {hubs[0], hub} for f in whole.facts) for hub in hubs[1:])
    assert parallel > 5  # the case the pruning is for
    ids = sorted(whole.entities)
    pairs = [*itertools.combinations(hubs, 2), (ids[3], hubs[0]), (ids[11], ids[600]), (hubs[1], ids[99])]
    for (source, target), options in itertools.product(pairs, [
            {}, {"k": 3}, {"k": 40}, {"kinds": ["fact", "event"], "k": 12},
            {"as_of": dt.date(2022, 6, 30), "k": 5}, {"exclude": ["competes-with"], "k": 7}]):
        part = path_subset(store, source, target, _walk(options), k=options.get("k", 1))
        assert _paths(part, source, target, **options) == _paths(whole, source, target, **options), \
            (source, target, options)


def _distances(step, start: str) -> dict[str, int]:
    """Hops from ``start`` along ``step`` (successors or predecessors), breadth first."""
    distance, frontier = {start: 0}, [start]
    while frontier:
        following = []
        for node in frontier:
            for other in step(node):
                if other not in distance:
                    distance[other] = distance[node] + 1
                    following.append(other)
        frontier = following
    return distance


def _quiet_far_pairs(whole, count: int) -> list[tuple[str, str]]:
    """As ``bench/scale.py`` picks the ends of its path: an entity of the fewest facts and the
    first by id of those farthest from it (up to 6 hops), for the ``count`` quietest."""
    from kg.query.paths import _walk_of

    _nodes, walk, _hops = _walk_of(whole, None, (), (), (), False)
    degree: dict[str, int] = {}
    for fact in whole.edges:
        for end in (fact.subject, fact.object):
            degree[end] = degree.get(end, 0) + 1
    pairs = []
    for quiet in sorted(degree, key=lambda entity: (degree[entity], entity))[:count]:
        distance = _distances(walk.successors, quiet)
        far = min(max(distance.values()), 6)
        pairs.append((quiet, min(n for n, d in distance.items() if d == far)))
    return pairs


def test_shortest_path_layers_are_every_entity_on_a_shortest_path(synthetic: Path, cache: Path) -> None:
    """The store's bidirectional search (which steps the cheaper side and probes for a meeting
    before stepping through a hub) keeps exactly the entities on the shortest paths of the
    whole dataset's graph, each at its place, whichever side meets the other."""
    from kg.query.paths import _walk_of
    from kg.store.traverse import shortest_path_layers

    store = open_store(synthetic)
    whole = store.dataset()
    hubs = _hubs(whole, 5)
    ids = sorted(whole.entities)
    pairs = [*itertools.combinations(hubs, 2), *((hub, ids[17]) for hub in hubs[:3]),
             (ids[5], hubs[0]), *_quiet_far_pairs(whole, 8), (ids[11], ids[600])]
    for (source, target), options in itertools.product(pairs, [
            {}, {"directed": True}, {"kinds": ["fact", "event"]}, {"exclude": ["competes-with"]},
            {"via": ["integrates", "competes-with", "develops"]}]):
        _nodes, walk, _hops = _walk_of(whole, None, options.get("via", ()), options.get("exclude", ()),
                                       options.get("kinds", ()), options.get("directed", False))
        from_source = _distances(walk.successors, source)
        to_target = _distances(walk.predecessors, target)
        layers = shortest_path_layers(store, source, target, _walk(options))
        if target not in from_source:
            assert layers is None, (source, target, options)
            continue
        length = from_source[target]
        assert layers == {node: hops for node, hops in from_source.items()
                          if hops + to_target.get(node, length + 1) == length}, (source, target, options)
        assert shortest_path_layers(store, source, target, _walk(options), max_hops=length) == layers
        assert shortest_path_layers(store, source, target, _walk(options), max_hops=length - 1) is None


@pytest.mark.parametrize("both_ends", [20_000, 10])
def test_rows_among_entities_are_the_facts_between_them_each_once(
        synthetic: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, both_ends: int) -> None:
    """Around hubs (thousands of entities) the facts among them are read by walking each
    subject's facts, among a few by seeking each pair: either way, every fact with both ends
    among the entities, once (also past the number of entities one query can name)."""
    from kg.store import traverse

    monkeypatch.setattr(traverse, "_BOTH_ENDS", both_ends)
    store = open_store(synthetic)
    whole = store.dataset()
    hubs = _hubs(whole, 5)
    ids = sorted(whole.entities)
    around_hubs = traverse.ball_union(store, hubs[0], hubs[1], 1, Walk())
    assert around_hubs is not None and len(around_hubs) > 250
    for nodes in (around_hubs, set(hubs), {hubs[0], hubs[1], *ids[:10]}, set(ids[100:160])):
        found = [row[0] for row in traverse._rows_among(store, nodes, None)]
        assert sorted(found) == sorted(f.id for f in whole.edges if f.subject in nodes and f.object in nodes)


def test_a_shortest_path_through_a_hub_reads_none_of_its_facts(synthetic: Path, cache: Path) -> None:
    """Between two quiet entities whose shortest paths pass the largest hub, the search meets
    at the hub by seeking the facts that join the two sides: the hub's own facts (hundreds
    here, a hundred thousand at a million facts) are never read."""
    from kg.store.traverse import shortest_path_layers

    store = open_store(synthetic)
    whole = store.dataset()
    hub = _hubs(whole, 1)[0]

    class Recording:
        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn, self.statements = conn, []

        def execute(self, sql: str, params: list = ()) -> sqlite3.Cursor:  # type: ignore[assignment]
            self.statements.append((sql, list(params)))
            return self.conn.execute(sql, params)

    through_hub = 0
    for source, target in _quiet_far_pairs(whole, 10):
        real = store.conn
        recording = store.conn = Recording(real)
        try:
            layers = shortest_path_layers(store, source, target, Walk())
        finally:
            store.conn = real
        assert layers is not None and max(layers.values()) >= 5
        through_hub += hub in layers
        # A step reads every fact of its entities; a probe names both ends; a count reads
        # nothing into Python.
        steps = [params for sql, params in recording.statements
                 if "count(*)" not in sql and " AND object IN" not in sql and " AND subject IN" not in sql]
        assert not any(hub in params for params in steps), (source, target)
    assert through_hub >= 5


@pytest.mark.parametrize("folder", [QUERY, FIXTURES / "paths", SEEDS],
                         ids=["query-small", "paths", "seeds"])
def test_streamed_paths_equal_the_whole_dataset_on_the_fixtures(folder: Path, cache: Path) -> None:
    import kg

    landscape = kg.open(folder)
    whole = landscape.dataset
    ids = sorted(whole.entities)[:10]
    for (source, target), options in itertools.product(itertools.permutations(ids, 2), [
            {}, {"directed": True}, {"as_of": dt.date(2025, 9, 29)}, {"kinds": ["fact", "event"]}]):
        stream = landscape.stream_paths(source, target, max_hops=3, limit=None, **options)
        found = [[(h.start, h.end, h.fact.id) for h in path] for path in stream]
        expected = _paths(whole, source, target, all_paths=True, max_hops=3, limit=None, **options)
        if isinstance(expected, str):
            assert found == [] and str(stream.no_path()) == expected, (source, target, options)
        else:
            assert found == expected, (source, target, options)


def test_a_page_past_the_end_or_out_of_bounds_is_refused(synthetic: Path, cache: Path) -> None:
    import kg
    from kg.errors import BadQuestion, NoResult

    landscape = kg.open(synthetic)
    hub = _hubs(landscape.dataset, 1)[0]
    total = landscape.profile(hub, limit=1).page.total
    assert landscape.profile(hub, limit=5, offset=total - 2).page.shown == 2
    with pytest.raises(NoResult, match=f"offset {total:,} is past the end"):
        landscape.profile(hub, offset=total)
    with pytest.raises(NoResult, match="past the end"):
        landscape.neighbors(hub, offset=10**6)
    with pytest.raises(NoResult, match="past the end"):
        landscape.edges(entities=[hub], offset=10**6)
    for ask in (landscape.profile, landscape.neighbors):
        with pytest.raises(BadQuestion, match="offset must be 0 or more"):
            ask(hub, offset=-1)
        with pytest.raises(BadQuestion, match="limit must be at least 1"):
            ask(hub, limit=0)


def test_resolve_as_the_name_index(cache: Path) -> None:
    store = open_store(SEEDS)
    whole = load(SEEDS)
    for name in ["可灵", "可靈", "Kling", "KLING", "sora2", "Ｓｏｒａ 2"]:
        assert store.resolve(name) == whole.names.resolve(name)
    with pytest.raises(LookupFailed) as info:
        store.resolve("klingg")
    with pytest.raises(LookupFailed) as expected:
        whole.names.resolve("klingg")
    assert info.value.candidates == expected.value.candidates


def test_the_cli_writes_one_store_and_reads_it(cache: Path, data: Path) -> None:
    assert run_cli("stats", data=data).exit_code == 0
    (path,) = cache.glob("store-*.sqlite")
    assert path.stat().st_mode & 0o077 == 0  # private to the user
    with sqlite3.connect(path) as conn:  # a plain SQLite file with documented tables
        assert conn.execute("SELECT count(*) FROM entities").fetchone()[0] > 0
    assert run_cli("show", "openai", data=data).exit_code == 0
    assert list(cache.glob("store-*.sqlite")) == [path]


def test_an_edit_is_seen_at_once_and_only_that_file_is_parsed(cache: Path, data: Path) -> None:
    first = open_store(data)
    assert first.result.parsed == len(list(data.glob("*.yaml")))
    first.close()
    assert open_store(data).result.parsed == 0
    target = sorted(data.glob("*.yaml"))[0]
    target.write_text(target.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    again = open_store(data)
    assert again.result.parsed == 1


def test_an_edit_that_keeps_size_and_time_is_still_seen(cache: Path, data: Path) -> None:
    target = data / "extra.yaml"
    entity = ("entities:\n  - id: {id}\n    type: organization\n    labels: {{en: {label}}}\n"
              "facts:\n  - subject: {id}\n    relation: competes-with\n    object: openai\n"
              "    kind: fact\n    sources: [{{source: fixture-report, locator: para 1}}]\n")
    target.write_text(entity.format(id="zeta-co", label="Zeta Co"), encoding="utf-8")
    stamp = target.stat().st_mtime_ns
    assert open_store(data).resolve("Zeta Co") == "zeta-co"
    # Same size, same modification time, other content: a stat alone cannot tell.
    target.write_text(entity.format(id="zeta-cx", label="Zeta Cx"), encoding="utf-8")
    os.utime(target, ns=(stamp, stamp))
    assert open_store(data).resolve("Zeta Cx") == "zeta-cx"


def test_invalid_data_is_reported_then_fixed(cache: Path, data: Path) -> None:
    target = sorted(data.glob("*.yaml"))[0]
    good = target.read_text(encoding="utf-8")
    target.write_text(good + "\n  - broken: [\n", encoding="utf-8")
    with pytest.raises(DataError):
        open_store(data)
    result = run_cli("stats", data=data)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    target.write_text(good, encoding="utf-8")
    assert summary(open_store(data))["entities"] > 0


@pytest.mark.parametrize("content", [b"not a database at all", b"SQLite format 3\x00" + b"\x00" * 200,
                                     b""], ids=["text", "truncated", "empty"])
def test_a_damaged_store_is_rebuilt(cache: Path, data: Path, content: bytes) -> None:
    open_store(data).close()
    (path,) = cache.glob("store-*.sqlite")
    for extra in cache.glob("store-*.sqlite-*"):
        extra.unlink()
    path.write_bytes(content)
    result = run_cli("stats", "--format", "json", data=data)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["entities"] == len(load(data).entities)


def test_a_foreign_database_in_its_place_is_replaced(cache: Path, data: Path) -> None:
    path = store_path(data, REPO / "ontology" / "ontology.yaml")
    assert path is not None
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as conn:  # another program's database, with a table named like ours
        conn.execute("CREATE TABLE entities (id TEXT, json TEXT)")
        conn.execute("INSERT INTO entities VALUES ('forged', '{}')")
    path.chmod(0o600)
    store = open_store(data)
    assert "forged" not in store.entities(["forged"])
    assert summary(store)["entities"] == len(load(data).entities)


def _edit_and_reseal(path: Path, sql: str) -> None:
    """Change the store's rows as only this user's own code could: the file is edited and
    sealed again, as if the build had written it so."""
    from kg.store import seal

    with sqlite3.connect(path) as conn:
        conn.execute(sql)
    conn.close()
    fd = os.open(path, os.O_RDONLY)
    try:
        seal._write_seal(path, seal._fingerprint(os.fstat(fd)), seal._digest(fd))
    finally:
        os.close(fd)


def test_a_store_others_can_write_is_not_trusted(cache: Path, data: Path) -> None:
    open_store(data).close()
    (path,) = cache.glob("store-*.sqlite")
    _edit_and_reseal(path, "UPDATE entities SET json=json_set(json, '$.description', 'Forged') "
                     "WHERE id='openai'")
    assert open_store(data).entities(["openai"])["openai"].description == "Forged"  # sealed
    path.chmod(0o666)
    assert open_store(data).entities(["openai"])["openai"].description != "Forged"


def test_records_are_data_never_code(cache: Path, data: Path) -> None:
    open_store(data).close()
    (path,) = cache.glob("store-*.sqlite")
    _edit_and_reseal(path, """UPDATE entities SET json=json_set(json, '$.description',
        '__import__("os").system("touch pwned")') WHERE id='openai'""")
    entity = open_store(data).entities(["openai"])["openai"]
    assert entity.description == '__import__("os").system("touch pwned")'
    assert not Path("pwned").exists()


def test_kg_cache_0_writes_nothing(cache: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_CACHE", "0")
    assert run_cli("stats", data=data).exit_code == 0
    assert not cache.exists()


def test_an_unwritable_cache_location_is_no_error(tmp_path: Path, data: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("KG_CACHE_DIR", str(blocker / "cache"))
    result = run_cli("stats", "--format", "json", data=data)
    assert result.exit_code == 0, result.stderr


def test_an_empty_folder_is_an_error(cache: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(KgError, match="no \\*.yaml"):
        open_store(tmp_path / "empty")


def test_a_fifo_or_device_behind_a_yaml_name_is_refused_not_waited_on(cache: Path, data: Path) -> None:
    os.mkfifo(data / "pipe.yaml")
    started = time.monotonic()
    with pytest.raises(DataError) as info:
        open_store(data)
    assert time.monotonic() - started < 10
    assert any("not a regular file" in p.message for p in info.value.problems)


def test_two_processes_building_at_once_agree(cache: Path, synthetic: Path) -> None:
    env = {**os.environ, "KG_CACHE_DIR": str(cache)}
    command = [*KG, "--data", str(synthetic), "stats", "--format", "json"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             cwd=REPO) for _ in range(3)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert all(run.returncode == 0 for run in runs), [err for _out, err in outputs]
    assert len({out for out, _err in outputs}) == 1
    assert json.loads(outputs[0][0])["facts"] == 2500


def test_readers_during_edits_see_one_version_or_the_other(cache: Path, data: Path) -> None:
    target = data / "toggle.yaml"
    versions = [
        f"entities:\n  - id: tog-{n}\n    type: organization\n    labels: {{en: Tog {n}}}\n"
        f"facts:\n  - subject: tog-{n}\n    relation: competes-with\n    object: openai\n"
        "    kind: fact\n    sources: [{source: fixture-report, locator: para 1}]\n"
        for n in (1, 2)
    ]
    env = {**os.environ, "KG_CACHE_DIR": str(cache)}
    command = [*KG, "--data", str(data), "search", "tog", "--format", "json"]
    for round_ in range(4):
        text = versions[round_ % 2]
        target.write_text(text, encoding="utf-8")
        readers = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    cwd=REPO) for _ in range(3)]
        outputs = [reader.communicate(timeout=120) for reader in readers]
        assert all(reader.returncode == 0 for reader in readers), outputs
        # After the write, every reader sees the version written: never the earlier one.
        assert {json.loads(out)[0]["id"] for out, _err in outputs} == {f"tog-{round_ % 2 + 1}"}


def test_from_dataset_compiles_a_dataset_in_memory() -> None:
    dataset = load(QUERY)
    store = from_dataset(dataset)
    assert summary(store)["facts"] == len(dataset.facts)
    assert [f.id for f in store.iter_facts("derived=0")] == [f.id for f in dataset.facts]


def test_each_field_is_stored_once(cache: Path) -> None:
    """A record's JSON leaves out what its row holds as columns, a row names its file by a
    key, a stated fact's derived id is generated from its columns, the adjacency indexes leave
    the id out; and every record read back is the one loaded."""
    from dataclasses import replace

    from kg.store.codec import COLUMNS

    store = open_store(SEEDS)
    dataset = load(SEEDS)
    conn = store.conn
    for section, columns in COLUMNS.items():
        assert conn.execute(f"SELECT count(*) FROM {section} "
                            "WHERE typeof(file) != 'integer'").fetchone()[0] == 0
        for (text,) in conn.execute(f"SELECT json FROM {section}"):
            assert not set(json.loads(text)) & set(columns)
    own_ids = dict(conn.execute("SELECT id, own_id FROM facts WHERE derived=0"))
    assert set(own_ids) == {f.id for f in dataset.facts}
    derived = {f.id for f in dataset.facts if f.id == "--".join(
        [f.subject, f.relation, f.object, *([str(f.since)] if f.since else [])])}
    assert derived and derived != set(own_ids)  # both kinds are present in the seeds
    assert {fact_id for fact_id, own in own_ids.items() if own is None} == derived
    for index in ("facts_by_subject", "facts_by_object"):
        assert "id" not in {row[2] for row in conn.execute(f"PRAGMA index_info({index})")}
    whole = store.dataset(include_deprecated=True)
    plain = functools.partial(replace, field_locs={})
    assert whole.facts == [plain(f) for f in dataset.facts]
    # A reference edge stands where its record starts when read without positions (the build).
    unplaced = [replace(f, field_locs={}, loc=None) for f in dataset.references]
    assert sorted((replace(f, loc=None) for f in whole.references), key=lambda f: f.id) == \
        sorted(unplaced, key=lambda f: f.id)
    assert whole.figures == [plain(f) for f in dataset.figures]
    assert list(whole.entities.values()) == [plain(e) for e in dataset.entities.values()]
    assert list(whole.sources.values()) == [plain(s) for s in dataset.sources.values()]


# --- a damaged store: edited rows, flipped bits, files planted beside it ---------------------

COMMANDS = [
    ["stats", "--format", "json"],
    ["show", "openai"],
    ["show", "kling", "--format", "json"],
    ["search", "sora", "--format", "json"],
    ["path", "kuaishou", "openai"],
    ["neighbors", "openai"],
    ["timeline"],
    ["export", "rdf", "--format", "nt"],
]


def _answers(data: Path) -> list[tuple[int, str]]:
    """Each command's exit code and output, run in this process: a traceback fails the test."""
    answers = []
    for command in COMMANDS:
        result = run_cli(*command, data=data)
        assert "Traceback" not in result.stderr
        answers.append((result.exit_code, result.stdout))
    return answers


def _built(cache: Path, data: Path) -> tuple[Path, bytes, bytes]:
    open_store(data).close()
    (path,) = cache.glob("store-*.sqlite")
    return path, path.read_bytes(), Path(f"{path}.seal").read_bytes()


@pytest.mark.parametrize("edit", [
    "UPDATE entities SET label='Forged' WHERE id='openai'",
    "UPDATE entities SET json='{not json' WHERE id='openai'",
    "UPDATE entities SET json='{}' WHERE id='kling'",
    "UPDATE facts SET json='[1, 2]'",
    "UPDATE facts SET subject='pokemon' WHERE subject='openai'",
    "DELETE FROM facts WHERE rowid % 2 = 0",
    "DELETE FROM names",
    "UPDATE meta SET value='{' WHERE key='counts'",
    "UPDATE meta SET value='[[1]]' WHERE key='problems'",
    "UPDATE files SET citing='x', flawed=0",
    "DROP TABLE figures",
])
def test_edited_rows_give_the_right_answers(cache: Path, data: Path, edit: str) -> None:
    expected = _answers(data)
    path, _store, _seal = _built(cache, data)
    with sqlite3.connect(path) as conn:
        conn.execute(edit)
    conn.close()
    assert _answers(data) == expected
    assert _answers(data) == expected  # and the next run too (the store was built again)


def test_random_bit_flips_give_no_traceback_and_no_wrong_answer(cache: Path, data: Path) -> None:
    import random

    expected = _answers(data)
    path, pristine, sealed = _built(cache, data)
    rng = random.Random(22)
    for _run in range(suite_size(4, 30)):
        damaged = bytearray(pristine)
        for _flip in range(rng.choice([1, 3, 20])):
            at = rng.randrange(len(damaged))
            damaged[at] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(damaged))
        Path(f"{path}.seal").write_bytes(sealed)
        assert _answers(data) == expected


def test_damaged_rows_found_while_reading_are_read_again_from_the_data(
        cache: Path, data: Path) -> None:
    """A row that no longer decodes, in a store whose seal still matches (as when the disk
    returns other bytes than were written): the read is done again from a store built in
    memory, and the file loses its seal, so the next run builds it again."""
    expected = _answers(data)
    path, _store, _seal = _built(cache, data)
    _edit_and_reseal(path, "UPDATE facts SET json='{broken'")
    _edit_and_reseal(path, "UPDATE entities SET json=substr(json, 2) WHERE id='openai'")
    assert _answers(data) == expected
    assert not Path(f"{path}.seal").exists() or _answers(data) == expected


def test_files_planted_beside_the_store_are_never_replayed(cache: Path, data: Path) -> None:
    """A ``-journal`` (a hot rollback journal) and a ``-wal`` planted beside the store: the
    store is opened immutable, so SQLite reads neither."""
    expected = _answers(data)
    path, pristine, _seal = _built(cache, data)
    # A real hot journal for this file: the pages before an edit, as a writer leaves them.
    scratch = path.parent / "scratch.sqlite"
    scratch.write_bytes(pristine)
    conn = sqlite3.connect(scratch, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA cache_size=1")
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE entities SET label='Forged', json=json_set(json, '$.description', "
                 "'forged text')")
    journal = Path(f"{scratch}-journal").read_bytes()
    conn.execute("ROLLBACK")
    conn.close()
    # The forged journal's pages hold the original rows; plant it and a WAL of forged rows.
    Path(f"{path}-journal").write_bytes(journal)
    with sqlite3.connect(scratch) as wal:
        wal.execute("PRAGMA journal_mode=WAL")
        wal.execute("PRAGMA wal_autocheckpoint=0")
        wal.execute("UPDATE entities SET label='Forged'")
        Path(f"{path}-wal").write_bytes(Path(f"{scratch}-wal").read_bytes())
    wal.close()
    assert _answers(data) == expected
    assert "Forged" not in run_cli("show", "openai", data=data).stdout


def test_a_store_path_that_is_a_link_is_replaced_not_followed(cache: Path, data: Path,
                                                                  tmp_path: Path) -> None:
    path, _store, _seal = _built(cache, data)
    path.unlink()
    elsewhere = tmp_path / "victim.txt"
    elsewhere.write_text("precious\n")
    path.symlink_to(elsewhere)
    assert run_cli("stats", data=data).exit_code == 0
    assert elsewhere.read_text() == "precious\n"
    assert path.is_file() and not path.is_symlink()


def test_a_shared_cache_folder_is_used_only_with_the_sticky_bit(
        tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)  # anyone may replace files in it: build in memory
    monkeypatch.setenv("KG_CACHE_DIR", str(shared))
    assert run_cli("stats", data=data).exit_code == 0
    assert list(shared.iterdir()) == []
    shared.chmod(0o1777)  # as /tmp: others cannot touch this user's files
    assert run_cli("stats", data=data).exit_code == 0
    assert len(list(shared.glob("store-*.sqlite"))) == 1
    # A file of the store's own names that others can write is not used, and is replaced.
    (store,) = shared.glob("store-*.sqlite")
    store.chmod(0o666)
    assert run_cli("stats", data=data).exit_code == 0
    assert store.stat().st_mode & 0o777 == 0o600
