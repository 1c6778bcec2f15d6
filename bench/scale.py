"""The scale benchmark: kg's commands on generated landscapes, with peers on the same edges.

    python bench/scale.py --facts 10000,100000 [--shapes hubs,flat] [--runs 3] [--work DIR]

For each size N and shape (``bench/generate.py``: ``hubs``, where a few
entities draw a quarter of all fact ends, and ``flat``) it generates a
landscape (kept in --work and reused) and runs every command as a process of
its own, measuring that process alone: its wall time, its CPU seconds (user +
system, with the worker processes it waited for) and its peak RSS, from
``os.wait4``, never the benchmark's own. Measured: the C YAML parser alone on
the same files (PyYAML's ``CSafeLoader``: the floor of a cold build), a cold
``kg validate``, the same after editing one fact, ``kg validate --full``, the
read commands on an ordinary entity and on the largest hub, every path of up
to three hops from the largest hub to the largest entity within three hops of
it (the second hub, where it is that near), a comparison of four ordinary entities, a brief, figures,
counts and a month's changes, one selective SPARQL query, the exports, and
the peers on the same edges: pyoxigraph (bulk load of the Turtle dump, then a
reachability ASK), plain networkx (load the edge list, shortest path) and
Kuzu (``COPY`` of the nodes and edges; then, reopened, a ``SHORTEST`` path).
It prints one Markdown table, a column per size and shape, with the goal of
issue 23 at a million facts beside each row. Heavy steps are skipped above
--export-limit / --peer-limit / --rank-limit facts (printed as "skipped").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
from collections import deque
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

# What each row should reach at a million facts (issue 23), shown beside it.
GOALS = {
    "C YAML parser alone (PyYAML CSafeLoader)": "the floor",
    "kg validate (cold: parse, check, compile)": "≤ 1.5× the parser alone, ≤ 1.5 GiB",
    "kg validate after editing one fact": "≤ 5 s",
    "kg validate --full": "",
    "kg validate (warm)": "",
    "kg show A": "",
    "kg show HUB": "≤ 1 s, paginated",
    "kg neighbors HUB": "≤ 1 s, paginated",
    "kg path A B": "≤ 0.5 s, no slower than Kuzu",
    "kg path A B -k 3 --explain": "",
    "kg edges --entity HUB": "≤ 1 s, paginated",
    "kg path HUB HUB2 --all --max-hops 3": "bounded, streamed",
    "kg compare A B C D": "≤ 1 s",
    "kg brief A": "≤ 1 s",
    "kg figures": "≤ 1 s",
    "kg stats --as-of": "≤ 1 s",
    "kg diff --from --to (a month)": "≤ 2 s",
    "kg sparql (one selective SELECT)": "≤ 2 s",
    "kg rank --metric pagerank": "≤ 30 s",
    "kg export rdf --format jsonld": "streamed, ≤ 300 MiB",
    "kg export graphml": "streamed",
    "kg export rdf (Turtle)": "≤ 1.5× pyoxigraph load + dump",
    "kg export rdf --format nt": "≤ 1.5× pyoxigraph load + dump",
    "store file": "≤ 0.8 GB",
    "peer: networkx load edges + shortest path": "",
    "peer: Kuzu COPY nodes and edges": "",
    "peer: Kuzu reopen + SHORTEST path": "",
    "peer: pyoxigraph load Turtle + ASK": "",
}

Result = tuple[float, float, int] | str  # (wall s, CPU s, peak RSS MiB) or a note


# A small process that starts every measured command: a child's peak RSS counts the memory of
# the process it was forked from, so the benchmark (which holds the edges of a million facts
# at times) never forks them itself.
LAUNCHER = r"""
import json, os, subprocess, sys, tempfile, time
for line in sys.stdin:
    job = json.loads(line)
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(job["argv"], env=job["env"], stdout=subprocess.DEVNULL,
                                   stderr=errors)
        deadline = start + job["timeout"]
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.perf_counter() > deadline:
                process.kill()
                _pid, status, usage = os.wait4(process.pid, 0)
                code = "timeout"
                break
            time.sleep(0.005)
        wall = time.perf_counter() - start
        errors.seek(0)
        text = errors.read().decode(errors="replace").strip()[-300:]
    print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                      "rss": usage.ru_maxrss // 1024, "code": code, "stderr": text}), flush=True)
