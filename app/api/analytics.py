"""Which nodes hold the graph together (networkx centrality, cached per release)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from app.api.deps import PageDep, ReleasesDep, SchemaDep, StoreDep
from app.api.params import check_label
from app.api.problems import ERROR_RESPONSES
from app.models import RankedNodes
from app.services.analytics import Analytics

router = APIRouter(prefix="/v1/analytics", tags=["analytics"], responses=ERROR_RESPONSES)


@router.get("/central-nodes", response_model=RankedNodes, summary="Nodes ranked by centrality")
def central_nodes(
    request: Request,
    store: StoreDep,
    schema: SchemaDep,
    releases: ReleasesDep,
    page: PageDep,
    measure: Annotated[Literal["betweenness", "degree"], Query()] = "betweenness",
    label: Annotated[str | None, Query(description="Only rank nodes with this label, e.g. Practice.")] = None,
) -> RankedNodes:
    analytics: Analytics = request.app.state.analytics
    return analytics.central_nodes(store, releases.tag(), measure=measure, label=check_label(schema, label), page=page)
