"""The graph as RDF (rdflib), shared by the Turtle and JSON-LD exports.

- A node is `node:<id>`, typed with its label (`itsm:Practice`) and `skos:Concept` (a Framework:
  `skos:ConceptScheme`), in the `skos:inScheme` of every framework it belongs to (the crosswalk's
  rule, content.py). name, aliases and description are `skos:prefLabel`, `skos:altLabel`,
  `skos:definition` (English); id is `dcterms:identifier`; sources are `itsm:source`; every other
  property is `itsm:<name>` with a typed literal. A list property is one triple per element (RDF
  keeps no order; the JSON, CSV and GraphML exports do).
- A relationship is the triple `start itsm:<TYPE> end`, restated in SKOS where that reads true
  (skos.py), and **reified**: an `rdf:Statement` named `rel:<relationship id>` with
  `rdf:subject/predicate/object` carries the relationship's properties (level, basis, sources,
  ...). Reification rather than RDF-star: two relationships of one type between the same two nodes
  (ids ending `#key`) are two statements with their own properties, where RDF-star's quoted triple
  would be one; and plain RDF 1.1 reads everywhere (Turtle, JSON-LD, every triple store, rdflib's
  own parsers), where RDF-star needs RDF 1.2 tooling.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF, SKOS
from rdflib.term import Node, URIRef

from app.interop.content import FRAMEWORK_LABEL, node_frameworks, relationship_id
from app.interop.skos import skos_statements
from app.interop.vocabulary import ID_PROPERTY, LANGUAGE, SKOS_PROPERTIES, Namespaces
from app.models import ExportDocument

SOURCE_PROPERTY = "sources"


def node_iri(ns: Namespaces, node_id: str) -> URIRef:
    return ns.node[quote(node_id, safe=":-._~")]


def rel_iri(ns: Namespaces, rel_id: str) -> URIRef:
    return ns.rel[quote(rel_id, safe=":-._~")]


def _literal(value: Any, *, text: bool = False) -> Literal:
    return Literal(value, lang=LANGUAGE) if text and isinstance(value, str) else Literal(value)


def _add_properties(g: Graph, ns: Namespaces, subject: URIRef, properties: dict[str, Any], *, skos: bool) -> None:
    for name, value in properties.items():
        values = value if isinstance(value, list) else [value]
        if name == "id":
            predicate: Node = ID_PROPERTY
        elif name == SOURCE_PROPERTY:
            predicate = ns.vocab.source
        elif skos and name in SKOS_PROPERTIES:
            predicate = SKOS_PROPERTIES[name]
        else:
            predicate = ns.vocab[name]
        text = skos and name in SKOS_PROPERTIES
        for item in values:
            if predicate == SKOS.altLabel and item == properties.get("name"):
                # SKOS S13: prefLabel and altLabel are disjoint; an alias equal to the name stays itsm:aliases
                g.add((subject, ns.vocab[name], _literal(item, text=True)))
                continue
            g.add((subject, predicate, _literal(item, text=text)))


def rdf_graph(document: ExportDocument, ns: Namespaces, documents: list[tuple[str, str]]) -> Graph:
    """`documents`: (seed file, framework id) pairs, for the frameworks' concept schemes."""
    g = Graph()
    ns.bind(g)
    frameworks = node_frameworks(document, documents)
    present = {n.id for n in document.nodes}
    for node in document.nodes:
        subject = node_iri(ns, node.id)
        is_scheme = FRAMEWORK_LABEL in node.labels
        g.add((subject, RDF.type, SKOS.ConceptScheme if is_scheme else SKOS.Concept))
        for label in node.labels:
            g.add((subject, RDF.type, ns.vocab[label]))
        if not is_scheme:
            for framework in sorted(frameworks.get(node.id, set()) & present):
                g.add((subject, SKOS.inScheme, node_iri(ns, framework)))
        _add_properties(g, ns, subject, node.properties, skos=True)
    restated = skos_statements(document)
    for rel in document.relationships:
        rid = relationship_id(rel)
        start, end, predicate = node_iri(ns, rel.start), node_iri(ns, rel.end), ns.vocab[rel.type]
        g.add((start, predicate, end))
        if rid in restated:
            g.add((start, restated[rid], end))
        statement = rel_iri(ns, rid)
        g.add((statement, RDF.type, RDF.Statement))
        g.add((statement, RDF.subject, start))
        g.add((statement, RDF.predicate, predicate))
        g.add((statement, RDF.object, end))
        _add_properties(g, ns, statement, rel.properties, skos=False)
    return g


def json_ld_context(ns: Namespaces) -> dict[str, str]:
    return {
        "itsm": str(ns.vocab),
        "node": str(ns.node),
        "rel": str(ns.rel),
        "skos": str(SKOS),
        "dcterms": str(DCTERMS),
        "rdf": str(RDF),
        "xsd": "http://www.w3.org/2001/XMLSchema#",
    }
