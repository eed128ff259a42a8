"""The streamable HTTP transport at /mcp (ITSM_MCP_ENABLED=true), mounted in the API's app.

Behind the same access check as ad-hoc Cypher: when ITSM_CYPHER_API_KEY is set, every request to
/mcp needs it in X-API-Key (401 problem+json otherwise, audited), because the endpoint offers the
Cypher tool and the saved queries; `authorise` from app/api/access.py does the check, and the
Cypher and saved-query tools count against the same per-client rate limit as /v1/cypher. Without a
key, the SDK's DNS-rebinding protection admits only requests addressed to this machine
(Host and Origin 127.0.0.1, localhost or [::1]), so a web page cannot drive a local server.

Stateless and answering plain JSON: every tool is read-only and needs no session, so any worker
can answer any request and nothing is kept between calls.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from starlette.datastructures import Headers
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from app.api.access import API_KEY_HEADER, Caller, authorise
from app.api.cypher import shared_runner
from app.api.problems import PROBLEM_JSON
from app.errors import Unauthorized
from app.mcp.context import Backend
from app.mcp.server import CALLER_STATE_KEY, OntologyMcp, build, check_fixed_queries
from app.settings import Settings

PATH = "/mcp"
LOOPBACK = TransportSecuritySettings(
    enable_dns_rebinding_protection=True,
    allowed_hosts=["127.0.0.1:*", "localhost:*", "[::1]:*", "127.0.0.1", "localhost", "[::1]"],
    allowed_origins=["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"],
)


def _backend(app: FastAPI) -> Backend:
    state = app.state
    return Backend(
        settings=state.settings,
        store=state.store,
        folder_schema=state.schema,
        releases=state.releases,
        saved=state.saved_queries,
        runner=shared_runner(state, state.store, state.settings),
        rate_limit=state.adhoc_rate_limit,
        cursors=state.cursors,
    )


class McpEndpoint:
    """The ASGI app at /mcp: the access check, then the SDK's session manager."""

    def __init__(self, app: FastAPI):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        manager: StreamableHTTPSessionManager | None = getattr(self.app.state, "mcp_manager", None)
        if manager is None:  # between start-up and shut-down only
            await _problem(503, "Store unavailable", "the MCP endpoint is starting or stopping", scope, receive, send)
            return
        settings: Settings = self.app.state.settings
        client = scope.get("client")
        host = client[0] if client else "unknown"
        try:
            caller = authorise(settings, Headers(scope=scope).get(API_KEY_HEADER), client=host, path=PATH)
        except Unauthorized as exc:
            await _problem(exc.status, exc.title, exc.detail, scope, receive, send, exc.headers)
            return
        scope.setdefault("state", {})[CALLER_STATE_KEY] = caller
        await manager.handle_request(scope, receive, send)


async def _problem(
    status: int,
    title: str,
    detail: str,
    scope: Scope,
    receive: Receive,
    send: Send,
    headers: dict[str, str] | None = None,
) -> None:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, "instance": PATH}
    await JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)(scope, receive, send)


def install(app: FastAPI, settings: Settings) -> None:
    """Add /mcp when ITSM_MCP_ENABLED (else nothing: /mcp is a 404 like any unknown path)."""
    if not settings.mcp_enabled:
        return
    app.state.mcp = build(
        lambda: _backend(app),
        saved=app.state.saved_queries,
        settings=settings,
        transport="http",
        default_caller=Caller("anonymous", "unknown"),
    )
    app.router.routes.append(Route(PATH, endpoint=McpEndpoint(app), include_in_schema=False))


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[None]:
    """For the app's lifespan: the session manager runs while the app does (a no-op when /mcp is off)."""
    mcp: OntologyMcp | None = getattr(app.state, "mcp", None)
    if mcp is None:
        yield
        return
    check_fixed_queries(app.state.store.queries)
    settings: Settings = app.state.settings
    manager = StreamableHTTPSessionManager(
        app=mcp.server,
        json_response=True,
        stateless=True,
        security_settings=None if settings.cypher_api_key else LOOPBACK,
    )
    async with manager.run():
        app.state.mcp_manager = manager
        try:
            yield
        finally:
            app.state.mcp_manager = None
