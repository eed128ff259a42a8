"""The one seam between the service and a graph store: Neo4j 5 or the embedded ArcadeDB, both over
Bolt with the official `neo4j` driver and the same named Cypher files."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, TypeVar

import neo4j
from neo4j import GraphDatabase, RoutingControl
from neo4j import exceptions as neo4j_errors

from app import context
from app.errors import QueryTimeout as QueryTimeout
from app.errors import StoreUnavailable as StoreUnavailable
from app.graph.dialect import AWAIT_INDEXES_TIMEOUT_S, Dialect
from app.graph.errors import UNAVAILABLE as UNAVAILABLE
from app.graph.errors import translate_errors
from app.graph.queries import QueryRegistry

Row = dict[str, Any]
T = TypeVar("T")
RETRY_FIRST_S, RETRY_MAX_S = 0.2, 1.0  # pauses between attempts: 0.2, 0.4, 0.8, 1, 1, ...


class _Drivers:
    """The drivers every call starts with; replaced as a pair when the store moves or restarts,
    and closed once the last call that took them has finished (closing a driver in use is
    unspecified behaviour)."""

    def __init__(self, main: neo4j.Driver, readonly: neo4j.Driver | None):
        self.main, self.readonly = main, readonly
        self.users = 0
        self.retired = False

    def close(self) -> None:
        self.main.close()
        if self.readonly is not None:
            self.readonly.close()


class GraphStore:
    def __init__(
        self,
        driver: neo4j.Driver,
        database: str,
        dialect: Dialect,
        queries: QueryRegistry,
        *,
        timeout_s: float,
        readonly_driver: neo4j.Driver | None = None,
        uri: str | None = None,
        auth: tuple[str, str] | None = None,
        readonly_auth: tuple[str, str] | None = None,
        driver_options: dict[str, Any] | None = None,
        write_timeout_s: float | None = None,
        retry_s: float = 3.0,
    ):
        self._drivers = _Drivers(driver, readonly_driver)  # readonly: a user the engine lets only read
        self._swap = threading.Lock()
        self.database = database
        self.dialect = dialect
        self.queries = queries
        self.timeout_s = timeout_s
        self.write_timeout_s = write_timeout_s  # of write_transaction(); None: the store's own limit
        self.retry_s = retry_s  # how long run_read/run_write retry a store that is unreachable or busy
        self.started_in_s: float | None = None  # embedded server start time, when this process started it
        # How the drivers were opened (tests open a second path to the same store with these).
        self.uri, self.auth, self.readonly_auth = uri, auth, readonly_auth
        self.driver_options = driver_options or {}
        # Set by a supervisor while it knows the store cannot answer (dead, restarting, hung): every
        # call then fails at once with this reason instead of waiting on connections and retries.
        self.down_reason: str | None = None

    @classmethod
    def connect(
        cls,
        uri: str,
        auth: tuple[str, str],
        database: str,
        dialect: Dialect,
        queries: QueryRegistry,
        *,
        timeout_s: float,
        readonly_auth: tuple[str, str] | None = None,
        retry_s: float = 3.0,
        connection_timeout_s: float = 5.0,
        acquisition_timeout_s: float = 10.0,
        write_timeout_s: float | None = None,
    ) -> GraphStore:
        options: dict[str, Any] = {
            "connection_timeout": connection_timeout_s,
            "connection_acquisition_timeout": max(acquisition_timeout_s, connection_timeout_s),
            # The store retries itself (_retrying), so that a supervisor's verdict ends the wait.
            "max_transaction_retry_time": 0,
        }
        driver = GraphDatabase.driver(uri, auth=auth, **options)
        readonly = GraphDatabase.driver(uri, auth=readonly_auth, **options) if readonly_auth else None
        return cls(
            driver,
            database,
            dialect,
            queries,
            timeout_s=timeout_s,
            readonly_driver=readonly,
            uri=uri,
            auth=auth,
            readonly_auth=readonly_auth,
            driver_options=options,
            write_timeout_s=write_timeout_s,
            retry_s=retry_s,
        )

    @property
    def driver(self) -> neo4j.Driver:
        return self._drivers.main

    @property
    def readonly_driver(self) -> neo4j.Driver | None:
        return self._drivers.readonly

    def replace_drivers(self, uri: str | None = None) -> None:
        """Open new drivers (to `uri`, or the same address) for every call from now on, e.g. after
        the embedded server restarted: no pooled connection to the old process is reused. The old
        drivers close when the last call still using them ends. Safe under concurrent calls."""
        target = uri or self.uri
        assert target is not None and self.auth is not None, "only a store opened by connect() can reconnect"
        main = GraphDatabase.driver(target, auth=self.auth, **self.driver_options)
        readonly = (
            GraphDatabase.driver(target, auth=self.readonly_auth, **self.driver_options) if self.readonly_auth else None
        )
        with self._swap:
            old, self._drivers, self.uri = self._drivers, _Drivers(main, readonly), target
            old.retired = True
            idle = old.users == 0
        if idle:
            old.close()

    @contextmanager
    def _using(self) -> Iterator[_Drivers]:
        """The current drivers, held for one call; fails fast while the store is known down."""
        reason = self.down_reason
        if reason is not None:
            raise StoreUnavailable(reason)
        with self._swap:
            drivers = self._drivers
            drivers.users += 1
        try:
            yield drivers
        finally:
            with self._swap:
                drivers.users -= 1
                last = drivers.retired and drivers.users == 0
            if last:
                drivers.close()

    def _retrying(self, work: Callable[[_Drivers], T]) -> T:
        """Run `work` again while it fails with a retryable error (unreachable, session expired,
        transient), for up to `retry_s`. Unlike the driver's own retries, every pause ends as soon
        as a supervisor marks the store down, and the next attempt then fails at once."""
        deadline = time.monotonic() + self.retry_s
        pause = RETRY_FIRST_S
        while True:
            with self._using() as drivers:
                try:
                    return work(drivers)
                except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
                    if not exc.is_retryable() or time.monotonic() + pause > deadline:
                        raise
            until = time.monotonic() + pause
            while time.monotonic() < until and self.down_reason is None:
                time.sleep(0.05)
            pause = min(pause * 2, RETRY_MAX_S)

    def close(self) -> None:
        with self._swap:
            self._drivers.retired = True
            idle = self._drivers.users == 0
        if idle:
            self._drivers.close()

    @property
    def has_readonly_path(self) -> bool:
        """Whether the engine itself refuses writes on `readonly_session()`: a read-only user, or
        a store that honours the READ access mode (Neo4j). Ad-hoc Cypher is refused otherwise."""
        return self.readonly_driver is not None or self.dialect.honours_read_routing

    def readonly_session(self, *, fetch_size: int = 1000) -> AbstractContextManager[neo4j.Session]:
        """A READ access-mode session, as the read-only user when one is configured (use it in `with`)."""
        return self._readonly_session(fetch_size)

    @contextmanager
    def _readonly_session(self, fetch_size: int) -> Iterator[neo4j.Session]:
        with self._using() as drivers:
            driver = drivers.readonly or drivers.main
            with driver.session(
                database=self.database, default_access_mode=neo4j.READ_ACCESS, fetch_size=fetch_size
            ) as session:
                yield session

    def ping(self) -> None:
        with translate_errors(), self._using() as drivers:
            drivers.main.verify_connectivity()

    def run_read(self, text: str, params: dict[str, Any] | None = None, *, timeout_s: float | None = None) -> list[Row]:
        query = neo4j.Query(text, timeout=timeout_s or self.timeout_s)
        with context.store_time(), translate_errors():
            records, _, _ = self._retrying(
                lambda drivers: drivers.main.execute_query(
                    query, params or {}, database_=self.database, routing_=RoutingControl.READ
                )
            )
        return [record.data() for record in records]

    def read(self, name: str, **params: Any) -> list[Row]:
        """Run the named read query from cypher/ on the read path."""
        query = self.queries[name]
        missing = set(query.parameters) - set(params)
        if missing:
            raise TypeError(f"{name}.cypher needs parameters {sorted(missing)}")
        return self.run_read(query.text, params)

    def read_one(self, name: str, **params: Any) -> Row | None:
        rows = self.read(name, **params)
        return rows[0] if rows else None

    def run_write(
        self, text: str, params: dict[str, Any] | None = None, *, timeout_s: float | None = None
    ) -> neo4j.SummaryCounters:
        """One auto-committed write; without `timeout_s` the store's own transaction timeout applies."""
        query = neo4j.Query(text, timeout=timeout_s) if timeout_s else text
        with context.store_time(), translate_errors():
            _, summary, _ = self._retrying(
                lambda drivers: drivers.main.execute_query(
                    query, params or {}, database_=self.database, routing_=RoutingControl.WRITE
                )
            )
        return summary.counters

    def apply_schema(self) -> None:
        """Create the constraints and indexes of cypher/schema.cypher (idempotent), the statements
        this store accepts, and wait for them where the store builds indexes in the background."""
        schema_text = (self.queries.directory / "schema.cypher").read_text(encoding="utf-8")
        for statement in self.dialect.schema_statements(schema_text):
            self.run_write(statement)
        if self.dialect.await_indexes:
            self.run_write(self.dialect.await_indexes, timeout_s=AWAIT_INDEXES_TIMEOUT_S)

    @contextmanager
    def write_transaction(self) -> Iterator[neo4j.Transaction]:
        """One explicit write transaction: committed when the block ends, rolled back on any error;
        bounded by `write_timeout_s` when set."""
        with translate_errors(), self._using() as drivers, drivers.main.session(database=self.database) as session:
            tx = session.begin_transaction(timeout=self.write_timeout_s)
            try:
                yield tx
                tx.commit()
            finally:
                if tx.closed() is False:
                    tx.rollback()
