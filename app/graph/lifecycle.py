"""Open the configured store for the lifetime of a process (the API, a CLI command, a test session)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from app.graph.dialect import Dialect
from app.graph.embedded import EmbeddedArcadeDB
from app.graph.queries import QueryRegistry
from app.graph.store import GraphStore
from app.settings import Settings


@contextmanager
def open_store(settings: Settings, *, on_start: str = "") -> Iterator[GraphStore]:
    """Yield a connected store. The embedded server is started (or an already running one on the
    same data directory is reused) and stopped again if this call started it."""
    queries = QueryRegistry(settings.cypher_dir)
    server: EmbeddedArcadeDB | None = None
    if settings.store == "embedded":
        embedded = EmbeddedArcadeDB(
            settings.data_dir,
            heap=settings.embedded_heap,
            start_timeout_s=settings.embedded_start_timeout_s,
            command_timeout_ms=int(max(settings.query_timeout_s, 60.0) * 1000),
            reader_timeout_ms=int(settings.cypher_timeout_s * 1000),
            reader_row_limit=settings.cypher_max_rows + 1,
        )
        endpoint = embedded.running_elsewhere()
        if endpoint is None:
            endpoint = embedded.start()
            server = embedded
        uri, auth, database = endpoint.uri, (endpoint.user, endpoint.password), endpoint.database
        readonly_auth = endpoint.readonly_auth
    else:
        assert settings.neo4j_uri is not None
        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
        uri, auth, database = settings.neo4j_uri, (settings.neo4j_user, password), settings.neo4j_database
        readonly_auth = None
        if settings.neo4j_readonly_user:
            secret = settings.neo4j_readonly_password
            readonly_auth = (settings.neo4j_readonly_user, secret.get_secret_value() if secret else "")
    store = GraphStore.connect(
        uri,
        auth,
        database,
        Dialect(settings.store),
        queries,
        timeout_s=settings.query_timeout_s,
        readonly_auth=readonly_auth,
        retry_s=settings.store_retry_s,
    )
    store.started_in_s = server.start_seconds if server else None
    try:
        yield store
    finally:
        store.close()
        if server is not None:
            server.stop()
