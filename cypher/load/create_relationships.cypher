// Create relationships of one type that the store does not hold (the plan says so); {{type}} is a
// type from ontology/schema.yaml. $rows: [{id, start, end, properties}]. CREATE, not MERGE.
UNWIND $rows AS row
MATCH (a:Entity {id: row.start})
MATCH (b:Entity {id: row.end})
CREATE (a)-[r:{{type}}]->(b)
SET r = row.properties
