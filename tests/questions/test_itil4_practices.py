"""Architect's questions about the ITIL 4 management practices.

Seed: 001_36cf4593c3a5a483.txt. Every expected answer was read off the seed by hand; line numbers are
cited per test. The heat-map figures are missing from the text, so contribution levels come only from
wording (rules in the header of ontology/itil4-practices.yaml): "most instrumental in", "applied mainly
to", "primary focus", "key to", "significant contribution", "essential", ... -> high; hedged "may"/"some"
-> low; explicit secondary -> medium; "except plan" -> none; plain involvement -> unspecified; silence ->
no edge. Other seeds (004) add their own CONTRIBUTES_TO edges (key `mp`), so edge questions filter on
seed 001 sources.
"""

SEED = "001_36cf4593c3a5a483.txt"
A = "activity:itil:"
P = "practice:"


def _levels_from_001(cypher, practice_id):
    """{activity id: level} of the CONTRIBUTES_TO edges seed 001 gives `practice_id`."""
    rows = cypher(
        "MATCH (p:Practice {id:$id})-[r:CONTRIBUTES_TO]->(a:ValueChainActivity) "
        "WHERE any(s IN r.sources WHERE s STARTS WITH $seed) RETURN a.id AS a, r.level AS level",
        id=practice_id,
        seed=SEED,
    )
    return {row["a"]: row["level"] for row in rows}


def _practices_at(cypher, activity_id, level):
    rows = cypher(
        "MATCH (p:Practice)-[r:CONTRIBUTES_TO {level:$level}]->(:ValueChainActivity {id:$a}) "
        "WHERE any(s IN r.sources WHERE s STARTS WITH $seed) RETURN DISTINCT p.id AS id",
        a=activity_id,
        level=level,
        seed=SEED,
    )
    return {row["id"] for row in rows}


def test_practice_counts_per_category(cypher):
    """How many practices of each kind does ITIL 4 have? 14 general, 17 service, 3 technical (17, 77-113)."""
    rows = cypher("MATCH (p:Practice) RETURN p.category AS category, count(*) AS n")
    assert {row["category"]: row["n"] for row in rows} == {"general": 14, "service": 17, "technical": 3}


def test_which_practices_are_technical(client):
    """Which are the technical management practices? Lines 110-113."""
    body = client.get("/v1/nodes", params={"label": "Practice", "limit": 200}).json()
    technical = set()
    for item in body["items"]:
        node = client.get(f"/v1/nodes/{item['id']}").json()
        if node["properties"]["category"] == "technical":
            technical.add(item["id"])
    assert technical == {
        P + "deployment-management",
        P + "infrastructure-and-platform-management",
        P + "software-development-and-management",
    }


def test_change_control_resolves_to_change_enablement(client):
    """Is "change control" an ITIL 4 practice? It is the other name of change enablement (96, 228, 1200)."""
    body = client.get("/v1/search", params={"q": "change control", "label": "Practice"}).json()
    assert body["items"], "search for 'change control' found no practice"
    assert body["items"][0]["id"] == P + "change-enablement"
    node = client.get(f"/v1/nodes/{P}change-enablement").json()
    assert node["label"] == "Practice"
    assert node["properties"]["category"] == "service"
    assert "Change control" in node["properties"]["aliases"]


def test_high_contributors_to_plan(client):
    """Which practices does the text say contribute strongly to plan? Architecture "most instrumental in"
    (367), portfolio "essential for planning" (697), risk "essential inputs" (815), workforce and talent
    "primary focus of plan" (1027), service level "applied mainly to the plan" (1956)."""
    body = client.get(
        f"/v1/value-chain/{A}plan/practices", params={"min_level": "high", "source": "itil4-practices"}
    ).json()
    assert {item["practice"]["id"] for item in body["items"]} == {
        P + "architecture-management",
        P + "portfolio-management",
        P + "risk-management",
        P + "workforce-and-talent-management",
        P + "service-level-management",
    }
    assert {item["level"] for item in body["items"]} == {"high"}


def test_high_contributors_to_improve(cypher):
    """Which practices are strong in improve? Architecture (367), continual improvement "key to" (436),
    workforce "primary focus" (1027), monitoring "essential" (1407), problem "main focus area" (1483-1485),
    validation and testing "critical success measures" (2042)."""
    assert _practices_at(cypher, A + "improve", "high") == {
        P + "architecture-management",
        P + "continual-improvement",
        P + "workforce-and-talent-management",
        P + "monitoring-and-event-management",
        P + "problem-management",
        P + "service-validation-and-testing",
    }


