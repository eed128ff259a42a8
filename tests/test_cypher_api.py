"""POST /v1/cypher and the `cypher` command: legitimate analyst queries with answers checked against
the ontology files, faithful serialisation, CSV, bounds, errors, the API key and the audit log."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from neo4j import exceptions as neo4j_errors

from app.adhoc.runner import AdhocRunner, Limits
from app.errors import (
    Busy,
    QueryError,
    QueryRefused,
    QueryTimeout,
    QueryTooLarge,
    ServiceError,
    StoreBusy,
    StoreFailed,
    StoreUnavailable,
)
from app.graph.dialect import Dialect
from app.graph.errors import translate
from app.graph.store import GraphStore, translate_errors
from app.main import create_app
from app.settings import Settings
from seed.model import Ontology
from tests.relay import relayed

MakeClient = Callable[..., TestClient]


@pytest.fixture(scope="module")
def make_client(store: GraphStore) -> Iterator[MakeClient]:
    """An app on the session store with its own ad-hoc settings."""
    with ExitStack() as stack:

        def make(**settings: Any) -> TestClient:
            app = create_app(Settings(store="embedded", **settings), store=store)
            return stack.enter_context(TestClient(app, raise_server_exceptions=False))

        yield make


def cypher(client: TestClient, query: str, status: int = 200, **body: Any) -> dict[str, Any]:
    response = client.post("/v1/cypher", json={"query": query, **body})
    assert response.status_code == status, response.text
    result: dict[str, Any] = response.json()
    return result


def records(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(zip(body["columns"], row, strict=True)) for row in body["rows"]]


def rels(ontology: Ontology, type_: str) -> list[Any]:
    return [r for r in ontology.relationships.values() if r.type == type_]


# --- legitimate analyst queries, answers checked against the ontology files ----------------------


def test_aggregation_by_category(client: TestClient, ontology: Ontology) -> None:
    body = cypher(client, "MATCH (p:Practice) RETURN p.category AS category, count(*) AS n ORDER BY category")
    expected: dict[str, int] = {}
    for node in ontology.nodes.values():
        if node.label == "Practice":
            expected[node.properties["category"]] = expected.get(node.properties["category"], 0) + 1
    assert {row["category"]: row["n"] for row in records(body)} == expected
    assert body["columns"] == ["category", "n"] and body["truncated"] is False and body["elapsed_ms"] >= 0


def test_aggregation_of_relationship_properties(client: TestClient, ontology: Ontology) -> None:
    body = cypher(client, "MATCH (:Practice)-[c:CONTRIBUTES_TO]->() RETURN c.level AS level, count(*) AS n")
    expected: dict[str, int] = {}
    for r in rels(ontology, "CONTRIBUTES_TO"):
        expected[r.properties["level"]] = expected.get(r.properties["level"], 0) + 1
    assert {row["level"]: row["n"] for row in records(body)} == expected


def test_variable_length_path(client: TestClient, ontology: Ontology) -> None:
    start = "value-stream:user-support:step-2"
    body = cypher(
        client,
        "MATCH (s:Entity {id: $id})-[:PART_OF*1..2]->(x) RETURN DISTINCT x.id AS id ORDER BY id",
        parameters={"id": start},
    )
    part_of: dict[str, set[str]] = {}
    for r in rels(ontology, "PART_OF"):
        part_of.setdefault(r.start, set()).add(r.end)
    one = part_of.get(start, set())
    two = {y for x in one for y in part_of.get(x, set())}
    assert [row["id"] for row in records(body)] == sorted(one | two)
    assert "value-stream:user-support" in one


def test_shortest_path_matches_networkx(client: TestClient, ontology: Ontology) -> None:
    a, b = "role:zero-outage:incident-manager", "sfia:ITMG"
    graph = nx.Graph()
    graph.add_edges_from((r.start, r.end) for r in ontology.relationships.values())
    body = cypher(
        client,
        "MATCH (a:Entity {id: $a}), (b:Entity {id: $b}) MATCH p = shortestPath((a)-[*..8]-(b)) "
        "RETURN p, length(p) AS hops",
        parameters={"a": a, "b": b},
    )
    [row] = records(body)
    assert row["hops"] == nx.shortest_path_length(graph, a, b)
    path = row["p"]
    assert path["nodes"][0]["id"] == a and path["nodes"][-1]["id"] == b
    assert len(path["relationships"]) == row["hops"]
    for rel, (left, right) in zip(
        path["relationships"], zip(path["nodes"], path["nodes"][1:], strict=False), strict=True
    ):
        assert {rel["start"], rel["end"]} == {left["id"], right["id"]}  # ends are node ids, whichever way


def test_optional_match_finds_practices_without_roles(client: TestClient, ontology: Ontology) -> None:
    body = cypher(
        client,
        "MATCH (p:Practice) OPTIONAL MATCH (r:Role)-[:RESPONSIBLE_FOR]->(p) "
        "WITH p, count(r) AS roles WHERE roles = 0 RETURN p.id AS id ORDER BY id",
    )
    practices = {n.id for n in ontology.nodes.values() if n.label == "Practice"}
    covered = {r.end for r in rels(ontology, "RESPONSIBLE_FOR")}
    assert [row["id"] for row in records(body)] == sorted(practices - covered)


def test_unwind_with_parameters(client: TestClient, ontology: Ontology) -> None:
    ids = ["practice:incident-management", "sfia:ITMG", "no:such-node", "role:zero-outage:incident-manager"]
    body = cypher(
        client,
        "UNWIND $ids AS id OPTIONAL MATCH (n:Entity {id: id}) RETURN id, n.name AS name ORDER BY id",
        parameters={"ids": ids},
    )
    expected = {i: (ontology.nodes[i].properties["name"] if i in ontology.nodes else None) for i in ids}
    assert {row["id"]: row["name"] for row in records(body)} == expected


def test_subqueries_and_list_functions(client: TestClient, ontology: Ontology) -> None:
    role = "role:zero-outage:incident-manager"
    body = cypher(
        client,
        "MATCH (r:Role {id: $role}) RETURN COUNT { (r)-[:REQUIRES]->() } AS needs, "
        "EXISTS { (r)-[:RESPONSIBLE_FOR]->(:Practice) } AS responsible, "
        "size([(r)-[:REQUIRES]->(c) WHERE c.name STARTS WITH 'C' | c.id]) AS starting_with_c",
        parameters={"role": role},
    )
    [row] = records(body)
    needs = [r.end for r in rels(ontology, "REQUIRES") if r.start == role]
    assert row["needs"] == len(needs)
    assert row["responsible"] is any(r.start == role for r in rels(ontology, "RESPONSIBLE_FOR"))
    assert row["starting_with_c"] == sum(ontology.nodes[c].properties["name"].startswith("C") for c in needs)


def test_allowed_procedures(client: TestClient) -> None:
    labels = {row["label"] for row in records(cypher(client, "CALL db.labels() YIELD label RETURN label"))}
    assert {"Practice", "Role", "SFIASkill"} <= labels
    types = records(cypher(client, "CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType"))
    assert "CONTRIBUTES_TO" in {row["relationshipType"] for row in types}
    assert cypher(client, "CALL db.schema.visualization()")["row_count"] >= 1
    refused = client.post("/v1/cypher", json={"query": "CALL dbms.components()"})
    assert refused.status_code == 403 and "dbms.components" in refused.json()["detail"]


# --- serialisation --------------------------------------------------------------------------------


def test_nodes_relationships_and_paths_serialise_by_id(client: TestClient) -> None:
    body = cypher(
        client,
        "MATCH (p:Practice {id: 'practice:incident-management'})-[c:CONTRIBUTES_TO]->"
        "(a {id: 'activity:itil:deliver-and-support'}) RETURN p, c, a",
    )
    [[node, rel, activity]] = body["rows"]
    assert node["id"] == "practice:incident-management" and "Practice" in node["labels"]
    assert node["properties"]["name"] == "Incident management" and isinstance(node["properties"]["sources"], list)
    assert rel["type"] == "CONTRIBUTES_TO" and rel["properties"]["level"] == "high"
    assert (rel["start"], rel["end"]) == ("practice:incident-management", "activity:itil:deliver-and-support")
    assert activity["id"] == "activity:itil:deliver-and-support"


def test_a_relationship_alone_still_names_its_ends(client: TestClient) -> None:
    """The driver gives a lone relationship's ends without properties; their ids are looked up."""
    body = cypher(
        client, "MATCH (:ChangeRequest {id: 'change-request:sfia-1431'})-[c:CHANGES {change: 'rename'}]->() RETURN c"
    )
    [[rel]] = body["rows"]
    assert rel == {
        "type": "CHANGES",
        "start": "change-request:sfia-1431",
        "end": "sfia:ITMG",
        "properties": rel["properties"],
    }
    assert rel["properties"]["after"] == "Technical Service Delivery Management"


