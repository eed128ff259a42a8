// Every MAPS_TO joining a SFIA skill and a practice or competency (either direction), e.g. ITOP and
// infrastructure and platform management: what suggests a skill for a role's work, and what a
// change to the skill touches besides roles. No parameters.
MATCH (s:SFIASkill)-[m:MAPS_TO]-(x:Entity)
WITH s, m, x, [l IN labels(x) WHERE l <> 'Entity'][0] AS label
WHERE label IN ['Practice', 'Competency']
RETURN s.id AS skill, x.id AS id, x.name AS name, label, m.kind AS kind
ORDER BY skill, id
