"""Architect's questions about ITIL / ITSM roles and responsibilities.

Seed: 003_34f0498d0562ac31.txt (ITIL & ITSM roles and responsibilities, 431 lines). The sample-roles table
is at lines 94-107; role sections run from line 109 (people facing), 172 (technology facing) and 370
(other). Every expected answer was read off the seed by hand; line numbers are cited per test.
"""

R = "role:itil:"
TABLE_ROLES = {
    R + s
    for s in (
        # people facing (lines 96-98)
        "service-desk-staff",
        "business-relationship-manager",
        "supplier-relationship-manager",
        # technology facing (lines 96-107)
        "incident-manager",
        "problem-manager",
        "change-manager",
        "enterprise-architect",
        "project-manager",
        "systems-developer",
        "systems-support",
        "configuration-and-deployment-manager",
        "quality-assurance-and-testing-manager",
        "network-and-service-operations-centre-analyst",
        "it-service-continuity-manager",
        "information-security-manager",
        # other (lines 96-100)
        "strategy-analyst",
        "finance-analyst",
        "demand-analyst",
        "service-portfolio-and-catalogue-manager",
        "service-delivery-manager",
    )
}


# roles curated from this seed (other documents also define role:itil:* roles)
FROM_003 = "any(s IN r.sources WHERE s STARTS WITH '003_')"


def _ids(items):
    return {item["id"] for item in items}


def _responsible_for(cypher, target_id, basis=None):
    query = (
        "MATCH (r:Role)-[e:RESPONSIBLE_FOR]->(t {id:$id}) WHERE "
        + FROM_003
        + " "
        + ("AND e.basis = $basis " if basis else "")
        + "RETURN r.id AS role"
    )
    params = {"id": target_id, **({"basis": basis} if basis else {})}
    return {row["role"] for row in cypher(query, **params)}


def test_every_sample_role_is_a_documented_itil_role(client):
    """Are all 20 sample roles of the table (lines 94-107) described, as ITIL roles with a description and
    own-words responsibilities, part of ITIL 4?"""
    body = client.get("/v1/nodes", params={"label": "Role", "source": "itil-roles", "limit": 200}).json()
    assert _ids(body["items"]) >= TABLE_ROLES
    for role_id in TABLE_ROLES:
        node = client.get(f"/v1/nodes/{role_id}").json()
        assert node["properties"]["kind"] == "itil-role"
        assert node["properties"]["description"]
        assert node["properties"]["responsibilities"]
        assert "framework:itil4" in {i["node"]["id"] for i in node["relationships"]["out"]["PART_OF"]}


def test_which_roles_are_responsible_for_incident_management(cypher):
    """Who is responsible for incident management? By the text's own naming: the incident manager
    (line 176) and service desk staff, who run first-line incident management (line 113). Systems
    support, the second line that helps resolve incidents (272, 278), only by inference."""
    assert _responsible_for(cypher, "practice:incident-management", basis="stated") == {
        R + "incident-manager",
        R + "service-desk-staff",
    }
    assert _responsible_for(cypher, "practice:incident-management") == {
        R + "incident-manager",
        R + "service-desk-staff",
        R + "systems-support",
    }


def test_who_does_the_service_desk_escalate_to(cypher):
    """Whom does the service desk escalate to? The text names no target (line 121): no stated escalation.
    The only escalation link is inferred, to systems support, the second-line role (line 272)."""
    rows = cypher(
        "MATCH (:Role {id:$id})-[e:RELATED_TO {kind:'escalates-to'}]->(t) RETURN t.id AS to, e.basis AS basis",
        id=R + "service-desk-staff",
    )
    assert [r for r in rows if r["basis"] == "stated"] == []
    assert {(r["to"], r["basis"]) for r in rows} == {(R + "systems-support", "inferred")}


def test_change_manager_maps_to_change_enablement_by_inference(cypher):
    """Which ITIL 4 practice is the change manager responsible for? The text speaks of v3 change management
    (lines 203-207), so change enablement, inferred with a rationale."""
    rows = cypher(
        "MATCH (:Role {id:$id})-[e:RESPONSIBLE_FOR]->(t) RETURN t.id AS to, e.basis AS basis, e.rationale AS why",
        id=R + "change-manager",
    )
    assert [(r["to"], r["basis"]) for r in rows] == [("practice:change-enablement", "inferred")]
    assert rows[0]["why"]


