"""The streamed exports at one size, with pyoxigraph loading and dumping the same triples beside them.

    python bench/exports.py [--facts 100000] [--runs 3] [--work DIR] [--formats nt,turtle,...]

It generates a synthetic landscape (bench/generate.py, kept in --work and
reused), compiles its store once (``kg validate``), then runs every export
as a whole process (``kg export ... -o FILE``) and prints, per format, the
median wall time, the median CPU time (user + system) and the peak RSS.
The peers are whole processes too: pyoxigraph bulk-loading the N-Triples
that ``kg export rdf --format nt`` wrote and dumping them again as
N-Triples (and the same for Turtle); the last column gives the export's CPU
time over its peer's. Never a timed test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from generate import generate  # noqa: E402

# format name -> the export command's arguments after ``kg export``, and the file it writes
EXPORTS: dict[str, tuple[list[str], str]] = {
    "nt": (["rdf", "--format", "nt"], "out.nt"),
    "turtle": (["rdf", "--format", "turtle"], "out.ttl"),
    "jsonld": (["rdf", "--format", "jsonld"], "out.jsonld"),
    "trig": (["rdf", "--format", "trig"], "out.trig"),
    "xml": (["rdf", "--format", "xml"], "out.rdf"),
    "graphml": (["graphml"], "out.graphml"),
    "gexf": (["gexf"], "out.gexf"),
    "json": (["json"], "out.json"),
    "csv": (["csv"], "csv"),
    "cypher": (["cypher"], "out.cypher"),
    "neo4j-csv": (["neo4j-csv"], "neo4j"),
}

# pyoxigraph loads a file and dumps it again in the same syntax (argv: path, format name).
PEER = """
import sys
import pyoxigraph
fmt = {"nt": pyoxigraph.RdfFormat.N_TRIPLES, "turtle": pyoxigraph.RdfFormat.TURTLE}[sys.argv[2]]
store = pyoxigraph.Store()
store.bulk_load(path=sys.argv[1], format=fmt)
with open(sys.argv[1] + ".peer", "wb") as out:
    store.dump(out, format=fmt, from_graph=pyoxigraph.DefaultGraph())
"""


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak RSS in MiB) of one whole process; raises on failure."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(argv[:8])} failed: {stderr.strip()[-300:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def median(argv: list[str], runs: int, env: dict[str, str]) -> tuple[float, float, int]:
    results = [run(argv, env) for _ in range(runs)]
    return (statistics.median(r[0] for r in results), statistics.median(r[1] for r in results),
            max(r[2] for r in results))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None, help="where data and outputs go (kept)")
    parser.add_argument("--formats", default=",".join(EXPORTS),
                        help=f"comma-separated, of: {', '.join(EXPORTS)}")
    args = parser.parse_args(argv)
    formats = [f for f in args.formats.split(",") if f]
    unknown = [f for f in formats if f not in EXPORTS]
    if unknown:
        parser.error(f"unknown format(s): {', '.join(unknown)}")
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-exports-"))
    data = work / f"data-{args.facts}"
    if not (data / "sources.yaml").exists():
        generate(args.facts, data, seed=7)
    out = work / "out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    env = {**os.environ, "KG_CACHE_DIR": str(work / f"cache-{args.facts}")}
    kg = [sys.executable, "-m", "kg", "-q", "--data", str(data)]
    run([*kg, "validate"], env)  # the store, compiled once: the exports read it

    rows: list[tuple[str, tuple[float, float, int], float | None]] = []
    for name in formats:
        command, file = EXPORTS[name]
        result = median([*kg, "export", *command, "-o", str(out / file)], args.runs, env)
        ratio = None
        if name in ("nt", "turtle"):
            peer = median([sys.executable, "-c", PEER, str(out / file), name], args.runs, env)
            rows.append((f"pyoxigraph: load and dump the same {name}", peer, None))
            ratio = result[1] / peer[1]
        rows.append((f"kg export {' '.join(command)}", result, ratio))
        print(f"  {name:10} {result[0]:.2f} s", file=sys.stderr, flush=True)

    print(f"{args.facts:,} facts, median of {args.runs} runs (CPU = user + system)\n")
    print("| command | wall s | CPU s | peak RSS MiB | CPU / pyoxigraph |")
    print("|---|---:|---:|---:|---:|")
    for command, (wall, cpu, rss), ratio in rows:
        shown = f"{ratio:.2f}x" if ratio is not None else ""
        print(f"| {command} | {wall:.2f} | {cpu:.2f} | {rss} | {shown} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
