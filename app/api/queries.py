"""Saved, named, parameterised queries (cypher/saved/NAME.cypher), run on the ad-hoc read path."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from app.adhoc.models import CypherResult, SavedQueryList, SavedQueryModel, SavedQueryRun
from app.adhoc.saved import SavedQueries
from app.api.access import OPTIONAL_KEY, AdhocAccessDep
from app.api.cypher import QUERY_RESPONSES, FormatQuery, RunnerDep, respond
from app.api.deps import PageDep, ReleasesDep, SettingsDep, StoreDep
from app.api.problems import ERROR_RESPONSES
from app.services import memory

router = APIRouter(prefix="/v1", tags=["queries"], responses=ERROR_RESPONSES)


async def get_saved(request: Request) -> SavedQueries:
    saved: SavedQueries = request.app.state.saved_queries  # loaded by create_app
    return saved


SavedDep = Annotated[SavedQueries, Depends(get_saved)]


@router.get("/queries", response_model=SavedQueryList, summary="List the saved queries and their parameters")
def list_queries(saved: SavedDep, page: PageDep) -> SavedQueryList:
    return saved.listing(page)


@router.get("/queries/{name}", response_model=SavedQueryModel, summary="One saved query")
def get_query(name: str, saved: SavedDep) -> SavedQueryModel:
    return saved.one(name).model()


@router.post(
    "/queries/{name}",
    response_model=CypherResult,
    responses=QUERY_RESPONSES,
    summary="Run a saved query",
    openapi_extra=OPTIONAL_KEY,
)
def run_query(
    name: str,
    request: Request,
    saved: SavedDep,
    runner: RunnerDep,
    caller: AdhocAccessDep,
    store: StoreDep,
    releases: ReleasesDep,
    settings: SettingsDep,
    body: SavedQueryRun | None = None,
    format: FormatQuery = None,
) -> Response | CypherResult:
    """Runs on the same read-only, bounded path as POST /v1/cypher, behind the same API key and rate limit."""
    body = body or SavedQueryRun()
    query = saved.one(name)
    held = memory.graph(store, releases, settings.memory_graph_max_relationships) if query.has_ids else None
    known = held.nodes if held is not None else None
    result = runner.run_saved(query, body.parameters, limit=body.limit, who=caller.name, known=known)
    return respond(result, request, format)
