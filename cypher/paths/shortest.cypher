// All shortest paths between two nodes, ignoring direction, up to 6 hops.
// $from, $to: node ids; $max_hops: 1..6; $types: relationship types allowed on the path, or null;
// $limit: how many paths at most.
MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
MATCH p = allShortestPaths((a)-[*..6]-(b))
WHERE length(p) <= $max_hops
  AND ($types IS NULL OR all(r IN relationships(p) WHERE type(r) IN $types))
RETURN [n IN nodes(p) | n {.id, .name, label: [l IN labels(n) WHERE l <> 'Entity'][0]}] AS nodes,
       [r IN relationships(p) | {type: type(r), start: startNode(r).id, end: endNode(r).id}] AS relationships
LIMIT $limit
