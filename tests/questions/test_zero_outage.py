"""Architect's questions about the Zero Outage Industry Standard job profiles.

Seed: 000_6778994f348d47a8.txt (Zero Outage value chain and job profiles). Every expected answer below
was read off the seed by hand; line numbers are cited per test. The page lists 15 profiles in five tables
(headers at lines 21, 80, 173, 257, 302); each profile has a Functional, Methodical and Interpersonal list.
"""

ZO = "role:zero-outage:"
METHODICAL = {
    "competency:integration-of-zero-outage",
    "competency:effective-use-of-data",
    "competency:creation-renovation-and-design-methods",
    "competency:standard-management-principles",
    "competency:required-tools-usage",
}
ALL_PROFILES = {
    ZO + s
    for s in (
        "people-manager",
        "demand-manager",
        "enterprise-architect",
        "developer",
        "process-architect",
        "capacity-manager",
        "availability-manager",
        "it-service-continuity-manager",
        "change-manager",
        "it-operator",
        "incident-manager",
        "manager-on-duty",
        "problem-manager",
        "process-owner",
        "migration-and-phase-out-manager",
    )
}


def _ids(items):
    return {item["id"] for item in items}


def _zo_roles_requiring(cypher, competency_id):
    rows = cypher(
        "MATCH (r:Role)-[:REQUIRES]->(c:Competency {id:$id}) WHERE r.id STARTS WITH 'role:zero-outage:' "
        "RETURN DISTINCT r.id AS role",
        id=competency_id,
    )
    return {row["role"] for row in rows}


def test_the_standard_defines_fifteen_job_profiles(client):
    """Which generic job profiles does the standard list? 15 (names at 23, 82, 124, 175, 216, 259, 304,
    348, 399, 452, 495, 540, 590, 637, 686)."""
    body = client.get("/v1/nodes", params={"label": "Role", "source": "zero-outage", "limit": 200}).json()
    assert _ids(body["items"]) == ALL_PROFILES
    for role_id in ALL_PROFILES:
        node = client.get(f"/v1/nodes/{role_id}").json()
        assert node["properties"]["kind"] == "job-profile"
        assert "framework:zero-outage" in {i["node"]["id"] for i in node["relationships"]["out"]["PART_OF"]}


def test_what_the_incident_manager_needs_that_the_problem_manager_lacks(client):
    """Incident Manager (502-538): functional Broad Technical Knowledge 502, Process Knowledge 504, Service
    Design 506, Communication Management 508; interpersonal Sense of urgency 522, Pro-active 524,
    Communication 526, Teamwork 528, Decision making 530, Adherence 532, Outcome 534, Conflict 536,
    Reliability 538. Problem Manager (599-635): Broad Technical Knowledge 599, Process Knowledge 601,
    Service Architecture & Design 603, Project Mgmt 605, Life Cycle Mgmt 607; Outcome 621, Learning 623,
    Conflict 625, Teamwork 627, Sense for quality 629, Decision making 631, Pro-active 633, Reliability 635.
    Methodical lists are identical."""
    body = client.get(f"/v1/roles/{ZO}incident-manager/compare/{ZO}problem-manager").json()
    comp = body["competencies"]
    assert _ids(comp["only_a"]) == {
        "competency:service-design",
        "competency:communication-management",
        "competency:sense-of-urgency",
        "competency:communication",
        "competency:adherence-to-processes",
    }
    assert _ids(comp["only_b"]) == {
        "competency:service-architecture-and-design",
        "competency:project-management",
        "competency:life-cycle-management",
        "competency:learning-from-mistakes",
        "competency:sense-for-quality",
    }
    assert _ids(comp["shared"]) == METHODICAL | {
        "competency:broad-technical-knowledge",
        "competency:process-knowledge",
        "competency:pro-active-work-approach",
        "competency:teamwork",
        "competency:decision-making",
        "competency:outcome-oriented",
        "competency:conflict-resolution-and-mediation",
        "competency:reliability-and-credibility",
    }


