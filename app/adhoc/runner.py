"""Analysts' ad-hoc Cypher: read-only by construction, bounded, and the same on both stores.

Three layers keep a query from changing anything, each able to stop a write on its own:

1. The engine's own permission. Queries run in a READ access-mode session as a user the engine
   lets only read: the embedded ArcadeDB's `itsm_reader` (created by the child process at every
   start), or on Neo4j an optional read-only user (NEO4J_READONLY_USER) and, since Neo4j honours
   it, the READ access mode itself, checked beforehand with `EXPLAIN` (query type must be `r`).
   ArcadeDB ignores access modes and calls every query a write in `EXPLAIN`, so there the user is
   the layer; without one, ad-hoc Cypher is refused.
2. The token-level gate (app/adhoc/gate.py).
3. An explicit transaction that is always rolled back, after checking that the query reported
   no updates (`contains_updates` / `contains_system_updates`, query type).

Bounds: a deadline (the driver's transaction timeout, the reader group's `readTimeout` on
ArcadeDB, and a watchdog here that abandons the connection when neither has answered), a row cap
(`limit`+1 rows are fetched, then the rest is discarded and `truncated` is set), a cap on the
bytes of serialised rows, a maximum query length and parameter size, and a maximum number of
queries running at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, Literal, cast

import neo4j
from neo4j import exceptions as neo4j_errors

from app.adhoc import gate
from app.adhoc.errors import EXPLAIN, from_gate, outcome, unshifted
from app.adhoc.models import CypherResult
from app.adhoc.saved import SavedQuery, SavedQueryError
from app.adhoc.values import check_parameters, endpoints, json_size, resolve, to_json
from app.errors import Busy, InvalidInput, QueryInvalid, QueryRefused, QueryTimeout
from app.graph.errors import translate
from app.graph.store import GraphStore
from app.settings import Settings

audit_log = logging.getLogger("itsm_ontology.audit")

WATCHDOG_GRACE_S = 1.0  # the store's own timeout normally answers first
WRITING_QUERY_TYPES = {"w", "rw", "s"}


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 10.0
    default_rows: int = 1000
    max_rows: int = 10000
    max_response_bytes: int = 5_000_000
    max_query_chars: int = 20_000
    max_parameter_bytes: int = 100_000
    max_concurrent: int = 4

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            timeout_s=settings.cypher_timeout_s,
            default_rows=min(settings.cypher_default_rows, settings.cypher_max_rows),
            max_rows=settings.cypher_max_rows,
            max_response_bytes=settings.cypher_max_response_bytes,
            max_query_chars=settings.cypher_max_query_chars,
            max_parameter_bytes=settings.cypher_max_parameter_bytes,
            max_concurrent=settings.cypher_max_concurrent,
        )


@dataclass
class _Job:
    """One query on its own thread, so that the caller can stop waiting at the deadline."""

    store: GraphStore
    text: str
    parameters: dict[str, Any]
    limit: int
    limits: Limits
    done: threading.Event = field(default_factory=threading.Event)
    result: CypherResult | None = None
    error: BaseException | None = None
    session: neo4j.Session | None = None

    def run(self, release: Callable[[], None]) -> None:
        try:
            self.result = self._execute()
        except BaseException as exc:  # handed to the waiting thread
            self.error = translate(exc, callers_query=True, timeout_s=self.limits.timeout_s)
        finally:
            release()
            self.done.set()

    def abort(self) -> None:
        """Give up on the query: close its connection so the worker thread and the server stop
        waiting for each other (best effort; relies on the driver's Session._connection)."""
        connection = getattr(self.session, "_connection", None)
        kill = getattr(connection, "kill", None)
        if callable(kill):
            with suppress(Exception):
                kill()

    def _execute(self) -> CypherResult:
        timeout = self.limits.timeout_s
        with self.store.readonly_session(fetch_size=min(self.limit + 1, 1000)) as session:
            self.session = session
            if self.store.dialect.explain_reports_query_type:  # Neo4j: the planner's verdict first
                try:
                    planned = session.run(neo4j.Query(EXPLAIN + self.text, timeout=timeout), self.parameters)
                    kind = planned.consume().query_type
                except neo4j_errors.CypherSyntaxError as exc:
                    raise unshifted(exc) from exc
                if kind != "r":
                    raise QueryRefused(f"the store plans this query as type {kind!r}, not read-only", layer="engine")
            tx = session.begin_transaction(timeout=timeout)
            try:
                return self._stream(tx)
            finally:
                if not tx.closed():
                    tx.rollback()  # always: nothing an ad-hoc query did may last

    def _stream(self, tx: neo4j.Transaction) -> CypherResult:
        result = tx.run(self.text, self.parameters)
        columns = list(result.keys())
        rows: list[list[Any]] = []
        size, truncated_by = 0, cast(Literal["rows", "bytes"] | None, None)
        for record in result:
            if len(rows) == self.limit:
                truncated_by = "rows"
                break
            row = [to_json(value) for value in record.values()]
            size += json_size(row)
            if size > self.limits.max_response_bytes:
                truncated_by = "bytes"
                break
            rows.append(row)
        summary = result.consume()  # after a cut-off: discards the rest
        counters = summary.counters
        if counters.contains_updates or counters.contains_system_updates:
            raise QueryRefused("the query changed the graph; the change was rolled back", layer="backstop")
        if summary.query_type in WRITING_QUERY_TYPES:
            raise QueryRefused(f"the store ran this as a {summary.query_type!r} query; rolled back", layer="backstop")
        pending = {e.element_id for row in rows for e in endpoints(row)}
        if pending:
            found = tx.run(self.store.queries["adhoc/node_ids"].text, {"ids": sorted(pending)})
            ids = {r["element_id"]: r["id"] for r in found if r["id"] is not None}
            rows = [resolve(row, ids) for row in rows]
        return CypherResult(
            columns=columns,
            rows=rows,
            row_count=len(rows),
            truncated=truncated_by is not None,
            truncated_by=truncated_by,
            limit=self.limit,
            elapsed_ms=0.0,
        )


class AdhocRunner:
    """Runs analysts' queries (and saved queries) on the read-only path; one per store."""

    def __init__(self, store: GraphStore, limits: Limits):
        self.store = store
        self.limits = limits
        self._slots = threading.BoundedSemaphore(limits.max_concurrent)

    def run(
        self,
        query: str,
        parameters: dict[str, Any] | None = None,
        *,
        limit: int | None = None,
        who: str = "anonymous",
        saved: str | None = None,
    ) -> CypherResult:
        """Gate, run and bound one query; one audit line whatever happens."""
        started = time.monotonic()
        audit: dict[str, Any] = {
            "ts": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            "event": "cypher",
            "who": who,
            "saved": saved,
            "query_sha256": hashlib.sha256(query.encode("utf-8")).hexdigest(),
        }
        try:
            text = self._gate(query)
            result = self.execute_unchecked(text, parameters or {}, limit=limit)
        except BaseException as exc:
            audit.update(outcome(exc))
            audit["elapsed_ms"] = round((time.monotonic() - started) * 1000, 1)
            audit_log.info(json.dumps(audit))
            raise
        result.elapsed_ms = round((time.monotonic() - started) * 1000, 1)
        audit.update(outcome="ok", refused=False, rows=len(result.rows), truncated=result.truncated)
        audit["elapsed_ms"] = result.elapsed_ms
        audit_log.info(json.dumps(audit))
        return result

    def run_saved(
        self, query: SavedQuery, given: dict[str, Any], *, limit: int | None = None, who: str = "anonymous"
    ) -> CypherResult:
        """A saved query with the caller's parameter values (checked against its declarations)."""
        try:
            parameters = query.bind(given)
        except SavedQueryError as exc:
            raise InvalidInput(str(exc)) from exc
        return self.run(query.text, parameters, limit=limit, who=who, saved=query.name)

    def _gate(self, query: str) -> str:
        try:
            return gate.check(query, max_chars=self.limits.max_query_chars)
        except gate.GateRefusal as exc:
            raise from_gate(exc) from exc

    def execute_unchecked(self, text: str, parameters: dict[str, Any], *, limit: int | None = None) -> CypherResult:
        """Layers 1 and 3 without the gate: for text the gate has passed, and for tests that show
        the other layers hold on their own."""
        rows = min(limit or self.limits.default_rows, self.limits.max_rows)
        if rows < 1:
            raise QueryInvalid("limit must be at least 1")
        check_parameters(parameters, max_bytes=self.limits.max_parameter_bytes)
        if not self.store.has_readonly_path:
            raise QueryRefused(
                "this store has no read-only user configured, and it ignores the READ access mode", layer="engine"
            )
        if not self._slots.acquire(timeout=0.5):
            raise Busy(f"{self.limits.max_concurrent} ad-hoc queries are already running; retry shortly")
        job = _Job(self.store, text, parameters, rows, self.limits)
        worker = threading.Thread(target=job.run, args=(self._slots.release,), name="adhoc-cypher", daemon=True)
        try:
            worker.start()
        except BaseException:
            self._slots.release()
            raise
        if not job.done.wait(self.limits.timeout_s + WATCHDOG_GRACE_S):
            job.abort()
            limit_s = self.limits.timeout_s
            raise QueryTimeout(f"the query ran past the ad-hoc time limit of {limit_s:g}s", limit_s=limit_s)
        if job.error is not None:
            raise job.error
        assert job.result is not None
        return job.result


def api_key_id(key: str) -> str:
    """How the audit log names a caller: a short hash of the key, never the key."""
    return "key:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
