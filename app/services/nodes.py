"""Nodes: a filtered list, one node with its relationships, neighbourhoods (paths: app/services/paths.py)."""

from __future__ import annotations

from operator import itemgetter
from typing import Any, Literal

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


def node_detail(store: GraphStore, node_id: str, graph: MemoryGraph | None = None) -> NodeDetail:
    """The node with its properties and every relationship, grouped by direction and type: from the
    release's graph in memory when it is held (the same answer: tests/test_memory_detail.py), else
    one query (cypher/nodes/get.cypher)."""
    row = graph.detail(node_id) if graph is not None else store.read_one("nodes/get", id=node_id)
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


def node_summary(store: GraphStore, node_id: str, graph: MemoryGraph | None = None) -> NodeSummary:
    if graph is not None:
        node = graph.summary(node_id)
    else:
        row = store.read_one("nodes/summary", id=node_id)
        node = row["node"] if row is not None else None
    if node is None:
        raise NotFound("node", node_id)
    return NodeSummary(**node)


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
        summary = NodeSummary(**held)
        return _neighbors_in_memory(
            graph, summary, types=types, direction=direction, depth=depth, label=label, source=source, page=page
        )
    node = node_summary(store, node_id)
    seen = {node_id}
    frontier = [node_id]
    found: list[tuple[Neighbor, list[str]]] = []
    for level in range(1, depth + 1):
        if not frontier or len(seen) > MAX_NEIGHBORS:
            break
        rows = store.read("nodes/expand", ids=frontier, types=types)
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


def _neighbors_in_memory(
    graph: MemoryGraph,
    node: NodeSummary,
    *,
    types: list[str] | None,
    direction: Direction,
    depth: int,
    label: str | None,
    source: str | None,
    page: Page,
) -> NeighborList:
    """`neighbors` on the release's graph in memory: the same walk, the same order and the same
    answer as the store's path (tests/test_memory_graph.py), with light tuples instead of rows,
    the direction and the nodes already reached left out before sorting, and models built for the
    page alone (at 10,000 nodes a depth-3 walk reaches every node through ~180,000 hops)."""
    wanted = set(types) if types is not None else None
    seen = {node.id}
    frontier = [node.id]
    found: list[tuple[str, int, str, str, bool, dict[str, Any]]] = []  # other, depth, via, type, out, props
    order = itemgetter(0, 1, 2, 3, 4)
    for level in range(1, depth + 1):
        if not frontier or len(seen) > MAX_NEIGHBORS:
            break
        steps = []
        for via in frontier:
            for other, outgoing, rel_type, properties in graph.adjacency.get(via, ()):
                if other in seen or (wanted is not None and rel_type not in wanted):
                    continue
                if (direction == "out" and not outgoing) or (direction == "in" and outgoing):
                    continue
                steps.append((via, rel_type, other, not outgoing, str(properties.get("id")), properties))
        steps.sort(key=order)  # the store path's order: ties by direction and relationship id
        frontier = []
        for via, rel_type, other, incoming, _rel_id, properties in steps:
            if other in seen:
                continue
            seen.add(other)
            frontier.append(other)
            found.append((other, level, via, rel_type, not incoming, properties))
    if label or source:
        nodes = graph.nodes

        def kept(step: tuple[str, int, str, str, bool, dict[str, Any]]) -> bool:
            reached = nodes[step[0]]
            if label and reached["label"] != label:
                return False
            sources = (reached.get("sources") or []) + (step[5].get("sources") or [])
            return not source or any(s.startswith(source + ":") for s in sources)

        found = [step for step in found if kept(step)]
    window = found[page.skip : page.skip + page.limit]
    items = []
    for other, level, via, rel_type, outgoing, properties in window:
        reached = graph.nodes[other]
        items.append(
            Neighbor(
                node=NodeRef(id=other, label=reached["label"], name=reached["name"]),
                depth=level,
                via=via,
                relationship=Hop(
                    type=rel_type,
                    direction="out" if outgoing else "in",
                    properties={k: v for k, v in properties.items() if k != "id"},
                ),
            )
        )
    return NeighborList(node=node, **page.wrap(items, len(found)))