def test_process_architect_has_nothing_the_process_owner_lacks(client):
    """Same functional list (223-231 vs 646-654); Process Architect's interpersonal list (245-255) is a
    subset of the Process Owner's (668-684), which adds Pro-active, Decision making and Conflict
    resolution."""
    body = client.get(f"/v1/roles/{ZO}process-architect/compare/{ZO}process-owner").json()
    assert body["competencies"]["only_a"] == []
    assert _ids(body["competencies"]["only_b"]) == {
        "competency:pro-active-work-approach",
        "competency:decision-making",
        "competency:conflict-resolution-and-mediation",
    }


def test_which_profiles_need_crisis_management(cypher):
    """Crisis Management: IT Service Continuity Manager (365) and, as 'Crisis Management/ Escalation
    Management' under Process Knowledge, the Manager on Duty (552). Nobody else."""
    assert _zo_roles_requiring(cypher, "competency:crisis-management") == {
        ZO + "it-service-continuity-manager",
        ZO + "manager-on-duty",
    }


def test_which_profiles_need_sense_of_urgency(cypher):
    """'Sense of urgency to reduce business impacts': 288, 336, 381, 481, 522, 574 - the Capacity,
    Availability, ITSC and Incident Managers, the IT Operator and the Manager on Duty."""
    assert _zo_roles_requiring(cypher, "competency:sense-of-urgency") == {
        ZO + "capacity-manager",
        ZO + "availability-manager",
        ZO + "it-service-continuity-manager",
        ZO + "it-operator",
        ZO + "incident-manager",
        ZO + "manager-on-duty",
    }


def test_no_profile_needs_both_deep_and_broad_technical_knowledge(cypher):
    """Deep Technical Knowledge only for the Developer (184) and IT Operator (459), neither of which lists
    Broad Technical Knowledge: the answer is empty."""
    assert _zo_roles_requiring(cypher, "competency:deep-technical-knowledge") == {
        ZO + "developer",
        ZO + "it-operator",
    }
    rows = cypher(
        "MATCH (c1:Competency {id:'competency:deep-technical-knowledge'})<-[:REQUIRES]-(r:Role)"
        "-[:REQUIRES]->(c2:Competency {id:'competency:broad-technical-knowledge'}) "
        "WHERE r.id STARTS WITH 'role:zero-outage:' RETURN r.id AS role"
    )
    assert rows == []


def test_family_of_a_competency_for_a_role(cypher):
    """Change Manager lists Testing as functional (420); Incident Manager lists Communication as
    interpersonal (526) and Communication Management as functional (508); Required Tools usage is
    methodical (519)."""

    def families(role, comp):
        rows = cypher(
            "MATCH (:Role {id:$r})-[q:REQUIRES]->(:Competency {id:$c}) RETURN q.family AS family",
            r=role,
            c=comp,
        )
        return sorted(row["family"] for row in rows)

    assert families(ZO + "change-manager", "competency:testing") == ["functional"]
    assert families(ZO + "incident-manager", "competency:communication") == ["interpersonal"]
    assert families(ZO + "incident-manager", "competency:communication-management") == ["functional"]
    assert families(ZO + "incident-manager", "competency:required-tools-usage") == ["methodical"]


def test_developer_competencies_by_family(client):
    """Developer (184-214): functional Deep Technical Knowledge 184, Testing 186, Service Architecture and
    Design 188, Project Mgmt 190, Life Cycle Mgmt 192; the five methodical ones; interpersonal Sense for
    quality 206, Outcome oriented 208, Learning from mistakes 210, Reliability 212, Adherence 214.
    No SFIA skills are given by this document."""
    body = client.get(f"/v1/roles/{ZO}developer/competencies").json()
    fam = body["families"]
    assert _ids(fam["functional"]) == {
        "competency:deep-technical-knowledge",
        "competency:testing",
        "competency:service-architecture-and-design",
        "competency:project-management",
        "competency:life-cycle-management",
    }
    assert _ids(fam["methodical"]) == METHODICAL
    assert _ids(fam["interpersonal"]) == {
        "competency:sense-for-quality",
        "competency:outcome-oriented",
        "competency:learning-from-mistakes",
        "competency:reliability-and-credibility",
        "competency:adherence-to-processes",
    }
    assert not fam.get("leadership")
    for item in fam["functional"]:
        assert item.get("level") is None  # the standard gives no proficiency levels