def test_high_contributors_to_deliver_and_support(cypher):
    """Which practices are strong in deliver and support? Information security "integral part" (478),
    incident "significant contribution" (1297), problem (1493), configuration "essential" (1676),
    service request "significant contribution" (2012)."""
    assert _practices_at(cypher, A + "deliver-and-support", "high") == {
        P + "information-security-management",
        P + "incident-management",
        P + "problem-management",
        P + "service-configuration-management",
        P + "service-request-management",
    }


def test_incident_management_does_not_contribute_to_plan(client, cypher):
    """Does incident management contribute to plan? No: "Except for plan" (1287), an explicit exception,
    stored as level none; the default listing leaves it out, min_level=none shows it."""
    assert _levels_from_001(cypher, P + "incident-management")[A + "plan"] == "none"
    default = client.get(f"/v1/value-chain/{A}plan/practices", params={"source": "itil4-practices"}).json()
    assert P + "incident-management" not in {item["practice"]["id"] for item in default["items"]}
    everything = client.get(
        f"/v1/value-chain/{A}plan/practices",
        params={"min_level": "none", "source": "itil4-practices", "include": "roles"},
    ).json()
    levels = {item["practice"]["id"]: item["level"] for item in everything["items"]}
    assert levels.get(P + "incident-management") == "none"


def test_incident_management_profile(cypher):
    """How does incident management spread over the chain? Applied mainly to engage and deliver and support
    (1287, 1297) -> high; other activities "may use information" (1287) -> low, except improve where
    incident records are a "key input" (1289) -> medium; plan excluded -> none."""
    assert _levels_from_001(cypher, P + "incident-management") == {
        A + "plan": "none",
        A + "improve": "medium",
        A + "engage": "high",
        A + "design-and-transition": "low",
        A + "obtain-build": "low",
        A + "deliver-and-support": "high",
    }


def test_practices_explicitly_excluded_from_plan(cypher):
    """Which practices does the text exclude from plan? Incident (1287), monitoring and event (1405),
    service desk (1892), service request (2002), validation and testing (2040)."""
    assert _practices_at(cypher, A + "plan", "none") == {
        P + "incident-management",
        P + "monitoring-and-event-management",
        P + "service-desk",
        P + "service-request-management",
        P + "service-validation-and-testing",
    }


def test_practices_explicitly_excluded_from_engage(cypher):
    """Which practices take no part in engage? Infrastructure and platform (2142) and software development
    and management (2184): "all value chain activities except the engage activity"."""
    assert _practices_at(cypher, A + "engage", "none") == {
        P + "infrastructure-and-platform-management",
        P + "software-development-and-management",
    }


def test_deployment_management_has_no_edge_where_text_is_silent(cypher):
    """Where does deployment management contribute? Mainly design and transition and obtain/build, "but also
    to the improve activity" (2094-2100); the text says nothing on plan, engage or deliver and support, so
    there must be no edge (not even level none) there."""
    assert _levels_from_001(cypher, P + "deployment-management") == {
        A + "improve": "medium",
        A + "design-and-transition": "high",
        A + "obtain-build": "high",
    }


def test_problem_management_has_no_plan_edge(cypher):
    """Does problem management contribute to plan? The text never says (1483-1493 cover the other five),
    so no edge at all, unlike incident management's explicit exception."""
    levels = _levels_from_001(cypher, P + "problem-management")
    assert A + "plan" not in levels
    assert levels[A + "improve"] == "high" and levels[A + "deliver-and-support"] == "high"


def test_architecture_engage_level_is_not_invented(cypher):
    """How strong is architecture management in engage? The text only says the practice is involved in all
    activities and most instrumental in plan, improve and design and transition (367, 373): unspecified."""
    levels = _levels_from_001(cypher, P + "architecture-management")
    assert levels[A + "engage"] == "unspecified"
    assert {a for a, lvl in levels.items() if lvl == "high"} == {
        A + "plan",
        A + "improve",
        A + "design-and-transition",
    }


def test_only_two_medium_contributions(cypher):
    """Which contributions are explicitly secondary? Deployment "but also to the improve activity" (2094)
    and incident records in improve (1287-1289). Nothing else in the text supports medium."""
    rows = cypher(
        "MATCH (p:Practice)-[r:CONTRIBUTES_TO {level:'medium'}]->(a) "
        "WHERE any(s IN r.sources WHERE s STARTS WITH $seed) RETURN p.id AS p, a.id AS a",
        seed=SEED,
    )
    assert {(row["p"], row["a"]) for row in rows} == {
        (P + "deployment-management", A + "improve"),
        (P + "incident-management", A + "improve"),
    }


