"""Everything that can go wrong while answering, each with the HTTP status the API gives it.

Services, the ad-hoc runner and the store raise these; `app/api/problems.py` turns every one into
an RFC 9457 problem+json answer in one handler, and the CLI into a message and an exit status. The
one place where the driver's own exceptions become these is `app/graph/errors.py`.
"""

from __future__ import annotations

from typing import Any, Literal

Layer = Literal["gate", "engine", "backstop"]


class ServiceError(Exception):
    """A failure with a status, a short title and a detail for the caller.

    `extra` members (e.g. `limit_s`, `line`) become members of the problem document; `outcome` is
    the word the audit log uses."""

    status: int = 500
    title: str = "Internal error"
    outcome: str = "error"
    retry_after_s: int | None = None

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None, **extra: Any):
        super().__init__(detail)
        self.detail = detail
        self.extra = {k: v for k, v in extra.items() if v is not None}
        self._headers = headers or {}

    @property
    def message(self) -> str:
        return self.detail

    @property
    def headers(self) -> dict[str, str]:
        headers = dict(self._headers)
        if self.retry_after_s is not None:
            headers.setdefault("Retry-After", str(self.retry_after_s))
        return headers


class NotFound(ServiceError):
    status, title, outcome = 404, "Not found", "not-found"

    def __init__(self, what: str, ident: str):
        super().__init__(f"no {what} with id {ident!r}")


class InvalidInput(ServiceError):
    """A parameter or body the caller can fix (HTTP 422)."""

    status, title, outcome = 422, "Invalid parameter", "invalid"


class Conflict(ServiceError):
    status, title, outcome = 409, "Conflict", "conflict"


class Unauthorized(ServiceError):
    status, title, outcome = 401, "API key required", "unauthorized"

    def __init__(self, detail: str):
        super().__init__(detail, headers={"WWW-Authenticate": "ApiKey"})


class Forbidden(ServiceError):
    status, title, outcome = 403, "Forbidden", "forbidden"


class StoreUnavailable(ServiceError):
    """The store cannot be reached or cannot serve right now (HTTP 503 with Retry-After)."""

    status, title, outcome, retry_after_s = 503, "Store unavailable", "unavailable", 5


class StoreBusy(StoreUnavailable):
    """The store is up but cannot take this work now (its shared query memory is in use, a
    transient error outlived the retries): 503 with the store's own reason and a short Retry-After."""

    title, outcome, retry_after_s = "Store busy", "busy", 2


class StoreFailed(ServiceError):
    """The store failed to run a caller's query for a reason of its own (not the query's): 503."""

    status, title, outcome, retry_after_s = 503, "Store error", "store-error", 5


class RateLimited(ServiceError):
    """The caller sent more requests of one kind than its rate allows (HTTP 429 with Retry-After)."""

    status, title, outcome = 429, "Too many requests", "rate-limited"

    def __init__(self, detail: str, *, retry_after_s: int):
        super().__init__(detail, headers={"Retry-After": str(max(1, retry_after_s))})


class Busy(ServiceError):
    """Too much work of one kind at once (HTTP 503 with a short Retry-After)."""

    status, title, outcome, retry_after_s = 503, "Too many ad-hoc queries", "busy", 2


class QueryTimeout(ServiceError):
    """The store (or the watchdog) stopped a query at its time limit (HTTP 504)."""

    status, title, outcome = 504, "Query timed out", "timeout"

    def __init__(self, detail: str, *, limit_s: float | None = None):
        super().__init__(detail, limit_s=limit_s)
        self.limit_s = limit_s


# --- a caller's own query (ad-hoc Cypher, saved queries) ------------------------------------------


class QueryError(ServiceError):
    """The store ran the caller's query and it failed (HTTP 400); `code` is the store's code."""

    status, title, outcome = 400, "Query failed", "error"


class QuerySyntaxError(QueryError):
    status, title, outcome = 400, "Cypher syntax error", "syntax-error"


class QueryRefused(QueryError):
    """Refused as not read-only, by the gate, the engine or the backstop (HTTP 403)."""

    status, title, outcome = 403, "Query refused", "refused"

    def __init__(self, detail: str, *, layer: Layer, offset: int | None = None):
        super().__init__(detail, layer=layer, offset=offset)
        self.layer = layer


class QueryInvalid(QueryError):
    """The query request itself is unusable (parameters, limit): HTTP 422."""

    status, title, outcome = 422, "Invalid query request", "invalid"


class QueryTooLarge(QueryError):
    """The store stopped the query at its memory limit: the query's fault, so HTTP 422."""

    status, title, outcome = 422, "Query used too much memory", "memory-limit"


class NotAcceptable(ServiceError):
    """None of the media types the request accepts is offered (HTTP 406)."""

    status, title, outcome = 406, "Not acceptable", "not-acceptable"
