// The competencies a role needs, grouped by family (functional, methodical, interpersonal, ...).
// The order of names inside each list is not meaningful.
// @param role: id = role:zero-outage:incident-manager — id of the role
MATCH (:Role {id: $role})-[q:REQUIRES]->(c:Entity)
RETURN coalesce(q.family, 'unspecified') AS family, count(c) AS competencies, collect(c.name) AS names
ORDER BY family
