"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.api.deps import ReleasesDep, StoreDep
from app.graph.store import StoreUnavailable

router = APIRouter(tags=["health"])


@router.get("/health", summary="The process is alive")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/ready", summary="The store is reachable and a release is loaded", responses={503: {"description": "Not ready"}}
)
def ready(store: StoreDep, releases: ReleasesDep) -> JSONResponse:
    body: dict[str, Any] = {"store": store.dialect.name}
    try:
        store.ping()
        release = releases.get(fresh=True)
    except StoreUnavailable as exc:
        body.update(status="unavailable", reason=f"store unreachable: {exc}")
        return JSONResponse(body, status_code=503, headers={"Retry-After": "5"})
    if release is None:
        body.update(status="not-ready", reason="no release loaded; run `itsm-ontology load`")
        return JSONResponse(body, status_code=503, headers={"Retry-After": "5"})
    body.update(status="ready", release=release)
    return JSONResponse(body)
