"""kg.rdf: the vocabulary, the RDF of a dataset in five syntaxes, reading a dump back, SPARQL."""

from __future__ import annotations

import os
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS

from kg import rdf
from kg.data.load import load
from kg.data.model import Dataset
from kg.data.ontology import load_ontology
from kg.errors import KgError
from tests.conftest import FIXTURES, ONTOLOGY, REPO, SEEDS
from tests.datagen import write_text_dataset
from tests.roundtrip import HOSTILE_TEXTS, check_rdf, literals_oxigraph

SMALL = FIXTURES / "rdf-small"
XSD_BASE = "http://www.w3.org/2001/XMLSchema#"
OXI_FORMATS = {"turtle": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES,
               "jsonld": pyoxigraph.RdfFormat.JSON_LD, "trig": pyoxigraph.RdfFormat.TRIG,
               "xml": pyoxigraph.RdfFormat.RDF_XML}


@lru_cache(maxsize=1)
def small() -> Dataset:
    return load(SMALL)


@lru_cache(maxsize=1)
def shipped() -> Dataset:
    return load(SEEDS)


@lru_cache(maxsize=1)
def small_graph() -> rdflib.Graph:
    return rdf.dataset_graph(small())


def names() -> rdf.Names:
    return rdf.Names.of(small().ontology)


def ent(entity_id: str) -> URIRef:
    return names().mint(names().entity, entity_id)


def fact_iri(fact_id: str) -> URIRef:
    return names().mint(names().fact, fact_id)


def kg(local: str) -> URIRef:
    return names().vocab[local]


def xsd(local: str) -> URIRef:
    return URIRef(XSD_BASE + local)


# ---------------------------------------------------------------- vocabulary


def test_vocabulary_has_a_class_per_entity_type_with_parents_and_labels() -> None:
    onto = load_ontology()
    graph = rdf.vocabulary_graph(onto)
    vocab = rdf.Vocab(onto)
    for type_id, spec in onto.entity_types.items():
        cls = vocab.types[type_id]
        assert cls == vocab.kg[spec.rdf_name]
        assert (cls, RDF.type, OWL.Class) in graph
        parent = vocab.types[spec.parent] if spec.parent else vocab["Entity"]
        assert (cls, RDFS.subClassOf, parent) in graph
        for lang, text in spec.label.items():
            assert (cls, RDFS.label, Literal(text, lang=lang)) in graph
        assert (cls, SKOS.definition, Literal(spec.definition, lang="en")) in graph


def test_vocabulary_has_a_property_per_relation_with_domain_range_and_symmetry() -> None:
    onto = load_ontology()
    graph = rdf.vocabulary_graph(onto)
    vocab = rdf.Vocab(onto)
    assert vocab.relations["opted-out-of"] == vocab.kg["optedOutOf"]
    for rel_id, relation in onto.relations.items():
        prop = vocab.kg[relation.rdf_name]
        assert (prop, RDF.type, OWL.ObjectProperty) in graph
        assert ((prop, RDF.type, OWL.SymmetricProperty) in graph) == relation.symmetric
        assert (prop, RDFS.label, Literal(relation.label["en"], lang="en")) in graph
        for side, pred in (("domain", RDFS.domain), ("range", RDFS.range)):
            types = getattr(relation, side)
            value = graph.value(prop, pred)
            if len(types) == 1:
                assert value == vocab.types[types[0]]
            else:
                members = list(rdflib.collection.Collection(graph, graph.value(value, OWL.unionOf)))
                assert members == [vocab.types[t] for t in types], rel_id


def test_vocabulary_has_kinds_metrics_roles_qualifiers_and_attributes() -> None:
    onto = load_ontology()
    graph = rdf.vocabulary_graph(onto)
    vocab = rdf.Vocab(onto)
    for kind in onto.fact_kinds:
        assert (vocab.kinds[kind], RDF.type, vocab["FactKind"]) in graph
    for metric in onto.metrics:
        assert (vocab.metrics[metric], RDF.type, vocab["Metric"]) in graph
    for role in onto.roles:
        assert (vocab.roles[role], RDFS.subClassOf, vocab["Entity"]) in graph
    for section in ("qualifiers", "attributes"):
        for term in getattr(vocab, section).values():
            assert (term, RDFS.domain, None) in graph


def test_vocabulary_turtle_is_deterministic_and_parses() -> None:
    onto = load_ontology()
    first = rdf.vocabulary_turtle(onto)
    assert first == rdf.vocabulary_turtle(onto)
    assert first.startswith(b"# The vocabulary")
    assert len(list(pyoxigraph.parse(first, format=pyoxigraph.RdfFormat.TURTLE))) == \
        len(rdflib.Graph().parse(data=first, format="turtle"))


def test_an_rdf_name_clash_in_the_ontology_is_an_error(tmp_path: Path) -> None:
    text = ONTOLOGY.read_text(encoding="utf-8").replace(
        "entity_types:\n",
        "entity_types:\n  statement:\n    label: {en: statement}\n    definition: A clash.\n", 1)
    path = tmp_path / "ontology.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KgError, match=r"entity type 'statement' and a built-in term would both be "
                                      r"named kg:Statement"):
        rdf.Vocab(load_ontology(path))


