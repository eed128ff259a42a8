"""Paths between two nodes: the shortest, or all simple paths up to k hops, each step explained."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import ReleasesDep, SchemaDep, SettingsDep, StoreDep
from app.api.params import check_types
from app.api.problems import ERROR_RESPONSES
from app.models import PathList
from app.services import memory
from app.services import paths as service

router = APIRouter(prefix="/v1", tags=["nodes"], responses=ERROR_RESPONSES)


@router.get("/paths", response_model=PathList, summary="Shortest or all simple paths between two nodes, explained")
def get_paths(
    store: StoreDep,
    schema: SchemaDep,
    settings: SettingsDep,
    releases: ReleasesDep,
    from_id: Annotated[str, Query(alias="from", description="Start node id.")],
    to_id: Annotated[str, Query(alias="to", description="End node id.")],
    mode: Annotated[
        service.Mode,
        Query(description="shortest: all shortest paths; all: every simple path up to max_hops, shortest first."),
    ] = "shortest",
    max_hops: Annotated[int, Query(ge=1, le=6)] = 4,
    type: Annotated[list[str] | None, Query(description="Only paths made of these relationship types.")] = None,
    exclude_type: Annotated[
        list[str] | None, Query(description="Relationship types no path may use (repeat or comma-separate).")
    ] = None,
    exclude: Annotated[
        list[str] | None, Query(description="Node ids no path may pass through, e.g. framework:itil4 (repeatable).")
    ] = None,
    avoid_hubs: Annotated[
        bool, Query(description="Pass through no Framework or ValueChain node (membership hubs).")
    ] = False,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> PathList:
    """Each step carries its type, direction (start, end), basis, kind, level, rationale and sources.
    Searches are bounded in nodes fetched, paths enumerated and time; `complete` is false when a
    bound or `limit` cut the answer short."""
    return service.paths(
        store,
        from_id,
        to_id,
        mode=mode,
        max_hops=max_hops,
        limit=limit,
        types=check_types(schema, type),
        exclude_types=check_types(schema, exclude_type) or [],
        exclude=[e.strip() for item in exclude or [] for e in item.split(",") if e.strip()],
        avoid_hubs=avoid_hubs,
        time_budget_s=settings.query_timeout_s,
        graph=memory.graph(store, releases, settings.memory_graph_max_relationships),
    )
