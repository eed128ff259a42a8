"""Value chains, and which practices contribute to an activity (the headline question)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from app.api.deps import PageDep, ReleasesDep, SchemaDep, SettingsDep, StoreDep
from app.api.params import resolve_source
from app.api.problems import ERROR_RESPONSES
from app.models import ContributionList, ValueChainList
from app.services import crosswalk, memory
from app.services import value_chain as service
from app.services.heatmap import heatmap_svg

router = APIRouter(prefix="/v1/value-chain", tags=["value chain"], responses=ERROR_RESPONSES)

Level = Literal["high", "medium", "low", "unspecified", "none"]


@router.get("", response_model=ValueChainList, summary="Value chains and their activities, per framework")
def list_value_chains(store: StoreDep) -> ValueChainList:
    return service.value_chains(store)


@router.get(
    "/{activity_id}/practices",
    response_model=ContributionList,
    response_model_exclude_unset=True,  # `roles` only when asked; `next: null` stays
    summary="Practices contributing to an activity, with level, evidence and responsible roles",
)
def activity_practices(
    activity_id: str,
    store: StoreDep,
    schema: SchemaDep,
    page: PageDep,
    releases: ReleasesDep,
    settings: SettingsDep,
    min_level: Annotated[
        Level,
        Query(
            description="Weakest level to include: high > medium > low > unspecified > none. "
            "The default leaves out practices the text explicitly excludes (level none)."
        ),
    ] = service.DEFAULT_MIN_LEVEL,  # type: ignore[assignment]
    include: Annotated[list[Literal["roles"]] | None, Query(description="`roles`: add the roles responsible.")] = None,
    source: Annotated[str | None, Query(description="Only contributions this document states.")] = None,
    aligned: Annotated[
        bool,
        Query(
            description="Also answer through the activities of other value chains this one aligns with "
            "(ALIGNS_WITH), e.g. a Zero Outage phase through its ITIL activities: each practice lists the "
            "alignments it came through and each statement the activity it is about (`via`)."
        ),
    ] = False,
) -> ContributionList:
    graph = memory.graph(store, releases, settings.memory_graph_max_relationships)
    if aligned:
        return crosswalk.aligned_contributions(
            store,
            activity_id,
            min_level=min_level,
            source=resolve_source(schema, source),
            include_roles="roles" in (include or []),
            page=page,
            graph=graph,
        )
    return service.contributions(
        store,
        activity_id,
        min_level=min_level,
        source=resolve_source(schema, source),
        include_roles="roles" in (include or []),
        page=page,
        graph=graph,
    )


@router.get(
    "/{value_chain_id}/heatmap.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}, "description": "An SVG picture"}},
    summary="Practice x activity contribution levels of one value chain, as an SVG heat map",
)
def value_chain_heatmap(
    value_chain_id: str,
    store: StoreDep,
    schema: SchemaDep,
    source: Annotated[str | None, Query(description="Only contributions this document states.")] = None,
) -> Response:
    """Only the levels the curated edges give are drawn; an empty cell means the texts say nothing."""
    return Response(
        heatmap_svg(store, value_chain_id, source=resolve_source(schema, source)), media_type="image/svg+xml"
    )
