"""SHACL shapes generated from the ontology, and validation of the RDF view with pyshacl.

The shapes (``ontology/shapes.ttl``, written by ``kg export shapes``) state
in SHACL what the validator checks in YAML: every entity has a type and an
English label, a relation's subjects and objects have the types its domain
and range allow (as direct triples and as statements), a relation with
``allowed_kinds`` only has statements of those kinds, every statement and
figure cites a source with a locator, qualifiers and attributes have the
datatypes of their ontology value types, a figure's unit fits its metric.

pyshacl is imported only inside ``validate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDFS, SDO, SH, SKOS, NamespaceManager
from rdflib.term import Node

from kg.data.model import DATE_BASES, RANK_REASONS, SCALES, SOURCE_KINDS, Dataset
from kg.data.ontology import Ontology, camel
from kg.data.validate import LANGUAGE_TAG_RE
from kg.rdf import CLAIM, Blanks, Names, Vocab, bind, turtle
from kg.rdf.names import RANK_TERMS

__all__ = ["shapes_graph", "shapes_turtle", "validate", "validate_graph", "Violation"]

_HEADER = ("SHACL shapes for the AI-video landscape graph, generated from\n"
           "ontology/ontology.yaml by `kg export shapes -o ontology/shapes.ttl`.\n"
           "Do not edit: edit the ontology and run the command again.\n"
           "Validate a dump with them: `kg validate --shacl`, or any SHACL engine.")
_DATES = (XSD.gYear, XSD.gYearMonth, XSD.date)


def _names(labels: list[str], word: str = "or") -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + f" {word} " + labels[-1]


class _Shapes:
    """Builds the shapes graph; every blank node gets a stable id."""

    def __init__(self, ontology: Ontology) -> None:
        self.onto = ontology
        self.vocab = Vocab(ontology)
        self.kg = self.vocab.kg
        self.g = Graph(bind_namespaces="none")
        bind(self.g.namespace_manager, self.vocab.names)
        self.g.bind("sh", SH)
        self.blank = Blanks("s")

    # -- building blocks

    def node(self, name: str, message: str | None = None, **target: Node) -> URIRef:
        shape = self.kg[name]
        self.g.add((shape, RDF.type, SH.NodeShape))
        for key, value in target.items():
            self.g.add((shape, SH[key], value))
        if message:
            self.g.add((shape, SH.message, Literal(message, lang="en")))
        return shape

    def constraints(self, subject: Node, items: list[tuple[URIRef, Any]]) -> None:
        for predicate, value in items:
            if isinstance(value, list):
                value = self.blank.collection(self.g, value)
            elif isinstance(value, (bool, int)) and not isinstance(value, Node):
                value = Literal(value)
            self.g.add((subject, predicate, value))

    def prop(self, shape: Node, path: URIRef, *items: tuple[URIRef, Any], message: str | None = None,
             ) -> Node:
        node = self.blank()
        self.g.add((shape, SH.property, node))
        self.g.add((node, SH.path, path))
        self.constraints(node, list(items))
        if message:
            self.g.add((node, SH.message, Literal(message, lang="en")))
        return node

    def anon(self, *items: tuple[URIRef, Any], path: URIRef | None = None) -> Node:
        """An inline shape (a property shape when ``path`` is given)."""
        node = self.blank()
        if path is not None:
            self.g.add((node, SH.path, path))
        self.constraints(node, list(items))
        return node

    def classes(self, type_ids: list[str]) -> list[tuple[URIRef, Any]]:
        """``sh:class`` for one type, ``sh:or`` of ``sh:class`` for several."""
        iris = [self.vocab.types[t] for t in type_ids]
        if len(iris) == 1:
            return [(SH["class"], iris[0])]
        return [(SH["or"], [self.anon((SH["class"], iri)) for iri in iris])]

    def value_type(self, value_type: str) -> list[tuple[URIRef, Any]]:
        """Constraints for a qualifier or attribute of an ontology value type."""
        if value_type == "date":
            return [(SH["or"], [self.anon((SH.datatype, dt)) for dt in _DATES])]
        if value_type == "number":
            return [(SH["or"], [self.anon((SH.datatype, dt)) for dt in (XSD.integer, XSD.decimal)])]
        if value_type == "url":
            return [(SH.datatype, XSD.anyURI), (SH.pattern, Literal("^https?://"))]
        if value_type == "entity":
            return [(SH["class"], self.vocab["Entity"])]
        if value_type == "amount":
            return [(SH["class"], self.vocab["Quantity"]), (SH.node, self.kg["QuantityShape"])]
        return [(SH.datatype, XSD.integer if value_type == "integer" else XSD.string)]

    def label(self, type_ids: list[str]) -> str:
        return _names([self.onto.entity_types[t].label["en"] for t in type_ids])

    def one(self) -> list[tuple[URIRef, Any]]:
        return [(SH.minCount, 1), (SH.maxCount, 1)]

    # -- the shapes

    def build(self) -> Graph:
        self.entities()
        self.relations()
        self.statements()
        self.figures()
        self.sources()
        return self.g

    def entities(self) -> None:
        v, onto = self.vocab, self.onto
        roots = [t for t, spec in onto.entity_types.items() if spec.parent is None]
        shape = self.node("EntityShape", targetClass=v["Entity"])
        self.constraints(shape, self.classes(roots))
        self.prop(shape, RDFS.label, (SH.minCount, 1), (SH.datatype, RDF.langString),
                  (SH.languageIn, [Literal(lang) for lang in onto.languages]), (SH.uniqueLang, True),
                  message="an entity needs labels, at most one per language, in "
                  + _names(onto.languages))
        self.prop(shape, RDFS.label, (SH.qualifiedValueShape, self.anon((SH.languageIn,
                                                                          [Literal("en")]))),
                  (SH.qualifiedMinCount, 1), message="an entity needs an English (en) label")
        self.prop(shape, SKOS.altLabel, (SH.datatype, XSD.string))
        self.prop(shape, DCTERMS.description, (SH.maxCount, 1), (SH.datatype, RDF.langString))
        self.prop(shape, OWL.sameAs, (SH.nodeKind, SH.IRI))
        for key, prop in v.attributes.items():
            self.prop(shape, prop, (SH.maxCount, 1), *self.value_type(onto.attributes[key].get("type")))
        for role_id, role_class in v.roles.items():
            applies = onto.roles[role_id].get("applies_to")
            if applies:
                role = self.node(camel(role_id, True) + "Shape", targetClass=role_class,
                                 message=f"the role {role_id} applies to {self.label(applies)} only")
                self.constraints(role, self.classes(applies))

    def relations(self) -> None:
        """Domain and range of the direct triples, per entity type and per relation."""
        onto, v = self.onto, self.vocab
        for type_id, cls in v.types.items():
            related = [r for r in onto.relations.values() if type_id in self.sides(r)[0]]
            if not related:
                continue
            shape = self.node(onto.entity_types[type_id].rdf_name + "Shape", targetClass=cls)
            for relation in related:
                targets = self.sides(relation)[1]
                self.prop(shape, v.relations[relation.id], *self.classes(targets),
                          message=f"the object of '{relation.label['en']}' must be of type "
                          f"{self.label(targets)}")
        for relation in onto.relations.values():
            domain = self.sides(relation)[0]
            name = camel(relation.id, True) + "DomainShape"
            shape = self.node(name, targetSubjectsOf=v.relations[relation.id],
                              message=f"the subject of '{relation.label['en']}' must be of type "
                              f"{self.label(domain)}")
            self.constraints(shape, self.classes(domain))

    @staticmethod
    def sides(relation: Any) -> tuple[list[str], list[str]]:
        """Subject and object types of the direct triples (both ways for a symmetric relation)."""
        if relation.symmetric:
            both = list(dict.fromkeys([*relation.domain, *relation.range]))
            return both, both
        return relation.domain, relation.range

    def cited(self, shape: URIRef) -> None:
        v = self.vocab
        self.prop(shape, v["kind"], *self.one(), (SH["in"], list(v.kinds.values())))
        for key in ("since", "until"):
            self.prop(shape, v[key], (SH.maxCount, 1), *self.value_type("date"))
        for key in ("validFrom", "validUntil"):
            self.prop(shape, v[key], (SH.maxCount, 1), (SH.datatype, XSD.date))
        self.prop(shape, v["validFrom"], (SH.lessThanOrEquals, v["validUntil"]),
                  message="the valid time ends before it starts")
        self.prop(shape, SKOS.note, (SH.maxCount, 1), (SH.datatype, RDF.langString))
        self.prop(shape, PROV.wasDerivedFrom, (SH.minCount, 1), (SH["class"], v["Source"]),
                  message="every statement and figure cites at least one source")
        self.prop(shape, PROV.qualifiedDerivation, (SH.minCount, 1), (SH["class"], v["Citation"]),
                  (SH.node, self.kg["CitationShape"]),
                  message="every statement and figure has a citation with a locator")
        self.prop(shape, v["statementRank"], *self.one(),
                  (SH["in"], [v[name] for name in RANK_TERMS.values()]),
                  message="every statement and figure has one rank: preferred, normal or deprecated")
        self.prop(shape, v["rankReason"], (SH.maxCount, 1),
                  (SH["in"], [Literal(reason) for reason in RANK_REASONS]))

    def statements(self) -> None:
        onto, v = self.onto, self.vocab
        shape = self.node("StatementShape", targetClass=v["Statement"])
        for path in (RDF.subject, RDF.object):
            self.prop(shape, path, *self.one(), (SH["class"], v["Entity"]))
        self.prop(shape, RDF.predicate, *self.one(), (SH["in"], list(v.relations.values())))
        self.prop(shape, v["claimedBy"], (SH.maxCount, 1), (SH["class"], v["Entity"]))
        for key in ("sinceBasis", "untilBasis"):
            self.prop(shape, v[key], (SH.maxCount, 1), (SH["in"], [Literal(b) for b in DATE_BASES]))
        self.cited(shape)
        for key, prop in v.qualifiers.items():
            self.prop(shape, prop, (SH.maxCount, 1), *self.value_type(onto.qualifiers[key].get("type")))
        if CLAIM in v.kinds:
            claims = self.node("ClaimedByShape", targetClass=v["Statement"],
                               message="claimedBy is only for statements of kind claim")
            self.constraints(claims, [(SH["or"], [
                self.anon((SH.hasValue, v.kinds[CLAIM]), path=v["kind"]),
                self.anon((SH.maxCount, 0), path=v["claimedBy"])])])
        for relation in onto.relations.values():
            prop = v.relations[relation.id]
            rules: list[Node] = [
                self.anon(*self.classes(relation.domain), path=RDF.subject),
                self.anon(*self.classes(relation.range), path=RDF.object),
            ]
            said = [f"a subject of type {self.label(relation.domain)}"]
            if relation.subject_role:
                rules.append(self.anon((SH["class"], v.roles[relation.subject_role]), path=RDF.subject))
                said[0] += f" with the role {relation.subject_role}"
            said.append(f"an object of type {self.label(relation.range)}")
            if relation.allowed_kinds:
                rules.append(self.anon((SH["in"], [v.kinds[k] for k in relation.allowed_kinds]),
                                       path=v["kind"]))
                said.append(f"the kind {_names(relation.allowed_kinds)}")
            rule = self.node(camel(relation.id, True) + "StatementShape", targetClass=v["Statement"],
                             message=f"a statement of '{relation.label['en']}' needs "
                             + _names(said, "and"))
            self.constraints(rule, [(SH["or"], [
                self.anon((SH["not"], self.anon((SH.hasValue, prop), path=RDF.predicate))),
                self.anon(*[(SH.property, r) for r in rules]),
            ])])
        citation = self.node("CitationShape", targetClass=v["Citation"])
        self.prop(citation, PROV.entity, *self.one(), (SH["class"], v["Source"]))
        self.prop(citation, v["locator"], *self.one(), (SH.datatype, XSD.string), (SH.minLength, 1),
                  message="a citation needs a locator (section and paragraph)")
        self.prop(citation, v["position"], *self.one(), (SH.datatype, XSD.integer),
                  (SH.minInclusive, 1))
        self.prop(citation, v["phrase"], (SH.maxCount, 1), (SH.datatype, RDF.langString),
                  (SH.minLength, 1))
        self.prop(citation, v["textFragment"], (SH.maxCount, 1), (SH.datatype, XSD.anyURI),
                  (SH.pattern, Literal(":~:text=")))
        quantity = self.node("QuantityShape", targetClass=v["Quantity"])
        self.prop(quantity, v["value"], *self.one(), *self.value_type("number"))
        self.prop(quantity, v["unit"], *self.one(), (SH.datatype, XSD.string))
        self.prop(quantity, v["scale"], (SH.maxCount, 1), (SH["in"], [Literal(s) for s in SCALES]))

    def figures(self) -> None:
        onto, v = self.onto, self.vocab
        shape = self.node("FigureShape", targetClass=v["Figure"])
        self.prop(shape, v["entity"], *self.one(), (SH["class"], v["Entity"]))
        self.prop(shape, v["metric"], *self.one(), (SH["in"], list(v.metrics.values())))
        for key in ("value", "lowerBound", "upperBound"):
            self.prop(shape, v[key], (SH.maxCount, 1), *self.value_type("number"))
        self.prop(shape, v["lowerBound"], (SH.lessThanOrEquals, v["upperBound"]),
                  message="the low end of a range is above its high end")
        self.prop(shape, v["unit"], *self.one(), (SH.datatype, XSD.string))
        self.prop(shape, v["scale"], (SH.maxCount, 1), (SH["in"], [Literal(s) for s in SCALES]))
        self.prop(shape, DCTERMS.spatial, (SH.datatype, XSD.string))
        self.prop(shape, v["bound"], (SH.maxCount, 1), (SH["in"], [Literal(b) for b in onto.bounds]))
        for key in ("period", "scope"):
            self.prop(shape, v[key], (SH.maxCount, 1), (SH.datatype, RDF.langString))
        for key in ("measuredBy", "where"):
            self.prop(shape, v[key], (SH.maxCount, 1), (SH["class"], v["Entity"]))
        for key, prop in v.qualifiers.items():
            self.prop(shape, prop, (SH.maxCount, 1), *self.value_type(onto.qualifiers[key].get("type")))
        self.cited(shape)
        value = self.node("FigureValueShape", targetClass=v["Figure"],
                          message="a figure has either a value or a range (lower and upper bound)")
        self.constraints(value, [(SH.xone, [
            self.anon((SH.property, self.anon((SH.minCount, 1), path=v["value"])),
                      (SH.property, self.anon((SH.maxCount, 0), path=v["lowerBound"])),
                      (SH.property, self.anon((SH.maxCount, 0), path=v["upperBound"]))),
            self.anon((SH.property, self.anon((SH.maxCount, 0), path=v["value"])),
                      (SH.property, self.anon((SH.minCount, 1), path=v["lowerBound"])),
                      (SH.property, self.anon((SH.minCount, 1), path=v["upperBound"]))),
        ])])
        for metric_id, metric in v.metrics.items():
            unit = onto.metrics[metric_id].get("unit")
            if unit == "currency":
                # sh:maxLength too: engines that read ``$`` as Python does would take "USD\n".
                checks, said = [(SH.pattern, Literal("^[A-Z]{3}$")), (SH.maxLength, Literal(3))], \
                    "an ISO 4217 currency code"
            else:
                checks, said = [(SH.hasValue, Literal(unit))], repr(unit)
            rule = self.node(camel(metric_id, True) + "UnitShape", targetClass=v["Figure"],
                             message=f"the unit of a {metric_id} figure is {said}")
            self.constraints(rule, [(SH["or"], [
                self.anon((SH["not"], self.anon((SH.hasValue, metric), path=v["metric"]))),
                self.anon(*checks, (SH.minCount, 1), path=v["unit"]),
            ])])

    def sources(self) -> None:
        v = self.vocab
        shape = self.node("SourceShape", targetClass=v["Source"])
        self.prop(shape, DCTERMS.title, *self.one(), (SH.datatype, RDF.langString))
        self.prop(shape, DCTERMS.publisher, *self.one(), (SH["or"], [
            self.anon((SH.datatype, XSD.string)), self.anon((SH["class"], v["Entity"]))]),
            message="a source has one publisher: a name, or the publisher's entity")
        self.prop(shape, v["publisherName"], (SH.maxCount, 1), (SH.datatype, XSD.string))
        self.prop(shape, DCTERMS.creator, (SH.maxCount, 1), (SH.datatype, XSD.string))
        self.prop(shape, DCTERMS.date, *self.one(), *self.value_type("date"))
        self.prop(shape, DCTERMS.language, *self.one(), (SH.datatype, XSD.string),
                  (SH.pattern, Literal("^" + LANGUAGE_TAG_RE.pattern + "$")),
                  message="a source's language is a BCP 47 tag (en, ja, zh-Hans …)")
        self.prop(shape, SDO.url, (SH.maxCount, 1), *self.value_type("url"))
        self.prop(shape, v["publishedIn"], (SH.maxCount, 1), (SH.datatype, XSD.string))
        self.prop(shape, v["sourceKind"], (SH.maxCount, 1),
                  (SH["in"], [Literal(kind) for kind in SOURCE_KINDS]))
        self.prop(shape, v["retrieved"], (SH.maxCount, 1), (SH.datatype, XSD.date))
        self.prop(shape, SKOS.note, (SH.maxCount, 1), (SH.datatype, RDF.langString))
        web = self.node("WebSourceShape", targetClass=v["Source"],
                        message="a web page (a source with a kind) has a URL and a publication day")
        self.constraints(web, [(SH["or"], [
            self.anon((SH.maxCount, 0), path=v["sourceKind"]),
            self.anon((SH.property, self.anon((SH.minCount, 1), path=SDO.url)),
                      (SH.property, self.anon((SH.datatype, XSD.date), path=DCTERMS.date))),
        ])])
        findable = self.node("FindableSourceShape", targetClass=v["Source"],
                             message="a source says where a reader finds it: a URL or where it "
                             "was published")
        self.constraints(findable, [(SH["or"], [
            self.anon((SH.minCount, 1), path=SDO.url),
            self.anon((SH.minCount, 1), path=v["publishedIn"]),
        ])])


def shapes_graph(ontology: Ontology) -> Graph:
    """The SHACL shapes for data in this ontology."""
    return _Shapes(ontology).build()


def shapes_turtle(ontology: Ontology) -> bytes:
    """The text of ontology/shapes.ttl."""
    return turtle(shapes_graph(ontology), _HEADER)


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL validation result, with terms shown as prefixed names."""

    focus: str
    path: str
    message: str
    value: str
    shape: str
    severity: str

    def __str__(self) -> str:
        where = f"{self.focus}: {self.path}" if self.path else self.focus
        value = f" (value {self.value})" if self.value and self.value != self.focus else ""
        return f"{where}: {self.message}{value} [{self.shape}]"

    def to_json(self) -> dict[str, str]:
        return {"focus": self.focus, "path": self.path, "message": self.message,
                "value": self.value, "shape": self.shape, "severity": self.severity}


