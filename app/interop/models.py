"""The typed answers about releases and their changes (GET /v1/releases..., /v1/changes)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from app.models import Listing


class ReleaseInfo(BaseModel):
    id: str = Field(description="release:<loaded_at>")
    version: str = Field(description="Changes exactly when the content does (docs/interop.md, the version rule).")
    content_hash: str = Field(description="SHA-256 of the ontology's canonical content.")
    loaded_at: str = Field(description="UTC time of the load, ISO 8601.")
    nodes: int
    relationships: int
    previous: str | None = Field(None, description="Id of the release this one followed.")
    kept: bool = Field(description="Its content is kept: it can be exported and compared.")


class ReleaseList(Listing):
    items: list[ReleaseInfo]


class PropertyChange(BaseModel):
    name: str = Field(description="The property (or `labels` for a node whose label changed).")
    before: Any = None
    after: Any = None


class Change(BaseModel):
    change: Literal["added", "removed", "changed"]
    entity: Literal["node", "relationship"]
    id: str = Field(description="Node id, or relationship id (TYPE:start->end).")
    label: str | None = Field(None, description="A node's label.")
    type: str | None = Field(None, description="A relationship's type.")
    start: str | None = None
    end: str | None = None
    before: dict[str, Any] | None = Field(None, description="All properties of what was removed.")
    after: dict[str, Any] | None = Field(None, description="All properties of what was added.")
    properties: list[PropertyChange] = Field(default_factory=list, description="What changed, property by property.")


class ChangeCounts(BaseModel):
    added: int = 0
    removed: int = 0
    changed: int = 0


class ChangeSummary(BaseModel):
    nodes: ChangeCounts
    relationships: ChangeCounts


class ReleaseDiff(Listing):
    from_release: ReleaseInfo | None = Field(description="The earlier side; null for the empty graph.")
    to_release: ReleaseInfo
    summary: ChangeSummary
    items: list[Change]


class ChangeFeed(Listing):
    since: ReleaseInfo | None = Field(
        description="The release the feed starts after (the one current at `since`); null: from the empty graph."
    )
    to_release: ReleaseInfo | None = Field(description="The latest release.")
    releases: int = Field(description="How many releases were loaded after `since`.")
    summary: ChangeSummary
    items: list[Change]
