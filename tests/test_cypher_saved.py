"""Saved queries: the header format, and every shipped query returning real rows on each store."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.adhoc.saved import SavedQueries, SavedQueryError, parse
from app.graph.store import GraphStore
from app.main import create_app
from app.settings import Settings
from seed.model import Ontology

SAVED = SavedQueries(Settings().cypher_dir / "saved")

HEADER = """// Roles that need a competency.
// Second description line.
// @param competency: string = competency:communication — the competency id
// @param min: int = 2 -- at least this many
// @param kinds: list[string] = [itil-role, job-profile] — role kinds
// @param family: string = null — optional family
// @param role: string — required, no default
MATCH (r:Role {id: $role})-[q:REQUIRES]->(c {id: $competency})
WHERE r.kind IN $kinds AND ($family IS NULL OR q.family = $family) AND size($kinds) >= $min
RETURN r.id
"""


def test_header_format() -> None:
    query = parse("demo", HEADER)
    assert query.description == "Roles that need a competency. Second description line."
    by_name = {p.name: p for p in query.parameters}
    assert by_name["competency"].default == "competency:communication" and not by_name["competency"].required
    assert by_name["min"].type == "int" and by_name["min"].default == 2
    assert by_name["kinds"].default == ["itil-role", "job-profile"]
    assert by_name["family"].default is None and not by_name["family"].required
    assert by_name["role"].required and by_name["role"].description == "required, no default"
    assert query.text.startswith("MATCH (r:Role")


def test_binding_checks_types_and_fills_defaults() -> None:
    query = parse("demo", HEADER)
    bound = query.bind({"role": "role:itil:change-manager", "min": 1})
    assert bound == {
        "competency": "competency:communication",
        "min": 1,
        "kinds": ["itil-role", "job-profile"],
        "family": None,
        "role": "role:itil:change-manager",
    }
    assert query.bind_text({"role": "r", "min": "3", "kinds": "a,b"})["kinds"] == ["a", "b"]
    with pytest.raises(SavedQueryError, match="needs parameter 'role'"):
        query.bind({})
    with pytest.raises(SavedQueryError, match="must be int"):
        query.bind({"role": "r", "min": "3"})
    with pytest.raises(SavedQueryError, match="must be int"):
        query.bind({"role": "r", "min": True})
    with pytest.raises(SavedQueryError, match="no parameter"):
        query.bind({"role": "r", "nope": 1})


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("MATCH (n) RETURN n", "needs a description"),
        ("// x\n// @param a: string = 1 — used\nMATCH (n) RETURN n", "differ"),
        ("// x\nMATCH (n {id: $undeclared}) RETURN n", "differ"),
        ("// x\n// @param a: date = 1 — bad type\nRETURN $a", "unknown type"),
        ("// x\n// @param a string — no colon\nRETURN $a", "cannot read"),
        ("// x\n", "no query"),
    ],
)
def test_malformed_headers_are_refused(source: str, message: str) -> None:
    with pytest.raises(SavedQueryError, match=message):
        parse("bad", source)


def test_at_least_ten_saved_queries_ship() -> None:
    assert len(SAVED) >= 10
    for query in SAVED:
        assert query.description and query.text
        assert all(p.description for p in query.parameters)


def run(client: TestClient, name: str, **parameters: Any) -> dict[str, Any]:
    response = client.post(f"/v1/queries/{name}", json={"parameters": parameters})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def rows_as_dicts(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(zip(body["columns"], row, strict=True)) for row in body["rows"]]


@pytest.mark.parametrize("name", sorted(q.name for q in SAVED))
def test_every_saved_query_returns_rows_with_its_defaults(client: TestClient, name: str) -> None:
    body = run(client, name)
    assert body["row_count"] > 0 and not body["truncated"], body


def test_list_and_describe(client: TestClient) -> None:
    body = client.get("/v1/queries", params={"limit": 100}).json()
    assert body["total"] == len(SAVED) and body["next"] is None
    names = [item["name"] for item in body["items"]]
    assert "practices-for-activity" in names
    one = client.get("/v1/queries/practices-for-activity").json()
    assert {p["name"] for p in one["parameters"]} == {"activity", "level"}
    assert one["cypher"].startswith("MATCH")
    assert client.get("/v1/queries/nope").status_code == 404
    assert client.post("/v1/queries/nope", json={}).status_code == 404


def test_saved_query_parameter_errors_are_422(client: TestClient) -> None:
    response = client.post("/v1/queries/roles-sharing-competencies", json={"parameters": {"min_shared": "many"}})
    assert response.status_code == 422 and "must be int" in response.json()["detail"]
    response = client.post("/v1/queries/role-gap", json={"parameters": {"nope": 1}})
    assert response.status_code == 422


def test_practices_for_activity_by_level(client: TestClient, ontology: Ontology) -> None:
    activity = "activity:itil:deliver-and-support"
    body = rows_as_dicts(run(client, "practices-for-activity", activity=activity, level="high"))
    expected = {
        r.start
        for r in ontology.relationships.values()
        if r.type == "CONTRIBUTES_TO" and r.end == activity and r.properties["level"] == "high"
    }
    assert {row["practice"] for row in body} == expected
    assert "practice:incident-management" in expected


def test_role_gap_is_a_set_difference(client: TestClient, ontology: Ontology) -> None:
    a, b = "role:zero-outage:incident-manager", "role:zero-outage:problem-manager"

    def needs(role: str) -> set[str]:
        return {r.end for r in ontology.relationships.values() if r.type == "REQUIRES" and r.start == role}

    body = rows_as_dicts(run(client, "role-gap", role=a, other=b))
    assert {row["competency"] for row in body} == needs(a) - needs(b)


def test_changes_of_change_request(client: TestClient, ontology: Ontology) -> None:
    body = rows_as_dicts(run(client, "changes-of-change-request", change_request="change-request:sfia-1431"))
    expected = {
        (r.end, r.properties["change"])
        for r in ontology.relationships.values()
        if r.type == "CHANGES" and r.start == "change-request:sfia-1431"
    }
    assert {(row["target"], row["change"]) for row in body} == expected
    assert ("sfia:ITMG", "rename") in expected


def test_shortest_path_and_value_stream(client: TestClient) -> None:
    [path] = rows_as_dicts(run(client, "shortest-path"))
    assert (
        path["nodes"][0] == "role:zero-outage:incident-manager" and path["nodes"][-1] == "practice:problem-management"
    )
    assert path["hops"] == len(path["relationships"]) == 2
    steps = rows_as_dicts(run(client, "value-stream-steps", stream="value-stream:user-support"))
    assert [row["step"] for row in steps] == sorted(row["step"] for row in steps)
    assert steps[0]["activity"] == "activity:itil:engage"


def test_an_unknown_id_parameter_is_404_with_or_without_the_graph_in_memory(store: GraphStore) -> None:
    """The id check answers from the release's graph in memory when it is held, from the store
    when it is not (ITSM_MEMORY_GRAPH_MAX_RELATIONSHIPS=0): the same 404 and the same rows."""
    for held in (300_000, 0):
        settings = Settings(store="embedded", memory_graph_max_relationships=held)
        with TestClient(create_app(settings, store=store)) as fresh:
            missing = fresh.post("/v1/queries/role-gap", json={"parameters": {"other": "role:nope"}})
            assert missing.status_code == 404 and "role:nope" in missing.json()["detail"], held
            found = fresh.post("/v1/queries/role-gap", json={})
            assert found.status_code == 200 and found.json()["rows"], held