def test_names_come_from_the_ontology_namespace_block() -> None:
    onto = load_ontology()
    n = rdf.Names.of(onto)
    assert str(n.vocab) == onto.namespace["vocabulary"]
    assert n.entity == onto.namespace["entities"]
    assert n.graph == "urn:ai-video-kg:graph:"
    assert n.mint(n.fact, "a b/c") == URIRef(onto.namespace["facts"] + "a%20b%2Fc")
    assert rdf.Names.local(n.fact, n.mint(n.fact, "a b/c")) == "a b/c"
    assert rdf.Names.local(n.fact, URIRef("urn:other:x")) is None


# ---------------------------------------------------------------- instance data


def test_entities_are_typed_labelled_and_described() -> None:
    graph = small_graph()
    app = ent("acme-app")
    for cls in ("Entity", "App", "Product"):  # the types are materialised up to kg:Entity
        assert (app, RDF.type, kg(cls)) in graph
    acme = ent("acme")
    assert {(str(lit), lit.language) for lit in graph.objects(acme, RDFS.label)} == {
        ("Acme Video", "en"), ("艾克米视频", "zh-Hans"), ("艾克米視頻", "zh-Hant")}
    assert set(graph.objects(acme, SKOS.altLabel)) == {Literal("Acme"), Literal("ACME Corp")}
    assert graph.value(acme, DCTERMS.description) == Literal("A made-up video company.", lang="en")
    assert graph.value(acme, kg("founded")) == Literal("2019-03", datatype=xsd("gYearMonth"))
    assert graph.value(acme, kg("url")) == Literal("https://example.org/acme", datatype=xsd("anyURI"))
    assert graph.value(ent("acme-gen"), kg("founded")) == Literal("2025-09-30", datatype=xsd("date"))
    assert graph.value(ent("beta-studio"), kg("founded")) == Literal("1950", datatype=xsd("gYear"))
    assert (ent("beta-studio"), RDF.type, kg("RightsHolder")) in graph


def test_a_fact_gives_a_direct_triple_and_a_statement_node() -> None:
    graph = small_graph()
    studio, policy = ent("beta-studio"), ent("beta-policy")
    assert (studio, kg("optedOutOf"), policy) in graph
    st = fact_iri("beta-studio--opted-out-of--beta-policy--2025-10-03")
    assert (st, RDF.type, kg("Statement")) in graph
    assert graph.value(st, RDF.subject) == studio
    assert graph.value(st, RDF.predicate) == kg("optedOutOf")
    assert graph.value(st, RDF.object) == policy
    assert graph.value(st, kg("kind")) == kg("Event")
    assert graph.value(st, kg("since")) == Literal("2025-10-03", datatype=xsd("date"))
    assert graph.value(st, kg("channel")) == Literal("a letter")
    assert graph.value(st, SKOS.note) == Literal("A made-up opt-out.", lang="en")
    amount = graph.value(st, kg("amount"))
    assert graph.value(amount, kg("value")) == Literal("1.5", datatype=xsd("decimal"))
    assert graph.value(amount, kg("unit")) == Literal("USD")
    assert graph.value(amount, kg("scale")) == Literal("million")
    source = names().mint(names().source, "example-report")
    assert graph.value(st, PROV.wasDerivedFrom) == source
    citation = graph.value(st, PROV.qualifiedDerivation)
    assert graph.value(citation, PROV.entity) == source
    assert graph.value(citation, kg("locator")) == Literal("§2, para 1")


def test_qualifiers_keep_their_datatypes() -> None:
    graph = small_graph()
    st = fact_iri("acme-app--outranked--gamma--2025-10-05")
    assert graph.value(st, kg("rank")) == Literal("1", datatype=xsd("integer"))
    assert graph.value(st, kg("chart")) == Literal("free apps")
    integrates = fact_iri("acme-app--integrates--acme-gen--2025-09-30")
    assert graph.value(integrates, kg("via")) == ent("store")
    assert graph.value(integrates, kg("until")) == Literal("2025-12", datatype=xsd("gYearMonth"))


def test_citations_keep_their_order_and_locators() -> None:
    graph = small_graph()
    st = fact_iri("acme--develops--acme-gen--2025-09")
    cited = sorted((int(graph.value(c, kg("position"))), str(graph.value(c, kg("locator"))))
                   for c in graph.objects(st, PROV.qualifiedDerivation))
    assert cited == [(1, "§1, para 2"), (2, "第2段")]


def test_claims_get_a_statement_but_no_direct_triple() -> None:
    graph = small_graph()
    gamma, app = ent("gamma"), ent("acme-app")
    assert (gamma, kg("threatens"), app) not in graph
    assert (app, kg("likenedTo"), gamma) not in graph
    st = fact_iri("gamma--threatens--acme-app--2025-10")
    assert graph.value(st, kg("kind")) == kg("Claim")
    assert graph.value(st, kg("claimedBy")) == ent("pundit")


