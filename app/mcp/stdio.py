"""`itsm-ontology mcp`: the MCP server on stdin/stdout, over a store opened as `serve` opens it
(supervised; an embedded store another process runs on the same data directory is attached to)."""

from __future__ import annotations

import logging
from typing import Any

import anyio
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server

from app.adhoc.runner import AdhocRunner, Limits
from app.adhoc.saved import SavedQueries
from app.api.access import Caller, RateLimit
from app.graph.lifecycle import supervised_store
from app.mcp.context import Backend
from app.mcp.server import build, check_fixed_queries
from app.paging import Cursors
from app.services.release import ReleaseCache
from app.settings import Settings
from seed.schema import load_schema

LOCAL_CALLER = Caller("local", "stdio")
log = logging.getLogger("itsm_ontology.mcp")


def serve_stdio(settings: Settings) -> None:
    """Serve until the client closes stdin. Malformed saved queries or a fixed query that would
    not pass the read-only gate stop it before the store is opened."""
    saved = SavedQueries(settings.cypher_dir / "saved")
    schema = load_schema(settings.ontology_dir / "schema.yaml")
    with supervised_store(settings) as (store, supervisor):
        check_fixed_queries(store.queries)
        releases = ReleaseCache(store)
        releases.refresh(wait_s=settings.query_timeout_s)
        supervisor.on_restart.append(releases.refresh)
        if releases.get() is None:
            log.warning("no ontology release in the store at %s; run `itsm-ontology load` first", settings.data_dir)
        backend = Backend(
            settings=settings,
            store=store,
            folder_schema=schema,
            releases=releases,
            saved=saved,
            runner=AdhocRunner(store, Limits.from_settings(settings)),
            rate_limit=RateLimit(settings.cypher_rate_limit),
            cursors=Cursors(settings.cursor_secret.get_secret_value() if settings.cursor_secret else None),
        )
        mcp = build(lambda: backend, saved=saved, settings=settings, transport="stdio", default_caller=LOCAL_CALLER)
        anyio.run(_serve, mcp.server)


async def _serve(server: Server[Any]) -> None:
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())
