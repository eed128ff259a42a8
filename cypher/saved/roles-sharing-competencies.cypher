// Other roles that need the same competencies as one role, most shared first.
// @param role: id = role:zero-outage:incident-manager — id of the role to compare against
// @param min_shared: int = 3 — how many competencies a role must share to be listed
MATCH (r:Role {id: $role})-[:REQUIRES]->(c:Competency)<-[:REQUIRES]-(other:Role)
WHERE other.id <> r.id
WITH other, count(DISTINCT c) AS shared, collect(DISTINCT c.id) AS competencies
WHERE shared >= $min_shared
RETURN other.id AS role, other.name AS name, shared, competencies
ORDER BY shared DESC, role
