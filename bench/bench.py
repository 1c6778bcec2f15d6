"""Whole-process timings of the read commands on the shipped data.

Runs each command several times as a fresh process (what a user waits for)
and prints the median, together with whether the process imported one of
the heavy libraries that read commands must not need. Exits 1 when a
command fails, imports a heavy library, or misses its target.

    python bench/bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HEAVY = ("rdflib", "pyvis", "pyshacl")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

# (command arguments, target median in seconds)
COMMANDS: list[tuple[list[str], float]] = [
    (["stats"], 0.30),
    (["show", "kling"], 0.30),
    (["show", "可靈"], 0.30),
    (["search", "sora"], 0.30),
    (["validate"], 0.30),
    (["path", "disney", "kling"], 0.25),
    (["path", "disney", "kling", "-k", "3", "--explain"], 0.25),
    (["neighbors", "sora-2"], 0.30),
    (["timeline"], 0.30),
    (["compare", "sora-2", "veo", "kling", "jimeng", "--width", "120"], 0.30),
    (["diff", "--from", "2025-09-29", "--to", "2025-10-05"], 0.30),
    (["brief", "kling"], 0.30),
    (["figures"], 0.30),
]

_PROBE = (
    "import sys\n"
    "from kg.cli import main\n"
    "try:\n"
    "    main(sys.argv[1:], standalone_mode=False)\n"
    "finally:\n"
    "    heavy = [m for m in {heavy!r} if m in sys.modules]\n"
    "    print('HEAVY:' + ','.join(heavy), file=sys.stderr)\n"
)


# Time what an installed copy costs: with bytecode caches written, as Python
# does by default (some shells set PYTHONDONTWRITEBYTECODE, which would make
# every run recompile the package).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def heavy_imports(args: list[str]) -> list[str]:
    """The heavy modules a command imports (run once, in a probe process)."""
    probe = _PROBE.format(heavy=HEAVY)
    result = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True,
                            env=ENV)
    for line in result.stderr.splitlines():
        if line.startswith("HEAVY:"):
            return [m for m in line[len("HEAVY:"):].split(",") if m]
    raise RuntimeError(f"kg {' '.join(args)} failed: {result.stderr.strip()}")


def median_seconds(args: list[str], runs: int) -> float:
    times = []
    subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, env=ENV)  # warm-up
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, env=ENV)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise RuntimeError(f"kg {' '.join(args)} exited {result.returncode}: "
                               f"{result.stderr.decode(errors='replace').strip()}")
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per command (default 15)")
    options = parser.parse_args()
    failed = False
    path_median = float("nan")
    print(f"{'command':45} {'median':>8} {'target':>7}  heavy imports")
    for args, target in COMMANDS:
        try:
            heavy = heavy_imports(args)
            median = median_seconds(args, options.runs)
        except RuntimeError as exc:
            print(f"{'kg ' + ' '.join(args):45} error: {exc}")
            failed = True
            continue
        ok = median <= target and not heavy
        failed |= not ok
        print(f"{'kg ' + ' '.join(args):45} {median:7.3f}s {target:6.2f}s  "
              f"{','.join(heavy) or 'none'}{'' if ok else '   <-- FAIL'}")
        if args == ["path", "disney", "kling"]:
            path_median = median
    failed |= not peer_ratio(path_median, options.runs)
    return 1 if failed else 0


PEER_RDFLIB = """
import sys, rdflib
sys.setrecursionlimit(100000)
graph = rdflib.Graph()
graph.parse(sys.argv[1], format="turtle")
print(graph.query(sys.argv[2]).askAnswer)
"""


def peer_ratio(path_median: float, runs: int) -> bool:
    """rdflib answering "is Kling reachable from Disney?" from the Turtle dump, beside kg path."""
    from scale import PEER_OXIGRAPH, reachability_query

    dump = str(ROOT / "exports" / "ai-video-kg.ttl")
    query = reachability_query("disney", "kling")
    ok = True
    for name, script in (("rdflib", PEER_RDFLIB), ("pyoxigraph", PEER_OXIGRAPH)):
        times = []
        for _ in range(max(3, runs // 3)):
            start = time.perf_counter()
            done = subprocess.run([sys.executable, "-c", script, dump, query], capture_output=True,
                                  text=True, env=ENV)
            times.append(time.perf_counter() - start)
            if done.returncode != 0 or done.stdout.strip() != "True":
                print(f"peer {name} failed: {done.stderr.strip()[-200:]}")
                return False
        median = statistics.median(times)
        ratio = median / path_median
        # The target: kg path at least 3x faster than rdflib on the same question.
        good = ratio >= 3 or name != "rdflib"
        ok &= good
        print(f"{'peer: ' + name + ' parse + SPARQL ASK':45} {median:7.3f}s  "
              f"kg path is {ratio:.1f}x faster{'' if good else '   <-- FAIL (target 3x)'}")
    return ok


if __name__ == "__main__":
    sys.exit(main())
