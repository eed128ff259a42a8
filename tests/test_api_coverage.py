"""GET /v1/value-chain/{chain}/role-coverage: role x activity coverage, on every available store."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.test_api import assert_problem

URL = "/v1/value-chain/{}/role-coverage"


def rows(client: TestClient, chain: str, **params: Any) -> dict[str, Any]:
    response = client.get(URL.format(chain), params={"limit": 200, **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def cell(body: dict[str, Any], role: str, activity: str) -> dict[str, Any] | None:
    row = next((r for r in body["items"] if r["role"]["id"] == role), None)
    return next((c for c in row["cells"] if c["activity"] == activity), None) if row else None


def test_itil_chain_roles_through_their_practices(client: TestClient) -> None:
    body = rows(client, "value-chain:itil")
    assert body["value_chain"]["id"] == "value-chain:itil"
    assert body["activities"][0]["name"] == "Plan" and len(body["activities"]) == 6
    deliver = cell(body, "role:itil:incident-manager", "activity:itil:deliver-and-support")
    assert deliver is not None and deliver["level"] == "high"
    incident = next(p for p in deliver["practices"] if p["practice"]["id"] == "practice:incident-management")
    assert incident["level"] == "high" and incident["basis"] == "stated"
    assert any(s.startswith("001_") for s in incident["sources"])
    # Incident management is explicitly excluded from Plan (level none): that is no coverage.
    plan = cell(body, "role:itil:incident-manager", "activity:itil:plan")
    assert plan is None or all(p["practice"]["id"] != "practice:incident-management" for p in plan["practices"])
    covered = [r["covered"] for r in body["items"]]
    assert covered == sorted(covered, reverse=True) and all(r["covered"] == len(r["cells"]) for r in body["items"])
    # A role that works in an activity (PERFORMS_IN) is marked so, with its basis and sources.
    staff = cell(body, "role:itil:service-desk-staff", "activity:itil:design-and-transition")
    assert staff is not None and staff["performs_in"] == "stated" and staff["performs_in_sources"]


def test_zero_outage_profiles_by_phase(client: TestClient) -> None:
    body = rows(client, "value-chain:zero-outage")
    # 8 of the 15 profiles have a phase: only those whose own wording names work of one (zero-outage.yaml).
    assert body["total"] == 8 and {r["role"]["kind"] for r in body["items"]} == {"job-profile"}
    run = cell(body, "role:zero-outage:incident-manager", "activity:zero-outage:run")
    assert (
        run is not None and run["performs_in"] == "inferred" and run["performs_in_rationale"].startswith("Our reading")
    )


def test_filters_pagination_and_problems(client: TestClient) -> None:
    profiles = rows(client, "value-chain:itil", kind="job-profile")
    assert profiles["items"] and {r["role"]["kind"] for r in profiles["items"]} == {"job-profile"}
    only_004 = rows(client, "value-chain:itil", source="004")
    everything = rows(client, "value-chain:itil")
    assert 0 < only_004["total"] < everything["total"]
    first = client.get(URL.format("value-chain:itil"), params={"limit": 2}).json()
    assert len(first["items"]) == 2 and first["next"] and first["total"] == everything["total"]
    second = client.get(URL.format("value-chain:itil"), params={"limit": 2, "cursor": first["next"]}).json()
    assert second["items"][0]["role"]["id"] == everything["items"][2]["role"]["id"]
    assert_problem(client.get(URL.format("value-chain:nope")), 404)
    assert_problem(client.get(URL.format("value-chain:itil"), params={"source": "999"}), 422)
    assert_problem(client.get(URL.format("value-chain:itil"), params={"kind": "wizard"}), 422)


def test_zero_outage_through_alignment(client: TestClient) -> None:
    """aligned=true: a ZO phase is also covered by the roles answering for practices of the ITIL
    activities it aligns with, each practice saying through which."""
    plain = rows(client, "value-chain:zero-outage")
    body = rows(client, "value-chain:zero-outage", aligned="true")
    assert body["total"] > plain["total"]
    run = cell(body, "role:itil:incident-manager", "activity:zero-outage:run")
    assert run is not None and run["level"] == "high" and run["performs_in"] is None
    incident = next(p for p in run["practices"] if p["practice"]["id"] == "practice:incident-management")
    assert [v["id"] for v in incident["via"]] == ["activity:itil:deliver-and-support"]
    own = cell(body, "role:zero-outage:incident-manager", "activity:zero-outage:run")
    assert own is not None and own["performs_in"] == "inferred" and own["practices"]
    # Without aligned the ITIL chain is unchanged: no practice there comes `via` anything.
    itil = rows(client, "value-chain:itil")
    assert all(not p["via"] for r in itil["items"] for c in r["cells"] for p in c["practices"])
