"""RDF as Turtle (rdflib): the data graph of rdf.py; the vocabulary is its own file (vocabulary.py)."""

from __future__ import annotations

from collections.abc import Iterator

from app.interop.base import ExportContext, chunks
from app.interop.rdf import rdf_graph
from app.models import ExportDocument


def serialize(document: ExportDocument, context: ExportContext) -> Iterator[bytes]:
    graph = rdf_graph(document, context.namespaces, context.documents)
    yield from chunks(graph.serialize(format="turtle", encoding="utf-8"))
