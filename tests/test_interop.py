"""Standard exports (issue 13): every format round-trips through the library that reads it.

Turtle and JSON-LD parse back with rdflib to the same counts of nodes, relationships and property
values; the SKOS part passes a SHACL rendering of SKOS's integrity conditions (pySHACL); the CSV
zip, read back and loaded into an empty store with the project's own loader, exports the same
graph (same hash); GraphML read back with networkx is the same graph; the SSSOM rows are the
crosswalk. Then the API (format, Accept, source, ETag) and the CLI.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from fastapi.testclient import TestClient
from pyshacl import validate
from rdflib.namespace import DCTERMS, RDF, SKOS

from app.graph.store import GraphStore
from app.interop import csvzip, graphml, sssom
from app.interop.base import ExportContext
from app.interop.content import crosswalk, graph_hash, select_source, to_ontology
from app.interop.formats import FORMATS, negotiate
from app.interop.rdf import rdf_graph
from app.interop.vocabulary import Namespaces
from app.models import ExportDocument, ExportNode, ExportRelationship
from app.services.export import export_graph, render
from app.settings import Settings
from seed.load import load
from seed.model import Ontology
from seed.validate import read_ontology
from tests.backends import BACKENDS, backend_store

SHAPES = Path(__file__).parent / "data" / "skos-shapes.ttl"
BASE = "https://example.org/itsm-ontology/"
# SKOS S27: skos:related is disjoint with skos:broaderTransitive (relatedMatch is a kind of related,
# broadMatch of broader). Every row breaks it.
S27 = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?this ?value WHERE {
    ?this (skos:related|skos:relatedMatch) ?value .
    FILTER (EXISTS { ?this (skos:broader|skos:broadMatch)+ ?value } || EXISTS { ?value (skos:broader|skos:broadMatch)+ ?this })
}"""


def skos_problems(graph: rdflib.Graph) -> str:
    """Empty when the graph meets SKOS's integrity conditions, else what breaks them."""
    conforms, _report, text = validate(graph, shacl_graph=str(SHAPES), advanced=True, inference="none")
    s27 = [f"S27: {row[0]} related to its broader {row[1]}" for row in graph.query(S27)]  # type: ignore[index]
    return "\n".join(([] if conforms else [text]) + s27)


@pytest.fixture(scope="module")
def document(store: GraphStore) -> ExportDocument:
    return export_graph(store)


@pytest.fixture(scope="module")
def context(ontology: Ontology) -> ExportContext:
    return ExportContext(schema=ontology.schema, namespaces=Namespaces(BASE))


def serialized(document: ExportDocument, name: str, context: ExportContext) -> bytes:
    return b"".join(FORMATS[name].serialize(document, context))


def value_count(properties: dict[str, object]) -> int:
    return sum(len(set(v)) if isinstance(v, list) else 1 for v in properties.values())


@pytest.mark.parametrize("fmt", ["turtle", "jsonld"])
def test_rdf_parses_back_with_the_same_counts(document: ExportDocument, context: ExportContext, fmt: str) -> None:
    graph = rdflib.Graph().parse(
        data=serialized(document, fmt, context), format="turtle" if fmt == "turtle" else "json-ld"
    )
    vocab = context.namespaces.vocab
    classes = {vocab[label] for n in document.nodes for label in n.labels}
    nodes = {s for s, _, o in graph.triples((None, RDF.type, None)) if o in classes}
    statements = set(graph.subjects(RDF.type, RDF.Statement))
    assert len(nodes) == len(document.nodes)
    assert len(statements) == len(document.relationships)
    # Every property value of a node and of a relationship is one triple on its subject.
    skipped = {RDF.type, SKOS.inScheme, RDF.subject, RDF.predicate, RDF.object}
    on_nodes = sum(
        1 for n in nodes for p, _ in graph.predicate_objects(n) if p not in skipped and isinstance(_, rdflib.Literal)
    )
    on_rels = sum(1 for s in statements for p, _ in graph.predicate_objects(s) if p not in skipped)
    assert on_nodes == sum(value_count(n.properties) for n in document.nodes)
    assert on_rels == sum(value_count(r.properties) for r in document.relationships)
    # Every relationship is also the plain triple start -type-> end.
    ids = {str(graph.value(s, DCTERMS.identifier)) for s in statements}
    assert ids == {r.properties["id"] for r in document.relationships}
    for s in list(statements)[:50]:
        assert (graph.value(s, RDF.subject), graph.value(s, RDF.predicate), graph.value(s, RDF.object)) in graph


