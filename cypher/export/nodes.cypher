// A page of nodes for the full export, in id order. $skip, $limit: the page.
MATCH (n:Entity)
WITH n ORDER BY n.id SKIP $skip LIMIT $limit
RETURN n.id AS id, labels(n) AS labels, properties(n) AS properties
