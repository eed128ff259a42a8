"""Where the documents disagree: facts two documents give differently, with both sources."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import PageDep, SchemaDep, StoreDep
from app.api.params import check_types, resolve_source
from app.api.problems import ERROR_RESPONSES
from app.models import DisagreementList
from app.services import disagreements as service

router = APIRouter(prefix="/v1", tags=["analytics"], responses=ERROR_RESPONSES)


@router.get(
    "/disagreements", response_model=DisagreementList, summary="Facts two documents give differently, with sources"
)
def list_disagreements(
    store: StoreDep,
    schema: SchemaDep,
    page: PageDep,
    type: Annotated[
        list[str] | None,
        Query(
            description="Only these relationship types: CONTRIBUTES_TO (level), REQUIRES (level), "
            "RESPONSIBLE_FOR (kind)."
        ),
    ] = None,
    source: Annotated[
        str | None, Query(description="Only disagreements one of whose statements this document makes.")
    ] = None,
) -> DisagreementList:
    """Computed from the graph on every call: a fact (one relationship type between two nodes) that
    documents state separately with a different level or kind; each statement lists its documents
    and sources, the strongest first."""
    return service.disagreements(
        store, schema, types=check_types(schema, type), source=resolve_source(schema, source), page=page
    )
