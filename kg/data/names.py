"""Names -> entities: lookup by id, label or alias, and ranked search.

Names are compared after folding case, width (full-width Ｓｏｒａ = Sora),
accents (Pokémon = Pokemon), traditional to simplified Chinese (可靈 = 可灵)
and spacing/punctuation (Sora2 = Sora 2).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from kg.errors import LookupFailed

if TYPE_CHECKING:
    from kg.data.model import Entity

__all__ = ["Match", "NameIndex", "normalize"]

_DROP = {"Zs", "Pd", "Pc", "Po", "Ps", "Pe", "Pi", "Pf"}  # spaces and punctuation


@lru_cache(maxsize=1)
def _to_simplified():
    import opencc

    return opencc.OpenCC("t2s")


def normalize(text: str) -> str:
    """The folded form under which two names count as the same."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _to_simplified().convert(text)
    decomposed = unicodedata.normalize("NFKD", text)
    kept = (c for c in decomposed
            if not unicodedata.combining(c) and unicodedata.category(c) not in _DROP)
    return unicodedata.normalize("NFC", "".join(kept))


@dataclass(frozen=True)
class Match:
    id: str
    type: str
    label: str
    score: float
    matched: str  # the name or text that matched

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "type": self.type, "label": self.label,
                "score": round(self.score, 1), "matched": self.matched}


# The score ladder every search uses: the whole name, its start, a part of it, else a fuzzy
# similarity kept below a part's score (and dropped under FUZZY_FLOOR).
EXACT, PREFIX, CONTAINS, FUZZY_CEILING, FUZZY_FLOOR = 100.0, 95.0, 90.0, 89.0, 50


class Ranking:
    """The best-scoring name of each entity for one query, offered name by name (in a fixed
    order, so that of two names scoring alike the first is kept)."""

    def __init__(self, query: str) -> None:
        self.query = query
        self.best: dict[str, tuple[float, str]] = {}

    def _keep(self, entity_id: str, score: float, original: str) -> None:
        if score > self.best.get(entity_id, (0.0, ""))[0]:
            self.best[entity_id] = (score, original)

    def offer(self, folded: str, original: str, entity_id: str) -> bool:
        """Score a name by the ladder; False when only a fuzzy score could rank it."""
        if folded == self.query:
            self._keep(entity_id, EXACT, original)
        elif folded.startswith(self.query):
            self._keep(entity_id, PREFIX, original)
        elif self.query in folded:
            self._keep(entity_id, CONTAINS, original)
        else:
            return False
        return True

    def offer_fuzzy(self, names: list[tuple[str, str, str]]) -> None:
        """Score names that hold no part of the query (folded, original, entity id) by similarity."""
        if not names:
            return
        from rapidfuzz import fuzz, process

        hits = process.extract(self.query, [name[0] for name in names], scorer=fuzz.WRatio,
                               score_cutoff=FUZZY_FLOOR, limit=None)
        for _choice, score, index in sorted(hits, key=lambda hit: hit[2]):
            _folded, original, entity_id = names[index]
            self._keep(entity_id, min(score, FUZZY_CEILING), original)

    def top(self, limit: int) -> list[tuple[str, float, str]]:
        """(entity id, score, the name that matched), best first, ties by id."""
        ranked = sorted(self.best.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
        return [(entity_id, score, matched) for entity_id, (score, matched) in ranked]


def lookup_failure(name: str, ids: list[str], labels: dict[str, str], found: list[Match]) -> LookupFailed:
    """The error for a name that names several entities (``ids``) or none (then the close
    matches in ``found`` are suggested, none far behind the best), with a next step."""
    if len(ids) > 1:
        return LookupFailed(f"{name!r} is ambiguous: it names {len(ids)} entities",
                            [(i, labels[i]) for i in ids])
    import shlex

    best = found[0].score if found else 0
    suggestions = [(m.id, m.label) for m in found if m.score >= max(70, best - 15)]
    quoted = shlex.quote(name)
    return LookupFailed(f"no entity named {name!r}", suggestions,
                        f"`kg search {quoted}` lists entities with names like it; "
                        f"`kg add entity {quoted} --type TYPE` declares it")


class NameIndex:
    """Every entity's id, labels and aliases, under their folded form."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.entities = {e.id: e for e in entities}
        self.keys: dict[str, set[str]] = {}
        self.names: list[tuple[str, str, str]] = []  # (folded, original, entity id)
        for entity in self.entities.values():
            for name in dict.fromkeys([*entity.names(), entity.id]):
                folded = normalize(name)
                if folded:
                    self.keys.setdefault(folded, set()).add(entity.id)
                    self.names.append((folded, name, entity.id))

    def resolve(self, name: str) -> str:
        """The id of the one entity ``name`` names; raises LookupFailed."""
        if name in self.entities:
            return name
        ids = sorted(self.keys.get(normalize(name), set()))
        if len(ids) == 1:
            return ids[0]
        labels = {i: self.entities[i].label for i in ids}
        raise lookup_failure(name, ids, labels, [] if ids else self.search(name, limit=5))

    def search(self, text: str, limit: int = 10) -> list[Match]:
        """Entities whose names match ``text``, best first.

        Exact name = 100; a name starting with the text = 95; containing it =
        90; otherwise a fuzzy similarity score (0-100, at least 50 to count).
        """
        query = normalize(text)
        if not query:
            return []
        ranking = Ranking(query)
        ranking.offer_fuzzy([name for name in self.names if not ranking.offer(*name)])
        return [Match(i, self.entities[i].type, self.entities[i].label, score, matched)
                for i, score, matched in ranking.top(limit)]
