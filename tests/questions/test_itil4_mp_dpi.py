"""Questions a reader of the "direct, plan and improve" (DPI) material of the ITIL 4 MP notes would ask.

Seed: 004_6bac5329a5891c6e.txt, lines 6446-7571 (ontology/itil4-mp-dpi.yaml). Every expected answer was
read off the seed by hand; line numbers are cited per test. Links marked inferred in the ontology are
named as such below; everything else asserted here is stated in the text.
"""

from tests.questions.graph import related

MP = "004_6bac5329a5891c6e.txt"
DPI = "concept:itil-mp-module:direct-plan-and-improve"


def _in_ordered(cypher, parent_id):
    """Ids of the nodes PART_OF `parent_id`, sorted by the edge's order."""
    rows = cypher(
        "MATCH (c)-[p:PART_OF]->({id:$id}) RETURN c.id AS id, p.order AS ord",
        id=parent_id,
    )
    return [r["id"] for r in sorted(rows, key=lambda r: r["ord"])]


def test_goals_cascade_levels_in_order(cypher):
    """What are the levels of the goals cascade, top to bottom? 6558 purpose, 6564 objectives, 6573
    indicators, 6583 metrics."""
    assert _in_ordered(cypher, "concept:model:goals-cascade") == [
        "concept:goals-cascade-level:purpose",
        "concept:goals-cascade-level:objectives",
        "concept:goals-cascade-level:indicators",
        "concept:goals-cascade-level:metrics",
    ]
    # each level serves the one above: metrics feed indicators (6585-6587), indicators show progress
    # on objectives (6575-6577), objectives break the purpose down (6565-6567)
    assert related(cypher, "concept:goals-cascade-level:metrics", "feeds") == {"concept:goals-cascade-level:indicators"}
    assert related(cypher, "concept:goals-cascade-level:indicators", "indicates-progress-of") == {
        "concept:goals-cascade-level:objectives"
    }
    assert related(cypher, "concept:goals-cascade-level:objectives", "breaks-down") == {
        "concept:goals-cascade-level:purpose"
    }


def test_search_metrics_cascade_finds_the_goals_cascade(client):
    """What else is the goals cascade called? 6554 'cascade of metrics', 6588 'metrics cascade'."""
    body = client.get("/v1/search", params={"q": "metrics cascade"}).json()
    assert "concept:model:goals-cascade" in {i["id"] for i in body["items"]}


def test_balanced_scorecard_perspectives(cypher, client):
    """Which four perspectives does the balanced scorecard balance? 6634-6637: customers, financial,
    internal (business process), innovation (learning and growth). Search by the short form BSC (6627)."""
    assert _in_ordered(cypher, "artifact:balanced-scorecard") == [
        "concept:bsc-perspective:customer",
        "concept:bsc-perspective:financial",
        "concept:bsc-perspective:internal-business-process",
        "concept:bsc-perspective:innovation",
    ]
    node = client.get("/v1/nodes/artifact:balanced-scorecard").json()
    assert node["label"] == "Artifact"
    assert node["properties"]["kind"] == "model"
    body = client.get("/v1/search", params={"q": "BSC"}).json()
    assert "artifact:balanced-scorecard" in {i["id"] for i in body["items"]}


def test_balanced_scorecard_joins_001_continual_improvement(cypher):
    """Which ITIL practice uses the balanced scorecard? 001:408 names a balanced scorecard review among
    continual improvement's techniques for assessing the current state; 004:6627-6647 describes the BSC."""
    rows = cypher(
        "MATCH (p:Practice)-[r:RELATED_TO]->(:Artifact {id:'artifact:balanced-scorecard'}) "
        "RETURN p.id AS id, r.sources AS sources"
    )
    assert [r["id"] for r in rows] == ["practice:continual-improvement"]
    assert {s[:3] for s in rows[0]["sources"]} == {"001", "004"}


def test_cobit_goals_cascade_steps(cypher):
    """What are the steps of the COBIT goals cascade? 6654-6672: stakeholder drivers influence stakeholder
    needs, which cascade to enterprise goals (organised by the BSC dimensions, 6665-6666), then to
    alignment goals, then to COBIT's governance and management objectives."""
    el = "concept:cobit-goals-cascade-element:"
    assert _in_ordered(cypher, "concept:model:cobit-goals-cascade") == [
        el + "stakeholder-drivers",
        el + "stakeholder-needs",
        el + "enterprise-goals",
        el + "alignment-goals",
        el + "governance-and-management-objectives",
    ]
    rows = cypher(
        "MATCH path = (:Concept {id:$a})-[:RELATED_TO*4]->(:Concept {id:$b}) RETURN [n IN nodes(path) | n.id] AS ids",
        a=el + "stakeholder-drivers",
        b=el + "governance-and-management-objectives",
    )
    assert len(rows) == 1
    assert related(cypher, el + "enterprise-goals", "organized-by") == {"artifact:balanced-scorecard"}
    # COBIT is a framework of its own (6659), and the cascade belongs to it
    rows = cypher(
        "MATCH (:Concept {id:'concept:model:cobit-goals-cascade'})-[:PART_OF]->(f:Framework) RETURN f.id AS id"
    )
    assert [r["id"] for r in rows] == ["framework:cobit"]


