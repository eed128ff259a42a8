"""The native ArcadeDB build (ITSM_ARCADEDB_BUILD=native, the optional `arcadedb` package): the
same child, the same read-only user and group, the same answers as the JVM build. The tests that
start a server skip, with the reason, when the native build is not installed."""

from __future__ import annotations

import json
import os
import signal
import socket
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from neo4j import GraphDatabase
from neo4j import exceptions as neo4j_errors

from app.graph.arcadedb_child import DATABASE, DEFAULT_GROUPS, READER, put_reader_group
from app.graph.embedded import EmbeddedArcadeDB
from app.graph.lifecycle import open_store
from app.main import create_app
from app.settings import Settings
from seed.load import load
from seed.model import Ontology


def _why_no_native() -> str | None:
    try:
        metadata.version("arcadedb")
    except metadata.PackageNotFoundError:
        return "the native ArcadeDB build is not installed (a dependency: `make install`)"
    try:
        metadata.version("arcadedb-jvm")
    except metadata.PackageNotFoundError:
        return None
    return "arcadedb-jvm is installed beside arcadedb: the `arcadedb` import would be a mix of both"


native = pytest.mark.skipif(_why_no_native() is not None, reason=str(_why_no_native()))

GROUP = {"access": [], "resultSetLimit": 501, "readTimeout": 4000, "types": {"*": {"access": ["readRecord"]}}}
# What the server refuses the read-only user, each a different engine check.
REFUSED = [
    "CREATE (:Canary {id: 'canary'})",
    "MATCH (n:Seed) SET n.touched = true",
    "MATCH (n:Seed) DETACH DELETE n",
    "MERGE (:Canary {id: 'merged'})",
    "CREATE INDEX canary_idx IF NOT EXISTS FOR (n:Canary) ON (n.id)",
    "CREATE CONSTRAINT canary_unique IF NOT EXISTS FOR (n:Canary) REQUIRE n.id IS UNIQUE",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "LOAD CSV FROM 'https://example.org/x.csv' AS line RETURN line",
]