def test_symmetric_relations_give_direct_triples_both_ways() -> None:
    graph = small_graph()
    gen, gamma = ent("acme-gen"), ent("gamma")
    assert (gen, kg("competesWith"), gamma) in graph
    assert (gamma, kg("competesWith"), gen) in graph
    statements = list(graph.subjects(RDF.predicate, kg("competesWith")))
    assert len(statements) == 1  # one statement, in the direction stated


def test_figures_and_sources() -> None:
    graph = small_graph()
    figure = names().mint(names().figure, "acme-app--downloads--2025-09-30")
    assert graph.value(figure, kg("entity")) == ent("acme-app")
    assert graph.value(figure, kg("metric")) == kg("Downloads")
    assert graph.value(figure, kg("value")) == Literal("164", datatype=xsd("integer"))
    assert graph.value(figure, kg("scale")) == Literal("thousand")
    assert set(graph.objects(figure, DCTERMS.spatial)) == {Literal("US"), Literal("CA")}
    assert graph.value(figure, kg("measuredBy")) == ent("pundit")
    revenue = names().mint(names().figure, "acme--revenue--2025")
    assert graph.value(revenue, kg("lowerBound")) == Literal("10", datatype=xsd("integer"))
    assert graph.value(revenue, kg("upperBound")) == Literal("45.5", datatype=xsd("decimal"))
    assert graph.value(revenue, kg("kind")) == kg("Claim")
    source = names().mint(names().source, "example-report")
    assert graph.value(source, DCTERMS.title) == Literal("Example Report on Video Apps", lang="en")
    assert graph.value(source, DCTERMS.publisher) == Literal("Example Press")
    assert graph.value(source, DCTERMS.creator) == Literal("A. Writer")
    assert graph.value(source, DCTERMS.date) == Literal("2025-10", datatype=xsd("gYearMonth"))
    assert graph.value(source, DCTERMS.language) == Literal("en")
    assert graph.value(source, kg("shipped")) is None and graph.value(source, kg("file")) is None
    digest = names().mint(names().source, "example-digest")
    assert graph.value(digest, kg("publishedIn")) == Literal("Test fixture, not published")


def test_reference_edges_are_direct_triples_only() -> None:
    graph = small_graph()
    # The figure's measuredBy becomes a direct triple of the derived relation `measured` …
    assert (ent("pundit"), kg("measured"), ent("acme-app")) in graph
    # … and no statement node of its own.
    assert not list(graph.subjects(RDF.predicate, kg("measured")))


def test_the_data_has_no_blank_nodes() -> None:
    assert not [t for t in small_graph() for node in t if isinstance(node, rdflib.BNode)]


# ---------------------------------------------------------------- syntaxes


def _count_rdflib(data: bytes, fmt: str) -> int:
    if fmt == "trig":
        store = rdflib.Dataset()
        store.parse(data=data, format="trig")
        return len(list(store.quads((None, None, None, None))))
    return len(rdflib.Graph().parse(data=data, format=rdf.FORMATS[fmt][0]))


@pytest.mark.parametrize("data", [small, shipped], ids=["fixture", "shipped"])
def test_every_syntax_parses_with_rdflib_and_pyoxigraph_to_the_same_count(data) -> None:
    dataset = data()
    expected = len(rdf.dataset_graph(dataset))
    for fmt in rdf.FORMATS:
        text = rdf.serialize(dataset, fmt)
        assert _count_rdflib(text, fmt) == expected, fmt
        assert len(list(pyoxigraph.parse(text, format=OXI_FORMATS[fmt]))) == expected, fmt


def test_trig_has_the_direct_triples_in_the_default_graph_and_a_graph_per_file() -> None:
    store = pyoxigraph.Store()
    store.load(rdf.serialize(small(), "trig"), format=pyoxigraph.RdfFormat.TRIG)
    graphs = sorted(g.value for g in store.named_graphs())
    assert graphs == ["urn:ai-video-kg:graph:acme.yaml", "urn:ai-video-kg:graph:claims.yaml",
                      "urn:ai-video-kg:graph:sources.yaml"]
    default = list(store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()))
    assert default and all(q.predicate.value.startswith(names().vocab) for q in default)
    claims = list(store.quads_for_pattern(None, None, None,
                                          pyoxigraph.NamedNode("urn:ai-video-kg:graph:claims.yaml")))
    assert {q.subject.value for q in claims if q.predicate.value == str(RDF.type)} == {
        str(fact_iri("gamma--threatens--acme-app--2025-10")),
        str(fact_iri("acme-app--likened-to--gamma")),
        str(fact_iri("gamma--threatens--acme-app--2025-10")) + "#source-1",
        str(fact_iri("acme-app--likened-to--gamma")) + "#source-1"}


def test_file_names_are_relative_to_the_shared_folder() -> None:
    assert rdf.file_names(["/x/data/a.yaml", "/x/data/sub/b.yaml"]) == {
        "/x/data/a.yaml": "a.yaml", "/x/data/sub/b.yaml": "sub/b.yaml"}
    assert rdf.file_names(["seeds/one.yaml"]) == {"seeds/one.yaml": "one.yaml"}


OPTED_OUT = """SELECT ?who ?what WHERE {
  ?who <urn:ai-video-kg:vocab:optedOutOf> ?what }"""
