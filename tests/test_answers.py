"""The release's answers kept in memory (app/api/answers.py): the same bytes and ETag as a fresh
answer, no store work for a repeat, dropped when the release changes, off by a setting."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.graph.store import GraphStore
from app.main import RELEASE_HEADER, create_app
from app.settings import Settings

HEADLINE = "/v1/value-chain/activity:itil:deliver-and-support/practices"


@pytest.fixture
def reads(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The queries requests send to the store (not the release lookups of the background thread)."""
    sent: list[str] = []
    original = store.run_read
    latest = store.queries["meta/latest_release"].text

    def run_read(text: str, params: dict[str, Any] | None = None, **kw: Any) -> list[dict[str, Any]]:
        if text != latest and threading.current_thread().name != "release-refresh":
            sent.append(text)
        return original(text, params, **kw)

    monkeypatch.setattr(store, "run_read", run_read)
    return sent


def app_client(store: GraphStore, **settings: Any) -> Iterator[TestClient]:
    # No graph held in memory: every answer computed reads the store, which is how these tests
    # tell a computed answer from a kept one.
    settings.setdefault("memory_graph_max_relationships", 0)
    with TestClient(create_app(Settings(store="embedded", **settings), store=store)) as client:
        yield client


@pytest.fixture
def cached(store: GraphStore) -> Iterator[TestClient]:
    yield from app_client(store)


@pytest.fixture
def uncached(store: GraphStore) -> Iterator[TestClient]:
    yield from app_client(store, answer_cache=False)


def test_a_repeat_is_answered_from_memory_with_the_same_bytes(cached: TestClient, reads: list[str]) -> None:
    first = cached.get(HEADLINE, params={"include": "roles"})
    assert first.status_code == 200 and reads
    reads.clear()
    again = cached.get(HEADLINE, params={"include": "roles"})
    assert again.status_code == 200 and not reads
    assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
    assert again.headers[RELEASE_HEADER] == first.headers[RELEASE_HEADER]
    assert again.headers["content-type"] == first.headers["content-type"]
    other = cached.get(HEADLINE)  # another query string: another answer
    assert other.status_code == 200 and reads and other.content != first.content


def test_a_kept_answer_still_honours_if_none_match(cached: TestClient) -> None:
    etag = cached.get(HEADLINE).headers["etag"]
    assert cached.get(HEADLINE).headers["etag"] == etag
    not_modified = cached.get(HEADLINE, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified.headers["etag"] == etag and "content-type" not in not_modified.headers


def test_errors_are_not_kept(cached: TestClient, reads: list[str]) -> None:
    for _ in range(2):
        reads.clear()
        assert cached.get("/v1/nodes/practice:nope").status_code == 404
        assert reads


def test_a_new_release_drops_the_kept_answers(cached: TestClient, reads: list[str]) -> None:
    first = cached.get(HEADLINE)
    releases = cached.app.state.releases  # type: ignore[attr-defined]
    known, ttl = releases.get(), releases.ttl_s
    releases.ttl_s = 3600.0  # no background refresh puts the real release back meanwhile
    releases._value = {**known, "content_hash": "0" * 64}  # as if another process had loaded
    try:
        reads.clear()
        again = cached.get(HEADLINE)
        assert reads, "answered from the previous release's memory"
        assert again.headers[RELEASE_HEADER] != first.headers[RELEASE_HEADER]
        assert again.headers["etag"] == first.headers["etag"]  # same graph, same bytes
    finally:
        releases._value, releases.ttl_s = known, ttl


def test_the_setting_turns_it_off(uncached: TestClient, reads: list[str]) -> None:
    first = uncached.get(HEADLINE)
    reads.clear()
    again = uncached.get(HEADLINE)
    assert reads and again.headers["etag"] == first.headers["etag"] and again.content == first.content
