// Links the curators inferred rather than found stated, each with its rationale.
// @param type: string = null — only this relationship type (MAPS_TO, RESPONSIBLE_FOR, PERFORMS_IN, ...); all when null
MATCH (a:Entity)-[r]->(b:Entity)
WHERE r.basis = 'inferred' AND ($type IS NULL OR type(r) = $type)
RETURN a.id AS from_id, type(r) AS type, b.id AS to_id, r.rationale AS rationale
ORDER BY type, from_id, to_id
