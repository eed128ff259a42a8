"""A reader's questions about the terms, lists and records the ITIL 4 practice sections define.

Seed: 001_36cf4593c3a5a483.txt; curated in ontology/itil4-practices-terms.yaml. Every expected answer was
read off the seed by hand; line numbers are cited per test. Terms are `Term` nodes (short form in
`abbreviation` and `aliases`), records and tools `Artifact` nodes, list members `Concept` nodes PART_OF
their practice with the text's `order`.
"""

P = "practice:"


def _parts(cypher, practice_id, label="Concept"):
    rows = cypher(
        f"MATCH (c:{label})-[r:PART_OF]->(:Practice {{id:$id}}) RETURN c.id AS id, r.order AS o ORDER BY o",
        id=practice_id,
    )
    return [row["id"] for row in rows]


def _related(cypher, kind, end_id):
    rows = cypher("MATCH (a)-[:RELATED_TO {kind:$kind}]->({id:$id}) RETURN a.id AS id", kind=kind, id=end_id)
    return {row["id"] for row in rows}


def test_the_three_types_of_change(cypher):
    """Which types of change does change control manage differently? Standard, normal and emergency
    (1222-1226), each a type of change (defined at 1210-1212)."""
    assert _parts(cypher, P + "change-enablement") == [
        "concept:change-type:standard",
        "concept:change-type:normal",
        "concept:change-type:emergency",
    ]
    assert _related(cypher, "type-of", "term:change") == {
        "concept:change-type:standard",
        "concept:change-type:normal",
        "concept:change-type:emergency",
    }


def test_how_the_change_types_start_and_where_they_go(cypher):
    """Standard changes often start as service requests (1224, 1994); a change request starts a normal one
    (1225); emergency changes may resolve an incident and usually stay off the change schedule (1226)."""
    assert _related(cypher, "often-initiated-as", "term:service-request") == {"concept:change-type:standard"}
    assert _related(cypher, "initiates", "concept:change-type:normal") == {"artifact:change-request"}
    assert _related(cypher, "can-resolve", "term:incident") == {"concept:change-type:emergency"}
    assert _related(cypher, "usually-left-out-of", "artifact:change-schedule") == {"concept:change-type:emergency"}


def test_change_authority_has_no_kind_of_responsibility(cypher):
    """What kind of responsibility is the change authority's? The text says it authorizes changes (1220);
    none of owner, manager, lead, practitioner or contributor says that, so the edge has no kind."""
    rows = cypher(
        "MATCH (:Role {id:'role:itil:practice-change-authority'})-[x:RESPONSIBLE_FOR]->(t) RETURN t.id AS t, x.kind AS kind"
    )
    assert rows == [{"t": "process:change-enablement:change-assessment-and-authorization", "kind": None}]


def test_the_architecture_domains(cypher):
    """Which architecture domains must a complete architecture practice address? Business, service,
    information, technology and environment (351), in that order; each is explained at 355-365."""
    assert _parts(cypher, P + "architecture-management") == [
        "concept:architecture-domain:business",
        "concept:architecture-domain:service",
        "concept:architecture-domain:information",
        "concept:architecture-domain:technology",
        "concept:architecture-domain:environmental",
    ]


def test_what_architecture_management_keeps(cypher):
    """The practice maintains the reference architecture on which plan rests (369); the business architecture
    produces the roadmap by gap analysis (355); the service model is part of the service architecture (357,
    1636) and is fed by configuration management."""
    assert _related(cypher, "maintained-by", P + "architecture-management") == {"artifact:reference-architecture"}
    assert _related(cypher, "basis-for", "activity:itil:plan") == {"artifact:reference-architecture"}
    assert _related(cypher, "produced-in", "concept:architecture-domain:business") == {"artifact:architecture-roadmap"}
    rows = cypher(
        "MATCH (:Artifact {id:'artifact:service-model'})-[:PART_OF]->(d) "
        "MATCH (p:Practice)-[:RELATED_TO {kind:'provides-information-for'}]->(:Artifact {id:'artifact:service-model'}) "
        "RETURN d.id AS d, p.id AS p"
    )
    assert rows == [{"d": "concept:architecture-domain:service", "p": P + "service-configuration-management"}]


