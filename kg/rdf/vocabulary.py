"""The vocabulary: the ontology as OWL/RDFS, the text of ``ontology/kg.ttl``.

``vocabulary_graph`` turns the ontology into classes, properties and
individuals with labels, definitions, domains and ranges (the structural
terms first, documented by the ontology's ``rdf: model`` block, then entity
types, roles, relations with their declared inverses, qualifiers,
attributes, fact kinds and metrics), each with the alignments the ontology
declares (``align``: schema.org, PROV-O, Wikidata); ``vocabulary_turtle``
writes it as Turtle with its header. Blank nodes (unions, date ranges) get
stable ids, so the file is the same on every run.
"""

from __future__ import annotations

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import OWL, SKOS
from rdflib.term import Node

from kg.data.ontology import Ontology, Term
from kg.errors import KgError
from kg.rdf.names import _DATE_TYPES, _STRUCTURE, Blanks, Vocab, bind
from kg.rdf.serialization import turtle

__all__ = ["align", "date_range", "texts", "vocabulary_graph", "vocabulary_turtle"]


def texts(graph: Graph, subject: Node, predicate: URIRef, values: dict[str, str]) -> None:
    for lang, text in values.items():
        graph.add((subject, predicate, Literal(text, lang=lang)))


def date_range(graph: Graph, blanks: Blanks) -> Node:
    """A datatype that is any of xsd:gYear, xsd:gYearMonth and xsd:date."""
    node = blanks()
    graph.add((node, RDF.type, RDFS.Datatype))
    graph.add((node, OWL.unionOf, blanks.collection(graph, list(_DATE_TYPES.values()))))
    return node


def vocabulary_graph(ontology: Ontology) -> Graph:
    """The ontology as OWL/RDFS: classes, properties and individuals, with labels and definitions."""
    vocab = Vocab(ontology)
    kg = vocab.kg
    graph = Graph(bind_namespaces="none")
    bind(graph.namespace_manager, vocab.names)
    blanks = Blanks("v")
    add = graph.add
    onto = URIRef(str(kg))
    add((onto, RDF.type, OWL.Ontology))
    add((onto, RDFS.label, Literal("AI-video landscape vocabulary", lang="en")))
    if ontology.rdf.version:
        add((onto, OWL.versionInfo, Literal(ontology.rdf.version)))
    overview = ontology.rdf.comment + " " if ontology.rdf.comment else ""
    add((onto, RDFS.comment, Literal(
        overview + "Generated from ontology/ontology.yaml. Entity IRIs start with "
        + vocab.names.entity + ", statement IRIs with " + vocab.names.fact + ", figure IRIs with "
        + vocab.names.figure + " and source IRIs with " + vocab.names.source + ".", lang="en")))
    kinds = {"class": OWL.Class, "object": OWL.ObjectProperty, "datatype": OWL.DatatypeProperty,
             "annotation": OWL.AnnotationProperty, "individual": OWL.NamedIndividual}
    model = ontology.rdf.model
    for name in model:
        if name not in _STRUCTURE:
            raise KgError(f"{ontology.path}: rdf model term {name!r} is not a term of the RDF model; "
                          f"known: {', '.join(_STRUCTURE)}")
    for name, (kind, rng) in _STRUCTURE.items():
        term = kg[name]
        add((term, RDF.type, kinds[kind]))
        add((term, RDFS.isDefinedBy, onto))
        if name in model:
            add((term, RDFS.label, Literal(model[name].label["en"], lang="en")))
            add((term, RDFS.comment, Literal(model[name].definition, lang="en")))
            align(graph, ontology, term, model[name], kind)
        if kind == "individual":
            add((term, RDF.type, kg[str(rng)]))  # its class, such as kg:Rank
        elif isinstance(rng, URIRef):
            add((term, RDFS.range, rng))
        elif rng == "date":
            add((term, RDFS.range, date_range(graph, blanks)))
        elif rng is not None:
            add((term, RDFS.range, kg[rng]))
    for prop in ("kind", "since", "until", "validFrom", "validUntil"):
        add((kg[prop], RDFS.domain, _union(graph, blanks, [vocab["Statement"], vocab["Figure"]])))
    add((vocab["claimedBy"], RDFS.domain, vocab["Statement"]))
    for prop in ("entity", "metric", "measuredBy", "where", "lowerBound", "upperBound", "bound",
                 "period", "scope"):
        add((kg[prop], RDFS.domain, vocab["Figure"]))
    for prop in ("sinceBasis", "untilBasis"):
        add((kg[prop], RDFS.domain, vocab["Statement"]))
    for prop in ("locator", "position", "phrase", "textFragment"):
        add((kg[prop], RDFS.domain, vocab["Citation"]))
    for prop in ("publishedIn", "publisherName", "sourceKind", "retrieved"):
        add((kg[prop], RDFS.domain, vocab["Source"]))
    for prop in ("statementRank", "rankReason"):
        add((kg[prop], RDFS.domain, _union(graph, blanks, [vocab["Statement"], vocab["Figure"]])))

    def describe(term: URIRef, label: dict[str, str], definition: str) -> None:
        texts(graph, term, RDFS.label, label)
        add((term, SKOS.definition, Literal(definition, lang="en")))
        add((term, RDFS.comment, Literal(definition, lang="en")))
        add((term, RDFS.isDefinedBy, onto))

    for type_id, term in vocab.types.items():
        entity_type = ontology.entity_types[type_id]
        add((term, RDF.type, OWL.Class))
        parent = entity_type.parent
        add((term, RDFS.subClassOf, vocab.types[parent] if parent else vocab["Entity"]))
        describe(term, entity_type.label, entity_type.definition)
        align(graph, ontology, term, entity_type, "class")
    for role_id, term in vocab.roles.items():
        role = ontology.roles[role_id]
        add((term, RDF.type, OWL.Class))
        add((term, RDFS.subClassOf, vocab["Entity"]))
        describe(term, role.label, role.definition)
        align(graph, ontology, term, role, "class")
        for type_id in role.get("applies_to") or []:
            add((term, kg["appliesTo"], vocab.types[type_id]))
    for rel_id, term in vocab.relations.items():
        relation = ontology.relations[rel_id]
        add((term, RDF.type, OWL.ObjectProperty))
        if relation.symmetric:
            add((term, RDF.type, OWL.SymmetricProperty))
        describe(term, relation.label, relation.definition)
        texts(graph, term, kg["inverseLabel"], relation.inverse_label)
        add((term, RDFS.domain, _union(graph, blanks, [vocab.types[t] for t in relation.domain])))
        add((term, RDFS.range, _union(graph, blanks, [vocab.types[t] for t in relation.range])))
        for kind in relation.allowed_kinds or []:
            add((term, kg["allowedKind"], vocab.kinds[kind]))
        if relation.subject_role:
            add((term, kg["subjectRole"], vocab.roles[relation.subject_role]))
        align(graph, ontology, term, relation, "object")
        if rel_id in vocab.inverses:
            inverse = vocab.inverses[rel_id]
            add((inverse, RDF.type, OWL.ObjectProperty))
            add((inverse, OWL.inverseOf, term))
            texts(graph, inverse, RDFS.label, relation.inverse_label or
                  {"en": relation.inverse.replace("-", " ")})
            add((inverse, RDFS.comment, Literal(
                f"The inverse of {vocab.names.prefix}:{relation.rdf_name}: the data states only "
                f"{vocab.names.prefix}:{relation.rdf_name}; a reasoner (or a SPARQL path ^"
                f"{vocab.names.prefix}:{relation.rdf_name}) gives this direction.", lang="en")))
            add((inverse, RDFS.isDefinedBy, onto))
            add((inverse, RDFS.domain, _union(graph, blanks, [vocab.types[t] for t in relation.range])))
            add((inverse, RDFS.range, _union(graph, blanks, [vocab.types[t] for t in relation.domain])))
            align(graph, ontology, inverse, relation, "object", key="inverse_align")
        for field_name in relation.derived_from:
            add((term, kg["derivedFrom"], Literal(field_name)))
    qualified = _union(graph, blanks, [vocab["Statement"], vocab["Figure"]])
    for section, domain in (("qualifiers", qualified), ("attributes", vocab["Entity"])):
        for term_id, term in getattr(vocab, section).items():
            spec = getattr(ontology, section)[term_id]
            value_type = spec.get("type")
            is_object = value_type in ("entity", "amount")
            add((term, RDF.type, OWL.ObjectProperty if is_object else OWL.DatatypeProperty))
            add((term, RDFS.label, Literal(term_id.replace("-", " "), lang="en")))
            add((term, SKOS.definition, Literal(spec.definition, lang="en")))
            add((term, RDFS.comment, Literal(spec.definition, lang="en")))
            add((term, RDFS.isDefinedBy, onto))
            add((term, RDFS.domain, domain))
            align(graph, ontology, term, spec, "object" if is_object else "datatype")
            rng = date_range(graph, blanks) if value_type == "date" else vocab.value_range(value_type)
            if rng is not None:
                add((term, RDFS.range, rng))
    for section, cls in (("kinds", "FactKind"), ("metrics", "Metric")):
        for term_id, term in getattr(vocab, section).items():
            spec = (ontology.fact_kinds if section == "kinds" else ontology.metrics)[term_id]
            add((term, RDF.type, OWL.NamedIndividual))
            add((term, RDF.type, vocab[cls]))
            describe(term, spec.label, spec.definition)
            if section == "metrics":
                add((term, vocab["unit"], Literal(spec.get("unit"))))
    return graph


