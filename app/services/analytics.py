"""Graph analytics with networkx over the loaded ontology (computed once per release)."""

from __future__ import annotations

import threading
from typing import Any

import networkx as nx

from app.graph.store import GraphStore
from app.models import RankedNode, RankedNodes
from app.paging import Page

# Framework and value-chain nodes join everything through PART_OF; centrality is about the
# substance of the graph, so membership edges are left out.
STRUCTURAL_TYPES = {"PART_OF"}


class Analytics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._release: str | None = None
        self._computed = False
        self._scores: dict[str, dict[str, float]] = {}
        self._nodes: dict[str, dict[str, Any]] = {}

    def _refresh(self, store: GraphStore, release: str | None) -> None:
        graph = nx.Graph()
        self._nodes = {row["id"]: row for row in store.read("analytics/nodes")}
        graph.add_nodes_from(self._nodes)
        graph.add_edges_from(
            (row["start"], row["end"]) for row in store.read("analytics/edges") if row["type"] not in STRUCTURAL_TYPES
        )
        self._scores = {
            "degree": {n: float(d) for n, d in graph.degree()},
            "betweenness": nx.betweenness_centrality(graph, normalized=True),
        }
        self._release = release
        self._computed = True

    def central_nodes(
        self, store: GraphStore, release: str | None, *, measure: str, label: str | None, page: Page
    ) -> RankedNodes:
        """A page of the nodes ranked by `measure` (highest first, ties by id)."""
        return RankedNodes(**page.cut(self.ranked(store, release, measure=measure, label=label)))

    def ranked(self, store: GraphStore, release: str | None, *, measure: str, label: str | None) -> list[RankedNode]:
        with self._lock:
            if not self._computed or release != self._release:
                self._refresh(store, release)
            scores = self._scores[measure]
            nodes = self._nodes
        ranked = [
            RankedNode(**nodes[node_id], score=round(score, 6))
            for node_id, score in scores.items()
            if label is None or nodes[node_id]["label"] == label
        ]
        ranked.sort(key=lambda item: (-item.score, item.id))
        return ranked