def test_organization_cascade_levels_support_upwards(cypher):
    """At which levels is performance measured, and whose goals does an individual's serve? 6683:
    organization, business unit, department, team, individual; 6690-6693: individual goals support the
    team's, team goals the department's, up to the organization."""
    lv = "concept:organization-cascade-level:"
    assert _in_ordered(cypher, "concept:model:organization-cascade") == [
        lv + "organization",
        lv + "business-unit",
        lv + "department",
        lv + "team",
        lv + "individual",
    ]
    rows = cypher(
        "MATCH (:Concept {id:$a})-[:RELATED_TO*1..4]->(m:Concept) RETURN DISTINCT m.id AS id",
        a=lv + "individual",
    )
    assert {lv + "team", lv + "department", lv + "business-unit", lv + "organization"} <= {r["id"] for r in rows}
    # measuring at every level drives improvement plans (6696-6702)
    assert related(cypher, "concept:model:organization-cascade", "drives") >= {"artifact:improvement-plan"}


def test_three_categories_of_controls(cypher):
    """What broad categories of controls are there? 6507-6509: organizational/procedural, logical/technical,
    physical. Policies are an example of the first (6507)."""
    assert _in_ordered(cypher, "concept:itil-concept:control") == [
        "concept:control-category:organizational-procedural",
        "concept:control-category:logical-technical",
        "concept:control-category:physical",
    ]
    assert related(cypher, "artifact:policy", "example-of") == {"concept:control-category:organizational-procedural"}


def test_policy_and_control_relate_both_ways(cypher):
    """How do policies and controls relate? 6775-6776 and 6785-6787: some controls are policies, and some
    controls ensure that policies are complied with."""
    assert related(cypher, "artifact:policy", "can-be-a") == {"concept:itil-concept:control"}
    assert related(cypher, "concept:itil-concept:control", "ensures-compliance-with") == {"artifact:policy"}


def test_nine_considerations_for_an_effective_policy(cypher):
    """What should be considered when defining a policy? 6714-6765: nine points."""
    assert related(cypher, "artifact:policy", "consideration-for", direction="in") == {
        f"concept:policy-consideration:{slug}"
        for slug in (
            "be-clear-but-concise",
            "keep-it-simple-and-practical",
            "anticipate-questions",
            "educate-and-communicate",
            "build-in-flexibility",
            "define-non-compliance-consequences",
            "build-in-measurement-and-compliance-validation",
            "promote-transparency",
            "provide-for-feedback",
        )
    }
    # the one that shares a guiding principle's name is linked to it, as our inference (502-504)
    rows = cypher(
        "MATCH (:Concept {id:'concept:policy-consideration:keep-it-simple-and-practical'})-[r]->(p:GuidingPrinciple) "
        "RETURN p.id AS id, r.basis AS basis, r.rationale AS rationale"
    )
    assert [(r["id"], r["basis"]) for r in rows] == [("principle:keep-it-simple-and-practical", "inferred")]
    assert rows[0]["rationale"]


def test_when_guidelines_are_worth_writing(cypher, client):
    """Are guidelines mandatory, and when are they needed? 6802, 6814: recommendations, not requirements;
    6824-6830: four kinds of task call for them."""
    assert len(related(cypher, "artifact:guideline", "calls-for", direction="in")) == 4
    node = client.get("/v1/nodes/artifact:guideline").json()
    assert node["properties"]["kind"] == "guideline"


def test_grc_function_responsibilities(cypher, client):
    """What is the GRC function accountable for? 6880-6883: making delegated decisions, providing clarity
    on them, monitoring management's progress. Who delegates to it? The governing body (6873-6880)."""
    assert related(cypher, "concept:organizational-function:grc", "accountable-for") == {
        "concept:grc-responsibility:delegated-decisions",
        "concept:grc-responsibility:providing-clarity",
        "concept:grc-responsibility:monitoring-progress",
    }
    assert related(cypher, "concept:itil-concept:governing-body", "delegates-decisions-to") == {
        "concept:organizational-function:grc"
    }
    body = client.get("/v1/search", params={"q": "GRC"}).json()
    assert body["items"][0]["id"] == "concept:organizational-function:grc"


