"""Analysts' ad-hoc Cypher: read-only by construction, bounded, and the same on both stores.

Three layers keep a query from changing anything, each able to stop a write on its own:

1. The engine's own permission. Queries run in a READ access-mode session as a user the engine
   lets only read: the embedded ArcadeDB's `itsm_reader` (created by the child process at every
   start), or on Neo4j an optional read-only user (NEO4J_READONLY_USER) and, since Neo4j honours
   it, the READ access mode itself, checked beforehand with `EXPLAIN` (query type must be `r`).
   ArcadeDB ignores access modes and calls every query a write in `EXPLAIN`, so there the user is
   the layer; without one, ad-hoc Cypher is refused.
2. The token-level gate (app/cypher_gate.py).
3. An explicit transaction that is always rolled back, after checking that the query reported
   no updates (`contains_updates` / `contains_system_updates`, query type).

Bounds: a deadline (the driver's transaction timeout, the reader group's `readTimeout` on
ArcadeDB, and a watchdog here that abandons the connection when neither has answered), a row cap
(`limit`+1 rows are fetched, then the rest is discarded and `truncated` is set), a cap on the
bytes of serialised rows, a maximum query length and parameter size, and a maximum number of
queries running at once.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import io
import json
import logging
import math
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, Literal, cast

import neo4j
from neo4j import exceptions as neo4j_errors
from neo4j.graph import Node, Path, Relationship

from app import cypher_gate
from app.graph.store import UNAVAILABLE, GraphStore, QueryTimeout, StoreUnavailable
from app.settings import Settings

audit_log = logging.getLogger("itsm_ontology.audit")

WATCHDOG_GRACE_S = 1.0  # the store's own timeout normally answers first
WRITING_QUERY_TYPES = {"w", "rw", "s"}
POSITION = re.compile(r"line (\d+), column (\d+)(?: \(offset: (\d+)\))?")
TIMEOUT_MESSAGE = re.compile(r"^(Timeout on iteration|.*\btimed out\b)", re.IGNORECASE)
Layer = Literal["gate", "engine", "backstop"]


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
class AdhocResult:
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool
    truncated_by: Literal["rows", "bytes"] | None
    limit: int
    elapsed_ms: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "columns": self.columns,
            "rows": self.rows,
            "row_count": len(self.rows),
            "truncated": self.truncated,
            "truncated_by": self.truncated_by,
            "limit": self.limit,
            "elapsed_ms": self.elapsed_ms,
        }


class AdhocError(Exception):
    """Why an ad-hoc query produced no result; `status` is the HTTP status the API answers."""

    status = 400
    title = "Query failed"
    outcome = "error"

    def __init__(self, message: str, **extra: Any):
        super().__init__(message)
        self.message = message
        self.extra = {k: v for k, v in extra.items() if v is not None}


class AdhocRefused(AdhocError):
    status, title, outcome = 403, "Query refused", "refused"

    def __init__(self, message: str, *, layer: Layer, offset: int | None = None):
        super().__init__(message, layer=layer, offset=offset)
        self.layer = layer


class AdhocSyntaxError(AdhocError):
    status, title, outcome = 400, "Cypher syntax error", "syntax-error"


class AdhocInvalid(AdhocError):
    status, title, outcome = 422, "Invalid query request", "invalid"


class AdhocTooMuchMemory(AdhocError):
    """Neo4j stopped the query at its per-transaction memory cap (`db.memory.transaction.max`)."""

    status, title, outcome = 422, "Query used too much memory", "memory-limit"


class AdhocBusy(AdhocError):
    status, title, outcome = 503, "Too many ad-hoc queries", "busy"


class AdhocTimeout(QueryTimeout):
    def __init__(self, limit_s: float):
        super().__init__(f"the query ran past the ad-hoc time limit of {limit_s:g}s")
        self.limit_s = limit_s


# --- values -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Endpoint:
    """A relationship end whose node came without properties: resolved to its id afterwards."""

    element_id: str


def _node_id(node: Node) -> Any:
    value = node.get("id")
    return value if value is not None else node.element_id


def _end(node: Node | None, fallback: str) -> Any:
    if node is not None and node.get("id") is not None:
        return node.get("id")
    return _Endpoint(node.element_id if node is not None else fallback)


def to_json(value: Any) -> Any:
    """A driver value as JSON: nodes, relationships and paths by their `id` properties, temporal
    values as ISO 8601 strings, points as coordinate maps, bytes as base64."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Node):
        return {
            "id": _node_id(value),
            "labels": sorted(value.labels),
            "properties": {k: to_json(v) for k, v in sorted(value.items())},
        }
    if isinstance(value, Relationship):
        return {
            "type": value.type,
            "start": _end(value.start_node, ""),
            "end": _end(value.end_node, ""),
            "properties": {k: to_json(v) for k, v in sorted(value.items())},
        }
    if isinstance(value, Path):
        return {"nodes": [to_json(n) for n in value.nodes], "relationships": [to_json(r) for r in value.relationships]}
    if isinstance(value, neo4j.time.Date | neo4j.time.DateTime | neo4j.time.Time | neo4j.time.Duration):
        return value.iso_format()
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return neo4j.time.Duration(seconds=value.total_seconds()).iso_format()
    if isinstance(value, neo4j.spatial.Point):
        keys = (
            ("x", "y", "z") if not isinstance(value, neo4j.spatial.WGS84Point) else ("longitude", "latitude", "height")
        )
        return {"srid": value.srid, **dict(zip(keys, value, strict=False))}
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, list | tuple):  # after Duration and Point, which are tuples too
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return str(value)


