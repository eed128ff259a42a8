"""Liveness and readiness.

`/health` answers from the process alone and never touches the store. `/ready` asks the store
supervisor for a fresh probe and the release cache for the loaded release, each with a short
wait, so it answers within a second even when the store is dead, restarting or hung, and says why.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from app.api.deps import ReleasesDep, StoreDep
from app.graph.supervisor import Supervisor
from app.models import PropertyMap

router = APIRouter(tags=["health"])
PROBE_WAIT_S = 0.6  # for the supervisor's probe (a healthy store answers in milliseconds)
RELEASE_WAIT_S = 0.3  # for the release lookup, when the cached one is stale


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    """The body of /ready, ready (200) or not (503, with `reason` and Retry-After)."""

    status: Literal["ready", "unavailable", "not-ready"]
    store: str = Field(description="embedded or neo4j")
    state: str = Field(description="up, suspect, hung, unreachable, refusing, restarting or failed")
    restarts: int = Field(description="restarts of the embedded store since the service started")
    reason: str | None = Field(None, description="why not ready")
    release: PropertyMap | None = Field(None, description="the release loaded, when ready")


READY_EXAMPLE = {
    "status": "ready",
    "store": "embedded",
    "state": "up",
    "restarts": 0,
    "release": {"version": "0.1.0", "content_hash": "80c083ac6133…", "nodes": 1, "relationships": 1},
}
NOT_READY_EXAMPLE = {
    "status": "unavailable",
    "store": "embedded",
    "state": "restarting",
    "restarts": 1,
    "reason": "the embedded ArcadeDB (pid 4242) exited with status -9; restarting it",
}


@router.get(
    "/health",
    response_model=Health,
    summary="The process is alive (never waits on the store)",
    responses={200: {"content": {"application/json": {"example": {"status": "ok"}}}}},
)
def health() -> Health:
    return Health()


def _not_ready(body: dict[str, Any], status: str, reason: str, retry_after_s: int) -> JSONResponse:
    body.update(status=status, reason=reason)
    content = Readiness(**body).model_dump(mode="json")
    return JSONResponse(content, status_code=503, headers={"Retry-After": str(retry_after_s)})


@router.get(
    "/ready",
    response_model=Readiness,
    summary="The store answers and a release is loaded",
    description="503 with `reason` (and `state`: up, suspect, hung, unreachable, refusing, restarting, "
    "failed) when the store is down, being restarted, hung, or holds no release; answers within a second.",
    responses={
        200: {"content": {"application/json": {"example": READY_EXAMPLE}}},
        503: {
            "model": Readiness,
            "description": "Not ready (with Retry-After)",
            "content": {"application/json": {"example": NOT_READY_EXAMPLE}},
        },
    },
)
def ready(request: Request, store: StoreDep, releases: ReleasesDep) -> Readiness | JSONResponse:
    supervisor: Supervisor = request.app.state.supervisor
    status, probed = supervisor.check(PROBE_WAIT_S)
    body: dict[str, Any] = {"store": store.dialect.name, "state": status.state, "restarts": status.restarts}
    if not probed:
        body["state"] = "suspect"
        return _not_ready(body, "unavailable", f"store did not answer a probe within {PROBE_WAIT_S}s", 2)
    if not status.up:
        return _not_ready(body, "unavailable", status.reason or status.state, status.retry_after_s)
    if releases.age_s > releases.ttl_s:
        releases.refresh(wait_s=RELEASE_WAIT_S)
    release = releases.get()
    if release is None:
        if releases.error:
            return _not_ready(body, "unavailable", f"release lookup failed: {releases.error}", 5)
        if releases.age_s > releases.ttl_s:
            return _not_ready(body, "unavailable", f"release lookup took longer than {RELEASE_WAIT_S}s", 2)
        return _not_ready(body, "not-ready", "no release loaded; run `itsm-ontology load`", 5)
    return Readiness(status="ready", release=release, **body)
