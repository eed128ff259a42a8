"""Open the configured store for the lifetime of a process (the API, a CLI command, a test session)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from app.graph.dialect import Dialect
from app.graph.embedded import EmbeddedArcadeDB
from app.graph.queries import QueryRegistry
from app.graph.store import GraphStore
from app.graph.supervisor import Supervisor
from app.settings import Settings


def _embedded(settings: Settings) -> EmbeddedArcadeDB:
    return EmbeddedArcadeDB(
        settings.data_dir,
        heap=settings.embedded_heap,
        start_timeout_s=settings.embedded_start_timeout_s,
        command_timeout_ms=int(max(settings.query_timeout_s, 60.0) * 1000),
        reader_timeout_ms=int(settings.cypher_timeout_s * 1000),
        reader_row_limit=settings.cypher_max_rows + 1,
        build=settings.arcadedb_build,
    )


@contextmanager
def _opened(settings: Settings) -> Iterator[tuple[GraphStore, EmbeddedArcadeDB | None]]:
    """A connected store, and the embedded server handle (None for Neo4j). The server is started
    (or one already running on the same data directory is reused) and stopped again at the end
    if this process runs it by then."""
    queries = QueryRegistry(settings.cypher_dir)
    embedded: EmbeddedArcadeDB | None = None
    if settings.store == "embedded":
        embedded = _embedded(settings)
        endpoint = embedded.running_elsewhere() or embedded.start()
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
    try:
        store = GraphStore.connect(
            uri,
            auth,
            database,
            Dialect(settings.store),
            queries,
            timeout_s=settings.query_timeout_s,
            readonly_auth=readonly_auth,
            retry_s=settings.store_retry_s,
            connection_timeout_s=settings.store_connection_timeout_s,
            acquisition_timeout_s=settings.store_acquisition_timeout_s,
            write_timeout_s=settings.store_write_timeout_s,
        )
    except BaseException:
        if embedded is not None:
            embedded.stop()
        raise
    store.started_in_s = embedded.start_seconds if embedded else None
    try:
        yield store, embedded
    finally:
        store.close()
        if embedded is not None:
            embedded.stop()  # a no-op unless this process runs the child (started it, or took over)


@contextmanager
def open_store(settings: Settings, *, on_start: str = "") -> Iterator[GraphStore]:
    """Yield a connected store. The embedded server is started (or an already running one on the
    same data directory is reused) and stopped again if this call started it."""
    with _opened(settings) as (store, _):
        yield store


@contextmanager
def supervised_store(settings: Settings, store: GraphStore | None = None) -> Iterator[tuple[GraphStore, Supervisor]]:
    """The API's store under a supervisor (app/graph/supervisor.py) for as long as the block runs.
    With `store` given (tests), that store is watched and reported on, never restarted."""
    if store is not None:
        supervisor = Supervisor(store, settings, None)
        supervisor.start()
        try:
            yield store, supervisor
        finally:
            supervisor.stop()
        return
    with _opened(settings) as (opened, embedded):
        supervisor = Supervisor(opened, settings, embedded)
        supervisor.start()
        try:
            yield opened, supervisor
        finally:
            supervisor.stop()


def load_if_out_of_date(store: GraphStore, settings: Settings) -> str:
    """Validate the ontology and load it unless the store already holds this very release: the
    files unchanged since the latest release was loaded from them (seed/fingerprint.py: nothing
    validated), or the same content hash. What `serve --load` does before the first request, on
    the store the service itself started, so that `make run` starts the embedded store once.
    Returns what it did, for the log; raises OntologyInvalid (nothing written) or the store's errors."""
    from seed.fingerprint import files_fingerprint, remember
    from seed.importers.assemble import read_all
    from seed.load import load, unchanged_release

    started = time.monotonic()
    where = settings.loads_into
    limits = settings.load_limits
    fingerprint = files_fingerprint(settings.ontology_dir, settings.organisations_path, limits)
    unchanged = unchanged_release(store, fingerprint)
    if unchanged is not None:
        remember(*where, fingerprint)
        return (
            f"release {unchanged.get('version')} ({str(unchanged.get('content_hash'))[:12]}) already loaded "
            f"from these very files: not validated again ({time.monotonic() - started:.1f}s)"
        )
    ontology = read_all(settings.ontology_dir, settings.organisations_path, limits)  # as `load` reads
    report = load(store, ontology, fingerprint=fingerprint, batch_size=settings.load_batch_size)
    remember(*where, fingerprint)
    if report.up_to_date:  # the same content from other bytes: the fingerprint is now noted on it
        return f"release {(report.release or {}).get('version')} ({ontology.content_hash[:12]}) already loaded"
    return (
        f"loaded {len(ontology.nodes)} nodes and {len(ontology.relationships)} relationships "
        f"({report.plan.writes} writes) in {time.monotonic() - started:.1f}s"
    )
