"""The benchmarks' peers answer the question they are timed on (a broken peer would make the
benchmark print nothing to compare with)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import scale  # noqa: E402

import bench  # noqa: E402


def test_rdflib_and_pyoxigraph_peers_answer_the_reachability_question() -> None:
    dump = REPO / "exports" / "ai-video-kg.ttl"
    reachable = scale.reachability_query("disney", "kling")
    unknown = scale.reachability_query("disney", "no-such-entity")
    for script in (bench.PEER_RDFLIB, scale.PEER_OXIGRAPH):
        for query, expected in ((reachable, "True"), (unknown, "False")):
            done = subprocess.run([sys.executable, "-c", script, str(dump), query],
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
            assert done.stdout.strip() == expected


def test_near_hub_is_the_largest_entity_within_three_hops() -> None:
    edges = [("a", "b"), ("b", "c"), ("c", "d"), ("d", "e"), ("e", "f"), ("f", "g"), ("g", "h"),
             ("b", "x"), ("x", "y"), ("b", "z"), ("h", "i"), ("h", "j"), ("h", "k"), ("h", "l")]
    assert scale.hub(edges) == ("h", 5)
    assert scale.hub(edges, 1) == ("b", 4)  # the second hub, five hops away
    assert scale.near_hub(edges, "h") == "e"  # of degree 2 within three hops, first by id
    assert scale.near_hub(edges, "b") == "c"
