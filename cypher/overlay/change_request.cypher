// A change request and what it CHANGES: each target (a SFIA skill or one of its levels) with the
// skill it belongs to and the level, the change kind, before/after and sources. $id: change request
// id. No row when the id is not a change request.
MATCH (cr:ChangeRequest {id: $id})
OPTIONAL MATCH (cr)-[c:CHANGES]->(t:Entity)
OPTIONAL MATCH (t)-[:PART_OF]->(parent:SFIASkill)
WITH cr, c, t, parent ORDER BY t.id, c.id
RETURN cr {.id, .name, .status} AS change_request,
       collect(CASE WHEN t IS NULL THEN null ELSE {
         target: t.id, target_name: t.name, target_label: [l IN labels(t) WHERE l <> 'Entity'][0],
         skill: coalesce(parent.id, t.id), skill_name: coalesce(parent.name, t.name), level: t.level,
         change: c.change, before: c.before, after: c.after, sources: c.sources} END) AS changes