def _endpoints(value: Any) -> Iterator[_Endpoint]:
    if isinstance(value, _Endpoint):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _endpoints(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _endpoints(item)


def _resolve(value: Any, ids: dict[str, Any]) -> Any:
    if isinstance(value, _Endpoint):
        return ids.get(value.element_id, value.element_id)
    if isinstance(value, list):
        return [_resolve(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _resolve(v, ids) for k, v in value.items()}
    return value


def _json_size(row: list[Any]) -> int:
    text = json.dumps(row, ensure_ascii=False, default=lambda e: e.element_id, separators=(",", ":"))
    return len(text.encode("utf-8")) + 1


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def to_csv(columns: list[str], rows: list[list[Any]]) -> str:
    """CSV with a header row; nodes, lists and maps become compact JSON in their cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()


# --- errors -----------------------------------------------------------------------------------


def _classify(exc: BaseException, limits: Limits) -> BaseException:
    """The store's exception as one of ours (or StoreUnavailable / AdhocTimeout)."""
    if isinstance(exc, AdhocError | QueryTimeout | StoreUnavailable):
        return exc
    if isinstance(exc, neo4j_errors.AuthError):
        return StoreUnavailable(f"the store refused the read-only user's credentials: {exc.message}")
    if isinstance(exc, UNAVAILABLE):
        return StoreUnavailable(str(exc) or type(exc).__name__)
    if isinstance(exc, neo4j_errors.Neo4jError):
        code, message = exc.code or "", exc.message or str(exc)
        if isinstance(exc, neo4j_errors.CypherSyntaxError) or code.endswith("Statement.SyntaxError"):
            match = POSITION.search(message)
            line, column, offset = match.groups() if match else (None, None, None)
            return AdhocSyntaxError(
                message,
                line=int(line) if line else None,
                column=int(column) if column else None,  # as the engine counts (ArcadeDB from 0, Neo4j from 1)
                offset=int(offset) if offset else None,
            )
        if "Timeout" in code or "TimedOut" in code or TIMEOUT_MESSAGE.search(message):
            return AdhocTimeout(limits.timeout_s)
        if code.endswith("General.TransactionOutOfMemoryError"):
            return AdhocTooMuchMemory(
                f"the store stopped the query at its memory limit per transaction; narrow it: {message}"
            )
        if ".Security." in code or code.endswith("Statement.AccessMode"):
            return AdhocRefused(f"the store refused the query as read-only: {message}", layer="engine")
        if isinstance(exc, neo4j_errors.ClientError):
            return AdhocError(message, code=code)
        if isinstance(exc, neo4j_errors.TransientError):  # e.g. the server's memory pool is full
            return StoreUnavailable(f"the store cannot serve this query right now: {message}")
        error = AdhocError(message, code=code)
        error.status, error.title = 500, "Store error"
        return error
    return exc


# --- running ----------------------------------------------------------------------------------

EXPLAIN = "EXPLAIN\n"  # on its own line, so that the query's own lines keep their columns


def _unshifted(exc: neo4j_errors.CypherSyntaxError) -> AdhocSyntaxError:
    """A syntax error found while EXPLAINing, with its position in the analyst's own text."""
    message = exc.message or str(exc)

    def shift(match: re.Match[str]) -> str:
        line, column, offset = match.groups()
        text = f"line {int(line) - 1}, column {column}"
        return text + (f" (offset: {int(offset) - len(EXPLAIN)})" if offset else "")

    message = POSITION.sub(shift, message)
    match = POSITION.search(message)
    return AdhocSyntaxError(
        message,
        line=int(match.group(1)) if match else None,
        column=int(match.group(2)) if match else None,
        offset=int(match.group(3)) if match and match.group(3) else None,
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
    result: AdhocResult | None = None
    error: BaseException | None = None
    session: neo4j.Session | None = None

    def run(self, release: Callable[[], None]) -> None:
        try:
            self.result = self._execute()
        except BaseException as exc:  # handed to the waiting thread
            self.error = _classify(exc, self.limits)
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

    def _execute(self) -> AdhocResult:
        timeout = self.limits.timeout_s
        with self.store.readonly_session(fetch_size=min(self.limit + 1, 1000)) as session:
            self.session = session
            if self.store.dialect.explain_reports_query_type:  # Neo4j: the planner's verdict first
                try:
                    planned = session.run(neo4j.Query(EXPLAIN + self.text, timeout=timeout), self.parameters)
                    kind = planned.consume().query_type
                except neo4j_errors.CypherSyntaxError as exc:
                    raise _unshifted(exc) from exc
                if kind != "r":
                    raise AdhocRefused(f"the store plans this query as type {kind!r}, not read-only", layer="engine")
            tx = session.begin_transaction(timeout=timeout)
            try:
                return self._stream(tx)
            finally:
                if not tx.closed():
                    tx.rollback()  # always: nothing an ad-hoc query did may last

    def _stream(self, tx: neo4j.Transaction) -> AdhocResult:
        result = tx.run(self.text, self.parameters)
        columns = list(result.keys())
        rows: list[list[Any]] = []
        size, truncated_by = 0, cast(Literal["rows", "bytes"] | None, None)
        for record in result:
            if len(rows) == self.limit:
                truncated_by = "rows"
                break
            row = [to_json(value) for value in record.values()]
            size += _json_size(row)
            if size > self.limits.max_response_bytes:
                truncated_by = "bytes"
                break
            rows.append(row)
        summary = result.consume()  # after a cut-off: discards the rest
        counters = summary.counters
        if counters.contains_updates or counters.contains_system_updates:
            raise AdhocRefused("the query changed the graph; the change was rolled back", layer="backstop")
        if summary.query_type in WRITING_QUERY_TYPES:
            raise AdhocRefused(f"the store ran this as a {summary.query_type!r} query; rolled back", layer="backstop")
        pending = {e.element_id for row in rows for e in _endpoints(row)}
        if pending:
            found = tx.run(self.store.queries["adhoc/node_ids"].text, {"ids": sorted(pending)})
            ids = {r["element_id"]: r["id"] for r in found if r["id"] is not None}
            rows = [_resolve(row, ids) for row in rows]
        return AdhocResult(columns, rows, truncated_by is not None, truncated_by, self.limit)


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
    ) -> AdhocResult:
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
            audit.update(_outcome(exc))
            audit["elapsed_ms"] = round((time.monotonic() - started) * 1000, 1)
            audit_log.info(json.dumps(audit))
            raise
        result.elapsed_ms = round((time.monotonic() - started) * 1000, 1)
        audit.update(outcome="ok", refused=False, rows=len(result.rows), truncated=result.truncated)
        audit["elapsed_ms"] = result.elapsed_ms
        audit_log.info(json.dumps(audit))
        return result

    def _gate(self, query: str) -> str:
        try:
            return cypher_gate.check(query, max_chars=self.limits.max_query_chars)
        except cypher_gate.GateSyntaxError as exc:
            raise AdhocSyntaxError(exc.reason, offset=exc.offset) from exc
        except cypher_gate.GateRefusal as exc:
            raise AdhocRefused(exc.reason, layer="gate", offset=exc.offset) from exc

    def execute_unchecked(self, text: str, parameters: dict[str, Any], *, limit: int | None = None) -> AdhocResult:
        """Layers 1 and 3 without the gate: for text the gate has passed, and for tests that show
        the other layers hold on their own."""
        rows = min(limit or self.limits.default_rows, self.limits.max_rows)
        if rows < 1:
            raise AdhocInvalid("limit must be at least 1")
        try:
            encoded = json.dumps(parameters, ensure_ascii=False)
        except (TypeError, ValueError) as exc:
            raise AdhocInvalid(f"parameters must be JSON values: {exc}") from exc
        if len(encoded.encode("utf-8")) > self.limits.max_parameter_bytes:
            raise AdhocInvalid(f"parameters exceed {self.limits.max_parameter_bytes} bytes")
        _check_integers(parameters)
        if not self.store.has_readonly_path:
            raise AdhocRefused(
                "this store has no read-only user configured, and it ignores the READ access mode", layer="engine"
            )
        if not self._slots.acquire(timeout=0.5):
            raise AdhocBusy(f"{self.limits.max_concurrent} ad-hoc queries are already running; retry shortly")
        job = _Job(self.store, text, parameters, rows, self.limits)
        worker = threading.Thread(target=job.run, args=(self._slots.release,), name="adhoc-cypher", daemon=True)
        try:
            worker.start()
        except BaseException:
            self._slots.release()
            raise
        if not job.done.wait(self.limits.timeout_s + WATCHDOG_GRACE_S):
            job.abort()
            raise AdhocTimeout(self.limits.timeout_s)
        if job.error is not None:
            raise job.error
        assert job.result is not None
        return job.result


def _check_integers(value: Any, where: str = "parameters") -> None:
    """Cypher integers are 64-bit: a larger JSON number cannot be sent to the store."""
    if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**63:
        raise AdhocInvalid(f"{where} holds an integer outside the 64-bit range Cypher supports")
    if isinstance(value, list):
        for item in value:
            _check_integers(item, where)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_integers(item, f"{where}.{key}")


def _outcome(exc: BaseException) -> dict[str, Any]:
    if isinstance(exc, AdhocError):
        out: dict[str, Any] = {"outcome": exc.outcome, "refused": isinstance(exc, AdhocRefused)}
        if isinstance(exc, AdhocRefused):
            out.update(layer=exc.layer, reason=exc.message)
        else:
            out["reason"] = exc.message[:300]
        return out
    if isinstance(exc, QueryTimeout):
        return {"outcome": "timeout", "refused": False, "reason": str(exc)}
    if isinstance(exc, StoreUnavailable):
        return {"outcome": "unavailable", "refused": False}
    return {"outcome": "error", "refused": False, "reason": type(exc).__name__}


def api_key_id(key: str) -> str:
    """How the audit log names a caller: a short hash of the key, never the key."""
    return "key:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
