// What a SFIA change request changes: skills and skill levels, the kind of change, and the text
// before and after where the request gives them.
// @param change_request: id = change-request:sfia-1431 — id of the change request
MATCH (cr:ChangeRequest {id: $change_request})-[ch:CHANGES]->(target:Entity)
RETURN target.id AS target,
       CASE WHEN target:SFIASkillLevel THEN 'skill level' ELSE 'skill' END AS kind,
       ch.change AS change, ch.before AS before, ch.after AS after, cr.status AS status
ORDER BY target, change
