"""The notebook's door against the command line: is ``kg.open().paths(a, b)`` as fast as ``kg path``?

    python bench/facade.py --facts 100000 [--runs 5] [--data DIR]

Generates the data (bench/generate.py) unless ``--data`` names a folder, compiles the store
once, picks two entities 4-6 hops apart, then reports medians of CPU and wall seconds:

- ``kg path A B`` as a whole process (the command line);
- ``kg.open(D).paths(A, B)`` as a whole process (a script or a notebook's first call);
- ``lnd.paths(A, B)`` on an open ``Landscape`` (a notebook's next calls);
- ``find_paths(kg.load(D), A, B)``, the whole dataset in memory, for scale.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from scale import far_pair  # noqa: E402

# bench/html.py would stand in for the standard library's html module from here on.
while str(BENCH) in sys.path:
    sys.path.remove(str(BENCH))


def child(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """CPU and wall seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def in_process(call, runs: int) -> tuple[float, float]:
    cpu, wall = [], []
    for _ in range(runs):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        call()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    return statistics.median(cpu), statistics.median(wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--facts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", type=Path, help="an existing data folder (default: generate one)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-facade-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
    data = args.data
    if data is None:
        data = work / "data"
        subprocess.run([sys.executable, str(BENCH / "generate.py"), "--facts", str(args.facts),
                        "--out", str(data)], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-m", "kg", "-q", "--data", str(data), "validate"], env=env,
                   check=True, stdout=subprocess.DEVNULL)
    os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]
    source, target, hops = far_pair(data, env)
    rows = []
    for name, argv in (
        ("kg path A B (process)", [sys.executable, "-m", "kg", "-q", "--data", str(data), "path", source,
                                   target]),
        ("kg.open(D).paths(A, B) (process)",
         [sys.executable, "-c", f"import kg; kg.open({str(data)!r}).paths({source!r}, {target!r})"]),
    ):
        timings = [child(argv, env) for _ in range(args.runs)]
        rows.append((name, statistics.median(t[0] for t in timings),
                     statistics.median(t[1] for t in timings)))

    import kg
    from kg.query.paths import find_paths

    landscape = kg.open(data)
    landscape.paths(source, target)  # opens the store
    rows.append(("lnd.paths(A, B) (open Landscape)",
                 *in_process(lambda: landscape.paths(source, target), args.runs)))
    rows.append(("find_paths(kg.load(D), A, B) (whole dataset)",
                 *in_process(lambda: find_paths(kg.load(data), source, target), 1)))
    print(f"{args.facts if args.data is None else data} facts; A={source}, B={target}, {hops} hops apart; "
          f"medians of {args.runs} runs")
    print("| call | CPU s | wall s |")
    print("|---|---|---|")
    for name, cpu, wall in rows:
        print(f"| {name} | {cpu:.2f} | {wall:.2f} |")


if __name__ == "__main__":
    main()
