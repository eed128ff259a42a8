"""Examples in the OpenAPI document: every operation shows at least one (parameters, a request
body, or an answer), filled in once when the document is first built.

Parameter examples come from one table by name, with a few names meaning different things on
different paths (`from`/`to` are node ids on /v1/paths and frameworks on /v1/crosswalk); request
bodies and the answers of operations that take no parameters have their own. Every value is a
real id of the ontology, so "Try it out" in /docs answers with data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

PARAMETERS: dict[str, Any] = {
    "node_id": "practice:incident-management",
    "role_id": "role:itil:problem-manager",
    "a_id": "role:itil:incident-manager",
    "b_id": "role:itil:problem-manager",
    "activity_id": "activity:itil:deliver-and-support",
    "value_chain_id": "value-chain:itil",
    "name": "role-gap",
    "q": "incident",
    "label": "Practice",
    "source": "itil4-practices",
    "limit": 20,
    "depth": 2,
    "direction": "out",
    "measure": "betweenness",
    "mode": "shortest",
    "max_hops": 4,
    "exclude": ["framework:itil4"],
    "exclude_type": ["PART_OF"],
    "avoid_hubs": True,
    "aligned": True,
    "basis": "inferred",
    "min_level": "high",
    "include": ["roles"],
    "format": "json",
    "release": "latest",
}
# Names whose meaning depends on the operation: (path, name) -> example.
BY_PATH: dict[tuple[str, str], Any] = {
    ("/v1/paths", "from"): "role:zero-outage:incident-manager",
    ("/v1/paths", "to"): "practice:problem-management",
    ("/v1/paths", "type"): ["RESPONSIBLE_FOR", "CONTRIBUTES_TO"],
    ("/v1/crosswalk", "from"): "zero-outage",
    ("/v1/crosswalk", "to"): "itil4",
    ("/v1/crosswalk", "kind"): "same-role",
    ("/v1/crosswalk", "type"): ["MAPS_TO"],
    ("/v1/nodes/{node_id}/neighbors", "type"): ["RESPONSIBLE_FOR"],
    ("/v1/disagreements", "type"): ["CONTRIBUTES_TO"],
    ("/v1/value-chain/{value_chain_id}/role-coverage", "kind"): "itil-role",
}
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "/v1/cypher"): {
        "high contributions": {
            "summary": "Practices contributing highly to one activity",
            "value": {
                "query": "MATCH (p:Practice)-[c:CONTRIBUTES_TO]->(:ValueChainActivity {id: $a}) "
                "WHERE c.level = 'high' RETURN p.id AS practice ORDER BY practice",
                "parameters": {"a": "activity:itil:deliver-and-support"},
                "limit": 100,
            },
        }
    },
    ("post", "/v1/queries/{name}"): {
        "role gap": {
            "summary": "What an incident manager needs that a problem manager does not (role-gap)",
            "value": {
                "parameters": {
                    "role": "role:zero-outage:incident-manager",
                    "other": "role:zero-outage:problem-manager",
                },
                "limit": 50,
            },
        }
    },
}
ANSWERS: dict[tuple[str, str], Any] = {
    ("get", "/v1/schema"): {
        "version": "0.1.0",
        "labels": [{"name": "Practice", "count": 34, "doc": "An ITIL 4 management practice."}],
        "relationship_types": [{"name": "RESPONSIBLE_FOR", "count": 51, "doc": "A role answers for a practice."}],
        "documents": {"itil4-practices": {"file": "001_36cf4593c3a5a483.txt", "title": "ITIL 4 management practices"}},
        "release": {"version": "0.1.0", "content_hash": "80c083ac6133…", "nodes": 1, "relationships": 1},
    },
    ("get", "/v1/value-chain"): {
        "items": [
            {
                "id": "value-chain:itil",
                "name": "ITIL service value chain",
                "framework": {"id": "framework:itil4", "name": "ITIL 4"},
                "activities": [{"id": "activity:itil:plan", "name": "Plan", "order": 1}],
            }
        ]
    },
}


# Answers in another media type than JSON: (method, path) -> (media type, example).
OTHER_ANSWERS: dict[tuple[str, str], tuple[str, str]] = {
    ("get", "/v1/vocabulary"): (
        "text/turtle",
        "@prefix itsm: <https://itsm-ontology.example/vocabulary#> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n\nitsm:Practice a owl:Class .\n",
    ),
}


def _example_of(path: str, parameter: dict[str, Any]) -> Any:
    name = parameter["name"]
    return BY_PATH.get((path, name), PARAMETERS.get(name))


def add_examples(document: dict[str, Any]) -> None:
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                value = _example_of(path, parameter)
                if value is not None and "example" not in parameter and "examples" not in parameter:
                    parameter["example"] = value
            body = BODIES.get((method, path))
            if body:
                for content in operation.get("requestBody", {}).get("content", {}).values():
                    content.setdefault("examples", body)
            other = OTHER_ANSWERS.get((method, path))
            if other is not None:
                media, text = other
                content = operation.get("responses", {}).get("200", {}).get("content", {}).get(media)
                if content is not None:
                    content.setdefault("example", text)
            answer = ANSWERS.get((method, path))
            if answer is not None:
                content = operation.get("responses", {}).get("200", {}).get("content", {}).get("application/json")
                if content is not None:
                    content.setdefault("example", answer)


def install(app: FastAPI) -> None:
    """Wrap `app.openapi` so that the document it builds (once) carries the examples."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            add_examples(build())
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
