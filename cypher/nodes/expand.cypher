// One breadth-first step from a set of nodes: every relationship touching them, either way.
// $ids: frontier node ids; $types: relationship types or null for all.
// The service filters direction, depth and labels and keeps the first hop that reaches a node.
UNWIND $ids AS id
MATCH (a:Entity {id: id})-[r]-(b:Entity)
WHERE $types IS NULL OR type(r) IN $types
RETURN a.id AS from_id,
       startNode(r).id = a.id AS outgoing,
       type(r) AS type,
       properties(r) AS properties,
       b {.id, .name, .sources, label: [l IN labels(b) WHERE l <> 'Entity'][0]} AS node
