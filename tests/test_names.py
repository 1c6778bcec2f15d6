"""kg.data.names: names -> entities, in any script, case or width; ranked search."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from kg.data.load import load
from kg.data.model import Dataset, Entity
from kg.data.names import Match, NameIndex, normalize
from kg.errors import LookupFailed
from kg.util.yamlsafe import Loc

GOOD = FIXTURES / "good-mini"


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load(GOOD)


def entity(entity_id: str, label: str, *aliases: str) -> Entity:
    return Entity(id=entity_id, type="product", labels={"en": label}, loc=Loc("t.yaml", 1, 1),
                  aliases=list(aliases))


@pytest.mark.parametrize("a, b", [
    ("Sora 2", "Sora2"),
    ("Sora 2", "sora-2"),
    ("Sora 2", "ＳＯＲＡ　２"),
    ("Kling", "KLING"),
    ("Kling", "Ｋｌｉｎｇ"),
    ("可灵", "可靈"),
    ("Pokémon", "Pokemon"),
    ("Pokémon", "POKÉMON"),
    ("Pokémon", "Poke\u0301mon"),  # decomposed accent
    ("Sora app", "sora_app"),
    ("“Sora” app", "Sora app"),
])
def test_normalize_folds_equal_names(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


@pytest.mark.parametrize("a, b", [("Sora 2", "Sora 3"), ("可灵", "快手"), ("Veo", "Vee")])
def test_normalize_keeps_different_names_apart(a: str, b: str) -> None:
    assert normalize(a) != normalize(b)


def test_normalize_values() -> None:
    assert normalize("Sora 2") == "sora2"
    assert normalize("可靈AI") == "可灵ai"
    assert normalize(" - ") == ""


@pytest.mark.parametrize("name, entity_id", [
    ("kling", "kling"),                  # id
    ("Kling", "kling"),                  # en label
    ("可灵", "kling"),                    # zh-Hans label
    ("可靈", "kling"),                    # zh-Hant label
    ("Kling AI", "kling"),               # alias
    ("ｋｌｉｎｇ　ａｉ", "kling"),           # alias, full width
    ("KLING", "kling"),
    ("Sora2", "sora-2"),
    ("sora 2", "sora-2"),
    ("Sora", "sora-app"),                # alias
    ("Sora 應用", "sora-app"),            # zh-Hant label
    ("sora 应用", "sora-app"),
    ("Pokémon", "pokemon"),              # accented alias
    ("pokemon", "pokemon"),
    ("POKÉMON", "pokemon"),
    ("pocket monsters", "pokemon"),
    ("寶可夢", "pokemon"),
    ("宝可梦", "pokemon"),
    ("迪士尼", "disney"),
    ("快手", "kuaishou"),
])
def test_resolve(data: Dataset, name: str, entity_id: str) -> None:
    assert data.names.resolve(name) == entity_id
    assert data.resolve(name) is data.entities[entity_id]


@pytest.mark.parametrize("typo, first", [
    ("Klign", "kling"),
    ("Pokemom", "pokemon"),
    ("kuaishuo", "kuaishou"),
    ("open ai inc", "openai"),
])
def test_typos_get_suggestions(data: Dataset, typo: str, first: str) -> None:
    with pytest.raises(LookupFailed) as info:
        data.resolve(typo)
    assert str(info.value) == f"no entity named {typo!r}"
    assert info.value.candidates[0] == (first, data.entities[first].label)
    assert len(info.value.candidates) <= 5
    import shlex

    assert info.value.next_step is not None and f"kg search {shlex.quote(typo)}" in info.value.next_step


def test_nothing_alike_gives_no_suggestions(data: Dataset) -> None:
    with pytest.raises(LookupFailed) as info:
        data.resolve("zzqx")
    assert info.value.candidates == []


@pytest.mark.parametrize("name", ["", "   ", "!!!"])
def test_empty_names_name_nothing(data: Dataset, name: str) -> None:
    with pytest.raises(LookupFailed, match="no entity named"):
        data.resolve(name)


def ambiguous_index() -> NameIndex:
    # The validator refuses such data; the index must still answer sensibly.
    return NameIndex([
        entity("kling", "Kling", "可灵"),
        entity("kling-app", "Kling app", "可靈"),
        entity("kling-web", "Kling web", "KLING"),
    ])


def test_ambiguous_name_lists_the_candidates() -> None:
    with pytest.raises(LookupFailed) as info:
        ambiguous_index().resolve("Ｋｌｉｎｇ")
    assert str(info.value) == "'Ｋｌｉｎｇ' is ambiguous: it names 2 entities"
    assert info.value.candidates == [("kling", "Kling"), ("kling-web", "Kling web")]


def test_ambiguous_across_scripts() -> None:
    index = NameIndex([entity("kling", "Kling", "可灵"), entity("kling-app", "Kling app", "可靈")])
    with pytest.raises(LookupFailed) as info:
        index.resolve("可灵")
    assert info.value.candidates == [("kling", "Kling"), ("kling-app", "Kling app")]


def test_an_exact_id_always_wins() -> None:
    assert ambiguous_index().resolve("kling") == "kling"


# --- search ------------------------------------------------------------------------------------


def test_search_ranks_exact_then_prefix_then_contains(data: Dataset) -> None:
    matches = data.names.search("sora")
    assert [(m.id, m.score) for m in matches] == [
        ("sora-app", 100.0), ("sora-2", 95.0), ("sora-opt-out-policy", 95.0)]
    assert matches[0] == Match("sora-app", "app", "Sora app", 100.0, "Sora")


def test_search_contains_and_scripts(data: Dataset) -> None:
    matches = data.names.search("可")
    assert [(m.id, m.score, m.matched) for m in matches] == [
        ("kling", 95.0, "可灵"), ("pokemon", 90.0, "宝可梦")]
    assert [m.id for m in data.names.search("版權")] == ["sora-opt-out-policy"]


def test_search_fuzzy_scores_below_contains(data: Dataset) -> None:
    matches = data.names.search("Kuaishuo")
    assert matches[0].id == "kuaishou"
    assert 50 <= matches[0].score < 90


def test_search_limit_and_order(data: Dataset) -> None:
    assert [m.id for m in data.names.search("sora", limit=2)] == ["sora-app", "sora-2"]
    scores = [m.score for m in data.names.search("o")]
    assert scores == sorted(scores, reverse=True)


def test_search_without_result(data: Dataset) -> None:
    assert data.names.search("zzqx") == []
    assert data.names.search("   ") == []


def test_match_to_json() -> None:
    match = Match("kling", "model", "Kling", 88.888, "Kling AI")
    assert match.to_json() == {"id": "kling", "type": "model", "label": "Kling", "score": 88.9,
                               "matched": "Kling AI"}


def test_index_ignores_names_that_fold_to_nothing() -> None:
    index = NameIndex([entity("x", "X", "!!!")])
    assert "" not in index.keys
    assert index.search("!!!") == []


def test_suggestions_on_the_shipped_data_are_close_ones() -> None:
    from conftest import SEEDS

    from kg.data.load import load

    shipped = load(SEEDS)
    with pytest.raises(LookupFailed) as info:
        shipped.resolve("disnee")
    assert info.value.candidates == [("disney", "Disney")]
    with pytest.raises(LookupFailed) as info:
        shipped.resolve("nobody")
    assert info.value.candidates == []
