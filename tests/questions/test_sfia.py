"""Architect's questions about SFIA change request #1431 (ITMG reshaped, ITOP5).

Seed: 002_ec8cbdba19ca2271.txt (49 lines as declared; a 50th line without newline names CR#1432).
Every expected answer was read off the seed by hand; line numbers are cited per test.
"""

CR = "change-request:sfia-1431"
CR_ITOP5 = "change-request:sfia-1432"


def _ids(items):
    return {item["id"] for item in items}


def _changes(cypher, cr_id):
    return cypher(
        "MATCH (c:ChangeRequest {id:$id})-[r:CHANGES]->(t) "
        "RETURN t.id AS target, r.change AS change, r.before AS before, r.after AS after, "
        "r.rationale AS rationale",
        id=cr_id,
    )


def test_what_changed_in_itmg_and_why(cypher):
    """What did #1431 change in ITMG and why? Renamed from IT Management to Technical Service Delivery
    Management (lines 3, 5, 17, 45), rescoped from infrastructure to service delivery (5-11), and its
    description rewritten (19-21, 45). Every change carries a rationale."""
    rows = [r for r in _changes(cypher, CR) if r["target"] == "sfia:ITMG"]
    assert {r["change"] for r in rows} == {"rename", "rescope", "description-update"}
    rename = next(r for r in rows if r["change"] == "rename")
    assert rename["before"] == "IT Management"
    assert rename["after"] == "Technical Service Delivery Management"
    assert all(r["rationale"] for r in rows)


def test_itmg_levels_changed_by_1431(cypher):
    """Which ITMG levels got new descriptions? 5, 6 and 7 (drafts at lines 23-33; 'skill level
    descriptions for ITMG have been updated', line 45). No other ITMG level is touched."""
    rows = _changes(cypher, CR)
    updated = {r["target"] for r in rows if r["target"].startswith("sfia:ITMG:")}
    assert updated == {"sfia:ITMG:5", "sfia:ITMG:6", "sfia:ITMG:7"}
    assert all(r["change"] == "description-update" for r in rows if r["target"] in updated)


def test_at_which_levels_is_itmg_described_in_the_draft(client, cypher):
    """At which levels is ITMG described? 5, 6 and 7, all as drafts (lines 23, 27, 31)."""
    node = client.get("/v1/nodes/sfia:ITMG").json()
    assert sorted(node["properties"]["levels"]) == [5, 6, 7]
    rows = cypher(
        "MATCH (l:SFIASkillLevel)-[:PART_OF]->(s:SFIASkill {id:'sfia:ITMG'}) "
        "RETURN l.level AS level, l.status AS status"
    )
    assert sorted(r["level"] for r in rows) == [5, 6, 7]
    assert {r["status"] for r in rows} == {"draft"}


def test_no_invented_itmg_levels(client):
    """The text gives no ITMG description below level 5 (lines 23-33): those level ids must not exist."""
    for level in (1, 2, 3, 4):
        assert client.get(f"/v1/nodes/sfia:ITMG:{level}").status_code == 404


def test_itmg_current_name_and_former_name(client):
    """What is ITMG called now, and can it still be found by its old name? Technical Service Delivery
    Management, formerly IT Management (lines 3, 5, 17, 45)."""
    node = client.get("/v1/nodes/sfia:ITMG").json()
    assert node["name"] == "Technical Service Delivery Management"
    assert "IT Management" in node["properties"]["aliases"]
    assert node["properties"]["code"] == "ITMG"
    hits = client.get("/v1/search", params={"q": "IT Management", "label": "SFIASkill"}).json()
    assert "sfia:ITMG" in _ids(hits["items"])


def test_which_skill_is_proposed_to_merge_into_itop(cypher):
    """Which skill is proposed for merging into ITOP? SYSP (its level 5), line 11. Nothing else is."""
    rows = cypher(
        "MATCH (x)-[r:RELATED_TO {kind:'proposed-merge-into'}]->(:SFIASkill {id:'sfia:ITOP'}) "
        "RETURN x.id AS id, x.code AS code"
    )
    assert {r["code"] for r in rows} == {"SYSP"}


def test_change_request_1431_status_and_no_decision_date(client):
    """Is #1431 accepted, and when was it decided? Accepted (lines 3, 37); no decision date is given:
    'May 17, 2021' (line 48) dates the requester's comment about CR#1432, not the decision."""
    node = client.get(f"/v1/nodes/{CR}").json()
    assert node["label"] == "ChangeRequest"
    assert node["properties"]["number"] == "1431"
    assert node["properties"]["status"] == "accepted"
    assert node["properties"].get("decided_on") is None
    assert node["properties"]["decision"]
    assert "framework:sfia" in {i["node"]["id"] for i in node["relationships"]["out"]["PART_OF"]}


