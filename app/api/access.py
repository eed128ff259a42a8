"""Who may run analysts' queries, and how often: the API key and the per-client rate limit.

One dependency, `AdhocAccessDep`, guards every way into the ad-hoc read path (POST /v1/cypher,
POST /v1/queries/{name}, and any later transport such as MCP, which calls `authorise` and
`RateLimit.hit` directly). It

- checks `X-API-Key` against ITSM_CYPHER_API_KEY when one is set (constant-time comparison); a
  missing or wrong key is 401 and one audit line (the client, the path, a hash of a wrong key,
  never a key);
- counts the caller's requests against ITSM_CYPHER_RATE_LIMIT (the `limits` library, a moving
  window per client: the key's hash when a key is used, else the client address), 429 with
  Retry-After past it, also audited;
- returns the caller's name for the query's own audit line.

The OpenAPI document declares the key as the `ApiKey` security scheme on these operations.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import math
import time
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from app import metrics
from app.api.deps import SettingsDep
from app.context import request_id
from app.errors import Forbidden, RateLimited, Unauthorized
from app.settings import Settings

audit_log = logging.getLogger("itsm_ontology.audit")
API_KEY_HEADER = "X-API-Key"
api_key_scheme = APIKeyHeader(
    name=API_KEY_HEADER,
    scheme_name="ApiKey",
    description="The ad-hoc Cypher key (ITSM_CYPHER_API_KEY); needed only when the server sets one.",
    auto_error=False,
)


def key_id(key: str) -> str:
    """How logs name a key: a short hash, never the key."""
    return "key:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def audit(event: str, **fields: object) -> None:
    """One JSON audit line (the same stream as the ad-hoc query lines)."""
    line = {
        "ts": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
        "event": event,
        **fields,
        "request_id": request_id(),
    }
    if fields.get("refused"):
        metrics.adhoc_refused(event)
    audit_log.info(json.dumps({k: v for k, v in line.items() if v is not None}))


@dataclass(frozen=True)
class Caller:
    name: str  # "anonymous" or a key's hash: what the audit log calls the caller
    client: str  # the client's address


def authorise(settings: Settings, key: str | None, *, client: str, path: str) -> Caller:
    """The caller, or Unauthorized (audited) when a key is configured and this one does not match."""
    expected = settings.cypher_api_key.get_secret_value() if settings.cypher_api_key else None
    if not expected:
        return Caller("anonymous", client)
    if key and hmac.compare_digest(key.encode("utf-8"), expected.encode("utf-8")):
        return Caller(key_id(key), client)
    audit(
        "unauthorized",
        outcome="unauthorized",
        refused=True,
        reason="wrong API key" if key else "no API key",
        key=key_id(key) if key else None,
        client=client,
        path=path,
    )
    raise Unauthorized(f"send the ad-hoc Cypher API key in {API_KEY_HEADER}")


class RateLimit:
    """Requests per caller in a moving window (in this process's memory)."""

    def __init__(self, spec: str | None):
        self.items: list[RateLimitItem] = parse_many(spec) if spec else []
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def hit(self, caller: Caller, *, path: str) -> None:
        """Count one request; RateLimited (audited) when the caller is over any of the limits."""
        who = caller.name if caller.name != "anonymous" else f"client:{caller.client}"
        for item in self.items:
            if not self._limiter.hit(item, who):
                reset = self._limiter.get_window_stats(item, who).reset_time
                audit("rate-limited", outcome="rate-limited", refused=True, who=who, limit=str(item), path=path)
                raise RateLimited(
                    f"more than {item} ad-hoc queries from this client; retry later",
                    retry_after_s=math.ceil(max(reset - time.time(), 1)),
                )


def get_rate_limit(request: Request) -> RateLimit:
    limit: RateLimit = request.app.state.adhoc_rate_limit  # made by create_app
    return limit


def adhoc_access(
    request: Request,
    settings: SettingsDep,
    limit: Annotated[RateLimit, Depends(get_rate_limit)],
    key: Annotated[str | None, Security(api_key_scheme)] = None,
) -> Caller:
    if not settings.cypher_enabled:
        client = request.client.host if request.client else "unknown"
        audit("disabled", outcome="forbidden", refused=True, client=client, path=request.url.path)
        raise Forbidden("ad-hoc Cypher is switched off on this server (ITSM_CYPHER_ENABLED=false)")
    client = request.client.host if request.client else "unknown"
    caller = authorise(settings, key, client=client, path=request.url.path)
    limit.hit(caller, path=request.url.path)
    return caller


AdhocAccessDep = Annotated[Caller, Depends(adhoc_access)]
# On the routes that take AdhocAccessDep: FastAPI lists the ApiKey scheme; this adds the empty
# alternative (OpenAPI: "or none"), since a server without ITSM_CYPHER_API_KEY takes no key.
OPTIONAL_KEY: dict[str, object] = {"security": [{}]}
