"""Bad input is a 4xx problem, never a 500 (issue 15): forged cursors, lone surrogates, bodies
that are not UTF-8 JSON or never finish arriving, undeclared query parameters and body members,
methods a path does not take, and saved queries given an id no node has."""

from __future__ import annotations

import base64
import json
import logging
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.errors import InvalidInput
from app.graph.store import GraphStore
from app.main import create_app
from app.paging import MAX_OFFSET, Cursors
from app.settings import Settings

LISTS = ["/v1/nodes", "/v1/search?q=incident", "/v1/nodes/practice:incident-management/neighbors"]
PROBLEM = "application/problem+json"


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


def _with(path: str, **query: str) -> str:
    sep = "&" if "?" in path else "?"
    return path + sep + "&".join(f"{k}={v}" for k, v in query.items())


# --- cursors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("offset", ["1e999", str(2**63 - 1), "1e20", str(10**30), "-1", '"5"', "true"])
@pytest.mark.parametrize("path", LISTS)
def test_a_forged_cursor_is_422(client: TestClient, path: str, offset: str) -> None:
    tag = client.get("/v1/nodes?limit=1").headers["x-ontology-release"]
    forged = base64.urlsafe_b64encode(f'{{"o": {offset}, "r": "{tag}"}}'.encode()).decode().rstrip("=")
    body = _problem(client.get(_with(path, cursor=forged)), 422)
    assert "cursor" in body["detail"]


@pytest.mark.parametrize("path", LISTS)
def test_cursors_signed_elsewhere_tampered_or_too_long_are_422(client: TestClient, path: str) -> None:
    tag = client.get("/v1/nodes?limit=1").headers["x-ontology-release"]
    foreign = Cursors("another server's key").issue(1, tag)
    _problem(client.get(_with(path, cursor=foreign)), 422)
    issued = client.get(_with(path, limit="1")).json()["next"]
    assert issued
    tampered = issued[:-3] + ("AAA" if issued[-3:] != "AAA" else "BBB")
    _problem(client.get(_with(path, cursor=tampered)), 422)
    _problem(client.get(_with(path, cursor="x" * 300)), 422)


def test_issued_cursors_page_through_and_offsets_stay_bounded(client: TestClient) -> None:
    first = client.get("/v1/nodes?limit=3").json()
    second = client.get(_with("/v1/nodes", limit="3", cursor=first["next"])).json()
    assert second["items"] and {i["id"] for i in first["items"]}.isdisjoint(i["id"] for i in second["items"])
    cursors: Cursors = client.app.state.cursors  # type: ignore[attr-defined]
    tag = client.get("/v1/nodes?limit=1").headers["x-ontology-release"]
    # Even a cursor signed with the server's own key may not name a huge offset.
    _problem(client.get(_with("/v1/nodes", cursor=cursors.issue(MAX_OFFSET + 1, tag))), 422)
    # One issued under another release asks the client to start again.
    body = _problem(client.get(_with("/v1/nodes", cursor=cursors.issue(3, "0.0.0+other"))), 409)
    assert body["title"] == "Stale cursor"
    # The largest allowed offset is simply past the end: an empty page.
    page = client.get(_with("/v1/nodes", cursor=cursors.issue(MAX_OFFSET, tag))).json()
    assert page["items"] == [] and page["next"] is None


def test_the_cursor_key_is_a_setting() -> None:
    settings = Settings(cursor_secret="shared-by-every-worker")
    a, b = create_app(settings), create_app(settings)
    cursor = a.state.cursors.issue(7, "r")
    assert b.state.cursors.read(cursor) == (7, "r")
    with pytest.raises(InvalidInput, match="not one this API issued"):  # random keys differ per process
        Cursors().read(Cursors().issue(1, None))


# --- lone surrogates and body encodings ------------------------------------------------------------


