"""Saved, named, parameterised queries (cypher/saved/NAME.cypher), run on the ad-hoc read path."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from app.api.cypher import QUERY_RESPONSES, CypherResult, FormatQuery, RunnerDep, as_problems, respond
from app.api.deps import PageDep
from app.api.problems import ERROR_RESPONSES, bad_request, not_found
from app.services.saved_queries import SavedQueries, SavedQuery, SavedQueryError

router = APIRouter(prefix="/v1", tags=["queries"], responses=ERROR_RESPONSES)


class SavedParameterModel(BaseModel):
    name: str
    type: str = Field(description="string, int, float, bool, list[string] or list[int]")
    required: bool
    default: Any = None
    description: str


class SavedQueryModel(BaseModel):
    name: str
    description: str
    parameters: list[SavedParameterModel]
    cypher: str


class SavedQueryList(BaseModel):
    items: list[SavedQueryModel]
    total: int
    next: str | None = None


class SavedQueryRun(BaseModel):
    parameters: dict[str, Any] = Field(
        default_factory=dict, description="Values by parameter name; defaults fill the rest."
    )
    limit: int | None = Field(None, ge=1, description="Rows to return at most (capped by the server's maximum).")


def get_saved(request: Request) -> SavedQueries:
    saved: SavedQueries = request.app.state.saved_queries  # loaded by create_app
    return saved


SavedDep = Annotated[SavedQueries, Depends(get_saved)]


def _one(saved: SavedQueries, name: str) -> SavedQuery:
    query = saved.get(name)
    if query is None:
        raise not_found("saved query", name)
    return query


@router.get("/queries", response_model=SavedQueryList, summary="List the saved queries and their parameters")
def list_queries(saved: SavedDep, page: PageDep) -> dict[str, Any]:
    items = [q.as_dict() for q in saved]
    return page.cut(items)


@router.get("/queries/{name}", response_model=SavedQueryModel, summary="One saved query")
def get_query(name: str, saved: SavedDep) -> dict[str, Any]:
    return _one(saved, name).as_dict()


@router.post("/queries/{name}", response_model=CypherResult, responses=QUERY_RESPONSES, summary="Run a saved query")
def run_query(
    name: str,
    request: Request,
    saved: SavedDep,
    runner: RunnerDep,
    body: SavedQueryRun | None = None,
    format: FormatQuery = None,
) -> Response | dict[str, Any]:
    """Runs on the same read-only, bounded path as POST /v1/cypher."""
    query = _one(saved, name)
    body = body or SavedQueryRun()
    try:
        parameters = query.bind(body.parameters)
    except SavedQueryError as exc:
        raise bad_request(str(exc)) from exc
    with as_problems():
        result = runner.run(query.text, parameters, limit=body.limit, saved=name)
    return respond(result, request, format)