def test_risk_decisions_by_objective_horizon(cypher):
    """On what do risk decisions depend in direction? 6887-6894: long-, medium- or short-term objectives.
    Which practice is key at the long-term level? Portfolio management (6910-6912). Short-term risk
    decisions must support the longer horizons (6917-6918)."""
    h = "concept:objective-horizon:"
    assert related(cypher, "practice:risk-management", "decisions-vary-by") == {
        h + "long-term",
        h + "medium-term",
        h + "short-term",
    }
    assert related(cypher, h + "long-term", "key-practice-for", direction="in") == {"practice:portfolio-management"}
    assert related(cypher, h + "short-term", "supports") == {h + "long-term", h + "medium-term"}
    # the medium-term level names no practice (6913-6916)
    assert related(cypher, h + "medium-term", "key-practice-for", direction="in") == set()


def test_what_itil_offers_in_support_of_iso_31000(cypher):
    """Which parts of ITIL support the risk management principles? 6919-6932: the SVS, the four
    dimensions, the guiding principles, the risk management practice, continual improvement, and (our
    reading of 6927) ITIL's notion of value."""
    assert related(cypher, "concept:standard:iso-31000", "supported-in-itil-by") == {
        "concept:itil-concept:service-value-system",
        "concept:itil-concept:four-dimensions-model",
        "svs:guiding-principles",
        "practice:risk-management",
        "svs:continual-improvement",
        "concept:itil-concept:value",  # inferred: 'focus on value/outcome/costs/risks' (6927)
    }


def test_risk_management_applies_to_direction_planning_and_improvement(cypher):
    """Where does risk management apply in DPI? 6885 direction, 6992-7007 planning, 7008-7012 improvement,
    where the risk of doing nothing has to be weighed too (6999-7000)."""
    assert related(cypher, "practice:risk-management", "applied-in") == {
        "concept:itil-concept:direction",
        "concept:itil-concept:planning",
        "concept:itil-concept:improvement",
    }
    assert related(cypher, "concept:risk-concept:risk-of-inaction", "weighed-in") == {
        "concept:itil-concept:improvement"
    }


def test_governance_bears_on_direction_planning_and_improvement(cypher, client):
    """What does governance contribute? 7020-7033 sets the parameters of all direction, 7034-7053 is a
    critical input to all planning, 7054-7069 a critical contribution to all improvement."""
    rows = cypher(
        "MATCH (:SVSComponent {id:'svs:governance'})-[r:RELATED_TO]->(c:Concept) RETURN c.id AS id, r.kind AS kind"
    )
    assert {(r["id"], r["kind"]) for r in rows} >= {
        ("concept:itil-concept:direction", "sets-parameters-for"),
        ("concept:itil-concept:planning", "critical-input-to"),
        ("concept:itil-concept:improvement", "critical-contribution-to"),
    }
    node = client.get("/v1/nodes/svs:governance").json()
    assert f"{MP}:7014-7069" in node["properties"]["sources"]


def test_measurement_controls_follow_focus_on_value(cypher):
    """Which guiding principle guides the choice of measures? 7118-7120: focus on value."""
    assert related(cypher, "concept:control-guidance:measurement-controls", "applies-principle") == {
        "principle:focus-on-value"
    }


def test_ocm_across_direct_plan_and_improve(cypher, client):
    """How does OCM relate to direction, planning and improvement? 7181-7236: needed to direct behaviour,
    considered in every plan, and improvement is impossible without it. The 004 notes are cited on the
    001 practice node rather than a second OCM node."""
    ocm = "practice:organizational-change-management"
    assert related(cypher, ocm, "supports") == {"concept:itil-concept:direction", "concept:itil-concept:planning"}
    assert "concept:itil-concept:improvement" in related(cypher, ocm, "required-for")
    rows = cypher("MATCH (n:Entity) WHERE toLower(n.name) = 'organizational change management' RETURN n.id AS id")
    assert [r["id"] for r in rows] == [ocm]
    node = client.get(f"/v1/nodes/{ocm}").json()
    assert f"{MP}:7122-7179" in node["properties"]["sources"]
    # large plans carry an OCM plan (7216-7219); HR often has the skills (7172)
    assert related(cypher, "artifact:ocm-plan", "plan-of") == {ocm}
    assert related(cypher, "concept:organizational-function:human-resources", "supplies-competence-for") == {ocm}


def test_ocm_accountability_is_not_given_to_a_role(cypher):
    """Who is accountable for OCM? 7159-7179 says only that someone inside the organization must be and that
    it cannot be outsourced; it names no role, so no role is RESPONSIBLE_FOR the practice from these lines."""
    rows = cypher(
        "MATCH (:Role)-[r:RESPONSIBLE_FOR]->(:Practice {id:'practice:organizational-change-management'}) "
        "RETURN r.sources AS sources"
    )
    assert not [r for r in rows if any(s.startswith(MP) for s in r["sources"])]