"""
_launcher: subprocess.Popen | None = None


def start_launcher() -> None:
    """Start the launcher while the benchmark is still small (call first thing)."""
    global _launcher
    if _launcher is None:
        _launcher = subprocess.Popen([sys.executable, "-c", LAUNCHER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, env=ENV)


def run(argv: list[str], env: dict[str, str] | None = None,
        timeout: float = 3600) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak RSS in MiB) of one process, measured by ``os.wait4``.

    The CPU seconds are the process's own and those of the children it waited for (kg's
    parse pool), as ``/usr/bin/time`` counts them; the peak RSS is the largest of any of
    them. Raises RuntimeError when the process fails or runs out of time.
    """
    start_launcher()
    assert _launcher is not None and _launcher.stdin and _launcher.stdout
    _launcher.stdin.write(json.dumps({"argv": argv, "env": env or ENV, "timeout": timeout}) + "\n")
    _launcher.stdin.flush()
    answer = json.loads(_launcher.stdout.readline())
    if answer["code"] == "timeout":
        raise RuntimeError(f"timed out after {timeout:.0f} s: {' '.join(argv[:6])}")
    if answer["code"] != 0:
        raise RuntimeError(f"{' '.join(argv[:6])} failed: {answer['stderr']}")
    return answer["wall"], answer["cpu"], answer["rss"]


def kg(data: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "kg", "-q", "--data", str(data), *args]


def median_run(argv: list[str], runs: int, env: dict[str, str]) -> tuple[float, float, int]:
    results = [run(argv, env) for _ in range(runs)]
    return (statistics.median(r[0] for r in results), statistics.median(r[1] for r in results),
            max(r[2] for r in results))


def graph_facts(data: Path, env: dict[str, str]) -> tuple[list[str], list[tuple[str, str]]]:
    """The entity ids and the (subject, object) edges, read from the built store."""
    from kg.store import open_store

    saved = dict(os.environ)
    os.environ.update({k: v for k, v in env.items() if k.startswith("KG_")})
    try:
        store = open_store(data)
        nodes = [row[0] for row in store.conn.execute("SELECT id FROM entities ORDER BY id")]
        edges = list(store.conn.execute("SELECT subject, object FROM facts ORDER BY seq"))
        store.close()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return nodes, edges


def far_pair(edges: list[tuple[str, str]]) -> tuple[str, str, int]:
    """Two entities 4-6 hops apart (or as far apart as the graph allows)."""
    adjacency: dict[str, list[str]] = {}
    for subject, obj in edges:
        adjacency.setdefault(subject, []).append(obj)
        adjacency.setdefault(obj, []).append(subject)
    # Start from a quiet corner: an entity of the lowest degree, the first by id.
    start = min(adjacency, key=lambda n: (len(adjacency[n]), n))
    seen = {start: 0}
    queue = deque([start])
    best = (start, 0)
    while queue:
        node = queue.popleft()
        if seen[node] > best[1] and seen[node] <= 6:
            best = (node, seen[node])
        if seen[node] >= 6:
            continue
        for other in adjacency[node]:
            if other not in seen:
                seen[other] = seen[node] + 1
                queue.append(other)
    return start, best[0], best[1]


def hub(edges: list[tuple[str, str]], rank: int = 0) -> tuple[str, int]:
    """The entity with the most facts (``rank`` 1: the next one), and how many."""
    degree: dict[str, int] = {}
    for subject, obj in edges:
        degree[subject] = degree.get(subject, 0) + 1
        degree[obj] = degree.get(obj, 0) + 1
    best = sorted(degree, key=lambda n: (-degree[n], n))[rank]
    return best, degree[best]


