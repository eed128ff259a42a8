"""The /v1 contract other services rely on: docs/openapi.json is the published API, and the running
app may add to it but never break it.

Breaking, here: an operation or query parameter removed; a parameter made required, or a new
required one; a response field removed or no longer always present; a request field newly
required. Such a change belongs under /v2. Anything else (new operations, new optional parameters,
new response fields) is fine, but the published document must be regenerated so that it shows it:

    itsm-ontology openapi -o docs/openapi.json
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.main import create_app
from app.settings import Settings

PUBLISHED = Path(__file__).resolve().parents[1] / "docs" / "openapi.json"
METHODS = {"get", "post", "put", "patch", "delete"}


def _security_headers(document: dict[str, Any], operation: dict[str, Any]) -> dict[tuple[str, str], Any]:
    """Headers an operation takes through an `apiKey` security scheme, keyed like parameters
    (names lower-cased, as FastAPI writes header parameters)."""
    schemes = document.get("components", {}).get("securitySchemes", {})
    found: dict[tuple[str, str], Any] = {}
    for requirement in operation.get("security", []):
        for name in requirement:
            scheme = schemes.get(name, {})
            if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
                found[("header", scheme["name"].lower())] = {"required": False}
    return found


def breaking_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    request_schemas: set[str] = set()
    for path, operations in old["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            where = f"{method.upper()} {path}"
            current = new["paths"].get(path, {}).get(method)
            if current is None:
                problems.append(f"{where}: operation removed")
                continue
            before = {(p["in"], p["name"]): p for p in operation.get("parameters", [])}
            after = {(p["in"], p["name"]): p for p in current.get("parameters", [])}
            after.update(_security_headers(new, current))  # a header now declared as an API key scheme
            for key, parameter in before.items():
                if key not in after:
                    problems.append(f"{where}: parameter {key[1]!r} removed")
                elif after[key].get("required") and not parameter.get("required"):
                    problems.append(f"{where}: parameter {key[1]!r} became required")
            for key, parameter in after.items():
                if key not in before and parameter.get("required"):
                    problems.append(f"{where}: new required parameter {key[1]!r}")
            for content in operation.get("requestBody", {}).get("content", {}).values():
                ref = content.get("schema", {}).get("$ref", "")
                request_schemas.add(ref.rsplit("/", 1)[-1])
    old_schemas, new_schemas = old["components"]["schemas"], new["components"]["schemas"]
    for name, schema in old_schemas.items():
        current = new_schemas.get(name)
        if current is None:
            problems.append(f"schema {name}: removed")
            continue
        removed = set(schema.get("properties", {})) - set(current.get("properties", {}))
        problems += [f"schema {name}: field {field!r} removed" for field in sorted(removed)]
        before, after = set(schema.get("required", [])), set(current.get("required", []))
        if name in request_schemas:
            problems += [f"schema {name}: request field {f!r} became required" for f in sorted(after - before)]
        else:
            problems += [
                f"schema {name}: response field {f!r} no longer always present" for f in sorted(before - after)
            ]
    return problems


@pytest.fixture(scope="module")
def live() -> dict[str, Any]:
    return create_app(Settings()).openapi()


@pytest.fixture(scope="module")
def published() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(PUBLISHED.read_text(encoding="utf-8"))
    return document


def test_the_running_api_does_not_break_the_published_contract(live: dict[str, Any], published: dict[str, Any]) -> None:
    problems = breaking_changes(published, live)
    assert not problems, "breaking /v1 changes (these need /v2):\n" + "\n".join(problems)


def test_the_published_contract_is_up_to_date(live: dict[str, Any], published: dict[str, Any]) -> None:
    assert live == published, "the API changed: run `itsm-ontology openapi -o docs/openapi.json` and review the diff"


def test_the_checker_sees_breaking_changes(published: dict[str, Any]) -> None:
    """Its teeth, on edited copies of the published document."""
    changed = json.loads(json.dumps(published))
    path = next(p for p in changed["paths"] if "{role_id}" in p)
    del changed["paths"][path]["get"]
    schema = changed["components"]["schemas"]["Requirement"]
    del schema["properties"]["sources"]
    schema["required"] = [r for r in schema.get("required", []) if r != "id"]
    nodes = changed["paths"]["/v1/nodes"]["get"]
    nodes["parameters"] = [p for p in nodes["parameters"] if p["name"] != "cursor"]
    nodes["parameters"].append({"in": "query", "name": "tenant", "required": True, "schema": {"type": "string"}})
    problems = breaking_changes(published, changed)
    assert f"GET {path}: operation removed" in problems
    assert "schema Requirement: field 'sources' removed" in problems
    assert "schema Requirement: response field 'id' no longer always present" in problems
    assert "GET /v1/nodes: parameter 'cursor' removed" in problems
    assert "GET /v1/nodes: new required parameter 'tenant'" in problems
    assert breaking_changes(published, published) == []
