"""Node detail from the release's graph in memory answers exactly what cypher/nodes/get.cypher
answers through the store, for every node of the real ontology."""

from __future__ import annotations

import pytest

from app.errors import NotFound
from app.graph.store import GraphStore
from app.services import nodes
from app.services.memory import MemoryGraph


@pytest.fixture(scope="module")
def graph(store: GraphStore) -> MemoryGraph:
    return MemoryGraph(store.read("memory/nodes"), store.read("memory/relationships"))


def test_every_node_in_memory_is_the_stores(store: GraphStore, graph: MemoryGraph) -> None:
    ids = sorted(graph.nodes)
    assert len(ids) > 500
    for node_id in ids:
        from_store = nodes.node_detail(store, node_id).model_dump()
        from_memory = nodes.node_detail(store, node_id, graph).model_dump()
        assert from_memory == from_store, node_id


def test_an_unknown_node_is_not_found_in_memory_either(store: GraphStore, graph: MemoryGraph) -> None:
    with pytest.raises(NotFound):
        nodes.node_detail(store, "practice:nope", graph)
