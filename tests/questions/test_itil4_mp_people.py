"""Questions a reader of the people and relationship material of the ITIL 4 MP notes would ask.

Seed: 004_6bac5329a5891c6e.txt, lines 44-279 (key concepts), 947-1216 (ITSM professionalism) and
1314-1776 (team culture, customer orientation, employee feedback, positive communication and the service
desk); ontology/itil4-mp-people.yaml. Every expected answer was read off the seed by hand; line numbers
are cited per test. Links marked inferred in the ontology are named as such below; everything else
asserted here is stated in the text.
"""

from tests.questions.graph import basis_of, in_ordered, related, search_ids

MP = "004_6bac5329a5891c6e.txt"


# --- key concepts (44-279)


def test_specific_roles_of_service_consumption(cypher, client):
    """Which roles does service consumption involve in practice? 99-100 and 102-105: customer, user and
    sponsor, all under the generic service consumer role; each is a Role of ITIL 4."""
    assert related(cypher, "role:itil:service-consumer", "specific-role-of", direction="in") == {
        "role:itil:customer",
        "role:itil:user",
        "role:itil:sponsor",
    }
    for role in ("customer", "user", "sponsor", "service-consumer", "service-provider"):
        node = client.get(f"/v1/nodes/role:itil:{role}").json()
        assert node["label"] == "Role"
        assert node["properties"]["kind"] == "itil-role"


def test_consumption_sponsor_is_not_the_change_sponsor(cypher):
    """Is the consumer-side sponsor (99-100) the sponsor of an organizational change (001:592)? The notes
    give the former no definition and never equate them, so the graph holds no link between the two."""
    rows = cypher("MATCH ({id:'role:itil:sponsor'})-[r]-({id:'role:itil:practice-change-sponsor'}) RETURN type(r) AS t")
    assert rows == []


def test_provider_and_consumer_are_stakeholders_and_roles_in_a_relationship(cypher):
    """Who are the stakeholders, and who takes part in a service relationship? 73-79: consumers, and the
    provider itself, are key stakeholders; 180-183: in a relationship organizations act as provider or
    consumer (often both)."""
    for role in ("role:itil:service-provider", "role:itil:service-consumer"):
        assert related(cypher, role, "stakeholder-group") == {"concept:itil-concept:stakeholder"}
        assert related(cypher, role, "role-in") == {"concept:itil-concept:service-relationship"}


def test_what_a_service_relationship_is_made_of(cypher):
    """What does a service relationship include? 186-187: service relationship management, service
    provision and service consumption."""
    assert in_ordered(cypher, "concept:itil-concept:service-relationship") == [
        "concept:itil-concept:service-relationship-management",
        "concept:itil-concept:service-provision",
        "concept:itil-concept:service-consumption",
    ]
    # provision names service level management and continual improvement (198): our reading of the names
    # as the 001 practices is inferred
    assert related(cypher, "concept:itil-concept:service-provision", "includes") == {
        "practice:service-level-management",
        "practice:continual-improvement",
    }
    basis, rationale = basis_of(cypher, "concept:itil-concept:service-provision", "practice:service-level-management")
    assert basis == "inferred" and rationale


def test_service_offering_components(cypher):
    """What can a service offering include? 135 and the table 143-178: goods, access to resources and
    service actions. An offering describes services and rests on products (137-140)."""
    assert in_ordered(cypher, "concept:itil-concept:service-offering") == [
        "concept:service-offering-component:goods",
        "concept:service-offering-component:access-to-resources",
        "concept:service-offering-component:service-actions",
    ]
    assert related(cypher, "concept:itil-concept:service-offering", "describes") == {"concept:itil-concept:service"}
    assert related(cypher, "concept:itil-concept:service-offering", "based-on") == {"concept:itil-concept:product"}
    assert related(cypher, "concept:itil-concept:service", "based-on") == {"concept:itil-concept:product"}


def test_what_a_service_does_for_the_consumer(cypher):
    """What does a service do? 113-114, 219-222: it enables value co-creation by facilitating outcomes, and
    the provider takes on some of the costs and risks. Risk is the one node shared with the DPI material."""
    service = "concept:itil-concept:service"
    assert related(cypher, service, "facilitates") == {"concept:itil-concept:outcome"}
    assert related(cypher, service, "enables-co-creation-of") == {"concept:itil-concept:value"}
    assert related(cypher, service, "takes-on-part-of") == {"concept:itil-concept:cost", "concept:itil-concept:risk"}
    # outputs help consumers achieve outcomes (231)
    assert related(cypher, "concept:itil-concept:output", "helps-achieve") == {"concept:itil-concept:outcome"}


