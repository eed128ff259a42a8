// Every role that needs one competency, with the competency family the role files it under.
// @param competency: id = competency:customer-service — id of the competency
MATCH (r:Role)-[q:REQUIRES]->(c:Competency {id: $competency})
RETURN r.id AS role, r.name AS name, r.kind AS kind, q.family AS family
ORDER BY role
