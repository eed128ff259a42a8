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
from collections.abc import Callable, Container
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, Literal, cast

import neo4j
from neo4j import exceptions as neo4j_errors

from app import context, metrics
from app.adhoc import gate
from app.adhoc.errors import EXPLAIN, from_gate, outcome, unshifted
from app.adhoc.models import CypherResult
from app.adhoc.saved import SavedQuery, SavedQueryError
from app.adhoc.values import check_parameters, check_text, endpoints, json_size, resolve, to_json
from app.context import request_id
from app.errors import Busy, InvalidInput, NotFound, QueryInvalid, QueryRefused, QueryTimeout
from app.graph.errors import translate
from app.graph.store import GraphStore
from app.settings import Settings

audit_log = logging.getLogger("itsm_ontology.audit")
log = logging.getLogger("itsm_ontology.adhoc")

WATCHDOG_GRACE_S = 1.0  # the store's own timeout normally answers first
ABORT_GRACE_S = 2.0  # after closing its connection, how long a worker may take to stop
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
    _answer: CypherResult | None = None  # the complete answer, once there is one
    _primary: BaseException | None = None  # the query's own error, kept from cleanup errors

    def run(self, release: Callable[[], None]) -> None:
        try:
            self.result = self._execute()
        except BaseException as exc:  # handed to the waiting thread
            if self._answer is not None and self._primary is None:
                # The answer was complete; only closing the session failed. Drop the connection so
                # that the store ends the (read-only, already checked) transaction itself.
                log.warning("closing an ad-hoc session failed after the answer: %s", exc)
                self.abort()
                self.result = self._answer
            else:  # the query's own error, never one raised while cleaning up after it
                self.error = translate(self._primary or exc, callers_query=True, timeout_s=self.limits.timeout_s)
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
        with self.store.readonly_session(fetch_size=min(self.limit + 1, 1000)) as session:
            self.session = session
            try:
                self._answer = self._in_session(session)
            except BaseException as exc:
                self._primary = exc
                raise
            return self._answer

    def _in_session(self, session: neo4j.Session) -> CypherResult:
        timeout = self.limits.timeout_s
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
            answer = self._stream(tx)
        except BaseException:
            self._rollback(tx)  # quietly: the query's own error is the one to report
            raise
        if not self._rollback(tx):
            self.abort()  # the store ends a transaction whose connection is gone
        return answer

    def _rollback(self, tx: neo4j.Transaction) -> bool:
        """Always roll back: nothing an ad-hoc query did may last. False when rolling back failed
        (a broken connection, a result that failed), which is logged and never hides an answer or
        the query's own error."""
        if tx.closed():
            return True
        try:
            tx.rollback()
        except Exception as exc:
            log.info("rolling back an ad-hoc transaction failed: %s", exc)
            return False
        return True

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
        self._lock = threading.Lock()
        self._abandoned: set[int] = set()
        self._held = 0  # slots taken and not yet given back

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
            "query_sha256": hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest(),
            "request_id": request_id(),
        }
        try:
            check_text(query, what="the query")
            text = self._gate(query)
            result = self.execute_unchecked(text, parameters or {}, limit=limit)
        except BaseException as exc:
            audit.update(outcome(exc))
            audit["elapsed_ms"] = round((time.monotonic() - started) * 1000, 1)
            audit_log.info(json.dumps(audit))
            metrics.ADHOC_QUERIES.labels(outcome=str(audit.get("outcome", "error"))).inc()
            if audit.get("refused"):
                metrics.adhoc_refused(str(audit.get("layer", "refused")))
            raise
        metrics.ADHOC_QUERIES.labels(outcome="ok").inc()
        result.elapsed_ms = round((time.monotonic() - started) * 1000, 1)
        audit.update(outcome="ok", refused=False, rows=len(result.rows), truncated=result.truncated)
        audit["elapsed_ms"] = result.elapsed_ms
        audit_log.info(json.dumps(audit))
        return result

    def run_saved(
        self,
        query: SavedQuery,
        given: dict[str, Any],
        *,
        limit: int | None = None,
        who: str = "anonymous",
        known: Container[str] | None = None,
    ) -> CypherResult:
        """A saved query with the caller's parameter values (checked against its declarations).
        `known`: the release's node ids when held in memory (app/services/memory.py), so that the
        id check costs no store call."""
        try:
            parameters = query.bind(given)
        except SavedQueryError as exc:
            raise InvalidInput(str(exc)) from exc
        self.check_ids(query, parameters, known=known)
        return self.run(query.text, parameters, limit=limit, who=who, saved=query.name)

    def check_ids(self, query: SavedQuery, parameters: dict[str, Any], *, known: Container[str] | None = None) -> None:
        """NotFound (404) when an `id` parameter names no node, rather than an empty answer."""
        ids = query.ids(parameters)
        if not ids:
            return
        for value in ids.values():
            check_text(value, what="an id parameter")
        if known is not None:
            found = {value for value in ids.values() if value in known}
        else:
            found = {row["id"] for row in self.store.read("adhoc/known_ids", ids=sorted(set(ids.values())))}
        for name, value in ids.items():
            if value not in found:
                raise NotFound(f"node (parameter {name!r} of {query.name})", value)

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
        with self._lock:
            stuck = len(self._abandoned)
        if stuck >= self.limits.max_concurrent:
            raise Busy(f"{stuck} abandoned ad-hoc queries have not stopped yet; retry shortly")
        if not self._slots.acquire(timeout=0.5):
            raise Busy(f"{self.limits.max_concurrent} ad-hoc queries are already running; retry shortly")
        slot = _Slot(self)
        job = _Job(self.store, text, parameters, rows, self.limits)
        worker = threading.Thread(target=job.run, args=(slot.release,), name="adhoc-cypher", daemon=True)
        try:
            worker.start()
        except BaseException:
            slot.release()
            raise
        waited = time.perf_counter()
        try:
            return self._wait(job, slot)
        finally:
            context.add_store_time(time.perf_counter() - waited)  # the query ran on the store meanwhile

    def _wait(self, job: _Job, slot: _Slot) -> CypherResult:
        if not job.done.wait(self.limits.timeout_s + WATCHDOG_GRACE_S):
            job.abort()
            if not job.done.wait(ABORT_GRACE_S):
                self._abandon(job, slot)
            limit_s = self.limits.timeout_s
            raise QueryTimeout(f"the query ran past the ad-hoc time limit of {limit_s:g}s", limit_s=limit_s)
        if job.error is not None:
            raise job.error
        assert job.result is not None
        return job.result

    def _abandon(self, job: _Job, slot: _Slot) -> None:
        """A worker that did not stop even with its connection closed gives its slot back now; it
        is counted until it ends, and while as many are stuck as there are slots, no query starts."""
        log.warning("an ad-hoc query did not stop after its connection was closed; its slot is released")
        with self._lock:
            self._abandoned.add(id(job))
        slot.release()

        def forget() -> None:
            job.done.wait()
            with self._lock:
                self._abandoned.discard(id(job))

        threading.Thread(target=forget, name="adhoc-abandoned", daemon=True).start()

    @property
    def free_slots(self) -> int:
        """Slots no query holds (for tests and metrics)."""
        with self._lock:
            return self.limits.max_concurrent - self._held

    @property
    def abandoned(self) -> int:
        with self._lock:
            return len(self._abandoned)


class _Slot:
    """One concurrency slot (already acquired), given back exactly once by whichever path ends first."""

    def __init__(self, runner: AdhocRunner):
        self._runner = runner
        self._held = True
        with runner._lock:
            runner._held += 1

    def release(self) -> None:
        runner = self._runner
        with runner._lock:
            if not self._held:
                return
            self._held = False
            runner._held -= 1
        runner._slots.release()