def test_two_types_of_cost_and_of_risk(cypher):
    """What types of cost and risk does a consumer face? 234-243: costs removed and costs imposed;
    247-253: risks removed and risks imposed."""
    assert in_ordered(cypher, "concept:itil-concept:cost") == [
        "concept:cost-type:removed",
        "concept:cost-type:imposed",
    ]
    assert in_ordered(cypher, "concept:itil-concept:risk") == [
        "concept:risk-type:removed",
        "concept:risk-type:imposed",
    ]


def test_utility_and_warranty(cypher):
    """What are utility and warranty for? 255-256, 278-279: both needed to facilitate outcomes; 5030-5031:
    utility sets potential value, warranty protects it. Warranty's availability, capacity, continuity and
    security (276) reach the 001 practices of those names only by our inference."""
    for name in ("utility", "warranty"):
        assert related(cypher, f"concept:itil-concept:{name}", "needed-to-facilitate") == {
            "concept:itil-concept:outcome"
        }
    assert related(cypher, "concept:itil-concept:utility", "determines-potential") == {"concept:itil-concept:value"}
    assert related(cypher, "concept:itil-concept:warranty", "protects-potential") == {"concept:itil-concept:value"}
    rows = cypher(
        "MATCH ({id:'concept:itil-concept:warranty'})-[r:RELATED_TO {kind:'level-managed-by'}]->(p:Practice) "
        "RETURN p.id AS id, r.basis AS basis"
    )
    assert {r["id"] for r in rows} == {
        "practice:availability-management",
        "practice:capacity-and-performance-management",
        "practice:service-continuity-management",
        "practice:information-security-management",
    }
    assert {r["basis"] for r in rows} == {"inferred"}
    # utility is not tied to any practice: the text names none
    assert cypher("MATCH ({id:'concept:itil-concept:utility'})-[]->(p:Practice) RETURN p.id AS id") == []


# --- ITSM professionalism (947-1216)


def test_the_four_cds_modules_in_order(cypher):
    """Which modules make up Create, Deliver and Support? 961-970."""
    assert in_ordered(cypher, "concept:itil-mp-module:create-deliver-and-support") == [
        "concept:cds-module:itsm-professionalism",
        "concept:cds-module:resource-planning-and-management",
        "concept:cds-module:how-to-create-deliver-and-support",
        "concept:cds-module:prioritize-and-manage-work",
    ]


def test_itsm_professionalism_topics_in_order(cypher):
    """What topics does the ITSM professionalism module cover? 989-995; organizational structures reuse the
    003 node, capabilities/roles/competencies the ITSM professional profile, customer orientation the
    existing 004 node."""
    assert in_ordered(cypher, "concept:cds-module:itsm-professionalism") == [
        "concept:itil-concept:organizational-structure",
        "concept:itil-concept:collaboration",
        "role:itil-profile:itsm-professional",
        "concept:itil-concept:team-culture",
        "concept:itil-concept:customer-orientation",
        "concept:technique:employee-satisfaction-measurement",
        "concept:itil-concept:positive-communication",
    ]


def test_organizational_structure_types(cypher):
    """Which organizational structures do the notes describe? 1006-1040: functional, divisional, matrix,
    flat, and the emerging cross-functional structure that applies matrix and flat ideas (1031-1032)."""
    t = "concept:org-structure-type:"
    assert in_ordered(cypher, "concept:itil-concept:organizational-structure") == [
        t + "functional",
        t + "divisional",
        t + "matrix",
        t + "flat",
        t + "emerging-cross-functional",
    ]
    assert related(cypher, t + "emerging-cross-functional", "applies") == {t + "matrix", t + "flat"}
    assert related(cypher, t + "emerging-cross-functional", "driven-by") == {"concept:devops-model:devops"}


def test_servant_leadership(cypher):
    """What are the two principles of servant leadership, and whom does it serve? 1044-1051; it supports
    cross-functional teams (1042-1043) and the guiding principles help decide on it (1053-1054)."""
    sl = "concept:leadership-model:servant-leadership"
    assert in_ordered(cypher, sl) == [
        "concept:servant-leadership-principle:organization-first",
        "concept:servant-leadership-principle:serve-and-support-staff",
    ]
    assert related(cypher, sl, "supports-teams-of") == {"concept:org-structure-type:emerging-cross-functional"}
    assert related(cypher, sl, "adoption-decided-with") == {"svs:guiding-principles"}
    # the customer orientation step 'walk the talk' values it (1522-1525)
    assert related(cypher, sl, "values", direction="in") == {"concept:customer-orientation-step:walk-the-talk"}


