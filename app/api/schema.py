"""What the graph holds: labels, relationship types and their counts."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import ReleasesDep, SchemaDep, StoreDep
from app.api.problems import ERROR_RESPONSES
from app.models import SchemaSummary
from app.services import schema as service

router = APIRouter(prefix="/v1", tags=["schema"], responses=ERROR_RESPONSES)


@router.get("/schema", response_model=SchemaSummary, summary="Labels, relationship types and counts")
def get_schema(store: StoreDep, schema: SchemaDep, releases: ReleasesDep) -> SchemaSummary:
    return service.summary(store, schema, releases.get())
