// Create nodes of one label that the store does not hold (the plan says so); {{label}} is a label
// from ontology/schema.yaml. $rows: [{id, properties}]. CREATE, not MERGE: no lookup per row.
UNWIND $rows AS row
CREATE (n:Entity:{{label}})
SET n = row.properties