OPTED_OUT_STATEMENTS = """SELECT ?st WHERE {
  ?st <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> <urn:ai-video-kg:vocab:optedOutOf> }"""


@pytest.mark.parametrize("data", [small, shipped], ids=["fixture", "shipped"])
def test_pyoxigraph_sparql_finds_every_opted_out_of_fact(data) -> None:
    dataset = data()
    store = pyoxigraph.Store()
    store.load(rdf.serialize(dataset, "turtle"), format=pyoxigraph.RdfFormat.TURTLE)
    n = rdf.Names.of(dataset.ontology)
    found = {(rdf.Names.local(n.entity, URIRef(s["who"].value)),
              rdf.Names.local(n.entity, URIRef(s["what"].value))) for s in store.query(OPTED_OUT)}
    opted = [f for f in dataset.facts if f.relation == "opted-out-of"]
    assert opted, "the data has opted-out-of facts"
    assert found == {(f.subject, f.object) for f in opted if f.kind != rdf.CLAIM}
    statements = {rdf.Names.local(n.fact, URIRef(s["st"].value))
                  for s in store.query(OPTED_OUT_STATEMENTS)}
    assert statements == {f.id for f in opted}


def test_disney_opted_out_in_the_shipped_data() -> None:
    result = rdf.sparql(shipped(), "ASK { entity:disney kg:optedOutOf ?what }")
    assert result.boolean is True


# ---------------------------------------------------------------- determinism

_SCRIPT = """
import sys
from kg.data.load import load
from kg.rdf import serialize
sys.stdout.buffer.write(serialize(load(sys.argv[1]), sys.argv[2]))
"""


@pytest.mark.parametrize("fmt", list(rdf.FORMATS))
def test_output_is_byte_identical_across_runs(fmt: str) -> None:
    """Two processes with different hash seeds write the same bytes."""
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", _SCRIPT, str(SMALL), fmt], env=env, cwd=REPO,
                              capture_output=True, check=True)
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0] == rdf.serialize(small(), fmt)


def test_n_triples_are_sorted() -> None:
    lines = rdf.serialize(small(), "nt").decode("utf-8").splitlines()
    assert lines == sorted(lines)


def test_unknown_format_is_an_error() -> None:
    with pytest.raises(KgError, match="unknown RDF format 'n3'"):
        rdf.serialize(small(), "n3")


# ---------------------------------------------------------------- reading a dump back


def _write_records(records: rdf.Records, folder: Path) -> Path:
    folder.mkdir()
    for name, text in rdf.yaml_files(records).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("fmt", list(rdf.FORMATS))
def test_round_trip_gives_the_same_turtle(fmt: str, tmp_path: Path) -> None:
    dump = tmp_path / f"dump{rdf.FORMATS[fmt][1]}"
    dump.write_bytes(rdf.serialize(small(), fmt))
    records = rdf.read_dump(dump, small().ontology)
    again = load(_write_records(records, tmp_path / "data"))
    assert rdf.serialize(again, "turtle") == rdf.serialize(small(), "turtle")


def test_round_trip_of_the_shipped_data(tmp_path: Path) -> None:
    first = rdf.serialize(shipped(), "turtle")
    dump = tmp_path / "dump.ttl"
    dump.write_bytes(first)
    again = load(_write_records(rdf.read_dump(dump, shipped().ontology), tmp_path / "data"))
    assert rdf.serialize(again, "turtle") == first


def test_round_trip_keeps_web_sources_phrases_ranks_and_figure_qualifiers(tmp_path: Path) -> None:
    market = load(FIXTURES / "market" / "data")
    first = rdf.serialize(market, "turtle")
    dump = tmp_path / "dump.ttl"
    dump.write_bytes(first)
    records = rdf.read_dump(dump, market.ontology)
    again = load(_write_records(records, tmp_path / "data"))
    assert rdf.serialize(again, "turtle") == first
    wire = next(s for s in records.sources if s["id"] == "wire-studio-deal")
    assert (wire["kind"], wire["retrieved"]) == ("news", "2025-12-12")
    ranked = next(f for f in records.figures if f.get("id") == "lab-b-valuation-wire")
    assert ranked["rank"] == "preferred" and "rank_reason" not in ranked
    assert ranked["sources"] == [{"source": "wire-studio-deal", "locator": "para 5",
                                  "phrase": "valued at 3.3 billion dollars"}]
    assert next(f for f in records.figures if f.get("id") == "lab-b-valuation-roundup")["bound"] == "about"
    funding = next(f for f in records.figures if f["metric"] == "funding-round")
    assert funding["qualifiers"] == {"round": "Series C", "lead-investor": "fund-d"}


