"""The whole graph as one document, and that document in any export format (app/interop/).

`export_graph` reads the live store in pages; `render` filters the document by source and hands it
to the format's serialiser, which yields bytes for a streaming answer or a file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.graph.store import GraphStore
from app.interop.base import ExportContext
from app.interop.content import select_source
from app.interop.formats import Format
from app.interop.vocabulary import Namespaces, vocabulary_graph
from app.models import ExportDocument, ExportNode, ExportRelationship
from seed.schema import OntologySchema

EXPORT_BATCH = 1000


def _pages(store: GraphStore, name: str) -> Iterator[dict[str, Any]]:
    skip = 0
    while True:
        rows = store.read(name, skip=skip, limit=EXPORT_BATCH)
        yield from rows
        if len(rows) < EXPORT_BATCH:
            return
        skip += EXPORT_BATCH


def export_graph(store: GraphStore) -> ExportDocument:
    release = store.read_one("meta/latest_release")
    nodes = [
        ExportNode(
            id=row["id"],
            labels=[label for label in row["labels"] if label != "Entity"],
            properties=row["properties"],
        )
        for row in _pages(store, "export/nodes")
    ]
    relationships = [
        ExportRelationship(type=row["type"], start=row["start"], end=row["end"], properties=row["properties"])
        for row in _pages(store, "export/relationships")
    ]
    return ExportDocument(release=release["release"] if release else None, nodes=nodes, relationships=relationships)


def context(schema: OntologySchema, base_iri: str) -> ExportContext:
    return ExportContext(schema=schema, namespaces=Namespaces(base_iri))


def render(
    document: ExportDocument, fmt: Format, schema: OntologySchema, *, base_iri: str, source_file: str | None
) -> Iterator[bytes]:
    """The document (only what `source_file` states, when given) in `fmt`, as byte chunks."""
    return fmt.serialize(select_source(document, source_file), context(schema, base_iri))


def vocabulary_turtle(schema: OntologySchema, base_iri: str) -> bytes:
    """The OWL/RDFS vocabulary (labels, relationship types, properties) as Turtle."""
    graph = vocabulary_graph(schema, Namespaces(base_iri))
    return graph.serialize(format="turtle", encoding="utf-8")
