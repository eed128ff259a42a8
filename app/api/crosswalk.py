"""The crosswalk layer: the mappings that join two frameworks."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from app.api.deps import PageDep, SchemaDep, StoreDep
from app.api.params import check_types
from app.api.problems import ERROR_RESPONSES
from app.models import CrosswalkList, CrosswalkSummary
from app.services import crosswalk as service

router = APIRouter(prefix="/v1/crosswalk", tags=["crosswalk"], responses=ERROR_RESPONSES)


@router.get("", response_model=CrosswalkList, summary="Mappings between two frameworks, with basis and sources")
def list_crosswalk(
    store: StoreDep,
    schema: SchemaDep,
    page: PageDep,
    from_framework: Annotated[
        str | None,
        Query(alias="from", min_length=1, max_length=100, description="Framework of one end, e.g. zero-outage."),
    ] = None,
    to_framework: Annotated[
        str | None,
        Query(alias="to", min_length=1, max_length=100, description="Framework of the other end, e.g. itil4."),
    ] = None,
    basis: Annotated[Literal["stated", "inferred"] | None, Query(description="Only this basis.")] = None,
    kind: Annotated[
        str | None,
        Query(min_length=1, max_length=100, description="Only this kind (same-role, competency-for-practice, ...)."),
    ] = None,
    type: Annotated[
        list[str] | None, Query(description="Only these relationship types (repeat or comma-separate).")
    ] = None,
) -> CrosswalkList:
    """A mapping is any relationship whose ends belong to no common framework (docs/ontology.md,
    "The crosswalk layer"). Each item is oriented from the `from` framework to the `to` framework;
    `reversed` says the relationship was stated the other way round."""
    return service.mappings(
        store,
        schema,
        from_framework=from_framework,
        to_framework=to_framework,
        types=check_types(schema, type),
        basis=basis,
        kind=kind,
        page=page,
    )


@router.get(
    "/summary", response_model=CrosswalkSummary, summary="How many mappings join each pair of frameworks, per type"
)
def crosswalk_summary(store: StoreDep, schema: SchemaDep, page: PageDep) -> CrosswalkSummary:
    return service.summary(store, schema, page=page)