def test_skos_part_passes_the_integrity_conditions(document: ExportDocument, context: ExportContext) -> None:
    graph = rdf_graph(document, context.namespaces, context.documents)
    assert skos_problems(graph) == ""
    assert len(set(graph.subjects(RDF.type, SKOS.Concept))) == sum(
        1 for n in document.nodes if "Framework" not in n.labels
    )
    for predicate in (SKOS.broader, SKOS.related, SKOS.closeMatch, SKOS.relatedMatch, SKOS.inScheme):
        assert any(graph.triples((None, predicate, None))), predicate


def test_the_skos_check_catches_what_it_should(context: ExportContext) -> None:
    """The shapes are not vacuous: a label clash and a related-to-broader link fail them (and the
    exporter itself keeps an alias equal to the name off skos:altLabel)."""
    nodes = [
        ExportNode(id="concept:a", labels=["Concept"], properties={"id": "concept:a", "name": "A", "aliases": ["A"]}),
        ExportNode(id="concept:b", labels=["Concept"], properties={"id": "concept:b", "name": "B"}),
    ]
    rels = [
        ExportRelationship(
            type="PART_OF", start="concept:a", end="concept:b", properties={"id": "PART_OF:concept:a->concept:b"}
        ),
    ]
    graph = rdf_graph(ExportDocument(release=None, nodes=nodes, relationships=rels), context.namespaces, [])
    a, b = (context.namespaces.node[x] for x in ("concept:a", "concept:b"))
    graph.add((a, SKOS.related, b))  # what skos.py would never add next to a broader
    graph.add((a, SKOS.altLabel, rdflib.Literal("A", lang="en")))  # nor rdf.py an alias equal to the name
    assert (a, context.namespaces.vocab["aliases"], rdflib.Literal("A", lang="en")) in graph
    problems = skos_problems(graph)
    assert "S27" in problems and "altLabel" in problems


@pytest.fixture(scope="module", params=BACKENDS)
def empty_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    with backend_store(request.param, tmp_path_factory.mktemp(f"import-{request.param}")) as store:
        if store.dialect.kind == "neo4j":
            store.run_write("MATCH (n) DETACH DELETE n")
        yield store
        if store.dialect.kind == "neo4j":  # the rest of the suite expects the whole ontology there
            store.run_write("MATCH (n) DETACH DELETE n")
            load(store, read_ontology(Settings().ontology_dir))


def test_csv_zip_imports_into_an_empty_store_as_the_same_graph(
    document: ExportDocument, context: ExportContext, empty_store: GraphStore
) -> None:
    data = serialized(document, "csv", context)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        header = archive.read("nodes/Practice.csv").decode().splitlines()[0]
        rel_header = archive.read("relationships/REQUIRES.csv").decode().splitlines()[0]
        command = archive.read("import.txt").decode()
    assert header.startswith("id:ID,:LABEL,") and "sources:string[]" in header
    assert rel_header.startswith(":START_ID,:END_ID,:TYPE,") and "level:int" in rel_header
    assert "neo4j-admin database import full --array-delimiter='|'" in command
    assert all(f"--nodes={n}" in command for n in names if n.startswith("nodes/"))

    read_back = csvzip.parse(data)
    assert graph_hash(read_back) == graph_hash(document)
    load(empty_store, to_ontology(read_back, context.schema, "itsm-ontology.zip"))
    assert graph_hash(export_graph(empty_store)) == graph_hash(document)


def test_graphml_reads_back_as_the_same_graph(document: ExportDocument, context: ExportContext) -> None:
    data = serialized(document, "graphml", context)
    graph = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    assert graph.number_of_nodes() == len(document.nodes)
    assert graph.number_of_edges() == len(document.relationships)
    assert graph.nodes["practice:incident-management"]["labels"] == "Practice"
    assert graph_hash(graphml.parse(data, context.schema)) == graph_hash(document)


