"""The embedded store's read-only user: created by the child at every start, its password generated
per data directory, its group allowed only to read."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from neo4j import GraphDatabase
from neo4j import exceptions as neo4j_errors

from app.graph.arcadedb_child import READER
from app.graph.embedded import EmbeddedArcadeDB


def test_reader_user_and_group(tmp_path: Path) -> None:
    server = EmbeddedArcadeDB(tmp_path, heap="256m", reader_timeout_ms=4000, reader_row_limit=501)
    endpoint = server.start()
    try:
        secret = tmp_path / "arcadedb" / "reader-password"
        assert stat.S_IMODE(os.stat(secret).st_mode) == 0o600
        assert endpoint.readonly_auth == (READER, secret.read_text().strip())
        assert len(endpoint.readonly_auth[1]) >= 24 and endpoint.readonly_auth[1] != endpoint.password
        assert endpoint.readonly_auth[1] not in repr(endpoint)

        groups = json.loads((tmp_path / "arcadedb" / "config" / "server-groups.json").read_text())
        group = groups["databases"][endpoint.database]["groups"][READER]
        assert group["access"] == []  # no schema, security or settings updates
        assert group["types"] == {"*": {"access": ["readRecord"]}}
        assert (group["readTimeout"], group["resultSetLimit"]) == (4000, 501)

        with GraphDatabase.driver(endpoint.uri, auth=endpoint.readonly_auth) as reader:
            records, _, _ = reader.execute_query("RETURN 1 AS one", database_=endpoint.database)
            assert records[0]["one"] == 1
            with pytest.raises(neo4j_errors.Forbidden, match="not allowed"):
                reader.execute_query("CREATE (:Canary)", database_=endpoint.database)
        # Even the root user cannot read local files: the engine settings reach the database.
        with (
            GraphDatabase.driver(endpoint.uri, auth=(endpoint.user, endpoint.password)) as root,
            pytest.raises(neo4j_errors.Neo4jError),
        ):
            root.execute_query("LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line", database_=endpoint.database)
        with (
            GraphDatabase.driver(endpoint.uri, auth=(READER, "not-the-password")) as wrong,
            pytest.raises(neo4j_errors.AuthError),
        ):
            wrong.verify_connectivity()
    finally:
        server.stop()

    again = EmbeddedArcadeDB(tmp_path, heap="256m")
    second = again.start()
    try:
        assert second.readonly_auth == endpoint.readonly_auth  # the same generated secret, user re-created
        with GraphDatabase.driver(second.uri, auth=second.readonly_auth) as reader:
            reader.verify_connectivity()
    finally:
        again.stop()