def _post_raw(client: TestClient, path: str, body: bytes | str, content_type: str = "application/json") -> Any:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return client.post(path, content=data, headers={"content-type": content_type})


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/cypher", '{"query": "RETURN $x AS x", "parameters": {"x": "\\ud800"}}'),
        ("/v1/cypher", '{"query": "RETURN $x AS x", "parameters": {"x": ["ok", "\\udfff"]}}'),
        ("/v1/cypher", '{"query": "RETURN \'\\ud800\' AS x"}'),
        ("/v1/cypher", '{"query": "RETURN $x AS x", "parameters": {"\\ud800": 1}}'),
        ("/v1/queries/role-gap", '{"parameters": {"role": "\\ud800"}}'),
        ("/v1/queries/inferred-links", '{"parameters": {"type": "\\ud800"}}'),
    ],
)
def test_a_lone_surrogate_in_a_body_is_422(client: TestClient, path: str, body: str) -> None:
    detail = _problem(_post_raw(client, path, body), 422)["detail"]
    assert "surrogate" in detail


def test_a_surrogate_pair_is_a_character_and_passes(client: TestClient) -> None:
    response = _post_raw(client, "/v1/cypher", '{"query": "RETURN $x AS x", "parameters": {"x": "\\ud83d\\ude00"}}')
    assert response.status_code == 200, response.text
    assert response.json()["rows"] == [["\U0001f600"]]


def test_the_adhoc_values_refuse_surrogates_on_every_transport() -> None:
    """The CLI and MCP reach the runner without the HTTP body check: the runner checks too."""
    from app.adhoc.values import check_parameters, check_text
    from app.errors import QueryInvalid

    with pytest.raises(QueryInvalid, match="surrogate"):
        check_parameters({"x": "\ud800"}, max_bytes=1000)
    with pytest.raises(QueryInvalid, match="surrogate"):
        check_text("RETURN '\udfff'", what="the query")


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ('{"query": "RETURN \'é\' AS x"}'.encode("latin-1"), "application/json", 422),
        ('{"query": "RETURN 1 AS x"}'.encode("utf-16"), "application/json", 422),
        (b'{"query": "RETURN 1 AS x"}', "application/json; charset=latin-1", 415),
        (b"[" * 100_000, "application/json", 422),
        (b'{"query": "RETURN 1", "limit": ' + b"1" * 5000 + b"}", "application/json", 422),
        (b"{" * 3 + b"}", "application/json", 422),  # malformed: the router's own 422
    ],
)
def test_bodies_that_are_not_utf8_json_are_4xx(client: TestClient, body: bytes, content_type: str, status: int) -> None:
    _problem(_post_raw(client, "/v1/cypher", body, content_type), status)


def test_utf8_with_an_explicit_charset_passes(client: TestClient) -> None:
    response = _post_raw(client, "/v1/cypher", '{"query": "RETURN \'é\' AS x"}', "application/json; charset=UTF-8")
    assert response.status_code == 200 and response.json()["rows"] == [["é"]]


def test_a_body_over_the_limit_is_413(store: GraphStore) -> None:
    with TestClient(create_app(Settings(store="embedded", max_body_bytes=2048), store=store)) as small:
        body = json.dumps({"query": "RETURN 1", "parameters": {"x": "y" * 4000}})
        _problem(_post_raw(small, "/v1/cypher", body), 413)

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted while it arrives
            yield b'{"query": "RETURN 1", "parameters": {"x": "'
            for _ in range(10):
                yield b"y" * 1000
            yield b'"}}'

        response = small.post("/v1/cypher", content=chunks(), headers={"content-type": "application/json"})
        _problem(response, 413)
        assert small.post("/v1/cypher", json={"query": "RETURN 1 AS x"}).status_code == 200


# --- half-sent bodies: a real server over a socket --------------------------------------------------


@contextmanager
def _live(app: FastAPI) -> Iterator[int]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield int(server.servers[0].sockets[0].getsockname()[1])
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def test_a_half_sent_body_is_answered_408_and_the_connection_closed(store: GraphStore) -> None:
    app = create_app(Settings(store="embedded", body_timeout_s=1.0), store=store)
    with _live(app) as port, socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        head = (
            "POST /v1/cypher HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            "Content-Length: 500\r\n\r\n"
        )
        sock.sendall(head.encode() + b'{"query": "RETU')
        started = time.monotonic()
        received = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:  # the server closed the connection
                break
            received += chunk
        waited = time.monotonic() - started
    status_line = received.split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 408"), received[:300]
    assert b"problem+json" in received and b"did not arrive within 1s" in received
    assert waited < 14  # closed by the server, not by this socket's own timeout