def test_the_event_types(cypher):
    """How are events classified? Informational, warning and exception (1389); an exception can show an
    SLA has been breached."""
    assert _parts(cypher, P + "monitoring-and-event-management") == [
        "concept:event-type:informational",
        "concept:event-type:warning",
        "concept:event-type:exception",
    ]
    assert _related(cypher, "can-signal-breach-of", "artifact:service-level-agreement") == {
        "concept:event-type:exception"
    }
    assert _related(cypher, "type-of", "process:monitoring-and-event-management:monitoring") == {
        "concept:monitoring-type:active",
        "concept:monitoring-type:passive",
    }


def test_the_elements_organizational_change_management_keeps_in_place(cypher):
    """Which elements must organizational change management establish and keep throughout a change? Clear and
    relevant objectives, strong and committed leadership, willing and prepared participants, sustained
    improvement (588-596)."""
    assert _parts(cypher, P + "organizational-change-management") == [
        "concept:ocm-element:clear-and-relevant-objectives",
        "concept:ocm-element:strong-and-committed-leadership",
        "concept:ocm-element:willing-and-prepared-participants",
        "concept:ocm-element:sustained-improvement",
    ]


def test_which_activity_helps_deliver_which_element(cypher):
    """Table 5.2 (602-634): reinforcement delivers sustained improvement, sponsor management strong leadership,
    the sense of urgency clear objectives; the sponsor provides leadership (592). The table's "strong and
    committed participants" (614) matches no element name: that one link is inferred."""
    oc = "process:organizational-change-management:"
    assert _related(cypher, "helps-deliver", "concept:ocm-element:sustained-improvement") == {oc + "reinforcement"}
    assert _related(cypher, "helps-deliver", "concept:ocm-element:strong-and-committed-leadership") == {
        oc + "sponsor-management"
    }
    assert _related(cypher, "helps-deliver", "concept:ocm-element:clear-and-relevant-objectives") == {
        oc + "creation-of-urgency"
    }
    assert _related(cypher, "provides", "concept:ocm-element:strong-and-committed-leadership") == {
        "role:itil:practice-change-sponsor"
    }
    rows = cypher(
        "MATCH ()-[r:RELATED_TO {kind:'helps-deliver'}]->() WHERE r.basis = 'inferred' RETURN startNode(r).id AS a"
    )
    assert [row["a"] for row in rows] == [oc + "stakeholder-management"]


def test_search_finds_the_abbreviations(client):
    """What do CSF, KPI, CI, CMDB, SLA and RTO stand for? Search for the short form ranks the defined term or
    artifact first (540, 542, 1630, 1654, 1930, 1760)."""
    expected = {
        "CSF": "term:critical-success-factor",
        "KPI": "term:key-performance-indicator",
        "CI": "term:configuration-item",
        "CMDB": "artifact:configuration-management-database",
        "CMS": "artifact:configuration-management-system",
        "SLA": "artifact:service-level-agreement",
        "RTO": "term:recovery-time-objective",
        "MTBF": "term:mean-time-between-failures",
    }
    for short, node_id in expected.items():
        body = client.get("/v1/search", params={"q": short}).json()
        assert body["items"] and body["items"][0]["id"] == node_id, short
    node = client.get("/v1/nodes/term:key-performance-indicator").json()
    assert node["label"] == "Term"
    assert node["properties"]["abbreviation"] == "KPI"


def test_rpo_is_not_defined(cypher):
    """Does the text define a recovery point objective (RPO)? No: the continuity section defines only the
    RTO (1758-1760)."""
    rows = cypher(
        "MATCH (n:Entity) WHERE toLower(n.name) CONTAINS 'recovery point' "
        "OR any(a IN coalesce(n.aliases, []) WHERE toUpper(a) = 'RPO') RETURN n.id AS id"
    )
    assert rows == []
    assert _related(cypher, "defined-in", P + "service-continuity-management") == {
        "term:recovery-time-objective",
        "term:disaster",
    }


def test_what_problem_management_defines(cypher):
    """Which terms does the problem management section define? Problem, known error (1433-1437) and
    workaround (1463-1465). A known error is a state of a problem; a workaround eases both incidents and
    problems and is written in the problem record (1459)."""
    assert _related(cypher, "defined-in", P + "problem-management") == {
        "term:problem",
        "term:known-error",
        "term:workaround",
    }
    assert _related(cypher, "state-of", "term:problem") == {"term:known-error"}
    assert _related(cypher, "recorded-in", "artifact:problem-record") == {"term:workaround"}


