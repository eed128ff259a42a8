"""The whole graph as one JSON document (bulk download, not a paged API)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from app.api.deps import StoreDep
from app.api.problems import ERROR_RESPONSES
from app.models import ExportDocument
from app.services.export import export_graph

router = APIRouter(prefix="/v1", tags=["export"], responses=ERROR_RESPONSES)


@router.get("/export", response_model=ExportDocument, summary="Release, every node and every relationship")
def export(store: StoreDep, response: Response, format: Annotated[Literal["json"], Query()] = "json") -> ExportDocument:
    response.headers["Content-Disposition"] = 'attachment; filename="itsm-ontology.json"'
    return export_graph(store)