def test_collaboration_against_cooperation(cypher, client):
    """How does collaboration differ from cooperation? 1067-1116: cooperation can become collaboration once
    goals are shared and integrated (1072-1074); both need PESTLE factors, for all stakeholders or for one's
    own role (1113-1116)."""
    assert related(cypher, "concept:itil-concept:cooperation", "can-become") == {"concept:itil-concept:collaboration"}
    assert related(cypher, "term:pestle", "needs-understanding-of", direction="in") == {
        "concept:itil-concept:collaboration",
        "concept:itil-concept:cooperation",
        "concept:collaboration-characteristic:active-listening",
    }
    node = client.get("/v1/nodes/term:pestle").json()
    assert node["label"] == "Term"
    assert node["properties"]["abbreviation"] == "PESTLE"
    assert "term:pestle" in search_ids(client, "PESTLE")


def test_characteristics_of_collaborative_relationships(cypher):
    """What characterises a collaborative relationship? 1131-1139, each explained in 1141-1172."""
    c = "concept:collaboration-characteristic:"
    assert in_ordered(cypher, "concept:itil-concept:collaboration") == [
        c + "shared-goal",
        c + "active-listening",
        c + "open-communication",
        c + "shared-prioritization",
        c + "communicated-shared-outcomes",
    ]


def test_nature_of_work(cypher):
    """Which kind of work suits swarming and DevOps? 1200-1213: heuristic work; new insights can move some of
    it to algorithmic (1215-1216). For algorithmic work the table names no such method: empty answer."""
    assert related(cypher, "concept:work-nature:heuristic", "suited-to") == {
        "concept:work-method:swarming",
        "concept:devops-model:devops",
    }
    assert related(cypher, "concept:work-nature:heuristic", "can-partly-become") == {"concept:work-nature:algorithmic"}
    assert related(cypher, "concept:work-nature:algorithmic", "suited-to") == set()


# --- team culture, customer orientation, employee feedback (1314-1645)


def test_team_culture_guidelines_in_order(cypher):
    """What guidelines build a strong team culture? 1383-1441, eight of them."""
    g = "concept:team-culture-guideline:"
    assert in_ordered(cypher, "concept:model:team-culture-guidelines") == [
        g + "bigger-vision",
        g + "meet-regularly",
        g + "create-leaders",
        g + "informal-teams",
        g + "cross-training",
        g + "integrate-socially",
        g + "provide-feedback",
        g + "culture-of-learning",
    ]
    assert related(cypher, g + "create-leaders", "cultivates") == {"competency:leadership"}
    # strong and weak cultures (1327-1363)
    assert in_ordered(cypher, "concept:itil-concept:team-culture") == [
        "concept:team-culture-type:strong-and-positive",
        "concept:team-culture-type:weak",
    ]
    assert "concept:itil-concept:team-culture" in {
        r["id"]
        for r in cypher("MATCH ({id:'concept:model:team-culture-guidelines'})-[:PART_OF]->(m) RETURN m.id AS id")
    }


def test_how_culture_is_measured(cypher):
    """Which people-based indicators show the state of a culture? 1450-1458: sickness and attrition,
    employee satisfaction, one-to-one meetings (among others). Its tie to the continual improvement practice
    is our reading of 'continuous improvement exercise' (1444-1445)."""
    m = "concept:technique:measuring-culture"
    assert related(cypher, m, "uses-indicator") == {
        "concept:technique:employee-satisfaction-measurement",
        "concept:employee-feedback-component:sickness-and-attrition-review",
        "concept:employee-feedback-component:one-to-one-meetings",
    }
    assert basis_of(cypher, m, "practice:continual-improvement")[0] == "inferred"


def test_nine_steps_to_customer_orientation(cypher, client):
    """Which steps make an organization customer oriented? 1505-1532. Step 9 uses balanced scorecards
    (1529-1532), step 6 trains communication and teamwork (1520-1521). VoC and CVP are searchable."""
    s = "concept:customer-orientation-step:"
    assert in_ordered(cypher, "concept:itil-concept:customer-orientation") == [
        s + slug
        for slug in (
            "customer-value-proposition",
            "map-customer-journey",
            "recruit-customer-friendly-people",
            "treat-employees-well",
            "empower-staff",
            "train-the-team",
            "walk-the-talk",
            "voice-of-the-customer",
            "broad-feedback-data",
        )
    ]
    assert related(cypher, s + "broad-feedback-data", "uses") == {"artifact:balanced-scorecard"}
    assert related(cypher, s + "train-the-team", "trains") == {"competency:communication", "competency:teamwork"}
    assert related(cypher, "concept:itil-concept:customer-orientation", "based-on") == {
        "concept:itil-concept:service-mindset"
    }
    assert s + "voice-of-the-customer" in search_ids(client, "VoC")
    assert s + "customer-value-proposition" in search_ids(client, "CVP")


