// Roles that work in one value chain activity or value stream step, stated or inferred.
// @param activity: id = activity:zero-outage:run — id of the activity or step
MATCH (r:Role)-[x:PERFORMS_IN]->(a:Entity {id: $activity})
RETURN r.id AS role, r.name AS name, x.basis AS basis, x.rationale AS rationale
ORDER BY role