def test_temporal_and_spatial_values(client: TestClient) -> None:
    body = cypher(
        client,
        "RETURN date('2024-02-29') AS d, datetime('2024-01-02T03:04:05Z') AS dt, duration('P1DT2H') AS du, "
        "localdatetime('2024-01-02T03:04') AS ldt, point({x: 1, y: 2}) AS pt, [1, 'a', null] AS list, "
        "{a: {b: true}} AS map",
    )
    row = records(body)[0]
    assert row["d"] == "2024-02-29"
    assert row["dt"].startswith("2024-01-02T03:04:05") and (row["dt"].endswith("Z") or row["dt"].endswith("+00:00"))
    assert row["du"] == "P1DT2H"
    assert row["ldt"].startswith("2024-01-02T03:04:00")
    assert row["pt"]["x"] == 1.0 and row["pt"]["y"] == 2.0
    assert row["list"] == [1, "a", None] and row["map"] == {"a": {"b": True}}


def test_csv_by_accept_header_and_by_format(client: TestClient) -> None:
    query = {"query": "MATCH (p:Practice {id: 'practice:incident-management'}) RETURN p.id AS id, p.sources, p"}
    by_header = client.post("/v1/cypher", json=query, headers={"Accept": "text/csv"})
    by_param = client.post("/v1/cypher", params={"format": "csv"}, json=query)
    for response in (by_header, by_param):
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
        header, row = list(csv.reader(io.StringIO(response.text)))
        assert header == ["id", "p.sources", "p"]
        assert row[0] == "practice:incident-management"
        assert json.loads(row[1])[0].startswith("001_") and json.loads(row[2])["id"] == row[0]
        assert response.headers["X-Truncated"] == "false"