def test_employee_feedback_components_and_elements(cypher):
    """How is employee feedback gathered, and what must collecting it respect? 1546-1575: five components;
    1576-1587: confidentiality, support and understanding, call to action."""
    c = "concept:employee-feedback-component:"
    assert in_ordered(cypher, "concept:technique:employee-satisfaction-measurement") == [
        c + "satisfaction-survey",
        c + "one-to-one-meetings",
        c + "unstructured-meetings",
        c + "sickness-and-attrition-review",
        c + "staff-driven-metrics",
    ]
    assert related(cypher, "concept:technique:employee-satisfaction-measurement", "key-element-of", "in") == {
        "concept:employee-feedback-element:confidentiality",
        "concept:employee-feedback-element:support-and-understanding",
        "concept:employee-feedback-element:call-to-action",
    }
    # survey actions should take the top four motivation factors into account (1641-1645)
    assert related(cypher, "concept:technique:employee-survey-process", "actions-take-into-account") == {
        "concept:model:top-motivation-factors"
    }


# --- positive communication and the service desk (1646-1776)


def test_anatomy_of_a_service_desk_interaction(cypher):
    """In which ways must a service desk analyst react? 1678-1688: emotional, business, technical. The
    model belongs to the service desk practice (stated); the SDA read as 003's service desk staff is ours."""
    sdi = "concept:model:service-desk-interaction"
    assert in_ordered(cypher, sdi) == [
        "concept:service-desk-interaction-aspect:emotional",
        "concept:service-desk-interaction-aspect:business",
        "concept:service-desk-interaction-aspect:technical",
    ]
    assert related(cypher, "practice:service-desk", "interaction-model") == {sdi}
    basis, rationale = basis_of(cypher, "role:itil:service-desk-staff", sdi)
    assert basis == "inferred" and rationale
    # the notes make no role accountable for it: empty answer
    assert cypher(f"MATCH (:Role)-[:RESPONSIBLE_FOR]->({{id:'{sdi}'}}) RETURN 1 AS x") == []


def test_communication_principles_are_shared_with_dpi(cypher):
    """Which principles underpin good communication? 1699-1710 lists the same five as the DPI material
    (7380-7384); the one set of nodes cites both places."""
    assert related(cypher, "concept:itil-concept:positive-communication", "rests-on") == {
        "concept:model:communication-principles"
    }
    rows = cypher("MATCH (p:Concept)-[:PART_OF]->({id:'concept:model:communication-principles'}) RETURN p.sources AS s")
    assert len(rows) == 5
    for row in rows:
        cited = [int(s.rsplit(":", 1)[1].split("-")[0]) for s in row["s"] if s.startswith(MP)]
        assert any(1699 <= n <= 1710 for n in cited) and any(7380 <= n <= 7384 for n in cited)


def test_good_communication_in_itsm(cypher):
    """What should be considered for good communication in ITSM? 1719-1727, five points."""
    p = "concept:itsm-communication-point:"
    assert in_ordered(cypher, "concept:model:good-communication-in-itsm") == [
        p + "professional-and-positive",
        p + "listen-first",
        p + "limit-automated-messages",
        p + "coordinate-communiques",
        p + "short-simple-documents",
    ]
    assert related(cypher, "concept:model:good-communication-in-itsm", "solicits-feedback-from") == {
        "concept:itil-concept:stakeholder"
    }


def test_resource_planning_module_covers_workforce_planning(cypher):
    """What does the resource planning and management module start with? 1759-1769: workforce planning and
    workforce and talent management, the 001 process and practice."""
    assert related(cypher, "concept:cds-module:resource-planning-and-management", "covers") == {
        "process:workforce-and-talent-management:workforce-planning",
        "practice:workforce-and-talent-management",
    }


def test_new_consumer_roles_require_nothing(client):
    """Which competencies does the notes' service consumer, customer or user need? The key concepts
    section (73-279) names none: empty answers."""
    for role in ("service-consumer", "customer", "user", "sponsor"):
        response = client.get(f"/v1/roles/role:itil:{role}/competencies")
        assert response.status_code == 200
        families = response.json()["families"]
        assert not any(families.values()), (role, families)
