"""The SPARQL benchmark: one selective SELECT by ``kg sparql``, with rdflib and with the
Oxigraph store kept beside the compiled store.

    python bench/sparql.py --facts 100000 [--runs 3] [--work DIR] [--rdflib-limit N]

For each size N it generates a synthetic landscape (bench/generate.py, kept
in --work and reused) and compiles its store (``kg validate``, not timed
here: bench/scale.py times it). Then it times whole processes: rdflib over
the RDF view built in memory (what ``kg sparql`` did before the Oxigraph
store), ``kg sparql`` cold (the Oxigraph store built from the compiled
store), warm (median of --runs), and after editing one data file (the
compiled store and the Oxigraph store refreshed). It prints one Markdown
table row per step: wall time, CPU time, peak RSS. ``bench_size`` can be
called from bench/scale.py.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from generate import generate  # noqa: E402
from scale import ENV, kg, median_run, run  # noqa: E402

# What ``kg sparql`` ran before the Oxigraph store: rdflib over the whole RDF view.
RDFLIB = """
import sys
from kg.rdf import sparql
from kg.store import open_store
store = open_store(sys.argv[1], include_deprecated=True)
result = sparql(store.dataset(include_deprecated=True), sys.argv[2], timeout=3600, memory_mb=16384)
assert result.rows, "no rows"
"""


def selective_query(data: Path, env: dict[str, str]) -> str:
    """Everything said of one entity: the first by id of those with the most facts out."""
    import os

    from kg.store import open_store

    os.environ.update({k: v for k, v in env.items() if k.startswith("KG_")})
    store = open_store(data)
    (entity,) = store.conn.execute("SELECT subject FROM facts GROUP BY subject "
                                   "ORDER BY count(*) DESC, subject LIMIT 1").fetchone()
    store.close()
    return (f"SELECT ?relation ?other ?name WHERE {{ entity:{entity} ?relation ?other . "
            f"?other rdfs:label ?name FILTER(lang(?name) = \"en\") }} ORDER BY ?relation ?other")


def bench_size(facts: int, work: Path, runs: int, rdflib_limit: int, rows: list[tuple]) -> None:
    data = work / f"data-{facts}"
    if not (data / "sources.yaml").exists():
        generate(facts, data, seed=7)
    cache = work / f"cache-{facts}"
    shutil.rmtree(cache, ignore_errors=True)
    env = {**ENV, "KG_CACHE_DIR": str(cache)}

    def add(step: str, result: tuple[float, float, int] | str) -> None:
        rows.append((facts, step, result))
        shown = result if isinstance(result, str) else f"{result[0]:.2f} s"
        print(f"  {facts:>9,}  {step:45} {shown}", file=sys.stderr, flush=True)

    run(kg(data, "validate"), env)
    query = selective_query(data, env)
    if facts <= rdflib_limit:
        add("rdflib over the RDF view (before)", run([sys.executable, "-c", RDFLIB, str(data), query],
                                                     env))
    else:
        add("rdflib over the RDF view (before)", "skipped")
    sparql = kg(data, "sparql", query, "--timeout", "600")
    add("kg sparql, cold (builds the Oxigraph store)", run(sparql, env))
    add("kg sparql, warm", median_run(sparql, runs, env))
    edited = sorted(data.glob("part-*.yaml"))[0]
    original = edited.read_bytes()
    try:
        edited.write_bytes(original.replace(b"note:", b"note: Edited.", 1) if b"note:" in original
                           else original + b"\n# edited by the benchmark\n")
        add("kg sparql after editing one file", run(sparql, env))
    finally:
        edited.write_bytes(original)
    run(sparql, env)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", default="10000,100000", help="comma-separated sizes")
    parser.add_argument("--runs", type=int, default=3, help="runs of the warm query (default 3)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-sparql-bench"),
                        help="where generated data and stores go (default /tmp/kg-sparql-bench)")
    parser.add_argument("--rdflib-limit", type=int, default=100_000,
                        help="largest size at which the rdflib query runs (default 100000)")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    rows: list[tuple] = []
    for size in (int(s.replace("_", "")) for s in args.facts.split(",")):
        bench_size(size, args.work, args.runs, args.rdflib_limit, rows)
    print("| facts | step | wall | CPU | peak RSS |")
    print("|---:|---|---:|---:|---:|")
    for facts, step, result in rows:
        if isinstance(result, str):
            print(f"| {facts:,} | {step} | {result} | | |")
        else:
            print(f"| {facts:,} | {step} | {result[0]:.2f} s | {result[1]:.2f} s | {result[2]} MiB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