def near_hub(edges: list[tuple[str, str]], start: str, hops: int = 3) -> str:
    """The entity with the most facts within ``hops`` of ``start`` (not ``start`` itself).

    ``path --all --max-hops 3`` between two hubs measures a bounded, streamed answer; in a
    flat landscape the second-largest entity is rarely within three hops of the first, and
    "no path" would measure nothing. Where it is within reach, this is the second hub.
    """
    adjacency: dict[str, list[str]] = {}
    degree: dict[str, int] = {}
    for subject, obj in edges:
        adjacency.setdefault(subject, []).append(obj)
        adjacency.setdefault(obj, []).append(subject)
        degree[subject] = degree.get(subject, 0) + 1
        degree[obj] = degree.get(obj, 0) + 1
    seen = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if seen[node] < hops:
            for other in adjacency[node]:
                if other not in seen:
                    seen[other] = seen[node] + 1
                    queue.append(other)
    return min((n for n in seen if n != start), key=lambda n: (-degree[n], n))


def ordinary(edges: list[tuple[str, str]], count: int) -> list[str]:
    """``count`` entities of a middling number of facts (3 to 10), the first by id."""
    degree: dict[str, int] = {}
    for subject, obj in edges:
        degree[subject] = degree.get(subject, 0) + 1
        degree[obj] = degree.get(obj, 0) + 1
    return sorted(n for n, d in degree.items() if 3 <= d <= 10)[:count]


def reachability_query(source: str, target: str) -> str:
    from kg.data.ontology import load_ontology
    from kg.rdf.names import Names

    onto = load_ontology()
    names = Names.of(onto)
    preds = [f"<{names.vocab}{rel.rdf_name}>" for rel in onto.relations.values()]
    step = "|".join(preds + [f"^{p}" for p in preds])
    return f"ASK {{ <{names.entity}{source}> ({step})+ <{names.entity}{target}> }}"


PEER_FLOOR = """
import sys, glob, yaml
for path in sorted(glob.glob(sys.argv[1] + "/*.yaml")):
    with open(path, "rb") as handle:
        yaml.load(handle.read().decode("utf-8"), Loader=yaml.CSafeLoader)
"""

PEER_NETWORKX = """
import csv, sys, networkx
graph = networkx.Graph()
with open(sys.argv[1], newline="", encoding="utf-8") as handle:
    graph.add_edges_from(csv.reader(handle))
print(len(networkx.shortest_path(graph, sys.argv[2], sys.argv[3])) - 1)
"""

PEER_KUZU_BUILD = """
import sys, kuzu
db = kuzu.Database(sys.argv[1])
conn = kuzu.Connection(db)
conn.execute("CREATE NODE TABLE Entity(id STRING, PRIMARY KEY(id))")
conn.execute("CREATE REL TABLE Link(FROM Entity TO Entity)")
conn.execute(f"COPY Entity FROM '{sys.argv[2]}' (header=false)")
conn.execute(f"COPY Link FROM '{sys.argv[3]}' (header=false)")
"""

PEER_KUZU_PATH = """
import sys, kuzu
conn = kuzu.Connection(kuzu.Database(sys.argv[1], read_only=True))
result = conn.execute("MATCH p = (a:Entity)-[* SHORTEST 1..10]-(b:Entity) "
                      "WHERE a.id = $a AND b.id = $b RETURN length(p)",
                      {"a": sys.argv[2], "b": sys.argv[3]})
print(result.get_next()[0])
"""

PEER_OXIGRAPH = """
import sys, pyoxigraph
store = pyoxigraph.Store()
store.bulk_load(path=sys.argv[1], format=pyoxigraph.RdfFormat.TURTLE)
print(bool(store.query(sys.argv[2])))
"""


def edit_one_fact(path: Path) -> bytes:
    """Change one fact's locator in the file (its rows change); returns the original bytes."""
    original = path.read_bytes()
    text = original.decode("utf-8")
    found = re.search(r'locator: "([^"]*)"', text)
    if found is None:
        raise RuntimeError(f"no fact to edit in {path}")
    edited = text[:found.start(1)] + found.group(1) + " (edited)" + text[found.end(1):]
    path.write_bytes(edited.encode("utf-8"))
    return original


