"""The ontology's own vocabulary as OWL/RDFS, generated from ontology/schema.yaml with rdflib.

Names are the graph's own, unchanged (`itsm:Practice`, `itsm:CONTRIBUTES_TO`, `itsm:level_cue`), so
a SPARQL query and a Cypher query use the same words. Labels are `owl:Class`es (each a subclass of
`skos:Concept`, except Framework, whose nodes are `skos:ConceptScheme`s); relationship types are
`owl:ObjectProperty`s with their domain and range where the schema names them; properties are
`owl:DatatypeProperty`s (the relationship properties describe the `rdf:Statement` that reifies a
relationship, see rdf.py). The four node properties SKOS names are exported as SKOS instead:
name -> skos:prefLabel, aliases -> skos:altLabel, description -> skos:definition, id ->
dcterms:identifier.
"""

from __future__ import annotations

from rdflib import Graph, Literal, Namespace
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import URIRef

from seed.schema import ANY_LABEL, OntologySchema, PropertySpec

SKOS_PROPERTIES: dict[str, URIRef] = {
    "name": SKOS.prefLabel,
    "aliases": SKOS.altLabel,
    "description": SKOS.definition,
}
ID_PROPERTY = DCTERMS.identifier
LANGUAGE = "en"  # names, aliases and descriptions are English


class Namespaces:
    """The IRIs of one export: vocabulary terms, nodes and relationship statements under a base."""

    def __init__(self, base_iri: str):
        base = base_iri if base_iri.endswith(("/", "#")) else base_iri + "/"
        self.base = base
        self.vocab = Namespace(base + "vocab/")
        self.node = Namespace(base + "id/")
        self.rel = Namespace(base + "rel/")
        self.ontology = URIRef(base + "vocab")

    def bind(self, graph: Graph) -> None:
        graph.bind("itsm", self.vocab)
        graph.bind("node", self.node)
        graph.bind("rel", self.rel)
        for prefix, ns in (("skos", SKOS), ("dcterms", DCTERMS), ("owl", OWL), ("rdfs", RDFS), ("xsd", XSD)):
            graph.bind(prefix, ns)


def _range(spec: PropertySpec) -> URIRef:
    return XSD.integer if spec.type in ("int", "list[int]") else XSD.boolean if spec.type == "bool" else XSD.string


def vocabulary_graph(schema: OntologySchema, ns: Namespaces) -> Graph:
    g = Graph()
    ns.bind(g)
    g.add((ns.ontology, RDF.type, OWL.Ontology))
    g.add((ns.ontology, RDFS.label, Literal("itsm-ontology vocabulary", lang=LANGUAGE)))
    g.add((ns.ontology, OWL.versionInfo, Literal(schema.ontology_version)))
    g.add((ns.vocab.source, RDF.type, OWL.DatatypeProperty))
    g.add((ns.vocab.source, RDFS.comment, Literal("A document and line range: <file>:<first>-<last>.")))
    for label, spec in sorted(schema.labels.items()):
        cls = ns.vocab[label]
        g.add((cls, RDF.type, OWL.Class))
        g.add((cls, RDFS.label, Literal(label)))
        g.add((cls, RDFS.comment, Literal(spec.doc, lang=LANGUAGE)))
        g.add((cls, RDFS.subClassOf, SKOS.ConceptScheme if label == "Framework" else SKOS.Concept))
        g.add((cls, RDFS.isDefinedBy, ns.ontology))
    properties: dict[str, list[PropertySpec]] = {}
    for name, prop in schema.node_properties.items():
        properties.setdefault(name, []).append(prop)
    for spec in schema.labels.values():
        for name, prop in spec.properties.items():
            properties.setdefault(name, []).append(prop)
    for rtype, rspec in sorted(schema.relationship_types.items()):
        prop_iri = ns.vocab[rtype]
        g.add((prop_iri, RDF.type, OWL.ObjectProperty))
        g.add((prop_iri, RDFS.label, Literal(rtype)))
        g.add((prop_iri, RDFS.comment, Literal(rspec.doc, lang=LANGUAGE)))
        g.add((prop_iri, RDFS.isDefinedBy, ns.ontology))
        for axis, labels in ((RDFS.domain, rspec.from_labels), (RDFS.range, rspec.to_labels)):
            if len(labels) == 1 and labels[0] != ANY_LABEL:
                g.add((prop_iri, axis, ns.vocab[labels[0]]))
        for name, prop in rspec.properties.items():
            properties.setdefault(name, []).append(prop)
    for name, prop in schema.relationship_properties.items():
        properties.setdefault(name, []).append(prop)
    for name, specs in sorted(properties.items()):
        if name in SKOS_PROPERTIES or name in ("id", "sources"):
            continue
        prop_iri = ns.vocab[name]
        g.add((prop_iri, RDF.type, OWL.DatatypeProperty))
        g.add((prop_iri, RDFS.label, Literal(name)))
        docs = sorted({spec.doc for spec in specs if spec.doc})
        if docs:
            g.add((prop_iri, RDFS.comment, Literal("; ".join(docs), lang=LANGUAGE)))
        ranges = {_range(spec) for spec in specs}
        if len(ranges) == 1:  # `level` is an int on REQUIRES and a word on CONTRIBUTES_TO: no range
            g.add((prop_iri, RDFS.range, ranges.pop()))
        g.add((prop_iri, RDFS.isDefinedBy, ns.ontology))
    return g
