"""A synthetic AI-video landscape in the project's own YAML format, for scale tests.

    python bench/generate.py --facts 100000 --out /tmp/kg-100k [--seed 7] [--shape flat]

Deterministic for a given ``--facts``, ``--seed`` and ``--shape``; valid against
the ontology (relations are drawn from those whose domain and range fit, claims
only where a relation allows them, rights holders for ``opted-out-of``).
About N/3 entities and N/1000 files (at least one); a share of entities carry
Chinese labels, facts carry dates, sources and some claims, and about N/50
figures are added. Two shapes: ``hubs`` (the default), where a few hubs draw a
quarter of all fact ends (preferential attachment), and ``flat``, where every
end is drawn alike, so the largest degree stays small.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.data.ontology import Ontology, load_ontology  # noqa: E402

# Relations the generator draws from, with a weight: the common business ties most often.
RELATIONS = {
    "competes-with": 6, "integrates": 5, "develops": 5, "partners-with": 3, "uses": 4,
    "owns": 2, "has-feature": 5, "has-policy": 1, "opted-out-of": 1, "subsidiary-of": 1,
    "threatens": 1, "announced": 2, "funds": 1, "likened-to": 1, "leads": 1,
}
TYPES = {"organization": 30, "person": 6, "product": 10, "app": 12, "platform": 10, "model": 14,
         "feature": 12, "policy": 3, "creative-work": 3}
WORDS = ["Nova", "Pixel", "Lumen", "Vista", "Flux", "Orbit", "Echo", "Prism", "Vertex", "Aurora",
         "Cinder", "Drift", "Ember", "Frame", "Glide", "Halo", "Ion", "Jade", "Kite", "Loom"]
CJK = ["星云", "光影", "极速", "天幕", "灵动", "云海", "幻境", "飞帧", "青鸟", "墨影"]
CURRENCIES = ["USD", "CNY", "EUR"]


def _date(rng: random.Random) -> str:
    year = rng.randint(2016, 2026)
    month = rng.randint(1, 12)
    if rng.random() < 0.3:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


SHAPES = {"hubs": 0.25, "flat": 0.0}  # the share of fact ends drawn among the hubs


class Landscape:
    def __init__(self, facts: int, seed: int, ontology: Ontology, shape: str = "hubs") -> None:
        self.rng = random.Random(seed)
        self.hub_share = SHAPES[shape]
        self.onto = ontology
        self.n_facts = facts
        self.n_entities = max(12, facts // 3)
        self.n_files = max(1, facts // 1000)
        self.n_sources = max(3, min(200, facts // 500))
        self.entities: list[tuple[str, str, bool]] = []  # (id, type, rights holder)
        self.by_type: dict[str, list[int]] = {}
        self.weight: list[float] = []
        self.pools: dict[tuple, list[int]] = {}

    def make_entities(self) -> None:
        types = list(TYPES)
        weights = list(TYPES.values())
        for i in range(self.n_entities):
            kind = types[i] if i < len(types) else self.rng.choices(types, weights)[0]
            holder = kind in ("organization", "person") and self.rng.random() < 0.1
            self.entities.append((f"{kind}-{i}", kind, holder))
            self.weight.append(1.0 / (1 + i) ** 0.9)  # among the hubs, a power law
        for index, (_id, kind, _h) in enumerate(self.entities):
            for ancestor in self.onto.ancestors(kind):
                self.by_type.setdefault(ancestor, []).append(index)

    def pick(self, allowed: list[str], holder: bool = False) -> int | None:
        key = (tuple(allowed), holder)
        pool = self.pools.get(key)
        if pool is None:
            pool = [i for t in allowed for i in self.by_type.get(t, [])]
            if holder:
                pool = [i for i in pool if self.entities[i][2]]
            self.pools[key] = pool
        if not pool:
            return None
        hubs = self.pools.get(("hubs", *key))
        if hubs is None:
            hubs = self.pools[("hubs", *key)] = [i for i in pool if i < 20]
        if hubs and self.hub_share and self.rng.random() < self.hub_share:
            return self.rng.choices(hubs, [self.weight[i] for i in hubs])[0]
        return self.rng.choice(pool)

    def facts(self) -> list[dict]:
        relations = [r for r in RELATIONS if r in self.onto.relations]
        weights = [RELATIONS[r] for r in relations]
        seen: set[tuple] = set()
        touched: set[int] = set()
        out: list[dict] = []
        attempts = 0
        while len(out) < self.n_facts and attempts < self.n_facts * 20:
            attempts += 1
            # Every entity takes part in at least one fact: every other fact starts from the next one.
            early = len(out) < 2 * len(self.entities) and len(out) % 2 == 0
            forced = len(out) // 2 if early else None
            rel_id = self.rng.choices(relations, weights)[0]
            relation = self.onto.relations[rel_id]
            domain, range_ = relation.get("domain"), relation.get("range")
            if forced is not None:
                kind = self.entities[forced][1]
                ancestors = set(self.onto.ancestors(kind))
                if ancestors & set(domain) and not relation.get("subject_role"):
                    subject, obj = forced, self.pick(range_)
                elif ancestors & set(range_):
                    subject, obj = self.pick(domain, bool(relation.get("subject_role"))), forced
                else:
                    continue
            else:
                subject = self.pick(domain, bool(relation.get("subject_role")))
                obj = self.pick(range_)
            if subject is None or obj is None or subject == obj:
                continue
            allowed = relation.get("allowed_kinds") or ["fact", "event", "claim"]
            kind = "claim" if "claim" in allowed and (allowed == ["claim"] or self.rng.random() < 0.1) \
                else ("event" if "event" in allowed and self.rng.random() < 0.3 else allowed[0])
            since = _date(self.rng) if kind == "event" or self.rng.random() < 0.7 else None
            s_id, o_id = self.entities[subject][0], self.entities[obj][0]
            key = (min(s_id, o_id), max(s_id, o_id), rel_id, since) if relation.symmetric \
                else (s_id, o_id, rel_id, since)
            if key in seen:
                continue
            seen.add(key)
            touched.update((subject, obj))
            fact = {"subject": s_id, "relation": rel_id, "object": o_id, "kind": kind}
            if since:
                fact["since"] = since
                if kind == "fact" and self.rng.random() < 0.1:
                    fact["until"] = f"{int(since[:4]) + 1}"
            if kind == "claim":
                people = self.by_type.get("person", [])
                if people and self.rng.random() < 0.5:
                    claimant = self.rng.choice(people)
                    fact["claimed_by"] = self.entities[claimant][0]
                    touched.add(claimant)
            source = self.rng.randrange(self.n_sources)
            fact["sources"] = [{"source": f"source-{source}",
                                "locator": f"§{self.rng.randint(1, 9)}, para {self.rng.randint(1, 30)}"}]
            out.append(fact)
        self.untouched = [i for i in range(len(self.entities)) if i not in touched]
        return out

    def figures(self, kept: set[int]) -> list[dict]:
        out: list[dict] = []
        metrics = [m for m in ("downloads", "revenue", "price", "chart-rank") if m in self.onto.metrics]
        if not metrics:
            return out
        for n in range(max(1, self.n_facts // 50)):
            index = self.pick(["product"])
            if index is None:
                break
            if index not in kept:
                continue
            metric = self.rng.choice(metrics)
            unit = self.onto.metrics[metric].get("unit")
            if unit == "currency":
                unit = self.rng.choice(CURRENCIES)
            out.append({"id": f"figure-{n}", "entity": self.entities[index][0], "metric": metric,
                        "value": self.rng.randint(1, 10_000), "unit": unit, "since": _date(self.rng),
                        "kind": "fact",
                        "sources": [{"source": f"source-{self.rng.randrange(self.n_sources)}",
                                     "locator": f"§{self.rng.randint(1, 9)}, para 1"}]})
        return out


def _entity_yaml(index: int, entity_id: str, kind: str, holder: bool, rng: random.Random) -> str:
    word = WORDS[index % len(WORDS)]
    lines = [f"  - id: {entity_id}", f"    type: {kind}"]
    label = f"{word} {kind.replace('-', ' ').title()} {index}"
    if rng.random() < 0.25:
        cjk = f"{CJK[index % len(CJK)]}{index}号"
        lines.append(f"    labels: {{en: {_q(label)}, zh-Hans: {_q(cjk)}}}")
    else:
        lines.append(f"    labels: {{en: {_q(label)}}}")
    if rng.random() < 0.2:
        lines.append(f"    aliases: [{_q(f'{word}{index}')}]")
    if holder:
        lines.append("    roles: [rights-holder]")
    if rng.random() < 0.3:
        lines.append(f"    description: {_q(f'A synthetic {kind} number {index} for scale tests.')}")
    return "\n".join(lines) + "\n"


def _record_yaml(record: dict) -> str:
    lines = []
    first = True
    for key, value in record.items():
        prefix = "  - " if first else "    "
        first = False
        if key == "sources":
            refs = ", ".join(f"{{source: {r['source']}, locator: {_q(r['locator'])}}}" for r in value)
            lines.append(f"{prefix}sources: [{refs}]")
        else:
            lines.append(f"{prefix}{key}: {value}")
    return "\n".join(lines) + "\n"


def generate(facts: int, out: Path, seed: int = 7, ontology: Ontology | None = None,
             shape: str = "hubs") -> dict[str, int]:
    """Write the landscape into ``out`` (created); returns the counts written."""
    onto = ontology or load_ontology()
    land = Landscape(facts, seed, onto, shape)
    land.make_entities()
    fact_records = land.facts()
    kept = set(range(len(land.entities))) - set(land.untouched)
    figure_records = land.figures(kept)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.yaml"):
        old.unlink()
    sources = ["sources:\n"]
    for n in range(land.n_sources):
        sources.append(f"  - id: source-{n}\n    title: {_q(f'Synthetic report {n}')}\n"
                       f"    publisher: Synthetic Press\n    date: 2025-10-{1 + n % 28:02d}\n"
                       f"    language: en\n")
    # Whatever the registry asks of a source beyond the basics, in the shape it asks for.
    fields = _source_fields()
    extra = "".join(line for key, line in (
        ("shipped", "    shipped: false\n"),
        ("published_in", "    published_in: A synthetic landscape for scale tests, not published\n"),
    ) if key in fields)
    sources = [s.replace("    language: en\n", "    language: en\n" + extra) for s in sources]
    (out / "sources.yaml").write_text("".join(sources), encoding="utf-8")
    rng = random.Random(seed + 1)
    per_file: list[list[str]] = [[] for _ in range(land.n_files)]
    for index, (entity_id, kind, holder) in enumerate(land.entities):
        if index in kept:
            per_file[index % land.n_files].append(_entity_yaml(index, entity_id, kind, holder, rng))
    facts_per_file: list[list[str]] = [[] for _ in range(land.n_files)]
    for n, fact in enumerate(fact_records):
        facts_per_file[n % land.n_files].append(_record_yaml(fact))
    figures_per_file: list[list[str]] = [[] for _ in range(land.n_files)]
    for n, figure in enumerate(figure_records):
        figures_per_file[n % land.n_files].append(_record_yaml(figure))
    width = len(str(land.n_files))
    for n in range(land.n_files):
        parts = []
        if per_file[n]:
            parts.append("entities:\n" + "\n".join(per_file[n]))
        if facts_per_file[n]:
            parts.append("facts:\n" + "\n".join(facts_per_file[n]))
        if figures_per_file[n]:
            parts.append("figures:\n" + "\n".join(figures_per_file[n]))
        (out / f"part-{n:0{width}d}.yaml").write_text("\n".join(parts), encoding="utf-8")
    return {"entities": len(kept), "facts": len(fact_records), "figures": len(figure_records),
            "sources": land.n_sources, "files": land.n_files + 1}


def _source_fields() -> set[str]:
    from kg.data.load import _SPECS

    return set(_SPECS["sources"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, required=True, help="number of facts (N)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (its *.yaml are replaced)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--shape", choices=sorted(SHAPES), default="hubs",
                        help="hubs: a few entities draw a quarter of all fact ends (default); "
                        "flat: every end drawn alike")
    args = parser.parse_args(argv)
    if args.facts < 10:
        parser.error("--facts must be at least 10")
    counts = generate(args.facts, args.out, args.seed, shape=args.shape)
    print(", ".join(f"{v} {k}" for k, v in counts.items()), f"-> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
