"""Ranked search over names, aliases and codes, fit for autocomplete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import PageDep, ReleasesDep, SchemaDep, StoreDep
from app.api.params import check_label
from app.api.problems import ERROR_RESPONSES
from app.models import SearchResults
from app.services import search as service

router = APIRouter(prefix="/v1", tags=["search"], responses=ERROR_RESPONSES)


@router.get("/search", response_model=SearchResults, summary="Search names, aliases and codes")
def search(
    store: StoreDep,
    schema: SchemaDep,
    page: PageDep,
    releases: ReleasesDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Text to look for; case is ignored.")],
    label: Annotated[str | None, Query(description="Only nodes with this label.")] = None,
) -> SearchResults:
    """Exact, prefix, word-prefix and substring matches of names, aliases and codes, then ids, then
    every word in any order, best first (descriptions when nothing else matches); `matched` names
    the field. A misspelt text that matches nothing is searched once more with each unknown word
    corrected (`corrected` says to what). A text of one or two characters matches only where a
    name, alias, code or one of their words begins. Answered from the release's in-memory index."""
    return service.search(store, q, label=check_label(schema, label), page=page, release=releases.tag())
