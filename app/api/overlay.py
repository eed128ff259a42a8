"""An organisation's own roles on the map: sources, suggestions, gaps, coverage, similar roles,
transitions, change-request impact and communities (docs/overlay.md)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from app.api.deps import PageDep, ReleasesDep, StoreDep
from app.api.problems import ERROR_RESPONSES
from app.overlay import service
from app.overlay.models import (
    ChangeImpact,
    CommunityList,
    GapList,
    OrganisationSource,
    OrganisationSourceList,
    OverlayCoverage,
    RoleTransition,
    SimilarRoleList,
    SuggestionList,
)
from app.overlay.profiles import ProfileCache, Profiles
from app.overlay.sources import SourceCatalogue

router = APIRouter(tags=["organisations"], responses=ERROR_RESPONSES)
MinLevel = Literal["high", "medium", "low", "unspecified"]
ValueChainQuery = Annotated[str, Query(description="Value chain id.")]
ThroughQuery = Annotated[
    Literal["both", "work", "practices"],
    Query(
        description="What counts as covering: working in the activity (PERFORMS_IN), answering for a "
        "contributing practice, or both."
    ),
]
MinLevelQuery = Annotated[
    MinLevel, Query(description="The weakest contribution level through which a practice covers an activity.")
]


def get_profiles(request: Request, store: StoreDep, releases: ReleasesDep) -> Profiles:
    cache: ProfileCache = request.app.state.overlay_profiles
    return cache.get(store, releases.tag())


def get_sources(request: Request, store: StoreDep, releases: ReleasesDep) -> list[OrganisationSource]:
    catalogue: SourceCatalogue = request.app.state.sources
    return catalogue.sources(store, releases.tag())


ProfilesDep = Annotated[Profiles, Depends(get_profiles)]
SourcesDep = Annotated[list[OrganisationSource], Depends(get_sources)]


@router.get("/v1/overlay/sources", response_model=OrganisationSourceList, summary="The organisation sources loaded")
def organisation_sources(sources: SourcesDep, page: PageDep) -> OrganisationSourceList:
    """Each source imported with `itsm-ontology import`: its files, rows and roles. Its name works
    in every `source=` filter."""
    return service.list_sources(sources, page)


@router.get(
    "/v1/overlay/{source}/suggestions",
    response_model=SuggestionList,
    summary="For each own role: framework roles, competencies and SFIA skills it resembles",
)
def overlay_suggestions(
    source: str,
    sources: SourcesDep,
    profiles: ProfilesDep,
    page: PageDep,
    role: Annotated[
        str | None, Query(description="Only this role (its id in the catalogue, or role:<source>:<id>).")
    ] = None,
    each: Annotated[
        int, Query(ge=1, le=service.MAX_SUGGESTIONS, description="Suggestions of each kind.")
    ] = service.DEFAULT_SUGGESTIONS,
) -> SuggestionList:
    """Ranked, each with a 0-100 score and the reason (name match, shared work and requirements;
    docs/overlay.md). `accepted` marks what the organisation already maps. Accept one by adding it to
    the source's mappings file (`itsm-ontology overlay suggest SOURCE -o draft.yaml` writes a draft)."""
    service.require_source(sources, source)
    return service.suggestions(profiles, source, role=role, each=each, page=page)


@router.get(
    "/v1/overlay/{source}/gaps",
    response_model=GapList,
    summary="Per own role: what the framework roles it maps to require that it lacks",
)
def overlay_gaps(source: str, sources: SourcesDep, profiles: ProfilesDep, page: PageDep) -> GapList:
    """Competencies by family and SFIA skills by level (missing, or held at a lower level), plus the
    responsibilities and activities of the mapped role, for each MAPS_TO the organisation states."""
    service.require_source(sources, source)
    return service.gaps(profiles, source, page)


@router.get(
    "/v1/overlay/{source}/coverage",
    response_model=OverlayCoverage,
    summary="Activities and practices no own role covers",
)
def overlay_coverage(
    source: str,
    store: StoreDep,
    sources: SourcesDep,
    profiles: ProfilesDep,
    page: PageDep,
    value_chain: ValueChainQuery = "value-chain:itil",
    min_level: MinLevelQuery = "low",
    through: ThroughQuery = "both",
) -> OverlayCoverage:
    """Each activity of the chain with the own roles covering it (working in it, or answering for a
    practice contributing to it at `min_level` or above; for a chain whose activities carry no levels,
    as Zero Outage's, the levels of the activities they align with); `items`: the practices no own role
    answers for, with their contribution levels, strongest first."""
    service.require_source(sources, source)
    return service.coverage(
        store, profiles, source, value_chain=value_chain, min_level=min_level, page=page, through=through
    )


@router.get(
    "/v1/overlay/{source}/coverage.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}, "description": "The matrix as SVG."}},
    summary="The coverage matrix as a picture: own roles x activities",
)
def overlay_coverage_svg(
    source: str,
    store: StoreDep,
    sources: SourcesDep,
    profiles: ProfilesDep,
    value_chain: ValueChainQuery = "value-chain:itil",
    min_level: MinLevelQuery = "low",
    through: ThroughQuery = "both",
) -> Response:
    found = service.require_source(sources, source)
    svg = service.coverage_svg(store, profiles, found, value_chain=value_chain, min_level=min_level, through=through)
    return Response(svg, media_type="image/svg+xml")


@router.get("/v1/roles/{role_id}/similar", response_model=SimilarRoleList, summary="Roles like this one")
def similar_roles(role_id: str, profiles: ProfilesDep, page: PageDep) -> SimilarRoleList:
    """Every other role (framework or own), most similar first: name, shared work and shared
    requirements, each scored 0-100, with the reason."""
    return service.similar(profiles, role_id, page)


@router.get(
    "/v1/roles/{a_id}/transition/{b_id}",
    response_model=RoleTransition,
    summary="What to acquire to move from role a to role b, along a path of roles where one exists",
)
def role_transition(a_id: str, b_id: str, profiles: ProfilesDep) -> RoleTransition:
    """Steps follow career steps, mappings and close similarity (at most 5); each lists what is new
    at its end and the cumulative total. `direct`: the jump in one go."""
    return service.transition(profiles, a_id, b_id)


@router.get(
    "/v1/change-requests/{cr_id}/impact",
    response_model=ChangeImpact,
    summary="Framework and own roles, competencies and practices a SFIA change request touches",
)
def change_request_impact(
    cr_id: str,
    store: StoreDep,
    sources: SourcesDep,
    profiles: ProfilesDep,
    page: PageDep,
    source: Annotated[str | None, Query(description="Only the roles of this organisation source.")] = None,
) -> ChangeImpact:
    """A role is touched when it requires a changed skill (a change to the whole skill) or the changed
    level of it; `may-touch` when it requires the skill without a stated level."""
    if source is not None:
        service.require_source(sources, source)
    return service.impact(store, profiles, cr_id, source=source, page=page)


@router.get(
    "/v1/analytics/communities",
    response_model=CommunityList,
    summary="Communities of roles and practices (networkx Louvain, once per release)",
)
def role_communities(profiles: ProfilesDep, page: PageDep) -> CommunityList:
    return service.communities(profiles, page)
