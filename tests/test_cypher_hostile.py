"""Hostile ad-hoc Cypher: every query refused or bounded, the graph unchanged afterwards, and each
read-only layer shown to hold on its own (the gate alone is tests/test_cypher_gate.py).

The graph is compared before and after each query: every node and relationship with its
properties, the labels the store reports, its indexes and constraints, and the release hash.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from typing import Any

import neo4j
import pytest
from fastapi.testclient import TestClient
from neo4j import exceptions as neo4j_errors

from app.adhoc.runner import AdhocRunner, Limits
from app.errors import QueryError, QueryRefused
from app.graph.dialect import Dialect
from app.graph.store import GraphStore
from app.main import create_app
from app.settings import Settings

TIMEOUT_S = 2.0
SLACK_S = 3.0  # watchdog grace, HTTP and scheduling on a busy 2-core machine


def _digest(rows: list[dict[str, Any]]) -> str:
    lines = sorted(json.dumps(row, sort_keys=True, default=str) for row in rows)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def fingerprint(store: GraphStore) -> dict[str, Any]:
    """Everything a write could change, read as the store's main user."""
    nodes = store.run_read("MATCH (n) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props")
    for row in nodes:
        row["labels"] = sorted(row["labels"])
    relationships = store.run_read(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS type, b.id AS b, properties(r) AS props"
    )
    release = store.read_one("meta/latest_release")
    return {
        "nodes": len(nodes),
        "relationships": len(relationships),
        "node_digest": _digest(nodes),
        "relationship_digest": _digest(relationships),
        "labels": sorted(r["label"] for r in store.run_read("CALL db.labels() YIELD label RETURN label")),
        "indexes": sorted(r["name"] for r in store.run_read("SHOW INDEXES YIELD name RETURN name")),
        "constraints": sorted(r["name"] for r in store.run_read("SHOW CONSTRAINTS YIELD name RETURN name")),
        "release": release["release"]["content_hash"] if release else None,
    }


@pytest.fixture(scope="module")
def baseline(store: GraphStore) -> dict[str, Any]:
    return fingerprint(store)


