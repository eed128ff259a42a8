"""Paths from the release's graph in memory answer exactly what the store's steps
(cypher/paths/expand.cypher, hubs.cypher, nodes/summary.cypher) answer."""

from __future__ import annotations

from typing import Any

import pytest

from app.errors import InvalidInput, NotFound
from app.graph.store import GraphStore
from app.services import paths
from app.services.memory import MemoryGraph


@pytest.fixture(scope="module")
def graph(store: GraphStore) -> MemoryGraph:
    return MemoryGraph(store.read("memory/nodes"), store.read("memory/relationships"))


ASKED: list[tuple[str, str, dict[str, Any]]] = [
    ("role:zero-outage:incident-manager", "activity:itil:plan", {}),
    ("role:zero-outage:incident-manager", "activity:itil:plan", {"avoid_hubs": True}),
    ("role:zero-outage:incident-manager", "practice:problem-management", {"mode": "all", "max_hops": 3}),
    ("practice:incident-management", "practice:change-enablement", {"max_hops": 2, "limit": 50}),
    ("practice:incident-management", "activity:itil:improve", {"types": ["CONTRIBUTES_TO", "RELATED_TO"]}),
    ("practice:incident-management", "role:itil:incident-manager", {"exclude_types": ["RESPONSIBLE_FOR"]}),
    ("practice:incident-management", "framework:itil4", {"exclude": ["practice:service-desk"], "max_hops": 3}),
    ("role:itil:incident-manager", "role:zero-outage:problem-manager", {"max_hops": 6, "limit": 5}),
]


@pytest.mark.parametrize(("a", "b", "asked"), ASKED)
def test_memory_and_store_agree(store: GraphStore, graph: MemoryGraph, a: str, b: str, asked: dict[str, Any]) -> None:
    def ask(held: MemoryGraph | None) -> dict[str, Any]:
        options: dict[str, Any] = {
            "mode": "shortest",
            "max_hops": 4,
            "limit": 10,
            "types": None,
            "exclude_types": [],
            "exclude": [],
            "avoid_hubs": False,
        } | asked
        return paths.paths(store, a, b, time_budget_s=60.0, graph=held, **options).model_dump()

    from_store, from_memory = ask(None), ask(graph)
    assert from_memory == from_store
    assert from_store["paths"], "a case that finds no path checks little"


def test_unknown_ends_and_exclusions_are_refused_in_memory_too(store: GraphStore, graph: MemoryGraph) -> None:
    options: dict[str, Any] = {
        "mode": "shortest", "max_hops": 3, "limit": 5, "types": None, "exclude_types": [], "avoid_hubs": False,
        "time_budget_s": 60.0, "graph": graph,
    }  # fmt: skip
    with pytest.raises(NotFound):
        paths.paths(store, "practice:nope", "framework:itil4", exclude=[], **options)
    with pytest.raises(InvalidInput):
        paths.paths(store, "practice:incident-management", "framework:itil4", exclude=["practice:nope"], **options)
