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


def unknown_name(name: str, found: list[Match]) -> LookupFailed:
    """The error for a name no entity has: the close matches among ``found`` (none far behind
    the best one), and the next step, to search for it or to declare it."""
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
        ids = self.keys.get(normalize(name), set())
        if len(ids) == 1:
            return next(iter(ids))
        if len(ids) > 1:
            candidates = [(i, self.entities[i].label) for i in sorted(ids)]
            raise LookupFailed(f"{name!r} is ambiguous: it names {len(ids)} entities", candidates)
        raise unknown_name(name, self.search(name, limit=5))

    def search(self, text: str, limit: int = 10) -> list[Match]:
        """Entities whose names match ``text``, best first.

        Exact name = 100; a name starting with the text = 95; containing it =
        90; otherwise a fuzzy similarity score (0-100, at least 50 to count).
        """
        query = normalize(text)
        if not query:
            return []
        best: dict[str, tuple[float, str]] = {}
        fuzzy: list[tuple[str, str, str]] = []
        for folded, original, entity_id in self.names:
            if folded == query:
                score = 100.0
            elif folded.startswith(query):
                score = 95.0
            elif query in folded:
                score = 90.0
            else:
                fuzzy.append((folded, original, entity_id))
                continue
            if score > best.get(entity_id, (0.0, ""))[0]:
                best[entity_id] = (score, original)
        if fuzzy:
            from rapidfuzz import fuzz

            for folded, original, entity_id in fuzzy:
                score = min(fuzz.WRatio(query, folded), 89.0)
                if score >= 50 and score > best.get(entity_id, (0.0, ""))[0]:
                    best[entity_id] = (score, original)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
        return [Match(i, self.entities[i].type, self.entities[i].label, score, matched)
                for i, (score, matched) in ranked]
