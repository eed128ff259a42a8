"""ITSM_STORE=neo4j with no Neo4j listening: the production configuration, with the real driver,
before (or while) its server is down. Runs everywhere; what it shows is how the service fails,
not how it talks to Neo4j (the parametrised suite does that when a Neo4j is reachable).

- The API starts anyway, /health answers, /ready says why it is not ready, every store-backed
  endpoint answers 503 problem+json with Retry-After: nothing 500, nothing hangs.
- `itsm-ontology load` exits 3 with one clear line and no traceback.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def uri() -> str:
    return f"bolt://127.0.0.1:{_closed_port()}"


@pytest.fixture(scope="module")
def client(uri: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(
        store="neo4j",
        neo4j_uri=uri,
        neo4j_password="not-used",  # type: ignore[arg-type]
        store_retry_s=0,
        data_dir=tmp_path_factory.mktemp("neo4j-down"),
        allow_open_cypher=True,  # no key on the Neo4j store: refused at start-up otherwise
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


def test_health_answers_without_the_store(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200, response.text


def test_ready_says_why(client: TestClient) -> None:
    response = client.get("/ready")
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    body = response.json()
    assert body["store"] == "Neo4j" and body["status"] == "unavailable"
    assert "unreachable" in body["reason"] and "Connection refused" in body["reason"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/v1/nodes", None),
        ("GET", "/v1/nodes/practice:incident-management", None),
        ("GET", "/v1/value-chain/activity:itil:deliver-and-support/practices", None),
        ("GET", "/v1/search?q=incident", None),
        ("GET", "/v1/analytics/central-nodes", None),
        ("POST", "/v1/cypher", {"query": "MATCH (n:Practice) RETURN n.id LIMIT 1"}),
        ("POST", "/v1/queries/practices-for-activity", {"parameters": {"activity": "activity:itil:plan"}}),
    ],
)
def test_store_backed_endpoints_answer_503(client: TestClient, method: str, path: str, body: object) -> None:
    response = client.request(method, path, json=body)
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert int(response.headers["Retry-After"]) > 0
    problem = response.json()
    assert problem["status"] == 503 and problem["title"] == "Store unavailable"


def test_load_exits_3_with_one_clear_line(uri: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "ITSM_STORE": "neo4j",
        "NEO4J_URI": uri,
        "NEO4J_PASSWORD": "not-used",
        "ITSM_STORE_RETRY_S": "0",
        "ITSM_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "load"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert done.returncode == 3, done.stdout + done.stderr
    assert "store unavailable" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr
