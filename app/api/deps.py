"""Annotated dependencies, so route signatures read like prose.

They are `async def` because none of them waits on anything: FastAPI runs a plain `def`
dependency in the thread pool, a thread hop per dependency per request (measured in bench/).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.api.pagination import PageParams
from app.graph.store import GraphStore
from app.paging import Cursors, Page, make_page
from app.services.release import ReleaseCache, release_schema
from app.settings import Settings
from seed.schema import OntologySchema


async def get_store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


async def get_releases(request: Request) -> ReleaseCache:
    releases: ReleaseCache = request.app.state.releases
    return releases


async def get_schema(request: Request) -> OntologySchema:
    """The ontology schema, with the source documents of the loaded release (a load that adds a
    document is seen by the running service's `source=` at once; see release_schema)."""
    schema: OntologySchema = request.app.state.schema
    releases: ReleaseCache | None = getattr(request.app.state, "releases", None)
    return release_schema(schema, releases.get() if releases else None)


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


StoreDep = Annotated[GraphStore, Depends(get_store)]
ReleasesDep = Annotated[ReleaseCache, Depends(get_releases)]
SchemaDep = Annotated[OntologySchema, Depends(get_schema)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


async def get_page(request: Request, params: PageParams, releases: ReleasesDep, settings: SettingsDep) -> Page:
    limit, cursor = params
    cursors: Cursors = request.app.state.cursors  # made by create_app with the cursor key
    return make_page(
        limit, cursor, releases.tag(), default=settings.page_default, maximum=settings.page_max, cursors=cursors
    )


PageDep = Annotated[Page, Depends(get_page)]
