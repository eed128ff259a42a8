"""Ad-hoc Cypher that abuse cannot wear down, on every available store.

- 16 clients sending heavy queries at once over real HTTP (uvicorn on a loopback port, in this
  process): every answer a documented 4xx, 503 or 504 with its cause, never a 500 and never a
  dropped connection; afterwards every concurrency slot is free and a normal query answers.
- A store error is never hidden behind a failing rollback or session close.
- The API key covers saved queries; failed keys and rate-limited requests are audited.
- Settings that would expose ad-hoc Cypher without a key refuse to start unless asked for.

Time bounds are guards against hanging, not speed targets.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from neo4j import exceptions as neo4j_errors
from typer.testing import CliRunner

from app.adhoc.runner import AdhocRunner, Limits
from app.cli import app as cli
from app.errors import QueryError
from app.graph.dialect import Dialect
from app.graph.store import GraphStore
from app.main import UnsafeSetup, create_app
from app.settings import Settings

HEAVY = [
    "UNWIND range(1,100000000) AS i RETURN i",
    "MATCH (a),(b),(c) RETURN count(*)",
    "MATCH (a),(b),(c) RETURN a.id, b.id, c.id ORDER BY a.name, b.name, c.name DESC",
    "MATCH (a),(b) RETURN DISTINCT a.name + b.name AS pair ORDER BY pair",
]
CLIENTS, ROUNDS = 16, 2
GUARD_S = 120.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(settings: Settings, store: GraphStore) -> Iterator[tuple[str, Any]]:
    """The app on a real loopback port (uvicorn in a thread), over the given store."""
    app = create_app(settings, store=store)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=_free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the service did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{server.config.port}", app
    finally:
        server.should_exit = True
        thread.join(timeout=60)


def test_heavy_concurrent_queries_never_500_and_leave_every_slot_free(store: GraphStore) -> None:
    settings = Settings(store="embedded", cypher_timeout_s=2.0, cypher_max_concurrent=4, cypher_rate_limit=None)
    outcomes: Counter[tuple[int, str]] = Counter()
    server_errors: list[str] = []
    with served(settings, store) as (base, app):

        def client(k: int) -> None:
            with httpx.Client(base_url=base, timeout=GUARD_S) as http:
                for round_ in range(ROUNDS):
                    query = HEAVY[(k + round_) % len(HEAVY)]
                    try:
                        response = http.post("/v1/cypher", json={"query": query})
                    except httpx.HTTPError as exc:  # a dropped connection: what must never happen
                        outcomes[(0, type(exc).__name__)] += 1
                        continue
                    title = response.json().get("title", "ok") if response.status_code != 200 else "ok"
                    outcomes[(response.status_code, title)] += 1
                    if response.status_code >= 500 and response.status_code not in (503, 504):
                        server_errors.append(f"{query}: {response.text[:300]}")
                    elif response.status_code >= 400:
                        assert response.headers["content-type"].startswith("application/problem+json")
                        assert response.json()["detail"], response.text  # the cause, in words
                    if response.status_code == 503:
                        assert int(response.headers["Retry-After"]) > 0

        threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(GUARD_S)
        assert not any(t.is_alive() for t in threads), "a client was still waiting past the guard"
        print(f"\n{CLIENTS} clients x {ROUNDS} heavy queries: {dict(outcomes)}")
        assert not server_errors, server_errors
        assert not [o for o in outcomes if o[0] == 0], outcomes
        assert sum(outcomes.values()) == CLIENTS * ROUNDS

        runner: AdhocRunner = app.state.adhoc_runner
        deadline = time.monotonic() + 30
        while (runner.free_slots, runner.abandoned) != (4, 0) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert (runner.free_slots, runner.abandoned) == (4, 0)
        normal = httpx.post(base + "/v1/cypher", json={"query": "MATCH (p:Practice) RETURN count(p) AS n"}, timeout=30)
        assert normal.status_code == 200, normal.text
        assert normal.json()["rows"][0][0] > 0


# --- cleanup errors never hide the query's own ----------------------------------------------------


def _error(code: str, message: str) -> neo4j_errors.Neo4jError:
    return neo4j_errors.Neo4jError._hydrate_neo4j(code=code, message=message)  # type: ignore[no-any-return]


class _FailingTx:
    def __init__(self, run_error: BaseException | None, rollback_error: BaseException | None) -> None:
        self.run_error, self.rollback_error = run_error, rollback_error

    def run(self, text: str, parameters: dict[str, Any]) -> Any:
        if self.run_error is not None:
            raise self.run_error
        return _Result()

    def closed(self) -> bool:
        return False

    def rollback(self) -> None:
        if self.rollback_error is not None:
            raise self.rollback_error


class _Summary:
    class counters:  # noqa: N801 (the driver's attribute name)
        contains_updates = contains_system_updates = False

    query_type = "r"


class _Result:
    def keys(self) -> list[str]:
        return ["n"]

    def __iter__(self) -> Iterator[Any]:
        return iter([])

    def consume(self) -> _Summary:
        return _Summary()


class _Session:
    def __init__(self, tx: _FailingTx, close_error: BaseException | None) -> None:
        self.tx, self.close_error = tx, close_error

    def __enter__(self) -> _Session:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.close_error is not None:
            raise self.close_error

    def begin_transaction(self, timeout: float | None = None) -> _FailingTx:
        return self.tx


class _Store:
    dialect = Dialect("embedded")
    has_readonly_path = True

    def __init__(self, session: _Session) -> None:
        self.session = session

    def readonly_session(self, *, fetch_size: int = 1000) -> _Session:
        return self.session


def _runner(run_error: BaseException | None, rollback_error: BaseException | None, close_error: BaseException | None):  # type: ignore[no-untyped-def]
    store = _Store(_Session(_FailingTx(run_error, rollback_error), close_error))
    return AdhocRunner(store, Limits(timeout_s=2, max_concurrent=1))  # type: ignore[arg-type]


def test_a_failing_rollback_and_close_do_not_hide_the_query_error() -> None:
    real = _error("Neo.ClientError.Statement.SemanticError", "range(1, 100000000) is too large")
    runner = _runner(real, neo4j_errors.ResultFailedError(None, "The result has failed."), OSError("closed"))
    with pytest.raises(QueryError) as failed:
        runner.run("RETURN 1")
    assert failed.value.status == 400 and "too large" in failed.value.detail
    assert runner.free_slots == 1


def test_a_failing_close_after_the_answer_keeps_the_answer() -> None:
    runner = _runner(None, neo4j_errors.ServiceUnavailable("gone"), OSError("closed"))
    result = runner.run("RETURN 1")
    assert result.columns == ["n"] and runner.free_slots == 1


# --- the API key and the rate limit -------------------------------------------------------------


def test_rate_limit_per_client_with_retry_after_and_audit(store: GraphStore, caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(store="embedded", cypher_rate_limit="3/minute", cypher_api_key="key-one")
    app = create_app(settings, store=store)
    with TestClient(app, raise_server_exceptions=False) as client, caplog.at_level(logging.INFO, "itsm_ontology.audit"):
        one = {"X-API-Key": "key-one"}
        answers = [client.post("/v1/cypher", json={"query": "RETURN 1"}, headers=one).status_code for _ in range(3)]
        assert answers == [200, 200, 200]
        limited = client.post("/v1/queries/role-gap", json={}, headers=one)  # saved queries count too
        assert limited.status_code == 429, limited.text
        assert int(limited.headers["Retry-After"]) >= 1
        assert limited.json()["title"] == "Too many requests" and "3 per 1 minute" in limited.json()["detail"]
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "itsm_ontology.audit"]
    [audited] = [x for x in lines if x["event"] == "rate-limited"]
    assert audited["who"].startswith("key:") and audited["path"] == "/v1/queries/role-gap"


def test_rate_limit_setting_is_checked() -> None:
    with pytest.raises(ValueError, match="ITSM_CYPHER_RATE_LIMIT"):
        Settings(cypher_rate_limit="lots")
    assert Settings(cypher_rate_limit="").cypher_rate_limit is None


def test_switched_off_ad_hoc_cypher_answers_403(store: GraphStore) -> None:
    with TestClient(create_app(Settings(store="embedded", cypher_enabled=False), store=store)) as client:
        assert client.post("/v1/cypher", json={"query": "RETURN 1"}).status_code == 403
        assert client.post("/v1/queries/role-gap", json={}).status_code == 403
        assert client.get("/v1/queries").status_code == 200


# --- unsafe set-ups refuse to start --------------------------------------------------------------

NEO4J = {"store": "neo4j", "neo4j_uri": "bolt://127.0.0.1:1", "neo4j_password": "x"}


def test_neo4j_with_open_ad_hoc_cypher_refuses_to_start() -> None:
    reasons = Settings(**NEO4J).unsafe_setup()  # type: ignore[arg-type]
    assert reasons and "ITSM_CYPHER_API_KEY" in reasons[0] and "ITSM_ALLOW_OPEN_CYPHER" in reasons[0]
    with pytest.raises(UnsafeSetup, match="refusing to start"), TestClient(create_app(Settings(**NEO4J))):  # type: ignore[arg-type]
        pass
    for safe in ({"cypher_api_key": "k"}, {"cypher_enabled": False}, {"allow_open_cypher": True}):
        assert Settings(**NEO4J, **safe).unsafe_setup() == []  # type: ignore[arg-type]


def test_serve_beyond_loopback_with_open_ad_hoc_cypher_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.settings import get_settings

    monkeypatch.setenv("ITSM_STORE", "embedded")
    monkeypatch.delenv("ITSM_CYPHER_API_KEY", raising=False)
    get_settings.cache_clear()
    try:
        done = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "1"])
    finally:
        get_settings.cache_clear()
    assert done.exit_code == 2, done.output
    assert "refusing to serve" in done.output and "0.0.0.0" in done.output
    assert Settings(store="embedded").unsafe_setup(host="127.0.0.1") == []
