// Role x activity coverage, first half: roles that work in an activity of one value chain
// (PERFORMS_IN). $chain: value chain id; $source: seed file name or null (keeps only edges that
// document states).
MATCH (r:Role)-[p:PERFORMS_IN]->(a:ValueChainActivity)-[:PART_OF]->(:ValueChain {id: $chain})
WHERE $source IS NULL OR any(s IN p.sources WHERE s STARTS WITH $source + ':')
RETURN r.id AS role_id, r.name AS role_name, r.kind AS role_kind, a.id AS activity,
       p.basis AS basis, p.rationale AS rationale, p.sources AS sources
ORDER BY role_id, activity
