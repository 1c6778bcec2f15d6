"""Near-miss suggestions ("did you mean …") for ids, keys and names."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["close_matches", "did_you_mean"]


def close_matches(word: str, choices: Iterable[str], limit: int = 3, cutoff: float = 70) -> list[str]:
    """The choices most like ``word``, best first.

    Only choices scoring within 10 points of the best are kept, so one clear
    winner is not diluted by weaker look-alikes.
    """
    from rapidfuzz import fuzz, process  # only needed when something is wrong

    pool = sorted(set(choices))
    found = process.extract(word, pool, scorer=fuzz.WRatio, limit=limit, score_cutoff=cutoff)
    if not found:
        return []
    best = found[0][1]
    return [choice for choice, score, _index in found if score >= best - 10]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest choices, or an empty string."""
    matches = close_matches(word, choices)
    return "did you mean " + " or ".join(repr(m) for m in matches) + "?" if matches else ""