# --- strict parameters and bodies ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/v1/search?q=incident&source=001",
        "/v1/export?format=json&lang=en",  # source= is declared since issue 13
        "/v1/paths?from=practice:incident-management&to=practice:problem-management&source=001",
        "/v1/roles/role:itil:incident-manager/compare/role:itil:problem-manager?source=001",
        "/v1/nodes?lable=Practice",
        "/v1/nodes/practice:incident-management?depth=2",
        "/v1/queries?x=1",
        "/health?verbose=1",
    ],
)
def test_an_undeclared_query_parameter_is_422(client: TestClient, path: str) -> None:
    body = _problem(client.get(path), 422)
    unknown = path.rsplit("&", 1)[-1].rsplit("?", 1)[-1].split("=")[0]
    assert unknown in body["detail"] and "this operation takes" in body["detail"]
    assert body["errors"] == [{"location": f"query.{unknown}", "message": "unknown parameter"}]


def test_declared_parameters_and_pages_outside_the_api_pass(client: TestClient) -> None:
    assert client.get("/v1/nodes?label=Practice&source=001&limit=2").status_code == 200
    assert client.get("/v1/paths?from=practice:incident-management&to=practice:problem-management").status_code == 200
    assert client.get("/?node=practice:incident-management").status_code == 200  # the explorer's own state


def test_unknown_body_members_are_422(client: TestClient) -> None:
    body = _problem(client.post("/v1/queries/role-gap", json={"params": {"role": "role:itil:incident-manager"}}), 422)
    assert "params" in body["detail"]
    _problem(client.post("/v1/cypher", json={"query": "RETURN 1", "timeout": 99}), 422)


def test_saved_queries_unknown_names_and_ids_are_404(client: TestClient) -> None:
    _problem(client.post("/v1/queries/no-such-query", json={}), 404)
    _problem(client.get("/v1/queries/no-such-query"), 404)
    body = _problem(client.post("/v1/queries/role-gap", json={"parameters": {"role": "role:no-such-role"}}), 404)
    assert "role:no-such-role" in body["detail"] and "'role'" in body["detail"]
    _problem(client.post("/v1/queries/shortest-path", json={"parameters": {"to_id": "practice:nope"}}), 404)
    ok = client.post("/v1/queries/role-gap", json={"parameters": {"role": "role:zero-outage:incident-manager"}})
    assert ok.status_code == 200 and ok.json()["row_count"] > 0
    described = client.get("/v1/queries/role-gap").json()["parameters"]
    assert {p["name"]: p["type"] for p in described} == {"role": "id", "other": "id"}


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/v1/nodes", "GET"),
        ("PUT", "/v1/queries/role-gap", "GET, POST"),
        ("GET", "/v1/cypher", "POST"),
        ("POST", "/health", "GET"),
    ],
)
def test_405_names_the_allowed_methods(client: TestClient, method: str, path: str, allow: str) -> None:
    response = client.request(method, path)
    _problem(response, 405)
    assert response.headers["allow"] == allow


# --- the small ones agree -----------------------------------------------------------------------


def test_every_allowlisted_procedure_is_answered_by_the_store(client: TestClient) -> None:
    from app.adhoc.gate import ALLOWED_PROCEDURES

    assert "dbms.components" not in ALLOWED_PROCEDURES
    assert not any("fulltext" in p for p in ALLOWED_PROCEDURES)  # no store has a full-text index
    for procedure in ALLOWED_PROCEDURES:
        response = client.post("/v1/cypher", json={"query": f"CALL {procedure}()"})
        assert response.status_code == 200, (procedure, response.text)
    for procedure in ("dbms.components", "db.index.fulltext.queryNodes"):
        _problem(client.post("/v1/cypher", json={"query": f"CALL {procedure}()"}), 403)


