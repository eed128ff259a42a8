// What a role requires: competencies (with family and level) and SFIA skills (with level), each
// with its basis (`stated` when the edge has none) and, for inferred ones, the rationale.
// $id: role id. No row when the id is not a role.
MATCH (r:Role {id: $id})
RETURN r {.id, .name, .kind, .description, .sources, label: 'Role'} AS role,
       [(r)-[q:REQUIRES]->(c:Competency) | {id: c.id, name: c.name, family: q.family, level: q.level, basis: coalesce(q.basis, 'stated'), rationale: q.rationale, sources: q.sources}] AS competencies,
       [(r)-[q:REQUIRES]->(s:SFIASkill) | {id: s.id, code: s.code, name: s.name, level: q.level, basis: coalesce(q.basis, 'stated'), rationale: q.rationale, sources: q.sources}] AS skills
