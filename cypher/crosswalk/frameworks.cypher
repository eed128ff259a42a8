// The Framework nodes, for checking a crosswalk's `from` and `to`.
MATCH (f:Framework)
RETURN f.id AS id, f.name AS name
ORDER BY id