def test_who_sits_on_the_cab(cypher):
    """Who attends CAB meetings and who chairs them? Attending: business relationship manager (145-147),
    supplier relationship manager (169), enterprise architect (255), systems support (280), IT service
    continuity manager (354). Chair: change manager (209)."""
    rows = cypher(
        "MATCH (r:Role)-[e:RELATED_TO]->(:Concept {id:'concept:itil-concept:change-advisory-board'}) "
        "RETURN r.id AS role, e.kind AS kind"
    )
    attends = {r["role"] for r in rows if r["kind"] == "attends"}
    chairs = {r["role"] for r in rows if r["kind"] == "chairs"}
    assert attends == {
        R + "business-relationship-manager",
        R + "supplier-relationship-manager",
        R + "enterprise-architect",
        R + "systems-support",
        R + "it-service-continuity-manager",
    }
    assert chairs == {R + "change-manager"}


def test_configuration_and_deployment_manager_practices(cypher):
    """Which ITIL 4 practices does the configuration and deployment manager cover? The v3 SACM and release
    and deployment management (line 286) map to service configuration, IT asset, release and deployment
    management, all inferred."""
    rows = cypher(
        "MATCH (:Role {id:$id})-[e:RESPONSIBLE_FOR]->(t) RETURN t.id AS to, e.basis AS basis",
        id=R + "configuration-and-deployment-manager",
    )
    assert {r["to"] for r in rows} == {
        "practice:service-configuration-management",
        "practice:it-asset-management",
        "practice:release-management",
        "practice:deployment-management",
    }
    assert {r["basis"] for r in rows} == {"inferred"}


def test_who_answers_to_the_it_steering_group(cypher):
    """Who answers to the IT steering group? The strategy analyst reports to it (line 376); the finance
    analyst submits the annual IT budgets to it (line 383)."""
    rows = cypher(
        "MATCH (r:Role)-[e:RELATED_TO]->(:Concept {id:'concept:itil-concept:it-steering-group'}) "
        "RETURN r.id AS role, e.kind AS kind"
    )
    assert {(r["role"], r["kind"]) for r in rows} == {
        (R + "strategy-analyst", "reports-to"),
        (R + "finance-analyst", "submits-budgets-to"),
    }


def test_people_facing_roles(cypher):
    """Which roles are people facing? Service desk, business relationship manager and supplier relationship
    manager (table lines 94-98, section at 109-170)."""
    rows = cypher(
        "MATCH (r:Role)-[:PART_OF]->(:Concept {id:'concept:itil-concept:people-facing-roles'}) RETURN r.id AS role"
    )
    assert {r["role"] for r in rows} == {
        R + "service-desk-staff",
        R + "business-relationship-manager",
        R + "supplier-relationship-manager",
    }


def test_business_continuity_manager_is_another_name(client):
    """What is a 'business continuity manager' in this text? Another name for the IT service continuity
    manager where no business continuity framework exists (line 339)."""
    hits = client.get("/v1/search", params={"q": "business continuity manager", "label": "Role"}).json()
    assert R + "it-service-continuity-manager" in _ids(hits["items"])
    node = client.get(f"/v1/nodes/{R}it-service-continuity-manager").json()
    assert "business continuity manager" in node["properties"]["aliases"]


def test_service_delivery_manager_covers_knowledge_and_improvement(cypher):
    """What does the service delivery manager cover? Knowledge management (named, line 419) and CSI, which
    ITIL 4 calls continual improvement (inferred)."""
    rows = cypher(
        "MATCH (:Role {id:$id})-[e:RESPONSIBLE_FOR]->(t) RETURN t.id AS to, e.basis AS basis",
        id=R + "service-delivery-manager",
    )
    assert {(r["to"], r["basis"]) for r in rows} == {
        ("practice:knowledge-management", "stated"),
        ("practice:continual-improvement", "inferred"),
    }


def test_nobody_is_stated_responsible_for_service_financial_management(cypher):
    """Does the text name financial management as any role's process? No: the finance analyst section
    (380-387) names no process, so the only link is inferred (empty stated answer)."""
    assert _responsible_for(cypher, "practice:service-financial-management", basis="stated") == set()
    assert _responsible_for(cypher, "practice:service-financial-management") == {R + "finance-analyst"}


def test_no_role_in_the_text_covers_workforce_and_talent_management(cypher):
    """Is any of these roles responsible for workforce and talent management or business analysis? No: the
    document describes no such role (lines 94-431); an invented link would show here."""
    assert _responsible_for(cypher, "practice:workforce-and-talent-management") == set()
    assert _responsible_for(cypher, "practice:business-analysis") == set()


def test_brm_can_act_as_service_level_manager(cypher):
    """Which hats can the business relationship manager wear? Account manager and service level manager
    (line 130); the service level manager is responsible for service level management (stated)."""
    rows = cypher(
        "MATCH (:Role {id:$id})-[:RELATED_TO {kind:'can-act-as'}]->(t) RETURN t.id AS to",
        id=R + "business-relationship-manager",
    )
    assert {r["to"] for r in rows} == {R + "account-manager", R + "service-level-manager"}
    assert _responsible_for(cypher, "practice:service-level-management", basis="stated") == {
        R + "business-relationship-manager",
        R + "service-level-manager",
    }