def test_read_back_records_look_like_seed_records() -> None:
    records = rdf.read_graph(small_graph(), small().ontology)
    facts = {f.get("id", f"{f['subject']}--{f['relation']}--{f['object']}"): f for f in records.facts}
    assert facts["acme-owns-acme-app"]["id"] == "acme-owns-acme-app"  # an explicit id is kept
    develops = [f for f in records.facts if f["relation"] == "develops"][0]
    assert "id" not in develops  # a derived id is not written
    assert develops["sources"] == [{"source": "example-report", "locator": "§1, para 2"},
                                   {"source": "example-digest", "locator": "第2段"}]
    acme = [e for e in records.entities if e["id"] == "acme"][0]
    assert acme["labels"] == {"en": "Acme Video", "zh-Hans": "艾克米视频", "zh-Hant": "艾克米視頻"}
    assert acme["attributes"] == {"country": "US", "founded": "2019-03", "url": "https://example.org/acme"}
    revenue = [f for f in records.figures if f["metric"] == "revenue"][0]
    assert revenue["range"] == [10, 45.5]
    text = rdf.yaml_files(records)["facts.yaml"]
    assert "- {source: example-report, locator: '§1, para 2'}" in text


def test_reading_a_file_that_is_not_rdf_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(KgError, match="bad.ttl:1:.*cannot read as turtle"):
        rdf.read_dump(bad, small().ontology)


@pytest.mark.parametrize(("name", "text", "place", "why"), [
    ("bad.ttl", '@prefix x: <urn:x:> .\nx:a x:b x:c ;\n  x:d x:e x:f .\n', ":3:11:",
     "expected '.' or '}' or ']' at end of statement"),
    ("bad.rdf", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<rdf:Description>'
     '\n</rdf:RDF>', ":3:3:", "mismatched tag"),
    ("bad.jsonld", '{\n "a": [1,\n}', ":3:1:", "Expecting value"),
])
def test_a_parse_error_names_the_place(tmp_path: Path, name: str, text: str, place: str,
                                       why: str) -> None:
    bad = tmp_path / name
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(KgError) as caught:
        rdf.read_dump(bad, small().ontology)
    assert str(caught.value).startswith(f"{bad}{place} cannot read as ")
    assert str(caught.value).endswith(why)


def test_reading_rdf_of_another_vocabulary_is_an_error(tmp_path: Path) -> None:
    other = tmp_path / "other.nt"
    other.write_text('<http://example.org/a> <http://example.org/b> "c" .\n', encoding="utf-8")
    with pytest.raises(KgError, match="holds no sources, entities, statements or figures"):
        rdf.read_dump(other, small().ontology)


def test_reading_needs_a_known_suffix_or_a_format(tmp_path: Path) -> None:
    dump = tmp_path / "dump.data"
    dump.write_bytes(rdf.serialize(small(), "nt"))
    with pytest.raises(KgError, match="cannot tell the RDF format of dump.data"):
        rdf.read_dump(dump, small().ontology)
    assert rdf.read_dump(dump, small().ontology, "nt").entities
    with pytest.raises(KgError, match="no such file"):
        rdf.read_dump(tmp_path / "missing.ttl", small().ontology)


def test_a_statement_without_a_predicate_is_reported() -> None:
    graph = rdf.dataset_graph(small())
    st = fact_iri("acme-owns-acme-app")
    graph.remove((st, RDF.predicate, None))
    with pytest.raises(KgError, match=r"fact:acme-owns-acme-app: has no rdf:predicate"):
        rdf.read_graph(graph, small().ontology)


def test_a_statement_with_two_objects_is_reported() -> None:
    graph = rdf.dataset_graph(small())
    graph.add((fact_iri("acme-owns-acme-app"), RDF.object, ent("gamma")))
    with pytest.raises(KgError, match="has 2 values for rdf:object; expected one"):
        rdf.read_graph(graph, small().ontology)


def test_a_bad_qualifier_value_is_reported() -> None:
    graph = rdf.dataset_graph(small())
    st = fact_iri("acme-app--outranked--gamma--2025-10-05")
    graph.set((st, kg("rank"), Literal("first")))
    with pytest.raises(KgError, match="is not a valid integer"):
        rdf.read_graph(graph, small().ontology)


# ---------------------------------------------------------------- SPARQL


def test_sparql_select_with_predeclared_prefixes() -> None:
    result = rdf.sparql(small(), "SELECT ?who ?what WHERE { ?who kg:optedOutOf ?what } "
                                 "ORDER BY ?what")
    assert result.kind == "select"
    assert result.variables == ["who", "what"]
    assert [[result.show(v) for v in row] for row in result.rows] == [
        ["entity:beta-studio", "entity:acme-app"], ["entity:beta-studio", "entity:beta-policy"]]
    assert not result.empty


def test_sparql_results_in_the_standard_json_and_csv_formats() -> None:
    result = rdf.sparql(small(), "SELECT ?who ?name WHERE { ?who kg:optedOutOf entity:acme-app ; "
                                 "rdfs:label ?name FILTER(LANG(?name) = 'en') }")
    who = "urn:ai-video-kg:entity:beta-studio"
    (binding,) = result.to_json()["results"]["bindings"]
    assert result.to_json()["head"] == {"vars": ["who", "name"]}
    assert binding["who"] == {"type": "uri", "value": who}
    assert binding["name"]["type"] == "literal" and binding["name"]["xml:lang"] == "en"
    assert result.to_csv() == f"who,name\r\n{who},{binding['name']['value']}\r\n"


