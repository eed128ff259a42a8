"""Node lookups and neighbourhood traversal."""

from __future__ import annotations

from typing import Any, Literal

from app.graph.store import GraphStore

Direction = Literal["out", "in", "both"]
MAX_NEIGHBORS = 10_000  # traversal stops growing the frontier past this many nodes


def node_detail(store: GraphStore, node_id: str) -> dict[str, Any] | None:
    row = store.read_one("nodes/get", id=node_id)
    if row is None:
        return None
    properties = dict(row["properties"])
    properties.pop("id", None)
    grouped: dict[str, dict[str, list[dict[str, Any]]]] = {"out": {}, "in": {}}
    for rel in sorted(row["outgoing"] + row["incoming"], key=lambda r: (r["type"], r["node"]["id"])):
        props = {k: v for k, v in rel["properties"].items() if k != "id"}
        grouped[rel["direction"]].setdefault(rel["type"], []).append({"node": rel["node"], "properties": props})
    return {
        "id": node_id,
        "label": row["label"],
        "name": properties.get("name", node_id),
        "properties": properties,
        "sources": properties.get("sources", []),
        "relationships": grouped,
    }


def node_summary(store: GraphStore, node_id: str) -> dict[str, Any] | None:
    row = store.read_one("nodes/summary", id=node_id)
    return row["node"] if row else None


def neighbors(
    store: GraphStore,
    node_id: str,
    *,
    types: list[str] | None,
    direction: Direction,
    depth: int,
    label: str | None,
    source: str | None,
) -> list[dict[str, Any]]:
    """Nodes reachable within `depth` hops, breadth first, each with the hop that first reached it.

    One bounded query per depth level (never a variable-length pattern, whose path count explodes
    around hub nodes such as a framework)."""
    seen = {node_id}
    frontier = [node_id]
    found: list[dict[str, Any]] = []
    for level in range(1, depth + 1):
        if not frontier or len(seen) > MAX_NEIGHBORS:
            break
        rows = store.read("nodes/expand", ids=frontier, types=types)
        rows.sort(key=lambda r: (r["from_id"], r["type"], r["node"]["id"]))
        frontier = []
        for row in rows:
            outgoing = bool(row["outgoing"])
            if (direction == "out" and not outgoing) or (direction == "in" and outgoing):
                continue
            node = row["node"]
            if node["id"] in seen:
                continue
            seen.add(node["id"])
            frontier.append(node["id"])
            props = {k: v for k, v in row["properties"].items() if k != "id"}
            found.append(
                {
                    "node": {"id": node["id"], "label": node["label"], "name": node["name"]},
                    "depth": level,
                    "via": row["from_id"],
                    "relationship": {
                        "type": row["type"],
                        "direction": "out" if outgoing else "in",
                        "properties": props,
                    },
                    "_sources": (node.get("sources") or []) + (row["properties"].get("sources") or []),
                }
            )
    result = []
    for item in found:
        sources = item.pop("_sources")
        if label and item["node"]["label"] != label:
            continue
        if source and not any(s.startswith(source + ":") for s in sources):
            continue
        result.append(item)
    return result
