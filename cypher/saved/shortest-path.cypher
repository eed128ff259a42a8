// One shortest chain of relationships (any type, either direction, at most 6 hops) between two
// nodes, as node ids and relationship types.
// @param from_id: id = role:zero-outage:incident-manager — id of the first node
// @param to_id: id = practice:problem-management — id of the second node
MATCH (a:Entity {id: $from_id}), (b:Entity {id: $to_id})
MATCH p = shortestPath((a)-[*..6]-(b))
RETURN [n IN nodes(p) | n.id] AS nodes, [r IN relationships(p) | type(r)] AS relationships, length(p) AS hops
