"""Nodes: a filtered list, one node with its relationships, neighbourhoods (paths: app/services/paths.py)."""

from __future__ import annotations

from typing import Literal

from app.errors import NotFound
from app.graph.store import GraphStore
from app.models import (
    Connection,
    Hop,
    Neighbor,
    NeighborList,
    NodeDetail,
    NodeList,
    NodeRef,
    NodeSummary,
)
from app.paging import Page
from app.services.memory import MemoryGraph

Direction = Literal["out", "in", "both"]
MAX_NEIGHBORS = 10_000  # traversal stops growing the frontier past this many nodes


def list_nodes(store: GraphStore, *, label: str | None, q: str | None, source: str | None, page: Page) -> NodeList:
    row = store.read_one(
        "nodes/list", label=label, q=q.lower() if q else None, source=source, skip=page.skip, limit=page.limit
    )
    assert row is not None  # an aggregation always returns its row
    return NodeList(**page.wrap(row["items"], row["total"]))


def node_detail(store: GraphStore, node_id: str) -> NodeDetail:
    row = store.read_one("nodes/get", id=node_id)
    if row is None:
        raise NotFound("node", node_id)
    properties = dict(row["properties"])
    properties.pop("id", None)
    grouped: dict[str, dict[str, list[Connection]]] = {"out": {}, "in": {}}
    for rel in sorted(row["outgoing"] + row["incoming"], key=lambda r: (r["type"], r["node"]["id"])):
        props = {k: v for k, v in rel["properties"].items() if k != "id"}
        grouped[rel["direction"]].setdefault(rel["type"], []).append(
            Connection(node=NodeRef(**rel["node"]), properties=props)
        )
    return NodeDetail(
        id=node_id,
        label=row["label"],
        name=properties.get("name", node_id),
        properties=properties,
        sources=properties.get("sources", []),
        relationships=grouped,
    )


def node_summary(store: GraphStore, node_id: str) -> NodeSummary:
    row = store.read_one("nodes/summary", id=node_id)
    if row is None:
        raise NotFound("node", node_id)
    return NodeSummary(**row["node"])


def neighbors(
    store: GraphStore,
    node_id: str,
    *,
    types: list[str] | None,
    direction: Direction,
    depth: int,
    label: str | None,
    source: str | None,
    page: Page,
    graph: MemoryGraph | None = None,
) -> NeighborList:
    """Nodes reachable within `depth` hops, breadth first, each with the hop that first reached it.

    One bounded step per depth level (never a variable-length pattern, whose path count explodes
    around hub nodes such as a framework): from the release's graph in memory when it is held
    (app/services/memory.py), else one query per level."""
    if graph is not None:
        held = graph.summary(node_id)
        if held is None:
            raise NotFound("node", node_id)
        node = NodeSummary(**held)
    else:
        node = node_summary(store, node_id)
    seen = {node_id}
    frontier = [node_id]
    found: list[tuple[Neighbor, list[str]]] = []
    for level in range(1, depth + 1):
        if not frontier or len(seen) > MAX_NEIGHBORS:
            break
        rows = graph.expand(frontier, types) if graph else store.read("nodes/expand", ids=frontier, types=types)
        # Ties (two relationships between the same nodes) by direction and id: the same order on every store.
        rows.sort(
            key=lambda r: (r["from_id"], r["type"], r["node"]["id"], not r["outgoing"], str(r["properties"].get("id")))
        )
        frontier = []
        for row in rows:
            outgoing = bool(row["outgoing"])
            if (direction == "out" and not outgoing) or (direction == "in" and outgoing):
                continue
            reached = row["node"]
            if reached["id"] in seen:
                continue
            seen.add(reached["id"])
            frontier.append(reached["id"])
            props = {k: v for k, v in row["properties"].items() if k != "id"}
            neighbor = Neighbor(
                node=NodeRef(id=reached["id"], label=reached["label"], name=reached["name"]),
                depth=level,
                via=row["from_id"],
                relationship=Hop(type=row["type"], direction="out" if outgoing else "in", properties=props),
            )
            found.append((neighbor, (reached.get("sources") or []) + (row["properties"].get("sources") or [])))
    items = [
        neighbor
        for neighbor, sources in found
        if (not label or neighbor.node.label == label)
        and (not source or any(s.startswith(source + ":") for s in sources))
    ]
    return NeighborList(node=node, **page.cut(items))
