"""The scale benchmark: every command at several sizes, with rdflib and pyoxigraph beside it.

    python bench/scale.py --facts 1000,10000,100000,1000000 [--runs 3] [--work DIR]

For each size N it generates a synthetic landscape (bench/generate.py, kept
in --work and reused), then times whole processes: a cold ``kg validate``
(parse, check and compile into a fresh store), the same after editing one
file, the warm read commands, the Turtle and N-Triples exports, PageRank;
and the peers on the same data: rdflib (parse the Turtle dump, then a SPARQL
reachability ASK between the two path ends) and pyoxigraph (bulk load of the
same dump into an in-memory store, then the same ASK). It prints one
Markdown table row per command and size: median wall time, CPU time, peak
RSS. Peers and exports are skipped above --peer-limit / --export-limit facts
(they are printed as "skipped").
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections import deque
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from generate import generate  # noqa: E402

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(argv: list[str], env: dict[str, str] | None = None,
        timeout: float = 3600) -> tuple[float, float, int]:
    """(wall seconds, cpu seconds, peak RSS in MiB) of one whole process; raises on failure."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env or ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            raise RuntimeError(f"timed out after {timeout:.0f} s: {' '.join(argv)}")
        time.sleep(0.01)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(argv[:6])} failed: {stderr.strip()[-300:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def kg(data: Path, cache: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "kg", "-q", "--data", str(data), *args]


def median_run(argv: list[str], runs: int, env: dict[str, str]) -> tuple[float, float, int]:
    results = [run(argv, env) for _ in range(runs)]
    return (statistics.median(r[0] for r in results), statistics.median(r[1] for r in results),
            max(r[2] for r in results))


def far_pair(data: Path, env: dict[str, str]) -> tuple[str, str, int]:
    """Two entities 4-6 hops apart (or as far apart as the graph allows), from the store."""
    from kg.store import open_store

    os.environ.update({k: v for k, v in env.items() if k.startswith("KG_")})
    store = open_store(data)
    adjacency: dict[str, list[str]] = {}
    for subject, obj in store.conn.execute("SELECT subject, object FROM facts"):
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
    store.close()
    return start, best[0], best[1]


def reachability_query(ontology_path: Path | None, source: str, target: str) -> str:
    from kg.data.ontology import load_ontology
    from kg.rdf.names import Names

    onto = load_ontology(ontology_path)
    names = Names.of(onto)
    preds = [f"<{names.vocab}{rel.rdf_name}>" for rel in onto.relations.values()]
    step = "|".join(preds + [f"^{p}" for p in preds])
    return f"ASK {{ <{names.entity}{source}> ({step})+ <{names.entity}{target}> }}"


PEER_RDFLIB = """
import sys, rdflib
sys.setrecursionlimit(100000)
g = rdflib.Graph()
g.parse(sys.argv[1], format="turtle")
print(g.query(sys.argv[2]).askAnswer)
"""

PEER_OXIGRAPH = """
import sys, pyoxigraph
store = pyoxigraph.Store()
store.bulk_load(path=sys.argv[1], format=pyoxigraph.RdfFormat.TURTLE)
print(bool(store.query(sys.argv[2])))
"""


def bench_size(facts: int, args: argparse.Namespace, rows: list[tuple]) -> None:
    data = args.work / f"data-{facts}"
    if not (data / "sources.yaml").exists():
        generate(facts, data, seed=7)
    cache = args.work / f"cache-{facts}"
    shutil.rmtree(cache, ignore_errors=True)
    env = {**ENV, "KG_CACHE_DIR": str(cache)}

    def add(command: str, result: tuple[float, float, int] | str) -> None:
        rows.append((facts, command, result))
        shown = result if isinstance(result, str) else f"{result[0]:.2f} s"
        print(f"  {facts:>9,}  {command:40} {shown}", file=sys.stderr, flush=True)

    add("kg validate (cold: parse, check, compile)", run(kg(data, cache, "validate"), env))
    source, target, hops = far_pair(data, env)
    add("hops between the path ends A and B", f"{hops}")
    add("kg validate (warm)", median_run(kg(data, cache, "validate"), args.runs, env))
    edited = sorted(data.glob("part-*.yaml"))[0]
    original = edited.read_bytes()
    try:
        edited.write_bytes(original + b"\n# edited by the benchmark\n")
        add("kg validate after editing one file", run(kg(data, cache, "validate"), env))
    finally:
        edited.write_bytes(original)
    run(kg(data, cache, "validate"), env)
    reads = [
        ("kg stats", ["stats"]),
        (f"kg show {source}", ["show", source]),
        ("kg search nova", ["search", "nova"]),
        (f"kg neighbors {source}", ["neighbors", source]),
        ("kg path A B", ["path", source, target]),
        ("kg path A B -k 3 --explain", ["path", source, target, "-k", "3", "--explain"]),
    ]
    for label, command in reads:
        add(label, median_run(kg(data, cache, *command), args.runs, env))
    if facts <= args.rank_limit:
        add("kg rank --metric pagerank", run(kg(data, cache, "rank", "--metric", "pagerank"), env))
    else:
        add("kg rank --metric pagerank", "skipped")
    dump = args.work / f"dump-{facts}.ttl"
    if facts <= args.export_limit:
        add("kg export rdf (Turtle)", run(kg(data, cache, "export", "rdf", "-o", str(dump)), env))
        add("kg export rdf --format nt", run(kg(data, cache, "export", "rdf", "--format", "nt", "-o",
                                               str(args.work / f"dump-{facts}.nt")), env))
    else:
        add("kg export rdf (Turtle)", "skipped")
    query = reachability_query(None, source, target)
    if dump.exists() and facts <= args.peer_limit:
        add("peer: rdflib parse + SPARQL ASK", run([sys.executable, "-c", PEER_RDFLIB, str(dump), query],
                                                   env, timeout=args.peer_timeout))
    else:
        add("peer: rdflib parse + SPARQL ASK", "skipped")
    if dump.exists():
        add("peer: pyoxigraph load + SPARQL ASK", run([sys.executable, "-c", PEER_OXIGRAPH, str(dump),
                                                      query], env, timeout=args.peer_timeout))
    else:
        add("peer: pyoxigraph load + SPARQL ASK", "skipped")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", default="1000,10000,100000",
                        help="comma-separated sizes (default 1000,10000,100000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per warm command (default 3)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-scale"),
                        help="where generated data, stores and dumps go (default /tmp/kg-scale)")
    parser.add_argument("--peer-limit", type=int, default=100_000,
                        help="largest size at which rdflib runs (default 100000)")
    parser.add_argument("--peer-timeout", type=float, default=1800)
    parser.add_argument("--export-limit", type=int, default=1_000_000)
    parser.add_argument("--rank-limit", type=int, default=100_000)
    args = parser.parse_args(argv)
    sizes = [int(size.replace("_", "")) for size in args.facts.split(",")]
    args.work.mkdir(parents=True, exist_ok=True)
    rows: list[tuple] = []
    for facts in sizes:
        print(f"N = {facts:,}", file=sys.stderr)
        try:
            bench_size(facts, args, rows)
        except RuntimeError as exc:
            print(f"  error: {exc}", file=sys.stderr)
            rows.append((facts, "error", str(exc)))
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}; medians of {args.runs} runs for warm commands, one run otherwise.\n")
    commands = list(dict.fromkeys(_generic(command) for _n, command, _r in rows))
    header = "| command | " + " | ".join(f"{n:,} facts" for n in sizes) + " |"
    print(header)
    print("|---|" + "---|" * len(sizes))
    for command in commands:
        cells = []
        for size in sizes:
            found = [r for n, c, r in rows if n == size and _generic(c) == command]
            if not found:
                cells.append("—")
            elif isinstance(found[0], str):
                cells.append(found[0])
            else:
                wall, cpu, rss = found[0]
                cells.append(f"{wall:.2f} s ({cpu:.2f} cpu), {rss} MiB")
        print(f"| {command} | " + " | ".join(cells) + " |")
    return 1 if any(c == "error" for _n, c, _r in rows) else 0


def _generic(command: str) -> str:
    """The command with the entity ids taken out, so that rows line up across sizes."""
    parts = command.split(" ")
    if parts[:2] in (["kg", "show"], ["kg", "neighbors"]):
        return " ".join(parts[:2]) + " A"
    if parts[:2] == ["kg", "path"]:
        return "kg path A B" + (" -k 3 --explain" if "-k" in parts else "")
    return command


if __name__ == "__main__":
    sys.exit(main())
