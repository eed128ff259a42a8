"""Role x activity coverage of a value chain (the data behind the explorer's role heat map)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import PageDep, SchemaDep, StoreDep
from app.api.params import resolve_source
from app.api.problems import ERROR_RESPONSES
from app.models import RoleCoverageList
from app.services import coverage as service

router = APIRouter(prefix="/v1/value-chain", tags=["value chain"], responses=ERROR_RESPONSES)


@router.get(
    "/{value_chain_id}/role-coverage",
    response_model=RoleCoverageList,
    summary="Role x activity coverage: which roles work in, or answer for practices of, each activity",
)
def role_coverage(
    value_chain_id: str,
    store: StoreDep,
    schema: SchemaDep,
    page: PageDep,
    source: Annotated[
        str | None, Query(description="Only evidence this document states (for a practice: either edge).")
    ] = None,
    kind: Annotated[service.RoleKind | None, Query(description="Only roles of this kind.")] = None,
    aligned: Annotated[
        bool,
        Query(
            description="Also count practices contributing to the activities of another chain that this "
            "chain's activities align with (ALIGNS_WITH), e.g. Zero Outage phases through ITIL activities."
        ),
    ] = False,
) -> RoleCoverageList:
    """A role covers an activity when it PERFORMS_IN it, or is RESPONSIBLE_FOR a practice that
    CONTRIBUTES_TO it (explicit exclusions aside). Rows: roles covering at least one activity, most
    activities first; each cell lists its evidence with sources."""
    return service.role_coverage(
        store, value_chain_id, source=resolve_source(schema, source), kind=kind, aligned=aligned, page=page
    )