# --- bounds ---------------------------------------------------------------------------------------


def test_row_limit_truncates(client: TestClient) -> None:
    body = cypher(client, "UNWIND range(1, 50) AS i RETURN i", limit=10)
    assert body["rows"] == [[i] for i in range(1, 11)]
    assert body["truncated"] is True and body["truncated_by"] == "rows" and body["row_count"] == 10
    whole = cypher(client, "UNWIND range(1, 50) AS i RETURN i", limit=50)
    assert whole["row_count"] == 50 and whole["truncated"] is False


def test_limits_are_settings(make_client: MakeClient) -> None:
    small = make_client(cypher_default_rows=5, cypher_max_rows=20, cypher_max_response_bytes=2000)
    assert cypher(small, "UNWIND range(1, 100) AS i RETURN i")["row_count"] == 5
    capped = cypher(small, "UNWIND range(1, 100) AS i RETURN i", limit=1000)
    assert capped["row_count"] == 20 and capped["limit"] == 20 and capped["truncated_by"] == "rows"
    heavy = cypher(small, "MATCH (p:Practice) RETURN p", limit=20)
    assert heavy["truncated_by"] == "bytes" and 0 < heavy["row_count"] < 20
    assert len(json.dumps(heavy["rows"])) <= 2000
    short = make_client(cypher_max_query_chars=40)
    body = cypher(short, "MATCH (n) WHERE n.id = 'x' OR n.id = 'y' RETURN n", status=403)
    assert "limit is 40" in body["detail"]
    tiny = make_client(cypher_max_parameter_bytes=50)
    cypher(tiny, "RETURN $x", status=422, parameters={"x": "y" * 100})


def test_limit_must_be_positive(client: TestClient) -> None:
    cypher(client, "RETURN 1", status=422, limit=0)
    cypher(client, "", status=422)


