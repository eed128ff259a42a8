// The activities of one value chain in order, and every practice with its contribution levels to
// them and to the activities of other chains they align with (ALIGNS_WITH, either way: how a Zero
// Outage phase is covered through ITIL's activities). Exclusions (level none) included.
// $chain: value chain id. No row when the chain is unknown.
MATCH (vc:ValueChain {id: $chain})
OPTIONAL MATCH (a:ValueChainActivity)-[:PART_OF]->(vc)
WITH vc, a ORDER BY a.order, a.id
WITH vc, collect(a {.id, .name}) AS activities
MATCH (p:Practice)
OPTIONAL MATCH (p)-[c:CONTRIBUTES_TO]->(x:ValueChainActivity)-[:PART_OF]->(vc)
WITH vc, activities, p, collect(CASE WHEN x IS NULL THEN null ELSE {activity: x.id, level: c.level, sources: c.sources} END) AS levels
OPTIONAL MATCH (p)-[d:CONTRIBUTES_TO]->(y:ValueChainActivity)-[:ALIGNS_WITH]-(:ValueChainActivity)-[:PART_OF]->(vc)
WITH vc, activities, p, levels,
     collect(DISTINCT CASE WHEN y IS NULL THEN null ELSE {activity: y.id, name: y.name, level: d.level, sources: d.sources} END) AS aligned
ORDER BY p.id
RETURN vc {.id, .name} AS chain, activities, collect({id: p.id, name: p.name, levels: levels, aligned: aligned}) AS practices