def test_sparql_ask_construct_and_empty_results() -> None:
    assert rdf.sparql(small(), "ASK { entity:acme kg:develops entity:acme-gen }").boolean is True
    no = rdf.sparql(small(), "ASK { entity:gamma kg:threatens ?x }")  # a claim: no direct triple
    assert no.boolean is False and no.empty
    built = rdf.sparql(small(), "CONSTRUCT { ?b kg:optedOutBy ?a } WHERE { ?a kg:optedOutOf ?b }")
    assert built.kind == "graph" and len(built.graph) == 2
    assert rdf.sparql(small(), "SELECT ?x WHERE { ?x kg:nothing ?y }").empty


def test_sparql_syntax_errors_and_unknown_prefixes() -> None:
    with pytest.raises(rdf.SparqlSyntaxError):
        rdf.sparql(small(), "SELECT WHERE {")
    with pytest.raises(rdf.SparqlSyntaxError):
        rdf.sparql(small(), "SELECT ?x WHERE { ?x nope:p ?y }")


# ---------------------------------------------------------------- linked data


def test_every_dated_statement_has_whole_day_bounds() -> None:
    graph = small_graph()
    for fact in small().facts:
        st = fact_iri(fact.id)
        start = graph.value(st, kg("validFrom"))
        end = graph.value(st, kg("validUntil"))
        assert (start is None) == (fact.since is None)
        assert (end is None) == (fact.until is None)
        if fact.since is not None:
            assert start == Literal(fact.since.start().isoformat(), datatype=xsd("date"))
        if fact.until is not None:
            assert end == Literal(fact.until.end().isoformat(), datatype=xsd("date"))
    month = fact_iri("acme--develops--acme-gen--2025-09")
    assert graph.value(month, kg("validFrom")) == Literal("2025-09-01", datatype=xsd("date"))


_OCTOBER = ('SELECT ?st WHERE { ?st a kg:Statement OPTIONAL { ?st kg:validFrom ?from } '
            'OPTIONAL { ?st kg:validUntil ?until } '
            'FILTER((!BOUND(?from) || ?from <= "2025-10-31"^^xsd:date) && '
            '(!BOUND(?until) || ?until >= "2025-10-01"^^xsd:date)) }')


@pytest.mark.parametrize("data", [small, shipped], ids=["small", "shipped"])
def test_a_range_filter_finds_every_statement_valid_in_october_2025(data) -> None:
    import datetime as dt

    dataset = data()
    days = [dt.date(2025, 10, d) for d in range(1, 32)]
    expected = {str(names().mint(names().fact, f.id)) for f in dataset.facts
                if any(f.valid_on(day) for day in days)}
    precisions = {f.since.precision for f in dataset.facts if f.since and str(names().mint(
        names().fact, f.id)) in expected}
    found = {str(row[0]) for row in rdf.sparql(dataset, _OCTOBER).rows}
    assert found == expected
    if data is shipped:
        assert precisions == {"year", "month", "day"}  # every precision is found
    store = pyoxigraph.Store()
    store.load(rdf.serialize(dataset, "nt"), pyoxigraph.RdfFormat.N_TRIPLES)
    prefixes = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in rdf.prefixes(dataset.ontology).items())
    assert {row["st"].value for row in store.query(prefixes + _OCTOBER)} == expected


def test_text_literals_carry_their_language() -> None:
    graph = small_graph()
    source = names().mint(names().source, "example-digest")
    assert graph.value(source, DCTERMS.title) == Literal("示例摘要", lang="zh-Hans")
    assert graph.value(source, SKOS.note).language == "en"
    assert {lit.language for lit in graph.objects(None, DCTERMS.description)} == {"en"}
    assert {lit.language for lit in graph.objects(None, SKOS.altLabel)} == {None}


def test_the_publisher_links_to_its_entity_where_the_source_names_it() -> None:
    from copy import deepcopy

    dataset = deepcopy(small())
    source = dataset.sources["example-report"]
    plain = rdf.dataset_graph(dataset)
    iri = names().mint(names().source, "example-report")
    assert plain.value(iri, DCTERMS.publisher) == Literal("Example Press")
    assert plain.value(iri, kg("publisherName")) is None
    source.publisher_entity = "acme"  # the field a source record may carry
    linked = rdf.dataset_graph(dataset)
    assert linked.value(iri, DCTERMS.publisher) == ent("acme")
    assert linked.value(iri, kg("publisherName")) == Literal("Example Press")
    records = rdf.read_graph(linked, dataset.ontology)
    assert {s["id"]: s["publisher"] for s in records.sources}["example-report"] == "Example Press"
    assert rdf.publisher_entity(source) == "acme"


def test_wikidata_ids_become_owl_same_as_and_read_back(write_data) -> None:
    from tests.conftest import SOURCES_YAML

    folder = write_data({"sources.yaml": SOURCES_YAML, "e.yaml": """\
entities:
  - {id: a, type: organization, labels: {en: A}, wikidata: Q42}
  - {id: b, type: product, labels: {en: B}}
facts:
  - {subject: a, relation: develops, object: b, kind: fact, sources: [{source: src, locator: p1}]}
"""})
    dataset = load(folder)
    graph = rdf.dataset_graph(dataset)
    a = names().mint(names().entity, "a")
    assert graph.value(a, OWL.sameAs) == URIRef("http://www.wikidata.org/entity/Q42")
    records = rdf.read_graph(graph, dataset.ontology)
    assert [e.get("wikidata") for e in records.entities] == ["Q42", None]


