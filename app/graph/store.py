"""The one seam between the service and a graph store: Neo4j 5 or the embedded ArcadeDB, both over
Bolt with the official `neo4j` driver and the same named Cypher files."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import neo4j
from neo4j import GraphDatabase, RoutingControl
from neo4j import exceptions as neo4j_errors

from app.graph.dialect import Dialect
from app.graph.queries import QueryRegistry

Row = dict[str, Any]


class StoreUnavailable(Exception):
    """The store cannot be reached (HTTP 503)."""


class QueryTimeout(Exception):
    """The store stopped a query at its time limit."""


UNAVAILABLE = (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError)


@contextmanager
def translate_errors() -> Iterator[None]:
    try:
        yield
    except UNAVAILABLE as exc:
        raise StoreUnavailable(str(exc) or type(exc).__name__) from exc
    except neo4j_errors.TransientError as exc:  # still failing after the driver's own retries
        raise StoreUnavailable(exc.message or str(exc)) from exc
    except neo4j_errors.ClientError as exc:
        code = exc.code or ""
        if "TransactionTimedOut" in code or "Timeout" in code:
            raise QueryTimeout(exc.message or str(exc)) from exc
        raise


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
    ):
        self.driver = driver
        self.database = database
        self.dialect = dialect
        self.queries = queries
        self.timeout_s = timeout_s
        self.readonly_driver = readonly_driver  # logged in as a user the engine lets only read
        self.started_in_s: float | None = None  # embedded server start time, when this process started it
        # How the drivers were opened (tests open a second path to the same store with these).
        self.uri, self.auth, self.readonly_auth = uri, auth, readonly_auth

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
    ) -> GraphStore:
        options: dict[str, Any] = {
            "connection_timeout": 5.0,
            "connection_acquisition_timeout": 10.0,
            "max_transaction_retry_time": retry_s,
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
        )

    def close(self) -> None:
        self.driver.close()
        if self.readonly_driver is not None:
            self.readonly_driver.close()

    @property
    def has_readonly_path(self) -> bool:
        """Whether the engine itself refuses writes on `readonly_session()`: a read-only user, or
        a store that honours the READ access mode (Neo4j). Ad-hoc Cypher is refused otherwise."""
        return self.readonly_driver is not None or self.dialect.honours_read_routing

    def readonly_session(self, *, fetch_size: int = 1000) -> neo4j.Session:
        """A READ access-mode session, as the read-only user when one is configured."""
        driver = self.readonly_driver or self.driver
        return driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS, fetch_size=fetch_size)

    def ping(self) -> None:
        with translate_errors():
            self.driver.verify_connectivity()

    def run_read(self, text: str, params: dict[str, Any] | None = None, *, timeout_s: float | None = None) -> list[Row]:
        with translate_errors():
            records, _, _ = self.driver.execute_query(
                neo4j.Query(text, timeout=timeout_s or self.timeout_s),
                params or {},
                database_=self.database,
                routing_=RoutingControl.READ,
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
        with translate_errors():
            _, summary, _ = self.driver.execute_query(
                query, params or {}, database_=self.database, routing_=RoutingControl.WRITE
            )
        return summary.counters

    @contextmanager
    def write_transaction(self) -> Iterator[neo4j.Transaction]:
        """One explicit write transaction: committed when the block ends, rolled back on any error."""
        with translate_errors(), self.driver.session(database=self.database) as session:
            tx = session.begin_transaction()
            try:
                yield tx
                tx.commit()
            finally:
                if tx.closed() is False:
                    tx.rollback()
