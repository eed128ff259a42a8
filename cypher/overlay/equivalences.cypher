// Pairs of nodes a mapping makes count as the same when two roles' holdings are compared: MAPS_TO
// between competencies and SFIA skills (an organisation's own competency mapped to a framework one,
// SLMO and service level management), ALIGNS_WITH between value chain activities (Zero Outage Run
// and ITIL Deliver and support). `related-competency` joins things kept apart on purpose and is
// left out. No parameters.
MATCH (a:Entity)-[m:MAPS_TO|ALIGNS_WITH]->(b:Entity)
WITH a, b, m, [l IN labels(a) WHERE l <> 'Entity'][0] AS la, [l IN labels(b) WHERE l <> 'Entity'][0] AS lb
WHERE coalesce(m.kind, '') <> 'related-competency'
  AND ((la IN ['Competency', 'SFIASkill'] AND lb IN ['Competency', 'SFIASkill'])
       OR (la = 'ValueChainActivity' AND lb = 'ValueChainActivity'))
RETURN a.id AS a, b.id AS b
ORDER BY a, b
