// A page of the headline question (value_chain/practices answers it whole): the practices
// contributing to an activity, ordered as the service orders them (strongest level first, then
// lower-case name, then id), cut before any role is read, so that roles are read for the page's
// practices alone. Per practice: every statement (only those citing $source when given) and, with
// $roles, the roles RESPONSIBLE_FOR it. $activity: activity id; $source: seed file name or null;
// $floor: weakest strongest-level to include as a rank (high 4, medium 3, low 2, unspecified 1,
// none 0); $roles: true to read roles; $skip, $limit: the page. The total and the activity:
// value_chain/practices_total.
// Maps are written as literals: ArcadeDB mishandles a map projection nested in a map literal.
MATCH (p:Practice)-[c:CONTRIBUTES_TO]->(:ValueChainActivity {id: $activity})
WHERE $source IS NULL OR any(s IN c.sources WHERE s STARTS WITH $source + ':')
WITH p,
     max(CASE c.level WHEN 'high' THEN 4 WHEN 'medium' THEN 3 WHEN 'low' THEN 2 WHEN 'unspecified' THEN 1 ELSE 0 END)
       AS rank,
     collect({level: c.level, level_cue: c.level_cue, summary: c.summary, sources: c.sources}) AS contributions
WHERE rank >= $floor
WITH p, rank, contributions
ORDER BY rank DESC, toLower(p.name), p.id
SKIP $skip LIMIT $limit
RETURN {id: p.id, name: p.name, category: p.category, label: 'Practice'} AS practice, contributions,
       CASE WHEN $roles
            THEN [(p)<-[x:RESPONSIBLE_FOR]-(r:Role)
                  | {id: r.id, name: r.name, kind: r.kind, label: 'Role', basis: x.basis, rationale: x.rationale,
                     responsibility: x.kind}]
            ELSE [] END AS roles
ORDER BY rank DESC, toLower(p.name), p.id
