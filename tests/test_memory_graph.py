"""Neighbours from the release's graph in memory answer exactly what the store's queries answer."""

from __future__ import annotations

import pytest

from app.graph.store import GraphStore
from app.paging import Page
from app.services import nodes
from app.services.memory import MemoryGraph

PAGE = Page(0, 10_000, None)


@pytest.fixture(scope="module")
def graph(store: GraphStore) -> MemoryGraph:
    return MemoryGraph(store.read("memory/nodes"), store.read("memory/relationships"))


@pytest.mark.parametrize(
    ("node_id", "depth", "direction", "types", "label", "source"),
    [
        ("practice:incident-management", 1, "both", None, None, None),
        ("practice:incident-management", 3, "both", None, None, None),
        ("practice:incident-management", 2, "out", None, None, None),
        ("role:zero-outage:incident-manager", 2, "in", None, None, None),
        ("role:zero-outage:incident-manager", 3, "both", ["REQUIRES", "RESPONSIBLE_FOR"], "Practice", None),
        ("activity:itil:deliver-and-support", 2, "both", None, None, "003_34f0498d0562ac31.txt"),
    ],
)
def test_memory_and_store_agree(
    store: GraphStore,
    graph: MemoryGraph,
    node_id: str,
    depth: int,
    direction: nodes.Direction,
    types: list[str] | None,
    label: str | None,
    source: str | None,
) -> None:
    def ask(held: MemoryGraph | None) -> dict[str, object]:
        answer = nodes.neighbors(
            store, node_id, types=types, direction=direction, depth=depth, label=label, source=source, page=PAGE,
            graph=held,
        )  # fmt: skip
        return answer.model_dump()

    from_store, from_memory = ask(None), ask(graph)
    assert from_memory == from_store
    assert from_store["total"] > 0


def test_an_unknown_node_is_not_found_in_memory_either(store: GraphStore, graph: MemoryGraph) -> None:
    from app.errors import NotFound

    with pytest.raises(NotFound):
        nodes.neighbors(
            store, "practice:nope", types=None, direction="both", depth=1, label=None, source=None, page=PAGE,
            graph=graph,
        )  # fmt: skip


@pytest.mark.parametrize("depth", [2, 4])
def test_a_page_from_memory_is_the_same_page_from_the_store(store: GraphStore, graph: MemoryGraph, depth: int) -> None:
    """Memory builds models for the page alone: the same items, total and next cursor as the store's."""
    page = Page(5, 7, None)
    answers = [
        nodes.neighbors(
            store, "practice:incident-management", types=None, direction="both", depth=depth, label=None,
            source=None, page=page, graph=held,
        ).model_dump()
        for held in (None, graph)
    ]  # fmt: skip
    assert answers[0] == answers[1]
    assert len(answers[0]["items"]) == 7 and answers[0]["total"] > 12 and answers[0]["next"]


@pytest.mark.parametrize(
    ("activity_id", "min_level", "source", "roles", "aligned"),
    [
        ("activity:itil:deliver-and-support", "unspecified", None, True, False),
        ("activity:itil:engage", "none", None, True, False),
        ("activity:itil:plan", "high", None, False, False),
        ("activity:itil:deliver-and-support", "unspecified", "001_36cf4593c3a5a483.txt", True, False),
        ("activity:zero-outage:run", "high", None, True, True),
        ("activity:itil:improve", "none", None, True, True),
    ],
)
def test_the_headline_from_memory_is_the_stores(
    store: GraphStore,
    graph: MemoryGraph,
    activity_id: str,
    min_level: str,
    source: str | None,
    roles: bool,
    aligned: bool,
) -> None:
    """Contributions from the graph in memory: the same answer as the store's query, item for item."""
    from app.services import crosswalk, value_chain

    def ask(held: MemoryGraph | None) -> dict[str, object]:
        if aligned:
            answer = crosswalk.aligned_contributions(
                store, activity_id, min_level=min_level, source=source, include_roles=roles, page=PAGE, graph=held
            )
        else:
            answer = value_chain.contributions(
                store, activity_id, min_level=min_level, source=source, include_roles=roles, page=PAGE, graph=held
            )
        return answer.model_dump(exclude_unset=True)

    from_store, from_memory = ask(None), ask(graph)
    assert from_memory == from_store
    assert from_store["total"] > 0


def test_an_unknown_activity_is_not_found_in_memory_either(store: GraphStore, graph: MemoryGraph) -> None:
    from app.errors import NotFound
    from app.services import value_chain

    with pytest.raises(NotFound):
        value_chain.contributions(
            store, "activity:nope", min_level="none", source=None, include_roles=True, page=PAGE, graph=graph
        )