def validate_graph(data: Graph, shapes: Graph, names: Names) -> list[Violation]:
    """Validate an RDF graph against shapes; every result, sorted."""
    import pyshacl

    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", abort_on_first=False, meta_shacl=False,
        advanced=False, allow_warnings=False)
    nsm = NamespaceManager(Graph(bind_namespaces="none"), bind_namespaces="none")
    bind(nsm, names)
    nsm.bind("sh", SH)

    def show(node: Node | None) -> str:
        if node is None:
            return ""
        if isinstance(node, Literal):
            return repr(str(node))
        return node.n3(nsm)

    def owner(shape: Node | None) -> Node | None:
        """The named shape a result comes from (a property shape's node shape)."""
        seen: set[Node] = set()
        while shape is not None and not isinstance(shape, URIRef) and shape not in seen:
            seen.add(shape)
            parents = sorted(shapes.subjects(None, shape))
            shape = parents[0] if parents else None
        return shape

    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        source = report.value(result, SH.sourceShape)
        named = owner(source)
        message = _shape_message(shapes, source) or _shape_message(shapes, named) or \
            "; ".join(messages) or "does not conform"
        found.append(Violation(
            focus=show(report.value(result, SH.focusNode)),
            path=show(report.value(result, SH.resultPath)),
            message=message,
            value=show(report.value(result, SH.value)),
            shape=show(named) if named is not None else "",
            severity=show(report.value(result, SH.resultSeverity)).removeprefix("sh:"),
        ))
    return sorted(set(found))


def _shape_message(shapes: Graph, shape: Node | None) -> str | None:
    if shape is None:
        return None
    found = sorted(str(m) for m in shapes.objects(shape, SH.message))
    return found[0] if found else None


def validate(dataset: Dataset) -> list[Violation]:
    """Build the dataset's RDF and validate it against the shapes generated from its ontology."""
    from kg.rdf import dataset_graph

    return validate_graph(dataset_graph(dataset), shapes_graph(dataset.ontology),
                          Names.of(dataset.ontology))
