// Role x activity coverage through alignment: roles responsible for a practice that contributes to
// an activity of another chain which an activity of this chain aligns with (ALIGNS_WITH, either
// way), e.g. a Zero Outage phase through the ITIL activities it corresponds to. Explicit
// exclusions (level none) left out. $chain: value chain id; $source: seed file name or null (keeps
// the pair when either edge cites that document).
MATCH (r:Role)-[x:RESPONSIBLE_FOR]->(pr:Practice)-[c:CONTRIBUTES_TO]->(b:ValueChainActivity)
      -[:ALIGNS_WITH]-(a:ValueChainActivity)-[:PART_OF]->(:ValueChain {id: $chain})
WHERE c.level <> 'none'
  AND ($source IS NULL OR any(s IN x.sources + c.sources WHERE s STARTS WITH $source + ':'))
RETURN r.id AS role_id, r.name AS role_name, r.kind AS role_kind, a.id AS activity,
       pr.id AS practice_id, pr.name AS practice_name, c.level AS level,
       x.basis AS basis, x.kind AS responsibility, x.rationale AS rationale,
       x.sources + c.sources AS sources, b.id AS via_id, b.name AS via_name
ORDER BY role_id, activity, practice_id, via_id
