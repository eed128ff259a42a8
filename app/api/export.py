"""The whole graph in a standard format (bulk download, not a paged API), and the vocabulary."""

from __future__ import annotations

import hashlib
from itertools import chain
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse

from app.api.deps import SchemaDep, SettingsDep, StoreDep
from app.api.params import resolve_source
from app.api.problems import ERROR_RESPONSES, PROBLEM_JSON
from app.interop.content import graph_hash
from app.interop.formats import FORMATS, negotiate
from app.models import ExportDocument
from app.services.export import export_graph, render, vocabulary_turtle
from app.services.releases import release_document

router = APIRouter(prefix="/v1", tags=["export"], responses=ERROR_RESPONSES)

FormatName = Literal["json", "jsonld", "turtle", "graphml", "csv", "sssom"]
assert set(FormatName.__args__) == set(FORMATS)  # type: ignore[attr-defined]

EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The graph in the format asked for: "
        + "; ".join(f"`{f.name}` ({f.media_type}): {f.description}" for f in FORMATS.values()),
        "content": {f.media_type: {} for f in FORMATS.values() if f.name != "json"},
    },
    406: {"description": "None of the media types in Accept is offered", "content": {PROBLEM_JSON: {}}},
    409: {"description": "The release asked for has no kept content", "content": {PROBLEM_JSON: {}}},
}


@router.get(
    "/export",
    response_model=ExportDocument,
    responses=EXPORT_RESPONSES,
    summary="Release, every node and every relationship, in JSON, JSON-LD, Turtle, GraphML, CSV or SSSOM",
)
def export(
    request: Request,
    store: StoreDep,
    schema: SchemaDep,
    settings: SettingsDep,
    format: Annotated[
        FormatName | None,
        Query(description="Output format; when absent, chosen from the Accept header (default json)."),
    ] = None,
    source: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=100,
            description="Only what one document states (key, file name or 3-digit prefix): the nodes and "
            "relationships citing it, with the nodes at the ends of those relationships.",
        ),
    ] = None,
    release: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=100,
            description="An earlier release (id, version or `latest`) instead of the graph as it is now.",
        ),
    ] = None,
) -> Response:
    """Streams the export; docs/interop.md describes each format. The ETag is the content's own
    hash (with the format and filter), so an unchanged graph answers `If-None-Match` with 304."""
    fmt = negotiate(format, request.headers.get("accept"))
    source_file = resolve_source(schema, source)
    document = release_document(store, release) if release else export_graph(store)
    body = render(document, fmt, schema, base_iri=settings.base_iri, source_file=source_file)
    first = next(body, b"")  # serialisation errors surface here, before the answer starts
    tag = hashlib.sha256(f"{graph_hash(document)}|{fmt.name}|{source_file}|{settings.base_iri}".encode()).hexdigest()
    headers = {
        "Content-Disposition": f'attachment; filename="itsm-ontology.{fmt.extension}"',
        "ETag": f'"{tag[:32]}"',
        "Vary": "Accept",
    }
    return StreamingResponse(chain([first], body), media_type=fmt.media_type, headers=headers)


@router.get(
    "/vocabulary",
    response_class=Response,
    responses={200: {"content": {"text/turtle": {}}, "description": "OWL/RDFS vocabulary as Turtle"}},
    summary="The OWL/RDFS vocabulary of the RDF exports: labels, relationship types, properties",
)
def vocabulary(schema: SchemaDep, settings: SettingsDep) -> Response:
    return Response(vocabulary_turtle(schema, settings.base_iri), media_type="text/turtle")