def test_problem_management_phases_in_order(cypher):
    """What phases does problem management have? Identification, control, error control (1447-1471)."""
    rows = cypher(
        "MATCH (s:Process)-[r:PART_OF]->(:Practice {id:$id}) WHERE r.order IS NOT NULL "
        "RETURN s.id AS id, r.order AS ord ORDER BY ord",
        id=P + "problem-management",
    )
    assert [row["id"] for row in rows] == [
        "process:problem-management:problem-identification",
        "process:problem-management:problem-control",
        "process:problem-management:error-control",
    ]


def test_what_monitoring_and_event_management_initiates(client):
    """Which practices can monitoring and event management set off? Incident, problem and change control
    (1393)."""
    body = client.get(
        f"/v1/nodes/{P}monitoring-and-event-management/neighbors",
        params={"type": "RELATED_TO", "direction": "out"},
    ).json()
    initiated = {
        item["node"]["id"] for item in body["items"] if item["relationship"]["properties"].get("kind") == "initiates"
    }
    assert initiated == {P + "incident-management", P + "problem-management", P + "change-enablement"}


def test_change_control_is_not_organizational_change_management(cypher):
    """Is change control the same as organizational change management? No, the text sets them apart
    (1216): two practices, linked as distinct."""
    rows = cypher(
        "MATCH (:Practice {id:$a})-[r:RELATED_TO]->(:Practice {id:$b}) RETURN r.kind AS kind",
        a=P + "change-enablement",
        b=P + "organizational-change-management",
    )
    assert {row["kind"] for row in rows} == {"distinct-from"}


def test_service_level_management_competencies(cypher):
    """What skills does service level management need? Relationship management, business liaison, business
    analysis and commercial/supplier management (1926)."""
    rows = cypher(
        "MATCH (:Practice {id:$id})-[r:RELATED_TO {kind:'needs-competency'}]->(c:Competency) "
        "WHERE any(s IN r.sources WHERE s STARTS WITH $seed) RETURN c.id AS id",
        id=P + "service-level-management",
        seed=SEED,
    )
    assert {row["id"] for row in rows} == {
        "competency:relationship-management",
        "competency:business-liaison",
        "competency:business-analysis",
        "competency:supplier-and-contract-management",
    }


def test_business_analyst_competencies(cypher):
    """What does a business analyst need? Critical thinking and evaluation, listening, communication,
    facilitation, process and use case analysis, data analysis and modelling (1107, 1126)."""
    rows = cypher(
        "MATCH (:Role {id:$id})-[:REQUIRES]->(c:Competency) RETURN c.id AS id",
        id="role:itil:practice-business-analyst",
    )
    assert {row["id"] for row in rows} == {
        "competency:critical-thinking",
        "competency:listening",
        "competency:communication",
        "competency:facilitation",
        "competency:business-process-analysis",
        "competency:data-analysis-and-modelling",
    }


def test_every_practice_has_a_seed_001_edge_set(cypher):
    """Does every practice have its value chain profile from the text? 34 practices x 6 activities, minus
    the 4 pairs the text is silent on (problem/plan; deployment/plan, engage, deliver and support) = 200."""
    rows = cypher(
        "MATCH (:Practice)-[r:CONTRIBUTES_TO]->(:ValueChainActivity) "
        "WHERE any(s IN r.sources WHERE s STARTS WITH $seed) RETURN count(r) AS n",
        seed=SEED,
    )
    assert rows[0]["n"] == 200


def test_kinds_of_responsibility_the_practice_roles_have(cypher):
    """What kind of responsibility do the roles only this text names have? Business analysts do the work of
    business analysis (1107) and site reliability engineers manage availability of particular services (1073):
    practitioners; the service integrator operates the service integration function (975): manager. The
    change authority authorizes (1220), which no kind names, so its edge has none."""
    rows = cypher(
        "MATCH (r:Role)-[x:RESPONSIBLE_FOR]->(t) WHERE r.id STARTS WITH 'role:itil:practice-' "
        "RETURN r.id AS role, x.kind AS kind"
    )
    assert {row["role"]: row["kind"] for row in rows} == {
        "role:itil:practice-business-analyst": "practitioner",
        "role:itil:practice-site-reliability-engineer": "practitioner",
        "role:itil:practice-service-integrator": "manager",
        "role:itil:practice-change-authority": None,
    }
