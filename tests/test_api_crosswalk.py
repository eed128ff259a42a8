"""The crosswalk layer over HTTP on every available store: mappings between frameworks, the headline
answered through alignment, roles compared through mappings, explained paths, disagreements,
search for practitioners' names; and the 4xx problems for bad parameters."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.test_api import assert_problem

RUN = "activity:zero-outage:run"
DELIVER = "activity:itil:deliver-and-support"
ZO_IM = "role:zero-outage:incident-manager"
ITIL_IM = "role:itil:incident-manager"


def get(client: TestClient, path: str, **params: Any) -> dict[str, Any]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def everything(client: TestClient, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a paginated list, page by page."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        body = get(client, path, **params, **({"cursor": cursor} if cursor else {}))
        items += body["items"]
        cursor = body["next"]
        if cursor is None:
            assert len(items) == body["total"]
            return items


# --- GET /v1/crosswalk ------------------------------------------------------------------------------


def test_crosswalk_lists_mappings_oriented_between_two_frameworks(client: TestClient) -> None:
    items = everything(client, "/v1/crosswalk", **{"from": "zero-outage", "to": "itil4", "limit": 20})
    assert items
    for item in items:
        assert "framework:zero-outage" in item["from_node"]["frameworks"]
        assert "framework:itil4" in item["to_node"]["frameworks"]
        assert not set(item["from_node"]["frameworks"]) & set(item["to_node"]["frameworks"])
        assert item["basis"] in {"stated", "inferred"} and item["sources"]
    by_id = {item["id"]: item for item in items}
    mapping = by_id[f"MAPS_TO:{ZO_IM}->{ITIL_IM}"]
    assert mapping["kind"] == "same-role" and mapping["reversed"] is False and mapping["cites_both"]
    # The other way round lists the same mappings, reversed.
    back = everything(client, "/v1/crosswalk", **{"from": "framework:itil4", "to": "framework:zero-outage"})
    assert {i["id"] for i in back} == set(by_id)
    assert next(i for i in back if i["id"] == mapping["id"])["reversed"] is True


def test_crosswalk_filters_by_basis_kind_and_type(client: TestClient) -> None:
    stated = everything(client, "/v1/crosswalk", basis="stated")
    assert stated and all(i["basis"] == "stated" for i in stated)
    kinds = everything(client, "/v1/crosswalk", kind="competency-for-practice")
    assert kinds and {i["type"] for i in kinds} == {"MAPS_TO"}
    skills = everything(client, "/v1/crosswalk", **{"to": "sfia", "type": "REQUIRES"})
    assert skills and all(i["to_node"]["label"] == "SFIASkill" and i["from_node"]["label"] == "Role" for i in skills)
    none = get(client, "/v1/crosswalk", **{"from": "sfia", "to": "it4it"})
    assert none["total"] == 0 and none["items"] == [] and none["next"] is None


def test_crosswalk_summary_counts_what_the_list_holds(client: TestClient) -> None:
    counts = everything(client, "/v1/crosswalk/summary")
    pair = sum(
        c["count"]
        for c in counts
        if (c["from_framework"], c["to_framework"]) == ("framework:zero-outage", "framework:itil4")
    )
    listed = [
        i for i in everything(client, "/v1/crosswalk", **{"from": "zero-outage", "to": "itil4"}) if not i["reversed"]
    ]
    assert pair == len(listed) > 0


def test_crosswalk_refuses_bad_parameters(client: TestClient) -> None:
    assert "unknown framework" in assert_problem(client.get("/v1/crosswalk", params={"from": "cobalt"}), 422)["detail"]
    assert_problem(client.get("/v1/crosswalk", params={"basis": "guessed"}), 422)
    assert_problem(client.get("/v1/crosswalk", params={"type": "LIKES"}), 422)
    assert_problem(client.get("/v1/crosswalk", params={"to": ""}), 422)
    assert_problem(client.get("/v1/crosswalk", params={"cursor": "not-a-cursor"}), 422)


# --- the headline through alignment -----------------------------------------------------------------


def test_run_is_answered_through_the_activity_it_aligns_with(client: TestClient) -> None:
    assert get(client, f"/v1/value-chain/{RUN}/practices")["total"] == 0
    body = get(client, f"/v1/value-chain/{RUN}/practices", aligned="true", include="roles", limit=200)
    assert [a["activity"]["id"] for a in body["aligned_with"]] == [DELIVER]
    direct = get(client, f"/v1/value-chain/{DELIVER}/practices", limit=200)
    assert body["total"] == direct["total"] > 0
    assert {i["practice"]["id"] for i in body["items"]} == {i["practice"]["id"] for i in direct["items"]}
    for item in body["items"]:
        assert [a["activity"]["id"] for a in item["alignments"]] == [DELIVER]
        assert item["alignments"][0]["basis"] == "inferred" and item["alignments"][0]["sources"]
        assert all(e["via"]["id"] == DELIVER for e in item["evidence"])
        assert "roles" in item


def test_aligned_adds_nothing_to_an_activity_answered_directly(client: TestClient) -> None:
    plain = get(client, f"/v1/value-chain/{DELIVER}/practices", limit=200)
    aligned = get(client, f"/v1/value-chain/{DELIVER}/practices", aligned="true", limit=200)
    # The Zero Outage phases aligned with Deliver and support have no contributions of their own.
    assert {a["activity"]["id"] for a in aligned["aligned_with"]} == {
        "activity:zero-outage:deliver",
        "activity:zero-outage:run",
    }
    assert [i["practice"]["id"] for i in aligned["items"]] == [i["practice"]["id"] for i in plain["items"]]
    assert all(i["alignments"] == [] for i in aligned["items"])
    assert "alignments" not in plain["items"][0] and "aligned_with" not in plain


def test_aligned_respects_level_and_source_filters(client: TestClient) -> None:
    high = get(client, f"/v1/value-chain/{RUN}/practices", aligned="true", min_level="high", limit=200)
    assert high["items"] and all(i["level"] == "high" for i in high["items"])
    assert_problem(client.get(f"/v1/value-chain/{RUN}/practices", params={"aligned": "maybe"}), 422)
    assert_problem(client.get("/v1/value-chain/activity:nope/practices", params={"aligned": "true"}), 404)


# --- role compare through mappings ------------------------------------------------------------------


def test_compare_counts_what_is_shared_through_the_crosswalk(client: TestClient) -> None:
    body = get(client, f"/v1/roles/{ITIL_IM}/compare/{ZO_IM}")
    assert body["summary"]["shared"] > 0
    assert [m["kind"] for m in body["mappings"]] == ["same-role"]
    shared = {i["id"] for i in body["responsibilities"]["shared"]}
    assert "practice:incident-management" in shared
    for facet in ("competencies", "skills", "responsibilities", "activities"):
        comparison = body[facet]
        both = {i["id"] for i in comparison["shared"]}
        assert not both & {i["id"] for i in comparison["only_a"]}
        assert not both & {i["id"] for i in comparison["only_b"]}


def test_a_mapped_node_counts_as_shared_and_says_through_which_mapping(client: TestClient) -> None:
    # The Manager on Duty needs Escalation Management, which maps to incident management, the
    # practice the incident manager answers for.
    body = get(client, f"/v1/roles/role:zero-outage:manager-on-duty/compare/{ZO_IM}")
    item = next(i for i in body["competencies"]["shared"] if i["id"] == "competency:escalation-management")
    assert item["held_by"] == "a"
    [counterpart] = [c for c in item["counterparts"] if c["id"] == "practice:incident-management"]
    assert counterpart["facet"] == "responsibilities"
    assert counterpart["through"]["type"] == "MAPS_TO" and counterpart["through"]["kind"] == "competency-for-practice"
    assert body["summary"]["shared_through_mappings"] >= 1


def test_compare_refuses_unknown_roles(client: TestClient) -> None:
    assert_problem(client.get(f"/v1/roles/{ZO_IM}/compare/role:nope"), 404)
    assert_problem(client.get(f"/v1/roles/practice:incident-management/compare/{ZO_IM}"), 404)


# --- explained paths ----------------------------------------------------------------------------------


def test_every_step_of_a_path_carries_basis_and_sources(client: TestClient) -> None:
    body = get(client, "/v1/paths", **{"from": ZO_IM, "to": DELIVER, "max_hops": 3})
    assert body["mode"] == "shortest" and body["paths"] and body["complete"]
    lengths = {p["length"] for p in body["paths"]}
    assert len(lengths) == 1
    for path in body["paths"]:
        for step in path["relationships"]:
            assert step["basis"] in {"stated", "inferred"} and step["sources"]


def test_all_simple_paths_up_to_k_hops_shortest_first(client: TestClient) -> None:
    shortest = get(client, "/v1/paths", **{"from": ZO_IM, "to": DELIVER, "max_hops": 3})
    body = get(client, "/v1/paths", **{"from": ZO_IM, "to": DELIVER, "max_hops": 3, "mode": "all", "limit": 50})
    assert body["mode"] == "all"
    lengths = [p["length"] for p in body["paths"]]
    assert lengths == sorted(lengths) and max(lengths) <= 3 and len(body["paths"]) > len(shortest["paths"])
    for path in body["paths"]:
        ids = [n["id"] for n in path["nodes"]]
        assert len(ids) == len(set(ids)), "a simple path visits no node twice"
        assert ids[0] == ZO_IM and ids[-1] == DELIVER
    few = get(client, "/v1/paths", **{"from": ZO_IM, "to": DELIVER, "max_hops": 3, "mode": "all", "limit": 2})
    assert len(few["paths"]) == 2 and few["complete"] is False
    assert [p["nodes"] for p in few["paths"]] == [p["nodes"] for p in body["paths"][:2]]


def test_paths_avoid_excluded_types_nodes_and_hubs(client: TestClient) -> None:
    args = {"from": "practice:incident-management", "to": "practice:problem-management", "mode": "all", "max_hops": 2}
    plain = get(client, "/v1/paths", **args, limit=50)
    through_hub = [p for p in plain["paths"] if "framework:itil4" in {n["id"] for n in p["nodes"]}]
    assert through_hub
    no_hub = get(client, "/v1/paths", **args, exclude="framework:itil4", limit=50)
    assert no_hub["excluded"] == ["framework:itil4"]
    assert all("framework:itil4" not in {n["id"] for n in p["nodes"]} for p in no_hub["paths"])
    hubs = get(client, "/v1/paths", **args, avoid_hubs="true", limit=50)
    assert "framework:itil4" in hubs["excluded"] and "value-chain:itil" in hubs["excluded"]
    no_part_of = get(client, "/v1/paths", **args, exclude_type="PART_OF,CONTRIBUTES_TO", limit=50)
    assert all(s["type"] not in {"PART_OF", "CONTRIBUTES_TO"} for p in no_part_of["paths"] for s in p["relationships"])


def test_paths_refuse_bad_parameters(client: TestClient) -> None:
    base = {"from": ZO_IM, "to": DELIVER}
    assert_problem(client.get("/v1/paths", params={**base, "mode": "some"}), 422)
    assert_problem(client.get("/v1/paths", params={**base, "max_hops": 7}), 422)
    assert_problem(client.get("/v1/paths", params={**base, "exclude_type": "NOPE"}), 422)
    assert (
        "unknown node" in assert_problem(client.get("/v1/paths", params={**base, "exclude": "nope:x"}), 422)["detail"]
    )
    assert_problem(client.get("/v1/paths", params={**base, "avoid_hubs": "perhaps"}), 422)
    assert_problem(client.get("/v1/paths", params={"from": ZO_IM, "to": ZO_IM}), 422)
    assert_problem(client.get("/v1/paths", params={"from": ZO_IM, "to": "nope:x"}), 404)


# --- disagreements --------------------------------------------------------------------------------------


def test_disagreements_are_computed_with_both_sources(client: TestClient) -> None:
    items = everything(client, "/v1/disagreements")
    assert items
    for item in items:
        documents = [tuple(s["documents"]) for s in item["statements"]]
        assert len(set(documents)) >= 2
        assert len({s["value"] for s in item["statements"]}) >= 2
        assert all(s["sources"] for s in item["statements"])
    only_mp = everything(client, "/v1/disagreements", source="itil4-mp", type="CONTRIBUTES_TO")
    assert only_mp and all(i["type"] == "CONTRIBUTES_TO" for i in only_mp)


def test_disagreements_refuse_bad_parameters(client: TestClient) -> None:
    assert_problem(client.get("/v1/disagreements", params={"type": "PART_OF"}), 422)
    assert_problem(client.get("/v1/disagreements", params={"type": "NOPE"}), 422)
    assert_problem(client.get("/v1/disagreements", params={"source": "999"}), 422)


# --- search -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("SACM", "practice:service-configuration-management"),
        ("change management", "practice:change-enablement"),
        ("risk management", "practice:risk-management"),
        ("release and deployment", "practice:release-management"),
    ],
)
def test_search_puts_the_practice_first(client: TestClient, text: str, first: str) -> None:
    body = get(client, "/v1/search", q=text)
    assert body["items"][0]["id"] == first and body["corrected"] is None


def test_a_misspelt_search_is_corrected(client: TestClient) -> None:
    body = get(client, "/v1/search", q="incidnet")
    assert body["corrected"] == "incident"
    # The exact name ('Incident', the term 001 defines) ranks before the prefix match (the practice).
    assert [hit["id"] for hit in body["items"][:2]] == ["term:incident", "practice:incident-management"]
    assert get(client, "/v1/search", q="xqzv")["total"] == 0


def test_every_document_names_a_framework_of_the_graph(client: TestClient) -> None:
    documents = get(client, "/v1/schema")["documents"]
    assert documents and all(doc["framework"] for doc in documents.values())
    for doc in documents.values():
        assert get(client, f"/v1/nodes/{doc['framework']}")["label"] == "Framework"