def test_every_profile_shares_the_same_five_methodical_competencies(cypher):
    """All 15 methodical lists are the same five items (e.g. 49-57, 100-108, ..., 710-718)."""
    rows = cypher(
        "MATCH (r:Role)-[q:REQUIRES {family:'methodical'}]->(c:Competency) "
        "WHERE r.id STARTS WITH 'role:zero-outage:' RETURN r.id AS role, c.id AS comp"
    )
    by_role = {}
    for row in rows:
        by_role.setdefault(row["role"], set()).add(row["comp"])
    assert set(by_role) == ALL_PROFILES
    assert all(comps == METHODICAL for comps in by_role.values())


def test_it_strategy_split_into_architecture_and_financial(cypher):
    """IT Strategy appears as (financial) for the Demand Manager (93), (Architecture) for the Enterprise
    Architect (131), and (Architecture & Financial) for the People Manager (46) and the Migration and
    Phase out Manager (707)."""
    assert _zo_roles_requiring(cypher, "competency:it-strategy-financial") == {
        ZO + "demand-manager",
        ZO + "people-manager",
        ZO + "migration-and-phase-out-manager",
    }
    assert _zo_roles_requiring(cypher, "competency:it-strategy-architecture") == {
        ZO + "enterprise-architect",
        ZO + "people-manager",
        ZO + "migration-and-phase-out-manager",
    }


def test_demand_manager_does_not_list_teamwork(cypher):
    """Demand Manager's interpersonal list (110-122) has no Teamwork and no Learning from mistakes; an
    invented edge would show here."""
    rows = cypher("MATCH (:Role {id:$r})-[:REQUIRES]->(c:Competency) RETURN c.id AS comp", r=ZO + "demand-manager")
    comps = {row["comp"] for row in rows}
    assert "competency:teamwork" not in comps
    assert "competency:learning-from-mistakes" not in comps
    assert comps == METHODICAL | {
        "competency:partner-management",
        "competency:it-strategy-financial",
        "competency:product-and-demand-management",
        "competency:broad-technical-knowledge",
        "competency:pro-active-work-approach",
        "competency:communication",
        "competency:sense-for-quality",
        "competency:decision-making",
        "competency:adherence-to-processes",
        "competency:outcome-oriented",
        "competency:reliability-and-credibility",
    }


def test_which_profiles_perform_in_run(client):
    """Which profiles work in Run? The phase headings of the five tables are lost; line 9 says only that
    each role is aligned to a phase. Run is given where the profile's own wording is operational: the IT
    Operator's day-to-day operations (454-456), the Incident Manager's incidents and escalation (497-499),
    the Manager on Duty's 24/7 major incident team (542-544), the Problem Manager's incident prevention
    (592-596) and the Change Manager's changes with minimum disruption and emergency changes (403-407).
    All inferred."""
    body = client.get(
        "/v1/nodes/activity:zero-outage:run/neighbors",
        params={"type": "PERFORMS_IN", "direction": "in", "label": "Role", "limit": 200},
    ).json()
    zo = {i["node"]["id"] for i in body["items"] if i["node"]["id"].startswith(ZO)}
    assert zo == {
        ZO + s for s in ("change-manager", "it-operator", "incident-manager", "manager-on-duty", "problem-manager")
    }
    for item in body["items"]:
        if item["node"]["id"].startswith(ZO):
            assert item["relationship"]["properties"]["basis"] == "inferred"
            assert item["relationship"]["properties"]["rationale"].startswith("Our reading")


