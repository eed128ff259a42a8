"""Property-based API test, on every available store: for whatever the OpenAPI document allows a
caller to send, the service answers with a documented status and content type, a body matching
its schema, and no 5xx other than 503 (store unavailable) or 504 (query timed out). An unhandled
exception fails the test with the request Hypothesis shrank it to.

Schemathesis generates the requests from `/openapi.json` and sends them in-process, 25 per
operation, plus one with real ids per operation that takes them. Derandomised: runs repeat."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.graph.store import GraphStore
from app.main import create_app
from app.settings import Settings

# Real ids, so that generated requests also reach the logic behind a found node.
KNOWN = {
    "node_id": "practice:incident-management",
    "activity_id": "activity:itil:deliver-and-support",
    "role_id": "role:itil:problem-manager",
    "a_id": "role:itil:incident-manager",
    "b_id": "role:itil:problem-manager",
    "name": "role-gap",
}


SETTINGS = settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _check(case: Any) -> None:
    response = case.call()
    assert response.status_code < 500 or response.status_code in (503, 504), (
        f"{case.method} {case.formatted_path} {case.query or ''} -> {response.status_code}: {response.text[:500]}"
    )
    case.validate_response(
        response, checks=(status_code_conformance, content_type_conformance, response_schema_conformance)
    )


def test_no_server_error_and_responses_match_the_schema(store: GraphStore) -> None:
    # An app of its own on the session's store: schemathesis's ASGI transport runs the app's
    # lifespan, which would otherwise stop the supervisor of the session's shared `client`.
    app = create_app(Settings(store="embedded"), store=store)
    api = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:
        known = {k: v for k, v in KNOWN.items() if f"{{{k}}}" in operation.path}

        @SETTINGS
        @given(case=operation.as_strategy())
        def generated(case: Any) -> None:
            _check(case)

        generated()
        if known:  # the same operation again with real ids, to get past the 404s
            case = operation.Case(path_parameters=known)
            _check(case)


def test_the_session_app_still_supervises_its_store_after_the_fuzz(client: Any) -> None:
    """The fuzz ran on an app of its own: the shared client's supervisor is still watching, so
    /ready says ready (a probe delayed by a loaded machine may first give a 503 that says so)."""
    from app.graph.supervisor import Supervisor

    supervisor = client.app.state.supervisor
    assert isinstance(supervisor, Supervisor) and supervisor.watching
    assert client.get("/ready").status_code in (200, 503)
