"""The one translator from the driver's exceptions to the service's own (`app/errors.py`).

Every store call goes through `translate_errors()` (or `translate()` where an exception crosses a
thread), so the API, the CLI and the ad-hoc runner agree on what a store failure means:

- unreachable, expired sessions, no pooled connection in time, rejected credentials:
  `StoreUnavailable` (503, Retry-After); transient errors after the driver's retries and
  ArcadeDB's query memory held by other queries: `StoreBusy` (503, with the store's reason);
- a query stopped at its time limit (Neo4j's codes, ArcadeDB's "Timeout on iteration"): `QueryTimeout` (504);
- the caller's own query (ad-hoc Cypher, saved queries) failing in the store: syntax errors with
  their position (400), the engine refusing a write (403), the transaction memory cap (422), any
  or ArcadeDB's per-query heap budget (422), any other client error (400), a database error
  (`StoreFailed`, 503). For the service's own named queries those are our bugs, and stay
  unhandled (a logged 500).

A failed result reported by the driver as `ResultFailedError` is translated by its cause, so the
real error is never hidden behind it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from neo4j import exceptions as neo4j_errors

from app.errors import (
    QueryError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    QueryTooLarge,
    ServiceError,
    StoreBusy,
    StoreFailed,
    StoreUnavailable,
)

UNAVAILABLE = (
    neo4j_errors.ServiceUnavailable,
    neo4j_errors.SessionExpired,
    neo4j_errors.ConnectionPoolError,  # no connection from the pool within the acquisition timeout
    OSError,
)
POSITION = re.compile(r"line (\d+), column (\d+)(?: \(offset: (\d+)\))?")
TIMEOUT_MESSAGE = re.compile(r"^(Timeout on iteration|.*\btimed out\b)", re.IGNORECASE)
# ArcadeDB's budget for what running queries buffer in heap (ORDER BY, DISTINCT, collect): either
# this one query would need more than all of it (the query's fault), or the others hold it now.
HEAP_BUDGET = "Query heap budget exceeded"
OVER_WHOLE_BUDGET = "would hold more than the whole budget"


def syntax_error(message: str) -> QuerySyntaxError:
    """A syntax error with the engine's position (columns as the engine counts: ArcadeDB from 0,
    Neo4j from 1)."""
    match = POSITION.search(message)
    line, column, offset = match.groups() if match else (None, None, None)
    return QuerySyntaxError(
        message,
        line=int(line) if line else None,
        column=int(column) if column else None,
        offset=int(offset) if offset else None,
    )


def translate(exc: BaseException, *, callers_query: bool = False, timeout_s: float | None = None) -> BaseException:
    """The driver's exception as the service's own; anything unknown comes back unchanged.

    `callers_query`: the query text came from a caller (its failures are the caller's: 4xx).
    `timeout_s`: the limit that applied, named in the timeout's message."""
    if isinstance(exc, ServiceError):
        return exc
    if isinstance(exc, neo4j_errors.ResultFailedError) and exc.__cause__ is not None:
        return translate(exc.__cause__, callers_query=callers_query, timeout_s=timeout_s)  # the real error
    if isinstance(exc, neo4j_errors.AuthError):
        return StoreUnavailable(f"the store refused the service's credentials: {exc.message}")
    if isinstance(exc, UNAVAILABLE):
        return StoreUnavailable(str(exc) or type(exc).__name__)
    if not isinstance(exc, neo4j_errors.Neo4jError):
        return exc
    code, message = exc.code or "", exc.message or str(exc)
    if "Timeout" in code or "TimedOut" in code or TIMEOUT_MESSAGE.search(message):
        if timeout_s is not None:
            return QueryTimeout(f"the query ran past the time limit of {timeout_s:g}s", limit_s=timeout_s)
        return QueryTimeout(message)
    if HEAP_BUDGET in message and OVER_WHOLE_BUDGET in message:
        if callers_query:
            return QueryTooLarge(f"the query needs more memory than the store lets one query use; narrow it: {message}")
        return StoreFailed(message)
    if HEAP_BUDGET in message or isinstance(exc, neo4j_errors.TransientError):  # after the driver's retries
        return StoreBusy(f"the store cannot serve this query right now: {message}")
    if not callers_query:
        return exc
    if isinstance(exc, neo4j_errors.CypherSyntaxError) or code.endswith("Statement.SyntaxError"):
        return syntax_error(message)
    if code.endswith("General.TransactionOutOfMemoryError"):
        return QueryTooLarge(f"the store stopped the query at its memory limit per transaction; narrow it: {message}")
    if ".Security." in code or code.endswith("Statement.AccessMode"):
        return QueryRefused(f"the store refused the query as read-only: {message}", layer="engine")
    if isinstance(exc, neo4j_errors.ClientError):
        return QueryError(message, code=code)
    return StoreFailed(message, code=code)  # a DatabaseError: the store's failure, not the query's


@contextmanager
def translate_errors(*, callers_query: bool = False, timeout_s: float | None = None) -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        translated = translate(exc, callers_query=callers_query, timeout_s=timeout_s)
        if translated is exc:
            raise
        raise translated from exc