def test_one_accountable_owner_per_process_and_service(cypher):
    """Under RACI, who is the single accountable party for a process and for a service? The process owner
    and the service owner (line 63)."""
    rows = cypher(
        "MATCH (r:Role)-[:RELATED_TO {kind:'sole-accountable-under'}]->(:Concept {id:'concept:itil-concept:raci-model'}) "
        "RETURN r.id AS role"
    )
    assert {r["role"] for r in rows} == {R + "process-owner", R + "service-owner"}


def test_processes_without_an_itil4_practice(cypher):
    """Which named v3 processes have no ITIL 4 practice of their own? Access management (line 113, run by
    the service desk) and transition planning and support (216-218, project manager)."""
    rows = cypher(
        "MATCH (r:Role)-[:RESPONSIBLE_FOR]->(p:Process) WHERE " + FROM_003 + " RETURN r.id AS role, p.id AS process"
    )
    assert {(r["role"], r["process"]) for r in rows} == {
        (R + "service-desk-staff", "process:information-security-management:access-management"),
        (R + "project-manager", "process:project-management:transition-planning-and-support"),
    }


def test_problem_manager_follows_incidents(cypher):
    """What happens once incidents are solved? The ball passes to the problem manager (line 190); the
    problem manager in turn helps with major incidents (199), which the incident manager manages (185)."""
    handover = cypher(
        "MATCH (:Role {id:$a})-[e:RELATED_TO {kind:'hands-over-to'}]->(:Role {id:$b}) RETURN e.basis AS basis",
        a=R + "incident-manager",
        b=R + "problem-manager",
    )
    assert len(handover) == 1
    support = cypher(
        "MATCH (:Role {id:$a})-[e:RELATED_TO {kind:'supports'}]->(:Role {id:$b}) RETURN e.basis AS basis",
        a=R + "problem-manager",
        b=R + "incident-manager",
    )
    assert len(support) == 1


def test_incident_manager_node_via_api(client):
    """The incident manager's node lists its practice responsibility and its major-incident duty
    (lines 174-186)."""
    node = client.get(f"/v1/nodes/{R}incident-manager").json()
    assert node["label"] == "Role"
    targets = {i["node"]["id"] for i in node["relationships"]["out"]["RESPONSIBLE_FOR"]}
    assert targets == {"practice:incident-management"}
    assert any("major incident" in r.lower() for r in node["properties"]["responsibilities"])


ATTRIBUTES = {
    "competency:business-priorities-awareness",  # 85
    "competency:it-business-enablement-awareness",  # 86
    "competency:customer-service",  # 87
    "competency:it-capability-awareness",  # 88
    "competency:role-competence-and-knowledge",  # 89
    "competency:best-practice-and-policy-adherence",  # 90
}


def test_every_sample_role_needs_the_six_attributes(cypher):
    """What must whoever carries out a sample role bring, whatever the role (83-90)? Awareness of business
    priorities, of IT's enabling part and of what IT can deliver, customer service skills, the competence
    the role needs, and the ability to apply best practice and policy. All 20 table roles (94-107) need
    all six; the RACI owners, not in the table, need none of them."""
    rows = cypher(
        "MATCH (r:Role)-[q:REQUIRES]->(c:Competency) WHERE c.id IN $ids "
        "AND any(s IN q.sources WHERE s STARTS WITH '003_') RETURN r.id AS role, collect(c.id) AS comps",
        ids=sorted(ATTRIBUTES),
    )
    by_role = {row["role"]: set(row["comps"]) for row in rows}
    assert set(by_role) == TABLE_ROLES
    assert all(comps == ATTRIBUTES for comps in by_role.values())
    linked = cypher(
        "MATCH (c:Competency)-[:RELATED_TO {kind:'expected-of-every-role'}]->(:Concept {id:'concept:itil-concept:role'}) "
        "RETURN c.id AS id"
    )
    assert {row["id"] for row in linked} == ATTRIBUTES


def test_the_service_delivery_managers_last_duty(cypher):
    """What is the service delivery manager's last listed duty (432, the last line of the page)? Making sure
    improvement activities are coordinated across the whole service lifecycle; it backs the role's
    continual improvement responsibility."""
    node = cypher(
        "MATCH (r:Role {id:$id}) RETURN r.responsibilities AS resp, r.sources AS s", id=R + "service-delivery-manager"
    )[0]
    assert any("lifecycle" in item for item in node["resp"])
    assert "003_34f0498d0562ac31.txt:417-432" in node["s"]
    edge = cypher(
        "MATCH (:Role {id:$id})-[x:RESPONSIBLE_FOR]->(:Practice {id:'practice:continual-improvement'}) RETURN x.sources AS s",
        id=R + "service-delivery-manager",
    )
    assert "003_34f0498d0562ac31.txt:428-432" in edge[0]["s"]