def bench_one(facts: int, shape: str, args: argparse.Namespace,
              add: Callable[[str, Result], None]) -> None:
    work = args.work
    data = work / f"data-{shape}-{facts}"
    if not (data / "sources.yaml").exists():  # in a process of its own: it takes memory
        run([sys.executable, str(BENCH / "generate.py"), "--facts", str(facts), "--out", str(data),
             "--seed", "7", "--shape", shape])
    cache = work / f"cache-{shape}-{facts}"
    shutil.rmtree(cache, ignore_errors=True)
    env = {**ENV, "KG_CACHE_DIR": str(cache)}
    add("C YAML parser alone (PyYAML CSafeLoader)", run([sys.executable, "-c", PEER_FLOOR, str(data)],
                                                        env))
    add("kg validate (cold: parse, check, compile)", run(kg(data, "validate"), env))
    store_bytes = sum(p.stat().st_size for p in cache.glob("store-*.sqlite"))  # not its log
    add("store file", f"{store_bytes / 1e6:.0f} MB")
    add("kg validate (warm)", median_run(kg(data, "validate"), args.runs, env))
    edited = sorted(data.glob("part-*.yaml"))[0]
    original = edit_one_fact(edited)
    try:
        add("kg validate after editing one fact", run(kg(data, "validate"), env))
    finally:
        edited.write_bytes(original)
    add("kg validate after undoing the edit", run(kg(data, "validate"), env))
    add("kg validate --full", run(kg(data, "validate", "--full"), env))
    nodes, edges = graph_facts(data, env)
    source, target, hops = far_pair(edges)
    biggest, degree = hub(edges)
    second = near_hub(edges, biggest)
    a, b, c, d = ordinary(edges, 4)
    add("hops between A and B; facts of HUB", f"{hops}; {degree}")
    selective = f"SELECT ?p ?o WHERE {{ entity:{a} ?p ?o }}"
    reads = [
        ("kg stats", ["stats"]),
        ("kg show A", ["show", source]),
        ("kg show HUB", ["show", biggest]),
        ("kg search nova", ["search", "nova"]),
        ("kg neighbors A", ["neighbors", source]),
        ("kg neighbors HUB", ["neighbors", biggest]),
        ("kg path A B", ["path", source, target]),
        ("kg path A B -k 3 --explain", ["path", source, target, "-k", "3", "--explain"]),
        ("kg edges --entity HUB", ["edges", "--entity", biggest]),
        ("kg path HUB HUB2 --all --max-hops 3", ["path", biggest, second, "--all", "--max-hops", "3"]),
        ("kg compare A B C D", ["compare", a, b, c, d]),
        ("kg brief A", ["brief", a]),
        ("kg figures", ["figures"]),
        ("kg stats --as-of", ["stats", "--as-of", "2024-06-30"]),
        ("kg diff --from --to (a month)", ["diff", "--from", "2024-06-01", "--to", "2024-06-30"]),
        ("kg sparql (one selective SELECT)", ["sparql", selective]),
    ]
    for label, command in reads:
        try:
            add(label, median_run(kg(data, *command), args.runs, env))
        except RuntimeError as exc:  # one command failing says so in its row; the others run
            add(label, f"failed: {str(exc)[-120:]}")
    if facts <= args.rank_limit:
        add("kg rank --metric pagerank", run(kg(data, "rank", "--metric", "pagerank"), env))
    else:
        add("kg rank --metric pagerank", "skipped")
    dump = work / f"dump-{shape}-{facts}.ttl"
    dump.unlink(missing_ok=True)
    if facts <= args.export_limit:
        add("kg export rdf (Turtle)", run(kg(data, "export", "rdf", "-o", str(dump)), env))
        nt = work / f"dump-{shape}-{facts}.nt"
        add("kg export rdf --format nt", run(kg(data, "export", "rdf", "--format", "nt", "-o",
                                               str(nt)), env))
        nt.unlink(missing_ok=True)
        for label, fmt, suffix in (("kg export rdf --format jsonld", ["rdf", "--format", "jsonld"],
                                    "jsonld"), ("kg export graphml", ["graphml"], "graphml")):
            target_file = work / f"dump-{shape}-{facts}.{suffix}"
            add(label, run(kg(data, "export", *fmt, "-o", str(target_file)), env))
            target_file.unlink(missing_ok=True)
    else:
        add("kg export rdf (Turtle)", "skipped")
        add("kg export rdf --format nt", "skipped")
    # The peers, on the same edges.
    edge_file = work / f"edges-{shape}-{facts}.csv"
    node_file = work / f"nodes-{shape}-{facts}.csv"
    edge_file.write_text("".join(f"{s},{o}\n" for s, o in edges), encoding="utf-8")
    node_file.write_text("".join(f"{n}\n" for n in nodes), encoding="utf-8")
    if facts <= args.peer_limit:
        add("peer: networkx load edges + shortest path",
            median_run([sys.executable, "-c", PEER_NETWORKX, str(edge_file), source, target],
                       args.runs, env))
        kuzu_db = work / f"kuzu-{shape}-{facts}"
        shutil.rmtree(kuzu_db, ignore_errors=True)
        for stale in work.glob(f"kuzu-{shape}-{facts}*"):  # a database file and its log
            stale.unlink()
        try:
            add("peer: Kuzu COPY nodes and edges",
                run([sys.executable, "-c", PEER_KUZU_BUILD, str(kuzu_db), str(node_file),
                     str(edge_file)], env, timeout=args.peer_timeout))
            add("peer: Kuzu reopen + SHORTEST path",
                median_run([sys.executable, "-c", PEER_KUZU_PATH, str(kuzu_db), source, target],
                           args.runs, env))
        except RuntimeError as exc:  # Kuzu is optional: the bench extra
            add("peer: Kuzu COPY nodes and edges", f"not run ({str(exc)[-80:]})")
        if dump.exists():
            add("peer: pyoxigraph load Turtle + ASK",
                run([sys.executable, "-c", PEER_OXIGRAPH, str(dump), reachability_query(source, target)],
                    env, timeout=args.peer_timeout))
    else:
        for label in ("peer: networkx load edges + shortest path", "peer: Kuzu COPY nodes and edges",
                      "peer: Kuzu reopen + SHORTEST path", "peer: pyoxigraph load Turtle + ASK"):
            add(label, "skipped")


