"""`GET /metrics`: the Prometheus text exposition of this process's metrics (app/metrics.py)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from app import metrics
from app.graph.supervisor import Supervisor

router = APIRouter(tags=["health"])

EXAMPLE = """# HELP itsm_http_requests_total HTTP requests answered, by method, route template and status.
# TYPE itsm_http_requests_total counter
itsm_http_requests_total{method="GET",route="/v1/nodes/{node_id}",status="200"} 12.0
# HELP itsm_store_restarts_total Restarts of the embedded store by the supervisor.
# TYPE itsm_store_restarts_total counter
itsm_store_restarts_total 0.0
"""


@router.get(
    "/metrics",
    summary="Prometheus metrics of this process (requests, latency, store time, restarts, ad-hoc refusals)",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"example": EXAMPLE}}, "description": "Prometheus text format"}},
)
def prometheus_metrics(request: Request) -> Response:
    supervisor: Supervisor | None = getattr(request.app.state, "supervisor", None)
    if supervisor is not None:
        metrics.STORE_UP.set(1 if supervisor.status.up else 0)
    body, content_type = metrics.exposition()
    return Response(body, media_type=content_type)
