// Create or update nodes of one label; {{label}} is a label from ontology/schema.yaml.
// $rows: [{id, properties}]; properties replace the node's properties entirely.
UNWIND $rows AS row
MERGE (n:Entity:{{label}} {id: row.id})
SET n = row.properties
