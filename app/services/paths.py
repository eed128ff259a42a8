"""Paths that explain: shortest or all simple paths between two nodes, each step with its sources.

The same answer on every store, without store-specific path syntax (ArcadeDB has no GQL SHORTEST,
and the stores treat filters on `allShortestPaths` differently): the service fetches the part of
the graph that can hold a path of at most k hops, a few bounded breadth-first steps from each end
(ceil(k/2) from the start, floor(k/2) from the end), and searches it with networkx. Every edge of a
path of length L <= k touches a node within ceil(k/2) hops of the start or floor(k/2) hops of the
end, so that part holds every such path. Excluded types are never followed and excluded nodes never
entered (the two ends excepted). Bounded three ways: nodes fetched, paths enumerated, time.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import networkx as nx

from app.errors import InvalidInput
from app.graph.store import GraphStore
from app.models import NodeRef, Path, PathList, PathRelationship
from app.services.memory import MemoryGraph
from app.services.nodes import node_summary

Mode = Literal["shortest", "all"]
MAX_NODES = 20_000  # stop fetching past this many nodes (the answer is then marked incomplete)


@dataclass
class _Part:
    """The fetched part of the graph: nodes and, per unordered node pair, its relationships."""

    nodes: dict[str, NodeRef] = field(default_factory=dict)
    edges: dict[tuple[str, str], dict[str, PathRelationship]] = field(default_factory=dict)
    complete: bool = True


def hubs(store: GraphStore, graph: MemoryGraph | None = None) -> list[str]:
    if graph is not None:
        return graph.hubs()
    return [row["id"] for row in store.read("paths/hubs")]


def _step(row: dict[str, Any]) -> PathRelationship:
    level = row.get("level")
    return PathRelationship(
        type=row["type"],
        start=row["start"],
        end=row["end"],
        basis=row["basis"],
        kind=row.get("kind"),
        level=level if isinstance(level, int | str) else None,
        rationale=row.get("rationale"),
        sources=sorted(row.get("sources") or []),
    )


def _fetch(
    store: GraphStore,
    ends: list[tuple[NodeRef, int]],
    *,
    types: list[str] | None,
    exclude_types: list[str],
    exclude: list[str],
    deadline: float,
    graph: MemoryGraph | None = None,
) -> _Part:
    part = _Part()
    for start, rounds in ends:
        part.nodes[start.id] = start
        seen, frontier = {start.id}, [start.id]
        for _ in range(rounds):
            if not frontier:
                break
            if time.monotonic() > deadline or len(part.nodes) > MAX_NODES:
                part.complete = False
                break
            rows = (
                graph.path_steps(sorted(frontier), types, exclude_types, exclude)
                if graph is not None
                else store.read(
                    "paths/expand", ids=sorted(frontier), types=types, exclude_types=exclude_types, exclude=exclude
                )
            )
            frontier = []
            for row in sorted(rows, key=lambda r: (r["from_id"], r["to_id"], r["type"], r["id"])):
                other = row["to_id"]
                part.nodes.setdefault(other, NodeRef(id=other, label=row["to_label"], name=row["to_name"] or other))
                pair = (min(row["from_id"], other), max(row["from_id"], other))
                part.edges.setdefault(pair, {})[row["id"]] = _step(row)
                if other not in seen:
                    seen.add(other)
                    frontier.append(other)
    return part


def _graph(part: _Part) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(sorted(part.nodes))
    graph.add_edges_from(sorted(part.edges))
    return graph


def _node_paths(graph: nx.Graph, a: str, b: str, mode: Mode, max_hops: int) -> Iterator[list[str]]:
    try:
        if mode == "shortest":
            for path in nx.all_shortest_paths(graph, a, b):
                if len(path) - 1 > max_hops:
                    return
                yield path
        else:
            for path in nx.shortest_simple_paths(graph, a, b):  # by increasing length
                if len(path) - 1 > max_hops:
                    return
                yield path
    except nx.NetworkXNoPath:
        return


MAX_EXCLUDED = 50


def _ref(store: GraphStore, node_id: str, graph: MemoryGraph | None) -> NodeRef:
    node = node_summary(store, node_id, graph)  # NotFound for an unknown id
    return NodeRef(id=node.id, label=node.label, name=node.name)


def paths(
    store: GraphStore,
    from_id: str,
    to_id: str,
    *,
    mode: Mode,
    max_hops: int,
    limit: int,
    types: list[str] | None,
    exclude_types: list[str],
    exclude: list[str],
    avoid_hubs: bool,
    time_budget_s: float,
    graph: MemoryGraph | None = None,
) -> PathList:
    """Up to `limit` paths of at most `max_hops` relationships, shortest first (then by node ids).
    One path per sequence of relationships: two nodes joined twice give two paths. `exclude` and,
    with `avoid_hubs`, every Framework and ValueChain node are never passed through. With the
    release's graph in memory (`graph`), no store call: the same answer (tests/test_memory_paths.py)."""
    a, b = _ref(store, from_id, graph), _ref(store, to_id, graph)
    if from_id == to_id:
        raise InvalidInput("from and to are the same node")
    if len(exclude) > MAX_EXCLUDED:
        raise InvalidInput(f"exclude names at most {MAX_EXCLUDED} nodes")
    unknown = [
        e for e in exclude if (graph.summary(e) if graph is not None else store.read_one("nodes/summary", id=e)) is None
    ]
    if unknown:
        raise InvalidInput(f"exclude names unknown node id(s) {unknown}")
    if avoid_hubs:
        exclude = exclude + hubs(store, graph)
    deadline = time.monotonic() + time_budget_s
    excluded = sorted(set(exclude) - {a.id, b.id})
    part = _fetch(
        store,
        [(a, (max_hops + 1) // 2), (b, max_hops // 2)],
        types=types,
        exclude_types=exclude_types,
        exclude=excluded,
        deadline=deadline,
        graph=graph,
    )
    graph = _graph(part)
    complete = part.complete
    found: list[Path] = []
    for node_path in _node_paths(graph, a.id, b.id, mode, max_hops):
        hops = [sorted(part.edges[min(x, y), max(x, y)].items()) for x, y in itertools.pairwise(node_path)]
        for combination in itertools.product(*hops):
            found.append(
                Path(
                    nodes=[part.nodes[n] for n in node_path],
                    relationships=[step for _, step in combination],
                    length=len(combination),
                )
            )
        if len(found) > limit:
            complete = False
            break
        if time.monotonic() > deadline:
            complete = False
            break
    found.sort(key=lambda p: (p.length, [n.id for n in p.nodes], [(r.type, r.start, r.end) for r in p.relationships]))
    return PathList(mode=mode, paths=found[:limit], complete=complete, excluded=excluded)
