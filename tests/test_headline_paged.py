"""The headline from the store is paged in Cypher (value_chain/practices_page): every page is the
slice of the whole answer (the memory graph's, and the store's unpaged query's), with the same
total and next cursor, at every boundary; the HTTP answer and its ETag do not depend on the path."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.errors import NotFound
from app.graph.store import GraphStore
from app.main import create_app
from app.paging import Page
from app.services import value_chain
from app.services.memory import MemoryGraph
from app.settings import Settings

WHOLE = Page(0, 10_000, None)
SOURCE = "001_36cf4593c3a5a483.txt"


@pytest.fixture(scope="module")
def graph(store: GraphStore) -> MemoryGraph:
    return MemoryGraph(store.read("memory/nodes"), store.read("memory/relationships"))


@pytest.fixture(scope="module")
def activities(store: GraphStore) -> list[str]:
    return [a.id for chain in value_chain.value_chains(store).items for a in chain.activities]


def ask(store: GraphStore, activity: str, page: Page, graph: MemoryGraph | None = None, **kw: Any) -> dict[str, Any]:
    options: dict[str, Any] = {"min_level": "unspecified", "source": None, "include_roles": True, **kw}
    return value_chain.contributions(store, activity, page=page, graph=graph, **options).model_dump(exclude_unset=True)


def whole_from_store(store: GraphStore, activity: str, **kw: Any) -> list[dict[str, Any]]:
    """The unpaged store answer: value_chain/practices, every practice, shaped by the service."""
    options: dict[str, Any] = {"min_level": "unspecified", "source": None, "include_roles": True, **kw}
    _, items = value_chain.all_contributions(store, activity, graph=None, **options)
    return [item.model_dump(exclude_unset=True) for item in items]


def pages(store: GraphStore, activity: str, limit: int, **kw: Any) -> Iterator[dict[str, Any]]:
    """Every page from the store, following the offsets a client's cursors carry."""
    skip = 0
    while True:
        answer = ask(store, activity, Page(skip, limit, None), **kw)
        yield answer
        if answer["next"] is None:
            return
        skip += limit


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"include_roles": False},
        {"min_level": "none"},
        {"min_level": "high"},
        {"min_level": "medium", "include_roles": False},
        {"source": SOURCE},
        {"source": SOURCE, "min_level": "none"},
    ],
    ids=repr,
)
def test_every_page_is_the_slice_of_the_whole_answer(
    store: GraphStore, graph: MemoryGraph, activities: list[str], options: dict[str, Any]
) -> None:
    answered = 0
    for activity in activities:
        whole = ask(store, activity, WHOLE, graph, **options)
        assert whole["items"] == whole_from_store(store, activity, **options)
        total = whole["total"]
        answered += total > 0
        for limit in (1, 7) if activity in activities[:4] else (7,):
            seen = []
            for index, page in enumerate(pages(store, activity, limit, **options)):
                assert page["activity"] == whole["activity"] and page["total"] == total
                assert page["items"] == whole["items"][index * limit : (index + 1) * limit]
                assert (page["next"] is None) == ((index + 1) * limit >= total)
                seen += page["items"]
            assert seen == whole["items"]
    assert answered >= 3  # the options leave something to page through


@pytest.mark.parametrize("activity", ["activity:itil:deliver-and-support", "activity:itil:engage"])
def test_page_boundaries(store: GraphStore, graph: MemoryGraph, activity: str) -> None:
    whole = ask(store, activity, WHOLE, graph)
    total = whole["total"]
    assert total > 3
    first = ask(store, activity, Page(0, 1, None))
    assert first["items"] == whole["items"][:1] and first["next"] is not None
    last = ask(store, activity, Page(total - 1, 1, None))
    assert last["items"] == whole["items"][-1:] and last["next"] is None and last["total"] == total
    exact = ask(store, activity, Page(0, total, None))
    assert exact["items"] == whole["items"] and exact["next"] is None
    for skip in (total, total + 5):
        past = ask(store, activity, Page(skip, 10, None))
        assert past["items"] == [] and past["total"] == total and past["next"] is None
        assert past["activity"] == whole["activity"]
        assert past == ask(store, activity, Page(skip, 10, None), graph)


def test_an_activity_nothing_answers_has_an_empty_first_page(store: GraphStore, graph: MemoryGraph) -> None:
    """A known activity whose practices are all filtered out: total 0, no items, no next."""
    answer = ask(store, "activity:itil:deliver-and-support", Page(0, 5, None), source="no-such-document.txt")
    assert answer["items"] == [] and answer["total"] == 0 and answer["next"] is None
    memory = ask(store, "activity:itil:deliver-and-support", Page(0, 5, None), graph, source="no-such-document.txt")
    assert answer == memory