def test_parameters_beyond_64_bit_integers_are_422(client: TestClient) -> None:
    body = cypher(client, "RETURN $x AS x", status=422, parameters={"x": {"deep": [2**70]}})
    assert "parameters.x" in body["detail"] and "64-bit" in body["detail"]
    assert cypher(client, "RETURN $x AS x", parameters={"x": 2**63 - 1})["rows"] == [[2**63 - 1]]


# --- errors ---------------------------------------------------------------------------------------


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"] and "Traceback" not in response.text
    return body


def test_syntax_error_is_400_with_the_engines_message_and_position(client: TestClient) -> None:
    body = assert_problem(client.post("/v1/cypher", json={"query": "MATCH (n) RETRUN n"}), 400)
    assert body["title"] == "Cypher syntax error"
    assert "RETRUN" in body["detail"]
    assert body["line"] == 1 and body["column"] in (10, 11)  # ArcadeDB counts columns from 0, Neo4j from 1


def test_unterminated_string_is_400_before_the_store(client: TestClient) -> None:
    body = assert_problem(client.post("/v1/cypher", json={"query": "RETURN 'open"}), 400)
    assert body["offset"] == 7


def test_refusal_is_403_with_the_reason(client: TestClient) -> None:
    body = assert_problem(client.post("/v1/cypher", json={"query": "MATCH (n) DETACH DELETE n"}), 403)
    assert body["layer"] == "gate" and "DETACH DELETE is an updating clause" in body["detail"]


def test_missing_parameter_is_400(client: TestClient) -> None:
    body = assert_problem(client.post("/v1/cypher", json={"query": "RETURN $nope AS x"}), 400)
    assert "nope" in body["detail"]


def test_store_down_is_503_and_recovers(store: GraphStore) -> None:
    with relayed(store) as (cut, relay):
        app = create_app(Settings(store="embedded"), store=cut)
        with TestClient(app, raise_server_exceptions=False) as client:
            assert cypher(client, "RETURN 1 AS one")["rows"] == [[1]]
            relay.stop()
            body = assert_problem(client.post("/v1/cypher", json={"query": "RETURN 1 AS one"}), 503)
            assert body["title"] == "Store unavailable"
            relay.restart()
            assert cypher(client, "RETURN 1 AS one")["rows"] == [[1]]


# --- API key and audit log -----------------------------------------------------------------------


def test_api_key_when_configured(make_client: MakeClient, caplog: pytest.LogCaptureFixture) -> None:
    guarded = make_client(cypher_api_key="s3cret-key-for-tests")
    body = assert_problem(guarded.post("/v1/cypher", json={"query": "RETURN 1"}), 401)
    assert "X-API-Key" in body["detail"]
    assert_problem(guarded.post("/v1/cypher", json={"query": "RETURN 1"}, headers={"X-API-Key": "wrong"}), 401)
    with caplog.at_level(logging.INFO, logger="itsm_ontology.audit"):
        ok = guarded.post("/v1/cypher", json={"query": "RETURN 1"}, headers={"X-API-Key": "s3cret-key-for-tests"})
    assert ok.status_code == 200
    [line] = [json.loads(r.getMessage()) for r in caplog.records if r.name == "itsm_ontology.audit"]
    assert line["who"].startswith("key:") and "s3cret" not in json.dumps(line)
    # Running a saved query needs the key too (reading the list of saved queries does not).
    saved = "/v1/queries/practices-without-responsible-role"
    assert_problem(guarded.post(saved, json={}), 401)
    assert guarded.post(saved, json={}, headers={"X-API-Key": "s3cret-key-for-tests"}).status_code == 200
    assert guarded.get("/v1/queries").status_code == 200


def test_failed_api_keys_are_audited(make_client: MakeClient, caplog: pytest.LogCaptureFixture) -> None:
    guarded = make_client(cypher_api_key="s3cret-key-for-tests")
    with caplog.at_level(logging.INFO, logger="itsm_ontology.audit"):
        guarded.post("/v1/cypher", json={"query": "RETURN 1"})
        guarded.post("/v1/queries/role-gap", json={}, headers={"X-API-Key": "guessed-key"})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "itsm_ontology.audit"]
    assert [(x["event"], x["reason"], x["path"]) for x in lines] == [
        ("unauthorized", "no API key", "/v1/cypher"),
        ("unauthorized", "wrong API key", "/v1/queries/role-gap"),
    ]
    assert lines[1]["key"].startswith("key:") and "guessed" not in json.dumps(lines)
    assert all(x["refused"] and x["client"] for x in lines)


