"""Shared fixtures: one store per backend per session, loaded once with the real ontology."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.graph.store import GraphStore
from app.main import create_app
from app.settings import Settings
from seed.load import load
from seed.model import Ontology
from seed.validate import read_ontology
from tests.backends import BACKENDS, backend_store

# The suite's shared clients send hundreds of ad-hoc queries a minute: no rate limit unless a test
# sets one (tests/test_cypher_abuse.py tests the limit with its own settings).
os.environ.setdefault("ITSM_CYPHER_RATE_LIMIT", "")


@pytest.fixture(scope="session")
def ontology() -> Ontology:
    return read_ontology(Settings().ontology_dir)


@pytest.fixture(scope="session", params=BACKENDS)
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, ontology: Ontology
) -> Iterator[GraphStore]:
    """A store of each available kind, loaded with the whole ontology."""
    with backend_store(request.param, tmp_path_factory.mktemp(f"data-{request.param}")) as graph:
        load(graph, ontology)
        yield graph


@pytest.fixture(scope="session")
def client(store: GraphStore) -> Iterator[TestClient]:
    # The store is injected, so the settings' own store choice is not used.
    app = create_app(Settings(store="embedded"), store=store)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def cypher(store: GraphStore) -> Callable[..., list[dict[str, Any]]]:
    """Run read-only Cypher on the loaded store; rows as dicts."""

    def run(query: str, **params: Any) -> list[dict[str, Any]]:
        return store.run_read(query, params)

    return run


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line per skip reason instead of one per test (the Neo4j half of the suite skips as a
    block when no Neo4j is reachable)."""
    reasons: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        reasons[reason.removeprefix("Skipped: ")] = reasons.get(reason.removeprefix("Skipped: "), 0) + 1
    for reason, count in sorted(reasons.items()):
        terminalreporter.write_line(f"SKIPPED {count} test(s): {reason}", yellow=True)
