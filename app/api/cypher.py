"""Analysts' ad-hoc Cypher: `POST /v1/cypher`, read-only and bounded (see app/services/adhoc.py)."""

from __future__ import annotations

import hmac
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from app.api.deps import SettingsDep, StoreDep
from app.api.problems import ERROR_RESPONSES, PROBLEM_JSON, Problem, ProblemModel
from app.services.adhoc import AdhocError, AdhocResult, AdhocRunner, AdhocTimeout, Limits, api_key_id, to_csv

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
    403: _problem_doc("Refused: the query would write, administer, load files or call a procedure not allowed"),
    504: _problem_doc("The query ran past the time limit"),
}


class CypherRequest(BaseModel):
    query: str = Field(min_length=1, description="One read-only Cypher statement.")
    parameters: dict[str, Any] = Field(default_factory=dict, description="Values for `$name` parameters.")
    limit: int | None = Field(None, ge=1, description="Rows to return at most (capped by the server's maximum).")


class CypherResult(BaseModel):
    columns: list[str]
    rows: list[list[Any]] = Field(
        description="One list per row. Nodes are {id, labels, properties}; relationships {type, start, end, "
        "properties} with start/end as node ids; paths {nodes, relationships}; temporal values ISO 8601 strings."
    )
    row_count: int
    truncated: bool = Field(description="True when rows were left out by the row limit or the size cap.")
    truncated_by: Literal["rows", "bytes"] | None = None
    limit: int = Field(description="The row limit that applied.")
    elapsed_ms: float


def get_runner(request: Request, store: StoreDep, settings: SettingsDep) -> AdhocRunner:
    """One runner per app and store (it holds the concurrency slots)."""
    runner: AdhocRunner | None = getattr(request.app.state, "adhoc_runner", None)
    if runner is None or runner.store is not store:
        with _runner_lock:
            runner = getattr(request.app.state, "adhoc_runner", None)
            if runner is None or runner.store is not store:
                runner = AdhocRunner(store, Limits.from_settings(settings))
                request.app.state.adhoc_runner = runner
    return runner


RunnerDep = Annotated[AdhocRunner, Depends(get_runner)]
FormatQuery = Annotated[
    Literal["json", "csv"] | None, Query(description="csv for CSV; else the Accept header decides (JSON by default).")
]


@contextmanager
def as_problems() -> Iterator[None]:
    """The service's errors as problem+json (StoreUnavailable keeps its own 503 handler)."""
    try:
        yield
    except AdhocError as exc:
        headers = {"Retry-After": "2"} if exc.status == 503 else None
        raise Problem(exc.status, exc.title, exc.message, headers=headers, **exc.extra) from exc
    except AdhocTimeout as exc:
        raise Problem(504, "Query timed out", str(exc), limit_s=exc.limit_s) from exc


def respond(result: AdhocResult, request: Request, format: str | None) -> Response | dict[str, Any]:
    wants_csv = format == "csv" or (format is None and "text/csv" in request.headers.get("accept", ""))
    if wants_csv:
        headers = {"X-Row-Count": str(len(result.rows)), "X-Truncated": str(result.truncated).lower()}
        return Response(to_csv(result.columns, result.rows), media_type=CSV_MEDIA_TYPE, headers=headers)
    return result.as_dict()


def caller(settings: SettingsDep, x_api_key: Annotated[str | None, Header()] = None) -> str:
    """Who is asking, for the audit log; checks the API key when one is configured."""
    expected = settings.cypher_api_key.get_secret_value() if settings.cypher_api_key else None
    if not expected:
        return "anonymous"
    if not x_api_key or not hmac.compare_digest(x_api_key.encode(), expected.encode()):
        raise Problem(
            401,
            "API key required",
            "send the ad-hoc Cypher API key in X-API-Key",
            headers={"WWW-Authenticate": "ApiKey"},
        )
    return api_key_id(x_api_key)


CallerDep = Annotated[str, Depends(caller)]


@router.post(
    "/cypher",
    response_model=CypherResult,
    responses=QUERY_RESPONSES,
    summary="Run one read-only Cypher query (analysts)",
)
def run_cypher(
    body: CypherRequest, request: Request, runner: RunnerDep, who: CallerDep, format: FormatQuery = None
) -> Response | dict[str, Any]:
    """Read-only by construction: a read-only store user, a token-level gate and a transaction that
    is always rolled back. Bounded by a time limit, a row limit (`truncated`), and a size cap."""
    with as_problems():
        result = runner.run(body.query, body.parameters, limit=body.limit, who=who)
    return respond(result, request, format)