def test_who_manages_incident_management_and_who_works_in_it(cypher):
    """Who owns incident management? No text names an owner. The incident manager coordinates the process
    as a whole (176): manager. Service desk staff run its first line (113) and systems support is the second
    line (272, 278): practitioners."""
    rows = cypher(
        "MATCH (r:Role)-[x:RESPONSIBLE_FOR]->(:Practice {id:'practice:incident-management'}) "
        "WHERE any(s IN x.sources WHERE s STARTS WITH '003_') RETURN r.id AS role, x.kind AS kind"
    )
    assert {(row["role"], row["kind"]) for row in rows} == {
        (R + "incident-manager", "manager"),
        (R + "service-desk-staff", "practitioner"),
        (R + "systems-support", "practitioner"),
    }
    owners = cypher(
        "MATCH (r:Role)-[:RESPONSIBLE_FOR {kind:'owner'}]->(:Practice {id:'practice:incident-management'}) RETURN r.id AS id"
    )
    assert owners == []


def test_every_003_responsibility_has_a_kind(cypher):
    """Does each 003 RESPONSIBLE_FOR say what kind of responsibility it is? Yes: the role texts give one for
    all 37. The only owner is the configuration and deployment manager, "accountable" for IT's fixed assets
    (288), which the RACI key reads as ownership (71); the demand analyst only works with the roles that
    handle capacity (391): contributor; the project manager manages design coordination, a part of service
    design (216): lead."""
    rows = cypher(
        "MATCH (r:Role)-[x:RESPONSIBLE_FOR]->(t) WHERE r.id STARTS WITH 'role:itil:' "
        "AND all(s IN x.sources WHERE NOT s STARTS WITH '000_') AND any(s IN x.sources WHERE s STARTS WITH '003_') "
        "RETURN r.id AS role, t.id AS target, x.kind AS kind"
    )
    kinds = {(row["role"], row["target"]): row["kind"] for row in rows}
    assert len(kinds) == 37 and None not in kinds.values()
    assert [k for k, v in kinds.items() if v == "owner"] == [
        (R + "configuration-and-deployment-manager", "practice:it-asset-management")
    ]
    assert kinds[(R + "demand-analyst", "practice:capacity-and-performance-management")] == "contributor"
    assert kinds[(R + "project-manager", "practice:service-design")] == "lead"
    assert kinds[(R + "systems-support", "practice:problem-management")] == "contributor"


def test_which_records_and_systems_the_roles_keep(cypher):
    """Which records do the roles keep? The problem manager updates the KEDB (198), whose entries are known
    errors and workarounds; the CMS is updated by service desk staff (126), maintained by systems support
    (279) and structured by the configuration and deployment manager (293)."""
    kedb = cypher(
        "MATCH (r:Role)-[:RELATED_TO {kind:'updates'}]->(a:Artifact {id:'artifact:known-error-database'}) "
        "OPTIONAL MATCH (a)-[:RELATED_TO {kind:'records'}]->(t:Term) RETURN r.id AS role, collect(t.id) AS terms"
    )
    assert kedb[0]["role"] == R + "problem-manager"
    assert set(kedb[0]["terms"]) == {"term:known-error", "term:workaround"}
    cms = cypher(
        "MATCH (r:Role)-[e:RELATED_TO]->(:Artifact {id:'artifact:configuration-management-system'}) "
        "RETURN r.id AS role, e.kind AS kind"
    )
    assert {(row["role"], row["kind"]) for row in cms} == {
        (R + "service-desk-staff", "updates"),
        (R + "systems-support", "maintains"),
        (R + "configuration-and-deployment-manager", "defines-structure-of"),
    }


def test_rfcs_are_change_requests(cypher):
    """Who deals with RFCs? The problem manager raises them (196) and the change manager reviews some
    categories (208). 003's RFC is 001's change request (1225), a match we make, so both links are inferred."""
    rows = cypher(
        "MATCH (r:Role)-[e:RELATED_TO]->(:Artifact {id:'artifact:change-request'}) WHERE r.id STARTS WITH 'role:itil:' "
        "RETURN r.id AS role, e.kind AS kind, e.basis AS basis"
    )
    assert {(row["role"], row["kind"], row["basis"]) for row in rows} == {
        (R + "problem-manager", "raises", "inferred"),
        (R + "change-manager", "reviews", "inferred"),
    }