def test_maps_come_back_with_sorted_keys(client: TestClient) -> None:
    body = client.post(
        "/v1/cypher",
        json={
            "query": "MATCH (p:Practice {id: 'practice:incident-management'}) "
            "RETURN {zeta: 1, alpha: {y: 2, b: 3}} AS literal, p {.name, .id, .category} AS projection, p AS node"
        },
    ).json()
    literal, projection, node = body["rows"][0]
    assert list(literal) == ["alpha", "zeta"] and list(literal["alpha"]) == ["b", "y"]
    assert list(projection) == sorted(projection)
    assert list(node["properties"]) == sorted(node["properties"])
    detail = client.get("/v1/nodes/practice:incident-management").json()
    assert list(detail["properties"]) == sorted(detail["properties"])
    for connections in detail["relationships"]["out"].values():
        for connection in connections:
            assert list(connection["properties"]) == sorted(connection["properties"])
    neighbors = client.get("/v1/nodes/practice:incident-management/neighbors?limit=5").json()["items"]
    assert all(list(n["relationship"]["properties"]) == sorted(n["relationship"]["properties"]) for n in neighbors)
    release = client.get("/v1/schema").json()["release"]
    assert list(release) == sorted(release)


def test_the_release_records_its_documents(client: TestClient, store: GraphStore) -> None:
    from seed.load import current_release

    release = current_release(store)
    assert release is not None
    recorded = json.loads(release["documents"])
    schema = client.app.state.schema  # type: ignore[attr-defined]
    assert recorded == {key: doc.model_dump() for key, doc in schema.documents.items()}


