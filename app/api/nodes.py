"""Nodes: list, look up, neighbourhood (paths between nodes: app/api/paths.py)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from app.api.deps import PageDep, ReleasesDep, SchemaDep, SettingsDep, StoreDep
from app.api.params import check_label, check_types, resolve_source
from app.api.problems import ERROR_RESPONSES
from app.models import NeighborList, NodeDetail, NodeList
from app.services import memory
from app.services import nodes as service

router = APIRouter(prefix="/v1", tags=["nodes"], responses=ERROR_RESPONSES)

LabelQuery = Annotated[str | None, Query(description="Only nodes with this label, e.g. Practice.")]
SourceQuery = Annotated[
    str | None, Query(description="Only what this document states: a key such as itil-roles, a file name, or 003.")
]


@router.get("/nodes", response_model=NodeList, summary="List nodes, filtered and paginated")
def list_nodes(
    store: StoreDep,
    schema: SchemaDep,
    page: PageDep,
    label: LabelQuery = None,
    q: Annotated[
        str | None, Query(min_length=1, max_length=200, description="Text in name, aliases, id or code.")
    ] = None,
    source: SourceQuery = None,
) -> NodeList:
    return service.list_nodes(
        store, label=check_label(schema, label), q=q, source=resolve_source(schema, source), page=page
    )


@router.get("/nodes/{node_id}", response_model=NodeDetail, summary="One node with its relationships")
def get_node(node_id: str, store: StoreDep, releases: ReleasesDep, settings: SettingsDep) -> NodeDetail:
    graph = memory.graph(store, releases, settings.memory_graph_max_relationships)
    return service.node_detail(store, node_id, graph)


@router.get("/nodes/{node_id}/neighbors", response_model=NeighborList, summary="Nodes within a few hops")
def get_neighbors(
    node_id: str,
    store: StoreDep,
    schema: SchemaDep,
    page: PageDep,
    releases: ReleasesDep,
    settings: SettingsDep,
    type: Annotated[
        list[str] | None, Query(description="Relationship types to follow (repeat or comma-separate).")
    ] = None,
    direction: Annotated[Literal["out", "in", "both"], Query()] = "both",
    depth: Annotated[int, Query(ge=1, le=4)] = 1,
    label: LabelQuery = None,
    source: SourceQuery = None,
) -> NeighborList:
    return service.neighbors(
        store,
        node_id,
        types=check_types(schema, type),
        direction=direction,
        depth=depth,
        label=check_label(schema, label),
        source=resolve_source(schema, source),
        page=page,
        graph=memory.graph(store, releases, settings.memory_graph_max_relationships),
    )
