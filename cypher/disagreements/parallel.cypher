// Node pairs joined by more than one relationship of one type: where two documents may state the
// same fact differently (a `key: mp` contribution beside 001's, say). The service compares them.
// $types: the relationship types to look at.
MATCH (a:Entity)-[r]->(b:Entity)
WHERE type(r) IN $types
WITH a, b, type(r) AS type, collect(properties(r)) AS statements
WHERE size(statements) > 1
RETURN a.id AS start_id, a.name AS start_name, [l IN labels(a) WHERE l <> 'Entity'][0] AS start_label,
       b.id AS end_id, b.name AS end_name, [l IN labels(b) WHERE l <> 'Entity'][0] AS end_label,
       type, statements