def test_source_follows_the_loaded_release_not_the_folder(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """A load that adds a source document (here: the release record as such a load writes it) is
    accepted by the running service's `source=` without a restart."""
    from seed.load import current_release

    loaded = current_release(store)
    assert loaded is not None
    documents = json.loads(loaded["documents"])
    documents["new-guide"] = {
        "file": "009_0123456789abcdef.txt",
        "title": "A new guide",
        "lines": 10,
        "framework": None,
    }
    later = {**loaded, "documents": json.dumps(documents, sort_keys=True)}
    with TestClient(create_app(Settings(store="embedded"), store=store)) as client:
        _problem(client.get("/v1/nodes?source=new-guide"), 422)
        releases = client.app.state.releases  # type: ignore[attr-defined]
        monkeypatch.setattr(releases, "get", lambda *, fresh=False: later)
        for source in ("new-guide", "009", "009_0123456789abcdef.txt"):
            response = client.get(f"/v1/nodes?source={source}")
            assert response.status_code == 200, response.text
            assert response.json()["items"] == []  # nothing loaded cites it yet
        assert "new-guide" in client.get("/v1/schema").json()["documents"]
        assert client.get("/v1/nodes?source=001&limit=1").json()["items"]  # the others still work


# --- operations: metrics, Server-Timing, request ids, logs, audit, CORS, readiness -----------------


def _samples(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    from prometheus_client.parser import text_string_to_metric_families

    response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    found = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def _value(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture(scope="module")
def uncached(store: GraphStore) -> Iterator[TestClient]:
    """A client whose answers always come from the store: the store-time metrics and Server-Timing need
    a store call, which an answer kept in memory for the release (app/api/answers.py), or computed
    from the release's graph in memory (app/services/memory.py), would skip."""
    app = create_app(Settings(store="embedded", answer_cache=False, memory_graph_max_relationships=0), store=store)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_metrics_are_scraped_with_requests_latency_store_time_and_refusals(uncached: TestClient) -> None:
    client = uncached
    route = "/v1/nodes/{node_id}"
    before = _samples(client)
    assert client.get("/v1/nodes/practice:incident-management").status_code == 200
    assert client.get("/v1/nodes/no:such-node").status_code == 404
    assert client.post("/v1/cypher", json={"query": "CREATE (n:X) RETURN n"}).status_code == 403
    after = _samples(client)
    ok = {"method": "GET", "route": route}
    assert (
        _value(after, "itsm_http_requests_total", **ok, status="200")
        == _value(before, "itsm_http_requests_total", **ok, status="200") + 1
    )
    assert _value(after, "itsm_http_requests_total", **ok, status="404") >= 1
    assert _value(after, "itsm_http_request_duration_seconds_count", **ok) >= 2
    assert _value(after, "itsm_store_time_seconds_count", route=route) >= 2
    assert _value(after, "itsm_store_time_seconds_sum", route=route) > 0
    assert _value(after, "itsm_store_calls_total", route=route) >= 2
    gate = _value(after, "itsm_adhoc_refusals_total", reason="gate") - _value(
        before, "itsm_adhoc_refusals_total", reason="gate"
    )
    assert gate == 1
    assert ("itsm_store_restarts_total", ()) in after
    assert _value(after, "itsm_store_up") == 1


def test_unauthorised_and_switched_off_attempts_are_audited_and_counted(
    store: GraphStore, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="itsm_ontology.audit")
    with TestClient(create_app(Settings(store="embedded", cypher_api_key="right-key"), store=store)) as keyed:
        before = _samples(keyed)
        response = keyed.post("/v1/cypher", json={"query": "RETURN 1"}, headers={"X-API-Key": "not-the-key-3141"})
        assert response.status_code == 401
        rid = response.headers["x-request-id"]
        after = _samples(keyed)
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "itsm_ontology.audit"]
    unauthorized = [line for line in lines if line["event"] == "unauthorized"]
    assert unauthorized and unauthorized[-1]["request_id"] == rid and "not-the-key-3141" not in json.dumps(unauthorized)
    assert _value(after, "itsm_adhoc_refusals_total", reason="unauthorized") == 1 + _value(
        before, "itsm_adhoc_refusals_total", reason="unauthorized"
    )
    caplog.clear()
    with TestClient(create_app(Settings(store="embedded", cypher_enabled=False), store=store)) as off:
        assert off.post("/v1/queries/role-gap", json={}).status_code == 403
    assert any('"event": "disabled"' in r.getMessage() for r in caplog.records if r.name == "itsm_ontology.audit")


def test_refused_queries_are_audited_with_their_request_id(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="itsm_ontology.audit")
    response = client.post(
        "/v1/cypher", json={"query": "MATCH (n) DETACH DELETE n"}, headers={"X-Request-ID": "audit-me-1"}
    )
    assert response.status_code == 403 and response.headers["x-request-id"] == "audit-me-1"
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "itsm_ontology.audit"]
    assert any(line["request_id"] == "audit-me-1" and line["refused"] for line in lines)


ANSWERS = [
    ("GET", "/health", None, 200),
    ("GET", "/ready", None, 0),  # 200, or 503 when a loaded machine delays the probe past 0.6 s
    ("GET", "/metrics", None, 200),
    ("GET", "/", None, 200),
    ("GET", "/v1/nodes/practice:incident-management", None, 200),
    ("GET", "/v1/nodes/no:such-node", None, 404),
    ("GET", "/v1/nodes?bogus=1", None, 422),
    ("DELETE", "/v1/nodes", None, 405),
    ("GET", "/no/such/path", None, 404),
    ("POST", "/v1/cypher", {"query": "RETURN 1 AS x"}, 200),
    ("POST", "/v1/cypher", {"query": "CREATE (n)"}, 403),
]


@pytest.mark.parametrize(("method", "path", "body", "status"), ANSWERS)
def test_every_answer_has_a_request_id_and_server_timing(
    client: TestClient, method: str, path: str, body: dict[str, Any] | None, status: int
) -> None:
    response = client.request(method, path, json=body)
    assert response.status_code == status or (status == 0 and response.status_code in (200, 503)), response.text
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])
    timing = response.headers["server-timing"]
    assert re.fullmatch(r'store;dur=\d+\.\d;desc="\d+ calls", total;dur=\d+\.\d', timing), timing