def test_an_unknown_activity_is_not_found_on_the_paged_path(store: GraphStore) -> None:
    with pytest.raises(NotFound):
        ask(store, "activity:nope", Page(0, 5, None))
    with pytest.raises(NotFound):
        ask(store, "activity:nope", Page(0, 5, None), source=SOURCE, include_roles=False)


@pytest.fixture(scope="module")
def clients(store: GraphStore) -> Iterator[tuple[TestClient, TestClient]]:
    """(the graph in memory, the store path), on the same store and release, one cursor key."""
    common: dict[str, Any] = {"store": "embedded", "answer_cache": False, "cursor_secret": "headline-paged-test"}
    held = create_app(Settings(**common), store=store)
    paged = create_app(Settings(**common, memory_graph_max_relationships=0), store=store)
    with TestClient(held) as memory, TestClient(paged) as direct:
        yield memory, direct


@pytest.mark.parametrize(
    "params",
    [
        {"include": "roles"},
        {"include": "roles", "limit": 3},
        {"limit": 2, "min_level": "none"},
        {"limit": 2, "source": "001"},
        {"include": "roles", "aligned": "true", "limit": 4},
        {"aligned": "true", "min_level": "high"},
    ],
    ids=repr,
)
def test_the_same_bytes_and_etag_either_way(clients: tuple[TestClient, TestClient], params: dict[str, Any]) -> None:
    memory, direct = clients
    url = "/v1/value-chain/activity:itil:deliver-and-support/practices"
    first, second = memory.get(url, params=params), direct.get(url, params=params)
    assert first.status_code == second.status_code == 200, (first.text, second.text)
    assert first.json()["total"] > 0
    assert first.content == second.content and first.headers["etag"] == second.headers["etag"]
    if "limit" in params:
        assert len(first.json()["items"]) == min(int(params["limit"]), first.json()["total"])


# Names the curated ontology lacks: ids in another order than names, names differing only in case,
# equal names (ties broken by id), a name outside ASCII. Given to the first generated practices.
AWKWARD = ["same", "Same", "SAME", "same", "beta", "Alpha", "Émile", "émile"]


@pytest.fixture(scope="module")
def generated_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    """Its own embedded store: the real ontology plus a small generated part (hub practices with
    many roles), some practice names rewritten to the awkward ones above."""
    from bench.generate import generate
    from seed.load import load
    from seed.validate import read_ontology
    from tests.backends import backend_store

    out = tmp_path_factory.mktemp("headline-generated") / "onto"
    generate(out, nodes=400, rels=4000, seed=11)
    for path in out.glob("synthetic-nodes-*.yaml"):
        text = path.read_text(encoding="utf-8")
        for k, name in enumerate(AWKWARD):
            text, n = re.subn(rf'(id: "practice:syn:n{k:07d}", name: )"[^"]*"', rf'\g<1>"{name}"', text)
            assert n == 1, f"practice:syn:n{k:07d} not found in {path.name}"
        path.write_text(text, encoding="utf-8")
    with backend_store("embedded", tmp_path_factory.mktemp("headline-data")) as store:
        load(store, read_ontology(out))
        yield store


def test_generated_pages_are_slices_of_the_memory_answer(generated_store: GraphStore) -> None:
    store = generated_store
    graph = MemoryGraph(store.read("memory/nodes"), store.read("memory/relationships"))
    awkward_seen: set[str] = set()
    for activity in [a.id for chain in value_chain.value_chains(store).items for a in chain.activities]:
        for options in ({}, {"min_level": "none", "include_roles": False}, {"source": SOURCE, "min_level": "low"}):
            whole = ask(store, activity, WHOLE, graph, **options)
            assert whole["items"] == whole_from_store(store, activity, **options)
            names = [item["practice"]["name"] for item in whole["items"]]
            awkward_seen |= set(names) & set(AWKWARD)
            for limit in (1, 5) if len(names) > len(set(names)) or set(names) & set(AWKWARD) else (5,):
                seen = []
                for page in pages(store, activity, limit, **options):
                    assert page["total"] == whole["total"] and page["activity"] == whole["activity"]
                    seen += page["items"]
                assert seen == whole["items"]
    assert len(awkward_seen) >= 4  # the awkward names were paged through
