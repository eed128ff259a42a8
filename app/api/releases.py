"""Release history and the change feed: what was loaded when, and what changed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from app.api.deps import PageDep, StoreDep
from app.api.problems import ERROR_RESPONSES, PROBLEM_JSON, ProblemModel
from app.interop.models import ChangeFeed, ReleaseDiff, ReleaseInfo, ReleaseList
from app.services import releases as service

CONTENT_NOT_KEPT: dict[int | str, dict[str, Any]] = {
    409: {
        "model": ProblemModel,
        "content": {PROBLEM_JSON: {}},
        "description": "A release's content was not kept (loaded before releases kept it), or a stale cursor",
    }
}
router = APIRouter(prefix="/v1", tags=["releases"], responses={**ERROR_RESPONSES, **CONTENT_NOT_KEPT})

ReleaseRef = Annotated[
    str,
    Path(min_length=1, max_length=100, description="A release id (release:<loaded_at>), a version, or `latest`."),
]


@router.get("/releases", response_model=ReleaseList, summary="The releases recorded, newest first")
def list_releases(store: StoreDep, page: PageDep) -> ReleaseList:
    return service.list_releases(store, page)


@router.get("/releases/{release}", response_model=ReleaseInfo, summary="One release")
def get_release(store: StoreDep, release: ReleaseRef) -> ReleaseInfo:
    return service.get_release(store, release)


@router.get(
    "/releases/{a}/diff/{b}",
    response_model=ReleaseDiff,
    summary="Nodes and relationships added, removed and changed from release a to release b",
)
def diff_releases(store: StoreDep, page: PageDep, a: ReleaseRef, b: ReleaseRef) -> ReleaseDiff:
    """Changed items list their properties with the values before and after; added and removed
    items carry all their properties. 409 when a release's content was not kept."""
    return service.diff_releases(store, a, b, page)


@router.get("/changes", response_model=ChangeFeed, summary="What changed since a release or a moment")
def changes(
    store: StoreDep,
    page: PageDep,
    since: Annotated[
        str,
        Query(
            min_length=1,
            max_length=100,
            description="A release (id, version or `latest`) or an ISO 8601 time; the feed lists what changed "
            "after it, up to the latest release.",
        ),
    ],
) -> ChangeFeed:
    """The feed a polling service reads: keep `to_release.id`, ask again with `since=<that id>`."""
    return service.changes_since(store, since, page)
