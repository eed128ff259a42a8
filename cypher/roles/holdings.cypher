// Everything a role holds, by facet, for comparing two roles: competencies and SFIA skills it
// REQUIRES (with family), what it is RESPONSIBLE_FOR (with the responsibility kind), and where it
// PERFORMS_IN. $id: role id. No row when the id is not a role.
MATCH (r:Role {id: $id})
RETURN r {.id, .name, .kind, .description, .sources, label: 'Role'} AS role,
       [(r)-[q:REQUIRES]->(c:Competency) | {id: c.id, name: c.name, label: 'Competency', family: q.family}] AS competencies,
       [(r)-[q:REQUIRES]->(s:SFIASkill) | {id: s.id, name: s.name, label: 'SFIASkill', family: null}] AS skills,
       [(r)-[q:RESPONSIBLE_FOR]->(t:Entity)
          | {id: t.id, name: t.name, label: [l IN labels(t) WHERE l <> 'Entity'][0], family: q.kind}] AS responsibilities,
       [(r)-[q:PERFORMS_IN]->(t:Entity)
          | {id: t.id, name: t.name, label: [l IN labels(t) WHERE l <> 'Entity'][0], family: null}] AS activities