def test_server_timing_counts_the_store(uncached: TestClient) -> None:
    client = uncached
    timing = client.get("/v1/nodes/practice:incident-management").headers["server-timing"]
    calls = int(re.search(r'desc="(\d+) calls"', timing).group(1))  # type: ignore[union-attr]
    store_ms = float(re.search(r"store;dur=([\d.]+)", timing).group(1))  # type: ignore[union-attr]
    assert calls >= 1 and store_ms > 0
    adhoc = client.post("/v1/cypher", json={"query": "RETURN 1 AS x"}).headers["server-timing"]
    assert not adhoc.startswith('store;dur=0.0;desc="0 calls"')  # the worker thread's query is counted
    assert client.get("/health").headers["server-timing"].startswith('store;dur=0.0;desc="0 calls"')


def test_request_ids_are_echoed_when_usable_and_logged(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="itsm_ontology.access")
    echoed = client.get("/health", headers={"X-Request-ID": "trace-42.a:b"})
    assert echoed.headers["x-request-id"] == "trace-42.a:b"
    for unusable in ("x" * 200, "has space", "new\nline"):
        replaced = client.get("/health", headers={"X-Request-ID": unusable.replace("\n", "")})
        if unusable == "new\nline":
            continue
        assert replaced.headers["x-request-id"] != unusable
    access = [r for r in caplog.records if r.name == "itsm_ontology.access"]
    line = next(r for r in access if getattr(r, "request_id", None) == "trace-42.a:b")
    assert line.status == 200 and line.path == "/health"  # type: ignore[attr-defined]


def test_json_log_lines_carry_the_request_id() -> None:
    from app.logs import JsonFormatter, RequestIdFilter, log_config

    config = log_config("json")
    assert config["formatters"]["default"] == {"()": "app.logs.JsonFormatter"}
    assert "request_id" in config["handlers"]["service"]["filters"]
    assert log_config("text")["formatters"]["service"]["fmt"].endswith("[%(request_id)s]")
    from app.context import RequestContext

    record = logging.LogRecord("itsm_ontology.access", logging.INFO, __file__, 1, "GET %s", ("/x",), None)
    with RequestContext("rid-7"):
        RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "rid-7" and line["message"] == "GET /x" and line["level"] == "INFO"
    audit = logging.LogRecord("itsm_ontology.audit", logging.INFO, __file__, 1, '{"event": "cypher"}', (), None)
    assert json.loads(JsonFormatter().format(audit))["audit"] == {"event": "cypher"}


