// Remove relationships the ontology no longer holds. $rows: [{id, start, end}].
UNWIND $rows AS row
MATCH (a:Entity {id: row.start})-[r]->(b:Entity {id: row.end})
WHERE r.id = row.id
DELETE r
