"""Ranked search over names, aliases and codes (exact, prefix, word prefix, substring)."""

from __future__ import annotations

from app.graph.store import GraphStore
from app.models import SearchResults
from app.paging import Page


def search(store: GraphStore, q: str, *, label: str | None, page: Page) -> SearchResults:
    row = store.read_one("search/nodes", q=q.strip().lower(), label=label, skip=page.skip, limit=page.limit)
    assert row is not None  # an aggregation always returns its row
    return SearchResults(**page.wrap(row["items"], row["total"]))