def test_one_audit_line_per_query(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    query = "MATCH (p:Practice) RETURN p.id LIMIT 3"
    refused = "MATCH (n) SET n.x = 1"
    with caplog.at_level(logging.INFO, logger="itsm_ontology.audit"):
        cypher(client, query)
        cypher(client, refused, status=403)
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "itsm_ontology.audit"]
    assert len(lines) == 2
    ok, no = lines
    assert ok["who"] == "anonymous" and ok["rows"] == 3 and ok["refused"] is False and ok["elapsed_ms"] >= 0
    assert ok["query_sha256"] == hashlib.sha256(query.encode()).hexdigest()
    assert query not in json.dumps(lines)  # the hash, never the text
    assert no["refused"] is True and no["layer"] == "gate" and "SET" in no["reason"]


def test_openapi_documents_the_endpoints(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"403", "400", "504"} <= set(paths["/v1/cypher"]["post"]["responses"])
    assert "post" in paths["/v1/queries/{name}"] and "get" in paths["/v1/queries"]


# --- the watchdog and the concurrency slots, on a stand-in store that never answers ------------


class _Connection:
    def __init__(self, gate: threading.Event) -> None:
        self.gate = gate
        self.killed = threading.Event()

    def kill(self) -> None:
        self.killed.set()
        self.gate.set()


class _HangingSession:
    """Blocks in BEGIN until its connection is killed (or the test lets it go)."""

    def __init__(self, gate: threading.Event) -> None:
        self._connection = _Connection(gate)

    def __enter__(self) -> _HangingSession:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def begin_transaction(self, timeout: float | None = None) -> None:
        self._connection.gate.wait(30)
        raise neo4j_errors.ServiceUnavailable("connection closed")


class _HangingStore:
    def __init__(self, *, readonly: bool = True) -> None:
        self.dialect = Dialect("embedded")
        self.has_readonly_path = readonly
        self.gate = threading.Event()
        self.sessions: list[_HangingSession] = []

    def readonly_session(self, *, fetch_size: int = 1000) -> _HangingSession:
        session = _HangingSession(self.gate)
        self.sessions.append(session)
        return session


def test_watchdog_abandons_a_query_the_store_never_answers() -> None:
    hanging = _HangingStore()
    runner = AdhocRunner(hanging, Limits(timeout_s=0.2, max_concurrent=1))  # type: ignore[arg-type]
    started = time.monotonic()
    with pytest.raises(QueryTimeout) as timed_out:
        runner.run("MATCH (n) RETURN n")
    assert time.monotonic() - started < 0.2 + 1.0 + 0.5
    assert timed_out.value.limit_s == 0.2 and "0.2s" in str(timed_out.value)
    assert hanging.sessions[0]._connection.killed.is_set()  # the connection was closed, not leaked
    # The worker ended and gave its slot back: the next query is not refused as busy.
    hanging.gate.clear()
    with pytest.raises(QueryTimeout):
        runner.run("MATCH (n) RETURN n")


def test_too_many_concurrent_queries_get_503() -> None:
    hanging = _HangingStore()
    runner = AdhocRunner(hanging, Limits(timeout_s=5, max_concurrent=1))  # type: ignore[arg-type]
    outcome: list[BaseException] = []

    def occupy() -> None:
        try:
            runner.run("RETURN 1")
        except StoreUnavailable as exc:  # the stand-in connection closes once the test lets it go
            outcome.append(exc)

    first = threading.Thread(target=occupy, daemon=True)
    first.start()
    while not hanging.sessions:
        time.sleep(0.01)
    with pytest.raises(Busy):
        runner.run("RETURN 2")
    hanging.gate.set()
    first.join(5)
    assert outcome and not first.is_alive()


def test_no_read_only_path_means_no_adhoc_cypher() -> None:
    runner = AdhocRunner(_HangingStore(readonly=False), Limits())  # type: ignore[arg-type]
    with pytest.raises(QueryRefused) as refused:
        runner.run("RETURN 1")
    assert refused.value.layer == "engine" and "read-only" in refused.value.message


