"""Role comparison from the release's graph in memory answers exactly what the store's queries
(cypher/roles/holdings.cypher, mappings_between.cypher) answer."""

from __future__ import annotations

import pytest

from app.errors import NotFound
from app.graph.store import GraphStore
from app.services import role_compare
from app.services.memory import MemoryGraph


@pytest.fixture(scope="module")
def graph(store: GraphStore) -> MemoryGraph:
    return MemoryGraph(store.read("memory/nodes"), store.read("memory/relationships"))


def test_every_role_against_others_in_memory_is_the_stores(store: GraphStore, graph: MemoryGraph) -> None:
    roles = sorted(i for i, node in graph.nodes.items() if node["label"] == "Role")
    assert len(roles) > 50
    pairs = [(a, roles[(k * 7 + 3) % len(roles)]) for k, a in enumerate(roles)]
    pairs += [(a, roles[(k + 1) % len(roles)]) for k, a in enumerate(roles)]
    pairs += [("role:zero-outage:incident-manager", "role:zero-outage:problem-manager")]
    pairs += [("role:zero-outage:incident-manager", "role:itil:incident-manager"), (roles[0], roles[0])]
    shared_through_mappings = 0
    for a, b in pairs:
        from_store = role_compare.compare(store, a, b).model_dump()
        from_memory = role_compare.compare(store, a, b, graph).model_dump()
        assert from_memory == from_store, (a, b)
        shared_through_mappings += from_store["summary"]["shared_through_mappings"]
    assert shared_through_mappings > 0  # the mappings part was exercised


@pytest.mark.parametrize("other", ["practice:incident-management", "role:nope"])
def test_a_node_that_is_no_role_is_not_found_in_memory_either(
    store: GraphStore, graph: MemoryGraph, other: str
) -> None:
    for held in (None, graph):
        with pytest.raises(NotFound):
            role_compare.compare(store, "role:zero-outage:incident-manager", other, held)
