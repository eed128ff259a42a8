"""RFC 9457 problem details: every error leaves the API as `application/problem+json`.

One handler for every `ServiceError` (app/errors.py: the status, title and members come from the
error itself), one for request validation, one for Starlette's HTTP errors, and a logged 500 for
anything else."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from app.errors import InvalidInput, NotFound, ServiceError, StoreUnavailable

log = logging.getLogger("itsm_ontology.api")
PROBLEM_JSON = "application/problem+json"


class ProblemModel(BaseModel):
    """The body of every error response."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[dict[str, Any]] | None = None


class Problem(ServiceError):
    """A problem with its status and title given on the spot (prefer a class from app/errors.py)."""

    def __init__(
        self, status: int, title: str, detail: str | None = None, *, headers: dict[str, str] | None = None, **extra: Any
    ):
        super().__init__(detail or title, headers=headers, **extra)
        self.status, self.title = status, title


def not_found(what: str, ident: str) -> NotFound:
    return NotFound(what, ident)


def bad_request(detail: str, **extra: Any) -> InvalidInput:
    return InvalidInput(detail, **extra)


def problem_response(
    request: Request,
    status: int,
    title: str,
    detail: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "instance": request.url.path}
    if detail:
        body["detail"] = detail
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


# Declared on every route so OpenAPI documents the error shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ProblemModel, "content": {PROBLEM_JSON: {}}, "description": text}
    for code, text in {404: "Unknown id", 422: "Invalid parameter", 503: "Store unavailable"}.items()
}


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> str:
    """The `Allow` header of a 405: every method some route answers on this path (Starlette names
    only the first route's, and GET and POST of one path are often two routes)."""
    routes = request.app.router.routes
    allowed = [
        method
        for method in METHODS
        if any(route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes)
    ]
    return ", ".join(allowed)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "HTTP error"


def install(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def _service_error(request: Request, exc: ServiceError) -> JSONResponse:
        detail, headers = exc.detail, exc.headers
        if type(exc) is StoreUnavailable:  # the driver's words name hosts and ports: logged, not sent
            log.warning("store unavailable: %s", exc.detail)
            detail = "the graph store cannot be reached; retry shortly"
            supervisor = getattr(request.app.state, "supervisor", None)
            status = getattr(supervisor, "status", None)
            if status is not None and not status.up:  # the supervisor knows when to come back
                headers = {**headers, "Retry-After": str(status.retry_after_s)}
        elif exc.status >= 500:
            log.warning("%s on %s: %s", exc.title, request.url.path, exc.detail)
        return problem_response(request, exc.status, exc.title, detail, headers, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"location": ".".join(str(p) for p in err["loc"]), "message": err["msg"]} for err in exc.errors()]
        detail = "; ".join(f"{e['location']}: {e['message']}" for e in errors)
        return problem_response(request, 422, "Invalid parameter", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code) or _phrase(exc.status_code)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = allowed_methods(request)
        detail = str(exc.detail) if exc.detail else None
        return problem_response(request, exc.status_code, title, detail, headers or None)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return problem_response(request, 500, "Internal error", "an unexpected error occurred; it has been logged")
