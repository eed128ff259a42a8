// Competencies one role needs that another role does not: what a person moving between the two
// roles would have to learn.
// @param role: id = role:zero-outage:incident-manager — id of the role whose needs are listed
// @param other: id = role:zero-outage:problem-manager — id of the role that lacks them
MATCH (r:Role {id: $role})-[q:REQUIRES]->(c:Entity)
WHERE NOT EXISTS { MATCH (:Role {id: $other})-[:REQUIRES]->(c) }
RETURN c.id AS competency, c.name AS name, q.family AS family, q.level AS level
ORDER BY family, competency
