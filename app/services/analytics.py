"""Graph analytics with networkx over the loaded ontology: bounded, and computed once per release.

- **Once per release**: the scores of a release are computed the first time they are asked for,
  on a background thread, and kept until the release changes; every request meanwhile waits for
  that one computation (never a second one).
- **Bounded in time**: a request waits at most `wait_s` (ITSM_QUERY_TIMEOUT_S) for the scores and
  is answered 503 with Retry-After while they are still being computed; the computation itself
  goes on and serves the next requests.
- **Bounded in size**: a graph over `max_nodes` nodes or `max_edges` relationships is not ranked
  (503 naming the limit). Betweenness is exact up to `exact_nodes` nodes; above, it is
  estimated from `samples` source nodes (a fixed seed per release, so answers repeat) and the
  answer says `approximate: true`. Work then grows as samples x (nodes + relationships), not as
  nodes x (nodes + relationships).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

import networkx as nx

from app.errors import ServiceError
from app.graph.store import GraphStore
from app.models import RankedNode, RankedNodes
from app.paging import Page

log = logging.getLogger("itsm_ontology.analytics")

# Framework and value-chain nodes join everything through PART_OF; centrality is about the
# substance of the graph, so membership edges are left out.
STRUCTURAL_TYPES = {"PART_OF"}


class AnalyticsPending(ServiceError):
    status, title, outcome, retry_after_s = 503, "Analytics being computed", "pending", 5


class AnalyticsTooLarge(ServiceError):
    status, title, outcome, retry_after_s = 503, "Graph too large for analytics", "too-large", 3600


@dataclass(frozen=True)
class Bounds:
    wait_s: float = 10.0
    max_nodes: int = 200_000
    max_edges: int = 1_000_000
    exact_nodes: int = 3_000
    samples: int = 200


@dataclass
class _Scores:
    release: str | None
    nodes: dict[str, dict[str, Any]]
    scores: dict[str, dict[str, float]]
    approximate: bool
    took_s: float


class _Run:
    """One computation for one release, shared by every request that asks meanwhile."""

    def __init__(self, release: str | None):
        self.release = release
        self.done = threading.Event()
        self.result: _Scores | None = None
        self.error: BaseException | None = None


class Analytics:
    def __init__(self, bounds: Bounds | None = None) -> None:
        self.bounds = bounds or Bounds()
        self._lock = threading.Lock()
        self._scores: _Scores | None = None
        self._run: _Run | None = None
        self.computations = 0  # how many times scores were computed (tests: once per release)

    def central_nodes(
        self, store: GraphStore, release: str | None, *, measure: str, label: str | None, page: Page
    ) -> RankedNodes:
        """A page of the nodes ranked by `measure` (highest first, ties by id)."""
        scores = self._scores_for(store, release)
        ranked = self._rank(scores, measure, label)
        return RankedNodes(**page.cut(ranked), approximate=scores.approximate and measure == "betweenness")

    def ranked(self, store: GraphStore, release: str | None, *, measure: str, label: str | None) -> list[RankedNode]:
        return self._rank(self._scores_for(store, release), measure, label)

    @staticmethod
    def _rank(scores: _Scores, measure: str, label: str | None) -> list[RankedNode]:
        nodes = scores.nodes
        ranked = [
            RankedNode(**nodes[node_id], score=round(score, 6))
            for node_id, score in scores.scores[measure].items()
            if label is None or nodes[node_id]["label"] == label
        ]
        ranked.sort(key=lambda item: (-item.score, item.id))
        return ranked

    def _scores_for(self, store: GraphStore, release: str | None) -> _Scores:
        with self._lock:
            if self._scores is not None and self._scores.release == release:
                return self._scores
            run = self._run
            if run is None or run.release != release:
                run = self._run = _Run(release)
                threading.Thread(target=self._compute, args=(store, run), name="analytics", daemon=True).start()
        if not run.done.wait(self.bounds.wait_s):
            raise AnalyticsPending(f"centrality scores of release {release} are being computed; retry in a few seconds")
        if run.error is not None:
            raise run.error
        assert run.result is not None
        return run.result

    def _compute(self, store: GraphStore, run: _Run) -> None:
        try:
            run.result = self._scores_of(store, run.release)
            with self._lock:
                if self._run is run:
                    self._scores, self._run = run.result, None
        except BaseException as exc:  # handed to the waiting requests; the next request tries again
            run.error = exc
            with self._lock:
                if self._run is run:
                    self._run = None
        finally:
            run.done.set()

    def _scores_of(self, store: GraphStore, release: str | None) -> _Scores:
        started = time.monotonic()
        bounds = self.bounds
        nodes = {row["id"]: row for row in store.read("analytics/nodes")}
        if len(nodes) > bounds.max_nodes:
            raise AnalyticsTooLarge(
                f"the graph has {len(nodes)} nodes, more than ITSM_ANALYTICS_MAX_NODES={bounds.max_nodes}"
            )
        edges = [
            (row["start"], row["end"]) for row in store.read("analytics/edges") if row["type"] not in STRUCTURAL_TYPES
        ]
        if len(edges) > bounds.max_edges:
            raise AnalyticsTooLarge(
                f"the graph has {len(edges)} relationships, more than ITSM_ANALYTICS_MAX_EDGES={bounds.max_edges}"
            )
        graph = nx.Graph()
        graph.add_nodes_from(nodes)
        graph.add_edges_from(edges)
        approximate = graph.number_of_nodes() > bounds.exact_nodes
        if approximate:
            betweenness = nx.betweenness_centrality(
                graph, k=min(bounds.samples, graph.number_of_nodes()), normalized=True, seed=0
            )
        else:
            betweenness = nx.betweenness_centrality(graph, normalized=True)
        self.computations += 1
        took = time.monotonic() - started
        log.info(
            "centrality of release %s: %d nodes, %d relationships, %s betweenness in %.1fs",
            release,
            len(nodes),
            len(edges),
            "sampled" if approximate else "exact",
            took,
        )
        return _Scores(
            release=release,
            nodes=nodes,
            scores={"degree": {n: float(d) for n, d in graph.degree()}, "betweenness": betweenness},
            approximate=approximate,
            took_s=took,
        )