def cell(result: Result) -> str:
    if isinstance(result, str):
        return result
    wall, cpu, rss = result
    return f"{wall:.2f} s ({cpu:.2f} cpu), {rss} MiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", default="10000,100000",
                        help="comma-separated sizes (default 10000,100000)")
    parser.add_argument("--shapes", default="hubs,flat",
                        help="comma-separated shapes of generated data (default hubs,flat)")
    parser.add_argument("--runs", type=int, default=3, help="runs per warm command (default 3)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-scale"),
                        help="where generated data, stores and dumps go (default /tmp/kg-scale)")
    parser.add_argument("--peer-limit", type=int, default=1_000_000,
                        help="largest size at which the peers run (default 1000000)")
    parser.add_argument("--peer-timeout", type=float, default=1800)
    parser.add_argument("--export-limit", type=int, default=1_000_000)
    parser.add_argument("--rank-limit", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    start_launcher()
    sizes = [int(size.replace("_", "")) for size in args.facts.split(",")]
    shapes = args.shapes.split(",")
    args.work.mkdir(parents=True, exist_ok=True)
    columns = [(size, shape) for size in sizes for shape in shapes]
    results: dict[tuple[int, str], dict[str, Result]] = {column: {} for column in columns}
    failed = False
    for size, shape in columns:
        print(f"N = {size:,}, {shape}", file=sys.stderr)

        def add(label: str, result: Result, column: tuple[int, str] = (size, shape)) -> None:
            results[column][label] = result
            print(f"  {label:48} {cell(result)}", file=sys.stderr, flush=True)

        try:
            bench_one(size, shape, args, add)
        except RuntimeError as exc:
            print(f"  error: {exc}", file=sys.stderr)
            results[(size, shape)]["error"] = str(exc)[-200:]
            failed = True
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {platform.platform()}; load average "
          f"{os.getloadavg()[0]:.1f} at the end. Each cell: wall time (CPU seconds of the "
          f"process and its workers), peak RSS; medians of {args.runs} runs for warm commands, "
          "one run otherwise.\n")
    labels = list(dict.fromkeys(label for column in columns for label in results[column]))
    print("| command | " + " | ".join(f"{n:,} facts, {shape}" for n, shape in columns)
          + " | goal at 1M |")
    print("|---|" + "---|" * len(columns) + "---|")
    for label in labels:
        cells = [cell(results[column][label]) if label in results[column] else "—"
                 for column in columns]
        print(f"| {label} | " + " | ".join(cells) + f" | {GOALS.get(label, '')} |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
