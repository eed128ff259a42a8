"""The JSON API against every available store, loaded with the real ontology."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from seed.model import Ontology

DELIVER = "activity:itil:deliver-and-support"


def ids(items: list[dict[str, Any]], key: str = "id") -> list[str]:
    return [item[key] if key == "id" else item[key]["id"] for item in items]


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"]
    assert "Traceback" not in response.text
    return body


def test_health_and_ready(client: TestClient, ontology: Ontology) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["release"]["content_hash"] == ontology.content_hash


def test_every_response_names_the_release(client: TestClient, ontology: Ontology) -> None:
    response = client.get("/v1/nodes/practice:incident-management")
    # The version follows the release history (docs/interop.md): the schema's on a fresh store, later
    # ones on a Neo4j database that earlier loads have been through.
    latest = client.get("/v1/releases/latest").json()["version"]
    assert response.headers["X-Ontology-Release"] == f"{latest}+{ontology.content_hash[:12]}"


def test_schema_counts_match_the_ontology(client: TestClient, ontology: Ontology) -> None:
    body = client.get("/v1/schema").json()
    labels = {entry["name"]: entry["count"] for entry in body["labels"]}
    types = {entry["name"]: entry["count"] for entry in body["relationship_types"]}
    assert labels["Practice"] == 34
    assert sum(labels.values()) == len(ontology.nodes)
    assert sum(types.values()) == len(ontology.relationships)
    assert body["release"]["nodes"] == len(ontology.nodes)


def test_headline_question_deliver_and_support(client: TestClient) -> None:
    body = client.get(f"/v1/value-chain/{DELIVER}/practices", params={"include": "roles"}).json()
    assert body["activity"]["id"] == DELIVER
    by_id = {item["practice"]["id"]: item for item in body["items"]}
    incident = by_id["practice:incident-management"]
    assert incident["level"] == "high"
    assert any(s.startswith("001_36cf4593c3a5a483.txt:") for s in incident["sources"])
    assert {"role:itil:incident-manager", "role:zero-outage:incident-manager"} <= set(ids(incident["roles"]))
    assert all(role["basis"] in ("stated", "inferred") for role in incident["roles"])
    assert all(
        set(role) == {"id", "label", "name", "kind", "basis", "rationale", "responsibility"}
        for role in incident["roles"]
    )
    levels = [item["level"] for item in body["items"]]
    rank = {"high": 4, "medium": 3, "low": 2, "unspecified": 1}
    assert levels == sorted(levels, key=lambda level: -rank[level]), "strongest first"
    assert "none" not in levels


def test_roles_only_when_asked(client: TestClient) -> None:
    body = client.get(f"/v1/value-chain/{DELIVER}/practices").json()
    assert all("roles" not in item for item in body["items"])


def test_min_level_filters_and_plan_excludes_incident_management(client: TestClient) -> None:
    high = client.get("/v1/value-chain/activity:itil:plan/practices", params={"min_level": "high", "limit": 200}).json()
    assert high["items"] and {item["level"] for item in high["items"]} == {"high"}
    assert "practice:incident-management" not in ids(high["items"], "practice")
    everything = client.get(
        "/v1/value-chain/activity:itil:plan/practices", params={"min_level": "none", "limit": 200}
    ).json()
    incident = next(i for i in everything["items"] if i["practice"]["id"] == "practice:incident-management")
    assert incident["level"] == "none"


def test_source_filter_keeps_only_what_a_document_states(client: TestClient) -> None:
    body = client.get(
        "/v1/value-chain/activity:itil:engage/practices", params={"source": "itil4-mp", "limit": 200}
    ).json()
    assert body["items"]
    for item in body["items"]:
        assert all(e["sources"] and all(s.startswith("004_") for s in e["sources"]) for e in item["evidence"])
    assert_problem(client.get("/v1/value-chain/activity:itil:engage/practices", params={"source": "nope"}), 422)


def test_value_chains_list_activities_in_order(client: TestClient) -> None:
    chains = {chain["id"]: chain for chain in client.get("/v1/value-chain").json()["items"]}
    itil = [a["name"] for a in chains["value-chain:itil"]["activities"]]
    assert itil == ["Plan", "Improve", "Engage", "Design and transition", "Obtain/build", "Deliver and support"]
    assert [a["name"] for a in chains["value-chain:zero-outage"]["activities"]] == ["Plan", "Build", "Deliver", "Run"]
    assert chains["value-chain:zero-outage"]["framework"]["id"] == "framework:zero-outage"


def test_unknown_activity_is_404(client: TestClient) -> None:
    body = assert_problem(client.get("/v1/value-chain/activity:itil:nope/practices"), 404)
    assert "activity:itil:nope" in body["detail"]


def test_node_detail_groups_relationships(client: TestClient) -> None:
    body = client.get("/v1/nodes/practice:incident-management").json()
    assert body["label"] == "Practice" and body["name"] == "Incident management"
    assert body["properties"]["category"] == "service"
    assert body["sources"]
    outgoing = body["relationships"]["out"]["CONTRIBUTES_TO"]
    assert DELIVER in {c["node"]["id"] for c in outgoing}
    incoming_roles = {c["node"]["id"] for c in body["relationships"]["in"]["RESPONSIBLE_FOR"]}
    assert "role:itil:incident-manager" in incoming_roles


def test_unknown_node_is_404_problem(client: TestClient) -> None:
    assert_problem(client.get("/v1/nodes/practice:does-not-exist"), 404)
    assert_problem(client.get("/v1/nodes/%E2%9C%93'%20OR%201=1"), 404)


def test_list_nodes_paginates_with_total_and_next(client: TestClient) -> None:
    first = client.get("/v1/nodes", params={"label": "Practice", "limit": 10}).json()
    assert first["total"] == 34 and len(first["items"]) == 10 and first["next"]
    seen = ids(first["items"])
    cursor = first["next"]
    while cursor:
        page = client.get("/v1/nodes", params={"label": "Practice", "limit": 10, "cursor": cursor}).json()
        seen += ids(page["items"])
        cursor = page["next"]
    assert len(seen) == len(set(seen)) == 34


def test_limit_is_capped_and_bad_parameters_are_422(client: TestClient) -> None:
    body = client.get("/v1/nodes", params={"limit": 100000}).json()
    assert len(body["items"]) == 200 and body["total"] > 200
    assert_problem(client.get("/v1/nodes", params={"label": "Widget"}), 422)
    assert_problem(client.get("/v1/nodes", params={"limit": 0}), 422)
    assert_problem(client.get("/v1/nodes", params={"cursor": "not-a-cursor"}), 422)
    assert_problem(client.get("/v1/nodes/practice:incident-management/neighbors", params={"depth": 9}), 422)
    assert_problem(client.get("/v1/nodes/practice:incident-management/neighbors", params={"type": "DROP_TABLE"}), 422)


def test_list_nodes_by_text_and_source(client: TestClient) -> None:
    body = client.get("/v1/nodes", params={"q": "incident", "label": "Practice"}).json()
    assert ids(body["items"]) == ["practice:incident-management"]
    sfia = client.get("/v1/nodes", params={"source": "002", "label": "SFIASkill", "limit": 200}).json()
    assert "sfia:ITMG" in ids(sfia["items"])
    assert all(any(s.startswith("002_") for s in item["sources"]) for item in sfia["items"])


def test_neighbors_direction_depth_and_label(client: TestClient) -> None:
    base = "/v1/nodes/practice:incident-management/neighbors"
    out = client.get(base, params={"type": "CONTRIBUTES_TO", "direction": "out", "limit": 200}).json()
    assert {item["node"]["id"] for item in out["items"]} >= {DELIVER, "activity:itil:engage"}
    assert all(item["relationship"]["direction"] == "out" and item["depth"] == 1 for item in out["items"])
    roles = client.get(base, params={"direction": "in", "label": "Role", "limit": 200}).json()
    assert "role:itil:incident-manager" in {item["node"]["id"] for item in roles["items"]}
    deeper = client.get(base, params={"depth": 2, "type": "CONTRIBUTES_TO", "limit": 200}).json()
    depths = {item["node"]["id"]: item["depth"] for item in deeper["items"]}
    assert depths[DELIVER] == 1 and depths["practice:problem-management"] == 2


def test_shortest_path_between_frameworks(client: TestClient) -> None:
    body = client.get(
        "/v1/paths", params={"from": "role:zero-outage:incident-manager", "to": DELIVER, "max_hops": 3}
    ).json()
    assert body["paths"]
    path = body["paths"][0]
    assert path["nodes"][0]["id"] == "role:zero-outage:incident-manager" and path["nodes"][-1]["id"] == DELIVER
    assert path["length"] == len(path["relationships"]) <= 3
    none = client.get("/v1/paths", params={"from": "sfia:ITMG", "to": DELIVER, "max_hops": 1}).json()
    assert none["paths"] == []
    assert_problem(client.get("/v1/paths", params={"from": "nope:x", "to": DELIVER}), 404)


def test_role_competencies_and_compare(client: TestClient) -> None:
    body = client.get("/v1/roles/role:zero-outage:incident-manager/competencies").json()
    assert set(body["families"]) <= {"functional", "methodical", "interpersonal", "unspecified"}
    assert body["families"]["functional"]
    compared = client.get("/v1/roles/role:zero-outage:incident-manager/compare/role:zero-outage:problem-manager").json()
    comps = compared["competencies"]
    assert comps["shared"] and (comps["only_a"] or comps["only_b"])
    shared, only_a = set(ids(comps["shared"])), set(ids(comps["only_a"]))
    assert not shared & only_a
    assert_problem(client.get("/v1/roles/practice:incident-management/competencies"), 404)
    assert_problem(client.get("/v1/roles/role:zero-outage:incident-manager/compare/role:nope"), 404)


def test_search_ranks_exact_and_alias_matches_first(client: TestClient) -> None:
    body = client.get("/v1/search", params={"q": "change control"}).json()
    assert body["items"][0]["id"] == "practice:change-enablement"
    assert client.get("/v1/search", params={"q": "itmg"}).json()["items"][0]["id"] == "sfia:ITMG"
    prefix = client.get("/v1/search", params={"q": "incid", "label": "Practice"}).json()
    assert ids(prefix["items"]) == ["practice:incident-management"]
    assert_problem(client.get("/v1/search"), 422)


def test_export_holds_the_whole_graph(client: TestClient, ontology: Ontology) -> None:
    body = client.get("/v1/export").json()
    assert body["release"]["content_hash"] == ontology.content_hash
    assert len(body["nodes"]) == len(ontology.nodes)
    assert len(body["relationships"]) == len(ontology.relationships)
    node = next(n for n in body["nodes"] if n["id"] == "practice:incident-management")
    assert node["labels"] == ["Practice"] and node["properties"]["category"] == "service"
    rel = next(r for r in body["relationships"] if r["start"] == "practice:incident-management" and r["end"] == DELIVER)
    assert rel["type"] == "CONTRIBUTES_TO" and rel["properties"]["level"] == "high"


def test_openapi_has_clean_operation_ids(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operation_ids = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {"activity_practices", "list_nodes", "get_node", "search", "compare_roles"} <= operation_ids


def test_list_envelopes_always_carry_total_and_next(client: TestClient) -> None:
    for path, params in (
        ("/v1/nodes", {}),
        (f"/v1/value-chain/{DELIVER}/practices", {}),
        ("/v1/search", {"q": "management"}),
    ):
        body = client.get(path, params={**params, "limit": 500}).json()
        assert {"items", "total", "next"} <= set(body), path


def test_central_practices(client: TestClient) -> None:
    body = client.get("/v1/analytics/central-nodes", params={"label": "Practice", "limit": 5}).json()
    assert body["total"] == 34 and len(body["items"]) == 5
    scores = [item["score"] for item in body["items"]]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    degree = client.get("/v1/analytics/central-nodes", params={"measure": "degree", "label": "Role"}).json()
    assert all(item["label"] == "Role" for item in degree["items"])


def test_heatmap_svg_draws_only_stated_levels(store: object) -> None:
    import xml.etree.ElementTree as ET

    from app.services.heatmap import heatmap_svg

    svg = heatmap_svg(store)  # type: ignore[arg-type]
    titles = [el.text for el in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}title")]
    assert "Incident management / Plan: none" in titles
    assert "Incident management / Deliver and support: high" in titles
    assert "Problem management / Plan: not stated" in titles


def test_heatmap_over_http(client: TestClient) -> None:
    response = client.get("/v1/value-chain/value-chain:itil/heatmap.svg")
    assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml")
    svg = response.text
    assert svg.startswith("<svg") and "Incident management" in svg and "Deliver and support" in svg
    only_004 = client.get("/v1/value-chain/value-chain:itil/heatmap.svg", params={"source": "004"})
    assert only_004.status_code == 200 and only_004.text != svg
    assert_problem(client.get("/v1/value-chain/value-chain:nope/heatmap.svg"), 404)
    assert_problem(client.get("/v1/value-chain/value-chain:itil/heatmap.svg", params={"source": "999"}), 422)


def test_etag_and_not_modified(client: TestClient) -> None:
    """Services polling the API revalidate with If-None-Match and get 304 while nothing changed."""
    first = client.get("/v1/nodes/practice:incident-management")
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('"') and first.headers["X-Ontology-Release"]
    again = client.get("/v1/nodes/practice:incident-management", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == etag
    assert again.headers["X-Ontology-Release"] == first.headers["X-Ontology-Release"]
    weak = client.get("/v1/nodes/practice:incident-management", headers={"If-None-Match": f'W/{etag}, "x"'})
    assert weak.status_code == 304
    other = client.get("/v1/nodes/practice:problem-management", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["ETag"] != etag and other.json()["id"]
    svg = client.get("/v1/value-chain/value-chain:itil/heatmap.svg")
    assert client.get(svg.url, headers={"If-None-Match": svg.headers["ETag"]}).status_code == 304
    missing = client.get("/v1/nodes/practice:nope", headers={"If-None-Match": "*"})
    assert missing.status_code == 404 and "ETag" not in missing.headers


def test_zero_outage_heatmap_through_alignment_and_legend_inside(client: TestClient) -> None:
    """The Zero Outage phases have no contribution edges: the map shows the levels of the ITIL
    activities each phase aligns with, and nothing (legend included) is drawn past the edge."""
    import xml.etree.ElementTree as ET

    svg = client.get("/v1/value-chain/value-chain:zero-outage/heatmap.svg").text
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    width = float(root.get("width", "0"))
    titles = [el.text or "" for el in root.iter(f"{ns}title")]
    assert any(t.startswith("Incident management / Run: high (through Deliver and support") for t in titles)
    assert sum(1 for t in titles if ": not stated" not in t) > 30, "cells drawn"
    for rect in root.iter(f"{ns}rect"):
        assert float(rect.get("x", "0")) + float(rect.get("width", "0")) <= width
    for text in root.iter(f"{ns}text"):
        if text.get("x") and text.text:
            start = float(text.get("x", "0"))
            span = 7 * len(text.text)
            left = (
                start - span
                if text.get("text-anchor") == "end"
                else start - span / 2
                if text.get("text-anchor") == "middle"
                else start
            )
            assert left >= 0 and left + span <= width, text.text
