"""Time to interactive of the HTML page on synthetic data, in headless Chromium.

Two measurements, each the median of several page loads (every request other
than the file itself aborted, as in the tests):

1. ``--facts N``: the page of ``kg export html --focus ENTITY`` on a
   synthetic landscape of N facts (bench/generate.py), around the busiest
   entity whose neighbourhood the command accepts (the hubs beyond
   ``MAX_ENTITIES`` are listed as refused) and around one of median degree.
   Target: 3 s.
2. ``--scan``: whole pages of growing landscapes, exported without the
   entity limit, to find how many entities a browser lays out and serves
   interactively; this is where ``kg.export.html.MAX_ENTITIES`` comes from.

"Interactive" means: the page has laid the graph out (``kg.isReady()``) and a
date change plus a selection have been drawn (``kg.setDate`` then
``kg.select``, timed inside the page as "step").

    python bench/html.py --facts 10000 --runs 5
    python bench/html.py --facts 0 --scan 900,1500,2100,3000,4500 --runs 3

Needs Debian's Chromium (/usr/bin/chromium) and the playwright package (the
test extra). Prints a table; exits 1 when the focused page misses 3 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

# Run as a script, this folder comes first on the path, and this file would shadow the
# standard library's `html`: put the repository there instead.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.generate import generate  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
TARGET_SECONDS = 3.0
_STEP = """() => {
    const t0 = performance.now();
    const day = kg.data.stops[Math.floor(kg.data.stops.length / 2)] || "";
    kg.setDate(day);
    const ids = kg.visible().nodes;
    if (ids.length) { kg.select(ids[0]); }
    return new Promise(done => requestAnimationFrame(() => done(performance.now() - t0)));
}"""


def load_page(browser: Any, page_file: Path) -> tuple[float, float]:
    """Seconds from navigation to a laid-out page, and milliseconds for one step (date + selection)."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://")
                  else route.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    start = time.perf_counter()
    page.goto(page_file.resolve().as_uri())
    page.wait_for_function("() => window.kg !== undefined && window.kg.isReady()", timeout=600_000,
                           polling=20)
    ready = time.perf_counter() - start
    step = page.evaluate(_STEP)
    context.close()
    if errors:
        raise SystemExit(f"{page_file}: the page raised {errors[0]}")
    return ready, step


def export(data: Path, target: Path, focus: str | None = None) -> tuple[int, int, float]:
    """Write the page (no entity limit); returns entities, facts and the export's seconds."""
    from kg.data.load import load
    from kg.export import html

    dataset = load(data)
    start = time.perf_counter()
    view = html.select(dataset, focus=focus, limit=None)
    html.write(view, target)
    return len(view.entities), len(view.facts), time.perf_counter() - start


def degrees(data: Path) -> list[tuple[str, int]]:
    from kg.data.load import load

    counts = Counter(end for fact in load(data).facts for end in (fact.subject, fact.object))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def fitting(data: Path, ranked: list[tuple[str, int]]) -> tuple[list[tuple[str, int]], tuple[str, int]]:
    """The hubs whose neighbourhood is over the page limit (the CLI refuses them), and the
    busiest entity whose neighbourhood fits."""
    from kg.data.load import load
    from kg.export import html

    dataset = load(data)
    refused = []
    for entity, degree in ranked:
        size = len(html.select(dataset, focus=entity, limit=None).entities)
        if size <= html.MAX_ENTITIES:
            return refused, (entity, degree)
        refused.append((entity, size))
    raise SystemExit("no entity's neighbourhood fits the page limit")


def measure(browser: Any, page_file: Path, runs: int) -> tuple[float, float]:
    results = [load_page(browser, page_file) for _ in range(runs)]
    return statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=10_000, help="size of the landscape for --focus pages")
    parser.add_argument("--scan", default="", help="comma-separated fact counts for whole pages")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    missed = False
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        work = Path(folder)
        print(f"| page | entities | facts | export s | ready s (median of {args.runs}) | step ms |")
        print("|---|---|---|---|---|---|")
        if args.facts:
            data = work / f"data-{args.facts}"
            generate(args.facts, data, args.seed)
            ranked = degrees(data)
            refused, busiest = fitting(data, ranked)
            for entity, entities in refused:
                print(f"| {args.facts:,} facts, --focus {entity}: refused (exit 2) | {entities:,} | | | | |")
            for name, (entity, _degree) in (("busiest that fits", busiest),
                                            ("median", ranked[len(ranked) // 2])):
                target = work / f"focus-{name}.html"
                entities, facts, seconds = export(data, target, focus=entity)
                ready, step = measure(browser, target, args.runs)
                missed |= ready > TARGET_SECONDS
                print(f"| {args.facts:,} facts, --focus {entity} ({name}) | {entities:,} | {facts:,} | "
                      f"{seconds:.2f} | {ready:.2f} | {step:.0f} |", flush=True)
        for size in [int(n) for n in args.scan.split(",") if n.strip()]:
            data = work / f"scan-{size}"
            generate(size, data, args.seed)
            target = work / f"whole-{size}.html"
            entities, facts, seconds = export(data, target)
            ready, step = measure(browser, target, args.runs)
            print(f"| {size:,} facts, whole page | {entities:,} | {facts:,} | {seconds:.2f} | "
                  f"{ready:.2f} | {step:.0f} |", flush=True)
        browser.close()
    if missed:
        print(f"a focused page missed {TARGET_SECONDS} s", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
