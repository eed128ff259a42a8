"""The FastAPI application: store lifecycle, routers, errors, the release header."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute

from app import __version__, metrics
from app.adhoc.saved import SavedQueries
from app.api import (
    analytics,
    crosswalk,
    cypher,
    disagreements,
    examples,
    export,
    health,
    nodes,
    overlay,
    paths,
    problems,
    queries,
    releases,
    roles,
    schema,
    search,
    value_chain,
)
from app.api import coverage as role_coverage
from app.api import metrics as metrics_api
from app.api.access import RateLimit
from app.api.answers import RELEASE_HEADER as RELEASE_HEADER
from app.api.answers import AnswerHeaders
from app.api.bodies import BodyGuard
from app.api.observe import Observe
from app.api.params import reject_unknown_query_parameters
from app.graph.lifecycle import load_if_out_of_date, supervised_store
from app.graph.store import GraphStore
from app.mcp import http as mcp_http
from app.overlay.profiles import ProfileCache
from app.overlay.sources import SourceCatalogue
from app.paging import Cursors
from app.services.analytics import Analytics, Bounds
from app.services.release import ReleaseCache
from app.settings import Settings, get_settings
from app.web import mount as mount_explorer
from seed.schema import load_schema

log = logging.getLogger("itsm_ontology")


def _operation_id(route: APIRoute) -> str:
    """Clean OpenAPI operation ids (the function name) so generated clients read well."""
    return route.name


class UnsafeSetup(RuntimeError):
    """The settings would expose ad-hoc Cypher without a key (see Settings.unsafe_setup)."""


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the app. With `store` given (tests), the caller owns its lifecycle."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        unsafe = settings.unsafe_setup()
        if unsafe:
            raise UnsafeSetup("refusing to start: " + "; ".join(unsafe))
        with ExitStack() as stack:
            active, supervisor = stack.enter_context(supervised_store(settings, store))
            if settings.load_on_start:  # `serve --load`: one store start for load and serve
                log.info("ontology: %s", load_if_out_of_date(active, settings))
            releases = ReleaseCache(active)
            releases.refresh(wait_s=settings.query_timeout_s)  # so that the first answers name it
            supervisor.on_restart.append(releases.refresh)
            supervisor.on_restart.append(metrics.STORE_RESTARTS.inc)
            app.state.store, app.state.supervisor, app.state.releases = active, supervisor, releases
            if active.started_in_s is not None:
                log.info("embedded ArcadeDB started in %.1fs", active.started_in_s)
            async with mcp_http.running(app):  # /mcp's session manager, when ITSM_MCP_ENABLED
                yield

    app = FastAPI(
        title="itsm-ontology",
        version=__version__,
        description="A graph ontology of ITIL 4, the Zero Outage Industry Standard and SFIA. "
        "Every fact carries its sources (document and line range).",
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
        docs_url=None,  # /docs and /redoc come from app.web, with local assets
        redoc_url=None,
        dependencies=[Depends(reject_unknown_query_parameters)],  # one rule: undeclared query parameters are 422
    )
    app.state.settings = settings
    app.state.analytics = Analytics(
        Bounds(
            wait_s=settings.query_timeout_s,
            max_nodes=settings.analytics_max_nodes,
            max_edges=settings.analytics_max_edges,
            exact_nodes=settings.analytics_exact_nodes,
            samples=settings.analytics_samples,
        )
    )
    app.state.cursors = Cursors(settings.cursor_secret.get_secret_value() if settings.cursor_secret else None)
    app.state.adhoc_rate_limit = RateLimit(settings.cypher_rate_limit)
    app.state.saved_queries = SavedQueries(settings.cypher_dir / "saved")  # a malformed file fails here
    app.state.schema = load_schema(settings.ontology_dir / "schema.yaml")
    app.state.sources = SourceCatalogue()  # organisation sources, read from the store per release
    app.state.overlay_profiles = ProfileCache()  # every role's holdings, read once per release
    problems.install(app)
    examples.install(app)
    app.add_middleware(BodyGuard, max_bytes=settings.max_body_bytes, timeout_s=settings.body_timeout_s)

    # The release header, ETags and 304s, and the release's answers kept in memory (app/api/answers.py).
    app.add_middleware(AnswerHeaders, cache=settings.answer_cache)

    if settings.cors_origin_list:  # off unless configured
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Content-Type", "X-API-Key", "X-Request-ID", "If-None-Match", "Accept"],
            expose_headers=["X-Request-ID", "X-Ontology-Release", "ETag", "Server-Timing", "Retry-After"],
            max_age=600,
        )
    app.add_middleware(Observe)  # outermost: request id, Server-Timing, metrics, access log
    app.include_router(metrics_api.router)
    for module in (health, schema, nodes, value_chain, roles, search, export, analytics, cypher, queries):
        app.include_router(module.router)
    app.include_router(role_coverage.router)
    app.include_router(crosswalk.router)
    app.include_router(paths.router)
    app.include_router(releases.router)
    app.include_router(disagreements.router)
    mcp_http.install(app, settings)  # /mcp, only when ITSM_MCP_ENABLED (docs/mcp.md)
    app.include_router(overlay.router)
    mount_explorer(app)
    return app
