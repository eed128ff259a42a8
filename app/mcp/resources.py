"""The MCP resources: the schema, the current release and the list of source documents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel

from app.mcp.context import Backend
from app.mcp.models import ReleaseAnswer, SourceDocument, SourceDocuments
from app.services import schema


@dataclass(frozen=True)
class ResourceSpec:
    uri: str
    name: str
    title: str
    description: str
    read: Callable[[Backend], BaseModel]
    mime_type: str = "application/json"


def _schema(backend: Backend) -> BaseModel:
    return schema.summary(backend.store, backend.schema, backend.releases.get())


def _release(backend: Backend) -> BaseModel:
    return ReleaseAnswer(release=backend.releases.get(fresh=True), tag=backend.releases.tag())


def _documents(backend: Backend) -> BaseModel:
    return SourceDocuments(
        items=[
            SourceDocument(key=key, file=doc.file, title=doc.title, lines=doc.lines, framework=doc.framework)
            for key, doc in backend.schema.documents.items()
        ]
    )


RESOURCES = [
    ResourceSpec(
        uri="itsm://schema",
        name="schema",
        title="Ontology schema",
        description="Node labels and relationship types with their meaning and counts, the source documents "
        "and the release loaded (the same as the `schema` tool).",
        read=_schema,
    ),
    ResourceSpec(
        uri="itsm://release",
        name="release",
        title="Current release",
        description="The ontology release the graph holds: version, content hash, node and relationship counts.",
        read=_release,
    ),
    ResourceSpec(
        uri="itsm://documents",
        name="documents",
        title="Source documents",
        description="The documents every fact is curated from: key, seed file (as `sources` cite it), title, "
        "line count and framework.",
        read=_documents,
    ),
]