def test_phase_only_where_the_profile_wording_gives_one(cypher):
    """In which phase does each profile work? Plan: Demand Manager (anticipating demand, 84-88) and
    Enterprise Architect (the EA and IT strategy, 126-131); Build: Developer (development and maintenance,
    177-179); Run: five profiles (above). The other seven name no phase or span several (People Manager
    23-27, Process Architect 216-220, Capacity Manager 259-263 plans and delivers, Availability Manager
    304-308 defines to improves, IT Service Continuity Manager 348-352, Process Owner 637-643, Migration
    and Phase out Manager 686-692): no PERFORMS_IN, and no profile sits in Deliver."""
    rows = cypher(
        "MATCH (r:Role)-[p:PERFORMS_IN]->(a:ValueChainActivity) WHERE r.id STARTS WITH 'role:zero-outage:' "
        "RETURN r.id AS role, a.id AS phase, p.basis AS basis"
    )
    phases = {}
    for row in rows:
        phases.setdefault(row["role"], []).append(row["phase"])
    assert all(len(p) == 1 for p in phases.values())
    assert {row["basis"] for row in rows} == {"inferred"}
    assert {r: p[0].rsplit(":", 1)[1] for r, p in phases.items()} == {
        ZO + "demand-manager": "plan",
        ZO + "enterprise-architect": "plan",
        ZO + "developer": "build",
        ZO + "change-manager": "run",
        ZO + "it-operator": "run",
        ZO + "incident-manager": "run",
        ZO + "manager-on-duty": "run",
        ZO + "problem-manager": "run",
    }
    unplaced = ALL_PROFILES - set(phases)
    assert len(unplaced) == 7 and ZO + "capacity-manager" in unplaced and ZO + "people-manager" in unplaced


def test_the_perform_in_sources_point_at_the_profile_not_the_table(cypher):
    """Each kept placement cites line 9 (roles are aligned to phases) and the profile's own lines, not a
    whole table."""
    rows = cypher(
        "MATCH (r:Role)-[p:PERFORMS_IN]->() WHERE r.id STARTS WITH 'role:zero-outage:' RETURN r.id AS role, p.sources AS s"
    )
    for row in rows:
        assert "000_6778994f348d47a8.txt:9-9" in row["s"]
        spans = [tuple(map(int, x.rsplit(":", 1)[1].split("-"))) for x in row["s"]]
        assert all(last - first <= 10 for first, last in spans), row


def test_which_zero_outage_profiles_map_to_itil_incident_management(cypher):
    """Incident Manager runs the Incident Management process (497); the Manager on Duty resolves major
    incidents (542-544). Both links are cross-framework, so basis is inferred."""
    rows = cypher(
        "MATCH (r:Role)-[x:RESPONSIBLE_FOR]->(:Practice {id:'practice:incident-management'}) "
        "WHERE r.id STARTS WITH 'role:zero-outage:' RETURN r.id AS role, x.basis AS basis"
    )
    assert {row["role"] for row in rows} == {ZO + "incident-manager", ZO + "manager-on-duty"}
    assert {row["basis"] for row in rows} == {"inferred"}


def test_no_zero_outage_profile_maps_to_the_service_desk_practice(cypher):
    """No profile on the page (23-736) is a service desk role: the answer is empty."""
    rows = cypher(
        "MATCH (r:Role)-[:RESPONSIBLE_FOR]->(:Practice {id:'practice:service-desk'}) "
        "WHERE r.id STARTS WITH 'role:zero-outage:' RETURN r.id AS role"
    )
    assert rows == []


def test_zero_outage_phases_aligned_with_itil_activities(cypher):
    """The four phases come from IT4IT (line 5); the ITIL alignment is inferred: Plan -> Plan, Build ->
    Design and transition + Obtain/build, Deliver -> Design and transition + Deliver and support,
    Run -> Deliver and support. Nothing aligns with ITIL Improve or Engage (empty answer)."""
    rows = cypher(
        "MATCH (z:ValueChainActivity)-[x:ALIGNS_WITH]->(i:ValueChainActivity) "
        "WHERE z.id STARTS WITH 'activity:zero-outage:' RETURN z.id AS zo, i.id AS itil, x.basis AS basis"
    )
    assert {(r["zo"], r["itil"]) for r in rows} == {
        ("activity:zero-outage:plan", "activity:itil:plan"),
        ("activity:zero-outage:build", "activity:itil:design-and-transition"),
        ("activity:zero-outage:build", "activity:itil:obtain-build"),
        ("activity:zero-outage:deliver", "activity:itil:design-and-transition"),
        ("activity:zero-outage:deliver", "activity:itil:deliver-and-support"),
        ("activity:zero-outage:run", "activity:itil:deliver-and-support"),
    }
    assert {r["basis"] for r in rows} == {"inferred"}
    assert not [r for r in rows if r["itil"] in ("activity:itil:improve", "activity:itil:engage")]


