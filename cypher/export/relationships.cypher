// A page of relationships for the full export, in id order; start and end are node ids.
// $skip, $limit: the page.
MATCH (a:Entity)-[r]->(b:Entity)
WITH a, r, b ORDER BY r.id SKIP $skip LIMIT $limit
RETURN type(r) AS type, a.id AS start, b.id AS end, properties(r) AS properties
