// Every role with everything it holds, read once per release for similarity, suggestions, gaps and
// transitions (app/overlay/profiles.py): competencies and SFIA skills it REQUIRES (family, level),
// what it is RESPONSIBLE_FOR (kind), where it PERFORMS_IN, the nodes it MAPS_TO and the roles it
// progresses to (RELATED_TO kind career-step). No parameters.
MATCH (r:Role)
RETURN r.id AS id, r.name AS name, r.aliases AS aliases, r.kind AS kind,
       [(r)-[q:REQUIRES]->(c:Competency) | {id: c.id, name: c.name, family: q.family, level: q.level}] AS competencies,
       [(r)-[q:REQUIRES]->(s:SFIASkill) | {id: s.id, name: s.name, code: s.code, level: q.level}] AS skills,
       [(r)-[q:RESPONSIBLE_FOR]->(t:Entity)
          | {id: t.id, name: t.name, label: [l IN labels(t) WHERE l <> 'Entity'][0], kind: q.kind, sources: q.sources}]
         AS responsibilities,
       [(r)-[q:PERFORMS_IN]->(t:Entity)
          | {id: t.id, name: t.name, label: [l IN labels(t) WHERE l <> 'Entity'][0], sources: q.sources}] AS activities,
       [(r)-[m:MAPS_TO]->(t:Entity)
          | {id: t.id, name: t.name, label: [l IN labels(t) WHERE l <> 'Entity'][0], kind: m.kind, sources: m.sources}] AS mappings,
       [(r)-[s:RELATED_TO]->(t:Role) WHERE s.kind = 'career-step' | t.id] AS next_roles
ORDER BY id
