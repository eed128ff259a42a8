// Every node with what search looks at: the in-memory index of a release is built from these rows
// (app/services/search.py). No parameters.
MATCH (n:Entity)
RETURN n.id AS id, n.name AS name, n.code AS code, coalesce(n.aliases, []) AS aliases,
       n.description AS description, labels(n) AS labels