def test_cors_is_off_unless_origins_are_configured(client: TestClient, store: GraphStore) -> None:
    origin = {"Origin": "https://explorer.example.org"}
    assert "access-control-allow-origin" not in client.get("/health", headers=origin).headers
    settings = Settings(store="embedded", cors_origins="https://explorer.example.org, https://other.example.org")
    with TestClient(create_app(settings, store=store)) as cors:
        preflight = cors.options(
            "/v1/cypher",
            headers={**origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "X-API-Key"},
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "https://explorer.example.org"
        answer = cors.get("/v1/nodes?limit=1", headers=origin)
        assert answer.headers["access-control-allow-origin"] == "https://explorer.example.org"
        assert "X-Request-ID" in answer.headers["access-control-expose-headers"]
        stranger = cors.get("/health", headers={"Origin": "https://evil.example.com"})
        assert "access-control-allow-origin" not in stranger.headers


def test_ready_has_a_typed_body(client: TestClient, store: GraphStore) -> None:
    from app.api.health import Readiness

    # Typed either way. Its own app, so that its supervisor has just started; a machine under heavy
    # load can delay a probe past /ready's 0.6 s wait (a 503 saying so).
    with TestClient(create_app(Settings(store="embedded"), store=store)) as fresh:
        for _ in range(5):
            response = fresh.get("/ready")
            body = Readiness.model_validate(response.json())
            if response.status_code == 200:
                assert body.status == "ready" and body.state == "up" and body.release
                assert body.release["content_hash"]
                break
            assert response.status_code == 503 and body.status != "ready" and body.reason
            assert int(response.headers["retry-after"]) > 0
            time.sleep(1)
        else:
            pytest.fail(f"/ready stayed 503: {body}")
    document = client.get("/openapi.json").json()
    responses = document["paths"]["/ready"]["get"]["responses"]
    assert responses["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Readiness"}
    assert responses["503"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Readiness"}
    export = document["paths"]["/v1/export"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert export == {"$ref": "#/components/schemas/ExportDocument"}


def test_retry_after_follows_the_supervisors_back_off() -> None:
    from app.graph.supervisor import StoreStatus

    restarting = StoreStatus("restarting", retry_at=time.monotonic() + 7.5)
    assert restarting.retry_after_s == 8
    assert StoreStatus("restarting").retry_after_s == 2
    assert StoreStatus("failed").retry_after_s == 60


def test_every_operation_has_an_example(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    missing = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            has = any("example" in p or "examples" in p for p in operation.get("parameters", []))
            has |= any(
                "example" in c or "examples" in c for c in operation.get("requestBody", {}).get("content", {}).values()
            )
            has |= any(
                "example" in c or "examples" in c
                for response in operation.get("responses", {}).values()
                for c in response.get("content", {}).values()
            )
            if not has:
                missing.append(f"{method.upper()} {path}")
    assert not missing, missing


# --- analytics: bounded, once per release -----------------------------------------------------------


def test_central_nodes_are_computed_once_per_release(client: TestClient) -> None:
    from app.services.analytics import Analytics

    analytics: Analytics = client.app.state.analytics  # type: ignore[attr-defined]
    first = client.get("/v1/analytics/central-nodes?limit=5")
    assert first.status_code == 200 and first.json()["approximate"] is False
    computed = analytics.computations
    for measure in ("betweenness", "degree"):
        assert client.get(f"/v1/analytics/central-nodes?measure={measure}&label=Practice").status_code == 200
    assert analytics.computations == computed  # cached for the release


def test_central_nodes_answer_503_while_computing_then_the_scores(store: GraphStore) -> None:
    from app.errors import ServiceError
    from app.paging import Page
    from app.services.analytics import Analytics, Bounds

    analytics = Analytics(Bounds(wait_s=0.001))
    with pytest.raises(ServiceError) as pending:
        analytics.central_nodes(store, "r1", measure="degree", label=None, page=Page(0, 5, "r1"))
    assert pending.value.status == 503 and pending.value.headers["Retry-After"]
    deadline = time.monotonic() + 120
    while True:  # the computation went on in the background
        try:
            ranked = analytics.central_nodes(store, "r1", measure="degree", label=None, page=Page(0, 5, "r1"))
            break
        except ServiceError:
            assert time.monotonic() < deadline
            time.sleep(0.2)
    assert len(ranked.items) == 5 and analytics.computations == 1


def test_large_graphs_are_sampled_or_refused(store: GraphStore) -> None:
    from app.errors import ServiceError
    from app.paging import Page
    from app.services.analytics import Analytics, Bounds

    page = Page(0, 10, "r")
    sampled = Analytics(Bounds(wait_s=120, exact_nodes=50, samples=30))
    once = sampled.central_nodes(store, "r", measure="betweenness", label=None, page=page)
    again = Analytics(Bounds(wait_s=120, exact_nodes=50, samples=30)).central_nodes(
        store, "r", measure="betweenness", label=None, page=page
    )
    assert once.approximate is True and once == again  # a fixed seed: the same estimate every time
    with pytest.raises(ServiceError, match="ITSM_ANALYTICS_MAX_NODES") as refused:
        Analytics(Bounds(wait_s=120, max_nodes=10)).central_nodes(store, "r", measure="degree", label=None, page=page)
    assert refused.value.status == 503


def test_the_cli_refuses_an_unknown_id_of_a_saved_query(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from app import cli as cli_module

    @contextmanager
    def attached(settings: object, **_: object) -> Iterator[GraphStore]:
        yield store

    monkeypatch.setattr(cli_module, "open_store", attached)
    result = CliRunner().invoke(cli_module.app, ["query", "role-gap", "--param", "role=role:no-such-role"])
    assert result.exit_code != 0 and "role:no-such-role" in result.output
    ok = CliRunner().invoke(cli_module.app, ["query", "role-gap", "--format", "json"])
    assert ok.exit_code == 0, ok.output