@pytest.fixture(scope="module")
def hostile_client(store: GraphStore) -> Iterator[TestClient]:
    settings = Settings(
        store="embedded", cypher_timeout_s=TIMEOUT_S, cypher_max_rows=5000, cypher_max_response_bytes=500_000
    )
    with TestClient(create_app(settings, store=store), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def unchanged(store: GraphStore, baseline: dict[str, Any]) -> Iterator[None]:
    yield
    assert fingerprint(store) == baseline


# --- bounded: queries that are legal reads but would never end or never stop growing -------------

BOUNDED = [
    "MATCH (a),(b),(c),(d) RETURN count(*)",
    "MATCH (a),(b) RETURN a.id, b.id",
    "MATCH (a),(b),(c) RETURN a, b, c",
    "MATCH p = (a)-[*]-(b) RETURN p",
    "UNWIND range(1, 1000000) AS i RETURN i",
    "UNWIND range(1, 5000) AS i MATCH (n:Practice) RETURN n",
]


@pytest.mark.parametrize("query", BOUNDED)
@pytest.mark.usefixtures("unchanged")
def test_unbounded_reads_hit_a_limit(hostile_client: TestClient, query: str) -> None:
    started = time.monotonic()
    response = hostile_client.post("/v1/cypher", json={"query": query})
    elapsed = time.monotonic() - started
    assert elapsed < TIMEOUT_S + SLACK_S, f"{elapsed:.1f}s"
    if response.status_code == 504:
        body = response.json()
        assert body["title"] == "Query timed out" and body["limit_s"] == TIMEOUT_S
    else:
        assert response.status_code == 200, response.text
        body = response.json()
        # Either cut off by the row cap or the size cap, or it finished inside the time limit (a
        # count(*) over a cartesian product may be computed from the label counts).
        assert body["truncated"] or body["row_count"] <= 1, body["row_count"]
        assert len(response.content) < 600_000


# --- refused: writes in every position, procedures, files, schema and administration ------------

HOSTILE = [
    # Updating clauses, alone and in every position
    "CREATE (n:Practice:Entity {id: 'practice:canary', name: 'x', sources: []})",
    "CREATE (:Canary)",
    "INSERT (:Canary {id: 'x'})",
    "MATCH (a:Practice), (b:Practice) WITH a, b LIMIT 1 CREATE (a)-[:RELATED_TO {kind: 'x'}]->(b)",
    "MERGE (n:Practice:Entity {id: 'practice:incident-management'}) ON MATCH SET n.name = 'hacked'",
    "MERGE (n:Canary {id: 1}) RETURN n",
    "MATCH (n:Practice) SET n.name = 'hacked'",
    "MATCH (n:Practice) SET n += {name: 'hacked'}",
    "MATCH (n:Practice) SET n:Hacked",
    "MATCH (n:Practice) REMOVE n.name",
    "MATCH (n:Practice) REMOVE n:Practice",
    "MATCH (n) DETACH DELETE n",
    "MATCH ()-[r:CHANGES]->() DELETE r",
    "MATCH (n:Practice) WITH n LIMIT 1 SET n.x = 1 RETURN n",
    "MATCH (n:Practice) RETURN n.id AS id UNION MATCH (m:Role) SET m.x = 1 RETURN m.id AS id",
    "match (n:practice) set n.name = 'lower case'",
    # Inside subqueries and FOREACH
    "CALL { MATCH (n:Practice) SET n.x = 1 } RETURN 1",
    "CALL { CREATE (x:Canary) RETURN x } RETURN x",
    "CALL () { MATCH (n:Canary) DELETE n } RETURN 1",
    "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10 ROWS",
    "FOREACH (i IN range(1, 3) | CREATE (:Canary {i: i}))",
    "MATCH (n:Practice) FOREACH (x IN [n] | SET x.name = 'hacked')",
    "MATCH (n:Practice) WHERE EXISTS { MATCH (n) SET n.x = 1 } RETURN n",
    # Via procedures and functions
    "CALL apoc.create.node(['Canary'], {})",
    "CALL apoc.cypher.runWrite('CREATE (:Canary)', {})",
    "RETURN apoc.cypher.runFirstColumnSingle('MATCH (n) DETACH DELETE n RETURN 1', {})",
    "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DETACH DELETE n', {})",
    "CALL db.createLabel('Canary')",
    "CALL dbms.security.createUser('eve', 'secret-password', false)",
    "CALL db.clearQueryCaches()",
    "CALL algo.pagerank()",
    # Files and URLs
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "LOAD CSV WITH HEADERS FROM 'http://127.0.0.1:9/x.csv' AS row RETURN row",
    "USING PERIODIC COMMIT LOAD CSV FROM 'https://example.com/x.csv' AS row CREATE (:Canary)",
    # Schema and administration
    "CREATE INDEX canary_idx IF NOT EXISTS FOR (n:Practice) ON (n.name)",
    "CREATE CONSTRAINT canary_c IF NOT EXISTS FOR (n:Practice) REQUIRE n.name IS UNIQUE",
    "CREATE FULLTEXT INDEX canary_ft IF NOT EXISTS FOR (n:Practice) ON EACH [n.name]",
    "DROP CONSTRAINT entity_id",
    "DROP INDEX entity_id",
    "SHOW USERS",
    "SHOW TRANSACTIONS",
    "CREATE USER eve SET PASSWORD 'secret-password'",
    "ALTER USER neo4j SET PASSWORD 'secret-password'",
    "GRANT ROLE admin TO eve",
    "DENY READ {*} ON GRAPH * TO PUBLIC",
    "REVOKE ROLE admin FROM eve",
    "STOP DATABASE neo4j",
    "START DATABASE neo4j",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "CREATE DATABASE canary",
    "USE system SHOW USERS",
    "EXPLAIN CREATE (:Canary)",
    "PROFILE MATCH (n) SET n.x = 1",
    "CYPHER runtime=interpreted CREATE (:Canary)",
    # Multiple statements, comment and string tricks
    "MATCH (n) RETURN n; MATCH (m) DETACH DELETE m",
    "MATCH (n) RETURN count(n);\nCREATE (:Canary)",
    "MATCH (n:Practice) /* a harmless comment */ SeT n.name = 'hacked'",
    "MATCH (n:Practice) RETURN n // nothing to see\nSET n.name = 'hacked'",
    "RETURN 'x\\\\' CREATE (:Canary) //'",
    "MATCH (`n`:Practice) SET `n`.name = 'hacked'",
    "MATCH (n:Practice)\u00a0SET n.name = 'hacked'",
    "MATCH(n:Practice)SET n.name='hacked'",
]


def test_the_suite_is_large_enough() -> None:
    assert len(HOSTILE) + len(BOUNDED) >= 40


@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.usefixtures("unchanged")
def test_hostile_query_is_refused(hostile_client: TestClient, query: str) -> None:
    response = hostile_client.post("/v1/cypher", json={"query": query})
    assert response.status_code == 403, response.text
    body = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert body["title"] == "Query refused" and body["detail"] and body["layer"] == "gate"


@pytest.mark.usefixtures("unchanged")
def test_huge_query_and_parameters_are_refused(hostile_client: TestClient) -> None:
    huge = "MATCH (n) WHERE n.id IN [" + ",".join(f"'{i}'" for i in range(10_000)) + "] RETURN n"
    assert hostile_client.post("/v1/cypher", json={"query": huge}).status_code == 403
    big = {"query": "RETURN size($x)", "parameters": {"x": "y" * 200_000}}
    assert hostile_client.post("/v1/cypher", json=big).status_code == 422


# --- each layer on its own ---------------------------------------------------------------------------

# Writes that reach the store when the gate is bypassed. No new labels or types here: on ArcadeDB a
# new type is a schema change, which the read-only user is refused anyway (see ENGINE_ONLY).
DATA_WRITES = [
    "MATCH (n:Practice {id: 'practice:incident-management'}) SET n.name = 'hacked' RETURN n.name",
    "MATCH (n:Practice) SET n += {name: 'hacked'}",
    "MATCH (n:Practice) REMOVE n.purpose",
    "MATCH ()-[r:CHANGES]->() DELETE r",
    "MATCH (n:ChangeRequest) DETACH DELETE n",
    "MATCH (a:Practice {id: 'practice:incident-management'}), (b:Practice {id: 'practice:problem-management'}) "
    "CREATE (a)-[:RELATED_TO {kind: 'canary', sources: []}]->(b)",
    "MERGE (n:Practice:Entity {id: 'practice:incident-management'}) ON MATCH SET n.name = 'hacked'",
    "MATCH (n:Practice) FOREACH (x IN [n] | SET x.name = 'hacked')",
    "CALL { MATCH (n:Role) SET n.name = 'hacked' } RETURN 1",
]
ENGINE_ONLY = [
    "CREATE (:Canary {id: 'x'})",
    "CREATE INDEX canary_idx IF NOT EXISTS FOR (n:Practice) ON (n.name)",
    "CREATE CONSTRAINT canary_c IF NOT EXISTS FOR (n:Practice) REQUIRE n.name IS UNIQUE",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
]


@pytest.mark.parametrize("query", DATA_WRITES + ENGINE_ONLY)
@pytest.mark.usefixtures("unchanged")
def test_read_only_user_alone_cannot_write(store: GraphStore, query: str) -> None:
    """Layer 1 alone: the write sent straight through the driver on the read-only session, and
    committed. The engine refuses it (at run time or at commit)."""
    assert store.has_readonly_path
    with store.readonly_session() as session:
        try:
            tx = session.begin_transaction()
            rows = [record.values() for record in tx.run(query)]
            tx.commit()
        except neo4j_errors.Neo4jError as exc:
            assert exc.code, exc
            return
    # The engine let it through: acceptable only for a LOAD CSV that read nothing (Neo4j confines
    # file URLs to its import directory); everything else is a failure.
    assert "LOAD CSV" in query, f"the store accepted {query!r} from the read-only user"
    assert not any("root:" in str(row) for row in rows), rows


@pytest.mark.parametrize("query", DATA_WRITES + ENGINE_ONLY)
@pytest.mark.usefixtures("unchanged")
def test_without_the_gate_the_other_layers_refuse(store: GraphStore, query: str) -> None:
    """Layers 1 and 3 together, the gate bypassed: refused by the engine or by the backstop."""
    runner = AdhocRunner(store, Limits(timeout_s=TIMEOUT_S))
    with pytest.raises(QueryError) as refused:
        runner.execute_unchecked(query, {})
    if isinstance(refused.value, QueryRefused):
        assert refused.value.layer in ("engine", "backstop")


class WritableStore(GraphStore):
    """The store's main user in a WRITE session behind the ad-hoc runner: no engine layer at all."""

    def readonly_session(self, *, fetch_size: int = 1000) -> neo4j.Session:
        return self.driver.session(database=self.database, fetch_size=fetch_size)


@pytest.fixture(scope="module")
def writable(store: GraphStore) -> GraphStore:
    # Dialect("embedded") skips the EXPLAIN check too, so on Neo4j as well only the backstop is left.
    return WritableStore(
        store.driver, store.database, Dialect("embedded"), store.queries, timeout_s=5, readonly_driver=store.driver
    )


@pytest.mark.parametrize("query", DATA_WRITES)
@pytest.mark.usefixtures("unchanged")
def test_rollback_backstop_alone(writable: GraphStore, query: str) -> None:
    """Layer 3 alone: gate bypassed, and the session may write. The write happens inside the
    transaction, is reported by the query's counters, refused, and rolled back."""
    runner = AdhocRunner(writable, Limits(timeout_s=TIMEOUT_S))
    with pytest.raises(QueryRefused) as refused:
        runner.execute_unchecked(query, {})
    assert refused.value.layer == "backstop" and "rolled back" in refused.value.message


@pytest.mark.usefixtures("unchanged")
def test_backstop_rolls_back_even_when_rows_are_cut_off(writable: GraphStore) -> None:
    runner = AdhocRunner(writable, Limits(timeout_s=TIMEOUT_S))
    query = "UNWIND range(1, 500) AS i MATCH (n:Practice {id: 'practice:incident-management'}) SET n.x = i RETURN i"
    try:
        result = runner.execute_unchecked(query, {}, limit=5)
    except QueryRefused as refused:
        assert refused.layer == "backstop"
    else:
        assert result.truncated  # no counters after a cut-off on some stores; the rollback still undoes it


@pytest.mark.usefixtures("unchanged")
def test_engine_refusal_through_the_api_when_the_gate_is_fooled(
    hostile_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Were the gate ever fooled, the API would still answer 403, from a lower layer."""
    from app.adhoc import gate as cypher_gate

    monkeypatch.setattr(cypher_gate, "check", lambda query, max_chars=0: query)
    response = hostile_client.post("/v1/cypher", json={"query": "MATCH (n:Practice) SET n.name = 'hacked'"})
    assert response.status_code == 403, response.text
    assert response.json()["layer"] in ("engine", "backstop")
