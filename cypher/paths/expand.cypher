// One breadth-first step of the path search: the relationships touching a set of nodes, either way,
// with everything a path step shows (basis, kind, level, rationale, sources).
// $ids: frontier node ids; $types: relationship types to follow, or null for all; $exclude_types:
// types never followed; $exclude: node ids never stepped onto (hubs, or asked by the caller).
UNWIND $ids AS id
MATCH (a:Entity {id: id})-[r]-(b:Entity)
WHERE ($types IS NULL OR type(r) IN $types) AND NOT type(r) IN $exclude_types AND NOT b.id IN $exclude
RETURN a.id AS from_id, b.id AS to_id, b.name AS to_name, [l IN labels(b) WHERE l <> 'Entity'][0] AS to_label,
       r.id AS id, type(r) AS type, startNode(r).id AS start, endNode(r).id AS end,
       coalesce(r.basis, 'stated') AS basis, r.kind AS kind, r.level AS level, r.rationale AS rationale,
       r.sources AS sources