def test_zero_outage_value_chain_is_aligned_to_it4it(client):
    """'aligned to IT4IT with its 4 phases' (line 5): stated."""
    node = client.get("/v1/nodes/value-chain:zero-outage").json()
    aligned = {i["node"]["id"]: i["properties"] for i in node["relationships"]["out"]["ALIGNS_WITH"]}
    assert aligned["framework:it4it"]["basis"] == "stated"


def test_manager_on_duty_is_usually_led_by_the_incident_manager(client):
    """The major incident team usually works under the Incident Manager's leadership (542)."""
    body = client.get(
        f"/v1/nodes/{ZO}manager-on-duty/neighbors",
        params={"type": "RELATED_TO", "direction": "out"},
    ).json()
    kinds = {(i["node"]["id"], i["relationship"]["properties"]["kind"]) for i in body["items"]}
    assert (ZO + "incident-manager", "usually-led-by") in kinds


def test_search_finds_competency_by_ampersand_spelling(client, cypher):
    """'Service Architecture & Design' (Problem Manager 603, Migration and Phase out Manager 701) is the
    same competency as 'Service Architecture and Design' (30, 137, 188, 268, 314, 359): one node, found by
    either spelling, required by eight profiles."""
    body = client.get("/v1/search", params={"q": "Service Architecture & Design", "label": "Competency"}).json()
    assert "competency:service-architecture-and-design" in _ids(body["items"])
    assert _zo_roles_requiring(cypher, "competency:service-architecture-and-design") == {
        ZO + s
        for s in (
            "people-manager",
            "enterprise-architect",
            "developer",
            "capacity-manager",
            "availability-manager",
            "it-service-continuity-manager",
            "problem-manager",
            "migration-and-phase-out-manager",
        )
    }


def test_who_owns_or_manages_the_itil_practices_among_zero_outage_profiles(cypher):
    """Which kind of responsibility does each profile have for its ITIL practice? Each "is responsible
    for" its subject (e.g. Incident Manager 497, Problem Manager 592): manager; the Developer builds
    (177-179): practitioner; the Manager on Duty leads the major incident team (542-544): lead."""
    rows = cypher(
        "MATCH (r:Role)-[x:RESPONSIBLE_FOR]->(p:Practice) WHERE r.id STARTS WITH 'role:zero-outage:' "
        "AND any(s IN x.sources WHERE s STARTS WITH '000_') RETURN r.id AS role, p.id AS p, x.kind AS kind"
    )
    kinds = {(row["role"], row["p"]): row["kind"] for row in rows}
    assert kinds[(ZO + "incident-manager", "practice:incident-management")] == "manager"
    assert kinds[(ZO + "manager-on-duty", "practice:incident-management")] == "lead"
    assert kinds[(ZO + "developer", "practice:software-development-and-management")] == "practitioner"
    assert kinds[(ZO + "problem-manager", "practice:problem-management")] == "manager"
    assert None not in kinds.values()


def test_change_manager_leads_emergency_changes(cypher):
    """Who leads emergency changes? The Change Manager leads them and calls the ECAB (407); the change
    type is ITIL's emergency change (001:1226), so the link is inferred."""
    rows = cypher(
        "MATCH (r:Role)-[x:RESPONSIBLE_FOR]->(:Concept {id:'concept:change-type:emergency'}) "
        "RETURN r.id AS role, x.kind AS kind, x.basis AS basis"
    )
    assert [(r["role"], r["kind"], r["basis"]) for r in rows] == [(ZO + "change-manager", "lead", "inferred")]


def test_the_last_line_is_cited(cypher):
    """Line 737, the last of the page, is the Migration and Phase out Manager's last interpersonal
    competency: reliability and credibility."""
    rows = cypher(
        "MATCH (:Role {id:$r})-[q:REQUIRES]->(c:Competency {id:'competency:reliability-and-credibility'}) "
        "RETURN q.sources AS s, q.family AS family",
        r=ZO + "migration-and-phase-out-manager",
    )
    assert rows == [{"s": ["000_6778994f348d47a8.txt:737-737"], "family": "interpersonal"}]