def test_vocabulary_explains_the_model() -> None:
    onto = load_ontology()
    graph = rdf.vocabulary_graph(onto)
    vocab = rdf.Vocab(onto)
    head = URIRef(str(vocab.kg))
    assert graph.value(head, OWL.versionInfo) == Literal(onto.rdf.version)
    overview = str(graph.value(head, RDFS.comment))
    for words in ("Statement", "Claim", "direct triple", "validFrom", "Citation", "Figure"):
        assert words in overview
    for name in ("Statement", "Citation", "Figure", "scale", "value", "validFrom", "validUntil",
                 "claimedBy", "Quantity"):
        comment = graph.value(vocab[name], RDFS.comment)
        assert comment is not None and comment.language == "en", name
    assert "multipl" in str(graph.value(vocab["scale"], RDFS.comment))
    assert "#source-N" in str(graph.value(vocab["Citation"], RDFS.comment))
    for comment in graph.objects(None, RDFS.comment):  # no YAML keys leak into the comments
        assert "claimed_by" not in comment and "`" not in comment


def test_vocabulary_declares_inverses_and_alignments() -> None:
    onto = load_ontology()
    graph = rdf.vocabulary_graph(onto)
    vocab = rdf.Vocab(onto)
    owns, owned_by = vocab.relations["owns"], vocab.inverses["owns"]
    assert (owned_by, OWL.inverseOf, owns) in graph
    assert (owned_by, RDFS.label, Literal("owned by", lang="en")) in graph
    assert (owned_by, SKOS.closeMatch, URIRef("http://www.wikidata.org/prop/direct/P127")) in graph
    assert (owns, SKOS.closeMatch, URIRef("http://www.wikidata.org/prop/direct/P1830")) in graph
    assert set(vocab.inverses) == {r for r, spec in onto.relations.items() if spec.inverse}
    assert not any(onto.relations[r].symmetric for r in vocab.inverses)
    sdo = "https://schema.org/"
    assert (vocab.types["organization"], RDFS.subClassOf, URIRef(sdo + "Organization")) in graph
    assert (vocab.types["person"], RDFS.subClassOf, URIRef(sdo + "Person")) in graph
    assert (vocab.types["creative-work"], RDFS.subClassOf, URIRef(sdo + "CreativeWork")) in graph
    assert (vocab["Statement"], RDFS.subClassOf, PROV.Entity) in graph
    assert (vocab["Citation"], RDFS.subClassOf, PROV.Derivation) in graph
    assert (vocab["claimedBy"], RDFS.subPropertyOf, PROV.wasAttributedTo) in graph
    # The inverse properties are never written in the data.
    data = rdf.dataset_graph(shipped())
    assert not any(True for _ in data.triples((None, owned_by, None)))


def test_an_unknown_model_term_or_a_misplaced_alignment_is_an_error(tmp_path: Path) -> None:
    text = ONTOLOGY.read_text(encoding="utf-8")
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(text.replace("  model:\n", "  model:\n    Nonsense: {label: x, comment: y}\n", 1),
                     encoding="utf-8")
    with pytest.raises(KgError, match="'Nonsense' is not a term of the RDF model"):
        rdf.vocabulary_graph(load_ontology(wrong))
    wrong.write_text(text.replace('align: {subclass_of: ["schema:Person", "prov:Person"]}',
                                  'align: {subproperty_of: ["schema:name"]}'), encoding="utf-8")
    with pytest.raises(KgError, match="subproperty_of does not fit a class"):
        rdf.vocabulary_graph(load_ontology(wrong))


def test_jsonld_uses_plain_terms_and_parses_offline() -> None:
    import json

    text = rdf.serialize(shipped(), "jsonld")
    document = json.loads(text)
    context = document["@context"]
    vocab = rdf.Vocab(shipped().ontology)
    for iri in [*vocab.relations.values(), *vocab.types.values(), *vocab.qualifiers.values(),
                *vocab.attributes.values(), *vocab.kinds.values(), *vocab.metrics.values()]:
        local = str(iri)[len(str(vocab.kg)):]
        assert local in context, local
    assert context["competesWith"] == {"@id": "kg:competesWith", "@type": "@id"}
    nodes = {node["@id"]: node for node in document["@graph"]}
    assert "entity:kling" in nodes["entity:sora-2"]["competesWith"]
    assert "Model" in nodes["entity:sora-2"]["@type"]
    assert not any(key.startswith("kg:") for node in nodes.values() for key in node)
    figure = next(node for key, node in nodes.items() if key.startswith("figure:"))
    assert figure["about"].startswith("entity:") and figure["metric"] in context
    turtle = rdf.serialize(shipped(), "turtle")
    expected = rdflib.Graph().parse(data=turtle, format="turtle")
    from rdflib.compare import isomorphic

    assert isomorphic(rdflib.Graph().parse(data=text, format="json-ld"), expected)
    store = pyoxigraph.Store()
    store.load(text, pyoxigraph.RdfFormat.JSON_LD)  # no remote context to fetch
    assert len(store) == len(expected)


