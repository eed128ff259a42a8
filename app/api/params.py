"""Query parameters shared by several routers, checked against the ontology schema, and the one
rule for query parameters no operation declares (422)."""

from __future__ import annotations

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from app.api.problems import bad_request
from app.errors import InvalidInput
from seed.schema import OntologySchema


def check_label(schema: OntologySchema, label: str | None) -> str | None:
    if label is not None and label not in schema.labels:
        raise bad_request(f"unknown label {label!r}; known: {', '.join(sorted(schema.labels))}")
    return label


def check_types(schema: OntologySchema, types: list[str] | None) -> list[str] | None:
    if not types:
        return None
    flat = [t.strip() for item in types for t in item.split(",") if t.strip()]
    unknown = [t for t in flat if t not in schema.relationship_types]
    if unknown:
        raise bad_request(
            f"unknown relationship type(s) {unknown}; known: {', '.join(sorted(schema.relationship_types))}"
        )
    return flat


def resolve_source(schema: OntologySchema, source: str | None) -> str | None:
    """A document key, file name or 3-digit prefix -> the seed file name used in `sources`."""
    if source is None:
        return None
    file = schema.document_file(source)
    if file is None:
        raise bad_request(f"unknown source {source!r}; use one of {', '.join(schema.documents)}")
    return file


# --- one rule for query parameters ----------------------------------------------------------------

_declared: dict[int, frozenset[str]] = {}


def _query_names(dependant: Dependant) -> frozenset[str]:
    names: set[str] = set()
    stack = [dependant]
    while stack:
        current = stack.pop()
        names.update(field.alias for field in current.query_params)
        stack.extend(current.dependencies)
    return frozenset(names)


async def reject_unknown_query_parameters(request: Request) -> None:  # async: no thread hop per request
    """An app-wide dependency: every operation of the API answers 422 to a query parameter it does
    not declare, rather than ignoring it (a `source=` that looks applied but is not). Pages outside
    the OpenAPI document (the explorer, /docs) are left alone."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not route.include_in_schema:
        return
    declared = _declared.get(id(route))
    if declared is None:
        declared = _declared[id(route)] = _query_names(route.dependant)
    unknown = sorted({name for name in request.query_params if name not in declared})
    if unknown:
        takes = ", ".join(sorted(declared)) or "none"
        raise InvalidInput(
            f"unknown query parameter(s) {', '.join(unknown)}; this operation takes: {takes}",
            errors=[{"location": f"query.{name}", "message": "unknown parameter"} for name in unknown],
        )