def align(graph: Graph, ontology: Ontology, term: URIRef, spec: Term, kind: str,
          key: str = "align") -> None:
    """The alignments the ontology declares for a term: subclass or subproperty of, equivalent
    to (owl:equivalentClass / owl:equivalentProperty) and skos:closeMatch."""
    is_class = kind == "class"
    predicates = {
        "subclass_of": RDFS.subClassOf, "subproperty_of": RDFS.subPropertyOf,
        "equivalent": OWL.equivalentClass if is_class else OWL.equivalentProperty,
        "close_match": SKOS.closeMatch,
    }
    for alignment, names in spec.alignments(key).items():
        if (alignment == "subclass_of") != is_class and alignment in ("subclass_of", "subproperty_of"):
            raise KgError(f"{ontology.path}: {spec.id!r}: {alignment} does not fit a "
                          f"{'class' if is_class else 'property'}")
        for name in names:
            graph.add((term, predicates[alignment], URIRef(ontology.rdf.expand(name))))


def _union(graph: Graph, blanks: Blanks, classes: list[URIRef]) -> Node:
    if len(classes) == 1:
        return classes[0]
    node = blanks()
    graph.add((node, RDF.type, OWL.Class))
    graph.add((node, OWL.unionOf, blanks.collection(graph, classes)))
    return node


def vocabulary_turtle(ontology: Ontology) -> bytes:
    """The text of ontology/kg.ttl."""
    return turtle(vocabulary_graph(ontology),
                  "The vocabulary of the AI-video landscape graph, generated from\n"
                  "ontology/ontology.yaml by `kg export vocabulary -o ontology/kg.ttl`.\n"
                  "Do not edit: edit the ontology and run the command again.")