def test_a_base_iri_moves_every_namespace() -> None:
    from dataclasses import replace

    from kg.data.ontology import with_base_iri

    onto = with_base_iri(load_ontology(), "https://kg.example.org/ai/")
    moved = rdf.Names.of(onto)
    assert str(moved.vocab) == "https://kg.example.org/ai/vocab/"
    assert (moved.entity, moved.fact, moved.figure, moved.source, moved.graph) == (
        "https://kg.example.org/ai/entity/", "https://kg.example.org/ai/fact/",
        "https://kg.example.org/ai/figure/", "https://kg.example.org/ai/source/",
        "https://kg.example.org/ai/graph/")
    assert rdf.Names.of(with_base_iri(load_ontology(), "urn:team:kg:")).entity == "urn:team:kg:entity:"
    dataset = replace(small(), ontology=onto)
    graph = rdf.dataset_graph(dataset)
    assert (URIRef("https://kg.example.org/ai/entity/acme"), RDF.type,
            URIRef("https://kg.example.org/ai/vocab/Organization")) in graph
    records = rdf.read_graph(graph, onto)
    assert len(records.entities) == len(small().entities)
    for bad in ("kg.example.org/", "https://kg.example.org/x", "https://kg example.org/"):
        with pytest.raises(ValueError):
            with_base_iri(load_ontology(), bad)


# -------------------------------------------------------------- every character (issue: hardening)

@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_every_literal_survives_every_syntax_byte_for_byte(text: str, tmp_path: Path) -> None:
    check_rdf(load(write_text_dataset(tmp_path, text)))


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0c", "\x0b", "\x1c", "\x1e"])
def test_no_line_separator_is_written_raw_in_line_based_syntaxes(separator: str) -> None:
    graph = rdflib.Graph()
    graph.add((URIRef("urn:a"), URIRef("urn:p"), Literal(f"a{separator}b")))
    for text in (rdf.triples_text(graph), rdf.turtle(graph).decode("utf-8")):
        assert separator not in "".join(text)
    lines = rdf.triples_text(graph)
    assert len(lines) == 1 and f"\\u{ord(separator):04X}" in lines[0]
    assert str(next(iter(rdflib.Graph().parse(data=lines[0], format="nt")))[2]) == f"a{separator}b"


def test_trig_keeps_multi_line_literals_as_they_are(tmp_path: Path) -> None:
    text = "first line\n    indented line  \nlast"
    data = rdf.serialize(load(write_text_dataset(tmp_path, text)), "trig")
    assert text in literals_oxigraph_texts(data)


def literals_oxigraph_texts(data: bytes) -> set[str]:
    return {literal for _s, _p, literal in literals_oxigraph(data, "trig")}


def test_a_lone_surrogate_is_refused_before_writing() -> None:
    graph = rdflib.Graph()
    graph.add((URIRef("urn:a"), URIRef("urn:p"), Literal("a\ud800b")))
    with pytest.raises(KgError, match="lone surrogate U\\+D800"):
        rdf.turtle(graph)


@pytest.mark.parametrize("text", ["\n\\\"", 'a\n""""', "x\n\\", "\n\"\"\"\n"])
def test_turtle_of_any_graph_parses_back_exactly(text: str) -> None:
    graph = rdflib.Graph()
    graph.add((URIRef("urn:a"), URIRef("urn:p"), Literal(text)))
    data = rdf.turtle(graph)
    assert [quad.object.value for quad in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE)] \
        == [text]
    assert [str(o) for o in rdflib.Graph().parse(data=data, format="turtle").objects()] == [text]


@pytest.mark.parametrize("folder", ["figure-qualifiers", "change-report"])
def test_qualifiers_and_curators_bounds_survive_a_round_trip(folder: str, tmp_path: Path) -> None:
    data = load(FIXTURES / folder)
    text = rdf.serialize(data, "turtle")
    dump = tmp_path / "dump.ttl"
    dump.write_bytes(text)
    again = load(_write_records(rdf.read_dump(dump, data.ontology), tmp_path / "data"))
    # Records come back in id order.
    assert sorted(map(str, (f.to_json() for f in again.figures))) == sorted(
        map(str, (f.to_json() for f in data.figures)))
    assert sorted(map(str, (f.to_json() for f in again.facts))) == sorted(
        map(str, (f.to_json() for f in data.facts)))
    graph = rdflib.Graph().parse(data=text, format="turtle")
    kg = rdflib.Namespace(data.ontology.namespace["vocabulary"])
    if folder == "figure-qualifiers":
        assert set(graph.objects(None, kg.bound)) == {Literal("at-most"), Literal("about")}
        assert set(graph.objects(None, kg.period)) == {Literal("not stated", lang="en")}
    else:
        assert set(graph.objects(None, kg.untilBasis)) == {Literal("curator")}
