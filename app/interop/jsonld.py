"""RDF as JSON-LD (rdflib), compacted with a context naming the itsm, node, rel and SKOS prefixes."""

from __future__ import annotations

from collections.abc import Iterator

from app.interop.base import ExportContext, chunks
from app.interop.rdf import json_ld_context, rdf_graph
from app.models import ExportDocument


def serialize(document: ExportDocument, context: ExportContext) -> Iterator[bytes]:
    graph = rdf_graph(document, context.namespaces, context.documents)
    data = graph.serialize(
        format="json-ld", context=json_ld_context(context.namespaces), auto_compact=True, encoding="utf-8"
    )
    yield from chunks(data)
