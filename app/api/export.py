"""The whole graph as one JSON document (bulk download, not a paged API)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from app.api.deps import StoreDep
from app.api.problems import ERROR_RESPONSES
from app.services.export import export_graph

router = APIRouter(prefix="/v1", tags=["export"], responses=ERROR_RESPONSES)


@router.get("/export", summary="Release, every node and every relationship")
def export(store: StoreDep, format: Annotated[Literal["json"], Query()] = "json") -> JSONResponse:
    document: dict[str, Any] = export_graph(store)
    return JSONResponse(document, headers={"Content-Disposition": 'attachment; filename="itsm-ontology.json"'})
