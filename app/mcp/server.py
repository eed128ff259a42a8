"""The MCP server: tools and resources on the official SDK's low-level `Server`, every call guarded.

The low-level server is used (not the decorator-based `MCPServer`) because the tools are data:
one `ToolSpec` per service tool and one per saved query, generated at start, and every call goes
through one dispatch that validates the arguments against the tool's pydantic model, runs the
service under the guard rails (app/mcp/guard.py) and shapes the answer. The SDK does the protocol
and both transports (stdio here, streamable HTTP in app/mcp/http.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from mcp.shared.exceptions import MCPError
from pydantic import BaseModel, ValidationError

from app import __version__
from app.adhoc import gate
from app.adhoc.saved import SavedQueries
from app.api.access import Caller
from app.graph.queries import QueryRegistry
from app.mcp.context import Backend, Call
from app.mcp.guard import (
    AuditLine,
    Capped,
    GuardLimits,
    ToolFailure,
    cap,
    dumps,
    run_bounded,
    truncation_note,
)
from app.mcp.queries import query_tools
from app.mcp.resources import RESOURCES, ResourceSpec
from app.mcp.tools import SERVICE_TOOLS, ToolSpec
from app.settings import Settings

log = logging.getLogger("itsm_ontology.mcp")
CALLER_STATE_KEY = "itsm_mcp_caller"  # where the HTTP transport's access check leaves the caller
INSTRUCTIONS = (
    "A read-only graph of IT service management guidance: ITIL 4 (practices, the service value chain, "
    "roles), the Zero Outage Industry Standard (Plan/Build/Deliver/Run, job profiles, competencies) and "
    "SFIA (skills and levels), joined by a crosswalk. Every fact carries `sources` (document:first-last "
    "lines). Start with `search` to find ids; `practices_for_activity` answers which practices contribute "
    "to an activity and which roles cover them; `compare_roles` what one role needs that another lacks. "
    "Answers are capped in size; a cut answer starts with [truncated] and says how to narrow it."
)
READ_ONLY = types.ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)


class ReadPathNotReadOnly(RuntimeError):
    """A fixed query a tool can reach would not pass the read-only gate (refuses to start)."""


def check_fixed_queries(queries: QueryRegistry) -> int:
    """Every named query outside `load/` (the only ones services run) passes the ad-hoc gate: no
    updating clause, no procedure outside the allowlist. How many were checked."""
    checked = 0
    for name in queries.names():
        if name.startswith("load/") or name == "schema":
            continue
        query = queries[name]
        try:
            gate.check(query.text)
        except gate.GateRefusal as exc:
            raise ReadPathNotReadOnly(f"cypher/{query.name}.cypher is not read-only: {exc.reason}") from exc
        checked += 1
    return checked


class OntologyMcp:
    """The tools and resources over one backend (given lazily: the HTTP app has it only once started)."""

    def __init__(
        self,
        backend: Callable[[], Backend],
        *,
        tools: list[ToolSpec],
        resources: list[ResourceSpec],
        limits: GuardLimits,
        transport: str,
        default_caller: Caller,
    ):
        self._backend = backend
        self.tools = {tool.name: tool for tool in tools}
        self.resources = {resource.uri: resource for resource in resources}
        self.limits = limits
        self.transport = transport
        self.default_caller = default_caller
        self.server: Server[Any] = Server(
            "itsm-ontology",
            version=__version__,
            title="ITSM ontology (ITIL 4, Zero Outage, SFIA)",
            instructions=INSTRUCTIONS,
            on_list_tools=self._list_tools,
            on_call_tool=self._call_tool,
            on_list_resources=self._list_resources,
            on_read_resource=self._read_resource,
        )

    # --- tools ---------------------------------------------------------------------------------

    def tool_list(self) -> list[types.Tool]:
        backend = self._backend()
        return [
            types.Tool(
                name=spec.name,
                title=spec.title,
                description=spec.description,
                input_schema=spec.input_schema(backend),
                annotations=READ_ONLY,
            )
            for spec in self.tools.values()
        ]

    async def _list_tools(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(tools=self.tool_list())

    def _call(self, ctx: ServerRequestContext[Any]) -> Call:
        scope = getattr(ctx.request, "scope", None)  # a Starlette Request over HTTP, None over stdio
        state = scope.get("state") if isinstance(scope, dict) else None
        caller = state.get(CALLER_STATE_KEY) if isinstance(state, dict) else None
        return Call(caller if isinstance(caller, Caller) else self.default_caller, self.transport)

    async def _call_tool(
        self, ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        spec = self.tools.get(params.name)
        if spec is None:
            raise MCPError(code=types.INVALID_PARAMS, message=f"unknown tool {params.name!r}")
        return await self.call(spec, params.arguments or {}, self._call(ctx))

    async def call(self, spec: ToolSpec, arguments: dict[str, Any], call: Call) -> types.CallToolResult:
        """Validate, run under the time limit, cap, audit: every tool call, whatever the tool."""
        audit = AuditLine("tool", spec.name, call.caller.name, call.transport, arguments)
        try:
            args = spec.arguments.model_validate(arguments)
        except ValidationError as exc:
            audit.write("invalid")
            return _error(f"Invalid arguments for {spec.name}: {_validation_message(exc)}")
        backend = self._backend()
        try:
            answer = await run_bounded(lambda: spec.run(backend, args, call), self.limits)
        except ToolFailure as failure:
            audit.write(failure.outcome, detail=failure.message)
            return _error(failure.message)
        except Exception:
            log.exception("MCP tool %s failed unexpectedly", spec.name)
            audit.write("error")
            return _error(f"{spec.name} failed unexpectedly; the error has been logged")
        capped = self.shape(spec, answer)
        audit.write("ok", truncated=capped.truncated, size=capped.size)
        return _result(capped, truncation_note(capped.cuts, self.limits, spec.narrow) if capped.truncated else None)

    def shape(self, spec: ToolSpec, answer: BaseModel) -> Capped:
        payload = answer.model_dump(mode="json", exclude_none=True)
        capped = cap(payload, self.limits)
        capped.cuts = spec.store_cuts(answer) + capped.cuts
        if spec.finish is not None:
            spec.finish(capped.payload, capped.truncated)
        if capped.truncated:
            capped.payload["truncation"] = [c.as_json() for c in capped.cuts]
            capped.size = len(dumps(capped.payload).encode("utf-8"))
        return capped

    # --- resources -----------------------------------------------------------------------------

    async def _list_resources(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListResourcesResult:
        return types.ListResourcesResult(
            resources=[
                types.Resource(uri=r.uri, name=r.name, title=r.title, description=r.description, mime_type=r.mime_type)
                for r in self.resources.values()
            ]
        )

    async def _read_resource(
        self, ctx: ServerRequestContext[Any], params: types.ReadResourceRequestParams
    ) -> types.ReadResourceResult:
        call = self._call(ctx)
        uri = str(params.uri)
        spec = self.resources.get(uri)
        audit = AuditLine("resource", uri, call.caller.name, call.transport)
        if spec is None:
            audit.write("not-found")
            raise MCPError(code=types.INVALID_PARAMS, message=f"unknown resource {uri!r}; see resources/list")
        backend = self._backend()
        try:
            answer = await run_bounded(lambda: spec.read(backend), self.limits)
        except ToolFailure as failure:
            audit.write(failure.outcome, detail=failure.message)
            raise MCPError(code=types.INTERNAL_ERROR, message=failure.message) from failure
        capped = cap(answer.model_dump(mode="json", exclude_none=True), self.limits)
        if capped.truncated:
            capped.payload["truncation"] = [c.as_json() for c in capped.cuts]
        text = dumps(capped.payload)
        audit.write("ok", truncated=capped.truncated, size=len(text))
        return types.ReadResourceResult(
            contents=[types.TextResourceContents(uri=uri, text=text, mime_type="application/json")]
        )


def _error(message: str) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(text=message)], is_error=True)


def _result(capped: Capped, note: str | None) -> types.CallToolResult:
    content = [types.TextContent(text=note)] if note else []
    content.append(types.TextContent(text=dumps(capped.payload)))
    return types.CallToolResult(content=content, structured_content=capped.payload)


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "arguments"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


def build(
    backend: Callable[[], Backend],
    *,
    saved: SavedQueries,
    settings: Settings,
    transport: str,
    default_caller: Caller,
) -> OntologyMcp:
    """The server with every tool this configuration offers: the service tools, and, unless ad-hoc
    Cypher is switched off (ITSM_CYPHER_ENABLED=false), the Cypher tool and one per saved query."""
    tools = list(SERVICE_TOOLS)
    if settings.cypher_enabled:
        tools += query_tools(saved, settings)
    return OntologyMcp(
        backend,
        tools=tools,
        resources=RESOURCES,
        limits=GuardLimits.from_settings(settings),
        transport=transport,
        default_caller=default_caller,
    )