def _groups(root: Path) -> dict[str, object]:
    return json.loads((root / "config" / "server-groups.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_the_reader_group_joins_the_servers_own_groups_file(tmp_path: Path) -> None:
    """No server: a new directory gets the engine's default groups and the reader's; an existing
    file keeps its groups and gets the reader's replaced; an unreadable one is left to the server."""
    assert put_reader_group(str(tmp_path / "new"), GROUP) is True
    written = _groups(tmp_path / "new")
    assert written["databases"] == {**DEFAULT_GROUPS["databases"], DATABASE: {"groups": {READER: GROUP}}}
    config = tmp_path / "config"
    config.mkdir()
    (config / "server-groups.json").write_text("{not json", encoding="utf-8")
    assert put_reader_group(str(tmp_path), GROUP) is False
    admin = {"access": ["updateSecurity"], "types": {"*": {"access": ["readRecord"]}}}
    (config / "server-groups.json").write_text(
        json.dumps({"databases": {"*": {"groups": {"admin": admin}}, DATABASE: {"groups": {READER: {"old": 1}}}}}),
        encoding="utf-8",
    )
    assert put_reader_group(str(tmp_path), GROUP) is True
    groups = _groups(tmp_path)
    assert groups["databases"] == {"*": {"groups": {"admin": admin}}, DATABASE: {"groups": {READER: GROUP}}}


def test_an_unknown_build_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown ArcadeDB build"):
        EmbeddedArcadeDB(tmp_path, build="graal")
    with pytest.raises(ValueError):
        Settings(arcadedb_build="graal")  # type: ignore[arg-type]


def test_the_build_follows_the_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ITSM_ARCADEDB_BUILD", raising=False)
    assert Settings().arcadedb_build == "jvm" and EmbeddedArcadeDB(tmp_path).build == "jvm"  # the default
    monkeypatch.setenv("ITSM_ARCADEDB_BUILD", "native")
    assert EmbeddedArcadeDB(tmp_path).build == "native"
    assert EmbeddedArcadeDB(tmp_path, build="jvm").build == "jvm"  # an explicit build wins


@native
def test_native_start_reader_refusals_and_stop(tmp_path: Path) -> None:
    server = EmbeddedArcadeDB(tmp_path, build="native", heap="256m", reader_timeout_ms=4000, reader_row_limit=501)
    endpoint = server.start()
    root = tmp_path / "arcadedb"
    assert server.process is not None
    pid, bolt = server.process.pid, server.bolt_port
    assert bolt is not None and _port_open(bolt)
    try:
        assert json.loads((root / "server.json").read_text())["pid"] == pid
        # A new directory: the server's own default groups (root's admin) and the reader's beside them.
        groups = _groups(root)["databases"]
        assert "admin" in groups["*"]["groups"]  # type: ignore[index]
        assert groups[DATABASE]["groups"][READER] == GROUP  # type: ignore[index]
        # Started once (the bench's cold start counts these lines), its own log in the data directory.
        assert (root / "server.log").read_text(errors="replace").count("is starting up...") == 1
        assert any((root / "log").glob("arcadedb*.log*"))

        with GraphDatabase.driver(endpoint.uri, auth=(endpoint.user, endpoint.password)) as admin:
            admin.execute_query("CREATE (:Seed {id: 'seed'})", database_=DATABASE)
            # Even root cannot read local files: the database-level settings reached the engine.
            with pytest.raises(neo4j_errors.Neo4jError):
                admin.execute_query("LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line", database_=DATABASE)
            with GraphDatabase.driver(endpoint.uri, auth=endpoint.readonly_auth) as reader:
                records, _, _ = reader.execute_query("MATCH (n:Seed) RETURN n.id AS id", database_=DATABASE)
                assert [r["id"] for r in records] == ["seed"]
                for statement in REFUSED:
                    with pytest.raises(neo4j_errors.Forbidden):
                        reader.execute_query(statement, database_=DATABASE)
            records, _, _ = admin.execute_query(
                "MATCH (n) RETURN count(n) AS nodes, count(n.touched) AS touched", database_=DATABASE
            )
            assert (records[0]["nodes"], records[0]["touched"]) == (1, 0)  # the graph is unchanged
        with (
            GraphDatabase.driver(endpoint.uri, auth=(READER, "not-the-password")) as wrong,
            pytest.raises(neo4j_errors.AuthError),
        ):
            wrong.verify_connectivity()
    finally:
        server.stop()
    assert not (root / "server.json").exists() and not _port_open(bolt)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)

    # Again on the same directory, other limits: the group is updated, the user re-created with
    # the same generated password, the data kept.
    again = EmbeddedArcadeDB(tmp_path, build="native", heap="256m", reader_timeout_ms=3000, reader_row_limit=77)
    second = again.start()
    try:
        assert second.readonly_auth == endpoint.readonly_auth
        group = _groups(root)["databases"][DATABASE]["groups"][READER]  # type: ignore[index]
        assert (group["readTimeout"], group["resultSetLimit"]) == (3000, 77)
        with GraphDatabase.driver(second.uri, auth=second.readonly_auth) as reader:
            records, _, _ = reader.execute_query("MATCH (n:Seed) RETURN count(n) AS c", database_=DATABASE)
            assert records[0]["c"] == 1
        # SIGTERM stops the native child as it stops the JVM one (no signal handler of the engine's).
        assert again.process is not None
        again.process.send_signal(signal.SIGTERM)
        assert again.process.wait(timeout=30) == 0
    finally:
        again.stop()


@native
def test_native_gives_the_reader_the_jvm_builds_group_and_user(tmp_path: Path) -> None:
    entries = {}
    for build in ("jvm", "native"):
        server = EmbeddedArcadeDB(
            tmp_path / build, build=build, heap="256m", reader_timeout_ms=4000, reader_row_limit=501
        )
        server.start()
        server.stop()
        root = tmp_path / build / "arcadedb"
        users = [json.loads(line) for line in (root / "config" / "server-users.jsonl").read_text().splitlines() if line]
        [reader] = [user for user in users if user["name"] == READER]
        entries[build] = (_groups(root), reader["databases"])
    # The whole file alike: the default groups written for a new directory are the engine's own.
    assert entries["native"] == entries["jvm"]
    assert entries["jvm"][0]["databases"][DATABASE] == {"groups": {READER: GROUP}}  # type: ignore[index]
    assert entries["jvm"][1] == {DATABASE: [READER]}


@native
def test_native_with_an_unreadable_groups_file(tmp_path: Path) -> None:
    """The server replaces a corrupt groups file with its defaults at a first start; the reader's
    group goes in after it, and the read-only user is read-only again."""
    config = tmp_path / "arcadedb" / "config"
    config.mkdir(parents=True)
    (config / "server-groups.json").write_text("{not json", encoding="utf-8")
    server = EmbeddedArcadeDB(tmp_path, build="native", heap="256m", reader_timeout_ms=4000, reader_row_limit=501)
    endpoint = server.start()
    try:
        assert _groups(tmp_path / "arcadedb")["databases"][DATABASE]["groups"][READER] == GROUP  # type: ignore[index]
        with GraphDatabase.driver(endpoint.uri, auth=(endpoint.user, endpoint.password)) as admin:
            admin.execute_query("CREATE (:Seed {id: 'seed'})", database_=DATABASE)
        with GraphDatabase.driver(endpoint.uri, auth=endpoint.readonly_auth) as reader:
            with pytest.raises(neo4j_errors.Forbidden):
                reader.execute_query(REFUSED[0], database_=DATABASE)
            records, _, _ = reader.execute_query("MATCH (n:Seed) RETURN count(n) AS c", database_=DATABASE)
            assert records[0]["c"] == 1
    finally:
        server.stop()


@pytest.fixture(scope="module")
def both_builds(tmp_path_factory: pytest.TempPathFactory, ontology: Ontology) -> Iterator[dict[str, TestClient]]:
    """The real ontology loaded into a store of each build; the API over each, answering from the
    store (no graph in memory, no answer cache)."""
    from contextlib import ExitStack

    with ExitStack() as stack:
        clients = {}
        for build in ("jvm", "native"):
            settings = Settings(
                store="embedded",
                data_dir=tmp_path_factory.mktemp(f"data-{build}"),
                embedded_heap="512m",
                arcadedb_build=build,  # type: ignore[arg-type]
                memory_graph_max_relationships=0,
                answer_cache=False,
                cursor_secret="the same page cursors from both",  # type: ignore[arg-type]
            )
            store = stack.enter_context(open_store(settings))
            load(store, ontology)
            clients[build] = stack.enter_context(TestClient(create_app(settings, store=store)))
        yield clients


ANSWERS = [
    "/v1/nodes/practice:problem-management",
    "/v1/nodes/practice:problem-management/neighbors?depth=2&limit=200",
    "/v1/nodes?label=Role&limit=200",
    "/v1/search?q=incident",
    "/v1/paths?from=role:zero-outage:incident-manager&to=practice:problem-management",
    "/v1/roles/role:zero-outage:incident-manager/compare/role:zero-outage:problem-manager",
    "/v1/value-chain",
    "/v1/schema",
    "/v1/nodes/role:nope",
]


def _without_load_time(body: object) -> object:
    """The release's id and load time are the moment each store was loaded: the rest must match."""
    if isinstance(body, dict) and isinstance(body.get("release"), dict):
        release = {k: v for k, v in body["release"].items() if k not in ("id", "loaded_at")}
        return {**body, "release": release}
    return body


@native
@pytest.mark.parametrize("path", ANSWERS)
def test_native_answers_as_the_jvm_build(both_builds: dict[str, TestClient], path: str) -> None:
    jvm, nat = (both_builds[build].get(path) for build in ("jvm", "native"))
    assert (nat.status_code, _without_load_time(nat.json())) == (jvm.status_code, _without_load_time(jvm.json()))


@native
def test_native_ad_hoc_cypher_reads_and_refuses_writes_as_the_jvm_build(both_builds: dict[str, TestClient]) -> None:
    for query in ("MATCH (p:Practice) RETURN p.id AS id ORDER BY id LIMIT 5", "CREATE (:Canary) RETURN 1"):
        jvm, nat = (both_builds[build].post("/v1/cypher", json={"query": query}) for build in ("jvm", "native"))
        assert nat.status_code == jvm.status_code, query
        if jvm.status_code == 200:
            assert nat.json()["rows"] == jvm.json()["rows"]
    assert nat.status_code >= 400  # the write, refused on both