def test_stakeholder_map_has_four_categories(cypher, client):
    """Into which categories does the stakeholder map sort stakeholders? 7312-7319: critical (high impact,
    high involvement), major, significant, minor. Also known as a power/interest grid (7297, 7302)."""
    assert _in_ordered(cypher, "artifact:stakeholder-map") == [
        "concept:stakeholder-category:critical",
        "concept:stakeholder-category:major",
        "concept:stakeholder-category:significant",
        "concept:stakeholder-category:minor",
    ]
    body = client.get("/v1/search", params={"q": "power/interest grid"}).json()
    assert "artifact:stakeholder-map" in {i["id"] for i in body["items"]}
    # identifying and characterising stakeholders comes first (7299)
    assert related(cypher, "concept:technique:stakeholder-identification", "followed-by") == {
        "artifact:stakeholder-map"
    }


def test_personas_reused_for_stakeholder_groups(cypher):
    """Can personas stand for stakeholder groups? 7323-7328: yes, the same persona idea the customer
    journey uses (3082-3099), one node."""
    assert related(cypher, "concept:customer-journey-concept:persona", "can-represent-groups-of") == {
        "concept:itil-concept:stakeholder"
    }
    rows = cypher("MATCH (n:Entity) WHERE toLower(n.name) = 'persona' RETURN n.id AS id")
    assert len(rows) == 1


def test_five_communication_principles(cypher):
    """What are the principles of communication? 7380-7384: two-way process, always communicating, timing
    and frequency, no single method, the message is in the medium."""
    assert _in_ordered(cypher, "concept:model:communication-principles") == [
        "concept:communication-principle:two-way-process",
        "concept:communication-principle:always-communicating",
        "concept:communication-principle:timing-and-frequency",
        "concept:communication-principle:no-single-method",
        "concept:communication-principle:message-is-in-the-medium",
    ]
    # two-way communication calls for feedback channels (7529, 7545-7546)
    assert related(cypher, "concept:communication-principle:two-way-process", "calls-for") == {
        "concept:communication-concept:feedback-channel"
    }
    assert related(cypher, "concept:model:communication-principles", "fundamentals-of") == {"competency:communication"}


def test_dpi_module_topics(cypher):
    """What does the DPI module cover? 6432-6438 and its sections: the three parts direction, planning and
    improvement (6447-6467) in that order, plus the cascades, BSC, policies, controls, guidelines, decision
    authority, GRC, OCM, stakeholder map and communication principles."""
    rows = cypher("MATCH (c)-[p:PART_OF]->(:Concept {id:$id}) RETURN c.id AS id, p.order AS ord", id=DPI)
    ordered = [r["id"] for r in sorted((r for r in rows if r["ord"] is not None), key=lambda r: r["ord"])]
    assert ordered == [
        "concept:itil-concept:direction",
        "concept:itil-concept:planning",
        "concept:itil-concept:improvement",
    ]
    assert {r["id"] for r in rows} >= {
        "concept:model:goals-cascade",
        "artifact:balanced-scorecard",
        "concept:model:cobit-goals-cascade",
        "concept:model:organization-cascade",
        "artifact:policy",
        "artifact:guideline",
        "concept:itil-concept:control",
        "concept:organizational-function:grc",
        "practice:organizational-change-management",
        "artifact:stakeholder-map",
        "concept:model:communication-principles",
    }
    # DPI's plan and improve are the value chain activities of those names (6442-6444)
    rows = cypher(
        "MATCH (c:Concept)-[m:MAPS_TO]->(a:ValueChainActivity) WHERE c.id IN $ids RETURN c.id AS c, a.id AS a",
        ids=["concept:itil-concept:planning", "concept:itil-concept:improvement", "concept:itil-concept:direction"],
    )
    assert {(r["c"], r["a"]) for r in rows} == {
        ("concept:itil-concept:planning", "activity:itil:plan"),
        ("concept:itil-concept:improvement", "activity:itil:improve"),
    }


def test_every_dpi_entry_cites_the_dpi_lines(ontology):
    """Does every node of the DPI file cite the section it came from? Each node cites 004 inside 6446-7571."""
    nodes = [n for n in ontology.nodes.values() if n.file.endswith("itil4-mp-dpi.yaml")]
    assert len(nodes) >= 80
    for node in nodes:
        ranges = [s.split(":")[1].split("-") for s in node.properties["sources"] if s.startswith(MP)]
        assert any(int(a) >= 6446 and int(b) <= 7571 for a, b in ranges), node.id