def test_kpis_come_from_csfs(cypher):
    """Where do KPIs come from? They are agreed on the basis of the CSFs set for the goals (534); the
    service delivery manager of 003 defines and reports both for CSI (003:431)."""
    assert _related(cypher, "derived-from", "term:critical-success-factor") == {"term:key-performance-indicator"}
    assert _related(cypher, "defines-and-reports", "term:key-performance-indicator") == {
        "role:itil:service-delivery-manager"
    }


def test_where_configuration_information_lives(cypher):
    """Where is configuration information kept? In a CMS (1648-1650), possibly a single CMDB or several
    federated ones (1654); both hold information about CIs. The IT asset register is often federated with
    the CMS (1343)."""
    used = cypher(
        "MATCH (a:Artifact)-[:RELATED_TO]->(:Practice {id:'practice:service-configuration-management'}) RETURN a.id AS id"
    )
    assert {row["id"] for row in used} == {
        "artifact:configuration-management-system",
        "artifact:configuration-management-database",
    }
    assert _related(cypher, "stores-information-about", "term:configuration-item") == {
        "artifact:configuration-management-system",
        "artifact:configuration-management-database",
    }
    assert _related(cypher, "often-federated-with", "artifact:configuration-management-system") == {
        "artifact:it-asset-register"
    }


def test_the_portfolios_and_the_catalogue(cypher):
    """Which portfolios does portfolio management encompass? Product/service, project and customer (677-683);
    relationship management keeps the customer one (683). The service catalogue is the live part of the
    service portfolio (1570), the request catalogue one of its views (1594-1596), beside the user, customer
    and IT-to-IT views (1580-1586)."""
    assert _parts(cypher, P + "portfolio-management", label="Artifact") == [
        "artifact:product-service-portfolio",
        "artifact:project-portfolio",
        "artifact:customer-portfolio",
    ]
    assert _related(cypher, "maintained-by", P + "relationship-management") == {"artifact:customer-portfolio"}
    chain = cypher(
        "MATCH (:Artifact {id:'artifact:request-catalogue'})-[:PART_OF]->(c:Artifact)-[:PART_OF]->(p:Artifact) "
        "RETURN c.id AS c, p.id AS p"
    )
    assert chain == [{"c": "artifact:service-catalogue", "p": "artifact:product-service-portfolio"}]
    assert _related(cypher, "view-of", "artifact:service-catalogue") == {
        "concept:catalogue-view:user",
        "concept:catalogue-view:customer",
        "concept:catalogue-view:it-to-it-customer",
    }


def test_who_keeps_the_service_catalogue(cypher):
    """Who keeps the catalogue the practice describes? 003's service portfolio and catalogue manager
    maintains it (003:408-415), helped by the business relationship manager (003:139)."""
    rows = cypher(
        "MATCH (r:Role)-[e:RELATED_TO]->(:Artifact {id:'artifact:service-catalogue'}) RETURN r.id AS r, e.kind AS k"
    )
    assert {(row["r"], row["k"]) for row in rows} == {
        ("role:itil:service-portfolio-and-catalogue-manager", "maintains"),
        ("role:itil:business-relationship-manager", "helps-maintain"),
    }


def test_release_records_and_plans(cypher):
    """What does release management keep? A release plan from release planning (1519), a release schedule
    agreed with stakeholders (1521) and a release record per release, linked to CIs (1538)."""
    rows = cypher(
        "MATCH (a:Artifact)-[:RELATED_TO]->(t) WHERE t.id STARTS WITH 'practice:release-management' "
        "OR t.id STARTS WITH 'process:release-management:' RETURN a.id AS id"
    )
    assert {row["id"] for row in rows} == {
        "artifact:release-plan",
        "artifact:release-schedule",
        "artifact:release-record",
    }
    assert "artifact:release-record" in _related(cypher, "links-to", "term:configuration-item")


def test_every_term_and_artifact_is_tied_to_the_text_and_a_practice_or_other_node(cypher):
    """Each of the file's terms, artifacts and concepts cites seed 001 and has at least one link."""
    rows = cypher(
        "MATCH (n:Entity) WHERE (n:Term OR n:Artifact OR n.id STARTS WITH 'concept:change-type:' "
        "OR n.id STARTS WITH 'concept:architecture-domain:' OR n.id STARTS WITH 'concept:event-type:' "
        "OR n.id STARTS WITH 'concept:ocm-element:') AND any(s IN n.sources WHERE s STARTS WITH '001_') "
        "RETURN n.id AS id, COUNT { (n)--() } AS degree"
    )
    assert len(rows) >= 60
    assert [row["id"] for row in rows if row["degree"] == 0] == []