def test_sssom_rows_are_the_crosswalk(client: TestClient, document: ExportDocument, context: ExportContext) -> None:
    text = serialized(document, "sssom", context).decode()
    assert text.startswith("#curie_map:")
    records = sssom.parse(text, context)
    listed = client.get("/v1/crosswalk", params={"limit": 1}).json()["total"]
    assert len(records) == len(crosswalk(document, context.documents)) == listed
    assert {r.mapping_justification for r in records} <= {sssom.STATED, sssom.INFERRED}
    predicates = {r.predicate_id for r in records}
    assert "skos:closeMatch" in predicates and "itsm:REQUIRES" in predicates
    assert all(r.subject_source != r.object_source for r in records)
    assert all((r.other or "").startswith("relationship=") and "sources=0" in (r.other or "") for r in records)


def test_source_filter_keeps_one_documents_statements(document: ExportDocument) -> None:
    sfia = "002_ec8cbdba19ca2271.txt"
    part = select_source(document, sfia)
    ids = {n.id for n in part.nodes}
    assert 0 < len(part.relationships) < len(document.relationships)
    assert all(any(s.startswith(sfia + ":") for s in r.properties["sources"]) for r in part.relationships)
    assert all(r.start in ids and r.end in ids for r in part.relationships)


def test_negotiation() -> None:
    assert negotiate(None, None).name == "json"
    assert negotiate(None, "text/turtle").name == "turtle"
    assert negotiate(None, "application/ld+json;q=0.5, text/turtle;q=0.9").name == "turtle"
    assert negotiate(None, "application/graphml+xml").name == "graphml"
    assert negotiate(None, "*/*").name == "json"
    assert negotiate("sssom", "text/turtle").name == "sssom"  # the parameter wins


@pytest.mark.parametrize("name", list(FORMATS))
def test_api_serves_every_format(client: TestClient, name: str) -> None:
    response = client.get("/v1/export", params={"format": name, "source": "sfia-cr1431"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == FORMATS[name].media_type
    assert f'filename="itsm-ontology.{FORMATS[name].extension}"' in response.headers["content-disposition"]
    assert response.content
    again = client.get(
        "/v1/export",
        params={"format": name, "source": "sfia-cr1431"},
        headers={"If-None-Match": response.headers["etag"]},
    )
    assert again.status_code == 304 and not again.content


def test_api_negotiates_from_accept(client: TestClient) -> None:
    turtle = client.get("/v1/export", params={"source": "002"}, headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")
    assert len(rdflib.Graph().parse(data=turtle.text, format="turtle")) > 100
    refused = client.get("/v1/export", params={"source": "002"}, headers={"Accept": "image/png"})
    assert refused.status_code == 406
    assert refused.headers["content-type"] == "application/problem+json"
    bad = client.get("/v1/export", params={"source": "no-such-document"})
    assert bad.status_code == 422


def test_api_json_is_unchanged_in_shape(client: TestClient, document: ExportDocument) -> None:
    body = client.get("/v1/export").json()
    assert set(body) == {"release", "nodes", "relationships"}
    assert graph_hash(ExportDocument.model_validate(body)) == graph_hash(document)


def test_vocabulary_names_every_label_and_type(client: TestClient, ontology: Ontology) -> None:
    response = client.get("/v1/vocabulary")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    ns = Namespaces(BASE)
    owl = rdflib.OWL
    assert {ns.vocab[label] for label in ontology.schema.labels} <= set(graph.subjects(RDF.type, owl.Class))
    types = {ns.vocab[t] for t in ontology.schema.relationship_types}
    assert types <= set(graph.subjects(RDF.type, owl.ObjectProperty))


def test_render_streams_in_chunks(document: ExportDocument, context: ExportContext) -> None:
    chunks = list(render(document, FORMATS["json"], context.schema, base_iri=BASE, source_file=None))
    assert len(chunks) > len(document.nodes)  # one per item, not one string
    assert ExportDocument.model_validate_json(b"".join(chunks)) == document