def test_itop_level_5_has_its_own_change_request(cypher, client):
    """Which change request creates ITOP level 5? A separate one was logged (line 5): CR#1432, proposed,
    with no recorded outcome; #1431 spawned it."""
    node = client.get(f"/v1/nodes/{CR_ITOP5}").json()
    assert node["properties"]["status"] == "proposed"
    assert node["properties"].get("decided_on") is None
    rows = _changes(cypher, CR_ITOP5)
    assert {(r["target"], r["change"]) for r in rows} == {("sfia:ITOP:5", "new-level")}
    spawned = cypher(
        "MATCH (:ChangeRequest {id:$a})-[r:RELATED_TO]->(:ChangeRequest {id:$b}) RETURN r.kind AS kind",
        a=CR,
        b=CR_ITOP5,
    )
    assert [r["kind"] for r in spawned] == ["spawned"]


def test_skills_named_in_the_change_request(client):
    """Which SFIA skills does the text name? ITMG, ITOP, SLMO, ASUP, NTAS (lines 5-7), SYSP (11),
    GOVN (15)."""
    body = client.get("/v1/nodes", params={"label": "SFIASkill", "source": "sfia-cr1431", "limit": 200}).json()
    assert _ids(body["items"]) == {
        "sfia:ITMG",
        "sfia:ITOP",
        "sfia:SLMO",
        "sfia:ASUP",
        "sfia:NTAS",
        "sfia:SYSP",
        "sfia:GOVN",
    }


def test_itop5_is_modelled_on_other_operational_level_5_skills(cypher):
    """What should the new ITOP level 5 be in line with? ASUP and NTAS at level 5 (line 5); it would
    draw statements from ITMG5 and SYSP5 (line 11)."""
    modelled = cypher(
        "MATCH (:SFIASkillLevel {id:'sfia:ITOP:5'})-[:RELATED_TO {kind:'modelled-on'}]->(l) RETURN l.id AS id"
    )
    assert {r["id"] for r in modelled} == {"sfia:ASUP:5", "sfia:NTAS:5"}
    feeders = cypher(
        "MATCH (l)-[:RELATED_TO {kind:'contributes-statements-to'}]->(:SFIASkillLevel {id:'sfia:ITOP:5'}) "
        "RETURN l.id AS id"
    )
    assert {r["id"] for r in feeders} == {"sfia:ITMG:5", "sfia:SYSP:5"}


def test_only_1431_changes_itmg(cypher):
    """Which change requests change ITMG or its levels? Only #1431 (line 45); #1432 is about ITOP5."""
    rows = cypher(
        "MATCH (c:ChangeRequest)-[:CHANGES]->(t) WHERE t.id = 'sfia:ITMG' OR t.id STARTS WITH 'sfia:ITMG:' "
        "RETURN DISTINCT c.id AS cr"
    )
    assert {r["cr"] for r in rows} == {CR}


def test_why_slmo_was_not_enough(cypher):
    """Why not use Service Level Management instead? SLMO covers agreeing service specifications but not
    owning delivery (line 7): ITMG partially overlaps SLMO."""
    rows = cypher(
        "MATCH (:SFIASkill {id:'sfia:ITMG'})-[r:RELATED_TO]->(:SFIASkill {id:'sfia:SLMO'}) "
        "RETURN r.kind AS kind, r.basis AS basis"
    )
    assert rows == [{"kind": "partially-overlaps", "basis": "stated"}]


def test_itmg_is_complementary_to_itop(client):
    """How does the reshaped ITMG relate to ITOP? As a complementary skill (line 41)."""
    node = client.get("/v1/nodes/sfia:ITMG").json()
    out = node["relationships"]["out"]["RELATED_TO"]
    assert any(i["node"]["id"] == "sfia:ITOP" and i["properties"]["kind"] == "complementary-to" for i in out)


def test_no_itop_level_other_than_5(cypher):
    """The text only speaks of ITOP at level 5 (lines 5, 9, 11): no other ITOP level is modelled."""
    rows = cypher("MATCH (l:SFIASkillLevel {code:'ITOP'}) RETURN l.level AS level")
    assert [r["level"] for r in rows] == [5]


def test_itmg_category(client):
    """Which SFIA area does the change apply to? Technology service management (line 35)."""
    node = client.get("/v1/nodes/sfia:ITMG").json()
    assert node["properties"]["category"] == "Technology service management"


def test_changes_visible_as_neighbors(client):
    """Browsing from ITMG, which change requests point at it? #1431 only (incoming CHANGES)."""
    body = client.get("/v1/nodes/sfia:ITMG/neighbors", params={"type": "CHANGES", "direction": "in", "depth": 1}).json()
    assert _ids(i["node"] for i in body["items"]) == {CR}
