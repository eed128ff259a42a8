"""Analysts' ad-hoc Cypher: `POST /v1/cypher`, read-only and bounded (see app/adhoc/)."""

from __future__ import annotations

import threading
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from app.adhoc.models import CypherRequest, CypherResult
from app.adhoc.runner import AdhocRunner, Limits
from app.adhoc.values import to_csv
from app.api.access import OPTIONAL_KEY, AdhocAccessDep
from app.api.deps import SettingsDep, StoreDep
from app.api.problems import ERROR_RESPONSES, PROBLEM_JSON, ProblemModel
from app.graph.store import GraphStore
from app.settings import Settings

router = APIRouter(prefix="/v1", tags=["cypher"], responses=ERROR_RESPONSES)

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
_runner_lock = threading.Lock()


def _problem_doc(text: str) -> dict[str, Any]:
    return {"model": ProblemModel, "content": {PROBLEM_JSON: {}}, "description": text}


QUERY_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/csv": {}},
        "description": "The rows (JSON, or CSV with `Accept: text/csv` or `?format=csv`)",
    },
    400: _problem_doc("Syntax error (with the engine's message and position) or a failing query"),
    401: _problem_doc("API key missing or wrong (only when ITSM_CYPHER_API_KEY is set)"),
    429: _problem_doc("Too many ad-hoc queries from this client (ITSM_CYPHER_RATE_LIMIT); see Retry-After"),
    403: _problem_doc("Refused: the query would write, administer, load files or call a procedure not allowed"),
    504: _problem_doc("The query ran past the time limit"),
    408: _problem_doc("The request body did not arrive within ITSM_BODY_TIMEOUT_S (the connection is closed)"),
    413: _problem_doc("The request body is larger than ITSM_MAX_BODY_BYTES"),
    415: _problem_doc("The JSON body names a charset other than UTF-8"),
}


def shared_runner(state: Any, store: GraphStore, settings: Settings) -> AdhocRunner:
    """One runner per app and store (it holds the concurrency slots), shared by every transport
    (these routes and /mcp)."""
    runner: AdhocRunner | None = getattr(state, "adhoc_runner", None)
    if runner is None or runner.store is not store:
        with _runner_lock:
            runner = getattr(state, "adhoc_runner", None)
            if runner is None or runner.store is not store:
                runner = AdhocRunner(store, Limits.from_settings(settings))
                state.adhoc_runner = runner
    return runner


def get_runner(request: Request, store: StoreDep, settings: SettingsDep) -> AdhocRunner:
    return shared_runner(request.app.state, store, settings)


RunnerDep = Annotated[AdhocRunner, Depends(get_runner)]
FormatQuery = Annotated[
    Literal["json", "csv"] | None, Query(description="csv for CSV; else the Accept header decides (JSON by default).")
]


def respond(result: CypherResult, request: Request, format: str | None) -> Response | CypherResult:
    wants_csv = format == "csv" or (format is None and "text/csv" in request.headers.get("accept", ""))
    if wants_csv:
        headers = {"X-Row-Count": str(len(result.rows)), "X-Truncated": str(result.truncated).lower()}
        return Response(to_csv(result.columns, result.rows), media_type=CSV_MEDIA_TYPE, headers=headers)
    return result


@router.post(
    "/cypher",
    response_model=CypherResult,
    responses=QUERY_RESPONSES,
    summary="Run one read-only Cypher query (analysts)",
    openapi_extra=OPTIONAL_KEY,
)
def run_cypher(
    body: CypherRequest, request: Request, runner: RunnerDep, caller: AdhocAccessDep, format: FormatQuery = None
) -> Response | CypherResult:
    """Read-only by construction: a read-only store user, a token-level gate and a transaction that
    is always rolled back. Bounded by a time limit, a row limit (`truncated`), and a size cap."""
    result = runner.run(body.query, body.parameters, limit=body.limit, who=caller.name)
    return respond(result, request, format)
