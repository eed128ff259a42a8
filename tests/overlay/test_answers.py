"""The overlay's answers on the example organisation (examples/acme), each checked by hand against
the example's files and the curated ontology: suggestions (the obvious match first), accepting one,
gaps, coverage (and its picture), a transition, similar roles, communities and the impact of SFIA
change request 1431."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import app as cli
from app.graph.store import GraphStore
from app.main import create_app
from app.overlay import cli as overlay_cli
from app.settings import Settings
from seed.importers.assemble import stage_import
from seed.load import load
from seed.model import Ontology
from tests.overlay.conftest import ACME, ONTOLOGY

OPS1, OPS2, LEAD = "role:acme:ops-engineer-1", "role:acme:ops-engineer-2", "role:acme:ops-team-lead"


@pytest.fixture(scope="module")
def client(acme_store: GraphStore) -> Iterator[TestClient]:
    app = create_app(Settings(store="embedded"), store=acme_store)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


# --- suggestions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # Each pair: same work (the practices in roles.csv) and a close name or alias.
        ("service-desk-analyst", "role:itil:service-desk-staff"),
        ("incident-coordinator", "role:zero-outage:incident-manager"),
        ("problem-analyst", "role:zero-outage:problem-manager"),
        ("change-coordinator", "role:itil:change-manager"),
        ("site-reliability-engineer", "role:itil:practice-site-reliability-engineer"),
        ("head-of-service-delivery", "role:itil:service-delivery-manager"),
    ],
)
def test_the_obvious_framework_role_is_suggested_first(client: TestClient, role: str, expected: str) -> None:
    body = get(client, "/v1/overlay/acme/suggestions", role=role, each=3)
    [item] = body["items"]
    first = item["roles"][0]
    assert first["target"]["id"] == expected, [s["target"]["id"] for s in item["roles"]]
    assert first["score"] > item["roles"][1]["score"]
    assert first["reason"].startswith("name ")
    assert "work: " in first["reason"] and "requirements: " in first["reason"]


def test_suggestions_say_what_is_accepted_and_suggest_for_own_competencies(client: TestClient) -> None:
    body = get(client, "/v1/overlay/acme/suggestions", each=3, limit=50)
    assert body["total"] == 10
    by_role = {item["role"]["id"]: item for item in body["items"]}
    desk = by_role["role:acme:service-desk-analyst"]["roles"][0]
    assert desk["accepted"] is True  # mappings.yaml line 5
    lead = by_role["role:acme:service-desk-lead"]
    # 'Escalation handling' (skills.csv line 10) is Acme's own; its closest framework name first,
    # already accepted (mappings.yaml, last entry).
    top = lead["competencies"][0]
    assert (top["own"]["id"], top["target"]["id"], top["accepted"]) == (
        "competency:acme:escalation-handling",
        "competency:escalation-management",
        True,
    )
    # No skill a role already requires is suggested for it (all three need ITOP, skills.csv).
    for role in (OPS1, OPS2, LEAD):
        assert "sfia:ITOP" not in {s["target"]["id"] for s in by_role[role]["skills"]}


def test_unknown_source_and_role_are_404(client: TestClient) -> None:
    assert client.get("/v1/overlay/nobody/gaps").status_code == 404
    assert client.get("/v1/overlay/acme/suggestions", params={"role": "ghost"}).status_code == 404
    assert client.get("/v1/roles/role:acme:ghost/similar").status_code == 404
    assert client.get("/v1/change-requests/change-request:none/impact").status_code == 404


# --- gaps -------------------------------------------------------------------------------------------


def test_gaps_of_ops_engineer_two_against_the_it_operator_profile(client: TestClient) -> None:
    body = get(client, "/v1/overlay/acme/gaps", limit=50)
    assert {r["id"] for r in body["unmapped"]} == {OPS1, LEAD, "role:acme:service-desk-lead"}
    by_role = {item["role"]["id"]: item for item in body["items"]}
    [gap] = by_role[OPS2]["mapped"]
    assert gap["framework_role"]["id"] == "role:zero-outage:it-operator"
    assert (gap["mapping_kind"], gap["mapping_sources"]) == ("same-role", ["acme:mappings.yaml:6"])
    # The IT Operator profile requires 17 competencies and ITOP; Ops Engineer II holds Deep Technical
    # Knowledge, Required Tools usage, Sense of urgency, Adherence to processes and ITOP (level 4;
    # the profile states none): 5 of 18.
    assert (gap["needed"], gap["covered"]) == (18, 5)
    lacks = {family: [c["name"] for c in items] for family, items in gap["lacks"]["competencies"].items()}
    assert lacks == {
        "functional": ["Life Cycle Management", "Process Knowledge", "Service Design", "Testing"],
        "interpersonal": [
            "Learning from mistakes",
            "Outcome oriented",
            "Pro-active work approach",
            "Reliability and credibility",
            "Sense for quality",
        ],
        "methodical": [
            "Effective use of relevant data and information",
            "Integration, execution and improvement of Zero Outage within the organization",
            "Successful creation, renovation and design methods",
            "Use of standard management principles",
        ],
    }
    assert gap["lacks"]["skills"] == []


def test_a_skill_held_at_a_lower_level_is_a_gap(client: TestClient) -> None:
    body = get(client, "/v1/overlay/acme/gaps", limit=50)
    coordinator = next(i for i in body["items"] if i["role"]["id"] == "role:acme:incident-coordinator")
    itil = next(m for m in coordinator["mapped"] if m["framework_role"]["id"] == "role:itil:incident-manager")
    # ITIL's incident manager needs ITOP at level 5 (inferred, itil-roles); Acme's coordinator holds 4.
    assert itil["lacks"]["skills"] == [
        {
            "skill": {"id": "sfia:ITOP", "label": "SFIASkill", "name": "IT Infrastructure"},
            "code": "ITOP",
            "needed_level": 5,
            "held_level": 4,
            "held": True,
        }
    ]


# --- coverage ---------------------------------------------------------------------------------------


def test_coverage_of_the_itil_value_chain(client: TestClient) -> None:
    body = get(client, "/v1/overlay/acme/coverage", limit=50)
    activities = {a["activity"]["id"]: a for a in body["activities"]}
    assert body["uncovered_activities"] == []
    plan = activities["activity:itil:plan"]
    # Nobody works in Plan; the Head of Service Delivery answers for service level management, which
    # contributes highly to it (itil4-practices.yaml, 001 lines 1956-1958).
    assert (plan["covered"], plan["direct"], plan["best_level"]) == (True, False, "high")
    assert [(v["role"]["id"], v["practice"]["id"], v["level"]) for v in plan["covered_by"]] == [
        ("role:acme:head-of-service-delivery", "practice:service-level-management", "high")
    ]
    # 14 of the 34 practices have an Acme role answering for them (roles.csv); the 20 others are
    # listed, architecture management first (high in three activities).
    assert (body["covered_practices"], body["practices"], body["total"]) == (14, 34, 20)
    first = body["items"][0]
    assert first["practice"]["id"] == "practice:architecture-management"
    assert [c["level"] for c in first["contributions"]].count("high") == 3


def test_coverage_through_work_only_and_through_alignment(client: TestClient) -> None:
    body = get(client, "/v1/overlay/acme/coverage", through="work")
    assert [a["id"] for a in body["uncovered_activities"]] == ["activity:itil:plan"]
    zero = get(client, "/v1/overlay/acme/coverage", value_chain="value-chain:zero-outage")
    plan = next(a for a in zero["activities"] if a["activity"]["id"] == "activity:zero-outage:plan")
    # Zero Outage's phases carry no levels: Plan is covered through ITIL's Plan, which it aligns with.
    assert plan["direct"] is False
    assert plan["covered_by"][0]["aligned"]["id"] == "activity:itil:plan"
    run = next(a for a in zero["activities"] if a["activity"]["id"] == "activity:zero-outage:run")
    assert run["direct"] is True  # Acme's roles work in Deliver and support, aligned with Run


def test_the_coverage_matrix_picture(client: TestClient) -> None:
    response = client.get("/v1/overlay/acme/coverage.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    svg = response.text
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    for name in ("Ops Engineer II", "Head of Service Delivery", "Deliver and support", "Obtain/build"):
        assert name in svg
    assert svg.count("<circle") == 15 + 1  # one per PERFORMS_IN in roles.csv, plus the legend's


# --- transitions, similar roles, communities -----------------------------------------------------------


def test_a_transition_along_the_career_ladder(client: TestClient) -> None:
    body = get(client, f"/v1/roles/{OPS1}/transition/{LEAD}")
    assert body["path_found"] is True
    assert [r["id"] for r in body["path"]] == [OPS1, OPS2, LEAD]
    first, second = body["steps"]
    assert (first["via"], second["via"]) == ("career-step", "career-step")
    # Ops Engineer I -> II (roles.csv line 4 progresses_to): three competencies, ITOP from 2 to 4,
    # incident and problem management.
    one = first["acquire"]
    assert sorted(c["name"] for items in one["competencies"].values() for c in items) == [
        "Broad Technical Knowledge",
        "On-call readiness",
        "Sense of urgency to reduce business impacts",
    ]
    assert [(s["code"], s["held_level"], s["needed_level"]) for s in one["skills"]] == [("ITOP", 2, 4)]
    assert [r["name"] for r in one["responsibilities"]] == ["Incident management", "Problem management"]
    assert one["count"] == 6
    # II -> Team Lead: four more competencies, ITOP 4 -> 5 and ITMG 5, capacity management, Improve.
    two = second["acquire"]
    assert two["count"] == 8
    assert [(s["code"], s["held_level"], s["needed_level"]) for s in two["skills"]] == [
        ("ITMG", None, 5),
        ("ITOP", 4, 5),
    ]
    # Cumulative: ITOP counted once (at 5): 6 + 8 - 1.
    assert second["cumulative"]["count"] == 13
    assert body["direct"]["count"] == 10


def test_transition_without_a_path_is_the_direct_jump(client: TestClient) -> None:
    body = get(client, "/v1/roles/role:itil:customer/transition/role:acme:ops-engineer-1")
    assert body["path_found"] is False
    assert [s["via"] for s in body["steps"]] == ["direct"]
    assert body["steps"][0]["acquire"] == body["direct"]


def test_roles_like_this_one(client: TestClient) -> None:
    body = get(client, f"/v1/roles/{OPS1}/similar", limit=3)
    assert body["items"][0]["role"]["id"] == OPS2  # same two practices, same activity, four competencies
    assert body["total"] == 63  # every other role: the 54 of the frameworks and Acme's 9 others
    scores = [i["similarity"]["score"] for i in body["items"]]
    assert scores == sorted(scores, reverse=True)


def test_communities_group_the_operations_roles_with_their_practices(client: TestClient) -> None:
    body = get(client, "/v1/analytics/communities", limit=200)
    assert body["method"].startswith("Louvain")
    home = next(c for c in body["items"] if OPS2 in {r["id"] for r in c["roles"]})
    assert {OPS1, LEAD} <= {r["id"] for r in home["roles"]}
    assert "practice:infrastructure-and-platform-management" in {p["id"] for p in home["practices"]}
    members = [r["id"] for c in body["items"] for r in c["roles"]]
    assert len(members) == len(set(members))  # a role is in one community


# --- change-request impact -----------------------------------------------------------------------------


def test_impact_of_the_itmg_reshaping_on_acme(client: TestClient) -> None:
    body = get(client, "/v1/change-requests/change-request:sfia-1431/impact", source="acme")
    assert body["status"] == "accepted"
    assert len(body["changes"]) == 7  # rename, rescope, description; ITMG 5, 6, 7; ITOP 5 (sfia.yaml)
    touched = {(i["role"]["id"], i["skill"]["id"], i["held_level"], i["certainty"]) for i in body["items"]}
    # skills.csv: the Head of Service Delivery needs ITMG 6, the team lead ITMG 5 and ITOP 5; roles
    # at ITOP 2 or 4 are untouched by the new ITOP level 5.
    assert touched == {
        ("role:acme:head-of-service-delivery", "sfia:ITMG", 6, "touched"),
        (LEAD, "sfia:ITMG", 5, "touched"),
        (LEAD, "sfia:ITOP", 5, "touched"),
    }
    head = next(i for i in body["items"] if i["role"]["id"] == "role:acme:head-of-service-delivery")
    assert "description-update:sfia:ITMG:6" in head["changes"] and "rename:sfia:ITMG" in head["changes"]
    assert "description-update:sfia:ITMG:5" not in head["changes"]
    assert [r["id"] for r in body["related"]] == ["practice:infrastructure-and-platform-management"]


def test_impact_on_framework_roles(client: TestClient) -> None:
    body = get(client, "/v1/change-requests/change-request:sfia-1431/impact", limit=50)
    framework = {(i["role"]["id"], i["certainty"]) for i in body["items"] if i["organisation"] is None}
    assert framework == {
        ("role:itil:incident-manager", "touched"),  # ITOP at 5
        ("role:itil:service-delivery-manager", "touched"),  # ITMG, no level: the whole-skill changes
        ("role:itil:network-and-service-operations-centre-analyst", "may-touch"),  # ITOP, no level
        ("role:zero-outage:incident-manager", "may-touch"),
        ("role:zero-outage:it-operator", "may-touch"),
        ("role:zero-outage:manager-on-duty", "may-touch"),
    }
    assert body["total"] == 9


# --- the CLI, and accepting a suggestion -----------------------------------------------------------------


@pytest.fixture
def run(acme_store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> Any:
    @contextmanager
    def attached(settings: object, **_: object) -> Iterator[GraphStore]:
        yield acme_store

    monkeypatch.setattr(overlay_cli, "open_store", attached)
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, list(args))


def test_cli_answers(run: Any, tmp_path: Path) -> None:
    gaps = run("overlay", "gaps", "acme")
    assert gaps.exit_code == 0, gaps.output
    assert "IT Operator" in gaps.stdout and "5/18" in gaps.stdout
    svg = tmp_path / "matrix.svg"
    coverage = run("overlay", "coverage", "acme", "--through", "work", "--svg", str(svg))
    assert coverage.exit_code == 0, coverage.output
    assert "Plan" in coverage.stdout and "NO" in coverage.stdout
    assert svg.read_text(encoding="utf-8").startswith("<svg")
    transition = run("overlay", "transition", OPS1, LEAD)
    assert (
        transition.exit_code == 0
        and "path found: Ops Engineer I, Ops Engineer II, Operations Team Lead" in transition.stderr
    )
    impact = run("overlay", "impact", "change-request:sfia-1431", "--source", "acme", "-f", "json")
    assert impact.exit_code == 0 and '"total": 3' in impact.stdout
    unknown = run("overlay", "gaps", "nobody")
    assert unknown.exit_code == 2 and "no organisation source with id 'nobody'" in unknown.stderr
    draft = tmp_path / "draft.yaml"
    suggest = run("overlay", "suggest", "acme", "--role", "ops-engineer-1", "--each", "1", "-o", str(draft))
    assert suggest.exit_code == 0, suggest.output
    entries = yaml.safe_load(draft.read_text(encoding="utf-8"))["mappings"]
    assert entries[0]["own"] == "ops-engineer-1" and entries[0]["accept"] is False


def test_accepting_a_suggestion_loads_it_as_maps_to_and_fills_the_gaps(
    acme_store: GraphStore, client: TestClient, with_acme: Ontology, tmp_path: Path
) -> None:
    """import -> suggestions -> accept -> gaps: Ops Engineer I has no mapping; accept its first
    suggestion and it gets gaps against that framework role."""
    organisations = tmp_path / "organisations"
    shutil.copytree(ACME, organisations / "acme")
    top = get(client, "/v1/overlay/acme/suggestions", role="ops-engineer-1", each=1)["items"][0]["roles"][0]
    draft = tmp_path / "accepted.yaml"
    draft.write_text(
        yaml.safe_dump({"mappings": [{"own": "ops-engineer-1", "maps_to": top["target"]["id"], "accept": True}]}),
        encoding="utf-8",
    )
    try:
        load(acme_store, stage_import(ONTOLOGY, organisations, "acme", draft))

        def mapped() -> Any:
            body = get(client, "/v1/overlay/acme/gaps", limit=50)
            return body if OPS1 not in {r["id"] for r in body["unmapped"]} else None

        deadline = time.monotonic() + 20
        body = mapped()
        while body is None and time.monotonic() < deadline:
            time.sleep(0.25)
            body = mapped()
        assert body is not None
        ops1 = next(i for i in body["items"] if i["role"]["id"] == OPS1)
        [gap] = ops1["mapped"]
        assert gap["framework_role"]["id"] == top["target"]["id"]
        assert gap["mapping_kind"] == "organisation-mapping"
        assert gap["mapping_sources"] == ["acme:accepted.yaml:2"]  # safe_dump: the entry under "mappings:"
        accepted = get(client, "/v1/overlay/acme/suggestions", role="ops-engineer-1", each=1)["items"][0]
        assert accepted["roles"][0]["accepted"] is True
    finally:
        load(acme_store, with_acme)