# --- how store errors are classified (the Neo4j texts cannot be produced here without Neo4j) -----


def _error(code: str, message: str) -> neo4j_errors.Neo4jError:
    return neo4j_errors.Neo4jError._hydrate_neo4j(code=code, message=message)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("code", "message", "expected", "status"),
    [
        ("Neo.ClientError.Statement.SyntaxError", "Unexpected input 'X' at line 1, column 10", QueryError, 400),
        ("Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration", "stopped", QueryTimeout, 504),
        ("Neo.ClientError.Transaction.TransactionTimedOut", "Timeout on iteration", QueryTimeout, 504),
        ("Neo.DatabaseError.General.UnknownError", "Timeout on iteration", QueryTimeout, 504),
        ("Neo.ClientError.Security.Forbidden", "User 'itsm_reader' is not allowed to update schema", QueryRefused, 403),
        ("Neo.ClientError.Statement.AccessMode", "Writing in read access mode not allowed", QueryRefused, 403),
        ("Neo.ClientError.Statement.ParameterMissing", "Expected parameter(s): x", QueryError, 400),
        # ArcadeDB's shared heap budget for buffering queries, as it words both cases under load:
        # this one query would need more than the whole budget (its fault) ...
        (
            "Neo.DatabaseError.General.UnknownError",
            "Query heap budget exceeded: the in-heap ORDER BY needs 17.54KB more, and its query would hold more "
            "than the whole budget of 192.00MB the buffers of all the running queries share.",
            QueryTooLarge,
            422,
        ),
        # ... or the other running queries hold it now (retry later, with the store's reason).
        (
            "Neo.TransientError.Transaction.DeadlockDetected",
            "Query heap budget exceeded: the in-heap ORDER BY needs 16.38KB more, but the queries running now "
            "already hold 192.00MB of the 192.00MB budget their buffers share. Retry once they complete",
            StoreBusy,
            503,
        ),
        # Any other database error on a caller's query: the store's failure, never a 500.
        ("Neo.DatabaseError.General.UnknownError", "something broke", StoreFailed, 503),
        # Neo4j's cap per transaction (db.memory.transaction.max in docker-compose.yml): the query's fault.
        ("Neo.ClientError.General.TransactionOutOfMemoryError", "used more memory", QueryTooLarge, 422),
        # The server's shared memory pool is full: try again later.
        ("Neo.TransientError.General.MemoryPoolOutOfMemoryError", "threshold reached", StoreUnavailable, 503),
    ],
)
def test_store_errors_are_classified(code: str, message: str, expected: type, status: int) -> None:
    classified = translate(_error(code, message), callers_query=True, timeout_s=3)
    assert isinstance(classified, expected)
    assert isinstance(classified, ServiceError) and classified.status == status
    if isinstance(classified, QueryTimeout):
        assert classified.limit_s == 3


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (_error("Neo.TransientError.General.MemoryPoolOutOfMemoryError", "pool full"), StoreUnavailable),
        (_error("Neo.TransientError.Transaction.DeadlockDetected", "deadlock"), StoreUnavailable),
        (_error("Neo.ClientError.Transaction.TransactionTimedOut", "timed out"), QueryTimeout),
        (neo4j_errors.ServiceUnavailable("gone"), StoreUnavailable),
    ],
)
def test_service_queries_map_store_errors(error: Exception, expected: type[Exception]) -> None:
    """The read and load paths: transient failures (after the driver's retries) answer 503."""
    with pytest.raises(expected), translate_errors():
        raise error


def test_explain_positions_are_moved_back_to_the_analysts_text() -> None:
    from app.adhoc.errors import EXPLAIN, unshifted

    query = "MATCH (n) RETRUN n"
    error = _error(
        "Neo.ClientError.Statement.SyntaxError",
        f"Invalid input 'RETRUN': expected 'RETURN' (line 2, column 11 (offset: {len(EXPLAIN) + 10}))",
    )
    fixed = unshifted(error)  # type: ignore[arg-type]
    assert (fixed.extra["line"], fixed.extra["column"], fixed.extra["offset"]) == (1, 11, 10)
    assert query[fixed.extra["offset"] :].startswith("RETRUN")
    assert "(line 1, column 11 (offset: 10))" in fixed.message
