"""What the MCP tools work with: the store and the service's shared parts, and who is calling."""

from __future__ import annotations

from dataclasses import dataclass

from app.adhoc.runner import AdhocRunner
from app.adhoc.saved import SavedQueries
from app.api.access import Caller, RateLimit
from app.graph.store import GraphStore
from app.paging import Cursors, Page, make_page
from app.services.release import ReleaseCache, release_schema
from app.settings import Settings
from seed.schema import OntologySchema


@dataclass(frozen=True)
class Backend:
    """One per process (stdio) or per app (HTTP): the same objects the API's routes use."""

    settings: Settings
    store: GraphStore
    folder_schema: OntologySchema  # ontology/schema.yaml as the process read it
    releases: ReleaseCache
    saved: SavedQueries
    runner: AdhocRunner
    rate_limit: RateLimit
    cursors: Cursors  # the app's (HTTP), or one per process (stdio), as ITSM_CURSOR_SECRET says

    @property
    def schema(self) -> OntologySchema:
        """The schema with the loaded release's source documents, as the API's routes see it."""
        return release_schema(self.folder_schema, self.releases.get())

    def page(self, limit: int | None, cursor: str | None) -> Page:
        """A page as the API makes one: `limit` clamped to ITSM_PAGE_MAX, a cursor tied to the release."""
        settings = self.settings
        return make_page(
            limit,
            cursor,
            self.releases.tag(),
            default=settings.page_default,
            maximum=settings.page_max,
            cursors=self.cursors,
        )


@dataclass(frozen=True)
class Call:
    """Who makes a call, over which transport (for the audit line and the rate limit)."""

    caller: Caller
    transport: str  # "stdio" or "http"
