"""The store seam: dialect differences, the embedded server's lifecycle, every Cypher file, and
behaviour when the store goes away and comes back."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from neo4j import exceptions as neo4j_errors

from app.graph.dialect import Dialect
from app.graph.embedded import EmbeddedArcadeDB
from app.graph.store import GraphStore
from app.main import create_app
from app.settings import Settings
from tests.relay import relayed

SCHEMA_SAMPLE = """
// comment
CREATE CONSTRAINT a IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;
// neo4j-only
CREATE FULLTEXT INDEX t IF NOT EXISTS FOR (n:Entity) ON EACH [n.name];
"""


def test_schema_statements_skip_neo4j_only_on_arcadedb() -> None:
    assert len(Dialect("neo4j").schema_statements(SCHEMA_SAMPLE)) == 2
    [only] = Dialect("embedded").schema_statements(SCHEMA_SAMPLE)
    assert only.startswith("CREATE CONSTRAINT a")


def test_dialect_facts() -> None:
    assert Dialect("neo4j").honours_read_routing and not Dialect("embedded").honours_read_routing
    assert Dialect("neo4j").await_indexes and Dialect("embedded").await_indexes is None


def test_the_schema_file_applies_on_this_store(store: GraphStore) -> None:
    text = (store.queries.directory / "schema.cypher").read_text(encoding="utf-8")
    for statement in store.dialect.schema_statements(text):
        store.run_write(statement)  # idempotent: IF NOT EXISTS
    names = {row["name"] for row in store.run_read("SHOW CONSTRAINTS YIELD name RETURN name")}
    assert {"entity_id", "release_id"} <= names


def test_every_cypher_file_has_a_header_and_compiles(store: GraphStore) -> None:
    """EXPLAIN every named query (templates filled with a real label/type) so a broken file fails CI."""
    names = store.queries.names()
    assert len(names) >= 20
    for name in names:
        query = store.queries[name]
        assert query.description, f"{name}.cypher needs a header comment"
        if name == "schema":
            continue
        text = query.text
        if query.placeholders:
            text = query.render(
                {"Practice", "PART_OF"}, **{p: "Practice" if p == "label" else "PART_OF" for p in query.placeholders}
            )
        params = dict.fromkeys(query.parameters)
        store.run_read("EXPLAIN " + text, params)


def test_arcadedb_map_projection_inside_a_map_literal(store: GraphStore) -> None:
    """Why cypher/ writes maps as literals: ArcadeDB returns only the inner projection."""
    [row] = store.run_read("MATCH (p:Practice {id: 'practice:incident-management'}) RETURN {outer: p {.id}} AS m")
    if store.dialect.kind == "embedded":
        assert row["m"] == {"id": "practice:incident-management"}  # if this fails, ArcadeDB fixed it
    else:
        assert row["m"] == {"outer": {"id": "practice:incident-management"}}


def test_fulltext_index_syntax_is_neo4j_only(store: GraphStore) -> None:
    statement = "CREATE FULLTEXT INDEX canary_ft IF NOT EXISTS FOR (n:Canary) ON EACH [n.name]"
    if store.dialect.kind == "embedded":
        with pytest.raises(neo4j_errors.Neo4jError):
            store.run_write(statement)
    else:
        store.run_write(statement)
        store.run_write("DROP INDEX canary_ft IF EXISTS")


def test_embedded_password_per_data_dir_and_attach(tmp_path: Path) -> None:
    server = EmbeddedArcadeDB(tmp_path, heap="256m")
    endpoint = server.start()
    try:
        secret = tmp_path / "arcadedb" / "root-password"
        assert stat.S_IMODE(os.stat(secret).st_mode) == 0o600
        assert secret.read_text().strip() == endpoint.password and len(endpoint.password) >= 24
        state = json.loads((tmp_path / "arcadedb" / "server.json").read_text())
        assert endpoint.uri == f"bolt://127.0.0.1:{state['bolt_port']}"
        # A second process on the same directory attaches instead of starting a rival server.
        assert EmbeddedArcadeDB(tmp_path).running_elsewhere() == endpoint
    finally:
        server.stop()
    assert not (tmp_path / "arcadedb" / "server.json").exists()
    assert EmbeddedArcadeDB(tmp_path).running_elsewhere() is None
    again = EmbeddedArcadeDB(tmp_path, heap="256m")
    try:
        assert again.start().password == endpoint.password  # the same generated secret is reused
    finally:
        again.stop()


def test_store_down_gives_503_and_recovers_without_restart(store: GraphStore) -> None:
    """Cut the connection to a real store with a relay: 503 + Retry-After, /ready says why, then
    the same app answers again once the store is reachable."""
    with relayed(store) as (cut, relay):
        # Without in-memory answers: the repeat right after the cut must reach the store (with
        # them it is answered from memory until a probe notices, app/api/answers.py, and node
        # detail from the release's graph in memory, app/services/memory.py).
        app = create_app(Settings(store="embedded", answer_cache=False, memory_graph_max_relationships=0), store=cut)
        with TestClient(app, raise_server_exceptions=False) as client:
            assert client.get("/v1/nodes/practice:incident-management").status_code == 200
            relay.stop()
            down = client.get("/v1/nodes/practice:incident-management")
            assert down.status_code == 503, down.text
            assert down.headers["content-type"].startswith("application/problem+json")
            assert int(down.headers["Retry-After"]) > 0
            ready = client.get("/ready")
            assert ready.status_code == 503 and "unreachable" in ready.json()["reason"]
            relay.restart()
            back = client.get("/v1/nodes/practice:incident-management")
            assert back.status_code == 200, back.text
            assert client.get("/ready").status_code == 200
