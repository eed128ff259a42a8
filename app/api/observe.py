"""What every request leaves behind for operators (an ASGI middleware, the outermost one):

- `X-Request-ID` on every answer: the caller's own (1-128 characters of letters, digits and
  `-_.:/+=`), else a fresh one; the same id is in every log line written while answering
  (`request_id`, app/logs.py) and in audit lines;
- `Server-Timing: store;dur=…;desc="N calls", total;dur=…` on every answer: milliseconds spent
  waiting on the store (app/graph/timing.py), and until the answer started;
- the Prometheus request count, latency and store-time metrics (app/metrics.py), labelled by
  route template;
- one access line per request on `itsm_ontology.access` (method, path, status, milliseconds,
  store milliseconds, request id).
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import metrics
from app.context import RequestContext

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9\-_.:/+=]{1,128}$")
access_log = logging.getLogger("itsm_ontology.access")


def _incoming_id(scope: Scope) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == b"x-request-id":
            text = value.decode("latin-1")
            return text if _VALID_ID.match(text) else None
    return None


def _route(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"


class Observe:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _incoming_id(scope) or uuid.uuid4().hex
        context = RequestContext(rid)
        timer = context.timer
        started = time.perf_counter()
        status = 500
        answered_s: float | None = None

        async def send_with_headers(message: Message) -> None:
            nonlocal status, answered_s
            if message["type"] == "http.response.start":
                status = message["status"]
                answered_s = time.perf_counter() - started
                headers = MutableHeaders(scope=message)
                headers[REQUEST_ID_HEADER] = rid
                store = f'store;dur={timer.seconds * 1000:.1f};desc="{timer.calls} calls"'
                headers.append("Server-Timing", f"{store}, total;dur={answered_s * 1000:.1f}")
            await send(message)

        try:
            with context:
                await self.app(scope, receive, send_with_headers)
        finally:
            elapsed = answered_s if answered_s is not None else time.perf_counter() - started
            route, method = _route(scope), scope["method"]
            metrics.REQUESTS.labels(method=method, route=route, status=str(status)).inc()
            metrics.LATENCY.labels(method=method, route=route).observe(elapsed)
            metrics.STORE_TIME.labels(route=route).observe(timer.seconds)
            if timer.calls:
                metrics.STORE_CALLS.labels(route=route).inc(timer.calls)
            access_log.info(
                "%s %s %d %.1fms store %.1fms",
                method,
                scope.get("path", ""),
                status,
                elapsed * 1000,
                timer.seconds * 1000,
                extra={
                    "method": method,
                    "path": scope.get("path", ""),
                    "status": status,
                    "ms": round(elapsed * 1000, 1),
                    "store_ms": round(timer.seconds * 1000, 1),
                    "route": route,
                    "request_id": rid,
                },
            )
