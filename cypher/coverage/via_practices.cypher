// Role x activity coverage, second half: roles responsible for a practice that contributes to an
// activity of one value chain (RESPONSIBLE_FOR then CONTRIBUTES_TO; explicit exclusions, level
// none, left out). $chain: value chain id; $source: seed file name or null (keeps the pair when
// either edge cites that document).
MATCH (r:Role)-[x:RESPONSIBLE_FOR]->(pr:Practice)-[c:CONTRIBUTES_TO]->(a:ValueChainActivity)
      -[:PART_OF]->(:ValueChain {id: $chain})
WHERE c.level <> 'none'
  AND ($source IS NULL OR any(s IN x.sources + c.sources WHERE s STARTS WITH $source + ':'))
RETURN r.id AS role_id, r.name AS role_name, r.kind AS role_kind, a.id AS activity,
       pr.id AS practice_id, pr.name AS practice_name, c.level AS level,
       x.basis AS basis, x.kind AS responsibility, x.rationale AS rationale,
       x.sources + c.sources AS sources
ORDER BY role_id, activity, practice_id
